//! Which format version a report uses, from its labels (spec §1.2): “本年制发件数” and the three
//! （六）其他处理 sub-rows are V2021, “本年新制作数量” or “政府集中采购” are V2019. Only labels that
//! are not part of any label of the other version count, so “规范性文件” (inside “行政规范性文件”)
//! decides nothing. Without any such label the year decides (FMT-YEAR).

use crate::labels::comparable_catalogue_label;
use xxgk_model::{FormatVersion, PerVersion, catalogue};

fn labels(v: FormatVersion) -> Vec<&'static str> {
    let cat = catalogue(v);
    let mut out = Vec::new();
    for b in cat.t2_blocks {
        out.push(comparable_catalogue_label(b.caption.zh));
        out.extend(b.columns.iter().map(|c| comparable_catalogue_label(c.label.zh)));
        out.extend(b.rows.iter().map(|r| comparable_catalogue_label(r.label.zh)));
    }
    for r in cat.t3_rows {
        out.push(comparable_catalogue_label(r.label.zh));
        out.extend(r.group.map(|g| comparable_catalogue_label(g.zh)));
    }
    out.sort();
    out.dedup();
    out
}

/// The labels of `v` that no label of the other version contains, computed once per process:
/// every text import asks.
fn distinctive(v: FormatVersion) -> &'static [&'static str] {
    fn compute(v: FormatVersion, other: FormatVersion) -> Vec<&'static str> {
        let theirs = labels(other);
        labels(v)
            .into_iter()
            .filter(|l| !theirs.iter().any(|t| t.contains(l)))
            .collect()
    }
    static DISTINCTIVE: PerVersion<Vec<&'static str>> = PerVersion::new(|v| match v {
        FormatVersion::V2019 => compute(v, FormatVersion::V2021),
        FormatVersion::V2021 => compute(v, FormatVersion::V2019),
    });
    DISTINCTIVE.get(v)
}

/// How many of the labels distinctive of `v` `norm_text` holds.
fn evidence(v: FormatVersion, norm_text: &str) -> usize {
    distinctive(v).iter().filter(|l| norm_text.contains(**l)).count()
}

/// The version whose distinctive labels the text holds, or the version of the year.
pub(super) fn detect(norm_text: &str, year: Option<u16>) -> FormatVersion {
    let v21 = evidence(FormatVersion::V2021, norm_text);
    let v19 = evidence(FormatVersion::V2019, norm_text);
    match v21.cmp(&v19) {
        std::cmp::Ordering::Greater => FormatVersion::V2021,
        std::cmp::Ordering::Less => FormatVersion::V2019,
        std::cmp::Ordering::Equal if year.is_some_and(|y| y <= 2020) => FormatVersion::V2019,
        std::cmp::Ordering::Equal => FormatVersion::V2021,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::comparable_label;

    #[test]
    fn labels_decide_before_the_year() {
        assert_eq!(
            detect(&comparable_label("信息内容 本年制发件数 行政规范性文件"), Some(2019)),
            FormatVersion::V2021
        );
        assert_eq!(
            detect(&comparable_label("本年新制作数量 规范性文件 政府集中采购"), Some(2023)),
            FormatVersion::V2019
        );
        assert_eq!(detect("", Some(2020)), FormatVersion::V2019);
        assert_eq!(detect("", Some(2021)), FormatVersion::V2021);
        assert_eq!(detect("", None), FormatVersion::V2021);
    }
}
