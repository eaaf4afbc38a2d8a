//! Reading a report written in Word (`.docx`, WordprocessingML).
//!
//! Departments write the annual report in Word, starting from the official form. The reader
//! takes the document as a person sees it:
//! - the body in document order: paragraphs (title, preamble, section headings and texts) and
//!   tables (`w:tbl`: `w:tr`/`w:tc`, `w:gridSpan`, `w:vMerge` restart/continue, `w:gridBefore`,
//!   the legacy `w:hMerge`, the paragraphs of a cell joined);
//! - tracked changes as if accepted: inserted text (`w:ins`, `w:moveTo`) is read, deleted text
//!   (`w:del`, `w:moveFrom`), deleted rows and cells, and the old properties of a change
//!   (`w:…Change`) are not;
//! - text boxes (`w:txbxContent`) as paragraphs of their own; of an `mc:AlternateContent` only
//!   the first choice, so that a text box Word also wrote as VML is read once;
//! - a header row repeated by hand inside a table (marked `w:tblHeader` like the first one), and
//!   a table split over two pages into two tables (nothing but empty paragraphs between them,
//!   the same grid width) whose second part repeats the first part's header rows: the parts are
//!   read as one table and the repeated rows once;
//! - pictures are counted: when a table is missing and the document has pictures, a finding says
//!   that the table may be a picture, which xxgk does not read.
//!
//! The paragraphs and the table rows (cells separated by tabs, as the HTML reader writes them)
//! go to the text reader ([`text::read_str`]), which finds the title, the preamble, the sections,
//! the agency and the year. The tables become [`Grid`]s read by the same label matcher as
//! workbooks and HTML pages ([`grid::read_tables`]); each cell is located as “表格2第5行第3列”
//! (the table's number in the document, the row in that table, the column of the table's grid).
//! When the matcher cannot read the tables, they are read from the text, located by table and
//! row, and a finding says so.
//!
//! A docx is told from an xlsx by its main part (`[Content_Types].xml`, then `_rels/.rels`), not
//! by the zip. A legacy `.doc` or WPS `.wps` file is refused with a message to save it as .docx.
//! Limits: the zip limits of [`ImportOptions`] (entries, unpacked size) before anything is
//! inflated, `document.xml` inflated at most to the unpacked-size limit, XML nesting at most
//! [`ImportOptions::max_html_depth`] deep, a row at most [`MAX_COLUMNS`] grid columns, a table at
//! most `max_rows` rows, all tables at most `max_cells` cells, each text within the cell-text
//! limit and the whole text within `max_text_bytes`.

use crate::grid::{self, Grid, Merge};
use crate::labels::comparable_label;
use crate::limits::{check_cell_text, check_zip, exceeded};
use crate::run_look::{Raised, RunLook, switched_on};
use crate::text;
use crate::xlsx_merges::{attribute, read_part, relationships};
use crate::{ErrorKind, ImportError, ImportOptions, Imported};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;
use xxgk_model::{Finding, Location, OriginKind, Severity, Status, Text};
use zip::ZipArchive;

/// Most grid columns of a table row: Word itself allows 63.
pub(crate) const MAX_COLUMNS: u32 = 64;
/// Rule id of the warning when the tables could not be read cell by cell and were read as text.
pub(crate) const TABLE_RULE: &str = "IMPORT-DOCX-TABLE";
/// Rule id of the error when a table is missing and the document holds pictures.
pub(crate) const PICTURE_RULE: &str = "IMPORT-DOCX-PICTURE";

const WORD_MAIN_TYPES: [&str; 4] = [
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
];

/// Largest `[Content_Types].xml` or `_rels/.rels` read to find the main part.
const MAX_INDEX_PART: u64 = 1024 * 1024;

/// Reads one report from the bytes of a `.docx` file, with the default limits.
#[cfg(test)]
fn read_docx(file: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    read_docx_with(file, bytes, &ImportOptions::default())
}

/// The path of the main part of a zip container when it is a Word document: the part
/// `[Content_Types].xml` gives a WordprocessingML main content type, or else the target of the
/// `officeDocument` relationship of `_rels/.rels` when it lies under `word/`. `None` for a
/// workbook, an OpenDocument file, or a zip that is no Office document.
pub(crate) fn word_main_part(bytes: &[u8]) -> Option<String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut buf = Vec::new();
    if read_part(&mut zip, CONTENT_TYPES, MAX_INDEX_PART, &mut buf).is_some()
        && let Some(decided) = word_main_in_content_types(&buf)
    {
        return decided;
    }
    if read_part(&mut zip, "_rels/.rels", MAX_INDEX_PART, &mut buf).is_some() {
        let main = relationships(&buf)?
            .into_iter()
            .find(|(_, typ, _)| typ.ends_with("/officeDocument"))?;
        let target = main.2.trim_start_matches('/').to_string();
        return target.starts_with("word/").then_some(target);
    }
    None
}

/// The part holding the content types of an Office container, and the most of it that is read
/// to tell a Word document (larger, it is taken as absent).
pub(crate) const CONTENT_TYPES: &str = "[Content_Types].xml";
pub(crate) const MAX_CONTENT_TYPES: u64 = MAX_INDEX_PART;

/// The first check of [`word_main_part`], on `[Content_Types].xml`: `Some` when it decides
/// (the part given a WordprocessingML main content type, or `Some(None)` when that entry names
/// no part), `None` when the relationships are to be looked at.
pub(crate) fn word_main_in_content_types(xml: &[u8]) -> Option<Option<String>> {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Override" => {
                let typ = attribute(&e, "ContentType").unwrap_or_default();
                if WORD_MAIN_TYPES.contains(&typ.trim()) {
                    return Some(attribute(&e, "PartName").map(|p| p.trim_start_matches('/').to_string()));
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// Whether a zip container may be a Word document, as format detection asks it of every zip.
/// A container holding the workbook part (`xl/workbook.xml`) and nothing under `word/` is
/// decided from its directory, without inflating a part; any other from its content types and
/// relationships ([`word_main_part`]). The workbook reader checks those again before it reads,
/// and refuses a Word document with a message that says so.
pub(crate) fn may_be_word(bytes: &[u8]) -> bool {
    if let Ok(zip) = ZipArchive::new(Cursor::new(bytes)) {
        let (mut workbook, mut word) = (false, false);
        for name in zip.file_names_raw() {
            workbook |= name.eq_ignore_ascii_case(b"xl/workbook.xml");
            word |= name.get(..5).is_some_and(|head| head.eq_ignore_ascii_case(b"word/"));
        }
        if workbook && !word {
            return false;
        }
    }
    word_main_part(bytes).is_some()
}

/// Whether a zip is an OpenDocument text (`.odt`): its first entry, `mimetype`, says so.
pub(crate) fn is_odt(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(120)];
    memchr::memmem::find(head, b"application/vnd.oasis.opendocument.text").is_some()
}

/// Whether a compound file (OLE) is a legacy Word or WPS document: it has a `WordDocument`
/// stream, named in UTF-16 in its directory.
pub(crate) fn is_word_binary(bytes: &[u8]) -> bool {
    const CFB: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if !bytes.starts_with(&CFB) {
        return false;
    }
    let name: Vec<u8> = "WordDocument".encode_utf16().flat_map(u16::to_le_bytes).collect();
    memchr::memmem::find(bytes, &name).is_some()
}

/// Reads one report from the bytes of a `.docx` file within the limits of `opts`.
pub(crate) fn read_docx_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let body = read_body(file, bytes, opts)?;
    read_document(file, &body, opts, &WORD)
}

/// What a document reader calls its kind of file, and the rule ids of its findings.
pub(crate) struct DocumentKind {
    /// “Word 文档”.
    pub zh: &'static str,
    /// “the Word document”.
    pub en: &'static str,
    /// The warning when the tables were read from the text.
    pub table_rule: &'static str,
    /// The error when a table is missing and the document holds pictures.
    pub picture_rule: &'static str,
}

const WORD: DocumentKind = DocumentKind {
    zh: "Word 文档",
    en: "the Word document",
    table_rule: TABLE_RULE,
    picture_rule: PICTURE_RULE,
};

/// Reads a report from a document's body (paragraphs and tables in order): the text reader for
/// title, preamble, sections, agency and year; the grid matcher for the tables, each cell keeping
/// its place; the text for the tables when the matcher cannot read them.
pub(crate) fn read_document(
    file: &str,
    body: &Body,
    opts: &ImportOptions,
    kind: &DocumentKind,
) -> Result<Imported, ImportError> {
    let (lines, places) = body_lines(&body.blocks);
    let page_text = lines.join("\n");
    if page_text.len() as u64 > opts.max_text_bytes {
        return Err(exceeded(
            file,
            None,
            &format!("{}文字的大小（字节）", kind.zh),
            &format!("the size of {}'s text in bytes", kind.en),
            page_text.len(),
            opts.max_text_bytes,
            "--max-text-bytes",
        ));
    }
    if page_text.trim().is_empty() {
        let (zh, en) = if body.pictures > 0 {
            (
                format!(
                    "{}中没有文字，只有 {} 张图片（可能是扫描件或截图）：xxgk 不识别图片中的文字，请提供文字版报告",
                    kind.zh, body.pictures
                ),
                format!(
                    "{} has no text, only {} picture(s) (a scan or screenshots): xxgk does not read text in pictures; provide the report as text",
                    kind.en, body.pictures
                ),
            )
        } else {
            (format!("{}中没有文字", kind.zh), format!("{} has no text", kind.en))
        };
        return Err(ImportError::new(file, ErrorKind::Missing, None, zh, en));
    }
    let mut imported = text::read_str(file, &page_text, opts)?;
    relocate_origins(&mut imported, &places);

    let grids = tables_as_grids(file, &body.blocks, opts)?;
    match grid::prefer_grid_tables(file, &grids, &mut imported) {
        Ok(()) => {}
        Err(e) => {
            relocate_cells(&mut imported, &places);
            if !grids.is_empty() {
                imported.findings.push(finding(
                    kind.table_rule,
                    Severity::Warning,
                    Text::new(
                        format!(
                            "{}的表格无法按标签逐格读取（{}），已改按文档文字读取表格",
                            kind.zh, e.message.zh
                        ),
                        format!(
                            "the tables of {} could not be read cell by cell by label ({}); the tables were read from the document's text",
                            kind.en, e.message.en
                        ),
                    ),
                ));
            }
        }
    }
    if body.pictures > 0 {
        let missing: Vec<String> = imported
            .findings
            .iter()
            .filter(|f| f.rule == "IMPORT-MISSING-TABLE")
            .filter_map(|f| f.table.map(|t| t.name(xxgk_model::Lang::Zh).to_string()))
            .collect();
        if !missing.is_empty() {
            imported.findings.push(finding(
                kind.picture_rule,
                Severity::Error,
                Text::new(
                    format!(
                        "未找到{}，而{}中有 {} 张图片：表格可能是以图片形式插入的，xxgk 不识别图片中的数字，请改为可编辑的表格",
                        missing.join("、"),
                        kind.zh,
                        body.pictures
                    ),
                    format!(
                        "{} not found, and {} holds {} picture(s): the table may have been inserted as a picture; xxgk does not read numbers in pictures, use an editable table",
                        missing.join(", "),
                        kind.en,
                        body.pictures
                    ),
                ),
            ));
        }
    }
    Ok(imported)
}

fn finding(rule: &'static str, severity: Severity, message: Text) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        status: Status::Fail,
        table: None,
        subject: None,
        cells: Vec::new(),
        expected: None,
        found: None,
        message: message.into(),
    }
}

// ───────────────────────────── The body ─────────────────────────────

/// The body of a document, in order.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub blocks: Vec<Block>,
    /// Pictures anywhere in the body.
    pub pictures: usize,
}

#[derive(Debug)]
pub(crate) enum Block {
    /// A paragraph of the body (or of a text box): its number among them (1-based) and its text,
    /// line breaks as `\n`, tabs as `\t`; `at` names it where “第n段” would not (a PDF's page and
    /// line).
    Para {
        no: usize,
        text: String,
        at: Option<Location>,
    },
    Table(Table),
}

#[derive(Debug, Default)]
pub(crate) struct Table {
    /// The table's number among the document's tables (1-based).
    pub no: usize,
    pub rows: Vec<Row>,
}

#[derive(Debug, Default)]
pub(crate) struct Row {
    /// Marked to repeat as a header row on every page (`w:tblHeader`).
    pub header: bool,
    /// Grid columns left empty before the first cell (`w:gridBefore`).
    pub before: u32,
    /// Deleted as a tracked change.
    pub deleted: bool,
    pub cells: Vec<TCell>,
    /// Where a person finds the row when “表格n第r行” would not do: the name of the part of the
    /// table it is in (a PDF's “第3页 表格2”) and its row there.
    pub at: Option<(String, usize)>,
}

#[derive(Debug, Default)]
pub(crate) struct TCell {
    pub span: u32,
    pub vmerge: VMerge,
    /// Continues the cell to its left (legacy `w:hMerge`).
    pub hmerge_continue: bool,
    pub deleted: bool,
    pub text: String,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

/// A table being read, and its open row and cell.
struct TableBuild {
    table: Table,
    row: Option<Row>,
    cell: Option<TCell>,
}

/// Where a finished paragraph goes.
enum Ctx {
    Table,
    TextBox,
}

fn damaged(file: &str, detail: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Syntax,
        None,
        format!("无法读取 Word 文档（docx 文件损坏：{detail}）"),
        format!("cannot read the Word document (damaged docx file: {detail})"),
    )
}

/// The main part of the document, inflated within the limits.
fn main_xml(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<String, ImportError> {
    const CFB: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(&CFB) {
        let encrypted = {
            let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
            memchr::memmem::find(bytes, &name).is_some()
        };
        return Err(if encrypted {
            ImportError::new(
                file,
                ErrorKind::Format,
                None,
                "Word 文档设有打开密码：请在 Word 或 WPS 中取消密码并另存为 .docx 后再读取",
                "the Word document is password-protected: remove the password in Word or WPS and save it as .docx",
            )
        } else {
            save_as_docx(file)
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(if bytes.starts_with(b"{\\rtf") {
            ImportError::new(
                file,
                ErrorKind::Format,
                None,
                "这是 RTF 格式的文档，xxgk 只读取 .docx：请在 Word 或 WPS 中“另存为” .docx 后再读取",
                "this is an RTF document; xxgk reads .docx only: open it in Word or WPS and “Save As” .docx",
            )
        } else {
            save_as_docx(file)
        });
    }
    if is_odt(bytes) {
        return Err(ImportError::new(
            file,
            ErrorKind::Format,
            None,
            "这是 OpenDocument 文本（.odt），xxgk 只读取 .docx：请在 WPS、LibreOffice 或 Word 中“另存为” .docx 后再读取",
            "this is an OpenDocument text (.odt); xxgk reads .docx only: open it in WPS, LibreOffice or Word and “Save As” .docx",
        ));
    }
    check_zip(file, bytes, opts)?;
    let main = word_main_part(bytes).unwrap_or_else(|| "word/document.xml".to_string());
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(file, &e.to_string()))?;
    let mut buf = Vec::new();
    if zip.by_name(&main).is_err() {
        return Err(ImportError::new(
            file,
            ErrorKind::Format,
            None,
            format!("不是 Word 文档（压缩包中没有正文部分 {main}）"),
            format!("not a Word document (the zip holds no main part {main})"),
        ));
    }
    // Room for the size the part declares (within the limit) at once: grown by doubling, a
    // 400 MB `document.xml` briefly needed twice that.
    if let Ok(entry) = zip.by_name(&main) {
        let declared = entry.size().min(opts.max_unpacked_bytes.saturating_add(1));
        buf.reserve_exact(usize::try_from(declared).unwrap_or(0));
    }
    if read_part(&mut zip, &main, opts.max_unpacked_bytes, &mut buf).is_none() {
        // Missing was ruled out: damaged or over the limit.
        if buf.len() as u64 > opts.max_unpacked_bytes {
            return Err(exceeded(
                file,
                None,
                "Word 正文（document.xml）解压后的大小（字节）",
                "the unpacked size of the Word document's main part in bytes",
                format!("> {}", opts.max_unpacked_bytes),
                opts.max_unpacked_bytes,
                "--max-unpacked-bytes",
            ));
        }
        return Err(damaged(file, &format!("{main} 无法解压 / cannot be inflated")));
    }
    // The part becomes the text without a copy (a copy doubled a 400 MB part).
    if buf.starts_with(b"\xEF\xBB\xBF") {
        buf.drain(..3);
    }
    String::from_utf8(buf).map_err(|_| damaged(file, &format!("{main} 不是 UTF-8 / is not UTF-8")))
}

fn save_as_docx(file: &str) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Format,
        None,
        "这是旧版 Word（.doc）或 WPS（.wps）格式的文档，xxgk 只读取 .docx：请在 Word 或 WPS 中“另存为” .docx 后再读取",
        "this is a legacy Word (.doc) or WPS (.wps) document; xxgk reads .docx only: open it in Word or WPS and “Save As” .docx",
    )
}

/// Reads the body of the document in order.
fn read_body(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Body, ImportError> {
    let xml = main_xml(file, bytes, opts)?;
    let mut reader = Reader::from_str(&xml);
    reader.config_mut().check_end_names = true;
    let mut body = Body::default();
    let mut paras: Vec<String> = Vec::new();
    let mut tables: Vec<TableBuild> = Vec::new();
    let mut ctx: Vec<Ctx> = Vec::new();
    let (mut depth, mut skip_from, mut runs, mut in_t) = (0usize, None::<usize>, 0usize, false);
    let (mut in_tr_pr, mut in_tc_pr, mut in_r_pr) = (false, false, false);
    // How the run being read is shown: its text is read as a reader sees it.
    let mut look = RunLook::default();
    let (mut para_no, mut table_no, mut cells_total) = (0usize, 0usize, 0u64);
    loop {
        let event = reader.read_event().map_err(|e| {
            damaged(
                file,
                &format!(
                    "document.xml 第 {} 字节 / byte {}: {e}",
                    reader.buffer_position(),
                    reader.buffer_position()
                ),
            )
        })?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            if !empty {
                depth += 1;
                if depth > opts.max_html_depth {
                    return Err(exceeded(
                        file,
                        None,
                        "Word 文档（document.xml）中元素的嵌套层数",
                        "the nesting depth of the elements of the Word document (document.xml)",
                        depth,
                        opts.max_html_depth,
                        "--max-html-depth",
                    ));
                }
            }
            if skip_from.is_some() {
                continue;
            }
            let local = e.local_name();
            let name: &str = local.as_ref();
            let prefix = e.name().prefix().map(|p| p.as_ref().to_string()).unwrap_or_default();
            // DrawingML (charts, shapes, their own tables) is no part of the text; its pictures count.
            if prefix == "a" && name != "blip" {
                continue;
            }
            match name {
                "del" | "moveFrom" if in_tr_pr => {
                    if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                        row.deleted = true;
                    }
                    if !empty {
                        skip_from = Some(depth);
                    }
                }
                "cellDel" if in_tc_pr => {
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.deleted = true;
                    }
                }
                // Deleted text, the fallback of an alternative, field codes and the old
                // properties of a tracked change (`w:rPrChange`, `w:tcPrChange`, …) are not read.
                "del" | "moveFrom" | "Fallback" | "instrText" | "delText" | "delInstrText" if !empty => {
                    skip_from = Some(depth);
                }
                n if n.ends_with("Change") && !empty => skip_from = Some(depth),
                "p" => {
                    if empty {
                        finish_paragraph(file, String::new(), &mut tables, &ctx, &mut body, &mut para_no, opts)?;
                    } else {
                        paras.push(String::new());
                    }
                }
                "r" if !empty => {
                    runs += 1;
                    look = RunLook::default();
                }
                "rPr" if runs > 0 && !empty => in_r_pr = true,
                // Hidden text (Word does not show or print it by default) is not read.
                "vanish" | "webHidden" | "specVanish" if in_r_pr => look.hidden = switched_on(e),
                "strike" | "dstrike" if in_r_pr => look.struck = switched_on(e),
                "vertAlign" if in_r_pr => look.raised = Raised::from_vert_align(attribute(e, "val").as_deref()),
                // The guide text of ruby (phonetic glosses over the base text) is no part of it.
                "rt" if prefix != "m" && !empty => skip_from = Some(depth),
                "t" if prefix != "m" && !empty && runs > 0 => in_t = true,
                "tab" | "ptab" if runs > 0 => push(&mut paras, '\t'),
                "br" | "cr" if runs > 0 => push(&mut paras, '\n'),
                "noBreakHyphen" if runs > 0 => push(&mut paras, '-'),
                "blip" | "imagedata" => body.pictures += 1,
                "txbxContent" if !empty => ctx.push(Ctx::TextBox),
                "tbl" if !empty => {
                    table_no += 1;
                    tables.push(TableBuild {
                        table: Table {
                            no: table_no,
                            rows: Vec::new(),
                        },
                        row: None,
                        cell: None,
                    });
                    ctx.push(Ctx::Table);
                }
                "tr" if !empty => {
                    if let Some(t) = tables.last_mut() {
                        if t.table.rows.len() as u64 >= u64::from(opts.max_rows) {
                            return Err(exceeded(
                                file,
                                Some(table_location(t.table.no, None, None)),
                                "Word 表格的行数",
                                "the number of rows of a Word table",
                                format!("> {}", opts.max_rows),
                                opts.max_rows,
                                "--max-rows",
                            ));
                        }
                        t.row = Some(Row::default());
                    }
                }
                "trPr" if !empty => in_tr_pr = true,
                "tcPr" if !empty => in_tc_pr = true,
                "tblHeader" if in_tr_pr => {
                    let on = switched_on(e);
                    if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                        row.header = on;
                    }
                }
                "gridBefore" if in_tr_pr => {
                    let n = span_value(file, e, &tables)?;
                    if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                        row.before = n;
                    }
                }
                "tc" => {
                    cells_total += 1;
                    if cells_total > opts.max_cells {
                        return Err(exceeded(
                            file,
                            None,
                            "Word 表格的单元格总数",
                            "the number of cells of the Word tables",
                            cells_total,
                            opts.max_cells,
                            "--max-cells",
                        ));
                    }
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(TCell {
                            span: 1,
                            ..TCell::default()
                        });
                        if empty {
                            finish_cell(t);
                        }
                    }
                }
                "gridSpan" if in_tc_pr => {
                    let n = span_value(file, e, &tables)?;
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.span = n.max(1);
                    }
                }
                "vMerge" if in_tc_pr => {
                    let restart = attribute(e, "val").is_some_and(|v| v == "restart");
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.vmerge = if restart { VMerge::Restart } else { VMerge::Continue };
                    }
                }
                "hMerge" if in_tc_pr => {
                    let restart = attribute(e, "val").is_some_and(|v| v == "restart");
                    if let Some(cell) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                        cell.hmerge_continue = !restart;
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::End(e) => {
                let at = depth;
                depth = depth.saturating_sub(1);
                if let Some(from) = skip_from {
                    if at == from {
                        skip_from = None;
                    }
                    continue;
                }
                let prefix = e.name().prefix().map(|p| p.as_ref().to_string()).unwrap_or_default();
                if prefix == "a" {
                    continue;
                }
                let local = e.local_name();
                let name: &str = local.as_ref();
                match name {
                    "p" => {
                        let text = paras.pop().unwrap_or_default();
                        finish_paragraph(file, text, &mut tables, &ctx, &mut body, &mut para_no, opts)?;
                    }
                    "r" => {
                        runs = runs.saturating_sub(1);
                        look = RunLook::default();
                    }
                    "rPr" => in_r_pr = false,
                    "t" => in_t = false,
                    "txbxContent" => {
                        ctx.pop();
                    }
                    "trPr" => in_tr_pr = false,
                    "tcPr" => in_tc_pr = false,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            finish_cell(t);
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut()
                            && let Some(row) = t.row.take()
                            && !row.deleted
                        {
                            t.table.rows.push(row);
                        }
                    }
                    "tbl" => {
                        ctx.pop();
                        if let Some(t) = tables.pop() {
                            body.blocks.push(Block::Table(t.table));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t && skip_from.is_none() && !look.hidden => {
                if let Some(p) = paras.last_mut() {
                    look.push(p, &t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_t && skip_from.is_none() && !look.hidden => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let (Some(c), Some(p)) = (c, paras.last_mut()) {
                    look.push(p, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(body)
}

fn push(paras: &mut [String], c: char) {
    if let Some(p) = paras.last_mut() {
        p.push(c);
    }
}

/// The value of a `w:gridSpan` or `w:gridBefore`, refused above [`MAX_COLUMNS`].
fn span_value(file: &str, e: &BytesStart<'_>, tables: &[TableBuild]) -> Result<u32, ImportError> {
    let raw = attribute(e, "val").unwrap_or_default();
    let n: u64 = raw.trim().parse().unwrap_or(1);
    if n > u64::from(MAX_COLUMNS) {
        let at = tables
            .last()
            .map(|t| table_location(t.table.no, Some(t.table.rows.len() + 1), None));
        return Err(ImportError::new(
            file,
            ErrorKind::Limit,
            at,
            format!("Word 表格的单元格跨 {n} 列，超过上限 {MAX_COLUMNS} 列（Word 本身最多 63 列）"),
            format!(
                "a cell of a Word table spans {n} columns, over the limit of {MAX_COLUMNS} (Word itself allows 63)"
            ),
        ));
    }
    Ok(n as u32)
}

/// A finished paragraph goes into the open table cell, or becomes a paragraph of the body.
fn finish_paragraph(
    file: &str,
    text: String,
    tables: &mut [TableBuild],
    ctx: &[Ctx],
    body: &mut Body,
    para_no: &mut usize,
    opts: &ImportOptions,
) -> Result<(), ImportError> {
    if matches!(ctx.last(), Some(Ctx::Table))
        && let Some(t) = tables.last_mut()
        && let Some(cell) = t.cell.as_mut()
    {
        let text = text.replace(['\n', '\t'], " ");
        let text = text.trim();
        if !text.is_empty() {
            if !cell.text.is_empty() {
                cell.text.push(' ');
            }
            cell.text.push_str(text);
        }
        let (no, row) = (t.table.no, t.table.rows.len() + 1);
        return check_cell_text(file, &cell.text, || Some(table_location(no, Some(row), None)), opts);
    }
    *para_no += 1;
    let no = *para_no;
    // Each paragraph becomes a line of the report's text: counted as it is read, so that
    // 360 MB of empty `<w:p/>` (a 525 KB file) is refused at once instead of holding 60 million
    // paragraphs (17 GB).
    if no as u64 > opts.max_text_lines {
        return Err(exceeded(
            file,
            Some(paragraph_location(no)),
            "Word 文档的段落数",
            "the number of paragraphs of the Word document",
            format!("> {}", opts.max_text_lines),
            opts.max_text_lines,
            "--max-text-lines",
        ));
    }
    let paragraph_limit = ImportOptions {
        max_cell_chars: opts.max_cell_chars.saturating_mul(10),
        ..ImportOptions::default()
    };
    check_cell_text(file, &text, || Some(paragraph_location(no)), &paragraph_limit)?;
    body.blocks.push(Block::Para { no, text, at: None });
    Ok(())
}

/// A finished cell joins its row; one continuing the cell to its left (legacy `w:hMerge`)
/// widens that cell instead.
fn finish_cell(t: &mut TableBuild) {
    let (Some(cell), Some(row)) = (t.cell.take(), t.row.as_mut()) else {
        return;
    };
    if cell.deleted {
        return;
    }
    if cell.hmerge_continue
        && let Some(prev) = row.cells.last_mut()
    {
        prev.span = prev.span.saturating_add(cell.span).min(MAX_COLUMNS);
        return;
    }
    row.cells.push(cell);
}

// ───────────────────────────── Places ─────────────────────────────

/// A cell of a table: “表格2第5行第3列”; without a column, the row; without a row, the table.
fn table_location(table: usize, row: Option<usize>, col: Option<u32>) -> Location {
    Location {
        sheet: Some(format!("表格{table}")),
        line: row.map(|r| r as u64),
        column: col.map(u64::from),
        ..Default::default()
    }
}

/// Where row `i` (0-based) of table `t` is, cell `col` (1-based) when given: the row's own name
/// of its place when it has one (a PDF's page), else “表格n第r行”.
fn row_location(t: &Table, i: usize, col: Option<u32>) -> Location {
    match t.rows.get(i).and_then(|r| r.at.as_ref()) {
        Some((sheet, row)) => Location {
            sheet: Some(sheet.clone()),
            line: Some(*row as u64),
            column: col.map(u64::from),
            ..Default::default()
        },
        None => table_location(t.no, Some(i + 1), col),
    }
}

/// A paragraph of the body: “第12段”.
fn paragraph_location(no: usize) -> Location {
    Location {
        sheet: Some(format!("第{no}段")),
        ..Default::default()
    }
}

/// The text the text reader reads: each paragraph's lines, and each table row on one line with
/// its cells separated by tabs; beside it, where each line came from.
fn body_lines(blocks: &[Block]) -> (Vec<String>, Vec<Location>) {
    let (mut lines, mut places) = (Vec::new(), Vec::new());
    for block in blocks {
        match block {
            Block::Para { no, text, at } => {
                for line in text.split('\n') {
                    lines.push(line.to_string());
                    places.push(at.clone().unwrap_or_else(|| paragraph_location(*no)));
                }
            }
            Block::Table(t) => {
                for (i, row) in t.rows.iter().enumerate() {
                    let cells: Vec<&str> = row
                        .cells
                        .iter()
                        .map(|c| {
                            if c.vmerge == VMerge::Continue {
                                ""
                            } else {
                                c.text.as_str()
                            }
                        })
                        .collect();
                    if cells.iter().all(|c| c.is_empty()) {
                        continue;
                    }
                    lines.push(cells.join("\t"));
                    places.push(row_location(t, i, None));
                }
            }
        }
    }
    (lines, places)
}

/// The text reader names the title's line (“第2行”); that line is named by its paragraph.
fn relocate_origins(imported: &mut Imported, places: &[Location]) {
    let origins = &mut imported.report.meta.origins;
    for origin in [&mut origins.agency, &mut origins.year].into_iter().flatten() {
        if origin.from != OriginKind::Title {
            continue;
        }
        let line = origin
            .at
            .as_deref()
            .and_then(|a| a.strip_prefix('第'))
            .and_then(|a| a.strip_suffix('行'))
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(place) = line.and_then(|l| places.get(l.wrapping_sub(1))) {
            origin.at = Some(place.display(xxgk_model::Lang::Zh));
        }
    }
}

/// Cells read from the text carry line numbers of that text: they are named by paragraph or by
/// table and row, so that nobody looks for a line number in a Word file.
fn relocate_cells(imported: &mut Imported, places: &[Location]) {
    let to_place = |line: u64| {
        usize::try_from(line)
            .ok()
            .and_then(|l| places.get(l.wrapping_sub(1)))
            .cloned()
    };
    let ids: Vec<String> = imported.report.cells.iter().map(|(id, _)| id.to_string()).collect();
    for id in ids {
        if let Some(loc) = imported.sources.get(&id).and_then(|l| l.line).and_then(to_place) {
            imported.sources.insert(id, loc);
        }
    }
    for f in &mut imported.findings {
        for c in &mut f.cells {
            if let Some(loc) = c.location.as_ref().and_then(|l| l.line).and_then(to_place) {
                c.location = Some(loc.into());
            }
        }
    }
}

// ───────────────────────────── Grids ─────────────────────────────

/// The width of a table: the most grid columns of a row.
fn width(t: &Table) -> u32 {
    t.rows
        .iter()
        .map(|r| r.before + r.cells.iter().map(|c| c.span).sum::<u32>())
        .max()
        .unwrap_or(0)
}

/// What a row shows, to tell a repeated header row: its cells' texts (normalised) and spans.
fn signature(row: &Row) -> Option<String> {
    let has_label = row
        .cells
        .iter()
        .any(|c| !c.text.trim().is_empty() && !c.text.trim().bytes().all(|b| b.is_ascii_digit()));
    if !has_label {
        return None;
    }
    let mut s = format!("{}|", row.before);
    for c in &row.cells {
        let text = if c.vmerge == VMerge::Continue {
            ""
        } else {
            c.text.as_str()
        };
        s.push_str(&comparable_label(text));
        s.push_str(&format!("|{}|", c.span));
    }
    Some(s)
}

/// Groups tables that are one table split over pages: consecutive, with nothing but empty
/// paragraphs between them, and as wide.
fn table_groups(blocks: &[Block]) -> Vec<Vec<&Table>> {
    let mut groups: Vec<Vec<&Table>> = Vec::new();
    let mut joinable = false;
    for block in blocks {
        match block {
            Block::Para { text, .. } if text.trim().is_empty() => {}
            Block::Para { .. } => joinable = false,
            Block::Table(t) => {
                match groups.last_mut() {
                    Some(g) if joinable && g.last().is_some_and(|p| width(p) == width(t)) => g.push(t),
                    _ => groups.push(vec![t]),
                }
                joinable = true;
            }
        }
    }
    groups
}

/// Every table (or table split over pages) as a grid, spans recorded as merged regions, each
/// cell located by its own table, row and grid column. A header row repeated by hand inside a
/// table, and the header rows a continued table repeats at its start, are read once.
pub(crate) fn tables_as_grids(file: &str, blocks: &[Block], opts: &ImportOptions) -> Result<Vec<Grid>, ImportError> {
    let mut grids = Vec::new();
    for group in table_groups(blocks) {
        let Some(first) = group.first() else { continue };
        let mut g = Grid::new(format!("表格{}", first.no));
        let leading_headers: Vec<String> = first
            .rows
            .iter()
            .take_while(|r| r.header)
            .filter_map(signature)
            .collect();
        let first_rows: Vec<Option<String>> = first.rows.iter().take(8).map(signature).collect();
        let mut r = 0u32;
        // Column → index in `merges` of the vertical merge open there.
        let mut open: rustc_hash::FxHashMap<u32, usize> = rustc_hash::FxHashMap::default();
        let mut merges: Vec<Merge> = Vec::new();
        for (ti, table) in group.iter().enumerate() {
            let mut continuing = ti > 0;
            for (i, row) in table.rows.iter().enumerate() {
                let sig = signature(row);
                // The header rows a continued table repeats at its start.
                if continuing {
                    if sig.is_some() && first_rows.get(i).is_some_and(|f| *f == sig) {
                        continue;
                    }
                    continuing = false;
                }
                // A header row repeated inside the table, marked as the first ones are.
                let leading = ti == 0 && first.rows.iter().take(i + 1).all(|r| r.header);
                if row.header && !leading && sig.as_ref().is_some_and(|s| leading_headers.contains(s)) {
                    continue;
                }
                if r >= opts.max_rows {
                    return Err(exceeded(
                        file,
                        Some(row_location(table, i, None)),
                        "Word 表格的行数",
                        "the number of rows of a Word table",
                        format!("> {}", opts.max_rows),
                        opts.max_rows,
                        "--max-rows",
                    ));
                }
                let mut c = row.before;
                for cell in &row.cells {
                    let span = cell.span.max(1);
                    if c.saturating_add(span) > MAX_COLUMNS {
                        return Err(ImportError::new(
                            file,
                            ErrorKind::Limit,
                            Some(row_location(table, i, None)),
                            format!("Word 表格的一行超过 {MAX_COLUMNS} 列（Word 本身最多 63 列）"),
                            format!(
                                "a row of a Word table is wider than {MAX_COLUMNS} columns (Word itself allows 63)"
                            ),
                        ));
                    }
                    if cell.vmerge == VMerge::Continue {
                        if let Some(m) = open.get(&c).and_then(|&k| merges.get_mut(k)) {
                            m.last_row = r;
                        }
                    } else {
                        for col in c..c + span {
                            open.remove(&col);
                        }
                        let loc = row_location(table, i, Some(c + 1));
                        g.set(r, c, cell.text.clone(), Some(loc));
                        if span > 1 || cell.vmerge == VMerge::Restart {
                            merges.push(Merge {
                                first_row: r,
                                first_col: c,
                                last_row: r,
                                last_col: c + span - 1,
                            });
                            if cell.vmerge == VMerge::Restart {
                                open.insert(c, merges.len() - 1);
                            }
                        }
                    }
                    c += span;
                }
                r += 1;
            }
        }
        for m in merges {
            if m.last_row > m.first_row || m.last_col > m.first_col {
                g.add_merge(m);
            }
        }
        if !g.is_empty() {
            grids.push(g);
        }
    }
    Ok(grids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A docx holding `body` (the inside of `w:body`).
    pub(crate) fn docx(body: &str) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(Cursor::new(&mut out));
            let o = zip::write::SimpleFileOptions::default();
            let parts = [
                (
                    "[Content_Types].xml",
                    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
                ),
                (
                    "word/document.xml",
                    format!(
                        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
                    ),
                ),
            ];
            for (name, text) in parts {
                zip.start_file(name, o).expect("zip");
                zip.write_all(text.as_bytes()).expect("zip");
            }
            zip.finish().expect("zip");
        }
        out
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn tracked_changes_text_boxes_and_fields_read_as_shown() {
        let body = format!(
            "<w:p><w:r><w:t>本年</w:t></w:r><w:del><w:r><w:delText>旧</w:delText></w:r></w:del>\
             <w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:r><w:instrText> PAGE </w:instrText></w:r>\
             <w:r><w:t xml:space=\"preserve\">A&amp;B</w:t><w:tab/><w:t>C</w:t></w:r></w:p>\
             <w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/></w:tabs></w:pPr><w:r><mc:AlternateContent xmlns:mc=\"m\"><mc:Choice><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            p("框中文字"),
            p("框中文字")
        );
        let got = read_body("t.docx", &docx(&body), &ImportOptions::default()).expect("read");
        let texts: Vec<&str> = got
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para { text, .. } => Some(text.as_str()),
                Block::Table(_) => None,
            })
            .collect();
        assert_eq!(texts, ["本年新增A&B\tC", "框中文字", ""]);
    }

    /// The paragraph text of a document of paragraphs made of `runs` (each a run's `rPr` and text).
    fn shown(paragraphs: &[&[(&str, &str)]]) -> Vec<String> {
        let body: String = paragraphs
            .iter()
            .map(|runs| {
                let runs: String = runs
                    .iter()
                    .map(|(props, text)| format!("<w:r><w:rPr>{props}</w:rPr><w:t>{text}</w:t></w:r>"))
                    .collect();
                format!("<w:p>{runs}</w:p>")
            })
            .collect();
        let got = read_body("t.docx", &docx(&body), &ImportOptions::default()).expect("read");
        got.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para { text, .. } => Some(text.clone()),
                Block::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn hidden_struck_and_raised_runs_never_join_the_digits_beside_them() {
        let texts = shown(&[
            &[("<w:vanish/>", "9"), ("", "2")],
            &[("", "2"), ("<w:webHidden/>", "0")],
            &[("<w:vanish w:val=\"0\"/>", "3")],
            &[("<w:strike/>", "5"), ("", "2")],
            &[("", "12"), ("<w:vertAlign w:val=\"superscript\"/>", "1")],
            &[("", "12"), ("<w:vertAlign w:val=\"subscript\"/>", "3")],
            &[("<w:strike w:val=\"false\"/><w:b/>", "7")],
        ]);
        assert_eq!(texts, ["2", "2", "3", "5\u{336}2", "12¹", "12₃", "7"]);
        for (text, number) in texts.iter().zip([true, true, true, false, false, false, true]) {
            let cell = crate::values::parse_cell(text, xxgk_model::ValueKind::Count);
            assert_eq!(
                matches!(cell, xxgk_model::Cell::Number { .. }),
                number,
                "{text}: {cell:?}"
            );
        }
        // The guide text of ruby is not read with its base.
        let body = "<w:p><w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>9</w:t></w:r></w:rt>\
                    <w:rubyBase><w:r><w:t>2</w:t></w:r></w:rubyBase></w:ruby></w:r></w:p>";
        let got = read_body("t.docx", &docx(body), &ImportOptions::default()).expect("read");
        assert!(matches!(&got.blocks[..], [Block::Para { text, .. }] if text == "2"));
    }

    #[test]
    fn spans_merges_and_repeated_headers_make_one_grid() {
        let tc = |attrs: &str, text: &str| format!("<w:tc><w:tcPr>{attrs}</w:tcPr>{}</w:tc>", p(text));
        let header = format!(
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr>",
            tc("<w:vMerge w:val=\"restart\"/>", "项目"),
            tc("<w:gridSpan w:val=\"2\"/>", "数量")
        );
        let row = |a: &str, b: &str, c: &str| format!("<w:tr>{}{}{}</w:tr>", tc("", a), tc("", b), tc("", c));
        let continued = format!("<w:tr>{}{}{}</w:tr>", tc("<w:vMerge/>", ""), tc("", "甲"), tc("", "乙"));
        let deleted =
            "<w:tr><w:trPr><w:del w:id=\"1\"/></w:trPr><w:tc><w:p><w:r><w:t>删</w:t></w:r></w:p></w:tc></w:tr>";
        let body = format!(
            "<w:tbl>{header}{continued}{}{deleted}</w:tbl><w:p/><w:tbl>{header}{}</w:tbl>",
            row("一", "1", "2"),
            row("二", "３", "4 0")
        );
        let got = read_body("t.docx", &docx(&body), &ImportOptions::default()).expect("read");
        let grids = tables_as_grids("t.docx", &got.blocks, &ImportOptions::default()).expect("grids");
        assert_eq!(grids.len(), 1, "a table split over pages is one grid");
        let g = &grids[0];
        assert_eq!(g.text(1, 0), "项目", "vMerge continues the cell above");
        assert_eq!(g.text(0, 2), "数量", "gridSpan covers two columns");
        assert_eq!(g.text(2, 0), "一");
        assert_eq!(
            g.text(3, 0),
            "二",
            "the repeated header and the deleted row are not read"
        );
        assert_eq!(g.text(3, 1), "３");
        assert_eq!(g.location(3, 2).display(xxgk_model::Lang::Zh), "表格2第2行第3列");
    }

    #[test]
    fn grid_before_and_legacy_horizontal_merges_keep_columns_in_place() {
        let body = "<w:tbl>\
            <w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:tc></w:tr>\
            <w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr><w:tc><w:tcPr><w:hMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>合</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc></w:tr>\
            <w:tr><w:tc><w:tcPr><w:cellDel/></w:tcPr><w:p><w:r><w:t>删</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>\
            </w:tbl>";
        let got = read_body("t.docx", &docx(body), &ImportOptions::default()).expect("read");
        let grids = tables_as_grids("t.docx", &got.blocks, &ImportOptions::default()).expect("grids");
        let g = &grids[0];
        assert_eq!(g.text(1, 0), "", "gridBefore leaves the first column empty");
        assert_eq!(g.text(1, 1), "合");
        assert_eq!(g.text(1, 2), "合", "the continued cell widens the one to its left");
        assert_eq!(g.text(2, 0), "1", "a deleted cell is not read");
    }

    #[test]
    fn hostile_documents_are_refused_with_reasons() {
        let opts = ImportOptions::default();
        let deep = format!("{}{}", "<w:sdt>".repeat(5000), "</w:sdt>".repeat(5000));
        let e = read_body("deep.docx", &docx(&deep), &opts).expect_err("too deep");
        assert_eq!(e.kind, ErrorKind::Limit);
        let wide = "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4000000000\"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>";
        let e = read_body("wide.docx", &docx(wide), &opts).expect_err("too wide");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert!(e.message.zh.contains("4000000000"), "{}", e.message.zh);
        let broken = read_body("cut.docx", &docx("<w:p><w:r>"), &opts).expect_err("unclosed");
        assert_eq!(broken.kind, ErrorKind::Syntax);
        let small = ImportOptions {
            max_unpacked_bytes: 100,
            ..ImportOptions::default()
        };
        let e = read_body("bomb.docx", &docx(&p(&"零".repeat(1000))), &small).expect_err("bomb");
        assert_eq!(e.kind, ErrorKind::Limit);
    }

    #[test]
    fn legacy_and_other_containers_are_told_apart() {
        let e = read_docx("old.doc", b"\xD0\xCF\x11\xE0rest").expect_err("legacy");
        assert!(e.message.zh.contains("另存为") && e.message.en.contains(".docx"));
        let odt = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0mimetypeapplication/vnd.oasis.opendocument.text";
        assert!(is_odt(odt));
        let e = read_docx("年报.odt", odt).expect_err("odt");
        assert!(
            e.message.zh.contains(".odt") && e.message.zh.contains("另存为"),
            "{}",
            e.message.zh
        );
        assert_eq!(word_main_part(&docx("")).as_deref(), Some("word/document.xml"));
        assert!(word_main_part(b"not a zip").is_none());
        assert!(may_be_word(&docx("")), "a Word document is one");
        let workbook = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/example-2021.xlsx"
        ))
        .expect("example workbook");
        assert!(!may_be_word(&workbook), "a workbook is decided from its directory");
        assert!(!may_be_word(b"not a zip"));
    }
}
