//! Isolines (isogonic, isoclinic, isodynamic) by marching squares on a grid.
//!
//! Lines never cross the antimeridian as streaks: a grid runs from its west
//! to its east edge without wrapping, so a line that reaches ±180° ends
//! there and continues from the other edge as its own piece. For angles
//! that wrap (declination, grid variation), cells that straddle the ±180°
//! jump near the magnetic poles are skipped, so the jump draws no line.

mod geojson;
mod regions;

pub use geojson::{
    CollectionProperties, ContourCollection, ContourFeature, LineGeometry, LineProperties,
    MAX_LEVELS, contour_collection, default_interval, line_feature,
};
pub use regions::{cut_lines_below, regions_below};

use crate::elements::Element;
use crate::grid::Grid;
use crate::quantity::Quantity;
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
///
/// # Panics
/// If the grid was made without `element` (see [`Grid::values`]).
pub fn contour_lines(grid: &Grid, element: Element, levels: &[f64]) -> Vec<ContourLine> {
    contour_lines_of(grid, Quantity::value_of(element), levels).unwrap_or_else(|| {
        // Grid::values panics with the message naming the element.
        grid.values(element);
        Vec::new()
    })
}

/// The isolines of any band of `grid` — an element or a rate, e.g. the
/// isoporic lines of [`Quantity::DeclinationRate`] — at each of `levels`;
/// `None` if the grid was made without that band.
pub fn contour_lines_of(
    grid: &Grid,
    quantity: Quantity,
    levels: &[f64],
) -> Option<Vec<ContourLine>> {
    let values = grid.band(quantity)?;
    let rows = grid.latitudes_deg.len();
    let columns = grid.longitudes_deg.len();
    if rows < 2 || columns < 2 {
        return Some(Vec::new());
    }
    // Declination and grid variation jump by 360° across their ±180°
    // lines; their rates do not.
    let wraps = quantity.is_value()
        && matches!(
            quantity.element(),
            Element::Declination | Element::GridVariation
        );
    // One pass over the cells, each visiting only the levels within its
    // corners' range (no other level crosses it): the levels in ascending
    // order by index, the segments kept per level in the cells' order,
    // as a pass per level would have found them.
    let mut ascending: Vec<usize> = (0..levels.len()).collect();
    ascending.sort_by(|&a, &b| levels[a].total_cmp(&levels[b]));
    let sorted: Vec<f64> = ascending.iter().map(|&i| levels[i]).collect();
    let mut segments: Vec<Vec<(Edge, Edge)>> = vec![Vec::new(); levels.len()];
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
            let (lo, hi) = corners
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                    (lo.min(v), hi.max(v))
                });
            if wraps && hi - lo > 180.0 {
                continue;
            }
            // NaN levels sort last and fall in no range, as they cross no cell.
            let first = sorted.partition_point(|&level| level < lo);
            let last = sorted.partition_point(|&level| level <= hi);
            for k in first..last {
                cell_segments(r, c, corners, sorted[k], &mut segments[ascending[k]]);
            }
        }
    }
    let mut lines = Vec::new();
    for (&level, segments) in levels.iter().zip(&segments) {
        for (points, closed) in join(segments) {
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
    Some(lines)
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
