//! Reading workbooks (xlsx, xlsm, xls, ods) with calamine: each sheet becomes a [`Grid`] of
//! texts located as `sheet!A1`, and [`grid::read_report`] finds the tables by their labels.
//!
//! Values: a number cell becomes the shortest text of its value ([`number_from_f64`]), so that
//! "12" typed as text and 12 typed as a number read alike; a formula gives its cached result
//! (calamine does not recalculate; the standard template stores every result); dates, booleans
//! and error values become their text, which the rules report as not a number.
//!
//! Memory: an xlsx sheet is streamed cell by cell into a sparse grid, so a stray cell at
//! `XFD1048576` costs one entry, not a dense 17-billion-cell range. xls sheets are bounded by
//! the format (65,536 × 256) and ods sheets by calamine's own cell cap; every workbook is also
//! limited to [`MAX_CELLS`] non-empty cells.

use crate::grid::{self, Grid, Merge};
use crate::values::number_from_f64;
use crate::{ErrorKind, ImportError, Imported};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, Xls, XlsError, Xlsx, XlsxError, open_workbook_from_rs};
use std::io::Cursor;

/// Most non-empty cells read from one workbook (a report has a few hundred).
pub const MAX_CELLS: usize = 2_000_000;
/// Most merged regions read from one sheet.
const MAX_MERGES: usize = 100_000;

/// Reads the report in a workbook. `file` names it in errors.
pub fn read_spreadsheet(file: &str, bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
    let grids = read_grids(file, bytes)?;
    if grids.iter().all(Grid::is_empty) {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            None,
            "工作簿是空的：没有任何填写内容",
            "the workbook is empty: no cell has content",
        ));
    }
    Ok(vec![grid::read_report(file, &grids)?])
}

/// The sheets of a workbook as grids, in workbook order.
pub fn read_grids(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, ImportError> {
    const CFB: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(&CFB) {
        // A compound file: a legacy .xls, or an encrypted xlsx (Office wraps those in CFB).
        return match open_workbook_from_rs::<Xls<_>, _>(Cursor::new(bytes)) {
            Ok(mut xls) => xls_grids(file, &mut xls),
            Err(XlsError::Password) => Err(encrypted(file)),
            Err(e) => match open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
                Err(XlsxError::Password) => Err(encrypted(file)),
                _ => Err(broken(file, "xls", &e.to_string())),
            },
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes)) {
            Ok(mut xlsx) => xlsx_grids(file, &mut xlsx),
            Err(XlsxError::Password) => Err(encrypted(file)),
            Err(xlsx_err) => match open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes)) {
                Ok(mut ods) => ods_grids(file, &mut ods),
                Err(_) => Err(broken(file, "xlsx", &xlsx_err.to_string())),
            },
        };
    }
    Err(ImportError::new(
        file,
        ErrorKind::Format,
        None,
        "不是 Excel 或 ODS 工作簿（文件开头既不是 xlsx/ods 的压缩包，也不是 xls 的复合文档）",
        "not an Excel or ODS workbook (neither a zip container as in xlsx/ods nor a compound file as in xls)",
    ))
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

fn too_many(file: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Limit,
        None,
        format!("工作簿的非空单元格超过 {MAX_CELLS} 个，不像一份年报，已停止读取"),
        format!("the workbook has more than {MAX_CELLS} non-empty cells, which is no annual report; reading stopped"),
    )
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

fn xlsx_grids(file: &str, xlsx: &mut Xlsx<Cursor<&[u8]>>) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    let mut total = 0usize;
    for name in xlsx.sheet_names() {
        let mut grid = Grid::sheet(&name);
        let merges = xlsx
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        add_merges(&mut grid, merges);
        // Streamed: only cells that exist in the file are visited, whatever the sheet's extent.
        let mut reader = xlsx
            .worksheet_cells_reader(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?
        {
            let (r, c) = cell.get_position();
            if let Some(text) = ref_text(cell.get_value()) {
                total += 1;
                if total > MAX_CELLS {
                    return Err(too_many(file));
                }
                grid.set(r, c, text, None);
            }
        }
        grids.push(grid);
    }
    Ok(grids)
}

fn xls_grids(file: &str, xls: &mut Xls<Cursor<&[u8]>>) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    let mut total = 0usize;
    for name in xls.sheet_names() {
        let mut grid = Grid::sheet(&name);
        let merges = xls
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        add_merges(&mut grid, merges);
        let range = xls
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &range, &mut total)
            .then_some(())
            .ok_or_else(|| too_many(file))?;
        grids.push(grid);
    }
    Ok(grids)
}

fn ods_grids(file: &str, ods: &mut Ods<Cursor<&[u8]>>) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    let mut total = 0usize;
    for name in ods.sheet_names() {
        // ODS has no merge list in calamine; covered cells read empty and the matcher copes
        // (group headers are carried to the right, row groups by their leaf labels).
        let mut grid = Grid::sheet(&name);
        let range = ods
            .worksheet_range(&name)
            .map_err(|e| sheet_error(file, &name, &e.to_string()))?;
        fill(&mut grid, &range, &mut total)
            .then_some(())
            .ok_or_else(|| too_many(file))?;
        grids.push(grid);
    }
    Ok(grids)
}

/// Copies the used cells of a range into a grid; false when the workbook cell limit is passed.
fn fill(grid: &mut Grid, range: &calamine::Range<Data>, total: &mut usize) -> bool {
    let Some((r0, c0)) = range.start() else {
        return true;
    };
    for (r, c, v) in range.used_cells() {
        if let Some(text) = data_text(v) {
            *total += 1;
            if *total > MAX_CELLS {
                return false;
            }
            grid.set(r0 + r as u32, c0 + c as u32, text, None);
        }
    }
    true
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
