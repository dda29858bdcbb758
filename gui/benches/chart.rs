//! The chart's speed goals (issue: ≤ 16 ms a frame with filled land,
//! lines and labels at 1280×800; new lines ≤ 100 ms after a pan, zoom or
//! date step; the readout under the pointer ≤ 1 ms a move), measured in
//! release on this machine's renderer: egui_kittest's wgpu harness, which
//! on a machine without a GPU is Mesa's lavapipe, as the window is.
//!
//! `WGPU_BACKEND=vulkan cargo bench -p magvar-gui --bench chart`
//! prints a table; BENCHMARKS.md records it.

use egui_kittest::Harness;
use magvar_core::{BuiltinModel, ModelChoice};
use magvar_gui::projection::Projection;
use magvar_gui::settings::LayerChoices;
use magvar_gui::view::{GeoBounds, MapView};
use magvar_gui::worker::{LayerRequest, Overlay, compute};
use magvar_gui::{MagvarApp, Settings};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e3
}

fn settings(view: MapView) -> Settings {
    Settings {
        date: "2026-11-25".into(),
        marker: Some((36.85, -76.29)),
        view,
        ..Settings::default()
    }
}

/// Milliseconds per frame: the UI pass (the chart's shapes) and the
/// render (tessellation, wgpu on the GPU or lavapipe, and the read-back
/// of the image, which a window does not pay).
fn frames(name: &str, view: MapView, layers: LayerChoices) {
    let settings = Settings {
        layers,
        ..settings(view)
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_max_steps(20)
        .wgpu()
        .build_eframe(move |cc| {
            let mut app = MagvarApp::new(settings, Some(cc.egui_ctx.clone()));
            // As in the window: the sea is the clear colour.
            app.paint_ocean = false;
            app
        });
    for _ in 0..5 {
        harness.step();
        harness
            .state_mut()
            .wait_for_layers(Duration::from_secs(120));
    }
    harness.render().expect("a renderer");
    let (mut ui, mut render) = (Vec::new(), Vec::new());
    for i in 0..40 {
        // A one-point pan each frame: everything is drawn anew.
        let nudge = if i % 2 == 0 { 0.01 } else { -0.01 };
        harness.state_mut().view.center_lon_deg += nudge;
        let started = Instant::now();
        harness.step();
        ui.push(started.elapsed());
        let started = Instant::now();
        harness.render().expect("a renderer");
        render.push(started.elapsed());
    }
    // What the render spends on tessellation, and how much it makes.
    let shapes = harness.output().shapes.clone();
    let mut tessellation = Vec::new();
    let mut triangles = 0;
    for _ in 0..10 {
        let started = Instant::now();
        let primitives = harness.ctx.tessellate(shapes.clone(), 1.0);
        tessellation.push(started.elapsed());
        triangles = primitives
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum::<usize>();
    }
    if std::env::var_os("MAGVAR_BENCH_SHAPES").is_some() {
        let mut kinds = std::collections::BTreeMap::<String, (usize, usize)>::new();
        for clipped in &shapes {
            let kind = format!("{:?}", clipped.shape)
                .chars()
                .take_while(|c| c.is_alphanumeric())
                .collect::<String>();
            let primitives = harness.ctx.tessellate(vec![clipped.clone()], 1.0);
            let n: usize = primitives
                .iter()
                .map(|p| match &p.primitive {
                    egui::epaint::Primitive::Mesh(mesh) => mesh.indices.len() / 3,
                    egui::epaint::Primitive::Callback(_) => 0,
                })
                .sum();
            let entry = kinds.entry(kind).or_default();
            entry.0 += 1;
            entry.1 += n;
        }
        println!("{kinds:?}");
    }
    let (ui, render, tessellation) = (median(ui), median(render), median(tessellation));
    println!(
        "frame {name:<34} {:>7.2} ms  (UI {ui:.2} + render and read-back {render:.2}, of which tessellation {tessellation:.2}; {triangles} triangles)",
        ui + render
    );
}

/// The renderer's own cost: a window of the same size with `layers`
/// rectangles filling it (0: empty), what any chart pays for its fill.
fn filled_frame(layers: usize) {
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .wgpu()
        .build_ui(move |ui| {
            ui.label("empty");
            let rect = ui.ctx().content_rect();
            for k in 0..layers {
                let colour = egui::Color32::from_rgb(200, 210, 220 + k as u8);
                ui.painter().rect_filled(rect, 0.0, colour);
            }
        });
    harness.run();
    harness.render().expect("a renderer");
    let samples = (0..20)
        .map(|_| {
            harness.step();
            let started = Instant::now();
            harness.render().expect("a renderer");
            started.elapsed()
        })
        .collect();
    let name = format!("window filled {layers} times");
    println!(
        "frame {name:<34} {:>7.2} ms  (render and read-back only)",
        median(samples)
    );
}

fn request(
    model: BuiltinModel,
    region: GeoBounds,
    grid_step_deg: f64,
    step: f64,
    year: f64,
) -> LayerRequest {
    LayerRequest {
        model: ModelChoice::Builtin(model),
        year,
        altitude_km: 0.0,
        region,
        grid_step_deg,
        declination_step_deg: step,
        overlay: Overlay::Inclination,
        isoporic: true,
    }
}

/// Milliseconds for the worker to make a view's layers (isogonic,
/// inclination and isoporic lines, zones, poles from the date before).
fn layers(name: &str, request: LayerRequest) {
    let previous = BuiltinModel::Wmm2025
        .model()
        .poles(request.year - 0.1, 0.0)
        .ok();
    let samples = (0..7)
        .map(|_| {
            let started = Instant::now();
            compute(request.clone(), previous.as_ref());
            started.elapsed()
        })
        .collect();
    println!("new layers {name:<29} {:>7.2} ms", median(samples));
}

/// Microseconds per pointer move for the readout.
fn readout(name: &str, model: &str) {
    let mut app = MagvarApp::new(
        Settings {
            model: model.into(),
            ..settings(MapView::default())
        },
        None,
    );
    let moves = 20_000;
    let started = Instant::now();
    for i in 0..moves {
        let f = f64::from(i) / f64::from(moves);
        app.hover_at(-80.0 + 160.0 * f, -180.0 + 360.0 * ((f * 97.0) % 1.0));
    }
    let per_move = started.elapsed().as_secs_f64() / f64::from(moves);
    println!("readout {name:<32} {:>7.4} ms", per_move * 1e3);
}

fn main() {
    for layers in [0, 1, 3] {
        filled_frame(layers);
    }
    let default = LayerChoices::default();
    let everything = LayerChoices {
        zones: true,
        isoporic: true,
        pole_tracks: true,
    };
    frames("world, Mercator (110m land)", MapView::default(), default);
    frames(
        "world, Mercator, every layer",
        MapView::default(),
        everything,
    );
    let equal_earth = MapView {
        projection: Projection::EqualEarth,
        ..MapView::default()
    };
    frames("world, Equal Earth", equal_earth, default);
    let europe = MapView {
        projection: Projection::Mercator,
        center_lon_deg: 5.0,
        center_lat_deg: 50.0,
        zoom: 9.0,
    };
    frames("Europe, Mercator (50m land)", europe, default);
    let europe_region = GeoBounds {
        west_deg: -35.0,
        south_deg: 25.0,
        east_deg: 45.0,
        north_deg: 75.0,
    };
    layers(
        "world, WMM2025",
        request(BuiltinModel::Wmm2025, GeoBounds::WORLD, 2.0, 10.0, 2026.9),
    );
    layers(
        "Europe (pan/zoom), WMM2025",
        request(BuiltinModel::Wmm2025, europe_region, 0.5, 2.0, 2026.9),
    );
    layers(
        "world, WMMHR2025 (degree 133)",
        request(BuiltinModel::Wmmhr2025, GeoBounds::WORLD, 2.0, 10.0, 2026.9),
    );
    layers(
        "Europe, WMMHR2025",
        request(BuiltinModel::Wmmhr2025, europe_region, 0.5, 2.0, 2026.9),
    );
    readout("WMM2025", "wmm2025");
    readout("WMMHR2025", "wmmhr2025");
}
