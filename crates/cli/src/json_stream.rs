//! `validate --json` written as it goes: the document of `schemas/findings.schema.json`, byte for
//! byte what `serde_json::to_string_pretty` would give for the whole [`ValidationOutput`], but
//! with each report's result printed as soon as it is checked and then dropped, so that memory
//! does not grow with the batch (every report's findings, passes included, are about 250 KB).
//!
//! The parts around the arrays are not written by hand: the envelope and each file are
//! serialized with their array empty and cut at that empty array, so a field added to the shape
//! is written without a change here.

use crate::printing::print_json;
use serde::Serialize;
use xxgk_model::output::{FileResult, ReportResult, ValidationOutput};

/// Where the text goes: standard output, or a string in the tests.
type Out<'a> = Box<dyn FnMut(&[u8]) + 'a>;

/// One array being written, item by item, at a given depth of the document.
struct Array {
    /// Spaces before each item.
    indent: usize,
    items: usize,
}

impl Array {
    /// An array whose items are at `depth`.
    fn new(depth: usize) -> Self {
        Array {
            indent: 2 * depth,
            items: 0,
        }
    }

    /// Starts the next item: the separator and the indent.
    fn next(&mut self, out: &mut Out<'_>) {
        out(if self.items == 0 { b"\n" } else { b",\n" });
        out(" ".repeat(self.indent).as_bytes());
        self.items += 1;
    }

    /// The text after the array: `]` and what follows, at the array's own depth.
    fn close(self, tail: &str, out: &mut Out<'_>) {
        if self.items > 0 {
            out(b"\n");
            out(" ".repeat(self.indent - 2).as_bytes());
        }
        out(tail.as_bytes());
    }
}

/// `value` pretty-printed into `text`, its lines after the first indented for `depth`: the text
/// `to_string_pretty` gives, written in one pass by [`Nested`].
fn pretty_into<T: Serialize>(text: &mut Vec<u8>, value: &T, depth: usize) {
    let start = text.len();
    let mut serializer = serde_json::Serializer::with_formatter(&mut *text, Nested::at(depth));
    // Serializing these types does not fail (no map with non-string keys, no I/O); should it,
    // the error is written as a JSON string so that the document stays JSON.
    if let Err(e) = value.serialize(&mut serializer) {
        text.truncate(start);
        text.extend_from_slice(format!("{:?}", e.to_string()).as_bytes());
    }
}

/// `value` pretty-printed, its lines after the first indented for `depth`.
fn pretty<T: Serialize>(value: &T, depth: usize) -> String {
    let mut text = Vec::new();
    pretty_into(&mut text, value, depth);
    // serde_json writes UTF-8.
    String::from_utf8_lossy(&text).into_owned()
}

/// serde_json's pretty layout (two spaces a level) for a value that sits `base` levels deep in
/// the document. Indenting the finished text line by line cost another pass over each report's
/// quarter of a megabyte.
struct Nested {
    base: usize,
    depth: usize,
    /// Whether the array or object being closed had any item (an empty one closes on its line).
    has_value: bool,
}

impl Nested {
    fn at(base: usize) -> Self {
        Nested {
            base,
            depth: 0,
            has_value: false,
        }
    }

    /// A line feed and the indent of the current level.
    fn new_line<W: ?Sized + std::io::Write>(&self, out: &mut W) -> std::io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        out.write_all(b"\n")?;
        let mut left = 2 * (self.base + self.depth);
        while left > 0 {
            let n = left.min(SPACES.len());
            out.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.new_line(out)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.item(out, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.item(out, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` pretty-printed at `depth`, cut at its field `key`, an empty array: the text up to and
/// including `[`, and the text from `]`.
fn split<T: Serialize>(value: &T, key: &str, depth: usize) -> (String, String) {
    let text = pretty(value, depth);
    let marker = format!("\n{}\"{key}\": []", " ".repeat(2 * depth + 2));
    match text.find(&marker) {
        Some(at) => {
            let cut = at + marker.len() - 1;
            (text[..cut].to_string(), text[cut..].to_string())
        }
        // Not reached for the shapes written here; keeps the output valid JSON regardless.
        None => (format!("{{\"{key}\": ["), format!("], \"rest\": {text}}}")),
    }
}

/// The document being written.
pub struct Document<'a> {
    files: Array,
    out: Out<'a>,
    /// A report's text, kept between reports: each is about a quarter of a megabyte.
    scratch: Vec<u8>,
}

/// A file whose reports are being written.
pub struct File {
    reports: Array,
    tail: String,
}

impl Document<'static> {
    /// A document on standard output.
    pub fn stdout(envelope: &ValidationOutput) -> Self {
        Document::start(envelope, Box::new(print_json))
    }
}

impl<'a> Document<'a> {
    /// Writes the head of the document: `envelope`'s fields before `files`.
    pub fn start(envelope: &ValidationOutput, mut out: Out<'a>) -> Self {
        let (head, _) = split(envelope, "files", 0);
        out(head.as_bytes());
        Document {
            files: Array::new(2),
            out,
            scratch: Vec::new(),
        }
    }

    /// Writes `value` pretty-printed at `depth`.
    fn write<T: Serialize>(&mut self, value: &T, depth: usize) {
        self.scratch.clear();
        pretty_into(&mut self.scratch, value, depth);
        (self.out)(&self.scratch);
    }

    /// Writes a whole file result (an unreadable file, or one without reports).
    pub fn whole_file(&mut self, file: &FileResult) {
        self.files.next(&mut self.out);
        self.write(file, 2);
    }

    /// Starts a file whose reports follow: `file` with no reports, its outcome already known.
    pub fn start_file(&mut self, file: &FileResult) -> File {
        self.files.next(&mut self.out);
        let (head, tail) = split(file, "reports", 2);
        (self.out)(head.as_bytes());
        File {
            reports: Array::new(4),
            tail,
        }
    }

    /// Writes one report's result of the file being written.
    pub fn report(&mut self, file: &mut File, report: &ReportResult) {
        file.reports.next(&mut self.out);
        self.write(report, 4);
    }

    /// Writes the end of a file.
    pub fn end_file(&mut self, file: File) {
        file.reports.close(&file.tail, &mut self.out);
    }

    /// Writes the end of the document: `envelope`'s fields after `files` (the summary).
    pub fn finish(mut self, envelope: &ValidationOutput) {
        let (_, tail) = split(envelope, "files", 0);
        self.files.close(&tail, &mut self.out);
        (self.out)(b"\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::output::{Counts, FileError, Outcome, Summary};
    use xxgk_model::{CheckOptions, FormatVersion, Report, Text, check};

    fn report(agency: &str) -> ReportResult {
        let r = Report::new(xxgk_model::Meta::new(agency, 2023, FormatVersion::V2021));
        let findings = check(&r, &CheckOptions::default());
        ReportResult {
            agency: agency.to_string(),
            year: Some(2023),
            origins: Default::default(),
            format: FormatVersion::V2021,
            outcome: Outcome::Fail,
            counts: Counts::of(&findings),
            findings,
        }
    }

    /// The streamed document is the one `to_string_pretty` gives for the whole output.
    #[test]
    fn streamed_output_is_the_pretty_document() {
        let files = vec![
            FileResult {
                file: "坏.xlsx".into(),
                outcome: Outcome::Error,
                error: Some(FileError {
                    kind: "syntax".into(),
                    location: None,
                    message: Text::new("损坏\n\"x\": []", "damaged"),
                }),
                reports: vec![],
            },
            FileResult {
                file: "two.json".into(),
                outcome: Outcome::Fail,
                error: None,
                reports: vec![report("甲"), report("\"reports\": []")],
            },
            FileResult {
                file: "none.json".into(),
                outcome: Outcome::Pass,
                error: None,
                reports: vec![],
            },
        ];
        for files in [files, vec![]] {
            let whole = ValidationOutput {
                schema_version: 1,
                tool: "xxgk test".into(),
                strict: true,
                blank_as_zero: false,
                files,
                summary: Summary {
                    files: 3,
                    reports: 2,
                    failed: 2,
                    ..Default::default()
                },
                exit_code: 2,
            };
            let mut text = Vec::new();
            {
                let envelope = ValidationOutput {
                    files: vec![],
                    ..whole.clone()
                };
                let mut doc = Document::start(&envelope, Box::new(|s: &[u8]| text.extend_from_slice(s)));
                for f in &whole.files {
                    if f.reports.is_empty() {
                        doc.whole_file(f);
                    } else {
                        let mut file = doc.start_file(&FileResult {
                            reports: vec![],
                            ..f.clone()
                        });
                        for r in &f.reports {
                            doc.report(&mut file, r);
                        }
                        doc.end_file(file);
                    }
                }
                doc.finish(&envelope);
            }
            let expected = serde_json::to_string_pretty(&whole).expect("json") + "\n";
            assert_eq!(String::from_utf8(text).expect("UTF-8"), expected);
        }
    }
}
