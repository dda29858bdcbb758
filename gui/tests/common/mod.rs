//! Shared set-up of the GUI tests: the app on a fixed date, in a window
//! of fixed size, with its isolines computed before anything is checked.

#![allow(dead_code)] // each test file uses its own part of this module

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use magvar_core::{
    BuiltinModel, DatePolicy, MagneticModel, Position, format_degrees_minutes, parse_date,
};
use magvar_gui::chart::CHART_LABEL;
use magvar_gui::{MagvarApp, Settings};
use std::time::Duration;

/// A date inside WMM2025's validity, so that `auto` means WMM2025.
pub const TEST_DATE: &str = "2026-11-25";
pub const WINDOW: [f32; 2] = [1200.0, 720.0];
/// Snapshots are smaller, to keep the PNGs in the repository small.
pub const SNAPSHOT_WINDOW: [f32; 2] = [1000.0, 560.0];

pub fn settings() -> Settings {
    Settings {
        date: TEST_DATE.to_string(),
        ..Settings::default()
    }
}

/// The app in a harness (`wgpu` renders real pixels for snapshots).
pub fn harness_with(settings: Settings, wgpu: bool) -> Harness<'static, MagvarApp> {
    let size = if wgpu { SNAPSHOT_WINDOW } else { WINDOW };
    let builder = Harness::builder().with_size(size).with_max_steps(20);
    let builder = if wgpu { builder.wgpu() } else { builder };
    let mut harness =
        builder.build_eframe(move |cc| MagvarApp::new(settings, Some(cc.egui_ctx.clone())));
    settle(&mut harness);
    harness
}

pub fn harness() -> Harness<'static, MagvarApp> {
    harness_with(settings(), false)
}

/// Runs frames until the layers the chart asked for have arrived.
pub fn settle(harness: &mut Harness<'static, MagvarApp>) {
    for _ in 0..5 {
        harness.step();
        assert!(
            harness
                .state_mut()
                .wait_for_layers(Duration::from_secs(120)),
            "the chart's layers did not arrive"
        );
        harness.run();
        if !harness.state().layers_pending() {
            return;
        }
    }
}

/// The screen point of a latitude and longitude on the chart.
pub fn chart_point(harness: &Harness<'static, MagvarApp>, lat: f64, lon: f64) -> egui::Pos2 {
    let chart = harness.get_by_label(CHART_LABEL).rect();
    harness.state().view.to_screen(chart, lon, lat)
}

/// A press and release of the primary button at `pos`.
pub fn click(harness: &mut Harness<'static, MagvarApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.drag_at(pos);
    harness.step();
    harness.drop_at(pos);
    settle(harness);
}

/// The declination as the panel writes it, computed here with magvar-core.
pub fn expected_declination(model: &MagneticModel, lat: f64, lon: f64, date: &str) -> String {
    let year = parse_date(date).unwrap();
    let position = Position::geodetic(lat, lon, 0.0).unwrap();
    let report = model.field(&position, year, DatePolicy::Strict).unwrap();
    format_degrees_minutes(report.elements.declination_deg, 'E', 'W')
}

pub fn wmm() -> &'static MagneticModel {
    BuiltinModel::Wmm2025.model()
}

/// Whether some widget's text is exactly `text`.
pub fn shows(harness: &Harness<'static, MagvarApp>, text: &str) -> bool {
    harness.query_all_by_label(text).next().is_some()
}
