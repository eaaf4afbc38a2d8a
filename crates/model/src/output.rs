//! The machine output of `xxgk validate --json`, documented by `schemas/findings.schema.json`.
//! Its shape changes only with [`FINDINGS_SCHEMA_VERSION`].

use crate::finding::{Finding, Location, Severity, Status, Text};
use crate::version::FormatVersion;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the shape of [`ValidationOutput`].
pub const FINDINGS_SCHEMA_VERSION: u32 = 1;

/// # xxgk validate --json
///
/// The result of checking one or more files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationOutput {
    /// Version of this shape (currently 1).
    pub schema_version: u32,
    /// The program and its version, e.g. `xxgk 0.1.0`.
    pub tool: String,
    /// Whether a failed warning counts as a failure.
    pub strict: bool,
    /// Whether blanks and placeholders were counted as 0.
    pub blank_as_zero: bool,
    /// One entry per input file, in the order given.
    pub files: Vec<FileResult>,
    /// Totals over all files.
    pub summary: Summary,
    /// The exit code: 0 no failure, 1 a rule failed, 2 an input could not be read.
    pub exit_code: u8,
}

/// The outcome for a file or a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No rule failed.
    Pass,
    /// A rule failed.
    Fail,
    /// The file could not be read.
    Error,
}

/// The result for one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileResult {
    /// The file as given.
    pub file: String,
    /// Pass, fail, or error when it could not be read.
    pub outcome: Outcome,
    /// Why the file could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FileError>,
    /// The reports in the file (a JSON array or a multi-report CSV holds several).
    #[serde(default)]
    pub reports: Vec<ReportResult>,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileError {
    /// `syntax`, `shape`, `format`, `missing`, `limit` or `io`.
    pub kind: String,
    /// Where in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What was found and what was expected.
    pub message: Text,
}

/// The result for one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReportResult {
    /// 机关名称.
    pub agency: String,
    /// 年度.
    pub year: u16,
    /// Format version.
    pub format: FormatVersion,
    /// Pass or fail.
    pub outcome: Outcome,
    /// Counts of findings.
    pub counts: Counts,
    /// Every finding, passes included.
    pub findings: Vec<Finding>,
}

/// Counts of findings by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Counts {
    /// Failed checks of severity error.
    pub errors: usize,
    /// Failed checks of severity warning.
    pub warnings: usize,
    /// Failed checks of severity info.
    pub infos: usize,
    /// Checks that could not be made.
    pub not_assessable: usize,
    /// Checks that passed.
    pub passed: usize,
}

impl Counts {
    /// Counts a list of findings.
    pub fn of(findings: &[Finding]) -> Self {
        let mut c = Counts::default();
        for f in findings {
            match (f.status, f.severity) {
                (Status::Pass, _) => c.passed += 1,
                (Status::NotAssessable, _) => c.not_assessable += 1,
                (Status::Fail, Severity::Error) => c.errors += 1,
                (Status::Fail, Severity::Warning) => c.warnings += 1,
                (Status::Fail, Severity::Info) => c.infos += 1,
            }
        }
        c
    }

    /// Adds another count.
    pub fn add(&mut self, o: Counts) {
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.infos += o.infos;
        self.not_assessable += o.not_assessable;
        self.passed += o.passed;
    }
}

/// Totals over all files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Files given.
    pub files: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// Reports checked.
    pub reports: usize,
    /// Reports with no failure.
    pub passed: usize,
    /// Reports with a failure.
    pub failed: usize,
    /// Findings over all reports.
    pub counts: Counts,
}
