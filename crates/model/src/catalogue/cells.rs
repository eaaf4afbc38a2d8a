//! Every cell of the form: the catalogue built from the tables, looked up by id or position.

use super::*;

/// One cell of the official form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDef {
    /// Stable public id, e.g. `t3.withheld.state_secret.total`.
    pub id: String,
    /// The table.
    pub table: TableId,
    /// Row key (`withheld.state_secret`; for table 4 the group key).
    pub row_key: &'static str,
    /// Column key (`total`).
    pub column_key: &'static str,
    /// Row labels from the outermost to the cell's own (`三、本年度办理结果`, `（三）不予公开`, `1.属于国家秘密`).
    /// For table 2 the first element is the block caption. Table 4 has no row label.
    pub row_path: Vec<Label>,
    /// Column labels from the outermost to the cell's own.
    pub column_path: Vec<Label>,
    /// What the cell holds.
    pub kind: ValueKind,
}

/// Joins label paths for one-line display.
pub const PATH_SEPARATOR: &str = " / ";

impl CellDef {
    /// The row label path on one line.
    pub fn row_label(&self, lang: Lang) -> String {
        join_labels(&self.row_path, lang)
    }

    /// The column label path on one line.
    pub fn column_label(&self, lang: Lang) -> String {
        join_labels(&self.column_path, lang)
    }

    /// The cell's own row label (the last element of the path), or "" for table 4.
    pub fn row_leaf(&self) -> Option<Label> {
        self.row_path.last().copied()
    }

    /// The cell's own column label.
    pub fn column_leaf(&self) -> Option<Label> {
        self.column_path.last().copied()
    }

    /// A short name for messages: `（一）予以公开 × 自然人`, `规章 × 本年制发件数`,
    /// `未经复议直接起诉 × 结果维持`.
    pub fn short_label(&self, lang: Lang) -> String {
        let row = match self.table {
            TableId::T4 => self.column_path.iter().rev().nth(1).map(|l| l.get(lang)),
            _ => self.row_leaf().map(|l| l.get(lang)),
        };
        let col = self.column_leaf().map(|l| l.get(lang)).unwrap_or_default();
        match row {
            Some(r) => format!("{r} × {col}"),
            None => col.to_string(),
        }
    }
}

/// The column path of a table-3 column: 申请人情况 (/ 法人或其他组织) / its label.
pub(super) fn t3_column_path(c: &T3Column) -> Vec<Label> {
    let mut path = vec![T3_APPLICANTS_HEADER];
    if c.in_org_group {
        path.push(T3_ORG_GROUP);
    }
    path.push(c.label);
    path
}

pub(super) fn join_labels(path: &[Label], lang: Lang) -> String {
    path.iter()
        .map(|l| l.get(lang))
        .collect::<Vec<_>>()
        .join(PATH_SEPARATOR)
}

/// The layout and cells of one format version.
#[derive(Debug)]
pub struct Catalogue {
    /// The version described.
    pub version: FormatVersion,
    /// Table 2 blocks in order.
    pub t2_blocks: &'static [T2Block],
    /// Table 3 rows in order.
    pub t3_rows: &'static [T3Row],
    /// Groups of table-3 rows a report may print as one row (（三）–（五）, and （六） in the 2021
    /// form; the 2019 form prints （六）其他处理 as one row anyway).
    pub t3_groups: &'static [T3Group],
    /// The cells of the form, then the cells of the groups (`form_cells` of them first).
    cells: Vec<CellDef>,
    form_cells: usize,
    pub(super) by_id: rustc_hash::FxHashMap<String, usize>,
    /// Table-3 ids by column key, then row role, in form order: the identities are built from
    /// them once here.
    t3_by_column: rustc_hash::FxHashMap<&'static str, Vec<(T3RowRole, Vec<String>)>>,
    identities: Vec<crate::identity::Identity>,
    /// For each group cell (in `group_cells` order): the positions of the cells it stands for
    /// (its items' cells in its column), or `None` when one of them is not listed.
    group_parts: Vec<Option<Vec<usize>>>,
}

impl Catalogue {
    fn build(version: FormatVersion) -> Self {
        let (t2_blocks, t3_rows, t3_groups): (&'static [T2Block], &'static [T3Row], &'static [T3Group]) = match version
        {
            FormatVersion::V2019 => (&T2_V2019, &T3_V2019, &T3_GROUPS_V2019),
            FormatVersion::V2021 => (&T2_V2021, &T3_V2021, &T3_GROUPS_V2021),
        };
        let mut cells = Vec::new();
        for block in t2_blocks {
            for r in block.rows {
                for c in block.columns {
                    cells.push(CellDef {
                        id: t2_id(r.key, c.key),
                        table: TableId::T2,
                        row_key: r.key,
                        column_key: c.key,
                        row_path: vec![block.caption, r.label],
                        column_path: vec![c.label],
                        kind: c.kind,
                    });
                }
            }
        }
        for r in t3_rows {
            let mut row_path = Vec::new();
            if matches!(r.role, T3RowRole::Result | T3RowRole::ResultsTotal) {
                row_path.push(T3_RESULTS_HEADER);
            }
            row_path.extend(r.group);
            row_path.push(r.label);
            for c in &T3_COLUMNS {
                cells.push(CellDef {
                    id: t3_id(r.key, c.key),
                    table: TableId::T3,
                    row_key: r.key,
                    column_key: c.key,
                    row_path: row_path.clone(),
                    column_path: t3_column_path(c),
                    kind: Count,
                });
            }
        }
        for g in &T4_GROUPS {
            for o in &T4_OUTCOMES {
                let mut column_path: Vec<Label> = g.parent.into_iter().collect();
                column_path.push(g.label);
                column_path.push(o.label);
                cells.push(CellDef {
                    id: t4_id(g.key, o.key),
                    table: TableId::T4,
                    row_key: g.key,
                    column_key: o.key,
                    row_path: Vec::new(),
                    column_path,
                    kind: Count,
                });
            }
        }
        let form_cells = cells.len();
        for g in t3_groups {
            for c in &T3_COLUMNS {
                cells.push(CellDef {
                    id: t3_id(g.key, c.key),
                    table: TableId::T3,
                    row_key: g.key,
                    column_key: c.key,
                    row_path: vec![T3_RESULTS_HEADER, g.label],
                    column_path: t3_column_path(c),
                    kind: Count,
                });
            }
        }
        let by_id = cells.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let mut t3_by_column = rustc_hash::FxHashMap::<&'static str, Vec<(T3RowRole, Vec<String>)>>::default();
        for c in &T3_COLUMNS {
            let roles = t3_by_column.entry(c.key).or_default();
            for r in t3_rows {
                let id = t3_id(r.key, c.key);
                match roles.iter_mut().find(|(role, _)| *role == r.role) {
                    Some((_, ids)) => ids.push(id),
                    None => roles.push((r.role, vec![id])),
                }
            }
        }
        let mut cat = Catalogue {
            version,
            t2_blocks,
            t3_rows,
            t3_groups,
            cells,
            form_cells,
            by_id,
            t3_by_column,
            identities: Vec::new(),
            group_parts: Vec::new(),
        };
        cat.group_parts = cat
            .group_cells()
            .iter()
            .map(|d| {
                let group = cat.t3_groups.iter().find(|g| g.key == d.row_key)?;
                group
                    .parts
                    .iter()
                    .map(|p| cat.position(&t3_id(p, d.column_key)))
                    .collect()
            })
            .collect();
        cat.identities = crate::identity::build(&cat);
        let by_id = &cat.by_id;
        for side in cat.identities.iter_mut().flat_map(|i| [&mut i.lhs, &mut i.rhs]) {
            side.positions = side.ids.iter().filter_map(|id| by_id.get(id).copied()).collect();
            debug_assert_eq!(
                side.positions.len(),
                side.ids.len(),
                "every id of an identity is listed"
            );
        }
        cat
    }

    /// The arithmetic identities of the form (勾稽关系), in the order the rules check them.
    pub fn identities(&self) -> &[crate::identity::Identity] {
        &self.identities
    }

    /// The ids of the table-3 rows with `role` in `column`, in form order.
    pub fn t3_ids(&self, role: T3RowRole, column: &str) -> &[String] {
        self.t3_by_column
            .get(column)
            .and_then(|roles| roles.iter().find(|(r, _)| *r == role))
            .map_or(&[], |(_, ids)| ids.as_slice())
    }

    /// Every cell of the form in form order (table 2 block by block and row by row, table 3 row
    /// by row, table 4).
    pub fn cells(&self) -> &[CellDef] {
        &self.cells[..self.form_cells]
    }

    /// The cells of the groups a report may print as one row ([`T3Group`]), group by group.
    pub fn group_cells(&self) -> &[CellDef] {
        &self.cells[self.form_cells..]
    }

    /// The cells of the form, then those of the groups: what a report can hold, by position.
    pub fn all_cells(&self) -> &[CellDef] {
        &self.cells
    }

    /// The cells of one table of the form in form order.
    pub fn table_cells(&self, table: TableId) -> impl Iterator<Item = &CellDef> {
        self.cells().iter().filter(move |c| c.table == table)
    }

    /// Looks a cell up by id (a cell of the form or of a group).
    pub fn cell(&self, id: &str) -> Option<&CellDef> {
        self.by_id.get(id).map(|&i| &self.cells[i])
    }

    /// The position of a cell in [`Catalogue::all_cells`]: the form's cells in form order, then
    /// the groups'.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The positions (in [`Catalogue::all_cells`]) of the cells a group cell at `position`
    /// stands for: its items' cells in its column. `None` for a cell of the form.
    pub fn group_part_positions(&self, position: usize) -> Option<&[usize]> {
        let i = position.checked_sub(self.form_cells)?;
        self.group_parts.get(i)?.as_deref()
    }

    /// The group a group cell belongs to.
    pub fn group_of(&self, id: &str) -> Option<&'static T3Group> {
        let def = self.group_cells().iter().find(|d| d.id == id)?;
        self.t3_groups.iter().find(|g| g.key == def.row_key)
    }

    /// The rows of table 3 with a given role.
    pub fn t3_rows_with(&self, role: T3RowRole) -> impl Iterator<Item = &'static T3Row> {
        self.t3_rows.iter().filter(move |r| r.role == role)
    }

    /// Table 2 blocks with their rows and columns, as (block, row, column) triples in form order.
    pub fn t2_cells(&self) -> impl Iterator<Item = (&'static T2Block, &'static T2Row, &'static T2Column)> {
        self.t2_blocks.iter().flat_map(|b| {
            b.rows
                .iter()
                .flat_map(move |r| b.columns.iter().map(move |c| (b, r, c)))
        })
    }
}

/// The id of a table-3 cell.
pub fn t3_id(row_key: &str, column_key: &str) -> String {
    // `concat` sizes the string once: ids are built thousands of times per report by the rules.
    ["t3.", row_key, ".", column_key].concat()
}

/// The id of a table-4 cell.
pub fn t4_id(group_key: &str, outcome_key: &str) -> String {
    ["t4.", group_key, ".", outcome_key].concat()
}

/// The id of a table-2 cell.
pub fn t2_id(row_key: &str, column_key: &str) -> String {
    ["t2.", row_key, ".", column_key].concat()
}

static CATALOGUES: PerVersion<Catalogue> = PerVersion::new(Catalogue::build);

/// The catalogue of a format version.
pub fn catalogue(version: FormatVersion) -> &'static Catalogue {
    CATALOGUES.get(version)
}

/// The unit printed in the V2021 fee column.
pub const WAN_YUAN: &str = "万元";
