//! Positioned page text: a content-stream interpreter that tracks just what
//! places text (ISO 32000-2, 9.4): the CTM (q, Q, cm), the text and line
//! matrices (BT, Tm, Td, TD, T*), text state (Tf, Tc, Tw, Tz, TL, Ts) and
//! the show operators (Tj, TJ, ', "), descending into Form XObjects.
//! Graphics, colour and images are skipped.

pub(crate) mod cmap;
mod embedded;
pub(crate) mod font;
mod layout;

pub use layout::{TextBlock, TextLine};

use crate::document::{Loaded, PdfDocument};
use crate::error::{Error, Result};
use font::Font;
use layout::Run;
use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::rc::Rc;

/// Form XObjects nest at most this deep; real pages use two or three
/// levels, and the bound stops self-referencing forms.
const MAX_FORM_DEPTH: usize = 12;
/// Operations read per page, all streams and forms included: a bound on
/// work for hostile content (real pages run to tens of thousands).
const MAX_OPERATIONS: usize = 2_000_000;

/// The text of one page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageText {
    /// 1-based page number.
    pub page: u32,
    /// Lines top to bottom.
    pub lines: Vec<TextLine>,
}

impl PageText {
    /// The page as plain text: one line per line, blocks separated by tabs.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(&line.text());
            out.push('\n');
        }
        out
    }

    /// Every block of the page in reading order.
    pub fn blocks(&self) -> impl Iterator<Item = &TextBlock> {
        self.lines.iter().flat_map(|line| line.blocks.iter())
    }
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a` then `b`: the matrix product a × b in PDF's row-vector convention.
fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

#[derive(Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    horizontal_scale: f64,
    leading: f64,
    rise: f64,
}

/// Reads the text of pages, caching fonts across the pages of a document.
pub struct TextReader<'a> {
    document: &'a PdfDocument,
    fonts: HashMap<FontKey, Rc<Font>>,
}

#[derive(Hash, PartialEq, Eq)]
enum FontKey {
    Object(ObjectId),
    /// A font dictionary written inline, keyed by its address in the
    /// (immutable, document-owned) object tree.
    Inline(usize),
}

struct PageState {
    runs: Vec<Run>,
    operations: usize,
}

impl<'a> TextReader<'a> {
    pub fn new(pdf: &'a PdfDocument) -> Self {
        TextReader {
            document: pdf,
            fonts: HashMap::new(),
        }
    }

    /// The text of page `page` (1-based).
    pub fn page(&mut self, page: u32) -> Result<PageText> {
        // Text reads lopdf's full load: content streams, resources and fonts
        // are most of a document, and lopdf's page helpers work on it.
        let pdf: &'a Loaded = self.document.loaded()?;
        let &page_id = pdf.pages.get(&page).ok_or(Error::NoSuchPage {
            file: pdf.file.clone(),
            page,
            count: pdf.page_count(),
        })?;
        let content = pdf
            .doc
            .get_page_content_with_limit(page_id, pdf.stream_limit)
            .map_err(|error| Error::Damaged {
                file: pdf.file.clone(),
                reason: format!("page {page} content: {error}"),
            })?;
        let resources = page_resources(pdf, page_id);
        let mut state = PageState {
            runs: Vec::new(),
            operations: 0,
        };
        // Coordinates are those of the page as displayed: from the
        // bottom-left corner of the MediaBox (as pdfminer's do, so a region
        // means the same on a page whose box does not start at 0 0), turned
        // by the page's /Rotate (clockwise, in quarter turns) the way a
        // viewer shows it.
        let (x0, y0, x1, y1) = media_box(pdf, page_id);
        let to_page = multiply(
            &[1.0, 0.0, 0.0, 1.0, -x0, -y0],
            &rotation(page_rotation(pdf, page_id), x1 - x0, y1 - y0),
        );
        let graphics = GraphicsState {
            ctm: to_page,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        self.run_content(pdf, &content, &resources, graphics, 0, &mut state);
        Ok(PageText {
            page,
            lines: layout::lines(state.runs),
        })
    }

    fn font(
        &mut self,
        pdf: &'a Loaded,
        resources: &[&'a Dictionary],
        name: &[u8],
    ) -> Option<Rc<Font>> {
        let (key, dict) = resources.iter().find_map(|res| {
            let fonts = pdf.get_dict(res, b"Font")?;
            let entry = fonts.get(name).ok()?;
            let (id, dict) = pdf.dict_entry(entry)?;
            let key = match id {
                Some(id) => FontKey::Object(id),
                None => FontKey::Inline(std::ptr::from_ref(dict) as usize),
            };
            Some((key, dict))
        })?;
        let font = self
            .fonts
            .entry(key)
            .or_insert_with(|| Rc::new(Font::load(pdf, dict)));
        Some(Rc::clone(font))
    }

    fn run_content(
        &mut self,
        pdf: &'a Loaded,
        content: &[u8],
        resources: &[&'a Dictionary],
        mut gs: GraphicsState,
        depth: usize,
        page: &mut PageState,
    ) {
        let mut stack: Vec<GraphicsState> = Vec::new();
        let mut text_matrix = IDENTITY;
        let mut line_matrix = IDENTITY;
        for operation in Content::decode_iter(content) {
            // A syntax error ends the stream; what was read so far stands.
            let Ok(operation) = operation else { break };
            page.operations += 1;
            if page.operations > MAX_OPERATIONS {
                break;
            }
            let ops = &operation.operands;
            let number = |i: usize| {
                ops.get(i)
                    .and_then(|o| o.as_float().ok())
                    .map(f64::from)
                    .unwrap_or(0.0)
            };
            match operation.operator.as_str() {
                // Unbalanced q without Q in hostile content must not grow
                // the stack without bound; 256 exceeds any real nesting.
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                "cm" if ops.len() == 6 => {
                    let m = [
                        number(0),
                        number(1),
                        number(2),
                        number(3),
                        number(4),
                        number(5),
                    ];
                    gs.ctm = multiply(&m, &gs.ctm);
                }
                "BT" => {
                    text_matrix = IDENTITY;
                    line_matrix = IDENTITY;
                }
                "Tf" => {
                    gs.font = ops
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font(pdf, resources, name));
                    gs.font_size = number(1);
                }
                "Tc" => gs.char_spacing = number(0),
                "Tw" => gs.word_spacing = number(0),
                "Tz" => gs.horizontal_scale = number(0) / 100.0,
                "TL" => gs.leading = number(0),
                "Ts" => gs.rise = number(0),
                "Td" | "TD" => {
                    if operation.operator == "TD" {
                        gs.leading = -number(1);
                    }
                    line_matrix =
                        multiply(&[1.0, 0.0, 0.0, 1.0, number(0), number(1)], &line_matrix);
                    text_matrix = line_matrix;
                }
                "Tm" if ops.len() == 6 => {
                    line_matrix = [
                        number(0),
                        number(1),
                        number(2),
                        number(3),
                        number(4),
                        number(5),
                    ];
                    text_matrix = line_matrix;
                }
                "T*" => {
                    line_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &line_matrix);
                    text_matrix = line_matrix;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if operation.operator != "Tj" && operation.operator != "TJ" {
                        if operation.operator == "\"" {
                            gs.word_spacing = number(0);
                            gs.char_spacing = number(1);
                        }
                        line_matrix =
                            multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &line_matrix);
                        text_matrix = line_matrix;
                    }
                    for operand in ops {
                        match operand {
                            Object::String(bytes, _) => show(&gs, &mut text_matrix, bytes, page),
                            Object::Array(items) if operation.operator == "TJ" => {
                                for item in items {
                                    match item {
                                        Object::String(bytes, _) => {
                                            show(&gs, &mut text_matrix, bytes, page)
                                        }
                                        other => {
                                            if let Ok(adjust) = other.as_float() {
                                                let tx = -f64::from(adjust) / 1000.0
                                                    * gs.font_size
                                                    * gs.horizontal_scale;
                                                text_matrix = multiply(
                                                    &[1.0, 0.0, 0.0, 1.0, tx, 0.0],
                                                    &text_matrix,
                                                );
                                            }
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    let Some(name) = ops.first().and_then(|o| o.as_name().ok()) else {
                        continue;
                    };
                    let form = resources.iter().find_map(|res| {
                        let xobjects = pdf.get_dict(res, b"XObject")?;
                        match pdf.resolve(xobjects.get(name).ok()?)? {
                            Object::Stream(stream) => Some(stream),
                            _ => None,
                        }
                    });
                    let Some(form) = form else { continue };
                    if !matches!(form.dict.get(b"Subtype"), Ok(Object::Name(s)) if s == b"Form") {
                        continue;
                    }
                    let Some(data) = pdf.stream_bytes(form) else {
                        continue;
                    };
                    let mut inner = gs.clone();
                    if let Some(matrix) = pdf.get_array(&form.dict, b"Matrix") {
                        let m: Vec<f64> = matrix
                            .iter()
                            .filter_map(|n| n.as_float().ok())
                            .map(f64::from)
                            .collect();
                        if let Ok(m) = <[f64; 6]>::try_from(m.as_slice()) {
                            inner.ctm = multiply(&m, &inner.ctm);
                        }
                    }
                    // A form's own resources come first; a form without any
                    // uses its parent's (allowed in older files).
                    let mut form_resources: Vec<&Dictionary> =
                        pdf.get_dict(&form.dict, b"Resources").into_iter().collect();
                    form_resources.extend_from_slice(resources);
                    self.run_content(pdf, &data, &form_resources, inner, depth + 1, page);
                }
                _ => {}
            }
        }
    }
}

/// Emits one run for a shown string and advances the text matrix by it.
fn show(gs: &GraphicsState, text_matrix: &mut Matrix, bytes: &[u8], page: &mut PageState) {
    let Some(font) = &gs.font else { return };
    let start = multiply(
        &[
            gs.font_size * gs.horizontal_scale,
            0.0,
            0.0,
            gs.font_size,
            0.0,
            gs.rise,
        ],
        &multiply(text_matrix, &gs.ctm),
    );
    let mut text = String::with_capacity(bytes.len());
    let shown = font.show(bytes, &mut text);
    let (advance, angle_deg) = if font.vertical {
        // One em down per glyph (the default vertical metrics), and the
        // baseline runs along the text space's -y axis.
        let down = (shown.codes as f64 * gs.font_size
            - shown.codes as f64 * gs.char_spacing
            - shown.spaces as f64 * gs.word_spacing)
            .max(0.0);
        (
            [1.0, 0.0, 0.0, 1.0, 0.0, -down],
            direction_deg(-start[2], -start[3]),
        )
    } else {
        let advance = (shown.width / 1000.0 * gs.font_size
            + shown.codes as f64 * gs.char_spacing
            + shown.spaces as f64 * gs.word_spacing)
            * gs.horizontal_scale;
        (
            [1.0, 0.0, 0.0, 1.0, advance, 0.0],
            direction_deg(start[0], start[1]),
        )
    };
    *text_matrix = multiply(&advance, text_matrix);
    let end = multiply(text_matrix, &gs.ctm);
    // The em height in user space: the length of the text-space y axis.
    let size = (start[2] * start[2] + start[3] * start[3]).sqrt();
    page.runs.push(Run {
        x: start[4],
        y: start[5],
        end_x: end[4],
        end_y: end[5],
        size,
        angle_deg,
        text,
    });
}

/// The direction of a baseline whose text-space x axis is (`dx`, `dy`) on
/// the page, in whole degrees anticlockwise from the page's x axis, in
/// (-180, 180]: runs within half a degree of each other read as one
/// direction.
fn direction_deg(dx: f64, dy: f64) -> i32 {
    let degrees = dy.atan2(dx).to_degrees().round();
    if !degrees.is_finite() {
        return 0;
    }
    let degrees = degrees as i32;
    if degrees == -180 { 180 } else { degrees }
}

/// The page's resource dictionaries, nearest first (the page, then the
/// ancestors it inherits from).
fn page_resources(pdf: &Loaded, page_id: ObjectId) -> Vec<&Dictionary> {
    let Ok((direct, referenced)) = pdf.doc.get_page_resources(page_id) else {
        return Vec::new();
    };
    direct
        .into_iter()
        .chain(
            referenced
                .into_iter()
                .filter_map(|id| pdf.doc.get_dictionary(id).ok()),
        )
        .collect()
}

/// The page's MediaBox as (left, bottom, right, top), inherited through the
/// page tree; US Letter when there is none.
fn media_box(pdf: &Loaded, page_id: ObjectId) -> (f64, f64, f64, f64) {
    inherited(pdf, page_id, b"MediaBox")
        .and_then(|media_box| {
            let numbers: Vec<f64> = pdf
                .resolve(media_box)?
                .as_array()
                .ok()?
                .iter()
                .filter_map(|n| pdf.resolve(n)?.as_float().ok())
                .map(f64::from)
                .collect();
            match numbers[..] {
                [x0, y0, x1, y1] => Some((x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1))),
                _ => None,
            }
        })
        .unwrap_or((0.0, 0.0, 612.0, 792.0))
}

/// The page's /Rotate in degrees clockwise: 0, 90, 180 or 270 (a value
/// that is not a multiple of 90 is ignored, as viewers do).
fn page_rotation(pdf: &Loaded, page_id: ObjectId) -> i64 {
    match inherited(pdf, page_id, b"Rotate").and_then(|r| pdf.resolve(r)?.as_i64().ok()) {
        Some(degrees) if degrees % 90 == 0 => degrees.rem_euclid(360),
        _ => 0,
    }
}

/// From unrotated page space (origin at the box's corner, `width` by
/// `height`) to the space of the page turned clockwise by `degrees`, with
/// its origin at the bottom-left corner as displayed.
fn rotation(degrees: i64, width: f64, height: f64) -> Matrix {
    match degrees {
        90 => [0.0, -1.0, 1.0, 0.0, 0.0, width],
        180 => [-1.0, 0.0, 0.0, -1.0, width, height],
        270 => [0.0, 1.0, -1.0, 0.0, height, 0.0],
        _ => IDENTITY,
    }
}

/// An inheritable page attribute (7.7.3.4): the page's own, else the
/// nearest ancestor's.
fn inherited<'a>(pdf: &'a Loaded, page_id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = pdf.doc.get_dictionary(page_id).ok();
    // The page tree's depth is bounded by lopdf's own checks; the counter
    // guards a /Parent cycle all the same.
    for _ in 0..64 {
        let dict = node?;
        if let Ok(value) = dict.get(key) {
            return Some(value);
        }
        node = pdf.get_dict(dict, b"Parent");
    }
    None
}
