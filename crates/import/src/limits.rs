//! Limits on what one import may cost, checked before the expensive step they guard.
//!
//! A statistics office runs xxgk unattended over hundreds of files from unknown sources; a
//! broken or malicious file must end in an error, never in an exhausted machine. Every limit is
//! a field of [`ImportOptions`](crate::ImportOptions) with a default no real report reaches
//! (a report is a few hundred cells in a workbook of tens of kilobytes) and a command-line
//! option to raise it. Hitting one gives an [`ErrorKind::Limit`] error that names the file,
//! the limit and the option.

use crate::{ErrorKind, ImportError, ImportOptions, Imported};
use std::io::Cursor;
use xxgk_model::{Cell, Location, SectionKind};

/// A limit error: what was found, the limit, and the command-line option that raises it.
pub(crate) fn exceeded(
    file: &str,
    at: Option<Location>,
    what_zh: &str,
    what_en: &str,
    found: impl std::fmt::Display,
    limit: impl std::fmt::Display,
    option: &str,
) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Limit,
        at,
        format!("{what_zh}为 {found}，超过上限 {limit}（如确属正常，可用 {option} 调高上限）"),
        format!("{what_en} is {found}, over the limit of {limit} (raise it with {option} if the file is genuine)"),
    )
}

/// Checks a zip container (xlsx, xlsm, ods) from its central directory, before any entry is
/// inflated: the number of entries and the sum of their declared uncompressed sizes. A zip bomb
/// declares its real size there (a lying size is caught by the zip reader, which stops at the
/// declared size and then fails the CRC check).
pub(crate) fn check_zip(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<(), ImportError> {
    // A container whose directory cannot be read is left to the workbook reader, which reports
    // it as damaged with its own detail.
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    // The zip reader keeps one entry per name; the workbook reader then reads one of two entries
    // of the same name and the other is never looked at.
    if zip.has_duplicate_names() {
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            "压缩包中有同名的部件（两个文件名相同的条目）：无法确定应读取哪一个，请在 Excel 或 WPS 中另存后再导入",
            "the zip container holds two entries of the same name: which one is meant cannot be told; save the file again in Excel or WPS and import it",
        ));
    }
    let entries = zip.len() as u64;
    if entries > opts.max_zip_entries {
        return Err(exceeded(
            file,
            None,
            "压缩包（xlsx/ods/docx）中的文件个数",
            "the number of entries in the zip container (xlsx/ods/docx)",
            entries,
            opts.max_zip_entries,
            "--max-zip-entries",
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        // `by_index_raw` reads the entry's header only; nothing is decompressed.
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(entry.size());
        let name = entry.name().unwrap_or_default();
        if entry.size() > opts.max_styles_bytes && name.to_ascii_lowercase().ends_with("styles.xml") {
            return Err(exceeded(
                file,
                None,
                &format!("样式部件 {name} 解压后的大小（字节）"),
                &format!("the unpacked size of the styles part {name} in bytes"),
                entry.size(),
                opts.max_styles_bytes,
                "--max-styles-bytes",
            ));
        }
    }
    if total > opts.max_unpacked_bytes {
        return Err(exceeded(
            file,
            None,
            "压缩包（xlsx/ods/docx）解压后的总大小（字节）",
            "the unpacked size of the zip container (xlsx/ods/docx) in bytes",
            total,
            opts.max_unpacked_bytes,
            "--max-unpacked-bytes",
        ));
    }
    Ok(())
}

/// Refuses a cell text longer than the limit; `at` locates it.
pub(crate) fn check_cell_text(
    file: &str,
    text: &str,
    at: impl FnOnce() -> Option<Location>,
    opts: &ImportOptions,
) -> Result<(), ImportError> {
    // Byte length first: a char count is only needed when the bytes could be over.
    if text.len() <= opts.max_cell_chars {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars <= opts.max_cell_chars {
        return Ok(());
    }
    Err(exceeded(
        file,
        at(),
        "单元格文字长度（字符）",
        "the length of a cell's text (characters)",
        chars,
        opts.max_cell_chars,
        "--max-cell-chars",
    ))
}

/// Refuses a report holding a text longer than the cell-text limit (cell texts, annotations,
/// section texts, metadata): applied to the reports of every importer, so that JSON and CSV
/// are held to the same limit as workbooks.
pub(crate) fn check_report(file: &str, imported: &Imported, opts: &ImportOptions) -> Result<(), ImportError> {
    let report = &imported.report;
    for (id, cell) in &report.cells.0 {
        let at = || {
            Some(
                imported
                    .sources
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| Location::pointer(format!("/cells/{id}"))),
            )
        };
        match cell {
            Cell::Number { raw, annotation, .. } => {
                for t in [raw, annotation].into_iter().flatten() {
                    check_cell_text(file, t, at, opts)?;
                }
            }
            Cell::Placeholder { raw } | Cell::Text { raw } => check_cell_text(file, raw, at, opts)?,
            Cell::Blank => {}
        }
    }
    // A section's text is a chapter, not a cell: it is allowed ten cells' worth.
    let section_limit = opts.max_cell_chars.saturating_mul(10);
    for kind in SectionKind::ALL {
        let Some(section) = report.sections.get(kind) else {
            continue;
        };
        if section.text.len() > section_limit && section.text.chars().count() > section_limit {
            return Err(exceeded(
                file,
                None,
                &format!(
                    "「{}」部分的文字长度（字符，上限为单元格上限的10倍）",
                    kind.heading().zh
                ),
                &format!(
                    "the length of section “{}” (characters; ten times the cell limit)",
                    kind.heading().en
                ),
                section.text.chars().count(),
                section_limit,
                "--max-cell-chars",
            ));
        }
    }
    let m = &report.meta;
    for t in [&m.agency].into_iter().chain(
        [&m.title, &m.source, &m.parent_agency, &m.published, &m.region_code]
            .into_iter()
            .flatten(),
    ) {
        check_cell_text(file, t, || None, opts)?;
    }
    if let Some(p) = &report.preamble {
        check_cell_text(file, p, || None, opts)?;
    }
    Ok(())
}
