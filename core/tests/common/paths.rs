//! Each SIMD path's fast paths against the scalar reference synthesis:
//! the test files `portable_simd.rs`, `avx2_simd.rs` and `avx512_simd.rs`
//! each force one path with `MAGVAR_SIMD` (read once per process, hence a
//! test binary each).

use super::{assert_same, unit_numbers};
use magvar_core::{BuiltinModel, Evaluator, GridSpec, Position, SimdPath, simd_path};

/// Forces `path` for this process; false (with a line saying so) when the
/// CPU cannot run it, and the kernels then run on the best it can. With
/// `MAGVAR_TEST_EVERY_PATH=1` (a machine known to have every path), a
/// missing path fails instead.
pub fn force(path: SimdPath) -> bool {
    // SAFETY: called first thing in the test binary's only test, before
    // any thread of this process reads the environment.
    unsafe { std::env::set_var("MAGVAR_SIMD", path.name()) };
    if !path.is_supported() {
        assert!(
            std::env::var_os("MAGVAR_TEST_EVERY_PATH").is_none(),
            "MAGVAR_TEST_EVERY_PATH is set, but this CPU cannot run the {path} path"
        );
        eprintln!("this CPU cannot run the {path} path: nothing to compare");
        return false;
    }
    assert_eq!(simd_path(), path, "MAGVAR_SIMD={path} is the path taken");
    true
}

/// Grids (even and odd column counts, and one large enough for streaming
/// stores), batches, one point a call and points each on its own date, on
/// the forced path, equal the scalar reference synthesis
/// (`Evaluator::elements_reference`), quantity by quantity.
pub fn fast_paths_equal_the_reference() {
    for builtin in [BuiltinModel::Wmm2025, BuiltinModel::Igrf14] {
        let model = builtin.model();
        let mut evaluator = Evaluator::new(model);
        let name = model.name();
        // 36 and 37 columns: rows with and without a centre column.
        for spec in [
            GridSpec::new(-180.0, -90.0, 170.0, 90.0, 10.0).unwrap(),
            GridSpec::new(-180.0, -90.0, 180.0, 90.0, 10.0).unwrap(),
        ] {
            let grid = model.grid(&spec, 5.0, 2027.4);
            for (row, &lat) in grid.latitudes_deg.iter().enumerate() {
                for (column, &lon) in grid.longitudes_deg.iter().enumerate() {
                    let position = Position::geodetic(lat, lon, 5.0).unwrap();
                    let reference = evaluator.elements_reference(&position, 2027.4);
                    assert_same(
                        &grid.at(row, column),
                        &reference,
                        &format!("{name} grid {lat},{lon}"),
                    );
                }
            }
        }
        // Random points, a fifth of them geocentric, each on its own date.
        let mut next = unit_numbers(0x5EED_51AD);
        let points: Vec<Position> = (0..203)
            .map(|i| {
                let lat = 180.0 * next() - 90.0;
                let lon = 360.0 * next() - 180.0;
                if i % 5 == 0 {
                    Position::geocentric(lat, lon, 6371.2 + 50.0 * next()).unwrap()
                } else {
                    Position::geodetic(lat, lon, 10.0 * next()).unwrap()
                }
            })
            .collect();
        let years: Vec<f64> = (0..points.len()).map(|_| 2025.0 + 4.9 * next()).collect();
        let batch = model.elements_at_points(&points, 2027.4);
        let mut dated = Vec::new();
        evaluator.elements_many_dated(&points, &years, &mut dated);
        for (i, position) in points.iter().enumerate() {
            let reference = evaluator.elements_reference(position, 2027.4);
            assert_same(&batch[i], &reference, &format!("{name} batch {position:?}"));
            let single = evaluator.elements(position, 2027.4);
            assert_same(&single, &reference, &format!("{name} single {position:?}"));
            let reference = evaluator.elements_reference(position, years[i]);
            let at = format!("{name} dated {position:?} {}", years[i]);
            assert_same(&dated[i], &reference, &at);
        }
    }
    // Past the streaming threshold (32 MiB of bands): 901 × 451 nodes;
    // 901 columns put successive rows at every offset within a line.
    let model = BuiltinModel::Wmm2025.model();
    let mut evaluator = Evaluator::new(model);
    let grid = model.grid(&GridSpec::global(0.4).unwrap(), 0.0, 2026.3);
    for row in (0..grid.latitudes_deg.len())
        .step_by(37)
        .chain([1, 2, 3, 4, 5, 6, 7])
    {
        let lat = grid.latitudes_deg[row];
        for column in [0, 1, 2, 7, 8, 9, 449, 450, 451, 452, 892, 893, 899, 900] {
            let lon = grid.longitudes_deg[column];
            let position = Position::geodetic(lat, lon, 0.0).unwrap();
            let reference = evaluator.elements_reference(&position, 2026.3);
            assert_same(
                &grid.at(row, column),
                &reference,
                &format!("streamed {lat},{lon}"),
            );
        }
    }
}
