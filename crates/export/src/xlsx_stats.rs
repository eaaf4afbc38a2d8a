//! `xlsx-stats`: a statistics workbook for many reports at once, for the statistics office or
//! 政务公开办 that collects them.
//!
//! * `汇总` (summary): how many reports, how many pass, which fail and why, the inputs that could
//!   not be read.
//! * one sheet per table (`表二`, `表三`, `表四`; with reports of both format versions in the batch,
//!   one set per version, named `表二（2021格式）` …): one row per report (机关名称, 行政区划代码,
//!   年度, 格式), one column per cell under two header rows of official labels (the row label
//!   merged over its columns, then the column's own label) and a third header row of cell ids,
//!   then a 合计 row of `SUM` formulas whose results are stored, so that readers that do not
//!   recalculate (previews, converters, calamine) show the sums too. A report that is itself the
//!   sum of others (`meta.summed_reports`, from `xxgk aggregate`) is written below the 合计 row,
//!   outside its range, with a note, so that nothing is counted twice.
//! * `问题清单` (findings): every check that failed or could not be made, with its cells, their
//!   source locations and values. Passed checks are only counted, in the summary.
//!
//! Values are never guessed: a blank stays empty, a placeholder or unreadable text is written as
//! text (so `SUM` skips it), an amount written in 元 in a 万元 column is written as its text and
//! left out of the sum, a column whose amounts carry different units (V2019 `采购总金额`, whose
//! header prints none) gets no sum but says so, and the text of an annotated number is kept in a
//! cell note. Text from a
//! report is only ever written with `write_string`, so it can never become a formula.
//! The workbook's creation date is fixed, so the same reports give the same bytes.

use crate::{ExportError, Exporter, ExporterEntry, Options, ReportBatch};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError, column_number_to_name,
};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use xxgk_model::aggregation::Exclusion;
use xxgk_model::interchange::WIDE_META_COLUMNS;
use xxgk_model::output::Outcome;
use xxgk_model::{
    Cell, CellDef, CheckOptions, Finding, FormatVersion, Label, Lang, Meta, MoneyUnit, Num, Report, Status, TableId,
    ValueKind, catalogue, check, rule,
};

mod roster_sheet;

struct XlsxStats;

/// Data columns of a table sheet on one printed page, beside the repeated agency column.
const COLUMNS_PER_PAGE: usize = 20;

/// The row of the summary sheet's note, below its counts; the list of reports follows.
const NOTE_ROW: u32 = 10;

/// Header rows of a table sheet: row label, column label, cell id (a hidden row).
const HEADER_ROWS: u32 = 3;
const META_COLS: u16 = WIDE_META_COLUMNS.len() as u16;

fn xerr(e: XlsxError) -> ExportError {
    ExportError::Format {
        format: "xlsx",
        message: e.to_string(),
    }
}

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    Label { zh, en }.get(lang)
}

/// The cell formats of the workbook.
struct Formats {
    title: Format,
    title_small: Format,
    failing: Format,
    header: Format,
    id: Format,
    text: Format,
    wrap: Format,
    count: Format,
    wan_yuan: Format,
    money: Format,
    total_label: Format,
    total_count: Format,
    total_wan_yuan: Format,
    total_money: Format,
}

impl Formats {
    /// Every format, in a fixed order.
    fn all(&self) -> [&Format; 14] {
        [
            &self.title,
            &self.title_small,
            &self.failing,
            &self.header,
            &self.id,
            &self.text,
            &self.wrap,
            &self.count,
            &self.wan_yuan,
            &self.money,
            &self.total_label,
            &self.total_count,
            &self.total_wan_yuan,
            &self.total_money,
        ]
    }

    fn new() -> Self {
        // 宋体 is on every Chinese Windows and WPS installation; other readers substitute a CJK font.
        let base = Format::new().set_font_name("宋体").set_border(FormatBorder::Thin);
        let total = base.clone().set_bold().set_background_color(Color::RGB(0xFFF2CC));
        Formats {
            title: Format::new().set_font_name("宋体").set_bold().set_font_size(14),
            title_small: Format::new().set_font_name("宋体").set_bold(),
            failing: base
                .clone()
                .set_font_color(Color::RGB(0x9C0006))
                .set_background_color(Color::RGB(0xFFC7CE)),
            header: base
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xDDEBF7)),
            id: base
                .clone()
                .set_font_size(8)
                .set_font_color(Color::RGB(0x595959))
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xF2F2F2)),
            text: base.clone(),
            wrap: base.clone().set_text_wrap().set_align(FormatAlign::Top),
            count: base.clone().set_num_format("0"),
            wan_yuan: base.clone().set_num_format("0.0000"),
            money: base.clone().set_num_format("General"),
            total_label: total.clone().set_align(FormatAlign::Center),
            total_count: total.clone().set_num_format("0"),
            total_wan_yuan: total.clone().set_num_format("0.0000"),
            total_money: total.set_num_format("General"),
        }
    }

    fn number(&self, kind: ValueKind) -> &Format {
        match kind {
            ValueKind::Count | ValueKind::SignedCount => &self.count,
            ValueKind::MoneyWanYuan => &self.wan_yuan,
            ValueKind::Money => &self.money,
        }
    }

    fn total(&self, kind: ValueKind) -> &Format {
        match kind {
            ValueKind::Count | ValueKind::SignedCount => &self.total_count,
            ValueKind::MoneyWanYuan => &self.total_wan_yuan,
            ValueKind::Money => &self.total_money,
        }
    }
}

/// The number as an `f64` when the spreadsheet will show exactly the same number: the shortest
/// text of the double reads back as the same decimal (at most 15 significant digits).
fn exact_f64(n: Num) -> Option<f64> {
    // Whole numbers up to 2^53, nearly every count, are exact as they are.
    if n.decimal().scale() == 0 && n.decimal().mantissa().unsigned_abs() <= 1 << 53 {
        return Some(n.decimal().mantissa() as f64);
    }
    let f: f64 = n.decimal().to_string().parse().ok()?;
    let back = Decimal::from_str_exact(&format!("{f}")).ok()?;
    (back == n.decimal()).then_some(f)
}

impl Exporter for XlsxStats {
    fn export(&self, reports: &[Report], out: &mut dyn Write, opts: &Options<'_>) -> Result<(), ExportError> {
        self.export_batch(&reports, out, opts)
    }

    fn writes_texts(&self) -> bool {
        false
    }

    /// Takes one report at a time: every sheet is written row by row in constant-memory mode, so
    /// a batch of 20,000 reports is never all in memory at once.
    fn export_batch(
        &self,
        batch: &dyn ReportBatch,
        out: &mut dyn Write,
        opts: &Options<'_>,
    ) -> Result<(), ExportError> {
        let lang = opts.lang;
        let metas: Vec<Meta> = (0..batch.len()).map(|i| batch.meta(i)).collect();
        let computed: Vec<Vec<Finding>>;
        let findings: &[Vec<Finding>] = match opts.findings {
            Some(f) if f.len() == metas.len() => f,
            _ => {
                computed = (0..batch.len())
                    .map(|i| check(&batch.report(i), &CheckOptions::default()))
                    .collect();
                &computed
            }
        };
        let f = Formats::new();
        let mut wb = Workbook::new();
        // A batch's sheets hold millions of cells: level 2 deflates them four times faster than
        // the default 6 for a file about a fifth larger.
        wb.set_zip_compression_level(2);
        let created = ExcelDateTime::from_ymd(2021, 9, 29).map_err(xerr)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title(tr(lang, "政府信息公开工作年度报告统计表", "Annual report statistics"))
                .set_author("xxgk")
                .set_creation_datetime(&created),
        );

        // The sheets are independent, so each is written on its own thread (rows still strictly
        // top to bottom within a sheet); then they are put in the workbook in order.
        let (metas, findings, f) = (&metas, findings, &f);
        let mut jobs: Vec<SheetJob<'_>> = vec![Box::new(move |ws| summary_sheet(ws, metas, findings, opts, f))];
        if let Some(check) = opts.roster {
            jobs.push(Box::new(move |ws| roster_sheet::write(ws, check, f, lang)));
        }
        let mut versions: Vec<FormatVersion> = metas.iter().map(|m| m.format).collect();
        versions.sort_unstable();
        versions.dedup();
        versions.reverse();
        let mixed = versions.len() > 1;
        for &v in &versions {
            // Each report with whether the total leaves it out (see `Options::outside_total`).
            let rows: Vec<Row<'_>> = metas
                .iter()
                .enumerate()
                .filter(|(_, m)| m.format == v)
                .map(|(i, m)| Row {
                    index: i,
                    meta: m,
                    outside: opts.outside_total.and_then(|o| o.get(i).copied()).unwrap_or(false),
                })
                .collect();
            for t in TableId::ALL {
                let name = match (mixed, lang) {
                    (false, _) => t.name(lang).to_string(),
                    (true, Lang::Zh) => format!("{}（{}格式）", t.name(lang), v.code()),
                    (true, Lang::En) => format!("{} ({} format)", t.name(lang), v.code()),
                };
                let rows = rows.clone();
                jobs.push(Box::new(move |ws| {
                    ws.set_name(name).map_err(xerr)?;
                    table_sheet(ws, batch, v, t, &rows, findings, f, lang)
                }));
            }
        }
        jobs.push(Box::new(move |ws| findings_sheet(ws, metas, findings, f, lang)));

        // The workbook numbers formats as sheets first use them. The sheets are written at once,
        // so a scratch sheet (never added) uses them all first, in a fixed order: every run then
        // writes the same file.
        let large = batch.len() > IN_MEMORY_REPORTS;
        let mut scratch = streamed_sheet(&mut wb, large);
        for (c, format) in f.all().into_iter().enumerate() {
            scratch.write_blank(0, c as u16, format).map_err(xerr)?;
        }
        let sheets: Vec<Worksheet> = jobs.iter().map(|_| streamed_sheet(&mut wb, large)).collect();
        let written = run_jobs(sheets, jobs)?;
        for ws in written {
            wb.push_worksheet(ws);
        }

        let bytes = wb.save_to_buffer().map_err(xerr)?;
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// Batches of up to this many reports are written in memory even with the `constant-memory`
/// feature: their file is then, byte for byte, the one a build without the feature writes (the
/// web page), and a few thousand reports fit in memory easily.
pub const IN_MEMORY_REPORTS: usize = 2_000;

/// A sheet of a `large` batch whose rows go to a temporary file as they are written
/// (rust_xlsxwriter's constant memory mode, feature `constant-memory`): a batch of 20,000
/// reports has 4 million cells, which an in-memory sheet would hold until the end. Where no
/// temporary file can be made, the sheet is kept in memory.
#[cfg(feature = "constant-memory")]
fn streamed_sheet(wb: &mut Workbook, large: bool) -> Worksheet {
    if !large {
        return Worksheet::new();
    }
    wb.new_worksheet_with_constant_memory()
        .unwrap_or_else(|_| Worksheet::new())
}

/// Without the `constant-memory` feature the library writes no temporary file: sheets are held in
/// memory.
#[cfg(not(feature = "constant-memory"))]
fn streamed_sheet(_wb: &mut Workbook, _large: bool) -> Worksheet {
    Worksheet::new()
}

/// What writes one sheet.
type SheetJob<'s> = Box<dyn FnOnce(&mut Worksheet) -> Result<(), ExportError> + Send + 's>;

/// Writes each sheet by its job, each on a thread of its own (feature `threads`).
#[cfg(feature = "threads")]
fn run_jobs(sheets: Vec<Worksheet>, jobs: Vec<SheetJob<'_>>) -> Result<Vec<Worksheet>, ExportError> {
    std::thread::scope(|s| {
        let running: Vec<_> = sheets
            .into_iter()
            .zip(jobs)
            .map(|(mut ws, job)| s.spawn(move || job(&mut ws).map(|()| ws)))
            .collect();
        running
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Without threads (a web page's WebAssembly), the sheets are written one after the other: the
/// same file.
#[cfg(not(feature = "threads"))]
fn run_jobs(sheets: Vec<Worksheet>, jobs: Vec<SheetJob<'_>>) -> Result<Vec<Worksheet>, ExportError> {
    sheets
        .into_iter()
        .zip(jobs)
        .map(|(mut ws, job)| job(&mut ws).map(|()| ws))
        .collect()
}

/// A4 landscape (paper size 9), as statistics offices print.
fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9).set_landscape();
}

/// The label over a cell's column in the first header row: its row label (table 4: its column
/// group), which is merged over the cells that share it.
fn top_label(def: &CellDef, lang: Lang) -> String {
    if def.row_path.is_empty() {
        let n = def.column_path.len().saturating_sub(1);
        def.column_path[..n]
            .iter()
            .map(|l| l.get(lang))
            .collect::<Vec<_>>()
            .join(" / ")
    } else {
        def.row_label(lang)
    }
}

/// A report of the batch (by index) with whether the statistics total leaves it out.
#[derive(Clone, Copy)]
struct Row<'a> {
    index: usize,
    meta: &'a Meta,
    outside: bool,
}

#[allow(clippy::too_many_arguments)] // a sheet takes its place in the batch, its rows, their findings and the formats
fn table_sheet(
    ws: &mut Worksheet,
    batch: &dyn ReportBatch,
    version: FormatVersion,
    table: TableId,
    reports: &[Row<'_>],
    findings: &[Vec<Finding>],
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    // With their catalogue positions, by which a batch hands out a report's cells.
    let (positions, defs): (Vec<usize>, Vec<&CellDef>) = catalogue(version)
        .cells()
        .iter()
        .enumerate()
        .filter(|(_, d)| d.table == table)
        .unzip();
    // Rows are written top to bottom: a sheet in constant-memory mode cannot go back a row.
    ws.set_row_height(0, 48).map_err(xerr)?;
    ws.set_row_height(1, 42).map_err(xerr)?;
    // The cell ids are for programs and formulas, not for print: the row is hidden.
    ws.set_row_hidden(HEADER_ROWS - 1).map_err(xerr)?;
    for (c, w) in [(0u16, 30), (1, 13), (2, 7), (3, 7)] {
        ws.set_column_width(c, w).map_err(xerr)?;
    }
    for (i, m) in WIDE_META_COLUMNS.iter().enumerate() {
        ws.merge_range(0, i as u16, 1, i as u16, m.label(lang), &f.header)
            .map_err(xerr)?;
    }
    let mut i = 0;
    while i < defs.len() {
        let top = top_label(defs[i], lang);
        let n = defs[i..].iter().take_while(|d| top_label(d, lang) == top).count();
        let first = META_COLS + i as u16;
        let last = first + n as u16 - 1;
        if n > 1 {
            ws.merge_range(0, first, 0, last, &top, &f.header).map_err(xerr)?;
        } else {
            ws.write_string_with_format(0, first, &top, &f.header).map_err(xerr)?;
        }
        i += n;
    }
    for (i, def) in defs.iter().enumerate() {
        let c = META_COLS + i as u16;
        let leaf = def.column_leaf().map(|l| l.get(lang)).unwrap_or_default();
        ws.write_string_with_format(1, c, leaf, &f.header).map_err(xerr)?;
        ws.set_column_width(c, if table == TableId::T2 { 14 } else { 11 })
            .map_err(xerr)?;
    }
    for (i, m) in WIDE_META_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, m.name, &f.id).map_err(xerr)?;
    }
    for (i, def) in defs.iter().enumerate() {
        ws.write_string_with_format(2, META_COLS + i as u16, &def.id, &f.id)
            .map_err(xerr)?;
    }

    // Reports that are themselves sums of others (from `xxgk aggregate`), and reports the caller
    // leaves out of the total (a parent, a duplicate), go below the 合计 row and out of its range,
    // so that nothing is counted twice.
    let (members, summed): (Vec<Row<'_>>, Vec<Row<'_>>) = reports
        .iter()
        .partition(|row| row.meta.summed_reports.is_none() && !row.outside);
    let mut acc = Accumulator {
        sums: vec![Some(Num::ZERO); defs.len()],
        units: vec![Vec::new(); defs.len()],
    };
    let columns = Columns {
        defs: &defs,
        positions: &positions,
    };
    for (k, m) in members.iter().enumerate() {
        let cells = batch.cells_by_position(m.index);
        write_report_row(
            ws,
            HEADER_ROWS + k as u32,
            m.meta,
            &cells,
            &failing_cells(findings.get(m.index)),
            columns,
            f,
            lang,
            Some(&mut acc),
        )?;
    }
    let Accumulator { sums, units } = acc;
    let total_row = HEADER_ROWS + members.len() as u32;
    // In the agency column alone, which is the one repeated on every printed page.
    ws.write_string_with_format(total_row, 0, tr(lang, "合计", "Total"), &f.total_label)
        .map_err(xerr)?;
    for c in 1..META_COLS {
        ws.write_blank(total_row, c, &f.total_label).map_err(xerr)?;
    }
    for (i, def) in defs.iter().enumerate() {
        let col = META_COLS + i as u16;
        if units[i].len() > 1 {
            ws.write_string_with_format(
                total_row,
                col,
                tr(lang, "单位不一，未合计", "mixed units, not summed"),
                &f.total_label,
            )
            .map_err(xerr)?;
            continue;
        }
        let name = column_number_to_name(col);
        let mut formula = Formula::new(format!("=SUM({name}{}:{name}{})", HEADER_ROWS + 1, total_row));
        if let Some(sum) = sums[i] {
            formula = formula.set_result(sum.to_string());
        }
        ws.write_formula_with_format(total_row, col, formula, f.total(def.kind))
            .map_err(xerr)?;
    }
    // A labelled block: what follows is shown, not summed.
    if !summed.is_empty() {
        ws.write_string_with_format(
            total_row + 1,
            0,
            tr(
                lang,
                "以下未计入合计：汇总行、本级报告、重复报送或被排除的报告",
                "Not part of the total: sums, the parent, duplicates and excluded reports",
            ),
            &f.title_small,
        )
        .map_err(xerr)?;
    }
    for (k, m) in summed.iter().enumerate() {
        let row = total_row + 2 + k as u32;
        let cells = batch.cells_by_position(m.index);
        let failing = failing_cells(findings.get(m.index));
        write_report_row(ws, row, m.meta, &cells, &failing, columns, f, lang, None)?;
        let note = Note::new(match (m.meta.summed_reports, lang) {
            (Some(n), Lang::Zh) => format!("本行为{n}份报告的汇总，不计入上方合计"),
            (Some(n), Lang::En) => format!("This row sums {n} reports; it is not part of the total above"),
            (None, Lang::Zh) => "本行未计入上方合计（本级报告、重复报送或被排除的报告）".to_string(),
            (None, Lang::En) => "Not part of the total above (a parent, a duplicate or an excluded report)".to_string(),
        })
        .add_author_prefix(false);
        ws.insert_note(row, 0, &note).map_err(xerr)?;
    }
    let last_col = META_COLS + defs.len() as u16 - 1;
    ws.set_freeze_panes(HEADER_ROWS, 1).map_err(xerr)?;
    print_setup(ws);
    // Scaled so that a page shows about twenty data columns beside the agency, repeated on each:
    // 表三's 179 columns print on nine pages across, not sixty.
    let across = u16::try_from(defs.len().div_ceil(COLUMNS_PER_PAGE))
        .unwrap_or(u16::MAX)
        .max(1);
    ws.set_print_fit_to_pages(across, 0);
    ws.set_repeat_rows(0, HEADER_ROWS - 1).map_err(xerr)?;
    ws.set_repeat_columns(0, 0).map_err(xerr)?;
    ws.autofilter(
        HEADER_ROWS - 2,
        0,
        total_row.saturating_sub(1).max(HEADER_ROWS - 1),
        last_col,
    )
    .map_err(xerr)?;
    Ok(())
}

/// The running sums of a table sheet's columns and the units seen in each.
struct Accumulator {
    sums: Vec<Option<Num>>,
    /// The units written in each column's numbers: a column whose header prints no unit (V2019
    /// 采购总金额) may hold 元 in one report and 万元 in another, and those must not be summed.
    units: Vec<Vec<Option<MoneyUnit>>>,
}

/// A report's year as a number, or a blank cell when it is unknown.
fn write_year(ws: &mut Worksheet, row: u32, col: u16, year: Option<u16>, f: &Formats) -> Result<(), ExportError> {
    match year {
        Some(y) => ws.write_number_with_format(row, col, y, &f.count),
        None => ws.write_blank(row, col, &f.count),
    }
    .map_err(xerr)?;
    Ok(())
}

/// Where the year and the agency were found, for the summary sheet (empty when the data stated
/// them in fields of their own).
fn origins_text(m: &Meta, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    if let Some(o) = &m.origins.year {
        parts.push(format!("{}{}", tr(lang, "年度：", "year: "), o.describe(zh)));
    } else if m.year.is_none() {
        parts.push(tr(lang, "年度不明", "year unknown").to_string());
    }
    if let Some(o) = &m.origins.agency {
        parts.push(format!("{}{}", tr(lang, "机关名称：", "agency: "), o.describe(zh)));
    }
    parts.join("\n")
}

/// The cells of a table sheet's columns and their positions in the catalogue.
#[derive(Clone, Copy)]
struct Columns<'a> {
    defs: &'a [&'a CellDef],
    positions: &'a [usize],
}

/// Writes one report's row of a table sheet from its cells by catalogue position; with an
/// accumulator, its numbers count in the 合计.
#[allow(clippy::too_many_arguments)]
fn write_report_row(
    ws: &mut Worksheet,
    row: u32,
    meta: &Meta,
    cells: &[Option<Cow<'_, Cell>>],
    failing: &BTreeMap<&str, Vec<&str>>,
    columns: Columns<'_>,
    f: &Formats,
    lang: Lang,
    mut acc: Option<&mut Accumulator>,
) -> Result<(), ExportError> {
    ws.write_string_with_format(row, 0, &meta.agency, &f.text)
        .map_err(xerr)?;
    ws.write_string_with_format(row, 1, meta.region_code.as_deref().unwrap_or_default(), &f.text)
        .map_err(xerr)?;
    write_year(ws, row, 2, meta.year, f)?;
    ws.write_string_with_format(row, 3, meta.format.code(), &f.text)
        .map_err(xerr)?;
    for (i, (def, &position)) in columns.defs.iter().zip(columns.positions).enumerate() {
        let col = META_COLS + i as u16;
        let cell = cells.get(position).and_then(Option::as_deref).unwrap_or(&Cell::Blank);
        match cell {
            // An amount written in 元 in a 万元 column is not converted: it is kept as text and
            // stays out of the sum, and the rules report it.
            Cell::Number {
                unit: Some(MoneyUnit::Yuan),
                ..
            } if def.kind == ValueKind::MoneyWanYuan => {
                ws.write_string_with_format(row, col, cell.raw_text(), &f.text)
                    .map_err(xerr)?;
            }
            Cell::Number { value, raw, unit, .. } => {
                match exact_f64(*value) {
                    Some(x) => {
                        let format = if failing.contains_key(def.id.as_str()) {
                            &f.failing
                        } else {
                            f.number(def.kind)
                        };
                        ws.write_number_with_format(row, col, x, format).map_err(xerr)?;
                        if let Some(acc) = acc.as_deref_mut() {
                            acc.sums[i] = acc.sums[i].and_then(|s| s.checked_add(*value));
                            // In a 万元 column an unmarked number is in 万元 too.
                            let unit = match (def.kind, unit) {
                                (ValueKind::MoneyWanYuan, None) => Some(MoneyUnit::WanYuan),
                                (_, u) => *u,
                            };
                            if !acc.units[i].contains(&unit) {
                                acc.units[i].push(unit);
                            }
                        }
                    }
                    None => {
                        ws.write_string_with_format(row, col, value.to_string(), &f.text)
                            .map_err(xerr)?;
                    }
                }
                let mut note: Vec<String> = raw
                    .iter()
                    .map(|raw| format!("{}{raw}", tr(lang, "原文：", "As written: ")))
                    .collect();
                if let Some(rules) = failing.get(def.id.as_str()) {
                    note.push(format!(
                        "{}{}",
                        tr(lang, "核对不成立：", "Failed checks: "),
                        rules.join("、")
                    ));
                }
                if !note.is_empty() {
                    let note = Note::new(note.join("\n")).add_author_prefix(false);
                    ws.insert_note(row, col, &note).map_err(xerr)?;
                }
            }
            Cell::Blank => {}
            Cell::Placeholder { raw } | Cell::Text { raw } => {
                ws.write_string_with_format(row, col, raw, &f.text).map_err(xerr)?;
            }
        }
    }
    Ok(())
}

/// The cells of a report that a failed check names, each with the rules that failed there.
fn failing_cells(findings: Option<&Vec<Finding>>) -> BTreeMap<&str, Vec<&str>> {
    let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in findings.into_iter().flatten().filter(|f| f.status == Status::Fail) {
        for c in &f.cells {
            let rules = out.entry(c.id.as_str()).or_default();
            if !rules.contains(&&*f.rule) {
                rules.push(&f.rule);
            }
        }
    }
    out
}

/// Whether a report has a failed check of severity error (the statistics office's “不通过”).
fn summary_sheet(
    ws: &mut Worksheet,
    metas: &[Meta],
    findings: &[Vec<Finding>],
    opts: &Options<'_>,
    f: &Formats,
) -> Result<(), ExportError> {
    let lang = opts.lang;
    ws.set_name(tr(lang, "汇总", "Summary")).map_err(xerr)?;
    ws.write_string_with_format(
        0,
        0,
        tr(
            lang,
            "政府信息公开工作年度报告统计汇总",
            "Annual report statistics: summary",
        ),
        &f.title,
    )
    .map_err(xerr)?;
    // The reports of the batch: not a sum of others (the 合计 rows) and not the parent, which is
    // compared with the sum rather than counted; duplicates and excluded reports are counted, as
    // on the terminal and in `aggregate --json`, and also said apart.
    let exclusion = |i: usize| opts.exclusions.and_then(|e| e.get(i).copied()).flatten();
    let counted: Vec<usize> = (0..metas.len())
        .filter(|&i| metas[i].summed_reports.is_none() && exclusion(i) != Some(Exclusion::Parent))
        .collect();
    let outcomes: Vec<Outcome> = counted
        .iter()
        .map(|&i| Outcome::of(&findings[i], opts.strict))
        .collect();
    let count = |o: Outcome| outcomes.iter().filter(|&&x| x == o).count();
    let excluded_as = |x: Exclusion| counted.iter().filter(|&&i| exclusion(i) == Some(x)).count();
    let facts: [(&str, usize); 8] = [
        (tr(lang, "报告份数", "Reports"), counted.len()),
        (tr(lang, "通过", "Passed"), count(Outcome::Pass)),
        (tr(lang, "未通过", "Failed"), count(Outcome::Fail)),
        (
            tr(lang, "无法读取的文件", "Files that could not be read"),
            opts.unreadable.len(),
        ),
        (
            tr(lang, "部分无法核对", "Partly not assessable"),
            count(Outcome::Partial),
        ),
        (
            tr(lang, "其中重复报送（未计入合计）", "Of which duplicates (not summed)"),
            excluded_as(Exclusion::Duplicate),
        ),
        (
            tr(lang, "其中因不通过未计入合计", "Of which excluded as failing"),
            excluded_as(Exclusion::Failing),
        ),
        (tr(lang, "未读取的文件", "Files not read"), opts.skipped.len()),
    ];
    for (i, (label, n)) in facts.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, *label, &f.header).map_err(xerr)?;
        ws.write_number_with_format(row, 1, *n as f64, &f.count).map_err(xerr)?;
    }
    ws.write_string(
        NOTE_ROW,
        0,
        tr(
            lang,
            "“未通过”指至少一项错误级别的核对不成立；“部分无法核对”指没有核对不成立，但有核对因单元格空白、为占位符或无法读取而无法进行；警告和无法核对的项目见“问题清单”。合计行和本级报告不计入报告份数。",
            "“Failed” means at least one check of severity error does not hold; “partly not assessable” means none failed but some checks could not be made for blank, placeholder or unreadable cells; warnings and checks that could not be made are listed under Findings. Sum rows and the parent's report are not counted as reports.",
        ),
    )
    .map_err(xerr)?;

    let head = [
        tr(lang, "序号", "No."),
        tr(lang, "机关名称", "Agency"),
        tr(lang, "行政区划代码", "Region code"),
        tr(lang, "年度", "Year"),
        tr(lang, "格式", "Format"),
        tr(lang, "结论", "Result"),
        tr(lang, "错误", "Errors"),
        tr(lang, "警告", "Warnings"),
        tr(lang, "无法核对", "Not assessable"),
        tr(lang, "未通过的核对", "Failed checks"),
        tr(lang, "来源", "Source"),
        tr(lang, "年度和机关名称取自", "Year and agency taken from"),
    ];
    let top = NOTE_ROW + 1;
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)
            .map_err(xerr)?;
    }
    for (k, (m, fs)) in metas.iter().zip(findings).enumerate() {
        let row = top + 1 + k as u32;
        let counts = xxgk_model::output::Counts::of(fs);
        ws.write_number_with_format(row, 0, (k + 1) as f64, &f.count)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 1, &m.agency, &f.text).map_err(xerr)?;
        ws.write_string_with_format(row, 2, m.region_code.as_deref().unwrap_or_default(), &f.text)
            .map_err(xerr)?;
        write_year(ws, row, 3, m.year, f)?;
        ws.write_string_with_format(row, 4, m.format.code(), &f.text)
            .map_err(xerr)?;
        let verdict = match Outcome::of(fs, opts.strict) {
            Outcome::Fail => tr(lang, "未通过", "failed").to_string(),
            Outcome::Partial => {
                let n = Outcome::unassessed(fs);
                match lang {
                    Lang::Zh => format!("部分无法核对（{n} 项）"),
                    Lang::En => format!("partly not assessable ({n})"),
                }
            }
            _ => tr(lang, "通过", "passed").to_string(),
        };
        ws.write_string_with_format(row, 5, &verdict, &f.text).map_err(xerr)?;
        ws.write_number_with_format(row, 6, counts.errors as f64, &f.count)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 7, counts.warnings as f64, &f.count)
            .map_err(xerr)?;
        ws.write_number_with_format(row, 8, counts.not_assessable as f64, &f.count)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 9, failed_rules(fs, lang), &f.wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 10, m.source.as_deref().unwrap_or_default(), &f.wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 11, origins_text(m, lang), &f.wrap)
            .map_err(xerr)?;
    }
    let last = top + metas.len() as u32;
    ws.autofilter(top, 0, last, head.len() as u16 - 1).map_err(xerr)?;
    ws.set_freeze_panes(top + 1, 0).map_err(xerr)?;
    print_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    for (c, w) in [
        (0u16, 14),
        (1, 30),
        (2, 13),
        (3, 7),
        (4, 7),
        (5, 8),
        (6, 7),
        (7, 7),
        (8, 9),
        (9, 70),
        (10, 40),
        (11, 30),
    ] {
        ws.set_column_width(c, w).map_err(xerr)?;
    }

    let row = file_list(
        ws,
        last + 3,
        tr(lang, "无法读取的文件", "Files that could not be read"),
        opts.unreadable,
        lang,
        f,
    )?;
    if !opts.skipped.is_empty() {
        file_list(
            ws,
            row + 2,
            tr(lang, "未读取的文件", "Files not read"),
            opts.skipped,
            lang,
            f,
        )?;
    }
    Ok(())
}

/// A titled list of files with a reason each, from `row`; returns its last row.
fn file_list(
    ws: &mut Worksheet,
    mut row: u32,
    title: &str,
    files: &[(String, String)],
    lang: Lang,
    f: &Formats,
) -> Result<u32, ExportError> {
    ws.write_string_with_format(row, 0, title, &f.title).map_err(xerr)?;
    row += 1;
    if files.is_empty() {
        ws.write_string(row, 0, tr(lang, "无", "none")).map_err(xerr)?;
        return Ok(row);
    }
    ws.write_string_with_format(row, 0, tr(lang, "文件", "File"), &f.header)
        .map_err(xerr)?;
    ws.merge_range(row, 1, row, 9, tr(lang, "原因", "Reason"), &f.header)
        .map_err(xerr)?;
    for (file, reason) in files {
        row += 1;
        ws.write_string_with_format(row, 0, file, &f.text).map_err(xerr)?;
        ws.merge_range(row, 1, row, 9, "", &f.wrap).map_err(xerr)?;
        ws.write_string_with_format(row, 1, reason, &f.wrap).map_err(xerr)?;
    }
    Ok(row)
}

/// `T3-BAL 表三勾稽关系（2处）；T4-SUM …`: the failed checks of a report by rule.
fn failed_rules(findings: &[Finding], lang: Lang) -> String {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for x in findings.iter().filter(|x| x.status == Status::Fail) {
        *by_rule.entry(&*x.rule).or_default() += 1;
    }
    by_rule
        .into_iter()
        .map(|(id, n)| {
            let title = rule(id).map(|r| r.title.get(lang)).unwrap_or_default();
            match lang {
                Lang::Zh => format!("{id} {title}（{n}处）"),
                Lang::En => format!("{id} {title} ({n})"),
            }
        })
        .collect::<Vec<_>>()
        .join(tr(lang, "；", "; "))
}

fn findings_sheet(
    ws: &mut Worksheet,
    metas: &[Meta],
    findings: &[Vec<Finding>],
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    ws.set_name(tr(lang, "问题清单", "Findings")).map_err(xerr)?;
    let head = [
        (tr(lang, "序号", "No."), 6),
        (tr(lang, "机关名称", "Agency"), 26),
        (tr(lang, "年度", "Year"), 7),
        (tr(lang, "规则", "Rule"), 14),
        (tr(lang, "严重程度", "Severity"), 9),
        (tr(lang, "结论", "Status"), 10),
        (tr(lang, "表", "Table"), 7),
        (tr(lang, "核对对象", "Subject"), 24),
        (tr(lang, "单元格", "Cells"), 34),
        (tr(lang, "来源位置", "Source location"), 16),
        (tr(lang, "数值", "Values"), 40),
        (tr(lang, "应为", "Expected"), 20),
        (tr(lang, "实际", "Found"), 20),
        (tr(lang, "说明", "Message"), 60),
    ];
    for (c, (h, w)) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header).map_err(xerr)?;
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let mut row = 0u32;
    for (k, (m, fs)) in metas.iter().zip(findings).enumerate() {
        let cat = catalogue(m.format);
        for x in fs.iter().filter(|x| x.status != Status::Pass) {
            row += 1;
            let cells: Vec<&str> = x.cells.iter().map(|c| c.id.as_str()).collect();
            let places: Vec<String> = x
                .cells
                .iter()
                .map(|c| c.location.as_ref().map(|l| l.display(lang)).unwrap_or_default())
                .collect();
            let values: Vec<String> = x
                .cells
                .iter()
                .map(|c| {
                    let name = cat
                        .cell(c.id.as_str())
                        .map(|d| d.short_label(lang))
                        .unwrap_or_else(|| c.id.to_string());
                    format!("{name} = {}", c.value_text(lang))
                })
                .collect();
            let texts = [
                x.rule.to_string(),
                x.severity.name(lang).to_string(),
                x.status.name(lang).to_string(),
                x.table.map(|t| t.name(lang).to_string()).unwrap_or_default(),
                x.subject_label().unwrap_or_default().into_owned(),
                cells.join("\n"),
                places.join("\n"),
                values.join("\n"),
                x.expected.as_ref().map(ToString::to_string).unwrap_or_default(),
                x.found.as_ref().map(ToString::to_string).unwrap_or_default(),
                x.text(lang).into_owned(),
            ];
            ws.write_number_with_format(row, 0, (k + 1) as f64, &f.count)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 1, &m.agency, &f.wrap).map_err(xerr)?;
            write_year(ws, row, 2, m.year, f)?;
            for (i, t) in texts.iter().enumerate() {
                ws.write_string_with_format(row, 3 + i as u16, t, &f.wrap)
                    .map_err(xerr)?;
            }
        }
    }
    ws.autofilter(0, 0, row, head.len() as u16 - 1).map_err(xerr)?;
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    print_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xerr)?;
    Ok(())
}

inventory::submit! {
    ExporterEntry {
        name: "xlsx-stats",
        extension: "xlsx",
        description: Label {
            zh: "统计工作簿（xlsx）：每表一张工作表、每份报告一行，带合计行、问题清单和汇总",
            en: "Statistics workbook (xlsx): a sheet per table, a row per report, totals, findings and a summary",
        },
        many: true,
        exporter: &XlsxStats,
    }
}
