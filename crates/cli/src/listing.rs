//! `xxgk exporters` and `xxgk rules`: what the tool can write and what it checks.

use crate::exit;
use crate::printing::println;
use serde::Serialize;
use xxgk_model::{FormatVersion, Lang};

#[derive(clap::Args)]
pub struct ExportersArgs {
    /// 输出 JSON (print JSON)
    #[arg(long)]
    json: bool,
}

pub fn exporters(args: &ExportersArgs, lang: Lang) -> u8 {
    let list = xxgk_export::exporter_list();
    if args.json {
        return print_json(&list);
    }
    for e in &list {
        let many = match (e.many, lang) {
            (true, Lang::Zh) => "可多份",
            (false, Lang::Zh) => "单份",
            (true, Lang::En) => "many",
            (false, Lang::En) => "one",
        };
        let desc = if lang == Lang::Zh {
            e.description_zh
        } else {
            e.description_en
        };
        println!("{:<12} .{:<6} {:<6} {desc}", e.name, e.extension, many);
    }
    exit::OK
}

#[derive(clap::Args)]
pub struct RulesArgs {
    /// 输出 JSON (print JSON)
    #[arg(long)]
    json: bool,
    /// 只列出适用于该格式的规则 (only rules for this format: 2019 or 2021)
    #[arg(long, value_parser = parse_version)]
    format_version: Option<FormatVersion>,
}

fn parse_version(s: &str) -> Result<FormatVersion, String> {
    FormatVersion::from_code(s).ok_or_else(|| format!("格式版本应为 2019 或 2021，实为 {s} (expected 2019 or 2021)"))
}

pub fn rules(args: &RulesArgs, lang: Lang) -> u8 {
    let list: Vec<_> = xxgk_model::rules()
        .iter()
        .filter(|r| args.format_version.is_none_or(|v| r.applies_to(v)))
        .map(|r| r.info())
        .collect();
    if args.json {
        return print_json(&list);
    }
    for r in &list {
        let title = if lang == Lang::Zh { r.title_zh } else { r.title_en };
        println!(
            "{:<24} {:<4} {:<10} {title}",
            r.id,
            r.severity.name(lang),
            r.versions.join(",")
        );
    }
    exit::OK
}

fn print_json<T: Serialize>(value: &T) -> u8 {
    match serde_json::to_string_pretty(value) {
        Ok(s) => {
            println!("{s}");
            exit::OK
        }
        Err(e) => {
            crate::printing::eprintln!("{e}");
            exit::INPUT_ERROR
        }
    }
}
