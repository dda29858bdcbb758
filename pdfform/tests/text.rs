//! Positioned text against pdfminer.six's page-1 text boxes recorded in the
//! corpus (`page1_text_blocks_pdfminer`).
//!
//! pdfminer groups lines into multi-line boxes by its own layout heuristics
//! (LAParams) and reports each box's top (`y1`); we report single-line
//! blocks at their baseline and group by a simpler rule. So two checks:
//!
//! 1. **Every glyph**: the characters of pdfminer's boxes (whitespace aside,
//!    and its `(cid:N)` placeholders for codes without Unicode, for which we
//!    output nothing) are all in our page text, counted with multiplicity.
//!    This tests font encodings, /Differences and ToUnicode decoding.
//! 2. **Positions**: at least 90% of pdfminer's boxes have their first line
//!    inside one of our blocks that starts at most 1.5 font sizes right of
//!    the box's x0 (pdfminer counts leading space glyphs in a box; we start
//!    a block at its first visible glyph) with its baseline under the box
//!    top by at most 1.3 font sizes. The misses are where the two groupings
//!    differ (pdfminer joins a footnote number to the next word); they are
//!    listed when the test fails. Boxes of a single character are left out:
//!    pdfminer splits rotated text into one box per character, while we keep
//!    a rotated string whole so it stays searchable (check 1 still counts
//!    its characters).

use magvar_pdfform::{PdfDocument, TextBlock};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Removes pdfminer's `(cid:N)` placeholders.
fn without_cid_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("(cid:") {
        out.push_str(&rest[..start]);
        match rest[start..].find(')') {
            Some(end) => rest = &rest[start + end + 1..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn char_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

#[test]
fn page_one_text_matches_pdfminer_boxes() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut checked_files = 0;
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(&corpus).expect("corpus") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".expected.json") {
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let Some(boxes) = expected["page1_text_blocks_pdfminer"]["blocks"].as_array() else {
            continue;
        };
        checked_files += 1;
        let file = expected["file"].as_str().expect("file");
        let pdf = PdfDocument::open(corpus.join(file), None).expect("opens");
        let page = pdf.page_text(1).expect("page 1");
        let ours: Vec<(&TextBlock, String)> =
            page.blocks().map(|b| (b, squeeze(&b.text))).collect();

        let their_text: String = boxes
            .iter()
            .map(|b| without_cid_placeholders(b["text"].as_str().expect("text")))
            .collect();
        let our_counts = char_counts(&page.plain());
        for (c, count) in char_counts(&their_text) {
            let have = our_counts.get(&c).copied().unwrap_or(0);
            if have < count {
                problems.push(format!(
                    "{file}: {c:?} appears {count} times in pdfminer's text, {have} in ours"
                ));
            }
        }

        let mut misses = Vec::new();
        for pdfminer_box in boxes {
            let text = without_cid_placeholders(pdfminer_box["text"].as_str().expect("text"));
            let x0 = pdfminer_box["x0"].as_f64().expect("x0");
            let y1 = pdfminer_box["y1"].as_f64().expect("y1");
            let Some(first_line) = text.lines().map(squeeze).find(|l| !l.is_empty()) else {
                continue;
            };
            if first_line.chars().count() == 1 {
                continue;
            }
            let found = ours.iter().any(|(block, squeezed)| {
                squeezed.contains(first_line.as_str())
                    && block.x <= x0 + 1.5 * block.size
                    && block.y <= y1 + 0.5
                    && block.y >= y1 - 1.3 * block.size
            });
            if !found {
                misses.push(format!("{first_line:?} at ({x0}, {y1})"));
            }
        }
        if misses.len() * 10 > boxes.len() {
            problems.push(format!(
                "{file}: {} of {} boxes not found in place: {}",
                misses.len(),
                boxes.len(),
                misses.join(", ")
            ));
        }
    }
    assert_eq!(
        checked_files, 6,
        "six corpus files record pdfminer text boxes"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn revision_footer_is_on_both_pages_as_its_own_block() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let pdf = PdfDocument::open(corpus.join("gen_reportlab_rev_footer.pdf"), None).expect("opens");
    let pages = pdf.text().expect("text");
    assert_eq!(pages.len(), 2);
    for page in &pages {
        let last = page.lines.last().expect("a footer line");
        let texts: Vec<&str> = last.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts[0], "Form MA-1  Rev 2011.01.17", "page {}", page.page);
        assert!(last.blocks[0].y < 50.0);
    }
}
