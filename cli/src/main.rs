mod error;
fn main() {}
