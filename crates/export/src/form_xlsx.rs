//! `xlsx`: the official form as a workbook — empty, as the standard template that departments
//! fill in (`xxgk template`), or filled with a report (the `xlsx` exporter).
//!
//! Everything is laid out from the model: the tables from [`xxgk_model::layout::table_layout`]
//! (the merged headers of the official form), every label from the catalogue. The workbook has
//! four sheets: 基本信息 (who reports, for which year, and the text sections), 表二, 表三, 表四.
//!
//! What the workbook does for the person filling it in:
//! - number cells are the only unlocked cells (the sheets are protected without a password, so
//!   labels cannot be typed over by accident, but anyone can unprotect);
//! - number cells carry data validation with a Chinese prompt: counts are whole numbers ≥ 0,
//!   money is ≥ 0 with at most 4 decimals (元 precision in a 万元 column);
//! - every 总计 and （七）总计 cell is a formula, and carries its computed result so that programs
//!   that do not recalculate (calamine, previewers, PDF converters) read the right number;
//! - beside table 3 a check column (总计 − Σ applicant columns per row) and below it two check rows
//!   (the balance identity and （七）总计 − Σ results per column), below table 4 a check row per
//!   group: each shows the difference, which conditional formatting turns red when it is not 0.
//!
//! When a filled report's total disagrees with its parts (or is a placeholder, an annotated number,
//! text), the total is written as found instead of as a formula, so that export → import gives
//! back the same report and the check cell shows the disagreement in red.
//!
//! The output is byte-for-byte deterministic: the document's creation time is fixed, and the
//! format version is stamped into the custom document properties.

use crate::{ExportError, Exporter, ExporterEntry, Options};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    ConditionalFormatFormula, DataValidation, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, Workbook, Worksheet, XlsxError, utility::row_col_to_cell,
};
use std::collections::HashMap;
use std::io::Write;
use xxgk_model::catalogue::{
    ADMIN_LEVELS, CellDef, INFO_SHEET, META_AGENCY, META_FORMAT, META_LEVEL, META_PARENT, META_PREAMBLE,
    META_PUBLISHED, META_REGION, META_TITLE, META_YEAR,
};
use xxgk_model::identity::{T3_BALANCE, T3_RESULTS, T3_ROW_SUM, T4_SUM};
use xxgk_model::layout::{Content, TableLayout, report_layout, table_layout};
use xxgk_model::{Cell, FormatVersion, Label, Lang, Num, Report, SectionKind, TableId, ValueKind, catalogue};

/// Where each table starts on its sheet: a title row (the section heading) and a blank row above.
const TABLE_TOP: u32 = 2;
/// Name of the custom document property that carries the format version (`2021`, `2019`).
pub const PROPERTY_FORMAT_VERSION: &str = "xxgk_format_version";
/// Name of the custom document property that says which xxgk wrote the file.
pub const PROPERTY_GENERATOR: &str = "xxgk_generator";

/// Texts of the check cells. They belong to the template, not to the official form; the importer
/// never needs them because it reads only the rows and columns the catalogue names.
const CHECK_ROW_SUM: &str = "行核对：总计减各列之和（应为0）";
const CHECK_BALANCE: &str = "列核对：第一项加第二项，减第三项（七）总计，减第四项（应为0）";
const CHECK_RESULTS: &str = "列核对：（七）总计减本年度各项办理结果之和（应为0）";
const CHECK_T4: &str = "核对：总计减各项之和（应为0）";

/// The standard template of a format version: every number cell empty. `agency` and `year`,
/// when given, are written into the 基本信息 sheet.
pub fn template(version: FormatVersion, agency: Option<&str>, year: Option<u16>) -> Result<Vec<u8>, ExportError> {
    let info = Info {
        version,
        agency,
        year,
        report: None,
    };
    build(&info).map_err(xlsx_error)
}

/// The official form filled with a report.
pub fn filled(report: &Report) -> Result<Vec<u8>, ExportError> {
    let info = Info {
        version: report.meta.format,
        agency: Some(&report.meta.agency),
        year: report.meta.year,
        report: Some(report),
    };
    build(&info).map_err(xlsx_error)
}

fn xlsx_error(e: XlsxError) -> ExportError {
    ExportError::Format {
        format: "xlsx",
        message: e.to_string(),
    }
}

struct Info<'a> {
    version: FormatVersion,
    agency: Option<&'a str>,
    year: Option<u16>,
    report: Option<&'a Report>,
}

impl Info<'_> {
    fn cell(&self, id: &str) -> Cell {
        self.report.map(|r| r.cell(id).clone()).unwrap_or_default()
    }

    /// Whether the report prints a group of table 3 as one row instead of its sub-rows.
    fn alone(&self, g: &xxgk_model::catalogue::T3Group) -> bool {
        self.report
            .is_some_and(|r| g.printed_alone(|id| !matches!(r.cell(id), Cell::Blank)))
    }
}

/// The formats of the workbook, made once.
struct Formats {
    title: Format,
    label: Format,
    label_left: Format,
    header: Format,
    input: Format,
    money: Format,
    text: Format,
    total: Format,
    check: Format,
    check_label: Format,
    red: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let centered = base.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name("宋体")
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: centered.clone(),
            label_left: base.clone().set_align(FormatAlign::Left),
            header: centered.clone().set_bold(),
            input: centered.clone().set_unlocked(),
            money: centered.clone().set_unlocked().set_num_format("0.####"),
            text: Format::new()
                .set_font_name("仿宋")
                .set_font_size(12)
                .set_border(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_unlocked(),
            total: centered.clone().set_background_color("F2F2F2"),
            check: centered.clone().set_font_color("808080"),
            check_label: base.set_font_color("808080").set_font_size(9),
            red: Format::new().set_font_color("9C0006").set_background_color("FFC7CE"),
        }
    }
}

fn build(info: &Info<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2021, 9, 29)?;
    let props = DocProperties::new()
        .set_title(format!("政府信息公开工作年度报告（{}）", info.version.document()))
        .set_creation_datetime(&created)
        .set_custom_property(PROPERTY_FORMAT_VERSION, info.version.code())
        .set_custom_property(PROPERTY_GENERATOR, concat!("xxgk ", env!("CARGO_PKG_VERSION")));
    wb.set_properties(&props);
    let f = Formats::new();
    info_sheet(wb.add_worksheet(), info, &f)?;
    for table in TableId::ALL {
        let ws = wb.add_worksheet();
        ws.set_name(table.name(Lang::Zh))?;
        table_sheet(ws, info, table, &f)?;
    }
    wb.save_to_buffer()
}

// ───────────────────────────── 基本信息 ─────────────────────────────

fn info_sheet(ws: &mut Worksheet, info: &Info<'_>, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(INFO_SHEET.zh)?;
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, TEXT_COLUMN_WIDTH)?;
    ws.set_column_width(2, 24)?;
    // The standard title; a title as published differently is kept in its own row (报告标题).
    let title = match info.report {
        Some(r) => r.meta.standard_title(),
        None => match (info.agency, info.year) {
            (Some(a), Some(y)) => format!("{a}{y}{}", xxgk_model::catalogue::TITLE_SUFFIX),
            _ => format!("政府信息公开工作年度报告（{}）", info.version.document()),
        },
    };
    ws.merge_range(0, 0, 0, 2, &title, &f.title)?;
    ws.set_row_height(0, 30)?;
    let meta = info.report.map(|r| &r.meta);
    let single = |v: Option<&str>| v.map(str::to_string).unwrap_or_default();
    let level = meta
        .and_then(|m| m.level)
        .and_then(|l| ADMIN_LEVELS.iter().find(|(x, _)| *x == l))
        .map_or("", |(_, name)| name.zh);
    let rows: [(Label, String); 8] = [
        (META_AGENCY, single(info.agency)),
        (META_YEAR, info.year.map(|y| y.to_string()).unwrap_or_default()),
        (META_FORMAT, info.version.code().to_string()),
        (META_REGION, single(meta.and_then(|m| m.region_code.as_deref()))),
        (META_LEVEL, level.to_string()),
        (META_PARENT, single(meta.and_then(|m| m.parent_agency.as_deref()))),
        (META_PUBLISHED, single(meta.and_then(|m| m.published.as_deref()))),
        (META_TITLE, single(meta.and_then(|m| m.title.as_deref()))),
    ];
    let mut row = 1;
    for (label, value) in rows {
        ws.write_string_with_format(row, 0, label.zh, &f.label_left)?;
        if label == META_FORMAT {
            // Fixed by the template: the tables below are laid out in this version.
            ws.write_string_with_format(row, 1, &value, &f.label_left)?;
            ws.write_string_with_format(row, 2, info.version.document(), &f.check_label)?;
        } else if label == META_YEAR && !value.is_empty() {
            ws.write_number_with_format(row, 1, f64::from(info.year.unwrap_or_default()), &f.text)?;
        } else {
            ws.write_string_with_format(row, 1, &value, &f.text)?;
        }
        ws.set_row_height(row, 20)?;
        if label == META_LEVEL {
            let names: Vec<&str> = ADMIN_LEVELS.iter().map(|(_, n)| n.zh).collect();
            let dv = DataValidation::new()
                .allow_list_strings(&names)?
                .set_input_title(META_LEVEL.zh)?
                .set_input_message("请从下拉列表中选择本机关的行政级别。")?;
            ws.add_data_validation(row, 1, row, 1, &dv)?;
        }
        if label == META_YEAR {
            let dv = DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(2019, 2100))
                .set_input_title("年度")?
                .set_input_message("请填写报告所属年度，如 2023。")?
                .set_error_message("年度应为 2019 至 2100 之间的四位数字。")?;
            ws.add_data_validation(row, 1, row, 1, &dv)?;
        }
        row += 1;
    }
    let preamble = info.report.and_then(|r| r.preamble.clone()).unwrap_or_default();
    ws.write_string_with_format(row, 0, META_PREAMBLE.zh, &f.label_left)?;
    ws.write_string_with_format(row, 1, &preamble, &f.text)?;
    fit_text_row(ws, row, &preamble)?;
    row += 1;
    for kind in SectionKind::ALL {
        let section = info.report.and_then(|r| r.sections.get(kind));
        let heading = section.map_or(kind.heading().zh, |s| s.heading.as_str());
        let text = section.map_or("", |s| s.text.as_str());
        ws.write_string_with_format(row, 0, heading, &f.label_left)?;
        ws.write_string_with_format(row, 1, text, &f.text)?;
        if let Some(t) = kind.table() {
            ws.write_string_with_format(row, 2, format!("表格见“{}”工作表", t.name(Lang::Zh)), &f.check_label)?;
        }
        fit_text_row(ws, row, text)?;
        row += 1;
    }
    // Row heights stay free under the protection, so that a long text can be shown whole.
    let mut protection = ProtectionOptions::new();
    protection.format_rows = true;
    ws.protect_with_options(&protection);
    Ok(())
}

/// A text row: as tall as its text, or, while empty, of no fixed height, so that Excel and WPS
/// grow it with the text typed in.
fn fit_text_row(ws: &mut Worksheet, row: u32, text: &str) -> Result<(), XlsxError> {
    if !text.is_empty() {
        ws.set_row_height(row, text_height(text))?;
    }
    Ok(())
}

/// Width of the text column of the 基本信息 sheet, in Excel character units.
const TEXT_COLUMN_WIDTH: f64 = 72.0;

/// Row height (points) for a text in the text column: 仿宋 12 pt is wider than the default
/// font the column width is measured in, so a line holds about 5/6 of the width, and a line
/// needs 17 pt. Excel caps a row at 409 pt.
fn text_height(text: &str) -> f64 {
    let per_line = (TEXT_COLUMN_WIDTH * 5.0 / 6.0) as usize;
    let lines: usize = text
        .split('\n')
        .map(|l| display_width(l).div_ceil(per_line).max(1))
        .sum::<usize>()
        .max(2);
    (lines as f64 * 17.0 + 4.0).min(409.0)
}

// ───────────────────────────── The tables ─────────────────────────────

/// Where the data cells of a table were written, by catalogue id: (row, col) on the sheet.
type Positions = HashMap<&'static str, (u32, u32)>;

fn table_sheet(ws: &mut Worksheet, info: &Info<'_>, table: TableId, f: &Formats) -> Result<(), XlsxError> {
    // A group the report prints as one row (（六）其他处理 alone) is written as that one row.
    let layout = match info.report {
        Some(r) => report_layout(r, table),
        None => table_layout(info.version, table),
    };
    let width = layout.width;
    let check_col = (table == TableId::T3).then_some(width);
    let total_width = width + u32::from(check_col.is_some());
    ws.merge_range(
        0,
        0,
        0,
        (total_width - 1) as u16,
        table.section().heading().zh,
        &f.title,
    )?;
    ws.set_row_height(0, 28)?;
    // A total of blank cells shows empty, like the cells themselves: its stored result is "".
    ws.set_formula_result_default("");
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    if layout.header_rows > 0 {
        ws.set_repeat_rows(TABLE_TOP, TABLE_TOP + layout.header_rows - 1)?;
    }
    let widths = column_widths(&layout);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    if let Some(c) = check_col {
        ws.set_column_width(c as u16, 14)?;
    }
    // Labels and merged headers.
    let mut positions = Positions::new();
    for p in &layout.cells {
        let (r, c) = (TABLE_TOP + p.row, p.col as u16);
        let (text, format) = match p.content {
            Content::Caption(l) => (l.zh, &f.header),
            Content::ColumnHeader(l) => (l.zh, &f.header),
            Content::Note(l) => (l.zh, &f.label),
            Content::RowHeader(l) => (l.zh, &f.label_left),
            Content::Data(def) => {
                positions.insert(def.id.as_str(), (r, p.col));
                if p.is_merged() {
                    ws.merge_range(r, c, r + p.rows - 1, c + p.cols as u16 - 1, "", &f.input)?;
                }
                continue;
            }
        };
        if p.is_merged() {
            ws.merge_range(r, c, r + p.rows - 1, c + p.cols as u16 - 1, text, format)?;
        } else {
            ws.write_string_with_format(r, c, text, format)?;
        }
    }
    row_heights(ws, &layout, &widths)?;
    let totals = totals(info, table, &positions);
    // Data cells: numbers, or formulas for the totals.
    for (def, row, col) in layout.data_cells() {
        let (r, c) = (TABLE_TOP + row, col as u16);
        let cell = info.cell(&def.id);
        if let Some(formula) = totals.get(def.id.as_str()) {
            let computed = formula.computed(info);
            let as_formula = match (&cell, computed) {
                (Cell::Blank, None) => Some(String::new()),
                (c, Some(v)) if excel_number(c) == Some(v) => Some(v.to_string()),
                _ => None,
            };
            if let Some(result) = as_formula {
                ws.write_formula_with_format(r, c, Formula::new(&formula.text).set_result(result), &f.total)?;
                continue;
            }
        }
        write_value(ws, r, c, &cell, def, f)?;
        ws.add_data_validation(r, c, r, c, &validation(def, r, c)?)?;
    }
    match table {
        TableId::T3 => t3_checks(ws, info, &layout, &positions, f)?,
        TableId::T4 => t4_checks(ws, info, &layout, &positions, f)?,
        TableId::T2 => {}
    }
    ws.protect();
    Ok(())
}

/// Writes a report's cell as it was found: a plain number as a number, anything else as its text.
fn write_value(ws: &mut Worksheet, r: u32, c: u16, cell: &Cell, def: &CellDef, f: &Formats) -> Result<(), XlsxError> {
    let format = if def.kind.is_money() { &f.money } else { &f.input };
    match cell {
        Cell::Blank => ws.write_blank(r, c, format)?,
        other => match excel_number(other) {
            Some(v) => ws.write_number_with_format(r, c, to_f64(v), format)?,
            // Text is written as a string, never as a formula.
            None => ws.write_string_with_format(r, c, other.raw_text(), format)?,
        },
    };
    Ok(())
}

/// The number a spreadsheet will see in the cell: only a plain number that survives the trip
/// through a binary float exactly (up to 15 significant digits). Anything else is written as text.
fn excel_number(cell: &Cell) -> Option<Num> {
    match cell {
        Cell::Number {
            value,
            raw: None,
            annotation: None,
            unit: None,
        } => {
            let back = Decimal::from_str_exact(&format!("{}", to_f64(*value))).ok()?;
            (back == value.decimal()).then_some(*value)
        }
        _ => None,
    }
}

fn to_f64(v: Num) -> f64 {
    v.decimal().to_string().parse().unwrap_or(f64::NAN)
}

/// The data validation of a number cell, with a prompt in Chinese.
fn validation(def: &CellDef, r: u32, c: u16) -> Result<DataValidation, XlsxError> {
    let what = def.kind.describe(Lang::Zh);
    let dv = match def.kind {
        ValueKind::Count => DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        ValueKind::SignedCount => {
            DataValidation::new().allow_whole_number(DataValidationRule::Between(-1_000_000_000, 1_000_000_000))
        }
        ValueKind::MoneyWanYuan | ValueKind::Money => {
            let a = row_col_to_cell(r, c);
            DataValidation::new().allow_custom(Formula::new(format!("=AND(ISNUMBER({a}),{a}>=0,ROUND({a},4)={a})")))
        }
    };
    let prompt = match def.kind {
        ValueKind::MoneyWanYuan => "请填写以万元为单位的金额，最多保留4位小数（精确到元）。没有发生的填0。".to_string(),
        ValueKind::SignedCount => "请填写整数，减少用负数表示，如 -8。没有变化的填0。".to_string(),
        _ => format!("请填写{what}。没有发生的填0，不要留空。"),
    };
    dv.set_input_title(def.short_label(Lang::Zh).chars().take(30).collect::<String>())?
        .set_input_message(prompt)?
        .set_error_title("数值不符合要求")?
        .set_error_message(format!("此处只能填写{what}。"))
}

/// A total written as a formula: its text and the cells it adds up.
struct Total {
    text: String,
    parts: Vec<String>,
}

impl Total {
    fn new(parts: Vec<(String, (u32, u32))>) -> Self {
        let refs = ranges(parts.iter().map(|(_, p)| *p).collect());
        Total {
            text: format!("=IF(COUNT({refs})=0,\"\",SUM({refs}))"),
            parts: parts.into_iter().map(|(id, _)| id).collect(),
        }
    }

    /// What the formula computes from the report: `None` (shown empty) when no part is a number
    /// the spreadsheet sees, else the sum of those numbers.
    fn computed(&self, info: &Info<'_>) -> Option<Num> {
        let nums: Vec<Num> = self
            .parts
            .iter()
            .filter_map(|id| excel_number(&info.cell(id)))
            .collect();
        if nums.is_empty() {
            return None;
        }
        nums.into_iter().try_fold(Num::ZERO, Num::checked_add)
    }
}

/// The totals of a table, as the form's identities define them: the one cell on the left of an
/// identity is the sum of the cells on its right (总计 of every table-3 row and table-4 group,
/// （七）总计). Where two identities define one cell (（七）总计 of the 总计 column), the first —
/// its row sum — is the formula.
fn totals(info: &Info<'_>, table: TableId, pos: &Positions) -> HashMap<&'static str, Total> {
    let cat = catalogue(info.version);
    let mut out = HashMap::new();
    for i in cat.identities().iter().filter(|i| i.table == table) {
        let [total] = i.lhs.ids.as_slice() else { continue };
        let Some(def) = cat.cell(total) else { continue };
        if out.contains_key(def.id.as_str()) {
            continue;
        }
        let rhs = i.rhs.cells(|g| info.alone(g));
        // A sum over cells not on the sheet (a group's items where the group is one row) is no total.
        if i.when_printed && rhs.iter().any(|id| !pos.contains_key(id.as_str())) {
            continue;
        }
        let parts = rhs
            .iter()
            .filter_map(|id| pos.get(id.as_str()).map(|p| (id.clone(), *p)))
            .collect();
        out.insert(def.id.as_str(), Total::new(parts));
    }
    out
}

/// `D5:D12,D14` for a list of cells: runs of adjacent cells in one column or row become ranges.
fn ranges(mut cells: Vec<(u32, u32)>) -> String {
    cells.sort_unstable_by_key(|&(r, c)| (c, r));
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let start = cells[i];
        let mut j = i;
        while j + 1 < cells.len() && cells[j + 1] == (cells[j].0 + 1, cells[j].1) {
            j += 1;
        }
        if j == i {
            // A horizontal run instead?
            let mut k = i;
            while k + 1 < cells.len() && cells[k + 1] == (cells[k].0, cells[k].1 + 1) {
                k += 1;
            }
            j = k;
        }
        let end = cells[j];
        let a = row_col_to_cell(start.0, start.1 as u16);
        out.push(if start == end {
            a
        } else {
            format!("{a}:{}", row_col_to_cell(end.0, end.1 as u16))
        });
        i = j + 1;
    }
    out.join(",")
}

/// The value a check formula computes: numbers the spreadsheet sees, others as 0 (like `SUM`).
fn seen(info: &Info<'_>, id: &str) -> Decimal {
    excel_number(&info.cell(id)).map_or(Decimal::ZERO, |n| n.decimal())
}

/// Writes a check cell: the formula, its result, and red when the result is not 0.
fn check_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    text: String,
    value: Option<Decimal>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let result = value.map(|v| Num::from_decimal(v).to_string()).unwrap_or_default();
    ws.write_formula_with_format(r, c, Formula::new(text).set_result(result), &f.check)?;
    // Red for a number other than 0; a blank check (no number to check) is not red.
    let at = row_col_to_cell(r, c);
    let cf = ConditionalFormatFormula::new()
        .set_rule(format!("=AND(ISNUMBER({at}),{at}<>0)").as_str())
        .set_format(&f.red);
    ws.add_conditional_format(r, c, r, c, &cf)?;
    Ok(())
}

fn a1(p: (u32, u32)) -> String {
    row_col_to_cell(p.0, p.1 as u16)
}

/// A check cell of an identity: `=SUM(first)-SUM(second)`, the value the spreadsheet computes,
/// and the position of the first cell; `None` when a cell of it is not on the sheet. `join` writes
/// each side's references (as ranges, or one by one).
fn check_of(
    first: &[String],
    second: &[String],
    join: fn(Vec<(u32, u32)>) -> String,
    pos: &Positions,
    info: &Info<'_>,
) -> Option<(String, Option<Decimal>, (u32, u32))> {
    let at =
        |ids: &[String]| -> Option<Vec<(u32, u32)>> { ids.iter().map(|id| pos.get(id.as_str()).copied()).collect() };
    let (a, b) = (at(first)?, at(second)?);
    let anchor = *a.first()?;
    let total = |ids: &[String]| ids.iter().map(|id| seen(info, id)).sum::<Decimal>();
    // Blank while none of its cells holds a number: an empty form's check shows nothing, not a
    // 0 that reads like “holds”.
    let (a, b) = (join(a), join(b));
    let text = format!("=IF(COUNT({a},{b})=0,\"\",SUM({a})-SUM({b}))");
    let any = first
        .iter()
        .chain(second)
        .any(|id| excel_number(&info.cell(id)).is_some());
    Some((text, any.then(|| total(first) - total(second)), anchor))
}

/// `D6,D7`: cells one by one, as the balance check names them.
fn listed(cells: Vec<(u32, u32)>) -> String {
    cells.into_iter().map(a1).collect::<Vec<_>>().join(",")
}

/// Table 3: a check column for each row sum, and check rows for the balance and the results,
/// from the form's identities.
fn t3_checks(
    ws: &mut Worksheet,
    info: &Info<'_>,
    layout: &TableLayout,
    pos: &Positions,
    f: &Formats,
) -> Result<(), XlsxError> {
    let cat = catalogue(info.version);
    let check_col = layout.width as u16;
    let hr = layout.header_rows;
    if hr > 1 {
        ws.merge_range(
            TABLE_TOP,
            check_col,
            TABLE_TOP + hr - 1,
            check_col,
            CHECK_ROW_SUM,
            &f.check_label,
        )?;
    } else {
        ws.write_string_with_format(TABLE_TOP, check_col, CHECK_ROW_SUM, &f.check_label)?;
    }
    let of_rule = |rule: &'static str| cat.identities().iter().filter(move |i| i.rule == rule);
    for i in of_rule(T3_ROW_SUM) {
        let (lhs, rhs) = (i.lhs.cells(|g| info.alone(g)), i.rhs.cells(|g| info.alone(g)));
        if let Some((text, value, total)) = check_of(&lhs, &rhs, ranges, pos, info) {
            check_cell(ws, total.0, check_col, text, value, f)?;
        }
    }
    // Two check rows under the table, labelled across the label columns: (first + second) −
    // (third + fourth), and （七）总计 − Σ results.
    let label_cols = layout.data_cells().map(|(_, _, c)| c).min().unwrap_or(1).max(1) as u16;
    let base = TABLE_TOP + layout.height;
    for (k, (label, rule)) in [(CHECK_BALANCE, T3_BALANCE), (CHECK_RESULTS, T3_RESULTS)]
        .into_iter()
        .enumerate()
    {
        let r = base + k as u32;
        if label_cols > 1 {
            ws.merge_range(r, 0, r, label_cols - 1, label, &f.check_label)?;
        } else {
            ws.write_string_with_format(r, 0, label, &f.check_label)?;
        }
        ws.set_row_height(r, 28)?;
        for i in of_rule(rule) {
            let (lhs, rhs) = (i.lhs.cells(|g| info.alone(g)), i.rhs.cells(|g| info.alone(g)));
            let check = if rule == T3_BALANCE {
                check_of(&rhs, &lhs, listed, pos, info)
            } else {
                check_of(&lhs, &rhs, ranges, pos, info)
            };
            if let Some((text, value, at)) = check {
                check_cell(ws, r, at.1 as u16, text, value, f)?;
            }
        }
    }
    Ok(())
}

/// Table 4: a check row under the table, one check per group under its 总计.
fn t4_checks(
    ws: &mut Worksheet,
    info: &Info<'_>,
    layout: &TableLayout,
    pos: &Positions,
    f: &Formats,
) -> Result<(), XlsxError> {
    let r = TABLE_TOP + layout.height;
    ws.set_row_height(r, 28)?;
    let cat = catalogue(info.version);
    for i in cat.identities().iter().filter(|i| i.rule == T4_SUM) {
        let Some((text, value, total)) = check_of(&i.lhs.ids, &i.rhs.ids, ranges, pos, info) else {
            continue;
        };
        if let Some(first) = i.rhs.ids.first().and_then(|id| pos.get(id.as_str())) {
            ws.merge_range(r, first.1 as u16, r, (total.1 - 1) as u16, CHECK_T4, &f.check_label)?;
        }
        check_cell(ws, r, total.1 as u16, text, value, f)?;
    }
    Ok(())
}

// ───────────────────────────── Widths for CJK text ─────────────────────────────

/// Display width in Excel character units: a CJK or full-width character is as wide as two
/// digits. (`Worksheet::autofit` counts every non-ASCII character as one narrow glyph, which
/// makes Chinese columns far too narrow.)
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x201C..=0x201D | 0x2018..=0x2019)
}

/// Column widths from the labels that sit in one column: wide enough for a label up to a limit,
/// beyond which it wraps. Narrow vertical headers (spanning many rows) wrap early, as the
/// official form prints them.
fn column_widths(layout: &TableLayout) -> Vec<f64> {
    let mut widths = vec![10.0_f64; layout.width as usize];
    for p in &layout.cells {
        let (text, max) = match p.content {
            Content::RowHeader(l) if p.rows >= 10 => (l.zh, 6),
            Content::RowHeader(l) if p.rows > 1 => (l.zh, 16),
            Content::RowHeader(l) => (l.zh, 34),
            Content::ColumnHeader(l) | Content::Caption(l) => (l.zh, 18),
            _ => continue,
        };
        if p.cols != 1 {
            continue;
        }
        let w = (display_width(text).min(max) + 2) as f64;
        let slot = &mut widths[p.col as usize];
        *slot = slot.max(w);
    }
    widths
}

/// Row heights so that wrapped labels show in full (Excel does not grow rows for merged cells).
fn row_heights(ws: &mut Worksheet, layout: &TableLayout, widths: &[f64]) -> Result<(), XlsxError> {
    let mut lines = vec![1usize; layout.height as usize];
    for p in &layout.cells {
        let text = match p.content {
            Content::RowHeader(l) | Content::ColumnHeader(l) | Content::Caption(l) | Content::Note(l) => l.zh,
            Content::Data(_) => continue,
        };
        let avail: f64 = widths[p.col as usize..(p.col + p.cols) as usize].iter().sum::<f64>() - 1.0;
        let needed = (display_width(text) as f64 / avail.max(1.0)).ceil() as usize;
        let per_row = needed.div_ceil(p.rows as usize).max(1);
        for r in p.row..p.row + p.rows {
            lines[r as usize] = lines[r as usize].max(per_row);
        }
    }
    for (r, n) in lines.iter().enumerate() {
        ws.set_row_height(TABLE_TOP + r as u32, (*n as f64 * 14.0 + 6.0).max(20.0))?;
    }
    Ok(())
}

// ───────────────────────────── Exporter ─────────────────────────────

struct Xlsx;

impl Exporter for Xlsx {
    fn export(&self, reports: &[Report], out: &mut dyn Write, _: &Options<'_>) -> Result<(), ExportError> {
        let [report] = reports else {
            return Err(ExportError::OneReportOnly {
                exporter: "xlsx",
                count: reports.len(),
            });
        };
        out.write_all(&filled(report)?)?;
        Ok(())
    }
}

inventory::submit! {
    ExporterEntry {
        name: "xlsx",
        extension: "xlsx",
        description: Label {
            zh: "Excel 工作簿：按官方格式填好的标准表（基本信息、表二、表三、表四，含合计公式和核对列），可再次导入",
            en: "Excel workbook: the standard form filled in (basic information, tables 2–4, with total formulas and check cells); imports back unchanged",
        },
        many: false,
        exporter: &Xlsx,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_collapse_runs() {
        assert_eq!(ranges(vec![(4, 3), (5, 3), (6, 3), (8, 3)]), "D5:D7,D9");
        assert_eq!(ranges(vec![(4, 3), (4, 4), (4, 5)]), "D5:F5");
        assert_eq!(ranges(vec![(0, 0)]), "A1");
    }

    #[test]
    fn cjk_is_double_width() {
        assert_eq!(display_width("自然人"), 6);
        assert_eq!(display_width("（七）总计"), 10);
        assert_eq!(display_width("1.属于"), 6);
    }

    #[test]
    fn template_is_deterministic() {
        let a = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("template");
        let b = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("template");
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
    }

    #[test]
    fn only_exact_plain_numbers_are_written_as_numbers() {
        assert_eq!(excel_number(&Cell::number(12)), Some(Num::int(12)));
        let big: Num = "123456789012345678".parse().expect("num");
        assert_eq!(excel_number(&Cell::number(big)), None);
        let annotated = Cell::Number {
            value: Num::int(22),
            raw: Some("22（其中修订16件）".into()),
            annotation: Some("其中修订16件".into()),
            unit: None,
        };
        assert_eq!(excel_number(&annotated), None);
        assert_eq!(excel_number(&Cell::Placeholder { raw: "/".into() }), None);
    }
}
