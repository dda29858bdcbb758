//! `magvar batch`: many points, streamed in chunks, computed in parallel,
//! written in input order. A bad row is reported and the rest go on.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use clap::{Args, ValueEnum};
use magvar_core::geomag_format::{self, GEOMAG_HEADER};
use magvar_core::{DatePolicy, FieldReport, ModelChoice, parse_altitude_with_default, parse_date};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Rows per parallel chunk: large enough to keep both cores busy, small
/// enough that memory stays constant however long the input.
const CHUNK_ROWS: usize = 8192;

/// The keys each output record carries after the input fields.
const OUTPUT_KEYS: [&str; 23] = [
    "model",
    "date",
    "latitude_deg",
    "longitude_deg",
    "altitude_km",
    "coordinates",
    "declination_deg",
    "inclination_deg",
    "horizontal_nt",
    "north_nt",
    "east_nt",
    "down_nt",
    "total_nt",
    "grid_variation_deg",
    "declination_deg_per_year",
    "inclination_deg_per_year",
    "horizontal_nt_per_year",
    "north_nt_per_year",
    "east_nt_per_year",
    "down_nt_per_year",
    "total_nt_per_year",
    "warnings",
    "error",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// A header row naming lat and lon (also latitude, longitude, alt, alt_km, altitude, date).
    Csv,
    /// geomag 7.0 batch lines: date D|C K|M|Falt lat lon.
    Geomag,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Jsonl,
    /// geomag 7.0's columns and rounding (annual change as a 1-year difference).
    Geomag,
}

#[derive(Debug, Args)]
#[command(
    after_help = "CSV input needs a header with lat and lon columns (or latitude/longitude); optional alt (unit suffix allowed, bare = km), alt_km, altitude, date. Rows without a date use --date.\n\nExamples:\n  magvar batch track.csv -o out.csv\n  magvar batch points.csv --format jsonl --model igrf14\n  magvar batch sample_coords.txt --input-format geomag --model IGRF13.COF\n  cat points.csv | magvar batch - --date 2027-01-01 > out.csv"
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
    /// Date for rows that give none: decimal year, ISO date or today.
    #[arg(long, default_value = "today")]
    date: String,
    /// Altitude for rows that give none (m|km|ft; bare numbers km).
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    alt: String,
    /// Compute outside the model's validity, with a warning, instead of failing the row.
    #[arg(long)]
    extrapolate: bool,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// What every row needs besides its own fields.
pub(crate) struct Settings {
    pub choice: ModelChoice,
    pub policy: DatePolicy,
    pub default_year: f64,
    pub default_altitude_km: f64,
    pub altitude_unit: magvar_core::AltitudeUnit,
    /// Only geomag output needs the 1-year-later evaluation.
    pub geomag_output: bool,
}

pub fn run(args: BatchArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let mut settings = Settings {
        choice: ModelChoice::parse(config.model_or(args.model.as_deref())).map_err(model_error)?,
        policy: if args.extrapolate {
            DatePolicy::Extrapolate
        } else {
            DatePolicy::Strict
        },
        default_year: parse_date(&args.date).map_err(usage)?,
        default_altitude_km: parse_altitude_with_default(&args.alt, config.altitude_unit())
            .map_err(usage)?,
        altitude_unit: config.altitude_unit(),
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
    let failures = match input_format {
        InputFormat::Geomag => run_geomag(reader, &input_name, &settings, &mut sink, &progress)?,
        InputFormat::Csv => {
            crate::batch_csv::run(reader, &input_name, settings, &mut sink, &progress)?
        }
    };
    sink.finish()
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    progress.finish();
    if failures > 0 {
        eprintln!("magvar: {failures} row(s) of {input_name} failed; see the messages above");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
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

/// One computed row, ready to write.
pub(crate) struct RowResult {
    pub line: u64,
    pub input_fields: Vec<String>,
    pub outcome: Result<FieldReport, String>,
    /// geomag output: the five input tokens and the line itself.
    pub geomag: Option<Result<String, String>>,
}

/// What one output record is made of, borrowed: the hot CSV path renders
/// straight from a block's text without owning a row.
pub(crate) struct RowView<'a> {
    pub input_fields: &'a [&'a str],
    /// No input field holds a comma, quote or line end (they were split
    /// from text without any): echoed without looking for them.
    pub plain_fields: bool,
    /// The input text of date, latitude, longitude and altitude where it
    /// is exactly what formatting the report's value would print: echoed
    /// (formatting numbers is most of an output row's cost).
    pub exact_inputs: [Option<&'a str>; 4],
    pub outcome: Result<&'a FieldReport, &'a str>,
    /// geomag output: the line, or why there is none.
    pub geomag: Option<&'a Result<String, String>>,
}

impl RowResult {
    fn render(&self, format: OutputFormat, header: Option<&[String]>, out: &mut Vec<u8>) {
        let fields: Vec<&str> = self.input_fields.iter().map(String::as_str).collect();
        let view = RowView {
            input_fields: &fields,
            plain_fields: false,
            exact_inputs: [None; 4],
            outcome: self.outcome.as_ref().map_err(String::as_str),
            geomag: self.geomag.as_ref(),
        };
        render_row(format, header, &view, out);
    }
}

fn run_geomag(
    reader: BufReader<Box<dyn Read + Send>>,
    input_name: &str,
    settings: &Settings,
    sink: &mut Sink,
    progress: &Progress,
) -> Result<usize, CliError> {
    let mut failures = 0;
    let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK_ROWS);
    let mut lines = reader.lines();
    let mut line_no = 0u64;
    loop {
        let next = lines.next();
        let done = next.is_none();
        if let Some(line) = next {
            line_no += 1;
            let line = line.map_err(|e| {
                CliError::Failed(format!("{input_name}:{line_no}: cannot read: {e}"))
            })?;
            if !geomag_format::is_blank_or_comment(&line) {
                chunk.push((line_no, line));
            }
        }
        if chunk.len() == CHUNK_ROWS || (done && !chunk.is_empty()) {
            let results: Vec<RowResult> = chunk
                .par_iter()
                .map(|(line, text)| geomag_row(settings, *line, text))
                .collect();
            failures += sink.write_rows(&results, input_name)?;
            progress.advance(results.len());
            chunk.clear();
        }
        if done {
            return Ok(failures);
        }
    }
}

fn geomag_row(settings: &Settings, line: u64, text: &str) -> RowResult {
    let tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    let computed = geomag_format::parse_line(text).and_then(|row| {
        geomag_format::evaluate(&settings.choice, &row, settings.policy)
            .map(|(report, next)| {
                // Only geomag output needs the line; csv/jsonl use the report.
                let line = settings
                    .geomag_output
                    .then(|| geomag_format::format_line(&row.tokens, &report.elements, &next));
                (report, line)
            })
            .map_err(|e| e.to_string())
    });
    let (outcome, geomag) = match computed {
        Ok((report, line)) => (Ok(report), line.map(Ok)),
        Err(message) => (Err(message.clone()), Some(Err(message))),
    };
    RowResult {
        line,
        input_fields: tokens,
        outcome,
        geomag,
    }
}

/// Writes records in the chosen format.
pub(crate) struct Sink {
    writer: BufWriter<Box<dyn Write>>,
    format: OutputFormat,
    input_header: Option<Vec<String>>,
    started: bool,
}

impl Sink {
    fn new(writer: BufWriter<Box<dyn Write>>, format: OutputFormat) -> Self {
        Sink {
            writer,
            format,
            input_header: None,
            started: false,
        }
    }

    /// Records the input's column names (CSV input) and writes the header.
    pub(crate) fn begin(&mut self, input_header: Vec<String>) -> std::io::Result<()> {
        self.input_header = Some(input_header);
        self.write_header()
    }

    fn write_header(&mut self) -> std::io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        match self.format {
            OutputFormat::Geomag => writeln!(self.writer, "{GEOMAG_HEADER}"),
            OutputFormat::Csv => {
                let mut fields: Vec<String> = self.input_header.clone().unwrap_or_else(|| {
                    ["date", "coord", "altitude", "latitude", "longitude"]
                        .map(String::from)
                        .to_vec()
                });
                fields.extend(OUTPUT_KEYS.iter().map(|k| k.to_string()));
                let mut line = Vec::new();
                for (i, field) in fields.iter().enumerate() {
                    write_csv_field(&mut line, field, i == 0);
                }
                line.push(b'\n');
                self.writer.write_all(&line)
            }
            OutputFormat::Jsonl => Ok(()),
        }
    }

    /// Writes a chunk; reports failed rows on stderr. Returns how many failed.
    /// Writes a chunk; reports failed rows on stderr. Returns how many
    /// failed. Rows are rendered to text in parallel (number formatting is
    /// most of an output row's cost), then written in order.
    fn write_rows(&mut self, rows: &[RowResult], input_name: &str) -> Result<usize, CliError> {
        let io = |e: std::io::Error| CliError::Failed(format!("cannot write output: {e}"));
        self.write_header().map_err(io)?;
        let (format, header) = (self.format, self.input_header.as_deref());
        let rendered: Vec<Vec<u8>> = rows
            .par_iter()
            .map(|row| {
                let mut text = Vec::with_capacity(320);
                row.render(format, header, &mut text);
                text
            })
            .collect();
        let mut failures = 0;
        for (row, text) in rows.iter().zip(&rendered) {
            if let Err(message) = &row.outcome {
                eprintln!("{input_name}:{}: {message}", row.line);
                failures += 1;
            }
            self.writer.write_all(text).map_err(io)?;
        }
        Ok(failures)
    }

    pub(crate) fn format(&self) -> OutputFormat {
        self.format
    }

    /// Writes rendered records (the header first, if not yet written).
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.write_all(bytes)
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.flush()
    }
}

/// One output record as text, newline included, appended to `out`.
pub(crate) fn render_row(
    format: OutputFormat,
    header: Option<&[String]>,
    row: &RowView,
    out: &mut Vec<u8>,
) {
    // Writing into a Vec cannot fail.
    let _ = match format {
        OutputFormat::Geomag => match row.geomag {
            Some(Ok(line)) => writeln!(out, "{line}"),
            _ => {
                let message = row
                    .outcome
                    .err()
                    .or_else(|| {
                        row.geomag
                            .and_then(|g| g.as_ref().err().map(String::as_str))
                    })
                    .unwrap_or("");
                writeln!(out, "{} ERROR: {message}", row.input_fields.join(" "))
            }
        },
        OutputFormat::Csv => {
            let width = header.map_or(row.input_fields.len(), <[String]>::len);
            for i in 0..width {
                let field = row.input_fields.get(i).unwrap_or(&"");
                if row.plain_fields {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(field.as_bytes());
                } else {
                    write_csv_field(out, field, i == 0);
                }
            }
            write_output_values(out, row.outcome, row.exact_inputs, width == 0);
            out.push(b'\n');
            Ok(())
        }
        OutputFormat::Jsonl => writeln!(out, "{}", json_record(header, row)),
    };
}

/// The output keys' values as CSV fields (empty where undefined or failed).
fn write_output_values(
    out: &mut Vec<u8>,
    outcome: Result<&FieldReport, &str>,
    exact_inputs: [Option<&str>; 4],
    first: bool,
) {
    let mut numbers = zmij::Buffer::new();
    let mut number = |out: &mut Vec<u8>, value: Option<f64>| {
        out.push(b',');
        if let Some(v) = value.filter(|v| v.is_finite()) {
            out.extend_from_slice(numbers.format_finite(v).as_bytes());
        }
    };
    match outcome {
        Err(message) => {
            for i in 0..OUTPUT_KEYS.len() - 1 {
                if i > 0 || !first {
                    out.push(b',');
                }
            }
            write_csv_field(out, message, false);
        }
        Ok(report) => {
            write_csv_field(out, &report.model, first);
            let e = &report.elements;
            let inputs = [
                report.date,
                report.latitude_deg,
                report.longitude_deg,
                report.altitude_km,
            ];
            for (value, text) in inputs.into_iter().zip(exact_inputs) {
                match text {
                    Some(text) => {
                        out.push(b',');
                        out.extend_from_slice(text.as_bytes());
                    }
                    None => number(out, Some(value)),
                }
            }
            out.extend_from_slice(match report.coordinates {
                magvar_core::Coordinates::Geodetic => b",geodetic",
                magvar_core::Coordinates::Geocentric => b",geocentric",
            });
            for value in [
                Some(e.declination_deg),
                Some(e.inclination_deg),
                Some(e.horizontal_nt),
                Some(e.north_nt),
                Some(e.east_nt),
                Some(e.down_nt),
                Some(e.total_nt),
                e.grid_variation_deg,
                Some(e.declination_deg_per_year),
                Some(e.inclination_deg_per_year),
                Some(e.horizontal_nt_per_year),
                Some(e.north_nt_per_year),
                Some(e.east_nt_per_year),
                Some(e.down_nt_per_year),
                Some(e.total_nt_per_year),
            ] {
                number(out, value);
            }
            if report.warnings.is_empty() {
                out.push(b',');
            } else {
                let mut warnings = String::with_capacity(128);
                for (i, warning) in report.warnings.iter().enumerate() {
                    let separator = if i == 0 { "" } else { "; " };
                    let _ = std::fmt::Write::write_fmt(
                        &mut warnings,
                        format_args!("{separator}{warning}"),
                    );
                }
                write_csv_field(out, &warnings, false);
            }
            out.push(b',');
        }
    }
}

/// One CSV field, quoted where it must be, preceded by a comma unless first.
fn write_csv_field(out: &mut Vec<u8>, field: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    if field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// One JSON object: the input fields (renamed `input_<name>` where a name
/// collides with an output key), then the output keys and `error`.
fn json_record(header: Option<&[String]>, row: &RowView) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let geomag_names = ["date", "coord", "altitude", "latitude", "longitude"].map(String::from);
    let names: &[String] = header.unwrap_or(&geomag_names);
    for (name, value) in names.iter().zip(row.input_fields) {
        let key = if OUTPUT_KEYS.contains(&name.as_str()) {
            format!("input_{name}")
        } else {
            name.clone()
        };
        object.insert(key, serde_json::Value::String(value.to_string()));
    }
    match row.outcome {
        Ok(report) => {
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(report) {
                object.extend(fields);
            }
            object.insert("error".into(), serde_json::Value::Null);
        }
        Err(message) => {
            for key in &OUTPUT_KEYS[..OUTPUT_KEYS.len() - 1] {
                object.insert(key.to_string(), serde_json::Value::Null);
            }
            object.insert(
                "error".into(),
                serde_json::Value::String(message.to_string()),
            );
        }
    }
    serde_json::Value::Object(object)
}

/// A row counter on stderr, drawn only when stderr is a terminal.
pub(crate) struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {human_pos} rows  {per_sec}  {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        Progress(Some(bar))
    }

    pub(crate) fn advance(&self, rows: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(rows as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
