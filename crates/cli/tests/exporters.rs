//! The exporters and the CSV importer through the `xxgk` binary: listed with Chinese
//! descriptions, picked by name or extension, and CSV written by `convert` read back by it.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

mod common;
use common::run_plain as xxgk;

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn every_exporter_is_listed_with_a_chinese_description() {
    let (code, out, _) = xxgk(&["exporters"]);
    assert_eq!(code, 0);
    for name in ["csv", "csv-wide", "html", "json", "jsonl", "md", "xlsx-stats"] {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name} listed in:\n{out}"));
        assert!(line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{line}");
    }
}

/// The cells of each report in a JSON export, an absent cell read as blank.
fn cells(json: &Value) -> Vec<serde_json::Map<String, Value>> {
    let list = match json {
        Value::Array(a) => a.clone(),
        one => vec![one.clone()],
    };
    list.iter()
        .map(|r| r["cells"].as_object().cloned().unwrap_or_default())
        .collect()
}

fn same_cells(a: &serde_json::Map<String, Value>, b: &serde_json::Map<String, Value>) {
    let blank = serde_json::json!({ "state": "blank" });
    for id in a.keys().chain(b.keys()) {
        assert_eq!(a.get(id).unwrap_or(&blank), b.get(id).unwrap_or(&blank), "{id}");
    }
}

#[test]
fn csv_written_by_convert_is_read_back_cell_by_cell() {
    let dir = tempfile::tempdir().expect("tmp");
    let inputs = [
        fixture("valid-2021.json"),
        fixture("valid-2019.json"),
        fixture("seed-2023-daoli.json"),
    ];
    let originals: Vec<serde_json::Map<String, Value>> = inputs
        .iter()
        .flat_map(|p| cells(&serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")))
        .collect();
    let long = dir.path().join("cells.csv");
    let mut args = vec!["convert"];
    args.extend(inputs.iter().map(|p| path(p)));
    args.extend(["-o", path(&long)]);
    let (code, _, err) = xxgk(&args);
    assert_eq!(code, 0, "{err}");
    let back = dir.path().join("back.json");
    let (code, _, err) = xxgk(&["convert", path(&long), "-o", path(&back)]);
    assert_eq!(code, 0, "{err}");
    let got = cells(&serde_json::from_str(&std::fs::read_to_string(&back).expect("read")).expect("json"));
    assert_eq!(got.len(), originals.len());
    for (a, b) in originals.iter().zip(&got) {
        same_cells(a, b);
    }

    // The wide form keeps every report on one line and reads back the same numbers.
    let wide = dir.path().join("wide.csv");
    let mut args = vec!["convert"];
    args.extend(inputs.iter().map(|p| path(p)));
    args.extend(["-o", path(&wide), "--to", "csv-wide"]);
    assert_eq!(xxgk(&args).0, 0);
    let text = std::fs::read_to_string(&wide).expect("wide");
    assert_eq!(text.lines().count(), 2 + inputs.len());
    let (code, out, err) = xxgk(&["convert", path(&wide), "-o", "-", "--to", "json"]);
    assert_eq!(code, 0, "{err}");
    let wide_back = cells(&serde_json::from_str(&out).expect("json"));
    for (a, b) in originals.iter().zip(&wide_back) {
        for (id, cell) in a {
            assert_eq!(cell.get("value"), b[id].get("value"), "{id}");
            assert_eq!(cell["state"], b[id]["state"], "{id}");
        }
    }
}

#[test]
fn findings_on_a_csv_point_at_line_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("t3-bal.csv");
    let src = fixture("broken/T3-BAL.json");
    assert_eq!(xxgk(&["convert", path(&src), "-o", path(&csv)]).0, 0);
    let (code, out, _) = xxgk(&["validate", path(&csv)]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("T3-BAL"), "{out}");
    assert!(out.contains("行第8列]"), "the value column of a line: {out}");
}

#[test]
fn the_readable_report_and_the_statistics_workbook_are_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let seed = fixture("seed-2023-daoli.json");
    for (file, starts) in [
        ("report.html", "<!DOCTYPE html>"),
        ("report.md", "# 道里区工业信息科技局"),
    ] {
        let out = dir.path().join(file);
        let (code, _, err) = xxgk(&["convert", path(&seed), "-o", path(&out)]);
        assert_eq!(code, 0, "{err}");
        assert!(
            std::fs::read_to_string(&out).expect("read").starts_with(starts),
            "{file}"
        );
    }
    let stats = dir.path().join("stats.xlsx");
    let other = fixture("valid-2019.json");
    let (code, _, err) = xxgk(&[
        "convert",
        path(&seed),
        path(&other),
        "-o",
        path(&stats),
        "--to",
        "xlsx-stats",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&stats).expect("xlsx").starts_with(b"PK\x03\x04"));
    let (code, _, err) = xxgk(&["convert", path(&seed), path(&other), "-o", "-", "--to", "md"]);
    assert_eq!(code, 2, "md takes one report: {err}");
}
