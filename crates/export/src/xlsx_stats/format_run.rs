//! A row's cells written without a format, then formatted a run of neighbours at a time.
//!
//! rust_xlsxwriter hashes the whole `Format` (font, borders, fill, number format) with SipHash
//! every time a cell is written with one: a few thousand instructions, more than writing the cell.
//! A statistics workbook of 20,000 reports writes millions of cells in a handful of formats, so
//! each row's cells are written bare and each run of neighbours sharing a format gets it with one
//! `set_range_format`. The file is the same: every cell ends with the format it had, formats are
//! first used in the same order (a run is formatted before the next run's format is used), and a
//! blank gets its format as a cell of the run.
//!
//! A blank made by `set_range_format` does not widen the sheet's used range (`<dimension>`), and
//! in constant-memory mode it is lost if it comes before the row's first written cell (the row is
//! not yet the current one). So a blank joins a run only once a cell of the row has been written,
//! and the sheets that use this have a header row over every column they write.

use super::{ExportError, xerr};
use rust_xlsxwriter::{Format, Worksheet};

/// The cells of one row written bare since the last run was formatted, all of one format.
#[derive(Default)]
pub(super) struct FormatRun<'f> {
    run: Option<(u16, u16, &'f Format)>,
    /// Whether a cell of the row has been written.
    opened: bool,
}

impl<'f> FormatRun<'f> {
    /// Writes `text` in `col`, formatted `format` with its neighbours.
    pub(super) fn string(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        text: &str,
        format: &'f Format,
    ) -> Result<(), ExportError> {
        if text.is_empty() {
            // Nothing to write: rust_xlsxwriter would write nothing for a bare empty string.
            return self.blank(ws, row, col, format);
        }
        ws.write_string(row, col, text).map_err(xerr)?;
        self.opened = true;
        self.add(ws, row, col, format)
    }

    /// Writes the number `x` in `col`, formatted `format` with its neighbours.
    pub(super) fn number(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        x: f64,
        format: &'f Format,
    ) -> Result<(), ExportError> {
        ws.write_number(row, col, x).map_err(xerr)?;
        self.opened = true;
        self.add(ws, row, col, format)
    }

    /// A number, or a blank with the format when there is none (an unknown year).
    pub(super) fn number_or_blank(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        x: Option<f64>,
        format: &'f Format,
    ) -> Result<(), ExportError> {
        match x {
            Some(x) => self.number(ws, row, col, x, format),
            None => self.blank(ws, row, col, format),
        }
    }

    /// A blank cell with `format`: in the run once the row has a written cell (see above),
    /// written with its format before that.
    fn blank(&mut self, ws: &mut Worksheet, row: u32, col: u16, format: &'f Format) -> Result<(), ExportError> {
        if self.opened {
            return self.add(ws, row, col, format);
        }
        self.flush(ws, row)?;
        ws.write_blank(row, col, format).map_err(xerr)?;
        self.opened = true;
        Ok(())
    }

    /// Adds `col`, just written bare, to the run of `format`; the run before it is formatted
    /// first when this does not continue it.
    fn add(&mut self, ws: &mut Worksheet, row: u32, col: u16, format: &'f Format) -> Result<(), ExportError> {
        self.run = match self.run {
            Some((first, last, f)) if last + 1 == col && std::ptr::eq(f, format) => Some((first, col, f)),
            _ => {
                self.flush(ws, row)?;
                Some((col, col, format))
            }
        };
        Ok(())
    }

    /// Formats the run's cells: before a note is added to a cell, and at the end of the row.
    pub(super) fn flush(&mut self, ws: &mut Worksheet, row: u32) -> Result<(), ExportError> {
        if let Some((first, last, format)) = self.run.take() {
            ws.set_range_format(row, first, row, last, format).map_err(xerr)?;
        }
        Ok(())
    }
}
