//! The appearance streams filling draws, one field of each kind on one
//! page: snapshots of the streams, and poppler's rendering of every filled
//! corpus page showing ink in each filled text field's box.

mod common;

use magvar_pdfform::{FieldKind, FillData, FillOptions, FormFiller, PdfDocument};
use std::collections::BTreeMap;

/// A page of fields, one of each kind the appearances differ by, with
/// /DA, /Q, /MaxLen, /MK (background, border, rotation) and /BS set.
fn form_of_every_kind() -> Vec<u8> {
    let widget = |name: &str, rect: &str, rest: &str| {
        format!("<< /Type /Annot /Subtype /Widget /P 3 0 R /T ({name}) /Rect [{rect}] {rest} >>")
    };
    let fields = [
        widget("plain", "50 700 250 720", "/FT /Tx /DA (/Helv 10 Tf 0 g)"),
        widget(
            "centred_auto",
            "50 660 250 690",
            "/FT /Tx /Q 1 /DA (0 0 1 rg /Helv 0 Tf) /MK << /BG [0.9] /BC [0 0 0] >>",
        ),
        widget(
            "right",
            "50 630 250 650",
            "/FT /Tx /Q 2 /DA (/TiRo 11 Tf 0 g) /BS << /W 2 /S /D /D [2 1] >> /MK << /BC [1 0 0] >>",
        ),
        widget(
            "comb",
            "50 590 250 615",
            "/FT /Tx /Ff 16777216 /MaxLen 8 /DA (/Cour 0 Tf 0 g) /MK << /BC [0] >>",
        ),
        widget(
            "multiline",
            "300 560 450 720",
            "/FT /Tx /Ff 4096 /DA (/Helv 0 Tf 0 g) /BS << /S /B /W 1 >> /MK << /BG [0.8 0.8 1] /BC [0 0 0] >>",
        ),
        widget(
            "password",
            "50 550 250 570",
            "/FT /Tx /Ff 8192 /DA (/Helv 12 Tf 0 g)",
        ),
        widget(
            "rotated",
            "480 560 510 720",
            "/FT /Tx /DA (/Helv 10 Tf 0 g) /MK << /R 90 /BC [0 0 1] >> /BS << /S /U >>",
        ),
        widget(
            "combo",
            "50 510 250 530",
            "/FT /Ch /Ff 131072 /Opt [[(ca) (Canada)] [(fr) (France)]] /DA (/Helv 10 Tf 0 g)",
        ),
        widget(
            "list",
            "300 470 450 540",
            "/FT /Ch /Ff 2097152 /Opt [(Red) (Green) (Blue) (Cyan) (Magenta)] /DA (/Helv 12 Tf 0 g) /MK << /BC [0.5] /BS << /S /I >> >>",
        ),
    ];
    let count = fields.len();
    let refs: Vec<String> = (0..count).map(|i| format!("{} 0 R", 6 + i)).collect();
    let refs = format!("[{}]", refs.join(" "));
    let mut objects = vec![
        format!(
            "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields {refs} /DA (/Helv 0 Tf 0 g) \
             /DR << /Font << /Helv 4 0 R /TiRo 5 0 R >> >> >> >>"
        ),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots {refs} >>"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    ];
    objects.extend(fields);
    common::pdf_with_objects(&objects)
}

fn fill_every_kind() -> (FormFiller, Vec<u8>) {
    let pdf = PdfDocument::from_bytes(&form_of_every_kind(), "kinds.pdf", None).unwrap();
    let filler = FormFiller::new(pdf).unwrap();
    let mut data = FillData::new();
    data.insert("plain", "Plain text (with parentheses) \\ backslash");
    data.insert("centred_auto", "Centred, fitted");
    data.insert("right", "Zoë Müller");
    data.insert("comb", "AB12");
    data.insert(
        "multiline",
        "A long text that wraps over several lines of the box.\nA hard break, then more words.",
    );
    data.insert("password", "secret");
    data.insert("rotated", "Sideways");
    data.insert("combo", "fr");
    data.insert("list", vec!["Magenta".to_owned(), "Green".to_owned()]);
    let bytes = filler
        .fill(&data, &FillOptions::default())
        .unwrap()
        .to_bytes()
        .unwrap();
    (filler, bytes)
}

/// Each widget's normal appearance: its dictionary's keys that matter and
/// its content, by field name.
fn appearances(bytes: &[u8]) -> BTreeMap<String, String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut found = BTreeMap::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(name) = dict.get(b"T").and_then(lopdf::Object::as_str) else {
            continue;
        };
        let Ok(normal) = dict
            .get(b"AP")
            .and_then(lopdf::Object::as_dict)
            .and_then(|ap| ap.get(b"N"))
            .and_then(lopdf::Object::as_reference)
        else {
            continue;
        };
        let stream = doc.get_object(normal).unwrap().as_stream().unwrap();
        let mut text = String::new();
        for key in [&b"BBox"[..], b"Matrix", b"Resources"] {
            if let Ok(value) = stream.dict.get(key) {
                text.push_str(&format!("{}: {value:?}\n", String::from_utf8_lossy(key)));
            }
        }
        text.push_str(&String::from_utf8_lossy(&stream.content));
        found.insert(String::from_utf8_lossy(name).into_owned(), text);
    }
    found
}

#[test]
fn appearance_streams_of_every_kind() {
    let (_, bytes) = fill_every_kind();
    let appearances = appearances(&bytes);
    assert_eq!(appearances.len(), 9, "{:?}", appearances.keys());
    for (name, stream) in appearances {
        insta::assert_snapshot!(name, stream);
    }
}

#[test]
fn every_kind_reads_back_and_passes_qpdf() {
    let (filler, bytes) = fill_every_kind();
    let read = PdfDocument::from_bytes(&bytes, "filled.pdf", None)
        .unwrap()
        .form()
        .unwrap();
    let value = |name: &str| {
        read.fields
            .iter()
            .find(|f| f.name == name)
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(value("combo"), "fr".into());
    assert_eq!(
        value("list"),
        magvar_pdfform::FieldValue::List(vec!["Magenta".into(), "Green".into()])
    );
    assert_eq!(value("password"), "secret".into());
    assert_eq!(filler.form().fields.len(), 9);
    common::qpdf_check(&bytes, "every kind");
    // /I of the list box lists the selected items' indices, in order.
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/I[1 4]"), "list box /I");
}

/// A greyscale rendering by poppler's pdftoppm at 72 dpi: (width, height,
/// pixels top to bottom).
fn render(bytes: &[u8], page: u32) -> Option<(usize, usize, Vec<u8>)> {
    let pdftoppm = common::external_tool("pdftoppm")?;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, bytes).unwrap();
    let prefix = dir.path().join("page");
    let status = std::process::Command::new(pdftoppm)
        .args([
            "-gray",
            "-r",
            "72",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
        ])
        .arg(&input)
        .arg(&prefix)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .expect("a page image");
    let data = std::fs::read(file).unwrap();
    // Binary PGM: "P5\n<w> <h>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    Some((width, height, data[at + 1..].to_vec()))
}

/// A page's /MediaBox and /Rotate (inherited if need be).
fn page_geometry(bytes: &[u8], page: u32) -> ([f64; 4], i64) {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut node = doc.get_pages()[&page];
    let (mut media, mut rotate) = (None, None);
    for _ in 0..32 {
        let dict = doc.get_dictionary(node).unwrap();
        if media.is_none()
            && let Ok(array) = dict.get(b"MediaBox").and_then(lopdf::Object::as_array)
        {
            let n = |i: usize| f64::from(array[i].as_float().unwrap());
            media = Some([
                n(0).min(n(2)),
                n(1).min(n(3)),
                n(0).max(n(2)),
                n(1).max(n(3)),
            ]);
        }
        if rotate.is_none() {
            rotate = dict.get(b"Rotate").and_then(lopdf::Object::as_i64).ok();
        }
        match dict.get(b"Parent").and_then(lopdf::Object::as_reference) {
            Ok(parent) => node = parent,
            Err(_) => break,
        }
    }
    (
        media.unwrap_or([0.0, 0.0, 612.0, 792.0]),
        rotate.unwrap_or(0).rem_euclid(360),
    )
}

/// `rect` in PDF points as pixel columns and rows (top-down) of a 72 dpi
/// rendering of a page with this media box and rotation.
fn pixel_box(rect: [f64; 4], media: [f64; 4], rotate: i64) -> [f64; 4] {
    let (w, h) = (media[2] - media[0], media[3] - media[1]);
    let corner = |x: f64, y: f64| {
        let (x, y) = (x - media[0], y - media[1]);
        match rotate {
            90 => (y, x),
            180 => (w - x, y),
            270 => (h - y, w - x),
            _ => (x, h - y),
        }
    };
    let (a, b) = (corner(rect[0], rect[1]), corner(rect[2], rect[3]));
    [a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)]
}

/// Pixels inside `pixels` (columns and rows, top-down) that differ between
/// two renderings, and the darkest one of the second.
fn changed_pixels(
    before: &(usize, usize, Vec<u8>),
    after: &(usize, usize, Vec<u8>),
    pixels: [f64; 4],
) -> (usize, u8) {
    let (width, height, _) = *after;
    let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, y0) = (clamp(pixels[0], width), clamp(pixels[1], height));
    let (x1, y1) = (clamp(pixels[2], width), clamp(pixels[3], height));
    let mut changed = 0;
    let mut darkest = 255;
    for y in y0..y1 {
        for x in x0..x1 {
            let index = y * width + x;
            if before.2.get(index) != after.2.get(index) {
                changed += 1;
            }
            darkest = darkest.min(after.2[index]);
        }
    }
    (changed, darkest)
}

/// The rectangles of widgets flagged hidden or not for viewing (/F bits 2
/// and 6), which no viewer draws.
fn hidden_rects(bytes: &[u8]) -> Vec<[i64; 4]> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    doc.objects
        .values()
        .filter_map(|object| {
            let dict = object.as_dict().ok()?;
            let flags = dict.get(b"F").and_then(lopdf::Object::as_i64).ok()?;
            if flags & (2 | 32) == 0 {
                return None;
            }
            let rect = dict.get(b"Rect").and_then(lopdf::Object::as_array).ok()?;
            let n = |i: usize| rect[i].as_float().map(|v| v.round() as i64).unwrap_or(0);
            Some([
                n(0).min(n(2)),
                n(1).min(n(3)),
                n(0).max(n(2)),
                n(1).max(n(3)),
            ])
        })
        .collect()
}

/// What every viewer shows, not only those that honour /NeedAppearances:
/// poppler draws each filled text field's new value in its box.
#[test]
fn poppler_renders_every_filled_text_field_of_the_corpus() {
    let mut checked = 0;
    for name in [
        "gen_reportlab_rev_footer.pdf",
        "pdfjs_160F-2019.pdf",
        "pdflib_dod_character.pdf",
        "qpdf_sample-form.pdf",
        "pdfbox_AcroFormsRotation.pdf",
        "pypdf_FormTestFromOo.pdf",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/corpus")
            .join(name);
        let original = std::fs::read(&path).unwrap();
        let hidden = hidden_rects(&original);
        let filler = FormFiller::new(PdfDocument::open(&path, None).unwrap()).unwrap();
        let mut data = FillData::new();
        for field in &filler.form().fields {
            if field.kind == FieldKind::Text && !field.read_only && field.widgets.len() == 1 {
                data.insert(field.name.clone(), "WMW");
            }
        }
        let filled = filler.fill(&data, &FillOptions::default()).unwrap();
        let bytes = filled.to_bytes().unwrap();
        let mut renders = BTreeMap::new();
        for field in &filler.form().fields {
            if data.get(&field.name).is_none() {
                continue;
            }
            let (Some(page), Some(rect)) = (field.page, field.rect) else {
                continue;
            };
            // Boxes too small to hold a letter at 72 dpi say nothing.
            if rect[2] - rect[0] < 12.0 || rect[3] - rect[1] < 6.0 {
                continue;
            }
            if hidden.contains(&rect.map(|n| n.round() as i64)) {
                continue;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = renders.entry(page) {
                let Some(before) = render(&original, page) else {
                    return;
                };
                slot.insert((before, render(&bytes, page).unwrap()));
            }
            let (before, after) = &renders[&page];
            let (media, rotate) = page_geometry(&bytes, page);
            let (changed, darkest) = changed_pixels(before, after, pixel_box(rect, media, rotate));
            assert!(
                changed > 0 && darkest < 128,
                "{name}: field \"{}\" on page {page}: {changed} pixels changed, darkest {darkest}",
                field.name
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} fields checked");
}
