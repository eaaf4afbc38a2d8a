//! The terminal summary of `aggregate` an officer acts on: per report with a problem its
//! outcome, its counts and its first problem in words; the cells left out of the sum with their
//! file and their cell in it.

use serde_json::Value;
use std::path::Path;

mod common;
use common::run_plain as xxgk;

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A department's workbook made by `xxgk convert` from the valid report, changed by `edit`.
fn workbook(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid-2021.json");
    let mut r: Value = serde_json::from_str(&std::fs::read_to_string(f).expect("fixture")).expect("json");
    r["meta"]["agency"] = name.into();
    edit(&mut r);
    let json = dir.join(format!("{name}.json"));
    std::fs::write(&json, r.to_string()).expect("write");
    let out = dir.join(format!("{name}.xlsx"));
    let (code, _, err) = xxgk(&["convert", p(&json), "--to", "xlsx", "-o", p(&out)]);
    assert_eq!(code, 0, "{err}");
    out.display().to_string()
}

#[test]
fn partly_assessable_reports_and_cells_left_out_are_named_with_file_and_cell() {
    let dir = tempfile::tempdir().expect("tmp");
    let money = workbook(dir.path(), "示例区财政局", |r| {
        r["cells"]["t2.fees.amount"] =
            serde_json::json!({"state": "number", "value": 3800, "raw": "3800元", "unit": "元"});
    });
    let partial = workbook(dir.path(), "示例区民政局", |r| {
        r["cells"]["t3.granted.natural_person"] = serde_json::json!({"state": "placeholder", "raw": "无"});
    });
    let out = dir.path().join("汇总.xlsx");
    let (_, human, err) = xxgk(&["aggregate", &money, &partial, "-o", p(&out)]);
    let lines: Vec<&str> = human.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle}: {human}{err}"))
    };
    // The outcome with its counts, then the first check that could not be made, in words.
    let i = at("⚠ 部分无法核对（2 项） 示例区民政局");
    assert!(lines[i].ends_with("（错误 0，警告 0，无法核对 2）"), "{}", lines[i]);
    assert!(
        lines[i + 1].starts_with("      T3-") && lines[i + 1].contains("占位符"),
        "{}",
        lines[i + 1]
    );
    // The amount in 元 in a 万元 cell: its file and its cell in that file.
    let line = lines[at("t2.fees.amount")];
    let cell = format!("{money} 表二!");
    assert!(
        line.starts_with(&format!("  {cell}")) && line.contains("单位与本栏不符"),
        "{line}"
    );
}
