//! Recovering rows whose cells ran together (“801000081” for 80, 1, 0, 0, 0, 0, 81).
//!
//! The digits alone do not say where one number ends; the table's own identities can. Every way
//! of cutting the digits into the row's cells (no leading zeros, as nobody writes “07”) is tried
//! against the identities that can be checked, and a row is taken only when exactly one cut
//! satisfies them. Anything else is reported, never guessed.

/// How cutting a digit string into cells came out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cuts {
    /// These cuts satisfy every check (at most `MAX_KEPT` are kept).
    Found(Vec<Vec<u64>>),
    /// Too many ways to try; the row cannot be recovered.
    TooMany,
}

/// The most candidate cuts kept for later checks against other rows.
pub(super) const MAX_KEPT: usize = 64;
const MAX_STEPS: usize = 2_000_000;

/// All cuts of `digits` into `parts` numbers for which `ok(prefix)` holds for every prefix.
/// `ok` sees the numbers cut so far and returns false as soon as a checkable identity fails.
pub(super) fn cuts(digits: &str, parts: usize, ok: &dyn Fn(&[u64]) -> bool) -> Cuts {
    let bytes = digits.as_bytes();
    if parts == 0 || bytes.len() < parts || !bytes.iter().all(u8::is_ascii_digit) {
        return Cuts::Found(Vec::new());
    }
    let mut found = Vec::new();
    let mut steps = 0usize;
    let mut cur = Vec::with_capacity(parts);
    let complete = walk(bytes, parts, ok, &mut cur, &mut found, &mut steps);
    if complete { Cuts::Found(found) } else { Cuts::TooMany }
}

/// Depth-first search; returns false when the step budget ran out.
fn walk(
    rest: &[u8],
    parts: usize,
    ok: &dyn Fn(&[u64]) -> bool,
    cur: &mut Vec<u64>,
    found: &mut Vec<Vec<u64>>,
    steps: &mut usize,
) -> bool {
    *steps += 1;
    if *steps > MAX_STEPS || found.len() > MAX_KEPT {
        return false;
    }
    let left = parts - cur.len();
    if left == 0 {
        if rest.is_empty() {
            found.push(cur.clone());
        }
        return true;
    }
    // Each remaining part needs at least one digit and at most nine.
    if rest.len() < left || rest.len() > left * 9 {
        return true;
    }
    let max_len = if rest[0] == b'0' {
        1
    } else {
        9.min(rest.len() - (left - 1))
    };
    for len in 1..=max_len {
        let value = rest[..len].iter().fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0'));
        cur.push(value);
        let keep_going = if ok(cur) {
            walk(&rest[len..], parts, ok, cur, found, steps)
        } else {
            true
        };
        cur.pop();
        if !keep_going {
            return false;
        }
    }
    true
}

/// Whether `values` satisfy “the cell at `total` is the sum of the `width - 1` others” for every
/// complete group of `width` cells cut so far (a table-3 row: one group of 7; table 4: three
/// groups of 5).
pub(super) fn group_sums_hold(values: &[u64], width: usize, total: usize) -> bool {
    let complete = values.len() / width;
    (0..complete).all(|g| {
        let group = &values[g * width..(g + 1) * width];
        let sum: u64 = group
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != total)
            .map(|(_, v)| *v)
            .sum();
        sum == group[total]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[u64]) -> bool {
        group_sums_hold(values, 7, 6)
    }

    #[test]
    fn the_issue_examples_have_one_cut() {
        assert_eq!(
            cuts("801000081", 7, &row),
            Cuts::Found(vec![vec![80, 1, 0, 0, 0, 0, 81]])
        );
        let t4 = |v: &[u64]| group_sums_hold(v, 5, 4);
        assert_eq!(
            cuts("110024001510102", 15, &t4),
            Cuts::Found(vec![vec![1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2]])
        );
    }

    #[test]
    fn ambiguous_and_impossible_rows() {
        // 11,0,0,0,0,0,11 and 1,10,0,0,0,0,11 are both “110000011” and both add up.
        match cuts("110000011", 7, &row) {
            Cuts::Found(f) => assert_eq!(f, vec![vec![1, 10, 0, 0, 0, 0, 11], vec![11, 0, 0, 0, 0, 0, 11]]),
            Cuts::TooMany => panic!("small input"),
        }
        assert_eq!(cuts("9999999", 7, &row), Cuts::Found(vec![]));
        assert_eq!(cuts("12", 7, &row), Cuts::Found(vec![]));
    }

    #[test]
    fn no_leading_zeros() {
        let any = |_: &[u64]| true;
        assert_eq!(cuts("100", 2, &any), Cuts::Found(vec![vec![10, 0]]));
    }
}
