//! The cell-wise sum of reports: linear rules hold for the sum, blanks are never silently 0.

use xxgk_model::{
    AggregateError, AggregateOptions, Cell, CheckOptions, GapReason, Num, Status, aggregate, catalogue, check,
};
use xxgk_tests::load;

fn failures(r: &xxgk_model::Report) -> Vec<String> {
    check(r, &CheckOptions::default())
        .into_iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.text(xxgk_model::Lang::Zh).into_owned())
        .collect()
}

#[test]
fn the_sum_of_valid_reports_is_valid_and_exact() {
    for name in ["valid-2021.json", "valid-2019.json"] {
        let a = load(name);
        let mut b = a.clone();
        b.meta.agency = "另一个局".into();
        let sum = aggregate("示例区合计", &[&a, &b, &a], AggregateOptions::default()).expect("sum");
        assert!(failures(&sum.report).is_empty(), "{name}: {:?}", failures(&sum.report));
        for def in catalogue(a.meta.format).cells() {
            match (a.cell(&def.id), sum.report.cell(&def.id)) {
                (Cell::Number { value, .. }, Cell::Number { value: total, .. }) => {
                    let three = value
                        .checked_add(*value)
                        .and_then(|v| v.checked_add(*value))
                        .expect("in range");
                    assert_eq!(*total, three, "{name} {}", def.id);
                }
                (Cell::Placeholder { .. }, Cell::Blank) => {}
                (x, y) => panic!("{name} {}: {x:?} summed to {y:?}", def.id),
            }
        }
        assert_eq!(sum.report.meta.year, a.meta.year);
        assert_eq!(sum.report.meta.agency, "示例区合计");
    }
}

#[test]
fn money_sums_keep_every_decimal() {
    let a = load("valid-2021.json");
    let sum = aggregate("合计", &[&a, &a], AggregateOptions::default()).expect("sum");
    assert_eq!(
        sum.report.cell("t2.fees.amount").value(),
        Some("206.7758".parse::<Num>().expect("num"))
    );
}

#[test]
fn blanks_make_the_sum_blank_unless_counted_as_zero() {
    let a = load("valid-2021.json");
    let mut b = a.clone();
    b.cells.set("t3.granted.natural_person", Cell::Blank);
    b.cells.set("t4.review.total", Cell::Placeholder { raw: "/".into() });
    b.cells.set("t2.penalty.decisions", Cell::Text { raw: "若干".into() });
    let sum = aggregate("合计", &[&a, &b], AggregateOptions::default()).expect("sum");
    assert_eq!(sum.report.cell("t3.granted.natural_person"), &Cell::Blank);
    assert_eq!(sum.report.cell("t4.review.total"), &Cell::Blank);
    assert_eq!(sum.report.cell("t2.penalty.decisions"), &Cell::Blank);
    let gap = sum
        .gaps
        .iter()
        .find(|g| g.cell == "t3.granted.natural_person")
        .expect("gap");
    assert_eq!(
        (gap.reports.clone(), gap.reason, gap.counted_as_zero),
        (vec![1], GapReason::Blank, false)
    );
    assert!(
        sum.gaps
            .iter()
            .any(|g| g.cell == "t2.penalty.decisions" && g.reason == GapReason::Text)
    );
    // The rules then say the affected checks cannot be made, instead of passing or failing on a guess.
    let findings = check(&sum.report, &CheckOptions::default());
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "T3-ROWSUM" && f.status == Status::NotAssessable)
    );

    let zeroed = aggregate("合计", &[&a, &b], AggregateOptions { blank_as_zero: true }).expect("sum");
    assert_eq!(
        zeroed.report.cell("t3.granted.natural_person").value(),
        a.cell("t3.granted.natural_person").value()
    );
    assert!(
        zeroed
            .gaps
            .iter()
            .any(|g| g.cell == "t3.granted.natural_person" && g.counted_as_zero)
    );
    // Text is never counted, even as 0.
    assert_eq!(zeroed.report.cell("t2.penalty.decisions"), &Cell::Blank);
}

#[test]
fn reports_of_different_formats_or_years_are_not_summed() {
    let a = load("valid-2021.json");
    let b = load("valid-2019.json");
    assert!(matches!(
        aggregate("x", &[&a, &b], AggregateOptions::default()),
        Err(AggregateError::MixedFormats { index: 1, .. })
    ));
    let mut c = a.clone();
    c.meta.year = Some(2022);
    assert!(matches!(
        aggregate("x", &[&a, &c], AggregateOptions::default()),
        Err(AggregateError::MixedYears { .. })
    ));
    assert_eq!(
        aggregate("x", &[], AggregateOptions::default()).err(),
        Some(AggregateError::Empty)
    );
}

#[test]
fn units_other_than_the_columns_are_not_summed() {
    let a = load("valid-2021.json");
    let mut b = a.clone();
    b.cells.set(
        "t2.fees.amount",
        Cell::Number {
            value: Num::int(251000),
            raw: Some("251000元".into()),
            annotation: None,
            unit: Some(xxgk_model::MoneyUnit::Yuan),
        },
    );
    let sum = aggregate("合计", &[&a, &b], AggregateOptions::default()).expect("sum");
    assert_eq!(sum.report.cell("t2.fees.amount"), &Cell::Blank);
    assert!(
        sum.gaps
            .iter()
            .any(|g| g.cell == "t2.fees.amount" && g.reason == GapReason::Unit && g.reports == vec![1])
    );
}
