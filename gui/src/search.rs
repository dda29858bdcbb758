//! A position typed in one box, e.g. `36.85N 76.29W`, `36°51'N, 76°17'W`
//! or `36.85 -76.29`: split into its latitude and longitude, each read by
//! magvar-core's parsers (the CLI's formats).

/// (latitude, longitude) in degrees, or a message saying what to type.
/// The reading itself is magvar-core's, so the box accepts exactly what the
/// CLI does.
pub fn parse_position(text: &str) -> Result<(f64, f64), String> {
    if text.trim().is_empty() {
        return Err("type a position, e.g. 36.85N 76.29W".to_string());
    }
    magvar_core::parse_position(text).map_err(|e| e.to_string())
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
