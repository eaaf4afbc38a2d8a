//! # xxgk-export
//!
//! Exporters turn reports into files. Each one is a value implementing [`Exporter`] that
//! registers itself with `inventory::submit!` in its own module; the CLI lists and picks them
//! by name through [`exporters`]. A new exporter is one new file and nothing else changes.
//!
//! Exporters write to any `Write` and never touch the file system, and take every label and
//! layout from the model's catalogue.
#![deny(missing_docs)]
#![deny(unreachable_pub)]

pub mod batch;
pub mod convert;
mod csv_long;
mod csv_wide;
pub mod docx;
pub mod form_xlsx;
mod html;
mod json;
mod markdown;
mod render;
pub mod roster_form;
pub mod safety;
mod xlsx_stats;
pub use xlsx_stats::in_guarded_writer;

use std::borrow::Cow;
use std::io::Write;
use thiserror::Error;
use xxgk_model::{CellAt, Finding, Label, Lang, Meta, Report};

/// What an exporter is given besides the reports.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Language of labels and messages where the format is meant for people.
    pub lang: Lang,
    /// The findings of each report (same order as the reports), when checked.
    pub findings: Option<&'a [Vec<Finding>]>,
    /// Inputs that could not be read: (file, reason).
    pub unreadable: &'a [(String, String)],
    /// Files found in folders that were not read (not a report, a type not read yet): (file, reason).
    pub skipped: &'a [(String, String)],
    /// Per report (same order), whether a statistics total must leave it out: a parent report,
    /// a duplicate, or one excluded as failing. Reports that are sums are always left out.
    pub outside_total: Option<&'a [bool]>,
    /// Per report (same order), why a batch leaves it out of the sum, where it does: the
    /// statistics workbook counts duplicates and excluded reports apart, and does not count the
    /// parent as a report of the batch.
    pub exclusions: Option<&'a [Option<xxgk_model::aggregation::Exclusion>]>,
    /// Whether a failed warning makes a report fail (`--strict`), so that a verdict written
    /// into the output agrees with the terminal and `--json`.
    pub strict: bool,
    /// The batch checked against the list of units that must report (`aggregate --roster`):
    /// the statistics workbook shows it on a sheet of its own.
    pub roster: Option<&'a xxgk_model::roster::RosterCheck>,
}

/// Why an export failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing failed.
    #[error("写入失败：{}", xxgk_model::io_error_text(.0).zh)]
    Io(#[from] std::io::Error),
    /// The exporter takes one report and was given several (or none).
    #[error("导出格式 {exporter} 只能导出一份报告，收到 {count} 份")]
    OneReportOnly {
        /// The exporter's name.
        exporter: &'static str,
        /// How many reports were given.
        count: usize,
    },
    /// The file format library refused the data.
    #[error("生成 {format} 文件失败：{message}")]
    Format {
        /// The file format.
        format: &'static str,
        /// The library's message.
        message: String,
    },
    /// A temporary file of a large statistics workbook could not be written (a full disk).
    #[error(
        "写出统计表时，临时文件写入失败（{detail}）；请检查临时文件夹所在磁盘的剩余空间，或用环境变量 TMPDIR 指定其他文件夹"
    )]
    TempFiles {
        /// What the writing library said.
        detail: String,
    },
}

impl ExportError {
    /// The message in both languages (the `Display` form is the Chinese one).
    pub fn text(&self) -> xxgk_model::Text {
        use xxgk_model::Text;
        match self {
            ExportError::Io(e) => {
                let e = xxgk_model::io_error_text(e);
                Text::new(format!("写入失败：{}", e.zh), format!("writing failed: {}", e.en))
            }
            ExportError::OneReportOnly { exporter, count } => Text::new(
                self.to_string(),
                format!("the {exporter} export takes exactly one report; it was given {count}"),
            ),
            ExportError::Format { format, message } => {
                Text::new(self.to_string(), format!("cannot make the {format} file: {message}"))
            }
            ExportError::TempFiles { detail } => Text::new(
                self.to_string(),
                format!(
                    "writing the statistics workbook, a temporary file could not be written ({detail}); check the free space of the temporary folder's disk, or choose another folder with the TMPDIR environment variable"
                ),
            ),
        }
    }
}

/// Turns reports into one file.
pub trait Exporter: Sync {
    /// Writes `reports` to `out`.
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError>;

    /// Writes the reports of a batch that hands them out one at a time. By default every report
    /// is taken at once and [`Exporter::export`] runs; an exporter that writes reports one after
    /// another overrides it, so that a batch of thousands never holds them all.
    fn export_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        let reports: Vec<Report> = (0..batch.len()).map(|i| batch.report(i).into_owned()).collect();
        self.export(&reports, out, opts)
    }

    /// Whether the output shows the reports' texts (preamble and sections). A batch may drop them
    /// from memory before exporting when it does not.
    fn writes_texts(&self) -> bool {
        true
    }
}

/// Reports handed out one at a time, by index (the order of the output).
pub trait ReportBatch: Sync {
    /// How many reports there are.
    fn len(&self) -> usize;

    /// Whether there is none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The report at `index` (`index < len()`): borrowed where the batch holds it whole, built
    /// anew on each call where it holds it compactly.
    fn report(&self, index: usize) -> Cow<'_, Report>;

    /// The metadata of the report at `index`; an implementation can give it without building
    /// the whole report.
    fn meta(&self, index: usize) -> Meta {
        self.report(index).into_owned().meta
    }

    /// The cells of the report at `index` by position in its format's catalogue (`None` where
    /// blank): for a writer that goes through the form cell by cell. A batch held compactly
    /// gives them without rebuilding the report, and its counts without a [`Cell`] each.
    fn cells_by_position(&self, index: usize) -> Vec<Option<CellAt<'_>>>;
}

impl ReportBatch for &[Report] {
    fn len(&self) -> usize {
        <[Report]>::len(self)
    }

    fn report(&self, index: usize) -> Cow<'_, Report> {
        Cow::Borrowed(&self[index])
    }

    fn meta(&self, index: usize) -> Meta {
        self[index].meta.clone()
    }

    fn cells_by_position(&self, index: usize) -> Vec<Option<CellAt<'_>>> {
        self[index].cells_by_position()
    }
}

/// A registered exporter. `const`-constructible because `inventory::submit!` stores it in a static.
pub struct ExporterEntry {
    /// Name used with `--to` (`json`, `csv`).
    pub name: &'static str,
    /// File extension it writes, without the dot; `convert` picks an exporter by it.
    pub extension: &'static str,
    /// What it writes, in Chinese and English.
    pub description: Label,
    /// Whether it takes several reports at once.
    pub many: bool,
    /// The exporter.
    pub exporter: &'static dyn Exporter,
}

inventory::collect!(ExporterEntry);

/// Every registered exporter, sorted by name (inventory's order is unspecified).
pub fn exporters() -> Vec<&'static ExporterEntry> {
    let mut all: Vec<_> = inventory::iter::<ExporterEntry>.into_iter().collect();
    all.sort_by_key(|e| e.name);
    all
}

/// What `xxgk exporters --json` lists of an exporter (and the web page's list).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExporterInfo {
    /// The name given to `--to`.
    pub name: &'static str,
    /// The file extension it writes.
    pub extension: &'static str,
    /// Whether it writes a whole batch.
    pub many: bool,
    /// What it writes, in Chinese.
    pub description_zh: &'static str,
    /// What it writes, in English.
    pub description_en: &'static str,
}

/// Every registered exporter as `xxgk exporters --json` lists it, sorted by name.
pub fn exporter_list() -> Vec<ExporterInfo> {
    exporters()
        .into_iter()
        .map(|e| ExporterInfo {
            name: e.name,
            extension: e.extension,
            many: e.many,
            description_zh: e.description.zh,
            description_en: e.description.en,
        })
        .collect()
}

/// The exporter with a name.
pub fn by_name(name: &str) -> Option<&'static ExporterEntry> {
    exporters().into_iter().find(|e| e.name.eq_ignore_ascii_case(name))
}

/// The exporter for a file name's extension (the first by name when several share it).
pub fn by_extension(file_name: &str) -> Option<&'static ExporterEntry> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    exporters().into_iter().find(|e| e.extension == ext)
}

impl ExporterEntry {
    /// Exports, checking that a one-report exporter gets exactly one report.
    pub fn run(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        if !self.many && reports.len() != 1 {
            return Err(ExportError::OneReportOnly {
                exporter: self.name,
                count: reports.len(),
            });
        }
        self.exporter.export(reports, out, opts)
    }

    /// [`ExporterEntry::run`] for a batch handed out one report at a time.
    pub fn run_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        if !self.many && batch.len() != 1 {
            return Err(ExportError::OneReportOnly {
                exporter: self.name,
                count: batch.len(),
            });
        }
        self.exporter.export_batch(batch, out, opts)
    }
}
