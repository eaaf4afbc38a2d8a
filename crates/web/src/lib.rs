//! # xxgk-web
//!
//! The library crates in a web page (WebAssembly, `web/`): a few functions over bytes, each
//! calling `xxgk-import`, `xxgk-model` and `xxgk-export` as the command line does, so that the
//! page says and writes exactly what `xxgk` says and writes. Nothing here reads a file or
//! makes a request; the page hands the bytes of the files the user dropped.
//!
//! No report logic lives here: what the command line and the page share is in the libraries
//! (`xxgk_import::check_file`, `xxgk_model::view`, `xxgk_export::convert`,
//! `xxgk_export::batch`). The crate builds natively too, so that its tests and clippy run with
//! the workspace.
#![deny(missing_docs)]

use serde::Serialize;
use wasm_bindgen::prelude::*;
use xxgk_export::batch::{BatchOutput, write_sum};
use xxgk_export::{ExporterEntry, Options};
use xxgk_import::{CheckedFile, ImportOptions};
use xxgk_model::aggregation::{Aggregation, BatchEntry, Keep};
use xxgk_model::output::{BatchReport, FileError, Outcome, SumResult, Summary, Unreadable};
use xxgk_model::view::ReportView;
use xxgk_model::{AggregateOptions, CheckOptions, FormatVersion, Lang, SharedLocations, Text};

#[wasm_bindgen]
extern "C" {
    /// `console.error`: where a panic's message goes before the WebAssembly traps.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Called once when the module is instantiated: a panic (a bug, or a third-party reader giving
/// up on a damaged file, which cannot unwind here) writes its message to the console before the
/// instance traps; the page then loads a fresh instance.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| console_error(&format!("xxgk: {info}"))));
}

/// `zh` or `en` (anything else is Chinese, the default).
fn lang_of(code: &str) -> Lang {
    if code.eq_ignore_ascii_case("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// An error for the page, in the chosen language.
fn error(text: &Text, lang: Lang) -> JsError {
    JsError::new(text.get(lang))
}

/// JSON of a value the page reads (these types always serialize).
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// The exporter of a name, or an error naming those there are.
fn exporter(name: &str, lang: Lang) -> Result<&'static ExporterEntry, JsError> {
    xxgk_export::by_name(name).ok_or_else(|| {
        let names: Vec<&str> = xxgk_export::exporters().iter().map(|e| e.name).collect();
        error(
            &Text::new(
                format!("没有名为 {name} 的导出格式；可用：{}", names.join(", ")),
                format!("no exporter named {name}; available: {}", names.join(", ")),
            ),
            lang,
        )
    })
}

/// The rules' options: `--blank-as-zero` or not.
fn check_options(blank_as_zero: bool) -> CheckOptions {
    CheckOptions {
        blank_as_zero,
        ..CheckOptions::default()
    }
}

/// One file read and checked (`xxgk validate` of one file).
#[wasm_bindgen]
pub struct Checked {
    file: CheckedFile,
    check: CheckOptions,
    strict: bool,
}

/// Reads and checks one file: `bytes` named `name` (the name helps to tell the format, the year
/// and the agency, as a file name does for the command line). `lang` is given to each call that
/// shows or writes something (`zh` or `en`).
#[wasm_bindgen]
pub fn check(bytes: &[u8], name: &str, strict: bool, blank_as_zero: bool) -> Checked {
    let check = check_options(blank_as_zero);
    let file = xxgk_import::check_file(name, bytes, &ImportOptions::default(), &check, strict);
    Checked { file, check, strict }
}

/// What the page shows of a file: its verdict, its error or each report's view.
#[derive(Serialize)]
struct FileView<'a> {
    file: &'a str,
    outcome: Outcome,
    mark: String,
    error: Option<String>,
    reports: Vec<ReportView>,
}

#[wasm_bindgen]
impl Checked {
    /// The document `xxgk validate --json` prints for this one file, byte for byte.
    pub fn json(&self) -> String {
        let output = self.file.output(&self.check, self.strict);
        serde_json::to_string_pretty(&output).unwrap_or_default() + "\n"
    }

    /// What the page shows, in `lang` (JSON): the file's verdict, why it could not
    /// be read, or each report's verdict and findings with their cells' labels and places.
    pub fn view(&self, lang: &str) -> String {
        let lang = lang_of(lang);
        let r = &self.file.result;
        let unassessed = r.reports.iter().map(|r| Outcome::unassessed(&r.findings)).sum();
        let view = FileView {
            file: &r.file,
            outcome: r.outcome,
            mark: r.outcome.shown(unassessed, lang),
            error: r.error.as_ref().map(|e| describe(e, lang)),
            reports: r.reports.iter().map(|r| ReportView::new(r, lang, false)).collect(),
        };
        json(&view)
    }

    /// How many reports the file holds.
    pub fn reports(&self) -> usize {
        self.file.reports.len()
    }

    /// Report `index` as the official form (the `html` exporter's page; each value cell carries
    /// its catalogue id in `data-cell`).
    pub fn form(&self, index: usize, lang: &str) -> Result<String, JsError> {
        let lang = lang_of(lang);
        let (report, _) = self
            .file
            .reports
            .get(index)
            .ok_or_else(|| JsError::new("no such report"))?;
        let mut out = Vec::new();
        let html = exporter("html", lang)?;
        html.run(
            std::slice::from_ref(report),
            &mut out,
            &Options {
                lang,
                ..Options::default()
            },
        )
        .map_err(|e| error(&e.text(), lang))?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    /// The file's reports written by the exporter `name`, as `xxgk --lang LANG convert FILE --to
    /// NAME` writes them.
    pub fn export(&self, name: &str, lang: &str) -> Result<Vec<u8>, JsError> {
        let lang = lang_of(lang);
        let e = exporter(name, lang)?;
        let reports: Vec<_> = self.file.reports.iter().map(|(r, _)| r.clone()).collect();
        let sources: Vec<_> = self.file.reports.iter().map(|(_, s)| s.clone()).collect();
        let findings = xxgk_export::convert::located_findings(&reports, &sources);
        let mut out = Vec::new();
        xxgk_export::convert::convert(e, &reports, &findings, lang, &mut out).map_err(|e| error(&e.text(), lang))?;
        Ok(out)
    }
}

/// An unreadable file's reason as one line: `place: message`.
fn describe(e: &FileError, lang: Lang) -> String {
    match e.location.as_ref().map(|l| l.display(lang)).filter(|p| !p.is_empty()) {
        Some(p) => format!("{p}: {}", e.message.get(lang)),
        None => e.message.get(lang).to_string(),
    }
}

/// The blank template (`xxgk template`): the Excel workbook for a format version (`2021` or
/// `2019`), with the agency and year filled in when given.
#[wasm_bindgen]
pub fn template(version: &str, agency: Option<String>, year: Option<u16>) -> Result<Vec<u8>, JsError> {
    let v = FormatVersion::from_code(version)
        .ok_or_else(|| JsError::new(&format!("格式版本应为 2021 或 2019 (expected 2021 or 2019): {version}")))?;
    let agency = agency.filter(|a| !a.trim().is_empty());
    xxgk_export::form_xlsx::template(v, agency.as_deref(), year).map_err(|e| JsError::new(&e.to_string()))
}

/// The exporters there are (`xxgk exporters --json`).
#[wasm_bindgen]
pub fn exporters() -> String {
    json(&xxgk_export::exporter_list())
}

/// A batch being read (`xxgk aggregate`): files are added one at a time, so that the page can
/// show its progress, then summed.
#[wasm_bindgen]
pub struct Batch {
    entries: Vec<BatchEntry>,
    unreadable: Vec<Unreadable>,
    files: usize,
    locations: SharedLocations,
    check: CheckOptions,
    strict: bool,
    lang: Lang,
}

#[wasm_bindgen]
impl Batch {
    /// An empty batch checked with these options.
    #[wasm_bindgen(constructor)]
    pub fn new(lang: &str, strict: bool, blank_as_zero: bool) -> Batch {
        Batch {
            entries: Vec::new(),
            unreadable: Vec::new(),
            files: 0,
            locations: SharedLocations::default(),
            check: check_options(blank_as_zero),
            strict,
            lang: lang_of(lang),
        }
    }

    /// Reads and checks one file of the batch; `modified` (seconds since 1970) chooses among
    /// copies of one agency's report as a file's modification time does. Returns the file's
    /// verdict in words.
    pub fn add(&mut self, name: &str, bytes: &[u8], modified: Option<f64>) -> String {
        self.files += 1;
        // Passed checks of a batch's reports are only counted.
        let brief = CheckOptions {
            brief_passes: true,
            ..self.check.clone()
        };
        match xxgk_import::import(name, bytes, &ImportOptions::default()) {
            Ok(imported) => {
                let (mut outcomes, mut unassessed) = (Vec::new(), 0);
                for imp in imported {
                    // The statistics workbook does not show the texts; it lists the files.
                    let keeping = xxgk_import::Keeping {
                        texts: false,
                        source_file: true,
                    };
                    let mut entry = imp.into_batch_entry(name, &brief, keeping, &self.locations);
                    entry.modified = modified.map(|m| m as i64);
                    outcomes.push(Outcome::of(&entry.findings, self.strict));
                    unassessed += Outcome::unassessed(&entry.findings);
                    self.entries.push(entry);
                }
                Outcome::of_file(outcomes).shown(unassessed, self.lang)
            }
            Err(e) => {
                self.unreadable.push(Unreadable {
                    file: name.to_string(),
                    error: e.file_error(),
                });
                Outcome::Error.shown(0, self.lang)
            }
        }
    }

    /// Sums the batch as `xxgk aggregate FILES -o 统计.xlsx --sum-out 合计.xlsx` does.
    pub fn finish(self) -> Result<BatchResult, JsError> {
        let lang = self.lang;
        let mut batch = Aggregation::new(self.entries, self.check.clone(), self.strict);
        batch.mark_duplicates(Keep::Newest);
        let sums = batch
            .sums(
                "汇总",
                AggregateOptions {
                    blank_as_zero: self.check.blank_as_zero,
                },
            )
            .map_err(|e| error(&e.text(), lang))?;
        let reports: Vec<BatchReport> = batch.entries.iter().map(|e| e.result(self.strict)).collect();
        let summary = batch.summary(self.files, self.unreadable.len(), 0);
        let mut sum_files = Vec::new();
        for s in &sums {
            let mut out = Vec::new();
            write_sum(exporter("xlsx", lang)?, s, &batch.entries, lang, self.strict, &mut out)
                .map_err(|e| error(&e.text(), lang))?;
            sum_files.push(out);
        }
        let unreadable: Vec<(String, String)> = self
            .unreadable
            .iter()
            .map(|u| (u.file.clone(), u.error.message.get(lang).to_string()))
            .collect();
        let taken = BatchOutput::take_findings(&mut batch.entries);
        let output = BatchOutput::new(&batch.entries, taken, None, &sums);
        let mut stats = Vec::new();
        if !xxgk_export::ReportBatch::is_empty(&output) {
            output
                .write(
                    exporter("xlsx-stats", lang)?,
                    &mut stats,
                    &Options {
                        lang,
                        unreadable: &unreadable,
                        strict: self.strict,
                        ..Options::default()
                    },
                )
                .map_err(|e| error(&e.text(), lang))?;
        }
        let view = BatchView {
            summary_text: xxgk_model::view::batch_summary(&summary, lang),
            unreadable_mark: Outcome::Error.shown(0, lang),
            summary,
            unreadable: self
                .unreadable
                .iter()
                .map(|u| (u.file.clone(), describe(&u.error, lang)))
                .collect(),
            reports: reports
                .iter()
                .map(|r| BatchLine {
                    file: r.file.clone(),
                    mark: r.outcome.shown(Outcome::unassessed(&r.findings), lang),
                    outcome: r.outcome,
                    head: format!("{} {}", r.agency, r.year.map(|y| y.to_string()).unwrap_or_default()),
                    rules: xxgk_model::view::failed_rules(&r.findings, lang),
                })
                .collect(),
            sums: sums.iter().map(|s| s.result.clone()).collect(),
        };
        Ok(BatchResult {
            stats,
            sums: sum_files,
            view: json(&view),
        })
    }
}

/// What the page shows of a batch.
#[derive(Serialize)]
struct BatchView {
    summary: Summary,
    /// The summary in words (`aggregate`'s first line).
    summary_text: String,
    /// `✘ 无法读取`.
    unreadable_mark: String,
    unreadable: Vec<(String, String)>,
    reports: Vec<BatchLine>,
    sums: Vec<SumResult>,
}

/// One report of a batch, in a line.
#[derive(Serialize)]
struct BatchLine {
    file: String,
    mark: String,
    outcome: Outcome,
    head: String,
    rules: String,
}

/// A batch summed: the statistics workbook, each sum as the official form, and what the page
/// shows.
#[wasm_bindgen]
pub struct BatchResult {
    stats: Vec<u8>,
    sums: Vec<Vec<u8>>,
    view: String,
}

#[wasm_bindgen]
impl BatchResult {
    /// The statistics workbook (`xxgk aggregate -o 统计.xlsx`); empty when no report was read.
    pub fn stats(&self) -> Vec<u8> {
        self.stats.clone()
    }

    /// How many sums there are (one per format version and year).
    pub fn sum_count(&self) -> usize {
        self.sums.len()
    }

    /// Sum `index` as the official form (`--sum-out 合计.xlsx`).
    pub fn sum(&self, index: usize) -> Vec<u8> {
        self.sums.get(index).cloned().unwrap_or_default()
    }

    /// What the page shows (JSON): totals, files not read, each report's verdict, the sums.
    pub fn view(&self) -> String {
        self.view.clone()
    }
}
