//! Evaluates batches of random points with the batch API on one thread,
//! again and again, for profilers (`perf record`): the workload
//! `random-wmm2025` of `cargo xtask bench model`, which measures it; this
//! only runs it.
//!
//!     cargo run --release -p magvar-core --example random_points [POINTS] [MODEL]

use magvar_core::{BuiltinModel, Evaluator, Position};

fn main() {
    let mut args = std::env::args().skip(1);
    let points: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000_000);
    let model = match args.next().as_deref() {
        Some("igrf14") => BuiltinModel::Igrf14,
        Some("wmmhr2025") => BuiltinModel::Wmmhr2025,
        _ => BuiltinModel::Wmm2025,
    }
    .model();
    // A fixed sequence (a 64-bit LCG): the same points every run.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let batch: Vec<Position> = (0..100_000)
        .map(|_| {
            let latitude = (2.0 * next() - 1.0).asin().to_degrees();
            Position::geodetic(latitude, 360.0 * next() - 180.0, 10.0 * next()).unwrap()
        })
        .collect();
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
