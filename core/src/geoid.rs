//! Heights above mean sea level, as pilots, hikers and surveyors know
//! them: the EGM96 geoid's height above the WGS-84 ellipsoid, from the
//! 15-minute grid and bilinear interpolation of NOAA's WMM software
//! (`geomaglib`'s `util.alt_to_ellipsoid_height`, the C library's
//! `MAG_ConvertGeoidToEllipsoidHeight`), so an altitude above sea level
//! gives the same ellipsoidal height as NOAA's calculators.
//!
//! ```
//! use magvar_core::geoid::geoid_height_m;
//!
//! // At Norfolk, Virginia mean sea level lies 38.5 m below the ellipsoid.
//! let n = geoid_height_m(36.85, -76.29);
//! assert!((-38.6..-38.4).contains(&n));
//! ```

use std::sync::OnceLock;

/// Posts per row (0°E to 360°E every 15') and rows (90°N to 90°S).
const COLUMNS: usize = 1441;
const ROWS: usize = 721;
/// Posts per degree.
const POSTS_PER_DEGREE: f64 = 4.0;

/// The grid in millimetres, each row's first height (i32) then the steps
/// to the next (i16), little-endian: made by `cargo xtask coeffs` from
/// `data/geomaglib-1.2.4/geoid.py`.
static GRID: &[u8] = include_bytes!("builtin/egm96_15min.bin");

/// The grid's heights in millimetres, decoded on first use.
fn heights_mm() -> &'static [i32] {
    static HEIGHTS: OnceLock<Vec<i32>> = OnceLock::new();
    HEIGHTS.get_or_init(|| {
        let row_bytes = 4 + 2 * (COLUMNS - 1);
        assert_eq!(GRID.len(), ROWS * row_bytes, "the generated geoid grid");
        let mut heights = Vec::with_capacity(COLUMNS * ROWS);
        for row in GRID.chunks_exact(row_bytes) {
            let (first, steps) = row.split_at(4);
            let mut height = i32::from_le_bytes(first.try_into().expect("four bytes"));
            heights.push(height);
            for step in steps.chunks_exact(2) {
                height += i32::from(i16::from_le_bytes([step[0], step[1]]));
                heights.push(height);
            }
        }
        heights
    })
}

/// The geoid's height above the WGS-84 ellipsoid at a geodetic latitude
/// and longitude (degrees), m: what to add to a height above mean sea
/// level to get the height above the ellipsoid.
///
/// # Panics
/// If the latitude is outside −90..=90 or the longitude outside
/// −180..=360 (a [`Position`](crate::Position) is always inside).
pub fn geoid_height_m(latitude_deg: f64, longitude_deg: f64) -> f64 {
    assert!(
        (-90.0..=90.0).contains(&latitude_deg) && (-180.0..=360.0).contains(&longitude_deg),
        "geoid height asked at {latitude_deg}, {longitude_deg}"
    );
    let heights = heights_mm();
    // As NOAA's code does it: posts counted east from 0° and south from
    // 90°N, the last row and column interpolated from the one before.
    let x = if longitude_deg < 0.0 {
        (longitude_deg + 360.0) * POSTS_PER_DEGREE
    } else {
        longitude_deg * POSTS_PER_DEGREE
    };
    let y = (90.0 - latitude_deg) * POSTS_PER_DEGREE;
    let post = |offset: f64, count: usize| {
        let post = offset.floor() as usize;
        if post + 1 >= count { count - 2 } else { post }
    };
    let (column, row) = (post(x, COLUMNS), post(y, ROWS));
    let at = |row: usize, column: usize| f64::from(heights[row * COLUMNS + column]) / 1000.0;
    let (north_west, north_east) = (at(row, column), at(row, column + 1));
    let (south_west, south_east) = (at(row + 1, column), at(row + 1, column + 1));
    let (dx, dy) = (x - column as f64, y - row as f64);
    let north = north_west + dx * (north_east - north_west);
    let south = south_west + dx * (south_east - south_west);
    north + dy * (south - north)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_posts_are_the_published_values() {
        // data/geomaglib-1.2.4/geoid.py: the first post (90°N, 0°E), the
        // first of the equator's row and the last post (90°S).
        assert_eq!(geoid_height_m(90.0, 0.0), 13.606);
        assert_eq!(geoid_height_m(0.0, 0.0), 17.162);
        assert_eq!(geoid_height_m(0.0, 0.25), 17.08);
        assert_eq!(geoid_height_m(-90.0, 180.0), -29.534);
        // 360°E is 0°E; −180° is 180°.
        assert_eq!(geoid_height_m(10.0, 360.0), geoid_height_m(10.0, 0.0));
        assert_eq!(geoid_height_m(10.0, -180.0), geoid_height_m(10.0, 180.0));
    }
}
