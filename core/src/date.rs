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

/// Days from 1970-01-01 to (year, month, day) of the proleptic Gregorian
/// calendar (H. Hinnant's algorithm; the inverse of [`civil_from_days`]).
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The decimal year of an instant given as seconds since 1970-01-01T00:00Z:
/// the calendar year, plus the days and time of day (UTC) before the
/// instant over the days in that year, as [`decimal_year`] counts days.
pub fn decimal_year_of_unix_seconds(seconds: f64) -> Result<f64, String> {
    // 1 to 9999 AD, as the other forms of dates.
    const FIRST: f64 = -62_135_596_800.0;
    const AFTER_LAST: f64 = 253_402_300_800.0;
    if !seconds.is_finite() || !(FIRST..AFTER_LAST).contains(&seconds) {
        return Err("out of range (years 1 to 9999)".into());
    }
    let days = (seconds / 86_400.0).floor();
    let (year, month, day) = civil_from_days(days as i64);
    let start = decimal_year(year, month, day)?;
    let days_in_year = if is_leap_year(year) { 366.0 } else { 365.0 };
    let seconds_of_day = seconds - days * 86_400.0;
    Ok(start + seconds_of_day / 86_400.0 / days_in_year)
}

/// Parses a date: a decimal year (`2026.9`), an ISO date (`2026-11-25`),
/// an ISO 8601 date-time with its zone (`2026-11-25T14:30Z`,
/// `2026-11-25T09:30:15.5-05:00`; a space may stand for the `T`), a Unix
/// timestamp (`@1764081000`, seconds since 1970-01-01T00:00Z), `today`
/// (its 00:00 UTC) or `now`.
/// Returns the decimal year; the time of day counts, in UTC. A time
/// without a zone is an error: its instant is unknown.
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
    if text.eq_ignore_ascii_case("today") {
        let (y, m, d) = today_utc();
        return decimal_year(y, m, d).map_err(error);
    }
    if text.eq_ignore_ascii_case("now") {
        // The current instant, its time of day included.
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        return decimal_year_of_unix_seconds(seconds).map_err(error);
    }
    if let Some(seconds) = text.strip_prefix('@') {
        let seconds: f64 = seconds.trim().parse().map_err(|_| {
            error("a Unix timestamp is @ and a number of seconds since 1970-01-01T00:00Z (e.g. @1764081000)".into())
        })?;
        return decimal_year_of_unix_seconds(seconds).map_err(error);
    }
    if let Some(split) = text.find(['T', 't', ' ']).filter(|&i| i >= 8) {
        let (date, time) = (&text[..split], &text[split + 1..]);
        let (year, month, day) = parse_iso_date(date).map_err(error)?;
        let seconds_utc = parse_time_with_zone(time).map_err(error)?;
        let days = days_from_civil(year, month, day) as f64;
        return decimal_year_of_unix_seconds(days * 86_400.0 + seconds_utc).map_err(error);
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
        .map_err(|_| error("not a decimal year (2026.9), ISO date (2026-11-25), date-time with zone (2026-11-25T14:30Z) or Unix time (@1795617000)".into()))?;
    if !value.is_finite() || !(1.0..10_000.0).contains(&value) {
        return Err(error("out of range".into()));
    }
    Ok(value)
}

/// (year, month, day) of `YYYY-MM-DD`, checked.
fn parse_iso_date(text: &str) -> Result<(i32, u32, u32), String> {
    let fields: Vec<&str> = text.split('-').collect();
    let [year, month, day] = fields[..] else {
        return Err(format!("{text:?} is not an ISO date YYYY-MM-DD"));
    };
    let number = |s: &str, what: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("{what} {s:?} is not a whole number"))
    };
    let (year, month, day) = (
        number(year, "year")?,
        number(month, "month")?,
        number(day, "day")?,
    );
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is not 1..9999"));
    }
    decimal_year(year as i32, month, day)?;
    Ok((year as i32, month, day))
}

/// Seconds after midnight UTC of `HH:MM[:SS[.fff]]` followed by its zone
/// (`Z`, `±HH:MM`, `±HHMM` or `±HH`); may be negative or past a day when
/// the zone moves the instant to another date.
fn parse_time_with_zone(text: &str) -> Result<f64, String> {
    let zone_at = text.find(['Z', 'z', '+', '-']).ok_or_else(|| {
        format!(
            "the time {text:?} has no zone: add Z for UTC or the offset from UTC, e.g. {text}Z or {text}-05:00"
        )
    })?;
    let (clock, zone) = text.split_at(zone_at);
    let parts: Vec<&str> = clock.split(':').collect();
    let number = |s: &str, what: &str, below: f64| -> Result<f64, String> {
        let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        s.parse::<f64>()
            .ok()
            .filter(|v| ok && (0.0..below).contains(v))
            .ok_or_else(|| format!("{what} {s:?} is not 0..{below}"))
    };
    let (hours, minutes, seconds) = match parts[..] {
        [h, m] => (number(h, "hour", 24.0)?, number(m, "minute", 60.0)?, 0.0),
        // A leap second (60) is counted as the next minute's first.
        [h, m, s] => (
            number(h, "hour", 24.0)?,
            number(m, "minute", 60.0)?,
            number(s, "second", 61.0)?,
        ),
        _ => return Err(format!("the time {clock:?} is not HH:MM or HH:MM:SS")),
    };
    if parts[0].len() != 2 || parts[1].len() != 2 || hours.fract() != 0.0 || minutes.fract() != 0.0
    {
        return Err(format!("the time {clock:?} is not HH:MM or HH:MM:SS"));
    }
    let offset = match zone {
        "Z" | "z" => 0.0,
        _ => {
            let sign = if zone.starts_with('-') { -1.0 } else { 1.0 };
            let digits = zone[1..].replace(':', "");
            let bad = || format!("the zone {zone:?} is not Z, ±HH:MM, ±HHMM or ±HH");
            if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let zone_hours: f64 = digits[..2].parse().map_err(|_| bad())?;
            let zone_minutes: f64 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Ok(0.0), |m| m.parse().map_err(|_| bad()))?;
            if zone_hours > 23.0 || zone_minutes > 59.0 {
                return Err(bad());
            }
            sign * (zone_hours * 3600.0 + zone_minutes * 60.0)
        }
    };
    // Local time minus the offset is UTC.
    Ok(hours * 3600.0 + minutes * 60.0 + seconds - offset)
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

#[cfg(test)]
mod time_of_day_tests {
    use super::*;

    fn year(text: &str) -> f64 {
        parse_date(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_time_of_day_counts_in_utc() {
        // 14:30 UTC on 25 November 2026: day 329 of 365.
        let expected = 2026.0 + (328.0 + 14.5 / 24.0) / 365.0;
        assert_eq!(year("2026-11-25T14:30Z"), expected);
        assert_eq!(year("2026-11-25T14:30:00Z"), expected);
        assert_eq!(year("2026-11-25 14:30z"), expected);
        assert_eq!(year("2026-11-25T09:30-05:00"), expected);
        assert_eq!(year("2026-11-25T20:00+05:30"), expected);
        assert_eq!(year("2026-11-25T20:00+0530"), expected);
        assert_eq!(year("2026-11-25T16:30+02"), expected);
        assert_eq!(year("@1795617000"), expected);
        assert_eq!(year("@1764081000"), year("2025-11-25T14:30Z"));
        assert!(
            (year("2026-11-25T14:30:15.5Z") - expected - 15.5 / 86_400.0 / 365.0).abs() < 1e-12
        );
    }

    #[test]
    fn zone_offsets_that_change_the_date_and_year() {
        // 23:30 on New Year's Eve in New York is 04:30 on 1 January in UTC.
        assert_eq!(year("2026-12-31T23:30-05:00"), 2027.0 + 4.5 / 24.0 / 365.0);
        // 00:30 on 1 January in Tokyo is still the old year in UTC.
        assert_eq!(
            year("2027-01-01T00:30+09:00"),
            2026.0 + (364.0 + 15.5 / 24.0) / 365.0
        );
        // Leap days: 2024 has 366 days, 29 February is day 60.
        assert_eq!(year("2024-02-29T12:00Z"), 2024.0 + (59.0 + 0.5) / 366.0);
        assert_eq!(
            year("2024-03-01T01:00+02:00"),
            2024.0 + (59.0 + 23.0 / 24.0) / 366.0
        );
        // Midnight UTC equals the plain date.
        assert_eq!(year("2025-01-01T00:00Z"), year("2025-01-01"));
        assert_eq!(year("@0"), 1970.0);
        assert_eq!(year("@-86400"), 1969.0 + 364.0 / 365.0);
    }

    #[test]
    fn days_and_dates_round_trip() {
        for days in [-719_468, -1, 0, 59, 11_016, 20_507, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn bad_date_times_say_what_to_do() {
        let message = |text: &str| parse_date(text).unwrap_err().to_string();
        assert!(
            message("2026-11-25T14:30").contains("no zone: add Z for UTC"),
            "{}",
            message("2026-11-25T14:30")
        );
        assert!(message("2026-11-25T25:00Z").contains("hour"));
        assert!(message("2026-11-25T14:61Z").contains("minute"));
        assert!(message("2026-02-30T10:00Z").contains("day 30"));
        assert!(message("2026-11-25T14:30+25:00").contains("zone"));
        assert!(message("2026-11-25T1:30Z").contains("HH:MM"));
        assert!(message("@soon").contains("Unix timestamp"));
        assert!(message("@1e300").contains("out of range"));
    }
}
