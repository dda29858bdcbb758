//! Page /Rotate, rotated text runs and vertical writing in the positioned
//! text, on small PDFs built here.

use magvar_pdfform::PdfDocument;

mod common;
use common::pdf_with_objects;

/// A one-page PDF whose page has `page_extra` entries (e.g. `/Rotate 90`)
/// and the given content, with Helvetica as /F1.
fn page_pdf(page_extra: &str, content: &str) -> Vec<u8> {
    pdf_with_objects(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] {page_extra} \
             /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ])
}

#[test]
fn coordinates_are_those_of_the_page_as_displayed_under_rotate() {
    // Drawn horizontally on the unrotated page, "Down" reads downwards once
    // the page is turned a quarter clockwise; "Across" is drawn turned
    // anticlockwise, so it reads across the displayed page.
    let content = "BT /F1 12 Tf 72 720 Td (Down) Tj ET \
                   BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Across) Tj ET";
    for (extra, down, across) in [
        // Unrotated: as drawn.
        ("", ((72.0, 720.0), 0), ((300.0, 100.0), 90)),
        // (x, y) -> (y, 612 - x) on a page displayed 792 wide, 612 high.
        ("/Rotate 90", ((720.0, 540.0), -90), ((100.0, 312.0), 0)),
        // (x, y) -> (612 - x, 792 - y).
        ("/Rotate 180", ((540.0, 72.0), 180), ((312.0, 692.0), -90)),
        // (x, y) -> (792 - y, x); -270 is the same turn.
        ("/Rotate -90", ((72.0, 72.0), 90), ((692.0, 300.0), 180)),
    ] {
        let pdf =
            PdfDocument::from_bytes(&page_pdf(extra, content), "rotate.pdf", None).expect("opens");
        let page = pdf.page_text(1).expect("text");
        let find = |text: &str| {
            let line = page
                .lines
                .iter()
                .find(|line| line.text() == text)
                .unwrap_or_else(|| panic!("{extra}: no line {text:?} in {page:?}"));
            ((line.blocks[0].x, line.blocks[0].y), line.angle_deg)
        };
        assert_eq!(find("Down"), down, "{extra}");
        assert_eq!(find("Across"), across, "{extra}");
    }
}

#[test]
fn rotated_run_stays_out_of_the_horizontal_line_it_starts_on() {
    // A label turned to read upwards starts on the baseline of "Name:",
    // right after it, where a horizontal run would have joined the line.
    let content = "BT /F1 10 Tf 72 400 Td (Name:) Tj ( Jane Doe) Tj ET \
                   BT /F1 10 Tf 0 1 -1 0 170 400 Tm (Office use only) Tj ET";
    let pdf = PdfDocument::from_bytes(&page_pdf("", content), "label.pdf", None).expect("opens");
    let page = pdf.page_text(1).expect("text");
    let texts: Vec<(String, i32)> = page
        .lines
        .iter()
        .map(|line| (line.text(), line.angle_deg))
        .collect();
    assert_eq!(
        texts,
        [
            ("Name: Jane Doe".to_owned(), 0),
            ("Office use only".to_owned(), 90)
        ]
    );
    // The JSON of a horizontal line is as before; a turned one says so.
    let json = serde_json::to_value(&page.lines).expect("json");
    assert!(json[0].get("angle_deg").is_none());
    assert_eq!(json[1]["angle_deg"], 90);
}
