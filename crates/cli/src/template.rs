//! `xxgk template`: writes the standard Excel template (the official form with formulas, checks,
//! data validation and protected labels) for departments to fill in, or with `--docx` (or an
//! output named `….docx`) the empty official form as a Word document, for a report written by
//! hand in the official layout.

use crate::exit;
use crate::files::{check_output, write_output};
use crate::printing::{eprintln, say, text};
use std::path::PathBuf;
use xxgk_model::{FormatVersion, Lang, Text};

#[derive(clap::Args)]
pub struct Args {
    /// 格式版本：2021（国办公开办函〔2021〕30号，2021年度起）或 2019（国办公开办函〔2019〕60号）
    /// (format version)
    #[arg(long = "format-version", value_name = "2021|2019", default_value = "2021", value_parser = parse_version)]
    format_version: FormatVersion,
    /// 机关名称，写入“基本信息”表 (agency name)
    #[arg(long)]
    agency: Option<String>,
    /// 报告年度，写入“基本信息”表 (report year)
    #[arg(long, value_parser = clap::value_parser!(u16).range(2019..=2100))]
    year: Option<u16>,
    /// 输出文件（.xlsx；.docx 为 Word 空白表格），“-”为标准输出 (output file)
    #[arg(short, long)]
    output: PathBuf,
    /// 写出 Word 空白表格（官方版式的空白年度报告），而非 Excel 模板；输出文件名以 .docx 结尾时亦然
    /// (write the empty official form as Word instead of the Excel template; implied by a .docx output)
    #[arg(long)]
    docx: bool,
    /// 写出应报送单位名单表（单位名单.xlsx），填好后供 xxgk aggregate --roster 使用
    /// (write the form of the units that must report, for aggregate --roster)
    #[arg(long, conflicts_with_all = ["docx", "agency", "year"])]
    roster: bool,
}

fn parse_version(s: &str) -> Result<FormatVersion, String> {
    FormatVersion::from_code(s).ok_or_else(|| format!("格式版本应为 2021 或 2019 (expected 2021 or 2019): {s}"))
}

pub fn run(args: &Args, lang: Lang) -> u8 {
    if let Err(msg) = check_output(&args.output, &[], lang) {
        eprintln!("{msg}");
        return exit::INPUT_ERROR;
    }
    if let Some(year) = args.year
        && FormatVersion::for_year(year) != Some(args.format_version)
    {
        let made = args.format_version.code();
        let note = match FormatVersion::for_year(year) {
            Some(v) => say!(
                lang,
                "提示：{year}年度的报告应使用 {} 格式，本模板为 {made} 格式；请加 --format-version {}",
                "note: reports for {year} use the {} format; this template is {made}; add --format-version {}",
                v.code(),
                v.code()
            ),
            None => say!(
                lang,
                "提示：{year}年度没有对应的格式，本模板为 {made} 格式",
                "note: no format is known for {year}; this template is {made}"
            ),
        };
        eprintln!("{note}");
    }
    match output_kind(args) {
        Ok(word) => write_template(args, word, lang),
        Err(msg) => {
            eprintln!("{}", msg.get(lang));
            exit::INPUT_ERROR
        }
    }
}

/// Whether the template is the Word form (else the Excel workbook), from `--docx` and the
/// output's extension: any other name would hold the wrong bytes.
fn output_kind(args: &Args) -> Result<bool, Text> {
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let out = args.output.display();
    let word = match ext.as_deref() {
        _ if args.output.as_os_str() == "-" => args.docx,
        None => args.docx,
        Some("xlsx") if args.docx => {
            return Err(text!(
                "--docx 写出 Word 文件，输出文件 {out} 应以 .docx 结尾",
                "--docx writes a Word file; name the output {out} .docx"
            ));
        }
        Some("xlsx") => false,
        Some("docx") => true,
        Some(other) => {
            return Err(text!(
                "模板只能写成 .xlsx（Excel 模板）或 .docx（Word 空白表格），不能写成 .{other}：{out}",
                "the template is written as .xlsx (Excel) or .docx (Word), not .{other}: {out}"
            ));
        }
    };
    if args.roster && word {
        return Err(text!(
            "单位名单表只能写成 .xlsx：{out}",
            "the roster form is written as .xlsx: {out}"
        ));
    }
    Ok(word)
}

fn write_template(args: &Args, word: bool, lang: Lang) -> u8 {
    let made = if args.roster {
        xxgk_export::roster_form::template()
    } else if word {
        xxgk_export::docx::template(args.format_version, args.agency.as_deref(), args.year)
    } else {
        xxgk_export::form_xlsx::template(args.format_version, args.agency.as_deref(), args.year)
    };
    let bytes = match made {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{}", e.text().get(lang));
            return exit::INPUT_ERROR;
        }
    };
    match write_output(&args.output, lang, |w| Ok(w.write_all(&bytes)?)) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("{}: {}", args.output.display(), crate::files::error_text(&e, lang));
            exit::INPUT_ERROR
        }
    }
}
