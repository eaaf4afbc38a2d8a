//! End-to-end tests of `xxgk aggregate`: a batch never gives up on one bad file, sums per format,
//! flags duplicates, checks against last year and against the parent.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

fn read(rel: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(rel)).expect("fixture")).expect("json")
}

fn write(dir: &Path, name: &str, v: &Value) -> String {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write");
    p.display().to_string()
}

fn aggregate(args: &[&str]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("aggregate")
        .args(args)
        .arg("--json")
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/aggregate.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::validator_for(&schema).expect("schema")
}

fn set(v: &mut Value, id: &str, n: i64) {
    v["cells"][id] = serde_json::json!({"state": "number", "value": n});
}

#[test]
fn a_bad_file_is_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("坏文件.json");
    std::fs::write(&bad, "{ not json").expect("write");
    let mut other = read("valid-2021.json");
    other["meta"]["agency"] = "另一个局".into();
    let other = write(dir.path(), "other.json", &other);
    let out = dir.path().join("sum.json");
    let (code, json, _) = aggregate(&[
        fixture("valid-2021.json").to_str().expect("p"),
        &other,
        fixture("valid-2019.json").to_str().expect("p"),
        bad.to_str().expect("p"),
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ]);
    assert_eq!(code, 2, "an unreadable input gives exit code 2");
    assert_eq!(json["unreadable"][0]["file"], bad.display().to_string());
    assert_eq!(json["summary"]["reports"], 3);
    // A V2019 and a V2021 report cannot be added: two sums.
    let sums = json["sums"].as_array().expect("sums");
    assert_eq!(sums.len(), 2);
    let s21 = sums.iter().find(|s| s["format"] == "2021").expect("2021 sum");
    assert_eq!(
        (s21["reports"].as_u64(), s21["outcome"].as_str()),
        (Some(2), Some("pass"))
    );
    let errors = validator()
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect::<Vec<_>>();
    assert!(errors.is_empty(), "{errors:?}");
    // The sum itself was written, and is exactly twice the report.
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
    let sum = written
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["meta"]["year"] == 2023 && r["meta"]["summed_reports"] == 2)
        .expect("sum");
    assert_eq!(sum["cells"]["t3.new_received.total"]["value"], 204);
    assert_eq!(sum["cells"]["t2.fees.amount"]["value"], "206.7758");
}

#[test]
fn the_same_agency_twice_is_a_finding_not_a_double_count() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let f = fixture("valid-2021.json");
    let (code, json, _) = aggregate(&[
        f.to_str().expect("p"),
        f.to_str().expect("p"),
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json["reports"][1]["excluded_because"], "duplicate");
    assert_eq!(json["reports"][1]["findings"][0]["rule"], "X-BATCH-DUP");
    assert_eq!(json["sums"][0]["reports"], 1);
}

#[test]
fn failing_reports_are_summed_unless_excluded() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let good = fixture("valid-2021.json");
    let mut broken = read("broken/T3-BAL.json");
    broken["meta"]["agency"] = "另一个局".into();
    let broken = write(dir.path(), "broken.json", &broken);
    let args = [
        good.to_str().expect("p"),
        broken.as_str(),
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ];
    let (code, json, _) = aggregate(&args);
    assert_eq!(code, 1);
    assert_eq!(json["sums"][0]["reports"], 2);
    assert_eq!(
        json["sums"][0]["outcome"], "fail",
        "the broken balance carries into the sum"
    );
    let mut excluded = args.to_vec();
    excluded.push("--exclude-failing");
    let (_, json, _) = aggregate(&excluded);
    assert_eq!(json["sums"][0]["reports"], 1);
    assert_eq!(json["sums"][0]["outcome"], "pass");
    assert_eq!(json["reports"][1]["excluded_because"], "failing");
}

#[test]
fn reports_are_checked_against_last_year_and_the_parent() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let now = fixture("valid-2021.json");
    // Last year: the same agency; its carried-forward differs in one column.
    let mut prev = read("valid-2021.json");
    prev["meta"]["year"] = 2022.into();
    // This year carried over 5, 1, 0, 0, 0, 1 (7); last year carried forward one less natural person.
    for (col, n) in [
        ("natural_person", 4),
        ("commercial", 1),
        ("research", 0),
        ("public_interest", 0),
        ("legal_service", 0),
        ("other_org", 1),
        ("total", 6),
    ] {
        set(&mut prev, &format!("t3.carried_forward.{col}"), n);
    }
    let prev = write(dir.path(), "prev.json", &prev);
    // The parent reports one more administrative review than its only child.
    let mut parent = read("valid-2021.json");
    parent["meta"]["agency"] = "示例区人民政府".into();
    set(&mut parent, "t4.review.upheld", 3);
    set(&mut parent, "t4.review.total", 5);
    let parent = write(dir.path(), "parent.json", &parent);
    let (code, json, _) = aggregate(&[
        now.to_str().expect("p"),
        "--previous",
        &prev,
        "--parent",
        &parent,
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ]);
    assert_eq!(code, 0, "cross-report findings are warnings");
    assert_eq!(json["matching"]["matched"][0]["basis"], "region_code_and_name");
    let carry: Vec<&Value> = json["reports"][0]["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["rule"] == "X-CARRY")
        .collect();
    assert_eq!(carry.len(), 2, "natural persons and total: {carry:?}");
    assert_eq!(carry[0]["subject"], "自然人");
    let agg: Vec<&Value> = json["parent"]["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter(|f| f["rule"] == "X-AGG")
        .collect();
    assert_eq!(agg.len(), 2);
    assert_eq!(
        (agg[0]["found"].as_str(), agg[0]["expected"].as_str()),
        (Some("3"), Some("2"))
    );
    let (strict, _, _) = aggregate(&[
        now.to_str().expect("p"),
        "--parent",
        &parent,
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
        "--strict",
    ]);
    assert_eq!(strict, 1);
}

#[test]
fn folders_and_globs_are_expanded() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let pattern = fixture("valid-20*.json").display().to_string();
    let (_, json, _) = aggregate(&[&pattern, "-o", out.to_str().expect("p"), "--to", "json"]);
    assert_eq!(json["summary"]["files"], 2);
    let (_, json, _) = aggregate(&[
        fixture("broken").to_str().expect("p"),
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ]);
    assert_eq!(json["summary"]["files"], 21);
}

#[test]
fn rules_can_be_skipped_as_in_validate() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let broken = fixture("broken/T3-BAL.json");
    let args = [
        broken.to_str().expect("p"),
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ];
    let (code, _, _) = aggregate(&args);
    assert_eq!(code, 1);
    let mut skipped = args.to_vec();
    skipped.extend(["--skip", "T3-BAL"]);
    let (code, json, _) = aggregate(&skipped);
    assert_eq!(code, 0, "{json}");
    let unknown = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args([
            "aggregate",
            broken.to_str().expect("p"),
            "-o",
            out.to_str().expect("p"),
            "--skip",
            "NO-SUCH-RULE",
        ])
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(2));
}

/// A batch keeps its reports compact until the output is written; what it writes must still be
/// every report exactly as read (texts included for an exporter that writes them), then the sum.
#[test]
fn the_output_holds_every_report_as_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let seed = read("seed-2023-daoli.json");
    let mut other = seed.clone();
    other["meta"]["agency"] = "另一个局".into();
    let a = write(dir.path(), "a.json", &seed);
    let b = write(dir.path(), "b.json", &other);
    let out = dir.path().join("all.json");
    let (code, _, stderr) = aggregate(&[&a, &b, "-o", out.to_str().expect("p"), "--to", "json"]);
    assert!(code == 0 || code == 1, "{stderr}");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("json");
    let reports = written.as_array().expect("an array of reports");
    assert_eq!(reports.len(), 3, "two reports and their sum");
    for (got, want) in reports.iter().zip([&seed, &other]) {
        assert_eq!(got["cells"], want["cells"]);
        assert_eq!(got["sections"], want["sections"]);
        assert_eq!(got["preamble"], want["preamble"]);
        assert_eq!(got["meta"]["agency"], want["meta"]["agency"]);
    }
    assert_eq!(reports[2]["meta"]["summed_reports"], 2);
}

#[test]
fn a_parent_file_must_hold_exactly_one_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let one = read("valid-2021.json");
    let two = Value::Array(vec![one.clone(), one]);
    let parent = write(dir.path(), "parents.json", &two);
    let now = fixture("valid-2021.json");
    let (code, json, _) = aggregate(&[
        now.to_str().expect("p"),
        "--parent",
        &parent,
        "-o",
        out.to_str().expect("p"),
        "--to",
        "json",
    ]);
    assert_eq!(code, 2, "{json}");
    let unreadable = &json["unreadable"][0];
    assert_eq!(unreadable["file"], Value::String(parent.clone()));
    let msg = unreadable["error"]["message"]["zh"].as_str().unwrap_or_default();
    assert!(msg.contains("实际含 2 份"), "{msg}");
    assert!(json.get("parent").is_none(), "no parent was taken silently");
}

/// Runs `xxgk aggregate` without `--json`: (exit code, stdout, stderr).
fn aggregate_plain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .arg("aggregate")
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_output_name_picks_the_exporter_or_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fixture("valid-2021.json");
    let f = f.to_str().expect("p");
    // `-o x.json` writes JSON, `-o x.xlsx` the statistics workbook.
    let json_out = dir.path().join("批次.json");
    let (code, json, err) = aggregate(&[f, "-o", json_out.to_str().expect("p")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json["exporter"], "json");
    let written: Value = serde_json::from_slice(&std::fs::read(&json_out).expect("written")).expect("json");
    assert!(written.is_array() || written.is_object());
    let xlsx_out = dir.path().join("汇总.xlsx");
    let (code, json, err) = aggregate(&[f, "-o", xlsx_out.to_str().expect("p")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(json["exporter"], "xlsx-stats");
    // A one-report format, an extension another exporter writes, or an unknown one: refused before
    // any input is read (the missing input is never mentioned).
    let missing = dir.path().join("no-such-input.json");
    let missing = missing.to_str().expect("p");
    for (out, to, needle) in [
        ("合计.docx", None, "--sum-out"),
        ("合计.html", None, "--sum-out"),
        ("合计.docx", Some("xlsx-stats"), ".docx"),
        ("x.json", Some("xlsx-stats"), "xlsx-stats"),
        ("x.txt", None, "--to"),
    ] {
        let target = dir.path().join(out);
        let mut args = vec![missing, "-o", target.to_str().expect("p")];
        if let Some(to) = to {
            args.extend(["--to", to]);
        }
        let (code, _, err) = aggregate_plain(&args);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains(needle), "{out}: {err}");
        assert!(err.contains(out), "names the output: {err}");
        assert!(!err.contains("no-such-input"), "refused before reading: {err}");
        assert!(!target.exists(), "{out}: nothing written");
    }
}

#[test]
fn the_sum_is_written_as_the_official_form_with_what_it_lacks() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = fixture("valid-2021.json");
    let mut other = read("valid-2021.json");
    other["meta"]["agency"] = "示例区教育局".into();
    other["meta"]["region_code"] = Value::Null;
    // A cell given as a placeholder: the sum of that cell is incomplete and must say so.
    other["cells"]["t2.regulations.made"] = serde_json::json!({"state": "placeholder", "raw": "/"});
    let b = write(dir.path(), "教育局.json", &other);
    let stats = dir.path().join("汇总.xlsx");
    let form = dir.path().join("全区年报表.xlsx");
    let (code, json, err) = aggregate(&[
        a.to_str().expect("p"),
        &b,
        "-o",
        stats.to_str().expect("p"),
        "--sum-out",
        form.to_str().expect("p"),
    ]);
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(json["sums"].as_array().map(Vec::len), Some(1));
    // The official form reads back as the sum, with the note before the tables.
    let back = dir.path().join("back.json");
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(["convert", form.to_str().expect("p"), "-o", back.to_str().expect("p")])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let back: Value = serde_json::from_slice(&std::fs::read(&back).expect("read")).expect("json");
    assert_eq!(back["cells"]["t3.new_received.natural_person"]["value"], 160);
    assert_eq!(back["cells"]["t2.regulations.made"], Value::Null, "not summed: blank");
    let note = back["preamble"].as_str().expect("a note before the tables");
    assert!(note.contains("2 份报告的逐格合计"), "{note}");
    assert!(note.contains("未能全部计入合计"), "{note}");
    assert!(
        note.contains("t2.regulations.made") && note.contains("教育局.json"),
        "{note}"
    );

    // The same as Word-readable Markdown, chosen by the extension.
    let md = dir.path().join("全区年报表.md");
    let (_, _, err) = aggregate(&[
        a.to_str().expect("p"),
        &b,
        "-o",
        stats.to_str().expect("p"),
        "--sum-out",
        md.to_str().expect("p"),
    ]);
    let text = std::fs::read_to_string(&md).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert!(text.contains("未能全部计入合计"), "{text}");

    // Two formats: one file per group, named after it.
    let mixed = dir.path().join("分组.html");
    let (_, json, err) = aggregate(&[
        a.to_str().expect("p"),
        fixture("valid-2019.json").to_str().expect("p"),
        "-o",
        stats.to_str().expect("p"),
        "--sum-out",
        mixed.to_str().expect("p"),
    ]);
    assert_eq!(json["sums"].as_array().map(Vec::len), Some(2), "{err}");
    assert_eq!(json["sum_outputs"].as_array().map(Vec::len), Some(2), "{json}");
    assert!(validator().iter_errors(&json).next().is_none(), "the schema holds");
    assert!(!mixed.exists(), "the bare name is not written when there are groups");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("分组（"))
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("2021版）.html")), "{names:?}");

    // A name no exporter writes is refused before any work.
    let bad = dir.path().join("合计.pdf");
    let (code, _, err) = aggregate_plain(&[
        "no-such-input.json",
        "-o",
        stats.to_str().expect("p"),
        "--sum-out",
        bad.to_str().expect("p"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("合计.pdf") && !err.contains("no-such-input"), "{err}");
}

#[test]
fn of_two_copies_the_corrected_or_the_newest_is_counted_and_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("sum.json");
    let mut copy = read("valid-2021.json");
    let plain = write(dir.path(), "02-区教育局.json", &copy);
    set(&mut copy, "t3.new_received.natural_person", 81);
    set(&mut copy, "t3.new_received.total", 999); // the corrected copy differs: T3 sums no longer hold
    let corrected = write(dir.path(), "02-区教育局（修改后）.json", &copy);
    // The corrected copy is counted though it comes second and is older.
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(&corrected)
        .and_then(|f| f.set_modified(old))
        .expect("mtime");
    let (_, json, err) = aggregate(&[&plain, &corrected, "-o", out.to_str().expect("p")]);
    let reports = json["reports"].as_array().expect("reports");
    let by_file = |name: &str| {
        reports
            .iter()
            .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(name)))
    };
    assert_eq!(by_file("（修改后）.json").expect("c")["included"], true, "{err}");
    let dropped = by_file("02-区教育局.json").expect("p");
    assert_eq!(dropped["excluded_because"], "duplicate");
    let msg = dropped["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["rule"] == "X-BATCH-DUP"))
        .and_then(|f| f["message"]["zh"].as_str())
        .expect("dup message")
        .to_string();
    assert!(msg.contains("修改后的版本"), "{msg}");

    // Two plain copies: the one modified last by default, the first with --keep first; the
    // terminal says which copy counts. A duplicate is not also unmatched against last year.
    let older = write(dir.path(), "a.json", &read("valid-2021.json"));
    let newer = write(dir.path(), "b.json", &read("valid-2021.json"));
    std::fs::File::options()
        .write(true)
        .open(&older)
        .and_then(|f| f.set_modified(old))
        .expect("mtime");
    let mut last_year = read("valid-2021.json");
    last_year["meta"]["year"] = 2022.into();
    let last_year = write(dir.path(), "去年.json", &last_year);
    let (_, json, _) = aggregate(&[&older, &newer, "-o", out.to_str().expect("p"), "--previous", &last_year]);
    assert_eq!(json["reports"][0]["excluded_because"], "duplicate");
    assert_eq!(json["reports"][1]["included"], true);
    assert_eq!(json["matching"]["unmatched_current"], serde_json::json!([]));
    let (_, json, _) = aggregate(&[&older, &newer, "-o", out.to_str().expect("p"), "--keep", "first"]);
    assert_eq!(json["reports"][0]["included"], true);
    assert_eq!(json["reports"][1]["excluded_because"], "duplicate");
    let (_, human, _) = aggregate_plain(&[&older, &newer, "-o", out.to_str().expect("p")]);
    assert!(
        human.contains("计入合计的是") && human.contains("修改时间最新"),
        "{human}"
    );
}

#[test]
fn cells_left_out_of_the_sum_are_named_on_the_terminal_with_file_and_cell() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut other = read("valid-2021.json");
    other["meta"]["agency"] = "示例区财政局".into();
    other["meta"]["region_code"] = Value::Null;
    other["cells"]["t2.fees.amount"] =
        serde_json::json!({"state": "number", "value": 3800, "raw": "3800元", "unit": "元"});
    let b = write(dir.path(), "财政局.json", &other);
    let out = dir.path().join("汇总.xlsx");
    let (_, human, err) = aggregate_plain(&[
        fixture("valid-2021.json").to_str().expect("p"),
        &b,
        "-o",
        out.to_str().expect("p"),
    ]);
    assert!(human.contains("未计入合计的单元格 1 处"), "{human}{err}");
    let line = human
        .lines()
        .find(|l| l.contains("t2.fees.amount"))
        .expect("the cell's line");
    assert!(
        line.contains("财政局.json") && line.contains("单位与本栏不符"),
        "{line}"
    );
}

#[test]
fn the_terminal_lists_reports_with_warnings_and_counts_with_the_first_in_words() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut last_year = read("valid-2021.json");
    last_year["meta"]["year"] = 2022.into();
    let last_year = write(dir.path(), "去年.json", &last_year);
    let out = dir.path().join("汇总.xlsx");
    let (code, human, err) = aggregate_plain(&[
        fixture("valid-2021.json").to_str().expect("p"),
        "--previous",
        &last_year,
        "-o",
        out.to_str().expect("p"),
    ]);
    assert_eq!(code, 0, "warnings pass: {err}");
    assert!(human.contains("有警告的报告 1 份"), "{human}");
    assert!(human.contains("（错误 0，警告 "), "the counts: {human}");
    assert!(human.contains("X-CARRY: 表三"), "the first warning in words: {human}");
}
