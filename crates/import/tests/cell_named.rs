//! Files a red team built that xxgk already refused (exit 2), but with a message that named no
//! cell or was wrong: a shared-string index past the table (calamine's “Cell string index not
//! found”), a cell address written `$B$5`, an ods `office:value="2,5"` (calamine's “Parse float
//! error”), and an ods whose `mimetype` entry is compressed (called a damaged xlsx). Each now
//! names its sheet and cell, or is read as the ods it is.

mod common;

use common::{EXAMPLE, edit};
use xxgk_import::{ErrorKind, ImportError, ImportOptions, import};

const T2: &str = "xl/worksheets/sheet2.xml";
const B5: &str = r#"<c r="B5" s="6"><v>2</v></c>"#;

fn read_err(name: &str, bytes: &[u8]) -> ImportError {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(_) => panic!("{name} was read"),
        Err(e) => e,
    }
}

fn at(e: &ImportError) -> (Option<&str>, Option<&str>) {
    let l = e.location.as_deref();
    (l.and_then(|l| l.sheet.as_deref()), l.and_then(|l| l.cell.as_deref()))
}

fn with_b5(cell: &str) -> Vec<u8> {
    edit(EXAMPLE, T2, |s| {
        assert!(s.contains(B5));
        s.replacen(B5, cell, 1)
    })
}

#[test]
fn a_shared_string_index_past_the_table_names_its_cell() {
    let e = read_err("oob.xlsx", &with_b5(r#"<c r="B5" s="6" t="s"><v>99999</v></c>"#));
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(at(&e), (Some("表二"), Some("B5")), "{e}");
    assert!(
        e.message.zh.contains("99999") && e.message.zh.contains("共享字符串"),
        "{e}"
    );
    assert!(e.message.en.contains("past the shared-string table"), "{e}");
}

#[test]
fn an_address_not_in_a1_form_names_its_cell() {
    let e = read_err("abs.xlsx", &with_b5(r#"<c r="$B$5" s="6"><v>2</v></c>"#));
    assert_eq!(at(&e), (Some("表二"), Some("B5")), "{e}");
    assert!(e.message.zh.contains("“$B$5”"), "{e}");
    // An address that names no cell at all: the cell is named where it stands (after A5).
    let e = read_err("bad.xlsx", &with_b5(r#"<c r="B-5" s="6"><v>2</v></c>"#));
    assert_eq!(at(&e), (Some("表二"), Some("B5")), "{e}");
    assert!(e.message.en.contains("“B-5”"), "{e}");
    // A row number that is no number.
    let e = read_err(
        "row.xlsx",
        &edit(EXAMPLE, T2, |s| s.replacen(r#"<row r="5" "#, r#"<row r="$5" "#, 1)),
    );
    assert_eq!(at(&e).0, Some("表二"), "{e}");
    assert!(e.message.zh.contains("行号写作“$5”"), "{e}");
}

/// An ods of one sheet 表二 whose B2 holds `office:value="{value}"`; its `mimetype` entry
/// compressed when `deflated_mimetype`.
fn ods(value: &str, deflated_mimetype: bool) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="表二"><table:table-row><table:table-cell office:value-type="string"><text:p>规章</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    common::ods_file(&content, None, deflated_mimetype)
}

#[test]
fn an_ods_value_that_is_no_number_names_its_cell() {
    let e = read_err("comma.ods", &ods("2,5", false));
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(at(&e), (Some("表二"), Some("B2")), "{e}");
    assert!(
        e.message.zh.contains("“2,5”") && e.message.en.contains("office:value"),
        "{e}"
    );
}

/// A compressed `mimetype` entry: the file is read as the ods it is (here, to the cell that
/// stops it), not called a damaged xlsx.
#[test]
fn an_ods_with_a_compressed_mimetype_is_read_as_ods() {
    let e = read_err("deflated.ods", &ods("2,5", true));
    assert_eq!(at(&e), (Some("表二"), Some("B2")), "{e}");
    assert!(!e.message.en.contains("xlsx file"), "{e}");
    // A valid one reads as far as its tables (none here).
    let e = read_err("deflated.ods", &ods("2", true));
    assert_eq!(e.kind, ErrorKind::Missing, "{e}");
}
