//! The control bar: search, model, date with slider and play, altitude,
//! overlay, layers, projection and zoom, saving, the live position and
//! the panel. Each control reads the app's state and calls one of its
//! methods when the user changes something.

use crate::app::{BUTTON_ZOOM_FACTOR, MODEL_MENU, MagvarApp, is_file_spec};
use crate::projection::Projection;
use crate::worker::Overlay;
use egui::{Key, TextEdit, Ui};
use magvar_core::AltitudeUnit;

/// Accessible labels of the text fields (tests type into them by these).
pub const SEARCH_LABEL: &str = "Find position";
pub const DATE_LABEL: &str = "Date";
pub const ALTITUDE_LABEL: &str = "Altitude";
pub const MODEL_FILE_LABEL: &str = "Model file";
pub const SAVE_PATH_LABEL: &str = "Save as";
pub const SAVE_SIZE_LABEL: &str = "Image size";
pub const NMEA_LABEL: &str = "NMEA source";

pub fn show(ui: &mut Ui, app: &mut MagvarApp) {
    ui.horizontal_wrapped(|ui| {
        search_box(ui, app);
        ui.separator();
        model_choice(ui, app);
        ui.separator();
        save_menu(ui, app);
        live_menu(ui, app);
        let panel = if app.panel_open {
            "Hide panel"
        } else {
            "Show panel"
        };
        if ui.button(panel).clicked() {
            app.panel_open = !app.panel_open;
        }
    });
    ui.horizontal_wrapped(|ui| {
        date_controls(ui, app);
        ui.separator();
        altitude_controls(ui, app);
        ui.separator();
        layer_controls(ui, app);
        ui.separator();
        view_controls(ui, app);
    });
}

fn error_label(ui: &mut Ui, error: Option<&String>) {
    if let Some(message) = error {
        ui.colored_label(ui.visuals().error_fg_color, message);
    }
}

/// A labelled single-line text field; true when Enter was pressed in it.
fn text_field(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
) -> (egui::Response, bool) {
    let label = ui.label(label);
    let field = ui
        .add(
            TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(width),
        )
        .labelled_by(label.id);
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    (field, entered)
}

fn search_box(ui: &mut Ui, app: &mut MagvarApp) {
    let mut text = app.search_input.clone();
    let (_, entered) = text_field(ui, SEARCH_LABEL, &mut text, "36.85N 76.29W", 170.0);
    app.search_input = text;
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
    let mut path = app.model_path_input.clone();
    let (_, entered) = text_field(
        ui,
        MODEL_FILE_LABEL,
        &mut path,
        ".COF, .shc or IAGA table",
        200.0,
    );
    app.model_path_input = path;
    if entered || ui.button("Load").clicked() {
        let path = app.model_path_input.clone();
        app.set_model(&path);
    }
    error_label(ui, app.model_error.as_ref());
}

fn date_controls(ui: &mut Ui, app: &mut MagvarApp) {
    let mut text = app.date_input.clone();
    // Wide enough for a whole date-time with its zone.
    let (field, _) = text_field(
        ui,
        DATE_LABEL,
        &mut text,
        "today, 2026-11-25, 2026.9",
        170.0,
    );
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
    let units = [
        AltitudeUnit::Metres,
        AltitudeUnit::Feet,
        AltitudeUnit::Kilometres,
    ];
    let chosen = dropdown(
        ui,
        &label,
        "altitude unit",
        Some(50.0),
        app.altitude_unit(),
        &units,
        |unit| unit.symbol(),
    );
    if let Some(unit) = chosen {
        app.set_altitude_unit(unit);
    }
    error_label(ui, app.altitude_error.as_ref());
}

/// A dropdown of `choices` named by `label` (for screen readers and
/// tests), showing `current`: the choice picked, if it differs.
fn dropdown<T: Copy + PartialEq>(
    ui: &mut Ui,
    label: &egui::Response,
    id: &str,
    width: Option<f32>,
    current: T,
    choices: &[T],
    name: impl Fn(T) -> &'static str,
) -> Option<T> {
    let mut value = current;
    let mut combo = egui::ComboBox::from_id_salt(id).selected_text(name(current));
    if let Some(width) = width {
        combo = combo.width(width);
    }
    let shown = combo.show_ui(ui, |ui| {
        for &choice in choices {
            ui.selectable_value(&mut value, choice, name(choice));
        }
    });
    shown.response.labelled_by(label.id);
    (value != current).then_some(value)
}

fn layer_controls(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label("Also draw");
    if let Some(overlay) = dropdown(
        ui,
        &label,
        "overlay",
        None,
        app.overlay(),
        &Overlay::ALL,
        Overlay::label,
    ) {
        app.set_overlay(overlay);
    }
    let mut choices = app.layer_choices();
    ui.checkbox(&mut choices.isoporic, "Isoporic lines")
        .on_hover_text("The annual change of declination, dashed");
    ui.checkbox(&mut choices.zones, "Compass zones")
        .on_hover_text("WMM: blackout (H < 2000 nT) and caution (H < 6000 nT) zones");
    ui.checkbox(&mut choices.pole_tracks, "Pole tracks")
        .on_hover_text("Where the poles were through the model's years");
    if choices != app.layer_choices() {
        app.set_layer_choices(choices);
    }
}

fn view_controls(ui: &mut Ui, app: &mut MagvarApp) {
    let label = ui.label("Projection");
    let current = app.view.projection;
    if let Some(projection) = dropdown(
        ui,
        &label,
        "projection",
        None,
        current,
        &Projection::ALL,
        Projection::label,
    ) {
        app.set_projection(projection);
    }
    if ui.button("+").on_hover_text("Zoom in (+)").clicked() {
        app.zoom_by(BUTTON_ZOOM_FACTOR);
    }
    if ui.button("-").on_hover_text("Zoom out (-)").clicked() {
        app.zoom_by(1.0 / BUTTON_ZOOM_FACTOR);
    }
    if ui
        .button("World")
        .on_hover_text("The whole world (Home)")
        .clicked()
    {
        app.reset_view();
    }
}

fn save_menu(ui: &mut Ui, app: &mut MagvarApp) {
    ui.menu_button("Save", |ui| {
        let mut path = app.save_path.clone();
        text_field(
            ui,
            SAVE_PATH_LABEL,
            &mut path,
            "folder/name (no extension)",
            220.0,
        );
        app.save_path = path;
        let mut size = app.save_size.clone();
        text_field(
            ui,
            SAVE_SIZE_LABEL,
            &mut size,
            "the chart's, or 1920x1080",
            120.0,
        );
        app.save_size = size;
        if ui.button("Save PNG").clicked() {
            app.save_png(ui.ctx());
        }
        if ui
            .button("Save GeoJSON")
            .on_hover_text("The lines and poles in view")
            .clicked()
        {
            app.save_geojson();
        }
        match &app.save_message {
            Some(Ok(message)) => {
                ui.label(message);
            }
            Some(Err(message)) => {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            None => {}
        }
    });
}

fn live_menu(ui: &mut Ui, app: &mut MagvarApp) {
    ui.menu_button("Live position", |ui| {
        let mut address = app.nmea_input.clone();
        let (_, entered) = text_field(ui, NMEA_LABEL, &mut address, "udp://0.0.0.0:10110", 200.0);
        app.nmea_input = address;
        if entered || ui.button("Connect").clicked() {
            let address = app.nmea_input.clone();
            app.connect_nmea(&address);
        }
        if app.has_live_feed() && ui.button("Disconnect").clicked() {
            app.disconnect_nmea();
        }
        error_label(ui, app.nmea_error.as_ref());
        if let Some(vessel) = app.vessel() {
            ui.label(format!(
                "{}: {} sentences, {} bad, {} ignored",
                vessel.address, vessel.sentences, vessel.bad, vessel.ignored
            ));
            if let Some(bad) = &vessel.last_bad {
                ui.label(format!("last bad: {bad}"));
            }
            error_label(ui, vessel.error.as_ref());
        }
    });
}
