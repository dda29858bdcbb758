//! The app's state changes, without a window.

use super::*;
use crate::view::GeoBounds;
use std::time::Duration;

fn app() -> MagvarApp {
    MagvarApp::new(
        Settings {
            date: "2026-11-25".into(),
            ..Settings::default()
        },
        None,
    )
}

fn declination(app: &MagvarApp) -> f64 {
    let report = app.selection().unwrap().report.as_ref().unwrap();
    report.elements.declination_deg
}

#[test]
fn click_computes_the_field_there() {
    let mut app = app();
    app.click_at(36.85, -76.29);
    let expected = BuiltinModel::Wmm2025
        .model()
        .field(
            &Position::geodetic(36.85, -76.29, 0.0).unwrap(),
            app.year(),
            DatePolicy::Strict,
        )
        .unwrap();
    assert_eq!(declination(&app), expected.elements.declination_deg);
    let series = &app.selection().unwrap().declination_series;
    assert_eq!(series.len(), SERIES_SAMPLES);
    assert_eq!(series[0][0], 1900.0);
}

#[test]
fn bad_inputs_keep_the_last_good_values_and_say_why() {
    let mut app = app();
    app.click_at(36.85, -76.29);
    let before = declination(&app);
    app.set_date_input("2026-02-30");
    assert!(app.date_error.is_some());
    app.set_altitude_input("high");
    assert!(app.altitude_error.is_some());
    app.set_model("no-such-model");
    assert!(app.model_error.is_some());
    app.search("somewhere");
    assert!(app.search_error.is_some());
    assert_eq!(declination(&app), before);
    assert_eq!(app.marker(), Some((36.85, -76.29)));
}

#[test]
fn play_runs_to_the_end_of_the_validity_and_stops() {
    let mut app = app();
    app.set_model("igrf14");
    app.set_year(2029.0);
    app.toggle_play();
    app.advance_animation(1.0);
    assert_eq!(app.year(), 2030.0);
    assert!(!app.is_playing());
    app.toggle_play();
    assert_eq!(app.year(), 1900.0);
}

#[test]
fn altitude_in_feet_is_converted() {
    let mut app = app();
    app.set_altitude_unit(AltitudeUnit::Feet);
    app.set_altitude_input("10000");
    assert!((app.altitude_km() - 3.048).abs() < 1e-9);
    app.set_altitude_input("2 km");
    assert_eq!(app.altitude_km(), 2.0);
}

#[test]
fn layers_are_asked_for_again_only_when_needed() {
    let mut app = app();
    app.update_layers(GeoBounds::WORLD, 360.0);
    assert!(app.layers_pending());
    assert!(app.wait_for_layers(Duration::from_secs(60)));
    assert!(!app.layers().unwrap().declination.is_empty());
    app.update_layers(GeoBounds::WORLD, 360.0);
    assert!(!app.layers_pending());
    app.set_year(2027.5);
    app.update_layers(GeoBounds::WORLD, 360.0);
    assert!(app.layers_pending());
    // Pole tracks are asked for once, when chosen.
    assert!(app.wait_for_layers(Duration::from_secs(60)));
    let mut choices = app.layer_choices();
    choices.pole_tracks = true;
    app.set_layer_choices(choices);
    app.update_layers(GeoBounds::WORLD, 360.0);
    assert!(app.wait_for_layers(Duration::from_secs(120)));
    assert_eq!(app.plane_tracks().len(), 4);
}

#[test]
fn the_bearing_converter_uses_the_declination_at_the_marker() {
    let mut app = app();
    assert!(app.bearing_conversion().is_none());
    app.click_at(36.85, -76.29);
    app.bearing_input = "045T".into();
    let (conversion, grid) = app.bearing_conversion().unwrap().unwrap();
    let declination = declination(&app);
    assert_eq!(conversion.true_deg, 45.0);
    assert!((conversion.magnetic_deg - (45.0 - declination)).abs() < 1e-9);
    assert_eq!(grid.unwrap().system.to_string(), "UTM 18N");
    app.bearing_input = "north-ish".into();
    assert!(app.bearing_conversion().unwrap().is_err());
}

#[test]
fn the_readout_follows_the_pointer() {
    let mut app = app();
    app.hover_at(-33.9, 151.2);
    let hover = app.hover().unwrap();
    let expected = BuiltinModel::Wmm2025
        .model()
        .field(
            &Position::geodetic(-33.9, 151.2, 0.0).unwrap(),
            app.year(),
            DatePolicy::Strict,
        )
        .unwrap();
    assert_eq!(hover.report.as_ref().unwrap().elements, expected.elements);
    app.clear_hover();
    assert!(app.hover().is_none());
}

#[test]
fn settings_survive_a_restart() {
    let mut app = app();
    app.set_model("wmm2025");
    app.click_at(10.0, 20.0);
    app.set_overlay(Overlay::Inclination);
    let restarted = MagvarApp::new(app.settings(), None);
    assert_eq!(restarted.settings(), app.settings());
}
