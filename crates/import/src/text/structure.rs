//! What surrounds a report in the files people have, and reports whose lines ran together:
//!
//! - the metadata lines a crawler writes before the page text (“标题: …”, “发布时间: …”,
//!   “发布机构: …”, a “==== 正文 ====” rule), recognised, skipped and used for the title, the
//!   agency and the publication date;
//! - page chrome before the report (“当前位置：首页 > 政务公开 > …”, “来源：… 时间：…”, share
//!   links), skipped;
//! - section headings inside a line (a page saved as text with the whole report on one line),
//!   found by structure: a numbered heading (“三、收到和处理政府信息公开申请情况”) at the start of
//!   a line, after a sentence or after the values of a table, in the order of the form, followed
//!   by its content. A sentence that names the sections (“本报告共分6个部分：总体情况、主动公开政府
//!   信息情况、……”) has no numbered headings and is left alone, and so is a numbered list inside
//!   a sentence (“一、总体情况；二、……”).

use super::clean::Line;
use crate::labels::comparable_label;
use xxgk_model::SectionKind;

/// The metadata block a crawler wrote before the page text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Crawled {
    /// The page's title (“标题”, “题名”, “名称”).
    pub title: Option<String>,
    /// The publishing body (“发布机构”, “发文机关”, “单位”).
    pub agency: Option<String>,
    /// The publication date (“发布时间”, “发布日期”, “公开日期”), as `YYYY-MM-DD`.
    pub published: Option<String>,
    /// How many lines (from the start) the block takes.
    pub skipped: usize,
}

const TITLE_KEYS: &[&str] = &["标题", "题名", "名称", "文章标题"];
const AGENCY_KEYS: &[&str] = &["发布机构", "发文机关", "发文单位", "单位", "发布单位"];
const DATE_KEYS: &[&str] = &["发布时间", "发布日期", "公开日期", "成文日期", "生成日期"];
const OTHER_KEYS: &[&str] = &[
    "文号",
    "发文字号",
    "索引号",
    "栏目",
    "分类",
    "主题分类",
    "原文链接",
    "链接",
    "网址",
    "url",
    "本地目录",
    "采集时间",
    "抓取时间",
    "来源",
    "信息来源",
    "作者",
    "关键词",
    "时效",
    "有效性",
];

/// The key and value of a line written as `KEY: value` with a known key.
fn field(line: &str) -> Option<(&'static str, String)> {
    let t = line.trim();
    let at = t.find([':', '：'])?;
    let key: String = t[..at].chars().filter(|c| !c.is_whitespace()).collect();
    let key = key.to_lowercase();
    let known = TITLE_KEYS
        .iter()
        .chain(AGENCY_KEYS)
        .chain(DATE_KEYS)
        .chain(OTHER_KEYS)
        .find(|k| **k == key)?;
    let sep = t[at..].chars().next().map_or(1, char::len_utf8);
    Some((known, t[at + sep..].trim().to_string()))
}

/// A rule line a crawler puts between its metadata and the text (`==== 正文 ====`, `----`).
fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let marks = t
        .chars()
        .filter(|c| matches!(c, '=' | '-' | '*' | '_' | '#' | '—'))
        .count();
    marks >= 3
        && t.chars()
            .all(|c| matches!(c, '=' | '-' | '*' | '_' | '#' | '—') || "正文内容content".contains(c))
}

/// The crawler's metadata block at the start of the lines, if there is one: at least two known
/// `KEY: value` lines, possibly with short notes between them, ended by the last field or rule.
pub(super) fn crawler_fields(lines: &[Line]) -> Crawled {
    let mut out = Crawled::default();
    let mut fields = 0usize;
    let mut end = 0usize;
    for (i, line) in lines.iter().enumerate() {
        let t = line.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some((key, value)) = field(t) {
            fields += 1;
            end = i + 1;
            if value.is_empty() {
                continue;
            }
            if TITLE_KEYS.contains(&key) && out.title.is_none() {
                out.title = Some(value);
            } else if AGENCY_KEYS.contains(&key) && out.agency.is_none() {
                out.agency = Some(value);
            } else if DATE_KEYS.contains(&key) && out.published.is_none() {
                let day = value.split_whitespace().next().unwrap_or_default();
                out.published = super::meta::parse_date(day);
            }
            continue;
        }
        if is_rule(t) {
            if fields >= 2 {
                end = i + 1;
            }
            break;
        }
        // A short note inside the block (“页面链接与图片详见 links.tsv”).
        let note = fields >= 2 && t.chars().count() <= 40 && !t.contains('。');
        if !note {
            break;
        }
    }
    if fields < 2 {
        return Crawled::default();
    }
    out.skipped = end;
    out
}

/// Words of page chrome that come before a report's text.
const CHROME_WORDS: &[&str] = &[
    "微信",
    "微博",
    "QQ空间",
    "QQ",
    "全真版",
    "文字版",
    "文件下载",
    "相关链接",
    "-->",
    "打印",
    "【打印】",
    "关闭",
    "【关闭】",
    "分享",
    "分享到",
    "收藏",
    "字号",
    "大",
    "中",
    "小",
    "【大",
    "中",
    "小】",
    "扫一扫",
    "视力保护色",
    "默认",
    "|",
];
const CHROME_KEYS: &[&str] = &[
    "来源",
    "信息来源",
    "时间",
    "发布时间",
    "发布日期",
    "作者",
    "浏览次数",
    "点击数",
    "访问量",
    "字号",
    "相关链接",
    "责任编辑",
];

/// Whether a line starts as a breadcrumb trail does.
fn is_breadcrumb(t: &str) -> bool {
    [
        "当前位置",
        "您的位置",
        "您现在的位置",
        "你的位置",
        "所在位置",
        "现在位置",
    ]
    .iter()
    .any(|k| t.starts_with(k))
}

/// The line without the page chrome at its start: a breadcrumb trail up to and including the
/// report's title, then source/time fields and share links. `None` when the line is all chrome.
pub(super) fn strip_chrome(line: &str, title: Option<&str>) -> Option<String> {
    let t = line.trim();
    if !is_breadcrumb(t) {
        return Some(line.to_string());
    }
    let mut rest = match title.and_then(|ti| t.find(ti).map(|at| (at, ti.len()))) {
        Some((at, len)) => &t[at + len..],
        // A trail without the title: the line is the trail, up to its first sentence.
        None => match t.find('。') {
            Some(_) => {
                let first_space = t.find(char::is_whitespace).unwrap_or(t.len());
                &t[first_space..]
            }
            None => "",
        },
    };
    loop {
        let r = rest.trim_start();
        let word_end = r.find(char::is_whitespace).unwrap_or(r.len());
        let word = &r[..word_end];
        if word.is_empty() {
            return None;
        }
        let key = word.split([':', '：']).next().unwrap_or_default();
        let keyed = word.contains([':', '：']) && CHROME_KEYS.contains(&key);
        let clock = word.len() <= 8 && word.contains(':') && word.chars().all(|c| c.is_ascii_digit() || c == ':');
        let bare = CHROME_WORDS.contains(&word.trim_end_matches([':', '：']));
        if keyed || clock || bare {
            rest = &r[word_end..];
            continue;
        }
        return Some(r.to_string());
    }
}

/// The words of each section's heading (canonical and published variants), without numbering,
/// longest first.
fn heading_words() -> Vec<(SectionKind, Vec<char>)> {
    let mut out = Vec::new();
    for kind in SectionKind::ALL {
        let canonical = kind.heading().zh;
        let words = canonical.split_once('、').map_or(canonical, |(_, w)| w);
        out.push((kind, fold(words)));
        for v in kind.heading_variants() {
            out.push((kind, fold(v)));
        }
    }
    out.sort_by_key(|(_, w)| std::cmp::Reverse(w.len()));
    out.dedup();
    out
}

/// Characters compared by their label form (full-width folded), without whitespace.
fn fold(s: &str) -> Vec<char> {
    comparable_label(s).chars().collect()
}

const NUMERALS: &str = "一二三四五六七八九十";

/// Where numbered section headings start and end inside `text`, in the order of the form after
/// `last` (the kind of the last heading found before this text).
fn heading_spans(
    text: &str,
    last: &mut Option<SectionKind>,
    words: &[(SectionKind, Vec<char>)],
) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !NUMERALS.contains(c) {
            i += 1;
            continue;
        }
        // The numbering: Chinese numerals, then 、 or a full stop.
        let mut j = i;
        while j < chars.len() && NUMERALS.contains(chars[j].1) {
            j += 1;
        }
        let numbered = j < chars.len() && matches!(chars[j].1, '、' | '．' | '.');
        let prev = i.checked_sub(1).map(|k| chars[k].1);
        let after_break = prev.is_none_or(|p| {
            p.is_whitespace()
                || "。！？；:：;!?）)”\"元%".contains(p)
                || p.is_ascii_digit()
                || ('０'..='９').contains(&p)
        });
        if !numbered || !after_break {
            i = j.max(i + 1);
            continue;
        }
        // The words, compared in label form, skipping whitespace in the text.
        let rest = &chars[j + 1..];
        let later = |kind: &SectionKind| last.is_none_or(|l| *kind > l);
        let mut found = words
            .iter()
            .filter(|(k, _)| later(k))
            .find_map(|(kind, w)| prefix_len(rest, w).map(|len| (*kind, len)));
        if found.is_none() {
            // A one-character slip in a long heading (“政府信息公开行政法复议、行政诉讼情况”), when
            // only one section's heading is that close.
            let near: Vec<(SectionKind, usize)> = words
                .iter()
                .filter(|(k, w)| later(k) && w.len() >= 10)
                .filter_map(|(kind, w)| fuzzy_prefix_len(rest, w).map(|len| (*kind, len)))
                .collect();
            if near.iter().all(|n| n.0 == near[0].0) {
                found = near.first().copied();
            }
        }
        let Some((kind, len)) = found else {
            i = j + 1;
            continue;
        };
        let end_idx = j + 1 + len;
        // A heading is followed by its content, not by the next item of a list.
        let next = chars[end_idx..].iter().map(|x| x.1).find(|c| !c.is_whitespace());
        if next.is_some_and(|n| "；;、，,".contains(n)) {
            i = end_idx;
            continue;
        }
        // Nor by the next section's heading straight away (“一、总体情况 二、主动公开政府信息情况 …”
        // listed in a sentence): a section has content.
        let after: Vec<usize> = (end_idx..chars.len())
            .filter(|&k| !chars[k].1.is_whitespace())
            .take(2)
            .collect();
        let listed = match after.as_slice() {
            [n, dot] => {
                NUMERALS.contains(chars[*n].1)
                    && matches!(chars[*dot].1, '、' | '．' | '.')
                    && words
                        .iter()
                        .any(|(w_kind, w)| *w_kind > kind && prefix_len(&chars[dot + 1..], w).is_some())
            }
            _ => false,
        };
        if listed {
            i = end_idx;
            continue;
        }
        let end = chars.get(end_idx).map_or(text.len(), |x| x.0);
        spans.push((at, end));
        *last = Some(kind);
        i = end_idx;
    }
    spans
}

/// How many characters of `rest` spell `word` (label form, whitespace in `rest` skipped).
fn prefix_len(rest: &[(usize, char)], word: &[char]) -> Option<usize> {
    let mut k = 0;
    let mut used = 0;
    for &(_, c) in rest {
        if k == word.len() {
            break;
        }
        used += 1;
        if c.is_whitespace() {
            continue;
        }
        let f = comparable_label(c.encode_utf8(&mut [0; 4]));
        for fc in f.chars() {
            if word.get(k) != Some(&fc) {
                return None;
            }
            k += 1;
        }
    }
    (k == word.len()).then_some(used)
}

/// How many characters of `rest` spell `word` with at most one character added, dropped or
/// changed (label form, whitespace in `rest` skipped).
fn fuzzy_prefix_len(rest: &[(usize, char)], word: &[char]) -> Option<usize> {
    // One slip leaves the first or the second character in place (or swaps them in): a text
    // that shares neither with the word is no candidate. Checked on the first two characters
    // alone, so that a page of many numbered items is not folded item by item in full.
    let mut head = rest
        .iter()
        .map(|&(_, c)| c)
        .filter(|c| !c.is_whitespace())
        .take(2)
        .flat_map(|c| comparable_label(c.encode_utf8(&mut [0; 4])).chars().collect::<Vec<_>>());
    let (a, b) = (head.next(), head.next());
    let (w0, w1) = (word.first().copied(), word.get(1).copied());
    let close = [a, b].iter().any(|x| x.is_some() && (*x == w0 || *x == w1));
    if !close {
        return None;
    }
    let mut folded: Vec<(char, usize)> = Vec::new(); // (char, characters of `rest` used so far)
    for (used, &(_, c)) in rest.iter().enumerate() {
        if folded.len() > word.len() + 1 {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        for fc in comparable_label(c.encode_utf8(&mut [0; 4])).chars() {
            folded.push((fc, used + 1));
        }
    }
    let texts: Vec<char> = folded.iter().map(|x| x.0).collect();
    for len in [word.len(), word.len() + 1, word.len() - 1] {
        if len == 0 || len > texts.len() {
            continue;
        }
        if within_one(&texts[..len], word) {
            return Some(folded[len - 1].1);
        }
    }
    None
}

/// Whether two strings differ by at most one character added, dropped or changed.
pub(super) fn within_one(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let common = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if long.len() == short.len() {
        short[common + 1.min(short.len() - common)..] == long[common + 1.min(long.len() - common)..]
    } else {
        short[common..] == long[common + 1..]
    }
}

/// Puts each numbered section heading found inside a line on a line of its own (same line
/// number), and cuts a title written on the same line as the text after it.
pub(super) fn split_run_on(lines: Vec<Line>) -> Vec<Line> {
    let words = heading_words();
    let mut last = None;
    let mut out = Vec::with_capacity(lines.len());
    let mut first = true;
    for line in lines {
        let mut pieces: Vec<String> = Vec::new();
        let text = if first && !line.text.trim().is_empty() {
            first = false;
            let (title, rest) = title_then_text(&line.text);
            if let Some(t) = title {
                pieces.push(t.to_string());
            }
            rest.to_string()
        } else {
            line.text.clone()
        };
        let spans = heading_spans(&text, &mut last, &words);
        if spans.is_empty() && pieces.is_empty() {
            out.push(line);
            continue;
        }
        let mut from = 0;
        for (s, e) in spans {
            pieces.push(text[from..s].to_string());
            pieces.push(text[s..e].to_string());
            from = e;
        }
        pieces.push(text[from..].to_string());
        out.extend(
            pieces
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| Line { no: line.no, text: p }),
        );
    }
    out
}

/// A title at the start of a line followed by the text (“…2019年政府信息公开工作年度报告 根据《条例》…”).
fn title_then_text(line: &str) -> (Option<&str>, &str) {
    let t = line.trim_start();
    if let Some(at) = t.find("报告")
        && t[..at].chars().count() <= 60
        && t[..at].contains('年')
    {
        let end = at + "报告".len();
        let after = &t[end..];
        if after.starts_with(char::is_whitespace) && after.trim().chars().count() > 20 {
            return (Some(&t[..end]), after);
        }
    }
    (None, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Line> {
        s.split('\n')
            .enumerate()
            .map(|(i, t)| Line {
                no: i as u64 + 1,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn crawler_metadata_is_read_and_skipped() {
        let l = lines(
            "标题: 平潭综合实验区2023年度政府信息公开工作年度报告\n发布时间: 2024-03-08 15:34\n文号: \n发布机构: 平潭综合实验区管委会办公室\n页面链接与图片详见 links.tsv(同目录)\n==================== 正文 ====================\n本报告根据……",
        );
        let c = crawler_fields(&l);
        assert_eq!(
            c.title.as_deref(),
            Some("平潭综合实验区2023年度政府信息公开工作年度报告")
        );
        assert_eq!(c.agency.as_deref(), Some("平潭综合实验区管委会办公室"));
        assert_eq!(c.published.as_deref(), Some("2024-03-08"));
        assert_eq!(c.skipped, 6);
        // One line that looks like a field is no metadata block.
        assert_eq!(crawler_fields(&lines("来源：区政府\n一、总体情况")), Crawled::default());
    }

    #[test]
    fn chrome_before_the_text_is_dropped() {
        let line = "当前位置： 首页政务公开政府信息公开年报 平潭综合实验区2021年度政府信息公开工作年度报告 来源：平潭县人民政府 时间：2022-02-08 16:34 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> 根据《条例》，我区编制完成了本报告。";
        assert_eq!(
            strip_chrome(line, Some("平潭综合实验区2021年度政府信息公开工作年度报告")).as_deref(),
            Some("根据《条例》，我区编制完成了本报告。")
        );
        assert_eq!(strip_chrome("当前位置：首页 > 政务公开 > 年报", None), None);
        assert_eq!(strip_chrome("根据《条例》", None).as_deref(), Some("根据《条例》"));
    }

    #[test]
    fn headings_inside_a_line_are_found_by_structure() {
        let text = "本报告共分6个部分：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况。一、总体情况 2024年，我区开展工作。二、主动公开政府信息情况第二十条第（一）项规章000三、收到和处理政府信息公开申请情况（本列数据……）总计0000000四、政府信息公开行政复议、行政诉讼情况行政复议……总计000000000000000五、存在的主要问题及改进情况存在问题。六、其他需要报告的事项无。";
        let out = split_run_on(lines(text));
        let texts: Vec<&str> = out.iter().map(|l| l.text.trim()).collect();
        for h in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ] {
            assert!(texts.contains(&h), "{h}: {texts:#?}");
        }
        // The sentence naming the parts stays one line, before the first heading.
        assert!(texts[0].starts_with("本报告共分6个部分"), "{texts:#?}");
        // A numbered list inside a sentence is no heading, and “三、本年度办理结果” is a row.
        let listed = split_run_on(lines(
            "本报告包括：一、总体情况；二、主动公开政府信息情况；三、本年度办理结果",
        ));
        assert_eq!(listed.len(), 1);
    }

    #[test]
    fn a_heading_with_a_slip_is_found_when_unambiguous() {
        let out = split_run_on(lines(
            "三、收到和处理政府信息公开申请情况总计0000000 四、政府信息公开行政法复议、行政诉讼情况行政复议0 1 1 0 2",
        ));
        assert!(
            out.iter().any(|l| l.text == "四、政府信息公开行政法复议、行政诉讼情况"),
            "{out:#?}"
        );
        let w = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(within_one(&w("行政法复议"), &w("行政复议")));
        assert!(within_one(&w("行政止公开"), &w("行政禁公开")));
        assert!(!within_one(&w("行政止公开"), &w("行政法规禁止公开")));
    }

    #[test]
    fn a_title_on_the_line_of_the_text_is_cut() {
        let out = split_run_on(lines(
            "平潭综合实验区2019年政府信息公开工作年度报告 根据《中华人民共和国政府信息公开条例》要求，区管委会办公室编制完成了本报告。",
        ));
        assert_eq!(out[0].text, "平潭综合实验区2019年政府信息公开工作年度报告");
        assert!(out[1].text.trim().starts_with("根据"));
    }
}
