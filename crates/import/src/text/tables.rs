//! Reading the three tables from segments, by matching row labels against the catalogue.
//!
//! Rows are found by their official labels (normalised; a local gloss after the label is
//! allowed; a label cut short by a wrapped line is matched by its distinctive beginning), so the
//! order and shape of the lines do not matter. The values of a row are the run of values right
//! after its label. A row whose values do not fit is named with its line, never filled in.

use super::order;
use super::recover::{Cuts, MAX_KEPT, cuts, group_sums_hold};
use super::tokens::{RawValue, Segment, digit_string};
use crate::labels::{ROW_VARIANTS, comparable_catalogue_label, comparable_label};
use crate::values::parse_cell;
use std::sync::OnceLock;
use xxgk_model::catalogue::{
    Catalogue, T3_COLUMNS, T3_TOTAL, T3Group, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, t2_id, t3_id, t4_id,
};
use xxgk_model::{Cell, FormatVersion, TableId, ValueKind};

/// Rule id of the warning for a row whose run-together digits were cut as the report's text
/// states its figures.
pub(super) const SPLIT_BY_TEXT_RULE: &str = "IMPORT-SPLIT-BY-TEXT";

/// At most this many rows that are not in the catalogue are reported per table.
const MAX_EXTRA_ROW_NOTES: usize = 20;

/// A row of a table as the reader looks for it.
#[derive(Debug, Clone)]
pub(super) struct RowSpec {
    /// Official label (for messages).
    pub label: String,
    /// Normalised label.
    norm: String,
    /// Length in chars of the shortest beginning that no other row label of the table shares.
    min_prefix: usize,
    /// The normalised label's characters, so that the near matches do not collect them again for
    /// every run: a page's every line is matched against every row.
    chars: Vec<char>,
    /// Byte offset in `norm` of each character, and `norm.len()` after the last.
    bounds: Vec<usize>,
    /// The pieces (two or more characters) of the group's label that [`interleaved_row`] tries,
    /// cut once instead of for every run.
    group_pieces: Vec<String>,
    /// Labels printed in place of the official one (normalised), from [`ROW_VARIANTS`].
    variants: Vec<String>,
    /// The label of the row's group (normalised), for table 3's grouped rows.
    group: Option<String>,
    /// Cell ids in column order.
    pub ids: Vec<String>,
    /// Kinds in column order.
    pub kinds: Vec<ValueKind>,
}

/// The rows of table 2 or 3 of a format version, built once per process: every report's tables
/// and the prose beside them are matched against them.
pub(super) fn row_specs(cat: &Catalogue, table: TableId) -> &'static [RowSpec] {
    static BUILT: [[OnceLock<Vec<RowSpec>>; 2]; 2] = [const { [const { OnceLock::new() }; 2] }; 2];
    let version = match cat.version {
        FormatVersion::V2019 => 0,
        FormatVersion::V2021 => 1,
    };
    match table {
        TableId::T2 => BUILT[version][0].get_or_init(|| build_row_specs(cat, table)),
        TableId::T3 => BUILT[version][1].get_or_init(|| build_row_specs(cat, table)),
        TableId::T4 => &[],
    }
}

fn build_row_specs(cat: &Catalogue, table: TableId) -> Vec<RowSpec> {
    let mut rows = Vec::new();
    match table {
        TableId::T2 => {
            for block in cat.t2_blocks {
                for r in block.rows {
                    rows.push(RowSpec::new(
                        r.label.zh.to_string(),
                        comparable_catalogue_label(r.label.zh).to_string(),
                        None,
                        block.columns.iter().map(|c| t2_id(r.key, c.key)).collect(),
                        block.columns.iter().map(|c| c.kind).collect(),
                    ));
                }
            }
        }
        TableId::T3 => {
            for r in cat.t3_rows {
                let label = match r.group {
                    Some(g) => format!("{}{}", g.zh, r.label.zh),
                    None => r.label.zh.to_string(),
                };
                rows.push(RowSpec::new(
                    label,
                    comparable_catalogue_label(r.label.zh).to_string(),
                    r.group.map(|g| comparable_catalogue_label(g.zh).to_string()),
                    T3_COLUMNS.iter().map(|c| t3_id(r.key, c.key)).collect(),
                    vec![ValueKind::Count; T3_COLUMNS.len()],
                ));
            }
        }
        TableId::T4 => {}
    }
    // A variant is used only where it is no official label of the table itself (V2019 prints
    // “规范性文件” as its official row).
    let officials: Vec<String> = rows.iter().map(|r| r.norm.clone()).collect();
    for row in &mut rows {
        row.variants = ROW_VARIANTS
            .iter()
            .filter(|(official, _)| comparable_catalogue_label(official) == row.norm)
            .map(|(_, v)| comparable_label(v))
            .filter(|v| !officials.contains(v))
            .collect();
    }
    let norms: Vec<Vec<char>> = rows.iter().map(|r| r.norm.chars().collect()).collect();
    for (i, row) in rows.iter_mut().enumerate() {
        let me = &norms[i];
        let shared = norms
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, o)| me.iter().zip(o).take_while(|(a, b)| a == b).count())
            .max()
            .unwrap_or(0);
        // At least four characters, so that a bare “1.” never identifies a row.
        row.min_prefix = (shared + 1).max(4).min(me.len());
    }
    rows
}

impl RowSpec {
    /// A row with no variants and no distinctive beginning yet ([`build_row_specs`] sets both).
    fn new(label: String, norm: String, group: Option<String>, ids: Vec<String>, kinds: Vec<ValueKind>) -> Self {
        let group_pieces = match &group {
            Some(group) => {
                let g: Vec<usize> = group.char_indices().map(|(b, _)| b).chain([group.len()]).collect();
                let chars = g.len() - 1;
                (0..chars)
                    .flat_map(|a| (a + 2..=chars).map(move |b| (a, b)))
                    .map(|(a, b)| group[g[a]..g[b]].to_string())
                    .collect()
            }
            None => Vec::new(),
        };
        RowSpec {
            label,
            chars: norm.chars().collect(),
            bounds: norm.char_indices().map(|(b, _)| b).chain([norm.len()]).collect(),
            norm,
            min_prefix: 0,
            group_pieces,
            variants: Vec::new(),
            group,
            ids,
            kinds,
        }
    }
}

/// The row of a group of table 3 printed as one row ([`T3Group`]: （六）其他处理 without its
/// sub-rows), to be looked for beside `rows` when none of the group's sub-rows was found.
pub(super) fn group_spec(group: &T3Group, rows: &[RowSpec]) -> RowSpec {
    let norm = comparable_catalogue_label(group.label.zh).to_string();
    let me: Vec<char> = norm.chars().collect();
    let shared = rows
        .iter()
        .map(|o| me.iter().zip(o.norm.chars()).take_while(|(a, b)| **a == *b).count())
        .max()
        .unwrap_or(0);
    let mut spec = RowSpec::new(
        group.label.zh.to_string(),
        norm,
        None,
        T3_COLUMNS.iter().map(|c| t3_id(group.key, c.key)).collect(),
        vec![ValueKind::Count; T3_COLUMNS.len()],
    );
    spec.min_prefix = (shared + 1).max(4).min(me.len());
    spec
}

/// Table 3 read again with a group's own row: whether `second` (read with [`group_spec`] among
/// the rows) should replace `first`: the group's row was found there, every cell `first` read is
/// read alike, and none of the group's sub-rows was found in either.
pub(super) fn group_row_fits(group: &T3Group, first: &TableRead, second: &TableRead) -> bool {
    let group_total = t3_id(group.key, T3_TOTAL);
    let parts_missing = |read: &TableRead| group.parts.iter().all(|p| missing_row(read, &t3_id(p, T3_TOTAL)));
    let is_group = |id: &str| id.split('.').nth(1) == Some(group.key) && id.split('.').count() == 3;
    let others = |read: &TableRead| -> Vec<(String, Cell)> {
        read.cells
            .iter()
            .filter(|(id, _, _)| !is_group(id))
            .map(|(id, c, _)| (id.clone(), c.clone()))
            .collect()
    };
    !missing_row(second, &group_total)
        && parts_missing(first)
        && parts_missing(second)
        && others(first) == others(second)
}

/// Whether a note of `read` says the row of cell `id` was not found.
fn missing_row(read: &TableRead, id: &str) -> bool {
    read.notes
        .iter()
        .any(|n| n.rule == "IMPORT-MISSING-ROW" && n.ids.iter().any(|x| x == id))
}

/// In table 3 read with a group's own row ([`group_row_fits`]), the sub-rows' “not found” notes
/// become one note saying the group was printed as one row; nothing is spread over the sub-rows.
pub(super) fn name_group_row(group: &T3Group, read: &mut TableRead) {
    let is_group = |id: &str| id.split('.').nth(1) == Some(group.key) && id.split('.').count() == 3;
    let part_ids: Vec<String> = group
        .parts
        .iter()
        .flat_map(|p| T3_COLUMNS.iter().map(move |c| t3_id(p, c.key)))
        .collect();
    read.notes
        .retain(|n| !(n.rule == "IMPORT-MISSING-ROW" && n.ids.iter().any(|id| part_ids.contains(id))));
    let line = read
        .cells
        .iter()
        .find(|(id, _, _)| is_group(id))
        .map(|(_, _, line)| *line);
    let label = group.label.zh;
    read.notes.push(Note {
        rule: "IMPORT-GROUP-ROW",
        unread: false,
        table: TableId::T3,
        subject: label.to_string(),
        ids: part_ids,
        line,
        zh: format!("「{label}」按一行印出、未分列其细项：按该组读入，细项各格留空，不作拆分"),
        en: format!(
            "“{label}” is printed as one row without its items: read as the group; the items are left blank, not split"
        ),
    });
}

/// How a label run named its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Named {
    /// By its official label (or its distinctive beginning, or with a local gloss).
    Official,
    /// By a label printed in its place (“规范性文件” for 行政规范性文件).
    Variant,
    /// By its label with one character added, dropped or changed, or with a stretch of two or
    /// three characters dropped inside it (labels of ten or more characters, when no other row's
    /// label is that close).
    Slip,
}

/// Which row a label run names, and whether it names it in full. The label closest to the end of
/// the run wins: a run can hold the group label, a caption or a page footer before the row label.
pub(super) fn match_row(norm: &str, rows: &[RowSpec]) -> Option<usize> {
    match_row_how(norm, rows).map(|m| m.0)
}

/// [`match_row`], saying how the row was named.
pub(super) fn match_row_how(norm: &str, rows: &[RowSpec]) -> Option<(usize, Named)> {
    let mut best: Option<(usize, usize, usize, Named)> = None; // (start, matched_len, row, how)
    for (i, row) in rows.iter().enumerate() {
        // A run shorter than the label cannot hold it (and building the searcher costs more than
        // this test).
        let whole = (norm.len() >= row.norm.len()).then(|| norm.rfind(&row.norm)).flatten();
        let cand = if let Some(p) = whole {
            Some((p, row.norm.len(), Named::Official))
        } else {
            // A label cut short by a wrapped line: the run ends with a distinctive beginning.
            let label_chars = row.bounds.len() - 1;
            (row.min_prefix..label_chars)
                .rev()
                .map(|k| &row.norm[..row.bounds[k]])
                .find(|prefix| norm.ends_with(prefix))
                .map(|prefix| (norm.len() - prefix.len(), prefix.len(), Named::Official))
                .or_else(|| {
                    row.variants
                        .iter()
                        .filter_map(|v| norm.rfind(v.as_str()).map(|p| (p, v.len(), Named::Variant)))
                        .max_by_key(|c| c.0)
                })
        };
        if let Some((start, len, how)) = cand
            && best.is_none_or(|(s, l, _, _)| start > s || (start == s && len > l))
        {
            best = Some((start, len, i, how));
        }
    }
    best.map(|b| (b.2, b.3))
        .or_else(|| slipped_row(norm, rows))
        .or_else(|| interleaved_row(norm, rows))
}

/// The row whose label the run ends with once a piece of the row's group label, wrapped into the
/// middle of it, is taken out. In `-layout` PDF text the group column wraps too, and its lines
/// interleave with the row label's: “2、申请人逾期未按收费通知要” / “他处理” / “求缴纳费用、行政机关
/// 不再处理” for （六）其他处理 2. Only a piece of two or more characters of the group's own label,
/// strictly inside at least eight characters of the row's label, and only when exactly one row
/// reads so.
fn interleaved_row(norm: &str, rows: &[RowSpec]) -> Option<(usize, Named)> {
    let mut found: Vec<usize> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.group.is_none() {
            continue;
        }
        let label_chars = row.chars.len();
        let need = row.min_prefix.max(8);
        if label_chars < need {
            continue;
        }
        let fits = row.group_pieces.iter().map(String::as_str).any(|piece| {
            // The piece must lie strictly inside the beginning of the label that the run ends
            // with once the piece is taken out, so only an occurrence in the run's last
            // `piece + label` bytes can fit. Only that tail is searched and rebuilt: a run of
            // thousands of such pieces costs what a short one does, not a copy of the run each.
            let mut from = norm.len().saturating_sub(piece.len() + row.norm.len());
            while !norm.is_char_boundary(from) {
                from -= 1;
            }
            let tail = &norm[from..];
            let Some(reduced_len) = norm.len().checked_sub(piece.len()) else {
                return false;
            };
            // Most pieces are nowhere in the tail: one substring search says so at once, before
            // every position is tried (this search was a sixth of reading a report's text).
            if !tail.contains(piece) {
                return false;
            }
            tail.char_indices()
                .filter(|&(q, _)| tail[q..].starts_with(piece))
                .any(|(q, _)| {
                    let p = from + q;
                    // The run without the piece, from `from` on: long enough to end with any
                    // beginning of the label (or the whole run when `from` is 0).
                    let reduced_tail = format!("{}{}", &norm[from..p], &norm[p + piece.len()..]);
                    (need..=label_chars).rev().any(|k| {
                        let prefix = &row.norm[..row.bounds[k]];
                        reduced_tail.ends_with(prefix) && p > reduced_len - prefix.len() && p < reduced_len
                    })
                })
        });
        if fits {
            found.push(i);
        }
    }
    match found.as_slice() {
        [one] => Some((*one, Named::Slip)),
        _ => None,
    }
}

/// The row whose label (ten or more characters) the run ends with but for one character, or but
/// for a stretch of two or three characters dropped inside it (“2.其他法律行政止公开”), when exactly
/// one row's label is that close.
fn slipped_row(norm: &str, rows: &[RowSpec]) -> Option<(usize, Named)> {
    // Only the run's end is compared (one character past the longest label), so a run of
    // megabytes is not copied.
    let longest = rows.iter().map(|r| r.chars.len()).max().unwrap_or(0) + 1;
    let mut run: Vec<char> = norm.chars().rev().take(longest).collect();
    run.reverse();
    let near: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| {
            let label = row.chars.as_slice();
            label.len() >= 10
                && ([label.len() - 1, label.len(), label.len() + 1]
                    .iter()
                    .filter(|&&n| n <= run.len())
                    .any(|&n| super::structure::within_one(&run[run.len() - n..], label))
                    || [label.len() - 3, label.len() - 2]
                        .iter()
                        .filter(|&&n| n <= run.len())
                        .any(|&n| stretch_dropped(&run[run.len() - n..], label)))
        })
        .map(|(i, _)| i)
        .collect();
    match near.as_slice() {
        [one] => Some((*one, Named::Slip)),
        _ => None,
    }
}

/// Whether `short` is `label` with one stretch of characters dropped inside it: the two agree on
/// at least two characters at each end and on everything else.
fn stretch_dropped(short: &[char], label: &[char]) -> bool {
    let head = short.iter().zip(label).take_while(|(a, b)| a == b).count();
    let tail = short
        .iter()
        .rev()
        .zip(label.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    head >= 2 && tail >= 2 && head + tail >= short.len() && short.len() < label.len()
}

/// The row a label run ends with (its official label, a local gloss in brackets after it, or its
/// distinctive beginning cut off by a wrapped line): only then may digits run onto the label be
/// taken as the row's values.
pub(super) fn row_at_end(norm: &str, rows: &[RowSpec]) -> Option<usize> {
    let (i, how) = match_row_how(norm, rows)?;
    let row = &rows[i];
    let ends_with = |label: &str| match norm.rfind(label) {
        Some(p) => {
            let tail = &norm[p + label.len()..];
            tail.is_empty() || tail.starts_with('(') && tail.ends_with(')')
        }
        None => false,
    };
    let at_end = match how {
        Named::Official => norm.rfind(&row.norm).is_none() || ends_with(&row.norm),
        Named::Variant => row.variants.iter().any(|v| ends_with(v)),
        Named::Slip => true,
    };
    at_end.then_some(i)
}

/// Something the reader could not read or had to work out, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Note {
    /// Import finding id (`IMPORT-ROW`, `IMPORT-SPLIT`, …).
    pub rule: &'static str,
    /// Whether it stops the row from being read.
    pub unread: bool,
    /// The table.
    pub table: TableId,
    /// The row, in official wording.
    pub subject: String,
    /// The cells concerned.
    pub ids: Vec<String>,
    /// Line in the file.
    pub line: Option<u64>,
    /// Chinese message.
    pub zh: String,
    /// English message.
    pub en: String,
}

/// What was read from a table.
#[derive(Debug, Default)]
pub(super) struct TableRead {
    /// Cells read: id, value, line.
    pub cells: Vec<(String, Cell, u64)>,
    /// Problems and recoveries.
    pub notes: Vec<Note>,
}

/// A row whose values ran together, waiting for the identities.
struct Pending {
    row: usize,
    digits: String,
    line: u64,
}

/// Reads table 2 or 3 from its segments. `stated` holds the table-2 figures the text states (cell
/// id and value), which choose among the cuts of a row whose digits ran together.
pub(super) fn read_rows(table: TableId, segs: &[Segment], rows: &[RowSpec], stated: &[(String, u64)]) -> TableRead {
    let mut read = TableRead::default();
    let mut seen = vec![false; rows.len()];
    let mut duplicate_noted = vec![false; rows.len()];
    let mut extra_rows = 0usize;
    let mut pending: Vec<Pending> = Vec::new();
    let mut runs: Vec<super::runs::Run> = Vec::new();
    // Rows whose label was found with no value after it: a run before them may hold their values.
    let mut no_values = vec![false; rows.len()];
    let spacing = line_spacing(segs, rows);
    for (i, seg) in segs.iter().enumerate() {
        let Segment::Label { norm, line, end } = seg else {
            continue;
        };
        let values = match segs.get(i + 1) {
            Some(Segment::Values(v)) => v.as_slice(),
            _ => &[],
        };
        let Some((r, how)) = match_row_how(norm, rows) else {
            if values.iter().any(|v| v.text.is_some()) {
                // A hostile or garbled page can have thousands: the first few are enough to act on.
                extra_rows += 1;
                if extra_rows > MAX_EXTRA_ROW_NOTES {
                    continue;
                }
                let tail: String = norm
                    .chars()
                    .rev()
                    .take(24)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                read.notes.push(Note {
                    rule: "IMPORT-EXTRA-ROW",
                    unread: false,
                    table,
                    subject: tail.clone(),
                    ids: Vec::new(),
                    line: Some(*line),
                    zh: format!(
                        "第{line}行「{tail}」不是{}的官方行，其数值未读入",
                        table.name(xxgk_model::Lang::Zh)
                    ),
                    en: format!(
                        "line {line}: “{tail}” is not an official row of {}; its values were not read",
                        table.name(xxgk_model::Lang::En)
                    ),
                });
            }
            continue;
        };
        let row = &rows[r];
        if seen[r] {
            // Said once per row: a page that repeats a row many times gets one finding, not many.
            if std::mem::replace(&mut duplicate_noted[r], true) {
                continue;
            }
            read.notes.push(note(
                table,
                row,
                values.first().map_or(*line, |v| v.line),
                crate::grid::DUPLICATE_ROW_RULE,
                false,
                format!("「{}」行出现两次，只读第一次", row.label),
                format!("row “{}” appears twice; only the first was read", row.label),
            ));
            continue;
        }
        seen[r] = true;
        no_values[r] = values.iter().all(|v| v.text.is_none());
        let at = values.first().map_or(*line, |v| v.line);
        if how != Named::Official {
            let tail: String = norm
                .chars()
                .rev()
                .take(row.norm.chars().count() + 1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let (zh, en) = match how {
                Named::Variant => ("按变体标签读取", "read as a variant of the label"),
                _ => (
                    "标签与官方标签差一至三个字，按该行读取",
                    "the label differs from the official one by one to three characters; read as that row",
                ),
            };
            read.notes.push(note(
                table,
                row,
                at,
                "IMPORT-LABEL-VARIANT",
                false,
                format!("「{tail}」{zh}「{}」", row.label),
                format!("“{tail}”: {en} “{}”", row.label),
            ));
        }
        let fitted = fit(values, row.ids.len());
        match fitted {
            Some(vals) => {
                for ((id, kind), v) in row.ids.iter().zip(&row.kinds).zip(vals) {
                    let cell = v.text.as_deref().map_or(Cell::Blank, |t| parse_cell(t, *kind));
                    read.cells.push((id.clone(), cell, v.line));
                }
            }
            None if let Some(placed) = spacing.and_then(|step| by_spacing(values, *end, step, row.ids.len())) => {
                for ((id, kind), v) in row.ids.iter().zip(&row.kinds).zip(placed) {
                    let cell = v
                        .and_then(|v| v.text.as_deref())
                        .map_or(Cell::Blank, |t| parse_cell(t, *kind));
                    read.cells.push((id.clone(), cell, v.map_or(*end, |v| v.line)));
                }
                read.notes.push(note(
                    table,
                    row,
                    at,
                    "IMPORT-SPACED",
                    false,
                    format!(
                        "「{}」行的空白单元格按行距定位（每格{step}行）",
                        row.label,
                        step = spacing.unwrap_or(0)
                    ),
                    format!(
                        "the blank cells of row “{}” were placed by the line spacing ({} lines a cell)",
                        row.label,
                        spacing.unwrap_or(0)
                    ),
                ));
            }
            None => {
                let filled: Vec<&RawValue> = values.iter().filter(|v| v.text.is_some()).collect();
                let single_digits = match filled.as_slice() {
                    [only] => only.text.as_deref().and_then(digit_string),
                    _ => None,
                };
                let numbers: Option<Vec<u64>> = values
                    .iter()
                    .map(|v| v.text.as_deref().and_then(digit_string).and_then(|d| d.parse().ok()))
                    .collect();
                let width = row.ids.len();
                match single_digits {
                    // Several rows' values after one label (table 3 in plain PDF text).
                    None if table == TableId::T3
                        && width > 0
                        && values.len() >= 2 * width
                        && values.len() % width == 0
                        && let Some(numbers) = numbers =>
                    {
                        runs.push(super::runs::Run {
                            row: r,
                            values: numbers,
                            line: at,
                        });
                    }
                    Some(d) if d.len() >= row.ids.len() => pending.push(Pending {
                        row: r,
                        digits: d,
                        line: at,
                    }),
                    _ => read.notes.push(unreadable(table, row, at, values, rows.len() > 20)),
                }
            }
        }
    }
    if table == TableId::T3 {
        resolve_t3(&mut read, rows, pending);
        super::runs::place(&mut read, rows, runs, &mut seen, &no_values);
    } else {
        for p in pending {
            let row = &rows[p.row];
            match cuts(&p.digits, row.ids.len(), &|_| true) {
                Cuts::Found(f) if f.len() == 1 => accept(&mut read, table, row, p.line, &p.digits, &f[0]),
                Cuts::Found(f) if let Some((cut, used)) = told_by_text(&f, row, stated) => {
                    accept_by_text(&mut read, table, row, p.line, &p.digits, &cut, &used);
                }
                Cuts::Found(f) => read
                    .notes
                    .push(ambiguous(table, row, p.line, &p.digits, f.len(), false)),
                Cuts::TooMany => read.notes.push(ambiguous(table, row, p.line, &p.digits, 0, true)),
            }
        }
    }
    for (r, row) in rows.iter().enumerate() {
        if !seen[r] {
            read.notes.push(Note {
                rule: "IMPORT-MISSING-ROW",
                unread: true,
                table,
                subject: row.label.clone(),
                ids: row.ids.clone(),
                line: None,
                zh: format!("未找到{}「{}」行", table.name(xxgk_model::Lang::Zh), row.label),
                en: format!(
                    "row “{}” of {} was not found",
                    row.label,
                    table.name(xxgk_model::Lang::En)
                ),
            });
        }
    }
    read
}

/// The number of lines each cell takes in a table printed one cell per line with empty lines
/// between the cells (the text of a page, where a blank cell is only more empty lines): the step
/// that every complete row of the table keeps, from its label to its first value and from value
/// to value. `None` unless three or more complete rows agree, none disagrees, and the step leaves
/// room for an empty line (two lines or more).
fn line_spacing(segs: &[Segment], rows: &[RowSpec]) -> Option<u64> {
    let mut step: Option<u64> = None;
    let mut agreeing = 0;
    for pair in segs.windows(2) {
        let (Segment::Label { norm, end, .. }, Segment::Values(values)) = (&pair[0], &pair[1]) else {
            continue;
        };
        let Some(r) = match_row(norm, rows) else { continue };
        if values.len() != rows[r].ids.len() || values.iter().any(|v| v.text.is_none()) {
            continue;
        }
        let mut prev = *end;
        for v in values {
            let d = v.line.checked_sub(prev)?;
            if *step.get_or_insert(d) != d {
                return None;
            }
            prev = v.line;
        }
        agreeing += 1;
    }
    step.filter(|&s| s >= 2 && agreeing >= 3)
}

/// The values of a row placed in their columns by their lines, when the table keeps `step` lines a
/// cell and the row has fewer values than cells because its blank cells left only empty lines:
/// each value must sit a whole number of steps after the label, in order, and the last in the
/// row's last column (its 总计, printed whenever anything is). A text whose extractor collapsed
/// the empty lines shows no gaps, never reaches the last column, and is left unread.
fn by_spacing(values: &[RawValue], label_end: u64, step: u64, width: usize) -> Option<Vec<Option<&RawValue>>> {
    if values.is_empty() || values.len() >= width || values.iter().any(|v| v.text.is_none()) {
        return None;
    }
    let mut placed: Vec<Option<&RawValue>> = vec![None; width];
    let mut last: Option<usize> = None;
    for v in values {
        let offset = v.line.checked_sub(label_end)?;
        if offset == 0 || offset % step != 0 {
            return None;
        }
        let col = usize::try_from(offset / step - 1).ok()?;
        if col >= width || last.is_some_and(|l| col <= l) {
            return None;
        }
        placed[col] = Some(v);
        last = Some(col);
    }
    (last == Some(width - 1)).then_some(placed)
}

/// Fits the values after a label to the row's width: blank cells beyond the width are layout
/// (spacing lines, padding cells) and are dropped from the end, then from the start.
fn fit(values: &[RawValue], width: usize) -> Option<Vec<&RawValue>> {
    let mut v: Vec<&RawValue> = values.iter().collect();
    while v.len() > width && v.last().is_some_and(|x| x.text.is_none() && x.after_break) {
        v.pop();
    }
    while v.len() > width && v.last().is_some_and(|x| x.text.is_none()) {
        v.pop();
    }
    while v.len() > width && v.first().is_some_and(|x| x.text.is_none()) {
        v.remove(0);
    }
    (v.len() == width && v.iter().any(|x| x.text.is_some()) || v.len() == width && width > 0).then_some(v)
}

pub(super) fn note(
    table: TableId,
    row: &RowSpec,
    line: u64,
    rule: &'static str,
    unread: bool,
    zh: String,
    en: String,
) -> Note {
    Note {
        rule,
        unread,
        table,
        subject: row.label.clone(),
        ids: row.ids.clone(),
        line: Some(line),
        zh: format!("第{line}行：{zh}"),
        en: format!("line {line}: {en}"),
    }
}

/// A row with the wrong number of values. For table 3, a hint when joining two adjacent single
/// digits would make the row add up (a number split in two, “20” read as “2 0”).
fn unreadable(table: TableId, row: &RowSpec, line: u64, values: &[RawValue], t3: bool) -> Note {
    let found: Vec<String> = values
        .iter()
        .map(|v| v.text.clone().unwrap_or_else(|| "空白".into()))
        .collect();
    let n = values.iter().filter(|v| v.text.is_some()).count();
    let mut zh = format!(
        "无法读取{}「{}」行：应有{}个数值，找到{}个（{}），不猜测各数值所属的列",
        table.name(xxgk_model::Lang::Zh),
        row.label,
        row.ids.len(),
        n,
        found.join("、")
    );
    let mut en = format!(
        "cannot read row “{}” of {}: expected {} values, found {} ({}); the columns are not guessed",
        row.label,
        table.name(xxgk_model::Lang::En),
        row.ids.len(),
        n,
        found.join(", ")
    );
    let mut rule = "IMPORT-ROW";
    if t3 && values.len() == row.ids.len() + 1 {
        let nums: Option<Vec<u64>> = values
            .iter()
            .map(|v| v.text.as_deref().and_then(digit_string).and_then(|d| d.parse().ok()))
            .collect();
        if let Some(nums) = nums
            && let Some(total) = row_total_index(row)
        {
            for i in 0..nums.len() - 1 {
                if nums[i] > 9 || nums[i + 1] > 9 {
                    continue;
                }
                let mut joined = nums.clone();
                joined[i] = nums[i] * 10 + nums[i + 1];
                joined.remove(i + 1);
                if group_sums_hold(&joined, row.ids.len(), total) {
                    rule = "IMPORT-SPLIT-NUMBER";
                    zh.push_str(&format!(
                        "。提示：若第{}、{}个数“{}”“{}”实为一个数“{}”，本行合计相符，疑为一个数被拆成两个",
                        i + 1,
                        i + 2,
                        nums[i],
                        nums[i + 1],
                        joined[i]
                    ));
                    en.push_str(&format!(
                        ". Hint: if values {} and {} (“{}” “{}”) are one number “{}”, the row adds up; a number may have been split in two",
                        i + 1,
                        i + 2,
                        nums[i],
                        nums[i + 1],
                        joined[i]
                    ));
                    break;
                }
            }
        }
    }
    note(table, row, line, rule, true, zh, en)
}

fn accept(read: &mut TableRead, table: TableId, row: &RowSpec, line: u64, digits: &str, values: &[u64]) {
    for (id, v) in row.ids.iter().zip(values) {
        read.cells
            .push((id.clone(), Cell::number(i64::try_from(*v).unwrap_or(i64::MAX)), line));
    }
    let shown: Vec<String> = values.iter().map(u64::to_string).collect();
    read.notes.push(note(
        table,
        row,
        line,
        "IMPORT-SPLIT",
        false,
        format!(
            "「{}」行的数字连在一起（{digits}），按表内勾稽关系只有一种拆分：{}",
            row.label,
            shown.join("、")
        ),
        format!(
            "the digits of row “{}” ran together ({digits}); the table's identities allow exactly one split: {}",
            row.label,
            shown.join(", ")
        ),
    ));
}

/// A cut and the stated figures (position in the row, value) that chose it.
type Told = (Vec<u64>, Vec<(usize, u64)>);

/// The one cut of a row that agrees with the figures the text states for its cells, with the
/// figures used. A stated figure that no cut gives may count something else and is not used.
fn told_by_text(cuts: &[Vec<u64>], row: &RowSpec, stated: &[(String, u64)]) -> Option<Told> {
    let mut left: Vec<&Vec<u64>> = cuts.iter().collect();
    let mut used = Vec::new();
    for (id, value) in stated {
        let Some(k) = row.ids.iter().position(|i| i == id) else {
            continue;
        };
        let agree: Vec<&Vec<u64>> = left.iter().copied().filter(|c| c[k] == *value).collect();
        if !agree.is_empty() && agree.len() < left.len() {
            left = agree;
            used.push((k, *value));
        }
    }
    match left.as_slice() {
        [one] if !used.is_empty() => Some(((*one).clone(), used)),
        _ => None,
    }
}

fn accept_by_text(
    read: &mut TableRead,
    table: TableId,
    row: &RowSpec,
    line: u64,
    digits: &str,
    values: &[u64],
    used: &[(usize, u64)],
) {
    for (id, v) in row.ids.iter().zip(values) {
        read.cells
            .push((id.clone(), Cell::number(i64::try_from(*v).unwrap_or(i64::MAX)), line));
    }
    let shown: Vec<String> = values.iter().map(u64::to_string).collect();
    let told = |lang: xxgk_model::Lang| -> String {
        used.iter()
            .map(|(k, v)| {
                let name = [xxgk_model::FormatVersion::V2021, xxgk_model::FormatVersion::V2019]
                    .iter()
                    .find_map(|f| xxgk_model::catalogue(*f).cell(&row.ids[*k]))
                    .map_or_else(|| row.ids[*k].clone(), |d| d.short_label(lang));
                format!("{name} = {v}")
            })
            .collect::<Vec<_>>()
            .join(if lang == xxgk_model::Lang::Zh { "、" } else { "; " })
    };
    // A warning, not a note: the cut was taken from the text, so the comparison of the text's
    // figures with the table (X-TEXT-T2) cannot confirm these cells, and a figure the text
    // misstates would have chosen a wrong cut.
    read.notes.push(note(
        table,
        row,
        line,
        SPLIT_BY_TEXT_RULE,
        false,
        format!(
            "「{}」行的数字连在一起（{digits}），按正文所述数字（{}）只有一种拆分：{}；这几格的拆分取自正文，正文与表二的核对不能独立印证它们，请对照原表核实",
            row.label,
            told(xxgk_model::Lang::Zh),
            shown.join("、")
        ),
        format!(
            "the digits of row “{}” ran together ({digits}); the figures the text states ({}) allow exactly one split: {}. The split was taken from the text, so comparing the text with table 2 cannot confirm these cells: check them against the original table",
            row.label,
            told(xxgk_model::Lang::En),
            shown.join(", ")
        ),
    ));
}

fn ambiguous(table: TableId, row: &RowSpec, line: u64, digits: &str, count: usize, too_many: bool) -> Note {
    let (zh, en) = if too_many {
        (
            format!(
                "无法读取「{}」行：数字连在一起（{digits}），可能的拆分过多，不猜测",
                row.label
            ),
            format!(
                "cannot read row “{}”: its digits ran together ({digits}) and there are too many ways to split them; not guessed",
                row.label
            ),
        )
    } else if count == 0 {
        (
            format!(
                "无法读取「{}」行：数字连在一起（{digits}），没有任何拆分符合表内勾稽关系",
                row.label
            ),
            format!(
                "cannot read row “{}”: its digits ran together ({digits}) and no split satisfies the table's identities",
                row.label
            ),
        )
    } else {
        (
            format!(
                "无法读取「{}」行：数字连在一起（{digits}），有{count}种拆分都符合表内勾稽关系，不猜测",
                row.label
            ),
            format!(
                "cannot read row “{}”: its digits ran together ({digits}) and {count} splits satisfy the table's identities; not guessed",
                row.label
            ),
        )
    };
    note(table, row, line, "IMPORT-RUN-TOGETHER", true, zh, en)
}

/// The cuts of a run-together row still possible, or `Err` when there were too many to try.
type Candidates = Result<Vec<Vec<u64>>, ()>;

/// Table 3: cut each run-together row by its row sum, then narrow the candidates with the column
/// identities (balance, result total) against the rows already known, until nothing changes.
fn resolve_t3(read: &mut TableRead, rows: &[RowSpec], pending: Vec<Pending>) {
    let width = T3_COLUMNS.len();
    let mut open: Vec<(Pending, Candidates)> = pending
        .into_iter()
        .map(|p| {
            let Some(total) = row_total_index(&rows[p.row]) else {
                return (p, Err(()));
            };
            let row_sum = |v: &[u64]| group_sums_hold(v, width, total);
            let c = match cuts(&p.digits, width, &row_sum) {
                Cuts::Found(f) if f.len() <= MAX_KEPT => Ok(f),
                _ => Err(()),
            };
            (p, c)
        })
        .collect();
    let identities = t3_identities(rows);
    loop {
        let mut progressed = false;
        let mut i = 0;
        while i < open.len() {
            let unique = match &open[i].1 {
                Ok(c) if c.len() == 1 => Some(c[0].clone()),
                _ => None,
            };
            if let Some(values) = unique {
                let (p, _) = open.remove(i);
                accept(read, TableId::T3, &rows[p.row], p.line, &p.digits, &values);
                progressed = true;
                continue;
            }
            if let Ok(cands) = &open[i].1 {
                let r = open[i].0.row;
                let known = known_values(read, rows);
                let kept: Vec<Vec<u64>> = cands
                    .iter()
                    .filter(|v| identities.iter().all(|idn| identity_allows(idn, r, v, &known)))
                    .cloned()
                    .collect();
                if kept.len() < cands.len() {
                    progressed = true;
                    open[i].1 = Ok(kept);
                }
            }
            i += 1;
        }
        if !progressed {
            break;
        }
    }
    for (p, c) in open {
        let row = &rows[p.row];
        let n = match &c {
            Ok(c) => c.len(),
            Err(()) => 0,
        };
        read.notes
            .push(ambiguous(TableId::T3, row, p.line, &p.digits, n, c.is_err()));
    }
}

/// A linear identity over table-3 rows, the same in every column: Σ sign × row = 0.
pub(super) type Identity = Vec<(usize, i64)>;

/// The catalogue whose table 3 these rows are.
fn catalogue_of(rows: &[RowSpec]) -> Option<&'static Catalogue> {
    xxgk_model::FormatVersion::ALL
        .into_iter()
        .map(xxgk_model::catalogue)
        .find(|c| rows.iter().flat_map(|r| &r.ids).all(|id| c.cell(id).is_some()))
}

/// The column identities of table 3 (the balance and the results total) from the catalogue's
/// identities, as signs over `rows`: they are the same in every column, so those of the 总计
/// column stand for all.
pub(super) fn t3_identities(rows: &[RowSpec]) -> Vec<Identity> {
    let Some(cat) = catalogue_of(rows) else {
        return Vec::new();
    };
    let row_of = |id: &String| rows.iter().position(|r| r.ids.contains(id));
    let in_total_column = |id: &String| cat.cell(id).is_some_and(|d| d.column_key == T3_TOTAL);
    // A group read as one row stands for its sub-rows (see `group_row_fits`).
    let alone = |g: &T3Group| row_of(&t3_id(g.key, T3_TOTAL)).is_some();
    cat.identities()
        .iter()
        .filter(|i| i.table == TableId::T3 && i.lhs.ids.iter().chain(&i.rhs.ids).all(in_total_column))
        .filter_map(|i| {
            let (lhs, rhs) = (i.lhs.cells(alone), i.rhs.cells(alone));
            let plus = rhs.iter().map(|id| row_of(id).map(|r| (r, 1)));
            let minus = lhs.iter().map(|id| row_of(id).map(|r| (r, -1)));
            plus.chain(minus).collect::<Option<Identity>>()
        })
        .collect()
}

/// Which of a table-3 row's values is its 总计, as the row's sum identity says.
pub(super) fn row_total_index(row: &RowSpec) -> Option<usize> {
    let cat = catalogue_of(std::slice::from_ref(row))?;
    let total = cat
        .identities()
        .iter()
        .find(|i| {
            i.rule == xxgk_model::identity::T3_ROW_SUM && i.rhs.ids.first().is_some_and(|id| row.ids.contains(id))
        })?
        .lhs
        .ids
        .first()?;
    row.ids.iter().position(|id| id == total)
}

/// The numbers read so far, by row and column (None when not a whole number).
pub(super) fn known_values(read: &TableRead, rows: &[RowSpec]) -> Vec<Vec<Option<i64>>> {
    rows.iter()
        .map(|r| {
            r.ids
                .iter()
                .map(|id| {
                    read.cells
                        .iter()
                        .find(|(cid, _, _)| cid == id)
                        .and_then(|(_, c, _)| c.value())
                        .and_then(|n| n.as_i64())
                })
                .collect()
        })
        .collect()
}

/// Whether candidate `v` for row `r` is consistent with the identity in every column where all
/// the other rows are known.
pub(super) fn identity_allows(idn: &Identity, r: usize, v: &[u64], known: &[Vec<Option<i64>>]) -> bool {
    let Some(&(_, sign)) = idn.iter().find(|(i, _)| *i == r) else {
        return true;
    };
    (0..v.len()).all(|c| {
        let mut sum = sign * i64::try_from(v[c]).unwrap_or(i64::MAX / 4);
        for &(i, s) in idn.iter().filter(|(i, _)| *i != r) {
            match known.get(i).and_then(|row| row.get(c)).copied().flatten() {
                Some(x) => sum += s * x,
                None => return true,
            }
        }
        sum == 0
    })
}

/// Reads table 4: its fifteen values have no row label; they are the one run of fifteen values
/// in the section (or the section's values taken together when they are split over lines), or
/// fifteen run-together digits cut by the three group totals.
pub(super) fn read_t4(segs: &[Segment], heading_line: u64, stated: &[order::Stated]) -> TableRead {
    let mut read = TableRead::default();
    let ids: Vec<String> = T4_GROUPS
        .iter()
        .flat_map(|g| T4_OUTCOMES.iter().map(move |o| t4_id(g.key, o.key)))
        .collect();
    let runs: Vec<Vec<&RawValue>> = segs
        .iter()
        .filter_map(|s| match s {
            Segment::Values(v) => {
                let mut v: Vec<&RawValue> = v.iter().collect();
                while v.last().is_some_and(|x| x.text.is_none()) {
                    v.pop();
                }
                while v.first().is_some_and(|x| x.text.is_none()) {
                    v.remove(0);
                }
                (!v.is_empty()).then_some(v)
            }
            Segment::Label { .. } => None,
        })
        .collect();
    // One run of fifteen: a row of cells, a tab-separated line, a `-layout` line or one cell per
    // line; the columns are the layout's, and a broken identity is the report's.
    // So are whole groups printed as rows of cells, one line each (a table per group).
    let width = T4_OUTCOMES.len();
    let rows_of_cells = runs.len() > 1
        && runs.iter().map(Vec::len).sum::<usize>() == ids.len()
        && runs
            .iter()
            .all(|r| r.len() % width == 0 && r.iter().all(|v| v.line == r[0].line));
    let whole: Vec<&RawValue> = runs.iter().flatten().copied().collect();
    let single = runs.iter().find(|r| r.len() == ids.len()).cloned();
    // A row of cells (tab-separated, one line) whose last cells are empty: those are blank cells,
    // not spacing.
    let padded_row = || {
        segs.iter().find_map(|s| match s {
            Segment::Values(v) => {
                let first = v.iter().position(|x| x.text.is_some())?;
                let row: Vec<&RawValue> = v[first..].iter().collect();
                (row.len() == ids.len() && row.iter().all(|x| x.line == row[0].line)).then_some(row)
            }
            Segment::Label { .. } => None,
        })
    };
    if let Some(vals) = single.or_else(|| rows_of_cells.then_some(whole)).or_else(padded_row) {
        for (id, v) in ids.iter().zip(vals) {
            let cell = v
                .text
                .as_deref()
                .map_or(Cell::Blank, |t| parse_cell(t, ValueKind::Count));
            read.cells.push((id.clone(), cell, v.line));
        }
        return read;
    }
    // Fifteen numbers over several runs: the order they appear in is not necessarily the table's.
    let numbers: Option<Vec<Vec<(u64, u64)>>> = runs
        .iter()
        .map(|r| {
            r.iter()
                .filter_map(|v| v.text.as_deref().map(|t| (t, v.line)))
                .map(|(t, line)| whole_number(t).map(|n| (n, line)))
                .collect()
        })
        .collect();
    if let Some(numbers) = numbers
        && runs.len() > 1
        && numbers.iter().map(Vec::len).sum::<usize>() == ids.len()
    {
        let values: Vec<Vec<u64>> = numbers.iter().map(|r| r.iter().map(|v| v.0).collect()).collect();
        if let Some(res) = order::resolve(&values, stated) {
            place_t4(&mut read, &ids, &numbers, &res);
            return read;
        }
    }
    let subject = xxgk_model::catalogue::T4_REVIEW_HEADER.zh.to_string();
    let spec = RowSpec::new(
        format!("{}、{}", subject, xxgk_model::catalogue::T4_LITIGATION_HEADER.zh),
        String::new(),
        None,
        ids.clone(),
        vec![ValueKind::Count; ids.len()],
    );
    let single = match runs.as_slice() {
        [run] if run.len() == 1 => run[0].text.as_deref().and_then(digit_string).map(|d| (d, run[0].line)),
        _ => None,
    };
    if let Some((digits, line)) = single {
        let total = T4_OUTCOMES.iter().position(|o| o.key == T4_TOTAL).unwrap_or(4);
        let width = T4_OUTCOMES.len();
        match cuts(&digits, ids.len(), &|v| group_sums_hold(v, width, total)) {
            Cuts::Found(f) if f.len() == 1 => accept(&mut read, TableId::T4, &spec, line, &digits, &f[0]),
            Cuts::Found(f) => read
                .notes
                .push(ambiguous(TableId::T4, &spec, line, &digits, f.len(), false)),
            Cuts::TooMany => read.notes.push(ambiguous(TableId::T4, &spec, line, &digits, 0, true)),
        }
        return read;
    }
    let all: Vec<RawValue> = runs.iter().flatten().map(|v| (*v).clone()).collect();
    let line = all.first().map_or(heading_line, |v| v.line);
    if all.is_empty() {
        read.notes.push(Note {
            rule: "IMPORT-MISSING-TABLE",
            unread: true,
            table: TableId::T4,
            subject: spec.label.clone(),
            ids,
            line: Some(heading_line),
            zh: format!("第{heading_line}行之后未找到表四的数值（报告可能被截断或表格缺失）"),
            en: format!(
                "no values of Table 4 found after line {heading_line} (the report may be cut off or the table missing)"
            ),
        });
    } else {
        read.notes.push(unreadable(TableId::T4, &spec, line, &all, false));
    }
    read
}

/// A plain whole number (“72”, “１２”), nothing else.
fn whole_number(t: &str) -> Option<u64> {
    let d = digit_string(t.trim())?;
    (d.len() <= 12).then(|| d.parse().ok()).flatten()
}

/// Places table 4 from the orders that remain: the cells every order agrees on are read; the
/// others are left unread with “数值顺序无法确定”, the values shown as the text gives them.
fn place_t4(read: &mut TableRead, ids: &[String], numbers: &[Vec<(u64, u64)>], res: &order::Resolution) {
    let line = numbers.iter().flatten().map(|v| v.1).min().unwrap_or(0);
    let shown: Vec<String> = numbers.iter().flatten().map(|v| v.0.to_string()).collect();
    let why_zh = if res.by_stated {
        "表内勾稽关系和正文所述数字"
    } else {
        "表内勾稽关系"
    };
    let why_en = if res.by_stated {
        "the table's identities and the figures the text states"
    } else {
        "the table's identities"
    };
    let mut open = Vec::new();
    for (id, cell) in ids.iter().zip(&res.cells) {
        match cell {
            Some(v) => read
                .cells
                .push((id.clone(), Cell::number(i64::try_from(*v).unwrap_or(i64::MAX)), line)),
            None => open.push(id.clone()),
        }
    }
    let subject = format!(
        "{}、{}",
        xxgk_model::catalogue::T4_REVIEW_HEADER.zh,
        xxgk_model::catalogue::T4_LITIGATION_HEADER.zh
    );
    let (rule, unread, zh, en) = if open.is_empty() {
        (
            "IMPORT-ORDER",
            false,
            format!(
                "表四的15个数值不在一行（{}），出现顺序不一定是表格的顺序；按{why_zh}只有一种排列，已按其读入",
                shown.join("、")
            ),
            format!(
                "the 15 values of Table 4 are not on one line ({}), so their order need not be the table's; {why_en} allow exactly one placement, which was read",
                shown.join(", ")
            ),
        )
    } else if res.placements == 0 {
        (
            "IMPORT-ORDER",
            true,
            format!(
                "数值顺序无法确定：表四的15个数值不在一行（{}），没有任何排列符合表内勾稽关系，不按出现顺序填入（可能是文本打乱了顺序，也可能是报告本身有误，请对照原件）",
                shown.join("、")
            ),
            format!(
                "order of values undetermined: the 15 values of Table 4 are not on one line ({}) and no placement satisfies the table's identities; they are not filled in as they appear (the text may have scrambled them, or the report itself may be wrong: check the original)",
                shown.join(", ")
            ),
        )
    } else {
        (
            "IMPORT-ORDER",
            true,
            format!(
                "数值顺序无法确定：表四的15个数值不在一行（{}），有{}种排列都符合{why_zh}，各排列不一致的{}个单元格不读入",
                shown.join("、"),
                res.placements,
                open.len()
            ),
            format!(
                "order of values undetermined: the 15 values of Table 4 are not on one line ({}) and {} placements satisfy {why_en}; the {} cells on which they differ are not read",
                shown.join(", "),
                res.placements,
                open.len()
            ),
        )
    };
    let ids_named = if open.is_empty() { ids.to_vec() } else { open };
    read.notes.push(Note {
        rule,
        unread,
        table: TableId::T4,
        subject,
        ids: ids_named,
        line: Some(line),
        zh: format!("第{line}行起：{zh}"),
        en: format!("from line {line}: {en}"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::comparable_label;
    use xxgk_model::{FormatVersion, catalogue};

    #[test]
    fn a_long_run_is_matched_by_its_end_as_a_short_one_is() {
        let rows = row_specs(catalogue(FormatVersion::V2021), TableId::T3);
        let how = |s: &str| match_row_how(&comparable_label(s), rows).map(|m| (rows[m.0].ids[0].clone(), m.1));
        // 淮安市 2024 (`-layout` text): the group label “（六）其他处理” wrapped into the row's.
        let interleaved = "2、申请人逾期未按收费通知要他处理求缴纳费用、行政机关不再处理";
        let short = how(interleaved);
        assert_eq!(short.as_ref().map(|m| m.1), Some(Named::Slip), "{short:?}");
        let slipped = "2.其他法律行政止公开";
        // Thousands of pieces of a group label before them (each once copied the whole run:
        // 20,000 took 28 s) change nothing.
        let junk = "不予公开其他处理".repeat(5_000);
        assert_eq!(how(&format!("{junk}{interleaved}")), short);
        assert_eq!(how(&format!("{junk}{slipped}")), how(slipped));
        assert_eq!(how(&junk), None);
        // A run shorter than a piece of a group label.
        assert_eq!(how("一"), None);
    }

    #[test]
    fn labels_match_with_groups_glosses_and_wraps() {
        let rows = row_specs(catalogue(FormatVersion::V2021), TableId::T3);
        let find = |s: &str| match_row(&comparable_label(s), rows).map(|i| rows[i].ids[0].clone());
        assert_eq!(
            find("三、本年度办理结果（一）予以公开").as_deref(),
            Some("t3.granted.natural_person")
        );
        assert_eq!(
            find("（三）不予公开 1、属于国家秘密").as_deref(),
            Some("t3.withheld.state_secret.natural_person")
        );
        assert_eq!(
            find("3.危及\"三安全一稳定\"").as_deref(),
            Some("t3.withheld.security_stability.natural_person")
        );
        assert_eq!(
            find("（二）部分公开（区分处理的，只计这一").as_deref(),
            Some("t3.partial.natural_person")
        );
        assert_eq!(
            find("（六）其他处理3.其他").as_deref(),
            Some("t3.other.other.natural_person")
        );
        assert_eq!(find("自然人法人或其他组织总计"), None);
        assert_eq!(
            match_row_how(&comparable_label("（三）不予公开2.其他法律行政法规禁止公开"), rows).map(|m| m.1),
            Some(Named::Official)
        );
        let slip = match_row_how(&comparable_label("2.其他法律行政法规止公开"), rows);
        assert_eq!(
            slip.map(|m| (rows[m.0].ids[0].as_str(), m.1)),
            Some(("t3.withheld.law_prohibited.natural_person", Named::Slip))
        );
        // The example: three characters dropped inside the label.
        let slip = match_row_how(&comparable_label("2.其他法律行政止公开"), rows);
        assert_eq!(
            slip.map(|m| (rows[m.0].ids[0].as_str(), m.1)),
            Some(("t3.withheld.law_prohibited.natural_person", Named::Slip))
        );
        // Dropped at an end, or more than three: no row.
        assert_eq!(match_row(&comparable_label("其他法律行政法规禁止公开"), rows), None);
        assert_eq!(match_row(&comparable_label("2.其他法律行政公开"), rows), None);
        let t2 = row_specs(catalogue(FormatVersion::V2021), TableId::T2);
        let v = match_row_how(&comparable_label("规范性文件"), t2);
        assert_eq!(
            v.map(|m| (t2[m.0].ids[0].as_str(), m.1)),
            Some(("t2.normative_docs.made", Named::Variant))
        );
        let t2v19 = row_specs(catalogue(FormatVersion::V2019), TableId::T2);
        let v = match_row_how(&comparable_label("规范性文件"), t2v19);
        assert_eq!(v.map(|m| m.1), Some(Named::Official));
        let i = match_row(&comparable_label("规章（设区的市、自治州人民政府应提供相关数据）"), t2);
        assert_eq!(i.map(|i| t2[i].ids[0].as_str()), Some("t2.regulations.made"));
    }

    /// Page text with one cell per line and an empty line between cells: a row whose blank cells
    /// left only empty lines is placed by the spacing its complete neighbours keep; without three
    /// complete rows, or off the step, it is left unread.
    #[test]
    fn blank_cells_in_page_text_are_placed_by_the_line_spacing() {
        use super::super::clean::Line;
        use super::super::tokens::segments;
        let rows = row_specs(catalogue(FormatVersion::V2021), TableId::T3);
        let page = |rows_text: &[(&str, [&str; 7])]| -> Vec<Line> {
            let mut out = Vec::new();
            for (label, cells) in rows_text {
                out.push(label.to_string());
                for c in cells {
                    out.push(String::new());
                    out.push((*c).to_string());
                }
                out.push(String::new());
            }
            out.into_iter()
                .enumerate()
                .map(|(i, text)| Line { no: i as u64 + 1, text })
                .collect()
        };
        let full = ["1", "0", "0", "0", "0", "0", "1"];
        let gappy = ["2", "", "", "", "", "", "2"];
        let read = |lines: &[Line]| {
            let segs = segments(lines, &|_| false);
            read_rows(TableId::T3, &segs, rows, &[])
        };
        let cell = |r: &TableRead, id: &str| r.cells.iter().find(|c| c.0 == id).map(|c| c.1.clone());
        let with_neighbours = page(&[
            ("一、本年新收政府信息公开申请数量", full),
            ("二、上年结转政府信息公开申请数量", full),
            ("（一）予以公开", full),
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", gappy),
        ]);
        let r = read(&with_neighbours);
        assert_eq!(cell(&r, "t3.partial.natural_person"), Some(Cell::number(2)));
        assert_eq!(cell(&r, "t3.partial.commercial"), Some(Cell::Blank));
        assert_eq!(cell(&r, "t3.partial.total"), Some(Cell::number(2)));
        assert!(r.notes.iter().any(|n| n.rule == "IMPORT-SPACED"));
        // Two complete rows are not enough to know the spacing.
        let few = page(&[
            ("一、本年新收政府信息公开申请数量", full),
            ("二、上年结转政府信息公开申请数量", full),
            ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", gappy),
        ]);
        let r = read(&few);
        assert_eq!(cell(&r, "t3.partial.natural_person"), None);
        assert!(
            r.notes
                .iter()
                .any(|n| n.unread && n.line.is_some() && n.ids.iter().any(|id| id == "t3.partial.natural_person")),
            "the row is named: {:?}",
            r.notes
        );
        // A value off the step (one empty line too many) leaves the row unread.
        let mut off = with_neighbours.clone();
        let last = off.len() - 2;
        off.insert(
            last,
            Line {
                no: 0,
                text: String::new(),
            },
        );
        for (i, l) in off.iter_mut().enumerate() {
            l.no = i as u64 + 1;
        }
        let r = read(&off);
        assert_eq!(cell(&r, "t3.partial.total"), None);
        // An extractor that collapsed the empty lines: the two values sit next to each other, and
        // nothing tells where the five blank cells were.
        let mut collapsed = page(&[
            ("一、本年新收政府信息公开申请数量", full),
            ("二、上年结转政府信息公开申请数量", full),
            ("（一）予以公开", full),
        ]);
        let n = collapsed.len() as u64;
        for (i, t) in [
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "",
            "2",
            "",
            "2",
        ]
        .iter()
        .enumerate()
        {
            collapsed.push(Line {
                no: n + i as u64 + 1,
                text: (*t).to_string(),
            });
        }
        let r = read(&collapsed);
        assert_eq!(
            cell(&r, "t3.partial.commercial"),
            None,
            "no value is put in a column it may not be in"
        );
        assert_eq!(cell(&r, "t3.partial.natural_person"), None);
    }
}
