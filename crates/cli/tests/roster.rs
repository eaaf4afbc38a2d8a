//! `aggregate --roster`: who has reported, who has not, who twice, files matching no unit and
//! near-misses, over a folder of generated department workbooks, with the list as CSV and as a
//! workbook — on the terminal, in `--json` (checked against the schema) and on the 报送情况 sheet.

use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;
use std::path::{Path, PathBuf};

mod common;
use common::run_plain as xxgk;

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn valid() -> Value {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid-2021.json");
    serde_json::from_str(&std::fs::read_to_string(f).expect("fixture")).expect("json")
}

/// A department's workbook, made by `xxgk convert` from the valid report under another name.
fn department(dir: &Path, file: &str, agency: &str, code: Option<&str>, year: u16) -> PathBuf {
    let mut r = valid();
    r["meta"]["agency"] = agency.into();
    r["meta"]["year"] = year.into();
    r["meta"]["region_code"] = code.map_or(Value::Null, Value::from);
    let json = dir.join(format!("{file}.json"));
    std::fs::write(&json, r.to_string()).expect("write");
    let out = dir.join(file);
    let (code, _, err) = xxgk(&["convert", p(&json), "--to", "xlsx", "-o", p(&out)]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(json).expect("remove");
    out
}

struct Office {
    dir: tempfile::TempDir,
    batch: PathBuf,
    last_year: PathBuf,
}

const CREDIT: &str = "91110101MA01234567";

/// 各部门/: 教育局 and 水务局 (by its credit code, under a new name) reported, 财政局 twice (the
/// corrected copy counts), 区卫生健康委员会 without the district's “某” (a near-miss), 外事办 not
/// on the list; 统计局 reported last year only.
fn office() -> Office {
    let dir = tempfile::tempdir().expect("tmp");
    let batch = dir.path().join("各部门");
    let last_year = dir.path().join("去年");
    std::fs::create_dir_all(&batch).expect("dir");
    std::fs::create_dir_all(&last_year).expect("dir");
    department(&batch, "01-某区教育局.xlsx", "某区教育局", Some("110101"), 2023);
    department(&batch, "02-某区财政局.xlsx", "某区财政局", None, 2023);
    department(&batch, "02-某区财政局（修改后）.xlsx", "某区财政局", None, 2023);
    department(&batch, "03-区卫生健康委员会.xlsx", "区卫生健康委员会", None, 2023);
    department(&batch, "04-某区外事办.xlsx", "某区外事办", None, 2023);
    department(&batch, "05-水务局.xlsx", "某区水务和湖泊局", Some(CREDIT), 2023);
    department(&last_year, "统计局.xlsx", "某区统计局", None, 2022);
    department(&last_year, "教育局.xlsx", "某区教育局", Some("110101"), 2022);
    Office { dir, batch, last_year }
}

const ROSTER_CSV: &str = "单位名称,行政区划代码,行政级别,上级单位\n\
某区教育局,110101,县级,某区人民政府\n\
某区财政局,110101,,\n\
某区卫生健康委员会,,,\n\
某区统计局,,,\n\
某区水务局,91110101MA01234567,,\n";

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/aggregate.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::validator_for(&schema).expect("schema")
}

/// The rows of a sheet as text.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).expect("workbook");
    let range = wb.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// What every form of the list must give for the office's batch.
fn check_json(json: &Value) {
    let errors: Vec<String> = validator().iter_errors(json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let r = &json["roster"];
    assert_eq!(
        r["counts"],
        serde_json::json!({"units": 5, "reported": 3, "twice": 1, "missing": 2, "near_miss": 1,
                           "unmatched_files": 2, "not_this_year": 1}),
        "{r}"
    );
    let states: Vec<(&str, &str)> = r["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            (
                u["unit"]["name"].as_str().expect("name"),
                u["state"].as_str().expect("state"),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("某区教育局", "reported"),
            ("某区财政局", "twice"),
            ("某区卫生健康委员会", "near_miss"),
            ("某区统计局", "missing"),
            ("某区水务局", "reported"),
        ]
    );
    assert_eq!(r["units"][0]["files"][0]["basis"], "code_and_name");
    assert_eq!(r["units"][4]["files"][0]["basis"], "code", "a code that one unit holds");
    assert_eq!(r["units"][3]["reported_last_year"], true);
    let twice = r["units"][1]["files"].as_array().expect("files");
    let counted: Vec<bool> = twice.iter().map(|f| f["counted"].as_bool().expect("b")).collect();
    assert_eq!(counted, [false, true], "the corrected copy counts: {twice:?}");
    assert_eq!(r["near_misses"][0]["reason"], "prefix");
    assert_eq!(r["near_misses"][0]["unit"], "某区卫生健康委员会");
}

#[test]
fn a_csv_roster_says_who_reported_who_did_not_who_twice_and_what_matches_nothing() {
    let o = office();
    let roster = o.dir.path().join("名单.csv");
    std::fs::write(&roster, ROSTER_CSV).expect("write");
    let stats = o.dir.path().join("汇总.xlsx");
    let sum = o.dir.path().join("全区年报表.xlsx");
    let args = [
        "aggregate",
        p(&o.batch),
        "--roster",
        p(&roster),
        "--previous",
        p(&o.last_year),
        "-o",
        p(&stats),
        "--sum-out",
        p(&sum),
    ];
    let (_, out, err) = xxgk(&[&args[..], &["--json"]].concat());
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    check_json(&json);

    // The terminal: who is missing (and that one reported last year), who twice, the near-miss
    // in words, the report on no list.
    let (code, human, err) = xxgk(&args);
    assert_eq!(code, 1, "a duplicate is a failed check: {err}");
    let line = |needle: &str| -> &str {
        human
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle}: {human}"))
    };
    assert!(line("报送情况（名单").contains("应报送 5 个单位，已报送 3（其中重复报送 1），未报送 2（其中名称相近 1）"));
    assert!(line("未报送的单位 2 个").starts_with("未报送"));
    assert!(line("✘ 某区统计局").contains("第5行第1列") && line("✘ 某区统计局").contains("上年已报送"));
    assert!(line("✘ 某区卫生健康委员会").contains("名称相近"));
    assert!(line("上年报送、本年未报送的单位 1 个").contains("某区统计局"));
    // Last year's report with no counterpart this year, named by the cross-year matching too.
    assert!(line("  上年报送、本年未报送 ").contains("统计局.xlsx: 某区统计局"));
    assert!(line("≈ ").contains("03-区卫生健康委员会.xlsx") && line("≈ ").contains("少了“某”"));
    assert!(line("? 某区外事办").contains("04-某区外事办.xlsx"));
    assert!(line("02-某区财政局（修改后）.xlsx（计入合计）").starts_with("      "));

    // The sheet: one row per unit of the list, then the reports on no list.
    let rows = sheet(&stats, "报送情况");
    let unit = |name: &str| {
        rows.iter()
            .find(|r| r.get(1).is_some_and(|c| c == name))
            .unwrap_or_else(|| panic!("{name}: {rows:?}"))
    };
    assert_eq!(unit("某区统计局")[5], "未报送");
    assert!(unit("某区统计局")[7].contains("上年已报送"));
    assert_eq!(unit("某区财政局")[5], "重复报送");
    assert!(unit("某区财政局")[6].contains("（未计入合计）"));
    assert_eq!(unit("某区卫生健康委员会")[5], "未报送（有名称相近的报告）");
    assert!(unit("某区卫生健康委员会")[7].contains("少了“某”"));
    assert_eq!(unit("某区教育局")[3], "县级");
    assert!(rows.iter().any(|r| r.get(1).is_some_and(|c| c == "某区外事办")));
    let names = open_workbook_auto(&stats).expect("wb").sheet_names();
    assert_eq!(names[1], "报送情况", "after 汇总: {names:?}");
    // Printed like the other sheets: landscape A4, one page wide, the header row repeated.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&stats).expect("open")).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet2.xml").expect("sheet2"), &mut xml)
        .expect("xml");
    let setup = &xml[xml.find("<pageSetup").expect("page setup")..];
    let setup = &setup[..setup.find("/>").expect("end")];
    for attr in [r#"paperSize="9""#, r#"orientation="landscape""#, r#"fitToHeight="0""#] {
        assert!(setup.contains(attr), "{setup}");
    }
    let en_stats = o.dir.path().join("en.xlsx");
    let mut en_args = args.to_vec();
    en_args[7] = p(&en_stats);
    en_args.truncate(8);
    let (_, en, _) = xxgk(&[&en_args[..], &["--lang", "en"]].concat());
    assert!(en.contains("2 units have not reported:"), "{en}");
    assert!(
        sheet(&en_stats, "Submissions")
            .iter()
            .any(|r| r.get(5).is_some_and(|c| c == "reported twice"))
    );
}

#[test]
fn a_workbook_roster_reads_alike_and_the_roster_form_is_read_by_its_own_reader() {
    let o = office();
    // The list on the sheet 单位名单 behind another one, a code typed as a number.
    let roster = o.dir.path().join("名单.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").expect("name");
    notes.write_string(0, 0, "单位名称见下一张表").expect("write");
    let ws = wb.add_worksheet();
    ws.set_name("单位名单").expect("name");
    for (r, line) in ROSTER_CSV.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if cell.len() == 6 => ws.write_number(r, c, n),
                _ => ws.write_string(r, c, cell),
            }
            .expect("write");
        }
    }
    wb.save(&roster).expect("save");
    // The issue's “done means” command, in one run.
    let stats = o.dir.path().join("汇总.xlsx");
    let sum = o.dir.path().join("全区年报表.xlsx");
    let (_, out, err) = xxgk(&[
        "aggregate",
        p(&o.batch),
        "--roster",
        p(&roster),
        "--previous",
        p(&o.last_year),
        "-o",
        p(&stats),
        "--sum-out",
        p(&sum),
        "--json",
    ]);
    let json: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    check_json(&json);
    assert_eq!(json["sum_outputs"][0], p(&sum));
    let sheets = open_workbook_auto(&sum).expect("the official form").sheet_names();
    assert!(sheets.iter().any(|s| s == "表三"), "{sheets:?}");
    assert!(
        !sheets.iter().any(|s| s == "报送情况"),
        "the roster is the workbook's, not the form's"
    );
    assert_eq!(json["roster"]["units"][3]["unit"]["place"]["cell"], "A6");

    // The form `template --roster` writes is found by the reader (its header row), and an
    // empty one is refused as empty, naming its sheet.
    let form = o.dir.path().join("单位名单.xlsx");
    let (code, _, err) = xxgk(&["template", "--roster", "-o", p(&form)]);
    assert_eq!(code, 0, "{err}");
    let head = sheet(&form, "单位名单");
    assert_eq!(
        head[2][..4],
        ["单位名称", "行政区划代码或统一社会信用代码", "行政级别", "上级单位"]
    );
    let (code, _, err) = xxgk(&["aggregate", p(&o.batch), "--roster", p(&form), "-o", p(&stats)]);
    assert_eq!(code, 2);
    assert!(err.contains("单位名单!A3") && err.contains("没有任何单位"), "{err}");
    let (code, _, err) = xxgk(&["template", "--roster", "-o", p(&o.dir.path().join("名单.docx"))]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_roster_that_cannot_be_read_stops_the_run_before_any_work_and_names_the_cell() {
    let o = office();
    let roster = o.dir.path().join("名单.csv");
    // An 18-digit credit code that a spreadsheet turned into a number.
    std::fs::write(
        &roster,
        "单位名称,统一社会信用代码\n某区教育局,110101\n某区水务局,9.11101E+17\n",
    )
    .expect("write");
    let stats = o.dir.path().join("汇总.xlsx");
    let (code, out, err) = xxgk(&["aggregate", p(&o.batch), "--roster", p(&roster), "-o", p(&stats)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("名单.csv: 第3行第2列") && err.contains("9.11101E+17"),
        "{err}"
    );
    assert!(!stats.exists(), "nothing written");
    assert!(out.is_empty(), "no batch was read: {out}");
}
