//! Where a band of a grid lies below a level: filled areas (a chart's
//! blackout and caution zones, H below 2000 and 6000 nT) and isolines cut
//! where they enter such an area (isogonic lines stopped near the dip
//! poles, where they would merge into a solid fan).
//!
//! Both read the band as piecewise linear on triangles: each grid cell is
//! split along its north-west to south-east diagonal. On a triangle the
//! part below a level is then a convex polygon (a triangle or a
//! quadrilateral), so the areas need no polygon clipping and no ambiguous
//! saddle cases.

use super::ContourLine;
use crate::grid::Grid;
use crate::quantity::Quantity;

/// The parts of the grid where `quantity` is below `level`, as convex
/// polygons of (longitude, latitude) degrees, three or four vertices each,
/// counter-clockwise on a west-east, south-north plane. `None` if the grid
/// was made without that band. Nodes with a non-finite value count as not
/// below.
pub fn regions_below(grid: &Grid, quantity: Quantity, level: f64) -> Option<Vec<Vec<(f64, f64)>>> {
    let values = grid.band(quantity)?;
    let (lats, lons) = (&grid.latitudes_deg, &grid.longitudes_deg);
    let columns = lons.len();
    let mut polygons = Vec::new();
    for r in 0..lats.len().saturating_sub(1) {
        for c in 0..columns.saturating_sub(1) {
            let node = |row: usize, column: usize| {
                let v = values[row * columns + column];
                (
                    lons[column],
                    lats[row],
                    if v.is_finite() { v } else { f64::INFINITY },
                )
            };
            // Rows run north to south: (r, c) is the cell's north-west corner.
            let (nw, ne, se, sw) = (
                node(r, c),
                node(r, c + 1),
                node(r + 1, c + 1),
                node(r + 1, c),
            );
            // Counter-clockwise: south-west, south-east, north-east; and
            // south-west, north-east, north-west.
            for triangle in [[sw, se, ne], [sw, ne, nw]] {
                if let Some(polygon) = triangle_below(triangle, level) {
                    polygons.push(polygon);
                }
            }
        }
    }
    Some(polygons)
}

/// The part of one triangle (vertices with their values) where the linear
/// interpolant is below `level`, in the triangle's vertex order.
fn triangle_below(triangle: [(f64, f64, f64); 3], level: f64) -> Option<Vec<(f64, f64)>> {
    let below = triangle.map(|(_, _, v)| v < level);
    if !below.iter().any(|&b| b) {
        return None;
    }
    let mut polygon = Vec::with_capacity(4);
    for i in 0..3 {
        let (a, b) = (triangle[i], triangle[(i + 1) % 3]);
        if below[i] {
            polygon.push((a.0, a.1));
        }
        if below[i] != below[(i + 1) % 3] {
            let t = (level - a.2) / (b.2 - a.2);
            polygon.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    Some(polygon)
}

/// `lines` without their parts where `quantity` (interpolated on `grid`)
/// is below `level`: a line that enters such an area is cut where it
/// crosses the level, and goes on as a new piece where it leaves. Lines
/// keep their values; a cut line is no longer closed. `None` if the grid
/// was made without that band.
pub fn cut_lines_below(
    lines: &[ContourLine],
    grid: &Grid,
    quantity: Quantity,
    level: f64,
) -> Option<Vec<ContourLine>> {
    grid.band(quantity)?;
    let value_at = |(lon, lat): (f64, f64)| {
        grid.interpolate(quantity, lon, lat)
            .filter(|v| v.is_finite())
            // Off the grid: nothing says the line should stop.
            .unwrap_or(f64::INFINITY)
    };
    let mut kept = Vec::new();
    for line in lines {
        let values: Vec<f64> = line.points.iter().map(|&p| value_at(p)).collect();
        if values.iter().all(|&v| v >= level) {
            kept.push(line.clone());
            continue;
        }
        let mut piece: Vec<(f64, f64)> = Vec::new();
        for (i, (&point, &value)) in line.points.iter().zip(&values).enumerate() {
            if i > 0 {
                let (previous, before) = (line.points[i - 1], values[i - 1]);
                if (before < level) != (value < level) && before.is_finite() && value.is_finite() {
                    let t = (level - before) / (value - before);
                    let crossing = (
                        previous.0 + t * (point.0 - previous.0),
                        previous.1 + t * (point.1 - previous.1),
                    );
                    piece.push(crossing);
                    if value < level {
                        finish(&mut kept, &mut piece, line.value);
                    }
                }
            }
            if value >= level {
                piece.push(point);
            }
        }
        finish(&mut kept, &mut piece, line.value);
    }
    Some(kept)
}

/// Moves a piece of two or more points into `kept` as an open line.
fn finish(kept: &mut Vec<ContourLine>, piece: &mut Vec<(f64, f64)>, value: f64) {
    let points = std::mem::take(piece);
    if points.len() >= 2 {
        kept.push(ContourLine {
            value,
            points,
            closed: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuiltinModel;
    use crate::grid::GridSpec;

    /// Twice the signed area of a polygon on the (lon, lat) plane.
    fn doubled_area(polygon: &[(f64, f64)]) -> f64 {
        (0..polygon.len())
            .map(|i| {
                let (a, b) = (polygon[i], polygon[(i + 1) % polygon.len()]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum()
    }

    #[test]
    fn a_triangle_below_in_part_gives_the_part_counter_clockwise() {
        let triangle = [(0.0, 0.0, 0.0), (2.0, 0.0, 2.0), (0.0, 2.0, 2.0)];
        let part = triangle_below(triangle, 1.0).unwrap();
        assert_eq!(part, vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]);
        assert!(doubled_area(&part) > 0.0);
        // Two vertices below: a quadrilateral.
        let triangle = [(0.0, 0.0, 0.0), (2.0, 0.0, 0.0), (0.0, 2.0, 2.0)];
        assert_eq!(triangle_below(triangle, 1.0).unwrap().len(), 4);
        assert_eq!(triangle_below(triangle, -1.0), None);
        assert_eq!(triangle_below(triangle, 3.0).unwrap().len(), 3);
    }

    #[test]
    fn the_blackout_zones_surround_the_dip_poles() {
        let model = BuiltinModel::Wmm2025.model();
        let spec = GridSpec::global(1.0).unwrap();
        let grid = model.grid_of(&spec, 0.0, 2026.0, &[crate::Element::Horizontal]);
        let regions = regions_below(&grid, Quantity::Horizontal, 2000.0).unwrap();
        let poles = model.poles(2026.0, 0.0).unwrap();
        let near = |polygon: &Vec<(f64, f64)>, pole: crate::poles::PolePosition| {
            polygon
                .iter()
                .all(|&(_, lat)| (lat - pole.latitude_deg).abs() < 10.0)
        };
        assert!(!regions.is_empty());
        assert!(
            regions
                .iter()
                .all(|p| near(p, poles.north_dip) || near(p, poles.south_dip))
        );
        assert!(regions.iter().all(|p| doubled_area(p) > 0.0));
        // The caution zones hold the blackout zones.
        let area = |level: f64| -> f64 {
            regions_below(&grid, Quantity::Horizontal, level)
                .unwrap()
                .iter()
                .map(|p| doubled_area(p))
                .sum()
        };
        assert!(area(6000.0) > 2.0 * area(2000.0));
        // A band the grid lacks.
        assert!(regions_below(&grid, Quantity::Total, 1.0).is_none());
    }

    #[test]
    fn lines_are_cut_where_they_enter_the_area_and_go_on_where_they_leave() {
        // H rises from 0 at the west edge to 4000 at the east edge.
        let spec = GridSpec::new(0.0, 0.0, 4.0, 1.0, 1.0).unwrap();
        let mut grid = BuiltinModel::Wmm2025.model().grid_of(
            &spec,
            0.0,
            2026.0,
            &[crate::Element::Horizontal],
        );
        grid.set_band_for_tests(Quantity::Horizontal, |lon, _| lon * 1000.0);
        let line = ContourLine {
            value: 5.0,
            points: vec![(3.5, 0.5), (0.5, 0.5), (3.5, 0.6)],
            closed: false,
        };
        let cut = cut_lines_below(&[line], &grid, Quantity::Horizontal, 2000.0).unwrap();
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].points, vec![(3.5, 0.5), (2.0, 0.5)]);
        assert_eq!(cut[1].points[0].0, 2.0);
        assert!((cut[1].points[0].1 - 0.55).abs() < 1e-12);
        assert_eq!(cut[1].points[1], (3.5, 0.6));
        assert!(cut.iter().all(|l| l.value == 5.0 && !l.closed));
    }
}
