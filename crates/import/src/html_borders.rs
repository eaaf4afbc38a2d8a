//! HTML-BORDER: a report published as a web page whose statistical tables have no borders. A
//! citizen cannot tell the rows and columns of table 3 apart without lines, so the page gets an
//! information finding (HTML input only; it never fails a report).
//!
//! A table has borders when its `border` attribute is present and not 0 (`border=""` draws one),
//! its `rules` attribute draws lines, or a style gives it or its cells a border line: an inline
//! `style`, or a rule of a `<style>` element whose selector ends in `table`, `td`, `th` or a class
//! or id the table or its cells carry. A border declaration draws a line only with a line style
//! (`solid`, `dashed`, …), as in CSS (“border:1px” alone draws nothing). When the page links a
//! stylesheet (`<link rel="stylesheet">`, `@import`) the reader cannot see it, and says nothing;
//! so it does for a page too large to judge (more than 2,000 border rules, or 5,000,000
//! comparisons of rules with cells).

use scraper::ElementRef;
use xxgk_model::{Finding, Severity, Status, Text};

/// Line styles of CSS that draw a border.
const LINE_STYLES: &[&str] = &[
    "solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset",
];

/// A page with more `<style>` selectors that draw borders than this is not judged.
const MAX_SELECTORS: usize = 2_000;
/// At most this many selector-against-cell comparisons per page; beyond, the page is not judged.
const MAX_MATCHES: usize = 5_000_000;

/// Labels that only the report's tables hold (table 2, table 3, table 4).
const TABLE_LABELS: &[&str] = &["信息内容", "申请人情况", "本年新收", "结果维持", "行政复议"];

/// The finding for the report tables of `content` that have no borders, if any; `root` is the
/// whole page (its `<style>` and `<link>` elements). `is_data_table` picks the tables the reader
/// numbers (表格1, 表格2, …) as it does for the cells it locates.
pub(crate) fn finding(
    root: ElementRef<'_>,
    content: ElementRef<'_>,
    is_data_table: &dyn Fn(ElementRef<'_>) -> bool,
) -> Option<Finding> {
    if links_a_stylesheet(root) {
        return None;
    }
    let css = style_rules(root);
    if css.len() > MAX_SELECTORS {
        return None;
    }
    let mut budget = MAX_MATCHES;
    let mut without = Vec::new();
    let tables = content
        .descendent_elements()
        .filter(|e| e.value().name() == "table" && is_data_table(*e))
        .enumerate();
    for (n, table) in tables {
        if !holds_report_labels(table) {
            continue;
        }
        match has_borders(table, &css, &mut budget) {
            Some(false) => without.push(format!("表格{}", n + 1)),
            Some(true) => {}
            // Too large to tell: say nothing rather than guess.
            None => return None,
        }
    }
    if without.is_empty() {
        return None;
    }
    let list = without.join("、");
    let mut finding = Finding::new(
        "HTML-BORDER",
        Severity::Info,
        Status::Fail,
        Text::new(
            format!(
                "网页中的统计表格（{list}）没有边框（border=\"0\" 或未设置，也没有 CSS 边框），公众难以分辨行列，建议加上表格线"
            ),
            format!(
                "the page's statistical tables ({}) have no borders (border=\"0\" or none, and no CSS border): citizens cannot tell rows and columns apart; add table lines",
                list.replace("表格", "table ")
            ),
        ),
    );
    finding.subject = Some(xxgk_model::finding::Subject::label_only(None, list));
    Some(finding)
}

fn links_a_stylesheet(root: ElementRef<'_>) -> bool {
    root.descendent_elements().any(|e| {
        let v = e.value();
        match v.name() {
            "link" => v
                .attr("rel")
                .is_some_and(|r| r.to_ascii_lowercase().split_whitespace().any(|w| w == "stylesheet")),
            "style" => e.text().any(|t| t.to_ascii_lowercase().contains("@import")),
            _ => false,
        }
    })
}

fn holds_report_labels(table: ElementRef<'_>) -> bool {
    // The labels stand in the first rows: the first 20,000 bytes of text are enough.
    let mut text = String::new();
    for t in table.text() {
        text.extend(t.chars().filter(|c| !c.is_whitespace()));
        if text.len() > 20_000 {
            break;
        }
    }
    TABLE_LABELS.iter().any(|l| text.contains(l))
}

/// A `<style>` rule that draws a border: the last compound of one of its selectors.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selector {
    tag: String,
    classes: Vec<String>,
    id: Option<String>,
}

/// The selectors of the page's `<style>` rules that draw a border line.
fn style_rules(root: ElementRef<'_>) -> Vec<Selector> {
    let mut css = String::new();
    for e in root.descendent_elements().filter(|e| e.value().name() == "style") {
        css.extend(e.text());
        css.push('\n');
    }
    let css = crate::html_shown::strip_comments(&css);
    let mut out = Vec::new();
    for block in css.split('}') {
        let Some((selectors, decls)) = block.split_once('{') else {
            continue;
        };
        // A block inside @media keeps its own selector after the last '{'.
        let (selectors, decls) = match decls.rsplit_once('{') {
            Some((inner_sel, inner_decls)) => (inner_sel, inner_decls),
            None => (selectors, decls),
        };
        if !draws_border(decls) {
            continue;
        }
        for s in selectors.split(',') {
            if let Some(sel) = last_compound(s) {
                out.push(sel);
            }
        }
    }
    out
}

/// `div.report table.data td:first-child` → tag `td`, no class; `.grid td` → `td`.
fn last_compound(selector: &str) -> Option<Selector> {
    let last = selector
        .trim()
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '>' | '+' | '~'))
        .next()?
        .trim();
    if last.is_empty() {
        return None;
    }
    // Pseudo-classes and attribute selectors narrow, never widen: drop them.
    let core = last.split([':', '[']).next().unwrap_or("");
    let mut tag = String::new();
    let mut classes = Vec::new();
    let mut id = None;
    let mut cur = String::new();
    let mut kind = 't';
    for c in core.chars().chain(std::iter::once('.')) {
        if c == '.' || c == '#' {
            match kind {
                't' => tag = std::mem::take(&mut cur).to_ascii_lowercase(),
                '.' => classes.push(std::mem::take(&mut cur)),
                _ => id = Some(std::mem::take(&mut cur)),
            }
            kind = c;
        } else {
            cur.push(c);
        }
    }
    Some(Selector { tag, classes, id })
}

/// Whether declarations draw a border line: a `border`, `border-<side>`, `border-style` or
/// `border-<side>-style` with a line style.
fn draws_border(decls: &str) -> bool {
    decls.split(';').any(|d| {
        let Some((prop, value)) = d.split_once(':') else {
            return false;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value.to_ascii_lowercase();
        let border_prop = matches!(
            prop.as_str(),
            "border"
                | "border-top"
                | "border-right"
                | "border-bottom"
                | "border-left"
                | "border-style"
                | "border-top-style"
                | "border-right-style"
                | "border-bottom-style"
                | "border-left-style"
                | "border-block"
                | "border-inline"
        );
        border_prop
            && value
                .split(|c: char| c.is_whitespace() || c == '!')
                .any(|w| LINE_STYLES.contains(&w))
    })
}

/// Whether a table draws border lines; `None` when it is too large to tell within `budget`
/// (selector-against-cell comparisons left for the page).
fn has_borders(table: ElementRef<'_>, css: &[Selector], budget: &mut usize) -> Option<bool> {
    let v = table.value();
    if let Some(b) = v.attr("border") {
        let digits: String = b.trim().chars().take_while(|c| c.is_ascii_digit()).collect();
        // `border` or `border=""` draws a 1-pixel border; `border="0"` none.
        if b.trim().is_empty() || digits.parse::<u32>().is_ok_and(|n| n > 0) {
            return Some(true);
        }
    }
    if v.attr("rules").is_some_and(|r| {
        matches!(
            r.trim().to_ascii_lowercase().as_str(),
            "all" | "rows" | "cols" | "groups"
        )
    }) {
        return Some(true);
    }
    let cells = table
        .descendent_elements()
        .filter(|e| matches!(e.value().name(), "td" | "th"));
    for e in std::iter::once(table).chain(cells) {
        *budget = budget.checked_sub(css.len() + 1)?;
        if e.value().attr("style").is_some_and(draws_border) || css.iter().any(|s| selects(s, e)) {
            return Some(true);
        }
    }
    Some(false)
}

fn selects(s: &Selector, e: ElementRef<'_>) -> bool {
    let v = e.value();
    let tag_ok = s.tag.is_empty() || s.tag == "*" || s.tag == v.name();
    let classes_ok = s.classes.iter().all(|c| v.classes().any(|k| k == c));
    let id_ok = s.id.as_deref().is_none_or(|id| v.id() == Some(id));
    // A bare `*` or an empty compound would select everything: only tag, class or id rules count.
    let specific = !(s.tag.is_empty() || s.tag == "*") || !s.classes.is_empty() || s.id.is_some();
    specific && tag_ok && classes_ok && id_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    const T3: &str =
        "<tr><td>申请人情况</td><td>自然人</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td></tr>";

    fn page(head: &str, table_attrs: &str, cell_attrs: &str) -> String {
        format!(
            "<html><head>{head}</head><body><div><table {table_attrs}><tr><td {cell_attrs}>申请人情况</td><td>自然人</td></tr><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td></tr></table></div></body></html>"
        )
    }

    fn check(html: &str) -> Option<Finding> {
        let doc = Html::parse_document(html);
        let root = doc.root_element();
        finding(root, root, &|_| true)
    }

    #[test]
    fn tables_without_borders_are_named() {
        for html in [
            page("", "border=\"0\"", ""),
            page("", "", ""),
            page(
                "",
                "border=\"0\" style=\"border-collapse:collapse\"",
                "style=\"border-width:1px\"",
            ),
            page("<style>td{border:1px}</style>", "", ""),
            page("<style>/* td{border:1px solid} */</style>", "", ""),
        ] {
            let f = check(&html).unwrap_or_else(|| panic!("no finding: {html}"));
            assert_eq!(
                (f.rule.as_ref(), f.severity, f.status),
                ("HTML-BORDER", Severity::Info, Status::Fail)
            );
            assert_eq!(f.subject_label().as_deref(), Some("表格1"));
            let words = f.texts();
            assert!(words.zh.contains("没有边框") && words.en.contains("no borders"));
        }
    }

    #[test]
    fn borders_by_attribute_style_or_stylesheet_are_seen() {
        for html in [
            page("", "border=\"1\"", ""),
            page("", "border", ""),
            page("", "rules=\"all\"", ""),
            page("", "border=\"0\"", "style=\"border:solid windowtext 1.0pt\""),
            page("", "style=\"border: 1px solid black\"", ""),
            page("<style>td, th { border: 1px solid #ccc; }</style>", "border=\"0\"", ""),
            page("<style>.grid td{border-style:solid}</style>", "class=\"grid\"", ""),
            page("<style>@media print { table { border: thin dotted } }</style>", "", ""),
            page("<link rel=\"stylesheet\" href=\"site.css\">", "border=\"0\"", ""),
            page("<style>@import url(site.css);</style>", "", ""),
            // Only a selector's last part is compared: in doubt the page is taken as bordered.
            page("<style>table.other td{border:1px solid #000}</style>", "", ""),
        ] {
            assert!(check(&html).is_none(), "{html}");
        }
    }

    #[test]
    fn a_page_too_large_to_judge_is_left_alone() {
        let rules: String = (0..MAX_SELECTORS + 1)
            .map(|i| format!(".c{i} td{{border:1px solid}}"))
            .collect();
        assert!(check(&page(&format!("<style>{rules}</style>"), "", "")).is_none());
        // 1,500 rules against a table of 4,000 cells: over the budget, judged neither way, quickly.
        let rules: String = (0..1_500).map(|i| format!(".c{i} td{{border:1px solid}}")).collect();
        let cells = "<td>0</td>".repeat(4_000);
        let html = format!(
            "<html><head><style>{rules}</style></head><body><table><tr><td>申请人情况</td>{cells}</tr></table></body></html>"
        );
        let start = std::time::Instant::now();
        assert!(check(&html).is_none());
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn only_the_report_tables_count() {
        let html = format!(
            "<html><body><table border=\"0\"><tr><td>发布日期</td><td>2024-01-01</td></tr></table><table border=\"1\">{T3}</table></body></html>"
        );
        assert!(check(&html).is_none());
    }
}
