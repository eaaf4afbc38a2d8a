//! Department workbooks in the layouts that real departments send (issue 13): the year only in
//! the file name or its folder, a title row in the middle of the sheet, "机关名称：某局（2023年度）"
//! in one cell, "报告年度：2023年", formulas stored without their results, tables only, one
//! table per sheet on four sheets, row labels flattened with blanks, full-width digits and
//! numbers typed as text, .xls, .ods and .xlsm files, and templates that print （三）–（六） as
//! one row each.
//!
//! Each workbook is generated here from one report (the valid 2021 fixture, with placeholders
//! and an annotated number added) and imported; every cell of the three tables is compared with
//! what was written, and [`check_metadata`] asserts the year and agency each layout carries.

use xxgk_import::formula::{COMPUTED_RULE, UNCOMPUTED_RULE};
use xxgk_import::{ImportError, ImportOptions, Imported, import};
use xxgk_model::{Cell, Report, catalogue};
use xxgk_tests::layouts::{Expect, Kind, Layout, layouts, ods, report, xls, xlsm, xlsx};

// ───────────────────────────── Year and agency (issue 13, item 1) ─────────────────────────────

/// Every layout gives the year and agency it carries, wherever it puts them: any cell, a title
/// row in the middle, "（2023年度）", "报告年度：", a sheet, the file name or its folder.
fn check_metadata(layout: &Layout, result: &Result<Vec<Imported>, ImportError>) {
    match result {
        Ok(v) => {
            let meta = &v[0].report.meta;
            assert_eq!(meta.year, Some(layout.year), "{}: year", layout.name);
            assert_eq!(meta.agency, layout.agency, "{}: agency", layout.name);
            assert!(meta.origins.year.is_some(), "{}: where the year came from", layout.name);
        }
        Err(e) => panic!("{}: {e}", layout.name),
    }
}

/// How one layout read.
#[derive(Debug, Default)]
struct Count {
    right: usize,
    unread: usize,
    wrong: Vec<String>,
}

/// Reads a layout and compares every catalogue cell with what was written.
fn read_layout(layout: &Layout, report: &Report) -> Option<(Count, Vec<xxgk_model::Finding>)> {
    let mut expect = Expect::new();
    let sheets = (layout.build)(report, &mut expect);
    let bytes = match layout.kind {
        Kind::Xlsx => xlsx(&sheets),
        Kind::Xlsm => xlsm(&sheets),
        Kind::Ods => ods(&sheets),
        Kind::Xls => xls(&sheets)?,
    };
    let version = report.meta.format;
    let result = import(layout.file, &bytes, &ImportOptions::default());
    check_metadata(layout, &result);
    let Ok(mut v) = result else {
        return None;
    };
    let imported = v.remove(0);
    assert_eq!(imported.report.meta.format, version, "{}", layout.name);
    let (cells, findings) = (imported.report.cells, imported.findings);
    let mut count = Count::default();
    // The form's cells and the groups' (blank unless a layout prints a group as one row).
    for def in catalogue(version).all_cells() {
        let want = expect.get(&def.id).unwrap_or(&Cell::Blank);
        let got = cells.get(&def.id);
        if got == want {
            count.right += 1;
        } else if *got == Cell::Blank {
            count.unread += 1;
            count.wrong.push(format!("{} unread (want {want:?})", def.id));
        } else {
            count.wrong.push(format!("{}: got {got:?}, want {want:?}", def.id));
        }
    }
    Some((count, findings))
}

#[test]
fn every_layout_reads_cell_by_cell() {
    let mut table = Vec::new();
    for layout in layouts() {
        let report = report(layout.year);
        let Some((count, findings)) = read_layout(&layout, &report) else {
            table.push(format!("{:32} skipped (no LibreOffice)", layout.name));
            continue;
        };
        table.push(format!(
            "{:32} right {:3}  unread {:3}  wrong {:3}",
            layout.name,
            count.right,
            count.unread,
            count.wrong.len() - count.unread
        ));
        assert!(count.wrong.is_empty(), "{}: {:#?}", layout.name, count.wrong);
        // No finding says a cell could not be read, and only the formula layouts have notes on
        // computed cells.
        assert!(
            findings.iter().all(|f| f.rule != UNCOMPUTED_RULE),
            "{}: {findings:?}",
            layout.name
        );
        // A group printed as one row is named once, with the sub-rows it leaves blank.
        let groups = findings.iter().filter(|f| f.rule == "IMPORT-GROUP-ROW").count();
        let printed = match layout.name {
            "groups-as-one-row" => 4,
            "format-2019-groups-as-one-row" => 3,
            _ => 0,
        };
        assert_eq!(groups, printed, "{}: {findings:?}", layout.name);
        let computed = findings.iter().filter(|f| f.rule == COMPUTED_RULE).count();
        let formulas = matches!(
            layout.name,
            "formulas-without-results"
                | "ods-with-formulas"
                | "four-sheets"
                | "format-2019-formulas"
                | "groups-as-one-row"
        );
        assert_eq!(computed > 0, formulas, "{}: {findings:?}", layout.name);
    }
    eprintln!("{}", table.join("\n"));
    assert!(table.len() >= 10);
}
