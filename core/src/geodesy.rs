//! WGS-84 geodetic ↔ geocentric spherical coordinates.

/// WGS-84 semi-major axis, km.
pub const WGS84_A_KM: f64 = 6378.137;
/// WGS-84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// A point as the spherical-harmonic synthesis needs it, plus the angle
/// that rotates a geocentric field vector into the geodetic frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SphericalPoint {
    /// Distance from Earth's centre, km.
    pub radius_km: f64,
    /// cos θ = sin(geocentric latitude).
    pub cos_colatitude: f64,
    /// sin θ = cos(geocentric latitude), ≥ 0.
    pub sin_colatitude: f64,
    /// Longitude, radians east.
    pub longitude_rad: f64,
    /// cos and sin of ψ = geodetic − geocentric latitude; (1, 0) for
    /// geocentric input, whose components stay in the geocentric frame.
    pub cos_psi: f64,
    pub sin_psi: f64,
}

impl SphericalPoint {
    /// From geodetic latitude/longitude (degrees) and height above the
    /// WGS-84 ellipsoid (km).
    pub fn from_geodetic(latitude_deg: f64, longitude_deg: f64, height_km: f64) -> Self {
        let (sin_lat, cos_lat) = latitude_deg.to_radians().sin_cos();
        // At ±90° cos φ is ~6e-17, not 0: snap it so the pole is exactly
        // on the axis and the meridian of the given longitude is kept.
        let cos_lat = if latitude_deg.abs() == 90.0 {
            0.0
        } else {
            cos_lat
        };
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let prime_vertical = WGS84_A_KM / (1.0 - e2 * sin_lat * sin_lat).sqrt();
        let p = (prime_vertical + height_km) * cos_lat;
        let z = (prime_vertical * (1.0 - e2) + height_km) * sin_lat;
        let radius_km = p.hypot(z);
        let (cos_theta, sin_theta) = (z / radius_km, p / radius_km);
        // ψ = φ − φ′: cos ψ = cos φ cos φ′ + sin φ sin φ′, with
        // cos φ′ = sin θ and sin φ′ = cos θ.
        let cos_psi = cos_lat * sin_theta + sin_lat * cos_theta;
        let sin_psi = sin_lat * sin_theta - cos_lat * cos_theta;
        SphericalPoint {
            radius_km,
            cos_colatitude: cos_theta,
            sin_colatitude: sin_theta,
            longitude_rad: longitude_deg.to_radians(),
            cos_psi,
            sin_psi,
        }
    }

    /// From geocentric latitude/longitude (degrees) and radius (km).
    pub fn from_geocentric(latitude_deg: f64, longitude_deg: f64, radius_km: f64) -> Self {
        let (sin_lat, cos_lat) = latitude_deg.to_radians().sin_cos();
        let cos_lat = if latitude_deg.abs() == 90.0 {
            0.0
        } else {
            cos_lat
        };
        SphericalPoint {
            radius_km,
            cos_colatitude: sin_lat,
            sin_colatitude: cos_lat,
            longitude_rad: longitude_deg.to_radians(),
            cos_psi: 1.0,
            sin_psi: 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equator_and_pole_radii_are_the_ellipsoid_axes() {
        let equator = SphericalPoint::from_geodetic(0.0, 0.0, 0.0);
        assert!((equator.radius_km - WGS84_A_KM).abs() < 1e-9);
        let pole = SphericalPoint::from_geodetic(90.0, 0.0, 0.0);
        let b = WGS84_A_KM * (1.0 - WGS84_F);
        assert!((pole.radius_km - b).abs() < 1e-9);
        assert_eq!(pole.sin_colatitude, 0.0);
    }

    #[test]
    fn geocentric_latitude_at_45_degrees() {
        // tan φ′ = (1 − e²) tan φ on the ellipsoid surface.
        let point = SphericalPoint::from_geodetic(45.0, 0.0, 0.0);
        let e2 = WGS84_F * (2.0 - WGS84_F);
        let expected = ((1.0 - e2) * 45f64.to_radians().tan()).atan();
        let got = point.cos_colatitude.atan2(point.sin_colatitude);
        assert!((expected - got).abs() < 1e-12);
        let psi = point.sin_psi.atan2(point.cos_psi);
        assert!((psi - (45f64.to_radians() - expected)).abs() < 1e-12);
    }
}
