//! HTML-BORDER: a page whose statistical tables have no borders gets an information finding;
//! the project's own HTML export (tables with borders) and the real portal pages stay quiet.

use xxgk_export::{Options, by_name};
use xxgk_import::{ImportOptions, import};
use xxgk_model::{Finding, Lang, Severity, Status};
use xxgk_tests::{fixtures, report_fixtures};

fn border_findings(name: &str, bytes: &[u8]) -> Vec<Finding> {
    let got = import(name, bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    got.into_iter()
        .flat_map(|i| i.findings)
        .filter(|f| f.rule == "HTML-BORDER")
        .collect()
}

/// The project's HTML export of valid-2021.json with `border="0"` on its tables and the CSS
/// border of its cells taken out.
#[test]
fn a_page_without_table_borders_is_named() {
    let path = fixtures().join("broken-html/HTML-BORDER.html");
    let bytes = std::fs::read(&path).expect("fixture");
    let got = import("HTML-BORDER.html", &bytes, &ImportOptions::default()).expect("read");
    let fs: Vec<&Finding> = got[0].findings.iter().filter(|f| f.rule == "HTML-BORDER").collect();
    assert_eq!(fs.len(), 1, "{:#?}", got[0].findings);
    let f = fs[0];
    assert_eq!((f.severity, f.status), (Severity::Info, Status::Fail));
    assert_eq!(f.subject_label().as_deref(), Some("表格1、表格2、表格3"));
    assert!(f.texts().zh.contains("没有边框"), "{}", f.texts().zh);
    assert!(f.texts().en.contains("no borders"), "{}", f.texts().en);
    // The tables are read all the same: the finding is about the publication, not the reading.
    assert!(got[0].report.cells.get("t3.new_received.total").value().is_some());
    assert!(!got[0].findings.iter().any(|f| f.rule.starts_with("IMPORT-")));
}

#[test]
fn the_projects_own_html_export_has_borders() {
    let entry = by_name("html").expect("html exporter");
    for (name, report) in report_fixtures() {
        let mut out = Vec::new();
        let opts = Options {
            lang: Lang::Zh,
            ..Default::default()
        };
        entry
            .run(std::slice::from_ref(&report), &mut out, &opts)
            .expect("export");
        assert!(border_findings("export.html", &out).is_empty(), "{name}");
    }
}

#[test]
fn real_portal_pages_with_borders_stay_quiet() {
    for file in ["pingtan-2023.portal.html", "shuyang-fgj-2023.portal.html"] {
        let bytes = std::fs::read(fixtures().join("real").join(file)).expect("fixture");
        assert!(border_findings(file, &bytes).is_empty(), "{file}");
    }
}
