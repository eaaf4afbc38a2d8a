//! Tables: the three statistical tables laid out as the official form, merges included.

use super::*;

/// The smallest size a value is shrunk to (7 pt); a longer text wraps instead.
pub(super) const MIN_VALUE_SZ: u32 = 14;

/// A smaller size for a value too wide for its cell, so that a number such as a six-digit total
/// in a narrow column of table 3 stays on one line instead of breaking between its digits;
/// `None` when it fits at the table's size.
pub(super) fn fitting_size(text: &str, cell_width: u32) -> Option<u32> {
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
pub(super) fn alignment(content: &Content, table: TableId) -> &'static str {
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
/// row below. No row breaks across pages, and each row stays on the page of the next one
/// (`w:keepNext` on every paragraph of a row is how Word keeps a row with the next), so that a
/// table that fits on a page is printed on one: a page break inside a label spanning rows cuts
/// it mid-word (“（四）无法提” at the foot of one page, “供” atop the next), and LibreOffice,
/// asked to keep only some rows together, has dropped the rest of table 3. A table taller than
/// a page breaks where the page ends, with its header rows repeated.
pub(super) fn table(xml: &mut String, layout: &TableLayout, report: &Report) {
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
        let keep_next = row + 1 < layout.height;
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
