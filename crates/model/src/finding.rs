//! Findings: what a rule concluded about a report, with every cell involved and its value.

use crate::catalogue::{TableId, catalogue};
use crate::report::Report;
use crate::value::{Cell, Num};
use crate::version::Lang;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a failed rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// An arithmetic impossibility or a missing part: the report is wrong.
    Error,
    /// Implausible or non-standard, but possibly legitimate.
    Warning,
    /// For information.
    Info,
}

impl Severity {
    /// 错误 / 警告 / 提示, or the English word.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Info, Lang::Zh) => "提示",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Info, Lang::En) => "info",
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The check holds.
    Pass,
    /// The check does not hold.
    Fail,
    /// The check could not be made: an operand is blank, a placeholder or text.
    NotAssessable,
}

impl Status {
    /// 通过 / 不通过 / 无法核对, or the English words.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Pass, Lang::Zh) => "通过",
            (Status::Fail, Lang::Zh) => "不通过",
            (Status::NotAssessable, Lang::Zh) => "无法核对",
            (Status::Pass, Lang::En) => "pass",
            (Status::Fail, Lang::En) => "fail",
            (Status::NotAssessable, Lang::En) => "not assessable",
        }
    }
}

/// A text in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Where a value came from in the source file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Worksheet name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// A1 address in the sheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Line number (1-based) in a text or CSV file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Column number (1-based) on that line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// JSON pointer in a JSON file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl Location {
    /// A worksheet cell.
    pub fn sheet_cell(sheet: impl Into<String>, cell: impl Into<String>) -> Self {
        Location {
            sheet: Some(sheet.into()),
            cell: Some(cell.into()),
            ..Default::default()
        }
    }

    /// A line of a text file.
    pub fn line(line: u64) -> Self {
        Location {
            line: Some(line),
            ..Default::default()
        }
    }

    /// A JSON pointer.
    pub fn pointer(pointer: impl Into<String>) -> Self {
        Location {
            pointer: Some(pointer.into()),
            ..Default::default()
        }
    }

    /// `表三!E12`, `表格2第5行第3列`, `第143行`, `line 143`, `/cells/t3.granted.total`.
    pub fn display(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Location {
                    sheet: Some(s),
                    cell: Some(c),
                    ..
                },
                _,
            ) => format!("{s}!{c}"),
            // A cell of a numbered table in a document (a Word table): its row and column.
            (
                Location {
                    sheet: Some(s),
                    line: Some(l),
                    column: Some(c),
                    ..
                },
                Lang::Zh,
            ) => format!("{s}第{l}行第{c}列"),
            (
                Location {
                    sheet: Some(s),
                    line: Some(l),
                    column: Some(c),
                    ..
                },
                Lang::En,
            ) => format!("{s}, row {l}, column {c}"),
            // A line of a named text inside the file (the text of an HTML page).
            (
                Location {
                    sheet: Some(s),
                    line: Some(l),
                    ..
                },
                Lang::Zh,
            ) => format!("{s}第{l}行"),
            (
                Location {
                    sheet: Some(s),
                    line: Some(l),
                    ..
                },
                Lang::En,
            ) => format!("{s}, line {l}"),
            (Location { sheet: Some(s), .. }, _) => s.clone(),
            (
                Location {
                    line: Some(l),
                    column: Some(c),
                    ..
                },
                Lang::Zh,
            ) => format!("第{l}行第{c}列"),
            (
                Location {
                    line: Some(l),
                    column: Some(c),
                    ..
                },
                Lang::En,
            ) => format!("line {l}, column {c}"),
            (Location { line: Some(l), .. }, Lang::Zh) => format!("第{l}行"),
            (Location { line: Some(l), .. }, Lang::En) => format!("line {l}"),
            (Location { pointer: Some(p), .. }, _) => p.clone(),
            _ => String::new(),
        }
    }
}

/// Where each cell of a report came from, filled by the importer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    /// Keyed by catalogue ids, which importers pass as `&'static str` (no copy per cell).
    cells: rustc_hash::FxHashMap<std::borrow::Cow<'static, str>, Location>,
}

impl SourceMap {
    /// Records where a cell came from.
    pub fn insert(&mut self, id: impl Into<std::borrow::Cow<'static, str>>, location: Location) {
        self.cells.insert(id.into(), location);
    }

    /// Where a cell came from.
    pub fn get(&self, id: &str) -> Option<&Location> {
        self.cells.get(id)
    }

    /// Puts the source location into every cell of every finding.
    pub fn locate(&self, findings: &mut [Finding]) {
        for f in findings {
            for c in &mut f.cells {
                if c.location.is_none() && c.report.is_none() {
                    c.location = self.get(&c.id).cloned();
                }
            }
        }
    }
}

/// A cell named by a finding, with its labels and value, so that the finding reads on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellRef {
    /// Catalogue id.
    pub id: String,
    /// The table.
    pub table: TableId,
    /// Official row label path (empty for table 4).
    pub row_label: String,
    /// Official column label path.
    pub column_label: String,
    /// `number`, `blank`, `placeholder` or `text`.
    pub state: String,
    /// The number, when the cell holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Num>,
    /// The text as found, when it is not the plain number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// Whether the rule counted this blank or placeholder as 0 (`--blank-as-zero`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub counted_as_zero: bool,
    /// Where the cell is in the source file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Whose cell it is, when a finding compares two reports; absent for the report checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<ReportRole>,
}

/// The other report of a cross-report finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportRole {
    /// The same agency's report for the previous year.
    Previous,
    /// The cell-wise sum of the children's reports.
    ChildrenSum,
}

impl ReportRole {
    /// 上一年度 / 下属单位合计, or the English words.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReportRole::Previous, Lang::Zh) => "上一年度",
            (ReportRole::ChildrenSum, Lang::Zh) => "下属单位合计",
            (ReportRole::Previous, Lang::En) => "previous year",
            (ReportRole::ChildrenSum, Lang::En) => "sum of children",
        }
    }
}

impl CellRef {
    /// A reference to a cell of a report. Unknown ids give a reference with empty labels.
    pub fn of(report: &Report, id: &str) -> Self {
        let def = catalogue(report.meta.format).cell(id);
        let cell = report.cell(id);
        let raw = match cell {
            Cell::Number { raw, .. } => raw.clone(),
            Cell::Blank => None,
            Cell::Placeholder { raw } | Cell::Text { raw } => Some(raw.clone()),
        };
        CellRef {
            id: id.to_string(),
            table: def.map(|d| d.table).unwrap_or(TableId::T2),
            row_label: def.map(|d| d.row_label(Lang::Zh)).unwrap_or_default(),
            column_label: def.map(|d| d.column_label(Lang::Zh)).unwrap_or_default(),
            state: cell.state().to_string(),
            value: cell.value(),
            raw,
            counted_as_zero: false,
            location: None,
            report: None,
        }
    }

    /// `自然人 = 80` style display of the value.
    pub fn value_text(&self, lang: Lang) -> String {
        match (&self.value, self.state.as_str(), lang) {
            (Some(v), _, _) => match &self.raw {
                Some(r) if r != &v.to_string() => format!("{v}（{r}）"),
                _ => v.to_string(),
            },
            (None, "blank", Lang::Zh) => "空白".into(),
            (None, "blank", Lang::En) => "blank".into(),
            (None, _, _) => format!("“{}”", self.raw.clone().unwrap_or_default()),
        }
    }
}

/// What a rule concluded about one thing (a column, a row, a cell, a section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule's stable id (`T3-BAL`).
    pub rule: String,
    /// Severity of a failure of this check.
    pub severity: Severity,
    /// Pass, fail or not assessable.
    pub status: Status,
    /// The table checked, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TableId>,
    /// What was checked: a column, row, group or section, in official wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Every cell involved, with its value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<CellRef>,
    /// What the rule expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
    /// The finding in words.
    pub message: Text,
}

impl Finding {
    /// Whether this finding makes `validate` fail: a failed error, or a failed warning when strict.
    pub fn is_failure(&self, strict: bool) -> bool {
        self.status == Status::Fail
            && (self.severity == Severity::Error || (strict && self.severity == Severity::Warning))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule, self.message.zh)
    }
}
