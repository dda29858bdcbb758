//! Turning PDF strings and names into Rust strings.
//!
//! A PDF *text string* (field names, values, options) is UTF-16BE or
//! UTF-16LE when it starts with a byte-order mark, UTF-8 when it starts with
//! the UTF-8 BOM (PDF 2.0), and PDFDocEncoding otherwise (ISO 32000-2,
//! 7.9.2.2). A *name* is a byte sequence the spec recommends reading as UTF-8;
//! producers that ignore that write a single-byte encoding, which we read as
//! PDFDocEncoding so that, e.g., `0x90` comes out as the right single quote
//! the producer meant rather than a replacement character.

use lopdf::Object;
use std::sync::OnceLock;

/// Decodes a PDF text string. Never fails: unpaired surrogates and bytes
/// PDFDocEncoding leaves undefined become U+FFFD.
pub fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        utf16(rest, u16::from_be_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        pdf_doc_encoding(bytes)
    }
}

/// Decodes a name's bytes (already un-`#`-escaped by the parser).
pub fn name(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => pdf_doc_encoding(bytes),
    }
}

/// A string or name object as text; `None` for any other object type.
pub fn object_text(object: &Object) -> Option<String> {
    match object {
        Object::String(bytes, _) => Some(text_string(bytes)),
        Object::Name(bytes) => Some(name(bytes)),
        _ => None,
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    // A trailing odd byte is not a whole code unit; it is dropped.
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// PDFDocEncoding: Latin-1 except for 0x18–0x1F (accents) and 0x80–0x9F
/// (typographic characters), with 0x7F, 0x9F and 0xAD undefined.
fn pdf_doc_encoding(bytes: &[u8]) -> String {
    let table = pdf_doc_table();
    bytes.iter().map(|&b| table[usize::from(b)]).collect()
}

fn pdf_doc_table() -> &'static [char; 256] {
    static TABLE: OnceLock<[char; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [char::REPLACEMENT_CHARACTER; 256];
        for (byte, slot) in table.iter_mut().enumerate() {
            // Latin-1 agrees with PDFDocEncoding everywhere not overridden below.
            *slot = char::from(byte as u8);
        }
        const ACCENTS: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
        table[0x18..0x20].copy_from_slice(&ACCENTS);
        const HIGH: [char; 32] = [
            '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’',
            '‚', '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}',
        ];
        table[0x80..0xA0].copy_from_slice(&HIGH);
        table[0x7F] = char::REPLACEMENT_CHARACTER;
        table[0xA0] = '€';
        table[0xAD] = char::REPLACEMENT_CHARACTER;
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_select_the_encoding() {
        assert_eq!(text_string(b"\xFE\xFF\x00A\x00\xe9"), "Aé");
        assert_eq!(text_string(b"\xFF\xFEA\x00\xe9\x00"), "Aé");
        assert_eq!(text_string("\u{FEFF}Zürich".as_bytes()), "Zürich");
    }

    #[test]
    fn pdf_doc_encoding_high_bytes_are_typographic() {
        assert_eq!(text_string(b"\x84\x8D\x8E\x93\xA0"), "—“”ﬁ€");
        assert_eq!(text_string(b"Stra\xDFe"), "Straße");
        assert_eq!(text_string(b"\x7F"), "\u{FFFD}");
    }

    #[test]
    fn names_are_utf8_else_pdf_doc_encoding() {
        assert_eq!(name("女性".as_bytes()), "女性");
        assert_eq!(name(b"Patient\x90s"), "Patient’s");
    }

    #[test]
    fn broken_utf16_does_not_fail() {
        assert_eq!(text_string(b"\xFE\xFF\xD8\x00\x00A\x00"), "\u{FFFD}A");
    }
}
