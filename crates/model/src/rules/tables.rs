//! The tables: their identities (T3-BAL, T3-ROWSUM, T3-RESULTS, T4-SUM, from the catalogue), and
//! whole-table checks (T3-EMPTY, DOC-TABLES, T34-BLANK, the 2019 table-2 rows).

use super::context::Ctx;
use super::registry::{BOTH, Rule, Scope, V19, label};
use crate::catalogue::{T3_TOTAL, TableId, t2_id, t3_id};
use crate::finding::{CellRef, FixedSubject, Severity, SideName, Status, Subject, Text, list_cells};
use crate::value::{Cell, Num};
use crate::version::Lang;

pub(super) static T3_BAL: Rule = Rule {
    id: "T3-BAL",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "表三各列：第一项加第二项之和，等于第三项加第四项之和",
        "Table 3, each column: new + carried over = results total + carried forward",
    ),
    basis: "official",
    scope: Scope::Report,
    check: identities,
};

pub(super) static T3_ROWSUM: Rule = Rule {
    id: "T3-ROWSUM",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "表三各行：总计等于各类申请人之和",
        "Table 3, each row: total = sum of the applicant columns",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: identities,
};

pub(super) static T3_RESULTS: Rule = Rule {
    id: "T3-RESULTS",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "表三各列：（七）总计等于各项办理结果之和",
        "Table 3, each column: (7) total = sum of the results",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: identities,
};

pub(super) static T4_SUM: Rule = Rule {
    id: "T4-SUM",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "表四：总计等于各项结果之和",
        "Table 4: each total = sum of its outcomes",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: identities,
};

/// The identities of the form that the running rule checks (T3-BAL, T3-ROWSUM, T3-RESULTS,
/// T4-SUM), as the catalogue lists them.
fn identities(ctx: &mut Ctx<'_>) {
    let rule = ctx.rule.id;
    let printed = |id: &str| !matches!(ctx.report.cell(id), Cell::Blank);
    let groups_alone = ctx.groups_alone();
    let alone = |g: &crate::catalogue::T3Group| groups_alone.iter().any(|a| std::ptr::eq(*a, g));
    // The sub-rows of a group printed alone are not printed: their own row sums are not checked.
    let replaced: Vec<&str> = groups_alone.iter().flat_map(|g| g.parts.iter().copied()).collect();
    let of_replaced = |id: &String| ctx.cat.cell(id).is_some_and(|d| replaced.contains(&d.row_key));
    let mut checks = Vec::new();
    for i in ctx.cat.identities().iter().filter(|i| i.rule == rule) {
        if i.when_printed && !(i.lhs.ids.iter().any(|id| printed(id)) && i.rhs.ids.iter().any(|id| printed(id))) {
            continue;
        }
        if !replaced.is_empty() && i.lhs.ids.iter().chain(&i.rhs.ids).all(of_replaced) {
            continue;
        }
        // A group printed as one row stands for its sub-rows (（六）其他处理 without 1–3); the
        // catalogue's lists are used as they are when no group is printed alone.
        let substituted = (!replaced.is_empty()).then(|| (i.lhs.cells(alone), i.rhs.cells(alone)));
        checks.push((i, substituted));
    }
    for (i, substituted) in checks {
        // Brief passes (a batch's): the sums taken by catalogue position, as `Ctx::identity`
        // takes them by id.
        if substituted.is_none()
            && ctx.opts.brief_passes
            && i.lhs.positions.len() == i.lhs.ids.len()
            && i.rhs.positions.len() == i.rhs.ids.len()
            && let (Some(l), Some(r)) = (ctx.plain_sum_at(&i.lhs.positions), ctx.plain_sum_at(&i.rhs.positions))
            && l == r
        {
            ctx.brief_pass(Subject::Listed(i.table, &i.subject));
            continue;
        }
        let (lhs, rhs) = match &substituted {
            Some((l, r)) => (l.as_slice(), r.as_slice()),
            None => (i.lhs.ids.as_slice(), i.rhs.ids.as_slice()),
        };
        ctx.identity(
            Subject::Listed(i.table, &i.subject),
            SideName::Static(&i.lhs.zh, &i.lhs.en),
            lhs,
            SideName::Static(&i.rhs.zh, &i.rhs.en),
            rhs,
        );
    }
}

pub(super) static DOC_TABLES: Rule = Rule {
    id: "DOC-TABLES",
    severity: Severity::Error,
    versions: BOTH,
    title: label("三张统计表格均填有数据", "Each of the three tables holds data"),
    basis: "official",
    scope: Scope::Report,
    check: doc_tables,
};

/// A table with no data at all: every cell blank (a report published without its tables, or a
/// workbook whose table sheet was left empty). A table of zeros is data.
fn doc_tables(ctx: &mut Ctx<'_>) {
    let mut empty = Vec::new();
    for table in TableId::ALL {
        let any = ctx
            .cat
            .table_cells(table)
            .any(|d| !matches!(ctx.report.cell(&d.id), Cell::Blank));
        if !any {
            empty.push(table);
        }
    }
    if empty.is_empty() {
        ctx.pass_all("三张表格均填有数据", "each of the three tables holds data");
        return;
    }
    for table in empty {
        let subject = Subject::new(
            Some(table),
            table.name(Lang::Zh),
            table.name(Lang::Zh),
            table.name(Lang::En),
        );
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            Vec::new(),
            (Some("有数据".into()), Some("全部空白".into())),
            Text::new(
                format!("{}没有任何数据（全部空白）：年报必须公开三张统计表格，没有发生的事项填0", subject.zh()),
                format!(
                    "{} holds no data at all (every cell blank): the report must publish the three tables, with 0 for what did not happen",
                    subject.en()
                ),
            ),
        );
    }
}

/// How many blank or placeholder cells a finding lists; the count covers them all.
const BLANKS_LISTED: usize = 30;

pub(super) static T34_BLANK: Rule = Rule {
    id: "T34-BLANK",
    severity: Severity::Info,
    versions: BOTH,
    title: label(
        "表三、表四空白或填“/”等占位符的单元格个数",
        "Blank or placeholder cells in tables 3 and 4, counted",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: t34_blank,
};

/// Blank and placeholder cells of tables 3 and 4, counted, so that a table with half its cells
/// empty is visible at a glance (each check they touch says “not assessable” on its own).
fn t34_blank(ctx: &mut Ctx<'_>) {
    // The sub-rows of a group printed as one row are not printed at all: not counted blank.
    let by_group: Vec<&str> = ctx
        .groups_alone()
        .iter()
        .flat_map(|g| g.parts.iter().copied())
        .collect();
    // The form's cells by position (`cells()` is the start of `all_cells()`).
    let blank: Vec<&str> = ctx
        .cat
        .cells()
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.table, TableId::T3 | TableId::T4))
        .filter(|(_, d)| !by_group.contains(&d.row_key))
        .filter(|(p, _)| ctx.cell_at(*p).is_empty_like())
        .map(|(_, d)| d.id.as_str())
        .collect();
    let total = ctx.cat.table_cells(TableId::T3).count() + ctx.cat.table_cells(TableId::T4).count()
        - by_group.len() * crate::catalogue::T3_COLUMNS.len();
    if blank.is_empty() {
        ctx.pass_all(
            "表三、表四没有空白或占位符单元格",
            "tables 3 and 4 have no blank or placeholder cells",
        );
        return;
    }
    let n = blank.len();
    let cells: Vec<CellRef> = blank.iter().take(BLANKS_LISTED).map(|id| ctx.cell_ref(id)).collect();
    let more_zh = if n > BLANKS_LISTED {
        format!("，列出前 {BLANKS_LISTED} 个")
    } else {
        String::new()
    };
    let more_en = if n > BLANKS_LISTED {
        format!("; the first {BLANKS_LISTED} are listed")
    } else {
        String::new()
    };
    ctx.push(
        None,
        Status::Fail,
        Severity::Info,
        cells,
        (Some("0".into()), Some(n.to_string())),
        Text::new(
            format!(
                "表三、表四共 {total} 个单元格中有 {n} 个没有数值（空白、“/”等占位符，或未能读取）{more_zh}；没有发生的事项应填0"
            ),
            format!(
                "{n} of the {total} cells of tables 3 and 4 hold no number (blank, a placeholder, or not read){more_en}; what did not happen should be 0"
            ),
        ),
    );
}

/// Table 3 as a whole.
static TABLE_3: FixedSubject = FixedSubject {
    table: Some(TableId::T3),
    label: "表三",
    zh: "表三",
    en: "Table 3",
};

pub(super) static T3_EMPTY: Rule = Rule {
    id: "T3-EMPTY",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "表三：无新收和结转申请时各项均为0",
        "Table 3: with no new or carried-over requests every cell is 0",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: t3_empty,
};

fn t3_empty(ctx: &mut Ctx<'_>) {
    let subject = Subject::Fixed(&TABLE_3);
    let premise = [t3_id("new_received", T3_TOTAL), t3_id("carried_over", T3_TOTAL)];
    let s = ctx.sum(&premise);
    if ctx.unassessable(&subject, &[&s]) {
        return;
    }
    let Some(total) = s.value else { return };
    if !total.0.is_zero() {
        ctx.push(
            Some(&subject),
            Status::Pass,
            Severity::Error,
            s.refs,
            (None, Some(total.to_string())),
            Text::new(
                format!("表三本年新收与上年结转共 {total} 件，本项不适用"),
                format!("Table 3 has {total} new or carried-over requests; not applicable"),
            ),
        );
        return;
    }
    let nonzero: Vec<CellRef> = ctx
        .cat
        .table_cells(TableId::T3)
        .filter(|d| ctx.report.cell(&d.id).value().is_some_and(|v| !v.0.is_zero()))
        .map(|d| ctx.cell_ref(&d.id))
        .collect();
    if nonzero.is_empty() {
        ctx.push(
            Some(&subject),
            Status::Pass,
            Severity::Error,
            s.refs,
            (Some("0".into()), Some("0".into())),
            Text::new(
                "表三无新收和结转申请，各项均为0",
                "Table 3 has no requests and every cell is 0",
            ),
        );
    } else {
        let zh = format!(
            "表三本年新收和上年结转申请均为0，但{}不为0（共{}个单元格）",
            list_cells(&nonzero, Lang::Zh),
            nonzero.len()
        );
        let en = format!(
            "Table 3 has no new or carried-over requests, yet {} are not 0 ({} cells)",
            list_cells(&nonzero, Lang::En),
            nonzero.len()
        );
        let n = nonzero.len();
        let mut cells = s.refs;
        cells.extend(nonzero);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            cells,
            (Some("0".into()), Some(format!("{n}个非0单元格"))),
            Text::new(zh, en),
        );
    }
}

pub(super) static V19_ITEMS_NONNEG: Rule = Rule {
    id: "V19-ITEMS-NONNEG",
    severity: Severity::Error,
    versions: V19,
    title: label(
        "表二（2019版）：上一年项目数量加本年增/减不为负",
        "Table 2 (2019): items last year + change ≥ 0",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: v19_items_nonneg,
};

fn v19_items_nonneg(ctx: &mut Ctx<'_>) {
    for (block, row, _) in ctx.cat.t2_cells().filter(|(_, _, c)| c.key == "change") {
        let subject = Subject::T2Row(block, row);
        let s = ctx.sum(&[t2_id(row.key, "prev_items"), t2_id(row.key, "change")]);
        if ctx.unassessable(&subject, &[&s]) {
            continue;
        }
        let Some(v) = s.value else { continue };
        let ok = v.0 >= Num::ZERO.0;
        let (zh, en) = if ok {
            (
                format!("{}：上一年项目数量加本年增/减为 {v}，不为负", subject.zh()),
                format!("{}: items last year + change = {v} ≥ 0", subject.en()),
            )
        } else {
            (
                format!("{}：上一年项目数量加本年增/减为 {v}，现有项目数不能为负", subject.zh()),
                format!(
                    "{}: items last year + change = {v}; the number of items cannot be negative",
                    subject.en()
                ),
            )
        };
        let status = if ok { Status::Pass } else { Status::Fail };
        ctx.push(
            Some(&subject),
            status,
            Severity::Error,
            s.refs,
            (Some("≥ 0".into()), Some(v.to_string())),
            Text::new(zh, en),
        );
    }
}

pub(super) static V19_PUBLISHED_LE_TOTAL: Rule = Rule {
    id: "V19-PUBLISHED-LE-TOTAL",
    severity: Severity::Warning,
    versions: V19,
    title: label(
        "表二（2019版）：本年新公开数量不大于对外公开总数量",
        "Table 2 (2019): newly published ≤ total published",
    ),
    basis: "layout",
    scope: Scope::Report,
    check: v19_published_le_total,
};

fn v19_published_le_total(ctx: &mut Ctx<'_>) {
    let rows: Vec<_> = ctx
        .cat
        .t2_cells()
        .filter(|(_, _, c)| c.key == "new_published")
        .map(|(b, r, _)| (b, r))
        .collect();
    for (block, row) in rows {
        let subject = Subject::T2Row(block, row);
        let published = ctx.sum(&[t2_id(row.key, "new_published")]);
        let total = ctx.sum(&[t2_id(row.key, "total_published")]);
        if ctx.unassessable(&subject, &[&published, &total]) {
            continue;
        }
        let (Some(p), Some(t)) = (published.value, total.value) else {
            continue;
        };
        let ok = p.0 <= t.0;
        let (zh, en) = if ok {
            (
                format!("{}：本年新公开数量 {p} 不大于对外公开总数量 {t}", subject.zh()),
                format!("{}: newly published {p} ≤ total published {t}", subject.en()),
            )
        } else {
            (
                format!("{}：本年新公开数量 {p} 大于对外公开总数量 {t}", subject.zh()),
                format!("{}: newly published {p} exceeds total published {t}", subject.en()),
            )
        };
        let mut cells = published.refs;
        cells.extend(total.refs);
        ctx.push(
            Some(&subject),
            if ok { Status::Pass } else { Status::Fail },
            Severity::Warning,
            cells,
            (Some(format!("≤ {t}")), Some(p.to_string())),
            Text::new(zh, en),
        );
    }
}
