//! Isolines as GeoJSON: the FeatureCollection `magvar contours` writes,
//! the Python package returns and the GUI saves.

use super::{ContourLine, contour_lines, levels};
use crate::elements::Element;
use crate::error::InputError;
use crate::grid::Grid;
use crate::quantity::{Kind, Quantity, Unit};

/// The isolines of one element on a grid as a GeoJSON FeatureCollection,
/// the form `magvar contours` writes and the Python package returns:
/// serialise it with any serde format (JSON gives RFC 7946 GeoJSON).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContourCollection {
    #[serde(rename = "type")]
    kind: &'static str,
    pub properties: CollectionProperties,
    pub features: Vec<ContourFeature>,
}

/// What the whole collection shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CollectionProperties {
    pub model: String,
    /// Decimal year.
    pub date: f64,
    pub element: &'static str,
    /// Interval between lines, in the element's unit.
    pub step: f64,
}

/// One isoline as a GeoJSON Feature.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContourFeature {
    #[serde(rename = "type")]
    kind: &'static str,
    pub geometry: LineGeometry,
    pub properties: LineProperties,
}

/// A LineString, coordinates as [longitude, latitude] to 1e-6°.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineGeometry {
    #[serde(rename = "type")]
    kind: &'static str,
    pub coordinates: Vec<[f64; 2]>,
}

/// A line's value, element, unit, and whether it is the agonic line.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LineProperties {
    pub value: f64,
    pub element: &'static str,
    pub unit: &'static str,
    /// The 0° isogonic line.
    pub agonic: bool,
}

/// The usual interval between lines of `element`, in its unit: 10° for
/// the angles, 2000 nT for the intensities (what the NOAA/BGS charts use).
pub fn default_interval(element: Element) -> f64 {
    if element.unit() == "deg" {
        10.0
    } else {
        2000.0
    }
}

/// At most this many levels a collection: a tinier interval is a mistake
/// (and would fill the memory with empty levels).
pub const MAX_LEVELS: f64 = 10_000.0;

/// The lines every `step` (in the element's unit) of `element` on `grid`,
/// made by `model` on `date`, as a FeatureCollection; an error for a step
/// that is not a positive number or gives more than [`MAX_LEVELS`] levels.
pub fn contour_collection(
    grid: &Grid,
    element: Element,
    step: f64,
    model: &str,
    date: f64,
) -> Result<ContourCollection, InputError> {
    let bad = |reason: String| InputError::Grid { reason };
    if !(step > 0.0 && step.is_finite()) {
        return Err(bad(format!(
            "contour step {step}: expected a positive interval in the element's unit"
        )));
    }
    let (lo, hi) = grid
        .values(element)
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if (hi - lo) / step > MAX_LEVELS {
        return Err(bad(format!(
            "contour step {step} gives {:.0} levels between {lo:.1} and {hi:.1}: at most {MAX_LEVELS} (use a larger step)",
            (hi - lo) / step
        )));
    }
    let features = contour_lines(grid, element, &levels(lo, hi, step))
        .iter()
        .map(|line| line_feature(line, Quantity::value_of(element)))
        .collect();
    Ok(ContourCollection {
        kind: "FeatureCollection",
        properties: CollectionProperties {
            model: model.to_string(),
            date,
            element: element.name(),
            step,
        },
        features,
    })
}

/// One isoline of `quantity` as a Feature with the properties
/// `magvar contours` gives: `value`, `element` (the element's name, e.g.
/// `declination`; for a rate its key, e.g. `declination_deg_per_year`),
/// `unit` (`deg`, `nT`, `deg/yr`, `nT/yr`) and `agonic`.
pub fn line_feature(line: &ContourLine, quantity: Quantity) -> ContourFeature {
    let to_micro_degrees = |v: f64| (v * 1e6).round() / 1e6;
    let element = quantity.element();
    let (name, unit) = match quantity.kind() {
        Kind::Rate => (
            quantity.key(),
            match quantity.unit() {
                Unit::DegreesPerYear => "deg/yr",
                _ => "nT/yr",
            },
        ),
        Kind::Value | Kind::Uncertainty => (element.name(), element.unit()),
    };
    ContourFeature {
        kind: "Feature",
        geometry: LineGeometry {
            kind: "LineString",
            coordinates: line
                .points
                .iter()
                .map(|&(lon, lat)| [to_micro_degrees(lon), to_micro_degrees(lat)])
                .collect(),
        },
        properties: LineProperties {
            value: line.value,
            element: name,
            unit,
            agonic: quantity == Quantity::Declination && line.value == 0.0,
        },
    }
}
