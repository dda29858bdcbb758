//! Errors, each naming the input at fault and what was expected.

use std::path::PathBuf;

/// A model that cannot be found, read, parsed or used at a date.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(
        "date {date:.4} is outside the model: {model} is valid {valid_from:.1}–{valid_until:.1}"
    )]
    DateOutOfRange {
        model: String,
        date: f64,
        valid_from: f64,
        valid_until: f64,
    },
    #[error(
        "unknown model {name:?}: expected auto, igrf14, wmm2025, wmmhr2025, or the path of a coefficient file (.COF, igrfNNcoeffs.txt, .shc)"
    )]
    UnknownModel { name: String },
    #[error("cannot read model file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}:{line}: {message}")]
    Parse {
        /// File path or built-in name.
        origin: String,
        /// 1-based line number.
        line: usize,
        message: String,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// A position, date or altitude given by the user that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error(
        "latitude {input:?}: {reason}; expected decimal degrees -90..90 (e.g. 36.85, -12.5), a hemisphere letter (36.85N), or degrees-minutes-seconds (36°51'30\"N, 36d51m30sN, 36:51:30N, 36 51.5 N)"
    )]
    Latitude { input: String, reason: String },
    #[error(
        "longitude {input:?}: {reason}; expected decimal degrees -180..360 (e.g. -76.29, 283.71), a hemisphere letter (76.29W), or degrees-minutes-seconds (76°17'24\"W, 76d17m24sW, 76:17:24W, 76 17.4 W)"
    )]
    Longitude { input: String, reason: String },
    #[error(
        "date {input:?}: {reason}; expected a decimal year (2026.9), an ISO date (2026-11-25), a date-time with its zone (2026-11-25T14:30Z, 2026-11-25T09:30-05:00), a Unix time (@1795617000) or \"today\""
    )]
    Date { input: String, reason: String },
    #[error(
        "altitude {input:?}: {reason}; expected a number with an optional unit m, km or ft (bare numbers are km), e.g. 0, 1.5km, 300m, 35000ft"
    )]
    Altitude { input: String, reason: String },
    #[error(
        "position {input:?}: {reason}; expected a latitude and a longitude, e.g. 36.85N 76.29W, 36.85, -76.29 or 36°51'N 76°17'W"
    )]
    Position { input: String, reason: String },
    #[error("grid: {reason}")]
    Grid { reason: String },
    #[error(
        "bearing {input:?}: {reason}; expected degrees with T (true), M (magnetic) or G (grid), e.g. 045T, 56.5M, 312G, 045°30'T"
    )]
    Bearing { input: String, reason: String },
    #[error("map grid: {reason}")]
    MapGrid { reason: String },
}
