//! Form templates: which form (and which revision of it) a document is,
//! recognised by text that must appear on its pages and, optionally, the
//! fields it must have.
//!
//! ```toml
//! [[template]]
//! name = "Form MA-1"
//! revision = "2011.01.17"
//! fields = ["name", "email"]          # optional
//!
//! [[template.text]]
//! contains = "Rev 2011.01.17"
//! page = 1                            # optional: any page when absent
//! region = [0, 0, 612, 72]            # optional: [x0, y0, x1, y1], points
//! ```
//!
//! Text compares with runs of white space collapsed to one space, against
//! each block and each whole line; a region holds a block or line when the
//! start of its baseline lies inside it.

use crate::error::{Error, Result};
use crate::model::Form;
use crate::text::PageText;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    #[serde(rename = "template")]
    pub templates: Vec<Template>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub name: String,
    #[serde(default)]
    pub revision: Option<String>,
    /// Text that must appear; every entry must be found.
    pub text: Vec<TextRule>,
    /// Fully qualified names of fields the form must have.
    #[serde(default)]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TextRule {
    pub contains: String,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub region: Option<[f64; 4]>,
}

/// A template a document satisfies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TemplateMatch {
    pub name: String,
    pub revision: Option<String>,
}

/// A template a document satisfies in part, with what it lacks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearMiss {
    pub name: String,
    pub revision: Option<String>,
    pub reasons: Vec<String>,
}

/// The outcome of [`Templates::identify`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identification {
    pub file: String,
    /// Every template satisfied, in template-file order.
    pub matches: Vec<TemplateMatch>,
    /// Templates with at least one requirement met but not all.
    pub near_misses: Vec<NearMiss>,
}

impl Templates {
    /// Reads and checks a template file.
    pub fn load(path: &Path) -> Result<Templates> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| template_error(path, &error.to_string()))?;
        Templates::parse(&text, path)
    }

    /// Parses template TOML; `path` only names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Templates> {
        let templates: Templates =
            toml::from_str(text).map_err(|error| template_error(path, error.message()))?;
        for template in &templates.templates {
            if template.text.is_empty() {
                return Err(template_error(
                    path,
                    &format!(
                        "template \"{}\" has no [[template.text]] rule, so it would match anything",
                        template.name
                    ),
                ));
            }
            for rule in &template.text {
                if rule.contains.trim().is_empty() {
                    return Err(template_error(
                        path,
                        &format!("template \"{}\": empty `contains`", template.name),
                    ));
                }
                if rule.page == Some(0) {
                    return Err(template_error(
                        path,
                        &format!("template \"{}\": pages count from 1", template.name),
                    ));
                }
                if let Some([x0, y0, x1, y1]) = rule.region
                    && (x0 > x1 || y0 > y1)
                {
                    return Err(template_error(
                        path,
                        &format!(
                            "template \"{}\": region must be [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1",
                            template.name
                        ),
                    ));
                }
            }
        }
        Ok(templates)
    }

    /// Which templates the document (its form and the text of its pages)
    /// satisfies, and why the near misses fall short.
    pub fn identify(&self, form: &Form, pages: &[PageText]) -> Identification {
        let mut matches = Vec::new();
        let mut near_misses = Vec::new();
        for template in &self.templates {
            let mut met = 0;
            let mut reasons = Vec::new();
            for rule in &template.text {
                match check_text(rule, pages) {
                    Ok(()) => met += 1,
                    Err(reason) => reasons.push(reason),
                }
            }
            for field in &template.fields {
                if form.fields.iter().any(|f| &f.name == field) {
                    met += 1;
                } else {
                    reasons.push(format!("no field named \"{field}\""));
                }
            }
            if reasons.is_empty() {
                matches.push(TemplateMatch {
                    name: template.name.clone(),
                    revision: template.revision.clone(),
                });
            } else if met > 0 {
                near_misses.push(NearMiss {
                    name: template.name.clone(),
                    revision: template.revision.clone(),
                    reasons,
                });
            }
        }
        Identification {
            file: form.file.clone(),
            matches,
            near_misses,
        }
    }
}

fn template_error(path: &Path, reason: &str) -> Error {
    Error::Template {
        file: path.to_path_buf(),
        reason: reason.to_owned(),
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every (text, x, y) a rule can match on a page: each block and each line.
fn candidates(page: &PageText) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    for line in &page.lines {
        for block in &line.blocks {
            out.push((normalise(&block.text), block.x, block.y));
        }
        if line.blocks.len() > 1 {
            let joined: Vec<&str> = line.blocks.iter().map(|b| b.text.as_str()).collect();
            out.push((normalise(&joined.join(" ")), line.blocks[0].x, line.y));
        }
    }
    out
}

fn check_text(rule: &TextRule, pages: &[PageText]) -> std::result::Result<(), String> {
    let wanted = normalise(&rule.contains);
    let inside = |x: f64, y: f64| {
        rule.region
            .is_none_or(|[x0, y0, x1, y1]| x0 <= x && x <= x1 && y0 <= y && y <= y1)
    };
    let mut elsewhere = Vec::new();
    for page in pages {
        for (text, x, y) in candidates(page) {
            if !text.contains(&wanted) {
                continue;
            }
            let right_page = rule.page.is_none_or(|p| p == page.page);
            if right_page && inside(x, y) {
                return Ok(());
            }
            elsewhere.push(format!("page {} at ({x:.0}, {y:.0})", page.page));
        }
    }
    let place = match (rule.page, rule.region) {
        (Some(page), Some(region)) => format!(" on page {page} in region {region:?}"),
        (Some(page), None) => format!(" on page {page}"),
        (None, Some(region)) => format!(" in region {region:?}"),
        (None, None) => String::new(),
    };
    if elsewhere.is_empty() {
        Err(format!("text \"{wanted}\" not found{place}"))
    } else {
        elsewhere.dedup();
        Err(format!(
            "text \"{wanted}\" not found{place}, but found on {}",
            elsewhere.join(", ")
        ))
    }
}
