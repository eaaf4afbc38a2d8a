//! `csv-wide`: one line per report, one column per cell id, for statistics software and
//! spreadsheets that want a report per row.
//!
//! Line 1 holds the column names (`agency`, `region_code`, `year`, `format`, then the cell ids);
//! line 2 the same columns as labels for people (Chinese, or English with `--lang en`), which
//! the importer recognises and skips. Reports of different format versions share one column
//! set, the union of their ids (see `xxgk_model::interchange`). Each cell holds the text as
//! written, so that blanks, placeholders and annotated numbers read back as they were. UTF-8
//! with a byte-order mark, CRLF line ends: what Excel and WPS expect.

use crate::csv_long::{csv_error, excel_csv};
use crate::safety::guard_csv;
use crate::{ExportError, Exporter, ExporterEntry, Options, ReportBatch};
use std::borrow::Cow;
use std::io::Write;
use xxgk_model::interchange::{WIDE_META_COLUMNS, wide_cell_columns, wide_cell_label};
use xxgk_model::{Cell, CellAt, CellDef, FormatVersion, Label, Report, catalogue};

struct WideCsv;

/// The text of a cell in the wide CSV: what was written, guarded against formulas. A plain
/// number is written as it is, since a number is never read as a formula.
pub(crate) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number { raw: None, value, .. } => value.to_string(),
        other => guard_csv(&other.raw_text()),
    }
}

impl Exporter for WideCsv {
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        let versions: Vec<FormatVersion> = reports.iter().map(|r| r.meta.format).collect();
        let columns = columns(&versions, |i, d| !matches!(reports[i].cell(&d.id), Cell::Blank));
        write_rows(&columns, reports.iter().map(Cow::Borrowed), out, opts)
    }

    /// Two passes over the batch, a report at a time: its columns from the reports' cells, then
    /// its rows, so that a batch of thousands is never built whole.
    fn export_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        let versions: Vec<FormatVersion> = (0..batch.len()).map(|i| batch.meta(i).format).collect();
        let mut cells = (usize::MAX, Vec::new());
        let columns = columns(&versions, |i, d| {
            if cells.0 != i {
                cells = (i, batch.cells_by_position(i));
            }
            catalogue(versions[i])
                .position(&d.id)
                .and_then(|p| cells.1.get(p).copied().flatten())
                .is_some_and(|c| c != CellAt::Cell(&Cell::Blank))
        });
        write_rows(&columns, (0..batch.len()).map(|i| batch.report(i)), out, opts)
    }
}

/// The cell columns of reports of `versions` (the union of their ids), then the cells of a group
/// some report prints as one row (（六）其他处理 alone), by whether report `i` writes a cell.
fn columns(versions: &[FormatVersion], mut written: impl FnMut(usize, &CellDef) -> bool) -> Vec<&'static CellDef> {
    let mut columns = wide_cell_columns(versions);
    for (i, &version) in versions.iter().enumerate() {
        let groups = catalogue(version).group_cells();
        for d in groups {
            let printed = groups.iter().any(|o| o.row_key == d.row_key && written(i, o));
            if printed && !columns.iter().any(|c| c.id == d.id) {
                columns.push(d);
            }
        }
    }
    columns
}

/// Writes the two header lines and a line a report.
fn write_rows<'r>(
    columns: &[&CellDef],
    reports: impl Iterator<Item = Cow<'r, Report>>,
    out: &mut dyn Write,
    opts: &Options<'_>,
) -> Result<(), ExportError> {
    let mut w = excel_csv(out)?;
    let names = WIDE_META_COLUMNS
        .iter()
        .map(|m| m.name.to_string())
        .chain(columns.iter().map(|d| d.id.clone()));
    w.write_record(names).map_err(csv_error)?;
    let labels = WIDE_META_COLUMNS
        .iter()
        .map(|m| m.label(opts.lang).to_string())
        .chain(columns.iter().map(|d| wide_cell_label(d, opts.lang)));
    w.write_record(labels).map_err(csv_error)?;
    for r in reports {
        let cat = catalogue(r.meta.format);
        let meta = [
            guard_csv(&r.meta.agency),
            guard_csv(r.meta.region_code.as_deref().unwrap_or_default()),
            r.meta.year.map(|y| y.to_string()).unwrap_or_default(),
            r.meta.format.code().to_string(),
        ];
        let cells = columns.iter().map(|d| match cat.cell(&d.id) {
            Some(_) => cell_text(r.cell(&d.id)),
            None => String::new(),
        });
        w.write_record(meta.into_iter().chain(cells)).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

inventory::submit! {
    ExporterEntry {
        name: "csv-wide",
        extension: "csv",
        description: Label {
            zh: "CSV 宽表：每份报告一行、每个单元格编号一列（第二行为中文标签），UTF-8 带 BOM",
            en: "Wide CSV: one line per report, one column per cell id (line 2: labels), UTF-8 with BOM",
        },
        many: true,
        exporter: &WideCsv,
    }
}
