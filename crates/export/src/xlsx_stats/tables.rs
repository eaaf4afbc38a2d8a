//! The table sheets: one row per report, one column per cell of the form (and of each group of
//! table 3 a report prints as one row), with totals.

use super::*;

/// The label over a cell's column in the first header row: its row label (table 4: its column
/// group), which is merged over the cells that share it.
pub(super) fn top_label(def: &CellDef, lang: Lang) -> String {
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
pub(super) struct Row<'a> {
    pub(super) index: usize,
    pub(super) meta: &'a Meta,
    pub(super) outside: bool,
}

#[allow(clippy::too_many_arguments)] // a sheet takes its place in the batch, its rows, their findings and the formats
pub(super) fn table_sheet(
    ws: &mut Worksheet,
    batch: &dyn ReportBatch,
    version: FormatVersion,
    table: TableId,
    reports: &[Row<'_>],
    findings: &[Vec<Finding>],
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    // With their catalogue positions, by which a batch hands out a report's cells: the form's
    // cells, then those of each group of table 3 some report prints as one row.
    let cat = catalogue(version);
    let printed = printed_groups(batch, cat, table, reports);
    let (positions, defs): (Vec<usize>, Vec<&CellDef>) = cat
        .all_cells()
        .iter()
        .enumerate()
        .filter(|(i, d)| d.table == table && (*i < cat.cells().len() || printed.contains(&d.row_key)))
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
        if cat.group_of(&defs[i].id).is_some() {
            let note = Note::new(tr(
                lang,
                "本组按一行印出、未分列细项的报告的数字，照印出填写；分列细项的报告计入左侧细项各列，不在此重复",
                "Figures of reports that print this group as one row, without its items, as printed; reports that print the items count in the items' columns on the left, not here again",
            ))
            .add_author_prefix(false);
            ws.insert_note(0, first, &note).map_err(xerr)?;
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
        counts: vec![Some(0); defs.len()],
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
    let Accumulator { sums, counts, units } = acc;
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
        let sum = sums[i].zip(counts[i]).and_then(|(s, c)| s.checked_add(Num::from(c)));
        if let Some(sum) = sum {
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

/// The keys of the groups of table 3 ([`xxgk_model::catalogue::T3Group`]) that some report of
/// the sheet prints as one row (any of the group's cells not blank), in catalogue order.
fn printed_groups(
    batch: &dyn ReportBatch,
    cat: &xxgk_model::catalogue::Catalogue,
    table: TableId,
    reports: &[Row<'_>],
) -> Vec<&'static str> {
    let groups: Vec<(usize, &CellDef)> = cat
        .all_cells()
        .iter()
        .enumerate()
        .skip(cat.cells().len())
        .filter(|(_, d)| d.table == table)
        .collect();
    let mut out: Vec<&'static str> = Vec::new();
    for row in reports {
        if groups.is_empty() || out.len() == cat.t3_groups.len() {
            break;
        }
        let cells = batch.cells_by_position(row.index);
        for (position, def) in &groups {
            let shown = cells
                .get(*position)
                .copied()
                .flatten()
                .is_some_and(|c| c != CellAt::Cell(&Cell::Blank));
            if shown && !out.contains(&def.row_key) {
                out.push(def.row_key);
            }
        }
    }
    cat.t3_groups
        .iter()
        .map(|g| g.key)
        .filter(|k| out.contains(k))
        .collect()
}

/// The running sums of a table sheet's columns and the units seen in each.
pub(super) struct Accumulator {
    pub(super) sums: Vec<Option<Num>>,
    /// The plain counts of each column, added as integers (most cells; see [`CellAt::Count`]);
    /// its sum is `sums` and `counts` together.
    pub(super) counts: Vec<Option<i64>>,
    /// The units written in each column's numbers: a column whose header prints no unit (V2019
    /// 采购总金额) may hold 元 in one report and 万元 in another, and those must not be summed.
    pub(super) units: Vec<Vec<Option<MoneyUnit>>>,
}

impl Accumulator {
    /// Counts a number of column `i` in its sum, in `unit` (none written).
    fn add(&mut self, i: usize, kind: ValueKind, value: Number, unit: Option<MoneyUnit>) {
        match value {
            Number::Count(v) => self.counts[i] = self.counts[i].and_then(|c| c.checked_add(i64::from(v))),
            Number::Plain(v) => self.sums[i] = self.sums[i].and_then(|s| s.checked_add(v)),
        }
        // In a 万元 column an unmarked number is in 万元 too.
        let unit = match (kind, unit) {
            (ValueKind::MoneyWanYuan, None) => Some(MoneyUnit::WanYuan),
            (_, u) => u,
        };
        if !self.units[i].contains(&unit) {
            self.units[i].push(unit);
        }
    }
}

/// A number of a report's row, as the batch holds it.
#[derive(Clone, Copy)]
enum Number {
    Count(i32),
    Plain(Num),
}

/// Where the year and the agency were found, for the summary sheet (empty when the data stated
/// them in fields of their own).
pub(super) fn origins_text(m: &Meta, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    if let Some(o) = &m.origins.year {
        parts.push(format!("{}{}", tr(lang, "年度：", "year: "), o.describe(zh)));
    } else if m.year.is_none() {
        parts.push(xxgk_model::report::year_text(None, lang));
    }
    if let Some(o) = &m.origins.agency {
        parts.push(format!("{}{}", tr(lang, "机关名称：", "agency: "), o.describe(zh)));
    }
    parts.join("\n")
}

/// The cells of a table sheet's columns and their positions in the catalogue.
#[derive(Clone, Copy)]
pub(super) struct Columns<'a> {
    pub(super) defs: &'a [&'a CellDef],
    pub(super) positions: &'a [usize],
}

/// Writes one report's row of a table sheet from its cells by catalogue position; with an
/// accumulator, its numbers count in the 合计.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_report_row(
    ws: &mut Worksheet,
    row: u32,
    meta: &Meta,
    cells: &[Option<CellAt<'_>>],
    failing: &BTreeMap<&str, Vec<&str>>,
    columns: Columns<'_>,
    f: &Formats,
    lang: Lang,
    mut acc: Option<&mut Accumulator>,
) -> Result<(), ExportError> {
    // Numbers and texts are written bare and formatted a run of neighbours at a time
    // (`format_run.rs`).
    let mut run = FormatRun::default();
    run.string(ws, row, 0, &meta.agency, &f.text)?;
    run.string(ws, row, 1, meta.region_code.as_deref().unwrap_or_default(), &f.text)?;
    run.number_or_blank(ws, row, 2, meta.year.map(f64::from), &f.count)?;
    run.string(ws, row, 3, meta.format.code(), &f.text)?;
    for (i, (def, &position)) in columns.defs.iter().zip(columns.positions).enumerate() {
        let col = META_COLS + i as u16;
        let cell = match cells.get(position).copied().flatten() {
            None => continue,
            // Most cells: a plain count, written without building its cell.
            Some(CellAt::Count(v)) => {
                let number = Number::Count(v);
                write_number(ws, &mut run, (row, col), def, (number, None), failing, f, lang)?;
                if let Some(acc) = acc.as_deref_mut() {
                    acc.add(i, def.kind, number, None);
                }
                continue;
            }
            Some(other) => other.to_cell(),
        };
        match cell.as_ref() {
            // An amount written in 元 in a 万元 column is not converted: it is kept as text and
            // stays out of the sum, and the rules report it.
            Cell::Number {
                unit: Some(MoneyUnit::Yuan),
                ..
            } if def.kind == ValueKind::MoneyWanYuan => {
                run.string(ws, row, col, &cell.raw_text(), &f.text)?;
            }
            Cell::Number { value, raw, unit, .. } => {
                let number = Number::Plain(*value);
                let summed = write_number(
                    ws,
                    &mut run,
                    (row, col),
                    def,
                    (number, raw.as_deref()),
                    failing,
                    f,
                    lang,
                )?;
                if summed && let Some(acc) = acc.as_deref_mut() {
                    acc.add(i, def.kind, number, *unit);
                }
            }
            Cell::Blank => {}
            Cell::Placeholder { raw } | Cell::Text { raw } => run.string(ws, row, col, raw, &f.text)?,
        }
    }
    run.flush(ws, row)
}

/// Writes a number of a report's row at `(row, col)`, with a note of its text as written (when
/// it says more than the number) and of the checks that failed there; `Ok(false)` when it has no
/// exact binary form and is written as text (then it is not summed).
#[allow(clippy::too_many_arguments)]
fn write_number<'f>(
    ws: &mut Worksheet,
    run: &mut FormatRun<'f>,
    (row, col): (u32, u16),
    def: &CellDef,
    (number, raw): (Number, Option<&str>),
    failing: &BTreeMap<&str, Vec<&str>>,
    f: &'f Formats,
    lang: Lang,
) -> Result<bool, ExportError> {
    // A count always has an exact binary form; a decimal without one is written as its text.
    let exact = match number {
        Number::Count(v) => Ok(f64::from(v)),
        Number::Plain(v) => exact_f64(v).ok_or(v),
    };
    let summed = match exact {
        Ok(x) => {
            let format = if failing.contains_key(def.id.as_str()) {
                &f.failing
            } else {
                f.number(def.kind)
            };
            run.number(ws, row, col, x, format)?;
            true
        }
        Err(v) => {
            run.string(ws, row, col, &v.to_string(), &f.text)?;
            false
        }
    };
    let mut note: Vec<String> = match (raw, number) {
        (Some(raw), Number::Plain(value)) if !says_only(raw, &value) => {
            vec![format!("{}{raw}", tr(lang, "原文：", "As written: "))]
        }
        _ => Vec::new(),
    };
    if let Some(rules) = failing.get(def.id.as_str()) {
        note.push(format!(
            "{}{}",
            tr(lang, "核对不成立：", "Failed checks: "),
            rules.join("、")
        ));
    }
    if !note.is_empty() {
        run.flush(ws, row)?;
        let note = Note::new(note.join("\n")).add_author_prefix(false);
        ws.insert_note(row, col, &note).map_err(xerr)?;
    }
    Ok(summed)
}

/// The cells of a report that a failed check names, each with the rules that failed there.
pub(super) fn failing_cells(findings: Option<&Vec<Finding>>) -> BTreeMap<&str, Vec<&str>> {
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

/// Whether a cell's text says nothing but its number: full-width digits (`１２`), spaces around
/// it, or commas grouping its digits. Such a text is not noted beside the number (a workbook of
/// 20,000 reports typed in full-width digits would hold millions of notes that add nothing);
/// any other text (`12（其中修订3件）`, `12件`) is.
pub(super) fn says_only(raw: &str, value: &Num) -> bool {
    let folded: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            '－' => '-',
            other => other,
        })
        .collect();
    folded == value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_that_only_spells_the_number_is_not_noted() {
        let n = |s: &str| s.parse::<Num>().expect("number");
        assert!(says_only("１２", &n("12")));
        assert!(says_only(" 7 ", &n("7")));
        assert!(says_only("1,234", &n("1234")));
        assert!(says_only("１２．５", &n("12.5")));
        assert!(!says_only("12（其中修订3件）", &n("12")));
        assert!(!says_only("12件", &n("12")));
        assert!(!says_only("13", &n("12")));
    }
}
