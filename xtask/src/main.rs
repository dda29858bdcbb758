//! Project automation, in Rust (matklad's xtask pattern).
//!
//! * `cargo xtask coeffs [--check]` — regenerate (or check) the built-in
//!   coefficient tables and the EGM96 geoid grid from `data/`.
//! * `cargo xtask bench [SUITE…] [--json]` — the benchmarks of the whole
//!   workspace, each measured against a peer in the same run.

mod bench;
mod coeffs;
mod geoid;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask coeffs [--check] | cargo xtask bench [SUITE…] [--json]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    match args.first().map(String::as_str) {
        Some("coeffs") => {
            let check = match &args[1..] {
                [] => false,
                [flag] if flag == "--check" => true,
                _ => return usage(),
            };
            match coeffs::run(&root, check) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(message) => {
                    eprintln!("xtask coeffs: {message}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("bench") => {
            let json = args[1..].iter().any(|a| a == "--json");
            let names: Vec<&str> = args[1..]
                .iter()
                .filter(|a| *a != "--json")
                .map(String::as_str)
                .collect();
            match bench::run(&names, json) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("xtask bench: {message}");
                    ExitCode::from(2)
                }
            }
        }
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// The workspace root: xtask's manifest lives one level below it.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
