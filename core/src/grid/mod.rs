//! Whole grids and point batches: the fast paths.
//!
//! On a grid the Legendre functions depend only on latitude and cos/sin(mλ)
//! only on longitude, so each row costs one sum over degree (a circle, as
//! in GeographicLib's MagneticCircle) and each point half a pass over
//! order: rows are symmetric about their centre longitude, so one pass
//! gives two points ([`rows`]). Rows run in parallel on rayon's pool; the
//! values are stored as one raster band per element.

mod rows;

use crate::elements::{Element, MagneticElements};
use crate::error::InputError;
use crate::geodesy::SphericalPoint;
use crate::lanes::PackedExpansion;
use crate::model::MagneticModel;
use crate::position::{HeightReference, Position};
use crate::quantity::Quantity;
use crate::synthesis::SynthesisWorkspace;
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
        // Counted in f64 first: a tiny step would overflow the integer count.
        let nodes = |from: f64, to: f64| ((to - from) / step_deg + 1e-9).floor() + 1.0;
        let points = nodes(west_deg, east_deg) * nodes(south_deg, north_deg);
        if points > 2e8 {
            return Err(bad(format!(
                "{points:.0} points is more than the 200 million a grid may have"
            )));
        }
        Ok(GridSpec {
            west_deg,
            south_deg,
            east_deg,
            north_deg,
            step_deg,
        })
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

/// Field elements on a grid, rows north to south, each row west to east,
/// stored as one raster band per [`Quantity`] (element or rate), in the
/// table's order.
#[derive(Debug, Clone)]
pub struct Grid {
    pub spec: GridSpec,
    pub latitudes_deg: Vec<f64>,
    pub longitudes_deg: Vec<f64>,
    bands: Vec<Vec<f64>>,
}

impl Default for Grid {
    /// An empty grid: a buffer for [`MagneticModel::grid_into`].
    fn default() -> Self {
        Grid {
            spec: GridSpec {
                west_deg: 0.0,
                south_deg: 0.0,
                east_deg: 0.0,
                north_deg: 0.0,
                step_deg: 1.0,
            },
            latitudes_deg: Vec::new(),
            longitudes_deg: Vec::new(),
            bands: vec![Vec::new(); Quantity::FIELD_COUNT],
        }
    }
}

impl Grid {
    /// Values of `element`, row-major (`[row * columns + column]`), in the
    /// element's unit; grid variation is NaN where it is undefined.
    ///
    /// # Panics
    /// If the grid was made by [`MagneticModel::grid_of`] without `element`.
    pub fn values(&self, element: Element) -> &[f64] {
        let values = &self.bands[Quantity::value_of(element) as usize];
        assert!(
            values.len() == self.len(),
            "this grid was made without {}",
            element.name()
        );
        values
    }

    /// The band of `quantity`, row-major, in its unit (grid variation NaN
    /// where undefined); `None` if the grid was made without it.
    pub fn band(&self, quantity: Quantity) -> Option<&[f64]> {
        Some(self.bands[quantity as usize].as_slice()).filter(|band| band.len() == self.len())
    }

    /// Rates of change of `element` per year, row-major; `None` for grid
    /// variation, which has no rate, and for a grid made without rates.
    pub fn rates(&self, element: Element) -> Option<&[f64]> {
        Quantity::rate_of(element).and_then(|rate| self.band(rate))
    }

    /// The number of nodes: rows × columns.
    pub fn len(&self) -> usize {
        self.latitudes_deg.len() * self.longitudes_deg.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One element at one node; `None` only for undefined grid variation.
    pub fn value(&self, row: usize, column: usize, element: Element) -> Option<f64> {
        let v = self.values(element)[row * self.longitudes_deg.len() + column];
        (!v.is_nan()).then_some(v)
    }

    /// `quantity` at any longitude and latitude (degrees) inside the grid,
    /// interpolated bilinearly between the four nodes around it; `None`
    /// outside the grid or for a band it was made without. A longitude
    /// 360° away from the grid's is taken as the same meridian. Angles that
    /// jump by 360° (declination near the magnetic poles) are interpolated
    /// as plain numbers.
    pub fn interpolate(
        &self,
        quantity: Quantity,
        longitude_deg: f64,
        latitude_deg: f64,
    ) -> Option<f64> {
        let values = self.band(quantity)?;
        let (lons, lats) = (&self.longitudes_deg, &self.latitudes_deg);
        let (&west, &east) = (lons.first()?, lons.last()?);
        let (&north, &south) = (lats.first()?, lats.last()?);
        let longitude = [0.0, 360.0, -360.0]
            .into_iter()
            .map(|turn| longitude_deg + turn)
            .find(|lon| (west..=east).contains(lon))?;
        if !(south..=north).contains(&latitude_deg) {
            return None;
        }
        let step = self.spec.step_deg;
        let cell = |offset: f64, count: usize| -> (usize, f64) {
            let x = offset / step;
            let i = (x.floor().max(0.0) as usize).min(count.saturating_sub(2));
            (i, (x - i as f64).clamp(0.0, 1.0))
        };
        let (c, tx) = cell(longitude - west, lons.len());
        let (r, ty) = cell(north - latitude_deg, lats.len());
        let columns = lons.len();
        let at = |row: usize, column: usize| {
            values[row.min(lats.len() - 1) * columns + column.min(columns - 1)]
        };
        let top = at(r, c) * (1.0 - tx) + at(r, c + 1) * tx;
        let bottom = at(r + 1, c) * (1.0 - tx) + at(r + 1, c + 1) * tx;
        Some(top * (1.0 - ty) + bottom * ty)
    }

    /// Sets a band from a function of (longitude, latitude): test grids
    /// with known values.
    #[cfg(test)]
    pub(crate) fn set_band_for_tests(
        &mut self,
        quantity: Quantity,
        value: impl Fn(f64, f64) -> f64,
    ) {
        let mut band = Vec::with_capacity(self.len());
        for &lat in &self.latitudes_deg {
            for &lon in &self.longitudes_deg {
                band.push(value(lon, lat));
            }
        }
        self.bands[quantity as usize] = band;
    }

    /// Every element and rate at one node.
    ///
    /// # Panics
    /// If the grid was made by [`MagneticModel::grid_of`].
    pub fn at(&self, row: usize, column: usize) -> MagneticElements {
        let i = row * self.longitudes_deg.len() + column;
        MagneticElements::from_quantities(|quantity| self.bands[quantity as usize][i])
    }
}

impl MagneticModel {
    /// The elements on a geodetic grid at `altitude_km` above the
    /// ellipsoid on `year` (decimal), rows in parallel. No validity check:
    /// call [`check_date`](Self::check_date) first.
    pub fn grid(&self, spec: &GridSpec, altitude_km: f64, year: f64) -> Grid {
        let mut grid = Grid::default();
        self.grid_into(&mut grid, spec, altitude_km, year);
        grid
    }

    /// As [`grid`](Self::grid), reusing `grid`'s storage: for grids
    /// computed again and again (an animation, a server), which then cost
    /// no allocation or page faults.
    pub fn grid_into(&self, grid: &mut Grid, spec: &GridSpec, altitude_km: f64, year: f64) {
        self.fill_grid(grid, spec, altitude_km, year, [true; Quantity::FIELD_COUNT]);
    }

    /// A grid of only `elements` (no rates): the same values as
    /// [`grid`](Self::grid), at a fraction of the memory and time, since
    /// writing every band is most of a large grid's cost. [`Grid::values`]
    /// gives them; [`Grid::at`] needs a full grid.
    pub fn grid_of(
        &self,
        spec: &GridSpec,
        altitude_km: f64,
        year: f64,
        elements: &[Element],
    ) -> Grid {
        let quantities: Vec<Quantity> = elements.iter().map(|&e| Quantity::value_of(e)).collect();
        self.grid_of_quantities(spec, altitude_km, year, &quantities)
    }

    /// A grid of only `quantities`, values or rates (e.g. the annual change
    /// of declination for isoporic lines), each band as [`grid`](Self::grid)
    /// gives it; uncertainties are not grid bands and are ignored.
    pub fn grid_of_quantities(
        &self,
        spec: &GridSpec,
        altitude_km: f64,
        year: f64,
        quantities: &[Quantity],
    ) -> Grid {
        let mut wanted = [false; Quantity::FIELD_COUNT];
        for &quantity in quantities {
            if let Some(slot) = wanted.get_mut(quantity as usize) {
                *slot = true;
            }
        }
        let mut grid = Grid::default();
        self.fill_grid(&mut grid, spec, altitude_km, year, wanted);
        grid
    }

    /// A grid of `elements` whose altitude is above `reference`: for
    /// mean sea level each node's height above the ellipsoid is the
    /// altitude plus the geoid's there (EGM96, [`crate::geoid`]), so the
    /// nodes go through the point kernel, rows in parallel (about a
    /// quarter of the row path's speed), not the circle sums of one height.
    pub fn grid_of_above(
        &self,
        spec: &GridSpec,
        altitude_km: f64,
        reference: HeightReference,
        year: f64,
        elements: &[Element],
    ) -> Result<Grid, InputError> {
        if reference == HeightReference::Ellipsoid {
            return Ok(self.grid_of(spec, altitude_km, year, elements));
        }
        let mut grid = Grid {
            spec: *spec,
            latitudes_deg: spec.latitudes(),
            longitudes_deg: spec.longitudes(),
            bands: vec![Vec::new(); Quantity::FIELD_COUNT],
        };
        let columns = grid.longitudes_deg.len();
        let nodes = grid.len();
        let wanted: Vec<Quantity> = elements.iter().map(|&e| Quantity::value_of(e)).collect();
        for &quantity in &wanted {
            grid.bands[quantity as usize] = vec![0.0; nodes];
        }
        let expansion = PackedExpansion::new(&self.coefficients_at(year));
        let longitudes = &grid.longitudes_deg;
        // Row by row, each row's values band after band.
        let values: Vec<Vec<f64>> = grid
            .latitudes_deg
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new()),
                |(positions, row_elements), &latitude| {
                    positions.clear();
                    for &longitude in longitudes {
                        positions.push(Position::geodetic_msl(latitude, longitude, altitude_km)?);
                    }
                    row_elements.clear();
                    row_elements.resize(positions.len(), MagneticElements::ZERO);
                    expansion.elements_into(positions, row_elements);
                    let mut values = Vec::with_capacity(columns * wanted.len());
                    for &quantity in &wanted {
                        values.extend(
                            row_elements
                                .iter()
                                .map(|e| quantity.get(e).unwrap_or(f64::NAN)),
                        );
                    }
                    Ok(values)
                },
            )
            .collect::<Result<_, InputError>>()?;
        for (row, values) in values.iter().enumerate() {
            for (k, &quantity) in wanted.iter().enumerate() {
                grid.bands[quantity as usize][row * columns..(row + 1) * columns]
                    .copy_from_slice(&values[k * columns..(k + 1) * columns]);
            }
        }
        Ok(grid)
    }

    fn fill_grid(
        &self,
        grid: &mut Grid,
        spec: &GridSpec,
        altitude_km: f64,
        year: f64,
        wanted: [bool; Quantity::FIELD_COUNT],
    ) {
        grid.spec = *spec;
        grid.latitudes_deg = spec.latitudes();
        grid.longitudes_deg = spec.longitudes();
        let columns = grid.longitudes_deg.len();
        let nodes = grid.latitudes_deg.len() * columns;
        grid.bands.resize(Quantity::FIELD_COUNT, Vec::new());
        for (band, &wanted) in grid.bands.iter_mut().zip(&wanted) {
            band.resize(if wanted { nodes } else { 0 }, 0.0);
        }
        // Past the size of the last-level cache, writing the bands around
        // it (non-temporal stores) halves the memory traffic; below it,
        // the values are better left in the cache for the caller.
        const STREAMING_MIN_BYTES: usize = 32 << 20;
        let bytes = wanted.iter().filter(|&&w| w).count() * nodes * size_of::<f64>();
        let streaming = bytes >= STREAMING_MIN_BYTES;
        let coefficients = self.coefficients_at(year);
        let layout = rows::RowLayout::new(&grid.longitudes_deg, spec.step_deg, self.degree());
        let mut band_rows: Vec<_> = grid
            .bands
            .iter_mut()
            .map(|band| band.chunks_mut(columns))
            .collect();
        // A band left out has no chunks: its rows get `None`.
        let rows: Vec<[Option<&mut [f64]>; Quantity::FIELD_COUNT]> = (0..grid.latitudes_deg.len())
            .map(|_| std::array::from_fn(|b| band_rows[b].next()))
            .collect();
        rows.into_par_iter()
            .zip(grid.latitudes_deg.par_iter())
            .for_each_init(
                || {
                    (
                        SynthesisWorkspace::new(self.degree()),
                        rows::RowScratch::default(),
                    )
                },
                |(workspace, scratch), (bands, &latitude)| {
                    let point = SphericalPoint::from_geodetic(latitude, 0.0, altitude_km);
                    let sums = workspace.circle_sums(
                        &coefficients,
                        point.radius_km,
                        point.cos_colatitude,
                        point.sin_colatitude,
                    );
                    rows::Row {
                        layout: &layout,
                        sums,
                        latitude_deg: latitude,
                        cos_psi: point.cos_psi,
                        sin_psi: point.sin_psi,
                        bands,
                        streaming,
                    }
                    .fill(scratch);
                },
            );
    }

    /// The elements at many points on one date, in parallel, in order.
    /// No validity check: call [`check_date`](Self::check_date) first.
    pub fn elements_at_points(&self, positions: &[Position], year: f64) -> Vec<MagneticElements> {
        let mut out = vec![MagneticElements::ZERO; positions.len()];
        self.elements_at_points_into(positions, year, &mut out);
        out
    }

    /// As [`elements_at_points`](Self::elements_at_points), into `out` (one
    /// slot per position): no allocation, for callers that reuse buffers.
    pub fn elements_at_points_into(
        &self,
        positions: &[Position],
        year: f64,
        out: &mut [MagneticElements],
    ) {
        assert_eq!(positions.len(), out.len(), "one output slot per position");
        const CHUNK: usize = 2048;
        let expansion = PackedExpansion::new(&self.coefficients_at(year));
        out.par_chunks_mut(CHUNK)
            .zip(positions.par_chunks(CHUNK))
            .for_each(|(out, positions)| expansion.elements_into(positions, out));
    }
}
