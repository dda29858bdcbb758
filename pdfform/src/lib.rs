//! magvar-pdfform: filled-in PDF forms as data.
//! (doc comment completed below once the text module lands)

mod decode;
mod document;
mod error;
mod fields;
mod model;
mod submit;
mod template;
mod text;
mod xfa;

pub use document::PdfDocument;
pub use error::{Error, Result};
pub use fields::MAX_FIELD_DEPTH;
pub use model::{ChoiceOption, Field, FieldKind, FieldValue, Form, FormSource, Widget};
pub use template::{Identification, NearMiss, Template, TemplateMatch, Templates, TextRule};
pub use text::{PageText, TextBlock, TextLine, TextReader};

impl PdfDocument {
    /// Every form field with its value (see [`FieldValue`] for the conventions).
    pub fn form(&self) -> Result<Form> {
        fields::read_form(self)
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
