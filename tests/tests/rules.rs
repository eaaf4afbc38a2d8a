//! The rules on the fixtures: the seed and the valid reports pass, every broken fixture fails
//! exactly its rule, and findings carry what a person needs to find the problem.

use xxgk_model::{CheckOptions, FormatVersion, Lang, Severity, Status, check, rules};
use xxgk_tests::{fixtures, load};

#[test]
fn seed_passes_every_rule() {
    let seed = load("seed-2023-daoli.json");
    let findings = check(&seed, &CheckOptions::default());
    assert!(findings.iter().all(|f| f.status == Status::Pass), "{findings:#?}");
    // One balance finding per column of table 3, each naming its column.
    let bal: Vec<_> = findings.iter().filter(|f| f.rule == "T3-BAL").collect();
    assert_eq!(bal.len(), 7);
    assert_eq!(bal[0].subject_label().as_deref(), Some("自然人"));
    assert_eq!(bal[6].subject_label().as_deref(), Some("总计"));
    assert_eq!(findings.iter().filter(|f| f.rule == "T3-ROWSUM").count(), 25);
}

#[test]
fn broken_fixtures_fail_exactly_their_rule() {
    for entry in std::fs::read_dir(fixtures().join("broken")).expect("dir") {
        let path = entry.expect("entry").path();
        let rule = path.file_stem().and_then(|s| s.to_str()).expect("name").to_string();
        let report = load(&format!("broken/{rule}.json"));
        // What a fixture also shows for information (T34-BLANK counts the blanks of another
        // rule's fixture) is not a failure of another rule.
        let failing: Vec<_> = check(&report, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.status == Status::Fail && (f.rule == rule || f.severity != Severity::Info))
            .collect();
        assert!(!failing.is_empty(), "{rule} does not fail");
        for f in &failing {
            assert_eq!(f.rule, rule, "{}", f.text(xxgk_model::Lang::Zh));
            assert!(!f.text(xxgk_model::Lang::Zh).is_empty() && !f.text(xxgk_model::Lang::En).is_empty());
        }
    }
}

#[test]
fn a_balance_failure_names_cells_values_expected_and_found() {
    let r = load("broken/T3-BAL.json");
    let f = check(&r, &CheckOptions::default())
        .into_iter()
        .find(|f| f.rule == "T3-BAL" && f.status == Status::Fail)
        .expect("failure");
    assert_eq!(
        (f.expected_text().as_deref(), f.found_text().as_deref()),
        (Some("85"), Some("86"))
    );
    assert_eq!(f.severity, Severity::Error);
    let ids: Vec<&str> = f.cells.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "t3.results_total.natural_person",
            "t3.carried_forward.natural_person",
            "t3.new_received.natural_person",
            "t3.carried_over.natural_person"
        ]
    );
    assert_eq!(f.cells[1].row_label(Lang::Zh), "四、结转下年度继续办理");
    assert_eq!(f.cells[1].column_label(Lang::Zh), "申请人情况 / 自然人");
    assert_eq!(f.cells[1].value.map(|v| v.to_string()).as_deref(), Some("7"));
}

#[test]
fn skipped_rules_do_not_run() {
    let r = load("broken/T4-SUM.json");
    let opts = CheckOptions {
        skip: vec!["t4-sum".into()],
        ..Default::default()
    };
    assert!(check(&r, &opts).iter().all(|f| f.rule != "T4-SUM"));
}

#[test]
fn format_year_mismatch_in_2019_is_only_a_warning() {
    let mut r = load("valid-2021.json");
    r.meta.year = Some(2019);
    let f = check(&r, &CheckOptions::default())
        .into_iter()
        .find(|f| f.rule == "X-FORMAT")
        .expect("finding");
    assert_eq!((f.status, f.severity), (Status::Fail, Severity::Warning));
}

/// A 2021-form report that prints （六）其他处理 as one row, as the 2019 form did, is a mixed
/// layout (format-spec D9); another group printed as one row (（三）不予公开) is no earlier form.
#[test]
fn the_2019_row_of_table_3_in_a_later_report_is_a_mixed_layout() {
    use xxgk_model::Cell;
    use xxgk_model::catalogue::{T3_COLUMNS, catalogue, t3_id};
    let alone = |key: &str| {
        let mut r = load("valid-2021.json");
        let group = catalogue(FormatVersion::V2021)
            .t3_groups
            .iter()
            .find(|g| g.key == key)
            .expect("group");
        for c in &T3_COLUMNS {
            let sum: i64 = group
                .parts
                .iter()
                .map(|p| {
                    let id = t3_id(p, c.key);
                    let v = r
                        .cell(&id)
                        .value()
                        .map_or(0, |v| v.to_string().parse::<i64>().expect("count"));
                    r.cells.set(id, Cell::Blank);
                    v
                })
                .sum();
            r.cells.set(t3_id(group.key, c.key), Cell::number(sum));
        }
        check(&r, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.rule == "X-FORMAT" && f.status == Status::Fail)
            .collect::<Vec<_>>()
    };
    let mixed = alone("other");
    assert_eq!(mixed.len(), 1, "{mixed:#?}");
    assert_eq!(mixed[0].severity, Severity::Error);
    assert!(
        mixed[0].text(Lang::Zh).contains("（六）其他处理"),
        "{}",
        mixed[0].text(Lang::Zh)
    );
    assert!(alone("withheld").is_empty());
}

#[test]
fn heading_variants_are_warnings() {
    let mut r = load("valid-2021.json");
    if let Some(s) = r.sections.remedies.as_mut() {
        s.heading = "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况".into();
    }
    let f: Vec<_> = check(&r, &CheckOptions::default())
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!((&*f[0].rule, f[0].severity), ("DOC-SECTIONS", Severity::Warning));
}

#[test]
fn every_rule_has_both_titles_and_versions() {
    for r in rules() {
        assert!(
            !r.title.zh.is_empty() && !r.title.en.is_empty() && !r.versions.is_empty(),
            "{}",
            r.id
        );
    }
    let only = |v: FormatVersion| -> Vec<&str> { rules().iter().filter(|r| r.versions == [v]).map(|r| r.id).collect() };
    assert_eq!(
        only(FormatVersion::V2019),
        ["V19-ITEMS-NONNEG", "V19-PUBLISHED-LE-TOTAL", "X-V19-ITEMS"]
    );
    assert_eq!(
        only(FormatVersion::V2021),
        ["X-TEXT-T2", "X-FEE-TEXT", "X-FEE-MENTION", "X-INFORCE"]
    );
}

/// A batch keeps only the status of a passed check (`brief_passes`); it must reach the same
/// verdict on every check as the full run, and keep every failure whole.
#[test]
fn brief_passes_reach_the_same_verdicts() {
    let mut names = vec![
        "seed-2023-daoli.json".to_string(),
        "valid-2021.json".to_string(),
        "valid-2019.json".to_string(),
    ];
    for entry in std::fs::read_dir(fixtures().join("broken")).expect("dir") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        names.push(format!("broken/{name}"));
    }
    let brief = CheckOptions {
        brief_passes: true,
        ..Default::default()
    };
    for name in names {
        let r = load(&name);
        let full = check(&r, &CheckOptions::default());
        let short = check(&r, &brief);
        let verdicts = |fs: &[xxgk_model::Finding]| -> Vec<_> {
            fs.iter()
                .map(|f| (f.rule.clone(), f.subject.clone(), f.status, f.severity))
                .collect()
        };
        assert_eq!(verdicts(&full), verdicts(&short), "{name}");
        let problems = |fs: &[xxgk_model::Finding]| -> Vec<xxgk_model::Finding> {
            fs.iter().filter(|f| f.status != Status::Pass).cloned().collect()
        };
        assert_eq!(problems(&full), problems(&short), "{name}");
        assert!(
            short.iter().any(|f| f.status == Status::Pass && f.cells.is_empty()),
            "{name}: some passes are brief"
        );
    }
}
