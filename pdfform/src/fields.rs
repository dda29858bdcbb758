//! The AcroForm field tree (ISO 32000-2, 12.7.4): fully qualified names,
//! inheritable attributes, widgets merged with their fields, fields only
//! reachable from page /Annots, cycle and depth guards.

use crate::decode;
use crate::error::{Error, Result};
use crate::model::{ChoiceOption, Field, FieldKind, FieldValue, Form, FormSource, Widget};
use crate::objects::Objects;
use crate::xfa;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::{HashMap, HashSet};

/// Deeper than any real form (XFA-converted forms reach about ten levels)
/// and far below what would exhaust memory or patience.
pub const MAX_FIELD_DEPTH: usize = 100;

// Field flag bits (/Ff), ISO 32000-2 tables 226, 229, 231.
const FF_READ_ONLY: i64 = 1 << 0;
const FF_REQUIRED: i64 = 1 << 1;
const FF_RADIO: i64 = 1 << 15;
const FF_PUSHBUTTON: i64 = 1 << 16;
const FF_COMBO: i64 = 1 << 17;

/// A dictionary in the field tree with its object id (when it was reached
/// through a reference).
type Node<'a> = (Option<ObjectId>, &'a Dictionary);

/// Attributes a field takes from its ancestors when it lacks its own.
#[derive(Clone, Default)]
struct Inherited<'a> {
    name: String,
    field_type: Option<&'a [u8]>,
    flags: Option<i64>,
    value: Option<&'a Object>,
    options: Option<&'a [Object]>,
}

struct Walker<'a> {
    pdf: Objects<'a>,
    /// Field and widget objects already read, so a cycle or a kid shared
    /// by two parents is read once.
    visited: HashSet<ObjectId>,
    /// Page number of every annotation listed in some page's /Annots.
    annotation_pages: HashMap<ObjectId, u32>,
    /// The same annotations in page and /Annots order.
    annotation_order: Vec<ObjectId>,
    page_numbers: HashMap<ObjectId, u32>,
    fields: Vec<Field>,
    /// Where each of `fields` lives, in the same order.
    locations: Vec<FieldLocation>,
    warnings: Vec<String>,
}

/// The objects behind one field: the dictionary that holds its value and
/// its widget annotations, `None` where one is a direct object (which
/// cannot be changed on its own).
#[derive(Debug, Clone)]
pub(crate) struct FieldLocation {
    pub(crate) field: Option<ObjectId>,
    pub(crate) widgets: Vec<Option<ObjectId>>,
}

/// Reads every field of the document.
pub fn read_form(pdf: Objects<'_>) -> Result<Form> {
    read_form_located(pdf).map(|(form, _)| form)
}

/// Every field of the document and the objects each one lives in (none
/// for an XFA-only form).
pub(crate) fn read_form_located(pdf: Objects<'_>) -> Result<(Form, Vec<FieldLocation>)> {
    let acroform = pdf.get_dict(
        pdf.catalog().ok_or_else(|| missing_catalog(pdf))?,
        b"AcroForm",
    );
    let mut walker = Walker::new(pdf);
    if let Some(roots) = acroform.and_then(|form| pdf.get_array(form, b"Fields")) {
        for root in roots {
            if let Some(entry) = pdf.dict_entry(root) {
                walker.walk(entry, Inherited::default())?;
            }
        }
    }
    walker.add_fields_only_in_annotations()?;
    let has_xfa = acroform.is_some_and(|form| form.has(b"XFA"));
    if walker.fields.is_empty() && has_xfa {
        let fields = xfa::dataset_fields(pdf, acroform.and_then(|form| pdf.get(form, b"XFA")))?;
        let form = Form {
            file: pdf.file.display().to_string(),
            source: FormSource::Xfa,
            fields,
            warnings: walker.warnings,
        };
        return Ok((form, Vec::new()));
    }
    let form = Form {
        file: pdf.file.display().to_string(),
        source: FormSource::AcroForm,
        fields: walker.fields,
        warnings: walker.warnings,
    };
    Ok((form, walker.locations))
}

fn missing_catalog(pdf: Objects<'_>) -> Error {
    Error::Damaged {
        file: pdf.file.to_path_buf(),
        reason: "no document catalog".into(),
    }
}

impl<'a> Walker<'a> {
    fn new(pdf: Objects<'a>) -> Self {
        let mut annotation_pages = HashMap::new();
        let mut annotation_order = Vec::new();
        let mut page_numbers = HashMap::new();
        for (&number, &page_id) in pdf.pages {
            page_numbers.insert(page_id, number);
            let Some(page) = pdf.dictionary(page_id) else {
                continue;
            };
            for annotation in pdf.get_array(page, b"Annots").unwrap_or_default() {
                if let Object::Reference(id) = annotation
                    && annotation_pages.insert(*id, number).is_none()
                {
                    annotation_order.push(*id);
                }
            }
        }
        Walker {
            pdf,
            visited: HashSet::new(),
            annotation_pages,
            annotation_order,
            page_numbers,
            fields: Vec::new(),
            locations: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Depth-first walk with an explicit stack, so a deep tree costs heap,
    /// not call stack.
    fn walk(&mut self, root: Node<'a>, inherited: Inherited<'a>) -> Result<()> {
        let mut stack = vec![(root, inherited, 1usize)];
        while let Some(((id, dict), parent, depth)) = stack.pop() {
            if let Some(id) = id
                && !self.visited.insert(id)
            {
                self.warnings.push(format!(
                    "field tree: object {} {} is reached twice (a cycle or a shared kid); read once",
                    id.0, id.1
                ));
                continue;
            }
            let own = self.inherit(dict, parent);
            if depth > MAX_FIELD_DEPTH {
                return Err(Error::FieldTreeTooDeep {
                    file: self.pdf.file.to_path_buf(),
                    field: own.name,
                    limit: MAX_FIELD_DEPTH,
                });
            }
            let kids = self.pdf.get_array(dict, b"Kids").unwrap_or_default();
            let (child_fields, widgets): (Vec<&Object>, Vec<&Object>) =
                kids.iter().partition(|kid| self.is_field_node(kid));
            if child_fields.is_empty() {
                let widget_dicts = if kids.is_empty() {
                    vec![(id, dict)]
                } else {
                    self.widget_dicts(&widgets)
                };
                self.emit(&own, id, &widget_dicts);
            } else {
                if !widgets.is_empty() {
                    self.warnings.push(format!(
                        "field \"{}\" has both child fields and widgets; its widgets are ignored",
                        own.name
                    ));
                }
                for kid in child_fields.into_iter().rev() {
                    if let Some(entry) = self.pdf.dict_entry(kid) {
                        stack.push((entry, own.clone(), depth + 1));
                    }
                }
            }
        }
        Ok(())
    }

    /// A kid is a field (not just a widget of its parent) when it has a
    /// partial name or kids of its own (12.7.4.1: widgets carry neither).
    fn is_field_node(&self, kid: &Object) -> bool {
        self.pdf
            .dict_entry(kid)
            .is_some_and(|(_, dict)| dict.has(b"T") || dict.has(b"Kids"))
    }

    fn widget_dicts(&mut self, widgets: &[&'a Object]) -> Vec<Node<'a>> {
        let mut dicts = Vec::with_capacity(widgets.len());
        for widget in widgets {
            if let Some((id, dict)) = self.pdf.dict_entry(widget) {
                if let Some(id) = id
                    && !self.visited.insert(id)
                {
                    continue;
                }
                dicts.push((id, dict));
            }
        }
        dicts
    }

    fn inherit(&self, dict: &'a Dictionary, parent: Inherited<'a>) -> Inherited<'a> {
        let pdf = self.pdf;
        let name = match pdf.get(dict, b"T").and_then(decode::object_text) {
            Some(partial) if parent.name.is_empty() => partial,
            Some(partial) => format!("{}.{}", parent.name, partial),
            None => parent.name,
        };
        Inherited {
            name,
            field_type: match pdf.get(dict, b"FT") {
                Some(Object::Name(field_type)) => Some(field_type.as_slice()),
                _ => parent.field_type,
            },
            flags: match pdf.get(dict, b"Ff") {
                Some(Object::Integer(flags)) => Some(*flags),
                _ => parent.flags,
            },
            value: pdf.get(dict, b"V").or(parent.value),
            options: pdf.get_array(dict, b"Opt").or(parent.options),
        }
    }

    fn emit(
        &mut self,
        field: &Inherited<'a>,
        field_id: Option<ObjectId>,
        widget_dicts: &[Node<'a>],
    ) {
        let flags = field.flags.unwrap_or(0);
        let kind = match field.field_type {
            Some(b"Tx") => FieldKind::Text,
            Some(b"Btn") if flags & FF_PUSHBUTTON != 0 => FieldKind::Pushbutton,
            Some(b"Btn") if flags & FF_RADIO != 0 => FieldKind::Radio,
            Some(b"Btn") => FieldKind::Checkbox,
            Some(b"Ch") if flags & FF_COMBO != 0 => FieldKind::Combo,
            Some(b"Ch") => FieldKind::List,
            Some(b"Sig") => FieldKind::Signature,
            other => {
                let what = other.map_or("no field type (/FT)".to_owned(), |t| {
                    format!("unknown field type /{}", decode::name(t))
                });
                self.warnings
                    .push(format!("field \"{}\" has {what}; left out", field.name));
                return;
            }
        };
        let widgets: Vec<Widget> = widget_dicts.iter().map(|&w| self.widget(w)).collect();
        let states = if matches!(kind, FieldKind::Checkbox | FieldKind::Radio) {
            self.on_states(widget_dicts)
        } else {
            Vec::new()
        };
        self.fields.push(Field {
            name: field.name.clone(),
            kind,
            value: self.value(kind, field.value),
            options: field
                .options
                .map(|opt| self.options(opt))
                .unwrap_or_default(),
            states,
            page: widgets.first().and_then(|w| w.page),
            rect: widgets.first().and_then(|w| w.rect),
            read_only: flags & FF_READ_ONLY != 0,
            required: flags & FF_REQUIRED != 0,
            widgets,
        });
        self.locations.push(FieldLocation {
            field: field_id,
            widgets: widget_dicts.iter().map(|&(id, _)| id).collect(),
        });
    }

    fn value(&self, kind: FieldKind, value: Option<&'a Object>) -> FieldValue {
        let text = |object: &Object| match object {
            // The spec allows a text stream for long text values.
            Object::Stream(stream) => self
                .pdf
                .stream_bytes(stream)
                .map(|bytes| decode::text_string(&bytes)),
            other => decode::object_text(other),
        };
        let non_empty = |text: Option<String>| match text {
            Some(text) if !text.is_empty() => FieldValue::Text(text),
            _ => FieldValue::Null,
        };
        match kind {
            FieldKind::Text => non_empty(value.and_then(text)),
            // `/V /`, the empty name, names no appearance state: no button
            // of the field is on, as when /V is absent.
            FieldKind::Checkbox | FieldKind::Radio => match value.and_then(text) {
                Some(state) if !state.is_empty() => FieldValue::Text(state),
                _ => FieldValue::Text("Off".into()),
            },
            FieldKind::Pushbutton => FieldValue::Text("Off".into()),
            FieldKind::Combo | FieldKind::List => match value {
                Some(Object::Array(items)) => {
                    let mut items: Vec<String> = items
                        .iter()
                        .filter_map(|item| self.pdf.resolve(item).and_then(text))
                        .collect();
                    match items.len() {
                        0 => FieldValue::Null,
                        1 => non_empty(items.pop()),
                        _ => FieldValue::List(items),
                    }
                }
                other => non_empty(other.and_then(text)),
            },
            FieldKind::Signature => match value {
                Some(Object::Null) | None => FieldValue::Null,
                Some(_) => FieldValue::Text("signed".into()),
            },
        }
    }

    fn options(&self, opt: &[Object]) -> Vec<ChoiceOption> {
        let text = |object: &Object| self.pdf.resolve(object).and_then(decode::object_text);
        opt.iter()
            .filter_map(|entry| match self.pdf.resolve(entry)? {
                Object::Array(pair) => {
                    let export = pair.first().and_then(text)?;
                    let display = pair.get(1).and_then(text).unwrap_or_else(|| export.clone());
                    Some(ChoiceOption { export, display })
                }
                other => decode::object_text(other).map(|export| ChoiceOption {
                    display: export.clone(),
                    export,
                }),
            })
            .collect()
    }

    /// Names of the widgets' normal appearances other than "Off": the values
    /// a checkbox or radio button can take.
    fn on_states(&self, widgets: &[Node<'a>]) -> Vec<String> {
        let mut states: Vec<String> = Vec::new();
        for (_, widget) in widgets {
            let normal = self
                .pdf
                .get_dict(widget, b"AP")
                .and_then(|appearance| self.pdf.get_dict(appearance, b"N"));
            for (key, _) in normal.map(|n| n.iter()).into_iter().flatten() {
                let state = decode::name(key);
                if state != "Off" && !states.contains(&state) {
                    states.push(state);
                }
            }
        }
        states
    }

    fn widget(&self, (id, widget): Node<'a>) -> Widget {
        // The page whose /Annots lists the widget is authoritative; /P is
        // optional and sometimes stale after pages are copied.
        let page = id
            .and_then(|id| self.annotation_pages.get(&id).copied())
            .or_else(|| match widget.get(b"P") {
                Ok(Object::Reference(page)) => self.page_numbers.get(page).copied(),
                _ => None,
            });
        let rect = self.pdf.get_array(widget, b"Rect").and_then(|rect| {
            let numbers: Vec<f64> = rect
                .iter()
                .filter_map(|n| self.pdf.resolve(n)?.as_float().ok())
                .map(f64::from)
                .collect();
            let [x0, y0, x1, y1] = numbers.as_slice().try_into().ok()?;
            Some([x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)])
        });
        Widget { page, rect }
    }

    /// Widgets listed in page /Annots whose field the /Fields tree does not
    /// reach: walk up /Parent to the top-most ancestor and read that tree.
    fn add_fields_only_in_annotations(&mut self) -> Result<()> {
        for id in self.annotation_order.clone() {
            if self.visited.contains(&id) {
                continue;
            }
            let Some(dict) = self.pdf.dictionary(id) else {
                continue;
            };
            if !matches!(dict.get(b"Subtype"), Ok(Object::Name(subtype)) if subtype == b"Widget") {
                continue;
            }
            let mut top = id;
            let mut chain = HashSet::from([id]);
            while let Some(Object::Reference(parent)) =
                self.pdf.dictionary(top).and_then(|d| d.get(b"Parent").ok())
            {
                if !chain.insert(*parent) || chain.len() > MAX_FIELD_DEPTH {
                    break;
                }
                top = *parent;
            }
            if self.visited.contains(&top) {
                continue;
            }
            let has_name = chain
                .iter()
                .any(|node| self.pdf.dictionary(*node).is_some_and(|d| d.has(b"T")));
            if has_name && let Some(root) = self.pdf.dictionary(top) {
                self.walk((Some(top), root), Inherited::default())?;
            }
        }
        Ok(())
    }
}
