//! Table 4 (行政复议、行政诉讼): the header naming 未经复议直接起诉 and the row of 15 numbers below it.

use super::*;

/// What table 4's matcher compares with, for one form version, made once per process.
struct T4Plan {
    /// The group that only table 4 has, normalised.
    marker: &'static str,
    /// The distinct column leaves.
    leaves: Vec<Official>,
    /// The cells of table 4 in form order: catalogue position and normalised column path.
    cells: Vec<(usize, Vec<Official>)>,
}

impl T4Plan {
    fn build(version: FormatVersion) -> Self {
        let cat = catalogue(version);
        let defs: Vec<(usize, &CellDef)> = cat
            .cells()
            .iter()
            .enumerate()
            .filter(|(_, d)| d.table == TableId::T4)
            .collect();
        let mut leaves: Vec<Official> = Vec::new();
        for l in defs.iter().filter_map(|(_, d)| d.column_leaf()) {
            let leaf = Official::of(l.zh);
            if !leaves.iter().any(|x| x.norm == leaf.norm) {
                leaves.push(leaf);
            }
        }
        T4Plan {
            marker: xxgk_model::catalogue::T4_GROUPS
                .iter()
                .find(|g| g.parent.is_some())
                .map_or("", |g| comparable_catalogue_label(g.label.zh)),
            leaves,
            cells: defs
                .iter()
                .map(|(i, d)| (*i, comparable_path(&d.column_path)))
                .collect(),
        }
    }

    fn of(version: FormatVersion) -> &'static T4Plan {
        static PLANS: PerVersion<T4Plan> = PerVersion::new(T4Plan::build);
        PLANS.get(version)
    }
}

pub(super) fn t4(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
    let cat = catalogue(version);
    let plan = T4Plan::of(version);
    // The group that only table 4 has.
    let marker = plan.marker;
    // A header cell naming the group (alone, glossed, or ending a flattened header); failing
    // that, a short cell containing it. Long texts (a section mentioning 未经复议直接起诉) are
    // never the header.
    let anchor = find_cell(grids, |n| match_score(n, marker) > 0)
        .or_else(|| find_cell(grids, |n| n.contains(marker) && n.chars().count() <= 40));
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
    // Each cell's text is normalised once and compared with every leaf.
    let row_has_leaf = |r: u32| {
        (0..=g.max_col).any(|c| {
            let t = g.comparable_at(r, c);
            let base = without_note(t);
            !t.is_empty() && plan.leaves.iter().any(|l| l.score(t, base) > 0)
        })
    };
    let lowest = (mrow..=mrow + 3).filter(|&r| row_has_leaf(r)).max().unwrap_or(mrow);
    let data_row = lowest + 1;
    let all_cols = 0..=g.max_col.min(MAX_TABLE_COLS * 4);
    let hdr = header_rows(g, data_row, all_cols.clone());
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
            let scores: Vec<(usize, u32)> = plan
                .cells
                .iter()
                .enumerate()
                .filter_map(|(i, (_, labels))| path.score(labels).map(|s| (i, s)))
                .collect();
            (!scores.is_empty()).then_some((c, scores))
        })
        .collect();
    let assigned = assign(&candidates);
    let missing_defs: Vec<&CellDef> = plan
        .cells
        .iter()
        .enumerate()
        .filter(|(i, _)| !assigned.iter().any(|(_, k)| k == i))
        .filter_map(|(_, (p, _))| cat.all_cells().get(*p))
        .collect();
    if !missing_defs.is_empty() {
        let names = |lang: Lang| -> Vec<String> {
            missing_defs
                .iter()
                .map(|d| column_named(lang, &d.column_label(lang)))
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
    let label = "行政复议、行政诉讼";
    let read = !wider_than_header(out, g, TableId::T4, (label, 0), data_row, &hdr);
    for (col, i) in assigned {
        if let Some((position, _)) = plan.cells.get(i) {
            if read {
                out.put(g, *position, data_row, col);
            } else {
                out.locate(g, *position, data_row, col);
            }
        }
    }
    Ok(())
}
