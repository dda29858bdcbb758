//! What the app remembers between runs (eframe storage, `persistence`).

use crate::contours_worker::Overlay;
use crate::projection::MapView;
use magvar_core::AltitudeUnit;
use serde::{Deserialize, Serialize};

/// The storage key of [`Settings`].
pub const SETTINGS_KEY: &str = "magvar-gui-settings";

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
    pub view: MapView,
    pub overlay: Overlay,
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
    }
}
