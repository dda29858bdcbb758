//! Hostile and broken input: every case ends in the error it calls for,
//! naming the file, or in exactly what can still be read of the document —
//! never a panic, hang or stack overflow. The files are generated here
//! rather than committed.

use magvar_pdfform::{Error, FieldValue, Form, MAX_FIELD_DEPTH, PdfDocument};
use std::path::Path;

mod common;
use common::{form_pdf, pdf_with_objects};

fn open(bytes: &[u8]) -> Result<PdfDocument, Error> {
    PdfDocument::from_bytes(bytes, "hostile.pdf", None)
}

fn corpus_file(name: &str) -> Vec<u8> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    std::fs::read(corpus.join(name)).expect("corpus file")
}

fn text(value: &str) -> FieldValue {
    FieldValue::Text(value.into())
}

/// Each field's name, value and page, in form order.
fn summary(form: &Form) -> Vec<(String, FieldValue, Option<u32>)> {
    form.fields
        .iter()
        .map(|field| (field.name.clone(), field.value.clone(), field.page))
        .collect()
}

fn expected(fields: &[(&str, FieldValue, Option<u32>)]) -> Vec<(String, FieldValue, Option<u32>)> {
    fields
        .iter()
        .map(|(name, value, page)| ((*name).to_owned(), value.clone(), *page))
        .collect()
}

/// The text of every page, or the first error.
fn all_text(pdf: &PdfDocument) -> Result<Vec<String>, Error> {
    Ok(pdf.text()?.iter().map(|page| page.plain()).collect())
}

/// The error of a file in which lopdf finds neither cross-reference data
/// nor enough objects to rebuild it: refused at open.
fn assert_no_structure(result: Result<PdfDocument, Error>) {
    match result.err().expect("refused at open") {
        Error::Damaged { file, reason } => {
            assert_eq!(file, Path::new("hostile.pdf"));
            assert_eq!(reason, "failed parsing cross reference table");
        }
        error => panic!("expected a damaged-file error, got {error:?}"),
    }
}

#[test]
fn empty_file_is_not_a_pdf() {
    let error = open(b"").err().expect("error");
    assert!(matches!(error, Error::NotPdf { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "hostile.pdf: not a PDF file (the file is empty)"
    );
}

#[test]
fn html_page_is_not_a_pdf() {
    let error = open(b"<!DOCTYPE html><html><body>Download form</body></html>")
        .err()
        .expect("error");
    assert!(matches!(error, Error::NotPdf { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "hostile.pdf: not a PDF file (it looks like HTML or XML)"
    );
}

#[test]
fn garbage_after_header_is_damaged() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    // Arbitrary bytes from the tests' seeded source: the same every run.
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x2545);
    bytes.extend((0..50_000).map(|_| rand::Rng::random::<u8>(&mut rng)));
    assert_no_structure(open(&bytes));
}

/// What a file cut short at some byte should give.
enum Cut {
    /// Nothing to find a catalog by: refused at open.
    NoStructure,
    /// Only the end-of-file lines are lost; lopdf rebuilds the
    /// cross-reference data and everything reads as from the whole file.
    Whole,
    /// The objects before the cut read: these fields (name, value, page)
    /// and warnings, and page text as given.
    Partial {
        fields: Vec<(&'static str, FieldValue, Option<u32>)>,
        warnings: Vec<&'static str>,
        text: Vec<&'static str>,
    },
    /// An encrypted file cut before its encryption dictionary and trailer:
    /// the structure reads but no string can be decrypted, so only values
    /// that are names (never encrypted) come out as in the whole file.
    WithoutKey {
        fields: usize,
        name_values: Vec<&'static str>,
    },
}

#[test]
fn truncated_files_give_what_survives_the_cut() {
    // gen_hierarchical_inherited.pdf: objects 1–29 in order, then the xref
    // table and trailer. A third in (byte 1549) objects 1–14 are whole and
    // the page (15) is cut; half-way (2324) 1–18 are whole. The fields'
    // dictionaries before the cut read; "applicant.address" has lost its
    // kids (21, 22) and stands as a text field of its own by the /FT it
    // inherits; "prefs" has lost the kids that carry /FT; "payment" keeps
    // its /V but its widgets (16–18) come only in the second cut. The page
    // tree (9) still lists the page, as page 1 of the widgets' /P, and its
    // content stream (23) is lost.
    let hierarchical_partial = |payment_page| Cut::Partial {
        fields: vec![
            ("applicant.name", text("Jürgen “Jo” Müller — ﬁne"), Some(1)),
            ("applicant.address", FieldValue::Null, None),
            ("contact.phone", text("inherited value"), Some(1)),
            ("consent", text("Agreed"), Some(1)),
            ("payment", text("card"), payment_page),
            ("notes", FieldValue::Null, Some(1)),
            ("signature", FieldValue::Null, Some(1)),
        ],
        warnings: vec!["field \"prefs\" has no field type (/FT); left out"],
        text: vec![""],
    };
    let cases = [
        ("gen_hierarchical_inherited.pdf", 10, Cut::NoStructure),
        ("gen_hierarchical_inherited.pdf", 100, Cut::NoStructure),
        (
            "gen_hierarchical_inherited.pdf",
            1549,
            hierarchical_partial(None),
        ),
        (
            "gen_hierarchical_inherited.pdf",
            2324,
            hierarchical_partial(Some(1)),
        ),
        ("gen_hierarchical_inherited.pdf", 4629, Cut::Whole),
        // The page tree's root and every field dictionary are in the object
        // stream at byte 6177, the trailer in the xref stream after it: any
        // cut before them leaves a catalog that leads nowhere.
        ("pdfminer_AcroForm_TEST.pdf", 10, Cut::NoStructure),
        ("pdfminer_AcroForm_TEST.pdf", 100, Cut::NoStructure),
        ("pdfminer_AcroForm_TEST.pdf", 2550, Cut::NoStructure),
        ("pdfminer_AcroForm_TEST.pdf", 3826, Cut::NoStructure),
        ("pdfminer_AcroForm_TEST.pdf", 7632, Cut::Whole),
        // The encryption dictionary is at byte 15480, the trailer with /ID
        // at the end; the field dictionaries come before, the last one
        // ("languages") between the two cuts.
        ("gen_enc_aes256.pdf", 10, Cut::NoStructure),
        ("gen_enc_aes256.pdf", 100, Cut::NoStructure),
        (
            "gen_enc_aes256.pdf",
            5661,
            Cut::WithoutKey {
                fields: 5,
                name_values: vec!["Yes", "pro"],
            },
        ),
        (
            "gen_enc_aes256.pdf",
            8491,
            Cut::WithoutKey {
                fields: 6,
                name_values: vec!["Yes", "pro"],
            },
        ),
        ("gen_enc_aes256.pdf", 16963, Cut::Whole),
    ];
    for (name, cut, expect) in cases {
        let whole = corpus_file(name);
        let bytes = &whole[..cut];
        let context = format!("{name} cut at {cut}");
        match expect {
            Cut::NoStructure => assert_no_structure(open(bytes)),
            Cut::Whole => {
                let pdf = open(bytes).expect(&context);
                let original = open(&whole).expect("whole file");
                assert_eq!(
                    pdf.form().expect(&context),
                    original.form().expect("whole file"),
                    "{context}"
                );
                assert_eq!(
                    all_text(&pdf).expect(&context),
                    all_text(&original).expect("whole")
                );
            }
            Cut::Partial {
                fields,
                warnings,
                text,
            } => {
                let pdf = open(bytes).expect(&context);
                let form = pdf.form().expect(&context);
                assert_eq!(summary(&form), expected(&fields), "{context}");
                assert_eq!(form.warnings, warnings, "{context}");
                assert_eq!(all_text(&pdf).expect(&context), text, "{context}");
            }
            Cut::WithoutKey {
                fields,
                name_values,
            } => {
                let pdf = open(bytes).expect(&context);
                let form = pdf.form().expect(&context);
                assert_eq!(form.fields.len(), fields, "{context}");
                let plain_names: Vec<String> = open(&whole)
                    .expect("whole file")
                    .form()
                    .expect("whole file")
                    .fields
                    .into_iter()
                    .map(|field| field.name)
                    .collect();
                assert!(
                    form.fields.iter().all(|f| !plain_names.contains(&f.name)),
                    "{context}: a name decrypted without the key: {:?}",
                    summary(&form)
                );
                let found = form
                    .fields
                    .iter()
                    .filter(|field| name_values.iter().any(|v| field.value == text(v)))
                    .count();
                assert_eq!(found, name_values.len(), "{context}: {:?}", summary(&form));
            }
        }
    }
}

#[test]
fn huge_length_claim_does_not_allocate_it() {
    // A text value given as a stream (as values.rs has it) whose /Length
    // claims 100 GB: its data is what runs to `endstream`.
    let bytes = form_pdf(
        "[6 0 R]",
        "[]",
        &[
            "<< /Length 99999999999 >>\nstream\nabc\nendstream".to_owned(),
            "<< /T (t) /FT /Tx /V 5 0 R >>".to_owned(),
        ],
    );
    let pdf = open(&bytes).expect("opens");
    let fields = expected(&[("t", text("abc"), None)]);
    assert_eq!(summary(&pdf.form().expect("form")), fields);
    // The text makes the full load, which parses every object; the fields
    // are then read from it and must not change.
    assert_eq!(all_text(&pdf).expect("text"), ["Hello\n"]);
    assert_eq!(summary(&pdf.form().expect("form")), fields);
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
    assert_eq!(pdf.form().expect("form").fields.len(), 0);
    assert_eq!(all_text(&pdf).expect("text"), ["Hello\n"]);
    match pdf.page_text(2).expect_err("no page 2") {
        Error::NoSuchPage { page, count, .. } => assert_eq!((page, count), (2, 1)),
        error => panic!("expected NoSuchPage, got {error:?}"),
    }
}

#[test]
fn deeply_nested_arrays_do_not_overflow_the_stack() {
    let depth = 200_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let bytes = form_pdf(
        "[5 0 R 6 0 R]",
        "[]",
        &[
            format!("<< /T (deep) /FT /Tx /V {nested} >>"),
            "<< /T (ok) /FT /Tx /V (fine) >>".to_owned(),
        ],
    );
    // The default test thread has a 2 MiB stack: a recursive descent 200k
    // deep would overflow it long before finishing. lopdf's parser stops at
    // its nesting limit, so the deep field's object does not parse and the
    // field is left out; the rest of the document reads.
    let pdf = open(&bytes).expect("opens");
    assert_eq!(
        summary(&pdf.form().expect("form")),
        expected(&[("ok", text("fine"), None)])
    );
    assert_eq!(all_text(&pdf).expect("text"), ["Hello\n"]);
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
    let pdf = open(&bytes).expect("opens");
    match pdf.form().expect_err("too deep") {
        Error::FieldTreeTooDeep { file, field, limit } => {
            assert_eq!(file, Path::new("hostile.pdf"));
            assert_eq!(limit, MAX_FIELD_DEPTH);
            // The name of the first node past the limit: f0 to f100.
            let names: Vec<String> = (0..=MAX_FIELD_DEPTH).map(|l| format!("f{l}")).collect();
            assert_eq!(field, names.join("."));
        }
        error => panic!("expected FieldTreeTooDeep, got {error:?}"),
    }
    assert_eq!(all_text(&pdf).expect("text"), ["Hello\n"]);
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
    assert_eq!(summary(&form), expected(&[("a.b.c", text("value"), None)]));
    assert_eq!(
        form.warnings,
        ["field tree: object 5 0 is reached twice (a cycle or a shared kid); read once"]
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
    // The name takes the ancestors up the chain until one comes round
    // again: w, then p, then q (whose parent is p again).
    assert_eq!(summary(&form), expected(&[("q.p.w", text("x"), Some(1))]));
}

#[test]
fn field_only_in_page_annotations_is_found_with_its_page() {
    let extra = vec![
        "<< /Type /Annot /Subtype /Widget /T (orphan) /FT /Tx /V (here) /Rect [10 20 110 40] >>"
            .to_owned(),
    ];
    let bytes = form_pdf("[]", "[5 0 R]", &extra);
    let form = open(&bytes).expect("opens").form().expect("form");
    assert_eq!(
        summary(&form),
        expected(&[("orphan", text("here"), Some(1))])
    );
    assert_eq!(form.fields[0].rect, Some([10.0, 20.0, 110.0, 40.0]));
}

#[test]
fn circular_page_tree_has_its_page_once() {
    // The root lists itself after its one page. However many other objects
    // the file has, the document has that one page.
    for unrelated in [0, 10] {
        let mut objects = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_owned(),
            "<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R >>".to_owned(),
        ];
        objects.extend((0..unrelated).map(|_| "<< >>".to_owned()));
        let pdf = open(&pdf_with_objects(&objects)).expect("opens");
        assert_eq!(pdf.page_count(), 1, "{unrelated} unrelated objects");
        assert_eq!(all_text(&pdf).expect("text"), [""]);
        assert_eq!(pdf.form().expect("no form").fields.len(), 0);
    }
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
    assert_eq!(pdf.page_count(), 1);
    match pdf
        .page_text(1)
        .expect_err("the page content is over the bound")
    {
        Error::Damaged { file, reason } => {
            assert_eq!(file, Path::new("hostile.pdf"));
            assert!(reason.starts_with("page 1 content: "), "{reason}");
        }
        error => panic!("expected a damaged-file error, got {error:?}"),
    }
    // Only the page's content is refused: the document has no form, and
    // says so.
    assert_eq!(pdf.form().expect("form").fields.len(), 0);
}

/// A deterministic stand-in for the fuzzer that runs with every test run:
/// corpus files with bytes overwritten, ranges deleted and ranges repeated.
/// What a random mutant should give cannot be told case by case; what it
/// must give can:
/// * an error only of the kind its input allows: not a PDF exactly when
///   the header has left the first 1024 bytes, else a damaged file, or for
///   the encrypted file a missing password (a damaged /O, /U or /ID no
///   longer opens with the empty one);
/// * once open, the text of every page;
/// * the same fields whether read on demand or from the full load.
#[test]
fn mutated_corpus_files_give_an_error_of_their_kind_or_one_reading() {
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x9E37_79B9);
    let mut next = move |bound: usize| rand::Rng::random_range(&mut rng, 0..bound.max(1));
    let mut opened = 0;
    for (name, encrypted) in [
        ("gen_hierarchical_inherited.pdf", false),
        ("gen_objstm_xrefstream.pdf", false),
        ("pdfminer_AcroForm_TEST.pdf", false),
        ("pdfbox_FillFormField.pdf", false),
        ("gen_enc_rc4_40.pdf", true),
    ] {
        let original = corpus_file(name);
        for mutant in 0..60 {
            let bytes = common::mutate(&original, &mut next);
            let context = format!("{name} mutant {mutant}");
            let has_header = bytes[..bytes.len().min(1024)]
                .windows(5)
                .any(|w| w == b"%PDF-");
            let pdf = match open(&bytes) {
                Ok(pdf) => pdf,
                Err(error) => {
                    assert!(error.to_string().starts_with("hostile.pdf: "), "{error}");
                    let allowed = match error {
                        Error::NotPdf { .. } => !has_header,
                        Error::Damaged { .. } => has_header,
                        Error::PasswordRequired { .. } => has_header && encrypted,
                        _ => false,
                    };
                    assert!(allowed, "{context}: {error:?}");
                    continue;
                }
            };
            opened += 1;
            let on_demand = pdf.form().map(|form| summary(&form));
            all_text(&pdf).unwrap_or_else(|error| panic!("{context}: {error}"));
            let from_full_load = pdf.form().map(|form| summary(&form));
            assert_eq!(
                format!("{on_demand:?}"),
                format!("{from_full_load:?}"),
                "{context}"
            );
        }
    }
    // Most mutants still open, so the checks after opening really ran.
    assert!(opened >= 200, "{opened} of 300 opened");
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
