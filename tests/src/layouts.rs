//! Department workbooks in the layouts real departments send, built from a report: the layouts
//! of `tests/workbook_layouts.rs` (each imported cell by cell there) and of the per-layout
//! benchmark (`cargo xtask bench-layouts`). One builder serves both, so that the benchmark
//! measures the layouts the tests prove are read right.

use rust_xlsxwriter::{Format, Formula, Workbook};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;
use xxgk_import::values::parse_cell;
use xxgk_model::catalogue::{T3_COLUMNS, T3_TOTAL, T3Group, T3RowRole, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, t3_id, t4_id};
use xxgk_model::{Cell, Num, Report, catalogue};

// ───────────────────────────── A workbook, format-neutral ─────────────────────────────

/// What a cell holds.
#[derive(Debug, Clone)]
pub enum V {
    Num(Num),
    Text(String),
    /// `SUM` of rectangles of the same sheet, stored without its result.
    Sum(Vec<(u32, u32, u32, u32)>),
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), V>,
    /// Merged regions (first row, first col, last row, last col); the text is in the first cell.
    pub merges: Vec<(u32, u32, u32, u32)>,
}

impl Sheet {
    pub fn new(name: &str) -> Self {
        Sheet {
            name: name.to_string(),
            ..Default::default()
        }
    }

    pub fn text(&mut self, r: u32, c: u32, t: &str) {
        self.cells.insert((r, c), V::Text(t.to_string()));
    }

    pub fn merged(&mut self, r1: u32, c1: u32, r2: u32, c2: u32, t: &str) {
        self.text(r1, c1, t);
        if (r1, c1) != (r2, c2) {
            self.merges.push((r1, c1, r2, c2));
        }
    }
}

/// How the tables are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Group labels merged over their rows (the official form).
    Merged,
    /// Group labels written once on their first row, blanks below, no merges.
    Blanks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Number cells.
    Plain,
    /// Text cells: full-width digits ("１２") and numbers typed as text (" 7 ").
    Text,
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub labels: Labels,
    pub numbers: Numbers,
    /// 总计 and （七）总计 written as `SUM` formulas without stored results.
    pub formulas: bool,
}

pub const PLAIN: Style = Style {
    labels: Labels::Merged,
    numbers: Numbers::Plain,
    formulas: false,
};

/// What each catalogue cell should read as.
pub type Expect = BTreeMap<String, Cell>;

pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// Writes the report's cell `id` at (r, c) in `style`, and what it should read as.
pub fn value(sheet: &mut Sheet, r: u32, c: u32, report: &Report, id: &str, style: Style, expect: &mut Expect) {
    let kind = catalogue(report.meta.format).cell(id).expect("catalogue cell").kind;
    let cell = report.cell(id);
    let plain = matches!(
        cell,
        Cell::Number {
            raw: None,
            annotation: None,
            unit: None,
            ..
        }
    );
    let n = expect.len();
    let v = match (cell, style.numbers) {
        (Cell::Blank, _) => None,
        (Cell::Number { value, .. }, Numbers::Plain) if plain => Some(V::Num(*value)),
        (Cell::Number { value, .. }, Numbers::Text) if plain && !kind.is_money() => {
            Some(V::Text(if n.is_multiple_of(2) {
                full_width(&value.to_string())
            } else {
                format!(" {value} ")
            }))
        }
        (other, _) => Some(V::Text(other.raw_text())),
    };
    let want = match &v {
        None => Cell::Blank,
        Some(V::Num(n)) => Cell::number(*n),
        Some(V::Text(t)) => parse_cell(t, kind),
        Some(V::Sum(_)) => unreachable!("values are not formulas"),
    };
    if let Some(v) = v {
        sheet.cells.insert((r, c), v);
    }
    expect.insert(id.to_string(), want);
}

/// Writes a total as a formula over `ranges` when the style asks for formulas and the report's
/// total is what the formula computes; otherwise as a value.
#[allow(clippy::too_many_arguments)]
pub fn total(
    sheet: &mut Sheet,
    r: u32,
    c: u32,
    report: &Report,
    id: &str,
    parts: &[String],
    ranges: Vec<(u32, u32, u32, u32)>,
    style: Style,
    expect: &mut Expect,
) {
    let sum = parts
        .iter()
        .map(|p| report.cell(p).value())
        .try_fold(Num::ZERO, |acc, v| v.and_then(|v| acc.checked_add(v)));
    if style.formulas && sum.is_some() && sum == report.cell(id).value() {
        sheet.cells.insert((r, c), V::Sum(ranges));
        expect.insert(id.to_string(), report.cell(id).clone());
    } else {
        value(sheet, r, c, report, id, style, expect);
    }
}

/// Table 2 at (top, left); returns the first row below it.
pub fn table2(sheet: &mut Sheet, top: u32, left: u32, report: &Report, style: Style, expect: &mut Expect) -> u32 {
    let cat = catalogue(report.meta.format);
    let mut r = top;
    for block in cat.t2_blocks {
        let width = block.columns.len() as u32;
        sheet.merged(r, left, r, left + width, block.caption.zh);
        sheet.text(r + 1, left, "信息内容");
        for (ci, col) in block.columns.iter().enumerate() {
            sheet.text(r + 1, left + 1 + ci as u32, col.label.zh);
        }
        r += 2;
        for row in block.rows {
            sheet.text(r, left, row.label.zh);
            for (ci, col) in block.columns.iter().enumerate() {
                let id = format!("t2.{}.{}", row.key, col.key);
                value(sheet, r, left + 1 + ci as u32, report, &id, style, expect);
            }
            r += 1;
        }
    }
    r
}

/// Table 3 at (top, left): three label columns, then the seven data columns; a group the report
/// prints as one row is written so.
pub fn table3(sheet: &mut Sheet, top: u32, left: u32, report: &Report, style: Style, expect: &mut Expect) -> u32 {
    let cat = catalogue(report.meta.format);
    let data = left + 3;
    sheet.merged(top, left, top + 2, left + 2, "");
    sheet.cells.remove(&(top, left));
    sheet.merged(top, data, top, data + 6, "申请人情况");
    sheet.merged(top + 1, data, top + 2, data, "自然人");
    sheet.merged(top + 1, data + 1, top + 1, data + 5, "法人或其他组织");
    for (i, c) in T3_COLUMNS.iter().filter(|c| c.in_org_group).enumerate() {
        sheet.text(top + 2, data + 1 + i as u32, c.label.zh);
    }
    sheet.merged(top + 1, data + 6, top + 2, data + 6, "总计");
    let first = top + 3;
    // The rows as the report prints them: a group it prints as one row (（三）–（六） without their
    // sub-rows) is that one row, where its sub-rows would be.
    let printed = |id: &str| !matches!(report.cell(id), Cell::Blank);
    let alone: Vec<&T3Group> = cat.t3_groups.iter().filter(|g| g.printed_alone(printed)).collect();
    let rows: Vec<(&'static str, T3RowRole)> = cat
        .t3_rows
        .iter()
        .filter_map(|row| match alone.iter().find(|g| g.parts.contains(&row.key)) {
            Some(g) => (g.parts.first() == Some(&row.key)).then_some((g.key, T3RowRole::Result)),
            None => Some((row.key, row.role)),
        })
        .collect();
    let paths: Vec<Vec<&str>> = rows
        .iter()
        .map(|(key, _)| {
            let def = cat.cell(&t3_id(key, T3_TOTAL)).expect("row");
            def.row_path.iter().map(|l| l.zh).collect()
        })
        .collect();
    // Labels: each part of a row's path once per run of rows that share it.
    for (i, path) in paths.iter().enumerate() {
        let r = first + i as u32;
        for (depth, part) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            let starts_run = i == 0 || paths[i - 1].get(..=depth) != path.get(..=depth);
            if !starts_run {
                continue;
            }
            let run = paths[i..]
                .iter()
                .take_while(|p| p.get(..=depth) == path.get(..=depth))
                .count() as u32;
            let (c1, c2) = if last {
                (left + depth as u32, left + 2)
            } else {
                (left + depth as u32, left + depth as u32)
            };
            match style.labels {
                Labels::Merged => sheet.merged(r, c1, r + run - 1, c2, part),
                Labels::Blanks => sheet.text(r, c1, part),
            }
        }
    }
    let result_rows: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, (_, role))| *role == T3RowRole::Result)
        .map(|(i, _)| first + i as u32)
        .collect();
    for (i, (key, role)) in rows.iter().enumerate() {
        let r = first + i as u32;
        for (ci, c) in T3_COLUMNS.iter().enumerate() {
            let col = data + ci as u32;
            let id = t3_id(key, c.key);
            if c.key == T3_TOTAL {
                let parts: Vec<String> = T3_COLUMNS
                    .iter()
                    .filter(|c| c.key != T3_TOTAL)
                    .map(|c| t3_id(key, c.key))
                    .collect();
                total(
                    sheet,
                    r,
                    col,
                    report,
                    &id,
                    &parts,
                    vec![(r, data, r, data + 5)],
                    style,
                    expect,
                );
            } else if *role == T3RowRole::ResultsTotal {
                let parts: Vec<String> = rows
                    .iter()
                    .filter(|(_, role)| *role == T3RowRole::Result)
                    .map(|(leaf, _)| t3_id(leaf, c.key))
                    .collect();
                let ranges = runs(&result_rows).into_iter().map(|(a, b)| (a, col, b, col)).collect();
                total(sheet, r, col, report, &id, &parts, ranges, style, expect);
            } else {
                value(sheet, r, col, report, &id, style, expect);
            }
        }
    }
    first + rows.len() as u32
}

/// Runs of consecutive rows: (first, last).
pub fn runs(rows: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &r in rows {
        match out.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            _ => out.push((r, r)),
        }
    }
    out
}

/// Table 4 at (top, left): three header rows and one row of fifteen numbers.
pub fn table4(sheet: &mut Sheet, top: u32, left: u32, report: &Report, style: Style, expect: &mut Expect) -> u32 {
    let n = T4_OUTCOMES.len() as u32;
    let merged = style.labels == Labels::Merged;
    let put = |sheet: &mut Sheet, r1: u32, c1: u32, r2: u32, c2: u32, t: &str| {
        if merged {
            sheet.merged(r1, c1, r2, c2, t);
        } else {
            sheet.text(r1, c1, t);
        }
    };
    put(sheet, top, left, top, left + n - 1, "行政复议");
    put(sheet, top, left + n, top, left + 3 * n - 1, "行政诉讼");
    for (gi, g) in T4_GROUPS.iter().enumerate() {
        let base = left + n * gi as u32;
        if g.parent.is_some() {
            put(sheet, top + 1, base, top + 1, base + n - 1, g.label.zh);
        }
        for (oi, o) in T4_OUTCOMES.iter().enumerate() {
            let c = base + oi as u32;
            if g.parent.is_some() {
                sheet.text(top + 2, c, o.label.zh);
            } else {
                put(sheet, top + 1, c, top + 2, c, o.label.zh);
            }
            let id = t4_id(g.key, o.key);
            if o.key == T4_TOTAL {
                let parts: Vec<String> = T4_OUTCOMES
                    .iter()
                    .filter(|o| o.key != T4_TOTAL)
                    .map(|o| t4_id(g.key, o.key))
                    .collect();
                total(
                    sheet,
                    top + 3,
                    c,
                    report,
                    &id,
                    &parts,
                    vec![(top + 3, base, top + 3, c - 1)],
                    style,
                    expect,
                );
            } else {
                value(sheet, top + 3, c, report, &id, style, expect);
            }
        }
    }
    top + 4
}

/// All three tables on one sheet from `top`, with their headings; returns the row below.
pub fn all_tables(sheet: &mut Sheet, top: u32, left: u32, report: &Report, style: Style, expect: &mut Expect) -> u32 {
    sheet.text(top, left, "二、主动公开政府信息情况");
    let r = table2(sheet, top + 1, left, report, style, expect) + 1;
    sheet.text(r, left, "三、收到和处理政府信息公开申请情况");
    let r = table3(sheet, r + 1, left, report, style, expect) + 1;
    sheet.text(r, left, "四、政府信息公开行政复议、行政诉讼情况");
    table4(sheet, r + 1, left, report, style, expect)
}

// ───────────────────────────── Writers ─────────────────────────────

pub fn a1(r: u32, c: u32) -> String {
    rust_xlsxwriter::utility::row_col_to_cell(r, c as u16)
}

pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let plain = Format::new();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).expect("sheet name");
        for &(r1, c1, r2, c2) in &s.merges {
            let t = match s.cells.get(&(r1, c1)) {
                Some(V::Text(t)) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(r1, c1 as u16, r2, c2 as u16, &t, &plain).expect("merge");
        }
        for (&(r, c), v) in &s.cells {
            if s.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                continue;
            }
            match v {
                V::Num(n) => {
                    let f: f64 = n.to_string().parse().expect("number");
                    ws.write_number(r, c as u16, f).expect("number");
                }
                V::Text(t) => {
                    ws.write_string(r, c as u16, t).expect("text");
                }
                V::Sum(ranges) => {
                    let refs: Vec<String> = ranges
                        .iter()
                        .map(|&(r1, c1, r2, c2)| format!("{}:{}", a1(r1, c1), a1(r2, c2)))
                        .collect();
                    ws.write_formula(r, c as u16, Formula::new(format!("=SUM({})", refs.join(","))))
                        .expect("formula");
                }
            }
        }
    }
    let bytes = wb.save_to_buffer().expect("save");
    // rust_xlsxwriter stores 0 as every formula's result; a script stores none (openpyxl: `<v></v>`).
    rewrite(&bytes, |name, s| {
        if !name.starts_with("xl/worksheets/") {
            return s;
        }
        let mut s = s;
        let mut from = 0;
        while let Some(p) = s[from..].find("</f><v>") {
            let start = from + p + "</f>".len();
            let end = start + s[start..].find("</v>").expect("</v>") + "</v>".len();
            s.replace_range(start..end, "<v></v>");
            from = start;
        }
        s
    })
}

/// Rewrites the text parts of a zip with `f(name, text)`.
pub fn rewrite(zip_bytes: &[u8], f: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name.ends_with(".xml") {
            data = f(&name, String::from_utf8(data).expect("utf8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

/// An xlsx saved as a macro-enabled workbook: the main part's content type says so.
pub fn xlsm(sheets: &[Sheet]) -> Vec<u8> {
    rewrite(&xlsx(sheets), |name, s| {
        if name == "[Content_Types].xml" {
            let changed = s.replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            );
            assert_ne!(changed, s, "content type replaced");
            changed
        } else {
            s
        }
    })
}

pub fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An OpenDocument spreadsheet; formulas in its own syntax, without a value.
pub fn ods(sheets: &[Sheet]) -> Vec<u8> {
    let mut body = String::new();
    for s in sheets {
        body.push_str(&format!(r#"<table:table table:name="{}">"#, escape(&s.name)));
        let rows = s.cells.keys().map(|k| k.0).max().unwrap_or(0);
        let cols = s.cells.keys().map(|k| k.1).max().unwrap_or(0);
        for r in 0..=rows {
            body.push_str("<table:table-row>");
            for c in 0..=cols {
                let merge = s.merges.iter().find(|m| (m.0, m.1) == (r, c));
                let covered = s
                    .merges
                    .iter()
                    .any(|m| (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (m.0, m.1) != (r, c));
                if covered {
                    body.push_str("<table:covered-table-cell/>");
                    continue;
                }
                let span = merge.map_or(String::new(), |m| {
                    format!(
                        r#" table:number-rows-spanned="{}" table:number-columns-spanned="{}""#,
                        m.2 - m.0 + 1,
                        m.3 - m.1 + 1
                    )
                });
                match s.cells.get(&(r, c)) {
                    None => body.push_str(&format!("<table:table-cell{span}/>")),
                    Some(V::Num(n)) => body.push_str(&format!(
                        r#"<table:table-cell{span} office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                    )),
                    Some(V::Text(t)) => {
                        let paras: String = t.split('\n').map(|p| format!("<text:p>{}</text:p>", escape(p))).collect();
                        body.push_str(&format!(
                            r#"<table:table-cell{span} office:value-type="string">{paras}</table:table-cell>"#
                        ));
                    }
                    Some(V::Sum(ranges)) => {
                        let refs: Vec<String> = ranges
                            .iter()
                            .map(|&(r1, c1, r2, c2)| format!("[.{}:.{}]", a1(r1, c1), a1(r2, c2)))
                            .collect();
                        body.push_str(&format!(
                            r#"<table:table-cell{span} table:formula="of:=SUM({})"/>"#,
                            refs.join(";")
                        ));
                    }
                }
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
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

pub fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The workbook converted by LibreOffice to `.xls`; `None` (said on stderr) without LibreOffice.
pub fn xls(sheets: &[Sheet]) -> Option<Vec<u8>> {
    let Some(bin) = soffice() else {
        eprintln!("skipped the .xls layout: LibreOffice (soffice) is not installed");
        return None;
    };
    let dir = std::env::temp_dir().join(format!("xxgk-layouts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Stored results, as Excel would have them, so that LibreOffice converts values too.
    std::fs::write(dir.join("dept.xlsx"), xlsx(sheets)).expect("write");
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let out = Command::new(bin)
        .args([profile.as_str(), "--headless", "--convert-to", "xls", "--outdir"])
        .arg(&dir)
        .arg(dir.join("dept.xlsx"))
        .output()
        .expect("run soffice");
    assert!(
        out.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(dir.join("dept.xls")).expect("converted");
    let _ = std::fs::remove_dir_all(Path::new(&dir));
    Some(bytes)
}

// ───────────────────────────── The layouts ─────────────────────────────

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Xlsx,
    Xlsm,
    Ods,
    Xls,
}

pub struct Layout {
    pub name: &'static str,
    /// The file name as the user has it (with a folder where that carries the year).
    pub file: &'static str,
    pub kind: Kind,
    pub year: u16,
    pub agency: &'static str,
    pub build: fn(&Report, &mut Expect) -> Vec<Sheet>,
}

/// The report a layout is filled with, by its year: the valid 2021 fixture (2023), with
/// placeholders, a blank and an annotated number in table 2; or the valid 2019 fixture (2020).
pub fn report(year: u16) -> Report {
    if year < 2021 {
        let json = include_bytes!("../fixtures/valid-2019.json");
        return xxgk_import::json::read_json("valid-2019.json", json)
            .expect("fixture")
            .remove(0)
            .report;
    }
    let json = include_bytes!("../fixtures/valid-2021.json");
    let mut r = xxgk_import::json::read_json("valid-2021.json", json)
        .expect("fixture")
        .remove(0)
        .report;
    r.cells
        .set("t2.regulations.made", Cell::Placeholder { raw: "/".into() });
    r.cells
        .set("t2.normative_docs.repealed", Cell::Placeholder { raw: "—".into() });
    r.cells.set(
        "t2.normative_docs.in_force",
        parse_cell("22（其中修订16件）", xxgk_model::ValueKind::Count),
    );
    r.cells.0.shift_remove("t2.licensing.decisions");
    r
}

pub fn layouts() -> Vec<Layout> {
    vec![
        Layout {
            name: "year-in-file-name",
            file: "区教育局2023年报.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "区教育局",
            build: |r, e| {
                let mut s = Sheet::new("Sheet1");
                all_tables(&mut s, 0, 0, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "title-row-in-the-middle",
            file: "统计表.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某区某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "填报说明：请如实填写，空白表示未发生。");
                s.text(2, 0, "二、主动公开政府信息情况");
                let row = table2(&mut s, 3, 0, r, PLAIN, e) + 2;
                s.merged(row, 0, row, 9, "某区某局2023年政府信息公开工作年度报告统计表");
                s.text(row + 2, 0, "三、收到和处理政府信息公开申请情况");
                let row = table3(&mut s, row + 3, 0, r, PLAIN, e) + 2;
                table4(&mut s, row, 0, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "agency-cell-with-year",
            file: "报表.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某局",
            build: |r, e| {
                let mut s = Sheet::new("统计表");
                s.text(0, 0, "机关名称：某局（2023年度）");
                all_tables(&mut s, 2, 0, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "report-year-cell",
            file: "年报表.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("数据");
                s.text(0, 1, "报告年度：2023年");
                s.text(1, 1, "填报单位：某县某局");
                all_tables(&mut s, 3, 1, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "formulas-without-results",
            file: "openpyxl.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "报告年度：2023年");
                s.text(1, 0, "填报单位：某县某局");
                let style = Style {
                    formulas: true,
                    ..PLAIN
                };
                all_tables(&mut s, 2, 0, r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "tables-only-three-sheets",
            file: "tables.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某市某局",
            build: |r, e| {
                let mut t2 = Sheet::new("表二");
                t2.text(0, 0, "某市某局2023年度政府信息公开工作年度报告");
                table2(&mut t2, 2, 0, r, PLAIN, e);
                let mut t3 = Sheet::new("表三");
                table3(&mut t3, 0, 0, r, PLAIN, e);
                let mut t4 = Sheet::new("表四");
                table4(&mut t4, 0, 0, r, PLAIN, e);
                vec![t2, t3, t4]
            },
        },
        Layout {
            name: "four-sheets",
            file: "乡镇.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某镇人民政府",
            build: |r, e| {
                let mut cover = Sheet::new("封面");
                cover.text(0, 0, "单位名称");
                cover.text(0, 1, "某镇人民政府");
                cover.text(1, 0, "所属年度");
                cover.text(1, 1, "2023年度");
                let mut t2 = Sheet::new("主动公开");
                table2(&mut t2, 1, 1, r, PLAIN, e);
                let mut t3 = Sheet::new("依申请公开");
                let style = Style {
                    formulas: true,
                    ..PLAIN
                };
                table3(&mut t3, 1, 1, r, style, e);
                let mut t4 = Sheet::new("复议诉讼");
                table4(&mut t4, 1, 1, r, style, e);
                vec![cover, t2, t3, t4]
            },
        },
        Layout {
            name: "flattened-labels-with-blanks",
            file: "某县某局2023年度政府信息公开工作年度报告.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("Sheet1");
                s.text(0, 0, "某县某局2023年度政府信息公开工作年度报告");
                let style = Style {
                    labels: Labels::Blanks,
                    ..PLAIN
                };
                all_tables(&mut s, 2, 0, r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "full-width-and-text-numbers",
            file: "text-numbers.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "某县某局2023年度政府信息公开工作年度报告");
                let style = Style {
                    numbers: Numbers::Text,
                    ..PLAIN
                };
                all_tables(&mut s, 2, 0, r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "ods-with-formulas",
            file: "libre.ods",
            kind: Kind::Ods,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "报告年度：2023年");
                s.text(1, 0, "填报单位：某县某局");
                let style = Style {
                    formulas: true,
                    ..PLAIN
                };
                all_tables(&mut s, 2, 0, r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "xlsm",
            file: "宏.xlsm",
            kind: Kind::Xlsm,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("数据");
                s.text(0, 1, "报告年度：2023年");
                s.text(1, 1, "填报单位：某县某局");
                all_tables(&mut s, 3, 1, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "xls",
            file: "旧版.xls",
            kind: Kind::Xls,
            year: 2023,
            agency: "某区某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "填报说明：请如实填写。");
                let row = table2(&mut s, 2, 0, r, PLAIN, e) + 2;
                s.text(row, 0, "某区某局2023年政府信息公开工作年度报告统计表");
                let row = table3(&mut s, row + 2, 0, r, PLAIN, e) + 2;
                table4(&mut s, row, 0, r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "format-2019-formulas",
            file: "2019版.xlsx",
            kind: Kind::Xlsx,
            year: 2020,
            agency: "某县某局",
            build: |r, e| {
                let mut s = Sheet::new("年报");
                s.text(0, 0, "报告年度：2020年");
                s.text(1, 0, "填报单位：某县某局");
                let style = Style {
                    formulas: true,
                    ..PLAIN
                };
                all_tables(&mut s, 3, 0, r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "groups-as-one-row",
            file: "某县某局2023年度年报.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "某县某局",
            build: |r, e| {
                // A county template that prints （三）–（六） as one row each, labels once with
                // blanks below, totals as formulas without results.
                let r = crate::print_alone(r.clone(), &["withheld", "unavailable", "not_handled", "other"]);
                let mut s = Sheet::new("年报");
                let style = Style {
                    labels: Labels::Blanks,
                    formulas: true,
                    ..PLAIN
                };
                all_tables(&mut s, 0, 0, &r, style, e);
                vec![s]
            },
        },
        Layout {
            name: "format-2019-groups-as-one-row",
            file: "某县某局2020年度年报.xlsx",
            kind: Kind::Xlsx,
            year: 2020,
            agency: "某县某局",
            build: |r, e| {
                let r = crate::print_alone(r.clone(), &["withheld", "unavailable", "not_handled"]);
                let mut s = Sheet::new("年报");
                all_tables(&mut s, 0, 0, &r, PLAIN, e);
                vec![s]
            },
        },
        Layout {
            name: "year-in-folder-name",
            file: "2023年/教育局.xlsx",
            kind: Kind::Xlsx,
            year: 2023,
            agency: "教育局",
            build: |r, e| {
                let mut s = Sheet::new("Sheet1");
                all_tables(&mut s, 0, 0, r, PLAIN, e);
                vec![s]
            },
        },
    ]
}
