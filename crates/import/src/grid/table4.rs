//! Table 4 (行政复议、行政诉讼): the header naming 未经复议直接起诉 and the row of 15 numbers below it.

use super::*;

pub(super) fn t4(file: &str, grids: &[Grid], version: FormatVersion, out: &mut Tables) -> Result<(), ImportError> {
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
    let def_paths: Vec<Vec<&'static str>> = defs.iter().map(|d| comparable_path(&d.column_path)).collect();
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
