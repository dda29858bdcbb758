//! How navigators write angles: degrees and minutes with a hemisphere
//! letter, and the variation note printed on nautical charts.

use crate::elements::MagneticElements;

/// `10°15' W`-style text: |angle| rounded to the minute, then the letter
/// for its sign (`positive` for ≥ 0). Rounding happens on whole minutes, so
/// 10.9999° prints as 11°00', never 10°60'.
pub fn format_degrees_minutes(angle_deg: f64, positive: char, negative: char) -> String {
    let (degrees, minutes) = whole_degrees_minutes(angle_deg);
    let letter = if angle_deg >= 0.0 || (degrees == 0 && minutes == 0) {
        positive
    } else {
        negative
    };
    format!("{degrees}°{minutes:02}' {letter}")
}

/// `10°48'W`: as [`format_degrees_minutes`] without the space, the way a
/// chart's compass rose and a status line write it.
pub fn format_degrees_minutes_compact(angle_deg: f64, positive: char, negative: char) -> String {
    format_degrees_minutes(angle_deg, positive, negative).replace("' ", "'")
}

/// The variation as a navigator reads it with its one-sigma uncertainty,
/// where the model publishes one: `10°48'W ±0°22'`.
pub fn format_variation(declination_deg: f64, sigma_deg: Option<f64>) -> String {
    let variation = format_degrees_minutes_compact(declination_deg, 'E', 'W');
    match sigma_deg {
        Some(sigma) => format!("{variation} {}", format_plus_minus_degrees_minutes(sigma)),
        None => variation,
    }
}

/// |angle| as whole degrees and minutes, rounded to the nearest minute.
fn whole_degrees_minutes(angle_deg: f64) -> (u64, u64) {
    let total_minutes = (angle_deg.abs() * 60.0).round() as u64;
    (total_minutes / 60, total_minutes % 60)
}

/// A one-sigma angle as degrees and minutes, rounded to the minute:
/// `±0°22'`, `±180°00'`.
pub fn format_plus_minus_degrees_minutes(sigma_deg: f64) -> String {
    let (degrees, minutes) = whole_degrees_minutes(sigma_deg);
    format!("±{degrees}°{minutes:02}'")
}

/// A signed angle in minutes, rounded: `+2'`, `-13'`.
pub fn format_signed_minutes(angle_deg: f64) -> String {
    let minutes = (angle_deg * 60.0).round() as i64;
    format!("{minutes:+}'")
}

/// The note in a nautical chart's compass rose, e.g.
/// `VAR 10°15'W (2026) ANNUAL DECREASE 2'`: the declination, the year, and
/// whether its size grows or shrinks each year and by how many minutes.
pub fn chart_line(elements: &MagneticElements, year: f64) -> String {
    let declination = elements.declination_deg;
    let (degrees, minutes) = whole_degrees_minutes(declination);
    let letter = if degrees == 0 && minutes == 0 {
        ""
    } else if declination >= 0.0 {
        "E"
    } else {
        "W"
    };
    let rate = elements.declination_deg_per_year;
    let change_minutes = (rate.abs() * 60.0).round() as u64;
    // The size of the variation grows when it moves further from zero.
    let growing = declination * rate > 0.0 || (declination == 0.0 && rate != 0.0);
    let change = if change_minutes == 0 {
        "ANNUAL CHANGE 0'".to_string()
    } else if growing {
        format!("ANNUAL INCREASE {change_minutes}'")
    } else {
        format!("ANNUAL DECREASE {change_minutes}'")
    };
    format!(
        "VAR {degrees}°{minutes:02}'{letter} ({}) {change}",
        year.floor() as i64
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthesis::FieldVector;

    fn elements_with(declination_deg: f64, rate_deg: f64) -> MagneticElements {
        let mut e = MagneticElements::from_vectors(
            FieldVector {
                north: 20000.0,
                east: 0.0,
                down: 40000.0,
            },
            FieldVector::default(),
            30.0,
            0.0,
        );
        e.declination_deg = declination_deg;
        e.declination_deg_per_year = rate_deg;
        e
    }

    #[test]
    fn chart_lines() {
        assert_eq!(
            chart_line(&elements_with(-10.25, 2.0 / 60.0), 2026.9),
            "VAR 10°15'W (2026) ANNUAL DECREASE 2'"
        );
        assert_eq!(
            chart_line(&elements_with(-10.25, -3.0 / 60.0), 2026.1),
            "VAR 10°15'W (2026) ANNUAL INCREASE 3'"
        );
        assert_eq!(
            chart_line(&elements_with(4.0 + 5.0 / 60.0, 0.1), 2025.0),
            "VAR 4°05'E (2025) ANNUAL INCREASE 6'"
        );
        assert_eq!(
            chart_line(&elements_with(10.99999, 0.001), 2025.0),
            "VAR 11°00'E (2025) ANNUAL CHANGE 0'"
        );
    }

    #[test]
    fn degrees_minutes() {
        assert_eq!(format_degrees_minutes(-10.25, 'E', 'W'), "10°15' W");
        assert_eq!(format_degrees_minutes(36.858333, 'N', 'S'), "36°51' N");
        assert_eq!(format_degrees_minutes(-0.0001, 'E', 'W'), "0°00' E");
        assert_eq!(format_signed_minutes(-13.0 / 60.0), "-13'");
        assert_eq!(format_variation(-10.8, Some(0.3667)), "10°48'W ±0°22'");
        assert_eq!(format_variation(4.5, None), "4°30'E");
    }
}
