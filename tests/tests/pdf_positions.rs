//! PDF tables read by where their text stands, on PDFs written here with every glyph placed by
//! the test: the three tables of a report drawn with no line at all (numbers centred or
//! right-aligned in their columns, labels on the left, header cells over their columns), on
//! pages shown as they are, turned by `/Rotate` (on the page or inherited from the page tree),
//! or with the table set sideways on a portrait page. Every cell reads back right and located
//! by page, table, row and column; a value standing between two columns is refused (left unread
//! and named, never read as a number of either column), never moved to the nearest one.

use xxgk_import::{ImportOptions, import};
use xxgk_model::layout::{Content, report_layout};
use xxgk_model::{Cell, Lang, Report, TableId};
use xxgk_tests::load;

/// A piece of text at a place on a page as it reads: left edge, baseline (from the top), size.
struct Text {
    x: f32,
    y: f32,
    size: f32,
    text: String,
}

/// How a page is written: as it reads, or turned.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Turn {
    /// Drawn as it reads.
    None,
    /// `/Rotate 90` on the page, drawn so that the page shows upright.
    Rotate90,
    /// `/Rotate 270` on the page, likewise.
    Rotate270,
    /// No `/Rotate`: the text set sideways (running upwards) on a page as wide as the reading
    /// page is tall, as a landscape table is printed in a portrait report.
    Sideways,
    /// `/Rotate 180` on the page tree (inherited by the page).
    Inherited180,
}

/// One page: its reading size (width, height), its texts and how it is written.
struct Page {
    width: f32,
    height: f32,
    texts: Vec<Text>,
    turn: Turn,
}

fn hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// The content stream and the media box of a page.
fn content(page: &Page) -> (String, [f32; 4]) {
    let (w, h) = (page.width, page.height);
    let mut s = String::new();
    for t in &page.texts {
        // The text matrix that puts the text at (x, y) of the page as it reads.
        let m = match page.turn {
            Turn::None => [1.0, 0.0, 0.0, 1.0, t.x, h - t.y],
            Turn::Rotate90 | Turn::Sideways => [0.0, 1.0, -1.0, 0.0, t.y, t.x],
            Turn::Rotate270 => [0.0, -1.0, 1.0, 0.0, h - t.y, w - t.x],
            Turn::Inherited180 => [-1.0, 0.0, 0.0, -1.0, w - t.x, t.y],
        };
        s.push_str(&format!(
            "BT /F1 {} Tf {} {} {} {} {} {} Tm <{}> Tj ET\n",
            t.size,
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[5],
            hex(&t.text)
        ));
    }
    let media = match page.turn {
        Turn::None | Turn::Inherited180 => [0.0, 0.0, w, h],
        Turn::Rotate90 | Turn::Rotate270 | Turn::Sideways => [0.0, 0.0, h, w],
    };
    (s, media)
}

/// A PDF of the pages, in one font whose codes are UTF-16 units (Identity-H, a ToUnicode map
/// saying so, every glyph one em wide).
fn write_pdf(pages: &[Page]) -> Vec<u8> {
    let inherited = pages.iter().any(|p| p.turn == Turn::Inherited180);
    let n = pages.len();
    // 1 catalog, 2 pages, 3 font, 4 descendant, 5 ToUnicode, then page and content pairs.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} {} >>",
            kids.join(" "),
            if inherited { "/Rotate 180" } else { "" }
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Test /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Test /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
            .to_vec(),
    );
    objects.push(stream(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap end end",
    ));
    for (i, page) in pages.iter().enumerate() {
        let (text, media) = content(page);
        let rotate = match page.turn {
            Turn::Rotate90 => "/Rotate 90",
            Turn::Rotate270 => "/Rotate 270",
            _ => "",
        };
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [{} {} {} {}] {rotate} /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                media[0],
                media[1],
                media[2],
                media[3],
                7 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream(text.as_bytes()));
    }
    xxgk_tests::pdf_of_objects(&objects, "")
}

fn stream(data: &[u8]) -> Vec<u8> {
    xxgk_tests::pdf_stream("", data)
}

/// The text a cell shows.
fn shown(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Blank => None,
        Cell::Number { value, raw, .. } => Some(raw.clone().unwrap_or_else(|| value.to_string())),
        Cell::Placeholder { raw } | Cell::Text { raw } => Some(raw.clone()),
    }
}

const SIZE: f32 = 6.0;
const PITCH: f32 = 14.0;

/// A table of the report as texts at their places, from `top`; `moved` shifts one value's text
/// right by that many points. Returns the texts and the y below the table.
fn table_texts(report: &Report, table: TableId, top: f32, moved: Option<(&str, f32)>) -> (Vec<Text>, f32) {
    let layout = report_layout(report, table);
    let (labels, data_w, right_aligned) = match table {
        TableId::T2 => (vec![150.0], 100.0, true),
        TableId::T3 => (vec![70.0, 80.0, 210.0], 52.0, false),
        TableId::T4 => (vec![], 48.0, false),
    };
    let x_of = |col: u32| -> f32 {
        let col = col as usize;
        40.0 + labels.iter().take(col).sum::<f32>() + col.saturating_sub(labels.len()) as f32 * data_w
    };
    let width = |t: &str| t.chars().count() as f32 * SIZE;
    let mut out = Vec::new();
    for p in &layout.cells {
        let (x0, x1) = (x_of(p.col), x_of(p.col + p.cols));
        let y = top + p.row as f32 * PITCH + 10.0;
        let (text, x) = match p.content {
            Content::Caption(l) | Content::RowHeader(l) | Content::Note(l) => (l.zh.to_string(), x0 + 2.0),
            Content::ColumnHeader(l) => (l.zh.to_string(), (x0 + x1 - width(l.zh)) / 2.0),
            Content::Data(def) => {
                let Some(t) = shown(report.cells.get(&def.id)) else {
                    continue;
                };
                let x = if right_aligned {
                    x1 - 4.0 - width(&t)
                } else {
                    (x0 + x1 - width(&t)) / 2.0
                };
                let shift = moved.filter(|(id, _)| *id == def.id.as_str()).map_or(0.0, |m| m.1);
                (t, x + shift)
            }
        };
        out.push(Text { x, y, size: SIZE, text });
    }
    (out, top + layout.height as f32 * PITCH)
}

fn line(x: f32, y: f32, text: &str) -> Text {
    Text {
        x,
        y,
        size: 10.0,
        text: text.to_string(),
    }
}

/// The report on three pages: the title and table 2 (portrait), table 3 (landscape, written as
/// `t3_turn` says), table 4 and the last sections (landscape).
fn report_pdf(report: &Report, t3_turn: Turn, moved: Option<(&str, f32)>) -> Vec<u8> {
    let mut p1 = vec![
        line(150.0, 60.0, &report.meta.agency),
        line(150.0, 80.0, "2023年政府信息公开工作年度报告"),
        line(60.0, 110.0, "一、总体情况"),
        line(60.0, 130.0, "本年度依法做好政府信息公开工作。"),
        line(60.0, 150.0, "二、主动公开政府信息情况"),
    ];
    p1.extend(table_texts(report, TableId::T2, 165.0, moved).0);
    let mut p2 = vec![line(60.0, 40.0, "三、收到和处理政府信息公开申请情况")];
    p2.extend(table_texts(report, TableId::T3, 55.0, moved).0);
    let mut p3 = vec![line(60.0, 40.0, "四、政府信息公开行政复议、行政诉讼情况")];
    let (t4, below) = table_texts(report, TableId::T4, 55.0, moved);
    p3.extend(t4);
    p3.push(line(60.0, below + 30.0, "五、存在的主要问题及改进情况"));
    p3.push(line(60.0, below + 50.0, "六、其他需要报告的事项"));
    let other = if t3_turn == Turn::Inherited180 {
        Turn::Inherited180
    } else {
        Turn::None
    };
    write_pdf(&[
        Page {
            width: 595.0,
            height: 842.0,
            texts: p1,
            turn: other,
        },
        Page {
            width: 842.0,
            height: 595.0,
            texts: p2,
            turn: t3_turn,
        },
        Page {
            width: 842.0,
            height: 595.0,
            texts: p3,
            turn: other,
        },
    ])
}

/// How the cells read from `pdf` differ from the report's, each a line.
fn differences(report: &Report, pdf: &[u8], skip: &[&str]) -> Vec<String> {
    let got = match import("t.pdf", pdf, &ImportOptions::default()) {
        Ok(mut v) => v.remove(0),
        Err(e) => return vec![e.to_string()],
    };
    let mut d = Vec::new();
    let ids: std::collections::BTreeSet<String> = report
        .cells
        .iter()
        .chain(got.report.cells.iter())
        .map(|(id, _)| id.to_string())
        .collect();
    for id in ids {
        if skip.contains(&id.as_str()) {
            continue;
        }
        // The report's cell as its printed text reads (`-2` written with a raw text of `-2`
        // reads as the plain number).
        let kind = xxgk_model::catalogue(report.meta.format).cell(&id).map(|d| d.kind);
        let want = match (shown(report.cells.get(&id)), kind) {
            (Some(t), Some(kind)) => xxgk_import::values::parse_cell(&t, kind),
            _ => report.cells.get(&id).clone(),
        };
        let have = got.report.cells.get(&id);
        if &want != have {
            d.push(format!("{id}: {have:?} ≠ {want:?}"));
        }
        let at = got.sources.get(&id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
        if want != Cell::Blank && !(at.contains("页 表格") && at.ends_with('列')) {
            d.push(format!("{id} located at “{at}”"));
        }
    }
    for f in got
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("IMPORT-PDF") && !f.cells.iter().any(|c| skip.contains(&c.id.as_str())))
    {
        d.push(format!("finding {}: {}", f.rule, f.text(Lang::En)));
    }
    d
}

#[test]
fn tables_without_lines_read_by_column_at_known_positions() {
    for fixture in ["valid-2021.json", "valid-2019.json", "seed-2023-daoli.json"] {
        let report = load(fixture);
        let d = differences(&report, &report_pdf(&report, Turn::None, None), &[]);
        assert!(d.is_empty(), "{fixture}:\n{}", d.join("\n"));
    }
}

#[test]
fn turned_pages_and_sideways_tables_read_as_they_show() {
    let report = load("valid-2021.json");
    for turn in [Turn::Rotate90, Turn::Rotate270, Turn::Sideways, Turn::Inherited180] {
        let d = differences(&report, &report_pdf(&report, turn, None), &[]);
        assert!(d.is_empty(), "{turn:?}:\n{}", d.join("\n"));
    }
}

/// A value standing off its column (a third and a half of a column over) is read into neither
/// column it stands between: the cell is left unread and named by an error; every other cell
/// reads right.
#[test]
fn a_value_off_its_column_is_refused_not_moved() {
    let report = load("valid-2021.json");
    let (id, right) = ("t3.new_received.commercial", "t3.new_received.research");
    for shift in [17.0, 26.0, -20.0] {
        let pdf = report_pdf(&report, Turn::None, Some((id, shift)));
        let got = import("t.pdf", &pdf, &ImportOptions::default())
            .expect("import")
            .remove(0);
        // Refused: left unread, and named by an error that says what stands where.
        let refused = |id: &str| {
            got.findings.iter().find(|f| {
                f.rule == "IMPORT-PDF-COLUMN"
                    && f.severity == xxgk_model::Severity::Error
                    && f.cells.iter().any(|c| c.id.as_str() == id)
            })
        };
        assert_eq!(
            got.report.cells.get(id),
            &Cell::Blank,
            "shift {shift}: {id} is not read"
        );
        let f = refused(id).unwrap_or_else(|| panic!("shift {shift}: {id} named: {:?}", got.findings));
        let at = f.cells[0]
            .location
            .as_ref()
            .map(|l| l.display(Lang::Zh))
            .unwrap_or_default();
        assert!(at.contains("表格2第") && at.ends_with('列'), "named where it is: {at}");
        assert!(f.text(Lang::Zh).contains("12"), "{}", f.text(Lang::Zh));
        // Its neighbours hold their own values, or are refused with it; never its value.
        let neighbours = ["t3.new_received.natural_person", right];
        for n in neighbours {
            let have = got.report.cells.get(n);
            assert!(
                have == report.cells.get(n) || *have == Cell::Blank && refused(n).is_some(),
                "shift {shift}: {n} = {have:?}"
            );
        }
        let d = differences(&report, &pdf, &[id, neighbours[0], neighbours[1]]);
        assert!(d.is_empty(), "shift {shift}:\n{}", d.join("\n"));
    }
    // A value missing from a row leaves its cell blank; the values right of it stay in their
    // columns.
    let mut gap = report.clone();
    gap.cells.set(id, Cell::Blank);
    let d = differences(&gap, &report_pdf(&gap, Turn::None, None), &[]);
    assert!(d.is_empty(), "{}", d.join("\n"));
}
