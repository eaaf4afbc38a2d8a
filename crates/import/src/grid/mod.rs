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
use std::sync::{Arc, LazyLock};
use xxgk_model::catalogue::{
    ADMIN_LEVELS, CellDef, INFO_SHEET, META_AGENCY, META_AGENCY_VARIANTS, META_FORMAT, META_LEVEL, META_PARENT,
    META_PREAMBLE, META_PUBLISHED, META_REGION, META_TITLE, META_YEAR, META_YEAR_VARIANTS, T2_LABEL_HEADER,
    TITLE_SUFFIX,
};
use xxgk_model::{
    Cells, Finding, FormatVersion, Label, Lang, Location, Meta, Origin, OriginKind, PerVersion, Report, Section,
    SectionKind, Severity, SourceMap, Status, TableId, Text, catalogue,
};

mod matching;
mod metadata;
mod read;
mod table2;
mod table3;
mod table4;

pub use matching::match_score;
use matching::*;
pub(crate) use metadata::{detect_version, read_info};
use read::*;
pub(crate) use read::{InfoFound, Tables, prefer_grid_tables, read_report};
use table2::*;
use table3::*;
use table4::*;

/// Rule id of the warning for a row inside a table that the official form does not have.
pub(crate) const EXTRA_ROW_RULE: &str = "IMPORT-EXTRA-ROW";
/// Import finding: a group of table 3 printed as one row, read as the group.
pub(crate) const GROUP_ROW_RULE: &str = "IMPORT-GROUP-ROW";
/// Rule id of the error for a merged region over several value cells of a table, which are
/// left unread.
pub(crate) const MERGED_VALUE_RULE: &str = "IMPORT-MERGED-VALUE";
/// Rule id of the finding for an official row found twice in a table: an error when the copies
/// differ (the row is left unread), a warning when they agree.
pub(crate) const DUPLICATE_ROW_RULE: &str = "IMPORT-DUPLICATE-ROW";
/// Rule id of the error for a value cell whose number format shows it otherwise than stored
/// (hidden, scaled, a percentage, a date): the cell is left unread.
pub(crate) const NUMBER_FORMAT_RULE: &str = "IMPORT-NUMBER-FORMAT";
/// Rule id of the error for a cell whose shown text cannot be told (a page's style rule may
/// hide or change it); the cell is left unread.
pub(crate) const STYLE_RULE: &str = "IMPORT-STYLE";
/// Rule id of the error for a row of a page's table with more cells than its header has
/// columns; the row is left unread.
pub(crate) const ROW_WIDTH_RULE: &str = "IMPORT-ROW-WIDTH";
/// Rule id of the warning for basic information that could not be found (e.g. 机关名称).
pub(crate) const MISSING_INFO_RULE: &str = "IMPORT-MISSING-INFO";
/// Rule id of the warning when the format version written in the workbook disagrees with its tables.
pub(crate) const VERSION_MISMATCH_RULE: &str = "IMPORT-VERSION-MISMATCH";

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
    /// Every position of a sheet.
    pub(crate) const WHOLE_SHEET: Merge = Merge {
        first_row: 0,
        first_col: 0,
        last_row: u32::MAX,
        last_col: u32::MAX,
    };

    fn contains(&self, row: u32, col: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row) && (self.first_col..=self.last_col).contains(&col)
    }
}

#[derive(Debug, Clone)]
struct GridCell {
    text: String,
    /// The normalised text of a label (shared with the per-thread cache of labels); none for a
    /// plain number, whose normal form is its text (see [`GridCell::comparable_text`]).
    comparable: Option<Arc<str>>,
    /// Boxed: most cells (a sheet's) have none, and the map moves its entries as it grows.
    location: Option<Box<Location>>,
    /// Whether the text can be a label: a plain number (most cells of a filled form) cannot,
    /// so label searches skip it.
    label: bool,
}

impl GridCell {
    /// The normalised text: a plain number's is its text, which is not stored twice.
    fn comparable_text(&self) -> &str {
        match &self.comparable {
            Some(c) => c,
            None => &self.text,
        }
    }
}

/// Whether a text is a number written with full-width digits, points or minus signs, or with
/// spaces around it: digits and those signs only, once trimmed.
fn number_written_otherwise(text: &str) -> bool {
    text.trim()
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '０'..='９' | '．' | '－'))
}

/// Why a cell that holds a text is not read as it: what a person sees there cannot be told
/// from its text. Where the tables read such a cell, it is left unread with an error naming it.
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// Its number format shows the number otherwise than stored (hidden, scaled, a percentage,
    /// a date): `IMPORT-NUMBER-FORMAT`. A text there is read: a number format changes nothing
    /// of it. Told in words only when a table reads the cell.
    NumberFormat(crate::number_format::Mark),
    /// A page's style may hide or change what the cell shows, and how cannot be told
    /// (`IMPORT-STYLE`): why, in Chinese and English (boxed: a sheet may hold many refused
    /// cells, and most are number formats').
    Style(Box<(String, String)>),
    /// A spreadsheet cell's font, fill or conditional format may show its number otherwise
    /// ([`crate::looks`]): `IMPORT-STYLE`, or `IMPORT-NUMBER-FORMAT` for a conditional
    /// number format. Told in words, if at all, only when a table reads the cell.
    Look(crate::looks::Look),
}

/// What a refused cell's finding says after naming the cell, its row and column.
pub(crate) struct RefusalWords {
    pub(crate) rule: &'static str,
    /// Why, in Chinese and English; “the cell was not read” follows.
    pub(crate) why: (String, String),
    /// What to do, after that.
    pub(crate) advice: (&'static str, &'static str),
}

impl Refusal {
    /// Why the cell read as `cell` is not read; none when it is read after all (a text under
    /// a number format).
    pub(crate) fn words(&self, cell: &xxgk_model::Cell) -> Option<RefusalWords> {
        match self {
            Refusal::NumberFormat(mark) => {
                let value = cell.value()?;
                let shown = mark.told()?;
                let format = &shown.format;
                let (shows_zh, shows_en) = match &shown.shows {
                    Some(s) => (format!("（显示为“{s}”）"), format!(" (it shows “{s}”)")),
                    None => (String::new(), String::new()),
                };
                Some(RefusalWords {
                    rule: NUMBER_FORMAT_RULE,
                    why: (
                        format!(
                            "单元格的数字格式“{format}”{}{shows_zh}，而存储的值为 {value}，看到的与读取的不同",
                            shown.what.0
                        ),
                        format!(
                            "the cell's number format “{format}” {}{shows_en}, while the value stored is {value}: what is seen is not what is read",
                            shown.what.1
                        ),
                    ),
                    advice: (
                        "：请将单元格格式改为“常规”或“数值”",
                        "; set the cell's format to General or Number",
                    ),
                })
            }
            Refusal::Style(why) => Some(RefusalWords {
                rule: STYLE_RULE,
                why: (**why).clone(),
                advice: ("", ""),
            }),
            Refusal::Look(look) => {
                // The number as read; Excel's own is a float too.
                let words = look.words(cell.value()?.to_string().parse().ok()?)?;
                Some(RefusalWords {
                    rule: if words.number_format {
                        NUMBER_FORMAT_RULE
                    } else {
                        STYLE_RULE
                    },
                    why: words.why,
                    advice: words.advice,
                })
            }
        }
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
    /// Cells left unread though they hold a text, by position, with why (only those cells:
    /// most grids have none).
    refused: FxHashMap<(u32, u32), Refusal>,
    /// Regions of such cells (an ods cell repeated over columns and rows), searched in turn.
    refused_regions: Vec<(Merge, Refusal)>,
    /// For a grid that is one table (an HTML table), how many positions each row's cells take,
    /// spans from rows above included: a row wider than its header holds a cell too many.
    row_widths: Vec<u32>,
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
            refused: FxHashMap::default(),
            refused_regions: Vec::new(),
            row_widths: Vec::new(),
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
        let comparable = (!number).then(|| crate::labels::comparable_label_cached(&text));
        // Neither is a number written in full-width digits or between spaces (`１２`, ` 12 `) a
        // label: in a sheet that writes its numbers so, every value cell was searched as one.
        let label = !number && !number_written_otherwise(&text);
        self.max_row = self.max_row.max(row);
        if self.cells.is_empty() {
            // A sheet of the form holds a few hundred cells: grown once or twice, not eight times.
            self.cells.reserve(256);
        }
        self.max_col = self.max_col.max(col);
        let was_label = self
            .cells
            .insert(
                (row, col),
                GridCell {
                    text,
                    comparable,
                    location: location.map(Box::new),
                    label,
                },
            )
            .is_some_and(|old| old.label);
        if label && !was_label {
            if self.label_positions.last().is_some_and(|&last| last >= (row, col)) {
                self.labels_sorted = false;
            }
            self.label_positions.push((row, col));
        }
    }

    /// Leaves the cell at (row, col) unread where the tables read it, and says why.
    pub(crate) fn refuse(&mut self, row: u32, col: u32, refusal: Refusal) {
        self.refused.insert((row, col), refusal);
    }

    /// [`Grid::refuse`] for every cell of a region (the copies of a repeated cell).
    pub(crate) fn refuse_region(&mut self, region: Merge, refusal: Refusal) {
        if (region.first_row, region.first_col) == (region.last_row, region.last_col) {
            self.refuse(region.first_row, region.first_col, refusal);
        } else {
            self.refused_regions.push((region, refusal));
        }
    }

    /// Whether any cell is refused: most grids refuse none, and every cell the tables read asks.
    #[inline]
    pub(crate) fn refuses_any(&self) -> bool {
        !(self.refused.is_empty() && self.refused_regions.is_empty())
    }

    /// Why the cell shown at (row, col) (merged regions resolved) may not be read: the marks on
    /// it and the regions holding it, in that order. The first whose words are told
    /// ([`Refusal::words`]) is why.
    pub(crate) fn refusals(&self, row: u32, col: u32) -> impl Iterator<Item = &Refusal> {
        let any = self.refuses_any();
        let (r, c) = if any { self.anchor(row, col) } else { (row, col) };
        let own = any.then(|| self.refused.get(&(r, c))).flatten();
        let regions = if any { self.refused_regions.as_slice() } else { &[] };
        own.into_iter().chain(
            regions
                .iter()
                .filter(move |(m, _)| m.contains(r, c))
                .map(|(_, why)| why),
        )
    }

    /// Records how many positions each row of a one-table grid takes (see [`Grid::row_width`]).
    pub(crate) fn set_row_widths(&mut self, widths: Vec<u32>) {
        self.row_widths = widths;
    }

    /// How many positions the cells of `row` take, in a grid that is one table; none otherwise.
    pub(crate) fn row_width(&self, row: u32) -> Option<u32> {
        self.row_widths.get(row as usize).copied()
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

    /// The merged region covering (row, col), its anchor included, by index: the first one
    /// added, should two overlap.
    fn merge_index_at(&self, row: u32, col: u32) -> Option<u32> {
        if self.merges.is_empty() {
            return None;
        }
        self.covered.get(&(row, col)).copied().or_else(|| {
            self.large
                .iter()
                .copied()
                .find(|&i| self.merges[i as usize].contains(row, col))
        })
    }

    /// The merged region covering (row, col), its anchor included.
    pub(crate) fn merge_at(&self, row: u32, col: u32) -> Option<(u32, &Merge)> {
        self.merge_index_at(row, col).map(|i| (i, &self.merges[i as usize]))
    }

    /// Where (row, col) itself is, inside a merged region or not: `表二!C5` in a sheet whose
    /// cells carry no location of their own, else [`Grid::location`].
    fn own_location(&self, row: u32, col: u32) -> Location {
        let (r, c) = self.anchor(row, col);
        if self.a1 && self.cells.get(&(r, c)).is_none_or(|cell| cell.location.is_none()) {
            Location::sheet_cell(&self.name, a1(row, col))
        } else {
            self.location(row, col)
        }
    }

    /// Where a merged region is: `表二!B5:C5` in a sheet, else its top-left cell's location.
    fn region_location(&self, m: &Merge) -> Location {
        if self.a1
            && self
                .cells
                .get(&(m.first_row, m.first_col))
                .is_none_or(|c| c.location.is_none())
        {
            Location::sheet_cell(
                &self.name,
                format!("{}:{}", a1(m.first_row, m.first_col), a1(m.last_row, m.last_col)),
            )
        } else {
            self.location(m.first_row, m.first_col)
        }
    }

    /// The position holding the text shown at (row, col): the top-left of its merged region. A
    /// cell a region covers shows its region's text, never its own: a spreadsheet keeps what a
    /// covered cell held before the merge, and neither Excel nor a reader of the sheet sees it.
    fn anchor(&self, row: u32, col: u32) -> (u32, u32) {
        match self.merge_index_at(row, col) {
            Some(i) => {
                let m = &self.merges[i as usize];
                (m.first_row, m.first_col)
            }
            None => (row, col),
        }
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
        if let Some(l) = self.cells.get(&(r, c)).and_then(|c| c.location.as_deref()) {
            return l.clone();
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

    /// [`Grid::location`], shared: a sheet cell's location is kept per thread by sheet name and
    /// position, so that the workbooks of a batch filled in one template (`表三!C8` in each)
    /// share one copy instead of building the address and copying the sheet name for every
    /// cell of every report. A cell with its own location gets a copy of it.
    pub(crate) fn shared_location(&self, row: u32, col: u32) -> Arc<Location> {
        let at = self.anchor(row, col);
        self.shared_location_of(at, self.cells.get(&at))
    }

    /// What the tables take from (row, col), merged regions resolved: the text shown, where it
    /// is ([`Grid::shared_location`]) and the merged region covering it, each looked up once
    /// (every cell of the form is read so).
    pub(crate) fn shown_at(&self, row: u32, col: u32) -> (&str, Arc<Location>, Option<(u32, &Merge)>) {
        let merge = self.merge_at(row, col);
        let at = merge.map_or((row, col), |(_, m)| (m.first_row, m.first_col));
        let cell = self.cells.get(&at);
        (
            cell.map_or("", |c| c.text.as_str()),
            self.shared_location_of(at, cell),
            merge,
        )
    }

    /// [`Grid::shared_location`] of the anchor `(r, c)`, whose cell (if any) is `cell`.
    fn shared_location_of(&self, (r, c): (u32, u32), cell: Option<&GridCell>) -> Arc<Location> {
        if let Some(l) = cell.and_then(|c| c.location.as_deref()) {
            return Arc::new(l.clone());
        }
        if !self.a1 {
            return Arc::new(self.location(r, c));
        }
        SHEET_LOCATIONS.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some(l) = cache.sheets.get(self.name.as_str()).and_then(|m| m.get(&(r, c))) {
                return Arc::clone(l);
            }
            let l = Arc::new(Location::sheet_cell(&self.name, a1(r, c)));
            if cache.entries >= MAX_SHARED_LOCATIONS {
                // Bounded: a batch of many templates starts over rather than growing.
                cache.sheets.clear();
                cache.entries = 0;
            }
            cache.entries += 1;
            cache
                .sheets
                .entry(self.name.clone())
                .or_default()
                .insert((r, c), Arc::clone(&l));
            l
        })
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
            // A position set again with a number is no longer a label; a position a merged
            // region covers shows the region's text, not its own.
            self.cells
                .get(&(r, c))
                .filter(|cell| cell.label && self.anchor(r, c) == (r, c))
                .map(|cell| (r, c, cell))
        })
    }
}

/// Most sheet-cell locations [`Grid::shared_location`] keeps per thread (a template locates a
/// few hundred cells; each entry is about 150 bytes).
const MAX_SHARED_LOCATIONS: usize = 8192;

/// The sheet-cell locations kept per thread, by sheet name and position.
#[derive(Default)]
struct SheetLocations {
    sheets: FxHashMap<String, FxHashMap<(u32, u32), Arc<Location>>>,
    entries: usize,
}

thread_local! {
    static SHEET_LOCATIONS: std::cell::RefCell<SheetLocations> = std::cell::RefCell::default();
}

/// The 0-based position of an `A1` address (`None` for anything else, `$B$5` included).
pub(crate) fn a1_position(address: &str) -> Option<(u32, u32)> {
    let letters = address.bytes().take_while(u8::is_ascii_uppercase).count();
    let (col, row) = address.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = col.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let row: u32 = row.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// `A1` address of a 0-based position.
pub(crate) fn a1(row: u32, col: u32) -> String {
    // Every cell read gets its address, so it is built in one allocation.
    let mut letters = [0u8; 7];
    let mut start = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        start -= 1;
        letters[start] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    // The row number's digits, without the formatting machinery.
    let mut digits = [0u8; 10];
    let mut end = digits.len();
    let mut r = u64::from(row) + 1;
    while r > 0 {
        end -= 1;
        digits[end] = b'0' + (r % 10) as u8;
        r /= 10;
    }
    let mut out = String::with_capacity(letters.len() - start + digits.len() - end);
    out.extend(letters[start..].iter().chain(&digits[end..]).map(|&b| char::from(b)));
    out
}

#[cfg(test)]
mod tests {
    use super::metadata::{parse_year, split_title};
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
    fn numbers_in_full_width_digits_or_between_spaces_are_no_labels_but_keep_their_text() {
        let mut g = Grid::sheet("表");
        for (col, text) in ["１２", " 12 ", "－", "３．５", "合计", "12件", "一"]
            .into_iter()
            .enumerate()
        {
            g.set(0, col as u32, text, None);
        }
        let labels: Vec<_> = g.labels().map(|(_, _, cell)| cell.text.clone()).collect();
        assert_eq!(labels, ["合计", "12件", "一"]);
        assert_eq!(g.text(0, 0), "１２");
        assert_eq!(g.text(0, 1), " 12 ");
    }

    #[test]
    fn sheet_locations_are_shared_between_workbooks_and_stay_right() {
        let mut a = Grid::sheet("表三");
        a.set(7, 2, "5", None);
        a.add_merge(Merge {
            first_row: 7,
            first_col: 2,
            last_row: 8,
            last_col: 2,
        });
        let mut b = Grid::sheet("表三");
        b.set(7, 2, "6", None);
        let mut other = Grid::sheet("表四");
        other.set(7, 2, "7", None);
        let mut html = Grid::new("表格2");
        html.set(0, 0, "8", Some(Location::line(14)));
        let la = a.shared_location(8, 2);
        assert_eq!(la.display(Lang::Zh), "表三!C8");
        assert_eq!(*la, a.location(8, 2));
        // The same cell of the same sheet in another workbook: one copy.
        assert!(Arc::ptr_eq(&la, &b.shared_location(7, 2)));
        assert_eq!(other.shared_location(7, 2).display(Lang::Zh), "表四!C8");
        assert_eq!(*html.shared_location(0, 0), Location::line(14));
        assert_eq!(html.shared_location(3, 3).display(Lang::Zh), "表格2");
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

    /// Table 3 as a grid: header rows, then each row of the form with its whole path in one
    /// cell; `group_row` prints （三）不予公开's own row (its figures `group`) above its items,
    /// each item printing 1 in every column.
    fn t3_grid(group: Option<u32>) -> Grid {
        use xxgk_model::catalogue::{T3_COLUMNS, T3_TOTAL, t3_id};
        let cat = catalogue(FormatVersion::V2021);
        let mut g = Grid::sheet("表三");
        for (i, c) in T3_COLUMNS.iter().enumerate() {
            let col = 1 + i as u32;
            g.set(0, col, "申请人情况", None);
            let middle = if c.in_org_group {
                "法人或其他组织"
            } else {
                c.label.zh
            };
            g.set(1, col, middle, None);
            g.set(2, col, c.label.zh, None);
        }
        let mut r = 3;
        for row in cat.t3_rows {
            let def = cat.cell(&t3_id(row.key, T3_TOTAL)).expect("row");
            let withheld_item = row.key.starts_with("withheld.");
            if let Some(v) = group
                && withheld_item
                && cat
                    .t3_groups
                    .iter()
                    .any(|gr| gr.key == "withheld" && gr.parts.first() == Some(&row.key))
            {
                g.set(r, 0, "三、本年度办理结果（三）不予公开", None);
                for col in 1..=7 {
                    g.set(r, col, v.to_string(), None);
                }
                r += 1;
            }
            let label: String = def.row_path.iter().map(|l| l.zh).collect();
            g.set(r, 0, label, None);
            for col in 1..=7 {
                g.set(r, col, if withheld_item { "1" } else { "0" }, None);
            }
            r += 1;
        }
        g
    }

    fn table3_of(g: Grid) -> Tables {
        let mut out = Tables::new(FormatVersion::V2021);
        t3("t.xlsx", &[g], FormatVersion::V2021, &mut out).expect("table 3");
        out.finish();
        out
    }

    #[test]
    fn a_group_row_printed_above_its_items_is_read_into_the_group() {
        let withheld = catalogue(FormatVersion::V2021)
            .t3_groups
            .iter()
            .find(|g| g.key == "withheld")
            .expect("group")
            .parts
            .len() as u32;
        let t = table3_of(t3_grid(Some(withheld)));
        let number = |id: &str| t.cells.get(id).value().map(|v| v.to_string());
        assert_eq!(number("t3.withheld.natural_person"), Some(withheld.to_string()));
        assert_eq!(number("t3.withheld.total"), Some(withheld.to_string()));
        assert_eq!(number("t3.withheld.state_secret.natural_person"), Some("1".to_string()));
        assert!(
            !t.findings
                .iter()
                .any(|f| f.rule == EXTRA_ROW_RULE || f.rule == GROUP_ROW_RULE),
            "{:?}",
            t.findings
        );
        // Without a group row, the group's cells stay blank.
        let t = table3_of(t3_grid(None));
        assert!(matches!(
            t.cells.get("t3.withheld.natural_person"),
            xxgk_model::Cell::Blank
        ));
    }
}
