//! magvar-pdfform: filled-in PDF forms as data.
//!
//! A PDF form's values come out the way an HTML form's POST would give
//! them, with enough positioned page text to tell which form — and which
//! revision of it — a document is.
//!
//! * [`PdfDocument`] opens a file on [lopdf] (xref streams, object streams,
//!   incremental updates, reconstruction of a broken xref, RC4 and AES
//!   decryption with the empty user password or one you give).
//! * [`PdfDocument::form`] reads the AcroForm field tree: fully qualified
//!   names, inherited /FT /V /DV /Ff /Opt, widgets merged with their fields,
//!   fields reachable only from page /Annots, guarded against cycles and
//!   absurd depth. Values follow the conventions of [`FieldValue`]; an
//!   XFA-only form gives the values of its datasets packet.
//! * [`PdfDocument::page_text`] interprets content streams into positioned
//!   [`TextBlock`]s grouped into [`TextLine`]s, top to bottom.
//! * [`Templates`] recognise a form by text and fields, and explain near
//!   misses.
//! * [`FormFiller`] fills a form from [`FillData`] (what reading prints:
//!   the JSON `values`, urlencoded, or CSV rows): every value checked first
//!   ([`FillProblem`]s name their field), then /V, /I and /AS written and
//!   appearance streams drawn for each changed widget (the /DA font and
//!   size, auto-size, /Q, comb cells, wrapping, /MK border, background and
//!   rotation), written to any `Write` as an incremental update of the
//!   original bytes (the same encryption, an xref stream where the file has
//!   one) or as a new file, flattened if asked.
//!
//! # Reading only what the fields need
//! Opening a document reads its cross-reference data, trailer and page tree
//! (and sets up decryption); [`PdfDocument::form`] then parses just the
//! objects the field walk reaches — the catalog, the AcroForm and its field
//! tree, each page's /Annots, the widgets' /AP /N dictionaries — members of
//! object streams one at a time. This uses a lazy loader added to a vendored
//! copy of lopdf (`vendor/lopdf`). Where that path cannot vouch for giving
//! what lopdf's full load gives — a cross-reference table lopdf had to
//! repair, a password that does not open the file, an odd page tree, any
//! object that does not read cleanly — the full load is used instead, so the
//! result is the same either way. Text always reads the full load; once it
//! is made, the fields are read from it too.
//!
//! # Text coordinates
//! Block and line positions are in points in the space of the page *as
//! displayed*: the MediaBox with its bottom-left corner as the origin,
//! turned clockwise by the page's /Rotate. Runs are grouped by the
//! direction of their baseline first ([`TextLine::angle_deg`]), so rotated
//! text never merges with the horizontal lines it crosses.
//!
//! Type0 fonts with the Identity-H or Identity-V encoding and no ToUnicode
//! map get their text from the embedded TrueType/OpenType program: its
//! Unicode cmap read backwards, else its `post` glyph names. Where there is
//! no such program (none embedded, a bare CFF program, one that does not
//! parse) those codes give no text.
//!
//! No input makes it panic: damaged and hostile files give an [`Error`]
//! naming the file and the problem.
//!
//! ```
//! use magvar_pdfform::{FieldValue, PdfDocument};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/gen_hierarchical_inherited.pdf");
//! let pdf = PdfDocument::open(path, None)?;
//! let form = pdf.form()?;
//! // /V inherited from the parent field "contact":
//! let phone = form.fields.iter().find(|f| f.name == "contact.phone").unwrap();
//! assert_eq!(phone.value, FieldValue::Text("inherited value".into()));
//! // As a browser would post it:
//! assert!(form.urlencoded().contains("prefs.langs=en&prefs.langs=fr"));
//! // The footer that names the revision:
//! let page = pdf.page_text(1)?;
//! assert!(page.plain().contains("Rev 2011.01.17"));
//! # Ok::<(), magvar_pdfform::Error>(())
//! ```
//!
//! Filling, and reading the result back:
//!
//! ```
//! use magvar_pdfform::{FieldValue, FillData, FillOptions, FormFiller, PdfDocument};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/gen_reportlab_rev_footer.pdf");
//! let filler = FormFiller::new(PdfDocument::open(path, None)?)?;
//! let data = FillData::from_urlencoded("name=Grace+Hopper&plan=enterprise&languages=French")?;
//! let filled = filler.fill(&data, &FillOptions::default())?;
//! let mut out = Vec::new();
//! filled.write_to(&mut out)?;
//! // An incremental update: the original bytes come first, unchanged.
//! assert!(out.starts_with(&std::fs::read(path)?));
//! let form = PdfDocument::from_bytes(&out, "filled.pdf", None)?.form()?;
//! let plan = form.fields.iter().find(|f| f.name == "plan").unwrap();
//! assert_eq!(plan.value, FieldValue::Text("enterprise".into()));
//! // A value the form cannot take is refused, naming the field.
//! let bad = FillData::from_json(r#"{"plan": "gold"}"#)?;
//! let error = filler.fill(&bad, &FillOptions::default()).err().unwrap();
//! assert!(error.to_string().contains(r#"field "plan": "gold" is not one of its states"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [lopdf]: https://docs.rs/lopdf

#![forbid(unsafe_code)]

mod decode;
mod document;
mod error;
mod fields;
mod fill;
mod lazy;
mod model;
mod objects;
mod submit;
mod template;
mod text;
mod xfa;

#[cfg(test)]
mod lazy_tests;

pub use document::PdfDocument;
pub use error::{Error, Result};
pub use fields::MAX_FIELD_DEPTH;
pub use fill::{CsvRow, DataError, FillData, FillOptions, FillProblem, FilledForm, FormFiller};
pub use model::{ChoiceOption, Field, FieldKind, FieldValue, Form, FormSource, Widget};
pub use template::{Identification, NearMiss, Template, TemplateMatch, Templates, TextRule};
pub use text::{PageText, TextBlock, TextLine, TextReader};

impl PdfDocument {
    /// Every form field with its value (see [`FieldValue`] for the conventions).
    ///
    /// The fields are read from the objects they need, parsed on demand;
    /// if any of them does not read cleanly the whole form is read again
    /// from lopdf's full load, so the result is the same either way.
    pub fn form(&self) -> Result<Form> {
        // Once the full load is there (text was read), it is the cheaper way.
        if let Some(objects) = self.loaded_objects() {
            return fields::read_form(objects);
        }
        if let Some(objects) = self.lazy_objects() {
            let form = fields::read_form(objects);
            if !self.lazy_failed() {
                return form;
            }
        }
        fields::read_form(self.eager_objects()?)
    }
}

impl PdfDocument {
    /// The positioned text of page `page` (1-based). To read many pages,
    /// [`TextReader`] keeps fonts parsed between them.
    pub fn page_text(&self, page: u32) -> Result<PageText> {
        TextReader::new(self).page(page)
    }

    /// The positioned text of every page.
    pub fn text(&self) -> Result<Vec<PageText>> {
        let mut reader = TextReader::new(self);
        (1..=self.page_count())
            .map(|page| reader.page(page))
            .collect()
    }
}
