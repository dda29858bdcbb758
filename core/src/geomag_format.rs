//! NOAA geomag 7.0's batch file format, read and written as geomag 7.0
//! does, so that its files and the programs around them keep working.
//!
//! Input lines: `date coord altitude latitude longitude`, where
//! * date is a decimal year or `yyyy,mm,dd` — the latter converted as
//!   geomag 7.0's `julday` does: year + day-of-year / days-in-year (1 January
//!   is year + 1/365, one day later than WMM's convention);
//! * coord is `D` (geodetic) or `C` (geocentric);
//! * altitude has a unit prefix `K` (km), `M` (m) or `F` (ft); for `C` it
//!   is the radius from Earth's centre;
//! * latitude and longitude are decimal degrees or `deg,min,sec` (empty
//!   parts count as 0; the sign of the first non-zero part applies).
//!
//! Output lines echo the input tokens and add geomag 7.0's columns, with
//! its rounding: D and I truncated to whole degrees plus rounded minutes,
//! and annual change as the difference to one year later.

use crate::date::is_leap_year;
use crate::elements::{MagneticElements, normalize_degrees};
use crate::evaluator::Evaluator;
use crate::model::{DatePolicy, FieldReport, MagneticModel};
use crate::position::Position;
use crate::{ModelChoice, ModelError};

/// The header line geomag 7.0 writes.
pub const GEOMAG_HEADER: &str = "Date Coord-System Altitude Latitude Longitude D_deg D_min I_deg I_min H_nT X_nT Y_nT Z_nT F_nT dD_min dI_min dH_nT dX_nT dY_nT dZ_nT dF_nT";

/// One parsed input line.
#[derive(Debug, Clone, PartialEq)]
pub struct GeomagRow {
    /// The five input tokens, as written.
    pub tokens: Vec<String>,
    /// Decimal year.
    pub year: f64,
    pub position: Position,
}

/// Whether a line carries no data (blank or a `#` comment).
pub fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// Parses one input line; the error says which field is wrong and why.
pub fn parse_line(line: &str) -> Result<GeomagRow, String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.len() < 5 {
        return Err(format!(
            "expected 5 fields \"date coord altitude latitude longitude\" (e.g. 2025.5 D K0 45.0 -105.5), found {}",
            tokens.len()
        ));
    }
    let year = parse_date(tokens[0])?;
    let altitude_token = tokens[2];
    let (unit, value) =
        altitude_token.split_at(altitude_token.chars().next().map_or(0, char::len_utf8));
    let altitude: f64 = value
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            format!(
                "altitude {altitude_token:?}: expected K, M or F followed by a number (e.g. K1.5)"
            )
        })?;
    let altitude_km = match unit {
        "K" | "k" => altitude,
        "M" | "m" => altitude / 1000.0,
        "F" | "f" => altitude * 0.0003048,
        _ => {
            return Err(format!(
                "altitude {altitude_token:?}: the unit prefix must be K, M or F"
            ));
        }
    };
    let latitude = parse_angle(tokens[3]).map_err(|e| format!("latitude {:?}: {e}", tokens[3]))?;
    let longitude =
        parse_angle(tokens[4]).map_err(|e| format!("longitude {:?}: {e}", tokens[4]))?;
    let position = match tokens[1] {
        "D" | "d" => Position::geodetic(latitude, longitude, altitude_km),
        "C" | "c" => Position::geocentric(latitude, longitude, altitude_km),
        other => {
            return Err(format!(
                "coordinate system {other:?}: expected D (geodetic) or C (geocentric)"
            ));
        }
    }
    .map_err(|e| e.to_string())?;
    Ok(GeomagRow {
        tokens: tokens[..5].iter().map(|t| t.to_string()).collect(),
        year,
        position,
    })
}

fn parse_date(token: &str) -> Result<f64, String> {
    let error = || format!("date {token:?}: expected a decimal year (2025.5) or yyyy,mm,dd");
    if token.contains(',') {
        let parts: Vec<&str> = token.split(',').collect();
        let [year, month, day] = parts.as_slice() else {
            return Err(error());
        };
        let year: i32 = year.parse().map_err(|_| error())?;
        let month: usize = month.parse().map_err(|_| error())?;
        let day: u32 = day.parse().map_err(|_| error())?;
        const DAYS_BEFORE: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        let leap = u32::from(is_leap_year(year));
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(error());
        }
        let day_in_year = DAYS_BEFORE[month - 1] + day + if month > 2 { leap } else { 0 };
        return Ok(year as f64 + day_in_year as f64 / (365 + leap) as f64);
    }
    token
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(error)
}

/// Decimal degrees, or `deg,min,sec` with geomag's sign rule.
fn parse_angle(token: &str) -> Result<f64, String> {
    if !token.contains(',') {
        return token
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| "expected decimal degrees or deg,min,sec".to_string());
    }
    let parts: Vec<&str> = token.split(',').collect();
    if parts.len() > 3 {
        return Err("expected at most deg,min,sec".into());
    }
    let mut values = [0.0f64; 3];
    for (value, part) in values.iter_mut().zip(&parts) {
        if !part.is_empty() {
            *value =
                part.parse::<i64>()
                    .map_err(|_| format!("{part:?} is not a whole number"))? as f64;
        }
    }
    let [degrees, minutes, seconds] = values;
    let magnitude = degrees.abs() + minutes.abs() / 60.0 + seconds.abs() / 3600.0;
    let negative = degrees < 0.0
        || parts[0].starts_with('-')
        || (degrees == 0.0 && (minutes < 0.0 || (minutes == 0.0 && seconds < 0.0)));
    Ok(if negative { -magnitude } else { magnitude })
}

/// geomag 7.0 computes dates up to one year past a model's end, with a
/// warning; this format keeps that grace year.
pub const GRACE_YEARS: f64 = 1.0;

/// Evaluates a row: the report at its date, and the elements one year
/// later along the same coefficient line (geomag 7.0's annual change).
pub fn evaluate(
    choice: &ModelChoice,
    row: &GeomagRow,
    policy: DatePolicy,
) -> Result<(FieldReport, MagneticElements), ModelError> {
    let model = choice.model_for(row.year);
    let within_grace =
        row.year > model.valid_until_year() && row.year <= model.valid_until_year() + GRACE_YEARS;
    let policy = if within_grace {
        DatePolicy::Extrapolate
    } else {
        policy
    };
    // One point, so the plain synthesis (cheaper than laying out the lane
    // kernel's expansion), for both dates: the annual change is their
    // difference, taken on one path.
    let mut evaluator = Evaluator::new(model);
    let report = evaluator.field_reference(&row.position, row.year, policy)?;
    let next_year = a_year_later(&mut evaluator, &row.position, row.year);
    Ok((report, next_year))
}

/// The elements one year after `year` along the coefficients' line at
/// `year` (not the next segment's: geomag 7.0's annual change is that
/// difference), for a row already evaluated at `year` by another path.
pub fn elements_a_year_later(
    model: &MagneticModel,
    position: &Position,
    year: f64,
) -> MagneticElements {
    a_year_later(&mut Evaluator::new(model), position, year)
}

fn a_year_later(evaluator: &mut Evaluator, position: &Position, year: f64) -> MagneticElements {
    let coefficients = evaluator.model().coefficients_at(year).advanced(1.0);
    evaluator.elements_of(&coefficients, position)
}

/// The output line: the input tokens, then geomag 7.0's columns.
pub fn format_line(
    tokens: &[String],
    now: &MagneticElements,
    next_year: &MagneticElements,
) -> String {
    let (d_deg, d_min) = degrees_minutes(now.declination_deg);
    let (i_deg, i_min) = degrees_minutes(now.inclination_deg);
    let d_dot = normalize_degrees(next_year.declination_deg - now.declination_deg) * 60.0;
    let i_dot = (next_year.inclination_deg - now.inclination_deg) * 60.0;
    let mut line = String::with_capacity(160);
    for token in tokens {
        line.push_str(token);
        line.push(' ');
    }
    line.push_str(&format!(
        " {d_deg:4}d {d_min:2.0}m  {i_deg:4}d {i_min:2.0}m  {:8.1} {:8.1} {:8.1} {:8.1} {:8.1}",
        now.horizontal_nt, now.north_nt, now.east_nt, now.down_nt, now.total_nt
    ));
    line.push_str(&format!(
        " {d_dot:7.1}   {i_dot:7.1}     {:8.1} {:8.1} {:8.1} {:8.1} {:8.1}",
        next_year.horizontal_nt - now.horizontal_nt,
        next_year.north_nt - now.north_nt,
        next_year.east_nt - now.east_nt,
        next_year.down_nt - now.down_nt,
        next_year.total_nt - now.total_nt
    ));
    line
}

/// geomag's split of an angle: whole degrees toward zero, then minutes
/// (signed only when the degrees are zero).
fn degrees_minutes(angle_deg: f64) -> (i64, f64) {
    let degrees = angle_deg.trunc();
    let minutes = (angle_deg - degrees) * 60.0;
    let minutes = if degrees != 0.0 {
        minutes.abs()
    } else {
        minutes
    };
    (degrees as i64, minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angles_in_both_forms() {
        assert_eq!(parse_angle("-70,18,0").unwrap(), -70.3);
        assert_eq!(parse_angle("-30,8,").unwrap(), -(30.0 + 8.0 / 60.0));
        assert_eq!(parse_angle("0,-30,0").unwrap(), -0.5);
        assert_eq!(parse_angle("48.123").unwrap(), 48.123);
        assert!(parse_angle("4x,1,2").is_err());
    }

    #[test]
    fn dates_as_geomag_converts_them() {
        assert_eq!(parse_date("2019,11,19").unwrap(), 2019.0 + 323.0 / 365.0);
        assert_eq!(parse_date("2020,3,1").unwrap(), 2020.0 + 61.0 / 366.0);
        assert!(parse_date("2019,13,1").is_err());
    }

    #[test]
    fn bad_lines_name_the_field() {
        assert!(
            parse_line("2020.0 D K0 45")
                .unwrap_err()
                .contains("expected 5 fields")
        );
        assert!(
            parse_line("2020.0 X K0 45 10")
                .unwrap_err()
                .contains("coordinate system")
        );
        assert!(
            parse_line("2020.0 D Q0 45 10")
                .unwrap_err()
                .contains("altitude")
        );
        assert!(
            parse_line("2020.0 D K0 95 10")
                .unwrap_err()
                .contains("latitude")
        );
    }
}
