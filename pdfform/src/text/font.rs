//! Fonts as the text interpreter needs them: how to split a shown string
//! into character codes, what text each code stands for, and how far each
//! code advances the pen.

use super::cmap::ToUnicode;
use super::embedded::GlyphText;
use crate::document::Loaded;
use crate::objects::Objects;
use lopdf::{Dictionary, Object};
use std::collections::HashMap;

/// Glyph width used when a font gives none (the standard 14 fonts carry no
/// /Widths): about the average Latin glyph, in thousandths of an em.
const DEFAULT_WIDTH: f64 = 500.0;

pub struct Font {
    /// Written top to bottom (a -V CMap): each glyph moves the pen down one
    /// em (the default vertical metrics, /DW2 [880 -1000]).
    pub vertical: bool,
    kind: Kind,
}

enum Kind {
    /// One byte per code: text and width looked up by the byte. The text
    /// table already merges ToUnicode over /Encoding and /Differences.
    Simple {
        text: Box<[Box<str>]>,
        widths: Box<[f64; 256]>,
    },
    /// Type0: codes of (usually) two bytes, widths by CID from /W.
    Composite {
        to_unicode: Option<ToUnicode>,
        /// With a UCS-2/UTF-16 CMap the codes *are* UTF-16BE.
        utf16_codes: bool,
        /// Identity-H/-V without ToUnicode: text from the embedded program.
        glyphs: Option<Box<GlyphText>>,
        widths: HashMap<u32, f64>,
        default_width: f64,
    },
}

/// What a shown string adds up to.
#[derive(Default)]
pub struct Shown {
    /// Sum of glyph widths, in thousandths of text space units.
    pub width: f64,
    /// Number of codes (character spacing applies to each).
    pub codes: usize,
    /// Number of single-byte code 32 (word spacing applies to each).
    pub spaces: usize,
}

impl Font {
    pub fn load(pdf: &Loaded, dict: &Dictionary) -> Font {
        let to_unicode = match pdf.get(dict, b"ToUnicode") {
            Some(Object::Stream(stream)) => {
                pdf.stream_bytes(stream).map(|data| ToUnicode::parse(&data))
            }
            _ => None,
        };
        let is_type0 = matches!(pdf.get(dict, b"Subtype"), Some(Object::Name(n)) if n == b"Type0");
        if is_type0 {
            let encoding = match pdf.get(dict, b"Encoding") {
                Some(Object::Name(name)) => name.as_slice(),
                _ => b"",
            };
            let utf16_codes = encoding.ends_with(b"UCS2-H")
                || encoding.ends_with(b"UTF16-H")
                || encoding.ends_with(b"UCS2-V")
                || encoding.ends_with(b"UTF16-V");
            // -V CMaps write vertically (9.7.4.3): glyphs advance downwards.
            let vertical = encoding.ends_with(b"-V");
            let descendant = pdf
                .get_array(dict, b"DescendantFonts")
                .and_then(|fonts| fonts.first())
                .and_then(|font| pdf.dict_entry(font))
                .map(|(_, font)| font);
            let (widths, default_width) = descendant.map_or((HashMap::new(), 1000.0), |font| {
                cid_widths(pdf.objects(), font)
            });
            let identity = encoding == b"Identity-H" || encoding == b"Identity-V";
            let glyphs = match descendant {
                Some(font) if identity && to_unicode.is_none() => {
                    GlyphText::load(pdf, font).map(Box::new)
                }
                _ => None,
            };
            return Font {
                vertical,
                kind: Kind::Composite {
                    to_unicode,
                    utf16_codes,
                    glyphs,
                    widths,
                    default_width,
                },
            };
        }
        // lopdf reads /Encoding with its base encoding and /Differences (or
        // the standard encoding when absent); we ask it once per byte and keep
        // the table, with ToUnicode's mapping winning where it has one.
        let is_dingbats = matches!(pdf.get(dict, b"BaseFont"), Some(Object::Name(n)) if n.ends_with(b"ZapfDingbats"));
        let encoded: Vec<String> = if is_dingbats && !dict.has(b"Encoding") {
            (0u8..=255).map(dingbat).collect()
        } else if let Some(builtin) = builtin_type1_encoding(pdf, dict) {
            builtin
        } else {
            match dict.get_font_encoding(&pdf.doc) {
                Ok(encoding) => (0u8..=255)
                    .map(|byte| encoding.bytes_to_string(&[byte]).unwrap_or_default())
                    .collect(),
                Err(_) => vec![String::new(); 256],
            }
        };
        let text = encoded
            .into_iter()
            .enumerate()
            .map(|(byte, text)| {
                to_unicode
                    .as_ref()
                    .and_then(|cmap| cmap.lookup(1, byte as u32))
                    .unwrap_or(text)
                    .into_boxed_str()
            })
            .collect();
        Font {
            vertical: false,
            kind: Kind::Simple {
                text,
                widths: simple_widths(pdf.objects(), dict),
            },
        }
    }

    /// Appends the text of `bytes` to `out` and sums what positions it.
    pub fn show(&self, bytes: &[u8], out: &mut String) -> Shown {
        let mut shown = Shown::default();
        match &self.kind {
            Kind::Simple { text, widths } => {
                for &byte in bytes {
                    out.push_str(&text[usize::from(byte)]);
                    shown.width += widths[usize::from(byte)];
                    shown.spaces += usize::from(byte == b' ');
                }
                shown.codes = bytes.len();
            }
            Kind::Composite {
                to_unicode,
                utf16_codes,
                glyphs,
                widths,
                default_width,
            } => {
                let mut i = 0;
                while i < bytes.len() {
                    let len = to_unicode
                        .as_ref()
                        .filter(|cmap| cmap.has_codespaces())
                        .and_then(|cmap| cmap.code_length(&bytes[i..]))
                        .unwrap_or(2)
                        .min(bytes.len() - i);
                    let code = bytes[i..i + len]
                        .iter()
                        .fold(0u32, |acc, &b| acc << 8 | u32::from(b));
                    let mapped = to_unicode
                        .as_ref()
                        .is_some_and(|cmap| cmap.write(len, code, out));
                    if !mapped && *utf16_codes {
                        out.extend(char::from_u32(code));
                    } else if !mapped && let Some(text) = glyphs.as_ref().and_then(|g| g.get(code))
                    {
                        out.push_str(text);
                    }
                    // Otherwise (an Identity font whose program gives no
                    // text for the glyph) nothing is added.
                    shown.width += widths.get(&code).copied().unwrap_or(*default_width);
                    shown.codes += 1;
                    i += len;
                }
            }
        }
        shown
    }
}

/// A simple font's /Widths by code (thousandths of an em), /MissingWidth
/// (else an average width) for codes it does not list.
pub(crate) fn simple_widths<'a>(pdf: Objects<'a>, dict: &'a Dictionary) -> Box<[f64; 256]> {
    let missing = pdf
        .get_dict(dict, b"FontDescriptor")
        .and_then(|descriptor| pdf.get(descriptor, b"MissingWidth"))
        .and_then(|w| w.as_float().ok())
        .map(f64::from)
        .filter(|w| *w > 0.0)
        .unwrap_or(DEFAULT_WIDTH);
    // Type 3 widths are in glyph space, mapped to text space by
    // /FontMatrix (usually 0.001, when they equal the usual thousandths).
    let glyph_to_thousandths = match pdf.get_array(dict, b"FontMatrix").and_then(|m| m.first()) {
        Some(scale) => scale.as_float().map_or(1.0, |a| f64::from(a) * 1000.0),
        None => 1.0,
    };
    let mut widths = Box::new([missing; 256]);
    let first = match pdf.get(dict, b"FirstChar") {
        Some(Object::Integer(first)) => *first,
        _ => 0,
    };
    for (index, width) in pdf
        .get_array(dict, b"Widths")
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let code = first + index as i64;
        if let (Ok(code), Some(width)) = (
            usize::try_from(code),
            pdf.resolve(width).and_then(|w| w.as_float().ok()),
        ) && code < 256
        {
            widths[code] = f64::from(width) * glyph_to_thousandths;
        }
    }
    widths
}

/// /W of a CIDFont: `c [w1 w2 ...]` or `c_first c_last w` entries.
pub(crate) fn cid_widths<'a>(pdf: Objects<'a>, font: &'a Dictionary) -> (HashMap<u32, f64>, f64) {
    let default_width = pdf
        .get(font, b"DW")
        .and_then(|w| w.as_float().ok())
        .map_or(1000.0, f64::from);
    let mut widths = HashMap::new();
    let entries = pdf.get_array(font, b"W").unwrap_or_default();
    let number = |object: &Object| {
        pdf.resolve(object)
            .and_then(|o| o.as_float().ok())
            .map(f64::from)
    };
    let mut i = 0;
    while i < entries.len() {
        let Some(first) = number(&entries[i]) else {
            break;
        };
        match entries.get(i + 1).and_then(|o| pdf.resolve(o)) {
            Some(Object::Array(list)) => {
                for (offset, width) in list.iter().enumerate() {
                    if let Some(width) = number(width) {
                        widths.insert(first as u32 + offset as u32, width);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) =
                    (last.as_float().ok(), entries.get(i + 2).and_then(number))
                else {
                    break;
                };
                // Bound the span so a forged range cannot fill memory.
                let last = (last as u32).min(first as u32 + 0xFFFF);
                for cid in first as u32..=last {
                    widths.insert(cid, width);
                }
                i += 3;
            }
            None => break,
        }
    }
    (widths, default_width)
}

/// ZapfDingbats' built-in encoding for the marks forms use (bullets,
/// boxes, check marks, crosses); other codes give no text, as the font's
/// pictures have no letters.
fn dingbat(code: u8) -> String {
    let mark = match code {
        b' ' => ' ',
        0x33 => '✓',
        0x34 => '✔',
        0x35 => '✕',
        0x36 => '✖',
        0x37 => '✗',
        0x38 => '✘',
        0x6C => '●',
        0x6D => '❍',
        0x6E => '■',
        0x6F => '❏',
        0x70 => '❐',
        0x71 => '❑',
        0x72 => '❒',
        0x73 => '▲',
        0x74 => '▼',
        0x75 => '◆',
        0x76 => '❖',
        0x77 => '◗',
        _ => return String::new(),
    };
    mark.to_string()
}

/// A symbolic Type 1 font without /Encoding uses the encoding built into
/// its font program (9.6.5): the cleartext part of /FontFile lists it as
/// `dup <code> /<glyph> put`. We turn those lines into /Differences on a
/// scratch font dictionary and let lopdf map the glyph names to Unicode.
fn builtin_type1_encoding(pdf: &Loaded, dict: &Dictionary) -> Option<Vec<String>> {
    if dict.has(b"Encoding") {
        return None;
    }
    let descriptor = pdf.get_dict(dict, b"FontDescriptor")?;
    let Some(Object::Stream(program)) = pdf.get(descriptor, b"FontFile") else {
        return None;
    };
    let data = pdf.stream_bytes(program)?;
    // The cleartext part ends where encryption starts, at `eexec`.
    let clear_end = data
        .windows(5)
        .position(|w| w == b"eexec")
        .unwrap_or(data.len());
    // Names need no space before them (`dup 99/H18533 put`): split there too.
    let clear = String::from_utf8_lossy(&data[..clear_end]).replace('/', " /");
    if clear.contains("/Encoding StandardEncoding") || clear.contains("/Encoding  StandardEncoding")
    {
        return None;
    }
    let mut table = vec![String::new(); 256];
    let mut found = false;
    let mut words = clear.split_whitespace();
    while let Some(word) = words.next() {
        if word != "dup" {
            continue;
        }
        let (Some(code), Some(name)) = (words.next(), words.next()) else {
            break;
        };
        if let (Ok(code), Some(name)) = (code.parse::<u8>(), name.strip_prefix('/')) {
            found = true;
            table[usize::from(code)] = glyph_text(pdf, name);
        }
    }
    found.then_some(table)
}

/// The Unicode text of a glyph name, by lopdf's glyph list. One name per
/// call: lopdf rejects a whole /Differences array for one unknown name,
/// and symbol fonts are full of names outside the Adobe Glyph List.
pub(super) fn glyph_text(pdf: &Loaded, name: &str) -> String {
    let differences = Object::Array(vec![
        Object::Integer(0),
        Object::Name(name.as_bytes().to_vec()),
    ]);
    let mut encoding = Dictionary::new();
    encoding.set("Differences", differences);
    let mut scratch = Dictionary::new();
    scratch.set("Type", Object::Name(b"Font".to_vec()));
    scratch.set("Encoding", Object::Dictionary(encoding));
    match scratch.get_font_encoding(&pdf.doc) {
        // Code 0 of the standard encoding is undefined, so any text at all
        // came from the name.
        Ok(decoder) => decoder.bytes_to_string(&[0]).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
