//! `xxgk`: check, convert and sum China's government information-disclosure annual reports.
//!
//! The binary is thin: it parses arguments, reads files, calls the library crates and renders
//! their results for people (Chinese by default) or machines (`--json`). Only this crate knows
//! about terminals, files and exit codes.

mod aggregate;
mod checking;
mod convert;
mod files;
mod interrupt;
mod jobs;
mod json_stream;
mod limits;
mod listing;
mod printing;
mod roster;
mod style;
mod template;
mod usage;
mod validate;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use xxgk_model::Lang;

/// jemalloc: a batch allocates and frees millions of small blocks on every core, where glibc's
/// allocator grows each thread's heap a page at a time; 20,000 workbooks take 6 % less CPU time
/// with it, within the memory target (docs/performance.md, session 24).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Exit codes, as documented in the README.
pub mod exit {
    /// No rule failed.
    pub const OK: u8 = 0;
    /// A rule failed (an error, or a warning with `--strict`).
    pub const RULE_FAILED: u8 = 1;
    /// An input could not be read, an output could not be written, or the command was wrong.
    pub const INPUT_ERROR: u8 = 2;
    /// Interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report it.
    pub const INTERRUPTED: u8 = crate::interrupt::INTERRUPTED;
}

#[derive(Parser)]
#[command(
    name = "xxgk",
    version,
    about = "政府信息公开工作年度报告：校验、转换、汇总 (check, convert and sum the annual reports)",
    long_about = None
)]
struct Cli {
    /// 输出语言 (language of messages)
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// 校验年报的勾稽关系和格式 (check reports against the rules)
    Validate(validate::Args),
    /// 转换为其他格式 (convert reports with an exporter)
    Convert(convert::Args),
    /// 批量读取、校验并逐格汇总 (check and sum a batch of reports)
    Aggregate(aggregate::Args),
    /// 列出导出格式 (list the exporters)
    Exporters(listing::ExportersArgs),
    /// 列出校验规则 (list the rules)
    Rules(listing::RulesArgs),
    /// 生成标准 Excel 填报模板 (write the standard Excel template)
    Template(template::Args),
}

fn main() -> ExitCode {
    quiet_guarded_panics();
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let asked = usage::lang_of(&args);
    // Every help text is translated only when clap has something to show (help, version, a
    // mistake): localizing the whole definition cost a third of checking one workbook, and the
    // texts do not change how arguments parse. The second parse gives the same outcome, worded.
    let parsed = Cli::command()
        .try_get_matches_from(std::env::args_os())
        .or_else(|_| usage::localized(Cli::command(), asked).try_get_matches_from(std::env::args_os()))
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let lang = asked;
            // Chinese users read command-line mistakes in Chinese; help and version as clap
            // renders them.
            if lang == Lang::Zh
                && let Some(msg) = usage::message_zh(&e)
            {
                printing::eprintln!("{msg}");
                return ExitCode::from(printing::finish(exit::INPUT_ERROR, lang));
            }
            let code = if e.use_stderr() { exit::INPUT_ERROR } else { exit::OK };
            // `--help > /dev/full` cannot say anything, but must not claim success.
            let code = if e.print().is_err() { exit::INPUT_ERROR } else { code };
            return ExitCode::from(code);
        }
    };
    let lang = Lang::from(cli.lang);
    interrupt::install(lang);
    let code = match cli.command {
        Command::Validate(args) => validate::run(&args, lang),
        Command::Convert(args) => convert::run(&args, lang),
        Command::Aggregate(args) => aggregate::run(&args, lang),
        Command::Exporters(args) => listing::exporters(&args, lang),
        Command::Rules(args) => listing::rules(&args, lang),
        Command::Template(args) => template::run(&args, lang),
    };
    ExitCode::from(printing::finish(code, lang))
}

/// A panic inside a file reader that the importer catches (calamine on some damaged files)
/// becomes an ordinary “damaged file” error, and one inside the statistics workbook's writer (a
/// temporary file that cannot be written) an ordinary output error; their default panic message
/// on stderr would only alarm the user, so it is left out. Any other panic is printed as usual.
fn quiet_guarded_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !xxgk_import::in_guarded_reader() && !xxgk_export::in_guarded_writer() {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
        for lang in [Lang::Zh, Lang::En] {
            usage::localized(Cli::command(), lang).debug_assert();
        }
    }

    /// Every help text is written as `中文 (English)`, so that each language shows its own part.
    #[test]
    fn every_help_text_carries_both_languages() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let mut texts: Vec<(String, String)> = Vec::new();
            if let Some(a) = cmd.get_about() {
                texts.push((path.to_string(), a.to_string()));
            }
            for a in cmd
                .get_arguments()
                .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
            {
                let at = format!("{path} --{}", a.get_id());
                match a.get_help() {
                    Some(h) => texts.push((at.clone(), h.to_string())),
                    None => missing.push(format!("{at}: no help")),
                }
                if let Some(h) = a.get_help_heading() {
                    texts.push((at, h.to_string()));
                }
            }
            for (at, text) in texts {
                let (zh, en) = usage::split_bilingual(&text);
                if zh == en {
                    missing.push(format!("{at}: {text}"));
                }
            }
            for s in cmd.get_subcommands() {
                walk(s, &format!("{path} {}", s.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "xxgk", &mut missing);
        assert!(missing.is_empty(), "help texts without both languages: {missing:#?}");
    }
}
