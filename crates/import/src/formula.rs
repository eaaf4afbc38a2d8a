//! Formulas whose results were not stored.
//!
//! Excel, WPS and LibreOffice store the result of every formula beside its text, and the
//! spreadsheet reader uses that stored result. Files written by scripts (openpyxl, pandas) and
//! by some converters and online tools store the formula alone: the cell would read blank. Such
//! cells are computed here, from the cells read, for the forms that the standard template and
//! the usual local templates hold:
//!
//! - `SUM` over cells and ranges (several arguments, `$B$3`, `'表三'!B3:B9`, `表三!B3`),
//!   `COUNT`, `IF`, `ROUND`; `+`, `-`, `*`, unary signs, `%`, comparisons, parentheses;
//! - the OpenDocument spelling (`of:=SUM([.B3:.B5];[$表三.B7])`).
//!
//! Arithmetic is exact (decimal, as the model keeps numbers). A formula that refers to another
//! formula without a result computes that one first; a cycle, a nesting or chain deeper than
//! [`MAX_DEPTH`], or a workbook whose formulas would visit more than [`MAX_VISITS`] cells is not
//! computed.
//!
//! Values are never guessed. Where Excel would quietly turn a blank or a text into 0, the
//! formula is not computed and says why: an operand that is a blank cell, a text or a
//! placeholder (`B3+C3` with C3 blank), a `SUM` in which no cell holds a number, a cell holding
//! text in a `SUM` range (Excel leaves `"12"` typed as text out of the sum), an error value, a
//! function or name this evaluator does not know. Blanks and placeholders inside a `SUM` range
//! are left out, as Excel does. A cell that is not computed stays unread and a finding
//! ([`UNCOMPUTED_RULE`]) names it; a computed cell is named by an information finding
//! ([`COMPUTED_RULE`]), so the user sees where a number came from.
//!
//! Performance: the common workbook stores every result, and costs nothing here: the reader
//! notes only the formulas of cells without a value ([`Pending`]), and the cells are read a
//! second time, with their types, only when there is one.
//!
//! Why not a formula-engine crate: the candidates on crates.io either compute in binary floats
//! (`xlformula_engine`: `f32`, last release 2023; `ironcalc`: `f64`, a whole spreadsheet engine
//! that loads the file itself) or bring a columnar engine with a large dependency tree
//! (`formualizer`, Arrow-backed, many 0.x releases a year). The totals of the form are sums
//! that must be exact (money has four decimals) and must refuse a blank instead of taking it as
//! 0, which none of them does; the forms to support are few.

use crate::ImportError;
use crate::grid::{Grid, a1};
use crate::values::number_from_f64;
use calamine::{Data, DataRef, Ods, Reader, Xlsx, XlsxFormulaMetadata};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashMap;
use std::io::Cursor;
use xxgk_model::catalogue::catalogue;
use xxgk_model::{CellRef, Finding, Severity, Status, Text};

/// Rule id of the finding on a formula cell whose result was not stored and cannot be computed.
pub const UNCOMPUTED_RULE: &str = "IMPORT-FORMULA";
/// Rule id of the information finding on a formula cell whose result was computed on import.
pub const COMPUTED_RULE: &str = "IMPORT-FORMULA-COMPUTED";
/// Rule id of the warning on a formula whose stored result disagrees with the formula in a
/// workbook that asks to be recalculated when opened: the computed value is used.
pub const STALE_RULE: &str = "IMPORT-FORMULA-STALE";

/// Longest formula text evaluated (Excel's own limit is 8,192 characters).
const MAX_FORMULA_CHARS: usize = 8_192;
/// Deepest recursion: nested parentheses and calls, plus formulas referring to formulas.
pub const MAX_DEPTH: usize = 128;
/// Most cells visited while computing the formulas of one workbook.
pub const MAX_VISITS: usize = 2_000_000;
/// Most formulas without a result computed in one sheet; the others are reported as too many.
const MAX_FORMULAS: usize = 200_000;

// ───────────────────────────── The cells of a workbook ─────────────────────────────

/// A cell's content as stored, with its type: what a formula sees.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored {
    /// A number.
    Number(Decimal),
    /// A text (including a number typed as text).
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value (`#DIV/0!`).
    Error(String),
}

/// A formula without a stored result: its text and where that text was written (a shared
/// formula is written once, at its first cell, and applies to others shifted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// The formula, with or without its leading `=` or `of:=`.
    pub text: String,
    /// The cell the text was written for; relative references move with the distance to it.
    pub origin: (u32, u32),
}

/// One sheet: its stored cells and its formulas without a result.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// Non-empty stored cells by (row, column), 0-based.
    pub values: FxHashMap<(u32, u32), Stored>,
    /// Formulas without a stored result by (row, column); in a workbook that asks to be
    /// recalculated when opened, every formula (see [`Sheet::stored_results`]).
    pub formulas: FxHashMap<(u32, u32), Pending>,
    /// The stored numeric results of formulas in [`Sheet::formulas`] that are recomputed to check
    /// them: a workbook marked `fullCalcOnLoad` (XlsxWriter, openpyxl) may store 0 for all.
    pub stored_results: FxHashMap<(u32, u32), Decimal>,
}

impl Sheet {
    /// An empty sheet named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Sheet {
            name: name.into(),
            ..Default::default()
        }
    }
}

/// What a formula cell turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Computed {
    /// A number.
    Number(Decimal),
    /// An empty text (the template's `IF(COUNT(…)=0,"",…)`): the cell shows nothing.
    Blank,
    /// A text.
    Text(String),
}

impl Computed {
    /// The cell's text as the spreadsheet would show it ("" for a blank).
    pub fn text(&self) -> String {
        match self {
            Computed::Number(d) => number_text(*d),
            Computed::Blank => String::new(),
            Computed::Text(t) => t.clone(),
        }
    }
}

/// Why a formula was not computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The text is not a formula this evaluator reads (syntax, operator, reference form).
    Syntax(String),
    /// A function it does not know.
    Function(String),
    /// A defined name or other reference it does not resolve.
    Name(String),
    /// A sheet named in a reference that the workbook does not have.
    Sheet(String),
    /// An error value in the formula or in a cell it uses.
    ErrorValue(String, Option<String>),
    /// An operand is a blank cell (Excel would take it as 0).
    Blank(String),
    /// An operand is a text or placeholder where a number is needed.
    Text(String, String),
    /// A `SUM` in which no cell holds a number.
    NoNumber,
    /// A cell it uses holds a formula that could not be computed either.
    Depends(String),
    /// The formula refers to itself, directly or through others.
    Cycle(String),
    /// Nested or chained deeper than the limit, or too many cells visited.
    TooLarge,
    /// A number beyond the exact range.
    Overflow,
}

impl Why {
    /// The reason in Chinese and English.
    pub fn describe(&self) -> (String, String) {
        match self {
            Why::Syntax(s) => (
                format!("无法解析公式（{s}）"),
                format!("the formula cannot be parsed ({s})"),
            ),
            Why::Function(f) => (format!("不支持函数 {f}"), format!("the function {f} is not supported")),
            Why::Name(n) => (
                format!("无法解析名称“{n}”"),
                format!("the name “{n}” cannot be resolved"),
            ),
            Why::Sheet(s) => (
                format!("引用的工作表“{s}”不存在"),
                format!("the sheet “{s}” it refers to does not exist"),
            ),
            Why::ErrorValue(e, None) => (
                format!("公式中有错误值 {e}"),
                format!("the formula holds the error value {e}"),
            ),
            Why::ErrorValue(e, Some(at)) => (
                format!("引用的单元格 {at} 是错误值 {e}"),
                format!("the cell {at} it uses holds the error value {e}"),
            ),
            Why::Blank(at) => (
                format!("引用的单元格 {at} 是空白（空白不当作 0）"),
                format!("the cell {at} it uses is blank (a blank is not taken as 0)"),
            ),
            Why::Text(at, t) => (
                format!("引用的单元格 {at} 是文字“{t}”，不是数值"),
                format!("the cell {at} it uses holds the text “{t}”, not a number"),
            ),
            Why::NoNumber => (
                "求和的单元格中没有任何数值（不当作 0）".to_string(),
                "no cell of the sum holds a number (not taken as 0)".to_string(),
            ),
            Why::Depends(at) => (
                format!("引用的单元格 {at} 的公式也无法计算"),
                format!("the formula of the cell {at} it uses cannot be computed either"),
            ),
            Why::Cycle(at) => (
                format!("公式循环引用（经过 {at}）"),
                format!("the formula refers to itself (through {at})"),
            ),
            Why::TooLarge => (
                "公式嵌套或引用链过深、或引用的单元格过多".to_string(),
                "the formula nests or chains too deep, or uses too many cells".to_string(),
            ),
            Why::Overflow => (
                "计算结果超出数值范围".to_string(),
                "the result is out of range".to_string(),
            ),
        }
    }
}

/// The outcome for one formula cell without a stored result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The sheet's name.
    pub sheet: String,
    /// Row, 0-based.
    pub row: u32,
    /// Column, 0-based.
    pub col: u32,
    /// The formula as written (for a shared formula, as written at its first cell).
    pub formula: String,
    /// For a shared formula written at another cell, that cell (`J6`): its relative references
    /// move by the distance between the two.
    pub shared_from: Option<String>,
    /// The value, or why there is none.
    pub result: Result<Computed, Why>,
    /// The result stored in the file, for a formula recomputed to check it.
    pub stored: Option<Decimal>,
}

impl Outcome {
    /// Whether a stored result was checked and the formula gives another number.
    /// A difference a binary float could make (Excel's `0.1+0.2`) is not one.
    pub fn is_stale(&self) -> bool {
        match (&self.result, self.stored) {
            (Ok(Computed::Number(n)), Some(s)) => {
                let tolerance = Decimal::new(1, 9) * n.abs().max(Decimal::ONE);
                (*n - s).abs() > tolerance
            }
            _ => false,
        }
    }

    /// `表三!I5`.
    pub fn place(&self) -> String {
        format!("{}!{}", self.sheet, a1(self.row, self.col))
    }
}

/// Computes every formula without a stored result in `sheets`, in sheet and cell order.
pub fn compute(sheets: &[Sheet]) -> Vec<Outcome> {
    compute_within(sheets, MAX_VISITS)
}

/// [`compute`] visiting at most `max_visits` cells.
fn compute_within(sheets: &[Sheet], max_visits: usize) -> Vec<Outcome> {
    // Room for every formula's result at once, up to a bound a hostile count cannot push.
    let formulas: usize = sheets.iter().map(|s| s.formulas.len()).sum();
    let mut eval = Evaluator {
        sheets,
        memo: FxHashMap::with_capacity_and_hasher(formulas.min(1 << 16), Default::default()),
        visits: 0,
        max_visits,
    };
    let mut out = Vec::new();
    for (si, sheet) in sheets.iter().enumerate() {
        // The positions themselves, not references to them: sorting compares them in place.
        let mut cells: Vec<(u32, u32)> = sheet.formulas.keys().copied().collect();
        cells.sort_unstable();
        for (i, (row, col)) in cells.into_iter().enumerate() {
            // Beyond the limit, a formula is reported as not computed rather than left out.
            let result = if i < MAX_FORMULAS {
                eval.cell_formula(si, row, col, 0)
            } else {
                Err(Why::TooLarge)
            };
            let pending = sheet.formulas.get(&(row, col));
            let formula = pending.map(|p| display_formula(&p.text)).unwrap_or_default();
            let shared_from = pending
                .filter(|p| p.origin != (row, col))
                .map(|p| a1(p.origin.0, p.origin.1));
            out.push(Outcome {
                sheet: sheet.name.clone(),
                row,
                col,
                formula,
                shared_from,
                result,
                stored: sheet.stored_results.get(&(row, col)).copied(),
            });
        }
    }
    out
}

/// Writes the computed values into the grids (one per sheet, in the same order as `sheets`).
pub fn fill(grids: &mut [Grid], outcomes: &[Outcome]) {
    for o in outcomes.iter().filter(|o| o.stored.is_none() || o.is_stale()) {
        if let Ok(v) = &o.result
            && let Some(g) = grids.iter_mut().find(|g| g.name() == o.sheet)
        {
            g.set(o.row, o.col, v.text(), None);
        }
    }
}

/// The findings on the report's cells that hold formulas without a stored result: computed
/// (information) or not (an error that names the cell and why). Cells outside the report's
/// tables (check columns, notes) are not reported.
pub fn findings(imported: &crate::Imported, outcomes: &[Outcome]) -> Vec<Finding> {
    if outcomes.is_empty() {
        return Vec::new();
    }
    let places: Vec<String> = outcomes.iter().map(|o| a1(o.row, o.col)).collect();
    let by_place: FxHashMap<(&str, &str), &Outcome> = outcomes
        .iter()
        .zip(&places)
        .map(|(o, place)| ((o.sheet.as_str(), place.as_str()), o))
        .collect();
    let report = &imported.report;
    let mut out = Vec::new();
    for def in catalogue(report.meta.format).cells() {
        let Some(loc) = imported.sources.get(&def.id) else {
            continue;
        };
        let (Some(sheet), Some(cell)) = (loc.sheet.as_deref(), loc.cell.as_ref()) else {
            continue;
        };
        let Some(o) = by_place.get(&(sheet, cell.as_str())) else {
            continue;
        };
        if o.stored.is_some() && !o.is_stale() {
            // A stored result that the formula confirms, or cannot check: used as stored.
            continue;
        }
        let mut r = CellRef::of(report, &def.id);
        r.location = Some(loc.clone().into());
        let place = o.place();
        let (shared_zh, shared_en) = o.shared_from.as_ref().map_or_else(Default::default, |from| {
            (
                format!("（写于 {from} 的共享公式，相对引用随位置移动）"),
                format!(" (a shared formula written at {from}; relative references move with the cell)"),
            )
        });
        let (severity, status, rule, zh, en) = match &o.result {
            Ok(v) if o.is_stale() => {
                let stored = number_text(o.stored.unwrap_or_default());
                let v = v.text();
                (
                    Severity::Warning,
                    Status::Fail,
                    STALE_RULE,
                    format!(
                        "{place} 保存的计算结果是 {stored}，但工作簿要求打开时重新计算，按公式 ={}{shared_zh} 由所读单元格算出 {v}，采用 {v}（Excel/WPS 打开时显示的值）",
                        o.formula
                    ),
                    format!(
                        "{place}: the stored result is {stored}, but the workbook asks to be recalculated when opened; the formula ={}{shared_en} gives {v} from the cells read, and {v} is used (what Excel/WPS show)",
                        o.formula
                    ),
                )
            }
            Ok(v) => {
                let (shown_zh, shown_en) = match v {
                    Computed::Blank => ("空白".to_string(), "blank".to_string()),
                    other => (other.text(), other.text()),
                };
                (
                    Severity::Info,
                    Status::Pass,
                    COMPUTED_RULE,
                    format!(
                        "{place} 的公式 ={}{shared_zh} 没有保存计算结果，已按公式由所读单元格算出：{shown_zh}",
                        o.formula
                    ),
                    format!(
                        "{place}: the formula ={}{shared_en} had no stored result; computed from the cells read: {shown_en}",
                        o.formula
                    ),
                )
            }
            Err(why) => {
                let (wz, we) = why.describe();
                (
                    Severity::Error,
                    Status::Fail,
                    UNCOMPUTED_RULE,
                    format!(
                        "公式未计算，请用 Excel/WPS 打开并保存：{place} 的公式 ={}{shared_zh} 没有保存计算结果，且无法计算：{wz}；该单元格未读取",
                        o.formula
                    ),
                    format!(
                        "formula not calculated, open the file in Excel/WPS and save it: {place}: the formula ={}{shared_en} has no stored result and cannot be computed: {we}; the cell was not read",
                        o.formula
                    ),
                )
            }
        };
        out.push(Finding {
            rule: rule.into(),
            severity,
            status,
            table: Some(def.table),
            subject: Some(xxgk_model::Subject::Cell(def)),
            cells: vec![r],
            expected: None,
            found: Some(
                o.result
                    .as_ref()
                    .map_or_else(|_| format!("={}", o.formula), Computed::text)
                    .into(),
            ),
            message: Text::new(zh, en).into(),
        });
    }
    out
}

/// The formula without its `=` or `of:=`, as people write it.
fn display_formula(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_prefix("of:").unwrap_or(t);
    t.strip_prefix('=').unwrap_or(t).to_string()
}

/// The shortest text of an exact number (`12`, `103.3879`).
fn number_text(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() { "0".to_string() } else { n.to_string() }
}

// ───────────────────────────── Collecting them from the readers ─────────────────────────────

/// The formulas of one xlsx sheet that have no stored result, noted while the sheet is streamed.
/// Only these are kept (and the texts of shared formulas, which other cells may use).
#[derive(Debug, Default)]
pub(crate) struct XlsxSheetFormulas {
    /// Shared formulas by index: text and the cell it was written for.
    anchors: FxHashMap<usize, (String, (u32, u32))>,
    /// Cells without a value: their own formula text, or the index of the shared one.
    missing: Vec<((u32, u32), Result<String, usize>)>,
    /// Whether formulas with a stored result are noted too, to check it (see
    /// [`Sheet::stored_results`]).
    check_stored: bool,
    /// Cells with a stored result, noted to check it.
    stored: Vec<((u32, u32), Result<String, usize>)>,
    /// The sheet's stored values, when it was streamed with its formulas: kept as they are read,
    /// so that computing its formulas does not read the sheet a second time.
    values: Option<FxHashMap<(u32, u32), Stored>>,
}

impl XlsxSheetFormulas {
    /// Formulas of a sheet; `check_stored` notes those with a stored result too.
    pub(crate) fn new(check_stored: bool) -> Self {
        XlsxSheetFormulas {
            check_stored,
            ..Default::default()
        }
    }

    /// Formulas of a sheet streamed with its formulas: every stored value is noted too
    /// ([`XlsxSheetFormulas::value`]), for the formulas to be computed from.
    pub(crate) fn with_values(check_stored: bool) -> Self {
        XlsxSheetFormulas {
            check_stored,
            values: Some(FxHashMap::default()),
            ..Default::default()
        }
    }

    /// Notes a streamed cell's stored value (a sheet made [`XlsxSheetFormulas::with_values`]).
    pub(crate) fn value(&mut self, pos: (u32, u32), v: &DataRef<'_>) {
        if let Some(values) = self.values.as_mut()
            && let Some(stored) = stored_ref(v)
        {
            values.insert(pos, stored);
        }
    }

    /// Notes a streamed cell: `empty` when it has no value.
    pub(crate) fn note(&mut self, pos: (u32, u32), empty: bool, formula: Option<XlsxFormulaMetadata>) {
        let Some(formula) = formula else {
            return;
        };
        let list = if empty {
            &mut self.missing
        } else if self.check_stored {
            &mut self.stored
        } else {
            if let XlsxFormulaMetadata::Shared {
                shared_index, formula, ..
            } = formula
            {
                self.anchors.insert(shared_index, (formula, pos));
            }
            return;
        };
        match formula {
            XlsxFormulaMetadata::Normal { formula } => list.push((pos, Ok(formula))),
            XlsxFormulaMetadata::Shared {
                shared_index, formula, ..
            } => {
                list.push((pos, Ok(formula.clone())));
                self.anchors.insert(shared_index, (formula, pos));
            }
            XlsxFormulaMetadata::SharedDerived { shared_index } => list.push((pos, Err(shared_index))),
            _ => {}
        }
    }

    /// Whether some formula of the sheet has no stored result, or is to be checked.
    pub(crate) fn any(&self) -> bool {
        !self.missing.is_empty() || !self.stored.is_empty()
    }

    /// The formulas without a stored result, and those to check, by cell.
    fn into_pending(self) -> FxHashMap<(u32, u32), Pending> {
        let mut out = FxHashMap::default();
        for (pos, f) in self.missing.into_iter().chain(self.stored) {
            let pending = match f {
                Ok(text) => Pending { text, origin: pos },
                Err(index) => match self.anchors.get(&index) {
                    Some((text, origin)) => Pending {
                        text: text.clone(),
                        origin: *origin,
                    },
                    // A shared formula whose text was never given: not computable.
                    None => Pending {
                        text: String::from("#REF!"),
                        origin: pos,
                    },
                },
            };
            out.insert(pos, pending);
        }
        out
    }
}

/// Whether the XML of an xlsx sheet may hold a formula element at all (`<f …>`, or any `…:f`
/// element, answered true). A scan of the bytes: it may answer true for a sheet without one,
/// never false for a sheet with one.
pub(crate) fn may_hold_formulas(xml: &[u8]) -> bool {
    let tag_end = |b: Option<&u8>| matches!(b, Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'));
    memchr::memchr_iter(b'f', xml).any(|at| at > 0 && matches!(xml[at - 1], b'<' | b':') && tag_end(xml.get(at + 1)))
}

/// Whether the XML of an xlsx sheet may hold a formula without a stored result: a formula
/// element (`<f>…</f>`, `<f …/>`) not followed by a `<v>` with content. A scan of the bytes, not
/// a parse: it may answer true for a sheet without one (then the formulas are read and nothing is
/// computed), never false for a sheet with one. A sheet that writes its elements with a prefix
/// (`<x:f>`) is answered true.
pub(crate) fn may_lack_results(xml: &[u8]) -> bool {
    let tag_end = |b: Option<&u8>| matches!(b, Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n'));
    // One pass over the letter `f`, which is rare in a sheet's XML (formula texts are upper case;
    // UTF-8 text never holds the byte elsewhere than as the letter).
    for at in memchr::memchr_iter(b'f', xml) {
        if at == 0 || !tag_end(xml.get(at + 1)) {
            continue;
        }
        match xml[at - 1] {
            b'<' => {}
            b':' => return true,
            _ => continue,
        }
        let Some(close) = memchr::memchr(b'>', &xml[at..]).map(|p| at + p) else {
            return true;
        };
        let after = if xml[close - 1] == b'/' {
            close + 1
        } else {
            // The text of a formula holds no `<` (it is escaped), so the next tag closes it.
            match memchr::memchr(b'<', &xml[close..]).map(|p| close + p) {
                Some(lt) if xml[lt..].starts_with(b"</f>") => lt + 4,
                _ => return true,
            }
        };
        let rest = &xml[after..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        // `<v>` or `<v …>` with content before the next tag.
        let Some(v) = rest.strip_prefix(b"<v") else {
            return true;
        };
        if !tag_end(v.first()) {
            return true;
        }
        let Some(gt) = memchr::memchr(b'>', v) else {
            return true;
        };
        if (gt > 0 && v[gt - 1] == b'/') || v.get(gt + 1).is_none_or(|&b| b == b'<') {
            return true;
        }
    }
    false
}

/// A stored cell with its type, as a formula sees it.
fn stored_ref(v: &DataRef<'_>) -> Option<Stored> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => Stored::Number(Decimal::from(*i)),
        DataRef::Float(f) => match number_from_f64(*f) {
            Some(n) => Stored::Number(n.decimal()),
            None => Stored::Text(f.to_string()),
        },
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Stored::Text(s.clone()),
        DataRef::SharedString(s) => Stored::Text((*s).to_string()),
        DataRef::Bool(b) => Stored::Bool(*b),
        // A date is a number to Excel, but not a count: a formula over it is not computed.
        DataRef::DateTime(d) => Stored::Text(d.to_string()),
        DataRef::Error(e) => Stored::Error(e.to_string()),
    })
}

fn stored_data(v: &Data) -> Option<Stored> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => Stored::Number(Decimal::from(*i)),
        Data::Float(f) => match number_from_f64(*f) {
            Some(n) => Stored::Number(n.decimal()),
            None => Stored::Text(f.to_string()),
        },
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Stored::Text(s.clone()),
        Data::Bool(b) => Stored::Bool(*b),
        Data::DateTime(d) => Stored::Text(d.to_string()),
        Data::Error(e) => Stored::Error(e.to_string()),
    })
}

/// Computes the formulas without stored results of an xlsx workbook whose sheets were streamed
/// into `grids` (same order as `formulas`), reading every sheet's cells once more with their
/// types, and writes the values into the grids. Nothing is read when no formula lacks a result.
pub(crate) fn complete_xlsx(
    file: &str,
    xlsx: &mut Xlsx<Cursor<&[u8]>>,
    grids: &mut [Grid],
    formulas: Vec<XlsxSheetFormulas>,
) -> Result<Vec<Outcome>, ImportError> {
    if !formulas.iter().any(XlsxSheetFormulas::any) {
        return Ok(Vec::new());
    }
    let mut sheets = Vec::new();
    for (g, mut f) in grids.iter().zip(formulas) {
        let mut sheet = Sheet::new(g.name());
        if let Some(values) = f.values.take() {
            // Noted as the sheet was streamed.
            sheet.values = values;
        } else {
            let mut reader = xlsx
                .worksheet_cells_reader(g.name())
                .map_err(|e| sheet_error(file, g.name(), &e.to_string()))?;
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| sheet_error(file, g.name(), &e.to_string()))?
            {
                if let Some(v) = stored_ref(cell.get_value()) {
                    sheet.values.insert(cell.get_position(), v);
                }
            }
        }
        let checked: Vec<(u32, u32)> = f.stored.iter().map(|(pos, _)| *pos).collect();
        sheet.formulas = f.into_pending();
        for pos in checked {
            match sheet.values.get(&pos) {
                // A stored number is checked: the formula is computed, the number kept beside.
                Some(Stored::Number(n)) => {
                    let n = *n;
                    sheet.values.remove(&pos);
                    sheet.stored_results.insert(pos, n);
                }
                // Any other stored result is used as stored.
                _ => {
                    sheet.formulas.remove(&pos);
                }
            }
        }
        sheets.push(sheet);
    }
    let outcomes = compute(&sheets);
    fill(grids, &outcomes);
    Ok(outcomes)
}

/// Computes the formulas without stored results of an ods workbook (calamine keeps every
/// sheet's values and formulas in memory), and writes the values into the grids. The values are
/// copied out only when some formula's cell showed nothing in its grid.
pub(crate) fn complete_ods(
    file: &str,
    ods: &mut Ods<Cursor<&[u8]>>,
    grids: &mut [Grid],
) -> Result<Vec<Outcome>, ImportError> {
    let err = |name: &str, e: calamine::OdsError| sheet_error(file, name, &e.to_string());
    // Formulas whose cells read empty: those may lack a stored value.
    let mut candidates: Vec<FxHashMap<(u32, u32), Pending>> = Vec::new();
    for g in grids.iter() {
        let texts = ods.worksheet_formula(g.name()).map_err(|e| err(g.name(), e))?;
        let mut found = FxHashMap::default();
        if let Some((r0, c0)) = texts.start() {
            for (r, c, f) in texts.used_cells() {
                let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
                    continue;
                };
                let pos = (r0.saturating_add(r), c0.saturating_add(c));
                if g.text(pos.0, pos.1).is_empty() && !f.trim().is_empty() {
                    found.insert(
                        pos,
                        Pending {
                            text: f.clone(),
                            origin: pos,
                        },
                    );
                }
            }
        }
        candidates.push(found);
    }
    if candidates.iter().all(FxHashMap::is_empty) {
        return Ok(Vec::new());
    }
    let mut sheets = Vec::new();
    for (g, mut formulas) in grids.iter().zip(candidates) {
        let values = ods.worksheet_range(g.name()).map_err(|e| err(g.name(), e))?;
        let mut sheet = Sheet::new(g.name());
        if let Some((r0, c0)) = values.start() {
            for (r, c, v) in values.used_cells() {
                if let (Some(v), Ok(r), Ok(c)) = (stored_data(v), u32::try_from(r), u32::try_from(c)) {
                    sheet.values.insert((r0.saturating_add(r), c0.saturating_add(c)), v);
                }
            }
        }
        // A stored value (an empty text, say) is used as stored.
        formulas.retain(|pos, _| !sheet.values.contains_key(pos));
        sheet.formulas = formulas;
        sheets.push(sheet);
    }
    let outcomes = compute(&sheets);
    fill(grids, &outcomes);
    Ok(outcomes)
}

fn sheet_error(file: &str, sheet: &str, detail: &str) -> ImportError {
    ImportError::new(
        file,
        crate::ErrorKind::Syntax,
        Some(xxgk_model::Location {
            sheet: Some(sheet.to_string()),
            ..Default::default()
        }),
        format!("无法读取工作表“{sheet}”的公式：{detail}"),
        format!("cannot read the formulas of sheet “{sheet}”: {detail}"),
    )
}

// ───────────────────────────── Tokens ─────────────────────────────

/// A cell address with its `$` marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Addr {
    row: u32,
    col: u32,
    row_abs: bool,
    col_abs: bool,
}

/// A reference: one cell or a rectangle, perhaps on another sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    sheet: Option<String>,
    first: Addr,
    last: Addr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Str(String),
    Bool(bool),
    Ref(Reference),
    /// A function name followed by `(`.
    Func(String),
    Open,
    Close,
    /// `,` (Excel) or `;` (OpenDocument) between arguments.
    Sep,
    Op(Op),
    Percent,
    Error(String),
}

const ERROR_VALUES: [&str; 8] = [
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
];

fn syntax(s: impl Into<String>) -> Why {
    Why::Syntax(s.into())
}

/// Splits a formula into tokens. Excel's A1 syntax and OpenDocument's bracketed references.
fn tokenize(formula: &str) -> Result<Vec<Tok>, Why> {
    if formula.chars().count() > MAX_FORMULA_CHARS {
        return Err(syntax("公式过长 / too long"));
    }
    let t = formula.trim();
    let t = t.strip_prefix("of:").or_else(|| t.strip_prefix("msoxl:")).unwrap_or(t);
    let t = t.strip_prefix('=').unwrap_or(t);
    let chars: Vec<char> = t.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\r' | '\n' | '\u{a0}' => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            ',' | ';' => {
                out.push(Tok::Sep);
                i += 1;
            }
            '+' => {
                out.push(Tok::Op(Op::Add));
                i += 1;
            }
            '-' => {
                out.push(Tok::Op(Op::Sub));
                i += 1;
            }
            '*' => {
                out.push(Tok::Op(Op::Mul));
                i += 1;
            }
            '%' => {
                out.push(Tok::Percent);
                i += 1;
            }
            '=' => {
                out.push(Tok::Op(Op::Eq));
                i += 1;
            }
            '<' => {
                let (op, n) = match chars.get(i + 1) {
                    Some('>') => (Op::Ne, 2),
                    Some('=') => (Op::Le, 2),
                    _ => (Op::Lt, 1),
                };
                out.push(Tok::Op(op));
                i += n;
            }
            '>' => {
                let (op, n) = match chars.get(i + 1) {
                    Some('=') => (Op::Ge, 2),
                    _ => (Op::Gt, 1),
                };
                out.push(Tok::Op(op));
                i += n;
            }
            '"' => {
                let (s, next) = quoted(&chars, i, '"')?;
                out.push(Tok::Str(s));
                i = next;
            }
            '#' => {
                let rest: String = chars[i..chars.len().min(i + 16)].iter().collect();
                let upper = rest.to_uppercase();
                let Some(e) = ERROR_VALUES.iter().find(|e| upper.starts_with(**e)) else {
                    return Err(syntax(format!("“{rest}”")));
                };
                out.push(Tok::Error((*e).to_string()));
                i += e.chars().count();
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + p)
                    .ok_or_else(|| syntax("缺少“]” / missing “]”"))?;
                let inner: String = chars[i + 1..end].iter().collect();
                out.push(Tok::Ref(odf_reference(&inner)?));
                i = end + 1;
            }
            '\'' => {
                let (sheet, next) = quoted(&chars, i, '\'')?;
                if chars.get(next) != Some(&'!') {
                    return Err(syntax("工作表名后缺少“!” / “!” missing after a sheet name"));
                }
                let (r, next) = a1_reference(&chars, next + 1, Some(sheet))?;
                out.push(Tok::Ref(r));
                i = next;
            }
            c if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let (n, next) = number(&chars, i)?;
                out.push(Tok::Num(n));
                i = next;
            }
            c if is_name_char(c) => {
                let start = i;
                while i < chars.len() && is_name_char(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if chars.get(i) == Some(&'!') {
                    let (r, next) = a1_reference(&chars, i + 1, Some(word))?;
                    out.push(Tok::Ref(r));
                    i = next;
                } else if chars.get(i) == Some(&'(') {
                    let upper = word.to_uppercase();
                    let name = upper
                        .strip_prefix("_XLFN.")
                        .or_else(|| upper.strip_prefix("_XLWS."))
                        .unwrap_or(&upper);
                    out.push(Tok::Func(name.to_string()));
                    out.push(Tok::Open);
                    i += 1;
                } else if word.eq_ignore_ascii_case("TRUE") || word.eq_ignore_ascii_case("FALSE") {
                    out.push(Tok::Bool(word.eq_ignore_ascii_case("TRUE")));
                } else {
                    let (r, next) = a1_reference(&chars, start, None)?;
                    out.push(Tok::Ref(r));
                    i = next;
                }
            }
            other => return Err(syntax(format!("“{other}”"))),
        }
    }
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || c == '$' || c == '\\'
}

/// A text between `q` quotes starting at `start`, with a doubled quote standing for one.
fn quoted(chars: &[char], start: usize, q: char) -> Result<(String, usize), Why> {
    let mut s = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => return Err(syntax(format!("缺少结尾的 {q} / missing closing {q}"))),
            Some(&c) if c == q => {
                if chars.get(i + 1) == Some(&q) {
                    s.push(q);
                    i += 2;
                } else {
                    return Ok((s, i + 1));
                }
            }
            Some(&c) => {
                s.push(c);
                i += 1;
            }
        }
    }
}

fn number(chars: &[char], start: usize) -> Result<(Decimal, usize), Why> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
        i += 1;
    }
    let mut text: String = chars[start..i].iter().collect();
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        let digits = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j > digits {
            text = chars[start..j].iter().collect();
            i = j;
        }
    }
    let d = Decimal::from_str_exact(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| syntax(format!("数字“{text}” / number “{text}”")))?;
    Ok((d, i))
}

/// `B3`, `$B$3` at the start of `s`: the address and the characters used.
fn address(s: &[char]) -> Option<(Addr, usize)> {
    let mut i = 0;
    let col_abs = s.first() == Some(&'$');
    i += usize::from(col_abs);
    let letters = s[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = s[i..i + letters]
        .iter()
        .fold(0u32, |n, c| n * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1))
        - 1;
    i += letters;
    let row_abs = s.get(i) == Some(&'$');
    i += usize::from(row_abs);
    let digits = s[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 7 {
        return None;
    }
    let row: u32 = s[i..i + digits].iter().collect::<String>().parse().ok()?;
    i += digits;
    if row == 0 || row > 1_048_576 || col >= 16_384 {
        return None;
    }
    // A name that merely starts like an address (`B3X`) is not one.
    if s.get(i).is_some_and(|&c| is_name_char(c)) {
        return None;
    }
    Some((
        Addr {
            row: row - 1,
            col,
            row_abs,
            col_abs,
        },
        i,
    ))
}

/// An A1 reference (`B3`, `B3:D9`) at `start`, on `sheet` when one was named before it.
fn a1_reference(chars: &[char], start: usize, sheet: Option<String>) -> Result<(Reference, usize), Why> {
    let rest = &chars[start..];
    let Some((first, n)) = address(rest) else {
        let word: String = rest.iter().take_while(|&&c| is_name_char(c)).collect();
        return Err(if sheet.is_none() && !word.is_empty() {
            Why::Name(word)
        } else {
            syntax(format!(
                "引用“{}” / reference",
                rest.iter().take(20).collect::<String>()
            ))
        });
    };
    let mut i = start + n;
    let mut last = first;
    if chars.get(i) == Some(&':') {
        let Some((l, m)) = address(&chars[i + 1..]) else {
            return Err(syntax("区域引用 / range reference"));
        };
        last = l;
        i += 1 + m;
    }
    Ok((Reference { sheet, first, last }, i))
}

/// An OpenDocument reference, inside its brackets: `.B3`, `.B3:.B5`, `$表三.B3`,
/// `'表 三'.$B$3:.C9`.
fn odf_reference(inner: &str) -> Result<Reference, Why> {
    let bad = || syntax(format!("引用“[{inner}]” / reference"));
    let (left, right) = match split_odf_range(inner) {
        Some((l, r)) => (l, Some(r)),
        None => (inner, None),
    };
    let (sheet, first) = odf_address(left).ok_or_else(bad)?;
    let last = match right {
        Some(r) => {
            let (s2, a) = odf_address(r).ok_or_else(bad)?;
            if s2.is_some() && s2 != sheet {
                return Err(bad());
            }
            a
        }
        None => first,
    };
    Ok(Reference { sheet, first, last })
}

/// Splits `A:B` at the colon outside quotes.
fn split_odf_range(s: &str) -> Option<(&str, &str)> {
    let mut in_quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => in_quote = !in_quote,
            ':' if !in_quote => return Some((&s[..i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

/// `.B3`, `$表三.$B$3`, `'表 三'.B3` → (sheet, address).
fn odf_address(s: &str) -> Option<(Option<String>, Addr)> {
    let s = s.trim();
    let (sheet, cell): (Option<String>, String) = if let Some(rest) = s.strip_prefix('.') {
        (None, rest.to_string())
    } else {
        let s = s.strip_prefix('$').unwrap_or(s);
        if s.starts_with('\'') {
            let chars: Vec<char> = s.chars().collect();
            let (name, next) = quoted(&chars, 0, '\'').ok()?;
            let rest: String = chars[next..].iter().collect();
            (Some(name), rest.strip_prefix('.')?.to_string())
        } else {
            let dot = s.rfind('.')?;
            (Some(s[..dot].to_string()), s[dot + 1..].to_string())
        }
    };
    let chars: Vec<char> = cell.chars().collect();
    let (a, n) = address(&chars)?;
    (n == chars.len()).then_some((sheet, a))
}

// ───────────────────────────── Parsing ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(Decimal),
    Str(String),
    Bool(bool),
    Error(String),
    Ref(Reference),
    Neg(Box<Expr>),
    Percent(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
    /// `a + b - c + …`, kept flat so that a long sum does not nest.
    Terms(Box<Expr>, Vec<(Op, Expr)>),
    Call(String, Vec<Expr>),
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    depth: usize,
}

/// Parses a formula into an expression tree.
/// Formulas parsed on this thread, by text: a batch's workbooks repeat their template's formulas.
/// Texts up to [`CACHED_FORMULA_BYTES`] long, at most [`CACHED_FORMULAS`] of them.
const CACHED_FORMULAS: usize = 4096;
const CACHED_FORMULA_BYTES: usize = 256;

/// A formula parsed once, shared by every cell that holds its text.
type Parsed = std::rc::Rc<Result<Expr, Why>>;

thread_local! {
    static PARSED: std::cell::RefCell<FxHashMap<Box<str>, Parsed>> = std::cell::RefCell::new(FxHashMap::default());
}

/// [`parse`], remembered per thread for short texts.
fn parse_cached(formula: &str) -> Parsed {
    if formula.len() > CACHED_FORMULA_BYTES {
        return std::rc::Rc::new(parse(formula));
    }
    PARSED.with(|cache| {
        if let Some(hit) = cache.borrow().get(formula) {
            return hit.clone();
        }
        let parsed = std::rc::Rc::new(parse(formula));
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHED_FORMULAS {
            cache.clear();
        }
        cache.insert(formula.into(), parsed.clone());
        parsed
    })
}

fn parse(formula: &str) -> Result<Expr, Why> {
    let toks = tokenize(formula)?;
    let mut p = Parser { toks, at: 0, depth: 0 };
    let e = p.comparison()?;
    if p.at != p.toks.len() {
        return Err(syntax(format!("第 {} 个记号 / token {}", p.at + 1, p.at + 1)));
    }
    Ok(e)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn enter(&mut self) -> Result<(), Why> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Why::TooLarge);
        }
        Ok(())
    }

    fn comparison(&mut self) -> Result<Expr, Why> {
        self.enter()?;
        let mut left = self.additive()?;
        while let Some(Tok::Op(op @ (Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge))) = self.peek() {
            let op = *op;
            self.at += 1;
            let right = self.additive()?;
            left = Expr::Bin(op, Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn additive(&mut self) -> Result<Expr, Why> {
        let first = self.multiplicative()?;
        let mut rest = Vec::new();
        while let Some(Tok::Op(op @ (Op::Add | Op::Sub))) = self.peek() {
            let op = *op;
            self.at += 1;
            rest.push((op, self.multiplicative()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Expr::Terms(Box::new(first), rest)
        })
    }

    fn multiplicative(&mut self) -> Result<Expr, Why> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(Op::Mul)) = self.peek() {
            self.at += 1;
            let right = self.unary()?;
            left = Expr::Bin(Op::Mul, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, Why> {
        self.enter()?;
        let e = match self.peek() {
            Some(Tok::Op(Op::Sub)) => {
                self.at += 1;
                Expr::Neg(Box::new(self.unary()?))
            }
            Some(Tok::Op(Op::Add)) => {
                self.at += 1;
                self.unary()?
            }
            _ => self.postfix()?,
        };
        self.depth -= 1;
        Ok(e)
    }

    fn postfix(&mut self) -> Result<Expr, Why> {
        let mut e = self.primary()?;
        while let Some(Tok::Percent) = self.peek() {
            self.at += 1;
            e = Expr::Percent(Box::new(e));
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, Why> {
        let Some(tok) = self.toks.get(self.at).cloned() else {
            return Err(syntax("公式不完整 / incomplete"));
        };
        self.at += 1;
        match tok {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Bool(b) => Ok(Expr::Bool(b)),
            Tok::Error(e) => Ok(Expr::Error(e)),
            Tok::Ref(r) => Ok(Expr::Ref(r)),
            Tok::Open => {
                let e = self.comparison()?;
                self.expect_close()?;
                Ok(e)
            }
            Tok::Func(name) => {
                // The `(` follows the name.
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() == Some(&Tok::Close) {
                    self.at += 1;
                    return Ok(Expr::Call(name, args));
                }
                loop {
                    args.push(self.comparison()?);
                    match self.peek() {
                        Some(Tok::Sep) => self.at += 1,
                        _ => break,
                    }
                }
                self.expect_close()?;
                Ok(Expr::Call(name, args))
            }
            other => Err(syntax(format!("{other:?}"))),
        }
    }

    fn expect_close(&mut self) -> Result<(), Why> {
        if self.peek() == Some(&Tok::Close) {
            self.at += 1;
            Ok(())
        } else {
            Err(syntax("缺少“)” / missing “)”"))
        }
    }
}

// ───────────────────────────── Evaluation ─────────────────────────────

/// A value while computing.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(Decimal),
    Text(String),
    Bool(bool),
}

/// What a referenced cell holds.
enum Content {
    Empty,
    Value(Val),
}

enum Memo {
    Running,
    Done(Result<Computed, Why>),
}

struct Evaluator<'a> {
    sheets: &'a [Sheet],
    memo: FxHashMap<(usize, u32, u32), Memo>,
    visits: usize,
    max_visits: usize,
}

impl Evaluator<'_> {
    fn place(&self, si: usize, row: u32, col: u32) -> String {
        format!("{}!{}", self.sheets[si].name, a1(row, col))
    }

    /// The result of the formula without a stored result at (si, row, col).
    fn cell_formula(&mut self, si: usize, row: u32, col: u32, depth: usize) -> Result<Computed, Why> {
        match self.memo.get(&(si, row, col)) {
            Some(Memo::Done(r)) => return r.clone(),
            Some(Memo::Running) => return Err(Why::Cycle(self.place(si, row, col))),
            None => {}
        }
        let Some(pending) = self.sheets[si].formulas.get(&(row, col)) else {
            return Err(Why::Depends(self.place(si, row, col)));
        };
        self.memo.insert((si, row, col), Memo::Running);
        let parsed = parse_cached(&pending.text);
        let result = match parsed.as_ref() {
            Ok(expr) => Ok(expr),
            Err(why) => Err(why.clone()),
        }
        .and_then(|expr| {
            let shift = (
                i64::from(row) - i64::from(pending.origin.0),
                i64::from(col) - i64::from(pending.origin.1),
            );
            let ctx = Ctx { sheet: si, shift };
            match self.eval(expr, &ctx, depth + 1)? {
                Val::Num(n) => Ok(Computed::Number(n)),
                Val::Text(t) if t.is_empty() => Ok(Computed::Blank),
                Val::Text(t) => Ok(Computed::Text(t)),
                Val::Bool(b) => Ok(Computed::Text(if b { "TRUE" } else { "FALSE" }.to_string())),
            }
        });
        self.memo.insert((si, row, col), Memo::Done(result.clone()));
        result
    }

    /// The sheet a reference names (the formula's own sheet when it names none).
    fn sheet_of(&self, r: &Reference, ctx: &Ctx) -> Result<usize, Why> {
        match &r.sheet {
            None => Ok(ctx.sheet),
            Some(name) => self
                .sheets
                .iter()
                .position(|s| s.name == *name)
                .or_else(|| {
                    self.sheets
                        .iter()
                        .position(|s| s.name.to_lowercase() == name.to_lowercase())
                })
                .ok_or_else(|| Why::Sheet(name.clone())),
        }
    }

    /// The rectangle a reference covers, moved for a shared formula.
    fn rect(r: &Reference, ctx: &Ctx) -> Result<(u32, u32, u32, u32), Why> {
        let mv = |a: Addr| -> Result<(u32, u32), Why> {
            let row = if a.row_abs {
                i64::from(a.row)
            } else {
                i64::from(a.row) + ctx.shift.0
            };
            let col = if a.col_abs {
                i64::from(a.col)
            } else {
                i64::from(a.col) + ctx.shift.1
            };
            match (u32::try_from(row), u32::try_from(col)) {
                (Ok(r), Ok(c)) => Ok((r, c)),
                _ => Err(Why::ErrorValue("#REF!".into(), None)),
            }
        };
        let (r1, c1) = mv(r.first)?;
        let (r2, c2) = mv(r.last)?;
        Ok((r1.min(r2), c1.min(c2), r1.max(r2), c1.max(c2)))
    }

    fn visit(&mut self) -> Result<(), Why> {
        self.visits += 1;
        if self.visits > self.max_visits {
            return Err(Why::TooLarge);
        }
        Ok(())
    }

    /// What the cell at (si, row, col) holds, computing a formula without a stored result.
    fn content(&mut self, si: usize, row: u32, col: u32, depth: usize) -> Result<Content, Why> {
        self.visit()?;
        if self.sheets[si].formulas.contains_key(&(row, col)) {
            let stored = self.sheets[si].stored_results.get(&(row, col)).copied();
            return match (self.cell_formula(si, row, col, depth + 1), stored) {
                (Ok(Computed::Number(n)), _) => Ok(Content::Value(Val::Num(n))),
                // A stored result that cannot be checked is used as stored.
                (Err(_), Some(s)) => Ok(Content::Value(Val::Num(s))),
                (Ok(Computed::Blank), _) => Ok(Content::Empty),
                (Ok(Computed::Text(t)), _) => Ok(Content::Value(Val::Text(t))),
                (Err(Why::Cycle(at)), None) => Err(Why::Cycle(at)),
                (Err(Why::TooLarge), None) => Err(Why::TooLarge),
                (Err(_), None) => Err(Why::Depends(self.place(si, row, col))),
            };
        }
        match self.sheets[si].values.get(&(row, col)) {
            None => Ok(Content::Empty),
            Some(Stored::Number(n)) => Ok(Content::Value(Val::Num(*n))),
            Some(Stored::Text(t)) if t.trim().is_empty() => Ok(Content::Empty),
            Some(Stored::Text(t)) => Ok(Content::Value(Val::Text(t.clone()))),
            Some(Stored::Bool(b)) => Ok(Content::Value(Val::Bool(*b))),
            Some(Stored::Error(e)) => Err(Why::ErrorValue(e.clone(), Some(self.place(si, row, col)))),
        }
    }

    /// The cells of a rectangle that may hold something, row by row. A rectangle larger than
    /// the sheet's stored cells is walked through those cells instead of position by position.
    /// What the walk costs counts against [`MAX_VISITS`].
    fn cells_in(&mut self, si: usize, (r1, c1, r2, c2): (u32, u32, u32, u32)) -> Result<Vec<(u32, u32)>, Why> {
        let area = (u64::from(r2 - r1) + 1) * (u64::from(c2 - c1) + 1);
        let sheet = &self.sheets[si];
        let stored = (sheet.values.len() + sheet.formulas.len()) as u64;
        let cost = usize::try_from(area.min(stored.max(64))).unwrap_or(usize::MAX);
        self.visits = self.visits.saturating_add(cost);
        if self.visits > self.max_visits {
            return Err(Why::TooLarge);
        }
        Ok(if area <= stored.max(64) {
            (r1..=r2).flat_map(|r| (c1..=c2).map(move |c| (r, c))).collect()
        } else {
            let inside = |&(r, c): &(u32, u32)| (r1..=r2).contains(&r) && (c1..=c2).contains(&c);
            let mut cells: Vec<(u32, u32)> = sheet
                .values
                .keys()
                .chain(sheet.formulas.keys())
                .copied()
                .filter(inside)
                .collect();
            cells.sort_unstable();
            cells.dedup();
            cells
        })
    }

    fn eval(&mut self, e: &Expr, ctx: &Ctx, depth: usize) -> Result<Val, Why> {
        if depth > MAX_DEPTH {
            return Err(Why::TooLarge);
        }
        match e {
            Expr::Num(n) => Ok(Val::Num(*n)),
            Expr::Str(s) => Ok(Val::Text(s.clone())),
            Expr::Bool(b) => Ok(Val::Bool(*b)),
            Expr::Error(e) => Err(Why::ErrorValue(e.clone(), None)),
            Expr::Ref(r) => {
                let si = self.sheet_of(r, ctx)?;
                let (r1, c1, r2, c2) = Self::rect(r, ctx)?;
                if (r1, c1) != (r2, c2) {
                    return Err(syntax("区域不能作为单个数值 / a range used as one value"));
                }
                match self.content(si, r1, c1, depth)? {
                    Content::Empty => Err(Why::Blank(self.place(si, r1, c1))),
                    Content::Value(v) => Ok(v),
                }
            }
            Expr::Neg(x) => {
                let n = self.number(x, ctx, depth)?;
                Ok(Val::Num(-n))
            }
            Expr::Percent(x) => {
                let n = self.number(x, ctx, depth)?;
                n.checked_div(Decimal::ONE_HUNDRED).map(Val::Num).ok_or(Why::Overflow)
            }
            Expr::Terms(first, rest) => {
                let mut total = self.number(first, ctx, depth)?;
                for (op, e) in rest {
                    let y = self.number(e, ctx, depth)?;
                    let r = if *op == Op::Sub {
                        total.checked_sub(y)
                    } else {
                        total.checked_add(y)
                    };
                    total = r.ok_or(Why::Overflow)?;
                }
                Ok(Val::Num(total))
            }
            Expr::Bin(op, a, b) => match op {
                Op::Add | Op::Sub | Op::Mul => {
                    let (x, y) = (self.number(a, ctx, depth)?, self.number(b, ctx, depth)?);
                    let r = match op {
                        Op::Add => x.checked_add(y),
                        Op::Sub => x.checked_sub(y),
                        _ => x.checked_mul(y),
                    };
                    r.map(Val::Num).ok_or(Why::Overflow)
                }
                _ => {
                    let (x, y) = (self.eval(a, ctx, depth + 1)?, self.eval(b, ctx, depth + 1)?);
                    let ord = match (&x, &y) {
                        (Val::Num(x), Val::Num(y)) => x.cmp(y),
                        (Val::Text(x), Val::Text(y)) => x.to_lowercase().cmp(&y.to_lowercase()),
                        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
                        _ => return Err(syntax("比较的两边类型不同 / comparing different types")),
                    };
                    use std::cmp::Ordering::{Equal, Greater, Less};
                    Ok(Val::Bool(match op {
                        Op::Eq => ord == Equal,
                        Op::Ne => ord != Equal,
                        Op::Lt => ord == Less,
                        Op::Le => ord != Greater,
                        Op::Gt => ord == Greater,
                        _ => ord != Less,
                    }))
                }
            },
            Expr::Call(name, args) => self.call(name, args, ctx, depth + 1),
        }
    }

    /// An operand that must be a number.
    fn number(&mut self, e: &Expr, ctx: &Ctx, depth: usize) -> Result<Decimal, Why> {
        match self.eval(e, ctx, depth + 1)? {
            Val::Num(n) => Ok(n),
            Val::Text(t) => Err(Why::Text(self.operand(e, ctx), t)),
            Val::Bool(b) => Err(Why::Text(
                self.operand(e, ctx),
                if b { "TRUE" } else { "FALSE" }.to_string(),
            )),
        }
    }

    /// An operand for messages: the cell it refers to (`表三!B3`), or "an expression".
    fn operand(&self, e: &Expr, ctx: &Ctx) -> String {
        if let Expr::Ref(r) = e
            && let (Ok(si), Ok((row, col, _, _))) = (self.sheet_of(r, ctx), Self::rect(r, ctx))
        {
            return self.place(si, row, col);
        }
        "表达式 / expression".to_string()
    }

    fn call(&mut self, name: &str, args: &[Expr], ctx: &Ctx, depth: usize) -> Result<Val, Why> {
        match name {
            "SUM" => {
                let mut total = Decimal::ZERO;
                let mut any = false;
                for a in args {
                    for v in self.numbers(a, ctx, depth, true)? {
                        total = total.checked_add(v).ok_or(Why::Overflow)?;
                        any = true;
                    }
                }
                if any { Ok(Val::Num(total)) } else { Err(Why::NoNumber) }
            }
            "COUNT" => {
                let mut n = 0u64;
                for a in args {
                    n += self.numbers(a, ctx, depth, false)?.len() as u64;
                }
                Ok(Val::Num(Decimal::from(n)))
            }
            "IF" => {
                if !(1..=3).contains(&args.len()) {
                    return Err(syntax("IF 的参数个数 / IF's arguments"));
                }
                let cond = match self.eval(&args[0], ctx, depth + 1)? {
                    Val::Bool(b) => b,
                    Val::Num(n) => !n.is_zero(),
                    Val::Text(t) => return Err(Why::Text(self.operand(&args[0], ctx), t)),
                };
                match (cond, args.get(1), args.get(2)) {
                    (true, Some(a), _) | (false, _, Some(a)) => self.eval(a, ctx, depth + 1),
                    (false, _, None) => Ok(Val::Bool(false)),
                    (true, None, _) => Ok(Val::Bool(true)),
                }
            }
            "ROUND" => {
                if args.len() != 2 {
                    return Err(syntax("ROUND 的参数个数 / ROUND's arguments"));
                }
                let x = self.number(&args[0], ctx, depth)?;
                let places = self.number(&args[1], ctx, depth)?;
                let places = places
                    .to_i64()
                    .filter(|p| (0..=20).contains(p) && places.fract().is_zero())
                    .ok_or_else(|| syntax("ROUND 的位数 / ROUND's places"))?;
                let p = u32::try_from(places).map_err(|_| Why::Overflow)?;
                Ok(Val::Num(x.round_dp_with_strategy(
                    p,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                )))
            }
            other => Err(Why::Function(other.to_string())),
        }
    }

    /// The numbers an argument of `SUM` or `COUNT` contributes. A reference contributes the
    /// numbers of its cells, leaving out blanks and placeholders (and, for `COUNT`, anything
    /// else that is not a number); for `SUM` (`strict`) a cell of other text is an error, since
    /// Excel would leave it out where a person may have meant a number. Any other argument is
    /// one number.
    fn numbers(&mut self, a: &Expr, ctx: &Ctx, depth: usize, strict: bool) -> Result<Vec<Decimal>, Why> {
        if let Expr::Ref(r) = a {
            let si = self.sheet_of(r, ctx)?;
            let rect = Self::rect(r, ctx)?;
            let mut out = Vec::new();
            for (row, col) in self.cells_in(si, rect)? {
                match self.content(si, row, col, depth)? {
                    Content::Empty => {}
                    Content::Value(Val::Num(n)) => out.push(n),
                    Content::Value(Val::Text(t)) if !strict || xxgk_model::Cell::is_placeholder_text(&t) => {}
                    Content::Value(Val::Bool(_)) if !strict => {}
                    Content::Value(Val::Text(t)) => return Err(Why::Text(self.place(si, row, col), t)),
                    Content::Value(Val::Bool(b)) => {
                        return Err(Why::Text(
                            self.place(si, row, col),
                            if b { "TRUE" } else { "FALSE" }.into(),
                        ));
                    }
                }
            }
            return Ok(out);
        }
        match self.eval(a, ctx, depth + 1)? {
            Val::Num(n) => Ok(vec![n]),
            _ if !strict => Ok(Vec::new()),
            Val::Text(t) => Err(Why::Text(self.operand(a, ctx), t)),
            Val::Bool(b) => Err(Why::Text(self.operand(a, ctx), if b { "TRUE" } else { "FALSE" }.into())),
        }
    }
}

/// Where the formula is evaluated: its sheet, and how far a shared formula moved.
struct Ctx {
    sheet: usize,
    shift: (i64, i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("decimal")
    }

    /// A sheet named `name` with numbers and texts at A1 addresses, and formulas.
    fn sheet(name: &str, cells: &[(&str, &str)], formulas: &[(&str, &str)]) -> Sheet {
        let pos = |a: &str| {
            let chars: Vec<char> = a.chars().collect();
            let (ad, _) = address(&chars).expect("address");
            (ad.row, ad.col)
        };
        let mut s = Sheet::new(name);
        for (a, v) in cells {
            let stored = match Decimal::from_str_exact(v) {
                Ok(d) => Stored::Number(d),
                Err(_) if v.starts_with('#') => Stored::Error((*v).to_string()),
                Err(_) => Stored::Text((*v).to_string()),
            };
            s.values.insert(pos(a), stored);
        }
        for (a, f) in formulas {
            s.formulas.insert(
                pos(a),
                Pending {
                    text: (*f).to_string(),
                    origin: pos(a),
                },
            );
        }
        s
    }

    fn result(sheets: &[Sheet], place: &str) -> Result<Computed, Why> {
        compute(sheets)
            .into_iter()
            .find(|o| o.place() == place)
            .unwrap_or_else(|| panic!("no outcome at {place}"))
            .result
    }

    #[test]
    fn sums_of_ranges_cells_and_sheets() {
        let a = sheet(
            "表三",
            &[("B3", "1"), ("B4", "2"), ("B5", "3.25"), ("C3", "10"), ("D9", "—")],
            &[
                ("B6", "SUM(B3:B5)"),
                ("B7", "SUM($B$3:B4,C3,7)"),
                ("B8", "B3+C3-B4"),
                ("B9", "(B3+C3)*2-SUM(B3:B5)"),
                ("B10", "'表三'!B3+表三!C3"),
                ("B11", "SUM(B6,B7)"),
                ("B12", "SUM(B3:B5,D9)"),
                ("B13", "_xlfn.SUM( B3 , C3 )"),
                ("B14", "-B3+50%"),
            ],
        );
        let b = sheet("汇总", &[], &[("A1", "SUM('表三'!B3:C3)+表三!B4")]);
        let sheets = [a, b];
        for (place, want) in [
            ("表三!B6", "6.25"),
            ("表三!B7", "20"),
            ("表三!B8", "9"),
            ("表三!B9", "15.75"),
            ("表三!B10", "11"),
            ("表三!B11", "26.25"),
            ("表三!B12", "6.25"),
            ("表三!B13", "11"),
            ("表三!B14", "-0.5"),
            ("汇总!A1", "13"),
        ] {
            assert_eq!(result(&sheets, place), Ok(Computed::Number(dec(want))), "{place}");
        }
    }

    #[test]
    fn the_standard_templates_totals() {
        let s = sheet(
            "表三",
            &[("B5", "3"), ("C5", "4"), ("B6", "—")],
            &[
                ("H5", "IF(COUNT(B5:G5)=0,\"\",SUM(B5:G5))"),
                ("H6", "IF(COUNT(B6:G6)=0,\"\",SUM(B6:G6))"),
                ("H7", "IF(COUNT(B7:G7)=0,\"\",SUM(B7:G7))"),
                ("H8", "IF(COUNT(H5:H7)=0,\"\",SUM(H5:H7))"),
                ("H9", "ROUND(SUM(B5:C5)*0.3333,2)"),
            ],
        );
        let sheets = [s];
        assert_eq!(result(&sheets, "表三!H5"), Ok(Computed::Number(dec("7"))));
        assert_eq!(result(&sheets, "表三!H6"), Ok(Computed::Blank));
        assert_eq!(result(&sheets, "表三!H7"), Ok(Computed::Blank));
        assert_eq!(result(&sheets, "表三!H8"), Ok(Computed::Number(dec("7"))));
        assert_eq!(result(&sheets, "表三!H9"), Ok(Computed::Number(dec("2.33"))));
    }

    #[test]
    fn opendocument_formulas() {
        let a = sheet(
            "表三",
            &[("B3", "1"), ("B4", "2"), ("B5", "4")],
            &[
                ("B6", "of:=SUM([.B3:.B5])"),
                ("B7", "of:=[.B3]+[.$B$4];"),
                ("B8", "of:=SUM([.B3:.B4];[$表三.B5])"),
                ("B9", "of:=SUM(['表三'.B3:.B5])-[.B3]"),
            ],
        );
        let sheets = [a];
        assert_eq!(result(&sheets, "表三!B6"), Ok(Computed::Number(dec("7"))));
        assert!(matches!(result(&sheets, "表三!B7"), Err(Why::Syntax(_))));
        assert_eq!(result(&sheets, "表三!B8"), Ok(Computed::Number(dec("7"))));
        assert_eq!(result(&sheets, "表三!B9"), Ok(Computed::Number(dec("6"))));
    }

    #[test]
    fn what_is_not_computed_says_why() {
        let s = sheet(
            "S",
            &[("A1", "1"), ("A2", "１２"), ("A3", "#DIV/0!"), ("A4", "/")],
            &[
                ("B1", "A1+A9"),
                ("B2", "SUM(A1:A2)"),
                ("B3", "SUM(A1,A3)"),
                ("B4", "AVERAGE(A1)"),
                ("B5", "B6+1"),
                ("B6", "B5+1"),
                ("B7", "SUM(A8:A9)"),
                ("B8", "A1+B1"),
                ("B9", "销售额+1"),
                ("B10", "SUM(其他!A1)"),
                ("B11", "A1/2"),
                ("B12", "#REF!+1"),
                ("B13", "A1+A4"),
                ("B14", "SUM(A:A)"),
                ("B15", "A1+B15"),
            ],
        );
        let sheets = [s];
        let r = |p: &str| result(&sheets, p);
        assert_eq!(r("S!B1"), Err(Why::Blank("S!A9".into())));
        assert_eq!(r("S!B2"), Err(Why::Text("S!A2".into(), "１２".into())));
        assert_eq!(r("S!B3"), Err(Why::ErrorValue("#DIV/0!".into(), Some("S!A3".into()))));
        assert_eq!(r("S!B4"), Err(Why::Function("AVERAGE".into())));
        assert!(matches!(r("S!B5"), Err(Why::Cycle(_))), "{:?}", r("S!B5"));
        assert!(matches!(r("S!B6"), Err(Why::Cycle(_))));
        assert_eq!(r("S!B7"), Err(Why::NoNumber));
        assert_eq!(r("S!B8"), Err(Why::Depends("S!B1".into())));
        assert_eq!(r("S!B9"), Err(Why::Name("销售额".into())));
        assert_eq!(r("S!B10"), Err(Why::Sheet("其他".into())));
        assert!(matches!(r("S!B11"), Err(Why::Syntax(_))));
        assert_eq!(r("S!B12"), Err(Why::ErrorValue("#REF!".into(), None)));
        assert_eq!(r("S!B13"), Err(Why::Text("S!A4".into(), "/".into())));
        assert!(
            matches!(r("S!B14"), Err(Why::Syntax(_) | Why::Name(_))),
            "{:?}",
            r("S!B14")
        );
        assert!(matches!(r("S!B15"), Err(Why::Cycle(_))));
        for o in compute(&sheets) {
            // Every reason can be told in both languages.
            let (zh, en) = o.result.expect_err("not computed").describe();
            assert!(!zh.is_empty() && !en.is_empty());
        }
    }

    #[test]
    fn shared_formulas_move_their_relative_references() {
        let mut s = sheet("S", &[("A1", "1"), ("B1", "2"), ("A2", "3"), ("B2", "5")], &[]);
        // Written at C1, applying to C2: `SUM(A1:B1)` there means `SUM(A2:B2)`; `$A$1` stays.
        s.formulas.insert(
            (1, 2),
            Pending {
                text: "SUM(A1:B1)+$A$1".into(),
                origin: (0, 2),
            },
        );
        let outcomes = compute(&[s]);
        assert_eq!(outcomes[0].result, Ok(Computed::Number(dec("9"))));
        assert_eq!(
            (outcomes[0].place().as_str(), outcomes[0].shared_from.as_deref()),
            ("S!C2", Some("C1"))
        );
    }

    #[test]
    fn deep_chains_and_huge_nesting_are_refused_not_overflowed() {
        // A chain of 5,000 formulas, each adding 1 to the one below, which the first computed
        // (A1) has to follow to the end: refused at the limit, never a stack overflow.
        let mut s = sheet("S", &[("A5001", "1")], &[]);
        for r in 0..5_000u32 {
            s.formulas.insert(
                (r, 0),
                Pending {
                    text: format!("A{}+1", r + 2),
                    origin: (r, 0),
                },
            );
        }
        let outcomes = compute(&[s]);
        let first = outcomes.iter().find(|o| o.place() == "S!A1").expect("A1");
        assert_eq!(first.result, Err(Why::TooLarge));
        let last = outcomes.iter().find(|o| o.place() == "S!A5000").expect("A5000");
        assert_eq!(last.result, Ok(Computed::Number(dec("2"))));
        // A long flat sum is not deep.
        let terms: Vec<String> = (1..=300).map(|_| "A5001".to_string()).collect();
        let mut s = sheet("S", &[("A5001", "1")], &[]);
        s.formulas.insert(
            (0, 1),
            Pending {
                text: terms.join("+"),
                origin: (0, 1),
            },
        );
        assert_eq!(result(&[s], "S!B1"), Ok(Computed::Number(dec("300"))));
        let nested = format!("{}1{}", "(".repeat(1_000), ")".repeat(1_000));
        assert_eq!(parse(&nested), Err(Why::TooLarge));
        let long = format!("1{}", "+1".repeat(MAX_FORMULA_CHARS));
        assert!(matches!(parse(&long), Err(Why::Syntax(_))));
    }

    #[test]
    fn the_work_of_a_hostile_workbook_is_bounded() {
        // 40,000 numbers and 10,000 formulas each summing all of them (and the whole sheet).
        let mut s = Sheet::new("S");
        for r in 0..40_000u32 {
            s.values.insert((r, 0), Stored::Number(Decimal::ONE));
        }
        for r in 0..10_000u32 {
            let text = if r % 2 == 0 {
                "SUM(A1:A40000)"
            } else {
                "SUM(A1:XFD1048576)"
            };
            s.formulas.insert(
                (r, 1),
                Pending {
                    text: text.into(),
                    origin: (r, 1),
                },
            );
        }
        let start = std::time::Instant::now();
        let outcomes = compute_within(&[s], 400_000);
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
        assert_eq!(outcomes.len(), 10_000);
        assert_eq!(outcomes[0].result, Ok(Computed::Number(Decimal::from(40_000))));
        assert!(outcomes.iter().any(|o| o.result == Err(Why::TooLarge)));
    }

    #[test]
    fn a_scan_finds_every_formula_element() {
        for (xml, any) in [
            (&br#"<c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c>"#[..], false),
            (
                br#"<c r="B1"><fill/><v>1</v></c><c r="C1" t="inlineStr"><is><t>f</t></is></c>"#,
                false,
            ),
            (br#"<c r="B1"><f>SUM(A1)</f><v>1</v></c>"#, true),
            (br#"<c r="B2"><f t="shared" si="0"/><v>2</v></c>"#, true),
            (br#"<c r="B2"><f	t="shared" si="0"/><v>2</v></c>"#, true),
            (br#"<x:c r="B1"><x:f>SUM(A1)</x:f><x:v>1</x:v></x:c>"#, true),
        ] {
            assert_eq!(may_hold_formulas(xml), any, "{}", String::from_utf8_lossy(xml));
            // A sheet that may lack a result may hold a formula.
            assert!(any || !may_lack_results(xml), "{}", String::from_utf8_lossy(xml));
        }
    }

    #[test]
    fn a_scan_finds_every_formula_without_a_stored_result() {
        for (xml, lacking) in [
            (&br#"<c r="A1"><v>1</v></c><c r="B1"><f>SUM(A1)</f><v>1</v></c>"#[..], false),
            (br#"<c r="B1"><f t="shared" ref="B1:B3" si="0">A1</f><v>1</v></c><c r="B2"><f t="shared" si="0"/><v>2</v></c>"#, false),
            (br#"<c r="B1" t="str"><f>A1&amp;"x"</f><v>1x</v></c><c r="C1"><f>A1</f>  <v xml:space="preserve">3</v></c>"#, false),
            (br#"<c r="A1"><v>1</v></c><c r="B1"><f>SUM(A1)</f></c>"#, true),
            (br#"<c r="B1"><f>SUM(A1)</f><v></v></c>"#, true),
            (br#"<c r="B1"><f>SUM(A1)</f><v/></c>"#, true),
            (br#"<c r="B2"><f t="shared" si="0"/></c>"#, true),
            (br#"<c r="B2"><f t="shared" si="0"/>"#, true),
            (br#"<x:c r="B1"><x:f>SUM(A1)</x:f><x:v>1</x:v></x:c>"#, true),
            (br#"<c r="B1"><f>SUM(A1)"#, true),
            (br#"<c r="B1"><fill/><v>1</v></c>"#, false),
        ] {
            assert_eq!(may_lack_results(xml), lacking, "{}", String::from_utf8_lossy(xml));
        }
    }

    /// Random formulas made of the pieces real and damaged ones are made of: never a panic.
    #[test]
    fn random_formulas_never_panic() {
        const PIECES: [&str; 44] = [
            "SUM(",
            "IF(",
            "COUNT(",
            "ROUND(",
            "_xlfn.SUM(",
            "(",
            ")",
            ",",
            ";",
            "+",
            "-",
            "*",
            "%",
            "=",
            "<>",
            "<",
            ">=",
            "A1",
            "$B$2",
            "B1:C3",
            "'S'!A1",
            "S!A2:A3",
            "[.A1]",
            "[.A1:.B2]",
            "[$S.A1]",
            "['S'.B1]",
            "\"x\"",
            "\"\"",
            "1",
            "0.5",
            "1e3",
            "#REF!",
            "TRUE",
            "'",
            "[",
            "]",
            "!",
            ":",
            "$",
            "表三!",
            " ",
            "A0",
            "XFD1048576",
            "of:=",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut s = sheet(
            "S",
            &[("A1", "1"), ("A2", "2"), ("A3", "x"), ("B1", "/"), ("C3", "#N/A")],
            &[],
        );
        for i in 0..5_000u32 {
            let n = 1 + (next() % 12) as usize;
            let text: String = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let pos = (i % 50, 3 + i / 50);
            s.formulas.insert(
                pos,
                Pending {
                    text,
                    origin: ((next() % 60) as u32, 3),
                },
            );
        }
        let outcomes = compute(&[s]);
        assert_eq!(outcomes.len(), 5_000);
        // Some compute, most do not; each says why in both languages.
        assert!(outcomes.iter().any(|o| o.result.is_ok()));
        for o in &outcomes {
            if let Err(why) = &o.result {
                let (zh, en) = why.describe();
                assert!(!zh.is_empty() && !en.is_empty());
            }
        }
        for _ in 0..20_000 {
            let n = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..n).map(|_| b"<f>/v: </c\"x"[(next() % 12) as usize]).collect();
            let _ = may_lack_results(&bytes);
        }
    }

    #[test]
    fn a_stored_result_is_stale_only_beyond_float_noise() {
        let outcome = |computed: &str, stored: &str| Outcome {
            sheet: "S".into(),
            row: 0,
            col: 0,
            formula: "A1+A2".into(),
            shared_from: None,
            result: Ok(Computed::Number(dec(computed))),
            stored: Some(dec(stored)),
        };
        assert!(!outcome("0.3", "0.30000000000000004").is_stale());
        assert!(!outcome("12", "12").is_stale());
        assert!(outcome("12", "0").is_stale());
        assert!(outcome("103.3879", "103.3878").is_stale());
    }

    #[test]
    fn tokens_of_references() {
        assert_eq!(
            parse("'a''b'!$C$3:D4"),
            Ok(Expr::Ref(Reference {
                sheet: Some("a'b".into()),
                first: Addr {
                    row: 2,
                    col: 2,
                    row_abs: true,
                    col_abs: true
                },
                last: Addr {
                    row: 3,
                    col: 3,
                    row_abs: false,
                    col_abs: false
                },
            }))
        );
        assert!(matches!(parse("SUM(B3:)"), Err(Why::Syntax(_))));
        assert!(matches!(parse("SUM(B3"), Err(Why::Syntax(_))));
        assert!(matches!(parse("1 2"), Err(Why::Syntax(_))));
        assert!(matches!(parse("\"abc"), Err(Why::Syntax(_))));
        assert!(matches!(parse("[.B3"), Err(Why::Syntax(_))));
        assert!(matches!(parse("[1]Sheet1!A1"), Err(Why::Syntax(_))));
        assert_eq!(number_text(dec("12.500")), "12.5");
        assert_eq!(number_text(dec("-0")), "0");
    }
}
