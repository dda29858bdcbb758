//! The window's layout: controls on top, the status bar at the bottom,
//! the field report on the right (it can be closed) and the chart filling
//! the rest.

use crate::app::MagvarApp;
use crate::{chart, controls, panel, status};
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
    egui::Panel::bottom("status").show(ui, |ui| status::show(ui, app));
    if app.panel_open {
        egui::Panel::right("report")
            .default_size(PANEL_WIDTH)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| panel::show(ui, app));
            });
    }
    egui::CentralPanel::default()
        .frame(egui::Frame::NONE)
        .show(ui, |ui| chart::show(ui, app));
}
