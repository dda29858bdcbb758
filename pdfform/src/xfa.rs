//! XFA-only forms: the field values live in the `datasets` packet of the
//! XFA stream, an XML document. We read the data subtree (`<xfa:data>`) and
//! report each leaf element as a text field named by its element path.
//! A hybrid form (AcroForm fields present as well) never comes here.

use crate::error::{Error, Result};
use crate::model::{Field, FieldKind, FieldValue};
use crate::objects::Objects;
use lopdf::Object;

/// Elements nested deeper than this in the datasets are not read: real data
/// trees are a few levels deep, and the limit bounds work on hostile XML.
const MAX_XML_DEPTH: usize = 200;

/// The fields of an XFA-only form, or an `XfaOnly` error saying why there
/// are none.
pub fn dataset_fields(pdf: Objects<'_>, xfa: Option<&Object>) -> Result<Vec<Field>> {
    let fail = |detail: &str| Error::XfaOnly {
        file: pdf.file.to_path_buf(),
        detail: detail.to_owned(),
    };
    let xml = datasets_xml(pdf, xfa).ok_or_else(|| fail("it has no readable datasets packet"))?;
    let fields = leaf_values(&xml);
    if fields.is_empty() {
        return Err(fail("its datasets packet holds no field values"));
    }
    Ok(fields)
}

/// The datasets packet: /XFA is either one stream holding the whole XDP
/// document or an array of (packet name, stream) pairs.
fn datasets_xml(pdf: Objects<'_>, xfa: Option<&Object>) -> Option<String> {
    let stream_text = |object: &Object| -> Option<String> {
        let stream = pdf.resolve(object)?.as_stream().ok()?;
        let bytes = pdf.stream_bytes(stream)?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    };
    let text = match xfa? {
        Object::Array(parts) => {
            let position = parts.chunks(2).position(|pair| {
                matches!(pdf.resolve(&pair[0]), Some(Object::String(name, _)) if name == b"datasets")
            });
            match position {
                Some(index) => stream_text(parts.get(index * 2 + 1)?)?,
                // No named packet: the datasets element may still be in the
                // concatenation of all the packets.
                None => parts.iter().filter_map(stream_text).collect(),
            }
        }
        other => stream_text(other)?,
    };
    Some(text)
}

/// `(path, text)` for every element with no child elements inside the
/// `data` element of the datasets.
fn leaf_values(xml: &str) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut in_data = false;
    let mut data_depth = 0;
    let mut text = String::new();
    let mut has_children: Vec<bool> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        let skip_to =
            |rest: &str, end: &str| rest.find(end).map(|i| i + end.len()).unwrap_or(rest.len());
        if rest.starts_with("<!--") {
            rest = &rest[skip_to(rest, "-->")..];
            continue;
        }
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = cdata.find("]]>").unwrap_or(cdata.len());
            text.push_str(&cdata[..end]);
            rest = &cdata[(end + 3).min(cdata.len())..];
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[skip_to(rest, ">")..];
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[1..end];
        rest = &rest[(end + 1).min(rest.len())..];
        if let Some(closing) = tag.strip_prefix('/') {
            let local = local_name(closing);
            if in_data && path.len() > data_depth {
                let leaf = !has_children.pop().unwrap_or(true);
                if leaf {
                    fields.push(text_field(
                        path[data_depth..].join("."),
                        &unescape(text.trim()),
                    ));
                }
                path.pop();
            } else if in_data && local == "data" {
                in_data = false;
            }
            text.clear();
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = local_name(
            tag.trim_end_matches('/')
                .split_whitespace()
                .next()
                .unwrap_or(""),
        );
        if !in_data {
            if name == "data" && !self_closing {
                in_data = true;
                data_depth = path.len();
            }
        } else if path.len() - data_depth < MAX_XML_DEPTH {
            if let Some(parent) = has_children.last_mut() {
                *parent = true;
            }
            if self_closing {
                let mut full = path[data_depth..].to_vec();
                full.push(name.to_owned());
                fields.push(text_field(full.join("."), ""));
            } else {
                path.push(name.to_owned());
                has_children.push(false);
            }
        }
        text.clear();
    }
    fields
}

fn text_field(name: String, value: &str) -> Field {
    Field {
        name,
        kind: FieldKind::Text,
        value: match value {
            "" => FieldValue::Null,
            text => FieldValue::Text(text.to_owned()),
        },
        options: Vec::new(),
        states: Vec::new(),
        page: None,
        rect: None,
        read_only: false,
        required: false,
        widgets: Vec::new(),
    }
}

fn local_name(tag: &str) -> &str {
    let name = tag.split_whitespace().next().unwrap_or("");
    name.rsplit(':').next().unwrap_or(name)
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(|code| code.ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_of_the_data_element_become_fields() {
        let xml = r#"<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/">
            <xfa:data><form1><name>Ann &amp; Bob</name><age>42</age><empty/><notes></notes>
            <addr><city><![CDATA[Zürich]]></city></addr></form1></xfa:data>
            <dd:dataDescription/></xfa:datasets>"#;
        let fields = leaf_values(xml);
        let pairs: Vec<(&str, &FieldValue)> =
            fields.iter().map(|f| (f.name.as_str(), &f.value)).collect();
        assert_eq!(
            pairs,
            vec![
                ("form1.name", &FieldValue::Text("Ann & Bob".into())),
                ("form1.age", &FieldValue::Text("42".into())),
                ("form1.empty", &FieldValue::Null),
                ("form1.notes", &FieldValue::Null),
                ("form1.addr.city", &FieldValue::Text("Zürich".into())),
            ]
        );
    }

    #[test]
    fn numeric_entities_decode() {
        assert_eq!(unescape("a&#233;&#x4E2D;&bogus;"), "aé中&bogus;");
    }
}
