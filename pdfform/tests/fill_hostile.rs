//! The fill path on the fuzz corpus (the form corpus, which seeds the
//! fuzzer) and on deterministic mutants of it, as the `fill` fuzz target
//! runs it: whatever opens is filled with generated values and written
//! both ways without a panic, and what is written reads back with the
//! values given.

mod common;

use magvar_pdfform::{FillOptions, FormFiller, PdfDocument};
use std::path::Path;

/// Fills what opens; the filled output, when filling succeeds, must open
/// and give back the values of the fill's own account of the form.
fn fill_round_trip(bytes: &[u8], context: &str) -> bool {
    let Ok(pdf) = PdfDocument::from_bytes(bytes, "fuzz.pdf", None) else {
        return false;
    };
    let Ok(filler) = FormFiller::new(pdf) else {
        return false;
    };
    let data = common::valid_fill(&filler);
    for rewrite in [false, true] {
        let options = FillOptions {
            force: true,
            rewrite,
            ..FillOptions::default()
        };
        let Ok(filled) = filler.fill(&data, &options) else {
            continue;
        };
        let Ok(out) = filled.to_bytes() else {
            continue;
        };
        let reread = PdfDocument::from_bytes(&out, "filled.pdf", None)
            .and_then(|pdf| pdf.form())
            .unwrap_or_else(|e| panic!("{context} (rewrite: {rewrite}): the output: {e}"));
        let expected = filled.form();
        for (name, value) in data.iter() {
            let want = expected.values().find(|(n, _)| *n == name).map(|(_, v)| v);
            let got = reread.values().find(|(n, _)| *n == name).map(|(_, v)| v);
            assert_eq!(
                got, want,
                "{context} (rewrite: {rewrite}): {name} given {value:?}"
            );
        }
    }
    true
}

#[test]
fn mutated_corpus_files_fill_without_a_panic() {
    let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0xF111);
    let mut next = move |bound: usize| rand::Rng::random_range(&mut rng, 0..bound.max(1));
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut filled = 0;
    for name in [
        "gen_hierarchical_inherited.pdf",
        "gen_objstm_xrefstream.pdf",
        "pdfminer_AcroForm_TEST.pdf",
        "pdfbox_FillFormField.pdf",
        "gen_enc_rc4_40.pdf",
        "gen_reportlab_rev_footer.pdf",
    ] {
        let original = std::fs::read(corpus.join(name)).unwrap();
        assert!(fill_round_trip(&original, name), "{name} itself fills");
        for mutant in 0..40 {
            let bytes = common::mutate(&original, &mut next);
            filled += usize::from(fill_round_trip(&bytes, &format!("{name} mutant {mutant}")));
        }
    }
    // Most mutants still fill, so the checks after filling really ran.
    assert!(filled >= 120, "{filled} of 240 filled");
}
