//! The structure-aware Word generator: the fuzzer's bytes choose how a `.docx` is built, so that
//! mutations reach the Word reader's limits and its table reading instead of ending at the zip's
//! directory. The package: `[Content_Types].xml` (an override, only defaults, missing, or naming
//! another main part), `_rels/.rels`, and `word/document.xml` whose body holds paragraphs and the
//! official tables as the form lays them out (`xxgk_model::layout`), each written with
//! `gridSpan`, `vMerge` (restart, continue, misplaced), `gridBefore`, legacy `hMerge`, repeated
//! header rows (`w:tblHeader`), a table split in two, tracked changes (`w:ins`, `w:del`, deleted
//! rows and cells, `w:…Change`), text boxes with their VML fallback, nested tables, pictures,
//! values people type (full-width digits, `8,0`, `1 2`, placeholders, annotations, huge text),
//! deep nesting, many rows, and sometimes a duplicate entry or a lying declared size. Every
//! choice comes from the input, so a finding reproduces from its input; past its end every
//! choice is 0, which here is always the ordinary case (a whole, well-formed document), so that
//! short inputs reach the table reader. At most 12 tables are nested inside cells.

use crate::build::{Choices, zip};
use xxgk_import::ImportOptions;
use xxgk_model::FormatVersion;
use xxgk_model::catalogue::TableId;
use xxgk_model::layout::{Content, table_layout};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math""#;

/// The text of a value cell, as people type it.
fn value(c: &mut Choices<'_>) -> String {
    match c.below(16) {
        15 => "".into(),
        1 => "８０".into(),
        2 => "8,0".into(),
        3 => "1 2".into(),
        4 => "1,234".into(),
        5 => "/".into(),
        6 => "—".into(),
        7 => "22（其中修订16件）".into(),
        8 => "103.3879".into(),
        9 => "-5".into(),
        10 => "9".repeat(c.below(40)),
        11 => "&amp;&lt;&#x1F;&#0;".into(),
        12 => "长".repeat(c.below(120_000)),
        _ => format!("{}", c.byte()),
    }
}

/// Runs holding `text`, sometimes as a tracked change, a field, a tab or a break.
fn runs(c: &mut Choices<'_>, text: &str) -> String {
    let run = |t: &str| format!(r#"<w:r><w:t xml:space="preserve">{t}</w:t></w:r>"#);
    match c.below(12) {
        11 => format!(r#"<w:ins w:id="1" w:author="x">{}</w:ins>"#, run(text)),
        1 => format!(
            r#"<w:del w:id="2" w:author="x"><w:r><w:delText>99</w:delText></w:r></w:del>{}"#,
            run(text)
        ),
        2 => format!(
            r#"<w:r><w:rPr><w:rPrChange w:id="3"><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>{text}</w:t></w:r>"#
        ),
        3 => format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE 7</w:instrText></w:r>{}"#,
            run(text)
        ),
        4 => {
            // A character at a time, each in its own run.
            text.chars().map(|ch| run(&ch.to_string())).collect()
        }
        5 => format!(r#"<w:r><w:tab/><w:t>{text}</w:t><w:br/></w:r>"#),
        6 => format!(
            r#"<w:moveTo w:id="4">{}</w:moveTo><w:moveFrom w:id="5">{}</w:moveFrom>"#,
            run(text),
            run("7")
        ),
        7 => format!(r#"<m:oMath><m:r><m:t>5</m:t></m:r></m:oMath>{}"#, run(text)),
        _ => run(text),
    }
}

fn para(c: &mut Choices<'_>, text: &str) -> String {
    let inner = runs(c, text);
    match c.below(16) {
        15 => format!(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p>{inner}</w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#
        ),
        1 => format!(r#"<w:p><w:r><w:drawing><a:blip r:embed="rId7" xmlns:r="r"/></w:drawing></w:r>{inner}</w:p>"#),
        2 => format!(r#"<w:sdt><w:sdtContent><w:p>{inner}</w:p></w:sdtContent></w:sdt>"#),
        3 => "<w:p/>".into(),
        _ => format!("<w:p>{inner}</w:p>"),
    }
}

/// A span attribute value: usually right, sometimes not a number, zero, or past any grid.
fn span(c: &mut Choices<'_>, right: u32) -> String {
    let v = match c.below(24) {
        23 => "0".into(),
        1 => "abc".into(),
        2 => "64".into(),
        3 => "4294967296".into(),
        4 => "-1".into(),
        5 => format!("{}", right + 1),
        _ => right.to_string(),
    };
    v
}

/// Notes a span written on a cell or row the reader reads (not deleted, not left out).
fn note_span(c: &mut Choices<'_>, v: &str) {
    match v {
        "4294967296" => c.note("docx-span-2^32", "docx-span"),
        // 64 columns is the limit itself: over it only beside another cell that is not deleted.
        "64" => c.note("docx-span-64", ""),
        "0" | "abc" | "-1" => c.note("docx-span-not-a-count", ""),
        _ => {}
    }
}

/// One official table as Word writes it, with the choices' damage; `depth` bounds nesting.
/// `nested` is how many more tables may be put inside cells in the whole document.
fn table(c: &mut Choices<'_>, id: TableId, version: FormatVersion, depth: usize, nested: &mut usize) -> String {
    let layout = table_layout(version, id);
    let mut rows: Vec<String> = Vec::new();
    let repeat_header = c.flag();
    for r in 0..layout.height {
        let mut row = String::from("<w:tr>");
        let mut pr = String::new();
        if repeat_header && r < layout.header_rows {
            pr.push_str("<w:tblHeader/>");
        }
        let mut row_deleted = false;
        match c.below(24) {
            23 => {
                row_deleted = true;
                pr.push_str(r#"<w:del w:id="9" w:author="x"/>"#)
            }
            1 => {
                let v = span(c, 1);
                note_span(c, &v);
                pr.push_str(&format!(r#"<w:gridBefore w:val="{v}"/>"#))
            }
            _ => {}
        }
        if !pr.is_empty() {
            row.push_str(&format!("<w:trPr>{pr}</w:trPr>"));
        }
        let mut col = 0;
        while col < layout.width {
            let Some(p) = layout.at(r, col).copied() else {
                row.push_str("<w:tc><w:p/></w:tc>");
                col += 1;
                continue;
            };
            let width = p.cols - (col - p.col).min(p.cols - 1);
            let mut tcpr = String::new();
            let mut spans = None;
            if width > 1 {
                let v = span(c, width);
                tcpr.push_str(&format!(r#"<w:gridSpan w:val="{v}"/>"#));
                spans = Some(v);
            }
            let misplaced = p.rows <= 1 && c.below(40) == 39;
            if misplaced {
                c.note("docx-vmerge-misplaced", "");
            }
            if p.rows > 1 || misplaced {
                if r == p.row {
                    tcpr.push_str(r#"<w:vMerge w:val="restart"/>"#);
                } else {
                    tcpr.push_str("<w:vMerge/>");
                }
            }
            let change = c.below(40);
            let cell_deleted = change == 39;
            match change {
                39 => tcpr.push_str(r#"<w:cellDel w:id="6"/>"#),
                1 => tcpr.push_str(r#"<w:hMerge/>"#),
                2 => tcpr.push_str(r#"<w:tcPrChange w:id="8"><w:tcPr><w:gridSpan w:val="9"/></w:tcPr></w:tcPrChange>"#),
                _ => {}
            }
            let text: String = if r != p.row {
                String::new()
            } else {
                match p.content {
                    Content::Data(_) => value(c),
                    Content::Caption(l) | Content::ColumnHeader(l) | Content::RowHeader(l) | Content::Note(l) => {
                        match c.below(20) {
                            19 => String::new(),
                            1 => l.zh.chars().rev().collect(),
                            2 => format!("{}　", l.zh.replace('（', "(")),
                            _ => l.zh.to_string(),
                        }
                    }
                }
            };
            // A cell left out, deleted or in a deleted row is not read: nothing in it is noted.
            let written = c.below(50) != 49;
            let live = written && !row_deleted && !cell_deleted;
            let mut inside = para(c, &text);
            if depth > 0 && *nested > 0 && c.below(30) == 29 {
                *nested -= 1;
                // A table inside the cell, before its paragraph (Word ends a cell with a paragraph).
                let inner = [TableId::T2, TableId::T3, TableId::T4][c.below(3)];
                let t = c.muted(!live, |c| {
                    c.note("docx-table-in-cell", "");
                    table(c, inner, version, depth - 1, nested)
                });
                inside = format!("{t}{inside}");
            }
            if written {
                if live {
                    if let Some(v) = spans {
                        note_span(c, &v);
                    }
                    // The paragraph may have dropped its text (`<w:p/>`).
                    let max = ImportOptions::default().max_cell_chars;
                    if text.chars().count() > max && inside.matches('长').count() > max {
                        c.note("docx-cell-over-limit", "cell-chars");
                    }
                }
                row.push_str(&format!(
                    "<w:tc>{}{inside}</w:tc>",
                    if tcpr.is_empty() {
                        String::new()
                    } else {
                        format!("<w:tcPr>{tcpr}</w:tcPr>")
                    }
                ));
            }
            col += width.max(1);
        }
        row.push_str("</w:tr>");
        rows.push(row);
    }
    let head = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>{}</w:tblGrid>",
        r#"<w:gridCol w:w="900"/>"#.repeat(layout.width as usize)
    );
    let header: String = rows.iter().take(layout.header_rows as usize).cloned().collect();
    if c.below(4) == 3 && rows.len() > 2 {
        // Split over two pages: two tables with empty paragraphs between, the header repeated
        // (or not) at the top of the second.
        let cut = 1 + c.below(rows.len() - 1);
        let again = if c.flag() { header } else { String::new() };
        format!(
            "{head}{}</w:tbl>{}{head}{again}{}</w:tbl>",
            rows[..cut].concat(),
            "<w:p/>".repeat(c.below(3)),
            rows[cut..].concat()
        )
    } else {
        if c.below(20) == 19 {
            // Many more rows, as a hostile file would have.
            let extra = rows.last().cloned().unwrap_or_default();
            // At most 32 MiB of copies: a row holding a 120,000-character cell copied 30,000
            // times made the generator itself allocate 10 GB (seen by the reach report).
            let n = c.below(30_000).min((32 << 20) / extra.len().max(1));
            if n > 10_000 {
                c.note("docx-table-over-10000-rows", "");
            }
            rows.extend(std::iter::repeat_n(extra, n));
        }
        format!("{head}{}</w:tbl>", rows.concat())
    }
}

/// The body: a title, the section headings, the tables in the choices' order.
fn body(c: &mut Choices<'_>) -> String {
    let version = if c.below(4) == 0 {
        FormatVersion::V2019
    } else {
        FormatVersion::V2021
    };
    let mut out = String::new();
    let mut nested = 12usize;
    let title = [
        "某县人民政府办公室2023年政府信息公开工作年度报告",
        "2023 年",
        "",
        "政府信息公开",
    ][c.below(4)];
    out.push_str(&para(c, title));
    let headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ];
    let tables = [
        None,
        Some(TableId::T2),
        Some(TableId::T3),
        Some(TableId::T4),
        None,
        None,
    ];
    for _ in 0..1 + c.below(8) {
        let k = c.below(6);
        out.push_str(&para(c, headings[k]));
        if c.flag() {
            let t = value(c);
            out.push_str(&para(c, &format!("本年新收政府信息公开申请{t}件")));
        }
        if let Some(id) = tables[k] {
            let depth = if c.below(10) == 9 { 3 } else { 1 };
            out.push_str(&table(c, id, version, depth, &mut nested));
        }
    }
    match c.below(16) {
        // Deep nesting: tables in cells, or wrappers, far past any real document.
        6 => {
            let n = c.below(3000);
            // Three elements a level, inside w:document and w:body.
            if 3 * n + 2 > ImportOptions::default().max_html_depth {
                c.note("docx-nested-tables-over-depth", "depth");
            }
            out.push_str(&"<w:tbl><w:tr><w:tc>".repeat(n));
            out.push_str("<w:p/>");
            out.push_str(&"</w:tc></w:tr></w:tbl>".repeat(n));
        }
        1 => {
            let n = c.below(3000);
            if 2 * n + 2 > ImportOptions::default().max_html_depth {
                c.note("docx-content-controls-over-depth", "depth");
            }
            out.push_str(&"<w:sdt><w:sdtContent>".repeat(n));
            out.push_str(&"</w:sdtContent></w:sdt>".repeat(n));
        }
        // Unclosed or mismatched elements.
        2 => {
            c.note("docx-unclosed-elements", "");
            out.push_str("<w:tbl><w:tr><w:tc><w:p>")
        }
        3 => {
            c.note("docx-mismatched-end", "");
            out.push_str("</w:tc>")
        }
        // Many empty paragraphs, or one huge one.
        4 => out.push_str(&"<w:p/>".repeat(c.below(60_000))),
        5 => {
            let n = c.below(1_200_000);
            if n > ImportOptions::default().max_cell_chars * 10 {
                c.note("docx-paragraph-over-section-limit", "");
            }
            out.push_str(&format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "年".repeat(n)))
        }
        _ => {}
    }
    out
}

/// A Word document built from the choices.
pub fn docx(c: &mut Choices<'_>) -> Vec<u8> {
    let main = match c.below(8) {
        7 => "word/doc2.xml",
        6 => "word/../word/document.xml",
        _ => "word/document.xml",
    };
    let types = match c.below(6) {
        5 => r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string(),
        4 => String::new(),
        3 => r#"<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_string(),
        _ => format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/{main}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
        ),
    };
    let rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>"#
    );
    let document = format!(
        r#"{}<w:document {W}><w:body>{}<w:sectPr/></w:body></w:document>"#,
        if c.flag() {
            "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        } else {
            ""
        },
        body(c)
    );
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    if c.below(10) != 9 {
        entries.push(("[Content_Types].xml".to_string(), types.into_bytes()));
    }
    if c.below(4) != 3 {
        entries.push(("_rels/.rels".to_string(), rels.into_bytes()));
    }
    let main_entry = if main.contains("..") { "word/document.xml" } else { main };
    entries.push((main_entry.to_string(), document.into_bytes()));
    // A second part whose name differs from the main part's in one letter, renamed to it below.
    let dupe = main_entry.replacen("word/", "wor2/", 1);
    if c.below(8) == 7 {
        entries.push((dupe.clone(), b"<w:document/>".to_vec()));
    }
    if c.below(6) == 5 {
        entries.push(("word/media/image1.png".to_string(), vec![0; c.below(5000)]));
    }
    let second = entries.iter().any(|(n, _)| *n == dupe);
    let mut bytes = zip(&entries, c);
    if c.below(8) == 7 {
        // Two entries of one name (when the second part was written).
        if second {
            c.note("docx-duplicate-zip-entry", "zip-duplicate-entry");
        }
        rename(&mut bytes, dupe.as_bytes(), main_entry.as_bytes());
    }
    if c.below(6) == 5 {
        // A declared size that lies, in the central directory or the local header.
        let claim = match c.below(4) {
            0 => 0u32,
            1 => u32::MAX,
            2 => 1,
            _ => u32::from(c.byte()) << 16,
        };
        let central = c.flag();
        c.note(
            if central {
                "docx-size-lie-central"
            } else {
                "docx-size-lie-local"
            },
            "",
        );
        lie_about_size(&mut bytes, main_entry.as_bytes(), claim, central);
    }
    bytes
}

/// Renames every occurrence of `from` to `to` (same length) in the zip's headers.
fn rename(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    if from.len() != to.len() {
        return;
    }
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
        bytes[i + p..i + p + from.len()].copy_from_slice(to);
        i += p + 1;
    }
}

/// Writes `claim` as the uncompressed size of the entry `name`: in its central directory record
/// (`central`) or its local header.
fn lie_about_size(bytes: &mut [u8], name: &[u8], claim: u32, central: bool) {
    let (sig, offset, name_at): (&[u8], usize, usize) = if central {
        (b"PK\x01\x02", 24, 46)
    } else {
        (b"PK\x03\x04", 22, 30)
    };
    let mut i = 0;
    while let Some(p) = bytes[i..].windows(4).position(|w| w == sig) {
        let at = i + p;
        if bytes.get(at + name_at..at + name_at + name.len()) == Some(name) {
            if let Some(slot) = bytes.get_mut(at + offset..at + offset + 4) {
                slot.copy_from_slice(&claim.to_le_bytes());
            }
            return;
        }
        i = at + 1;
    }
}
