//! Number formats that make a cell show its value otherwise than it is stored, found by a red
//! team: `;;;` hides 2, `0,` shows 12000 as 12, `0%` shows 2 as 200%, a date format shows 2 as
//! 1900-01-02. A value cell of the tables so formatted is not read: an error names the cell and
//! the format. Cells outside the tables (a date in the title area) are read as before. Each file
//! is built here from the example workbook: one more number format and cell style, given to
//! 表二!B5 (规章 × 本年制发件数, 2).
//!
//! LibreOffice (`soffice --headless --convert-to csv`, sheet 表二, 2026-11-30) shows B5 as
//! claimed: empty for `;;;` and for `0;-0;;@` on 0, `12` for `0,` on 12000, `200%` for `0%`,
//! `12` for `"1"0` on 2, `无` for `"无"`, `2 1/2` for `# ?/?` on 2.5 (`2` and spaces on 2: an
//! integer shows no fraction, and the format is refused all the same), and `1/1/1900` for the
//! built-in date format 14 on 2 (LibreOffice counts the days before 1900-03-01 one less than
//! Excel, which shows 01-02-00).

mod common;

use common::{EXAMPLE, edit, read};
use xxgk_import::Imported;
use xxgk_model::{Finding, Lang, Severity};

const STYLES: &str = "xl/styles.xml";
const T2: &str = "xl/worksheets/sheet2.xml";
const B5: &str = r#"<c r="B5" s="6"><v>2</v></c>"#;

/// The example with a cell style of number format `code` (as the built-in `id` when `code` is
/// none) added as style 11, and 表二!B5 holding `value` in that style.
fn formatted(code: Option<&str>, id: u32, value: &str) -> Vec<u8> {
    let styled = edit(EXAMPLE, STYLES, |s| {
        let mut s = s;
        if let Some(code) = code {
            let code = code.replace('&', "&amp;").replace('"', "&quot;");
            s = s.replacen(
                r#"<numFmts count="1">"#,
                &format!(r#"<numFmts count="2"><numFmt numFmtId="{id}" formatCode="{code}"/>"#),
                1,
            );
        }
        assert!(s.contains(r#"<cellXfs count="11">"#));
        s.replacen(r#"<cellXfs count="11">"#, r#"<cellXfs count="12">"#, 1).replacen(
            "</cellXfs>",
            &format!(
                r#"<xf numFmtId="{id}" fontId="2" fillId="0" borderId="1" xfId="0" applyNumberFormat="1"/></cellXfs>"#
            ),
            1,
        )
    });
    edit(&styled, T2, |s| {
        assert!(s.contains(B5));
        s.replacen(B5, &format!(r#"<c r="B5" s="11"><v>{value}</v></c>"#), 1)
    })
}

fn number(i: &Imported, id: &str) -> Option<String> {
    i.report.cell(id).value().map(|v| v.to_string())
}

fn findings(i: &Imported) -> Vec<&Finding> {
    i.findings.iter().filter(|f| f.rule == "IMPORT-NUMBER-FORMAT").collect()
}

/// Each format that shows B5 otherwise leaves it unread, with an error naming 表二!B5, the
/// format, and what to do; the cells beside it are read.
#[test]
fn a_value_cell_shown_otherwise_than_stored_is_not_read() {
    for (code, id, value, says) in [
        (Some(";;;"), 165, "2", "隐藏了数值"),
        (Some("0;-0;;@"), 165, "0", "隐藏了数值"),
        (Some("0,"), 165, "12000", "显示为“12”"),
        (Some("#,##0,,"), 165, "2000000", "缩小显示"),
        (Some("0%"), 165, "2", "显示为“200%”"),
        (None, 9, "2", "显示为“200%”"),
        (None, 14, "2", "显示为“1900-01-02”"),
        (Some("yyyy\"年\"m\"月\"d\"日\""), 165, "2", "日期或时间"),
        (None, 31, "2", "日期或时间"),
        (Some("[h]:mm"), 165, "2", "日期或时间"),
        (Some("\"1\"0"), 165, "2", "加写了数字"),
        (Some("0\"0\""), 165, "2", "加写了数字"),
        (Some("# ?/?"), 165, "2", "分数"),
        (Some("\"无\""), 165, "2", "显示为“无”"),
    ] {
        let i = read("f.xlsx", &formatted(code, id, value));
        let case = format!("{code:?} {id}");
        assert_eq!(number(&i, "t2.regulations.made"), None, "{case}");
        assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"), "{case}");
        let found = findings(&i);
        assert_eq!(found.len(), 1, "{case}: {:?}", i.findings);
        let f = found[0];
        assert_eq!(f.severity, Severity::Error, "{case}");
        let zh = f.text(Lang::Zh);
        let en = f.text(Lang::En);
        assert!(zh.contains("表二!B5") && zh.contains(says), "{case}: {zh}");
        assert!(zh.contains("请将单元格格式改为“常规”或“数值”"), "{zh}");
        assert!(zh.contains(&format!("存储的值为 {value}")), "{zh}");
        if let Some(code) = code {
            assert!(zh.contains(code), "{case}: {zh}");
        }
        assert!(en.contains("General or Number") && en.contains(value), "{en}");
        assert_eq!(f.cells.len(), 1);
        assert_eq!(f.cells[0].id.as_str(), "t2.regulations.made");
        let at = f.cells[0].location.as_ref().map(|l| l.display(Lang::Zh));
        assert_eq!(at.as_deref(), Some("表二!B5"), "{case}");
    }
}

/// Formats that show the number as stored (the ones departments use for counts and money) are
/// read as before, without a finding.
#[test]
fn plain_formats_read_as_before() {
    for (code, id) in [
        (Some("0"), 165),
        (None, 1),
        (None, 3),
        (Some("#,##0"), 165),
        (Some("0.00"), 165),
        (None, 49),
        (Some("#,##0\"万元\""), 165),
        (Some("G/通用格式"), 165),
        (Some("0;-0;;@"), 165),
        (Some("_ * #,##0_ ;_ * -#,##0_ ;_ * \"-\"_ ;_ @_ "), 165),
    ] {
        let i = read("f.xlsx", &formatted(code, id, "2"));
        assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"), "{code:?} {id}");
        assert!(findings(&i).is_empty(), "{code:?}: {:?}", i.findings);
    }
}

/// A date outside the tables (in the basic-information sheet, as a 填报日期 would be) makes
/// nothing fail.
#[test]
fn a_date_outside_the_tables_is_no_finding() {
    let styled = formatted(Some("yyyy-mm-dd"), 165, "2");
    // B5 back to its plain style; a date in the information sheet's row 30.
    let plain = edit(&styled, T2, |s| {
        s.replacen(r#"<c r="B5" s="11">"#, r#"<c r="B5" s="6">"#, 1)
    });
    let dated = edit(&plain, "xl/worksheets/sheet1.xml", |s| {
        s.replacen(
            "</sheetData>",
            r#"<row r="30"><c r="A30" s="11"><v>45292</v></c></row></sheetData>"#,
            1,
        )
    });
    let i = read("d.xlsx", &dated);
    assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"));
    assert!(findings(&i).is_empty(), "{:?}", i.findings);
    assert_eq!(i.report.meta.year, Some(2023));
}
