//! Heights above mean sea level against NOAA's geomaglib, and the
//! published uncertainties against the `world_magnetic_model` crate.

mod common;

use magvar_core::geoid::geoid_height_m;
use magvar_core::{BuiltinModel, DatePolicy, Evaluator, HeightReference, Position, Quantity};
use rand::Rng;

/// EGM96 geoid heights equal NOAA's geomaglib 1.2.4
/// (`util.alt_to_ellipsoid_height`) to 1 mm on 1,000 points over the globe,
/// the poles and ±180° among them (reference/make_geoid_reference.py).
#[test]
fn geoid_heights_equal_geomaglib() {
    let text = include_str!("reference/geoid_geomaglib.csv");
    let mut compared = 0;
    let mut worst: f64 = 0.0;
    for line in text.lines().skip(1) {
        let values: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let [lat, lon, expected] = values[..] else {
            panic!("{line}")
        };
        let got = geoid_height_m(lat, lon);
        worst = worst.max((got - expected).abs());
        assert!(
            (got - expected).abs() < 1e-3,
            "{lat},{lon}: {got} vs {expected}"
        );
        compared += 1;
    }
    assert_eq!(compared, 1000);
    // The same arithmetic as geomaglib's: far below a millimetre.
    assert!(worst < 1e-9, "{worst}");
}

/// The field at a height above mean sea level is the field at the
/// corresponding height above the ellipsoid, on every path; the report
/// gives back the height as given, its reference and the geoid.
#[test]
fn the_field_at_an_msl_height_is_the_field_at_its_ellipsoidal_height() {
    let model = BuiltinModel::Wmm2025.model();
    let mut rng = common::rng(14);
    let mut evaluator = Evaluator::new(model);
    for _ in 0..200 {
        let (lat, lon) = (
            rng.random_range(-90.0..=90.0),
            rng.random_range(-180.0..180.0),
        );
        let altitude = rng.random_range(-0.4..12.0);
        let msl = Position::geodetic_msl(lat, lon, altitude).unwrap();
        let geoid = geoid_height_m(lat, lon);
        let ellipsoidal = Position::geodetic(lat, lon, altitude + geoid / 1000.0).unwrap();
        let report = model.field(&msl, 2027.3, DatePolicy::Strict).unwrap();
        let expected = model
            .field(&ellipsoidal, 2027.3, DatePolicy::Strict)
            .unwrap();
        assert_eq!(report.elements, expected.elements, "{lat},{lon}");
        assert_eq!(report.altitude_km, altitude);
        assert_eq!(report.height_reference, HeightReference::Msl);
        assert_eq!(report.geoid_height_m, Some(geoid));
        assert_eq!(expected.height_reference, HeightReference::Ellipsoid);
        assert_eq!(expected.geoid_height_m, None);
        // The lane kernel takes the same ellipsoidal height.
        common::assert_same(
            &evaluator.elements(&msl, 2027.3),
            &expected.elements,
            &format!("{lat},{lon}"),
        );
    }
}

/// The uncertainties equal those of the `world_magnetic_model` crate (the
/// same WMM2025 error model, computed in f32 from its own H) on random
/// points; IGRF-14 reports none.
#[test]
fn uncertainties_equal_world_magnetic_models() {
    use world_magnetic_model::GeomagneticField;
    use world_magnetic_model::time::Date;
    use world_magnetic_model::uom::si::angle::degree;
    use world_magnetic_model::uom::si::f32::{Angle, Length};
    use world_magnetic_model::uom::si::length::kilometer;
    use world_magnetic_model::uom::si::magnetic_flux_density::nanotesla;

    let model = BuiltinModel::Wmm2025.model();
    let mut rng = common::rng(2025);
    let mut near_pole = 0;
    for i in 0..2000 {
        // Every tenth point close to the north dip pole, where σ_D grows.
        let (lat, lon) = if i % 10 == 0 {
            (rng.random_range(84.0..87.5), rng.random_range(120.0..160.0))
        } else {
            (
                rng.random_range(-89.0..89.0),
                rng.random_range(-180.0..180.0),
            )
        };
        let altitude = rng.random_range(0.0..20.0);
        let day = rng.random_range(1..=365u16);
        let date = Date::from_ordinal_date(2026, day).unwrap();
        let year =
            magvar_core::decimal_year(2026, u32::from(date.month() as u8), u32::from(date.day()))
                .unwrap();
        let position = Position::geodetic(lat, lon, altitude).unwrap();
        let report = model.field(&position, year, DatePolicy::Strict).unwrap();
        let peer = GeomagneticField::new(
            Length::new::<kilometer>(altitude as f32),
            Angle::new::<degree>(lat as f32),
            Angle::new::<degree>(lon as f32),
            date,
        )
        .unwrap();
        let expected = [
            (
                Quantity::DeclinationUncertainty,
                f64::from(peer.declination_uncertainty().get::<degree>()),
            ),
            (
                Quantity::InclinationUncertainty,
                f64::from(peer.inclination_uncertainty().get::<degree>()),
            ),
            (
                Quantity::NorthUncertainty,
                f64::from(peer.x_uncertainty().get::<nanotesla>()),
            ),
            (
                Quantity::EastUncertainty,
                f64::from(peer.y_uncertainty().get::<nanotesla>()),
            ),
            (
                Quantity::DownUncertainty,
                f64::from(peer.z_uncertainty().get::<nanotesla>()),
            ),
            (
                Quantity::HorizontalUncertainty,
                f64::from(peer.h_uncertainty().get::<nanotesla>()),
            ),
            (
                Quantity::TotalUncertainty,
                f64::from(peer.f_uncertainty().get::<nanotesla>()),
            ),
        ];
        for (quantity, peer_value) in expected {
            let value = report.get(quantity).unwrap();
            // f32 and the peer's own H: agreement to f32 precision, and
            // within a part in 10⁴ where σ_D follows H near the dip pole.
            assert!(
                (value - peer_value).abs() <= 1e-4 * value.abs().max(1.0),
                "{lat},{lon}: {} {value} vs {peer_value}",
                quantity.key()
            );
        }
        if report.elements.horizontal_nt < 6000.0 {
            near_pole += 1;
        }
    }
    assert!(near_pole > 20, "{near_pole} points where H is weak");
    let igrf = BuiltinModel::Igrf14
        .model()
        .field(
            &Position::geodetic(10.0, 10.0, 0.0).unwrap(),
            2020.0,
            DatePolicy::Strict,
        )
        .unwrap();
    assert!(Quantity::UNCERTAINTY.iter().all(|&q| igrf.get(q).is_none()));
    let json = serde_json::to_value(&igrf).unwrap();
    assert!(json["declination_uncertainty_deg"].is_null());
}
