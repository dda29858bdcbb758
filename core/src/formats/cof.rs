//! NOAA `.COF` files: the WMM single-epoch form and geomag 7.0's
//! multi-epoch form.

use super::{GEOMAGNETIC_REFERENCE_RADIUS_KM, degree_order, number, parse_error};
use crate::coefficients::GaussCoefficients;
use crate::error::ModelError;
use crate::model::ModelDefinition;

/// One coefficient row: n, m, g, h, ġ, ḣ.
struct Row {
    n: usize,
    m: usize,
    values: [f64; 4],
}

fn parse_row(line: &str, source: &str, line_no: usize) -> Result<Row, ModelError> {
    let mut tokens = line.split_whitespace();
    let (n, m) = degree_order(tokens.next(), tokens.next(), source, line_no)?;
    if m < 0 {
        return Err(parse_error(source, line_no, "negative order in a .COF row"));
    }
    let mut values = [0.0; 4];
    for (value, what) in
        values
            .iter_mut()
            .zip(["g", "h", "g secular variation", "h secular variation"])
    {
        *value = number(tokens.next(), what, source, line_no)?;
    }
    Ok(Row {
        n,
        m: m as usize,
        values,
    })
}

/// Fills main and SV tables from rows, growing to the largest degree seen.
fn tables_from_rows(rows: &[Row]) -> (GaussCoefficients, GaussCoefficients) {
    let degree = rows.iter().map(|r| r.n).max().unwrap_or(0);
    let mut main = GaussCoefficients::zeros(degree);
    let mut sv = GaussCoefficients::zeros(degree);
    for row in rows {
        let [g, h, g_dot, h_dot] = row.values;
        main.set_g(row.n, row.m, g);
        main.set_h(row.n, row.m, h);
        sv.set_g(row.n, row.m, g_dot);
        sv.set_h(row.n, row.m, h_dot);
    }
    (main, sv)
}

/// WMM `.COF`: header `epoch name date`, rows `n m g h ġ ḣ`, ended by a
/// line of nines. Valid five years from the epoch; WMM's stated altitude
/// range is −1 to 850 km.
pub(super) fn parse_wmm(text: &str, source: &str) -> Result<ModelDefinition, ModelError> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let (header_no, header) = lines
        .by_ref()
        .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .ok_or_else(|| parse_error(source, 1, "empty file"))?;
    let mut header_tokens = header.split_whitespace();
    let epoch = number(header_tokens.next(), "epoch", source, header_no)?;
    let name = header_tokens
        .next()
        .map(|raw| raw.replace('-', ""))
        .ok_or_else(|| parse_error(source, header_no, "missing model name"))?;
    let mut rows = Vec::new();
    for (line_no, line) in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with("9999") {
            break;
        }
        rows.push(parse_row(trimmed, source, line_no)?);
    }
    if rows.is_empty() {
        return Err(parse_error(
            source,
            header_no,
            "no coefficient rows after the header",
        ));
    }
    let (main, sv) = tables_from_rows(&rows);
    Ok(ModelDefinition {
        name,
        source: source.to_string(),
        reference_radius_km: GEOMAGNETIC_REFERENCE_RADIUS_KM,
        epochs: vec![(epoch, main)],
        final_secular_variation: sv,
        valid_years: (epoch, epoch + 5.0),
        altitude_range_km: Some((-1.0, 850.0)),
    })
}

/// geomag 7.0 `.COF`: per epoch a header
/// `name epoch max1 max2 max3 yrmin yrmax altmin altmax`, then rows. The
/// secular-variation columns are used from the last epoch only, as
/// geomag 7.0 does; earlier epochs are interpolated.
pub(super) fn parse_geomag(
    text: &str,
    source: &str,
    fallback_name: &str,
) -> Result<ModelDefinition, ModelError> {
    struct Block {
        epoch: f64,
        valid: (f64, f64),
        altitude: (f64, f64),
        rows: Vec<Row>,
        header_line: usize,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let first = trimmed.split_whitespace().next().unwrap_or_default();
        if first.parse::<f64>().is_err() {
            let mut tokens = trimmed.split_whitespace().skip(1);
            let mut next = |what: &str| number(tokens.next(), what, source, line_no);
            let epoch = next("epoch")?;
            let _main_degree = next("main-field degree")?;
            let _sv_degree = next("secular-variation degree")?;
            let _acceleration_degree = next("third degree")?;
            let valid = (next("first valid year")?, next("last valid year")?);
            let altitude = (next("minimum altitude")?, next("maximum altitude")?);
            blocks.push(Block {
                epoch,
                valid,
                altitude,
                rows: Vec::new(),
                header_line: line_no,
            });
        } else {
            let block = blocks.last_mut().ok_or_else(|| {
                parse_error(source, line_no, "coefficient row before any epoch header")
            })?;
            block.rows.push(parse_row(trimmed, source, line_no)?);
        }
    }
    let last = blocks
        .last()
        .ok_or_else(|| parse_error(source, 1, "no epoch header"))?;
    let mut epochs = Vec::with_capacity(blocks.len());
    for block in &blocks {
        if block.rows.is_empty() {
            return Err(parse_error(
                source,
                block.header_line,
                "epoch without coefficient rows",
            ));
        }
        epochs.push((block.epoch, tables_from_rows(&block.rows).0));
    }
    let (_, final_sv) = tables_from_rows(&last.rows);
    let altitude_range = blocks
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), b| {
            (lo.min(b.altitude.0), hi.max(b.altitude.1))
        });
    Ok(ModelDefinition {
        name: fallback_name.to_string(),
        source: source.to_string(),
        reference_radius_km: GEOMAGNETIC_REFERENCE_RADIUS_KM,
        epochs,
        final_secular_variation: final_sv,
        valid_years: (blocks[0].valid.0, last.valid.1),
        altitude_range_km: Some(altitude_range),
    })
}
