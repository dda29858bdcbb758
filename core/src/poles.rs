//! The magnetic poles of a model at a date: the dip poles, where the field
//! is vertical (H = 0), found by iteration on the model; and the
//! geomagnetic poles, where the axis of the centred dipole (the
//! first-degree coefficients) meets the sphere, with the dipole moment.
//!
//! ```
//! use magvar_core::BuiltinModel;
//!
//! let poles = BuiltinModel::Wmm2025.model().poles(2025.0, 0.0)?;
//! // The north dip pole has left Canada for the Arctic Ocean, near 86°N 139°E.
//! assert!((85.0..87.0).contains(&poles.north_dip.latitude_deg));
//! assert!(poles.dipole_moment_am2 > 7.5e22);
//! # Ok::<(), magvar_core::ModelError>(())
//! ```

use crate::error::ModelError;
use crate::evaluator::Evaluator;
use crate::model::MagneticModel;
use crate::position::Position;
use serde::Serialize;

/// H below which a dip pole is taken as found, nT.
pub const DIP_POLE_TOLERANCE_NT: f64 = 0.01;

/// A point on the Earth, degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PolePosition {
    pub latitude_deg: f64,
    pub longitude_deg: f64,
}

/// A model's magnetic poles at one date and height.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poles {
    pub model: String,
    /// Decimal year.
    pub date: f64,
    /// Height above the WGS-84 ellipsoid of the dip poles, km.
    pub altitude_km: f64,
    /// Where the field points straight down (geodetic latitude).
    pub north_dip: PolePosition,
    /// Where the field points straight up (geodetic latitude).
    pub south_dip: PolePosition,
    /// The centred dipole's axis in the north (geocentric latitude).
    pub north_geomagnetic: PolePosition,
    /// The centred dipole's axis in the south (geocentric latitude).
    pub south_geomagnetic: PolePosition,
    /// The centred dipole's moment, A·m².
    pub dipole_moment_am2: f64,
}

/// μ₀/4π in T·m/A: the dipole moment is B₀a³/(μ₀/4π).
const MU0_OVER_4PI: f64 = 1e-7;

impl MagneticModel {
    /// The dip and geomagnetic poles on `year` (decimal), the dip poles
    /// at `altitude_km` above the ellipsoid. No validity check: call
    /// [`check_date`](Self::check_date) first.
    pub fn poles(&self, year: f64, altitude_km: f64) -> Result<Poles, ModelError> {
        let coefficients = self.coefficients_at(year);
        let main = coefficients.main();
        let (g10, g11, h11) = (main.g(1, 0), main.g(1, 1), main.h(1, 1));
        let b0 = (g10 * g10 + g11 * g11 + h11 * h11).sqrt();
        // The axis through the north geomagnetic pole points along
        // −(g11, h11, g10) in Earth-centred x, y, z.
        let north_geomagnetic = PolePosition {
            latitude_deg: (-g10 / b0).asin().to_degrees(),
            longitude_deg: (-h11).atan2(-g11).to_degrees(),
        };
        let south_geomagnetic = PolePosition {
            latitude_deg: -north_geomagnetic.latitude_deg,
            longitude_deg: crate::elements::normalize_degrees(
                north_geomagnetic.longitude_deg + 180.0,
            ),
        };
        let a_m = self.reference_radius_km() * 1000.0;
        let mut evaluator = Evaluator::new(self);
        let mut dip = |north| dip_pole(&mut evaluator, year, altitude_km, north);
        Ok(Poles {
            model: self.name().to_string(),
            date: year,
            altitude_km,
            north_dip: dip(true).map_err(|message| self.pole_error(message))?,
            south_dip: dip(false).map_err(|message| self.pole_error(message))?,
            north_geomagnetic,
            south_geomagnetic,
            dipole_moment_am2: b0 * 1e-9 * a_m.powi(3) / MU0_OVER_4PI,
        })
    }

    fn pole_error(&self, message: String) -> ModelError {
        ModelError::Invalid {
            origin: self.name().to_string(),
            message,
        }
    }
}

/// The dip pole of one hemisphere: the smallest H on a coarse grid of the
/// polar cap, then Newton's method on (X, Y) = 0 in coordinates centred
/// on the geographic pole (u, v = colatitude · cos, sin of longitude),
/// which have no singularity there.
fn dip_pole(
    evaluator: &mut Evaluator,
    year: f64,
    altitude_km: f64,
    north: bool,
) -> Result<PolePosition, String> {
    let hemisphere = if north { 1.0 } else { -1.0 };
    let at = |u: f64, v: f64| -> PolePosition {
        let colatitude = u.hypot(v).min(180.0);
        PolePosition {
            latitude_deg: hemisphere * (90.0 - colatitude),
            longitude_deg: if colatitude == 0.0 {
                0.0
            } else {
                v.atan2(u).to_degrees()
            },
        }
    };
    let mut field = |u: f64, v: f64| -> Result<[f64; 2], String> {
        let p = at(u, v);
        let position = Position::geodetic(p.latitude_deg, p.longitude_deg, altitude_km)
            .map_err(|e| e.to_string())?;
        let e = evaluator.elements_reference(&position, year);
        Ok([e.north_nt, e.east_nt])
    };
    // Coarse start: every 2° of colatitude to 50°, every 4° of longitude.
    let (mut u, mut v, mut best) = (0.0, 0.0, f64::INFINITY);
    for colatitude in (0..=25).map(|i| f64::from(i) * 2.0) {
        for longitude in (0..90).map(|i| f64::from(i * 4).to_radians()) {
            let (cu, cv) = (colatitude * longitude.cos(), colatitude * longitude.sin());
            let [x, y] = field(cu, cv)?;
            let h = x.hypot(y);
            if h < best {
                (u, v, best) = (cu, cv, h);
            }
        }
    }
    // Newton on (X, Y) with a numerical Jacobian. The frame of X and Y
    // turns with longitude, but both vanish at the pole in any frame.
    const STEP_DEG: f64 = 1e-4;
    for _ in 0..60 {
        let [x, y] = field(u, v)?;
        if x.hypot(y) < DIP_POLE_TOLERANCE_NT {
            return Ok(at(u, v));
        }
        let [xu, yu] = field(u + STEP_DEG, v)?;
        let [xv, yv] = field(u, v + STEP_DEG)?;
        let (a, b, c, d) = (
            (xu - x) / STEP_DEG,
            (xv - x) / STEP_DEG,
            (yu - y) / STEP_DEG,
            (yv - y) / STEP_DEG,
        );
        let determinant = a * d - b * c;
        if determinant == 0.0 || !determinant.is_finite() {
            break;
        }
        let (du, dv) = ((d * x - b * y) / determinant, (a * y - c * x) / determinant);
        // No step longer than a degree: Newton far from the pole can leap.
        let length = du.hypot(dv);
        let scale = if length > 1.0 { 1.0 / length } else { 1.0 };
        (u, v) = (u - du * scale, v - dv * scale);
    }
    Err(format!(
        "the {} dip pole did not converge to H < {DIP_POLE_TOLERANCE_NT} nT",
        if north { "north" } else { "south" }
    ))
}
