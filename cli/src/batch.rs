//! `magvar batch`: many points, streamed in chunks, computed in parallel,
//! written in input order. A bad row is reported and the rest go on.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use clap::{Args, ValueEnum};
use magvar_core::geomag_format::{self, GEOMAG_HEADER};
use magvar_core::{
    DatePolicy, Evaluator, FieldReport, ModelChoice, Position, parse_altitude_with_default,
    parse_date, parse_latitude, parse_longitude,
};
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
struct Settings {
    choice: ModelChoice,
    policy: DatePolicy,
    default_year: f64,
    default_altitude_km: f64,
    altitude_unit: magvar_core::AltitudeUnit,
    /// Only geomag output needs the 1-year-later evaluation.
    geomag_output: bool,
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
    let reader: Box<dyn Read> =
        if args.input == "-" {
            Box::new(std::io::stdin().lock())
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
        InputFormat::Csv => run_csv(reader, &input_name, &settings, &mut sink, &progress)?,
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
fn detect_format(reader: &mut BufReader<Box<dyn Read>>) -> Result<InputFormat, String> {
    let buffer = reader.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8_lossy(buffer);
    let first = text
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
struct RowResult {
    line: u64,
    input_fields: Vec<String>,
    outcome: Result<FieldReport, String>,
    /// geomag output: the five input tokens and the line itself.
    geomag: Option<Result<String, String>>,
}

fn run_geomag(
    reader: BufReader<Box<dyn Read>>,
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

/// Column roles found in a CSV header.
struct CsvColumns {
    latitude: usize,
    longitude: usize,
    altitude: Option<(usize, bool)>,
    date: Option<usize>,
}

impl CsvColumns {
    fn from_header(header: &csv::StringRecord, input_name: &str) -> Result<Self, CliError> {
        let find = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
        };
        let missing = |what: &str| {
            CliError::Usage(format!(
                "{input_name}: the CSV header has no {what} column (found: {}); expected lat/latitude and lon/longitude, optional alt/alt_km/altitude and date",
                header.iter().collect::<Vec<_>>().join(", ")
            ))
        };
        Ok(CsvColumns {
            latitude: find(&["lat", "latitude"]).ok_or_else(|| missing("latitude"))?,
            longitude: find(&["lon", "long", "longitude"]).ok_or_else(|| missing("longitude"))?,
            altitude: find(&["alt_km"])
                .map(|i| (i, true))
                .or_else(|| find(&["alt", "altitude"]).map(|i| (i, false))),
            date: find(&["date"]),
        })
    }
}

fn run_csv(
    reader: BufReader<Box<dyn Read>>,
    input_name: &str,
    settings: &Settings,
    sink: &mut Sink,
    progress: &Progress,
) -> Result<usize, CliError> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(reader);
    let header = csv_reader
        .headers()
        .map_err(|e| CliError::Usage(format!("{input_name}: cannot read the CSV header: {e}")))?
        .clone();
    let columns = CsvColumns::from_header(&header, input_name)?;
    sink.begin(header.iter().map(str::to_string).collect())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    let mut failures = 0;
    let mut chunk: Vec<(u64, Result<csv::StringRecord, String>)> = Vec::with_capacity(CHUNK_ROWS);
    let mut records = csv_reader.into_records();
    loop {
        let next = records.next();
        let done = next.is_none();
        if let Some(record) = next {
            match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    chunk.push((line, Ok(record)));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    chunk.push((line, Err(format!("unreadable CSV row: {e}"))));
                }
            }
        }
        if chunk.len() == CHUNK_ROWS || (done && !chunk.is_empty()) {
            let results = csv_chunk(settings, &columns, &chunk);
            failures += sink.write_rows(&results, input_name)?;
            progress.advance(results.len());
            chunk.clear();
        }
        if done {
            return Ok(failures);
        }
    }
}

/// A chunk of CSV records: fields parsed in parallel, rows grouped by
/// date so that each group goes through the lane kernel at once (a track
/// or a survey usually has one date, or a few), then reassembled in order.
fn csv_chunk(
    settings: &Settings,
    columns: &CsvColumns,
    chunk: &[(u64, Result<csv::StringRecord, String>)],
) -> Vec<RowResult> {
    let parsed: Vec<Result<(Position, f64), String>> = chunk
        .par_iter()
        .map(|(_, record)| match record {
            Ok(record) => parse_csv_point(settings, columns, record),
            Err(message) => Err(message.clone()),
        })
        .collect();
    let mut by_year: Vec<(u64, Vec<usize>)> = Vec::new();
    for (index, point) in parsed.iter().enumerate() {
        if let Ok((_, year)) = point {
            let key = year.to_bits();
            match by_year.iter_mut().find(|(k, _)| *k == key) {
                Some((_, rows)) => rows.push(index),
                None => by_year.push((key, vec![index])),
            }
        }
    }
    let mut outcomes: Vec<Option<Result<FieldReport, String>>> = vec![None; chunk.len()];
    for (key, rows) in by_year {
        let year = f64::from_bits(key);
        let model = settings.choice.model_for(year);
        let positions: Vec<Position> = rows
            .iter()
            .filter_map(|&i| parsed[i].as_ref().ok().map(|(p, _)| *p))
            .collect();
        let reports: Vec<Result<FieldReport, String>> = positions
            .par_chunks(512)
            .map_init(
                || Evaluator::new(model),
                |evaluator, group| match evaluator.reports_many(group, year, settings.policy) {
                    Ok(reports) => reports.into_iter().map(Ok).collect(),
                    Err(error) => vec![Err(error.to_string()); group.len()],
                },
            )
            .flatten()
            .collect();
        for (index, report) in rows.into_iter().zip(reports) {
            outcomes[index] = Some(report);
        }
    }
    chunk
        .iter()
        .zip(parsed)
        .zip(outcomes)
        .map(|(((line, record), point), outcome)| {
            let outcome = match (point, outcome) {
                (Err(message), _) => Err(message),
                (Ok(_), Some(outcome)) => outcome,
                (Ok(_), None) => Err("internal error: row not evaluated".to_string()),
            };
            let geomag = settings
                .geomag_output
                .then(|| geomag_line(settings, &outcome));
            RowResult {
                line: *line,
                input_fields: record
                    .as_ref()
                    .map(|r| r.iter().map(str::to_string).collect())
                    .unwrap_or_default(),
                outcome,
                geomag,
            }
        })
        .collect()
}

/// A CSV row's position and date, or why it has none.
fn parse_csv_point(
    settings: &Settings,
    columns: &CsvColumns,
    record: &csv::StringRecord,
) -> Result<(Position, f64), String> {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let latitude = parse_latitude(field(columns.latitude)).map_err(|e| e.to_string())?;
    let longitude = parse_longitude(field(columns.longitude)).map_err(|e| e.to_string())?;
    let altitude_km = match columns.altitude {
        Some((i, _)) if field(i).is_empty() => settings.default_altitude_km,
        Some((i, true)) => {
            parse_altitude_with_default(field(i), magvar_core::AltitudeUnit::Kilometres)
                .map_err(|e| e.to_string())?
        }
        Some((i, false)) => parse_altitude_with_default(field(i), settings.altitude_unit)
            .map_err(|e| e.to_string())?,
        None => settings.default_altitude_km,
    };
    let year = match columns.date {
        Some(i) if !field(i).is_empty() => parse_date(field(i)).map_err(|e| e.to_string())?,
        _ => settings.default_year,
    };
    let position =
        Position::geodetic(latitude, longitude, altitude_km).map_err(|e| e.to_string())?;
    Ok((position, year))
}

/// geomag 7.0's line for a CSV row (geomag output of CSV input).
fn geomag_line(
    settings: &Settings,
    outcome: &Result<FieldReport, String>,
) -> Result<String, String> {
    let report = outcome.as_ref().map_err(Clone::clone)?;
    let tokens = vec![
        format!("{}", report.date),
        "D".to_string(),
        format!("K{}", report.altitude_km),
        format!("{}", report.latitude_deg),
        format!("{}", report.longitude_deg),
    ];
    let row = geomag_format::GeomagRow {
        tokens: tokens.clone(),
        year: report.date,
        position: Position::geodetic(
            report.latitude_deg,
            report.longitude_deg,
            report.altitude_km,
        )
        .map_err(|e| e.to_string())?,
    };
    geomag_format::evaluate(&settings.choice, &row, settings.policy)
        .map(|(now, next)| geomag_format::format_line(&tokens, &now.elements, &next))
        .map_err(|e| e.to_string())
}

/// Writes records in the chosen format.
struct Sink {
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
    fn begin(&mut self, input_header: Vec<String>) -> std::io::Result<()> {
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
            .map(|row| render_row(format, header, row))
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

    fn finish(mut self) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.flush()
    }
}

/// One output record as text, newline included.
fn render_row(format: OutputFormat, header: Option<&[String]>, row: &RowResult) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    // Writing into a Vec cannot fail.
    let _ = match format {
        OutputFormat::Geomag => match &row.geomag {
            Some(Ok(line)) => writeln!(out, "{line}"),
            _ => {
                let message = row
                    .outcome
                    .as_ref()
                    .err()
                    .cloned()
                    .or_else(|| row.geomag.clone().and_then(Result::err))
                    .unwrap_or_default();
                writeln!(out, "{} ERROR: {message}", row.input_fields.join(" "))
            }
        },
        OutputFormat::Csv => {
            let width = header.map_or(row.input_fields.len(), <[String]>::len);
            for i in 0..width {
                write_csv_field(
                    &mut out,
                    row.input_fields.get(i).map_or("", String::as_str),
                    i == 0,
                );
            }
            write_output_values(&mut out, &row.outcome, width == 0);
            out.push(b'\n');
            Ok(())
        }
        OutputFormat::Jsonl => writeln!(out, "{}", json_record(header, row)),
    };
    out
}

/// The output keys' values as CSV fields (empty where undefined or failed).
fn write_output_values(out: &mut Vec<u8>, outcome: &Result<FieldReport, String>, first: bool) {
    let mut numbers = ryu::Buffer::new();
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
            for value in [
                report.date,
                report.latitude_deg,
                report.longitude_deg,
                report.altitude_km,
            ] {
                number(out, Some(value));
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
            let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
            write_csv_field(out, &warnings.join("; "), false);
            out.push(b',');
        }
    }
}

/// One CSV field, quoted where it must be, preceded by a comma unless first.
fn write_csv_field(out: &mut Vec<u8>, field: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    if field.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

/// One JSON object: the input fields (renamed `input_<name>` where a name
/// collides with an output key), then the output keys and `error`.
fn json_record(header: Option<&[String]>, row: &RowResult) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let geomag_names = ["date", "coord", "altitude", "latitude", "longitude"].map(String::from);
    let names: &[String] = header.unwrap_or(&geomag_names);
    for (name, value) in names.iter().zip(&row.input_fields) {
        let key = if OUTPUT_KEYS.contains(&name.as_str()) {
            format!("input_{name}")
        } else {
            name.clone()
        };
        object.insert(key, serde_json::Value::String(value.clone()));
    }
    match &row.outcome {
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
            object.insert("error".into(), serde_json::Value::String(message.clone()));
        }
    }
    serde_json::Value::Object(object)
}

/// A row counter on stderr, drawn only when stderr is a terminal.
struct Progress(Option<indicatif::ProgressBar>);

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

    fn advance(&self, rows: usize) {
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
