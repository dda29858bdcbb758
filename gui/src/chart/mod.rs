//! The chart: land, graticule, the field's lines and zones, the poles and
//! the marker, drawn from the app's state; pointer and keys become calls
//! to the app's methods.
//!
//! The drawing is a list of shapes ([`chart_shapes`]) made for any
//! rectangle, so that the window and a saved PNG show the same chart.

mod draw;
mod labels;
mod style;

pub use draw::chart_shapes;
pub use style::{AGONIC, EAST, OCEAN, WEST, declination_color};

use crate::app::MagvarApp;
use egui::{Key, Rect, Response, Role, Sense, Ui, WidgetInfo};
use std::time::Duration;

/// The chart's accessible label (tests find the chart by it).
pub const CHART_LABEL: &str = "declination chart";

/// Zoom per point of mouse-wheel scrolling.
const WHEEL_ZOOM_PER_POINT: f64 = 0.004;
/// How far an arrow key pans: a fraction of the chart.
const ARROW_PAN_FRACTION: f32 = 0.125;

/// Draws the chart into the space left in `ui` and handles its input.
pub fn show(ui: &mut Ui, app: &mut MagvarApp) -> Response {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    response.widget_info(|| WidgetInfo::labeled(Role::Canvas, true, CHART_LABEL));
    app.set_chart_rect(rect);
    // The window may have changed size: keep the view on the map.
    app.view.clamp(rect);
    handle_pointer(ui, app, rect, &response);
    handle_keys(ui, app);
    app.poll_nmea();

    app.update_layers(app.view.visible_bounds(rect), app.view.span_lon_deg(rect));
    if app.layers_pending() {
        // The worker wakes the UI when it is done; until then keep polling
        // cheaply in case it finished between frames.
        ui.ctx().request_repaint_after(Duration::from_millis(50));
    }
    if app.has_live_feed() {
        // A silent feed turns stale without any event to wake the UI.
        ui.ctx().request_repaint_after(Duration::from_secs(1));
    }
    let shapes = chart_shapes(ui.ctx(), app, rect);
    ui.painter_at(rect).extend(shapes);
    response
}

fn handle_pointer(ui: &Ui, app: &mut MagvarApp, rect: Rect, response: &Response) {
    if response.dragged() {
        app.view.pan_by(rect, response.drag_delta());
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
        && let Some((lat, lon)) = app.view.to_geo(rect, pos)
    {
        app.click_at(lat, lon);
    }
    match response
        .hover_pos()
        .and_then(|pos| app.view.to_geo(rect, pos))
    {
        Some((lat, lon)) => app.hover_at(lat, lon),
        None => app.clear_hover(),
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

/// Arrows pan, `+` and `-` zoom, Home shows the world: unless a text
/// field has the keyboard.
fn handle_keys(ui: &Ui, app: &mut MagvarApp) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    let pressed = |key: Key| ui.input(|i| i.key_pressed(key));
    let step = ARROW_PAN_FRACTION;
    for (key, east, north) in [
        (Key::ArrowLeft, -step, 0.0),
        (Key::ArrowRight, step, 0.0),
        (Key::ArrowUp, 0.0, step),
        (Key::ArrowDown, 0.0, -step),
    ] {
        if pressed(key) {
            app.pan_by_fraction(east, north);
        }
    }
    if pressed(Key::Plus) || pressed(Key::Equals) {
        app.zoom_by(crate::app::BUTTON_ZOOM_FACTOR);
    }
    if pressed(Key::Minus) {
        app.zoom_by(1.0 / crate::app::BUTTON_ZOOM_FACTOR);
    }
    if pressed(Key::Home) {
        app.reset_view();
    }
}
