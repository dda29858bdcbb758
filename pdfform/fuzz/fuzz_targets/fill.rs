//! The fill path on arbitrary bytes: whatever opens as a form is filled
//! with a value of each field's kind and written as an update and as a new
//! file, and the output is read again. Any panic, hang or runaway
//! allocation is a bug; `pdfform/tests/fill_hostile.rs` runs the same path
//! on corpus mutants with every `cargo test`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magvar_pdfform::{FieldKind, FieldValue, FillData, FillOptions, FormFiller, PdfDocument};

fuzz_target!(|bytes: &[u8]| {
    let Ok(pdf) = PdfDocument::from_bytes(bytes, "fuzz.pdf", None) else {
        return;
    };
    let Ok(filler) = FormFiller::new(pdf) else {
        return;
    };
    let mut data = FillData::new();
    for field in &filler.form().fields {
        let value = match field.kind {
            FieldKind::Text => FieldValue::Text("Fuzz (é) \\ 1".into()),
            FieldKind::Checkbox | FieldKind::Radio => FieldValue::Text(
                field.states.first().cloned().unwrap_or_else(|| "Off".into()),
            ),
            FieldKind::Combo | FieldKind::List => match field.options.first() {
                Some(option) => FieldValue::Text(option.export.clone()),
                None => continue,
            },
            FieldKind::Pushbutton | FieldKind::Signature => continue,
        };
        data.insert(field.name.clone(), value);
    }
    for (rewrite, flatten) in [(false, false), (true, false), (false, true)] {
        let options = FillOptions { force: true, rewrite, flatten, ..FillOptions::default() };
        if let Ok(filled) = filler.fill(&data, &options)
            && let Ok(out) = filled.to_bytes()
            && let Ok(pdf) = PdfDocument::from_bytes(&out, "filled.pdf", None)
        {
            let _ = pdf.form();
        }
    }
});
