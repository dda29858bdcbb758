//! Identity-H / Identity-V CID fonts without a ToUnicode map: the text comes
//! from the embedded TrueType program's cmap. The font is one embedded in a
//! corpus file, copied into PDFs built here with lopdf's writer.

use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use magvar_pdfform::PdfDocument;
use std::path::Path;

/// A TrueType program from the corpus (`/FontFile2`) and three characters
/// its Unicode cmap maps, with their glyph ids.
fn corpus_truetype() -> (Vec<u8>, Vec<(char, u16)>) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    files.sort();
    for file in files {
        let Ok(doc) = Document::load(&file) else {
            continue;
        };
        for object in doc.objects.values() {
            let Ok(descriptor) = object.as_dict() else {
                continue;
            };
            let Some(program) = descriptor
                .get(b"FontFile2")
                .ok()
                .and_then(|o| o.as_reference().ok())
                .and_then(|id| doc.get_object(id).ok())
                .and_then(|o| o.as_stream().ok())
                .and_then(|s| s.decompressed_content().ok())
            else {
                continue;
            };
            let Ok(face) = ttf_parser::Face::parse(&program, 0) else {
                continue;
            };
            let chars: Vec<(char, u16)> = ('A'..='Z')
                .chain('a'..='z')
                .filter_map(|c| Some((c, face.glyph_index(c)?.0)))
                .filter(|&(_, glyph)| glyph != 0)
                .take(3)
                .collect();
            if chars.len() == 3 {
                return (program, chars);
            }
        }
    }
    panic!("no corpus font with three mapped Latin letters");
}

/// One page showing `codes` (2-byte CIDs) at (72, 700) in a Type0 font with
/// `encoding`, no ToUnicode, and /CIDToGIDMap /Identity or, given
/// `cid_to_gid`, a stream of it.
fn cid_pdf(program: &[u8], encoding: &str, cid_to_gid: Option<Vec<u8>>, codes: &[u16]) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let cid_to_gid: Object = match cid_to_gid {
        Some(map) => doc.add_object(Stream::new(Dictionary::new(), map)).into(),
        None => "Identity".into(),
    };
    let font_file = doc.add_object(Stream::new(
        dictionary! { "Length1" => program.len() as i64 },
        program.to_vec(),
    ));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => "CorpusFont",
        "Flags" => 4,
        "FontBBox" => vec![0.into(), (-200).into(), 1000.into(), 800.into()],
        "ItalicAngle" => 0,
        "Ascent" => 800,
        "Descent" => -200,
        "CapHeight" => 700,
        "StemV" => 80,
        "FontFile2" => font_file,
    });
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => "CorpusFont",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("Identity"),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "DW" => 600,
        "CIDToGIDMap" => cid_to_gid,
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "CorpusFont",
        "Encoding" => Object::Name(encoding.as_bytes().to_vec()),
        "DescendantFonts" => vec![cid_font.into()],
    });
    let hex: String = codes.iter().map(|code| format!("{code:04X}")).collect();
    let content = format!("BT /F1 12 Tf 72 700 Td <{hex}> Tj ET");
    let contents = doc.add_object(Stream::new(Dictionary::new(), content.into_bytes()));
    let pages = doc.new_object_id();
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        "Contents" => contents,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("save");
    bytes
}

fn page_lines(bytes: &[u8]) -> Vec<(String, i32)> {
    let pdf = PdfDocument::from_bytes(bytes, "cid.pdf", None).expect("opens");
    let page = pdf.page_text(1).expect("text");
    page.lines
        .iter()
        .map(|line| (line.text(), line.angle_deg))
        .collect()
}

#[test]
fn identity_h_without_to_unicode_reads_the_embedded_cmap() {
    let (program, chars) = corpus_truetype();
    let expected: String = chars.iter().map(|&(c, _)| c).collect();
    // /Identity: the CIDs are the glyph ids.
    let glyphs: Vec<u16> = chars.iter().map(|&(_, glyph)| glyph).collect();
    let bytes = cid_pdf(&program, "Identity-H", None, &glyphs);
    assert_eq!(page_lines(&bytes), [(expected.clone(), 0)]);
    // A /CIDToGIDMap stream: CIDs 1, 2, 3 name the three glyphs.
    let mut map = vec![0u8; 8];
    for (cid, &(_, glyph)) in chars.iter().enumerate() {
        map[2 * (cid + 1)..2 * (cid + 2)].copy_from_slice(&glyph.to_be_bytes());
    }
    let bytes = cid_pdf(&program, "Identity-H", Some(map), &[1, 2, 3]);
    assert_eq!(page_lines(&bytes), [(expected, 0)]);
}

#[test]
fn identity_v_reads_downwards() {
    let (program, chars) = corpus_truetype();
    let expected: String = chars.iter().map(|&(c, _)| c).collect();
    let glyphs: Vec<u16> = chars.iter().map(|&(_, glyph)| glyph).collect();
    let bytes = cid_pdf(&program, "Identity-V", None, &glyphs);
    assert_eq!(page_lines(&bytes), [(expected, -90)]);
}

#[test]
fn identity_h_without_an_embedded_program_gives_no_text_and_no_error() {
    // Not a font program at all: the codes stay without text.
    let bytes = cid_pdf(b"not a font", "Identity-H", None, &[36, 37]);
    assert_eq!(page_lines(&bytes), []);
}
