//! Word documents read back: xxgk's own docx export of every report fixture imports to the same
//! report (year, agency, format, title, every cell, every section's text), and so does the same
//! document after LibreOffice has opened and saved it again as .docx (where LibreOffice is
//! installed; `XXGK_REQUIRE_SOFFICE` makes its absence a failure). A table cell a rule names is
//! located by the Word table, row and column it was read from.

use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk_export::{Options, by_name};
use xxgk_import::{ImportOptions, import};
use xxgk_model::{Lang, Report, SectionKind};
use xxgk_tests::fixtures;

fn export_docx(report: &Report) -> Vec<u8> {
    let entry = by_name("docx").expect("the docx exporter is registered");
    let mut out = Vec::new();
    let opts = Options {
        lang: Lang::Zh,
        ..Default::default()
    };
    entry
        .run(std::slice::from_ref(report), &mut out, &opts)
        .expect("export");
    out
}

fn fixtures_with_reports() -> Vec<(String, Report)> {
    let mut names: Vec<String> = ["seed-2023-daoli.json", "valid-2019.json", "valid-2021.json"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let mut broken: Vec<String> = std::fs::read_dir(fixtures().join("broken"))
        .expect("broken fixtures")
        .filter_map(|e| e.ok())
        .map(|e| format!("broken/{}", e.file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    broken.sort();
    names.extend(broken);
    names
        .into_iter()
        .map(|n| {
            let r = xxgk_tests::load(&n);
            (n, r)
        })
        .collect()
}

fn differences(want: &Report, got: &Report) -> Vec<String> {
    let mut d = Vec::new();
    if want.meta.year != got.meta.year {
        d.push(format!("year {:?} ≠ {:?}", got.meta.year, want.meta.year));
    }
    if want.meta.agency != got.meta.agency {
        d.push(format!("agency “{}” ≠ “{}”", got.meta.agency, want.meta.agency));
    }
    if want.meta.format != got.meta.format {
        d.push(format!("format {:?} ≠ {:?}", got.meta.format, want.meta.format));
    }
    let title = |r: &Report| {
        r.meta
            .title
            .clone()
            .unwrap_or_else(|| r.meta.standard_title())
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    if title(want) != title(got) {
        d.push(format!("title “{}” ≠ “{}”", title(got), title(want)));
    }
    let ids: std::collections::BTreeSet<&str> = want.cells.iter().chain(got.cells.iter()).map(|(id, _)| id).collect();
    for id in ids {
        let (w, g) = (want.cells.get(id), got.cells.get(id));
        if w.value() != g.value() || std::mem::discriminant(w) != std::mem::discriminant(g) {
            d.push(format!("{id}: {g:?} ≠ {w:?}"));
        }
    }
    for kind in SectionKind::ALL {
        let text = |r: &Report| {
            r.sections
                .get(kind)
                .map(|s| s.text.trim().to_string())
                .unwrap_or_default()
        };
        if text(want) != text(got) {
            d.push(format!("section {kind:?}: {:?} ≠ {:?}", text(got), text(want)));
        }
    }
    d
}

/// Imports one docx and lists how it differs from the report it was made from.
fn read_back(file: &str, bytes: &[u8], want: &Report) -> Vec<String> {
    match import(file, bytes, &ImportOptions::default()) {
        Ok(mut got) if got.len() == 1 => {
            let got = got.remove(0);
            let mut d = differences(want, &got.report);
            // Every cell read was read from a Word table, and is located by table, row and column.
            for (id, _) in got.report.cells.iter() {
                let at = got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
                if !(at.starts_with("表格") && at.contains("行第") && at.ends_with('列')) {
                    d.push(format!("{id} located at “{at}”"));
                }
            }
            let docx_findings: Vec<&str> = got
                .findings
                .iter()
                .filter(|f| f.rule.starts_with("IMPORT-DOCX"))
                .map(|f| f.rule.as_str())
                .collect();
            if !docx_findings.is_empty() {
                d.push(format!("findings {docx_findings:?}"));
            }
            d.into_iter().map(|x| format!("{file}: {x}")).collect()
        }
        Ok(got) => vec![format!("{file}: {} reports", got.len())],
        Err(e) => vec![format!("{file}: {e}")],
    }
}

#[test]
fn every_fixture_reads_back_from_its_word_document() {
    let mut failures = Vec::new();
    for (name, report) in fixtures_with_reports() {
        failures.extend(read_back(&format!("{name}.docx"), &export_docx(&report), &report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The title of a long agency's report wraps after the agency's name (the exporter breaks the
/// line there); the year is printed as “2025 年” by hand. Both read as the one title.
#[test]
fn a_wrapped_title_and_a_spaced_year_read_as_one_title() {
    let report = xxgk_tests::load("valid-2021.json");
    let docx = export_docx(&report);
    let got = import("wrapped.docx", &docx, &ImportOptions::default()).expect("import");
    assert_eq!(got[0].report.meta.agency, report.meta.agency);
    let mut spaced = report.clone();
    spaced.meta.title = Some(format!("{}2023 年政府信息公开工作年度报告", report.meta.agency));
    let got = import("spaced.docx", &export_docx(&spaced), &ImportOptions::default()).expect("import");
    assert_eq!(got[0].report.meta.year, Some(2023));
    assert_eq!(got[0].report.meta.agency, report.meta.agency);
}

/// A docx named `.xlsx` is read as the Word document it is; an xlsx named `.docx` as a workbook.
#[test]
fn a_docx_is_told_from_a_workbook_by_its_content() {
    let report = xxgk_tests::load("valid-2021.json");
    let docx = export_docx(&report);
    let got = import("misnamed.xlsx", &docx, &ImportOptions::default()).expect("a docx named .xlsx");
    assert!(differences(&report, &got[0].report).is_empty());
    let xlsx = std::fs::read(fixtures().join("example-2021.xlsx")).expect("workbook fixture");
    let got = import("misnamed.docx", &xlsx, &ImportOptions::default()).expect("an xlsx named .docx");
    assert!(!got[0].report.cells.is_empty());
}

// ───────────────────────────── LibreOffice ─────────────────────────────

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// Converts files with LibreOffice in its own profile (so that it runs beside any other
/// instance) into `out`.
fn soffice(soffice: &Path, dir: &Path, out: &Path, to: &str, files: &[String]) -> std::process::Output {
    Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(out)
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .expect("run soffice")
}

fn skip_without_soffice(reason: &str) {
    assert!(
        std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
        "XXGK_REQUIRE_SOFFICE is set but {reason}"
    );
    eprintln!("skipped: {reason}");
}

#[test]
fn every_fixture_reads_back_after_libreoffice_saves_its_word_document() {
    let Some(bin) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        skip_without_soffice("LibreOffice (soffice) is not installed");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("resaved");
    std::fs::create_dir(&out).expect("out dir");
    let mut names = Vec::new();
    let mut reports = Vec::new();
    for (name, report) in fixtures_with_reports() {
        let file = format!("{}.docx", name.replace(['/', '.'], "-"));
        std::fs::write(dir.path().join(&file), export_docx(&report)).expect("write docx");
        names.push(file);
        reports.push(report);
    }
    let run = soffice(&bin, dir.path(), &out, "docx:MS Word 2007 XML", &names);
    if !out.join(&names[0]).is_file() {
        skip_without_soffice(&format!(
            "LibreOffice cannot convert text documents here (Writer missing?): {}",
            String::from_utf8_lossy(&run.stderr).trim()
        ));
        return;
    }
    let mut failures = Vec::new();
    for (file, report) in names.iter().zip(&reports) {
        let bytes = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file} not written by LibreOffice: {e}"));
        failures.extend(read_back(&format!("resaved/{file}"), &bytes, report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
