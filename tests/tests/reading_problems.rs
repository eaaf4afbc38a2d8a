//! A reading problem is never reported as the report's: a table the reader could not read is not
//! a table the report left empty.

use xxgk_import::{ImportOptions, import};
use xxgk_model::{CheckOptions, Finding, Status, TableId};
use xxgk_tests::fixtures;

fn checked(rel: &str) -> Vec<Finding> {
    let path = fixtures().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_string();
    let mut got = import(&name, &bytes, &ImportOptions::default()).expect("read");
    got.remove(0).checked(&CheckOptions::default()).1
}

/// 洪泽区 2023 through plain `pdftotext`: no order of table 4's values fits the identities (the
/// report's own totals do not add up), so the reader leaves the table unread (IMPORT-ORDER). The
/// report does print table 4: DOC-TABLES must not say “表四没有任何数据”.
#[test]
fn an_unread_table_is_not_an_empty_table() {
    let fs = checked("real/hongze-2023.pdftotext.txt");
    assert!(
        fs.iter()
            .any(|f| f.rule == "IMPORT-ORDER" && f.status == Status::Fail && f.cells.len() == 15)
    );
    let t4 = fs
        .iter()
        .find(|f| f.rule == "DOC-TABLES" && f.table == Some(TableId::T4))
        .expect("DOC-TABLES on table 4");
    assert_eq!(t4.status, Status::NotAssessable, "{}", t4.texts().zh);
    assert!(t4.texts().zh.contains("未能读取"), "{}", t4.texts().zh);
    // The same report through `-layout` prints table 4 in place: it holds data.
    let layout = checked("real/hongze-2023.pdftotext-layout.txt");
    assert!(
        !layout
            .iter()
            .any(|f| f.rule == "DOC-TABLES" && f.status != Status::Pass)
    );
}

/// A report whose tables really are blank still fails DOC-TABLES after import.
#[test]
fn a_report_that_left_its_tables_blank_still_fails() {
    let fs = checked("broken/DOC-TABLES.json");
    assert!(
        fs.iter().any(|f| f.rule == "DOC-TABLES" && f.status == Status::Fail),
        "{fs:#?}"
    );
}

fn cells(rel: &str) -> std::collections::BTreeMap<String, xxgk_model::Cell> {
    let path = fixtures().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_string();
    let got = import(&name, &bytes, &ImportOptions::default())
        .expect("read")
        .remove(0);
    got.report
        .cells
        .iter()
        .map(|(id, c)| (id.to_string(), c.clone()))
        .collect()
}

/// Every cell of the three real PDFs (not only the key figures of `expected.json`): what the plain
/// `pdftotext` text reads, in whatever order its values came, is what the `-layout` text reads in
/// place (淮安市: all 200 cells; 洪泽区: 186, （六） being printed as one row and read as the group's 7 cells). A cell the plain text
/// cannot place is unread, never different. 淮安市 2024 reads 190 of 200 so (all but the two
/// litigation groups).
#[test]
fn plain_pdf_text_never_disagrees_with_the_layout_text() {
    for (report, in_layout, at_least) in [
        ("huaian-2024", 200, 190),
        ("hongze-2023", 186, 40),
        ("hongze-2024", 186, 55),
    ] {
        let plain = cells(&format!("real/{report}.pdftotext.txt"));
        let layout = cells(&format!("real/{report}.pdftotext-layout.txt"));
        assert_eq!(layout.len(), in_layout, "{report}: cells the -layout text reads");
        let mut same = 0;
        for (id, c) in &plain {
            assert_eq!(Some(c), layout.get(id), "{report}: {id}");
            same += 1;
        }
        assert!(same >= at_least, "{report}: {same} cells read");
    }
}
