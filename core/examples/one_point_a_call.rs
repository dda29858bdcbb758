//! Evaluates random points one call at a time, for profilers (`perf
//! record`, `valgrind --tool=callgrind`): the path `magvar at`, the GUI's
//! readout and a library user's loop take. `cargo xtask bench model`
//! measures it (workload random-wmm2025-pointwise); this only runs it.
//!
//!     cargo run --release -p magvar-core --example one_point_a_call [POINTS] [MODEL]

use magvar_core::{BuiltinModel, Evaluator, Position};

fn main() {
    let mut args = std::env::args().skip(1);
    let points: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
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
    let positions: Vec<Position> = (0..4096)
        .map(|_| {
            Position::geodetic(180.0 * next() - 90.0, 360.0 * next() - 180.0, 10.0 * next())
                .unwrap()
        })
        .collect();
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
