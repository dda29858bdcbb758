//! Evaluates random points one call at a time, for profilers (`perf
//! record`, `valgrind --tool=callgrind`): the path `magvar at`, the GUI's
//! readout and a library user's loop take. `cargo xtask bench model`
//! measures it (workload random-wmm2025-pointwise); this only runs it.
//!
//!     cargo run --release -p magvar-core --example one_point_a_call [POINTS] [MODEL]

use magvar_core::Evaluator;

#[path = "common/mod.rs"]
mod common;

fn main() {
    let (points, model) = common::arguments(2_000_000);
    let positions = common::positions(4096);
    let mut evaluator = Evaluator::new(model);
    let mut sum = 0.0;
    let started = std::time::Instant::now();
    for i in 0..points {
        sum += evaluator
            .elements(&positions[i % positions.len()], 2026.5)
            .declination_deg;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{points} points in {seconds:.3} s: {:.2} M/s (checksum {sum:.3})",
        points as f64 / seconds / 1e6
    );
}
