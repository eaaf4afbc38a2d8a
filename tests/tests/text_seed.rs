//! The seed report (portal text of a real V2021 report) imports exactly as the JSON fixture says.

use xxgk_import::{ImportOptions, import};
use xxgk_model::{CheckOptions, FormatVersion, Report, Status, catalogue, check};

const SEED_TXT: &[u8] = include_bytes!("../fixtures/seed-2023-daoli.txt");
const SEED_JSON: &str = include_str!("../fixtures/seed-2023-daoli.json");

#[test]
fn seed_text_imports_exactly() {
    let mut got = import("seed-2023-daoli.txt", SEED_TXT, &ImportOptions::default()).expect("import");
    assert_eq!(got.len(), 1);
    let imported = got.remove(0);
    let want: Report = serde_json::from_str(SEED_JSON).expect("fixture");
    let r = &imported.report;
    assert!(imported.findings.is_empty(), "{:#?}", imported.findings);
    assert_eq!(r.meta.agency, want.meta.agency);
    assert_eq!(r.meta.year, want.meta.year);
    assert_eq!(r.meta.format, FormatVersion::V2021);
    assert_eq!(r.meta.title, want.meta.title);
    let contact = r.meta.contact.clone().expect("contact");
    assert_eq!(contact.phone.as_deref(), Some("0451-84545751"));
    assert_eq!(r.preamble, want.preamble);
    assert_eq!(r.sections, want.sections);
    assert_eq!(r.cells, want.cells);
    // Every cell of the form was read, and each knows its line.
    let cat = catalogue(FormatVersion::V2021);
    assert_eq!(r.cells.len(), cat.cells().len());
    for def in cat.cells() {
        let loc = imported
            .sources
            .get(&def.id)
            .unwrap_or_else(|| panic!("no line for {}", def.id));
        assert!(loc.line.is_some_and(|l| l > 16), "{}: {loc:?}", def.id);
    }
    // 规章 × 本年制发件数 is the “0” on line 25 of the seed.
    assert_eq!(
        imported.sources.get("t2.regulations.made").and_then(|l| l.line),
        Some(25)
    );
    let findings = check(r, &CheckOptions::default());
    assert!(findings.iter().all(|f| f.status != Status::Fail), "{findings:#?}");
}
