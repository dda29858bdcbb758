//! The form as a browser would post it: `application/x-www-form-urlencoded`
//! per the HTML standard (form submission, "urlencoded serializer").
//!
//! Which fields are sent mirrors the HTML controls they correspond to:
//! * text → always sent, empty when it has no value (like an empty input);
//! * checkbox and radio → sent with the on-state name only when on; an
//!   "Off" box is left out, as a browser leaves out an unchecked box;
//! * combo and list → one `name=value` per selected item (a multi-select
//!   repeats the name); nothing when nothing is selected;
//! * pushbuttons and signatures → never sent (no browser control posts them
//!   unless clicked, and a signature has no text value).
//!
//! Line breaks in values become CR LF, as the HTML standard normalises them
//! before encoding. Text is encoded as UTF-8.

use crate::model::{FieldKind, FieldValue, Form};

impl Form {
    /// `name=value&…` exactly as a browser posts the equivalent HTML form.
    pub fn urlencoded(&self) -> String {
        let mut pairs: Vec<String> = Vec::new();
        for field in &self.fields {
            let values: Vec<&str> = match (field.kind, &field.value) {
                (FieldKind::Pushbutton | FieldKind::Signature, _) => Vec::new(),
                (FieldKind::Checkbox | FieldKind::Radio, FieldValue::Text(state))
                    if state == "Off" =>
                {
                    Vec::new()
                }
                (FieldKind::Text, FieldValue::Null) => vec![""],
                (_, value) => value.as_strings(),
            };
            for value in values {
                pairs.push(format!("{}={}", encode(&field.name), encode(value)));
            }
        }
        pairs.join("&")
    }
}

/// The urlencoded byte serializer: ASCII alphanumerics and `*-._` stay,
/// space becomes `+`, every other UTF-8 byte becomes `%XX`.
pub(crate) fn encode(text: &str) -> String {
    let normalised = normalise_newlines(text);
    let mut out = String::with_capacity(normalised.len());
    for byte in normalised.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Lone CR, lone LF and CR LF all become CR LF.
fn normalise_newlines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\r\n");
            }
            '\n' => out.push_str("\r\n"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FormSource};

    fn field(name: &str, kind: FieldKind, value: FieldValue) -> Field {
        Field {
            name: name.into(),
            kind,
            value,
            options: Vec::new(),
            states: Vec::new(),
            page: Some(1),
            rect: None,
            read_only: false,
            required: false,
            widgets: Vec::new(),
        }
    }

    #[test]
    fn posts_like_a_browser() {
        let form = Form {
            file: "f.pdf".into(),
            source: FormSource::AcroForm,
            fields: vec![
                field(
                    "full name",
                    FieldKind::Text,
                    FieldValue::Text("Jürgen Müller & co".into()),
                ),
                field("notes", FieldKind::Text, FieldValue::Null),
                field("agree", FieldKind::Checkbox, FieldValue::Text("Yes".into())),
                field("spam", FieldKind::Checkbox, FieldValue::Text("Off".into())),
                field(
                    "langs",
                    FieldKind::List,
                    FieldValue::List(vec!["en".into(), "fr".into()]),
                ),
                field("country", FieldKind::Combo, FieldValue::Null),
                field(
                    "reset",
                    FieldKind::Pushbutton,
                    FieldValue::Text("Off".into()),
                ),
                field(
                    "sig",
                    FieldKind::Signature,
                    FieldValue::Text("signed".into()),
                ),
                field(
                    "address",
                    FieldKind::Text,
                    FieldValue::Text("a\rb\nc\r\nd~".into()),
                ),
            ],
            warnings: Vec::new(),
        };
        assert_eq!(
            form.urlencoded(),
            "full+name=J%C3%BCrgen+M%C3%BCller+%26+co&notes=&agree=Yes&langs=en&langs=fr\
             &address=a%0D%0Ab%0D%0Ac%0D%0Ad%7E"
        );
    }
}
