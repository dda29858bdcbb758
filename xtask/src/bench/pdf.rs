//! Suite `pdf`: magvar-pdfform over the development corpus.
//!
//! Reading, one thread: the files are read into memory first so the figures
//! measure parsing and interpretation, not the disk. Peers (pikepdf 762
//! docs/s fields only; PyMuPDF 62 docs/s fields + text, on the same 66-file
//! corpus in the issue) cannot run in this process and are recorded in
//! BENCHMARKS.md.
//!
//! Filling, against pypdf's form filling in the same run (a venv in
//! `target/bench-pdf`, `pdf_fill_bench.py`):
//! * `pdf-fill-20-fields`: 20 text fields of a real form (pdf.js's
//!   160F-2019, 320 KB) filled and written, from and to memory, one thread;
//! * `pdf-fill-many-2-page`: `magvar form fill --out-dir` (the release
//!   binary, `--jobs 2`) filling every text field of a real two-page form
//!   (PDFBox's AcroFormsRotation, 32 fields) from a CSV of 2,000 rows, one
//!   file a row, on tmpfs; pypdf fills 200 of the rows one after another.

use super::batch::{build_cli, scratch_dir};
use super::{Workload, measure};
use magvar_pdfform::{FieldKind, FillData, FillOptions, FormFiller, PdfDocument};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const FILL_FORM: &str = "pdfjs_160F-2019.pdf";
const FILL_FIELDS: usize = 20;
const MANY_FORM: &str = "pdfbox_AcroFormsRotation.pdf";
const MANY_ROWS: usize = 2_000;
const PEER_ROWS: usize = 200;

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
    let mut workloads = vec![
        Workload::new("pdf", "pdf-fields", "docs", fields, None),
        Workload::new("pdf", "pdf-fields-text", "docs", fields_text, None),
    ];
    workloads.extend(fill_workloads());
    workloads
}

fn corpus_file(name: &str) -> (PathBuf, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pdfform/tests/corpus")
        .join(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("suite pdf: cannot read {}: {e}", path.display()));
    (path, bytes)
}

/// The names of the first `count` text fields of a form (all for `usize::MAX`).
fn text_fields(bytes: &[u8], count: usize) -> Vec<String> {
    let form = PdfDocument::from_bytes(bytes, "form.pdf", None)
        .and_then(|pdf| pdf.form())
        .unwrap_or_else(|e| panic!("suite pdf: {e}"));
    form.fields
        .iter()
        .filter(|f| f.kind == FieldKind::Text && !f.read_only)
        .map(|f| f.name.clone())
        .take(count)
        .collect()
}

/// What one fill writes: opening the form from memory, filling, writing.
fn fill_once(bytes: &[u8], data: &FillData) -> usize {
    let pdf = PdfDocument::from_bytes(bytes, "form.pdf", None).expect("opens");
    let filler = FormFiller::new(pdf).expect("fillable");
    let filled = filler.fill(data, &FillOptions::default()).expect("fills");
    filled.to_bytes().expect("writes").len()
}

fn fill_workloads() -> Vec<Workload> {
    let python = peer_python();
    let script = crate::workspace_root().join("xtask/src/bench/pdf_fill_bench.py");
    let dir = scratch_dir("pdf");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("suite pdf: cannot create {}: {e}", dir.display()));

    let (path, bytes) = corpus_file(FILL_FORM);
    let names = text_fields(&bytes, FILL_FIELDS);
    assert_eq!(
        names.len(),
        FILL_FIELDS,
        "suite pdf: {FILL_FORM} has 20 text fields"
    );
    let mut data = FillData::new();
    let mut json = serde_json::Map::new();
    for (index, name) in names.iter().enumerate() {
        let value = format!("Value {index} filled");
        data.insert(name.clone(), value.as_str());
        json.insert(name.clone(), value.into());
    }
    let one = measure(1, Duration::from_secs(3), || {
        std::hint::black_box(fill_once(&bytes, &data));
    });
    let values = dir.join("values.json");
    std::fs::write(&values, serde_json::Value::Object(json).to_string()).expect("write values");
    let peer_one = peer_rate(
        &python,
        &script,
        &["one".as_ref(), path.as_os_str(), values.as_os_str()],
    );

    let binary = build_cli().unwrap_or_else(|e| panic!("suite pdf: {e}"));
    let (path, bytes) = corpus_file(MANY_FORM);
    let names = text_fields(&bytes, usize::MAX);
    let mut csv = names.join(",");
    csv.push('\n');
    let mut rows = Vec::with_capacity(PEER_ROWS);
    for row in 0..MANY_ROWS {
        let values: Vec<String> = (0..names.len()).map(|i| format!("R{row} F{i}")).collect();
        let _ = writeln!(csv, "{}", values.join(","));
        if row < PEER_ROWS {
            let object: serde_json::Map<String, serde_json::Value> = names
                .iter()
                .cloned()
                .zip(values.into_iter().map(serde_json::Value::from))
                .collect();
            rows.push(serde_json::Value::Object(object));
        }
    }
    let (csv_path, rows_path) = (dir.join("rows.csv"), dir.join("rows.json"));
    std::fs::write(&csv_path, csv).expect("write rows");
    std::fs::write(&rows_path, serde_json::Value::Array(rows).to_string()).expect("write rows");
    let out = dir.join("out");
    let many = measure(MANY_ROWS, Duration::from_secs(3), || {
        let status = Command::new(&binary)
            .args(["form".as_ref(), "fill".as_ref(), path.as_os_str()])
            .args([
                "--data".as_ref(),
                csv_path.as_os_str(),
                "--out-dir".as_ref(),
                out.as_os_str(),
            ])
            .args(["--jobs", "2"])
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("suite pdf: cannot run {}: {e}", binary.display()));
        assert!(
            status.success(),
            "suite pdf: magvar form fill failed: {status}"
        );
    });
    let peer_out = dir.join("peer");
    let peer_many = peer_rate(
        &python,
        &script,
        &[
            "many".as_ref(),
            path.as_os_str(),
            rows_path.as_os_str(),
            peer_out.as_os_str(),
        ],
    );
    // Best effort: a leftover scratch directory only costs space.
    let _ = std::fs::remove_dir_all(&dir);
    vec![
        Workload::new(
            "pdf",
            "pdf-fill-20-fields",
            "forms",
            one,
            Some(("pypdf", peer_one)),
        ),
        Workload::new(
            "pdf",
            "pdf-fill-many-2-page",
            "forms",
            many,
            Some(("pypdf (one process)", peer_many)),
        ),
    ]
}

/// The venv with the peer (made once in target/bench-pdf).
fn peer_python() -> PathBuf {
    let venv = crate::workspace_root().join("target").join("bench-pdf");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        let run = |command: &mut Command| {
            let status = command
                .status()
                .unwrap_or_else(|e| panic!("suite pdf: cannot run {command:?}: {e}"));
            assert!(status.success(), "suite pdf: {command:?} failed: {status}");
        };
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "pypdf==7.1.1",
        ]));
    }
    python
}

fn peer_rate(python: &Path, script: &Path, args: &[&std::ffi::OsStr]) -> f64 {
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("suite pdf: cannot run {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "suite pdf: {} failed:\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let line = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value =
        serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("suite pdf: {line}: {e}"));
    value["per_s"].as_f64().expect("per_s")
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

    #[test]
    fn the_fill_workloads_have_their_fields() {
        let (_, bytes) = corpus_file(FILL_FORM);
        let names = text_fields(&bytes, FILL_FIELDS);
        assert_eq!(names.len(), FILL_FIELDS);
        let mut data = FillData::new();
        for name in &names {
            data.insert(name.clone(), "x");
        }
        assert!(fill_once(&bytes, &data) > bytes.len());
        let (_, bytes) = corpus_file(MANY_FORM);
        assert_eq!(text_fields(&bytes, usize::MAX).len(), 32);
        assert_eq!(
            PdfDocument::from_bytes(&bytes, "f", None)
                .unwrap()
                .page_count(),
            2
        );
    }
}
