//! Cleaning portal text into numbered lines: traditional characters converted, page numbers and
//! page footers taken out (they sit in the middle of tables in PDF-to-text output).

/// One line of the source, numbered as in the file (1-based), so that every value read from it
/// can be traced back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// Line number in the file.
    pub no: u64,
    /// The text, without the line break.
    pub text: String,
}

/// What cleaning did, for the import findings.
#[derive(Debug, Clone, Default)]
pub(super) struct Cleaning {
    /// Whether the text was in traditional characters and was converted.
    pub converted_traditional: bool,
    /// Line numbers of page numbers and footers that were dropped.
    pub dropped: Vec<u64>,
}

/// Splits text into lines, converts traditional characters when the text is written in them,
/// and drops page-number lines.
pub(super) fn clean(text: &str) -> (Vec<Line>, Cleaning) {
    let mut cleaning = Cleaning::default();
    let text = if is_traditional(text) {
        cleaning.converted_traditional = true;
        fast2s::convert(text)
    } else {
        text.to_string()
    };
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let no = i as u64 + 1;
        let t = raw.strip_suffix('\r').unwrap_or(raw);
        if is_page_marker(t) {
            cleaning.dropped.push(no);
            continue;
        }
        lines.push(Line {
            no,
            text: strip_markdown(&t.replace('\u{a0}', " ")),
        });
    }
    (lines, cleaning)
}

/// A Markdown line without its block markers (`## `, `> `) and emphasis (`**`, `__`), which
/// conversions of PDFs to Markdown put around headings and captions; table pipes are kept.
fn strip_markdown(line: &str) -> String {
    let trimmed = line.trim_start();
    let mut rest = trimmed;
    let hashes = rest.chars().take_while(|c| *c == '#').count();
    if hashes > 0 && hashes <= 6 && rest[hashes..].starts_with([' ', '\t']) {
        rest = rest[hashes..].trim_start();
    }
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start();
    }
    if rest.len() == trimmed.len() && !line.contains("**") && !line.contains("__") && !line.contains('\\') {
        return line.to_string();
    }
    let rest = if rest.len() == trimmed.len() { line } else { rest };
    unescape_markdown(&rest.replace("**", "").replace("__", ""))
}

/// `\<` → `<`: Markdown escapes of ASCII punctuation (a backslash before anything else stays).
fn unescape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether the text is written in traditional characters: converting it to simplified changes a
/// noticeable share of its Chinese characters. Simplified text is left alone, because the
/// conversion is not the identity on it (a few characters such as 乾 and 著 are valid in both).
fn is_traditional(text: &str) -> bool {
    let converted = fast2s::convert(text);
    let mut cjk = 0usize;
    let mut changed = 0usize;
    for (a, b) in text.chars().zip(converted.chars()) {
        if is_cjk(a) {
            cjk += 1;
            if a != b {
                changed += 1;
            }
        }
    }
    changed >= 8 && changed * 50 >= cjk
}

/// A CJK unified ideograph.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '—' | '–' | '－' | '─' | '―' | '_' | '﹣')
}

/// `- 4 -`, `— 4 —`, `第4页`, `第 4 页 共 9 页`, `共9页第4页`, `4/9`, `Page 4 of 9`.
pub(super) fn is_page_marker(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return false;
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    // - 4 -
    let inner = t.trim_matches(is_dash);
    if inner.len() < t.len() && t.starts_with(is_dash) && t.ends_with(is_dash) && digits(inner) {
        return true;
    }
    // 第4页 / 第4页共9页 / 共9页第4页
    let mut rest = t.as_str();
    let mut pages = 0;
    while !rest.is_empty() {
        let Some(r) = rest.strip_prefix('第').or_else(|| rest.strip_prefix('共')) else {
            break;
        };
        let end = r.find('页').unwrap_or(r.len());
        if end == r.len() || !digits(&r[..end]) {
            return false;
        }
        rest = r[end + '页'.len_utf8()..].trim_start_matches([',', '，', '/', '、']);
        pages += 1;
    }
    if pages > 0 && rest.is_empty() {
        return true;
    }
    // 4/9
    if let Some((a, b)) = t.split_once('/')
        && digits(a)
        && digits(b)
        && a.len() <= 3
        && b.len() <= 3
    {
        return true;
    }
    // Page 4 of 9
    let lower = t.to_ascii_lowercase();
    if let Some(r) = lower.strip_prefix("page") {
        let r = r.replace("of", "");
        return digits(&r);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_markers() {
        for m in [
            "- 4 -",
            "— 4 —",
            "-12-",
            "第 4 页",
            "第4页 共9页",
            "共9页，第4页",
            "4/9",
            "Page 4 of 9",
        ] {
            assert!(is_page_marker(m), "{m}");
        }
        for m in [
            "0",
            "-",
            "—",
            "4",
            "第二十条第（一）项",
            "1.属于国家秘密",
            "80 1 0",
            "/",
        ] {
            assert!(!is_page_marker(m), "{m}");
        }
    }

    #[test]
    fn markdown_markers_are_dropped() {
        assert_eq!(strip_markdown("## 一、总体情况"), "一、总体情况");
        assert_eq!(strip_markdown("**第二十条第（一）项**"), "第二十条第（一）项");
        assert_eq!(strip_markdown("> 引用"), "引用");
        assert_eq!(strip_markdown("| 规章 | 0 |"), "| 规章 | 0 |");
        assert_eq!(strip_markdown("#标签"), "#标签");
        assert_eq!(strip_markdown("\t规章"), "\t规章");
        assert_eq!(strip_markdown("关于印发\\<办法\\>的通知"), "关于印发<办法>的通知");
        assert_eq!(strip_markdown("C:\\Users"), "C:\\Users");
    }

    #[test]
    fn traditional_is_converted_and_simplified_left_alone() {
        let (lines, c) = clean("政府資訊公開工作年度報告\n一、總體情況\n本機關依據條例編製本報告。");
        assert!(c.converted_traditional);
        assert_eq!(lines[0].text, "政府资讯公开工作年度报告");
        assert_eq!(lines[1].text, "一、总体情况");
        let (lines, c) = clean("政府信息公开工作年度报告\n- 2 -\n一、总体情况");
        assert!(!c.converted_traditional);
        assert_eq!(c.dropped, vec![2]);
        assert_eq!(lines[1].no, 3);
    }
}
