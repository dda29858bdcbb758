//! CSV input for `magvar batch`, as a pipeline of three stages that run at
//! the same time: a reader cuts the input into blocks of whole records
//! without parsing them ([`crate::csv_blocks`]), workers (one per core)
//! parse, compute and render whole blocks, and the writer puts the rendered
//! blocks out in input order. Reading and writing are serial by nature;
//! overlapping them with the computing is what lets the cores stay busy.

use crate::batch::{Progress, RowView, Settings, Sink, render_row};
use crate::csv_blocks::Blocks;
use crate::csv_records::{BlockRecords, csv_reader};
use crate::error::CliError;
use magvar_core::geomag_format;
use magvar_core::{
    Evaluator, FieldReport, MagneticElements, MagneticModel, Position, Warning,
    parse_altitude_with_default, parse_date, parse_latitude, parse_longitude,
};
use magvar_pipeline::{Pipeline, Stage};
use std::io::{BufReader, Read};
use std::sync::Arc;

/// Chunks in flight between the stages: enough to keep every worker busy
/// while the writer catches up, few enough that memory stays small.
const CHUNKS_IN_FLIGHT: usize = 8;

/// A chunk's output, ready to write.
struct Rendered {
    bytes: Vec<u8>,
    /// (line, message) of each failed row, in order.
    failures: Vec<(u64, String)>,
    rows: usize,
    /// The input could not be read on from here.
    fatal: Option<String>,
}

/// Runs the CSV pipeline; returns how many rows failed.
pub(crate) fn run(
    reader: BufReader<Box<dyn Read + Send>>,
    input_name: &str,
    settings: Settings,
    sink: &mut Sink,
    progress: &Progress,
) -> Result<usize, CliError> {
    let cannot_read =
        |e: std::io::Error| CliError::Failed(format!("{input_name}: cannot read: {e}"));
    let mut blocks = Blocks::new(reader);
    let first = blocks.next().transpose().map_err(cannot_read)?;
    let header = match &first {
        Some(block) => csv_reader(true, &block.bytes).headers().cloned(),
        None => Ok(csv::StringRecord::new()),
    }
    .map_err(|e| CliError::Usage(format!("{input_name}: cannot read the CSV header: {e}")))?;
    let columns = CsvColumns::from_header(&header, input_name)?;
    let input_header: Vec<String> = header.iter().map(str::to_string).collect();
    sink.begin(input_header.clone())
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    // Written output buffers go back to the workers: a chunk's text is a
    // few megabytes, and fresh ones would cost a page fault every 4 KiB.
    let (recycle, recycled) = crossbeam_channel::bounded(2 * CHUNKS_IN_FLIGHT);
    let context = Arc::new(ChunkContext {
        settings,
        columns,
        format: sink.format(),
        header: input_header,
        recycled,
    });
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let mut failures = 0;
    let mut write_error = None;
    let mut fatal = None;
    let source = first.into_iter().map(Ok).chain(blocks).enumerate();
    Pipeline::source(source)
        .ordered(CHUNKS_IN_FLIGHT)
        .stage(
            Stage::new("compute")
                .workers(workers)
                .capacity(CHUNKS_IN_FLIGHT),
            move |chunks| {
                let context = Arc::clone(&context);
                chunks.map(move |(index, block)| match block {
                    Ok(block) => context.render(BlockRecords::read(block, index == 0)),
                    Err(e) => Rendered {
                        bytes: Vec::new(),
                        failures: Vec::new(),
                        rows: 0,
                        fatal: Some(format!("cannot read: {e}")),
                    },
                })
            },
        )
        .run(|rendered: Rendered| {
            if let Some(message) = rendered.fatal {
                fatal.get_or_insert(message);
                return;
            }
            for (line, message) in &rendered.failures {
                eprintln!("{input_name}:{line}: {message}");
            }
            failures += rendered.failures.len();
            progress.advance(rendered.rows);
            if write_error.is_none() {
                write_error = sink.write_bytes(&rendered.bytes).err();
            }
            let mut buffer = rendered.bytes;
            buffer.clear();
            let _ = recycle.try_send(buffer);
        })
        .map_err(|e| CliError::Failed(format!("{input_name}: {e}")))?;
    if let Some(message) = fatal {
        return Err(CliError::Failed(format!("{input_name}: {message}")));
    }
    match write_error {
        Some(e) => Err(CliError::Failed(format!("cannot write output: {e}"))),
        None => Ok(failures),
    }
}

/// What a worker needs to turn a chunk into output.
struct ChunkContext {
    settings: Settings,
    columns: CsvColumns,
    format: crate::batch::OutputFormat,
    header: Vec<String>,
    /// Output buffers already written, to reuse.
    recycled: crossbeam_channel::Receiver<Vec<u8>>,
}

impl ChunkContext {
    /// Parses, computes and renders one chunk on the calling thread. Rows
    /// are grouped by model, so each group goes through the lane kernel at
    /// once, every row on its own date.
    fn render(&self, block: BlockRecords) -> Rendered {
        let settings = &self.settings;
        let mut dates = DateCache::default();
        let fields = block.fields();
        let records = block.records();
        let parsed: Vec<Result<CsvPoint, String>> = records
            .iter()
            .map(|record| match &record.fields {
                Ok(range) => {
                    parse_csv_point(settings, &self.columns, &fields[range.clone()], &mut dates)
                }
                Err(message) => Err(message.clone()),
            })
            .collect();
        // Rows go through the lane kernel by model (two at most, with
        // `auto`), each row on its own date: a track's rows each have their
        // own time. `slots` says where each row's elements are: (model
        // group, index in it, index of its date's check).
        let mut groups: Vec<ModelGroup> = Vec::new();
        let mut checks: Vec<Result<Option<Warning>, String>> = Vec::new();
        let mut last_check: Option<(u64, usize)> = None;
        let mut slots: Vec<Option<RowSlot>> = Vec::with_capacity(parsed.len());
        for point in &parsed {
            let Ok(CsvPoint { position, year, .. }) = point else {
                slots.push(None);
                continue;
            };
            let model = settings.choice.model_for(*year);
            let g = match groups.iter().position(|g| std::ptr::eq(g.model, model)) {
                Some(g) => g,
                None => {
                    groups.push(ModelGroup::new(model));
                    groups.len() - 1
                }
            };
            // One check per run of rows on the same date (and model: the
            // model follows from the date).
            let check = match last_check {
                Some((key, check)) if key == year.to_bits() => check,
                _ => {
                    checks.push(
                        model
                            .check_date(*year, settings.policy)
                            .map_err(|e| e.to_string()),
                    );
                    last_check = Some((year.to_bits(), checks.len() - 1));
                    checks.len() - 1
                }
            };
            let group = &mut groups[g];
            let index = if checks[check].is_ok() {
                group.positions.push(*position);
                group.years.push(*year);
                group.positions.len() - 1
            } else {
                usize::MAX
            };
            slots.push(Some(RowSlot {
                group: g,
                index,
                check,
            }));
        }
        for group in &mut groups {
            Evaluator::new(group.model).elements_many_dated(
                &group.positions,
                &group.years,
                &mut group.elements,
            );
        }
        let mut rendered = Rendered {
            bytes: self.recycled.try_recv().unwrap_or_default(),
            failures: Vec::new(),
            rows: parsed.len(),
            fatal: None,
        };
        // A typical output record's size: a buffer grown by doubling would
        // copy itself a dozen times over a block.
        rendered.bytes.reserve(parsed.len() * 384);
        for ((record, point), slot) in records.iter().zip(&parsed).zip(&slots) {
            let (outcome, exact): (Result<&FieldReport, &str>, _) = match (point, slot) {
                (Ok(point), Some(slot)) => match &checks[slot.check] {
                    Ok(date_warning) => {
                        let group = &mut groups[slot.group];
                        // One report per model, written over row by row.
                        group.model.report_into(
                            &mut group.report,
                            &point.position,
                            point.year,
                            group.elements[slot.index],
                            date_warning.as_ref(),
                        );
                        (Ok(&group.report), point.exact_inputs)
                    }
                    Err(message) => (Err(message.as_str()), [None; 4]),
                },
                (Err(message), _) => (Err(message.as_str()), [None; 4]),
                (Ok(_), None) => (Err("internal error: row not evaluated"), [None; 4]),
            };
            if let Err(message) = outcome {
                rendered.failures.push((record.line, message.to_string()));
            }
            let geomag = settings
                .geomag_output
                .then(|| geomag_line(settings, outcome));
            let input_fields = record
                .fields
                .as_ref()
                .map_or(&[][..], |r| &fields[r.clone()]);
            let row = RowView {
                input_fields,
                plain_fields: block.is_plain(),
                exact_inputs: exact,
                outcome,
                geomag: geomag.as_ref(),
            };
            render_row(self.format, Some(&self.header), &row, &mut rendered.bytes);
        }
        rendered
    }
}

/// The rows of one model in a block, each on its own date, and their
/// elements.
struct ModelGroup<'m> {
    model: &'m MagneticModel,
    positions: Vec<Position>,
    years: Vec<f64>,
    elements: Vec<MagneticElements>,
    /// Written over for each row ([`MagneticModel::report_into`]), so that
    /// a row costs no allocation.
    report: FieldReport,
}

impl<'m> ModelGroup<'m> {
    fn new(model: &'m MagneticModel) -> Self {
        ModelGroup {
            model,
            positions: Vec::new(),
            years: Vec::new(),
            elements: Vec::new(),
            report: empty_report(),
        }
    }
}

/// Where a row's result is: its model group, its index there (if its date
/// passed the check), and the check of its date.
#[derive(Clone, Copy)]
struct RowSlot {
    group: usize,
    index: usize,
    check: usize,
}

/// A report to write over.
fn empty_report() -> FieldReport {
    FieldReport {
        model: String::new(),
        date: 0.0,
        latitude_deg: 0.0,
        longitude_deg: 0.0,
        altitude_km: 0.0,
        coordinates: magvar_core::Coordinates::Geodetic,
        elements: MagneticElements::ZERO,
        warnings: Vec::new(),
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

/// A CSV row's position and date.
struct CsvPoint<'a> {
    position: Position,
    year: f64,
    /// The text of date, latitude, longitude and altitude where it is
    /// exactly what the output would print for the parsed value (see
    /// [`is_shortest_decimal`]): echoed rather than formatted again.
    exact_inputs: [Option<&'a str>; 4],
}

/// A CSV row's position and date, or why it has none.
fn parse_csv_point<'a>(
    settings: &Settings,
    columns: &CsvColumns,
    fields: &[&'a str],
    dates: &mut DateCache,
) -> Result<CsvPoint<'a>, String> {
    let field = |i: usize| magvar_core::trim_text(fields.get(i).copied().unwrap_or(""));
    let exact =
        |text: &'a str, unchanged: bool| (unchanged && is_shortest_decimal(text)).then_some(text);
    let latitude_text = field(columns.latitude);
    let longitude_text = field(columns.longitude);
    let latitude = parse_latitude(latitude_text).map_err(|e| e.to_string())?;
    let longitude = parse_longitude(longitude_text).map_err(|e| e.to_string())?;
    let (altitude_km, altitude_exact) = match columns.altitude {
        None => (settings.default_altitude_km, None),
        Some((i, kilometres)) => match field(i) {
            "" => (settings.default_altitude_km, None),
            text => {
                let unit = if kilometres {
                    magvar_core::AltitudeUnit::Kilometres
                } else {
                    settings.altitude_unit
                };
                let km = parse_altitude_with_default(text, unit).map_err(|e| e.to_string())?;
                (
                    km,
                    exact(text, unit == magvar_core::AltitudeUnit::Kilometres),
                )
            }
        },
    };
    let (year, date_exact) = match columns.date.map(field) {
        Some(text) if !text.is_empty() => (dates.parse(text)?, exact(text, true)),
        _ => (settings.default_year, None),
    };
    let position =
        Position::geodetic(latitude, longitude, altitude_km).map_err(|e| e.to_string())?;
    // Longitudes past 180° are folded into (−180°, 0°): a sign change
    // (360° itself is no shortest decimal).
    let unfolded = longitude_text.starts_with('-') == (longitude < 0.0);
    Ok(CsvPoint {
        position,
        year,
        exact_inputs: [
            date_exact,
            exact(latitude_text, true),
            exact(longitude_text, unfolded),
            altitude_exact,
        ],
    })
}

/// Whether `text` is a plain decimal that the output's shortest
/// round-trip formatting prints back as `text` itself: an optional minus,
/// an integer part without leading zeros, a fraction ending in a non-zero
/// digit, at most 15 significant digits (so no shorter or other decimal
/// of as few digits reads as the same f64) and at least 1e-4 (where the
/// output does not switch to exponents). The value is then `text`'s exact
/// parse, which is what the parsers return for such text.
pub(crate) fn is_shortest_decimal(text: &str) -> bool {
    // One pass: this runs on four fields of every row.
    let bytes = text.as_bytes();
    let digits_from = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let integer_start = usize::from(bytes.first() == Some(&b'-'));
    let dot = digits_from(integer_start);
    if dot == integer_start || bytes.get(dot) != Some(&b'.') {
        return false;
    }
    let end = digits_from(dot + 1);
    if end != bytes.len() || end == dot + 1 || bytes[end - 1] == b'0' {
        return false;
    }
    let (integer, fraction) = (&bytes[integer_start..dot], &bytes[dot + 1..]);
    if integer == b"0" {
        let leading_zeros = fraction.iter().take_while(|&&b| b == b'0').count();
        leading_zeros <= 3 && fraction.len() - leading_zeros <= 15
    } else {
        integer[0] != b'0' && integer.len() + fraction.len() <= 15
    }
}

/// The last date text of a block and its decimal year: a track or a
/// survey repeats one date row after row.
#[derive(Default)]
struct DateCache {
    last: Option<(String, f64)>,
}

impl DateCache {
    fn parse(&mut self, text: &str) -> Result<f64, String> {
        if let Some((last, year)) = &self.last
            && last == text
        {
            return Ok(*year);
        }
        let year = parse_date(text).map_err(|e| e.to_string())?;
        self.last = Some((text.to_string(), year));
        Ok(year)
    }
}

/// geomag 7.0's line for a CSV row (geomag output of CSV input).
fn geomag_line(settings: &Settings, outcome: Result<&FieldReport, &str>) -> Result<String, String> {
    let report = outcome.map_err(str::to_string)?;
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

#[cfg(test)]
mod tests {
    use super::is_shortest_decimal;

    /// Text accepted as shortest is exactly what formatting its value
    /// prints, over many random decimals of every shape.
    #[test]
    fn shortest_decimals_print_back_as_themselves() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let mut accepted = 0;
        let mut buffer = zmij::Buffer::new();
        for _ in 0..200_000 {
            let digit = |next: &mut dyn FnMut(u64) -> u64| char::from(b'0' + next(10) as u8);
            let mut text = String::new();
            if next(2) == 0 {
                text.push('-');
            }
            for _ in 0..=next(17) {
                text.push(digit(&mut next));
            }
            text.push('.');
            for _ in 0..=next(17) {
                text.push(digit(&mut next));
            }
            if !is_shortest_decimal(&text) {
                continue;
            }
            accepted += 1;
            let value: f64 = text.parse().unwrap();
            assert_eq!(buffer.format_finite(value), text);
        }
        assert!(accepted > 10_000, "{accepted}");
    }

    #[test]
    fn other_text_is_formatted_again() {
        for text in [
            "7",
            "7.",
            ".5",
            "7.50",
            "07.5",
            "+7.5",
            "1e3",
            "0.00001",
            "-0.0",
            "7.5 ",
            "1234567890123456.5",
            "0.1234567890123456",
            "NaN",
            "",
            "-",
            "1.2.3",
        ] {
            assert!(!is_shortest_decimal(text), "{text:?}");
        }
        for text in [
            "7.5",
            "-0.5",
            "0.0001",
            "2026.5",
            "-65.81444",
            "123456789012.345",
        ] {
            assert!(is_shortest_decimal(text), "{text:?}");
        }
    }
}
