//! End-to-end tests of the `xxgk` binary: exit codes, messages, and `--json` against the schema.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

fn xxgk() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = xxgk().args(args).output().expect("run xxgk");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn schema_validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas").join(name)).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema json");
    jsonschema::validator_for(&schema).expect("valid schema")
}

fn assert_matches_schema(validator: &jsonschema::Validator, value: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "does not match the schema: {errors:#?}");
}

#[test]
fn seed_report_validates_with_exit_0() {
    let seed = fixture("seed-2023-daoli.json");
    let r = run(&["validate", seed.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("✔ 通过 道里区工业信息科技局 2023年度"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("错误 0，警告 0"), "{}", r.stdout);
}

#[test]
fn valid_fixtures_of_both_versions_pass_strictly() {
    for name in ["valid-2021.json", "valid-2019.json"] {
        let f = fixture(name);
        let r = run(&["validate", "--strict", f.to_str().expect("path")]);
        assert_eq!(r.code, 0, "{name}: {}", r.stdout);
    }
}

/// The failing rule ids of one file, from `--json`.
fn failing_rules(file: &Path, extra: &[&str]) -> (i32, Vec<String>, Value) {
    let mut args = vec!["validate", "--json", "--strict"];
    args.extend_from_slice(extra);
    args.push(file.to_str().expect("path"));
    let r = run(&args);
    let json: Value = serde_json::from_str(&r.stdout).expect("json output");
    let mut ids: Vec<String> = json["files"][0]["reports"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
        .collect();
    ids.dedup();
    (r.code, ids, json)
}

#[test]
fn each_broken_fixture_fails_exactly_its_rule() {
    let findings_schema = schema_validator("findings.schema.json");
    let dir = fixture("broken");
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("broken fixtures") {
        let path = entry.expect("entry").path();
        let rule = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let (code, mut failing, json) = failing_rules(&path, &[]);
        // An information rule reports without failing the run, even with --strict; what a broken
        // fixture also shows for information (T34-BLANK counts the blanks of T3-EMPTY) is not its
        // rule's failure.
        let info = info_rules();
        failing.retain(|r| *r == rule || !info.contains(r));
        let expected_code = if info.contains(&rule) { 0 } else { 1 };
        assert_eq!(code, expected_code, "{rule}: exit code");
        assert_eq!(failing, vec![rule.clone()], "{rule}: failing rules");
        assert_matches_schema(&findings_schema, &json);
        seen.push(rule);
    }
    // Every rule of the catalogue has its broken fixture.
    let mut all: Vec<String> = xxgk_rule_ids();
    all.sort();
    seen.sort();
    assert_eq!(seen, all);
}

/// Ids of the rules whose failures are for information only.
fn info_rules() -> Vec<String> {
    let r = run(&["rules", "--json"]);
    let json: Value = serde_json::from_str(&r.stdout).expect("rules json");
    json.as_array()
        .expect("array")
        .iter()
        .filter(|r| r["severity"] == "info")
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn xxgk_rule_ids() -> Vec<String> {
    let r = run(&["rules", "--json"]);
    let json: Value = serde_json::from_str(&r.stdout).expect("rules json");
    // Rules over one report; the cross-report rules have tests of their own.
    json.as_array()
        .expect("array")
        .iter()
        .filter(|r| r["scope"] == "report")
        .map(|r| r["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_failure_names_rule_table_labels_and_values() {
    let f = fixture("broken/T3-BAL.json");
    let r = run(&["validate", f.to_str().expect("path")]);
    assert_eq!(r.code, 1);
    for needle in [
        "T3-BAL",
        "表三「自然人」列",
        "第三项加第四项之和为 86，应等于第一项加第二项之和 85",
        "三、本年度办理结果 / （七）总计 × 申请人情况 / 自然人 = 79",
        "四、结转下年度继续办理 × 申请人情况 / 自然人 = 7",
        "一、本年新收政府信息公开申请数量 × 申请人情况 / 自然人 = 80",
        "[第",
    ] {
        assert!(r.stdout.contains(needle), "missing {needle:?} in\n{}", r.stdout);
    }
    let en = run(&["--lang", "en", "validate", f.to_str().expect("path")]);
    assert!(
        en.stdout.contains("Table 3, column “自然人” (Natural persons)"),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("(7) Total × Applicants / Natural persons = 79"),
        "{}",
        en.stdout
    );
}

#[test]
fn warnings_fail_only_with_strict() {
    let f = fixture("broken/MONEY-SCALE.json");
    assert_eq!(run(&["validate", f.to_str().expect("path")]).code, 0);
    assert_eq!(run(&["validate", "--strict", f.to_str().expect("path")]).code, 1);
}

#[test]
fn blanks_are_not_assessable_unless_counted_as_zero() {
    let f = fixture("broken/T3-EMPTY.json");
    let (_, failing, json) = failing_rules(&f, &[]);
    assert_eq!(failing, vec!["T3-EMPTY", "T34-BLANK"], "the blanks are also counted");
    let not_assessable = json["files"][0]["reports"][0]["counts"]["not_assessable"]
        .as_u64()
        .expect("count");
    assert!(not_assessable >= 7, "the balance of every column cannot be checked");
    let (code, failing, json) = failing_rules(&f, &["--blank-as-zero"]);
    assert_eq!(code, 1);
    assert!(failing.contains(&"T3-RESULTS".to_string()), "{failing:?}");
    let text = json.to_string();
    assert!(
        text.contains("按0计") && text.contains("\"counted_as_zero\":true"),
        "blank-as-zero is mentioned"
    );
}

#[test]
fn malformed_json_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"meta\": {\n    \"agency\": \"某局\",,\n").expect("write");
    let r = run(&["validate", bad.to_str().expect("path")]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.contains("第3行第20列") && r.stdout.contains("JSON 格式错误"),
        "{}",
        r.stdout
    );
    let r = run(&["validate", "--json", bad.to_str().expect("path")]);
    let json: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(json["files"][0]["error"]["location"]["line"], 3);
    assert_eq!(json["files"][0]["error"]["kind"], "syntax");
    assert_matches_schema(&schema_validator("findings.schema.json"), &json);
    let missing = run(&["validate", dir.path().join("nope.json").to_str().expect("path")]);
    assert_eq!(missing.code, 2);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["validate"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    let seed = fixture("seed-2023-daoli.json");
    assert_eq!(
        run(&["validate", "--skip", "NO-SUCH-RULE", seed.to_str().expect("path")]).code,
        2
    );
    assert_eq!(run(&["--help"]).code, 0);
}

/// A clerk who asks for help reads it in Chinese, clap's own words included; `--lang en` gives
/// the English of the same texts.
#[test]
fn help_is_in_the_language_asked_for() {
    let commands = ["validate", "convert", "aggregate", "template", "exporters", "rules"];
    let zh = run(&["--help"]);
    assert_eq!(zh.code, 0);
    assert!(
        zh.stdout.contains("用法：xxgk") && zh.stdout.contains("显示帮助"),
        "{}",
        zh.stdout
    );
    for c in commands {
        let r = run(&[c, "--help"]);
        assert_eq!(r.code, 0, "{c}");
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Print help",
            "Possible values",
            "[default",
            "(check",
        ] {
            assert!(
                !r.stdout.contains(english),
                "{c} --help shows “{english}”:\n{}",
                r.stdout
            );
        }
        assert!(
            r.stdout.contains("用法：xxgk ") && r.stdout.contains("选项"),
            "{}",
            r.stdout
        );
        let en = run(&["--lang", "en", c, "--help"]);
        assert_eq!(en.code, 0, "{c}");
        assert!(en.stdout.contains("Usage: xxgk "), "{}", en.stdout);
        // Chinese remains only in the name of the language itself and in a default that is a
        // Chinese name (the sheet the sum is written to).
        let chinese: Vec<&str> = en
            .stdout
            .lines()
            .filter(|l| l.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)))
            .filter(|l| !l.contains("zh = 中文") && !l.contains("default: 汇总"))
            .collect();
        assert!(chinese.is_empty(), "{c} --lang en --help shows Chinese: {chinese:#?}");
    }
    let zh = run(&["validate", "--help"]);
    assert!(
        zh.stdout.contains("可选：zh 中文、en English；默认：zh"),
        "{}",
        zh.stdout
    );
}

#[test]
fn command_line_mistakes_are_told_in_chinese_unless_english_is_asked() {
    let r = run(&["validate", "--bogus", "x.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("未知参数：--bogus"), "{}", r.stderr);
    assert!(r.stderr.contains("用法：xxgk validate"), "{}", r.stderr);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
    let r = run(&["validat", "x.json"]);
    assert!(
        r.stderr.contains("未知命令：validat") && r.stderr.contains("是否想用：validate"),
        "{}",
        r.stderr
    );
    let r = run(&["template", "--year", "1990", "-o", "x.xlsx"]);
    assert!(
        r.stderr.contains("“1990”不符合要求（应在 2019 至 2100 之间）"),
        "{}",
        r.stderr
    );
    let r = run(&["--lang", "en", "validate", "--bogus", "x.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unexpected argument '--bogus'"), "{}", r.stderr);
}

#[test]
fn convert_writes_200_cell_lines_with_official_labels() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("cells.csv");
    let seed = fixture("seed-2023-daoli.json");
    let r = run(&[
        "convert",
        seed.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(&out).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel and WPS");
    let text = String::from_utf8(bytes).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 201);
    assert_eq!(
        lines[0].trim_start_matches('\u{feff}'),
        "agency,year,format,cell_id,table,row_label,column_label,value,state,raw"
    );
    assert!(text.contains("t3.withheld.security_stability.total,t3,三、本年度办理结果 / （三）不予公开 / 3.危及“三安全一稳定”,申请人情况 / 总计,0,number,"));
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.starts_with("道里区工业信息科技局,2023,2021,"))
    );
    // No temporary file is left beside the output.
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn json_round_trip_is_lossless() {
    let dir = tempfile::tempdir().expect("tmp");
    let report_schema = schema_validator("report.schema.json");
    for name in ["seed-2023-daoli.json", "valid-2021.json", "valid-2019.json"] {
        let src = fixture(name);
        let out = dir.path().join(name);
        let r = run(&[
            "convert",
            src.to_str().expect("path"),
            "-o",
            out.to_str().expect("path"),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let a: Value = serde_json::from_str(&std::fs::read_to_string(&src).expect("src")).expect("json");
        let b: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("out")).expect("json");
        assert_eq!(a, b, "{name}");
        assert_matches_schema(&report_schema, &b);
    }
}

/// A folder converts in its files' order, every report as the file holds it (nothing added, a
/// JSON report unchanged), read in parallel; one unreadable file and nothing is written.
#[test]
fn a_folder_converts_report_by_report_in_file_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).expect("dir");
    let files = [
        ("1-seed.json", "seed-2023-daoli.json"),
        ("2-workbook.xlsx", "example-2021.xlsx"),
        ("3-v2019.json", "valid-2019.json"),
        ("4-v2021.json", "valid-2021.json"),
    ];
    for (name, fixture_name) in files {
        std::fs::copy(fixture(fixture_name), inputs.join(name)).expect("copy");
    }
    let out = dir.path().join("all.jsonl");
    let r = run(&[
        "convert",
        inputs.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).expect("jsonl");
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("line")).collect();
    assert_eq!(lines.len(), files.len());
    for ((name, fixture_name), line) in files.iter().zip(&lines) {
        let single = dir.path().join("one.json");
        let r = run(&[
            "convert",
            inputs.join(name).to_str().expect("path"),
            "-o",
            single.to_str().expect("path"),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let alone: Value = serde_json::from_str(&std::fs::read_to_string(&single).expect("json")).expect("json");
        assert_eq!(line, &alone, "{name}");
        if name.ends_with(".xlsx") {
            assert!(line["meta"].get("source").is_none(), "{name}: no source is added");
        } else {
            let original: Value =
                serde_json::from_str(&std::fs::read_to_string(fixture(fixture_name)).expect("src")).expect("json");
            assert_eq!(line, &original, "{name} converts unchanged");
        }
    }
    std::fs::write(inputs.join("5-damaged.xlsx"), b"not a workbook").expect("write");
    std::fs::remove_file(&out).expect("rm");
    let r = run(&[
        "convert",
        inputs.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("5-damaged.xlsx"), "{}", r.stderr);
    assert!(r.stderr.contains("未写出结果"), "{}", r.stderr);
    assert!(!out.exists());
}

#[test]
fn convert_refuses_unknown_exporters_and_extensions() {
    let seed = fixture("seed-2023-daoli.json");
    let s = seed.to_str().expect("path");
    let r = run(&["convert", s, "-o", "/tmp/x.unknownext"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--to"), "{}", r.stderr);
    assert_eq!(run(&["convert", s, "-o", "-", "--to", "nope"]).code, 2);
    let r = run(&["convert", s, "-o", "-", "--to", "jsonl"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().count(), 1);
}

#[test]
fn rules_and_exporters_are_listed() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0);
    for id in [
        "T3-BAL",
        "T3-ROWSUM",
        "T3-RESULTS",
        "T4-SUM",
        "INT-NONNEG",
        "FEE-NONNEG",
        "V19-ITEMS-NONNEG",
        "V19-PUBLISHED-LE-TOTAL",
        "T3-EMPTY",
        "DOC-SECTIONS",
        "X-FORMAT",
        "MONEY-SCALE",
    ] {
        assert!(r.stdout.contains(id), "{id}");
    }
    let v19 = run(&["rules", "--format-version", "2021"]);
    assert!(!v19.stdout.contains("V19-ITEMS-NONNEG"));
    let e = run(&["exporters"]);
    for name in ["csv", "json", "jsonl"] {
        assert!(
            e.stdout.lines().any(|l| l.starts_with(name)),
            "exporter {name} is linked and listed"
        );
    }
}

#[test]
fn several_files_and_folders_are_checked_together() {
    let r = run(&[
        "validate",
        fixture("broken").to_str().expect("path"),
        fixture("valid-2021.json").to_str().expect("path"),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("共 22 个文件、22 份报告"), "{}", r.stdout);
}

/// Files are checked on several threads but their results come in input order, the same as on
/// one thread, in text and in JSON: a folder of broken fixtures, one file of several reports, an
/// unreadable file and valid ones.
#[test]
fn results_come_in_input_order_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let several = dir.path().join("several.json");
    let report = |name: &str| std::fs::read_to_string(fixture(name)).expect("fixture");
    let array = format!("[{},{}]", report("valid-2021.json"), report("valid-2019.json"));
    std::fs::write(&several, array).expect("write");
    // More reports than a worker keeps: read again when its turn comes.
    let many = dir.path().join("many.json");
    let copies = vec![report("valid-2021.json"); 70].join(",");
    std::fs::write(&many, format!("[{copies}]")).expect("write");
    let many_name = format!("— {}", many.display());
    let inputs = [
        fixture("broken"),
        fixture("valid-2021.json"),
        several,
        many,
        fixture("hostile"),
        fixture("example-2021.xlsx"),
    ];
    let inputs: Vec<&str> = inputs.iter().map(|p| p.to_str().expect("path")).collect();
    for extra in [&[][..], &["--json"][..], &["--all", "--lang", "en"][..]] {
        let with = |jobs: &str| {
            let mut args = vec!["validate", "--jobs", jobs];
            args.extend_from_slice(extra);
            args.extend_from_slice(&inputs);
            run(&args)
        };
        let one = with("1");
        assert!(one.stdout.lines().count() > 40, "{extra:?}: {}", one.stdout);
        if extra.is_empty() {
            assert_eq!(one.stdout.matches(&many_name).count(), 70, "{}", one.stdout);
        }
        for jobs in ["2", "5"] {
            let many = with(jobs);
            assert_eq!(many.code, one.code, "{extra:?} --jobs {jobs}");
            assert!(
                many.stdout == one.stdout,
                "{extra:?}: --jobs {jobs} printed another order or other results"
            );
        }
    }
}

/// The published seed text round-trips: text → JSON gives the numbers and sections of the
/// JSON fixture, and `validate` passes it.
#[test]
fn seed_text_round_trips_through_json() {
    let txt = fixture("seed-2023-daoli.txt");
    let r = run(&["validate", txt.to_str().expect("path")]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("seed.json");
    let r = run(&[
        "convert",
        txt.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let got: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("output")).expect("json");
    let got = if got.is_array() { got[0].clone() } else { got };
    let want: Value = serde_json::from_str(&std::fs::read_to_string(fixture("seed-2023-daoli.json")).expect("fixture"))
        .expect("json");
    for key in ["cells", "sections", "preamble"] {
        assert_eq!(got[key], want[key], "{key}");
    }
    assert_eq!(got["meta"]["agency"], want["meta"]["agency"]);
}

/// A row that cannot be read is named with its line, and the report fails.
#[test]
fn an_unreadable_text_row_is_named_with_its_line() {
    let text = std::fs::read_to_string(fixture("seed-2023-daoli.txt")).expect("seed");
    // Drop one value of 一、本年新收 (lines 95–101): six values where seven are expected.
    let broken: Vec<&str> = text
        .split('\n')
        .enumerate()
        .filter(|(i, _)| *i != 95)
        .map(|(_, l)| l)
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.txt");
    std::fs::write(&path, broken.join("\n")).expect("write");
    let r = run(&["validate", path.to_str().expect("path")]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("IMPORT-ROW"), "{}", r.stdout);
    assert!(
        r.stdout.contains("第95行") && r.stdout.contains("一、本年新收政府信息公开申请数量"),
        "{}",
        r.stdout
    );
}

/// A department prints （三）不予公开 as one row without its eight sub-rows (the 2019 fixture, each
/// column's items summed into the group's row): `validate` passes, with （七）总计 checked against
/// the group. The same report that prints the group row and its sub-rows, the row one more than
/// the sub-rows in 自然人, fails T3-RESULTS on the group's cell, exit 1.
#[test]
fn a_group_printed_as_one_row_validates_and_must_match_its_printed_sub_rows() {
    let text = std::fs::read_to_string(fixture("valid-2019.json")).expect("fixture");
    let mut report: Value = serde_json::from_str(&text).expect("json");
    let columns = [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other_org",
        "total",
    ];
    let cells = report["cells"].as_object_mut().expect("cells");
    let mut items = serde_json::Map::new();
    for c in columns {
        let mut sum = 0;
        let ids: Vec<String> = cells
            .keys()
            .filter(|id| id.starts_with("t3.withheld.") && id.ends_with(&format!(".{c}")))
            .cloned()
            .collect();
        assert_eq!(ids.len(), 8, "{c}: the eight sub-rows");
        for id in ids {
            let cell = cells.remove(&id).expect("cell");
            sum += cell["value"].as_i64().expect("a count");
            items.insert(id, cell);
        }
        cells.insert(
            format!("t3.withheld.{c}"),
            serde_json::json!({"state": "number", "value": sum}),
        );
    }
    let dir = tempfile::tempdir().expect("dir");
    let alone = dir.path().join("alone.json");
    std::fs::write(&alone, serde_json::to_string(&report).expect("json")).expect("write");
    let (code, failing, json) = failing_rules(&alone, &[]);
    assert_eq!((code, failing), (0, Vec::<String>::new()), "{json:#}");
    let results_use_the_group = json["files"][0]["reports"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "T3-RESULTS")
        .any(|f| f.to_string().contains("t3.withheld.natural_person"));
    assert!(results_use_the_group, "{json:#}");

    let cells = report["cells"].as_object_mut().expect("cells");
    cells.extend(items);
    for c in ["natural_person", "total"] {
        let id = format!("t3.withheld.{c}");
        let v = cells[&id]["value"].as_i64().expect("count");
        cells.insert(id, serde_json::json!({"state": "number", "value": v + 1}));
    }
    let both = dir.path().join("both.json");
    std::fs::write(&both, serde_json::to_string(&report).expect("json")).expect("write");
    let (code, failing, json) = failing_rules(&both, &[]);
    assert_eq!((code, failing), (1, vec!["T3-RESULTS".to_string()]), "{json:#}");
    let named = json["files"][0]["reports"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "T3-RESULTS" && f["status"] == "fail")
        .all(|f| f.to_string().contains("t3.withheld."));
    assert!(named, "{json:#}");
}
