//! The EGM96 geoid grid that NOAA's WMM software converts heights above
//! mean sea level with, from `data/geomaglib-1.2.4/geoid.py` (NOAA's
//! `geomaglib` 1.2.4, unchanged) into `core/src/builtin/egm96_15min.bin`.
//!
//! The file holds 1441 × 721 heights in metres with three decimals, rows
//! from 90°N to 90°S, columns from 0°E to 360°E every 15'. The binary is
//! whole millimetres, row by row: the row's first height as a
//! little-endian i32, then each next one as an i16 difference to the one
//! before (the largest step between neighbours is 7.5 m): half the size
//! of plain i32 and exact.

use std::path::Path;

pub const DATA_FILE: &str = "data/geomaglib-1.2.4/geoid.py";
pub const OUTPUT: &str = "core/src/builtin/egm96_15min.bin";
const COLUMNS: usize = 1441;
const ROWS: usize = 721;

/// The binary grid from the published file.
pub fn render(root: &Path) -> Result<Vec<u8>, String> {
    let path = root.join(DATA_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let millimetres = heights_mm(&text)?;
    let mut out = Vec::with_capacity(ROWS * (4 + 2 * (COLUMNS - 1)));
    for row in millimetres.chunks_exact(COLUMNS) {
        out.extend_from_slice(&row[0].to_le_bytes());
        for pair in row.windows(2) {
            let step = i16::try_from(pair[1] - pair[0]).map_err(|_| {
                format!(
                    "{DATA_FILE}: a step of {} mm does not fit",
                    pair[1] - pair[0]
                )
            })?;
            out.extend_from_slice(&step.to_le_bytes());
        }
    }
    Ok(out)
}

/// The heights in whole millimetres, checked: the grid's declared shape
/// and scale, and three decimals at most.
fn heights_mm(text: &str) -> Result<Vec<i32>, String> {
    let declared = |key: &str| -> Result<usize, String> {
        let at = text
            .find(&format!("\"{key}\""))
            .ok_or_else(|| format!("{DATA_FILE}: no \"{key}\""))?;
        let rest = text[at..].split_once(':').map(|(_, r)| r).unwrap_or("");
        let number: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        number
            .parse()
            .map_err(|_| format!("{DATA_FILE}: \"{key}\" is not a number"))
    };
    if (
        declared("cols")?,
        declared("rows")?,
        declared("scale_factor")?,
    ) != (COLUMNS, ROWS, 4)
    {
        return Err(format!("{DATA_FILE}: not a 1441 × 721 grid of 15' posts"));
    }
    let start = text
        .find("\"height_buffer\"")
        .and_then(|at| text[at..].find('[').map(|open| at + open + 1))
        .ok_or_else(|| format!("{DATA_FILE}: no height_buffer list"))?;
    let end = start
        + text[start..]
            .find(']')
            .ok_or_else(|| format!("{DATA_FILE}: the height_buffer list is not closed"))?;
    let heights: Vec<i32> = text[start..end]
        .split(',')
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(|token| {
            let metres: f64 = token
                .parse()
                .map_err(|_| format!("{DATA_FILE}: {token:?} is not a number"))?;
            let millimetres = (metres * 1000.0).round();
            // Three decimals exactly: the millimetre value divided by 1000
            // must give back the parsed metres, bit for bit.
            if millimetres / 1000.0 != metres {
                return Err(format!("{DATA_FILE}: {token} has more than three decimals"));
            }
            Ok(millimetres as i32)
        })
        .collect::<Result<_, _>>()?;
    if heights.len() != COLUMNS * ROWS {
        return Err(format!(
            "{DATA_FILE}: {} heights, not {}",
            heights.len(),
            COLUMNS * ROWS
        ));
    }
    Ok(heights)
}
