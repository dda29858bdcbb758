//! The window's layout: controls on top, a status line at the bottom,
//! the field report on the right and the chart in the middle.

use crate::app::MagvarApp;
use crate::{chart, controls, panel};
use egui::Ui;

/// Width of the report panel when the app first opens, points.
const PANEL_WIDTH: f32 = 330.0;

pub fn show(ui: &mut Ui, app: &mut MagvarApp) {
    if app.is_playing() {
        let seconds = f64::from(ui.input(|i| i.stable_dt));
        app.advance_animation(seconds);
        ui.ctx().request_repaint();
    }
    egui::Panel::top("controls").show(ui, |ui| controls::show(ui, app));
    egui::Panel::bottom("status").show(ui, |ui| status_line(ui, app));
    egui::Panel::right("report")
        .default_size(PANEL_WIDTH)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| panel::show(ui, app));
        });
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| chart::show(ui, app));
}

/// Which model the chart shows, and whether its lines are up to date.
fn status_line(ui: &mut Ui, app: &MagvarApp) {
    ui.horizontal(|ui| {
        let model = app.model_choice().model_for(app.year());
        ui.label(format!("{} at {:.2}", model.name(), app.year()));
        if let Some(error) = &app.worker_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        } else if app.contours_pending() {
            ui.spinner();
            ui.label("computing isogonic lines…");
        } else if let Some(set) = app.contours() {
            ui.label(format!(
                "isogonic lines every {}° ({} ms)",
                set.request.declination_step_deg,
                set.compute_time.as_millis()
            ));
        }
        ui.label("· land: Natural Earth");
    });
}
