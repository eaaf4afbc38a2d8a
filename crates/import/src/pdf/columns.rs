//! Tables printed without vertical lines: columns found from where the text stands.
//!
//! Word and WPS “三线表” (rules above and below the header and under the table, or between rows
//! only) and tables whose borders were removed draw no vertical lines, so [`super::layout`]
//! finds no grid in them. Their cells still stand at fixed x-positions: every number of a column
//! is centred (or right- or left-aligned) on the same x, row after row. This module finds such
//! tables among the lines of text of a page and reads their cells by column:
//!
//! - a **data line** has a run of text that is a number and at least one other run (runs are
//!   the glyphs of a line between gaps wider than half a character);
//! - data lines close to each other (with header, caption and label lines between them, but no
//!   section heading and no paragraph) are one table; header lines just above the first are its
//!   header;
//! - the **columns** are the numbers' runs grouped by overlap (a run overlapping two runs that do
//!   not overlap each other bridges two columns and is left out), each with its alignment (the
//!   edge or centre its numbers share) and that x as its anchor;
//! - every run right of the row labels goes to the one column whose anchor it stands on. A run
//!   standing on no anchor, or on two, is **never moved** to the nearest column: the cells whose
//!   share of the line it reaches read [`UNPLACED`] followed by its text, which no reader takes
//!   for a number, and the PDF reader leaves them unread and names them (`IMPORT-PDF-COLUMN`);
//! - a label wrapped over several lines is joined to its row: a line that starts a numbered label
//!   (“（二）”, “1.”) belongs to the next data line, any other to the line above;
//! - header lines become header rows: a run over several columns (a group header) in a row of its
//!   own with its span, the runs over one column joined top to bottom into that column's label.

use super::content::Glyph;
use super::layout::{PageCell, PageTable, line_text};

/// The start of the text of a cell whose run stands on no column (or on two): the run's text
/// follows. It is not a number, so the cell is never read as a value of the wrong column; the
/// PDF reader leaves it unread and names it.
pub(crate) const UNPLACED: &str = "〔列位置不明〕";

/// Most numeric runs looked at on one page (a real table 3 has about 200).
const MAX_NUMERIC_RUNS: usize = 3_000;
/// Most non-data lines between two data lines of one table.
const MAX_GAP_LINES: usize = 10;
/// Most header lines above a table's first data line.
const MAX_HEADER_LINES: usize = 8;
/// Most columns of a table.
const MAX_COLUMNS: usize = 63;

/// A run of glyphs of one line, between gaps wider than half a character (the wider of the two
/// glyphs beside the gap).
#[derive(Debug)]
struct Run<'g> {
    x0: f32,
    x1: f32,
    size: f32,
    text: String,
    numeric: bool,
    glyphs: Vec<&'g Glyph>,
}

impl Run<'_> {
    fn center(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// A line of text cut into runs.
#[derive(Debug)]
struct TLine<'g> {
    top: f32,
    bottom: f32,
    size: f32,
    runs: Vec<Run<'g>>,
}

impl TLine<'_> {
    fn numeric(&self) -> usize {
        self.runs.iter().filter(|r| r.numeric).count()
    }

    /// Runs that read as a table value: a number (maybe with a unit or a note after it) or a
    /// placeholder.
    fn values(&self) -> usize {
        self.runs.iter().filter(|r| is_value(&r.text)).count()
    }

    fn is_data(&self) -> bool {
        let n = self.values();
        (n >= 2 || n >= 1 && self.runs.len() >= 2) && !super::layout::is_page_number(&self.text())
    }

    fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// A section heading, or a paragraph's line: a table does not go on over it.
    fn breaks_table(&self) -> bool {
        let text = self.text();
        crate::labels::section_of(&text).is_some() || self.runs.len() == 1 && text.chars().count() > 40
    }
}

/// Whether a run's text is a number as tables print them: digits (ASCII or full-width), a sign,
/// a decimal point, thousands separators.
fn is_number(text: &str) -> bool {
    let t = text.trim();
    let mut digits = 0;
    for c in t.chars() {
        match c {
            '0'..='9' | '０'..='９' => digits += 1,
            '.' | ',' | '-' | '+' | '．' | '，' | '－' | ' ' => {}
            _ => return false,
        }
    }
    digits > 0 && t.chars().count() <= 24
}

/// Whether a run's text is a value of a table: a number, maybe followed by a unit or a note
/// (“251000元”, “22（其中修订16件）”), or a placeholder (“/”, “—”, “无”).
fn is_value(text: &str) -> bool {
    let t = text.trim();
    if is_number(t) || xxgk_model::Cell::is_placeholder_text(t) {
        return true;
    }
    let body = t.strip_prefix(['-', '－', '+']).unwrap_or(t);
    let number = body
        .find(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c) || ",.，．".contains(c)))
        .unwrap_or(body.len());
    let rest = &body[number..];
    // A unit or a note in brackets after it; not a numbered label (“2.其他”).
    number > 0
        && !body[..number].ends_with(['.', '．'])
        && rest.starts_with(['（', '(', '元', '万', '件', '条', '个', '次', '%', '％'])
        && t.chars().count() <= 40
}

fn runs_of<'g>(mut glyphs: Vec<&'g Glyph>) -> Vec<Run<'g>> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut runs: Vec<Vec<&'g Glyph>> = Vec::new();
    for g in glyphs {
        match runs.last_mut() {
            Some(run)
                if run
                    .last()
                    .is_some_and(|p| g.x - p.x1 <= 0.5 * (p.x1 - p.x).max(g.x1 - g.x).max(0.3 * p.size).max(0.5)) =>
            {
                run.push(g)
            }
            _ => runs.push(vec![g]),
        }
    }
    runs.into_iter()
        .filter_map(|glyphs| {
            let text = line_text(glyphs.clone()).trim().to_string();
            if text.is_empty() {
                return None;
            }
            Some(Run {
                x0: glyphs.iter().map(|g| g.x).fold(f32::MAX, f32::min),
                x1: glyphs.iter().map(|g| g.x1).fold(f32::MIN, f32::max),
                size: glyphs.iter().map(|g| g.size).fold(0.0, f32::max),
                numeric: is_number(&text),
                text,
                glyphs,
            })
        })
        .collect()
}

/// A column of numbers: where its numbers line up.
#[derive(Debug, Clone, Copy)]
struct Column {
    /// The x its numbers share, by alignment: left edges, centres, right edges. Numbers of one
    /// width line up on all three; numbers of several widths only on the edge (or the centre)
    /// they are aligned by.
    anchors: [Option<f32>; 3],
    tol: f32,
    /// Extent of its numbers.
    x0: f32,
    x1: f32,
}

impl Column {
    fn mid(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }

    fn of(align: u8, r: &Run<'_>) -> f32 {
        match align {
            0 => r.x0,
            1 => r.center(),
            _ => r.x1,
        }
    }

    fn holds(&self, r: &Run<'_>) -> bool {
        (0..3u8)
            .any(|a| self.anchors[usize::from(a)].is_some_and(|anchor| (Column::of(a, r) - anchor).abs() <= self.tol))
    }
}

fn overlaps(a: &Run<'_>, b: &Run<'_>) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1
}

/// The columns of the numbers of `runs`, left to right.
fn columns(runs: &[&Run<'_>]) -> Vec<Column> {
    let n = runs.len();
    // A run overlapping two runs that do not overlap each other bridges two columns.
    // Two of the runs it overlaps miss each other when one ends before another starts: the
    // earliest end against the latest start (linear in the runs it overlaps).
    let bridge: Vec<bool> = (0..n)
        .map(|i| {
            let (mut end, mut start) = (f32::MAX, f32::MIN);
            // (A run of no width is left out: it would seem to end before it starts.)
            for j in (0..n).filter(|&j| j != i && runs[j].x1 > runs[j].x0 && overlaps(runs[i], runs[j])) {
                end = end.min(runs[j].x1);
                start = start.max(runs[j].x0);
            }
            end <= start
        })
        .collect();
    let mut order: Vec<usize> = (0..n).filter(|&i| !bridge[i]).collect();
    order.sort_by(|&a, &b| runs[a].x0.total_cmp(&runs[b].x0));
    // Sorted by left edge, overlapping runs are consecutive groups.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut reach = f32::MIN;
    for i in order {
        if groups.is_empty() || runs[i].x0 >= reach {
            groups.push(Vec::new());
            reach = runs[i].x1;
        }
        reach = reach.max(runs[i].x1);
        if let Some(g) = groups.last_mut() {
            g.push(i);
        }
    }
    groups
        .into_iter()
        .filter_map(|g| {
            let size = median(g.iter().map(|&i| runs[i].size).collect())?;
            let tol = (0.45 * size).max(2.0);
            // The alignments most of the column's numbers share, and among those the ones they
            // share as closely as the best (within half a point).
            let fits: Vec<(f32, usize, f32)> = (0..3u8)
                .map(|align| {
                    let anchor = median(g.iter().map(|&i| Column::of(align, runs[i])).collect()).unwrap_or(0.0);
                    let devs: Vec<f32> = g
                        .iter()
                        .map(|&i| (Column::of(align, runs[i]) - anchor).abs())
                        .filter(|d| *d <= tol)
                        .collect();
                    let mean = devs.iter().sum::<f32>() / devs.len().max(1) as f32;
                    (anchor, devs.len(), mean)
                })
                .collect();
            let most = fits.iter().map(|f| f.1).max().unwrap_or(0);
            let closest = fits
                .iter()
                .filter(|f| f.1 == most)
                .map(|f| f.2)
                .fold(f32::MAX, f32::min);
            let anchors = [0, 1, 2].map(|a: usize| {
                let (anchor, on, mean) = fits[a];
                (on == most && mean <= closest + 0.5).then_some(anchor)
            });
            Some(Column {
                anchors,
                tol,
                x0: g.iter().map(|&i| runs[i].x0).fold(f32::MAX, f32::min),
                x1: g.iter().map(|&i| runs[i].x1).fold(f32::MIN, f32::max),
            })
        })
        .collect()
}

fn median(mut v: Vec<f32>) -> Option<f32> {
    v.sort_by(f32::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Whether a label starts with the number of an item: “一、”, “（二）”, “(3)”, “1.”, “2、”.
fn numbered(text: &str) -> bool {
    let t = text.trim_start();
    let mut chars = t.chars().peekable();
    let open = matches!(chars.peek(), Some('（' | '('));
    if open {
        chars.next();
    }
    let mut n = 0;
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c) {
            n += 1;
            chars.next();
        } else {
            break;
        }
    }
    if n == 0 {
        return false;
    }
    match chars.next() {
        Some('）' | ')') => open,
        Some('、' | '.' | '．') => !open,
        _ => false,
    }
}

/// One table found on the page: its lines (indexes into the page's lines), top to bottom.
struct Found {
    lines: Vec<usize>,
    first_data: usize,
}

/// Finds the tables without vertical lines among a page's lines of free glyphs (top to bottom,
/// each a line's glyphs); returns them and the lines left for the text.
pub(crate) fn borderless_tables<'g>(lines: Vec<Vec<&'g Glyph>>) -> (Vec<PageTable>, Vec<Vec<&'g Glyph>>) {
    let tlines: Vec<TLine<'g>> = lines
        .into_iter()
        .map(|glyphs| {
            let size = glyphs.iter().map(|g| g.size).fold(0.0, f32::max);
            let top = glyphs.iter().map(|g| g.y - g.size).fold(f32::MAX, f32::min);
            let bottom = glyphs.iter().map(|g| g.y + 0.25 * g.size).fold(f32::MIN, f32::max);
            TLine {
                top,
                bottom,
                size,
                runs: runs_of(glyphs),
            }
        })
        .filter(|l| !l.runs.is_empty())
        .collect();
    let numeric_runs: usize = tlines.iter().map(TLine::numeric).sum();
    let mut used = vec![false; tlines.len()];
    let mut tables = Vec::new();
    if numeric_runs <= MAX_NUMERIC_RUNS {
        for found in group(&tlines) {
            if let Some((t, span)) = build(&tlines, &found) {
                for i in span {
                    used[i] = true;
                }
                tables.push(t);
            }
        }
    }
    let rest = tlines
        .into_iter()
        .zip(used)
        .filter(|(_, u)| !u)
        .map(|(l, _)| l.runs.into_iter().flat_map(|r| r.glyphs).collect())
        .collect();
    (tables, rest)
}

/// Groups data lines into tables, with the lines between them.
fn group(lines: &[TLine<'_>]) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].is_data() {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < lines.len() && j - last <= MAX_GAP_LINES + 1 {
            let (prev, l) = (&lines[j - 1], &lines[j]);
            if l.top - prev.bottom > 2.5 * prev.size.max(l.size) || l.breaks_table() {
                break;
            }
            if l.is_data() {
                last = j;
            }
            j += 1;
        }
        out.push(Found {
            lines: (i..=last).collect(),
            first_data: i,
        });
        i = last + 1;
    }
    out
}

/// Where a run goes in a data row.
enum Place {
    Label,
    Column(usize),
    Unplaced(Vec<usize>),
}

/// A row of the table being built: its lines' extent and its cells by column (0 is the label).
struct BuiltRow {
    top: f32,
    bottom: f32,
    /// Header rows carry cells with spans: (first column, last column, text).
    cells: Vec<(usize, usize, String)>,
}

fn build(lines: &[TLine<'_>], found: &Found) -> Option<(PageTable, Vec<usize>)> {
    let data: Vec<&TLine<'_>> = found.lines.iter().map(|&i| &lines[i]).filter(|l| l.is_data()).collect();
    // Columns are found from the plain numbers; from the values with units or notes where
    // there is no plain number (a block of one “251000元”).
    let mut numbers: Vec<&Run<'_>> = data.iter().flat_map(|l| l.runs.iter().filter(|r| r.numeric)).collect();
    if numbers.is_empty() {
        numbers = data
            .iter()
            .flat_map(|l| l.runs.iter().filter(|r| is_value(&r.text)))
            .collect();
    }
    let cols = columns(&numbers);
    if cols.is_empty() || cols.len() > MAX_COLUMNS {
        return None;
    }
    let size = median(data.iter().map(|l| l.size).collect()).unwrap_or(10.0);
    let first_x = cols[0].x0;
    let first_col = cols[0];
    let is_label = move |r: &Run<'_>| r.x1 <= first_x + first_col.tol && !first_col.holds(r);
    // Where the row labels end: half-way from the longest label to the first column (a header
    // centred over the first column may start left of its numbers); no label column, no edge.
    let labels_end = data
        .iter()
        .flat_map(|l| l.runs.iter())
        .filter(|r| is_label(r))
        .map(|r| r.x1)
        .fold(f32::MIN, f32::max);
    let label_edge = if labels_end > f32::MIN {
        (labels_end + first_x) / 2.0
    } else {
        f32::MIN
    };
    // Header lines above the first data line: more than one run, or one standing over the
    // numbers' columns (a group header); not a section heading.
    let mut first = found.first_data;
    let header_like = |l: &TLine<'_>| {
        !l.is_data() && (l.runs.len() >= 2 || l.runs.iter().all(|r| r.center() > label_edge)) && !l.breaks_table()
    };
    let near = |upper: usize, lower: usize| lines[lower].top - lines[upper].bottom <= 2.5 * size;
    let label_only =
        |l: &TLine<'_>| !l.is_data() && !l.breaks_table() && l.runs.iter().all(|r| r.center() < label_edge);
    while first > 0 && found.first_data - first < MAX_HEADER_LINES && near(first - 1, first) {
        if header_like(&lines[first - 1]) {
            first -= 1;
            continue;
        }
        // A row label begun above its values, just under the header (a table going on over a
        // page, its header repeated): up to three label lines, then a header line.
        let mut j = first - 1;
        while j > 0 && first - j <= 3 && label_only(&lines[j]) && near(j - 1, j) {
            j -= 1;
        }
        if j < first - 1 && header_like(&lines[j]) && found.first_data - j <= MAX_HEADER_LINES {
            first = j;
        } else {
            break;
        }
    }
    // A caption just above the header (“第二十条第（一）项”): one line of one run.
    if first < found.first_data
        && first > 0
        && lines[first - 1].runs.len() == 1
        && !lines[first - 1].is_data()
        && !lines[first - 1].breaks_table()
        && lines[first].top - lines[first - 1].bottom <= 2.5 * size
    {
        first -= 1;
    }
    // One number alone is no table (a line such as “第 1 页 共 5 页”, a date, a figure in a
    // heading): two columns, two rows, or a header over it.
    if cols.len() < 2 && data.len() < 2 && first == found.first_data {
        return None;
    }
    let mut last = *found.lines.last()?;
    // The last row's label wrapped below its values (cells aligned at the top): up to three
    // lines under it, starting where its label does, none numbered, none a note.
    let label_x: Vec<f32> = lines[last]
        .runs
        .iter()
        .filter(|r| r.center() < label_edge)
        .map(|r| r.x0)
        .collect();
    let tail = last;
    while last + 1 < lines.len() && last - tail < 3 && near(last, last + 1) {
        let l = &lines[last + 1];
        let text = l.text();
        if !label_only(l)
            || text.starts_with(['注', '说', '备'])
            || l.runs
                .iter()
                .any(|r| numbered(&r.text) || !label_x.iter().any(|x| (r.x0 - x).abs() <= 0.6 * size))
        {
            break;
        }
        last += 1;
    }
    let span: Vec<usize> = (first..=last).collect();
    // A column of one number that no header names is a number standing off its column (or
    // between two), not a column: it is left out, so that the number is refused.
    let headers_over: Vec<&Run<'_>> = span
        .iter()
        .map(|&i| &lines[i])
        .filter(|l| !l.is_data())
        .flat_map(|l| l.runs.iter())
        .filter(|r| r.center() >= label_edge)
        .collect();
    let headed: Vec<bool> = (0..cols.len())
        .map(|c| {
            headers_over.iter().any(|r| {
                let over = (0..cols.len())
                    .filter(|&k| cols[k].mid() > r.x0 && cols[k].mid() < r.x1)
                    .count();
                over < 2 && nearest(&cols, r.center()) == c
            })
        })
        .collect();
    let members = |c: usize| numbers.iter().filter(|r| cols[c].holds(r)).count();
    let cols: Vec<Column> = if headers_over.is_empty() {
        cols
    } else {
        (0..cols.len())
            .filter(|&c| headed[c] || members(c) > 1)
            .map(|c| cols[c])
            .collect()
    };
    if cols.is_empty() {
        return None;
    }
    // Runs left of the first column's numbers (by more than their tolerance) are row labels.
    let place = |r: &Run<'_>| -> Place {
        if is_label(r) {
            return Place::Label;
        }
        let on: Vec<usize> = (0..cols.len()).filter(|&c| cols[c].holds(r)).collect();
        match on.as_slice() {
            [c] => Place::Column(*c),
            _ => Place::Unplaced(covered(&cols, r.x0, r.x1)),
        }
    };
    // The lines in order, in kinds: header blocks, label lines, data lines.
    let mut rows: Vec<BuiltRow> = Vec::new();
    // Label runs waiting for the next data row, and the last data row's index.
    let mut pending: Vec<&Run<'_>> = Vec::new();
    let mut labels: Vec<Vec<&Run<'_>>> = Vec::new();
    let mut row_of_label: Vec<usize> = Vec::new();
    let mut last_row: Option<usize> = None;
    // The last header row of each header block.
    let mut headers: Vec<usize> = Vec::new();
    let mut k = 0;
    while k < span.len() {
        let l = &lines[span[k]];
        if l.is_data() {
            let mut cells: Vec<(usize, usize, String)> = Vec::new();
            let mut own: Vec<&Run<'_>> = std::mem::take(&mut pending);
            for r in &l.runs {
                match place(r) {
                    Place::Label => own.push(r),
                    Place::Column(c) => push_text(&mut cells, c + 1, c + 1, &r.text),
                    Place::Unplaced(cs) => {
                        for c in cs {
                            push_text(&mut cells, c + 1, c + 1, &format!("{UNPLACED}{}", r.text));
                        }
                    }
                }
            }
            rows.push(BuiltRow {
                top: l.top,
                bottom: l.bottom,
                cells,
            });
            labels.push(own);
            row_of_label.push(rows.len() - 1);
            last_row = Some(labels.len() - 1);
            k += 1;
            continue;
        }
        // A block of header lines (not label lines alone).
        let is_label_line = l.runs.iter().all(|r| r.center() < label_edge);
        if !is_label_line {
            let mut block = vec![l];
            while k + 1 < span.len() && !lines[span[k + 1]].is_data() {
                let next = &lines[span[k + 1]];
                if next.runs.iter().all(|r| r.center() < label_edge) && !header_follows(lines, &span, k + 1, label_edge)
                {
                    break;
                }
                block.push(next);
                k += 1;
            }
            // Label lines waiting above a header block are captions: rows of their own.
            for r in std::mem::take(&mut pending) {
                rows.push(BuiltRow {
                    top: r.glyphs.iter().map(|g| g.y - g.size).fold(f32::MAX, f32::min),
                    bottom: r.glyphs.iter().map(|g| g.y).fold(f32::MIN, f32::max),
                    cells: vec![(0, cols.len(), r.text.clone())],
                });
            }
            header_rows(&block, &cols, label_edge, &mut rows);
            headers.push(rows.len() - 1);
            last_row = None;
            k += 1;
            continue;
        }
        // A label line: a numbered label (and what continues it below) starts the next row's
        // label; anything else goes on with the row above (or the next row, at the top of a
        // table). A label line above a header block is a caption (a row of its own, made there).
        let caption = last_row.is_none() || header_follows(lines, &span, k, label_edge);
        for r in &l.runs {
            let continues = pending.iter().any(|p| (p.x0 - r.x0).abs() <= 0.6 * size);
            match last_row {
                Some(i) if !(caption || continues || numbered(&r.text)) => {
                    labels[i].push(r);
                    let row = &mut rows[row_of_label[i]];
                    row.bottom = row.bottom.max(l.bottom);
                }
                _ => pending.push(r),
            }
        }
        k += 1;
    }
    // Numbered label lines with no data line after them (before the table's end) stay with
    // the last row.
    if let Some(i) = labels.len().checked_sub(1) {
        labels[i].append(&mut pending);
    }
    for (i, runs) in labels.into_iter().enumerate() {
        let text = label_text(runs, size);
        let row = &mut rows[row_of_label[i]];
        if !text.is_empty() {
            row.cells.insert(0, (0, 0, text));
        }
    }
    spread_to_headers(&mut rows, &headers, cols.len());
    let table = page_table(&cols, lines, &span, rows);
    Some((table, span))
}

/// A header block that names fewer columns than the numbers stand in (table 2's
/// “本年处理决定数量” over three columns, “本年增/减” over two): each named header spans the
/// columns nearer to it than to any other named header, and each row's value in that stretch
/// spans it too, as the merged cells of the printed form did. Only where every row has at most
/// one value in each stretch; otherwise the cells stay as they stand.
fn spread_to_headers(rows: &mut [BuiltRow], headers: &[usize], ncols: usize) {
    for (k, &h) in headers.iter().enumerate() {
        // The rows under the header, down to the next caption or header.
        let next = headers.get(k + 1).copied().unwrap_or(rows.len());
        let caption = |row: &BuiltRow| row.cells.iter().any(|c| c.0 == 0 && c.1 > 0);
        let end = (h + 1..next).find(|&r| caption(&rows[r])).unwrap_or(next);
        // The columns each header names (one, or several under a header over them).
        let mut named: Vec<(usize, usize)> = rows[h].cells.iter().filter(|c| c.0 > 0).map(|c| (c.0, c.1)).collect();
        named.sort_unstable();
        if named.is_empty() {
            continue;
        }
        // Each column belongs to the nearest named header (the left one on a tie), and each
        // header's stretch is the columns that belong to it.
        let owner = |c: usize| {
            named
                .iter()
                .copied()
                .min_by_key(|&(a, b)| (a.saturating_sub(c).max(c.saturating_sub(b)), a))
                .unwrap_or((c, c))
        };
        let stretch = |n: (usize, usize)| {
            let cols: Vec<usize> = (1..=ncols).filter(|&c| owner(c) == n).collect();
            (
                cols.first().copied().unwrap_or(n.0),
                cols.last().copied().unwrap_or(n.1),
            )
        };
        if named.iter().all(|&n| stretch(n) == n) {
            continue;
        }
        let fits = rows[h + 1..end].iter().all(|r| {
            named.iter().all(|&n| {
                let (lo, hi) = stretch(n);
                r.cells.iter().filter(|c| c.0 >= lo && c.1 <= hi && c.0 > 0).count() <= 1
            }) && r.cells.iter().all(|c| c.0 == 0 || c.0 == c.1)
        });
        if !fits {
            continue;
        }
        for cell in rows[h].cells.iter_mut().filter(|c| c.0 > 0) {
            (cell.0, cell.1) = stretch((cell.0, cell.1));
        }
        for row in &mut rows[h + 1..end] {
            for cell in row.cells.iter_mut().filter(|c| c.0 > 0) {
                (cell.0, cell.1) = stretch(owner(cell.0));
            }
        }
    }
}

/// Whether a header block starts at `k` after label lines (captions above a header).
fn header_follows(lines: &[TLine<'_>], span: &[usize], k: usize, label_edge: f32) -> bool {
    span[k..]
        .iter()
        .map(|&i| &lines[i])
        .take_while(|l| !l.is_data())
        .any(|l| l.runs.iter().any(|r| r.center() >= label_edge))
}

fn push_text(cells: &mut Vec<(usize, usize, String)>, c0: usize, c1: usize, text: &str) {
    if let Some(cell) = cells.iter_mut().find(|c| c.0 == c0 && c.1 == c1) {
        cell.2.push(' ');
        cell.2.push_str(text);
    } else {
        cells.push((c0, c1, text.to_string()));
    }
}

/// The columns (0-based among the numbers' columns) a stretch of x falls in: those whose share
/// of the line (half-way to the next column on each side) it reaches into.
fn covered(cols: &[Column], x0: f32, x1: f32) -> Vec<usize> {
    let bounds = bounds(cols);
    (0..cols.len())
        .filter(|&c| x0 < bounds[c + 1] && x1 > bounds[c])
        .collect()
}

/// The edges between the columns' shares of the line: before the first, between each two, after
/// the last (the outer ones unbounded).
fn bounds(cols: &[Column]) -> Vec<f32> {
    let mut b = vec![f32::MIN];
    for w in cols.windows(2) {
        b.push((w[0].x1 + w[1].x0) / 2.0);
    }
    b.push(f32::MAX);
    b
}

/// The header rows of a block of header lines: runs over several columns in rows of their own
/// (one per line that has them), runs over one column joined top to bottom into one last row.
fn header_rows(block: &[&TLine<'_>], cols: &[Column], label_edge: f32, rows: &mut Vec<BuiltRow>) {
    let top = block.iter().map(|l| l.top).fold(f32::MAX, f32::min);
    let bottom = block.iter().map(|l| l.bottom).fold(f32::MIN, f32::max);
    let mut groups: Vec<Vec<(usize, usize, String)>> = Vec::new();
    let mut leaves: Vec<(usize, usize, String)> = Vec::new();
    for (i, l) in block.iter().enumerate() {
        let lowest = i + 1 == block.len();
        let mut wide: Vec<(usize, usize, String)> = Vec::new();
        for r in &l.runs {
            if r.center() < label_edge {
                leaves.push((0, 0, r.text.clone()));
                continue;
            }
            // Over the anchors of two columns or more: a group header; else the label of the
            // column whose anchor is nearest.
            let over: Vec<usize> = (0..cols.len())
                .filter(|&c| cols[c].mid() > r.x0 && cols[c].mid() < r.x1)
                .collect();
            // (A header over several columns in the lowest line has nothing under it: it is the
            // label of those columns, “本年收费金额（单位：万元）” over a block of one value.)
            match (over.first(), over.last()) {
                (Some(&a), Some(&b)) if a != b && !lowest => wide.push((a + 1, b + 1, r.text.clone())),
                (Some(&a), Some(&b)) if a != b => leaves.push((a + 1, b + 1, r.text.clone())),
                _ => {
                    let c = nearest(cols, r.center()) + 1;
                    leaves.push((c, c, r.text.clone()));
                }
            }
        }
        if !wide.is_empty() {
            groups.push(wide);
        }
    }
    let n = groups.len() + 1;
    let step = (bottom - top).max(0.1) / n as f32;
    for (i, g) in groups.into_iter().enumerate() {
        rows.push(BuiltRow {
            top: top + step * i as f32,
            bottom: top + step * (i + 1) as f32,
            cells: g,
        });
    }
    let mut cells: Vec<(usize, usize, String)> = Vec::new();
    for (c0, c1, text) in leaves {
        match cells.iter_mut().find(|x| x.0 == c0 && x.1 == c1) {
            Some(cell) => join_label(&mut cell.2, &text),
            None => cells.push((c0, c1, text)),
        }
    }
    rows.push(BuiltRow {
        top: top + step * (n - 1) as f32,
        bottom,
        cells,
    });
}

/// The column whose numbers' middle is nearest to `x`.
fn nearest(cols: &[Column], x: f32) -> usize {
    (0..cols.len())
        .min_by(|&a, &b| (cols[a].mid() - x).abs().total_cmp(&(cols[b].mid() - x).abs()))
        .unwrap_or(0)
}

/// Joins a wrapped label's next piece: without a space between CJK characters.
fn join_label(s: &mut String, next: &str) {
    let cjk = |c: char| !c.is_ascii() && !c.is_whitespace();
    if let (Some(a), Some(b)) = (s.chars().last(), next.chars().next())
        && !(cjk(a) && cjk(b))
    {
        s.push(' ');
    }
    s.push_str(next);
}

/// A row's label from its runs: runs starting at the same x (a label column) joined top to
/// bottom, the columns left to right.
fn label_text(mut runs: Vec<&Run<'_>>, size: f32) -> String {
    runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut cols: Vec<(f32, Vec<&Run<'_>>)> = Vec::new();
    for r in runs {
        match cols.iter_mut().find(|(x, _)| (r.x0 - *x).abs() <= 0.6 * size) {
            Some((_, v)) => v.push(r),
            None => cols.push((r.x0, vec![r])),
        }
    }
    let mut out = String::new();
    for (_, mut v) in cols {
        v.sort_by(|a, b| {
            let ya = a.glyphs.first().map_or(0.0, |g| g.y);
            let yb = b.glyphs.first().map_or(0.0, |g| g.y);
            ya.total_cmp(&yb)
        });
        for r in v {
            join_label(&mut out, &r.text);
        }
    }
    out
}

/// The table as the layout's page table: column edges from the columns' shares of the line, row
/// edges from the rows' lines.
fn page_table(cols: &[Column], lines: &[TLine<'_>], span: &[usize], rows: Vec<BuiltRow>) -> PageTable {
    let left = span
        .iter()
        .flat_map(|&i| lines[i].runs.iter().map(|r| r.x0))
        .fold(f32::MAX, f32::min);
    let right = span
        .iter()
        .flat_map(|&i| lines[i].runs.iter().map(|r| r.x1))
        .fold(f32::MIN, f32::max);
    let b = bounds(cols);
    let mut xs = vec![left.min(cols[0].x0 - 1.0), cols[0].x0 - cols[0].tol];
    xs.extend(b[1..b.len() - 1].iter().copied());
    xs.push(right.max(cols[cols.len() - 1].x1) + 0.5);
    for i in 1..xs.len() {
        if xs[i] <= xs[i - 1] {
            xs[i] = xs[i - 1] + 0.01;
        }
    }
    let mut ys = Vec::with_capacity(rows.len() + 1);
    for r in &rows {
        let y = r.top.max(ys.last().map_or(f32::MIN, |&p: &f32| p + 0.01));
        ys.push(y);
    }
    let end = rows.last().map_or(0.0, |r| r.bottom);
    ys.push(end.max(ys.last().map_or(0.0, |p| p + 0.01)));
    let nc = xs.len() - 1;
    let nr = rows.len();
    let mut cells: Vec<PageCell> = Vec::new();
    let mut at = vec![usize::MAX; nr * nc];
    for (r, row) in rows.into_iter().enumerate() {
        for (c0, c1, text) in row.cells {
            let (c0, c1) = (c0.min(nc - 1), c1.min(nc - 1));
            if (c0..=c1).any(|c| at[r * nc + c] != usize::MAX) {
                continue;
            }
            for c in c0..=c1 {
                at[r * nc + c] = cells.len();
            }
            cells.push(PageCell {
                r0: r,
                r1: r,
                c0,
                c1,
                text,
            });
        }
    }
    for (i, slot) in at.iter_mut().enumerate() {
        if *slot == usize::MAX {
            *slot = cells.len();
            cells.push(PageCell {
                r0: i / nc,
                r1: i / nc,
                c0: i % nc,
                c1: i % nc,
                text: String::new(),
            });
        }
    }
    PageTable::new(xs, ys, cells, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(x: f32, y: f32, text: &str) -> Glyph {
        Glyph {
            x,
            x1: x + 6.0 * text.chars().count() as f32,
            y,
            size: 6.0,
            text: text.to_string(),
            artifact: false,
            dir: 0,
            ey: y,
        }
    }

    /// A page holding the most numbers looked at, every one in one column (so that every number
    /// overlaps every other), is read in well under the time a person waits.
    #[test]
    fn a_page_of_numbers_in_one_column_is_read_quickly() {
        let glyphs: Vec<Glyph> = (0..MAX_NUMERIC_RUNS / 2)
            .flat_map(|i| {
                let y = 10.0 + 8.0 * i as f32;
                [glyph(10.0, y, "甲"), glyph(100.0, y, "12"), glyph(200.0, y, "3")]
            })
            .collect();
        let lines: Vec<Vec<&Glyph>> = glyphs.chunks(3).map(|c| c.iter().collect()).collect();
        let start = std::time::Instant::now();
        let (tables, rest) = borderless_tables(lines);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert_eq!((tables.len(), rest.len()), (1, 0));
        assert_eq!(tables[0].xs.len(), 4, "a label column and two columns of numbers");
    }

    #[test]
    fn values_are_told_from_numbered_labels() {
        for v in [
            "12",
            "１２",
            "1,234",
            "-2",
            "+1",
            "103.3879",
            "251000元",
            "22（其中修订16件）",
            "/",
            "—",
            "无",
        ] {
            assert!(is_value(v), "{v}");
        }
        for v in [
            "2.其他",
            "1.属于国家秘密",
            "（一）予以公开",
            "规章",
            "2023年政府信息公开",
        ] {
            assert!(!is_value(v), "{v}");
        }
        for l in [
            "一、本年新收",
            "（二）部分公开",
            "(3)其他",
            "1.属于国家秘密",
            "2、重复申请",
        ] {
            assert!(numbered(l), "{l}");
        }
        for l in ["其政府信息公开申请", "理", "（本列数据的勾稽关系为", "12"] {
            assert!(!numbered(l), "{l}");
        }
    }
}
