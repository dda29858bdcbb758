//! The development corpus (tests/corpus, see its README): every value the
//! anchor tools agreed on must be reproduced.
//!
//! Where the anchors disagreed (`anchor_disagreements`), the consensus is
//! also what ISO 32000-2 prescribes, so these tests hold us to it:
//!
//! * **Inherited /FT and /V** (pypdf says `null`): 12.7.4.1, table 226 marks
//!   FT, Ff, V and DV inheritable — a terminal field without its own /V
//!   takes its ancestor's.
//! * **Multi-select list values** (PyMuPDF says `null`): 12.7.5.4, table 231
//!   — /V of a choice field may be an array of text strings when several
//!   items are selected; the array *is* the value.
//! * **Radio on-states mapped through /Opt** (pdftk): 12.7.5.2.4 — /V of a
//!   button is the *name* of the on appearance state; /Opt only gives export
//!   text for forms submitted as text, so the value stays the state name.
//! * **Names with `#xx` escapes** (PyMuPDF re-escapes them): 7.3.5 — `#23`
//!   in a name is the byte `#`, so `/#23e5` is the three characters "#e5".
//! * **Empty strings in a choice /V array** (pdftk lists `""`): the
//!   selected items are the array's non-empty text strings.
//! * **Text values with CR or LF** (pdftk keeps only the first line): the
//!   value is the whole text string; line endings stay as the document
//!   has them.

use magvar_pdfform::{FieldKind, FieldValue, Form, PdfDocument};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn expected_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .map(|entry| entry.expect("dir entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

fn load(expected_path: &Path) -> (Value, Form) {
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).expect("read expected"))
            .expect("json");
    let pdf_path = corpus_dir().join(expected["file"].as_str().expect("file key"));
    let pdf = PdfDocument::open(&pdf_path, None).unwrap_or_else(|e| panic!("{e}"));
    let form = pdf.form().unwrap_or_else(|e| panic!("{e}"));
    (expected, form)
}

fn type_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "Tx",
        FieldKind::Checkbox | FieldKind::Radio | FieldKind::Pushbutton => "Btn",
        FieldKind::Combo | FieldKind::List => "Ch",
        FieldKind::Signature => "Sig",
    }
}

fn value_json(value: &FieldValue) -> Value {
    serde_json::to_value(value).expect("value serialises")
}

/// Compares one document with its expected file; returns the mismatches.
fn mismatches(expected: &Value, form: &Form) -> Vec<String> {
    let mut problems = Vec::new();
    let ours: BTreeMap<&str, _> = form.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let expected_fields = expected["fields"].as_object().expect("fields object");
    let presence = expected["anchor_field_presence_differences"].as_object();
    for name in ours.keys() {
        if !expected_fields.contains_key(*name) && !presence.is_some_and(|p| p.contains_key(*name))
        {
            problems.push(format!("extra field {name:?}"));
        }
    }
    for (name, want) in expected_fields {
        let Some(field) = ours.get(name.as_str()) else {
            problems.push(format!("missing field {name:?}"));
            continue;
        };
        let consensus = want.get("consensus") != Some(&Value::Bool(false));
        if let Some(kind) = want["type"].as_str()
            && kind != type_name(field.kind)
        {
            problems.push(format!(
                "{name}: type {kind} expected, got {:?}",
                field.kind
            ));
        }
        if consensus || !want["value"].is_null() {
            let got = value_json(&field.value);
            if got != want["value"] {
                problems.push(format!(
                    "{name}: value {} expected, got {got}",
                    want["value"]
                ));
            }
        }
        if let Some(options) = want.get("options").and_then(Value::as_array) {
            let got: Vec<Value> = field
                .options
                .iter()
                .map(|o| Value::from(o.display.as_str()))
                .collect();
            if &got != options {
                problems.push(format!("{name}: options {options:?} expected, got {got:?}"));
            }
        }
        // /AP /N is a dictionary: its keys have no meaningful order, so
        // states compare as sets.
        if let Some(states) = want.get("states").and_then(Value::as_array) {
            let mut want_states: Vec<&str> = states.iter().filter_map(Value::as_str).collect();
            let mut got: Vec<&str> = field.states.iter().map(String::as_str).collect();
            want_states.sort_unstable();
            got.sort_unstable();
            if got != want_states {
                problems.push(format!(
                    "{name}: states {want_states:?} expected, got {got:?}"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_corpus_file_reproduces_the_consensus() {
    let files = expected_files();
    assert_eq!(files.len(), 27, "the corpus README lists 27 files");
    let mut report = Vec::new();
    for path in &files {
        let (expected, form) = load(path);
        let field_count = expected["field_count"].as_u64().expect("field_count");
        assert_eq!(
            expected["fields"].as_object().map(|f| f.len() as u64),
            Some(field_count),
            "{}",
            path.display()
        );
        let problems = mismatches(&expected, &form);
        if !problems.is_empty() {
            report.push(format!("{}:\n  {}", path.display(), problems.join("\n  ")));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// RadioButton4 of the CMS form has no consensus on its on-state: the name
/// holds byte 0x90, which is not UTF-8. PDF 2.0 (7.3.5) says names should be
/// read as UTF-8; for bytes that are not, the producer (Acrobat on Windows)
/// meant a single-byte encoding, and PDFDocEncoding maps 0x90 to U+2019, the
/// apostrophe of "Patient’s" — pypdf's CJK character and pdftk's dropped
/// byte both lose it.
#[test]
fn non_utf8_state_name_reads_as_pdf_doc_encoding() {
    let (_, form) = load(&corpus_dir().join("pymupdf_cms-etc-filled.pdf.expected.json"));
    let field = form
        .fields
        .iter()
        .find(|f| f.name == "RadioButton4")
        .expect("RadioButton4");
    assert_eq!(field.states.len(), 1);
    assert!(
        field.states[0].starts_with("Type of Patient\u{2019}s Request (see instructions"),
        "{:?}",
        field.states[0]
    );
    assert_eq!(field.value, FieldValue::Text("Off".into()));
}
