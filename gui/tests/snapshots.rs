//! Rendered images of the chart and the panel (wgpu; headless on Mesa's
//! lavapipe). `UPDATE_SNAPSHOTS=1 cargo test -p magvar-gui --test snapshots`
//! rewrites them after an intended change of the drawing; look at the
//! new images before committing them.

mod common;

use common::*;
use egui_kittest::Harness;
use magvar_gui::projection::Projection;
use magvar_gui::settings::LayerChoices;
use magvar_gui::view::MapView;
use magvar_gui::worker::Overlay;
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

/// The world in `projection`, with a marker, the compass zones and the
/// poles (Mercator cuts the north dip pole off at 85°).
fn world_chart(projection: Projection, name: &str) {
    let mut harness = part_harness(
        Settings {
            marker: Some((36.85, -76.29)),
            view: MapView {
                projection,
                ..MapView::default()
            },
            ..settings()
        },
        [720.0, 400.0],
        chart_part,
    );
    harness.snapshot(name);
}

#[test]
fn world_chart_in_mercator() {
    world_chart(Projection::Mercator, "chart_world_mercator_wmm2025");
}

#[test]
fn world_chart_in_equal_earth() {
    world_chart(Projection::EqualEarth, "chart_world_equal_earth_wmm2025");
}

#[test]
fn world_chart_in_plate_carree() {
    world_chart(Projection::PlateCarree, "chart_world_plate_carree_wmm2025");
}

/// Isoporic lines and the poles' tracks since 1900, in Equal Earth.
#[test]
fn world_chart_with_isoporic_lines_and_pole_tracks() {
    let mut harness = part_harness(
        Settings {
            view: MapView {
                projection: Projection::EqualEarth,
                ..MapView::default()
            },
            layers: LayerChoices {
                zones: false,
                isoporic: true,
                pole_tracks: true,
            },
            ..settings()
        },
        [720.0, 400.0],
        chart_part,
    );
    harness.snapshot("chart_world_equal_earth_isoporic_tracks");
}

#[test]
fn zoomed_chart_with_the_inclination_overlay() {
    let mut harness = part_harness(
        Settings {
            marker: Some((51.48, 0.0)),
            view: MapView {
                projection: Projection::Mercator,
                center_lat_deg: 50.0,
                center_lon_deg: 5.0,
                zoom: 9.0,
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
