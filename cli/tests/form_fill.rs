//! `magvar form fill` end to end: data in every format, exit statuses,
//! problem lists, one file per CSV row, atomic output.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../pdfform/tests/corpus")
        .join(name)
}

fn magvar(args: &[&str], stdin: Option<&str>) -> Output {
    common::magvar_with_stdin(args, stdin)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `magvar form fill FORM --data - -o OUT [flags…]` with `data` on stdin.
fn fill(form: &Path, out: &Path, data: &str, flags: &[&str]) -> Output {
    let mut args = vec!["form", "fill", s(form), "--data", "-", "-o", s(out)];
    args.extend_from_slice(flags);
    magvar(&args, Some(data))
}

fn values(file: &Path) -> serde_json::Value {
    let output = magvar(&["form", "fields", s(file)], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["values"].clone()
}

const FORM: &str = "gen_reportlab_rev_footer.pdf";

#[test]
fn urlencoded_from_stdin_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let data = "name=Grace+Hopper&subscribe=Off&plan=enterprise&languages=French&languages=English";
    let output = fill(&corpus(FORM), &out, data, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = values(&out);
    assert_eq!(read["name"], "Grace Hopper");
    assert_eq!(read["subscribe"], "Off");
    assert_eq!(read["plan"], "enterprise");
    assert_eq!(read["languages"], serde_json::json!(["French", "English"]));
    // Not named: kept.
    assert_eq!(read["email"], "ada@example.org");
    // Nothing left behind but the output.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn the_whole_fields_json_fills_back() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("form.json");
    let output = magvar(&["form", "fields", s(&corpus(FORM))], None);
    let mut document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    document["values"]["email"] = "changed@example.org".into();
    std::fs::write(&json, document.to_string()).unwrap();
    let out = dir.path().join("out.pdf");
    let output = magvar(
        &[
            "form",
            "fill",
            s(&corpus(FORM)),
            "--data",
            s(&json),
            "-o",
            s(&out),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut expected = document["values"].clone();
    expected["email"] = "changed@example.org".into();
    assert_eq!(values(&out), expected);
}

#[test]
fn data_problems_exit_1_listing_each_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.pdf");
    let output = fill(
        &corpus(FORM),
        &out,
        r#"{"nmae": "x", "plan": "gold", "country": "Peru"}"#,
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("3 problems"), "{message}");
    assert!(
        message.contains("no field is named \"nmae\" (closest: \"name\")"),
        "{message}"
    );
    assert!(
        message.contains("field \"plan\": \"gold\" is not one of its states: \"Off\", \"basic\", \"pro\", \"enterprise\""),
        "{message}"
    );
    assert!(
        message.contains("field \"country\": \"Peru\" is not one of its options: \"Canada\", \"France\", \"Japan\""),
        "{message}"
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn usage_errors_exit_2() {
    let form = corpus(FORM);
    for (args, stdin, says) in [
        (
            vec!["form", "fill", s(&form), "--data", "-"],
            "a=b",
            "-o OUT.pdf",
        ),
        (
            vec![
                "form",
                "fill",
                s(&form),
                "--data",
                "-",
                "-o",
                "x.pdf",
                "--out-dir",
                "d",
            ],
            "a=b",
            "not both",
        ),
        (
            vec![
                "form",
                "fill",
                s(&form),
                "--data",
                "-",
                "-o",
                "x.pdf",
                "--row",
                "3",
            ],
            "name\nA\n",
            "no row 3",
        ),
        (
            vec!["form", "fill", s(&form), "--data", "-", "-o", "x.pdf"],
            "{\"name\": ",
            "not valid JSON",
        ),
        (
            vec!["form", "fill", "/no/such.pdf", "--data", "-", "-o", "x.pdf"],
            "name=A",
            "cannot read",
        ),
    ] {
        let output = magvar(&args, Some(stdin));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains(says),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn csv_rows_become_files_and_a_bad_row_is_skipped_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "id,name,plan\n7,Ada,basic\n8,Bob,platinum\n9,\"Cy\nSmith\",pro\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let output = magvar(
        &[
            "form",
            "fill",
            s(&corpus(FORM)),
            "--data",
            s(&csv),
            "--out-dir",
            s(&out_dir),
            "--name",
            "{id}-{row}.pdf",
            "--jobs",
            "2",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("row 2 (line 3): skipped: field \"plan\": \"platinum\""),
        "{message}"
    );
    assert!(message.contains("2 of 3 rows written"), "{message}");
    assert_eq!(values(&out_dir.join("7-1.pdf"))["name"], "Ada");
    assert_eq!(values(&out_dir.join("9-3.pdf"))["name"], "Cy\nSmith");
    assert!(!out_dir.join("8-2.pdf").exists());
}

#[test]
fn read_only_fields_need_force_and_the_hint_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.pdf");
    // A copy whose "name" field is read-only (/Ff 1).
    let mut doc = lopdf::Document::load(corpus(FORM)).unwrap();
    let id = doc
        .objects
        .iter()
        .find(|(_, o)| {
            o.as_dict().is_ok_and(
                |d| matches!(d.get(b"T"), Ok(lopdf::Object::String(t, _)) if t == b"name"),
            )
        })
        .map(|(id, _)| *id)
        .unwrap();
    doc.get_object_mut(id)
        .unwrap()
        .as_dict_mut()
        .unwrap()
        .set("Ff", 1);
    doc.save(&form).unwrap();
    let out = dir.path().join("out.pdf");
    let output = fill(&form, &out, "name=Changed", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("field \"name\" is read-only (--force fills it anyway)"),
        "{}",
        stderr(&output)
    );
    let output = fill(&form, &out, "name=Changed", &["--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(values(&out)["name"], "Changed");
}

#[test]
fn filling_a_file_in_place_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.pdf");
    std::fs::copy(corpus(FORM), &form).unwrap();
    let before = std::fs::read(&form).unwrap();
    let output = fill(&form, &form, "name=In+Place", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let after = std::fs::read(&form).unwrap();
    assert!(after.starts_with(&before), "an update of the original");
    assert_eq!(values(&form)["name"], "In Place");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn flatten_and_rewrite_write_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(corpus(FORM)).unwrap();
    for flag in ["--flatten", "--rewrite"] {
        let out = dir.path().join(format!("{flag}.pdf"));
        let output = fill(&corpus(FORM), &out, "name=New+File", &[flag]);
        assert_eq!(output.status.code(), Some(0), "{flag}: {}", stderr(&output));
        let bytes = std::fs::read(&out).unwrap();
        assert!(!bytes.starts_with(&original), "{flag}");
        let read = values(&out);
        if flag == "--flatten" {
            assert_eq!(read, serde_json::json!({}));
        } else {
            assert_eq!(read["name"], "New File");
        }
    }
}
