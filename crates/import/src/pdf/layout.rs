//! From glyphs and ruling lines to what a person reads: lines of text and table cells.
//!
//! - **Tables** are drawn: their ruling lines meet in a grid whose columns sit at fixed
//!   x-positions and rows at fixed y-positions. Lines that touch form one table; the distinct
//!   x of its vertical lines are the column edges, the distinct y of its horizontal lines the row
//!   edges. Two neighbouring grid positions with no line drawn between them are one merged
//!   cell. Each glyph goes to the cell its middle lies in, so cells are read by column, never by
//!   reading order; a cell's wrapped lines are joined (without a space between CJK characters).
//!   A table that runs off the bottom of a page and goes on at the top of the next (same
//!   columns) is one table; header rows the continuation repeats are read once. Tables drawn
//!   without vertical lines are found among the lines of text by [`super::columns`].
//! - **Lines** are the glyphs outside tables with the same baseline, left to right; a wide gap is
//!   a tab. A line in the page's top or bottom margin that is only a page number ("— 4 —",
//!   "第 4 页") is dropped, and so is text the file marks as a pagination artifact.

use super::content::{Glyph, PageContent, Segment};
use crate::docx::{Block, Row, TCell, Table, VMerge};
use crate::run_look::{Raised, RunLook};
use xxgk_model::Location;

/// How close two lines' coordinates must be to be one edge (points).
const TOL: f32 = 2.0;
/// Most columns of a drawn table (as Word).
const MAX_COLUMNS: usize = 63;
/// Most ruling lines looked at on one page for tables.
const MAX_TABLE_SEGMENTS: usize = 6_000;

/// A drawn table on one page.
#[derive(Debug)]
pub(crate) struct PageTable {
    /// Column edges, left to right.
    pub xs: Vec<f32>,
    /// Row edges, top to bottom.
    pub ys: Vec<f32>,
    /// Cells: rows `r0..=r1`, columns `c0..=c1` of the grid, and their text.
    pub cells: Vec<PageCell>,
    /// The cell at each grid position (row-major).
    at: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(crate) struct PageCell {
    pub r0: usize,
    pub r1: usize,
    pub c0: usize,
    pub c1: usize,
    pub text: String,
}

/// What one page holds, top to bottom.
#[derive(Debug)]
pub(crate) enum PageBlock {
    /// A line of text: its number on the page, its text, whether it lies in the top or bottom
    /// margin (where running headers and footers are).
    Line {
        line: usize,
        text: String,
        margin: bool,
    },
    Table(PageTable),
}

/// Lays out a page: its tables and its lines, top to bottom, page furniture dropped.
pub(crate) fn page_blocks(page: &PageContent) -> Vec<PageBlock> {
    let mut tables = find_tables(&page.segments);
    let glyphs: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| !g.artifact && (!g.text.trim().is_empty() || g.text == " "))
        .collect();
    let mut in_cells: Vec<Vec<Vec<&Glyph>>> = tables.iter().map(|t| vec![Vec::new(); t.cells.len()]).collect();
    let mut free: Vec<&Glyph> = Vec::new();
    'glyphs: for g in glyphs {
        let (cx, cy) = g.center();
        for (ti, t) in tables.iter().enumerate() {
            if let Some(k) = t.cell_at(cx, cy) {
                in_cells[ti][k].push(g);
                continue 'glyphs;
            }
        }
        free.push(g);
    }
    for (t, cells) in tables.iter_mut().zip(in_cells) {
        for (cell, glyphs) in t.cells.iter_mut().zip(cells) {
            cell.text = cell_text(glyphs);
        }
    }
    // Tables without vertical lines: columns from where the text stands.
    let (borderless, rest) = super::columns::borderless_tables(glyph_lines(free));
    tables.extend(borderless);
    let mut blocks: Vec<(f32, PageBlock)> = Vec::new();
    let mut line_no = 0usize;
    let all: Vec<Line> = rest.into_iter().map(line_of).collect();
    // A page number is dropped in the page's margins, or as the first or last thing on the page
    // (a footer set higher than the margins, as on landscape pages).
    let first_top = all
        .iter()
        .map(|l| l.top)
        .chain(tables.iter().filter_map(|t| t.ys.first().copied()))
        .fold(f32::MAX, f32::min);
    let last_top = all
        .iter()
        .map(|l| l.top)
        .chain(tables.iter().filter_map(|t| t.ys.last().copied()))
        .fold(f32::MIN, f32::max);
    let kept: Vec<Line> = all
        .into_iter()
        .filter(|l| {
            let bare = l.text.trim();
            let margin = l.top < page.height * 0.12 || l.top > page.height * 0.88;
            let outermost = l.top <= first_top || l.top >= last_top;
            !(bare.is_empty() || (margin || outermost) && is_page_number(bare))
        })
        .collect();
    // Lines on either side of a table are not one paragraph.
    let table_tops: Vec<f32> = tables.iter().filter_map(|t| t.ys.first().copied()).collect();
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for l in kept {
        let split = groups
            .last()
            .and_then(|g| g.last())
            .is_none_or(|prev| table_tops.iter().any(|&t0| prev.top < t0 && l.top > t0));
        if split {
            groups.push(Vec::new());
        }
        if let Some(g) = groups.last_mut() {
            g.push(l);
        }
    }
    for l in groups.into_iter().flat_map(paragraphs) {
        line_no += 1;
        blocks.push((
            l.top,
            PageBlock::Line {
                line: line_no,
                text: l.text.trim_end().to_string(),
                margin: l.top < page.height * 0.1 || l.top > page.height * 0.9,
            },
        ));
    }
    for t in tables {
        // A drawn frame with no text in it (a box, an underline pair) is no table.
        if t.cells.iter().all(|c| c.text.is_empty()) {
            continue;
        }
        blocks.push((t.ys.first().copied().unwrap_or(0.0), PageBlock::Table(t)));
    }
    blocks.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Lines are numbered on the page in reading order.
    let mut n = 0;
    blocks
        .into_iter()
        .map(|(_, b)| match b {
            PageBlock::Line { text, margin, .. } => {
                n += 1;
                PageBlock::Line { line: n, text, margin }
            }
            t => t,
        })
        .collect()
}

/// A page number alone on a line: "4", "- 4 -", "— 4 —", "第 4 页", "第4页 共6页", "4 / 6".
pub(super) fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | '－' | '·' | '•'));
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) && t.len() <= 3 {
        return true;
    }
    if let Some(rest) = t.strip_prefix('第') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = &rest[digits.len()..];
        return !digits.is_empty() && (after == "页" || after.starts_with("页共") && after.ends_with('页'));
    }
    if let Some((a, b)) = t.split_once('/') {
        return !a.is_empty()
            && !b.is_empty()
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
            && t.len() <= 9;
    }
    false
}

// ───────────────────────────── Lines ─────────────────────────────

/// A line of text on a page.
struct Line {
    top: f32,
    x0: f32,
    x1: f32,
    size: f32,
    text: String,
}

/// Groups glyphs into lines by baseline, top to bottom.
fn glyph_lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    for g in glyphs {
        match out.last_mut() {
            Some(line)
                if line
                    .last()
                    .is_some_and(|l| (g.y - l.y).abs() <= 0.4 * l.size.max(g.size)) =>
            {
                line.push(g)
            }
            _ => out.push(vec![g]),
        }
    }
    out
}

/// A line of text from its glyphs.
fn line_of(line: Vec<&Glyph>) -> Line {
    Line {
        top: line.first().map_or(0.0, |g| g.y - g.size),
        x0: line.iter().map(|g| g.x).fold(f32::MAX, f32::min),
        x1: line.iter().map(|g| g.x1).fold(f32::MIN, f32::max),
        size: line.iter().map(|g| g.size).fold(0.0, f32::max),
        text: line_text(line),
    }
}

/// Groups glyphs into lines by baseline.
fn lines(glyphs: Vec<&Glyph>) -> Vec<Line> {
    glyph_lines(glyphs).into_iter().map(line_of).collect()
}

/// Joins the lines of a paragraph that wrapped at the right edge of the text: a line reaching
/// that edge goes on in the next line when the next starts at the left edge (a new paragraph
/// is indented) in the same size.
fn paragraphs(lines: Vec<Line>) -> Vec<Line> {
    let right = lines.iter().map(|l| l.x1).fold(f32::MIN, f32::max);
    let left = lines.iter().map(|l| l.x0).fold(f32::MAX, f32::min);
    let mut out: Vec<Line> = Vec::new();
    for line in lines {
        if let Some(last) = out.last_mut()
            && last.x1 >= right - 1.5 * last.size
            && line.x0 <= left + 0.5 * line.size
            && (line.size - last.size).abs() < 0.5
            && line.top - last.top < 2.5 * last.size
            && !last.text.contains('\t')
            && !line.text.contains('\t')
        {
            if let (Some(a), Some(b)) = (last.text.chars().last(), line.text.chars().next())
                && a.is_ascii_alphanumeric()
                && b.is_ascii_alphanumeric()
            {
                last.text.push(' ');
            }
            last.text.push_str(&line.text);
            last.x1 = line.x1;
            last.top = line.top;
            continue;
        }
        out.push(line);
    }
    out
}

/// The text of one line's glyphs: left to right, a tab for a gap wider than two characters, a
/// space for a smaller one between Latin letters or digits (a gap beside a CJK character is
/// justified spacing, not a space). A glyph drawn again on itself (bold
/// made by overprinting) is read once. A digit set smaller and raised or lowered beside the text
/// before it (a footnote mark, `12¹`) is read as the superscript or subscript digit it looks
/// like, so that it never joins the number: `12` and a raised `1` are no 121.
pub(super) fn line_text(mut line: Vec<&Glyph>) -> String {
    line.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut s = String::new();
    let mut prev: Option<&Glyph> = None;
    // The last glyph of the line's own size and baseline, which a raised digit is measured by.
    let mut base: Option<&Glyph> = None;
    let mut after_raised = false;
    for g in line {
        // Only a digit touching the digits before it: a column of smaller figures further on is
        // no footnote mark.
        let touching = prev.is_some_and(|p| {
            g.x - p.x1 <= 0.25 * p.size.max(0.5) && (after_raised || p.text.bytes().all(|b| b.is_ascii_digit()))
        });
        let raised = base.filter(|_| touching).and_then(|b| raised_digit(b, g));
        after_raised = raised.is_some();
        if raised.is_none() {
            base = Some(g);
        }
        if let Some(p) = prev {
            if p.text == g.text && (g.x - p.x).abs() < 0.3 * p.size.max(0.5) {
                continue;
            }
            let gap = g.x - p.x1;
            let size = p.size.max(g.size).max(0.5);
            if gap > 2.0 * size {
                s.push('\t');
            } else if gap > 0.25 * size && !s.ends_with(' ') && g.text != " " && latin(&p.text) && latin(&g.text) {
                s.push(' ');
            }
        }
        if g.text == " " && (s.is_empty() || s.ends_with([' ', '\t'])) {
            prev = Some(g);
            continue;
        }
        match raised {
            Some(look) => look.push(&mut s, &g.text),
            None => s.push_str(&g.text),
        }
        prev = Some(g);
    }
    s
}

/// How `g` is shown beside `base` when it is a digit set at most four fifths as large: its
/// baseline a sixth of `base`'s size or more above it, a superscript; otherwise a subscript.
/// LibreOffice prints a subscript lowered by only half a point, and a small digit on the
/// baseline is no more a part of the number to a reader: joined, `12` and a small `3` read 123.
fn raised_digit(base: &Glyph, g: &Glyph) -> Option<RunLook> {
    if !g.text.bytes().all(|b| b.is_ascii_digit()) || g.text.is_empty() || g.size > 0.8 * base.size {
        return None;
    }
    let raised = if base.y - g.y >= base.size / 6.0 {
        Raised::Superscript
    } else {
        Raised::Subscript
    };
    Some(RunLook {
        raised: Some(raised),
        ..RunLook::default()
    })
}

fn latin(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_alphanumeric())
}

fn cjk(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace()
}

/// A cell's text: its lines top to bottom, joined by a space unless both sides are CJK.
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let mut s = String::new();
    for line in lines(glyphs) {
        let line = line.text.replace('\t', " ");
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (s.chars().last(), line.chars().next())
            && !(cjk(a) && cjk(b))
        {
            s.push(' ');
        }
        s.push_str(line);
    }
    s
}

// ───────────────────────────── Tables ─────────────────────────────

impl PageTable {
    /// A table from its edges, its cells and the cell at each grid position (row-major).
    pub(super) fn new(xs: Vec<f32>, ys: Vec<f32>, cells: Vec<PageCell>, at: Vec<usize>) -> PageTable {
        PageTable { xs, ys, cells, at }
    }

    /// The cell whose area holds the point, if the point is inside the table.
    fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let (first_x, last_x) = (*self.xs.first()?, *self.xs.last()?);
        let (first_y, last_y) = (*self.ys.first()?, *self.ys.last()?);
        if x < first_x || x > last_x || y < first_y || y > last_y {
            return None;
        }
        let c = self
            .xs
            .partition_point(|&e| e <= x)
            .saturating_sub(1)
            .min(self.xs.len() - 2);
        let r = self
            .ys
            .partition_point(|&e| e <= y)
            .saturating_sub(1)
            .min(self.ys.len() - 2);
        self.at.get(r * (self.xs.len() - 1) + c).copied()
    }
}

/// Clusters coordinates closer than [`TOL`], each cluster by its mean.
fn cluster(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((sum, n)) if x - *sum / *n as f32 <= TOL => {
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(s, n)| s / n as f32).collect()
}

fn touches(a: &Segment, b: &Segment) -> bool {
    a.x0 <= b.x1 + TOL && b.x0 <= a.x1 + TOL && a.y0 <= b.y1 + TOL && b.y0 <= a.y1 + TOL
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// The drawn tables of a page, from its ruling lines.
fn find_tables(segments: &[Segment]) -> Vec<PageTable> {
    let segs = &segments[..segments.len().min(MAX_TABLE_SEGMENTS)];
    let mut parent: Vec<usize> = (0..segs.len()).collect();
    // Sorted by left edge, a segment is compared only with those that start before it ends.
    let mut order: Vec<usize> = (0..segs.len()).collect();
    order.sort_by(|&a, &b| segs[a].x0.total_cmp(&segs[b].x0));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if segs[j].x0 > segs[i].x1 + TOL {
                break;
            }
            if touches(&segs[i], &segs[j]) {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: rustc_hash::FxHashMap<usize, Vec<usize>> = rustc_hash::FxHashMap::default();
    for i in 0..segs.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut roots: Vec<usize> = groups.keys().copied().collect();
    roots.sort_unstable();
    roots
        .into_iter()
        .filter_map(|root| table_of(segs, &groups[&root]))
        .collect()
}

fn table_of(segs: &[Segment], members: &[usize]) -> Option<PageTable> {
    let (hs, vs): (Vec<Segment>, Vec<Segment>) = members.iter().map(|&i| segs[i]).partition(Segment::horizontal);
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let mut xs = cluster(vs.iter().map(|s| s.x0).collect());
    let mut ys = cluster(hs.iter().map(|s| s.y0).collect());
    // Open sides: rules reaching past the outermost cross lines bound the table there.
    let (hx0, hx1) = hs
        .iter()
        .fold((f32::MAX, f32::MIN), |a, s| (a.0.min(s.x0), a.1.max(s.x1)));
    let (vy0, vy1) = vs
        .iter()
        .fold((f32::MAX, f32::MIN), |a, s| (a.0.min(s.y0), a.1.max(s.y1)));
    extend(&mut xs, hx0, hx1);
    extend(&mut ys, vy0, vy1);
    // One column is a frame (a box round text), not a table: its text is read as lines, and as a
    // table by its columns of text if it is one.
    if xs.len() < 3 || ys.len() < 2 || xs.len() - 1 > MAX_COLUMNS || ys.len() > 4_000 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    // The lines drawn along each column edge and each row edge, so that asking whether an edge
    // is drawn between two positions looks only at the lines on that edge.
    let mut on_x: Vec<Vec<(f32, f32)>> = vec![Vec::new(); xs.len()];
    for s in &vs {
        if let Some(k) = nearest(&xs, s.x0) {
            on_x[k].push((s.y0, s.y1));
        }
    }
    let mut on_y: Vec<Vec<(f32, f32)>> = vec![Vec::new(); ys.len()];
    for s in &hs {
        if let Some(k) = nearest(&ys, s.y0) {
            on_y[k].push((s.x0, s.x1));
        }
    }
    let covers = |spans: &[(f32, f32)], a: f32, b: f32| {
        let mid = (a + b) / 2.0;
        spans.iter().any(|&(lo, hi)| lo - TOL <= mid && mid <= hi + TOL)
    };
    let drawn_v = |c: usize, r: usize| covers(&on_x[c], ys[r], ys[r + 1]);
    let drawn_h = |r: usize, c: usize| covers(&on_y[r], xs[c], xs[c + 1]);
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        for c in 0..nc {
            if c + 1 < nc && !drawn_v(c + 1, r) {
                union(&mut parent, r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !drawn_h(r + 1, c) {
                union(&mut parent, r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    let mut boxes: rustc_hash::FxHashMap<usize, (usize, usize, usize, usize, usize)> = rustc_hash::FxHashMap::default();
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, r * nc + c);
            let e = boxes.entry(root).or_insert((r, r, c, c, 0));
            e.0 = e.0.min(r);
            e.1 = e.1.max(r);
            e.2 = e.2.min(c);
            e.3 = e.3.max(c);
            e.4 += 1;
        }
    }
    let mut cells = Vec::new();
    let mut roots: Vec<usize> = boxes.keys().copied().collect();
    roots.sort_unstable();
    for root in roots {
        let (r0, r1, c0, c1, n) = boxes[&root];
        if n == (r1 - r0 + 1) * (c1 - c0 + 1) {
            cells.push(PageCell {
                r0,
                r1,
                c0,
                c1,
                text: String::new(),
            });
        } else {
            // Not a rectangle (a line missing in the drawing): each position on its own.
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if find(&mut parent, r * nc + c) == root {
                        cells.push(PageCell {
                            r0: r,
                            r1: r,
                            c0: c,
                            c1: c,
                            text: String::new(),
                        });
                    }
                }
            }
        }
    }
    let mut at = vec![0usize; nr * nc];
    for (k, cell) in cells.iter().enumerate() {
        for r in cell.r0..=cell.r1 {
            for c in cell.c0..=cell.c1 {
                at[r * nc + c] = k;
            }
        }
    }
    Some(PageTable { xs, ys, cells, at })
}

/// The index of the edge within [`TOL`] of `v`.
fn nearest(edges: &[f32], v: f32) -> Option<usize> {
    let k = edges.partition_point(|&e| e < v - TOL);
    edges.get(k).filter(|&&e| (e - v).abs() <= TOL).map(|_| k)
}

fn extend(edges: &mut Vec<f32>, lo: f32, hi: f32) {
    if edges.first().is_some_and(|&f| lo < f - TOL) {
        edges.insert(0, lo);
    }
    if edges.last().is_some_and(|&l| hi > l + TOL) {
        edges.push(hi);
    }
}

// ───────────────────────────── The document ─────────────────────────────

/// A table of the document: its column edges, and its rows, each with its page, its row on that
/// page and its cells (grid columns of the table).
struct DocTable {
    xs: Vec<f32>,
    rows: Vec<DocRow>,
    /// Cells spanning rows: (first row, last row, first column, last column, text), in rows of
    /// this table.
    cells: Vec<(usize, usize, usize, usize, String)>,
    /// How many of `cells`, from the start, may lie in the first [`REPEATED_HEADER_ROWS`] rows:
    /// a part joined below them adds cells of later rows only, so the header a new part may
    /// repeat is compared with these and not with every cell of a table of a thousand pages.
    head: usize,
    no: usize,
}

/// Rows at the top of a part that may repeat the table's header.
const REPEATED_HEADER_ROWS: usize = 8;

struct DocRow {
    page: usize,
    row: usize,
}

/// The body of the document: its lines as paragraphs and its tables, in reading order, a table
/// continued on the next page joined to its first part.
pub(crate) fn document_blocks(pages: Vec<(usize, Vec<PageBlock>)>) -> Vec<Block> {
    enum Item {
        Line(Block),
        Table(DocTable),
    }
    let running = running_lines(&pages);
    let mut items: Vec<Item> = Vec::new();
    let mut table_no = 0usize;
    let mut para_no = 0usize;
    let mut prev_page = 0usize;
    for (page, blocks) in pages {
        let blocks = blocks.into_iter().filter(|b| match b {
            // The first page keeps its lines: a running header there is the title.
            PageBlock::Line { text, margin, .. } => !(page > 1 && *margin && running.contains(&furniture_key(text))),
            PageBlock::Table(_) => true,
        });
        for (k, block) in blocks.enumerate() {
            match block {
                PageBlock::Line { line, text, .. } => {
                    para_no += 1;
                    items.push(Item::Line(Block::Para {
                        no: para_no,
                        text,
                        at: Some(Location {
                            sheet: Some(format!("第{page}页")),
                            line: Some(line as u64),
                            ..Default::default()
                        }),
                    }));
                }
                PageBlock::Table(t) => {
                    let continues = k == 0 && prev_page + 1 == page;
                    if continues
                        && let Some(Item::Table(last)) = items.last_mut()
                        && last.rows.last().is_some_and(|r| r.page + 1 == page)
                        && same_columns(&last.xs, &t.xs)
                    {
                        join(last, &t, page);
                        continue;
                    }
                    table_no += 1;
                    let mut d = DocTable {
                        xs: t.xs.clone(),
                        rows: Vec::new(),
                        cells: Vec::new(),
                        head: 0,
                        no: table_no,
                    };
                    join(&mut d, &t, page);
                    items.push(Item::Table(d));
                }
            }
        }
        prev_page = page;
    }
    items
        .into_iter()
        .map(|i| match i {
            Item::Line(b) => b,
            Item::Table(t) => Block::Table(docx_table(t)),
        })
        .collect()
}

/// A margin line's text without digits and spaces: a running header or footer is the same on
/// every page but for its page number.
fn furniture_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .collect()
}

/// Texts of margin lines found on two pages or more: running headers and footers.
fn running_lines(pages: &[(usize, Vec<PageBlock>)]) -> rustc_hash::FxHashSet<String> {
    let mut seen: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    for (_, blocks) in pages {
        let mut on_page: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
        for b in blocks {
            if let PageBlock::Line { text, margin: true, .. } = b {
                on_page.insert(furniture_key(text));
            }
        }
        for key in on_page {
            *seen.entry(key).or_default() += 1;
        }
    }
    seen.into_iter().filter(|(_, n)| *n >= 2).map(|(k, _)| k).collect()
}

/// Whether a table part on the next page has the columns of the part before: most of its
/// column edges are edges of the other (all but one), or, for a table of five columns or more,
/// all but its first two (its label column, found from the text when no line is drawn, may end
/// elsewhere on each page).
fn same_columns(a: &[f32], b: &[f32]) -> bool {
    // The same number of columns, all the same but the first two edges.
    if a.len() == b.len() && a.len() >= 6 && a[2..].iter().zip(&b[2..]).all(|(x, y)| (x - y).abs() <= TOL) {
        return true;
    }
    let shared = b.iter().filter(|x| a.iter().any(|y| (*x - y).abs() <= TOL)).count();
    shared >= 2 && shared + 1 >= a.len().min(b.len())
}

/// Adds a page's table (or the part of it on this page) to a document table: columns by their
/// x-edges, rows below those already there. Header rows the part repeats are read once.
fn join(d: &mut DocTable, t: &PageTable, page: usize) {
    let first_part = d.rows.is_empty();
    if !first_part {
        let merged = cluster(d.xs.iter().chain(t.xs.iter()).copied().collect());
        // Where each old column edge goes, worked out once per part, not once per cell: the
        // cells of every earlier page are remapped only when the edges really move.
        let moved: Vec<usize> =
            d.xs.iter()
                .map(|x| merged.iter().position(|m| (m - x).abs() <= TOL).unwrap_or(0))
                .collect();
        if moved.iter().enumerate().any(|(c, &m)| c != m) {
            let remap = |c: usize| moved.get(c).copied().unwrap_or(0);
            for cell in &mut d.cells {
                cell.2 = remap(cell.2);
                cell.3 = remap(cell.3 + 1).saturating_sub(1).max(cell.2);
            }
        }
        d.xs = merged;
    }
    let col = |c: usize| d.xs.iter().position(|m| (m - t.xs[c]).abs() <= TOL).unwrap_or(0);
    let nrows = t.ys.len() - 1;
    // Rows of this part that repeat the table's first rows (a header repeated on the new page).
    let mut skip = 0usize;
    if !first_part {
        let text_of = |cells: &[(usize, usize, usize, usize, String)], r: usize| -> Vec<String> {
            let mut v: Vec<(usize, String)> = cells
                .iter()
                .filter(|c| c.0 == r)
                .map(|c| (c.2, crate::labels::comparable_label(&c.4)))
                .collect();
            v.sort();
            v.into_iter().map(|(_, s)| s).collect()
        };
        let mine: Vec<(usize, usize, usize, usize, String)> = t
            .cells
            .iter()
            .map(|c| {
                (
                    c.r0,
                    c.r1,
                    col(c.c0),
                    col(c.c1 + 1).saturating_sub(1).max(col(c.c0)),
                    c.text.clone(),
                )
            })
            .collect();
        while skip < nrows.min(REPEATED_HEADER_ROWS) {
            let a = text_of(&mine, skip);
            let has_label = a
                .iter()
                .any(|s| !s.is_empty() && !s.chars().all(|c| c.is_ascii_digit()));
            if has_label && a == text_of(&d.cells[..d.head], skip) {
                skip += 1;
            } else {
                break;
            }
        }
    }
    let base = d.rows.len();
    for r in skip..nrows {
        d.rows.push(DocRow { page, row: r + 1 });
    }
    for c in &t.cells {
        if c.r1 < skip {
            continue;
        }
        let r0 = c.r0.max(skip);
        let c0 = col(c.c0);
        let c1 = col(c.c1 + 1).saturating_sub(1).max(c0);
        d.cells
            .push((base + r0 - skip, base + c.r1 - skip, c0, c1, c.text.clone()));
    }
    if base < REPEATED_HEADER_ROWS {
        d.head = d.cells.len();
    }
}

/// A document table as the Word reader's table: each row's cells by grid column, spans and
/// vertical merges as Word writes them, each row named by its page and its row there.
fn docx_table(t: DocTable) -> Table {
    let ncols = t.xs.len().saturating_sub(1);
    let mut at: Vec<Vec<Option<usize>>> = vec![vec![None; ncols]; t.rows.len()];
    for (k, c) in t.cells.iter().enumerate() {
        for row in at.iter_mut().take(c.1 + 1).skip(c.0) {
            for slot in row.iter_mut().take(c.3 + 1).skip(c.2) {
                *slot = Some(k);
            }
        }
    }
    let mut rows = Vec::with_capacity(t.rows.len());
    for (r, info) in t.rows.iter().enumerate() {
        let mut row = Row {
            at: Some((format!("第{}页 表格{}", info.page, t.no), info.row)),
            ..Row::default()
        };
        let mut c = 0;
        while c < ncols {
            match at[r][c] {
                Some(k) if t.cells[k].2 == c => {
                    let cell = &t.cells[k];
                    let span = (cell.3 - cell.2 + 1) as u32;
                    let vmerge = if cell.0 == cell.1 {
                        VMerge::None
                    } else if cell.0 == r {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                    row.cells.push(TCell {
                        span,
                        vmerge,
                        text: if cell.0 == r { cell.4.clone() } else { String::new() },
                        ..TCell::default()
                    });
                    c += span as usize;
                }
                _ => {
                    row.cells.push(TCell {
                        span: 1,
                        ..TCell::default()
                    });
                    c += 1;
                }
            }
        }
        rows.push(row);
    }
    Table { no: t.no, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph of `text` at `x` (as wide as half its size), its baseline at `y`.
    fn sized(x: f32, y: f32, size: f32, text: &str) -> Glyph {
        Glyph {
            x,
            x1: x + 0.5 * size,
            y,
            size,
            text: text.to_string(),
            artifact: false,
            dir: 0,
            ey: y,
        }
    }

    #[test]
    fn a_small_raised_digit_touching_a_number_is_a_superscript() {
        let text = |glyphs: &[Glyph]| line_text(glyphs.iter().collect());
        // `12` in 12 pt, then a 7 pt `1` raised by 4 pt: a footnote mark.
        let number = [sized(100.0, 500.0, 12.0, "1"), sized(106.0, 500.0, 12.0, "2")];
        let marked = [number[0].clone(), number[1].clone(), sized(112.0, 496.0, 7.0, "1")];
        assert_eq!(text(&marked), "12¹");
        let lowered = [number[0].clone(), number[1].clone(), sized(112.0, 503.0, 7.0, "3")];
        assert_eq!(text(&lowered), "12₃");
        // A small digit on the baseline, or lowered by half a point as LibreOffice prints a
        // subscript, is not part of the number either.
        let on_baseline = [number[0].clone(), number[1].clone(), sized(112.0, 500.0, 7.0, "3")];
        assert_eq!(text(&on_baseline), "12₃");
        let half_point = [number[0].clone(), number[1].clone(), sized(112.0, 500.5, 7.0, "3")];
        assert_eq!(text(&half_point), "12₃");
        // Digits of the same size, a digit nearly as large, a smaller figure in a column further
        // on: read as they are.
        assert_eq!(text(&number), "12");
        let nearly = [number[0].clone(), number[1].clone(), sized(112.0, 500.0, 10.5, "3")];
        assert_eq!(text(&nearly), "123");
        let column = [number[0].clone(), number[1].clone(), sized(200.0, 497.0, 9.0, "5")];
        assert_eq!(text(&column), "12\t5");
    }

    fn glyph(x: f32, y: f32, text: &str) -> Glyph {
        Glyph {
            x,
            x1: x + 10.0,
            y,
            size: 10.0,
            text: text.to_string(),
            artifact: false,
            dir: 0,
            ey: y,
        }
    }

    fn h(y: f32, x0: f32, x1: f32) -> Segment {
        Segment { x0, y0: y, x1, y1: y }
    }

    fn v(x: f32, y0: f32, y1: f32) -> Segment {
        Segment { x0: x, y0, x1: x, y1 }
    }

    #[test]
    fn cells_are_read_by_column_and_merges_by_missing_lines() {
        // A 2×3 grid whose first column is merged over both rows (no line between them).
        let segments = vec![
            h(100.0, 50.0, 350.0),
            h(130.0, 150.0, 350.0),
            h(160.0, 50.0, 350.0),
            v(50.0, 100.0, 160.0),
            v(150.0, 100.0, 160.0),
            v(250.0, 100.0, 160.0),
            v(350.0, 100.0, 160.0),
        ];
        let page = PageContent {
            number: 1,
            height: 842.0,
            glyphs: vec![
                glyph(60.0, 128.0, "结"),
                glyph(70.0, 128.0, "果"),
                // The label wraps onto a second line inside its cell.
                glyph(60.0, 142.0, "维"),
                glyph(70.0, 142.0, "持"),
                glyph(200.0, 125.0, "1"),
                glyph(210.0, 125.0, "2"),
                glyph(300.0, 125.0, "3"),
                glyph(200.0, 155.0, "4"),
                // A page number in the bottom margin, and a line of text.
                glyph(290.0, 800.0, "—"),
                glyph(300.0, 800.0, "4"),
                glyph(310.0, 800.0, "—"),
                glyph(60.0, 60.0, "表"),
                glyph(70.0, 60.0, "一"),
            ],
            segments,
            ..PageContent::default()
        };
        let blocks = page_blocks(&page);
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        let PageBlock::Line { text, line, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!((text.as_str(), *line), ("表一", 1));
        let PageBlock::Table(t) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.xs.len(), 4);
        let body = document_blocks(vec![(1, blocks)]);
        let Some(Block::Table(table)) = body.get(1) else {
            panic!()
        };
        assert_eq!(table.rows.len(), 2);
        let texts: Vec<&str> = table.rows[0].cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["结果维持", "12", "3"]);
        assert_eq!(table.rows[0].cells[0].vmerge, VMerge::Restart);
        assert_eq!(table.rows[1].cells[0].vmerge, VMerge::Continue);
        assert_eq!(table.rows[1].cells[1].text, "4");
        assert_eq!(table.rows[1].at, Some(("第1页 表格1".to_string(), 2)));
    }

    #[test]
    fn a_table_going_on_over_the_page_is_one_table_with_its_header_once() {
        let part = |label: &str, value: &str| {
            let segments = vec![
                h(100.0, 50.0, 250.0),
                h(120.0, 50.0, 250.0),
                h(140.0, 50.0, 250.0),
                v(50.0, 100.0, 140.0),
                v(150.0, 100.0, 140.0),
                v(250.0, 100.0, 140.0),
            ];
            let page = PageContent {
                height: 842.0,
                glyphs: vec![
                    glyph(60.0, 115.0, "项"),
                    glyph(160.0, 115.0, "数"),
                    glyph(60.0, 135.0, label),
                    glyph(160.0, 135.0, value),
                ],
                segments,
                ..PageContent::default()
            };
            page_blocks(&page)
        };
        let body = document_blocks(vec![(3, part("甲", "1")), (4, part("乙", "2"))]);
        assert_eq!(body.len(), 1, "one table");
        let Block::Table(t) = &body[0] else { panic!() };
        let labels: Vec<&str> = t.rows.iter().map(|r| r.cells[0].text.as_str()).collect();
        assert_eq!(labels, ["项", "甲", "乙"], "the repeated header is read once");
        assert_eq!(t.rows[2].at, Some(("第4页 表格1".to_string(), 2)));
    }

    #[test]
    fn a_running_header_is_dropped_and_does_not_split_a_continued_table() {
        let page = |header: &str, label: &str| {
            let segments = vec![
                h(100.0, 50.0, 250.0),
                h(120.0, 50.0, 250.0),
                v(50.0, 100.0, 120.0),
                v(150.0, 100.0, 120.0),
                v(250.0, 100.0, 120.0),
            ];
            let mut glyphs: Vec<Glyph> = header
                .chars()
                .enumerate()
                .map(|(i, c)| glyph(60.0 + 10.0 * i as f32, 40.0, &c.to_string()))
                .collect();
            glyphs.push(glyph(60.0, 115.0, label));
            glyphs.push(glyph(160.0, 115.0, "1"));
            page_blocks(&PageContent {
                height: 842.0,
                glyphs,
                segments,
                ..PageContent::default()
            })
        };
        let body = document_blocks(vec![
            (1, page("某局文件1", "甲")),
            (2, page("某局文件2", "乙")),
            (3, page("某局文件3", "丙")),
        ]);
        assert_eq!(body.len(), 2, "the first page's header, then one table: {body:?}");
        let Block::Table(t) = &body[1] else { panic!("{body:?}") };
        assert_eq!(t.rows.len(), 3, "continued over pages 2 and 3");
        let one = document_blocks(vec![(1, page("某局文件", "甲"))]);
        assert!(
            matches!(&one[0], Block::Para { text, .. } if text == "某局文件"),
            "a line in the margin of one page is kept: {one:?}"
        );
    }

    #[test]
    fn page_numbers_are_told_from_numbers() {
        for n in ["4", "- 4 -", "— 12 —", "第 4 页", "第4页共6页", "4 / 6"] {
            assert!(is_page_number(n), "{n}");
        }
        for n in ["2023", "12345", "一、总体情况", "第四条", "2 / 年"] {
            assert!(!is_page_number(n), "{n}");
        }
    }
}
