//! `magvar form …` end to end: the binary against corpus files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pdfform/tests/corpus")
        .join(name)
}

fn magvar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_magvar"))
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn fields_json_has_the_issue_keys_and_inherited_values() {
    let file = corpus("gen_hierarchical_inherited.pdf");
    let output = magvar(&["form", "fields", path(&file)]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    assert!(
        json["file"]
            .as_str()
            .expect("file")
            .ends_with("gen_hierarchical_inherited.pdf")
    );
    let field = &json["fields"][0];
    for key in [
        "name",
        "kind",
        "value",
        "options",
        "states",
        "page",
        "rect",
        "read_only",
        "required",
    ] {
        assert!(field.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(json["values"]["contact.phone"], "inherited value");
    assert_eq!(
        json["values"]["prefs.langs"],
        serde_json::json!(["en", "fr"])
    );
    assert_eq!(json["values"]["signature"], serde_json::Value::Null);
}

#[test]
fn fields_urlencoded_posts_like_a_browser() {
    let file = corpus("gen_hierarchical_inherited.pdf");
    let output = magvar(&["form", "fields", path(&file), "--format", "urlencoded"]);
    assert_eq!(output.status.code(), Some(0));
    let body = stdout(&output);
    assert!(
        body.starts_with("applicant.name=J%C3%BCrgen+%E2%80%9CJo%E2%80%9D+M%C3%BCller"),
        "{body}"
    );
    assert!(
        body.contains("&applicant.address.Stadt%2FOrt=Z%C3%BCrich&"),
        "{body}"
    );
    assert!(body.contains("&prefs.langs=en&prefs.langs=fr&"), "{body}");
    assert!(body.trim_end().ends_with("&notes="), "{body}");
}

#[test]
fn fields_csv_has_one_row_per_field() {
    let file = corpus("gen_reportlab_rev_footer.pdf");
    let output = magvar(&["form", "fields", path(&file), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(
        text.starts_with("name,kind,value,page,x0,y0,x1,y1,read_only,required\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 6);
}

#[test]
fn text_of_one_page_and_of_a_missing_page() {
    let file = corpus("gen_reportlab_rev_footer.pdf");
    let output = magvar(&["form", "text", path(&file), "--page", "2"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stdout(&output).ends_with("Form MA-1  Rev 2011.01.17\n"),
        "{}",
        stdout(&output)
    );

    let output = magvar(&["form", "text", path(&file), "--page", "9"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no page 9"));
}

#[test]
fn text_json_gives_positioned_blocks() {
    let file = corpus("gen_reportlab_rev_footer.pdf");
    let output = magvar(&[
        "form",
        "text",
        path(&file),
        "--page",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    let first = &json["pages"][0]["lines"][0]["blocks"][0];
    assert_eq!(first["text"], "Membership Application");
    assert_eq!(first["x"], 72.0);
}

#[test]
fn identify_with_templates_and_bad_templates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = dir.path().join("t.toml");
    std::fs::write(
        &templates,
        "[[template]]\nname = \"Form MA-1\"\nrevision = \"2011.01.17\"\n[[template.text]]\ncontains = \"Rev 2011.01.17\"\n",
    )
    .expect("write");
    let file = corpus("gen_reportlab_rev_footer.pdf");
    let output = magvar(&[
        "form",
        "identify",
        path(&file),
        "--templates",
        path(&templates),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    assert_eq!(json["matches"][0]["revision"], "2011.01.17");

    std::fs::write(&templates, "[[template]]\nname = 1\n").expect("write");
    let output = magvar(&[
        "form",
        "identify",
        path(&file),
        "--templates",
        path(&templates),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad template file"));
}

/// A one-page PDF locked with a password the empty one does not open: a
/// standard security handler (RC4 40-bit) whose /U matches no password's
/// key, so every password fails. Written out here, with its own
/// cross-reference table, as the CLI tests have no PDF writer.
fn locked_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_owned(),
        format!(
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{}> /U <{}> >>",
            "5a".repeat(32),
            "a5".repeat(32)
        ),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    let id = "0123456789abcdef0123456789abcdef";
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<{id}> <{id}>] >>\n\
             startxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    out
}

/// The library says what is wrong with a locked file; the command that has
/// a --password flag names it, and `form extract`, which has none, does not.
#[test]
fn a_locked_file_names_the_password_flag_where_there_is_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let locked = dir.path().join("locked.pdf");
    std::fs::write(&locked, locked_pdf()).expect("write");

    let message = |output: &Output| {
        let stderr = String::from_utf8_lossy(&output.stderr)
            .trim_end()
            .to_owned();
        // What precedes the file name is the binary's prefix for any error.
        let start = stderr.find(path(&locked)).expect("names the file");
        stderr[start..].to_owned()
    };

    let output = magvar(&["form", "fields", path(&locked)]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        message(&output),
        format!(
            "{}: the PDF is encrypted and needs a password (give it with --password)",
            path(&locked)
        )
    );

    let output = magvar(&["form", "text", path(&locked), "--password", "guess"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        message(&output),
        format!(
            "{}: the password given does not open this encrypted PDF",
            path(&locked)
        )
    );

    let output = magvar(&["form", "extract", path(&locked)]);
    assert_eq!(output.status.code(), Some(1));
    let record: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json");
    assert_eq!(
        record["error"],
        format!(
            "{}: the PDF is encrypted and needs a password",
            path(&locked)
        )
    );
}

#[test]
fn unreadable_file_is_a_usage_error() {
    let output = magvar(&["form", "fields", "/nonexistent/form.pdf"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/form.pdf"));
}

#[test]
fn extract_keeps_input_order_and_reports_broken_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.pdf");
    std::fs::write(&broken, b"<html>not a pdf</html>").expect("write");
    let first = corpus("pypdf_form_evince.pdf");
    let last = corpus("pdfbox_FillFormField.pdf");
    let out = dir.path().join("out.jsonl");
    let output = magvar(&[
        "form",
        "extract",
        path(&first),
        path(&broken),
        path(&last),
        "--jobs",
        "2",
        "-o",
        path(&out),
    ]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a broken file makes the exit status 1"
    );
    let text = std::fs::read_to_string(&out).expect("output");
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    assert_eq!(records.len(), 3);
    assert!(
        records[0]["file"]
            .as_str()
            .expect("file")
            .ends_with("pypdf_form_evince.pdf")
    );
    assert!(
        records[1]["error"]
            .as_str()
            .expect("error")
            .contains("not a PDF")
    );
    assert!(
        records[2]["file"]
            .as_str()
            .expect("file")
            .ends_with("pdfbox_FillFormField.pdf")
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("broken.pdf"));
}

/// Many documents on four workers (the pipeline's ordered mode): records
/// come out in input order whatever order the workers finish in, each
/// broken file is one error record at its place, the rest are read, and
/// the exit status is 1.
#[test]
fn extract_on_several_jobs_keeps_order_and_error_records() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = corpus("pdfminer_f1040nr.pdf");
    let small = corpus("gen_hierarchical_inherited.pdf");
    let encrypted = corpus("gen_enc_aes256.pdf");
    let html = dir.path().join("page.pdf");
    std::fs::write(&html, b"<!DOCTYPE html><html></html>").expect("write");
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").expect("write");
    let truncated = dir.path().join("truncated.pdf");
    let bytes = std::fs::read(&small).expect("corpus");
    std::fs::write(&truncated, &bytes[..40]).expect("write");
    // A slow document first and fast ones after it, twice over, with the
    // broken files between them: out of order is what workers would give.
    let inputs: Vec<&Path> = vec![
        &big, &small, &html, &encrypted, &small, &empty, &big, &truncated, &small, &encrypted,
        &small, &small,
    ];
    let out = dir.path().join("out.jsonl");
    let mut args = vec!["form", "extract", "--jobs", "4", "-o", path(&out)];
    args.extend(inputs.iter().map(|p| path(p)));
    let output = magvar(&args);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("3 of 12 documents could not be read"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&out).expect("output");
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("jsonl"))
        .collect();
    assert_eq!(records.len(), inputs.len(), "one record per document");
    for (record, input) in records.iter().zip(&inputs) {
        let file = record["file"].as_str().expect("file");
        assert_eq!(file, path(input), "input order");
        let broken = [&html, &empty, &truncated].contains(&&input.to_path_buf());
        assert_eq!(record.get("error").is_some(), broken, "{record}");
        if !broken {
            assert!(!record["fields"].as_array().expect("fields").is_empty());
        }
    }
}

#[test]
fn extract_a_directory_as_csv() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pdfform/tests/corpus");
    let output = magvar(&["form", "extract", path(&dir), "--format", "csv"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(text.starts_with("file,field,kind,value,error\n"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> =
        reader.records().map(|r| r.expect("csv record")).collect();
    assert!(records.iter().all(|r| r[4].is_empty()), "no document fails");
    // One row per field: as many as the corpus expected files count.
    let expected_fields: u64 = std::fs::read_dir(&dir)
        .expect("corpus")
        .flatten()
        .filter(|e| e.path().to_string_lossy().ends_with(".expected.json"))
        .map(|e| {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(e.path()).expect("read"))
                    .expect("json");
            json["field_count"].as_u64().expect("field_count")
        })
        .sum();
    assert_eq!(records.len() as u64, expected_fields);
}
