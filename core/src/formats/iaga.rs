//! IAGA coefficient tables (`igrfNNcoeffs.txt`): rows `g|h n m v…`, one
//! column per epoch, the last column the secular variation over the
//! final five years (headed e.g. `2025-30`).

use super::{GEOMAGNETIC_REFERENCE_RADIUS_KM, degree_order, number, parse_error};
use crate::coefficients::GaussCoefficients;
use crate::error::ModelError;
use crate::model::ModelDefinition;

pub(super) fn parse(
    text: &str,
    source: &str,
    fallback_name: &str,
) -> Result<ModelDefinition, ModelError> {
    let mut epochs_years: Option<Vec<f64>> = None;
    let mut valid_until = None;
    let mut name = None;
    let mut rows: Vec<(usize, char, usize, usize, Vec<f64>)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            name = name.or_else(|| generation_name(comment));
            continue;
        }
        let mut tokens = trimmed.split_whitespace();
        match tokens.next() {
            None | Some("c/s") => continue,
            Some("g/h") => {
                tokens.next(); // n
                tokens.next(); // m
                let columns: Vec<&str> = tokens.collect();
                let (sv_column, epoch_columns) = columns.split_last().ok_or_else(|| {
                    parse_error(source, line_no, "no epoch columns in the g/h header")
                })?;
                let years = epoch_columns
                    .iter()
                    .map(|t| number(Some(t), "epoch year", source, line_no))
                    .collect::<Result<Vec<_>, _>>()?;
                let last = *years.last().ok_or_else(|| {
                    parse_error(source, line_no, "no epoch columns in the g/h header")
                })?;
                valid_until = Some(sv_end_year(sv_column, last, source, line_no)?);
                epochs_years = Some(years);
            }
            Some(kind @ ("g" | "h")) => {
                let (n, m) = degree_order(tokens.next(), tokens.next(), source, line_no)?;
                let values = tokens
                    .map(|t| number(Some(t), "coefficient", source, line_no))
                    .collect::<Result<Vec<_>, _>>()?;
                rows.push((
                    line_no,
                    kind.chars().next().unwrap_or('g'),
                    n,
                    m.max(0) as usize,
                    values,
                ));
            }
            Some(other) => {
                return Err(parse_error(
                    source,
                    line_no,
                    format!("expected a g or h row, found {other:?}"),
                ));
            }
        }
    }
    let years = epochs_years.ok_or_else(|| parse_error(source, 1, "no \"g/h n m\" header line"))?;
    let degree = rows.iter().map(|r| r.2).max().unwrap_or(0);
    if degree == 0 {
        return Err(parse_error(source, 1, "no coefficient rows"));
    }
    let mut tables = vec![GaussCoefficients::zeros(degree); years.len() + 1];
    for (line_no, kind, n, m, values) in rows {
        if values.len() != years.len() + 1 {
            return Err(parse_error(
                source,
                line_no,
                format!(
                    "{} values, expected {} epochs and one secular variation",
                    values.len(),
                    years.len()
                ),
            ));
        }
        for (table, value) in tables.iter_mut().zip(values) {
            if kind == 'g' {
                table.set_g(n, m, value);
            } else {
                table.set_h(n, m, value);
            }
        }
    }
    let final_secular_variation = tables.pop().expect("one table per column");
    let epochs: Vec<(f64, GaussCoefficients)> = years.iter().copied().zip(tables).collect();
    Ok(ModelDefinition {
        name: name.unwrap_or_else(|| fallback_name.to_string()),
        source: source.to_string(),
        reference_radius_km: GEOMAGNETIC_REFERENCE_RADIUS_KM,
        valid_years: (
            years[0],
            valid_until.unwrap_or(years[years.len() - 1] + 5.0),
        ),
        epochs,
        final_secular_variation,
        // NOAA distributes IGRF with a stated range of −1 to 600 km.
        altitude_range_km: Some((-1.0, 600.0)),
    })
}

/// "IGRF-14" from a comment "14th Generation International Geomagnetic
/// Reference Field …".
fn generation_name(comment: &str) -> Option<String> {
    let text = comment.trim();
    let position = text.find("Generation International Geomagnetic Reference Field")?;
    let ordinal = text[..position].trim();
    let digits: String = ordinal.chars().take_while(|c| c.is_ascii_digit()).collect();
    (!digits.is_empty()).then(|| format!("IGRF-{digits}"))
}

/// The end year of the secular-variation column header `2025-30` (or
/// `2025-2030`).
fn sv_end_year(
    header: &str,
    last_epoch: f64,
    source: &str,
    line_no: usize,
) -> Result<f64, ModelError> {
    let Some((_, end)) = header.split_once('-') else {
        return Ok(last_epoch + 5.0);
    };
    let end: f64 = end.parse().map_err(|_| {
        parse_error(
            source,
            line_no,
            format!("secular-variation column {header:?}"),
        )
    })?;
    Ok(if end < 100.0 {
        (last_epoch / 100.0).floor() * 100.0 + end
    } else {
        end
    })
}
