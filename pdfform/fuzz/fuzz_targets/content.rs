//! The text interpreter on arbitrary content streams: the bytes become the
//! content of a one-page PDF with a simple font, a Type0 font with a
//! ToUnicode CMap and a Form XObject that draws itself, so the fuzzer
//! spends its time in operator handling rather than in file structure.
#![no_main]

use libfuzzer_sys::fuzz_target;
use magvar_pdfform::PdfDocument;

fn pdf_with_content(content: &[u8]) -> Vec<u8> {
    let cmap = b"begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <00FF> <0041> endbfrange";
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R /F2 6 0 R >> /XObject << /X1 8 0 R >> >> >>"
            .to_vec(),
        [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [65 /H18533 /fi] >> >>".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /ToUnicode 7 0 R \
          /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /W [1 [500 600] 10 20 700] >>] >>"
            .to_vec(),
        [format!("<< /Length {} >>\nstream\n", cmap.len()).as_bytes(), cmap.as_slice(), b"\nendstream"].concat(),
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 8 0 R >> >> /Length 7 >>\nstream\n/X1 Do\n\nendstream"
            .to_vec(),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
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

fuzz_target!(|content: &[u8]| {
    if let Ok(pdf) = PdfDocument::from_bytes(&pdf_with_content(content), "fuzz.pdf", None) {
        let _ = pdf.page_text(1);
    }
});
