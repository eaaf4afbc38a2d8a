//! Workbooks whose formulas were stored without their results, as openpyxl, pandas, converters
//! and online tools write them: the totals are computed from the cells read, never left blank
//! and never 0; what cannot be computed is an error naming the cell.

mod common;

use std::io::{Cursor, Read, Write};
use xxgk_import::formula::{COMPUTED_RULE, UNCOMPUTED_RULE};

use xxgk_import::{ImportOptions, Imported, import};
use xxgk_model::rules::{CheckOptions, check};
use xxgk_model::{Cell, Num, Report, Severity, Status, catalogue};

fn read(name: &str, bytes: &[u8]) -> Imported {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        Ok(v) => panic!("{name}: {} reports", v.len()),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn valid_report() -> Report {
    let json = include_bytes!("../../../tests/fixtures/valid-2021.json");
    let mut v = xxgk_import::json::read_json("valid-2021.json", json).expect("fixture");
    v.remove(0).report
}

fn export_xlsx(report: &Report) -> Vec<u8> {
    let entry = xxgk_export::by_name("xlsx").expect("xlsx exporter registered");
    let mut out = Vec::new();
    entry
        .run(std::slice::from_ref(report), &mut out, &xxgk_export::Options::default())
        .expect("export");
    out
}

/// Rewrites every worksheet part of an xlsx with `f(part name, xml)`.
fn rewrite_sheets(xlsx: &[u8], f: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name.starts_with("xl/worksheets/sheet") {
            data = f(&name, String::from_utf8(data).expect("utf8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// How a writer leaves a formula's result out.
#[derive(Debug, Clone, Copy)]
enum NoResult {
    /// No `<v>` at all.
    Missing,
    /// `<v></v>`, as openpyxl writes it.
    Empty,
    /// `<v/>`.
    SelfClosing,
}

/// Removes the stored result of every formula of every sheet.
fn strip_results(xlsx: &[u8], how: NoResult) -> Vec<u8> {
    rewrite_sheets(xlsx, |_, mut s| {
        let mut from = 0;
        while let Some(p) = s[from..].find("</f><v") {
            let start = from + p + "</f>".len();
            let end = match s[start..].find("</v>") {
                Some(e) if !s[start..start + e].contains("/>") => start + e + "</v>".len(),
                _ => start + s[start..].find("/>").expect("<v/>") + 2,
            };
            let replacement = match how {
                NoResult::Missing => "",
                NoResult::Empty => "<v></v>",
                NoResult::SelfClosing => "<v/>",
            };
            s.replace_range(start..end, replacement);
            from = start + replacement.len();
        }
        s
    })
}

/// The worksheet part of the sheet named `sheet` in a workbook exported by xxgk (sheets are
/// written in order: 基本信息, 表二, 表三, 表四).
fn part_of(sheet: &str) -> &'static str {
    match sheet {
        "表二" => "xl/worksheets/sheet2.xml",
        "表三" => "xl/worksheets/sheet3.xml",
        "表四" => "xl/worksheets/sheet4.xml",
        other => panic!("no part for {other}"),
    }
}

/// Replaces the formula of the cell at `address` of `part`.
fn replace_formula(xlsx: &[u8], part: &'static str, address: &str, formula: &str) -> Vec<u8> {
    let address = address.to_string();
    let formula = formula.to_string();
    rewrite_sheets(xlsx, move |name, mut s| {
        if name != part {
            return s;
        }
        let at = s.find(&format!("<c r=\"{address}\"")).expect("cell");
        let f = at + s[at..].find("<f>").expect("formula") + 3;
        let end = f + s[f..].find("</f>").expect("end of formula");
        s.replace_range(f..end, &formula);
        s
    })
}

#[test]
fn totals_without_stored_results_are_computed_cell_by_cell() {
    let report = valid_report();
    let full = export_xlsx(&report);
    let want = read("stored.xlsx", &full);
    assert!(want.findings.is_empty(), "{:?}", want.findings);
    for how in [NoResult::Missing, NoResult::Empty, NoResult::SelfClosing] {
        let stripped = strip_results(&full, how);
        assert_ne!(stripped, full);
        // Without computation, every total would read blank.
        let got = read("script.xlsx", &stripped);
        for def in catalogue(report.meta.format).cells() {
            assert_eq!(
                got.report.cell(&def.id),
                want.report.cell(&def.id),
                "{how:?} {}",
                def.id
            );
            assert_eq!(
                got.sources.get(&def.id),
                want.sources.get(&def.id),
                "{how:?} {}",
                def.id
            );
        }
        let computed: Vec<_> = got.findings.iter().filter(|f| f.rule == COMPUTED_RULE).collect();
        assert_eq!(computed.len(), got.findings.len(), "{how:?}: {:?}", got.findings);
        // Every total of table 3 (7 columns of （七）总计 and the 总计 of each row) and of table 4.
        let totals = catalogue(report.meta.format)
            .cells()
            .iter()
            .filter(|d| d.id.ends_with(".total") || d.id.starts_with("t3.results_total."))
            .count();
        assert_eq!(computed.len(), totals, "{how:?}");
        for f in computed {
            assert_eq!((f.severity, f.status), (Severity::Info, Status::Pass));
            let c = &f.cells[0];
            let place = c.location.as_ref().expect("located").display(xxgk_model::Lang::Zh);
            assert!(
                f.text(xxgk_model::Lang::Zh).contains(&place),
                "{}",
                f.text(xxgk_model::Lang::Zh)
            );
            assert!(
                f.text(xxgk_model::Lang::Zh).contains("SUM("),
                "{}",
                f.text(xxgk_model::Lang::Zh)
            );
            assert_eq!(c.value, want.report.cell(c.id.as_str()).value(), "{}", c.id);
        }
    }
}

#[test]
fn an_off_by_one_in_new_requests_is_found_when_the_totals_were_not_stored() {
    let mut report = valid_report();
    let id = "t3.new_received.natural_person";
    let v = report.cell(id).value().expect("a number");
    report
        .cells
        .set(id.to_string(), Cell::number(v.checked_add(Num::int(1)).expect("sum")));
    // The row's 总计 follows (it is a formula); the balance of the column cannot hold any more.
    let total = "t3.new_received.total";
    let t = report.cell(total).value().expect("a number");
    report.cells.set(
        total.to_string(),
        Cell::number(t.checked_add(Num::int(1)).expect("sum")),
    );
    let stripped = strip_results(&export_xlsx(&report), NoResult::Empty);
    let got = read("script.xlsx", &stripped);
    assert_eq!(got.report.cell(total), report.cell(total));
    let findings = check(&got.report, &CheckOptions::default());
    let balance: Vec<_> = findings.iter().filter(|f| f.rule == "T3-BAL").collect();
    assert!(
        balance
            .iter()
            .any(|f| f.status == Status::Fail && f.cells.iter().any(|c| c.id == id)),
        "{balance:?}"
    );
    assert!(balance.iter().all(|f| f.status != Status::NotAssessable), "{balance:?}");
}

#[test]
fn a_formula_that_cannot_be_computed_is_an_error_on_its_cell_and_the_cell_stays_unread() {
    let report = valid_report();
    let full = export_xlsx(&report);
    let want = read("stored.xlsx", &full);
    let located = |id: &str| {
        let l = want.sources.get(id).expect("located");
        (l.sheet.clone().expect("sheet"), l.cell.clone().expect("cell"))
    };
    let (sheet, new_total) = located("t3.new_received.total");
    let (_, granted_total) = located("t3.granted.total");
    let (t4_sheet, review_total) = located("t4.review.total");
    let mut bytes = replace_formula(&full, part_of(&sheet), &new_total, "1+ZZ999");
    bytes = replace_formula(&bytes, part_of(&sheet), &granted_total, "AVERAGE(B7:H7)");
    bytes = replace_formula(&bytes, part_of(&t4_sheet), &review_total, "SUM(ZZ1:ZZ9)");
    let got = read("broken.xlsx", &strip_results(&bytes, NoResult::Missing));
    let errors: Vec<_> = got.findings.iter().filter(|f| f.rule == UNCOMPUTED_RULE).collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    for (id, address, why) in [
        (
            "t3.new_received.total",
            format!("{sheet}!{new_total}"),
            format!("{sheet}!ZZ999"),
        ),
        (
            "t3.granted.total",
            format!("{sheet}!{granted_total}"),
            "AVERAGE".to_string(),
        ),
        (
            "t4.review.total",
            format!("{t4_sheet}!{review_total}"),
            "没有任何数值".to_string(),
        ),
    ] {
        let f = errors
            .iter()
            .find(|f| f.cells.iter().any(|c| c.id == id))
            .unwrap_or_else(|| panic!("no finding on {id}: {errors:?}"));
        assert_eq!((f.severity, f.status), (Severity::Error, Status::Fail));
        assert!(
            f.text(xxgk_model::Lang::Zh)
                .starts_with("公式未计算，请用 Excel/WPS 打开并保存"),
            "{}",
            f.text(xxgk_model::Lang::Zh)
        );
        assert!(
            f.text(xxgk_model::Lang::Zh).contains(&address) && f.text(xxgk_model::Lang::Zh).contains(&why),
            "{}",
            f.text(xxgk_model::Lang::Zh)
        );
        assert!(
            f.text(xxgk_model::Lang::En)
                .contains("open the file in Excel/WPS and save it"),
            "{}",
            f.text(xxgk_model::Lang::En)
        );
        // Unread: absent, never blank-as-0 and never 0.
        assert_eq!(got.report.cell(id), &Cell::Blank, "{id}");
        assert!(f.cells[0].location.is_some());
    }
    // The other totals were computed, and a finding that cannot fail would not make a report pass.
    assert_eq!(
        got.report.cell("t3.results_total.total"),
        want.report.cell("t3.results_total.total")
    );
    assert!(got.findings.iter().any(|f| f.is_failure(false)));
}

/// A one-sheet workbook whose `<sheetData>` is `data`.
fn workbook_with_sheet_data(data: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("S").expect("name");
    ws.write_string(0, 0, "x").expect("write");
    let bytes = wb.save_to_buffer().expect("save");
    let data = data.to_string();
    rewrite_sheets(&bytes, move |_, s| {
        let start = s.find("<sheetData>").expect("sheetData");
        let end = s.find("</sheetData>").expect("end") + "</sheetData>".len();
        format!("{}<sheetData>{data}</sheetData>{}", &s[..start], &s[end..])
    })
}

#[test]
fn shared_formulas_and_text_results_without_stored_values() {
    // C1:C3 share `A1+B1` (written once, at C1); D1 sums them; E1 refers to a blank.
    let data = r#"<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>10</v></c><c r="C1"><f t="shared" ref="C1:C3" si="0">A1+B1</f></c><c r="D1"><f>SUM(C1:C3)</f><v></v></c><c r="E1"><f>A1+A9</f></c></row>
<row r="2"><c r="A2"><v>2</v></c><c r="B2"><v>20</v></c><c r="C2"><f t="shared" si="0"/></c></row>
<row r="3"><c r="A3"><v>3</v></c><c r="B3"><v>30</v></c><c r="C3"><f t="shared" si="0"/><v/></c><c r="D3" t="str"><f>IF(1=1,"",1)</f></c><c r="E3"><f>A3*2</f><v>6</v></c></row>"#;
    let grids = xxgk_import::read_grids_with(
        "shared.xlsx",
        &workbook_with_sheet_data(data),
        &ImportOptions::default(),
    )
    .expect("read");
    let g = &grids[0];
    assert_eq!(g.text(0, 2), "11");
    assert_eq!(g.text(1, 2), "22");
    assert_eq!(g.text(2, 2), "33");
    assert_eq!(g.text(0, 3), "66");
    assert_eq!(g.text(0, 4), "", "a blank operand is not 0");
    assert_eq!(g.text(2, 3), "");
    assert_eq!(g.text(2, 4), "6", "a stored result is used as stored");
}

/// An ods file with one sheet `S` whose `content.xml` body is `rows`.
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table><table:table table:name="T"><table:table-row><table:table-cell office:value-type="float" office:value="100"><text:p>100</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).expect("start");
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    out.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .expect("start");
    out.write_all(content.as_bytes()).expect("write");
    out.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default())
        .expect("start");
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).expect("write");
    out.finish().expect("finish").into_inner()
}

#[test]
fn opendocument_formulas_without_values() {
    let num = |v: u32| {
        format!(
            r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
        )
    };
    let formula = |f: &str| format!(r#"<table:table-cell table:formula="{f}"></table:table-cell>"#);
    let rows = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row>",
        num(3),
        formula("of:=SUM([.A1:.A3])"),
        num(4),
        formula("of:=[.A1]+[$T.A1]"),
        num(5),
        formula("of:=SUM([.A1:.A2];[.A3])-[.A4]"),
        formula("of:=[.A1]+[.B9]"),
        formula("of:=MEDIAN([.A1:.A3])"),
    );
    let grids = xxgk_import::read_grids_with("formulas.ods", &ods(&rows), &ImportOptions::default()).expect("read");
    let g = &grids[0];
    assert_eq!(g.text(0, 1), "12");
    assert_eq!(g.text(1, 1), "103");
    // A4 is a formula that refers to a blank: not computed, so neither is B3 that uses it.
    assert_eq!(g.text(3, 0), "");
    assert_eq!(g.text(2, 1), "");
    assert_eq!(g.text(3, 1), "");
}

/// What LibreOffice computes for the formulas without stored results, and what xxgk computes,
/// agree cell by cell (the report has a blank in a summed row and a row of only blanks).
#[test]
fn computed_totals_agree_with_libreoffice() {
    let mut report = valid_report();
    // A blank inside a row that is summed, with the row's total still its sum.
    let cell = "t3.granted.research";
    let v = report.cell(cell).value().expect("number");
    report.cells.0.shift_remove(cell);
    let total = "t3.granted.total";
    let t = report.cell(total).value().expect("number");
    report.cells.set(
        total,
        Cell::Number {
            value: t.checked_sub(v).expect("difference"),
            raw: None,
            annotation: None,
            unit: None,
        },
    );
    // （七）总计 of the column and of the table follow.
    let id = "t3.results_total.research";
    let r = report.cell(id).value().expect("number");
    report
        .cells
        .set(id, Cell::number(r.checked_sub(v).expect("difference")));
    let rt = report.cell("t3.results_total.total").value().expect("number");
    report.cells.set(
        "t3.results_total.total",
        Cell::number(rt.checked_sub(v).expect("difference")),
    );
    let stripped = strip_results(&export_xlsx(&report), NoResult::Empty);
    let ours = read("script.xlsx", &stripped);
    assert!(
        ours.findings.iter().all(|f| f.rule == COMPUTED_RULE),
        "{:?}",
        ours.findings
    );

    let Some(recalculated) = common::saved_by_libreoffice(&stripped, "xlsx", "ods") else {
        return;
    };
    let theirs = read("script.ods", &recalculated);
    assert!(
        theirs.findings.is_empty(),
        "LibreOffice stores every result: {:?}",
        theirs.findings
    );
    for def in catalogue(report.meta.format).cells() {
        assert_eq!(ours.report.cell(&def.id), theirs.report.cell(&def.id), "{}", def.id);
    }
    assert_eq!(ours.report.cell(total), report.cell(total));
}

/// The xlsx with every formula's stored number replaced by 0 (as XlsxWriter stores results), and
/// when `foreign` without the custom document properties xxgk writes and, unless `full_calc`,
/// without the request to be recalculated when opened.
fn zero_results(xlsx: &[u8], foreign: bool, full_calc: bool) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name.starts_with("xl/worksheets/sheet") {
            let mut s = String::from_utf8(data).expect("utf8");
            let mut from = 0;
            while let Some(p) = s[from..].find("</f><v>") {
                let start = from + p + "</f><v>".len();
                let end = start + s[start..].find("</v>").expect("</v>");
                if s[start..end].parse::<f64>().is_ok() {
                    s.replace_range(start..end, "0");
                }
                from = start;
            }
            data = s.into_bytes();
        }
        if foreign && name == "xl/workbook.xml" && !full_calc {
            data = String::from_utf8(data)
                .expect("utf8")
                .replace(" fullCalcOnLoad=\"1\"", "")
                .into_bytes();
        }
        if foreign && name == "docProps/custom.xml" {
            continue;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn results_stored_as_0_in_a_workbook_that_asks_to_be_recalculated_are_recomputed() {
    use xxgk_import::formula::STALE_RULE;
    let report = valid_report();
    let full = export_xlsx(&report);
    let want = read("stored.xlsx", &full);
    // As XlsxWriter writes it: every result 0, and `fullCalcOnLoad` (which rust_xlsxwriter sets).
    let zeros = zero_results(&full, true, true);
    let got = read("xlsxwriter.xlsx", &zeros);
    for def in catalogue(report.meta.format).cells() {
        assert_eq!(got.report.cell(&def.id), want.report.cell(&def.id), "{}", def.id);
    }
    let stale: Vec<_> = got.findings.iter().filter(|f| f.rule == STALE_RULE).collect();
    assert_eq!(stale.len(), got.findings.len(), "{:?}", got.findings);
    let nonzero_totals = catalogue(report.meta.format)
        .cells()
        .iter()
        .filter(|d| d.id.ends_with(".total") || d.id.starts_with("t3.results_total."))
        .filter(|d| report.cell(&d.id).value().is_some_and(|v| v != Num::ZERO))
        .count();
    assert_eq!(stale.len(), nonzero_totals);
    let f = stale
        .iter()
        .find(|f| f.cells[0].id == "t3.new_received.total")
        .expect("new_received total");
    assert_eq!((f.severity, f.status), (Severity::Warning, Status::Fail));
    assert!(
        f.text(xxgk_model::Lang::Zh).contains("保存的计算结果是 0")
            && f.text(xxgk_model::Lang::Zh).contains("采用 102"),
        "{}",
        f.text(xxgk_model::Lang::Zh)
    );
    // A workbook that does not ask to be recalculated keeps what it stored, and so does one
    // written by xxgk (whose results are exact).
    for (name, bytes) in [
        ("ours.xlsx", zero_results(&full, false, true)),
        ("excel.xlsx", zero_results(&full, true, false)),
    ] {
        let kept = read(name, &bytes);
        assert!(kept.findings.is_empty(), "{name}: {:?}", kept.findings);
        assert_eq!(kept.report.cell("t3.new_received.total"), &Cell::number(0), "{name}");
    }
}
