//! The page's functions, run natively (their error paths need a JavaScript host: the browser test
//! in `tests/web` covers them). What a user relies on: the verdict in the library's words, the
//! JSON of `validate --json`, exports and the template as the libraries write them, a batch summed.

use xxgk_web::{Batch, check, template};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON")
}

#[test]
fn the_example_passes_in_both_languages() {
    let c = check(&fixture("example-2021.xlsx"), "example-2021.xlsx", false, false);
    assert_eq!(c.reports(), 1);
    let zh = json(&c.view("zh"));
    assert_eq!(zh["mark"], "✔ 通过");
    assert_eq!(zh["reports"][0]["mark"], "✔ 通过");
    assert_eq!(json(&c.view("en"))["mark"], "✔ pass");
    let out = json(&c.json());
    assert_eq!(out["files"][0]["file"], "example-2021.xlsx");
    assert_eq!(out["exit_code"], 0);
    assert!(c.json().ends_with("}\n"), "the document ends as the CLI prints it");
    // The form carries each value cell's id, for the page to highlight.
    let form = c.form(0, "zh").expect("form");
    assert!(form.contains("data-cell=\"t3.new_received.natural_person\""));
}

#[test]
fn a_broken_report_names_its_rule_cells_and_places() {
    let c = check(&fixture("broken/T3-BAL.json"), "T3-BAL.json", false, false);
    let v = json(&c.view("zh"));
    assert_eq!(v["mark"], "✘ 不通过");
    let findings = v["reports"][0]["findings"].as_array().expect("findings");
    let bal = findings.iter().find(|f| f["rule"] == "T3-BAL").expect("T3-BAL shown");
    assert_eq!(bal["kind"], "error");
    let cells = bal["cells"].as_array().expect("cells");
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|c| c["place"].is_string()), "{cells:?}");
    assert!(cells.iter().all(|c| c["label"].as_str().is_some_and(|l| !l.is_empty())));
    assert_eq!(json(&c.json())["exit_code"], 1);
}

#[test]
fn exports_and_the_template_are_the_libraries() {
    let c = check(&fixture("valid-2021.json"), "valid-2021.json", false, false);
    let exported = c.export("json", "zh").expect("json export");
    let again = xxgk_import::import("x.json", &exported, &Default::default()).expect("reads back");
    let original =
        xxgk_import::import("valid-2021.json", &fixture("valid-2021.json"), &Default::default()).expect("fixture");
    assert_eq!(again[0].report.cells, original[0].report.cells);
    assert!(c.export("docx", "zh").expect("docx").starts_with(b"PK"));
    let t = template("2021", Some("示例县教育局".into()), Some(2024)).expect("template");
    let expected = xxgk_export::form_xlsx::template(xxgk_model::FormatVersion::V2021, Some("示例县教育局"), Some(2024))
        .expect("template");
    assert_eq!(t, expected);
}

#[test]
fn a_batch_is_summed_with_its_duplicates_left_out() {
    let mut b = Batch::new("zh", false, false);
    assert_eq!(b.add("a.json", &fixture("valid-2021.json"), Some(100.0)), "✔ 通过");
    b.add("b.json", &fixture("valid-2021.json"), Some(50.0));
    assert_eq!(b.add("坏.xlsx", b"junk", None), "✘ 无法读取");
    let r = b.finish().expect("finish");
    assert!(r.stats().starts_with(b"PK"));
    assert_eq!(r.sum_count(), 1);
    assert!(r.sum(0).starts_with(b"PK"));
    let v = json(&r.view());
    assert_eq!(v["summary"]["files"], 3);
    assert_eq!(v["summary"]["unreadable"], 1);
    assert_eq!(v["sums"][0]["reports"], 1, "the copy is not summed");
    assert!(
        v["reports"][1]["rules"]
            .as_str()
            .is_some_and(|r| r.contains("X-BATCH-DUP"))
    );
    assert!(v["summary_text"].as_str().is_some_and(|t| t.starts_with("共 3 个文件")));
}
