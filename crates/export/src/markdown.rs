//! `md`: the whole report as Markdown, readable as plain text and rendered by any GitHub-flavoured
//! Markdown viewer.
//!
//! Pipe tables cannot merge cells, so each table is written as the faithful equivalent derived
//! from the model's printed layout (`xxgk_model::layout`): every data column is headed by its
//! whole header path (`申请人情况 / 法人或其他组织 / 商业企业`), every row by its whole row-label
//! path (`三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密`), and a table-2 block caption
//! (`第二十条第（一）项`) becomes a bold line above the block's own table. Numbers are
//! right-aligned; blanks stay empty and placeholders and annotated numbers are written as found.
//! Report text is escaped, so it can neither inject HTML nor turn into Markdown structure.

use crate::render::{Part, content_text, parts, title};
use crate::{ExportError, Exporter, ExporterEntry, Options};
use std::fmt::Write as _;
use std::io::Write;
use xxgk_model::layout::{Content, Placed, TableLayout, report_layout};
use xxgk_model::{Label, Lang, Report};

struct Markdown;

/// Escapes text inside a line (a table cell, a heading) so that Markdown shows it as it is:
/// inline markup characters get a backslash, line breaks become spaces.
pub(crate) fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

/// Escapes a paragraph: as [`escape_inline`], and a character that would start a block (heading,
/// list, quote, setext underline) at the start of the line gets a backslash too.
pub(crate) fn escape(text: &str) -> String {
    let mut out = escape_inline(text);
    let first = out.chars().next();
    if matches!(first, Some('#' | '+' | '-' | '=')) {
        out.insert(0, '\\');
    } else if let Some(end) = out.find(|c: char| !c.is_ascii_digit()).filter(|&e| e > 0)
        && out[end..].starts_with(['.', ')'])
    {
        out.insert(end, '\\');
    }
    out
}

/// Which kind of grid row: caption, header or data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Caption,
    Header,
    Data,
}

fn covering(layout: &TableLayout, row: u32) -> Vec<Option<&Placed>> {
    (0..layout.width).map(|c| layout.at(row, c)).collect()
}

fn row_kind(layout: &TableLayout, row: u32) -> RowKind {
    let cells = covering(layout, row);
    if cells.iter().flatten().any(|p| matches!(p.content, Content::Data(_))) {
        RowKind::Data
    } else if cells.iter().flatten().any(|p| matches!(p.content, Content::Caption(_))) {
        RowKind::Caption
    } else {
        RowKind::Header
    }
}

/// The distinct labels covering grid column `col` over `rows`, joined as a path.
fn path(layout: &TableLayout, rows: &[u32], cols: &[u32], report: &Report, lang: Lang) -> String {
    let mut seen: Vec<*const Placed> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    for &r in rows {
        for &c in cols {
            if let Some(p) = layout.at(r, c)
                && !seen.contains(&(p as *const Placed))
            {
                seen.push(p as *const Placed);
                let text = content_text(&p.content, report, lang);
                if !text.is_empty() && !parts.contains(&text) {
                    parts.push(text);
                }
            }
        }
    }
    parts.join(" / ")
}

/// Writes one run of header rows and the data rows under it as a pipe table.
fn write_segment(md: &mut String, layout: &TableLayout, headers: &[u32], data: &[u32], report: &Report, lang: Lang) {
    let Some(&first) = data.first() else { return };
    let cells = covering(layout, first);
    let label_cols: Vec<u32> = (0..layout.width)
        .filter(|&c| !matches!(cells[c as usize].map(|p| p.content), Some(Content::Data(_))))
        .collect();
    // One table column per data cell, at the grid column where the cell starts.
    let data_cols: Vec<u32> = (0..layout.width)
        .filter(|&c| cells[c as usize].is_some_and(|p| matches!(p.content, Content::Data(_)) && p.col == c))
        .collect();
    let mut head: Vec<String> = Vec::new();
    let mut align: Vec<&str> = Vec::new();
    if !label_cols.is_empty() {
        head.push(escape_inline(&path(layout, headers, &label_cols, report, lang)));
        align.push(":---");
    }
    for &c in &data_cols {
        head.push(escape_inline(&path(layout, headers, &[c], report, lang)));
        align.push("---:");
    }
    let _ = writeln!(md, "| {} |", head.join(" | "));
    let _ = writeln!(md, "| {} |", align.join(" | "));
    for &r in data {
        let mut row: Vec<String> = Vec::new();
        if !label_cols.is_empty() {
            row.push(escape_inline(&path(layout, &[r], &label_cols, report, lang)));
        }
        for &c in &data_cols {
            let text = layout
                .at(r, c)
                .map(|p| content_text(&p.content, report, lang))
                .unwrap_or_default();
            row.push(escape_inline(&text));
        }
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    md.push('\n');
}

/// Appends one table as one pipe table per run of header rows (table 2: one per block).
fn write_table(md: &mut String, layout: &TableLayout, report: &Report, lang: Lang) {
    let mut headers: Vec<u32> = Vec::new();
    let mut data: Vec<u32> = Vec::new();
    for row in 0..layout.height {
        let kind = row_kind(layout, row);
        if kind != RowKind::Data && !data.is_empty() {
            write_segment(md, layout, &headers, &data, report, lang);
            headers.clear();
            data.clear();
        }
        match kind {
            RowKind::Caption => {
                let caption = path(layout, &[row], &(0..layout.width).collect::<Vec<_>>(), report, lang);
                let _ = writeln!(md, "**{}**\n", escape_inline(&caption));
            }
            RowKind::Header => headers.push(row),
            RowKind::Data => data.push(row),
        }
    }
    write_segment(md, layout, &headers, &data, report, lang);
}

/// The Markdown of one report.
pub(crate) fn document(report: &Report, lang: Lang) -> String {
    let mut md = format!("# {}\n\n", escape_inline(&title(report)));
    for part in parts(report, lang) {
        match part {
            Part::Heading(h) => {
                let _ = writeln!(md, "## {}\n", escape_inline(h));
            }
            Part::Paragraph(p) => {
                let _ = writeln!(md, "{}\n", escape(p));
            }
            Part::Table(t) => write_table(&mut md, &report_layout(report, t), report, lang),
        }
    }
    while md.ends_with("\n\n") {
        md.pop();
    }
    md
}

impl Exporter for Markdown {
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        match reports {
            [one] => Ok(out.write_all(document(one, opts.lang).as_bytes())?),
            _ => Err(ExportError::OneReportOnly {
                exporter: "md",
                count: reports.len(),
            }),
        }
    }
}

inventory::submit! {
    ExporterEntry {
        name: "md",
        extension: "md",
        description: Label {
            zh: "Markdown：按发布格式排列的完整年报，表格为逐列注明表头路径的管道表",
            en: "Markdown: the whole report as published, tables as pipe tables with the full header path per column",
        },
        many: false,
        exporter: &Markdown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_report_text_is_escaped() {
        assert_eq!(escape("<b>x</b> | *y*"), "\\<b\\>x\\</b\\> \\| \\*y\\*");
        assert_eq!(escape("# 标题"), "\\# 标题");
        assert_eq!(escape("1.属于国家秘密"), "1\\.属于国家秘密");
        assert_eq!(escape("2023年"), "2023年");
        assert_eq!(escape("-"), "\\-");
        assert_eq!(escape("a\nb"), "a b");
        assert_eq!(escape_inline("-2"), "-2");
        assert_eq!(escape_inline("2. Proactive"), "2. Proactive");
    }
}
