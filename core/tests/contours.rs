//! Isogonic lines: every vertex evaluates to its line's value within the
//! grid's interpolation tolerance, and no line streaks across ±180°.

use magvar_core::contours::{contour_lines, levels};
use magvar_core::{BuiltinModel, DatePolicy, Element, GridSpec, Position};

#[test]
fn isogonic_vertices_lie_on_their_value_and_lines_do_not_streak() {
    let model = BuiltinModel::Wmm2025.model();
    let step_deg = 1.0;
    let grid = model.grid(&GridSpec::global(step_deg).unwrap(), 0.0, 2026.0);
    let lines = contour_lines(&grid, Element::Declination, &levels(-180.0, 180.0, 10.0));
    assert!(
        lines.iter().any(|l| l.value == 0.0),
        "the agonic line is drawn"
    );
    let mut checked = 0;
    for line in &lines {
        assert!(line.points.len() >= 2);
        for pair in line.points.windows(2) {
            let (dlon, dlat) = ((pair[1].0 - pair[0].0).abs(), (pair[1].1 - pair[0].1).abs());
            assert!(
                dlon <= step_deg + 1e-9 && dlat <= step_deg + 1e-9,
                "a jump {pair:?} in the {} line",
                line.value
            );
        }
        for &(lon, lat) in line.points.iter().step_by(5) {
            // Where H is weak (next to the dip poles, the WMM caution zone)
            // declination turns too fast for a 1° grid to resolve.
            let here = Position::geodetic(lat, lon, 0.0).unwrap();
            if lat.abs() + step_deg > 90.0
                || model
                    .field(&here, 2026.0, DatePolicy::Strict)
                    .unwrap()
                    .elements
                    .horizontal_nt
                    < 6000.0
            {
                continue;
            }
            let d_at = |lat: f64, lon: f64| {
                let lon = if lon < -180.0 { lon + 360.0 } else { lon };
                let position = Position::geodetic(lat, lon, 0.0).unwrap();
                model
                    .field(&position, 2026.0, DatePolicy::Strict)
                    .unwrap()
                    .elements
                    .declination_deg
            };
            let d = d_at(lat, lon);
            // Linear interpolation over a step h errs by at most h²/8 |f''|:
            // the second differences over one grid step estimate h² f''.
            let h = step_deg;
            let curvature_lat = (d_at(lat + h, lon) + d_at(lat - h, lon) - 2.0 * d).abs();
            let curvature_lon = (d_at(lat, lon + h) + d_at(lat, lon - h) - 2.0 * d).abs();
            let tolerance = 2.0 * (curvature_lat + curvature_lon) / 8.0 + 1e-3;
            assert!(
                (d - line.value).abs() <= tolerance,
                "vertex ({lon}, {lat}) of the {}° line has D = {d}, tolerance {tolerance}",
                line.value
            );
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} vertices checked");
}

#[test]
fn intensity_contours_close_or_end_at_the_grid_edge() {
    let model = BuiltinModel::Igrf14.model();
    let grid = model.grid(
        &GridSpec::new(-30.0, 20.0, 40.0, 70.0, 0.5).unwrap(),
        0.0,
        2000.0,
    );
    let lines = contour_lines(&grid, Element::Total, &levels(20_000.0, 70_000.0, 2_000.0));
    assert!(!lines.is_empty());
    for line in &lines {
        let on_edge = |&(lon, lat): &(f64, f64)| {
            lon <= -30.0 + 1e-9 || lon >= 40.0 - 1e-9 || lat <= 20.0 + 1e-9 || lat >= 70.0 - 1e-9
        };
        assert!(
            line.closed
                || (on_edge(line.points.first().unwrap()) && on_edge(line.points.last().unwrap()))
        );
    }
}

/// Many levels at once, in any order, with a repeat and a NaN, give each
/// level the lines it gives alone, in the order the levels were asked in
/// (the levels are found in one pass over the cells).
#[test]
fn levels_asked_together_give_what_each_gives_alone() {
    let model = BuiltinModel::Wmm2025.model();
    let grid = model.grid(&GridSpec::global(2.0).unwrap(), 0.0, 2026.0);
    let asked = [20.0, -10.0, 0.0, 20.0, f64::NAN, 175.0, -60.0, 5.5];
    let together = contour_lines(&grid, Element::Declination, &asked);
    let alone: Vec<_> = asked
        .iter()
        .flat_map(|&level| contour_lines(&grid, Element::Declination, &[level]))
        .collect();
    assert!(together.len() > 10, "{} lines", together.len());
    assert_eq!(together, alone);
}
