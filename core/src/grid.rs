//! Whole grids and point batches: the fast paths.
//!
//! On a grid the Legendre functions depend only on latitude and cos/sin(mλ)
//! only on longitude, so each row costs one sum over degree (a circle, as
//! in GeographicLib's MagneticCircle) and each point one pass over order,
//! written as loops across the row's longitudes that the compiler
//! vectorises. Rows run in parallel on rayon's pool.

use crate::elements::MagneticElements;
use crate::error::InputError;
use crate::geodesy::SphericalPoint;
use crate::model::{Evaluator, MagneticModel};
use crate::position::Position;
use crate::synthesis::{CircleSums, FieldVector, SynthesisWorkspace};
use rayon::prelude::*;

/// A regular latitude/longitude grid, degrees. Both ends are included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridSpec {
    pub west_deg: f64,
    pub south_deg: f64,
    pub east_deg: f64,
    pub north_deg: f64,
    pub step_deg: f64,
}

impl GridSpec {
    /// The whole globe: longitudes −180..=180, latitudes −90..=90.
    pub fn global(step_deg: f64) -> Result<Self, InputError> {
        Self::new(-180.0, -90.0, 180.0, 90.0, step_deg)
    }

    /// A bounding box W,S,E,N in degrees with spacing `step_deg`.
    pub fn new(
        west_deg: f64,
        south_deg: f64,
        east_deg: f64,
        north_deg: f64,
        step_deg: f64,
    ) -> Result<Self, InputError> {
        let bad = |reason: String| InputError::Grid { reason };
        if !(step_deg > 0.0 && step_deg.is_finite()) {
            return Err(bad(format!(
                "step {step_deg}° must be a positive number of degrees"
            )));
        }
        if !(-90.0..=90.0).contains(&south_deg)
            || !(-90.0..=90.0).contains(&north_deg)
            || south_deg > north_deg
        {
            return Err(bad(format!(
                "latitudes {south_deg}..{north_deg} must lie in -90..90 with south <= north"
            )));
        }
        if !(-180.0..=360.0).contains(&west_deg)
            || !(-180.0..=360.0).contains(&east_deg)
            || west_deg > east_deg
            || east_deg - west_deg > 360.0
        {
            return Err(bad(format!(
                "longitudes {west_deg}..{east_deg} must lie in -180..360 with west <= east, at most 360° apart"
            )));
        }
        let spec = GridSpec {
            west_deg,
            south_deg,
            east_deg,
            north_deg,
            step_deg,
        };
        let points = spec.longitude_count() as f64 * spec.latitude_count() as f64;
        if points > 2e8 {
            return Err(bad(format!(
                "{points:.0} points is more than the 200 million a grid may have"
            )));
        }
        Ok(spec)
    }

    fn count(from: f64, to: f64, step: f64) -> usize {
        // Tolerate rounding: a span of 360 at 0.25 gives 1441 points.
        ((to - from) / step + 1e-9).floor() as usize + 1
    }

    pub fn longitude_count(&self) -> usize {
        Self::count(self.west_deg, self.east_deg, self.step_deg)
    }

    pub fn latitude_count(&self) -> usize {
        Self::count(self.south_deg, self.north_deg, self.step_deg)
    }

    /// Longitudes west to east, degrees.
    pub fn longitudes(&self) -> Vec<f64> {
        (0..self.longitude_count())
            .map(|i| self.west_deg + i as f64 * self.step_deg)
            .collect()
    }

    /// Latitudes north to south (the order of raster rows), degrees.
    pub fn latitudes(&self) -> Vec<f64> {
        (0..self.latitude_count())
            .map(|i| self.north_deg - i as f64 * self.step_deg)
            .collect()
    }
}

/// Field elements on a grid, rows north to south, each row west to east.
#[derive(Debug, Clone)]
pub struct Grid {
    pub spec: GridSpec,
    pub latitudes_deg: Vec<f64>,
    pub longitudes_deg: Vec<f64>,
    /// Row-major: `elements[row * longitudes_deg.len() + column]`.
    pub elements: Vec<MagneticElements>,
}

impl Grid {
    pub fn at(&self, row: usize, column: usize) -> &MagneticElements {
        &self.elements[row * self.longitudes_deg.len() + column]
    }
}

/// cos(mλ) and sin(mλ) for every order m and longitude λ of a row, laid
/// out order-major so the inner loop runs along longitudes.
struct LongitudeTrig {
    columns: usize,
    cos: Vec<f64>,
    sin: Vec<f64>,
}

impl LongitudeTrig {
    fn new(longitudes_deg: &[f64], degree: usize) -> Self {
        let columns = longitudes_deg.len();
        let mut cos = vec![0.0; (degree + 1) * columns];
        let mut sin = vec![0.0; (degree + 1) * columns];
        for (j, lon) in longitudes_deg.iter().enumerate() {
            let (s1, c1) = lon.to_radians().sin_cos();
            let (mut c, mut s) = (1.0, 0.0);
            for m in 0..=degree {
                cos[m * columns + j] = c;
                sin[m * columns + j] = s;
                (c, s) = (c * c1 - s * s1, s * c1 + c * s1);
            }
        }
        LongitudeTrig { columns, cos, sin }
    }
}

/// Sums a circle's orders at every longitude of a row: six components
/// (field and secular variation, geocentric frame), longitude-major.
fn synthesize_row(sums: &CircleSums, trig: &LongitudeTrig, out: &mut [Vec<f64>; 6]) {
    let n = trig.columns;
    for component in out.iter_mut() {
        component.clear();
        component.resize(n, 0.0);
    }
    let [x, y, z, dx, dy, dz] = out;
    for (m, s) in sums.per_order.iter().enumerate() {
        let c = &trig.cos[m * n..(m + 1) * n];
        let sn = &trig.sin[m * n..(m + 1) * n];
        for j in 0..n {
            let (cj, sj) = (c[j], sn[j]);
            x[j] += s[0] * cj + s[1] * sj;
            y[j] += s[2] * sj - s[3] * cj;
            z[j] += s[4] * cj + s[5] * sj;
            dx[j] += s[6] * cj + s[7] * sj;
            dy[j] += s[8] * sj - s[9] * cj;
            dz[j] += s[10] * cj + s[11] * sj;
        }
    }
}

impl MagneticModel {
    /// The elements on a geodetic grid at `altitude_km` above the
    /// ellipsoid on `year` (decimal), rows in parallel. No validity check:
    /// call [`check_date`](Self::check_date) first.
    pub fn grid(&self, spec: &GridSpec, altitude_km: f64, year: f64) -> Grid {
        let latitudes = spec.latitudes();
        let longitudes = spec.longitudes();
        let coefficients = self.coefficients_at(year);
        let trig = LongitudeTrig::new(&longitudes, self.degree());
        let columns = longitudes.len();
        let mut elements = vec![
            MagneticElements::from_vectors(
                FieldVector::default(),
                FieldVector::default(),
                0.0,
                0.0
            );
            latitudes.len() * columns
        ];
        elements
            .par_chunks_mut(columns.max(1))
            .zip(latitudes.par_iter())
            .for_each_init(
                || {
                    (
                        SynthesisWorkspace::new(self.degree()),
                        std::array::from_fn(|_| Vec::new()),
                    )
                },
                |(workspace, buffers), (row, &latitude)| {
                    let point = SphericalPoint::from_geodetic(latitude, 0.0, altitude_km);
                    let sums = workspace.circle(
                        &coefficients,
                        point.radius_km,
                        point.cos_colatitude,
                        point.sin_colatitude,
                    );
                    synthesize_row(&sums, &trig, buffers);
                    let [x, y, z, dx, dy, dz] = &*buffers;
                    for (j, out) in row.iter_mut().enumerate() {
                        let field = FieldVector {
                            north: x[j],
                            east: y[j],
                            down: z[j],
                        }
                        .rotated(point.cos_psi, point.sin_psi);
                        let rate = FieldVector {
                            north: dx[j],
                            east: dy[j],
                            down: dz[j],
                        }
                        .rotated(point.cos_psi, point.sin_psi);
                        *out = MagneticElements::from_vectors(field, rate, latitude, longitudes[j]);
                    }
                },
            );
        Grid {
            spec: *spec,
            latitudes_deg: latitudes,
            longitudes_deg: longitudes,
            elements,
        }
    }

    /// The elements at many points on one date, in parallel, in order.
    /// No validity check: call [`check_date`](Self::check_date) first.
    pub fn elements_at_points(&self, positions: &[Position], year: f64) -> Vec<MagneticElements> {
        const CHUNK: usize = 2048;
        let chunks: Vec<Vec<MagneticElements>> = positions
            .par_chunks(CHUNK)
            .map_init(
                || Evaluator::new(self),
                |evaluator, chunk| {
                    let mut out = Vec::with_capacity(chunk.len());
                    evaluator.elements_many(chunk, year, &mut out);
                    out
                },
            )
            .collect();
        chunks.concat()
    }
}
