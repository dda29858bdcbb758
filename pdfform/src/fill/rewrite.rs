//! A whole new file: lopdf's full load with the changes applied, objects
//! nothing refers to any more dropped, streams compressed, object and
//! cross-reference streams where the file is not encrypted, and the
//! original encryption put back. Flattening happens here too: every
//! widget's appearance drawn into its page as a Form XObject, then the
//! widgets and the AcroForm removed, as pdftk's `flatten` does.

use super::fonts::{name_token, number};
use crate::document::Loaded;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};

// Annotation flags (/F), ISO 32000-2 table 167.
const ANNOT_HIDDEN: i64 = 1 << 1;
const ANNOT_NO_VIEW: i64 = 1 << 5;

pub(super) fn write(
    loaded: &Loaded,
    objects: &BTreeMap<ObjectId, Object>,
    flatten: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut doc = loaded.doc.clone();
    for (&id, object) in objects {
        doc.objects.insert(id, object.clone());
        doc.max_id = doc.max_id.max(id.0);
    }
    if flatten {
        flatten_form(&mut doc, &loaded.pages);
    }
    // A new file has one cross-reference section: the update's entries
    // (/Prev, /XRefStm, a stream's own keys) do not belong in its trailer.
    let mut trailer = Dictionary::new();
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(value) = doc.trailer.get(key) {
            trailer.set(key, value.clone());
        }
    }
    doc.trailer = trailer;
    let encryption = doc.encryption_state.take();
    doc.prune_objects();
    doc.compress();
    if let Some(state) = encryption {
        doc.encrypt(&state).map_err(io::Error::other)?;
    }
    doc.save_modern(&mut { out })
}

/// Draws every visible widget's normal appearance into its page and
/// removes the widgets and the form.
fn flatten_form(doc: &mut Document, pages: &BTreeMap<u32, ObjectId>) {
    let dr = acroform(doc).and_then(|form| form.get(b"DR").ok().cloned());
    for &page_id in pages.values() {
        flatten_page(doc, page_id, dr.as_ref());
    }
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.remove(b"AcroForm");
    }
}

fn acroform(doc: &Document) -> Option<&Dictionary> {
    let catalog = doc.catalog().ok()?;
    let (_, form) = doc.dereference(catalog.get(b"AcroForm").ok()?).ok()?;
    form.as_dict().ok()
}

fn flatten_page(doc: &mut Document, page_id: ObjectId, dr: Option<&Object>) {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return;
    };
    let annots: Vec<Object> = match page.get(b"Annots").map(|a| doc.dereference(a)) {
        Ok(Ok((_, Object::Array(annots)))) => annots.clone(),
        _ => return,
    };
    let mut kept = Vec::new();
    let mut drawing = String::new();
    let mut xobjects: Vec<(Vec<u8>, ObjectId)> = Vec::new();
    for annot in annots {
        let widget = match doc.dereference(&annot) {
            Ok((_, Object::Dictionary(dict))) if is_widget(dict) => dict.clone(),
            _ => {
                kept.push(annot);
                continue;
            }
        };
        let flags = widget.get(b"F").and_then(Object::as_i64).unwrap_or(0);
        if flags & (ANNOT_HIDDEN | ANNOT_NO_VIEW) != 0 {
            continue;
        }
        let Some(appearance) = normal_appearance(doc, &widget) else {
            continue;
        };
        let Some(placement) = placement(doc, &widget, appearance) else {
            continue;
        };
        give_resources(doc, appearance, dr);
        let name = format!("FlatW{}", xobjects.len() + 1).into_bytes();
        drawing.push_str(&format!(
            "q {} cm {} Do Q\n",
            placement.map(number).join(" "),
            name_token(&name)
        ));
        xobjects.push((name, appearance));
    }
    let page_resources = resolved_resources(doc, page_id);
    let Ok(page) = doc.get_object_mut(page_id).and_then(Object::as_dict_mut) else {
        return;
    };
    if kept.is_empty() {
        page.remove(b"Annots");
    } else {
        page.set("Annots", Object::Array(kept));
    }
    if xobjects.is_empty() {
        return;
    }
    let mut resources = page_resources;
    let mut xobject_dict = match resources.get(b"XObject") {
        Ok(Object::Dictionary(dict)) => dict.clone(),
        _ => Dictionary::new(),
    };
    for (name, id) in xobjects {
        xobject_dict.set(name, Object::Reference(id));
    }
    resources.set("XObject", Object::Dictionary(xobject_dict));
    let old_contents = match page.get(b"Contents") {
        Ok(Object::Array(items)) => items.clone(),
        Ok(contents @ Object::Reference(_)) => vec![contents.clone()],
        _ => Vec::new(),
    };
    page.set("Resources", Object::Dictionary(resources));
    // The page's own content is wrapped in q … Q so whatever graphics state
    // it leaves does not move the drawn fields.
    let before = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let after = doc.add_object(Stream::new(
        Dictionary::new(),
        format!("Q\n{drawing}").into_bytes(),
    ));
    let mut contents = vec![Object::Reference(before)];
    contents.extend(old_contents);
    contents.push(Object::Reference(after));
    if let Ok(page) = doc.get_object_mut(page_id).and_then(Object::as_dict_mut) {
        page.set("Contents", Object::Array(contents));
    }
}

fn is_widget(dict: &Dictionary) -> bool {
    matches!(dict.get(b"Subtype"), Ok(Object::Name(subtype)) if subtype == b"Widget")
}

/// The id of the stream a widget shows: /AP /N, or its /AS state.
fn normal_appearance(doc: &Document, widget: &Dictionary) -> Option<ObjectId> {
    let ap = doc
        .dereference(widget.get(b"AP").ok()?)
        .ok()?
        .1
        .as_dict()
        .ok()?;
    let normal = ap.get(b"N").ok()?;
    match doc.dereference(normal).ok()? {
        (Some(id), Object::Stream(_)) => Some(id),
        (_, Object::Dictionary(states)) => {
            let state = widget.get(b"AS").and_then(Object::as_name).ok()?;
            match states.get(state).ok()? {
                Object::Reference(id) => {
                    matches!(doc.get_object(*id), Ok(Object::Stream(_))).then_some(*id)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The matrix that puts the appearance's /BBox, as its /Matrix turns it,
/// onto the widget's /Rect (ISO 32000-2, 12.5.5).
fn placement(doc: &Document, widget: &Dictionary, appearance: ObjectId) -> Option<[f64; 6]> {
    let numbers = |object: &Object| -> Option<Vec<f64>> {
        let items = doc.dereference(object).ok()?.1.as_array().ok()?;
        items
            .iter()
            .map(|n| doc.dereference(n).ok()?.1.as_float().ok().map(f64::from))
            .collect()
    };
    let rect = numbers(widget.get(b"Rect").ok()?)?;
    let stream = doc.get_object(appearance).ok()?.as_stream().ok()?;
    let bbox = numbers(stream.dict.get(b"BBox").ok()?)?;
    let matrix = match stream.dict.get(b"Matrix") {
        Ok(matrix) => numbers(matrix)?,
        Err(_) => vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    let [rx0, ry0, rx1, ry1] = <[f64; 4]>::try_from(rect).ok()?;
    let [bx0, by0, bx1, by1] = <[f64; 4]>::try_from(bbox).ok()?;
    let [a, b, c, d, e, f] = <[f64; 6]>::try_from(matrix).ok()?;
    let corners = [(bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1)]
        .map(|(x, y)| (a * x + c * y + e, b * x + d * y + f));
    let (min_x, max_x) = corners.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.0), hi.max(p.0))
    });
    let (min_y, max_y) = corners.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.1), hi.max(p.1))
    });
    let (width, height) = (max_x - min_x, max_y - min_y);
    if width <= 0.0 || height <= 0.0 {
        return None;
    }
    let sx = (rx1 - rx0).abs() / width;
    let sy = (ry1 - ry0).abs() / height;
    Some([
        sx,
        0.0,
        0.0,
        sy,
        rx0.min(rx1) - min_x * sx,
        ry0.min(ry1) - min_y * sy,
    ])
}

/// An appearance without /Resources relied on the form's /DR for its
/// fonts; drawn into a page it would look in the page's instead.
fn give_resources(doc: &mut Document, appearance: ObjectId, dr: Option<&Object>) {
    let Some(dr) = dr else {
        return;
    };
    if let Ok(Object::Stream(stream)) = doc.get_object_mut(appearance)
        && !stream.dict.has(b"Resources")
    {
        stream.dict.set("Resources", dr.clone());
    }
}

/// The page's resources as a dictionary of its own: inherited ones and
/// referenced ones copied in, so adding to them changes no other page.
fn resolved_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let mut node = Some(page_id);
    let mut seen = HashSet::new();
    while let Some(id) = node.filter(|id| seen.insert(*id)) {
        let Ok(dict) = doc.get_dictionary(id) else {
            break;
        };
        if let Ok(resources) = dict.get(b"Resources") {
            return match doc.dereference(resources) {
                Ok((_, Object::Dictionary(resources))) => {
                    let mut own = resources.clone();
                    if let Ok(xobjects) = own.get(b"XObject")
                        && let Ok((_, Object::Dictionary(xobjects))) = doc.dereference(xobjects)
                    {
                        let xobjects = xobjects.clone();
                        own.set("XObject", Object::Dictionary(xobjects));
                    }
                    own
                }
                _ => Dictionary::new(),
            };
        }
        node = dict.get(b"Parent").and_then(Object::as_reference).ok();
    }
    Dictionary::new()
}
