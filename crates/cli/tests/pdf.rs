//! `xxgk validate 年报.pdf` end to end, and `xxgk aggregate` over a folder that mixes PDF, Word,
//! HTML, text and workbooks: every kind is read, none disappears from the count.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

mod common;
use common::run_plain as xxgk;

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The 洪泽区 2023 report really breaks T4-SUM twice; the finding names the PDF's page and table.
#[test]
fn validate_finds_a_real_break_in_a_pdf_and_names_its_page() {
    let (code, out, err) = xxgk(&["validate", path(&fixture("real/hongze-2023.pdf"))]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("洪泽区人民政府 2023"), "{out}");
    let t4: Vec<&str> = out.lines().filter(|l| l.contains("T4-SUM")).collect();
    assert!(!t4.is_empty(), "{out}");
    assert!(out.contains("[第4页 表格3"), "located on page 4, table 3: {out}");
    let (code, out, _) = xxgk(&["validate", "--lang", "en", path(&fixture("real/huaian-2024.pdf"))]);
    assert!(code == 0 || code == 1, "{out}");
    assert!(!out.contains("IMPORT-"), "read without import findings: {out}");
}

#[test]
fn aggregate_takes_a_folder_mixing_pdf_word_html_text_and_workbooks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("报送");
    std::fs::create_dir(&folder).expect("folder");
    for (from, to) in [
        ("real/hongze-2024.pdf", "洪泽区.pdf"),
        ("real/huaian-2024.pdf", "淮安市.pdf"),
        ("real/pingtan-2023.portal.html", "平潭.html"),
        ("seed-2023-daoli.txt", "道里区.txt"),
        ("example-2021.xlsx", "示例.xlsx"),
    ] {
        std::fs::copy(fixture(from), folder.join(to)).expect("copy");
    }
    let (code, _, err) = xxgk(&[
        "convert",
        path(&fixture("valid-2021.json")),
        "-o",
        path(&folder.join("示例区.docx")),
    ]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("汇总.json");
    let (code, stdout, err) = xxgk(&["aggregate", path(&folder), "-o", path(&out), "--to", "json", "--json"]);
    assert!(code == 0 || code == 1, "{stdout}{err}");
    let json: Value = serde_json::from_str(&stdout).expect("JSON summary");
    assert_eq!(json["summary"]["files"], 6, "{stdout}");
    assert_eq!(json["summary"]["unreadable"], 0, "{stdout}");
    assert_eq!(json["summary"]["reports"], 6, "{stdout}");
    let mut kinds: Vec<String> = json["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .filter_map(|r| r["file"].as_str())
        .filter_map(|f| f.rsplit_once('.').map(|(_, e)| e.to_string()))
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["docx", "html", "pdf", "pdf", "txt", "xlsx"]);
    // The two 2024 PDFs are summed together (same format and year).
    let sums = json["sums"].as_array().expect("sums");
    assert!(
        sums.iter().any(|s| s["year"] == 2024 && s["reports"] == 2),
        "{}",
        serde_json::to_string_pretty(sums).unwrap_or_default()
    );
}
