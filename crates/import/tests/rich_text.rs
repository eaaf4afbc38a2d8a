//! Rich text read as it is shown: a cell whose runs are raised (a footnote mark) or struck
//! through, in a shared string or an inline string, is text with superscript digits or strokes
//! (`12¹`), reported on the cell, never the number calamine joins from the runs (121).

mod common;

use common::{EXAMPLE, edit, read, rezip, unzip};
use xxgk_model::Cell;

/// 表二!B5, 规章 × 本年制发件数 (2 in the example).
const B5: &str = r#"<c r="B5" s="6"><v>2</v></c>"#;
const SHEET: &str = "xl/worksheets/sheet2.xml";

fn b5(bytes: &[u8]) -> Cell {
    read("rich.xlsx", bytes).report.cell("t2.regulations.made").clone()
}

/// Runs of rich text: (run properties, text).
fn runs(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .map(|(props, text)| format!("<r><rPr>{props}</rPr><t>{text}</t></r>"))
        .collect()
}

/// The example with B5 an inline rich string of `parts`.
fn inline(parts: &[(&str, &str)]) -> Vec<u8> {
    edit(EXAMPLE, SHEET, |s| {
        s.replacen(
            B5,
            &format!(r#"<c r="B5" s="6" t="inlineStr"><is>{}</is></c>"#, runs(parts)),
            1,
        )
    })
}

/// The example with B5 a new shared string of `parts`.
fn shared(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut entries = unzip(EXAMPLE);
    let sst = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .expect("sst");
    let xml = String::from_utf8(std::mem::take(&mut sst.1)).expect("utf-8");
    let count = xml.matches("<si>").count();
    sst.1 = xml
        .replacen("</sst>", &format!("<si>{}</si></sst>", runs(parts)), 1)
        .into_bytes();
    let sheet = entries.iter_mut().find(|(n, _)| n == SHEET).expect("sheet");
    let xml = String::from_utf8(std::mem::take(&mut sheet.1)).expect("utf-8");
    assert!(xml.contains(B5));
    sheet.1 = xml
        .replacen(B5, &format!(r#"<c r="B5" s="6" t="s"><v>{count}</v></c>"#), 1)
        .into_bytes();
    rezip(&entries)
}

const SUP: &str = r#"<vertAlign val="superscript"/>"#;
const SUB: &str = r#"<vertAlign val="subscript"/>"#;
const STRIKE: &str = "<strike/>";

#[test]
fn raised_and_struck_runs_are_text_as_shown() {
    for build in [inline as fn(&[(&str, &str)]) -> Vec<u8>, shared] {
        for (parts, shown) in [
            (&[("", "12"), (SUP, "1")][..], "12¹"),
            (&[("", "12"), (SUB, "3")][..], "12₃"),
            (&[(STRIKE, "5"), ("", "2")][..], "5\u{336}2"),
        ] {
            match b5(&build(parts)) {
                Cell::Text { raw } => assert_eq!(raw, shown),
                other => panic!("{parts:?} read as {other:?}"),
            }
        }
        // Runs of the plain look, or a raised run without digits, read as their number.
        for parts in [
            &[("<b/>", "1"), ("", "2")][..],
            &[("", "12"), (r#"<vertAlign val="baseline"/>"#, "")][..],
            &[("<strike val=\"0\"/>", "12")][..],
        ] {
            assert_eq!(
                b5(&build(parts)).value().map(|v| v.to_string()),
                Some("12".into()),
                "{parts:?}"
            );
        }
    }
}
