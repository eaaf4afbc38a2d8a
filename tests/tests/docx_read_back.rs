//! Word documents read back: xxgk's own docx export of every report fixture imports to the same
//! report (year, agency, format, title, every cell, every section's text), and so does the same
//! document after LibreOffice has opened and saved it again as .docx (where LibreOffice is
//! installed; `XXGK_REQUIRE_SOFFICE` makes its absence a failure). A table cell a rule names is
//! located by the Word table, row and column it was read from.

use xxgk_export::{Options, by_name};
use xxgk_import::{ImportOptions, import};
use xxgk_model::{Lang, Report};
use xxgk_tests::{differences, export_docx, fixtures, on_path, skip_without_soffice, soffice};

/// Imports one docx and lists how it differs from the report it was made from.
fn read_back(file: &str, bytes: &[u8], want: &Report) -> Vec<String> {
    match import(file, bytes, &ImportOptions::default()) {
        Ok(mut got) if got.len() == 1 => {
            let got = got.remove(0);
            let mut d = differences(want, &got.report);
            // Every cell read was read from a Word table, and is located by table, row and column.
            for (id, _) in got.report.cells.iter() {
                let at = got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
                if !(at.starts_with("表格") && at.contains("行第") && at.ends_with('列')) {
                    d.push(format!("{id} located at “{at}”"));
                }
            }
            let docx_findings: Vec<&str> = got
                .findings
                .iter()
                .filter(|f| f.rule.starts_with("IMPORT-DOCX"))
                .map(|f| &*f.rule)
                .collect();
            if !docx_findings.is_empty() {
                d.push(format!("findings {docx_findings:?}"));
            }
            d.into_iter().map(|x| format!("{file}: {x}")).collect()
        }
        Ok(got) => vec![format!("{file}: {} reports", got.len())],
        Err(e) => vec![format!("{file}: {e}")],
    }
}

#[test]
fn every_fixture_reads_back_from_its_word_document() {
    let mut failures = Vec::new();
    for (name, report) in xxgk_tests::report_fixtures() {
        failures.extend(read_back(&format!("{name}.docx"), &export_docx(&report), &report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The title of a long agency's report wraps after the agency's name (the exporter breaks the
/// line there); the year is printed as “2025 年” by hand. Both read as the one title.
#[test]
fn a_wrapped_title_and_a_spaced_year_read_as_one_title() {
    let report = xxgk_tests::load("valid-2021.json");
    let docx = export_docx(&report);
    let got = import("wrapped.docx", &docx, &ImportOptions::default()).expect("import");
    assert_eq!(got[0].report.meta.agency, report.meta.agency);
    let mut spaced = report.clone();
    spaced.meta.title = Some(format!("{}2023 年政府信息公开工作年度报告", report.meta.agency));
    let got = import("spaced.docx", &export_docx(&spaced), &ImportOptions::default()).expect("import");
    assert_eq!(got[0].report.meta.year, Some(2023));
    assert_eq!(got[0].report.meta.agency, report.meta.agency);
}

/// A docx named `.xlsx` is read as the Word document it is; an xlsx named `.docx` as a workbook.
#[test]
fn a_docx_is_told_from_a_workbook_by_its_content() {
    let report = xxgk_tests::load("valid-2021.json");
    let docx = export_docx(&report);
    let got = import("misnamed.xlsx", &docx, &ImportOptions::default()).expect("a docx named .xlsx");
    assert!(differences(&report, &got[0].report).is_empty());
    let xlsx = std::fs::read(fixtures().join("example-2021.xlsx")).expect("workbook fixture");
    let got = import("misnamed.docx", &xlsx, &ImportOptions::default()).expect("an xlsx named .docx");
    assert!(!got[0].report.cells.is_empty());
}

// ───────────────────────────── LibreOffice ─────────────────────────────

#[test]
fn every_fixture_reads_back_after_libreoffice_saves_its_word_document() {
    let Some(bin) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        skip_without_soffice("LibreOffice (soffice) is not installed");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("resaved");
    std::fs::create_dir(&out).expect("out dir");
    let mut names = Vec::new();
    let mut reports = Vec::new();
    for (name, report) in xxgk_tests::report_fixtures() {
        let file = format!("{}.docx", name.replace(['/', '.'], "-"));
        std::fs::write(dir.path().join(&file), export_docx(&report)).expect("write docx");
        names.push(file);
        reports.push(report);
    }
    let run = soffice(&bin, dir.path(), &out, "docx:MS Word 2007 XML", &names);
    if !out.join(&names[0]).is_file() {
        skip_without_soffice(&format!(
            "LibreOffice cannot convert text documents here (Writer missing?): {}",
            String::from_utf8_lossy(&run.stderr).trim()
        ));
        return;
    }
    let mut failures = Vec::new();
    for (file, report) in names.iter().zip(&reports) {
        let bytes = std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file} not written by LibreOffice: {e}"));
        failures.extend(read_back(&format!("resaved/{file}"), &bytes, report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ───────────────────────────── What Word users do ─────────────────────────────

/// The parts of a docx, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("entry name").to_string(), data)
        })
        .collect()
}

/// The docx with its `word/document.xml` replaced.
fn with_document(bytes: &[u8], document: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for (name, data) in unzip(bytes) {
            zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .expect("zip");
            let data = if name == "word/document.xml" {
                document.as_bytes().to_vec()
            } else {
                data
            };
            zip.write_all(&data).expect("zip");
        }
        zip.finish().expect("zip");
    }
    out
}

fn document_xml(bytes: &[u8]) -> String {
    let (_, data) = unzip(bytes)
        .into_iter()
        .find(|(n, _)| n == "word/document.xml")
        .expect("document part");
    String::from_utf8(data).expect("UTF-8")
}

/// The `n`th table (0-based) of a document: its byte range.
fn table_range(xml: &str, n: usize) -> std::ops::Range<usize> {
    let start = xml.match_indices("<w:tbl>").nth(n).expect("table").0;
    let end = start + xml[start..].find("</w:tbl>").expect("table end") + "</w:tbl>".len();
    start..end
}

/// Edited as Word users edit: every run rewritten as a tracked change (the old text deleted, the
/// new inserted), the title moved into a text box (written twice, as Word does: DrawingML and its
/// VML fallback), the digits of the tables typed full-width, and table 3 split over two pages into
/// two tables, the second repeating the header rows. The report reads the same, and the cells
/// of the second part are located in the second table.
#[test]
fn tracked_changes_a_title_in_a_text_box_full_width_digits_and_a_split_table_read_as_shown() {
    let report = xxgk_tests::load("valid-2021.json");
    let original = export_docx(&report);
    let mut xml = document_xml(&original);
    // Table 3 split in two after its 12th row, the header rows repeated.
    let t3 = table_range(&xml, 1);
    let table = xml[t3.clone()].to_string();
    let head_end = table.find("<w:tr>").expect("rows");
    let (prefix, rows) = table.split_at(head_end);
    let rows: Vec<String> = rows
        .trim_end_matches("</w:tbl>")
        .split("<w:tr>")
        .filter(|r| !r.is_empty())
        .map(|r| format!("<w:tr>{r}"))
        .collect();
    let headers: String = rows.iter().filter(|r| r.contains("<w:tblHeader/>")).cloned().collect();
    assert!(!headers.is_empty(), "table 3 marks its header rows");
    let split = format!(
        "{prefix}{}</w:tbl><w:p/>{prefix}{headers}{}</w:tbl>",
        rows[..12].concat(),
        rows[12..].concat()
    );
    xml.replace_range(t3, &split);
    // Full-width digits in every table.
    for n in 0..4 {
        let r = table_range(&xml, n);
        let wide: String = xml[r.clone()]
            .split_inclusive('>')
            .map(|piece| {
                // Text before a tag: the content of a w:t.
                match piece.rfind('<') {
                    Some(lt) => {
                        let (text, tag) = piece.split_at(lt);
                        let text: String = text
                            .chars()
                            .map(|c| match c {
                                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                                c => c,
                            })
                            .collect();
                        format!("{text}{tag}")
                    }
                    None => piece.to_string(),
                }
            })
            .collect();
        xml.replace_range(r, &wide);
    }
    // The title in a text box.
    let title_start = xml.find("<w:p><w:pPr><w:pStyle w:val=\"Title\"/>").expect("title");
    let title_end = title_start + xml[title_start..].find("</w:p>").expect("title end") + "</w:p>".len();
    let title = xml[title_start..title_end].to_string();
    let boxed = format!(
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>{title}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>\
         <mc:Fallback><w:pict><v:textbox><w:txbxContent>{title}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    );
    xml.replace_range(title_start..title_end, &boxed);
    // Every run a tracked change: a deleted 9 before it, the run itself inserted.
    let xml = xml
        .replace("</w:r>", "</w:r></w:ins>")
        .replace(
            "<w:r>",
            "<w:del w:id=\"1\" w:author=\"审核\"><w:r><w:delText>9</w:delText></w:r></w:del><w:ins w:id=\"2\" w:author=\"审核\"><w:r>",
        )
        .replacen(
            "<w:document ",
            "<w:document xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wps=\"wps\" xmlns:v=\"urn:schemas-microsoft-com:vml\" ",
            1,
        );
    let edited = with_document(&original, &xml);
    let failures = read_back("edited.docx", &edited, &report);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let got = import("edited.docx", &edited, &ImportOptions::default()).expect("import");
    let at = |id: &str| got[0].sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
    assert!(
        at("t3.new_received.total").starts_with("表格2第"),
        "{}",
        at("t3.new_received.total")
    );
    assert!(
        at("t3.carried_forward.total").starts_with("表格3第"),
        "{}",
        at("t3.carried_forward.total")
    );
    assert!(
        at("t4.review.upheld").starts_with("表格4第"),
        "{}",
        at("t4.review.upheld")
    );
}

/// A table pasted as a picture is not read, and a finding says that it may be one; a document of
/// pictures alone is refused as having no text.
#[test]
fn a_table_that_is_a_picture_is_named_as_such() {
    let report = xxgk_tests::load("valid-2021.json");
    let original = export_docx(&report);
    let mut xml = document_xml(&original);
    let t4 = table_range(&xml, 2);
    xml.replace_range(
        t4,
        "<w:p><w:r><w:drawing><a:graphic xmlns:a=\"a\"><a:graphicData><pic:pic xmlns:pic=\"p\"><pic:blipFill><a:blip r:embed=\"rId9\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></w:drawing></w:r></w:p>",
    );
    let got = import(
        "picture.docx",
        &with_document(&original, &xml),
        &ImportOptions::default(),
    )
    .expect("import");
    let got = &got[0];
    assert!(got.report.cells.iter().all(|(id, _)| !id.starts_with("t4.")));
    let picture = got
        .findings
        .iter()
        .find(|f| f.rule == "IMPORT-DOCX-PICTURE")
        .expect("a finding names the picture");
    assert!(
        picture.text(xxgk_model::Lang::Zh).contains("表四") && picture.text(xxgk_model::Lang::Zh).contains("图片"),
        "{}",
        picture.text(xxgk_model::Lang::Zh)
    );
    // The text and the other tables are read all the same.
    assert_eq!(
        got.report.cell("t3.new_received.total"),
        report.cell("t3.new_received.total")
    );

    let body_start = xml.find("<w:body>").expect("body") + "<w:body>".len();
    let body_end = xml.find("<w:sectPr>").expect("sectPr");
    let pictures_only = format!(
        "{}<w:p><w:r><w:pict><v:shape xmlns:v=\"v\"><v:imagedata r:id=\"rId9\"/></v:shape></w:pict></w:r></w:p>{}",
        &xml[..body_start],
        &xml[body_end..]
    );
    let e = import(
        "scan.docx",
        &with_document(&original, &pictures_only),
        &ImportOptions::default(),
    )
    .expect_err("no text");
    assert!(
        e.message.zh.contains("图片") && e.message.en.contains("picture"),
        "{}",
        e.message.zh
    );
}

/// A legacy Word file is refused with what to do; a Word page saved as “web page” with a .doc
/// name is read as the HTML it is.
#[test]
fn a_legacy_doc_is_refused_with_a_way_out() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    for name in ["年报.doc", "年报.wps", "年报"] {
        let e = import(name, &ole, &ImportOptions::default()).expect_err("legacy");
        assert!(
            e.message.zh.contains("另存为") && e.message.zh.contains(".docx"),
            "{name}: {}",
            e.message.zh
        );
        assert!(e.message.en.contains("Save As"), "{name}: {}", e.message.en);
    }
    let report = xxgk_tests::load("valid-2021.json");
    let entry = by_name("html").expect("html exporter");
    let mut html = Vec::new();
    entry
        .run(std::slice::from_ref(&report), &mut html, &Options::default())
        .expect("export");
    let got = import("网页.doc", &html, &ImportOptions::default()).expect("html saved as .doc");
    assert!(differences(&report, &got[0].report).is_empty());
}

/// Table 4 typed as paragraphs with tabs instead of a table: the grid matcher cannot find it, so
/// the tables are read from the document's text, a warning says so, and every cell is located by
/// its Word table and row, or by its paragraph.
#[test]
fn tables_the_grid_cannot_read_are_read_from_the_text_and_located_there() {
    let report = xxgk_tests::load("valid-2021.json");
    let original = export_docx(&report);
    let mut xml = document_xml(&original);
    let t4 = table_range(&xml, 2);
    let mut paragraphs = String::new();
    for row in xml[t4.clone()].split("<w:tr>").skip(1) {
        let cells: Vec<String> = row
            .split("<w:tc>")
            .skip(1)
            .map(|cell| {
                cell.split("<w:t xml:space=\"preserve\">")
                    .skip(1)
                    .filter_map(|t| t.split_once("</w:t>").map(|(text, _)| text))
                    .collect::<String>()
            })
            .collect();
        let runs: Vec<String> = cells
            .iter()
            .map(|c| format!("<w:t xml:space=\"preserve\">{c}</w:t>"))
            .collect();
        paragraphs.push_str(&format!("<w:p><w:r>{}</w:r></w:p>", runs.join("<w:tab/>")));
    }
    xml.replace_range(t4, &paragraphs);
    let got = import("typed.docx", &with_document(&original, &xml), &ImportOptions::default()).expect("import");
    let got = &got[0];
    assert!(
        got.findings.iter().any(|f| f.rule == "IMPORT-DOCX-TABLE"),
        "{:?}",
        got.findings
    );
    let d = differences(&report, &got.report);
    assert!(d.is_empty(), "{}", d.join("\n"));
    let at = |id: &str| got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
    assert!(
        at("t3.new_received.total").starts_with("表格2第"),
        "{}",
        at("t3.new_received.total")
    );
    assert!(at("t4.review.upheld").ends_with('段'), "{}", at("t4.review.upheld"));
}

/// The official form as a real Word document (`tests/fixtures/real/govnianbao-form-2021.docx`,
/// made in Word by someone else: its own table widths, merges and empty paragraphs), read blank
/// and then filled in as a clerk fills it: every empty data cell of the three tables given a
/// number of its own, in reading order. Blank, every cell is blank (nothing invented); filled,
/// every number is read into its own cell and located in its Word table, with no import finding.
#[test]
fn the_official_form_as_a_real_word_document_reads_each_value_in_its_cell() {
    let bytes = std::fs::read(fixtures().join("real/govnianbao-form-2021.docx")).expect("fixture");
    let blank = import("form.docx", &bytes, &ImportOptions::default())
        .expect("import")
        .remove(0);
    assert_eq!(blank.report.meta.format, xxgk_model::FormatVersion::V2021);
    assert!(
        blank.report.cells.iter().all(|(_, c)| *c == xxgk_model::Cell::Blank),
        "a blank form reads blank"
    );
    assert!(
        !blank.findings.iter().any(|f| f.rule.starts_with("IMPORT-DOCX")),
        "{:?}",
        blank.findings
    );

    let (filled, count) = xxgk_tests::fill_empty_cells(&bytes);
    let got = import("form.docx", &filled, &ImportOptions::default())
        .expect("import")
        .remove(0);
    let want = xxgk_tests::form_cells_in_reading_order(xxgk_model::FormatVersion::V2021);
    assert_eq!(count, want.len(), "one empty cell per data cell of the form");
    let mut wrong = Vec::new();
    for (k, id) in want.iter().enumerate() {
        let expected = xxgk_model::Cell::number(100 + k as i64);
        let have = got.report.cells.get(id);
        if *have != expected {
            wrong.push(format!("{id}: {have:?}, expected {}", 100 + k));
        }
        let at = got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
        if !(at.starts_with("表格") && at.ends_with('列')) {
            wrong.push(format!("{id} located at “{at}”"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The form names no agency and no year: those two warnings, and no other.
    let import: Vec<&str> = got
        .findings
        .iter()
        .map(|f| &*f.rule)
        .filter(|r| r.starts_with("IMPORT-"))
        .collect();
    assert_eq!(import, ["IMPORT-META", "IMPORT-META-YEAR"]);
}
