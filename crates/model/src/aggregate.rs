//! The cell-wise sum of reports of one format version and one year.
//!
//! Blanks are never silently 0: a cell that is blank, a placeholder or text in any input makes
//! the summed cell blank (so the rules say *not assessable*) and is listed as a gap, unless
//! `blank_as_zero` is set, in which case blanks and placeholders count as 0 and the gap says so.

use crate::catalogue::{ValueKind, catalogue};
use crate::report::{Meta, ProcessingFees, Report};
use crate::value::{Cell, MoneyUnit, Num};
use crate::version::FormatVersion;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Options of a sum.
#[derive(Debug, Clone, Copy, Default)]
pub struct AggregateOptions {
    /// Count blanks and placeholders as 0.
    pub blank_as_zero: bool,
}

/// Why an input's cell was not summed as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    /// Blank or a placeholder.
    Blank,
    /// Text that is no number.
    Text,
    /// An amount in another unit than the column's.
    Unit,
}

/// A cell of the sum that some inputs did not give as a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Gap {
    /// Catalogue id.
    pub cell: String,
    /// Indices (into the inputs) of the reports concerned.
    pub reports: Vec<usize>,
    /// Why.
    pub reason: GapReason,
    /// Whether these inputs were counted as 0 (`blank_as_zero`).
    pub counted_as_zero: bool,
}

/// A summed report and what could not be summed.
#[derive(Debug, Clone)]
pub struct Aggregate {
    /// The sum.
    pub report: Report,
    /// Cells that some inputs left blank or unreadable.
    pub gaps: Vec<Gap>,
}

/// Why reports cannot be summed.
#[derive(Debug, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum AggregateError {
    /// No reports were given.
    #[error("没有可汇总的报告 (no reports to sum)")]
    Empty,
    /// The reports use different format versions.
    #[error(
        "报告 {index} 使用 {found} 格式，其他报告使用 {expected} 格式，不能逐格相加 (report {index} uses format {found}, the others {expected})"
    )]
    MixedFormats {
        /// Index of the first report that differs.
        index: usize,
        /// The format of the first report.
        expected: FormatVersion,
        /// The differing format.
        found: FormatVersion,
    },
    /// The reports are for different years.
    #[error(
        "报告 {index} 的年度为 {found}，其他报告为 {expected} (report {index} is for {found}, the others for {expected})"
    )]
    MixedYears {
        /// Index of the first report that differs.
        index: usize,
        /// The year of the first report.
        expected: u16,
        /// The differing year.
        found: u16,
    },
    /// A sum is beyond the range of exact decimals.
    #[error("单元格 {cell} 的合计超出范围 (the sum of {cell} is out of range)")]
    Overflow {
        /// The cell.
        cell: String,
    },
}

/// Sums reports cell by cell into a report of `agency`.
pub fn aggregate(agency: &str, reports: &[&Report], opts: AggregateOptions) -> Result<Aggregate, AggregateError> {
    let first = reports.first().ok_or(AggregateError::Empty)?;
    let (format, year) = (first.meta.format, first.meta.year);
    for (index, r) in reports.iter().enumerate() {
        if r.meta.format != format {
            return Err(AggregateError::MixedFormats {
                index,
                expected: format,
                found: r.meta.format,
            });
        }
        if r.meta.year != year {
            return Err(AggregateError::MixedYears {
                index,
                expected: year,
                found: r.meta.year,
            });
        }
    }
    let mut meta = Meta::new(agency, year, format);
    meta.summed_reports = Some(u32::try_from(reports.len()).unwrap_or(u32::MAX));
    let mut out = Report::new(meta);
    let mut gaps = Vec::new();
    for def in catalogue(format).cells() {
        let mut sum = Some(Num::ZERO);
        let mut blank = Vec::new();
        let mut text = Vec::new();
        let mut unit = Vec::new();
        let mut numbers = 0usize;
        for (i, r) in reports.iter().enumerate() {
            match r.cell(&def.id) {
                Cell::Number { value, unit: u, .. } => {
                    if def.kind == ValueKind::MoneyWanYuan && u.is_some_and(|u| u != MoneyUnit::WanYuan) {
                        unit.push(i);
                        continue;
                    }
                    numbers += 1;
                    sum = sum.and_then(|s| s.checked_add(*value));
                    if sum.is_none() {
                        return Err(AggregateError::Overflow { cell: def.id.clone() });
                    }
                }
                Cell::Blank | Cell::Placeholder { .. } => blank.push(i),
                Cell::Text { .. } => text.push(i),
            }
        }
        let all_blank = numbers == 0 && text.is_empty() && unit.is_empty();
        if all_blank && !opts.blank_as_zero {
            continue; // blank in every input: the sum is blank and nothing is lost
        }
        let summable = text.is_empty() && unit.is_empty() && (blank.is_empty() || opts.blank_as_zero);
        if summable && let Some(s) = sum {
            out.cells.set(def.id.clone(), Cell::number(s));
        }
        for (reason, list) in [
            (GapReason::Blank, blank),
            (GapReason::Text, text),
            (GapReason::Unit, unit),
        ] {
            if !list.is_empty() {
                let counted_as_zero = reason == GapReason::Blank && opts.blank_as_zero;
                gaps.push(Gap {
                    cell: def.id.clone(),
                    reports: list,
                    reason,
                    counted_as_zero,
                });
            }
        }
    }
    out.processing_fees = sum_fees(reports);
    Ok(Aggregate { report: out, gaps })
}

/// Sums each fee field that every input reports.
fn sum_fees(reports: &[&Report]) -> Option<ProcessingFees> {
    let field = |get: fn(&ProcessingFees) -> Option<Num>| -> Option<Num> {
        reports.iter().try_fold(Num::ZERO, |acc, r| {
            r.processing_fees
                .as_ref()
                .and_then(get)
                .and_then(|v| acc.checked_add(v))
        })
    };
    let fees = ProcessingFees {
        notices_issued: field(|f| f.notices_issued),
        notices_amount_yuan: field(|f| f.notices_amount_yuan),
        collected_yuan: field(|f| f.collected_yuan),
    };
    (fees != ProcessingFees::default()).then_some(fees)
}
