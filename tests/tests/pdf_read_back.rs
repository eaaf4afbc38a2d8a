//! PDF reports read: xxgk's own Word document of every report fixture, printed to PDF by
//! LibreOffice (where installed; `XXGK_REQUIRE_SOFFICE` makes its absence a failure), imports to
//! the same report, with the same failing rules as the Word document, each cell located by page,
//! table, row and column; the real published PDFs
//! of the corpus read with every key figure right; and hostile PDFs, built here, end in an error
//! that says what is wrong (or in a sane report), never in a panic, a hang or an exhausted
//! machine.

use serde_json::Value;
use xxgk_import::{ErrorKind, ImportOptions, Imported, InputFormat, import};
use xxgk_model::{Cell, Lang, Report};
use xxgk_tests::{assert_refused_or_sane, differences, export_docx, fixtures, on_path, skip_without_soffice, soffice};

/// Imports one PDF and lists how it differs from the report it was made from.
fn read_back(file: &str, bytes: &[u8], want: &Report) -> Vec<String> {
    match import(file, bytes, &ImportOptions::default()) {
        Ok(mut got) if got.len() == 1 => {
            let got = got.remove(0);
            // A printed paragraph wraps where the page ends: section texts are compared without
            // their line breaks and spaces.
            let mut d = differences(&unwrapped(want), &unwrapped(&got.report));
            // Every cell was read from a drawn table, and is located by page, table, row, column.
            for (id, _) in got.report.cells.iter() {
                let at = got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
                if !(at.starts_with('第') && at.contains("页 表格") && at.contains("行第") && at.ends_with('列'))
                {
                    d.push(format!("{id} located at “{at}”"));
                }
            }
            let pdf_findings: Vec<&str> = got
                .findings
                .iter()
                .filter(|f| f.rule.starts_with("IMPORT-PDF"))
                .map(|f| f.rule.as_ref())
                .collect();
            if !pdf_findings.is_empty() {
                d.push(format!("findings {pdf_findings:?}"));
            }
            // The same problems as the Word document it was printed from.
            let failing = |r: &Report| -> std::collections::BTreeSet<String> {
                xxgk_model::check(r, &xxgk_model::CheckOptions::default())
                    .into_iter()
                    .filter(|f| f.status != xxgk_model::Status::Pass)
                    .map(|f| format!("{} {:?}", f.rule, f.status))
                    .collect()
            };
            let docx = import("a.docx", &export_docx(want), &ImportOptions::default())
                .map(|mut r| r.remove(0).report)
                .unwrap_or_else(|_| want.clone());
            let (want_f, got_f) = (failing(&docx), failing(&got.report));
            if want_f != got_f {
                d.push(format!("findings {got_f:?} ≠ {want_f:?}"));
            }
            d.into_iter().map(|x| format!("{file}: {x}")).collect()
        }
        Ok(got) => vec![format!("{file}: {} reports", got.len())],
        Err(e) => vec![format!("{file}: {e}")],
    }
}

/// The report with its sections' texts without whitespace.
fn unwrapped(report: &Report) -> Report {
    let mut r = report.clone();
    for kind in xxgk_model::SectionKind::ALL {
        if let Some(section) = r.sections.slot(kind) {
            section.text.retain(|c| !c.is_whitespace());
        }
    }
    r
}

/// Every report fixture, plus a report whose title prints its year as “2023 年”, as xxgk's Word
/// document printed to PDF by LibreOffice; `None` where LibreOffice cannot run here.
fn printed_fixtures() -> Option<Vec<(String, Vec<u8>, Report)>> {
    let mut reports = xxgk_tests::report_fixtures();
    let mut spaced = xxgk_tests::load("valid-2021.json");
    spaced.meta.title = Some(format!("{}2023 年政府信息公开工作年度报告", spaced.meta.agency));
    reports.push(("spaced-year".to_string(), spaced));
    printed(reports, export_docx)
}

/// The reports as Word documents made by `docx_of`, printed to PDF by LibreOffice; `None` where
/// LibreOffice cannot run here.
fn printed(
    reports: Vec<(String, Report)>,
    docx_of: impl Fn(&Report) -> Vec<u8>,
) -> Option<Vec<(String, Vec<u8>, Report)>> {
    let Some(bin) = on_path("soffice").or_else(|| on_path("libreoffice")) else {
        skip_without_soffice("LibreOffice (soffice) is not installed");
        return None;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("pdf");
    std::fs::create_dir(&out).expect("out dir");
    let names: Vec<String> = reports
        .iter()
        .map(|(name, report)| {
            let file = format!("{}.docx", name.replace(['/', '.'], "-"));
            std::fs::write(dir.path().join(&file), docx_of(report)).expect("write docx");
            file
        })
        .collect();
    let run = soffice(&bin, dir.path(), &out, "pdf:writer_pdf_Export", &names);
    let pdf_of = |docx: &str| out.join(docx.replace(".docx", ".pdf"));
    if !pdf_of(&names[0]).is_file() {
        skip_without_soffice(&format!(
            "LibreOffice cannot print text documents here (Writer missing?): {}",
            String::from_utf8_lossy(&run.stderr).trim()
        ));
        return None;
    }
    Some(
        names
            .iter()
            .zip(reports)
            .map(|(file, (_, report))| {
                let bytes = std::fs::read(pdf_of(file)).unwrap_or_else(|e| panic!("{file}: no PDF written: {e}"));
                (file.replace(".docx", ".pdf"), bytes, report)
            })
            .collect(),
    )
}

#[test]
fn every_fixture_reads_back_from_its_word_document_printed_to_pdf() {
    let Some(printed) = printed_fixtures() else { return };
    let mut failures = Vec::new();
    for (file, bytes, report) in &printed {
        assert_eq!(InputFormat::detect("年报", bytes), Some(InputFormat::Pdf), "{file}");
        failures.extend(read_back(file, bytes, report));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The title of valid-2021 wraps after the agency's name; the spaced year reads as the year.
    let (_, bytes, report) = printed.iter().find(|(f, _, _)| f == "spaced-year.pdf").expect("spaced");
    let got = import("spaced-year.pdf", bytes, &ImportOptions::default()).expect("import");
    assert_eq!(got[0].report.meta.year, Some(2023));
    assert_eq!(got[0].report.meta.agency, report.meta.agency);
}

/// A rule's finding on a PDF names the page, the table, the row and the column a person finds the
/// value at.
#[test]
fn a_broken_identity_is_located_on_its_page() {
    let Some(printed) = printed_fixtures() else { return };
    let (file, bytes, _) = printed
        .iter()
        .find(|(f, _, _)| f.starts_with("broken-T3-BAL"))
        .expect("the fixture breaking T3-BAL");
    let got = import(file, bytes, &ImportOptions::default())
        .expect("import")
        .remove(0);
    let (_, findings, _) = got.checked(&xxgk_model::CheckOptions::default());
    let failing: Vec<String> = findings
        .iter()
        .filter(|f| f.status == xxgk_model::Status::Fail && !f.rule.starts_with("IMPORT-"))
        .flat_map(|f| {
            f.cells
                .iter()
                .filter_map(|c| c.location.as_ref())
                .map(|l| l.display(Lang::Zh))
        })
        .collect();
    assert!(!failing.is_empty(), "{file}: a broken fixture fails a rule");
    for at in failing {
        assert!(
            at.starts_with('第') && at.contains("页 表格") && at.ends_with('列'),
            "{at}"
        );
    }
}

// ───────────────────────────── Tables without lines ─────────────────────────────

/// xxgk's Word document with its main part rewritten by `edit`.
fn edit_document(docx: &[u8], edit: impl Fn(String) -> String) -> Vec<u8> {
    xxgk_tests::edit_document(docx, edit)
}

/// xxgk's Word document with its tables' borders replaced: `borders` goes where each table's
/// `w:tblBorders` was (cell borders are dropped too).
fn with_borders(docx: &[u8], borders: &str) -> Vec<u8> {
    edit_document(docx, |mut xml| {
        for tag in ["w:tblBorders", "w:tcBorders"] {
            let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
            let mut done = String::new();
            while let Some(a) = xml.find(&open) {
                let b = xml[a..].find(&close).expect("closed") + a + close.len();
                done.push_str(&xml[..a]);
                if tag == "w:tblBorders" {
                    done.push_str(&format!("<w:tblBorders>{borders}</w:tblBorders>"));
                }
                xml = xml[b..].to_string();
            }
            done.push_str(&xml);
            xml = done;
        }
        xml
    })
}

/// xxgk's Word document on landscape pages.
fn landscape(docx: &[u8]) -> Vec<u8> {
    edit_document(docx, |xml| {
        assert!(xml.contains(PORTRAIT), "the document sets its page size");
        xml.replace(PORTRAIT, r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>"#)
    })
}

const PORTRAIT: &str = r#"<w:pgSz w:w="11906" w:h="16838"/>"#;
const NO_BORDERS: &str = r#"<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>"#;
const RULES_ONLY: &str = r#"<w:top w:val="single" w:sz="12" w:space="0" w:color="000000"/><w:left w:val="nil"/><w:bottom w:val="single" w:sz="12" w:space="0" w:color="000000"/><w:right w:val="nil"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="nil"/>"#;

/// Tables printed without vertical lines (no borders at all, or rules between rows only, as
/// “三线表” are) read back cell by cell by the columns their numbers stand in: every fixture the
/// same report as its Word document, every cell located by page, table, row and column, no
/// import finding.
#[test]
fn tables_without_vertical_lines_read_back_by_column() {
    let Some(bare) = printed(xxgk_tests::report_fixtures(), |r| {
        with_borders(&export_docx(r), NO_BORDERS)
    }) else {
        return;
    };
    let two = ["valid-2021.json", "valid-2019.json"]
        .iter()
        .map(|f| (f.replace(".json", "-rules"), xxgk_tests::load(f)))
        .collect();
    let Some(ruled) = printed(two, |r| with_borders(&export_docx(r), RULES_ONLY)) else {
        return;
    };
    // A table whose last rows (or whose whole body) print no value gives no line of numbers to
    // end on: those rows may be left out of the table found, the grid matcher then misses them,
    // and the tables are read from the text (same values, rows located without columns, a
    // warning). Where LibreOffice breaks the pages decides it.
    let ends_without_values = ["DOC-TABLES", "T3-EMPTY", "X-T4-TEXT", "X-TEXT-T2"];
    let mut failures = Vec::new();
    for (file, bytes, report) in bare.iter().chain(&ruled) {
        let found = read_back(file, bytes, report);
        if ends_without_values.iter().any(|f| file.contains(f)) {
            failures.extend(
                found
                    .into_iter()
                    .filter(|d| !d.contains(" located at “第") && !d.ends_with("findings [\"IMPORT-PDF-TABLE\"]")),
            );
        } else {
            failures.extend(found);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Landscape pages (as a report sets its tables), with and without table borders, read back the
/// same report, every cell from its table: the page number set above the bottom margin of a
/// landscape page does not cut table 2 where it goes on over the page, and without lines the
/// part on the next page (blocks of one value column) joins the part before.
#[test]
fn landscape_pages_read_back() {
    let reports = vec![("valid-2021-landscape".to_string(), xxgk_tests::load("valid-2021.json"))];
    let Some(ruled) = printed(reports.clone(), |r| landscape(&export_docx(r))) else {
        return;
    };
    let reports = vec![(
        "valid-2021-landscape-bare".to_string(),
        xxgk_tests::load("valid-2021.json"),
    )];
    let Some(bare) = printed(reports, |r| landscape(&with_borders(&export_docx(r), NO_BORDERS))) else {
        return;
    };
    let mut failures = Vec::new();
    for (file, bytes, report) in ruled.iter().chain(&bare) {
        let found = read_back(file, bytes, report);
        let doc = lopdf::Document::load_mem(bytes).expect("pdf");
        let page = doc.page_iter().next().expect("a page");
        let media = doc
            .get_dictionary(page)
            .and_then(|d| d.get(b"MediaBox"))
            .and_then(|m| m.as_array())
            .map(|a| a.iter().filter_map(|o| o.as_float().ok()).collect::<Vec<f32>>())
            .expect("media box");
        assert!(
            media[2] - media[0] > media[3] - media[1],
            "{file}: a landscape page: {media:?}"
        );
        failures.extend(found);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The official form as a real Word document (`tests/fixtures/real/govnianbao-form-2021.docx`),
/// filled in cell by cell and printed to PDF by LibreOffice: every value is read into its own
/// cell, located by page, table, row and column.
#[test]
fn the_official_form_filled_in_and_printed_reads_each_value_in_its_cell() {
    let bytes = std::fs::read(fixtures().join("real/govnianbao-form-2021.docx")).expect("fixture");
    let (filled, _) = xxgk_tests::fill_empty_cells(&bytes);
    let form = xxgk_tests::load("valid-2021.json");
    let Some(printed) = printed(vec![("form".to_string(), form)], |_| filled.clone()) else {
        return;
    };
    let (file, pdf, _) = &printed[0];
    let got = import(file, pdf, &ImportOptions::default()).expect("import").remove(0);
    let mut wrong = Vec::new();
    for (k, id) in xxgk_tests::form_cells_in_reading_order(xxgk_model::FormatVersion::V2021)
        .iter()
        .enumerate()
    {
        let have = got.report.cells.get(id);
        if *have != Cell::number(100 + k as i64) {
            wrong.push(format!("{id}: {have:?}, expected {}", 100 + k));
        }
        let at = got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
        if !(at.contains("页 表格") && at.ends_with('列')) {
            wrong.push(format!("{id} located at “{at}”"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ───────────────────────────── Real PDFs ─────────────────────────────

fn real(file: &str) -> Imported {
    let bytes = std::fs::read(fixtures().join("real").join(file)).expect("fixture");
    import(file, &bytes, &ImportOptions::default())
        .expect("import")
        .remove(0)
}

/// Each real published PDF of the corpus reads with every key figure of `expected.json` right
/// (the real-corpus test allows a figure to be named unread; a PDF read from its drawn tables
/// must not need that).
#[test]
fn real_pdfs_read_every_key_figure() {
    let text = std::fs::read_to_string(fixtures().join("real/expected.json")).expect("expected.json");
    let entries: Vec<Value> = serde_json::from_str(&text).expect("JSON");
    let pdfs: Vec<&Value> = entries
        .iter()
        .filter(|e| e["file"].as_str().is_some_and(|f| f.ends_with(".pdf")))
        .collect();
    assert!(pdfs.len() >= 3, "the corpus holds the real PDFs");
    let mut wrong = Vec::new();
    for entry in pdfs {
        let file = entry["file"].as_str().expect("file");
        let got = real(file);
        let r = &got.report;
        assert_eq!(r.meta.year.map(u64::from), entry["year"].as_u64(), "{file}");
        assert_eq!(Some(r.meta.agency.as_str()), entry["agency"].as_str(), "{file}");
        let t3 = entry["t3"].as_object().expect("t3");
        for (row, values) in t3 {
            for (col, v) in xxgk_model::catalogue::T3_COLUMNS
                .iter()
                .zip(values.as_array().expect("row"))
            {
                let id = xxgk_model::catalogue::t3_id(row, col.key);
                check(&mut wrong, file, &id, r.cells.get(&id), &v.to_string());
            }
        }
        let t4_ids = xxgk_model::catalogue::T4_GROUPS.iter().flat_map(|g| {
            xxgk_model::catalogue::T4_OUTCOMES
                .iter()
                .map(move |o| xxgk_model::catalogue::t4_id(g.key, o.key))
        });
        for (id, v) in t4_ids.zip(entry["t4"].as_array().expect("t4")) {
            check(&mut wrong, file, &id, r.cells.get(&id), &v.to_string());
        }
        for (id, v) in entry["t2"].as_object().expect("t2") {
            check(&mut wrong, file, id, r.cells.get(id), v.as_str().expect("t2 value"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn check(wrong: &mut Vec<String>, file: &str, id: &str, got: &Cell, want: &str) {
    let ok = got
        .value()
        .is_some_and(|v| v.to_string().parse::<rust_decimal::Decimal>().ok() == want.parse().ok());
    if !ok {
        wrong.push(format!("{file}: {id} = {got:?}, expected {want}"));
    }
}

/// The page number in the footer (“— 4 —”) is not text of the report, and a value read from a
/// drawn table is located where a person finds it.
#[test]
fn a_real_pdf_locates_values_by_page_table_row_and_column() {
    let got = real("huaian-2024.pdf");
    let at = |id: &str| got.sources.get(id).map(|l| l.display(Lang::Zh)).unwrap_or_default();
    assert_eq!(at("t3.new_received.natural_person"), "第4页 表格2第4行第4列");
    assert_eq!(at("t4.review.upheld"), "第5页 表格3第4行第1列");
    let sections: String = xxgk_model::SectionKind::ALL
        .iter()
        .filter_map(|k| got.report.sections.get(*k))
        .map(|s| s.text.clone())
        .collect();
    assert!(!sections.contains("— 4 —") && !sections.contains("- 4 -"), "{sections}");
}

// ───────────────────────────── Hostile and odd PDFs ─────────────────────────────

fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    xxgk_tests::pdf_of_objects(objects, trailer_extra)
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    xxgk_tests::pdf_stream(dict, data)
}

/// A one-page PDF whose page draws `content`, with a Helvetica font `/F1` and an image `/Im1`.
fn one_page(content: &[u8]) -> Vec<u8> {
    pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> /Contents 4 0 R >>".to_vec(),
            stream("", content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
            stream(
                "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
                &[0, 255, 255, 0],
            ),
        ],
        "",
    )
}

fn read(name: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Imported>, xxgk_import::ImportError> {
    import(name, bytes, opts)
}

#[test]
fn a_scan_is_refused_as_a_scan() {
    let scan = one_page(b"q 595 0 0 842 0 0 cm /Im1 Do Q");
    let e = read("扫描件.pdf", &scan, &ImportOptions::default()).expect_err("a scan has no text");
    assert_eq!(e.kind, ErrorKind::Format);
    assert!(
        e.message.zh.contains("扫描件") && e.message.zh.contains("OCR"),
        "{}",
        e.message.zh
    );
    assert!(e.message.en.contains("scan"), "{}", e.message.en);
    let blank = one_page(b"");
    let e = read("空白.pdf", &blank, &ImportOptions::default()).expect_err("no text");
    assert!(e.message.zh.contains("没有文字"), "{}", e.message.zh);
}

#[test]
fn a_pdf_is_told_by_its_content_whatever_its_name() {
    let page = one_page(b"BT /F1 12 Tf 72 700 Td (2023) Tj ET");
    for name in ["年报.pdf", "年报.txt", "年报.docx", "年报"] {
        assert_eq!(InputFormat::detect(name, &page), Some(InputFormat::Pdf), "{name}");
    }
    // Read as the PDF it is, not refused as a damaged Word document.
    if let Err(e) = read("年报.docx", &page, &ImportOptions::default()) {
        assert!(!e.message.zh.contains("Word"), "read as a PDF: {}", e.message.zh);
    }
}

#[test]
fn limits_refuse_before_the_work() {
    let two_pages = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        ],
        "",
    );
    let opts = ImportOptions {
        max_pdf_pages: 1,
        ..ImportOptions::default()
    };
    let e = read("pages.pdf", &two_pages, &opts).expect_err("too many pages");
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.zh.contains("--max-pdf-pages"), "{}", e.message.zh);
    let opts = ImportOptions {
        max_pdf_objects: 3,
        ..ImportOptions::default()
    };
    let e = read("objects.pdf", &two_pages, &opts).expect_err("too many objects");
    assert!(e.message.zh.contains("--max-pdf-objects"), "{}", e.message.zh);
    // A content stream that inflates past the limit (a decompression bomb).
    let mut zeros = lopdf::Stream::new(lopdf::Dictionary::new(), vec![b' '; 4 << 20]);
    zeros.compress().expect("compress");
    assert!(zeros.content.len() < 64 << 10, "the bomb is small");
    let bomb = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
            stream("/Filter /FlateDecode", &zeros.content),
        ],
        "",
    );
    let opts = ImportOptions {
        max_unpacked_bytes: 1 << 20,
        ..ImportOptions::default()
    };
    let e = read("bomb.pdf", &bomb, &opts).expect_err("over the unpacked limit");
    assert_eq!(e.kind, ErrorKind::Limit, "{e}");
    assert!(e.message.zh.contains("--max-unpacked-bytes"), "{}", e.message.zh);
    // So much text that it passes the text limit; the same page shows 20,000 glyphs and 8,000
    // operators, over limits of 1,000. Each limit names its own option, and the page.
    let text = one_page(&b"BT /F1 12 Tf 72 700 Td (0123456789) Tj ET\n".repeat(2000));
    let over = |opts: ImportOptions, option: &str| {
        let e = read("limits.pdf", &text, &opts).expect_err(option);
        assert_eq!(e.kind, ErrorKind::Limit, "{e}");
        assert!(e.message.zh.contains(option), "{}", e.message.zh);
        assert_eq!(e.location.and_then(|l| l.sheet).as_deref(), Some("第1页"), "{option}");
        e.message.en
    };
    let base = ImportOptions::default();
    over(
        ImportOptions {
            max_text_bytes: 1000,
            ..base.clone()
        },
        "--max-text-bytes",
    );
    let en = over(
        ImportOptions {
            max_pdf_glyphs: 1000,
            ..base.clone()
        },
        "--max-pdf-glyphs",
    );
    assert!(en.contains("glyphs"), "{en}");
    over(
        ImportOptions {
            max_pdf_operators: 1000,
            ..base
        },
        "--max-pdf-operators",
    );
}

#[test]
fn hostile_structures_end_in_an_error_or_a_sane_report() {
    let opts = ImportOptions::default();
    let plain = one_page(b"BT /F1 12 Tf 72 700 Td (2023) Tj ET");
    // The trailer's /Prev points back at the same cross-reference table: a loop.
    let xref_at = String::from_utf8_lossy(&plain)
        .rsplit_once("startxref\n")
        .and_then(|(_, t)| t.lines().next().map(str::to_string))
        .expect("startxref");
    let looped = String::from_utf8_lossy(&plain)
        .replacen("/Root 1 0 R", &format!("/Root 1 0 R /Prev {xref_at}"), 1)
        .into_bytes();
    // Arrays nested far deeper than any stack allows recursing, in an object and in the page.
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_object = pdf(
        &[
            format!("<< /Type /Catalog /Pages 2 0 R /Deep {deep} >>").into_bytes(),
            b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        ],
        "",
    );
    let deep_content = one_page(format!("BT /F1 12 Tf {deep} TJ ET").as_bytes());
    // A stream declaring a length far beyond the file.
    let huge_length = String::from_utf8_lossy(&plain)
        .replacen("/Length 36", "/Length 999999999999", 1)
        .into_bytes();
    // A form XObject that draws itself.
    let recursive = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>".to_vec(),
            stream("", b"/X Do /X Do"),
            stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >>",
                b"BT /F1 12 Tf (1) Tj ET /X Do /X Do",
            ),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "",
    );
    // A page tree whose kid is its own parent.
    let cyclic = pdf(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_vec(),
        ],
        "",
    );
    // A page ruled into 62 × 330 cells with a digit in each: thousands of cells, read in time.
    let mut grid = String::new();
    for i in 0..63 {
        let x = 10 + i * 9;
        grid.push_str(&format!("{x} 5 m {x} 830 l S\n"));
    }
    for j in 0..331 {
        let y = 5.0 + f64::from(j) * 2.5;
        grid.push_str(&format!("10 {y} m 568 {y} l S\n"));
    }
    grid.push_str("BT /F1 1 Tf\n");
    for j in 0..330 {
        for i in 0..62 {
            grid.push_str(&format!(
                "1 0 0 1 {} {} Tm (7) Tj\n",
                12 + i * 9,
                5.8 + f64::from(j) * 2.5
            ));
        }
    }
    grid.push_str("ET\n");
    let ruled = one_page(grid.as_bytes());
    for (what, bytes) in [
        ("xref loop", &looped),
        ("deep object", &deep_object),
        ("deep content", &deep_content),
        ("huge declared length", &huge_length),
        ("recursive form", &recursive),
        ("cyclic page tree", &cyclic),
        ("dense ruled grid", &ruled),
        ("truncated", &plain[..plain.len() / 2].to_vec()),
        ("header only", &b"%PDF-1.7\n".to_vec()),
    ] {
        let started = std::time::Instant::now();
        assert_refused_or_sane(what, read(&format!("{what}.pdf"), bytes, &opts));
        assert!(started.elapsed().as_secs() < 30, "{what}: took {:?}", started.elapsed());
    }
}

/// An encrypted PDF that opens without a password (the empty user password: only printing or
/// copying is restricted) reads as the same report; one that needs a password is refused.
#[test]
fn encryption_with_an_empty_password_is_opened_any_other_refused() {
    let original = std::fs::read(fixtures().join("real/hongze-2024.pdf")).expect("fixture");
    let encrypted = |user: &str| -> Vec<u8> {
        let mut doc = lopdf::Document::load_mem(&original).expect("load");
        if doc.trailer.get(b"ID").is_err() {
            let id = lopdf::Object::string_literal(b"0123456789abcdef".to_vec());
            doc.trailer.set("ID", vec![id.clone(), id]);
        }
        let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: user,
            key_length: 128,
            permissions: lopdf::Permissions::PRINTABLE,
        })
        .expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    };
    let plain = real("hongze-2024.pdf").report;
    let open = encrypted("");
    assert!(memchr_find(&open, b"/Encrypt"), "the test file is encrypted");
    let got = read("加密.pdf", &open, &ImportOptions::default())
        .expect("opens with the empty password")
        .remove(0);
    assert_eq!(got.report.cells, plain.cells);
    let e = read("有密码.pdf", &encrypted("secret"), &ImportOptions::default()).expect_err("needs a password");
    assert_eq!(e.kind, ErrorKind::Format);
    assert!(
        e.message.zh.contains("加密") && e.message.en.contains("encrypted"),
        "{e}"
    );
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
