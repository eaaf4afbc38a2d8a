//! Reading workbooks (xlsx, xlsm, xls, ods) with calamine: each sheet becomes a [`Grid`] of
//! texts located as `sheet!A1`, and [`grid::read_report`] finds the tables by their labels.
//!
//! Values: a number cell becomes the shortest text of its value ([`number_from_f64`]), so that
//! "12" typed as text and 12 typed as a number read alike; a formula gives its cached result
//! (calamine does not recalculate; the standard template stores every result), and a formula
//! stored without one (files written by scripts and converters) is computed from the cells read,
//! or named in a finding when it cannot be (`formula.rs`); dates, booleans and error values
//! become their text, which the rules report as not a number.
//!
//! Merged regions: for xlsx they come from `xlsx_merges.rs`, which reads them without a
//! second full parse of the sheet; calamine's own merge reader is the fallback. xls merges come
//! from calamine; ods has none in calamine (see `ods_grids`).
//!
//! Memory: an xlsx sheet is streamed cell by cell into a sparse grid, so a stray cell at
//! `XFD1048576` costs one entry, not a dense 17-billion-cell range. xls sheets are bounded by
//! the format (65,536 × 256). calamine reads an ods sheet into a dense range as soon as the file
//! is opened, so its `content.xml` is scanned first ([`ods_extent`]) and a sheet whose used
//! extent exceeds [`ImportOptions::max_cells`] cells is refused before calamine sees it. Every
//! workbook is also limited in non-empty cells, sheets, rows, columns and cell text, and a zip
//! container is checked from its central directory before anything is inflated
//! ([`ImportOptions`] lists the limits). calamine panics on some damaged files; its calls run
//! under `guarded` (lib.rs), which turns such a panic into an error.

use crate::formula::{self, Outcome};
use crate::grid::{self, Grid, Merge};
use crate::limits::{check_cell_text, check_zip, exceeded};
use crate::run_look::RichText;
use crate::unpacked;
use crate::values::number_from_f64;
use crate::xlsx_merges::XlsxMerges;
use crate::{ErrorKind, ImportError, ImportOptions, Imported, guarded, ods_measure, xls_cfb, xml_events};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, XlsError, Xlsx, XlsxError, open_workbook_from_rs};
use std::borrow::Cow;
use std::io::Cursor;
use std::sync::LazyLock;

/// Largest `content.xml` of an ods file that is scanned (decompressed bytes).
const MAX_ODS_CONTENT: u64 = 256 * 1024 * 1024;
/// Most merged regions read from one sheet.
const MAX_MERGES: usize = 100_000;

/// Reads the report in a workbook within the limits of `opts`.
pub(crate) fn read_spreadsheet_with(
    file: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<Vec<Imported>, ImportError> {
    let (grids, formulas) = read_workbook(file, bytes, opts)?;
    if grids.iter().all(Grid::is_empty) {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            None,
            "工作簿是空的：没有任何填写内容",
            "the workbook is empty: no cell has content",
        ));
    }
    let mut imported = grid::read_report(file, &grids)?;
    let found = formula::findings(&imported, &formulas);
    imported.findings.extend(found);
    Ok(vec![imported])
}

/// The sheets of a workbook as grids, in workbook order, within the limits of `opts`. A
/// formula whose result was not stored shows the value computed from the cells (`formula.rs`).
pub fn read_grids_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Grid>, ImportError> {
    read_workbook(file, bytes, opts).map(|(grids, _)| grids)
}

/// The grids of a workbook, and what became of its formulas without a stored result.
fn read_workbook(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<(Vec<Grid>, Vec<Outcome>), ImportError> {
    const CFB: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(&CFB) {
        // A compound file: a legacy .xls, or an encrypted xlsx (Office wraps those in CFB).
        let shown = xls_guard(file, bytes, opts)?;
        return guarded(file, "xls", || {
            match open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)) {
                // An xls formula record always carries its result.
                Ok(mut xls) => xls_grids(file, &mut xls, shown, opts).map(|g| (g, Vec::new())),
                Err(XlsError::Password) => Err(encrypted(file)),
                Err(e) => match open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
                    Err(XlsxError::Password) => Err(encrypted(file)),
                    _ => Err(broken(file, "xls", &e.to_string())),
                },
            }
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip(file, bytes, opts)?;
        let ods = is_ods(bytes);
        // Every reader below looks at the XML parts: inflated once here, not by each.
        let read_twice = if ods { unpacked::ods_parts } else { unpacked::xlsx_parts };
        let unpacked = unpacked::stored_copy(bytes, opts.max_unpacked_bytes, read_twice);
        let bytes = unpacked.as_deref().unwrap_or(bytes);
        // The sheets laid out the common way are inflated once more, by `XlsxMerges`, for their
        // merged regions: their shared-string indexes are checked there, not in the guard.
        let mut quick_merges = if ods {
            None
        } else {
            XlsxMerges::open(bytes, opts.max_unpacked_bytes, unpacked.is_some())
        };
        let word = match quick_merges.as_mut() {
            // A workbook laid out the common way: its main relationship names `xl/workbook.xml`,
            // so only the content types could make it a Word document.
            Some(quick) => quick
                .kept_or_read(crate::docx::CONTENT_TYPES, crate::docx::MAX_CONTENT_TYPES)
                .and_then(crate::docx::word_main_in_content_types)
                .flatten(),
            None => crate::docx::word_main_part(bytes),
        };
        if word.is_some() {
            return Err(ImportError::new(
                file,
                ErrorKind::Format,
                None,
                "这是 Word 文档（.docx），不是工作簿：请按 Word 文档读取（不要指定工作簿格式）",
                "this is a Word document (.docx), not a workbook: read it as Word (do not force the workbook format)",
            ));
        }
        if ods {
            let merges = ods_guard(file, bytes, unpacked.is_some(), opts)?;
            return guarded(file, "ods", || {
                match open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)) {
                    Ok(mut ods) => ods_grids(file, &mut ods, merges, opts),
                    Err(e) => Err(broken(file, "ods", &e.to_string())),
                }
            });
        }
        let (shown, strings) = xlsx_guard(file, bytes, unpacked.is_some(), opts, quick_merges.as_ref())?;
        return guarded(file, "xlsx", || {
            match open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
                Ok(mut xlsx) => xlsx_grids(file, &mut xlsx, quick_merges, (&shown, strings), opts),
                Err(XlsxError::Password) => Err(encrypted(file)),
                Err(e) => Err(broken(file, "xlsx", &e.to_string())),
            }
        });
    }
    Err(ImportError::new(
        file,
        ErrorKind::Format,
        None,
        "不是 Excel 或 ODS 工作簿（文件开头既不是 xlsx/ods 的压缩包，也不是 xls 的复合文档）",
        "not an Excel or ODS workbook (neither a zip container as in xlsx/ods nor a compound file as in xls)",
    ))
}

/// An OpenDocument file starts with an uncompressed `mimetype` entry naming its type. A file
/// whose first entry is `mimetype` but compressed (a tool that ignored the rule) is read as the
/// spreadsheet it says it is when that entry, inflated, names one: the ods reader and its guard
/// read every entry through the zip directory, whatever its compression.
fn is_ods(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(120)];
    if head.windows(34).any(|w| w == b"application/vnd.oasis.opendocument") {
        return true;
    }
    // The first local header's name (at 30, its length at 26).
    let name_len = bytes
        .get(26..28)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    if bytes.get(30..30 + name_len) != Some(b"mimetype".as_slice()) {
        return false;
    }
    use std::io::Read;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = zip.by_name("mimetype") else {
        return false;
    };
    let mut named = Vec::new();
    entry.take(128).read_to_end(&mut named).is_ok()
        && named.starts_with(b"application/vnd.oasis.opendocument.spreadsheet")
}

/// Refuses an ods file that would make calamine allocate more than the limits allow: more cells
/// than [`ImportOptions::max_cells`] in its dense ranges (or in the rows it holds before
/// building them), more text than [`ImportOptions::max_total_chars`] with every repeated copy
/// counted, more row elements than [`ImportOptions::max_rows`]. `content.xml` is measured with
/// the XML parser calamine uses, following its reader (`ods_measure.rs`), as it streams.
/// Measures an ods file before calamine reads it (see [`ods_measure`]), and returns each sheet's
/// merged regions and its number cells shown otherwise than stored, by name: calamine reads
/// neither.
fn ods_guard(
    file: &str,
    bytes: &[u8],
    rebuilt: bool,
    opts: &ImportOptions,
) -> Result<Vec<(String, OdsSheetExtras)>, ImportError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(file, "ods", &e.to_string()))?;
    let limit = MAX_ODS_CONTENT.min(opts.max_unpacked_bytes);
    // The number formats a user chose are data styles in `styles.xml` (LibreOffice); the cell
    // styles naming them are in `content.xml`.
    let formats = match zip.by_name("styles.xml") {
        Ok(entry) => {
            if entry.size() > limit {
                return Err(exceeded(
                    file,
                    None,
                    "ods 文件 styles.xml 解压后的大小（字节）",
                    "the unpacked size of the ods styles.xml in bytes",
                    entry.size(),
                    limit,
                    "--max-unpacked-bytes",
                ));
            }
            use std::io::Read;
            ods_measure::read_styles(xml_events::streamed(std::io::BufReader::new(entry.take(limit))))
                .map_err(|e| broken(file, "ods", &format!("styles.xml: {}", e.0)))?
        }
        Err(_) => Default::default(),
    };
    let stored = if rebuilt {
        unpacked::stored_part(&mut zip, bytes, "content.xml")
    } else {
        None
    };
    let entry = zip
        .by_name("content.xml")
        .map_err(|e| broken(file, "ods", &e.to_string()))?;
    if entry.size() > limit {
        return Err(exceeded(
            file,
            None,
            "ods 文件 content.xml 解压后的大小（字节）",
            "the unpacked size of the ods content.xml in bytes",
            entry.size(),
            limit,
            "--max-unpacked-bytes",
        ));
    }
    let sheets = match stored {
        Some(xml) => ods_measure::measure_with(xml_events::in_memory(xml), formats),
        None => ods_measure::measure_with(xml_events::streamed(std::io::BufReader::new(entry)), formats),
    }
    .map_err(|e| broken(file, "ods", &format!("content.xml: {}", e.0)))?;
    // A cell whose text the sheet shows but calamine reads as empty would be a blank here.
    if let Some((sheet, (row, col))) = sheets.iter().find_map(|s| s.unread_text.map(|at| (&s.name, at))) {
        let cell = crate::grid::a1(
            u32::try_from(row).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        );
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(xxgk_model::Location::sheet_cell(sheet.as_str(), cell)),
            "单元格显示有文字，但未标明值类型（office:value-type）或文字写在 CDATA 中，无法可靠读取：请用 LibreOffice 或 WPS 打开后另存为 ods 或 xlsx 再导入",
            "the cell shows text but has no value type (office:value-type), or its text is CDATA: it cannot be read reliably; open the file in LibreOffice or WPS, save it as ods or xlsx, and import again",
        ));
    }
    // calamine would refuse the whole workbook without naming the cell.
    if let Some((sheet, (row, col, v))) = sheets
        .iter()
        .find_map(|s| s.bad_number.as_ref().map(|at| (&s.name, at)))
    {
        let cell = crate::grid::a1(
            u32::try_from(*row).unwrap_or(u32::MAX),
            u32::try_from(*col).unwrap_or(u32::MAX),
        );
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(xxgk_model::Location::sheet_cell(sheet.as_str(), cell)),
            format!(
                "单元格的数值写作“{v}”（office:value），不是数字，无法读取：请用 LibreOffice 或 WPS 打开后另存为 ods 或 xlsx 再导入"
            ),
            format!(
                "the cell's number is written “{v}” (office:value), which is no number, so it cannot be read; open the file in LibreOffice or WPS, save it as ods or xlsx, and import again"
            ),
        ));
    }
    let (mut cells, mut chars) = (0u64, 0u64);
    for sheet in &sheets {
        let at = || {
            Some(xxgk_model::Location {
                sheet: Some(sheet.name.clone()),
                ..Default::default()
            })
        };
        if sheet.row_elements > u64::from(opts.max_rows) {
            return Err(exceeded(
                file,
                at(),
                "ods 工作表的行元素个数",
                "the number of row elements of an ods sheet",
                sheet.row_elements,
                opts.max_rows,
                "--max-rows",
            ));
        }
        let max = opts.max_cells;
        if sheet.cells > max || sheet.row_cells > max {
            let (sheet, rows, cols) = (&sheet.name, sheet.rows, sheet.cols);
            let n = sheet_cells(&sheets, sheet);
            return Err(ImportError::new(
                file,
                ErrorKind::Limit,
                at(),
                format!(
                    "工作表“{sheet}”展开重复的行和列后有 {rows} 行 × {cols} 列，共 {n} 个单元格，超过读取上限 {max} 个单元格：请删除表格以外远处的零散内容后再导入（如确属正常，可用 --max-cells 调高上限）"
                ),
                format!(
                    "sheet “{sheet}” has {rows} rows × {cols} columns once its repeated rows and columns are expanded, {n} cells, beyond the limit of {max} cells: delete stray content far from the tables and import again (or raise the limit with --max-cells)"
                ),
            ));
        }
        cells = cells.saturating_add(sheet.cells).saturating_add(sheet.row_cells);
        chars = chars.saturating_add(sheet.chars);
    }
    if cells > opts.max_cells {
        return Err(exceeded(
            file,
            None,
            "ods 工作簿展开重复的行和列后的单元格总数",
            "the number of cells of the ods workbook once repeated rows and columns are expanded",
            cells,
            opts.max_cells,
            "--max-cells",
        ));
    }
    if chars > opts.max_total_chars {
        return Err(total_text(file, None, chars, opts));
    }
    if let Some(sheet) = sheets.iter().find(|s| s.shown_otherwise.len() > ods_measure::MAX_SPANS) {
        return Err(ImportError::new(
            file,
            ErrorKind::Limit,
            Some(xxgk_model::Location {
                sheet: Some(sheet.name.clone()),
                ..Default::default()
            }),
            format!(
                "工作表“{}”中使用百分比、日期等会改变数值显示的格式或条件格式的单元格区域超过 {} 个：请将表格的单元格格式改为“常规”或“数值”、删除不需要的条件格式后再导入",
                sheet.name,
                ods_measure::MAX_SPANS
            ),
            format!(
                "sheet “{}” has over {} cell regions in a format or conditional format that shows numbers otherwise (a percentage, a date, a data bar): set the cells' format to General or Number, remove the conditional formats not needed, and import again",
                sheet.name,
                ods_measure::MAX_SPANS
            ),
        ));
    }
    Ok(sheets
        .into_iter()
        .map(|s| (s.name, (s.merges, s.shown_otherwise)))
        .collect())
}

/// What the measure of an ods sheet gives its grid: merged regions, and regions of number cells
/// shown otherwise than stored.
type OdsSheetExtras = (Vec<Merge>, Vec<(Merge, grid::Refusal)>);

fn sheet_cells(sheets: &[ods_measure::SheetCost], name: &str) -> u64 {
    sheets
        .iter()
        .find(|s| s.name == name)
        .map_or(0, |s| s.cells.max(s.row_cells))
}

/// The error for a workbook whose cells hold more text in all than the limit.
pub(crate) fn total_text(
    file: &str,
    at: Option<xxgk_model::Location>,
    chars: impl std::fmt::Display,
    opts: &ImportOptions,
) -> ImportError {
    exceeded(
        file,
        at,
        "工作簿全部单元格文字的总长度（字符，重复引用的文字按份计）",
        "the total length of the text in the workbook's cells (characters, every copy counted)",
        chars,
        opts.max_total_chars,
        "--max-total-chars",
    )
}

/// Refuses an xls file whose sheets would make calamine allocate more than
/// [`ImportOptions::max_cells`] cells. calamine parses every sheet of an xls when the file is
/// opened and builds a dense range from the cells' extent (and reserves the extent a
/// `DIMENSIONS` record declares), so a hostile file with one cell at row 65,535 and column
/// 65,535 makes it allocate over 100 GB (found by fuzzing). The records are scanned here the
/// way calamine reads them: the `BOUNDSHEET` records of the globals give each sheet's offset,
/// and each sheet's records are read from there up to its `EOF`, skipping embedded substreams.
///
/// The same walk finds the number cells whose format shows them otherwise than stored (the
/// `FORMAT` and `XF` records of the globals, each cell record's style; BIFF8 only), returned
/// by sheet name.
fn xls_guard(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<XlsShown, ImportError> {
    // A compound file the cfb crate cannot open is refused as damaged: calamine's own reader is
    // more lenient and could read cells from it that were never scanned (found by fuzzing: a
    // 65,536 × 65,536 extent behind a directory the cfb crate rejects). The stream scanned is
    // then the one calamine will parse, found as calamine finds it (`xls_cfb.rs`); a compound
    // file without one (an encrypted xlsx) is left to calamine, which finds no cells in it.
    let stream = guarded(file, "xls", || {
        if let Err(e) = cfb::CompoundFile::open(Cursor::new(bytes)) {
            return Err(if is_encrypted_container(bytes) {
                encrypted(file)
            } else {
                broken(file, "xls", &e.to_string())
            });
        }
        xls_cfb::workbook_stream(bytes).map_err(|e| {
            if is_encrypted_container(bytes) {
                encrypted(file)
            } else {
                broken(file, "xls", &e)
            }
        })
    })?;
    let Some(stream) = stream else {
        return Ok(Vec::new());
    };
    if stream.len() as u64 > opts.max_unpacked_bytes {
        return Err(exceeded(
            file,
            None,
            "xls 工作簿数据流的大小（字节）",
            "the size of the xls workbook stream in bytes",
            format!("> {}", opts.max_unpacked_bytes),
            opts.max_unpacked_bytes,
            "--max-unpacked-bytes",
        ));
    }
    let u16_at = |d: &[u8], at: usize| {
        d.get(at..at + 2)
            .map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |d: &[u8], at: usize| {
        d.get(at..at + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut sheets = Vec::new();
    let mut names = Vec::new();
    // Number formats by index (as calamine takes them), the cell styles' format indexes, and
    // whether the file is BIFF8 and counts dates from 1904.
    let (mut codes, mut xfs) = (rustc_hash::FxHashMap::<u16, String>::default(), Vec::<u16>::new());
    let (mut biff8, mut is_1904) = (false, false);
    // The fonts' colours, and each cell style's font and fill, for the styles whose font
    // cannot be seen on their background.
    let mut colours = XlsColours::default();
    for (typ, data) in xls_records(&stream) {
        match typ {
            0x0809 if names.is_empty() && xfs.is_empty() => biff8 = u16_at(data, 0) == 0x0600,
            0x0085 => {
                sheets.push(u32_at(data, 0) as usize);
                names.push(if biff8 {
                    xls_string(data.get(6..).unwrap_or_default(), false)
                } else {
                    None
                });
            }
            0x0022 => is_1904 = u16_at(data, 0) == 1,
            0x041E if biff8 => {
                let ifmt = u16_at(data, 0) as u16;
                if matches!(ifmt, 5..=8 | 23..=26 | 41..=44 | 63..=66 | 164..=382)
                    && let Some(code) = xls_string(data.get(2..).unwrap_or_default(), true)
                {
                    codes.insert(ifmt, code);
                }
            }
            0x00E0 if data.len() >= 4 => {
                xfs.push(u16_at(data, 2) as u16);
                colours.xf(biff8, data);
            }
            0x0031 if biff8 => colours.font(u16_at(data, 4) as u16),
            0x0092 if biff8 => colours.palette(data),
            0x000A => break,
            _ => {}
        }
    }
    // Per cell style: its format judged, when it may show a number otherwise (once per format).
    let formats: Vec<Option<std::sync::Arc<crate::number_format::Judged>>> = if biff8 {
        let mut judged = rustc_hash::FxHashMap::default();
        xfs.iter()
            .map(|ifmt| {
                judged
                    .entry(*ifmt)
                    .or_insert_with(|| {
                        let code = match codes.get(ifmt) {
                            Some(code) => code.as_str(),
                            None => crate::number_format::builtin_code(*ifmt)?,
                        };
                        crate::number_format::Judged::shared(code)
                    })
                    .clone()
            })
            .collect()
    } else {
        Vec::new()
    };
    let unseen = colours.unseen();
    // A conditional format's number format, by index or by code.
    let judge_code = crate::number_format::Judged::shared;
    let judge_index = |ifmt: u16| match codes.get(&ifmt) {
        Some(code) => judge_code(code),
        None => judge_code(crate::number_format::builtin_code(ifmt)?),
    };
    let any_format = formats.iter().any(Option::is_some) || unseen.iter().any(Option::is_some);
    let mut shown_by_sheet: XlsShown = Vec::new();
    // calamine gives each label cell its own copy of its shared string: the copies are counted
    // against the total text budget.
    let lengths = xls_string_lengths(&stream);
    let mut chars = 0u64;
    for (index, pos) in sheets.into_iter().enumerate() {
        let Some(sheet) = stream.get(pos..) else {
            continue;
        };
        let mut shown = Vec::new();
        // A number cell (row, col, style, value) whose style may show it otherwise.
        let mut number = |r: u32, c: u32, xf: u32, v: f64| {
            if shown.len() > MAX_MERGES {
                return;
            }
            if let Some(Some(format)) = formats.get(xf as usize)
                && format.shows_otherwise(v)
            {
                let format = std::sync::Arc::clone(format);
                let mark = crate::number_format::Mark::Judged {
                    format,
                    value: v,
                    is_1904,
                };
                shown.push((r, c, grid::Refusal::NumberFormat(mark)));
            } else if let Some(Some((font, background))) = unseen.get(xf as usize)
                && v != 0.0
            {
                let look = crate::looks::Look::Unseen {
                    font: *font,
                    background: *background,
                };
                shown.push((r, c, grid::Refusal::Look(look)));
            }
        };
        let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
        let mut conditionals = crate::xls_conditional::XlsConditionals::default();
        let mut reserved = 0u64;
        let (mut seen_bof, mut depth) = (false, 0usize);
        // The cells' addresses, to find one written twice: writers emit them in order, so a
        // run that only increases has none and is never sorted.
        let mut cells_seen: Vec<(u32, u32)> = Vec::new();
        let mut in_order = true;
        // Value cells (a MULRK's each): a bound on the number cells looked up in conditional ranges.
        let mut numbers = 0usize;
        let mut duplicate = None;
        for (typ, d) in xls_records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let mut cell = |r: u32, c: u32| {
                rows = (rows.0.min(r), rows.1.max(r));
                cols = (cols.0.min(c), cols.1.max(c));
                in_order &= cells_seen.last().is_none_or(|&last| last < (r, c));
                cells_seen.push((r, c));
            };
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    // As calamine reads DIMENSIONS (and computes its extent, wrapping).
                    let (rf, rl, mut cf, cl) = match d.len() {
                        10 => (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4), u16_at(d, 6)),
                        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8), u16_at(d, 10)),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    if rl >= 1 && cl >= 1 {
                        let r = u64::from((rl - 1).wrapping_sub(rf).wrapping_add(1));
                        let c = u64::from((cl - 1).wrapping_sub(cf).wrapping_add(1));
                        reserved = reserved.max(r.saturating_mul(c));
                    }
                }
                0x00FD => {
                    cell(u16_at(d, 0), u16_at(d, 2));
                    if d.len() >= 10 {
                        let len = lengths.get(u32_at(d, 6) as usize).copied().unwrap_or(0);
                        chars = chars.saturating_add(u64::from(len));
                        if chars > opts.max_total_chars {
                            return Err(total_text(file, None, format!("> {}", opts.max_total_chars), opts));
                        }
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x0006 => {
                    cell(u16_at(d, 0), u16_at(d, 2));
                    numbers += 1;
                    if any_format {
                        xls_numbers(typ, d, &mut number);
                    }
                }
                0x00BD if d.len() >= 6 => {
                    let (row, first, last) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, d.len() - 2));
                    cell(row, first);
                    if last != first {
                        cell(row, last);
                    }
                    numbers += d.len().saturating_sub(6) / 6;
                    if any_format {
                        xls_numbers(typ, d, &mut number);
                    }
                }
                0x01B0 if biff8 => conditionals.header(d),
                0x01B1 if biff8 => conditionals.rule(d, judge_index, judge_code),
                _ => {}
            }
        }
        conditionals.bound_work(numbers);
        if !conditionals.is_empty() {
            // Conditional formats come after the cells: a second walk finds the numbers they
            // may show otherwise.
            let (mut seen_bof, mut depth) = (false, 0usize);
            for (typ, d) in xls_records(sheet) {
                match typ {
                    0x0809 if !seen_bof => seen_bof = true,
                    0x0809 => depth += 1,
                    0x000A if depth == 0 => break,
                    0x000A => depth -= 1,
                    _ if depth > 0 => {}
                    _ => xls_numbers(typ, d, &mut |r, c, xf, v| {
                        if shown.len() > MAX_MERGES {
                            return;
                        }
                        let cell = colours.of_style(xf as usize);
                        for look in conditionals.looks((r, c), v, &cell, |icv| colours.colour(icv), is_1904) {
                            shown.push((r, c, grid::Refusal::Look(look)));
                        }
                    }),
                }
            }
        }
        if !in_order {
            cells_seen.sort_unstable();
            duplicate = cells_seen.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
        }
        if let Some((r, c)) = duplicate {
            let a1 = grid::a1(r, c);
            return Err(ImportError::new(
                file,
                ErrorKind::Syntax,
                None,
                format!("xls 工作表中单元格 {a1} 出现了两次，无法确定应读取哪一个值：请在 Excel 或 WPS 中另存后再导入"),
                format!(
                    "cell {a1} appears twice in an xls sheet, so which value is meant cannot be told: save the file again in Excel or WPS and import it"
                ),
            ));
        }
        if shown.len() > MAX_MERGES {
            return Err(ImportError::new(
                file,
                ErrorKind::Limit,
                None,
                format!(
                    "xls 工作表中使用百分比、日期等会改变数值显示的格式的数值单元格超过 {MAX_MERGES} 个：请将表格的单元格格式改为“常规”或“数值”后再导入"
                ),
                format!(
                    "an xls sheet has over {MAX_MERGES} number cells in a format that shows numbers otherwise (a percentage, a date): set the cells' format to General or Number and import again"
                ),
            ));
        }
        if !shown.is_empty()
            && let Some(Some(name)) = names.get(index)
        {
            shown_by_sheet.push((name.clone(), shown));
        }
        let extent = if rows.0 <= rows.1 {
            u64::from(rows.1 - rows.0 + 1).saturating_mul(u64::from(cols.1 - cols.0 + 1))
        } else {
            0
        };
        let cells = extent.max(reserved);
        if cells > opts.max_cells {
            return Err(exceeded(
                file,
                None,
                "xls 工作表声明或占用的单元格范围（行数×列数）",
                "the cell range an xls sheet declares or spans (rows × columns)",
                cells,
                opts.max_cells,
                "--max-cells",
            ));
        }
    }
    Ok(shown_by_sheet)
}

/// Each number of a cell record (NUMBER, RK, MULRK, a FORMULA's number result) as (row, column,
/// cell style, value).
fn xls_numbers(typ: u16, d: &[u8], number: &mut impl FnMut(u32, u32, u32, f64)) {
    let u16_at = |at: usize| {
        d.get(at..at + 2)
            .map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let f64_at = |at: usize| {
        d.get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(f64::from_le_bytes)
    };
    let (r, c, xf) = (u16_at(0), u16_at(2), u16_at(4));
    match typ {
        0x0203 => {
            if let Some(v) = f64_at(6) {
                number(r, c, xf, v);
            }
        }
        0x027E if d.len() >= 10 => number(r, c, xf, rk_value(u16_at(6) | u16_at(8) << 16)),
        // A formula's number result (a text, truth value or error ends in FFFF).
        0x0006 if d.get(12..14) != Some(&[0xFF, 0xFF][..]) => {
            if let Some(v) = f64_at(6) {
                number(r, c, xf, v);
            }
        }
        // Each cell: a style and an RK value, 6 bytes, from byte 4; the last column after them.
        0x00BD if d.len() >= 6 => {
            for (k, rec) in d.get(4..d.len() - 2).unwrap_or_default().chunks_exact(6).enumerate() {
                let xf = u32::from(u16::from_le_bytes([rec[0], rec[1]]));
                let rk = u32::from_le_bytes([rec[2], rec[3], rec[4], rec[5]]);
                number(r, c.saturating_add(k as u32), xf, rk_value(rk));
            }
        }
        _ => {}
    }
}

/// The number cells of an xls file shown otherwise than stored, by sheet name: (row, column, how).
type XlsShown = Vec<(String, Vec<(u32, u32, grid::Refusal)>)>;

/// The colours of a BIFF8 workbook's fonts and cell styles (MS-XLS 2.4.122 FONT, 2.4.353 XF,
/// 2.4.188 PALETTE), to find the styles whose font is coloured as their background.
#[derive(Default)]
struct XlsColours {
    /// Each FONT record's colour index, in order.
    fonts: Vec<u16>,
    /// Each XF record's font index, fill pattern and fill colour index.
    xfs: Vec<(u16, u8, u16)>,
    /// The workbook's palette (colour indexes 8 onwards), where it has one.
    palette: Vec<crate::looks::Rgb>,
}

impl XlsColours {
    fn font(&mut self, icv: u16) {
        self.fonts.push(icv);
    }

    fn xf(&mut self, biff8: bool, d: &[u8]) {
        if !biff8 || d.len() < 20 {
            self.xfs.push((u16::MAX, 0, 0));
            return;
        }
        let ifnt = u16::from_le_bytes([d[0], d[1]]);
        let fls = (u32::from_le_bytes([d[14], d[15], d[16], d[17]]) >> 26) as u8;
        let icv_fore = u16::from_le_bytes([d[18], d[19]]) & 0x7F;
        self.xfs.push((ifnt, fls, icv_fore));
    }

    fn palette(&mut self, d: &[u8]) {
        let count = d.get(..2).map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
        self.palette = d
            .get(2..)
            .unwrap_or_default()
            .chunks_exact(4)
            .take(count.min(56))
            .map(|c| [c[0], c[1], c[2]])
            .collect();
    }

    /// A colour index as a colour, where it can be told: the eight fixed colours, the palette's
    /// where the workbook has one (its first eight entries repeat the fixed ones otherwise),
    /// and the system's text (black) and window (white) colours.
    fn colour(&self, icv: u16) -> Option<crate::looks::Rgb> {
        const FIXED: [crate::looks::Rgb; 8] = [
            [0, 0, 0],
            [255, 255, 255],
            [255, 0, 0],
            [0, 255, 0],
            [0, 0, 255],
            [255, 255, 0],
            [255, 0, 255],
            [0, 255, 255],
        ];
        match icv {
            0..=7 => Some(FIXED[usize::from(icv)]),
            8..=63 => match self.palette.get(usize::from(icv - 8)) {
                Some(c) => Some(*c),
                None if icv < 16 => Some(FIXED[usize::from(icv - 8)]),
                None => None,
            },
            0x40 | 0x7FFF => Some([0, 0, 0]),
            0x41 => Some([255, 255, 255]),
            _ => None,
        }
    }

    /// For each cell style (by XF index), its font and background colours where the font
    /// cannot be seen: no fill is white, a solid fill is its colour; other patterns are not
    /// judged.
    fn unseen(&self) -> Vec<Option<(crate::looks::Rgb, crate::looks::Rgb)>> {
        (0..self.xfs.len())
            .map(|xf| {
                let crate::xls_conditional::CellColours { font, background } = self.of_style(xf);
                let (font, background) = (font?, background?);
                crate::looks::unseen(font, background).then_some((font, background))
            })
            .collect()
    }

    /// A cell style's font colour and background, where they can be told.
    fn of_style(&self, xf: usize) -> crate::xls_conditional::CellColours {
        let Some(&(ifnt, fls, icv_fore)) = self.xfs.get(xf) else {
            return crate::xls_conditional::CellColours {
                font: None,
                background: None,
            };
        };
        // Font index 4 is never written: the fifth FONT record is font 5.
        let record = if ifnt >= 4 { ifnt.checked_sub(1) } else { Some(ifnt) };
        let font = record
            .and_then(|r| self.fonts.get(usize::from(r)))
            .and_then(|icv| self.colour(*icv));
        let background = match fls {
            0 => Some([255, 255, 255]),
            1 => self.colour(icv_fore),
            _ => None,
        };
        crate::xls_conditional::CellColours { font, background }
    }
}

/// The number of an RK value (MS-XLS 2.5.217): a 30-bit integer or the high bits of a double,
/// divided by 100 when its flag says so.
fn rk_value(rk: u32) -> f64 {
    let v = if rk & 2 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 1 != 0 { v / 100.0 } else { v }
}

/// A BIFF8 string: its length (a byte when `long` is false, else two), a flag byte (bit 0: two
/// bytes a character), then its characters; none when the data ends first.
pub(crate) fn xls_string(d: &[u8], long: bool) -> Option<String> {
    let (cch, rest) = if long {
        (usize::from(u16::from_le_bytes([*d.first()?, *d.get(1)?])), d.get(2..)?)
    } else {
        (usize::from(*d.first()?), d.get(1..)?)
    };
    let (flags, chars) = (*rest.first()?, rest.get(1..)?);
    if flags & 1 != 0 {
        let units: Vec<u16> = chars
            .get(..cch * 2)?
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(chars.get(..cch)?.iter().map(|&b| char::from(b)).collect())
    }
}

/// Whether a compound file names an `EncryptedPackage` stream (UTF-16 in its directory): the
/// container Excel and WPS put a password-protected workbook in.
fn is_encrypted_container(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// The length (in characters, as declared) of each string of an xls stream's shared-string table
/// (`SST` and its `CONTINUE` records), walked as calamine's `parse_sst` reads it: a string's
/// characters may go on in the next `CONTINUE` record, which then starts with its own flag byte.
/// Where calamine would stop with an error, the walk stops too.
fn xls_string_lengths(stream: &[u8]) -> Vec<u16> {
    // The globals' records up to the first EOF, each with the CONTINUE records after it.
    let mut rest = stream;
    let mut segments: Vec<&[u8]> = Vec::new();
    while rest.len() >= 4 {
        let typ = u16::from_le_bytes([rest[0], rest[1]]);
        let len = usize::from(u16::from_le_bytes([rest[2], rest[3]]));
        let Some(data) = rest.get(4..4 + len) else {
            break;
        };
        rest = &rest[4 + len..];
        match typ {
            0x00FC => segments = vec![data.get(8..).unwrap_or_default()],
            0x003C if !segments.is_empty() => segments.push(data),
            0x000A => break,
            _ if !segments.is_empty() => break,
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut segs = segments.into_iter();
    let Some(mut cur) = segs.next() else {
        return out;
    };
    loop {
        if cur.is_empty() {
            match segs.next() {
                Some(s) => cur = s,
                None => return out,
            }
            continue;
        }
        if cur.len() < 3 {
            return out;
        }
        let cch = u16::from_le_bytes([cur[0], cur[1]]);
        let flags = cur[2];
        cur = &cur[3..];
        let mut runs = 0usize;
        if flags & 0x8 != 0 {
            let Some(b) = cur.get(..2) else { return out };
            runs = usize::from(u16::from_le_bytes([b[0], b[1]]));
            cur = &cur[2..];
        }
        let mut ext = 0usize;
        if flags & 0x4 != 0 {
            let Some(b) = cur.get(..4) else { return out };
            ext = i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
            cur = &cur[4..];
        }
        let (mut left, mut wide) = (usize::from(cch), flags & 1 != 0);
        while left > 0 {
            let l = if wide {
                (cur.len() / 2).min(left)
            } else {
                cur.len().min(left)
            };
            cur = &cur[l * if wide { 2 } else { 1 }..];
            left -= l;
            if left > 0 {
                match segs.next() {
                    Some(s) if !s.is_empty() => {
                        wide = s[0] & 1 != 0;
                        cur = &s[1..];
                    }
                    _ => return out,
                }
            }
        }
        out.push(cch);
        if !skip_across(&mut cur, &mut segs, runs.saturating_mul(4)) || !skip_across(&mut cur, &mut segs, ext) {
            return out;
        }
    }
}

/// Skips `n` bytes across the segments of a record and its CONTINUE records; false when the data
/// ends first.
fn skip_across<'a>(cur: &mut &'a [u8], segs: &mut std::vec::IntoIter<&'a [u8]>, mut n: usize) -> bool {
    while n > 0 {
        if cur.is_empty() {
            match segs.next() {
                Some(s) => *cur = s,
                None => return false,
            }
        }
        let l = n.min(cur.len());
        *cur = &cur[l..];
        n -= l;
    }
    true
}

/// The records of an xls stream as calamine's reader splits them: (type, data), with the
/// `CONTINUE` records that follow one skipped. Stops where a record would run past the end.
fn xls_records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        loop {
            let typ = u16::from_le_bytes([*rest.first()?, *rest.get(1)?]);
            let len = usize::from(u16::from_le_bytes([*rest.get(2)?, *rest.get(3)?]));
            let data = rest.get(4..4 + len)?;
            rest = &rest[4 + len..];
            if typ != 0x003C {
                return Some((typ, data));
            }
        }
    })
}

fn encrypted(file: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Format,
        None,
        "工作簿设置了打开密码（已加密），无法读取：请在 Excel 或 WPS 中取消密码后另存，再导入",
        "the workbook is password-protected (encrypted) and cannot be read: remove the password in Excel or WPS, save, and import again",
    )
}

fn broken(file: &str, kind: &str, detail: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Syntax,
        None,
        format!("无法读取工作簿（{kind} 文件损坏或不完整）：{detail}"),
        format!("cannot read the workbook (damaged or incomplete {kind} file): {detail}"),
    )
}

/// The cells of a sheet whose text is blank (`""`, spaces), which the grid does not keep: a cell
/// written twice, once blank and once with a value, is as ambiguous as any other (the reach
/// report of `xlsx_gen` found ` ` then `80` read as 80).
#[derive(Default)]
struct BlankCells(rustc_hash::FxHashSet<(u32, u32)>);

impl BlankCells {
    /// False when (`row`, `col`) was blank before; records it when `text` is blank.
    fn first(&mut self, row: u32, col: u32, text: &str) -> bool {
        if self.0.contains(&(row, col)) {
            return false;
        }
        if text.trim().is_empty() {
            self.0.insert((row, col));
        }
        true
    }
}

/// A cell written twice in a sheet: which of its values is meant cannot be told.
fn duplicate_cell(file: &str, sheet: &str, row: u32, col: u32) -> ImportError {
    let a1 = grid::a1(row, col);
    ImportError::new(
        file,
        ErrorKind::Syntax,
        Some(xxgk_model::Location::sheet_cell(sheet, a1.clone())),
        format!("单元格 {a1} 在工作表中出现了两次，无法确定应读取哪一个值：请在 Excel 或 WPS 中另存后再导入"),
        format!(
            "cell {a1} appears twice in the sheet, so which value is meant cannot be told: save the file again in Excel or WPS and import it"
        ),
    )
}

fn sheet_error(file: &str, sheet: &str, detail: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Syntax,
        Some(xxgk_model::Location {
            sheet: Some(sheet.to_string()),
            ..Default::default()
        }),
        format!("无法读取工作表“{sheet}”：{detail}"),
        format!("cannot read sheet “{sheet}”: {detail}"),
    )
}

/// A sheet calamine could not read: the cell that stops it is named where it can be found (the
/// sheet's XML is at hand for the sheets laid out the common way), else the sheet.
fn cell_error(
    file: &str,
    sheet: &str,
    e: &XlsxError,
    quick: Option<&XlsxMerges<'_>>,
    strings: Option<u64>,
) -> ImportError {
    let found = quick
        .and_then(XlsxMerges::last_part)
        .and_then(|(_, xml)| unreadable_cell(xml, strings));
    match found {
        Some((cell, zh, en)) => ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(xxgk_model::Location::sheet_cell(sheet, cell)),
            zh,
            en,
        ),
        None => sheet_error(file, sheet, &e.to_string()),
    }
}

/// The first cell of a sheet's XML that calamine cannot read, with why, walked as calamine's
/// cell reader walks it: an address (`r`) of a row or cell that is not a plain `A1` address
/// (`$B$5`), or a shared-string index past the table of `strings` strings. A cell is named by
/// its address, or where calamine would place it when its address cannot be read.
fn unreadable_cell(xml: &[u8], strings: Option<u64>) -> Option<(String, String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let (mut row, mut col) = (0u32, 0u32);
    let (mut cell, mut shared, mut value) = (String::new(), false, None::<String>);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "row" => {
                let r = e.attributes().flatten().find(|a| a.key.as_ref() == "r");
                if let Some(r) = r {
                    let r = r.value.to_string();
                    match r.parse::<u32>().ok().and_then(|n| n.checked_sub(1)) {
                        Some(n) if !r.starts_with('+') => row = n,
                        _ => {
                            return Some((
                                grid::a1(row, 0),
                                format!("行号写作“{r}”，不是正整数，无法确定该行各单元格的位置"),
                                format!(
                                    "a row number is written “{r}”, not a positive whole number: where its cells are cannot be told"
                                ),
                            ));
                        }
                    }
                }
                col = 0;
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                row = row.saturating_add(1);
                col = 0;
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                shared = false;
                let mut written = None;
                for a in e.attributes().flatten() {
                    match a.key.as_ref() {
                        "r" => written = Some(a.value.to_string()),
                        "t" => shared = a.value.as_ref() == "s",
                        _ => {}
                    }
                }
                if let Some(r) = written {
                    match calamine_address(&r) {
                        Some((r0, c0)) => (row, col) = (r0, c0),
                        None => {
                            // `$B$5` names B5; otherwise the cell is named where calamine would
                            // have placed it had it no address.
                            let at = calamine_address(&r.replace('$', ""))
                                .map_or_else(|| grid::a1(row, col), |(r0, c0)| grid::a1(r0, c0));
                            return Some((
                                at,
                                format!(
                                    "单元格地址写作“{r}”，不是工作表单元格地址应有的“A1”形式，无法读取：请在 Excel 或 WPS 中另存后再导入"
                                ),
                                format!(
                                    "a cell's address is written “{r}”, not in the “A1” form of a sheet's cell addresses, so it cannot be read; save the file again in Excel or WPS and import it"
                                ),
                            ));
                        }
                    }
                }
                cell = grid::a1(row, col);
                col = col.saturating_add(1);
            }
            Event::Start(e) if e.local_name().as_ref() == "v" => value = Some(String::new()),
            Event::Text(t) => {
                if let Some(v) = value.as_mut() {
                    v.push_str(&t);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "v" => {
                let v = value.take().unwrap_or_default();
                if let (true, Some(n), Ok(i)) = (shared, strings, v.parse::<u64>())
                    && i >= n
                {
                    return Some((
                        cell.clone(),
                        format!("共享字符串单元格的序号 {i} 超出了共享字符串表（共 {n} 项），无法确定其文字"),
                        format!(
                            "the shared-string index {i} is past the shared-string table ({n} strings): the cell's text cannot be told"
                        ),
                    ));
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A cell address as calamine reads it: letters (either case), then digits, row and column
/// from 1; none where calamine fails.
fn calamine_address(r: &str) -> Option<(u32, u32)> {
    let letters = r.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = r.split_at(letters);
    if letters == 0 || row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = col.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    Some((row.parse::<u32>().ok()?.checked_sub(1)?, col - 1))
}

/// Counts cells and checks where they are against the limits, for every reader.
struct Budget<'a> {
    file: &'a str,
    opts: &'a ImportOptions,
    cells: u64,
    /// Characters of all cell texts admitted so far.
    chars: u64,
}

impl<'a> Budget<'a> {
    fn new(file: &'a str, opts: &'a ImportOptions) -> Self {
        Budget {
            file,
            opts,
            cells: 0,
            chars: 0,
        }
    }

    /// Refuses a workbook with more sheets than the limit.
    fn sheets(&self, n: usize) -> Result<(), ImportError> {
        if n > self.opts.max_sheets {
            return Err(exceeded(
                self.file,
                None,
                "工作表个数",
                "the number of sheets",
                n,
                self.opts.max_sheets,
                "--max-sheets",
            ));
        }
        Ok(())
    }

    /// Admits one non-empty cell at (row, col) of `sheet` holding `text`, before its text is
    /// copied into the grid.
    fn cell(&mut self, sheet: &str, row: u32, col: u32, text: &str) -> Result<(), ImportError> {
        let at = || Some(xxgk_model::Location::sheet_cell(sheet, grid::a1(row, col)));
        self.cells += 1;
        if self.cells > self.opts.max_cells {
            return Err(exceeded(
                self.file,
                None,
                "工作簿的非空单元格个数",
                "the number of non-empty cells in the workbook",
                format!("> {}", self.opts.max_cells),
                self.opts.max_cells,
                "--max-cells",
            ));
        }
        if row >= self.opts.max_rows {
            return Err(exceeded(
                self.file,
                at(),
                "单元格所在行号",
                "the cell's row number",
                u64::from(row) + 1,
                self.opts.max_rows,
                "--max-rows",
            ));
        }
        if col >= self.opts.max_columns {
            return Err(exceeded(
                self.file,
                at(),
                "单元格所在列号",
                "the cell's column number",
                u64::from(col) + 1,
                self.opts.max_columns,
                "--max-columns",
            ));
        }
        check_cell_text(self.file, text, at, self.opts)?;
        self.chars = self.chars.saturating_add(text.chars().count() as u64);
        if self.chars > self.opts.max_total_chars {
            return Err(total_text(
                self.file,
                at(),
                format!("> {}", self.opts.max_total_chars),
                self.opts,
            ));
        }
        Ok(())
    }
}

fn add_merges(grid: &mut Grid, merges: Vec<Dimensions>) {
    for d in merges.into_iter().take(MAX_MERGES + 1) {
        grid.add_merge(Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        });
    }
}

/// Refuses a sheet with more merged regions than are read, or regions past the grid's limits:
/// dropping some would change what the other cells read.
fn check_merges(file: &str, grid: &Grid) -> Result<(), ImportError> {
    let n = grid.merge_count();
    if n <= MAX_MERGES && grid.dropped_merges() == 0 {
        return Ok(());
    }
    let sheet = grid.name();
    Err(ImportError::new(
        file,
        ErrorKind::Limit,
        Some(xxgk_model::Location {
            sheet: Some(sheet.to_string()),
            ..Default::default()
        }),
        format!(
            "工作表“{sheet}”的合并单元格过多或过大（超过 {MAX_MERGES} 个合并区域，或合计覆盖超过 2,000,000 个单元格）：请取消表格以外的合并后再导入"
        ),
        format!(
            "sheet “{sheet}” has too many or too large merged regions (over {MAX_MERGES} regions, or over 2,000,000 cells covered): unmerge the cells outside the tables and import again"
        ),
    ))
}

fn xlsx_grids(
    file: &str,
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    mut quick_merges: Option<XlsxMerges<'_>>,
    (shown, strings): (&ShownStrings, Option<u64>),
    opts: &ImportOptions,
) -> Result<(Vec<Grid>, Vec<Outcome>), ImportError> {
    let mut grids = Vec::new();
    let mut formulas = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(xlsx.sheet_names().len())?;
    let check_stored = quick_merges.as_ref().is_some_and(XlsxMerges::recalculate_on_load);
    let is_1904 = xlsx.has_1904_epoch();
    let mut formats: Option<XfFormats> = None;
    for name in xlsx.sheet_names() {
        let mut grid = Grid::sheet(&name);
        // Formulas are read only where one may lack its stored result, or where stored results
        // are checked and the sheet may hold one (or where that is not known).
        let mut read_formulas = true;
        let merges = quick_merges.as_mut().and_then(|m| m.sheet(&name, MAX_MERGES + 1));
        // The cells whose shared string reads otherwise than shown, given their shown text below.
        let mut restyled = Vec::new();
        if let Some((part, xml)) = quick_merges.as_ref().and_then(XlsxMerges::last_part) {
            restyled = check_string_refs_in(file, part, Some(&name), xml, shown)?;
        }
        let merges_read_here = merges.is_some();
        match merges {
            Some(merges) => {
                merges.into_iter().for_each(|m| grid.add_merge(m));
                let quick = quick_merges.as_ref();
                read_formulas = (check_stored && quick.is_none_or(XlsxMerges::any_formulas))
                    || quick.is_none_or(XlsxMerges::formulas_without_values);
            }
            None => {
                let merges = xlsx
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
                add_merges(&mut grid, merges);
            }
        }
        check_merges(file, &grid)?;
        if merges_read_here {
            // Conditional formats that may show a number otherwise, over their ranges.
            let looks = quick_merges.as_mut().and_then(|m| m.conditional_looks(is_1904));
            for (region, look) in looks.into_iter().flatten() {
                grid.refuse_region(region, grid::Refusal::Look(look));
            }
        }
        let mut blanks = BlankCells::default();
        // Streamed: only cells that exist in the file are visited, whatever the sheet's extent.
        // Formulas are noted only where a cell has no stored result.
        let mut reader = xlsx
            .worksheet_cells_reader(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        // The workbook's number formats, judged once (the palette is the workbook's).
        let formats = formats.get_or_insert_with(|| XfFormats::of(reader.styles(), is_1904));
        // Values are kept as the sheet streams where formulas may be computed from them: a sheet
        // read with its formulas, or any sheet of a workbook whose stored results are checked
        // (read again otherwise, when another sheet's formula is computed).
        let mut pending = if read_formulas || check_stored {
            formula::XlsxSheetFormulas::with_values(check_stored)
        } else {
            formula::XlsxSheetFormulas::new(check_stored)
        };
        if read_formulas {
            while let Some(cell) = reader
                .next_cell_with_formula_metadata()
                .map_err(|e| cell_error(file, &name, &e, quick_merges.as_ref(), strings))?
            {
                let (r, c) = cell.pos;
                pending.value(cell.pos, &cell.value);
                match ref_text(&cell.value) {
                    Some(text) => {
                        if grid.has(r, c) || !blanks.first(r, c, &text) {
                            return Err(duplicate_cell(file, &name, r, c));
                        }
                        budget.cell(&name, r, c, &text)?;
                        grid.set(r, c, text.into_owned(), None);
                        pending.note(cell.pos, false, cell.formula);
                    }
                    None => pending.note(cell.pos, true, cell.formula),
                }
            }
        } else {
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| cell_error(file, &name, &e, quick_merges.as_ref(), strings))?
            {
                let (r, c) = cell.get_position();
                pending.value((r, c), cell.get_value());
                if let Some(text) = ref_text(cell.get_value()) {
                    if grid.has(r, c) || !blanks.first(r, c, &text) {
                        return Err(duplicate_cell(file, &name, r, c));
                    }
                    budget.cell(&name, r, c, &text)?;
                    grid.set(r, c, text.into_owned(), None);
                    formats.mark(&mut grid, (r, c), style, cell.get_value());
                }
            }
        }
        if read_formulas && formats.any {
            // The formula reader gives no style: the sheet is read once more for them, only in a
            // workbook with a format that may show a number otherwise than stored.
            drop(reader);
            let mut reader = xlsx
                .worksheet_cells_reader(&name)
                .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| sheet_error(file, &name, &e.to_string()))?
            {
                formats.mark(&mut grid, cell.get_position(), style, cell.get_value());
            }
        }
        for (cell, text) in restyled {
            if let Some((r, c)) = grid::a1_position(&cell) {
                grid.set(r, c, text, None);
            }
        }
        grids.push(grid);
        formulas.push(pending);
    }
    let outcomes = formula::complete_xlsx(file, xlsx, &mut grids, formulas)?;
    Ok((grids, outcomes))
}

/// The number formats and colours of a workbook's cell styles (xf records), judged once each:
/// for a style whose format may show a number otherwise than stored
/// ([`crate::number_format`]), or whose font cannot be seen on its background, what does so;
/// none for the plain ones, so that a plain cell costs one look-up.
struct XfFormats {
    looks: Vec<Option<XfLook>>,
    /// Whether any style may show a number otherwise.
    any: bool,
    is_1904: bool,
}

/// What a cell style may do to the number shown.
struct XfLook {
    format: Option<std::sync::Arc<crate::number_format::Judged>>,
    /// The font's and background's colours, where the font cannot be seen.
    unseen: Option<(crate::looks::Rgb, crate::looks::Rgb)>,
}

impl XfFormats {
    fn of(styles: &[calamine::Style], is_1904: bool) -> Self {
        type Judged = Option<std::sync::Arc<crate::number_format::Judged>>;
        /// A style's format judged, once per format code.
        fn format_of<'s>(judged: &mut rustc_hash::FxHashMap<&'s str, Judged>, style: &'s calamine::Style) -> Judged {
            let format = style.number_format.as_ref()?;
            let code = match format.format_id {
                // The East Asian built-in formats (dates and times in Chinese locales), which
                // calamine names General: their codes depend on the locale.
                Some(id @ (27..=36 | 50..=58)) if format.format_code == "General" => {
                    let code = format!("yyyy\"年\"m\"月\"d\"日\" [numFmtId={id}]");
                    return crate::number_format::Judged::of(&code).map(std::sync::Arc::new);
                }
                _ => format.format_code.as_str(),
            };
            if code == "General" {
                return None;
            }
            judged
                .entry(code)
                .or_insert_with(|| crate::number_format::Judged::of(code).map(std::sync::Arc::new))
                .clone()
        }
        let mut judged = rustc_hash::FxHashMap::default();
        let looks: Vec<Option<XfLook>> = styles
            .iter()
            .map(|style| {
                let look = XfLook {
                    format: format_of(&mut judged, style),
                    unseen: unseen_font(style),
                };
                (look.format.is_some() || look.unseen.is_some()).then_some(look)
            })
            .collect();
        let any = looks.iter().any(Option::is_some);
        XfFormats { looks, any, is_1904 }
    }

    /// Marks the cell at `at` of `grid` when its style shows its number otherwise: its format,
    /// or a font that cannot be seen (a zero so hidden is the blank a reader takes for 0).
    fn mark(&self, grid: &mut Grid, at: (u32, u32), style: usize, value: &DataRef<'_>) {
        let Some(Some(look)) = self.looks.get(style) else {
            return;
        };
        let v = match value {
            DataRef::Float(f) => *f,
            DataRef::Int(i) => *i as f64,
            DataRef::DateTime(d) => d.as_f64(),
            _ => return,
        };
        if let Some(format) = &look.format
            && format.shows_otherwise(v)
        {
            let mark = crate::number_format::Mark::Judged {
                format: std::sync::Arc::clone(format),
                value: v,
                is_1904: self.is_1904,
            };
            grid.refuse(at.0, at.1, crate::grid::Refusal::NumberFormat(mark));
        } else if let Some((font, background)) = look.unseen
            && v != 0.0
        {
            let look = crate::looks::Look::Unseen { font, background };
            grid.refuse(at.0, at.1, crate::grid::Refusal::Look(look));
        }
    }
}

/// The font and background colours of a cell style under which its text cannot be seen: the
/// font's colour (black where none is set) against a solid fill's, or white where there is no
/// fill. Patterned fills are not judged.
fn unseen_font(style: &calamine::Style) -> Option<(crate::looks::Rgb, crate::looks::Rgb)> {
    let rgb = |c: calamine::Color| [c.red, c.green, c.blue];
    let font = style.font.as_ref().and_then(|f| f.color).map_or([0, 0, 0], rgb);
    let background = match &style.fill {
        Some(fill) if fill.pattern == calamine::FillPattern::Solid => rgb(fill.foreground_color?),
        Some(fill) if fill.is_visible() => return None,
        _ => [255, 255, 255],
    };
    crate::looks::unseen(font, background).then_some((font, background))
}

fn xls_grids(
    file: &str,
    xls: &mut Xls<Cursor<&[u8]>>,
    mut shown: XlsShown,
    opts: &ImportOptions,
) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(xls.sheet_names().len())?;
    for name in xls.sheet_names() {
        let mut grid = Grid::sheet(&name);
        let merges = xls
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        add_merges(&mut grid, merges);
        check_merges(file, &grid)?;
        let range = xls
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &name, range, &mut budget)?;
        if let Some(i) = shown.iter().position(|(n, _)| *n == name) {
            for (r, c, why) in shown.swap_remove(i).1 {
                grid.refuse(r, c, why);
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

fn ods_grids(
    file: &str,
    ods: &mut Ods<Cursor<&[u8]>>,
    mut merges: Vec<(String, OdsSheetExtras)>,
    opts: &ImportOptions,
) -> Result<(Vec<Grid>, Vec<Outcome>), ImportError> {
    let mut grids = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(ods.sheet_names().len())?;
    for name in ods.sheet_names() {
        // calamine reads no merge list from ods (and reads a covered cell's value as any
        // other's): the regions come from the measure of `content.xml`, by sheet name.
        let mut grid = Grid::sheet(&name);
        let mut shown = Vec::new();
        if let Some(i) = merges.iter().position(|(n, _)| *n == name) {
            let (_, (list, otherwise)) = merges.swap_remove(i);
            list.into_iter().for_each(|m| grid.add_merge(m));
            check_merges(file, &grid)?;
            shown = otherwise;
        }
        let range = ods
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &name, range, &mut budget)?;
        for (region, why) in shown {
            grid.refuse_region(region, why);
        }
        grids.push(grid);
    }
    let formulas = formula::complete_ods(file, ods, &mut grids)?;
    Ok((grids, formulas))
}

/// Copies the used cells of a range into a grid, within the workbook's limits.
fn fill(
    grid: &mut Grid,
    sheet: &str,
    mut range: calamine::Range<Data>,
    budget: &mut Budget<'_>,
) -> Result<(), ImportError> {
    let Some((r0, c0)) = range.start() else {
        return Ok(());
    };
    let (height, _) = range.get_size();
    for r in 0..height {
        // Each value is moved out of the range, not copied: a text keeps its allocation.
        for (c, v) in range[r].iter_mut().enumerate() {
            if let Some(text) = data_text(std::mem::take(v)) {
                let (row, col) = (
                    r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                    c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
                );
                budget.cell(sheet, row, col, &text)?;
                grid.set(row, col, text, None);
            }
        }
    }
    Ok(())
}

/// The text of a number as the sheet shows it: `12`, `103.3879`.
fn number_text(v: f64) -> String {
    // A whole number (nearly every count) is written as an integer, as `number_from_f64` reads it.
    if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
        return (v as i64).to_string();
    }
    number_from_f64(v).map_or_else(|| format!("{v}"), |n| n.to_string())
}

/// The text of a cell; a shared string is borrowed, so that the budget is checked before it is
/// copied (one long string used by thousands of cells is copied once per cell).
fn ref_text<'a>(v: &'a DataRef<'_>) -> Option<Cow<'a, str>> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        DataRef::Float(f) => Cow::Owned(number_text(*f)),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cow::Borrowed(s.as_str()),
        DataRef::SharedString(s) => Cow::Borrowed(*s),
        DataRef::Bool(b) => Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(d) => Cow::Owned(d.to_string()),
        DataRef::Error(e) => Cow::Owned(e.to_string()),
    })
}

fn data_text(v: Data) -> Option<String> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s,
        Data::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => e.to_string(),
    })
}

/// Refuses an xlsx file whose shared-string table would make calamine allocate past the limits:
/// calamine reads the whole table when the workbook is opened and reserves room for the count
/// its `uniqueCount` declares before it reads one string (10^10 declared in an 18 KB file is a
/// 240 GB reservation), then holds every string. The declared count, the strings (`<si>`) and
/// their text are checked here, streaming, in every part calamine could take for the table.
/// Checks, before calamine opens the workbook, the shared-string table's declared and real
/// counts and the shared-string indexes of every XML part that `sheets` (the common layout's
/// sheet parts, checked as each sheet is read) does not cover.
fn xlsx_guard(
    file: &str,
    bytes: &[u8],
    rebuilt: bool,
    opts: &ImportOptions,
    sheets: Option<&XlsxMerges<'_>>,
) -> Result<(ShownStrings, Option<u64>), ImportError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok((ShownStrings::default(), None));
    };
    let names: Vec<String> = zip.file_names().flatten().map(|n| n.to_string()).collect();
    let mut shown = ShownStrings::default();
    // The strings of the table, when the workbook has exactly one (to name a cell whose index
    // is past it).
    let mut counts = Vec::new();
    let parts = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
    for part in parts {
        let stored = if rebuilt {
            unpacked::stored_part(&mut zip, bytes, part)
        } else {
            None
        };
        match stored {
            Some(xml) => counts.push(check_shared_strings(
                file,
                part,
                xml_events::in_memory(xml),
                opts,
                &mut shown,
            )?),
            None => {
                let Ok(entry) = zip.by_name(part) else {
                    continue;
                };
                let xml = xml_events::streamed(std::io::BufReader::new(entry));
                counts.push(check_shared_strings(file, part, xml, opts, &mut shown)?);
            }
        }
    }
    for part in names.iter().filter(|n| n.to_ascii_lowercase().ends_with(".xml")) {
        let checked_later = sheets.is_some_and(|s| s.has_part(part));
        if !checked_later && !part.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            let restyled = match sheets.and_then(|s| s.kept_part(part)) {
                // Already inflated whole (a relationships part, the workbook, the content types).
                Some(xml) => check_string_refs_in(file, part, None, xml, &shown)?,
                None => match rebuilt.then(|| unpacked::stored_part(&mut zip, bytes, part)).flatten() {
                    Some(xml) => check_string_refs_in(file, part, None, xml, &shown)?,
                    None => check_string_refs(file, &mut zip, part, &shown)?,
                },
            };
            // Only the sheets read the common way get their cells' shown text.
            if let Some((cell, _)) = restyled.first() {
                let sheet = part.rsplit('/').next().unwrap_or(part);
                return Err(ImportError::new(
                    file,
                    ErrorKind::Syntax,
                    Some(xxgk_model::Location::sheet_cell(sheet, cell.as_str())),
                    format!("单元格的文字含上标、下标或删除线数字（{part}），无法可靠读取"),
                    format!(
                        "the cell's text holds raised or struck-through digits ({part}): it cannot be read reliably"
                    ),
                ));
            }
        }
    }
    let count = match counts.as_slice() {
        [] => Some(0),
        [n] => Some(*n),
        _ => None,
    };
    Ok((shown, count))
}

/// Shared strings (by index) whose rich text reads otherwise than shown, with their shown text
/// (see [`RunLook`]): `12` followed by a superscript `1` is `12¹`, not the 121 calamine joins.
type ShownStrings = rustc_hash::FxHashMap<usize, String>;

/// Refuses a shared-string table that declares (`uniqueCount`) or holds more strings than
/// [`ImportOptions::max_cells`], or more text than [`ImportOptions::max_total_chars`], as it
/// streams: calamine reserves room for the declared count before it reads any string.
fn check_shared_strings<'a>(
    file: &str,
    part: &str,
    mut xml: impl xml_events::Events<'a>,
    opts: &ImportOptions,
    shown: &mut ShownStrings,
) -> Result<u64, ImportError> {
    use quick_xml::events::Event;
    let (mut strings, mut chars) = (0u64, 0u64);
    // The string being read, as shown.
    let mut rich = RichText::default();
    let too_many = |found: String| {
        exceeded(
            file,
            None,
            &format!("共享字符串表（{part}）中的字符串个数"),
            &format!("the number of strings in the shared-string table ({part})"),
            found,
            opts.max_cells,
            "--max-cells",
        )
    };
    // A damaged part is left to calamine, which reports it with its own detail.
    while let Ok(event) = xml.next() {
        match event {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                let declared = e.attributes().flatten().find(|a| a.key.as_ref() == "uniqueCount");
                if let Some(a) = declared {
                    let v = a.value.to_string();
                    let digits = v.trim().trim_start_matches('+');
                    if !digits.is_empty()
                        && digits.bytes().all(|b| b.is_ascii_digit())
                        && digits.parse::<u64>().map_or(true, |n| n > opts.max_cells)
                    {
                        return Err(ImportError::new(
                            file,
                            ErrorKind::Limit,
                            None,
                            format!(
                                "共享字符串表（{part}）声明的字符串个数（uniqueCount）为 {v}，超过上限 {}（如确属正常，可用 --max-cells 调高上限）",
                                opts.max_cells
                            ),
                            format!(
                                "the shared-string table ({part}) declares {v} strings (uniqueCount), over the limit of {} (raise it with --max-cells if the file is genuine)",
                                opts.max_cells
                            ),
                        ));
                    }
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                strings += 1;
                if strings > opts.max_cells {
                    return Err(too_many(format!("> {}", opts.max_cells)));
                }
                rich.begin();
            }
            Event::End(e) if e.local_name().as_ref() == "si" => {
                if rich.changed
                    && let Ok(index) = usize::try_from(strings - 1)
                {
                    shown.insert(index, rich.text.clone());
                }
            }
            // Empty elements come as a start and an end (`expand_empty_elements`).
            Event::Start(e) => rich.start(&e, false),
            Event::End(e) => rich.end(e.local_name().as_ref()),
            Event::Text(t) => {
                chars = chars.saturating_add(t.as_ref().chars().count() as u64);
                if chars > opts.max_total_chars {
                    return Err(total_text(file, None, format!("> {}", opts.max_total_chars), opts));
                }
                rich.text(&t);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(strings)
}

/// Refuses a sheet cell of type shared string (`t="s"`) whose index is not a number, or is one
/// too large for a `usize`: calamine reads any such index (`-1`, `abc`, `99999999999999999999`)
/// as 0, the first string of the table, silently. Every XML
/// part of the container is looked at (streaming), so that a sheet at an unusual place is too.
fn check_string_refs(
    file: &str,
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    part: &str,
    shown: &ShownStrings,
) -> Result<Vec<(String, String)>, ImportError> {
    use std::io::Read;
    let Ok(entry) = zip.by_name(part) else {
        return Ok(Vec::new());
    };
    let mut bytes = Vec::new();
    if entry.take(MAX_ODS_CONTENT).read_to_end(&mut bytes).is_err() {
        // A part that cannot be inflated is left to calamine, which reports it.
        return Ok(Vec::new());
    }
    check_string_refs_in(file, part, None, &bytes, shown)
}

/// [`check_string_refs`] on a part already inflated; `sheet` names the sheet in messages (the
/// part's file name when it is not known). Returns the cells (A1, text as shown) whose rich
/// text reads otherwise than shown: a shared string of `shown`, or an inline string with a
/// raised or struck-through run.
///
/// The same pass refuses the other cell values calamine reads as something the XML does not
/// say: a value holding a comment, CDATA or a processing instruction (`<v>1<!--x-->2</v>` is
/// “12”, calamine reads 1), a character reference in a value that is not text (`<v>&#50;</v>`,
/// which calamine leaves out), and a second value in one cell (calamine keeps the last).
fn check_string_refs_in(
    file: &str,
    part: &str,
    sheet: Option<&str>,
    bytes: &[u8],
    shown: &ShownStrings,
) -> Result<Vec<(String, String)>, ImportError> {
    use quick_xml::events::Event;
    let mut restyled = Vec::new();
    // Run properties (`rPr`) are only found in a sheet in the runs of inline rich text.
    static RUN_PROPERTIES: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"rPr"));
    if shown.is_empty() && only_plain_values(bytes) && RUN_PROPERTIES.find(bytes).is_none() {
        return Ok(restyled);
    }
    let sheet = sheet.unwrap_or_else(|| part.rsplit('/').next().unwrap_or(part));
    let refuse = |cell: &str, zh: String, en: String| {
        ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(xxgk_model::Location::sheet_cell(sheet, cell)),
            zh,
            en,
        )
    };
    let mut xml = quick_xml::Reader::from_reader(bytes);
    xml.config_mut().check_end_names = false;
    // Events borrow from the part (no copy into a buffer); one String holds each cell's reference.
    let (mut cell, mut shared, mut text, mut value) = (String::new(), false, false, None::<String>);
    // A cell typed a number (`t="n"`), whose value calamine must parse as a float or refuse the
    // sheet (an untyped value that is no number it reads as text, which the rules report).
    let mut number = false;
    // An inline string being read, as shown.
    let (mut inline, mut rich) = (false, RichText::default());
    let mut values_in_cell = 0u32;
    loop {
        let Ok(event) = xml.read_event() else {
            // A damaged part is left to calamine, which reports it with its own detail.
            return Ok(restyled);
        };
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "c" => {
                cell.clear();
                (shared, text, number, values_in_cell) = (false, false, false, 0);
                for a in e.attributes().flatten() {
                    match a.key.as_ref() {
                        "r" => {
                            cell.clear();
                            cell.push_str(&a.value);
                        }
                        "t" => {
                            shared = a.value.as_ref() == "s";
                            // A formula's text result, an inline string: text, where a reference is a character.
                            text = matches!(a.value.as_ref(), "str" | "inlineStr");
                            number = a.value.as_ref() == "n";
                        }
                        _ => {}
                    }
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == "v" => {
                values_in_cell += 1;
                if values_in_cell > 1 {
                    return Err(refuse(
                        &cell,
                        format!("单元格有不止一个值（{part}），无法确定取哪一个"),
                        format!("the cell has more than one value ({part}): which one is meant cannot be told"),
                    ));
                }
                if matches!(event, Event::Start(_)) {
                    value = Some(String::new());
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "is" => {
                inline = true;
                rich.begin();
            }
            Event::End(e) if e.local_name().as_ref() == "is" => {
                inline = false;
                if rich.changed {
                    restyled.push((cell.clone(), std::mem::take(&mut rich.text)));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) if inline => rich.start(e, matches!(event, Event::Empty(_))),
            Event::End(e) if inline => rich.end(e.local_name().as_ref()),
            Event::Text(t) if inline => rich.text(&t),
            Event::Comment(_) | Event::CData(_) | Event::PI(_) if value.is_some() => {
                return Err(refuse(
                    &cell,
                    format!("单元格的值中夹有注释、CDATA 或处理指令（{part}），无法可靠读取"),
                    format!(
                        "the cell's value holds a comment, CDATA or a processing instruction ({part}): it cannot be read reliably"
                    ),
                ));
            }
            Event::Text(t) => {
                if let Some(v) = value.as_mut() {
                    v.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(v) = value.as_mut() {
                    if !text {
                        return Err(refuse(
                            &cell,
                            format!("单元格的值以字符引用写成（“&{};”，{part}），无法可靠读取", &*r),
                            format!(
                                "the cell's value is written with a character reference (“&{};”, {part}): it cannot be read reliably",
                                &*r
                            ),
                        ));
                    }
                    v.push('&');
                    v.push_str(&r);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "v" => {
                let v = value.take();
                if let Some(v) = &v
                    && number
                    && v.parse::<f64>().is_err()
                {
                    // calamine would refuse the whole sheet without saying which cell.
                    return Err(refuse(
                        &cell,
                        format!("数值单元格的值 “{v}” 不是数字（{part}）"),
                        format!("the number cell's value “{v}” is not a number ({part})"),
                    ));
                }
                if let Some(v) = v
                    && shared
                {
                    // Untrimmed, as calamine parses it: “ 1” is read as string 0 there too. Its
                    // parser skips leading zeros and gives 0 for a number past `usize`, as
                    // `parse::<usize>` fails for it.
                    let v = v.as_str();
                    if !v.is_empty() && (!v.bytes().all(|b| b.is_ascii_digit()) || v.parse::<usize>().is_err()) {
                        return Err(refuse(
                            &cell,
                            format!("共享字符串单元格的序号 “{v}” 不是非负整数或超出范围（{part}），无法确定其文字"),
                            format!(
                                "the shared-string index “{v}” is not a non-negative integer in range ({part}): the cell's text cannot be told"
                            ),
                        ));
                    }
                    if let Some(text) = v.parse::<usize>().ok().and_then(|i| shown.get(&i)) {
                        restyled.push((cell.clone(), text.clone()));
                    }
                }
            }
            Event::Eof => return Ok(restyled),
            _ => {}
        }
    }
}

/// Whether every cell value of a part (`…v>` followed by text) is a run of at most nine ASCII
/// digits closed at once by an end tag, and every `</v>` is followed at once by another end tag
/// (no second value in the cell): then no value in it can be read as anything but what it says,
/// and the part need not be parsed. Anything else (a decimal, a sign, an entity, a comment,
/// CDATA, a `<v>` with attributes, a longer run, a prefixed `x:v`) sends the part to the parser:
/// a quick look that can only say “parse”.
fn only_plain_values(xml: &[u8]) -> bool {
    // One pass over the letter `v`, which the markup around values holds and little else does.
    memchr::memchr_iter(b'v', xml).all(|at| {
        let before = at.checked_sub(1).map(|i| xml[i]);
        match xml.get(at + 1) {
            // `<v …>` or `<x:v …>`: a value element with attributes.
            Some(b' ') => !matches!(before, Some(b'<' | b':')),
            // `<x:v>` or `</x:v>`: a prefixed value element, for the parser.
            Some(b'>') if before == Some(b':') => false,
            // The end of `</v>` (and of any other end tag in `v`): the cell's end tag follows.
            Some(b'>') if before == Some(b'/') => xml[at + 2..].starts_with(b"</"),
            Some(b'>') => {
                let rest = &xml[at + 2..];
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                digits <= 9 && rest[digits..].starts_with(b"</")
            }
            _ => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_written_as_the_value_it_reads_as() {
        for v in [
            0.0, 1.0, 12.0, -3.0, 1e15, 8.9e15, 9.1e15, 0.5, 1.25, -0.0, 1e-7, 123456.789,
        ] {
            let written = number_text(v);
            let read = number_from_f64(v).map(|n| n.to_string());
            assert_eq!(Some(written.clone()), read.or(Some(format!("{v}"))), "{v}");
        }
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(-0.0), "0");
    }

    /// A table of shared strings is checked alike held in memory and streamed (in pieces of five
    /// bytes): the same count, the same strings shown otherwise than calamine joins them, the same
    /// refusal past the limits.
    #[test]
    fn shared_strings_are_checked_alike_in_memory_and_streamed() {
        let table = concat!(
            r#"<?xml version="1.0"?><sst xmlns="x" count="4" uniqueCount="4">"#,
            r#"<si><t>机关名称</t></si>"#,
            r#"<si><r><t>12</t></r><r><rPr><vertAlign val="superscript"/></rPr><t>1</t></r></si>"#,
            r#"<si><r><rPr><strike/></rPr><t>7</t></r><r><t>8</t></r></si>"#,
            r#"<si><t xml:space="preserve"> 3 </t><rPh><t>さん</t></rPh></si></sst>"#,
        );
        let check = |opts: &ImportOptions, streamed: bool| {
            let mut shown = ShownStrings::default();
            let counted = if streamed {
                let pieces = std::io::BufReader::with_capacity(5, table.as_bytes());
                check_shared_strings(
                    "t.xlsx",
                    "xl/sharedStrings.xml",
                    xml_events::streamed(pieces),
                    opts,
                    &mut shown,
                )
            } else {
                let xml = xml_events::in_memory(table.as_bytes());
                check_shared_strings("t.xlsx", "xl/sharedStrings.xml", xml, opts, &mut shown)
            };
            let mut shown: Vec<_> = shown.into_iter().collect();
            shown.sort();
            (counted.map_err(|e| e.message.zh), shown)
        };
        let opts = ImportOptions::default();
        let (count, shown) = check(&opts, false);
        assert_eq!(count, Ok(4));
        assert_eq!(shown.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [1, 2], "{shown:?}");
        assert_eq!(check(&opts, true), (count, shown));
        let few = ImportOptions {
            max_cells: 3,
            ..ImportOptions::default()
        };
        assert!(check(&few, false).0.is_err());
        assert_eq!(check(&few, false), check(&few, true));
    }

    /// The one-pass look at values says “parse” exactly where searches for what it refuses do
    /// (`<v `, `:v `, `:v>`, a `</v>` not followed at once by an end tag, and every other `v>`
    /// not followed by a short run of digits and an end tag), on the shapes a sheet's values take.
    #[test]
    fn the_quick_look_at_values_says_parse_where_the_searches_did() {
        fn searched(xml: &[u8]) -> bool {
            if [&b"<v "[..], b":v ", b":v>"]
                .iter()
                .any(|n| memchr::memmem::find(xml, n).is_some())
            {
                return false;
            }
            memchr::memmem::find_iter(xml, b"v>").all(|at| {
                if at > 0 && xml[at - 1] == b'/' {
                    return xml[at + 2..].starts_with(b"</");
                }
                let rest = &xml[at + 2..];
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                digits <= 9 && rest[digits..].starts_with(b"</")
            })
        }
        let pieces: [&[u8]; 17] = [
            b"<c r=\"A1\" t=\"s\"><v>12</v></c>",
            b"<c><v>1</v><v>2</v></c>",
            b"<v>1234567890</v>",
            b"<v>-1</v>",
            b"<v>1.5</v>",
            b"<v xml:space=\"preserve\">3</v>",
            b"<x:v>4</x:v>",
            b"<x:v t=\"1\">4</x:v>",
            b"<v/>",
            b"<v>",
            b"v",
            b"v>",
            b"<sheetView workbookViewId=\"0\"/>",
            b"<dv>7</dv>",
            b"<v>&#49;</v>",
            b"<v><!--c-->1</v>",
            b" ",
        ];
        let mut checked = 0;
        for a in &pieces {
            for b in &pieces {
                for c in &pieces {
                    let xml = [*a, *b, *c].concat();
                    assert_eq!(
                        only_plain_values(&xml),
                        searched(&xml),
                        "{}",
                        String::from_utf8_lossy(&xml)
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 17 * 17 * 17);
        assert!(only_plain_values(b"<c><v>12</v></c><c><v>3</v></c>"));
        assert!(!only_plain_values(b"<c><v>12</v></c><c><x:v>3</x:v></c>"));
        assert!(!only_plain_values(b"<c><v>-1</v></c>"));
        assert!(!only_plain_values(b"<c><v>1</v><v>2</v></c>"));
    }

    /// One BIFF record.
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&u16::try_from(data.len()).expect("short").to_le_bytes());
        out.extend_from_slice(data);
    }

    /// A BIFF8 BOF record's data, of the globals (5) or a sheet (0x10).
    fn bof(dt: u16) -> Vec<u8> {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    }

    /// Ends the globals with one BOUNDSHEET, named `name`, for the sheet that follows them.
    fn end_globals_with_sheet(globals: &mut Vec<u8>, name: &str) {
        let bound_at = globals.len() + 4;
        let mut bound = vec![0u8; 6];
        bound.extend_from_slice(&[u8::try_from(name.chars().count()).expect("short"), 1]);
        name.encode_utf16()
            .for_each(|u| bound.extend_from_slice(&u.to_le_bytes()));
        record(globals, 0x0085, &bound);
        record(globals, 0x000A, &[]);
        let offset = u32::try_from(globals.len()).expect("offset");
        globals[bound_at..bound_at + 4].copy_from_slice(&offset.to_le_bytes());
    }

    /// A compound file holding `stream` as its Workbook.
    fn compound_file(stream: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut cfb = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("cfb");
        cfb.create_stream("Workbook")
            .expect("stream")
            .write_all(stream)
            .expect("write");
        cfb.flush().expect("flush");
        cfb.into_inner().into_inner()
    }

    /// What the xls guard refuses, by sheet: (row, column, what the finding says of `v`).
    fn refused_at(shown: &XlsShown, v: f64) -> Vec<(String, u32, u32, Option<String>)> {
        shown
            .iter()
            .flat_map(|(name, cells)| {
                cells.iter().map(move |(r, c, why)| {
                    let words = match why {
                        grid::Refusal::Look(look) => look.words(v).map(|w| w.why.0),
                        grid::Refusal::NumberFormat(mark) => mark.told().map(|t| t.format.to_string()),
                        grid::Refusal::Style(_) => None,
                    };
                    (name.clone(), *r, *c, words)
                })
            })
            .collect()
    }

    /// Conditional formats as LibreOffice 7.4 writes them to xls (the `.fods` beside the file is
    /// its source): a white font where the cell is 7, a yellow font on a yellow fill above 5, a
    /// red font below −2 and a white font where a formula holds.
    #[test]
    fn xls_conditional_formats_that_hide_a_number_are_found() {
        let bytes = include_bytes!("../tests/fixtures/conditional-formats-libreoffice.xls");
        let shown = xls_guard("f.xls", bytes, &ImportOptions::default()).expect("guarded");
        let found: Vec<(u32, u32)> = shown
            .iter()
            .flat_map(|(_, c)| c.iter().map(|(r, c, _)| (*r, *c)))
            .collect();
        // B1 (7), B2 (8) and B6 (a formula); not B3 (red on white), B4 (3 is not above 5) nor B5.
        assert_eq!(found, [(0, 1), (1, 1), (5, 1)]);
        let words = |row: usize, v: f64| refused_at(&shown, v)[row].3.clone().expect("words");
        assert_eq!(
            words(0, 7.0),
            "区域 B1 的条件格式（单元格值等于 7 时）把字体颜色设为 #FFFFFF、底色为 #FFFFFF，存储的值 7 看不见"
        );
        assert!(words(1, 8.0).contains("大于 5"), "{}", words(1, 8.0));
        assert!(words(1, 8.0).contains("#FFFF00、底色为 #FFFF00"), "{}", words(1, 8.0));
        assert!(words(2, 4.0).contains("规则类型“expression”"), "{}", words(2, 4.0));
    }

    /// A rule built record by record: a number format of its own between two numbers, a zero
    /// shown blank, and more conditional ranges than are looked at.
    #[test]
    fn xls_conditional_number_formats_and_bounds() {
        // CFHEADER over B5:B9, then a CF record of `ct` 1, operator `cp`, a DXFN and formulas.
        let header = |ranges: &[(u16, u16, u16, u16)]| {
            let mut d = vec![0u8; 12];
            d[0] = 1;
            d.extend_from_slice(&u16::try_from(ranges.len()).expect("few").to_le_bytes());
            for &(r0, r1, c0, c1) in ranges {
                [r0, r1, c0, c1]
                    .iter()
                    .for_each(|v| d.extend_from_slice(&v.to_le_bytes()));
            }
            d
        };
        let num = |v: f64| [vec![0x1F], v.to_le_bytes().to_vec()].concat();
        let user_format = |code: &str, cp: u8, first: &[u8], second: &[u8]| {
            let mut d = vec![1u8, cp];
            d.extend_from_slice(&u16::try_from(first.len()).expect("short").to_le_bytes());
            d.extend_from_slice(&u16::try_from(second.len()).expect("short").to_le_bytes());
            // Only the number block is set (ibitAtrNum), as a code of the rule's own (fIfmtUser).
            d.extend_from_slice(&(1u32 << 25 | 0xFFFF).to_le_bytes());
            d.extend_from_slice(&1u16.to_le_bytes());
            let mut string = u16::try_from(code.len()).expect("short").to_le_bytes().to_vec();
            string.push(0);
            string.extend_from_slice(code.as_bytes());
            d.extend_from_slice(&u16::try_from(string.len() + 2).expect("short").to_le_bytes());
            d.extend_from_slice(&string);
            d.extend_from_slice(first);
            d.extend_from_slice(second);
            d
        };
        let workbook = |conditions: &[(u16, Vec<u8>)]| {
            let mut globals = Vec::new();
            record(&mut globals, 0x0809, &bof(0x0005));
            end_globals_with_sheet(&mut globals, "表三");
            record(&mut globals, 0x0809, &bof(0x0010));
            for (row, v) in [(4u16, 0.5f64), (5, 2.0), (6, 0.0)] {
                let cell = [row.to_le_bytes(), 1u16.to_le_bytes(), 0u16.to_le_bytes()].concat();
                record(&mut globals, 0x0203, &[cell, v.to_le_bytes().to_vec()].concat());
            }
            for (typ, data) in conditions {
                record(&mut globals, *typ, data);
            }
            record(&mut globals, 0x000A, &[]);
            compound_file(&globals)
        };
        // 0.5 between 1 and 0.1 in `0%` is refused as 50%; 2 is outside; 0 in `0;-0;;@` reads as 0.
        let bytes = workbook(&[
            (0x01B0, header(&[(4, 8, 1, 1)])),
            (0x01B1, user_format("0%", 1, &num(1.0), &num(0.1))),
            (0x01B1, user_format("0;-0;;@", 3, &[0x1E, 0, 0], &[])),
        ]);
        let shown = xls_guard("f.xls", &bytes, &ImportOptions::default()).expect("guarded");
        let found: Vec<(u32, u32)> = shown
            .iter()
            .flat_map(|(_, c)| c.iter().map(|(r, c, _)| (*r, *c)))
            .collect();
        assert_eq!(found, [(4, 1)]);
        let words = refused_at(&shown, 0.5)[0].3.clone().expect("words");
        assert!(
            words.contains("区域 B5:B9 的条件格式（单元格值介于 1 和 0.1 之间时）把数字格式设为“0%”"),
            "{words}"
        );
        // Past the bound on the work of looking numbers up (20,000 cells in MULRK records under
        // 6,000 ranges), the sheet's numbers are in doubt without being looked up.
        let ranges: Vec<(u16, u16, u16, u16)> = (0..6_000).map(|i| (i, i, 300, 300)).collect();
        let mut conditions = vec![
            (0x01B0, header(&ranges)),
            (0x01B1, user_format("0%", 1, &num(0.1), &num(1.0))),
        ];
        for row in 100..180u16 {
            let mut mulrk = [row.to_le_bytes(), 0u16.to_le_bytes()].concat();
            for _ in 0..250 {
                mulrk.extend_from_slice(&0u16.to_le_bytes());
                mulrk.extend_from_slice(&((7u32 << 2) | 2).to_le_bytes());
            }
            mulrk.extend_from_slice(&249u16.to_le_bytes());
            conditions.insert(0, (0x00BD, mulrk));
        }
        let shown = xls_guard("f.xls", &workbook(&conditions), &ImportOptions::default()).expect("guarded");
        assert_eq!(shown[0].1.len(), 3 + 20_000);
        assert!(
            shown[0]
                .1
                .iter()
                .all(|(_, _, why)| matches!(why, grid::Refusal::Look(crate::looks::Look::TooManyConditions)))
        );
        // Past the bound on ranges, every number of the sheet is in doubt.
        let many: Vec<(u16, u16, u16, u16)> = (0..7_000).map(|i| (i, i, 20, 20)).collect();
        let bytes = workbook(&[
            (0x01B0, header(&many)),
            (0x01B0, header(&many)),
            (0x01B1, user_format("0%", 1, &num(0.1), &num(1.0))),
        ]);
        let shown = xls_guard("f.xls", &bytes, &ImportOptions::default()).expect("guarded");
        assert_eq!(shown[0].1.len(), 3);
        assert!(matches!(
            shown[0].1[0].2,
            grid::Refusal::Look(crate::looks::Look::TooManyConditions)
        ));
    }

    /// The xls guard finds the number cells whose style shows them otherwise (a custom format
    /// of the `FORMAT` records, a built-in date; in `NUMBER`, `RK` and `MULRK` records), by sheet.
    #[test]
    fn xls_number_cells_shown_otherwise_are_found_by_sheet() {
        let format = |ifmt: u16, code: &str| {
            let units: Vec<u16> = code.encode_utf16().collect();
            let mut d = ifmt.to_le_bytes().to_vec();
            d.extend_from_slice(&u16::try_from(units.len()).expect("short").to_le_bytes());
            d.push(1);
            units.iter().for_each(|u| d.extend_from_slice(&u.to_le_bytes()));
            d
        };
        // A cell style: its font, number format, fill pattern and fill colour.
        let xf = |ifnt: u16, ifmt: u16, fls: u32, icv_fore: u16| {
            let mut d = vec![0u8; 20];
            d[0..2].copy_from_slice(&ifnt.to_le_bytes());
            d[2..4].copy_from_slice(&ifmt.to_le_bytes());
            d[14..18].copy_from_slice(&(fls << 26).to_le_bytes());
            d[18..20].copy_from_slice(&icv_fore.to_le_bytes());
            d
        };
        let font = |icv: u16| {
            let mut d = vec![0u8; 16];
            d[4..6].copy_from_slice(&icv.to_le_bytes());
            d
        };
        let mut globals = Vec::new();
        record(&mut globals, 0x0809, &bof(0x0005));
        // Fonts 0 to 3 black, font 5 (the fifth record: there is no font 4) white.
        for icv in [0x7FFF, 8, 0x7FFF, 0x7FFF, 9] {
            record(&mut globals, 0x0031, &font(icv));
        }
        record(&mut globals, 0x041E, &format(164, "0%"));
        record(&mut globals, 0x041E, &format(165, "yyyy\"年\""));
        // Styles 4 and 5: white on no fill (unseen), white on a black solid fill (seen).
        for (ifnt, ifmt, fls, icv) in [
            (0, 0, 0, 64),
            (0, 164, 0, 64),
            (0, 14, 0, 64),
            (0, 165, 0, 64),
            (5, 0, 0, 64),
            (5, 0, 1, 8),
        ] {
            record(&mut globals, 0x00E0, &xf(ifnt, ifmt, fls, icv));
        }
        end_globals_with_sheet(&mut globals, "表二");
        let cell = |row: u16, col: u16, xf: u16| [row.to_le_bytes(), col.to_le_bytes(), xf.to_le_bytes()].concat();
        let mut sheet = Vec::new();
        record(&mut sheet, 0x0809, &bof(0x0010));
        record(
            &mut sheet,
            0x0203,
            &[cell(4, 1, 1), 2f64.to_le_bytes().to_vec()].concat(),
        );
        record(
            &mut sheet,
            0x027E,
            &[cell(5, 1, 2), ((45_292u32 << 2) | 2).to_le_bytes().to_vec()].concat(),
        );
        let mut mulrk = [6u16.to_le_bytes(), 1u16.to_le_bytes()].concat();
        for (xf, v) in [(0u16, 3u32), (3, 4)] {
            mulrk.extend_from_slice(&xf.to_le_bytes());
            mulrk.extend_from_slice(&((v << 2) | 2).to_le_bytes());
        }
        mulrk.extend_from_slice(&2u16.to_le_bytes());
        record(&mut sheet, 0x00BD, &mulrk);
        record(
            &mut sheet,
            0x0203,
            &[cell(7, 1, 4), 5f64.to_le_bytes().to_vec()].concat(),
        );
        record(
            &mut sheet,
            0x0203,
            &[cell(8, 1, 5), 6f64.to_le_bytes().to_vec()].concat(),
        );
        record(
            &mut sheet,
            0x0203,
            &[cell(9, 1, 4), 0f64.to_le_bytes().to_vec()].concat(),
        );
        record(&mut sheet, 0x000A, &[]);
        globals.extend_from_slice(&sheet);
        let bytes = compound_file(&globals);
        let shown = xls_guard("f.xls", &bytes, &ImportOptions::default()).expect("guarded");
        assert_eq!(shown.len(), 1);
        let (name, cells) = &shown[0];
        assert_eq!(name, "表二");
        let found: Vec<(u32, u32, String, Option<String>)> = cells
            .iter()
            .map(|(r, c, why)| match why {
                grid::Refusal::NumberFormat(mark) => {
                    let told = mark.told().expect("told");
                    (*r, *c, told.format.to_string(), told.shows)
                }
                grid::Refusal::Look(look) => (*r, *c, "look".to_string(), look.words(5.0).map(|w| w.why.0)),
                grid::Refusal::Style(_) => unreachable!("no page style in a workbook"),
            })
            .collect();
        let expected = [
            (4, 1, "0%", Some("200%")),
            (5, 1, "mm-dd-yy", Some("2024-01-01")),
            (6, 2, "yyyy\"年\"", Some("1900-01-04")),
            (
                7,
                1,
                "look",
                Some("单元格的字体颜色（#FFFFFF）与底色（#FFFFFF）相同，存储的值 5 看不见"),
            ),
        ]
        .map(|(r, c, f, s)| (r, c, f.to_string(), s.map(str::to_string)));
        assert_eq!(found, expected);
    }

    /// A value calamine would read as something the XML does not say is refused, naming the cell.
    #[test]
    fn values_read_otherwise_than_written_are_refused_at_their_cell() {
        let sheet = |cells: &str| format!("<worksheet><sheetData><row r=\"5\">{cells}</row></sheetData></worksheet>");
        let refused = |cells: &str| {
            check_string_refs_in(
                "f.xlsx",
                "xl/worksheets/sheet2.xml",
                Some("表二"),
                sheet(cells).as_bytes(),
                &ShownStrings::default(),
            )
            .err()
            .map(|e| e.to_string())
        };
        for (cells, says) in [
            ("<c r=\"B5\"><v>1<!--x-->2</v></c>", "注释"),
            ("<c r=\"B5\"><v>1<![CDATA[2]]></v></c>", "CDATA"),
            ("<c r=\"B5\"><v>1<?x?>2</v></c>", "处理指令"),
            ("<c r=\"B5\"><v>&#50;</v></c>", "&#50;"),
            ("<c r=\"B5\" t=\"s\"><v>&#51;&#52;</v></c>", "&#51;"),
            ("<c r=\"B5\"><v>1</v><v>2</v></c>", "不止一个值"),
            ("<c r=\"B5\" t=\"n\"><v> 12 </v></c>", "不是数字"),
            ("<c r=\"B5\" t=\"s\"><v>-1</v></c>", "共享字符串"),
        ] {
            let message = refused(cells).unwrap_or_else(|| panic!("{cells} was read"));
            assert!(
                message.contains("表二!B5") && message.contains(says),
                "{cells}: {message}"
            );
        }
        // What the XML says plainly is read: a formula's text result may hold a reference.
        for cells in [
            "<c r=\"B5\"><v>12</v></c>",
            "<c r=\"B5\" t=\"n\"><v>1.5</v></c>",
            "<c r=\"B5\" t=\"str\"><f>A1</f><v>A&amp;B</v></c>",
            "<c r=\"B5\"><x:v>3</x:v></c>",
        ] {
            assert_eq!(refused(cells), None, "{cells}");
        }
    }
}
