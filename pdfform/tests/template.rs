//! Form recognition by templates, on the corpus forms that carry a
//! revision footer.

use magvar_pdfform::{Error, PdfDocument, Templates};
use std::path::Path;

const TEMPLATES: &str = r#"
[[template]]
name = "Form MA-1"
revision = "2011.01.17"
fields = ["name", "email"]
[[template.text]]
contains = "Form MA-1 Rev 2011.01.17"
page = 2
region = [0, 0, 612, 72]

[[template]]
name = "Form MA-1"
revision = "2012.03.01"
[[template.text]]
contains = "Form MA-1"
[[template.text]]
contains = "Rev 2012.03.01"

[[template]]
name = "Form HX-7"
revision = "2011.01.17"
[[template.text]]
contains = "Rev 2011.01.17"
page = 1
region = [0, 700, 612, 792]
[[template.text]]
contains = "Hierarchical field test"

[[template]]
name = "IRS 1040NR"
[[template.text]]
contains = "U.S. Nonresident Alien Income Tax Return"
"#;

fn identify(file: &str) -> magvar_pdfform::Identification {
    let templates =
        Templates::parse(TEMPLATES, Path::new("templates.toml")).expect("valid templates");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    let pdf = PdfDocument::open(path, None).expect("opens");
    templates.identify(&pdf.form().expect("form"), &pdf.text().expect("text"))
}

#[test]
fn revision_footer_identifies_the_form_and_explains_near_misses() {
    let result = identify("gen_reportlab_rev_footer.pdf");
    let matched: Vec<(&str, Option<&str>)> = result
        .matches
        .iter()
        .map(|m| (m.name.as_str(), m.revision.as_deref()))
        .collect();
    assert_eq!(matched, [("Form MA-1", Some("2011.01.17"))]);
    // The other revision shares the form name text but not the revision.
    let other = result
        .near_misses
        .iter()
        .find(|m| m.revision.as_deref() == Some("2012.03.01"))
        .expect("near miss");
    assert_eq!(other.reasons, ["text \"Rev 2012.03.01\" not found"]);
    assert!(
        result.near_misses.iter().all(|m| m.name != "IRS 1040NR"),
        "nothing in common"
    );
}

#[test]
fn text_outside_the_region_is_a_near_miss_saying_where_it_was() {
    let result = identify("gen_hierarchical_inherited.pdf");
    assert!(result.matches.is_empty(), "{result:?}");
    let miss = result
        .near_misses
        .iter()
        .find(|m| m.name == "Form HX-7")
        .expect("near miss");
    assert_eq!(miss.reasons.len(), 1, "{:?}", miss.reasons);
    assert!(
        miss.reasons[0].starts_with("text \"Rev 2011.01.17\" not found on page 1 in region")
            && miss.reasons[0].contains("but found on page 1 at (72, 30)"),
        "{}",
        miss.reasons[0]
    );
}

#[test]
fn real_form_is_recognised_by_its_title() {
    let result = identify("pdfminer_f1040nr.pdf");
    assert_eq!(result.matches.len(), 1);
    assert_eq!(result.matches[0].name, "IRS 1040NR");
}

#[test]
fn bad_templates_are_rejected_with_the_file_name() {
    for bad in [
        "[[template]]\nname = \"x\"\ntext = []\n",
        "[[template]]\nname = \"x\"\n[[template.text]]\ncontains = \"a\"\npage = 0\n",
        "[[template]]\nname = \"x\"\n[[template.text]]\ncontains = \"a\"\nregion = [10, 0, 0, 10]\n",
        "[[template]]\nname = \"x\"\nunknown = 1\n[[template.text]]\ncontains = \"a\"\n",
        "not toml at all [",
    ] {
        let error = Templates::parse(bad, Path::new("t.toml")).expect_err(bad);
        assert!(matches!(error, Error::Template { .. }), "{error}");
        assert!(
            error.to_string().starts_with("t.toml: bad template file"),
            "{error}"
        );
    }
}
