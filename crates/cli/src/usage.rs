//! Command-line mistakes told in the user's language. clap's own messages are English
//! ("error: unexpected argument … Usage: … For more information, try '--help'"); a clerk who
//! mistypes an option gets the same facts in Chinese, with the usage line and where to find help.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::error::Error as _;
use xxgk_model::Lang;

/// The language asked for on the command line, found before clap has parsed it (an error in
/// parsing must already be told in that language).
pub fn lang_of(args: &[String]) -> Lang {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(v) = value {
            return if v.eq_ignore_ascii_case("en") {
                Lang::En
            } else {
                Lang::Zh
            };
        }
    }
    Lang::Zh
}

fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    e.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::None => String::new(),
        _ => String::new(),
    })
}

/// The message for a command-line error in Chinese; `None` for English (clap's own words) and
/// for what is not an error (help, version).
pub fn message_zh(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(e, ContextKind::InvalidValue).unwrap_or_default();
    let valid = context(e, ContextKind::ValidValue);
    let suggested = context(e, ContextKind::SuggestedArg)
        .or_else(|| context(e, ContextKind::SuggestedSubcommand))
        .or_else(|| context(e, ContextKind::SuggestedValue));
    let mut msg = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::InvalidValue => match &valid {
            Some(v) => format!("参数 {arg} 的值“{value}”无效，可用的值：{v}"),
            None if value.is_empty() => format!("参数 {arg} 缺少取值"),
            None => format!("参数 {arg} 的值“{value}”无效"),
        },
        ErrorKind::ValueValidation => {
            // clap's range check says “1990 is not in 2019..=2100”.
            let why = e.source().map(|s| s.to_string()).map_or_else(String::new, |s| {
                match s.split_once(" is not in ").and_then(|(_, r)| r.split_once("..=")) {
                    Some((lo, hi)) => format!("（应在 {lo} 至 {hi} 之间）"),
                    None => format!("（{s}）"),
                }
            });
            format!("参数 {arg} 的值“{value}”不符合要求{why}")
        }
        ErrorKind::UnknownArgument => format!("未知参数：{arg}"),
        ErrorKind::InvalidSubcommand => {
            let cmd = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("未知命令：{cmd}（可用：validate、convert、aggregate、template、exporters、rules）")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "请指定命令：validate、convert、aggregate、template、exporters 或 rules".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg).unwrap_or_default();
            format!("参数 {arg} 不能与 {prior} 同时使用")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("参数 {arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的取值须用“=”连接"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是有效的 UTF-8）".to_string(),
        _ => format!("命令有误：{}", e.render().to_string().trim()),
    };
    if let Some(s) = suggested {
        msg.push_str(&format!("；是否想用：{s}"));
    }
    let usage = context(e, ContextKind::Usage)
        .map(|u| u.trim().trim_start_matches("Usage:").trim().to_string())
        .filter(|u| !u.is_empty());
    if let Some(u) = usage {
        msg.push_str(&format!("\n\n用法：{u}"));
    }
    msg.push_str("\n\n查看帮助：xxgk --help，或 xxgk 命令 --help");
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn cmd() -> Command {
        Command::new("xxgk")
            .arg(Arg::new("lang").long("lang").value_parser(["zh", "en"]))
            .arg(Arg::new("input").required(true))
    }

    #[test]
    fn errors_are_told_in_chinese() {
        let e = cmd()
            .try_get_matches_from(["xxgk", "a", "--bogus"])
            .expect_err("unknown");
        let m = message_zh(&e).expect("an error");
        assert!(m.starts_with("未知参数：--bogus"), "{m}");
        assert!(m.contains("用法：") && m.contains("xxgk --help"), "{m}");
        let e = cmd().try_get_matches_from(["xxgk"]).expect_err("missing");
        assert!(message_zh(&e).expect("an error").starts_with("缺少必需的参数"));
        let e = cmd()
            .try_get_matches_from(["xxgk", "a", "--lang", "fr"])
            .expect_err("invalid");
        let m = message_zh(&e).expect("an error");
        assert!(m.contains("“fr”无效") && m.contains("zh"), "{m}");
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(lang_of(&args(&["xxgk", "--lang", "en", "x"])), Lang::En);
        assert_eq!(lang_of(&args(&["xxgk", "--lang=en"])), Lang::En);
        assert_eq!(lang_of(&args(&["xxgk", "validate"])), Lang::Zh);
    }
}
