//! Normal appearance streams (/AP /N) for text and choice widgets, drawn
//! as Acrobat draws them: the /MK background and border (solid, dashed,
//! beveled, inset, underline), then inside `/Tx BMC … EMC` the value in the
//! /DA font and colour, clipped to the box: one line aligned by /Q, comb
//! cells, wrapped lines, or a list box's rows with the selection
//! highlighted. Size 0 in /DA fits the text to the box. /MK /R turns the
//! whole appearance by its /Matrix.

use super::fonts::{FillFont, number};
use super::table::Look;
use lopdf::{Dictionary, Object, Stream};
use std::fmt::Write as _;

/// Line spacing of wrapped text and list rows, in font sizes.
const LINE_FACTOR: f64 = 1.15;
/// A single line fitted to the box's height gets this fraction of it, as
/// pdf.js and Acrobat leave room above and below.
const AUTO_HEIGHT_FACTOR: f64 = 1.35;
/// The size automatic multiline text and list boxes start from (Acrobat's).
const AUTO_MULTILINE_SIZE: f64 = 12.0;
const MIN_AUTO_SIZE: f64 = 4.0;
/// Space between the border and the text.
const TEXT_PADDING: f64 = 2.0;
/// Acrobat's list box selection colour.
const SELECTION_RGB: &str = "0.6 0.757 0.855 rg";

/// What a widget shows.
pub(super) enum Content<'a> {
    Text {
        value: &'a str,
        multiline: bool,
        /// /MaxLen cells of a comb field.
        comb: Option<usize>,
        password: bool,
    },
    /// A list box: the items' texts, which are selected, the first shown.
    List {
        items: &'a [String],
        selected: &'a [usize],
        top: usize,
    },
}

/// The appearance stream and the characters the font could not show.
pub(super) struct Drawn {
    pub(super) stream: Stream,
    pub(super) missing: Vec<char>,
}

pub(super) fn draw(look: &Look, font: &FillFont, content: &Content<'_>) -> Drawn {
    // Under /MK /R 90 or 270 the box is laid out on its side.
    let (width, height) = if look.rotation.is_multiple_of(180) {
        (look.width, look.height)
    } else {
        (look.height, look.width)
    };
    let mut ops = String::new();
    frame(look, width, height, &mut ops);
    let inset = look.border_width
        * if matches!(look.border_style, b'B' | b'I') {
            2.0
        } else {
            1.0
        };
    let area = Area {
        width,
        height,
        inset,
    };
    ops.push_str("/Tx BMC\nq\n");
    let _ = writeln!(
        ops,
        "{} {} {} {} re W n",
        number(inset),
        number(inset),
        number((width - 2.0 * inset).max(0.0)),
        number((height - 2.0 * inset).max(0.0))
    );
    let mut painter = Painter {
        look,
        font,
        area,
        ops,
        missing: Vec::new(),
    };
    match content {
        Content::Text {
            value,
            multiline: true,
            password: false,
            ..
        } => painter.multiline(value),
        Content::Text {
            value,
            comb,
            password,
            ..
        } => {
            let shown: String = if *password {
                value.chars().map(|_| '*').collect()
            } else {
                value.replace("\r\n", " ").replace(['\r', '\n'], " ")
            };
            match comb {
                Some(cells) if *cells > 0 && !*password => painter.comb_line(&shown, *cells),
                _ => painter.single_line(&shown),
            }
        }
        Content::List {
            items,
            selected,
            top,
        } => painter.list(items, selected, *top),
    }
    let Painter {
        mut ops, missing, ..
    } = painter;
    ops.push_str("Q\nEMC\n");
    let mut fonts = Dictionary::new();
    fonts.set(font.resource.clone(), font.object.clone());
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![
            0.into(),
            0.into(),
            Object::Real(width as f32),
            Object::Real(height as f32),
        ]),
    );
    dict.set("Resources", Object::Dictionary(resources));
    if let Some(matrix) = rotation_matrix(look) {
        dict.set(
            "Matrix",
            Object::Array(matrix.iter().map(|&n| Object::Real(n as f32)).collect()),
        );
    }
    Drawn {
        stream: Stream::new(dict, ops.into_bytes()),
        missing,
    }
}

/// The layout box: its size as laid out and the border's width inside it.
struct Area {
    width: f64,
    height: f64,
    inset: f64,
}

/// Maps the box laid out on its side back onto /Rect (pdf.js's rotation
/// matrices): the appearance turns counter-clockwise by /MK /R.
fn rotation_matrix(look: &Look) -> Option<[f64; 6]> {
    let (w, h) = (look.width, look.height);
    match look.rotation {
        90 => Some([0.0, 1.0, -1.0, 0.0, w, 0.0]),
        180 => Some([-1.0, 0.0, 0.0, -1.0, w, h]),
        270 => Some([0.0, -1.0, 1.0, 0.0, 0.0, h]),
        _ => None,
    }
}

/// A colour operator for /MK's arrays of 1 (gray), 3 (RGB) or 4 (CMYK)
/// components; `None` for an empty (transparent) array.
fn colour(components: &[f64], stroke: bool) -> Option<String> {
    let operator = match (components.len(), stroke) {
        (1, false) => "g",
        (1, true) => "G",
        (3, false) => "rg",
        (3, true) => "RG",
        (4, false) => "k",
        (4, true) => "K",
        _ => return None,
    };
    let numbers: Vec<String> = components.iter().map(|&c| number(c)).collect();
    Some(format!("{} {operator}", numbers.join(" ")))
}

/// Background and border, outside the marked text content.
fn frame(look: &Look, width: f64, height: f64, ops: &mut String) {
    if let Some(fill) = colour(&look.background, false) {
        let _ = writeln!(ops, "{fill}\n0 0 {} {} re f", number(width), number(height));
    }
    let b = look.border_width;
    let Some(stroke) = colour(&look.border_color, true).filter(|_| b > 0.0) else {
        return;
    };
    if matches!(look.border_style, b'B' | b'I') {
        // The 3-D edge inside the border: light above and left, dark below
        // and right (beveled), or the other way round (inset).
        let (light, dark) = if look.border_style == b'B' {
            let darker: Vec<f64> = look.background.iter().map(|c| c * 0.5).collect();
            (
                "1 g".to_owned(),
                colour(&darker, false).unwrap_or_else(|| "0.5 g".into()),
            )
        } else {
            ("0.5 g".to_owned(), "0.75 g".to_owned())
        };
        let (w, h) = (width, height);
        // The left and top band between the border and the inner edge; the
        // right and bottom band is the same turned half round.
        let light_band = [
            (b, b),
            (b, h - b),
            (w - b, h - b),
            (w - 2.0 * b, h - 2.0 * b),
            (2.0 * b, h - 2.0 * b),
            (2.0 * b, 2.0 * b),
        ];
        polygon(ops, &light, &light_band);
        polygon(ops, &dark, &light_band.map(|(x, y)| (w - x, h - y)));
    }
    let _ = writeln!(ops, "{stroke}\n{} w", number(b));
    if look.border_style == b'D' {
        let dash: Vec<String> = look.dash.iter().map(|&d| number(d)).collect();
        let _ = writeln!(ops, "[{}] 0 d", dash.join(" "));
    }
    if look.border_style == b'U' {
        let _ = writeln!(
            ops,
            "0 {y} m {} {y} l S",
            number(width),
            y = number(b / 2.0)
        );
    } else {
        let _ = writeln!(
            ops,
            "{h} {h} {} {} re S",
            number(width - b),
            number(height - b),
            h = number(b / 2.0)
        );
    }
    if look.border_style == b'D' {
        ops.push_str("[] 0 d\n");
    }
}

/// A filled polygon in `colour`.
fn polygon(ops: &mut String, colour: &str, points: &[(f64, f64)]) {
    let _ = writeln!(ops, "{colour}");
    for (index, (x, y)) in points.iter().enumerate() {
        let operator = if index == 0 { "m" } else { "l" };
        let _ = write!(ops, "{} {} {operator} ", number(*x), number(*y));
    }
    ops.push_str("f\n");
}

/// A shown string: literal for one-byte codes, hex for two-byte codes.
fn string_token(font: &FillFont, text: &str, missing: &mut Vec<char>) -> (String, f64) {
    let encoded = font.encode(text, missing);
    let mut out = String::with_capacity(encoded.bytes.len() + 2);
    if encoded.wide {
        out.push('<');
        for byte in &encoded.bytes {
            let _ = write!(out, "{byte:02X}");
        }
        out.push('>');
    } else {
        out.push('(');
        for &byte in &encoded.bytes {
            match byte {
                b'(' | b')' | b'\\' => {
                    out.push('\\');
                    out.push(char::from(byte));
                }
                0x20..=0x7E => out.push(char::from(byte)),
                _ => {
                    let _ = write!(out, "\\{byte:03o}");
                }
            }
        }
        out.push(')');
    }
    (out, encoded.width)
}

/// What the painters of a widget's value share: its look and font, the
/// layout box, the content stream being written, and the characters the
/// font could not show.
struct Painter<'a> {
    look: &'a Look,
    font: &'a FillFont,
    area: Area,
    ops: String,
    missing: Vec<char>,
}

impl Painter<'_> {
    /// The x where a line of `line_width` starts under /Q.
    fn aligned_x(&self, line_width: f64) -> f64 {
        let padding = self.area.inset + TEXT_PADDING;
        match self.look.quadding {
            1 => (self.area.width - line_width) / 2.0,
            2 => self.area.width - padding - line_width,
            _ => padding,
        }
    }

    /// The baseline that centres one line of `size` in the box's height.
    fn centred_baseline(&self, size: f64) -> f64 {
        let font = self.font;
        (self.area.height - (font.ascent - font.descent) * size) / 2.0 - font.descent * size
    }

    fn begin_text(&mut self, size: f64) {
        let _ = writeln!(
            self.ops,
            "BT\n{}",
            self.look.appearance.operators(&self.font.resource, size)
        );
    }

    /// `text` as a shown string and its width at size 1.
    fn shown(&mut self, text: &str) -> (String, f64) {
        string_token(self.font, text, &mut self.missing)
    }

    /// A shown string placed with its origin at (x, y).
    fn show_at(&mut self, shown: &str, x: f64, y: f64) {
        let _ = writeln!(
            self.ops,
            "1 0 0 1 {} {} Tm {shown} Tj",
            number(x),
            number(y)
        );
    }

    fn single_line(&mut self, text: &str) {
        let (look, font, area) = (self.look, self.font, &self.area);
        let width = font.width(text);
        let mut size = look.appearance.size;
        if size == 0.0 {
            size = ((area.height - 2.0 * area.inset) / AUTO_HEIGHT_FACTOR).max(MIN_AUTO_SIZE);
            let room = area.width - 2.0 * (area.inset + TEXT_PADDING);
            if width * size > room && width > 0.0 {
                size = (room / width).max(MIN_AUTO_SIZE);
            }
            size = (size * 10.0).floor() / 10.0;
        }
        let (shown, width) = self.shown(text);
        self.begin_text(size);
        let x = self.aligned_x(width * size);
        let y = self.centred_baseline(size);
        let _ = writeln!(self.ops, "{} {} Td\n{shown} Tj\nET", number(x), number(y));
    }

    fn comb_line(&mut self, text: &str, cells: usize) {
        let (look, font) = (self.look, self.font);
        let cell = self.area.width / cells as f64;
        let chars: Vec<char> = text.chars().take(cells).collect();
        let mut size = look.appearance.size;
        if size == 0.0 {
            let widest = chars
                .iter()
                .map(|c| font.width(c.encode_utf8(&mut [0; 4])))
                .fold(0.0, f64::max);
            size = ((self.area.height - 2.0 * self.area.inset) / AUTO_HEIGHT_FACTOR)
                .max(MIN_AUTO_SIZE);
            if widest > 0.0 {
                size = size.min(cell * 0.9 / widest).max(MIN_AUTO_SIZE);
            }
            size = (size * 10.0).floor() / 10.0;
        }
        // Dividers between the cells, in the border's colour.
        if let Some(stroke) = colour(&look.border_color, true).filter(|_| look.border_width > 0.0) {
            let _ = writeln!(self.ops, "{stroke}\n{} w", number(look.border_width));
            for index in 1..cells {
                let x = number(cell * index as f64);
                let _ = writeln!(self.ops, "{x} 0 m {x} {} l S", number(self.area.height));
            }
        }
        // /Q places a short value's cells: from the left, centred, or right.
        let first = match look.quadding {
            1 => (cells - chars.len()) / 2,
            2 => cells - chars.len(),
            _ => 0,
        };
        self.begin_text(size);
        let y = self.centred_baseline(size);
        for (index, c) in chars.iter().enumerate() {
            let (shown, width) = self.shown(c.encode_utf8(&mut [0; 4]));
            let x = cell * (first + index) as f64 + (cell - width * size) / 2.0;
            self.show_at(&shown, x, y);
        }
        self.ops.push_str("ET\n");
    }

    fn multiline(&mut self, text: &str) {
        let (look, font, area) = (self.look, self.font, &self.area);
        let room = area.width - 2.0 * (area.inset + TEXT_PADDING);
        let height = area.height - 2.0 * (area.inset + TEXT_PADDING);
        let top = area.height - area.inset - TEXT_PADDING;
        let mut size = look.appearance.size;
        let mut lines;
        if size == 0.0 {
            size = AUTO_MULTILINE_SIZE;
            loop {
                lines = wrap(font, text, size, room);
                if lines.len() as f64 * size * LINE_FACTOR <= height || size <= MIN_AUTO_SIZE {
                    break;
                }
                size -= 0.5;
            }
        } else {
            lines = wrap(font, text, size, room);
        }
        self.begin_text(size);
        for (index, line) in lines.iter().enumerate() {
            let (shown, width) = self.shown(line);
            let x = self.aligned_x(width * size);
            let y = top - font.ascent * size - index as f64 * size * LINE_FACTOR;
            self.show_at(&shown, x, y);
        }
        self.ops.push_str("ET\n");
    }

    /// A list box's rows from `top` (scrolled to the first selected), the
    /// `selected` ones highlighted.
    fn list(&mut self, items: &[String], selected: &[usize], top: usize) {
        let (look, font) = (self.look, self.font);
        let (width, height, inset) = (self.area.width, self.area.height, self.area.inset);
        let size = match look.appearance.size {
            0.0 => AUTO_MULTILINE_SIZE,
            size => size,
        };
        let row = size * LINE_FACTOR;
        let visible = (((height - 2.0 * inset) / row).floor() as usize).max(1);
        // Scroll so that the first selected item shows.
        let top = match selected.iter().min() {
            Some(&first) if first < top || first >= top + visible => first,
            _ => top.min(items.len().saturating_sub(1)),
        };
        let row_top = |index: usize| height - inset - (index - top) as f64 * row;
        for &index in selected {
            if (top..top + visible).contains(&index) {
                let _ = writeln!(
                    self.ops,
                    "{SELECTION_RGB}\n{} {} {} {} re f",
                    number(inset),
                    number(row_top(index) - row),
                    number(width - 2.0 * inset),
                    number(row)
                );
            }
        }
        self.begin_text(size);
        for (index, item) in items.iter().enumerate().skip(top).take(visible) {
            let (shown, _) = self.shown(item);
            let baseline = row_top(index) - row + (row - (font.ascent - font.descent) * size) / 2.0
                - font.descent * size;
            let x = inset + TEXT_PADDING;
            self.show_at(&shown, x, baseline);
        }
        self.ops.push_str("ET\n");
    }
}

/// Lines of `text` no wider than `room` at `size`: hard breaks kept,
/// words wrapped, a word longer than a line broken between characters.
fn wrap(font: &FillFont, text: &str, size: f64, room: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    for paragraph in normalised.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_inclusive(' ') {
            let candidate = format!("{line}{word}");
            if font.width(candidate.trim_end()) * size <= room || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                line = word.to_owned();
            }
            // A word wider than the line on its own is broken up.
            while font.width(line.trim_end()) * size > room && line.chars().count() > 1 {
                let mut head = String::new();
                for c in line.chars() {
                    let next = format!("{head}{c}");
                    if font.width(&next) * size > room && !head.is_empty() {
                        break;
                    }
                    head = next;
                }
                let rest = line[head.len()..].to_owned();
                lines.push(head);
                line = rest;
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}
