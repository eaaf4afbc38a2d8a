//! `xxgk aggregate`: read a whole batch in parallel, check every report, check reports against
//! last year's and the parent against its children, sum them, and write one workbook — without
//! ever giving up on the batch because of one bad file.

use crate::exit;
use crate::files::{InputFailure, check_output, expand_inputs, import_file, write_output};
use crate::printing::{eprintln, println};
use crate::style::{self, paint};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use xxgk_export::{Options, ReportBatch};
use xxgk_import::ImportOptions;
use xxgk_model::output::{
    AGGREGATE_SCHEMA_VERSION, AggregateOutput, BatchReport, Counts, FileError, MatchedPair, MatchingSummary, Outcome,
    SkippedFile, SumResult, Summary, Unreadable,
};
use xxgk_model::{
    AggregateOptions, Cell, CheckOptions, CompactReport, Finding, FormatVersion, Lang, Meta, Report, Status, Summer,
    Text, batch, check, check_duplicate, check_with_children, check_with_previous,
};

#[derive(clap::Args)]
pub struct Args {
    /// 输入文件、文件夹或通配符，格式可混合 (files, folders or globs, any importable format)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出文件 (output file)
    #[arg(short, long)]
    output: PathBuf,
    /// 导出格式，缺省为 xlsx-stats (exporter; default xlsx-stats)
    #[arg(long = "to", value_name = "NAME", default_value = "xlsx-stats")]
    to: String,
    /// 合计报告的机关名称 (agency name of the sum)
    #[arg(long, default_value = "汇总")]
    agency: String,
    /// 文件中未写明年度时使用的报告年度（上一年度报告按前一年）；文件写明的年度优先，不一致时提示
    /// (the report year when a file does not say it; --previous files get the year before)
    #[arg(long, value_parser = clap::value_parser!(u16).range(2001..=2100))]
    year: Option<u16>,
    /// 不通过的报告不计入合计 (leave reports with a failed rule out of the sum)
    #[arg(long)]
    exclude_failing: bool,
    /// 上一年度的报告，用于跨年度核对 (last year's reports, for the cross-year checks)
    #[arg(long, num_args = 1.., value_name = "INPUT")]
    previous: Vec<PathBuf>,
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
    /// 并行线程数，缺省为全部核心 (threads; default all cores)
    #[arg(long, short)]
    jobs: Option<usize>,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

/// One report read from the batch, with its findings so far. Passed checks are only counted:
/// a batch of thousands of reports keeps only what needs attention, and the report itself is
/// kept compact (and without its texts when neither the output nor a rule needs them).
struct Entry {
    file: String,
    report: CompactReport,
    counts: Counts,
    findings: Vec<Finding>,
    excluded_because: Option<&'static str>,
}

pub fn run(args: &Args, lang: Lang) -> u8 {
    let zh = lang == Lang::Zh;
    let Some(exporter) = xxgk_export::by_name(&args.to) else {
        let names: Vec<_> = xxgk_export::exporters().iter().map(|e| e.name).collect();
        eprintln!(
            "{}",
            if zh {
                format!("没有名为 {} 的导出格式；可用：{}", args.to, names.join(", "))
            } else {
                format!("no exporter named {}; available: {}", args.to, names.join(", "))
            }
        );
        return exit::INPUT_ERROR;
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
    {
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
        .collect();
    if let Err(msg) = check_output(&args.output, &all_inputs, lang) {
        eprintln!("{msg}");
        return exit::INPUT_ERROR;
    }
    // Texts are kept for an exporter that writes them and for X-DUP, which compares them with
    // last year's.
    let keep_texts = exporter.exporter.writes_texts() || !args.previous.is_empty();
    let (mut entries, mut unreadable) =
        pool.install(|| load(&paths, &import_opts, &check_opts, keep_texts, show_progress, lang));
    let (previous, prev_unreadable) = if args.previous.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        pool.install(|| {
            load(
                &expand_inputs(&args.previous, lang),
                &previous_opts,
                &check_opts,
                true,
                show_progress,
                lang,
            )
        })
    };
    unreadable.extend(prev_unreadable);

    // The same agency and year twice: the later one is a finding and stays out of the sum.
    let reports: Vec<&Report> = entries.iter().map(|e| e.report.shell()).collect();
    let dups = batch::duplicates(&reports);
    let dup_findings: Vec<(usize, Vec<Finding>)> = dups
        .iter()
        .map(|&(later, earlier)| {
            (
                later,
                check_duplicate(
                    &entries[later].report.to_report(),
                    &entries[earlier].report.to_report(),
                    &check_opts,
                ),
            )
        })
        .collect();
    for (i, mut f) in dup_findings {
        if let Some(src) = &entries[i].report.shell().meta.source {
            for x in &mut f {
                x.message.zh.push_str(&format!("（{src}）"));
                x.message.en.push_str(&format!(" ({src})"));
            }
        }
        entries[i].add(f);
        entries[i].excluded_because = Some("duplicate");
    }

    let matching = (!args.previous.is_empty()).then(|| match_previous(&mut entries, &previous, &check_opts));

    if args.exclude_failing {
        for e in &mut entries {
            if e.excluded_because.is_none() && e.findings.iter().any(|f| f.is_failure(args.check.strict)) {
                e.excluded_because = Some("failing");
            }
        }
    }

    // Summing and writing thousands of reports takes seconds: a spinner says so on a terminal.
    let busy = if show_progress {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    busy.set_message(if zh {
        "汇总并写出结果"
    } else {
        "summing and writing"
    });
    busy.enable_steady_tick(std::time::Duration::from_millis(120));

    // One sum per (format, year): reports of different layouts cannot be added cell by cell.
    // Each report is added in turn from its compact form.
    // Reports whose year is unknown form groups of their own, named so.
    let mut groups: BTreeMap<(FormatVersion, Option<u16>), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.excluded_because.is_none()) {
        let meta = &e.report.shell().meta;
        groups.entry((meta.format, meta.year)).or_default().push(i);
    }
    let mut sums = Vec::new();
    let mut sum_reports = Vec::new();
    for ((format, year), members) in &groups {
        let name = if groups.len() > 1 || year.is_none() {
            let year = year.map_or_else(|| "年度不明".to_string(), |y| format!("{y}年度"));
            format!("{}（{year}，{}版）", args.agency, format.code())
        } else {
            args.agency.clone()
        };
        let mut summer = Summer::new(
            *format,
            *year,
            AggregateOptions {
                blank_as_zero: args.check.blank_as_zero,
            },
        );
        let summed = members
            .iter()
            .try_for_each(|&i| summer.add_compact(&entries[i].report))
            .and_then(|()| summer.finish(&name));
        match summed {
            Ok(agg) => {
                let findings = check(&agg.report, &check_opts);
                sums.push(SumResult {
                    format: *format,
                    year: *year,
                    reports: members.len(),
                    outcome: Outcome::of(&findings, args.check.strict),
                    counts: Counts::of(&findings),
                    gaps: agg.gaps,
                    findings: not_passed(&findings),
                });
                sum_reports.push((agg.report, findings));
            }
            Err(e) => {
                busy.finish_and_clear();
                eprintln!("{e}");
                return exit::INPUT_ERROR;
            }
        }
    }

    let parent = args.parent.as_ref().and_then(|p| {
        check_parent(
            p,
            &import_opts,
            &check_opts,
            &sum_reports,
            &mut unreadable,
            args.check.strict,
        )
    });

    let batch_reports: Vec<BatchReport> = entries.iter().map(|e| batch_report(e, args.check.strict)).collect();
    // Everything goes to the exporter: every report, the parent, then the sums.
    // What a statistics total must not count again: excluded reports, the parent, the sums.
    let mut outside_total: Vec<bool> = entries.iter().map(|e| e.excluded_because.is_some()).collect();
    let mut out_findings: Vec<Vec<Finding>> = entries.iter_mut().map(|e| std::mem::take(&mut e.findings)).collect();
    let mut extra: Vec<Report> = Vec::new();
    if let Some((report, findings, _)) = &parent {
        extra.push(report.clone());
        out_findings.push(findings.clone());
        outside_total.push(true);
    }
    for (r, f) in &sum_reports {
        extra.push(r.clone());
        out_findings.push(f.clone());
        outside_total.push(true);
    }
    let out_reports = OutputBatch {
        entries: &entries,
        extra,
    };
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
        findings: Some(&out_findings),
        unreadable: &unreadable_pairs,
        skipped: &skipped_pairs,
        outside_total: Some(&outside_total),
        strict: args.check.strict,
    };
    let written = if ReportBatch::is_empty(&out_reports) {
        Err(anyhow::anyhow!(if zh {
            "没有可读取的报告"
        } else {
            "no report could be read"
        }))
    } else if !exporter.many && ReportBatch::len(&out_reports) != 1 {
        Err(anyhow::anyhow!(
            if zh {
                "导出格式 {} 只能导出一份报告"
            } else {
                "the {} exporter writes one report"
            }
            .replace("{}", exporter.name)
        ))
    } else {
        write_output(&args.output, lang, |w| {
            Ok(exporter.run_batch(&out_reports, w, &opts)?)
        })
    };

    busy.finish_and_clear();

    let mut summary = Summary {
        files: paths.len() + skipped.len(),
        unreadable: unreadable.len(),
        skipped: skipped.len(),
        ..Default::default()
    };
    for r in &batch_reports {
        summary.reports += 1;
        match r.outcome {
            Outcome::Fail => summary.failed += 1,
            Outcome::Partial => summary.partial += 1,
            _ => summary.passed += 1,
        }
        summary.counts.add(r.counts);
    }
    let any_fail = summary.failed > 0
        || sums.iter().any(|s| s.outcome == Outcome::Fail)
        || parent.as_ref().is_some_and(|p| p.2.outcome == Outcome::Fail);
    let exit_code = if !unreadable.is_empty() || written.is_err() {
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
        parent: parent.map(|p| p.2),
        output: args.output.display().to_string(),
        exporter: exporter.name.to_string(),
        summary,
        exit_code,
    };
    if let Err(e) = &written {
        eprintln!("{}: {e}", args.output.display());
    }
    if args.json {
        match serde_json::to_string_pretty(&output) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("{e}"),
        }
    } else {
        print_human(&output, written.is_ok(), lang);
    }
    exit_code
}

/// Reads and checks files in parallel, in input order, with a progress bar on a terminal.
fn load(
    paths: &[PathBuf],
    import_opts: &ImportOptions,
    check_opts: &CheckOptions,
    keep_texts: bool,
    progress: bool,
    lang: Lang,
) -> (Vec<Entry>, Vec<Unreadable>) {
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
    let results: Vec<(PathBuf, Result<Vec<Entry>, InputFailure>)> = paths
        .par_iter()
        .map(|p| {
            let file = p.display().to_string();
            let r = import_file(p, import_opts).map(|imported| {
                imported
                    .into_iter()
                    .map(|imp| {
                        let mut report = imp.report;
                        report.meta.source.get_or_insert_with(|| file.clone());
                        let mut findings = imp.findings;
                        findings.extend(check(&report, &brief));
                        imp.sources.locate(&mut findings);
                        let compact = CompactReport::new(report);
                        let compact = if keep_texts { compact } else { compact.without_texts() };
                        Entry::new(file.clone(), compact, findings, None)
                    })
                    .collect()
            });
            bar.inc(1);
            (p.clone(), r)
        })
        .collect();
    bar.finish_and_clear();
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for (_, r) in results {
        match r {
            Ok(list) => entries.extend(list),
            Err(e) => unreadable.push(Unreadable {
                file: e.file.clone(),
                error: FileError {
                    kind: e.kind.to_string(),
                    location: e.location.map(|l| *l),
                    message: e.message,
                },
            }),
        }
    }
    (entries, unreadable)
}

fn match_previous(entries: &mut [Entry], previous: &[Entry], opts: &CheckOptions) -> MatchingSummary {
    let cur: Vec<&Meta> = entries.iter().map(|e| &e.report.shell().meta).collect();
    let prev: Vec<&Meta> = previous.iter().map(|e| &e.report.shell().meta).collect();
    let m = batch::match_reports(&cur, &prev);
    let label = |e: &Entry| format!("{}: {}", e.file, e.report.shell().meta.agency);
    let summary = MatchingSummary {
        previous_reports: previous.len(),
        matched: m
            .pairs
            .iter()
            .map(|&(i, j, basis)| MatchedPair {
                current: entries[i].file.clone(),
                previous: previous[j].file.clone(),
                basis,
            })
            .collect(),
        unmatched_current: m.unmatched_current.iter().map(|&i| label(&entries[i])).collect(),
        unmatched_previous: m.unmatched_previous.iter().map(|&j| label(&previous[j])).collect(),
    };
    for &(i, j, _) in &m.pairs {
        let findings = check_with_previous(&entries[i].report.to_report(), &previous[j].report.to_report(), opts);
        entries[i].add(findings);
    }
    summary
}

fn check_parent(
    path: &Path,
    import_opts: &ImportOptions,
    check_opts: &CheckOptions,
    sums: &[(Report, Vec<Finding>)],
    unreadable: &mut Vec<Unreadable>,
    strict: bool,
) -> Option<(Report, Vec<Finding>, BatchReport)> {
    let file = path.display().to_string();
    let mut imported = match import_file(path, import_opts) {
        Ok(list) => list,
        Err(e) => {
            unreadable.push(Unreadable {
                file: e.file.clone(),
                error: FileError {
                    kind: e.kind.to_string(),
                    location: e.location.map(|l| *l),
                    message: e.message,
                },
            });
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
    let first = imported.drain(..).next()?;
    let mut findings = first.findings;
    findings.extend(check(&first.report, check_opts));
    let sum = sums
        .iter()
        .find(|(s, _)| s.meta.format == first.report.meta.format && s.meta.year == first.report.meta.year);
    if let Some((sum, _)) = sum {
        findings.extend(check_with_children(&first.report, sum, check_opts));
    }
    first.sources.locate(&mut findings);
    let entry = Entry::new(file, CompactReport::new(first.report), findings, Some("parent"));
    let result = batch_report(&entry, strict);
    Some((entry.report.to_report(), entry.findings, result))
}

impl Entry {
    fn new(
        file: String,
        report: CompactReport,
        findings: Vec<Finding>,
        excluded_because: Option<&'static str>,
    ) -> Self {
        let mut e = Entry {
            file,
            report,
            counts: Counts::default(),
            findings: Vec::new(),
            excluded_because,
        };
        e.add(findings);
        e
    }

    /// Counts new findings and keeps those that did not pass.
    fn add(&mut self, findings: Vec<Finding>) {
        self.counts.add(Counts::of(&findings));
        self.findings
            .extend(findings.into_iter().filter(|f| f.status != Status::Pass));
    }
}

/// What the exporter gets: every report of the batch, from its compact form one at a time (its
/// cells alone, or the whole report rebuilt), then the parent and the sums.
struct OutputBatch<'a> {
    entries: &'a [Entry],
    extra: Vec<Report>,
}

impl ReportBatch for OutputBatch<'_> {
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
            Some(e) => e.report.shell().meta.clone(),
            None => self.extra[index - self.entries.len()].meta.clone(),
        }
    }

    fn cells_by_position(&self, index: usize) -> Vec<Option<Cow<'_, Cell>>> {
        match self.entries.get(index) {
            Some(e) => e.report.cells_by_position(),
            None => self.extra[index - self.entries.len()].cells_by_position(),
        }
    }
}

/// The one-character mark of an outcome: ✔, ⚠ (partly not assessable) or ✘.
fn short_mark(outcome: Outcome) -> String {
    match outcome {
        Outcome::Pass => paint(style::OK, "✔"),
        Outcome::Partial => paint(style::WARNING, "⚠"),
        _ => paint(style::ERROR, "✘"),
    }
}

fn not_passed(findings: &[Finding]) -> Vec<Finding> {
    findings.iter().filter(|f| f.status != Status::Pass).cloned().collect()
}

fn batch_report(e: &Entry, strict: bool) -> BatchReport {
    BatchReport {
        file: e.file.clone(),
        agency: e.report.shell().meta.agency.clone(),
        year: e.report.shell().meta.year,
        origins: e.report.shell().meta.origins.clone(),
        format: e.report.shell().meta.format,
        outcome: Outcome::of(&e.findings, strict),
        counts: e.counts,
        included: e.excluded_because.is_none(),
        excluded_because: e.excluded_because.map(String::from),
        findings: e.findings.clone(),
    }
}

/// The rules that failed in a report, with how often: `T3-BAL（2）、T3-ROWSUM（1）`.
fn failed_rules(findings: &[Finding], lang: Lang) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.status == Status::Fail) {
        *counts.entry(f.rule.as_str()).or_default() += 1;
    }
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    counts
        .iter()
        .map(|(r, n)| {
            if lang == Lang::Zh {
                format!("{r}（{n}）")
            } else {
                format!("{r} ({n})")
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// The reports that passed only partly (checks that could not be made) and those whose year is
/// unknown (summed apart), so that neither hides behind a pass.
fn print_partial_and_unknown_year(out: &AggregateOutput, lang: Lang) {
    const SHOWN: usize = 50;
    let zh = lang == Lang::Zh;
    let partial: Vec<&BatchReport> = out.reports.iter().filter(|r| r.outcome == Outcome::Partial).collect();
    if !partial.is_empty() {
        println!(
            "{}",
            if zh {
                format!("部分无法核对的报告 {} 份：", partial.len())
            } else {
                format!("{} reports partly not assessable:", partial.len())
            }
        );
        for r in partial.iter().take(SHOWN) {
            let n = Outcome::unassessed(&r.findings);
            println!(
                "  {} {} — {}",
                crate::checking::outcome_mark(r.outcome, n, lang),
                r.agency,
                r.file
            );
        }
        if partial.len() > SHOWN {
            println!("  ……{}", partial.len() - SHOWN);
        }
    }
    let unknown: Vec<&BatchReport> = out.reports.iter().filter(|r| r.year.is_none()).collect();
    if !unknown.is_empty() {
        println!(
            "{}",
            if zh {
                format!(
                    "年度不明的报告 {} 份（已单独汇总；可用 --year 指定年度，或在文件中写明“XXXX年度”）：",
                    unknown.len()
                )
            } else {
                format!(
                    "{} reports with no year (summed apart; give --year, or state “XXXX年度” in the file):",
                    unknown.len()
                )
            }
        );
        for r in unknown.iter().take(SHOWN) {
            println!("  {} — {}", r.agency, r.file);
        }
    }
}

fn print_human(out: &AggregateOutput, written: bool, lang: Lang) {
    let zh = lang == Lang::Zh;
    let s = &out.summary;
    println!(
        "{}",
        paint(
            style::BOLD,
            if zh {
                format!(
                    "共 {} 个文件：读取 {} 份报告（通过 {}，部分无法核对 {}，不通过 {}），无法读取 {} 个文件，未读取 {} 个文件",
                    s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable, s.skipped
                )
            } else {
                format!(
                    "{} files: {} reports read ({} passed, {} partly not assessable, {} failed), {} files unreadable, {} not read",
                    s.files, s.reports, s.passed, s.partial, s.failed, s.unreadable, s.skipped
                )
            }
        )
    );
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
        println!(
            "  {} {line}",
            paint(style::ERROR, if zh { "✘ 无法读取" } else { "✘ unreadable" })
        );
    }
    for sk in &out.skipped {
        println!(
            "  {} {}: {}",
            paint(style::DIM, if zh { "− 未读取" } else { "− not read" }),
            sk.file,
            sk.reason.get(lang)
        );
    }
    let failing: Vec<&BatchReport> = out.reports.iter().filter(|r| r.outcome == Outcome::Fail).collect();
    if !failing.is_empty() {
        println!(
            "{}",
            if zh {
                format!("不通过的报告 {} 份：", failing.len())
            } else {
                format!("{} reports failed:", failing.len())
            }
        );
        const SHOWN: usize = 50;
        let more = failing.len().saturating_sub(SHOWN);
        for r in failing.into_iter().take(SHOWN) {
            let excluded = match (r.excluded_because.as_deref(), zh) {
                (Some("duplicate"), true) => "（重复，未计入合计）",
                (Some("duplicate"), false) => " (duplicate, not summed)",
                (Some("failing"), true) => "（未计入合计）",
                (Some("failing"), false) => " (not summed)",
                _ => "",
            };
            let year = r.year.map_or_else(
                || if zh { "年度不明" } else { "year unknown" }.to_string(),
                |y| y.to_string(),
            );
            println!(
                "  {} {} {year} — {}{excluded}",
                paint(style::ERROR, "✘"),
                r.agency,
                r.file
            );
            println!("      {}", failed_rules(&r.findings, lang));
        }
        if more > 0 {
            println!(
                "  {}",
                if zh {
                    format!("……另有 {more} 份，见输出文件的问题清单或 --json")
                } else {
                    format!("… {more} more; see the findings in the output or --json")
                }
            );
        }
    }
    print_partial_and_unknown_year(out, lang);
    if let Some(m) = &out.matching {
        println!(
            "{}",
            if zh {
                format!(
                    "跨年度匹配：上一年度 {} 份，匹配 {} 份；本年未匹配 {} 份，上年未匹配 {} 份",
                    m.previous_reports,
                    m.matched.len(),
                    m.unmatched_current.len(),
                    m.unmatched_previous.len()
                )
            } else {
                format!(
                    "Matched across years: {} previous reports, {} matched; {} this year and {} last year unmatched",
                    m.previous_reports,
                    m.matched.len(),
                    m.unmatched_current.len(),
                    m.unmatched_previous.len()
                )
            }
        );
        for u in m.unmatched_current.iter().take(20) {
            println!("  {} {u}", if zh { "本年未匹配" } else { "unmatched now" });
        }
    }
    if out.sums.len() > 1 {
        println!(
            "{}",
            if zh {
                "注意：本批次包含不同格式或年度的报告，已分别汇总"
            } else {
                "Note: the batch mixes formats or years; each is summed apart"
            }
        );
    }
    for sum in &out.sums {
        let mark = short_mark(sum.outcome);
        let gaps = sum.gaps.len();
        println!(
            "{mark} {}",
            if zh {
                format!(
                    "合计 {}（{}版格式）：{} 份报告；错误 {}，警告 {}，无法核对 {}；有空白或无法读取数值的单元格 {} 个",
                    sum.year.map_or_else(|| "年度不明".to_string(), |y| format!("{y}年度")),
                    sum.format.code(),
                    sum.reports,
                    sum.counts.errors,
                    sum.counts.warnings,
                    sum.counts.not_assessable,
                    gaps
                )
            } else {
                format!(
                    "Sum {} ({} format): {} reports; {} errors, {} warnings, {} not assessable; {} cells with blanks or unreadable values",
                    sum.year.map_or_else(|| "year unknown".to_string(), |y| y.to_string()),
                    sum.format.code(),
                    sum.reports,
                    sum.counts.errors,
                    sum.counts.warnings,
                    sum.counts.not_assessable,
                    gaps
                )
            }
        );
        if !sum.findings.is_empty() && sum.outcome == Outcome::Fail {
            println!("      {}", failed_rules(&sum.findings, lang));
        }
    }
    if let Some(p) = &out.parent {
        let mark = short_mark(p.outcome);
        println!(
            "{mark} {} {} — {}: {}",
            if zh { "本级报告" } else { "parent" },
            p.agency,
            p.file,
            failed_rules(&p.findings, lang)
        );
    }
    if written {
        println!(
            "{}",
            if zh {
                format!("已写出 {}（{}）", out.output, out.exporter)
            } else {
                format!("wrote {} ({})", out.output, out.exporter)
            }
        );
    }
}
