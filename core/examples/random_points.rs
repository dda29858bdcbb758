//! Evaluates batches of random points with the batch API on one thread,
//! again and again, for profilers (`perf record`): the workload
//! `random-wmm2025` of `cargo xtask bench model`, which measures it; this
//! only runs it.
//!
//!     cargo run --release -p magvar-core --example random_points [POINTS] [MODEL]

use magvar_core::Evaluator;

#[path = "common/mod.rs"]
mod common;

fn main() {
    let (points, model) = common::arguments(20_000_000);
    let batch = common::positions(100_000);
    let mut evaluator = Evaluator::new(model);
    let mut out = Vec::with_capacity(batch.len());
    let mut sum = 0.0;
    let batches = points.div_ceil(batch.len());
    let started = std::time::Instant::now();
    for _ in 0..batches {
        out.clear();
        evaluator.elements_many(&batch, 2026.5, &mut out);
        sum += out.get(batch.len() / 2).map_or(0.0, |e| e.declination_deg);
    }
    let seconds = started.elapsed().as_secs_f64();
    let done = batches * batch.len();
    println!(
        "{done} points in {seconds:.3} s: {:.2} M/s (checksum {sum:.3})",
        done as f64 / seconds / 1e6
    );
}
