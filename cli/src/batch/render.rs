//! A batch's output: the columns (the input's, then the keys of `magvar at
//! --format json`, then `error`), one record per row in CSV, JSON Lines or
//! geomag 7.0's format, and the [`Sink`] that writes them in order.

use clap::ValueEnum;
use magvar_core::bearing::North;
use magvar_core::geomag_format::GEOMAG_HEADER;
use magvar_core::{Coordinates, FieldReport, Quantity};
use std::io::{BufWriter, Write};
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Csv,
    Jsonl,
    /// geomag 7.0's columns and rounding (annual change as a 1-year difference).
    Geomag,
}

/// The keys each output record carries after the input fields: a report's
/// JSON keys (those of `magvar at --format json`, the quantities of core's
/// table among them), then `error`.
pub(crate) static OUTPUT_KEYS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| FieldReport::keys().chain(["error"]).collect());

/// The column names geomag 7.0 input gives its five tokens.
const GEOMAG_INPUT_NAMES: [&str; 5] = ["date", "coord", "altitude", "latitude", "longitude"];

/// The input's column names as written in the output: a name that an
/// output key (or an earlier column) already has gets `input_` before it,
/// so no two columns share a name (CSV readers rename or drop one).
pub(crate) fn input_column_names(names: &[String], extra_keys: &[&str]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        let mut name = name.clone();
        while OUTPUT_KEYS.contains(&name.as_str())
            || extra_keys.contains(&name.as_str())
            || taken.contains(&name)
        {
            name.insert_str(0, "input_");
        }
        taken.push(name);
    }
    taken
}

/// The keys a heading log adds before `error`: the other north's bearing,
/// the grid bearing and the grid (UTM zone or UPS).
pub(crate) fn bearing_keys(input: North) -> [&'static str; 3] {
    match input {
        North::Magnetic => ["true_bearing_deg", "grid_bearing_deg", "grid"],
        _ => ["magnetic_bearing_deg", "grid_bearing_deg", "grid"],
    }
}

/// A row's bearings: the one not given, the grid's, and which grid.
pub(crate) struct BearingValues {
    pub other_deg: f64,
    pub grid_deg: Option<f64>,
    pub grid: Option<String>,
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
    /// The bearing keys, when the input has a bearing column; the row's
    /// values (none where its cell is empty or the row failed).
    pub bearing_keys: Option<[&'static str; 3]>,
    pub bearing: Option<&'a BearingValues>,
}

/// One output record as text, newline included, appended to `out`.
/// `columns` are the output's input column names (see [`Sink::begin`]).
pub(crate) fn render_row(
    format: OutputFormat,
    columns: Option<&[String]>,
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
            let width = columns.map_or(row.input_fields.len(), <[String]>::len);
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
            write_output_values(out, row, width == 0);
            out.push(b'\n');
            Ok(())
        }
        OutputFormat::Jsonl => writeln!(out, "{}", json_record(columns, row)),
    };
}

/// The output keys' values as CSV fields (empty where undefined or
/// failed), in [`OUTPUT_KEYS`] order, the bearing keys before `error`.
fn write_output_values(out: &mut Vec<u8>, row: &RowView, first: bool) {
    let (outcome, exact_inputs) = (row.outcome, row.exact_inputs);
    let mut numbers = zmij::Buffer::new();
    let mut number = |out: &mut Vec<u8>, value: Option<f64>| {
        out.push(b',');
        if let Some(v) = value.filter(|v| v.is_finite()) {
            out.extend_from_slice(numbers.format_finite(v).as_bytes());
        }
    };
    match outcome {
        Err(message) => {
            let bearing_columns = row.bearing_keys.map_or(0, |keys| keys.len());
            for i in 0..OUTPUT_KEYS.len() - 1 + bearing_columns {
                if i > 0 || !first {
                    out.push(b',');
                }
            }
            write_csv_field(out, message, false);
        }
        Ok(report) => {
            write_csv_field(out, &report.model, first);
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
            out.push(b',');
            out.extend_from_slice(report.height_reference.name().as_bytes());
            number(out, report.geoid_height_m);
            out.extend_from_slice(match report.coordinates {
                Coordinates::Geodetic => b",geodetic",
                Coordinates::Geocentric => b",geocentric",
            });
            for quantity in Quantity::ALL {
                number(out, report.get(quantity));
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
            if row.bearing_keys.is_some() {
                number(out, row.bearing.map(|b| b.other_deg));
                number(out, row.bearing.and_then(|b| b.grid_deg));
                let grid = row.bearing.and_then(|b| b.grid.as_deref()).unwrap_or("");
                write_csv_field(out, grid, false);
            }
            out.push(b',');
        }
    }
}

/// One CSV field, quoted where it must be, preceded by a comma unless first.
pub(crate) fn write_csv_field(out: &mut Vec<u8>, field: &str, first: bool) {
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

/// One JSON object: the input fields under their output column names,
/// then the output keys and `error`.
fn json_record(columns: Option<&[String]>, row: &RowView) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let geomag_columns;
    let names: &[String] = match columns {
        Some(columns) => columns,
        None => {
            geomag_columns = input_column_names(&GEOMAG_INPUT_NAMES.map(String::from), &[]);
            &geomag_columns
        }
    };
    for (name, value) in names.iter().zip(row.input_fields) {
        object.insert(name.clone(), serde_json::Value::String(value.to_string()));
    }
    let error = match row.outcome {
        Ok(report) => {
            if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(report) {
                object.extend(fields);
            }
            serde_json::Value::Null
        }
        Err(message) => {
            for key in &OUTPUT_KEYS[..OUTPUT_KEYS.len() - 1] {
                object.insert(key.to_string(), serde_json::Value::Null);
            }
            serde_json::Value::String(message.to_string())
        }
    };
    if let Some([other, grid_bearing, grid]) = row.bearing_keys {
        let number = |v: Option<f64>| v.map_or(serde_json::Value::Null, serde_json::Value::from);
        object.insert(other.into(), number(row.bearing.map(|b| b.other_deg)));
        object.insert(
            grid_bearing.into(),
            number(row.bearing.and_then(|b| b.grid_deg)),
        );
        object.insert(
            grid.into(),
            row.bearing
                .and_then(|b| b.grid.clone())
                .map_or(serde_json::Value::Null, serde_json::Value::String),
        );
    }
    object.insert("error".into(), error);
    serde_json::Value::Object(object)
}

/// Writes records in the chosen format, header first.
pub(crate) struct Sink {
    writer: BufWriter<Box<dyn Write>>,
    format: OutputFormat,
    /// The input's column names as the output writes them (CSV input).
    columns: Option<Vec<String>>,
    /// The keys a heading log column adds.
    bearing_keys: Option<[&'static str; 3]>,
    started: bool,
}

impl Sink {
    pub(crate) fn new(writer: BufWriter<Box<dyn Write>>, format: OutputFormat) -> Self {
        Sink {
            writer,
            format,
            columns: None,
            bearing_keys: None,
            started: false,
        }
    }

    /// Records the input's column names (CSV input) and writes the header.
    /// Returns the names as written ([`input_column_names`]).
    pub(crate) fn begin(
        &mut self,
        input_header: &[String],
        bearing_keys: Option<[&'static str; 3]>,
    ) -> std::io::Result<Vec<String>> {
        let columns = input_column_names(input_header, &bearing_keys.unwrap_or_default());
        self.columns = Some(columns.clone());
        self.bearing_keys = bearing_keys;
        self.write_header()?;
        Ok(columns)
    }

    fn write_header(&mut self) -> std::io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        match self.format {
            OutputFormat::Geomag => writeln!(self.writer, "{GEOMAG_HEADER}"),
            OutputFormat::Csv => {
                let mut fields: Vec<String> = self.columns.clone().unwrap_or_else(|| {
                    input_column_names(&GEOMAG_INPUT_NAMES.map(String::from), &[])
                });
                fields.extend(
                    OUTPUT_KEYS[..OUTPUT_KEYS.len() - 1]
                        .iter()
                        .map(|k| k.to_string()),
                );
                fields.extend(self.bearing_keys.into_iter().flatten().map(String::from));
                fields.push("error".into());
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

    pub(crate) fn format(&self) -> OutputFormat {
        self.format
    }

    /// The input's column names as written (CSV input).
    pub(crate) fn columns(&self) -> Option<&[String]> {
        self.columns.as_deref()
    }

    /// Writes rendered records (the header first, if not yet written).
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.write_all(bytes)
    }

    /// Writes the header if nothing was written, and flushes.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        self.write_header()?;
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use magvar_core::{BuiltinModel, DatePolicy, Position};

    fn report() -> FieldReport {
        // Resolute Bay: grid variation defined, and a warning.
        BuiltinModel::Wmm2025
            .model()
            .field(
                &Position::geodetic(74.7, -94.8, 0.3).unwrap(),
                2026.5,
                DatePolicy::Strict,
            )
            .unwrap()
    }

    /// The CSV columns are the JSON record's keys, and each CSV value is
    /// the JSON value of its key: no two columns are crossed.
    #[test]
    fn csv_values_are_the_json_values_key_by_key() {
        let report = report();
        let row = RowView {
            input_fields: &["a"],
            plain_fields: true,
            exact_inputs: [None; 4],
            outcome: Ok(&report),
            geomag: None,
            bearing_keys: None,
            bearing: None,
        };
        let columns = vec!["name".to_string()];
        let mut csv = Vec::new();
        render_row(OutputFormat::Csv, Some(&columns), &row, &mut csv);
        let mut json = Vec::new();
        render_row(OutputFormat::Jsonl, Some(&columns), &row, &mut json);
        let json: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let json = json.as_object().unwrap();
        let header: Vec<&str> = ["name"]
            .into_iter()
            .chain(OUTPUT_KEYS.iter().copied())
            .collect();
        assert_eq!(json.keys().map(String::as_str).collect::<Vec<_>>(), header);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_slice());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), header.len());
        for (key, text) in header.iter().zip(record.iter()) {
            let expected = &json[*key];
            match expected {
                serde_json::Value::Number(n) => {
                    assert_eq!(text.parse::<f64>().ok(), n.as_f64(), "{key}")
                }
                serde_json::Value::String(s) => assert_eq!(text, s, "{key}"),
                serde_json::Value::Null => assert_eq!(text, "", "{key}"),
                serde_json::Value::Array(warnings) => {
                    let joined: Vec<&str> = warnings.iter().map(|w| w.as_str().unwrap()).collect();
                    assert_eq!(text, joined.join("; "), "{key}");
                }
                other => panic!("{key}: {other}"),
            }
        }
        assert!(json["grid_variation_deg"].is_number());
        assert!(!json["warnings"].as_array().unwrap().is_empty());
    }

    /// The report's own JSON keys are the output keys, `error` aside.
    #[test]
    fn output_keys_are_the_reports_json_keys() {
        let json = serde_json::to_value(report()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, OUTPUT_KEYS[..OUTPUT_KEYS.len() - 1]);
    }

    #[test]
    fn input_columns_named_like_output_keys_are_renamed() {
        let names = ["date", "lat", "lon", "input_date", "error", "lat"].map(String::from);
        assert_eq!(
            input_column_names(&names, &[]),
            [
                "input_date",
                "lat",
                "lon",
                "input_input_date",
                "input_error",
                "input_lat"
            ]
        );
    }
}
