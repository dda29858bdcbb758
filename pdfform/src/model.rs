//! The public data types a form reads into. Their serde shapes are the
//! JSON the CLI prints, so field names here are part of the interface.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What sort of field this is, from /FT and the /Ff flag bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Text,
    Checkbox,
    Radio,
    Pushbutton,
    Combo,
    List,
    Signature,
}

/// A field's value under the crate's conventions:
///
/// * text → the string, or `Null` when /V is absent or empty;
/// * checkbox and radio → the on-state name (without "/"), or `"Off"` when
///   /V is absent, the empty name or names the off state;
///   pushbuttons are always `"Off"`;
/// * combo and list → the string, or `List` when several items are
///   selected (a one-element array reads as a plain string);
/// * signature → `Null` when unsigned, `"signed"` when signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Null,
    Text(String),
    List(Vec<String>),
}

impl FieldValue {
    /// The value as the strings a browser would post for it: none for
    /// `Null`, one for `Text`, one per item for `List`.
    pub fn as_strings(&self) -> Vec<&str> {
        match self {
            FieldValue::Null => Vec::new(),
            FieldValue::Text(text) => vec![text.as_str()],
            FieldValue::List(items) => items.iter().map(String::as_str).collect(),
        }
    }
}

impl From<&str> for FieldValue {
    fn from(text: &str) -> Self {
        FieldValue::Text(text.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(text: String) -> Self {
        FieldValue::Text(text)
    }
}

impl From<Vec<String>> for FieldValue {
    fn from(items: Vec<String>) -> Self {
        FieldValue::List(items)
    }
}

/// One entry of a choice field's /Opt: the value submitted and the text shown.
/// A plain-string entry has both equal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    pub export: String,
    pub display: String,
}

/// Where one widget annotation of a field sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Widget {
    /// 1-based page number, `None` when the widget is on no page.
    pub page: Option<u32>,
    /// `[x0, y0, x1, y1]` in default user space, normalised so x0 ≤ x1, y0 ≤ y1.
    pub rect: Option<[f64; 4]>,
}

/// One terminal form field with its widgets merged in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Fully qualified name: the partial names (/T) of the field and its
    /// ancestors joined with ".".
    pub name: String,
    pub kind: FieldKind,
    pub value: FieldValue,
    /// Choice-field items, and the export values of a button's /Opt.
    pub options: Vec<ChoiceOption>,
    /// Button on-state names from the widgets' /AP /N, "Off" left out.
    pub states: Vec<String>,
    /// Page of the first widget (1-based).
    pub page: Option<u32>,
    /// Rectangle of the first widget.
    pub rect: Option<[f64; 4]>,
    pub read_only: bool,
    pub required: bool,
    /// Every widget, in /Kids order (a field shown twice has two).
    pub widgets: Vec<Widget>,
}

/// Where a form's fields were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormSource {
    /// The AcroForm field tree (including hybrid AcroForm + XFA forms).
    AcroForm,
    /// The datasets packet of an XFA-only form: names are data paths and
    /// every field is reported as text.
    Xfa,
}

/// Every field of one document.
///
/// Serialises as `{"file", "source", "fields", "values", "warnings"}` where
/// `values` is `{name: value}` in field order (the first field wins when a
/// badly made form repeats a name).
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The path or name the document was opened under.
    pub file: String,
    pub source: FormSource,
    pub fields: Vec<Field>,
    /// Oddities that did not stop the reading (a cycle in the field tree,
    /// a field without /FT...), one sentence each.
    pub warnings: Vec<String>,
}

impl Form {
    /// `(name, value)` for every field in order, each name once.
    pub fn values(&self) -> impl Iterator<Item = (&str, &FieldValue)> {
        let mut seen = HashSet::new();
        self.fields
            .iter()
            .filter(move |field| seen.insert(field.name.as_str()))
            .map(|field| (field.name.as_str(), &field.value))
    }
}

struct ValuesView<'a>(&'a Form);

impl Serialize for ValuesView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, value) in self.0.values() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl Serialize for Form {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut form = serializer.serialize_struct("Form", 5)?;
        form.serialize_field("file", &self.file)?;
        form.serialize_field("source", &self.source)?;
        form.serialize_field("fields", &self.fields)?;
        form.serialize_field("values", &ValuesView(self))?;
        form.serialize_field("warnings", &self.warnings)?;
        form.end()
    }
}
