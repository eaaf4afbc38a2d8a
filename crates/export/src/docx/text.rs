//! Text: XML escaping, paragraphs and runs in the official styles.

use super::*;

/// Text made safe for XML content and attribute values: markup characters escaped, and the
/// control characters that XML 1.0 forbids dropped (one of them would make Word refuse the file).
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Runs for a text: line breaks inside it become `w:br`, tabs `w:tab`.
pub(super) fn runs(xml: &mut String, text: &str) {
    sized_runs(xml, text, None);
}

/// Runs in a font size of their own (half-points) when `size` is given.
pub(super) fn sized_runs(xml: &mut String, text: &str, size: Option<u32>) {
    let rpr = size.map(|s| format!("<w:rPr><w:sz w:val=\"{s}\"/><w:szCs w:val=\"{s}\"/></w:rPr>"));
    for (i, line) in text.split('\n').enumerate() {
        xml.push_str("<w:r>");
        if let Some(rpr) = &rpr {
            xml.push_str(rpr);
        }
        if i > 0 {
            xml.push_str("<w:br/>");
        }
        for (j, piece) in line.trim_end_matches('\r').split('\t').enumerate() {
            if j > 0 {
                xml.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(xml, "<w:t xml:space=\"preserve\">{}</w:t>", esc(piece));
            }
        }
        xml.push_str("</w:r>");
    }
}

/// A paragraph of a style, with its text.
pub(super) fn paragraph(xml: &mut String, style: &str, text: &str) {
    let _ = write!(xml, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    if !text.is_empty() {
        runs(xml, text);
    }
    xml.push_str("</w:p>");
}

/// The title as printed. A title too long for one line is broken after the agency's name, as
/// published reports do (GB/T 9704: a title is broken where the words stay whole), rather than
/// wherever the line happens to end.
pub(super) fn title_lines(report: &Report) -> String {
    let title = title(report);
    let agency = report.meta.agency.trim();
    let fits = |s: &str| em_width(s) * f64::from(TITLE_SZ * 10) <= f64::from(TEXT_W);
    match title.strip_prefix(agency) {
        Some(rest) if !agency.is_empty() && !rest.is_empty() && !fits(&title) && fits(agency) && fits(rest) => {
            format!("{agency}\n{rest}")
        }
        _ => title,
    }
}

/// Width of a text in ems: Chinese characters and full-width forms take one, the rest half.
pub(super) fn em_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}
