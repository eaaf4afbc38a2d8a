//! Spreadsheet import: the standard template, export → import round trips, departments' own
//! layouts built here with rust_xlsxwriter (and, where LibreOffice is installed, converted to
//! .xls and .ods), hostile files, and the template recalculated by LibreOffice.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;
use xxgk_import::values::parse_cell;
use xxgk_import::{ErrorKind, ImportOptions, Imported, import};
use xxgk_model::catalogue::{T3_COLUMNS, T3_TOTAL, T3RowRole, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, t3_id, t4_id};
use xxgk_model::{Cell, FormatVersion, Meta, Num, Report, Section, SectionKind, TableId, ValueKind, catalogue};

fn read(name: &str, bytes: &[u8]) -> Imported {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        Ok(v) => panic!("{name}: {} reports", v.len()),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn read_err(name: &str, bytes: &[u8]) -> xxgk_import::ImportError {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(_) => panic!("{name}: imported, expected an error"),
        Err(e) => e,
    }
}

// ───────────────────────────── Template ─────────────────────────────

#[test]
fn template_imports_as_a_blank_report_with_every_cell_located() {
    for version in FormatVersion::ALL {
        let bytes = xxgk_export::form_xlsx::template(version, Some("某县某局"), Some(2023)).expect("template");
        let got = read("template.xlsx", &bytes);
        assert_eq!(got.report.meta.format, version);
        assert_eq!(got.report.meta.agency, "某县某局");
        assert_eq!(got.report.meta.year, Some(2023));
        assert!(got.report.cells.is_empty(), "{version}: {:?}", got.report.cells);
        assert!(got.findings.is_empty(), "{version}: {:?}", got.findings);
        for def in catalogue(version).cells() {
            let loc = got
                .sources
                .get(&def.id)
                .unwrap_or_else(|| panic!("{version} {} not located", def.id));
            let sheet = def.table.name(xxgk_model::Lang::Zh);
            assert_eq!(loc.sheet.as_deref(), Some(sheet), "{}", def.id);
            assert!(loc.cell.is_some(), "{}", def.id);
        }
    }
}

// ───────────────────────────── Round trip ─────────────────────────────

/// A report with every kind of cell: consistent totals (written as formulas), a broken total
/// (written as found), blanks, placeholders, annotations, full-width digits, text, money.
fn sample(version: FormatVersion) -> Report {
    let year = if version == FormatVersion::V2021 { 2023 } else { 2020 };
    let mut meta = Meta::new("某市某局", year, version);
    meta.region_code = Some("370100".into());
    meta.published = Some("2024-01-20".into());
    meta.level = Some(xxgk_model::AdminLevel::City);
    meta.title = Some(format!("某市某局{year}年度政府信息公开工作年度报告"));
    let mut r = Report::new(meta);
    r.preamble = Some("本报告依据《中华人民共和国政府信息公开条例》编制。".into());
    *r.sections.slot(SectionKind::General) = Some(Section::canonical(
        SectionKind::General,
        "（一）主动公开\n本年主动公开信息 120 条。\n（五）监督保障\n行政诉讼：未经复议直接起诉 1 件，复议后起诉 0 件。",
    ));
    for kind in [SectionKind::Proactive, SectionKind::Requests, SectionKind::Remedies] {
        *r.sections.slot(kind) = Some(Section::canonical(kind, ""));
    }
    *r.sections.slot(SectionKind::Other) = Some(Section {
        heading: "六、其他事项".into(),
        text: "=本年度未收取信息处理费。".into(),
    });
    let cat = catalogue(version);
    for (i, def) in cat.table_cells(TableId::T2).enumerate() {
        let cell = match (def.kind, i % 4) {
            (ValueKind::MoneyWanYuan | ValueKind::Money, _) => parse_cell("103.3879", def.kind),
            (ValueKind::SignedCount, _) => Cell::number(-3),
            (_, 0) => Cell::Placeholder { raw: "/".into() },
            (_, 1) => parse_cell("22（其中修订16件）", def.kind),
            (_, 2) => parse_cell("１２", def.kind),
            _ => Cell::number(i as i64 * 11),
        };
        r.cells.set(def.id.clone(), cell);
    }
    let applicants: Vec<&str> = T3_COLUMNS.iter().map(|c| c.key).filter(|k| *k != T3_TOTAL).collect();
    let mut results = vec![0i64; applicants.len()];
    for (ri, row) in cat.t3_rows.iter().enumerate() {
        if row.role == T3RowRole::ResultsTotal {
            for (ci, c) in applicants.iter().enumerate() {
                r.cells.set(t3_id(row.key, c), Cell::number(results[ci]));
            }
            r.cells
                .set(t3_id(row.key, T3_TOTAL), Cell::number(results.iter().sum::<i64>()));
            continue;
        }
        let mut sum = 0;
        for (ci, c) in applicants.iter().enumerate() {
            if *c == "research" {
                continue; // a blank column
            }
            let v = ((ri * 7 + ci * 3) % 9) as i64;
            sum += v;
            if row.role == T3RowRole::Result {
                results[ci] += v;
            }
            r.cells.set(t3_id(row.key, c), Cell::number(v));
        }
        r.cells.set(t3_id(row.key, T3_TOTAL), Cell::number(sum));
    }
    // A total that disagrees with its row, and a cell of text.
    r.cells.set(t3_id("granted", T3_TOTAL), Cell::number(999));
    r.cells.set(
        t3_id("carried_over", "natural_person"),
        parse_cell("约十件", ValueKind::Count),
    );
    for g in &T4_GROUPS {
        let mut sum = 0;
        for (i, o) in T4_OUTCOMES.iter().enumerate().filter(|(_, o)| o.key != T4_TOTAL) {
            sum += i as i64 + 1;
            r.cells.set(t4_id(g.key, o.key), Cell::number(i as i64 + 1));
        }
        r.cells.set(t4_id(g.key, T4_TOTAL), Cell::number(sum));
    }
    r.cells.set(
        t4_id("lit_after_review", "other"),
        Cell::Placeholder { raw: "—".into() },
    );
    r.normalize_cells();
    r
}

/// The rows of [`sample`] whose 总计 disagrees with what the row shows: 予以公开 (999) and
/// 上年结转 (its 自然人 cell is text, which a spreadsheet does not add up).
const BROKEN_ROWS: [&str; 2] = ["granted", "carried_over"];

fn export_xlsx(report: &Report) -> Vec<u8> {
    let entry = xxgk_export::by_name("xlsx").expect("xlsx exporter registered");
    let mut out = Vec::new();
    entry
        .run(std::slice::from_ref(report), &mut out, &xxgk_export::Options::default())
        .expect("export");
    out
}

fn assert_same_cells(version: FormatVersion, want: &dyn Fn(&str) -> Cell, got: &Imported) {
    for def in catalogue(version).cells() {
        assert_eq!(got.report.cell(&def.id), &want(&def.id), "{version} {}", def.id);
        let loc = got
            .sources
            .get(&def.id)
            .unwrap_or_else(|| panic!("{} not located", def.id));
        assert!(loc.sheet.is_some() && loc.cell.is_some(), "{}: {loc:?}", def.id);
    }
}

#[test]
fn filled_form_round_trips_cell_by_cell() {
    for version in FormatVersion::ALL {
        let report = sample(version);
        let bytes = export_xlsx(&report);
        let mut got = read("filled.xlsx", &bytes);
        // Read from the workbook, the year and agency say which cell they came from.
        assert!(got.report.meta.origins.year.is_some() && got.report.meta.origins.agency.is_some());
        got.report.meta.origins = Default::default();
        assert_eq!(got.report.meta, report.meta, "{version}");
        assert_eq!(got.report.preamble, report.preamble);
        assert_eq!(got.report.sections, report.sections);
        assert_same_cells(version, &|id| report.cell(id).clone(), &got);
        assert!(got.findings.is_empty(), "{:?}", got.findings);
        // The exported file is deterministic.
        assert_eq!(bytes, export_xlsx(&report));
    }
}

fn cell_pos(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
    let row: u32 = a1[letters.len()..].parse().expect("row");
    (row - 1, col)
}

#[test]
fn totals_are_formulas_whose_stored_results_calamine_reads() {
    let report = sample(FormatVersion::V2021);
    let bytes = export_xlsx(&report);
    let got = read("filled.xlsx", &bytes);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.as_slice())).expect("open");
    let formulas = wb.worksheet_formula("表三").expect("formulas");
    let values = wb.worksheet_range("表三").expect("values");
    let cat = catalogue(FormatVersion::V2021);
    let mut checked = 0;
    for row in cat.t3_rows {
        let id = t3_id(row.key, T3_TOTAL);
        let loc = got.sources.get(&id).and_then(|l| l.cell.clone()).expect("located");
        let pos = cell_pos(&loc);
        let formula = formulas.get_value(pos).cloned().unwrap_or_default();
        if BROKEN_ROWS.contains(&row.key) {
            // Disagrees with what its row shows: written as found, not as a formula.
            assert!(formula.is_empty(), "{id}: {formula}");
            continue;
        }
        assert!(formula.starts_with("IF(COUNT("), "{id}: {formula:?}");
        let sum: Num = T3_COLUMNS
            .iter()
            .filter(|c| c.key != T3_TOTAL)
            .filter_map(|c| report.cell(&t3_id(row.key, c.key)).value())
            .try_fold(Num::ZERO, Num::checked_add)
            .expect("sum");
        let stored = match values.get_value(pos) {
            Some(Data::Float(f)) => *f,
            other => panic!("{id}: {other:?}"),
        };
        assert_eq!(Num::int(stored as i64), sum, "{id}");
        checked += 1;
    }
    assert_eq!(checked, 23);
}

// ───────────────────────────── Departments' layouts ─────────────────────────────

/// Options of a department-style workbook.
#[derive(Clone, Copy, Default)]
struct Odd {
    /// Leave this table-3 row out.
    skip_row: Option<&'static str>,
    /// Put a cell at XFD1048576.
    stray: bool,
}

/// What a test workbook holds: each cell's text, expected as `parse_cell` reads it.
type Expect = BTreeMap<String, String>;

/// Text for a cell: numbers as numbers, text numbers, full-width digits, placeholders, blanks.
fn odd_value(i: usize) -> Option<String> {
    match i % 7 {
        0 => None,
        1 => Some("—".into()),
        2 => Some("１２".into()),
        3 => Some(" 7 ".into()),
        4 => Some("3（含转办1件）".into()),
        _ => Some(format!("{}", i % 13)),
    }
}

fn put(ws: &mut Worksheet, r: u32, c: u16, v: Option<&str>, as_number: bool) -> Result<(), XlsxError> {
    match v {
        None => Ok(()),
        Some(t) => {
            match t.parse::<f64>() {
                Ok(n) if as_number && t.trim() == t => ws.write_number(r, c, n)?,
                _ => ws.write_string(r, c, t)?,
            };
            Ok(())
        }
    }
}

/// Breaks a label over lines, two characters a line, as narrow printed columns do.
fn broken(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    chars
        .chunks(2)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// All three tables on one sheet at an offset, with a title, a unit row and notes; table 3 with
/// flattened row labels and line breaks in its headers; table 4 with group headers written once
/// (no merges); an extra local row in tables 2 and 3.
fn department_workbook(version: FormatVersion, odd: Odd) -> Result<(Vec<u8>, Expect), XlsxError> {
    let cat = catalogue(version);
    let mut wb = Workbook::new();
    let mut expect = Expect::new();
    let notes = wb.add_worksheet();
    notes.set_name("填报说明")?;
    notes.write_string(0, 0, "请按表格填写，空白表示未发生。")?;
    let ws = wb.add_worksheet();
    ws.set_name("年报数据")?;
    let merge = Format::new();
    let (top, left) = (3u32, 2u16);
    ws.write_string(0, left, "某县某局2023年政府信息公开工作年度报告")?;
    ws.write_string(1, left, "填报单位：某县某局")?;
    ws.write_string(1, left + 8, "单位：件")?;
    let mut r = top;
    let mut n = 0usize;
    // Table 2: caption rows, header rows, a local extra row after the first block's rows.
    for (bi, block) in cat.t2_blocks.iter().enumerate() {
        ws.merge_range(r, left, r, left + 3, block.caption.zh, &merge)?;
        ws.write_string(r + 1, left, "信息内容")?;
        for (ci, c) in block.columns.iter().enumerate() {
            ws.write_string(r + 1, left + 1 + ci as u16, broken(c.label.zh))?;
        }
        r += 2;
        for row in block.rows {
            ws.write_string(r, left, row.label.zh)?;
            for (ci, c) in block.columns.iter().enumerate() {
                n += 1;
                let v = odd_value(n);
                put(ws, r, left + 1 + ci as u16, v.as_deref(), n.is_multiple_of(2))?;
                expect.insert(format!("t2.{}.{}", row.key, c.key), v.unwrap_or_default());
            }
            r += 1;
        }
        if bi == 0 {
            ws.write_string(r, left, "其他主动公开文件")?;
            ws.write_number(r, left + 1, 5.0)?;
            r += 1;
        }
    }
    r += 2;
    // Table 3.
    ws.merge_range(
        r,
        left,
        r + 2,
        left,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        &merge,
    )?;
    ws.merge_range(r, left + 1, r, left + 7, "申请人情况", &merge)?;
    ws.merge_range(r + 1, left + 1, r + 2, left + 1, "自然人", &merge)?;
    ws.merge_range(r + 1, left + 2, r + 1, left + 6, "法人或其他组织", &merge)?;
    ws.merge_range(r + 1, left + 7, r + 2, left + 7, "总计", &merge)?;
    for (i, c) in T3_COLUMNS.iter().filter(|c| c.in_org_group).enumerate() {
        ws.write_string(r + 2, left + 2 + i as u16, broken(c.label.zh))?;
    }
    r += 3;
    for (ri, row) in cat.t3_rows.iter().enumerate() {
        if odd.skip_row == Some(row.key) {
            continue;
        }
        let def = cat
            .table_cells(TableId::T3)
            .find(|d| d.row_key == row.key)
            .expect("row");
        let flat: String = def.row_path.iter().map(|l| l.zh).collect();
        ws.write_string(r, left, &flat)?;
        for (ci, c) in T3_COLUMNS.iter().enumerate() {
            n += 1;
            let v = odd_value(n);
            put(ws, r, left + 1 + ci as u16, v.as_deref(), n.is_multiple_of(2))?;
            expect.insert(t3_id(row.key, c.key), v.unwrap_or_default());
        }
        r += 1;
        if ri == 0 {
            ws.write_string(r, left, "其中：网上申请")?;
            ws.write_number(r, left + 1, 4.0)?;
            r += 1;
        }
    }
    ws.write_string(r, left, "注：本表由办公室填报。")?;
    r += 3;
    // Table 4: group headers written once, no merges.
    ws.write_string(r, left, "行政复议")?;
    ws.write_string(r, left + 5, "行政诉讼")?;
    for (gi, g) in T4_GROUPS.iter().enumerate() {
        let base = left + 5 * gi as u16;
        if g.parent.is_some() {
            ws.write_string(r + 1, base, g.label.zh)?;
        }
        for (oi, o) in T4_OUTCOMES.iter().enumerate() {
            let hr = if g.parent.is_some() { r + 2 } else { r + 1 };
            ws.write_string(hr, base + oi as u16, o.label.zh)?;
            n += 1;
            let v = odd_value(n);
            put(ws, r + 3, base + oi as u16, v.as_deref(), true)?;
            expect.insert(t4_id(g.key, o.key), v.unwrap_or_default());
        }
    }
    if odd.stray {
        ws.write_string(1_048_575, 16_383, "x")?;
    }
    Ok((wb.save_to_buffer()?, expect))
}

fn expected_cell(version: FormatVersion, expect: &Expect, id: &str) -> Cell {
    let kind = catalogue(version).cell(id).map_or(ValueKind::Count, |d| d.kind);
    parse_cell(expect.get(id).map_or("", String::as_str), kind)
}

fn check_department(name: &str, bytes: &[u8], expect: &Expect) {
    let version = FormatVersion::V2021;
    let got = read(name, bytes);
    assert_eq!(got.report.meta.format, version);
    assert_eq!(got.report.meta.agency, "某县某局");
    assert_eq!(got.report.meta.year, Some(2023));
    assert_same_cells(version, &|id| expected_cell(version, expect, id), &got);
    for l in ["t3.new_received.total", "t4.review.upheld", "t2.fees.amount"] {
        assert_eq!(
            got.sources.get(l).and_then(|l| l.sheet.as_deref()),
            Some("年报数据"),
            "{name} {l}"
        );
    }
    let extra: Vec<String> = got
        .findings
        .iter()
        .filter(|f| f.rule == "IMPORT-EXTRA-ROW")
        .filter_map(|f| f.subject_label().map(|s| s.into_owned()))
        .collect();
    assert_eq!(
        extra,
        ["其他主动公开文件", "其中：网上申请"],
        "{name}: {:?}",
        got.findings
    );
    assert!(
        got.findings
            .iter()
            .all(|f| f.text(xxgk_model::Lang::Zh).contains("年报数据!")),
        "{:?}",
        got.findings
    );
}

#[test]
fn department_layout_imports_cell_by_cell() {
    let (bytes, expect) = department_workbook(FormatVersion::V2021, Odd::default()).expect("workbook");
    let got = read("dept.xlsx", &bytes);
    // Spot checks of the semantics, beside the full comparison below.
    assert_eq!(
        got.report.cell("t3.new_received.natural_person").value(),
        expected_cell(FormatVersion::V2021, &expect, "t3.new_received.natural_person").value()
    );
    check_department("dept.xlsx", &bytes, &expect);
    let kinds: Vec<&str> = got.report.cells.iter().map(|(_, c)| c.state()).collect();
    for k in ["number", "placeholder"] {
        assert!(kinds.contains(&k), "{k}");
    }
    let annotated = got.report.cells.iter().find_map(|(_, c)| match c {
        Cell::Number {
            annotation: Some(a), ..
        } => Some(a.clone()),
        _ => None,
    });
    assert_eq!(annotated.as_deref(), Some("含转办1件"));
}

#[test]
fn a_stray_cell_far_away_costs_nothing() {
    let (bytes, expect) = department_workbook(
        FormatVersion::V2021,
        Odd {
            stray: true,
            ..Odd::default()
        },
    )
    .expect("workbook");
    let start = std::time::Instant::now();
    check_department("stray.xlsx", &bytes, &expect);
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn a_missing_row_is_an_error_naming_it() {
    let odd = Odd {
        skip_row: Some("not_handled.duplicate"),
        ..Odd::default()
    };
    let (bytes, _) = department_workbook(FormatVersion::V2021, odd).expect("workbook");
    let e = read_err("missing.xlsx", &bytes);
    assert_eq!(e.kind, ErrorKind::Missing);
    assert!(
        e.message.zh.contains("表三") && e.message.zh.contains("2.重复申请"),
        "{e}"
    );
    assert!(e.message.en.contains("2. Repeated request"), "{}", e.message.en);
    assert_eq!(e.location.as_ref().and_then(|l| l.sheet.as_deref()), Some("年报数据"));
}

// ───────────────────────────── Hostile files ─────────────────────────────

/// The smallest compound file holding an `EncryptedPackage` stream: the container in which
/// Excel and WPS store a workbook with an open password.
fn encrypted_container() -> Vec<u8> {
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let put16 = |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut header, 24, 0x3E); // minor version
    put16(&mut header, 26, 3); // major version 3: 512-byte sectors
    put16(&mut header, 28, 0xFFFE); // byte order
    put16(&mut header, 30, 9); // sector shift
    put16(&mut header, 32, 6); // mini sector shift
    put32(&mut header, 44, 1); // one FAT sector
    put32(&mut header, 48, 1); // directory in sector 1
    put32(&mut header, 56, 4096); // mini stream cutoff
    put32(&mut header, 60, 0xFFFF_FFFE); // no mini FAT
    put32(&mut header, 68, 0xFFFF_FFFE); // no DIFAT sectors
    for i in 0..109 {
        put32(&mut header, 76 + 4 * i, if i == 0 { 0 } else { 0xFFFF_FFFF });
    }
    let mut fat = vec![0xFFu8; 512];
    put32(&mut fat, 0, 0xFFFF_FFFD); // sector 0 is the FAT
    put32(&mut fat, 4, 0xFFFF_FFFE); // sector 1 (directory) ends its chain
    let mut dir = vec![0u8; 512];
    for (i, (name, kind, child)) in [("Root Entry", 5u8, 1u32), ("EncryptedPackage", 2, 0xFFFF_FFFF)]
        .into_iter()
        .enumerate()
    {
        let e = i * 128;
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        dir[e..e + utf16.len()].copy_from_slice(&utf16);
        put16(&mut dir, e + 64, (utf16.len() + 2) as u16);
        dir[e + 66] = kind;
        dir[e + 67] = 1;
        put32(&mut dir, e + 68, 0xFFFF_FFFF);
        put32(&mut dir, e + 72, 0xFFFF_FFFF);
        put32(&mut dir, e + 76, child);
        put32(&mut dir, e + 116, 0xFFFF_FFFE);
    }
    [header, fat, dir].concat()
}

/// The container is also kept as `tests/fixtures/hostile/encrypted.xlsx` for the hostile-file
/// corpus run through the binary (`crates/cli/tests/hostile.rs`); `XXGK_BLESS=1` rewrites it.
#[test]
fn the_encrypted_fixture_is_this_container() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile/encrypted.xlsx");
    if std::env::var_os("XXGK_BLESS").is_some() {
        std::fs::write(&path, encrypted_container()).expect("write fixture");
    }
    assert_eq!(std::fs::read(&path).expect("fixture"), encrypted_container());
}

#[test]
fn hostile_files_give_clear_errors() {
    let template = xxgk_export::form_xlsx::template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("template");
    let truncated = read_err("cut.xlsx", &template[..template.len() / 2]);
    assert_eq!(truncated.kind, ErrorKind::Syntax, "{truncated}");
    assert!(truncated.message.zh.contains("损坏或不完整"), "{truncated}");
    let png = read_err("photo.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(png.kind, ErrorKind::Format, "{png}");
    let locked = read_err("locked.xlsx", &encrypted_container());
    assert_eq!(locked.kind, ErrorKind::Format, "{locked}");
    assert!(locked.message.zh.contains("密码"), "{locked}");
    let mut empty = Workbook::new();
    empty.add_worksheet();
    let e = read_err("empty.xlsx", &empty.save_to_buffer().expect("empty"));
    assert_eq!(e.kind, ErrorKind::Missing);
    assert!(e.message.zh.contains("空"), "{e}");
    // Labels without numbers read as a blank report: see the template test.
}

#[test]
fn negative_huge_and_unit_numbers_are_read_as_written() {
    let mut report = Report::new(Meta::new("某局", 2023, FormatVersion::V2021));
    for (id, raw) in [
        ("t3.new_received.natural_person", "-3"),
        ("t3.new_received.commercial", "1e20"),
        ("t3.new_received.research", "12件"),
        ("t3.new_received.other_org", "100000000000000000000"),
    ] {
        report.cells.set(id, Cell::Text { raw: raw.into() });
    }
    let got = read("odd-values.xlsx", &export_xlsx(&report));
    assert_eq!(
        got.report.cell("t3.new_received.natural_person").value(),
        Some(Num::int(-3))
    );
    assert_eq!(got.report.cell("t3.new_received.research").value(), Some(Num::int(12)));
    assert_eq!(got.report.cell("t3.new_received.commercial").state(), "text");
    assert_eq!(
        got.report
            .cell("t3.new_received.other_org")
            .value()
            .map(|v| v.to_string()),
        Some("100000000000000000000".into())
    );
    let loc = got.sources.get("t3.new_received.natural_person").expect("located");
    assert_eq!(loc.display(xxgk_model::Lang::Zh), "表三!D6");
    // The rules point at the sheet and cell.
    let mut findings = xxgk_model::check(&got.report, &Default::default());
    got.sources.locate(&mut findings);
    let neg = findings
        .iter()
        .find(|f| f.rule == "INT-NONNEG" && f.status == xxgk_model::Status::Fail)
        .expect("INT-NONNEG fails");
    assert_eq!(
        neg.cells[0]
            .location
            .as_ref()
            .map(|l| l.display(xxgk_model::Lang::Zh))
            .as_deref(),
        Some("表三!D6")
    );
}

// ───────────────────────────── LibreOffice ─────────────────────────────

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|b| {
        Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Converts `file` in `dir` with LibreOffice headless; returns false (after saying so) on failure.
fn convert(bin: &str, dir: &Path, file: &str, to: &str) -> bool {
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let out = Command::new(bin)
        .args([profile.as_str(), "--headless", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(dir.join(file))
        .output();
    match out {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            eprintln!("LibreOffice failed: {}", String::from_utf8_lossy(&o.stderr));
            false
        }
        Err(e) => {
            eprintln!("LibreOffice failed: {e}");
            false
        }
    }
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn xls_and_ods_from_libreoffice_import_cell_by_cell() {
    let Some(bin) = soffice() else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let dir = temp_dir("xls-ods");
    let (bytes, expect) = department_workbook(FormatVersion::V2021, Odd::default()).expect("workbook");
    std::fs::write(dir.join("dept.xlsx"), bytes).expect("write");
    for ext in ["xls", "ods"] {
        assert!(convert(bin, &dir, "dept.xlsx", ext), "convert to {ext}");
        let converted = std::fs::read(dir.join(format!("dept.{ext}"))).expect("converted");
        check_department(&format!("dept.{ext}"), &converted, &expect);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Removes the stored results of every formula, so that only a real recalculation can show them.
fn strip_formula_results(xlsx: &[u8]) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        if name.starts_with("xl/worksheets/") {
            let mut s = String::from_utf8(data).expect("utf8");
            let mut from = 0;
            while let Some(p) = s[from..].find("</f><v>") {
                let start = from + p + "</f>".len();
                let end = s[start..].find("</v>").map(|e| start + e + "</v>".len()).expect("</v>");
                s.replace_range(start..end, "");
                from = start;
            }
            data = s.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn libreoffice_recalculates_totals_and_checks() {
    let Some(bin) = soffice() else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let dir = temp_dir("recalc");
    let report = sample(FormatVersion::V2021);
    std::fs::write(dir.join("form.xlsx"), strip_formula_results(&export_xlsx(&report))).expect("write");
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    assert!(convert(bin, &dir, "form.xlsx", filter));
    let csv = std::fs::read_to_string(dir.join("form-表三.csv")).expect("表三 as CSV");
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let got = read("form.xlsx", &export_xlsx(&report));
    let cat = catalogue(FormatVersion::V2021);
    for row in cat.t3_rows {
        let id = t3_id(row.key, T3_TOTAL);
        let (r, c) = cell_pos(&got.sources.get(&id).and_then(|l| l.cell.clone()).expect("located"));
        let shown = rows[r as usize][c as usize];
        let check = rows[r as usize][10];
        if BROKEN_ROWS.contains(&row.key) {
            assert_eq!(shown, report.cell(&id).raw_text(), "{id}");
            assert_ne!(check, "0", "{id}: a broken total shows in its check cell");
        } else {
            assert_eq!(shown, report.cell(&id).value().expect("number").to_string(), "{id}");
            assert_eq!(check, "0", "{id}");
        }
    }
    // The balance check row: computed, and not 0 for this report (its columns do not balance).
    let balance = &rows[cat.t3_rows.len() + 5];
    assert!(balance[0].starts_with("列核对"), "{balance:?}");
    assert!(balance[3..10].iter().all(|v| v.parse::<i64>().is_ok()), "{balance:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The texts of the cells that LibreOffice paints with the check format's red fill.
fn red_cells(bin: &str, dir: &Path, report: &Report, name: &str) -> Vec<String> {
    std::fs::write(dir.join(format!("{name}.xlsx")), export_xlsx(report)).expect("write");
    assert!(convert(bin, dir, &format!("{name}.xlsx"), "html"));
    let html = std::fs::read_to_string(dir.join(format!("{name}.html"))).expect("html");
    let mut out = Vec::new();
    let mut rest = html.as_str();
    while let Some(p) = rest.find("<td") {
        rest = &rest[p..];
        let end = rest.find("</td>").unwrap_or(rest.len());
        let cell = &rest[..end];
        let open_end = cell.find('>').unwrap_or(0);
        if cell[..open_end].to_ascii_uppercase().contains("FFC7CE") {
            let mut text = String::new();
            let mut in_tag = false;
            for ch in cell[open_end + 1..].chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag && !c.is_whitespace() => text.push(c),
                    _ => {}
                }
            }
            out.push(text);
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 3 {
            break;
        }
        rest = &rest[3..];
    }
    out
}

#[test]
fn libreoffice_paints_broken_identities_red() {
    let Some(bin) = soffice() else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let dir = temp_dir("red");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let load = |rel: &str| -> Report {
        let path = fixtures.join(rel);
        read(rel, &std::fs::read(path).expect("fixture")).report
    };
    assert_eq!(
        red_cells(bin, &dir, &load("valid-2021.json"), "valid"),
        Vec::<String>::new()
    );
    // T3-ROWSUM: 予以公开 总计 40 against 39, 部分公开 13 against 14.
    let mut red = red_cells(bin, &dir, &load("broken/T3-ROWSUM.json"), "rowsum");
    red.sort();
    assert_eq!(red, ["-1", "1"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// How a local template writes an official label: half-width brackets, “1、”, straight quotes,
/// spaces between characters, glosses, notes dropped or reworded.
fn local_variant(label: &str) -> String {
    match label {
        "规章" => "规章（设区的市、自治州人民政府应提供相关数据）".into(),
        "本年收费金额（单位：万元）" => "本年收费金额\n（万元，保留四位小数）".into(),
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" => "(二)部分公开".into(),
        "自然人" => "自 然 人".into(),
        "3.危及“三安全一稳定”" => "3、危及\"三安全一稳定\"".into(),
        other => other.replace('（', "(").replace('）', ")").replacen("1.", "1、", 1),
    }
}

/// One sheet per table, each at its own offset under a title and a unit row, with the official
/// merges, local label variants, and the basic information in the first sheet's title rows.
fn local_template(version: FormatVersion) -> Result<(Vec<u8>, Expect), XlsxError> {
    use xxgk_model::layout::{Content, table_layout};
    let mut wb = Workbook::new();
    let mut expect = Expect::new();
    let merge = Format::new();
    let mut n = 3usize;
    for (i, table) in TableId::ALL.into_iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("表{}", i + 2))?;
        let (top, left) = (4 + i as u32, 1 + i as u16);
        if i == 0 {
            ws.write_string(0, 0, "填报单位：某县某局")?;
            ws.write_string(0, 3, "报告年度")?;
            ws.write_number(0, 4, 2023.0)?;
        }
        ws.write_string(top - 2, left, table.section().heading().zh)?;
        ws.write_string(top - 1, left + 3, "单位：件")?;
        for p in table_layout(version, table).cells {
            let (r, c) = (top + p.row, left + p.col as u16);
            let text = match p.content {
                Content::Caption(l) | Content::ColumnHeader(l) | Content::RowHeader(l) | Content::Note(l) => {
                    local_variant(l.zh)
                }
                Content::Data(def) => {
                    n += 1;
                    let v = odd_value(n);
                    if p.is_merged() {
                        ws.merge_range(r, c, r + p.rows - 1, c + p.cols as u16 - 1, "", &merge)?;
                    }
                    put(ws, r, c, v.as_deref(), n.is_multiple_of(3))?;
                    expect.insert(def.id.clone(), v.unwrap_or_default());
                    continue;
                }
            };
            if p.is_merged() {
                ws.merge_range(r, c, r + p.rows - 1, c + p.cols as u16 - 1, &text, &merge)?;
            } else {
                ws.write_string(r, c, &text)?;
            }
        }
    }
    Ok((wb.save_to_buffer()?, expect))
}

#[test]
fn local_templates_with_label_variants_import_cell_by_cell() {
    for version in FormatVersion::ALL {
        let (bytes, expect) = local_template(version).expect("workbook");
        let got = read("local.xlsx", &bytes);
        assert_eq!(got.report.meta.format, version);
        assert_eq!(
            (got.report.meta.agency.as_str(), got.report.meta.year),
            ("某县某局", Some(2023))
        );
        assert_same_cells(version, &|id| expected_cell(version, &expect, id), &got);
        assert!(
            got.findings.iter().all(|f| f.rule != "IMPORT-EXTRA-ROW"),
            "{:?}",
            got.findings
        );
        let loc = got.sources.get("t4.review.upheld").expect("located");
        assert_eq!(loc.display(xxgk_model::Lang::Zh), "表4!D10");
    }
}
