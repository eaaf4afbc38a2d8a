//! Findings: what a rule concluded about a report, with every cell involved and its value.
//!
//! A finding is data: its rule, status and severity, its subject and cells as references into the
//! catalogue, and its numbers. Labels and messages are rendered from them, in either language,
//! only when the finding is printed or written ([`Finding::text`], its `Serialize`), so that a
//! batch that only counts most of its checks never builds their words.

use crate::catalogue::{CellDef, T2Block, T2Row, TableId, catalogue};
use crate::report::Report;
use crate::value::{Cell, Num};
use crate::version::{FormatVersion, Lang};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
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
    /// Keyed by catalogue ids, which importers pass as `&'static str` (no copy per cell); the
    /// locations are shared with the findings that name their cells.
    cells: rustc_hash::FxHashMap<Cow<'static, str>, Arc<Location>>,
}

impl SourceMap {
    /// Makes room for `n` more cells (a reader that locates every cell of the form knows how
    /// many it will record).
    pub fn reserve(&mut self, n: usize) {
        self.cells.reserve(n);
    }

    /// Records where a cell came from.
    pub fn insert(&mut self, id: impl Into<Cow<'static, str>>, location: Location) {
        self.cells.insert(id.into(), Arc::new(location));
    }

    /// Records where a cell came from, sharing a location already made (the cells of many
    /// reports filled in one template are at the same places).
    pub fn insert_shared(&mut self, id: impl Into<Cow<'static, str>>, location: Arc<Location>) {
        self.cells.insert(id.into(), location);
    }

    /// Where a cell came from.
    pub fn get(&self, id: &str) -> Option<&Location> {
        self.cells.get(id).map(|l| &**l)
    }

    /// Where a cell came from, shared (a finding that names the cell keeps it without a copy).
    pub fn get_shared(&self, id: &str) -> Option<&Arc<Location>> {
        self.cells.get(id)
    }

    /// Puts the source location into every cell of every finding.
    pub fn locate(&self, findings: &mut [Finding]) {
        for f in findings {
            for c in &mut f.cells {
                if c.location.is_none() && c.report.is_none() {
                    c.location = self.cells.get(c.id.as_str()).cloned();
                }
            }
        }
    }
}

/// The source locations that the findings of a batch keep, each kept once: department workbooks
/// filled in one template name the same cells at the same places (`表三!C8`), so a batch that
/// keeps thousands of findings holds a few hundred locations. Shared between threads.
#[derive(Debug, Default)]
pub struct SharedLocations(std::sync::Mutex<rustc_hash::FxHashSet<Arc<Location>>>);

impl SharedLocations {
    /// Points every located cell of the findings that did not pass (those a batch keeps) at the
    /// batch's copy of its location.
    pub fn share(&self, findings: &mut [Finding]) {
        // A poisoned lock only means another thread panicked; the set itself is whole.
        let mut set = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let kept = findings.iter_mut().filter(|f| f.status != Status::Pass);
        for c in kept.flat_map(|f| f.cells.iter_mut()) {
            if let Some(l) = &mut c.location {
                match set.get(&**l) {
                    Some(kept) => *l = Arc::clone(kept),
                    None => {
                        set.insert(Arc::clone(l));
                    }
                }
            }
        }
    }

    /// How many distinct locations are kept.
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |s| s.len())
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Which cell a finding names: a catalogue entry (its labels are the catalogue's, not copied), or
/// an id the catalogue does not list.
#[derive(Clone)]
pub enum CellId {
    /// A cell of the catalogue.
    Listed(&'static CellDef),
    /// An id that no catalogue lists (its labels are empty).
    Unlisted(Box<str>),
}

impl CellId {
    /// The cell of `version`'s catalogue with this id, or an unlisted id.
    pub fn of(version: FormatVersion, id: &str) -> Self {
        match catalogue(version).cell(id) {
            Some(def) => CellId::Listed(def),
            None => CellId::Unlisted(id.into()),
        }
    }

    /// The catalogue id.
    pub fn as_str(&self) -> &str {
        match self {
            CellId::Listed(def) => &def.id,
            CellId::Unlisted(id) => id,
        }
    }

    /// The catalogue entry, for a listed cell.
    pub fn def(&self) -> Option<&'static CellDef> {
        match self {
            CellId::Listed(def) => Some(def),
            CellId::Unlisted(_) => None,
        }
    }
}

impl PartialEq for CellId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for CellId {}

impl PartialEq<str> for CellId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CellId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for CellId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cell named by a finding: which cell, and its state and value in the report checked. Its
/// table and labels come from the catalogue when the finding is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// Catalogue id.
    pub id: CellId,
    /// `number`, `blank`, `placeholder` or `text`.
    pub state: &'static str,
    /// The number, when the cell holds one.
    pub value: Option<Num>,
    /// The text as found, when it is not the plain number.
    pub raw: Option<Box<str>>,
    /// Whether the rule counted this blank or placeholder as 0 (`--blank-as-zero`).
    pub counted_as_zero: bool,
    /// Where the cell is in the source file (shared with the report's [`SourceMap`]).
    pub location: Option<Arc<Location>>,
    /// Whose cell it is, when a finding compares two reports; absent for the report checked.
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
        CellRef::with_cell(report.meta.format, id, report.cell(id))
    }

    /// A reference to a cell of a report in `version` that holds `cell` (looked up once by the
    /// caller).
    pub fn with_cell(version: FormatVersion, id: &str, cell: &Cell) -> Self {
        let raw = match cell {
            Cell::Number { raw, .. } => raw.as_deref().map(Box::from),
            Cell::Blank => None,
            Cell::Placeholder { raw } | Cell::Text { raw } => Some(raw.as_str().into()),
        };
        CellRef {
            id: CellId::of(version, id),
            state: cell.state(),
            value: cell.value(),
            raw,
            counted_as_zero: false,
            location: None,
            report: None,
        }
    }

    /// The table (table 2 for an id no catalogue lists).
    pub fn table(&self) -> TableId {
        self.id.def().map_or(TableId::T2, |d| d.table)
    }

    /// The official row label path (empty for table 4 and unlisted ids).
    pub fn row_label(&self, lang: Lang) -> String {
        self.id.def().map(|d| d.row_label(lang)).unwrap_or_default()
    }

    /// The official column label path (empty for unlisted ids).
    pub fn column_label(&self, lang: Lang) -> String {
        self.id.def().map(|d| d.column_label(lang)).unwrap_or_default()
    }

    /// The short name of messages (`（一）予以公开 × 自然人`), or the id of an unlisted cell.
    pub fn short_label(&self, lang: Lang) -> String {
        match self.id.def() {
            Some(d) => d.short_label(lang),
            None => self.id.as_str().to_string(),
        }
    }

    /// Where the cell is in the source file.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_deref()
    }

    /// `自然人 = 80` style display of the value.
    pub fn value_text(&self, lang: Lang) -> String {
        match (&self.value, self.state, lang) {
            (Some(v), _, _) => match &self.raw {
                Some(r) if **r != *v.to_string() => format!("{v}（{r}）"),
                _ => v.to_string(),
            },
            (None, "blank", Lang::Zh) => "空白".into(),
            (None, "blank", Lang::En) => "blank".into(),
            (None, _, _) => format!("“{}”", self.raw.as_deref().unwrap_or_default()),
        }
    }

    /// Whether a rule could not count this cell: blank or a placeholder not counted as 0.
    fn is_uncounted_empty(&self) -> bool {
        matches!(self.state, "blank" | "placeholder") && !self.counted_as_zero
    }
}

/// Up to six cells by their short names (`自然人 × 予以公开、…等8个`).
pub(crate) fn list_cells<'a>(cells: impl IntoIterator<Item = &'a CellRef>, lang: Lang) -> String {
    const MAX: usize = 6;
    let sep = if lang == Lang::Zh { "、" } else { "; " };
    let mut out = String::new();
    let mut n = 0;
    for c in cells {
        if n < MAX {
            if n > 0 {
                out.push_str(sep);
            }
            out.push_str(&c.short_label(lang));
        }
        n += 1;
    }
    if n > MAX {
        out.push_str(sep);
        match lang {
            Lang::Zh => out.push_str(&format!("等{n}个")),
            Lang::En => out.push_str(&format!("and {} more", n - MAX)),
        }
    }
    out
}

/// What a finding is about: a column, a row, a group, a cell, a section. The catalogue's
/// subjects are borrowed from it; others are named when the finding is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// The column, row or group of an identity of the catalogue.
    Listed(TableId, &'static crate::identity::Subject),
    /// A row of a table-2 block: `表二第二十条第（五）项「行政许可」`.
    T2Row(&'static T2Block, &'static T2Row),
    /// One cell: `表二「行政许可 × 本年处理决定数量」`.
    Cell(&'static CellDef),
    /// Named by static words.
    Fixed(&'static FixedSubject),
    /// Named when the finding was made.
    Named(Box<NamedSubject>),
}

/// A subject named by static words.
#[derive(Debug, PartialEq, Eq)]
pub struct FixedSubject {
    /// The table, if any.
    pub table: Option<TableId>,
    /// The official label.
    pub label: &'static str,
    /// How a message names it in Chinese.
    pub zh: &'static str,
    /// How a message names it in English.
    pub en: &'static str,
}

/// A subject named when its finding was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSubject {
    /// The table, if any.
    pub table: Option<TableId>,
    /// The official label (what `subject` says in the JSON).
    pub label: Cow<'static, str>,
    /// How a message names it in Chinese.
    pub zh: Cow<'static, str>,
    /// How a message names it in English.
    pub en: Cow<'static, str>,
}

impl Subject {
    /// A subject named by its label and by how a message names it in each language.
    pub fn new(
        table: Option<TableId>,
        label: impl Into<Cow<'static, str>>,
        zh: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) -> Self {
        Subject::Named(Box::new(NamedSubject {
            table,
            label: label.into(),
            zh: zh.into(),
            en: en.into(),
        }))
    }

    /// A subject known only by its label (messages name it by the label too).
    pub fn label_only(table: Option<TableId>, label: impl Into<Cow<'static, str>>) -> Self {
        let label = label.into();
        Subject::new(table, label.clone(), label.clone(), label)
    }

    /// The table, if any.
    pub fn table(&self) -> Option<TableId> {
        match self {
            Subject::Listed(t, _) => Some(*t),
            Subject::T2Row(..) => Some(TableId::T2),
            Subject::Cell(def) => Some(def.table),
            Subject::Fixed(s) => s.table,
            Subject::Named(s) => s.table,
        }
    }

    /// The official label: what the JSON's `subject` says.
    pub fn label(&self) -> Cow<'_, str> {
        match self {
            Subject::Listed(_, s) => Cow::Borrowed(&s.label),
            Subject::T2Row(_, row) => Cow::Borrowed(row.label.zh),
            Subject::Cell(def) => Cow::Owned(def.short_label(Lang::Zh)),
            Subject::Fixed(s) => Cow::Borrowed(s.label),
            Subject::Named(s) => Cow::Borrowed(&s.label),
        }
    }

    /// How a message names it in Chinese.
    pub fn zh(&self) -> Cow<'_, str> {
        self.name(Lang::Zh)
    }

    /// How a message names it in English.
    pub fn en(&self) -> Cow<'_, str> {
        self.name(Lang::En)
    }

    /// How a message names it.
    pub fn name(&self, lang: Lang) -> Cow<'_, str> {
        match (self, lang) {
            (Subject::Listed(_, s), Lang::Zh) => Cow::Borrowed(&s.zh),
            (Subject::Listed(_, s), Lang::En) => Cow::Borrowed(&s.en),
            (Subject::T2Row(block, row), Lang::Zh) => {
                Cow::Owned(format!("表二{}「{}」", block.caption.zh, row.label.zh))
            }
            (Subject::T2Row(block, row), Lang::En) => {
                Cow::Owned(format!("Table 2 {}, “{}”", block.caption.en, row.label.en))
            }
            (Subject::Cell(def), _) => Cow::Owned(format!(
                "{}{}{}{}",
                def.table.name(lang),
                if lang == Lang::Zh { "「" } else { " “" },
                def.short_label(lang),
                if lang == Lang::Zh { "」" } else { "”" }
            )),
            (Subject::Fixed(s), Lang::Zh) => Cow::Borrowed(s.zh),
            (Subject::Fixed(s), Lang::En) => Cow::Borrowed(s.en),
            (Subject::Named(s), Lang::Zh) => Cow::Borrowed(&s.zh),
            (Subject::Named(s), Lang::En) => Cow::Borrowed(&s.en),
        }
    }
}

impl From<String> for Subject {
    /// A subject known only by its label.
    fn from(label: String) -> Self {
        Subject::label_only(None, label)
    }
}

/// A figure a finding expected or found: a number, or a few words (`≥ 0`, `有数据`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// A number.
    Num(Num),
    /// Words.
    Text(Cow<'static, str>),
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Num(n) => fmt::Display::fmt(n, f),
            Figure::Text(t) => f.write_str(t),
        }
    }
}

impl From<Num> for Figure {
    fn from(n: Num) -> Self {
        Figure::Num(n)
    }
}

impl From<String> for Figure {
    fn from(s: String) -> Self {
        Figure::Text(Cow::Owned(s))
    }
}

impl From<&'static str> for Figure {
    fn from(s: &'static str) -> Self {
        Figure::Text(Cow::Borrowed(s))
    }
}

impl PartialEq<&str> for Figure {
    fn eq(&self, other: &&str) -> bool {
        match self {
            Figure::Text(t) => t == other,
            Figure::Num(n) => n.to_string() == *other,
        }
    }
}

/// How one side of a comparison is called in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideName {
    /// Static words, or words of the catalogue.
    Static(&'static str, &'static str),
    /// Words made when the finding was (they name a year).
    Owned(Box<Text>),
}

impl From<(&'static str, &'static str)> for SideName {
    fn from((zh, en): (&'static str, &'static str)) -> Self {
        SideName::Static(zh, en)
    }
}

impl From<(String, String)> for SideName {
    fn from((zh, en): (String, String)) -> Self {
        SideName::Owned(Box::new(Text { zh, en }))
    }
}

impl SideName {
    fn get(&self, lang: Lang) -> &str {
        match (self, lang) {
            (SideName::Static(zh, _), Lang::Zh) => zh,
            (SideName::Static(_, en), Lang::En) => en,
            (SideName::Owned(t), lang) => t.get(lang),
        }
    }
}

/// What a finding says, as data: rendered with [`Finding::text`] in the language asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Words made when the finding was (importers, and the rarer findings of rules).
    Text(Text),
    /// Static words.
    Fixed(&'static str, &'static str),
    /// The subject cannot be checked: its cells that are not numbers, blank or placeholders are
    /// named from the finding's cells; `overflow` says a sum went out of range.
    NotAssessable {
        /// A sum went out of range.
        overflow: bool,
    },
    /// `found` (the left side) against `expected` (the right side): equal when the finding
    /// passed, with the difference when it failed.
    Compare {
        /// The left side's name.
        lhs: SideName,
        /// The right side's name.
        rhs: SideName,
    },
}

impl From<Text> for Message {
    fn from(t: Text) -> Self {
        Message::Text(t)
    }
}

/// What a rule concluded about one thing (a column, a row, a cell, a section).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "FindingRecord")]
pub struct Finding {
    /// The rule's stable id (`T3-BAL`).
    pub rule: Cow<'static, str>,
    /// Severity of a failure of this check.
    pub severity: Severity,
    /// Pass, fail or not assessable.
    pub status: Status,
    /// The table checked, if any.
    pub table: Option<TableId>,
    /// What was checked: a column, row, group or section.
    pub subject: Option<Subject>,
    /// Every cell involved, with its value.
    pub cells: Vec<CellRef>,
    /// What the rule expected.
    pub expected: Option<Figure>,
    /// What was found.
    pub found: Option<Figure>,
    /// The finding in words, as data.
    pub message: Message,
}

impl Finding {
    /// A finding about no particular subject or cell, with its words.
    pub fn new(rule: impl Into<Cow<'static, str>>, severity: Severity, status: Status, message: Text) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            status,
            table: None,
            subject: None,
            cells: Vec::new(),
            expected: None,
            found: None,
            message: Message::Text(message),
        }
    }

    /// Whether this finding makes `validate` fail: a failed error, or a failed warning when strict.
    pub fn is_failure(&self, strict: bool) -> bool {
        self.status == Status::Fail
            && (self.severity == Severity::Error || (strict && self.severity == Severity::Warning))
    }

    /// What the rule expected, in words (the JSON's `expected`).
    pub fn expected_text(&self) -> Option<String> {
        self.expected.as_ref().map(ToString::to_string)
    }

    /// What was found, in words (the JSON's `found`).
    pub fn found_text(&self) -> Option<String> {
        self.found.as_ref().map(ToString::to_string)
    }

    /// The official label of the subject (the JSON's `subject`).
    pub fn subject_label(&self) -> Option<Cow<'_, str>> {
        self.subject.as_ref().map(Subject::label)
    }

    /// The finding in words, in `lang`.
    pub fn text(&self, lang: Lang) -> Cow<'_, str> {
        let mut out = match &self.message {
            Message::Text(t) => return Cow::Borrowed(t.get(lang)),
            Message::Fixed(zh, en) => match lang {
                Lang::Zh => Cow::Borrowed(*zh),
                Lang::En => Cow::Borrowed(*en),
            },
            Message::NotAssessable { overflow } => Cow::Owned(self.not_assessable(*overflow, lang)),
            Message::Compare { lhs, rhs } => Cow::Owned(self.comparison(lhs, rhs, lang)),
        };
        let zeroed = self.cells.iter().filter(|c| c.counted_as_zero).count();
        if zeroed > 0 {
            let note = match lang {
                Lang::Zh => format!("（按0计的空白或占位单元格：{zeroed}个）"),
                Lang::En => format!(" ({zeroed} blank or placeholder cell(s) counted as 0)"),
            };
            out.to_mut().push_str(&note);
        }
        out
    }

    /// The finding in words, in both languages.
    pub fn texts(&self) -> Text {
        Text::new(self.text(Lang::Zh), self.text(Lang::En))
    }

    /// Adds words to the message (the message is rendered once, then kept as words).
    pub fn append(&mut self, zh: &str, en: &str) {
        let mut t = self.texts();
        t.zh.push_str(zh);
        t.en.push_str(en);
        self.message = Message::Text(t);
    }

    fn subject_name(&self, lang: Lang) -> Cow<'_, str> {
        self.subject.as_ref().map_or(Cow::Borrowed(""), |s| s.name(lang))
    }

    fn not_assessable(&self, overflow: bool, lang: Lang) -> String {
        let text = self.cells.iter().filter(|c| c.state == "text");
        let empty = self.cells.iter().filter(|c| c.is_uncounted_empty());
        let subject = self.subject_name(lang);
        let (mut s, sep) = match lang {
            Lang::Zh => (format!("{subject}无法核对："), "；"),
            Lang::En => (format!("{subject} cannot be checked: "), "; "),
        };
        let mut parts: Vec<String> = Vec::new();
        if self.cells.iter().any(|c| c.state == "text") {
            let names = list_cells(text, lang);
            parts.push(match lang {
                Lang::Zh => format!("{names}不是数字"),
                Lang::En => format!("not a number in {names}"),
            });
        }
        if self.cells.iter().any(CellRef::is_uncounted_empty) {
            let names = list_cells(empty, lang);
            parts.push(match lang {
                Lang::Zh => format!("{names}为空白或占位符（空白不等于0，如确为0可用 --blank-as-zero 按0计）"),
                Lang::En => {
                    format!("blank or placeholder in {names} (a blank is not 0; use --blank-as-zero to count it as 0)")
                }
            });
        }
        if overflow {
            parts.push(match lang {
                Lang::Zh => "数值超出范围".to_string(),
                Lang::En => "a value is out of range".to_string(),
            });
        }
        s.push_str(&parts.join(sep));
        s
    }

    fn comparison(&self, lhs: &SideName, rhs: &SideName, lang: Lang) -> String {
        let subject = self.subject_name(lang);
        let (l, r) = (lhs.get(lang), rhs.get(lang));
        let (lv, rv) = (Figures(self.found.as_ref()), Figures(self.expected.as_ref()));
        match (self.status, lang) {
            (Status::Fail, _) => {
                let diff = match (&self.found, &self.expected) {
                    (Some(Figure::Num(a)), Some(Figure::Num(b))) => {
                        a.checked_sub(*b).map(|d| d.to_string()).unwrap_or_default()
                    }
                    _ => String::new(),
                };
                match lang {
                    Lang::Zh => format!("{subject}：{l}为 {lv}，应等于{r} {rv}（相差 {diff}）"),
                    Lang::En => format!("{subject}: {l} is {lv} but should equal {r}, {rv} (difference {diff})"),
                }
            }
            (_, Lang::Zh) => format!("{subject}：{l}（{lv}）等于{r}（{rv}）"),
            (_, Lang::En) => format!("{subject}: {l} ({lv}) equals {r} ({rv})"),
        }
    }
}

/// An optional figure, displayed as nothing when absent.
struct Figures<'a>(Option<&'a Figure>);

impl fmt::Display for Figures<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(x) => fmt::Display::fmt(x, f),
            None => Ok(()),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule, self.text(Lang::Zh))
    }
}

// ───────────────────────────── the written form ─────────────────────────────
//
// `--json` writes a finding with its labels and message in words: the shape of `FindingRecord`,
// which also documents it in `schemas/findings.schema.json` and reads it back.

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Words<'a> {
            zh: Cow<'a, str>,
            en: Cow<'a, str>,
        }
        #[derive(Serialize)]
        struct Out<'a> {
            rule: &'a str,
            severity: Severity,
            status: Status,
            #[serde(skip_serializing_if = "Option::is_none")]
            table: Option<TableId>,
            #[serde(skip_serializing_if = "Option::is_none")]
            subject: Option<Cow<'a, str>>,
            #[serde(skip_serializing_if = "<[CellRef]>::is_empty")]
            cells: &'a [CellRef],
            #[serde(skip_serializing_if = "Option::is_none", serialize_with = "figure")]
            expected: Option<&'a Figure>,
            #[serde(skip_serializing_if = "Option::is_none", serialize_with = "figure")]
            found: Option<&'a Figure>,
            message: Words<'a>,
        }
        Out {
            rule: &self.rule,
            severity: self.severity,
            status: self.status,
            table: self.table,
            subject: self.subject_label(),
            cells: &self.cells,
            expected: self.expected.as_ref(),
            found: self.found.as_ref(),
            message: Words {
                zh: self.text(Lang::Zh),
                en: self.text(Lang::En),
            },
        }
        .serialize(s)
    }
}

fn figure<S: Serializer>(f: &Option<&Figure>, s: S) -> Result<S::Ok, S::Error> {
    match f {
        Some(f) => s.collect_str(f),
        None => s.serialize_none(),
    }
}

impl Serialize for CellRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a> {
            id: &'a str,
            table: TableId,
            row_label: String,
            column_label: String,
            state: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            value: Option<Num>,
            #[serde(skip_serializing_if = "Option::is_none")]
            raw: Option<&'a str>,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            counted_as_zero: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            location: Option<&'a Location>,
            #[serde(skip_serializing_if = "Option::is_none")]
            report: Option<ReportRole>,
        }
        Out {
            id: self.id.as_str(),
            table: self.table(),
            row_label: self.row_label(Lang::Zh),
            column_label: self.column_label(Lang::Zh),
            state: self.state,
            value: self.value,
            raw: self.raw.as_deref(),
            counted_as_zero: self.counted_as_zero,
            location: self.location.as_deref(),
            report: self.report,
        }
        .serialize(s)
    }
}

impl JsonSchema for Finding {
    fn schema_name() -> Cow<'static, str> {
        FindingRecord::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        FindingRecord::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        FindingRecord::json_schema(generator)
    }
}

/// What a rule concluded about one thing (a column, a row, a cell, a section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Finding")]
struct FindingRecord {
    /// The rule's stable id (`T3-BAL`).
    rule: String,
    /// Severity of a failure of this check.
    severity: Severity,
    /// Pass, fail or not assessable.
    status: Status,
    /// The table checked, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    table: Option<TableId>,
    /// What was checked: a column, row, group or section, in official wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// Every cell involved, with its value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    cells: Vec<CellRecord>,
    /// What the rule expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<String>,
    /// What was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    found: Option<String>,
    /// The finding in words.
    message: Text,
}

/// A cell named by a finding, with its labels and value, so that the finding reads on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CellRef")]
struct CellRecord {
    /// Catalogue id.
    id: String,
    /// The table.
    table: TableId,
    /// Official row label path (empty for table 4).
    row_label: String,
    /// Official column label path.
    column_label: String,
    /// `number`, `blank`, `placeholder` or `text`.
    state: String,
    /// The number, when the cell holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<Num>,
    /// The text as found, when it is not the plain number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    raw: Option<String>,
    /// Whether the rule counted this blank or placeholder as 0 (`--blank-as-zero`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    counted_as_zero: bool,
    /// Where the cell is in the source file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<Location>,
    /// Whose cell it is, when a finding compares two reports; absent for the report checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    report: Option<ReportRole>,
}

impl From<FindingRecord> for Finding {
    fn from(r: FindingRecord) -> Self {
        Finding {
            rule: Cow::Owned(r.rule),
            severity: r.severity,
            status: r.status,
            table: r.table,
            subject: r.subject.map(|s| Subject::label_only(r.table, s)),
            cells: r.cells.into_iter().map(CellRef::from).collect(),
            expected: r.expected.map(Figure::from),
            found: r.found.map(Figure::from),
            message: Message::Text(r.message),
        }
    }
}

impl From<CellRecord> for CellRef {
    /// The cell of the catalogue whose id and labels the record names (either version), or an
    /// unlisted id.
    fn from(r: CellRecord) -> Self {
        let id = [FormatVersion::V2021, FormatVersion::V2019]
            .into_iter()
            .filter_map(|v| catalogue(v).cell(&r.id))
            .find(|d| d.row_label(Lang::Zh) == r.row_label && d.column_label(Lang::Zh) == r.column_label)
            .map_or_else(|| CellId::Unlisted(r.id.as_str().into()), CellId::Listed);
        let state = match r.state.as_str() {
            "number" => "number",
            "blank" => "blank",
            "placeholder" => "placeholder",
            _ => "text",
        };
        CellRef {
            id,
            state,
            value: r.value,
            raw: r.raw.map(String::into_boxed_str),
            counted_as_zero: r.counted_as_zero,
            location: r.location.map(Arc::new),
            report: r.report,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(status: Status, sheet: &str, cell: &str) -> Finding {
        let mut report = Report::new(crate::report::Meta::new("甲局", 2023, FormatVersion::V2021));
        report.cells.set("t3.granted.total", Cell::Blank);
        let mut f = Finding::new("T3-BAL", Severity::Error, status, Text::new("", ""));
        let mut c = CellRef::of(&report, "t3.granted.total");
        c.location = Some(Arc::new(Location::sheet_cell(sheet, cell)));
        f.cells.push(c);
        f
    }

    #[test]
    fn a_batch_keeps_each_location_once() {
        let shared = SharedLocations::default();
        let mut a = vec![located(Status::NotAssessable, "表三", "C8")];
        let mut b = vec![
            located(Status::NotAssessable, "表三", "C8"),
            located(Status::Fail, "表三", "D8"),
        ];
        let mut passed = vec![located(Status::Pass, "表三", "C8")];
        shared.share(&mut a);
        shared.share(&mut b);
        shared.share(&mut passed);
        let loc = |f: &Finding| f.cells[0].location.clone().expect("located");
        assert!(Arc::ptr_eq(&loc(&a[0]), &loc(&b[0])));
        assert_eq!(shared.len(), 2, "C8 once, D8 once; passes are not kept by a batch");
        assert!(!Arc::ptr_eq(&loc(&a[0]), &loc(&passed[0])));
        assert_eq!(
            b[1].cells[0].location().map(|l| l.display(Lang::Zh)).as_deref(),
            Some("表三!D8")
        );
    }

    #[test]
    fn a_not_assessable_finding_names_its_blank_and_text_cells_in_either_language() {
        let mut report = Report::new(crate::report::Meta::new("甲局", 2023, FormatVersion::V2021));
        report.cells.set("t3.granted.total", Cell::Blank);
        report
            .cells
            .set("t3.new_received.total", Cell::Text { raw: "约5".into() });
        report.cells.set("t3.carried_over.total", Cell::number(Num::int(2)));
        let mut f = Finding::new("T3-BAL", Severity::Error, Status::NotAssessable, Text::new("", ""));
        f.message = Message::NotAssessable { overflow: false };
        f.subject = Some(Subject::new(
            Some(TableId::T3),
            "总计",
            "表三「总计」列",
            "Table 3, column “总计”",
        ));
        f.cells = ["t3.granted.total", "t3.new_received.total", "t3.carried_over.total"]
            .iter()
            .map(|id| CellRef::of(&report, id))
            .collect();
        let zh = f.text(Lang::Zh);
        assert!(zh.starts_with("表三「总计」列无法核对："), "{zh}");
        let text_cell = f.cells[1].short_label(Lang::Zh);
        let blank_cell = f.cells[0].short_label(Lang::Zh);
        assert!(
            zh.contains(&format!("：{text_cell}不是数字；{blank_cell}为空白或占位符")),
            "{zh}"
        );
        assert!(!zh.ends_with('；'), "{zh}");
        let en = f.text(Lang::En);
        assert!(
            en.starts_with("Table 3, column “总计” cannot be checked: not a number in "),
            "{en}"
        );
        assert!(en.contains("blank or placeholder in "), "{en}");
        // Counted as 0, a blank is no longer named, and the message says how many were counted.
        f.cells[0].counted_as_zero = true;
        let zh = f.text(Lang::Zh);
        assert!(
            !zh.contains("为空白或占位符") && zh.ends_with("（按0计的空白或占位单元格：1个）"),
            "{zh}"
        );
    }

    #[test]
    fn findings_read_back_from_their_json_write_the_same_json() {
        let mut report = Report::new(crate::report::Meta::new("甲局", 2023, FormatVersion::V2021));
        report.cells.set("t3.new_received.total", Cell::number(Num::int(5)));
        report
            .cells
            .set("t3.carried_over.total", Cell::Placeholder { raw: "/".into() });
        report
            .cells
            .set("t3.granted.natural_person", Cell::Text { raw: "约3".into() });
        let findings = crate::rules::check(&report, &Default::default());
        assert!(
            findings
                .iter()
                .any(|f| f.status == Status::NotAssessable && !f.cells.is_empty())
        );
        let written = serde_json::to_string(&findings).expect("written");
        let read: Vec<Finding> = serde_json::from_str(&written).expect("read back");
        assert_eq!(serde_json::to_string(&read).expect("written again"), written);
    }
}
