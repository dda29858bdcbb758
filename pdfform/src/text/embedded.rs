//! Text for CID fonts whose codes are glyph indices in disguise — the
//! Identity-H and Identity-V encodings — when the font has no ToUnicode map:
//! each CID goes to a glyph id through /CIDToGIDMap (/Identity, the default,
//! or a stream of big-endian 16-bit glyph ids indexed by CID), and each glyph
//! id to Unicode through the embedded font program (/FontFile2 TrueType, or
//! an OpenType /FontFile3), read with ttf-parser:
//!
//! 1. the program's Unicode cmap subtables, read backwards (the lowest code
//!    point of a glyph wins);
//! 2. where no Unicode subtable exists (subset fonts often keep only a
//!    symbol cmap or none), the glyph names of its `post` table, mapped to
//!    Unicode by the Adobe Glyph List as /Differences names are.
//!
//! When neither is possible — no embedded program, a bare CFF program
//! (/FontFile3 /CIDFontType0C, which is not an sfnt), a program that does not
//! parse, a glyph neither table covers — the code gives no text, as before.

use super::font::glyph_text;
use crate::document::Loaded;
use lopdf::{Dictionary, Object};
use std::collections::HashMap;

/// Fonts with more glyphs than this are not named glyph by glyph from
/// `post` (a CJK font has tens of thousands; subset fonts, which need the
/// names, have few).
const MAX_NAMED_GLYPHS: u16 = 8192;

/// What each CID of an Identity-encoded CIDFont stands for.
pub struct GlyphText {
    /// Glyph id by CID; `None` for the identity map.
    cid_to_gid: Option<Vec<u16>>,
    by_glyph: HashMap<u16, Box<str>>,
}

impl GlyphText {
    /// Reads `cid_font` (a descendant of a Type0 font); `None` when its
    /// embedded program gives no text for any glyph.
    pub fn load(pdf: &Loaded, cid_font: &Dictionary) -> Option<GlyphText> {
        let cid_to_gid = match pdf.get(cid_font, b"CIDToGIDMap") {
            Some(Object::Stream(stream)) => Some(
                pdf.stream_bytes(stream)?
                    .chunks_exact(2)
                    .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                    .collect(),
            ),
            _ => None,
        };
        let descriptor = pdf.get_dict(cid_font, b"FontDescriptor")?;
        let program = [&b"FontFile2"[..], b"FontFile3"]
            .into_iter()
            .find_map(|key| match pdf.get(descriptor, key) {
                Some(Object::Stream(stream)) => Some(stream),
                _ => None,
            })?;
        let data = pdf.stream_bytes(program)?;
        let face = ttf_parser::Face::parse(&data, 0).ok()?;
        let mut by_glyph: HashMap<u16, (u32, char)> = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(|code_point| {
                    let (Some(glyph), Some(c)) =
                        (subtable.glyph_index(code_point), char::from_u32(code_point))
                    else {
                        return;
                    };
                    let entry = by_glyph.entry(glyph.0).or_insert((code_point, c));
                    if code_point < entry.0 {
                        *entry = (code_point, c);
                    }
                });
            }
        }
        let mut by_glyph: HashMap<u16, Box<str>> = by_glyph
            .into_iter()
            .filter(|&(glyph, _)| glyph != 0)
            .map(|(glyph, (_, c))| (glyph, c.to_string().into_boxed_str()))
            .collect();
        if by_glyph.is_empty() && face.number_of_glyphs() <= MAX_NAMED_GLYPHS {
            for glyph in 1..face.number_of_glyphs() {
                let Some(name) = face.glyph_name(ttf_parser::GlyphId(glyph)) else {
                    continue;
                };
                let text = glyph_text(pdf, name);
                if !text.is_empty() {
                    by_glyph.insert(glyph, text.into_boxed_str());
                }
            }
        }
        (!by_glyph.is_empty()).then_some(GlyphText {
            cid_to_gid,
            by_glyph,
        })
    }

    /// The text of CID `cid`, if its glyph has any.
    pub fn get(&self, cid: u32) -> Option<&str> {
        let cid = u16::try_from(cid).ok()?;
        let glyph = match &self.cid_to_gid {
            Some(map) => *map.get(usize::from(cid))?,
            None => cid,
        };
        self.by_glyph.get(&glyph).map(|text| &**text)
    }
}
