//! Whole documents: parsing, the field reader and the text interpreter on
//! arbitrary bytes. Any panic, hang or runaway allocation is a bug. The
//! fields are read first, so they go through the lazy reader (objects parsed
//! on demand, lopdf's `Reader::lazy` and `LazyObjectStream`) and, when it
//! gives up, the full load; the text then reads the full load.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magvar_pdfform::PdfDocument;

fuzz_target!(|bytes: &[u8]| {
    let Ok(pdf) = PdfDocument::from_bytes(bytes, "fuzz.pdf", None) else {
        return;
    };
    let _ = pdf.form().map(|form| form.urlencoded());
    // A fuzzed page tree can claim many pages; a few are enough to reach
    // the interpreter.
    for page in 1..=pdf.page_count().min(4) {
        let _ = pdf.page_text(page);
    }
});
