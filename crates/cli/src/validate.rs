//! `xxgk validate`: check reports against the rules and say what is wrong where.

use crate::exit;
use crate::files::{InputFailure, expand_inputs, import_file};
use crate::style::{self, paint};
use anstream::{eprintln, println};
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

pub fn run(args: &Args, lang: Lang) -> u8 {
    let check_opts = match args.check.check_options(lang) {
        Ok(o) => o,
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
    let paths = expand_inputs(&args.inputs);
    if paths.is_empty() {
        eprintln!("{}", crate::files::nothing_to_read(&args.inputs, lang));
        return exit::INPUT_ERROR;
    }
    let mut files = Vec::new();
    for path in paths {
        files.push(check_file(&path, &import_opts, &check_opts, args.check.strict));
    }
    let output = summarize(files, args);
    if args.json {
        match serde_json::to_string_pretty(&output) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("{e}");
                return exit::INPUT_ERROR;
            }
        }
    } else {
        print_human(&output, args, lang);
    }
    output.exit_code
}

fn check_file(
    path: &std::path::Path,
    import_opts: &ImportOptions,
    check_opts: &CheckOptions,
    strict: bool,
) -> FileResult {
    let file = path.display().to_string();
    match import_file(path, import_opts) {
        Err(InputFailure {
            file,
            kind,
            location,
            message,
        }) => FileResult {
            file,
            outcome: Outcome::Error,
            error: Some(FileError {
                kind: kind.to_string(),
                location: location.map(|l| *l),
                message,
            }),
            reports: Vec::new(),
        },
        Ok(imported) => {
            let reports: Vec<ReportResult> = imported
                .into_iter()
                .map(|imp| {
                    let mut findings = imp.findings;
                    findings.extend(check(&imp.report, check_opts));
                    imp.sources.locate(&mut findings);
                    ReportResult {
                        agency: imp.report.meta.agency.clone(),
                        year: imp.report.meta.year,
                        origins: imp.report.meta.origins.clone(),
                        format: imp.report.meta.format,
                        outcome: Outcome::of(&findings, strict),
                        counts: Counts::of(&findings),
                        findings,
                    }
                })
                .collect();
            let outcome = if reports.iter().any(|r| r.outcome == Outcome::Fail) {
                Outcome::Fail
            } else if reports.iter().any(|r| r.outcome == Outcome::Partial) {
                Outcome::Partial
            } else {
                Outcome::Pass
            };
            FileResult {
                file,
                outcome,
                error: None,
                reports,
            }
        }
    }
}

fn summarize(files: Vec<FileResult>, args: &Args) -> ValidationOutput {
    let mut summary = Summary {
        files: files.len(),
        ..Default::default()
    };
    for f in &files {
        if f.outcome == Outcome::Error {
            summary.unreadable += 1;
        }
        for r in &f.reports {
            summary.reports += 1;
            match r.outcome {
                Outcome::Fail => summary.failed += 1,
                Outcome::Partial => summary.partial += 1,
                _ => summary.passed += 1,
            }
            summary.counts.add(r.counts);
        }
    }
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
        files,
        summary,
        exit_code,
    }
}

fn print_human(out: &ValidationOutput, args: &Args, lang: Lang) {
    let zh = lang == Lang::Zh;
    for f in &out.files {
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
            continue;
        }
        for r in &f.reports {
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
                paint(style::DIM, format!("— {}", f.file))
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
    }
    if out.files.len() > 1 {
        let s = &out.summary;
        println!(
            "{}",
            paint(
                style::BOLD,
                if zh {
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
    println!(
        "  {} {} {}",
        paint(st, tag),
        paint(style::BOLD, &f.rule),
        f.message.get(lang)
    );
    for c in f.cells.iter().take(MAX_CELLS_SHOWN) {
        let place = c.location.as_ref().map(|l| l.display(lang)).filter(|p| !p.is_empty());
        // The official labels travel with the finding; English labels come from the catalogue.
        let (row, col) = match (lang, cat.cell(&c.id)) {
            (Lang::En, Some(def)) => (def.row_label(lang), def.column_label(lang)),
            _ => (c.row_label.clone(), c.column_label.clone()),
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
