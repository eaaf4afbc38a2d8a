//! Reading the model's own JSON: one report, an array of reports, or JSON Lines.

use crate::{ErrorKind, ImportError, Imported};
use xxgk_model::{Location, Report, SourceMap};

/// Reads reports from JSON bytes. `file` names the input in errors.
pub fn read_json(file: &str, bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(Location {
                line: Some(line),
                column: Some(column),
                ..Default::default()
            }),
            "不是有效的 UTF-8 文本（JSON 必须使用 UTF-8 编码）",
            "not valid UTF-8 (JSON must be UTF-8)",
        )
    })?;
    let lines_mode = file.ends_with(".jsonl") || file.ends_with(".ndjson");
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            "文件为空",
            "the file is empty",
        ));
    }
    // Each report with the text its cells are found in and that text's first line: the whole
    // file for one report or an array (scanned once, in order), one line for JSON Lines.
    check_numbers(file, text, 0)?;
    let reports: Vec<Located<'_>> = if trimmed.starts_with('[') {
        parse::<Vec<Report>>(file, text, 0)?
            .into_iter()
            .map(|r| (r, None))
            .collect()
    } else if lines_mode {
        json_lines(file, text)?
    } else {
        match parse::<Report>(file, text, 0) {
            Ok(r) => vec![(r, None)],
            Err(e) if e.message.en.contains("trailing characters") => json_lines(file, text)?,
            Err(e) => return Err(e),
        }
    };
    let many = reports.len() > 1;
    let mut whole = Scan::new(text, 1);
    reports
        .into_iter()
        .enumerate()
        .map(|(i, (report, own))| {
            let index = if many { Some(i) } else { None };
            match own {
                Some((line_text, line)) => finish(file, report, index, &mut Scan::new(line_text, line)),
                None => finish(file, report, index, &mut whole),
            }
        })
        .collect()
}

/// A report with its own text and first line (JSON Lines), or `None` to search the whole file.
type Located<'a> = (Report, Option<(&'a str, u64)>);

/// A forward scan through the JSON text that finds each cell id's line: it steps from one object
/// key to the next, decoding keys written with escapes (`"t2\u002eregulations.made"`), so that a
/// key is found wherever serde found it and no cell sends the scan to the end of the file (which
/// made a file of escaped keys quadratic: every cell rescanned it).
struct Scan<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
    /// Set once a key was not found: later ones are not searched for (the scan would only run
    /// to the end again).
    lost: bool,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, line: u64) -> Self {
        Scan {
            text,
            pos: 0,
            line,
            lost: false,
        }
    }

    /// The line of the next key equal to `id`; cells appear in file order.
    fn line_of(&mut self, id: &str) -> Option<u64> {
        if self.lost {
            return None;
        }
        let (pos, line) = (self.pos, self.line);
        while let Some((key, at)) = self.next_key() {
            if key == id {
                return Some(at);
            }
        }
        (self.pos, self.line, self.lost) = (pos, line, true);
        None
    }

    /// Advances to after `to`, counting line breaks.
    fn advance(&mut self, to: usize) {
        let skipped = &self.text.as_bytes()[self.pos..to];
        self.line += memchr::memchr_iter(b'\n', skipped).count() as u64;
        self.pos = to;
    }

    /// The next object key after the current position, decoded, with its line.
    fn next_key(&mut self) -> Option<(std::borrow::Cow<'a, str>, u64)> {
        let bytes = self.text.as_bytes();
        loop {
            let open = self.pos + memchr::memchr(b'"', bytes.get(self.pos..)?)?;
            self.advance(open);
            let line = self.line;
            // The closing quote: the first one not escaped.
            let mut end = open + 1;
            let mut escaped = false;
            loop {
                end += memchr::memchr2(b'"', b'\\', bytes.get(end..)?)?;
                if bytes[end] == b'\\' {
                    escaped = true;
                    end += 2;
                } else {
                    break;
                }
            }
            let literal = &self.text[open..=end];
            self.advance(end + 1);
            let after = bytes[end + 1..].iter().position(|b| !b.is_ascii_whitespace());
            if after.is_some_and(|p| bytes[end + 1 + p] == b':') {
                let key = if escaped {
                    std::borrow::Cow::Owned(serde_json::from_str::<String>(literal).ok()?)
                } else {
                    std::borrow::Cow::Borrowed(&literal[1..literal.len() - 1])
                };
                return Some((key, line));
            }
        }
    }
}

/// Refuses a JSON number that a binary float would change: an integer beyond 64 bits, or a
/// number with a fraction or an exponent whose digits a double does not hold (past 15–17
/// significant digits, or beyond a decimal's range). Such a number is read exactly when
/// written as a string (`"12345678901234567.89"`), and the error says so, with its line and
/// column.
fn check_numbers(file: &str, text: &str, line_offset: u64) -> Result<(), ImportError> {
    let bytes = text.as_bytes();
    let (mut i, mut line, mut line_start) = (0usize, 1u64, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'\n' => {
                line += 1;
                i += 1;
                line_start = i;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                let token = &text[start..i];
                if !exact_number(token) {
                    let column = text[line_start..start].chars().count() as u64 + 1;
                    return Err(ImportError::new(
                        file,
                        ErrorKind::Shape,
                        Some(Location {
                            line: Some(line + line_offset),
                            column: Some(column),
                            ..Default::default()
                        }),
                        format!(
                            "数字 {token} 无法精确读取（位数过多或超出范围，按二进制浮点数读取会改变它）：请写成字符串，例如 \"{token}\""
                        ),
                        format!(
                            "the number {token} cannot be read exactly (too many digits or out of range; reading it as a binary float would change it): write it as a string, e.g. \"{token}\""
                        ),
                    ));
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Whether serde reads the number token as exactly the number written.
fn exact_number(token: &str) -> bool {
    use rust_decimal::Decimal;
    if !token.contains(['.', 'e', 'E']) {
        // Integers go through i64 or u64, exactly, when they fit.
        return token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok();
    }
    let exact = Decimal::from_str_exact(token).ok().or_else(|| {
        Decimal::from_scientific(token)
            .ok()
            .filter(|d| d.to_string().len() < 28)
    });
    let through_float = token
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(|f| Decimal::from_str_exact(&format!("{f}")).ok());
    match (exact, through_float) {
        (Some(a), Some(b)) => a == b,
        // Not a number serde reads as one at all: serde's own error says so.
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

fn json_lines<'a>(file: &str, text: &'a str) -> Result<Vec<Located<'a>>, ImportError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push((parse::<Report>(file, line, n)?, Some((line, n as u64 + 1))));
    }
    Ok(out)
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str, line_offset: usize) -> Result<T, ImportError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        json_error(file, text, e.into_inner(), &path, line_offset)
    })?;
    de.end().map_err(|e| json_error(file, text, e, ".", line_offset))?;
    Ok(value)
}

fn json_error(file: &str, text: &str, inner: serde_json::Error, path: &str, line_offset: usize) -> ImportError {
    // serde_json counts columns in bytes; people count characters.
    let column = text
        .lines()
        .nth(inner.line().saturating_sub(1))
        .map(|l| {
            l.char_indices()
                .take_while(|(i, _)| *i < inner.column().saturating_sub(1))
                .count()
                + 1
        })
        .unwrap_or(inner.column());
    let location = Location {
        line: Some((inner.line() + line_offset) as u64),
        column: Some(column as u64),
        pointer: (path != ".").then(|| pointer_of(path)),
        ..Default::default()
    };
    let msg = inner.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    if inner.is_syntax() || inner.is_eof() {
        ImportError::new(
            file,
            ErrorKind::Syntax,
            Some(location),
            format!("JSON 格式错误：{msg}"),
            format!("malformed JSON: {msg}"),
        )
    } else {
        let at = if path == "." {
            String::new()
        } else {
            format!("{path}：")
        };
        let at_en = if path == "." {
            String::new()
        } else {
            format!("{path}: ")
        };
        ImportError::new(
            file,
            ErrorKind::Shape,
            Some(location),
            format!("{at}内容与年报格式不符：{msg}"),
            format!("{at_en}not shaped like a report: {msg}"),
        )
    }
}

/// `cells.t3\.x.value` (serde_path_to_error's form) as a JSON pointer.
fn pointer_of(path: &str) -> String {
    let mut out = String::new();
    for seg in path.split('.') {
        let seg = seg.trim_start_matches('[').trim_end_matches(']');
        out.push('/');
        out.push_str(seg);
    }
    out
}

/// Checks the cell ids against the format, records where each cell is, and orders the cells.
fn finish(file: &str, mut report: Report, index: Option<usize>, scan: &mut Scan<'_>) -> Result<Imported, ImportError> {
    let prefix = index.map(|i| format!("/{i}")).unwrap_or_default();
    let mut sources = SourceMap::default();
    for (id, _) in report.cells.iter() {
        let location = Location {
            line: scan.line_of(id),
            pointer: Some(format!("{prefix}/cells/{id}")),
            ..Default::default()
        };
        sources.insert(id.to_string(), location);
    }
    let unknown = report.clone().normalize_cells();
    if let Some(id) = unknown.first() {
        let location = sources.get(id).cloned();
        let format = report.meta.format;
        return Err(ImportError::new(
            file,
            ErrorKind::Shape,
            location,
            format!("单元格编号 “{id}” 不属于 {format} 格式（编号见 docs/catalogue.md）"),
            format!("cell id “{id}” is not part of the {format} format (see docs/catalogue.md)"),
        ));
    }
    report.normalize_cells();
    let cat = xxgk_model::catalogue(report.meta.format);
    let mut mismatches = Vec::new();
    for (id, cell) in report.cells.0.iter_mut() {
        let Some(def) = cat.cell(id) else {
            continue;
        };
        if let Some((raw, reads)) = crate::values::reconcile_raw(cell, def.kind) {
            mismatches.push((id.to_string(), raw, reads));
        }
    }
    let findings = mismatches
        .iter()
        .map(|(id, raw, reads)| crate::values::raw_mismatch_finding(&report, id, raw, reads, sources.get(id).cloned()))
        .collect();
    Ok(Imported {
        report,
        sources,
        findings,
    })
}

/// 1-based line and column of a byte offset.
fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() as u64 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"{"meta":{"agency":"某局","year":2023,"format":"2021"},"cells":{"t3.new_received.total":{"state":"number","value":3}}}"#;

    #[test]
    fn reads_one_report_an_array_and_lines() {
        assert_eq!(read_json("a.json", MINI.as_bytes()).expect("one").len(), 1);
        assert_eq!(
            read_json("a.json", format!("[{MINI},{MINI}]").as_bytes())
                .expect("array")
                .len(),
            2
        );
        assert_eq!(
            read_json("a.json", format!("{MINI}\n{MINI}\n").as_bytes())
                .expect("lines")
                .len(),
            2
        );
    }

    #[test]
    fn every_cell_is_located_in_arrays_and_lines() {
        let id = "t3.new_received.total";
        let lines = read_json("a.jsonl", format!("{MINI}\n\n{MINI}\n").as_bytes()).expect("lines");
        let at = |i: &Imported| i.sources.get(id).and_then(|l| l.line);
        assert_eq!((at(&lines[0]), at(&lines[1])), (Some(1), Some(3)));
        let pretty = format!("[\n{MINI},\n{MINI}\n]");
        let array = read_json("a.json", pretty.as_bytes()).expect("array");
        assert_eq!((at(&array[0]), at(&array[1])), (Some(2), Some(3)));
        assert_eq!(
            array[1].sources.get(id).and_then(|l| l.pointer.clone()).as_deref(),
            Some("/1/cells/t3.new_received.total")
        );
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let e = read_json("bad.json", b"{\n  \"meta\": {,\n}").expect_err("malformed");
        assert_eq!(e.kind, ErrorKind::Syntax);
        let loc = *e.location.clone().expect("location");
        assert_eq!((loc.line, loc.column), (Some(2), Some(12)));
        assert!(
            e.describe(xxgk_model::Lang::Zh)
                .starts_with("bad.json: 第2行第12列: JSON 格式错误"),
            "{}",
            e
        );
    }

    #[test]
    fn wrong_shape_names_the_path() {
        let bad = MINI.replace("2023", "\"二〇二三\"");
        let e = read_json("s.json", bad.as_bytes()).expect_err("shape");
        assert_eq!(e.kind, ErrorKind::Shape);
        assert_eq!(e.location.and_then(|l| l.pointer).as_deref(), Some("/meta/year"));
        let bad = MINI.replace("t3.new_received.total", "t2.regulations.total_published");
        let e = read_json("s.json", bad.as_bytes()).expect_err("unknown id");
        assert!(e.message.zh.contains("t2.regulations.total_published"), "{e}");
    }
}
