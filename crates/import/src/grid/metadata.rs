//! The report's metadata in grids: format version, agency, year, title, wherever a person
//! would write them (fields beside their label, title rows, sheet names).

use super::*;

/// The format version the tables' labels show (format-spec §1.2), if any.
pub(crate) fn detect_version(grids: &[Grid]) -> Option<FormatVersion> {
    let (mut n19, mut n21) = (0usize, 0usize);
    for (_, _, c) in grids.iter().flat_map(|g| g.labels()) {
        let (m19, m21) = marks_named(c.comparable_text());
        n19 += usize::from(m19);
        n21 += usize::from(m21);
    }
    match n21.cmp(&n19) {
        std::cmp::Ordering::Greater => Some(FormatVersion::V2021),
        std::cmp::Ordering::Less => Some(FormatVersion::V2019),
        std::cmp::Ordering::Equal => None,
    }
}

/// Whether a comparable label names a mark of the 2019 and of the 2021 format
/// ([`version_marks`]). Remembered per thread for short labels, as
/// [`crate::labels::comparable_label_cached`] is: the workbooks of a batch repeat their labels,
/// and each is compared with every mark of both versions.
fn marks_named(comparable: &str) -> (bool, bool) {
    use std::cell::RefCell;
    thread_local! {
        static CACHE: RefCell<rustc_hash::FxHashMap<Box<str>, (bool, bool)>> = RefCell::default();
    }
    let compute = || {
        let base = without_note(comparable);
        let named = |marks: &[(&str, &str)]| {
            marks
                .iter()
                .any(|(l, lb)| score_with_bases(comparable, base, l, lb) > 0)
        };
        (
            named(version_marks(FormatVersion::V2019)),
            named(version_marks(FormatVersion::V2021)),
        )
    };
    if comparable.len() > 96 {
        return compute();
    }
    CACHE.with(|cache| {
        if let Some(&m) = cache.borrow().get(comparable) {
            return m;
        }
        let m = compute();
        let mut cache = cache.borrow_mut();
        if cache.len() < 4096 {
            cache.insert(comparable.into(), m);
        }
        m
    })
}

/// The normalised table labels of `v` that the other version does not have (computed once per
/// process): only these tell the versions apart.
pub(super) fn version_marks(v: FormatVersion) -> &'static [(&'static str, &'static str)] {
    fn compute(v: FormatVersion) -> Vec<(&'static str, &'static str)> {
        let other = match v {
            FormatVersion::V2019 => FormatVersion::V2021,
            FormatVersion::V2021 => FormatVersion::V2019,
        };
        let labels_of = |v: FormatVersion| -> Vec<&'static str> {
            let cat = catalogue(v);
            cat.t2_blocks
                .iter()
                .flat_map(|b| b.columns.iter().map(|c| comparable_catalogue_label(c.label.zh)))
                .chain(cat.t3_rows.iter().map(|r| comparable_catalogue_label(r.label.zh)))
                .collect()
        };
        let theirs = labels_of(other);
        labels_of(v)
            .into_iter()
            .filter(|l| !theirs.contains(l))
            .map(|l| (l, without_note(l)))
            .collect()
    }
    static DISTINCTIVE: PerVersion<Vec<(&'static str, &'static str)>> = PerVersion::new(compute);
    DISTINCTIVE.get(v)
}

/// The value beside a label: the text after a colon in the same cell, or the next non-empty cell
/// to the right (within a few columns).
pub(super) fn value_beside(g: &Grid, row: u32, col: u32, label_norm: &str) -> Option<(String, Location)> {
    let own = g.comparable_at(row, col);
    if own.len() > label_norm.len() {
        let text = g.text(row, col);
        if let Some((_, v)) = text.split_once(['：', ':']) {
            let v = v.trim();
            if !v.is_empty() {
                return Some((v.to_string(), g.location(row, col)));
            }
        }
    }
    let (ar, ac) = g.anchor(row, col);
    let end = g.merge_anchored_at(ar, ac).map_or(col, |m| m.last_col);
    (end + 1..=end + 3).find_map(|c| {
        let t = g.text(row, c).trim();
        (!t.is_empty()).then(|| (t.to_string(), g.location(row, c)))
    })
}

/// The labels of the basic information, normalised (made once per process).
struct InfoLabels {
    /// 机关名称 and its variants.
    agency: Vec<&'static str>,
    /// 年度 and its variants.
    year: Vec<&'static str>,
    /// The other fields, each with what it fills (see [`read_info`]).
    simple: [(&'static str, u8); 7],
    /// The end of a title row.
    title_suffix: &'static str,
}

static INFO_LABELS: LazyLock<InfoLabels> = LazyLock::new(|| {
    let label_set = |main: &Label, variants: &[&'static str]| -> Vec<&'static str> {
        std::iter::once(main.zh)
            .chain(variants.iter().copied())
            .map(comparable_catalogue_label)
            .collect()
    };
    InfoLabels {
        agency: label_set(&META_AGENCY, META_AGENCY_VARIANTS),
        year: label_set(&META_YEAR, META_YEAR_VARIANTS),
        simple: [
            (comparable_catalogue_label(META_FORMAT.zh), 0),
            (comparable_catalogue_label(META_REGION.zh), 1),
            (comparable_catalogue_label(META_PARENT.zh), 2),
            (comparable_catalogue_label(META_PUBLISHED.zh), 3),
            (comparable_catalogue_label(META_PREAMBLE.zh), 4),
            (comparable_catalogue_label(META_LEVEL.zh), 5),
            (comparable_catalogue_label(META_TITLE.zh), 6),
        ],
        title_suffix: comparable_catalogue_label(TITLE_SUFFIX),
    }
});

/// What a label cell's normalised text can be to [`read_info`]: a field's label (the first
/// that it is, or begins with before a colon, in each list), a section heading, a title row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InfoClass {
    agency: Option<&'static str>,
    year: Option<&'static str>,
    simple: Option<(&'static str, u8)>,
    section: Option<SectionKind>,
    title: bool,
}

impl InfoClass {
    fn of(n: &str) -> Self {
        let l = &*INFO_LABELS;
        let starts = |label: &&str| n == *label || (n.starts_with(*label) && n[label.len()..].starts_with(':'));
        InfoClass {
            agency: l.agency.iter().copied().find(|x| starts(x)),
            year: l.year.iter().copied().find(|x| starts(x)),
            simple: l.simple.iter().copied().find(|(x, _)| starts(x)),
            section: crate::labels::section_of_comparable(n),
            title: n.ends_with(l.title_suffix),
        }
    }

    /// [`InfoClass::of`], remembered per thread for short texts, as
    /// [`crate::labels::comparable_label_cached`] remembers them: a batch repeats its template's
    /// labels, and each is compared with every field label and section heading.
    fn of_cached(n: &str) -> Self {
        use std::cell::RefCell;
        thread_local! {
            static CACHE: RefCell<rustc_hash::FxHashMap<Box<str>, InfoClass>> = RefCell::default();
        }
        if n.len() > 96 {
            return InfoClass::of(n);
        }
        CACHE.with(|cache| {
            if let Some(&c) = cache.borrow().get(n) {
                return c;
            }
            let c = InfoClass::of(n);
            let mut cache = cache.borrow_mut();
            if cache.len() < 4096 {
                cache.insert(n.into(), c);
            }
            c
        })
    }
}

/// Reads the basic information and the text sections from wherever their labels are.
pub(crate) fn read_info(grids: &[Grid]) -> InfoFound {
    let mut info = InfoFound::default();
    let mut title_at: Option<String> = None;
    for g in grids {
        for (r, c, cell) in g.labels() {
            let n = cell.comparable_text();
            let class = InfoClass::of_cached(n);
            if info.agency.is_none()
                && let Some(l) = class.agency
            {
                if let Some((v, at)) = value_beside(g, r, c, l) {
                    let at = at.display(xxgk_model::Lang::Zh);
                    // “某局（2023年度）”: the year written beside the name is the year.
                    let (name, year_note) = split_year_note(&v);
                    if info.year.is_none()
                        && let Some(y) = year_note
                    {
                        info.year = Some(y);
                        info.year_origin = Some(Origin::new(OriginKind::Field, at.clone()));
                    }
                    info.agency = Some(name).filter(|n| !n.is_empty());
                    info.agency_origin = info.agency.as_ref().map(|_| Origin::new(OriginKind::Field, at));
                }
            } else if info.year.is_none()
                && let Some(l) = class.year
            {
                if let Some((v, at)) = value_beside(g, r, c, l)
                    && let Some(y) = parse_year(&v)
                {
                    info.year = Some(y);
                    info.year_origin = Some(Origin::new(OriginKind::Field, at.display(xxgk_model::Lang::Zh)));
                }
            } else if let Some((l, which)) = class.simple {
                let v = value_beside(g, r, c, l).map(|(v, _)| v);
                match which {
                    0 => info.format = info.format.or(v.as_deref().and_then(format_of)),
                    1 => info.region_code = info.region_code.take().or(v),
                    2 => info.parent_agency = info.parent_agency.take().or(v),
                    3 => info.published = info.published.take().or(v),
                    4 => info.preamble = info.preamble.take().or(v),
                    5 => {
                        let found = v.as_deref().and_then(|v| {
                            let n = comparable_label(v);
                            ADMIN_LEVELS
                                .iter()
                                .find(|(_, l)| comparable_catalogue_label(l.zh) == n)
                                .map(|(x, _)| *x)
                        });
                        info.level = info.level.or(found);
                    }
                    _ => info.title_field = info.title_field.take().or(v),
                }
            } else if let Some(kind) = class.section {
                if !info.headings.iter().any(|(k, _)| *k == kind) {
                    info.headings.push((kind, cell.text.trim().to_string()));
                }
                let already = info.sections.iter().any(|(k, _)| *k == kind);
                if !already
                    && let Some((text, _)) = value_beside(g, r, c, n)
                    && crate::labels::section_of(&text).is_none()
                    && !text.starts_with("表格见")
                {
                    info.sections.push((
                        kind,
                        Section {
                            heading: cell.text.trim().to_string(),
                            text,
                        },
                    ));
                }
            } else if info.title.is_none() && class.title {
                info.title = Some(cell.text.trim().to_string());
                title_at = Some(g.location(r, c).display(xxgk_model::Lang::Zh));
            }
        }
    }
    let title_origin = || Origin::new(OriginKind::Title, title_at.clone().unwrap_or_default());
    if let Some(t) = &info.title
        && let Some((agency, year)) = split_title(t)
    {
        if info.year.is_none() {
            info.year = Some(year);
            info.year_origin = Some(title_origin());
        }
        if info.agency.is_none() && !agency.is_empty() {
            info.agency = Some(agency);
            info.agency_origin = Some(title_origin());
        }
    }
    if info.year.is_none() {
        year_from_title_rows(grids, &mut info);
    }
    info.sections.sort_by_key(|(k, _)| *k);
    info
}

/// Splits “某局（2023年度）” into the name and the year written beside it.
pub(super) fn split_year_note(v: &str) -> (String, Option<u16>) {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(a) = v.rfind(open)
            && let Some(y) = crate::metadata::year_in(&v[a..])
        {
            let rest = &v[a + open.len_utf8()..];
            let end = rest
                .find(close)
                .map_or(v.len(), |e| a + open.len_utf8() + e + close.len_utf8());
            let mut name = v[..a].to_string();
            name.push_str(&v[end..]);
            return (name.trim().to_string(), Some(y));
        }
    }
    (v.trim().to_string(), None)
}

/// How long a cell may be and still read as a title row rather than a paragraph of text.
pub(super) const TITLE_ROW_MAX_CHARS: usize = 80;

/// The year from a title row anywhere in the workbook (“某区某局2023年政府信息公开工作年度报告统计表”,
/// “2023年度政府信息公开情况统计表”), then from a sheet's name (“2023年”). A short cell that names
/// the report is a title; one naming only a year is taken when it is the only year in sight.
pub(super) fn year_from_title_rows(grids: &[Grid], info: &mut InfoFound) {
    const NAMES_THE_REPORT: [&str; 6] = ["年度报告", "年报", "统计表", "情况表", "报表", "公开工作"];
    let mut candidates: Vec<(u8, u16, Origin, String)> = Vec::new();
    for g in grids {
        for (r, c, cell) in g.labels() {
            let text = cell.text.trim();
            // A sentence is text, not a title.
            if text.chars().count() > TITLE_ROW_MAX_CHARS || text.contains(['。', '；', '，']) {
                continue;
            }
            let Some(y) = crate::metadata::year_in(text) else {
                continue;
            };
            let rank = if NAMES_THE_REPORT.iter().any(|w| text.contains(w)) {
                0
            } else if text.contains("年度") || text.contains("统计") {
                1
            } else {
                continue;
            };
            let at = g.location(r, c).display(xxgk_model::Lang::Zh);
            candidates.push((rank, y, Origin::new(OriginKind::Title, at), text.to_string()));
        }
    }
    candidates.sort_by_key(|(rank, ..)| *rank);
    if let Some((rank, y, origin, text)) = candidates.first().cloned() {
        // Several different years in equally good places say nothing certain.
        let same_rank_years = candidates
            .iter()
            .filter(|(r, ..)| *r == rank)
            .map(|(_, y, ..)| *y)
            .collect::<std::collections::BTreeSet<_>>();
        if same_rank_years.len() == 1 {
            info.year = Some(y);
            info.year_origin = Some(origin.clone());
            if info.agency.is_none()
                && rank == 0
                && let (Some(agency), _) = crate::text::meta::agency_and_year(&text)
                && !agency.is_empty()
            {
                info.agency = Some(agency);
                info.agency_origin = Some(origin);
            }
            return;
        }
    }
    let sheet_years: std::collections::BTreeSet<u16> = grids
        .iter()
        .filter_map(|g| crate::metadata::year_in(g.name()).map(|y| (y, g.name())))
        .map(|(y, _)| y)
        .collect();
    if sheet_years.len() == 1
        && let Some(g) = grids.iter().find(|g| crate::metadata::year_in(g.name()).is_some())
    {
        info.year = sheet_years.first().copied();
        info.year_origin = Some(Origin::new(OriginKind::SheetName, g.name()));
    }
}

pub(super) fn format_of(v: &str) -> Option<FormatVersion> {
    let digits: String = v.chars().filter(char::is_ascii_digit).take(4).collect();
    FormatVersion::from_code(&digits)
}

/// A four-digit year in 2000–2100 from a cell ("2023", "2023年", "２０２３").
pub(super) fn parse_year(v: &str) -> Option<u16> {
    let n = comparable_label(v);
    let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
    let y: u16 = digits.parse().ok()?;
    (2000..=2100).contains(&y).then_some(y)
}

/// `某局2023年政府信息公开工作年度报告` → (`某局`, 2023).
pub(super) fn split_title(title: &str) -> Option<(String, u16)> {
    let t: String = title.split_whitespace().collect();
    let head = t.strip_suffix(TITLE_SUFFIX)?;
    let digits: String = head.chars().rev().take_while(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let year: u16 = digits.chars().rev().collect::<String>().parse().ok()?;
    let agency = head[..head.len() - 4].to_string();
    (2000..=2100).contains(&year).then_some((agency, year))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::comparable_label;

    /// The remembered classification is the classification, the second time too, for field
    /// labels, headings, titles, other texts and a text too long to remember.
    #[test]
    fn a_label_is_classed_the_same_from_the_cache() {
        let texts = [
            "机关名称",
            "机关名称：某局",
            "年度",
            "行政区划代码",
            "一、总体情况",
            "某局2023年政府信息公开工作年度报告",
            "规章",
            &"长".repeat(40),
        ];
        let mut named = 0;
        for _ in 0..2 {
            for t in texts {
                let n = comparable_label(t);
                let class = InfoClass::of(&n);
                assert_eq!(InfoClass::of_cached(&n), class, "{t}");
                named += usize::from(class != InfoClass::of("规章"));
            }
        }
        assert!(named >= 10, "{named}");
    }
}
