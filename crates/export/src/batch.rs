//! What `xxgk aggregate` hands its exporter, for every front end: every report of the batch
//! from its compact form, one at a time, then the parent and the sums, with their findings and
//! whether a statistics total leaves them out.

use crate::{ExportError, ExporterEntry, Options, ReportBatch};
use std::borrow::Cow;
use std::io::Write;
use xxgk_model::aggregation::{BatchEntry, Exclusion, GroupSum};
use xxgk_model::{CellAt, Finding, Meta, Report};

/// The output of a batch: its entries, then the parent and the sums.
pub struct BatchOutput<'a> {
    entries: &'a [BatchEntry],
    extra: Vec<Report>,
    /// The findings of each report of the output, in its order.
    pub findings: Vec<Vec<Finding>>,
    outside_total: Vec<bool>,
    exclusions: Vec<Option<Exclusion>>,
}

impl<'a> BatchOutput<'a> {
    /// Takes the findings out of the entries (they go to the output, not copied).
    pub fn take_findings(entries: &mut [BatchEntry]) -> Vec<Vec<Finding>> {
        entries.iter_mut().map(|e| std::mem::take(&mut e.findings)).collect()
    }

    /// The output of `entries` (whose findings [`BatchOutput::take_findings`] took), then the
    /// parent's report, then each sum. Excluded reports, the parent and the sums are outside a
    /// statistics total.
    pub fn new(
        entries: &'a [BatchEntry],
        mut findings: Vec<Vec<Finding>>,
        parent: Option<&BatchEntry>,
        sums: &[GroupSum],
    ) -> Self {
        let mut outside_total: Vec<bool> = entries.iter().map(|e| e.excluded.is_some()).collect();
        let mut exclusions: Vec<Option<Exclusion>> = entries.iter().map(|e| e.excluded).collect();
        let mut extra = Vec::new();
        if let Some(p) = parent {
            extra.push(p.report.to_report());
            findings.push(p.findings.clone());
            outside_total.push(true);
            exclusions.push(Some(Exclusion::Parent));
        }
        for s in sums {
            extra.push(s.report.clone());
            findings.push(s.findings.clone());
            outside_total.push(true);
            exclusions.push(None);
        }
        BatchOutput {
            entries,
            extra,
            findings,
            outside_total,
            exclusions,
        }
    }

    /// Writes the output with `exporter`; `opts` gives the language, the files not read, the
    /// strictness and the roster, and this output the rest.
    pub fn write(&self, exporter: &ExporterEntry, out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        let opts = Options {
            findings: Some(&self.findings),
            outside_total: Some(&self.outside_total),
            exclusions: Some(&self.exclusions),
            ..*opts
        };
        exporter.run_batch(self, out, &opts)
    }
}

impl ReportBatch for BatchOutput<'_> {
    fn len(&self) -> usize {
        self.entries.len() + self.extra.len()
    }

    fn report(&self, index: usize) -> Cow<'_, Report> {
        match self.entries.get(index) {
            Some(e) => Cow::Owned(e.report.to_report()),
            None => Cow::Borrowed(&self.extra[index - self.entries.len()]),
        }
    }

    fn meta(&self, index: usize) -> Meta {
        match self.entries.get(index) {
            Some(e) => e.report.report_without_cells().meta.clone(),
            None => self.extra[index - self.entries.len()].meta.clone(),
        }
    }

    fn cells_by_position(&self, index: usize) -> Vec<Option<CellAt<'_>>> {
        match self.entries.get(index) {
            Some(e) => e.report.cells_by_position(),
            None => self.extra[index - self.entries.len()].cells_by_position(),
        }
    }
}

/// Writes one sum of a batch as the official form (`aggregate --sum-out`): the summed report
/// with its preamble saying what it is ([`GroupSum::official_report`]) and its findings.
pub fn write_sum(
    exporter: &ExporterEntry,
    sum: &GroupSum,
    entries: &[BatchEntry],
    lang: xxgk_model::Lang,
    strict: bool,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let report = sum.official_report(entries);
    let findings = vec![sum.findings.clone()];
    let opts = Options {
        lang,
        findings: Some(&findings),
        strict,
        ..Options::default()
    };
    exporter.run(std::slice::from_ref(&report), out, &opts)
}
