//! Hostile files built here, each read through `xxgk_import::import`: every one must end in a
//! clear error or a located finding, never in a crash, a huge allocation or a hang. The same
//! constructions run through the binary under a memory limit in `crates/cli/tests/hostile.rs`.

mod common;

use common::{edit, rezip, unzip};
use std::io::{Cursor, Write};
use xxgk_import::{ErrorKind, ImportError, ImportOptions, import};

fn read_err(name: &str, bytes: &[u8]) -> ImportError {
    match import(name, bytes, &ImportOptions::default()) {
        Ok(_) => panic!("{name}: imported, expected an error"),
        Err(e) => e,
    }
}

// ───────────────────────────── xls ─────────────────────────────

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&u16::try_from(data.len()).expect("short record").to_le_bytes());
    out.extend_from_slice(data);
}

/// A BIFF8 workbook stream with one sheet whose `DIMENSIONS` record declares `rows` × 256
/// cells (calamine reserves that many) and one number cell, padded to at least `min_len`.
pub fn biff_workbook(rows: u32, min_len: usize) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    // BOUNDSHEET: the sheet's offset is patched in below.
    let bound_at = globals.len() + 4;
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    record(&mut globals, 0x000A, &[]);
    let offset = u32::try_from(globals.len()).expect("offset");
    globals[bound_at..bound_at + 4].copy_from_slice(&offset.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&rows.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut sheet, 0x0200, &dims);
    let mut number = vec![0u8; 6];
    number.extend_from_slice(&1f64.to_le_bytes());
    record(&mut sheet, 0x0203, &number);
    // Padding: a record calamine skips (a note of the writer, 0x005C WRITEACCESS).
    while globals.len() + sheet.len() + 4 < min_len {
        record(&mut sheet, 0x005C, &[b' '; 100]);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    globals
}

/// A compound file holding `streams` (path, bytes), created in that order.
fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("create");
    for (path, data) in streams {
        if let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
            && !cfb.exists(dir)
        {
            cfb.create_storage_all(dir).expect("storage");
        }
        let mut s = cfb.create_stream(path).expect("stream");
        s.write_all(data).expect("write");
    }
    cfb.flush().expect("flush");
    let mut file = cfb.into_inner().into_inner();
    // The entries' creation and modification times (bytes 100–115), zeroed so that the same
    // file is made every time.
    let dir = 512 + u32::from_le_bytes([file[48], file[49], file[50], file[51]]) as usize * 512;
    for entry in 0..4 {
        file[dir + entry * 128 + 100..dir + entry * 128 + 116].fill(0);
    }
    file
}

fn assert_limit(e: &ImportError, option: &str) {
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert!(e.message.zh.contains(option) && e.message.en.contains(option), "{e}");
}

#[test]
fn the_xls_stream_scanned_is_the_one_calamine_parses() {
    // 200,000 rows × 256 columns declared: far over the cell limit.
    let hostile = biff_workbook(200_000, 0);
    let harmless = biff_workbook(10, 0);
    // Nested in a storage, where a lookup of the path `/Workbook` finds nothing.
    let e = read_err("nested.xls", &compound(&[("/Sub/Workbook", &hostile)]));
    assert_limit(&e, "--max-cells");
    // Shadowing `/Workbook`: the nested stream comes first in the directory, so calamine
    // parses it and not the harmless one at the root.
    let e = read_err(
        "shadow.xls",
        &compound(&[("/Sub/Workbook", &hostile), ("/Workbook", &harmless)]),
    );
    assert_limit(&e, "--max-cells");
    // Another letter case, and the old name `Book`.
    let e = read_err("case.xls", &compound(&[("/WORKBOOK", &hostile)]));
    assert_limit(&e, "--max-cells");
    let e = read_err("book.xls", &compound(&[("/Deep/Er/Book", &hostile)]));
    assert_limit(&e, "--max-cells");
    // In the mini stream (under 4,096 bytes) and in regular sectors alike.
    let e = read_err(
        "big.xls",
        &compound(&[("/Sub/Workbook", &biff_workbook(200_000, 10_000))]),
    );
    assert_limit(&e, "--max-cells");
}

/// Calls `f` with the offset of the directory entry named `name` of a compound file (512-byte
/// sectors, the directory in one sector) and the stream's first sector.
fn patch_stream(file: &mut [u8], name: &str, f: impl FnOnce(&mut [u8], usize, u32)) {
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let dir_at = 512 + u32_at(file, 48) as usize * 512;
    let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let entry = (0..4)
        .map(|i| dir_at + i * 128)
        .find(|&at| file[at..at + utf16.len()] == utf16[..])
        .expect("directory entry");
    let start = u32_at(file, entry + 116);
    f(file, entry, start);
}

#[test]
fn a_looping_sector_chain_is_refused_before_calamine_reads_it() {
    let mut file = compound(&[("/Workbook", &biff_workbook(10, 10_000))]);
    // The stream declares 4 GB and its first sector's FAT entry points back to itself.
    patch_stream(&mut file, "Workbook", |file, entry, start| {
        file[entry + 120..entry + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let fat_at = 512 + u32::from_le_bytes([file[76], file[77], file[78], file[79]]) as usize * 512;
        let at = fat_at + start as usize * 4;
        file[at..at + 4].copy_from_slice(&start.to_le_bytes());
    });
    let e = read_err("loop.xls", &file);
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert!(e.message.en.contains("loops back"), "{e}");
}

// ───────────────────────────── xlsx ─────────────────────────────

fn template() -> Vec<u8> {
    xxgk_export::form_xlsx::template(xxgk_model::FormatVersion::V2021, Some("某局"), Some(2023)).expect("template")
}

/// The first sheet part holding cells.
const SHEET: &str = "xl/worksheets/sheet1.xml";
const STRINGS: &str = "xl/sharedStrings.xml";
/// The sheet of table 4.
const TABLE4: &str = "xl/worksheets/sheet4.xml";

fn with_rows(xlsx: &[u8], rows: &str) -> Vec<u8> {
    edit(xlsx, SHEET, |s| {
        s.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1)
    })
}

#[test]
fn declared_and_real_shared_string_counts_are_bounded() {
    let xlsx = template();
    // 10^10 strings declared: refused before calamine reserves room for them.
    let declared = edit(&xlsx, STRINGS, |s| {
        let at = s.find("uniqueCount=\"").expect("uniqueCount") + "uniqueCount=\"".len();
        let end = at + s[at..].find('"').expect("end");
        format!("{}10000000000{}", &s[..at], &s[end..])
    });
    let e = read_err("declared.xlsx", &declared);
    assert_limit(&e, "--max-cells");
    assert!(e.message.en.contains("10000000000"), "{e}");
    // Three million empty strings (the issue's 10^8, scaled to the limit): refused while counted.
    let empty = edit(&xlsx, STRINGS, |s| {
        s.replacen("</sst>", &format!("{}</sst>", "<si/>".repeat(3_000_000)), 1)
    });
    assert_limit(&read_err("empty-si.xlsx", &empty), "--max-cells");
}

#[test]
fn one_long_string_in_many_cells_is_refused_by_the_total_text_budget() {
    let xlsx = template();
    // A 100,000-character string, appended to the table, used by 30,000 cells.
    let mut index = 0;
    let long = edit(&xlsx, STRINGS, |s| {
        index = s.matches("<si>").count();
        s.replacen("</sst>", &format!("<si><t>{}</t></si></sst>", "长".repeat(100_000)), 1)
    });
    let mut rows = String::new();
    for r in 0..300 {
        rows.push_str(&format!("<row r=\"{}\">", r + 2000));
        for c in 0..100 {
            rows.push_str(&format!("<c r=\"{}{}\" t=\"s\"><v>{index}</v></c>", col(c), r + 2000));
        }
        rows.push_str("</row>");
    }
    let start = std::time::Instant::now();
    let e = read_err("long-shared.xlsx", &with_rows(&long, &rows));
    assert_limit(&e, "--max-total-chars");
    assert!(e.location.is_some(), "the cell where the budget ran out is named: {e}");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

fn col(c: usize) -> String {
    let mut s = String::new();
    let mut n = c + 1;
    while n > 0 {
        s.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    s
}

#[test]
fn a_shared_string_index_that_is_no_number_is_an_error_naming_the_cell() {
    let xlsx = template();
    // Past 64 bits, calamine's parser gives up and reads string 0 too.
    for bad in [
        "-1",
        "abc",
        "1.5",
        " 1",
        "&#49;",
        "99999999999999999999",
        "18446744073709551616",
    ] {
        let f = with_rows(
            &xlsx,
            &format!(r#"<row r="2000"><c r="B2000" t="s"><v>{bad}</v></c></row>"#),
        );
        let e = read_err("index.xlsx", &f);
        assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
        let at = e.location.as_deref().expect("located");
        assert_eq!(at.cell.as_deref(), Some("B2000"), "{e}");
    }
}

#[test]
fn duplicate_cells_and_zip_entries_are_errors() {
    let xlsx = template();
    let twice = with_rows(
        &xlsx,
        r#"<row r="2000"><c r="B2000"><v>80</v></c><c r="B2000"><v>5</v></c></row>"#,
    );
    let e = read_err("twice.xlsx", &twice);
    assert!(e.message.en.contains("B2000") && e.message.en.contains("twice"), "{e}");
    // Two entries of one name: written under two names of one length, then one renamed.
    let mut entries = unzip(&xlsx);
    let copy = entries.iter().find(|(n, _)| n == SHEET).expect("sheet").1.clone();
    entries.push(("xl/worksheets/sheetX.xml".to_string(), copy));
    let mut bytes = rezip(&entries);
    let (from, to) = (b"xl/worksheets/sheetX.xml", b"xl/worksheets/sheet1.xml");
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + p..i + p + from.len()].copy_from_slice(to);
        i += p + 1;
    }
    let e = read_err("entries.xlsx", &bytes);
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
}

#[test]
fn many_merged_regions_and_a_far_cell_are_read_quickly() {
    let xlsx = template();
    let mut merges = String::new();
    // 99,000 regions and the template's own: just under the 100,000 read.
    for i in 0..99_000 {
        let r = 3000 + i / 8;
        let c = (i % 8) * 2;
        merges.push_str(&format!(r#"<mergeCell ref="{}{r}:{}{r}"/>"#, col(c), col(c + 1)));
    }
    let far = r#"<row r="2999"><c r="XFD2999" t="inlineStr"><is><t>x</t></is></c></row>"#;
    // In the sheet of table 4, whose matcher scans whole rows: with a linear search of the
    // regions per lookup this took 87 s in a release build.
    let f = edit(&xlsx, TABLE4, |s| {
        let s = s.replacen("</sheetData>", &format!("{far}</sheetData>"), 1);
        if s.contains("</mergeCells>") {
            s.replacen("</mergeCells>", &format!("{merges}</mergeCells>"), 1)
        } else {
            s.replacen(
                "</sheetData>",
                &format!("</sheetData><mergeCells>{merges}</mergeCells>"),
                1,
            )
        }
    });
    let start = std::time::Instant::now();
    let got = import("merges.xlsx", &f, &ImportOptions::default()).expect("read");
    assert_eq!(got.len(), 1);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    // One region more than are read is an error, not a silent cut.
    let extra: String = (0..2000)
        .map(|i| format!(r#"<mergeCell ref="A{r}:B{r}"/>"#, r = 20_000 + i))
        .collect();
    let more = edit(&f, TABLE4, |s| {
        s.replacen("</mergeCells>", &format!("{extra}</mergeCells>"), 1)
    });
    assert_limit_en(&read_err("more-merges.xlsx", &more), "merged regions");
}

fn assert_limit_en(e: &ImportError, needle: &str) {
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert!(e.message.en.contains(needle), "{e}");
}

// ───────────────────────────── HTML ─────────────────────────────

#[test]
fn self_closing_divs_count_as_the_open_elements_they_are() {
    let page = format!("<html><body>{}一、总体情况</body></html>", "<div/>".repeat(100_000));
    let start = std::time::Instant::now();
    let e = read_err("divs.html", page.as_bytes());
    assert_limit(&e, "--max-html-depth");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    // In SVG a `/>` does close the element: a drawing of many paths is no deep page.
    let svg = format!(
        "<html><body><svg>{}</svg><p>一、总体情况</p></body></html>",
        "<path d=\"M0 0\"/>".repeat(5_000)
    );
    if let Err(e) = import("svg.html", svg.as_bytes(), &ImportOptions::default()) {
        assert_ne!(e.kind, ErrorKind::Limit, "{e}");
    }
}

#[test]
fn deep_pages_with_much_text_are_read_in_linear_time() {
    // 990 nested divs around 3 MB of text (the issue's 15 MB, scaled for a debug build).
    let text = "一、总体情况。本机关认真贯彻落实条例。".repeat(3 << 20 >> 6);
    let page = format!(
        "<html><body>{}<p>{text}</p>{}</body></html>",
        "<div>".repeat(990),
        "</div>".repeat(990)
    );
    let start = std::time::Instant::now();
    let _ = import("deep-text.html", page.as_bytes(), &ImportOptions::default());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn spans_cannot_blow_a_table_up() {
    let row = "<td rowspan=512 colspan=64>1</td>".repeat(200);
    let page = format!(
        "<html><body><h1>2023年度政府信息公开工作年度报告</h1><p>一、总体情况</p><table>{}</table></body></html>",
        format!("<tr>{row}</tr>").repeat(50)
    );
    let start = std::time::Instant::now();
    let e = read_err("spans.html", page.as_bytes());
    assert_limit(&e, "--max-cells");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

// ───────────────────────────── JSON and CSV ─────────────────────────────

fn fixture() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid-2021.json");
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn escaped_keys_are_located_in_linear_time() {
    // Every key of every cell written with an escape: 2,000 reports in one array.
    let one = fixture().replace("\"t", "\"\\u0074");
    let many = format!("[{}]", vec![one.as_str(); 2000].join(","));
    let start = std::time::Instant::now();
    let got = import("escaped.json", many.as_bytes(), &ImportOptions::default()).expect("read");
    assert_eq!(got.len(), 2000);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    // The cells are still located, in the right report.
    let id = "t3.new_received.natural_person";
    let lines = one.lines().count() as u64;
    let first = got[0].sources.get(id).and_then(|l| l.line).expect("located");
    assert_eq!(got[1].sources.get(id).and_then(|l| l.line), Some(first + lines));
}

#[test]
fn json_numbers_a_float_would_change_are_refused() {
    let json = fixture();
    let at = json.find("\"value\": ").expect("a number cell") + "\"value\": ".len();
    let end = at + json[at..].find([',', '\n', '}']).expect("end of number");
    for v in [
        "123456789012345678901",
        "12345678901234567.5",
        "1e-500",
        "0.12345678901234567891",
    ] {
        let text = format!("{}{v}{}", &json[..at], &json[end..]);
        let e = read_err("digits.json", text.as_bytes());
        assert_eq!(e.kind, ErrorKind::Shape, "{v}: {e}");
        assert!(e.message.en.contains(v), "{v}: {e}");
        assert!(e.location.as_ref().and_then(|l| l.line).is_some(), "{e}");
    }
    // Exact in 64 bits or as a decimal of a few digits: read as written.
    for v in ["18446744073709551615", "103.3879", "1e3"] {
        let text = format!("{}{v}{}", &json[..at], &json[end..]);
        if let Err(e) = import("ok.json", text.as_bytes(), &ImportOptions::default()) {
            assert_ne!(e.kind, ErrorKind::Shape, "{v}: {e}");
        }
    }
}

#[test]
fn a_raw_text_that_disagrees_with_the_value_is_dropped_with_a_finding() {
    let json = fixture();
    let id = "t3.new_received.natural_person";
    let at = json.find(&format!("\"{id}\"")).expect("cell");
    let close = at + json[at..].find('}').expect("cell end");
    let text = format!("{}, \"raw\": \"5\"{}", &json[..close], &json[close..]);
    let got = import("raw.json", text.as_bytes(), &ImportOptions::default()).expect("read");
    let cell = got[0].report.cell(id);
    assert_eq!(
        cell.raw_text(),
        cell.value().expect("number").to_string(),
        "the raw text is not kept"
    );
    let f = got[0]
        .findings
        .iter()
        .find(|f| f.rule == xxgk_import::values::RAW_MISMATCH_RULE)
        .expect("finding");
    assert_eq!(f.severity, xxgk_model::Severity::Error);
    assert_eq!(f.found_text().as_deref(), Some("5"));
    assert!(
        f.cells[0].location.as_ref().and_then(|l| l.line).is_some(),
        "located: {f:?}"
    );
    // A raw text that says the value (an annotation, full-width digits) stays.
    let value = cell.value().expect("number").to_string();
    let same = format!("{}, \"raw\": \"{value}（其中1件）\"{}", &json[..close], &json[close..]);
    let got = import("same.json", same.as_bytes(), &ImportOptions::default()).expect("read");
    assert!(
        got[0]
            .findings
            .iter()
            .all(|f| f.rule != xxgk_import::values::RAW_MISMATCH_RULE)
    );
    assert_eq!(got[0].report.cell(id).raw_text(), format!("{value}（其中1件）"));

    // The long CSV: value 80, raw 5.
    let csv = "agency,year,format,cell_id,table,row_label,column_label,value,state,raw\r\n某局,2023,2021,t3.new_received.natural_person,,,,80,number,5\r\n";
    let got = import("raw.csv", csv.as_bytes(), &ImportOptions::default()).expect("read");
    assert_eq!(got[0].report.cell(id).raw_text(), "80");
    let f = got[0]
        .findings
        .iter()
        .find(|f| f.rule == xxgk_import::values::RAW_MISMATCH_RULE)
        .expect("finding");
    assert_eq!(f.cells[0].location.as_ref().and_then(|l| l.line), Some(2));
}

// ───────────────────────────── ods ─────────────────────────────

/// An ods file whose only sheet holds `rows`.
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="表三">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    common::ods_file(&content, None, false)
}

/// The issue's ods files: a repeat count a hand scan missed, expanding to 98 million cells.
pub fn hostile_ods() -> Vec<(&'static str, Vec<u8>)> {
    let rows = |cell: &str| format!(r#"<table:table-row table:number-rows-repeated="6000">{cell}</table:table-row>"#);
    vec![
        (
            "ods-single-quotes.ods",
            ods(&rows(
                r#"<table:table-cell table:number-columns-repeated='16384' office:value-type='float' office:value='1'/>"#,
            )),
        ),
        (
            "ods-value-without-type.ods",
            ods(&rows(
                r#"<table:table-cell office:value="1" table:number-columns-repeated="16384"/>"#,
            )),
        ),
        (
            "ods-gt-in-attribute.ods",
            ods(&rows(
                r#"<table:table-cell table:style-name="a>b" office:value="1" table:number-columns-repeated="16384"/>"#,
            )),
        ),
        (
            "ods-comment.ods",
            ods(&format!(
                "<!--><table:table/>-->{}",
                rows(r#"<table:table-cell office:value="1" table:number-columns-repeated="16384"/>"#)
            )),
        ),
        (
            "ods-long-text-repeated.ods",
            ods(&format!(
                r#"<table:table-row><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
                "长".repeat(100_000)
            )),
        ),
    ]
}

/// The issue's xls files.
pub fn hostile_xls() -> Vec<(&'static str, Vec<u8>)> {
    let hostile = biff_workbook(200_000, 0);
    let mut looping = compound(&[("/Workbook", &biff_workbook(10, 10_000))]);
    patch_stream(&mut looping, "Workbook", |file, entry, start| {
        file[entry + 120..entry + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let fat_at = 512 + u32::from_le_bytes([file[76], file[77], file[78], file[79]]) as usize * 512;
        let at = fat_at + start as usize * 4;
        file[at..at + 4].copy_from_slice(&start.to_le_bytes());
    });
    vec![
        ("xls-nested-workbook.xls", compound(&[("/Sub/Workbook", &hostile)])),
        (
            "xls-shadowed-workbook.xls",
            compound(&[("/Sub/Workbook", &hostile), ("/Workbook", &biff_workbook(10, 0))]),
        ),
        ("xls-looping-chain.xls", looping),
    ]
}

#[test]
fn hidden_ods_repeat_counts_and_repeated_text_are_refused() {
    for (name, bytes) in hostile_ods() {
        let start = std::time::Instant::now();
        let e = read_err(name, &bytes);
        let option = if name.contains("text") {
            "--max-total-chars"
        } else {
            "--max-cells"
        };
        assert_limit(&e, option);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{name}: {:?}",
            start.elapsed()
        );
    }
}

/// The ods and xls files above are also kept in `tests/fixtures/hostile/` (a few kilobytes each),
/// where the binary's hostile suite runs them under a memory limit. `XXGK_BLESS=1` rewrites them.
#[test]
fn the_stored_hostile_fixtures_are_these_generators() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/hostile");
    for (name, bytes) in hostile_ods().into_iter().chain(hostile_xls()) {
        let path = dir.join(name);
        if std::env::var_os("XXGK_BLESS").is_some() {
            std::fs::write(&path, &bytes).expect("write fixture");
        }
        let stored = std::fs::read(&path).unwrap_or_default();
        assert!(
            stored == bytes,
            "{name} differs from its generator: run with XXGK_BLESS=1"
        );
    }
}

/// The guards refuse what calamine would choke on, not real files: an xls and an ods saved by
/// LibreOffice (kept as fuzzing seeds) still read as valid reports.
#[test]
fn real_xls_and_ods_files_pass_the_guards() {
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/spreadsheet");
    for name in ["valid-2019.xls", "valid-2021.ods", "example-2021.xlsx"] {
        let bytes = std::fs::read(seeds.join(name)).expect("seed");
        let got = import(name, &bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got.len(), 1, "{name}");
        assert!(got[0].report.cells.iter().count() > 100, "{name}");
    }
}

/// A BIFF8 workbook stream whose shared-string table holds one string of `len` characters
/// (split over CONTINUE records, as Excel writes a long one), used by `cells` label cells.
fn biff_shared_text(len: usize, cells: u32) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let bound_at = globals.len() + 4;
    record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'S']);
    // SST: totals, then the string: cch, flags (8-bit characters), the characters.
    let mut sst = Vec::new();
    sst.extend_from_slice(&cells.to_le_bytes());
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&u16::try_from(len).expect("cch").to_le_bytes());
    sst.push(0);
    let chars = vec![b'x'; len];
    let first = chars.len().min(8000);
    sst.extend_from_slice(&chars[..first]);
    record(&mut globals, 0x00FC, &sst);
    for chunk in chars[first..].chunks(8000) {
        let mut cont = vec![0u8];
        cont.extend_from_slice(chunk);
        record(&mut globals, 0x003C, &cont);
    }
    record(&mut globals, 0x000A, &[]);
    let offset = u32::try_from(globals.len()).expect("offset");
    globals[bound_at..bound_at + 4].copy_from_slice(&offset.to_le_bytes());
    record(&mut globals, 0x0809, &bof(0x0010));
    for i in 0..cells {
        let mut d = Vec::new();
        d.extend_from_slice(&u16::try_from(i / 100).expect("row").to_le_bytes());
        d.extend_from_slice(&u16::try_from(i % 100).expect("col").to_le_bytes());
        d.extend_from_slice(&[0, 0]);
        d.extend_from_slice(&0u32.to_le_bytes());
        record(&mut globals, 0x00FD, &d);
    }
    record(&mut globals, 0x000A, &[]);
    globals
}

#[test]
fn one_long_xls_string_in_many_cells_is_refused_by_the_total_text_budget() {
    // Read as calamine reads it: three cells of a 20,000-character string are within the budget.
    let few = compound(&[("/Workbook", &biff_shared_text(20_000, 3))]);
    let grids = xxgk_import::read_grids_with("few.xls", &few, &ImportOptions::default()).expect("read");
    assert_eq!(grids[0].text(0, 2).len(), 20_000);
    // 30,000 cells of a 65,535-character string are two billion characters.
    let many = compound(&[("/Workbook", &biff_shared_text(65_535, 30_000))]);
    let start = std::time::Instant::now();
    assert_limit(&read_err("many.xls", &many), "--max-total-chars");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

/// Found by the ods generator: one cell repeated down all 1,048,576 rows is within calamine's
/// own caps and was read (2.6 s and 685 MB in a release build); the dense extent is now over the
/// default cell limit and refused before calamine reads it.
#[test]
fn one_cell_repeated_down_every_row_is_refused() {
    let f = ods(
        r#"<table:table-row table:number-rows-repeated='1048576'><table:table-cell office:string-value='71'/></table:table-row>"#,
    );
    let e = read_err("rows.ods", &f);
    assert_limit(&e, "--max-cells");
    assert!(e.message.en.contains("1048576 rows"), "{e}");
}

#[test]
fn an_xls_cell_written_twice_is_an_error() {
    let mut stream = biff_workbook(10, 0);
    let eof = stream.len() - 4;
    let mut number = vec![0u8; 6];
    number.extend_from_slice(&5f64.to_le_bytes());
    let mut twice = Vec::new();
    record(&mut twice, 0x0203, &number);
    stream.splice(eof..eof, twice);
    let e = read_err("twice.xls", &compound(&[("/Workbook", &stream)]));
    assert!(e.message.en.contains("A1") && e.message.en.contains("twice"), "{e}");
}
