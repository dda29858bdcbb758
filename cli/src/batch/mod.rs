//! `magvar batch`: many points, streamed in blocks, computed in parallel,
//! written in input order. A bad row is reported and the rest go on.
//!
//! The modules, users above what they use (no two import each other):
//! this one parses the arguments and dispatches; [`csv`] (with
//! [`csv_blocks`] and [`csv_records`]) and [`geomag`] are the two input
//! paths; [`render`] (the output's columns and formats) and [`job`]
//! (settings, progress, how a run ended) serve both.

mod csv;
mod csv_blocks;
mod csv_records;
mod geomag;
mod job;
mod render;

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use clap::{Args, ValueEnum};
use job::{Progress, Settings, Summary};
use magvar_core::geomag_format;
use magvar_core::{DatePolicy, ModelChoice, parse_altitude_with_default, parse_date};
pub use render::OutputFormat;
use render::Sink;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// A header row naming lat and lon (also latitude, longitude, alt, alt_km, altitude, date).
    Csv,
    /// geomag 7.0 batch lines: date D|C K|M|Falt lat lon.
    Geomag,
}

#[derive(Debug, Args)]
#[command(
    after_help = "CSV input needs a header with lat and lon columns (or latitude/longitude); optional alt (unit suffix allowed, bare = km), alt_km, altitude, date. Rows without a date use --date.\n\nThe output has the input's columns, then the keys of `magvar at --format json` and `error`; an input column named like one of those is written as input_<name> (e.g. input_date), so no two columns share a name.\n\nCtrl-C stops reading: the rows in hand are written whole, and the message says how many and the input line to resume from (exit status 130).\n\nExamples:\n  magvar batch track.csv -o out.csv\n  magvar batch points.csv --format jsonl --model igrf14\n  magvar batch sample_coords.txt --input-format geomag --model IGRF13.COF\n  cat points.csv | magvar batch - --date 2027-01-01 > out.csv"
)]
pub struct BatchArgs {
    /// Input file, or - for standard input (the default).
    #[arg(default_value = "-")]
    input: String,
    /// Input format (default: csv when the first line names lat/latitude, else geomag).
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// Output format (default: the input's: csv, or geomag for geomag input).
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// Model: auto (default), igrf14, wmm2025, wmmhr2025, or a coefficient file.
    #[arg(long)]
    model: Option<String>,
    /// Date for rows that give none: decimal year, ISO date, date-time with zone (2026-11-25T14:30Z), @unix-seconds or today; the date column takes the same forms.
    #[arg(long, default_value = "today")]
    date: String,
    /// Altitude for rows that give none (m|km|ft; bare numbers km).
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    alt: String,
    /// Compute outside the model's validity, with a warning, instead of failing the row.
    #[arg(long)]
    extrapolate: bool,
    #[command(flatten)]
    height: crate::options::HeightOptions,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

pub fn run(args: BatchArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let mut settings = Settings {
        choice: ModelChoice::parse(config.model_or(args.model.as_deref())).map_err(model_error)?,
        policy: DatePolicy::extrapolating(args.extrapolate),
        default_year: parse_date(&args.date).map_err(usage)?,
        default_altitude_km: parse_altitude_with_default(&args.alt, config.altitude_unit())
            .map_err(usage)?,
        altitude_unit: config.altitude_unit(),
        height_reference: args.height.reference(config),
        geomag_output: false,
    };
    let input_name = if args.input == "-" {
        "<stdin>".to_string()
    } else {
        args.input.clone()
    };
    let reader: Box<dyn Read + Send> =
        if args.input == "-" {
            Box::new(std::io::stdin())
        } else {
            Box::new(std::fs::File::open(&args.input).map_err(|e| {
                CliError::Usage(format!("cannot read input file {}: {e}", args.input))
            })?)
        };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let input_format = match args.input_format {
        Some(format) => format,
        None => {
            detect_format(&mut reader).map_err(|e| CliError::Usage(format!("{input_name}: {e}")))?
        }
    };
    let config_format = config
        .format
        .as_deref()
        .and_then(|f| OutputFormat::from_str(f, true).ok());
    if input_format == InputFormat::Geomag && args.height.msl {
        return Err(CliError::Usage(format!(
            "{input_name}: --msl applies to CSV input; geomag 7.0 lines give their own altitude (K, M or F above the ellipsoid, or C for a radius)"
        )));
    }
    let output_format = args.format.or(config_format).unwrap_or(match input_format {
        InputFormat::Csv => OutputFormat::Csv,
        InputFormat::Geomag => OutputFormat::Geomag,
    });
    settings.geomag_output = output_format == OutputFormat::Geomag;
    let writer: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| {
            CliError::Usage(format!("cannot write output file {}: {e}", path.display()))
        })?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut sink = Sink::new(BufWriter::with_capacity(1 << 16, writer), output_format);
    let progress = Progress::new();
    crate::interrupt::install("batch");
    let summary = match input_format {
        InputFormat::Geomag => geomag::run(reader, &input_name, &settings, &mut sink, &progress)?,
        InputFormat::Csv => csv::run(reader, &input_name, settings, &mut sink, &progress)?,
    };
    sink.finish()
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    progress.finish();
    finish(&summary, &input_name, args.output.as_deref())
}

/// The exit status, and the last words on stderr: failed rows, or how far
/// an interrupted run got.
fn finish(summary: &Summary, input_name: &str, output: Option<&std::path::Path>) -> CliResult {
    if summary.failures > 0 {
        eprintln!(
            "magvar: {} row(s) of {input_name} failed; see the messages above",
            summary.failures
        );
    }
    if let Some(line) = summary.interrupted_at_line {
        let to = output.map_or("standard output".to_string(), |p| p.display().to_string());
        return Err(CliError::Interrupted(format!(
            "{} row(s) written to {to}, each whole; {input_name} was read up to line {}: resume from input line {line}",
            summary.rows,
            line.saturating_sub(1)
        )));
    }
    Ok(if summary.failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// CSV when the first meaningful line is a header naming lat/latitude.
fn detect_format(reader: &mut BufReader<Box<dyn Read + Send>>) -> Result<InputFormat, String> {
    let buffer = reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8_lossy(buffer);
    // A byte-order mark (spreadsheets write one) is not part of the text.
    let first = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .lines()
        .find(|l| !geomag_format::is_blank_or_comment(l))
        .unwrap_or("");
    let names_latitude = first.split(',').any(|field| {
        matches!(
            field.trim().trim_matches('"').to_ascii_lowercase().as_str(),
            "lat" | "latitude"
        )
    });
    Ok(if names_latitude {
        InputFormat::Csv
    } else {
        InputFormat::Geomag
    })
}
