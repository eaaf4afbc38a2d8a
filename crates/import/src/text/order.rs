//! Table 4 values that arrive without reliable columns (plain PDF text, values split over several
//! runs): the order in which they appear is not the table's. An order is accepted only where the
//! table's identities, and the figures the report states in words, leave no doubt; a cell on which
//! the possible orders disagree is not read.
//!
//! The orders considered are those converters produce: the runs of values in any order (a
//! converter that reads a table block by block keeps each block's values together), and the
//! values read column by column. Among them, those in which every group adds up to its 总计 and
//! which agree with the stated figures (“行政复议351件，其中结果维持72件…”) remain.

use super::recover::group_sums_hold;
use xxgk_model::FormatVersion;
use xxgk_model::catalogue::{T4_GROUPS, T4_OUTCOMES, T4_TOTAL, t2_id};
use xxgk_model::rules::text_figures::{DocCount, Document, Quantity, statements};

/// At most this many runs are put in every order (7! = 5040 orders).
const MAX_RUNS_PERMUTED: usize = 7;

/// A figure the text states for table 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stated {
    /// The group (index in [`T4_GROUPS`]); `None` for 行政诉讼 as a whole (both litigation groups).
    pub group: Option<usize>,
    /// The outcome (index in [`T4_OUTCOMES`]).
    pub outcome: usize,
    /// The number.
    pub value: u64,
}

/// What the identities and the stated figures leave of the possible orders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolution {
    /// Per cell (group-major, as the catalogue lists table 4): the value every remaining order
    /// gives it, or `None` where they disagree.
    pub cells: Vec<Option<u64>>,
    /// How many distinct placements remained.
    pub placements: usize,
    /// Whether the stated figures were used to choose.
    pub by_stated: bool,
}

/// The figures about 行政复议 and 行政诉讼 that the text states, sentence by sentence:
/// “行政复议351件，其中结果维持72件，结果纠正64件，其他结果178件，尚未审结37件”.
pub(super) fn stated_t4(text: &str) -> Vec<Stated> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    for sentence in compact.split(['。', '；', ';', '\n']) {
        let review = sentence.contains("行政复议");
        let litigation = sentence.contains("行政诉讼");
        let group = match (review, litigation) {
            (true, false) => Some(0),
            (false, true) => None,
            _ => continue,
        };
        // Only sentences that name their group once; a sentence about 直接起诉 or 复议后起诉 names a
        // single litigation group and is left out rather than guessed.
        if sentence.contains("起诉") {
            continue;
        }
        let mut total_seen = false;
        for clause in sentence.split(['，', ',', '、']) {
            let Some(value) = count_in(clause) else { continue };
            let outcome = if clause.contains("维持") {
                Some(0)
            } else if clause.contains("纠正") {
                Some(1)
            } else if clause.contains("其他结果") {
                Some(2)
            } else if clause.contains("未审结") {
                Some(3)
            } else if !total_seen && (clause.contains("行政复议") || clause.contains("行政诉讼")) {
                total_seen = true;
                T4_OUTCOMES.iter().position(|o| o.key == T4_TOTAL)
            } else {
                None
            };
            if let Some(outcome) = outcome {
                out.push(Stated { group, outcome, value });
            }
        }
    }
    out
}

/// The table-2 figures the text states (2021 form: 规章 and 行政规范性文件 made, repealed, in
/// force), as cell id and value: “现行有效行政规范性文件698件” is `t2.normative_docs.in_force` 698.
/// They choose among the cuts of a row whose digits ran together, never override a value read.
pub(super) fn stated_t2(text: &str, version: FormatVersion) -> Vec<(String, u64)> {
    if version != FormatVersion::V2021 {
        return Vec::new();
    }
    statements(text)
        .into_iter()
        .filter_map(|s| match s.quantity {
            Quantity::Documents(doc, count) => {
                let row = match doc {
                    Document::Regulations => "regulations",
                    Document::NormativeDocs => "normative_docs",
                };
                let col = match count {
                    DocCount::Made => "made",
                    DocCount::Repealed => "repealed",
                    DocCount::InForce => "in_force",
                };
                Some((t2_id(row, col), s.value))
            }
            _ => None,
        })
        .collect()
}

/// The first count of a clause (“351件”, “三百五十一件”), read as X-TEXT reads it.
fn count_in(clause: &str) -> Option<u64> {
    xxgk_model::rules::text_figures::first_count(clause)
}

/// The placements of `runs` (each run's values in the order printed) into table 4 that the
/// identities allow, narrowed by `stated`. `None` when the runs do not hold exactly the table's
/// fifteen values.
pub(super) fn resolve(runs: &[Vec<u64>], stated: &[Stated]) -> Option<Resolution> {
    let width = T4_OUTCOMES.len();
    let cells = width * T4_GROUPS.len();
    if runs.iter().map(Vec::len).sum::<usize>() != cells {
        return None;
    }
    let total = T4_OUTCOMES.iter().position(|o| o.key == T4_TOTAL).unwrap_or(width - 1);
    let mut orders: Vec<Vec<u64>> = Vec::new();
    let text_order: Vec<u64> = runs.concat();
    if runs.len() <= MAX_RUNS_PERMUTED {
        let mut idx: Vec<usize> = (0..runs.len()).collect();
        permutations(&mut idx, 0, &mut |p| {
            orders.push(p.iter().flat_map(|&i| runs[i].iter().copied()).collect());
        });
    } else {
        orders.push(text_order.clone());
    }
    // Column by column: the k-th value is outcome k / groups of group k % groups.
    let groups = T4_GROUPS.len();
    let mut by_column = vec![0; cells];
    for (k, v) in text_order.iter().enumerate() {
        by_column[(k % groups) * width + k / groups] = *v;
    }
    orders.push(by_column);
    let mut fitting: Vec<Vec<u64>> = orders
        .into_iter()
        .filter(|o| group_sums_hold(o, width, total))
        .collect();
    fitting.sort();
    fitting.dedup();
    let agrees = |o: &Vec<u64>| {
        stated.iter().all(|s| match s.group {
            Some(g) => o[g * width + s.outcome] == s.value,
            None => (1..groups).map(|g| o[g * width + s.outcome]).sum::<u64>() == s.value,
        })
    };
    let told: Vec<Vec<u64>> = fitting.iter().filter(|o| agrees(o)).cloned().collect();
    // Figures the text states that no order matches may count something else: they are then
    // not used to choose.
    let by_stated = !stated.is_empty() && !told.is_empty() && told.len() < fitting.len();
    let remaining = if told.is_empty() { fitting } else { told };
    let Some(first) = remaining.first() else {
        return Some(Resolution {
            cells: vec![None; cells],
            placements: 0,
            by_stated: false,
        });
    };
    let cells = (0..cells)
        .map(|c| remaining.iter().all(|o| o[c] == first[c]).then_some(first[c]))
        .collect();
    Some(Resolution {
        cells,
        placements: remaining.len(),
        by_stated,
    })
}

/// Calls `f` with every permutation of `idx[k..]` (after `idx[..k]`).
fn permutations(idx: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
    if k == idx.len() {
        f(idx);
        return;
    }
    for i in k..idx.len() {
        idx.swap(k, i);
        permutations(idx, k + 1, f);
        idx.swap(k, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of table 4 as plain `pdftotext` gives them for 淮安市 2024
    /// (`tests/fixtures/real/huaian-2024.pdftotext.txt`): the review group's first four values,
    /// then the second litigation group's first four, the review total, the first litigation
    /// group whole, the second litigation total.
    fn huaian_runs() -> Vec<Vec<u64>> {
        vec![
            vec![72, 64, 178, 37],
            vec![12, 1, 1, 6],
            vec![351],
            vec![13, 4, 8, 1, 26],
            vec![20],
        ]
    }

    const HUAIAN_TEXT: &str = "政府信息公开行政复议 351\n件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚\n未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25\n件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。";

    #[test]
    fn stated_figures_are_read_per_group_across_wrapped_lines() {
        let s = stated_t4(HUAIAN_TEXT);
        let review: Vec<(usize, u64)> = s
            .iter()
            .filter(|x| x.group == Some(0))
            .map(|x| (x.outcome, x.value))
            .collect();
        assert_eq!(review, vec![(4, 351), (0, 72), (1, 64), (2, 178), (3, 37)]);
        let lit: Vec<(usize, u64)> = s
            .iter()
            .filter(|x| x.group.is_none())
            .map(|x| (x.outcome, x.value))
            .collect();
        assert_eq!(lit, vec![(4, 46), (0, 25), (1, 5), (2, 9), (3, 7)]);
    }

    #[test]
    fn stated_figures_in_chinese_numerals_count() {
        let s = stated_t4("被申请行政复议三件，其中结果维持两件，尚未审结一件。");
        let got: Vec<(Option<usize>, usize, u64)> = s.iter().map(|x| (x.group, x.outcome, x.value)).collect();
        assert_eq!(got, vec![(Some(0), 4, 3), (Some(0), 0, 2), (Some(0), 3, 1)]);
    }

    #[test]
    fn scrambled_runs_place_only_what_identities_and_text_settle() {
        let r = resolve(&huaian_runs(), &stated_t4(HUAIAN_TEXT)).expect("fifteen values");
        // 行政复议 is settled by the text; the two litigation groups both fit 行政诉讼 46 and can
        // be swapped, so they stay unread.
        assert_eq!(&r.cells[..5], &[Some(72), Some(64), Some(178), Some(37), Some(351)]);
        assert!(r.cells[5..].iter().all(Option::is_none), "{:?}", r.cells);
        assert_eq!(r.placements, 2);
        assert!(r.by_stated);
        // Without the text, the three groups can be in any order: nothing is placed.
        let r = resolve(&huaian_runs(), &[]).expect("fifteen values");
        assert!(r.cells.iter().all(Option::is_none));
        assert_eq!(r.placements, 6);
    }

    #[test]
    fn the_text_order_is_never_taken_when_it_breaks_the_identities() {
        // Left to right, 行政复议 would read 72/64/178/37 with 总计 12.
        let r = resolve(&huaian_runs(), &stated_t4(HUAIAN_TEXT)).expect("fifteen values");
        assert_ne!(r.cells[4], Some(12));
    }

    #[test]
    fn a_report_whose_groups_do_not_add_up_is_left_unread_in_scrambled_text() {
        // 洪泽区 2023 prints 行政复议 10/1/0/0 with 总计 0: no order fits, nothing is placed.
        let runs: Vec<Vec<u64>> = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
            .iter()
            .map(|v| vec![*v])
            .collect();
        let r = resolve(&runs, &[]).expect("fifteen values");
        assert_eq!(r.placements, 0);
        assert!(r.cells.iter().all(Option::is_none));
    }

    #[test]
    fn one_value_per_line_in_row_order_is_placed_when_only_that_order_fits() {
        // 洪泽区 2024: 1 1 0 0 2 | 1 0 0 0 1 | 2 0 1 0 3, one value per line.
        let values = [1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3];
        let runs: Vec<Vec<u64>> = values.iter().map(|v| vec![*v]).collect();
        let r = resolve(&runs, &[]).expect("fifteen values");
        assert_eq!(r.cells, values.iter().map(|v| Some(*v)).collect::<Vec<_>>());
    }

    #[test]
    fn fewer_or_more_than_fifteen_values_are_not_placed() {
        assert!(resolve(&[vec![1, 1, 0, 0, 2]], &[]).is_none());
    }
}
