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
    /// Years between the dates of a range (default 1).
    #[arg(long, requires = "from")]
    pub step: Option<f64>,
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
    // An altitude no position can have is the user's mistake: say so now.
    magvar_core::Position::geodetic(0.0, 0.0, altitude_km).map_err(usage)?;
    let dates = match (&args.from, &args.to) {
        (Some(from), Some(to)) => {
            let (from, to) = (
                parse_date(from).map_err(usage)?,
                parse_date(to).map_err(usage)?,
            );
            crate::options::date_range(from, to, args.step.unwrap_or(1.0), 100_000)?
        }
        _ => vec![parse_date(args.date.as_deref().unwrap_or("today")).map_err(usage)?],
    };
    let policy = DatePolicy::extrapolating(args.extrapolate);
    let mut rows = Vec::with_capacity(dates.len());
    for &year in &dates {
        let model = choice.model_for(year);
        if let Some(warning) = model.check_date(year, policy).map_err(model_error)? {
            eprintln!("magvar: warning: {warning}");
        }
        // Each date's search starts from the date before's poles.
        let poles = model
            .poles_near(year, altitude_km, rows.last())
            .map_err(|e| CliError::Failed(e.to_string()))?;
        rows.push(poles);
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
            serde_json::to_string(&magvar_core::poles::pole_collection(&rows))
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
    for (name, _) in rows[0].named() {
        let _ = write!(out, ",{name}_latitude_deg,{name}_longitude_deg");
    }
    out.push_str(",dipole_moment_am2\n");
    for p in rows {
        let _ = write!(out, "{},{},{}", p.date, p.model, p.altitude_km);
        for (_, position) in p.named() {
            let _ = write!(out, ",{},{}", position.latitude_deg, position.longitude_deg);
        }
        let _ = writeln!(out, ",{:e}", p.dipole_moment_am2);
    }
    out
}
