//! The status bar: the field under the pointer as it moves, the model and
//! date of the chart, whether its lines are current, and the live feed.

use crate::app::{Hover, MagvarApp};
use egui::Ui;
use magvar_core::{
    Quantity, format_degrees_minutes_compact, format_signed_minutes, format_variation,
};

/// The field under the pointer on one line:
/// `36°51'N 76°17'W  D 10°48'W ±0°22'  -2'/yr  I 65.42°  F 50122 nT`.
pub fn readout_text(hover: &Hover) -> String {
    let place = format!(
        "{} {}",
        format_degrees_minutes_compact(hover.latitude_deg, 'N', 'S'),
        format_degrees_minutes_compact(hover.longitude_deg, 'E', 'W')
    );
    match &hover.report {
        Ok(report) => {
            let e = &report.elements;
            format!(
                "{place}  D {}  {}/yr  I {:.2}°  F {:.0} nT",
                format_variation(
                    e.declination_deg,
                    report.get(Quantity::DeclinationUncertainty)
                ),
                format_signed_minutes(e.declination_deg_per_year),
                e.inclination_deg,
                e.total_nt
            )
        }
        Err(message) => format!("{place}  {message}"),
    }
}

pub fn show(ui: &mut Ui, app: &MagvarApp) {
    ui.horizontal(|ui| {
        match app.hover() {
            Some(hover) => ui.monospace(readout_text(hover)),
            None => ui.label("Point at the chart to read the field; click to pin a position."),
        };
        ui.separator();
        let model = app.model_choice().model_for(app.year());
        ui.label(format!("{} at {:.2}", model.name(), app.year()));
        if let Some(error) = &app.worker_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        } else if app.layers_pending() {
            ui.spinner();
            ui.label("computing lines…");
        } else if let Some(layers) = app.layers() {
            ui.label(format!(
                "isogonic lines every {}° ({} ms)",
                layers.request.declination_step_deg,
                layers.compute_time.as_millis()
            ));
        }
        if let Some(vessel) = app.vessel() {
            ui.separator();
            let text = match (vessel.fix, vessel.stale) {
                (None, _) => format!("{}: no fix yet", vessel.address),
                (Some(_), true) => format!("{}: STALE (no fix for 5 s)", vessel.address),
                (Some(_), false) => format!("{}: live", vessel.address),
            };
            if vessel.stale {
                ui.colored_label(ui.visuals().warn_fg_color, text);
            } else {
                ui.label(text);
            }
            ui.label(format!("{} bad sentences", vessel.bad));
        }
        ui.label("· land: Natural Earth");
    });
}
