//! The chart: land, graticule, isolines and the marker, drawn from the
//! app's state; pointer input becomes calls to the app's methods.

use crate::app::MagvarApp;
use crate::contours_worker::Overlay;
use crate::land::{LandDetail, coastlines};
use crate::projection::{GeoBounds, MapView};
use egui::{
    Align2, Color32, FontId, Painter, Pos2, Rect, Response, Role, Sense, Shape, Stroke, Ui, Vec2,
    WidgetInfo,
};
use magvar_core::ContourLine;

/// The chart's accessible label (tests find the chart by it).
pub const CHART_LABEL: &str = "declination chart";

const OCEAN: Color32 = Color32::from_rgb(224, 236, 245);
const OFF_GLOBE: Color32 = Color32::from_rgb(190, 190, 190);
const COAST: Color32 = Color32::from_rgb(95, 95, 85);
const GRATICULE: Color32 = Color32::from_rgb(175, 192, 208);
const LABEL_TEXT: Color32 = Color32::from_rgb(60, 60, 60);
/// East declination red, west blue, the agonic line green, as NOAA draws them.
pub const EAST: Color32 = Color32::from_rgb(200, 30, 30);
pub const WEST: Color32 = Color32::from_rgb(30, 60, 200);
pub const AGONIC: Color32 = Color32::from_rgb(0, 140, 40);
const OVERLAY_LINE: Color32 = Color32::from_rgb(150, 90, 20);
const MARKER: Color32 = Color32::from_rgb(20, 20, 20);

/// Wider than this (degrees of longitude) the chart draws the 1:110m coast.
const COARSE_LAND_ABOVE_SPAN_DEG: f64 = 90.0;
/// Screen distance between labels along an isoline, points.
const LABEL_SPACING: f32 = 380.0;
/// Zoom per point of mouse-wheel scrolling.
const WHEEL_ZOOM_PER_POINT: f64 = 0.004;

/// Draws the chart into the space left in `ui` and handles its input.
pub fn show(ui: &mut Ui, app: &mut MagvarApp) -> Response {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(Role::Canvas, true, CHART_LABEL));
    handle_input(ui, app, rect, &response);

    let visible = app.view.visible_bounds(rect);
    app.update_contours(visible);
    if app.contours_pending() {
        // The worker wakes the UI when it is done; until then keep polling
        // cheaply in case it finished between frames.
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(50));
    }

    let painter = ui.painter_at(rect);
    let view = app.view;
    draw_background(&painter, &view, rect);
    draw_graticule(&painter, &view, rect, visible);
    draw_land(&painter, &view, rect, visible);
    if let Some(set) = app.contours() {
        let overlay = set.request.overlay;
        // Labels already drawn: near the magnetic poles, where every line
        // meets, later labels that would cover them are left out.
        let mut labels = Vec::new();
        for line in &set.declination {
            let color = declination_color(line.value);
            let label = declination_label(line.value);
            draw_isoline(&painter, &view, rect, line, color, &label, &mut labels);
        }
        for line in &set.overlay {
            let label = overlay_label(overlay, line.value);
            draw_isoline(
                &painter,
                &view,
                rect,
                line,
                OVERLAY_LINE,
                &label,
                &mut labels,
            );
        }
    }
    if let Some((lat, lon)) = app.marker() {
        draw_marker(&painter, view.to_screen(rect, lon, lat));
    }
    if let Some(pos) = response.hover_pos()
        && let Some((lat, lon)) = view.to_geo(rect, pos)
    {
        painter.text(
            rect.right_top() + Vec2::new(-6.0, 6.0),
            Align2::RIGHT_TOP,
            format!("{lat:.3}°, {lon:.3}°"),
            FontId::proportional(12.0),
            LABEL_TEXT,
        );
    }
    response
}

fn handle_input(ui: &Ui, app: &mut MagvarApp, rect: Rect, response: &Response) {
    if response.dragged() {
        app.view.pan_by(rect, response.drag_delta());
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && let Some((lat, lon)) = app.view.to_geo(rect, pos)
    {
        app.click_at(lat, lon);
    }
    if let Some(pointer) = response.hover_pos() {
        // Wheel scrolling and pinching (or ctrl + wheel) both zoom about the pointer.
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = f64::from(pinch) * (f64::from(scroll) * WHEEL_ZOOM_PER_POINT).exp();
        if factor != 1.0 {
            app.view.zoom_about(rect, factor, pointer);
        }
    }
}

fn draw_background(painter: &Painter, view: &MapView, rect: Rect) {
    painter.rect_filled(rect, 0.0, OFF_GLOBE);
    let globe = Rect::from_two_pos(
        view.to_screen(rect, -180.0, 90.0),
        view.to_screen(rect, 180.0, -90.0),
    );
    painter.rect_filled(globe.intersect(rect), 0.0, OCEAN);
}

/// Spacing of meridians and parallels: the widest that still gives six
/// or more lines across the chart.
fn graticule_spacing(span_lon_deg: f64) -> f64 {
    [30.0, 10.0, 5.0, 2.0, 1.0, 0.5]
        .into_iter()
        .find(|&spacing| span_lon_deg / spacing >= 6.0)
        .unwrap_or(0.25)
}

fn draw_graticule(painter: &Painter, view: &MapView, rect: Rect, visible: GeoBounds) {
    let spacing = graticule_spacing(view.span_lon_deg);
    let stroke = Stroke::new(0.6, GRATICULE);
    let font = FontId::proportional(11.0);
    let first_lon = (visible.west_deg / spacing).ceil() as i64;
    let last_lon = (visible.east_deg / spacing).floor() as i64;
    for k in first_lon..=last_lon {
        let lon = k as f64 * spacing;
        let top = view.to_screen(rect, lon, visible.north_deg);
        let bottom = view.to_screen(rect, lon, visible.south_deg);
        painter.line_segment([top, bottom], stroke);
        painter.text(
            Pos2::new(top.x + 2.0, bottom.y.min(rect.bottom()) - 2.0),
            Align2::LEFT_BOTTOM,
            graticule_label(lon, 'E', 'W'),
            font.clone(),
            LABEL_TEXT,
        );
    }
    let first_lat = (visible.south_deg / spacing).ceil() as i64;
    let last_lat = (visible.north_deg / spacing).floor() as i64;
    for k in first_lat..=last_lat {
        let lat = k as f64 * spacing;
        let west = view.to_screen(rect, visible.west_deg, lat);
        let east = view.to_screen(rect, visible.east_deg, lat);
        painter.line_segment([west, east], stroke);
        painter.text(
            Pos2::new(west.x.max(rect.left()) + 2.0, west.y - 1.0),
            Align2::LEFT_BOTTOM,
            graticule_label(lat, 'N', 'S'),
            font.clone(),
            LABEL_TEXT,
        );
    }
}

/// `30°N`, `0°`, `36°30'W`: a graticule line's name.
fn graticule_label(angle_deg: f64, positive: char, negative: char) -> String {
    let total_minutes = (angle_deg.abs() * 60.0).round() as i64;
    let letter = if total_minutes == 0 {
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

fn draw_land(painter: &Painter, view: &MapView, rect: Rect, visible: GeoBounds) {
    let detail = if view.span_lon_deg > COARSE_LAND_ABOVE_SPAN_DEG {
        LandDetail::Coarse
    } else {
        LandDetail::Fine
    };
    let stroke = Stroke::new(1.0, COAST);
    for piece in coastlines(detail) {
        if !piece.intersects(
            visible.west_deg,
            visible.south_deg,
            visible.east_deg,
            visible.north_deg,
        ) {
            continue;
        }
        let points = piece
            .points
            .iter()
            .map(|&(lon, lat)| view.to_screen(rect, lon, lat))
            .collect();
        painter.add(Shape::line(points, stroke));
    }
}

/// Red east of zero, blue west, green on the agonic line.
pub fn declination_color(value_deg: f64) -> Color32 {
    if value_deg > 0.0 {
        EAST
    } else if value_deg < 0.0 {
        WEST
    } else {
        AGONIC
    }
}

/// `15°E`, `5°W`, `0°`.
fn declination_label(value_deg: f64) -> String {
    graticule_label(value_deg, 'E', 'W')
}

fn overlay_label(overlay: Overlay, value: f64) -> String {
    match overlay {
        Overlay::TotalIntensity => format!("{value:.0} nT"),
        Overlay::Inclination | Overlay::None => format!("I {value:.0}°"),
    }
}

/// One isoline with its value written along it every [`LABEL_SPACING`] points.
fn draw_isoline(
    painter: &Painter,
    view: &MapView,
    rect: Rect,
    line: &ContourLine,
    color: Color32,
    label: &str,
    placed_labels: &mut Vec<Rect>,
) {
    let points: Vec<Pos2> = line
        .points
        .iter()
        .map(|&(lon, lat)| view.to_screen(rect, lon, lat))
        .collect();
    let width = if line.value == 0.0 { 2.0 } else { 1.3 };
    painter.add(Shape::line(points.clone(), Stroke::new(width, color)));

    // Away from the chart's and the globe's edges, where the graticule is labelled.
    let globe = Rect::from_two_pos(
        view.to_screen(rect, -180.0, 90.0),
        view.to_screen(rect, 180.0, -90.0),
    );
    let label_area = rect.intersect(globe).shrink(24.0);
    let mut next_label_at = LABEL_SPACING / 3.0;
    let mut travelled = 0.0;
    for pair in points.windows(2) {
        travelled += pair[0].distance(pair[1]);
        if travelled >= next_label_at && label_area.contains(pair[1]) {
            let galley =
                painter.layout_no_wrap(label.to_string(), FontId::proportional(11.0), color);
            let text_rect = Align2::CENTER_CENTER
                .anchor_size(pair[1], galley.size())
                .expand(1.5);
            if placed_labels
                .iter()
                .any(|placed| placed.intersects(text_rect))
            {
                continue;
            }
            placed_labels.push(text_rect);
            painter.rect_filled(text_rect, 2.0, OCEAN.gamma_multiply(0.9));
            painter.galley(text_rect.min + Vec2::splat(1.5), galley, color);
            next_label_at = travelled + LABEL_SPACING;
        }
    }
}

fn draw_marker(painter: &Painter, at: Pos2) {
    painter.circle(
        at,
        6.0,
        Color32::from_white_alpha(160),
        Stroke::new(2.0, MARKER),
    );
    let arm = 11.0;
    let stroke = Stroke::new(1.5, MARKER);
    painter.line_segment([at - Vec2::X * arm, at + Vec2::X * arm], stroke);
    painter.line_segment([at - Vec2::Y * arm, at + Vec2::Y * arm], stroke);
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
        assert_eq!(graticule_spacing(360.0), 30.0);
        assert_eq!(graticule_spacing(90.0), 10.0);
        assert_eq!(graticule_spacing(20.0), 2.0);
        assert_eq!(graticule_spacing(2.0), 0.25);
    }

    #[test]
    fn declination_colours() {
        assert_eq!(declination_color(10.0), EAST);
        assert_eq!(declination_color(-10.0), WEST);
        assert_eq!(declination_color(0.0), AGONIC);
    }
}
