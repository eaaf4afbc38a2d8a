//! # xxgk-import
//!
//! Readers that turn files into [`Report`]s: the model's own JSON, and (in their own modules)
//! spreadsheets, CSV and published text. Every reader works on bytes plus a name, never on
//! paths, returns a typed [`ImportError`] that says where the problem is, and records in a
//! [`SourceMap`] where every cell came from so that findings can point at it.
#![deny(missing_docs)]
#![deny(unreachable_pub)]

mod checked;
mod csv;
mod decode;
mod docx;
mod error;
pub mod formula;
mod grid;
mod html;
mod html_borders;
mod html_shown;
pub mod json;
pub mod labels;
mod limits;
mod looks;
mod metadata;
mod number_format;
mod ods_measure;
#[cfg(feature = "pdf")]
mod pdf;
pub mod roster;
mod run_look;
mod spreadsheet;
mod text;
mod unpacked;
mod unread;
pub mod values;
mod xls_cfb;
mod xls_conditional;
mod xlsx_merges;
mod xml_events;

pub use checked::{CheckedFile, Keeping, check_file};
pub use decode::{Decoded, decode};
pub use error::{ErrorKind, ImportError};
pub use grid::{Grid, Merge};
pub use spreadsheet::read_grids_with;
use xxgk_model::{Finding, Report, SourceMap};

/// A report read from a file, with where each cell came from and what the reader noticed.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The report.
    pub report: Report,
    /// Where each cell came from.
    pub sources: SourceMap,
    /// What the reader noticed (extra rows, ambiguous layout), as findings.
    pub findings: Vec<Finding>,
}

impl Imported {
    /// The report with its import findings and the rules' findings, located in the file: what
    /// every command shows for one report. The source map is handed back for findings made
    /// later (a parent's comparison with its sum).
    pub fn checked(self, opts: &xxgk_model::CheckOptions) -> (Report, Vec<Finding>, SourceMap) {
        let mut findings = self.findings;
        let mut rules = xxgk_model::check(&self.report, opts);
        unread::reading_not_blamed(&findings, &mut rules);
        findings.extend(rules);
        self.sources.locate(&mut findings);
        (self.report, findings, self.sources)
    }
}

/// The kinds of input xxgk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// The model's JSON (one report, an array, or JSON Lines).
    Json,
    /// A workbook: xlsx, xlsm, xls or ods.
    Spreadsheet,
    /// CSV.
    Csv,
    /// Published text.
    Text,
    /// A published HTML page.
    Html,
    /// A Word document (.docx); a legacy .doc or .wps is refused with a message to save it as .docx.
    Word,
    /// A PDF (told by its `%PDF-` header, whatever its name).
    Pdf,
}

impl InputFormat {
    /// Guesses the format from the name's extension, then from the first bytes.
    pub fn detect(name: &str, bytes: &[u8]) -> Option<Self> {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if looks_like_pdf(bytes) {
            return Some(InputFormat::Pdf);
        }
        let word_ext = matches!(
            ext.as_str(),
            "docx" | "docm" | "dotx" | "dotm" | "doc" | "dot" | "wps" | "odt"
        );
        match container(bytes) {
            // A compound file named as a Word document is one, whatever its streams.
            Some(InputFormat::Spreadsheet) if word_ext && !bytes.starts_with(b"PK") => return Some(InputFormat::Word),
            Some(format) => return Some(format),
            None => {}
        }
        match ext.as_str() {
            "json" | "jsonl" | "ndjson" => return Some(InputFormat::Json),
            // A Word page saved as web page (“.doc” holding HTML) is HTML.
            "doc" | "wps" | "dot" if looks_like_html(bytes) => return Some(InputFormat::Html),
            _ if word_ext => return Some(InputFormat::Word),
            "xlsx" | "xlsm" | "xls" | "ods" | "et" => return Some(InputFormat::Spreadsheet),
            "csv" => return Some(InputFormat::Csv),
            // A page saved with a text extension is still HTML: the content decides.
            "txt" | "text" | "md" if looks_like_html(bytes) => return Some(InputFormat::Html),
            "txt" | "text" | "md" => return Some(InputFormat::Text),
            "html" | "htm" | "shtml" => return Some(InputFormat::Html),
            "pdf" => return Some(InputFormat::Pdf),
            _ => {}
        }
        let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        if let Some(format) = container(head) {
            Some(format)
        } else if matches!(first, Some(b'{' | b'[')) {
            Some(InputFormat::Json)
        } else if matches!(first, Some(b'<')) {
            Some(InputFormat::Html)
        } else if looks_like_report_text(head) {
            Some(InputFormat::Text)
        } else {
            None
        }
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Json => "JSON",
            InputFormat::Spreadsheet => "Excel/ODS",
            InputFormat::Csv => "CSV",
            InputFormat::Text => "text",
            InputFormat::Html => "HTML",
            InputFormat::Word => "Word",
            InputFormat::Pdf => "PDF",
        }
    }
}

/// What a zip or compound container holds, told by its content, never by its name: a zip whose
/// main part is a Word document is Word (and so is an OpenDocument text, which the Word reader
/// refuses with what to do), any other zip a workbook (xlsx, ods); a compound file
/// with a `WordDocument` stream is a legacy Word or WPS document, any other one an xls (or an
/// encrypted xlsx).
fn container(bytes: &[u8]) -> Option<InputFormat> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(if docx::is_odt(bytes) || docx::may_be_word(bytes) {
            InputFormat::Word
        } else {
            InputFormat::Spreadsheet
        })
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(if docx::is_word_binary(bytes) {
            InputFormat::Word
        } else {
            InputFormat::Spreadsheet
        })
    } else {
        None
    }
}

/// Whether the bytes are a PDF: a `%PDF-1.` or `%PDF-2.` header within the first kilobyte (some
/// writers put a few bytes before it), whatever the file is called.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    memchr::memmem::find_iter(head, b"%PDF-").any(|i| matches!(head.get(i + 5..i + 7), Some(b"1." | b"2.")))
}

/// Whether the bytes are an HTML page: after a BOM and whitespace they open with a tag, and the
/// first kilobytes hold an `<html`, `<body`, `<table`, `<p` or `<div` tag.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    if head.get(start) != Some(&b'<') {
        return false;
    }
    let sample: Vec<u8> = head[start..head.len().min(start + 8192)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<body",
        b"<table",
        b"<p>",
        b"<p ",
        b"<div",
    ]
    .iter()
    .any(|tag| sample.windows(tag.len()).any(|w| w == *tag))
}

/// Whether bytes without a known extension are the text of a report: the first few kilobytes,
/// decoded as UTF-8 or GB18030, name the report (“年度报告”) or its first section.
fn looks_like_report_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    let mut sample = &head[..head.len().min(8192)];
    // A UTF-8 character cut at the end of the sample is not a reason to take it as GB18030.
    if let Err(e) = std::str::from_utf8(sample)
        && e.error_len().is_none()
    {
        sample = &sample[..e.valid_up_to()];
    }
    let text = decode::decode(sample, None).text;
    text.contains("年度报告") || text.contains("总体情况") || text.contains("年報") || text.contains("總體情況")
}

/// Options of an import, with the limits that keep a hostile file from exhausting the machine.
///
/// The defaults are far above any real report (one is a few hundred cells in tens of
/// kilobytes) and far below what would hurt a desktop; each has a command-line option of the
/// same name to raise it for a genuine outlier. See `docs/reliability.md`.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Read as this format instead of detecting it.
    pub format: Option<InputFormat>,
    /// Refuse inputs larger than this many bytes (`--max-input-bytes`).
    pub max_input_bytes: u64,
    /// Refuse a zip container (xlsx, ods, docx) whose entries unpack to more than this many bytes
    /// in all, as declared in its central directory: a zip bomb is refused before it is inflated
    /// (`--max-unpacked-bytes`). A part is held whole while it is read, so the default leaves
    /// room under 512 MB for the reading.
    pub max_unpacked_bytes: u64,
    /// Refuse a zip container with more entries than this (`--max-zip-entries`).
    pub max_zip_entries: u64,
    /// Refuse a styles part (`styles.xml`) that unpacks to more than this many bytes, as declared
    /// in the central directory (`--max-styles-bytes`): calamine reads an xlsx's whole, and a
    /// 180 MB one, from a 0.6 MB file, took 3.3 s. Style bloat in real workbooks reaches a few
    /// megabytes.
    pub max_styles_bytes: u64,
    /// Refuse a workbook with more sheets than this (`--max-sheets`).
    pub max_sheets: usize,
    /// Refuse a sheet whose cells reach beyond this row, or a CSV with more lines
    /// (`--max-rows`). The default is Excel's own last row, so that a stray cell at the very
    /// end of a sheet, common in real files, is read (sparsely) rather than refused.
    pub max_rows: u32,
    /// Refuse a sheet whose cells reach beyond this column, or a CSV line with more fields
    /// (`--max-columns`). The default is Excel's own last column (XFD).
    pub max_columns: u32,
    /// Refuse a workbook with more non-empty cells than this, and an ods sheet whose used
    /// extent (rows × columns, which calamine allocates densely) is larger (`--max-cells`).
    pub max_cells: u64,
    /// Refuse a cell (or metadata) text longer than this many characters; a section's text may
    /// be ten times as long (`--max-cell-chars`).
    pub max_cell_chars: usize,
    /// Refuse a workbook whose cells hold more characters of text in all than this, counting
    /// every copy a reader makes (a shared string used by many cells, a repeated ods cell):
    /// checked before and while the texts are allocated (`--max-total-chars`).
    pub max_total_chars: u64,
    /// Refuse a published text or HTML page larger than this many bytes (`--max-text-bytes`).
    pub max_text_bytes: u64,
    /// Refuse a report's text (a published text, an HTML page, a Word document or a PDF) of more
    /// lines than this, counted before any is read (`--max-text-lines`).
    pub max_text_lines: u64,
    /// Refuse a report's text, as read once an HTML page's markup or a Word document's XML is
    /// taken away, of more bytes than this (`--max-report-bytes`). Reading its tables costs
    /// microseconds a number or label, and a report's text is a few tens of KB: 16 MiB of
    /// `1 2 3 …` took 3 s and 1.9 GB.
    pub max_report_bytes: u64,
    /// Refuse an HTML page whose tags nest deeper than this (`--max-html-depth`); portal pages
    /// nest a few dozen deep.
    pub max_html_depth: usize,
    /// Refuse an HTML page that opens more tags than this, counted in its bytes before it is
    /// parsed (`--max-html-elements`); a portal page has a few thousand.
    pub max_html_elements: u64,
    /// Refuse a PDF with more pages than this (`--max-pdf-pages`); a report has a few dozen.
    pub max_pdf_pages: usize,
    /// Refuse a PDF with more objects than this (`--max-pdf-objects`), counted in the file before
    /// it is parsed and again after; a report has a few hundred.
    pub max_pdf_objects: u64,
    /// Refuse a PDF whose pages show more glyphs than this, counted as they are read
    /// (`--max-pdf-glyphs`): each costs about a microsecond to lay out, and a real report shows a
    /// few thousand.
    pub max_pdf_glyphs: u64,
    /// Refuse a PDF whose content streams hold more operators than this, all pages and forms
    /// together, counted as they are interpreted (`--max-pdf-operators`): a real report has a
    /// few thousand a page.
    pub max_pdf_operators: u64,
    /// The report year when the file does not say it (`--year`); where the file says another
    /// year, the file's stands and a finding names both.
    pub year: Option<u16>,
    /// The agency when the file does not name it (`--agency`), on the same terms as `year`.
    pub agency: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            max_input_bytes: 64 * 1024 * 1024,
            max_unpacked_bytes: 256 * 1024 * 1024,
            max_zip_entries: 10_000,
            max_styles_bytes: 64 * 1024 * 1024,
            max_sheets: 1_000,
            max_rows: 1_048_576,
            max_columns: 16_384,
            max_cells: 500_000,
            max_cell_chars: 100_000,
            max_total_chars: 10_000_000,
            max_text_bytes: 16 * 1024 * 1024,
            max_text_lines: 20_000,
            max_report_bytes: 512 * 1024,
            max_html_depth: 1_000,
            max_html_elements: 100_000,
            max_pdf_pages: 2_000,
            max_pdf_objects: 1_000_000,
            max_pdf_glyphs: 300_000,
            max_pdf_operators: 4_000_000,
            year: None,
            agency: None,
        }
    }
}

/// Refuses an input of `size` bytes over the limit, before anything reads it into memory.
pub fn check_size(name: &str, size: u64, opts: &ImportOptions) -> Result<(), ImportError> {
    if size <= opts.max_input_bytes {
        return Ok(());
    }
    Err(limits::exceeded(
        name,
        None,
        "文件大小（字节）",
        "the file's size in bytes",
        size,
        opts.max_input_bytes,
        "--max-input-bytes",
    ))
}

/// Reads every report in a file. `name` is used for format detection and in errors.
pub fn import(name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Imported>, ImportError> {
    check_size(name, bytes.len() as u64, opts)?;
    // Said plainly for every format, rather than as a damaged workbook or a legacy document.
    if bytes.is_empty() {
        return Err(ImportError::new(
            name,
            ErrorKind::Syntax,
            None,
            "文件为空（0 字节）",
            "the file is empty (0 bytes)",
        ));
    }
    let format = opts
        .format
        .or_else(|| InputFormat::detect(name, bytes))
        .ok_or_else(|| {
            ImportError::new(
                name,
                ErrorKind::Format,
                None,
                "无法识别文件格式（支持 .json .jsonl .xlsx .xlsm .xls .ods .csv .txt .html .docx .pdf）",
                "cannot tell the file's format (supported: .json .jsonl .xlsx .xlsm .xls .ods .csv .txt .html .docx .pdf)",
            )
        })?;
    if matches!(format, InputFormat::Text | InputFormat::Html) && bytes.len() as u64 > opts.max_text_bytes {
        return Err(limits::exceeded(
            name,
            None,
            "文本或网页的大小（字节）",
            "the size of the text or HTML page in bytes",
            bytes.len(),
            opts.max_text_bytes,
            "--max-text-bytes",
        ));
    }
    let mut imported = match format {
        InputFormat::Json => json::read_json(name, bytes)?,
        InputFormat::Spreadsheet => spreadsheet::read_spreadsheet_with(name, bytes, opts)?,
        InputFormat::Csv => csv::read_csv_with(name, bytes, opts)?,
        InputFormat::Text => vec![text::read_text(name, bytes, opts)?],
        InputFormat::Html => vec![html::read_html_with(name, bytes, opts)?],
        InputFormat::Word => vec![docx::read_docx_with(name, bytes, opts)?],
        #[cfg(feature = "pdf")]
        InputFormat::Pdf => vec![pdf::read_pdf_with(name, bytes, opts)?],
        #[cfg(not(feature = "pdf"))]
        InputFormat::Pdf => {
            return Err(ImportError::new(
                name,
                ErrorKind::Format,
                None,
                "此版本的 xxgk 未包含 PDF 读取功能（编译时未启用 pdf 特性）",
                "this build of xxgk cannot read PDF (built without the pdf feature)",
            ));
        }
    };
    // A file that holds no report (a header-only CSV, `[]`) has nothing to pass.
    if imported.is_empty() {
        return Err(ImportError::new(
            name,
            ErrorKind::Missing,
            None,
            format!(
                "文件中没有报告（{} 文件读取成功，但不含任何一份报告的数据）",
                format.name()
            ),
            format!(
                "the file holds no report (the {} file was read, but it has no report's data)",
                format.name()
            ),
        ));
    }
    for one in &mut imported {
        limits::check_report(name, one, opts)?;
        metadata::complete(name, one, opts);
    }
    Ok(imported)
}

/// Whether this thread is inside a third-party file reader (calamine), where a panic on a
/// damaged file is caught and turned into an error. A program's panic hook can consult it to
/// stay quiet about such panics (the `xxgk` binary does), while reporting its own.
pub fn in_guarded_reader() -> bool {
    GUARDED.with(std::cell::Cell::get)
}

thread_local! {
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a third-party reader, turning a panic inside it into a `Syntax` error on `file`.
/// calamine indexes slices by offsets read from the file and panics on some damaged ones
/// (fuzzing found `cfb.rs` slicing past a sector's end); a damaged file must be an error.
pub(crate) fn guarded<T>(file: &str, kind: &str, f: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    let before = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(before));
    result.unwrap_or_else(|payload| {
        let detail = xxgk_model::panic_text(payload.as_ref());
        Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            format!("无法读取文件（{kind} 文件损坏，读取组件中止：{detail}）"),
            format!("cannot read the file (damaged {kind} file; the reader gave up: {detail})"),
        ))
    })
}

#[cfg(test)]
mod detect_tests {
    use super::InputFormat;

    #[test]
    fn an_empty_file_is_said_to_be_empty_whatever_its_name() {
        for name in [
            "a.docx", "a.xlsx", "a.xls", "a.ods", "a.pdf", "a.html", "a.txt", "a.csv", "a.json", "a",
        ] {
            let err = super::import(name, b"", &super::ImportOptions::default())
                .err()
                .unwrap_or_else(|| panic!("{name} was read"));
            assert!(err.to_string().contains("文件为空"), "{name}: {err}");
        }
    }

    #[test]
    fn report_text_without_extension_is_text() {
        let seed = "道里区工业信息科技局2023年度\n政府信息公开工作年度报告\n";
        assert_eq!(InputFormat::detect("report", seed.as_bytes()), Some(InputFormat::Text));
        let (gbk, _, _) = encoding_rs::GB18030.encode(seed);
        assert_eq!(InputFormat::detect("report", &gbk), Some(InputFormat::Text));
        assert_eq!(InputFormat::detect("notes", b"hello"), None);
        let long = format!("{seed}{}", "一、总体情况。".repeat(2000));
        assert_eq!(InputFormat::detect("report", long.as_bytes()), Some(InputFormat::Text));
        assert_eq!(InputFormat::detect("page", b"  <html>"), Some(InputFormat::Html));
        assert_eq!(
            InputFormat::detect("page.txt", "<html><body><p>一、总体情况</p></body></html>".as_bytes()),
            Some(InputFormat::Html)
        );
        assert_eq!(
            InputFormat::detect("notes.txt", b"<not html> just text"),
            Some(InputFormat::Text)
        );
        assert_eq!(
            InputFormat::detect("notes.txt", b"%PDF-1.7\n%\xE2"),
            Some(InputFormat::Pdf)
        );
        assert_eq!(InputFormat::detect("x.xlsx", b"junk%PDF-2.0\n"), Some(InputFormat::Pdf));
        assert_eq!(
            InputFormat::detect("notes.txt", "年度报告 附件格式 %PDF-，见附件".as_bytes()),
            Some(InputFormat::Text),
            "the header needs its version"
        );
    }
}
