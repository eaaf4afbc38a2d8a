//! A workbook saved by a script, whose formulas carry no stored results (issue 13): `validate`
//! and `convert` see the totals, and a total that cannot be computed fails the report instead
//! of passing it.

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xxgk"))
        .args(args)
        .output()
        .expect("run xxgk");
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The xlsx with every formula's stored result removed, as openpyxl writes it (`<v></v>`), and
/// the formula of the cell at `broken` (in `xl/worksheets/sheet3.xml`, 表三) replaced, if given.
fn as_a_script_saves_it(xlsx: &[u8], broken: Option<(&str, &str)>) -> Vec<u8> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read");
        if name.starts_with("xl/worksheets/sheet") {
            let mut s = String::from_utf8(data).expect("utf8");
            let mut from = 0;
            while let Some(p) = s[from..].find("</f><v>") {
                let start = from + p + "</f>".len();
                let end = start + s[start..].find("</v>").expect("</v>") + "</v>".len();
                s.replace_range(start..end, "<v></v>");
                from = start;
            }
            if let Some((cell, formula)) = broken
                && name == "xl/worksheets/sheet3.xml"
            {
                let at = s.find(&format!("<c r=\"{cell}\"")).expect("cell");
                let f = at + s[at..].find("<f>").expect("formula") + 3;
                let end = f + s[f..].find("</f>").expect("end");
                s.replace_range(f..end, formula);
            }
            data = s.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn totals_of_a_workbook_saved_by_a_script_are_read_and_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = dir.path().join("full.xlsx");
    let fixture = root().join("tests/fixtures/valid-2021.json");
    let (code, out) = run(&[
        "convert",
        fixture.to_str().expect("path"),
        "-o",
        full.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{out}");
    let bytes = std::fs::read(&full).expect("xlsx");

    // Every total computed: the report passes, and converts with its totals.
    let script = dir.path().join("script.xlsx");
    std::fs::write(&script, as_a_script_saves_it(&bytes, None)).expect("write");
    let (code, out) = run(&["validate", script.to_str().expect("path")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✔ 通过") && out.contains("无法核对 0"), "{out}");
    let json = dir.path().join("out.json");
    let (code, out) = run(&[
        "convert",
        script.to_str().expect("path"),
        "-o",
        json.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{out}");
    let got: Value = serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("json");
    let want: Value = serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture")).expect("json");
    for id in [
        "t3.new_received.total",
        "t3.results_total.total",
        "t3.results_total.commercial",
        "t4.review.total",
    ] {
        assert_eq!(got["cells"][id], want["cells"][id], "{id}");
        assert!(got["cells"][id]["value"].is_number(), "{id}: {}", got["cells"][id]);
    }
    let (_, out) = run(&["validate", "--json", script.to_str().expect("path")]);
    assert!(out.contains("IMPORT-FORMULA-COMPUTED"), "{out}");

    // A total that cannot be computed is an error on its cell, and the report does not pass.
    let broken = dir.path().join("broken.xlsx");
    // 表三's first data row is row 6 and its 总计 column J in the standard form.
    std::fs::write(&broken, as_a_script_saves_it(&bytes, Some(("J6", "D6+ZZ999")))).expect("write");
    let (code, out) = run(&["validate", broken.to_str().expect("path")]);
    assert_eq!(code, 1, "{out}");
    assert!(!out.contains("✔ 通过"), "{out}");
    assert!(out.contains("IMPORT-FORMULA"), "{out}");
    assert!(
        out.contains("公式未计算，请用 Excel/WPS 打开并保存：表三!J6") && out.contains("表三!ZZ999"),
        "{out}"
    );
}
