//! `xxgk convert --blank-form 2021 -o 表.docx`: the empty official form as a Word document, for
//! a department that writes its report by hand in the official layout.
//!
//! This lives beside `convert` rather than as a `template` command of its own because the
//! spreadsheet template (`xxgk template`) is being built separately; when it lands, its
//! `--docx` choice is one call to [`xxgk_export::docx::template`], as here.

use crate::exit;
use crate::files::write_output;
use anstream::eprintln;
use std::path::Path;
use xxgk_export::ExporterEntry;
use xxgk_model::{FormatVersion, Lang};

/// The options of `convert` that write the empty form instead of converting.
#[derive(clap::Args)]
pub struct BlankArgs {
    /// 不读输入，写出空白的官方表格（格式 2021 或 2019；目前为 .docx）(write the empty official form of a format instead of converting; docx)
    #[arg(long, value_name = "FORMAT", conflicts_with = "inputs")]
    pub blank_form: Option<String>,
    /// 空白表格标题中的机关名称 (agency named in the title of the empty form)
    #[arg(long, requires = "blank_form")]
    pub agency: Option<String>,
    /// 空白表格标题中的年度 (year named in the title of the empty form)
    #[arg(long, requires = "blank_form", value_parser = clap::value_parser!(u16).range(2000..=2100))]
    pub year: Option<u16>,
}

/// Writes the empty form when `--blank-form` was given, returning the exit code; `None` when
/// the command is an ordinary conversion.
pub fn run(args: &BlankArgs, exporter: &ExporterEntry, output: &Path, lang: Lang) -> Option<u8> {
    let code = args.blank_form.as_deref()?;
    let zh = lang == Lang::Zh;
    let fail = |zh_msg: String, en_msg: String| {
        eprintln!("{}", if zh { zh_msg } else { en_msg });
        Some(exit::INPUT_ERROR)
    };
    let Some(version) = FormatVersion::from_code(code) else {
        return fail(
            format!("没有格式 {code}；可用：2021（国办公开办函〔2021〕30号）、2019（国办公开办函〔2019〕60号）"),
            format!("no format {code}; available: 2021, 2019"),
        );
    };
    // A form for the wrong year would be filled in and published in the wrong layout.
    if let Some(year) = args.year
        && let Some(due) = FormatVersion::for_year(year)
        && due != version
    {
        return fail(
            format!(
                "{year}年度报告应使用 {} 格式（{}），不是 {}",
                due.code(),
                due.document(),
                version.code()
            ),
            format!("a report for {year} uses format {}, not {}", due.code(), version.code()),
        );
    }
    let bytes = match exporter.name {
        "docx" => xxgk_export::docx::template(version, args.agency.as_deref(), args.year),
        other => {
            return fail(
                format!("导出格式 {other} 不能写空白表格；请输出 .docx 文件"),
                format!("the {other} exporter cannot write the empty form; write a .docx file"),
            );
        }
    };
    let result = write_output(output, |w| {
        w.write_all(&bytes?)?;
        Ok(())
    });
    Some(match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("{}: {e:#}", output.display());
            exit::INPUT_ERROR
        }
    })
}
