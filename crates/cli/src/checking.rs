//! How reports are checked, as command-line options shared by `validate` and `aggregate`, so that
//! both read the same and a rule id is checked the same way.

use crate::printing::say;
use crate::style::{self, paint};
use clap::Args;
use xxgk_model::output::Outcome;
use xxgk_model::{CheckOptions, Lang, Origins};

/// Options of the rules.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// 警告也视为不通过 (a failed warning also fails)
    #[arg(long)]
    pub strict: bool,
    /// 空白和占位符按0计（每条结果都会注明）(count blanks and placeholders as 0)
    #[arg(long)]
    pub blank_as_zero: bool,
    /// 不运行的规则编号，可多次使用 (skip a rule by id; repeatable)
    #[arg(long = "skip", value_name = "RULE")]
    pub skip: Vec<String>,
}

impl CheckArgs {
    /// The options for the model's rules, or the message for a rule id that does not exist.
    pub fn check_options(&self, lang: Lang) -> Result<CheckOptions, String> {
        if let Some(s) = self.skip.iter().find(|s| xxgk_model::rule(s).is_none()) {
            return Err(match lang {
                Lang::Zh => format!("未知的规则编号：{s}（用 xxgk rules 查看全部规则）"),
                Lang::En => format!("unknown rule id: {s} (see xxgk rules)"),
            });
        }
        Ok(CheckOptions {
            blank_as_zero: self.blank_as_zero,
            skip: self.skip.clone(),
            brief_passes: false,
        })
    }
}

/// The verdict mark of a report as `validate` and `aggregate` print it. A report of which some
/// checks could not be made is never shown as a plain pass.
pub fn outcome_mark(outcome: Outcome, unassessed: usize, lang: Lang) -> String {
    let colour = match outcome {
        Outcome::Pass => style::OK,
        Outcome::Partial => style::WARNING,
        Outcome::Fail | Outcome::Error => style::ERROR,
    };
    paint(
        colour,
        format!("{} {}", outcome.mark(), outcome.verdict(unassessed, lang)),
    )
}

/// Why a report is partly not assessable, with what the user can do.
pub fn partial_reason(unassessed: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "有 {unassessed} 项核对因所需单元格空白、为占位符（如“/”“无”）或无法读取而无法进行；请补填，或确认空白即为0后使用 --blank-as-zero"
        ),
        Lang::En => format!(
            "{unassessed} checks could not be made because cells they need are blank, placeholders (such as “/”) or unreadable; fill them in, or use --blank-as-zero if blank means 0"
        ),
    }
}

/// A line saying where the year and agency were taken from, when that was not the file's own
/// content (a file or folder name, a sheet name, the command line), or that the year is unknown.
pub fn origins_note(origins: &Origins, lang: Lang) -> Option<String> {
    use xxgk_model::OriginKind::{CommandLine, FileName, Folder, SheetName};
    let mut parts = Vec::new();
    for (what_zh, what_en, origin) in [("年度", "year", &origins.year), ("机关名称", "agency", &origins.agency)] {
        if let Some(o) = origin
            && matches!(o.from, FileName | Folder | SheetName | CommandLine)
        {
            parts.push(say!(
                lang,
                "{what_zh}取自{}",
                "{what_en} taken from {}",
                o.describe(lang == Lang::Zh)
            ));
        }
    }
    (!parts.is_empty()).then(|| parts.join(&say!(lang, "；", "; ")))
}

/// What the user says of reports whose files do not say it themselves.
#[derive(Debug, Clone, Args)]
pub struct MetaArgs {
    /// 文件中未写明年度时使用的报告年度；文件写明的年度优先，不一致时提示 (the report year when the file does not say it)
    #[arg(long, value_parser = clap::value_parser!(u16).range(2000..=2100))]
    pub year: Option<u16>,
    /// 文件中未写明机关名称时使用的名称；文件写明的名称优先，不一致时提示 (the agency when the file does not name it)
    #[arg(long)]
    pub agency: Option<String>,
}
