//! Table-3 values that arrive as one run after a row label, several rows long, while the labels
//! of the rows after it are missing (plain `pdftotext` puts the labels of a table elsewhere than
//! their values): “二、上年结转政府信息公开申请数量” followed by 21 values, （一）予以公开 and
//! （二）部分公开 not found. The run is the values of those rows, in an order the converter chose.
//!
//! Two orders are considered, as converters produce them: row by row (the first seven values are
//! the first row) and column by column (the first values are the first column of each row). An
//! order is taken only when every row it gives adds up to its 总计 and agrees with the rows
//! already read through the table's identities (T3-BAL, T3-RESULTS on the 总计 column), and the
//! other order does not (or gives the same rows). Otherwise nothing is placed and the finding shows both readings: in such
//! text a broken identity cannot be told from a scrambled order.

use super::recover::group_sums_hold;
use super::tables::{Note, RowSpec, TableRead, identity_allows, known_values, note, row_total_index, t3_identities};
use xxgk_model::{Cell, TableId};

/// A run of values after a row label, several rows long.
pub(super) struct Run {
    /// The row whose label the run follows.
    pub row: usize,
    /// The values, in the order of the text.
    pub values: Vec<u64>,
    /// Line of the first value.
    pub line: u64,
}

/// The two readings of a run: row by row, then column by column; each a row of values per row.
fn readings(run: &Run, width: usize) -> [Vec<Vec<u64>>; 2] {
    let m = run.values.len() / width;
    let by_row = run.values.chunks(width).map(<[u64]>::to_vec).collect();
    let mut by_column = vec![vec![0; width]; m];
    for (k, v) in run.values.iter().enumerate() {
        by_column[k % m][k / m] = *v;
    }
    [by_row, by_column]
}

fn show(reading: &[Vec<u64>]) -> String {
    reading
        .iter()
        .map(|r| r.iter().map(u64::to_string).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Places each run where exactly one reading fits; `seen` marks the rows found by label (updated
/// for the rows placed), `no_values` those found with no value after their label, which a run
/// before them may fill (their “no values” finding is then withdrawn).
pub(super) fn place(read: &mut TableRead, rows: &[RowSpec], runs: Vec<Run>, seen: &mut [bool], no_values: &[bool]) {
    let identities = t3_identities(rows);
    for run in runs {
        let width = rows[run.row].ids.len();
        let m = run.values.len() / width;
        let targets: Vec<usize> = (run.row..run.row + m).collect();
        let free = targets.len() == m
            && targets.iter().all(|&r| r < rows.len() && rows[r].ids.len() == width)
            && targets[1..].iter().all(|&r| !seen[r] || no_values[r]);
        let [by_row, by_column] = readings(&run, width);
        let known = known_values(read, rows);
        let fits = |reading: &Vec<Vec<u64>>| {
            free && targets.iter().zip(reading).all(|(&r, vals)| {
                row_total_index(&rows[r]).is_some_and(|t| group_sums_hold(vals, width, t))
                    && identities.iter().all(|idn| identity_allows(idn, r, vals, &known))
            })
        };
        let mut fitting: Vec<&Vec<Vec<u64>>> = [&by_row, &by_column].into_iter().filter(|r| fits(r)).collect();
        // Both orders giving the same rows (all zeros) are one placement.
        fitting.dedup();
        let label = &rows[run.row].label;
        match fitting.as_slice() {
            [one] => {
                let how = if std::ptr::eq(*one, &by_row) {
                    ("按行", "row by row")
                } else {
                    ("按列", "column by column")
                };
                for (&r, vals) in targets.iter().zip(one.iter()) {
                    seen[r] = true;
                    if r != run.row {
                        read.notes.retain(|n| !(n.unread && n.ids == rows[r].ids));
                    }
                    for (id, v) in rows[r].ids.iter().zip(vals) {
                        read.cells.push((
                            id.clone(),
                            Cell::number(i64::try_from(*v).unwrap_or(i64::MAX)),
                            run.line,
                        ));
                    }
                }
                let names: Vec<&str> = targets.iter().map(|&r| rows[r].label.as_str()).collect();
                let mut n = note(
                    TableId::T3,
                    &rows[run.row],
                    run.line,
                    "IMPORT-ORDER",
                    false,
                    format!(
                        "「{label}」行后有{}个数值，其后各行标签不在数值旁；{}读作{}行（{}）时每行合计及表内勾稽关系相符，另一种顺序不符，按此填入",
                        run.values.len(),
                        how.0,
                        m,
                        names.join("、")
                    ),
                    format!(
                        "{} values follow row “{label}” and the labels of the rows after it are elsewhere; read {} as {m} rows ({}) every row adds up and agrees with the table's identities, the other order does not: placed so",
                        run.values.len(),
                        how.1,
                        names.join("; ")
                    ),
                );
                n.ids = targets.iter().flat_map(|&r| rows[r].ids.clone()).collect();
                read.notes.push(n);
            }
            _ => read.notes.push(unsettled(rows, &run, &by_row, &by_column, free)),
        }
    }
}

fn unsettled(rows: &[RowSpec], run: &Run, by_row: &[Vec<u64>], by_column: &[Vec<u64>], free: bool) -> Note {
    let label = &rows[run.row].label;
    let why = if free {
        (
            "按行或按列读都不能使各行合计及表内勾稽关系相符，或两种都相符",
            "neither order, or both, make every row add up and agree with the table's identities",
        )
    } else {
        (
            "其后各行已另有数值或不存在",
            "the rows after it were read elsewhere or do not exist",
        )
    };
    note(
        TableId::T3,
        &rows[run.row],
        run.line,
        "IMPORT-ORDER",
        true,
        format!(
            "数值顺序无法确定：「{label}」行后有{}个数值（按行读：{}；按列读：{}），{}，不填入",
            run.values.len(),
            show(by_row),
            show(by_column),
            why.0
        ),
        format!(
            "the order of the values cannot be settled: {} values follow row “{label}” (row by row: {}; column by column: {}); {}; not placed",
            run.values.len(),
            show(by_row),
            show(by_column),
            why.1
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tables::row_specs;
    use xxgk_model::{FormatVersion, catalogue};

    fn rows() -> &'static [RowSpec] {
        row_specs(catalogue(FormatVersion::V2021), TableId::T3)
    }

    fn row_of(rows: &[RowSpec], key: &str) -> usize {
        rows.iter()
            .position(|r| r.ids[0].starts_with(&format!("t3.{key}.")))
            .expect("row")
    }

    fn placed(read: &TableRead, id: &str) -> Option<i64> {
        read.cells
            .iter()
            .find(|c| c.0 == id)
            .and_then(|c| c.1.value())
            .and_then(|n| n.as_i64())
    }

    /// 淮安市 2024, plain `pdftotext`: 21 values after 二、上年结转, （一） and （二） not found.
    #[test]
    fn a_run_is_placed_row_by_row_when_only_that_order_adds_up() {
        let rows = rows();
        let r = row_of(rows, "carried_over");
        let mut seen = vec![false; rows.len()];
        seen[r] = true;
        let values = vec![
            34, 0, 0, 0, 0, 0, 34, 1288, 21, 0, 0, 50, 3, 1362, 447, 7, 0, 0, 0, 0, 454,
        ];
        let mut read = TableRead::default();
        place(
            &mut read,
            rows,
            vec![Run {
                row: r,
                values,
                line: 168,
            }],
            &mut seen,
            &vec![false; rows.len()],
        );
        assert_eq!(placed(&read, "t3.carried_over.total"), Some(34));
        assert_eq!(placed(&read, "t3.granted.natural_person"), Some(1288));
        assert_eq!(placed(&read, "t3.partial.total"), Some(454));
        assert!(seen[r + 1] && seen[r + 2]);
        assert_eq!(read.notes.len(), 1);
        assert!(!read.notes[0].unread && read.notes[0].rule == "IMPORT-ORDER");
    }

    #[test]
    fn a_run_that_neither_or_both_orders_fit_is_not_placed() {
        let rows = rows();
        let r = row_of(rows, "carried_over");
        for values in [
            {
                let mut v = vec![1; 14];
                v[6] = 9;
                v
            },
            // Both orders add up, differently: 0 1 0 0 0 0 1 | 0 0 0 0 0 1 1 row by row,
            // 0 0 0 1 0 0 1 | 1 0 0 0 0 0 1 column by column.
            vec![0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1],
        ] {
            let mut seen = vec![false; rows.len()];
            seen[r] = true;
            let mut read = TableRead::default();
            place(
                &mut read,
                rows,
                vec![Run {
                    row: r,
                    values,
                    line: 1,
                }],
                &mut seen,
                &vec![false; rows.len()],
            );
            assert!(read.cells.is_empty());
            assert!(!seen[r + 1]);
            let n = &read.notes[0];
            assert!(
                n.unread && n.zh.contains("数值顺序无法确定") && n.zh.contains("按行读") && n.zh.contains("按列读"),
                "{}",
                n.zh
            );
        }
    }

    #[test]
    fn a_run_of_zeros_reads_the_same_in_both_orders() {
        let rows = rows();
        let r = row_of(rows, "carried_over");
        let mut seen = vec![false; rows.len()];
        seen[r] = true;
        let mut read = TableRead::default();
        place(
            &mut read,
            rows,
            vec![Run {
                row: r,
                values: vec![0; 14],
                line: 1,
            }],
            &mut seen,
            &vec![false; rows.len()],
        );
        assert_eq!(read.cells.len(), 14);
        assert!(!read.notes[0].unread);
    }

    /// 淮安市 2024, plain `pdftotext`: 35 values after （五）4; （五）5, （六）1, （六）2 not found and
    /// （六）3 found with no value after its label.
    #[test]
    fn a_run_fills_a_row_whose_label_had_no_values() {
        let rows = rows();
        let r = row_of(rows, "not_handled.excessive");
        let last = row_of(rows, "other.other");
        assert_eq!(last, r + 4);
        let mut seen = vec![false; rows.len()];
        seen[r] = true;
        seen[last] = true;
        let mut no_values = vec![false; rows.len()];
        no_values[last] = true;
        let mut read = TableRead::default();
        read.notes.push(note(
            TableId::T3,
            &rows[last],
            561,
            "IMPORT-ROW",
            true,
            "找到0个".into(),
            "found 0".into(),
        ));
        let values = vec![
            0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 67, 3, 0, 0, 1, 0, 71, 6, 0, 0, 0, 0, 0, 6, 108, 2, 0, 0, 0, 0,
            110,
        ];
        place(
            &mut read,
            rows,
            vec![Run {
                row: r,
                values,
                line: 459,
            }],
            &mut seen,
            &no_values,
        );
        assert_eq!(placed(&read, "t3.other.other.total"), Some(110));
        assert_eq!(placed(&read, "t3.other.no_correction.natural_person"), Some(67));
        assert!(!read.notes.iter().any(|n| n.unread), "{:?}", read.notes);
    }

    #[test]
    fn a_run_is_not_spread_over_rows_read_elsewhere() {
        let rows = rows();
        let r = row_of(rows, "carried_over");
        let mut seen = vec![false; rows.len()];
        seen[r] = true;
        seen[r + 1] = true;
        let values = vec![2, 0, 0, 0, 0, 0, 2, 5, 0, 0, 0, 0, 0, 5];
        let mut read = TableRead::default();
        place(
            &mut read,
            rows,
            vec![Run {
                row: r,
                values,
                line: 1,
            }],
            &mut seen,
            &vec![false; rows.len()],
        );
        assert!(read.cells.is_empty());
        assert!(read.notes[0].unread);
    }
}
