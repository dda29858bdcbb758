//! Text that comes from glyph names alone: a symbolic Type 1 font with no
//! /Encoding and no ToUnicode, whose codes mean what the encoding built
//! into its embedded program (`dup <code> /<name> put`) says, each name
//! mapped to Unicode on its own.

use magvar_pdfform::PdfDocument;

mod common;
use common::pdf_with_objects;

/// One page showing `shown` in a Type 1 font with no ToUnicode and the
/// font dictionary entries `font_extra`, embedded with `cleartext` as the
/// clear part of its program.
fn type1_pdf(font_extra: &str, cleartext: &str, shown: &str) -> Vec<u8> {
    let program = format!("{cleartext}currentfile eexec\n");
    let content = format!("BT /F1 12 Tf 72 700 Td ({shown}) Tj ET");
    pdf_with_objects(&[
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
         /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ),
        format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Builtin /FontDescriptor 6 0 R {font_extra} >>"
        ),
        "<< /Type /FontDescriptor /FontName /Builtin /Flags 4 /FontBBox [0 -200 1000 800] \
         /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile 7 0 R >>"
            .to_owned(),
        format!(
            "<< /Length1 {} /Length2 0 /Length3 0 /Length {} >>\nstream\n{program}\nendstream",
            program.len(),
            program.len() + 1
        ),
    ])
}

fn page_text(bytes: &[u8]) -> Vec<String> {
    let pdf = PdfDocument::from_bytes(bytes, "glyphs.pdf", None).expect("opens");
    let page = pdf.page_text(1).expect("text");
    page.lines.iter().map(|line| line.text()).collect()
}

/// The clear part of a program whose built-in encoding puts letters where
/// the standard encoding has digits. `H18533` is the Symbol font's name of
/// the black circle; `g17`, a subset font's name for a glyph, means no
/// character. Some names follow their code without a space, as font
/// programs write them.
const BUILTIN: &str = "%!FontType1-1.0: Builtin 001.000\n\
                       /FontName /Builtin def\n\
                       /Encoding 256 array\n\
                       0 1 255 {1 index exch /.notdef put} for\n\
                       dup 49 /H put\n\
                       dup 50/eacute put\n\
                       dup 51 /l put\n\
                       dup 52 /o put\n\
                       dup 53 /g17 put\n\
                       dup 54 /H18533 put\n\
                       readonly def\n";

#[test]
fn a_type1_font_without_encoding_reads_the_names_in_its_program() {
    // The unknown name must not take the others down with it, as it would
    // if the names went to lopdf as one /Differences array.
    assert_eq!(page_text(&type1_pdf("", BUILTIN, "1233456")), ["Héllo●"]);
}

#[test]
fn an_encoding_in_the_font_dictionary_wins_over_the_program() {
    let bytes = type1_pdf("/Encoding /WinAnsiEncoding", BUILTIN, "1233456");
    assert_eq!(page_text(&bytes), ["1233456"]);
}
