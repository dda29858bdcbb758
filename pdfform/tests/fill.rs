//! Filling forms: the whole corpus round trip (every field of every form
//! filled with a valid value of its kind and read back equal, updated in
//! place and rewritten), what an incremental update keeps, encryption,
//! flattening, and every way data can fail to fit.

mod common;

use magvar_pdfform::{
    Error, FieldValue, FillData, FillOptions, FillProblem, FormFiller, PdfDocument,
};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn corpus_pdfs() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

fn filler(name: &str) -> FormFiller {
    let pdf = PdfDocument::open(corpus_dir().join(name), None).expect("opens");
    FormFiller::new(pdf).expect("fillable")
}

fn reopen(bytes: &[u8]) -> PdfDocument {
    PdfDocument::from_bytes(bytes, "filled.pdf", None).unwrap_or_else(|e| panic!("{e}"))
}

fn values(form: &magvar_pdfform::Form) -> Vec<(String, FieldValue)> {
    form.values()
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect()
}

fn forced() -> FillOptions {
    FillOptions {
        force: true,
        ..FillOptions::default()
    }
}

/// Every form of the corpus, every field: what reading the output gives is
/// what filling said it would, and every value asked for is there.
#[test]
fn whole_corpus_round_trips_updated_and_rewritten() {
    for path in corpus_pdfs() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let pdf = PdfDocument::open(&path, None).expect("opens");
        let filler = match FormFiller::new(pdf) {
            Ok(filler) => filler,
            Err(error) => panic!("{name}: {error}"),
        };
        let data = common::valid_fill(&filler);
        for rewrite in [false, true] {
            let options = FillOptions {
                rewrite,
                ..forced()
            };
            let filled = filler
                .fill(&data, &options)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let bytes = filled.to_bytes().unwrap_or_else(|e| panic!("{name}: {e}"));
            let read = reopen(&bytes)
                .form()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let context = format!("{name} (rewrite: {rewrite})");
            assert_eq!(values(&read), values(&filled.form()), "{context}");
            for (field, value) in data.iter() {
                let got = read.values().find(|(n, _)| *n == field).map(|(_, v)| v);
                let wanted = match value {
                    FieldValue::List(items) if items.len() == 1 => {
                        FieldValue::Text(items[0].clone())
                    }
                    FieldValue::Text(text) if text.is_empty() => FieldValue::Null,
                    other => other.clone(),
                };
                assert_eq!(got, Some(&wanted), "{context}: {field}");
            }
            let damaged = filled.warnings().iter().any(|w| w.contains("damaged"));
            let expect_damaged = name == "gen_broken_xref_offsets.pdf" && !rewrite;
            assert_eq!(damaged, expect_damaged, "{context}");
            common::qpdf_check(&bytes, &context);
            if !rewrite && !damaged {
                let original = std::fs::read(&path).unwrap();
                assert!(
                    bytes.starts_with(&original),
                    "{context}: original bytes kept"
                );
            }
        }
    }
}

#[test]
fn an_update_appends_an_xref_stream_where_the_file_has_one() {
    for (name, stream) in [
        ("gen_objstm_xrefstream.pdf", true),
        ("gen_hierarchical_inherited.pdf", false),
    ] {
        let filler = filler(name);
        let mut data = FillData::new();
        data.insert("notes", "appended");
        let bytes = filler
            .fill(&data, &FillOptions::default())
            .unwrap()
            .to_bytes()
            .unwrap();
        let original = std::fs::read(corpus_dir().join(name)).unwrap();
        let update = String::from_utf8_lossy(&bytes[original.len()..]);
        assert_eq!(update.contains("/Type/XRef"), stream, "{name}: {update}");
        assert_eq!(update.contains("\nxref\n"), !stream, "{name}");
        assert!(update.contains("/Prev "), "{name}");
        assert!(update.trim_end().ends_with("%%EOF"), "{name}");
    }
}

#[test]
fn encrypted_forms_stay_encrypted_with_the_same_key() {
    for name in [
        "gen_enc_rc4_40.pdf",
        "gen_enc_rc4_128.pdf",
        "gen_enc_aes128.pdf",
        "gen_enc_aes256.pdf",
        "pdfjs_issue9972-1_aes128.pdf",
    ] {
        let filler = filler(name);
        let data = common::valid_fill(&filler);
        for rewrite in [false, true] {
            let options = FillOptions {
                rewrite,
                ..forced()
            };
            let bytes = filler.fill(&data, &options).unwrap().to_bytes().unwrap();
            // The values are not readable in the clear.
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("Filled 0"), "{name} rewrite {rewrite}");
            let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
            assert!(doc.encryption_state.is_some(), "{name} rewrite {rewrite}");
            let read = reopen(&bytes).form().unwrap();
            for (field, value) in data.iter() {
                let got = read
                    .values()
                    .find(|(n, _)| *n == field)
                    .map(|(_, v)| v.clone());
                assert!(got.is_some(), "{name}: {field}");
                if let FieldValue::Text(text) = value {
                    assert_eq!(got, Some(FieldValue::Text(text.clone())), "{name}: {field}");
                }
            }
        }
    }
}

#[test]
fn problems_are_all_listed_with_their_field() {
    let filler = filler("gen_hierarchical_inherited.pdf");
    let form = filler.form();
    let kinds: Vec<(&str, magvar_pdfform::FieldKind)> = form
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.kind))
        .collect();
    let find = |kind| kinds.iter().find(|(_, k)| *k == kind).unwrap().0;
    use magvar_pdfform::FieldKind;
    let mut data = FillData::new();
    data.insert("contact.phon", "1");
    data.insert(find(FieldKind::Combo), "no such option");
    data.insert(find(FieldKind::Radio), "Maybe");
    data.insert(find(FieldKind::Signature), "signed");
    data.insert(find(FieldKind::Text), vec!["a".to_owned(), "b".to_owned()]);
    let Err(Error::InvalidFill { problems, .. }) = filler.fill(&data, &FillOptions::default())
    else {
        panic!("refused");
    };
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(
        matches!(&problems[0], FillProblem::UnknownField { closest, .. } if closest.contains(&"contact.phone".to_owned()))
    );
    assert!(
        matches!(&problems[1], FillProblem::NotAnOption { options, .. } if !options.is_empty())
    );
    assert!(
        matches!(&problems[2], FillProblem::NoSuchState { states, .. } if states[0] == "Off" && states.len() > 1)
    );
    assert!(matches!(&problems[3], FillProblem::Signature { .. }));
    assert!(matches!(
        &problems[4],
        FillProblem::OneValue { count: 2, .. }
    ));
    // Each message names its field, quoted.
    let named = [
        "contact.phon",
        find(FieldKind::Combo),
        find(FieldKind::Radio),
        find(FieldKind::Signature),
        find(FieldKind::Text),
    ];
    for (problem, name) in problems.iter().zip(named) {
        let message = problem.to_string();
        assert!(message.contains(&format!("\"{name}\"")), "{message}");
    }
}

#[test]
fn the_whole_output_of_reading_a_form_fills_back_unchanged() {
    for name in [
        "gen_hierarchical_inherited.pdf",
        "pymupdf_cms-etc-filled.pdf",
    ] {
        let filler = filler(name);
        let json = serde_json::to_string(filler.form()).unwrap();
        let data = FillData::from_json(&json).unwrap();
        let filled = filler.fill(&data, &FillOptions::default()).unwrap();
        assert!(
            filled.changed_fields().is_empty(),
            "{name}: {:?}",
            filled.changed_fields()
        );
    }
}

#[test]
fn characters_the_font_lacks_warn_or_are_refused_when_strict() {
    let filler = filler("gen_hierarchical_inherited.pdf");
    let mut data = FillData::new();
    data.insert("notes", "Привет");
    let filled = filler.fill(&data, &FillOptions::default()).unwrap();
    assert_eq!(filled.warnings().len(), 1, "{:?}", filled.warnings());
    assert!(filled.warnings()[0].contains("\"notes\""));
    let bytes = filled.to_bytes().unwrap();
    let read = reopen(&bytes).form().unwrap();
    let notes = read.fields.iter().find(|f| f.name == "notes").unwrap();
    assert_eq!(notes.value, FieldValue::Text("Привет".into()));
    assert!(String::from_utf8_lossy(&bytes).contains("/NeedAppearances true"));
    let strict = FillOptions {
        strict: true,
        ..FillOptions::default()
    };
    let Err(Error::InvalidFill { problems, .. }) = filler.fill(&data, &strict) else {
        panic!("refused when strict");
    };
    assert!(matches!(&problems[0], FillProblem::Unencodable { field, .. } if field == "notes"));
}

#[test]
fn flattening_draws_the_values_into_the_page_and_removes_the_form() {
    let filler = filler("gen_reportlab_rev_footer.pdf");
    let mut data = FillData::new();
    let text_field = filler
        .form()
        .fields
        .iter()
        .find(|f| f.kind == magvar_pdfform::FieldKind::Text)
        .unwrap()
        .name
        .clone();
    data.insert(text_field.as_str(), "Flattened Value");
    let options = FillOptions {
        flatten: true,
        ..FillOptions::default()
    };
    let bytes = filler.fill(&data, &options).unwrap().to_bytes().unwrap();
    let pdf = reopen(&bytes);
    assert!(pdf.form().unwrap().fields.is_empty());
    let text = pdf.page_text(1).unwrap().plain();
    assert!(text.contains("Flattened Value"), "{text}");
}

/// A file whose permissions allow only printing: opened with the empty
/// user password it may not be filled; with the owner password it may, and
/// the output opens as the original does.
#[test]
fn permissions_are_kept_unless_the_owner_password_is_given() {
    use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let mut doc =
        lopdf::Document::load(corpus_dir().join("gen_hierarchical_inherited.pdf")).unwrap();
    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let state = EncryptionState::try_from(EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: &[9u8; 32],
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: "owner-secret",
        user_password: "",
        permissions: Permissions::PRINTABLE,
    })
    .unwrap();
    doc.encrypt(&state).unwrap();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let mut data = FillData::new();
    data.insert("notes", "owner's change");

    let pdf = PdfDocument::from_bytes(&bytes, "locked.pdf", None).unwrap();
    let filler = FormFiller::new(pdf).unwrap();
    let error = filler.fill(&data, &FillOptions::default()).err().unwrap();
    assert!(matches!(error, Error::ChangesNotAllowed { .. }), "{error}");
    assert!(error.is_usage());
    assert_eq!(
        error.to_string(),
        "locked.pdf: the PDF's permissions do not allow filling its form with the password it was opened with"
    );

    let pdf = PdfDocument::from_bytes(&bytes, "locked.pdf", Some("owner-secret")).unwrap();
    let filler = FormFiller::new(pdf).unwrap();
    let out = filler
        .fill(&data, &FillOptions::default())
        .unwrap()
        .to_bytes()
        .unwrap();
    assert!(out.starts_with(&bytes));
    let read = reopen(&out).form().unwrap();
    let notes = read.fields.iter().find(|f| f.name == "notes").unwrap();
    assert_eq!(notes.value, FieldValue::Text("owner's change".into()));
    common::qpdf_check(&out, "owner's fill");
}

/// An editable combo box takes text of its own, a plain one does not; a
/// CSV cell holding a JSON list selects several items of a multi-select
/// list, whose /I follows.
#[test]
fn editable_combos_and_csv_list_cells() {
    let bytes = common::form_pdf(
        "[5 0 R 6 0 R 7 0 R]",
        "[5 0 R 6 0 R 7 0 R]",
        &[
            "<< /Type /Annot /Subtype /Widget /FT /Ch /Ff 393216 /T (city) /Rect [50 700 250 720] \
             /Opt [(Paris) (Rome)] /DA (/Helv 10 Tf 0 g) >>"
                .to_owned(),
            "<< /Type /Annot /Subtype /Widget /FT /Ch /Ff 131072 /T (fixed) /Rect [50 650 250 670] \
             /Opt [(Paris) (Rome)] /DA (/Helv 10 Tf 0 g) >>"
                .to_owned(),
            "<< /Type /Annot /Subtype /Widget /FT /Ch /Ff 2097152 /T (langs) /Rect [50 550 250 620] \
             /Opt [[(en) (English)] [(fr) (French)] [(de) (German)]] /DA (/Helv 10 Tf 0 g) >>"
                .to_owned(),
        ],
    );
    let filler =
        FormFiller::new(PdfDocument::from_bytes(&bytes, "choices.pdf", None).unwrap()).unwrap();
    let rows = FillData::csv_rows("city,langs\nOslo,\"[\"\"de\"\",\"\"English\"\"]\"\n").unwrap();
    let data = rows[0].data.clone().unwrap();
    let out = filler
        .fill(&data, &FillOptions::default())
        .unwrap()
        .to_bytes()
        .unwrap();
    let read = reopen(&out).form().unwrap();
    let value = |name: &str| {
        read.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(value("city"), FieldValue::Text("Oslo".into()));
    // The shown text "English" stands for its export value "en".
    assert_eq!(
        value("langs"),
        FieldValue::List(vec!["de".into(), "en".into()])
    );
    assert!(String::from_utf8_lossy(&out).contains("/I[0 2]"));
    let mut fixed = FillData::new();
    fixed.insert("fixed", "Oslo");
    let Err(Error::InvalidFill { problems, .. }) = filler.fill(&fixed, &FillOptions::default())
    else {
        panic!("a plain combo box takes only its options");
    };
    assert_eq!(
        problems[0].to_string(),
        "field \"fixed\": \"Oslo\" is not one of its options: \"Paris\", \"Rome\""
    );
}
