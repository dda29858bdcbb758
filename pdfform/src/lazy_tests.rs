//! The lazy fields path against lopdf's full load: the same fields, page
//! numbers and errors, on every corpus file and on damaged variants of them.

use crate::document::{PdfDocument, load, stream_limit};
use crate::error::Result;
use crate::fields::read_form;
use crate::model::Form;
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
    let mut state = 0x2F6B_43A1_u32;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize % bound.max(1)
    };
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
            let today = eager_form(&bytes, &path);
            let now = PdfDocument::from_bytes(&bytes, &path, None).and_then(|pdf| pdf.form());
            assert_eq!(outcome(&now), outcome(&today), "{} mutant", path.display());
            compared += 1;
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
