//! `xxgk validate`: check reports against the rules and say what is wrong where.

use crate::exit;
use crate::files::{InputFailure, expand_inputs, import_file};
use crate::json_stream::Document;
use crate::printing::{eprintln, println, say};
use crate::style::{self, paint};
use std::path::PathBuf;
use xxgk_import::ImportOptions;
use xxgk_model::output::{FileError, FileResult, Outcome, ReportResult, Summary, ValidationOutput};
use xxgk_model::view::{FindingView, ReportView, TagKind};
use xxgk_model::{CheckOptions, Lang, check};

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
    jobs: crate::jobs::JobsArg,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

/// Files read and checked at once, per thread, before their results are printed in input order:
/// enough to keep every core busy, few enough that the results waiting stay small.
const FILES_PER_THREAD: usize = 8;

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
    let pool = match args.jobs.pool() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return exit::INPUT_ERROR;
        }
    };
    let strict = args.check.strict;
    let mut summary = Summary::default();
    let mut json = args.json.then(|| Document::stdout(&envelope(args, summary)));
    // Files are read and checked on every core a window at a time, and their results printed in
    // input order as each window ends.
    let window = pool.current_num_threads().max(1) * FILES_PER_THREAD;
    let checking = Checking {
        import_opts: &import_opts,
        check_opts: &check_opts,
        args,
        lang,
    };
    'windows: for paths in paths.chunks(window) {
        let prepared: Vec<Prepared> = pool.install(|| {
            use rayon::prelude::*;
            paths
                .par_iter()
                .map(|path| Prepared::of(path, &import_opts, &check_opts, strict))
                .collect()
        });
        for (path, prepared) in paths.iter().zip(prepared) {
            // Nobody reads the rest (a pipe closed by `head`, a full disk): stop.
            if crate::printing::stdout_failed() {
                break 'windows;
            }
            summary.files += 1;
            checking.emit(path, prepared, &mut summary, json.as_mut());
        }
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
    ValidationOutput::new(args.check.strict, args.check.blank_as_zero, Vec::new(), summary)
}

/// What a worker makes of one file.
enum Prepared {
    /// The file could not be read.
    Unreadable(InputFailure),
    /// The file's one report, checked.
    One(ReportResult),
    /// A file of several reports (or none), each checked as it is printed: a file may hold
    /// thousands, whose findings together would not fit in memory.
    Many(Vec<xxgk_import::Imported>),
    /// A file of more than [`MOST_REPORTS_HELD`] reports, read again when its turn comes: a
    /// window of such files held at once would take many times the memory of one.
    ReadWhenPrinted,
}

/// The most reports of one file a worker keeps until the file is printed.
const MOST_REPORTS_HELD: usize = 64;

impl Prepared {
    /// Reads the file at `path` and checks it if it holds one report.
    fn of(path: &std::path::Path, import_opts: &ImportOptions, check_opts: &CheckOptions, strict: bool) -> Self {
        match import_file(path, import_opts) {
            Err(failure) => Prepared::Unreadable(failure),
            Ok(mut imported) if imported.len() == 1 => match imported.pop() {
                Some(imp) => Prepared::One(report_result(imp, check_opts, strict)),
                None => Prepared::Many(imported),
            },
            Ok(imported) if imported.len() > MOST_REPORTS_HELD => Prepared::ReadWhenPrinted,
            Ok(imported) => Prepared::Many(imported),
        }
    }
}

/// How files are read, checked and printed in this run.
struct Checking<'a> {
    import_opts: &'a ImportOptions,
    check_opts: &'a CheckOptions,
    args: &'a Args,
    lang: Lang,
}

impl Checking<'_> {
    /// Prints one file's results and counts them.
    fn emit(&self, path: &std::path::Path, prepared: Prepared, summary: &mut Summary, json: Option<&mut Document<'_>>) {
        let Checking {
            import_opts,
            check_opts,
            args,
            lang,
        } = *self;
        let strict = args.check.strict;
        let file = path.display().to_string();
        let unreadable = |failure: InputFailure, summary: &mut Summary, json: Option<&mut Document<'_>>| {
            summary.unreadable += 1;
            let result = FileResult {
                file: failure.file,
                outcome: Outcome::Error,
                error: Some(FileError {
                    kind: failure.kind.to_string(),
                    location: failure.location.map(|l| *l),
                    message: failure.message,
                }),
                reports: Vec::new(),
            };
            match json {
                Some(doc) => doc.whole_file(&result),
                None => print_file_error(&result, lang),
            }
        };
        let imported = match prepared {
            Prepared::Unreadable(failure) => return unreadable(failure, summary, json),
            Prepared::One(r) => {
                summary.add(r.outcome, r.counts);
                match json {
                    Some(doc) => {
                        let head = FileResult {
                            file,
                            outcome: r.outcome,
                            error: None,
                            reports: Vec::new(),
                        };
                        let mut out = doc.start_file(&head);
                        doc.report(&mut out, &r);
                        doc.end_file(out);
                    }
                    None => print_report(&r, &file, args, lang),
                }
                return;
            }
            Prepared::Many(imported) => imported,
            Prepared::ReadWhenPrinted => match import_file(path, import_opts) {
                Ok(imported) => imported,
                Err(failure) => return unreadable(failure, summary, json),
            },
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
        let imported = imported.into_iter();
        let outcomes = imported.as_slice().iter().map(|imp| {
            let mut findings = imp.findings.clone();
            findings.extend(check(&imp.report, check_opts));
            Outcome::of(&findings, strict)
        });
        let outcome = Outcome::of_file(outcomes);
        let head = FileResult {
            file,
            outcome,
            error: None,
            reports: Vec::new(),
        };
        if imported.len() == 0 {
            doc.whole_file(&head);
            return;
        }
        let mut out = doc.start_file(&head);
        for r in imported.map(|imp| report_result(imp, check_opts, strict)) {
            count(&r);
            doc.report(&mut out, &r);
            if crate::printing::stdout_failed() {
                break;
            }
        }
        doc.end_file(out);
    }
}

/// One report checked: its import findings and the rules' findings, located in the file.
fn report_result(imp: xxgk_import::Imported, check_opts: &CheckOptions, strict: bool) -> ReportResult {
    let (report, findings, _) = imp.checked(check_opts);
    ReportResult::new(report.meta, findings, strict)
}

fn print_file_error(f: &FileResult, lang: Lang) {
    if let Some(e) = &f.error {
        let failure = InputFailure {
            file: f.file.clone(),
            kind: "",
            location: e.location.clone().map(Box::new),
            message: e.message.clone(),
        };
        println!(
            "{} {}",
            crate::checking::outcome_mark(Outcome::Error, 0, lang),
            failure.describe(lang)
        );
    }
}

fn print_report(r: &ReportResult, file: &str, args: &Args, lang: Lang) {
    let view = ReportView::new(r, lang, args.all);
    let mark = crate::checking::outcome_mark(r.outcome, Outcome::unassessed(&r.findings), lang);
    println!(
        "{mark} {} {}",
        paint(style::BOLD, &view.head),
        paint(style::DIM, format!("— {file}"))
    );
    if let Some(note) = &view.note {
        println!("  {}", paint(style::DIM, note));
    }
    if let Some(partial) = &view.partial {
        println!("  {}", paint(style::WARNING, partial));
    }
    for finding in &view.findings {
        print_finding(finding, lang);
    }
    println!("  {}", paint(style::DIM, &view.counts));
}

fn print_summary(s: &Summary, lang: Lang) {
    if s.files > 1 {
        println!(
            "{}",
            paint(
                style::BOLD,
                say!(
                    lang,
                    "共 {} 个文件、{} 份报告：通过 {}，部分无法核对 {}，不通过 {}，无法读取 {}",
                    "{} files, {} reports: {} passed, {} partly not assessable, {} failed, {} unreadable",
                    s.files,
                    s.reports,
                    s.passed,
                    s.partial,
                    s.failed,
                    s.unreadable
                )
            )
        );
    }
}

const MAX_CELLS_SHOWN: usize = 12;

fn print_finding(view: &FindingView, lang: Lang) {
    let st = match view.kind {
        TagKind::Pass => style::OK,
        TagKind::NotAssessable | TagKind::Warning => style::WARNING,
        TagKind::Error => style::ERROR,
    };
    println!(
        "  {} {} {}",
        paint(st, &view.tag),
        paint(style::BOLD, &view.rule),
        view.text
    );
    for c in view.cells.iter().take(MAX_CELLS_SHOWN) {
        match &c.place {
            Some(p) => println!(
                "      {} = {}  {}",
                c.label,
                c.value,
                paint(style::DIM, format!("[{p}]"))
            ),
            None => println!("      {} = {}", c.label, c.value),
        }
    }
    if view.cells.len() > MAX_CELLS_SHOWN {
        let more = view.cells.len() - MAX_CELLS_SHOWN;
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
