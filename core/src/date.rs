//! Dates as the models use them: decimal years.

use crate::error::InputError;

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The decimal year of a calendar date at 00:00 UTC, as NOAA's WMM
/// software computes it: year + (day of year − 1) / days in the year.
pub fn decimal_year(year: i32, month: u32, day: u32) -> Result<f64, String> {
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} is not 1..12"));
    }
    let days_in_month = [
        31,
        if is_leap_year(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let last = days_in_month[month as usize - 1];
    if day < 1 || day > last {
        return Err(format!("day {day} is not 1..{last} for month {month}"));
    }
    let day_of_year: u32 = days_in_month[..month as usize - 1].iter().sum::<u32>() + day;
    let days_in_year = if is_leap_year(year) { 366.0 } else { 365.0 };
    Ok(year as f64 + (day_of_year - 1) as f64 / days_in_year)
}

/// Today's date (UTC) as (year, month, day).
pub fn today_utc() -> (i32, u32, u32) {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    civil_from_days(seconds.div_euclid(86_400))
}

/// (year, month, day) of a count of days since 1970-01-01 (H. Hinnant's
/// algorithm, exact for the proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Parses a date: a decimal year (`2026.9`), an ISO date (`2026-11-25`)
/// or `today`. Returns the decimal year.
pub fn parse_date(input: &str) -> Result<f64, InputError> {
    let error = |reason: String| InputError::Date {
        input: input.to_string(),
        reason,
    };
    let text = crate::position::trim_text(input);
    let plain = crate::position::parse_plain_decimal(text);
    if let Some(value) = plain.or_else(|| text.parse::<f64>().ok()) {
        if !value.is_finite() || !(1.0..10_000.0).contains(&value) {
            return Err(error("out of range".into()));
        }
        return Ok(value);
    }
    if text.eq_ignore_ascii_case("today") || text.eq_ignore_ascii_case("now") {
        let (y, m, d) = today_utc();
        return decimal_year(y, m, d).map_err(error);
    }
    let fields: Vec<&str> = text.split('-').collect();
    if fields.len() == 3 && !fields[0].is_empty() {
        let number = |s: &str, what: &str| -> Result<i64, InputError> {
            s.parse::<i64>()
                .map_err(|_| error(format!("{what} {s:?} is not a whole number")))
        };
        let year = number(fields[0], "year")?;
        let month = number(fields[1], "month")?;
        let day = number(fields[2], "day")?;
        if !(1..=9999).contains(&year) || !(0..=99).contains(&month) || !(0..=99).contains(&day) {
            return Err(error("out of range".into()));
        }
        return decimal_year(year as i32, month as u32, day as u32).map_err(error);
    }
    let value: f64 = text
        .parse()
        .map_err(|_| error("not a decimal year or ISO date".into()))?;
    if !value.is_finite() || !(1.0..10_000.0).contains(&value) {
        return Err(error("out of range".into()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_years() {
        assert_eq!(decimal_year(2025, 1, 1).unwrap(), 2025.0);
        assert_eq!(decimal_year(2024, 12, 31).unwrap(), 2024.0 + 365.0 / 366.0);
        assert_eq!(decimal_year(2026, 7, 2).unwrap(), 2026.0 + 182.0 / 365.0);
        assert!(decimal_year(2026, 2, 29).is_err());
        assert!(decimal_year(2026, 13, 1).is_err());
    }

    #[test]
    fn civil_dates_from_day_counts() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_507), (2026, 2, 23));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(parse_date("2026.9").unwrap(), 2026.9);
        assert_eq!(parse_date("2025-01-01").unwrap(), 2025.0);
        let today = parse_date("today").unwrap();
        assert!(today > 2020.0 && today < 2200.0);
        for bad in [
            "",
            "soon",
            "2026-02-30",
            "2026-1x-01",
            "nan",
            "-5",
            "2026/11/25",
        ] {
            assert!(parse_date(bad).is_err(), "{bad:?} accepted");
        }
    }
}
