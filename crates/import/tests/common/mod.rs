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
