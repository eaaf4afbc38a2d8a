//! How reports are checked, as command-line options shared by `validate` and `aggregate`, so that
//! both read the same and a rule id is checked the same way.

use clap::Args;
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
