//! `magvar contours`: isolines as GeoJSON LineStrings.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::grid::{compute, open_output};
use crate::options::ModelOptions;
use clap::Args;
use magvar_core::Element;
use magvar_core::contours::{self, contour_collection};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(
    after_help = "The output opens as is in QGIS or geojson.io; each line has properties value, element, unit and agonic (the 0° isogonic line).\n\nExamples:\n  magvar contours -o isogonic.geojson\n  magvar contours --element inclination --step 5 --date 1950 --model igrf14\n  magvar contours --element total --step 2000 --bbox -30,20,40,70"
)]
pub struct ContoursArgs {
    /// Interval between lines, in the element's unit (default: 10° for angles, 2000 nT for intensities).
    #[arg(long)]
    pub step: Option<f64>,
    /// Spacing of the grid the lines are traced on, degrees.
    #[arg(long, default_value = "0.5")]
    pub resolution: f64,
    /// Bounding box W,S,E,N in degrees (default: the whole globe).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Date: decimal year, ISO date, date-time with zone (2026-11-25T14:30Z), @unix-seconds or today.
    #[arg(long, default_value = "today")]
    pub date: String,
    #[command(flatten)]
    pub options: ModelOptions,
    /// declination (isogonic), inclination (isoclinic), total/horizontal/north/east/down (isodynamic), grid_variation.
    #[arg(long, default_value = "declination")]
    pub element: Element,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

pub fn run(args: ContoursArgs, config: &Config) -> CliResult {
    let step = args
        .step
        .unwrap_or_else(|| contours::default_interval(args.element));
    if !(step > 0.0 && step.is_finite()) {
        return Err(CliError::Usage(format!(
            "--step {step}: expected a positive interval"
        )));
    }
    let (grid, model, year) = compute(
        args.element,
        args.bbox.as_deref(),
        args.resolution,
        &args.date,
        &args.options,
        config,
    )?;
    let collection = contour_collection(&grid, args.element, step, &model, year)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let mut out = open_output(args.output.as_ref())?;
    serde_json::to_writer(&mut out, &collection)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    Ok(ExitCode::SUCCESS)
}

use std::io::Write;
