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
        self.poles_near(year, altitude_km, None)
    }

    /// As [`poles`](Self::poles), the dip poles searched for first from
    /// `start`'s (the poles at a nearby date: a track, an animation), which
    /// skips the coarse search of the polar caps; where that does not
    /// converge, the full search runs. The result is the same pole.
    pub fn poles_near(
        &self,
        year: f64,
        altitude_km: f64,
        start: Option<&Poles>,
    ) -> Result<Poles, ModelError> {
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
        let mut dip = |north: bool| {
            let near = start.map(|p| if north { p.north_dip } else { p.south_dip });
            near.and_then(|near| {
                dip_pole(&mut evaluator, year, altitude_km, north, Some(near)).ok()
            })
            .map_or_else(
                || dip_pole(&mut evaluator, year, altitude_km, north, None),
                Ok,
            )
        };
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

/// The dip pole of one hemisphere: from `start`, or else from the
/// smallest H on a coarse grid of the polar cap, Newton's method on
/// (X, Y) = 0 in coordinates centred on the geographic pole (u, v =
/// colatitude · cos, sin of longitude), which have no singularity there.
fn dip_pole(
    evaluator: &mut Evaluator,
    year: f64,
    altitude_km: f64,
    north: bool,
    start: Option<PolePosition>,
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
    // The horizontal field in the (u, v) axes, which, unlike north and
    // east, do not turn with longitude: smooth through the geographic
    // pole, so the Jacobian below is right even near it.
    let mut field = |u: f64, v: f64| -> Result<[f64; 2], String> {
        let p = at(u, v);
        let position = Position::geodetic(p.latitude_deg, p.longitude_deg, altitude_km)
            .map_err(|e| e.to_string())?;
        let e = evaluator.elements_reference(&position, year);
        let (sin_l, cos_l) = p.longitude_deg.to_radians().sin_cos();
        // Away from the pole (+u at longitude 0) is south in the north, north in the south.
        let (x, y) = (-hemisphere * e.north_nt, e.east_nt);
        Ok([x * cos_l - y * sin_l, x * sin_l + y * cos_l])
    };
    let (mut u, mut v, mut best) = (0.0, 0.0, f64::INFINITY);
    if let Some(start) = start {
        let colatitude = 90.0 - hemisphere * start.latitude_deg;
        let longitude = start.longitude_deg.to_radians();
        (u, v) = (colatitude * longitude.cos(), colatitude * longitude.sin());
    }
    // Coarse start: every 2° of colatitude to 50°, every 4° of longitude.
    let coarse = if start.is_some() { 0 } else { 26 };
    for colatitude in (0..coarse).map(|i| f64::from(i) * 2.0) {
        for longitude in (0..90).map(|i| f64::from(i * 4).to_radians()) {
            let (cu, cv) = (colatitude * longitude.cos(), colatitude * longitude.sin());
            let [x, y] = field(cu, cv)?;
            let h = x.hypot(y);
            if h < best {
                (u, v, best) = (cu, cv, h);
            }
        }
    }
    // Newton on the horizontal field with a numerical Jacobian.
    const STEP_DEG: f64 = 1e-4;
    // Newton converges quadratically: iterating on far below the
    // tolerance puts the pole at the model's own zero, the same whatever
    // path led there (1e-10° or better), not wherever 0.01 nT was crossed.
    const SETTLED_NT: f64 = DIP_POLE_TOLERANCE_NT * 1e-5;
    let mut best_within_tolerance = None;
    for _ in 0..60 {
        let [x, y] = field(u, v)?;
        let h = x.hypot(y);
        if h < SETTLED_NT {
            return Ok(at(u, v));
        }
        if h < DIP_POLE_TOLERANCE_NT {
            best_within_tolerance = Some(at(u, v));
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
    if let Some(pole) = best_within_tolerance {
        return Ok(pole);
    }
    Err(format!(
        "the {} dip pole did not converge to H < {DIP_POLE_TOLERANCE_NT} nT",
        if north { "north" } else { "south" }
    ))
}

/// A pole's track as lines of [longitude, latitude], cut where a step
/// crosses ±180° (the shorter way round), the crossing interpolated on
/// both sides, as RFC 7946 asks of GeoJSON.
pub fn track_lines(track: &[PolePosition]) -> Vec<Vec<[f64; 2]>> {
    let mut lines = vec![Vec::new()];
    for (i, p) in track.iter().enumerate() {
        if i > 0 {
            let previous = track[i - 1];
            let step = p.longitude_deg - previous.longitude_deg;
            if step.abs() > 180.0 {
                // Unwrap the step, find where it meets ±180°.
                let sign = if step > 0.0 { -1.0 } else { 1.0 };
                let unwrapped = p.longitude_deg + sign * 360.0;
                let edge = sign * 180.0;
                let t = (edge - previous.longitude_deg) / (unwrapped - previous.longitude_deg);
                let latitude = previous.latitude_deg + t * (p.latitude_deg - previous.latitude_deg);
                lines.last_mut().expect("a line").push([edge, latitude]);
                lines.push(vec![[-edge, latitude]]);
            }
        }
        lines
            .last_mut()
            .expect("a line")
            .push([p.longitude_deg, p.latitude_deg]);
    }
    lines
}

/// Poles as GeoJSON, the FeatureCollection `magvar poles --format geojson`
/// writes and the GUI saves: one Feature per pole (`north_dip`,
/// `south_dip`, `north_geomagnetic`, `south_geomagnetic`), a Point for one
/// date, for several each pole's track as a LineString (a MultiLineString
/// where it crosses ±180°, see [`track_lines`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoleCollection {
    #[serde(rename = "type")]
    kind: &'static str,
    pub features: Vec<PoleFeature>,
}

/// One pole's position or track.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoleFeature {
    #[serde(rename = "type")]
    kind: &'static str,
    pub geometry: PoleGeometry,
    pub properties: PoleProperties,
}

/// A GeoJSON geometry of [longitude, latitude] positions, degrees.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum PoleGeometry {
    Point([f64; 2]),
    LineString(Vec<[f64; 2]>),
    MultiLineString(Vec<Vec<[f64; 2]>>),
}

/// Which pole, from which models, at which dates (decimal years), and
/// whether its latitude is geodetic (dip poles) or geocentric
/// (geomagnetic poles).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoleProperties {
    pub pole: &'static str,
    pub models: Vec<String>,
    pub from: f64,
    pub to: f64,
    pub dates: Vec<f64>,
    pub latitude: &'static str,
}

impl Poles {
    /// The four poles with their GeoJSON names.
    pub fn named(&self) -> [(&'static str, PolePosition); 4] {
        [
            ("north_dip", self.north_dip),
            ("south_dip", self.south_dip),
            ("north_geomagnetic", self.north_geomagnetic),
            ("south_geomagnetic", self.south_geomagnetic),
        ]
    }
}

/// The poles of `rows` (one date or a series of dates) as GeoJSON: Points
/// for one date, tracks for several (see [`PoleCollection`]). Empty for
/// no rows.
pub fn pole_collection(rows: &[Poles]) -> PoleCollection {
    let mut features = Vec::new();
    let Some(first) = rows.first() else {
        return PoleCollection {
            kind: "FeatureCollection",
            features,
        };
    };
    for (k, (name, _)) in first.named().into_iter().enumerate() {
        let track: Vec<PolePosition> = rows.iter().map(|p| p.named()[k].1).collect();
        let mut models: Vec<String> = rows.iter().map(|p| p.model.clone()).collect();
        models.dedup();
        // A LineString needs two positions (RFC 7946): one date is a Point.
        let geometry = if track.len() > 1 {
            let mut lines = track_lines(&track);
            if lines.len() == 1 {
                PoleGeometry::LineString(lines.remove(0))
            } else {
                PoleGeometry::MultiLineString(lines)
            }
        } else {
            PoleGeometry::Point([track[0].longitude_deg, track[0].latitude_deg])
        };
        features.push(PoleFeature {
            kind: "Feature",
            geometry,
            properties: PoleProperties {
                pole: name,
                models,
                from: first.date,
                to: rows[rows.len() - 1].date,
                dates: rows.iter().map(|p| p.date).collect(),
                latitude: if name.contains("geomagnetic") {
                    "geocentric"
                } else {
                    "geodetic"
                },
            },
        });
    }
    PoleCollection {
        kind: "FeatureCollection",
        features,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_are_cut_at_the_antimeridian() {
        let at = |latitude_deg, longitude_deg| PolePosition {
            latitude_deg,
            longitude_deg,
        };
        let lines = track_lines(&[at(80.0, 170.0), at(82.0, -170.0), at(83.0, -160.0)]);
        assert_eq!(
            lines,
            vec![
                vec![[170.0, 80.0], [180.0, 81.0]],
                vec![[-180.0, 81.0], [-170.0, 82.0], [-160.0, 83.0]]
            ]
        );
        let westward = track_lines(&[at(0.0, -175.0), at(2.0, 175.0)]);
        assert_eq!(
            westward,
            vec![
                vec![[-175.0, 0.0], [-180.0, 1.0]],
                vec![[180.0, 1.0], [175.0, 2.0]]
            ]
        );
        assert_eq!(track_lines(&[at(1.0, 10.0), at(2.0, 20.0)]).len(), 1);
    }

    #[test]
    fn a_warm_start_finds_the_same_poles() {
        let model = crate::BuiltinModel::Igrf14.model();
        let before = model.poles(2019.0, 0.0).unwrap();
        for year in [2020.0, 2024.5] {
            let cold = model.poles(year, 0.0).unwrap();
            let warm = model.poles_near(year, 0.0, Some(&before)).unwrap();
            for ((_, a), (_, b)) in cold.named().into_iter().zip(warm.named()) {
                assert!((a.latitude_deg - b.latitude_deg).abs() < 1e-7, "{year}");
                assert!((a.longitude_deg - b.longitude_deg).abs() < 1e-6, "{year}");
            }
        }
    }

    #[test]
    fn one_date_gives_points_and_a_series_gives_tracks() {
        let model = crate::BuiltinModel::Igrf14.model();
        let one = pole_collection(&[model.poles(2000.0, 0.0).unwrap()]);
        assert_eq!(one.features.len(), 4);
        assert!(matches!(one.features[0].geometry, PoleGeometry::Point(_)));
        let rows: Vec<Poles> = (2010..=2020)
            .map(|y| model.poles(f64::from(y), 0.0).unwrap())
            .collect();
        let tracks = pole_collection(&rows);
        // The north dip pole crossed 180° around 2017.
        assert!(matches!(
            tracks.features[0].geometry,
            PoleGeometry::MultiLineString(_)
        ));
        assert_eq!(tracks.features[0].properties.pole, "north_dip");
        assert_eq!(tracks.features[0].properties.dates.len(), 11);
        assert!(pole_collection(&[]).features.is_empty());
    }
}
