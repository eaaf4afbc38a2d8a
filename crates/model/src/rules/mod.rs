//! The rules (勾稽关系 and format checks) of format-spec §8.1 and §8.2, for both versions.
//!
//! A rule is data (id, severity, versions, titles) plus a small function that emits one finding
//! per thing it checks: per column, per row, per cell or per section. Every table rule is linear,
//! so a cell-wise sum of valid reports is valid and the aggregate is checked by the same rules.

use crate::catalogue::{Catalogue, Label, SectionKind, T3_TOTAL, TableId, ValueKind, catalogue, t2_id, t3_id};
use crate::finding::{
    CellRef, Figure, Finding, FixedSubject, Message, ReportRole, Severity, SideName, Status, Subject, Text, list_cells,
};
use crate::report::Report;
use crate::value::{Cell, MoneyUnit, Num};
use crate::version::{FormatVersion, Lang};
use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;

mod cross;
mod text;
pub mod text_figures;

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Count blanks and placeholders as 0 (every finding that does so says so).
    pub blank_as_zero: bool,
    /// Rule ids not to run.
    pub skip: Vec<String>,
    /// Arithmetic checks that pass carry only their rule, subject and status, without cells or
    /// message: a batch that only counts passed checks need not build them (most of a check's
    /// time on a valid report).
    pub brief_passes: bool,
}

/// A rule: stable id, severity, the versions it applies to, titles, and its check.
pub struct Rule {
    /// Stable id, e.g. `T3-BAL`.
    pub id: &'static str,
    /// Severity of a failure (some findings of a rule may carry another, e.g. X-FORMAT for 2019).
    pub severity: Severity,
    /// The format versions it applies to.
    pub versions: &'static [FormatVersion],
    /// Title in Chinese and English.
    pub title: Label,
    /// Where the rule comes from: `official` (stated by the form), `layout` (implied by it), `practice`.
    pub basis: &'static str,
    /// What the rule compares: one report, a report with last year's, or a parent with its children.
    pub scope: Scope,
    check: fn(&mut Ctx<'_>),
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One report on its own.
    Report,
    /// A report and the same agency's report for the previous year.
    PreviousYear,
    /// A parent report (a government's own figures) and the sum of its children.
    Parent,
    /// A report and an earlier report of the same batch.
    Batch,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish_non_exhaustive()
    }
}

/// A rule described for `xxgk rules --json` and `docs/rules.md`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// Severity of a failure.
    pub severity: Severity,
    /// Versions it applies to (`2019`, `2021`).
    pub versions: Vec<&'static str>,
    /// Chinese title.
    pub title_zh: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// `official`, `layout` or `practice`.
    pub basis: &'static str,
    /// `report`, `previous_year` or `parent`.
    pub scope: Scope,
}

impl Rule {
    /// Whether the rule applies to a version.
    pub fn applies_to(&self, version: FormatVersion) -> bool {
        self.versions.contains(&version)
    }

    /// The rule as data.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id,
            severity: self.severity,
            versions: self.versions.iter().map(|v| v.code()).collect(),
            title_zh: self.title.zh,
            title_en: self.title.en,
            basis: self.basis,
            scope: self.scope,
        }
    }
}

const BOTH: &[FormatVersion] = &[FormatVersion::V2019, FormatVersion::V2021];
const V19: &[FormatVersion] = &[FormatVersion::V2019];
const V21: &[FormatVersion] = &[FormatVersion::V2021];

const fn label(zh: &'static str, en: &'static str) -> Label {
    Label { zh, en }
}

static RULES: [Rule; 27] = [
    Rule {
        id: "X-FORMAT",
        severity: Severity::Error,
        versions: BOTH,
        title: label("表格格式与报告年度相符", "The table layout matches the report year"),
        basis: "official",
        scope: Scope::Report,
        check: x_format,
    },
    Rule {
        id: "DOC-SECTIONS",
        severity: Severity::Error,
        versions: BOTH,
        title: label(
            "六个部分齐全且标题规范",
            "All six sections are present with the official headings",
        ),
        basis: "official",
        scope: Scope::Report,
        check: doc_sections,
    },
    Rule {
        id: "INT-NONNEG",
        severity: Severity::Error,
        versions: BOTH,
        title: label("件数为非负整数", "Counts are whole numbers ≥ 0"),
        basis: "layout",
        scope: Scope::Report,
        check: int_nonneg,
    },
    Rule {
        id: "FEE-NONNEG",
        severity: Severity::Error,
        versions: BOTH,
        title: label("金额为非负数", "Amounts of money are ≥ 0"),
        basis: "layout",
        scope: Scope::Report,
        check: fee_nonneg,
    },
    Rule {
        id: "MONEY-SCALE",
        severity: Severity::Warning,
        versions: BOTH,
        title: label("万元金额不超过四位小数", "Amounts in 万元 have at most 4 decimals"),
        basis: "practice",
        scope: Scope::Report,
        check: money_scale,
    },
    Rule {
        id: "MONEY-UNIT",
        severity: Severity::Warning,
        versions: BOTH,
        title: label("金额单位与表头一致", "The unit of an amount matches its column"),
        basis: "official",
        scope: Scope::Report,
        check: money_unit,
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
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
    },
    Rule {
        id: "X-TEXT",
        severity: Severity::Warning,
        versions: BOTH,
        title: label(
            "总体情况所述申请、办结、结转、复议、诉讼件数与表格一致",
            "Numbers stated in the overview match the tables",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: text_figures::x_text,
    },
    Rule {
        id: "X-TEXT-T2",
        severity: Severity::Warning,
        versions: V21,
        title: label(
            "总体情况所述规章、行政规范性文件制发、废止、现行有效件数与表二一致",
            "Rules and normative documents made, repealed and in force as the overview states them match Table 2",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: text_figures::x_text_t2,
    },
    Rule {
        id: "X-T4-TEXT",
        severity: Severity::Warning,
        versions: BOTH,
        title: label(
            "总体情况称未发生行政复议、行政诉讼时表四全为0",
            "Table 4 is all 0 when the overview says there was no review or lawsuit",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: text::x_t4_text,
    },
    Rule {
        id: "X-FEE-TEXT",
        severity: Severity::Warning,
        versions: V21,
        title: label(
            "表三有逾期未缴费不再处理的申请时，正文不称未发出收费通知",
            "The text does not deny fee notices when Table 3 has requests dropped for an unpaid fee",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: text::x_fee_text,
    },
    Rule {
        id: "X-FEE-MENTION",
        severity: Severity::Info,
        versions: V21,
        title: label(
            "其他需要报告的事项报告信息处理费情况",
            "Section 六 reports the information processing fee",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: text::x_fee_mention,
    },
    Rule {
        id: "DOC-TABLES",
        severity: Severity::Error,
        versions: BOTH,
        title: label("三张统计表格均填有数据", "Each of the three tables holds data"),
        basis: "official",
        scope: Scope::Report,
        check: doc_tables,
    },
    Rule {
        id: "DOC-SEC5",
        severity: Severity::Warning,
        versions: BOTH,
        title: label(
            "“存在的主要问题及改进情况”写明问题和改进措施",
            "Section 五 names the problems and the measures taken",
        ),
        basis: "practice",
        scope: Scope::Report,
        check: doc_sec5,
    },
    Rule {
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
    },
    Rule {
        id: "X-CARRY",
        severity: Severity::Warning,
        versions: BOTH,
        title: label(
            "表三各列：本年上年结转等于上一年度结转下年度继续办理",
            "Table 3, each column: carried over this year = carried forward last year",
        ),
        basis: "practice",
        scope: Scope::PreviousYear,
        check: cross::carry,
    },
    Rule {
        id: "X-INFORCE",
        severity: Severity::Warning,
        versions: V21,
        title: label(
            "表二：现行有效件数等于上年现行有效件数加本年制发减本年废止",
            "Table 2: in force = last year's in force + made − repealed",
        ),
        basis: "practice",
        scope: Scope::PreviousYear,
        check: cross::in_force,
    },
    Rule {
        id: "X-V19-ITEMS",
        severity: Severity::Warning,
        versions: V19,
        title: label(
            "表二（2019版）：上一年项目数量等于上年的上一年项目数量加本年增/减",
            "Table 2 (2019): items last year = last year's items + change",
        ),
        basis: "practice",
        scope: Scope::PreviousYear,
        check: cross::v19_items,
    },
    Rule {
        id: "X-DUP",
        severity: Severity::Warning,
        versions: BOTH,
        title: label("报告内容与上一年度雷同", "The report repeats the previous year's"),
        basis: "official",
        scope: Scope::PreviousYear,
        check: cross::duplicate,
    },
    Rule {
        id: "X-AGG",
        severity: Severity::Warning,
        versions: BOTH,
        title: label(
            "本级报告数据等于所属各单位报告之和",
            "The parent report equals the sum of its children",
        ),
        basis: "practice",
        scope: Scope::Parent,
        check: cross::parent_sum,
    },
    Rule {
        id: "X-BATCH-DUP",
        severity: Severity::Error,
        versions: BOTH,
        title: label(
            "同一批次中同一机关同一年度只有一份报告",
            "One report per agency and year in a batch",
        ),
        basis: "practice",
        scope: Scope::Batch,
        check: cross::batch_duplicate,
    },
];

/// Every rule, in the order they run.
pub fn rules() -> &'static [Rule] {
    &RULES
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Runs every single-report rule that applies to the report's format and is not skipped.
pub fn check(report: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Report, report, None, opts)
}

/// Runs the rules that compare a report with the same agency's report for the previous year.
/// Nothing runs when `previous` is not for the year before.
pub fn check_with_previous(report: &Report, previous: &Report, opts: &CheckOptions) -> Vec<Finding> {
    let (Some(prev_year), Some(year)) = (previous.meta.year, report.meta.year) else {
        return Vec::new();
    };
    if prev_year.checked_add(1) != Some(year) {
        return Vec::new();
    }
    run(Scope::PreviousYear, report, Some(previous), opts)
}

/// Runs the rules that compare a parent report with the cell-wise sum of its children.
pub fn check_with_children(parent: &Report, children_sum: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Parent, parent, Some(children_sum), opts)
}

/// Runs the rules that compare a report with an earlier report of the same batch that
/// [`crate::batch::duplicates`] found to be the same agency and year.
pub fn check_duplicate(report: &Report, earlier: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Batch, report, Some(earlier), opts)
}

fn run(scope: Scope, report: &Report, other: Option<&Report>, opts: &CheckOptions) -> Vec<Finding> {
    let cat = catalogue(report.meta.format);
    // A report gets a finding per check, about sixty: one allocation rather than doubling.
    let mut out = Vec::with_capacity(if scope == Scope::Report { 64 } else { 8 });
    for rule in RULES.iter().filter(|r| r.scope == scope) {
        // A cross-year rule applies when both reports are in one of its versions.
        let applies = rule.applies_to(report.meta.format) && other.is_none_or(|o| rule.applies_to(o.meta.format));
        if !applies || opts.skip.iter().any(|s| s.eq_ignore_ascii_case(rule.id)) {
            continue;
        }
        let mut ctx = Ctx {
            report,
            other,
            cat,
            opts,
            rule,
            out: &mut out,
        };
        (rule.check)(&mut ctx);
    }
    out
}

// ───────────────────────────── machinery ─────────────────────────────

struct Ctx<'a> {
    report: &'a Report,
    /// Last year's report, or the sum of the children, for cross-report rules.
    other: Option<&'a Report>,
    cat: &'static Catalogue,
    opts: &'a CheckOptions,
    rule: &'static Rule,
    out: &'a mut Vec<Finding>,
}

/// The sum of some cells, or why it cannot be taken.
struct Sum {
    value: Option<Num>,
    refs: Vec<CellRef>,
    /// Blank or placeholder cells not counted.
    empty: usize,
    /// Cells holding text that is no number.
    text: usize,
    overflow: bool,
}

impl Sum {
    /// A sum of no cells with the given value (a number stated in the text).
    fn of_value(value: Num) -> Self {
        Sum {
            value: Some(value),
            refs: Vec::new(),
            empty: 0,
            text: 0,
            overflow: false,
        }
    }
}

/// The subject of a table-3 column in a message: `表三「自然人」列`.
fn t3_column_subject(c: &crate::catalogue::T3Column) -> Subject {
    let s = crate::identity::t3_column_subject(c);
    Subject::new(Some(TableId::T3), s.label, s.zh, s.en)
}

impl Ctx<'_> {
    fn cell_ref(&self, id: &str) -> CellRef {
        CellRef::of(self.report, id)
    }

    fn sum(&self, ids: &[String]) -> Sum {
        self.sum_in(self.report, None, ids)
    }

    /// The sum of cells of `report`; `role` marks cells of a report other than the one checked.
    fn sum_in(&self, report: &Report, role: Option<ReportRole>, ids: &[String]) -> Sum {
        let mut s = Sum {
            value: Some(Num::ZERO),
            refs: Vec::with_capacity(ids.len()),
            empty: 0,
            text: 0,
            overflow: false,
        };
        for id in ids {
            let mut r = CellRef::of(report, id);
            r.report = role;
            let v = match report.cell(id) {
                Cell::Number { value, .. } => Some(*value),
                Cell::Blank | Cell::Placeholder { .. } if self.opts.blank_as_zero => {
                    r.counted_as_zero = true;
                    Some(Num::ZERO)
                }
                Cell::Blank | Cell::Placeholder { .. } => {
                    s.empty += 1;
                    None
                }
                Cell::Text { .. } => {
                    s.text += 1;
                    None
                }
            };
            s.value = match (s.value, v) {
                (Some(acc), Some(v)) => {
                    let next = acc.checked_add(v);
                    s.overflow |= next.is_none();
                    next
                }
                _ => None,
            };
            s.refs.push(r);
        }
        s
    }

    /// Emits a finding whose message is made of words; `outcome` is (expected, found).
    fn push(
        &mut self,
        subject: Option<&Subject>,
        status: Status,
        severity: Severity,
        cells: Vec<CellRef>,
        outcome: (Option<String>, Option<String>),
        mut message: Text,
    ) {
        let zeroed = cells.iter().filter(|c| c.counted_as_zero).count();
        if zeroed > 0 {
            message.zh.push_str(&format!("（按0计的空白或占位单元格：{zeroed}个）"));
            message
                .en
                .push_str(&format!(" ({zeroed} blank or placeholder cell(s) counted as 0)"));
        }
        let (expected, found) = outcome;
        self.emit(
            subject.cloned(),
            status,
            severity,
            cells,
            (expected.map(Figure::from), found.map(Figure::from)),
            Message::Text(message),
        );
    }

    /// Emits a finding whose message is data, rendered when it is written.
    fn emit(
        &mut self,
        subject: Option<Subject>,
        status: Status,
        severity: Severity,
        cells: Vec<CellRef>,
        (expected, found): (Option<Figure>, Option<Figure>),
        message: Message,
    ) {
        self.out.push(Finding {
            rule: Cow::Borrowed(self.rule.id),
            severity,
            status,
            table: subject.as_ref().and_then(Subject::table),
            subject,
            cells,
            expected,
            found,
            message,
        });
    }

    /// Emits a not-assessable finding for sums that could not be taken; returns whether it did.
    fn unassessable(&mut self, subject: &Subject, sums: &[&Sum]) -> bool {
        let overflow = sums.iter().any(|s| s.overflow);
        if sums.iter().all(|s| s.empty == 0 && s.text == 0) && !overflow {
            return false;
        }
        let cells = sums.iter().flat_map(|s| s.refs.iter().cloned()).collect();
        self.emit(
            Some(subject.clone()),
            Status::NotAssessable,
            self.rule.severity,
            cells,
            (None, None),
            Message::NotAssessable { overflow },
        );
        true
    }

    /// Checks `Σ lhs = Σ rhs` within the report and emits one finding.
    fn identity(&mut self, subject: Subject, lhs_name: SideName, lhs: &[String], rhs_name: SideName, rhs: &[String]) {
        if self.opts.brief_passes
            && let (Some(l), Some(r)) = (self.plain_sum(lhs), self.plain_sum(rhs))
            && l == r
        {
            self.emit(
                Some(subject),
                Status::Pass,
                self.rule.severity,
                Vec::new(),
                (None, None),
                Message::Fixed("", ""),
            );
            return;
        }
        let l = self.sum(lhs);
        let r = self.sum(rhs);
        self.compare(&subject, lhs_name, l, rhs_name, r);
    }

    /// The sum of cells that all hold numbers, without building their references; `None` when
    /// one does not (a blank counted as 0 must be said so), which [`Ctx::sum`] then reports.
    fn plain_sum(&self, ids: &[String]) -> Option<Num> {
        ids.iter().try_fold(Num::ZERO, |acc, id| match self.report.cell(id) {
            Cell::Number { value, .. } => acc.checked_add(*value),
            _ => None,
        })
    }

    /// Emits one finding on whether two sums are equal. `found` is the left, `expected` the right.
    fn compare(
        &mut self,
        subject: &Subject,
        lhs_name: impl Into<SideName>,
        l: Sum,
        rhs_name: impl Into<SideName>,
        r: Sum,
    ) {
        if self.unassessable(subject, &[&l, &r]) {
            return;
        }
        let (Some(lv), Some(rv)) = (l.value, r.value) else {
            return;
        };
        let mut cells = l.refs;
        cells.extend(r.refs);
        let status = if lv == rv { Status::Pass } else { Status::Fail };
        self.emit(
            Some(subject.clone()),
            status,
            self.rule.severity,
            cells,
            (Some(Figure::Num(rv)), Some(Figure::Num(lv))),
            Message::Compare {
                lhs: lhs_name.into(),
                rhs: rhs_name.into(),
            },
        );
    }

    /// One pass finding for a rule that checks many cells and found nothing wrong.
    fn pass_all(&mut self, zh: &'static str, en: &'static str) {
        self.emit(
            None,
            Status::Pass,
            self.rule.severity,
            Vec::new(),
            (None, None),
            Message::Fixed(zh, en),
        );
    }
}

// ───────────────────────────── the rules ─────────────────────────────

fn x_format(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    let used = meta.format;
    let Some(year) = meta.year else {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, Some(used.code().into())),
            Text::new(
                "报告年度不明，无法核对表格格式与年度是否相符",
                "the report year is unknown; whether the layout fits the year cannot be checked",
            ),
        );
        return;
    };
    let subject = Subject::new(
        None,
        format!("{year}年度"),
        format!("{year}年度报告"),
        format!("The {year} report"),
    );
    let Some(required) = FormatVersion::for_year(year) else {
        ctx.push(
            Some(&subject),
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, Some(used.code().into())),
            Text::new(
                format!("{}：2019年以前的年度报告没有全国统一格式，无法核对格式", subject.zh()),
                format!(
                    "{}: reports before 2019 had no national format; the layout cannot be checked",
                    subject.en()
                ),
            ),
        );
        return;
    };
    // 60号 only encouraged the unified format for 2019, so a deviation that year is a warning.
    let severity = if year == 2019 {
        Severity::Warning
    } else {
        Severity::Error
    };
    let (status, zh, en) = if used == required {
        (
            Status::Pass,
            format!("{}使用{}规定的格式", subject.zh(), required.document()),
            format!("{} uses the layout of {}", subject.en(), required.document()),
        )
    } else {
        (
            Status::Fail,
            format!(
                "{}应使用{}规定的格式（{}版），实际为{}版",
                subject.zh(),
                required.document(),
                required.code(),
                used.code()
            ),
            format!(
                "{} must use the layout of {} ({}), found the {} layout",
                subject.en(),
                required.document(),
                required.code(),
                used.code()
            ),
        )
    };
    ctx.push(
        Some(&subject),
        status,
        severity,
        Vec::new(),
        (Some(required.code().into()), Some(used.code().into())),
        Text::new(zh, en),
    );
}

/// Strips numbering, spaces and punctuation so that headings compare by their words.
fn heading_words(h: &str) -> String {
    let t: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches(|c: char| "一二三四五六七八九十0123456789０１２３４５６７８９".contains(c));
    t.trim_start_matches(|c: char| "、.．，,）)（( ".contains(c))
        .trim_end_matches(['：', ':', '。'])
        .to_string()
}

fn doc_sections(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    let why = match (meta.summed_reports, meta.tables_only) {
        (Some(n), _) => Some(Text::new(
            format!("本报告为{n}份报告的汇总，只有表格，不核对正文各部分"),
            format!("this report sums {n} reports and has tables only; its sections are not checked"),
        )),
        (None, true) => Some(Text::new(
            "来源文件只有表格（如 CSV），不核对正文各部分",
            "the source holds the tables only (e.g. CSV); the sections are not checked",
        )),
        (None, false) => None,
    };
    if let Some(message) = why {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Error,
            Vec::new(),
            (None, None),
            message,
        );
        return;
    }
    for kind in SectionKind::ALL {
        let canonical = kind.heading();
        let subject = Subject::new(
            kind.table(),
            canonical.zh,
            format!("「{}」部分", canonical.zh),
            format!("Section “{}” ({})", canonical.zh, canonical.en),
        );
        let section = ctx.report.sections.get(kind);
        let table_filled = kind.table().is_some_and(|t| {
            ctx.cat
                .table_cells(t)
                .any(|d| !matches!(ctx.report.cell(&d.id), Cell::Blank))
        });
        let expected = Some(canonical.zh.to_string());
        match section {
            None if table_filled => ctx.push(
                Some(&subject),
                Status::Pass,
                Severity::Error,
                Vec::new(),
                (expected, None),
                Text::new(
                    format!("{}以表格形式报告", subject.zh()),
                    format!("{} is reported as its table", subject.en()),
                ),
            ),
            None => ctx.push(
                Some(&subject),
                Status::Fail,
                Severity::Error,
                Vec::new(),
                (expected, None),
                Text::new(format!("缺少{}", subject.zh()), format!("{} is missing", subject.en())),
            ),
            Some(s) => {
                let words = heading_words(&s.heading);
                if words == heading_words(canonical.zh) {
                    ctx.push(
                        Some(&subject),
                        Status::Pass,
                        Severity::Warning,
                        Vec::new(),
                        (expected, Some(s.heading.clone())),
                        Text::new(format!("{}齐全", subject.zh()), format!("{} is present", subject.en())),
                    );
                } else {
                    ctx.push(
                        Some(&subject),
                        Status::Fail,
                        Severity::Warning,
                        Vec::new(),
                        (expected, Some(s.heading.clone())),
                        Text::new(
                            format!(
                                "{}的标题为「{}」，与统一格式的「{}」不同",
                                subject.zh(),
                                s.heading,
                                canonical.zh
                            ),
                            format!(
                                "{} is headed “{}”, not the official “{}”",
                                subject.en(),
                                s.heading,
                                canonical.zh
                            ),
                        ),
                    );
                }
            }
        }
    }
}

fn int_nonneg(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in ctx.cat.all_cells() {
        if def.kind.is_money() {
            continue;
        }
        let cell = ctx.report.cell(&def.id);
        let ok = match cell {
            Cell::Number { value, .. } => {
                value.is_integer() && (def.kind == ValueKind::SignedCount || value.0 >= Num::ZERO.0)
            }
            Cell::Text { .. } => false,
            Cell::Blank | Cell::Placeholder { .. } => true,
        };
        if ok {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let found = r.value_text(Lang::Zh);
        let zh = format!("{}应为{}，实为{}", subject.zh(), def.kind.describe(Lang::Zh), found);
        let en = format!(
            "{} must be {}, found {}",
            subject.en(),
            def.kind.describe(Lang::En),
            r.value_text(Lang::En)
        );
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            vec![r],
            (Some(def.kind.describe(Lang::Zh).into()), Some(found)),
            Text::new(zh, en),
        );
    }
    if !failed {
        ctx.pass_all(
            "所有件数均为非负整数（或空白、占位符）",
            "every count is a whole number ≥ 0 (or blank, or a placeholder)",
        );
    }
}

/// The money cells of the report's format.
fn money_cells(ctx: &Ctx<'_>) -> Vec<&'static crate::catalogue::CellDef> {
    ctx.cat.cells().iter().filter(|d| d.kind.is_money()).collect()
}

fn fee_nonneg(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let ok = match ctx.report.cell(&def.id) {
            Cell::Number { value, .. } => value.0 >= Num::ZERO.0,
            Cell::Text { .. } => false,
            _ => true,
        };
        if ok {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let found = r.value_text(Lang::Zh);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            vec![r.clone()],
            (Some(def.kind.describe(Lang::Zh).into()), Some(found.clone())),
            Text::new(
                format!("{}应为{}，实为{}", subject.zh(), def.kind.describe(Lang::Zh), found),
                format!(
                    "{} must be {}, found {}",
                    subject.en(),
                    def.kind.describe(Lang::En),
                    r.value_text(Lang::En)
                ),
            ),
        );
    }
    if let Some(fees) = &ctx.report.processing_fees {
        for (name_zh, name_en, v) in [
            ("发出收费通知件数", "fee notices issued", fees.notices_issued),
            ("收费通知总金额", "amount of fee notices", fees.notices_amount_yuan),
            ("实际收取金额", "amount collected", fees.collected_yuan),
        ] {
            if let Some(v) = v.filter(|v| v.0 < Num::ZERO.0) {
                failed = true;
                let subject = Subject::new(
                    None,
                    format!("信息处理费 {name_zh}"),
                    format!("信息处理费「{name_zh}」"),
                    format!("Processing fees, {name_en}"),
                );
                ctx.push(
                    Some(&subject),
                    Status::Fail,
                    Severity::Error,
                    Vec::new(),
                    (Some("≥ 0".into()), Some(v.to_string())),
                    Text::new(
                        format!("{}不能为负数，实为 {v}", subject.zh()),
                        format!("{} cannot be negative, found {v}", subject.en()),
                    ),
                );
            }
        }
    }
    if !failed {
        ctx.pass_all(
            "所有金额均为非负数（或空白、占位符）",
            "every amount is ≥ 0 (or blank, or a placeholder)",
        );
    }
}

fn money_scale(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let Some(v) = ctx.report.cell(&def.id).value() else {
            continue;
        };
        let unit = match ctx.report.cell(&def.id) {
            Cell::Number { unit, .. } => *unit,
            _ => None,
        };
        let in_wan = def.kind == ValueKind::MoneyWanYuan || unit == Some(MoneyUnit::WanYuan);
        if !in_wan || v.decimal_places() <= 4 {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Warning,
            vec![r],
            (Some("≤ 4".into()), Some(v.decimal_places().to_string())),
            Text::new(
                format!(
                    "{}为 {v} 万元，有{}位小数；以万元计的金额精确到元只需4位小数，请核对单位",
                    subject.zh(),
                    v.decimal_places()
                ),
                format!(
                    "{} is {v} 万元 with {} decimals; 4 decimals already give yuan precision, check the unit",
                    subject.en(),
                    v.decimal_places()
                ),
            ),
        );
    }
    if !failed {
        ctx.pass_all("万元金额均不超过四位小数", "no amount in 万元 has more than 4 decimals");
    }
}

fn money_unit(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let Cell::Number {
            unit: Some(unit),
            value,
            ..
        } = ctx.report.cell(&def.id)
        else {
            continue;
        };
        if def.kind != ValueKind::MoneyWanYuan || *unit == MoneyUnit::WanYuan {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let wan = value.0 / rust_decimal::Decimal::from(10_000);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Warning,
            vec![r],
            (Some(crate::catalogue::WAN_YUAN.into()), Some("元".into())),
            Text::new(
                format!(
                    "{}的单位是万元，单元格写的是 {value} 元（即 {} 万元），请改为万元",
                    subject.zh(),
                    Num(wan.normalize())
                ),
                format!(
                    "{} is in 万元 but the cell says {value} 元 (= {} 万元)",
                    subject.en(),
                    Num(wan.normalize())
                ),
            ),
        );
    }
    if !failed {
        ctx.pass_all("金额单位与表头一致", "every unit matches its column");
    }
}

/// The identities of the form that the running rule checks (T3-BAL, T3-ROWSUM, T3-RESULTS,
/// T4-SUM), as the catalogue lists them.
fn identities(ctx: &mut Ctx<'_>) {
    let rule = ctx.rule.id;
    let printed = |id: &str| !matches!(ctx.report.cell(id), Cell::Blank);
    let alone = |g: &crate::catalogue::T3Group| g.printed_alone(printed);
    // The sub-rows of a group printed alone are not printed: their own row sums are not checked.
    let replaced: Vec<&str> = ctx
        .cat
        .t3_groups
        .iter()
        .filter(|g| alone(g))
        .flat_map(|g| g.parts.iter().copied())
        .collect();
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

/// Words that name a problem, and words that name a measure, in section 五.
const PROBLEM_WORDS: [&str; 7] = ["问题", "不足", "短板", "差距", "薄弱", "有待", "不够"];
const MEASURE_WORDS: [&str; 9] = ["改进", "措施", "整改", "加强", "下一步", "推进", "提升", "完善", "规范"];
/// Fewer characters than this (punctuation and spaces not counted) cannot name a problem and a
/// measure.
const SEC5_MIN_CHARS: usize = 15;

/// Section 五 that is empty, only “无”, or too short to name a problem and a measure: assessors
/// mark such a report down, and the official form asks for both.
fn doc_sec5(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    if meta.summed_reports.is_some() || meta.tables_only {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, None),
            Text::new(
                "来源只有表格，不核对第五部分的内容",
                "the source holds the tables only; section 五 is not checked",
            ),
        );
        return;
    }
    let Some(section) = ctx.report.sections.get(SectionKind::Problems) else {
        // A missing section is DOC-SECTIONS' finding.
        return;
    };
    let text: String = section
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。、；：！？（）“”《》…—·".contains(*c))
        .collect();
    let chars = text.chars().count();
    let problem = PROBLEM_WORDS.iter().any(|w| text.contains(w));
    let measure = MEASURE_WORDS.iter().any(|w| text.contains(w));
    let subject = Subject::new(
        None,
        SectionKind::Problems.heading().zh,
        format!("「{}」部分", SectionKind::Problems.heading().zh),
        "Section 五 (main problems and improvements)",
    );
    let (status, zh, en) = if chars < SEC5_MIN_CHARS || matches!(text.as_str(), "无" | "暂无" | "没有") {
        (
            Status::Fail,
            format!(
                "{}内容过于简略（{chars} 字）：应写明存在的主要问题和改进措施",
                subject.zh()
            ),
            format!(
                "{} is too short ({chars} characters): it should name the main problems and the measures taken",
                subject.en()
            ),
        )
    } else if !problem || !measure {
        let missing = match (problem, measure) {
            (false, false) => ("存在的问题和改进措施", "the problems and the measures"),
            (false, true) => ("存在的问题", "the problems"),
            _ => ("改进措施", "the measures"),
        };
        (
            Status::Fail,
            format!("{}未写明{}", subject.zh(), missing.0),
            format!("{} does not name {}", subject.en(), missing.1),
        )
    } else {
        (
            Status::Pass,
            format!("{}写明了存在的问题和改进措施", subject.zh()),
            format!("{} names the problems and the measures", subject.en()),
        )
    };
    ctx.push(
        Some(&subject),
        status,
        Severity::Warning,
        Vec::new(),
        (Some(format!("≥ {SEC5_MIN_CHARS}")), Some(chars.to_string())),
        Text::new(zh, en),
    );
}

/// How many blank or placeholder cells a finding lists; the count covers them all.
const BLANKS_LISTED: usize = 30;

/// Blank and placeholder cells of tables 3 and 4, counted, so that a table with half its cells
/// empty is visible at a glance (each check they touch says “not assessable” on its own).
fn t34_blank(ctx: &mut Ctx<'_>) {
    // The sub-rows of a group printed as one row are not printed at all: not counted blank.
    let printed = |id: &str| !matches!(ctx.report.cell(id), Cell::Blank);
    let by_group: Vec<&str> = ctx
        .cat
        .t3_groups
        .iter()
        .filter(|g| g.printed_alone(printed))
        .flat_map(|g| g.parts.iter().copied())
        .collect();
    let blank: Vec<&str> = [TableId::T3, TableId::T4]
        .into_iter()
        .flat_map(|t| ctx.cat.table_cells(t))
        .filter(|d| !by_group.contains(&d.row_key))
        .filter(|d| ctx.report.cell(&d.id).is_empty_like())
        .map(|d| d.id.as_str())
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
