//! The Word document read back as Word reads it: every number in its table cell, the merged
//! headers of the official form, repeating header rows, page, fonts and page numbers; the
//! structure of the seed report against a committed outline; and, where LibreOffice is
//! installed, the PDF it renders with every label and number in order.
//!
//! The reader here rebuilds each table's grid from `w:gridSpan` and `w:vMerge` alone, so a
//! mistake in how the exporter walks the layout shows up as a cell in the wrong place.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk_export::{Options, by_extension, by_name, docx};
use xxgk_model::layout::{Content, table_layout};
use xxgk_model::{Cell, FormatVersion, Report, SectionKind, TableId};

// ───────────────────────────── Reading the package ─────────────────────────────

fn fixture(name: &str) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("fixture is a report")
}

fn export(report: &Report) -> Vec<u8> {
    let mut out = Vec::new();
    by_name("docx")
        .expect("docx exporter registered")
        .run(std::slice::from_ref(report), &mut out, &Options::default())
        .expect("export");
    out
}

/// Every part of the package by name.
fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut parts = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let mut s = String::new();
        f.read_to_string(&mut s).expect("UTF-8 part");
        parts.insert(f.name().expect("entry name").to_string(), s);
    }
    parts
}

/// An XML element with its attributes and children; text is a child named `#text`.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all<'a>(&'a self, name: &str, out: &mut Vec<&'a Node>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.all(name, out);
        }
    }
    fn find_all(&self, name: &str) -> Vec<&Node> {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out
    }
    /// The text a reader sees: `w:t` content, `w:br` as a line break, `w:tab` as a tab.
    fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            match c.name.as_str() {
                "#text" => s.push_str(&c.text),
                "w:br" => s.push('\n'),
                "w:tab" => s.push('\t'),
                "w:instrText" => {}
                _ => s.push_str(&c.text()),
            }
        }
        s
    }
    /// `w:val` of a child, e.g. the style of a paragraph through `w:pPr/w:pStyle`.
    fn val(&self, path: &[&str]) -> Option<&str> {
        let mut n = self;
        for p in path {
            n = n.child(p)?;
        }
        n.attr("w:val")
    }
}

fn element(e: &BytesStart<'_>) -> Node {
    Node {
        name: e.name().as_ref().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .expect("attribute value")
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let n = element(&e);
                stack.last_mut().expect("parent").children.push(n);
            }
            Event::End(_) => {
                let n = stack.pop().expect("open element");
                stack.last_mut().expect("parent").children.push(n);
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("character reference") {
                    Some(c) => c.to_string(),
                    None => match r.xml10_content().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("unknown entity &{other};"),
                    },
                };
                push_text(&mut stack, &c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    stack.pop().expect("root")
}

fn push_text(stack: &mut [Node], text: &str) {
    let parent = stack.last_mut().expect("parent");
    match parent.children.last_mut() {
        Some(last) if last.name == "#text" => last.text.push_str(text),
        _ => parent.children.push(Node {
            name: "#text".into(),
            text: text.to_string(),
            ..Node::default()
        }),
    }
}

// ───────────────────────────── The document model as read ─────────────────────────────

/// A table cell as written: its span, its vertical merge, its text and alignment.
#[derive(Debug)]
struct Tc {
    span: u32,
    /// `Some(true)` starts a vertical merge, `Some(false)` continues one.
    vmerge: Option<bool>,
    text: String,
    jc: String,
}

#[derive(Debug)]
struct Row {
    header: bool,
    cant_split: bool,
    cells: Vec<Tc>,
}

#[derive(Debug)]
struct Table {
    grid: Vec<u32>,
    width: u32,
    rows: Vec<Row>,
}

/// A merged cell as a reader sees it on the page.
#[derive(Debug, PartialEq)]
struct Seen {
    row: u32,
    col: u32,
    rows: u32,
    cols: u32,
    text: String,
    jc: String,
}

enum Block {
    Para { style: String, text: String },
    Table(Table),
}

fn read_table(tbl: &Node) -> Table {
    let grid: Vec<u32> = tbl
        .child("w:tblGrid")
        .expect("grid")
        .children
        .iter()
        .map(|g| g.attr("w:w").and_then(|w| w.parse().ok()).expect("width"))
        .collect();
    let width = tbl
        .child("w:tblPr")
        .and_then(|p| p.child("w:tblW"))
        .and_then(|w| w.attr("w:w"))
        .and_then(|w| w.parse().ok())
        .expect("table width");
    let rows = tbl
        .children
        .iter()
        .filter(|c| c.name == "w:tr")
        .map(|tr| {
            let pr = tr.child("w:trPr");
            Row {
                header: pr.is_some_and(|p| p.child("w:tblHeader").is_some()),
                cant_split: pr.is_some_and(|p| p.child("w:cantSplit").is_some()),
                cells: tr
                    .children
                    .iter()
                    .filter(|c| c.name == "w:tc")
                    .map(|tc| {
                        let pr = tc.child("w:tcPr");
                        let vm = pr.and_then(|p| p.child("w:vMerge"));
                        let p = tc.child("w:p").expect("a cell holds a paragraph");
                        Tc {
                            span: pr
                                .and_then(|p| p.child("w:gridSpan"))
                                .map_or(1, |g| g.attr("w:val").and_then(|v| v.parse().ok()).expect("span")),
                            vmerge: vm.map(|v| v.attr("w:val") == Some("restart")),
                            text: tc.text(),
                            jc: p.val(&["w:pPr", "w:jc"]).unwrap_or_default().to_string(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Table { grid, width, rows }
}

impl Table {
    /// The cells as placed on the page, rebuilt from spans and vertical merges, row by row.
    fn seen(&self) -> Vec<Seen> {
        let mut out: Vec<Seen> = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut col = 0;
            for tc in &row.cells {
                if tc.vmerge == Some(false) {
                    assert!(tc.text.is_empty(), "a continued merge holds text: {tc:?}");
                    let above = out
                        .iter_mut()
                        .find(|s| s.col == col && s.row + s.rows == r as u32)
                        .unwrap_or_else(|| panic!("row {r} col {col}: vMerge continues nothing"));
                    assert_eq!(above.cols, tc.span, "row {r} col {col}: merge changes width");
                    above.rows += 1;
                } else {
                    out.push(Seen {
                        row: r as u32,
                        col,
                        rows: 1,
                        cols: tc.span,
                        text: tc.text.clone(),
                        jc: tc.jc.clone(),
                    });
                }
                col += tc.span;
            }
            assert_eq!(col as usize, self.grid.len(), "row {r} is not as wide as the grid");
        }
        out.sort_by_key(|s| (s.row, s.col));
        out
    }

    /// The texts of the first row that has a cell reading `label`, as written (merge
    /// continuations included, as empty texts).
    fn row_with(&self, label: &str) -> Vec<&str> {
        self.rows
            .iter()
            .find(|r| r.cells.iter().any(|c| c.text == label))
            .unwrap_or_else(|| panic!("no row labelled {label}"))
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect()
    }
}

struct Doc {
    parts: HashMap<String, String>,
    blocks: Vec<Block>,
}

impl Doc {
    fn read(bytes: &[u8]) -> Doc {
        let parts = unzip(bytes);
        let doc = parse(parts.get("word/document.xml").expect("document part"));
        let body = doc.child("w:document").and_then(|d| d.child("w:body")).expect("body");
        let blocks = body
            .children
            .iter()
            .filter_map(|c| match c.name.as_str() {
                "w:p" => Some(Block::Para {
                    style: c.val(&["w:pPr", "w:pStyle"]).unwrap_or("Normal").to_string(),
                    text: c.text(),
                }),
                "w:tbl" => Some(Block::Table(read_table(c))),
                _ => None,
            })
            .collect();
        Doc { parts, blocks }
    }

    fn tables(&self) -> Vec<&Table> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Para { .. } => None,
            })
            .collect()
    }

    fn paragraphs(&self, style: &str) -> Vec<&str> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Para { style: s, text } if s == style => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn part(&self, name: &str) -> Node {
        parse(self.parts.get(name).unwrap_or_else(|| panic!("no part {name}")))
    }

    /// A plain-text outline: one line per paragraph, a table as its grid and rows, each cell
    /// with its span (`<3`), merge (`v+` starts, `v^` continues), alignment and text.
    fn outline(&self) -> String {
        let mut s = String::new();
        for b in &self.blocks {
            match b {
                Block::Para { style, text } => s.push_str(&format!("{style}: {}\n", text.replace('\n', "⏎"))),
                Block::Table(t) => {
                    s.push_str(&format!("table grid={:?}\n", t.grid));
                    for r in &t.rows {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| {
                                let span = if c.span > 1 {
                                    format!("<{}", c.span)
                                } else {
                                    String::new()
                                };
                                let vm = match c.vmerge {
                                    Some(true) => "v+",
                                    Some(false) => "v^",
                                    None => "",
                                };
                                format!("{span}{vm}[{}]{}", c.jc, c.text)
                            })
                            .collect();
                        s.push_str(&format!(
                            "  {}| {}\n",
                            if r.header { "H" } else { " " },
                            cells.join(" | ")
                        ));
                    }
                }
            }
        }
        s
    }
}

/// What a data cell must show: exactly what the source held, never a 0 for a blank.
fn expected(cell: &Cell) -> String {
    match cell {
        Cell::Number { raw: Some(raw), .. } => raw.clone(),
        Cell::Number { value, .. } => value.to_string(),
        Cell::Blank => String::new(),
        Cell::Placeholder { raw } | Cell::Text { raw } => raw.clone(),
    }
}

const FIXTURES: [&str; 3] = ["seed-2023-daoli.json", "valid-2021.json", "valid-2019.json"];

// ───────────────────────────── Tests ─────────────────────────────

#[test]
fn every_cell_and_label_sits_where_the_official_form_puts_it() {
    for name in FIXTURES {
        let report = fixture(name);
        let doc = Doc::read(&export(&report));
        let tables = doc.tables();
        assert_eq!(tables.len(), 3, "{name}");
        for (t, table) in TableId::ALL.into_iter().zip(tables) {
            let layout = table_layout(report.meta.format, t);
            let seen = table.seen();
            assert_eq!(seen.len(), layout.cells.len(), "{name} {t:?}");
            assert_eq!(table.rows.len() as u32, layout.height, "{name} {t:?}");
            assert_eq!(table.grid.len() as u32, layout.width, "{name} {t:?}");
            let mut numbers = 0;
            for (p, s) in layout.cells.iter().zip(&seen) {
                let at = format!("{name} {t:?} ({},{})", p.row, p.col);
                assert_eq!((s.row, s.col, s.rows, s.cols), (p.row, p.col, p.rows, p.cols), "{at}");
                let (text, jc) = match p.content {
                    Content::Data(def) => (expected(report.cell(&def.id)), "right"),
                    Content::ColumnHeader(l) => (l.zh.to_string(), "center"),
                    Content::Caption(l) | Content::Note(l) => (l.zh.to_string(), "left"),
                    Content::RowHeader(l) => (l.zh.to_string(), if t == TableId::T2 { "center" } else { "left" }),
                };
                assert_eq!(s.text, text, "{at}");
                assert_eq!(s.jc, jc, "{at}");
                if matches!(p.content, Content::Data(_)) && !text.is_empty() {
                    numbers += 1;
                }
            }
            let present = report
                .cells
                .iter()
                .filter(|(id, c)| id.starts_with(t.code()) && !matches!(c, Cell::Blank))
                .count();
            assert_eq!(numbers, present, "{name} {t:?}: every value of the report is shown");
            assert!(numbers > 0, "{name} {t:?}");
        }
    }
}

/// Read as a person reads the form, by the labels, with the values written down by hand from
/// the fixtures.
#[test]
fn values_read_by_their_row_labels() {
    let doc = Doc::read(&export(&fixture("valid-2021.json")));
    let [t2, t3, t4] = doc.tables()[..] else {
        panic!("three tables")
    };
    assert_eq!(t2.row_with("规章"), ["规章", "2", "1", "15"]);
    assert_eq!(t2.row_with("行政规范性文件"), ["行政规范性文件", "12", "3", "87"]);
    assert_eq!(t2.row_with("行政许可"), ["行政许可", "1520"]);
    assert_eq!(t2.row_with("行政事业性收费"), ["行政事业性收费", "103.3879"]);
    assert_eq!(
        t3.row_with("一、本年新收政府信息公开申请数量"),
        [
            "一、本年新收政府信息公开申请数量",
            "80",
            "12",
            "1",
            "2",
            "3",
            "4",
            "102"
        ]
    );
    // The first row of a group holds the group's merged label, the rows below continue it.
    assert_eq!(
        t3.row_with("1.属于国家秘密"),
        [
            "",
            "（三）不予公开",
            "1.属于国家秘密",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "1"
        ]
    );
    assert_eq!(
        t3.row_with("（七）总计"),
        ["", "（七）总计", "79", "12", "1", "2", "2", "5", "101"]
    );
    assert_eq!(
        t3.row_with("四、结转下年度继续办理"),
        ["四、结转下年度继续办理", "6", "1", "0", "0", "1", "0", "8"]
    );
    let data = &t4.rows[3].cells;
    let values: Vec<&str> = data.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        values,
        [
            "2", "1", "0", "1", "4", "1", "0", "0", "1", "2", "0", "1", "0", "0", "1"
        ]
    );

    let doc = Doc::read(&export(&fixture("valid-2019.json")));
    let [t2, _, _] = doc.tables()[..] else {
        panic!("three tables")
    };
    assert_eq!(t2.row_with("规章"), ["规章", "3", "3", "40（其中修订6件）"]);
    assert_eq!(
        t2.row_with("其他对外管理服务事项"),
        ["其他对外管理服务事项", "45", "-2", "889"]
    );
    assert_eq!(t2.row_with("行政强制")[2..], ["+1", "/"]);
    assert_eq!(t2.row_with("政府集中采购")[2], "160.5964万元");
}

#[test]
fn blanks_stay_blank_and_placeholders_stay_as_written() {
    let mut report = fixture("valid-2021.json");
    report.cells.0.shift_remove("t3.new_received.research");
    report
        .cells
        .set("t3.new_received.other_org", Cell::Placeholder { raw: "—".into() });
    report.cells.set("t2.fees.amount", Cell::Blank);
    let doc = Doc::read(&export(&report));
    let tables = doc.tables();
    assert_eq!(
        tables[1].row_with("一、本年新收政府信息公开申请数量"),
        ["一、本年新收政府信息公开申请数量", "80", "12", "", "2", "3", "—", "102"]
    );
    assert_eq!(tables[0].row_with("行政事业性收费"), ["行政事业性收费", ""]);
}

#[test]
fn header_rows_repeat_on_every_page_and_rows_never_split() {
    let doc = Doc::read(&export(&fixture("valid-2021.json")));
    for (t, table) in TableId::ALL.into_iter().zip(doc.tables()) {
        let layout = table_layout(FormatVersion::V2021, t);
        let headers: Vec<bool> = table.rows.iter().map(|r| r.header).collect();
        let want: Vec<bool> = (0..layout.height).map(|r| r < layout.header_rows).collect();
        assert_eq!(headers, want, "{t:?}");
        assert!(table.rows.iter().all(|r| r.cant_split), "{t:?}");
        assert_eq!(
            table.grid.iter().sum::<u32>(),
            table.width,
            "{t:?}: grid fills the table"
        );
    }
    assert_eq!(
        doc.tables()[1].rows.iter().filter(|r| r.header).count(),
        3,
        "table 3 repeats its three header rows"
    );
}

#[test]
fn title_headings_and_text_in_published_order() {
    let seed = fixture("seed-2023-daoli.json");
    let doc = Doc::read(&export(&seed));
    assert_eq!(
        doc.paragraphs("Title"),
        ["道里区工业信息科技局\n2023年度政府信息公开工作年度报告"]
    );
    let headings: Vec<&str> = SectionKind::ALL.iter().map(|k| k.heading().zh).collect();
    assert_eq!(doc.paragraphs("Heading1"), headings);
    let body = doc.paragraphs("Normal");
    assert!(
        body[0].starts_with("本年度报告根据《中华人民共和国政府信息公开条例》"),
        "preamble first"
    );
    assert!(body.contains(&"（五）监督保障。一是明确责任分工，由专人负责信息发布工作；二是定期开展业务培训，切实提高工作人员业务水平；三是对日常公布的信息进行监测，确保发布的内容准确有效。"));
    // Each table directly follows its section's heading.
    for (i, b) in doc.blocks.iter().enumerate() {
        if let Block::Table(_) = b {
            assert!(matches!(&doc.blocks[i - 1], Block::Para { style, .. } if style == "Heading1"));
        }
    }
    // Without `meta.title`, the standard title; a long one breaks after the agency's name.
    let doc = Doc::read(&export(&fixture("valid-2021.json")));
    assert_eq!(
        doc.paragraphs("Title"),
        ["示例市示例区人民政府办公室\n2023年政府信息公开工作年度报告"]
    );
}

#[test]
fn a4_page_government_fonts_with_fallbacks_and_page_numbers() {
    let doc = Doc::read(&export(&fixture("seed-2023-daoli.json")));
    let document = doc.part("word/document.xml");
    let sect = document.find_all("w:sectPr");
    let [sect] = sect[..] else { panic!("one section") };
    let size = sect.child("w:pgSz").expect("page size");
    assert_eq!((size.attr("w:w"), size.attr("w:h")), (Some("11906"), Some("16838")));
    // The footer the section names holds a PAGE field.
    let rid = sect
        .child("w:footerReference")
        .and_then(|f| f.attr("r:id"))
        .expect("footer");
    let rels = doc.part("word/_rels/document.xml.rels");
    let target = rels
        .find_all("Relationship")
        .into_iter()
        .find(|r| r.attr("Id") == Some(rid))
        .and_then(|r| r.attr("Target"))
        .expect("footer relationship");
    let footer = doc.part(&format!("word/{target}"));
    let instr: Vec<String> = footer.find_all("w:instrText").iter().map(|n| n.text()).collect();
    assert_eq!(instr, [" PAGE "]);

    // Fonts by style, each Chinese one listed with a fallback in the font table.
    let styles = doc.part("word/styles.xml");
    let east_asia = |id: &str| -> String {
        styles
            .find_all("w:style")
            .into_iter()
            .find(|s| s.attr("w:styleId") == Some(id))
            .and_then(|s| s.child("w:rPr"))
            .and_then(|r| r.child("w:rFonts"))
            .and_then(|f| f.attr("w:eastAsia"))
            .unwrap_or_else(|| panic!("style {id} names an East Asian font"))
            .to_string()
    };
    assert_eq!(east_asia("Title"), "方正小标宋简体");
    assert_eq!(east_asia("Heading1"), "黑体");
    assert_eq!(east_asia("Normal"), "仿宋_GB2312");
    assert_eq!(east_asia("TableText"), "宋体");
    let fonts = doc.part("word/fontTable.xml");
    for name in ["方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"] {
        let f = fonts
            .find_all("w:font")
            .into_iter()
            .find(|f| f.attr("w:name") == Some(name))
            .unwrap_or_else(|| panic!("{name} in the font table"));
        assert!(
            f.val(&["w:altName"]).is_some_and(|a| !a.is_empty()),
            "{name} has a fallback"
        );
        assert_eq!(f.val(&["w:charset"]), Some("86"), "{name} is a GB2312 font");
    }
    let lang = styles.find_all("w:lang");
    assert!(lang.iter().any(|l| l.attr("w:eastAsia") == Some("zh-CN")));
}

/// The children Word accepts in each element this exporter writes, in schema order
/// (ECMA-376 Part 1, §17). Word refuses a file whose properties are out of order.
const SCHEMA_ORDER: &[(&str, &[&str])] = &[
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:rPr",
        &[
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
        ],
    ),
    (
        "w:tblBorders",
        &["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"],
    ),
    ("w:tblCellMar", &["w:top", "w:left", "w:bottom", "w:right"]),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
    ),
    ("w:tbl", &["w:tblPr", "w:tblGrid", "w:tr"]),
    ("w:tr", &["w:tblPrEx", "w:trPr", "w:tc"]),
    ("w:tc", &["w:tcPr", "w:p"]),
    (
        "w:sectPr",
        &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
        ],
    ),
    (
        "w:style",
        &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
    ),
    ("w:styles", &["w:docDefaults", "w:latentStyles", "w:style"]),
    ("w:docDefaults", &["w:rPrDefault", "w:pPrDefault"]),
    (
        "w:font",
        &[
            "w:altName",
            "w:panose1",
            "w:charset",
            "w:family",
            "w:notTrueType",
            "w:pitch",
            "w:sig",
            "w:embedRegular",
            "w:embedBold",
            "w:embedItalic",
            "w:embedBoldItalic",
        ],
    ),
    (
        "w:settings",
        &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:defaultTabStop",
            "w:characterSpacingControl",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "w:themeFontLang",
        ],
    ),
    (
        "w:p",
        &[
            "w:pPr",
            "w:r",
            "w:fldSimple",
            "w:hyperlink",
            "w:bookmarkStart",
            "w:bookmarkEnd",
        ],
    ),
];

fn check_order(node: &Node, part: &str) {
    if let Some((_, order)) = SCHEMA_ORDER.iter().find(|(n, _)| *n == node.name) {
        let mut last = 0;
        for (i, c) in node.children.iter().filter(|c| c.name != "#text").enumerate() {
            let pos = order
                .iter()
                .position(|o| *o == c.name)
                .unwrap_or_else(|| panic!("{part}: {} may not hold {}", node.name, c.name));
            if node.name == "w:p" {
                // Runs and the rest mix freely; only the properties must come first.
                assert!(pos > 0 || i == 0, "{part}: w:pPr must come first in w:p");
                continue;
            }
            // Repeated elements (rows, cells) may follow themselves.
            assert!(pos >= last, "{part}: in {}, {} comes too late", node.name, c.name);
            last = pos;
        }
    }
    for c in &node.children {
        check_order(c, part);
    }
}

#[test]
fn every_element_is_in_the_order_word_requires() {
    let mut files: Vec<Vec<u8>> = FIXTURES.iter().map(|f| export(&fixture(f))).collect();
    files.push(docx::template(FormatVersion::V2019, None, None).expect("template"));
    for bytes in files {
        let parts = unzip(&bytes);
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
        ] {
            let xml = parts.get(name).unwrap_or_else(|| panic!("no part {name}"));
            check_order(&parse(xml), name);
        }
    }
}

#[test]
fn the_seed_report_has_the_committed_structure() {
    let outline = Doc::read(&export(&fixture("seed-2023-daoli.json"))).outline();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/seed-2023-daoli.docx.outline");
    if std::env::var_os("XXGK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, &outline).expect("write snapshot");
    }
    let committed = std::fs::read_to_string(&path).expect("snapshot (XXGK_BLESS=1 writes it)");
    assert!(
        committed == outline,
        "the document structure changed; review and rerun with XXGK_BLESS=1:\n{}",
        first_difference(&committed, &outline)
    );
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}

#[test]
fn the_empty_form_has_every_label_and_no_value() {
    for v in FormatVersion::ALL {
        let doc = Doc::read(&docx::template(v, None, None).expect("template"));
        assert_eq!(
            doc.paragraphs("Title"),
            ["（机关名称）\n（年度）年政府信息公开工作年度报告"]
        );
        for (t, table) in TableId::ALL.into_iter().zip(doc.tables()) {
            let layout = table_layout(v, t);
            for (p, s) in layout.cells.iter().zip(table.seen()) {
                match p.content {
                    Content::Data(_) => assert_eq!(s.text, "", "{v} {t:?}"),
                    Content::Caption(l) | Content::ColumnHeader(l) | Content::RowHeader(l) | Content::Note(l) => {
                        assert_eq!(s.text, l.zh, "{v} {t:?}")
                    }
                }
            }
        }
    }
    let doc = Doc::read(&docx::template(FormatVersion::V2021, Some("某县交通运输局"), Some(2025)).expect("template"));
    assert_eq!(
        doc.paragraphs("Title"),
        ["某县交通运输局\n2025年政府信息公开工作年度报告"]
    );
}

#[test]
fn the_exporter_is_found_by_extension_and_takes_one_report() {
    assert_eq!(by_extension("年报.DOCX").map(|e| e.name), Some("docx"));
    let r = fixture("valid-2021.json");
    let mut out = Vec::new();
    let e = by_name("docx").expect("docx");
    assert!(e.run(&[r.clone(), r.clone()], &mut out, &Options::default()).is_err());
    assert!(out.is_empty());
    assert_eq!(export(&r), export(&r), "the same report gives the same file");
}

// ───────────────────────────── LibreOffice ─────────────────────────────

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// Converts files with LibreOffice in its own profile (so that it runs beside any other
/// instance), returning its output.
fn soffice(soffice: &Path, dir: &Path, to: &str, files: &[&str]) -> std::process::Output {
    Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .expect("run soffice")
}

/// LibreOffice, where it is installed with Writer; `None` (the test is skipped) where it is
/// not, unless `XXGK_REQUIRE_SOFFICE` is set, as CI sets it where it installed LibreOffice.
fn writer(dir: &Path) -> Option<PathBuf> {
    let Some(soffice_bin) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return None;
    };
    // LibreOffice without Writer (e.g. Calc alone) loads no text document; find out first
    // with a plain text file, so that a document of ours that fails to load is a failure.
    std::fs::write(dir.join("probe.txt"), "probe").expect("write probe");
    let probe = soffice(&soffice_bin, dir, "pdf", &["probe.txt"]);
    if !dir.join("probe.pdf").is_file() {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice cannot convert text documents (Writer missing?)"
        );
        eprintln!(
            "skipped: LibreOffice cannot convert text documents here (Writer missing?): {}",
            String::from_utf8_lossy(&probe.stderr).trim()
        );
        return None;
    }
    Some(soffice_bin)
}

/// Converts the documents `names` in `dir` to PDF in one LibreOffice run, each of them.
fn to_pdf(soffice_bin: &Path, dir: &Path, names: &[String]) {
    let files: Vec<&str> = names.iter().map(String::as_str).collect();
    let out = soffice(soffice_bin, dir, "pdf", &files);
    assert!(
        out.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in names {
        assert!(
            dir.join(name.replace(".docx", ".pdf")).is_file(),
            "{name} did not convert: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Whether a line of rendered text is a page number, “— 1 —”.
fn is_page_number(line: &str) -> bool {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
        .strip_prefix('—')
        .and_then(|l| l.strip_suffix('—'))
        .is_some_and(|n| n.trim().chars().all(|c| c.is_ascii_digit()))
}

/// The text of a PDF in content order, by pdftotext, or `None` where it is not installed.
fn pdf_text(pdf: &Path) -> Option<String> {
    let pdftotext = on_path("pdftotext")?;
    let out = Command::new(pdftotext)
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    Some(String::from_utf8(out.stdout).expect("UTF-8 text"))
}

/// Everything a reader must find in the rendered report, in reading order: title, preamble,
/// each heading with its text, and each table's labels and values row by row.
fn reading_order(report: &Report, doc: &Doc) -> Vec<String> {
    let mut want = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Para { text, .. } => want.push(text.clone()),
            Block::Table(t) => want.extend(t.seen().into_iter().map(|s| s.text)),
        }
    }
    // The values themselves come from the report, not from the document read above.
    for t in TableId::ALL {
        for (def, _, _) in table_layout(report.meta.format, t).data_cells() {
            let text = expected(report.cell(&def.id));
            assert!(
                text.is_empty() || want.contains(&text),
                "{} missing from the document",
                def.id
            );
        }
    }
    want.into_iter().filter(|w| !w.trim().is_empty()).collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn libreoffice_renders_every_label_and_number_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(soffice_bin) = writer(dir.path()) else {
        return;
    };
    let mut names = Vec::new();
    let mut reports = Vec::new();
    for f in FIXTURES {
        let report = fixture(f);
        let name = f.replace(".json", ".docx");
        std::fs::write(dir.path().join(&name), export(&report)).expect("write docx");
        names.push(name);
        reports.push(report);
    }
    std::fs::write(
        dir.path().join("template.docx"),
        docx::template(FormatVersion::V2021, None, None).expect("template"),
    )
    .expect("write template");
    names.push("template.docx".into());
    to_pdf(&soffice_bin, dir.path(), &names);
    for (name, report) in names.iter().zip(&reports) {
        let pdf = dir.path().join(name.replace(".docx", ".pdf"));
        let text = match pdf_text(&pdf) {
            Some(t) => t,
            None => {
                eprintln!("pdftotext not installed: checking LibreOffice's own text export instead");
                let out = soffice(&soffice_bin, dir.path(), "txt:Text (encoded):UTF8", &[name]);
                assert!(out.status.success(), "text export failed");
                std::fs::read_to_string(dir.path().join(name.replace(".docx", ".txt"))).expect("text export")
            }
        };
        // A paragraph that runs onto the next page has the page number “— 1 —” in between.
        let text: String = text.lines().filter(|l| !is_page_number(l)).collect();
        let text = squeeze(&text);
        let doc = Doc::read(&std::fs::read(dir.path().join(name)).expect("read docx"));
        let mut from = 0;
        for want in reading_order(report, &doc) {
            let want = squeeze(&want);
            match text[from..].find(&want) {
                Some(i) => from += i + want.len(),
                None => panic!(
                    "{name}: “{want}” not found in order in the PDF text after: …{}",
                    text[..from]
                        .chars()
                        .rev()
                        .take(40)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<String>()
                ),
            }
        }
    }
}

/// The document with an empty paragraph of `twips` height before the heading that starts with
/// `heading`, which moves what follows down the page by that much.
fn pushed_down(docx: &[u8], heading: &str, twips: u32) -> Vec<u8> {
    use std::io::Write;
    let parts = unzip(docx);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip file");
    for i in 0..archive.len() {
        let name = archive
            .by_index(i)
            .expect("entry")
            .name()
            .expect("entry name")
            .to_string();
        let mut part = parts[&name].clone();
        if name == "word/document.xml" {
            let at = part.find(heading).expect("the heading");
            let at = part[..at].rfind("<w:p>").expect("the heading's paragraph");
            part.insert_str(
                at,
                &format!("<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{twips}\" w:lineRule=\"exact\"/></w:pPr></w:p>"),
            );
        }
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(part.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// A table that fits on a page is printed on one: a page break inside a label spanning rows
/// cuts it mid-word (“（四）无法提” at the foot of one page, “供” atop the next), which is how
/// this test first failed on a machine with other fonts. Table 3 is moved down in steps of
/// less than a row, so that the end of a page falls at each of its rows in turn.
#[test]
fn a_table_that_fits_on_a_page_is_printed_on_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(soffice_bin) = writer(dir.path()) else {
        return;
    };
    if on_path("pdftotext").is_none() {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but pdftotext (poppler-utils) is not installed"
        );
        eprintln!("skipped: pdftotext is not installed");
        return;
    }
    let bytes = export(&fixture("seed-2023-daoli.json"));
    let labels: Vec<String> = Doc::read(&bytes)
        .tables()
        .iter()
        .flat_map(|t| t.seen())
        .filter(|s| s.rows > 1 && !s.text.is_empty())
        .map(|s| squeeze(&s.text))
        .collect();
    assert!(labels.iter().any(|l| l == "（四）无法提供"), "labels: {labels:?}");
    // From no push to more than table 3 is high, in steps below a row's least height (340).
    let names: Vec<String> = (0..36)
        .map(|step| {
            let name = format!("pushed-{step:02}.docx");
            let docx = pushed_down(&bytes, "三、收到和处理政府信息公开申请情况", 60 + 320 * step);
            std::fs::write(dir.path().join(&name), docx).expect("write docx");
            name
        })
        .collect();
    to_pdf(&soffice_bin, dir.path(), &names);
    let mut table_3_pages = std::collections::BTreeSet::new();
    for name in &names {
        let pdf = dir.path().join(name.replace(".docx", ".pdf"));
        let text = pdf_text(&pdf).expect("pdftotext");
        // pdftotext ends each page with a form feed.
        let pages: Vec<String> = text.split('\u{c}').map(squeeze).collect();
        let page_of = |s: &str| {
            pages
                .iter()
                .position(|p| p.contains(s))
                .unwrap_or_else(|| panic!("{name}: “{s}” is not in the PDF"))
        };
        for (table, first, last) in [
            ("table 2", "第二十条第（一）项", "行政事业性收费"),
            ("table 3", "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理"),
        ] {
            let page = page_of(first);
            assert_eq!(page, page_of(last), "{name}: {table} is broken across pages");
            if table == "table 3" {
                table_3_pages.insert(page);
            }
        }
        let squeezed: String = pages.iter().map(String::as_str).collect();
        for label in &labels {
            assert!(squeezed.contains(label.as_str()), "{name}: the label “{label}” is cut");
        }
    }
    assert!(
        table_3_pages.len() > 1,
        "the pushes never moved table 3 past the end of a page: {table_3_pages:?}"
    );
}

#[test]
fn text_from_a_report_cannot_break_the_document() {
    let mut report = fixture("valid-2021.json");
    report.meta.agency = "某局<w:p>&amp;".into();
    report.meta.title = None;
    report.preamble = Some("第一段\u{1}含控制字符\n\n第二段\t含制表符 <b>&\"'".into());
    report.cells.set(
        "t3.carried_over.total",
        Cell::Text {
            raw: "见<附件>".into()
        },
    );
    let bytes = export(&report);
    let doc = Doc::read(&bytes);
    assert_eq!(
        doc.paragraphs("Title"),
        ["某局<w:p>&amp;\n2023年政府信息公开工作年度报告"]
    );
    let body = doc.paragraphs("Normal");
    assert_eq!(body[..2], ["第一段含控制字符", "第二段\t含制表符 <b>&\"'"]);
    assert_eq!(
        doc.tables()[1].row_with("二、上年结转政府信息公开申请数量")[7],
        "见<附件>"
    );
    let core = doc.part("docProps/core.xml");
    assert_eq!(core.find_all("dc:creator")[0].text(), "某局<w:p>&amp;");
}

#[test]
fn a_wide_number_is_set_smaller_rather_than_broken() {
    let mut report = fixture("valid-2021.json");
    report.cells.set("t3.results_total.total", Cell::number(123_456));
    let doc = Doc::read(&export(&report));
    assert_eq!(doc.tables()[1].row_with("（七）总计")[8], "123456");
    let document = doc.part("word/document.xml");
    let sizes = |text: &str| -> Vec<String> {
        document
            .find_all("w:tc")
            .into_iter()
            .filter(|tc| tc.text() == text)
            .flat_map(|tc| tc.find_all("w:r"))
            .map(|r| r.val(&["w:rPr", "w:sz"]).unwrap_or("table size").to_string())
            .collect()
    };
    assert_eq!(sizes("123456"), ["16"]);
    assert!(sizes("101").is_empty(), "the old total is gone");
    assert!(
        sizes("102").iter().all(|s| s == "table size"),
        "five digits keep the table's size"
    );
}
