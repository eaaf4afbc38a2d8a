//! The outline of a report: title lines, preamble and the six numbered sections, found by their
//! headings. Headings are recognised by their words (canonical or a published variant from the
//! catalogue) whatever their numbering, because reports renumber sections (spec §2).

use super::clean::Line;
use crate::labels::{normalize_label, normalized};
use xxgk_model::SectionKind;

/// Where each part of the report is, as ranges of indexes into the cleaned lines.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Title lines (before the preamble).
    pub title: std::ops::Range<usize>,
    /// Preamble lines (after the title, before the first heading).
    pub preamble: std::ops::Range<usize>,
    /// Each section found: its kind, the index of its heading line, and its body lines.
    pub sections: Vec<(SectionKind, usize, std::ops::Range<usize>)>,
}

impl Outline {
    /// The body of a section, if it was found.
    pub fn body(&self, kind: SectionKind) -> Option<std::ops::Range<usize>> {
        self.sections.iter().find(|s| s.0 == kind).map(|s| s.2.clone())
    }
}

/// Finds title, preamble and sections.
pub fn outline(lines: &[Line]) -> Outline {
    let mut headings: Vec<(SectionKind, usize)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(kind) = heading_kind(&line.text) {
            // Each section once: a later line with the same words is text, not a heading.
            if !headings.iter().any(|h| h.0 == kind) {
                headings.push((kind, i));
            }
        }
    }
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

/// The title: the first non-empty lines up to the one that ends in “报告” (titles are often
/// broken after the year, as in the seed: “…局2023年度” / “政府信息公开工作年度报告”).
fn title_range(head: &[Line]) -> std::ops::Range<usize> {
    let Some(start) = head.iter().position(|l| !l.text.trim().is_empty()) else {
        return 0..0;
    };
    for (i, line) in head.iter().enumerate().skip(start).take(4) {
        let t = normalize_label(&line.text);
        if t.ends_with("报告") || t.ends_with("年报") {
            return start..i + 1;
        }
        if t.is_empty() || t.chars().count() > 60 {
            break;
        }
    }
    start..start
}

/// The section a heading line introduces, if it is one.
pub fn heading_kind(line: &str) -> Option<SectionKind> {
    let norm = normalize_label(line);
    if norm.is_empty() || norm.chars().count() > 40 {
        return None;
    }
    let (numbered, words) = strip_numbering(&norm);
    let words = words.trim_end_matches(['。', '.', ';', '；']);
    SectionKind::ALL.into_iter().find(|kind| {
        let canonical = normalized(kind.heading().zh);
        let canonical_words = strip_numbering(canonical).1;
        std::iter::once(canonical_words)
            .chain(kind.heading_variants().iter().copied())
            .any(|v| {
                let v = normalized(v);
                // Short headings (“总体情况”, “其他事项”) are common words: only with a number.
                v == words && (numbered || v.chars().count() >= 7)
            })
    })
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
    }
}
