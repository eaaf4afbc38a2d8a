//! The hostile-file corpus: files that are broken, huge, odd or malicious, each run through
//! `xxgk validate` as a child process under a memory limit (`prlimit --as`, see `common`) and a
//! time bound. Each must end with a finding or a clear error — exit code 0, 1 or 2, a message
//! naming the file, and no panic — the way a statistics office running xxgk unattended over
//! hundreds of files needs it to. Files are generated here from the valid fixtures where possible; the inputs
//! fuzzing found are kept in `tests/fixtures/hostile/`.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Wall-time bound of each run (a debug build on a shared 2-core machine).
const TIME: Duration = Duration::from_secs(30);

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Outcome {
    code: i32,
    /// Standard output and error together (the report of an unreadable file is on stdout).
    stderr: String,
    elapsed: Duration,
}

/// Runs `xxgk validate <file> [extra…]` under the memory cap of `common` (with `prlimit`, or
/// `ulimit -v` where there is none), killed at the time bound; asserts no panic and an exit code
/// of 0, 1 or 2.
fn validate(file: &Path, extra: &[&str]) -> Outcome {
    let mut args = vec![std::ffi::OsStr::new("validate"), file.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let r = common::run_bounded(common::command(&args), &file.display().to_string(), TIME);
    Outcome {
        code: r.code,
        stderr: format!("{}{}", r.stdout, r.stderr),
        elapsed: r.elapsed,
    }
}

/// Asserts a clear error: exit 2, naming the file and containing `needle`.
fn assert_error(file: &Path, extra: &[&str], needle: &str) -> Outcome {
    let o = validate(file, extra);
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert_eq!(o.code, 2, "{name}: {}", o.stderr);
    assert!(
        o.stderr.contains(name),
        "{name}: the error does not name the file: {}",
        o.stderr
    );
    assert!(o.stderr.contains(needle), "{name}: expected “{needle}”: {}", o.stderr);
    o
}

/// A valid report in `format`, written by `xxgk convert`.
fn export(dir: &Path, format: &str, to: &str) -> Vec<u8> {
    let out = dir.join(format!("valid.{format}"));
    let status = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["convert", "--to", to, "-o"])
        .arg(&out)
        .arg(root().join("tests/fixtures/valid-2021.json"))
        .status()
        .expect("convert");
    assert!(status.success());
    std::fs::read(&out).expect("read export")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

/// The entries of a zip, in order, as (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// The valid workbook with `rows` inserted at the end of its table sheet's data.
fn with_rows(xlsx: &[u8], rows: &str) -> Vec<u8> {
    let mut entries = unzip(xlsx);
    let (_, sheet) = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
        .expect("table sheet");
    let text = String::from_utf8(std::mem::take(sheet)).expect("utf-8");
    *sheet = text
        .replacen("</sheetData>", &format!("{rows}</sheetData>"), 1)
        .into_bytes();
    rezip(&entries)
}

#[test]
fn broken_and_malicious_workbooks_give_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let xlsx = export(d, "xlsx", "xlsx");

    // Truncated at every part boundary: each local header, the central directory and its end.
    let mut cuts: Vec<usize> = xlsx
        .windows(4)
        .enumerate()
        .filter(|(_, w)| [&b"PK\x03\x04"[..], b"PK\x01\x02", b"PK\x05\x06"].contains(w))
        .map(|(i, _)| i)
        .filter(|&i| i > 0)
        .collect();
    cuts.push(xlsx.len() - 1);
    assert!(cuts.len() >= 3, "{cuts:?}");
    for cut in cuts {
        let f = write(d, &format!("cut-{cut}.xlsx"), &xlsx[..cut]);
        let o = validate(&f, &[]);
        assert_eq!(o.code, 2, "cut at {cut}: {}", o.stderr);
    }

    // A zip bomb: 80 entries of 8 MiB of zeros (640 MiB in all) in a file of under a megabyte,
    // refused from the central directory before anything is inflated.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("xl/worksheets/sheet1.xml", opts).expect("start");
    w.write_all(&vec![0u8; 8 << 20]).expect("zeros");
    let one = w.finish().expect("finish").into_inner();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(&one[..])).expect("zip");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..80 {
        let f = src.by_index_raw(0).expect("entry");
        w.raw_copy_file_rename(f, format!("xl/worksheets/sheet{}.xml", i + 1))
            .expect("copy");
    }
    let bomb = w.finish().expect("finish").into_inner();
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    assert_error(&write(d, "bomb.xlsx", &bomb), &[], "--max-unpacked-bytes");

    // An entry that lies about its size: the table sheet padded with 16 MiB of spaces, its
    // declared size (local header and central directory) left at the original's, so that the
    // limits checked before inflating pass. Inflating stops at the declared size.
    let mut entries = unzip(&xlsx);
    let (_, sheet) = entries
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet3.xml")
        .expect("table sheet");
    let declared = u32::try_from(sheet.len()).expect("size");
    let text = String::from_utf8(std::mem::take(sheet)).expect("utf-8");
    *sheet = text
        .replacen("</sheetData>", &format!("</sheetData>{}", " ".repeat(16 << 20)), 1)
        .into_bytes();
    let mut lying = rezip(&entries);
    let name = b"xl/worksheets/sheet3.xml";
    let headers: Vec<(usize, usize)> = lying
        .windows(4)
        .enumerate()
        .filter_map(|(i, w)| match w {
            b"PK\x03\x04" if lying.get(i + 30..i + 30 + name.len()) == Some(&name[..]) => Some((i, 22)),
            b"PK\x01\x02" if lying.get(i + 46..i + 46 + name.len()) == Some(&name[..]) => Some((i, 24)),
            _ => None,
        })
        .collect();
    assert_eq!(headers.len(), 2, "local header and central directory entry");
    for (at, field) in headers {
        lying[at + field..at + field + 4].copy_from_slice(&declared.to_le_bytes());
    }
    let o = assert_error(&write(d, "lying-size.xlsx", &lying), &[], "declared uncompressed size");
    assert!(o.stderr.contains("无法读取工作表“表三”"), "{}", o.stderr);
    assert!(o.elapsed < Duration::from_secs(10), "{:?}", o.elapsed);

    // Password-protected workbook (the compound-file container, as in the importer's tests),
    // and a photo renamed to .xlsx.
    let locked = root().join("tests/fixtures/hostile/encrypted.xlsx");
    assert_error(&locked, &[], "密码");
    let png = write(
        d,
        "photo.xlsx",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0",
    );
    assert_eq!(validate(&png, &[]).code, 2);

    // ods_gen (session 23): a conditional format left open before the rows of another table,
    // 6,000 × 6,000 repeated cells that the measure did not see and calamine built (23 GB).
    assert_error(
        &root().join("tests/fixtures/hostile/fuzz-ods-unclosed-conditional-format.ods"),
        &[],
        "--max-cells",
    );

    // Every input fuzzing found, kept as a regression: a clear error, never a crash.
    for entry in std::fs::read_dir(root().join("tests/fixtures/hostile")).expect("hostile") {
        let path = entry.expect("entry").path();
        if path
            .extension()
            .is_some_and(|e| e == "xls" || e == "xlsx" || e == "ods" || e == "csv" || e == "json")
        {
            validate(&path, &[]);
        }
    }
}

#[test]
fn huge_and_far_away_content_is_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let xlsx = export(d, "xlsx", "xlsx");

    // A million empty styled rows below the tables (as left by formatting whole columns):
    // read in bounded time and memory, the report is still found and valid.
    let mut rows = String::with_capacity(40 << 20);
    for r in 2_001..=1_002_000 {
        rows.push_str(&format!("<row r=\"{r}\" s=\"1\" customFormat=\"1\"/>"));
    }
    let styled = write(d, "styled-rows.xlsx", &with_rows(&xlsx, &rows));
    let o = validate(&styled, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);

    // A stray cell at XFD1048576: read sparsely, no dense allocation.
    let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let stray = write(d, "stray.xlsx", &with_rows(&xlsx, far));
    assert!(matches!(validate(&stray, &[]).code, 0 | 1));
    // The same cell is refused, naming the option, when the columns looked at are limited.
    assert_error(&stray, &["--max-columns", "1000"], "--max-columns");

    // One cell holding a megabyte of text.
    let big = format!(
        r#"<row r="2000"><c r="A2000" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "长".repeat(1 << 20)
    );
    assert_error(
        &write(d, "big-cell.xlsx", &with_rows(&xlsx, &big)),
        &[],
        "--max-cell-chars",
    );
    // Limits name their option: a workbook is refused under a tiny unpacked-size limit.
    assert_error(
        &write(d, "small.xlsx", &xlsx),
        &["--max-unpacked-bytes", "1000"],
        "--max-unpacked-bytes",
    );
    assert_error(&write(d, "sheets.xlsx", &xlsx), &["--max-sheets", "2"], "--max-sheets");
    assert_error(
        &write(d, "entries.xlsx", &xlsx),
        &["--max-zip-entries", "5"],
        "--max-zip-entries",
    );
    assert_error(
        &write(d, "styles.xlsx", &xlsx),
        &["--max-styles-bytes", "1000"],
        "样式部件 xl/styles.xml 解压后的大小",
    );
    assert_error(&write(d, "cells.xlsx", &xlsx), &["--max-cells", "100"], "--max-cells");
    assert_error(
        &write(d, "bytes.xlsx", &xlsx),
        &["--max-input-bytes", "1000"],
        "--max-input-bytes",
    );
}

/// The valid long CSV with the value of its first number cell replaced by `value`.
fn csv_with_value(csv: &str, value: &str) -> String {
    let mut lines: Vec<String> = csv.split("\r\n").map(str::to_string).collect();
    let i = lines
        .iter()
        .position(|l| l.ends_with(",number,"))
        .expect("a number line");
    let mut fields: Vec<&str> = lines[i].split(',').collect();
    let n = fields.len();
    fields[n - 3] = value;
    lines[i] = fields.join(",");
    lines.join("\r\n")
}

#[test]
fn odd_numbers_and_encodings_in_csv_give_findings_or_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let csv = String::from_utf8(export(d, "csv", "csv")).expect("utf-8");
    let body = csv.strip_prefix('\u{feff}').expect("the exporter writes a BOM");

    // Numbers no report holds, and numbers written the way people write them.
    for (i, v) in [
        "1e308",
        "NaN",
        "-0",
        "１２",
        "12件",
        "-1",
        "1e-308",
        "99999999999999999999999999999999",
    ]
    .into_iter()
    .enumerate()
    {
        let f = write(d, &format!("value-{i}.csv"), csv_with_value(&csv, v).as_bytes());
        let o = validate(&f, &[]);
        if o.code == 2 {
            assert!(o.stderr.contains(&format!("value-{i}.csv")), "{v}: {}", o.stderr);
        }
    }
    // A megabyte of text in one field.
    let big = csv_with_value(&csv, &"x".repeat(1 << 20));
    assert_error(&write(d, "big-field.csv", big.as_bytes()), &[], "--max-cell-chars");

    // Encodings and line ends a real CSV comes in: all read as the same valid report.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(body);
    assert!(!unmappable);
    for (name, bytes) in [
        ("bom.csv", csv.as_bytes().to_vec()),
        ("no-bom.csv", body.as_bytes().to_vec()),
        ("lf.csv", body.replace("\r\n", "\n").into_bytes()),
        ("gbk.csv", gbk.into_owned()),
    ] {
        let o = validate(&write(d, name, &bytes), &[]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
    }
    // Invalid UTF-8 (read as GB18030, which maps every byte sequence to something): the
    // labels no longer match, a clear error or findings.
    let mut broken = body.as_bytes().to_vec();
    broken.splice(40..40, [0xFF, 0xFE, 0x80, 0xC3]);
    validate(&write(d, "invalid-utf8.csv", &broken), &[]);
    // Too many lines for the rows limit.
    assert_error(
        &write(d, "rows.csv", csv.as_bytes()),
        &["--max-rows", "10"],
        "--max-rows",
    );
}

#[test]
fn odd_json_and_pages_give_findings_or_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let json = std::fs::read_to_string(root().join("tests/fixtures/valid-2021.json")).expect("fixture");
    let at = json.find("\"value\": ").expect("a number cell") + "\"value\": ".len();
    let end = at + json[at..].find([',', '\n', '}']).expect("end of number");
    for (i, v) in ["1e308", "-0", "1e400", "-1e308", "0.0000000000000000000000000001"]
        .into_iter()
        .enumerate()
    {
        let text = format!("{}{v}{}", &json[..at], &json[end..]);
        validate(&write(d, &format!("num-{i}.json"), text.as_bytes()), &[]);
    }
    // Deep nesting: JSON arrays 100,000 deep, an HTML page with 100,000 nested tags (which
    // overflowed the stack after minutes of parsing before the depth limit).
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(validate(&write(d, "deep.json", deep.as_bytes()), &[]).code, 2);
    let page = format!(
        "<html><body>{}一、总体情况{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    assert_error(&write(d, "deep.html", page.as_bytes()), &[], "--max-html-depth");
    // The same page a little less deep is within the limit and read (no report in it: an error
    // or findings, but no stack overflow).
    let shallow = format!(
        "<html><body>{}一、总体情况{}</body></html>",
        "<div>".repeat(900),
        "</div>".repeat(900)
    );
    validate(&write(d, "shallow.html", shallow.as_bytes()), &[]);
    // A page over the text-size limit is refused before it is parsed.
    assert_error(
        &write(d, "big.html", page.as_bytes()),
        &["--max-text-bytes", "1000"],
        "--max-text-bytes",
    );
}

#[test]
fn every_reading_command_takes_every_limit() {
    let flags = [
        "--max-input-bytes",
        "--max-unpacked-bytes",
        "--max-zip-entries",
        "--max-styles-bytes",
        "--max-sheets",
        "--max-rows",
        "--max-columns",
        "--max-cells",
        "--max-cell-chars",
        "--max-total-chars",
        "--max-text-bytes",
        "--max-text-lines",
        "--max-report-bytes",
        "--max-html-depth",
        "--max-html-elements",
        "--max-pdf-pages",
        "--max-pdf-objects",
        "--max-pdf-glyphs",
        "--max-pdf-operators",
    ];
    for command in ["validate", "convert", "aggregate"] {
        let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
            .args([command, "--help"])
            .output()
            .expect("help");
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in flags {
            assert!(help.contains(flag), "{command} --help lacks {flag}");
        }
    }
    // And a raised limit is obeyed: the workbook refused above under 1,000 unpacked bytes
    // converts with the default.
    let dir = tempfile::tempdir().expect("tempdir");
    let xlsx = export(dir.path(), "xlsx", "xlsx");
    let f = write(dir.path(), "ok.xlsx", &xlsx);
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["convert", "--max-unpacked-bytes", "1000", "-o"])
        .arg(dir.path().join("out.json"))
        .arg(&f)
        .output()
        .expect("convert");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("--max-unpacked-bytes")
            || String::from_utf8_lossy(&out.stderr).contains("--max-unpacked-bytes")
    );
}
