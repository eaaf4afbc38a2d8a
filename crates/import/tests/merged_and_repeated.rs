//! Two ways a grid could read a value the report does not show, found by a red team: a value
//! merged over several cells of a table (copied into each, or a covered cell's hidden value
//! read), and an official row printed twice (the first copy read, even a hidden one, and the
//! visible one called “not an official row”). Each file is built here from the example workbook
//! or from the Word document written from it.

mod common;

use common::{EXAMPLE, edit, read};
use xxgk_import::Imported;
use xxgk_model::{Cell, Finding, Lang, Severity};

/// 表二: B5 is 规章 × 本年制发件数 (2), C5 本年废止件数 (1), D5 现行有效件数 (15); B6 is 行政规范性文件
/// × 本年制发件数 (12); column E is outside the table.
const T2: &str = "xl/worksheets/sheet2.xml";

/// The example with the cells of 表二 replaced as given (`(old, new)` XML) and one more merged region.
fn merged(cells: &[(&str, &str)], region: &str) -> Vec<u8> {
    edit(EXAMPLE, T2, |mut s| {
        for (old, new) in cells {
            assert!(s.contains(old), "{old}");
            s = s.replacen(old, new, 1);
        }
        s.replacen(
            r#"<mergeCells count="12">"#,
            &format!(r#"<mergeCells count="13"><mergeCell ref="{region}"/>"#),
            1,
        )
    })
}

fn number(i: &Imported, id: &str) -> Option<String> {
    i.report.cell(id).value().map(|v| v.to_string())
}

fn findings<'a>(i: &'a Imported, rule: &str) -> Vec<&'a Finding> {
    i.findings.iter().filter(|f| f.rule == rule).collect()
}

fn named(f: &Finding) -> Vec<(String, String)> {
    f.cells
        .iter()
        .map(|c| {
            (
                c.id.as_str().to_string(),
                c.location.as_ref().map(|l| l.display(Lang::Zh)).unwrap_or_default(),
            )
        })
        .collect()
}

const C5: &str = r#"<c r="C5" s="6"><v>1</v></c>"#;
const D5: &str = r#"<c r="D5" s="6"><v>15</v></c>"#;
const B6: &str = r#"<c r="B6" s="6"><v>12</v></c>"#;

#[test]
fn the_example_reads_as_before() {
    let i = read("e.xlsx", EXAMPLE);
    assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"));
    // 行政许可's value merged over its own cell and two columns no value of its block is in.
    assert_eq!(number(&i, "t2.licensing.decisions").as_deref(), Some("1520"));
    assert!(
        i.findings
            .iter()
            .all(|f| f.rule != "IMPORT-MERGED-VALUE" && f.rule != "IMPORT-DUPLICATE-ROW"),
        "{:?}",
        i.findings
    );
}

/// One “2” merged over 本年制发件数 and 本年废止件数 was read as both: now neither is read, and
/// the region and both cells are named.
#[test]
fn a_value_merged_over_two_value_cells_is_refused() {
    let i = read("m.xlsx", &merged(&[(C5, r#"<c r="C5" s="6"/>"#)], "B5:C5"));
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(number(&i, "t2.regulations.repealed"), None);
    assert!(matches!(i.report.cell("t2.regulations.made"), Cell::Blank));
    assert_eq!(number(&i, "t2.regulations.in_force").as_deref(), Some("15"));
    let found = findings(&i, "IMPORT-MERGED-VALUE");
    assert_eq!(found.len(), 1, "{:?}", i.findings);
    let f = found[0];
    assert_eq!(f.severity, Severity::Error);
    assert!(f.text(Lang::Zh).starts_with("表二!B5:C5："), "{}", f.text(Lang::Zh));
    assert!(f.text(Lang::En).contains("spans 2 value cells"), "{}", f.text(Lang::En));
    assert_eq!(
        named(f),
        [
            ("t2.regulations.made".to_string(), "表二!B5".to_string()),
            ("t2.regulations.repealed".to_string(), "表二!C5".to_string()),
        ]
    );
    assert_eq!(
        i.sources
            .get("t2.regulations.repealed")
            .map(|l| l.display(Lang::Zh))
            .as_deref(),
        Some("表二!C5")
    );
}

/// The covered cell C5 still holds 9 in the file (Excel does not show it): it is never read.
#[test]
fn a_covered_cells_hidden_value_is_never_read() {
    let i = read("h.xlsx", &merged(&[(C5, r#"<c r="C5" s="6"><v>9</v></c>"#)], "B5:C5"));
    assert_eq!(number(&i, "t2.regulations.repealed"), None);
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(findings(&i, "IMPORT-MERGED-VALUE").len(), 1);
    // A value merged over its own cell and a column outside the table reads what is shown, not
    // the covered cell's hidden 7.
    let i = read(
        "spacer.xlsx",
        &merged(
            &[(D5, r#"<c r="D5" s="6"><v>15</v></c><c r="E5" s="6"><v>7</v></c>"#)],
            "D5:E5",
        ),
    );
    assert_eq!(number(&i, "t2.regulations.in_force").as_deref(), Some("15"));
    assert!(findings(&i, "IMPORT-MERGED-VALUE").is_empty(), "{:?}", i.findings);
}

/// B5:B6 merged: 规章 and 行政规范性文件 both read 2 before.
#[test]
fn a_value_merged_over_two_rows_is_refused() {
    let i = read("rows.xlsx", &merged(&[(B6, r#"<c r="B6" s="6"/>"#)], "B5:B6"));
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(number(&i, "t2.normative_docs.made"), None);
    assert_eq!(number(&i, "t2.normative_docs.repealed").as_deref(), Some("3"));
    let found = findings(&i, "IMPORT-MERGED-VALUE");
    assert_eq!(found.len(), 1, "{:?}", i.findings);
    assert_eq!(
        named(found[0]),
        [
            ("t2.regulations.made".to_string(), "表二!B5".to_string()),
            ("t2.normative_docs.made".to_string(), "表二!B6".to_string()),
        ]
    );
}

/// The example written as Word, with `edit` applied to its document part.
fn word(edit_xml: impl FnOnce(String) -> String) -> Vec<u8> {
    let report = read("e.xlsx", EXAMPLE).report;
    let docx = xxgk_export::docx::document(&report).expect("docx");
    edit(&docx, "word/document.xml", edit_xml)
}

/// The Word table row of 规章 written twice, the first copy changed by `first`.
fn twice(first: impl FnOnce(&str) -> String) -> impl FnOnce(String) -> String {
    |s: String| {
        let i = s.find(">规章<").expect("规章");
        let start = s[..i].rfind("<w:tr>").expect("row start");
        let end = i + s[i..].find("</w:tr>").expect("row end") + "</w:tr>".len();
        let row = s[start..end].to_string();
        let copy = first(&row);
        format!("{}{copy}{}", &s[..start], &s[start..])
    }
}

/// A hidden copy of 规章 with 99 above the visible row with 2: 99 was read, and the visible row
/// called not an official row. Now the row is read from neither and both copies are named.
#[test]
fn an_official_row_printed_twice_with_different_values_is_refused() {
    for hidden in [false, true] {
        let doc = word(twice(|row| {
            let row = row.replacen(">2</w:t>", ">99</w:t>", 1);
            if hidden {
                assert!(row.contains("<w:trPr>"), "{row}");
                row.replacen("<w:trPr>", "<w:trPr><w:hidden/>", 1)
            } else {
                row
            }
        }));
        let i = read("dup.docx", &doc);
        assert_eq!(number(&i, "t2.regulations.made"), None, "hidden {hidden}");
        assert_eq!(number(&i, "t2.regulations.repealed"), None);
        assert_eq!(number(&i, "t2.normative_docs.made").as_deref(), Some("12"));
        assert!(findings(&i, "IMPORT-EXTRA-ROW").is_empty(), "{:?}", i.findings);
        let found = findings(&i, "IMPORT-DUPLICATE-ROW");
        assert_eq!(found.len(), 1, "{:?}", i.findings);
        let f = found[0];
        assert_eq!(f.severity, Severity::Error);
        let zh = f.text(Lang::Zh);
        assert!(zh.starts_with("表格1第3行第1列、表格1第4行第1列："), "{zh}");
        assert!(zh.contains("99、1、15") && zh.contains("2、1、15"), "{zh}");
        assert_eq!(f.cells.len(), 3);
        assert!(f.cells.iter().all(|c| c.state == "blank"));
    }
}

/// Two copies that agree are read, with a warning naming both.
#[test]
fn an_official_row_printed_twice_alike_is_read_with_a_warning() {
    let i = read("same.docx", &word(twice(str::to_string)));
    assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"));
    assert_eq!(number(&i, "t2.regulations.in_force").as_deref(), Some("15"));
    assert!(findings(&i, "IMPORT-EXTRA-ROW").is_empty(), "{:?}", i.findings);
    let found = findings(&i, "IMPORT-DUPLICATE-ROW");
    assert_eq!(found.len(), 1, "{:?}", i.findings);
    assert_eq!(found[0].severity, Severity::Warning);
    let zh = found[0].text(Lang::Zh);
    assert!(
        zh.contains("表格1第3行第1列、表格1第4行第1列") && zh.contains("数值相同"),
        "{zh}"
    );
}
