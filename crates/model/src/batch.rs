//! Working with many reports at once: which ones are the same agency (across years, or twice
//! in one batch), so that cross-year rules compare the right reports and nothing is counted twice.

use crate::report::{Meta, Report};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The agency name in a comparable form: no spaces, one kind of brackets, no decorative dots.
pub fn normalized_agency(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '・' | '“' | '”' | '"'))
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect()
}

/// How two reports were found to be the same agency's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchBasis {
    /// Same region code and same agency name.
    RegionCodeAndName,
    /// Same region code, held by one report on each side.
    RegionCode,
    /// Same normalised agency name.
    Name,
}

/// Reports of one year matched to reports of another.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Matching {
    /// (index in `current`, index in `previous`, basis).
    pub pairs: Vec<(usize, usize, MatchBasis)>,
    /// Indices in `current` with no counterpart.
    pub unmatched_current: Vec<usize>,
    /// Indices in `previous` with no counterpart.
    pub unmatched_previous: Vec<usize>,
}

/// Matches each current report to at most one previous report: by region code and name, then by
/// a region code that only one report on each side has, then by normalised name.
pub fn match_reports(current: &[&Meta], previous: &[&Meta]) -> Matching {
    let mut taken_prev = vec![false; previous.len()];
    let mut matched_cur = vec![false; current.len()];
    let mut pairs = Vec::new();
    let (cur_codes, prev_codes) = (code_counts(current), code_counts(previous));
    type Key = fn(&Meta, usize, usize) -> Option<String>;
    let passes: [(MatchBasis, Key); 3] = [
        (MatchBasis::RegionCodeAndName, |m, _, _| {
            m.region_code
                .as_ref()
                .map(|c| format!("{c}|{}", normalized_agency(&m.agency)))
        }),
        (MatchBasis::RegionCode, |m, n_cur, n_prev| {
            m.region_code.clone().filter(|_| n_cur == 1 && n_prev == 1)
        }),
        (MatchBasis::Name, |m, _, _| Some(normalized_agency(&m.agency))),
    ];
    for (basis, key) in passes {
        let counts = |m: &Meta| {
            let code = m.region_code.as_deref().unwrap_or_default();
            (
                cur_codes.get(code).copied().unwrap_or(0),
                prev_codes.get(code).copied().unwrap_or(0),
            )
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        for (j, m) in previous.iter().enumerate() {
            let (a, b) = counts(m);
            if let (false, Some(k)) = (taken_prev[j], key(m, a, b)) {
                index.entry(k).or_insert(j);
            }
        }
        for (i, m) in current.iter().enumerate() {
            let (a, b) = counts(m);
            if matched_cur[i] {
                continue;
            }
            if let Some(j) = key(m, a, b).and_then(|k| index.remove(&k)) {
                taken_prev[j] = true;
                matched_cur[i] = true;
                pairs.push((i, j, basis));
            }
        }
    }
    pairs.sort_unstable_by_key(|&(i, j, _)| (i, j));
    Matching {
        pairs,
        unmatched_current: (0..current.len()).filter(|&i| !matched_cur[i]).collect(),
        unmatched_previous: (0..previous.len()).filter(|&j| !taken_prev[j]).collect(),
    }
}

/// How many reports hold each region code.
fn code_counts<'a>(list: &[&'a Meta]) -> HashMap<&'a str, usize> {
    let mut m: HashMap<&str, usize> = HashMap::new();
    for meta in list {
        if let Some(code) = meta.region_code.as_deref() {
            *m.entry(code).or_default() += 1;
        }
    }
    m
}

/// Pairs (later, earlier) of reports in one batch that are the same agency for the same year.
/// Reports whose year is unknown are never called duplicates: they may be different years.
pub fn duplicates(reports: &[&Report]) -> Vec<(usize, usize)> {
    let mut first: HashMap<(String, u16), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        let Some(year) = r.meta.year else { continue };
        let key = (normalized_agency(&r.meta.agency), year);
        match first.get(&key) {
            Some(&j) if same_region(&reports[j].meta, &r.meta) => out.push((i, j)),
            Some(_) => {}
            None => {
                first.insert(key, i);
            }
        }
    }
    out
}

fn same_region(a: &Meta, b: &Meta) -> bool {
    match (&a.region_code, &b.region_code) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::FormatVersion;

    fn meta(name: &str, code: Option<&str>, year: u16) -> Meta {
        let mut m = Meta::new(name, year, FormatVersion::V2021);
        m.region_code = code.map(String::from);
        m
    }

    #[test]
    fn matches_by_code_and_name_then_unique_code_then_name() {
        let cur = [
            meta("道里区工业信息科技局", Some("230102"), 2023),
            meta("道里区统计局", Some("230102"), 2023),
            meta("南岗区人民政府", Some("230103"), 2023),
            meta("某 局", None, 2023),
            meta("新设机构", None, 2023),
        ];
        let prev = [
            meta("道里区统计局", Some("230102"), 2022),
            meta("道里区工业信息科技局", Some("230102"), 2022),
            meta("南岗区政府", Some("230103"), 2022),
            meta("某局", None, 2022),
            meta("撤销机构", None, 2022),
        ];
        let c: Vec<&Meta> = cur.iter().collect();
        let p: Vec<&Meta> = prev.iter().collect();
        let m = match_reports(&c, &p);
        assert_eq!(
            m.pairs,
            vec![
                (0, 1, MatchBasis::RegionCodeAndName),
                (1, 0, MatchBasis::RegionCodeAndName),
                (2, 2, MatchBasis::RegionCode),
                (3, 3, MatchBasis::Name)
            ]
        );
        assert_eq!((m.unmatched_current, m.unmatched_previous), (vec![4], vec![4]));
    }

    #[test]
    fn the_same_agency_twice_in_a_year_is_a_duplicate() {
        let a = Report::new(meta("某局", Some("1"), 2023));
        let b = Report::new(meta("某 局", Some("1"), 2023));
        let c = Report::new(meta("某局", Some("2"), 2023));
        let d = Report::new(meta("某局", Some("1"), 2022));
        assert_eq!(duplicates(&[&a, &b, &c, &d]), vec![(1, 0)]);
    }
}
