//! The seven magnetic elements, grid variation, and their rates of change,
//! derived from a field vector and its secular variation.

use crate::quantity::Quantity;
use crate::synthesis::FieldVector;
use serde::Serialize;

/// Latitude (degrees, absolute) from which grid variation is defined, as in
/// NOAA's WMM software.
pub const GRID_VARIATION_MIN_LATITUDE_DEG: f64 = 55.0;

/// All field elements at a point and instant, with their rates of change
/// (the time derivative, per year). Each field is a [`Quantity`]; the
/// table there gives its key, unit and description, and its JSON form.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MagneticElements {
    /// Declination D, degrees east of true north.
    pub declination_deg: f64,
    /// Inclination I, degrees below horizontal.
    pub inclination_deg: f64,
    /// Horizontal intensity H, nT.
    pub horizontal_nt: f64,
    /// North component X, nT.
    pub north_nt: f64,
    /// East component Y, nT.
    pub east_nt: f64,
    /// Down component Z, nT.
    pub down_nt: f64,
    /// Total intensity F, nT.
    pub total_nt: f64,
    /// Grid variation GV, degrees (declination relative to grid north of a
    /// polar stereographic chart); `None` where |latitude| < 55°.
    pub grid_variation_deg: Option<f64>,
    pub declination_deg_per_year: f64,
    pub inclination_deg_per_year: f64,
    pub horizontal_nt_per_year: f64,
    pub north_nt_per_year: f64,
    pub east_nt_per_year: f64,
    pub down_nt_per_year: f64,
    pub total_nt_per_year: f64,
}

/// Which element of [`MagneticElements`] — for grids, contours and charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Element {
    Declination,
    Inclination,
    Horizontal,
    North,
    East,
    Down,
    Total,
    GridVariation,
}

impl Element {
    pub const ALL: [Element; 8] = [
        Element::Declination,
        Element::Inclination,
        Element::Horizontal,
        Element::North,
        Element::East,
        Element::Down,
        Element::Total,
        Element::GridVariation,
    ];

    /// The element's name as the CLI spells it (`declination`, …).
    pub fn name(self) -> &'static str {
        match self {
            Element::Declination => "declination",
            Element::Inclination => "inclination",
            Element::Horizontal => "horizontal",
            Element::North => "north",
            Element::East => "east",
            Element::Down => "down",
            Element::Total => "total",
            Element::GridVariation => "grid_variation",
        }
    }

    /// Unit of the element's value: "deg" or "nT".
    pub fn unit(self) -> &'static str {
        match self {
            Element::Declination | Element::Inclination | Element::GridVariation => "deg",
            _ => "nT",
        }
    }
}

impl std::str::FromStr for Element {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Element::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Element::ALL.iter().map(|e| e.name()).collect();
                format!(
                    "unknown element {s:?}: expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl MagneticElements {
    /// Elements from the field (nT) and secular variation (nT/yr) in the
    /// frame of the requested coordinates, at geodetic (or geocentric)
    /// latitude and longitude in degrees (for grid variation).
    pub fn from_vectors(
        field: FieldVector,
        rate: FieldVector,
        latitude_deg: f64,
        longitude_deg: f64,
    ) -> Self {
        let FieldVector {
            north: x,
            east: y,
            down: z,
        } = field;
        let FieldVector {
            north: dx,
            east: dy,
            down: dz,
        } = rate;
        let h2 = x * x + y * y;
        let h = h2.sqrt();
        let f2 = h2 + z * z;
        let f = f2.sqrt();
        let declination = y.atan2(x).to_degrees();
        let inclination = z.atan2(h).to_degrees();
        // Derivatives of the definitions, not 1-year differences. Where H
        // or F vanish the direction is undefined; report zero change
        // rather than NaN. A NaN field stays NaN, as on the lane path.
        let dh = if h == 0.0 { 0.0 } else { (x * dx + y * dy) / h };
        let df = if f == 0.0 {
            0.0
        } else {
            (x * dx + y * dy + z * dz) / f
        };
        let dd = if h2 == 0.0 {
            0.0
        } else {
            (x * dy - y * dx) / h2
        };
        let di = if f2 == 0.0 {
            0.0
        } else {
            (h * dz - z * dh) / f2
        };
        MagneticElements {
            declination_deg: declination,
            inclination_deg: inclination,
            horizontal_nt: h,
            north_nt: x,
            east_nt: y,
            down_nt: z,
            total_nt: f,
            grid_variation_deg: grid_variation(declination, latitude_deg, longitude_deg),
            declination_deg_per_year: dd.to_degrees(),
            inclination_deg_per_year: di.to_degrees(),
            horizontal_nt_per_year: dh,
            north_nt_per_year: dx,
            east_nt_per_year: dy,
            down_nt_per_year: dz,
            total_nt_per_year: df,
        }
    }

    /// The value of one element; `None` only for undefined grid variation.
    pub fn get(&self, element: Element) -> Option<f64> {
        Quantity::value_of(element).get(self)
    }
}

/// Grid variation: declination referred to grid north of a polar
/// stereographic grid, GV = D − λ in the north and D + λ in the south,
/// folded into (−180°, 180°]; `None` where undefined (equatorward of 55°,
/// or a NaN declination), as a grid's NaN says.
pub fn grid_variation(declination_deg: f64, latitude_deg: f64, longitude_deg: f64) -> Option<f64> {
    let raw = if latitude_deg >= GRID_VARIATION_MIN_LATITUDE_DEG {
        declination_deg - longitude_deg
    } else if latitude_deg <= -GRID_VARIATION_MIN_LATITUDE_DEG {
        declination_deg + longitude_deg
    } else {
        return None;
    };
    Some(normalize_degrees(raw)).filter(|gv| !gv.is_nan())
}

/// An angle folded into (−180°, 180°].
pub fn normalize_degrees(angle: f64) -> f64 {
    let a = angle.rem_euclid(360.0);
    if a > 180.0 { a - 360.0 } else { a }
}
