//! The app driven like a user: clicks on the chart, typed positions and
//! dates; the panel must show what magvar-core computes.

mod common;

use common::*;
use egui::Key;
use egui_kittest::kittest::Queryable;
use magvar_core::{BuiltinModel, chart_line, parse_date};
use magvar_gui::controls::{DATE_LABEL, SEARCH_LABEL};

#[test]
fn clicking_the_chart_shows_the_declination_computed_there() {
    let mut harness = harness();
    assert!(harness.state().marker().is_none());
    let pos = chart_point(&harness, 36.85, -76.29);
    click(&mut harness, pos);

    let (lat, lon) = harness.state().marker().expect("a click places the marker");
    // The world view has ~0.4° per point: the marker lands within a point of the aim.
    assert!(
        (lat - 36.85).abs() < 0.5 && (lon + 76.29).abs() < 0.5,
        "{lat} {lon}"
    );
    let expected = expected_declination(wmm(), lat, lon, TEST_DATE);
    assert!(expected.ends_with('W'), "{expected}");
    assert!(shows(&harness, &expected), "panel does not show {expected}");

    let year = parse_date(TEST_DATE).unwrap();
    let report = wmm()
        .field(
            &magvar_core::Position::geodetic(lat, lon, 0.0).unwrap(),
            year,
            magvar_core::DatePolicy::Strict,
        )
        .unwrap();
    assert!(shows(&harness, &chart_line(&report.elements, year)));
    assert!(shows(&harness, &report.model));

    // A click elsewhere moves the marker and the reading.
    let pos = chart_point(&harness, -30.0, 20.0);
    click(&mut harness, pos);
    let (lat, lon) = harness.state().marker().unwrap();
    assert!((lat + 30.0).abs() < 0.5 && (lon - 20.0).abs() < 0.5);
    let expected_there = expected_declination(wmm(), lat, lon, TEST_DATE);
    assert!(shows(&harness, &expected_there));
    assert_ne!(expected_there, expected);
}

/// Replaces the text of the field labelled `label`, as a user does:
/// focus, select all, type.
fn type_into(
    harness: &mut egui_kittest::Harness<'static, magvar_gui::MagvarApp>,
    label: &str,
    text: &str,
) {
    harness.get_by_label(label).focus();
    settle(harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    settle(harness);
    harness.get_by_label(label).type_text(text);
    settle(harness);
}

#[test]
fn typing_a_position_moves_the_marker_and_shows_its_declination() {
    let mut harness = harness();
    type_into(&mut harness, SEARCH_LABEL, "36°51'N 76°17.4'W");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let (lat, lon) = harness.state().marker().expect("search places the marker");
    assert!((lat - 36.85).abs() < 1e-9 && (lon + 76.29).abs() < 1e-9);
    assert!(shows(
        &harness,
        &expected_declination(wmm(), 36.85, -76.29, TEST_DATE)
    ));
    assert!(shows(&harness, "36°51' N  76°17' W"));
    // The chart centres on the place found.
    assert!((harness.state().view.center_lat_deg - 36.85).abs() < 1e-9);
}

#[test]
fn a_bad_position_says_so_and_leaves_the_marker() {
    let mut harness = harness();
    harness.state_mut().click_at(10.0, 10.0);
    settle(&mut harness);
    type_into(&mut harness, SEARCH_LABEL, "95N 10W");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().marker(), Some((10.0, 10.0)));
    let message = harness
        .state()
        .search_error
        .clone()
        .expect("an error message");
    assert!(message.contains("95N"), "{message}");
    assert!(shows(&harness, &message));
}

#[test]
fn changing_the_date_changes_the_value() {
    let mut harness = harness();
    harness.state_mut().search("36.85N 76.29W");
    harness.state_mut().set_model("igrf14");
    settle(&mut harness);
    let igrf = BuiltinModel::Igrf14.model();
    let now = expected_declination(igrf, 36.85, -76.29, TEST_DATE);
    assert!(shows(&harness, &now));

    type_into(&mut harness, DATE_LABEL, "1950-06-01");
    assert_eq!(harness.state().year(), parse_date("1950-06-01").unwrap());
    let then = expected_declination(igrf, 36.85, -76.29, "1950-06-01");
    assert_ne!(
        then, now,
        "declination at Norfolk moved by degrees since 1950"
    );
    assert!(shows(&harness, &then), "panel does not show {then}");
    assert!(!shows(&harness, &now));
}

#[test]
fn the_isolines_follow_the_date() {
    let mut harness = harness();
    let before = harness.state().layers().unwrap().request.year;
    harness.state_mut().set_year(1950.0);
    settle(&mut harness);
    let set = harness.state().layers().unwrap();
    assert_eq!(set.request.year, 1950.0);
    assert_ne!(before, 1950.0);
    assert!(set.declination.iter().any(|line| line.value == 0.0));
}

#[test]
fn dragging_pans_pinching_and_the_buttons_zoom() {
    let mut harness = harness();
    let chart = harness.get_by_label(magvar_gui::chart::CHART_LABEL).rect();
    let start = chart.center();
    let end = start + egui::vec2(90.0, 0.0);
    harness.hover_at(start);
    harness.drag_at(start);
    harness.step();
    harness.hover_at(start + egui::vec2(45.0, 0.0));
    harness.step();
    harness.hover_at(end);
    harness.step();
    harness.drop_at(end);
    settle(&mut harness);
    let view = harness.state().view;
    // The globe follows the pointer: dragging right shows what lies west.
    assert!(view.center_lon_deg < -10.0, "{view:?}");
    assert_eq!(view.center_lat_deg, 0.0);
    assert!(harness.state().marker().is_none(), "a drag is not a click");

    harness.hover_at(start);
    harness.event(egui::Event::Zoom(2.0));
    settle(&mut harness);
    assert!((harness.state().view.zoom - 2.0).abs() < 1e-6);

    harness.get_by_label("+").click();
    settle(&mut harness);
    assert!((harness.state().view.zoom - 4.0).abs() < 1e-6);
    // Zoomed in, the lines are computed again, closer together.
    let set = harness.state().layers().unwrap();
    assert_eq!(set.request.declination_step_deg, 5.0);

    harness.get_by_label("World").click();
    settle(&mut harness);
    assert_eq!(harness.state().view, magvar_gui::view::MapView::default());
}

#[test]
fn a_model_file_can_be_loaded_and_a_bad_one_is_reported() {
    let mut harness = harness();
    harness.state_mut().click_at(36.85, -76.29);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/WMM2020.COF");
    type_into(&mut harness, magvar_gui::controls::MODEL_FILE_LABEL, path);
    harness.get_by_label("Load").click();
    settle(&mut harness);
    assert_eq!(harness.state().model_spec(), path);
    assert_eq!(harness.state().valid_years(), (2020.0, 2025.0));
    // 2026 lies outside WMM2020: the value is extrapolated, and the panel says so.
    let report = harness.state().selection().unwrap().report.clone().unwrap();
    assert!(report.model.contains("WMM"), "{}", report.model);
    let warning = report
        .warnings
        .first()
        .expect("an extrapolation warning")
        .to_string();
    assert!(warning.contains("extrapolated"), "{warning}");
    assert!(shows(&harness, &format!("Warning: {warning}")));

    let missing = concat!(env!("CARGO_MANIFEST_DIR"), "/no-such-model.COF");
    type_into(
        &mut harness,
        magvar_gui::controls::MODEL_FILE_LABEL,
        missing,
    );
    harness.get_by_label("Load").click();
    settle(&mut harness);
    assert_eq!(harness.state().model_spec(), path, "the loaded model stays");
    let message = harness
        .state()
        .model_error
        .clone()
        .expect("an error message");
    assert!(message.contains("no-such-model.COF"), "{message}");
}

#[test]
fn the_copy_button_puts_the_report_on_the_clipboard() {
    let mut harness = harness();
    harness.state_mut().search("36.85N 76.29W");
    settle(&mut harness);
    harness.get_by_label("Copy to clipboard").click();
    // The frame that handles the click is the one whose output holds the command.
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    let report = harness.state().selection().unwrap().report.clone().unwrap();
    assert_eq!(copied, vec![magvar_gui::panel::report_text(&report)]);
    assert!(copied[0].starts_with("VAR 10°48'W (2026)"), "{}", copied[0]);
}

#[test]
fn play_moves_the_date_and_the_isolines_through_the_years() {
    let mut harness = harness();
    harness.state_mut().set_model("igrf14");
    harness.state_mut().set_year(1900.0);
    settle(&mut harness);
    harness.get_by_label("Play").click();
    harness.run_steps(4);
    assert!(harness.state().is_playing());
    let year = harness.state().year();
    assert!(year > 1900.0 && year < 1950.0, "{year}");
    harness.get_by_label("Pause").click();
    harness.step();
    assert!(!harness.state().is_playing());
    settle(&mut harness);
    let lines = harness.state().layers().unwrap();
    assert_eq!(lines.request.year, harness.state().year());
}
