//! Reading a report published as an HTML page on a government portal.
//!
//! Portal pages wrap the report in navigation, breadcrumbs, share buttons and footers, are often
//! served as GBK/GB2312, and lay the tables out with `rowspan`/`colspan`. The reader decodes the
//! bytes (BOM, `<meta charset>`, then sniffing), finds the element that holds the report (the
//! smallest one containing most section headings), expands every data table into a [`Grid`] and
//! reads the three tables with the same label matcher as the spreadsheet importer
//! ([`grid::read_tables`]). The sections, title and preamble come from the page text, read by the
//! text importer; if the tables' structure defeats the grid matcher (cells run together, tables
//! split oddly), the tables are read from the page text instead and a finding says so.

use crate::decode::decode;
use crate::grid::{self, Grid, Merge};
use crate::html_shown::{Doubt, Shown};
use crate::labels::comparable_label;
use crate::limits::exceeded;
use crate::run_look::RunLook;
use crate::text;
use crate::{ErrorKind, ImportError, ImportOptions, Imported};
use scraper::{ElementRef, Html};
use xxgk_model::{Finding, Location, SectionKind, Severity, Status, Text};

/// Spans beyond these are typing errors; capping them keeps a hostile page from allocating.
const MAX_COLSPAN: usize = 64;
const MAX_ROWSPAN: usize = 512;
/// Tables larger than this are not report tables.
const MAX_GRID_ROWS: usize = 2_000;
/// Most positions of one table's expanded rectangle (a report's table has a few hundred).
const MAX_GRID_CELLS: u64 = 200_000;

/// Reads one report from the bytes of an HTML page within the limits of `opts`: the page's
/// tags may nest at most [`ImportOptions::max_html_depth`] deep, because the reader walks the
/// tree recursively and looks for the report's element level by level (a page 100,000 tags
/// deep overflowed the stack and took minutes before this limit).
pub(crate) fn read_html_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    // The parser checks scopes by scanning its stack of open elements, so a page nested
    // 100,000 deep costs it minutes: the depth is estimated from the text before parsing,
    // and measured exactly on the tree after.
    // Both are measured on the decoded text, so that a page in UTF-16 (every `<` followed by a
    // zero byte) is measured as one in UTF-8 or GBK is.
    let declared = sniff_charset(bytes);
    let decoded = decode(bytes, declared.as_deref());
    let estimate = estimate_depth(decoded.text.as_bytes(), opts.max_html_depth);
    if estimate > opts.max_html_depth {
        return Err(too_deep(file, format!("> {}", opts.max_html_depth), opts));
    }
    // Each element costs the parser and the tree a few microseconds and a few hundred bytes:
    // 16 MB of `<p>a</p>` took 7.6 s and 709 MB, of `a<br>` 12.8 s and 971 MB. The tags are
    // counted (`<` and a letter, so a little over) before parsing.
    let tags = tag_count(decoded.text.as_bytes());
    if tags > opts.max_html_elements {
        return Err(exceeded(
            file,
            None,
            "网页的标签个数",
            "the number of tags of the HTML page",
            tags,
            opts.max_html_elements,
            "--max-html-elements",
        ));
    }
    let doc = Html::parse_document(&decoded.text);
    check_depth(file, &doc, opts)?;
    let root = doc.root_element();
    let shown = Shown::of(root);
    let content = find_content(root, &shown);

    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    emit(content, &shown, &mut lines, &mut cur);
    flush(&mut lines, &mut cur);
    if let Some(title) = page_title(root, &shown) {
        let head: Vec<String> = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .map(|l| comparable_label(l))
            .collect();
        let t = comparable_label(&title);
        if !head
            .iter()
            .any(|h| h.contains(&t) || t.contains(h.as_str()) && h.ends_with("报告"))
        {
            lines.insert(0, title);
        }
    }
    let page_text = lines.join("\n");
    if page_text.trim().is_empty() {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            None,
            "网页中没有文字",
            "the page has no text",
        ));
    }
    let mut imported = text::read_str(file, &page_text, opts)?;
    if decoded.had_errors {
        imported.findings.insert(0, text::encoding_finding(decoded.encoding));
    }
    if imported.report.meta.published.is_none() {
        imported.report.meta.published = published_date(root, &shown);
    }

    let grids = tables_as_grids(file, content, &shown, opts)?;
    match grid::prefer_grid_tables(file, &grids, &mut imported) {
        Ok(()) => {}
        Err(e) if !grids.is_empty() => {
            locate_in_page_text(&mut imported);
            imported.findings.push(Finding {
            rule: "IMPORT-HTML-TABLE".into(),
            severity: Severity::Warning,
            status: Status::Fail,
            table: None,
            subject: None,
            cells: Vec::new(),
            expected: None,
            found: None,
            message: Text::new(
                format!("网页表格无法按标签逐格读取（{}），已改按页面文字读取表格", e.message.zh),
                format!(
                    "the page's tables could not be read cell by cell by label ({}); the tables were read from the page text",
                    e.message.en
                ),
            ).into(),
            })
        }
        Err(_) => locate_in_page_text(&mut imported),
    }
    if let Some(f) = crate::html_borders::finding(root, content, &|t| !has_nested_table(t)) {
        imported.findings.push(f);
    }
    Ok(imported)
}

/// Cells read from the page text carry line numbers of that text, not of the HTML source: they
/// are named as lines of the page's text so that nobody looks for them in the HTML file.
fn locate_in_page_text(imported: &mut Imported) {
    let ids: Vec<String> = imported.report.cells.iter().map(|(id, _)| id.to_string()).collect();
    for id in ids {
        if let Some(line) = imported.sources.get(&id).and_then(|l| l.line) {
            imported.sources.insert(id, page_text_line(line));
        }
    }
    for f in &mut imported.findings {
        for c in &mut f.cells {
            if let Some(line) = c.location.as_ref().and_then(|l| l.line) {
                c.location = Some(page_text_line(line).into());
            }
        }
    }
}

fn page_text_line(line: u64) -> Location {
    Location {
        sheet: Some(PAGE_TEXT.to_string()),
        line: Some(line),
        ..Default::default()
    }
}

/// How the text of a page is named in locations.
const PAGE_TEXT: &str = "网页正文";

/// The encoding named by `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` in the
/// first bytes of the page.
fn sniff_charset(bytes: &[u8]) -> Option<String> {
    let head: Vec<u8> = bytes.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let at = head.windows(8).position(|w| w == b"charset=")?;
    let rest = &head[at + 8..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| String::from_utf8_lossy(&rest[..end]).into_owned())
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "center"
            | "dl"
            | "dt"
            | "dd"
            | "form"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "main"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "body"
            | "caption"
    )
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "select" | "button" | "iframe"
    )
}

/// Refuses a page whose tags nest deeper than the limit; the walk is iterative.
fn check_depth(file: &str, doc: &Html, opts: &ImportOptions) -> Result<(), ImportError> {
    use ego_tree::iter::Edge;
    let (mut depth, mut deepest) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Edge::Close(_) => depth = depth.saturating_sub(1),
        }
    }
    if deepest > opts.max_html_depth {
        return Err(too_deep(file, deepest, opts));
    }
    Ok(())
}

fn too_deep(file: &str, depth: impl std::fmt::Display, opts: &ImportOptions) -> ImportError {
    crate::limits::exceeded(
        file,
        None,
        "网页标签的嵌套层数",
        "the nesting depth of the page's tags",
        depth,
        opts.max_html_depth,
        "--max-html-depth",
    )
}

/// How many tags a page's text opens: each `<` followed by an ASCII letter (in comments and
/// scripts too, so a little over the elements).
fn tag_count(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'<', bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
        .count() as u64
}

/// The nesting depth of a page's tags as its decoded text (UTF-8) opens and closes them,
/// stopping once past `stop`. Tags that close themselves or are closed implicitly by the next
/// one (`<br>`, `<p>`, `<li>`, `<td>`, …) do not count, comments are skipped and so are the
/// contents of `<script>` and `<style>`. An estimate: the tree is measured after parsing.
fn estimate_depth(bytes: &[u8], stop: usize) -> usize {
    const UNCOUNTED: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"source",
        b"track",
        b"wbr",
        b"p",
        b"li",
        b"td",
        b"th",
        b"tr",
        b"option",
        b"optgroup",
        b"dt",
        b"dd",
        b"tbody",
        b"thead",
        b"tfoot",
        b"colgroup",
        b"rb",
        b"rt",
        b"rp",
        b"html",
        b"head",
        b"body",
    ];
    let find = |from: usize, needle: &[u8]| {
        bytes
            .get(from..)
            .and_then(|rest| rest.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle)))
            .map(|p| from + p)
    };
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    // Inside <svg> and <math> a tag ending in `/>` closes itself; in HTML it does not (an HTML5
    // parser opens a <div/> like a <div>), so 100,000 <div/> nest 100,000 deep.
    let mut foreign = 0usize;
    while let Some(lt) = find(i, b"<") {
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = bytes[name_start..name_start + name_len].to_ascii_lowercase();
        let Some(gt) = find(name_start, b">") else {
            break;
        };
        i = gt + 1;
        if name.is_empty() || UNCOUNTED.contains(&name.as_slice()) {
            continue;
        }
        let is_foreign = name == b"svg" || name == b"math";
        if closing {
            depth = depth.saturating_sub(1);
            if is_foreign {
                foreign = foreign.saturating_sub(1);
            }
        } else if bytes[gt - 1] != b'/' || foreign == 0 && !is_foreign {
            if is_foreign {
                foreign += 1;
            }
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > stop {
                break;
            }
            if name == b"script" || name == b"style" {
                let end = [b"</".as_slice(), &name].concat();
                i = find(i, &end).unwrap_or(bytes.len());
            }
        }
    }
    deepest
}

fn flush(lines: &mut Vec<String>, cur: &mut String) {
    let t = cur.trim();
    if !t.is_empty() {
        lines.push(t.to_string());
    }
    cur.clear();
}

/// Writes the text of an element as lines: blocks on their own lines, each row of a data table
/// on one line with its cells separated by tabs (the text importer reads that shape too).
fn emit(el: ElementRef<'_>, shown: &Shown, lines: &mut Vec<String>, cur: &mut String) {
    let name = el.value().name();
    let state = shown.state(el.id());
    if is_skipped(name) || state.removed {
        return;
    }
    if name == "br" {
        flush(lines, cur);
        return;
    }
    if name == "table" && !has_nested_table(el) {
        flush(lines, cur);
        for row in rows_of(el, shown) {
            // A cell whose shown text cannot be told is no number in the page's text either.
            let cells: Vec<String> = cells_of(row, shown)
                .iter()
                .map(|c| match cell_shown(*c, shown) {
                    (text, None) => text,
                    (_, Some(_)) => "？".to_string(),
                })
                .collect();
            if cells.iter().any(|c| !c.is_empty()) {
                lines.push(cells.join("\t"));
            }
        }
        return;
    }
    let block = is_block(name);
    if block {
        flush(lines, cur);
    }
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            emit(e, shown, lines, cur);
        } else if let Some(t) = child.value().as_text()
            && !state.invisible
        {
            push_look(cur, t, state.look);
        }
    }
    if block {
        flush(lines, cur);
    }
}

/// Appends text shown with `look` (a raised digit as `¹`, struck text as `5̶`), runs of
/// whitespace (line breaks of the HTML source, `&nbsp;`) as one space.
fn push_look(cur: &mut String, t: &str, look: RunLook) {
    let mut buf = [0u8; 4];
    for c in t.chars() {
        let space = c.is_whitespace() || c == '\u{a0}';
        if space {
            if !cur.ends_with(' ') && !cur.is_empty() {
                cur.push(' ');
            }
        } else {
            look.push(cur, c.encode_utf8(&mut buf));
        }
    }
}

/// The text of an element on one line, as the page shows it (see [`cell_shown`]); for titles
/// and dates, where a doubt does not matter.
fn cell_text(el: ElementRef<'_>, shown: &Shown) -> String {
    cell_shown(el, shown).0
}

/// The text of a table cell on one line, as a browser shows it: hidden elements and invisible
/// text left out, raised digits as `¹`/`₃` and struck text as `5̶` (which join the digits beside
/// them, as in Word: `12¹` is text, never 121). Every other element boundary is a space, so that
/// digits of two elements (`1<br>2`, `7<span style="opacity:0">9</span>7`) never join into one
/// number. With why, when a style rule may change what the cell shows.
fn cell_shown(el: ElementRef<'_>, shown: &Shown) -> (String, Option<Doubt>) {
    let mut s = String::new();
    let mut doubt = shown.doubt(el.id()).cloned();
    shown_text(el, shown, &mut s, &mut doubt);
    (s.trim().to_string(), doubt)
}

fn shown_text(el: ElementRef<'_>, shown: &Shown, out: &mut String, doubt: &mut Option<Doubt>) {
    let state = shown.state(el.id());
    let boundary = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    for child in el.children() {
        if let Some(e) = ElementRef::wrap(child) {
            let inner = shown.state(e.id());
            let name = e.value().name();
            if is_skipped(name) {
                // A script may write text there: what it writes is not read, and never joins
                // the digits beside it.
                boundary(out);
                continue;
            }
            // A hidden element, or a `<wbr>`, shows nothing: the text on both sides joins,
            // as on the screen (`7<span hidden>9</span>7` shows 77).
            if inner.removed || name == "wbr" && shown.doubt(e.id()).is_none() {
                continue;
            }
            if doubt.is_none() {
                *doubt = shown.doubt(e.id()).cloned();
            }
            // A raised or struck element joins the text beside it, which it marks as text.
            let joins = (inner.look.raised.is_some() && state.look.raised.is_none())
                || (inner.look.struck && !state.look.struck);
            if !joins {
                boundary(out);
            }
            shown_text(e, shown, out, doubt);
            if !joins {
                boundary(out);
            }
        } else if let Some(t) = child.value().as_text()
            && !state.invisible
        {
            push_look(out, t, state.look);
        }
    }
}

fn has_nested_table(table: ElementRef<'_>) -> bool {
    table.descendent_elements().skip(1).any(|e| e.value().name() == "table")
}

/// The rows of a table a browser lays out, without those of tables nested in it.
fn rows_of<'a>(table: ElementRef<'a>, shown: &Shown) -> Vec<ElementRef<'a>> {
    all_rows_of(table)
        .into_iter()
        .filter(|r| !shown.state(r.id()).removed)
        .collect()
}

/// Every row of a table, hidden ones too.
fn all_rows_of(table: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut out = Vec::new();
    for child in table.child_elements() {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => out.extend(child.child_elements().filter(|e| e.value().name() == "tr")),
            _ => {}
        }
    }
    out
}

/// The cells of a row a browser lays out (a `display:none` cell takes no place).
fn cells_of<'a>(row: ElementRef<'a>, shown: &Shown) -> Vec<ElementRef<'a>> {
    row.child_elements()
        .filter(|e| matches!(e.value().name(), "td" | "th") && !shown.state(e.id()).removed)
        .collect()
}

fn span(el: ElementRef<'_>, attr: &str, max: usize) -> usize {
    el.value()
        .attr(attr)
        .and_then(|v| v.trim().trim_end_matches(';').parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(1)
        .min(max)
}

/// Every data table (one without tables inside) as a grid, `rowspan`/`colspan` recorded as
/// merged regions, each position located as `表格N!A1`. A table whose expanded rectangle (rows ×
/// columns, spans counted) would pass [`MAX_GRID_CELLS`] or [`ImportOptions::max_cells`] is
/// refused before it is expanded further: cells that all span 512 rows and 64 columns made the
/// rectangle grow by 32,768 positions a cell.
fn tables_as_grids(
    file: &str,
    content: ElementRef<'_>,
    shown: &Shown,
    opts: &ImportOptions,
) -> Result<Vec<Grid>, ImportError> {
    let max_cells = opts.max_cells.min(MAX_GRID_CELLS);
    let mut grids = Vec::new();
    let tables = content
        .descendent_elements()
        .filter(|e| e.value().name() == "table" && !has_nested_table(*e));
    for (n, table) in tables.enumerate() {
        let mut g = Grid::sheet(format!("表格{}", n + 1));
        let refuse = |g: &Grid, r: usize, why: &Doubt| -> ImportError {
            ImportError::new(
                file,
                ErrorKind::Shape,
                Some(Location::sheet_cell(g.name(), grid::a1(r as u32, 0))),
                format!("{}：浏览器显示的行列无法确定，该表格不读取", why.zh),
                format!(
                    "{}: the rows and columns a browser shows cannot be told, so the table was not read",
                    why.en
                ),
            )
        };
        if let Some(why) = shown.doubt(table.id()).filter(|d| d.layout) {
            return Err(refuse(&g, 0, why));
        }
        // A table a browser does not show is no table of the report.
        if shown.state(table.id()).removed {
            continue;
        }
        // A column hidden by its `<col>` takes no place, header and values alike; which of the
        // cells below it a browser leaves out is not worked out.
        let collapsed = table
            .child_elements()
            .filter(|e| e.value().name() == "colgroup")
            .flat_map(|e| std::iter::once(e).chain(e.child_elements()))
            .chain(table.child_elements().filter(|e| e.value().name() == "col"))
            .any(|e| shown.state(e.id()).collapsed_column);
        if collapsed {
            let why = Doubt {
                zh: "表格的列被 <col> 的 visibility:collapse 隐藏".into(),
                en: "a column of the table is hidden by visibility:collapse on a <col>".into(),
                layout: true,
            };
            return Err(refuse(&g, 0, &why));
        }
        // occupied[r] holds the columns of row r already covered by a span from above.
        let mut occupied: Vec<Vec<bool>> = Vec::new();
        let mut width = 0usize;
        // Rows as a browser lays them out: a hidden row takes no place.
        let mut r = 0usize;
        for row in all_rows_of(table) {
            if r >= MAX_GRID_ROWS {
                break;
            }
            if let Some(why) = shown.doubt(row.id()).filter(|d| d.layout) {
                return Err(refuse(&g, r, why));
            }
            if shown.state(row.id()).removed {
                // Whether a span from above still counts the hidden row differs between
                // browsers and versions: not guessed.
                if occupied.get(r).is_some_and(|o| o.iter().any(|x| *x)) {
                    let why = Doubt {
                        zh: "隐藏的行被上方单元格的跨行合并（rowspan）跨过".into(),
                        en: "a hidden row is crossed by a cell spanning rows from above (rowspan)".into(),
                        layout: true,
                    };
                    return Err(refuse(&g, r, &why));
                }
                continue;
            }
            let mut c = 0usize;
            let cells = row.child_elements().filter(|e| matches!(e.value().name(), "td" | "th"));
            for cell in cells {
                // A cell hidden, or shown, by a rule whose reach cannot be told.
                if let Some(why) = shown.doubt(cell.id()).filter(|d| d.layout) {
                    return Err(refuse(&g, r, why));
                }
                if shown.state(cell.id()).removed {
                    continue;
                }
                while occupied.get(r).and_then(|o| o.get(c)).copied().unwrap_or(false) {
                    c += 1;
                }
                let cs = span(cell, "colspan", MAX_COLSPAN);
                let rs = span(cell, "rowspan", MAX_ROWSPAN).min(MAX_GRID_ROWS - r);
                width = width.max(c + cs);
                let height = occupied.len().max(r + rs);
                if (width as u64).saturating_mul(height as u64) > max_cells {
                    return Err(crate::limits::exceeded(
                        file,
                        Some(Location {
                            sheet: Some(g.name().to_string()),
                            ..Default::default()
                        }),
                        "网页表格按行列合并展开后的单元格数（行数×列数）",
                        "the cells of a page's table once its row and column spans are expanded (rows × columns)",
                        format!("> {}", (width as u64).saturating_mul(height as u64)),
                        max_cells,
                        "--max-cells",
                    ));
                }
                for rr in r..r + rs {
                    if occupied.len() <= rr {
                        occupied.resize(rr + 1, Vec::new());
                    }
                    let o = &mut occupied[rr];
                    if o.len() < c + cs {
                        o.resize(c + cs, false);
                    }
                    o[c..c + cs].iter_mut().for_each(|x| *x = true);
                }
                let (row32, col32) = (r as u32, c as u32);
                let (text, doubt) = cell_shown(cell, shown);
                g.set(row32, col32, text, None);
                if let Some(why) = doubt {
                    g.refuse(row32, col32, crate::grid::Refusal::Style(Box::new((why.zh, why.en))));
                }
                if cs > 1 || rs > 1 {
                    g.add_merge(Merge {
                        first_row: row32,
                        first_col: col32,
                        last_row: (r + rs - 1) as u32,
                        last_col: (c + cs - 1) as u32,
                    });
                }
                c += cs;
            }
            r += 1;
        }
        g.set_row_widths((0..r).map(|i| occupied.get(i).map_or(0, |o| o.len() as u32)).collect());
        if g.dropped_merges() > 0 {
            return Err(crate::limits::exceeded(
                file,
                Some(Location {
                    sheet: Some(g.name().to_string()),
                    ..Default::default()
                }),
                "网页表格合并单元格覆盖的单元格数",
                "the cells a page's table covers with spans",
                "> 2000000",
                2_000_000,
                "--max-cells",
            ));
        }
        if !g.is_empty() {
            grids.push(g);
        }
    }
    Ok(grids)
}

/// The normalised text of a page's body, and where each element's text lies in it: an element's
/// text is one stretch of its body's, so every element is scored from one pass over the page
/// (collecting each element's text anew on the way down took depth × size: 126 s for 15 MB of
/// text inside 990 divs).
struct PageText {
    norm: String,
    spans: rustc_hash::FxHashMap<ego_tree::NodeId, (usize, usize)>,
    /// For each section, its headings (normalised, of five characters or more) with where each
    /// occurs in `norm`, in order.
    headings: Vec<Vec<(usize, Vec<usize>)>>,
}

impl PageText {
    fn new(body: ElementRef<'_>, shown: &Shown) -> Self {
        use ego_tree::iter::Edge;
        let mut norm = String::new();
        let mut spans = rustc_hash::FxHashMap::default();
        let mut open = Vec::new();
        for edge in body.traverse() {
            match edge {
                Edge::Open(node) if node.value().is_element() => open.push(norm.len()),
                Edge::Open(node) => {
                    let hidden = node
                        .parent()
                        .and_then(ElementRef::wrap)
                        .is_some_and(|p| shown.state(p.id()).removed);
                    if let Some(t) = node.value().as_text().filter(|_| !hidden) {
                        crate::labels::push_comparable(t, &mut norm);
                    }
                }
                Edge::Close(node) if node.value().is_element() => {
                    let start = open.pop().unwrap_or(0);
                    spans.insert(node.id(), (start, norm.len()));
                }
                Edge::Close(_) => {}
            }
        }
        let headings = SectionKind::ALL
            .iter()
            .map(|k| {
                k.heading_variants()
                    .iter()
                    .filter(|v| v.chars().count() >= 5)
                    .map(|v| comparable_label(v))
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        let at = memchr::memmem::find_iter(norm.as_bytes(), v.as_bytes()).collect();
                        (v.len(), at)
                    })
                    .collect()
            })
            .collect();
        PageText { norm, spans, headings }
    }

    /// How many of the six sections the element's text has headings for.
    fn score(&self, el: ElementRef<'_>) -> usize {
        let Some(&(start, end)) = self.spans.get(&el.id()) else {
            return 0;
        };
        debug_assert!(end <= self.norm.len());
        self.headings
            .iter()
            .filter(|variants| {
                variants.iter().any(|(len, at)| {
                    let i = at.partition_point(|&p| p < start);
                    at.get(i).is_some_and(|&p| p + len <= end)
                })
            })
            .count()
    }
}

/// The element that holds the report: the deepest one that holds the most section headings,
/// found by structure: a heading is an element whose whole text is a section heading
/// (“<h2>一、总体情况</h2>”, “<p><span>二、主动公开政府信息情况</span></p>”), never a sentence
/// that names the sections (“本报告共分6个部分：总体情况、主动公开政府信息情况、……”). Pages
/// whose headings share their paragraph with text fall back to the words of the headings.
fn find_content<'a>(root: ElementRef<'a>, shown: &Shown) -> ElementRef<'a> {
    let body = root
        .descendent_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(root);
    // Each element's set of heading kinds below it, as a bit mask, from the heading elements up.
    let mut masks: std::collections::HashMap<ego_tree::NodeId, u8> = std::collections::HashMap::new();
    // A hidden copy of the report (last year's, a draft) is not the report a reader sees.
    let hidden = |e: &ElementRef<'_>| shown.state(e.id()).removed;
    for node in body.descendants() {
        if node.value().as_text().is_none_or(|t| t.trim().is_empty())
            || node.parent().and_then(ElementRef::wrap).is_some_and(|p| hidden(&p))
        {
            continue;
        }
        // The text's element and up to two ancestors, while their text stays heading-short.
        let mut el = node.parent().and_then(ElementRef::wrap);
        for _ in 0..3 {
            let Some(e) = el else { break };
            if is_skipped(e.value().name()) {
                break;
            }
            let mut text = String::new();
            for t in e.text() {
                text.push_str(t);
                if text.len() > 4 * 60 {
                    break;
                }
            }
            if text.len() > 4 * 60 {
                break;
            }
            if let Some(kind) = crate::labels::section_of(text.trim()) {
                let bit = 1u8 << SectionKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
                for a in e.ancestors().chain(std::iter::once(*e)) {
                    *masks.entry(a.id()).or_default() |= bit;
                }
                break;
            }
            el = e.parent().and_then(ElementRef::wrap);
        }
    }
    let score = |e: ElementRef<'_>| masks.get(&e.id()).map_or(0, |m| m.count_ones());
    let best_score = score(body);
    if best_score >= 2 {
        let mut best = body;
        loop {
            match best.child_elements().find(|c| score(*c) == best_score && !hidden(c)) {
                Some(c) => best = c,
                None => return best,
            }
        }
    }
    let page = PageText::new(body, shown);
    let mut best = body;
    let mut best_score = page.score(body);
    if best_score == 0 {
        return body;
    }
    // Walk down while a single child keeps the whole score.
    loop {
        let next = best
            .child_elements()
            .find(|c| !is_skipped(c.value().name()) && !hidden(c) && page.score(*c) >= best_score);
        match next {
            Some(c) => {
                best = c;
                best_score = page.score(c);
            }
            None => return best,
        }
    }
}

/// The report's title from the page (`<h1>`…`<h3>`, then `<title>`), cut after “报告” so that a
/// site name after it goes.
fn page_title(root: ElementRef<'_>, shown: &Shown) -> Option<String> {
    let cut = |t: &str| -> Option<String> {
        let end = t.rfind("报告")?;
        let t = &t[..end + "报告".len()];
        (t.contains('年') && t.chars().any(|c| c.is_ascii_digit())).then(|| t.trim().to_string())
    };
    let headings = root
        .descendent_elements()
        .filter(|e| matches!(e.value().name(), "h1" | "h2" | "h3"))
        .chain(root.descendent_elements().filter(|e| e.value().name() == "title"))
        .filter(|e| !shown.state(e.id()).removed || e.value().name() == "title");
    for e in headings {
        if let Some(t) = cut(&cell_text(e, shown)) {
            return Some(t);
        }
    }
    // A title in a paragraph or a styled block (“<div class="article_title">”, “<p><strong>”):
    // the first short block that ends in 报告 and names a year, and is no sentence.
    root.descendent_elements()
        .filter(|e| {
            matches!(e.value().name(), "p" | "div" | "span" | "strong" | "b" | "td") && !shown.state(e.id()).removed
        })
        .filter(|e| !e.child_elements().any(|c| is_block(c.value().name())))
        .map(|e| cell_text(e, shown))
        .filter(|t| t.chars().count() <= 60 && t.ends_with("报告") && !t.contains(['。', '，', '：']))
        .find_map(|t| cut(&t))
}

/// The publication date from `<meta name="PubDate">` (common in government CMSs), a
/// “发布日期：” line anywhere on the page, or the page chrome's “来源：… 时间：…”.
fn published_date(root: ElementRef<'_>, shown: &Shown) -> Option<String> {
    for e in root.descendent_elements().filter(|e| e.value().name() == "meta") {
        let name = e.value().attr("name").unwrap_or_default().to_ascii_lowercase();
        if matches!(
            name.as_str(),
            "pubdate" | "publishdate" | "firstpublishedtime" | "publishtime"
        ) {
            let content = e.value().attr("content").unwrap_or_default();
            let day = content.split_whitespace().next().unwrap_or_default();
            if let Some(d) = text::parse_date(day) {
                return Some(d);
            }
        }
    }
    let mut lines = Vec::new();
    let mut cur = String::new();
    emit(root, shown, &mut lines, &mut cur);
    flush(&mut lines, &mut cur);
    lines
        .iter()
        .find_map(|l| text::labelled_date(l))
        .or_else(|| lines.iter().find_map(|l| text::chrome_date(l)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_estimated_from_the_bytes() {
        let page = b"<html><body><div><p>a<p>b<br><img src=x/><!-- <div><div> --><script>if (a<b) {}</script><div></div></div></body></html>";
        assert_eq!(estimate_depth(page, 100), 2);
        let deep = "<div>".repeat(5000);
        assert_eq!(estimate_depth(deep.as_bytes(), 1000), 1001);
    }

    #[test]
    fn charset_is_sniffed() {
        assert_eq!(sniff_charset(br#"<meta charset="gb2312">"#).as_deref(), Some("gb2312"));
        assert_eq!(
            sniff_charset(br#"<meta http-equiv="Content-Type" content="text/html; charset=GBK">"#).as_deref(),
            Some("gbk")
        );
        assert_eq!(sniff_charset(b"<html>"), None);
    }

    #[test]
    fn spans_become_merges() {
        let doc = Html::parse_document(
            "<table><tr><td rowspan=2>A</td><td colspan=2>B</td></tr><tr><td>C</td><td>D</td></tr></table>",
        );
        let shown = Shown::of(doc.root_element());
        let grids = tables_as_grids("t.html", doc.root_element(), &shown, &ImportOptions::default()).expect("grids");
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!(g.text(1, 0), "A");
        assert_eq!(g.text(0, 2), "B");
        assert_eq!(g.text(1, 1), "C");
        assert_eq!(g.text(1, 2), "D");
    }
}
