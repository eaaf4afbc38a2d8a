//! `csv`: the long form, one line per cell with its official labels, UTF-8 with a byte-order
//! mark so that Excel and WPS open the Chinese intact. The columns are defined in
//! `xxgk_model::interchange`, where the CSV importer reads them too.

use crate::safety::guard_csv;
use crate::{ExportError, Exporter, ExporterEntry, Options, ReportBatch};
use std::borrow::Cow;
use std::io::Write;
use xxgk_model::interchange::LONG_CSV_HEADER;
use xxgk_model::{Cell, Label, Report, catalogue};

struct LongCsv;

impl Exporter for LongCsv {
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        write_all(reports.iter().map(Cow::Borrowed), out, opts)
    }

    /// The rows written a report at a time: a batch of thousands is never built whole.
    fn export_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        write_all((0..batch.len()).map(|i| batch.report(i)), out, opts)
    }
}

/// A CSV writing error as the exporter reports it.
pub(crate) fn csv_error(e: csv::Error) -> ExportError {
    ExportError::Format {
        format: "CSV",
        message: e.to_string(),
    }
}

/// A CSV writer as Excel and WPS read Chinese text: a byte-order mark first, CRLF line ends.
pub(crate) fn excel_csv(out: &mut dyn Write) -> Result<csv::Writer<&mut dyn Write>, ExportError> {
    out.write_all(b"\xEF\xBB\xBF")?;
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// Writes the header, then each report's rows.
fn write_all<'r>(
    reports: impl Iterator<Item = Cow<'r, Report>>,
    out: &mut dyn Write,
    opts: &Options<'_>,
) -> Result<(), ExportError> {
    let mut w = excel_csv(out)?;
    w.write_record(LONG_CSV_HEADER).map_err(csv_error)?;
    for r in reports {
        let year = r.meta.year.map(|y| y.to_string()).unwrap_or_default();
        let cat = catalogue(r.meta.format);
        // The cells of a group the report prints as one row follow the form's (none otherwise).
        let printed = |d: &&xxgk_model::CellDef| !matches!(r.cell(&d.id), Cell::Blank);
        let groups = cat.group_cells().iter().filter(|d| {
            cat.group_of(&d.id).is_some_and(|g| {
                cat.group_cells()
                    .iter()
                    .filter(|o| o.row_key == g.key)
                    .any(|o| printed(&o))
            })
        });
        for def in cat.cells().iter().chain(groups) {
            let cell = r.cell(&def.id);
            let value = cell.value().map(|v| v.to_string()).unwrap_or_default();
            let raw = match cell {
                Cell::Number { raw: None, .. } | Cell::Blank => String::new(),
                other => other.raw_text(),
            };
            w.write_record([
                guard_csv(&r.meta.agency).as_str(),
                &year,
                r.meta.format.code(),
                &def.id,
                def.table.code(),
                &def.row_label(opts.lang),
                &def.column_label(opts.lang),
                &value,
                cell.state(),
                &guard_csv(&raw),
            ])
            .map_err(csv_error)?;
        }
    }
    w.flush()?;
    Ok(())
}

inventory::submit! {
    ExporterEntry {
        name: "csv",
        extension: "csv",
        description: Label {
            zh: "CSV 长表：每个单元格一行（机关、年度、格式、编号、表、行标签、列标签、数值、状态、原文），UTF-8 带 BOM",
            en: "Long CSV: one line per cell (agency, year, format, id, table, row and column labels, value, state, raw text), UTF-8 with BOM",
        },
        many: true,
        exporter: &LongCsv,
    }
}
