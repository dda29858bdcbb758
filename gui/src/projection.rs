//! The chart's map projections: longitude and latitude (degrees) to plane
//! coordinates (x east, y north, on a sphere of radius 1) and back.
//!
//! * Mercator, the nautical chart: conformal, so bearings and the angles
//!   between isogonic lines read true; cut at ±85°.
//! * Equal Earth (Šavrič, Patterson and Jenny 2018, "The Equal Earth map
//!   projection", IJGIS 33(3)): every area at its true size.
//! * Plate carrée: x is longitude, y is latitude, as on a table of values.
//!
//! All three are centred on Greenwich. A longitude 360° on is the same
//! meridian one [`Projection::world_width`] further east: the chart draws
//! the world again there, as web maps do.

use serde::{Deserialize, Serialize};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// Mercator stops here, north and south: the poles are at infinity.
pub const MERCATOR_LIMIT_DEG: f64 = 85.0;

// Equal Earth's polynomial coefficients (the paper's A1..A4).
const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;
/// √3 / 2: sin θ = √3/2 · sin φ.
const HALF_ROOT_3: f64 = 0.866_025_403_784_438_6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Projection {
    #[default]
    Mercator,
    EqualEarth,
    PlateCarree,
}

impl Projection {
    pub const ALL: [Projection; 3] = [
        Projection::Mercator,
        Projection::EqualEarth,
        Projection::PlateCarree,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Projection::Mercator => "Mercator",
            Projection::EqualEarth => "Equal Earth",
            Projection::PlateCarree => "Plate carrée",
        }
    }

    /// The latitude beyond which the projection shows nothing, degrees.
    pub fn max_latitude_deg(self) -> f64 {
        match self {
            Projection::Mercator => MERCATOR_LIMIT_DEG,
            Projection::EqualEarth | Projection::PlateCarree => 90.0,
        }
    }

    /// Plane coordinates of a longitude and latitude (degrees); latitudes
    /// beyond [`max_latitude_deg`](Self::max_latitude_deg) are clamped to it.
    /// Longitudes are not wrapped: 190° lies east of 180°.
    pub fn forward(self, longitude_deg: f64, latitude_deg: f64) -> [f64; 2] {
        let limit = self.max_latitude_deg();
        let lambda = longitude_deg.to_radians();
        let phi = latitude_deg.clamp(-limit, limit).to_radians();
        match self {
            Projection::Mercator => [lambda, (FRAC_PI_4 + phi / 2.0).tan().ln()],
            Projection::PlateCarree => [lambda, phi],
            Projection::EqualEarth => {
                let theta = (HALF_ROOT_3 * phi.sin()).asin();
                let x = 4.0 * HALF_ROOT_3 * lambda * theta.cos() / (3.0 * equal_earth_slope(theta));
                [x, equal_earth_y(theta)]
            }
        }
    }

    /// The y of a latitude (degrees): y does not depend on longitude in
    /// any of the three.
    pub fn y_of_latitude(self, latitude_deg: f64) -> f64 {
        self.forward(0.0, latitude_deg)[1]
    }

    /// The latitude (degrees) of a y, clamped to the projection's range.
    pub fn latitude_of_y(self, y: f64) -> f64 {
        let y = y.clamp(-self.half_height(), self.half_height());
        match self {
            Projection::Mercator => (2.0 * y.exp().atan() - FRAC_PI_2).to_degrees(),
            Projection::PlateCarree => y.to_degrees(),
            Projection::EqualEarth => {
                let theta = equal_earth_theta(y);
                (theta.sin() / HALF_ROOT_3)
                    .clamp(-1.0, 1.0)
                    .asin()
                    .to_degrees()
            }
        }
    }

    /// The longitude and latitude (degrees) at plane coordinates of the
    /// central world (|longitude| ≤ 180°), or `None` off the map.
    pub fn inverse(self, x: f64, y: f64) -> Option<(f64, f64)> {
        if !(x.is_finite() && y.is_finite()) || y.abs() > self.half_height() * (1.0 + 1e-12) {
            return None;
        }
        let latitude_deg = self.latitude_of_y(y);
        let lambda = match self {
            Projection::Mercator | Projection::PlateCarree => x,
            Projection::EqualEarth => {
                let theta = equal_earth_theta(y);
                3.0 * x * equal_earth_slope(theta) / (4.0 * HALF_ROOT_3 * theta.cos())
            }
        };
        let longitude_deg = lambda.to_degrees();
        (longitude_deg.abs() <= 180.0 + 1e-9)
            .then_some((longitude_deg.clamp(-180.0, 180.0), latitude_deg))
    }

    /// The width of one world: from 180°W to 180°E on the equator.
    pub fn world_width(self) -> f64 {
        2.0 * self.forward(180.0, 0.0)[0]
    }

    /// Half the height of the world: from the equator to the top.
    pub fn half_height(self) -> f64 {
        self.y_of_latitude(self.max_latitude_deg())
    }

    /// Plane units per degree of longitude on the equator.
    pub fn x_per_degree(self) -> f64 {
        self.world_width() / 360.0
    }
}

/// Equal Earth's y of the parametric latitude θ: the paper's polynomial
/// A1 θ + A2 θ³ + A3 θ⁷ + A4 θ⁹.
fn equal_earth_y(theta: f64) -> f64 {
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
}

/// dy/dθ of [`equal_earth_y`], which also scales x.
fn equal_earth_slope(theta: f64) -> f64 {
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)
}

/// Equal Earth's parametric latitude θ of a y, by Newton's method (the
/// polynomial is monotonic on |θ| ≤ π/3).
fn equal_earth_theta(y: f64) -> f64 {
    let mut theta = y / A1;
    for _ in 0..20 {
        let step = (equal_earth_y(theta) - y) / equal_earth_slope(theta);
        theta -= step;
        if step.abs() < 1e-14 {
            break;
        }
    }
    theta.clamp(-PI / 3.0, PI / 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn every_projection_round_trips_over_the_globe() {
        let mut random = ChaCha8Rng::seed_from_u64(15);
        for projection in Projection::ALL {
            let limit = projection.max_latitude_deg();
            let mut points: Vec<(f64, f64)> = (0..20_000)
                .map(|_| {
                    (
                        random.random_range(-180.0..=180.0),
                        random.random_range(-limit..=limit),
                    )
                })
                .collect();
            // The edges and corners, where formulas break first.
            for lon in [-180.0, -179.999, 0.0, 179.999, 180.0] {
                for lat in [-limit, -limit + 1e-6, 0.0, limit - 1e-6, limit] {
                    points.push((lon, lat));
                }
            }
            for (lon, lat) in points {
                let [x, y] = projection.forward(lon, lat);
                let (lon2, lat2) = projection
                    .inverse(x, y)
                    .unwrap_or_else(|| panic!("{projection:?} {lon} {lat}: off the map"));
                // Equal Earth squeezes the last degrees before a pole
                // (dφ/dθ grows without bound there): its latitude comes
                // back to 1e-6° within 1e-5° of the pole, 1e-8° elsewhere.
                let tolerance = if lat.abs() > 89.99 { 1e-6 } else { 1e-8 };
                assert!(
                    (lon - lon2).abs() < 1e-8 && (lat - lat2).abs() < tolerance,
                    "{projection:?}: ({lon}, {lat}) came back as ({lon2}, {lat2})"
                );
            }
        }
    }

    #[test]
    fn equal_earth_matches_the_published_extent_and_keeps_areas() {
        // The paper's Table 1: the map is 2.05458 times as wide as high at R = 1:
        // x max = 2.7066, y max = 1.3173.
        let p = Projection::EqualEarth;
        assert!(
            (p.world_width() / 2.0 - 2.7066).abs() < 1e-4,
            "{}",
            p.world_width()
        );
        assert!(
            (p.half_height() - 1.3173).abs() < 1e-4,
            "{}",
            p.half_height()
        );
        // Equal area: a 1°×1° cell's plane area is its area on the unit
        // sphere wherever it is.
        let cell = |lat: f64| {
            let [x0, y0] = p.forward(10.0, lat);
            let [x1, y1] = p.forward(11.0, lat + 1.0);
            let [x2, _] = p.forward(11.0, lat);
            let [x3, _] = p.forward(10.0, lat + 1.0);
            // A trapezoid: mean width times height.
            ((x2 - x0) + (x1 - x3)) / 2.0 * (y1 - y0)
        };
        for lat in [0.0, 30.0, 60.0, 80.0] {
            let sphere =
                1f64.to_radians() * ((lat + 1.0_f64).to_radians().sin() - lat.to_radians().sin());
            assert!((cell(lat) / sphere - 1.0).abs() < 1e-3, "{lat}");
        }
    }

    #[test]
    fn mercator_is_cut_at_85_degrees_and_off_the_map_is_none() {
        let p = Projection::Mercator;
        assert_eq!(p.forward(0.0, 89.0), p.forward(0.0, 85.0));
        assert!(p.inverse(0.0, p.half_height() * 1.01).is_none());
        assert!(p.inverse(PI * 1.01, 0.0).is_none());
        // Equal Earth's corners are off its rounded outline.
        let e = Projection::EqualEarth;
        assert!(
            e.inverse(e.world_width() / 2.0 * 0.99, e.half_height() * 0.99)
                .is_none()
        );
        assert!(Projection::PlateCarree.inverse(f64::NAN, 0.0).is_none());
    }
}
