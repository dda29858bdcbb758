//! What the app remembers between runs (eframe storage, `persistence`).

use crate::view::MapView;
use crate::worker::Overlay;
use magvar_core::AltitudeUnit;
use serde::{Deserialize, Serialize};

/// The storage key of [`Settings`].
pub const SETTINGS_KEY: &str = "magvar-gui-settings";

/// Which optional layers the chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayerChoices {
    /// The WMM's blackout and caution zones (WMM models only).
    pub zones: bool,
    /// Isoporic lines: the annual change of declination, dashed.
    pub isoporic: bool,
    /// The poles' tracks through the model's years.
    pub pole_tracks: bool,
}

impl Default for LayerChoices {
    fn default() -> Self {
        LayerChoices {
            zones: true,
            isoporic: false,
            pole_tracks: false,
        }
    }
}

/// The user's choices, saved as entered: a bad value saved in one run
/// shows its message again in the next instead of being lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `auto`, `igrf14`, `wmm2025`, `wmmhr2025` or a coefficient file's path.
    pub model: String,
    /// The date field; empty means today.
    pub date: String,
    pub altitude: String,
    pub altitude_unit: AltitudeUnit,
    /// The marker, (latitude, longitude) degrees.
    pub marker: Option<(f64, f64)>,
    /// The projection, centre and zoom.
    pub view: MapView,
    pub overlay: Overlay,
    pub layers: LayerChoices,
    /// Whether the side panel is open.
    pub panel_open: bool,
    /// Where "Save" writes, without the extension.
    pub save_path: String,
    /// The NMEA source last used (not connected to at start: `--nmea` does that).
    pub nmea: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            model: "auto".to_string(),
            date: String::new(),
            altitude: "0".to_string(),
            altitude_unit: AltitudeUnit::Metres,
            marker: None,
            view: MapView::default(),
            overlay: Overlay::None,
            layers: LayerChoices::default(),
            panel_open: true,
            save_path: "magvar-chart".to_string(),
            nmea: "udp://0.0.0.0:10110".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_tolerate_missing_fields() {
        let settings = Settings {
            marker: Some((36.85, -76.29)),
            model: "wmm2025".into(),
            ..Settings::default()
        };
        let text = serde_json::to_string(&settings).unwrap();
        assert_eq!(serde_json::from_str::<Settings>(&text).unwrap(), settings);
        let partial: Settings = serde_json::from_str(r#"{"model":"igrf14"}"#).unwrap();
        assert_eq!(partial.model, "igrf14");
        assert_eq!(partial.altitude, "0");
        // A view saved by the plate carrée version (span, no projection).
        let old: Settings = serde_json::from_str(
            r#"{"view":{"center_lat_deg":10.0,"center_lon_deg":20.0,"span_lon_deg":90.0}}"#,
        )
        .unwrap();
        assert_eq!(old.view.center_lon_deg, 20.0);
        assert_eq!(old.view.zoom, 1.0);
    }
}
