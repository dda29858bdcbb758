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
