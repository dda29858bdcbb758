//! Positions and the forms in which people write them.

use crate::error::InputError;
use serde::Serialize;

/// Which latitude and which altitude a [`Position`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coordinates {
    /// WGS-84 geodetic latitude; altitude is height above the ellipsoid.
    #[default]
    Geodetic,
    /// Geocentric latitude; altitude is the radius from Earth's centre.
    /// Field components stay in the geocentric frame, as geomag 7.0 gives them.
    Geocentric,
}

/// A point at which to evaluate the field.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Position {
    /// Latitude, degrees north (−90..=90).
    pub latitude_deg: f64,
    /// Longitude, degrees east, normalised to (−180, 180].
    pub longitude_deg: f64,
    /// Height above the WGS-84 ellipsoid (geodetic) or radius (geocentric), km.
    pub altitude_km: f64,
    pub coordinates: Coordinates,
    /// For a height given above mean sea level ([`Position::geodetic_msl`]):
    /// that height and the geoid's there; `altitude_km` is their sum.
    pub msl: Option<MslHeight>,
}

/// A height given above mean sea level, and the geoid's height (EGM96)
/// that turned it into the height above the ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MslHeight {
    /// The height above mean sea level given, km.
    pub altitude_km: f64,
    /// The geoid's height above the WGS-84 ellipsoid there, m.
    pub geoid_height_m: f64,
}

/// What a geodetic altitude is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeightReference {
    /// The WGS-84 ellipsoid, as GPS receivers give heights.
    #[default]
    Ellipsoid,
    /// Mean sea level (the EGM96 geoid), as maps and altimeters give them.
    Msl,
}

impl HeightReference {
    /// `ellipsoid` or `msl`, as the JSON key `height_reference` says.
    pub fn name(self) -> &'static str {
        match self {
            HeightReference::Ellipsoid => "ellipsoid",
            HeightReference::Msl => "msl",
        }
    }
}

impl Position {
    /// A geodetic position: latitude and longitude in degrees, height above
    /// the WGS-84 ellipsoid in km. Longitudes 0–360 are accepted.
    pub fn geodetic(
        latitude_deg: f64,
        longitude_deg: f64,
        height_km: f64,
    ) -> Result<Self, InputError> {
        Self::checked(
            latitude_deg,
            longitude_deg,
            height_km,
            Coordinates::Geodetic,
        )
    }

    /// A geodetic position from a height above mean sea level (km): the
    /// EGM96 geoid's height there, as NOAA's WMM software interpolates it
    /// ([`crate::geoid`]), makes it a height above the ellipsoid.
    pub fn geodetic_msl(
        latitude_deg: f64,
        longitude_deg: f64,
        altitude_msl_km: f64,
    ) -> Result<Self, InputError> {
        // The position is checked before the geoid is looked up there.
        let mut position = Self::geodetic(latitude_deg, longitude_deg, altitude_msl_km)?;
        let geoid_height_m =
            crate::geoid::geoid_height_m(position.latitude_deg, position.longitude_deg);
        position.altitude_km = altitude_msl_km + geoid_height_m / 1000.0;
        position.msl = Some(MslHeight {
            altitude_km: altitude_msl_km,
            geoid_height_m,
        });
        Ok(position)
    }

    /// A geodetic position with its altitude above `reference`.
    pub fn geodetic_above(
        latitude_deg: f64,
        longitude_deg: f64,
        altitude_km: f64,
        reference: HeightReference,
    ) -> Result<Self, InputError> {
        match reference {
            HeightReference::Ellipsoid => Self::geodetic(latitude_deg, longitude_deg, altitude_km),
            HeightReference::Msl => Self::geodetic_msl(latitude_deg, longitude_deg, altitude_km),
        }
    }

    /// The altitude as given, km: above mean sea level for a position
    /// made by [`Self::geodetic_msl`], else `altitude_km` (above the
    /// ellipsoid, or the radius of a geocentric position). What reports
    /// print; the synthesis uses `altitude_km`.
    pub fn altitude_as_given_km(&self) -> f64 {
        self.msl.map_or(self.altitude_km, |m| m.altitude_km)
    }

    /// The EGM96 geoid's height above the ellipsoid here, m, for a
    /// position given above mean sea level; `None` otherwise.
    pub fn geoid_height_m(&self) -> Option<f64> {
        self.msl.map(|m| m.geoid_height_m)
    }

    /// What the altitude was given above (geocentric positions: the
    /// ellipsoid, their radius being no height).
    pub fn height_reference(&self) -> HeightReference {
        match self.msl {
            Some(_) => HeightReference::Msl,
            None => HeightReference::Ellipsoid,
        }
    }

    /// A geocentric position: latitude and longitude in degrees, radius
    /// from Earth's centre in km.
    pub fn geocentric(
        latitude_deg: f64,
        longitude_deg: f64,
        radius_km: f64,
    ) -> Result<Self, InputError> {
        Self::checked(
            latitude_deg,
            longitude_deg,
            radius_km,
            Coordinates::Geocentric,
        )
    }

    fn checked(
        latitude_deg: f64,
        longitude_deg: f64,
        altitude_km: f64,
        coordinates: Coordinates,
    ) -> Result<Self, InputError> {
        // Text for the error message is made only when there is an error.
        check_latitude(latitude_deg, || latitude_deg.to_string())?;
        let longitude_deg = normalize_longitude(longitude_deg, || longitude_deg.to_string())?;
        let altitude = |reason: &str| InputError::Altitude {
            input: format!("{altitude_km} km"),
            reason: reason.to_string(),
        };
        if !altitude_km.is_finite() {
            return Err(altitude("not a finite number"));
        }
        match coordinates {
            // Deeper than ~ the Earth's radius makes the point meaningless.
            Coordinates::Geodetic if altitude_km <= -6000.0 => {
                return Err(altitude(
                    "below the Earth's centre region (must be > -6000 km)",
                ));
            }
            Coordinates::Geocentric if altitude_km <= 0.0 => {
                return Err(altitude("a geocentric radius must be positive"));
            }
            _ => {}
        }
        Ok(Position {
            latitude_deg,
            longitude_deg,
            altitude_km,
            coordinates,
            msl: None,
        })
    }
}

fn check_latitude(value: f64, input: impl FnOnce() -> String) -> Result<f64, InputError> {
    if !value.is_finite() || !(-90.0..=90.0).contains(&value) {
        return Err(InputError::Latitude {
            input: input(),
            reason: "out of range".into(),
        });
    }
    Ok(value)
}

/// Folds 0–360 (and −180–180) longitudes into (−180, 180].
fn normalize_longitude(value: f64, input: impl FnOnce() -> String) -> Result<f64, InputError> {
    if !value.is_finite() || !(-180.0..=360.0).contains(&value) {
        return Err(InputError::Longitude {
            input: input(),
            reason: "out of range".into(),
        });
    }
    Ok(if value > 180.0 { value - 360.0 } else { value })
}

/// `text.trim()`, with a fast path for the usual case of ASCII at both
/// ends (files of millions of numbers trim every field).
///
/// Public because front-ends reading such files need the same trim as
/// the parsers here: the CLI's batch echoes a field's trimmed text when
/// it is exactly what the output would print, which must be the text
/// these parsers read.
pub fn trim_text(text: &str) -> &str {
    let trimmed = text.trim_ascii();
    // What `trim_ascii` leaves and `trim` would not: non-ASCII white
    // space, and the vertical tab (ASCII, but not in `trim_ascii`'s set).
    let plain_end = |byte: Option<&u8>| byte.is_none_or(|&b| b.is_ascii() && b != 0x0B);
    if plain_end(trimmed.as_bytes().first()) && plain_end(trimmed.as_bytes().last()) {
        trimmed
    } else {
        trimmed.trim()
    }
}

/// `text.parse::<f64>()` for the plain decimals that fill data files
/// (`-65.81444`, `7`, `0.5`): with at most 15 digits the digits as an
/// integer are exact in f64, and so is 10ᵏ for k ≤ 22, so one division
/// rounds their quotient correctly — the value std's parser gives
/// (Clinger's fast path), for a fraction of its work. `None` for any
/// other text: the caller parses it the general way.
pub(crate) fn parse_plain_decimal(text: &str) -> Option<f64> {
    const POWERS_OF_TEN: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let bytes = text.as_bytes();
    let (negative, bytes) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    let (mut mantissa, mut digits, mut fraction_digits) = (0u64, 0usize, None);
    for &byte in bytes {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                digits += 1;
                if let Some(count) = fraction_digits.as_mut() {
                    *count += 1;
                }
            }
            b'.' if fraction_digits.is_none() => fraction_digits = Some(0),
            _ => return None,
        }
        if digits > 15 {
            return None;
        }
    }
    if digits == 0 {
        return None;
    }
    let value = mantissa as f64 / POWERS_OF_TEN[fraction_digits.unwrap_or(0)];
    Some(if negative { -value } else { value })
}

/// Parses a latitude as people write it: `36.85`, `-36.85`, `36.85N`,
/// `36°51'30"N`, `36d51m30sN`, `36:51:30N`, `36 51.5 N`. Degrees north.
pub fn parse_latitude(input: &str) -> Result<f64, InputError> {
    let error = |reason: String| InputError::Latitude {
        input: input.to_string(),
        reason,
    };
    let value = parse_angle(input, ('N', 'S')).map_err(error)?;
    check_latitude(value, || input.to_string())
}

/// Parses a longitude (same forms, `E`/`W`; 0–360 accepted), returning
/// degrees east in (−180, 180].
pub fn parse_longitude(input: &str) -> Result<f64, InputError> {
    let error = |reason: String| InputError::Longitude {
        input: input.to_string(),
        reason,
    };
    let value = parse_angle(input, ('E', 'W')).map_err(error)?;
    normalize_longitude(value, || input.to_string())
}

/// Signed degrees from decimal or degree-minute-second text with an
/// optional hemisphere letter (`positive`, `negative`) before or after.
fn parse_angle(input: &str, (positive, negative): (char, char)) -> Result<f64, String> {
    let text = trim_text(input);
    if text.is_empty() {
        return Err("empty".into());
    }
    // Plain decimal degrees, the common case in files, take no other work.
    if let Some(value) = parse_plain_decimal(text).or_else(|| text.parse::<f64>().ok()) {
        return if value.is_finite() {
            Ok(value)
        } else {
            Err(format!("{text:?} is not a finite number"))
        };
    }
    let (text, hemisphere) = split_hemisphere(text);
    // A word (`garbage`, `here`) is not a number that ends in a
    // hemisphere letter: say so before judging the letter.
    if !text.chars().any(|c| c.is_ascii_digit())
        || text
            .chars()
            .any(|c| c.is_alphabetic() && !matches!(c, 'd' | 'D' | 'm' | 'M' | 's'))
    {
        return Err("not a number or degrees-minutes-seconds".into());
    }
    let sign = match hemisphere {
        None => 1.0,
        Some(letter) if letter == positive => 1.0,
        Some(letter) if letter == negative => -1.0,
        Some(letter) => {
            return Err(format!(
                "hemisphere letter {letter} does not fit (use {positive} or {negative})"
            ));
        }
    };
    if hemisphere.is_some() && text.starts_with('-') {
        return Err("a hemisphere letter and a minus sign together".into());
    }
    // Separators of degrees, minutes and seconds, in all the common forms.
    let parts: Vec<&str> = text
        .split(|c: char| {
            matches!(
                c,
                '°' | 'º' | '\'' | '"' | '′' | '″' | ':' | 'd' | 'D' | 'm' | 'M' | 's'
            ) || c.is_whitespace()
        })
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err("not a number or degrees-minutes-seconds".into());
    }
    let mut numbers = Vec::with_capacity(3);
    for part in &parts {
        let value: f64 = part
            .parse()
            .map_err(|_| format!("{part:?} is not a number"))?;
        if !value.is_finite() {
            return Err(format!("{part:?} is not a finite number"));
        }
        numbers.push(value);
    }
    for (value, name) in numbers.iter().skip(1).zip(["minutes", "seconds"]) {
        if !(0.0..60.0).contains(value) {
            return Err(format!("{name} must be in 0..60"));
        }
    }
    if numbers.len() > 1 && numbers[0].fract() != 0.0 {
        return Err("degrees must be whole when minutes follow".into());
    }
    let minutes = numbers.get(1).copied().unwrap_or(0.0);
    let seconds = numbers.get(2).copied().unwrap_or(0.0);
    let magnitude = numbers[0].abs() + minutes / 60.0 + seconds / 3600.0;
    let signed = if parts[0].starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    Ok(sign * signed)
}

/// Splits a leading or trailing hemisphere letter (N, S, E, W) off an
/// angle. A trailing lower-case `s` that closes a `…m…s` form is the
/// seconds mark, not South.
fn split_hemisphere(text: &str) -> (&str, Option<char>) {
    let is_letter = |c: char| matches!(c.to_ascii_uppercase(), 'N' | 'S' | 'E' | 'W');
    if let Some(last) = text.chars().last().filter(|&c| is_letter(c)) {
        let rest = &text[..text.len() - 1];
        let seconds_mark = last == 's' && rest.contains(['m', '\'', '′']);
        if !seconds_mark {
            return (rest.trim_end(), Some(last.to_ascii_uppercase()));
        }
    }
    if let Some(first) = text.chars().next().filter(|&c| is_letter(c)) {
        return (text[1..].trim_start(), Some(first.to_ascii_uppercase()));
    }
    (text, None)
}

/// Parses a position typed as one string — `36.85N 76.29W`, `36.85, -76.29`,
/// `36°51'30"N 76°17'24"W`, `36 51.5 N 76 17.4 W` — into (latitude,
/// longitude) in degrees, each part in any form [`parse_latitude`] and
/// [`parse_longitude`] accept. With a comma (or semicolon) that is the
/// divide; otherwise every space between words is tried and exactly one
/// must give a valid latitude and longitude.
pub fn parse_position(input: &str) -> Result<(f64, f64), InputError> {
    let text = input.trim();
    let error = |reason: &str| InputError::Position {
        input: text.to_string(),
        reason: reason.to_string(),
    };
    if text.is_empty() {
        return Err(error("empty"));
    }
    if let Some((latitude, longitude)) = text.split_once([',', ';']) {
        return Ok((parse_latitude(latitude)?, parse_longitude(longitude)?));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let readings: Vec<(f64, f64)> = (1..words.len())
        .filter_map(|divide| {
            let latitude = parse_latitude(&words[..divide].join(" ")).ok()?;
            let longitude = parse_longitude(&words[divide..].join(" ")).ok()?;
            Some((latitude, longitude))
        })
        .collect();
    match readings.as_slice() {
        [only] => Ok(*only),
        [] if words.len() < 2 => Err(error("one number; a latitude and a longitude are needed")),
        [] => Err(error("not a latitude and a longitude")),
        _ => Err(error(
            "it reads in more than one way; put a comma between latitude and longitude",
        )),
    }
}

/// Parses an altitude: a number with an optional unit `m`, `km` or `ft`
/// (bare numbers are km). Returns km.
pub fn parse_altitude_km(input: &str) -> Result<f64, InputError> {
    parse_altitude_with_default(input, AltitudeUnit::Kilometres)
}

/// Units an altitude may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AltitudeUnit {
    #[serde(rename = "m")]
    Metres,
    #[default]
    #[serde(rename = "km")]
    Kilometres,
    #[serde(rename = "ft")]
    Feet,
}

impl AltitudeUnit {
    /// How many km one of this unit is.
    pub fn km_per_unit(self) -> f64 {
        match self {
            AltitudeUnit::Metres => 0.001,
            AltitudeUnit::Kilometres => 1.0,
            AltitudeUnit::Feet => 0.0003048,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            AltitudeUnit::Metres => "m",
            AltitudeUnit::Kilometres => "km",
            AltitudeUnit::Feet => "ft",
        }
    }
}

impl std::str::FromStr for AltitudeUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "m" | "metre" | "metres" | "meter" | "meters" => Ok(AltitudeUnit::Metres),
            "km" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => {
                Ok(AltitudeUnit::Kilometres)
            }
            "ft" | "foot" | "feet" => Ok(AltitudeUnit::Feet),
            other => Err(format!(
                "unknown altitude unit {other:?}: expected m, km or ft"
            )),
        }
    }
}

/// Parses an altitude whose bare numbers are in `default_unit`. Returns km.
pub fn parse_altitude_with_default(
    input: &str,
    default_unit: AltitudeUnit,
) -> Result<f64, InputError> {
    let error = |reason: &str| InputError::Altitude {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let text = trim_text(input);
    let split = text
        .bytes()
        .position(|b| b.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = if unit.is_empty() {
        default_unit
    } else {
        unit.parse().map_err(|e: String| error(&e))?
    };
    let number = trim_text(number);
    let value = parse_plain_decimal(number)
        .or_else(|| number.parse().ok())
        .ok_or_else(|| error("not a number"))?;
    if !value.is_finite() {
        return Err(error("not a finite number"));
    }
    Ok(value * unit.km_per_unit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_equals_std_trim() {
        for text in [
            "",
            " ",
            "1.5",
            " 1.5 ",
            "\t1.5\r\n",
            "1.5\x0b",
            "\x0b1.5",
            "\u{a0}1.5\u{2003}",
            "\x0c 1.5 \x0b\u{a0}",
            "\u{85}x",
            "é ",
            " é",
            "\x0b",
        ] {
            assert_eq!(trim_text(text), text.trim(), "{text:?}");
        }
    }

    /// The fast path gives std's value, bit for bit, wherever it answers,
    /// over random decimals of every length and the awkward shapes.
    #[test]
    fn plain_decimals_parse_as_std_parses_them() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x2545_F491_4F6C_DD1D);
        let mut next = move |bound: u64| rng.random_range(0..bound);
        let mut answered = 0;
        for _ in 0..300_000 {
            let mut text = String::new();
            match next(4) {
                0 => text.push('-'),
                1 => text.push('+'),
                _ => {}
            }
            for _ in 0..next(12) {
                text.push(char::from(b'0' + next(10) as u8));
            }
            if next(4) != 0 {
                text.push('.');
                for _ in 0..next(12) {
                    text.push(char::from(b'0' + next(10) as u8));
                }
            }
            let std = text.parse::<f64>().ok();
            match parse_plain_decimal(&text) {
                Some(value) => {
                    answered += 1;
                    assert_eq!(Some(value.to_bits()), std.map(f64::to_bits), "{text:?}");
                }
                None => assert!(
                    std.is_none() || text.bytes().filter(u8::is_ascii_digit).count() > 15,
                    "{text:?} left to std although plain"
                ),
            }
        }
        assert!(answered > 100_000, "{answered}");
        for text in [
            "", ".", "-", "+.", "1e5", "1.2.3", "inf", "NaN", " 1", "1_0", "0x10",
        ] {
            assert_eq!(parse_plain_decimal(text), None, "{text:?}");
        }
        assert_eq!(
            parse_plain_decimal("-0.0").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(parse_plain_decimal("7."), Some(7.0));
        assert_eq!(parse_plain_decimal(".5"), Some(0.5));
    }

    #[test]
    fn latitude_forms() {
        let close = |s: &str, v: f64| {
            let got = parse_latitude(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert!((got - v).abs() < 1e-12, "{s}: {got} vs {v}");
        };
        close("36.85", 36.85);
        close("-36.85", -36.85);
        close("36.85N", 36.85);
        close("36.85S", -36.85);
        close("36.85 s", -36.85);
        close("N36.85", 36.85);
        close("36°51'30\"N", 36.0 + 51.0 / 60.0 + 30.0 / 3600.0);
        close("36d51m30sN", 36.0 + 51.0 / 60.0 + 30.0 / 3600.0);
        close("36:51:30N", 36.0 + 51.0 / 60.0 + 30.0 / 3600.0);
        close("36 51.5 N", 36.0 + 51.5 / 60.0);
        close("-0:30", -0.5);
        close("90", 90.0);
    }

    #[test]
    fn longitude_forms_and_0_360() {
        assert_eq!(parse_longitude("76.29W").unwrap(), -76.29);
        assert!((parse_longitude("283.71").unwrap() - -76.29).abs() < 1e-9);
        assert_eq!(parse_longitude("180").unwrap(), 180.0);
        assert_eq!(parse_longitude("360").unwrap(), 0.0);
        assert!((parse_longitude("76°17'24\"W").unwrap() + 76.29).abs() < 1e-12);
    }

    #[test]
    fn bad_angles_say_why() {
        for bad in [
            "", "abc", "91", "-90.1", "36.85E", "36:61N", "36.5:30N", "-36N", "1:2:3:4", "nan",
            "inf",
        ] {
            assert!(parse_latitude(bad).is_err(), "{bad:?} accepted");
        }
        for bad in ["361", "-181", "76.29N", "x"] {
            assert!(parse_longitude(bad).is_err(), "{bad:?} accepted");
        }
        // A word is not a number, whatever letter it ends in; a number with
        // the other axis' letter is that.
        for (bad, why) in [
            ("garbage", "not a number or degrees-minutes-seconds"),
            ("here", "not a number or degrees-minutes-seconds"),
            ("north", "not a number or degrees-minutes-seconds"),
            ("36.85E", "hemisphere letter E does not fit (use N or S)"),
        ] {
            let message = parse_latitude(bad).unwrap_err().to_string();
            assert!(
                message.contains(&format!("latitude {bad:?}: {why}; expected")),
                "{message}"
            );
        }
    }

    #[test]
    fn positions_as_one_string() {
        let close = |text: &str, lat: f64, lon: f64| {
            let (a, b) = parse_position(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(
                (a - lat).abs() < 1e-9 && (b - lon).abs() < 1e-9,
                "{text}: {a}, {b}"
            );
        };
        close("36.85N 76.29W", 36.85, -76.29);
        close("36.85, -76.29", 36.85, -76.29);
        close("-33.87 151.21", -33.87, 151.21);
        close("36°51'30\"N 76°17'24\"W", 36.858_333_333_333_33, -76.29);
        close("36 51.5 N 76 17.4 W", 36.0 + 51.5 / 60.0, -76.29);
        close("36d51m30sS 76d17m24sE", -36.858_333_333_333_33, 76.29);
        close("S33.9 E151.2", -33.9, 151.2);
        for bad in ["", "36.85", "north pole", "95N 10E", "10N 400E", "10 20 30"] {
            assert!(parse_position(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn altitudes_with_units() {
        assert_eq!(parse_altitude_km("12").unwrap(), 12.0);
        assert_eq!(parse_altitude_km("300m").unwrap(), 0.3);
        assert_eq!(parse_altitude_km("1.5 km").unwrap(), 1.5);
        assert!((parse_altitude_km("1000ft").unwrap() - 0.3048).abs() < 1e-12);
        assert!(parse_altitude_km("12 parsecs").is_err());
        assert!(parse_altitude_km("high").is_err());
    }
}
