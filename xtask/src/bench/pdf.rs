//! Suite `pdf`: magvar-pdfform over the development corpus, one thread.
//!
//! The files are read into memory first so the figures measure parsing and
//! interpretation, not the disk. Peers (pikepdf 762 docs/s fields only;
//! PyMuPDF 62 docs/s fields + text, on the same 66-file corpus in the
//! issue) cannot run in this process and are recorded in BENCHMARKS.md.

use super::{Workload, measure};
use magvar_pdfform::PdfDocument;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pdfform/tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "pdf"));
    files.sort();
    files
        .into_iter()
        .filter_map(|path| std::fs::read(&path).ok().map(|bytes| (path, bytes)))
        .collect()
}

/// Reads every document's fields, and its text too when `with_text`;
/// returns the number of fields and text lines seen so the work cannot be
/// optimised away. With text, the text comes first: text needs lopdf's full
/// load, and once it is there the fields are read from it, as any caller
/// that wants both gets them (fields alone are read lazily).
fn read_all(docs: &[(PathBuf, Vec<u8>)], with_text: bool) -> usize {
    let mut seen = 0;
    for (path, bytes) in docs {
        let Ok(pdf) = PdfDocument::from_bytes(bytes, path, None) else {
            continue;
        };
        if with_text {
            seen += pdf
                .text()
                .map(|pages| pages.iter().map(|p| p.lines.len()).sum::<usize>())
                .unwrap_or(0);
        }
        seen += pdf.form().map(|form| form.fields.len()).unwrap_or(0);
    }
    seen
}

pub fn run() -> Vec<Workload> {
    let docs = corpus();
    if docs.is_empty() {
        eprintln!("pdf: no corpus under pdfform/tests/corpus; nothing measured");
        return Vec::new();
    }
    let min_time = Duration::from_secs(3);
    let fields = measure(docs.len(), min_time, || {
        std::hint::black_box(read_all(&docs, false));
    });
    let fields_text = measure(docs.len(), min_time, || {
        std::hint::black_box(read_all(&docs, true));
    });
    vec![
        Workload::new("pdf", "pdf-fields", "docs", fields, None),
        Workload::new("pdf", "pdf-fields-text", "docs", fields_text, None),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_corpus_document_yields_fields() {
        let docs = corpus();
        assert_eq!(docs.len(), 27);
        let fields = read_all(&docs, false);
        // Every field of the 27 documents; pdfform/tests/corpus.rs checks each one.
        assert_eq!(fields, 940, "fields read from the corpus");
    }
}
