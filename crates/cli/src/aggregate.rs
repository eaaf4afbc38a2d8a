//! `xxgk aggregate`: read a whole batch in parallel, check every report, check reports against
//! last year's and the parent against its children, sum them, and write one workbook — without
//! ever giving up on the batch because of one bad file.

use crate::exit;
use crate::files::{InputFailure, check_output, expand_inputs, import_file, write_output};
use crate::printing::{eprintln, println, say};
use crate::style::{self, paint};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use xxgk_export::batch::{BatchOutput, write_sum};
use xxgk_export::{ExporterEntry, Options, ReportBatch};
use xxgk_import::{ImportOptions, Keeping};
use xxgk_model::aggregation::{Aggregation, BatchEntry, Exclusion, GroupSum, Keep};
use xxgk_model::output::{
    AGGREGATE_SCHEMA_VERSION, AggregateOutput, BatchReport, FileError, Outcome, SkippedFile, SumResult, Unreadable,
};
use xxgk_model::{AggregateOptions, CheckOptions, GapReason, Lang, Status, Text};

#[derive(clap::Args)]
pub struct Args {
    /// 输入文件、文件夹或通配符，格式可混合 (files, folders or globs, any importable format)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出文件；导出格式按扩展名选择（.xlsx 为统计工作簿，.csv、.json、.jsonl），无扩展名时为统计工作簿
    /// (output file; the exporter follows its extension: .xlsx the statistics workbook, .csv, .json, .jsonl)
    #[arg(short, long)]
    output: PathBuf,
    /// 导出格式，缺省按输出文件扩展名选择（见 xxgk exporters）(exporter; default: by the output's extension)
    #[arg(long = "to", value_name = "NAME")]
    to: Option<String>,
    /// 另将合计写成正式报表：按扩展名选择 .xlsx（官方表样）、.docx、.html、.md；合计的核对结果和未计入合计的
    /// 单元格写在表前说明中。批次含多个格式或年度时，每组一个文件，文件名后加“（2023年度，2021版）”
    /// (also write the sum as the official form, by extension; one file per format and year, named after it)
    #[arg(long, value_name = "FILE")]
    sum_out: Option<PathBuf>,
    /// 合计报告的机关名称 (agency name of the sum)
    #[arg(long, default_value = "汇总")]
    agency: String,
    /// 文件中未写明年度时使用的报告年度（上一年度报告按前一年）；文件写明的年度优先，不一致时提示
    /// (the report year when a file does not say it; --previous files get the year before)
    #[arg(long, value_parser = clap::value_parser!(u16).range(2001..=2100))]
    year: Option<u16>,
    /// 同一单位同一年度有多份报告时计入哪一份：newest 修改时间最新（缺省）、first 输入顺序在先、last 在后；
    /// 文件名写明“修改后”“更正”等的版本总是优先 (which copy of a duplicate is counted; a corrected copy wins)
    #[arg(long, value_enum, default_value = "newest")]
    keep: KeepArg,
    /// 不通过的报告不计入合计 (leave reports with a failed rule out of the sum)
    #[arg(long)]
    exclude_failing: bool,
    /// 上一年度的报告，用于跨年度核对 (last year's reports, for the cross-year checks)
    #[arg(long, num_args = 1.., value_name = "INPUT")]
    previous: Vec<PathBuf>,
    /// 应报送单位名单（.xlsx 或 .csv：单位名称，可选行政区划代码或统一社会信用代码、行政级别、上级单位；
    /// 可用 xxgk template --roster 生成）：列出已报送、未报送、重复报送的单位和不在名单中的报告
    /// (the units that must report: who has, who has not, who twice, and files that match no unit)
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,
    /// 本级报告，与下属单位合计逐格比对 (the parent's own report, compared with the sum)
    #[arg(long, value_name = "FILE")]
    parent: Option<PathBuf>,
    #[command(flatten)]
    check: crate::checking::CheckArgs,
    /// 输出机器可读的摘要，见 schemas/aggregate.schema.json (print a JSON summary)
    #[arg(long)]
    json: bool,
    /// 不显示进度条 (no progress bar)
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    jobs: crate::jobs::JobsArg,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

/// `--keep`: which copy of a duplicate is counted.
#[derive(Clone, Copy, clap::ValueEnum)]
enum KeepArg {
    /// 修改时间最新 (modified last)
    Newest,
    /// 输入顺序在先 (first in input order)
    First,
    /// 输入顺序在后 (last in input order)
    Last,
}

pub fn run(args: &Args, lang: Lang) -> u8 {
    let pool = match args.jobs.pool() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return exit::INPUT_ERROR;
        }
    };
    let import_opts = ImportOptions {
        year: args.year,
        ..args.limits.import_options()
    };
    let previous_opts = ImportOptions {
        year: args.year.map(|y| y - 1),
        ..args.limits.import_options()
    };
    let check_opts = match args.check.check_options(lang) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            return exit::INPUT_ERROR;
        }
    };
    let show_progress = !args.quiet && !args.json;

    // Every file found is accounted for: read, unreadable, or skipped with its reason.
    let found = crate::files::walk_inputs(&args.inputs);
    let paths = found.files;
    let skipped: Vec<SkippedFile> = found
        .skipped
        .into_iter()
        .map(|s| SkippedFile {
            file: s.path.display().to_string(),
            reason: s.reason,
        })
        .collect();
    if paths.is_empty() {
        for s in &skipped {
            eprintln!("{}: {}", s.file, s.reason.get(lang));
        }
        eprintln!("{}", crate::files::nothing_to_read(&args.inputs, lang));
        return exit::INPUT_ERROR;
    }
    let all_inputs: Vec<PathBuf> = paths
        .iter()
        .cloned()
        .chain(args.previous.iter().cloned())
        .chain(args.parent.iter().cloned())
        .chain(args.roster.iter().cloned())
        .collect();
    // Where the outputs go (their folders, what they are, not an input), then what they are
    // named: all before any file is read.
    for out in std::iter::once(&args.output).chain(&args.sum_out) {
        if let Err(msg) = check_output(out, &all_inputs, lang) {
            eprintln!("{msg}");
            return exit::INPUT_ERROR;
        }
    }
    let exporter = match pick_exporter(args.to.as_deref(), &args.output, lang) {
        Ok(e) => e,
        Err(msg) => {
            eprintln!("{msg}");
            return exit::INPUT_ERROR;
        }
    };
    let sum_exporter = match args
        .sum_out
        .as_deref()
        .map(|p| pick_sum_exporter(p, &args.output, lang))
    {
        None => None,
        Some(Ok(e)) => Some(e),
        Some(Err(msg)) => {
            eprintln!("{msg}");
            return exit::INPUT_ERROR;
        }
    };
    // The list of units that must report: read before the batch, so that a list that cannot be
    // read stops the run before any work.
    let roster = match args
        .roster
        .as_deref()
        .map(|p| crate::files::read_roster_file(p, &args.limits.import_options()))
    {
        None => None,
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            eprintln!("{}", e.describe(lang));
            return exit::INPUT_ERROR;
        }
    };
    // Texts are kept for an exporter that writes them and for X-DUP, which compares them with
    // last year's.
    let keeping = Keeping {
        texts: exporter.exporter.writes_texts() || !args.previous.is_empty(),
        source_file: true,
    };
    let (entries, failures) = pool.install(|| load(&paths, &import_opts, &check_opts, keeping, show_progress, lang));
    let mut unreadable: Vec<Unreadable> = failures.into_iter().map(Unreadable::from).collect();
    let (previous, prev_unreadable) = if args.previous.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        pool.install(|| {
            load(
                &expand_inputs(&args.previous, lang),
                &previous_opts,
                &check_opts,
                Keeping {
                    texts: true,
                    source_file: true,
                },
                show_progress,
                lang,
            )
        })
    };
    unreadable.extend(prev_unreadable.into_iter().map(Unreadable::from));

    let mut batch = Aggregation::new(entries, check_opts.clone(), args.check.strict);
    // The same agency and year twice: the later one is a finding and stays out of the sum.
    batch.mark_duplicates(match args.keep {
        KeepArg::Newest => Keep::Newest,
        KeepArg::First => Keep::First,
        KeepArg::Last => Keep::Last,
    });
    let matching = (!args.previous.is_empty()).then(|| batch.compare_with_previous(&previous));
    if args.exclude_failing {
        batch.exclude_failing();
    }
    let roster = roster.map(|r| {
        let previous = (!args.previous.is_empty()).then_some(previous.as_slice());
        xxgk_model::roster::check_roster(&r, &batch.entries, previous)
    });

    // Summing and writing thousands of reports takes seconds: a spinner says so on a terminal.
    let busy = if show_progress {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    busy.set_message(say!(lang, "汇总并写出结果", "summing and writing"));
    busy.enable_steady_tick(std::time::Duration::from_millis(120));
    crate::interrupt::track(&busy);

    let sums = match batch.sums(
        &args.agency,
        AggregateOptions {
            blank_as_zero: args.check.blank_as_zero,
        },
    ) {
        Ok(s) => s,
        Err(e) => {
            busy.finish_and_clear();
            eprintln!("{}", e.text().get(lang));
            return exit::INPUT_ERROR;
        }
    };
    let parent = args
        .parent
        .as_ref()
        .and_then(|p| read_parent(p, &import_opts, &batch, &sums, &mut unreadable));

    let batch_reports: Vec<BatchReport> = batch.entries.iter().map(|e| e.result(args.check.strict)).collect();
    // Counted before the findings go to the exporter.
    let summary = batch.summary(paths.len() + skipped.len(), unreadable.len(), skipped.len());
    // Everything goes to the exporter: every report, the parent, then the sums.
    let taken = BatchOutput::take_findings(&mut batch.entries);
    let out_reports = BatchOutput::new(&batch.entries, taken, parent.as_ref(), &sums);
    let unreadable_pairs: Vec<(String, String)> = unreadable
        .iter()
        .map(|u| (u.file.clone(), u.error.message.get(lang).to_string()))
        .collect();
    let skipped_pairs: Vec<(String, String)> = skipped
        .iter()
        .map(|s| (s.file.clone(), s.reason.get(lang).to_string()))
        .collect();
    let opts = Options {
        lang,
        unreadable: &unreadable_pairs,
        skipped: &skipped_pairs,
        strict: args.check.strict,
        roster: roster.as_ref(),
        ..Options::default()
    };
    let written = if ReportBatch::is_empty(&out_reports) {
        Err(anyhow::anyhow!(say!(
            lang,
            "没有可读取的报告",
            "no report could be read"
        )))
    } else {
        write_output(&args.output, lang, |w| Ok(out_reports.write(exporter, w, &opts)?))
    };

    // The sum as the official form: one file per format and year.
    let mut sum_files: Vec<(PathBuf, anyhow::Result<()>)> = Vec::new();
    if let (Some(base), Some(sum_exporter)) = (&args.sum_out, sum_exporter) {
        let several = sums.len() > 1;
        for s in &sums {
            let path = if several { group_path(base, s) } else { base.clone() };
            let r = write_output(&path, lang, |w| {
                Ok(write_sum(sum_exporter, s, &batch.entries, lang, args.check.strict, w)?)
            });
            sum_files.push((path, r));
        }
    }

    // Cells that were text or in another unit and so left out of a sum, each with its file: the
    // officer must see them, not find them in the output (blanks are only counted).
    let by_file: std::collections::HashMap<&str, usize> = batch
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.file.as_str(), i))
        .collect();
    // Where a cell is in its file, as a finding on it located it (表二!C9); the findings went
    // to the exporter's list, in the entries' order.
    let place = |file: &str, cell: &str| -> String {
        by_file
            .get(file)
            .and_then(|&i| out_reports.findings.get(i))
            .and_then(|findings| {
                findings
                    .iter()
                    .flat_map(|f| &f.cells)
                    .find(|c| c.id == cell && c.report.is_none())
                    .and_then(|c| c.location.as_ref())
            })
            .map(|l| l.display(lang))
            .filter(|l| !l.is_empty())
            .map(|l| format!(" {l}"))
            .unwrap_or_default()
    };
    let left_out: Vec<String> = sums
        .iter()
        .flat_map(|s| {
            let cat = xxgk_model::catalogue(s.result.format);
            let place = &place;
            s.gap_files(&batch.entries)
                .into_iter()
                .filter(|(_, _, why)| *why != GapReason::Blank)
                .map(move |(file, cell, why)| {
                    let label = cat
                        .cell(cell)
                        .map(|d| format!("{} {}", d.table.name(lang), d.short_label(lang)))
                        .unwrap_or_default();
                    let why = match why {
                        GapReason::Unit => say!(lang, "单位与本栏不符", "in another unit than the column's"),
                        _ => say!(lang, "不是数字", "not a number"),
                    };
                    let at = place(file, cell);
                    format!("{file}{at}: {label}（{cell}）：{why}")
                })
        })
        .collect();
    busy.finish_and_clear();

    let parent = parent.map(|p| p.result(args.check.strict));
    let sums: Vec<SumResult> = sums.into_iter().map(|s| s.result).collect();
    let any_fail = summary.failed > 0
        || sums.iter().any(|s| s.outcome == Outcome::Fail)
        || parent.as_ref().is_some_and(|p| p.outcome == Outcome::Fail);
    let sum_failed = sum_files.iter().any(|(_, r)| r.is_err());
    let exit_code = if !unreadable.is_empty() || written.is_err() || sum_failed {
        exit::INPUT_ERROR
    } else if any_fail {
        exit::RULE_FAILED
    } else {
        exit::OK
    };
    let output = AggregateOutput {
        schema_version: AGGREGATE_SCHEMA_VERSION,
        tool: format!("xxgk {}", env!("CARGO_PKG_VERSION")),
        strict: args.check.strict,
        blank_as_zero: args.check.blank_as_zero,
        exclude_failing: args.exclude_failing,
        unreadable,
        skipped,
        reports: batch_reports,
        sums,
        matching,
        roster,
        parent,
        output: args.output.display().to_string(),
        exporter: exporter.name.to_string(),
        sum_outputs: sum_files
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(p, _)| p.display().to_string())
            .collect(),
        summary,
        exit_code,
    };
    if let Err(e) = &written {
        eprintln!("{}: {}", args.output.display(), crate::files::error_text(e, lang));
    }
    for (path, r) in &sum_files {
        if let Err(e) = r {
            eprintln!("{}: {}", path.display(), crate::files::error_text(e, lang));
        }
    }
    if args.json {
        match serde_json::to_string_pretty(&output) {
            Ok(s) => crate::printing::print_json(format!("{s}\n").as_bytes()),
            Err(e) => eprintln!("{e}"),
        }
    } else {
        print_human(&output, written.is_ok(), lang);
        if let Some(r) = &output.roster {
            crate::roster::print(r, lang);
        }
        if !left_out.is_empty() {
            println!(
                "{}",
                say!(
                    lang,
                    "未计入合计的单元格 {} 处（文字或单位不符）：",
                    "{} cells left out of the sum (text, or another unit):",
                    left_out.len()
                )
            );
            const SHOWN: usize = 30;
            for line in left_out.iter().take(SHOWN) {
                println!("  {line}");
            }
            if left_out.len() > SHOWN {
                println!("  ……{}", left_out.len() - SHOWN);
            }
        }
        for (path, r) in &sum_files {
            if r.is_ok() {
                println!(
                    "{}",
                    say!(
                        lang,
                        "已写出合计报表 {}",
                        "wrote the sum as the official form: {}",
                        path.display()
                    )
                );
            }
        }
    }
    exit_code
}

/// The exporter of the batch: the one named by `--to`, or the one the output's extension names
/// (a workbook `.xlsx` is the statistics workbook). Refused before any work: an unknown name, an
/// output whose extension belongs to another exporter (`-o 合计.docx --to xlsx-stats`), an
/// extension no batch exporter writes, and a one-report exporter (the sum as the official form
/// is `--sum-out`). An output with no extension, or `-`, takes the statistics workbook.
fn pick_exporter(to: Option<&str>, output: &Path, lang: Lang) -> Result<&'static ExporterEntry, String> {
    let batch_names = || {
        xxgk_export::exporters()
            .iter()
            .filter(|e| e.many)
            .map(|e| format!("{}（.{}）", e.name, e.extension))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ext = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|_| output.as_os_str() != "-");
    let out = output.display();
    let exporter = match to {
        Some(name) => {
            let Some(e) = xxgk_export::by_name(name) else {
                return Err(say!(
                    lang,
                    "没有名为 {name} 的导出格式；可用：{}",
                    "no exporter named {name}; available: {}",
                    batch_names()
                ));
            };
            // An extension that some exporter writes must be this exporter's.
            if let Some(ext) = &ext
                && *ext != e.extension
                && xxgk_export::exporters().iter().any(|x| x.extension == *ext)
            {
                return Err(say!(
                    lang,
                    "导出格式 {} 写出 .{} 文件，与输出文件 {out} 的扩展名不符；请改用 .{} 文件名，或去掉 --to 按扩展名选择",
                    "the {} exporter writes .{} files, but the output {out} is named .{ext}; name it .{} or drop --to",
                    e.name,
                    e.extension,
                    e.extension
                ));
            }
            e
        }
        None => match &ext {
            None => xxgk_export::by_name("xlsx-stats").ok_or_else(|| "xlsx-stats".to_string())?,
            Some(ext) => {
                let with_ext: Vec<&'static ExporterEntry> = xxgk_export::exporters()
                    .into_iter()
                    .filter(|e| e.extension == *ext)
                    .collect();
                match with_ext.iter().find(|e| e.many) {
                    Some(e) => *e,
                    None if with_ext.is_empty() => {
                        return Err(say!(
                            lang,
                            "无法从输出文件名 {out} 判断导出格式；请用 --to 指定，或使用以下扩展名：{}",
                            "cannot tell the exporter from {out}; use --to, or one of: {}",
                            batch_names()
                        ));
                    }
                    None => with_ext[0],
                }
            }
        },
    };
    if !exporter.many {
        return Err(say!(
            lang,
            "导出格式 {} 只能写出一份报告，不能写出整个批次（输出文件 {out}）；合计表请用 --sum-out 合计.{}，批次请用：{}",
            "the {} exporter writes one report, not a batch (output {out}); write the sum with --sum-out sum.{}, the batch with one of: {}",
            exporter.name,
            exporter.extension,
            batch_names()
        ));
    }
    Ok(exporter)
}

/// The exporter of `--sum-out`, by its extension: a one-report form (`.xlsx` is the official
/// form, not the statistics workbook), or failing that any exporter of the extension. Refused
/// before any work: an extension no exporter writes, and the same file as `-o`.
fn pick_sum_exporter(path: &Path, output: &Path, lang: Lang) -> Result<&'static ExporterEntry, String> {
    if path == output {
        return Err(say!(
            lang,
            "--sum-out 与 -o 是同一个文件 {}；请分别命名",
            "--sum-out and -o are the same file {}; name them apart",
            path.display()
        ));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let with_ext: Vec<&'static ExporterEntry> = xxgk_export::exporters()
        .into_iter()
        .filter(|e| e.extension == ext)
        .collect();
    with_ext
        .iter()
        .find(|e| !e.many)
        .or(with_ext.first())
        .copied()
        .ok_or_else(|| {
            say!(
                lang,
                "无法从 --sum-out 文件名 {} 判断格式；请使用 .xlsx（官方表样）、.docx、.html 或 .md",
                "cannot tell the format of --sum-out {}; name it .xlsx (the official form), .docx, .html or .md",
                path.display()
            )
        })
}

/// The file of one sum when a batch has several: the name given with the group after the stem,
/// `全区年报表（2023年度，2021版）.xlsx`.
fn group_path(base: &Path, sum: &GroupSum) -> PathBuf {
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let year = xxgk_model::report::year_text(sum.result.year, Lang::Zh);
    let name = format!("{stem}（{year}，{}版）", sum.result.format.code());
    let mut path = base.with_file_name(name);
    if let Some(ext) = base.extension() {
        path.set_extension(ext);
    }
    path
}

/// Reads and checks every file of a batch on all the pool's threads, showing progress when
/// asked: each report kept compactly with its findings (passes only counted), and the files
/// that could not be read. `aggregate` and a `convert` of many reports read this way.
pub(crate) fn load(
    paths: &[PathBuf],
    import_opts: &ImportOptions,
    check_opts: &CheckOptions,
    keeping: Keeping,
    progress: bool,
    lang: Lang,
) -> (Vec<BatchEntry>, Vec<InputFailure>) {
    // Passed checks of the batch's reports are only counted (see `Entry`).
    let brief = CheckOptions {
        brief_passes: true,
        ..check_opts.clone()
    };
    let bar = if progress {
        ProgressBar::new(paths.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{spinner} {bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar.set_message(if lang == Lang::Zh {
        "读取和校验"
    } else {
        "reading and checking"
    });
    crate::interrupt::track(&bar);
    // The findings kept for the output hold each source location once for the whole batch.
    let locations = xxgk_model::SharedLocations::default();
    let results: Vec<(PathBuf, Result<Vec<BatchEntry>, InputFailure>)> = paths
        .par_iter()
        // Rayon hands each thread long runs of files it reads in turn, which no idle thread can
        // take over: at the end of 20,000 files one core read its last run alone for 0.15 s.
        // Runs of a few files keep both busy to the end.
        .with_max_len(4)
        .map(|p| {
            let file = p.display().to_string();
            // The file's modification time chooses among duplicates (`--keep newest`).
            let modified = std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .and_then(|d| i64::try_from(d.as_secs()).ok());
            let r = import_file(p, import_opts).map(|imported| {
                imported
                    .into_iter()
                    .map(|imp| {
                        let mut entry = imp.into_batch_entry(&file, &brief, keeping, &locations);
                        entry.modified = modified;
                        entry
                    })
                    .collect()
            });
            bar.inc(1);
            (p.clone(), r)
        })
        .collect();
    bar.finish_and_clear();
    // One report a file, as a rule: reserved at once, a batch of 20,000 does not leave a third of
    // a doubled vector unused (its entries are 900 bytes).
    let mut entries = Vec::with_capacity(results.len());
    let mut unreadable = Vec::new();
    for (_, r) in results {
        match r {
            Ok(list) => entries.extend(list),
            Err(e) => unreadable.push(e),
        }
    }
    (entries, unreadable)
}

/// Reads the parent's own report and compares it with the sum of its format and year; a file
/// that cannot be read, or holds other than one report, is listed as unreadable.
fn read_parent(
    path: &Path,
    import_opts: &ImportOptions,
    batch: &Aggregation,
    sums: &[GroupSum],
    unreadable: &mut Vec<Unreadable>,
) -> Option<BatchEntry> {
    let file = path.display().to_string();
    let mut imported = match import_file(path, import_opts) {
        Ok(list) => list,
        Err(e) => {
            unreadable.push(e.into());
            return None;
        }
    };
    // The parent is one report: a file with several cannot say which is meant.
    if imported.len() != 1 {
        unreadable.push(Unreadable {
            file: file.clone(),
            error: FileError {
                kind: "shape".to_string(),
                location: None,
                message: Text::new(
                    format!("--parent 文件应只含一份本级报告，实际含 {} 份", imported.len()),
                    format!("the --parent file should hold one report, but holds {}", imported.len()),
                ),
            },
        });
        return None;
    }
    let (report, findings, sources) = imported.pop()?.checked(&batch.check);
    Some(batch.check_parent(file, report, findings, &sources, sums))
}

/// The one-character mark of an outcome: ✔, ⚠ (partly not assessable) or ✘.
fn short_mark(outcome: Outcome) -> String {
    match outcome {
        Outcome::Pass => paint(style::OK, "✔"),
        Outcome::Partial => paint(style::WARNING, "⚠"),
        _ => paint(style::ERROR, "✘"),
    }
}

/// A report's counts: `错误 2，警告 1，无法核对 3`.
fn counts_text(r: &BatchReport, lang: Lang) -> String {
    let c = &r.counts;
    if lang == Lang::Zh {
        format!(
            "（错误 {}，警告 {}，无法核对 {}）",
            c.errors, c.warnings, c.not_assessable
        )
    } else {
        format!(
            "({} errors, {} warnings, {} not assessable)",
            c.errors, c.warnings, c.not_assessable
        )
    }
}

/// The reports that pass with warnings (a cross-year break, a text that repeats last year's),
/// each with its first warning in words: they pass, but an officer should see them.
fn print_warned(out: &AggregateOutput, lang: Lang) {
    const SHOWN: usize = 50;
    let warned: Vec<&BatchReport> = out
        .reports
        .iter()
        .filter(|r| r.outcome != Outcome::Fail && r.counts.warnings > 0)
        .collect();
    if warned.is_empty() {
        return;
    }
    println!(
        "{}",
        say!(lang, "有警告的报告 {} 份：", "{} reports with warnings:", warned.len())
    );
    for r in warned.iter().take(SHOWN) {
        println!(
            "  {} {} — {}  {}",
            paint(style::WARNING, "⚠"),
            r.agency,
            r.file,
            counts_text(r, lang)
        );
        if let Some(f) = r
            .findings
            .iter()
            .find(|f| f.status == Status::Fail && f.severity == xxgk_model::Severity::Warning)
        {
            println!("      {}: {}", f.rule, f.text(lang));
        }
    }
    if warned.len() > SHOWN {
        println!("  ……{}", warned.len() - SHOWN);
    }
}

/// The reports that passed only partly (checks that could not be made) and those whose year is
/// unknown (summed apart), so that neither hides behind a pass.
fn print_partial_and_unknown_year(out: &AggregateOutput, lang: Lang) {
    const SHOWN: usize = 50;
    let partial: Vec<&BatchReport> = out.reports.iter().filter(|r| r.outcome == Outcome::Partial).collect();
    if !partial.is_empty() {
        println!(
            "{}",
            say!(
                lang,
                "部分无法核对的报告 {} 份：",
                "{} reports partly not assessable:",
                partial.len()
            )
        );
        for r in partial.iter().take(SHOWN) {
            let n = Outcome::unassessed(&r.findings);
            println!(
                "  {} {} — {}  {}",
                crate::checking::outcome_mark(r.outcome, n, lang),
                r.agency,
                r.file,
                counts_text(r, lang)
            );
            // The first check that could not be made, in words (which cell, and why).
            if let Some(f) = r.findings.iter().find(|f| f.status == Status::NotAssessable) {
                println!("      {}: {}", f.rule, f.text(lang));
            }
        }
        if partial.len() > SHOWN {
            println!("  ……{}", partial.len() - SHOWN);
        }
    }
    let unknown: Vec<&BatchReport> = out.reports.iter().filter(|r| r.year.is_none()).collect();
    if !unknown.is_empty() {
        println!(
            "{}",
            say!(
                lang,
                "年度不明的报告 {} 份（已单独汇总；可用 --year 指定年度，或在文件中写明“XXXX年度”）：",
                "{} reports with no year (summed apart; give --year, or state “XXXX年度” in the file):",
                unknown.len()
            )
        );
        for r in unknown.iter().take(SHOWN) {
            println!("  {} — {}", r.agency, r.file);
        }
    }
}

fn print_human(out: &AggregateOutput, written: bool, lang: Lang) {
    let s = &out.summary;
    println!("{}", paint(style::BOLD, xxgk_model::view::batch_summary(s, lang)));
    for u in &out.unreadable {
        let place = u
            .error
            .location
            .as_ref()
            .map(|l| l.display(lang))
            .filter(|p| !p.is_empty());
        let msg = u.error.message.get(lang);
        let line = match place {
            Some(p) => format!("{}: {p}: {msg}", u.file),
            None => format!("{}: {msg}", u.file),
        };
        println!("  {} {line}", crate::checking::outcome_mark(Outcome::Error, 0, lang));
    }
    for sk in &out.skipped {
        println!(
            "  {} {}: {}",
            paint(style::DIM, say!(lang, "− 未读取", "− not read")),
            sk.file,
            sk.reason.get(lang)
        );
    }
    let failing: Vec<&BatchReport> = out.reports.iter().filter(|r| r.outcome == Outcome::Fail).collect();
    if !failing.is_empty() {
        println!(
            "{}",
            say!(lang, "不通过的报告 {} 份：", "{} reports failed:", failing.len())
        );
        const SHOWN: usize = 50;
        let more = failing.len().saturating_sub(SHOWN);
        for r in failing.into_iter().take(SHOWN) {
            let excluded = match r.excluded_because {
                Some(Exclusion::Duplicate) => say!(lang, "（重复，未计入合计）", " (duplicate, not summed)"),
                Some(_) => say!(lang, "（未计入合计）", " (not summed)"),
                None => String::new(),
            };
            let year = r
                .year
                .map_or_else(|| xxgk_model::report::year_text(None, lang), |y| y.to_string());
            println!(
                "  {} {} {year} — {}{excluded}  {}",
                paint(style::ERROR, "✘"),
                r.agency,
                r.file,
                counts_text(r, lang)
            );
            println!("      {}", xxgk_model::view::failed_rules(&r.findings, lang));
            // The first problem in words (for a duplicate, which copy is counted and why).
            let first = r
                .findings
                .iter()
                .find(|f| f.rule == "X-BATCH-DUP" && r.excluded_because == Some(Exclusion::Duplicate))
                .or_else(|| r.findings.iter().find(|f| f.status == Status::Fail));
            if let Some(f) = first {
                println!("      {}", f.text(lang));
            }
        }
        if more > 0 {
            println!(
                "  {}",
                say!(
                    lang,
                    "……另有 {more} 份，见输出文件的问题清单或 --json",
                    "… {more} more; see the findings in the output or --json"
                )
            );
        }
    }
    print_warned(out, lang);
    print_partial_and_unknown_year(out, lang);
    if let Some(m) = &out.matching {
        println!(
            "{}",
            say!(
                lang,
                "跨年度匹配：上一年度 {} 份，匹配 {} 份；本年未匹配 {} 份，上年未匹配 {} 份",
                "Matched across years: {} previous reports, {} matched; {} this year and {} last year unmatched",
                m.previous_reports,
                m.matched.len(),
                m.unmatched_current.len(),
                m.unmatched_previous.len()
            )
        );
        for u in m.unmatched_current.iter().take(20) {
            println!("  {} {u}", say!(lang, "本年未匹配", "unmatched now"));
        }
        // Who reported last year and not this year: the officer's question, not only --json's.
        for u in m.unmatched_previous.iter().take(50) {
            println!(
                "  {} {u}",
                say!(lang, "上年报送、本年未报送", "reported last year, not this year")
            );
        }
        if m.unmatched_previous.len() > 50 {
            println!("  ……{}", m.unmatched_previous.len() - 50);
        }
    }
    if out.sums.len() > 1 {
        println!(
            "{}",
            say!(
                lang,
                "注意：本批次包含不同格式或年度的报告，已分别汇总",
                "Note: the batch mixes formats or years; each is summed apart"
            )
        );
    }
    for sum in &out.sums {
        let mark = short_mark(sum.outcome);
        let gaps = sum.gaps.len();
        println!(
            "{mark} {}",
            say!(
                lang,
                "合计 {}（{}版格式）：{} 份报告；错误 {}，警告 {}，无法核对 {}；有空白或无法读取数值的单元格 {} 个",
                "Sum {} ({} format): {} reports; {} errors, {} warnings, {} not assessable; {} cells with blanks or unreadable values",
                xxgk_model::report::year_text(sum.year, lang),
                sum.format.code(),
                sum.reports,
                sum.counts.errors,
                sum.counts.warnings,
                sum.counts.not_assessable,
                gaps
            )
        );
        if !sum.findings.is_empty() && sum.outcome == Outcome::Fail {
            println!("      {}", xxgk_model::view::failed_rules(&sum.findings, lang));
        }
    }
    if let Some(p) = &out.parent {
        let mark = short_mark(p.outcome);
        println!(
            "{mark} {} {} — {}: {}",
            say!(lang, "本级报告", "parent"),
            p.agency,
            p.file,
            xxgk_model::view::failed_rules(&p.findings, lang)
        );
    }
    if written {
        println!(
            "{}",
            say!(lang, "已写出 {}（{}）", "wrote {} ({})", out.output, out.exporter)
        );
    }
}
