//! The portable (non-SIMD) build of the fast paths, forced with
//! `MAGVAR_SIMD=portable` on this machine whatever its CPU, equals the
//! reference single-point path. Its own test binary: the variable is read
//! once per process.

use magvar_core::{BuiltinModel, DatePolicy, GridSpec, Position};

#[test]
fn portable_batches_and_grids_equal_the_point_path() {
    // SAFETY: set before any thread of this process reads the environment.
    unsafe { std::env::set_var("MAGVAR_SIMD", "portable") };
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
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
                let cell = grid.at(row, column);
                for (a, b) in [
                    (cell.declination_deg, reference.declination_deg),
                    (cell.inclination_deg, reference.inclination_deg),
                    (cell.total_nt, reference.total_nt),
                    (cell.north_nt_per_year, reference.north_nt_per_year),
                    (
                        cell.declination_deg_per_year,
                        reference.declination_deg_per_year,
                    ),
                ] {
                    assert!(close(a, b), "{} grid {lat},{lon}: {a} vs {b}", model.name());
                }
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
            for got in [batch, single, dated] {
                for (a, b) in [
                    (got.declination_deg, reference.declination_deg),
                    (got.inclination_deg, reference.inclination_deg),
                    (got.horizontal_nt, reference.horizontal_nt),
                    (got.down_nt_per_year, reference.down_nt_per_year),
                    (
                        got.inclination_deg_per_year,
                        reference.inclination_deg_per_year,
                    ),
                ] {
                    assert!(
                        close(a, b),
                        "{} batch {position:?}: {a} vs {b}",
                        model.name()
                    );
                }
            }
        }
    }
}
