//! Small PDFs built in test code, so hostile and special cases need no
//! committed files.

#![allow(dead_code)]

/// A PDF with the given objects (numbered from 1, object 1 the catalog)
/// and a correct cross-reference table.
pub fn pdf_with_objects(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", index + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Catalog, page tree, one page showing "Hello" in Helvetica and listing
/// the given annotation references, and an AcroForm whose /Fields is
/// `fields`; more objects follow from 5.
pub fn form_pdf(fields: &str, annots: &str, extra: &[String]) -> Vec<u8> {
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields {fields} >> >>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots {annots} /Contents 4 0 R \
             /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
        ),
        "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET         \nendstream"
            .to_owned(),
    ];
    objects.extend_from_slice(extra);
    pdf_with_objects(&objects)
}

/// A valid value of its kind for every field that can take one, each
/// different from the field's own where the field allows another: text
/// within /MaxLen, an on-state or "Off", an option (two for a multi-select
/// list box). Push buttons and signatures are left out. The limits the
/// public field record does not carry (/MaxLen, multi-select) are learnt
/// from the filler's own problem reports: a first try, then values cut to
/// fit.
pub fn valid_fill(filler: &magvar_pdfform::FormFiller) -> magvar_pdfform::FillData {
    use magvar_pdfform::{Error, FieldKind, FieldValue, FillOptions, FillProblem};
    let form = filler.form();
    let mut data = magvar_pdfform::FillData::new();
    for (index, field) in form.fields.iter().enumerate() {
        if data.get(&field.name).is_some() {
            continue;
        }
        let current = field.value.as_strings().first().map(|s| s.to_string());
        let value = match field.kind {
            FieldKind::Text => FieldValue::Text(format!("Filled {index} Zoë")),
            FieldKind::Checkbox | FieldKind::Radio => {
                let other = field
                    .states
                    .iter()
                    .find(|s| !s.is_empty() && Some(s.as_str()) != current.as_deref())
                    .cloned()
                    .unwrap_or_else(|| "Off".into());
                FieldValue::Text(other)
            }
            FieldKind::Combo | FieldKind::List if field.options.is_empty() => continue,
            FieldKind::Combo => {
                let option = field
                    .options
                    .iter()
                    .rev()
                    .find(|o| Some(&o.export) != current.as_ref())
                    .unwrap_or(&field.options[0]);
                FieldValue::Text(option.export.clone())
            }
            FieldKind::List => {
                let mut exports: Vec<String> =
                    field.options.iter().map(|o| o.export.clone()).collect();
                exports.dedup();
                match exports.as_slice() {
                    [one] => FieldValue::Text(one.clone()),
                    [first, .., last] => FieldValue::List(vec![last.clone(), first.clone()]),
                    [] => continue,
                }
            }
            FieldKind::Pushbutton | FieldKind::Signature => continue,
        };
        data.insert(field.name.clone(), value);
    }
    let options = FillOptions {
        force: true,
        ..FillOptions::default()
    };
    if let Err(Error::InvalidFill { problems, .. }) = filler.fill(&data, &options) {
        for problem in problems {
            match problem {
                FillProblem::TooLong { field, max_len, .. } => {
                    let text = data
                        .get(&field)
                        .and_then(|v| v.as_strings().first().map(|s| s.to_string()));
                    let cut: String = text.unwrap_or_default().chars().take(max_len).collect();
                    data.insert(field, FieldValue::Text(cut));
                }
                FillProblem::OneValue { field, .. } => {
                    let first = data
                        .get(&field)
                        .and_then(|v| v.as_strings().first().map(|s| s.to_string()));
                    data.insert(field, FieldValue::Text(first.unwrap_or_default()));
                }
                other => panic!("{}: a generated value was refused: {other}", form.file),
            }
        }
    }
    data
}

/// An external checking tool (qpdf, pdftoppm, pdftotext) by name. Where it
/// is missing the test fails under CI, which installs it (`.ci/run`), and
/// elsewhere says loudly that the check was not made.
pub fn external_tool(name: &str) -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed (apt-get install qpdf poppler-utils); CI must run this check"
        );
        eprintln!("NOT CHECKED: {name} is not installed (apt-get install qpdf poppler-utils)");
    }
    found
}

/// `qpdf --check` passes on `bytes` (warnings allowed: exit 3 is "warnings").
pub fn qpdf_check(bytes: &[u8], context: &str) {
    let Some(qpdf) = external_tool("qpdf") else {
        return;
    };
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), bytes).expect("write");
    let output = std::process::Command::new(qpdf)
        .arg("--check")
        .arg(file.path())
        .output()
        .expect("qpdf runs");
    assert!(
        output.status.success(),
        "{context}: qpdf --check failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `original` with one to eight random edits: a byte overwritten, a range
/// of up to 64 bytes deleted or repeated. `next(n)` draws from 0..n.
pub fn mutate(original: &[u8], next: &mut impl FnMut(usize) -> usize) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..1 + next(8) {
        let at = next(bytes.len());
        match next(3) {
            0 => bytes[at] = next(256) as u8,
            1 => {
                let end = (at + next(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + next(64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
        }
    }
    bytes
}
