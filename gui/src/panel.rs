//! The side panel: the field at the marker, as text in the notations of
//! magvar-core, with each element's uncertainty; a bearing converter
//! there; a plot of its declination through the years; and a copy button.

use crate::app::{MagvarApp, Selection};
use egui::{Color32, RichText, Ui};
use egui_plot::{Line, Plot, VLine};
use magvar_core::{
    FieldReport, Quantity, Unit, chart_line, format_degrees_minutes,
    format_plus_minus_degrees_minutes, format_signed_minutes,
};

/// The panel's table rows, label and value, in display order;
/// with the chart line, also what the copy button puts on the clipboard.
/// The field's rows are core's quantity table: each element with its
/// annual change.
pub fn report_rows(report: &FieldReport) -> Vec<(&'static str, String)> {
    let e = &report.elements;
    let mut rows = vec![
        (
            "Position",
            format!(
                "{}  {}",
                format_degrees_minutes(report.latitude_deg, 'N', 'S'),
                format_degrees_minutes(report.longitude_deg, 'E', 'W')
            ),
        ),
        (
            "Decimal",
            format!("{:.5}°, {:.5}°", report.latitude_deg, report.longitude_deg),
        ),
    ];
    for quantity in Quantity::FIELD.into_iter().filter(|q| q.is_value()) {
        let rate = quantity.rate().and_then(|rate| rate.get(e));
        // The model's one-sigma uncertainty, where it publishes one.
        let sigma = quantity.uncertainty().and_then(|u| report.get(u));
        let text = match (quantity, quantity.get(e)) {
            // Only grid variation is ever undefined.
            (_, None) => "only poleward of 55°".to_string(),
            // The variation and grid variation as a navigator reads them.
            (Quantity::Declination | Quantity::GridVariation, Some(value)) => {
                let mut text = format_degrees_minutes(value, 'E', 'W');
                if let Some(sigma) = sigma {
                    text.push_str(&format!(" {}", format_plus_minus_degrees_minutes(sigma)));
                }
                if let Some(rate) = rate {
                    text.push_str(&format!("  ({}/yr)", format_signed_minutes(rate)));
                }
                text
            }
            (_, Some(value)) => {
                let degrees = quantity.unit() == Unit::Degrees;
                let mut text = if degrees {
                    format!("{value:.4}°")
                } else {
                    format!("{value:.1} nT")
                };
                match (sigma, degrees) {
                    (Some(sigma), true) => text.push_str(&format!(" ±{sigma:.2}°")),
                    (Some(sigma), false) => text.push_str(&format!(" ±{sigma:.0}")),
                    (None, _) => {}
                }
                match (rate, degrees) {
                    (Some(rate), true) => text.push_str(&format!("  ({rate:+.4}°/yr)")),
                    (Some(rate), false) => text.push_str(&format!("  ({rate:+.1} nT/yr)")),
                    (None, _) => {}
                }
                text
            }
        };
        rows.push((quantity.label(), text));
    }
    let height = match report.geoid_height_m {
        Some(geoid) => (
            "Height (MSL)",
            format!("{} km (geoid {geoid:+.1} m)", report.altitude_km),
        ),
        None => ("Height (WGS-84)", format!("{} km", report.altitude_km)),
    };
    rows.extend([
        ("Model", report.model.clone()),
        ("Decimal year", format!("{:.4}", report.date)),
        height,
    ]);
    if report.uncertainty.is_none() {
        rows.push((
            "Uncertainty",
            format!("none published for {}", report.model),
        ));
    }
    rows
}

/// The report as plain text: the chart line, one `label: value` line
/// per row, then the warnings.
pub fn report_text(report: &FieldReport) -> String {
    let mut text = format!("{}\n", chart_line(&report.elements, report.date));
    for (label, value) in report_rows(report) {
        text.push_str(&format!("{label}: {value}\n"));
    }
    for warning in &report.warnings {
        text.push_str(&format!("warning: {warning}\n"));
    }
    text
}

/// The bearing field's accessible label.
pub const BEARING_LABEL: &str = "Bearing";

/// Draws the panel for the app's marker.
pub fn show(ui: &mut Ui, app: &mut MagvarApp) {
    ui.heading("Variation");
    let Some(selection) = app.selection() else {
        ui.label("Click the chart or type a position to read the variation there.");
        return;
    };
    match &selection.report {
        Ok(report) => show_report(ui, report),
        Err(message) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
    }
    ui.separator();
    declination_plot(ui, selection, app.year());
    ui.separator();
    bearing_converter(ui, app);
}

/// A bearing typed with its north (`045T`, `312M`, `100G`) in all three
/// norths at the marker.
fn bearing_converter(ui: &mut Ui, app: &mut MagvarApp) {
    ui.strong("Bearing at the marker");
    ui.horizontal(|ui| {
        let label = ui.label(BEARING_LABEL);
        let mut text = app.bearing_input.clone();
        ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text("045T, 312M or 100G")
                .desired_width(90.0),
        )
        .labelled_by(label.id);
        app.bearing_input = text;
    });
    match app.bearing_conversion() {
        Some(Ok((conversion, grid))) => {
            let tenth = |degrees: f64| format!("{:05.1}°", (degrees * 10.0).round() / 10.0 % 360.0);
            egui::Grid::new("bearings").num_columns(2).show(ui, |ui| {
                ui.label("True");
                ui.label(tenth(conversion.true_deg));
                ui.end_row();
                ui.label("Magnetic");
                ui.label(tenth(conversion.magnetic_deg));
                ui.end_row();
                if let (Some(grid_deg), Some(grid)) = (conversion.grid_deg, grid) {
                    ui.label(format!("Grid ({})", grid.system));
                    ui.label(tenth(grid_deg));
                    ui.end_row();
                }
            });
            ui.label(
                RichText::new(conversion.summary(grid.as_ref()))
                    .monospace()
                    .small(),
            );
        }
        Some(Err(message)) => {
            ui.colored_label(ui.visuals().error_fg_color, message);
        }
        None => {}
    }
}

fn show_report(ui: &mut Ui, report: &FieldReport) {
    let e = &report.elements;
    ui.label(
        RichText::new(format_degrees_minutes(e.declination_deg, 'E', 'W'))
            .size(28.0)
            .strong()
            .color(crate::chart::declination_color(e.declination_deg)),
    );
    ui.label(
        RichText::new(chart_line(e, report.date))
            .monospace()
            .strong(),
    );
    egui::Grid::new("field report")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (label, value) in report_rows(report) {
                ui.label(label);
                ui.label(value);
                ui.end_row();
            }
        });
    for warning in &report.warnings {
        ui.colored_label(
            Color32::from_rgb(200, 120, 0),
            format!("Warning: {warning}"),
        );
    }
    if ui.button("Copy to clipboard").clicked() {
        ui.ctx().copy_text(report_text(report));
    }
}

/// Declination at the marker across the model's years, with the chosen date marked.
fn declination_plot(ui: &mut Ui, selection: &Selection, year: f64) {
    ui.label("Declination through the years (° east)");
    Plot::new("declination through the years")
        .height(160.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("declination", selection.declination_series.clone())
                    .color(Color32::from_rgb(30, 60, 200))
                    .width(1.5),
            );
            plot.vline(VLine::new("date", year).color(Color32::GRAY));
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use magvar_core::{BuiltinModel, DatePolicy, Position};

    #[test]
    fn copied_text_has_the_chart_line_every_row_and_the_warnings() {
        // Resolute Bay: a caution-zone warning and a grid variation.
        let position = Position::geodetic(74.7, -94.8, 0.0).unwrap();
        let report = BuiltinModel::Wmm2025
            .model()
            .field(&position, 2026.5, DatePolicy::Strict)
            .unwrap();
        let text = report_text(&report);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], chart_line(&report.elements, 2026.5));
        assert_eq!(lines.len(), 1 + report_rows(&report).len() + 1);
        assert!(lines[1].starts_with("Position: 74°42' N  94°48' W"));
        assert!(text.contains("Grid variation GV: "));
        assert!(lines.last().unwrap().starts_with("warning: caution zone"));
    }
}
