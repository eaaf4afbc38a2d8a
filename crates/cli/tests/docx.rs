//! `xxgk convert … -o 年报.docx` and `xxgk template --docx -o 表.docx` end to end: the files the
//! binary writes are exactly the documents the exporter makes, and wrong requests exit 2 with a
//! message.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use xxgk_export::docx;
use xxgk_model::{FormatVersion, Report};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name)
}

fn xxgk(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .output()
        .expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn a_report_converts_to_the_word_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["seed-2023-daoli.json", "valid-2019.json"] {
        let out = dir.path().join("年报.docx");
        let (code, err) = xxgk(&["convert", path(&fixture(name)), "-o", path(&out)]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(fixture(name)).expect("fixture");
        let report: Report = serde_json::from_str(&text).expect("report");
        let written = std::fs::read(&out).expect("written");
        assert_eq!(written, docx::document(&report).expect("docx"), "{name}");
    }
}

/// The department's path: the filled Excel form becomes the Word report. Through the workbook
/// nothing is lost, so the document is the same as the one made from the JSON.
#[test]
fn a_filled_workbook_converts_to_the_same_word_document() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["seed-2023-daoli.json", "valid-2021.json", "valid-2019.json"] {
        let xlsx = dir.path().join("年报.xlsx");
        let from_xlsx = dir.path().join("从表格.docx");
        let from_json = dir.path().join("从JSON.docx");
        let (code, err) = xxgk(&["convert", path(&fixture(name)), "-o", path(&xlsx)]);
        assert_eq!(code, 0, "{err}");
        let (code, err) = xxgk(&["convert", path(&xlsx), "-o", path(&from_xlsx)]);
        assert_eq!(code, 0, "{err}");
        let (code, err) = xxgk(&["convert", path(&fixture(name)), "-o", path(&from_json)]);
        assert_eq!(code, 0, "{err}");
        let a = std::fs::read(&from_xlsx).expect("written");
        assert!(a.starts_with(b"PK"));
        assert_eq!(a, std::fs::read(&from_json).expect("written"), "{name}");
    }
}

#[test]
fn the_empty_form_is_written_as_word() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("表.docx");
    let (code, err) = xxgk(&[
        "template",
        "--agency",
        "某县交通运输局",
        "--year",
        "2025",
        "-o",
        path(&out),
    ]);
    assert_eq!(code, 0, "{err}");
    let want = docx::template(FormatVersion::V2021, Some("某县交通运输局"), Some(2025)).expect("template");
    assert_eq!(
        std::fs::read(&out).expect("written"),
        want,
        "a .docx output is the Word form"
    );

    // `--docx` whatever the name; the format version chooses the layout.
    let other = dir.path().join("空白表格");
    let (code, err) = xxgk(&["template", "--docx", "--format-version", "2019", "-o", path(&other)]);
    assert_eq!(code, 0, "{err}");
    let want = docx::template(FormatVersion::V2019, None, None).expect("template");
    assert_eq!(std::fs::read(&other).expect("written"), want);

    // Without either, the Excel template, which is not a Word document.
    let xlsx = dir.path().join("模板.xlsx");
    let (code, err) = xxgk(&["template", "-o", path(&xlsx)]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&xlsx).expect("written");
    assert!(bytes.starts_with(b"PK"));
    assert_ne!(
        bytes,
        docx::template(FormatVersion::V2021, None, None).expect("template")
    );
}

#[test]
fn word_takes_one_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("年报.docx");
    let (code, err) = xxgk(&[
        "convert",
        path(&fixture("valid-2021.json")),
        path(&fixture("valid-2019.json")),
        "-o",
        path(&out),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("只能导出一份报告"), "{err}");
    assert!(!out.exists(), "nothing is written");
}

/// Runs xxgk and gives its exit code and everything it printed.
fn xxgk_all(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .output()
        .expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// A Word report is validated like the workbook it came from: a valid one passes, and a broken
/// one fails with each cell named by its Word table, row and column.
#[test]
fn a_word_report_is_validated_with_table_row_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("年报.docx");
    let (code, err) = xxgk(&["convert", path(&fixture("valid-2021.json")), "-o", path(&good)]);
    assert_eq!(code, 0, "{err}");
    let (code, out) = xxgk_all(&["validate", path(&good)]);
    assert_eq!(code, 0, "{out}");
    assert!(
        !out.contains("IMPORT-"),
        "a report of ours reads without import findings: {out}"
    );

    let broken = dir.path().join("不平衡.docx");
    let (code, err) = xxgk(&["convert", path(&fixture("broken/T3-BAL.json")), "-o", path(&broken)]);
    assert_eq!(code, 0, "{err}");
    let (code, out) = xxgk_all(&["validate", path(&broken)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("T3-BAL"), "{out}");
    // Table 3 is the document's second table; row 4 is 一、本年新收…, column 4 自然人.
    assert!(out.contains("[表格2第4行第4列]"), "{out}");
    let (_, out) = xxgk_all(&["validate", "--lang", "en", path(&broken)]);
    assert!(out.contains("[表格2, row 4, column 4]"), "{out}");
}

/// Word → JSON keeps every cell: the document converts back to the report it was made from.
#[test]
fn a_word_report_converts_back_to_its_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = dir.path().join("年报.docx");
    let json = dir.path().join("年报.json");
    let (code, err) = xxgk(&["convert", path(&fixture("seed-2023-daoli.json")), "-o", path(&doc)]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = xxgk(&["convert", path(&doc), "-o", path(&json)]);
    assert_eq!(code, 0, "{err}");
    let want: Report =
        serde_json::from_str(&std::fs::read_to_string(fixture("seed-2023-daoli.json")).expect("fixture"))
            .expect("report");
    let got: Report = serde_json::from_str(&std::fs::read_to_string(&json).expect("written")).expect("report");
    assert_eq!(got.cells, want.cells);
    assert_eq!(got.meta.agency, want.meta.agency);
    assert_eq!(got.meta.year, want.meta.year);
}

/// A folder that mixes Word and Excel reports is aggregated; a legacy .doc in it is named as not
/// read, with what to do.
#[test]
fn a_folder_of_word_and_excel_reports_aggregates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("各单位");
    std::fs::create_dir(&folder).expect("folder");
    let (code, err) = xxgk(&[
        "convert",
        path(&fixture("seed-2023-daoli.json")),
        "-o",
        path(&folder.join("甲.docx")),
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::copy(fixture("example-2021.xlsx"), folder.join("乙.xlsx")).expect("copy");
    std::fs::write(folder.join("丙.doc"), b"\xD0\xCF\x11\xE0").expect("write");
    let out = dir.path().join("汇总.json");
    let (code, text) = xxgk_all(&["aggregate", path(&folder), "--to", "json", "-o", path(&out)]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("读取 2 份报告（通过 2"), "{text}");
    assert!(text.contains("丙.doc") && text.contains("另存为” .docx"), "{text}");
}

#[test]
fn a_failing_report_is_published_with_a_warning_unless_forced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("valid-2021.json")).expect("read")).expect("json");
    report["cells"]["t3.new_received.natural_person"] = serde_json::json!({"state": "number", "value": 81});
    let input = dir.path().join("错.json");
    std::fs::write(&input, report.to_string()).expect("write");
    for ext in ["docx", "html", "md"] {
        let out = dir.path().join(format!("年报.{ext}"));
        let (code, err) = xxgk(&["convert", path(&input), "-o", path(&out)]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("警告") && err.contains("--force"), "{ext}: {err}");
        assert!(out.exists(), "still written");
        let (code, err) = xxgk(&["convert", path(&input), "-o", path(&out), "--force"]);
        assert_eq!(code, 0);
        assert!(!err.contains("警告"), "{ext}: {err}");
    }
    // A report that holds, or a format not for publication, gets no warning.
    let out = dir.path().join("年报.docx");
    let (_, err) = xxgk(&["convert", path(&fixture("valid-2021.json")), "-o", path(&out)]);
    assert!(!err.contains("警告"), "{err}");
    let (_, err) = xxgk(&["convert", path(&input), "-o", path(&dir.path().join("x.json"))]);
    assert!(!err.contains("警告"), "{err}");
}
