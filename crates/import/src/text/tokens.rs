//! Cutting the lines of a table into labels and values, whatever the shape: one cell per line
//! (Word copied to a portal, as in the seed), tab-separated rows, pipe rows (Markdown-like, with
//! padding cells and stray `|` lines), columns aligned by spaces (PDF-to-text), or a label with
//! its digits run together (HTML with the tags stripped).
//!
//! The result is a sequence of segments: a run of label text, then the run of values after it.
//! Rows are then found by their labels (see `tables`), so the shape of the line breaks does not
//! matter: a label wrapped over three lines or written one character per line is one run.

use super::clean::{Line, is_cjk};
use crate::labels::comparable_label;
use crate::values::parse_cell;
use unicode_normalization::UnicodeNormalization;
use xxgk_model::{Cell, ValueKind};

/// One value cell as found: its text (`None` for a cell left blank) and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawValue {
    /// The text of the cell, `None` when blank.
    pub text: Option<String>,
    /// Line number in the file.
    pub line: u64,
    /// Whether an empty line came between the start of the run and this value (blank cells after
    /// such a break are spacing, not cells, when a row has too many).
    pub after_break: bool,
}

/// A run of label text or of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Segment {
    /// Label text: normalised (for matching) and the first and last lines it is on.
    Label {
        /// Normalised text of the whole run.
        norm: String,
        /// First line of the run.
        line: u64,
        /// Last line of the run.
        end: u64,
    },
    /// Consecutive values.
    Values(Vec<RawValue>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Label(String),
    Value(String),
    Blank,
    Break,
}

/// Splits a table's lines into segments. `splittable` says whether a label may have digits run
/// onto its end (“一、本年新收政府信息公开申请数量801000081”): only then are trailing digits cut
/// off as values, so that prose such as “…结转1” is left alone.
pub(super) fn segments(lines: &[Line], splittable: &dyn Fn(&str) -> bool) -> Vec<Segment> {
    let mut toks: Vec<(Tok, u64)> = Vec::new();
    for line in lines {
        line_tokens(&line.text, line.no, splittable, &mut toks);
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut broke = false;
    for (tok, line) in toks {
        match tok {
            Tok::Break => broke = true,
            Tok::Label(text) => {
                let norm = comparable_label(&text);
                if norm.is_empty() {
                    continue;
                }
                if let Some(Segment::Label { norm: acc, end, .. }) = out.last_mut() {
                    acc.push_str(&norm);
                    *end = line;
                } else {
                    out.push(Segment::Label { norm, line, end: line });
                }
                broke = false;
            }
            Tok::Value(_) | Tok::Blank => {
                let text = match tok {
                    Tok::Value(t) => Some(t),
                    _ => None,
                };
                match out.last_mut() {
                    Some(Segment::Values(vals)) => vals.push(RawValue {
                        text,
                        line,
                        after_break: broke || vals.last().is_some_and(|v| v.after_break),
                    }),
                    _ => {
                        // Blank cells before any label are layout (merged label columns).
                        if text.is_some() || !out.is_empty() {
                            out.push(Segment::Values(vec![RawValue {
                                text,
                                line,
                                after_break: false,
                            }]));
                        }
                    }
                }
                broke = false;
            }
        }
    }
    out
}

fn line_tokens(text: &str, no: u64, splittable: &dyn Fn(&str) -> bool, out: &mut Vec<(Tok, u64)>) {
    if text.is_empty() {
        out.push((Tok::Break, no));
        return;
    }
    if text.trim().is_empty() {
        out.push((Tok::Blank, no));
        return;
    }
    let trimmed = text.trim();
    let cells: Vec<&str> = if trimmed.contains('|') || trimmed.contains('｜') {
        if trimmed
            .chars()
            .all(|c| matches!(c, '|' | '｜' | '-' | ':' | '+' | '=') || c.is_whitespace())
        {
            // Markdown separator row or a stray `|` line.
            return;
        }
        let inner = trimmed.trim_start_matches(['|', '｜']).trim_end_matches(['|', '｜']);
        inner.split(['|', '｜']).collect()
    } else if text.contains('\t') {
        text.split('\t').collect()
    } else if glued(trimmed) {
        // Cells run together (a page saved as text): spaces there are incidental, the row
        // labels cut the line.
        vec![trimmed]
    } else {
        split_spaced(trimmed)
    };
    let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
    if filled <= 1 && !(trimmed.contains('|') || trimmed.contains('｜')) {
        // One cell on the line (the seed's shape): a tab is indentation, not an empty cell.
        match cells.iter().find(|c| !c.trim().is_empty()) {
            Some(c) => cell_tokens(c.trim(), no, splittable, out),
            None => out.push((Tok::Blank, no)),
        }
        return;
    }
    // A row: cells before the first filled one are the empty parts of merged label columns.
    let first = cells.iter().position(|c| !c.trim().is_empty()).unwrap_or(0);
    for c in &cells[first..] {
        let c = c.trim();
        if c.is_empty() {
            out.push((Tok::Blank, no));
        } else {
            cell_tokens(c, no, splittable, out);
        }
    }
    out.push((Tok::Break, no));
}

/// Whether digits run straight into Chinese text on the line (“（七）总计23 0 00 0 023四、结转…”),
/// other than a date or a count in a sentence (“2023年”, “21件”).
fn glued(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(2).any(|w| {
        (is_cjk(w[0]) && w[1].is_ascii_digit())
            || (w[0].is_ascii_digit() && is_cjk(w[1]) && !"年月日件条个项人次万元号届期".contains(w[1]))
    })
}

/// Splits a line without tabs or pipes at whitespace, but keeps label words written with spaces
/// between their characters (“年 度”) together: only a space next to a value separates cells.
fn split_spaced(s: &str) -> Vec<&str> {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= 1 {
        return words;
    }
    let mut out: Vec<&str> = Vec::new();
    let mut start: Option<usize> = None; // byte offset where the current label run starts
    let mut last_end = 0;
    let base = s.as_ptr() as usize;
    for w in &words {
        let off = w.as_ptr() as usize - base;
        if is_value_text(w) {
            if let Some(st) = start.take() {
                out.push(&s[st..last_end]);
            }
            out.push(w);
        } else if start.is_none() {
            start = Some(off);
        }
        last_end = off + w.len();
    }
    if let Some(st) = start {
        out.push(&s[st..last_end]);
    }
    out
}

fn cell_tokens(c: &str, no: u64, splittable: &dyn Fn(&str) -> bool, out: &mut Vec<(Tok, u64)>) {
    if is_value_text(c) {
        out.push((Tok::Value(c.to_string()), no));
        return;
    }
    // Labels with their digits run together, possibly several in a row (a table whose cells ran
    // onto one line: “规章000行政规范性文件8855698第二十条…”). A run of digits is cut off as the
    // values of the label before it only when that label names a row.
    let mut from = 0;
    for (start, end) in digit_runs(c) {
        let label = &c[from..start];
        if label.trim().is_empty() || !splittable(&comparable_label(last_chars(label, LABEL_WINDOW_CHARS))) {
            continue;
        }
        out.push((Tok::Label(label.to_string()), no));
        out.push((Tok::Value(c[start..end].trim().to_string()), no));
        from = end;
    }
    if !c[from..].trim().is_empty() {
        out.push((Tok::Label(c[from..].to_string()), no));
    }
}

/// How much of the end of a label run decides whether digits after it are a row's values: more
/// than a row label with a gloss after it. The run grows by every digit run not cut off, so a
/// line of thousands of them (“2023年1月1日 2023年1月1日 …”) was normalised and matched over its
/// whole length once per run: 27 s for 16 MiB.
const LABEL_WINDOW_CHARS: usize = 160;

/// The last `n` characters of `s`.
fn last_chars(s: &str, n: usize) -> &str {
    s.char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(s, |(b, _)| &s[b..])
}

/// The runs of digits in a cell (ASCII or full-width, with a decimal point between digits and
/// spaces between groups of digits), as byte ranges. A digit right before “.” or “、” and a
/// label (“…00000003.危及”) is the next row's number, not a value, and is left out of the run.
fn digit_runs(c: &str) -> Vec<(usize, usize)> {
    let is_digit = |ch: char| ch.is_ascii_digit() || ('０'..='９').contains(&ch);
    let chars: Vec<(usize, char)> = c.char_indices().collect();
    let byte = |i: usize| chars.get(i).map_or(c.len(), |x| x.0);
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            while j < chars.len() && is_digit(chars[j].1) {
                j += 1;
            }
            // A decimal point between digits, or spaces between groups of digits.
            let mut k = j;
            if k < chars.len() && matches!(chars[k].1, '.' | '．') && chars.get(k + 1).is_some_and(|x| is_digit(x.1)) {
                k += 1;
            } else {
                while k < chars.len() && chars[k].1.is_whitespace() {
                    k += 1;
                }
            }
            if k > j && k < chars.len() && is_digit(chars[k].1) {
                j = k;
                continue;
            }
            break;
        }
        let mut end = j;
        let numbering = chars.get(j).is_some_and(|x| matches!(x.1, '.' | '、' | '．'))
            && chars.get(j + 1).is_some_and(|x| !is_digit(x.1) && !x.1.is_whitespace());
        if numbering {
            end -= 1;
        }
        if end > start && !chars[end - 1].1.is_whitespace() {
            runs.push((byte(start), byte(end)));
        }
        i = j + 1;
    }
    runs
}

/// Whether a cell's text is a value (a number, possibly annotated or with a unit, or a
/// placeholder) rather than a label. Digits with no Chinese character (“--253”) are a malformed
/// value, kept for the rules to report; the numbering of a label split off by a space (“3.”,
/// “1、”) and lone punctuation (“、” of a vertical label) are label text.
pub(super) fn is_value_text(s: &str) -> bool {
    let folded = folded(s);
    let numbering = folded.len() > 1
        && folded.ends_with(['.', '、'])
        && folded[..folded.len() - folded.chars().last().map_or(0, char::len_utf8)]
            .bytes()
            .all(|b| b.is_ascii_digit());
    if numbering {
        return false;
    }
    // A number followed by the next row's label (“210000021（二）部分公开（区分处理的……）”) is
    // no annotated value: notes beside a number are short (“22（其中修订16件）”).
    let cjk = folded.chars().filter(|c| is_cjk(*c)).count();
    let next_row = ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)", "(七)"]
        .iter()
        .any(|n| folded.contains(n));
    if cjk > 15 || next_row {
        return false;
    }
    // Ideographs alone are a value only as a placeholder (“无”, “不适用”), which is what
    // `parse_cell` finds for them after normalising and looking for a number: most label text
    // of a report is answered here without that work.
    if !folded.is_empty() && folded.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        let trimmed = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        return Cell::is_placeholder_text(trimmed) || Cell::is_placeholder_text(&folded);
    }
    match parse_cell(s, ValueKind::Count) {
        Cell::Number { .. } | Cell::Placeholder { .. } => true,
        Cell::Blank => false,
        Cell::Text { raw } => {
            raw.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && !raw.chars().any(|c| is_cjk(c) || c.is_alphabetic())
        }
    }
}

/// The digits of a run-together value (full-width folded), when it is nothing but digits.
pub(super) fn digit_string(s: &str) -> Option<String> {
    if crate::values::has_digit_lookalike(s) {
        return None;
    }
    let d = folded(s);
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// `s` in NFKC, without whitespace. ASCII and the CJK Unified Ideographs are their own NFKC
/// form, so a text of only those — most of a report — skips the normaliser, which took a
/// fifth of the reading of a text of short lines.
fn folded(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&c))
    {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        s.nfkc().filter(|c| !c.is_whitespace()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_skips_the_normaliser_only_where_it_changes_nothing() {
        let full = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
        for s in [
            "公益 诉讼",
            "12 345",
            "（一）予以公开",
            "１２３",
            "3.",
            "1、",
            "⑴",
            "㈠",
            "二〇二三",
            "Ａ ｂ",
            "\u{3000}7\u{a0}8",
            "",
            "﨑",
            "\u{2F00}",
            "ﬁ",
            "12（其中修订3件）",
            "不适用",
            "—",
            "／",
        ] {
            assert_eq!(folded(s), full(s), "{s:?}");
        }
    }

    #[test]
    fn ideographs_are_a_value_only_as_a_placeholder() {
        // What the general path (`parse_cell`) says of each, with the quick answer beside it.
        let general = |s: &str| {
            matches!(
                parse_cell(s, ValueKind::Count),
                Cell::Number { .. } | Cell::Placeholder { .. }
            )
        };
        for s in [
            "无",
            " 无 ",
            "不适用",
            "无\u{3000}",
            "公益",
            "其他",
            "总计",
            "予以公开",
            "零",
        ] {
            assert_eq!(is_value_text(s), general(s), "{s:?}");
        }
        assert!(is_value_text("不适用") && !is_value_text("公益"));
    }

    fn lines(s: &str) -> Vec<Line> {
        s.split('\n')
            .enumerate()
            .map(|(i, t)| Line {
                no: i as u64 + 1,
                text: t.to_string(),
            })
            .collect()
    }

    fn vals(seg: &Segment) -> Vec<Option<String>> {
        match seg {
            Segment::Values(v) => v.iter().map(|v| v.text.clone()).collect(),
            Segment::Label { norm, .. } => panic!("label {norm}"),
        }
    }

    #[test]
    fn shapes_give_the_same_segments() {
        let never = |_: &str| false;
        let tab = segments(&lines("\t\t规章\t1\t0\t5"), &never);
        let pipe = segments(&lines("| | 规章 | 1 | 0 | 5 |\n|---|---|"), &never);
        let spaced = segments(&lines("   规 章      1    0     5"), &never);
        let seed = segments(&lines("\t规章\n\t1\n\t0\n\t5\n"), &never);
        for s in [&tab, &pipe, &spaced, &seed] {
            assert_eq!(s.len(), 2, "{s:?}");
            assert_eq!(
                s[0],
                Segment::Label {
                    norm: "规章".into(),
                    line: 1,
                    end: 1
                }
            );
            assert_eq!(vals(&s[1]), vec![Some("1".into()), Some("0".into()), Some("5".into())]);
        }
    }

    #[test]
    fn a_table_on_one_line_is_cut_at_its_row_labels() {
        let rows = [
            "规章",
            "行政规范性文件",
            "行政事业性收费",
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "（七）总计",
        ];
        let splittable = |l: &str| rows.iter().any(|r| l.ends_with(&comparable_label(r)));
        let s = segments(
            &lines("信息内容本年制发件数规章000行政规范性文件8855698第二十条第（八）项行政事业性收费9116.36 三、"),
            &splittable,
        );
        let v: Vec<Vec<Option<String>>> = s.iter().filter(|x| matches!(x, Segment::Values(_))).map(vals).collect();
        assert_eq!(
            v,
            vec![
                vec![Some("000".into())],
                vec![Some("8855698".into())],
                vec![Some("9116.36".into())]
            ]
        );
        let s = segments(
            &lines("1.属于国家秘密00000002.其他法律行政法规禁止公开 0000000（七）总计23 0 00 0 023四、"),
            &splittable,
        );
        let v: Vec<Vec<Option<String>>> = s.iter().filter(|x| matches!(x, Segment::Values(_))).map(vals).collect();
        assert_eq!(
            v,
            vec![
                vec![Some("0000000".into())],
                vec![Some("0000000".into())],
                vec![Some("23 0 00 0 023".into())]
            ]
        );
    }

    #[test]
    fn run_together_only_where_allowed() {
        let s = segments(
            &lines("一、本年新收政府信息公开申请数量801000081"),
            &|l: &str| l.ends_with("数量"),
        );
        assert_eq!(vals(&s[1]), vec![Some("801000081".into())]);
        let s = segments(&lines("行政复议数量含上年度结转1"), &|_: &str| false);
        assert_eq!(s.len(), 1);
        for label in ["3.", "1、", "、", "（"] {
            assert!(!is_value_text(label), "{label}");
        }
        for value in ["0", "１２", "/", "—", "--253", "22（其中修订16件）", "251000元"] {
            assert!(is_value_text(value), "{value}");
        }
    }
}
