//! The figures a report states in words (format-spec §8.3), read phrase by phrase, and the rules
//! that compare them with the tables: X-TEXT (table 3 and table 4) and X-TEXT-T2 (table 2).
//!
//! A figure is read only where its phrase names the quantity it counts:
//!
//! - the text is cut into sentences (。；！？), then into clauses (，：); line breaks of PDF text
//!   are joined (“行政复议 351\n件” is 351件) and page footers (“-2-”) dropped;
//! - a count is a number written in digits or in Chinese numerals (三百五十一, 两千零五十) followed
//!   by 件, 宗 or 起; a number after 第, 约, 近, 逾 or 超 is not a count, nor one after a comparison
//!   (同比, 较上年, 增加 …), nor one inside a title 《…》;
//! - a count takes the quantity named between it and the previous count of its clause (or, when
//!   nothing is named there, between it and the next): “受理3259件，答复3278件” gives two figures,
//!   “1件结转下年度继续办理” one. Where two different quantities are named there, or a word that
//!   narrows the count to a part (维持, 延期, 按时, 未办结, 各 …), the count is not read;
//! - a parenthetical qualifies the number before it: “答复3050件（含上年度结转申请34件，另有103件
//!   顺延到下年度答复）” states 3050 answered (of which 34 carried over from last year: a part, not
//!   compared) and, beside it, 103 carried forward. A part that says the received figure includes
//!   the carried-over requests (“收到申请81件（含上年结转5件）”) makes it compare with new plus
//!   carried over;
//! - table 2 (2021 form): 规章 and 规范性文件 with 制发/制定/出台/印发, 废止 or 现行有效 (“现行有效
//!   行政规范性文件393件”). The text may count another set of documents (a whole city's), so a
//!   difference is a warning that shows both numbers.

use super::context::{Ctx, Sum};
use super::registry::{BOTH, Rule, Scope, V21, label};
use crate::catalogue::{SectionKind, T4_TOTAL, TableId, t2_id, t3_id, t4_id};
use crate::finding::Severity;
use crate::finding::{Message, Subject, Text};
use crate::value::Num;
use crate::version::FormatVersion;

/// A kind of document counted in table 2's first block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Document {
    /// 规章.
    Regulations,
    /// 行政规范性文件 (规范性文件).
    NormativeDocs,
}

/// What table 2 counts of a document kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocCount {
    /// 本年制发 (制发, 制定, 出台, 印发).
    Made,
    /// 本年废止.
    Repealed,
    /// 现行有效.
    InForce,
}

/// A quantity the text of a report can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// 收到/新收/受理/接收 … 申请 N件: new requests (or new plus carried over).
    Received,
    /// 办结/答复 N件.
    Completed,
    /// 结转下年度 / 顺延到下年度 N件.
    CarriedForward,
    /// 上年结转 N件.
    CarriedOver,
    /// 行政复议 N件.
    Review,
    /// 行政诉讼 N件.
    Litigation,
    /// 规章 / 规范性文件: made, repealed or in force.
    Documents(Document, DocCount),
}

/// A figure stated in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// What it counts.
    pub quantity: Quantity,
    /// The number.
    pub value: u64,
    /// The phrase it was read from (without spaces), with its parenthetical.
    pub phrase: String,
    /// Whether a part of the phrase says the figure includes the carried-over requests
    /// (“收到申请81件（含上年结转5件）”).
    pub includes_carried_over: bool,
}

/// What a word in a clause does to the counts around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Names a quantity of tables 3–4.
    Quantity(Quantity),
    /// Names a document kind of table 2.
    Document(Document),
    /// Names what table 2 counts of it.
    DocCount(DocCount),
    /// Narrows the count to a part, or to something else: the count is not read.
    Narrow,
}

/// The words of a clause and what they mark, longest first where one contains another.
const MARKS: &[(&str, Mark)] = &[
    ("上一年度结转", Mark::Quantity(Quantity::CarriedOver)),
    ("上一年结转", Mark::Quantity(Quantity::CarriedOver)),
    ("上年度结转", Mark::Quantity(Quantity::CarriedOver)),
    ("上年结转", Mark::Quantity(Quantity::CarriedOver)),
    ("去年结转", Mark::Quantity(Quantity::CarriedOver)),
    ("结转下一", Mark::Quantity(Quantity::CarriedForward)),
    ("结转下年", Mark::Quantity(Quantity::CarriedForward)),
    ("结转到下", Mark::Quantity(Quantity::CarriedForward)),
    ("结转至下", Mark::Quantity(Quantity::CarriedForward)),
    ("结转至", Mark::Quantity(Quantity::CarriedForward)),
    ("结转到", Mark::Quantity(Quantity::CarriedForward)),
    ("转入下年", Mark::Quantity(Quantity::CarriedForward)),
    ("转至下年", Mark::Quantity(Quantity::CarriedForward)),
    ("转下一年度", Mark::Quantity(Quantity::CarriedForward)),
    ("转下年度", Mark::Quantity(Quantity::CarriedForward)),
    ("下一年度答复", Mark::Quantity(Quantity::CarriedForward)),
    ("下年度答复", Mark::Quantity(Quantity::CarriedForward)),
    ("顺延到下", Mark::Quantity(Quantity::CarriedForward)),
    ("顺延至下", Mark::Quantity(Quantity::CarriedForward)),
    ("下年度继续办理", Mark::Quantity(Quantity::CarriedForward)),
    ("下一年度继续办理", Mark::Quantity(Quantity::CarriedForward)),
    ("未办结", Mark::Narrow),
    ("未答复", Mark::Narrow),
    ("办结率", Mark::Narrow),
    ("答复率", Mark::Narrow),
    ("办结", Mark::Quantity(Quantity::Completed)),
    ("答复", Mark::Quantity(Quantity::Completed)),
    ("办理完毕", Mark::Quantity(Quantity::Completed)),
    ("办理完结", Mark::Quantity(Quantity::Completed)),
    ("收到", Mark::Quantity(Quantity::Received)),
    ("新收", Mark::Quantity(Quantity::Received)),
    ("受理", Mark::Quantity(Quantity::Received)),
    ("接收", Mark::Quantity(Quantity::Received)),
    ("接到", Mark::Quantity(Quantity::Received)),
    ("行政复议", Mark::Quantity(Quantity::Review)),
    ("行政诉讼", Mark::Quantity(Quantity::Litigation)),
    ("规章制度", Mark::Narrow),
    ("规章", Mark::Document(Document::Regulations)),
    ("规范性文件", Mark::Document(Document::NormativeDocs)),
    ("制发", Mark::DocCount(DocCount::Made)),
    ("制定", Mark::DocCount(DocCount::Made)),
    ("出台", Mark::DocCount(DocCount::Made)),
    ("印发", Mark::DocCount(DocCount::Made)),
    ("废止", Mark::DocCount(DocCount::Repealed)),
    ("现行有效", Mark::DocCount(DocCount::InForce)),
    // Parts of a figure, or another figure: outcomes of reviews and lawsuits, ways and speeds
    // of answering, a count per kind.
    // Results of table 3 (“同意公开答复9件”): a part of the completed requests.
    ("同意公开", Mark::Narrow),
    ("予以公开", Mark::Narrow),
    ("部分公开", Mark::Narrow),
    ("不予公开", Mark::Narrow),
    ("无法提供", Mark::Narrow),
    ("不予处理", Mark::Narrow),
    ("其他处理", Mark::Narrow),
    ("维持", Mark::Narrow),
    ("纠正", Mark::Narrow),
    ("纠错", Mark::Narrow),
    ("其他结果", Mark::Narrow),
    ("审结", Mark::Narrow),
    ("撤销", Mark::Narrow),
    ("驳回", Mark::Narrow),
    ("败诉", Mark::Narrow),
    ("胜诉", Mark::Narrow),
    ("确认违法", Mark::Narrow),
    ("撤回", Mark::Narrow),
    ("终止", Mark::Narrow),
    ("调解", Mark::Narrow),
    ("起诉", Mark::Narrow),
    ("延期", Mark::Narrow),
    ("按时", Mark::Narrow),
    ("按期", Mark::Narrow),
    ("逾期", Mark::Narrow),
    ("当场", Mark::Narrow),
    ("平均", Mark::Narrow),
    ("累计", Mark::Narrow),
];

/// Words after which a number is a difference or a rate, not a figure of the year.
const COMPARISONS: &[&str] = &[
    "同比",
    "较上年",
    "比上年",
    "较去年",
    "比去年",
    "较上一年",
    "比上一年",
    "增加",
    "减少",
    "增长",
    "下降",
    "上升",
    "环比",
];

/// The units of a count of cases.
const UNITS: [char; 3] = ['件', '宗', '起'];

/// Clauses longer than this (in characters) are not read.
const MAX_CLAUSE_CHARS: usize = 400;

/// Words that say a part of the figure before it is included in it.
const INCLUDES: &[&str] = &["其中含", "其中包括", "包含", "包括", "含"];

/// The first count of a clause (a number in digits or Chinese numerals followed by 件, 宗 or 起;
/// not a difference, an ordinal or an approximation).
pub fn first_count(clause: &str) -> Option<u64> {
    counts(clause).first().map(|c| c.value)
}

/// The statements of a text, in order.
pub fn statements(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        for clause in clauses(&sentence) {
            // A phrase that states a figure is short; a longer “clause” is a table or a list run
            // together, and reading it would cost counts × words.
            if clause.main.chars().count() > MAX_CLAUSE_CHARS {
                continue;
            }
            let host = read(&clause.main);
            let mut includes_carried_over = false;
            let mut beside = Vec::new();
            for inner in clause.inner.iter().filter(|i| i.chars().count() <= MAX_CLAUSE_CHARS) {
                let part = INCLUDES.iter().find_map(|w| inner.strip_prefix(w));
                match part {
                    // A part of the host figure: not compared on its own.
                    Some(rest) => {
                        includes_carried_over |= read(rest).iter().any(|(q, _)| *q == Quantity::CarriedOver)
                            || (rest.contains("结转") && !rest.contains("下年") && !rest.contains("下一"));
                    }
                    None => beside.extend(read(inner).into_iter().map(|r| (r, inner.clone()))),
                }
            }
            let phrase = clause.written();
            for (quantity, value) in host {
                out.push(Statement {
                    quantity,
                    value,
                    phrase: phrase.clone(),
                    includes_carried_over: includes_carried_over && quantity == Quantity::Received,
                });
            }
            for ((quantity, value), inner) in beside {
                out.push(Statement {
                    quantity,
                    value,
                    phrase: inner,
                    includes_carried_over: false,
                });
            }
            if let Some(zero) = no_request(&clause.main) {
                out.push(Statement {
                    quantity: Quantity::Received,
                    value: zero,
                    phrase,
                    includes_carried_over: false,
                });
            }
        }
    }
    out
}

/// “未收到…申请” (and no count): no request received.
fn no_request(clause: &str) -> Option<u64> {
    let negated = ["未收到", "没有收到", "未接到", "未受理"]
        .iter()
        .any(|w| clause.contains(w));
    let remedy = clause.contains("行政复议") || clause.contains("行政诉讼");
    (negated && !remedy && clause.contains("申请") && counts(clause).is_empty()).then_some(0)
}

/// The sentences of a text that may state a count, each without spaces: line breaks joined, page
/// footers dropped, two numbers on either side of a line break kept apart.
fn sentences(text: &str) -> Vec<String> {
    // Most sentences state no count: only those with a unit or about 申请 (申 alone, the line may
    // break inside the word) are joined and kept.
    text.split(['。', '；', ';', '！', '？', '!', '?'])
        .filter(|s| s.contains(UNITS) || s.contains('申'))
        .map(join_lines)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The lines of a sentence joined without spaces and page footers, full-width digits made
/// ASCII; two numbers either side of a line break are kept apart by `|`.
fn join_lines(sentence: &str) -> String {
    let mut joined = String::with_capacity(sentence.len());
    for line in sentence.lines() {
        let line: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if line.is_empty() || is_page_footer(&line) {
            continue;
        }
        let prev_digit = joined.chars().last().is_some_and(|c| numeral(c).is_some());
        let next_digit = line.chars().next().is_some_and(|c| numeral(c).is_some());
        if prev_digit && next_digit {
            joined.push('|');
        }
        joined.extend(line.chars().map(ascii_digit));
    }
    joined
}

/// “-2-”, “— 5 —”, “第3页”, “3/12”.
fn is_page_footer(line: &str) -> bool {
    let core = line.trim_matches(|c| matches!(c, '-' | '—' | '–' | '－'));
    let dashed = core.len() < line.len() && !core.is_empty() && core.chars().all(|c| c.is_ascii_digit());
    let page = core.starts_with('第')
        && core.ends_with('页')
        && core.chars().filter(|c| c.is_ascii_digit()).count() + 2 == core.chars().count();
    dashed || page
}

fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '（' => '(',
        '）' => ')',
        _ => c,
    }
}

/// A clause: its own words, and what it says in parentheses (each part separately).
#[derive(Debug, Default)]
struct Clause {
    main: String,
    inner: Vec<String>,
}

impl Clause {
    /// The clause as a reader sees it: its words with the parentheticals back in place at the end.
    fn written(&self) -> String {
        if self.inner.is_empty() {
            self.main.clone()
        } else {
            format!("{}（{}）", self.main, self.inner.join("，"))
        }
    }
}

/// Cuts a sentence into clauses at ，: and ：, keeping what stands in parentheses with the clause
/// it is in, cut at its own commas.
fn clauses(sentence: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut cur = Clause::default();
    let mut inner = String::new();
    let mut depth = 0usize;
    let flush_inner = |inner: &mut String, cur: &mut Clause| {
        for part in inner.split(['，', ',', '、']) {
            if !part.is_empty() {
                cur.inner.push(part.to_string());
            }
        }
        inner.clear();
    };
    for c in sentence.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    inner.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 && !inner.is_empty() && inner.chars().all(|c| "一二三四五六七八九十".contains(c))
                {
                    // A heading's number (“（二）依申请公开情况”) ends the clause before it.
                    inner.clear();
                    out.push(std::mem::take(&mut cur));
                } else if depth == 0 {
                    flush_inner(&mut inner, &mut cur);
                } else {
                    inner.push(c);
                }
            }
            _ if depth > 0 => inner.push(c),
            '，' | ',' | '：' | ':' => {
                out.push(std::mem::take(&mut cur));
            }
            _ => cur.main.push(c),
        }
    }
    flush_inner(&mut inner, &mut cur);
    out.push(cur);
    out.retain(|c| !c.main.is_empty() || !c.inner.is_empty());
    out
}

/// A count in a clause: where it starts and ends (in chars) and its value.
#[derive(Debug, Clone, Copy)]
struct Count {
    start: usize,
    end: usize,
    value: u64,
}

/// The counts of a clause: numbers directly followed by 件, 宗 or 起, not after 第/约/近/逾/超,
/// not after a comparison, not inside 《…》.
fn counts(clause: &str) -> Vec<Count> {
    if !clause.contains(UNITS) {
        return Vec::new();
    }
    let chars: Vec<char> = clause.chars().collect();
    let compared_from = COMPARISONS
        .iter()
        .filter_map(|w| char_find(&chars, w))
        .min()
        .unwrap_or(chars.len());
    let titled = title_spans(&chars);
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && numeral(chars[i]).is_some() {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let unit = chars.get(i).is_some_and(|c| UNITS.contains(c));
        let qualified = start
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|c| matches!(c, '第' | '约' | '近' | '逾' | '超' | '各' | '.' | '．' | '|'));
        let in_title = titled.iter().any(|&(a, b)| start > a && start < b);
        if unit && !qualified && !in_title && start < compared_from {
            let word: String = chars[start..i].iter().collect();
            if let Some(value) = parse_number(&word) {
                out.push(Count { start, end: i, value });
            }
        }
    }
    out
}

/// The spans of titles 《…》 in a clause.
fn title_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = None;
    for (i, c) in chars.iter().enumerate() {
        match c {
            '《' => open = Some(i),
            '》' => {
                if let Some(a) = open.take() {
                    out.push((a, i));
                }
            }
            _ => {}
        }
    }
    if let Some(a) = open {
        out.push((a, chars.len()));
    }
    out
}

fn char_find(chars: &[char], word: &str) -> Option<usize> {
    let w: Vec<char> = word.chars().collect();
    chars.windows(w.len()).position(|win| win == w.as_slice())
}

/// The marks of a clause with their positions, longest word first, words inside a title skipped.
fn marks(chars: &[char]) -> Vec<(usize, Mark)> {
    let titled = title_spans(chars);
    let mut taken = vec![false; chars.len()];
    let mut out = Vec::new();
    for (word, mark) in MARKS {
        let w: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i + w.len() <= chars.len() {
            if chars[i..i + w.len()] == w[..] && !taken[i..i + w.len()].iter().any(|t| *t) {
                taken[i..i + w.len()].iter_mut().for_each(|t| *t = true);
                if !titled.iter().any(|&(a, b)| i > a && i < b) {
                    out.push((i, *mark));
                }
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// What the marks of a stretch of a clause name: one quantity, or nothing. In a list that
/// shares its verb or its document kind (“制发规章2件、行政规范性文件15件”), what the stretch
/// leaves out is the previous figure's of the clause (`prev`).
fn named(marks: &[Mark], clause: &str, prev: Option<Quantity>) -> Option<Quantity> {
    if marks.contains(&Mark::Narrow) {
        return None;
    }
    // “转下一年度办理答复”: what is answered next year is carried forward.
    let mut forward = false;
    let mut quantities: Vec<Quantity> = dedup(marks.iter().filter_map(|m| match m {
        Mark::Quantity(Quantity::Completed) if forward => None,
        Mark::Quantity(q) => {
            forward |= *q == Quantity::CarriedForward;
            Some(*q)
        }
        _ => None,
    }));
    // 收到/受理 name the received requests only in a clause about 申请, and give way to a more
    // specific word (“收到行政复议申请”, “受理上年结转申请”).
    if quantities.contains(&Quantity::Received) && (quantities.len() > 1 || !clause.contains("申请")) {
        quantities.retain(|q| *q != Quantity::Received);
    }
    let docs: Vec<Document> = dedup(marks.iter().filter_map(|m| match m {
        Mark::Document(d) => Some(*d),
        _ => None,
    }));
    let counts: Vec<DocCount> = dedup(marks.iter().filter_map(|m| match m {
        Mark::DocCount(d) => Some(*d),
        _ => None,
    }));
    match (quantities.as_slice(), docs.as_slice(), counts.as_slice()) {
        ([q], [], []) => Some(*q),
        ([], [d], [c]) => Some(Quantity::Documents(*d, *c)),
        ([], [d], []) => match prev {
            Some(Quantity::Documents(_, c)) => Some(Quantity::Documents(*d, c)),
            _ => None,
        },
        ([], [], [c]) => match prev {
            Some(Quantity::Documents(d, _)) => Some(Quantity::Documents(d, *c)),
            _ => None,
        },
        _ => None,
    }
}

fn dedup<T: PartialEq>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = Vec::new();
    for x in it {
        if !v.contains(&x) {
            v.push(x);
        }
    }
    v
}

/// The figures of one clause: each count with the quantity named between it and the count
/// before it, or, when nothing is named there, between it and the next count.
fn read(clause: &str) -> Vec<(Quantity, u64)> {
    let chars: Vec<char> = clause.chars().collect();
    let counts = counts(clause);
    if counts.is_empty() {
        return Vec::new();
    }
    let marks = marks(&chars);
    let within = |a: usize, b: usize| -> Vec<Mark> {
        marks
            .iter()
            .filter(|(i, _)| *i >= a && *i < b)
            .map(|(_, m)| *m)
            .collect()
    };
    let mut out = Vec::new();
    for (k, c) in counts.iter().enumerate() {
        let from = if k == 0 { 0 } else { counts[k - 1].end };
        let to = counts.get(k + 1).map_or(chars.len(), |n| n.start);
        let before = within(from, c.start);
        let prev = out.last().map(|(q, _)| *q);
        let quantity = if before.is_empty() {
            named(&within(c.end, to), clause, None)
        } else {
            named(&before, clause, prev)
        };
        if let Some(q) = quantity {
            out.push((q, c.value));
        }
    }
    out
}

/// The value of a Chinese numeral character: digits 0–9 (〇, 零, 两), or `None`.
fn chinese_digit(c: char) -> Option<u64> {
    match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// Whether a character is part of a number: an ASCII digit, a Chinese digit or a unit
/// (十百千万亿).
fn numeral(c: char) -> Option<()> {
    (c.is_ascii_digit() || chinese_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '亿')).then_some(())
}

/// `81`, `十二`, `二十`, `一百零五`, `三百五十一`, `两千零五十`, `一万二千`, `十二万`.
/// Digits run together in Chinese (“一二”), a unit without a number before it (“万”), or digits
/// mixed with Chinese numerals are no number.
pub fn parse_number(w: &str) -> Option<u64> {
    if w.is_empty() {
        return None;
    }
    if w.chars().all(|c| c.is_ascii_digit()) {
        return w.parse().ok();
    }
    if w.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    let mut first = true;
    for c in w.chars() {
        if let Some(d) = chinese_digit(c) {
            // Two digits in a row are a year or a code (二〇二三), unless the first is 零.
            if digit.is_some_and(|p| p != 0) {
                return None;
            }
            digit = Some(d);
            first = false;
            continue;
        }
        let unit: u64 = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            '亿' => 100_000_000,
            _ => return None,
        };
        // 十 may open a number (十二); the larger units need a digit.
        if first && c != '十' {
            return None;
        }
        first = false;
        if unit >= 10_000 {
            section = section.checked_add(digit.take().unwrap_or(0))?;
            total = total.checked_add(section.checked_mul(unit)?)?;
            section = 0;
        } else {
            section = section.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
        }
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

fn number_sum(n: u64) -> Sum {
    Sum::of_value(Num(rust_decimal::Decimal::from(n)))
}

fn general_text(ctx: &Ctx<'_>) -> Option<String> {
    ctx.report.sections.get(SectionKind::General).map(|s| s.text.clone())
}

fn subject(table: TableId, phrase: &str) -> Subject {
    Subject::new(
        Some(table),
        phrase.to_string(),
        format!("「总体情况」所述“{phrase}”"),
        format!("the overview's “{phrase}”"),
    )
}

pub(super) static X_TEXT: Rule = Rule {
    id: "X-TEXT",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "总体情况所述申请、办结、结转、复议、诉讼件数与表格一致",
        "Numbers stated in the overview match the tables",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_text,
};

/// X-TEXT: numbers stated in 总体情况 against table 3 and table 4.
pub(super) fn x_text(ctx: &mut Ctx<'_>) {
    let Some(text) = general_text(ctx) else { return };
    for st in statements(&text) {
        let (ids, name): (Vec<String>, (&str, &str)) = match st.quantity {
            Quantity::Received => (
                vec![t3_id("new_received", "total")],
                ("表三本年新收申请总计", "new requests in Table 3"),
            ),
            Quantity::Completed => (
                vec![t3_id("results_total", "total")],
                ("表三办理结果总计", "results total in Table 3"),
            ),
            Quantity::CarriedForward => (
                vec![t3_id("carried_forward", "total")],
                ("表三结转下年度继续办理总计", "carried forward in Table 3"),
            ),
            Quantity::CarriedOver => (
                vec![t3_id("carried_over", "total")],
                ("表三上年结转总计", "carried over in Table 3"),
            ),
            Quantity::Review => (
                vec![t4_id("review", T4_TOTAL)],
                ("表四行政复议总计", "reviews in Table 4"),
            ),
            Quantity::Litigation => (
                vec![t4_id("lit_direct", T4_TOTAL), t4_id("lit_after_review", T4_TOTAL)],
                ("表四行政诉讼总计", "lawsuits in Table 4"),
            ),
            Quantity::Documents(..) => continue,
        };
        let table = if matches!(st.quantity, Quantity::Review | Quantity::Litigation) {
            TableId::T4
        } else {
            TableId::T3
        };
        let subject = subject(table, &st.phrase);
        let stated = Num(rust_decimal::Decimal::from(st.value));
        if st.quantity == Quantity::Received {
            let with_carried = ctx.sum(&[t3_id("new_received", "total"), t3_id("carried_over", "total")]);
            let both = ("表三新收与上年结转之和", "new plus carried over in Table 3");
            // “收到申请81件（含上年结转5件）” counts both.
            if st.includes_carried_over {
                ctx.compare(
                    &subject,
                    ("正文数字", "the number in the text"),
                    number_sum(st.value),
                    both,
                    with_carried,
                );
                continue;
            }
            // “收到申请N件” may count the carried-over requests too: either reading passes.
            if with_carried.value == Some(stated) && ctx.sum(&ids).value != with_carried.value {
                ctx.compare(
                    &subject,
                    ("正文数字", "the number in the text"),
                    number_sum(st.value),
                    both,
                    with_carried,
                );
                continue;
            }
        }
        let tables = ctx.sum(&ids);
        ctx.compare(
            &subject,
            ("正文数字", "the number in the text"),
            number_sum(st.value),
            name,
            tables,
        );
    }
}

pub(super) static X_TEXT_T2: Rule = Rule {
    id: "X-TEXT-T2",
    severity: Severity::Warning,
    versions: V21,
    title: label(
        "总体情况所述规章、行政规范性文件制发、废止、现行有效件数与表二一致",
        "Rules and normative documents made, repealed and in force as the overview states them match Table 2",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_text_t2,
};

/// X-TEXT-T2: 规章 and 规范性文件 made, repealed and in force as 总体情况 states them, against
/// table 2 (2021 form). A difference is shown with both numbers: the text may count another set.
pub(super) fn x_text_t2(ctx: &mut Ctx<'_>) {
    if ctx.report.meta.format != FormatVersion::V2021 {
        return;
    }
    let Some(text) = general_text(ctx) else { return };
    for st in statements(&text) {
        let Quantity::Documents(doc, count) = st.quantity else {
            continue;
        };
        let row = match doc {
            Document::Regulations => "regulations",
            Document::NormativeDocs => "normative_docs",
        };
        let (column, name) = match (doc, count) {
            (Document::Regulations, DocCount::Made) => {
                ("made", ("表二规章本年制发件数", "rules made this year in Table 2"))
            }
            (Document::Regulations, DocCount::Repealed) => (
                "repealed",
                ("表二规章本年废止件数", "rules repealed this year in Table 2"),
            ),
            (Document::Regulations, DocCount::InForce) => {
                ("in_force", ("表二规章现行有效件数", "rules in force in Table 2"))
            }
            (Document::NormativeDocs, DocCount::Made) => (
                "made",
                (
                    "表二行政规范性文件本年制发件数",
                    "normative documents made this year in Table 2",
                ),
            ),
            (Document::NormativeDocs, DocCount::Repealed) => (
                "repealed",
                (
                    "表二行政规范性文件本年废止件数",
                    "normative documents repealed this year in Table 2",
                ),
            ),
            (Document::NormativeDocs, DocCount::InForce) => (
                "in_force",
                (
                    "表二行政规范性文件现行有效件数",
                    "normative documents in force in Table 2",
                ),
            ),
        };
        let subject = subject(TableId::T2, &st.phrase);
        let table = ctx.sum(&[t2_id(row, column)]);
        let before = ctx.out.len();
        ctx.compare(
            &subject,
            ("正文数字", "the number in the text"),
            number_sum(st.value),
            name,
            table,
        );
        if let Some(f) = ctx
            .out
            .get_mut(before)
            .filter(|f| f.status == crate::finding::Status::Fail)
        {
            let Text { zh, en } = f.texts();
            f.message = Message::Text(Text::new(
                zh + "；正文可能按其他口径统计（如全市或全部门），请核对",
                en + "; the text may count another set of documents (a whole city's, say): please check",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<(Quantity, u64)> {
        statements(text).iter().map(|s| (s.quantity, s.value)).collect()
    }

    #[test]
    fn chinese_numerals() {
        for (w, n) in [
            ("81", 81),
            ("十二", 12),
            ("二十", 20),
            ("一百零五", 105),
            ("三百五十一", 351),
            ("两千零五十", 2050),
            ("两千零三", 2003),
            ("一万二千", 12_000),
            ("十二万", 120_000),
            ("一万零五", 10_005),
            ("零", 0),
        ] {
            assert_eq!(parse_number(w), Some(n), "{w}");
        }
        for w in ["二〇二三", "一二", "万", "千五", "3千", ""] {
            assert_eq!(parse_number(w), None, "{w}");
        }
    }

    #[test]
    fn each_clause_names_its_quantity() {
        assert_eq!(
            q("2022年，本局共收到政府信息公开申请81件，办结76件，结转下年度继续办理7件。"),
            vec![
                (Quantity::Received, 81),
                (Quantity::Completed, 76),
                (Quantity::CarriedForward, 7)
            ]
        );
        assert_eq!(
            q("受理3259件申请，答复3278件"),
            vec![(Quantity::Received, 3259), (Quantity::Completed, 3278)]
        );
        assert_eq!(
            q("本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。"),
            vec![
                (Quantity::Received, 70),
                (Quantity::Completed, 69),
                (Quantity::CarriedForward, 1)
            ]
        );
        assert_eq!(
            q("被申请行政复议二件，提起行政诉讼五件。"),
            vec![(Quantity::Review, 2), (Quantity::Litigation, 5)]
        );
        let s = statements("2023年区工信科技局未收到任何公民、法人和其他组织提出的公开政府信息的申请");
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].quantity, s[0].value), (Quantity::Received, 0));
    }

    /// 淮安市 2024 (`tests/fixtures/real/huaian-2024.pdftotext.txt`): the parenthetical qualifies
    /// 3050; 34 is a part of it, not the carried-forward figure, and 103 is carried forward.
    #[test]
    fn a_parenthetical_qualifies_the_number_before_it() {
        let text = "2024 年，全市共受理政府信息公开申请 3119 件，答\n复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度\n答复），均在法定期限内予以答复。政府信息公开行政复议 351\n件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚\n未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25\n件，结果纠正 5 件。";
        assert_eq!(
            q(text),
            vec![
                (Quantity::Received, 3119),
                (Quantity::Completed, 3050),
                (Quantity::CarriedForward, 103),
                (Quantity::Review, 351),
                (Quantity::Litigation, 46),
            ]
        );
        let s = statements("收到申请81件（含上年结转5件），办结80件（含上年结转5件）");
        assert!(s[0].includes_carried_over && s[0].quantity == Quantity::Received);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(!s[1].includes_carried_over);
    }

    #[test]
    fn parts_rates_and_differences_are_not_figures() {
        assert!(q("其中自然人申请70件，占86%").is_empty());
        assert!(q("按时办结率100%").is_empty());
        assert!(q("行政复议结果维持2件，行政复议、行政诉讼各1件").is_empty());
        assert!(q("收到申请量较上年增加12件").is_empty());
        assert!(q("延期答复3件").is_empty());
        assert!(q("第3件申请").is_empty());
        assert!(q("受理群众诉求259起").is_empty(), "no 申请: not a request");
        assert!(q("约30件").is_empty());
        // 上海市科委 2024 (`tests/fixtures/real/shanghai-kewei-2024.pdf2md.md`): results are parts
        // of the completed requests; what is answered next year is carried forward.
        assert_eq!(
            q(
                "所有办结的信息公开申请中同意公开答复 9 件，部分公开答复 0 件，不予公开答复 2\n件，无法提供的 10 件，不予处理 0 件，其他处理 14 件，转下一\n年度办理答复的有 1 件。"
            ),
            vec![(Quantity::CarriedForward, 1)]
        );
        assert!(q("行政复议和行政诉讼共3件").is_empty());
        assert!(q("未收到行政复议申请").is_empty());
        assert_eq!(q("全市各级行政机关共收到申请3119件"), vec![(Quantity::Received, 3119)]);
    }

    #[test]
    fn table_two_documents() {
        // 平潭 2023 (`tests/fixtures/real/pingtan-2023.crawler.txt`).
        assert_eq!(
            q("清理并集中发布现行有效行政规范性文件393件，动态更新本年度制发的规范性文件77件。"),
            vec![
                (Quantity::Documents(Document::NormativeDocs, DocCount::InForce), 393),
                (Quantity::Documents(Document::NormativeDocs, DocCount::Made), 77),
            ]
        );
        assert_eq!(
            q("全年制发规章2件、行政规范性文件十五件，废止规范性文件3件"),
            vec![
                (Quantity::Documents(Document::Regulations, DocCount::Made), 2),
                (Quantity::Documents(Document::NormativeDocs, DocCount::Made), 15),
                (Quantity::Documents(Document::NormativeDocs, DocCount::Repealed), 3),
            ]
        );
        assert!(q("制定规章制度12件").is_empty());
        assert!(q("印发《规范性文件管理办法》等3件").is_empty());
        assert!(q("政策、规范性文件类信息68条").is_empty());
    }

    /// 平潭 2025 (`tests/fixtures/real/pingtan-2025.crawler.txt`): “结转至2026年6件” names the
    /// next year by number.
    #[test]
    fn carried_forward_to_a_named_year() {
        assert_eq!(
            q("全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。"),
            vec![
                (Quantity::Received, 154),
                (Quantity::Completed, 148),
                (Quantity::CarriedForward, 6)
            ]
        );
        // “办理” alone names no quantity: 沭阳 2025 says “共办理718件” of requests and “共办理相关
        // 案件74件” of reviews and lawsuits.
        assert!(q("全县共办理相关案件74件").is_empty());
    }

    #[test]
    fn a_heading_number_is_no_parenthetical() {
        // 上海市政府办公厅 2025: a heading's number after the sentence it follows.
        let s = statements("市政府共受理政府信息公开申请1295件（二）办结1191件（含上年结转189件）");
        let p: Vec<&str> = s.iter().map(|s| s.phrase.as_str()).collect();
        assert_eq!(
            p,
            ["市政府共受理政府信息公开申请1295件", "办结1191件（含上年结转189件）"]
        );
    }

    #[test]
    fn long_runs_are_not_read_as_phrases() {
        let long = format!("收到申请{}81件", "的".repeat(MAX_CLAUSE_CHARS));
        assert!(q(&long).is_empty());
        // A large text of sentences without counts is read quickly (linear).
        let text = "本机关认真贯彻落实条例，收到申请。".repeat(100_000);
        let start = std::time::Instant::now();
        assert!(q(&text).is_empty());
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn page_footers_and_numbers_across_lines() {
        assert_eq!(q("共收到申请\n-2-\n\n81件"), vec![(Quantity::Received, 81)]);
        // Two numbers either side of a line break are not one number.
        assert_eq!(q("共收到申请 12\n3件"), vec![]);
    }
}
