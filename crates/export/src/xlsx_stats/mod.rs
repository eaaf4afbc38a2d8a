//! `xlsx-stats`: a statistics workbook for many reports at once, for the statistics office or
//! 政务公开办 that collects them.
//!
//! * `汇总` (summary): how many reports, how many pass, which fail and why, the inputs that could
//!   not be read.
//! * one sheet per table (`表二`, `表三`, `表四`; with reports of both format versions in the batch,
//!   one set per version, named `表二（2021格式）` …): one row per report (机关名称, 行政区划代码,
//!   年度, 格式), one column per cell under two header rows of official labels (the row label
//!   merged over its columns, then the column's own label) and a third header row of cell ids
//!   (表三 also has the columns of each group some report prints as one row, after the form's),
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
use std::collections::BTreeMap;
use std::io::Write;
use xxgk_model::aggregation::Exclusion;
use xxgk_model::interchange::WIDE_META_COLUMNS;
use xxgk_model::output::Outcome;
use xxgk_model::{
    Cell, CellAt, CellDef, CheckOptions, Finding, FormatVersion, Label, Lang, Meta, MoneyUnit, Num, Report, Status,
    TableId, ValueKind, catalogue, check, rule,
};

mod findings;
mod format_run;
mod roster_sheet;
mod summary;
mod tables;

use findings::*;
use format_run::FormatRun;
use summary::*;
use tables::*;

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
        let mut jobs: Vec<SheetJob<'_>> = vec![SheetJob::light(move |ws| summary_sheet(ws, metas, findings, opts, f))];
        if let Some(check) = opts.roster {
            jobs.push(SheetJob::light(move |ws| roster_sheet::write(ws, check, f, lang)));
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
                let write = move |ws: &mut Worksheet| {
                    ws.set_name(name).map_err(xerr)?;
                    table_sheet(ws, batch, v, t, &rows, findings, f, lang)
                };
                jobs.push(match t {
                    TableId::T3 => SheetJob::heavy(write),
                    _ => SheetJob::light(write),
                });
            }
        }
        jobs.push(SheetJob::light(move |ws| findings_sheet(ws, metas, findings, f, lang)));

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

        save(&mut wb, out, large)
    }
}

/// Writes the workbook out. A large batch's file (19 MB for 20,000 reports) is assembled in an
/// unnamed temporary file and copied out, not in a buffer in memory that grows by doubling.
#[cfg(feature = "constant-memory")]
fn save(wb: &mut Workbook, out: &mut dyn Write, large: bool) -> Result<(), ExportError> {
    use std::io::{Seek, SeekFrom};
    if large && let Ok(file) = tempfile::tempfile() {
        let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
        // Every file written here is a temporary one: a failure to write says so.
        let temp_file = |e: XlsxError| match e {
            XlsxError::IoError(_) | XlsxError::ZipError(_) => ExportError::TempFiles { detail: e.to_string() },
            other => xerr(other),
        };
        guarded(|| wb.save_to_writer(&mut file).map_err(temp_file))?;
        let mut file = file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut file, out)?;
        return Ok(());
    }
    // Without a temporary file of its own, a large batch's sheets are still read back from
    // rust_xlsxwriter's: a failure there is an error too, not a panic.
    let bytes = guarded(|| wb.save_to_buffer().map_err(xerr))?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Without the `constant-memory` feature the library writes no file: the workbook is assembled in
/// memory.
#[cfg(not(feature = "constant-memory"))]
fn save(wb: &mut Workbook, out: &mut dyn Write, _large: bool) -> Result<(), ExportError> {
    out.write_all(&wb.save_to_buffer().map_err(xerr)?)?;
    Ok(())
}

thread_local! {
    static WRITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is writing a statistics workbook through [`guarded`], where a panic of the
/// writing library becomes an error: a program's panic hook can keep quiet about it.
pub fn in_guarded_writer() -> bool {
    WRITING.with(std::cell::Cell::get)
}

/// Runs `f`, turning a panic into an error. With temporary files (a batch of over
/// [`IN_MEMORY_REPORTS`] reports) rust_xlsxwriter panics when one cannot be written, as on a full
/// disk (its message starts “Couldn't write”); any other panic is told as what it is. (A web
/// page's build, without threads or temporary files, has no use for it.)
#[cfg(any(feature = "threads", feature = "constant-memory"))]
fn guarded<T>(f: impl FnOnce() -> Result<T, ExportError>) -> Result<T, ExportError> {
    let before = WRITING.with(|w| w.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    WRITING.with(|w| w.set(before));
    result.unwrap_or_else(|payload| {
        let detail = xxgk_model::panic_text(payload.as_ref());
        Err(if detail.starts_with("Couldn't write") {
            ExportError::TempFiles { detail }
        } else {
            ExportError::Format {
                format: "xlsx",
                message: detail,
            }
        })
    })
}

/// Batches of up to this many reports are written in memory even with the `constant-memory`
/// feature: their file is then, byte for byte, the one a build without the feature writes (the
/// web page), and a few thousand reports fit in memory easily.
pub(crate) const IN_MEMORY_REPORTS: usize = 2_000;

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

/// What writes one sheet, and whether it is one of the long ones: table 3's sheet has about 220
/// cells a report, two thirds of the writing, the others a few dozen.
struct SheetJob<'s> {
    // Written in turn without threads, where the order does not matter.
    #[cfg_attr(not(feature = "threads"), expect(dead_code))]
    heavy: bool,
    write: Box<WriteSheet<'s>>,
}

/// Writes a sheet's rows.
type WriteSheet<'s> = dyn FnOnce(&mut Worksheet) -> Result<(), ExportError> + Send + 's;

impl<'s> SheetJob<'s> {
    fn light(write: impl FnOnce(&mut Worksheet) -> Result<(), ExportError> + Send + 's) -> Self {
        SheetJob {
            heavy: false,
            write: Box::new(write),
        }
    }

    fn heavy(write: impl FnOnce(&mut Worksheet) -> Result<(), ExportError> + Send + 's) -> Self {
        SheetJob {
            heavy: true,
            write: Box::new(write),
        }
    }
}

/// Writes the sheets on as many threads as there are cores (feature `threads`), the long ones
/// first. A thread per sheet shared the cores evenly, so table 3's sheet, two thirds of the
/// work, got a fraction of a core until the short ones were done and finished last, alone.
#[cfg(feature = "threads")]
fn run_jobs(sheets: Vec<Worksheet>, jobs: Vec<SheetJob<'_>>) -> Result<Vec<Worksheet>, ExportError> {
    let count = jobs.len();
    let mut queue: Vec<(usize, Worksheet, SheetJob<'_>)> = sheets
        .into_iter()
        .zip(jobs)
        .enumerate()
        .map(|(i, (ws, job))| (i, ws, job))
        .collect();
    // Taken from the end: the heavy ones last in the queue, in their order.
    queue.sort_by_key(|(i, _, job)| (job.heavy, std::cmp::Reverse(*i)));
    let queue = std::sync::Mutex::new(queue);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, count.max(1));
    let mut written: Vec<(usize, Result<Worksheet, ExportError>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        // The lock is held only to take a job (a statement of its own, so that the
                        // guard is dropped before the job runs), and no job's panic can poison it.
                        let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                        let Some((i, mut ws, job)) = next else { break };
                        let written = guarded(|| (job.write)(&mut ws));
                        done.push((i, written.map(|()| ws)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    written.sort_by_key(|(i, _)| *i);
    written.into_iter().map(|(_, ws)| ws).collect()
}

/// Without threads (a web page's WebAssembly), the sheets are written one after the other: the
/// same file.
#[cfg(not(feature = "threads"))]
fn run_jobs(sheets: Vec<Worksheet>, jobs: Vec<SheetJob<'_>>) -> Result<Vec<Worksheet>, ExportError> {
    sheets
        .into_iter()
        .zip(jobs)
        .map(|(mut ws, job)| (job.write)(&mut ws).map(|()| ws))
        .collect()
}

/// A4 landscape (paper size 9), as statistics offices print.
fn print_setup(ws: &mut Worksheet) {
    ws.set_paper_size(9).set_landscape();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs naming their sheet `s0`, `s1`, …; every third is heavy, and job `fail` fails.
    fn jobs(n: usize, fail: Option<usize>) -> Vec<SheetJob<'static>> {
        (0..n)
            .map(|i| {
                let write = move |ws: &mut Worksheet| {
                    if fail == Some(i) {
                        return Err(xerr(XlsxError::ParameterError(format!("job {i}"))));
                    }
                    ws.set_name(format!("s{i}")).map_err(xerr)?;
                    Ok(())
                };
                if i % 3 == 1 {
                    SheetJob::heavy(write)
                } else {
                    SheetJob::light(write)
                }
            })
            .collect()
    }

    #[test]
    fn sheets_come_back_in_their_order_whichever_thread_wrote_them() {
        for n in [1, 2, 7, 12] {
            let sheets = (0..n).map(|_| Worksheet::new()).collect();
            let written = run_jobs(sheets, jobs(n, None)).expect("written");
            let names: Vec<String> = written.iter().map(|ws| ws.name()).collect();
            assert_eq!(names, (0..n).map(|i| format!("s{i}")).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_sheet_whose_writer_panics_fails_the_workbook_with_an_error() {
        let sheets = (0..3).map(|_| Worksheet::new()).collect();
        let mut jobs = jobs(2, None);
        jobs.push(SheetJob::heavy(|_: &mut Worksheet| -> Result<(), ExportError> {
            assert!(in_guarded_writer());
            panic!("Couldn't write to xml file: No space left on device")
        }));
        let err = run_jobs(sheets, jobs).err().expect("an error, not a panic");
        assert!(
            matches!(&err, ExportError::TempFiles { detail } if detail.contains("No space left")),
            "{err}"
        );
        assert!(err.text().zh.contains("TMPDIR") && err.text().en.contains("TMPDIR"));
        assert!(!in_guarded_writer());
        // Any other panic is not blamed on the disk.
        let sheets = vec![Worksheet::new()];
        let jobs = vec![SheetJob::light(|_: &mut Worksheet| -> Result<(), ExportError> {
            panic!("index out of bounds")
        })];
        let err = run_jobs(sheets, jobs).err().expect("an error, not a panic");
        assert!(
            matches!(&err, ExportError::Format { message, .. } if message.contains("index out of bounds")),
            "{err}"
        );
    }

    #[test]
    fn a_sheet_that_fails_fails_the_workbook() {
        let sheets = (0..7).map(|_| Worksheet::new()).collect();
        let err = run_jobs(sheets, jobs(7, Some(4))).err().expect("an error");
        assert!(err.to_string().contains("job 4"), "{err}");
    }
}
