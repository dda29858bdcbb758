//! Rendered images of the chart and the panel (wgpu; headless on Mesa's
//! lavapipe). `UPDATE_SNAPSHOTS=1 cargo test -p magvar-gui --test snapshots`
//! rewrites them after an intended change of the drawing; look at the
//! new images before committing them.

mod common;

use common::*;
use egui_kittest::Harness;
use magvar_gui::contours_worker::Overlay;
use magvar_gui::projection::MapView;
use magvar_gui::{MagvarApp, Settings, chart, panel};

/// One part of the app on its own, rendered with wgpu, its lines computed.
fn part_harness(
    settings: Settings,
    size: [f32; 2],
    part: fn(&mut egui::Ui, &mut MagvarApp),
) -> Harness<'static, MagvarApp> {
    let app = MagvarApp::new(settings, None);
    let mut harness = Harness::builder()
        .with_size(size)
        .with_max_steps(20)
        .wgpu()
        .build_ui_state(part, app);
    settle(&mut harness);
    harness
}

fn chart_part(ui: &mut egui::Ui, app: &mut MagvarApp) {
    chart::show(ui, app);
}

fn panel_part(ui: &mut egui::Ui, app: &mut MagvarApp) {
    panel::show(ui, app);
}

#[test]
fn world_chart_with_a_marker() {
    let mut harness = part_harness(
        Settings {
            marker: Some((36.85, -76.29)),
            ..settings()
        },
        [640.0, 320.0],
        chart_part,
    );
    harness.snapshot("chart_world_wmm2025");
}

#[test]
fn zoomed_chart_with_the_inclination_overlay() {
    let mut harness = part_harness(
        Settings {
            marker: Some((51.48, 0.0)),
            view: MapView {
                center_lat_deg: 50.0,
                center_lon_deg: 5.0,
                span_lon_deg: 40.0,
            },
            overlay: Overlay::Inclination,
            model: "igrf14".to_string(),
            date: "1900-01-01".to_string(),
            ..settings()
        },
        [480.0, 360.0],
        chart_part,
    );
    harness.snapshot("chart_europe_igrf14_1900_inclination");
}

#[test]
fn panel_for_a_position_in_a_caution_zone() {
    // Resolute Bay: weak horizontal field, so the panel shows a warning,
    // and far enough north for grid variation.
    let mut harness = part_harness(
        Settings {
            marker: Some((74.7, -94.8)),
            ..settings()
        },
        [360.0, 640.0],
        panel_part,
    );
    harness.snapshot("panel_resolute_wmm2025");
}
