//! The chart as a navigator uses it: the field under the pointer, a map
//! that wraps round at ±180°, the dip poles moving with the date, saving
//! the view, and a live NMEA position. Every number is core's.

mod common;

use common::*;
use egui_kittest::kittest::Queryable;
use magvar_core::{BuiltinModel, DatePolicy, Position, parse_date};
use magvar_gui::chart::CHART_LABEL;
use magvar_gui::projection::Projection;
use magvar_gui::status::readout_text;
use magvar_gui::view::MapView;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

const RMC_NORFOLK: &str = "$GPRMC,120000,A,3651.000,N,07617.400,W,5.0,45.0,251126,,*";

/// An NMEA sentence with its checksum.
fn sentence(body: &str) -> String {
    let body = body.trim_end_matches('*');
    let checksum = body[1..].bytes().fold(0u8, |a, b| a ^ b);
    format!("{body}*{checksum:02X}")
}

#[test]
fn the_readout_under_the_pointer_is_cores_value_there() {
    let mut harness = harness();
    let pos = chart_point(&harness, -33.9, 151.2);
    harness.hover_at(pos);
    harness.run();
    let hover = harness
        .state()
        .hover()
        .expect("the pointer is over the chart")
        .clone();
    assert!((hover.latitude_deg + 33.9).abs() < 0.5 && (hover.longitude_deg - 151.2).abs() < 0.5);
    let year = parse_date(TEST_DATE).unwrap();
    let position = Position::geodetic(hover.latitude_deg, hover.longitude_deg, 0.0).unwrap();
    let expected = wmm().field(&position, year, DatePolicy::Strict).unwrap();
    let report = hover.report.as_ref().unwrap();
    assert_eq!(report.elements, expected.elements);
    assert_eq!(report.uncertainty, expected.uncertainty);
    // As the status bar shows it, without a click.
    let text = readout_text(&hover);
    assert!(
        shows(&harness, &text),
        "the status bar does not show {text}"
    );
    assert!(text.contains(" ±0°"), "{text}");
    assert!(harness.state().marker().is_none());
    // The pointer moves on: so does the readout.
    let elsewhere = chart_point(&harness, 60.0, -40.0);
    harness.hover_at(elsewhere);
    harness.run();
    assert!((harness.state().hover().unwrap().latitude_deg - 60.0).abs() < 0.5);
}

#[test]
fn panning_a_whole_world_east_returns_to_the_same_view() {
    let mut harness = harness();
    harness.state_mut().view.zoom = 3.0;
    settle(&mut harness);
    let before = harness.state().view;
    let chart = harness.get_by_label(CHART_LABEL).rect();
    let t = before.transform(chart);
    let world = (t.projection.world_width() * t.scale) as f32;
    // Drag right to left (the map follows the pointer) in steps that
    // add up to one world.
    let steps = (world / 150.0).ceil() as usize;
    let step = world / steps as f32;
    for _ in 0..steps {
        let start = chart.center();
        harness.hover_at(start);
        harness.drag_at(start);
        harness.step();
        harness.hover_at(start - egui::vec2(step / 2.0, 0.0));
        harness.step();
        harness.hover_at(start - egui::vec2(step, 0.0));
        harness.step();
        harness.drop_at(start - egui::vec2(step, 0.0));
        harness.step();
    }
    settle(&mut harness);
    let after = harness.state().view;
    assert!(
        (after.center_lon_deg - before.center_lon_deg).abs() < 0.01,
        "{before:?} {after:?}"
    );
    assert!((after.center_lat_deg - before.center_lat_deg).abs() < 1e-9);
    assert_eq!(after.zoom, before.zoom);
}

#[test]
fn a_click_on_the_world_east_of_180_degrees_gives_its_longitude() {
    let mut harness = harness();
    harness.state_mut().view = MapView {
        projection: Projection::Mercator,
        center_lon_deg: 175.0,
        center_lat_deg: 0.0,
        zoom: 6.0,
    };
    settle(&mut harness);
    let chart = harness.get_by_label(CHART_LABEL).rect();
    let t = harness.state().view.transform(chart);
    // 170°W lies east of the centre, on the next copy of the world.
    let [x, y] = Projection::Mercator.forward(-170.0, -15.0);
    let pos = t.to_screen([x + Projection::Mercator.world_width(), y]);
    assert!(chart.contains(pos) && pos.x > chart.center().x);
    click(&mut harness, pos);
    let (lat, lon) = harness.state().marker().expect("a marker");
    assert!(
        (lon + 170.0).abs() < 0.1 && (lat + 15.0).abs() < 0.1,
        "{lat} {lon}"
    );
    let expected = expected_declination(wmm(), lat, lon, TEST_DATE);
    assert!(shows(&harness, &expected), "panel does not show {expected}");
}

#[test]
fn the_dip_pole_markers_move_with_the_date_to_cores_positions() {
    let mut harness = harness_with(
        magvar_gui::Settings {
            view: MapView {
                projection: Projection::EqualEarth,
                ..MapView::default()
            },
            model: "igrf14".into(),
            ..settings()
        },
        false,
    );
    let mut seen = Vec::new();
    for year in [1950.0, 2000.0, 2029.0] {
        harness.state_mut().set_year(year);
        settle(&mut harness);
        let expected = BuiltinModel::Igrf14.model().poles(year, 0.0).unwrap();
        let plane = harness.state().plane().expect("layers").clone();
        let north = plane.poles.iter().find(|p| p.name == "north_dip").unwrap();
        assert!(
            (north.position.latitude_deg - expected.north_dip.latitude_deg).abs() < 1e-6,
            "{year}"
        );
        assert!(
            (north.position.longitude_deg - expected.north_dip.longitude_deg).abs() < 1e-5,
            "{year}"
        );
        let at = Projection::EqualEarth.forward(
            expected.north_dip.longitude_deg,
            expected.north_dip.latitude_deg,
        );
        // Found from the last date's poles: the same pole to 1e-9.
        assert!((north.at[0] - at[0]).abs() < 1e-9 && (north.at[1] - at[1]).abs() < 1e-9);
        assert!(north.shown, "Equal Earth shows the poles");
        seen.push(north.position.latitude_deg);
    }
    // It moved north, from Canada towards Siberia.
    assert!(seen[0] < seen[1] && seen[1] < seen[2], "{seen:?}");
}

/// Opens the Save menu (unless it is open) and clicks `button` in it.
fn save(harness: &mut egui_kittest::Harness<'static, magvar_gui::MagvarApp>, button: &str) {
    if harness.query_by_label(button).is_none() {
        harness.get_by_label("Save").click();
        harness.run();
    }
    harness.get_by_label(button).click();
    harness.run();
}

#[test]
fn saving_writes_the_chart_as_png_and_its_lines_and_poles_as_geojson() {
    let folder = tempfile::tempdir().unwrap();
    let base = folder.path().join("chart");
    let mut harness = harness();
    harness.state_mut().save_path = base.display().to_string();
    save(&mut harness, "Save PNG");
    save(&mut harness, "Save GeoJSON");
    let message = harness.state().save_message.clone().unwrap();
    assert!(
        message.as_ref().is_ok_and(|m| m.contains("chart.geojson")),
        "{message:?}"
    );

    let chart = harness.get_by_label(CHART_LABEL).rect();
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(base.with_extension("png")).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (info.width, info.height),
        (chart.width().round() as u32, chart.height().round() as u32)
    );
    // Sea, land, lines of both colours: not a blank image.
    let colours: std::collections::HashSet<&[u8]> = pixels.chunks(4).collect();
    assert!(colours.len() > 200, "{} colours", colours.len());
    let red_lines = pixels
        .chunks(4)
        .filter(|p| p[0] > 150 && p[1] < 80 && p[2] < 80)
        .count();
    let blue_lines = pixels
        .chunks(4)
        .filter(|p| p[2] > 150 && p[0] < 80 && p[1] < 100)
        .count();
    assert!(
        red_lines > 100 && blue_lines > 100,
        "{red_lines} {blue_lines}"
    );

    let text = std::fs::read_to_string(base.with_extension("geojson")).unwrap();
    let collection: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    assert_eq!(collection["properties"]["model"], "WMM2025");
    let features = collection["features"].as_array().unwrap();
    let lines: Vec<&serde_json::Value> = features
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .collect();
    assert!(lines.iter().any(|f| f["properties"]["agonic"] == true));
    assert!(
        lines
            .iter()
            .all(|f| f["properties"]["element"] == "declination")
    );
    for line in &lines {
        for point in line["geometry"]["coordinates"].as_array().unwrap() {
            let (lon, lat) = (point[0].as_f64().unwrap(), point[1].as_f64().unwrap());
            assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        }
    }
    // The south dip pole is in view (Mercator cuts the north one off).
    let poles: Vec<&str> = features
        .iter()
        .filter_map(|f| f["properties"]["pole"].as_str())
        .collect();
    assert!(
        poles.contains(&"south_dip") && !poles.contains(&"north_dip"),
        "{poles:?}"
    );

    // A size that is not one is said, and nothing is written.
    harness.state_mut().save_size = "huge".into();
    save(&mut harness, "Save PNG");
    let message = harness.state().save_message.clone().unwrap().unwrap_err();
    assert!(message.contains("WIDTHxHEIGHT"), "{message}");
    harness.state_mut().save_size = "320x200".into();
    save(&mut harness, "Save PNG");
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(base.with_extension("png")).unwrap(),
    ));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (320, 200));
}

#[test]
fn an_nmea_feed_over_udp_moves_the_marker_and_garbage_is_counted() {
    let mut harness = harness();
    harness.state_mut().connect_nmea("udp://127.0.0.1:0");
    let target = harness.state().nmea_local_address().expect("listening");
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    let send = |text: &str| sender.send_to(text.as_bytes(), target).unwrap();
    send(&format!("{}\r\n", sentence(RMC_NORFOLK)));
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness.state().marker().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    let (lat, lon) = harness.state().marker().expect("the fix moved the marker");
    assert!(
        (lat - 36.85).abs() < 1e-9 && (lon + 76.29).abs() < 1e-9,
        "{lat} {lon}"
    );
    harness.run();
    assert!(shows(
        &harness,
        &expected_declination(wmm(), 36.85, -76.29, TEST_DATE)
    ));

    send("$GPRMC,garbage*00\r\n\u{7}\u{0}noise\r\n");
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness.state().vessel().unwrap().bad < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    let vessel = harness.state().vessel().unwrap();
    assert_eq!(vessel.bad, 2);
    assert!(!vessel.stale);
    harness.run();
    assert!(shows(&harness, "2 bad sentences"));
    // The marker stays on the last good fix.
    assert_eq!(harness.state().marker(), Some((lat, lon)));
    // A second fix moves it on.
    send(&sentence("$GPGLL,3700.000,N,07600.000,W,120100,A,*"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness.state().marker() == Some((lat, lon)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    assert_eq!(harness.state().marker(), Some((37.0, -76.0)));
}

#[test]
fn a_bad_nmea_source_is_a_usage_error_of_the_binary_and_a_message_in_the_app() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_magvar-gui"))
        .args(["--nmea", "serial:/dev/ttyUSB0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("udp://ADDRESS:PORT"), "{stderr}");
    let mut harness = harness();
    harness.state_mut().connect_nmea("10110");
    assert!(
        harness
            .state()
            .nmea_error
            .as_ref()
            .unwrap()
            .contains("10110")
    );
    assert!(harness.state().vessel().is_none());
}
