//! Structure-aware generators: the fuzzer's bytes choose how a workbook is built (xlsx as zip +
//! XML, ods as zip + `content.xml`, xls as a compound file holding a BIFF8 stream), so that
//! mutations reach the places a byte-level fuzzer of whole files never did: declared string
//! counts, repeat counts in every spelling XML allows, shared-string indexes, duplicate cells and
//! entries, merged regions, nested or shadowed workbook streams, looping sector chains, declared
//! extents. Every choice comes from the input, so a finding reproduces from its input.

use std::io::{Cursor, Write};
use xxgk_import::ImportOptions;

/// The fuzzer's bytes read as a sequence of choices; past the end every choice is 0.
pub struct Choices<'a> {
    data: &'a [u8],
    at: usize,
    /// The hostile constructs put into the file, each with the guard expected to end its import
    /// ("" when none is: the file may be read), for the reach report (`crate::reach`).
    notes: Vec<(&'static str, &'static str)>,
    /// While set, nothing is noted: what is built then is left out of the file or not read.
    muted: bool,
}

impl<'a> Choices<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Choices {
            data,
            at: 0,
            notes: Vec::new(),
            muted: false,
        }
    }

    /// Records that the file holds `construct`, which `guard` (a class of `crate::reach::classify`,
    /// or "" for none) is expected to refuse.
    pub fn note(&mut self, construct: &'static str, guard: &'static str) {
        if !self.muted && !self.notes.iter().any(|(c, _)| *c == construct) {
            self.notes.push((construct, guard));
        }
    }

    /// Runs `build` with nothing noted when `mute` is set (it builds what the reader skips).
    pub fn muted<T>(&mut self, mute: bool, build: impl FnOnce(&mut Self) -> T) -> T {
        let was = self.muted;
        self.muted = was || mute;
        let out = build(self);
        self.muted = was;
        out
    }

    /// Renames the construct `from`, if recorded, to `to`, expected to be refused by `guard`.
    pub fn renote(&mut self, from: &str, to: &'static str, guard: &'static str) {
        if let Some(n) = self.notes.iter_mut().find(|(c, _)| *c == from) {
            *n = (to, guard);
        }
    }

    /// The constructs recorded, in the order first chosen.
    pub fn notes(&self) -> &[(&'static str, &'static str)] {
        &self.notes
    }

    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        let mut v = usize::from(self.byte()) | usize::from(self.byte()) << 8;
        if n > 1 << 16 {
            // Two bytes cannot choose past 65,535 (`below(120_000)` never gave a cell over the
            // 100,000-character limit: seen by the reach report).
            v |= usize::from(self.byte()) << 16 | usize::from(self.byte()) << 24;
        }
        v % n
    }

    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A count that is usually small and sometimes huge, or not a count at all.
    pub fn count(&mut self) -> String {
        match self.below(12) {
            0 => "16384".into(),
            1 => "1048576".into(),
            2 => "10000000000".into(),
            3 => "-1".into(),
            4 => "abc".into(),
            5 => "".into(),
            6 => format!("{}", u32::from(self.byte()) * 1000),
            7 => "99999999999999999999".into(),
            _ => format!("{}", self.byte()),
        }
    }

    /// A repeat count of ods: usually a small one, often one that fills a row or a column, at
    /// times anything [`Choices::count`] gives (not a count at all included).
    fn repeat_count(&mut self) -> String {
        match self.below(10) {
            9 => "16384".into(),
            8 => "1048576".into(),
            7 => "6000".into(),
            6 => self.count(),
            _ => format!("{}", 1 + u32::from(self.byte())),
        }
    }

    fn text(&mut self) -> String {
        match self.below(8) {
            0 => "长".repeat(self.below(5000)),
            1 => "一、本年新收政府信息公开申请数量".into(),
            2 => "8,0".into(),
            3 => "1 2".into(),
            4 => "&lt;&amp;".into(),
            _ => format!("{}", self.byte()),
        }
    }

    fn quote(&mut self) -> char {
        if self.flag() { '\'' } else { '"' }
    }
}

pub(crate) fn zip(entries: &[(String, Vec<u8>)], c: &mut Choices<'_>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    // The fastest level: what is under test is the reading, and compressing at the default level
    // took a sixth of each execution.
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for (name, data) in entries {
        let opts = if name == "mimetype" || c.flag() {
            stored
        } else {
            deflated
        };
        if w.start_file(name.as_str(), opts).is_err() || w.write_all(data).is_err() {
            continue;
        }
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// An xlsx: workbook, relationships, a shared-string table with a declared count, one or two
/// sheets of cells (shared strings by index, inline strings, numbers, duplicates, far cells),
/// merged regions, and sometimes a duplicate entry name.
pub fn xlsx(c: &mut Choices<'_>) -> Vec<u8> {
    let q = c.quote();
    let mut strings = String::new();
    let n_strings = c.below(20);
    // The length of each string, to count the text the cells hold (every copy counted).
    let mut lengths = Vec::new();
    for _ in 0..n_strings {
        if c.flag() {
            strings.push_str("<si/>");
            lengths.push(0);
        } else {
            let text = c.text();
            lengths.push(text.chars().count() as u64);
            strings.push_str(&format!("<si><t>{text}</t></si>"));
        }
    }
    let limits = ImportOptions::default();
    let mut n_si = n_strings;
    if c.below(8) == 0 {
        // Sometimes past the limit on strings (60,000 never reached the default of 500,000).
        // Rare: a costly file (as are the cases below) slows every run of the fuzzer.
        let extra = if c.below(16) == 15 {
            limits.max_cells as usize + 1 + c.below(1000)
        } else {
            c.below(60_000)
        };
        n_si += extra;
        strings.push_str(&"<si/>".repeat(extra));
    }
    // Sometimes one string as long as a cell may be, referenced by so many cells that the text
    // they hold together passes (or nearly passes) the total-text budget.
    let long_refs = if c.below(100) == 99 { 60 + c.below(80) } else { 0 };
    let long_index = n_si;
    if long_refs > 0 {
        strings.push_str(&format!("<si><t>{}</t></si>", "长".repeat(limits.max_cell_chars)));
        n_si += 1;
    }
    if n_si as u64 > limits.max_cells {
        c.note("sst-si-over-limit", "sst-strings");
    }
    let count = c.count();
    let unique = c.count();
    if !unique.is_empty() && unique.bytes().all(|b| b.is_ascii_digit()) {
        if unique.parse::<u64>().map_or(true, |n| n > limits.max_cells) {
            c.note("sst-uniqueCount-over-limit", "sst-declared-count");
        }
    } else {
        c.note("sst-uniqueCount-not-a-number", "");
    }
    let sst = format!(
        r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count={q}{count}{q} uniqueCount={q}{unique}{q}>{strings}</sst>"#
    );
    let styles = c.flag().then(|| xlsx_styles(c, q));
    // Cell styles a cell may name (a few past the last, which calamine and the guard must bear).
    let n_styles = styles.as_ref().map_or(1, |(_, xfs, _)| *xfs) + 3;
    let n_dxfs = styles.as_ref().map_or(0, |(_, _, dxfs)| *dxfs);
    let mut sheets = Vec::new();
    let mut chars = 0u64;
    let n_sheets = 1 + c.below(2);
    for _ in 0..n_sheets {
        let mut rows = String::new();
        let n_rows = c.below(30);
        // Cells given a value, to note a second one at the same address.
        let mut valued = std::collections::HashSet::new();
        for r in 0..n_rows {
            let row = if c.below(10) == 0 { 1_048_575 } else { r + 1 };
            rows.push_str(&format!("<row r={q}{row}{q}>"));
            for col in 0..c.below(12) {
                let col = if c.below(20) == 0 {
                    16_383
                } else {
                    col + if c.flag() { 0 } else { 1 }
                };
                let addr = format!("{}{row}", col_name(col));
                // A cell with a value (an empty `<v>` is none; a number that is none fails anyway).
                let mut value = |c: &mut Choices<'_>| {
                    if !valued.insert((row, col)) {
                        c.note("duplicate-cell", "duplicate-cell");
                    }
                };
                match c.below(6) {
                    0 => {
                        let index = c.count();
                        if !index.is_empty() {
                            value(c);
                        }
                        note_string_index(c, &index, n_si);
                        chars += index.parse::<usize>().ok().and_then(|i| lengths.get(i)).unwrap_or(&0);
                        rows.push_str(&format!(r#"<c r={q}{addr}{q} t={q}s{q}><v>{index}</v></c>"#))
                    }
                    1 => {
                        value(c);
                        let text = c.text();
                        chars += text.chars().count() as u64;
                        rows.push_str(&format!(
                            r#"<c r={q}{addr}{q} t={q}inlineStr{q}><is><t>{text}</t></is></c>"#
                        ))
                    }
                    2 => {
                        let number = c.count();
                        if number.parse::<f64>().is_ok() {
                            value(c);
                        }
                        // In a cell style: a number format, font and fill that may hide it.
                        let style = if c.flag() {
                            format!(" s={q}{}{q}", c.below(n_styles))
                        } else {
                            String::new()
                        };
                        rows.push_str(&format!(r#"<c r={q}{addr}{q}{style}><v>{number}</v></c>"#))
                    }
                    3 => {
                        value(c);
                        let index = c.below(n_strings + 2);
                        note_string_index(c, &index.to_string(), n_si);
                        chars += lengths.get(index).unwrap_or(&0);
                        rows.push_str(&format!(r#"<c r={q}{addr}{q} t={q}s{q}><v>{index}</v></c>"#))
                    }
                    _ => rows.push_str(&format!(r#"<c r={q}{addr}{q}/>"#)),
                }
            }
            rows.push_str("</row>");
        }
        if sheets.is_empty() {
            for (i, col) in (0..long_refs).map(|i| (i / 10, i % 10)) {
                if col == 0 {
                    rows.push_str(&format!("<row r={q}{}{q}>", 5000 + i));
                }
                rows.push_str(&format!(
                    r#"<c r={q}{}{}{q} t={q}s{q}><v>{long_index}</v></c>"#,
                    col_name(col),
                    5000 + i
                ));
                if col == 9 || i * 10 + col + 1 == long_refs {
                    rows.push_str("</row>");
                }
            }
            chars += long_refs as u64 * limits.max_cell_chars as u64;
        }
        let mut merges = String::new();
        let n_merges = if c.below(10) == 0 { c.below(5000) } else { c.below(10) };
        // Regions of over 65,536 cells: the grid keeps 64 of them and refuses the sheet past that.
        let mut large = 0;
        for i in 0..n_merges {
            let (r, col) = (1 + i / 4 + c.below(3), (i % 4) * 2);
            let tall = c.flag();
            let (h, w) = (c.below(if tall { 2000 } else { 3 }), 1 + c.below(3));
            if (h + 1) * (w + 1) > 65_536 {
                large += 1;
            }
            merges.push_str(&format!(
                r#"<mergeCell ref={q}{}{}:{}{}{q}/>"#,
                col_name(col),
                r,
                col_name(col + w),
                r + h
            ));
        }
        // Past the input's end every choice is 0: the costly cases are never 0.
        match c.below(300) {
            // More regions than are read.
            299 => {
                let n = 100_001 + c.below(100);
                for i in 0..n {
                    merges.push_str(&format!(r#"<mergeCell ref={q}A{0}:B{0}{q}/>"#, 10_000 + i));
                }
                c.note("merges-over-100000", "merges");
            }
            // More large regions (over 65,536 cells each) than the grid keeps.
            298 => {
                let n = 60 + c.below(10);
                for i in 0..n {
                    let r = 10_000 + i * 1000;
                    merges.push_str(&format!(r#"<mergeCell ref={q}A{r}:CV{}{q}/>"#, r + 999));
                }
                large += n;
            }
            _ => {}
        }
        if large > 64 {
            c.note("merges-over-64-large", "merges");
        }
        let merges = if merges.is_empty() {
            String::new()
        } else {
            format!("<mergeCells>{merges}</mergeCells>")
        };
        let conditional = if c.below(3) == 0 {
            conditional_formats(c, q, n_dxfs)
        } else {
            String::new()
        };
        sheets.push(format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref={q}A1:{}{q}/><sheetData>{rows}</sheetData>{merges}{conditional}</worksheet>"#,
            if c.flag() { "XFD1048576" } else { "B2" }
        ));
    }
    if chars > limits.max_total_chars {
        c.note("text-over-budget", "total-text");
    }
    let mut entries = vec![
        (
            "[Content_Types].xml".to_string(),
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_vec(),
        ),
        (
            "_rels/.rels".to_string(),
            br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec(),
        ),
    ];
    let mut wb_sheets = String::new();
    let mut rels = String::new();
    for i in 0..sheets.len() {
        wb_sheets.push_str(&format!(
            r#"<sheet name="表{i}" sheetId="{}" r:id="rId{}"/>"#,
            i + 1,
            i + 10
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.xml"/>"#,
            i + 10,
            i + 1
        ));
    }
    rels.push_str(r#"<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    if let Some((styles, _, _)) = styles {
        rels.push_str(r#"<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
        entries.push(("xl/styles.xml".to_string(), styles.into_bytes()));
    }
    entries.push((
        "xl/workbook.xml".to_string(),
        format!(r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{wb_sheets}</sheets></workbook>"#).into_bytes(),
    ));
    entries.push((
        "xl/_rels/workbook.xml.rels".to_string(),
        format!(r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).into_bytes(),
    ));
    entries.push(("xl/sharedStrings.xml".to_string(), sst.into_bytes()));
    for (i, s) in sheets.into_iter().enumerate() {
        entries.push((format!("xl/worksheets/sheet{}.xml", i + 1), s.into_bytes()));
    }
    let mut bytes = zip(&entries, c);
    if c.below(8) == 0 {
        if n_sheets == 2 {
            c.note("duplicate-zip-entry", "zip-duplicate-entry");
        }
        // Two entries of one name: the second sheet renamed to the first's.
        let (from, to) = (b"xl/worksheets/sheet2.xml", b"xl/worksheets/sheet1.xml");
        let mut i = 0;
        while let Some(p) = bytes[i..].windows(from.len()).position(|w| w == from) {
            bytes[i + p..i + p + from.len()].copy_from_slice(to);
            i += p + 1;
        }
    }
    bytes
}

/// A colour as a workbook writes one: `rgb` (at times not hex, or short), a theme index with or
/// without a tint, an indexed colour (the palette's, the system's, past them), `auto`.
fn colour(c: &mut Choices<'_>, q: char, element: &str) -> String {
    match c.below(7) {
        0 => format!(
            "<{element} rgb={q}FF{:02X}{:02X}{:02X}{q}/>",
            c.byte(),
            c.byte(),
            c.byte()
        ),
        1 => format!("<{element} rgb={q}FFFFFFFF{q}/>"),
        2 => format!(
            "<{element} rgb={q}{}{q}/>",
            ["", "Z", "FFF", "-1", "FFFFFFFFFFFF"][c.below(5)]
        ),
        3 => format!("<{element} theme={q}{}{q}/>", c.below(14)),
        4 => format!(
            "<{element} theme={q}{}{q} tint={q}{}{q}/>",
            c.below(3),
            ["-0.5", "0.9", "x", "0"][c.below(4)]
        ),
        5 => format!(
            "<{element} indexed={q}{}{q}/>",
            [0, 1, 8, 9, 64, 65, 66, 200, 70_000][c.below(9)]
        ),
        _ => format!("<{element} auto={q}1{q}/>"),
    }
}

/// A number format code: plain, one that shows numbers otherwise, a condition, or anything.
fn format_code(c: &mut Choices<'_>) -> String {
    const CODES: [&str; 14] = [
        "0",
        "General",
        ";;;",
        "0;-0;;@",
        "0,",
        "0%",
        "yyyy-mm-dd",
        "[>100]0;0",
        "\"1\"0",
        "# ?/?",
        "#,###",
        "\"无\"",
        "[h]:mm",
        "[Red][<=0]0;",
    ];
    match c.below(CODES.len() + 2) {
        i if i < CODES.len() => CODES[i].to_string(),
        // Past Excel's 255 characters and the parser's 1,024 bytes.
        i if i == CODES.len() => "0".repeat(c.below(3000)),
        _ => c.text().replace('"', "&quot;"),
    }
}

/// `styles.xml` with number formats, fonts in colours, fills, cell styles naming them and
/// differential formats for conditional formats; with how many cell styles and differential
/// formats it has.
fn xlsx_styles(c: &mut Choices<'_>, q: char) -> (String, usize, usize) {
    let mut formats = String::new();
    let n_formats = c.below(6);
    for i in 0..n_formats {
        formats.push_str(&format!(
            r#"<numFmt numFmtId={q}{}{q} formatCode={q}{}{q}/>"#,
            164 + i,
            format_code(c)
        ));
    }
    let mut fonts = String::new();
    let n_fonts = 1 + c.below(5);
    for _ in 0..n_fonts {
        let colour = if c.flag() { colour(c, q, "color") } else { String::new() };
        fonts.push_str(&format!("<font><sz val={q}11{q}/>{colour}</font>"));
    }
    let mut fills = String::new();
    let n_fills = 1 + c.below(4);
    for _ in 0..n_fills {
        let pattern = ["none", "solid", "gray125", "", "darkGrid"][c.below(5)];
        let fg = if c.flag() {
            colour(c, q, "fgColor")
        } else {
            String::new()
        };
        let bg = if c.flag() {
            colour(c, q, "bgColor")
        } else {
            String::new()
        };
        fills.push_str(&format!(
            "<fill><patternFill patternType={q}{pattern}{q}>{fg}{bg}</patternFill></fill>"
        ));
    }
    let mut xfs = String::new();
    let n_xfs = 1 + c.below(8);
    for _ in 0..n_xfs {
        let format = if c.flag() {
            164 + c.below(n_formats + 2)
        } else {
            c.below(60)
        };
        xfs.push_str(&format!(
            r#"<xf numFmtId={q}{format}{q} fontId={q}{}{q} fillId={q}{}{q} borderId={q}0{q} applyNumberFormat={q}1{q}/>"#,
            c.below(n_fonts + 2),
            c.below(n_fills + 2)
        ));
    }
    let mut dxfs = String::new();
    // Past the input's end every choice is 0: the costly case is never 0.
    let n_dxfs = if c.below(300) == 297 {
        c.note("dxfs-over-100000", "");
        100_000 + c.below(1000)
    } else {
        c.below(6)
    };
    for _ in 0..n_dxfs {
        dxfs.push_str(&dxf(c, q));
    }
    let styles = format!(
        r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count={q}{n_formats}{q}>{formats}</numFmts><fonts>{fonts}</fonts><fills>{fills}</fills><borders><border/></borders><cellStyleXfs><xf/></cellStyleXfs><cellXfs>{xfs}</cellXfs><dxfs count={q}{}{q}>{dxfs}</dxfs></styleSheet>"#,
        c.count()
    );
    (styles, n_xfs, n_dxfs)
}

/// A differential format: a font colour, a number format, a fill, or nothing.
fn dxf(c: &mut Choices<'_>, q: char) -> String {
    let mut d = String::from("<dxf>");
    if c.flag() {
        d.push_str(&format!("<font>{}</font>", colour(c, q, "color")));
    }
    if c.flag() {
        let id = if c.flag() { c.below(60) } else { 170 + c.below(3) };
        let code = if c.flag() {
            format!(" formatCode={q}{}{q}", format_code(c))
        } else {
            String::new()
        };
        d.push_str(&format!("<numFmt numFmtId={q}{id}{q}{code}/>"));
    }
    if c.flag() {
        d.push_str(&format!(
            "<fill><patternFill>{}</patternFill></fill>",
            colour(c, q, "bgColor")
        ));
    }
    d.push_str("</dxf>");
    d
}

/// A range as a conditional format names it: a cell, a region, several, absolute, or not a
/// range at all.
fn sqref(c: &mut Choices<'_>) -> String {
    let cell = |c: &mut Choices<'_>| format!("{}{}", col_name(c.below(20)), 1 + c.below(40));
    match c.below(6) {
        0 => cell(c),
        1 => format!("{}:{}", cell(c), cell(c)),
        2 => format!("{} {}:{}", cell(c), cell(c), cell(c)),
        3 => "$A$1:$XFD$1048576".into(),
        4 => ["", "A0", "1:2", "ZZZZ9", "B5:"][c.below(5)].into(),
        _ => format!("{}:{}", cell(c), "XFD1048576"),
    }
}

/// `<conditionalFormatting>` blocks (and at times Excel 2010's, in the extension list) with
/// rules of every kind: `cellIs` with numbers or not, formulas, data bars without their value,
/// rules naming differential formats that exist or not, inline ones.
fn conditional_formats(c: &mut Choices<'_>, q: char, n_dxfs: usize) -> String {
    let rule = |c: &mut Choices<'_>, x14: bool| {
        let kind = [
            "cellIs",
            "expression",
            "dataBar",
            "iconSet",
            "top10",
            "containsText",
            "",
        ][c.below(7)];
        let operator = [
            "equal",
            "notEqual",
            "greaterThan",
            "lessThanOrEqual",
            "between",
            "notBetween",
            "nope",
        ][c.below(7)];
        let f = if x14 { "xm:f" } else { "formula" };
        let mut formulas = String::new();
        for _ in 0..c.below(3) {
            let text = match c.below(4) {
                0 => format!("{}", c.byte()),
                1 => "-0.5".to_string(),
                2 => "$A1&gt;2".to_string(),
                _ => c.text(),
            };
            formulas.push_str(&format!("<{f}>{text}</{f}>"));
        }
        let shows = match kind {
            "dataBar" | "iconSet" => format!("<{kind} showValue={q}{}{q}/>", ["0", "1", "false"][c.below(3)]),
            _ => String::new(),
        };
        let (dxf_id, inline) = if x14 {
            (
                String::new(),
                if c.flag() {
                    dxf(c, q).replace("dxf>", "x14:dxf>")
                } else {
                    String::new()
                },
            )
        } else {
            let id = if c.below(8) == 0 {
                "x".to_string()
            } else {
                c.below(n_dxfs + 2).to_string()
            };
            (format!(" dxfId={q}{id}{q}"), String::new())
        };
        let tag = if x14 { "x14:cfRule" } else { "cfRule" };
        format!(r#"<{tag} type={q}{kind}{q} operator={q}{operator}{q}{dxf_id}>{formulas}{shows}{inline}</{tag}>"#)
    };
    let mut out = String::new();
    for _ in 0..1 + c.below(4) {
        let rules: String = (0..1 + c.below(3)).map(|_| rule(c, false)).collect();
        out.push_str(&format!(
            r#"<conditionalFormatting sqref={q}{}{q}>{rules}</conditionalFormatting>"#,
            sqref(c)
        ));
    }
    // Past the input's end every choice is 0: the costly case is never 0.
    if c.below(200) == 199 {
        c.note("conditional-ranges-over-10000", "");
        let ranges: String = (0..10_001 + c.below(100))
            .map(|i| format!("A{} ", 1 + i % 50))
            .collect();
        out.push_str(&format!(
            r#"<conditionalFormatting sqref={q}{ranges}{q}><cfRule type={q}dataBar{q}><dataBar showValue={q}0{q}/></cfRule></conditionalFormatting>"#
        ));
    }
    if c.flag() {
        let rules: String = (0..1 + c.below(3)).map(|_| rule(c, true)).collect();
        out.push_str(&format!(
            r#"<extLst><ext><x14:conditionalFormattings><x14:conditionalFormatting>{rules}<xm:sqref>{}</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>"#,
            sqref(c)
        ));
    }
    out
}

/// Notes a shared-string index that is no index (`-1`, `abc`: calamine reads string 0), one past
/// the table, or one that overflows (calamine's parser gives up and reads string 0).
fn note_string_index(c: &mut Choices<'_>, index: &str, strings: usize) {
    if index.is_empty() {
        c.note("sst-index-empty", "");
    } else if index.starts_with('-') {
        c.note("sst-index-negative", "sst-index");
    } else if !index.bytes().all(|b| b.is_ascii_digit()) {
        c.note("sst-index-not-a-number", "sst-index");
    } else if index.parse::<u64>().is_err() {
        c.note("sst-index-over-64-bits", "sst-index");
    } else if index.parse::<usize>().is_ok_and(|i| i >= strings) {
        c.note("sst-index-past-the-table", "sheet-error");
    }
}

fn col_name(c: usize) -> String {
    let mut s = String::new();
    let mut n = c + 1;
    while n > 0 {
        s.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    s
}

/// An ods: rows and cells with repeat counts written in every way XML allows (either quote, a
/// `>` inside another attribute value, after a comment that looks like a tag), values with and
/// without a type, strings with `text:s` runs, formulas, annotations, nested and unclosed tables.
pub fn ods(c: &mut Choices<'_>) -> Vec<u8> {
    let limits = ImportOptions::default();
    let mut body = String::new();
    // Characters of every copy of every text, across the workbook.
    let mut chars = 0u64;
    let mut unclosed = false;
    for t in 0..1 + c.below(2) {
        let q = c.quote();
        body.push_str(&format!("<table:table table:name={q}表{t}{q}>"));
        let comment = c.below(6) == 0;
        if comment {
            body.push_str("<!--><table:table/>-->");
        }
        // The sheet's extent (first and last row and column of a cell with a value, repeats
        // expanded: a lower bound of what calamine allocates) and how its repeats were spelled.
        let (mut rows, mut cols) = ((u64::MAX, 0u64), (u64::MAX, 0u64));
        let mut row_at = 0u64;
        let mut spellings: Vec<&'static str> = Vec::new();
        for _ in 0..c.below(12) {
            let q = c.quote();
            let mut row_rep = 1;
            let rep = if c.flag() {
                let n = c.repeat_count();
                row_rep = repeat(c, &n);
                if row_rep > 1 {
                    spellings.extend(spelling(q, false, false, comment));
                }
                format!(" table:number-rows-repeated={q}{n}{q}")
            } else {
                String::new()
            };
            body.push_str(&format!("<table:table-row{rep}>"));
            let mut col_at = 0u64;
            for _ in 0..c.below(8) {
                let q = c.quote();
                let mut attrs = String::new();
                let after_gt = c.below(4) == 0;
                if after_gt {
                    attrs.push_str(&format!(" table:style-name={q}a>b{q}"));
                }
                let value = c.below(6);
                let mut string_value = None;
                match value {
                    0 => attrs.push_str(&format!(" office:value={q}1{q}")),
                    1 => attrs.push_str(&format!(" office:value-type={q}float{q} office:value={q}2{q}")),
                    2 => attrs.push_str(&format!(" office:value-type={q}string{q}")),
                    3 => attrs.push_str(&format!(" table:formula={q}of:=1{q}")),
                    4 => {
                        let text = c.text();
                        string_value = Some(text.chars().count() as u64);
                        attrs.push_str(&format!(" office:string-value={q}{text}{q}"));
                    }
                    _ => {}
                }
                let mut col_rep = 1;
                if c.flag() {
                    let n = c.repeat_count();
                    col_rep = repeat(c, &n);
                    attrs.push_str(&format!(" table:number-columns-repeated={q}{n}{q}"));
                }
                let covered = c.below(5) == 0;
                let name = if covered {
                    "table:covered-table-cell"
                } else {
                    "table:table-cell"
                };
                let self_closing = c.flag();
                // The cell's text as calamine reads it (content only for a string without a
                // string value), when it has one.
                let mut text = string_value;
                if self_closing {
                    body.push_str(&format!("<{name}{attrs}/>"));
                } else {
                    let p = c.text();
                    let mut inner = format!("<text:p>{p}</text:p>");
                    let mut content = p.chars().count() as u64;
                    if c.below(4) == 0 {
                        let n = c.count();
                        content = content.saturating_add(n.parse::<u64>().unwrap_or(0));
                        if value == 2
                            && n.parse::<u64>()
                                .map_or(n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty(), |n| {
                                    n > limits.max_total_chars
                                })
                        {
                            c.note("ods-text-s-over-budget", "total-text");
                        }
                        inner.push_str(&format!("<text:p><text:s text:c={q}{n}{q}/></text:p>"));
                    }
                    if c.below(6) == 0 {
                        inner.push_str("<office:annotation><text:p>note</text:p></office:annotation>");
                    }
                    if value == 2 {
                        text = Some(content);
                    }
                    body.push_str(&format!("<{name}{attrs}>{inner}</{name}>"));
                }
                // calamine stops a row at column 16,384 and a sheet at row 1,048,576.
                let (row_rep, col_rep) = (
                    row_rep.min(1_048_576u64.saturating_sub(row_at)),
                    col_rep.min(16_384u64.saturating_sub(col_at)),
                );
                let copies = row_rep.saturating_mul(col_rep);
                chars = chars.saturating_add(text.unwrap_or(0).saturating_mul(copies));
                // A value, a string (even empty) or a formula makes a cell, covered or not.
                let valued = value != 5 && copies > 0;
                if valued {
                    rows = (rows.0.min(row_at), rows.1.max(row_at + row_rep - 1));
                    cols = (cols.0.min(col_at), cols.1.max(col_at + col_rep - 1));
                    if col_rep > 1 {
                        spellings.extend(spelling(q, value == 0 && self_closing, after_gt, comment));
                    }
                }
                col_at += col_rep;
            }
            body.push_str("</table:table-row>");
            row_at += row_rep.min(1_048_576u64.saturating_sub(row_at));
        }
        if rows.0 <= rows.1 {
            // calamine stops at Excel's last row and column.
            let (rows, cols) = ((rows.0, rows.1.min(1_048_575)), (cols.0, cols.1.min(16_383)));
            let extent = (rows.1.saturating_sub(rows.0) + 1).saturating_mul(cols.1.saturating_sub(cols.0) + 1);
            if extent > limits.max_cells {
                c.note("ods-cells-over-limit", "ods-expanded-cells");
                for s in spellings {
                    c.note(s, "ods-expanded-cells");
                }
            }
        }
        if c.below(3) == 0 {
            ods_conditional_formats(c, t, &mut body);
        }
        if c.below(10) != 0 {
            body.push_str("</table:table>");
            // calamine ends a table at the next end tag of any table: an earlier table left open
            // is read as far as this one's end.
            unclosed = false;
        } else {
            unclosed = true;
        }
    }
    if unclosed {
        c.note("ods-unclosed-table", "ods-damaged");
    }
    if chars > limits.max_total_chars {
        c.note("ods-text-over-budget", "total-text");
    }
    // The cell style the conditional formats' conditions apply (`c`): white text or black,
    // named by its display name (as LibreOffice's own formats name it) or by its name.
    let styles = if c.below(3) == 0 {
        let colour = if c.flag() { "#ffffff" } else { "#000000" };
        let (name, display) = if c.flag() {
            ("c_5f_1", r#" style:display-name="c""#)
        } else {
            ("c", "")
        };
        format!(
            r#"<office:automatic-styles><style:style style:name="{name}" style:family="table-cell"{display}><style:text-properties fo:color="{colour}"/></style:style></office:automatic-styles>"#
        )
    } else {
        String::new()
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">{styles}<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    let entries = vec![
        ("mimetype".to_string(), b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        (
            "META-INF/manifest.xml".to_string(),
            br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#.to_vec(),
        ),
        ("content.xml".to_string(), content.into_bytes()),
    ];
    zip(&entries, c)
}

/// A repeat count as a number; one calamine cannot parse (`-1`, `abc`, past 64 bits) is noted
/// (calamine then fails) and counted as 1.
fn repeat(c: &mut Choices<'_>, n: &str) -> u64 {
    n.parse::<u64>().map_or_else(
        |_| {
            c.note("ods-repeat-not-a-number", "");
            1
        },
        |n| n.max(1),
    )
}

/// The spellings of a repeat count over the limit that a hand scan of `content.xml` missed.
fn spelling(q: char, valued_without_type: bool, after_gt: bool, comment: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if q == '\'' {
        out.push("ods-over-limit-single-quotes");
    }
    if valued_without_type {
        out.push("ods-over-limit-valued-self-closing-no-type");
    }
    if after_gt {
        out.push("ods-over-limit-after-gt-in-attribute");
    }
    if comment {
        out.push("ods-over-limit-behind-comment");
    }
    out
}

/// Which of the first directory entries (in the sector at `dir`) calamine reads as the workbook
/// stream: the first named `Workbook` in any letter case, else the first named `Book`; `None`
/// when that is past the fourth entry (the `/Workbook` that shadows `/A/B/Book`).
fn read_by_calamine(file: &[u8], dir: usize, shadowed: bool) -> Option<usize> {
    let name = |i: usize| -> Option<String> {
        let e = file.get(dir + 128 * i..dir + 128 * (i + 1))?;
        let len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
        let units: Vec<u16> = e[..len]
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .take_while(|u| *u != 0)
            .collect();
        Some(String::from_utf16_lossy(&units))
    };
    let names: Vec<String> = (0..4).map_while(name).collect();
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case("workbook"))
        .or_else(|| names.iter().position(|n| n == "Book").filter(|_| !shadowed))
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len().min(8224) as u16).to_le_bytes());
    out.extend_from_slice(&data[..data.len().min(8224)]);
}

/// A BIFF8 workbook stream: globals with one or two sheets, each with a declared extent
/// (`DIMENSIONS`, short or long form), number, RK, label and blank cells (some written twice),
/// merged regions, and padding that moves the stream out of the mini stream.
fn biff(c: &mut Choices<'_>) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    let limits = ImportOptions::default();
    let n_sheets = 1 + c.below(2);
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let mut bound_at = Vec::new();
    for i in 0..n_sheets {
        bound_at.push(globals.len() + 4);
        record(&mut globals, 0x0085, &[0, 0, 0, 0, 0, 0, 1, 0, b'A' + i as u8]);
    }
    record(&mut globals, 0x000A, &[]);
    let mut stream = globals;
    for at in bound_at {
        let offset = stream.len() as u32;
        stream[at..at + 4].copy_from_slice(&offset.to_le_bytes());
        record(&mut stream, 0x0809, &bof(0x0010));
        let mut dims = Vec::new();
        // The declared extent (first row, last row + 1, first column, last column + 1).
        let declared: (u64, u64, u64, u64);
        if c.flag() {
            let rows: u32 = match c.below(4) {
                0 => u32::MAX,
                1 => 65_536,
                2 => 1_048_576,
                _ => u32::from(c.byte()),
            };
            let (first_row, first_col) = (c.byte(), c.byte());
            let last_col = if c.flag() { 256u16 } else { u16::MAX };
            declared = (first_row.into(), rows.into(), first_col.into(), last_col.into());
            dims.extend_from_slice(&u32::from(first_row).to_le_bytes());
            dims.extend_from_slice(&rows.to_le_bytes());
            dims.extend_from_slice(&u16::from(first_col).to_le_bytes());
            dims.extend_from_slice(&last_col.to_le_bytes());
            dims.extend_from_slice(&[0, 0]);
        } else {
            let (a, b, col) = (c.byte(), c.byte(), c.byte());
            declared = (0, u64::from(u16::from_le_bytes([a, b])), 0, col.into());
            dims.extend_from_slice(&[0, 0, a, b, 0, 0, col, 0, 0, 0]);
        }
        let (first_row, rows, first_col, cols) = declared;
        if rows > first_row && cols > first_col && (rows - first_row) * (cols - first_col) > limits.max_cells {
            c.note("xls-declared-extent-over-limit", "xls-extent");
        }
        record(&mut stream, 0x0200, &dims);
        let mut cells = std::collections::HashSet::new();
        let (mut rows, mut cols) = ((u16::MAX, 0u16), (u16::MAX, 0u16));
        for _ in 0..c.below(20) {
            let far = c.flag();
            let row = u16::from(c.byte()) * if far { 256 } else { 1 };
            let col = u16::from(c.byte());
            let mut d = Vec::new();
            d.extend_from_slice(&row.to_le_bytes());
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            let kind = c.below(4);
            if kind <= 1 {
                rows = (rows.0.min(row), rows.1.max(row));
                cols = (cols.0.min(col), cols.1.max(col));
                if !cells.insert((row, col)) {
                    c.note("xls-duplicate-cell", "xls-duplicate-cell");
                }
            }
            match kind {
                0 => {
                    d.extend_from_slice(&f64::from(c.byte()).to_le_bytes());
                    record(&mut stream, 0x0203, &d);
                }
                1 => {
                    d.extend_from_slice(&(u32::from(c.byte()) << 2 | 2).to_le_bytes());
                    record(&mut stream, 0x027E, &d);
                }
                2 => record(&mut stream, 0x0201, &d),
                _ => {
                    // MERGEDCELLS: one region.
                    let mut m = vec![1, 0];
                    for v in [row, row + u16::from(c.byte()), col, col + u16::from(c.byte())] {
                        m.extend_from_slice(&v.to_le_bytes());
                    }
                    record(&mut stream, 0x00E5, &m);
                }
            }
        }
        if rows.0 <= rows.1 && u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1) > limits.max_cells {
            c.note("xls-cell-extent-over-limit", "xls-extent");
        }
        for _ in 0..c.below(60) {
            record(&mut stream, 0x005C, &[b' '; 100]);
        }
        if c.below(3) == 0 {
            xls_conditional_formats(c, &mut stream);
        }
        record(&mut stream, 0x000A, &[]);
    }
    stream
}

/// Conditional formats after a sheet's cells: CFHEADER records over ranges (at times thousands,
/// or reversed, or counted past the record), each with CF records whose DXFN announces any of
/// its blocks (a number format built in or of its own, a font colour, a fill), and whose
/// formulas are constants, negated constants, other tokens or cut short.
/// LibreOffice's own conditional formats at the end of sheet `t`: data bars and icon sets that
/// show their number or not (on the element, or on an icon set's first entry as LibreOffice 7.4
/// writes it), colour scales, and conditions of every kind applying the cell style `c` (white
/// text at times, see [`ods`]), over ranges as LibreOffice writes them,
/// quoted, naming another sheet, reversed, unreadable, empty or missing, at times 100,001 of
/// them; rarely a format left open.
fn ods_conditional_formats(c: &mut Choices<'_>, t: usize, body: &mut String) {
    body.push_str("<calcext:conditional-formats>");
    for _ in 0..1 + c.below(3) {
        let q = c.quote();
        let cell = |c: &mut Choices<'_>| format!("{}{}", char::from(b'A' + c.byte() % 8), 1 + c.below(40));
        let address = match c.below(8) {
            0 => format!("$'表{t}'.${}:.${}", cell(c), cell(c)),
            1 => format!("Other.{}", cell(c)),
            2 => format!("表{t}.{}:表{t}.?", cell(c)),
            3 => String::new(),
            4 if c.below(100) == 0 => (0..100_001).map(|i| format!("表{t}.A{} ", 1 + i % 50)).collect(),
            5 => (0..1 + c.below(8)).map(|_| format!("表{t}.{}:表{t}.{} ", cell(c), cell(c))).collect(),
            _ => format!("表{t}.{}:表{t}.{}", cell(c), cell(c)),
        };
        let target = if c.below(10) == 0 {
            String::new()
        } else {
            format!(" calcext:target-range-address={q}{address}{q}")
        };
        body.push_str(&format!("<calcext:conditional-format{target}>"));
        let shows = |c: &mut Choices<'_>| match c.below(4) {
            0 => String::new(),
            1 => format!(" calcext:show-value={q}true{q}"),
            _ => format!(" calcext:show-value={q}false{q}"),
        };
        let entry = r#"<calcext:formatting-entry calcext:value="0" calcext:type="minimum"/>"#;
        for _ in 0..1 + c.below(2) {
            match c.below(4) {
                0 => body.push_str(&format!("<calcext:data-bar{}>{entry}</calcext:data-bar>", shows(c))),
                1 => {
                    let (on_set, on_entry) = if c.flag() { (shows(c), String::new()) } else { (String::new(), shows(c)) };
                    body.push_str(&format!(
                        r#"<calcext:icon-set calcext:icon-set-type="3Arrows"{on_set}><calcext:formatting-entry calcext:value="0" calcext:type="percent"{on_entry}/>{entry}</calcext:icon-set>"#
                    ));
                }
                2 => body.push_str(
                    r##"<calcext:color-scale><calcext:color-scale-entry calcext:value="0" calcext:type="minimum" calcext:color="#ffffff"/></calcext:color-scale>"##,
                ),
                _ => {
                    let value = ["=2", "!=0", "between(1,5)", "duplicate", "top-elements(1)", "formula-is([.A1]&gt;1)", ""][c.below(7)];
                    body.push_str(&format!(
                        r#"<calcext:condition calcext:apply-style-name="c" calcext:value="{value}" calcext:base-cell-address="表{t}.A1"/>"#
                    ));
                }
            }
        }
        if c.below(50) != 0 {
            body.push_str("</calcext:conditional-format>");
        }
    }
    body.push_str("</calcext:conditional-formats>");
}

fn xls_conditional_formats(c: &mut Choices<'_>, stream: &mut Vec<u8>) {
    for _ in 0..1 + c.below(3) {
        let n: u16 = match c.below(5) {
            0 => 5_000 + u16::from(c.byte()) * 8,
            _ => 1 + u16::from(c.byte() % 4),
        };
        let mut h = vec![1 + c.byte() % 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        // The count as declared, at times more than the ranges written.
        let declared = if c.below(8) == 0 { n.saturating_add(100) } else { n };
        h.extend_from_slice(&declared.to_le_bytes());
        for i in 0..n {
            let (r0, c0) = (u16::from(c.byte()), u16::from(c.byte() % 8));
            let (r1, c1) = if c.below(8) == 0 {
                (r0.wrapping_sub(1), c0)
            } else {
                (r0 + u16::from(c.byte()) + i % 7, c0 + u16::from(c.byte() % 4))
            };
            for v in [r0, r1, c0, c1] {
                h.extend_from_slice(&v.to_le_bytes());
            }
        }
        record(stream, 0x01B0, &h);
        for _ in 0..c.below(4) {
            let formula = |c: &mut Choices<'_>| -> Vec<u8> {
                match c.below(5) {
                    0 => vec![0x1E, c.byte(), 0],
                    1 => vec![0x1E, c.byte(), 0, 0x13],
                    2 => [vec![0x1F], (f64::from(c.byte()) / 4.0).to_le_bytes().to_vec()].concat(),
                    3 => vec![0x44, c.byte(), 0, 1, 0],
                    _ => (0..c.below(4)).map(|_| c.byte()).collect(),
                }
            };
            let (first, second) = (formula(c), formula(c));
            let mut d = vec![1 + c.byte() % 2, c.byte() % 10];
            let declared_first = if c.below(8) == 0 { 200 } else { first.len() as u16 };
            d.extend_from_slice(&declared_first.to_le_bytes());
            d.extend_from_slice(&(second.len() as u16).to_le_bytes());
            let blocks = u32::from(c.byte()) & 0x3F;
            let ninch = if c.flag() { 0x0007_0000 } else { 0 };
            d.extend_from_slice(&(blocks << 25 | ninch | 0xFFFF).to_le_bytes());
            let user = c.flag();
            d.extend_from_slice(&u16::from(user).to_le_bytes());
            if blocks & 1 != 0 {
                if user {
                    let code = ["0%", ";;;", "0;-0;;@", "0,", "yyyy", "\\"][usize::from(c.byte() % 6)];
                    d.extend_from_slice(&(code.len() as u16 + 5).to_le_bytes());
                    d.extend_from_slice(&(code.len() as u16).to_le_bytes());
                    d.push(0);
                    d.extend_from_slice(code.as_bytes());
                } else {
                    d.extend_from_slice(&[0, c.byte()]);
                }
            }
            if blocks & 2 != 0 {
                let mut font = vec![0u8; 118];
                let icv = [9u32, 13, 0x7FFF, u32::MAX, u32::from(c.byte())][usize::from(c.byte() % 5)];
                font[80..84].copy_from_slice(&icv.to_le_bytes());
                d.extend_from_slice(&font);
            }
            for (bit, len) in [(4, 8), (8, 8)] {
                if blocks & bit != 0 {
                    d.extend(std::iter::repeat_n(0, len));
                }
            }
            if blocks & 16 != 0 {
                d.extend_from_slice(&(1u16 << 10).to_le_bytes());
                d.extend_from_slice(&(u16::from(c.byte() % 70) << 7).to_le_bytes());
            }
            if blocks & 32 != 0 {
                d.extend_from_slice(&[0, 0]);
            }
            d.extend_from_slice(&first);
            d.extend_from_slice(&second);
            record(stream, 0x01B1, &d);
        }
    }
}

/// An xls: the BIFF stream placed at the root, nested in storages, under another letter case or
/// as `Book`, sometimes shadowed by a harmless stream, and sometimes with its sector chain made
/// to loop or its declared length raised.
pub fn xls(c: &mut Choices<'_>) -> Vec<u8> {
    let stream = biff(c);
    let path = match c.below(6) {
        0 => "/Sub/Workbook",
        1 => "/WORKBOOK",
        2 => "/A/B/Book",
        3 => "/Book",
        _ => "/Workbook",
    };
    let mut cfb = match cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())) {
        Ok(cfb) => cfb,
        Err(_) => return Vec::new(),
    };
    let mut streams = vec![(path.to_string(), stream)];
    // Not beside `/WORKBOOK`: compound-file names ignore case, so the second stream would
    // overwrite the first (the report saw those files read as the harmless stream).
    let shadowed = c.flag() && !path.eq_ignore_ascii_case("/Workbook");
    if shadowed {
        let harmless = biff(&mut Choices::new(&[]));
        streams.push(("/Workbook".to_string(), harmless));
    }
    // Where the stream is: calamine takes the first entry named `Workbook` in any case at any
    // depth, then `Book`; a `Book` beside a `/Workbook` is therefore not what it reads.
    let over = c
        .notes()
        .iter()
        .any(|(n, _)| n.starts_with("xls-declared-extent") || n.starts_with("xls-cell-extent"));
    let place = match (path, shadowed) {
        ("/Sub/Workbook", false) => "xls-stream-nested",
        ("/Sub/Workbook", true) => "xls-stream-nested-shadowing",
        ("/WORKBOOK", false) => "xls-stream-other-case",
        ("/WORKBOOK", true) => "xls-stream-other-case-shadowing",
        ("/A/B/Book", false) => "xls-stream-book-nested",
        ("/Book", false) => "xls-stream-book",
        (_, true) => "xls-stream-book-beside-workbook",
        _ => "xls-stream-root",
    };
    c.note(place, "");
    if place == "xls-stream-book-beside-workbook" {
        // calamine reads the harmless `/Workbook`: what the `Book` holds is never parsed.
        for (from, to) in [
            (
                "xls-declared-extent-over-limit",
                "xls-declared-extent-over-limit-in-unread-book",
            ),
            (
                "xls-cell-extent-over-limit",
                "xls-cell-extent-over-limit-in-unread-book",
            ),
            ("xls-duplicate-cell", "xls-duplicate-cell-in-unread-book"),
        ] {
            c.renote(from, to, "");
        }
    }
    if over {
        // The stream declares or spans more cells than the limit: refused wherever it is, unless
        // calamine reads the harmless `/Workbook` instead of a `Book`.
        let over_at = match place {
            "xls-stream-nested" => "xls-stream-nested+over-limit",
            "xls-stream-nested-shadowing" => "xls-stream-nested-shadowing+over-limit",
            "xls-stream-other-case" => "xls-stream-other-case+over-limit",
            "xls-stream-other-case-shadowing" => "xls-stream-other-case-shadowing+over-limit",
            "xls-stream-book-nested" => "xls-stream-book-nested+over-limit",
            "xls-stream-book" => "xls-stream-book+over-limit",
            "xls-stream-book-beside-workbook" => "xls-stream-book-beside-workbook+over-limit",
            _ => "xls-stream-root+over-limit",
        };
        let guard = if place == "xls-stream-book-beside-workbook" {
            ""
        } else {
            "xls-extent"
        };
        c.note(over_at, guard);
    }
    for (p, data) in &streams {
        if let Some((dir, _)) = p.rsplit_once('/')
            && !dir.is_empty()
            && !cfb.exists(dir)
            && cfb.create_storage_all(dir).is_err()
        {
            return Vec::new();
        }
        let Ok(mut s) = cfb.create_stream(p) else {
            return Vec::new();
        };
        if s.write_all(data).is_err() {
            return Vec::new();
        }
    }
    if cfb.flush().is_err() {
        return Vec::new();
    }
    let mut file = cfb.into_inner().into_inner();
    if c.below(4) == 0 {
        // Patch one directory entry: a huge declared length, its first sector's FAT entry
        // pointing back to itself.
        let u32_at = |b: &[u8], at: usize| {
            b.get(at..at + 4)
                .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
        };
        let dir = 512 + u32_at(&file, 48) as usize * 512;
        let picked = read_by_calamine(&file, dir, shadowed);
        let index = 1 + c.below(3);
        let entry = dir + 128 * index;
        if entry + 128 <= file.len() {
            let start = u32_at(&file, entry + 116);
            // The workbook stream's own chain is a chain of regular sectors from 4096 bytes on;
            // below that its start is a sector of the mini stream, and the FAT entry patched
            // belongs to another chain, or none.
            let own_chain = Some(index) == picked && u32_at(&file, entry + 120) >= 4096;
            if c.flag() {
                file[entry + 120..entry + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
                c.note(
                    if Some(index) == picked {
                        "xls-4gb-declared-length-of-workbook-stream"
                    } else {
                        "xls-4gb-declared-length-elsewhere"
                    },
                    "",
                );
            }
            let fat = 512 + u32_at(&file, 76) as usize * 512 + start as usize * 4;
            if fat + 4 <= file.len() && start < 0xFFFF_FFF0 {
                file[fat..fat + 4].copy_from_slice(&start.to_le_bytes());
                if own_chain {
                    c.note("xls-fat-loop-in-workbook-stream", "xls-damaged");
                } else {
                    c.note("xls-fat-loop-elsewhere", "");
                }
            }
        }
    }
    file
}
