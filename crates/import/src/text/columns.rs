//! The order in which a table's header prints its columns.
//!
//! The text reader finds rows by their labels, but takes a row's values in the official column
//! order: the text has no cells, only a run of numbers after each label. A header that prints
//! the columns in another order (社会公益组织 before 科研机构, 结果纠正 before 结果维持, 总计
//! first) would put every value of the table in another column's cell, and most tables would
//! still add up. Where the header names a table's columns in another order than the form, the
//! table is not read, and the finding says which columns.

use super::clean::Line;
use super::tables::{Note, TableRead};
use crate::labels::{comparable_catalogue_label, comparable_label};
use xxgk_model::catalogue::{Catalogue, T3_COLUMNS, T3_ORG_GROUP, T4_GROUPS, T4_OUTCOMES, T4_TOTAL};
use xxgk_model::{Label, TableId};

/// Rule id of the error for a table whose header prints its columns in another order.
pub(super) const COLUMN_ORDER_RULE: &str = "IMPORT-COLUMN-ORDER";

/// Runs of column labels the form prints in this order, in one header line or across a header
/// of several levels: checked where the header prints all of a run.
fn runs(cat: &Catalogue, table: TableId) -> Vec<Vec<Label>> {
    match table {
        TableId::T2 => {
            // The columns of the table's first block (本年制发件数, 本年废止件数, 现行有效件数).
            let cells = cat.cells().iter().filter(|d| d.table == TableId::T2);
            let first_row = cells.clone().next().map(|d| d.row_key);
            vec![
                cells
                    .filter(|d| Some(d.row_key) == first_row)
                    .filter_map(|d| d.column_leaf())
                    .collect(),
            ]
        }
        TableId::T3 => vec![
            T3_COLUMNS.iter().filter(|c| c.in_org_group).map(|c| c.label).collect(),
            // 总计 is the last column, after 自然人 in a header of one level or of two.
            T3_COLUMNS.iter().filter(|c| !c.in_org_group).map(|c| c.label).collect(),
        ],
        TableId::T4 => vec![
            // Not 总计, printed three times and, in text taken from a PDF, amid a wrapped
            // neighbour (`尚未` / `总计` / `审结`).
            T4_OUTCOMES
                .iter()
                .filter(|o| o.key != T4_TOTAL)
                .map(|o| o.label)
                .collect(),
            T4_GROUPS
                .iter()
                .filter(|g| g.parent.is_some())
                .map(|g| g.label)
                .collect(),
        ],
    }
}

/// The note refusing `read` when the header above its first row prints a run of its columns in
/// another order than the form's.
pub(super) fn misordered(table: TableId, cat: &Catalogue, body: &[Line], read: &TableRead) -> Option<Note> {
    let first = read.cells.iter().map(|c| c.2).min()?;
    // The header's lines: before the first row read, and no sentence (prose before a table may
    // name the columns in any order: “总计56件，其中自然人……”).
    let header: Vec<&Line> = body
        .iter()
        .take_while(|l| l.no < first)
        .filter(|l| !l.text.contains(['。', '，', '；', ',']))
        .collect();
    let mut text = header
        .iter()
        .map(|l| comparable_label(&l.text))
        .collect::<Vec<_>>()
        // Joined without a break: a header cell's label wraps over lines (`社会` / `公益` / `组织`).
        .concat();
    // `其他` is a column and part of the group `法人或其他组织` above it: the group is no column.
    let group = comparable_catalogue_label(T3_ORG_GROUP.zh);
    text = text.replace(group, &"\u{3000}".repeat(group.chars().count()));
    for run in runs(cat, table) {
        let at: Option<Vec<usize>> = run
            .iter()
            .map(|l| text.find(comparable_catalogue_label(l.zh)))
            .collect();
        let Some(at) = at else { continue };
        if at.windows(2).all(|w| w[0] < w[1]) {
            continue;
        }
        let mut printed: Vec<(usize, &Label)> = at.into_iter().zip(&run).collect();
        printed.sort_by_key(|(p, _)| *p);
        let names = |lang: xxgk_model::Lang, labels: &mut dyn Iterator<Item = &Label>| {
            labels.map(|l| l.get(lang)).collect::<Vec<_>>().join(match lang {
                xxgk_model::Lang::Zh => "、",
                xxgk_model::Lang::En => ", ",
            })
        };
        let line = header.first().map_or(first, |l| l.no);
        let name = table.name(xxgk_model::Lang::Zh);
        return Some(Note {
            rule: COLUMN_ORDER_RULE,
            unread: true,
            table,
            subject: name.to_string(),
            ids: read.cells.iter().map(|c| c.0.clone()).collect(),
            line: Some(line),
            zh: format!(
                "第{line}行起：{name}的表头按“{}”的顺序印列，表样的顺序是“{}”；文本中各行只有数字，无法按位置确定各数字所属的列，{name}未读入",
                names(xxgk_model::Lang::Zh, &mut printed.iter().map(|(_, l)| *l)),
                names(xxgk_model::Lang::Zh, &mut run.iter()),
            ),
            en: format!(
                "from line {line}: the header of {} prints the columns as “{}”, the form as “{}”; the rows of a text hold only numbers, so which column each belongs to cannot be told by position, and the table was not read",
                table.name(xxgk_model::Lang::En),
                names(xxgk_model::Lang::En, &mut printed.iter().map(|(_, l)| *l)),
                names(xxgk_model::Lang::En, &mut run.iter()),
            ),
        });
    }
    None
}
