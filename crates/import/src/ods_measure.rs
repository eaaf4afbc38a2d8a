//! What calamine will allocate for an ods `content.xml`, measured before calamine reads it.
//!
//! calamine reads every sheet of an ods file into dense ranges as soon as the file is opened: a
//! cell with `table:number-columns-repeated` is cloned that many times (its text with it), a row
//! with `table:number-rows-repeated` likewise, and the values and the formulas each get a range
//! over the used extent. A hand scan of the tags missed repeat counts that an XML parser sees
//! (single quotes, a `>` inside an attribute value, a comment that looks like a tag), so this
//! module reads the part with the same XML parser and the same configuration as calamine and
//! follows calamine's reader (`ods.rs`: `parse_content`, `read_table`, `read_row`,
//! `get_datatype`, `get_range`) step by step, counting instead of building. Where calamine would
//! fail, loop for ever (an unclosed table or annotation) or do something this module does not
//! follow, the file is refused as damaged: a file is only passed to calamine when what it costs
//! there has been measured.

use crate::xml_events::Events;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

/// calamine's own caps (ods.rs).
const CALAMINE_MAX_ROWS: u64 = 1_048_576;
const CALAMINE_MAX_COLUMNS: u64 = 16_384;

/// What reading one sheet costs calamine.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetCost {
    /// The sheet's name.
    pub name: String,
    /// `<table:table-row>` elements (each costs a few words, whatever its repeat count).
    pub row_elements: u64,
    /// Cells held before the dense range is built (repeats across a row expanded).
    pub row_cells: u64,
    /// Rows and columns of the dense range (repeats expanded), and their product.
    pub rows: u64,
    /// Columns of the dense range.
    pub cols: u64,
    /// Cells of the dense range.
    pub cells: u64,
    /// Characters of text and formulas held, every repeated copy counted.
    pub chars: u64,
    /// The first cell (row, column; from 0) whose text a spreadsheet shows but calamine reads as
    /// empty: text in a cell without a value type, or CDATA in a text cell.
    pub unread_text: Option<(u64, u64)>,
    /// The first cell (row, column) whose `office:value` is no number (`2,5`), as written: calamine
    /// would refuse the whole workbook without naming it.
    pub bad_number: Option<(u64, u64, String)>,
    /// The number cells shown otherwise than stored (a percentage, a date style, a display
    /// factor, text that cannot be seen; see [`crate::number_format`] and [`crate::looks`]), with
    /// why, as regions of repeated cells; at
    /// most [`MAX_SPANS`] + 1, so that a reader refusing more than that sees there are more.
    pub shown_otherwise: Vec<(crate::grid::Merge, crate::grid::Refusal)>,
    /// The merged regions (cells with `table:number-columns-spanned` or
    /// `table:number-rows-spanned`), at the positions calamine gives their cells; at most
    /// [`MAX_SPANS`] + 1, so that a reader refusing more than that sees there are more.
    pub merges: Vec<crate::grid::Merge>,
}

/// Most merged regions kept per sheet (one more is kept to show the limit was passed).
pub(crate) const MAX_SPANS: usize = 100_000;

/// Why a part could not be measured: calamine would fail on it, or do what is not followed here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unmeasured(pub String);

type Result<T> = std::result::Result<T, Unmeasured>;

fn err(e: impl std::fmt::Display) -> Unmeasured {
    Unmeasured(e.to_string())
}

/// The attributes of a tag as calamine's `RawAttrIter` reads them: key, then `=`, then a value
/// in single or double quotes. A malformed attribute is an error, as it is there. Keys and
/// values are borrowed from the tag: a sheet has thousands of cells, each measured.
fn attrs<'a>(e: &'a BytesStart<'_>) -> impl Iterator<Item = Result<(&'a str, &'a str)>> + 'a {
    let raw = e.attributes_raw();
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        let b = raw.as_bytes();
        while pos < b.len() && b[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= b.len() {
            return None;
        }
        let key_start = pos;
        while pos < b.len() && b[pos] != b'=' {
            pos += 1;
        }
        if pos >= b.len() {
            pos = b.len();
            return Some(Err(err("attribute without a value")));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < b.len() && b[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let Some(&quote) = b.get(pos).filter(|q| **q == b'"' || **q == b'\'') else {
            pos = b.len();
            return Some(Err(err("attribute value without quotes")));
        };
        pos += 1;
        let start = pos;
        while pos < b.len() && b[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        if pos < b.len() {
            pos += 1;
        }
        Some(Ok((key, value)))
    })
}

/// The first attribute named exactly `key` (calamine's `raw_attr`).
fn attr<'a>(e: &'a BytesStart<'_>, key: &str) -> Result<Option<&'a str>> {
    for a in attrs(e) {
        let (k, v) = a?;
        if k == key {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// A repeat count as calamine parses it (a `usize`; anything else fails the file there).
fn count(v: &str, what: &str) -> Result<u64> {
    let v = quick_xml::escape::unescape(v).map_err(err)?;
    v.parse::<u64>()
        .map_err(|_| err(format!("{what} “{v}” is not a count")))
}

fn chars(s: &str) -> u64 {
    s.chars().count() as u64
}

/// Measures every sheet of `content.xml` as calamine will read it; in the tests, held in memory
/// and streamed in pieces of seven bytes alike, which must agree.
#[cfg(test)]
pub(crate) fn measure(content: &[u8]) -> Result<Vec<SheetCost>> {
    use crate::xml_events::{in_memory, streamed};
    let held = measure_with(in_memory(content), crate::number_format::OdsStyles::default());
    let pieces = std::io::BufReader::with_capacity(7, content);
    let streamed = measure_with(streamed(pieces), crate::number_format::OdsStyles::default());
    // What each sheet costs, with the regions (the refusals' rules are shared and long).
    let summary = |measured: &Result<Vec<SheetCost>>| match measured {
        Ok(sheets) => Ok(sheets
            .iter()
            .map(|s| {
                let shown: Vec<_> = s.shown_otherwise.iter().map(|(region, _)| *region).collect();
                let counts = (s.row_elements, s.row_cells, s.rows, s.cols, s.cells, s.chars);
                let found = (&s.name, s.unread_text, &s.bad_number, &s.merges);
                format!("{counts:?} {found:?} {shown:?}")
            })
            .collect::<Vec<_>>()),
        Err(e) => Err(e.clone()),
    };
    assert_eq!(summary(&held), summary(&streamed), "measured in memory and streamed");
    held
}

/// The data styles and cell styles of an ods `styles.xml` (where LibreOffice keeps the number
/// formats a user chose), to be completed by those of `content.xml`.
pub(crate) fn read_styles<'a>(mut reader: impl Events<'a>) -> Result<crate::number_format::OdsStyles> {
    let mut formats = crate::number_format::OdsStyles::default();
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e) if e.name() == QName("office:automatic-styles") || e.name() == QName("office:styles") => {
                styles(&mut reader, &mut formats)?;
            }
            Event::Eof => return Ok(formats),
            _ => {}
        }
    }
}

/// Measures every sheet of `content.xml` as calamine will read it, with the styles of
/// `styles.xml` (`formats`) for the number cells shown otherwise than stored.
pub(crate) fn measure_with<'a>(
    mut reader: impl Events<'a>,
    mut formats: crate::number_format::OdsStyles,
) -> Result<Vec<SheetCost>> {
    let mut sheets = Vec::new();
    let mut judged = false;
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e) if e.name() == QName("table:table") => {
                if !judged {
                    // Every style is known once the tables start.
                    formats.finish();
                    judged = true;
                }
                if let Some(name) = attr(&e, "table:name")? {
                    let name = quick_xml::escape::unescape(name).map_err(err)?.into_owned();
                    sheets.push(table(&mut reader, name, &formats)?);
                }
            }
            Event::Start(e) if e.name() == QName("office:automatic-styles") || e.name() == QName("office:styles") => {
                styles(&mut reader, &mut formats)?;
            }
            Event::Start(e) if e.name() == QName("table:named-expressions") => named_expressions(&mut reader)?,
            Event::Eof => return Ok(sheets),
            _ => {}
        }
    }
}

/// Reads the cell styles and data styles of `office:automatic-styles` (or `office:styles`) into
/// `formats`, to its end tag.
fn styles<'a>(reader: &mut impl Events<'a>, formats: &mut crate::number_format::OdsStyles) -> Result<()> {
    // The data style being read, and whether a `number:text` is open in it; the cell style
    // being read.
    let (mut data, mut in_text) = (None::<String>, false);
    let mut cell_style = None::<String>;
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if let Some(kind) = name.strip_prefix("number:").filter(|k| k.ends_with("-style")) {
                    let style = attr(&e, "style:name")?.unwrap_or("").to_string();
                    formats.data_style(kind, &style);
                    data = Some(style);
                } else if name == "style:style" {
                    cell_style = None;
                    if attr(&e, "style:family")? == Some("table-cell")
                        && let Some(style) = attr(&e, "style:name")?
                    {
                        formats.cell_style(
                            style,
                            attr(&e, "style:data-style-name")?,
                            attr(&e, "style:parent-style-name")?,
                        );
                        if let Some(display) = attr(&e, "style:display-name")? {
                            let display = quick_xml::escape::unescape(display).map_err(err)?;
                            formats.looks.display_name(&display, style);
                        }
                        cell_style = Some(style.to_string());
                    }
                } else if let (Some(c), None) = (cell_style.as_deref(), data.as_deref()) {
                    // What a cell style shows a number in: its colours, and the styles it maps
                    // to by condition.
                    match name {
                        "style:text-properties" => {
                            if let Some(colour) = attr(&e, "fo:color")? {
                                formats.looks.colour(c, colour);
                            }
                        }
                        "style:table-cell-properties" => {
                            if let Some(background) = attr(&e, "fo:background-color")? {
                                formats.looks.background(c, background);
                            }
                        }
                        "style:map" => {
                            if let (Some(condition), Some(to)) =
                                (attr(&e, "style:condition")?, attr(&e, "style:apply-style-name")?)
                            {
                                let condition = quick_xml::escape::unescape(condition).map_err(err)?;
                                formats.looks.map(c, &condition, to);
                            }
                        }
                        _ => {}
                    }
                } else if let Some(d) = data.as_deref() {
                    match name {
                        // Literal text, before or after the number or inside it.
                        "number:text" | "number:embedded-text" => in_text = true,
                        "style:map" => {
                            let to = attr(&e, "style:apply-style-name")?;
                            // Written escaped (`value()&lt;0`).
                            let condition = attr(&e, "style:condition")?
                                .map(|c| quick_xml::escape::unescape(c).map_err(err))
                                .transpose()?;
                            formats.data_child(d, "map", None, to.map(|to| (condition.as_deref(), to)));
                        }
                        _ => {
                            let child = name.strip_prefix("number:").unwrap_or("");
                            formats.data_child(d, child, attr(&e, "number:display-factor")?, None);
                        }
                    }
                }
            }
            Event::Text(t) if in_text => {
                if let Some(d) = data.as_deref() {
                    formats.data_text(d, &quick_xml::escape::unescape(&t).map_err(err)?);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(d) = data.as_deref() {
                    // A character reference in the text: a digit written so is a digit.
                    let c = r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map_or_else(String::new, String::from);
                    formats.data_text(d, &c);
                }
            }
            Event::End(e) if e.name() == QName("number:text") || e.name() == QName("number:embedded-text") => {
                in_text = false;
            }
            Event::End(e) if e.name() == QName("office:automatic-styles") || e.name() == QName("office:styles") => {
                return Ok(());
            }
            Event::End(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if name.starts_with("number:") && name.ends_with("-style") {
                    data = None;
                } else if name == "style:style" {
                    cell_style = None;
                }
            }
            Event::Eof => return Err(err("office:automatic-styles is not closed")),
            _ => {}
        }
    }
}

fn named_expressions<'a>(reader: &mut impl Events<'a>) -> Result<()> {
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e) if e_is(&e, "table:named-range") || e_is(&e, "table:named-expression") => {}
            Event::End(e) if e.name() == QName("table:named-range") || e.name() == QName("table:named-expression") => {}
            Event::End(e) if e.name() == QName("table:named-expressions") => return Ok(()),
            other => return Err(err(format!("unexpected {other:?} in table:named-expressions"))),
        }
    }
}

fn e_is(e: &BytesStart<'_>, name: &str) -> bool {
    e.name() == QName(name)
}

/// One row as calamine holds it before building the range.
#[derive(Default)]
struct Row {
    /// Cells pushed (empty cells only when a non-empty one follows them).
    len: u64,
    /// First and last non-empty cell.
    used: Option<(u64, u64)>,
    /// Characters of text and formulas in the pushed cells.
    chars: u64,
    /// The column of the first cell whose shown text calamine does not read.
    unread_text: Option<u64>,
    /// The column of the first cell whose `office:value` is no number, and the value.
    bad_number: Option<(u64, String)>,
    /// Merged cells: column, columns spanned, rows spanned.
    spans: Vec<(u64, u64, u64)>,
    /// Number cells shown otherwise: column, columns repeated, how.
    shown: Vec<(u64, u64, crate::grid::Refusal)>,
}

/// What a cell holds, as [`cell`] measures it.
struct CellSeen {
    /// `None` when empty (no value, no formula), else the characters its value and formula hold.
    held: Option<u64>,
    /// Whether its end tag was read.
    closed: bool,
    /// Whether it shows text that calamine does not read (see [`SheetCost::unread_text`]).
    unread: bool,
    /// Its `office:value` when that is no number.
    bad_number: Option<String>,
    /// Its number, style and value type, when the workbook has a style that may show a number
    /// otherwise or the value type is a percentage.
    number: Option<(f64, Option<String>, Option<String>)>,
}

fn table<'a>(
    reader: &mut impl Events<'a>,
    name: String,
    formats: &crate::number_format::OdsStyles,
) -> Result<SheetCost> {
    let mut cost = SheetCost {
        name,
        ..SheetCost::default()
    };
    // The columns' default cell styles, as runs (first column, end, style), and the next column.
    let (mut columns, mut next_col) = (Vec::<(u64, u64, String)>::new(), 0u64);
    let mut total_rows = 0u64;
    // The dense range: from the first non-empty row to the last, every repeat expanded.
    let (mut first_used, mut since_first, mut col_min, mut col_max) = (false, 0u64, u64::MAX, 0u64);
    let (mut used_rows, mut used_chars, mut chars_since_used) = (0u64, 0u64, 0u64);
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e) if e.name() == QName("table:table-row") => {
                let repeats = match attr(&e, "table:number-rows-repeated")? {
                    Some(v) => count(v, "table:number-rows-repeated")?,
                    None => 1,
                };
                let repeats = repeats.min(CALAMINE_MAX_ROWS.saturating_sub(total_rows));
                let first_row = total_rows;
                total_rows = total_rows.saturating_add(repeats);
                let row_style = attr(&e, "table:default-cell-style-name")?;
                let defaults = Defaults {
                    row: row_style,
                    columns: &columns,
                };
                let row = row(reader, formats, &defaults)?;
                if repeats > 0 {
                    // One region per cell element, over its repeated columns and rows.
                    let at = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                    for (col, cols, shown) in row.shown.iter() {
                        if cost.shown_otherwise.len() > MAX_SPANS {
                            break;
                        }
                        cost.shown_otherwise.push((
                            crate::grid::Merge {
                                first_row: at(first_row),
                                first_col: at(*col),
                                last_row: at(first_row.saturating_add(repeats - 1)),
                                last_col: at(col.saturating_add((*cols).max(1) - 1)),
                            },
                            shown.clone(),
                        ));
                    }
                }
                if let (None, Some(col)) = (cost.unread_text, row.unread_text) {
                    cost.unread_text = Some((first_row, col));
                }
                if let (None, Some((col, v))) = (&cost.bad_number, &row.bad_number) {
                    cost.bad_number = Some((first_row, *col, v.clone()));
                }
                // Each copy of a repeated row has its own regions.
                for k in 0..repeats {
                    if row.spans.is_empty() || cost.merges.len() > MAX_SPANS {
                        break;
                    }
                    let r = first_row.saturating_add(k);
                    for &(col, cols, rows) in &row.spans {
                        if cost.merges.len() > MAX_SPANS {
                            break;
                        }
                        let at = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
                        cost.merges.push(crate::grid::Merge {
                            first_row: at(r),
                            first_col: at(col),
                            last_row: at(r.saturating_add(rows.max(1) - 1)),
                            last_col: at(col.saturating_add(cols.max(1) - 1)),
                        });
                    }
                }
                cost.row_elements += 1;
                cost.row_cells = cost.row_cells.saturating_add(row.len);
                cost.chars = cost.chars.saturating_add(row.chars);
                if first_used {
                    since_first = since_first.saturating_add(repeats);
                }
                if let Some((lo, hi)) = row.used {
                    if !first_used {
                        first_used = true;
                        since_first = repeats;
                    }
                    used_rows = since_first;
                    col_min = col_min.min(lo);
                    col_max = col_max.max(hi);
                    chars_since_used = chars_since_used.saturating_add(row.chars.saturating_mul(repeats));
                    used_chars = chars_since_used;
                }
            }
            Event::Start(e) if e.name() == QName("table:table-column") => {
                let repeats = match attr(&e, "table:number-columns-repeated")? {
                    Some(v) => count(v, "table:number-columns-repeated")?,
                    None => 1,
                }
                .min(CALAMINE_MAX_COLUMNS);
                if let Some(style) = attr(&e, "table:default-cell-style-name")?
                    && formats.any()
                    && columns.len() <= MAX_SPANS
                {
                    columns.push((next_col, next_col.saturating_add(repeats), style.to_string()));
                }
                next_col = next_col.saturating_add(repeats);
            }
            Event::Start(e) if e.name() == QName("calcext:conditional-format") => {
                let address = attr(&e, "calcext:target-range-address")?.unwrap_or_default();
                let address = quick_xml::escape::unescape(address).map_err(err)?.into_owned();
                let effects = conditional_format(reader, &formats.looks)?;
                let regions = if effects.is_empty() {
                    Vec::new()
                } else {
                    regions_of(&address, &cost.name)
                };
                for (condition, effect) in effects {
                    let rule = std::sync::Arc::new(crate::looks::ConditionalRule {
                        place: crate::looks::RulePlace::Range(address.clone()),
                        condition,
                        effect,
                        is_1904: false,
                    });
                    for region in &regions {
                        if cost.shown_otherwise.len() > MAX_SPANS {
                            break;
                        }
                        let look = crate::looks::Look::Conditional(std::sync::Arc::clone(&rule));
                        cost.shown_otherwise.push((*region, crate::grid::Refusal::Look(look)));
                    }
                }
            }
            Event::End(e) if e.name() == QName("table:table") => break,
            Event::Eof => return Err(err("table:table is not closed")),
            _ => {}
        }
    }
    if first_used {
        cost.rows = used_rows;
        cost.cols = col_max + 1 - col_min;
        cost.cells = cost.rows.saturating_mul(cost.cols);
        cost.chars = cost.chars.saturating_add(used_chars);
    }
    Ok(cost)
}

/// The default cell styles of a row and of the sheet's columns.
struct Defaults<'a> {
    row: Option<&'a str>,
    /// Runs of columns: first, end (exclusive), style.
    columns: &'a [(u64, u64, String)],
}

impl Defaults<'_> {
    /// The default style of a cell in column `col`: the row's, else its column's.
    fn at(&self, col: u64) -> Option<&str> {
        self.row.or_else(|| {
            let i = self.columns.partition_point(|(_, end, _)| *end <= col);
            self.columns
                .get(i)
                .filter(|(first, _, _)| *first <= col)
                .map(|(_, _, s)| s.as_str())
        })
    }
}

fn row<'a>(
    reader: &mut impl Events<'a>,
    formats: &crate::number_format::OdsStyles,
    defaults: &Defaults<'_>,
) -> Result<Row> {
    let mut row = Row::default();
    let mut empty_run = 0u64;
    loop {
        match reader.next().map_err(err)? {
            Event::Start(e)
                if e.name() == QName("table:table-cell") || e.name() == QName("table:covered-table-cell") =>
            {
                // One pass over the attributes for the three counts (the first of each name, as
                // calamine's `raw_attr` takes it): every cell of every sheet is measured.
                let (mut repeated, mut cols_spanned, mut rows_spanned) = (None, None, None);
                for a in attrs(&e) {
                    let (key, v) = a?;
                    let slot = match key {
                        "table:number-columns-repeated" => &mut repeated,
                        "table:number-columns-spanned" => &mut cols_spanned,
                        "table:number-rows-spanned" => &mut rows_spanned,
                        _ => continue,
                    };
                    slot.get_or_insert(v);
                }
                let repeats = match repeated {
                    // calamine parses this one without unescaping.
                    Some(v) => v
                        .parse::<u64>()
                        .map_err(|_| err(format!("table:number-columns-repeated “{v}” is not a count")))?,
                    None => 1,
                };
                let spanned = |v: Option<&str>, key: &str| -> Result<u64> { v.map_or(Ok(1), |v| count(v, key)) };
                let (cols_spanned, rows_spanned) = if e.name() == QName("table:table-cell") {
                    (
                        spanned(cols_spanned, "table:number-columns-spanned")?,
                        spanned(rows_spanned, "table:number-rows-spanned")?,
                    )
                } else {
                    (1, 1)
                };
                if (cols_spanned > 1 || rows_spanned > 1) && row.spans.len() <= MAX_SPANS {
                    // Where calamine puts the cell: after the cells pushed and the empty ones
                    // waiting; a repeated merged cell is read as that many merged cells side by side.
                    let col = row.len.saturating_add(empty_run);
                    for k in 0..repeats.min(MAX_SPANS as u64 + 1) {
                        row.spans.push((
                            col.saturating_add(k.saturating_mul(cols_spanned)),
                            cols_spanned,
                            rows_spanned,
                        ));
                    }
                }
                let seen = cell(reader, &e, formats.any())?;
                let (value, is_closed, unread) = (seen.held, seen.closed, seen.unread);
                if let (Some(v), None) = (seen.bad_number, &row.bad_number) {
                    row.bad_number = Some((row.len.saturating_add(empty_run), v));
                }
                // A covered cell (under a merge) is not shown.
                if unread && row.unread_text.is_none() && e.name() == QName("table:table-cell") {
                    row.unread_text = Some(row.len.saturating_add(empty_run));
                }
                let empty = empty_run.min(CALAMINE_MAX_COLUMNS.saturating_sub(row.len));
                row.len += empty;
                empty_run = 0;
                let repeats = repeats.min(CALAMINE_MAX_COLUMNS.saturating_sub(row.len));
                if let (Some((v, style, value_type)), Some(_)) = (&seen.number, value)
                    && repeats > 0
                    && row.shown.len() <= MAX_SPANS
                {
                    let style = style.as_deref().or_else(|| defaults.at(row.len));
                    if let Some(why) = formats.refusal(style, value_type.as_deref(), *v) {
                        row.shown.push((row.len, repeats, why));
                    }
                }
                match value {
                    None => empty_run = repeats,
                    Some(chars) if repeats > 0 => {
                        let first = row.used.map_or(row.len, |u| u.0);
                        row.used = Some((first, row.len + repeats - 1));
                        row.len += repeats;
                        row.chars = row.chars.saturating_add(chars.saturating_mul(repeats));
                    }
                    Some(_) => {}
                }
                if !is_closed {
                    // The element's own name, without copying it (it is one of these two).
                    let end = if e.name() == QName("table:table-cell") {
                        QName("table:table-cell")
                    } else {
                        QName("table:covered-table-cell")
                    };
                    reader.skip_to_end(end).map_err(err)?;
                }
            }
            Event::End(e) if e.name() == QName("table:table-row") => return Ok(row),
            other => return Err(err(format!("unexpected {other:?} in table:table-row"))),
        }
    }
}

/// A cell as calamine's `get_datatype` reads it: `None` when empty (no value, no formula),
/// else the characters its value and formula hold; whether its end tag was read; and whether it
/// shows text that calamine does not read (see [`SheetCost::unread_text`]); and its
/// `office:value` when that is no number; its number, style and value type when `styled` (the
/// workbook has a style that may show a number otherwise) or its value type is a percentage.
fn cell<'a>(reader: &mut impl Events<'a>, e: &BytesStart<'_>, styled: bool) -> Result<CellSeen> {
    let (mut is_string, mut is_error, mut value_set) = (false, false, false);
    // The value: None while empty, else its characters (a number counts as none).
    let mut value: Option<u64> = None;
    let mut empty_string = false;
    let mut formula = 0u64;
    let mut bad_number = None;
    let (mut number, mut style, mut value_type) = (None::<f64>, None::<&str>, None::<&str>);
    for a in attrs(e) {
        let (key, v) = a?;
        match key {
            "office:value" if !value_set => {
                // calamine parses it as written (not unescaped), and fails the workbook on it.
                match v.parse::<f64>() {
                    Ok(n) => number = Some(n),
                    Err(_) => bad_number = Some(v.to_string()),
                }
                value = Some(0);
                value_set = true;
            }
            "table:style-name" => style = Some(v),
            "office:value-type" => {
                value_type = Some(v);
                if !value_set {
                    is_string = v == "string";
                }
            }
            "office:string-value" | "office:date-value" | "office:time-value" if !value_set => {
                let text = quick_xml::escape::unescape(v).map_err(err)?;
                value = Some(chars(&text));
                empty_string = key == "office:string-value" && text.is_empty();
                value_set = true;
            }
            "office:boolean-value" if !value_set => {
                value = Some(0);
                value_set = true;
            }
            "calcext:value-type" => is_error = v == "error",
            "table:formula" => formula = chars(&quick_xml::escape::unescape(v).map_err(err)?),
            _ => {}
        }
    }
    let number = number
        .filter(|_| styled || value_type == Some("percentage"))
        .map(|n| (n, style.map(str::to_string), value_type.map(str::to_string)));
    if (!value_set && is_string) || (is_error && empty_string) {
        // The text is read from the content: paragraphs, spaces (`text:s`), tabs, line breaks.
        let mut text = 0u64;
        let mut first_paragraph = true;
        let mut unread = false;
        loop {
            match reader.next().map_err(err)? {
                Event::Text(t) => text = text.saturating_add(chars(&t)),
                Event::GeneralRef(_) => text = text.saturating_add(1),
                // calamine reads no CDATA: `<text:p><![CDATA[12]]></text:p>` would be an empty text.
                Event::CData(c) if !c.is_empty() => unread = true,
                Event::End(end)
                    if end.name() == QName("table:table-cell") || end.name() == QName("table:covered-table-cell") =>
                {
                    return Ok(CellSeen {
                        held: Some(text.saturating_add(formula)),
                        closed: true,
                        unread,
                        bad_number,
                        number,
                    });
                }
                Event::Start(s) if s.name() == QName("office:annotation") => loop {
                    match reader.next().map_err(err)? {
                        Event::End(end) if end.name() == QName("office:annotation") => break,
                        Event::Eof => return Err(err("office:annotation is not closed")),
                        _ => {}
                    }
                },
                Event::Start(s) if s.name() == QName("text:p") => {
                    if !first_paragraph {
                        text = text.saturating_add(1);
                    }
                    first_paragraph = false;
                }
                Event::Start(s) if s.name() == QName("text:s") => {
                    let n = match attr(&s, "text:c")? {
                        Some(v) => count(v, "text:c")?,
                        None => 1,
                    };
                    text = text.saturating_add(n);
                }
                Event::Start(s) if s.name() == QName("text:tab") || s.name() == QName("text:line-break") => {
                    text = text.saturating_add(1);
                }
                Event::Eof => return Err(err("table:table-cell is not closed")),
                _ => {}
            }
        }
    }
    let held = match value {
        Some(v) => Some(v.saturating_add(formula)),
        None if formula > 0 => Some(formula),
        None => None,
    };
    if held.is_none() {
        // calamine reads this cell as empty: whatever text it shows is lost there.
        return Ok(CellSeen {
            held: None,
            closed: true,
            unread: shows_text(reader)?,
            bad_number: None,
            number: None,
        });
    }
    Ok(CellSeen {
        held,
        closed: false,
        unread: false,
        bad_number,
        number,
    })
}

/// What the conditional format whose start was just read may do to the numbers of its ranges,
/// read to its end: a data bar or icons drawn without the number (LibreOffice's
/// `calcext:show-value="false"`, on the data bar or icon set, or, as LibreOffice 7.4 writes an
/// icon set's, on its first entry), and each condition (`calcext:condition`) that applies a
/// cell style whose text cannot be seen. LibreOffice writes a cell style's map beside a
/// condition a map can say (read with the cell styles); “duplicate”, “top 10”, text and date
/// conditions are written only here.
fn conditional_format<'a>(
    reader: &mut impl Events<'a>,
    looks: &crate::looks::OdsLooks,
) -> Result<Vec<(crate::looks::Condition, crate::looks::Effect)>> {
    use crate::looks::{Condition, Effect};
    // Table content is never part of a format: calamine reads a row wherever it stands in the
    // table, so a format that would swallow one (left open before the next row or table) is not
    // followed here, and the file is refused, rather than its rows going unmeasured.
    let is_table = |name: QName<'_>| name.as_ref().starts_with("table:");
    // Elements open inside the format: the end tag met with none open ends it.
    let mut depth = 0u32;
    let (mut effects, mut no_value, mut within) = (Vec::new(), None::<&str>, None::<&str>);
    loop {
        let (e, opens) = match reader.next().map_err(err)? {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if is_table(e.name()) => {
                return Err(err("calcext:conditional-format is not closed before the table's end"));
            }
            Event::End(e) => {
                if depth == 0 {
                    if let Some(kind) = no_value {
                        effects.push((Condition::Other(kind.to_string()), Effect::NoValue));
                    }
                    return Ok(effects);
                }
                depth -= 1;
                if e.name() == QName("calcext:data-bar") || e.name() == QName("calcext:icon-set") {
                    within = None;
                }
                continue;
            }
            Event::Eof => return Err(err("calcext:conditional-format is not closed")),
            _ => continue,
        };
        if is_table(e.name()) {
            return Err(err(
                "calcext:conditional-format is not closed before the table's content",
            ));
        }
        depth = depth.saturating_add(u32::from(opens));
        let kind = match e.name().as_ref() {
            "calcext:data-bar" => Some("data-bar"),
            "calcext:icon-set" => Some("icon-set"),
            _ => None,
        };
        if kind.is_some() {
            within = kind;
        }
        let entry = within.is_some() && e.name() == QName("calcext:formatting-entry");
        if (kind.is_some() || entry) && attr(&e, "calcext:show-value")? == Some("false") {
            no_value = no_value.or(within);
        }
        if e.name() == QName("calcext:condition")
            && effects.len() < 64
            && let Some(applied) = attr(&e, "calcext:apply-style-name")?
        {
            let applied = quick_xml::escape::unescape(applied).map_err(err)?;
            if let Some((font, background)) = looks.applied_unseen(&applied) {
                let value = attr(&e, "calcext:value")?.unwrap_or_default();
                let value = quick_xml::escape::unescape(value).map_err(err)?;
                effects.push((
                    crate::looks::calcext_condition(&value),
                    Effect::Unseen { font, background },
                ));
            }
        }
    }
}

/// The regions of a conditional format's `calcext:target-range-address` on sheet `sheet`
/// (`表二.B5:表二.C5 表二.E6:表二.E6`, `'My sheet'.$A$1:.$B$2`): every position of the sheet where
/// a part cannot be read or names another sheet, so that what the format may hide is refused
/// rather than guessed.
fn regions_of(address: &str, sheet: &str) -> Vec<crate::grid::Merge> {
    let whole = vec![crate::grid::Merge::WHOLE_SHEET];
    let mut regions = Vec::new();
    for range in split_unquoted(address, ' ').filter(|r| !r.is_empty()) {
        let mut ends = Vec::new();
        for end in split_unquoted(range, ':') {
            // The cell after the sheet's name, which ends at the last dot outside quotes.
            let (name, cell) = match split_unquoted(end, '.').collect::<Vec<_>>()[..] {
                [cell] => ("", cell),
                [name, cell] => (name, cell),
                _ => return whole,
            };
            let name = name.trim_start_matches('$');
            let name = match name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')) {
                Some(quoted) => quoted.replace("''", "'"),
                None => name.to_string(),
            };
            if !name.is_empty() && name != sheet {
                return whole;
            }
            ends.push(cell);
        }
        let (Some(&first), Some(&last), true) = (ends.first(), ends.last(), ends.len() <= 2) else {
            return whole;
        };
        let (Some(a), Some(b)) = (crate::xlsx_merges::merge_of(first), crate::xlsx_merges::merge_of(last)) else {
            return whole;
        };
        regions.push(crate::grid::Merge {
            first_row: a.first_row.min(b.first_row),
            first_col: a.first_col.min(b.first_col),
            last_row: a.first_row.max(b.first_row),
            last_col: a.first_col.max(b.first_col),
        });
    }
    regions
}

/// `s` split at `sep` where it is not inside single quotes (a sheet's quoted name).
fn split_unquoted(s: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    s.split(move |c: char| {
        if c == '\'' {
            quoted = !quoted;
        }
        c == sep && !quoted
    })
}

/// Reads a cell's content to its end tag: whether it holds text outside its annotations (a
/// spreadsheet shows the paragraphs of a cell without a value type).
fn shows_text<'a>(reader: &mut impl Events<'a>) -> Result<bool> {
    let is_cell = |name: QName<'_>| name == QName("table:table-cell") || name == QName("table:covered-table-cell");
    // Cells nested in the content (a sub-table) and annotations, whose text is not the cell's.
    let (mut shown, mut annotation, mut nested) = (false, 0u32, 0u32);
    loop {
        match reader.next().map_err(err)? {
            Event::Start(s) if s.name() == QName("office:annotation") => annotation += 1,
            Event::End(end) if end.name() == QName("office:annotation") => annotation = annotation.saturating_sub(1),
            Event::Start(s) if is_cell(s.name()) => nested += 1,
            Event::End(end) if is_cell(end.name()) => {
                if nested == 0 {
                    return Ok(shown);
                }
                nested -= 1;
            }
            Event::Text(t) if annotation == 0 && !t.chars().all(char::is_whitespace) => shown = true,
            Event::CData(c) if annotation == 0 && !c.is_empty() => shown = true,
            Event::GeneralRef(_) if annotation == 0 => shown = true,
            Event::Eof => return Err(err("table:table-cell is not closed")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(xml: &str) -> SheetCost {
        let mut sheets = measure(xml.as_bytes()).expect("measured");
        assert_eq!(sheets.len(), 1, "{sheets:?}");
        sheets.remove(0)
    }

    /// Merged cells are listed where calamine puts their cells: after empty and repeated cells,
    /// in each copy of a repeated row; covered cells are no regions of their own.
    #[test]
    fn merged_regions_are_listed_at_the_cells_positions() {
        use crate::grid::Merge;
        let m = |first_row, first_col, last_row, last_col| Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        };
        let sheet = one(&doc(concat!(
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-columns-repeated="2"/>"#,
            r#"<table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="2"/>"#,
            r#"<table:covered-table-cell office:value-type="float" office:value="9"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-rows-spanned="2"/>"#,
            r#"</table:table-row>"#,
        )));
        assert_eq!(sheet.merges, [m(2, 2, 2, 3), m(3, 0, 4, 0), m(4, 0, 5, 0)]);
    }

    fn doc(rows: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    /// A data bar or an icon set that shows no number refuses its ranges' numbers, however
    /// LibreOffice writes it (7.4 puts an icon set's `show-value` on its first entry); a range
    /// that cannot be read, or names another sheet, refuses the whole sheet's; a data bar that
    /// shows the number, and a colour scale, refuse nothing.
    #[test]
    fn conditional_formats_that_show_no_number_are_regions() {
        use crate::grid::Merge;
        let m = |first_row, first_col, last_row, last_col| Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        };
        let regions = |formats: &str| -> Vec<Merge> {
            let xml = doc(&format!(
                r#"<table:table-row><table:table-cell office:value-type="float" office:value="2"/></table:table-row><calcext:conditional-formats>{formats}</calcext:conditional-formats>"#
            ));
            one(&xml).shown_otherwise.into_iter().map(|(r, _)| r).collect()
        };
        let bar = |address: &str, shows: &str| {
            format!(
                r#"<calcext:conditional-format calcext:target-range-address="{address}"><calcext:data-bar calcext:show-value="{shows}"><calcext:formatting-entry calcext:value="0" calcext:type="minimum"/></calcext:data-bar></calcext:conditional-format>"#
            )
        };
        assert_eq!(
            regions(&bar("S.B5:S.C5 S.E6:S.E6", "false")),
            [m(4, 1, 4, 2), m(5, 4, 5, 4)]
        );
        assert_eq!(regions(&bar("$S.$C$5:.$B$4", "false")), [m(3, 1, 4, 2)]);
        assert_eq!(regions(&bar("'S'.A1", "false")), [m(0, 0, 0, 0)]);
        assert!(regions(&bar("S.B5:S.C5", "true")).is_empty());
        assert_eq!(regions(&bar("Other.B5:Other.C5", "false")), [Merge::WHOLE_SHEET]);
        assert_eq!(regions(&bar("S.B5:S.?", "false")), [Merge::WHOLE_SHEET]);
        assert_eq!(
            regions(concat!(
                r#"<calcext:conditional-format calcext:target-range-address="S.D5:S.D5"><calcext:icon-set calcext:icon-set-type="3Arrows">"#,
                r#"<calcext:formatting-entry calcext:show-value="false" calcext:value="0" calcext:type="percent"/>"#,
                r#"<calcext:formatting-entry calcext:value="33" calcext:type="percent"/></calcext:icon-set></calcext:conditional-format>"#,
                r#"<calcext:conditional-format calcext:target-range-address="S.A1:S.A9"><calcext:color-scale>"#,
                r##"<calcext:color-scale-entry calcext:value="0" calcext:type="minimum" calcext:color="#ffffff"/></calcext:color-scale></calcext:conditional-format>"##,
            )),
            [m(4, 3, 4, 3)]
        );
        // Past MAX_SPANS regions, one more is kept, so that the reader refuses the sheet.
        let many: String = (0..MAX_SPANS + 10).map(|i| format!("S.A{} ", 1 + i % 50)).collect();
        assert_eq!(regions(&bar(&many, "false")).len(), MAX_SPANS + 1);
        // A sheet named with a space and a quote, in quotes.
        let xml = doc(&bar("'It''s a.b'.B2", "false")).replace(r#"table:name="S""#, r#"table:name="It's a.b""#);
        let sheet = one(&xml);
        assert_eq!(sheet.shown_otherwise.len(), 1);
        assert_eq!(sheet.shown_otherwise[0].0, m(1, 1, 1, 1));
        // A format left open fails the file, as an unclosed table does.
        let open = doc(
            r#"<calcext:conditional-formats><calcext:conditional-format calcext:target-range-address="S.A1"><calcext:data-bar calcext:show-value="false">"#,
        );
        assert!(measure(open.as_bytes()).is_err());
        // Nor may a format swallow the rows after it: before, a format left open read on to the
        // next one's end, past rows of 6,000 × 6,000 repeated cells that calamine then built
        // (23 GB, found by ods_gen). Closed by its parent's end tag, the rows after it count.
        let swallowing = doc(concat!(
            r#"<calcext:conditional-formats><calcext:conditional-format><calcext:data-bar></calcext:data-bar>"#,
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="6000"/></table:table-row>"#,
        ));
        assert!(measure(swallowing.as_bytes()).is_err());
        let closed_by_parent = doc(concat!(
            r#"<calcext:conditional-formats><calcext:conditional-format><calcext:data-bar></calcext:data-bar></calcext:conditional-formats>"#,
            r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="6000"/></table:table-row>"#,
        ));
        assert_eq!(one(&closed_by_parent).cells, 36_000_000);
    }

    /// A cell a spreadsheet shows with text but calamine reads as empty is found, at its place.
    #[test]
    fn text_calamine_would_not_read_is_found_at_its_cell() {
        let row = |cells: &str| format!("<table:table-row>{cells}</table:table-row>");
        let first = row(r#"<table:table-cell office:value-type="string"><text:p>规章</text:p></table:table-cell>"#);
        let unread = |cell: &str| {
            one(&doc(&format!(
                r#"{first}<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>{}"#,
                row(&format!(
                    r#"<table:table-cell table:number-columns-repeated="2"/>{cell}"#
                ))
            )))
            .unread_text
        };
        for cell in [
            "<table:table-cell><text:p>7</text:p></table:table-cell>",
            r#"<table:table-cell office:value-type="float"><text:p>7</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="string"><text:p><![CDATA[12]]></text:p></table:table-cell>"#,
            "<table:table-cell><text:p>&#55;</text:p></table:table-cell>",
        ] {
            assert_eq!(unread(cell), Some((4, 2)), "{cell}");
        }
        for cell in [
            r#"<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="string"><text:p>7</text:p></table:table-cell>"#,
            "<table:table-cell><office:annotation><text:p>note</text:p></office:annotation></table:table-cell>",
            "<table:table-cell><text:p> </text:p></table:table-cell>",
            "<table:covered-table-cell><text:p>7</text:p></table:covered-table-cell>",
            "<table:table-cell/>",
        ] {
            assert_eq!(unread(cell), None, "{cell}");
        }
    }

    #[test]
    fn repeats_are_expanded_as_calamine_does() {
        let xml = doc(concat!(
            r#"<table:table-column table:number-columns-repeated="16384"/>"#,
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>ab</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="999"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
            r#"<table:table-row><table:table-cell table:number-columns-repeated="9"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="48574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ));
        let s = one(&xml);
        assert_eq!((s.rows, s.cols, s.cells), (1001, 10, 10_010));
        assert_eq!(s.chars, 4, "the text “ab” held before and in the range");
    }

    #[test]
    fn repeat_counts_a_hand_scan_missed_are_counted() {
        let big = |cell: &str| {
            doc(&format!(
                r#"<table:table-row table:number-rows-repeated='1000'>{cell}</table:table-row>"#
            ))
        };
        // Single quotes.
        let s = one(&big(
            r#"<table:table-cell table:number-columns-repeated='16384' office:value-type='float' office:value='1'/>"#,
        ));
        assert_eq!(s.cells, 16_384_000);
        // A self-closing cell with a value but no value type.
        let s = one(&big(
            r#"<table:table-cell office:value="1" table:number-columns-repeated="16384"/>"#,
        ));
        assert_eq!(s.cells, 16_384_000);
        // A `>` inside an attribute value before the count.
        let s = one(&big(
            r#"<table:table-cell table:style-name="a>b" office:value="1" table:number-columns-repeated="16384"/>"#,
        ));
        assert_eq!(s.cells, 16_384_000);
        // A comment that looks like a closing table.
        let xml = doc(concat!(
            r#"<!--><table:table/>-->"#,
            r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell office:value="1" table:number-columns-repeated="16384"/></table:table-row>"#
        ));
        assert_eq!(one(&xml).cells, 16_384_000);
    }

    #[test]
    fn repeated_text_is_counted_per_copy() {
        let text = "长".repeat(1000);
        let xml = doc(&format!(
            r#"<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string" table:number-columns-repeated="10"><text:p>{text}</text:p></table:table-cell></table:table-row>"#
        ));
        let s = one(&xml);
        // 10 copies in the row before the range, 30 in the range.
        assert_eq!(s.chars, 40 * 1000);
        let spaces = doc(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row>"#,
        );
        assert!(one(&spaces).chars >= 1_000_000_000);
    }

    #[test]
    fn what_calamine_cannot_finish_is_unmeasured() {
        assert!(measure(&br#"<table:table table:name="S"><table:table-row>"#[..]).is_err());
        assert!(measure(&br#"<table:table table:name="S">"#[..]).is_err());
        let bad = doc(r#"<table:table-row table:number-rows-repeated="x"></table:table-row>"#);
        assert!(measure(bad.as_bytes()).is_err());
        let annotation = doc(
            r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>a</text:p>"#,
        );
        assert!(measure(annotation.as_bytes()).is_err());
    }

    /// An ods file holding `content`.
    fn ods(content: &str) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        w.start_file("mimetype", stored).expect("start");
        w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("write");
        w.start_file("META-INF/manifest.xml", stored).expect("start");
        w.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#).expect("write");
        w.start_file("content.xml", stored).expect("start");
        w.write_all(content.as_bytes()).expect("write");
        w.finish().expect("finish").into_inner()
    }

    #[test]
    fn the_measure_agrees_with_calamine() {
        use calamine::{Data, Ods, Reader, open_workbook_from_rs};
        let cells = [
            r#"<table:table-cell table:number-columns-repeated='7' office:value-type='float' office:value='1'/>"#,
            r#"<table:table-cell office:value="1" table:number-columns-repeated="7"/>"#,
            r#"<table:table-cell table:style-name="a>b" office:value="1" table:number-columns-repeated="7"/>"#,
            r#"<table:table-cell table:number-columns-repeated="2"/><table:table-cell table:formula="of:=1" table:number-columns-repeated="7"/>"#,
            r#"<table:table-cell office:value-type="string" table:number-columns-repeated="7"><text:p>ab<text:s text:c="3"/></text:p><text:p>c</text:p></table:table-cell>"#,
        ];
        for cell in cells {
            for prefix in [
                "",
                "<!--><table:table/>-->",
                "<table:table-row><table:table-cell/></table:table-row>",
            ] {
                let xml = doc(&format!(
                    r#"{prefix}<table:table-row table:number-rows-repeated='5'>{cell}</table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="9"/></table:table-row><table:table-row><table:table-cell/><table:table-cell office:value="2"/></table:table-row>"#
                ));
                let mut ods: Ods<_> =
                    open_workbook_from_rs(std::io::Cursor::new(ods(&xml))).expect("calamine reads it");
                let range = ods.worksheet_range("S").expect("sheet");
                let (h, w) = range.get_size();
                let text: u64 = range
                    .used_cells()
                    .map(|(_, _, v)| match v {
                        Data::String(s) => s.chars().count() as u64,
                        _ => 0,
                    })
                    .sum();
                let m = one(&xml);
                let formulas = ods.worksheet_formula("S").expect("formulas").get_size();
                // Values and formulas each get a range; the measure spans both (the same
                // extent when no cell has a formula without a value).
                if cell.contains("table:formula") {
                    assert!(
                        m.cells >= (h * w).max(formulas.0 * formulas.1) as u64,
                        "{cell} after {prefix}"
                    );
                } else {
                    assert_eq!((m.cells, m.cols), ((h * w) as u64, w as u64), "{cell} after {prefix}");
                }
                // The range's own texts are part of what is counted (the rows held before it too).
                assert!(m.chars >= text, "{cell}: {} < {text}", m.chars);
            }
        }
    }
}
