//! [`DatedBatch`]: many points, each on its own date, under a
//! [`ModelChoice`] — a GPS track, a flight log, a table of survey rows.
//! Each point's model is chosen by its date (`auto` switches from IGRF to
//! WMM), its date is checked against that model's validity, and the
//! points that pass go through the lane kernel by model and model segment
//! together, whatever order their dates come in.

use crate::builtin::ModelChoice;
use crate::elements::MagneticElements;
use crate::error::ModelError;
use crate::evaluator::Evaluator;
use crate::model::{DatePolicy, FieldReport, MagneticModel, Warning};
use crate::position::Position;

/// Points each on their own date, evaluated together; then one
/// [`FieldReport`] per point, in input order, written over one report per
/// model so that reading them allocates nothing.
///
/// ```
/// use magvar_core::{DatePolicy, DatedBatch, ModelChoice, Position};
///
/// let choice = ModelChoice::Auto;
/// let mut batch = DatedBatch::new(&choice, DatePolicy::Strict);
/// let track = [
///     Position::geodetic(36.85, -76.29, 0.0)?,
///     Position::geodetic(36.90, -76.10, 0.0)?,
///     Position::geodetic(37.00, -75.90, 0.0)?,
/// ];
/// // The last date is before IGRF-14's first: that point alone fails.
/// batch.evaluate(&track, &[2024.99, 2025.01, 1850.0]);
/// assert_eq!(batch.report(0).unwrap().model, "IGRF-14");
/// assert_eq!(batch.report(1).unwrap().model, "WMM2025");
/// assert!(batch.report(2).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct DatedBatch<'c> {
    choice: &'c ModelChoice,
    policy: DatePolicy,
    /// One per model met (two at most with `auto`).
    groups: Vec<ModelGroup<'c>>,
    /// Date checks, one per run of points on the same date.
    checks: Vec<Result<Option<Warning>, ModelError>>,
    /// Where each point's result is.
    slots: Vec<Slot>,
}

/// One evaluated point of a [`DatedBatch`].
#[derive(Debug, Clone, Copy)]
pub struct DatedPoint<'b, 'm> {
    pub model: &'m MagneticModel,
    pub position: &'b Position,
    /// Decimal year.
    pub year: f64,
    pub elements: &'b MagneticElements,
    /// The date's warning (extrapolated), if any.
    pub date_warning: Option<&'b Warning>,
}

/// The points of one model and their elements.
struct ModelGroup<'m> {
    evaluator: Evaluator<'m>,
    positions: Vec<Position>,
    years: Vec<f64>,
    elements: Vec<MagneticElements>,
    /// Written over for each point's report.
    report: FieldReport,
}

/// A point's model group, its index there (`None` if its date failed the
/// check) and the index of its date's check.
#[derive(Clone, Copy)]
struct Slot {
    group: usize,
    index: Option<usize>,
    check: usize,
}

impl<'c> DatedBatch<'c> {
    pub fn new(choice: &'c ModelChoice, policy: DatePolicy) -> Self {
        DatedBatch {
            choice,
            policy,
            groups: Vec::new(),
            checks: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Evaluates `positions`, each on its own date (`years`, decimal, one
    /// per position), replacing what an earlier call held. The models'
    /// expansions are kept for the next call.
    ///
    /// # Panics
    /// If `years` and `positions` differ in length.
    pub fn evaluate(&mut self, positions: &[Position], years: &[f64]) {
        assert_eq!(positions.len(), years.len(), "one year per position");
        for group in &mut self.groups {
            group.positions.clear();
            group.years.clear();
            group.elements.clear();
        }
        self.checks.clear();
        self.slots.clear();
        let mut last_check: Option<(u64, usize)> = None;
        for (position, &year) in positions.iter().zip(years) {
            let model = self.choice.model_for(year);
            let group = self.group_of(model);
            // One check per run of points on the same date (the model
            // follows from the date).
            let check = match last_check {
                Some((bits, check)) if bits == year.to_bits() => check,
                _ => {
                    self.checks.push(model.check_date(year, self.policy));
                    last_check = Some((year.to_bits(), self.checks.len() - 1));
                    self.checks.len() - 1
                }
            };
            let index = self.checks[check].is_ok().then(|| {
                let group = &mut self.groups[group];
                group.positions.push(*position);
                group.years.push(year);
                group.positions.len() - 1
            });
            self.slots.push(Slot {
                group,
                index,
                check,
            });
        }
        for group in &mut self.groups {
            group.evaluator.elements_many_dated(
                &group.positions,
                &group.years,
                &mut group.elements,
            );
        }
    }

    /// The index of `model`'s group, made on first need.
    fn group_of(&mut self, model: &'c MagneticModel) -> usize {
        if let Some(g) = self
            .groups
            .iter()
            .position(|g| std::ptr::eq(g.evaluator.model(), model))
        {
            return g;
        }
        self.groups.push(ModelGroup {
            evaluator: Evaluator::new(model),
            positions: Vec::new(),
            years: Vec::new(),
            elements: Vec::new(),
            report: FieldReport::empty(),
        });
        self.groups.len() - 1
    }

    /// How many points the last [`evaluate`](Self::evaluate) was given.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Point `i`'s model, position, date, elements and date warning (or why
    /// its date has none): what its report is made of, without writing
    /// one, for callers that store results column by column.
    ///
    /// # Panics
    /// If `i` is not below [`len`](Self::len).
    pub fn point(&self, i: usize) -> Result<DatedPoint<'_, 'c>, &ModelError> {
        let slot = self.slots[i];
        let date_warning = match &self.checks[slot.check] {
            Ok(warning) => warning.as_ref(),
            Err(error) => return Err(error),
        };
        let index = slot.index.expect("a point whose date passed is evaluated");
        let group = &self.groups[slot.group];
        Ok(DatedPoint {
            model: group.evaluator.model(),
            position: &group.positions[index],
            year: group.years[index],
            elements: &group.elements[index],
            date_warning,
        })
    }

    /// The report of point `i` (as [`MagneticModel::field`] gives it, on
    /// the lane kernel), or why its date has none. The report is written
    /// over for the next call of its model.
    ///
    /// # Panics
    /// If `i` is not below [`len`](Self::len).
    pub fn report(&mut self, i: usize) -> Result<&FieldReport, &ModelError> {
        let slot = self.slots[i];
        let date_warning = match &self.checks[slot.check] {
            Ok(warning) => warning.as_ref(),
            Err(error) => return Err(error),
        };
        let index = slot.index.expect("a point whose date passed is evaluated");
        let group = &mut self.groups[slot.group];
        let model = group.evaluator.model();
        model.report_into(
            &mut group.report,
            &group.positions[index],
            group.years[index],
            group.elements[index],
            date_warning,
        );
        Ok(&group.report)
    }
}
