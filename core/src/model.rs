//! A geomagnetic model: coefficient epochs over time, its validity, and
//! the evaluation of the field at a position and date.

use crate::coefficients::GaussCoefficients;
use crate::elements::MagneticElements;
use crate::error::ModelError;
use crate::geodesy::{SphericalPoint, WGS84_A_KM, WGS84_F};
use crate::lanes::{PackedExpansion, PointExpansion};
use crate::position::{Coordinates, HeightReference, Position};
use crate::quantity::Quantity;
use crate::synthesis::FieldCoefficients;
use crate::uncertainty::{ErrorModel, Uncertainty};
use serde::{Serialize, Serializer};
use std::fmt;
use std::sync::OnceLock;

/// Horizontal intensity below which a compass is unreliable (WMM "blackout
/// zone"), nT.
pub const BLACKOUT_ZONE_H_NT: f64 = 2000.0;
/// Horizontal intensity below which compass accuracy degrades (WMM
/// "caution zone"), nT.
pub const CAUTION_ZONE_H_NT: f64 = 6000.0;

/// Whether a model named `name` is of the World Magnetic Model family,
/// whose product specification defines the blackout zone (H below
/// [`BLACKOUT_ZONE_H_NT`]) and the caution zone (H below
/// [`CAUTION_ZONE_H_NT`]) that charts of it shade.
pub fn is_wmm_family(name: &str) -> bool {
    name.get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("WMM"))
}

/// The highest degree a model may have. Near the poles the Legendre
/// functions are the product of sinᵐθ, which underflows f64 for large m,
/// and a factor that overflows it; past about degree 1500 the two meet as
/// 0·∞ = NaN within ±70° of latitude (found on a scan of latitudes every
/// 0.05°, and every 0.001° within 0.1° of the poles: finite at degree
/// 1450, NaN at 1600). Published magnetic models stop well below (WMMHR
/// 133, EMM2017 790); `properties.rs` holds a degree-1400 model finite at
/// the poles and where sinᵐθ underflows.
pub const MAX_DEGREE: usize = 1400;

/// One stretch of time on which the coefficients are linear in time.
#[derive(Debug, Clone)]
struct Segment {
    /// Decimal year at which `main` holds.
    start_year: f64,
    main: GaussCoefficients,
    /// nT/yr, carrying `main` to the next epoch (or beyond the last one).
    secular_variation: GaussCoefficients,
}

/// A main-field model: Gauss coefficients at one or more epochs, linear
/// interpolation between them and secular-variation extrapolation after
/// the last. Construct once, evaluate for many points.
#[derive(Debug, Clone)]
pub struct MagneticModel {
    name: String,
    source: String,
    reference_radius_km: f64,
    segments: Vec<Segment>,
    valid_from_year: f64,
    valid_until_year: f64,
    altitude_range_km: Option<(f64, f64)>,
    degree: usize,
    /// The published one-sigma error model, if the model has one.
    error_model: Option<ErrorModel>,
    /// Per segment, its expansion laid out for one point a call, built on
    /// first use: [`MagneticModel::field`] costs no layout after that.
    point_expansions: Vec<OnceLock<PointExpansion>>,
}

/// What a model file or built-in table gives to build a model from.
#[derive(Debug, Clone)]
pub struct ModelDefinition {
    /// Display name, e.g. "WMM2025" or "IGRF-14".
    pub name: String,
    /// Where the coefficients came from (file path or built-in source).
    pub source: String,
    /// Reference radius a, km (6371.2 for IGRF and WMM).
    pub reference_radius_km: f64,
    /// (decimal year, main-field coefficients in nT), ascending by year.
    pub epochs: Vec<(f64, GaussCoefficients)>,
    /// Secular variation after the last epoch, nT/yr.
    pub final_secular_variation: GaussCoefficients,
    /// Validity in decimal years, inclusive.
    pub valid_years: (f64, f64),
    /// Stated altitude range, km above the ellipsoid, if the source states one.
    pub altitude_range_km: Option<(f64, f64)>,
}

/// A note about a result that is computed but deserves the user's caution.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// H < 2000 nT: the compass is unreliable here.
    BlackoutZone { horizontal_nt: f64 },
    /// 2000 ≤ H < 6000 nT: compass accuracy may be degraded.
    CautionZone { horizontal_nt: f64 },
    /// The altitude lies outside the range the model states.
    AltitudeOutOfRange {
        altitude_km: f64,
        model: String,
        min_km: f64,
        max_km: f64,
    },
    /// The date lies outside the model's validity and was extrapolated on request.
    DateExtrapolated {
        date: f64,
        model: String,
        valid_from: f64,
        valid_until: f64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::BlackoutZone { horizontal_nt } => write!(
                f,
                "blackout zone: horizontal intensity {horizontal_nt:.0} nT is below 2000 nT; compass unreliable"
            ),
            Warning::CautionZone { horizontal_nt } => write!(
                f,
                "caution zone: horizontal intensity {horizontal_nt:.0} nT is below 6000 nT; compass accuracy may be degraded"
            ),
            Warning::AltitudeOutOfRange {
                altitude_km,
                model,
                min_km,
                max_km,
            } => write!(
                f,
                "altitude {altitude_km} km is outside {model}'s stated range {min_km}–{max_km} km"
            ),
            Warning::DateExtrapolated {
                date,
                model,
                valid_from,
                valid_until,
            } => write!(
                f,
                "date {date:.4} extrapolated: {model} is valid {valid_from:.1}–{valid_until:.1}"
            ),
        }
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Whether dates outside a model's validity are an error or a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DatePolicy {
    /// Outside the validity: [`ModelError::DateOutOfRange`].
    #[default]
    Strict,
    /// Outside the validity: computed, with [`Warning::DateExtrapolated`].
    Extrapolate,
}

impl DatePolicy {
    /// The policy of an `--extrapolate` flag (or `extrapolate=` argument).
    pub fn extrapolating(extrapolate: bool) -> DatePolicy {
        if extrapolate {
            DatePolicy::Extrapolate
        } else {
            DatePolicy::Strict
        }
    }
}

/// Everything `magvar at` reports about one point: the serialised form has
/// exactly the documented JSON keys ([`FieldReport::KEYS_BEFORE_QUANTITIES`],
/// then every [`Quantity`], then `warnings`).
#[derive(Debug, Clone)]
pub struct FieldReport {
    pub model: String,
    /// Decimal year.
    pub date: f64,
    pub latitude_deg: f64,
    pub longitude_deg: f64,
    /// The altitude as given, km: above the ellipsoid or mean sea level
    /// (`height_reference`), or the radius (geocentric).
    pub altitude_km: f64,
    /// What a geodetic altitude is measured from.
    pub height_reference: HeightReference,
    /// The EGM96 geoid's height above the ellipsoid, m, for an altitude
    /// above mean sea level.
    pub geoid_height_m: Option<f64>,
    pub coordinates: Coordinates,
    pub elements: MagneticElements,
    /// The model's one-sigma uncertainties here; `None` for a model that
    /// publishes no error model (IGRF, files loaded at run time).
    pub uncertainty: Option<Uncertainty>,
    pub warnings: Vec<Warning>,
}

impl FieldReport {
    /// The JSON keys before the quantities', in order.
    pub const KEYS_BEFORE_QUANTITIES: [&'static str; 8] = [
        "model",
        "date",
        "latitude_deg",
        "longitude_deg",
        "altitude_km",
        "height_reference",
        "geoid_height_m",
        "coordinates",
    ];

    /// Every JSON key, in order.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        Self::KEYS_BEFORE_QUANTITIES
            .into_iter()
            .chain(Quantity::ALL.iter().map(|q| q.key()))
            .chain(["warnings"])
    }

    /// The value of `quantity` here (`None` where undefined: grid
    /// variation equatorward of 55°, uncertainties without an error model).
    pub fn get(&self, quantity: Quantity) -> Option<f64> {
        quantity.read(&self.elements, self.uncertainty.as_ref())
    }
}

impl Serialize for FieldReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        let [
            model,
            date,
            latitude,
            longitude,
            altitude,
            reference,
            geoid,
            coordinates,
        ] = Self::KEYS_BEFORE_QUANTITIES;
        map.serialize_entry(model, &self.model)?;
        map.serialize_entry(date, &self.date)?;
        map.serialize_entry(latitude, &self.latitude_deg)?;
        map.serialize_entry(longitude, &self.longitude_deg)?;
        map.serialize_entry(altitude, &self.altitude_km)?;
        map.serialize_entry(reference, &self.height_reference)?;
        map.serialize_entry(geoid, &self.geoid_height_m)?;
        map.serialize_entry(coordinates, &self.coordinates)?;
        for quantity in Quantity::ALL {
            map.serialize_entry(quantity.key(), &self.get(quantity))?;
        }
        map.serialize_entry("warnings", &self.warnings)?;
        map.end()
    }
}

/// Why a degree above [`MAX_DEGREE`] is refused.
pub(crate) fn degree_above_limit(degree: usize) -> String {
    format!(
        "degree {degree} is above {MAX_DEGREE}, the highest magvar evaluates (beyond it the field overflows near the poles)"
    )
}

impl FieldReport {
    /// A report with no model and every value zero, to be written over by
    /// [`MagneticModel::report_into`].
    pub fn empty() -> Self {
        FieldReport {
            model: String::new(),
            date: 0.0,
            latitude_deg: 0.0,
            longitude_deg: 0.0,
            altitude_km: 0.0,
            height_reference: HeightReference::Ellipsoid,
            geoid_height_m: None,
            coordinates: Coordinates::Geodetic,
            elements: MagneticElements::ZERO,
            uncertainty: None,
            // Most points have no warning: no allocation for them.
            warnings: Vec::new(),
        }
    }
}

impl MagneticModel {
    /// Builds a model, checking that the definition is coherent.
    pub fn new(definition: ModelDefinition) -> Result<Self, ModelError> {
        let ModelDefinition {
            name,
            source,
            reference_radius_km,
            epochs,
            final_secular_variation,
            valid_years,
            altitude_range_km,
        } = definition;
        let invalid = |message: String| ModelError::Invalid {
            origin: source.clone(),
            message,
        };
        if epochs.is_empty() {
            return Err(invalid("no coefficient epochs".into()));
        }
        if let Some((year, _)) = epochs.iter().find(|(year, _)| !year.is_finite()) {
            return Err(invalid(format!("epoch {year} is not a finite year")));
        }
        if epochs.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err(invalid("epochs are not in increasing order".into()));
        }
        if reference_radius_km.is_nan() || reference_radius_km <= 0.0 {
            return Err(invalid(format!(
                "reference radius {reference_radius_km} km"
            )));
        }
        if valid_years.0.is_nan() || valid_years.1.is_nan() || valid_years.0 >= valid_years.1 {
            return Err(invalid(format!(
                "validity {}–{} is empty",
                valid_years.0, valid_years.1
            )));
        }
        let degree = epochs
            .iter()
            .map(|(_, c)| c.degree())
            .chain([final_secular_variation.degree()])
            .max()
            .unwrap_or(0);
        if degree > MAX_DEGREE {
            return Err(invalid(degree_above_limit(degree)));
        }
        let mut segments = Vec::with_capacity(epochs.len());
        for (i, (year, main)) in epochs.iter().enumerate() {
            let secular_variation = match epochs.get(i + 1) {
                Some((next_year, next)) => main.rate_to(next, next_year - year),
                None => final_secular_variation.clone(),
            };
            segments.push(Segment {
                start_year: *year,
                main: main.clone().extended_to(degree),
                secular_variation: secular_variation.extended_to(degree),
            });
        }
        let segment_count = segments.len();
        Ok(MagneticModel {
            name,
            source,
            reference_radius_km,
            segments,
            valid_from_year: valid_years.0,
            valid_until_year: valid_years.1,
            altitude_range_km,
            degree,
            error_model: None,
            point_expansions: vec![OnceLock::new(); segment_count],
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The model with its published one-sigma error model (the built-in
    /// WMMs'), which reports then carry as uncertainties.
    pub fn with_error_model(mut self, error_model: ErrorModel) -> Self {
        self.error_model = Some(error_model);
        self
    }

    /// The published error model, if the model has one.
    pub fn error_model(&self) -> Option<&ErrorModel> {
        self.error_model.as_ref()
    }

    /// The one-sigma uncertainties of `elements` by the error model;
    /// `None` for a model without one.
    pub fn uncertainty_at(&self, elements: &MagneticElements) -> Option<Uncertainty> {
        self.error_model.map(|m| m.at(elements.horizontal_nt))
    }

    /// Where the coefficients came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The reference radius a of the expansion, km.
    pub fn reference_radius_km(&self) -> f64 {
        self.reference_radius_km
    }

    /// Maximum spherical-harmonic degree.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// First valid date, decimal year.
    pub fn valid_from_year(&self) -> f64 {
        self.valid_from_year
    }

    /// Last valid date, decimal year (inclusive).
    pub fn valid_until_year(&self) -> f64 {
        self.valid_until_year
    }

    /// The altitude range the model states, km above the ellipsoid.
    pub fn altitude_range_km(&self) -> Option<(f64, f64)> {
        self.altitude_range_km
    }

    /// Whether `year` (decimal) lies within the validity.
    pub fn is_valid_at(&self, year: f64) -> bool {
        year >= self.valid_from_year && year <= self.valid_until_year
    }

    /// Checks the date against the validity under `policy`.
    pub fn check_date(&self, year: f64, policy: DatePolicy) -> Result<Option<Warning>, ModelError> {
        if !year.is_finite() {
            return Err(ModelError::DateOutOfRange {
                model: self.name.clone(),
                date: year,
                valid_from: self.valid_from_year,
                valid_until: self.valid_until_year,
            });
        }
        if self.is_valid_at(year) {
            return Ok(None);
        }
        match policy {
            DatePolicy::Strict => Err(ModelError::DateOutOfRange {
                model: self.name.clone(),
                date: year,
                valid_from: self.valid_from_year,
                valid_until: self.valid_until_year,
            }),
            DatePolicy::Extrapolate => Ok(Some(Warning::DateExtrapolated {
                date: year,
                model: self.name.clone(),
                valid_from: self.valid_from_year,
                valid_until: self.valid_until_year,
            })),
        }
    }

    /// The expansion at `year`: coefficients linear in time within each
    /// segment, extrapolated with the first segment's rate before the
    /// first epoch and with the secular variation after the last.
    pub fn coefficients_at(&self, year: f64) -> FieldCoefficients {
        let segment = &self.segments[self.segment_index(year)];
        FieldCoefficients::new(
            segment
                .main
                .add_scaled(&segment.secular_variation, year - segment.start_year),
            segment.secular_variation.clone(),
            self.reference_radius_km,
        )
    }

    /// How many segments (epochs) the model has.
    pub(crate) fn segment_count(&self) -> usize {
        self.segments.len()
    }

    /// The first year of segment `index`, decimal.
    pub(crate) fn segment_start_year(&self, index: usize) -> f64 {
        self.segments[index].start_year
    }

    /// The segment whose straight line gives the coefficients at `year`:
    /// the last to start at or before it, the first before every epoch.
    pub(crate) fn segment_index(&self, year: f64) -> usize {
        // Start years ascend strictly (checked in `new`): binary search.
        // NaN is before every start, like a year before the first epoch.
        self.segments
            .partition_point(|s| year >= s.start_year)
            .saturating_sub(1)
    }

    /// The field at one position and date: one point on the date's
    /// segment laid out orders across lanes ([`PointExpansion`], built once
    /// per segment and kept by the model), equal to the plain synthesis
    /// ([`crate::Evaluator::field_reference`]) to 1e-9. For many points, use the
    /// batch paths ([`crate::Evaluator::elements_many`], [`crate::DatedBatch`]).
    pub fn field(
        &self,
        position: &Position,
        year: f64,
        policy: DatePolicy,
    ) -> Result<FieldReport, ModelError> {
        let date_warning = self.check_date(year, policy)?;
        let elements = self.elements_at(position, year);
        Ok(self.report(position, year, elements, date_warning.as_ref()))
    }

    /// The elements at one point and date, no validity check: what
    /// [`field`](Self::field) reports.
    pub fn elements_at(&self, position: &Position, year: f64) -> MagneticElements {
        let segment = self.segment_index(year);
        self.point_expansion(segment)
            .element_dated(position, year - self.segment_start_year(segment))
    }

    /// Segment `segment`'s one-point layout, built on first use.
    pub(crate) fn point_expansion(&self, segment: usize) -> &PointExpansion {
        self.point_expansions[segment].get_or_init(|| {
            let coefficients = self.coefficients_at(self.segment_start_year(segment));
            PointExpansion::new(&PackedExpansion::new(&coefficients))
        })
    }

    /// The report of computed elements, with the date's warning (if any)
    /// and the position's.
    pub(crate) fn report(
        &self,
        position: &Position,
        year: f64,
        elements: MagneticElements,
        date_warning: Option<&Warning>,
    ) -> FieldReport {
        let mut report = FieldReport::empty();
        self.report_into(&mut report, position, year, elements, date_warning);
        report
    }

    /// As a report of `elements` at `position` would read, written over
    /// `report`: its model name and warnings keep their storage, so a
    /// caller reporting many points one at a time allocates nothing per
    /// point. `date_warning` is what [`check_date`](Self::check_date) gave
    /// for `year`.
    pub fn report_into(
        &self,
        report: &mut FieldReport,
        position: &Position,
        year: f64,
        elements: MagneticElements,
        date_warning: Option<&Warning>,
    ) {
        if report.model != self.name {
            report.model.clone_from(&self.name);
        }
        report.date = year;
        report.latitude_deg = position.latitude_deg;
        report.longitude_deg = position.longitude_deg;
        report.altitude_km = position.altitude_as_given_km();
        report.height_reference = position.height_reference();
        report.geoid_height_m = position.geoid_height_m();
        report.coordinates = position.coordinates;
        report.elements = elements;
        report.uncertainty = self.uncertainty_at(&elements);
        report.warnings.clear();
        report.warnings.extend(date_warning.cloned());
        self.add_point_warnings(position, &report.elements, &mut report.warnings);
    }

    /// Warnings that depend on the position and result, not the date
    /// (altitude outside the stated range, blackout and caution zones),
    /// appended to `warnings`: what a report adds to its date's warning,
    /// for callers that write results without a report.
    pub fn add_point_warnings(
        &self,
        position: &Position,
        elements: &MagneticElements,
        warnings: &mut Vec<Warning>,
    ) {
        if let Some((min_km, max_km)) = self.altitude_range_km {
            let height = position.height_above_ellipsoid_km();
            if height < min_km || height > max_km {
                warnings.push(Warning::AltitudeOutOfRange {
                    // The altitude as given (above sea level with --msl);
                    // the range is checked on the ellipsoidal height.
                    altitude_km: position.altitude_as_given_km(),
                    model: self.name.clone(),
                    min_km,
                    max_km,
                });
            }
        }
        let h = elements.horizontal_nt;
        if h < BLACKOUT_ZONE_H_NT {
            warnings.push(Warning::BlackoutZone { horizontal_nt: h });
        } else if h < CAUTION_ZONE_H_NT {
            warnings.push(Warning::CautionZone { horizontal_nt: h });
        }
    }
}

impl Position {
    /// The point as the synthesis needs it.
    pub fn spherical_point(&self) -> SphericalPoint {
        match self.coordinates {
            Coordinates::Geodetic => SphericalPoint::from_geodetic(
                self.latitude_deg,
                self.longitude_deg,
                self.altitude_km,
            ),
            Coordinates::Geocentric => SphericalPoint::from_geocentric(
                self.latitude_deg,
                self.longitude_deg,
                self.altitude_km,
            ),
        }
    }

    /// Height above the WGS-84 ellipsoid, km (for geocentric input, the
    /// radius less the ellipsoid's radius at that geocentric latitude).
    pub fn height_above_ellipsoid_km(&self) -> f64 {
        match self.coordinates {
            Coordinates::Geodetic => self.altitude_km,
            Coordinates::Geocentric => {
                let a = WGS84_A_KM;
                let b = a * (1.0 - WGS84_F);
                let (s, c) = self.latitude_deg.to_radians().sin_cos();
                self.altitude_km - a * b / ((b * c).powi(2) + (a * s).powi(2)).sqrt()
            }
        }
    }
}
