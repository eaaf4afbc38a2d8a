//! `json`: the model as it is (one report as an object, several as an array) and `jsonl`
//! (one report per line), as documented by `schemas/report.schema.json`.

use crate::{ExportError, Exporter, ExporterEntry, Options};
use std::io::Write;
use xxgk_model::{Label, Report};

struct Json;

impl Exporter for Json {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        let json = match reports {
            [one] => serde_json::to_string_pretty(one),
            many => serde_json::to_string_pretty(many),
        }
        .map_err(|e| ExportError::Format {
            format: "JSON",
            message: e.to_string(),
        })?;
        out.write_all(json.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    }
}

struct JsonLines;

impl Exporter for JsonLines {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        for r in reports {
            serde_json::to_writer(&mut *out, r).map_err(|e| ExportError::Format {
                format: "JSON",
                message: e.to_string(),
            })?;
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
