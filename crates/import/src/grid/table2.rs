//! Table 2 (主动公开): each row label and, above it, the header row of its block.

use super::*;

/// What table 2's matcher compares with, for one form version, made once per process.
struct T2Plan {
    /// Each row label with its block and its index in the block.
    rows: Vec<(usize, usize, Official)>,
    /// Per block: its caption and its column labels, normalised.
    blocks: Vec<(&'static str, Vec<&'static str>)>,
    /// The catalogue position of each cell, by block, row and column.
    positions: Vec<Vec<Vec<Option<usize>>>>,
    /// The header over the row labels, normalised.
    label_header: &'static str,
}

impl T2Plan {
    fn build(version: FormatVersion) -> Self {
        let cat = catalogue(version);
        let rows = cat
            .t2_blocks
            .iter()
            .enumerate()
            .flat_map(|(bi, b)| {
                b.rows
                    .iter()
                    .enumerate()
                    .map(move |(ri, r)| (bi, ri, Official::of(r.label.zh)))
            })
            .collect();
        let blocks = cat
            .t2_blocks
            .iter()
            .map(|b| {
                let cols = b
                    .columns
                    .iter()
                    .map(|c| comparable_catalogue_label(c.label.zh))
                    .collect();
                (comparable_catalogue_label(b.caption.zh), cols)
            })
            .collect();
        let positions = cat
            .t2_blocks
            .iter()
            .map(|b| {
                b.rows
                    .iter()
                    .map(|r| {
                        b.columns
                            .iter()
                            .map(|c| cat.position(&xxgk_model::catalogue::t2_id(r.key, c.key)))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        T2Plan {
            rows,
            blocks,
            positions,
            label_header: comparable_catalogue_label(T2_LABEL_HEADER.zh),
        }
    }

    fn of(version: FormatVersion) -> &'static T2Plan {
        static PLANS: PerVersion<T2Plan> = PerVersion::new(T2Plan::build);
        PLANS.get(version)
    }
}

pub(super) fn t2(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    let plan = T2Plan::of(version);
    // The grid with most table-2 row labels.
    let row_norms = &plan.rows;
    // One pass over a grid's label cells, in reading order, each cell's form without a note made
    // once: how many cells name a row (the grid's hits), and where each row label is (the best
    // match, the first in reading order on ties).
    // Every cell naming a row best of all rows is kept with it too: a row found twice is read
    // from neither copy unless they agree.
    type Best = Vec<Option<(u8, u32, u32)>>;
    type Named = Vec<Vec<(u32, u32)>>;
    let scan = |g: &Grid| -> (usize, Best, Named) {
        let mut hits = 0;
        let mut best: Best = vec![None; row_norms.len()];
        let mut named: Named = vec![Vec::new(); row_norms.len()];
        let mut scores = vec![0u8; row_norms.len()];
        for (r, c, cell) in g.labels() {
            let n = cell.comparable_text();
            let base = without_note(n);
            let mut top = 0;
            for ((b, (_, _, l)), score) in best.iter_mut().zip(row_norms).zip(scores.iter_mut()) {
                let s = l.score(n, base);
                *score = s;
                top = top.max(s);
                if s > 0 && b.is_none_or(|(bs, _, _)| s > bs) {
                    *b = Some((s, r, c));
                }
            }
            if top > 0 {
                for (i, _) in scores.iter().enumerate().filter(|(_, s)| **s == top) {
                    named[i].push((r, c));
                }
            }
            hits += usize::from(top > 0);
        }
        (hits, best, named)
    };
    let Some((g, best, named)) = grids
        .iter()
        .map(|g| (scan(g), g))
        .filter(|((n, ..), _)| *n > 0)
        // The first of the grids with most hits (`max_by_key` would take the last).
        .fold(
            None::<(usize, &Grid, Best, Named)>,
            |found, ((n, best, named), g)| match found {
                Some((b, ..)) if b >= n => found,
                _ => Some((n, g, best, named)),
            },
        )
        .map(|(_, g, best, named)| (g, best, named))
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
    let row_at: Vec<Option<(u32, u32)>> = best.iter().map(|b| b.map(|(_, r, c)| (r, c))).collect();
    let missing_rows: Vec<usize> = (0..row_norms.len()).filter(|&i| row_at[i].is_none()).collect();
    if !missing_rows.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_rows
                .iter()
                .map(|&i| {
                    let (bi, ri, _) = &row_norms[i];
                    let b = &cat.t2_blocks[*bi];
                    row_named(
                        lang,
                        &format!("{} / {}", b.caption.get(lang), b.rows[*ri].label.get(lang)),
                    )
                })
                .collect()
        };
        return Err(missing(file, None, TableId::T2, &names(Lang::Zh), &names(Lang::En)));
    }
    // The rows the row labels span: a copy of a row inside them is one whatever it holds; a
    // copy outside them, in the same column, is one when it holds values.
    let label_rows = row_at.iter().flatten().map(|&(r, _)| r);
    let span = label_rows.clone().min().unwrap_or(0)..=label_rows.max().unwrap_or(0);
    let mut copy_rows: Vec<u32> = Vec::new();
    let mut idx = 0;
    let mut official_rows: Vec<u32> = Vec::new();
    let mut label_cols: Vec<u32> = Vec::new();
    for (bi, block) in cat.t2_blocks.iter().enumerate() {
        let first = row_at[idx].unwrap_or_default();
        let (caption, col_labels): (&str, &[&str]) = plan.blocks.get(bi).map_or(("", &[]), |(c, l)| (*c, l.as_slice()));
        // The header row: the nearest row above the block's first row naming its first column.
        let header = (first.0.saturating_sub(4)..first.0).rev().find(|&r| {
            (first.1 + 1..=g.max_col.min(first.1 + MAX_TABLE_COLS)).any(|c| {
                col_labels
                    .first()
                    .is_some_and(|l| match_score(g.comparable_at(r, c), l) > 0)
            })
        });
        let mut cols: Vec<Option<u32>> = vec![None; block.columns.len()];
        if let Some(h) = header {
            official_rows.push(h);
            for (ci, l) in col_labels.iter().enumerate() {
                cols[ci] = (first.1 + 1..=g.max_col.min(first.1 + MAX_TABLE_COLS))
                    .filter(|c| !cols.contains(&Some(*c)))
                    .find(|&c| match_score(g.comparable_at(h, c), l) > 0);
            }
            if h > 0 && (0..=g.max_col).any(|c| match_score(g.comparable_at(h - 1, c), caption) > 0) {
                official_rows.push(h - 1);
            }
        }
        let lost: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].is_none()).collect();
        if !lost.is_empty() {
            let names = |lang: Lang| -> Vec<String> {
                lost.iter()
                    .map(|&i| {
                        column_named(
                            lang,
                            &format!("{} / {}", block.caption.get(lang), block.columns[i].label.get(lang)),
                        )
                    })
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
        for ri in 0..block.rows.len() {
            let (row, lc) = row_at[idx].unwrap_or_default();
            official_rows.push(row);
            label_cols.push(lc);
            let positions = plan.positions.get(bi).and_then(|b| b.get(ri));
            let cells: Vec<(usize, u32)> = cols
                .iter()
                .enumerate()
                .filter_map(|(ci, col)| Some((positions.and_then(|p| p.get(ci)).copied().flatten()?, (*col)?)))
                .collect();
            // Other rows labelled as this one in its label column.
            let label_anchor = g.anchor(row, lc);
            let copies: Vec<u32> = named.get(idx).map_or_else(Vec::new, |n| {
                n.iter()
                    .filter(|&&(r, c)| c == lc && r != row)
                    .map(|&(r, _)| r)
                    .filter(|&r| {
                        span.contains(&r)
                            || cells.iter().any(|&(_, col)| {
                                !g.text(r, col).trim().is_empty() && g.anchor(r, col) != g.anchor(r, lc)
                            })
                    })
                    // Not a row label spanning several rows, read once.
                    .filter(|&r| g.anchor(r, lc) != label_anchor)
                    .collect()
            });
            let read = (copies.is_empty() || {
                let mut all = vec![row];
                all.extend(&copies);
                all.sort_unstable();
                all.dedup();
                copy_rows.extend(&copies);
                duplicate_row(out, g, TableId::T2, block.rows[ri].label.zh, &all, lc, &cells)
            }) && !wider_than_header(
                out,
                g,
                TableId::T2,
                (block.rows[ri].label.zh, lc),
                row,
                header.as_slice(),
            );
            for &(position, col) in &cells {
                if read {
                    out.put(g, position, row, col);
                } else {
                    out.locate(g, position, row, col);
                }
            }
            idx += 1;
        }
    }
    // Extra rows: labelled rows between the first and last official rows that are none of them.
    let label_col = label_cols.iter().copied().min().unwrap_or(0);
    let header_norm = plan.label_header;
    if let (Some(&top), Some(&bottom)) = (official_rows.iter().min(), official_rows.iter().max()) {
        for r in top..=bottom {
            let label = g.comparable_at(r, label_col);
            if official_rows.contains(&r) || copy_rows.contains(&r) || label.is_empty() || label == header_norm {
                continue;
            }
            extra_row(out, g, TableId::T2, r, label_col, label_col + 1);
        }
    }
    Ok(())
}
