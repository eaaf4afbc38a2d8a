//! Table 3 (收到和处理政府信息公开申请情况): the applicant columns under their header rows,
//! and the handling rows from 新收 down to 结转下年度, group rows included.

use super::*;

/// What table 3's matcher compares with, for one form version: made once per process, since
/// every workbook of a batch is matched against the same labels.
struct T3Plan {
    /// The first and the last official row label, normalised.
    first_norm: &'static str,
    last_norm: &'static str,
    /// The seven columns: key and normalised label path.
    columns: Vec<(&'static str, Vec<Official>)>,
    /// The rows of the form, then the groups a report may print as one row: key and normalised
    /// label path.
    rows: Vec<(&'static str, Vec<Official>)>,
    /// The catalogue position of each cell, by entry of `rows` and column of `columns`.
    positions: Vec<Vec<Option<usize>>>,
    /// How many entries of `rows` are rows of the form (the groups follow).
    form_rows: usize,
    /// A row's own label (normalised) → the row, for labels that name no other row of the form.
    unrivalled: rustc_hash::FxHashMap<&'static str, usize>,
}

impl T3Plan {
    fn build(version: FormatVersion) -> Self {
        let cat = catalogue(version);
        let norm = |l: &'static str| comparable_catalogue_label(l);
        let mut seen: Vec<&'static str> = Vec::new();
        let columns: Vec<(&'static str, Vec<Official>)> = cat
            .table_cells(TableId::T3)
            .filter(|d| {
                let new = !seen.contains(&d.column_key);
                seen.push(d.column_key);
                new
            })
            .map(|d| (d.column_key, comparable_path(&d.column_path)))
            .collect();
        let mut rows: Vec<(&'static str, Vec<Official>)> = cat
            .t3_rows
            .iter()
            .map(|r| {
                let path = cat
                    .table_cells(TableId::T3)
                    .find(|d| d.row_key == r.key)
                    .map(|d| comparable_path(&d.row_path))
                    .unwrap_or_default();
                (r.key, path)
            })
            .collect();
        for group in cat.t3_groups {
            let path = cat
                .cell(&xxgk_model::catalogue::t3_id(
                    group.key,
                    xxgk_model::catalogue::T3_TOTAL,
                ))
                .map(|d| comparable_path(&d.row_path))
                .unwrap_or_default();
            rows.push((group.key, path));
        }
        let positions = rows
            .iter()
            .map(|(row, _)| {
                columns
                    .iter()
                    .map(|(col, _)| cat.position(&xxgk_model::catalogue::t3_id(row, col)))
                    .collect()
            })
            .collect();
        let form_rows = cat.t3_rows.len();
        let mut unrivalled = rustc_hash::FxHashMap::default();
        for (i, (_, labels)) in rows[..form_rows].iter().enumerate() {
            let Some(leaf) = labels.last() else { continue };
            let named = |j: usize| {
                rows[j]
                    .1
                    .last()
                    .is_some_and(|other| other.score(leaf.norm, without_note(leaf.norm)) > 0)
            };
            if named(i) && (0..form_rows).all(|j| j == i || !named(j)) {
                unrivalled.insert(leaf.norm, i);
            }
        }
        T3Plan {
            form_rows,
            unrivalled,
            first_norm: cat.t3_rows.first().map_or("", |r| norm(r.label.zh)),
            last_norm: cat.t3_rows.last().map_or("", |r| norm(r.label.zh)),
            columns,
            rows,
            positions,
        }
    }

    fn of(version: FormatVersion) -> &'static T3Plan {
        static PLANS: PerVersion<T3Plan> = PerVersion::new(T3Plan::build);
        PLANS.get(version)
    }

    /// The row of the form a path whose leaf is `leaf` names, when `leaf` is a row's own label
    /// (normalised) and names no other row at all (as [`match_score`] compares): the index by
    /// label that spares scoring the path against every row.
    fn row_named_only_by(&self, leaf: &str) -> Option<usize> {
        self.unrivalled.get(leaf).copied()
    }

    /// Each row of the form not yet `found` that `path` names, with its score.
    fn row_scores(&self, path: &Path<'_>, found: &[(u32, usize)]) -> Vec<(usize, u32)> {
        self.rows[..self.form_rows]
            .iter()
            .enumerate()
            .filter(|(i, _)| !found.iter().any(|(_, f)| f == i))
            .filter_map(|(i, (_, labels))| path.score(labels).map(|s| (i, s)))
            .collect()
    }

    /// The entry of `rows` with a key.
    fn entry(&self, key: &str) -> Option<usize> {
        self.rows.iter().position(|(k, _)| *k == key)
    }
}

pub(super) fn t3(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    let rows = cat.t3_rows;
    let plan = T3Plan::of(version);
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let first_norm = plan.first_norm;
    let Some((gi, anchor_row, label_col)) = find_cell(grids, |n| match_score(n, first_norm) > 0) else {
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
    let columns = &plan.columns;
    let leaf_cols: Vec<u32> = (label_col + 1..=last_col)
        .filter(|&c| {
            let leaf = column_leaf(g, &hdr, c);
            let base = without_note(leaf);
            !leaf.is_empty()
                && columns
                    .iter()
                    .any(|(_, p)| p.last().is_some_and(|l| l.score(leaf, base) > 0))
        })
        .collect();
    let first_data_col = leaf_cols.first().copied().unwrap_or(label_col + 1);
    let candidates: Vec<(u32, Vec<(usize, u32)>)> = leaf_cols
        .iter()
        .map(|&c| {
            let mut leaf_only = column_path(g, &hdr, c, first_data_col);
            // The leaf is the lowest text of the column itself, not one carried from the left.
            let own = column_leaf(g, &hdr, c);
            if leaf_only.leaf() != own {
                leaf_only.parts.push(own);
            }
            let scores = columns
                .iter()
                .enumerate()
                .filter_map(|(i, (_, labels))| leaf_only.score(labels).map(|s| (i, s)))
                .collect();
            (c, scores)
        })
        .collect();
    let col_of: Vec<(u32, usize)> = assign(&candidates);
    let missing_cols: Vec<&(&str, Vec<Official>)> = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| !col_of.iter().any(|(_, kk)| kk == i))
        .map(|(_, c)| c)
        .collect();
    if !missing_cols.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_cols
                .iter()
                .filter_map(|(k, _)| cat.table_cells(TableId::T3).find(|d| d.column_key == *k))
                .map(|d| column_named(lang, &d.column_label(lang)))
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
    let last_norm = plan.last_norm;
    let mut found: Vec<(u32, usize)> = Vec::new();
    let mut extra: Vec<u32> = Vec::new();
    // Rows naming a row of the form found above them (a row printed twice), with that row.
    let mut copies: Vec<(u32, usize)> = Vec::new();
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
        match plan.row_named_only_by(path.leaf()) {
            // A leaf that names one row and no other: that row, unless it was found above.
            Some(i) if !found.iter().any(|(_, f)| *f == i) => found.push((r, i)),
            Some(i) => copies.push((r, i)),
            None => match assign(&[(r, plan.row_scores(&path, &found))]).first() {
                Some(&(row, key)) => found.push((row, key)),
                None => extra.push(r),
            },
        }
        if match_score(path.leaf(), last_norm) > 0 {
            break;
        }
        r += 1;
    }
    let mut missing_rows: Vec<&'static str> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !found.iter().any(|(_, f)| f == i))
        .map(|(_, r)| r.key)
        .collect();
    // A group printed as one row instead of its sub-rows (（六）其他处理 alone): read into the
    // group's own cells when none of its sub-rows is there and exactly one extra row names it.
    let mut groups_found: Vec<(u32, usize)> = Vec::new();
    for group in cat.t3_groups {
        let alone = group.parts.iter().all(|p| missing_rows.contains(p));
        let with_items = group.parts.iter().all(|p| !missing_rows.contains(p));
        if !alone && !with_items {
            continue;
        }
        let Some(entry) = plan.entry(group.key) else {
            continue;
        };
        let labels = &plan.rows[entry].1;
        let named: Vec<u32> = extra
            .iter()
            .copied()
            .filter(|&r| {
                let mut parts = Vec::new();
                for c in label_col..first_data_col {
                    push_part(&mut parts, g.comparable_at(r, c));
                }
                Path { parts }.score(labels).is_some()
            })
            .collect();
        let [row] = named.as_slice() else { continue };
        if with_items {
            // The group's own row printed above its printed items (a subtotal the report adds):
            // read into the group's cells when it holds figures, so that the identity “the group
            // is the sum of its items” checks it. A label row without figures stays an extra row.
            if !g.row_is_empty(*row, first_data_col..=last_col) {
                extra.retain(|r| r != row);
                groups_found.push((*row, entry));
            }
            continue;
        }
        extra.retain(|r| r != row);
        missing_rows.retain(|k| !group.parts.contains(k));
        groups_found.push((*row, entry));
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
                .map(|d| row_named(lang, &d.row_label(lang)))
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
    for &(row, entry) in &found {
        let cells: Vec<(usize, u32)> = col_of
            .iter()
            .filter_map(|&(col, ci)| Some((plan.positions.get(entry)?.get(ci).copied().flatten()?, col)))
            .collect();
        let mut all: Vec<u32> = copies.iter().filter(|(_, i)| *i == entry).map(|(r, _)| *r).collect();
        let label = rows.get(entry).map_or("", |r| r.label.zh);
        let read = (all.is_empty() || {
            all.push(row);
            all.sort_unstable();
            duplicate_row(out, g, TableId::T3, label, &all, label_col, &cells)
        }) && !wider_than_header(out, g, TableId::T3, (label, label_col), row, &hdr);
        for &(position, col) in &cells {
            if read {
                out.put(g, position, row, col);
            } else {
                out.locate(g, position, row, col);
            }
        }
    }
    for r in extra {
        extra_row(out, g, TableId::T3, r, label_col, first_data_col);
    }
    Ok(())
}

/// An official row found more than once in a table (`copies`, the row read first, each labelled
/// in `label_col`), whose cells are the catalogue positions and columns of `cells`. Copies that
/// agree in every cell are read, with a warning naming them; copies that differ are an error
/// naming each with its values, and the row is left unread: which copy the report means cannot
/// be told (one may be hidden, and a hidden row is no reason to pick the other). Returns whether
/// the row is to be read.
pub(super) fn duplicate_row(
    out: &mut Tables,
    g: &Grid,
    table: TableId,
    label: &str,
    copies: &[u32],
    label_col: u32,
    cells: &[(usize, u32)],
) -> bool {
    let Some(&first) = copies.first() else {
        return true;
    };
    if copies.len() < 2 {
        return true;
    }
    let all = catalogue(out.version).all_cells();
    let read = |row: u32| -> Vec<xxgk_model::Cell> {
        cells
            .iter()
            .map(|&(p, col)| {
                let kind = all.get(p).map_or(xxgk_model::catalogue::ValueKind::Count, |d| d.kind);
                parse_cell(g.text(row, col), kind)
            })
            .collect()
    };
    let first_values = read(first);
    let agree = copies[1..].iter().all(|&r| read(r) == first_values);
    let shown = |row: u32, lang: Lang| -> String {
        let values: Vec<&str> = cells
            .iter()
            .map(|&(_, col)| match g.text(row, col).trim() {
                "" => match lang {
                    Lang::Zh => "空白",
                    Lang::En => "blank",
                },
                t => t,
            })
            .collect();
        let sep = match lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        values.join(sep)
    };
    let places =
        |lang: Lang| -> Vec<String> { copies.iter().map(|&r| g.location(r, label_col).display(lang)).collect() };
    let (zh_at, en_at) = (places(Lang::Zh).join("、"), places(Lang::En).join(", "));
    let n = copies.len();
    let (tz, te) = (table.name(Lang::Zh), table.name(Lang::En));
    let mut finding = if agree {
        warning(
            DUPLICATE_ROW_RULE,
            Some(table),
            Some(label.to_string()),
            format!("{zh_at}：{tz}的官方行“{label}”出现{n}次，各次数值相同，按此读入；请删去重复的行"),
            format!(
                "{en_at}: the official row “{label}” of {te} appears {n} times with the same values; read once: delete the repeated rows"
            ),
        )
    } else {
        let values = |lang: Lang| -> String {
            copies
                .iter()
                .map(|&r| {
                    let at = g.location(r, label_col).display(lang);
                    match lang {
                        Lang::Zh => format!("{at}：{}", shown(r, lang)),
                        Lang::En => format!("{at}: {}", shown(r, lang)),
                    }
                })
                .collect::<Vec<_>>()
                .join(match lang {
                    Lang::Zh => "；",
                    Lang::En => "; ",
                })
        };
        let mut f = warning(
            DUPLICATE_ROW_RULE,
            Some(table),
            Some(label.to_string()),
            format!(
                "{zh_at}：{tz}的官方行“{label}”出现{n}次且数值不同（{}），无法确定哪一行有效，该行的数值均未读入：请删去多余的行（包括隐藏的行）",
                values(Lang::Zh)
            ),
            format!(
                "{en_at}: the official row “{label}” of {te} appears {n} times with different values ({}); which one holds cannot be told, so none of the row's values was read: delete the extra rows (hidden ones included)",
                values(Lang::En)
            ),
        );
        f.severity = Severity::Error;
        f
    };
    let blank = xxgk_model::Cell::Blank;
    finding.cells = cells
        .iter()
        .zip(&first_values)
        .filter_map(|(&(p, col), value)| {
            let d = all.get(p)?;
            // As read: the values when the copies agree, blank when the row is left unread.
            let cell = if agree { value } else { &blank };
            let mut r = xxgk_model::CellRef::with_cell(out.version, d.id.as_str(), cell);
            r.location = Some(g.shared_location(first, col));
            Some(r)
        })
        .collect();
    out.findings.push(finding);
    agree
}

pub(super) fn extra_row(out: &mut Tables, g: &Grid, table: TableId, row: u32, label_col: u32, first_data_col: u32) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The label index takes a row only where scoring the path against every row would take
    /// that row and no other: for each row of both forms, printed by its own label alone and
    /// under its whole official path.
    #[test]
    fn the_label_index_agrees_with_scoring_every_row() {
        for v in [FormatVersion::V2019, FormatVersion::V2021] {
            let plan = T3Plan::of(v);
            let mut indexed = 0;
            for (i, (key, labels)) in plan.rows[..plan.form_rows].iter().enumerate() {
                let Some(leaf) = labels.last() else { continue };
                let paths = [
                    Path { parts: vec![leaf.norm] },
                    Path {
                        parts: labels.iter().map(|l| l.norm).collect(),
                    },
                ];
                for path in &paths {
                    if let Some(j) = plan.row_named_only_by(path.leaf()) {
                        indexed += 1;
                        assert_eq!(j, i, "{key}");
                        let scores = plan.row_scores(path, &[]);
                        assert_eq!(scores.iter().map(|(k, _)| *k).collect::<Vec<_>>(), [i], "{key}");
                        assert_eq!(assign(&[(0, scores)]), [(0, i)], "{key}");
                        // Found already: scoring finds no other row either.
                        assert!(plan.row_scores(path, &[(0, i)]).is_empty(), "{key}");
                    }
                }
            }
            // Most rows are found through the index.
            assert!(indexed > plan.form_rows, "{v:?}: {indexed}");
        }
    }

    /// A table-3 column or row that cannot be found is named in the message's own language
    /// (the English message once said `列“…”`).
    #[test]
    fn a_missing_column_or_row_is_named_in_each_language() {
        let bytes = include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/example-2021.xlsx"
        ));
        for (label, zh, en) in [("商业企业", "列“", "column \""), ("不掌握", "行“", "row \"")] {
            let mut grids = crate::spreadsheet::read_grids_with("e.xlsx", bytes, &crate::ImportOptions::default())
                .expect("example");
            let at = grids.iter().enumerate().find_map(|(i, g)| {
                g.labels()
                    .find(|(_, _, c)| c.text.contains(label))
                    .map(|(r, c, _)| (i, r, c))
            });
            let (gi, r, c) = at.expect("label in the example");
            grids[gi].set(r, c, "备注", None);
            let err = read_report("e.xlsx", &grids).expect_err(label);
            assert!(err.message.zh.contains(zh), "{}", err.message.zh);
            assert!(err.message.en.contains(en), "{}", err.message.en);
            assert!(!err.message.en.contains('“'), "{}", err.message.en);
        }
    }
}
