//! Grid north of the map grids navigators and hikers use: UTM (zones by
//! the standard rules, the Norway and Svalbard exceptions included) and
//! UPS poleward of 84°N and 80°S, on the WGS-84 ellipsoid. The meridian
//! convergence γ is the bearing of grid north measured clockwise from true
//! north; a bearing on the grid is the true bearing less γ.
//!
//! UTM's convergence follows C. F. F. Karney, "Transverse Mercator with an
//! accuracy of a few nanometers", J. Geodesy 85, 475–485 (2011),
//! doi:10.1007/s00190-011-0445-3: the conformal latitude, the Gauss–Schreiber
//! projection's γ′, and the Krüger series in the third flattening n to n⁶
//! for the rest (eqs. 7–14 and 35), as GeographicLib computes it; the
//! tests hold it to GeographicLib's `GeoConvert -c`. Crates that project
//! UTM give coordinates, not the convergence, hence this module.
//!
//! ```
//! use magvar_core::grid_north::{GridChoice, grid_north};
//!
//! // Norfolk, Virginia is in UTM zone 18N, west of its central meridian:
//! // grid north lies 0°46' west of true north.
//! let grid = grid_north(36.85, -76.29, GridChoice::Auto)?;
//! assert_eq!(grid.system.to_string(), "UTM 18N");
//! assert!((grid.convergence_deg - -0.773726).abs() < 1e-6);
//! # Ok::<(), magvar_core::InputError>(())
//! ```

use crate::error::InputError;
use crate::geodesy::WGS84_F;
use std::fmt;

/// Northern edge of UTM, degrees (84°N); poleward of it UPS.
pub const UTM_NORTH_LIMIT_DEG: f64 = 84.0;
/// Southern edge of UTM, degrees (80°S); poleward of it UPS.
pub const UTM_SOUTH_LIMIT_DEG: f64 = -80.0;

/// A map grid: a UTM zone in one hemisphere, or UPS at one pole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridSystem {
    Utm { zone: u8, north: bool },
    Ups { north: bool },
}

impl fmt::Display for GridSystem {
    /// `UTM 18N`, `UTM 33S`, `UPS north`, `UPS south`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GridSystem::Utm { zone, north } => {
                write!(f, "UTM {zone}{}", if *north { 'N' } else { 'S' })
            }
            GridSystem::Ups { north } => {
                write!(f, "UPS {}", if *north { "north" } else { "south" })
            }
        }
    }
}

/// Which grid to refer bearings to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GridChoice {
    /// UTM where it is defined (80°S to 84°N), UPS poleward of it.
    #[default]
    Auto,
    /// UTM only: an error poleward of its limits.
    Utm,
    /// UPS only: an error equatorward of 84°N / 80°S (UPS is used there
    /// only, as GeographicLib's standard zones have it).
    Ups,
}

/// Grid north at a point: the grid and its meridian convergence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridNorth {
    pub system: GridSystem,
    /// The bearing of grid north clockwise from true north, degrees
    /// (positive: grid north east of true north).
    pub convergence_deg: f64,
}

/// The grid and its convergence at geodetic latitude and longitude
/// (degrees); an error where the chosen grid is not defined.
pub fn grid_north(
    latitude_deg: f64,
    longitude_deg: f64,
    choice: GridChoice,
) -> Result<GridNorth, InputError> {
    if !(-90.0..=90.0).contains(&latitude_deg) || !longitude_deg.is_finite() {
        return Err(InputError::MapGrid {
            reason: format!("no position {latitude_deg}, {longitude_deg}"),
        });
    }
    let longitude_deg = crate::elements::normalize_degrees(longitude_deg);
    let in_utm = (UTM_SOUTH_LIMIT_DEG..UTM_NORTH_LIMIT_DEG).contains(&latitude_deg);
    match (choice, in_utm) {
        (GridChoice::Auto | GridChoice::Utm, true) => {
            let zone = utm_zone(latitude_deg, longitude_deg);
            let central_meridian = f64::from(zone) * 6.0 - 183.0;
            let lambda = crate::elements::normalize_degrees(longitude_deg - central_meridian);
            Ok(GridNorth {
                system: GridSystem::Utm {
                    zone,
                    north: latitude_deg >= 0.0,
                },
                convergence_deg: transverse_mercator_convergence_deg(latitude_deg, lambda),
            })
        }
        (GridChoice::Auto | GridChoice::Ups, false) => {
            let north = latitude_deg > 0.0;
            // Polar stereographic grid north runs along the 180° → 0°
            // meridian at the north pole (0° → 180° at the south): its
            // bearing from true north is the longitude, or its negative.
            let convergence_deg = if north { longitude_deg } else { -longitude_deg };
            Ok(GridNorth {
                system: GridSystem::Ups { north },
                convergence_deg,
            })
        }
        (GridChoice::Utm, false) => Err(InputError::MapGrid {
            reason: format!(
                "UTM is not defined at latitude {latitude_deg}° (only from 80°S to 84°N); UPS covers it"
            ),
        }),
        (GridChoice::Ups, true) => Err(InputError::MapGrid {
            reason: format!(
                "UPS is used only poleward of 84°N and 80°S, not at latitude {latitude_deg}°; UTM covers it"
            ),
        }),
    }
}

/// The UTM zone of a point within UTM's latitudes, longitude in
/// (−180°, 180°]: six-degree zones from 180°W, zone 32 widened over
/// south-west Norway (56°–64°N, 3°–12°E), and Svalbard's zones 31, 33, 35
/// and 37 (72°–84°N), as GeographicLib's `StandardZone` gives them.
pub fn utm_zone(latitude_deg: f64, longitude_deg: f64) -> u8 {
    // 180° is −180°: zone 1.
    let longitude = if longitude_deg >= 180.0 {
        longitude_deg - 360.0
    } else {
        longitude_deg
    };
    let band = ((latitude_deg + 80.0) / 8.0).floor();
    let mut zone = (((longitude + 180.0) / 6.0).floor() as i32 + 1).clamp(1, 60);
    // Band V (56°–64°N): Norway.
    if band == 17.0 && zone == 31 && longitude >= 3.0 {
        zone = 32;
    }
    // Band X (72°–84°N): Svalbard.
    if band >= 19.0 && (0.0..42.0).contains(&longitude) {
        zone = 2 * (((longitude + 183.0) / 12.0).floor() as i32) + 1;
    }
    zone as u8
}

/// Karney's Krüger coefficients α₁…α₆ (2011, eq. 35) as polynomials in n.
fn krueger_alpha(n: f64) -> [f64; 6] {
    let n2 = n * n;
    let n3 = n2 * n;
    let n4 = n3 * n;
    let n5 = n4 * n;
    let n6 = n5 * n;
    [
        n / 2.0 - 2.0 / 3.0 * n2 + 5.0 / 16.0 * n3 + 41.0 / 180.0 * n4 - 127.0 / 288.0 * n5
            + 7891.0 / 37800.0 * n6,
        13.0 / 48.0 * n2 - 3.0 / 5.0 * n3 + 557.0 / 1440.0 * n4 + 281.0 / 630.0 * n5
            - 1983433.0 / 1935360.0 * n6,
        61.0 / 240.0 * n3 - 103.0 / 140.0 * n4 + 15061.0 / 26880.0 * n5 + 167603.0 / 181440.0 * n6,
        49561.0 / 161280.0 * n4 - 179.0 / 168.0 * n5 + 6601661.0 / 7257600.0 * n6,
        34729.0 / 80640.0 * n5 - 3418889.0 / 1995840.0 * n6,
        212378941.0 / 319334400.0 * n6,
    ]
}

/// The meridian convergence of the transverse Mercator projection on
/// WGS-84, degrees, at latitude φ and longitude λ from the central
/// meridian (degrees).
pub fn transverse_mercator_convergence_deg(latitude_deg: f64, lambda_deg: f64) -> f64 {
    let f = WGS84_F;
    let e2 = f * (2.0 - f);
    let e = e2.sqrt();
    let n = f / (2.0 - f);
    let (phi, lambda) = (latitude_deg.to_radians(), lambda_deg.to_radians());
    let (sin_lambda, cos_lambda) = lambda.sin_cos();
    // The conformal latitude's tangent τ′ (eq. 7–9).
    let tau = phi.tan();
    let sigma = (e * (e * tau / tau.hypot(1.0)).atanh()).sinh();
    let tau_prime = tau * sigma.hypot(1.0) - sigma * tau.hypot(1.0);
    // Gauss–Schreiber: ξ′, η′ and its convergence γ′ (eq. 10–12).
    let xi_prime = tau_prime.atan2(cos_lambda);
    let eta_prime = (sin_lambda / tau_prime.hypot(cos_lambda)).asinh();
    let gamma_prime = (tau_prime * sin_lambda).atan2(cos_lambda * tau_prime.hypot(1.0));
    // dζ/dζ′ = p′ − i q′ of the Krüger series ζ = ζ′ + Σ αⱼ sin 2jζ′.
    let (mut p, mut q) = (1.0, 0.0);
    for (j, alpha) in (1..).zip(krueger_alpha(n)) {
        let k = 2.0 * f64::from(j);
        p += k * alpha * (k * xi_prime).cos() * (k * eta_prime).cosh();
        q += k * alpha * (k * xi_prime).sin() * (k * eta_prime).sinh();
    }
    (gamma_prime + q.atan2(p)).to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_follow_the_standard_rules() {
        assert_eq!(utm_zone(36.85, -76.29), 18);
        assert_eq!(utm_zone(0.0, 0.0), 31);
        assert_eq!(utm_zone(0.0, 180.0), 1);
        assert_eq!(utm_zone(0.0, -180.0), 1);
        assert_eq!(utm_zone(0.0, 179.9), 60);
        // Norway: zone 32 from 3°E in band V only.
        assert_eq!(utm_zone(56.0, 3.0), 32);
        assert_eq!(utm_zone(63.999, 3.0), 32);
        assert_eq!(utm_zone(64.0, 3.0), 31);
        assert_eq!(utm_zone(55.999, 3.0), 31);
        // Svalbard: 31, 33, 35, 37 in band X.
        assert_eq!(utm_zone(72.0, 8.999), 31);
        assert_eq!(utm_zone(72.0, 9.0), 33);
        assert_eq!(utm_zone(78.0, 15.0), 33);
        assert_eq!(utm_zone(83.99, 21.0), 35);
        assert_eq!(utm_zone(80.0, 41.9), 37);
        assert_eq!(utm_zone(80.0, 42.0), 38);
    }

    #[test]
    fn systems_by_latitude_and_choice() {
        let at = |lat, lon, choice| grid_north(lat, lon, choice).map(|g| g.system.to_string());
        assert_eq!(at(84.0, 10.0, GridChoice::Auto).unwrap(), "UPS north");
        assert_eq!(at(83.99999, 10.0, GridChoice::Auto).unwrap(), "UTM 33N");
        assert_eq!(at(-80.0, 10.0, GridChoice::Auto).unwrap(), "UTM 32S");
        assert_eq!(at(-80.00001, 10.0, GridChoice::Auto).unwrap(), "UPS south");
        let utm_error = at(85.0, 10.0, GridChoice::Utm).unwrap_err().to_string();
        assert!(
            utm_error.contains("UTM is not defined at latitude 85°"),
            "{utm_error}"
        );
        let ups_error = at(45.0, 10.0, GridChoice::Ups).unwrap_err().to_string();
        assert!(
            ups_error.contains("UPS is used only poleward"),
            "{ups_error}"
        );
    }
}
