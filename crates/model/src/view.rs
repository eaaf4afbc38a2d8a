//! What a front end shows of a checked report, in one language: the verdict in words, each
//! finding's tag, message and cells with their official labels, values and places in the source.
//! The command line prints it (`validate`), the web page draws it; the words are written once,
//! here.

use crate::finding::{CellRef, Finding, Severity, Status};
use crate::output::Outcome;
use crate::version::{FormatVersion, Lang};
use serde::Serialize;

impl Outcome {
    /// The verdict as `validate` and `aggregate` show it: `✔ 通过`, `⚠ 部分无法核对（3 项）`,
    /// `✘ 不通过`, `✘ 无法读取` (its [`mark`](Self::mark) and [`verdict`](Self::verdict)). A
    /// report of which some checks could not be made is never shown as a plain pass.
    pub fn shown(self, unassessed: usize, lang: Lang) -> String {
        format!("{} {}", self.mark(), self.verdict(unassessed, lang))
    }

    /// Why a report is partly not assessable, with what the user can do.
    pub fn partial_reason(unassessed: usize, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "有 {unassessed} 项核对因所需单元格空白、为占位符（如“/”“无”）或无法读取而无法进行；请补填，或确认空白即为0后使用 --blank-as-zero"
            ),
            Lang::En => format!(
                "{unassessed} checks could not be made because cells they need are blank, placeholders (such as “/”) or unreadable; fill them in, or use --blank-as-zero if blank means 0"
            ),
        }
    }
}

/// The kind of a finding's tag, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    /// A check that passed.
    Pass,
    /// A check that could not be made.
    NotAssessable,
    /// A failed check of severity error.
    Error,
    /// A failed warning or information.
    Warning,
}

/// A finding as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingView {
    /// The rule's id.
    pub rule: String,
    /// `错误`, `警告`, `无法核对`, `通过` (or the English words).
    pub tag: String,
    /// What the tag is.
    pub kind: TagKind,
    /// The finding in words.
    pub text: String,
    /// Its cells.
    pub cells: Vec<CellView>,
}

/// A cell of a finding as shown to people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellView {
    /// The catalogue id (the `data-cell` of the `html` exporter's form).
    pub id: String,
    /// `行标签 × 列标签`, or the column label alone.
    pub label: String,
    /// The value as found (`80`, `空白`, `“/”`), with `（按0计）` when counted as 0.
    pub value: String,
    /// Where it is in the source (`表三!E12`, `第12行`), when known.
    pub place: Option<String>,
    /// Whose cell it is when the finding compares two reports (`上一年度`); absent for the
    /// report itself.
    pub report: Option<String>,
}

impl FindingView {
    /// The finding of a report in `format`, in `lang`.
    pub fn new(f: &Finding, format: FormatVersion, lang: Lang) -> Self {
        let (tag, kind) = match (f.status, f.severity) {
            (Status::Pass, _) => (Status::Pass.name(lang), TagKind::Pass),
            (Status::NotAssessable, _) => (Status::NotAssessable.name(lang), TagKind::NotAssessable),
            (Status::Fail, Severity::Error) => (Severity::Error.name(lang), TagKind::Error),
            (Status::Fail, s) => (s.name(lang), TagKind::Warning),
        };
        FindingView {
            rule: f.rule.to_string(),
            tag: tag.to_string(),
            kind,
            text: f.text(lang).into_owned(),
            cells: f.cells.iter().map(|c| CellView::new(c, format, lang)).collect(),
        }
    }
}

impl CellView {
    /// A cell of a finding of a report in `format`, in `lang`.
    pub fn new(c: &CellRef, format: FormatVersion, lang: Lang) -> Self {
        let cat = crate::catalogue::catalogue(format);
        // The official labels travel with the finding; English labels come from the catalogue.
        let (row, col) = match (lang, cat.cell(c.id.as_str())) {
            (Lang::En, Some(def)) => (def.row_label(lang), def.column_label(lang)),
            _ => (c.row_label(Lang::Zh), c.column_label(Lang::Zh)),
        };
        let label = if row.is_empty() { col } else { format!("{row} × {col}") };
        let zero = match (c.counted_as_zero, lang) {
            (false, _) => "",
            (true, Lang::Zh) => "（按0计）",
            (true, Lang::En) => " (counted as 0)",
        };
        CellView {
            id: c.id.as_str().to_string(),
            label,
            value: format!("{}{zero}", c.value_text(lang)),
            place: c.location.as_ref().map(|l| l.display(lang)).filter(|p| !p.is_empty()),
            report: c.report.map(|r| r.name(lang).to_string()),
        }
    }
}

/// A line saying where the year and agency were taken from, when that was not the file's own
/// content (a file or folder name, a sheet name, the command line).
pub fn origins_note(origins: &crate::report::Origins, lang: Lang) -> Option<String> {
    use crate::report::OriginKind::{CommandLine, FileName, Folder, SheetName};
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    for (what_zh, what_en, origin) in [("年度", "year", &origins.year), ("机关名称", "agency", &origins.agency)] {
        if let Some(o) = origin
            && matches!(o.from, FileName | Folder | SheetName | CommandLine)
        {
            parts.push(if zh {
                format!("{what_zh}取自{}", o.describe(true))
            } else {
                format!("{what_en} taken from {}", o.describe(false))
            });
        }
    }
    (!parts.is_empty()).then(|| parts.join(if zh { "；" } else { "; " }))
}

/// A report's result as shown to people, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportView {
    /// The verdict ([`Outcome::mark`]).
    pub mark: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// `机关 2023年度（2021版格式）`.
    pub head: String,
    /// Where the year and agency were taken from, when not from the file's content.
    pub note: Option<String>,
    /// Why it is partly not assessable, when it is.
    pub partial: Option<String>,
    /// The findings shown (those that did not pass, or all).
    pub findings: Vec<FindingView>,
    /// `错误 1，警告 0，提示 0，无法核对 2，通过 40`.
    pub counts: String,
}

impl ReportView {
    /// The view of `r` in `lang`; passed checks too when `all`.
    pub fn new(r: &crate::output::ReportResult, lang: Lang, all: bool) -> Self {
        let zh = lang == Lang::Zh;
        let unassessed = Outcome::unassessed(&r.findings);
        let year = crate::report::year_text(r.year, lang);
        let head = if zh {
            format!("{} {year}（{}版格式）", r.agency, r.format.code())
        } else {
            format!("{} {year} ({} format)", r.agency, r.format.code())
        };
        let c = r.counts;
        ReportView {
            mark: r.outcome.shown(unassessed, lang),
            outcome: r.outcome,
            head,
            note: origins_note(&r.origins, lang),
            partial: (r.outcome == Outcome::Partial).then(|| Outcome::partial_reason(unassessed, lang)),
            findings: r
                .findings
                .iter()
                .filter(|f| all || f.status != Status::Pass)
                .map(|f| FindingView::new(f, r.format, lang))
                .collect(),
            counts: if zh {
                format!(
                    "错误 {}，警告 {}，提示 {}，无法核对 {}，通过 {}",
                    c.errors, c.warnings, c.infos, c.not_assessable, c.passed
                )
            } else {
                format!(
                    "{} errors, {} warnings, {} infos, {} not assessable, {} passed",
                    c.errors, c.warnings, c.infos, c.not_assessable, c.passed
                )
            },
        }
    }
}

/// The first line of a batch's result (`aggregate`): files, reports by outcome, files not read.
pub fn batch_summary(s: &crate::output::Summary, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "共 {} 个文件：读取 {} 份报告（通过 {}，部分无法核对 {}，不通过 {}），无法读取 {} 个文件，未读取 {} 个文件",
            s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable, s.skipped
        ),
        Lang::En => format!(
            "{} files: {} reports read ({} passed, {} partly not assessable, {} failed), {} files unreadable, {} not read",
            s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable, s.skipped
        ),
    }
}

/// The rules that failed in a report, with how often: `T3-BAL（2）、T3-ROWSUM（1）`.
pub fn failed_rules(findings: &[Finding], lang: Lang) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for f in findings.iter().filter(|f| f.status == Status::Fail) {
        *counts.entry(&*f.rule).or_default() += 1;
    }
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    counts
        .iter()
        .map(|(r, n)| {
            if lang == Lang::Zh {
                format!("{r}（{n}）")
            } else {
                format!("{r} ({n})")
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}
