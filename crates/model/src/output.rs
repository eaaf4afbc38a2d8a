//! The machine output of `xxgk validate --json`, documented by `schemas/findings.schema.json`.
//! Its shape changes only with [`FINDINGS_SCHEMA_VERSION`].

use crate::finding::{Finding, Location, Severity, Status, Text};
use crate::report::Origins;
use crate::version::{FormatVersion, Lang};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the shape of [`ValidationOutput`].
pub const FINDINGS_SCHEMA_VERSION: u32 = 1;

/// The program and its version as the outputs name it (`tool`): `xxgk 0.1.0`.
pub fn tool() -> String {
    format!("xxgk {}", env!("CARGO_PKG_VERSION"))
}

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

impl ValidationOutput {
    /// The output for `files` with their totals; the exit code follows from the totals.
    pub fn new(strict: bool, blank_as_zero: bool, files: Vec<FileResult>, summary: Summary) -> Self {
        ValidationOutput {
            schema_version: FINDINGS_SCHEMA_VERSION,
            tool: tool(),
            strict,
            blank_as_zero,
            files,
            summary,
            exit_code: summary.exit_code(),
        }
    }
}

/// The outcome for a file or a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No rule failed and every check could be made.
    Pass,
    /// No rule failed, but some checks could not be made because cells they need are blank,
    /// placeholders or unreadable: “部分无法核对”, never shown as a plain pass.
    Partial,
    /// A rule failed.
    Fail,
    /// The file could not be read.
    Error,
}

impl Outcome {
    /// The outcome of one report's findings: `Fail` when a check of severity error failed (or
    /// a warning, when `strict`); `Partial` when none failed but a check over cells could not be
    /// made; `Pass` otherwise. A check that is not assessable for the nature of the source (a
    /// statistics workbook carries no text) names no cells and does not make a report partial.
    pub fn of(findings: &[Finding], strict: bool) -> Outcome {
        let mut partial = false;
        for f in findings {
            match (f.status, f.severity) {
                (Status::Fail, Severity::Error) => return Outcome::Fail,
                (Status::Fail, Severity::Warning) if strict => return Outcome::Fail,
                (Status::NotAssessable, _) if !f.cells.is_empty() => partial = true,
                _ => {}
            }
        }
        if partial { Outcome::Partial } else { Outcome::Pass }
    }

    /// A file's outcome from its reports': failed if one failed, partial if one is, else passed.
    pub fn of_file(reports: impl IntoIterator<Item = Outcome>) -> Outcome {
        let mut out = Outcome::Pass;
        for o in reports {
            match o {
                Outcome::Fail => return Outcome::Fail,
                Outcome::Partial => out = Outcome::Partial,
                _ => {}
            }
        }
        out
    }

    /// The number of checks over cells that could not be made (what makes a report partial).
    pub fn unassessed(findings: &[Finding]) -> usize {
        findings
            .iter()
            .filter(|f| f.status == Status::NotAssessable && !f.cells.is_empty())
            .count()
    }

    /// The outcome in words, as every output shows it (terminal, statistics workbook, the sum's
    /// preamble, the web page): 通过, 部分无法核对, 不通过, 无法读取.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Outcome::Pass, Lang::Zh) => "通过",
            (Outcome::Partial, Lang::Zh) => "部分无法核对",
            (Outcome::Fail, Lang::Zh) => "不通过",
            (Outcome::Error, Lang::Zh) => "无法读取",
            (Outcome::Pass, Lang::En) => "pass",
            (Outcome::Partial, Lang::En) => "partly not assessable",
            (Outcome::Fail, Lang::En) => "fail",
            (Outcome::Error, Lang::En) => "unreadable",
        }
    }

    /// The verdict of one report: its [`word`](Self::word), with the number of checks that
    /// could not be made when it is partial (“部分无法核对（3 项）”).
    pub fn verdict(self, unassessed: usize, lang: Lang) -> String {
        match (self, lang) {
            (Outcome::Partial, Lang::Zh) => format!("{}（{unassessed} 项）", self.word(lang)),
            (Outcome::Partial, Lang::En) => format!("{} ({unassessed})", self.word(lang)),
            _ => self.word(lang).to_string(),
        }
    }

    /// The sign printed before the verdict: ✔ pass, ⚠ partial, ✘ fail or unreadable.
    pub fn mark(self) -> &'static str {
        match self {
            Outcome::Pass => "✔",
            Outcome::Partial => "⚠",
            Outcome::Fail | Outcome::Error => "✘",
        }
    }
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
    /// 年度 (absent when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Where the year and the agency were found, when a reader had to look for them.
    #[serde(default, skip_serializing_if = "Origins::is_empty")]
    pub origins: Origins,
    /// Format version.
    pub format: FormatVersion,
    /// Pass, partly not assessable, or fail.
    pub outcome: Outcome,
    /// Counts of findings.
    pub counts: Counts,
    /// Every finding, passes included.
    pub findings: Vec<Finding>,
}

impl ReportResult {
    /// One report's result: its metadata, outcome and counts, and every finding.
    pub fn new(meta: crate::report::Meta, findings: Vec<Finding>, strict: bool) -> Self {
        ReportResult {
            agency: meta.agency,
            year: meta.year,
            origins: meta.origins,
            format: meta.format,
            outcome: Outcome::of(&findings, strict),
            counts: Counts::of(&findings),
            findings,
        }
    }
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

impl Summary {
    /// The exit code these totals give: 2 when a file could not be read, 1 when a report
    /// failed, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }

    /// Counts one report of the given outcome and findings.
    pub fn add(&mut self, outcome: Outcome, counts: Counts) {
        self.reports += 1;
        match outcome {
            Outcome::Fail => self.failed += 1,
            Outcome::Partial => self.partial += 1,
            _ => self.passed += 1,
        }
        self.counts.add(counts);
    }
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
    /// Files found in folders that were not read (see `skipped` of `aggregate --json`).
    #[serde(default)]
    pub skipped: usize,
    /// Reports checked.
    pub reports: usize,
    /// Reports with no failure whose every check could be made.
    pub passed: usize,
    /// Reports with no failure of which some checks could not be made (blank or unreadable cells).
    #[serde(default)]
    pub partial: usize,
    /// Reports with a failure.
    pub failed: usize,
    /// Findings over all reports.
    pub counts: Counts,
}

/// Version of the shape of [`AggregateOutput`].
pub const AGGREGATE_SCHEMA_VERSION: u32 = 1;

/// # xxgk aggregate --json
///
/// The result of a batch: what was read, what was summed, what failed, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AggregateOutput {
    /// Version of this shape (currently 1).
    pub schema_version: u32,
    /// The program and its version.
    pub tool: String,
    /// Whether a failed warning counts as a failure.
    pub strict: bool,
    /// Whether blanks and placeholders were counted as 0.
    pub blank_as_zero: bool,
    /// Whether reports with a failed rule were left out of the sums.
    pub exclude_failing: bool,
    /// Files that could not be read, with the reason; they are not in the sums.
    pub unreadable: Vec<Unreadable>,
    /// Files a folder or pattern held that were not read, with the reason (a type xxgk does not
    /// read, a hidden or lock file, a link back to a folder already read, a FIFO or device): every
    /// file found is listed once, as read, unreadable or here.
    #[serde(default)]
    pub skipped: Vec<SkippedFile>,
    /// Every report read, in input order.
    pub reports: Vec<BatchReport>,
    /// One sum per format version and year present.
    pub sums: Vec<SumResult>,
    /// How this year's reports were matched to last year's (`--previous`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<MatchingSummary>,
    /// The batch checked against the list of units that must report (`--roster`): who has
    /// reported, who has not, who twice, files that match no unit, and near-misses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<crate::roster::RosterCheck>,
    /// The parent report checked against the sum (`--parent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<BatchReport>,
    /// The file written, with the exporter used.
    pub output: String,
    /// The exporter used.
    pub exporter: String,
    /// The files written by `--sum-out`: each sum as the official form, one per format and year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sum_outputs: Vec<String>,
    /// Totals.
    pub summary: Summary,
    /// The exit code: 0 no failure, 1 a rule failed, 2 an input could not be read.
    pub exit_code: u8,
}

/// A file found in a folder that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SkippedFile {
    /// The file.
    pub file: String,
    /// Why it was not read.
    pub reason: Text,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Unreadable {
    /// The file.
    pub file: String,
    /// Why.
    pub error: FileError,
}

/// One report of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BatchReport {
    /// The file it came from.
    pub file: String,
    /// 机关名称.
    pub agency: String,
    /// 年度 (absent when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Where the year and the agency were found, when a reader had to look for them.
    #[serde(default, skip_serializing_if = "Origins::is_empty")]
    pub origins: Origins,
    /// Format version.
    pub format: FormatVersion,
    /// Pass, partly not assessable, or fail (its own rules, last year's and the batch's).
    pub outcome: Outcome,
    /// Counts of findings.
    pub counts: Counts,
    /// Whether it is counted in the sum.
    pub included: bool,
    /// Why it is not: `duplicate`, `failing` (with `--exclude-failing`) or `parent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded_because: Option<crate::aggregation::Exclusion>,
    /// The findings that did not pass.
    pub findings: Vec<Finding>,
}

/// The sum of the reports of one format version and year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SumResult {
    /// Format version.
    pub format: FormatVersion,
    /// 年度 (absent for the sum of the reports whose year is unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// How many reports it sums.
    pub reports: usize,
    /// Pass or fail under the same rules as a single report.
    pub outcome: Outcome,
    /// Counts of findings.
    pub counts: Counts,
    /// Cells that some reports left blank or unreadable.
    pub gaps: Vec<crate::aggregate::Gap>,
    /// The findings that did not pass.
    pub findings: Vec<Finding>,
}

/// How reports were matched across years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MatchingSummary {
    /// Previous-year reports read.
    pub previous_reports: usize,
    /// Matched pairs.
    pub matched: Vec<MatchedPair>,
    /// This year's reports with no counterpart (file: agency).
    pub unmatched_current: Vec<String>,
    /// Last year's reports with no counterpart (file: agency).
    pub unmatched_previous: Vec<String>,
}

/// One report matched to last year's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MatchedPair {
    /// This year's file.
    pub current: String,
    /// Last year's file.
    pub previous: String,
    /// How they were matched.
    pub basis: crate::batch::MatchBasis,
}
