//! Value conventions on small generated forms: cases the corpus lacks.

mod common;

use common::{form_pdf, pdf_with_objects};
use magvar_pdfform::{Error, FieldKind, FieldValue, FormSource, PdfDocument};

fn form(bytes: &[u8]) -> magvar_pdfform::Form {
    PdfDocument::from_bytes(bytes, "values.pdf", None)
        .expect("opens")
        .form()
        .expect("form")
}

#[test]
fn text_value_may_be_a_stream_and_keeps_its_line_endings() {
    let value = "first line\r\nsecond\rthird\n";
    let extra = vec![
        "<< /T (notes) /FT /Tx /Ff 4096 /V 6 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{value}\nendstream", value.len()),
    ];
    let form = form(&form_pdf("[5 0 R]", "[]", &extra));
    assert_eq!(form.fields[0].value, FieldValue::Text(value.into()));
}

#[test]
fn utf16le_and_utf8_boms_decode() {
    let extra = vec![
        // "Zü" in UTF-16LE with its BOM, as a hex string.
        "<< /T (le) /FT /Tx /V <FFFE5A00FC00> >>".to_owned(),
        // "Zü" in UTF-8 with its BOM (PDF 2.0).
        "<< /T (u8) /FT /Tx /V <EFBBBF5AC3BC> >>".to_owned(),
    ];
    let form = form(&form_pdf("[5 0 R 6 0 R]", "[]", &extra));
    let values: Vec<&FieldValue> = form.fields.iter().map(|f| &f.value).collect();
    assert_eq!(
        values,
        [
            &FieldValue::Text("Zü".into()),
            &FieldValue::Text("Zü".into())
        ]
    );
}

#[test]
fn flags_kinds_and_signature_values() {
    let extra = vec![
        "<< /T (ro) /FT /Tx /Ff 3 /V () >>".to_owned(),
        "<< /T (push) /FT /Btn /Ff 65536 /V /Yes >>".to_owned(),
        "<< /T (signed) /FT /Sig /V << /Type /Sig /Filter /Adobe.PPKLite >> >>".to_owned(),
        "<< /T (combo) /FT /Ch /Ff 131072 /Opt [[(de) (Deutsch)] (fr)] /V [(de)] >>".to_owned(),
    ];
    let form = form(&form_pdf("[5 0 R 6 0 R 7 0 R 8 0 R]", "[]", &extra));
    let ro = &form.fields[0];
    assert!(ro.read_only && ro.required);
    assert_eq!(ro.value, FieldValue::Null, "an empty text value is null");
    assert_eq!(form.fields[1].kind, FieldKind::Pushbutton);
    assert_eq!(
        form.fields[1].value,
        FieldValue::Text("Off".into()),
        "pushbuttons are Off"
    );
    assert_eq!(form.fields[2].value, FieldValue::Text("signed".into()));
    let combo = &form.fields[3];
    assert_eq!(combo.kind, FieldKind::Combo);
    assert_eq!(
        combo.value,
        FieldValue::Text("de".into()),
        "a one-element array is a string"
    );
    assert_eq!(combo.options[0].export, "de");
    assert_eq!(combo.options[0].display, "Deutsch");
    assert_eq!(combo.options[1].display, "fr");
}

/// `/V /` is a name with no characters: no appearance state is called
/// that, so no button is on, as when /V is absent.
#[test]
fn a_button_whose_value_is_the_empty_name_is_off() {
    let extra = vec![
        // A radio group of two widgets, neither of them on.
        "<< /T (choice) /FT /Btn /Ff 49152 /V / /Kids [6 0 R 7 0 R] >>".to_owned(),
        "<< /Type /Annot /Subtype /Widget /Parent 5 0 R /Rect [0 0 10 10] \
         /AP << /N << /left 9 0 R /Off 9 0 R >> >> /AS /Off >>"
            .to_owned(),
        "<< /Type /Annot /Subtype /Widget /Parent 5 0 R /Rect [20 0 30 10] \
         /AP << /N << /right 9 0 R /Off 9 0 R >> >> /AS /Off >>"
            .to_owned(),
        "<< /T (tick) /FT /Btn /V / >>".to_owned(),
        "<< /Length 0 >>\nstream\n\nendstream".to_owned(),
    ];
    let form = form(&form_pdf("[5 0 R 8 0 R]", "[6 0 R 7 0 R]", &extra));
    let choice = &form.fields[0];
    assert_eq!(choice.kind, FieldKind::Radio);
    assert_eq!(choice.states, ["left", "right"]);
    assert_eq!(choice.value, FieldValue::Text("Off".into()));
    assert_eq!(form.fields[1].kind, FieldKind::Checkbox);
    assert_eq!(form.fields[1].value, FieldValue::Text("Off".into()));
    // Posted as a browser posts an unchecked box: not at all.
    assert_eq!(form.urlencoded(), "");
}

/// Catalog with an AcroForm holding `/XFA xfa` and `/Fields fields`.
fn xfa_pdf(fields: &str, datasets: &str) -> Vec<u8> {
    pdf_with_objects(&[
        format!(
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields {fields} /XFA [(template) 4 0 R (datasets) 5 0 R] >> >>"
        ),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_owned(),
        "<< /Length 10 >>\nstream\n<template/>\nendstream".to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{datasets}\nendstream",
            datasets.len()
        ),
        "<< /T (acro) /FT /Tx /V (from the AcroForm) >>".to_owned(),
    ])
}

const DATASETS: &str = "<xfa:datasets xmlns:xfa=\"http://www.xfa.org/schema/xfa-data/1.0/\"><xfa:data>\
    <form1><applicant>Ann &amp; Bob</applicant><amount>12.50</amount></form1></xfa:data></xfa:datasets>";

#[test]
fn xfa_only_form_gives_its_datasets_values() {
    let form = form(&xfa_pdf("[]", DATASETS));
    assert_eq!(form.source, FormSource::Xfa);
    let values: Vec<(&str, &FieldValue)> = form.values().collect();
    assert_eq!(
        values,
        [
            ("form1.applicant", &FieldValue::Text("Ann & Bob".into())),
            ("form1.amount", &FieldValue::Text("12.50".into())),
        ]
    );
}

#[test]
fn hybrid_form_is_read_from_the_acroform() {
    let form = form(&xfa_pdf("[6 0 R]", DATASETS));
    assert_eq!(form.source, FormSource::AcroForm);
    assert_eq!(form.fields.len(), 1);
    assert_eq!(
        form.fields[0].value,
        FieldValue::Text("from the AcroForm".into())
    );
}

#[test]
fn xfa_only_form_without_data_is_a_clear_error() {
    let error = PdfDocument::from_bytes(&xfa_pdf("[]", "<xfa:datasets/>"), "values.pdf", None)
        .expect("opens")
        .form()
        .expect_err("no values");
    assert!(matches!(error, Error::XfaOnly { .. }), "{error}");
    assert!(
        error.to_string().starts_with("values.pdf: XFA-only form"),
        "{error}"
    );
}
