//! What filling needs of a form, read once: for every field the object
//! that holds its value and its widgets' objects, the inherited attributes
//! that shape an appearance (/Ff, /MaxLen, /DA, /Q, /Opt, /TI), each
//! widget's box (/Rect, /MK, /BS), and the /DR fonts those /DA strings name.
//! Everything is owned, so one table serves any number of fills, on any
//! thread.

use super::fonts::{DefaultAppearance, FillFont};
use crate::fields::{FieldLocation, MAX_FIELD_DEPTH};
use crate::model::Form;
use crate::objects::Objects;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::HashMap;

// Field flag bits (/Ff), ISO 32000-2 tables 226, 229, 231.
pub(super) const FF_MULTILINE: i64 = 1 << 12;
pub(super) const FF_PASSWORD: i64 = 1 << 13;
pub(super) const FF_EDIT: i64 = 1 << 18;
pub(super) const FF_MULTI_SELECT: i64 = 1 << 21;
pub(super) const FF_COMB: i64 = 1 << 24;

/// The form as filling sees it.
pub(super) struct FieldTable {
    /// Parallel to the form's fields.
    pub(super) fields: Vec<FieldEntry>,
    /// The original dictionary of every field and widget object, by id:
    /// what a change starts from.
    pub(super) originals: HashMap<ObjectId, Dictionary>,
    pub(super) fonts: Vec<FillFont>,
    pub(super) acroform: Option<AcroFormEntry>,
    /// The indices of the form's fields by full name (a name may stand
    /// for several fields): what each fill's data is looked up in.
    pub(super) by_name: HashMap<String, Vec<usize>>,
}

/// Where the AcroForm dictionary lives: its own object, or inside the
/// catalog (then a change rewrites the catalog).
pub(super) struct AcroFormEntry {
    /// The AcroForm's own object, or the catalog's.
    pub(super) holder: ObjectId,
    /// The catalog, when the AcroForm is written inside it.
    pub(super) catalog: Option<Dictionary>,
    pub(super) dict: Dictionary,
}

pub(super) struct FieldEntry {
    /// The object whose /V is the field's value; `None` when the field is
    /// a direct object, which cannot be changed on its own.
    pub(super) id: Option<ObjectId>,
    pub(super) flags: i64,
    pub(super) max_len: Option<usize>,
    /// The /Opt items as (export value, text shown), for choice fields.
    pub(super) options: Vec<(String, String)>,
    /// /TI, the first item a list box shows.
    pub(super) top_index: usize,
    pub(super) widgets: Vec<WidgetEntry>,
}

pub(super) struct WidgetEntry {
    pub(super) id: Option<ObjectId>,
    pub(super) look: Look,
    /// The states of its normal appearance (/AP /N), "Off" included, when
    /// it has several (a button's).
    pub(super) states: Vec<Vec<u8>>,
    /// It has a normal appearance at all.
    pub(super) has_appearance: bool,
}

/// How a widget's appearance is drawn.
#[derive(Debug, Clone)]
pub(super) struct Look {
    /// Width and height of /Rect.
    pub(super) width: f64,
    pub(super) height: f64,
    /// /MK /R: 0, 90, 180 or 270 degrees counter-clockwise.
    pub(super) rotation: u16,
    pub(super) background: Vec<f64>,
    pub(super) border_color: Vec<f64>,
    pub(super) border_width: f64,
    /// /BS /S: b'S' solid, b'D' dashed, b'B' beveled, b'I' inset, b'U' underline.
    pub(super) border_style: u8,
    pub(super) dash: Vec<f64>,
    /// /Q: 0 left, 1 centred, 2 right.
    pub(super) quadding: i64,
    pub(super) appearance: DefaultAppearance,
    /// Index into [`FieldTable::fonts`].
    pub(super) font: usize,
}

impl FieldTable {
    pub(super) fn read(pdf: Objects<'_>, form: &Form, locations: &[FieldLocation]) -> FieldTable {
        let catalog_id = pdf.catalog_id();
        let acroform = catalog_id.and_then(|catalog_id| {
            let catalog = pdf.catalog()?;
            match catalog.get(b"AcroForm").ok()? {
                Object::Reference(id) => Some(AcroFormEntry {
                    holder: *id,
                    catalog: None,
                    dict: pdf.dictionary(*id)?.clone(),
                }),
                Object::Dictionary(dict) => Some(AcroFormEntry {
                    holder: catalog_id,
                    catalog: Some(catalog.clone()),
                    dict: dict.clone(),
                }),
                _ => None,
            }
        });
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, field) in form.fields.iter().enumerate() {
            by_name.entry(field.name.clone()).or_default().push(index);
        }
        let mut table = FieldTable {
            fields: Vec::with_capacity(form.fields.len()),
            originals: HashMap::new(),
            fonts: Vec::new(),
            acroform,
            by_name,
        };
        let mut font_index: HashMap<Vec<u8>, usize> = HashMap::new();
        for (field, location) in form.fields.iter().zip(locations) {
            let field_dict = location.field.and_then(|id| pdf.dictionary(id));
            if let (Some(id), Some(dict)) = (location.field, field_dict) {
                table.originals.insert(id, dict.clone());
            }
            let attribute = |key: &[u8]| field_dict.and_then(|d| inherited(pdf, d, key));
            let flags = match attribute(b"Ff") {
                Some(Object::Integer(flags)) => *flags,
                _ => 0,
            };
            let max_len = match attribute(b"MaxLen") {
                Some(Object::Integer(n)) if *n >= 0 => Some(*n as usize),
                _ => None,
            };
            let top_index = match attribute(b"TI") {
                Some(Object::Integer(n)) if *n >= 0 => *n as usize,
                _ => 0,
            };
            let options = field
                .options
                .iter()
                .map(|o| (o.export.clone(), o.display.clone()))
                .collect();
            let mut widgets = Vec::with_capacity(location.widgets.len());
            for &widget_id in &location.widgets {
                let Some(dict) = widget_id.and_then(|id| pdf.dictionary(id)) else {
                    widgets.push(WidgetEntry {
                        id: None,
                        look: table.look(pdf, None, &mut font_index),
                        states: Vec::new(),
                        has_appearance: false,
                    });
                    continue;
                };
                if let Some(id) = widget_id {
                    table.originals.insert(id, dict.clone());
                }
                let normal = pdf.get_dict(dict, b"AP").and_then(|ap| pdf.get(ap, b"N"));
                let states = match normal {
                    Some(Object::Dictionary(states)) => {
                        states.iter().map(|(key, _)| key.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                widgets.push(WidgetEntry {
                    id: widget_id,
                    look: table.look(pdf, Some(dict), &mut font_index),
                    states,
                    has_appearance: normal.is_some(),
                });
            }
            table.fields.push(FieldEntry {
                id: location.field,
                flags,
                max_len,
                options,
                top_index,
                widgets,
            });
        }
        table
    }

    /// A widget's look: its own and inherited attributes, the form's
    /// defaults, else a plain box with black Helvetica.
    fn look(
        &mut self,
        pdf: Objects<'_>,
        widget: Option<&Dictionary>,
        font_index: &mut HashMap<Vec<u8>, usize>,
    ) -> Look {
        let form_default = |key: &[u8]| self.acroform.as_ref().and_then(|a| pdf.get(&a.dict, key));
        let attribute = |key: &[u8]| {
            widget
                .and_then(|w| inherited(pdf, w, key))
                .or_else(|| form_default(key))
        };
        let da = match attribute(b"DA") {
            Some(Object::String(bytes, _)) => bytes.clone(),
            _ => Vec::new(),
        };
        let appearance = DefaultAppearance::parse(&da);
        let quadding = match attribute(b"Q") {
            Some(Object::Integer(q)) if (0..=2).contains(q) => *q,
            _ => 0,
        };
        let numbers = |array: Option<&[Object]>| -> Vec<f64> {
            array
                .unwrap_or_default()
                .iter()
                .filter_map(|n| pdf.resolve(n)?.as_float().ok().map(f64::from))
                .collect()
        };
        let rect = numbers(widget.and_then(|w| pdf.get_array(w, b"Rect")));
        let (width, height) = match rect.as_slice() {
            [x0, y0, x1, y1] => ((x1 - x0).abs(), (y1 - y0).abs()),
            _ => (0.0, 0.0),
        };
        let mk = widget.and_then(|w| pdf.get_dict(w, b"MK"));
        let bs = widget.and_then(|w| pdf.get_dict(w, b"BS"));
        let rotation = match mk.and_then(|mk| pdf.get(mk, b"R")) {
            Some(Object::Integer(r)) => r.rem_euclid(360) as u16 / 90 * 90,
            _ => 0,
        };
        let border_color = numbers(mk.and_then(|mk| pdf.get_array(mk, b"BC")));
        let border_width = match bs.and_then(|bs| pdf.get(bs, b"W")) {
            Some(w) => w.as_float().map_or(1.0, f64::from).max(0.0),
            // /Border [h v width] is the older form of /BS /W.
            None => match widget.and_then(|w| pdf.get_array(w, b"Border")) {
                Some(border) => numbers(Some(border))
                    .get(2)
                    .copied()
                    .unwrap_or(1.0)
                    .max(0.0),
                None => 1.0,
            },
        };
        let border_style = match bs.and_then(|bs| pdf.get(bs, b"S")) {
            Some(Object::Name(style)) => style.first().copied().unwrap_or(b'S'),
            _ => b'S',
        };
        let dash = numbers(bs.and_then(|bs| pdf.get_array(bs, b"D")));
        let font = self.font(pdf, &appearance.font, font_index);
        Look {
            width,
            height,
            rotation,
            background: numbers(mk.and_then(|mk| pdf.get_array(mk, b"BG"))),
            border_width: if border_color.is_empty() {
                0.0
            } else {
                border_width
            },
            border_color,
            border_style,
            dash: if dash.is_empty() { vec![3.0] } else { dash },
            quadding,
            appearance,
            font,
        }
    }

    /// The index of the font named `resource` in the form's /DR, loaded
    /// once; a standard font when /DR has no such font.
    fn font(
        &mut self,
        pdf: Objects<'_>,
        resource: &[u8],
        font_index: &mut HashMap<Vec<u8>, usize>,
    ) -> usize {
        if let Some(&index) = font_index.get(resource) {
            return index;
        }
        let entry = self
            .acroform
            .as_ref()
            .and_then(|a| pdf.get_dict(&a.dict, b"DR"))
            .and_then(|dr| pdf.get_dict(dr, b"Font"))
            .and_then(|fonts| fonts.get(resource).ok());
        let font = entry
            .and_then(|entry| FillFont::load(pdf, resource, entry))
            .unwrap_or_else(|| FillFont::standard(resource));
        self.fonts.push(font);
        font_index.insert(resource.to_vec(), self.fonts.len() - 1);
        self.fonts.len() - 1
    }
}

/// `key` of `dict` or of the nearest ancestor (/Parent) that has it.
pub(super) fn inherited<'a>(
    pdf: Objects<'a>,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = dict;
    for _ in 0..=MAX_FIELD_DEPTH {
        if let Some(value) = pdf.get(node, key) {
            return Some(value);
        }
        node = pdf.get_dict(node, b"Parent")?;
    }
    None
}
