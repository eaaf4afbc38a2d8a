//! `xxgk validate`: check reports against the rules and say what is wrong where.

use crate::exit;
use crate::files::{InputFailure, expand_inputs, import_file};
use crate::json_stream::Document;
use crate::printing::{eprintln, println};
use crate::style::{self, paint};
use std::path::PathBuf;
use xxgk_import::ImportOptions;
use xxgk_model::output::{
    Counts, FINDINGS_SCHEMA_VERSION, FileError, FileResult, Outcome, ReportResult, Summary, ValidationOutput,
};
use xxgk_model::{CheckOptions, Finding, Lang, Severity, Status, check};

#[derive(clap::Args)]
pub struct Args {
    /// 要校验的文件或文件夹 (files or folders to check)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出机器可读的 JSON，见 schemas/findings.schema.json (print JSON for programs)
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    check: crate::checking::CheckArgs,
    /// 同时列出通过的检查 (also list the checks that passed)
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    meta: crate::checking::MetaArgs,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

/// Checks every file and prints each report's result as soon as it is checked, keeping only
/// the totals: memory does not grow with the batch (see `json_stream`).
pub fn run(args: &Args, lang: Lang) -> u8 {
    let check_opts = match args.check.check_options(lang) {
        // A check that holds is printed only with --all or in the JSON: otherwise it is counted,
        // and needs neither its cells nor its words.
        Ok(o) => CheckOptions {
            brief_passes: !args.all && !args.json,
            ..o
        },
        Err(msg) => {
            eprintln!("{msg}");
            return exit::INPUT_ERROR;
        }
    };
    let import_opts = ImportOptions {
        year: args.meta.year,
        agency: args.meta.agency.clone(),
        ..args.limits.import_options()
    };
    let paths = expand_inputs(&args.inputs, lang);
    if paths.is_empty() {
        eprintln!("{}", crate::files::nothing_to_read(&args.inputs, lang));
        return exit::INPUT_ERROR;
    }
    let mut summary = Summary::default();
    let mut json = args.json.then(|| Document::stdout(&envelope(args, summary)));
    for path in paths {
        // Nobody reads the rest (a pipe closed by `head`, a full disk): stop.
        if crate::printing::stdout_failed() {
            break;
        }
        summary.files += 1;
        check_file(
            &path,
            &import_opts,
            &check_opts,
            args,
            lang,
            &mut summary,
            json.as_mut(),
        );
    }
    let output = envelope(args, summary);
    match json {
        Some(doc) => doc.finish(&output),
        None => print_summary(&output.summary, lang),
    }
    output.exit_code
}

/// The output without its files: the totals so far and the exit code they give.
fn envelope(args: &Args, summary: Summary) -> ValidationOutput {
    let exit_code = if summary.unreadable > 0 {
        exit::INPUT_ERROR
    } else if summary.failed > 0 {
        exit::RULE_FAILED
    } else {
        exit::OK
    };
    ValidationOutput {
        schema_version: FINDINGS_SCHEMA_VERSION,
        tool: format!("xxgk {}", env!("CARGO_PKG_VERSION")),
        strict: args.check.strict,
        blank_as_zero: args.check.blank_as_zero,
        files: Vec::new(),
        summary,
        exit_code,
    }
}

/// Reads one file, checks each of its reports, prints each result and counts it.
fn check_file(
    path: &std::path::Path,
    import_opts: &ImportOptions,
    check_opts: &CheckOptions,
    args: &Args,
    lang: Lang,
    summary: &mut Summary,
    json: Option<&mut Document<'_>>,
) {
    let strict = args.check.strict;
    let file = path.display().to_string();
    let imported = match import_file(path, import_opts) {
        Err(InputFailure {
            file,
            kind,
            location,
            message,
        }) => {
            summary.unreadable += 1;
            let result = FileResult {
                file,
                outcome: Outcome::Error,
                error: Some(FileError {
                    kind: kind.to_string(),
                    location: location.map(|l| *l),
                    message,
                }),
                reports: Vec::new(),
            };
            match json {
                Some(doc) => doc.whole_file(&result),
                None => print_file_error(&result, lang),
            }
            return;
        }
        Ok(imported) => imported,
    };
    let mut count = |r: &ReportResult| summary.add(r.outcome, r.counts);
    let Some(doc) = json else {
        for imp in imported {
            if crate::printing::stdout_failed() {
                break;
            }
            let r = report_result(imp, check_opts, strict);
            count(&r);
            print_report(&r, &file, args, lang);
        }
        return;
    };
    // The file's outcome comes before its reports in the JSON: a file of several reports is
    // checked twice, first only for its outcome, so that no report's findings are kept.
    let mut imported = imported.into_iter();
    let (outcome, mut first) = if imported.len() == 1 {
        let r = imported.next().map(|imp| report_result(imp, check_opts, strict));
        (r.as_ref().map_or(Outcome::Pass, |r| r.outcome), r)
    } else {
        let outcomes = imported.as_slice().iter().map(|imp| {
            let mut findings = imp.findings.clone();
            findings.extend(check(&imp.report, check_opts));
            Outcome::of(&findings, strict)
        });
        (file_outcome(outcomes), None)
    };
    let head = FileResult {
        file,
        outcome,
        error: None,
        reports: Vec::new(),
    };
    if first.is_none() && imported.len() == 0 {
        doc.whole_file(&head);
        return;
    }
    let mut out = doc.start_file(&head);
    while let Some(r) = first
        .take()
        .or_else(|| imported.next().map(|imp| report_result(imp, check_opts, strict)))
    {
        count(&r);
        doc.report(&mut out, &r);
        if crate::printing::stdout_failed() {
            break;
        }
    }
    doc.end_file(out);
}

/// A file's outcome from its reports': failed if one failed, partial if one is, else passed.
fn file_outcome(reports: impl Iterator<Item = Outcome>) -> Outcome {
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

/// One report checked: its import findings and the rules' findings, located in the file.
fn report_result(imp: xxgk_import::Imported, check_opts: &CheckOptions, strict: bool) -> ReportResult {
    let (report, findings, _) = imp.checked(check_opts);
    ReportResult {
        agency: report.meta.agency,
        year: report.meta.year,
        origins: report.meta.origins,
        format: report.meta.format,
        outcome: Outcome::of(&findings, strict),
        counts: Counts::of(&findings),
        findings,
    }
}

fn print_file_error(f: &FileResult, lang: Lang) {
    let zh = lang == Lang::Zh;
    if let Some(e) = &f.error {
        let failure = InputFailure {
            file: f.file.clone(),
            kind: "",
            location: e.location.clone().map(Box::new),
            message: e.message.clone(),
        };
        println!(
            "{} {}",
            paint(style::ERROR, if zh { "✘ 无法读取" } else { "✘ unreadable" }),
            failure.describe(lang)
        );
    }
}

fn print_report(r: &ReportResult, file: &str, args: &Args, lang: Lang) {
    let zh = lang == Lang::Zh;
    let unassessed = Outcome::unassessed(&r.findings);
    let mark = crate::checking::outcome_mark(r.outcome, unassessed, lang);
    let year = match r.year {
        Some(y) if zh => format!("{y}年度"),
        Some(y) => y.to_string(),
        None if zh => "年度不明".to_string(),
        None => "year unknown".to_string(),
    };
    let head = if zh {
        format!("{} {year}（{}版格式）", r.agency, r.format.code())
    } else {
        format!("{} {year} ({} format)", r.agency, r.format.code())
    };
    println!(
        "{mark} {} {}",
        paint(style::BOLD, head),
        paint(style::DIM, format!("— {file}"))
    );
    if let Some(note) = crate::checking::origins_note(&r.origins, lang) {
        println!("  {}", paint(style::DIM, note));
    }
    if r.outcome == Outcome::Partial {
        println!(
            "  {}",
            paint(style::WARNING, crate::checking::partial_reason(unassessed, lang))
        );
    }
    for finding in &r.findings {
        if finding.status == Status::Pass && !args.all {
            continue;
        }
        print_finding(finding, r.format, lang);
    }
    let c = r.counts;
    println!(
        "  {}",
        paint(
            style::DIM,
            if zh {
                format!(
                    "错误 {}，警告 {}，提示 {}，无法核对 {}，通过 {}",
                    c.errors, c.warnings, c.infos, c.not_assessable, c.passed
                )
            } else {
                format!(
                    "{} errors, {} warnings, {} infos, {} not assessable, {} passed",
                    c.errors, c.warnings, c.infos, c.not_assessable, c.passed
                )
            }
        )
    );
}

fn print_summary(s: &Summary, lang: Lang) {
    if s.files > 1 {
        println!(
            "{}",
            paint(
                style::BOLD,
                if lang == Lang::Zh {
                    format!(
                        "共 {} 个文件、{} 份报告：通过 {}，部分无法核对 {}，不通过 {}，无法读取 {}",
                        s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable
                    )
                } else {
                    format!(
                        "{} files, {} reports: {} passed, {} partly not assessable, {} failed, {} unreadable",
                        s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable
                    )
                }
            )
        );
    }
}

const MAX_CELLS_SHOWN: usize = 12;

fn print_finding(f: &Finding, format: xxgk_model::FormatVersion, lang: Lang) {
    let cat = xxgk_model::catalogue(format);
    let (tag, st) = match (f.status, f.severity) {
        (Status::Pass, _) => (xxgk_model::Status::Pass.name(lang).to_string(), style::OK),
        (Status::NotAssessable, _) => (Status::NotAssessable.name(lang).to_string(), style::WARNING),
        (Status::Fail, Severity::Error) => (Severity::Error.name(lang).to_string(), style::ERROR),
        (Status::Fail, s) => (s.name(lang).to_string(), style::WARNING),
    };
    println!("  {} {} {}", paint(st, tag), paint(style::BOLD, &f.rule), f.text(lang));
    for c in f.cells.iter().take(MAX_CELLS_SHOWN) {
        let place = c.location.as_ref().map(|l| l.display(lang)).filter(|p| !p.is_empty());
        // The official labels travel with the finding; English labels come from the catalogue.
        let (row, col) = match (lang, cat.cell(c.id.as_str())) {
            (Lang::En, Some(def)) => (def.row_label(lang), def.column_label(lang)),
            _ => (c.row_label(Lang::Zh), c.column_label(Lang::Zh)),
        };
        let label = if row.is_empty() { col } else { format!("{row} × {col}") };
        let value = c.value_text(lang);
        let zero = if c.counted_as_zero {
            if lang == Lang::Zh {
                "（按0计）"
            } else {
                " (counted as 0)"
            }
        } else {
            ""
        };
        match place {
            Some(p) => println!("      {label} = {value}{zero}  {}", paint(style::DIM, format!("[{p}]"))),
            None => println!("      {label} = {value}{zero}"),
        }
    }
    if f.cells.len() > MAX_CELLS_SHOWN {
        let more = f.cells.len() - MAX_CELLS_SHOWN;
        println!(
            "      {}",
            if lang == Lang::Zh {
                format!("……另有 {more} 个单元格（--json 可看全部）")
            } else {
                format!("… {more} more cells (see --json)")
            }
        );
    }
}
