//! The control bar: search, model, date with slider and play, altitude,
//! overlay and zoom. Each control reads the app's state and calls one of
//! its methods when the user changes something.

use crate::app::{BUTTON_ZOOM_FACTOR, MODEL_MENU, MagvarApp, is_file_spec};
use crate::contours_worker::Overlay;
use egui::{Key, TextEdit, Ui};
use magvar_core::AltitudeUnit;

/// Accessible labels of the text fields (tests type into them by these).
pub const SEARCH_LABEL: &str = "Find position";
pub const DATE_LABEL: &str = "Date";
pub const ALTITUDE_LABEL: &str = "Altitude";
pub const MODEL_FILE_LABEL: &str = "Model file";

pub fn show(ui: &mut Ui, app: &mut MagvarApp) {
    ui.horizontal_wrapped(|ui| {
        search_box(ui, app);
        ui.separator();
        model_choice(ui, app);
    });
    ui.horizontal_wrapped(|ui| {
        date_controls(ui, app);
        ui.separator();
        altitude_controls(ui, app);
        ui.separator();
        overlay_and_zoom(ui, app);
    });
}

fn error_label(ui: &mut Ui, error: Option<&String>) {
    if let Some(message) = error {
        ui.colored_label(ui.visuals().error_fg_color, message);
    }
}

fn search_box(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label(SEARCH_LABEL);
    let mut text = app.search_input.clone();
    let field = ui
        .add(
            TextEdit::singleline(&mut text)
                .hint_text("36.85N 76.29W")
                .desired_width(170.0),
        )
        .labelled_by(label.id);
    app.search_input = text;
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    if entered || ui.button("Go").clicked() {
        let query = app.search_input.clone();
        app.search(&query);
    }
    error_label(ui, app.search_error.as_ref());
}

fn model_choice(ui: &mut Ui, app: &mut MagvarApp) {
    let model_label = ui.label("Model");
    let current = if is_file_spec(app.model_spec()) {
        "file"
    } else {
        MODEL_MENU
            .iter()
            .find(|(spec, _)| spec.eq_ignore_ascii_case(app.model_spec()))
            .map_or("auto", |(_, name)| name)
    };
    let mut chosen = None;
    let combo = egui::ComboBox::from_id_salt("model")
        .selected_text(current)
        .width(230.0)
        .show_ui(ui, |ui| {
            for (spec, name) in MODEL_MENU {
                if ui
                    .selectable_label(app.model_spec().eq_ignore_ascii_case(spec), name)
                    .clicked()
                {
                    chosen = Some(spec);
                }
            }
        });
    combo.response.labelled_by(model_label.id);
    if let Some(spec) = chosen {
        app.set_model(spec);
    }
    let label = ui.label(MODEL_FILE_LABEL);
    let mut path = app.model_path_input.clone();
    let field = ui
        .add(
            TextEdit::singleline(&mut path)
                .hint_text(".COF, .shc or IAGA table")
                .desired_width(200.0),
        )
        .labelled_by(label.id);
    app.model_path_input = path;
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    if entered || ui.button("Load").clicked() {
        let path = app.model_path_input.clone();
        app.set_model(&path);
    }
    error_label(ui, app.model_error.as_ref());
}

fn date_controls(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label(DATE_LABEL);
    let mut text = app.date_input.clone();
    let field = ui
        .add(
            TextEdit::singleline(&mut text)
                .hint_text("today, 2026-11-25 or 2026.9")
                .desired_width(110.0),
        )
        .labelled_by(label.id);
    if field.changed() {
        app.set_date_input(&text);
    }
    let (from, until) = app.valid_years();
    let mut year = app.year().clamp(from, until);
    let slider = ui.add(
        // No rounding of the value (it would overwrite a typed date with
        // a rounded year): the year is shown rounded, kept as typed.
        egui::Slider::new(&mut year, from..=until)
            .clamping(egui::SliderClamping::Never)
            .custom_formatter(|value, _| format!("{value:.1}"))
            .text("year"),
    );
    if slider.changed() {
        app.set_year(year);
    }
    let play_label = if app.is_playing() { "Pause" } else { "Play" };
    if ui.button(play_label).clicked() {
        app.toggle_play();
    }
    error_label(ui, app.date_error.as_ref());
}

fn altitude_controls(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label(ALTITUDE_LABEL);
    let mut text = app.altitude_input.clone();
    let field = ui
        .add(TextEdit::singleline(&mut text).desired_width(60.0))
        .labelled_by(label.id);
    if field.changed() {
        app.set_altitude_input(&text);
    }
    let mut unit = app.altitude_unit();
    let combo = egui::ComboBox::from_id_salt("altitude unit")
        .selected_text(unit.symbol())
        .width(50.0)
        .show_ui(ui, |ui| {
            for choice in [
                AltitudeUnit::Metres,
                AltitudeUnit::Feet,
                AltitudeUnit::Kilometres,
            ] {
                ui.selectable_value(&mut unit, choice, choice.symbol());
            }
        });
    combo.response.labelled_by(label.id);
    if unit != app.altitude_unit() {
        app.set_altitude_unit(unit);
    }
    error_label(ui, app.altitude_error.as_ref());
}

fn overlay_and_zoom(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label("Also draw");
    let mut overlay = app.overlay();
    let combo = egui::ComboBox::from_id_salt("overlay")
        .selected_text(overlay.label())
        .show_ui(ui, |ui| {
            for choice in Overlay::ALL {
                ui.selectable_value(&mut overlay, choice, choice.label());
            }
        });
    combo.response.labelled_by(label.id);
    if overlay != app.overlay() {
        app.set_overlay(overlay);
    }
    ui.separator();
    if ui.button("+").on_hover_text("Zoom in").clicked() {
        app.zoom_by(BUTTON_ZOOM_FACTOR);
    }
    if ui.button("-").on_hover_text("Zoom out").clicked() {
        app.zoom_by(1.0 / BUTTON_ZOOM_FACTOR);
    }
    if ui.button("World").clicked() {
        app.reset_view();
    }
}
