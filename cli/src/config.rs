//! `~/.config/magvar/config.toml` (or `--config FILE`): the user's defaults.

use crate::error::CliError;
use magvar_core::{AltitudeUnit, HeightReference};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Defaults a user may set. Every key is optional; unknown keys are an
/// error, so a typo does not silently do nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Default `--model`: auto, igrf14, wmm2025, wmmhr2025 or a file path.
    pub model: Option<String>,
    /// Unit of bare altitude numbers: m, km or ft (default km).
    pub altitude_unit: Option<AltitudeUnit>,
    /// Default `--format` of `magvar at` (text|json) and `magvar batch`
    /// (csv|jsonl|geomag); a value a command does not know is ignored by it.
    pub format: Option<String>,
    /// What altitudes are above: ellipsoid (default) or msl.
    pub height_reference: Option<HeightReference>,
}

impl Config {
    /// Loads `explicit` (must exist) or the default file (may be absent).
    pub fn load(explicit: Option<&Path>) -> Result<Config, CliError> {
        let (path, required) = match explicit {
            Some(path) => (path.to_path_buf(), true),
            None => match default_path() {
                Some(path) => (path, false),
                None => return Ok(Config::default()),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(CliError::Usage(format!(
                    "cannot read config file {}: {e}",
                    path.display()
                )));
            }
        };
        toml::from_str(&text).map_err(|e| {
            CliError::Usage(format!(
                "config file {}: {e}expected keys: model, altitude_unit (m|km|ft), format, height_reference (ellipsoid|msl)",
                path.display()
            ))
        })
    }

    pub fn model_or<'a>(&'a self, flag: Option<&'a str>) -> &'a str {
        flag.or(self.model.as_deref()).unwrap_or("auto")
    }

    pub fn altitude_unit(&self) -> AltitudeUnit {
        self.altitude_unit.unwrap_or_default()
    }
}

fn default_path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("magvar").join("config.toml"))
}
