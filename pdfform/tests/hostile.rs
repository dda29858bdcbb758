//! Hostile and broken input: every case must end in a clear error naming
//! the file (or a partial result), never a panic, hang or stack overflow.
//! The files are generated here rather than committed.

use magvar_pdfform::{Error, FieldValue, PdfDocument};
use std::path::Path;

mod common;
use common::{form_pdf, pdf_with_objects};

fn open(bytes: &[u8]) -> Result<PdfDocument, Error> {
    PdfDocument::from_bytes(bytes, "hostile.pdf", None)
}

/// Reads fields and text; returns the first error. Must not panic.
fn read_everything(bytes: &[u8]) -> Result<(), Error> {
    let pdf = open(bytes)?;
    pdf.form()?;
    for page in 1..=pdf.page_count() {
        pdf.page_text(page)?;
    }
    Ok(())
}

fn assert_names_file(error: &Error) {
    assert!(error.to_string().starts_with("hostile.pdf: "), "{error}");
}

#[test]
fn empty_file_is_not_a_pdf() {
    let error = open(b"").err().expect("error");
    assert!(matches!(error, Error::NotPdf { .. }), "{error}");
    assert!(error.to_string().contains("empty"), "{error}");
}

#[test]
fn html_page_is_not_a_pdf() {
    let error = open(b"<!DOCTYPE html><html><body>Download form</body></html>")
        .err()
        .expect("error");
    assert!(matches!(error, Error::NotPdf { .. }), "{error}");
    assert!(error.to_string().contains("HTML"), "{error}");
    assert_names_file(&error);
}

#[test]
fn garbage_after_header_is_damaged() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut state = 0x2545_u32;
    for _ in 0..50_000 {
        // A fixed xorshift sequence: arbitrary bytes, same every run.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        bytes.push(state as u8);
    }
    let error = read_everything(&bytes).expect_err("error");
    assert!(matches!(error, Error::Damaged { .. }), "{error}");
    assert_names_file(&error);
}

#[test]
fn truncated_files_fail_cleanly_or_read_partially() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for name in [
        "gen_hierarchical_inherited.pdf",
        "pdfminer_AcroForm_TEST.pdf",
        "gen_enc_aes256.pdf",
    ] {
        let bytes = std::fs::read(corpus.join(name)).expect("corpus file");
        for cut in [10, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 20] {
            // Either outcome is acceptable; what is tested is that it returns.
            if let Err(error) = read_everything(&bytes[..cut]) {
                assert_names_file(&error);
            }
        }
    }
}

#[test]
fn huge_length_claim_does_not_allocate_it() {
    let bytes = form_pdf(
        "[]",
        "[]",
        &["<< /Length 99999999999 >>\nstream\nabc\nendstream".to_owned()],
    );
    let pdf = open(&bytes).expect("the rest of the file is fine");
    assert_eq!(pdf.form().expect("form").fields.len(), 0);
}

#[test]
fn huge_page_count_claim_is_ignored() {
    let mut bytes = form_pdf("[]", "[]", &[]);
    let text = String::from_utf8_lossy(&bytes).replace("/Count 1 ", "/Count 2147483647 ");
    bytes = text.into_bytes();
    // The byte length changed by the same amount before every later object,
    // so xref offsets are off and lopdf must reconstruct: both paths count.
    let pdf = open(&bytes).expect("opens");
    assert_eq!(pdf.page_count(), 1);
}

#[test]
fn deeply_nested_arrays_do_not_overflow_the_stack() {
    let depth = 200_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let bytes = form_pdf(
        "5 0 R",
        "[]",
        &[format!("<< /T (deep) /FT /Tx /V {nested} >>")],
    );
    // The default test thread has a 2 MiB stack: a recursive descent 200k
    // deep would overflow it long before finishing.
    if let Ok(pdf) = open(&bytes) {
        let _ = pdf.form();
    }
}

#[test]
fn deep_kids_chain_is_a_clear_error() {
    let depth = 5000;
    let extra: Vec<String> = (0..depth)
        .map(|level| {
            let id = 5 + level;
            if level + 1 == depth {
                format!("<< /T (f{level}) /FT /Tx /V (leaf) >>")
            } else {
                format!("<< /T (f{level}) /Kids [{} 0 R] >>", id + 1)
            }
        })
        .collect();
    let bytes = form_pdf("[5 0 R]", "[]", &extra);
    let error = read_everything(&bytes).expect_err("too deep");
    assert!(matches!(error, Error::FieldTreeTooDeep { .. }), "{error}");
    assert_names_file(&error);
}

#[test]
fn circular_kids_give_the_fields_once_with_a_warning() {
    let extra = vec![
        "<< /T (a) /Kids [6 0 R] >>".to_owned(),
        "<< /T (b) /Kids [5 0 R 7 0 R] >>".to_owned(),
        "<< /T (c) /FT /Tx /V (value) >>".to_owned(),
    ];
    let bytes = form_pdf("[5 0 R]", "[]", &extra);
    let form = open(&bytes).expect("opens").form().expect("partial result");
    let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a.b.c"]);
    assert_eq!(form.fields[0].value, FieldValue::Text("value".into()));
    assert!(
        form.warnings.iter().any(|w| w.contains("reached twice")),
        "{:?}",
        form.warnings
    );
}

#[test]
fn circular_parent_chain_from_annotations_terminates() {
    // A widget only reachable from /Annots whose /Parent chain loops.
    let extra = vec![
        "<< /Type /Annot /Subtype /Widget /T (w) /FT /Tx /V (x) /Parent 6 0 R /Rect [0 0 10 10] >>"
            .to_owned(),
        "<< /T (p) /Parent 7 0 R /Kids [5 0 R] >>".to_owned(),
        "<< /T (q) /Parent 6 0 R /Kids [6 0 R] >>".to_owned(),
    ];
    let bytes = form_pdf("[]", "[5 0 R]", &extra);
    let form = open(&bytes).expect("opens").form().expect("partial result");
    assert_eq!(form.fields.len(), 1, "{:?}", form.fields);
    assert!(
        form.fields[0].name.ends_with("w"),
        "{}",
        form.fields[0].name
    );
}

#[test]
fn field_only_in_page_annotations_is_found_with_its_page() {
    let extra = vec![
        "<< /Type /Annot /Subtype /Widget /T (orphan) /FT /Tx /V (here) /Rect [10 20 110 40] >>"
            .to_owned(),
    ];
    let bytes = form_pdf("[]", "[5 0 R]", &extra);
    let form = open(&bytes).expect("opens").form().expect("form");
    assert_eq!(form.fields.len(), 1);
    assert_eq!(form.fields[0].name, "orphan");
    assert_eq!(form.fields[0].page, Some(1));
    assert_eq!(form.fields[0].rect, Some([10.0, 20.0, 110.0, 40.0]));
}

#[test]
fn circular_page_tree_terminates() {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_owned(),
    ];
    objects.push("<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R >>".to_owned());
    let _ = read_everything(&pdf_with_objects(&objects));
}

/// gen_hierarchical_inherited.pdf encrypted (RC4 128-bit) with a real user
/// password, made with lopdf's encryptor.
fn encrypted_corpus_file(user_password: &str) -> Vec<u8> {
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut doc =
        lopdf::Document::load(corpus.join("gen_hierarchical_inherited.pdf")).expect("corpus");
    if !doc.trailer.has(b"ID") {
        let id = lopdf::Object::string_literal(b"0123456789abcdef".to_vec());
        doc.trailer.set("ID", vec![id.clone(), id]);
    }
    let state = EncryptionState::try_from(EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner-secret",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

#[test]
fn encrypted_without_the_password_asks_for_it() {
    let bytes = encrypted_corpus_file("user-secret");
    let error = PdfDocument::from_bytes(&bytes, "hostile.pdf", None)
        .err()
        .expect("needs a password");
    assert!(matches!(error, Error::PasswordRequired { .. }), "{error}");
    // A library message names no front end's flag: the CLI adds its own.
    assert_eq!(
        error.to_string(),
        "hostile.pdf: the PDF is encrypted and needs a password"
    );

    let error = PdfDocument::from_bytes(&bytes, "hostile.pdf", Some("guess"))
        .err()
        .expect("wrong password");
    assert!(matches!(error, Error::WrongPassword { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "hostile.pdf: the password given does not open this encrypted PDF"
    );

    let form = PdfDocument::from_bytes(&bytes, "hostile.pdf", Some("user-secret"))
        .expect("right password")
        .form()
        .expect("form");
    let phone = form
        .fields
        .iter()
        .find(|f| f.name == "contact.phone")
        .expect("field");
    assert_eq!(phone.value, FieldValue::Text("inherited value".into()));
}

#[test]
fn decompression_bomb_is_refused_not_inflated() {
    use std::io::Write;
    // 32 MiB of spaces deflates to about 32 KiB: a thousandfold bomb, far
    // over the bound of 50 times the file size (4 MiB at least).
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..32 {
        encoder.write_all(&chunk).expect("compress");
    }
    let bomb = encoder.finish().expect("compress");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_owned(),
    ];
    // The stream's bytes are not UTF-8, so the object is spliced in as bytes.
    objects.push("BOMB".to_owned());
    let template = pdf_with_objects(&objects);
    let marker = template
        .windows(4)
        .position(|w| w == b"BOMB")
        .expect("marker");
    let mut stream = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        bomb.len()
    )
    .into_bytes();
    stream.extend_from_slice(&bomb);
    stream.extend_from_slice(b"\nendstream");
    let mut bytes = template[..marker].to_vec();
    bytes.extend_from_slice(&stream);
    bytes.extend_from_slice(&template[marker + 4..]);
    // The xref offsets after the splice are wrong; lopdf reconstructs them.
    let pdf = open(&bytes).expect("opens");
    let error = pdf
        .page_text(1)
        .expect_err("the page content is over the bound");
    assert!(matches!(error, Error::Damaged { .. }), "{error}");
    assert!(error.to_string().contains("page 1 content"), "{error}");
}

/// A deterministic stand-in for the fuzzer that runs with every test run:
/// corpus files with bytes overwritten, ranges deleted and ranges repeated.
/// Every mutant must give a result or an error, never a panic.
#[test]
fn mutated_corpus_files_never_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut state = 0x9E37_79B9_u32;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize % bound.max(1)
    };
    for name in [
        "gen_hierarchical_inherited.pdf",
        "gen_objstm_xrefstream.pdf",
        "pdfminer_AcroForm_TEST.pdf",
        "pdfbox_FillFormField.pdf",
        "gen_enc_rc4_40.pdf",
    ] {
        let original = std::fs::read(corpus.join(name)).expect("corpus file");
        for _ in 0..60 {
            let mut bytes = original.clone();
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
            if let Err(error) = read_everything(&bytes) {
                assert_names_file(&error);
            }
        }
    }
}

/// The same file encrypted with AES-256 (revision 6), where the lazy reader
/// lets the key derivation check the password: either password opens it,
/// none or a wrong one is refused as by the full load.
#[test]
fn aes256_with_a_user_password_opens_with_either_password() {
    use lopdf::encryption::crypt_filters::{Aes256CryptFilter, CryptFilter};
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    use std::collections::BTreeMap;
    use std::sync::Arc;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut doc =
        lopdf::Document::load(corpus.join("gen_hierarchical_inherited.pdf")).expect("corpus");
    let filter: Arc<dyn CryptFilter> = Arc::new(Aes256CryptFilter);
    let key = [7u8; 32];
    let state = EncryptionState::try_from(EncryptionVersion::V5 {
        encrypt_metadata: true,
        crypt_filters: BTreeMap::from([(b"StdCF".to_vec(), filter)]),
        file_encryption_key: &key,
        stream_filter: b"StdCF".to_vec(),
        string_filter: b"StdCF".to_vec(),
        owner_password: "owner-secret",
        user_password: "user-secret",
        permissions: Permissions::all(),
    })
    .expect("encryption state");
    doc.encrypt(&state).expect("encrypt");
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");

    let error = PdfDocument::from_bytes(&bytes, "hostile.pdf", None)
        .err()
        .expect("needs a password");
    assert!(matches!(error, Error::PasswordRequired { .. }), "{error}");
    let error = PdfDocument::from_bytes(&bytes, "hostile.pdf", Some("guess"))
        .err()
        .expect("wrong password");
    assert!(matches!(error, Error::WrongPassword { .. }), "{error}");
    for password in ["user-secret", "owner-secret"] {
        let form = PdfDocument::from_bytes(&bytes, "hostile.pdf", Some(password))
            .expect("right password")
            .form()
            .expect("form");
        let phone = form
            .fields
            .iter()
            .find(|f| f.name == "contact.phone")
            .expect("field");
        assert_eq!(
            phone.value,
            FieldValue::Text("inherited value".into()),
            "{password}"
        );
    }
}
