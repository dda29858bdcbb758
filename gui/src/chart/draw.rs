//! The chart's layers as egui shapes, bottom to top: the sea and the map's
//! outline, land, the WMM's compass zones, the graticule, the poles'
//! tracks, isoporic, overlay and isogonic lines with their labels, the
//! poles, the marker and the vessel, and the legend.
//!
//! Everything is drawn once per copy of the world in view, so the map
//! wraps round at ±180°.

use super::labels::LabelPlacer;
use super::style::*;
use crate::app::MagvarApp;
use crate::land::{LandDetail, PlaneBox, land};
use crate::plane::PlaneLine;
use crate::view::ScreenTransform;
use crate::worker::{MAJOR_LINE_EVERY, Overlay, is_major};
use egui::epaint::{CircleShape, Mesh, PathStroke};
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};
use magvar_core::{format_degrees_minutes_compact, format_signed_minutes};

/// Wider than this (degrees of longitude) the chart draws the 1:110m land.
const COARSE_LAND_ABOVE_SPAN_DEG: f64 = 90.0;
/// The closest two isogonic lines of a rank come near a dip pole, points.
const THINNED_SPACING: f32 = 6.0;
/// The shortest segment of a line drawn, points.
const MIN_SEGMENT: f32 = 3.0;
/// How far a simplified line may stray from the drawn one, points.
const SIMPLIFY_TOLERANCE: f32 = 0.3;
/// The least distance between graticule labels, points.
const GRATICULE_LABEL_GAP: f64 = 56.0;

/// How one isoline is drawn.
struct LineStyle {
    color: Color32,
    width: f32,
    dashed: bool,
    /// The line stops this far from a dip pole, points (0: it does not).
    clear_radius: f32,
}

/// Every shape of the chart of `app` in `rect`.
pub fn chart_shapes(ctx: &egui::Context, app: &MagvarApp, rect: Rect) -> Vec<Shape> {
    let t = app.view.transform(rect);
    let span = app.view.span_lon_deg(rect);
    let mut shapes = Vec::new();
    let plane = app.plane().filter(|plane| plane.projection == t.projection);
    let mut chart = Chart {
        ctx,
        visible_plane: t.visible_plane(),
        world_width: t.projection.world_width(),
        t,
        rect,
        dip_poles: Vec::new(),
    };
    if let Some(plane) = plane {
        for pole in plane
            .poles
            .iter()
            .filter(|p| p.shown && !p.name.contains("geomagnetic"))
        {
            for offset in chart.offsets_for([pole.at[0], pole.at[1], pole.at[0], pole.at[1]]) {
                let at = chart.screen(pole.at, offset);
                chart.dip_poles.push(at);
            }
        }
    }
    chart.background(&mut shapes, app.paint_ocean);
    chart.land(&mut shapes, span);
    let choices = app.layer_choices();
    let zones_shown = choices.zones && plane.is_some_and(|p| !p.caution.is_empty());
    if let (true, Some(plane)) = (zones_shown, plane) {
        chart.zones(&mut shapes, &plane.caution, caution_fill());
        chart.zones(&mut shapes, &plane.blackout, blackout_fill());
    }
    chart.graticule(&mut shapes, span);
    for track in app.plane_tracks() {
        chart.track(&mut shapes, track);
    }
    let mut labels = LabelPlacer::new(rect.shrink(24.0));
    let legend = chart.legend_rect(zones_shown, choices.isoporic && plane.is_some());
    if let Some(legend) = legend {
        labels.reserve(legend);
    }
    if let Some(marker) = app.marker() {
        let at = t.geo_to_screen(marker.1, marker.0);
        labels.reserve(Rect::from_center_size(at, Vec2::splat(28.0)));
    }
    if let (Some(plane), Some(layers)) = (plane, app.layers()) {
        let step = layers.request.declination_step_deg;
        if choices.isoporic {
            for line in &plane.isoporic {
                let minutes = if line.value == 0.0 {
                    "0'".to_string()
                } else {
                    format_signed_minutes(line.value)
                };
                let text = format!("{minutes}/yr");
                let style = LineStyle {
                    color: ISOPORIC,
                    width: 1.0,
                    dashed: true,
                    clear_radius: 0.0,
                };
                chart.line(&mut shapes, &mut labels, line, style, &text);
            }
        }
        let overlay = layers.request.overlay;
        for line in &plane.overlay {
            let text = match overlay {
                Overlay::TotalIntensity => format!("{:.0} nT", line.value),
                Overlay::Inclination | Overlay::None => format!("I {:.0}°", line.value),
            };
            let style = LineStyle {
                color: OVERLAY_LINE,
                width: 1.2,
                dashed: false,
                clear_radius: 0.0,
            };
            chart.line(&mut shapes, &mut labels, line, style, &text);
        }
        // Major lines come first (the worker orders them), so that theirs
        // are the labels that fit.
        for line in &plane.declination {
            let major = is_major(line.value, step);
            let width = if line.value == 0.0 {
                2.2
            } else if major {
                1.5
            } else {
                1.0
            };
            // Near a dip pole the lines meet: each stops where it would
            // come closer than THINNED_SPACING to its neighbour of the
            // same rank, so that the fan thins out instead of going solid.
            let rank_step = if major { step * MAJOR_LINE_EVERY } else { step };
            let clear_radius = THINNED_SPACING / rank_step.to_radians() as f32;
            let text = format_degrees_minutes_compact(line.value, 'E', 'W').replace("°00'", "°");
            let text = if line.value == 0.0 {
                "0°".to_string()
            } else {
                text
            };
            let style = LineStyle {
                color: declination_color(line.value),
                width,
                dashed: false,
                clear_radius,
            };
            chart.line(&mut shapes, &mut labels, line, style, &text);
        }
        for pole in &plane.poles {
            if pole.shown {
                chart.pole(&mut shapes, pole.name, pole.at);
            }
        }
    }
    if let Some((lat, lon)) = app.marker() {
        chart.marker(&mut shapes, t.geo_to_screen(lon, lat));
    }
    if let Some(vessel) = app.vessel()
        && let Some(fix) = vessel.fix
    {
        let at = t.geo_to_screen(fix.longitude_deg, fix.latitude_deg);
        chart.vessel(&mut shapes, at, vessel.stale);
    }
    if let Some(legend) = legend {
        chart.legend(&mut shapes, legend, zones_shown, choices.isoporic);
    }
    shapes
}

/// What every layer needs to draw.
struct Chart<'a> {
    ctx: &'a egui::Context,
    t: ScreenTransform,
    /// `t`'s visible plane box and world width, asked for every shape.
    visible_plane: PlaneBox,
    world_width: f64,
    rect: Rect,
    /// The dip poles on the screen, in every copy in view.
    dip_poles: Vec<Pos2>,
}

impl Chart<'_> {
    /// The copy offsets at which a plane box shows.
    fn offsets_for(&self, bounds: PlaneBox) -> Vec<f64> {
        let [x0, y0, x1, y1] = self.visible_plane;
        let width = self.world_width;
        let first = ((x0 - bounds[2]) / width).ceil() as i64;
        let last = ((x1 - bounds[0]) / width).floor() as i64;
        if bounds[3] < y0 || bounds[1] > y1 {
            return Vec::new();
        }
        (first..=last).map(|k| k as f64 * width).collect()
    }

    fn screen(&self, [x, y]: [f64; 2], offset: f64) -> Pos2 {
        self.t.to_screen([x + offset, y])
    }

    /// A plane polyline on the screen, without the points that lie
    /// closer than [`MIN_SEGMENT`] to the last one kept: the renderer
    /// pays per triangle, and a world's coasts are mostly sub-pixel steps.
    fn screen_line(&self, points: &[[f64; 2]], offset: f64) -> Vec<Pos2> {
        let mut out: Vec<Pos2> = Vec::with_capacity(points.len());
        for (i, &q) in points.iter().enumerate() {
            let pos = self.screen(q, offset);
            let last = i + 1 == points.len();
            match out.last() {
                Some(kept) if !last && kept.distance(pos) < MIN_SEGMENT => {}
                _ => out.push(pos),
            }
        }
        simplify(&out, SIMPLIFY_TOLERANCE)
    }

    /// The runs of a screen polyline whose segments may show in the chart
    /// (a segment wholly off one side of it is left out).
    fn visible_runs(&self, points: Vec<Pos2>) -> Vec<Vec<Pos2>> {
        let area = self.rect.expand(4.0);
        let shows = |a: Pos2, b: Pos2| area.intersects(Rect::from_two_pos(a, b));
        if points.windows(2).all(|pair| shows(pair[0], pair[1])) {
            return vec![points];
        }
        let mut runs = Vec::new();
        let mut run: Vec<Pos2> = Vec::new();
        for pair in points.windows(2) {
            if shows(pair[0], pair[1]) {
                if run.is_empty() {
                    run.push(pair[0]);
                }
                run.push(pair[1]);
            } else if run.len() >= 2 {
                runs.push(std::mem::take(&mut run));
            } else {
                run.clear();
            }
        }
        if run.len() >= 2 {
            runs.push(run);
        }
        runs
    }

    fn text(&self, text: String, size: f32, color: Color32) -> std::sync::Arc<egui::Galley> {
        self.ctx
            .fonts_mut(|f| f.layout_no_wrap(text, FontId::proportional(size), color))
    }

    /// The sea (unless the window's clear colour is the sea already: a
    /// software renderer pays for every pixel of every layer), and the
    /// paper outside the map: above and below it, and between Equal
    /// Earth's copies of the world; the map's outline.
    fn background(&self, shapes: &mut Vec<Shape>, paint_ocean: bool) {
        if paint_ocean {
            shapes.push(Shape::rect_filled(self.rect, 0.0, OCEAN));
        }
        let p = self.t.projection;
        let rect = self.rect;
        let mut paper = Mesh::default();
        let top = self.t.to_screen([0.0, p.half_height()]).y;
        let bottom = self.t.to_screen([0.0, -p.half_height()]).y;
        if top > rect.top() {
            paper.add_colored_rect(
                Rect::from_x_y_ranges(rect.x_range(), rect.top()..=top),
                PAPER,
            );
        }
        if bottom < rect.bottom() {
            paper.add_colored_rect(
                Rect::from_x_y_ranges(rect.x_range(), bottom..=rect.bottom()),
                PAPER,
            );
        }
        let limit = p.max_latitude_deg();
        let steps = 90;
        let latitudes: Vec<f64> = (0..=steps)
            .map(|i| -limit + 2.0 * limit * f64::from(i) / f64::from(steps))
            .collect();
        let half_width = p.world_width() / 2.0;
        let edge: Vec<[f64; 2]> = latitudes.iter().map(|&lat| p.forward(180.0, lat)).collect();
        let bounds = [-half_width, -p.half_height(), half_width, p.half_height()];
        let offsets = self.offsets_for(bounds);
        // Pseudo-cylindrical maps narrow towards the poles: paper between copies.
        if edge[0][0] < half_width - 1e-9 {
            let first = offsets.first().copied().unwrap_or(0.0) - 2.0 * half_width;
            for offset in std::iter::once(first).chain(offsets.iter().copied()) {
                for pair in edge.windows(2) {
                    let east_of_this = |q: [f64; 2]| self.screen(q, offset);
                    let west_of_next =
                        |q: [f64; 2]| self.screen([-q[0], q[1]], offset + 2.0 * half_width);
                    let base = paper.vertices.len() as u32;
                    for pos in [
                        east_of_this(pair[0]),
                        west_of_next(pair[0]),
                        west_of_next(pair[1]),
                        east_of_this(pair[1]),
                    ] {
                        paper.colored_vertex(pos, PAPER);
                    }
                    paper.add_triangle(base, base + 1, base + 2);
                    paper.add_triangle(base, base + 2, base + 3);
                }
            }
        }
        shapes.push(Shape::mesh(paper));
        let mut outline = edge.clone();
        outline.extend(edge.iter().rev().map(|&[x, y]| [-x, y]));
        for offset in offsets {
            let points = outline.iter().map(|&q| self.screen(q, offset)).collect();
            shapes.push(Shape::closed_line(points, Stroke::new(0.8, GRATICULE)));
        }
    }

    fn land(&self, shapes: &mut Vec<Shape>, span_lon_deg: f64) {
        let detail = if span_lon_deg > COARSE_LAND_ABOVE_SPAN_DEG {
            LandDetail::Coarse
        } else {
            LandDetail::Fine
        };
        let land = land(detail, self.t.projection);
        let mut mesh = Mesh::default();
        for piece in &land.pieces {
            for offset in self.offsets_for(piece.bounds) {
                let base = mesh.vertices.len() as u32;
                for &q in &land.vertices[piece.vertices.start as usize..piece.vertices.end as usize]
                {
                    mesh.colored_vertex(self.screen(q, offset), LAND);
                }
                mesh.indices.extend(
                    piece
                        .triangles
                        .iter()
                        .map(|&i| i - piece.vertices.start + base),
                );
            }
        }
        shapes.push(Shape::mesh(mesh));
        let stroke = Stroke::new(0.8, COAST);
        for coast in &land.coasts {
            for offset in self.offsets_for(coast.bounds) {
                for run in self.visible_runs(self.screen_line(&coast.points, offset)) {
                    shapes.push(Shape::line(run, stroke));
                }
            }
        }
    }

    /// Convex polygons filled in one mesh, without anti-aliased rims, so
    /// that neighbouring translucent cells do not show their seams.
    fn zones(&self, shapes: &mut Vec<Shape>, polygons: &[Vec<[f64; 2]>], fill: Color32) {
        if polygons.is_empty() {
            return;
        }
        let all = crate::land::bounds_of(&polygons.iter().flatten().copied().collect::<Vec<_>>());
        let mut mesh = Mesh::default();
        for offset in self.offsets_for(all) {
            for polygon in polygons {
                let base = mesh.vertices.len() as u32;
                for &q in polygon {
                    mesh.colored_vertex(self.screen(q, offset), fill);
                }
                for k in 1..polygon.len().saturating_sub(1) as u32 {
                    mesh.add_triangle(base, base + k, base + k + 1);
                }
            }
        }
        shapes.push(Shape::mesh(mesh));
    }

    fn graticule(&self, shapes: &mut Vec<Shape>, span_lon_deg: f64) {
        let points_per_degree = f64::from(self.rect.width()) / span_lon_deg;
        let spacing = graticule_spacing(points_per_degree);
        let p = self.t.projection;
        let limit = p.max_latitude_deg();
        let stroke = Stroke::new(0.6, GRATICULE);
        let world = [
            -p.world_width() / 2.0,
            -p.half_height(),
            p.world_width() / 2.0,
            p.half_height(),
        ];
        let lat_step = (spacing / 4.0).min(1.0);
        let meridian_count = (360.0 / spacing).round() as i64;
        // Parallels no sparser than every 30°.
        let parallel_spacing = spacing.min(30.0);
        let parallel_count = (limit / parallel_spacing).floor() as i64;
        let mut meridian_labels = Vec::new();
        let mut parallel_labels = Vec::new();
        for offset in self.offsets_for(world) {
            // −180° to 180° less one: 180° is the next copy's −180°.
            for k in -meridian_count / 2..meridian_count - meridian_count / 2 {
                let lon = k as f64 * spacing;
                let steps = (2.0 * limit / lat_step).ceil() as usize;
                let meridian: Vec<[f64; 2]> = (0..=steps)
                    .map(|i| p.forward(lon, -limit + 2.0 * limit * i as f64 / steps as f64))
                    .collect();
                let points = self.screen_line(&meridian, offset);
                let bottom = points[0];
                shapes.push(Shape::line(points, stroke));
                meridian_labels.push((bottom, lon));
            }
            for k in -parallel_count..=parallel_count {
                let lat = k as f64 * parallel_spacing;
                let west = self.screen(p.forward(-180.0, lat), offset);
                let east = self.screen(p.forward(180.0, lat), offset);
                shapes.push(Shape::line_segment([west, east], stroke));
                if west.x <= self.rect.left() + 2.0 || offset == 0.0 {
                    parallel_labels.push((west, lat));
                }
            }
        }
        // Each parallel once, at the chart's left edge or its map's.
        parallel_labels.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.x.total_cmp(&b.0.x)));
        parallel_labels.dedup_by(|a, b| a.1 == b.1);
        for (west, lat) in parallel_labels {
            let at = Pos2::new(west.x.max(self.rect.left()) + 2.0, west.y - 1.0);
            self.label(
                shapes,
                at,
                Align2::LEFT_BOTTOM,
                graticule_label(lat, 'N', 'S'),
            );
        }
        for (bottom, lon) in meridian_labels {
            if (self.rect.left()..self.rect.right()).contains(&bottom.x) {
                let at = Pos2::new(bottom.x + 2.0, bottom.y.min(self.rect.bottom()) - 2.0);
                self.label(
                    shapes,
                    at,
                    Align2::LEFT_BOTTOM,
                    graticule_label(lon, 'E', 'W'),
                );
            }
        }
    }

    fn label(&self, shapes: &mut Vec<Shape>, at: Pos2, anchor: Align2, text: String) {
        if !self.rect.contains(at) {
            return;
        }
        let galley = self.text(text, 11.0, LABEL_TEXT);
        let rect = anchor.anchor_size(at, galley.size());
        shapes.push(Shape::galley(rect.min, galley, LABEL_TEXT));
    }

    /// One isoline in every copy, dashed or solid, with its labels.
    fn line(
        &self,
        shapes: &mut Vec<Shape>,
        labels: &mut LabelPlacer,
        line: &PlaneLine,
        style: LineStyle,
        text: &str,
    ) {
        let stroke = Stroke::new(style.width, style.color);
        for offset in self.offsets_for(line.bounds) {
            let points = self.screen_line(&line.points, offset);
            let pieces = clear_of(&points, &self.dip_poles, style.clear_radius)
                .into_iter()
                .flat_map(|piece| self.visible_runs(piece));
            for piece in pieces {
                if style.dashed {
                    shapes.extend(Shape::dashed_line(&piece, stroke, 12.0, 8.0));
                } else {
                    shapes.push(Shape::line(piece.clone(), PathStroke::from(stroke)));
                }
                labels.label_line(self.ctx, shapes, &piece, text, style.color);
            }
        }
    }

    fn track(&self, shapes: &mut Vec<Shape>, track: &crate::plane::PlaneTrack) {
        let geomagnetic = track.name.contains("geomagnetic");
        let color = if geomagnetic {
            GEOMAGNETIC_POLE
        } else {
            DIP_POLE
        }
        .gamma_multiply(0.8);
        for line in &track.lines {
            for offset in self.offsets_for(line.bounds) {
                let points = self.screen_line(&line.points, offset);
                if geomagnetic {
                    shapes.extend(Shape::dotted_line(&points, color, 5.0, 1.0));
                } else {
                    shapes.push(Shape::line(points, Stroke::new(1.5, color)));
                }
            }
        }
        for &(year, at) in &track.decades {
            for offset in self.offsets_for([at[0], at[1], at[0], at[1]]) {
                let pos = self.screen(at, offset);
                shapes.push(Shape::circle_filled(pos, 2.5, color));
                let last = track.decades.last().map_or(0.0, |d| d.0);
                // Years on the dip poles' tracks only, where they do not crowd.
                if !geomagnetic && (year % 50.0 == 0.0 || year == last) {
                    self.label(
                        shapes,
                        pos + Vec2::new(4.0, -2.0),
                        Align2::LEFT_BOTTOM,
                        format!("{year:.0}"),
                    );
                }
            }
        }
    }

    /// A dip pole: a ringed cross; a geomagnetic pole: a diamond. Named.
    fn pole(&self, shapes: &mut Vec<Shape>, name: &str, at: [f64; 2]) {
        let geomagnetic = name.contains("geomagnetic");
        let north = name.starts_with("north");
        let (color, text) = match (geomagnetic, north) {
            (false, true) => (DIP_POLE, "N dip pole"),
            (false, false) => (DIP_POLE, "S dip pole"),
            (true, true) => (GEOMAGNETIC_POLE, "N geomagnetic"),
            (true, false) => (GEOMAGNETIC_POLE, "S geomagnetic"),
        };
        for offset in self.offsets_for([at[0], at[1], at[0], at[1]]) {
            let pos = self.screen(at, offset);
            let stroke = Stroke::new(2.0, color);
            if geomagnetic {
                let r = 6.0;
                let diamond = vec![
                    pos + Vec2::new(0.0, -r),
                    pos + Vec2::new(r, 0.0),
                    pos + Vec2::new(0.0, r),
                    pos + Vec2::new(-r, 0.0),
                ];
                shapes.push(Shape::convex_polygon(
                    diamond,
                    Color32::from_white_alpha(180),
                    stroke,
                ));
            } else {
                shapes.push(Shape::Circle(CircleShape {
                    center: pos,
                    radius: 6.0,
                    fill: Color32::from_white_alpha(180),
                    stroke,
                }));
                shapes.push(Shape::line_segment(
                    [pos - Vec2::X * 9.0, pos + Vec2::X * 9.0],
                    stroke,
                ));
                shapes.push(Shape::line_segment(
                    [pos - Vec2::Y * 9.0, pos + Vec2::Y * 9.0],
                    stroke,
                ));
            }
            let galley = self.text(text.to_string(), 11.0, color);
            shapes.push(Shape::galley(pos + Vec2::new(9.0, 2.0), galley, color));
        }
    }

    fn marker(&self, shapes: &mut Vec<Shape>, at: Pos2) {
        shapes.push(Shape::Circle(CircleShape {
            center: at,
            radius: 6.0,
            fill: Color32::from_white_alpha(160),
            stroke: Stroke::new(2.0, MARKER),
        }));
        let arm = 11.0;
        let stroke = Stroke::new(1.5, MARKER);
        shapes.push(Shape::line_segment(
            [at - Vec2::X * arm, at + Vec2::X * arm],
            stroke,
        ));
        shapes.push(Shape::line_segment(
            [at - Vec2::Y * arm, at + Vec2::Y * arm],
            stroke,
        ));
    }

    /// The live position: a boat-shaped pointer, grey when the feed is stale.
    fn vessel(&self, shapes: &mut Vec<Shape>, at: Pos2, stale: bool) {
        let color = if stale { STALE } else { VESSEL };
        let hull = vec![
            at + Vec2::new(0.0, -12.0),
            at + Vec2::new(6.0, 6.0),
            at + Vec2::new(0.0, 3.0),
            at + Vec2::new(-6.0, 6.0),
        ];
        // Not convex: drawn as two triangles and an outline.
        let mut mesh = Mesh::default();
        for &p in &hull {
            mesh.colored_vertex(p, color);
        }
        mesh.add_triangle(0, 1, 2);
        mesh.add_triangle(0, 2, 3);
        shapes.push(Shape::mesh(mesh));
        shapes.push(Shape::closed_line(hull, Stroke::new(1.0, Color32::WHITE)));
    }

    /// Where the legend goes: the chart's bottom-left corner.
    fn legend_rect(&self, zones: bool, isoporic: bool) -> Option<Rect> {
        let rows = usize::from(zones) * 2 + usize::from(isoporic);
        (rows > 0).then(|| {
            Rect::from_min_size(
                self.rect.left_bottom() + Vec2::new(8.0, -24.0 - 18.0 * rows as f32),
                Vec2::new(250.0, 8.0 + 18.0 * rows as f32),
            )
        })
    }

    fn legend(&self, shapes: &mut Vec<Shape>, rect: Rect, zones: bool, isoporic: bool) {
        shapes.push(Shape::rect_filled(
            rect,
            4.0,
            Color32::from_white_alpha(225),
        ));
        let swatch_at = |row: f32| {
            Rect::from_min_size(
                Pos2::new(rect.left() + 6.0, rect.top() + 7.0 + 18.0 * row),
                Vec2::new(22.0, 12.0),
            )
        };
        let mut rows: Vec<(Shape, &str)> = Vec::new();
        if zones {
            let at = swatch_at(0.0);
            rows.push((
                Shape::rect_filled(at, 0.0, caution_fill()),
                "Caution zone: H < 6000 nT",
            ));
            let at = swatch_at(1.0);
            let blackout = Shape::Vec(vec![
                Shape::rect_filled(at, 0.0, caution_fill()),
                Shape::rect_filled(at, 0.0, blackout_fill()),
            ]);
            rows.push((blackout, "Blackout zone: H < 2000 nT"));
        }
        if isoporic {
            let mid = swatch_at(rows.len() as f32).left_center();
            let dash = Shape::Vec(Shape::dashed_line(
                &[mid, mid + Vec2::X * 22.0],
                Stroke::new(1.0, ISOPORIC),
                6.0,
                4.0,
            ));
            rows.push((dash, "Isoporic: annual change of D"));
        }
        for (row, (swatch, text)) in rows.into_iter().enumerate() {
            shapes.push(swatch);
            let galley = self.text(text.to_string(), 11.0, LABEL_TEXT);
            let y = swatch_at(row as f32).top() - 1.0;
            shapes.push(Shape::galley(
                Pos2::new(rect.left() + 34.0, y),
                galley,
                LABEL_TEXT,
            ));
        }
    }
}

/// Spacing of meridians, degrees: the closest on the ladder whose lines
/// are [`GRATICULE_LABEL_GAP`] points apart or more, so that their labels
/// never run into each other.
pub fn graticule_spacing(points_per_degree: f64) -> f64 {
    [0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0, 90.0]
        .into_iter()
        .find(|&spacing| spacing * points_per_degree >= GRATICULE_LABEL_GAP)
        .unwrap_or(90.0)
}

/// A polyline with the points left out that lie within `tolerance` of
/// the line through their neighbours that are kept (Douglas–Peucker):
/// straight meridians become two points, gentle curves a few.
pub fn simplify(points: &[Pos2], tolerance: f32) -> Vec<Pos2> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (a, b) = (points[first], points[last]);
        let along = b - a;
        let length = along.length();
        let distance = |p: Pos2| {
            if length == 0.0 {
                p.distance(a)
            } else {
                (along.x * (p.y - a.y) - along.y * (p.x - a.x)).abs() / length
            }
        };
        let farthest = (first + 1..last)
            .map(|i| (i, distance(points[i])))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, d)) = farthest
            && d > tolerance
        {
            keep[i] = true;
            stack.push((first, i));
            stack.push((i, last));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

/// The runs of a screen polyline that stay `radius` or more away from
/// every point of `centres`.
fn clear_of(points: &[Pos2], centres: &[Pos2], radius: f32) -> Vec<Vec<Pos2>> {
    if radius <= 0.0 || centres.is_empty() {
        return vec![points.to_vec()];
    }
    let mut pieces = Vec::new();
    let mut piece = Vec::new();
    for &point in points {
        if centres.iter().any(|c| c.distance(point) < radius) {
            if piece.len() >= 2 {
                pieces.push(std::mem::take(&mut piece));
            }
            piece.clear();
        } else {
            piece.push(point);
        }
    }
    if piece.len() >= 2 {
        pieces.push(piece);
    }
    pieces
}

/// `30°N`, `0°`, `36°30'W`: a graticule line's name.
pub fn graticule_label(angle_deg: f64, positive: char, negative: char) -> String {
    let total_minutes = (angle_deg.abs() * 60.0).round() as i64;
    // 0° and 180° are neither east nor west.
    let letter = if total_minutes == 0 || total_minutes == 180 * 60 && positive == 'E' {
        String::new()
    } else if angle_deg > 0.0 {
        positive.to_string()
    } else {
        negative.to_string()
    };
    let (degrees, minutes) = (total_minutes / 60, total_minutes % 60);
    if minutes == 0 {
        format!("{degrees}°{letter}")
    } else {
        format!("{degrees}°{minutes:02}'{letter}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graticule_labels() {
        assert_eq!(graticule_label(30.0, 'N', 'S'), "30°N");
        assert_eq!(graticule_label(-120.0, 'E', 'W'), "120°W");
        assert_eq!(graticule_label(0.0, 'E', 'W'), "0°");
        assert_eq!(graticule_label(36.5, 'N', 'S'), "36°30'N");
    }

    #[test]
    fn graticule_gets_finer_as_the_chart_zooms_in() {
        // A 720-point chart of the world, of Europe, of a harbour.
        assert_eq!(graticule_spacing(720.0 / 360.0), 30.0);
        assert_eq!(graticule_spacing(720.0 / 40.0), 5.0);
        assert_eq!(graticule_spacing(720.0 / 2.0), 0.25);
        assert_eq!(graticule_label(-180.0, 'E', 'W'), "180°");
        assert_eq!(graticule_label(-180.0, 'N', 'S'), "180°S");
    }

    #[test]
    fn simplifying_keeps_corners_and_drops_straight_runs() {
        let straight: Vec<Pos2> = (0..=10).map(|i| Pos2::new(i as f32, 0.0)).collect();
        assert_eq!(
            simplify(&straight, 0.3),
            vec![Pos2::new(0.0, 0.0), Pos2::new(10.0, 0.0)]
        );
        let corner = [
            Pos2::new(0.0, 0.0),
            Pos2::new(5.0, 0.1),
            Pos2::new(10.0, 0.0),
            Pos2::new(10.0, 10.0),
        ];
        assert_eq!(
            simplify(&corner, 0.3),
            vec![corner[0], corner[2], corner[3]]
        );
    }

    #[test]
    fn lines_stop_near_the_dip_poles() {
        let line: Vec<Pos2> = (0..=10).map(|i| Pos2::new(i as f32 * 10.0, 0.0)).collect();
        let pieces = clear_of(&line, &[Pos2::new(50.0, 0.0)], 15.0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].last(), Some(&Pos2::new(30.0, 0.0)));
        assert_eq!(pieces[1][0], Pos2::new(70.0, 0.0));
        assert_eq!(clear_of(&line, &[], 15.0), vec![line.clone()]);
    }
}
