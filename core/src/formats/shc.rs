//! `.shc` files: a header `N_min N_max N_times spline_order steps start
//! end`, a line of times, then rows `n m v…` (negative m for h). Only
//! piecewise-linear models (spline order 1 or 2, as IGRF uses) are read.

use super::{GEOMAGNETIC_REFERENCE_RADIUS_KM, degree_order, number, parse_error};
use crate::coefficients::GaussCoefficients;
use crate::error::ModelError;
use crate::model::ModelDefinition;

pub(super) fn parse(
    text: &str,
    source: &str,
    fallback_name: &str,
) -> Result<ModelDefinition, ModelError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (header_no, header) = lines
        .next()
        .ok_or_else(|| parse_error(source, 1, "empty file"))?;
    let mut h = header.split_whitespace();
    let mut next = |what: &str| number(h.next(), what, source, header_no);
    let _n_min = next("minimum degree")?;
    let n_max = next("maximum degree")?;
    let n_times = next("number of times")?;
    let spline_order = next("spline order")?;
    let _steps = next("steps")?;
    let valid = (next("start year")?, next("end year")?);
    if spline_order > 2.0 {
        return Err(parse_error(
            source,
            header_no,
            format!("spline order {spline_order}: only piecewise-linear models are supported"),
        ));
    }
    let (times_no, times_line) = lines
        .next()
        .ok_or_else(|| parse_error(source, header_no, "missing line of times"))?;
    let times = times_line
        .split_whitespace()
        .map(|t| number(Some(t), "time", source, times_no))
        .collect::<Result<Vec<_>, _>>()?;
    if times.len() != n_times as usize || times.is_empty() {
        return Err(parse_error(
            source,
            times_no,
            format!("{} times, header says {n_times}", times.len()),
        ));
    }
    let degree = n_max as usize;
    let mut tables = vec![GaussCoefficients::zeros(degree); times.len()];
    for (line_no, line) in lines {
        let mut tokens = line.split_whitespace();
        let (n, m) = degree_order(tokens.next(), tokens.next(), source, line_no)?;
        if n > degree {
            return Err(parse_error(
                source,
                line_no,
                format!("degree {n} exceeds the header's {degree}"),
            ));
        }
        let values = tokens
            .map(|t| number(Some(t), "coefficient", source, line_no))
            .collect::<Result<Vec<_>, _>>()?;
        if values.len() != times.len() {
            return Err(parse_error(
                source,
                line_no,
                format!("{} values, expected {}", values.len(), times.len()),
            ));
        }
        for (table, value) in tables.iter_mut().zip(values) {
            if m >= 0 {
                table.set_g(n, m as usize, value);
            } else {
                table.set_h(n, (-m) as usize, value);
            }
        }
    }
    // After the last time, carry on with the last interval's rate.
    let final_secular_variation = match times.len() {
        1 => GaussCoefficients::zeros(degree),
        len => tables[len - 2].rate_to(&tables[len - 1], times[len - 1] - times[len - 2]),
    };
    Ok(ModelDefinition {
        name: fallback_name.to_string(),
        source: source.to_string(),
        reference_radius_km: GEOMAGNETIC_REFERENCE_RADIUS_KM,
        epochs: times.into_iter().zip(tables).collect(),
        final_secular_variation,
        valid_years: valid,
        altitude_range_km: Some((-1.0, 600.0)),
    })
}
