//! How reports are checked, as command-line options shared by `validate` and `aggregate`, so that
//! both read the same and a rule id is checked the same way.

use crate::style::{self, paint};
use clap::Args;
use xxgk_model::output::Outcome;
use xxgk_model::{CheckOptions, Lang};

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

/// The verdict mark of a report as `validate` and `aggregate` print it, coloured (the words are
/// the model's, [`Outcome::mark`]).
pub fn outcome_mark(outcome: Outcome, unassessed: usize, lang: Lang) -> String {
    let style = match outcome {
        Outcome::Pass => style::OK,
        Outcome::Partial => style::WARNING,
        Outcome::Fail | Outcome::Error => style::ERROR,
    };
    paint(style, outcome.shown(unassessed, lang))
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
