//! magvar-pdfform: filled-in PDF forms as data.
//! (doc comment completed below once the text module lands)

mod decode;
mod document;
mod error;
mod fields;
mod model;
mod xfa;

pub use document::PdfDocument;
pub use error::{Error, Result};
pub use fields::MAX_FIELD_DEPTH;
pub use model::{ChoiceOption, Field, FieldKind, FieldValue, Form, FormSource, Widget};

impl PdfDocument {
    /// Every form field with its value (see [`FieldValue`] for the conventions).
    pub fn form(&self) -> Result<Form> {
        fields::read_form(self)
    }
}
