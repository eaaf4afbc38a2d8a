//! Finding the three tables of the form in grids of text cells, whatever the layout, and reading
//! them into a [`Report`].
//!
//! A [`Grid`] is a sparse rectangle of text cells, each with the [`Location`] to report it by,
//! plus merged regions. Spreadsheet sheets become grids (one per sheet), and so can HTML tables
//! (expand `rowspan`/`colspan` either by repeating the text in every covered position or by
//! recording a [`Merge`]; both read the same). Nothing here knows about file formats.
//!
//! How the tables are found — by their labels, never by fixed addresses:
//! - **Table 3**: the row labelled `一、本年新收政府信息公开申请数量` is the first data row;
//!   the header rows above it name the columns; the rows below it, up to
//!   `四、结转下年度继续办理`, are matched one by one.
//! - **Table 4**: the header naming `未经复议直接起诉`; the row below its lowest header row holds
//!   the 15 numbers.
//! - **Table 2**: each row label (`规章`, `行政许可`, …) and, above it, the header row of its block.
//!
//! Labels match after [`comparable_label`] (full/half width, line breaks, spaces, quotes), with a
//! local gloss in brackets allowed after the official text, and flattened paths allowed
//! (`三、本年度办理结果（三）不予公开1.属于国家秘密` in one cell). Group headers (`行政诉讼`,
//! `（三）不予公开`) disambiguate labels that repeat (`结果维持` under three groups); they may be
//! merged cells, repeated texts, or a text followed by empty cells to its right.
//!
//! A table, row or column that cannot be found is an [`ImportError`] naming it. A row inside a
//! table that is not in the catalogue (a local addition) is a warning finding
//! [`EXTRA_ROW_RULE`]; rows below a table's last official row (notes, check rows) are ignored.

use crate::labels::{comparable_catalogue_label, comparable_label};
use crate::values::parse_cell;
use crate::{ErrorKind, ImportError, Imported};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;
use xxgk_model::catalogue::{
    ADMIN_LEVELS, CellDef, INFO_SHEET, META_AGENCY, META_AGENCY_VARIANTS, META_FORMAT, META_LEVEL, META_PARENT,
    META_PREAMBLE, META_PUBLISHED, META_REGION, META_TITLE, META_YEAR, META_YEAR_VARIANTS, T2_LABEL_HEADER,
    TITLE_SUFFIX,
};
use xxgk_model::{
    Cells, Finding, FormatVersion, Label, Lang, Location, Meta, Origin, OriginKind, Report, Section, SectionKind,
    Severity, SourceMap, Status, TableId, Text, catalogue,
};

/// Rule id of the warning for a row inside a table that the official form does not have.
pub const EXTRA_ROW_RULE: &str = "IMPORT-EXTRA-ROW";
/// Import finding: a group of table 3 printed as one row, read as the group.
pub const GROUP_ROW_RULE: &str = "IMPORT-GROUP-ROW";
/// Rule id of the warning for basic information that could not be found (e.g. 机关名称).
pub const MISSING_INFO_RULE: &str = "IMPORT-MISSING-INFO";
/// Rule id of the warning when the format version written in the workbook disagrees with its tables.
pub const VERSION_MISMATCH_RULE: &str = "IMPORT-VERSION-MISMATCH";

/// How far above a first data row header rows are looked for.
const MAX_HEADER_ROWS: u32 = 6;
/// How many rows a table may have between its first and its last official row (extra rows included).
const MAX_TABLE_ROWS: u32 = 80;
/// How many columns right of a table's label are searched for data columns.
const MAX_TABLE_COLS: u32 = 60;
/// Longest flattened label accepted (bytes of normalised text before the official label).
const MAX_FLATTENED_PREFIX: usize = 150;

/// A rectangular region of merged cells; the text lives in its top-left cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row (0-based).
    pub first_row: u32,
    /// First column (0-based).
    pub first_col: u32,
    /// Last row (inclusive).
    pub last_row: u32,
    /// Last column (inclusive).
    pub last_col: u32,
}

impl Merge {
    fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

#[derive(Debug, Clone)]
struct GridCell {
    text: String,
    /// The normalised text of a label; empty for a plain number, whose normal form is its text
    /// (see [`GridCell::comparable_text`]).
    comparable: String,
    location: Option<Location>,
    /// Whether the text can be a label: a plain number (most cells of a filled form) cannot,
    /// so label searches skip it.
    label: bool,
}

impl GridCell {
    /// The normalised text: a plain number's is its text, which is not stored twice.
    fn comparable_text(&self) -> &str {
        if self.label { &self.comparable } else { &self.text }
    }
}

/// A sparse grid of text cells: one worksheet, or one HTML table expanded to a rectangle.
#[derive(Debug, Clone)]
pub struct Grid {
    name: String,
    a1: bool,
    /// By position: the matcher looks cells up by position thousands of times per workbook.
    cells: FxHashMap<(u32, u32), GridCell>,
    /// Where the cells that can be labels are, in the order they were set (row by row for a
    /// sheet); `labels_sorted` says whether that is still row-major order.
    label_positions: Vec<(u32, u32)>,
    labels_sorted: bool,
    merges: Vec<Merge>,
    /// Every position a merged region covers → the region (the first one added, should two
    /// overlap): the matcher asks for the text at empty positions thousands of times, and a
    /// linear search of 100,000 regions each time took minutes.
    covered: FxHashMap<(u32, u32), u32>,
    /// The first region anchored at each top-left position.
    anchored: FxHashMap<(u32, u32), u32>,
    /// Regions too large to list position by position (searched in turn; at most [`MAX_LARGE_MERGES`]).
    large: Vec<u32>,
    /// Regions not kept because the limits below were reached.
    dropped_merges: usize,
    max_row: u32,
    max_col: u32,
}

/// A merged region covering more positions than this is searched rather than listed.
const LARGE_MERGE: u64 = 65_536;
/// Most positions listed for the merged regions of one grid.
const MAX_COVERED: usize = 2_000_000;
/// Most large merged regions of one grid.
const MAX_LARGE_MERGES: usize = 64;

impl Grid {
    /// A worksheet: every position is located as `sheet!A1`.
    pub fn sheet(name: impl Into<String>) -> Self {
        Grid {
            name: name.into(),
            a1: true,
            cells: FxHashMap::default(),
            label_positions: Vec::new(),
            labels_sorted: true,
            merges: Vec::new(),
            covered: FxHashMap::default(),
            anchored: FxHashMap::default(),
            large: Vec::new(),
            dropped_merges: 0,
            max_row: 0,
            max_col: 0,
        }
    }

    /// A grid whose cells carry their own locations (e.g. a line in an HTML file); positions
    /// without a cell are located by `name` alone.
    pub fn new(name: impl Into<String>) -> Self {
        Grid {
            a1: false,
            ..Grid::sheet(name)
        }
    }

    /// The grid's name (the sheet name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the text of a cell. `location` overrides the default (`sheet!A1` for sheets).
    /// Empty texts are not stored.
    pub fn set(&mut self, row: u32, col: u32, text: impl Into<String>, location: Option<Location>) {
        let text = text.into();
        if text.trim().is_empty() {
            return;
        }
        // Digits, points and minus signs normalise to themselves.
        let number = text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        let comparable = if number { String::new() } else { comparable_label(&text) };
        self.max_row = self.max_row.max(row);
        self.max_col = self.max_col.max(col);
        let was_label = self
            .cells
            .insert(
                (row, col),
                GridCell {
                    text,
                    comparable,
                    location,
                    label: !number,
                },
            )
            .is_some_and(|old| old.label);
        if !number && !was_label {
            if self.label_positions.last().is_some_and(|&last| last >= (row, col)) {
                self.labels_sorted = false;
            }
            self.label_positions.push((row, col));
        }
    }

    /// Whether a text is set at exactly (row, col) (merged regions not resolved).
    pub fn has(&self, row: u32, col: u32) -> bool {
        self.cells.contains_key(&(row, col))
    }

    /// Records a merged region. A region past the grid's limits (more than 2,000,000 positions
    /// covered in all, more than 64 regions of over 65,536 positions) is not kept and counted
    /// in [`Grid::dropped_merges`], which a reader turns into an error.
    pub fn add_merge(&mut self, merge: Merge) {
        if merge.last_row < merge.first_row || merge.last_col < merge.first_col {
            self.dropped_merges += 1;
            return;
        }
        let Ok(index) = u32::try_from(self.merges.len()) else {
            self.dropped_merges += 1;
            return;
        };
        let area = u64::from(merge.last_row - merge.first_row + 1) * u64::from(merge.last_col - merge.first_col + 1);
        if area > LARGE_MERGE || self.covered.len() as u64 + area > MAX_COVERED as u64 {
            if self.large.len() >= MAX_LARGE_MERGES {
                self.dropped_merges += 1;
                return;
            }
            self.large.push(index);
        } else {
            for r in merge.first_row..=merge.last_row {
                for c in merge.first_col..=merge.last_col {
                    self.covered.entry((r, c)).or_insert(index);
                }
            }
        }
        self.anchored.entry((merge.first_row, merge.first_col)).or_insert(index);
        self.merges.push(merge);
    }

    /// How many merged regions were kept.
    pub fn merge_count(&self) -> usize {
        self.merges.len()
    }

    /// How many merged regions were not kept because of the grid's limits.
    pub fn dropped_merges(&self) -> usize {
        self.dropped_merges
    }

    /// The merged region anchored at (row, col), if any.
    fn merge_anchored_at(&self, row: u32, col: u32) -> Option<&Merge> {
        self.anchored.get(&(row, col)).map(|&i| &self.merges[i as usize])
    }

    /// The last row and the last column that hold a cell (0-based; (0, 0) when empty).
    pub fn extent(&self) -> (u32, u32) {
        (self.max_row, self.max_col)
    }

    /// Number of non-empty cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether the grid has no non-empty cell.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The position holding the text shown at (row, col): the top-left of its merged region.
    fn anchor(&self, row: u32, col: u32) -> (u32, u32) {
        if self.cells.contains_key(&(row, col)) {
            return (row, col);
        }
        let found = match self.covered.get(&(row, col)) {
            Some(&i) => Some(&self.merges[i as usize]),
            None => self
                .large
                .iter()
                .map(|&i| &self.merges[i as usize])
                .find(|m| m.contains(row, col)),
        };
        found.map_or((row, col), |m| (m.first_row, m.first_col))
    }

    /// The text shown at (row, col), merged regions resolved ("" when empty).
    pub fn text(&self, row: u32, col: u32) -> &str {
        self.cells.get(&self.anchor(row, col)).map_or("", |c| c.text.as_str())
    }

    /// The comparable text at (row, col), merged regions resolved ("" when empty).
    fn comparable_at(&self, row: u32, col: u32) -> &str {
        self.cells
            .get(&self.anchor(row, col))
            .map_or("", GridCell::comparable_text)
    }

    /// Where (row, col) is, merged regions resolved to their top-left cell.
    pub fn location(&self, row: u32, col: u32) -> Location {
        let (r, c) = self.anchor(row, col);
        if let Some(l) = self.cells.get(&(r, c)).and_then(|c| c.location.clone()) {
            return l;
        }
        if self.a1 {
            Location::sheet_cell(&self.name, a1(r, c))
        } else {
            Location {
                sheet: Some(self.name.clone()),
                ..Default::default()
            }
        }
    }

    fn row_is_empty(&self, row: u32, cols: std::ops::RangeInclusive<u32>) -> bool {
        cols.into_iter().all(|c| self.comparable_at(row, c).is_empty())
    }

    /// The cells that can be labels, row by row.
    fn labels(&self) -> impl Iterator<Item = (u32, u32, &GridCell)> {
        // Cells are set row by row by every reader, so the list is nearly always in order; a
        // grid filled otherwise is ordered here, on a copy.
        let positions: Cow<'_, [(u32, u32)]> = if self.labels_sorted {
            Cow::Borrowed(&self.label_positions)
        } else {
            let mut sorted = self.label_positions.clone();
            sorted.sort_unstable();
            sorted.dedup();
            Cow::Owned(sorted)
        };
        (0..positions.len()).filter_map(move |i| {
            let (r, c) = positions[i];
            // A position set again with a number is no longer a label.
            self.cells
                .get(&(r, c))
                .filter(|cell| cell.label)
                .map(|cell| (r, c, cell))
        })
    }
}

/// `A1` address of a 0-based position.
pub fn a1(row: u32, col: u32) -> String {
    // Every cell read gets its address, so it is built in one allocation.
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        start -= 1;
        letters[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    let mut out = String::with_capacity(letters.len() - start + 10);
    out.extend(letters[start..].iter().map(|&b| char::from(b)));
    let _ = write!(out, "{}", u64::from(row) + 1);
    out
}

// ───────────────────────────── Label matching ─────────────────────────────

/// How well a normalised text names a normalised official label: 3 equal; 2 the official label
/// followed by a local gloss in brackets, or both equal once their trailing notes in brackets are
/// dropped (`(二)部分公开` for the official `(二)部分公开(区分处理的,…)`, `本年收费金额(万元)` for
/// `本年收费金额(单位:万元)`); 1 a flattened path ending with the label (or with the label
/// without its note); 0 no match.
pub fn match_score(found: &str, official: &str) -> u8 {
    score_with_bases(found, without_note(found), official, without_note(official))
}

/// [`match_score`] given both labels without their trailing notes, for callers that compare one
/// text with many labels (or one label with many texts) and take each base once.
fn score_with_bases(found: &str, found_base: &str, official: &str, official_base: &str) -> u8 {
    if found.is_empty() || official.is_empty() {
        return 0;
    }
    if found == official {
        return 3;
    }
    if found.starts_with(official) && found[official.len()..].starts_with('(') && found.ends_with(')') {
        return 2;
    }
    if found_base == official_base && (found_base.len() < found.len() || official_base.len() < official.len()) {
        return 2;
    }
    let flattened = |label: &str| {
        found.ends_with(label) && found.len() - label.len() <= MAX_FLATTENED_PREFIX && label.chars().count() >= 2
    };
    if flattened(official) || (official_base.len() < official.len() && flattened(official_base)) {
        1
    } else {
        0
    }
}

/// A normalised label without its trailing note in brackets: `本年收费金额(单位:万元)` →
/// `本年收费金额`. A label that is only a bracketed text, or starts with its bracket
/// (`(一)予以公开`), keeps it.
fn without_note(label: &str) -> &str {
    if !label.ends_with(')') {
        return label;
    }
    let mut depth = 0usize;
    for (i, c) in label.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return if i == 0 { label } else { &label[..i] };
                }
            }
            _ => {}
        }
    }
    label
}

/// A label path (outermost first) found for a row or a column.
struct Path<'a> {
    /// Distinct texts from outermost to innermost.
    parts: Vec<&'a str>,
}

impl Path<'_> {
    fn leaf(&self) -> &str {
        self.parts.last().copied().unwrap_or("")
    }

    /// Score of this path naming `labels` (outermost first, the last is the leaf): the leaf must
    /// match; each ancestor found as its own part, or inside a flattened leaf, adds to the score.
    fn score(&self, labels: &[String]) -> Option<u32> {
        let (leaf, ancestors) = labels.split_last()?;
        let leaf_score = match_score(self.leaf(), leaf);
        if leaf_score == 0 {
            return None;
        }
        let inner = self.parts.len().saturating_sub(1);
        let found = ancestors
            .iter()
            .filter(|a| {
                self.parts[..inner].iter().any(|p| match_score(p, a) >= 2)
                    || (leaf_score == 1 && self.leaf().contains(a.as_str()))
            })
            .count() as u32;
        Some(u32::from(leaf_score) * 100 + found)
    }
}

fn push_part<'a>(parts: &mut Vec<&'a str>, text: &'a str) {
    if !text.is_empty() && parts.last() != Some(&text) {
        parts.push(text);
    }
}

/// The comparable form of each label of a path.
fn comparable_path(labels: &[Label]) -> Vec<String> {
    labels
        .iter()
        .map(|l| comparable_catalogue_label(l.zh).to_string())
        .collect()
}

/// Picks, for each candidate position, the catalogue entry it names best; each entry is taken
/// once, by the first position that names it best. Ties go to the first entry not yet taken, in
/// catalogue order, so that repeated labels without group headers still map left to right.
fn assign<K: Copy + PartialEq>(candidates: &[(u32, Vec<(K, u32)>)]) -> Vec<(u32, K)> {
    let mut taken: Vec<K> = Vec::new();
    let mut out = Vec::new();
    for (pos, scores) in candidates {
        let best = scores.iter().filter(|(k, _)| !taken.contains(k)).map(|(_, s)| *s).max();
        let Some(best) = best else { continue };
        if let Some((k, _)) = scores.iter().find(|(k, s)| *s == best && !taken.contains(k)) {
            taken.push(*k);
            out.push((*pos, *k));
        }
    }
    out
}

// ───────────────────────────── Reading a report ─────────────────────────────

/// The tables read from grids: cells by catalogue id, where each came from, and warnings.
#[derive(Debug, Clone)]
pub struct Tables {
    /// The format version the tables are laid out in.
    pub version: FormatVersion,
    /// The cells found (blank cells are absent, as in [`Cells`]).
    pub cells: Cells,
    /// Where every catalogue cell is, blank or not.
    pub sources: SourceMap,
    /// Warnings (extra rows).
    pub findings: Vec<Finding>,
}

/// The basic information and text sections found in grids.
#[derive(Debug, Clone, Default)]
pub struct InfoFound {
    /// 机关名称.
    pub agency: Option<String>,
    /// 年度.
    pub year: Option<u16>,
    /// Where the agency was found.
    pub agency_origin: Option<Origin>,
    /// Where the year was found.
    pub year_origin: Option<Origin>,
    /// 格式版本 as written.
    pub format: Option<FormatVersion>,
    /// 行政区划代码.
    pub region_code: Option<String>,
    /// 上级机关.
    pub parent_agency: Option<String>,
    /// 行政级别.
    pub level: Option<xxgk_model::AdminLevel>,
    /// 报告标题 as written in its own field.
    pub title_field: Option<String>,
    /// 发布日期.
    pub published: Option<String>,
    /// 前言.
    pub preamble: Option<String>,
    /// A title row, when found.
    pub title: Option<String>,
    /// Text sections with the heading as written.
    pub sections: Vec<(SectionKind, Section)>,
    /// Every section heading found, as written, whether or not a text follows it.
    pub headings: Vec<(SectionKind, String)>,
}

/// Reads one report from the grids of a file: basic information, text sections and the three
/// tables. `file` names the input in errors.
pub fn read_report(file: &str, grids: &[Grid]) -> Result<Imported, ImportError> {
    let info = read_info(grids);
    let version = detect_version(grids)
        .or(info.format)
        .or_else(|| info.year.and_then(FormatVersion::for_year))
        .ok_or_else(|| {
            ImportError::new(
                file,
                ErrorKind::Missing,
                None,
                "未找到年报表格：既没有“本年制发件数”（2021 版格式），也没有“本年新制作数量”（2019 版格式），也没有填写格式版本或年度",
                "no report tables found: neither “本年制发件数” (2021 format) nor “本年新制作数量” (2019 format), and no format version or year given",
            )
        })?;
    // An unknown year does not stop the tables: `metadata::complete` looks further and says so.
    let mut tables = read_tables(file, grids, version)?;
    let mut meta = Meta::new(info.agency.clone().unwrap_or_default(), 0, version);
    meta.year = info.year;
    meta.origins.year = info.year_origin.clone();
    meta.origins.agency = info.agency_origin.clone();
    // A workbook that carries no text at all (a statistics template) is tables only: its
    // sections are unknown rather than missing.
    meta.tables_only = info.preamble.is_none() && info.sections.iter().all(|(_, s)| s.text.trim().is_empty());
    meta.region_code = info.region_code.clone();
    meta.parent_agency = info.parent_agency.clone();
    meta.published = info.published.clone();
    meta.level = info.level;
    meta.title = match (&info.title_field, &info.title) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(t)) if *t != meta.standard_title() => Some(t.clone()),
        _ => None,
    };
    let mut report = Report::new(meta);
    report.preamble = info.preamble.clone();
    for (kind, section) in info.sections {
        *report.sections.slot(kind) = Some(section);
    }
    // Sections 二–四 are their tables, which were found: present even without text. A text
    // section (一, 五, 六) left empty is absent, so that the rules report it missing.
    for kind in SectionKind::ALL.into_iter().filter(|k| k.table().is_some()) {
        let slot = report.sections.slot(kind);
        if slot.is_none() {
            let heading = info
                .headings
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or_else(|| kind.heading().zh.to_string(), |(_, h)| h.clone());
            *slot = Some(Section {
                heading,
                text: String::new(),
            });
        }
    }
    report.cells = tables.cells;
    if info.agency.is_none() {
        tables.findings.push(warning(
            MISSING_INFO_RULE,
            None,
            None,
            format!("未找到{}：请在“{}”表填写", META_AGENCY.zh, INFO_SHEET.zh),
            format!(
                "the agency ({}) was not found: fill it in on the “{}” sheet",
                META_AGENCY.zh, INFO_SHEET.zh
            ),
        ));
    }
    if let Some(written) = info.format
        && written != version
    {
        tables.findings.push(warning(
            VERSION_MISMATCH_RULE,
            None,
            None,
            format!("工作簿写明的格式版本为 {written}，但表格是 {version} 格式，按表格读取"),
            format!(
                "the workbook says format {written}, but its tables are in the {version} layout; read as {version}"
            ),
        ));
    }
    Ok(Imported {
        report,
        sources: tables.sources,
        findings: tables.findings,
    })
}

fn warning(rule: &'static str, table: Option<TableId>, subject: Option<String>, zh: String, en: String) -> Finding {
    Finding {
        rule: rule.into(),
        severity: Severity::Warning,
        status: Status::Fail,
        table,
        subject: subject.map(Into::into),
        cells: Vec::new(),
        expected: None,
        found: None,
        message: Text::new(zh, en).into(),
    }
}

/// The format version the tables' labels show (format-spec §1.2), if any.
pub fn detect_version(grids: &[Grid]) -> Option<FormatVersion> {
    let count = |marks: &[(&str, &str)]| -> usize {
        grids
            .iter()
            .flat_map(|g| g.labels())
            .filter(|(_, _, c)| {
                let base = without_note(&c.comparable);
                marks
                    .iter()
                    .any(|(l, lb)| score_with_bases(&c.comparable, base, l, lb) > 0)
            })
            .count()
    };
    let (n19, n21) = (
        count(version_marks(FormatVersion::V2019)),
        count(version_marks(FormatVersion::V2021)),
    );
    match n21.cmp(&n19) {
        std::cmp::Ordering::Greater => Some(FormatVersion::V2021),
        std::cmp::Ordering::Less => Some(FormatVersion::V2019),
        std::cmp::Ordering::Equal => None,
    }
}

/// The normalised table labels of `v` that the other version does not have (computed once per
/// process): only these tell the versions apart.
fn version_marks(v: FormatVersion) -> &'static [(&'static str, &'static str)] {
    fn compute(v: FormatVersion) -> Vec<(&'static str, &'static str)> {
        let other = match v {
            FormatVersion::V2019 => FormatVersion::V2021,
            FormatVersion::V2021 => FormatVersion::V2019,
        };
        let labels_of = |v: FormatVersion| -> Vec<&'static str> {
            let cat = catalogue(v);
            cat.t2_blocks
                .iter()
                .flat_map(|b| b.columns.iter().map(|c| comparable_catalogue_label(c.label.zh)))
                .chain(cat.t3_rows.iter().map(|r| comparable_catalogue_label(r.label.zh)))
                .collect()
        };
        let theirs = labels_of(other);
        labels_of(v)
            .into_iter()
            .filter(|l| !theirs.contains(l))
            .map(|l| (l, without_note(l)))
            .collect()
    }
    static V2019: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| compute(FormatVersion::V2019));
    static V2021: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| compute(FormatVersion::V2021));
    match v {
        FormatVersion::V2019 => &V2019,
        FormatVersion::V2021 => &V2021,
    }
}

/// The value beside a label: the text after a colon in the same cell, or the next non-empty cell
/// to the right (within a few columns).
fn value_beside(g: &Grid, row: u32, col: u32, label_norm: &str) -> Option<(String, Location)> {
    let own = g.comparable_at(row, col);
    if own.len() > label_norm.len() {
        let text = g.text(row, col);
        if let Some((_, v)) = text.split_once(['：', ':']) {
            let v = v.trim();
            if !v.is_empty() {
                return Some((v.to_string(), g.location(row, col)));
            }
        }
    }
    let (ar, ac) = g.anchor(row, col);
    let end = g.merge_anchored_at(ar, ac).map_or(col, |m| m.last_col);
    (end + 1..=end + 3).find_map(|c| {
        let t = g.text(row, c).trim();
        (!t.is_empty()).then(|| (t.to_string(), g.location(row, c)))
    })
}

/// Reads the basic information and the text sections from wherever their labels are.
pub fn read_info(grids: &[Grid]) -> InfoFound {
    let mut info = InfoFound::default();
    let label_set = |main: &Label, variants: &[&'static str]| -> Vec<&'static str> {
        std::iter::once(main.zh)
            .chain(variants.iter().copied())
            .map(comparable_catalogue_label)
            .collect()
    };
    let agency = label_set(&META_AGENCY, META_AGENCY_VARIANTS);
    let year = label_set(&META_YEAR, META_YEAR_VARIANTS);
    let simple = [
        (comparable_catalogue_label(META_FORMAT.zh), 0),
        (comparable_catalogue_label(META_REGION.zh), 1),
        (comparable_catalogue_label(META_PARENT.zh), 2),
        (comparable_catalogue_label(META_PUBLISHED.zh), 3),
        (comparable_catalogue_label(META_PREAMBLE.zh), 4),
        (comparable_catalogue_label(META_LEVEL.zh), 5),
        (comparable_catalogue_label(META_TITLE.zh), 6),
    ];
    let title_suffix = comparable_catalogue_label(TITLE_SUFFIX);
    let mut title_at: Option<String> = None;
    for g in grids {
        for (r, c, cell) in g.labels() {
            let n = cell.comparable.as_str();
            let starts = |l: &&str| n == *l || (n.starts_with(*l) && n[l.len()..].starts_with(':'));
            if info.agency.is_none()
                && let Some(l) = agency.iter().find(|l| starts(l))
            {
                if let Some((v, at)) = value_beside(g, r, c, l) {
                    let at = at.display(xxgk_model::Lang::Zh);
                    // “某局（2023年度）”: the year written beside the name is the year.
                    let (name, year_note) = split_year_note(&v);
                    if info.year.is_none()
                        && let Some(y) = year_note
                    {
                        info.year = Some(y);
                        info.year_origin = Some(Origin::new(OriginKind::Field, at.clone()));
                    }
                    info.agency = Some(name).filter(|n| !n.is_empty());
                    info.agency_origin = info.agency.as_ref().map(|_| Origin::new(OriginKind::Field, at));
                }
            } else if info.year.is_none()
                && let Some(l) = year.iter().find(|l| starts(l))
            {
                if let Some((v, at)) = value_beside(g, r, c, l)
                    && let Some(y) = parse_year(&v)
                {
                    info.year = Some(y);
                    info.year_origin = Some(Origin::new(OriginKind::Field, at.display(xxgk_model::Lang::Zh)));
                }
            } else if let Some((l, which)) = simple.iter().find(|(l, _)| starts(l)) {
                let v = value_beside(g, r, c, l).map(|(v, _)| v);
                match which {
                    0 => info.format = info.format.or(v.as_deref().and_then(format_of)),
                    1 => info.region_code = info.region_code.take().or(v),
                    2 => info.parent_agency = info.parent_agency.take().or(v),
                    3 => info.published = info.published.take().or(v),
                    4 => info.preamble = info.preamble.take().or(v),
                    5 => {
                        let found = v.as_deref().and_then(|v| {
                            let n = comparable_label(v);
                            ADMIN_LEVELS
                                .iter()
                                .find(|(_, l)| comparable_catalogue_label(l.zh) == n)
                                .map(|(x, _)| *x)
                        });
                        info.level = info.level.or(found);
                    }
                    _ => info.title_field = info.title_field.take().or(v),
                }
            } else if let Some(kind) = crate::labels::section_of_comparable(n) {
                if !info.headings.iter().any(|(k, _)| *k == kind) {
                    info.headings.push((kind, cell.text.trim().to_string()));
                }
                let already = info.sections.iter().any(|(k, _)| *k == kind);
                if !already
                    && let Some((text, _)) = value_beside(g, r, c, n)
                    && crate::labels::section_of(&text).is_none()
                    && !text.starts_with("表格见")
                {
                    info.sections.push((
                        kind,
                        Section {
                            heading: cell.text.trim().to_string(),
                            text,
                        },
                    ));
                }
            } else if info.title.is_none() && n.ends_with(title_suffix) {
                info.title = Some(cell.text.trim().to_string());
                title_at = Some(g.location(r, c).display(xxgk_model::Lang::Zh));
            }
        }
    }
    let title_origin = || Origin::new(OriginKind::Title, title_at.clone().unwrap_or_default());
    if let Some(t) = &info.title
        && let Some((agency, year)) = split_title(t)
    {
        if info.year.is_none() {
            info.year = Some(year);
            info.year_origin = Some(title_origin());
        }
        if info.agency.is_none() && !agency.is_empty() {
            info.agency = Some(agency);
            info.agency_origin = Some(title_origin());
        }
    }
    if info.year.is_none() {
        year_from_title_rows(grids, &mut info);
    }
    info.sections.sort_by_key(|(k, _)| *k);
    info
}

/// Splits “某局（2023年度）” into the name and the year written beside it.
fn split_year_note(v: &str) -> (String, Option<u16>) {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(a) = v.rfind(open)
            && let Some(y) = crate::metadata::year_in(&v[a..])
        {
            let rest = &v[a + open.len_utf8()..];
            let end = rest
                .find(close)
                .map_or(v.len(), |e| a + open.len_utf8() + e + close.len_utf8());
            let mut name = v[..a].to_string();
            name.push_str(&v[end..]);
            return (name.trim().to_string(), Some(y));
        }
    }
    (v.trim().to_string(), None)
}

/// How long a cell may be and still read as a title row rather than a paragraph of text.
const TITLE_ROW_MAX_CHARS: usize = 80;

/// The year from a title row anywhere in the workbook (“某区某局2023年政府信息公开工作年度报告统计表”,
/// “2023年度政府信息公开情况统计表”), then from a sheet's name (“2023年”). A short cell that names
/// the report is a title; one naming only a year is taken when it is the only year in sight.
fn year_from_title_rows(grids: &[Grid], info: &mut InfoFound) {
    const NAMES_THE_REPORT: [&str; 6] = ["年度报告", "年报", "统计表", "情况表", "报表", "公开工作"];
    let mut candidates: Vec<(u8, u16, Origin, String)> = Vec::new();
    for g in grids {
        for (r, c, cell) in g.labels() {
            let text = cell.text.trim();
            // A sentence is text, not a title.
            if text.chars().count() > TITLE_ROW_MAX_CHARS || text.contains(['。', '；', '，']) {
                continue;
            }
            let Some(y) = crate::metadata::year_in(text) else {
                continue;
            };
            let rank = if NAMES_THE_REPORT.iter().any(|w| text.contains(w)) {
                0
            } else if text.contains("年度") || text.contains("统计") {
                1
            } else {
                continue;
            };
            let at = g.location(r, c).display(xxgk_model::Lang::Zh);
            candidates.push((rank, y, Origin::new(OriginKind::Title, at), text.to_string()));
        }
    }
    candidates.sort_by_key(|(rank, ..)| *rank);
    if let Some((rank, y, origin, text)) = candidates.first().cloned() {
        // Several different years in equally good places say nothing certain.
        let same_rank_years = candidates
            .iter()
            .filter(|(r, ..)| *r == rank)
            .map(|(_, y, ..)| *y)
            .collect::<std::collections::BTreeSet<_>>();
        if same_rank_years.len() == 1 {
            info.year = Some(y);
            info.year_origin = Some(origin.clone());
            if info.agency.is_none()
                && rank == 0
                && let (Some(agency), _) = crate::text::meta::agency_and_year(&text)
                && !agency.is_empty()
            {
                info.agency = Some(agency);
                info.agency_origin = Some(origin);
            }
            return;
        }
    }
    let sheet_years: std::collections::BTreeSet<u16> = grids
        .iter()
        .filter_map(|g| crate::metadata::year_in(g.name()).map(|y| (y, g.name())))
        .map(|(y, _)| y)
        .collect();
    if sheet_years.len() == 1
        && let Some(g) = grids.iter().find(|g| crate::metadata::year_in(g.name()).is_some())
    {
        info.year = sheet_years.first().copied();
        info.year_origin = Some(Origin::new(OriginKind::SheetName, g.name()));
    }
}

fn format_of(v: &str) -> Option<FormatVersion> {
    let digits: String = v.chars().filter(char::is_ascii_digit).take(4).collect();
    FormatVersion::from_code(&digits)
}

/// A four-digit year in 2000–2100 from a cell ("2023", "2023年", "２０２３").
fn parse_year(v: &str) -> Option<u16> {
    let n = comparable_label(v);
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    let y: u16 = digits.parse().ok()?;
    (2000..=2100).contains(&y).then_some(y)
}

/// `某局2023年政府信息公开工作年度报告` → (`某局`, 2023).
fn split_title(title: &str) -> Option<(String, u16)> {
    let t: String = title.split_whitespace().collect();
    let head = t.strip_suffix(TITLE_SUFFIX)?;
    let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let year: u16 = digits.chars().rev().collect::<String>().parse().ok()?;
    let agency = head[..head.len() - 4].to_string();
    (2000..=2100).contains(&year).then_some((agency, year))
}

/// Reads the tables of `grids` in place of those the text reader found in the same document (an
/// HTML page, a Word document): a grid keeps each cell's place, and the text's own table findings
/// described the fallback reading. On an error the text's reading stays as it was.
pub fn prefer_grid_tables(file: &str, grids: &[Grid], imported: &mut Imported) -> Result<(), ImportError> {
    let version = detect_version(grids).unwrap_or(imported.report.meta.format);
    let tables = read_tables(file, grids, version)?;
    imported.report.meta.format = version;
    imported.report.cells = tables.cells;
    imported.sources = tables.sources;
    imported.findings.retain(|f| f.table.is_none());
    imported.findings.extend(tables.findings);
    Ok(())
}

/// Reads the three tables of `version` from the grids.
pub fn read_tables(file: &str, grids: &[Grid], version: FormatVersion) -> Result<Tables, ImportError> {
    let mut out = Tables {
        version,
        cells: Cells::default(),
        sources: SourceMap::default(),
        findings: Vec::new(),
    };
    t2(file, grids, version, &mut out)?;
    t3(file, grids, version, &mut out)?;
    t4(file, grids, version, &mut out)?;
    out.cells
        .0
        .sort_by_key(|id, _| catalogue(version).position(id).unwrap_or(usize::MAX));
    Ok(out)
}

impl Tables {
    fn put(&mut self, g: &Grid, def: &'static CellDef, row: u32, col: u32) {
        let cell = parse_cell(g.text(row, col), def.kind);
        self.sources.insert(def.id.as_str(), g.location(row, col));
        if cell != xxgk_model::Cell::Blank {
            self.cells.set(def.id.clone(), cell);
        }
    }
}

fn missing(file: &str, at: Option<Location>, table: TableId, what_zh: &[String], what_en: &[String]) -> ImportError {
    let t = table.name(Lang::Zh);
    let te = table.name(Lang::En);
    let list = what_zh.join("；");
    let list_en = what_en.join("; ");
    ImportError::new(
        file,
        ErrorKind::Missing,
        at,
        format!("{t}中找不到：{list}"),
        format!("{te}: not found: {list_en}"),
    )
}

/// The first cell (grid by grid, row by row) whose label satisfies `pred`.
fn find_cell(grids: &[Grid], pred: impl Fn(&str) -> bool) -> Option<(usize, u32, u32)> {
    grids.iter().enumerate().find_map(|(i, g)| {
        g.labels()
            .find(|(_, _, c)| pred(&c.comparable))
            .map(|(r, c, _)| (i, r, c))
    })
}

/// Header rows above `first_data_row` (at most [`MAX_HEADER_ROWS`], stopping at an empty row).
fn header_rows(g: &Grid, first_data_row: u32, cols: std::ops::RangeInclusive<u32>) -> Vec<u32> {
    let mut rows = Vec::new();
    let mut r = first_data_row;
    while r > 0 && rows.len() < MAX_HEADER_ROWS as usize {
        r -= 1;
        if g.row_is_empty(r, cols.clone()) {
            break;
        }
        rows.push(r);
    }
    rows.reverse();
    rows
}

/// The label path of column `col` in `rows` (top to bottom). In every row but the lowest, an
/// empty cell takes the text to its left (a group header written once over several columns),
/// looking no further left than `from_col`.
fn column_path<'g>(g: &'g Grid, rows: &[u32], col: u32, from_col: u32) -> Path<'g> {
    let mut parts = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let mut t = g.comparable_at(r, col);
        if t.is_empty() && i + 1 < rows.len() {
            let mut c = col;
            while t.is_empty() && c > from_col {
                c -= 1;
                t = g.comparable_at(r, c);
            }
        }
        push_part(&mut parts, t);
    }
    Path { parts }
}

/// The lowest non-empty header text of a column (its own label).
fn column_leaf<'g>(g: &'g Grid, rows: &[u32], col: u32) -> &'g str {
    rows.iter()
        .rev()
        .map(|&r| g.comparable_at(r, col))
        .find(|t| !t.is_empty())
        .unwrap_or("")
}

// ───────────────────────────── Table 3 ─────────────────────────────

fn t3(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    let rows = cat.t3_rows;
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Ok(());
    };
    let first_norm = comparable_catalogue_label(first.label.zh).to_string();
    let Some((gi, anchor_row, label_col)) = find_cell(grids, |n| match_score(n, &first_norm) > 0) else {
        return Err(missing(
            file,
            None,
            TableId::T3,
            &[format!("首行“{}”", first.label.zh)],
            &[format!("its first row “{}”", first.label.zh)],
        ));
    };
    let g = &grids[gi];
    let last_col = g.max_col.min(label_col + MAX_TABLE_COLS);
    let hdr = header_rows(g, anchor_row, label_col..=last_col);
    // Columns: the catalogue's seven, by their leaf label and group headers.
    let columns: Vec<(&'static str, Vec<String>)> = {
        let mut seen: Vec<&'static str> = Vec::new();
        cat.table_cells(TableId::T3)
            .filter(|d| {
                let new = !seen.contains(&d.column_key);
                seen.push(d.column_key);
                new
            })
            .map(|d| (d.column_key, comparable_path(&d.column_path)))
            .collect()
    };
    let leaf_cols: Vec<u32> = (label_col + 1..=last_col)
        .filter(|&c| {
            let leaf = column_leaf(g, &hdr, c);
            columns
                .iter()
                .any(|(_, p)| p.last().is_some_and(|l| match_score(leaf, l) > 0))
        })
        .collect();
    let first_data_col = leaf_cols.first().copied().unwrap_or(label_col + 1);
    let candidates: Vec<(u32, Vec<(&'static str, u32)>)> = leaf_cols
        .iter()
        .map(|&c| {
            let path = column_path(g, &hdr, c, first_data_col);
            let mut leaf_only = Path {
                parts: path.parts.clone(),
            };
            // The leaf is the lowest text of the column itself, not one carried from the left.
            let own = column_leaf(g, &hdr, c);
            if leaf_only.leaf() != own {
                leaf_only.parts.push(own);
            }
            let scores = columns
                .iter()
                .filter_map(|(k, labels)| leaf_only.score(labels).map(|s| (*k, s)))
                .collect();
            (c, scores)
        })
        .collect();
    let col_of: Vec<(u32, &'static str)> = assign(&candidates);
    let missing_cols: Vec<&(&str, Vec<String>)> = columns
        .iter()
        .filter(|(k, _)| !col_of.iter().any(|(_, kk)| kk == k))
        .collect();
    if !missing_cols.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_cols
                .iter()
                .filter_map(|(k, _)| cat.table_cells(TableId::T3).find(|d| d.column_key == *k))
                .map(|d| format!("列“{}”", d.column_label(lang)))
                .collect()
        };
        return Err(missing(
            file,
            Some(g.location(anchor_row, label_col)),
            TableId::T3,
            &names(Lang::Zh),
            &names(Lang::En),
        ));
    }
    // Rows: from the anchor down to the last official row.
    let row_labels: Vec<(&'static str, Vec<String>)> = rows
        .iter()
        .map(|r| {
            let def = cat
                .table_cells(TableId::T3)
                .find(|d| d.row_key == r.key)
                .map(|d| comparable_path(&d.row_path))
                .unwrap_or_default();
            (r.key, def)
        })
        .collect();
    let last_norm = comparable_catalogue_label(last.label.zh).to_string();
    let mut found: Vec<(u32, &'static str)> = Vec::new();
    let mut extra: Vec<u32> = Vec::new();
    let mut empty_run = 0;
    let mut r = anchor_row;
    while r <= anchor_row + MAX_TABLE_ROWS && r <= g.max_row {
        let mut parts = Vec::new();
        for c in label_col..first_data_col {
            push_part(&mut parts, g.comparable_at(r, c));
        }
        let path = Path { parts };
        if path.parts.is_empty() {
            empty_run += usize::from(g.row_is_empty(r, label_col..=last_col));
            if empty_run >= 2 {
                break;
            }
            r += 1;
            continue;
        }
        empty_run = 0;
        let scores: Vec<(&'static str, u32)> = row_labels
            .iter()
            .filter(|(k, _)| !found.iter().any(|(_, f)| f == k))
            .filter_map(|(k, labels)| path.score(labels).map(|s| (*k, s)))
            .collect();
        match assign(&[(r, scores)]).first() {
            Some(&(row, key)) => found.push((row, key)),
            None => extra.push(r),
        }
        if match_score(path.leaf(), &last_norm) > 0 {
            break;
        }
        r += 1;
    }
    let mut missing_rows: Vec<&'static str> = rows
        .iter()
        .map(|r| r.key)
        .filter(|k| !found.iter().any(|(_, f)| f == k))
        .collect();
    // A group printed as one row instead of its sub-rows (（六）其他处理 alone): read into the
    // group's own cells when none of its sub-rows is there and exactly one extra row names it.
    let mut groups_found: Vec<(u32, &'static str)> = Vec::new();
    for group in cat.t3_groups {
        if !group.parts.iter().all(|p| missing_rows.contains(p)) {
            continue;
        }
        let Some(def) = cat.cell(&xxgk_model::catalogue::t3_id(
            group.key,
            xxgk_model::catalogue::T3_TOTAL,
        )) else {
            continue;
        };
        let labels = comparable_path(&def.row_path);
        let named: Vec<u32> = extra
            .iter()
            .copied()
            .filter(|&r| {
                let mut parts = Vec::new();
                for c in label_col..first_data_col {
                    push_part(&mut parts, g.comparable_at(r, c));
                }
                Path { parts }.score(&labels).is_some()
            })
            .collect();
        let [row] = named.as_slice() else { continue };
        extra.retain(|r| r != row);
        missing_rows.retain(|k| !group.parts.contains(k));
        groups_found.push((*row, group.key));
        let blank = xxgk_model::Report::new(xxgk_model::Meta::new("", 0, version));
        let mut finding = warning(
            GROUP_ROW_RULE,
            Some(TableId::T3),
            Some(group.label.zh.to_string()),
            format!(
                "{}：“{}”按一行印出、未分列其细项：按该组读入，细项各格留空，不作拆分",
                g.location(*row, label_col).display(Lang::Zh),
                group.label.zh
            ),
            format!(
                "{}: “{}” is printed as one row without its items: read as the group; the items are left blank, not split",
                g.location(*row, label_col).display(Lang::En),
                group.label.zh
            ),
        );
        finding.severity = Severity::Info;
        finding.status = Status::Pass;
        finding.cells = group
            .parts
            .iter()
            .flat_map(|p| {
                xxgk_model::catalogue::T3_COLUMNS
                    .iter()
                    .map(move |c| xxgk_model::catalogue::t3_id(p, c.key))
            })
            .map(|id| xxgk_model::CellRef::of(&blank, &id))
            .collect();
        out.findings.push(finding);
    }
    found.extend(groups_found);
    if !missing_rows.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_rows
                .iter()
                .filter_map(|k| cat.table_cells(TableId::T3).find(|d| d.row_key == *k))
                .map(|d| format!("行“{}”", d.row_label(lang)))
                .collect()
        };
        return Err(missing(
            file,
            Some(g.location(anchor_row, label_col)),
            TableId::T3,
            &names(Lang::Zh),
            &names(Lang::En),
        ));
    }
    for (row, key) in &found {
        for (col, ckey) in &col_of {
            if let Some(def) = cat.cell(&xxgk_model::catalogue::t3_id(key, ckey)) {
                out.put(g, def, *row, *col);
            }
        }
    }
    for r in extra {
        extra_row(out, g, TableId::T3, r, label_col, first_data_col);
    }
    Ok(())
}

fn extra_row(out: &mut Tables, g: &Grid, table: TableId, row: u32, label_col: u32, first_data_col: u32) {
    let label: String = (label_col..first_data_col.max(label_col + 1))
        .map(|c| g.text(row, c).trim())
        .filter(|t| !t.is_empty())
        .fold(Vec::<&str>::new(), |mut v, t| {
            if v.last() != Some(&t) {
                v.push(t);
            }
            v
        })
        .join(" / ");
    let at = g.location(row, label_col).display(Lang::Zh);
    out.findings.push(warning(
        EXTRA_ROW_RULE,
        Some(table),
        Some(label.clone()),
        format!(
            "{at}：“{label}”不是{}的官方行，已忽略（地方增加的行不计入报告）",
            table.name(Lang::Zh)
        ),
        format!(
            "{at}: “{label}” is not an official row of {}; ignored",
            table.name(Lang::En)
        ),
    ));
}

// ───────────────────────────── Table 4 ─────────────────────────────

fn t4(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    let defs: Vec<&CellDef> = cat.table_cells(TableId::T4).collect();
    // The group that only table 4 has.
    let marker = xxgk_model::catalogue::T4_GROUPS
        .iter()
        .find(|g| g.parent.is_some())
        .map(|g| comparable_catalogue_label(g.label.zh).to_string())
        .unwrap_or_default();
    // A header cell naming the group (alone, glossed, or ending a flattened header); failing
    // that, a short cell containing it. Long texts (a section mentioning 未经复议直接起诉) are
    // never the header.
    let anchor = find_cell(grids, |n| match_score(n, &marker) > 0)
        .or_else(|| find_cell(grids, |n| n.contains(marker.as_str()) && n.chars().count() <= 40));
    let Some((gi, mrow, _)) = anchor else {
        return Err(missing(
            file,
            None,
            TableId::T4,
            &["表头（行政复议、行政诉讼）".to_string()],
            &["its header (行政复议, 行政诉讼)".to_string()],
        ));
    };
    let g = &grids[gi];
    let leaves: Vec<String> = defs
        .iter()
        .filter_map(|d| d.column_leaf())
        .map(|l| comparable_catalogue_label(l.zh).to_string())
        .collect();
    let row_has_leaf =
        |r: u32| (0..=g.max_col).any(|c| leaves.iter().any(|l| match_score(g.comparable_at(r, c), l) > 0));
    let lowest = (mrow..=mrow + 3).filter(|&r| row_has_leaf(r)).max().unwrap_or(mrow);
    let data_row = lowest + 1;
    let all_cols = 0..=g.max_col.min(MAX_TABLE_COLS * 4);
    let hdr = header_rows(g, data_row, all_cols.clone());
    let def_paths: Vec<Vec<String>> = defs.iter().map(|d| comparable_path(&d.column_path)).collect();
    let candidates: Vec<(u32, Vec<(usize, u32)>)> = all_cols
        .clone()
        .filter_map(|c| {
            let own = column_leaf(g, &hdr, c);
            if own.is_empty() {
                return None;
            }
            let mut path = column_path(g, &hdr, c, 0);
            if path.leaf() != own {
                path.parts.push(own);
            }
            let scores: Vec<(usize, u32)> = def_paths
                .iter()
                .enumerate()
                .filter_map(|(i, labels)| path.score(labels).map(|s| (i, s)))
                .collect();
            (!scores.is_empty()).then_some((c, scores))
        })
        .collect();
    let assigned = assign(&candidates);
    let missing_defs: Vec<&&CellDef> = defs
        .iter()
        .enumerate()
        .filter(|(i, _)| !assigned.iter().any(|(_, k)| k == i))
        .map(|(_, d)| d)
        .collect();
    if !missing_defs.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_defs
                .iter()
                .map(|d| format!("列“{}”", d.column_label(lang)))
                .collect()
        };
        return Err(missing(
            file,
            Some(g.location(mrow, 0)),
            TableId::T4,
            &names(Lang::Zh),
            &names(Lang::En),
        ));
    }
    for (col, i) in assigned {
        out.put(g, defs[i], data_row, col);
    }
    Ok(())
}

// ───────────────────────────── Table 2 ─────────────────────────────

fn t2(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    // The grid with most table-2 row labels.
    let row_norms: Vec<(usize, usize, String)> = cat
        .t2_blocks
        .iter()
        .enumerate()
        .flat_map(|(bi, b)| {
            b.rows
                .iter()
                .enumerate()
                .map(move |(ri, r)| (bi, ri, comparable_catalogue_label(r.label.zh).to_string()))
        })
        .collect();
    let hits = |g: &Grid| {
        g.labels()
            .filter(|(_, _, c)| row_norms.iter().any(|(_, _, l)| match_score(&c.comparable, l) > 0))
            .count()
    };
    let Some(g) = grids
        .iter()
        .map(|g| (hits(g), g))
        .filter(|(n, _)| *n > 0)
        // The first of the grids with most hits (`max_by_key` would take the last).
        .fold(None::<(usize, &Grid)>, |best, (n, g)| match best {
            Some((b, _)) if b >= n => best,
            _ => Some((n, g)),
        })
        .map(|(_, g)| g)
    else {
        return Err(missing(
            file,
            None,
            TableId::T2,
            &[format!(
                "“{}”等行",
                cat.t2_blocks
                    .first()
                    .and_then(|b| b.rows.first())
                    .map_or("", |r| r.label.zh)
            )],
            &["its rows".to_string()],
        ));
    };
    // Where each row label is: the best match, the first in reading order on ties.
    let mut row_at: Vec<Option<(u32, u32)>> = vec![None; row_norms.len()];
    for (i, (_, _, l)) in row_norms.iter().enumerate() {
        let mut best: Option<(u8, u32, u32)> = None;
        for (r, c, cell) in g.labels() {
            let s = match_score(&cell.comparable, l);
            if s > 0 && best.is_none_or(|(b, _, _)| s > b) {
                best = Some((s, r, c));
            }
        }
        row_at[i] = best.map(|(_, r, c)| (r, c));
    }
    let missing_rows: Vec<usize> = (0..row_norms.len()).filter(|&i| row_at[i].is_none()).collect();
    if !missing_rows.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_rows
                .iter()
                .map(|&i| {
                    let (bi, ri, _) = &row_norms[i];
                    let b = &cat.t2_blocks[*bi];
                    format!("行“{} / {}”", b.caption.get(lang), b.rows[*ri].label.get(lang))
                })
                .collect()
        };
        return Err(missing(file, None, TableId::T2, &names(Lang::Zh), &names(Lang::En)));
    }
    let mut idx = 0;
    let mut official_rows: Vec<u32> = Vec::new();
    let mut label_cols: Vec<u32> = Vec::new();
    for block in cat.t2_blocks {
        let first = row_at[idx].unwrap_or_default();
        let col_labels: Vec<String> = block
            .columns
            .iter()
            .map(|c| comparable_catalogue_label(c.label.zh).to_string())
            .collect();
        // The header row: the nearest row above the block's first row naming its first column.
        let header = (first.0.saturating_sub(4)..first.0).rev().find(|&r| {
            (first.1 + 1..=g.max_col.min(first.1 + MAX_TABLE_COLS))
                .any(|c| match_score(g.comparable_at(r, c), &col_labels[0]) > 0)
        });
        let mut cols: Vec<Option<u32>> = vec![None; block.columns.len()];
        if let Some(h) = header {
            official_rows.push(h);
            for (ci, l) in col_labels.iter().enumerate() {
                cols[ci] = (first.1 + 1..=g.max_col.min(first.1 + MAX_TABLE_COLS))
                    .filter(|c| !cols.contains(&Some(*c)))
                    .find(|&c| match_score(g.comparable_at(h, c), l) > 0);
            }
            if h > 0
                && (0..=g.max_col)
                    .any(|c| match_score(g.comparable_at(h - 1, c), comparable_catalogue_label(block.caption.zh)) > 0)
            {
                official_rows.push(h - 1);
            }
        }
        let lost: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].is_none()).collect();
        if !lost.is_empty() {
            let names = |lang: Lang| -> Vec<String> {
                lost.iter()
                    .map(|&i| format!("列“{} / {}”", block.caption.get(lang), block.columns[i].label.get(lang)))
                    .collect()
            };
            return Err(missing(
                file,
                Some(g.location(first.0, first.1)),
                TableId::T2,
                &names(Lang::Zh),
                &names(Lang::En),
            ));
        }
        for r in block.rows {
            let (row, lc) = row_at[idx].unwrap_or_default();
            official_rows.push(row);
            label_cols.push(lc);
            for (c, col) in block.columns.iter().zip(&cols) {
                if let (Some(def), Some(col)) = (cat.cell(&xxgk_model::catalogue::t2_id(r.key, c.key)), col) {
                    out.put(g, def, row, *col);
                }
            }
            idx += 1;
        }
    }
    // Extra rows: labelled rows between the first and last official rows that are none of them.
    let label_col = label_cols.iter().copied().min().unwrap_or(0);
    let header_norm = comparable_catalogue_label(T2_LABEL_HEADER.zh).to_string();
    if let (Some(&top), Some(&bottom)) = (official_rows.iter().min(), official_rows.iter().max()) {
        for r in top..=bottom {
            let label = g.comparable_at(r, label_col);
            if official_rows.contains(&r) || label.is_empty() || label == header_norm {
                continue;
            }
            extra_row(out, g, TableId::T2, r, label_col, label_col + 1);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info_of(cells: &[(u32, u32, &str)], sheet: &str) -> InfoFound {
        let mut g = Grid::sheet(sheet);
        for (r, c, t) in cells {
            g.set(*r, *c, *t, None);
        }
        read_info(&[g])
    }

    #[test]
    fn the_year_is_found_where_a_person_would_find_it() {
        // “机关名称：某局（2023年度）” in one cell.
        let i = info_of(&[(0, 0, "机关名称：某局（2023年度）")], "Sheet1");
        assert_eq!((i.agency.as_deref(), i.year), (Some("某局"), Some(2023)));
        assert_eq!(
            i.year_origin.map(|o| (o.from, o.at)),
            Some((OriginKind::Field, Some("Sheet1!A1".into())))
        );
        // A title row in the middle of the sheet, not ending in the standard title.
        let i = info_of(
            &[
                (0, 0, "填报说明：请如实填写"),
                (7, 1, "某区某局2023年政府信息公开工作年度报告统计表"),
            ],
            "Sheet1",
        );
        assert_eq!(i.year, Some(2023));
        assert_eq!(i.agency.as_deref(), Some("某区某局"));
        assert_eq!(i.year_origin.map(|o| o.at), Some(Some("Sheet1!B8".into())));
        // “报告年度：2023年”.
        let i = info_of(&[(2, 0, "报告年度：2023年")], "Sheet1");
        assert_eq!(i.year, Some(2023));
        // A sentence of text is no title; two different title years say nothing certain.
        let i = info_of(&[(0, 0, "本年度，我局认真落实2022年度工作要求。")], "Sheet1");
        assert_eq!(i.year, None);
        let i = info_of(&[(0, 0, "2022年报表"), (1, 0, "2023年报表")], "Sheet1");
        assert_eq!(i.year, None);
        // Only a sheet's name.
        let i = info_of(&[(0, 0, "单位")], "2023年度");
        assert_eq!(i.year, Some(2023));
        assert_eq!(i.year_origin.map(|o| o.from), Some(OriginKind::SheetName));
    }

    #[test]
    fn labels_come_row_by_row_once_whatever_the_order_cells_are_set_in() {
        let mut g = Grid::sheet("表");
        g.set(2, 0, "乙", None);
        g.set(0, 1, "甲", None);
        g.set(1, 0, "12", None);
        g.set(0, 0, "丙", None);
        g.set(0, 0, "3", None); // a label overwritten by a number is no label
        g.set(0, 1, "甲二", None); // set again: listed once
        g.set(1, 0, "丁", None); // a number overwritten by a label is one
        let labels: Vec<_> = g.labels().map(|(r, c, cell)| (r, c, cell.text.clone())).collect();
        assert_eq!(
            labels,
            [(0, 1, "甲二".into()), (1, 0, "丁".into()), (2, 0, "乙".into())]
        );
        let mut in_order = Grid::sheet("表");
        in_order.set(0, 0, "甲", None);
        in_order.set(0, 1, "5", None);
        in_order.set(1, 0, "乙", None);
        assert!(in_order.labels_sorted);
        assert_eq!(
            in_order.labels().map(|(r, c, _)| (r, c)).collect::<Vec<_>>(),
            [(0, 0), (1, 0)]
        );
    }

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn scores_prefer_exact_then_gloss_then_flattened() {
        let l = comparable_label("规章");
        assert_eq!(match_score(&comparable_label("规 章"), &l), 3);
        assert_eq!(match_score(&comparable_label("规章（设区的市应提供）"), &l), 2);
        assert_eq!(match_score(&comparable_label("第二十条第（一）项规章"), &l), 1);
        assert_eq!(match_score(&comparable_label("规章制度"), &l), 0);
        let partial = comparable_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
        assert_eq!(match_score(&comparable_label("(二)部分公开"), &partial), 2);
        assert_eq!(
            match_score(&comparable_label("三、本年度办理结果(二)部分公开"), &partial),
            1
        );
        let fee = comparable_label("本年收费金额（单位：万元）");
        assert_eq!(
            match_score(&comparable_label("本年收费金额（万元，保留四位小数）"), &fee),
            2
        );
        assert_eq!(
            match_score(&comparable_label("（一）予以公开"), &comparable_label("（二）部分公开")),
            0
        );
        assert_eq!(without_note("(一)予以公开"), "(一)予以公开");
    }

    #[test]
    fn titles_give_agency_and_year() {
        assert_eq!(
            split_title("某市某局2023年政府信息公开工作年度报告"),
            Some(("某市某局".to_string(), 2023))
        );
        assert_eq!(split_title("政府信息公开工作年度报告"), None);
        assert_eq!(parse_year("２０２３年"), Some(2023));
    }
}
