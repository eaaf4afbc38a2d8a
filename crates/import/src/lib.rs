//! # xxgk-import
//!
//! Readers that turn files into [`Report`]s: the model's own JSON, and (in their own modules)
//! spreadsheets, CSV and published text. Every reader works on bytes plus a name, never on
//! paths, returns a typed [`ImportError`] that says where the problem is, and records in a
//! [`SourceMap`] where every cell came from so that findings can point at it.

pub mod csv;
mod decode;
mod error;
pub mod grid;
pub mod html;
pub mod json;
pub mod labels;
pub mod spreadsheet;
pub mod text;
pub mod values;

pub use decode::{Decoded, decode};
pub use error::{ErrorKind, ImportError};
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
}

impl InputFormat {
    /// Guesses the format from the name's extension, then from the first bytes.
    pub fn detect(name: &str, bytes: &[u8]) -> Option<Self> {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" | "jsonl" | "ndjson" => return Some(InputFormat::Json),
            "xlsx" | "xlsm" | "xls" | "ods" | "et" => return Some(InputFormat::Spreadsheet),
            "csv" => return Some(InputFormat::Csv),
            "txt" | "text" | "md" => return Some(InputFormat::Text),
            "html" | "htm" | "shtml" => return Some(InputFormat::Html),
            _ => {}
        }
        let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace());
        if head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            Some(InputFormat::Spreadsheet)
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
        }
    }
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

/// Options of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Read as this format instead of detecting it.
    pub format: Option<InputFormat>,
    /// Refuse inputs larger than this many bytes.
    pub max_input_bytes: u64,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            format: None,
            max_input_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Refuses an input of `size` bytes over the limit, before anything reads it into memory.
pub fn check_size(name: &str, size: u64, opts: &ImportOptions) -> Result<(), ImportError> {
    if size <= opts.max_input_bytes {
        return Ok(());
    }
    Err(ImportError::new(
        name,
        ErrorKind::Limit,
        None,
        format!(
            "文件大小 {size} 字节超过上限 {} 字节（可用 --max-input-bytes 调高）",
            opts.max_input_bytes
        ),
        format!(
            "the file is {size} bytes, over the limit of {} (raise it with --max-input-bytes)",
            opts.max_input_bytes
        ),
    ))
}

/// Reads every report in a file. `name` is used for format detection and in errors.
pub fn import(name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Imported>, ImportError> {
    check_size(name, bytes.len() as u64, opts)?;
    let format = opts
        .format
        .or_else(|| InputFormat::detect(name, bytes))
        .ok_or_else(|| {
            ImportError::new(
                name,
                ErrorKind::Format,
                None,
                "无法识别文件格式（支持 .json .jsonl .xlsx .xlsm .xls .ods .csv .txt .html）",
                "cannot tell the file's format (supported: .json .jsonl .xlsx .xlsm .xls .ods .csv .txt .html)",
            )
        })?;
    match format {
        InputFormat::Json => json::read_json(name, bytes),
        InputFormat::Spreadsheet => spreadsheet::read_spreadsheet(name, bytes),
        InputFormat::Csv => csv::read_csv(name, bytes),
        InputFormat::Text => text::read_text(name, bytes).map(|r| vec![r]),
        InputFormat::Html => html::read_html(name, bytes).map(|r| vec![r]),
    }
}

#[cfg(test)]
mod detect_tests {
    use super::InputFormat;

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
    }
}
