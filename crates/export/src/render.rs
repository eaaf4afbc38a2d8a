//! What the readable exporters (`md`, `html`, `docx`) share: the title, the text of a cell as it was
//! written, the labels of the printed layout, and the parts of a report in published order.

use xxgk_model::layout::Content;
use xxgk_model::{Cell, Lang, Report, SectionKind, TableId};

/// The title as published: `meta.title`, or `{机关名称}{年度}年政府信息公开工作年度报告`.
pub(crate) fn title(report: &Report) -> String {
    report
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| report.meta.standard_title())
}

/// A cell as it was written: the number, or the text found (“22（其中修订16件）”, “/”), or
/// nothing for a blank. Never a 0 that was not there. A note or unit that a report keeps apart
/// from the text (hand-written JSON may) is written back beside the number, so nothing of the
/// source is lost.
pub(crate) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number {
            value,
            raw: None,
            annotation,
            unit,
        } => {
            let mut text = value.to_string();
            // The unit serialises as its Chinese name (元, 万元), written once in the model.
            if let Some(serde_json::Value::String(u)) = unit.and_then(|u| serde_json::to_value(u).ok()) {
                text.push_str(&u);
            }
            if let Some(note) = annotation.as_deref().filter(|n| !n.is_empty()) {
                text.push('（');
                text.push_str(note);
                text.push('）');
            }
            text
        }
        other => other.raw_text(),
    }
}

/// The text a placed layout cell shows, data cells taken from the report.
pub(crate) fn content_text(content: &Content, report: &Report, lang: Lang) -> String {
    match content {
        Content::Caption(l) | Content::ColumnHeader(l) | Content::RowHeader(l) | Content::Note(l) => {
            l.get(lang).to_string()
        }
        Content::Data(def) => cell_text(report.cell(&def.id)),
    }
}

/// One part of the published report, in order.
pub(crate) enum Part<'a> {
    /// A section heading (canonical wording in `lang`).
    Heading(&'static str),
    /// A paragraph of text.
    Paragraph(&'a str),
    /// The table of a section.
    Table(TableId),
}

/// The report in published order: preamble, then for each of the six sections its heading, its
/// text and its table. Headings are written in their canonical form, as the format prescribes.
pub(crate) fn parts(report: &Report, lang: Lang) -> Vec<Part<'_>> {
    let mut out: Vec<Part<'_>> = paragraphs(report.preamble.as_deref().unwrap_or_default())
        .map(Part::Paragraph)
        .collect();
    for kind in SectionKind::ALL {
        out.push(Part::Heading(kind.heading().get(lang)));
        if let Some(s) = report.sections.get(kind) {
            out.extend(paragraphs(&s.text).map(Part::Paragraph));
        }
        if let Some(t) = kind.table() {
            out.push(Part::Table(t));
        }
    }
    out
}

/// The non-empty paragraphs of a text (one per line).
fn paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::{MoneyUnit, Num};

    #[test]
    fn cells_show_what_was_written_and_never_a_zero() {
        assert_eq!(cell_text(&Cell::Blank), "");
        assert_eq!(cell_text(&Cell::Placeholder { raw: "/".into() }), "/");
        assert_eq!(
            cell_text(&Cell::Text {
                raw: "见附件".into()
            }),
            "见附件"
        );
        assert_eq!(cell_text(&Cell::number(12)), "12");
        let kept = Cell::Number {
            value: Num::int(22),
            raw: Some("22（其中修订16件）".into()),
            annotation: Some("其中修订16件".into()),
            unit: None,
        };
        assert_eq!(cell_text(&kept), "22（其中修订16件）");
        let apart = Cell::Number {
            value: "160.5964".parse().unwrap_or(Num::ZERO),
            raw: None,
            annotation: Some("含追加".into()),
            unit: Some(MoneyUnit::WanYuan),
        };
        assert_eq!(cell_text(&apart), "160.5964万元（含追加）");
    }
}
