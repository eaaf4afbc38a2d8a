//! Page and type: A4 margins, the official fonts and sizes, table widths.

use super::*;

//
// Lengths are in twentieths of a point (twips, 1 mm = 56.7 twips); font sizes in half-points.

/// A4 width and height.
pub(super) const PAGE_W: u32 = 11906;
pub(super) const PAGE_H: u32 = 16838;
/// GB/T 9704 margins: 37 mm top, 35 mm bottom, 28 mm left (binding side), 26 mm right.
pub(super) const MARGIN_TOP: u32 = 2098;
pub(super) const MARGIN_BOTTOM: u32 = 1984;
pub(super) const MARGIN_LEFT: u32 = 1587;
pub(super) const MARGIN_RIGHT: u32 = 1474;
/// Distance of the header and footer from the page edge.
pub(super) const HEADER_DIST: u32 = 851;
pub(super) const FOOTER_DIST: u32 = 1134;
/// The width of the type area (156 mm): every table is exactly this wide.
pub(super) const TEXT_W: u32 = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT;
/// Body text: 三号 (16 pt) on a fixed 28 pt line, first line indented by two characters.
pub(super) const BODY_SZ: u32 = 32;
pub(super) const BODY_LINE: u32 = 560;
pub(super) const BODY_INDENT: u32 = 2 * BODY_SZ * 10;
/// Title: 二号 (22 pt) on a fixed 35 pt line.
pub(super) const TITLE_SZ: u32 = 44;
pub(super) const TITLE_LINE: u32 = 700;
/// Table text: 10 pt, as in the official form.
pub(super) const TABLE_SZ: u32 = 20;
/// Minimum row height of the tables (6 mm, as in the official form).
pub(super) const ROW_H: u32 = 340;
/// Left and right cell padding (1 mm).
pub(super) const CELL_PAD: u32 = 57;
/// Page numbers: 四号 (14 pt).
pub(super) const FOOTER_SZ: u32 = 28;
/// The fill of the block captions of table 2, as in the official form.
pub(super) const CAPTION_FILL: &str = "C6D9F1";

/// Latin text and digits.
pub(super) const LATIN_FONT: &str = "Times New Roman";
/// The fonts of the document and the name each falls back to where it is missing.
pub(super) const TITLE_FONT: Font = Font {
    name: "方正小标宋简体",
    alt: "宋体",
    panose: "02010601030101010101",
};
pub(super) const HEADING_FONT: Font = Font {
    name: "黑体",
    alt: "SimHei",
    panose: "02010609060101010101",
};
pub(super) const BODY_FONT: Font = Font {
    name: "仿宋_GB2312",
    alt: "仿宋",
    panose: "02010609030101010101",
};
pub(super) const TABLE_FONT: Font = Font {
    name: "宋体",
    alt: "SimSun",
    panose: "02010600030101010101",
};
pub(super) const FONTS: [Font; 4] = [TITLE_FONT, HEADING_FONT, BODY_FONT, TABLE_FONT];

/// A Chinese font as named in the document, with the font a missing one is replaced by.
#[derive(Clone, Copy)]
pub(super) struct Font {
    pub(super) name: &'static str,
    pub(super) alt: &'static str,
    pub(super) panose: &'static str,
}

/// The relative widths of the grid columns of each table, taken from the official form's
/// `w:tblGrid`. A layout whose width differs (a future format) gets equal columns.
pub(super) fn column_weights(layout: &TableLayout) -> Vec<u32> {
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
pub(super) fn column_widths(layout: &TableLayout) -> Vec<u32> {
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
