//! CSV input for `magvar batch`, as a pipeline of three stages that run at
//! the same time: a reader cuts the input into blocks of whole records
//! without parsing them ([`super::csv_blocks`]), workers (one per core)
//! parse, compute and render whole blocks, and the writer puts the rendered
//! blocks out in input order. Reading and writing are serial by nature;
//! overlapping them with the computing is what lets the cores stay busy.

use super::csv_blocks::Blocks;
use super::csv_records::{BlockRecords, csv_reader};
use super::job::{Progress, Settings, Summary};
use super::render::{BearingValues, OutputFormat, RowView, Sink, bearing_keys, render_row};
use crate::error::CliError;
use magvar_core::bearing::{Bearing, BearingConversion, North};
use magvar_core::geomag_format;
use magvar_core::grid_north::{GridChoice, grid_north};
use magvar_core::{
    DatedBatch, FieldReport, Position, parse_altitude_with_default, parse_date, parse_latitude,
    parse_longitude,
};
use magvar_pipeline::{Pipeline, Stage};
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Runs the CSV pipeline. Ctrl-C stops the reading; the blocks already
/// read are finished and written whole.
pub(crate) fn run(
    reader: BufReader<Box<dyn Read + Send>>,
    input_name: &str,
    settings: Settings,
    sink: &mut Sink,
    progress: &Progress,
) -> Result<Summary, CliError> {
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
    let output_columns = sink
        .begin(
            &input_header,
            columns.bearing.map(|(_, north)| bearing_keys(north)),
        )
        .map_err(|e| CliError::Failed(format!("cannot write output: {e}")))?;
    // Written output buffers go back to the workers: a chunk's text is a
    // few megabytes, and fresh ones would cost a page fault every 4 KiB.
    let (recycle, recycled) = crossbeam_channel::bounded(2 * CHUNKS_IN_FLIGHT);
    let context = Arc::new(ChunkContext {
        settings,
        roles: columns,
        format: sink.format(),
        output_columns,
        recycled,
    });
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let mut summary = Summary::default();
    let mut write_error = None;
    let mut fatal = None;
    // The first line not given to the workers, for a run stopped by Ctrl-C.
    let next_line = Arc::new(AtomicU64::new(blocks.next_line()));
    let interrupted_at = Arc::clone(&next_line);
    let mut first = first;
    let mut blocks = Some(blocks);
    // Whether the source stopped for Ctrl-C (not at the input's end).
    let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped_early = Arc::clone(&stopped);
    let source = std::iter::from_fn(move || {
        // The first block is read already: it goes out whatever happens.
        if let Some(block) = first.take() {
            return Some(Ok(block));
        }
        let reader = blocks.as_mut()?;
        if crate::interrupt::requested() {
            stopped_early.store(true, Ordering::SeqCst);
            return None;
        }
        let block = reader.next();
        next_line.store(reader.next_line(), Ordering::SeqCst);
        if block.is_none() {
            blocks = None;
        }
        block
    })
    .enumerate();
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
            summary.failures += rendered.failures.len() as u64;
            summary.rows += rendered.rows as u64;
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
    if let Some(e) = write_error {
        return Err(CliError::Failed(format!("cannot write output: {e}")));
    }
    if stopped.load(Ordering::SeqCst) {
        summary.interrupted_at_line = Some(interrupted_at.load(Ordering::SeqCst));
    }
    Ok(summary)
}

/// What a worker needs to turn a chunk into output.
struct ChunkContext {
    settings: Settings,
    roles: CsvColumns,
    format: OutputFormat,
    /// The input's column names as the output writes them.
    output_columns: Vec<String>,
    /// Output buffers already written, to reuse.
    recycled: crossbeam_channel::Receiver<Vec<u8>>,
}

impl ChunkContext {
    /// Parses, computes and renders one chunk on the calling thread. The
    /// rows go to core as many dated points: it groups them by model and
    /// model segment through the lane kernel, every row on its own date.
    fn render(&self, block: BlockRecords) -> Rendered {
        let settings = &self.settings;
        let mut dates = DateCache::default();
        let fields = block.fields();
        let records = block.records();
        let parsed: Vec<Result<CsvPoint, String>> = records
            .iter()
            .map(|record| match &record.fields {
                Ok(range) => {
                    parse_csv_point(settings, &self.roles, &fields[range.clone()], &mut dates)
                }
                Err(message) => Err(message.clone()),
            })
            .collect();
        let (positions, years): (Vec<Position>, Vec<f64>) = parsed
            .iter()
            .filter_map(|point| point.as_ref().ok())
            .map(|point| (point.position, point.year))
            .unzip();
        let mut batch = DatedBatch::new(&settings.choice, settings.policy);
        batch.evaluate(&positions, &years);
        let mut rendered = Rendered {
            bytes: self.recycled.try_recv().unwrap_or_default(),
            failures: Vec::new(),
            rows: parsed.len(),
            fatal: None,
        };
        // A typical output record's size: a buffer grown by doubling would
        // copy itself a dozen times over a block.
        rendered.bytes.reserve(parsed.len() * 384);
        let mut evaluated = 0;
        let bearing_keys = self.roles.bearing.map(|(_, north)| bearing_keys(north));
        for (record, point) in records.iter().zip(&parsed) {
            let report;
            let mut bearing = None;
            let (outcome, exact): (Result<&FieldReport, &str>, _) = match point {
                Ok(point) => {
                    report = batch.report(evaluated).map_err(|e| e.to_string());
                    evaluated += 1;
                    match &report {
                        Ok(report) => {
                            bearing = point.bearing.map(|b| bearings(b, report));
                            (Ok(*report), point.exact_inputs)
                        }
                        Err(message) => (Err(message.as_str()), [None; 4]),
                    }
                }
                Err(message) => (Err(message.as_str()), [None; 4]),
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
                bearing_keys,
                bearing: bearing.as_ref(),
            };
            render_row(
                self.format,
                Some(&self.output_columns),
                &row,
                &mut rendered.bytes,
            );
        }
        rendered
    }
}

/// A heading's other north and grid bearing at the row's report.
fn bearings(bearing: Bearing, report: &FieldReport) -> BearingValues {
    // Every latitude has a grid with `auto` (UTM or UPS).
    let grid = grid_north(report.latitude_deg, report.longitude_deg, GridChoice::Auto).ok();
    let declination = report.elements.declination_deg;
    match BearingConversion::new(bearing, declination, grid) {
        Ok(all) => BearingValues {
            other_deg: if bearing.north == North::True {
                all.magnetic_deg
            } else {
                all.true_deg
            },
            grid_deg: all.grid_deg,
            grid: grid.map(|g| g.system.to_string()),
        },
        // Only a grid bearing without a grid fails, and a log's bearings
        // are true or magnetic.
        Err(_) => BearingValues {
            other_deg: f64::NAN,
            grid_deg: None,
            grid: None,
        },
    }
}

/// Column roles found in a CSV header.
struct CsvColumns {
    latitude: usize,
    longitude: usize,
    altitude: Option<(usize, bool)>,
    date: Option<usize>,
    /// A heading log: `true_bearing_deg` or `magnetic_bearing_deg`.
    bearing: Option<(usize, North)>,
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
            bearing: match (find(&["true_bearing_deg"]), find(&["magnetic_bearing_deg"])) {
                (Some(_), Some(_)) => {
                    return Err(CliError::Usage(format!(
                        "{input_name}: the CSV header has both true_bearing_deg and magnetic_bearing_deg; give one, and the other is written"
                    )));
                }
                (Some(i), None) => Some((i, North::True)),
                (None, Some(i)) => Some((i, North::Magnetic)),
                (None, None) => None,
            },
        })
    }
}

/// A CSV row's position and date.
struct CsvPoint<'a> {
    position: Position,
    year: f64,
    /// The row's heading, if the input has a bearing column and the cell
    /// is not empty.
    bearing: Option<Bearing>,
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
        Position::geodetic_above(latitude, longitude, altitude_km, settings.height_reference)
            .map_err(|e| e.to_string())?;
    let bearing = match columns.bearing {
        Some((i, north)) => match field(i) {
            "" => None,
            text => {
                let degrees = text
                    .parse::<f64>()
                    .ok()
                    .filter(|d| (0.0..=360.0).contains(d))
                    .ok_or_else(|| {
                        let key = if north == North::True {
                            "true_bearing_deg"
                        } else {
                            "magnetic_bearing_deg"
                        };
                        format!("{key} {text:?}: expected degrees 0..360")
                    })?;
                Some(Bearing {
                    degrees: magvar_core::bearing::bearing_range(degrees),
                    north,
                })
            }
        },
        None => None,
    };
    // Longitudes past 180° are folded into (−180°, 0°): a sign change
    // (360° itself is no shortest decimal).
    let unfolded = longitude_text.starts_with('-') == (longitude < 0.0);
    Ok(CsvPoint {
        position,
        year,
        bearing,
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

/// geomag 7.0's line for a CSV row (geomag output of CSV input): the
/// row's report, already computed, and the elements a year later.
fn geomag_line(settings: &Settings, outcome: Result<&FieldReport, &str>) -> Result<String, String> {
    let report = outcome.map_err(str::to_string)?;
    let tokens = [
        format!("{}", report.date),
        "D".to_string(),
        format!("K{}", report.altitude_km),
        format!("{}", report.latitude_deg),
        format!("{}", report.longitude_deg),
    ];
    // The same position as the row's (its altitude may be above sea level).
    let position = Position::geodetic_above(
        report.latitude_deg,
        report.longitude_deg,
        report.altitude_km,
        report.height_reference,
    )
    .map_err(|e| e.to_string())?;
    let model = settings.choice.model_for(report.date);
    let next = geomag_format::elements_a_year_later(model, &position, report.date);
    Ok(geomag_format::format_line(&tokens, &report.elements, &next))
}

#[cfg(test)]
mod tests {
    use super::is_shortest_decimal;

    /// Text accepted as shortest is exactly what formatting its value
    /// prints, over many random decimals of every shape.
    #[test]
    fn shortest_decimals_print_back_as_themselves() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x9E37_79B9_7F4A_7C15);
        let mut next = move |bound: u64| rng.random_range(0..bound);
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
