//! Property tests over random reports of both versions, valid and invalid:
//!
//! * every exporter with a matching importer gives back the report it was given — JSON the whole
//!   report; the long CSV every cell with its raw text, annotation and unit, and the agency,
//!   year and format (it has no columns for sections or other metadata); the wide CSV every
//!   cell's text and the region code (one text field per cell, so a number whose raw text is
//!   just the number reads back as that number); the xlsx form every cell, the metadata it has
//!   fields for, the preamble and the sections' texts (the form has a row for each, so an
//!   absent section reads back as an empty one, and a cell's text is read trimmed: compared so);
//! * no rule panics on any report, and the sum of valid reports passes every rule.
//!
//! Case counts are modest so that the suite stays fast; `PROPTEST_CASES` raises them.

use proptest::prelude::*;
use xxgk_export::{Options, by_name};
use xxgk_import::values::parse_cell;
use xxgk_import::{ImportOptions, Imported, import};
use xxgk_model::{
    AggregateOptions, Cell, CellwiseSum, CheckOptions, CompactReport, FormatVersion, Meta, Num, Report, Section,
    SectionKind, Status, aggregate, catalogue, check,
};

/// Texts people write into a cell: numbers (negative, decimal, huge, full-width), placeholders,
/// annotated numbers, amounts with units, and free text that starts like a formula or holds
/// CSV's separators.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u64..1_000_000_000).prop_map(|n| n.to_string()),
        1 => Just(String::new()),
        1 => prop::sample::select(vec!["/", "-", "—", "无", "不适用", "／"]).prop_map(str::to_string),
        1 => (1u64..100_000).prop_map(|n| format!("-{n}")),
        1 => (0u64..100_000, 1u32..10_000).prop_map(|(a, b)| format!("{a}.{b}")),
        1 => (0u64..1000, 0u64..100).prop_map(|(a, b)| format!("{a}（其中修订{b}件）")),
        1 => (0u64..1_000_000, prop::sample::select(vec!["元", "万元"])).prop_map(|(a, u)| format!("{a}{u}")),
        1 => (0u64..100_000).prop_map(|n| n.to_string().chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect()),
        1 => "[=+@\\-'\"a-z约十件,;\\n]{1,12}",
        1 => "\\PC{1,16}",
    ]
}

/// Free text for metadata and sections: Chinese, quotes, commas, line breaks, formula starts.
fn free_text() -> impl Strategy<Value = String> {
    "[=+@\\-\"'a-z0-9政府信息公开，。,\\n]{1,40}"
}

fn report(version: FormatVersion) -> impl Strategy<Value = Report> {
    let n = catalogue(version).cells().len();
    (
        prop::collection::vec(cell_text(), n),
        "[=+@\\-\"a-z政府办公室局]{1,16}",
        2008u16..2100,
        prop::option::of("[0-9]{6}"),
        prop::option::of(free_text()),
        prop::collection::vec(prop::option::of(free_text()), SectionKind::ALL.len()),
    )
        .prop_map(move |(texts, agency, year, region, preamble, sections)| {
            let mut meta = Meta::new(agency, year, version);
            meta.region_code = region;
            let mut r = Report::new(meta);
            for (def, text) in catalogue(version).cells().iter().zip(&texts) {
                r.cells.set(def.id.clone(), parse_cell(text, def.kind));
            }
            r.normalize_cells();
            r.preamble = preamble;
            for (kind, text) in SectionKind::ALL.into_iter().zip(sections) {
                *r.sections.slot(kind) = text.map(|t| Section::canonical(kind, t));
            }
            r
        })
}

fn any_report() -> impl Strategy<Value = Report> {
    prop_oneof![report(FormatVersion::V2019), report(FormatVersion::V2021)]
}

fn round_trip(exporter: &str, file: &str, reports: &[Report]) -> Vec<Imported> {
    let entry = by_name(exporter).unwrap_or_else(|| panic!("exporter {exporter}"));
    let mut out = Vec::new();
    entry
        .run(reports, &mut out, &Options::default())
        .unwrap_or_else(|e| panic!("{exporter}: {e}"));
    import(file, &out, &ImportOptions::default()).unwrap_or_else(|e| panic!("{exporter}: {e}"))
}

fn same_cells(a: &Report, b: &Report, view: fn(&Cell) -> Cell) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        (&a.meta.agency, a.meta.year, a.meta.format),
        (&b.meta.agency, b.meta.year, b.meta.format)
    );
    for def in catalogue(a.meta.format).cells() {
        prop_assert_eq!(view(a.cell(&def.id)), view(b.cell(&def.id)), "cell {}", def.id);
    }
    Ok(())
}

/// `cases` cases (or `PROPTEST_CASES`), and no regression file: this crate has no `lib.rs`
/// beside the test for proptest to put it in; a failure prints its minimal input instead.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn json_gives_back_the_whole_report(reports in prop::collection::vec(any_report(), 1..3)) {
        for (name, file) in [("json", "r.json"), ("jsonl", "r.jsonl")] {
            let back = round_trip(name, file, &reports);
            prop_assert_eq!(back.len(), reports.len());
            for (a, b) in reports.iter().zip(&back) {
                prop_assert_eq!(a, &b.report, "{}", name);
            }
        }
    }

    #[test]
    fn long_csv_gives_back_every_cell(reports in prop::collection::vec(any_report(), 1..3)) {
        let back = round_trip("csv", "r.csv", &reports);
        prop_assert_eq!(back.len(), reports.len());
        for (a, b) in reports.iter().zip(&back) {
            same_cells(a, &b.report, Cell::clone)?;
        }
    }

    #[test]
    fn wide_csv_gives_back_every_cell_text(reports in prop::collection::vec(any_report(), 1..3)) {
        let back = round_trip("csv-wide", "r.csv", &reports);
        prop_assert_eq!(back.len(), reports.len());
        for (a, b) in reports.iter().zip(&back) {
            same_cells(a, &b.report, xxgk_tests::as_text_says)?;
            prop_assert_eq!(&a.meta.region_code, &b.report.meta.region_code);
        }
    }

    #[test]
    fn a_compact_report_gives_back_the_report(r in any_report()) {
        let back = CompactReport::new(r.clone()).to_report();
        prop_assert_eq!(&back, &r);
        // Equal decimals can print differently (12 and 12.0): the texts must come back too.
        for ((id, a), (_, b)) in r.cells.0.iter().zip(&back.cells.0) {
            prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", id);
        }
    }

    #[test]
    fn a_compact_batch_sums_as_its_reports_do(
        mut reports in prop_oneof![
            prop::collection::vec(report(FormatVersion::V2019), 1..4),
            prop::collection::vec(report(FormatVersion::V2021), 1..4),
        ],
        blank_as_zero in any::<bool>(),
    ) {
        let opts = AggregateOptions { blank_as_zero };
        let (format, year) = (reports[0].meta.format, reports[0].meta.year);
        for r in &mut reports {
            r.meta.year = year;
        }
        let mut whole = CellwiseSum::new(format, year, opts);
        let mut compact = CellwiseSum::new(format, year, opts);
        let mut same_errors = true;
        for r in &reports {
            let a = whole.add(r);
            let b = compact.add_compact(&CompactReport::new(r.clone()));
            same_errors &= a.is_err() == b.is_err();
            if a.is_err() {
                break;
            }
        }
        prop_assert!(same_errors);
        match (whole.finish("合计"), compact.finish("合计")) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.report, b.report);
                prop_assert_eq!(format!("{:?}", a.gaps), format!("{:?}", b.gaps));
            }
            (a, b) => prop_assert_eq!(a.is_err(), b.is_err()),
        }
    }

    #[test]
    fn no_rule_panics_on_any_report(r in any_report()) {
        let findings = check(&r, &CheckOptions::default());
        let blank_as_zero = check(&r, &CheckOptions { blank_as_zero: true, ..Default::default() });
        prop_assert!(!findings.is_empty() && !blank_as_zero.is_empty());
    }

    #[test]
    fn the_sum_of_valid_reports_passes_every_rule(
        factors in prop::collection::vec(1i64..100_000, 1..5),
        v2019 in any::<bool>(),
    ) {
        let base = xxgk_tests::load(if v2019 { "valid-2019.json" } else { "valid-2021.json" });
        let reports: Vec<Report> = factors.iter().enumerate().map(|(i, &k)| scaled(&base, k, i)).collect();
        for r in &reports {
            prop_assert!(failures(r).is_empty(), "a scaled valid report fails: {:?}", failures(r));
        }
        let refs: Vec<&Report> = reports.iter().collect();
        let sum = aggregate("合计", &refs, AggregateOptions::default()).expect("sum");
        prop_assert!(failures(&sum.report).is_empty(), "{:?}", failures(&sum.report));
    }
}

proptest! {
    // A workbook round trip writes and reads a whole xlsx: fewer cases.
    #![proptest_config(config(12))]

    #[test]
    fn xlsx_gives_back_every_cell_the_metadata_and_texts(r in any_report()) {
        let back = round_trip("xlsx", "r.xlsx", std::slice::from_ref(&r));
        prop_assert_eq!(back.len(), 1);
        let b = &back[0].report;
        same_cells(&r, b, Cell::clone)?;
        prop_assert_eq!(&r.meta.region_code, &b.meta.region_code);
        // The form has a row for the preamble and for every section, so an absent one and an
        // empty one are the same there; and a workbook cell's text is read trimmed.
        let said = |t: Option<&String>| t.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        prop_assert_eq!(said(r.preamble.as_ref()), said(b.preamble.as_ref()));
        for kind in SectionKind::ALL {
            prop_assert_eq!(
                said(r.sections.get(kind).map(|s| &s.text)),
                said(b.sections.get(kind).map(|s| &s.text)),
                "section {:?}", kind
            );
        }
    }
}

/// A valid report with every number multiplied by `k` (every table rule is linear or a sign
/// check, so it stays valid) under its own agency name. Its prose still states the unscaled
/// numbers, so it keeps its tables only, as a report read from CSV does: without prose the
/// rules that compare it with the tables do not apply (and a sum has none either).
fn scaled(base: &Report, k: i64, i: usize) -> Report {
    let mut r = base.clone();
    r.meta.agency = format!("第{i}局");
    r.meta.tables_only = true;
    r.sections = Default::default();
    r.preamble = None;
    let ids: Vec<String> = r.cells.iter().map(|(id, _)| id.to_string()).collect();
    for id in ids {
        if let Cell::Number { value, .. } = r.cell(&id).clone() {
            r.cells.set(
                id,
                Cell::number(Num::from_decimal(value.decimal() * rust_decimal::Decimal::from(k))),
            );
        }
    }
    r
}

fn failures(r: &Report) -> Vec<String> {
    check(r, &CheckOptions::default())
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.text(xxgk_model::Lang::Zh).into_owned())
        .collect()
}

#[test]
fn the_generators_make_every_kind_of_cell() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut states = std::collections::BTreeSet::new();
    for _ in 0..8 {
        let r = any_report().new_tree(&mut runner).expect("tree").current();
        for (_, c) in r.cells.iter() {
            states.insert(c.state());
        }
    }
    assert_eq!(states.len(), 4, "{states:?}");
}
