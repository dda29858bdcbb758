//! A position typed in one box, e.g. `36.85N 76.29W`, `36°51'N, 76°17'W`
//! or `36.85 -76.29`: split into its latitude and longitude, each read by
//! magvar-core's parsers (the CLI's formats).

use magvar_core::{parse_latitude, parse_longitude};

/// (latitude, longitude) in degrees, or a message saying what to type.
pub fn parse_position(text: &str) -> Result<(f64, f64), String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type a position, e.g. 36.85N 76.29W".to_string());
    }
    if let Some((lat, lon)) = text.split_once([',', ';']) {
        let latitude = parse_latitude(lat).map_err(|e| e.to_string())?;
        let longitude = parse_longitude(lon).map_err(|e| e.to_string())?;
        return Ok((latitude, longitude));
    }
    // Without a comma, try every space between words as the divide and
    // accept the one way that reads as a latitude and a longitude
    // (`36 51 N 76 17 W` splits only after the N).
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
        [] if words.len() < 2 => Err(format!(
            "{text:?} is one number; type a latitude and a longitude, e.g. 36.85N 76.29W"
        )),
        [] => Err(format!(
            "{text:?} is not a latitude and longitude; try e.g. 36.85N 76.29W or 36°51'N, 76°17'W"
        )),
        _ => Err(format!(
            "{text:?} can be read in more than one way; put a comma between latitude and longitude"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: (f64, f64), expected: (f64, f64)) -> bool {
        (actual.0 - expected.0).abs() < 1e-9 && (actual.1 - expected.1).abs() < 1e-9
    }

    #[test]
    fn the_cli_formats_are_read() {
        for (text, expected) in [
            ("36.85N 76.29W", (36.85, -76.29)),
            ("36.85 -76.29", (36.85, -76.29)),
            ("36.85, -76.29", (36.85, -76.29)),
            ("36°51'N 76°17.4'W", (36.85, -76.29)),
            ("36 51 N 76 17.4 W", (36.85, -76.29)),
            ("S33.9 E151.2", (-33.9, 151.2)),
        ] {
            let actual = parse_position(text).unwrap();
            assert!(close(actual, expected), "{text}: {actual:?}");
        }
    }

    #[test]
    fn bad_input_is_a_message_not_a_panic() {
        for text in [
            "",
            "36.85",
            "north pole",
            "95N 10W",
            "10N 200E 3",
            "36.85N 76.29W 12",
        ] {
            let message = parse_position(text).unwrap_err();
            assert!(!message.is_empty(), "{text}");
        }
        assert!(
            parse_position("10 20 30")
                .unwrap_err()
                .contains("more than one way")
        );
    }
}
