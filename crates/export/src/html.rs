//! `html`: the whole report as it would be published, as one self-contained page that prints
//! on A4.
//!
//! The three tables are drawn from the model's printed layout (`xxgk_model::layout`) with real
//! `rowspan`/`colspan`, their header rows in `<thead>` so that a browser repeats them on every
//! printed page. The style sheet is inline and names Chinese fonts with fallbacks; nothing is
//! loaded from elsewhere. Every text from the report is escaped, so no report can inject markup.

use crate::render::{Part, content_text, parts, title};
use crate::{ExportError, Exporter, ExporterEntry, Options};
use std::fmt::Write as _;
use std::io::Write;
use xxgk_model::layout::{Content, TableLayout, report_layout};
use xxgk_model::{Label, Lang, Report, TableId};

struct Html;

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

const STYLE: &str = r#"@page { size: A4; margin: 25mm 20mm; }
body { font-family: "FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 14pt; line-height: 1.75; color: #000; background: #fff; max-width: 170mm; margin: 0 auto; padding: 1em; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 20pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0.5em 0 1em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 14pt; font-weight: normal; margin: 1em 0 0.5em; break-after: avoid; page-break-after: avoid; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; font-size: 9pt; line-height: 1.4; }
th, td { border: 1px solid #000; padding: 2pt 3pt; }
th { font-weight: normal; text-align: center; vertical-align: middle; }
th.row { text-align: left; }
th.caption { font-weight: bold; text-align: left; }
table.t2 col.data { width: 20%; }
table.t3 col.data { width: 7.5%; }
td.num { text-align: right; vertical-align: middle; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { max-width: none; padding: 0; font-size: 12pt; } }
"#;

/// Appends one table, drawn from its printed layout.
fn write_table(html: &mut String, layout: &TableLayout, report: &Report, lang: Lang) {
    let _ = writeln!(
        html,
        "<table class=\"{}\">",
        match layout.table {
            TableId::T2 => "t2",
            TableId::T3 => "t3",
            TableId::T4 => "t4",
        }
    );
    // Data columns get a fixed share of the width, so that numbers are not squeezed by long labels.
    html.push_str("<colgroup>");
    for col in 0..layout.width {
        let data = layout
            .cells
            .iter()
            .any(|p| p.col == col && matches!(p.content, Content::Data(_)));
        html.push_str(if data { "<col class=\"data\">" } else { "<col>" });
    }
    html.push_str("</colgroup>\n");
    let mut i = 0;
    for row in 0..layout.height {
        if row == 0 && layout.header_rows > 0 {
            html.push_str("<thead>\n");
        }
        if row == layout.header_rows {
            if row > 0 {
                html.push_str("</thead>\n");
            }
            html.push_str("<tbody>\n");
        }
        html.push_str("<tr>");
        while let Some(p) = layout.cells.get(i).filter(|p| p.row == row) {
            i += 1;
            let (tag, class) = match p.content {
                Content::Caption(_) => ("th", " class=\"caption\""),
                Content::RowHeader(_) => ("th", " class=\"row\" scope=\"row\""),
                Content::ColumnHeader(_) | Content::Note(_) => ("th", " scope=\"col\""),
                Content::Data(_) => ("td", " class=\"num\""),
            };
            let _ = write!(html, "<{tag}{class}");
            if let Content::Data(def) = p.content {
                let _ = write!(html, " data-cell=\"{}\"", escape(&def.id));
            }
            if p.rows > 1 {
                let _ = write!(html, " rowspan=\"{}\"", p.rows);
            }
            if p.cols > 1 {
                let _ = write!(html, " colspan=\"{}\"", p.cols);
            }
            let _ = write!(html, ">{}</{tag}>", escape(&content_text(&p.content, report, lang)));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n</table>\n");
}

/// The page of one report.
pub(crate) fn page(report: &Report, lang: Lang) -> String {
    let title = escape(&title(report));
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"xxgk\">\n<title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    );
    for part in parts(report, lang) {
        match part {
            Part::Heading(h) => {
                let _ = writeln!(html, "<h2>{}</h2>", escape(h));
            }
            Part::Paragraph(p) => {
                let _ = writeln!(html, "<p>{}</p>", escape(p));
            }
            Part::Table(t) => write_table(&mut html, &report_layout(report, t), report, lang),
        }
    }
    html.push_str("</body>\n</html>\n");
    html
}

impl Exporter for Html {
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        match reports {
            [one] => Ok(out.write_all(page(one, opts.lang).as_bytes())?),
            _ => Err(ExportError::OneReportOnly {
                exporter: "html",
                count: reports.len(),
            }),
        }
    }
}

inventory::submit! {
    ExporterEntry {
        name: "html",
        extension: "html",
        description: Label {
            zh: "网页（HTML）：按发布格式排版的完整年报，表格合并单元格与官方格式一致，可直接按 A4 打印",
            en: "Web page (HTML): the whole report as published, tables merged as in the official form, prints on A4",
        },
        many: false,
        exporter: &Html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::{Cell, FormatVersion, Meta, Section, SectionKind};

    #[test]
    fn report_text_cannot_inject_markup() {
        let mut r = Report::new(Meta::new("<script>alert(1)</script>局", 2023, FormatVersion::V2021));
        *r.sections.slot(SectionKind::General) = Some(Section::canonical(
            SectionKind::General,
            "a</p><img src=x onerror=alert(1)>\"'&",
        ));
        r.cells.set("t3.granted.total", Cell::Text { raw: "<b>x</b>".into() });
        let html = page(&r, Lang::Zh);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;局"));
        assert!(html.contains("a&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"));
    }
}
