//! Filling a form: values checked against the fields, written into /V (and
//! /I, /AS), appearance streams drawn for every changed widget, and the
//! result written as an incremental update of the original bytes or as a
//! new file, flattened if asked.
//!
//! [`FormFiller`] reads what filling needs once; each [`FormFiller::fill`]
//! then costs only the changed fields, so one filler serves a whole batch
//! of records, on as many threads as there are.

mod appearance;
mod data;
mod fonts;
mod incremental;
mod rewrite;
#[rustfmt::skip]
mod standard_fonts;
mod table;
mod validate;

pub use data::{CsvRow, DataError, FillData};
pub use validate::FillProblem;

use crate::document::PdfDocument;
use crate::error::{Error, Result};
use crate::model::{FieldKind, FieldValue, Form, FormSource};
use appearance::Content;
use lopdf::encryption::PasswordAlgorithm;
use lopdf::{Dictionary, Object, ObjectId, Permissions};
use std::collections::BTreeMap;
use std::io::Write;
use table::{FF_COMB, FF_MULTILINE, FF_PASSWORD, FieldTable};
use validate::{Change, NewValue};

/// How to fill and write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FillOptions {
    /// Refuse values the field's font cannot show, instead of leaving
    /// their drawing to the viewer (/NeedAppearances) with a warning.
    pub strict: bool,
    /// Fill read-only fields too.
    pub force: bool,
    /// Draw the fields into the pages and remove the form (a new file).
    pub flatten: bool,
    /// Write a compact new file instead of appending an update.
    pub rewrite: bool,
}

/// A form ready to be filled, any number of times.
pub struct FormFiller {
    pdf: PdfDocument,
    form: Form,
    table: FieldTable,
    /// The first object number free for new objects.
    next_id: u32,
    /// The original's `startxref`, when an update can chain to it.
    prev: Option<u64>,
    /// For an encrypted file opened without its owner password: what the
    /// permissions allow.
    permissions: Option<Permissions>,
}

impl FormFiller {
    /// Reads the fields of `pdf` and what drawing them needs.
    pub fn new(pdf: PdfDocument) -> Result<FormFiller> {
        let (form, table) = read(&pdf)?;
        if form.source == FormSource::Xfa {
            return Err(Error::XfaOnly {
                file: pdf.file().to_path_buf(),
                detail: "cannot be filled as AcroForm fields".into(),
            });
        }
        let revision = pdf.revision()?;
        let prev = incremental::last_startxref(revision.bytes).filter(|_| !revision.repaired);
        let mut next_id = revision.size.max(1);
        if prev.is_none() {
            // A damaged file is written anew from the full load, which may
            // have found more objects than its table lists.
            next_id = next_id.max(pdf.loaded()?.doc.max_id + 1);
        }
        let permissions = match revision.encryption {
            Some(state) if !opened_as_owner(&pdf, revision.bytes) => Some(state.permissions()),
            _ => None,
        };
        Ok(FormFiller {
            pdf,
            form,
            table,
            next_id,
            prev,
            permissions,
        })
    }

    /// The form as it is before filling.
    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn document(&self) -> &PdfDocument {
        &self.pdf
    }

    /// Checks `data` against the fields and prepares the filled document.
    /// Every problem with the data is reported at once
    /// ([`Error::InvalidFill`]); nothing is written until
    /// [`FilledForm::write_to`].
    pub fn fill(&self, data: &FillData, options: &FillOptions) -> Result<FilledForm<'_>> {
        self.check_permissions(options)?;
        let changes = validate::check(&self.form, &self.table, data, options.force)
            .map_err(|problems| self.invalid(problems))?;
        let mut edit = Edit {
            table: &self.table,
            objects: BTreeMap::new(),
            next_id: self.next_id,
        };
        let mut outcome = Outcome::default();
        for change in &changes {
            self.set_value(&mut edit, change);
            let text = self.shown_text(change.field, &change.value);
            self.draw_widgets(
                &mut edit,
                change.field,
                &change.value,
                text,
                options,
                &mut outcome,
            );
        }
        if options.flatten {
            self.draw_unchanged(&mut edit, &changes, options, &mut outcome);
        }
        if !outcome.problems.is_empty() {
            return Err(self.invalid(outcome.problems));
        }
        self.update_acroform(&mut edit, !changes.is_empty(), &mut outcome);
        if self.prev.is_none() && !options.rewrite && !options.flatten {
            outcome.warnings.push(
                "the file's cross-reference data is damaged, so it is written as a new file rather than updated"
                    .into(),
            );
        }
        Ok(FilledForm {
            filler: self,
            objects: edit.objects,
            values: changes
                .iter()
                .map(|change| (change.field, change.value.read_back()))
                .collect(),
            warnings: outcome.warnings,
            options: *options,
        })
    }

    fn invalid(&self, problems: Vec<FillProblem>) -> Error {
        Error::InvalidFill {
            file: self.pdf.file().to_path_buf(),
            problems,
        }
    }

    fn check_permissions(&self, options: &FillOptions) -> Result<()> {
        let Some(permissions) = self.permissions else {
            return Ok(());
        };
        let allowed = if options.flatten {
            permissions.contains(Permissions::MODIFIABLE)
        } else {
            permissions.intersects(Permissions::FILLABLE | Permissions::ANNOTABLE)
        };
        if allowed {
            Ok(())
        } else {
            Err(Error::ChangesNotAllowed {
                file: self.pdf.file().to_path_buf(),
                what: if options.flatten {
                    "changing its pages"
                } else {
                    "filling its form"
                },
            })
        }
    }

    /// /V (and /I) of the field object.
    fn set_value(&self, edit: &mut Edit<'_>, change: &Change) {
        let kind = self.form.fields[change.field].kind;
        let Some(id) = self.table.fields[change.field].id else {
            return;
        };
        let dict = edit.dict_mut(id);
        match &change.value {
            NewValue::Text(text) => {
                dict.set("V", lopdf::text_string(text.as_deref().unwrap_or("")));
                // Rich text would show the old value where viewers honour it.
                dict.remove(b"RV");
            }
            NewValue::State(state) => {
                dict.set("V", Object::Name(state.as_bytes().to_vec()));
            }
            NewValue::Choice { items, indices } => {
                let value = match items.as_slice() {
                    [] => lopdf::text_string(""),
                    [one] => lopdf::text_string(one),
                    many => Object::Array(many.iter().map(|i| lopdf::text_string(i)).collect()),
                };
                dict.set("V", value);
                let mut sorted = indices.clone();
                sorted.sort_unstable();
                if kind == FieldKind::List && !sorted.is_empty() {
                    let indices = sorted.iter().map(|&i| Object::Integer(i as i64)).collect();
                    dict.set("I", Object::Array(indices));
                } else {
                    dict.remove(b"I");
                }
            }
        }
    }

    /// The text a text or combo widget shows for a new value: a combo box
    /// shows the option's text rather than its export value.
    fn shown_text(&self, field: usize, value: &NewValue) -> String {
        match value {
            NewValue::Text(text) => text.clone().unwrap_or_default(),
            NewValue::Choice { items, indices } => match (indices.first(), items.first()) {
                (Some(&index), _) => self.table.fields[field].options[index].1.clone(),
                (None, Some(item)) => item.clone(),
                (None, None) => String::new(),
            },
            NewValue::State(state) => state.clone(),
        }
    }

    /// Every widget of the field shows the new value: buttons switch /AS,
    /// text and choice widgets get a new normal appearance.
    fn draw_widgets(
        &self,
        edit: &mut Edit<'_>,
        field_index: usize,
        value: &NewValue,
        text: String,
        options: &FillOptions,
        outcome: &mut Outcome,
    ) {
        let field = &self.form.fields[field_index];
        let entry = &self.table.fields[field_index];
        let displays: Vec<String> = entry.options.iter().map(|(_, d)| d.clone()).collect();
        let selected = match value {
            NewValue::Choice { indices, .. } => indices.clone(),
            _ => Vec::new(),
        };
        let content = match field.kind {
            FieldKind::Text => Content::Text {
                value: &text,
                multiline: entry.flags & FF_MULTILINE != 0,
                comb: entry
                    .max_len
                    .filter(|_| entry.flags & (FF_COMB | FF_MULTILINE | FF_PASSWORD) == FF_COMB),
                password: entry.flags & FF_PASSWORD != 0,
            },
            FieldKind::Combo => Content::Text {
                value: &text,
                multiline: false,
                comb: None,
                password: false,
            },
            FieldKind::List => Content::List {
                items: &displays,
                selected: &selected,
                top: entry.top_index,
            },
            FieldKind::Checkbox | FieldKind::Radio => {
                for widget in &entry.widgets {
                    let Some(id) = widget.id else { continue };
                    let on = widget.states.iter().any(|s| s == text.as_bytes());
                    let state = if on { text.as_bytes() } else { b"Off" };
                    edit.dict_mut(id).set("AS", Object::Name(state.to_vec()));
                }
                return;
            }
            FieldKind::Pushbutton | FieldKind::Signature => return,
        };
        let mut warned = false;
        for widget in &entry.widgets {
            let Some(id) = widget.id else { continue };
            let font = &self.table.fonts[widget.look.font];
            let drawn = appearance::draw(&widget.look, font, &content);
            if drawn.missing.is_empty() {
                let stream = edit.add(Object::Stream(drawn.stream));
                let mut ap = Dictionary::new();
                ap.set("N", Object::Reference(stream));
                edit.dict_mut(id).set("AP", Object::Dictionary(ap));
                continue;
            }
            let mut missing = drawn.missing;
            missing.sort_unstable();
            missing.dedup();
            let problem = FillProblem::Unencodable {
                field: field.name.clone(),
                font: String::from_utf8_lossy(&font.resource).into_owned(),
                missing,
            };
            if options.strict {
                outcome.problems.push(problem);
                return;
            }
            // No appearance at all rather than one with letters missing or
            // the old value: viewers draw it from /V.
            edit.dict_mut(id).remove(b"AP");
            outcome.need_appearances = true;
            if !warned {
                outcome.warnings.push(format!(
                    "{problem}; viewers are asked to draw it themselves (/NeedAppearances)"
                ));
                warned = true;
            }
        }
    }

    /// Flattening draws what each widget shows: text and choice widgets of
    /// unchanged fields that have a value but no appearance get one.
    fn draw_unchanged(
        &self,
        edit: &mut Edit<'_>,
        changes: &[Change],
        options: &FillOptions,
        outcome: &mut Outcome,
    ) {
        for (index, field) in self.form.fields.iter().enumerate() {
            let entry = &self.table.fields[index];
            if changes.iter().any(|c| c.field == index)
                || field.value == FieldValue::Null
                || entry.widgets.iter().all(|w| w.has_appearance)
            {
                continue;
            }
            let value = match field.kind {
                FieldKind::Text => {
                    NewValue::Text(field.value.as_strings().first().map(|s| s.to_string()))
                }
                FieldKind::Combo | FieldKind::List => {
                    let items: Vec<String> = field
                        .value
                        .as_strings()
                        .iter()
                        .map(|s| s.to_string())
                        .collect();
                    let indices = items
                        .iter()
                        .filter_map(|item| entry.options.iter().position(|(e, _)| e == item))
                        .collect();
                    NewValue::Choice { items, indices }
                }
                _ => continue,
            };
            let text = self.shown_text(index, &value);
            self.draw_widgets(edit, index, &value, text, options, outcome);
        }
    }

    /// /NeedAppearances where a value is left for viewers to draw, and no
    /// XFA once AcroForm values change: XFA-aware viewers would show the
    /// XFA data instead (pdftk drops it too).
    fn update_acroform(&self, edit: &mut Edit<'_>, changed: bool, outcome: &mut Outcome) {
        let Some(acroform) = &self.table.acroform else {
            return;
        };
        let mut dict = acroform.dict.clone();
        let mut touched = false;
        if outcome.need_appearances {
            dict.set("NeedAppearances", Object::Boolean(true));
            touched = true;
        }
        if changed && dict.has(b"XFA") {
            dict.remove(b"XFA");
            outcome.warnings.push(
                "the form also has an XFA form, which is removed so that viewers show the values filled in"
                    .into(),
            );
            touched = true;
        }
        if !touched {
            return;
        }
        match &acroform.catalog {
            Some(catalog) => {
                let mut catalog = catalog.clone();
                catalog.set("AcroForm", Object::Dictionary(dict));
                edit.objects
                    .insert(acroform.holder, Object::Dictionary(catalog));
            }
            None => {
                edit.objects
                    .insert(acroform.holder, Object::Dictionary(dict));
            }
        }
    }
}

/// The form and the fill table read from the same objects; when the lazy
/// reader fails on anything either needs, both are read from the full load.
fn read(pdf: &PdfDocument) -> Result<(Form, FieldTable)> {
    if pdf.loaded_objects().is_none()
        && let Some(objects) = pdf.lazy_objects()
    {
        let (form, locations) = crate::fields::read_form_located(objects)?;
        let table = FieldTable::read(objects, &form, &locations);
        if !pdf.lazy_failed() {
            return Ok((form, table));
        }
    }
    let objects = pdf.eager_objects()?;
    let (form, locations) = crate::fields::read_form_located(objects)?;
    let table = FieldTable::read(objects, &form, &locations);
    Ok((form, table))
}

/// Whether the password the file was opened with (or the empty one) is
/// its owner password, which allows every change.
fn opened_as_owner(pdf: &PdfDocument, bytes: &[u8]) -> bool {
    let options = lopdf::LoadOptions {
        password: pdf.password().map(str::to_owned),
        ..lopdf::LoadOptions::default()
    };
    let Ok(reader) = std::panic::catch_unwind(|| lopdf::Reader::lazy(bytes, options)) else {
        return false;
    };
    let Ok(reader) = reader else {
        return false;
    };
    let Ok(algorithm) = PasswordAlgorithm::try_from(&reader.document) else {
        return false;
    };
    std::iter::once("")
        .chain(pdf.password())
        .filter_map(|password| algorithm.sanitize_password(password).ok())
        .any(|password| {
            algorithm
                .authenticate_owner_password(&reader.document, &password)
                .is_ok()
        })
}

/// The objects a fill changes or adds.
struct Edit<'a> {
    table: &'a FieldTable,
    objects: BTreeMap<ObjectId, Object>,
    next_id: u32,
}

impl Edit<'_> {
    /// The dictionary of field or widget `id`, copied in on first change.
    fn dict_mut(&mut self, id: ObjectId) -> &mut Dictionary {
        let table = self.table;
        let object = self.objects.entry(id).or_insert_with(|| {
            Object::Dictionary(table.originals.get(&id).cloned().unwrap_or_default())
        });
        if !matches!(object, Object::Dictionary(_)) {
            *object = Object::Dictionary(Dictionary::new());
        }
        match object {
            Object::Dictionary(dict) => dict,
            _ => unreachable!("made a dictionary above"),
        }
    }

    fn add(&mut self, object: Object) -> ObjectId {
        let id = (self.next_id, 0);
        self.next_id += 1;
        self.objects.insert(id, object);
        id
    }
}

#[derive(Default)]
struct Outcome {
    problems: Vec<FillProblem>,
    warnings: Vec<String>,
    need_appearances: bool,
}

/// A filled form, ready to be written.
pub struct FilledForm<'a> {
    filler: &'a FormFiller,
    objects: BTreeMap<ObjectId, Object>,
    /// The changed fields (by index) and what reading them back gives.
    values: Vec<(usize, FieldValue)>,
    warnings: Vec<String>,
    options: FillOptions,
}

impl FilledForm<'_> {
    /// Oddities that did not stop the fill, one sentence each.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The names of the fields whose value changed, in form order.
    pub fn changed_fields(&self) -> Vec<&str> {
        let mut indices: Vec<usize> = self.values.iter().map(|(i, _)| *i).collect();
        indices.sort_unstable();
        indices.dedup();
        indices
            .into_iter()
            .map(|i| self.filler.form.fields[i].name.as_str())
            .collect()
    }

    /// The form as reading the written file gives it (for a flattened file,
    /// the form as it was just before it was removed).
    pub fn form(&self) -> Form {
        let mut form = self.filler.form.clone();
        for (index, value) in &self.values {
            form.fields[*index].value = value.clone();
        }
        form
    }

    /// Writes the filled document: an incremental update of the original
    /// bytes unless a new file was asked for (or the original's
    /// cross-reference data is damaged).
    pub fn write_to<W: Write>(&self, mut out: W) -> Result<()> {
        let pdf = &self.filler.pdf;
        let write_error = |source| Error::Write {
            file: pdf.file().to_path_buf(),
            source,
        };
        let updating = !(self.options.rewrite || self.options.flatten);
        match self.filler.prev {
            Some(prev) if updating => {
                let revision = pdf.revision()?;
                incremental::write(&revision, prev, &self.objects, &mut out).map_err(write_error)
            }
            _ => {
                let loaded = pdf.loaded()?;
                rewrite::write(loaded, &self.objects, self.options.flatten, &mut out)
                    .map_err(write_error)
            }
        }
    }

    /// The filled document's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.write_to(&mut bytes)?;
        Ok(bytes)
    }
}
