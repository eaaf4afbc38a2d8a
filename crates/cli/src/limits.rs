//! The import limits as command-line options, one struct flattened into every command that
//! reads reports (`validate`, `convert`, `aggregate`), so that the options, their defaults and
//! their help read the same everywhere. Defaults come from [`ImportOptions::default`].

use clap::Args;
use xxgk_import::ImportOptions;

/// Limits on what one input file may cost (see `docs/reliability.md`).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "输入上限 (input limits)")]
pub struct LimitArgs {
    /// 单个输入文件的大小上限（字节）(refuse inputs larger than this many bytes)
    #[arg(long, value_name = "BYTES", default_value_t = ImportOptions::default().max_input_bytes)]
    pub max_input_bytes: u64,
    /// xlsx/ods 压缩包解压后的总大小上限（字节），在解压前按目录检查 (refuse a zip container that unpacks to more bytes; checked before inflating)
    #[arg(long, value_name = "BYTES", default_value_t = ImportOptions::default().max_unpacked_bytes)]
    pub max_unpacked_bytes: u64,
    /// xlsx/ods 压缩包内的文件个数上限 (refuse a zip container with more entries)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_zip_entries)]
    pub max_zip_entries: u64,
    /// xlsx/ods/docx 样式部件（styles.xml）解压后的大小上限（字节），在解压前按目录检查 (refuse a styles part that unpacks to more bytes; checked before inflating)
    #[arg(long, value_name = "BYTES", default_value_t = ImportOptions::default().max_styles_bytes)]
    pub max_styles_bytes: u64,
    /// 工作表个数上限 (refuse a workbook with more sheets)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_sheets)]
    pub max_sheets: usize,
    /// 读取的行数上限（工作表的行号、CSV 的行数）(refuse cells below this row, or longer CSV)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_rows)]
    pub max_rows: u32,
    /// 读取的列数上限（工作表的列号、CSV 一行的字段数）(refuse cells right of this column, or wider CSV)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_columns)]
    pub max_columns: u32,
    /// 工作簿非空单元格个数上限（ods 按内容范围计）(refuse a workbook with more non-empty cells)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_cells)]
    pub max_cells: u64,
    /// 单元格文字长度上限（字符）(refuse a cell text longer than this many characters)
    #[arg(long, value_name = "CHARS", default_value_t = ImportOptions::default().max_cell_chars)]
    pub max_cell_chars: usize,
    /// 工作簿全部单元格文字的总长度上限（字符，重复引用的文字按份计）(refuse a workbook whose cells hold more characters in all, every copy counted)
    #[arg(long, value_name = "CHARS", default_value_t = ImportOptions::default().max_total_chars)]
    pub max_total_chars: u64,
    /// 文本或网页大小上限（字节）(refuse a text or HTML page larger than this many bytes)
    #[arg(long, value_name = "BYTES", default_value_t = ImportOptions::default().max_text_bytes)]
    pub max_text_bytes: u64,
    /// 文本行数上限（文本、网页、Word、PDF 的文字）(refuse a report text, HTML page, Word or PDF text of more lines)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_text_lines)]
    pub max_text_lines: u64,
    /// 报告文字字节数上限（去除网页标记、Word 结构之后）(refuse a report's text, once markup is taken away, of more bytes)
    #[arg(long, value_name = "BYTES", default_value_t = ImportOptions::default().max_report_bytes)]
    pub max_report_bytes: u64,
    /// 网页标签嵌套层数上限 (refuse an HTML page whose tags nest deeper)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_html_depth)]
    pub max_html_depth: usize,
    /// 网页标签个数上限（解析前按字节计数）(refuse an HTML page that opens more tags, counted before parsing)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_html_elements)]
    pub max_html_elements: u64,
    /// PDF 页数上限 (refuse a PDF with more pages)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_pdf_pages)]
    pub max_pdf_pages: usize,
    /// PDF 对象个数上限 (refuse a PDF with more objects)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_pdf_objects)]
    pub max_pdf_objects: u64,
    /// PDF 显示的字符（字形）个数上限 (refuse a PDF that shows more glyphs)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_pdf_glyphs)]
    pub max_pdf_glyphs: u64,
    /// PDF 内容流操作符个数上限（全部页面合计）(refuse a PDF whose content streams hold more operators, all pages together)
    #[arg(long, value_name = "N", default_value_t = ImportOptions::default().max_pdf_operators)]
    pub max_pdf_operators: u64,
}

impl LimitArgs {
    /// The import options these limits give (the format is detected per file).
    pub fn import_options(&self) -> ImportOptions {
        ImportOptions {
            format: None,
            max_input_bytes: self.max_input_bytes,
            max_unpacked_bytes: self.max_unpacked_bytes,
            max_zip_entries: self.max_zip_entries,
            max_styles_bytes: self.max_styles_bytes,
            max_sheets: self.max_sheets,
            max_rows: self.max_rows,
            max_columns: self.max_columns,
            max_cells: self.max_cells,
            max_cell_chars: self.max_cell_chars,
            max_total_chars: self.max_total_chars,
            max_text_bytes: self.max_text_bytes,
            max_text_lines: self.max_text_lines,
            max_report_bytes: self.max_report_bytes,
            max_html_depth: self.max_html_depth,
            max_html_elements: self.max_html_elements,
            max_pdf_pages: self.max_pdf_pages,
            max_pdf_objects: self.max_pdf_objects,
            max_pdf_glyphs: self.max_pdf_glyphs,
            max_pdf_operators: self.max_pdf_operators,
            year: None,
            agency: None,
        }
    }
}
