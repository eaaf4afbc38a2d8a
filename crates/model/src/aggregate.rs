//! The cell-wise sum of reports of one format version and one year.
//!
//! Blanks are never silently 0: a cell that is blank, a placeholder or text in any input makes
//! the summed cell blank (so the rules say *not assessable*) and is listed as a gap, unless
//! `blank_as_zero` is set, in which case blanks and placeholders count as 0 and the gap says so.

use crate::catalogue::{CellDef, ValueKind, catalogue};
use crate::compact::{CellAt, CompactReport};
use crate::report::{Meta, ProcessingFees, Report};
use crate::value::{Cell, MoneyUnit, Num};
use crate::version::FormatVersion;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    #[error("没有可汇总的报告")]
    Empty,
    /// The reports use different format versions.
    #[error("报告 {index} 使用 {found} 格式，其他报告使用 {expected} 格式，不能逐格相加")]
    MixedFormats {
        /// Index of the first report that differs.
        index: usize,
        /// The format of the first report.
        expected: FormatVersion,
        /// The differing format.
        found: FormatVersion,
    },
    /// The reports are for different years.
    #[error("报告 {index} 的年度为 {}，其他报告为 {}，不能逐格相加", year_shown(.found), year_shown(.expected))]
    MixedYears {
        /// Index of the first report that differs.
        index: usize,
        /// The year of the first report (absent when unknown).
        expected: Option<u16>,
        /// The differing year.
        found: Option<u16>,
    },
    /// A sum is beyond the range of exact decimals.
    #[error("单元格 {cell} 的合计超出范围")]
    Overflow {
        /// The cell.
        cell: String,
    },
}

impl AggregateError {
    /// The message in both languages (the `Display` form is the Chinese one).
    pub fn text(&self) -> crate::Text {
        let en = match self {
            AggregateError::Empty => "no reports to sum".to_string(),
            AggregateError::MixedFormats { index, expected, found } => {
                format!("report {index} uses format {found}, the others {expected}: they cannot be summed cell by cell")
            }
            AggregateError::MixedYears { index, expected, found } => format!(
                "report {index} is for {}, the others for {}: they cannot be summed cell by cell",
                year_shown(found),
                year_shown(expected)
            ),
            AggregateError::Overflow { cell } => format!("the sum of {cell} is out of range"),
        };
        crate::Text::new(self.to_string(), en)
    }
}

/// A year in an error message: the digits, or “?” when unknown.
fn year_shown(year: &Option<u16>) -> String {
    year.map_or_else(|| "?".to_string(), |y| y.to_string())
}

/// Sums reports cell by cell into a report of `agency`.
pub fn aggregate(agency: &str, reports: &[&Report], opts: AggregateOptions) -> Result<Aggregate, AggregateError> {
    let first = reports.first().ok_or(AggregateError::Empty)?;
    let (format, year) = (first.meta.format, first.meta.year);
    // Every mismatch is reported before any sum is taken.
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
    let mut sum = CellwiseSum::new(format, year, opts);
    for r in reports {
        sum.add(r)?;
    }
    sum.finish(agency)
}

/// A sum taken one report at a time, so that a batch need not hold every report at once:
/// [`aggregate`] is `CellwiseSum::add` over its inputs.
#[derive(Debug, Clone)]
pub struct CellwiseSum {
    format: FormatVersion,
    year: Option<u16>,
    opts: AggregateOptions,
    /// Per catalogue cell, in form order.
    cells: Vec<CellSum>,
    fees: [Option<Num>; 3],
    count: usize,
}

/// The running sum of one cell and the inputs that did not give it as a number.
#[derive(Debug, Clone)]
struct CellSum {
    sum: Option<Num>,
    /// The plain counts (most cells), added as integers and into `sum` at the end: a decimal
    /// addition for each would cost several times as much.
    counts: i64,
    numbers: usize,
    /// Of a group's cell: the inputs whose figure is the sum of the group's items.
    derived: usize,
    blank: Vec<usize>,
    text: Vec<usize>,
    unit: Vec<usize>,
}

impl CellwiseSum {
    /// An empty sum of reports of `format` for `year` (absent when unknown: such reports are summed apart).
    pub fn new(format: FormatVersion, year: Option<u16>, opts: AggregateOptions) -> Self {
        let cell = CellSum {
            sum: Some(Num::ZERO),
            counts: 0,
            numbers: 0,
            derived: 0,
            blank: Vec::new(),
            text: Vec::new(),
            unit: Vec::new(),
        };
        CellwiseSum {
            format,
            year,
            opts,
            cells: vec![cell; catalogue(format).all_cells().len()],
            fees: [Some(Num::ZERO); 3],
            count: 0,
        }
    }

    /// Adds the next report (its index in gaps is the number added before it).
    pub fn add(&mut self, r: &Report) -> Result<(), AggregateError> {
        self.add_cells(r, |def, _| Some(CellAt::Cell(r.cell(&def.id))))
    }

    /// Adds the next report of a batch held compactly, without rebuilding it.
    pub fn add_compact(&mut self, r: &CompactReport) -> Result<(), AggregateError> {
        let cells = r.cells_by_position();
        self.add_cells(r.report_without_cells(), |_, position| {
            cells.get(position).copied().flatten()
        })
    }

    /// Adds the report whose metadata and fees are in `r` and whose cells `cell` gives, by
    /// catalogue definition and position (`None` for a blank).
    fn add_cells<'c>(
        &mut self,
        r: &Report,
        cell: impl Fn(&CellDef, usize) -> Option<CellAt<'c>>,
    ) -> Result<(), AggregateError> {
        let index = self.count;
        if r.meta.format != self.format {
            return Err(AggregateError::MixedFormats {
                index,
                expected: self.format,
                found: r.meta.format,
            });
        }
        if r.meta.year != self.year {
            return Err(AggregateError::MixedYears {
                index,
                expected: self.year,
                found: r.meta.year,
            });
        }
        let cat = catalogue(self.format);
        let form_len = cat.cells().len();
        let overflow = |def: &CellDef| AggregateError::Overflow { cell: def.id.clone() };
        for (position, (def, acc)) in cat.all_cells().iter().zip(&mut self.cells).enumerate() {
            let found = cell(def, position);
            // A plain count, nearly every cell: no unit, so it counts in a 万元 column too.
            if let Some(CellAt::Count(v)) = found {
                acc.numbers += 1;
                acc.counts = acc.counts.checked_add(i64::from(v)).ok_or_else(|| overflow(def))?;
                continue;
            }
            let mut found = found.map_or(Cow::Borrowed(&Cell::Blank), CellAt::to_cell);
            // A group's cell (（六）其他处理 as one row) of a report that prints the group's items
            // instead: their sum, so that reports printing the group either way add up. It counts
            // only once some report prints the group itself (see `finish`).
            let mut derived = false;
            if position >= form_len
                && matches!(*found, Cell::Blank)
                && let Some(parts) = cat.group_part_positions(position)
            {
                // Counts as integers; any other number as a decimal.
                let (mut counts, mut all_counts) = (0i64, true);
                let other: Option<Num> =
                    parts
                        .iter()
                        .try_fold(Num::ZERO, |acc, &at| match cell(cat.all_cells().get(at)?, at)? {
                            CellAt::Count(v) => {
                                counts = counts.checked_add(i64::from(v))?;
                                Some(acc)
                            }
                            CellAt::Plain(value) | CellAt::Cell(&Cell::Number { value, .. }) => {
                                all_counts = false;
                                acc.checked_add(value)
                            }
                            CellAt::Cell(_) => None,
                        });
                match other {
                    // Items that are all counts: their sum is a count too.
                    Some(_) if all_counts => {
                        acc.derived += 1;
                        acc.counts = acc.counts.checked_add(counts).ok_or_else(|| overflow(def))?;
                        continue;
                    }
                    Some(v) => {
                        let v = v.checked_add(Num::from(counts)).ok_or_else(|| overflow(def))?;
                        found = Cow::Owned(Cell::number(v));
                        derived = true;
                    }
                    None => {}
                }
            }
            match found.as_ref() {
                Cell::Number { value, unit: u, .. } => {
                    if def.kind == ValueKind::MoneyWanYuan && u.is_some_and(|u| u != MoneyUnit::WanYuan) {
                        acc.unit.push(index);
                        continue;
                    }
                    if derived {
                        acc.derived += 1;
                    } else {
                        acc.numbers += 1;
                    }
                    acc.sum = acc.sum.and_then(|s| s.checked_add(*value));
                    if acc.sum.is_none() {
                        return Err(overflow(def));
                    }
                }
                Cell::Blank | Cell::Placeholder { .. } => acc.blank.push(index),
                Cell::Text { .. } => acc.text.push(index),
            }
        }
        // A fee field is summed when every input reports it.
        let fees = r.processing_fees.as_ref();
        let fields: [Option<Num>; 3] = [
            fees.and_then(|f| f.notices_issued),
            fees.and_then(|f| f.notices_amount_yuan),
            fees.and_then(|f| f.collected_yuan),
        ];
        for (acc, v) in self.fees.iter_mut().zip(fields) {
            *acc = acc.and_then(|a| v.and_then(|v| a.checked_add(v)));
        }
        self.count += 1;
        Ok(())
    }

    /// The summed report of `agency` and its gaps.
    pub fn finish(self, agency: &str) -> Result<Aggregate, AggregateError> {
        if self.count == 0 {
            return Err(AggregateError::Empty);
        }
        let mut meta = Meta::new(agency, 0, self.format);
        meta.year = self.year;
        meta.summed_reports = Some(u32::try_from(self.count).unwrap_or(u32::MAX));
        let mut out = Report::new(meta);
        let mut gaps = Vec::new();
        let cat = catalogue(self.format);
        let form_len = cat.cells().len();
        for (position, (def, acc)) in cat.all_cells().iter().zip(self.cells).enumerate() {
            let all_blank = acc.numbers == 0 && acc.text.is_empty() && acc.unit.is_empty();
            // A group's cell is summed only where some input prints the group as one row.
            if all_blank && (!self.opts.blank_as_zero || position >= form_len) {
                continue; // blank in every input: the sum is blank and nothing is lost
            }
            let summable =
                acc.text.is_empty() && acc.unit.is_empty() && (acc.blank.is_empty() || self.opts.blank_as_zero);
            if summable {
                let sum = acc
                    .sum
                    .and_then(|s| s.checked_add(Num::from(acc.counts)))
                    .ok_or_else(|| AggregateError::Overflow { cell: def.id.clone() })?;
                out.cells.set(def.id.clone(), Cell::number(sum));
            }
            for (reason, list) in [
                (GapReason::Blank, acc.blank),
                (GapReason::Text, acc.text),
                (GapReason::Unit, acc.unit),
            ] {
                if !list.is_empty() {
                    let counted_as_zero = reason == GapReason::Blank && self.opts.blank_as_zero;
                    gaps.push(Gap {
                        cell: def.id.clone(),
                        reports: list,
                        reason,
                        counted_as_zero,
                    });
                }
            }
        }
        let [notices_issued, notices_amount_yuan, collected_yuan] = self.fees;
        let fees = ProcessingFees {
            notices_issued,
            notices_amount_yuan,
            collected_yuan,
        };
        out.processing_fees = (fees != ProcessingFees::default()).then_some(fees);
        Ok(Aggregate { report: out, gaps })
    }
}
