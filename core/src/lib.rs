//! magvar-core: the Earth's main magnetic field from the published models
//! — IGRF-14, WMM2025 and WMMHR2025 built in, any NOAA `.COF`, IAGA table
//! or `.shc` file at run time.
//!
//! A [`MagneticModel`] is built once from its coefficients and then
//! evaluated for many points. Positions are in degrees and kilometres;
//! field components in nanotesla, angles in degrees, rates per year.
//!
//! ```
//! use magvar_core::{BuiltinModel, DatePolicy, Position};
//!
//! let model = BuiltinModel::Wmm2025.model();
//! // Norfolk, Virginia, at sea level, on 2026-11-25.
//! let position = Position::geodetic(36.85, -76.29, 0.0)?;
//! let year = magvar_core::decimal_year(2026, 11, 25)?;
//! let field = model.field(&position, year, DatePolicy::Strict)?;
//! assert!((-12.0..-9.0).contains(&field.elements.declination_deg));
//! println!("{}", magvar_core::chart_line(&field.elements, year));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The layers, from the bottom: [`GaussCoefficients`] addressed by (n, m);
//! Schmidt semi-normalised Legendre functions ([`legendre`]); the generic
//! spherical-harmonic engine ([`synthesis`]), which sums over degree once
//! per circle of latitude; the model's time dependence and validity
//! ([`MagneticModel`]); and the elements derived from the field vector
//! ([`MagneticElements`]).
//!
//! At latitude ±90° the north and east components are taken along the
//! meridian of the longitude given, as the IGRF Fortran, NOAA's WMM
//! library and GeographicLib do (geomag 7.0 prints NaN there), so every
//! result is finite.

pub mod bearing;
pub mod builtin;
pub mod coefficients;
pub mod contours;
mod date;
mod dated;
mod derived;
pub mod elements;
mod error;
mod evaluator;
pub mod formats;
pub mod geodesy;
pub mod geoid;
pub mod geomag_format;
mod grid;
pub mod grid_north;
pub mod lanes;
pub mod legendre;
mod model;
mod notation;
pub mod poles;
mod position;
pub mod quantity;
mod simd;
pub mod synthesis;
pub mod uncertainty;

pub use builtin::{BuiltinModel, ModelChoice};
pub use coefficients::GaussCoefficients;
pub use contours::{ContourLine, contour_lines};
pub use date::{decimal_year, decimal_year_of_unix_seconds, is_leap_year, parse_date, today_utc};
pub use dated::{DatedBatch, DatedPoint};
pub use elements::{Element, MagneticElements, normalize_degrees};
pub use error::{InputError, ModelError};
pub use evaluator::Evaluator;
pub use grid::{Grid, GridSpec};
pub use model::{
    BLACKOUT_ZONE_H_NT, CAUTION_ZONE_H_NT, DatePolicy, FieldReport, MAX_DEGREE, MagneticModel,
    ModelDefinition, Warning, is_wmm_family,
};
pub use notation::{
    chart_line, format_degrees_minutes, format_degrees_minutes_compact,
    format_plus_minus_degrees_minutes, format_signed_minutes, format_variation,
};
pub use position::{
    AltitudeUnit, Coordinates, HeightReference, MslHeight, Position, parse_altitude_km,
    parse_altitude_with_default, parse_latitude, parse_longitude, parse_position, trim_text,
};
pub use quantity::{Kind, Quantity, Unit};
pub use simd::{SimdPath, simd_path};
pub use uncertainty::{ErrorModel, Uncertainty};
