//! Spreadsheet cells (xlsx, ods) that do not show the number they store, by their look rather than their number
//! format: a font coloured as the cell's background, and conditional formats that set a white
//! font, a number format or a data bar without its value. A value cell of the tables so shown
//! is not read, with an error naming the cell and what hides it; a zero shown blank is read as
//! 0, as on a sheet that hides its zeros. Each file is built here from the example workbook
//! (表二!B5 is 规章 × 本年制发件数, 2; C5 is 本年废止件数, 1).

mod common;

use common::{EXAMPLE, edit, example_ods, read, saved_by_libreoffice};
use xxgk_import::Imported;
use xxgk_model::{Lang, Severity};

const STYLES: &str = "xl/styles.xml";
const T2: &str = "xl/worksheets/sheet2.xml";
const B5: &str = r#"<c r="B5" s="6"><v>2</v></c>"#;

fn number(i: &Imported, id: &str) -> Option<String> {
    i.report.cell(id).value().map(|v| v.to_string())
}

/// Asserts that no cell was refused and 表二!B5 reads as the 2 it holds.
fn reads_as_stored(i: &Imported) {
    assert!(refusals(i).is_empty(), "{:?}", i.findings);
    assert_eq!(number(i, "t2.regulations.made").as_deref(), Some("2"));
}

fn refusals(i: &Imported) -> Vec<(String, String)> {
    i.findings
        .iter()
        .filter(|f| f.rule == "IMPORT-STYLE" || f.rule == "IMPORT-NUMBER-FORMAT")
        .map(|f| (f.rule.to_string(), f.text(Lang::Zh).into_owned()))
        .collect()
}

/// The example with font `font` (and fill `fill`, when given) in a new cell style 11 given to
/// 表二!B5, which holds `value`.
fn coloured(font: &str, fill: Option<&str>, value: &str) -> Vec<u8> {
    let styled = edit(EXAMPLE, STYLES, |s| {
        let s = s.replacen(r#"<fonts count="7">"#, r#"<fonts count="8">"#, 1).replacen(
            "</fonts>",
            &format!(r#"<font><sz val="10.5"/>{font}<name val="宋体"/></font></fonts>"#),
            1,
        );
        let fill_id = match fill {
            Some(fill) => {
                let s2 = format!(r#"<fill><patternFill patternType="solid">{fill}</patternFill></fill></fills>"#);
                return s
                    .replacen(r#"<fills count="3">"#, r#"<fills count="4">"#, 1)
                    .replacen("</fills>", &s2, 1)
                    .replacen(r#"<cellXfs count="11">"#, r#"<cellXfs count="12">"#, 1)
                    .replacen(
                        "</cellXfs>",
                        r#"<xf numFmtId="0" fontId="7" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1"/></cellXfs>"#,
                        1,
                    );
            }
            None => 0,
        };
        s.replacen(r#"<cellXfs count="11">"#, r#"<cellXfs count="12">"#, 1)
            .replacen(
                "</cellXfs>",
                &format!(
                    r#"<xf numFmtId="0" fontId="7" fillId="{fill_id}" borderId="1" xfId="0" applyFont="1"/></cellXfs>"#
                ),
                1,
            )
    });
    edit(&styled, T2, |s| {
        assert!(s.contains(B5));
        s.replacen(B5, &format!(r#"<c r="B5" s="11"><v>{value}</v></c>"#), 1)
    })
}

#[test]
fn a_number_in_a_font_coloured_as_its_background_is_not_read() {
    for (font, fill) in [
        (r#"<color rgb="FFFFFFFF"/>"#, None),
        (r#"<color theme="0"/>"#, None),
        (
            r#"<color rgb="FFFFFF00"/>"#,
            Some(r#"<fgColor rgb="FFFFFF00"/><bgColor indexed="64"/>"#),
        ),
    ] {
        let i = read("w.xlsx", &coloured(font, fill, "2"));
        assert_eq!(number(&i, "t2.regulations.made"), None, "{font}");
        assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"));
        let found = refusals(&i);
        assert_eq!(found.len(), 1, "{font}: {:?}", i.findings);
        assert_eq!(found[0].0, "IMPORT-STYLE");
        assert!(
            found[0].1.starts_with("表二!B5") && found[0].1.contains("字体颜色"),
            "{}",
            found[0].1
        );
        let f = i.findings.iter().find(|f| f.rule == "IMPORT-STYLE").expect("finding");
        assert_eq!(f.severity, Severity::Error);
        assert!(f.text(Lang::En).contains("cannot be seen"));
        // A zero so hidden is the blank a reader takes for 0.
        let i = read("z.xlsx", &coloured(font, fill, "0"));
        assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("0"));
        assert!(refusals(&i).is_empty(), "{:?}", i.findings);
    }
}

#[test]
fn a_font_that_can_be_seen_reads_as_before() {
    for (font, fill) in [
        (r#"<color rgb="FFFFFFFF"/>"#, Some(r#"<fgColor rgb="FF000000"/>"#)),
        (r#"<color rgb="FFFF0000"/>"#, None),
        (r#"<color theme="1"/>"#, Some(r#"<fgColor rgb="FFF2F2F2"/>"#)),
        ("", None),
    ] {
        let i = read("s.xlsx", &coloured(font, fill, "2"));
        assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some("2"), "{font}");
        assert!(refusals(&i).is_empty(), "{font}: {:?}", i.findings);
    }
}

/// The example with differential formats `dxfs` (from id 1) and, on 表二, the conditional formats
/// `conditional` (placed where the schema puts them) and `ext` at the end of the sheet.
fn conditional(dxfs: &str, conditional: &str, ext: &str) -> Vec<u8> {
    let styled = edit(EXAMPLE, STYLES, |s| {
        // The template's own (dxf 0, red on pink for its check column) comes first.
        assert!(s.contains(r#"<dxfs count="1">"#));
        s.replacen(r#"<dxfs count="1">"#, r#"<dxfs count="2">"#, 1)
            .replacen("</dxfs>", &format!("{dxfs}</dxfs>"), 1)
    });
    edit(&styled, T2, |s| {
        assert!(s.contains("<dataValidations"));
        let s = s.replacen("<dataValidations", &format!("{conditional}<dataValidations"), 1);
        s.replacen("</worksheet>", &format!("{ext}</worksheet>"), 1)
    })
}

/// The example with a white font over `range` of 表二 where a cell equals `n`.
fn white_where_equal(range: &str, n: u32) -> Vec<u8> {
    conditional(
        r#"<dxf><font><color rgb="FFFFFFFF"/></font></dxf>"#,
        &format!(
            r#"<conditionalFormatting sqref="{range}"><cfRule type="cellIs" dxfId="1" priority="1" operator="equal"><formula>{n}</formula></cfRule></conditionalFormatting>"#
        ),
        "",
    )
}

#[test]
fn a_conditional_format_that_hides_a_number_leaves_it_unread() {
    // Equal to 2: B5 (2) is hidden, C5 (1) is not.
    let i = read("c.xlsx", &white_where_equal("B5:E6", 2));
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"));
    let found = refusals(&i);
    assert!(
        !found.is_empty() && found.iter().all(|(r, _)| r == "IMPORT-STYLE"),
        "{found:?}"
    );
    assert!(
        found[0].1.starts_with("表二!B5") && found[0].1.contains("B5:E6") && found[0].1.contains("等于 2"),
        "{found:?}"
    );
    assert!(found[0].1.contains("请删除或修改该条件格式"));

    // The common way to hide zeros: every value is read, the zeros as 0.
    let i = read("z.xlsx", &white_where_equal("B5:E9", 0));
    reads_as_stored(&i);
}

/// The same conditional format saved by LibreOffice as xls (CFHEADER and CF records) is found
/// there too; zeros hidden the same way still read as 0.
#[test]
fn an_xls_conditional_format_that_hides_a_number_leaves_it_unread() {
    let Some(xls) = saved_by_libreoffice(&white_where_equal("B5:E6", 2), "xlsx", "xls") else {
        return;
    };
    let i = read("c.xls", &xls);
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"));
    let found = refusals(&i);
    assert!(
        found.len() == 1 && found[0].0 == "IMPORT-STYLE" && found[0].1.starts_with("表二!B5"),
        "{found:?}"
    );
    assert!(
        found[0].1.contains("B5:E6") && found[0].1.contains("等于 2"),
        "{found:?}"
    );
    let Some(xls) = saved_by_libreoffice(&white_where_equal("B5:E9", 0), "xlsx", "xls") else {
        return;
    };
    let i = read("z.xls", &xls);
    reads_as_stored(&i);
}

#[test]
fn a_conditional_number_format_or_data_bar_is_judged_where_it_may_apply() {
    // A formula condition may hold anywhere: a number format it sets that shows a number
    // otherwise leaves the range's numbers unread (zeros aside).
    let i = read(
        "f.xlsx",
        &conditional(
            r#"<dxf><numFmt numFmtId="170" formatCode="0,"/></dxf>"#,
            r#"<conditionalFormatting sqref="B5"><cfRule type="expression" dxfId="1" priority="1"><formula>$B$5&gt;1</formula></cfRule></conditionalFormatting>"#,
            "",
        ),
    );
    assert_eq!(number(&i, "t2.regulations.made"), None);
    let found = refusals(&i);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "IMPORT-NUMBER-FORMAT");
    assert!(
        found[0].1.contains("“0,”") && found[0].1.contains("expression"),
        "{found:?}"
    );

    // A data bar that shows no number.
    let i = read(
        "d.xlsx",
        &conditional(
            "",
            r#"<conditionalFormatting sqref="B5"><cfRule type="dataBar" priority="1"><dataBar showValue="0"><cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar></cfRule></conditionalFormatting>"#,
            "",
        ),
    );
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert!(refusals(&i)[0].1.contains("数据条"));

    // Excel 2010's rules in the sheet's extension list, with the format inline.
    let i = read(
        "x.xlsx",
        &conditional(
            "",
            "",
            r#"<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="cellIs" priority="1" operator="greaterThan" id="{1}"><xm:f>1</xm:f><x14:dxf><font><color rgb="FFFFFFFF"/></font></x14:dxf></x14:cfRule><xm:sqref>B5:C5</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"#,
        ),
    );
    assert_eq!(number(&i, "t2.regulations.made"), None);
    assert_eq!(number(&i, "t2.regulations.repealed").as_deref(), Some("1"));
}

/// A data bar and an icon set that show no number, saved by LibreOffice as ods: it writes them
/// only in its own `calcext:conditional-formats` (no cell style's map), the icon set's
/// `show-value` on its first entry. Their numbers are refused as in the xlsx; the same formats
/// showing the number refuse nothing.
#[test]
fn an_ods_data_bar_or_icon_set_without_the_number_leaves_it_unread() {
    let bars = |shows: &str| {
        conditional(
            "",
            &format!(
                r#"<conditionalFormatting sqref="B5:C5"><cfRule type="dataBar" priority="1"><dataBar showValue="{shows}"><cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar></cfRule></conditionalFormatting><conditionalFormatting sqref="D5"><cfRule type="iconSet" priority="2"><iconSet iconSet="3Arrows" showValue="{shows}"><cfvo type="percent" val="0"/><cfvo type="percent" val="33"/><cfvo type="percent" val="67"/></iconSet></cfRule></conditionalFormatting>"#
            ),
            "",
        )
    };
    let Some(ods) = saved_by_libreoffice(&bars("0"), "xlsx", "ods") else {
        return;
    };
    let i = read("d.ods", &ods);
    for id in [
        "t2.regulations.made",
        "t2.regulations.repealed",
        "t2.regulations.in_force",
    ] {
        assert_eq!(number(&i, id), None, "{id}: {:?}", i.findings);
    }
    let found = refusals(&i);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|(rule, _)| rule == "IMPORT-STYLE"), "{found:?}");
    assert!(
        found[0].1.starts_with("表二!B5") && found[0].1.contains("表二.B5:表二.C5") && found[0].1.contains("数据条"),
        "{found:?}"
    );
    assert!(
        found[2].1.starts_with("表二!D5") && found[2].1.contains("icon-set"),
        "{found:?}"
    );

    let Some(ods) = saved_by_libreoffice(&bars("1"), "xlsx", "ods") else {
        return;
    };
    let i = read("s.ods", &ods);
    reads_as_stored(&i);
}

/// Conditions LibreOffice keeps only in its own `calcext:conditional-formats` (top 10, duplicates,
/// text: no cell style's map can say them) that apply a white font, saved by LibreOffice as ods
/// from the xlsx: the numbers they may hide are refused there too, and a comparison that does
/// not hold refuses nothing.
#[test]
fn ods_conditions_without_a_style_map_that_hide_a_number() {
    let xlsx = conditional(
        r#"<dxf><font><color rgb="FFFFFFFF"/></font></dxf>"#,
        concat!(
            r#"<conditionalFormatting sqref="B5"><cfRule type="top10" dxfId="1" priority="1" rank="1"/></conditionalFormatting>"#,
            r#"<conditionalFormatting sqref="C5"><cfRule type="duplicateValues" dxfId="1" priority="2"/></conditionalFormatting>"#,
            r#"<conditionalFormatting sqref="D5"><cfRule type="containsText" dxfId="1" priority="3" operator="containsText" text="1"><formula>NOT(ISERROR(SEARCH("1",D5)))</formula></cfRule></conditionalFormatting>"#,
            r#"<conditionalFormatting sqref="B6"><cfRule type="cellIs" dxfId="1" priority="4" operator="equal"><formula>5</formula></cfRule></conditionalFormatting>"#,
        ),
        "",
    );
    let Some(ods) = saved_by_libreoffice(&xlsx, "xlsx", "ods") else {
        return;
    };
    let i = read("t.ods", &ods);
    for id in [
        "t2.regulations.made",
        "t2.regulations.repealed",
        "t2.regulations.in_force",
    ] {
        assert_eq!(number(&i, id), None, "{id}: {:?}", i.findings);
    }
    // B6 holds 12, not 5.
    assert_eq!(number(&i, "t2.normative_docs.made").as_deref(), Some("12"));
    let found = refusals(&i);
    assert_eq!(found.len(), 3, "{found:?}");
    for ((rule, text), (cell, kind)) in
        found
            .iter()
            .zip([("B5", "top-elements"), ("C5", "duplicate"), ("D5", "contains-text")])
    {
        assert_eq!(rule, "IMPORT-STYLE");
        assert!(
            text.starts_with(&format!("表二!{cell}")) && text.contains(kind) && text.contains("#FFFFFF"),
            "{found:?}"
        );
    }
}

/// ods: a cell style's text colour against its background, through its parents, and a map to a
/// style of white text on a condition, as LibreOffice writes a conditional format beside its own
/// `calcext:conditional-formats` (a workbook it saved from each xlsx case above gives these).
#[test]
fn ods_cell_styles_that_hide_a_number() {
    let styles = r##"<style:style style:name="Default" style:family="table-cell"/>
        <style:style style:name="White" style:family="table-cell" style:parent-style-name="Default"><style:text-properties fo:color="#ffffff"/></style:style>
        <style:style style:name="WhiteBelow" style:family="table-cell" style:parent-style-name="White"><style:table-cell-properties fo:background-color="transparent"/></style:style>
        <style:style style:name="OnBlack" style:family="table-cell" style:parent-style-name="White"><style:table-cell-properties fo:background-color="#000000"/></style:style>
        <style:style style:name="Cond" style:family="table-cell" style:parent-style-name="Default"><style:map style:condition="cell-content()=2" style:apply-style-name="White" style:base-cell-address="表二.B5"/></style:style>"##;
    let b5 = |style: &str, value: &str| {
        format!(r#"table:style-name="{style}" office:value-type="float" office:value="{value}""#)
    };
    for (style, value, hidden) in [
        ("White", "2", true),
        ("WhiteBelow", "2", true),
        ("White", "0", false),
        ("OnBlack", "2", false),
        ("Cond", "2", true),
        ("Cond", "3", false),
    ] {
        let i = read("l.ods", &example_ods(styles, &b5(style, value), ""));
        let case = format!("{style} {value}");
        let found = refusals(&i);
        if hidden {
            assert_eq!(number(&i, "t2.regulations.made"), None, "{case}");
            assert_eq!(found.len(), 1, "{case}: {found:?}");
            assert!(found[0].1.starts_with("表二!B5"), "{case}: {found:?}");
            if style == "Cond" {
                assert!(
                    found[0].1.contains("“Cond”") && found[0].1.contains("等于 2"),
                    "{found:?}"
                );
            }
        } else {
            assert_eq!(number(&i, "t2.regulations.made").as_deref(), Some(value), "{case}");
            assert!(found.is_empty(), "{case}: {found:?}");
        }
    }
}
