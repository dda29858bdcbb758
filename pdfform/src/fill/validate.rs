//! Checking fill data against the form before anything is written: every
//! problem is collected, each naming its field, and what is valid becomes
//! the list of values to write.

use super::data::FillData;
use super::table::{FF_EDIT, FF_MULTI_SELECT, FieldTable};
use crate::model::{Field, FieldKind, FieldValue, Form};

/// One way the data does not fit the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FillProblem {
    #[error("no field is named \"{name}\"{}", closest_names(closest))]
    UnknownField { name: String, closest: Vec<String> },
    #[error(
        "field \"{field}\": \"{value}\" is not one of its options: {}",
        quoted(options)
    )]
    NotAnOption {
        field: String,
        value: String,
        options: Vec<String>,
    },
    #[error(
        "field \"{field}\": \"{value}\" is not one of its states: {}",
        quoted(states)
    )]
    NoSuchState {
        field: String,
        value: String,
        states: Vec<String>,
    },
    #[error("field \"{field}\": the value has {length} characters, over its limit of {max_len}")]
    TooLong {
        field: String,
        length: usize,
        max_len: usize,
    },
    #[error("field \"{field}\" takes one value, not {count}")]
    OneValue { field: String, count: usize },
    #[error("field \"{field}\" is read-only")]
    ReadOnly { field: String },
    #[error("field \"{field}\" is a signature field, which filling cannot sign")]
    Signature { field: String },
    #[error("field \"{field}\" is a push button, which has no value")]
    Pushbutton { field: String },
    #[error(
        "field \"{field}\": its font /{font} cannot show {}",
        characters(missing)
    )]
    Unencodable {
        field: String,
        font: String,
        missing: Vec<char>,
    },
    #[error("field \"{field}\" is written inside another object and cannot be changed on its own")]
    NotAddressable { field: String },
}

fn closest_names(closest: &[String]) -> String {
    match closest {
        [] => String::new(),
        names => format!(" (closest: {})", quoted(names)),
    }
}

fn quoted(items: &[String]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    let quoted: Vec<String> = items.iter().map(|item| format!("\"{item}\"")).collect();
    quoted.join(", ")
}

fn characters(missing: &[char]) -> String {
    let shown: Vec<String> = missing
        .iter()
        .map(|c| format!("'{c}' (U+{:04X})", u32::from(*c)))
        .collect();
    shown.join(", ")
}

/// A field's new value, in the form it is written.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum NewValue {
    /// A text field's text; `None` empties it.
    Text(Option<String>),
    /// A checkbox's or radio group's state: an on-state name or "Off".
    State(String),
    /// A choice field's selected export values, and their /Opt indices
    /// (none for an editable combo box's own text).
    Choice {
        items: Vec<String>,
        indices: Vec<usize>,
    },
}

impl NewValue {
    /// What reading the filled form gives for it.
    pub(super) fn read_back(&self) -> FieldValue {
        match self {
            NewValue::Text(None) => FieldValue::Null,
            NewValue::Text(Some(text)) => FieldValue::Text(text.clone()),
            NewValue::State(state) => FieldValue::Text(state.clone()),
            NewValue::Choice { items, .. } => match items.as_slice() {
                [] => FieldValue::Null,
                [one] => FieldValue::Text(one.clone()),
                many => FieldValue::List(many.to_vec()),
            },
        }
    }
}

/// A field to change: its index in the form and its new value.
pub(super) struct Change {
    pub(super) field: usize,
    pub(super) value: NewValue,
}

/// The changes `data` asks for, or every problem with it. A value equal
/// to the field's own is no change (so that the whole output of reading a
/// form, signature and read-only fields included, fills back cleanly).
pub(super) fn check(
    form: &Form,
    table: &FieldTable,
    data: &FillData,
    force: bool,
) -> Result<Vec<Change>, Vec<FillProblem>> {
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in data.iter() {
        let Some(indices) = table.by_name.get(name) else {
            problems.push(FillProblem::UnknownField {
                name: name.to_owned(),
                closest: closest(form, name),
            });
            continue;
        };
        for &index in indices {
            let field = &form.fields[index];
            match new_value(field, table, index, value) {
                Ok(None) => {}
                Ok(Some(new)) if new.read_back() == field.value => {}
                Ok(Some(new)) => {
                    if field.read_only && !force {
                        problems.push(FillProblem::ReadOnly {
                            field: field.name.clone(),
                        });
                    } else if table.fields[index].id.is_none() {
                        problems.push(FillProblem::NotAddressable {
                            field: field.name.clone(),
                        });
                    } else {
                        changes.push(Change {
                            field: index,
                            value: new,
                        });
                    }
                }
                Err(mut found) => problems.append(&mut found),
            }
        }
    }
    if problems.is_empty() {
        Ok(changes)
    } else {
        Err(problems)
    }
}

/// Up to three field names most like `name`, the likest first.
fn closest(form: &Form, name: &str) -> Vec<String> {
    let wanted = name.to_lowercase();
    let mut scored: Vec<(f64, &str)> = form
        .values()
        .map(|(candidate, _)| {
            let score = strsim::jaro_winkler(&wanted, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(3)
        .map(|(_, n)| n.to_owned())
        .collect()
}

/// The single string of a value; `None` for null or an empty list.
fn one(field: &Field, value: &FieldValue) -> Result<Option<String>, Vec<FillProblem>> {
    match value {
        FieldValue::Null => Ok(None),
        FieldValue::Text(text) => Ok(Some(text.clone())),
        FieldValue::List(items) => match items.as_slice() {
            [] => Ok(None),
            [item] => Ok(Some(item.clone())),
            many => Err(vec![FillProblem::OneValue {
                field: field.name.clone(),
                count: many.len(),
            }]),
        },
    }
}

/// The new value of one field; `None` where the value leaves it as it is
/// (a push button's "Off", a signature's own value).
fn new_value(
    field: &Field,
    table: &FieldTable,
    index: usize,
    value: &FieldValue,
) -> Result<Option<NewValue>, Vec<FillProblem>> {
    let entry = &table.fields[index];
    let name = || field.name.clone();
    match field.kind {
        FieldKind::Text => {
            let text = one(field, value)?.filter(|text| !text.is_empty());
            if let (Some(text), Some(max_len)) = (&text, entry.max_len) {
                let length = text.chars().count();
                if length > max_len {
                    return Err(vec![FillProblem::TooLong {
                        field: name(),
                        length,
                        max_len,
                    }]);
                }
            }
            Ok(Some(NewValue::Text(text)))
        }
        FieldKind::Checkbox | FieldKind::Radio => {
            let state = one(field, value)?.filter(|s| !s.is_empty());
            match state.as_deref() {
                None | Some("Off") => Ok(Some(NewValue::State("Off".into()))),
                Some(state) if field.states.iter().any(|s| s == state) => {
                    Ok(Some(NewValue::State(state.to_owned())))
                }
                Some(state) => Err(vec![FillProblem::NoSuchState {
                    field: name(),
                    value: state.to_owned(),
                    states: std::iter::once("Off".to_owned())
                        .chain(field.states.iter().cloned())
                        .collect(),
                }]),
            }
        }
        FieldKind::Pushbutton => match one(field, value)?.as_deref() {
            None | Some("Off") | Some("") => Ok(None),
            Some(_) => Err(vec![FillProblem::Pushbutton { field: name() }]),
        },
        FieldKind::Signature => {
            if *value == field.value {
                Ok(None)
            } else {
                Err(vec![FillProblem::Signature { field: name() }])
            }
        }
        FieldKind::Combo => {
            let Some(text) = one(field, value)?.filter(|t| !t.is_empty()) else {
                return Ok(Some(NewValue::Choice {
                    items: Vec::new(),
                    indices: Vec::new(),
                }));
            };
            match option_index(entry, &text) {
                Some(index) => Ok(Some(NewValue::Choice {
                    items: vec![entry.options[index].0.clone()],
                    indices: vec![index],
                })),
                // An editable combo box takes text of its own.
                None if entry.flags & FF_EDIT != 0 => Ok(Some(NewValue::Choice {
                    items: vec![text],
                    indices: Vec::new(),
                })),
                None => Err(vec![not_an_option(field, entry, &text)]),
            }
        }
        FieldKind::List => {
            let items: Vec<String> = match value {
                FieldValue::Null => Vec::new(),
                FieldValue::Text(text) if text.is_empty() => Vec::new(),
                // A CSV cell or a form field cannot hold a list: a JSON list
                // written as text stands for one, unless it is an option.
                FieldValue::Text(text) if option_index(entry, text).is_none() => {
                    serde_json::from_str::<Vec<String>>(text).unwrap_or_else(|_| vec![text.clone()])
                }
                FieldValue::Text(text) => vec![text.clone()],
                FieldValue::List(items) => items.clone(),
            };
            let mut items_out = Vec::new();
            let mut indices = Vec::new();
            let mut problems = Vec::new();
            for item in &items {
                match option_index(entry, item) {
                    Some(index) if !indices.contains(&index) => {
                        indices.push(index);
                        items_out.push(entry.options[index].0.clone());
                    }
                    Some(_) => {}
                    None => problems.push(not_an_option(field, entry, item)),
                }
            }
            if indices.len() > 1 && entry.flags & FF_MULTI_SELECT == 0 {
                problems.push(FillProblem::OneValue {
                    field: name(),
                    count: indices.len(),
                });
            }
            if problems.is_empty() {
                Ok(Some(NewValue::Choice {
                    items: items_out,
                    indices,
                }))
            } else {
                Err(problems)
            }
        }
    }
}

/// The /Opt index whose export value is `text`, else the one item whose
/// shown text is.
fn option_index(entry: &super::table::FieldEntry, text: &str) -> Option<usize> {
    if let Some(index) = entry.options.iter().position(|(export, _)| export == text) {
        return Some(index);
    }
    let mut shown = entry
        .options
        .iter()
        .enumerate()
        .filter(|(_, (_, display))| display == text);
    match (shown.next(), shown.next()) {
        (Some((index, _)), None) => Some(index),
        _ => None,
    }
}

fn not_an_option(field: &Field, entry: &super::table::FieldEntry, value: &str) -> FillProblem {
    FillProblem::NotAnOption {
        field: field.name.clone(),
        value: value.to_owned(),
        options: entry
            .options
            .iter()
            .map(|(export, display)| {
                if export == display {
                    export.clone()
                } else {
                    format!("{export} ({display})")
                }
            })
            .collect(),
    }
}
