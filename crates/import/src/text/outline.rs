//! The outline of a report: title lines, preamble and the six numbered sections, found by their
//! headings. Headings are recognised by their words (canonical or a published variant from the
//! catalogue) whatever their numbering, because reports renumber sections (spec §2).

use super::clean::Line;
use crate::labels::comparable_label;
use xxgk_model::SectionKind;

/// Where each part of the report is, as ranges of indexes into the cleaned lines.
#[derive(Debug, Clone, Default)]
pub(super) struct Outline {
    /// Title lines (before the preamble).
    pub title: std::ops::Range<usize>,
    /// Preamble lines (after the title, before the first heading).
    pub preamble: std::ops::Range<usize>,
    /// Each section found: its kind, the index of its heading line, and its body lines.
    pub sections: Vec<(SectionKind, usize, std::ops::Range<usize>)>,
}

impl Outline {
    /// The body of a section, if it was found.
    pub(super) fn body(&self, kind: SectionKind) -> Option<std::ops::Range<usize>> {
        self.sections.iter().find(|s| s.0 == kind).map(|s| s.2.clone())
    }
}

/// Finds title, preamble and sections.
pub(super) fn outline(lines: &[Line]) -> Outline {
    // Each section once: a later line with the same words is text, not a heading. A heading
    // numbered like a sub-item (“（一）主动公开政府信息情况” inside 一、总体情况) stands for its
    // section only when no line numbers it as a section (“二、主动公开政府信息情况”).
    let mut top: Vec<(SectionKind, usize)> = Vec::new();
    let mut sub: Vec<(SectionKind, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(kind) = heading_kind(&line.text) {
            let list = if comparable_label(&line.text).starts_with('(') {
                &mut sub
            } else {
                &mut top
            };
            if !list.iter().any(|h| h.0 == kind) {
                list.push((kind, i));
            }
        }
    }
    let mut headings = top;
    for h in sub {
        if !headings.iter().any(|t| t.0 == h.0) {
            headings.push(h);
        }
    }
    headings.sort_by_key(|h| h.1);
    let first_heading = headings.first().map_or(lines.len(), |h| h.1);
    let title = title_range(&lines[..first_heading]);
    let mut sections = Vec::new();
    for (n, &(kind, at)) in headings.iter().enumerate() {
        let end = headings.get(n + 1).map_or(lines.len(), |h| h.1);
        sections.push((kind, at, at + 1..end));
    }
    Outline {
        preamble: title.end..first_heading,
        title,
        sections,
    }
}

/// The title: the first line (among the first few) that ends in “报告” or “年报”, with the line
/// before it when the title was broken after the year (as in the seed: “…局2023年度” /
/// “政府信息公开工作年度报告”) or after the agency. Lines before the title (page chrome, a site name, breadcrumbs)
/// are neither title nor preamble.
fn title_range(head: &[Line]) -> std::ops::Range<usize> {
    let Some(start) = head.iter().position(|l| !l.text.trim().is_empty()) else {
        return 0..0;
    };
    let filled: Vec<usize> = (start..head.len())
        .filter(|&i| !head[i].text.trim().is_empty())
        .take(8)
        .collect();
    for (n, &i) in filled.iter().enumerate() {
        let t = comparable_label(&head[i].text);
        if t.chars().count() > 60 || t.contains(['>', '＞', '›', '»']) || t.starts_with("当前位置") {
            continue;
        }
        if t.ends_with("报告") || t.ends_with("年报") {
            // The line before is the title's first half when this line has no year, or when it
            // starts with the year and names no agency while the line before names one and no
            // year (a PDF's title set as “洪泽区人民政府” / “2023 年政府信息公开工作年度报告”).
            let (agency, year) = super::meta::agency_and_year(&t);
            let head_names_agency = |p: usize| {
                let h = comparable_label(&head[p].text);
                super::meta::agency_and_year(&h).1.is_none() && is_title_head(&head[p].text)
            };
            let first = match n.checked_sub(1).map(|p| filled[p]) {
                Some(p) if year.is_none() && p + 1 == i && is_title_head(&head[p].text) => p,
                Some(p) if year.is_some() && agency.is_none() && p + 1 == i && head_names_agency(p) => p,
                _ => i,
            };
            return first..i + 1;
        }
    }
    start..start
}

/// Whether a line can be the first half of a title broken in two: short, no sentence, no page
/// chrome, and naming a year or an agency.
fn is_title_head(line: &str) -> bool {
    let t = comparable_label(line);
    t.chars().count() <= 30
        && !t.contains(['>', '＞', ':', '：', '|', '。', ',', '，'])
        && !t.ends_with("报告")
        && (t.contains('年')
            || t.ends_with([
                '局', '委', '办', '府', '院', '会', '室', '厅', '镇', '乡', '区', '县', '市',
            ]))
}

/// The section a heading line introduces, if it is one.
pub(super) fn heading_kind(line: &str) -> Option<SectionKind> {
    let norm = comparable_label(line);
    if norm.is_empty() || norm.chars().count() > 40 {
        return None;
    }
    let (numbered, words) = strip_numbering(&norm);
    let words = words.trim_end_matches(['。', '.', ';', '；']);
    exact_heading(numbered, words).or_else(|| near_heading(numbered, words))
}

/// A numbered heading of ten or more characters with a one-character slip
/// (“四、政府信息公开行政法复议、行政诉讼情况”), when only one section's heading is that close.
fn near_heading(numbered: bool, words: &str) -> Option<SectionKind> {
    let w: Vec<char> = words.chars().collect();
    if !numbered || w.len() < 10 {
        return None;
    }
    let near: Vec<SectionKind> = headings()
        .iter()
        .filter(|(_, names)| {
            names.iter().any(|v| {
                let v: Vec<char> = v.chars().collect();
                v.len() >= 10 && super::structure::within_one(&v, &w)
            })
        })
        .map(|(kind, _)| *kind)
        .collect();
    match near.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn exact_heading(numbered: bool, words: &str) -> Option<SectionKind> {
    headings()
        .iter()
        .find(|(_, names)| {
            // Short headings (“总体情况”, “其他事项”) are common words: only with a number.
            names.iter().any(|v| v == words && (numbered || v.chars().count() >= 7))
        })
        .map(|(kind, _)| *kind)
}

/// Each section with its heading's words (numbering stripped) and the variants printed in its
/// place, all normalised once per process: every line of a text is compared with them.
fn headings() -> &'static [(SectionKind, Vec<String>)] {
    static HEADINGS: std::sync::LazyLock<Vec<(SectionKind, Vec<String>)>> = std::sync::LazyLock::new(|| {
        SectionKind::ALL
            .into_iter()
            .map(|kind| {
                let canonical = comparable_label(kind.heading().zh);
                let mut names = vec![strip_numbering(&canonical).1.to_string()];
                names.extend(kind.heading_variants().iter().map(|v| comparable_label(v)));
                (kind, names)
            })
            .collect()
    });
    &HEADINGS
}

/// Splits a heading's numbering (“一、”, “六.”, “（一）”, “1.”, “第一部分”) from its words.
fn strip_numbering(norm: &str) -> (bool, &str) {
    const NUMERALS: &str = "一二三四五六七八九十";
    let s = norm;
    if let Some(rest) = s.strip_prefix('第') {
        let end = rest
            .char_indices()
            .find(|(_, c)| !NUMERALS.contains(*c))
            .map_or(rest.len(), |(i, _)| i);
        if end > 0
            && let Some(r) = rest[end..].strip_prefix("部分")
        {
            return (true, r.trim_start_matches(['、', '.', ',', ':']));
        }
    }
    if let Some(rest) = s.strip_prefix('(')
        && let Some((num, r)) = rest.split_once(')')
        && !num.is_empty()
        && num.chars().all(|c| NUMERALS.contains(c))
    {
        return (true, r);
    }
    let end = s
        .char_indices()
        .find(|(_, c)| !(NUMERALS.contains(*c) || c.is_ascii_digit()))
        .map_or(s.len(), |(i, _)| i);
    if end > 0 {
        let rest = &s[end..];
        if let Some(r) = rest.strip_prefix(['、', '.', ',', '，', ':']) {
            return (true, r);
        }
        // “一 总体情况” (the space is gone after normalising).
        if s[..end].chars().all(|c| NUMERALS.contains(c)) {
            return (true, rest);
        }
    }
    (false, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbered lines of a text, as the cleaner gives them.
    fn numbered(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                no: i as u64 + 1,
                text: (*t).to_string(),
            })
            .collect()
    }

    #[test]
    fn headings_and_variants() {
        assert_eq!(heading_kind("一、总体情况"), Some(SectionKind::General));
        assert_eq!(heading_kind("  一、总 体 情 况 "), Some(SectionKind::General));
        assert_eq!(heading_kind("二．主动公开政府信息情况"), Some(SectionKind::Proactive));
        assert_eq!(
            heading_kind("五、因政府信息公开工作被申请行政复议和提起行政诉讼情况"),
            Some(SectionKind::Remedies)
        );
        assert_eq!(heading_kind("六、其他事项"), Some(SectionKind::Other));
        assert_eq!(heading_kind("第六部分 其他需要报告的事项"), Some(SectionKind::Other));
        assert_eq!(heading_kind("其他事项"), None);
        assert_eq!(heading_kind("三、本年度办理结果"), None);
        assert_eq!(heading_kind("（一）主动公开情况。2023年，区工业信息科技局"), None);
        assert_eq!(
            heading_kind("四、政府信息公开行政法复议、行政诉讼情况"),
            Some(SectionKind::Remedies)
        );
    }

    #[test]
    fn a_sub_item_with_a_section_s_words_yields_to_the_section_heading() {
        let lines: Vec<Line> = numbered(&[
            "一、总体情况",
            "（一）主动公开政府信息情况",
            "全年公开信息249条。",
            "二、主动公开政府信息情况",
            "规章 0 0 0",
        ]);
        let o = outline(&lines);
        assert_eq!(
            o.sections.iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(),
            vec![(SectionKind::General, 0), (SectionKind::Proactive, 3)]
        );
    }

    #[test]
    fn the_title_is_found_after_page_chrome() {
        let lines: Vec<Line> = numbered(&[
            "当前位置：首页 > 政务公开 > 年报",
            "",
            "某县2023年政府信息公开工作年度报告",
            "根据《条例》……",
            "一、总体情况",
        ]);
        let o = outline(&lines);
        assert_eq!(o.title, 2..3);
        assert_eq!(o.preamble, 3..4);
        let seed: Vec<Line> = numbered(&[
            "道里区工业信息科技局2023年度",
            "政府信息公开工作年度报告",
            "本年度报告……",
        ]);
        assert_eq!(outline(&seed).title, 0..2);
        // A title wrapped after the agency, as a Word title with a line break is.
        let wrapped: Vec<Line> = numbered(&[
            "示例市示例区人民政府办公室",
            "2023年政府信息公开工作年度报告",
            "本报告……",
        ]);
        assert_eq!(outline(&wrapped).title, 0..2);
    }

    #[test]
    fn a_pdf_title_set_as_agency_then_year_and_report_is_one_title() {
        let text = "                洪泽区人民政府\n      2023 年政府信息公开工作年度报告\n\n   本报告由淮安市洪泽区人民政府办公室编制。\n   一、总体情况\n   2023 年，……\n";
        let lines = numbered(&text.split('\n').collect::<Vec<_>>());
        assert_eq!(outline(&lines).title, 0..2);
    }
}
