//! The hostile files of the second hardening round (issue 14, the importers' side), each run
//! through `xxgk validate` as a child process under `prlimit --as` of 512 MiB (or `ulimit -v`
//! where prlimit is missing) and a time bound. Each must end with a clear error (exit 2, naming
//! the file and what was found) or a located finding (exit 1), and never pass with a wrong
//! value. Files are generated here; the small xls and ods ones are also kept in
//! `tests/fixtures/hostile/` (their generators are in `crates/import/tests/hostile.rs`).

mod common;

use common::{SHORT_TIME, SMALL_MEMORY, command_capped, root, run_bounded};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Wall-time bound of each run. The issue's bound is 2 s for the release binary; these tests
/// run the debug build on a shared 2-core machine (docs/reliability.md has release timings).
const TIME: Duration = Duration::from_secs(20);

/// What a run printed, its exit code and how long it took.
struct Outcome {
    code: i32,
    out: String,
    elapsed: Duration,
}

/// `xxgk args…` under the issue's 512 MiB and [`TIME`], through the shared harness (exit 0, 1 or
/// 2, no panic, killed at the bound).
fn run(args: &[&std::ffi::OsStr]) -> Outcome {
    let what = format!("{args:?}");
    let r = run_bounded(command_capped(args, SMALL_MEMORY), &what, TIME);
    Outcome {
        code: r.code,
        out: format!("{}{}", r.stdout, r.stderr),
        elapsed: r.elapsed,
    }
}

fn validate(file: &Path, extra: &[&str]) -> Outcome {
    let mut args = vec![std::ffi::OsStr::new("validate"), file.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run(&args)
}

/// Asserts exit 2 with a message naming the file and containing `needle`.
fn assert_error(file: &Path, needle: &str) -> Outcome {
    let o = validate(file, &[]);
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    assert_eq!(o.code, 2, "{name}: {}", o.out);
    assert!(
        o.out.contains(name),
        "{name}: the error does not name the file: {}",
        o.out
    );
    assert!(o.out.contains(needle), "{name}: expected “{needle}”: {}", o.out);
    o
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

/// The valid fixture converted by the binary to `to`.
fn export(dir: &Path, to: &str, ext: &str) -> Vec<u8> {
    let out = dir.join(format!("valid.{ext}"));
    let status = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["convert", "--to", to, "-o"])
        .arg(&out)
        .arg(root().join("tests/fixtures/valid-2021.json"))
        .status()
        .expect("convert");
    assert!(status.success());
    std::fs::read(&out).expect("read export")
}

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

/// The workbook with `f` applied to the text of the part `part`.
fn edit(xlsx: &[u8], part: &str, f: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut entries = unzip(xlsx);
    let (_, data) = entries.iter_mut().find(|(n, _)| n == part).expect("part");
    *data = f(String::from_utf8(std::mem::take(data)).expect("utf-8")).into_bytes();
    rezip(&entries)
}

/// The table sheet of the exported workbook (表三), and its shared strings.
const SHEET: &str = "xl/worksheets/sheet3.xml";
const STRINGS: &str = "xl/sharedStrings.xml";

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
fn crashing_xls_and_ods_files_are_refused_under_the_memory_limit() {
    let dir = root().join("tests/fixtures/hostile");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("hostile fixtures") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let needle = if name.starts_with("ods-long-text") {
            "--max-total-chars"
        } else if name.starts_with("ods-") || name.starts_with("xls-nested") || name.starts_with("xls-shadowed") {
            "--max-cells"
        } else if name.starts_with("xls-looping") {
            "loops"
        } else {
            continue;
        };
        let o = assert_error(&path, needle);
        assert!(o.elapsed < Duration::from_secs(2), "{name}: {:?}", o.elapsed);
        seen += 1;
    }
    assert_eq!(seen, 8, "the issue's five ods and three xls files");
}

#[test]
fn shared_strings_cannot_amplify_memory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let xlsx = export(d, "xlsx", "xlsx");
    // 10^10 strings declared in an 18 KB file.
    let declared = edit(&xlsx, STRINGS, |s| {
        let at = s.find("uniqueCount=\"").expect("uniqueCount") + "uniqueCount=\"".len();
        let end = at + s[at..].find('"').expect("end");
        format!("{}10000000000{}", &s[..at], &s[end..])
    });
    assert_error(&write(d, "unique-count.xlsx", &declared), "--max-cells");
    // 10^7 empty strings (the issue's 10^8 scaled down for a debug build; the same check).
    let empty = edit(&xlsx, STRINGS, |s| {
        s.replacen("</sst>", &format!("{}</sst>", "<si/>".repeat(10_000_000)), 1)
    });
    assert_error(&write(d, "empty-si.xlsx", &empty), "--max-cells");
    // One 100,000-character string used by 30,000 cells.
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
    let long = edit(&long, SHEET, |s| {
        s.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1)
    });
    assert_error(&write(d, "long-shared.xlsx", &long), "--max-total-chars");
}

#[test]
fn workbooks_that_would_read_a_wrong_value_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let xlsx = export(d, "xlsx", "xlsx");
    // A shared-string index calamine would read as string 0: not a number, or past 64 bits
    // (its parser gives up and reads 0; found by the reach report of `xlsx_gen`).
    for (i, bad) in ["-1", "abc", "99999999999999999999", "18446744073709551616"]
        .into_iter()
        .enumerate()
    {
        let f = edit(&xlsx, SHEET, |s| {
            s.replacen(
                "</sheetData>",
                &format!(r#"<row r="2000"><c r="B2000" t="s"><v>{bad}</v></c></row></sheetData>"#),
                1,
            )
        });
        assert_error(&write(d, &format!("index-{i}.xlsx"), &f), "B2000");
    }
    // A cell written twice.
    let twice = edit(&xlsx, SHEET, |s| {
        s.replacen(
            "</sheetData>",
            r#"<row r="2000"><c r="B2000"><v>80</v></c><c r="B2000"><v>5</v></c></row></sheetData>"#,
            1,
        )
    });
    assert_error(&write(d, "twice.xlsx", &twice), "B2000");
    // Written twice, blank and then with a value (the grid keeps no blank text).
    let blank_first = edit(&xlsx, SHEET, |s| {
        s.replacen(
            "</sheetData>",
            r#"<row r="2000"><c r="B2000" t="inlineStr"><is><t> </t></is></c><c r="B2000"><v>80</v></c></row></sheetData>"#,
            1,
        )
    });
    assert_error(&write(d, "blank-first.xlsx", &blank_first), "B2000");
}

#[test]
fn many_merged_regions_and_a_far_cell_are_quick() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let xlsx = export(d, "xlsx", "xlsx");
    let merges: String = (0..99_000)
        .map(|i| {
            let (r, c) = (3000 + i / 8, (i % 8) * 2);
            format!(r#"<mergeCell ref="{}{r}:{}{r}"/>"#, col(c), col(c + 1))
        })
        .collect();
    // In the sheet of table 4, whose matcher scans whole rows (86.9 s with main's linear lookup
    // in a release build).
    let f = edit(&xlsx, "xl/worksheets/sheet4.xml", |s| {
        let s = s.replacen(
            "</sheetData>",
            r#"<row r="2999"><c r="XFD2999" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#,
            1,
        );
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
    let o = validate(&write(d, "merges.xlsx", &f), &[]);
    assert_eq!(o.code, 0, "{}", o.out);
    assert!(o.elapsed < Duration::from_secs(5), "{:?}", o.elapsed);
}

#[test]
fn json_and_csv_that_disagree_with_themselves_give_findings_or_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let json = std::fs::read_to_string(root().join("tests/fixtures/valid-2021.json")).expect("fixture");
    // Escaped keys, 500 reports (2,000 in the importer's own test, which times the reading
    // alone; `validate` of 2,000 reports in a debug build takes 10 s with or without escapes).
    let escaped = json.replace("\"t", "\"\\u0074");
    let many = format!("[{}]", vec![escaped.as_str(); 500].join(","));
    let o = validate(&write(d, "escaped.json", many.as_bytes()), &[]);
    assert_eq!(o.code, 0, "{}", &o.out[..o.out.len().min(2000)]);
    // A number past 17 digits.
    let id = "t3.new_received.natural_person";
    let at = json.find(&format!("\"{id}\"")).expect("cell");
    let close = at + json[at..].find('}').expect("cell end");
    let value_at = at + json[at..].find("\"value\": ").expect("value") + "\"value\": ".len();
    let digits = format!("{}12345678901234567.5{}", &json[..value_at], &json[value_at + 2..]);
    assert_error(&write(d, "digits.json", digits.as_bytes()), "12345678901234567.5");
    // Value 80, raw "5": the value is kept, the raw text dropped, an error finding on the cell.
    let raw = format!("{}, \"raw\": \"5\"{}", &json[..close], &json[close..]);
    let o = validate(&write(d, "raw.json", raw.as_bytes()), &[]);
    assert_eq!(o.code, 1, "{}", o.out);
    assert!(
        o.out.contains("IMPORT-RAW-MISMATCH") || o.out.contains("原文"),
        "{}",
        o.out
    );
    let csv = String::from_utf8(export(d, "csv", "csv")).expect("utf-8");
    let line = csv.lines().find(|l| l.contains(id)).expect("cell line").to_string();
    assert!(line.ends_with(",80,number,"), "{line}");
    let bad = csv.replace(&line, &format!("{line}5"));
    let o = validate(&write(d, "raw.csv", bad.as_bytes()), &[]);
    assert_eq!(o.code, 1, "{line}: {}", o.out);
    // Text numbers that are no number: “8,0” and “1 2” in the wide CSV are findings on the cell.
    let wide = String::from_utf8(export(d, "csv-wide", "csv")).expect("utf-8");
    for (i, text) in ["\"8,0\"", "1 2", "\"3\n5\""].into_iter().enumerate() {
        let mut lines: Vec<String> = wide.split("\r\n").map(str::to_string).collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let c = header.iter().position(|h| *h == id).expect("column");
        let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
        assert_eq!(fields[c], "80");
        fields[c] = text.to_string();
        lines[2] = fields.join(",");
        let o = validate(&write(d, &format!("text-{i}.csv"), lines.join("\r\n").as_bytes()), &[]);
        assert_eq!(o.code, 1, "{text}: {}", o.out);
    }
}

#[test]
fn hostile_pages_end_quickly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let divs = format!("<html><body>{}一、总体情况</body></html>", "<div/>".repeat(100_000));
    let o = assert_error(&write(d, "divs.html", divs.as_bytes()), "--max-html-depth");
    assert!(o.elapsed < Duration::from_secs(2), "{:?}", o.elapsed);
    let row = "<td rowspan=512 colspan=64>1</td>".repeat(200);
    let spans = format!(
        "<html><body><h1>2023年度政府信息公开工作年度报告</h1><p>一、总体情况</p><table>{}</table></body></html>",
        format!("<tr>{row}</tr>").repeat(50)
    );
    assert_error(&write(d, "spans.html", spans.as_bytes()), "--max-cells");
    // 990 nested divs around 5 MB of text: the issue's 15 MB takes 1.3 s of CPU in a release
    // build (docs/reliability.md), over this bound in the debug build the tests run.
    let text = "一、总体情况。本机关认真贯彻落实条例。".repeat(5 << 20 >> 6);
    let deep = format!(
        "<html><body>{}<p>{text}</p>{}</body></html>",
        "<div>".repeat(990),
        "</div>".repeat(990)
    );
    assert!(deep.len() < 16 << 20);
    validate(&write(d, "deep-text.html", deep.as_bytes()), &[]);
    // A line of 20,000 pieces of table 3's group labels (a fuzzer's Word document held one):
    // each piece once copied the whole line to try it as a wrapped label, 28 s in a release build.
    let pieces = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n三、收到和处理政府信息公开申请情况\n{} 1 2 3 4 5 6 7\n",
        "不予公开".repeat(20_000)
    );
    let o = validate(&write(d, "group-pieces.txt", pieces.as_bytes()), &[]);
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    // 199,990 lines below table 3's heading, read with the line limit raised to its old default:
    // each line was matched against every row label, and every piece of every group label, to
    // tell prose beside the table from its rows; 2.55 s in a release build, now 0.21 s. Under
    // the default limit (20,000 lines) the same file is refused before any line is read.
    let under_t3 = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n三、收到和处理政府信息公开申请情况\n{}",
        "１２\n".repeat(199_990)
    );
    let f = write(d, "under-t3.txt", under_t3.as_bytes());
    let o = validate(&f, &["--max-text-lines", "200000", "--max-report-bytes", "16777216"]);
    assert_ne!(o.code, 2, "{}", o.out);
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    let o = assert_error(&f, "--max-text-lines");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    // One line of dates: every digit run's label was the whole line before it, normalised and
    // matched again for each run (quadratic: 110 s for 480 KB in a release build, 0.7 s now).
    let dates = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n{}\n",
        "2023年1月1日 ".repeat(6_000)
    );
    let o = validate(&write(d, "dates.txt", dates.as_bytes()), &[]);
    assert_ne!(o.code, 2, "{}", o.out);
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    // A report's text is a few tens of KB: more than --max-report-bytes (512 KiB) is refused
    // before it is read (16 MiB of `1 ` took 3 s and 1.9 GB), and the option raises it.
    let numbers = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n四、政府信息公开行政复议、行政诉讼情况\n{}",
        "1 ".repeat(300_000)
    );
    let f = write(d, "numbers.txt", numbers.as_bytes());
    let o = assert_error(&f, "--max-report-bytes");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    assert_ne!(validate(&f, &["--max-report-bytes", "1000000"]).code, 2);
    // Lines are counted before any is read: 16 MiB of two-character lines took 5 s and 516 MB.
    let short_lines = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n{}",
        "公益\n".repeat(2_000_000)
    );
    let o = assert_error(&write(d, "short-lines.txt", short_lines.as_bytes()), "--max-text-lines");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    // The option raises and lowers it.
    let page = format!(
        "2023年度政府信息公开工作年度报告\n一、总体情况\n{}",
        "公益\n".repeat(1_000)
    );
    let f = write(d, "thousand-lines.txt", page.as_bytes());
    assert!(
        validate(&f, &["--max-text-lines", "500"])
            .out
            .contains("--max-text-lines")
    );
    assert_ne!(validate(&f, &[]).code, 2);
    // Word: paragraphs are counted as they are read. 360 MB of empty `<w:p/>` in a 525 KB file
    // held 60 million paragraphs (17 GB); 250,000 here are refused at the limit's paragraph.
    let docx = unzip(&export(d, "docx", "docx"))
        .into_iter()
        .map(|(name, data)| {
            if name != "word/document.xml" {
                return (name, data);
            }
            let xml = String::from_utf8(data).expect("utf-8");
            let many = format!("{}</w:body>", "<w:p/>".repeat(250_000));
            (name, xml.replacen("</w:body>", &many, 1).into_bytes())
        })
        .collect::<Vec<_>>();
    // HTML: tags are counted before the page is parsed (16 MB of `a<br>` took 12.8 s, 971 MB).
    let brs = format!(
        "<html><body><h1>2023年度政府信息公开工作年度报告</h1><p>{}</p></body></html>",
        "a<br>".repeat(300_000)
    );
    let o = assert_error(&write(d, "brs.html", brs.as_bytes()), "--max-html-elements");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    // The same in UTF-16, where every `<` is followed by a zero byte: measured on the decoded
    // text, so refused as well; and so is a page 100,000 deep (it passed the depth estimate).
    let utf16 = |page: &str| -> Vec<u8> {
        [0xFF, 0xFE]
            .into_iter()
            .chain(page.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    let o = assert_error(&write(d, "brs-utf16.html", &utf16(&brs)), "--max-html-elements");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    let deep = format!(
        "<html><body>{}一、总体情况{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let o = assert_error(&write(d, "deep-utf16.html", &utf16(&deep)), "--max-html-depth");
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
    let o = assert_error(&write(d, "paragraphs.docx", &rezip(&docx)), "--max-text-lines");
    assert!(o.out.contains("段落"), "{}", o.out);
    assert!(o.elapsed < SHORT_TIME, "{:?}", o.elapsed);
}
