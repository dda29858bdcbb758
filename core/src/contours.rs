//! Isolines (isogonic, isoclinic, isodynamic) by marching squares on a grid.
//!
//! Lines never cross the antimeridian as streaks: a grid runs from its west
//! to its east edge without wrapping, so a line that reaches ±180° ends
//! there and continues from the other edge as its own piece. For angles
//! that wrap (declination, grid variation), cells that straddle the ±180°
//! jump near the magnetic poles are skipped, so the jump draws no line.

use crate::elements::Element;
use crate::error::InputError;
use crate::grid::Grid;
use std::collections::HashMap;

/// One isoline: its value and its vertices as (longitude, latitude) degrees.
#[derive(Debug, Clone, PartialEq)]
pub struct ContourLine {
    pub value: f64,
    pub points: Vec<(f64, f64)>,
    /// Whether the line closes on itself.
    pub closed: bool,
}

/// An edge of the grid: horizontal edges start at node (row, column) and
/// go east; vertical ones go south.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Edge {
    East(usize, usize),
    South(usize, usize),
}

/// The contour levels `step` apart that fall within `lo..=hi`, starting
/// from multiples of `step` (so 0 — the agonic line — is among them).
pub fn levels(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    if step.is_nan() || step <= 0.0 || !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The isolines of `element` on `grid` at each of `levels`.
pub fn contour_lines(grid: &Grid, element: Element, levels: &[f64]) -> Vec<ContourLine> {
    let rows = grid.latitudes_deg.len();
    let columns = grid.longitudes_deg.len();
    if rows < 2 || columns < 2 {
        return Vec::new();
    }
    let values = grid.values(element);
    let wraps = matches!(element, Element::Declination | Element::GridVariation);
    let mut lines = Vec::new();
    for &level in levels {
        let mut segments: Vec<(Edge, Edge)> = Vec::new();
        for r in 0..rows - 1 {
            for c in 0..columns - 1 {
                let corners = [
                    values[r * columns + c],
                    values[r * columns + c + 1],
                    values[(r + 1) * columns + c + 1],
                    values[(r + 1) * columns + c],
                ];
                if corners.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                if wraps {
                    let (lo, hi) = corners
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                            (lo.min(v), hi.max(v))
                        });
                    if hi - lo > 180.0 {
                        continue;
                    }
                }
                cell_segments(r, c, corners, level, &mut segments);
            }
        }
        for (points, closed) in join(&segments) {
            let points = points
                .iter()
                .map(|&edge| vertex(grid, values, columns, edge, level))
                .collect();
            lines.push(ContourLine {
                value: level,
                points,
                closed,
            });
        }
    }
    lines
}

/// Marching squares for one cell: corners clockwise from the north-west.
fn cell_segments(r: usize, c: usize, corners: [f64; 4], level: f64, out: &mut Vec<(Edge, Edge)>) {
    let [nw, ne, se, sw] = corners;
    let above = |v: f64| v >= level;
    let case = usize::from(above(nw)) << 3
        | usize::from(above(ne)) << 2
        | usize::from(above(se)) << 1
        | usize::from(above(sw));
    let north = Edge::East(r, c);
    let south = Edge::East(r + 1, c);
    let west = Edge::South(r, c);
    let east = Edge::South(r, c + 1);
    let mut push = |a, b| out.push((a, b));
    match case {
        0 | 15 => {}
        1 | 14 => push(west, south),
        2 | 13 => push(south, east),
        3 | 12 => push(west, east),
        4 | 11 => push(north, east),
        6 | 9 => push(north, south),
        7 | 8 => push(west, north),
        5 | 10 => {
            // Saddle: the cell's mean decides which corners connect.
            let centre_above = (nw + ne + se + sw) / 4.0 >= level;
            if (case == 5) == centre_above {
                push(west, north);
                push(south, east);
            } else {
                push(west, south);
                push(north, east);
            }
        }
        _ => unreachable!("a 4-bit case"),
    }
}

/// Chains segments that share edges into polylines (open ones first, from
/// their ends; then closed rings).
fn join(segments: &[(Edge, Edge)]) -> Vec<(Vec<Edge>, bool)> {
    let mut at_edge: HashMap<Edge, Vec<usize>> = HashMap::new();
    for (i, (a, b)) in segments.iter().enumerate() {
        at_edge.entry(*a).or_default().push(i);
        at_edge.entry(*b).or_default().push(i);
    }
    let mut used = vec![false; segments.len()];
    let mut lines = Vec::new();
    let mut starts: Vec<(Edge, usize)> = Vec::new();
    for (i, (a, b)) in segments.iter().enumerate() {
        for end in [a, b] {
            if at_edge[end].len() == 1 {
                starts.push((*end, i));
            }
        }
    }
    let rings = (0..segments.len()).map(|i| (segments[i].0, i));
    for (start_edge, first) in starts.into_iter().chain(rings) {
        if used[first] {
            continue;
        }
        let mut points = vec![start_edge];
        let (mut current, mut segment) = (start_edge, first);
        loop {
            used[segment] = true;
            let (a, b) = segments[segment];
            current = if a == current { b } else { a };
            points.push(current);
            match at_edge[&current].iter().find(|&&s| !used[s]) {
                Some(&next) => segment = next,
                None => break,
            }
        }
        let closed = points.len() > 2 && points.first() == points.last();
        lines.push((points, closed));
    }
    lines
}

/// Where the level crosses an edge, by linear interpolation.
fn vertex(grid: &Grid, values: &[f64], columns: usize, edge: Edge, level: f64) -> (f64, f64) {
    let (r0, c0, r1, c1) = match edge {
        Edge::East(r, c) => (r, c, r, c + 1),
        Edge::South(r, c) => (r, c, r + 1, c),
    };
    let (v0, v1) = (values[r0 * columns + c0], values[r1 * columns + c1]);
    let t = if v1 == v0 {
        0.5
    } else {
        ((level - v0) / (v1 - v0)).clamp(0.0, 1.0)
    };
    let lon = grid.longitudes_deg[c0] + t * (grid.longitudes_deg[c1] - grid.longitudes_deg[c0]);
    let lat = grid.latitudes_deg[r0] + t * (grid.latitudes_deg[r1] - grid.latitudes_deg[r0]);
    (lon, lat)
}

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
    let to_micro_degrees = |v: f64| (v * 1e6).round() / 1e6;
    let features = contour_lines(grid, element, &levels(lo, hi, step))
        .into_iter()
        .map(|line| ContourFeature {
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
                element: element.name(),
                unit: element.unit(),
                agonic: element == Element::Declination && line.value == 0.0,
            },
        })
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
