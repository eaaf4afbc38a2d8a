//! An exporter that lives outside `xxgk-export` and uses only its public API: one file, one
//! `inventory::submit!`, and `xxgk_export::exporters()` lists it and `by_name` runs it.
//!
//! It writes a tab-separated tally per report: agency, year, format, and how many cells hold a
//! number, are blank, hold a placeholder or unreadable text — the sort of quick completeness
//! view a 政务公开办 asks for, and small enough to show the mechanism and nothing else.

use std::io::Write;
use xxgk_export::{ExportError, Exporter, ExporterEntry, Options};
use xxgk_model::{Label, Report, catalogue};

/// The name the exporter registers under.
pub const NAME: &str = "cell-tally";

struct CellTally;

impl Exporter for CellTally {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        writeln!(out, "agency\tyear\tformat\tnumber\tblank\tplaceholder\ttext")?;
        for r in reports {
            let mut n = [0usize; 4];
            for def in catalogue(r.meta.format).cells() {
                let i = match r.cell(&def.id).state() {
                    "number" => 0,
                    "blank" => 1,
                    "placeholder" => 2,
                    _ => 3,
                };
                n[i] += 1;
            }
            // Tabs and line breaks in a name would break the columns.
            let agency: String = r
                .meta
                .agency
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            writeln!(
                out,
                "{agency}\t{}\t{}\t{}\t{}\t{}\t{}",
                r.meta.year.map(|y| y.to_string()).unwrap_or_default(),
                r.meta.format.code(),
                n[0],
                n[1],
                n[2],
                n[3]
            )?;
        }
        Ok(())
    }
}

inventory::submit! {
    ExporterEntry {
        name: NAME,
        extension: "tsv",
        description: Label {
            zh: "单元格填报情况统计（TSV）：每份报告的数字、空白、占位符、文字单元格个数",
            en: "Cell tally (TSV): numbers, blanks, placeholders and texts per report",
        },
        many: true,
        exporter: &CellTally,
    }
}
