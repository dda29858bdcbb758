//! `magvar bearing BEARING POSITION`: one bearing as true, magnetic and
//! grid, with the declination and the grid convergence between them.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use crate::options::ModelOptions;
use clap::{Args, ValueEnum};
use magvar_core::bearing::{BearingConversion, parse_bearing};
use magvar_core::grid_north::{GridChoice, GridNorth, grid_north};
use magvar_core::{
    FieldReport, Position, Quantity, format_degrees_minutes_compact, parse_date, parse_position,
};
use serde_json::json;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GridOption {
    /// UTM from 80°S to 84°N, UPS poleward.
    Auto,
    Utm,
    Ups,
    /// No grid bearing.
    None,
}

#[derive(Debug, Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "BEARING is degrees with its north: T (true), M (magnetic) or G (grid), e.g. 045T, 56.5M, 312G, 045°30'T. POSITION is a latitude and longitude in any form `magvar at` takes, as one argument or two.\n\nmagnetic = true − declination (east positive); grid = true − convergence (grid north's bearing from true north, UTM or UPS on WGS-84).\n\nExamples:\n  magvar bearing 045T 36.85N 76.29W\n  magvar bearing 312G \"51°28'N 0°00'W\" --format json\n  magvar bearing 56.5M 78.2N 15.6E --grid ups"
)]
pub struct BearingArgs {
    /// The bearing with its north: 045T, 56.5M, 312G, 045°30'T.
    pub bearing: String,
    /// The position: `36.85N 76.29W`, `36.85, -76.29`, or latitude and longitude as two arguments.
    #[arg(required = true, num_args = 1..=2)]
    pub position: Vec<String>,
    /// Date: decimal year, ISO date, date-time with zone, @unix-seconds or today.
    #[arg(long, default_value = "today")]
    pub date: String,
    #[command(flatten)]
    pub options: ModelOptions,
    /// The map grid for grid bearings.
    #[arg(long, value_enum, default_value = "auto")]
    pub grid: GridOption,
    #[arg(long, value_parser = ["text", "json"])]
    pub format: Option<String>,
}

pub fn run(args: BearingArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let bearing = parse_bearing(&args.bearing).map_err(usage)?;
    let (latitude, longitude) = parse_position(&args.position.join(" ")).map_err(usage)?;
    let year = parse_date(&args.date).map_err(usage)?;
    let altitude_km = args.options.altitude_km(config)?;
    let reference = args.options.height.reference(config);
    let position =
        Position::geodetic_above(latitude, longitude, altitude_km, reference).map_err(usage)?;
    let report = args
        .options
        .choice(config)?
        .model_for(year)
        .field(&position, year, args.options.policy())
        .map_err(model_error)?;
    // Core's message says what is wrong; the flag that fixes it is ours.
    let grid_error = |e: magvar_core::InputError| {
        CliError::Usage(format!("{e} (--grid auto picks UTM or UPS by latitude)"))
    };
    let choice = match args.grid {
        GridOption::None => None,
        GridOption::Auto => Some(GridChoice::Auto),
        GridOption::Utm => Some(GridChoice::Utm),
        GridOption::Ups => Some(GridChoice::Ups),
    };
    let grid = choice
        .map(|choice| grid_north(latitude, longitude, choice))
        .transpose()
        .map_err(grid_error)?;
    let conversion = BearingConversion::new(bearing, report.elements.declination_deg, grid)
        .map_err(grid_error)?;
    if crate::options::text_or_json(args.format.as_deref(), config) == "json" {
        let value = bearing_json(&conversion, grid.as_ref(), &report);
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| CliError::Failed(e.to_string()))?
        );
    } else {
        print!("{}", bearing_text(&conversion, grid.as_ref(), &report));
    }
    Ok(ExitCode::SUCCESS)
}

/// `045.0°T = 055.8°M = 045.8°G   (VAR 10°48'W, UTM 18N convergence 0°46'W)`,
/// then the magnetic bearing's uncertainty and the G-M angle.
fn bearing_text(c: &BearingConversion, grid: Option<&GridNorth>, report: &FieldReport) -> String {
    let mut line = c.summary(grid);
    line.push('\n');
    match report.get(Quantity::DeclinationUncertainty) {
        Some(sigma) => line.push_str(&format!(
            "Magnetic bearing uncertainty ±{sigma:.2}° (1σ, {})\n",
            report.model
        )),
        None => line.push_str(&format!(
            "Magnetic bearing uncertainty: none published for {}\n",
            report.model
        )),
    }
    if let Some(angle) = c.grid_magnetic_angle_deg {
        line.push_str(&format!(
            "G-M angle {} (magnetic north from grid north)\n",
            format_degrees_minutes_compact(angle, 'E', 'W')
        ));
    }
    for warning in &report.warnings {
        line.push_str(&format!("warning: {warning}\n"));
    }
    line
}

fn bearing_json(
    c: &BearingConversion,
    grid: Option<&GridNorth>,
    report: &FieldReport,
) -> serde_json::Value {
    json!({
        "true_deg": c.true_deg,
        "magnetic_deg": c.magnetic_deg,
        "grid_deg": c.grid_deg,
        "declination_deg": c.declination_deg,
        "grid_convergence_deg": c.grid_convergence_deg,
        "grid": grid.map(|g| g.system.to_string()),
        "grid_magnetic_angle_deg": c.grid_magnetic_angle_deg,
        "magnetic_uncertainty_deg": report.get(Quantity::DeclinationUncertainty),
        "model": report.model,
        "date": report.date,
        "latitude_deg": report.latitude_deg,
        "longitude_deg": report.longitude_deg,
        "warnings": report.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}
