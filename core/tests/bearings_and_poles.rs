//! Grid north against GeographicLib, and the magnetic poles against
//! published positions and an independent implementation.

use magvar_core::grid_north::{GridChoice, GridSystem, grid_north};

/// The map grid and meridian convergence equal GeographicLib's
/// `GeoConvert -u -c` on 1,000 points: the standard UTM zones with the
/// Norway and Svalbard exceptions, UPS poleward of 84°N and 80°S
/// (reference/make_geoconvert_convergence.py).
#[test]
fn convergence_equals_geographiclib() {
    let text = include_str!("reference/geoconvert_convergence.csv");
    let mut compared = 0;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [lat, lon, zone, gamma] = fields[..] else {
            panic!("{line}")
        };
        let (lat, lon, gamma): (f64, f64, f64) = (
            lat.parse().unwrap(),
            lon.parse().unwrap(),
            gamma.parse().unwrap(),
        );
        let grid = grid_north(lat, lon, GridChoice::Auto).unwrap();
        let expected_system = match zone {
            "n" => GridSystem::Ups { north: true },
            "s" => GridSystem::Ups { north: false },
            utm => GridSystem::Utm {
                zone: utm[..utm.len() - 1].parse().unwrap(),
                north: utm.ends_with('n'),
            },
        };
        assert_eq!(grid.system, expected_system, "{lat},{lon}");
        // GeoConvert prints 9 decimals: agreement to its last digit.
        let difference = magvar_core::normalize_degrees(grid.convergence_deg - gamma).abs();
        assert!(
            difference < 2e-9,
            "{lat},{lon}: {} vs {gamma}",
            grid.convergence_deg
        );
        compared += 1;
    }
    assert_eq!(compared, 1000);
}

/// Rows of a whitespace-separated reference table, comments left out.
fn table(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            line.split_whitespace()
                .map(|v| v.parse().unwrap())
                .collect()
        })
        .collect()
}

/// Published to 0.01°: equal after rounding (half a unit, and a hair).
fn assert_published(got: f64, published: f64, what: &str) {
    assert!(
        (got - published).abs() <= 0.00501,
        "{what}: {got} vs published {published}"
    );
}

/// IGRF-14's dip poles and geomagnetic longitudes are those IGRF-13
/// published for the epochs the two share (1900–1985), and its
/// geomagnetic latitudes the centred-dipole table's.
#[test]
fn igrf14_poles_are_the_published_positions() {
    let model = magvar_core::BuiltinModel::Igrf14.model();
    let published = table(include_str!("reference/igrf13_pole_positions.txt"));
    assert_eq!(published.len(), 18);
    for row in &published {
        let poles = model.poles(row[0], 0.0).unwrap();
        let at = |what: &str| format!("{} {what}", row[0]);
        assert_published(
            poles.north_dip.latitude_deg,
            row[1],
            &at("north dip latitude"),
        );
        assert_published(
            poles.north_dip.longitude_deg,
            row[2],
            &at("north dip longitude"),
        );
        assert_published(
            poles.south_dip.latitude_deg,
            row[3],
            &at("south dip latitude"),
        );
        assert_published(
            poles.south_dip.longitude_deg,
            row[4],
            &at("south dip longitude"),
        );
        assert_published(
            poles.north_geomagnetic.longitude_deg,
            row[6],
            &at("north geomagnetic longitude"),
        );
        assert_published(
            poles.south_geomagnetic.longitude_deg,
            row[8],
            &at("south geomagnetic longitude"),
        );
    }
    // This table's last digit is rounded in some rows and cut in others
    // (1990's north −71.12 and south 108.87 are not antipodal): equal to
    // one unit of it.
    let centred = table(include_str!("reference/centred_dipole_poles_whoi.txt"));
    for row in &centred {
        let poles = model.poles(row[0], 0.0).unwrap();
        let near = |got: f64, published: f64, what: &str| {
            assert!(
                (got - published).abs() <= 0.0101,
                "{} {what}: {got} vs {published}",
                row[0]
            );
        };
        near(
            poles.north_geomagnetic.latitude_deg,
            row[1],
            "north geomagnetic latitude",
        );
        near(
            poles.north_geomagnetic.longitude_deg,
            row[2],
            "north geomagnetic longitude",
        );
        near(
            poles.south_geomagnetic.latitude_deg,
            row[3],
            "south geomagnetic latitude",
        );
        near(
            poles.south_geomagnetic.longitude_deg,
            row[4],
            "south geomagnetic longitude",
        );
    }
}

/// The geomagnetic poles are the centred dipole's closed form, antipodal,
/// and the dipole moment B₀a³/(μ₀/4π) from g(1,0), g(1,1), h(1,1).
#[test]
fn geomagnetic_poles_and_moment_in_closed_form() {
    let model = magvar_core::BuiltinModel::Wmm2025.model();
    let poles = model.poles(2025.0, 0.0).unwrap();
    // WMM.COF at 2025.0: g10 = -29351.8, g11 = -1410.8, h11 = 4545.4 nT.
    let (g10, g11, h11): (f64, f64, f64) = (-29351.8, -1410.8, 4545.4);
    let b0 = (g10 * g10 + g11 * g11 + h11 * h11).sqrt();
    let latitude = 90.0 - (-g10 / b0).acos().to_degrees();
    let longitude = (-h11).atan2(-g11).to_degrees();
    assert!((poles.north_geomagnetic.latitude_deg - latitude).abs() < 1e-12);
    assert!((poles.north_geomagnetic.longitude_deg - longitude).abs() < 1e-12);
    assert_eq!(
        poles.south_geomagnetic.latitude_deg,
        -poles.north_geomagnetic.latitude_deg
    );
    assert!((poles.south_geomagnetic.longitude_deg - (longitude + 180.0)).abs() < 1e-12);
    let moment = b0 * 1e-9 * 6_371_200f64.powi(3) / 1e-7;
    assert!((poles.dipole_moment_am2 - moment).abs() < 1e-12 * moment);
    assert!((7.6e22..7.8e22).contains(&poles.dipole_moment_am2));
}

/// At each dip pole found, an independent implementation (ppigrf for
/// IGRF-14, NOAA's wmm-calculator for WMM2025) gives H < 1 nT (in fact
/// below 0.01 nT): reference/make_dip_pole_check.py stored what it gave at
/// the positions found then, and the positions are still found.
#[test]
fn dip_poles_are_where_independent_implementations_find_no_horizontal_field() {
    let text = include_str!("reference/dip_poles_independent.csv");
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [model, date, pole, lat, lon, h, _] = fields[..] else {
            panic!("{line}")
        };
        let model = match model {
            "IGRF-14" => magvar_core::BuiltinModel::Igrf14,
            "WMM2025" => magvar_core::BuiltinModel::Wmm2025,
            other => panic!("{other}"),
        };
        let (date, lat, lon, h): (f64, f64, f64, f64) = (
            date.parse().unwrap(),
            lat.parse().unwrap(),
            lon.parse().unwrap(),
            h.parse().unwrap(),
        );
        assert!(h < 1.0, "{line}");
        let poles = model.model().poles(date, 0.0).unwrap();
        let found = if pole == "north_dip" {
            poles.north_dip
        } else {
            poles.south_dip
        };
        assert!(
            (found.latitude_deg - lat).abs() < 1e-6 && (found.longitude_deg - lon).abs() < 1e-6,
            "{line}: now {found:?}"
        );
        // And our own field there is below the iteration's tolerance.
        let position = magvar_core::Position::geodetic(lat, lon, 0.0).unwrap();
        let here = model
            .model()
            .field(&position, date, magvar_core::DatePolicy::Strict)
            .unwrap();
        assert!(here.elements.horizontal_nt < magvar_core::poles::DIP_POLE_TOLERANCE_NT);
        checked += 1;
    }
    assert_eq!(checked, 62);
}
