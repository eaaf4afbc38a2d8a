//! What `xxgk convert` writes, for every front end: the reports with the findings of the rules
//! (default options) located in their source files, for exporters that list them.

use crate::{ExportError, ExporterEntry, Options};
use std::io::Write;
use xxgk_model::{CheckOptions, Finding, Lang, Report, SourceMap, check};

/// Each report's findings under the rules' default options, each cell located in its source
/// (`sources` in the reports' order).
pub fn located_findings(reports: &[Report], sources: &[SourceMap]) -> Vec<Vec<Finding>> {
    reports
        .iter()
        .zip(sources)
        .map(|(r, s)| {
            let mut f = check(r, &CheckOptions::default());
            s.locate(&mut f);
            f
        })
        .collect()
}

/// Writes `reports` with `exporter`, with their `findings` (see [`located_findings`]), as
/// `xxgk convert` does.
pub fn convert(
    exporter: &ExporterEntry,
    reports: &[Report],
    findings: &[Vec<Finding>],
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let opts = Options {
        lang,
        findings: Some(findings),
        ..Options::default()
    };
    exporter.run(reports, out, &opts)
}
