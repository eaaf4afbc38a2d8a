//! The command line in the user's language. clap's own words are English ("error: unexpected
//! argument … Usage: … For more information, try '--help'", "Print help", "Possible values");
//! a clerk who mistypes an option, or asks for help, gets the same facts in Chinese.
//!
//! Every help text of the command definition is written once, as `中文 (English)`; the help
//! shown is the part in the language asked for ([`localized`]).

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
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

/// The two languages of a help text written as `中文 (English)`: the English part is the last
/// bracketed part that closes the text and holds no Chinese. A text without one (a name such as
/// `English`) is the same in both.
pub fn split_bilingual(text: &str) -> (&str, &str) {
    let trimmed = text.trim_end();
    if let Some(inner) = trimmed.strip_suffix(')') {
        // The bracket that opens the last part: scan back, counting nested brackets.
        let mut depth = 0usize;
        for (i, c) in inner.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' if depth > 0 => depth -= 1,
                '(' => {
                    let (zh, en) = (inner[..i].trim_end(), &inner[i + 1..]);
                    if !zh.is_empty() && !en.chars().any(is_chinese) {
                        return (zh, en);
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    (text, text)
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

fn pick(text: &str, lang: Lang) -> String {
    let (zh, en) = split_bilingual(text);
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The command definition with every help text in `lang`. In Chinese, clap's own English words
/// (headings, `--help`, `--version`, the list of possible values and the default) are replaced:
/// the values and the default are written from the argument's own definition, so nothing about
/// an option is written twice.
pub fn localized(mut cmd: Command, lang: Lang) -> Command {
    cmd.build();
    localize(cmd, lang)
}

fn localize(mut cmd: Command, lang: Lang) -> Command {
    if let Some(about) = cmd.get_about().map(ToString::to_string) {
        cmd = cmd.about(pick(&about, lang));
    }
    if lang == Lang::Zh {
        cmd = cmd
            .help_template("{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("命令")
            .subcommand_value_name("命令");
    }
    let ids: Vec<_> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| localize_arg(a, lang));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| {
            let s = localize(s, lang);
            if lang == Lang::Zh && s.get_name() == "help" {
                s.about("显示本帮助，或指定命令的帮助")
            } else {
                s
            }
        });
    }
    cmd
}

fn localize_arg(mut a: Arg, lang: Lang) -> Arg {
    if let Some(heading) = a.get_help_heading().map(str::to_string) {
        a = a.help_heading(pick(&heading, lang));
    }
    let mut help = a.get_help().map(|h| pick(&h.to_string(), lang));
    if lang == Lang::Zh {
        match a.get_id().as_str() {
            "help" => help = Some("显示帮助".to_string()),
            "version" => help = Some("显示版本".to_string()),
            _ => {}
        }
        if a.get_help_heading().is_none() {
            let heading = if a.is_positional() { "参数" } else { "选项" };
            a = a.help_heading(heading);
        }
    }
    let (values_word, default_word, and, close) = match lang {
        Lang::Zh => ("可选：", "默认：", "；", ("（", "）")),
        Lang::En => ("one of: ", "default: ", "; ", (" (", ")")),
    };
    let mut extra = Vec::new();
    let values: Vec<PossibleValue> = a
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let takes_value = a.get_num_args().is_some_and(|n| n.takes_values());
    if takes_value && !values.is_empty() && !a.is_hide_possible_values_set() {
        let list: Vec<String> = values
            .iter()
            .map(|v| match (v.get_help(), lang) {
                (Some(h), Lang::Zh) => format!("{} {}", v.get_name(), pick(&h.to_string(), lang)),
                (Some(h), Lang::En) => format!("{} = {}", v.get_name(), pick(&h.to_string(), lang)),
                (None, _) => v.get_name().to_string(),
            })
            .collect();
        let separator = if lang == Lang::Zh { "、" } else { ", " };
        extra.push(format!("{values_word}{}", list.join(separator)));
        a = a.hide_possible_values(true);
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() && !a.is_hide_default_value_set() {
        extra.push(format!("{default_word}{}", defaults.join(", ")));
        a = a.hide_default_value(true);
    }
    if !extra.is_empty() {
        help = Some(format!(
            "{}{}{}{}",
            help.unwrap_or_default(),
            close.0,
            extra.join(and),
            close.1
        ));
    }
    match help {
        Some(h) => a.help(h).long_help(None::<&'static str>),
        None => a,
    }
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
