//! What the point examples share: their arguments and their points.

use magvar_core::{BuiltinModel, MagneticModel, Position};

/// `[POINTS] [MODEL]` from the command line: how many points (or
/// `default_points`) and which built-in model (igrf14, wmmhr2025, or
/// WMM2025 otherwise).
pub fn arguments(default_points: usize) -> (usize, &'static MagneticModel) {
    let mut args = std::env::args().skip(1);
    let points = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default_points);
    let model = match args.next().as_deref() {
        Some("igrf14") => BuiltinModel::Igrf14,
        Some("wmmhr2025") => BuiltinModel::Wmmhr2025,
        _ => BuiltinModel::Wmm2025,
    }
    .model();
    (points, model)
}

/// `count` points uniform on the sphere at heights of 0–10 km, as the
/// bench's are, from a fixed sequence (a 64-bit LCG): the same every run.
pub fn positions(count: usize) -> Vec<Position> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..count)
        .map(|_| {
            let latitude = (2.0 * next() - 1.0).asin().to_degrees();
            Position::geodetic(latitude, 360.0 * next() - 180.0, 10.0 * next())
                .expect("a position in range")
        })
        .collect()
}
