//! Workbooks for the tests, built from the example by editing its XML parts.
#![allow(dead_code)] // each test binary uses some of these

use std::io::{Cursor, Write};
use xxgk_import::{ImportOptions, Imported, import};

/// The example workbook of the 2021 form.
pub const EXAMPLE: &[u8] = include_bytes!("../../../../tests/fixtures/example-2021.xlsx");

/// Every entry of a zip, inflated.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("inflate");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

/// A zip of `entries`, deflated.
pub fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("start");
        w.write_all(data).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// `file` with the XML part `part` changed by `edit`.
pub fn edit(file: &[u8], part: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    let mut entries = unzip(file);
    let (_, data) = entries.iter_mut().find(|(n, _)| n == part).expect("part");
    *data = edit(String::from_utf8(std::mem::take(data)).expect("utf-8")).into_bytes();
    rezip(&entries)
}

/// The one report read from `bytes`.
pub fn read(name: &str, bytes: &[u8]) -> Imported {
    let mut all = import(name, bytes, &ImportOptions::default()).expect("read");
    assert_eq!(all.len(), 1);
    all.remove(0)
}

/// An ods file of `content` (`content.xml`) and, when given, `styles` (`styles.xml`); its
/// `mimetype` entry stored first, as the format asks, or compressed when `deflated_mimetype`.
pub fn ods_file(content: &str, styles: Option<&str>, deflated_mimetype: bool) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("mimetype", if deflated_mimetype { deflated } else { stored })
        .expect("start");
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    w.start_file("META-INF/manifest.xml", deflated).expect("start");
    w.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).expect("write");
    if let Some(styles) = styles {
        w.start_file("styles.xml", deflated).expect("start");
        w.write_all(styles.as_bytes()).expect("write");
    }
    w.start_file("content.xml", deflated).expect("start");
    w.write_all(content.as_bytes()).expect("write");
    w.finish().expect("finish").into_inner()
}

/// The namespaces of an ods part's root element.
pub const ODS_NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0""#;

/// The example's sheets as an ods: every position's text (numbers as floats), styles `data` in
/// `styles.xml` (data styles, cell styles), the cell style `ce1` naming data style `N1`, and
/// 表二!B5 written as `b5` (attributes and value), and 45292 at 表二!H2, outside the table.
/// `t2_columns` are the column elements of 表二.
pub fn example_ods(data: &str, b5: &str, t2_columns: &str) -> Vec<u8> {
    use std::fmt::Write as _;
    let grids = xxgk_import::read_grids_with("e.xlsx", EXAMPLE, &xxgk_import::ImportOptions::default()).expect("grids");
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let mut body = String::new();
    for g in &grids {
        let _ = write!(body, r#"<table:table table:name="{}">"#, escape(g.name()));
        if g.name() == "表二" {
            body.push_str(t2_columns);
        }
        let (rows, cols) = g.extent();
        for r in 0..=rows {
            body.push_str("<table:table-row>");
            for c in 0..=cols {
                let t = g.text(r, c);
                if g.name() == "表二" && (r, c) == (4, 1) {
                    let _ = write!(body, "<table:table-cell {b5}/>");
                } else if t.is_empty() {
                    body.push_str("<table:table-cell/>");
                } else if t.parse::<f64>().is_ok() {
                    let _ = write!(
                        body,
                        r#"<table:table-cell office:value-type="float" office:value="{t}"><text:p>{t}</text:p></table:table-cell>"#
                    );
                } else {
                    let _ = write!(
                        body,
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        escape(t)
                    );
                }
            }
            if g.name() == "表二" && r == 1 {
                // A number outside the table, in column H (a date a department noted).
                for _ in cols + 1..7 {
                    body.push_str("<table:table-cell/>");
                }
                body.push_str(r#"<table:table-cell office:value-type="float" office:value="45292"><text:p>45292</text:p></table:table-cell>"#);
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:automatic-styles><style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="N1"/></office:automatic-styles><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODS_NS}><office:styles><style:style style:name="Default" style:family="table-cell"/>{data}</office:styles></office:document-styles>"#
    );
    ods_file(&content, Some(&styles), false)
}

/// `bytes` (a file of extension `from`) saved by LibreOffice as `to` (`xls`, `ods`), in a
/// profile of its own; `None`, after saying so, where LibreOffice is not installed, unless
/// `XXGK_REQUIRE_SOFFICE` is set (as CI sets it where it installed LibreOffice).
pub fn saved_by_libreoffice(bytes: &[u8], from: &str, to: &str) -> Option<Vec<u8>> {
    let Some(bin) = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return None;
    };
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("xxgk-lo-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join(format!("in.{from}")), bytes).expect("write");
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let out = std::process::Command::new(bin)
        .args([profile.as_str(), "--headless", "--convert-to", to, "--outdir"])
        .arg(&dir)
        .arg(dir.join(format!("in.{from}")))
        .output()
        .expect("run soffice");
    assert!(
        out.status.success(),
        "LibreOffice failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = std::fs::read(dir.join(format!("in.{to}"))).expect("LibreOffice's file");
    let _ = std::fs::remove_dir_all(&dir);
    Some(saved)
}
