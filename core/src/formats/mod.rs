//! Coefficient files as published: NOAA `.COF` (WMM single-epoch and
//! geomag 7.0 multi-epoch), IAGA coefficient tables (`igrfNNcoeffs.txt`)
//! and `.shc`. Each parser gives a [`ModelDefinition`]; the format is
//! recognised from the content, not the file name.

mod cof;
mod iaga;
mod shc;

use crate::error::ModelError;
use crate::model::MAX_DEGREE;
use crate::model::{MagneticModel, ModelDefinition};
use std::path::Path;

/// Reference radius of IGRF and WMM, km.
pub const GEOMAGNETIC_REFERENCE_RADIUS_KM: f64 = 6371.2;

/// The published coefficient formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoefficientFormat {
    /// NOAA WMM `.COF`: one epoch with secular variation.
    WmmCof,
    /// NOAA geomag 7.0 `.COF`: blocks of epochs, each with its own header.
    GeomagCof,
    /// IAGA table (`igrfNNcoeffs.txt`): one column per epoch plus SV.
    IagaTable,
    /// `.shc`: spherical-harmonic coefficients at tabulated times.
    Shc,
}

/// Reads and parses a model file of any supported format.
pub fn load_model_file(path: &Path) -> Result<MagneticModel, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("model")
        .to_string();
    let definition = parse_definition(&text, &path.display().to_string(), &stem)?;
    MagneticModel::new(definition)
}

/// Parses coefficient text. `source` names it in errors; `fallback_name`
/// names the model where the file itself carries no name.
pub fn parse_definition(
    text: &str,
    source: &str,
    fallback_name: &str,
) -> Result<ModelDefinition, ModelError> {
    match detect_format(text) {
        Some(CoefficientFormat::WmmCof) => cof::parse_wmm(text, source),
        Some(CoefficientFormat::GeomagCof) => cof::parse_geomag(text, source, fallback_name),
        Some(CoefficientFormat::IagaTable) => iaga::parse(text, source, fallback_name),
        Some(CoefficientFormat::Shc) => shc::parse(text, source, fallback_name),
        None => Err(ModelError::Invalid {
            origin: source.to_string(),
            message: "not a coefficient file: expected NOAA .COF, an IAGA table (igrfNNcoeffs.txt) or .shc"
                .into(),
        }),
    }
}

/// Recognises the format from the first meaningful line.
pub fn detect_format(text: &str) -> Option<CoefficientFormat> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let tokens: Vec<&str> = first.split_whitespace().collect();
    let numeric = |t: &&str| t.parse::<f64>().is_ok();
    if tokens.first().is_some_and(|t| *t == "c/s" || *t == "g/h") {
        Some(CoefficientFormat::IagaTable)
    } else if tokens.len() >= 2 && tokens.len() <= 4 && numeric(&tokens[0]) && !numeric(&tokens[1])
    {
        Some(CoefficientFormat::WmmCof)
    } else if tokens.len() >= 9 && !numeric(&tokens[0]) && tokens[1..9].iter().all(numeric) {
        Some(CoefficientFormat::GeomagCof)
    } else if tokens.len() >= 5 && tokens.iter().all(numeric) {
        Some(CoefficientFormat::Shc)
    } else {
        None
    }
}

/// A parse error at a 1-based line.
pub(crate) fn parse_error(source: &str, line: usize, message: impl Into<String>) -> ModelError {
    ModelError::Parse {
        origin: source.to_string(),
        line,
        message: message.into(),
    }
}

/// Parses a number token, naming what it is in the error.
pub(crate) fn number(
    token: Option<&str>,
    what: &str,
    source: &str,
    line: usize,
) -> Result<f64, ModelError> {
    let token = token.ok_or_else(|| parse_error(source, line, format!("missing {what}")))?;
    token
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| parse_error(source, line, format!("{what} {token:?} is not a number")))
}

/// Parses a degree or order token, checking 0 ≤ m ≤ n ≤ [`MAX_DEGREE`].
pub(crate) fn degree_order(
    n: Option<&str>,
    m: Option<&str>,
    source: &str,
    line: usize,
) -> Result<(usize, i64), ModelError> {
    let n_value = number(n, "degree n", source, line)?;
    let m_value = number(m, "order m", source, line)?;
    if n_value.fract() == 0.0 && n_value > MAX_DEGREE as f64 {
        return Err(parse_error(
            source,
            line,
            crate::model::degree_above_limit(n_value as usize),
        ));
    }
    if n_value.fract() != 0.0 || m_value.fract() != 0.0 || n_value < 1.0 {
        return Err(parse_error(
            source,
            line,
            format!("degree/order ({n_value}, {m_value}) is not valid"),
        ));
    }
    let n_value = n_value as usize;
    if m_value.abs() > n_value as f64 {
        return Err(parse_error(
            source,
            line,
            format!("order {m_value} exceeds degree {n_value}"),
        ));
    }
    Ok((n_value, m_value as i64))
}
