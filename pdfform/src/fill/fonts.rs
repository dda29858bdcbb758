//! Fonts for generated appearances: the field's /DA (font, size, colour),
//! the font it names in the form's /DR, how text is encoded in that font
//! and how wide it is.

use super::standard_fonts::STANDARD_FONTS;
use crate::objects::Objects;
use crate::text::cmap::ToUnicode;
use crate::text::font::{cid_widths, simple_widths};
use lopdf::{Dictionary, Document, Object};
use std::collections::HashMap;

/// One of the 14 standard fonts' metrics (generated in `standard_fonts.rs`).
pub(super) struct StandardMetrics {
    pub(super) name: &'static str,
    pub(super) ascent: i16,
    pub(super) descent: i16,
    /// Widths are keyed by the code of the font's built-in encoding
    /// (Symbol, ZapfDingbats) rather than by Unicode scalar value.
    pub(super) by_code: bool,
    /// (key, width in thousandths of an em), sorted by key.
    pub(super) widths: &'static [(u32, u16)],
}

impl StandardMetrics {
    /// The standard font a /BaseFont stands for, by the names producers use
    /// for them and for their metric twins (Arial for Helvetica, Times New
    /// Roman for Times, Courier New for Courier).
    fn for_base_font(base_font: &[u8]) -> Option<&'static StandardMetrics> {
        let name = String::from_utf8_lossy(base_font);
        // A subset font's name starts with six capitals and "+".
        let name = match name.split_once('+') {
            Some((tag, rest)) if tag.len() == 6 => rest,
            _ => &name,
        };
        if let Some(exact) = STANDARD_FONTS.iter().find(|font| font.name == name) {
            return Some(exact);
        }
        let lower = name.to_ascii_lowercase();
        let family = if lower.contains("courier") {
            "Courier"
        } else if lower.contains("times") {
            "Times"
        } else if lower.contains("symbol") {
            return STANDARD_FONTS.iter().find(|f| f.name == "Symbol");
        } else if lower.contains("dingbat") {
            return STANDARD_FONTS.iter().find(|f| f.name == "ZapfDingbats");
        } else if lower.contains("arial") || lower.contains("helv") {
            "Helvetica"
        } else {
            return None;
        };
        let bold = lower.contains("bold");
        let slanted = lower.contains("italic") || lower.contains("oblique");
        let wanted = match (family, bold, slanted) {
            ("Times", false, false) => "Times-Roman".to_owned(),
            ("Times", true, false) => "Times-Bold".to_owned(),
            ("Times", false, true) => "Times-Italic".to_owned(),
            ("Times", true, true) => "Times-BoldItalic".to_owned(),
            (family, false, false) => family.to_owned(),
            (family, true, false) => format!("{family}-Bold"),
            (family, false, true) => format!("{family}-Oblique"),
            (family, true, true) => format!("{family}-BoldOblique"),
        };
        STANDARD_FONTS.iter().find(|font| font.name == wanted)
    }

    fn width(&self, key: u32) -> Option<f64> {
        self.widths
            .binary_search_by_key(&key, |&(k, _)| k)
            .ok()
            .map(|index| f64::from(self.widths[index].1))
    }
}

/// A field's default appearance string (/DA) taken apart: the font
/// resource and size of its `Tf`, and every other operator (the colour,
/// usually) as written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DefaultAppearance {
    pub(super) font: Vec<u8>,
    /// 0 asks for the size that fits the field.
    pub(super) size: f64,
    others: Vec<String>,
}

impl DefaultAppearance {
    /// Reads a /DA string; one without `Tf` gets Helvetica's usual resource
    /// name and automatic size.
    pub(super) fn parse(da: &[u8]) -> DefaultAppearance {
        let text = String::from_utf8_lossy(da);
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let mut appearance = DefaultAppearance {
            font: b"Helv".to_vec(),
            size: 0.0,
            others: Vec::new(),
        };
        let mut operands: Vec<&str> = Vec::new();
        for token in tokens {
            let is_operator =
                token.starts_with(|c: char| c.is_ascii_alphabetic() || c == '\'') || token == "\"";
            if !is_operator {
                operands.push(token);
                continue;
            }
            if token == "Tf" && operands.len() >= 2 {
                let size = operands[operands.len() - 1];
                let font = operands[operands.len() - 2];
                if let Some(name) = font.strip_prefix('/') {
                    appearance.font = unescape_name(name);
                    appearance.size = size.parse::<f64>().unwrap_or(0.0).abs();
                }
            } else {
                operands.push(token);
                appearance.others.push(operands.join(" "));
            }
            operands.clear();
        }
        appearance
    }

    /// The operators that set the text state: the colour and other
    /// operators as written, then the font at `size`.
    pub(super) fn operators(&self, resource: &[u8], size: f64) -> String {
        let mut out = String::new();
        for other in &self.others {
            out.push_str(other);
            out.push(' ');
        }
        out.push_str(&format!("{} {} Tf", name_token(resource), number(size)));
        out
    }
}

/// A name as written in a content stream: `/` and the bytes, with
/// delimiters and bytes outside printable ASCII as `#XX`.
pub(super) fn name_token(name: &[u8]) -> String {
    let mut out = String::from("/");
    for &byte in name {
        if byte.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("#{byte:02X}"));
        }
    }
    out
}

fn unescape_name(name: &str) -> Vec<u8> {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(hex), 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// A number for a content stream: at most three decimals, no exponent,
/// no trailing zeros.
pub(super) fn number(value: f64) -> String {
    let value = if value.is_finite() { value } else { 0.0 };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_owned(),
        text => text.to_owned(),
    }
}

/// How a font turns characters into codes, and how wide the codes are.
enum Glyphs {
    /// One byte per code.
    Simple {
        codes: HashMap<char, u8>,
        widths: Box<[f64; 256]>,
    },
    /// Two bytes per code (Type0), widths by CID (the code, for the
    /// Identity encodings).
    Composite {
        codes: HashMap<char, u32>,
        widths: HashMap<u32, f64>,
        default_width: f64,
    },
}

/// A font as a generated appearance uses it.
pub(super) struct FillFont {
    /// Its name in the appearance's /Resources /Font.
    pub(super) resource: Vec<u8>,
    /// What /Resources /Font maps the name to: the /DR entry (a reference,
    /// usually) or a built-in Helvetica dictionary.
    pub(super) object: Object,
    glyphs: Glyphs,
    /// Ascent and descent in text space units at size 1.
    pub(super) ascent: f64,
    pub(super) descent: f64,
}

/// Text in a font's codes, with its width at size 1.
pub(super) struct Encoded {
    pub(super) bytes: Vec<u8>,
    pub(super) width: f64,
    /// Two-byte codes: written as a hex string.
    pub(super) wide: bool,
}

impl FillFont {
    /// A standard font with WinAnsiEncoding, which every viewer has, for
    /// fields whose /DA names a font the form does not define: the one
    /// Acrobat's resource name stands for (/Cour, /TiBo, …), else Helvetica.
    pub(super) fn standard(resource: &[u8]) -> FillFont {
        let base_font = match resource {
            b"Cour" => "Courier",
            b"CoBo" => "Courier-Bold",
            b"CoOb" => "Courier-Oblique",
            b"CoBO" => "Courier-BoldOblique",
            b"TiRo" => "Times-Roman",
            b"TiBo" => "Times-Bold",
            b"TiIt" => "Times-Italic",
            b"TiBI" => "Times-BoldItalic",
            b"HeBo" => "Helvetica-Bold",
            b"HeOb" => "Helvetica-Oblique",
            b"HeBO" => "Helvetica-BoldOblique",
            _ => "Helvetica",
        };
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Font".to_vec()));
        dict.set("Subtype", Object::Name(b"Type1".to_vec()));
        dict.set("BaseFont", Object::Name(base_font.as_bytes().to_vec()));
        dict.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        let chars = encoding_chars(&dict, false);
        let metrics = StandardMetrics::for_base_font(base_font.as_bytes());
        FillFont {
            resource: resource.to_vec(),
            glyphs: Glyphs::Simple {
                codes: invert(&chars),
                widths: standard_widths(metrics, &chars),
            },
            ascent: metrics.map_or(0.718, |m| f64::from(m.ascent) / 1000.0),
            descent: metrics.map_or(-0.207, |m| f64::from(m.descent) / 1000.0),
            object: Object::Dictionary(dict),
        }
    }

    /// The font `entry` of the form's /DR /Font under `resource`.
    pub(super) fn load(pdf: Objects<'_>, resource: &[u8], entry: &Object) -> Option<FillFont> {
        let dict = match pdf.resolve(entry)? {
            Object::Dictionary(dict) => dict,
            _ => return None,
        };
        let base_font = match pdf.get(dict, b"BaseFont") {
            Some(Object::Name(name)) => name.as_slice(),
            _ => b"",
        };
        let metrics = StandardMetrics::for_base_font(base_font);
        let is_type0 = matches!(pdf.get(dict, b"Subtype"), Some(Object::Name(n)) if n == b"Type0");
        let (glyphs, descriptor_font) = if is_type0 {
            let descendant = pdf
                .get_array(dict, b"DescendantFonts")
                .and_then(|fonts| fonts.first())
                .and_then(|font| pdf.dict_entry(font))
                .map(|(_, font)| font)?;
            let (widths, default_width) = cid_widths(pdf, descendant);
            let codes = composite_codes(pdf, dict, descendant);
            let glyphs = Glyphs::Composite {
                codes,
                widths,
                default_width,
            };
            (glyphs, descendant)
        } else {
            let chars = one_byte_chars(pdf, dict);
            let widths = if dict.has(b"Widths") {
                simple_widths(pdf, dict)
            } else {
                standard_widths(metrics, &chars)
            };
            let glyphs = Glyphs::Simple {
                codes: invert(&chars),
                widths,
            };
            (glyphs, dict)
        };
        let descriptor = pdf.get_dict(descriptor_font, b"FontDescriptor");
        let metric = |key: &[u8]| {
            descriptor
                .and_then(|d| pdf.get(d, key))
                .and_then(|value| value.as_float().ok())
                .map(f64::from)
                .filter(|value| *value != 0.0)
        };
        let ascent = metric(b"Ascent")
            .or(metrics.map(|m| f64::from(m.ascent)).filter(|a| *a != 0.0))
            .unwrap_or(800.0);
        let descent = metric(b"Descent")
            .or(metrics.map(|m| f64::from(m.descent)).filter(|d| *d != 0.0))
            .unwrap_or(-200.0);
        Some(FillFont {
            resource: resource.to_vec(),
            object: entry.clone(),
            glyphs,
            ascent: ascent.abs() / 1000.0,
            descent: -descent.abs() / 1000.0,
        })
    }

    /// `text` in the font's codes; characters it has no code for are left
    /// out and pushed to `missing`.
    pub(super) fn encode(&self, text: &str, missing: &mut Vec<char>) -> Encoded {
        let mut bytes = Vec::with_capacity(text.len() * 2);
        let mut width = 0.0;
        match &self.glyphs {
            Glyphs::Simple { codes, widths } => {
                for c in text.chars() {
                    match codes.get(&c) {
                        Some(&code) => {
                            bytes.push(code);
                            width += widths[usize::from(code)];
                        }
                        None => missing.push(c),
                    }
                }
            }
            Glyphs::Composite {
                codes,
                widths,
                default_width,
            } => {
                for c in text.chars() {
                    match codes.get(&c) {
                        Some(&code) => {
                            bytes.extend_from_slice(&(code as u16).to_be_bytes());
                            width += widths.get(&code).copied().unwrap_or(*default_width);
                        }
                        None => missing.push(c),
                    }
                }
            }
        }
        Encoded {
            bytes,
            width: width / 1000.0,
            wide: matches!(self.glyphs, Glyphs::Composite { .. }),
        }
    }

    /// The width of `text` at size 1 (characters without a code count 0).
    pub(super) fn width(&self, text: &str) -> f64 {
        self.encode(text, &mut Vec::new()).width
    }
}

/// The character each one-byte code of a simple font stands for:
/// ToUnicode where it maps the code, else the /Encoding (a base encoding
/// and /Differences), else the standard encoding.
fn one_byte_chars(pdf: Objects<'_>, dict: &Dictionary) -> [Option<char>; 256] {
    // lopdf knows the base encodings and the glyph list; it is handed a
    // font dictionary with /Encoding resolved inline, so it needs no document.
    let mut scratch = Dictionary::new();
    scratch.set("Type", Object::Name(b"Font".to_vec()));
    let base_font = pdf.get(dict, b"BaseFont");
    let builtin = matches!(base_font, Some(Object::Name(n)) if n.ends_with(b"Symbol") || n.ends_with(b"Dingbats"));
    match pdf.get(dict, b"Encoding") {
        Some(Object::Name(name)) => scratch.set("Encoding", Object::Name(name.clone())),
        Some(Object::Dictionary(encoding)) => {
            let mut inline = Dictionary::new();
            if let Some(base @ Object::Name(_)) = pdf.get(encoding, b"BaseEncoding") {
                inline.set("BaseEncoding", base.clone());
            }
            if let Some(differences) = pdf.get_array(encoding, b"Differences") {
                let resolved = differences
                    .iter()
                    .filter_map(|item| pdf.resolve(item).cloned())
                    .collect();
                inline.set("Differences", Object::Array(resolved));
            }
            scratch.set("Encoding", Object::Dictionary(inline));
        }
        _ => {}
    }
    let mut chars = encoding_chars(&scratch, builtin);
    if let Some(Object::Stream(stream)) = pdf.get(dict, b"ToUnicode")
        && let Some(data) = pdf.stream_bytes(stream)
    {
        for (c, len, code) in ToUnicode::parse(&data).single_chars() {
            if len == 1 && code < 256 {
                chars[code as usize] = Some(c);
            }
        }
    }
    chars
}

/// The characters of a font dictionary's /Encoding, which must be inline
/// (a name, or a dictionary without references). `builtin`: a Symbol or
/// ZapfDingbats font without /Encoding, whose codes stand for no letters
/// (their widths are keyed by code).
fn encoding_chars(font: &Dictionary, builtin: bool) -> [Option<char>; 256] {
    let mut chars = [None; 256];
    if builtin && !font.has(b"Encoding") {
        for (code, slot) in chars.iter_mut().enumerate().skip(32) {
            *slot = char::from_u32(code as u32);
        }
    } else if let Ok(encoding) = font.get_font_encoding(&Document::new()) {
        for (code, slot) in chars.iter_mut().enumerate() {
            let text = encoding.bytes_to_string(&[code as u8]).unwrap_or_default();
            *slot = single_char(&text);
        }
    }
    chars
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Characters to codes; where two codes give one character the printable
/// one (from 32 up) and then the lower wins.
fn invert(chars: &[Option<char>; 256]) -> HashMap<char, u8> {
    let mut codes = HashMap::with_capacity(256);
    for code in (32..=255u8).chain(0..32) {
        if let Some(c) = chars[usize::from(code)] {
            codes.entry(c).or_insert(code);
        }
    }
    codes
}

/// Widths by code from a standard font's metrics, for simple fonts that
/// give no /Widths (the standard 14 need none).
fn standard_widths(
    metrics: Option<&StandardMetrics>,
    chars: &[Option<char>; 256],
) -> Box<[f64; 256]> {
    let mut widths = Box::new([500.0; 256]);
    let Some(metrics) = metrics else {
        return widths;
    };
    for (code, width) in widths.iter_mut().enumerate() {
        let key = if metrics.by_code {
            Some(code as u32)
        } else {
            chars[code].map(u32::from)
        };
        if let Some(w) = key.and_then(|key| metrics.width(key)) {
            *width = w;
        }
    }
    widths
}

/// Characters to two-byte codes of a Type0 font: its ToUnicode map read
/// backwards; for a UCS-2/UTF-16 CMap the code is the character itself;
/// for Identity-H without ToUnicode the embedded program's Unicode cmap
/// (the code is the glyph id under the identity /CIDToGIDMap).
fn composite_codes(
    pdf: Objects<'_>,
    font: &Dictionary,
    descendant: &Dictionary,
) -> HashMap<char, u32> {
    let mut codes = HashMap::new();
    if let Some(Object::Stream(stream)) = pdf.get(font, b"ToUnicode")
        && let Some(data) = pdf.stream_bytes(stream)
    {
        for (c, len, code) in ToUnicode::parse(&data).single_chars() {
            if len == 2 {
                codes
                    .entry(c)
                    .and_modify(|known: &mut u32| *known = (*known).min(code))
                    .or_insert(code);
            }
        }
        return codes;
    }
    let encoding = match pdf.get(font, b"Encoding") {
        Some(Object::Name(name)) => name.as_slice(),
        _ => b"",
    };
    if encoding.ends_with(b"UCS2-H") || encoding.ends_with(b"UTF16-H") {
        for code in 0x20u32..0xD800 {
            if let Some(c) = char::from_u32(code) {
                codes.insert(c, code);
            }
        }
        return codes;
    }
    let identity_map = !matches!(pdf.get(descendant, b"CIDToGIDMap"), Some(Object::Stream(_)));
    if encoding == b"Identity-H" && identity_map {
        let program = pdf.get_dict(descendant, b"FontDescriptor").and_then(|d| {
            [&b"FontFile2"[..], b"FontFile3"]
                .into_iter()
                .find_map(|key| match pdf.get(d, key) {
                    Some(Object::Stream(stream)) => pdf.stream_bytes(stream),
                    _ => None,
                })
        });
        if let Some(data) = program
            && let Ok(face) = ttf_parser::Face::parse(&data, 0)
            && let Some(cmap) = face.tables().cmap
        {
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|code_point| {
                    if let (Some(c), Some(glyph)) =
                        (char::from_u32(code_point), subtable.glyph_index(code_point))
                    {
                        codes.entry(c).or_insert(u32::from(glyph.0));
                    }
                });
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn da_keeps_colour_and_reads_font_and_size() {
        let da = DefaultAppearance::parse(b"0 0 1 rg /Helv#20B 0 Tf");
        assert_eq!(da.font, b"Helv B");
        assert_eq!(da.size, 0.0);
        assert_eq!(da.operators(b"Helv B", 9.5), "0 0 1 rg /Helv#20B 9.5 Tf");
        let da = DefaultAppearance::parse(b"/TiRo 12 Tf 0 g");
        assert_eq!((da.font.as_slice(), da.size), (&b"TiRo"[..], 12.0));
        assert_eq!(da.operators(b"TiRo", 12.0), "0 g /TiRo 12 Tf");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(0.3333333), "0.333");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(f64::NAN), "0");
    }

    #[test]
    fn helvetica_encodes_win_ansi_and_measures_afm_widths() {
        let font = FillFont::standard(b"Helv");
        let mut missing = Vec::new();
        let encoded = font.encode("Zürich €", &mut missing);
        assert_eq!(encoded.bytes, b"Z\xFCrich \x80");
        assert!(missing.is_empty());
        // Z 611 + ü 556 + r 333 + i 222 + c 500 + h 556 + space 278 + € 556
        assert!((encoded.width - 3.612).abs() < 1e-9, "{}", encoded.width);
        font.encode("日本", &mut missing);
        assert_eq!(missing, ['日', '本']);
    }

    #[test]
    fn base_fonts_find_their_standard_twin() {
        let name = |base: &[u8]| StandardMetrics::for_base_font(base).map(|m| m.name);
        assert_eq!(name(b"ABCDEF+ArialMT"), Some("Helvetica"));
        assert_eq!(name(b"Arial,BoldItalic"), Some("Helvetica-BoldOblique"));
        assert_eq!(name(b"TimesNewRomanPS-BoldMT"), Some("Times-Bold"));
        assert_eq!(name(b"CourierNewPSMT"), Some("Courier"));
        assert_eq!(name(b"MinionPro"), None);
    }
}
