//! Reading a report published as PDF.
//!
//! Portals publish the annual report as a PDF attachment more often than as anything else; the
//! PDFs are made by Word, WPS or LibreOffice, with embedded CJK fonts whose codes mean something
//! only through their `ToUnicode` maps. The reader:
//! - parses the file with `lopdf` (objects, object and cross-reference streams, filters, and
//!   decryption with the empty user password, as every viewer opens such a file without asking);
//! - interprets each page's content ([`content`]): every glyph with its position and its text,
//!   every ruling line, on the page as it shows (`/Rotate` applied; a page whose text runs
//!   sideways turned to read left to right);
//! - lays the page out ([`layout`]): tables from their ruling lines, cells read by column (the
//!   glyphs inside each cell's lines), wrapped labels joined within their cell, a table continued
//!   over the page joined, lines of text by baseline, page numbers in the margins dropped;
//!   tables drawn without vertical lines by the columns their numbers stand in ([`columns`]), a
//!   value on no column left unread and named (`IMPORT-PDF-COLUMN`), never moved;
//! - hands the lines and tables to the Word reader's document reading
//!   ([`docx::read_document`](crate::docx)): the text reader finds title, preamble, sections,
//!   agency and year; the grid matcher reads the tables by their labels. Each cell keeps its
//!   place: “第3页 表格2第5行第2列”; a line of text is “第3页第12行”.
//!
//! A PDF without a text layer is a scan: it is refused as one (xxgk does no OCR). An encrypted
//! PDF that does not open with the empty password is refused. Limits of [`ImportOptions`]:
//! the file size, `--max-pdf-pages`, `--max-pdf-objects` (counted in the file before it is
//! parsed, then in what was parsed), `--max-unpacked-bytes` for every decompressed stream and
//! for all content streams together, `--max-text-bytes` for the text, and the Word reader's
//! limits on tables.

mod cmap;
mod columns;
mod content;
mod layout;

use crate::docx::{self, Body, DocumentKind};
use crate::limits::exceeded;
use crate::{ErrorKind, ImportError, ImportOptions, Imported};

/// Rule id of the warning when the tables could not be read cell by cell and were read as text.
pub(crate) const TABLE_RULE: &str = "IMPORT-PDF-TABLE";
/// Rule id of the error when a table is missing and the PDF holds pictures.
pub(crate) const PICTURE_RULE: &str = "IMPORT-PDF-PICTURE";
/// Rule id of the error on a cell of a table drawn without lines whose value stands in no
/// column (or between two): left unread rather than given to the nearest column.
pub(crate) const COLUMN_RULE: &str = "IMPORT-PDF-COLUMN";

const PDF: DocumentKind = DocumentKind {
    zh: "PDF 文件",
    en: "the PDF",
    table_rule: TABLE_RULE,
    picture_rule: PICTURE_RULE,
};

fn damaged(file: &str, detail: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Syntax,
        None,
        format!("无法读取 PDF 文件（文件损坏：{detail}）"),
        format!("cannot read the PDF (damaged file: {detail})"),
    )
}

/// Reads one report from the bytes of a PDF within the limits of `opts`.
pub(crate) fn read_pdf_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let body = read_body(file, bytes, opts)?;
    let mut imported = docx::read_document(file, &body, opts, &PDF)?;
    refuse_unplaced(&mut imported);
    Ok(imported)
}

/// Cells that hold a value standing in no column of a table drawn without lines: left unread
/// (blank) and named, with the text found there, by an error. Never read as a value.
fn refuse_unplaced(imported: &mut Imported) {
    let found: Vec<(String, String)> = imported
        .report
        .cells
        .iter()
        .filter_map(|(id, c)| match c {
            xxgk_model::Cell::Text { raw } if raw.contains(columns::UNPLACED) => {
                Some((id.to_string(), raw.replace(columns::UNPLACED, "")))
            }
            _ => None,
        })
        .collect();
    for (id, text) in found {
        imported.report.cells.set(id.as_str(), xxgk_model::Cell::Blank);
        let mut cell = xxgk_model::CellRef::of(&imported.report, &id);
        let at = imported.sources.get(&id).cloned();
        let place = at.as_ref().map(|l| l.display(xxgk_model::Lang::Zh)).unwrap_or_default();
        cell.location = at.map(Into::into);
        imported.findings.push(xxgk_model::Finding {
            rule: COLUMN_RULE.into(),
            severity: xxgk_model::Severity::Error,
            status: xxgk_model::Status::Fail,
            table: xxgk_model::catalogue(imported.report.meta.format)
                .cell(&id)
                .map(|d| d.table),
            subject: None,
            cells: vec![cell],
            expected: None,
            found: Some(text.clone().into()),
            message: xxgk_model::Text::new(
                format!(
                    "{place}：表格没有框线，“{text}”不在任何一列数字的位置上（或跨两列），无法确定属于哪一列，该格未读取，不猜测"
                ),
                format!(
                    "{place}: the table has no lines and “{text}” stands in no column of numbers (or across two); which column it belongs to cannot be told, so the cell is left unread, not guessed"
                ),
            )
            .into(),
        });
    }
}

/// The pages of the PDF as the Word reader's body: lines as paragraphs, tables as tables.
pub(crate) fn read_body(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Body, ImportError> {
    if !crate::looks_like_pdf(bytes) {
        return Err(damaged(file, "没有 %PDF- 文件头 / no %PDF- header"));
    }
    // Objects written in the file, counted before anything is parsed (those inside object
    // streams are counted after parsing, below).
    let declared = memchr::memmem::find_iter(bytes, b" obj").count() as u64;
    if declared > opts.max_pdf_objects {
        return Err(objects_limit(file, declared, opts));
    }
    let load = lopdf::LoadOptions {
        max_decompressed_size: Some(usize::try_from(opts.max_unpacked_bytes).unwrap_or(usize::MAX)),
        ..lopdf::LoadOptions::default()
    };
    let doc = crate::guarded(file, "PDF", || {
        lopdf::Document::load_mem_with_options(bytes, load).map_err(|e| match e {
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
                content::stream_limit(file, opts)
            }
            lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => encrypted(file),
            e => damaged(file, &e.to_string()),
        })
    })?;
    if doc.objects.len() as u64 > opts.max_pdf_objects {
        return Err(objects_limit(file, doc.objects.len() as u64, opts));
    }
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(encrypted(file));
    }
    let pages: Vec<lopdf::ObjectId> = crate::guarded(file, "PDF", || {
        Ok(doc.page_iter().take(opts.max_pdf_pages.saturating_add(1)).collect())
    })?;
    if pages.len() > opts.max_pdf_pages {
        return Err(exceeded(
            file,
            None,
            "PDF 的页数",
            "the number of pages of the PDF",
            format!("> {}", opts.max_pdf_pages),
            opts.max_pdf_pages,
            "--max-pdf-pages",
        ));
    }
    if pages.is_empty() {
        return Err(damaged(file, "没有页面 / no pages"));
    }
    let mut budget = content::Budget::new(opts);
    let (mut laid_out, mut glyphs, mut images, mut unmapped) = (Vec::new(), 0usize, 0usize, 0usize);
    for (i, id) in pages.into_iter().enumerate() {
        let page = crate::guarded(file, "PDF", || {
            content::read_page(&doc, file, i + 1, id, &mut budget, opts)
        })?;
        glyphs += page.glyphs.iter().filter(|g| !g.text.trim().is_empty()).count();
        images += page.images;
        unmapped += page.unmapped;
        laid_out.push((i + 1, layout::page_blocks(&page)));
    }
    if glyphs == 0 {
        return Err(if images > 0 {
            ImportError::new(
                file,
                ErrorKind::Format,
                None,
                format!(
                    "这是扫描件：PDF 中没有文字层，只有 {images} 张图片。xxgk 不识别图片中的文字（不做 OCR），请提供由 Word 或 WPS 直接导出的 PDF，或 Word、Excel 原件"
                ),
                format!(
                    "this is a scan: the PDF has no text layer, only {images} image(s). xxgk does not read text in images (no OCR); provide a PDF exported from Word or WPS, or the Word or Excel original"
                ),
            )
        } else {
            ImportError::new(file, ErrorKind::Missing, None, "PDF 中没有文字", "the PDF has no text")
        });
    }
    // Text whose font gives no Unicode for most glyphs cannot be read: refused, never guessed.
    if unmapped * 2 > glyphs {
        return Err(ImportError::new(
            file,
            ErrorKind::Format,
            None,
            format!(
                "PDF 的文字无法识别：{glyphs} 个字符中有 {unmapped} 个所用字体没有提供对应的 Unicode 编码（缺少 ToUnicode 映射）。请提供由 Word 或 WPS 直接导出的 PDF，或 Word、Excel 原件"
            ),
            format!(
                "the PDF's text cannot be read: {unmapped} of its {glyphs} characters use fonts that give no Unicode for them (no ToUnicode map); provide a PDF exported from Word or WPS, or the Word or Excel original"
            ),
        ));
    }
    Ok(Body {
        blocks: layout::document_blocks(laid_out),
        pictures: images,
    })
}

fn encrypted(file: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Format,
        None,
        "PDF 文件已加密，需要密码才能打开：请提供未加密的 PDF（或在 WPS、Acrobat 中取消密码后另存）",
        "the PDF is encrypted and needs a password to open: provide it unencrypted (or remove the password in WPS or Acrobat and save it again)",
    )
}

fn objects_limit(file: &str, found: u64, opts: &ImportOptions) -> ImportError {
    exceeded(
        file,
        None,
        "PDF 中的对象个数",
        "the number of objects in the PDF",
        found,
        opts.max_pdf_objects,
        "--max-pdf-objects",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints what the reader makes of the PDF named by `XXGK_PDF` (a tool for looking at real
    /// files: `XXGK_PDF=f.pdf cargo test -p xxgk-import dump_pdf -- --ignored --nocapture`).
    #[test]
    #[ignore]
    fn dump_pdf() {
        let Ok(path) = std::env::var("XXGK_PDF") else { return };
        let bytes = std::fs::read(&path).expect("read");
        let body = read_body(&path, &bytes, &ImportOptions::default()).expect("pdf");
        for b in &body.blocks {
            match b {
                docx::Block::Para { text, at, .. } => {
                    println!(
                        "{} | {text}",
                        at.as_ref().map(|l| l.display(xxgk_model::Lang::Zh)).unwrap_or_default()
                    );
                }
                docx::Block::Table(t) => {
                    for r in &t.rows {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| format!("{}[{}{:?}]", c.text, c.span, c.vmerge))
                            .collect();
                        println!("  {:?} | {}", r.at, cells.join(" | "));
                    }
                }
            }
        }
    }
}
