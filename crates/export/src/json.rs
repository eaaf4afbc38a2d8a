//! `json`: the model as it is (one report as an object, several as an array) and `jsonl`
//! (one report per line), as documented by `schemas/report.schema.json`.

use crate::{ExportError, Exporter, ExporterEntry, Options, ReportBatch};
use serde::Serializer;
use std::io::Write;
use xxgk_model::{Label, Report};

/// A serialisation error as the exporter reports it.
fn format_error(e: serde_json::Error) -> ExportError {
    ExportError::Format {
        format: "JSON",
        message: e.to_string(),
    }
}

struct Json;

impl Exporter for Json {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        let json = match reports {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        }
        .map_err(format_error)?;
        out.write_all(json.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// The array written a report at a time, as `export` writes it: a batch of 20,000 reports
    /// is not built whole, nor its text (about 30 KB a report).
    fn export_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        if batch.len() == 1 {
            return self.export(std::slice::from_ref(&*batch.report(0)), out, opts);
        }
        let mut json = serde_json::Serializer::pretty(&mut *out);
        json.collect_seq((0..batch.len()).map(|i| batch.report(i)))
            .map_err(format_error)?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

struct JsonLines;

impl Exporter for JsonLines {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        for r in reports {
            serde_json::to_writer(&mut *out, r).map_err(format_error)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// A line a report, each built only while it is written.
    fn export_batch(&self, batch: &dyn ReportBatch, out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        for i in 0..batch.len() {
            serde_json::to_writer(&mut *out, &batch.report(i)).map_err(format_error)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

inventory::submit! {
    ExporterEntry {
        name: "json",
        extension: "json",
        description: Label {
            zh: "JSON：模型原样输出（一份报告为对象，多份为数组），见 schemas/report.schema.json",
            en: "JSON: the model as it is (one report as an object, several as an array); see schemas/report.schema.json",
        },
        many: true,
        exporter: &Json,
    }
}

inventory::submit! {
    ExporterEntry {
        name: "jsonl",
        extension: "jsonl",
        description: Label {
            zh: "JSON Lines：每行一份报告",
            en: "JSON Lines: one report per line",
        },
        many: true,
        exporter: &JsonLines,
    }
}
