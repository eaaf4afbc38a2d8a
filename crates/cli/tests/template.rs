//! `xxgk template`, and the workbook round trip through the binary: a filled form is validated
//! with findings that name the sheet and the cell.

use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel)
}

mod common;
use common::run_plain as xxgk;

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn template_is_written_and_reads_back_as_its_version() {
    let dir = temp();
    for (version, year) in [("2021", "2023"), ("2019", "2020")] {
        let out = dir.path().join(format!("t{version}.xlsx"));
        let o = out.to_str().expect("path");
        let (code, _, err) = xxgk(&[
            "template",
            "--format-version",
            version,
            "--agency",
            "某局",
            "--year",
            year,
            "-o",
            o,
        ]);
        assert_eq!(code, 0, "{err}");
        let json = dir.path().join(format!("t{version}.json"));
        let (code, _, err) = xxgk(&["convert", o, "-o", json.to_str().expect("path")]);
        assert_eq!(code, 0, "{err}");
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
        assert_eq!(report["meta"]["format"], version);
        assert_eq!(report["meta"]["agency"], "某局");
        assert_eq!(report["cells"], serde_json::json!({}));
    }
}

#[test]
fn template_rejects_an_unknown_version() {
    let dir = temp();
    let o = dir.path().join("t.xlsx");
    let (code, _, err) = xxgk(&["template", "--format-version", "2018", "-o", o.to_str().expect("path")]);
    assert_eq!(code, 2, "{err}");
    assert!(!o.exists());
}

#[test]
fn template_refuses_a_name_it_cannot_write_and_names_the_format_version() {
    let dir = temp();
    for name in ["t.ods", "t.xls", "t.csv"] {
        let o = dir.path().join(name);
        let (code, _, err) = xxgk(&["template", "-o", o.to_str().expect("path")]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains(".xlsx") && err.contains(".docx"),
            "names what it writes: {err}"
        );
        assert!(!o.exists(), "{name}: nothing written");
    }
    // --docx with an .xlsx name would put a Word file under an Excel name.
    let o = dir.path().join("t.xlsx");
    let (code, _, err) = xxgk(&["template", "--docx", "-o", o.to_str().expect("path")]);
    assert_eq!(code, 2, "{err}");
    assert!(!o.exists());
    // The year's format is named as the option to give.
    let (code, _, err) = xxgk(&["template", "--year", "2020", "-o", o.to_str().expect("path")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("--format-version 2019"), "{err}");
}

#[test]
fn a_broken_workbook_is_reported_by_sheet_and_cell() {
    let dir = temp();
    let xlsx = dir.path().join("broken.xlsx");
    let x = xlsx.to_str().expect("path");
    let (code, _, err) = xxgk(&[
        "convert",
        fixture("broken/T3-ROWSUM.json").to_str().expect("path"),
        "-o",
        x,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = xxgk(&["validate", x]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("T3-ROWSUM") && out.contains("[表三!J8]"), "{out}");
    let valid = dir.path().join("valid.xlsx");
    let v = valid.to_str().expect("path");
    let (code, _, err) = xxgk(&["convert", fixture("valid-2021.json").to_str().expect("path"), "-o", v]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = xxgk(&["validate", v]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn the_example_workbook_is_the_valid_fixture() {
    let dir = temp();
    let json = dir.path().join("example.json");
    let (code, _, err) = xxgk(&[
        "convert",
        fixture("example-2021.xlsx").to_str().expect("path"),
        "-o",
        json.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
    };
    let mut got = read(&json);
    let want = read(&fixture("valid-2021.json"));
    assert_eq!(got["cells"], want["cells"]);
    // The workbook names where its year and agency are; the JSON fixture states them as fields.
    assert_eq!(got["meta"]["origins"]["year"]["at"], "基本信息!B3");
    assert_eq!(got["meta"]["origins"]["agency"]["from"], "field");
    if let Some(m) = got["meta"].as_object_mut() {
        m.remove("origins");
    }
    assert_eq!(got["meta"], want["meta"]);
    assert_eq!(got["sections"], want["sections"]);
    let (code, out, _) = xxgk(&[
        "validate",
        "--strict",
        fixture("example-2021.xlsx").to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{out}");
}
