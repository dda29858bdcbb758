//! Each SIMD path's fast paths against the reference single-point path:
//! the test files `portable_simd.rs`, `avx2_simd.rs` and `avx512_simd.rs`
//! each force one path with `MAGVAR_SIMD` (read once per process, hence a
//! test binary each).

use super::assert_same;
use magvar_core::{BuiltinModel, DatePolicy, GridSpec, Position, SimdPath, simd_path};

/// Forces `path` for this process; false (with a line saying so) when the
/// CPU cannot run it, and the kernels then run on the best it can.
pub fn force(path: SimdPath) -> bool {
    // SAFETY: called first thing in the test binary's only test, before
    // any thread of this process reads the environment.
    unsafe { std::env::set_var("MAGVAR_SIMD", path.name()) };
    if !path.is_supported() {
        eprintln!("this CPU cannot run the {path} path: nothing to compare");
        return false;
    }
    assert_eq!(simd_path(), path, "MAGVAR_SIMD={path} is the path taken");
    true
}

/// Grids, batches, one point a call and dated points on the forced path
/// equal the reference single-point synthesis, quantity by quantity.
pub fn fast_paths_equal_the_point_path() {
    for builtin in [BuiltinModel::Wmm2025, BuiltinModel::Igrf14] {
        let model = builtin.model();
        let spec = GridSpec::new(-180.0, -90.0, 170.0, 90.0, 10.0).unwrap();
        let grid = model.grid(&spec, 5.0, 2027.4);
        let mut positions = Vec::new();
        for (row, &lat) in grid.latitudes_deg.iter().enumerate() {
            for (column, &lon) in grid.longitudes_deg.iter().enumerate() {
                let position = Position::geodetic(lat, lon, 5.0).unwrap();
                let reference = model
                    .field(&position, 2027.4, DatePolicy::Strict)
                    .unwrap()
                    .elements;
                let at = format!("{} grid {lat},{lon}", model.name());
                assert_same(&grid.at(row, column), &reference, &at);
                positions.push((position, reference));
            }
        }
        let points: Vec<Position> = positions.iter().map(|(p, _)| *p).collect();
        let batch = model.elements_at_points(&points, 2027.4);
        // One point a call, and points each on their own date.
        let mut evaluator = magvar_core::Evaluator::new(model);
        let single: Vec<_> = points
            .iter()
            .map(|p| evaluator.elements(p, 2027.4))
            .collect();
        let mut dated = Vec::new();
        evaluator.elements_many_dated(&points, &vec![2027.4; points.len()], &mut dated);
        let fast = batch.iter().zip(&single).zip(&dated);
        for ((position, reference), ((batch, single), dated)) in positions.iter().zip(fast) {
            for (path, got) in [("batch", batch), ("single", single), ("dated", dated)] {
                let at = format!("{} {path} {position:?}", model.name());
                assert_same(got, reference, &at);
            }
        }
    }
}
