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
//! Excel, which shows 01-02-00), `20` for `0"0"` on 2, and empty for `#,###` on 0.

mod common;

use common::{EXAMPLE, edit, example_ods, read};
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

/// A zero a format shows as a blank (`0;-0;;@`, `#,###`, `;;;`) is read as the 0 it is, as on a
/// sheet that hides its zeros: the blank is the count a reader of the table takes from it.
/// LibreOffice shows B5 empty in each.
#[test]
fn a_zero_shown_blank_is_read_as_the_zero_it_is() {
    for code in ["0;-0;;@", "#,###", ";;;", "#,##0;-#,##0;"] {
        let i = read("z.xlsx", &formatted(Some(code), 165, "0"));
        assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("0"), "{code}");
        assert!(findings(&i).is_empty(), "{code}: {:?}", i.findings);
    }
}

/// A sheet read with its formulas (one is stored without its result) is looked at too: the
/// formula reader gives no style, so the sheet's styles are read in a second pass.
#[test]
fn a_sheet_read_with_its_formulas_is_checked_too() {
    let styled = formatted(Some("0%"), 165, "2");
    let with_formula = edit(&styled, T2, |s| {
        s.replacen(
            "</sheetData>",
            r#"<row r="40"><c r="H40"><f>1+1</f></c></row></sheetData>"#,
            1,
        )
    });
    let i = read("f.xlsx", &with_formula);
    assert_eq!(number(&i, "t2.regulations.made"), None);
    let found = findings(&i);
    assert_eq!(found.len(), 1, "{:?}", i.findings);
    assert!(found[0].text(Lang::Zh).contains("表二!B5"));
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

// ───────────────────────────── ods ─────────────────────────────
//
// LibreOffice writes the number formats a user chooses as data styles in `styles.xml`, and the
// cell styles naming them in `content.xml` (the example, saved as ods by LibreOffice after each
// change above, does so: `;;;` becomes a text style whose conditions map to empty number styles,
// `0,` a `number:display-factor` of 1000, `"1"0` a `number:text` of 1). Those files gave the
// same findings as their xlsx; the ones below are built here.

const FLOAT_2: &str = r#"office:value-type="float" office:value="2""#;

#[test]
fn ods_cells_shown_otherwise_are_not_read() {
    let styled = |attrs: &str| format!(r#"table:style-name="ce1" {attrs}"#);
    for (data, b5, t2_columns, says) in [
        (
            r#"<number:percentage-style style:name="N1"><number:number number:decimal-places="0"/><number:text>%</number:text></number:percentage-style>"#,
            styled(FLOAT_2),
            "",
            "显示为“200%”",
        ),
        (
            "",
            r#"office:value-type="percentage" office:value="2""#.to_string(),
            "",
            "显示为“200%”",
        ),
        (
            r#"<number:number-style style:name="N1"><number:number number:decimal-places="0" number:display-factor="1000"/></number:number-style>"#,
            styled(r#"office:value-type="float" office:value="12000""#),
            "",
            "显示为“12”",
        ),
        (
            r#"<number:number-style style:name="N1P0" style:volatile="true"/><number:text-style style:name="N1"><number:text-content/><style:map style:condition="value()&gt;0" style:apply-style-name="N1P0"/></number:text-style>"#,
            styled(FLOAT_2),
            "",
            "隐藏了数值",
        ),
        (
            r#"<number:number-style style:name="N1"><number:text>1</number:text><number:number number:decimal-places="0"/></number:number-style>"#,
            styled(FLOAT_2),
            "",
            "加写了数字",
        ),
        (
            r#"<number:date-style style:name="N1"><number:year/><number:text>-</number:text><number:month/></number:date-style>"#,
            styled(FLOAT_2),
            "",
            "日期或时间",
        ),
        (
            r#"<number:number-style style:name="N1"><number:text>无</number:text></number:number-style>"#,
            styled(FLOAT_2),
            "",
            "显示为“无”",
        ),
        (
            r#"<number:number-style style:name="N1"><number:number number:decimal-places="0"><number:embedded-text number:position="1">0</number:embedded-text></number:number></number:number-style>"#,
            styled(FLOAT_2),
            "",
            "加写了数字",
        ),
        // The style comes from the column: 表二's column B.
        (
            r#"<number:percentage-style style:name="N1"><number:number number:decimal-places="0"/><number:text>%</number:text></number:percentage-style>"#,
            FLOAT_2.to_string(),
            r#"<table:table-column/><table:table-column table:default-cell-style-name="ce1"/><table:table-column table:number-columns-repeated="3"/>"#,
            "200%",
        ),
    ] {
        let i = read("f.ods", &example_ods(data, &b5, t2_columns));
        assert_eq!(number(&i, "t2.regulations.made"), None, "{b5} {data}");
        assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"), "{data}");
        let found = findings(&i);
        let zh = found[0].text(Lang::Zh);
        assert!(zh.contains("表二!B5") && zh.contains(says), "{data}: {zh}");
        if t2_columns.is_empty() {
            assert_eq!(found.len(), 1, "{data}: {:?}", i.findings);
        } else {
            // Every value of the column is in the column's style: each is named, none read.
            assert!(found.len() > 1 && found.iter().all(|f| f.text(Lang::Zh).starts_with("表二!B")));
            assert_eq!(number(&i, "t2.normative_docs.made"), None);
        }
    }
}

/// LibreOffice's `0;-0;;@`: a text style mapping positive and negative numbers to number
/// styles and zero to an empty one. Only the zero is blank, and it is read as 0; a number is
/// read as shown. (Judged as a whole before, every value in the style was refused.)
#[test]
fn an_ods_style_that_hides_only_zeros_reads_every_value() {
    let data = r#"<number:number-style style:name="N1P0" style:volatile="true"><number:number number:decimal-places="0"/></number:number-style><number:number-style style:name="N1P1" style:volatile="true"><number:text>-</number:text><number:number number:decimal-places="0"/></number:number-style><number:number-style style:name="N1P2" style:volatile="true"/><number:text-style style:name="N1"><number:text-content/><style:map style:condition="value()&gt;0" style:apply-style-name="N1P0"/><style:map style:condition="value()&lt;0" style:apply-style-name="N1P1"/><style:map style:condition="value()=0" style:apply-style-name="N1P2"/></number:text-style>"#;
    for value in ["2", "0"] {
        let b5 = format!(r#"table:style-name="ce1" office:value-type="float" office:value="{value}""#);
        let i = read("z.ods", &example_ods(data, &b5, ""));
        assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some(value));
        assert!(findings(&i).is_empty(), "{value}: {:?}", i.findings);
    }
    // A map on a bound other than zero is a condition: the number it may hide is refused.
    let bound = data
        .replace("value()&gt;0", "value()&gt;5")
        .replace("N1P0\"/><style:map", "N1P2\"/><style:map");
    let i = read(
        "b.ods",
        &example_ods(&bound, &format!(r#"table:style-name="ce1" {FLOAT_2}"#), ""),
    );
    assert_eq!(number(&i, "t2.regulations.made"), None, "{:?}", i.findings);
}

#[test]
fn ods_plain_formats_and_dates_outside_the_tables_read_as_before() {
    let plain = r#"<number:number-style style:name="N1"><number:number number:decimal-places="0" number:min-integer-digits="1"/></number:number-style>"#;
    let i = read(
        "p.ods",
        &example_ods(plain, &format!(r#"table:style-name="ce1" {FLOAT_2}"#), ""),
    );
    assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"));
    assert!(findings(&i).is_empty(), "{:?}", i.findings);
    // A date format on a column outside the table (表二's column H, holding 45292) is never
    // looked at.
    let date = r#"<number:date-style style:name="N1"><number:year/><number:text>-</number:text><number:month/></number:date-style>"#;
    let columns = r#"<table:table-column table:number-columns-repeated="7"/><table:table-column table:default-cell-style-name="ce1"/>"#;
    let i = read("o.ods", &example_ods(date, FLOAT_2, columns));
    assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"));
    assert!(findings(&i).is_empty(), "{:?}", i.findings);
}
