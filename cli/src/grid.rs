//! `magvar grid`: one element over a latitude/longitude grid.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use crate::options::ModelOptions;
use clap::{Args, ValueEnum};
use magvar_core::{Element, Grid, GridSpec, parse_date};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GridFormat {
    /// latitude,longitude,value rows, north to south.
    Csv,
    /// A GeoJSON FeatureCollection of points with a `value` property.
    Geojson,
    /// Esri ASCII grid, opened as a raster by QGIS, GDAL and ArcGIS.
    Asc,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  magvar grid --step 1 -o declination.csv\n  magvar grid --bbox -10,35,30,60 --step 0.1 --element inclination --format asc -o europe-inclination.asc\n  magvar grid --element total --format geojson --date 2027-06-01"
)]
pub struct GridArgs {
    /// Bounding box W,S,E,N in degrees (default: the whole globe).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Grid spacing, degrees.
    #[arg(long, default_value = "1")]
    pub step: f64,
    /// Date: decimal year, ISO date, date-time with zone (2026-11-25T14:30Z), @unix-seconds or today.
    #[arg(long, default_value = "today")]
    pub date: String,
    #[command(flatten)]
    pub options: ModelOptions,
    /// The element: declination, inclination, horizontal, north, east, down, total, grid_variation.
    #[arg(long, default_value = "declination")]
    pub element: Element,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: GridFormat,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Parses `W,S,E,N`.
pub fn parse_bbox(text: &str, step: f64) -> Result<GridSpec, CliError> {
    let values: Vec<f64> = text
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            CliError::Usage(format!(
                "--bbox {text:?}: expected four numbers W,S,E,N, e.g. -10,35,30,60"
            ))
        })?;
    let [w, s, e, n] = values[..] else {
        return Err(CliError::Usage(format!(
            "--bbox {text:?}: expected four numbers W,S,E,N, e.g. -10,35,30,60"
        )));
    };
    GridSpec::new(w, s, e, n, step).map_err(|e| CliError::Usage(e.to_string()))
}

/// The grid, model and date that `grid` and `contours` share.
pub fn compute(
    element: Element,
    bbox: Option<&str>,
    step: f64,
    date: &str,
    options: &ModelOptions,
    config: &Config,
) -> Result<(Grid, String, f64), CliError> {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let spec = match bbox {
        Some(text) => parse_bbox(text, step)?,
        None => GridSpec::global(step).map_err(usage)?,
    };
    let year = parse_date(date).map_err(usage)?;
    let altitude_km = options.altitude_km(config)?;
    let choice = options.choice(config)?;
    let model = choice.model_for(year);
    if let Some(warning) = model
        .check_date(year, options.policy())
        .map_err(model_error)?
    {
        eprintln!("magvar: warning: {warning}");
    }
    let reference = options.height.reference(config);
    let grid = model
        .grid_of_above(&spec, altitude_km, reference, year, &[element])
        .map_err(usage)?;
    Ok((grid, model.name().to_string(), year))
}

pub fn open_output(path: Option<&PathBuf>) -> Result<Box<dyn Write>, CliError> {
    Ok(match path {
        Some(path) => Box::new(BufWriter::new(std::fs::File::create(path).map_err(
            |e| CliError::Usage(format!("cannot write output file {}: {e}", path.display())),
        )?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

pub fn run(args: GridArgs, config: &Config) -> CliResult {
    let (grid, model, year) = compute(
        args.element,
        args.bbox.as_deref(),
        args.step,
        &args.date,
        &args.options,
        config,
    )?;
    let mut out = open_output(args.output.as_ref())?;
    crate::interrupt::install("grid");
    let rows = write_grid(&mut out, &grid, args.element, args.format, &model, year)
        .and_then(|rows| out.flush().map(|()| rows))
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    let total = grid.latitudes_deg.len();
    if rows < total {
        let to = args
            .output
            .as_ref()
            .map_or("standard output".to_string(), |p| p.display().to_string());
        let spec = &grid.spec;
        let down_to = match rows {
            0 => String::new(),
            _ => format!(
                ", north to south down to latitude {}",
                grid.latitudes_deg[rows - 1]
            ),
        };
        let rest_north = grid.latitudes_deg[rows];
        let note = match args.format {
            GridFormat::Asc => " (its header still says the whole grid's row count)",
            GridFormat::Geojson => " (the collection is closed: a valid file)",
            GridFormat::Csv => "",
        };
        return Err(CliError::Interrupted(format!(
            "{rows} of {total} grid rows written to {to}{note}{down_to}; the rest is --bbox {},{},{},{rest_north}",
            spec.west_deg, spec.south_deg, spec.east_deg
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes the grid row by row (north to south); returns how many rows
/// were written: all of them, unless Ctrl-C stopped it between two.
fn write_grid(
    out: &mut dyn Write,
    grid: &Grid,
    element: Element,
    format: GridFormat,
    model: &str,
    year: f64,
) -> std::io::Result<usize> {
    let rows = grid.latitudes_deg.len();
    // Whole rows only: Ctrl-C is looked at between two.
    let columns = grid.longitudes_deg.len();
    let value = |row: usize, column: usize| grid.value(row, column, element);
    let name = format!("{}_{}", element.name(), element.unit().to_lowercase());
    match format {
        GridFormat::Csv => {
            writeln!(out, "latitude,longitude,{name}")?;
            for (row, lat) in grid.latitudes_deg.iter().enumerate() {
                if crate::interrupt::requested() {
                    return Ok(row);
                }
                for (column, lon) in grid.longitudes_deg.iter().enumerate() {
                    match value(row, column) {
                        Some(v) => writeln!(out, "{lat},{lon},{v:.6}")?,
                        None => writeln!(out, "{lat},{lon},")?,
                    }
                }
            }
        }
        GridFormat::Asc => {
            let spec = &grid.spec;
            writeln!(out, "ncols {columns}")?;
            writeln!(out, "nrows {}", grid.latitudes_deg.len())?;
            writeln!(out, "xllcenter {}", spec.west_deg)?;
            writeln!(
                out,
                "yllcenter {}",
                grid.latitudes_deg.last().copied().unwrap_or(spec.south_deg)
            )?;
            writeln!(out, "cellsize {}", spec.step_deg)?;
            writeln!(out, "NODATA_value -9999")?;
            for row in 0..rows {
                if crate::interrupt::requested() {
                    return Ok(row);
                }
                let line: Vec<String> = (0..columns)
                    .map(|column| {
                        value(row, column).map_or("-9999".to_string(), |v| format!("{v:.4}"))
                    })
                    .collect();
                writeln!(out, "{}", line.join(" "))?;
            }
        }
        GridFormat::Geojson => {
            write!(
                out,
                "{{\"type\":\"FeatureCollection\",\"properties\":{{\"element\":\"{}\",\"unit\":\"{}\",\"model\":\"{model}\",\"date\":{year}}},\"features\":[",
                element.name(),
                element.unit()
            )?;
            let mut first = true;
            for (row, lat) in grid.latitudes_deg.iter().enumerate() {
                if crate::interrupt::requested() {
                    writeln!(out, "]}}")?;
                    return Ok(row);
                }
                for (column, lon) in grid.longitudes_deg.iter().enumerate() {
                    let Some(v) = value(row, column) else {
                        continue;
                    };
                    if !first {
                        write!(out, ",")?;
                    }
                    first = false;
                    write!(
                        out,
                        "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}},\"properties\":{{\"value\":{v:.6}}}}}"
                    )?;
                }
            }
            writeln!(out, "]}}")?;
        }
    }
    Ok(rows)
}
