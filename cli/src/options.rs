//! Options shared by the commands that evaluate the field.

use crate::config::Config;
use crate::error::CliError;
use crate::model_error;
use clap::Args;
use magvar_core::{DatePolicy, HeightReference, ModelChoice, parse_altitude_with_default};

/// Altitude, model and date policy: the same flags, meaning and errors in
/// `at`, `grid`, `contours` and `series`.
#[derive(Debug, Args)]
pub struct ModelOptions {
    /// Altitude above the WGS-84 ellipsoid (or mean sea level with --msl),
    /// with optional unit m|km|ft (bare numbers: km, or the config's
    /// altitude_unit). With --geocentric: the radius from Earth's centre.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    pub alt: String,
    /// Model: auto (default), igrf14, wmm2025, wmmhr2025, or a coefficient file.
    #[arg(long)]
    pub model: Option<String>,
    /// Compute outside the model's validity, with a warning, instead of failing.
    #[arg(long)]
    pub extrapolate: bool,
    #[command(flatten)]
    pub height: HeightOptions,
}

/// What altitudes are measured from: the same two flags wherever an
/// altitude is given.
#[derive(Debug, Args)]
pub struct HeightOptions {
    /// The altitude is above mean sea level: the EGM96 geoid's height is
    /// added to it, as NOAA's WMM software does (config: height_reference = "msl").
    #[arg(long, conflicts_with = "ellipsoid")]
    pub msl: bool,
    /// The altitude is above the WGS-84 ellipsoid, as GPS gives it (the
    /// default; overrides height_reference = "msl" in the config).
    #[arg(long)]
    pub ellipsoid: bool,
}

impl HeightOptions {
    pub fn reference(&self, config: &Config) -> HeightReference {
        if self.msl {
            HeightReference::Msl
        } else if self.ellipsoid {
            HeightReference::Ellipsoid
        } else {
            config.height_reference.unwrap_or_default()
        }
    }
}

impl ModelOptions {
    pub fn altitude_km(&self, config: &Config) -> Result<f64, CliError> {
        parse_altitude_with_default(&self.alt, config.altitude_unit())
            .map_err(|e| CliError::Usage(e.to_string()))
    }

    pub fn choice(&self, config: &Config) -> Result<ModelChoice, CliError> {
        ModelChoice::parse(config.model_or(self.model.as_deref())).map_err(model_error)
    }

    pub fn policy(&self) -> DatePolicy {
        DatePolicy::extrapolating(self.extrapolate)
    }
}

/// `--format` of the commands that print text or JSON (`at`, `bearing`):
/// the flag, else the config's `format` when it is one of the two, else text.
pub fn text_or_json<'a>(flag: Option<&'a str>, config: &'a Config) -> &'a str {
    flag.or(config
        .format
        .as_deref()
        .filter(|f| matches!(*f, "text" | "json")))
        .unwrap_or("text")
}

/// The decimal years from `from` to `to` (included) every `step` years,
/// at most `most` of them: `series` and `poles` ranges.
pub fn date_range(from: f64, to: f64, step: f64, most: usize) -> Result<Vec<f64>, CliError> {
    if !(step > 0.0 && step.is_finite()) {
        return Err(CliError::Usage(format!(
            "--step {step}: expected a positive number of years"
        )));
    }
    if to < from {
        return Err(CliError::Usage(format!(
            "--to {to:.4} is before --from {from:.4}"
        )));
    }
    // Counted in f64 first: a tiny step would overflow the integer count.
    let count = ((to - from) / step + 1e-9).floor() + 1.0;
    if count > most as f64 {
        return Err(CliError::Usage(format!(
            "{count:.0} dates: at most {most}; use a larger --step"
        )));
    }
    let count = count as usize;
    Ok((0..count).map(|i| from + i as f64 * step).collect())
}
