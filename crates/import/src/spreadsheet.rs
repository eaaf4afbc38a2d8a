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
use crate::values::number_from_f64;
use crate::xlsx_merges::XlsxMerges;
use crate::{ErrorKind, ImportError, ImportOptions, Imported, guarded};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, XlsError, Xlsx, XlsxError, open_workbook_from_rs};
use std::io::Cursor;

/// Largest `content.xml` of an ods file that is scanned (decompressed bytes).
const MAX_ODS_CONTENT: u64 = 256 * 1024 * 1024;
/// Most merged regions read from one sheet.
const MAX_MERGES: usize = 100_000;

/// Reads the report in a workbook with the default limits. `file` names it in errors.
pub fn read_spreadsheet(file: &str, bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
    read_spreadsheet_with(file, bytes, &ImportOptions::default())
}

/// Reads the report in a workbook within the limits of `opts`.
pub fn read_spreadsheet_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Imported>, ImportError> {
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

/// The sheets of a workbook as grids, in workbook order, with the default limits.
pub fn read_grids(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    read_grids_with(file, bytes, &ImportOptions::default())
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
        xls_guard(file, bytes, opts)?;
        return guarded(file, "xls", || {
            match open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)) {
                // An xls formula record always carries its result.
                Ok(mut xls) => xls_grids(file, &mut xls, opts).map(|g| (g, Vec::new())),
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
        if crate::docx::word_main_part(bytes).is_some() {
            return Err(ImportError::new(
                file,
                ErrorKind::Format,
                None,
                "这是 Word 文档（.docx），不是工作簿：请按 Word 文档读取（不要指定工作簿格式）",
                "this is a Word document (.docx), not a workbook: read it as Word (do not force the workbook format)",
            ));
        }
        if is_ods(bytes) {
            ods_guard(file, bytes, opts)?;
            return guarded(file, "ods", || {
                match open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)) {
                    Ok(mut ods) => ods_grids(file, &mut ods, opts),
                    Err(e) => Err(broken(file, "ods", &e.to_string())),
                }
            });
        }
        return guarded(file, "xlsx", || {
            match open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
                Ok(mut xlsx) => xlsx_grids(file, bytes, &mut xlsx, opts),
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

/// An OpenDocument file starts with an uncompressed `mimetype` entry naming its type.
fn is_ods(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(120)];
    head.windows(34).any(|w| w == b"application/vnd.oasis.opendocument")
}

/// Refuses an ods file whose sheets extend over more than [`ImportOptions::max_cells`] cells.
fn ods_guard(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<(), ImportError> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(file, "ods", &e.to_string()))?;
    let mut content = Vec::new();
    zip.by_name("content.xml")
        .map_err(|e| broken(file, "ods", &e.to_string()))?
        .take(MAX_ODS_CONTENT.min(opts.max_unpacked_bytes) + 1)
        .read_to_end(&mut content)
        .map_err(|e| broken(file, "ods", &e.to_string()))?;
    let limit = MAX_ODS_CONTENT.min(opts.max_unpacked_bytes);
    if content.len() as u64 > limit {
        return Err(exceeded(
            file,
            None,
            "ods 文件 content.xml 解压后的大小（字节）",
            "the unpacked size of the ods content.xml in bytes",
            format!("> {limit}"),
            limit,
            "--max-unpacked-bytes",
        ));
    }
    for (sheet, rows, cols) in ods_extent(&content) {
        let max = opts.max_cells;
        if rows.saturating_mul(cols) > max {
            return Err(ImportError::new(
                file,
                ErrorKind::Limit,
                Some(xxgk_model::Location {
                    sheet: Some(sheet.clone()),
                    ..Default::default()
                }),
                format!(
                    "工作表“{sheet}”的内容延伸到第 {rows} 行、第 {cols} 列，超过读取上限 {max} 个单元格：请删除表格以外远处的零散内容后再导入（如确属正常，可用 --max-cells 调高上限）"
                ),
                format!(
                    "sheet “{sheet}” has content up to row {rows}, column {cols}, beyond the limit of {max} cells: delete stray content far from the tables and import again (or raise the limit with --max-cells)"
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses an xls file whose sheets would make calamine allocate more than
/// [`ImportOptions::max_cells`] cells. calamine parses every sheet of an xls when the file is
/// opened and builds a dense range from the cells' extent (and reserves the extent a
/// `DIMENSIONS` record declares), so a hostile file with one cell at row 65,535 and column
/// 65,535 makes it allocate over 100 GB (found by fuzzing). The records are scanned here the
/// way calamine reads them: the `BOUNDSHEET` records of the globals give each sheet's offset,
/// and each sheet's records are read from there up to its `EOF`, skipping embedded substreams.
fn xls_guard(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<(), ImportError> {
    use std::io::Read;
    // A compound file without a workbook stream (an encrypted xlsx) is left to calamine, which
    // finds no cells in it. One the cfb crate cannot open is refused as damaged: calamine's own
    // reader is more lenient and could read cells from it that were never scanned (found by
    // fuzzing: a 65,536 × 65,536 extent behind a directory the cfb crate rejects).
    let stream = guarded(file, "xls", || {
        let mut cfb = match cfb::CompoundFile::open(Cursor::new(bytes)) {
            Ok(cfb) => cfb,
            Err(_) if is_encrypted_container(bytes) => return Err(encrypted(file)),
            Err(e) => return Err(broken(file, "xls", &e.to_string())),
        };
        let Ok(s) = cfb.open_stream("/Workbook").or_else(|_| cfb.open_stream("/Book")) else {
            return Ok(None);
        };
        let mut data = Vec::new();
        s.take(opts.max_unpacked_bytes.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|e| broken(file, "xls", &e.to_string()))?;
        Ok(Some(data))
    })?;
    let Some(stream) = stream else {
        return Ok(());
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
    for (typ, data) in xls_records(&stream) {
        match typ {
            0x0085 => sheets.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    for pos in sheets {
        let Some(sheet) = stream.get(pos..) else {
            continue;
        };
        let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
        let mut reserved = 0u64;
        let (mut seen_bof, mut depth) = (false, 0usize);
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
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => cell(u16_at(d, 0), u16_at(d, 2)),
                0x00BD if d.len() >= 6 => {
                    let row = u16_at(d, 0);
                    cell(row, u16_at(d, 2));
                    cell(row, u16_at(d, d.len() - 2));
                }
                _ => {}
            }
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
    Ok(())
}

/// Whether a compound file names an `EncryptedPackage` stream (UTF-16 in its directory): the
/// container Excel and WPS put a password-protected workbook in.
fn is_encrypted_container(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
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

/// The used extent of each sheet of an ods `content.xml`: (name, rows, columns) up to the last
/// cell with content, counting `number-rows-repeated` and `number-columns-repeated` the way a
/// reader expands them. A plain scan of the tags: no XML tree is built.
pub fn ods_extent(xml: &[u8]) -> Vec<(String, u64, u64)> {
    let mut out = Vec::new();
    let (mut name, mut row, mut rows, mut cols) = (String::new(), 0u64, 0u64, 0u64);
    let (mut col, mut row_rep, mut row_used) = (0u64, 1u64, false);
    let mut i = 0;
    while let Some(p) = xml[i..].iter().position(|&b| b == b'<') {
        let start = i + p + 1;
        let Some(len) = xml[start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let tag = &xml[start..start + len];
        i = start + len + 1;
        let self_closing = tag.ends_with(b"/");
        let tag_name_end = tag
            .iter()
            .skip(1)
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .map_or(tag.len(), |p| p + 1);
        let tag_name = &tag[..tag_name_end];
        let attr = |key: &[u8]| -> Option<&[u8]> {
            let at = tag
                .windows(key.len() + 2)
                .position(|w| &w[..key.len()] == key && &w[key.len()..] == b"=\"")?;
            let v = &tag[at + key.len() + 2..];
            v.iter().position(|&b| b == b'"').map(|e| &v[..e])
        };
        let repeat = |key: &[u8]| -> u64 {
            attr(key)
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
        };
        match tag_name {
            b"table:table" => {
                name = attr(b"table:name")
                    .map(|v| String::from_utf8_lossy(v).into_owned())
                    .unwrap_or_default();
                (row, rows, cols) = (0, 0, 0);
            }
            b"/table:table" => out.push((std::mem::take(&mut name), rows, cols)),
            b"table:table-row" => {
                (col, row_rep, row_used) = (0, repeat(b"table:number-rows-repeated"), false);
                if self_closing {
                    row = row.saturating_add(row_rep);
                }
            }
            b"/table:table-row" => {
                if row_used {
                    rows = rows.max(row.saturating_add(row_rep));
                }
                row = row.saturating_add(row_rep);
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let rep = repeat(b"table:number-columns-repeated");
                if !self_closing || attr(b"office:value-type").is_some() {
                    row_used = true;
                    cols = cols.max(col.saturating_add(rep));
                }
                col = col.saturating_add(rep);
            }
            _ => {}
        }
    }
    out
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

/// Counts cells and checks where they are against the limits, for every reader.
struct Budget<'a> {
    file: &'a str,
    opts: &'a ImportOptions,
    cells: u64,
}

impl<'a> Budget<'a> {
    fn new(file: &'a str, opts: &'a ImportOptions) -> Self {
        Budget { file, opts, cells: 0 }
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

    /// Admits one non-empty cell at (row, col) of `sheet` holding `text`.
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
        check_cell_text(self.file, text, at, self.opts)
    }
}

fn add_merges(grid: &mut Grid, merges: Vec<Dimensions>) {
    for d in merges.into_iter().take(MAX_MERGES) {
        grid.add_merge(Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0,
            last_col: d.end.1,
        });
    }
}

fn xlsx_grids(
    file: &str,
    bytes: &[u8],
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    opts: &ImportOptions,
) -> Result<(Vec<Grid>, Vec<Outcome>), ImportError> {
    let mut grids = Vec::new();
    let mut formulas = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(xlsx.sheet_names().len())?;
    let mut quick_merges = XlsxMerges::open(bytes, opts.max_unpacked_bytes);
    for name in xlsx.sheet_names() {
        let mut grid = Grid::sheet(&name);
        match quick_merges.as_mut().and_then(|m| m.sheet(&name, MAX_MERGES)) {
            Some(merges) => merges.into_iter().for_each(|m| grid.add_merge(m)),
            None => {
                let merges = xlsx
                    .merge_cells_by_sheet_name(&name)
                    .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
                add_merges(&mut grid, merges);
            }
        }
        // Streamed: only cells that exist in the file are visited, whatever the sheet's extent.
        // Formulas are noted only where a cell has no stored result.
        let mut reader = xlsx
            .worksheet_cells_reader(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        let mut pending = formula::XlsxSheetFormulas::default();
        while let Some(cell) = reader
            .next_cell_with_formula_metadata()
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?
        {
            let (r, c) = cell.pos;
            match ref_text(&cell.value) {
                Some(text) => {
                    budget.cell(&name, r, c, &text)?;
                    grid.set(r, c, text, None);
                    pending.note(cell.pos, false, cell.formula);
                }
                None => pending.note(cell.pos, true, cell.formula),
            }
        }
        grids.push(grid);
        formulas.push(pending);
    }
    let outcomes = formula::complete_xlsx(file, xlsx, &mut grids, formulas)?;
    Ok((grids, outcomes))
}

fn xls_grids(file: &str, xls: &mut Xls<Cursor<&[u8]>>, opts: &ImportOptions) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(xls.sheet_names().len())?;
    for name in xls.sheet_names() {
        let mut grid = Grid::sheet(&name);
        let merges = xls
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        add_merges(&mut grid, merges);
        let range = xls
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &name, &range, &mut budget)?;
        grids.push(grid);
    }
    Ok(grids)
}

fn ods_grids(
    file: &str,
    ods: &mut Ods<Cursor<&[u8]>>,
    opts: &ImportOptions,
) -> Result<(Vec<Grid>, Vec<Outcome>), ImportError> {
    let mut grids = Vec::new();
    let mut budget = Budget::new(file, opts);
    budget.sheets(ods.sheet_names().len())?;
    for name in ods.sheet_names() {
        // ODS has no merge list in calamine; covered cells read empty and the matcher copes
        // (group headers are carried to the right, row groups by their leaf labels).
        let mut grid = Grid::sheet(&name);
        let range = ods
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &name, &range, &mut budget)?;
        grids.push(grid);
    }
    let formulas = formula::complete_ods(file, ods, &mut grids)?;
    Ok((grids, formulas))
}

/// Copies the used cells of a range into a grid, within the workbook's limits.
fn fill(
    grid: &mut Grid,
    sheet: &str,
    range: &calamine::Range<Data>,
    budget: &mut Budget<'_>,
) -> Result<(), ImportError> {
    let Some((r0, c0)) = range.start() else {
        return Ok(());
    };
    for (r, c, v) in range.used_cells() {
        if let Some(text) = data_text(v) {
            let (row, col) = (
                r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
            );
            budget.cell(sheet, row, col, &text)?;
            grid.set(row, col, text, None);
        }
    }
    Ok(())
}

/// The text of a number as the sheet shows it: `12`, `103.3879`.
fn number_text(v: f64) -> String {
    number_from_f64(v).map_or_else(|| format!("{v}"), |n| n.to_string())
}

fn ref_text(v: &DataRef<'_>) -> Option<String> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => e.to_string(),
    })
}

fn data_text(v: &Data) -> Option<String> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ods_extent_counts_repeats_up_to_the_last_content() {
        let xml = br#"<table:table table:name="S"><table:table-column table:number-columns-repeated="16384"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>
<table:table-row table:number-rows-repeated="999"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="9"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>
<table:table-row table:number-rows-repeated="48574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
</table:table>"#;
        assert_eq!(ods_extent(xml), vec![("S".to_string(), 1001, 10)]);
    }
}
