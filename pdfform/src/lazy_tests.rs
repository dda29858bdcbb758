//! The lazy fields path against lopdf's full load: the same fields, page
//! numbers and errors, on every corpus file and on damaged variants of them,
//! and when the object streams it keeps outgrow their budget.

use crate::document::{PdfDocument, load, stream_limit};
use crate::error::Result;
use crate::fields::read_form;
use crate::model::{FieldValue, Form};
use std::path::{Path, PathBuf};

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("corpus file");
            (path, bytes)
        })
        .collect()
}

/// What reading the form gave before the lazy path existed: lopdf's full
/// load, then the field walk over it.
fn eager_form(bytes: &[u8], file: &Path) -> Result<Form> {
    let loaded = load(bytes, file, None, stream_limit(bytes.len()))?;
    read_form(loaded.objects())
}

/// Both results as comparable text (errors by their message).
fn outcome(result: &Result<Form>) -> String {
    match result {
        Ok(form) => format!("{form:?}"),
        Err(error) => format!("error: {error}"),
    }
}

#[test]
fn lazy_path_reads_the_same_fields_as_the_full_load_on_every_corpus_file() {
    let docs = corpus();
    assert_eq!(docs.len(), 27);
    let mut lazily = Vec::new();
    for (path, bytes) in &docs {
        let pdf = PdfDocument::from_bytes(bytes, path, None).expect("corpus file opens");
        let eager = read_form(pdf.eager_objects().expect("full load")).expect("eager fields");
        assert_eq!(
            pdf.page_count(),
            pdf.loaded().expect("full load").page_count(),
            "{}: page count",
            path.display()
        );
        let Some(objects) = pdf.lazy_objects() else {
            continue;
        };
        let lazy = read_form(objects);
        assert!(
            !pdf.lazy_failed(),
            "{}: an object did not read lazily",
            path.display()
        );
        assert_eq!(lazy.expect("lazy fields"), eager, "{}", path.display());
        assert_eq!(objects.pages, &pdf.loaded().expect("full load").pages);
        lazily.push(
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
        );
    }
    // Only files lopdf has to repair (a broken xref) may take the full load;
    // the comparison above must really have run on the others.
    assert!(lazily.len() >= 25, "read lazily: {lazily:?}");
    assert!(!lazily.iter().any(|name| name.contains("broken_xref")));
}

/// Damaged variants (bytes overwritten, ranges deleted or repeated) take
/// every odd path: whatever the full load gave, `form()` gives too.
#[test]
fn lazy_path_with_its_fallback_matches_the_full_load_on_damaged_files() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0x2F6B_43A1);
    let mut next = move |bound: usize| rng.random_range(0..bound.max(1));
    let mut compared = 0;
    for (path, original) in corpus() {
        for _ in 0..12 {
            let mut bytes = original.clone();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                match next(3) {
                    0 => bytes[at] = next(256) as u8,
                    1 => {
                        let end = (at + next(48)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    _ => {
                        let end = (at + next(48)).min(bytes.len());
                        let copy = bytes[at..end].to_vec();
                        bytes.splice(at..at, copy);
                    }
                }
            }
            let now = PdfDocument::from_bytes(&bytes, &path, None).and_then(|pdf| pdf.form());
            compared += 1;
            // The header is sniffed before either load: a mutant that lost
            // it is not a PDF, whatever lopdf would make of the rest.
            let head = &bytes[..bytes.len().min(1024)];
            if !head.windows(5).any(|w| w == b"%PDF-") {
                assert!(
                    matches!(now, Err(crate::Error::NotPdf { .. })),
                    "{} mutant without a header: {}",
                    path.display(),
                    outcome(&now)
                );
                continue;
            }
            let today = eager_form(&bytes, &path);
            assert_eq!(outcome(&now), outcome(&today), "{} mutant", path.display());
        }
    }
    assert_eq!(compared, 27 * 12);
}

/// The full load made from a lazy reader (for text, or when the lazy walk
/// gives up) continues from the reader's cross-reference table and
/// decryption; it must be lopdf's full load object for object.
#[test]
fn full_load_from_the_lazy_reader_equals_a_fresh_full_load() {
    let mut compared = 0;
    for (path, bytes) in corpus() {
        let pdf = PdfDocument::from_bytes(&bytes, &path, None).expect("corpus file opens");
        if pdf.lazy_objects().is_none() {
            continue;
        }
        let continued = pdf.loaded().expect("full load from the lazy reader");
        let fresh = load(&bytes, &path, None, stream_limit(bytes.len())).expect("full load");
        assert!(
            continued.doc.objects == fresh.doc.objects,
            "{}: objects differ",
            path.display()
        );
        assert!(
            continued.doc.trailer == fresh.doc.trailer,
            "{}",
            path.display()
        );
        assert_eq!(continued.pages, fresh.pages, "{}", path.display());
        assert_eq!(continued.doc.max_id, fresh.doc.max_id, "{}", path.display());
        compared += 1;
    }
    assert!(compared >= 25, "compared {compared}");
}

/// A form whose two text fields ("a" = "first", "b" = "second") each sit
/// in an object stream of their own, each stream padded with `padding`
/// bytes of white space after its object (deflated, so the file stays
/// small while the decoded streams grow), with a cross-reference stream.
fn form_in_two_object_streams(padding: usize) -> Vec<u8> {
    use std::io::Write;
    let object_stream = |number: u32, body: &str| {
        let header = format!("{number} 0 ");
        let mut decoded = format!("{header}{body}").into_bytes();
        decoded.resize(decoded.len() + padding, b' ');
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&decoded).expect("deflate");
        let data = encoder.finish().expect("deflate");
        let mut object = format!(
            "<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
            header.len(),
            data.len()
        )
        .into_bytes();
        object.extend_from_slice(&data);
        object.extend_from_slice(b"\nendstream");
        object
    };
    let plain = |body: &str| body.as_bytes().to_vec();
    // Objects 1–3 and 6–7 are in the file body, 4 and 5 in streams 6 and 7.
    let bodies = [
        plain("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R] >> >>"),
        plain("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        plain("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"),
        object_stream(4, "<< /T (a) /FT /Tx /V (first) >>"),
        object_stream(5, "<< /T (b) /FT /Tx /V (second) >>"),
    ];
    let numbers = [1u32, 2, 3, 6, 7];
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = std::collections::BTreeMap::new();
    for (number, body) in numbers.iter().zip(&bodies) {
        offsets.insert(*number, out.len());
        out.extend_from_slice(format!("{number} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref_offset = out.len();
    offsets.insert(8, xref_offset);
    // /W [1 4 2]: type, offset or container, generation or index.
    let mut entries = vec![0u8, 0, 0, 0, 0, 0xFF, 0xFF];
    for number in 1..=8u32 {
        let (kind, field2, field3) = match number {
            4 => (2u8, 6u32, 0u16),
            5 => (2, 7, 0),
            _ => (1, offsets[&number] as u32, 0),
        };
        entries.push(kind);
        entries.extend_from_slice(&field2.to_be_bytes());
        entries.extend_from_slice(&field3.to_be_bytes());
    }
    out.extend_from_slice(
        format!(
            "8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length {} >>\nstream\n",
            entries.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&entries);
    out.extend_from_slice(
        format!("\nendstream\nendobj\nstartxref\n{xref_offset}\n%%EOF\n").as_bytes(),
    );
    out
}

/// The lazy store keeps the object streams it has decoded; once together
/// they pass what one stream may decode to, it reads no further and the
/// fields come from the full load, which keeps no stream's data.
#[test]
fn object_streams_over_the_lazy_budget_are_read_by_the_full_load() {
    let fields = |form: &Form| -> Vec<(String, FieldValue)> {
        form.fields
            .iter()
            .map(|field| (field.name.clone(), field.value.clone()))
            .collect()
    };
    let expected = vec![
        ("a".to_owned(), FieldValue::Text("first".into())),
        ("b".to_owned(), FieldValue::Text("second".into())),
    ];
    let file = Path::new("objstm.pdf");

    // Small streams: both are read lazily and the full load is never made.
    let bytes = form_in_two_object_streams(1024);
    let pdf = PdfDocument::from_bytes(&bytes, file, None).expect("opens");
    assert!(pdf.lazy_objects().is_some(), "the lazy path takes the file");
    assert_eq!(fields(&pdf.form().expect("form")), expected);
    assert!(!pdf.lazy_failed());
    assert!(pdf.loaded_objects().is_none(), "no full load was needed");

    // Each stream within the bound of one, both together over it.
    let limit = stream_limit(bytes.len());
    let bytes = form_in_two_object_streams(limit / 2 + limit / 4);
    assert_eq!(stream_limit(bytes.len()), limit, "the file stays small");
    let pdf = PdfDocument::from_bytes(&bytes, file, None).expect("opens");
    assert!(pdf.lazy_objects().is_some(), "the lazy path takes the file");
    let form = pdf.form().expect("form");
    assert_eq!(fields(&form), expected);
    assert_eq!(form, eager_form(&bytes, file).expect("full load"));
    assert!(pdf.lazy_failed(), "the second stream is over the budget");
    assert!(pdf.loaded_objects().is_some(), "the full load was made");
}
