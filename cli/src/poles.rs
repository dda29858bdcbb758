//! `magvar poles`: where the magnetic poles are, and how they wander.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use clap::{Args, ValueEnum};
use magvar_core::poles::{PolePosition, Poles};
use magvar_core::{DatePolicy, ModelChoice, parse_altitude_with_default, parse_date};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolesFormat {
    Text,
    Csv,
    Json,
    /// Points for one date; for a range, each pole's track as a LineString
    /// (a MultiLineString where it crosses ±180°).
    Geojson,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Dip poles: where the field is vertical (H = 0 to 0.01 nT), geodetic latitude, at --alt above the ellipsoid. Geomagnetic poles: where the centred dipole's axis meets the sphere (geocentric latitude), with the dipole moment. With --model auto (the default) each date's row says which model gave it.\n\nExamples:\n  magvar poles\n  magvar poles --date 2027-06-01 --format json\n  magvar poles --from 1900 --to 2030 --step 5 --format csv\n  magvar poles --from 1900 --to 2025 --step 1 --model igrf14 --format geojson -o pole-tracks.geojson"
)]
pub struct PolesArgs {
    /// The date (default: today); not with --from.
    #[arg(long, conflicts_with = "from")]
    pub date: Option<String>,
    /// The first date of a range.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// The last date of a range, included.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Years between the dates of a range.
    #[arg(long, default_value = "1")]
    pub step: f64,
    /// Model: auto (default), igrf14, wmm2025, wmmhr2025, or a coefficient file.
    #[arg(long)]
    pub model: Option<String>,
    /// Height of the dip poles above the WGS-84 ellipsoid (m|km|ft; bare numbers km).
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    pub alt: String,
    /// Compute outside the model's validity, with a warning, instead of failing.
    #[arg(long)]
    pub extrapolate: bool,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PolesFormat,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(args: PolesArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let choice = ModelChoice::parse(config.model_or(args.model.as_deref())).map_err(model_error)?;
    let altitude_km =
        parse_altitude_with_default(&args.alt, config.altitude_unit()).map_err(usage)?;
    let dates = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            let (from, to) = (
                parse_date(from).map_err(usage)?,
                parse_date(to).map_err(usage)?,
            );
            if !(args.step > 0.0 && args.step.is_finite()) {
                return Err(CliError::Usage(format!(
                    "--step {}: expected a positive number of years",
                    args.step
                )));
            }
            if to < from {
                return Err(CliError::Usage(format!(
                    "--to {to:.4} is before --from {from:.4}"
                )));
            }
            let count = ((to - from) / args.step + 1e-9).floor() as usize + 1;
            if count > 100_000 {
                return Err(CliError::Usage(format!(
                    "{count} dates: use a larger --step"
                )));
            }
            (0..count).map(|i| from + i as f64 * args.step).collect()
        }
        _ => vec![parse_date(args.date.as_deref().unwrap_or("today")).map_err(usage)?],
    };
    let policy = if args.extrapolate {
        DatePolicy::Extrapolate
    } else {
        DatePolicy::Strict
    };
    let mut rows = Vec::with_capacity(dates.len());
    for &year in &dates {
        let model = choice.model_for(year);
        if let Some(warning) = model.check_date(year, policy).map_err(model_error)? {
            eprintln!("magvar: warning: {warning}");
        }
        rows.push(
            model
                .poles(year, altitude_km)
                .map_err(|e| CliError::Failed(e.to_string()))?,
        );
    }
    let range = args.from.is_some();
    let text = match args.format {
        PolesFormat::Text => text(&rows),
        PolesFormat::Csv => csv(&rows),
        PolesFormat::Json => {
            let value = if range {
                Value::Array(rows.iter().map(poles_json).collect())
            } else {
                poles_json(&rows[0])
            };
            serde_json::to_string_pretty(&value).map_err(|e| CliError::Failed(e.to_string()))?
                + "\n"
        }
        PolesFormat::Geojson => {
            serde_json::to_string(&geojson(&rows, range))
                .map_err(|e| CliError::Failed(e.to_string()))?
                + "\n"
        }
    };
    let mut out = crate::grid::open_output(args.output.as_ref())?;
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

use std::io::Write as _;

fn position_json(p: &PolePosition) -> Value {
    json!({"latitude_deg": p.latitude_deg, "longitude_deg": p.longitude_deg})
}

/// The documented JSON of one date.
fn poles_json(p: &Poles) -> Value {
    json!({
        "model": p.model,
        "date": p.date,
        "altitude_km": p.altitude_km,
        "north_dip": position_json(&p.north_dip),
        "south_dip": position_json(&p.south_dip),
        "north_geomagnetic": position_json(&p.north_geomagnetic),
        "south_geomagnetic": position_json(&p.south_geomagnetic),
        "dipole_moment_am2": p.dipole_moment_am2,
    })
}

/// The four poles of a row, with their names.
fn named(p: &Poles) -> [(&'static str, PolePosition); 4] {
    [
        ("north_dip", p.north_dip),
        ("south_dip", p.south_dip),
        ("north_geomagnetic", p.north_geomagnetic),
        ("south_geomagnetic", p.south_geomagnetic),
    ]
}

fn text(rows: &[Poles]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>10}  {:<10} {:>19} {:>19} {:>19} {:>19} {:>12}",
        "date",
        "model",
        "north dip",
        "south dip",
        "north geomagnetic",
        "south geomagnetic",
        "moment A·m²"
    );
    let place = |p: &PolePosition| format!("{:.2}, {:.2}", p.latitude_deg, p.longitude_deg);
    for p in rows {
        let _ = writeln!(
            out,
            "{:>10.4}  {:<10} {:>19} {:>19} {:>19} {:>19} {:>12.4e}",
            p.date,
            p.model,
            place(&p.north_dip),
            place(&p.south_dip),
            place(&p.north_geomagnetic),
            place(&p.south_geomagnetic),
            p.dipole_moment_am2
        );
    }
    let _ = writeln!(
        out,
        "(latitude, longitude in degrees: dip poles geodetic at {} km, geomagnetic poles geocentric)",
        rows[0].altitude_km
    );
    out
}

fn csv(rows: &[Poles]) -> String {
    let mut out = String::from("date,model,altitude_km");
    for (name, _) in named(&rows[0]) {
        let _ = write!(out, ",{name}_latitude_deg,{name}_longitude_deg");
    }
    out.push_str(",dipole_moment_am2\n");
    for p in rows {
        let _ = write!(out, "{},{},{}", p.date, p.model, p.altitude_km);
        for (_, position) in named(p) {
            let _ = write!(out, ",{},{}", position.latitude_deg, position.longitude_deg);
        }
        let _ = writeln!(out, ",{:e}", p.dipole_moment_am2);
    }
    out
}

/// Points for one date; for a range each pole's track, cut where it
/// crosses ±180° (as RFC 7946 asks), with the models that gave it.
fn geojson(rows: &[Poles], range: bool) -> Value {
    let mut features = Vec::new();
    for (k, (name, _)) in named(&rows[0]).into_iter().enumerate() {
        let track: Vec<PolePosition> = rows.iter().map(|p| named(p)[k].1).collect();
        let mut models: Vec<&str> = rows.iter().map(|p| p.model.as_str()).collect();
        models.dedup();
        let geometry = if range {
            let lines: Vec<Vec<[f64; 2]>> = cut_at_antimeridian(&track);
            if lines.len() == 1 {
                json!({"type": "LineString", "coordinates": lines[0]})
            } else {
                json!({"type": "MultiLineString", "coordinates": lines})
            }
        } else {
            json!({"type": "Point", "coordinates": [track[0].longitude_deg, track[0].latitude_deg]})
        };
        features.push(json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "pole": name,
                "models": models,
                "from": rows[0].date,
                "to": rows[rows.len() - 1].date,
                "dates": rows.iter().map(|p| p.date).collect::<Vec<_>>(),
                "latitude": if name.contains("geomagnetic") { "geocentric" } else { "geodetic" },
            }
        }));
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// The track as lines, split where a step crosses ±180° (the shorter way
/// round), with the crossing point interpolated on both sides.
fn cut_at_antimeridian(track: &[PolePosition]) -> Vec<Vec<[f64; 2]>> {
    let mut lines = vec![Vec::new()];
    for (i, p) in track.iter().enumerate() {
        if i > 0 {
            let previous = track[i - 1];
            let step = p.longitude_deg - previous.longitude_deg;
            if step.abs() > 180.0 {
                // Unwrap the step, find where it meets ±180°.
                let sign = if step > 0.0 { -1.0 } else { 1.0 };
                let unwrapped = p.longitude_deg + sign * 360.0;
                let edge = sign * 180.0;
                let t = (edge - previous.longitude_deg) / (unwrapped - previous.longitude_deg);
                let latitude = previous.latitude_deg + t * (p.latitude_deg - previous.latitude_deg);
                lines.last_mut().expect("a line").push([edge, latitude]);
                lines.push(vec![[-edge, latitude]]);
            }
        }
        lines
            .last_mut()
            .expect("a line")
            .push([p.longitude_deg, p.latitude_deg]);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_are_cut_at_the_antimeridian() {
        let at = |latitude_deg, longitude_deg| PolePosition {
            latitude_deg,
            longitude_deg,
        };
        let lines = cut_at_antimeridian(&[at(80.0, 170.0), at(82.0, -170.0), at(83.0, -160.0)]);
        assert_eq!(
            lines,
            vec![
                vec![[170.0, 80.0], [180.0, 81.0]],
                vec![[-180.0, 81.0], [-170.0, 82.0], [-160.0, 83.0]]
            ]
        );
        let westward = cut_at_antimeridian(&[at(0.0, -175.0), at(2.0, 175.0)]);
        assert_eq!(
            westward,
            vec![
                vec![[-175.0, 0.0], [-180.0, 1.0]],
                vec![[180.0, 1.0], [175.0, 2.0]]
            ]
        );
        assert_eq!(
            cut_at_antimeridian(&[at(1.0, 10.0), at(2.0, 20.0)]).len(),
            1
        );
    }
}
