//! The fast paths (grids, point batches) equal the reference single-point
//! path: on random points, at the poles, on the antimeridian, on grid edges.

mod common;

use common::{assert_same, unit_numbers};
use magvar_core::{BuiltinModel, GridSpec, MagneticElements, Position, Quantity};

/// The plain scalar synthesis at one point: the reference.
fn reference(
    model: &magvar_core::MagneticModel,
    position: &Position,
    year: f64,
) -> MagneticElements {
    magvar_core::Evaluator::new(model).elements_reference(position, year)
}

#[test]
fn grid_equals_points_including_poles_antimeridian_and_edges() {
    for builtin in BuiltinModel::ALL {
        let model = builtin.model();
        let step = if builtin == BuiltinModel::Wmmhr2025 {
            15.0
        } else {
            7.5
        };
        let spec = GridSpec::global(step).unwrap();
        let grid = model.grid(&spec, 12.5, 2026.3);
        assert_eq!(grid.latitudes_deg.first(), Some(&90.0));
        assert_eq!(grid.latitudes_deg.last(), Some(&-90.0));
        assert_eq!(grid.longitudes_deg.first(), Some(&-180.0));
        assert_eq!(grid.longitudes_deg.last(), Some(&180.0));
        for (row, &lat) in grid.latitudes_deg.iter().enumerate() {
            for (column, &lon) in grid.longitudes_deg.iter().enumerate() {
                let position = Position::geodetic(lat, lon, 12.5).unwrap();
                let reference = reference(model, &position, 2026.3);
                assert_same(
                    &grid.at(row, column),
                    &reference,
                    &format!("{} {lat},{lon}", model.name()),
                );
            }
        }
    }
}

#[test]
fn bounding_box_grid_and_point_batch() {
    let model = BuiltinModel::Igrf14.model();
    let spec = GridSpec::new(170.0, -10.0, 190.0, 10.0, 2.5).unwrap();
    let grid = model.grid(&spec, 0.0, 1955.5);
    assert_eq!(grid.longitudes_deg.len(), 9);
    let positions: Vec<Position> = grid
        .latitudes_deg
        .iter()
        .flat_map(|&lat| {
            grid.longitudes_deg
                .iter()
                .map(move |&lon| Position::geodetic(lat, lon, 0.0).unwrap())
        })
        .collect();
    let batch = model.elements_at_points(&positions, 1955.5);
    let columns = grid.longitudes_deg.len();
    for (i, b) in batch.iter().enumerate() {
        assert_same(&grid.at(i / columns, i % columns), b, &format!("point {i}"));
    }
    // 190°E is 170°W: the same field either way.
    let west = reference(
        model,
        &Position::geodetic(0.0, -170.0, 0.0).unwrap(),
        1955.5,
    );
    assert_same(&grid.at(4, 8), &west, "190E");
}

/// Rows are summed about their centre longitude, two points per pass:
/// rows with an even number of columns have no node at the centre, rows
/// of one or two columns hardly any offsets. A reused grid takes each new
/// shape.
#[test]
fn even_odd_and_tiny_rows_and_reused_grids() {
    let model = BuiltinModel::Wmm2025.model();
    let mut grid = magvar_core::Grid::default();
    let specs = [
        (-30.0, 50.0, 12.0, 80.0, 3.0),   // 15 columns
        (-30.0, -80.0, 15.0, -40.0, 3.0), // 16 columns, south of −55° too
        (100.0, 0.0, 100.0, 2.0, 1.0),    // 1 column
        (100.0, 0.0, 101.0, 2.0, 1.0),    // 2 columns
        (-179.0, 60.0, 179.0, 61.0, 0.5), // 717 columns
    ];
    for (west, south, east, north, step) in specs {
        let spec = GridSpec::new(west, south, east, north, step).unwrap();
        model.grid_into(&mut grid, &spec, 3.0, 2027.1);
        let columns = grid.longitudes_deg.len();
        assert_eq!(columns, spec.longitude_count());
        for (row, &lat) in grid.latitudes_deg.iter().enumerate() {
            for (column, &lon) in grid.longitudes_deg.iter().enumerate() {
                let position = Position::geodetic(lat, lon, 3.0).unwrap();
                let reference = reference(model, &position, 2027.1);
                let at = format!("{lat},{lon} in a {columns}-column grid");
                assert_same(&grid.at(row, column), &reference, &at);
                let gv = grid.value(row, column, magvar_core::Element::GridVariation);
                match (gv, reference.grid_variation_deg) {
                    (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{at}: GV {a} vs {b}"),
                    (None, None) => {}
                    other => panic!("{at}: grid variation {other:?}"),
                }
            }
        }
    }
}

#[test]
fn grid_specs_are_checked() {
    assert!(GridSpec::new(0.0, 10.0, 10.0, 0.0, 1.0).is_err());
    assert!(GridSpec::global(0.0).is_err());
    assert!(GridSpec::global(-1.0).is_err());
    assert!(GridSpec::global(0.0001).is_err());
    assert_eq!(GridSpec::global(0.25).unwrap().longitude_count(), 1441);
    assert_eq!(GridSpec::global(0.25).unwrap().latitude_count(), 721);
}

#[test]
fn lane_batches_equal_points_on_random_points_and_poles() {
    let mut next = unit_numbers(42);
    for builtin in BuiltinModel::ALL {
        let model = builtin.model();
        let mut positions: Vec<Position> = (0..203)
            .map(|_| {
                Position::geodetic(
                    180.0 * next() - 90.0,
                    360.0 * next() - 180.0,
                    1600.0 * next(),
                )
                .unwrap()
            })
            .collect();
        for (lat, lon) in [
            (90.0, 0.0),
            (-90.0, 45.0),
            (0.0, 180.0),
            (0.0, -180.0),
            (89.999_999, 10.0),
        ] {
            positions.push(Position::geodetic(lat, lon, 0.0).unwrap());
        }
        positions.push(Position::geocentric(45.0, 10.0, 7000.0).unwrap());
        let mut evaluator = magvar_core::Evaluator::new(model);
        let mut batch = Vec::new();
        evaluator.elements_many(&positions, 2027.7, &mut batch);
        assert_eq!(batch.len(), positions.len());
        let parallel = model.elements_at_points(&positions, 2027.7);
        for (i, position) in positions.iter().enumerate() {
            let reference = evaluator.elements_reference(position, 2027.7);
            assert_same(
                &batch[i],
                &reference,
                &format!("{} point {i} {position:?}", model.name()),
            );
            assert_same(&parallel[i], &reference, &format!("parallel point {i}"));
        }
    }
}

/// On the dip equator Z is near zero, so the absolute tolerance of 1e-9 nT
/// holds the fast path's sums to the reference's rounding: any
/// cancellation in them shows here first (found by bisection on Z).
#[test]
fn lane_batches_equal_points_on_the_dip_equator() {
    for builtin in BuiltinModel::ALL {
        let model = builtin.model();
        let year = 2026.0;
        let mut evaluator = magvar_core::Evaluator::new(model);
        let mut down = |lat: f64, lon: f64| {
            evaluator
                .elements_reference(&Position::geodetic(lat, lon, 0.0).unwrap(), year)
                .down_nt
        };
        let positions: Vec<Position> = (0..180)
            .map(|k| {
                let lon = -180.0 + 2.0 * k as f64 + 0.123;
                let (mut south, mut north) = (-40.0, 40.0);
                let south_sign = down(south, lon) > 0.0;
                for _ in 0..36 {
                    let middle = 0.5 * (south + north);
                    if (down(middle, lon) > 0.0) == south_sign {
                        south = middle;
                    } else {
                        north = middle;
                    }
                }
                Position::geodetic(0.5 * (south + north), lon, 0.0).unwrap()
            })
            .collect();
        let mut evaluator = magvar_core::Evaluator::new(model);
        let mut batch = Vec::new();
        evaluator.elements_many(&positions, year, &mut batch);
        for (position, elements) in positions.iter().zip(&batch) {
            let reference = evaluator.elements_reference(position, year);
            assert!(
                reference.down_nt.abs() < 1.0,
                "{position:?} is on the dip equator"
            );
            // Both paths round differently at the level of 1e-11 nT; a sum
            // that cancels (as running sums of the n-weighted terms did,
            // 1e-9 nT at degree 133) shows as far more.
            assert!(
                (elements.down_nt - reference.down_nt).abs() <= 2e-10,
                "{} {position:?}: Z {} vs {}",
                model.name(),
                elements.down_nt,
                reference.down_nt
            );
            assert_same(
                elements,
                &reference,
                &format!("{} {position:?}", model.name()),
            );
        }
    }
}

/// Points each on its own date — a track — equal the reference path at
/// their dates: across IGRF's five-year segments, in and out of order,
/// and extrapolated before the first epoch and after the last; so do
/// single points (`Evaluator::elements`).
#[test]
fn lane_batches_of_dated_points_equal_points_at_their_dates() {
    let mut next = unit_numbers(99);
    for builtin in BuiltinModel::ALL {
        let model = builtin.model();
        let (from, until) = (
            model.valid_from_year() - 3.0,
            model.valid_until_year() + 2.0,
        );
        let mut positions = Vec::new();
        let mut years = Vec::new();
        // A sorted track, then the same points shuffled in time.
        for i in 0..300 {
            positions.push(
                Position::geodetic(170.0 * next() - 85.0, 360.0 * next() - 180.0, 20.0 * next())
                    .unwrap(),
            );
            years.push(from + (until - from) * i as f64 / 299.0);
        }
        for i in 0..101 {
            positions.push(positions[i * 2]);
            years.push(from + (until - from) * next());
        }
        for (position, year) in [
            (Position::geodetic(90.0, 0.0, 0.0).unwrap(), until),
            (Position::geodetic(-90.0, 120.0, 30.0).unwrap(), from),
            (Position::geocentric(-33.0, 151.0, 6900.0).unwrap(), 2020.0),
            (
                Position::geocentric(61.0, -150.0, 42_164.0).unwrap(),
                2025.0,
            ),
        ] {
            positions.push(position);
            years.push(year);
        }
        let mut evaluator = magvar_core::Evaluator::new(model);
        let mut batch = Vec::new();
        evaluator.elements_many_dated(&positions, &years, &mut batch);
        assert_eq!(batch.len(), positions.len());
        for (i, (position, &year)) in positions.iter().zip(&years).enumerate() {
            let reference = evaluator.elements_reference(position, year);
            assert_same(
                &batch[i],
                &reference,
                &format!("{} point {i} on {year} {position:?}", model.name()),
            );
            // One point a call (`magvar at`, series) takes the same path.
            assert_same(
                &evaluator.elements(position, year),
                &reference,
                &format!("{} single point {i} on {year}", model.name()),
            );
        }
    }
}

/// A grid of some elements holds exactly the full grid's values of them.
#[test]
fn grids_of_some_elements_equal_the_full_grid() {
    use magvar_core::Element;
    let model = BuiltinModel::Igrf14.model();
    let spec = GridSpec::new(-40.0, 50.0, 60.0, 80.0, 2.0).unwrap();
    let full = model.grid(&spec, 1.0, 1987.2);
    let some = model.grid_of(
        &spec,
        1.0,
        1987.2,
        &[Element::Declination, Element::GridVariation],
    );
    assert_eq!(some.len(), full.len());
    for element in [Element::Declination, Element::GridVariation] {
        let (a, b) = (some.values(element), full.values(element));
        assert!(
            a.iter()
                .zip(b)
                .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
        );
    }
    assert!(some.rates(Element::Declination).is_none());
    assert!(full.rates(Element::Declination).is_some());
}

#[test]
#[should_panic(expected = "this grid was made without total")]
fn an_element_left_out_of_a_grid_is_named() {
    let model = BuiltinModel::Wmm2025.model();
    let spec = GridSpec::new(0.0, 0.0, 4.0, 4.0, 1.0).unwrap();
    let grid = model.grid_of(&spec, 0.0, 2026.0, &[magvar_core::Element::Declination]);
    grid.values(magvar_core::Element::Total);
}

/// A grid larger than the cache is written with non-temporal stores
/// (`simd::StreamingCopies`): its values must land exactly where a small
/// grid's plain copies put them, on rows of every alignment.
#[test]
fn a_grid_larger_than_the_cache_equals_points() {
    let model = BuiltinModel::Wmm2025.model();
    // 15 bands of 1441 × 721 nodes: 125 MB, past the streaming threshold;
    // 1441 columns put successive rows at every 8-byte offset mod 32.
    let spec = GridSpec::global(0.25).unwrap();
    let grid = model.grid(&spec, 0.0, 2026.3);
    let columns = grid.longitudes_deg.len();
    let mut checked = 0;
    for row in (0..grid.latitudes_deg.len()).step_by(61).chain([1, 2, 3]) {
        let lat = grid.latitudes_deg[row];
        // Both ends, the centre, and columns either side of the centre.
        for column in [0, 1, 2, 3, 5, 719, 720, 721, 722, 1437, 1438, 1439, 1440] {
            let lon = grid.longitudes_deg[column];
            let position = Position::geodetic(lat, lon, 0.0).unwrap();
            let reference = reference(model, &position, 2026.3);
            assert_same(&grid.at(row, column), &reference, &format!("{lat},{lon}"));
            checked += 1;
        }
    }
    assert!(checked > 100 && columns == 1441);
}

/// The comparisons above would catch any two quantities swapped on a fast
/// path (two bands of a grid, two fields of a batch): at the points they
/// compare, every quantity differs from every other somewhere by far more
/// than the tolerance.
#[test]
fn every_quantity_differs_from_every_other_at_the_compared_points() {
    let model = BuiltinModel::Wmm2025.model();
    let spec = GridSpec::new(-30.0, 50.0, 12.0, 80.0, 3.0).unwrap();
    let grid = model.grid(&spec, 3.0, 2027.1);
    let nodes: Vec<MagneticElements> = (0..grid.latitudes_deg.len())
        .flat_map(|row| (0..grid.longitudes_deg.len()).map(move |column| (row, column)))
        .map(|(row, column)| grid.at(row, column))
        .collect();
    for a in Quantity::FIELD {
        for b in Quantity::FIELD.into_iter().filter(|&b| b != a) {
            let differ = nodes.iter().any(|e| match (a.get(e), b.get(e)) {
                (Some(x), Some(y)) => (x - y).abs() > 1e-6 * x.abs().max(1.0),
                (x, y) => x.is_some() != y.is_some(),
            });
            assert!(differ, "{a:?} and {b:?} could be swapped unseen");
        }
    }
}
