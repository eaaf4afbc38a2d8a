//! The printed layout of the three tables exactly as the official form draws them: which label
//! sits where, what it spans, and where each data cell goes.
//!
//! Every renderer (the xlsx form and template, HTML, Markdown, Word) places cells from this one
//! layout, so the merged headers of the form are written down once, here, from the catalogue.
//! Coordinates are 0-based (row, column) in a grid of `width` × `height`.

use crate::catalogue::T3Group;
use crate::catalogue::{
    CellDef, Label, T2_LABEL_HEADER, T3_APPLICANTS_HEADER, T3_BALANCE_NOTE, T3_COLUMNS, T3_ORG_GROUP,
    T3_RESULTS_HEADER, T3RowRole, T4_GROUPS, T4_LITIGATION_HEADER, T4_OUTCOMES, T4_REVIEW_HEADER, TableId, catalogue,
    t2_id, t3_id, t4_id,
};
use crate::report::Report;
use crate::value::Cell;
use crate::version::FormatVersion;

/// What a placed cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A block caption (table 2: `第二十条第（一）项`).
    Caption(Label),
    /// A column header.
    ColumnHeader(Label),
    /// A row label.
    RowHeader(Label),
    /// The note in the top-left corner of table 3.
    Note(Label),
    /// A data cell of the catalogue.
    Data(&'static CellDef),
}

/// One cell of the printed table, with its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// First row.
    pub row: u32,
    /// First column.
    pub col: u32,
    /// Rows spanned (≥ 1).
    pub rows: u32,
    /// Columns spanned (≥ 1).
    pub cols: u32,
    /// What it shows.
    pub content: Content,
}

impl Placed {
    /// Whether the cell spans more than one grid cell.
    pub fn is_merged(&self) -> bool {
        self.rows > 1 || self.cols > 1
    }
}

/// The printed layout of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    /// The table.
    pub table: TableId,
    /// Grid columns.
    pub width: u32,
    /// Grid rows.
    pub height: u32,
    /// Rows at the top that are headers (repeated on each printed page).
    pub header_rows: u32,
    /// Every placed cell, row by row, left to right.
    pub cells: Vec<Placed>,
}

impl TableLayout {
    /// The placed cell that covers a grid position.
    pub fn at(&self, row: u32, col: u32) -> Option<&Placed> {
        self.cells
            .iter()
            .find(|p| row >= p.row && row < p.row + p.rows && col >= p.col && col < p.col + p.cols)
    }

    /// Where each data cell sits: (cell, row, col).
    pub fn data_cells(&self) -> impl Iterator<Item = (&'static CellDef, u32, u32)> + '_ {
        self.cells.iter().filter_map(|p| match p.content {
            Content::Data(d) => Some((d, p.row, p.col)),
            _ => None,
        })
    }
}

struct Builder {
    version: FormatVersion,
    cells: Vec<Placed>,
}

impl Builder {
    fn put(&mut self, row: u32, col: u32, rows: u32, cols: u32, content: Content) {
        self.cells.push(Placed {
            row,
            col,
            rows,
            cols,
            content,
        });
    }
    fn data(&mut self, row: u32, col: u32, cols: u32, id: &str) {
        // Every id built here comes from the same catalogue, so the lookup cannot miss; a miss
        // would be a bug in this file, caught by the tests below.
        if let Some(def) = catalogue(self.version).cell(id) {
            self.put(row, col, 1, cols, Content::Data(def));
        }
    }
    fn finish(mut self, table: TableId, width: u32, header_rows: u32) -> TableLayout {
        self.cells.sort_by_key(|p| (p.row, p.col));
        let height = self.cells.iter().map(|p| p.row + p.rows).max().unwrap_or(0);
        TableLayout {
            table,
            width,
            height,
            header_rows,
            cells: self.cells,
        }
    }
}

/// The layout of a table as a report prints it: the form's ([`table_layout`]), except that a
/// group of table 3 the report prints as one row without its sub-rows (（六）其他处理 alone, see
/// [`crate::catalogue::T3Group`]) is one row holding the group's cells, as printed.
pub fn report_layout(report: &Report, table: TableId) -> TableLayout {
    let version = report.meta.format;
    let printed = |id: &str| !matches!(report.cell(id), Cell::Blank);
    let alone: Vec<&'static T3Group> = catalogue(version)
        .t3_groups
        .iter()
        .filter(|g| g.printed_alone(printed))
        .collect();
    if table != TableId::T3 || alone.is_empty() {
        return table_layout(version, table);
    }
    layout_of(version, table, &alone)
}

/// The layout of a table in a format version.
pub fn table_layout(version: FormatVersion, table: TableId) -> TableLayout {
    layout_of(version, table, &[])
}

/// The layout of a table, with `groups` printed as one row each instead of their sub-rows.
fn layout_of(version: FormatVersion, table: TableId, groups: &[&'static T3Group]) -> TableLayout {
    let mut b = Builder {
        version,
        cells: Vec::new(),
    };
    match table {
        TableId::T2 => {
            // One label column and three data columns; a block with fewer data columns widens
            // its last column, as the official form does.
            const DATA_COLS: u32 = 3;
            let mut row = 0;
            for block in catalogue(version).t2_blocks {
                b.put(row, 0, 1, DATA_COLS + 1, Content::Caption(block.caption));
                b.put(row + 1, 0, 1, 1, Content::ColumnHeader(T2_LABEL_HEADER));
                let spans = spread(block.columns.len() as u32, DATA_COLS);
                let mut col = 1;
                for (c, span) in block.columns.iter().zip(&spans) {
                    b.put(row + 1, col, 1, *span, Content::ColumnHeader(c.label));
                    col += span;
                }
                row += 2;
                for r in block.rows {
                    b.put(row, 0, 1, 1, Content::RowHeader(r.label));
                    let mut col = 1;
                    for (c, span) in block.columns.iter().zip(&spans) {
                        b.data(row, col, *span, &t2_id(r.key, c.key));
                        col += span;
                    }
                    row += 1;
                }
            }
            b.finish(TableId::T2, DATA_COLS + 1, 0)
        }
        TableId::T3 => {
            const LABEL_COLS: u32 = 3;
            const HEADER_ROWS: u32 = 3;
            b.put(0, 0, HEADER_ROWS, LABEL_COLS, Content::Note(T3_BALANCE_NOTE));
            b.put(
                0,
                LABEL_COLS,
                1,
                T3_COLUMNS.len() as u32,
                Content::ColumnHeader(T3_APPLICANTS_HEADER),
            );
            let org = T3_COLUMNS.iter().filter(|c| c.in_org_group).count() as u32;
            let mut org_placed = false;
            for (i, c) in T3_COLUMNS.iter().enumerate() {
                let col = LABEL_COLS + i as u32;
                if c.in_org_group {
                    if !org_placed {
                        b.put(1, col, 1, org, Content::ColumnHeader(T3_ORG_GROUP));
                        org_placed = true;
                    }
                    b.put(2, col, 1, 1, Content::ColumnHeader(c.label));
                } else {
                    b.put(1, col, 2, 1, Content::ColumnHeader(c.label));
                }
            }
            let rows = catalogue(version).t3_rows;
            let mut row = HEADER_ROWS;
            let group_of = |key: &str| groups.iter().find(|g| g.parts.contains(&key)).copied();
            let results = rows
                .iter()
                .filter(|r| matches!(r.role, T3RowRole::Result | T3RowRole::ResultsTotal))
                .filter(|r| group_of(r.key).is_none_or(|g| g.parts.first() == Some(&r.key)))
                .count();
            let mut i = 0;
            while i < rows.len() {
                let r = &rows[i];
                if let Some(g) = group_of(r.key) {
                    // The group as one row, in place of its first sub-row; the others are not printed.
                    if g.parts.first() == Some(&r.key) {
                        b.put(row, 1, 1, LABEL_COLS - 1, Content::RowHeader(g.label));
                        for (j, c) in T3_COLUMNS.iter().enumerate() {
                            b.data(row, LABEL_COLS + j as u32, 1, &t3_id(g.key, c.key));
                        }
                        row += 1;
                    }
                    i += 1;
                    continue;
                }
                let in_results = matches!(r.role, T3RowRole::Result | T3RowRole::ResultsTotal);
                if in_results && (i == 0 || !matches!(rows[i - 1].role, T3RowRole::Result)) {
                    b.put(row, 0, results as u32, 1, Content::RowHeader(T3_RESULTS_HEADER));
                }
                match (in_results, r.group) {
                    (false, _) => b.put(row, 0, 1, LABEL_COLS, Content::RowHeader(r.label)),
                    (true, None) => b.put(row, 1, 1, LABEL_COLS - 1, Content::RowHeader(r.label)),
                    (true, Some(g)) => {
                        if i == 0 || rows[i - 1].group != Some(g) {
                            let n = rows[i..].iter().take_while(|x| x.group == Some(g)).count() as u32;
                            b.put(row, 1, n, 1, Content::RowHeader(g));
                        }
                        b.put(row, 2, 1, 1, Content::RowHeader(r.label));
                    }
                }
                for (j, c) in T3_COLUMNS.iter().enumerate() {
                    b.data(row, LABEL_COLS + j as u32, 1, &t3_id(r.key, c.key));
                }
                row += 1;
                i += 1;
            }
            b.finish(TableId::T3, LABEL_COLS + T3_COLUMNS.len() as u32, HEADER_ROWS)
        }
        TableId::T4 => {
            let n = T4_OUTCOMES.len() as u32;
            b.put(0, 0, 1, n, Content::ColumnHeader(T4_REVIEW_HEADER));
            b.put(0, n, 1, 2 * n, Content::ColumnHeader(T4_LITIGATION_HEADER));
            for (g, group) in T4_GROUPS.iter().enumerate() {
                let base = g as u32 * n;
                if group.parent.is_some() {
                    b.put(1, base, 1, n, Content::ColumnHeader(group.label));
                }
                for (o, outcome) in T4_OUTCOMES.iter().enumerate() {
                    let col = base + o as u32;
                    if group.parent.is_some() {
                        b.put(2, col, 1, 1, Content::ColumnHeader(outcome.label));
                    } else {
                        b.put(1, col, 2, 1, Content::ColumnHeader(outcome.label));
                    }
                    b.data(3, col, 1, &t4_id(group.key, outcome.key));
                }
            }
            b.finish(TableId::T4, 3 * n, 3)
        }
    }
}

/// Splits `total` grid columns among `n` data columns, the last taking what is left.
fn spread(n: u32, total: u32) -> Vec<u32> {
    let n = n.clamp(1, total);
    let mut spans = vec![1; n as usize];
    if let Some(last) = spans.last_mut() {
        *last = total - (n - 1);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogue;

    #[test]
    fn every_catalogue_cell_is_placed_once_and_nothing_overlaps() {
        for v in FormatVersion::ALL {
            for t in TableId::ALL {
                let l = table_layout(v, t);
                let placed: Vec<&str> = l.data_cells().map(|(d, _, _)| d.id.as_str()).collect();
                let expected: Vec<&str> = catalogue(v).table_cells(t).map(|d| d.id.as_str()).collect();
                let mut a = placed.clone();
                let mut b = expected.clone();
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "{v} {t:?}");
                for r in 0..l.height {
                    for c in 0..l.width {
                        let n = l
                            .cells
                            .iter()
                            .filter(|p| r >= p.row && r < p.row + p.rows && c >= p.col && c < p.col + p.cols)
                            .count();
                        assert_eq!(n, 1, "{v} {t:?} grid ({r},{c}) covered {n} times");
                    }
                }
            }
        }
    }

    #[test]
    fn table3_matches_the_official_merges() {
        let l = table_layout(FormatVersion::V2021, TableId::T3);
        assert_eq!((l.width, l.height), (10, 28));
        let results = l
            .cells
            .iter()
            .find(|p| p.content == Content::RowHeader(T3_RESULTS_HEADER))
            .expect("三");
        assert_eq!((results.row, results.col, results.rows), (5, 0, 22));
        let old = table_layout(FormatVersion::V2019, TableId::T3);
        let results = old
            .cells
            .iter()
            .find(|p| p.content == Content::RowHeader(T3_RESULTS_HEADER))
            .expect("三");
        assert_eq!(results.rows, 20);
        let t4 = table_layout(FormatVersion::V2021, TableId::T4);
        assert_eq!((t4.width, t4.height), (15, 4));
    }

    /// A report that prints （六）其他处理 as one row is laid out so: one row with the group's
    /// cells where the three sub-rows were, under a results header two rows shorter.
    #[test]
    fn a_group_printed_alone_is_laid_out_as_one_row() {
        use crate::report::{Meta, Report};
        let mut r = Report::new(Meta::new("某局", 2023, FormatVersion::V2021));
        assert_eq!(
            report_layout(&r, TableId::T3),
            table_layout(FormatVersion::V2021, TableId::T3)
        );
        r.cells.set("t3.other.total", Cell::number(3));
        let l = report_layout(&r, TableId::T3);
        let form = table_layout(FormatVersion::V2021, TableId::T3);
        assert_eq!(l.height, form.height - 2);
        let ids: Vec<&str> = l.data_cells().map(|(d, _, _)| d.id.as_str()).collect();
        assert!(ids.contains(&"t3.other.total") && ids.contains(&"t3.other.natural_person"));
        assert!(
            !ids.iter()
                .any(|id| id.starts_with("t3.other.") && id.split('.').count() == 4)
        );
        let label = l
            .cells
            .iter()
            .find(|p| p.content == Content::RowHeader(catalogue(FormatVersion::V2021).t3_groups[3].label))
            .expect("group label");
        assert_eq!((label.col, label.cols, label.rows), (1, 2, 1));
        let results = |l: &TableLayout| {
            l.cells
                .iter()
                .find(|p| p.content == Content::RowHeader(T3_RESULTS_HEADER))
                .map(|p| p.rows)
        };
        assert_eq!(results(&l), results(&form).map(|n| n - 2));
        // The other tables, and a report printing the sub-rows too, keep the form's layout.
        assert_eq!(
            report_layout(&r, TableId::T4),
            table_layout(FormatVersion::V2021, TableId::T4)
        );
        r.cells.set("t3.other.other.total", Cell::number(3));
        assert_eq!(report_layout(&r, TableId::T3), form);
    }

    /// Every group printed alone, in both forms: one row each, in form order, where their 8, 3,
    /// 5 (and 3) sub-rows were.
    #[test]
    fn every_group_printed_alone_is_one_row_in_form_order() {
        use crate::report::{Meta, Report};
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            let mut r = Report::new(Meta::new("某局", 2023, v));
            for g in cat.t3_groups {
                r.cells.set(t3_id(g.key, "total"), Cell::number(1));
            }
            let l = report_layout(&r, TableId::T3);
            let form = table_layout(v, TableId::T3);
            let parts: u32 = cat.t3_groups.iter().map(|g| g.parts.len() as u32 - 1).sum();
            assert_eq!(l.height, form.height - parts, "{v}");
            let rows: Vec<u32> = cat
                .t3_groups
                .iter()
                .map(|g| {
                    l.cells
                        .iter()
                        .find(|p| p.content == Content::RowHeader(g.label))
                        .map(|p| {
                            assert_eq!((p.col, p.cols, p.rows), (1, 2, 1), "{}", g.key);
                            p.row
                        })
                        .expect("group label")
                })
                .collect();
            assert!(rows.windows(2).all(|w| w[1] == w[0] + 1), "{v}: {rows:?}");
            let ids: Vec<&str> = l.data_cells().map(|(d, _, _)| d.id.as_str()).collect();
            for g in cat.t3_groups {
                assert!(ids.contains(&t3_id(g.key, "total").as_str()), "{}", g.key);
                for p in g.parts {
                    assert!(!ids.contains(&t3_id(p, "total").as_str()), "{p}");
                }
            }
        }
    }
}
