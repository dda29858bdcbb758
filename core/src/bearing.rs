//! True, magnetic and grid bearings: the conversion every navigator does
//! by hand. A magnetic bearing is the true bearing less the declination
//! (east positive), a grid bearing the true bearing less the grid's
//! meridian convergence ([`crate::grid_north`]).
//!
//! ```
//! use magvar_core::bearing::{BearingConversion, North, parse_bearing};
//! use magvar_core::grid_north::{GridChoice, grid_north};
//!
//! let bearing = parse_bearing("045T")?;
//! let grid = grid_north(36.85, -76.29, GridChoice::Auto)?;
//! // Norfolk: variation 10°48'W.
//! let all = BearingConversion::new(bearing, -10.8046, Some(grid))?;
//! assert!((all.magnetic_deg - 55.8046).abs() < 1e-9);
//! assert!((all.grid_deg.unwrap() - 45.7737).abs() < 1e-4);
//! # Ok::<(), magvar_core::InputError>(())
//! ```

use crate::elements::normalize_degrees;
use crate::error::InputError;
use crate::grid_north::GridNorth;
use crate::notation::format_degrees_minutes_compact;

/// The north a bearing is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum North {
    /// Geographic (true) north: `T`.
    True,
    /// Magnetic north, where a compass points: `M`.
    Magnetic,
    /// Grid north of a map grid: `G`.
    Grid,
}

impl North {
    /// `T`, `M` or `G`.
    pub fn letter(self) -> char {
        match self {
            North::True => 'T',
            North::Magnetic => 'M',
            North::Grid => 'G',
        }
    }
}

/// A bearing, degrees clockwise from `north`, in [0, 360).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bearing {
    pub degrees: f64,
    pub north: North,
}

/// Parses a bearing with its reference letter: `045T`, `56.5M`, `312G`,
/// `045°30'T`, `45d30mM`, `045 30 T` (the letter first works too: `T045`).
pub fn parse_bearing(input: &str) -> Result<Bearing, InputError> {
    let error = |reason: &str| InputError::Bearing {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let text = input.trim();
    let letter_of = |c: char| match c.to_ascii_uppercase() {
        'T' => Some(North::True),
        'M' => Some(North::Magnetic),
        'G' => Some(North::Grid),
        _ => None,
    };
    // A final lower-case m after a degree mark (`45d30m`) is the minutes
    // mark, not magnetic: the reference is then missing.
    let minutes_mark =
        text.ends_with('m') && text.contains(['d', 'D', '°']) && !text.contains(['\'', '′']);
    let last = text.chars().last().filter(|_| !minutes_mark);
    let first = text.chars().next();
    let (number, north) = if let Some(north) = last.and_then(letter_of) {
        (&text[..text.len() - 1], north)
    } else if let Some(north) = first.and_then(letter_of) {
        (&text[1..], north)
    } else {
        return Err(error("no reference letter"));
    };
    let number = number.trim();
    if number.is_empty() {
        return Err(error("no degrees"));
    }
    let parts: Vec<&str> = number
        .split(|c: char| {
            matches!(c, '°' | 'º' | '\'' | '′' | ':' | 'd' | 'D' | 'm') || c.is_whitespace()
        })
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 2 {
        return Err(error("not degrees or degrees and minutes"));
    }
    let mut values = Vec::with_capacity(2);
    for part in &parts {
        let value: f64 = part
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| error(&format!("{part:?} is not a non-negative number")))?;
        values.push(value);
    }
    if let Some(&minutes) = values.get(1)
        && (!(0.0..60.0).contains(&minutes) || values[0].fract() != 0.0)
    {
        return Err(error("minutes must be 0..60 after whole degrees"));
    }
    let degrees = values[0] + values.get(1).copied().unwrap_or(0.0) / 60.0;
    if degrees > 360.0 {
        return Err(error("more than 360°"));
    }
    Ok(Bearing {
        degrees: bearing_range(degrees),
        north,
    })
}

/// An angle in [0, 360).
pub fn bearing_range(degrees: f64) -> f64 {
    let folded = degrees.rem_euclid(360.0);
    // rem_euclid of a tiny negative number can round to 360 itself.
    if folded >= 360.0 { 0.0 } else { folded }
}

/// One bearing in all three references, and the angles between the norths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BearingConversion {
    pub true_deg: f64,
    pub magnetic_deg: f64,
    /// `None` without a grid.
    pub grid_deg: Option<f64>,
    /// Declination D: magnetic north from true north, east positive.
    pub declination_deg: f64,
    /// Meridian convergence: grid north from true north, east positive.
    pub grid_convergence_deg: Option<f64>,
    /// The "G-M angle" of topographic maps: magnetic north from grid
    /// north, east positive (D − γ).
    pub grid_magnetic_angle_deg: Option<f64>,
}

impl BearingConversion {
    /// `bearing` in every reference, with the declination there (degrees,
    /// east positive) and the grid's north (if any). A grid bearing needs
    /// a grid.
    pub fn new(
        bearing: Bearing,
        declination_deg: f64,
        grid: Option<GridNorth>,
    ) -> Result<Self, InputError> {
        let convergence = grid.map(|g| g.convergence_deg);
        let true_deg = match (bearing.north, convergence) {
            (North::True, _) => bearing.degrees,
            (North::Magnetic, _) => bearing.degrees + declination_deg,
            (North::Grid, Some(gamma)) => bearing.degrees + gamma,
            (North::Grid, None) => {
                return Err(InputError::MapGrid {
                    reason: "a grid bearing (G) needs a map grid (UTM or UPS)".into(),
                });
            }
        };
        // The bearing given stays exactly as given, not a round trip
        // through true north (56.5M must not come back as 56.50000000000001).
        let given = |north: North, computed: f64| {
            if bearing.north == north {
                bearing.degrees
            } else {
                bearing_range(computed)
            }
        };
        Ok(BearingConversion {
            true_deg: given(North::True, true_deg),
            magnetic_deg: given(North::Magnetic, true_deg - declination_deg),
            grid_deg: convergence.map(|gamma| given(North::Grid, true_deg - gamma)),
            declination_deg,
            grid_convergence_deg: convergence,
            grid_magnetic_angle_deg: convergence
                .map(|gamma| normalize_degrees(declination_deg - gamma)),
        })
    }
}

impl BearingConversion {
    /// The conversion on one line, bearings to the tenth of a degree in
    /// [0, 360) (359.96 reads 000.0):
    /// `045.0°T = 055.8°M = 045.8°G   (VAR 10°48'W, UTM 18N convergence 0°46'W)`.
    pub fn summary(&self, grid: Option<&GridNorth>) -> String {
        let compact = |angle: f64| format_degrees_minutes_compact(angle, 'E', 'W');
        let tenth = |degrees: f64| {
            let rounded = (degrees * 10.0).round() / 10.0;
            format!(
                "{:05.1}",
                if rounded >= 360.0 {
                    rounded - 360.0
                } else {
                    rounded
                }
            )
        };
        let mut line = format!(
            "{}°T = {}°M",
            tenth(self.true_deg),
            tenth(self.magnetic_deg)
        );
        if let Some(grid_deg) = self.grid_deg {
            line.push_str(&format!(" = {}°G", tenth(grid_deg)));
        }
        line.push_str(&format!("   (VAR {}", compact(self.declination_deg)));
        if let (Some(grid), Some(gamma)) = (grid, self.grid_convergence_deg) {
            line.push_str(&format!(", {} convergence {}", grid.system, compact(gamma)));
        }
        line.push(')');
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid_north::{GridChoice, grid_north};

    #[test]
    fn bearings_in_every_written_form() {
        let parse = |text: &str| parse_bearing(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            parse("045T"),
            Bearing {
                degrees: 45.0,
                north: North::True
            }
        );
        assert_eq!(
            parse("56.5M"),
            Bearing {
                degrees: 56.5,
                north: North::Magnetic
            }
        );
        assert_eq!(
            parse("312G"),
            Bearing {
                degrees: 312.0,
                north: North::Grid
            }
        );
        assert_eq!(parse("045°30'T").degrees, 45.5);
        assert_eq!(
            parse("45d30mM"),
            Bearing {
                degrees: 45.5,
                north: North::Magnetic
            }
        );
        assert_eq!(parse("045 30 t").degrees, 45.5);
        assert_eq!(parse("T045").north, North::True);
        assert_eq!(parse("360T").degrees, 0.0);
        assert_eq!(
            parse("0m"),
            Bearing {
                degrees: 0.0,
                north: North::Magnetic
            }
        );
    }

    #[test]
    fn bad_bearings_say_what_is_expected() {
        for (text, why) in [
            ("045", "no reference letter"),
            ("45d30m", "no reference letter"),
            ("T", "no degrees"),
            ("abcT", "not a non-negative number"),
            ("-5T", "not a non-negative number"),
            ("361T", "more than 360°"),
            ("45.5°30'T", "minutes must be 0..60 after whole degrees"),
            ("45°75'T", "minutes must be 0..60"),
        ] {
            let message = parse_bearing(text).unwrap_err().to_string();
            assert!(
                message.contains(why)
                    && message.contains("expected degrees with T (true), M (magnetic) or G (grid)"),
                "{text}: {message}"
            );
        }
    }

    #[test]
    fn the_issue_example_at_norfolk() {
        // 045.0°T = 055.8°M = 045.8°G (VAR 10°48'W, UTM 18N convergence 0°46'W).
        let grid = grid_north(36.85, -76.29, GridChoice::Auto).unwrap();
        let all =
            BearingConversion::new(parse_bearing("045T").unwrap(), -10.8046, Some(grid)).unwrap();
        assert_eq!(format!("{:05.1}", all.magnetic_deg), "055.8");
        assert_eq!(format!("{:05.1}", all.grid_deg.unwrap()), "045.8");
        // G-M angle: magnetic north 10.03° west of grid north.
        assert!((all.grid_magnetic_angle_deg.unwrap() - (-10.8046 + 0.773726)).abs() < 1e-5);
        // Every reference gives back the same three bearings.
        for (text, degrees) in [("M", all.magnetic_deg), ("G", all.grid_deg.unwrap())] {
            let again = BearingConversion::new(
                parse_bearing(&format!("{degrees}{text}")).unwrap(),
                -10.8046,
                Some(grid),
            )
            .unwrap();
            assert!((again.true_deg - 45.0).abs() < 1e-9, "{text}");
        }
        // Across north: 355°T with 10°E of variation is 345°M; 5°M is 15°T.
        let east = BearingConversion::new(parse_bearing("355T").unwrap(), 10.0, None).unwrap();
        assert_eq!(east.magnetic_deg, 345.0);
        assert_eq!(east.grid_deg, None);
        let wrap = BearingConversion::new(parse_bearing("5M").unwrap(), 10.0, None).unwrap();
        assert_eq!(wrap.true_deg, 15.0);
        let west = BearingConversion::new(parse_bearing("355M").unwrap(), 10.0, None).unwrap();
        assert_eq!(west.true_deg, 5.0);
        assert!(BearingConversion::new(parse_bearing("10G").unwrap(), 1.0, None).is_err());
    }
}
