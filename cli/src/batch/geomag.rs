//! geomag 7.0 batch input (`date coord altitude latitude longitude` lines)
//! for `magvar batch`: lines in chunks, each row evaluated once (at its
//! date and one year later, geomag's annual change) in parallel, written
//! in input order.

use super::job::{Progress, Settings, Summary};
use super::render::{RowView, Sink, render_row};
use crate::error::CliError;
use magvar_core::FieldReport;
use magvar_core::geomag_format;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read};

/// Rows per parallel chunk: large enough to keep both cores busy, small
/// enough that memory stays constant however long the input.
const CHUNK_ROWS: usize = 8192;

/// One computed row, ready to write.
struct RowResult {
    line: u64,
    input_fields: Vec<String>,
    outcome: Result<FieldReport, String>,
    /// geomag output: the line, or why there is none.
    geomag: Option<Result<String, String>>,
}

/// Reads geomag lines from `reader` and writes a record for each.
pub(crate) fn run(
    reader: BufReader<Box<dyn Read + Send>>,
    input_name: &str,
    settings: &Settings,
    sink: &mut Sink,
    progress: &Progress,
) -> Result<Summary, CliError> {
    let mut summary = Summary::default();
    let mut chunk: Vec<(u64, String)> = Vec::with_capacity(CHUNK_ROWS);
    let mut lines = reader.lines();
    let mut line_no = 0u64;
    loop {
        let interrupted = crate::interrupt::requested();
        let next = if interrupted { None } else { lines.next() };
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
            summary.failures += write_rows(sink, &results, input_name)?;
            summary.rows += results.len() as u64;
            progress.advance(results.len());
            chunk.clear();
        }
        if done {
            if interrupted {
                summary.interrupted_at_line = Some(line_no + 1);
            }
            return Ok(summary);
        }
    }
}

/// One line's record: evaluated once, at its date and one year later.
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

/// Writes a chunk in order (rendered in parallel: number formatting is
/// most of an output row's cost); reports failed rows on stderr. Returns
/// how many failed.
fn write_rows(sink: &mut Sink, rows: &[RowResult], input_name: &str) -> Result<u64, CliError> {
    let io = |e: std::io::Error| CliError::Failed(format!("cannot write output: {e}"));
    let format = sink.format();
    let columns = sink.columns().map(<[String]>::to_vec);
    let rendered: Vec<Vec<u8>> = rows
        .par_iter()
        .map(|row| {
            let fields: Vec<&str> = row.input_fields.iter().map(String::as_str).collect();
            let view = RowView {
                input_fields: &fields,
                plain_fields: false,
                exact_inputs: [None; 4],
                outcome: row.outcome.as_ref().map_err(String::as_str),
                geomag: row.geomag.as_ref(),
                bearing_keys: None,
                bearing: None,
            };
            let mut text = Vec::with_capacity(320);
            render_row(format, columns.as_deref(), &view, &mut text);
            text
        })
        .collect();
    let mut failures = 0;
    for (row, text) in rows.iter().zip(&rendered) {
        if let Err(message) = &row.outcome {
            eprintln!("{input_name}:{}: {message}", row.line);
            failures += 1;
        }
        sink.write_bytes(text).map_err(io)?;
    }
    Ok(failures)
}
