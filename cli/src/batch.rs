//! `magvar batch`: many points, streamed in chunks, computed in parallel,
//! written in input order. A bad row is reported and the rest go on.

use crate::config::Config;
use crate::error::{CliError, CliResult};
use crate::model_error;
use clap::{Args, ValueEnum};
use magvar_core::geomag_format::{self, GEOMAG_HEADER};
use magvar_core::{
    DatePolicy, Evaluator, FieldReport, MagneticModel, ModelChoice, Position,
    parse_altitude_with_default, parse_date, parse_latitude, parse_longitude,
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
}

pub fn run(args: BatchArgs, config: &Config) -> CliResult {
    let usage = |e: magvar_core::InputError| CliError::Usage(e.to_string());
    let settings = Settings {
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

/// One evaluator per model a chunk meets (auto may switch models by date).
#[derive(Default)]
struct Evaluators<'m>(Vec<Evaluator<'m>>);

impl<'m> Evaluators<'m> {
    fn for_model(&mut self, model: &'m MagneticModel) -> &mut Evaluator<'m> {
        let index = match self.0.iter().position(|e| std::ptr::eq(e.model(), model)) {
            Some(index) => index,
            None => {
                self.0.push(Evaluator::new(model));
                self.0.len() - 1
            }
        };
        &mut self.0[index]
    }
}

fn evaluate<'m>(
    settings: &'m Settings,
    evaluators: &mut Evaluators<'m>,
    position: &Position,
    year: f64,
) -> Result<FieldReport, String> {
    let model = settings.choice.model_for(year);
    evaluators
        .for_model(model)
        .field(position, year, settings.policy)
        .map_err(|e| e.to_string())
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
                let line = geomag_format::format_line(&row.tokens, &report.elements, &next);
                (report, line)
            })
            .map_err(|e| e.to_string())
    });
    let (outcome, geomag) = match computed {
        Ok((report, line)) => (Ok(report), Some(Ok(line))),
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
            let results: Vec<RowResult> = chunk
                .par_iter()
                .map_init(
                    Evaluators::default,
                    |evaluators, (line, record)| match record {
                        Ok(record) => csv_row(settings, evaluators, &columns, *line, record),
                        Err(message) => RowResult {
                            line: *line,
                            input_fields: Vec::new(),
                            outcome: Err(message.clone()),
                            geomag: None,
                        },
                    },
                )
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

fn csv_row<'m>(
    settings: &'m Settings,
    evaluators: &mut Evaluators<'m>,
    columns: &CsvColumns,
    line: u64,
    record: &csv::StringRecord,
) -> RowResult {
    let field = |i: usize| record.get(i).unwrap_or("").trim();
    let outcome = (|| {
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
        evaluate(settings, evaluators, &position, year)
    })();
    let geomag = Some(outcome.as_ref().map_err(Clone::clone).and_then(|report| {
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
    }));
    RowResult {
        line,
        input_fields: record.iter().map(str::to_string).collect(),
        outcome,
        geomag,
    }
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
                write_csv_line(&mut self.writer, &fields)
            }
            OutputFormat::Jsonl => Ok(()),
        }
    }

    /// Writes a chunk; reports failed rows on stderr. Returns how many failed.
    fn write_rows(&mut self, rows: &[RowResult], input_name: &str) -> Result<usize, CliError> {
        let io = |e: std::io::Error| CliError::Failed(format!("cannot write output: {e}"));
        self.write_header().map_err(io)?;
        let mut failures = 0;
        for row in rows {
            if let Err(message) = &row.outcome {
                eprintln!("{input_name}:{}: {message}", row.line);
                failures += 1;
            }
            match self.format {
                OutputFormat::Geomag => match &row.geomag {
                    Some(Ok(line)) => writeln!(self.writer, "{line}"),
                    _ => {
                        let message = row
                            .outcome
                            .as_ref()
                            .err()
                            .cloned()
                            .or_else(|| row.geomag.clone().and_then(Result::err))
                            .unwrap_or_default();
                        writeln!(
                            self.writer,
                            "{} ERROR: {message}",
                            row.input_fields.join(" ")
                        )
                    }
                },
                OutputFormat::Csv => {
                    let mut fields = row.input_fields.clone();
                    if let Some(header) = &self.input_header {
                        fields.resize(header.len(), String::new());
                    }
                    fields.extend(output_values(&row.outcome));
                    write_csv_line(&mut self.writer, &fields)
                }
                OutputFormat::Jsonl => {
                    let object = json_record(self.input_header.as_deref(), row);
                    writeln!(self.writer, "{object}")
                }
            }
            .map_err(io)?;
        }
        Ok(failures)
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.flush()
    }
}

/// The output keys' values as CSV text (empty where undefined or failed).
fn output_values(outcome: &Result<FieldReport, String>) -> Vec<String> {
    match outcome {
        Err(message) => {
            let mut values = vec![String::new(); OUTPUT_KEYS.len() - 1];
            values.push(message.clone());
            values
        }
        Ok(report) => {
            let e = &report.elements;
            let mut values = vec![
                report.model.clone(),
                report.date.to_string(),
                report.latitude_deg.to_string(),
                report.longitude_deg.to_string(),
                report.altitude_km.to_string(),
                match report.coordinates {
                    magvar_core::Coordinates::Geodetic => "geodetic".into(),
                    magvar_core::Coordinates::Geocentric => "geocentric".into(),
                },
            ];
            values.extend(
                [
                    e.declination_deg,
                    e.inclination_deg,
                    e.horizontal_nt,
                    e.north_nt,
                    e.east_nt,
                    e.down_nt,
                    e.total_nt,
                ]
                .map(|v| v.to_string()),
            );
            values.push(
                e.grid_variation_deg
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            );
            values.extend(
                [
                    e.declination_deg_per_year,
                    e.inclination_deg_per_year,
                    e.horizontal_nt_per_year,
                    e.north_nt_per_year,
                    e.east_nt_per_year,
                    e.down_nt_per_year,
                    e.total_nt_per_year,
                ]
                .map(|v| v.to_string()),
            );
            values.push(
                report
                    .warnings
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            values.push(String::new());
            values
        }
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

fn write_csv_line(writer: &mut impl Write, fields: &[String]) -> std::io::Result<()> {
    let mut first = true;
    for field in fields {
        if !first {
            writer.write_all(b",")?;
        }
        first = false;
        if field.contains([',', '"', '\n', '\r']) {
            write!(writer, "\"{}\"", field.replace('"', "\"\""))?;
        } else {
            writer.write_all(field.as_bytes())?;
        }
    }
    writer.write_all(b"\n")
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
