//! Reading a report from grids: the tables found by their labels, the cells put in place, and
//! the errors that name a table, row or column that is not there.

use super::*;

/// The tables read from grids: cells by catalogue id, where each came from, and warnings.
#[derive(Debug, Clone)]
pub(crate) struct Tables {
    /// The cells found (blank cells are absent, as in [`Cells`]); filled by [`Tables::finish`].
    pub cells: Cells,
    /// Where every catalogue cell is, blank or not.
    pub sources: SourceMap,
    /// Warnings (extra rows).
    pub findings: Vec<Finding>,
    /// The form read.
    pub(super) version: FormatVersion,
    /// The cells read so far, by catalogue position, in the order read.
    read: Vec<(usize, xxgk_model::Cell)>,
    /// The cells read from inside a merged region, to refuse a region over several of them.
    merged: Vec<MergedRead>,
}

/// A catalogue cell read from a position inside a merged region of a grid.
#[derive(Debug, Clone)]
struct MergedRead {
    /// The grid (its address: grids outlive the reading) and the region's index in it.
    grid: usize,
    merge: u32,
    /// The grid position read.
    at: (u32, u32),
    /// The catalogue position.
    position: usize,
    /// Where the position is, and where the region is (`表二!B5:C5`).
    location: Arc<Location>,
    region: Location,
}

/// The basic information and text sections found in grids.
#[derive(Debug, Clone, Default)]
pub(crate) struct InfoFound {
    /// 机关名称.
    pub agency: Option<String>,
    /// 年度.
    pub year: Option<u16>,
    /// Where the agency was found.
    pub agency_origin: Option<Origin>,
    /// Where the year was found.
    pub year_origin: Option<Origin>,
    /// 格式版本 as written.
    pub format: Option<FormatVersion>,
    /// 行政区划代码.
    pub region_code: Option<String>,
    /// 上级机关.
    pub parent_agency: Option<String>,
    /// 行政级别.
    pub level: Option<xxgk_model::AdminLevel>,
    /// 报告标题 as written in its own field.
    pub title_field: Option<String>,
    /// 发布日期.
    pub published: Option<String>,
    /// 前言.
    pub preamble: Option<String>,
    /// A title row, when found.
    pub title: Option<String>,
    /// Text sections with the heading as written.
    pub sections: Vec<(SectionKind, Section)>,
    /// Every section heading found, as written, whether or not a text follows it.
    pub headings: Vec<(SectionKind, String)>,
}

/// Reads one report from the grids of a file: basic information, text sections and the three
/// tables. `file` names the input in errors.
pub(crate) fn read_report(file: &str, grids: &[Grid]) -> Result<Imported, ImportError> {
    let info = read_info(grids);
    let version = detect_version(grids)
        .or(info.format)
        .or_else(|| info.year.and_then(FormatVersion::for_year))
        .ok_or_else(|| {
            ImportError::new(
                file,
                ErrorKind::Missing,
                None,
                "未找到年报表格：既没有“本年制发件数”（2021 版格式），也没有“本年新制作数量”（2019 版格式），也没有填写格式版本或年度",
                "no report tables found: neither “本年制发件数” (2021 format) nor “本年新制作数量” (2019 format), and no format version or year given",
            )
        })?;
    // An unknown year does not stop the tables: `metadata::complete` looks further and says so.
    let mut tables = read_tables(file, grids, version)?;
    let mut meta = Meta::new(info.agency.clone().unwrap_or_default(), 0, version);
    meta.year = info.year;
    meta.origins.year = info.year_origin.clone();
    meta.origins.agency = info.agency_origin.clone();
    // A workbook that carries no text at all (a statistics template) is tables only: its
    // sections are unknown rather than missing.
    meta.tables_only = info.preamble.is_none() && info.sections.iter().all(|(_, s)| s.text.trim().is_empty());
    meta.region_code = info.region_code.clone();
    meta.parent_agency = info.parent_agency.clone();
    meta.published = info.published.clone();
    meta.level = info.level;
    meta.title = match (&info.title_field, &info.title) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(t)) if *t != meta.standard_title() => Some(t.clone()),
        _ => None,
    };
    let mut report = Report::new(meta);
    report.preamble = info.preamble.clone();
    for (kind, section) in info.sections {
        *report.sections.slot(kind) = Some(section);
    }
    // Sections 二–四 are their tables, which were found: present even without text. A text
    // section (一, 五, 六) left empty is absent, so that the rules report it missing.
    for kind in SectionKind::ALL.into_iter().filter(|k| k.table().is_some()) {
        let slot = report.sections.slot(kind);
        if slot.is_none() {
            let heading = info
                .headings
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or_else(|| kind.heading().zh.to_string(), |(_, h)| h.clone());
            *slot = Some(Section {
                heading,
                text: String::new(),
            });
        }
    }
    report.cells = tables.cells;
    if info.agency.is_none() {
        tables.findings.push(warning(
            MISSING_INFO_RULE,
            None,
            None,
            format!("未找到{}：请在“{}”表填写", META_AGENCY.zh, INFO_SHEET.zh),
            format!(
                "the agency ({}) was not found: fill it in on the “{}” sheet",
                META_AGENCY.zh, INFO_SHEET.zh
            ),
        ));
    }
    if let Some(written) = info.format
        && written != version
    {
        tables.findings.push(warning(
            VERSION_MISMATCH_RULE,
            None,
            None,
            format!("工作簿写明的格式版本为 {written}，但表格是 {version} 格式，按表格读取"),
            format!(
                "the workbook says format {written}, but its tables are in the {version} layout; read as {version}"
            ),
        ));
    }
    Ok(Imported {
        report,
        sources: tables.sources,
        findings: tables.findings,
    })
}

pub(super) fn warning(
    rule: &'static str,
    table: Option<TableId>,
    subject: Option<String>,
    zh: String,
    en: String,
) -> Finding {
    Finding {
        rule: rule.into(),
        severity: Severity::Warning,
        status: Status::Fail,
        table,
        subject: subject.map(Into::into),
        cells: Vec::new(),
        expected: None,
        found: None,
        message: Text::new(zh, en).into(),
    }
}
/// Reads the tables of `grids` in place of those the text reader found in the same document (an
/// HTML page, a Word document): a grid keeps each cell's place, and the text's own table findings
/// described the fallback reading. On an error the text's reading stays as it was.
pub(crate) fn prefer_grid_tables(file: &str, grids: &[Grid], imported: &mut Imported) -> Result<(), ImportError> {
    let version = detect_version(grids).unwrap_or(imported.report.meta.format);
    let tables = read_tables(file, grids, version)?;
    imported.report.meta.format = version;
    imported.report.cells = tables.cells;
    imported.sources = tables.sources;
    imported.findings.retain(|f| f.table.is_none());
    imported.findings.extend(tables.findings);
    Ok(())
}

/// Reads the three tables of `version` from the grids.
pub(crate) fn read_tables(file: &str, grids: &[Grid], version: FormatVersion) -> Result<Tables, ImportError> {
    let mut out = Tables::new(version);
    t2(file, grids, version, &mut out)?;
    t3(file, grids, version, &mut out)?;
    t4(file, grids, version, &mut out)?;
    out.finish();
    Ok(out)
}

impl Tables {
    pub(super) fn new(version: FormatVersion) -> Self {
        // Every cell of the form is located, and most hold a value.
        let n = catalogue(version).cells().len();
        let mut sources = SourceMap::default();
        sources.reserve(n);
        Tables {
            cells: Cells::default(),
            sources,
            findings: Vec::new(),
            version,
            read: Vec::with_capacity(n),
            merged: Vec::new(),
        }
    }

    /// Reads the catalogue cell at `position` ([`xxgk_model::Catalogue::all_cells`]) from
    /// (row, col) of `g`.
    pub(super) fn put(&mut self, g: &Grid, position: usize, row: u32, col: u32) {
        let Some(def) = catalogue(self.version).all_cells().get(position) else {
            return;
        };
        // The text shown there: a position a merged region covers shows the region's text.
        let (text, location, merge) = g.shown_at(row, col);
        let cell = parse_cell(text, def.kind);
        if g.refuses_any()
            && let Some(words) = g.refusals(row, col).find_map(|refusal| refusal.words(&cell))
        {
            self.refuse(def, words, location);
            return;
        }
        if let Some((index, m)) = merge
            && (m.first_row, m.first_col) != (m.last_row, m.last_col)
        {
            self.merged.push(MergedRead {
                grid: std::ptr::from_ref(g) as usize,
                merge: index,
                at: (row, col),
                position,
                location: Arc::new(g.own_location(row, col)),
                region: g.region_location(m),
            });
        }
        self.sources.insert_shared(def.id.as_str(), location);
        if cell != xxgk_model::Cell::Blank {
            self.read.push((position, cell));
        }
    }

    /// Leaves a cell of the tables unread: an error naming the cell, its row and column, and
    /// why ([`Refusal::words`]).
    fn refuse(&mut self, def: &'static CellDef, words: RefusalWords, location: Arc<Location>) {
        let (at_zh, at_en) = (location.display(Lang::Zh), location.display(Lang::En));
        let RefusalWords {
            rule,
            why: (why_zh, why_en),
            advice: (advice_zh, advice_en),
        } = words;
        let mut finding = warning(
            rule,
            Some(def.table),
            Some(at_zh.clone()),
            format!(
                "{at_zh}（{} / {}）：{why_zh}，该格未读入{advice_zh}",
                def.row_label(Lang::Zh),
                def.column_label(Lang::Zh),
            ),
            format!(
                "{at_en} ({} / {}): {why_en}; the cell was not read{advice_en}",
                def.row_label(Lang::En),
                def.column_label(Lang::En),
            ),
        );
        finding.severity = Severity::Error;
        // Not read: the finding's cell is blank, as the report's is.
        let mut r = xxgk_model::CellRef::with_cell(self.version, def.id.as_str(), &xxgk_model::Cell::Blank);
        r.location = Some(Arc::clone(&location));
        finding.cells = vec![r];
        self.findings.push(finding);
        self.sources.insert_shared(def.id.as_str(), location);
    }

    /// Locates the catalogue cell at `position` at (row, col) of `g` without reading it (a cell
    /// refused, whose finding points there).
    pub(super) fn locate(&mut self, g: &Grid, position: usize, row: u32, col: u32) {
        if let Some(def) = catalogue(self.version).all_cells().get(position) {
            self.sources.insert_shared(def.id.as_str(), g.shared_location(row, col));
        }
    }

    /// Refuses the cells read from a merged region that covers more than one position read:
    /// the one value the region shows belongs to one of them at most, and which one cannot be
    /// told (Excel shows it across all of them; the sheet keeps it in the top-left cell only).
    /// Each such region is an error finding naming it and the cells, which stay unread.
    fn refuse_merged_values(&mut self) {
        if self.merged.is_empty() {
            return;
        }
        let all = catalogue(self.version).all_cells();
        let mut merged = std::mem::take(&mut self.merged);
        // Region by region, in reading order within each.
        merged.sort_by_key(|m| (m.grid, m.merge));
        let mut refused: Vec<usize> = Vec::new();
        for group in merged.chunk_by(|a, b| (a.grid, a.merge) == (b.grid, b.merge)) {
            let mut positions: Vec<(u32, u32)> = group.iter().map(|m| m.at).collect();
            positions.sort_unstable();
            positions.dedup();
            if positions.len() < 2 {
                continue;
            }
            let Some(first) = group.first() else { continue };
            let defs: Vec<(&CellDef, &MergedRead)> = group
                .iter()
                .filter_map(|m| all.get(m.position).map(|d| (d, m)))
                .collect();
            let list = |lang: Lang| -> String {
                defs.iter()
                    .map(|(d, m)| {
                        let at = m.location.display(lang);
                        match lang {
                            Lang::Zh => format!("{at}（{} / {}）", d.row_label(lang), d.column_label(lang)),
                            Lang::En => format!("{at} ({} / {})", d.row_label(lang), d.column_label(lang)),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(match lang {
                        Lang::Zh => "、",
                        Lang::En => ", ",
                    })
            };
            let region_zh = first.region.display(Lang::Zh);
            let region_en = first.region.display(Lang::En);
            let table = defs.first().map(|(d, _)| d.table);
            let blank = xxgk_model::Cell::Blank;
            let mut finding = warning(
                MERGED_VALUE_RULE,
                table,
                Some(region_zh.clone()),
                format!(
                    "{region_zh}：合并单元格跨越{}个数值格（{}），无法确定其数值属于哪一格，这些格均未读入：请取消合并，在各格分别填写",
                    positions.len(),
                    list(Lang::Zh)
                ),
                format!(
                    "{region_en}: a merged cell spans {} value cells ({}); which of them its value belongs to cannot be told, so none was read: unmerge the cells and fill in each",
                    positions.len(),
                    list(Lang::En)
                ),
            );
            finding.severity = Severity::Error;
            finding.cells = defs
                .iter()
                .map(|(d, m)| {
                    let mut r = xxgk_model::CellRef::with_cell(self.version, d.id.as_str(), &blank);
                    r.location = Some(Arc::clone(&m.location));
                    r
                })
                .collect();
            self.findings.push(finding);
            for (d, m) in &defs {
                self.sources.insert_shared(d.id.as_str(), Arc::clone(&m.location));
            }
            refused.extend(group.iter().map(|m| m.position));
        }
        if !refused.is_empty() {
            self.read.retain(|(p, _)| !refused.contains(p));
        }
    }

    /// Puts the cells read into [`Tables::cells`] in form order (a cell read twice keeps its
    /// last reading), cells read from a merged region over several of them refused.
    pub(super) fn finish(&mut self) {
        self.refuse_merged_values();
        let all = catalogue(self.version).all_cells();
        // Stable: of two readings of one cell, the later stays later and wins below.
        self.read.sort_by_key(|(p, _)| *p);
        self.cells.0.reserve(self.read.len());
        for (p, cell) in self.read.drain(..) {
            if let Some(def) = all.get(p) {
                self.cells.set(def.id.clone(), cell);
            }
        }
    }
}

/// Whether `row` of a grid that is one table (an HTML table) takes more positions than its
/// header rows `header` do: its values cannot be put under their columns, since which of its
/// cells is the one too many cannot be told. If so, an error naming the table, the row
/// (`label`) and both widths, and `true`: the caller leaves the row unread.
pub(super) fn wider_than_header(
    out: &mut Tables,
    g: &Grid,
    table: TableId,
    (label, label_col): (&str, u32),
    row: u32,
    header: &[u32],
) -> bool {
    let Some(width) = g.row_width(row) else {
        return false;
    };
    let Some(columns) = header.iter().filter_map(|&h| g.row_width(h)).max() else {
        return false;
    };
    if width <= columns {
        return false;
    }
    let at = g.own_location(row, label_col);
    let (at_zh, at_en) = (at.display(Lang::Zh), at.display(Lang::En));
    let mut finding = warning(
        ROW_WIDTH_RULE,
        Some(table),
        Some(label.to_string()),
        format!(
            "{at_zh}：{}的行“{label}”有{width}格，表头只有{columns}列：多出的是哪一格无法确定，该行未读入",
            table.name(Lang::Zh)
        ),
        format!(
            "{at_en}: row “{label}” of {} has {width} cells, its header {columns} columns: which cell is the one too many cannot be told, so the row was not read",
            table.name(Lang::En)
        ),
    );
    finding.severity = Severity::Error;
    out.findings.push(finding);
    true
}

/// `行“…”` or `row "…"`: one official row named in a message of `lang`.
pub(super) fn row_named(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Zh => format!("行“{label}”"),
        Lang::En => format!("row \"{label}\""),
    }
}

/// `列“…”` or `column "…"`: one official column named in a message of `lang`.
pub(super) fn column_named(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Zh => format!("列“{label}”"),
        Lang::En => format!("column \"{label}\""),
    }
}

pub(super) fn missing(
    file: &str,
    at: Option<Location>,
    table: TableId,
    what_zh: &[String],
    what_en: &[String],
) -> ImportError {
    let t = table.name(Lang::Zh);
    let te = table.name(Lang::En);
    let list = what_zh.join("；");
    let list_en = what_en.join("; ");
    ImportError::new(
        file,
        ErrorKind::Missing,
        at,
        format!("{t}中找不到：{list}"),
        format!("{te}: not found: {list_en}"),
    )
}

/// The first cell (grid by grid, row by row) whose label satisfies `pred`.
pub(super) fn find_cell(grids: &[Grid], pred: impl Fn(&str) -> bool) -> Option<(usize, u32, u32)> {
    grids.iter().enumerate().find_map(|(i, g)| {
        g.labels()
            .find(|(_, _, c)| pred(c.comparable_text()))
            .map(|(r, c, _)| (i, r, c))
    })
}

/// Header rows above `first_data_row` (at most [`MAX_HEADER_ROWS`], stopping at an empty row).
pub(super) fn header_rows(g: &Grid, first_data_row: u32, cols: std::ops::RangeInclusive<u32>) -> Vec<u32> {
    let mut rows = Vec::new();
    let mut r = first_data_row;
    while r > 0 && rows.len() < MAX_HEADER_ROWS as usize {
        r -= 1;
        if g.row_is_empty(r, cols.clone()) {
            break;
        }
        rows.push(r);
    }
    rows.reverse();
    rows
}

/// The label path of column `col` in `rows` (top to bottom). In every row but the lowest, an
/// empty cell takes the text to its left (a group header written once over several columns),
/// looking no further left than `from_col`.
pub(super) fn column_path<'g>(g: &'g Grid, rows: &[u32], col: u32, from_col: u32) -> Path<'g> {
    let mut parts = Vec::new();
    for (i, &r) in rows.iter().enumerate() {
        let mut t = g.comparable_at(r, col);
        if t.is_empty() && i + 1 < rows.len() {
            let mut c = col;
            while t.is_empty() && c > from_col {
                c -= 1;
                t = g.comparable_at(r, c);
            }
        }
        push_part(&mut parts, t);
    }
    Path { parts }
}

/// The lowest non-empty header text of a column (its own label).
pub(super) fn column_leaf<'g>(g: &'g Grid, rows: &[u32], col: u32) -> &'g str {
    rows.iter()
        .rev()
        .map(|&r| g.comparable_at(r, col))
        .find(|t| !t.is_empty())
        .unwrap_or("")
}
