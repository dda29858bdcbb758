//! [`Evaluator`]: one model at many points, keeping the scratch space,
//! the coefficients of the last date and the lane kernel's expansion
//! between calls.

use crate::elements::MagneticElements;
use crate::error::ModelError;
use crate::lanes::PackedExpansion;
use crate::model::{DatePolicy, FieldReport, MagneticModel};
use crate::position::Position;
use crate::synthesis::{FieldCoefficients, SynthesisWorkspace};

/// Evaluates one model at many points, keeping the scratch space, the
/// coefficients of the last date and the lane kernel's expansions between
/// calls.
#[derive(Debug, Clone)]
pub struct Evaluator<'m> {
    model: &'m MagneticModel,
    /// The plain synthesis' scratch, made on first use.
    workspace: Option<SynthesisWorkspace>,
    cached: Option<(f64, FieldCoefficients)>,
    packed: Option<(f64, PackedExpansion)>,
    /// The expansions at the start of the model's segments, by segment
    /// index, each built on first use: points on any date in a segment
    /// use its expansion.
    segment_packed: Vec<Option<PackedExpansion>>,
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m MagneticModel) -> Self {
        Evaluator {
            model,
            workspace: None,
            cached: None,
            packed: None,
            segment_packed: Vec::new(),
        }
    }

    pub fn model(&self) -> &'m MagneticModel {
        self.model
    }

    /// Field elements and rates at `position` on `year` (decimal year).
    pub fn field(
        &mut self,
        position: &Position,
        year: f64,
        policy: DatePolicy,
    ) -> Result<FieldReport, ModelError> {
        self.field_by(position, year, policy, Self::elements)
    }

    /// The elements alone, without validity checks or warnings: one point
    /// on the expansion of the date's model segment laid out orders across
    /// lanes ([`crate::lanes::PointExpansion`], built once per segment by
    /// the model, so a new date costs nothing), equal to
    /// [`elements_reference`](Self::elements_reference) to 1e-9.
    pub fn elements(&mut self, position: &Position, year: f64) -> MagneticElements {
        // The model keeps the layouts: every evaluator of it shares them.
        self.model.elements_at(position, year)
    }

    /// [`field`](Self::field) by the plain synthesis
    /// ([`elements_reference`](Self::elements_reference)): for one point,
    /// cheaper than laying out the lane kernel's expansion.
    pub fn field_reference(
        &mut self,
        position: &Position,
        year: f64,
        policy: DatePolicy,
    ) -> Result<FieldReport, ModelError> {
        self.field_by(position, year, policy, Self::elements_reference)
    }

    /// The date check, `elements` and the report around them.
    fn field_by(
        &mut self,
        position: &Position,
        year: f64,
        policy: DatePolicy,
        elements: fn(&mut Self, &Position, f64) -> MagneticElements,
    ) -> Result<FieldReport, ModelError> {
        let date_warning = self.model.check_date(year, policy)?;
        let elements = elements(self, position, year);
        Ok(self
            .model
            .report(position, year, elements, date_warning.as_ref()))
    }

    /// The elements by the plain synthesis ([`crate::synthesis`]), one
    /// point at a time in scalar code: the reference that the fast paths
    /// (lane kernel, grids) are tested against.
    pub fn elements_reference(&mut self, position: &Position, year: f64) -> MagneticElements {
        self.cache_coefficients(year);
        let coefficients = &self.cached.as_ref().expect("just cached").1;
        let workspace = Self::workspace(&mut self.workspace, self.model);
        Self::synthesize(workspace, coefficients, position)
    }

    /// Keeps the expansion of `year`, computed once per date.
    fn cache_coefficients(&mut self, year: f64) {
        if self.cached.as_ref().is_none_or(|(y, _)| *y != year) {
            self.cached = Some((year, self.model.coefficients_at(year)));
        }
    }

    /// The elements at many points on one date, appended to `out` in order:
    /// the lane kernel, a vector's worth of points at a time (eight with
    /// AVX-512, [`LANES`](crate::lanes::LANES) otherwise). No validity checks.
    pub fn elements_many(
        &mut self,
        positions: &[Position],
        year: f64,
        out: &mut Vec<MagneticElements>,
    ) {
        self.packed_at(year).elements_many(positions, out);
    }

    /// The elements at many points, each on its own date (`years`, one
    /// per position, decimal), appended to `out` in order: a GPS track or
    /// a flight log, whose every row has its own time. No validity checks.
    ///
    /// Within one segment of the model the coefficients are linear in
    /// time, so the field at year t is the field at the segment's start
    /// plus (t − start) times the secular variation, which the lane kernel
    /// computes anyway: points of any dates in one segment share one
    /// expansion, and go through the kernel together, in whatever order
    /// the dates come.
    pub fn elements_many_dated(
        &mut self,
        positions: &[Position],
        years: &[f64],
        out: &mut Vec<MagneticElements>,
    ) {
        assert_eq!(positions.len(), years.len(), "one year per position");
        let segments: Vec<usize> = years.iter().map(|&y| self.model.segment_index(y)).collect();
        let Some(&first) = segments.first() else {
            return;
        };
        if segments.iter().all(|&s| s == first) {
            // The common case (WMM has one segment, a track seldom crosses
            // one of IGRF's five-year epochs).
            self.elements_in_segment(first, positions, years, out);
            return;
        }
        // Each segment's points together, then back into input order.
        let start = out.len();
        out.resize(start + positions.len(), MagneticElements::ZERO);
        // Counting sort of the point indices by segment: O(points + segments).
        let mut first_of = vec![0usize; self.model.segment_count() + 1];
        for &s in &segments {
            first_of[s + 1] += 1;
        }
        for s in 0..self.model.segment_count() {
            first_of[s + 1] += first_of[s];
        }
        let mut order = vec![0usize; segments.len()];
        let mut fill = first_of.clone();
        for (i, &s) in segments.iter().enumerate() {
            order[fill[s]] = i;
            fill[s] += 1;
        }
        let (mut segment_positions, mut segment_years, mut elements) =
            (Vec::new(), Vec::new(), Vec::new());
        for segment in 0..self.model.segment_count() {
            let members = &order[first_of[segment]..first_of[segment + 1]];
            if members.is_empty() {
                continue;
            }
            segment_positions.clear();
            segment_positions.extend(members.iter().map(|&i| positions[i]));
            segment_years.clear();
            segment_years.extend(members.iter().map(|&i| years[i]));
            elements.clear();
            self.elements_in_segment(segment, &segment_positions, &segment_years, &mut elements);
            for (&i, value) in members.iter().zip(&elements) {
                out[start + i] = *value;
            }
        }
    }

    /// [`Self::elements_many_dated`] for points all in segment `segment`.
    fn elements_in_segment(
        &mut self,
        segment: usize,
        positions: &[Position],
        years: &[f64],
        out: &mut Vec<MagneticElements>,
    ) {
        let reference_year = self.model.segment_start_year(segment);
        self.segment_packed(segment)
            .elements_many_dated(positions, years, reference_year, out);
    }

    /// The lane kernel's expansion at the start of model segment
    /// `segment`, built once per segment.
    fn segment_packed(&mut self, segment: usize) -> &PackedExpansion {
        if self.segment_packed.is_empty() {
            self.segment_packed.resize(self.model.segment_count(), None);
        }
        let model = self.model;
        self.segment_packed[segment].get_or_insert_with(|| {
            PackedExpansion::new(&model.coefficients_at(model.segment_start_year(segment)))
        })
    }

    /// The lane kernel's expansion at `year`, built once per date.
    fn packed_at(&mut self, year: f64) -> &PackedExpansion {
        if self.packed.as_ref().is_none_or(|(y, _)| *y != year) {
            self.cache_coefficients(year);
            let coefficients = &self.cached.as_ref().expect("just cached").1;
            self.packed = Some((year, PackedExpansion::new(coefficients)));
        }
        &self.packed.as_ref().expect("just packed").1
    }

    /// Full reports for many points on one date, in order: the date is
    /// checked once, the field comes from the lane kernel.
    pub fn reports_many(
        &mut self,
        positions: &[Position],
        year: f64,
        policy: DatePolicy,
    ) -> Result<Vec<FieldReport>, ModelError> {
        let date_warning = self.model.check_date(year, policy)?;
        let mut elements = Vec::with_capacity(positions.len());
        self.elements_many(positions, year, &mut elements);
        Ok(positions
            .iter()
            .zip(elements)
            .map(|(position, elements)| {
                self.model
                    .report(position, year, elements, date_warning.as_ref())
            })
            .collect())
    }

    /// The elements of a given expansion at `position` (for callers that
    /// shift coefficients in time themselves, such as geomag's 1-year
    /// differences).
    pub fn elements_of(
        &mut self,
        coefficients: &FieldCoefficients,
        position: &Position,
    ) -> MagneticElements {
        let workspace = Self::workspace(&mut self.workspace, self.model);
        Self::synthesize(workspace, coefficients, position)
    }

    /// The plain synthesis' scratch in `slot`, made on first use.
    fn workspace<'w>(
        slot: &'w mut Option<SynthesisWorkspace>,
        model: &MagneticModel,
    ) -> &'w mut SynthesisWorkspace {
        slot.get_or_insert_with(|| SynthesisWorkspace::new(model.degree()))
    }

    fn synthesize(
        workspace: &mut SynthesisWorkspace,
        coefficients: &FieldCoefficients,
        position: &Position,
    ) -> MagneticElements {
        let point = position.spherical_point();
        let (field, rate) = workspace.point(
            coefficients,
            point.radius_km,
            point.cos_colatitude,
            point.sin_colatitude,
            point.longitude_rad,
        );
        MagneticElements::from_vectors(
            field.rotated(point.cos_psi, point.sin_psi),
            rate.rotated(point.cos_psi, point.sin_psi),
            position.latitude_deg,
            position.longitude_deg,
        )
    }
}
