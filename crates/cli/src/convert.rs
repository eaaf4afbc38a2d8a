//! `xxgk convert`: read reports from any importable file and write them with an exporter.

use crate::exit;
use crate::files::{check_output, expand_inputs, import_file, write_output};
use crate::printing::{eprintln, say, text};
use std::path::PathBuf;
use xxgk_export::ExporterEntry;
use xxgk_export::batch::BatchOutput;
use xxgk_model::{Lang, Text};

#[derive(clap::Args)]
pub struct Args {
    /// 输入文件或文件夹；多份报告的导出格式可接受多个 (input files or folders)
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// 输出文件，“-”为标准输出 (output file; - for standard output)
    #[arg(short, long)]
    output: PathBuf,
    /// 导出格式名称，缺省时按输出文件扩展名选择（见 xxgk exporters）(exporter name; default: by extension)
    #[arg(long = "to", value_name = "NAME")]
    to: Option<String>,
    /// 写出供发布的格式（docx、html、md）时，不提示报告有不成立的核对 (no warning when a report to be
    /// published fails a check)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    meta: crate::checking::MetaArgs,
    #[command(flatten)]
    jobs: crate::jobs::JobsArg,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> u8 {
    let exporter = match pick_exporter(args) {
        Ok(e) => e,
        Err(msg) => {
            eprintln!("{}", msg.get(lang));
            return exit::INPUT_ERROR;
        }
    };
    let import_opts = xxgk_import::ImportOptions {
        year: args.meta.year,
        agency: args.meta.agency.clone(),
        ..args.limits.import_options()
    };
    let mut reports = Vec::new();
    let mut sources = Vec::new();
    let mut failed = false;
    let paths = expand_inputs(&args.inputs, lang);
    if paths.is_empty() {
        eprintln!("{}", crate::files::nothing_to_read(&args.inputs, lang));
        return exit::INPUT_ERROR;
    }
    if let Err(msg) = check_output(&args.output, &paths, lang) {
        eprintln!("{msg}");
        return exit::INPUT_ERROR;
    }
    if exporter.many {
        return convert_batch(args, exporter, &paths, &import_opts, lang);
    }
    for path in paths {
        match import_file(&path, &import_opts) {
            Ok(imported) => {
                for i in imported {
                    reports.push(i.report);
                    sources.push(i.sources);
                }
            }
            Err(e) => {
                eprintln!("{}", e.describe(lang));
                failed = true;
            }
        }
    }
    if failed {
        eprintln!("{}", nothing_written(lang));
        return exit::INPUT_ERROR;
    }
    if reports.len() != 1 {
        eprintln!(
            "{}",
            say!(
                lang,
                "导出格式 {} 只能导出一份报告，输入中有 {} 份",
                "the {} exporter writes one report; the inputs hold {}",
                exporter.name,
                reports.len()
            )
        );
        return exit::INPUT_ERROR;
    }
    // Findings carry each cell's place in its source file, for exporters that list them.
    let findings = xxgk_export::convert::located_findings(&reports, &sources);
    // A report for publication that breaks a rule is written, but not without saying so.
    let publishable = matches!(exporter.name, "docx" | "html" | "md");
    if publishable && !args.force {
        for (r, f) in reports.iter().zip(&findings) {
            let failed: Vec<&xxgk_model::Finding> = f.iter().filter(|x| x.is_failure(false)).collect();
            if let Some(first) = failed.first() {
                eprintln!(
                    "{}",
                    say!(
                        lang,
                        "警告：{} 的报告有 {} 项核对不成立，发布前请先修改（--force 不再提示）；第一项：{}",
                        "warning: the report of {} fails {} checks; correct it before publishing (--force to silence); first: {}",
                        r.meta.agency,
                        failed.len(),
                        first.text(lang)
                    )
                );
            }
        }
    }
    let result = write_output(&args.output, lang, |w| {
        Ok(xxgk_export::convert::convert(exporter, &reports, &findings, lang, w)?)
    });
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("{}: {}", args.output.display(), crate::files::error_text(&e, lang));
            exit::INPUT_ERROR
        }
    }
}

/// Many reports: read and checked on every core (progress shown on a terminal), each held
/// compactly, and written one at a time by an exporter that streams: a folder of thousands of
/// workbooks converts in bounded memory. Nothing is written when a file cannot be read.
fn convert_batch(
    args: &Args,
    exporter: &'static ExporterEntry,
    paths: &[PathBuf],
    import_opts: &xxgk_import::ImportOptions,
    lang: Lang,
) -> u8 {
    // A bar for a folder, not for one file.
    let progress = paths.len() > 1 && std::io::IsTerminal::is_terminal(&std::io::stderr());
    // Only what the files hold is written: no source is added to a report that names none.
    let keeping = xxgk_import::Keeping {
        texts: exporter.exporter.writes_texts(),
        source_file: false,
    };
    let pool = match args.jobs.pool() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return exit::INPUT_ERROR;
        }
    };
    let checks = xxgk_model::CheckOptions::default();
    let (mut entries, failures) =
        pool.install(|| crate::aggregate::load(paths, import_opts, &checks, keeping, progress, lang));
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("{}", f.describe(lang));
        }
        eprintln!("{}", nothing_written(lang));
        return exit::INPUT_ERROR;
    }
    let findings = BatchOutput::take_findings(&mut entries);
    let output = BatchOutput::new(&entries, findings, None, &[]);
    let opts = xxgk_export::Options {
        lang,
        ..Default::default()
    };
    match write_output(&args.output, lang, |w| Ok(output.write(exporter, w, &opts)?)) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("{}: {}", args.output.display(), crate::files::error_text(&e, lang));
            exit::INPUT_ERROR
        }
    }
}

fn nothing_written(lang: Lang) -> String {
    say!(
        lang,
        "有输入文件无法读取，未写出结果",
        "some inputs could not be read; nothing was written"
    )
}

/// The exporter `--to` names, or else the one the output's extension names.
fn pick_exporter(args: &Args) -> Result<&'static ExporterEntry, Text> {
    let names = || {
        xxgk_export::exporters()
            .iter()
            .map(|e| e.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = &args.to {
        return xxgk_export::by_name(name).ok_or_else(|| {
            text!(
                "没有名为 {name} 的导出格式；可用：{}",
                "no exporter named {name}; available: {}",
                names()
            )
        });
    }
    let out = args.output.display().to_string();
    xxgk_export::by_extension(&out).ok_or_else(|| {
        text!(
            "无法从输出文件名 {out} 判断导出格式，请用 --to 指定；可用：{}",
            "cannot tell the exporter from {out}; use --to (available: {})",
            names()
        )
    })
}
