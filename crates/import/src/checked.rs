//! A file read and checked as the front ends show it (the command line's `validate` and
//! `aggregate`, the web page): what is not printing or files lives here, once.

use crate::{ImportOptions, Imported, import};
use xxgk_model::aggregation::BatchEntry;
use xxgk_model::output::{FileResult, Outcome, ReportResult, Summary, ValidationOutput};
use xxgk_model::{CheckOptions, CompactReport, Report, SharedLocations, SourceMap};

/// One file read and checked: its result as `validate --json` gives it, and the reports read,
/// each with where its cells came from (for an export or a form drawn with its findings).
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// The file's entry of `validate --json`.
    pub result: FileResult,
    /// The reports, in the file's order.
    pub reports: Vec<(Report, SourceMap)>,
}

impl CheckedFile {
    /// The whole `validate --json` document of this one file.
    pub fn output(&self, check: &CheckOptions, strict: bool) -> ValidationOutput {
        let mut summary = Summary {
            files: 1,
            ..Summary::default()
        };
        if self.result.outcome == Outcome::Error {
            summary.unreadable = 1;
        }
        for r in &self.result.reports {
            summary.add(r.outcome, r.counts);
        }
        ValidationOutput::new(strict, check.blank_as_zero, vec![self.result.clone()], summary)
    }
}

/// Reads `bytes` (named `name`) and checks every report in it, as `xxgk validate` does for one
/// file: a file that cannot be read is a result of outcome `error`, never a panic.
pub fn check_file(
    name: &str,
    bytes: &[u8],
    import_opts: &ImportOptions,
    check: &CheckOptions,
    strict: bool,
) -> CheckedFile {
    match import(name, bytes, import_opts) {
        Err(e) => CheckedFile {
            result: FileResult {
                file: name.to_string(),
                outcome: Outcome::Error,
                error: Some(e.file_error()),
                reports: Vec::new(),
            },
            reports: Vec::new(),
        },
        Ok(imported) => {
            let mut results = Vec::new();
            let mut reports = Vec::new();
            for imp in imported {
                let (report, findings, sources) = imp.checked(check);
                results.push(ReportResult::new(report.meta.clone(), findings, strict));
                reports.push((report, sources));
            }
            CheckedFile {
                result: FileResult {
                    file: name.to_string(),
                    outcome: Outcome::of_file(results.iter().map(|r| r.outcome)),
                    error: None,
                    reports: results,
                },
                reports,
            }
        }
    }
}

/// What a batch entry keeps of its report besides the tables and the metadata the file holds.
#[derive(Debug, Clone, Copy)]
pub struct Keeping {
    /// The preamble and the sections (for an exporter that writes them, or last year's
    /// comparison).
    pub texts: bool,
    /// The file it was read from, as the report's source where the file names none: a
    /// statistics workbook lists it; a conversion writes only what the file holds.
    pub source_file: bool,
}

impl Imported {
    /// The report as one entry of a batch: checked with `check` (whose passes a batch only
    /// counts: `brief_passes`), its findings' locations shared across the batch, kept as
    /// `keeping` says.
    pub fn into_batch_entry(
        self,
        file: &str,
        check: &CheckOptions,
        keeping: Keeping,
        locations: &SharedLocations,
    ) -> BatchEntry {
        let (mut report, mut findings, _) = self.checked(check);
        locations.share(&mut findings);
        if keeping.source_file {
            report.meta.source.get_or_insert_with(|| file.to_string());
        }
        let compact = CompactReport::new(report);
        let compact = if keeping.texts {
            compact
        } else {
            compact.without_texts()
        };
        BatchEntry::new(file.to_string(), compact, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn a_file_checked_is_what_validate_says() {
        let check = CheckOptions::default();
        let opts = ImportOptions::default();
        let good = check_file("valid-2021.json", &fixture("valid-2021.json"), &opts, &check, false);
        assert_eq!(good.result.outcome, Outcome::Pass);
        assert_eq!(good.reports.len(), 1);
        assert_eq!(good.output(&check, false).exit_code, 0);

        let broken = check_file("T3-BAL.json", &fixture("broken/T3-BAL.json"), &opts, &check, false);
        assert_eq!(broken.result.outcome, Outcome::Fail);
        let out = broken.output(&check, false);
        assert_eq!((out.exit_code, out.summary.failed, out.summary.reports), (1, 1, 1));
        // Every finding's cells are located in the file (a JSON pointer here).
        let failed = broken.result.reports[0]
            .findings
            .iter()
            .find(|f| f.rule == "T3-BAL" && f.status == xxgk_model::Status::Fail)
            .expect("T3-BAL fails");
        assert!(failed.cells.iter().all(|c| c.location.is_some()));

        let junk = check_file("报表.xlsx", b"not a workbook", &opts, &check, false);
        assert_eq!(junk.result.outcome, Outcome::Error);
        assert!(junk.reports.is_empty());
        let out = junk.output(&check, false);
        assert_eq!((out.exit_code, out.summary.unreadable), (2, 1));
        assert_eq!(junk.result.error.as_ref().map(|e| e.kind.as_str()), Some("format"));
    }
}
