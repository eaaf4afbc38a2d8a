//! Metadata never blocks the tables: the year and agency are found wherever a person would
//! find them, supplied by `--year`/`--agency` where the file is silent, and recorded with their
//! origin; a report of unknown year is read, checked and summed apart; verdicts are honest.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .output()
        .expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The valid 2021 fixture with its year (and, when asked, its agency and texts) removed.
fn report_without(year: bool, agency: bool, texts: bool) -> Value {
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    let mut v: Value = serde_json::from_str(&text).expect("json");
    if year {
        v["meta"].as_object_mut().expect("meta").remove("year");
        // The preamble states the period (“统计期限为2023年…”), which is the year too.
        v.as_object_mut().expect("report").remove("preamble");
    }
    if agency {
        v["meta"]["agency"] = Value::String(String::new());
    }
    if texts {
        let obj = v.as_object_mut().expect("report");
        obj.remove("preamble");
        obj.remove("sections");
    }
    v
}

/// Writes `report` as the standard workbook at `dir/name` (through the JSON importer and the
/// xlsx exporter, as a department would fill it).
fn workbook(dir: &Path, name: &str, report: &Value) -> PathBuf {
    // A neutral name: the JSON importer would otherwise take the year from it.
    std::fs::create_dir_all(dir).expect("folder");
    let json = dir.join("source.json");
    std::fs::write(&json, report.to_string()).expect("write json");
    let out = dir.join(name);
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    let (code, _, err) = run(&["convert", path(&json), "-o", path(&out)]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(json).expect("remove");
    out
}

fn validate_json(file: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["validate", "--json", path(file)];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] != "pass")
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_year_in_the_file_name_is_used_and_recorded() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = workbook(dir.path(), "区教育局2023年报.xlsx", &report_without(true, false, false));
    let (code, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 0, "{v}");
    assert_eq!(r["year"], 2023);
    assert_eq!(r["origins"]["year"]["from"], "file_name");
    assert_eq!(r["origins"]["year"]["at"], "区教育局2023年报.xlsx");
    assert_eq!(r["outcome"], "pass");

    let (_, out, _) = run(&["validate", path(&file)]);
    assert!(out.contains("年度取自文件名（区教育局2023年报.xlsx）"), "{out}");
}

#[test]
fn the_year_in_a_folder_name_is_used() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = workbook(dir.path(), "2023年/教育局.xlsx", &report_without(true, false, false));
    let (_, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(r["year"], 2023);
    assert_eq!(r["origins"]["year"]["from"], "folder");
}

#[test]
fn an_unknown_year_is_a_warning_and_the_tables_are_still_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut report = report_without(true, false, false);
    // An off-by-one in 新收 must still be caught without a year.
    let cell = &mut report["cells"]["t3.new_received.natural_person"]["value"];
    *cell = Value::from(cell.as_i64().expect("number") + 1);
    let file = workbook(dir.path(), "教育局.xlsx", &report);
    let (code, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 1, "the broken balance fails: {v}");
    assert!(r.get("year").is_none(), "{r}");
    let failing = rules(r);
    assert!(failing.contains(&"IMPORT-META-YEAR".to_string()), "{failing:?}");
    assert!(failing.contains(&"T3-BAL".to_string()), "{failing:?}");

    let (_, out, _) = run(&["validate", path(&file)]);
    assert!(out.contains("年度不明"), "{out}");
    assert!(out.contains("--year"), "the finding says how to supply it: {out}");
}

#[test]
fn year_supplied_on_the_command_line_fills_but_never_overrules() {
    let dir = tempfile::tempdir().expect("tmp");
    let silent = workbook(dir.path(), "教育局.xlsx", &report_without(true, false, false));
    let (code, v) = validate_json(&silent, &["--year", "2023"]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 0, "{v}");
    assert_eq!(r["year"], 2023);
    assert_eq!(r["origins"]["year"]["from"], "command_line");
    assert!(!rules(r).contains(&"IMPORT-META-YEAR".to_string()));

    let stated = workbook(dir.path(), "stated.xlsx", &report_without(false, false, false));
    let (_, v) = validate_json(&stated, &["--year", "2022"]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(r["year"], 2023, "the file's year stands");
    let conflict = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "IMPORT-META-CONFLICT")
        .unwrap_or_else(|| panic!("a finding names both years: {r}"));
    assert_eq!(conflict["found"], "2023");
    assert_eq!(conflict["expected"], "2022");

    let nameless = workbook(dir.path(), "nameless.xlsx", &report_without(false, true, false));
    let (_, v) = validate_json(&nameless, &["--agency", "某区教育局"]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(r["agency"], "某区教育局");
    assert_eq!(r["origins"]["agency"]["from"], "command_line");
}

#[test]
fn a_workbook_of_tables_only_is_clean_when_its_tables_are() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = workbook(dir.path(), "tables.xlsx", &report_without(false, false, true));
    let (code, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 0, "{v}");
    assert_eq!(r["outcome"], "pass", "{r}");
    let sections = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "DOC-SECTIONS")
        .expect("DOC-SECTIONS is reported");
    assert_eq!(sections["status"], "not_assessable");
}

#[test]
fn checks_that_could_not_be_made_are_never_a_plain_pass() {
    let f = fixture("broken/T3-EMPTY.json");
    let (_, v) = validate_json(&f, &[]);
    let (_, out, _) = run(&["validate", path(&f)]);
    let r = &v["files"][0]["reports"][0];
    if r["outcome"] != "fail" {
        assert_eq!(r["outcome"], "partial", "{r}");
        assert!(out.contains("⚠ 部分无法核对"), "{out}");
    }
    // A report whose blanks hide everything else: remove every cell of table 3's 总计 column.
    let text = std::fs::read_to_string(fixture("valid-2021.json")).expect("fixture");
    let mut report: Value = serde_json::from_str(&text).expect("json");
    let cells = report["cells"].as_object_mut().expect("cells");
    cells.retain(|id, _| !(id.starts_with("t3.") && id.ends_with(".total")));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("blank-totals.json");
    std::fs::write(&file, report.to_string()).expect("write");
    let (code, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 0, "nothing failed: {v}");
    assert_eq!(r["outcome"], "partial", "{r}");
    assert_eq!(v["summary"]["partial"], 1);
    assert_eq!(v["summary"]["passed"], 0);
    let (_, out, _) = run(&["validate", path(&file)]);
    assert!(out.contains("⚠ 部分无法核对（"), "{out}");
    assert!(!out.contains("✔ 通过"), "{out}");
    let (_, out, _) = run(&["validate", "--lang", "en", path(&file)]);
    assert!(out.contains("partly not assessable"), "{out}");
}

#[test]
fn a_file_or_folder_without_a_report_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty_array = dir.path().join("empty.json");
    std::fs::write(&empty_array, "[]").expect("write");
    let (code, out, err) = run(&["validate", path(&empty_array)]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(format!("{out}{err}").contains("没有报告"), "{out}{err}");

    let header_only = dir.path().join("header.csv");
    std::fs::write(
        &header_only,
        "agency,year,format,cell_id,table,row_label,column_label,value,state,raw\r\n",
    )
    .expect("write");
    let (code, out, err) = run(&["validate", path(&header_only)]);
    assert_eq!(code, 2, "{out}{err}");

    let empty_dir = dir.path().join("空文件夹");
    std::fs::create_dir(&empty_dir).expect("mkdir");
    for cmd in [
        vec!["validate", path(&empty_dir)],
        vec!["aggregate", path(&empty_dir), "-o", "/nonexistent/x.xlsx"],
    ] {
        let (code, out, err) = run(&cmd);
        assert_eq!(code, 2, "{cmd:?}: {out}{err}");
        assert!(err.contains("没有找到可读取的文件"), "{err}");
    }
}

#[test]
fn aggregate_sums_reports_of_unknown_year_apart_and_names_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let batch = dir.path().join("各部门");
    workbook(&batch, "教育局2023年报.xlsx", &report_without(true, false, false));
    let mut other = report_without(true, false, false);
    other["meta"]["agency"] = Value::String("某区卫健委".into());
    workbook(&batch, "卫健委.xlsx", &other);
    let out = dir.path().join("汇总.xlsx");
    let (code, stdout, err) = run(&["aggregate", path(&batch), "-o", path(&out), "--json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{err}"));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["reports"], 2, "nothing is refused for its year");
    let sums = v["sums"].as_array().expect("sums");
    assert_eq!(sums.len(), 2, "{sums:?}");
    assert!(sums.iter().any(|s| s.get("year").is_none() && s["reports"] == 1));
    assert!(sums.iter().any(|s| s["year"] == 2023 && s["reports"] == 1));

    let (_, human, _) = run(&["aggregate", path(&batch), "-o", path(&out), "-q"]);
    assert!(human.contains("年度不明的报告 1 份"), "{human}");
    assert!(human.contains("卫健委.xlsx"), "{human}");

    // --year fills it, and the two are summed together.
    let (_, stdout, _) = run(&["aggregate", path(&batch), "-o", path(&out), "--json", "--year", "2023"]);
    let v: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["sums"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["sums"][0]["reports"], 2);
}

#[test]
fn aggregate_accounts_for_every_file_in_a_folder_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let batch = dir.path().join("收件箱");
    workbook(&batch, "教育局2023年报.xlsx", &report_without(false, false, false));
    for (name, bytes) in [
        ("年报.ofd", &b"PK\x03\x04 not really"[..]),
        (".DS_Store", b"\0\0"),
        ("~$教育局2023年报.xlsx", b"lock"),
        ("说明.doc", b"\xD0\xCF\x11\xE0"),
    ] {
        std::fs::write(batch.join(name), bytes).expect("write");
    }
    let out = dir.path().join("汇总.xlsx");
    let (code, stdout, err) = run(&["aggregate", path(&batch), "-o", path(&out), "--json"]);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{err}"));
    assert_eq!(code, 0, "files that are not reports do not fail the batch: {v}");
    let skipped: Vec<(String, String)> = v["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            let file = s["file"].as_str().unwrap_or_default();
            let name = Path::new(file).file_name().and_then(|n| n.to_str()).unwrap_or_default();
            (
                name.to_string(),
                s["reason"]["zh"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [".DS_Store", "~$教育局2023年报.xlsx", "年报.ofd", "说明.doc"],
        "{skipped:?}"
    );
    assert!(skipped[2].1.contains(".docx"), "{skipped:?}");
    // A legacy Word file is not read and says what to do (a .docx is read: tests/docx.rs).
    assert!(skipped[3].1.contains("另存为” .docx"), "{skipped:?}");
    assert_eq!(v["summary"]["files"], 5, "every file found is counted once");
    assert_eq!(v["summary"]["skipped"], 4);
    assert_eq!(v["summary"]["reports"], 1);

    let (_, human, _) = run(&["aggregate", path(&batch), "-o", path(&out), "-q"]);
    assert!(human.contains("未读取 4 个文件"), "{human}");
    assert!(human.contains("年报.ofd"), "{human}");
}

#[test]
fn a_report_without_tables_fails_instead_of_passing_unassessed() {
    let mut report = report_without(false, false, false);
    report["cells"] = serde_json::json!({});
    report["sections"]["problems"]["text"] = Value::String("无".into());
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("no-tables.json");
    std::fs::write(&file, report.to_string()).expect("write");
    let (code, v) = validate_json(&file, &[]);
    let r = &v["files"][0]["reports"][0];
    assert_eq!(code, 1, "{v}");
    let failing = rules(r);
    assert_eq!(failing.iter().filter(|f| *f == "DOC-TABLES").count(), 3, "{failing:?}");
    assert!(failing.contains(&"DOC-SEC5".to_string()), "{failing:?}");
}
