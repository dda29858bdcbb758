//! Properties that must hold everywhere, on pseudo-random points, and the
//! agreement of the three published IGRF-14 formats.

use magvar_core::formats::load_model_file;
use magvar_core::{BuiltinModel, DatePolicy, Evaluator, MagneticElements, MagneticModel, Position};
use std::path::Path;

mod common;
use rand::Rng;

fn elements(model: &MagneticModel, lat: f64, lon: f64, alt: f64, year: f64) -> MagneticElements {
    let position = Position::geodetic(lat, lon, alt).unwrap();
    model
        .field(&position, year, DatePolicy::Extrapolate)
        .unwrap()
        .elements
}

#[test]
fn element_identities_on_random_points() {
    let mut rng = common::rng(7);
    for model in BuiltinModel::ALL.map(BuiltinModel::model) {
        let mut evaluator = Evaluator::new(model);
        for _ in 0..2000 {
            let position = Position::geodetic(
                rng.random_range(-90.0..90.0),
                rng.random_range(-180.0..180.0),
                rng.random_range(-1.0..1600.0),
            )
            .unwrap();
            let year = rng.random_range(model.valid_from_year()..model.valid_until_year());
            let e = evaluator.elements(&position, year);
            let close = |a: f64, b: f64, what: &str| {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "{what}: {a} vs {b}"
                )
            };
            close(
                e.horizontal_nt.powi(2),
                e.north_nt.powi(2) + e.east_nt.powi(2),
                "H²",
            );
            close(
                e.total_nt.powi(2),
                e.horizontal_nt.powi(2) + e.down_nt.powi(2),
                "F²",
            );
            close(
                e.declination_deg,
                e.east_nt.atan2(e.north_nt).to_degrees(),
                "D",
            );
            close(
                e.inclination_deg,
                e.down_nt.atan2(e.horizontal_nt).to_degrees(),
                "I",
            );
            for v in [
                e.declination_deg_per_year,
                e.inclination_deg_per_year,
                e.total_nt_per_year,
                e.horizontal_nt_per_year,
            ] {
                assert!(v.is_finite());
            }
        }
    }
}

#[test]
fn rates_are_time_derivatives() {
    // Central differences inside one IGRF segment and for WMM equal the
    // analytic rates, since coefficients are linear in time.
    let mut rng = common::rng(11);
    for (model, year) in [
        (BuiltinModel::Igrf14.model(), 1987.3),
        (BuiltinModel::Wmm2025.model(), 2027.2),
    ] {
        for _ in 0..200 {
            let (lat, lon, alt) = (
                rng.random_range(-85.0..85.0),
                rng.random_range(-180.0..180.0),
                rng.random_range(0.0..1000.0),
            );
            let step = 1e-3;
            let before = elements(model, lat, lon, alt, year - step);
            let after = elements(model, lat, lon, alt, year + step);
            let e = elements(model, lat, lon, alt, year);
            let check = |rate: f64, a: f64, b: f64, scale: f64| {
                let numeric = (b - a) / (2.0 * step);
                assert!(
                    (numeric - rate).abs() < 1e-4 * scale,
                    "{numeric} vs {rate} at {lat},{lon}"
                );
            };
            check(e.north_nt_per_year, before.north_nt, after.north_nt, 100.0);
            check(e.total_nt_per_year, before.total_nt, after.total_nt, 100.0);
            check(
                e.horizontal_nt_per_year,
                before.horizontal_nt,
                after.horizontal_nt,
                100.0,
            );
            check(
                e.declination_deg_per_year,
                before.declination_deg,
                after.declination_deg,
                1.0,
            );
            check(
                e.inclination_deg_per_year,
                before.inclination_deg,
                after.inclination_deg,
                1.0,
            );
        }
    }
}

#[test]
fn continuous_across_the_antimeridian() {
    let model = BuiltinModel::Wmm2025.model();
    for lat in [-70.0, -20.0, 0.0, 33.3, 65.0] {
        let east = elements(model, lat, 179.999_999, 0.0, 2026.0);
        let west = elements(model, lat, -179.999_999, 0.0, 2026.0);
        let wrapped = elements(model, lat, 180.000_001 + 0.0, 0.0, 2026.0);
        for (a, b) in [(east, west), (east, wrapped)] {
            assert!((a.north_nt - b.north_nt).abs() < 1e-2);
            assert!((a.east_nt - b.east_nt).abs() < 1e-2);
            assert!((a.declination_deg - b.declination_deg).abs() < 1e-5);
        }
    }
}

#[test]
fn finite_at_the_poles_and_taken_along_the_given_meridian() {
    for model in BuiltinModel::ALL.map(BuiltinModel::model) {
        for lat in [90.0, -90.0] {
            for lon in [-135.0, 0.0, 60.0] {
                let at_pole = elements(model, lat, lon, 0.0, 2026.0);
                let values = [
                    at_pole.north_nt,
                    at_pole.east_nt,
                    at_pole.down_nt,
                    at_pole.declination_deg,
                    at_pole.declination_deg_per_year,
                ];
                assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
                // The limit along the meridian: a point 1e-7° away agrees.
                let near = elements(model, lat - lat.signum() * 1e-7, lon, 0.0, 2026.0);
                assert!(
                    (at_pole.north_nt - near.north_nt).abs() < 0.01,
                    "{} vs {}",
                    at_pole.north_nt,
                    near.north_nt
                );
                assert!((at_pole.east_nt - near.east_nt).abs() < 0.01);
                assert!((at_pole.declination_deg - near.declination_deg).abs() < 1e-4);
            }
        }
    }
}

#[test]
fn finite_next_to_the_dip_poles_with_blackout_warning() {
    // WMM2025 north dip pole near 85.8°N 139.3°E in 2025 (WMM2025 report):
    // scan around it for the smallest H; everything stays finite.
    let model = BuiltinModel::Wmm2025.model();
    let mut smallest = f64::INFINITY;
    for i in 0..60 {
        for j in 0..60 {
            let (lat, lon) = (84.0 + i as f64 * 0.1, 125.0 + j as f64 * 0.5);
            let position = Position::geodetic(lat, lon, 0.0).unwrap();
            let report = model.field(&position, 2025.0, DatePolicy::Strict).unwrap();
            let e = report.elements;
            assert!(e.declination_deg.is_finite() && e.declination_deg_per_year.is_finite());
            smallest = smallest.min(e.horizontal_nt);
            if e.horizontal_nt < 2000.0 {
                assert!(
                    report
                        .warnings
                        .iter()
                        .any(|w| w.to_string().starts_with("blackout zone"))
                );
            }
        }
    }
    assert!(
        smallest < 200.0,
        "the scan should pass close to the dip pole, smallest H {smallest}"
    );
}

#[test]
fn geodetic_equals_geocentric_rotated() {
    // The same physical point given both ways: geocentric components rotated
    // by ψ = geodetic − geocentric latitude give the geodetic ones.
    let model = BuiltinModel::Igrf14.model();
    let mut rng = common::rng(3);
    for _ in 0..100 {
        let (lat, lon, h) = (
            rng.random_range(-89.0..89.0),
            rng.random_range(-180.0..180.0),
            rng.random_range(0.0..1600.0),
        );
        let geodetic = Position::geodetic(lat, lon, h).unwrap();
        let point = geodetic.spherical_point();
        let geocentric_lat = point
            .cos_colatitude
            .atan2(point.sin_colatitude)
            .to_degrees();
        let geocentric = Position::geocentric(geocentric_lat, lon, point.radius_km).unwrap();
        let a = model
            .field(&geodetic, 2010.0, DatePolicy::Strict)
            .unwrap()
            .elements;
        let b = model
            .field(&geocentric, 2010.0, DatePolicy::Strict)
            .unwrap()
            .elements;
        let psi = point.sin_psi.atan2(point.cos_psi);
        let north = b.north_nt * psi.cos() + b.down_nt * psi.sin();
        assert!((a.north_nt - north).abs() < 1e-6);
        assert!((a.total_nt - b.total_nt).abs() < 1e-6);
        assert!((a.east_nt - b.east_nt).abs() < 1e-6);
        let down = b.down_nt * psi.cos() - b.north_nt * psi.sin();
        assert!((a.down_nt - down).abs() < 1e-6);
    }
}

#[test]
fn the_three_published_igrf14_formats_agree_with_the_builtin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data");
    let builtin = BuiltinModel::Igrf14.model();
    let shc = load_model_file(&root.join("IGRF14.shc")).unwrap();
    let cof = load_model_file(&root.join("IGRF14_sv.COF")).unwrap();
    let table = load_model_file(&root.join("igrf14coeffs.txt")).unwrap();
    assert_eq!(table.name(), "IGRF-14");
    let mut rng = common::rng(5);
    for _ in 0..300 {
        let (lat, lon, alt) = (
            rng.random_range(-90.0..90.0),
            rng.random_range(-180.0..180.0),
            rng.random_range(0.0..600.0),
        );
        let year = rng.random_range(1900.0..2030.0);
        let reference = elements(builtin, lat, lon, alt, year);
        for other in [&shc, &cof, &table] {
            let e = elements(other, lat, lon, alt, year);
            assert!(
                (e.total_nt - reference.total_nt).abs() < 1e-6,
                "{} at {year}",
                other.name()
            );
            assert!((e.declination_deg - reference.declination_deg).abs() < 1e-8);
            assert!((e.total_nt_per_year - reference.total_nt_per_year).abs() < 1e-6);
        }
    }
}

#[test]
fn dates_outside_validity_name_the_range() {
    let model = BuiltinModel::Wmm2025.model();
    let position = Position::geodetic(0.0, 0.0, 0.0).unwrap();
    let error = model
        .field(&position, 2031.0, DatePolicy::Strict)
        .unwrap_err();
    assert!(
        error.to_string().contains("WMM2025 is valid 2025.0–2030.0"),
        "{error}"
    );
    let report = model
        .field(&position, 2031.0, DatePolicy::Extrapolate)
        .unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.to_string().contains("extrapolated"))
    );
    let high = Position::geodetic(0.0, 0.0, 1600.0).unwrap();
    let report = model.field(&high, 2026.0, DatePolicy::Strict).unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.to_string().contains("outside WMM2025's stated range"))
    );
}

/// A report written over another (`report_into`, as batches do to avoid an
/// allocation a row) reads as the report made fresh: model name, position,
/// elements and every warning — date, altitude, blackout and caution.
#[test]
fn a_report_written_over_equals_a_fresh_one() {
    let wmm = BuiltinModel::Wmm2025.model();
    let igrf = BuiltinModel::Igrf14.model();
    let cases = [
        (&wmm, 36.85, -76.29, 0.0, 2026.5),
        (&wmm, 86.5, 150.0, 0.0, 2026.5), // blackout zone near the pole
        (&wmm, -65.8, 125.1, 7.6, 2030.5), // date extrapolated, caution zone
        (&igrf, 10.0, 10.0, 2000.0, 1990.25), // above the altitude range
        (&wmm, 0.0, 0.0, 0.0, 2026.0),
    ];
    let mut reused = wmm
        .field(
            &Position::geodetic(-5.0, 5.0, 5.0).unwrap(),
            2027.0,
            DatePolicy::Strict,
        )
        .unwrap();
    let mut kinds = std::collections::HashSet::new();
    for (model, lat, lon, alt, year) in cases {
        let position = Position::geodetic(lat, lon, alt).unwrap();
        let fresh = model
            .field(&position, year, DatePolicy::Extrapolate)
            .unwrap();
        let date_warning = model.check_date(year, DatePolicy::Extrapolate).unwrap();
        // The elements `field` reports (one point, orders across lanes).
        let elements = model.elements_at(&position, year);
        model.report_into(
            &mut reused,
            &position,
            year,
            elements,
            date_warning.as_ref(),
        );
        assert_eq!(format!("{reused:?}"), format!("{fresh:?}"), "{lat},{lon}");
        kinds.extend(fresh.warnings.iter().map(std::mem::discriminant));
    }
    assert_eq!(kinds.len(), 4, "every kind of warning was written over");
}

/// Full reports of a batch are the reports of its points one by one.
#[test]
fn batch_reports_equal_point_reports() {
    let model = BuiltinModel::Wmm2025.model();
    let mut rng = common::rng(7);
    let positions: Vec<Position> = (0..37)
        .map(|_| {
            let (lat, lon) = (
                rng.random_range(-90.0..90.0),
                rng.random_range(-180.0..180.0),
            );
            Position::geodetic(lat, lon, rng.random_range(0.0..10.0)).unwrap()
        })
        .collect();
    let reports = Evaluator::new(model)
        .reports_many(&positions, 2029.9, DatePolicy::Strict)
        .unwrap();
    assert_eq!(reports.len(), positions.len());
    for (position, report) in positions.iter().zip(&reports) {
        let single = model.field(position, 2029.9, DatePolicy::Strict).unwrap();
        assert_eq!(report.model, single.model);
        assert_eq!(report.warnings.len(), single.warnings.len());
        let (a, b) = (report.elements, single.elements);
        assert!((a.declination_deg - b.declination_deg).abs() < 1e-9);
        assert!((a.total_nt - b.total_nt).abs() < 1e-6 * b.total_nt);
    }
    assert!(
        Evaluator::new(model)
            .reports_many(&positions, 2035.0, DatePolicy::Strict)
            .is_err()
    );
}

/// A definition built in code is checked as files are: epochs must be
/// finite years in increasing order (the segment search relies on it).
#[test]
fn model_definitions_with_bad_epochs_are_rejected() {
    let good = magvar_core::BuiltinModel::Igrf14.table().definition();
    let mut not_finite = good.clone();
    not_finite.epochs[3].0 = f64::NAN;
    let error = MagneticModel::new(not_finite).unwrap_err().to_string();
    assert!(error.contains("epoch NaN is not a finite year"), "{error}");
    let mut out_of_order = good.clone();
    out_of_order.epochs.swap(2, 5);
    let error = MagneticModel::new(out_of_order).unwrap_err().to_string();
    assert!(error.contains("increasing order"), "{error}");
    assert!(MagneticModel::new(good).is_ok());
}

/// A model above [`MAX_DEGREE`] is refused with the limit named, from a
/// file (with its line) and from a definition built in code; a model at
/// the limit gives finite values next to both poles, on every path.
#[test]
fn degrees_above_the_limit_are_refused_and_the_limit_is_finite_everywhere() {
    use magvar_core::formats::parse_definition;
    use magvar_core::{GaussCoefficients, GridSpec, MAX_DEGREE, ModelDefinition, Quantity};
    let file = format!(
        "    2025.0            TEST        11/13/2024\n  1  0  -29351.8       0.0       12.0        0.0\n{:>3} {:>2}       1.0       0.0        0.0        0.0\n",
        MAX_DEGREE + 1,
        0
    );
    let error = parse_definition(&file, "big.COF", "big")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("big.COF")
            && error.contains(&format!("degree {} is above {MAX_DEGREE}", MAX_DEGREE + 1)),
        "{error}"
    );
    let definition = |degree: usize| {
        let mut main = GaussCoefficients::zeros(degree);
        let mut secular = GaussCoefficients::zeros(degree);
        for n in 1..=degree {
            for m in 0..=n {
                // A spectrum that falls off as a real field's does.
                main.set_g(n, m, 3e4 / (n * n) as f64);
                secular.set_g(n, m, 1e-3);
                if m > 0 {
                    main.set_h(n, m, 1e4 / (n * n) as f64);
                }
            }
        }
        ModelDefinition {
            name: format!("degree {degree}"),
            source: "test".into(),
            reference_radius_km: 6371.2,
            epochs: vec![(2020.0, main)],
            final_secular_variation: secular,
            valid_years: (2020.0, 2025.0),
            altitude_range_km: None,
        }
    };
    let error = MagneticModel::new(definition(MAX_DEGREE + 1))
        .unwrap_err()
        .to_string();
    assert!(error.contains(&format!("above {MAX_DEGREE}")), "{error}");
    let model = MagneticModel::new(definition(MAX_DEGREE)).unwrap();
    let finite = |e: &MagneticElements| {
        Quantity::FIELD
            .iter()
            .all(|q| q.get(e).is_none_or(f64::is_finite))
    };
    let mut evaluator = Evaluator::new(&model);
    // Where the sinᵐθ factor underflows (within about 70° of the
    // equator at this degree) and at the poles; below the ellipsoid too.
    for (lat, alt) in [
        (90.0, 0.0),
        (89.99, -10.0),
        (75.0, -10.0),
        (70.0, 0.0),
        (-72.5, 0.0),
    ] {
        let position = Position::geodetic(lat, 10.0, alt).unwrap();
        let reference = evaluator.elements_reference(&position, 2021.0);
        let lanes = evaluator.elements(&position, 2021.0);
        assert!(
            finite(&reference) && finite(&lanes),
            "{lat}° {reference:?} {lanes:?}"
        );
    }
    let spec = GridSpec::new(0.0, 70.0, 1.0, 90.0, 10.0).unwrap();
    let grid = model.grid(&spec, -10.0, 2021.0);
    for row in 0..grid.latitudes_deg.len() {
        assert!(finite(&grid.at(row, 0)), "grid row {row}");
    }
}
