//! Rules across reports (format-spec §8.3): a report against the same agency's report for the
//! previous year, and a parent report against the sum of its children. They are warnings:
//! re-attribution, a 清理 of documents or a different scope of the parent can be legitimate.

use super::context::{Ctx, Sum};
use super::registry::{BOTH, Rule, Scope, V19, V21, label};
use crate::catalogue::{T3_COLUMNS, TableId, catalogue, t2_id, t3_id};
use crate::finding::{CellRef, ReportRole, Severity, Status, Subject, Text, list_cells};
use crate::report::Report;
use crate::value::Cell;
use crate::version::Lang;
use std::collections::HashSet;

pub(super) static X_CARRY: Rule = Rule {
    id: "X-CARRY",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "表三各列：本年上年结转等于上一年度结转下年度继续办理",
        "Table 3, each column: carried over this year = carried forward last year",
    ),
    basis: "practice",
    scope: Scope::PreviousYear,
    check: carry,
};

pub(super) fn carry(ctx: &mut Ctx<'_>) {
    let Some(prev) = ctx.other else { return };
    let (py_zh, py_en) = (prev.meta.year_text(true), prev.meta.year_text(false));
    for c in &T3_COLUMNS {
        let subject = super::context::t3_column_subject(c);
        let this = ctx.sum(&[t3_id("carried_over", c.key)]);
        let last = ctx.sum_in(prev, Some(ReportRole::Previous), &[t3_id("carried_forward", c.key)]);
        ctx.compare(
            &subject,
            ("本年“二、上年结转政府信息公开申请数量”", "carried over this year"),
            this,
            (
                format!("{py_zh}“四、结转下年度继续办理”"),
                format!("carried forward in {py_en}"),
            ),
            last,
        );
    }
}

/// `a + b − c`, keeping every cell for the finding.
fn plus_minus(a: Sum, b: Sum, c: Sum) -> Sum {
    let value = match (a.value, b.value, c.value) {
        (Some(a), Some(b), Some(c)) => a.checked_add(b).and_then(|s| s.checked_sub(c)),
        _ => None,
    };
    let overflow = a.overflow
        || b.overflow
        || c.overflow
        || (a.value.is_some() && b.value.is_some() && c.value.is_some() && value.is_none());
    Sum {
        value,
        refs: [a.refs, b.refs, c.refs].concat(),
        empty: a.empty + b.empty + c.empty,
        text: a.text + b.text + c.text,
        overflow,
    }
}

/// Text of the report in which a 清理 (clean-up of documents) would be explained.
fn mentions_cleanup(r: &Report) -> bool {
    report_text(r).contains("清理")
}

pub(super) static X_INFORCE: Rule = Rule {
    id: "X-INFORCE",
    severity: Severity::Warning,
    versions: V21,
    title: label(
        "表二：现行有效件数等于上年现行有效件数加本年制发减本年废止",
        "Table 2: in force = last year's in force + made − repealed",
    ),
    basis: "practice",
    scope: Scope::PreviousYear,
    check: in_force,
};

pub(super) fn in_force(ctx: &mut Ctx<'_>) {
    let Some(prev) = ctx.other else { return };
    let cleanup = mentions_cleanup(ctx.report);
    let block = ctx
        .cat
        .t2_blocks
        .iter()
        .find(|b| b.columns.iter().any(|c| c.key == "in_force"));
    let Some(block) = block else { return };
    for row in block.rows {
        let subject = Subject::new(
            Some(TableId::T2),
            row.label.zh,
            format!("表二「{}」", row.label.zh),
            format!("Table 2 “{}” ({})", row.label.zh, row.label.en),
        );
        let now = ctx.sum(&[t2_id(row.key, "in_force")]);
        let expected = plus_minus(
            ctx.sum_in(prev, Some(ReportRole::Previous), &[t2_id(row.key, "in_force")]),
            ctx.sum(&[t2_id(row.key, "made")]),
            ctx.sum(&[t2_id(row.key, "repealed")]),
        );
        let before = ctx.out.len();
        ctx.compare(
            &subject,
            ("现行有效件数", "in force"),
            now,
            (
                format!("{}现行有效件数加本年制发件数减本年废止件数", prev.meta.year_text(true)),
                format!("{}'s in force + made − repealed", prev.meta.year_text(false)),
            ),
            expected,
        );
        // A 清理 legitimately re-bases the stock; the report says so, so this becomes a note.
        if cleanup && let Some(f) = ctx.out.get_mut(before).filter(|f| f.status == Status::Fail) {
            f.severity = Severity::Info;
            f.append(
                "；报告提到开展了清理，现行有效件数可能据此调整",
                "; the report mentions a clean-up (清理), which may re-base the count",
            );
        }
    }
}

pub(super) static X_V19_ITEMS: Rule = Rule {
    id: "X-V19-ITEMS",
    severity: Severity::Warning,
    versions: V19,
    title: label(
        "表二（2019版）：上一年项目数量等于上年的上一年项目数量加本年增/减",
        "Table 2 (2019): items last year = last year's items + change",
    ),
    basis: "practice",
    scope: Scope::PreviousYear,
    check: v19_items,
};

pub(super) fn v19_items(ctx: &mut Ctx<'_>) {
    let Some(prev) = ctx.other else { return };
    let rows: Vec<_> = ctx
        .cat
        .t2_cells()
        .filter(|(_, _, c)| c.key == "change")
        .map(|(b, r, _)| (b, r))
        .collect();
    for (block, row) in rows {
        let subject = Subject::T2Row(block, row);
        let now = ctx.sum(&[t2_id(row.key, "prev_items")]);
        let last = ctx.sum_in(
            prev,
            Some(ReportRole::Previous),
            &[t2_id(row.key, "prev_items"), t2_id(row.key, "change")],
        );
        ctx.compare(
            &subject,
            ("上一年项目数量", "items last year"),
            now,
            (
                format!("{}上一年项目数量加本年增/减", prev.meta.year_text(true)),
                format!("{}'s items + change", prev.meta.year_text(false)),
            ),
            last,
        );
    }
}

/// The free text of a report: preamble and every section's text.
fn report_text(r: &Report) -> String {
    let mut t = r.preamble.clone().unwrap_or_default();
    for kind in crate::catalogue::SectionKind::ALL {
        if let Some(s) = r.sections.get(kind) {
            t.push('\n');
            t.push_str(&s.text);
        }
    }
    t
}

/// Sentences of a text, with digits masked so that a copied report with only the year changed
/// still counts as copied. Very short fragments are ignored.
fn sentences(text: &str) -> Vec<String> {
    text.split(['。', '！', '？', '；', '\n', ';', '!', '?'])
        .map(|s| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect::<String>()
        })
        .filter(|s| s.chars().count() >= 8)
        .collect()
}

/// The share (0–100, in characters) of `current`'s sentences that also occur in `previous`.
pub(super) fn repeated_share(current: &str, previous: &str) -> Option<u32> {
    let before: HashSet<String> = sentences(previous).into_iter().collect();
    let now = sentences(current);
    let total: usize = now.iter().map(|s| s.chars().count()).sum();
    if total == 0 {
        return None;
    }
    let repeated: usize = now
        .iter()
        .filter(|s| before.contains(*s))
        .map(|s| s.chars().count())
        .sum();
    u32::try_from(repeated * 100 / total).ok()
}

/// Share of repeated text above which a report counts as copied (内容雷同).
const DUPLICATE_SHARE: u32 = 50;

pub(super) static X_DUP: Rule = Rule {
    id: "X-DUP",
    severity: Severity::Warning,
    versions: BOTH,
    title: label("报告内容与上一年度雷同", "The report repeats the previous year's"),
    basis: "official",
    scope: Scope::PreviousYear,
    check: duplicate,
};

pub(super) fn duplicate(ctx: &mut Ctx<'_>) {
    let Some(prev) = ctx.other else { return };
    let (py_zh, py_en) = (prev.meta.year_text(true), prev.meta.year_text(false));
    let subject = Subject::new(None, "正文", "报告正文", "The report's text");
    if let Some(share) = repeated_share(&report_text(ctx.report), &report_text(prev)) {
        let copied = share > DUPLICATE_SHARE;
        ctx.push(
            Some(&subject),
            if copied { Status::Fail } else { Status::Pass },
            Severity::Warning,
            Vec::new(),
            (Some(format!("≤ {DUPLICATE_SHARE}%")), Some(format!("{share}%"))),
            Text::new(
                format!(
                    "报告正文有 {share}% 与{py_zh}报告相同{}",
                    if copied { "，内容雷同" } else { "" }
                ),
                format!(
                    "{share}% of the text repeats the {py_en} report{}",
                    if copied { ": copied" } else { "" }
                ),
            ),
        );
    }
    if ctx.report.meta.format != prev.meta.format {
        return;
    }
    let cells = catalogue(ctx.report.meta.format).cells();
    let same = cells
        .iter()
        .all(|d| ctx.report.cell(&d.id).value() == prev.cell(&d.id).value());
    let any_nonzero = cells
        .iter()
        .any(|d| ctx.report.cell(&d.id).value().is_some_and(|v| !v.0.is_zero()));
    if same && any_nonzero {
        let numbers = Subject::new(None, "表格数据", "表二至表四", "Tables 2–4");
        ctx.push(
            Some(&numbers),
            Status::Fail,
            Severity::Warning,
            Vec::new(),
            (None, None),
            Text::new(
                format!("表二至表四的全部数据与{py_zh}报告完全相同，请核实是否照搬上年数据"),
                format!(
                    "every figure of tables 2–4 equals the {py_en} report's; check that last year's data were not copied"
                ),
            ),
        );
    }
}

pub(super) static X_AGG: Rule = Rule {
    id: "X-AGG",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "本级报告数据等于所属各单位报告之和",
        "The parent report equals the sum of its children",
    ),
    basis: "practice",
    scope: Scope::Parent,
    check: parent_sum,
};

pub(super) fn parent_sum(ctx: &mut Ctx<'_>) {
    let Some(sum) = ctx.other else { return };
    if sum.meta.format != ctx.report.meta.format {
        return;
    }
    let mut unassessable = Vec::new();
    let mut failed = false;
    for def in ctx.cat.cells() {
        let (mine, theirs) = (ctx.report.cell(&def.id), sum.cell(&def.id));
        match (mine.value(), theirs.value()) {
            (Some(a), Some(b)) if a == b => {}
            (Some(a), Some(b)) => {
                failed = true;
                let subject = Subject::Cell(def);
                let mut other = CellRef::of(sum, &def.id);
                other.report = Some(ReportRole::ChildrenSum);
                let cells = vec![ctx.cell_ref(&def.id), other];
                ctx.push(
                    Some(&subject),
                    Status::Fail,
                    Severity::Warning,
                    cells,
                    (Some(b.to_string()), Some(a.to_string())),
                    Text::new(
                        format!("{}：本级报告为 {a}，下属单位合计为 {b}", subject.zh()),
                        format!("{}: the parent reports {a}, its children sum to {b}", subject.en()),
                    ),
                );
            }
            _ if matches!((mine, theirs), (Cell::Blank, Cell::Blank)) => {}
            _ => unassessable.push(ctx.cell_ref(&def.id)),
        }
    }
    if !unassessable.is_empty() {
        let n = unassessable.len();
        let names = list_cells(&unassessable, Lang::Zh);
        let names_en = list_cells(&unassessable, Lang::En);
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Warning,
            unassessable,
            (None, None),
            Text::new(
                format!("{n}个单元格在本级报告或下属单位合计中不是数字，无法比较：{names}"),
                format!("{n} cells are not numbers in the parent or in the children's sum: {names_en}"),
            ),
        );
    }
    if !failed {
        ctx.pass_all(
            "本级报告的数据等于下属单位之和",
            "the parent's figures equal the sum of its children",
        );
    }
}

pub(super) static X_BATCH_DUP: Rule = Rule {
    id: "X-BATCH-DUP",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "同一批次中同一机关同一年度只有一份报告",
        "One report per agency and year in a batch",
    ),
    basis: "practice",
    scope: Scope::Batch,
    check: batch_duplicate,
};

pub(super) fn batch_duplicate(ctx: &mut Ctx<'_>) {
    let Some(earlier) = ctx.other else { return };
    let m = &earlier.meta;
    let source = m.source.clone().unwrap_or_default();
    let subject = Subject::new(
        None,
        ctx.report.meta.agency.clone(),
        format!("「{}」{}", ctx.report.meta.agency, ctx.report.meta.year_text(true)),
        format!("“{}” {}", ctx.report.meta.agency, ctx.report.meta.year_text(false)),
    );
    ctx.push(
        Some(&subject),
        Status::Fail,
        Severity::Error,
        Vec::new(),
        (Some("1".into()), Some("2".into())),
        Text::new(
            format!(
                "{}在本批次中已有一份报告（{} {source}），本份未计入合计，请核对是否重复报送",
                subject.zh(),
                m.agency
            ),
            format!(
                "{} already has a report in this batch ({} {source}); this one is left out of the sum",
                subject.en(),
                m.agency
            ),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Meta, Section};
    use crate::rules::{CheckOptions, check_with_children, check_with_previous};
    use crate::value::Num;
    use crate::version::FormatVersion;

    fn report(year: u16, format: FormatVersion) -> Report {
        let mut r = Report::new(Meta::new("某局", year, format));
        for d in catalogue(format).cells() {
            r.cells.set(d.id.clone(), Cell::number(0));
        }
        r
    }

    fn set(r: &mut Report, id: &str, v: i64) {
        r.cells.set(id, Cell::number(Num::int(v)));
    }

    fn failing(f: &[crate::Finding]) -> Vec<(String, Severity)> {
        f.iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| (f.rule.to_string(), f.severity))
            .collect()
    }

    #[test]
    fn carry_over_is_checked_per_column_across_the_format_change() {
        let mut prev = report(2020, FormatVersion::V2019);
        let mut now = report(2021, FormatVersion::V2021);
        set(&mut prev, "t3.carried_forward.natural_person", 3);
        set(&mut now, "t3.carried_over.natural_person", 3);
        let f = check_with_previous(&now, &prev, &CheckOptions::default());
        assert_eq!(f.iter().filter(|f| f.rule == "X-CARRY").count(), 7);
        assert!(failing(&f).is_empty(), "{f:#?}");
        set(&mut now, "t3.carried_over.commercial", 1);
        let f = check_with_previous(&now, &prev, &CheckOptions::default());
        let fail = f.iter().find(|f| f.status == Status::Fail).expect("fail");
        assert_eq!(
            (&*fail.rule, fail.subject_label().as_deref()),
            ("X-CARRY", Some("商业企业"))
        );
        assert_eq!(fail.cells[1].report, Some(ReportRole::Previous));
        // Not the year before: nothing to compare.
        assert!(check_with_previous(&now, &report(2019, FormatVersion::V2019), &CheckOptions::default()).is_empty());
    }

    #[test]
    fn in_force_continuity_and_cleanup_note() {
        let mut prev = report(2022, FormatVersion::V2021);
        let mut now = report(2023, FormatVersion::V2021);
        set(&mut prev, "t2.normative_docs.in_force", 80);
        set(&mut now, "t2.normative_docs.made", 12);
        set(&mut now, "t2.normative_docs.repealed", 5);
        set(&mut now, "t2.normative_docs.in_force", 87);
        assert!(failing(&check_with_previous(&now, &prev, &CheckOptions::default())).is_empty());
        set(&mut now, "t2.normative_docs.in_force", 60);
        assert_eq!(
            failing(&check_with_previous(&now, &prev, &CheckOptions::default())),
            vec![("X-INFORCE".to_string(), Severity::Warning)]
        );
        now.sections.general = Some(Section::canonical(
            crate::SectionKind::General,
            "本年度对规范性文件开展了清理。",
        ));
        assert_eq!(
            failing(&check_with_previous(&now, &prev, &CheckOptions::default())),
            vec![("X-INFORCE".to_string(), Severity::Info)]
        );
    }

    #[test]
    fn v2019_items_continue() {
        let mut prev = report(2019, FormatVersion::V2019);
        let mut now = report(2020, FormatVersion::V2019);
        set(&mut prev, "t2.licensing.prev_items", 120);
        set(&mut prev, "t2.licensing.change", -2);
        set(&mut now, "t2.licensing.prev_items", 118);
        assert!(failing(&check_with_previous(&now, &prev, &CheckOptions::default())).is_empty());
        set(&mut now, "t2.licensing.prev_items", 120);
        assert_eq!(
            failing(&check_with_previous(&now, &prev, &CheckOptions::default()))[0].0,
            "X-V19-ITEMS"
        );
    }

    #[test]
    fn copied_text_and_copied_numbers_are_flagged() {
        let text = "2022年，本局坚持以人民为中心的发展思想，不断提高信息公开质量。一是落实保密审查制度，公开的每条信息均经审核。二是定期开展业务培训，提高工作人员业务水平。";
        let mut prev = report(2022, FormatVersion::V2021);
        let mut now = report(2023, FormatVersion::V2021);
        prev.sections.general = Some(Section::canonical(crate::SectionKind::General, text));
        now.sections.general = Some(Section::canonical(
            crate::SectionKind::General,
            text.replace("2022", "2023"),
        ));
        set(&mut prev, "t2.licensing.decisions", 5);
        set(&mut now, "t2.licensing.decisions", 5);
        let f = check_with_previous(&now, &prev, &CheckOptions::default());
        let dup: Vec<_> = f
            .iter()
            .filter(|f| f.rule == "X-DUP" && f.status == Status::Fail)
            .collect();
        assert_eq!(dup.len(), 2, "{f:#?}");
        assert_eq!(dup[0].found_text().as_deref(), Some("100%"));
        assert_eq!(repeated_share("完全不同的一段新的文字内容。", text), Some(0));
    }

    #[test]
    fn parent_against_children_sum() {
        let mut parent = report(2023, FormatVersion::V2021);
        let mut sum = report(2023, FormatVersion::V2021);
        set(&mut parent, "t4.review.upheld", 2);
        set(&mut sum, "t4.review.upheld", 2);
        let f = check_with_children(&parent, &sum, &CheckOptions::default());
        assert!(failing(&f).is_empty() && f.iter().any(|f| f.rule == "X-AGG" && f.status == Status::Pass));
        set(&mut sum, "t4.review.upheld", 3);
        sum.cells.set("t4.review.total", Cell::Blank);
        let f = check_with_children(&parent, &sum, &CheckOptions::default());
        let fail = f.iter().find(|f| f.status == Status::Fail).expect("fail");
        assert_eq!(
            (fail.expected_text().as_deref(), fail.found_text().as_deref()),
            (Some("3"), Some("2"))
        );
        assert!(f.iter().any(|f| f.status == Status::NotAssessable));
    }
}
