//! The values to fill in, read from what `form fields` prints: the JSON
//! `values` object (or the whole document), the urlencoded form, or CSV
//! with the field names as its header and one record per row.

use crate::model::FieldValue;
use serde_json::Value;
use std::fmt;

/// Field names and the values to give them, in the order given. A name
/// given twice keeps its last value (urlencoded input gathers repeated
/// names into one list first, as a browser posts a multi-select).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FillData {
    entries: Vec<(String, FieldValue)>,
}

/// Why fill data could not be read. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("line {line}, column {column}: not valid JSON: {reason}")]
    Json {
        line: usize,
        column: usize,
        reason: String,
    },
    #[error(
        "expected a JSON object of field names and values (or the whole output of reading the form's fields)"
    )]
    NotAnObject,
    #[error("the value of \"{name}\" is {found}; expected a string, null or a list of strings")]
    JsonValue { name: String, found: String },
    #[error("\"{pair}\" is not urlencoded UTF-8 text")]
    Urlencoded { pair: String },
    #[error("line {line}: {reason}")]
    Csv { line: u64, reason: String },
}

/// One CSV record: its row number (1 for the first record after the
/// header), the line it starts on, and its values or why they could not be
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub row: usize,
    pub line: u64,
    pub data: Result<FillData, DataError>,
}

impl FillData {
    pub fn new() -> FillData {
        FillData::default()
    }

    /// Sets `name` to `value`, replacing a value given before.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<FieldValue>) {
        let name = name.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(known, _)| *known == name) {
            Some((_, slot)) => *slot = value,
            None => self.entries.push((name, value)),
        }
    }

    /// Takes `name` out; its value if it was there.
    pub fn remove(&mut self, name: &str) -> Option<FieldValue> {
        let index = self.entries.iter().position(|(known, _)| known == name)?;
        Some(self.entries.remove(index).1)
    }

    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.entries
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value)
    }

    /// `(name, value)` in the order given.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FieldValue)> {
        self.entries
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The JSON `values` object that reading a form prints, or that whole
    /// document (recognised by its `fields` list and `values` object).
    /// Values are strings, null or lists of strings; a number is taken as
    /// the text it is written as.
    pub fn from_json(text: &str) -> Result<FillData, DataError> {
        let value: Value = serde_json::from_str(text).map_err(|error| DataError::Json {
            line: error.line(),
            column: error.column(),
            reason: error.to_string(),
        })?;
        let Value::Object(mut object) = value else {
            return Err(DataError::NotAnObject);
        };
        if object.get("fields").is_some_and(Value::is_array)
            && object.get("values").is_some_and(Value::is_object)
            && let Some(Value::Object(values)) = object.remove("values")
        {
            object = values;
        }
        let mut data = FillData::new();
        for (name, value) in object {
            let value = match value {
                Value::Null => FieldValue::Null,
                Value::String(text) => FieldValue::Text(text),
                Value::Number(number) => FieldValue::Text(number.to_string()),
                Value::Array(items) => {
                    let strings: Option<Vec<String>> = items
                        .into_iter()
                        .map(|item| match item {
                            Value::String(text) => Some(text),
                            _ => None,
                        })
                        .collect();
                    match strings {
                        Some(items) => FieldValue::List(items),
                        None => {
                            return Err(DataError::JsonValue {
                                name,
                                found: "a list with an item that is not a string".into(),
                            });
                        }
                    }
                }
                other => {
                    let found = match other {
                        Value::Bool(b) => format!("{b}"),
                        _ => "an object".into(),
                    };
                    return Err(DataError::JsonValue { name, found });
                }
            };
            data.insert(name, value);
        }
        Ok(data)
    }

    /// `name=value&…` as a browser posts a form (and as reading a form
    /// prints it): `+` is a space, `%XX` a byte of UTF-8; a name repeated
    /// gathers its values into a list.
    pub fn from_urlencoded(text: &str) -> Result<FillData, DataError> {
        let mut data = FillData::new();
        for pair in text.trim_end_matches(['\r', '\n']).split('&') {
            if pair.is_empty() {
                continue;
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let bad = || DataError::Urlencoded {
                pair: pair.to_owned(),
            };
            let name = percent_decode(name).ok_or_else(bad)?;
            let value = percent_decode(value).ok_or_else(bad)?;
            let merged = match data.remove(&name) {
                None => FieldValue::Text(value),
                Some(FieldValue::Text(first)) => FieldValue::List(vec![first, value]),
                Some(FieldValue::List(mut items)) => {
                    items.push(value);
                    FieldValue::List(items)
                }
                Some(FieldValue::Null) => FieldValue::Text(value),
            };
            data.insert(name, merged);
        }
        Ok(data)
    }

    /// CSV whose header names the fields, one form's values per record. An
    /// empty cell empties its field; a cell of a JSON list (`["a","b"]`)
    /// selects several items of a multi-select list. A header that cannot
    /// be read fails the whole input; a bad record fails only its row.
    pub fn csv_rows(text: &str) -> Result<Vec<CsvRow>, DataError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|error| DataError::Csv {
                line: 1,
                reason: error.to_string(),
            })?
            .iter()
            .map(str::to_owned)
            .collect();
        if header.iter().all(String::is_empty) {
            return Err(DataError::Csv {
                line: 1,
                reason: "the header names no field".into(),
            });
        }
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let row = index + 1;
            let (line, data) = match record {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    let data = if record.len() != header.len() {
                        Err(DataError::Csv {
                            line,
                            reason: format!(
                                "{} values for the {} columns of the header",
                                record.len(),
                                header.len()
                            ),
                        })
                    } else {
                        let mut data = FillData::new();
                        for (name, cell) in header.iter().zip(record.iter()) {
                            if !name.is_empty() {
                                data.insert(name.clone(), csv_cell(cell));
                            }
                        }
                        Ok(data)
                    };
                    (line, data)
                }
                Err(error) => {
                    let line = error.position().map_or(0, |p| p.line());
                    let reason = match error.kind() {
                        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
                        _ => error.to_string(),
                    };
                    (line, Err(DataError::Csv { line, reason }))
                }
            };
            rows.push(CsvRow { row, line, data });
        }
        Ok(rows)
    }
}

impl fmt::Display for FillData {
    /// The data as urlencoded text, the shortest form that says it all.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (name, value) in self.iter() {
            let values = match value {
                FieldValue::Null => vec![""],
                other => other.as_strings(),
            };
            for value in values {
                if !first {
                    f.write_str("&")?;
                }
                first = false;
                write!(
                    f,
                    "{}={}",
                    crate::submit::encode(name),
                    crate::submit::encode(value)
                )?;
            }
        }
        Ok(())
    }
}

fn csv_cell(cell: &str) -> FieldValue {
    if cell.is_empty() {
        return FieldValue::Null;
    }
    if cell.starts_with('[')
        && let Ok(items) = serde_json::from_str::<Vec<String>>(cell)
    {
        return FieldValue::List(items);
    }
    FieldValue::Text(cell.to_owned())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_object_or_whole_document() {
        let values = r#"{"name": "Ada", "langs": ["en", "fr"], "sig": null, "age": 36}"#;
        let data = FillData::from_json(values).unwrap();
        assert_eq!(data.get("name"), Some(&FieldValue::Text("Ada".into())));
        assert_eq!(
            data.get("langs"),
            Some(&FieldValue::List(vec!["en".into(), "fr".into()]))
        );
        assert_eq!(data.get("sig"), Some(&FieldValue::Null));
        assert_eq!(data.get("age"), Some(&FieldValue::Text("36".into())));
        let whole = format!(r#"{{"file": "f.pdf", "fields": [], "values": {values}}}"#);
        assert_eq!(FillData::from_json(&whole).unwrap(), data);
    }

    #[test]
    fn json_errors_say_where_and_what() {
        let error = FillData::from_json("{\n\"a\": }").unwrap_err();
        assert!(matches!(error, DataError::Json { line: 2, .. }), "{error}");
        let error = FillData::from_json(r#"{"box": true}"#).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the value of \"box\" is true; expected a string, null or a list of strings"
        );
        assert_eq!(
            FillData::from_json("[1]").unwrap_err(),
            DataError::NotAnObject
        );
    }

    #[test]
    fn urlencoded_repeats_make_lists_and_round_trip() {
        let text = "name=J%C3%BCrgen+M&langs=en&langs=fr&notes=\n";
        let data = FillData::from_urlencoded(text).unwrap();
        assert_eq!(data.get("name"), Some(&FieldValue::Text("Jürgen M".into())));
        assert_eq!(
            data.get("langs"),
            Some(&FieldValue::List(vec!["en".into(), "fr".into()]))
        );
        assert_eq!(data.get("notes"), Some(&FieldValue::Text(String::new())));
        assert_eq!(data.to_string(), text.trim_end());
        assert!(FillData::from_urlencoded("a=%FF").is_err());
        assert!(FillData::from_urlencoded("a=%4").is_err());
    }

    #[test]
    fn csv_rows_keep_going_past_a_bad_record() {
        let text = "name,langs\nAda,\"[\"\"en\"\",\"\"fr\"\"]\"\nBob\nCy,\n";
        let rows = FillData::csv_rows(text).unwrap();
        assert_eq!(rows.len(), 3);
        let first = rows[0].data.as_ref().unwrap();
        assert_eq!(
            first.get("langs"),
            Some(&FieldValue::List(vec!["en".into(), "fr".into()]))
        );
        assert_eq!((rows[1].row, rows[1].line), (2, 3));
        assert_eq!(
            rows[1].data.as_ref().unwrap_err().to_string(),
            "line 3: 1 values for the 2 columns of the header"
        );
        assert_eq!(
            rows[2].data.as_ref().unwrap().get("langs"),
            Some(&FieldValue::Null)
        );
    }
}
