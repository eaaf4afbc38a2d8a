//! The roster form (`xxgk template --roster`): a workbook whose 单位名单 sheet lists the units
//! that must report, for a statistics office to fill in and give to `xxgk aggregate --roster`.
//! Its headers are the ones the roster reader looks for first ([`RosterColumn::headers`]), the
//! code column is text (an 18-character 统一社会信用代码 typed as a number would lose digits),
//! and the level is chosen from the form's list.

use crate::ExportError;
use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};
use xxgk_model::Lang;
use xxgk_model::catalogue::ADMIN_LEVELS;
use xxgk_model::roster::{ROSTER_SHEET, RosterColumn};

/// Rows laid out (bordered, text code cells, level list) for units.
pub const ROSTER_FORM_ROWS: u32 = 500;
/// The row of the form's header (0-based): a title and a note come first.
pub const ROSTER_HEADER_ROW: u32 = 2;

fn xerr(e: XlsxError) -> ExportError {
    ExportError::Format {
        format: "xlsx",
        message: e.to_string(),
    }
}

/// The empty roster form as xlsx bytes. The same bytes every time.
pub fn template() -> Result<Vec<u8>, ExportError> {
    build().map_err(xerr)
}

fn build() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2021, 9, 29)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("政府信息公开工作年度报告报送单位名单")
            .set_author("xxgk")
            .set_creation_datetime(&created),
    );
    let base = Format::new().set_font_name("宋体").set_border(FormatBorder::Thin);
    let title = Format::new().set_font_name("宋体").set_bold().set_font_size(14);
    let note = Format::new()
        .set_font_name("宋体")
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let header = base
        .clone()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xDDEBF7));
    let cell = base.clone().set_text_wrap();
    let code = base.set_num_format("@");

    let ws = wb.add_worksheet();
    ws.set_name(ROSTER_SHEET)?;
    ws.write_string_with_format(0, 0, "政府信息公开工作年度报告报送单位名单", &title)?;
    ws.merge_range(
        1,
        0,
        1,
        3,
        "每行填写一个应报送年度报告的单位。单位名称必填，请与单位报告中的机关名称一致；代码填写行政区划代码（6 位或 12 位）或统一社会信用代码（18 位），可不填；\
         同一地区的各部门共用一个行政区划代码时，按代码和名称共同对应。行政级别从下拉列表中选择。填好后：xxgk aggregate 各部门/ --roster 本文件 -o 汇总.xlsx",
        &note,
    )?;
    ws.set_row_height(1, 64)?;
    for (c, col) in RosterColumn::ALL.iter().enumerate() {
        ws.write_string_with_format(ROSTER_HEADER_ROW, c as u16, col.headers()[0], &header)?;
    }
    ws.set_row_height(ROSTER_HEADER_ROW, 32)?;
    let last = ROSTER_HEADER_ROW + ROSTER_FORM_ROWS;
    for r in ROSTER_HEADER_ROW + 1..=last {
        ws.write_blank(r, 0, &cell)?;
        ws.write_blank(r, 1, &code)?;
        ws.write_blank(r, 2, &cell)?;
        ws.write_blank(r, 3, &cell)?;
    }
    let levels: Vec<&str> = ADMIN_LEVELS.iter().map(|(_, l)| l.get(Lang::Zh)).collect();
    let dv = DataValidation::new()
        .allow_list_strings(&levels)?
        .set_input_title("行政级别")?
        .set_input_message("请从下拉列表中选择单位的行政级别。")?;
    ws.add_data_validation(ROSTER_HEADER_ROW + 1, 2, last, 2, &dv)?;
    let dv = DataValidation::new()
        .allow_text_length(rust_xlsxwriter::DataValidationRule::Between(6, 18))
        .set_input_title("代码")?
        .set_input_message("行政区划代码 6 位或 12 位，统一社会信用代码 18 位；以文本填写。")?
        .set_error_message("代码应为 6 位或 12 位行政区划代码，或 18 位统一社会信用代码。")?;
    ws.add_data_validation(ROSTER_HEADER_ROW + 1, 1, last, 1, &dv)?;
    for (c, w) in [(0u16, 40), (1, 24), (2, 14), (3, 30)] {
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(ROSTER_HEADER_ROW + 1, 0)?;
    ws.set_paper_size(9).set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(ROSTER_HEADER_ROW, ROSTER_HEADER_ROW)?;
    wb.save_to_buffer()
}
