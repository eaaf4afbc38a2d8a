//! `docx`: the publishable report as a Word document, and the empty official form as Word.
//!
//! Agencies publish the annual report as a Word file. Copying the tables into the official
//! layout by hand is where many arithmetic errors of published reports come from, so this writes
//! the finished document from the checked data: the title, the preamble, the six sections with
//! their canonical headings, and the three tables drawn from the model's printed layout
//! ([`xxgk_model::layout`]) with the merged headers of the official form (`gridSpan`, `vMerge`).
//!
//! The WordprocessingML is written here directly rather than through a document library:
//! docx-rs (the usual choice) cannot mark table header rows to repeat on every page
//! (`w:tblHeader`), numbers its paragraphs from a thread-wide counter so that two exports of the
//! same report differ, and would add second copies of `zip` and `quick-xml` to the build. The
//! handful of parts a report needs are small and fixed; every element below is written in the
//! order the OOXML schema prescribes, because Word refuses files that are out of order where
//! LibreOffice does not. The result is byte-for-byte deterministic (fixed zip timestamps, no
//! generated ids), so a report exported twice gives the same file.
//!
//! Page and type follow the conventions of government documents (GB/T 9704): A4, type area
//! 156 × 225 mm, title in 方正小标宋简体 二号, headings in 黑体 三号, body in 仿宋_GB2312 三号 at
//! a fixed 28 pt line, page numbers “— 1 —” in the footer. The tables use 宋体 10 pt as the
//! official form does. Each Chinese font is listed in the font table with an alternative name
//! and the GB2312 character set, so Word, WPS and LibreOffice substitute a Chinese font on a
//! machine that lacks it instead of showing boxes.

use crate::render::{Part, content_text, parts, title};
use crate::{ExportError, Exporter, ExporterEntry, Options};
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use xxgk_model::layout::{Content, Placed, TableLayout, report_layout};
use xxgk_model::{FormatVersion, Label, Lang, Meta, Report, TableId};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The document of one report, as the bytes of a `.docx` file.
pub fn document(report: &Report) -> Result<Vec<u8>, ExportError> {
    package(report, Mode::Report)
}

/// The empty official form of a format version as a Word document: the headings, the three
/// tables with every cell blank, and an empty paragraph under each text section to write in.
/// `agency` and `year` go into the title when given; otherwise the title says where they go.
pub fn template(version: FormatVersion, agency: Option<&str>, year: Option<u16>) -> Result<Vec<u8>, ExportError> {
    let agency = agency.map(str::trim).filter(|a| !a.is_empty());
    let mut report = Report::new(Meta::new(agency.unwrap_or(AGENCY_BLANK), 0, version));
    report.meta.year = year;
    if year.is_none() {
        report.meta.title = Some(blank_year_title(&report.meta));
    }
    package(&report, Mode::Template)
}

/// Written in the title of the empty form where the agency's name goes.
const AGENCY_BLANK: &str = "（机关名称）";
/// Written in the title of the empty form where the year goes.
const YEAR_BLANK: &str = "（年度）";

/// The standard title with the year left for the user: the model's title with the year
/// replaced, so the wording of the title stays in one place.
fn blank_year_title(meta: &Meta) -> String {
    // The title of a known year, whose digits are then replaced.
    let year = meta.year.unwrap_or(2000);
    let title = Meta {
        year: Some(year),
        ..meta.clone()
    }
    .standard_title();
    let written = format!("{}{year}", meta.agency);
    match title.strip_prefix(&written) {
        Some(rest) => format!("{}{YEAR_BLANK}{rest}", meta.agency),
        None => title,
    }
}

/// Whether the document is a report or the empty form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Report,
    Template,
}

// ───────────────────────────── Page and type ─────────────────────────────
//
// Lengths are in twentieths of a point (twips, 1 mm = 56.7 twips); font sizes in half-points.

/// A4 width and height.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
/// GB/T 9704 margins: 37 mm top, 35 mm bottom, 28 mm left (binding side), 26 mm right.
const MARGIN_TOP: u32 = 2098;
const MARGIN_BOTTOM: u32 = 1984;
const MARGIN_LEFT: u32 = 1587;
const MARGIN_RIGHT: u32 = 1474;
/// Distance of the header and footer from the page edge.
const HEADER_DIST: u32 = 851;
const FOOTER_DIST: u32 = 1134;
/// The width of the type area (156 mm): every table is exactly this wide.
const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// Body text: 三号 (16 pt) on a fixed 28 pt line, first line indented by two characters.
const BODY_SZ: u32 = 32;
const BODY_LINE: u32 = 560;
const BODY_INDENT: u32 = 2 * BODY_SZ * 10;
/// Title: 二号 (22 pt) on a fixed 35 pt line.
const TITLE_SZ: u32 = 44;
const TITLE_LINE: u32 = 700;
/// Table text: 10 pt, as in the official form.
const TABLE_SZ: u32 = 20;
/// Minimum row height of the tables (6 mm, as in the official form).
const ROW_H: u32 = 340;
/// Left and right cell padding (1 mm).
const CELL_PAD: u32 = 57;
/// Page numbers: 四号 (14 pt).
const FOOTER_SZ: u32 = 28;
/// The fill of the block captions of table 2, as in the official form.
const CAPTION_FILL: &str = "C6D9F1";

/// Latin text and digits.
const LATIN_FONT: &str = "Times New Roman";
/// The fonts of the document and the name each falls back to where it is missing.
const TITLE_FONT: Font = Font {
    name: "方正小标宋简体",
    alt: "宋体",
    panose: "02010601030101010101",
};
const HEADING_FONT: Font = Font {
    name: "黑体",
    alt: "SimHei",
    panose: "02010609060101010101",
};
const BODY_FONT: Font = Font {
    name: "仿宋_GB2312",
    alt: "仿宋",
    panose: "02010609030101010101",
};
const TABLE_FONT: Font = Font {
    name: "宋体",
    alt: "SimSun",
    panose: "02010600030101010101",
};
const FONTS: [Font; 4] = [TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT];

/// A Chinese font as named in the document, with the font a missing one is replaced by.
#[derive(Clone, Copy)]
struct Font {
    name: &'static str,
    alt: &'static str,
    panose: &'static str,
}

/// The relative widths of the grid columns of each table, taken from the official form's
/// `w:tblGrid`. A layout whose width differs (a future format) gets equal columns.
fn column_weights(layout: &TableLayout) -> Vec<u32> {
    let n = layout.width as usize;
    let official: &[u32] = match layout.table {
        TableId::T2 => &[1, 1, 1, 1],
        TableId::T3 => &[754, 921, 3271, 685, 685, 685, 685, 685, 685, 685],
        TableId::T4 => &[1; 15],
    };
    if official.len() == n {
        official.to_vec()
    } else {
        vec![1; n]
    }
}

/// Grid column widths that fill the type area exactly. Each column ends at its rounded share of
/// the total, so the rounding is spread over the columns instead of piling up in the last one.
fn column_widths(layout: &TableLayout) -> Vec<u32> {
    let weights = column_weights(layout);
    let total = u64::from(weights.iter().sum::<u32>().max(1));
    let mut widths = Vec::with_capacity(weights.len());
    let (mut sum, mut edge) = (0u64, 0u64);
    for w in &weights {
        sum += u64::from(*w);
        let next = (u64::from(TEXT_W) * sum + total / 2) / total;
        widths.push(u32::try_from(next - edge).unwrap_or(0));
        edge = next;
    }
    widths
}

// ───────────────────────────── Text ─────────────────────────────

/// Text made safe for XML content and attribute values: markup characters escaped, and the
/// control characters that XML 1.0 forbids dropped (one of them would make Word refuse the file).
fn esc(text: &str) -> String {
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
fn runs(xml: &mut String, text: &str) {
    sized_runs(xml, text, None);
}

/// Runs in a font size of their own (half-points) when `size` is given.
fn sized_runs(xml: &mut String, text: &str, size: Option<u32>) {
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
fn paragraph(xml: &mut String, style: &str, text: &str) {
    let _ = write!(xml, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    if !text.is_empty() {
        runs(xml, text);
    }
    xml.push_str("</w:p>");
}

/// The title as printed. A title too long for one line is broken after the agency's name, as
/// published reports do (GB/T 9704: a title is broken where the words stay whole), rather than
/// wherever the line happens to end.
fn title_lines(report: &Report) -> String {
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
fn em_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

// ───────────────────────────── Tables ─────────────────────────────

/// The smallest size a value is shrunk to (7 pt); a longer text wraps instead.
const MIN_VALUE_SZ: u32 = 14;

/// A smaller size for a value too wide for its cell, so that a number such as a six-digit total
/// in a narrow column of table 3 stays on one line instead of breaking between its digits;
/// `None` when it fits at the table's size.
fn fitting_size(text: &str, cell_width: u32) -> Option<u32> {
    let room = f64::from(cell_width.saturating_sub(2 * CELL_PAD));
    let ems = text.lines().map(em_width).fold(0.0, f64::max);
    // One em is the font size: 10 twips per half-point.
    let fits = |size: u32| ems * f64::from(size * 10) <= room;
    if fits(TABLE_SZ) {
        return None;
    }
    Some(
        (MIN_VALUE_SZ..TABLE_SZ)
            .rev()
            .find(|s| fits(*s))
            .unwrap_or(MIN_VALUE_SZ),
    )
}

/// How a placed cell is aligned, following the official form: captions and row labels on the
/// left (table 2 centres its row labels), headers centred, numbers on the right.
fn alignment(content: &Content, table: TableId) -> &'static str {
    match content {
        Content::Caption(_) | Content::Note(_) => "left",
        Content::ColumnHeader(_) => "center",
        Content::RowHeader(_) if table == TableId::T2 => "center",
        Content::RowHeader(_) => "left",
        Content::Data(_) => "right",
    }
}

/// Writes one table from its printed layout.
///
/// A cell spanning columns becomes one `w:tc` with `w:gridSpan`; a cell spanning rows starts a
/// vertical merge in its first row and continues it, as an empty cell of the same span, in each
/// row below. The header rows repeat on every page, no row breaks across pages, and rows that
/// hold no number (captions, headers) stay on the page of the row that follows them.
/// `w:keepNext` on every paragraph of a row is how Word keeps a row with the next one.
fn table(xml: &mut String, layout: &TableLayout, report: &Report) {
    let widths = column_widths(layout);
    let span_width = |col: u32, cols: u32| -> u32 { widths.iter().skip(col as usize).take(cols as usize).sum() };

    // Which placed cell covers each grid position.
    let (w, h) = (layout.width as usize, layout.height as usize);
    let mut grid: Vec<Option<&Placed>> = vec![None; w * h];
    for p in &layout.cells {
        for r in p.row..(p.row + p.rows).min(layout.height) {
            for c in p.col..(p.col + p.cols).min(layout.width) {
                grid[r as usize * w + c as usize] = Some(p);
            }
        }
    }

    let _ = write!(
        xml,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_W}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
         <w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"{CELL_PAD}\" w:type=\"dxa\"/><w:right w:w=\"{CELL_PAD}\" w:type=\"dxa\"/></w:tblCellMar>\
         </w:tblPr><w:tblGrid>",
        b = ["top", "left", "bottom", "right", "insideH", "insideV"]
            .iter()
            .map(|side| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"))
            .collect::<String>()
    );
    for width in &widths {
        let _ = write!(xml, "<w:gridCol w:w=\"{width}\"/>");
    }
    xml.push_str("</w:tblGrid>");

    for row in 0..layout.height {
        let cells = &grid[row as usize * w..(row as usize + 1) * w];
        let has_data = cells.iter().flatten().any(|p| matches!(p.content, Content::Data(_)));
        // Captions and headers stay with what follows, and so do the first two rows below the
        // header, so that a page never ends with a table's header and a single row.
        let first_rows = row >= layout.header_rows && row < layout.header_rows + 2 && row + 1 < layout.height;
        let keep_next = !has_data || (layout.header_rows > 0 && first_rows);
        let _ = write!(xml, "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"{ROW_H}\"/>");
        if row < layout.header_rows {
            xml.push_str("<w:tblHeader/>");
        }
        xml.push_str("</w:trPr>");
        let mut col = 0;
        while col < layout.width {
            let Some(p) = cells[col as usize] else {
                // Not covered by the layout (never for the official tables): an empty cell
                // keeps the row as wide as the grid.
                let _ = write!(
                    xml,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p></w:tc>",
                    span_width(col, 1)
                );
                col += 1;
                continue;
            };
            // A cell that starts left of here belongs to an earlier column of this row; only
            // reachable for a malformed layout, where skipping keeps the XML valid.
            let cols = (p.col + p.cols).min(layout.width) - col;
            let _ = write!(
                xml,
                "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>",
                span_width(col, cols)
            );
            if cols > 1 {
                let _ = write!(xml, "<w:gridSpan w:val=\"{cols}\"/>");
            }
            let first_row = p.row == row;
            if p.rows > 1 {
                xml.push_str(if first_row {
                    "<w:vMerge w:val=\"restart\"/>"
                } else {
                    "<w:vMerge/>"
                });
            }
            if matches!(p.content, Content::Caption(_)) {
                let _ = write!(
                    xml,
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{CAPTION_FILL}\"/>"
                );
            }
            xml.push_str("<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>");
            if keep_next {
                xml.push_str("<w:keepNext/>");
            }
            let _ = write!(xml, "<w:jc w:val=\"{}\"/></w:pPr>", alignment(&p.content, layout.table));
            if first_row {
                // Labels in the official Chinese wording whatever the message language: this is
                // the publishable document.
                let text = content_text(&p.content, report, Lang::Zh);
                if !text.is_empty() {
                    let size = match p.content {
                        Content::Data(_) => fitting_size(&text, span_width(col, cols)),
                        _ => None,
                    };
                    sized_runs(xml, &text, size);
                }
            }
            xml.push_str("</w:p></w:tc>");
            col += cols.max(1);
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
}

// ───────────────────────────── Parts ─────────────────────────────

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// `word/document.xml`: the title, the preamble, then each section with its heading, its text
/// and its table, in the order the format prescribes.
fn document_xml(report: &Report, mode: Mode) -> String {
    let mut xml = format!("{XML_DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>");
    paragraph(&mut xml, "Title", &title_lines(report));
    // Headings in their canonical form, as the format prescribes, whatever the source used.
    let parts = parts(report, Lang::Zh);
    let mut parts = parts.iter().peekable();
    while let Some(part) = parts.next() {
        match part {
            Part::Heading(h) => {
                paragraph(&mut xml, "Heading1", h);
                // The empty form leaves a line to write in under each text section.
                if mode == Mode::Template && matches!(parts.peek(), None | Some(Part::Heading(_))) {
                    paragraph(&mut xml, "Normal", "");
                }
            }
            Part::Paragraph(p) => paragraph(&mut xml, "Normal", p),
            Part::Table(t) => {
                table(&mut xml, &report_layout(report, *t), report);
                // Word needs a paragraph between a table and what follows; it also spaces the
                // table from the next heading.
                paragraph(&mut xml, "AfterTable", "");
            }
        }
    }
    let _ = write!(
        xml,
        "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>\
         <w:pgSz w:w=\"{PAGE_W}\" w:h=\"{PAGE_H}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" \
         w:header=\"{HEADER_DIST}\" w:footer=\"{FOOTER_DIST}\" w:gutter=\"0\"/>\
         <w:pgNumType w:fmt=\"decimal\" w:start=\"1\"/><w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/>\
         </w:sectPr></w:body></w:document>"
    );
    xml
}

/// Run properties naming a Chinese font for East Asian text and Times New Roman for the rest.
fn fonts_rpr(font: Font, size: u32) -> String {
    format!(
        "<w:rFonts w:ascii=\"{LATIN_FONT}\" w:hAnsi=\"{LATIN_FONT}\" w:eastAsia=\"{}\" w:cs=\"{LATIN_FONT}\"/>\
         <w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>",
        font.name
    )
}

/// `word/styles.xml`. The document uses styles rather than direct formatting so that a user who
/// edits it in Word or WPS changes, say, every body paragraph at once; `Heading1` carries the
/// outline level so the six headings appear in the navigation pane.
fn styles_xml() -> String {
    let no_indent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\">\
         <w:docDefaults><w:rPrDefault><w:rPr>{body_fonts}<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{BODY_LINE}\" w:lineRule=\"exact\"/>\
         <w:ind w:firstLineChars=\"200\" w:firstLine=\"{BODY_INDENT}\"/><w:jc w:val=\"both\"/></w:pPr>\
         <w:rPr>{body_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:spacing w:before=\"0\" w:after=\"{BODY_LINE}\" w:line=\"{TITLE_LINE}\" w:lineRule=\"exact\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{title_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:keepNext/><w:outlineLvl w:val=\"0\"/></w:pPr>\
         <w:rPr>{heading_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{table_fonts}</w:rPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"AfterTable\"><w:name w:val=\"After Table\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"280\" w:lineRule=\"exact\"/>{no_indent}</w:pPr></w:style>\
         <w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>\
         <w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>{no_indent}<w:jc w:val=\"center\"/></w:pPr>\
         <w:rPr>{footer_fonts}</w:rPr></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
         <w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
         </w:styles>",
        body_fonts = fonts_rpr(BODY_FONT, BODY_SZ),
        title_fonts = fonts_rpr(TITLE_FONT, TITLE_SZ),
        heading_fonts = fonts_rpr(HEADING_FONT, BODY_SZ),
        table_fonts = fonts_rpr(TABLE_FONT, TABLE_SZ),
        footer_fonts = fonts_rpr(TABLE_FONT, FOOTER_SZ),
    )
}

/// `word/fontTable.xml`: each Chinese font with its alternative name, panose and the GB2312
/// character set, which is what Word and WPS use to pick a substitute for a missing font.
fn font_table_xml() -> String {
    let mut xml = format!("{XML_DECL}<w:fonts xmlns:w=\"{W_NS}\">");
    let _ = write!(
        xml,
        "<w:font w:name=\"{LATIN_FONT}\"><w:panose1 w:val=\"02020603050405020304\"/><w:charset w:val=\"00\"/>\
         <w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font>"
    );
    for f in FONTS {
        let _ = write!(
            xml,
            "<w:font w:name=\"{}\"><w:altName w:val=\"{}\"/><w:panose1 w:val=\"{}\"/><w:charset w:val=\"86\"/>\
             <w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font>",
            f.name, f.alt, f.panose
        );
    }
    xml.push_str("</w:fonts>");
    xml
}

/// `word/footer1.xml`: the page number between two dashes, “— 1 —”.
fn footer_xml() -> String {
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r><w:t xml:space=\"preserve\">— </w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    )
}

fn settings_xml() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{W_NS}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>"
    )
}

/// `docProps/core.xml`: title and author (the agency; none for the empty form). No dates, so
/// the file is deterministic.
fn core_xml(report: &Report) -> String {
    let creator = match report.meta.agency.as_str() {
        AGENCY_BLANK => String::new(),
        agency => format!("<dc:creator>{}</dc:creator>", esc(agency)),
    };
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title>{creator}<dc:language>zh-CN</dc:language></cp:coreProperties>",
        esc(&title(report)),
    )
}

const CONTENT_TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const PACKAGE_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

/// The document's relationships; `rId4` is the footer named in `w:sectPr`.
const DOCUMENT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
</Relationships>";

const APP_XML: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>xxgk</Application></Properties>";

/// Every part of the package, zipped with a fixed timestamp.
fn package(report: &Report, mode: Mode) -> Result<Vec<u8>, ExportError> {
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", format!("{XML_DECL}{CONTENT_TYPES}")),
        ("_rels/.rels", format!("{XML_DECL}{PACKAGE_RELS}")),
        ("docProps/core.xml", core_xml(report)),
        ("docProps/app.xml", format!("{XML_DECL}{APP_XML}")),
        ("word/_rels/document.xml.rels", format!("{XML_DECL}{DOCUMENT_RELS}")),
        ("word/document.xml", document_xml(report, mode)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
    ];
    let footer = footer_xml();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let zip_err = |e: zip::result::ZipError| ExportError::Format {
        format: "DOCX",
        message: e.to_string(),
    };
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts
        .iter()
        .map(|(n, c)| (*n, c.as_str()))
        .chain([("word/footer1.xml", footer.as_str())])
    {
        zip.start_file(name, options).map_err(zip_err)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

struct Docx;

impl Exporter for Docx {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        let [report] = reports else {
            return Err(ExportError::OneReportOnly {
                exporter: "docx",
                count: reports.len(),
            });
        };
        out.write_all(&document(report)?)?;
        Ok(())
    }
}

inventory::submit! {
    ExporterEntry {
        name: "docx",
        extension: "docx",
        description: Label {
            zh: "Word 文档：可发布的年度报告（标题、正文、六部分、三张表格按官方格式合并表头），A4 公文版式",
            en: "Word document: the publishable report (title, text, six sections, the three tables with the official merged headers) on A4",
        },
        many: false,
        exporter: &Docx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::layout::table_layout;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(esc("x\u{1}y\u{FFFF}z\tw"), "xyz\tw");
        let mut xml = String::new();
        runs(&mut xml, "一\n二\t三");
        assert_eq!(
            xml,
            "<w:r><w:t xml:space=\"preserve\">一</w:t></w:r><w:r><w:br/><w:t xml:space=\"preserve\">二</w:t><w:tab/><w:t xml:space=\"preserve\">三</w:t></w:r>"
        );
    }

    #[test]
    fn wide_values_shrink_to_their_cell() {
        // A data column of table 3 is about 620 twips: five digits fit, six do not.
        assert_eq!(fitting_size("12345", 622), None);
        assert_eq!(fitting_size("123456", 622), Some(16));
        assert_eq!(
            fitting_size("22（其中修订16件）", 622),
            Some(MIN_VALUE_SZ),
            "then it wraps"
        );
        assert_eq!(fitting_size("1520", 6634), None);
    }

    #[test]
    fn tables_fill_the_type_area() {
        for v in FormatVersion::ALL {
            for t in TableId::ALL {
                let l = table_layout(v, t);
                let widths = column_widths(&l);
                assert_eq!(widths.len(), l.width as usize);
                assert_eq!(widths.iter().sum::<u32>(), TEXT_W, "{v} {t:?}");
            }
        }
    }

    #[test]
    fn a_long_title_breaks_after_the_agency() {
        let mut r = Report::new(Meta::new("道里区工业信息科技局", 2023, FormatVersion::V2021));
        assert_eq!(title_lines(&r), "道里区工业信息科技局\n2023年政府信息公开工作年度报告");
        r.meta.agency = "某局".into();
        assert_eq!(
            title_lines(&r),
            "某局2023年政府信息公开工作年度报告",
            "fits on one line"
        );
        r.meta.title = Some("关于2023年度政府信息公开工作情况的报告".into());
        assert_eq!(
            title_lines(&r),
            "关于2023年度政府信息公开工作情况的报告",
            "not the agency's title"
        );
    }

    #[test]
    fn the_empty_form_names_what_goes_in_the_title() {
        let mut r = Report::new(Meta::new(AGENCY_BLANK, 0, FormatVersion::V2021));
        r.meta.year = None;
        r.meta.title = Some(blank_year_title(&r.meta));
        assert_eq!(title(&r), "（机关名称）（年度）年政府信息公开工作年度报告");
    }

    #[test]
    fn output_is_deterministic() {
        let a = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("docx");
        let b = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("docx");
        assert_eq!(a, b);
        assert_eq!(&a[..2], b"PK");
    }
}
