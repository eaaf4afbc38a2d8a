//! Reading xxgk's two CSV forms: the long form (`csv`, one line per cell) and the wide form
//! (`csv-wide`, one line per report). The form is told by the header line; the columns of both
//! are defined in `xxgk_model::interchange`, where the exporters take them from.
//!
//! Excel and WPS on Chinese Windows save CSV as GBK/GB18030 without a byte-order mark, so the
//! bytes are decoded by their byte-order mark if they have one, as UTF-8 if they are valid
//! UTF-8, and as GB18030 (a superset of GBK and GB2312) otherwise. Every cell's line and column
//! go into the [`SourceMap`], and every error names the file, the line and the column.

use crate::limits::{check_cell_text, exceeded};
use crate::values::parse_cell;
use crate::{ErrorKind, ImportError, ImportOptions, Imported};
use encoding_rs::{Encoding, GB18030, UTF_8};
use std::borrow::Cow;
use std::collections::HashMap;
use xxgk_model::interchange::{LONG_CSV_HEADER, WIDE_META_COLUMNS, unguard_csv};
use xxgk_model::{Cell, CellDef, FormatVersion, Location, Meta, Num, Report, SourceMap, catalogue};

/// Reads every report in a CSV file of either form, with the default limits. `file` names the
/// input in errors.
#[cfg(test)]
fn read_csv(file: &str, bytes: &[u8]) -> Result<Vec<Imported>, ImportError> {
    read_csv_with(file, bytes, &ImportOptions::default())
}

/// Reads every report in a CSV file of either form, within the limits of `opts` (lines, fields
/// per line, characters per field).
pub(crate) fn read_csv_with(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Vec<Imported>, ImportError> {
    let text = decode(file, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers are counted from byte offsets: the csv reader's own count lags by one
    // after a CRLF line end, and Excel writes CRLF.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |byte: u64| {
        let mut b = byte as usize;
        while matches!(text.as_bytes().get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        newlines.partition_point(|&n| n < b) as u64 + 1
    };
    let mut records = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| line_at(p.byte()));
            ImportError::new(
                file,
                ErrorKind::Syntax,
                line.map(Location::line),
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        if records.len() >= opts.max_rows as usize {
            return Err(exceeded(
                file,
                Some(Location::line(line)),
                "CSV 的行数",
                "the number of CSV lines",
                format!("> {}", opts.max_rows),
                opts.max_rows,
                "--max-rows",
            ));
        }
        if rec.len() > opts.max_columns as usize {
            return Err(exceeded(
                file,
                Some(Location::line(line)),
                "CSV 一行的字段个数",
                "the number of fields on a CSV line",
                rec.len(),
                opts.max_columns,
                "--max-columns",
            ));
        }
        for (i, field) in rec.iter().enumerate() {
            let at = || {
                Some(Location {
                    line: Some(line),
                    column: Some(i as u64 + 1),
                    ..Default::default()
                })
            };
            check_cell_text(file, field, at, opts)?;
        }
        records.push((line, rec));
    }
    let Some((_, header)) = records.first() else {
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            "文件为空",
            "the file is empty",
        ));
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if header.iter().any(|h| h == "cell_id") {
        read_long(file, &header, &records[1..])
    } else if header.iter().any(|h| h == "agency")
        && header
            .iter()
            .any(|h| h.starts_with("t2.") || h.starts_with("t3.") || h.starts_with("t4."))
    {
        read_wide(file, &header, &records[1..])
    } else {
        Err(ImportError::new(
            file,
            ErrorKind::Format,
            Some(Location::line(1)),
            "不是 xxgk 的 CSV：第一行应为列名（长表含 cell_id 列；宽表含 agency 列和单元格编号列，如 t3.new_received.total）",
            "not an xxgk CSV: line 1 must name the columns (the long form has a cell_id column; the wide form an agency column and cell-id columns such as t3.new_received.total)",
        ))
    }
}

/// The text of the file, decoded by byte-order mark, as UTF-8, or as GB18030.
fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, ImportError> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None => (GB18030, bytes),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            format!(
                "文件不是有效的 {} 文本（CSV 应为 UTF-8 或 GBK/GB18030 编码）",
                encoding.name()
            ),
            format!("not valid {} text (CSV must be UTF-8 or GBK/GB18030)", encoding.name()),
        ));
    }
    // GB18030 has a byte-order mark of its own (84 31 95 33), which decodes to U+FEFF.
    Ok(match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Cow::Owned(t) => match t.strip_prefix('\u{feff}') {
            Some(rest) => Cow::Owned(rest.to_string()),
            None => Cow::Owned(t),
        },
    })
}

type Records = [(u64, csv::StringRecord)];

fn at(line: u64, column: usize) -> Location {
    Location {
        line: Some(line),
        column: Some(column as u64 + 1),
        ..Default::default()
    }
}

fn field(rec: &csv::StringRecord, i: Option<usize>) -> &str {
    i.and_then(|i| rec.get(i)).unwrap_or_default()
}

fn column_of(file: &str, header: &[String], name: &str) -> Result<usize, ImportError> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        ImportError::new(
            file,
            ErrorKind::Missing,
            Some(Location::line(1)),
            format!("缺少列 “{name}”"),
            format!("column “{name}” is missing"),
        )
    })
}

fn parse_year(file: &str, text: &str, loc: Location) -> Result<u16, ImportError> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            ImportError::new(
                file,
                ErrorKind::Shape,
                Some(loc),
                format!("年度 “{text}” 不是 2000–2100 之间的年份"),
                format!("year “{text}” is not a year between 2000 and 2100"),
            )
        })
}

fn parse_format(file: &str, text: &str, loc: Location) -> Result<FormatVersion, ImportError> {
    FormatVersion::from_code(text).ok_or_else(|| {
        ImportError::new(
            file,
            ErrorKind::Shape,
            Some(loc),
            format!("格式 “{text}” 应为 2019 或 2021"),
            format!("format “{text}” must be 2019 or 2021"),
        )
    })
}

fn unknown_cell(file: &str, id: &str, format: FormatVersion, loc: Location) -> ImportError {
    ImportError::new(
        file,
        ErrorKind::Shape,
        Some(loc),
        format!("单元格编号 “{id}” 不属于 {format} 格式（编号见 docs/catalogue.md）"),
        format!("cell id “{id}” is not part of the {format} format (see docs/catalogue.md)"),
    )
}

/// A report being assembled, with where its cells came from.
struct Building {
    report: Report,
    sources: SourceMap,
    /// Raw texts dropped because they did not read as the cell's value (id, raw, reads as).
    mismatches: Vec<(String, String, String)>,
}

impl Building {
    fn new(meta: Meta) -> Self {
        Building {
            report: Report::new(meta),
            sources: SourceMap::default(),
            mismatches: Vec::new(),
        }
    }

    fn finish(mut self) -> Imported {
        // Every cell of the form is present, blanks included, in form order.
        let cat = catalogue(self.report.meta.format);
        for def in cat.cells() {
            if !self.report.cells.0.contains_key(&def.id) {
                self.report.cells.set(def.id.clone(), Cell::Blank);
            }
        }
        self.report.normalize_cells();
        let findings = self
            .mismatches
            .iter()
            .map(|(id, raw, reads)| {
                crate::values::raw_mismatch_finding(&self.report, id, raw, reads, self.sources.get(id).cloned())
            })
            .collect();
        Imported {
            report: self.report,
            sources: self.sources,
            findings,
        }
    }
}

// ───────────────────────────── long form ─────────────────────────────

fn read_long(file: &str, header: &[String], records: &Records) -> Result<Vec<Imported>, ImportError> {
    let [agency, year, format, cell_id, _, _, _, value, state, raw] = LONG_CSV_HEADER;
    let c_agency = column_of(file, header, agency)?;
    let c_year = column_of(file, header, year)?;
    let c_format = column_of(file, header, format)?;
    let c_id = column_of(file, header, cell_id)?;
    let c_value = header.iter().position(|h| h == value);
    let c_state = header.iter().position(|h| h == state);
    let c_raw = header.iter().position(|h| h == raw);
    if c_value.is_none() && c_raw.is_none() {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            Some(Location::line(1)),
            "缺少列 “value” 或 “raw”",
            "neither a “value” nor a “raw” column",
        ));
    }
    let mut reports: Vec<Building> = Vec::new();
    let mut index: HashMap<(String, u16, FormatVersion), usize> = HashMap::new();
    for (line, rec) in records {
        let line = *line;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let agency_name = unguard_csv(field(rec, Some(c_agency)).trim()).to_string();
        let y = parse_year(file, field(rec, Some(c_year)), at(line, c_year))?;
        let f = parse_format(file, field(rec, Some(c_format)), at(line, c_format))?;
        let id = field(rec, Some(c_id)).trim();
        let Some(def) = catalogue(f).cell(id) else {
            return Err(unknown_cell(file, id, f, at(line, c_id)));
        };
        let key = (agency_name.clone(), y, f);
        let slot = *index.entry(key).or_insert_with(|| {
            let mut meta = Meta::new(agency_name.clone(), y, f);
            meta.tables_only = true;
            reports.push(Building::new(meta));
            reports.len() - 1
        });
        let b = &mut reports[slot];
        if b.report.cells.0.contains_key(id) {
            return Err(ImportError::new(
                file,
                ErrorKind::Shape,
                Some(at(line, c_id)),
                format!("{agency_name}{y}年报告的单元格 “{id}” 出现了两次"),
                format!("cell “{id}” of {agency_name} {y} appears twice"),
            ));
        }
        let value_col = c_value.or(c_raw).unwrap_or(c_id);
        let mut cell = long_cell(
            file,
            def,
            field(rec, c_value),
            c_state.map(|c| field(rec, Some(c))),
            unguard_csv(field(rec, c_raw)),
            line,
            (value_col, c_state.unwrap_or(value_col)),
        )?;
        if let Some((raw, reads)) = crate::values::reconcile_raw(&mut cell, def.kind) {
            b.mismatches.push((id.to_string(), raw, reads));
        }
        b.report.cells.set(id, cell);
        b.sources.insert(id.to_string(), at(line, value_col));
    }
    Ok(reports.into_iter().map(Building::finish).collect())
}

/// One cell of the long form from its `value`, `state` and `raw` columns.
fn long_cell(
    file: &str,
    def: &CellDef,
    value: &str,
    state: Option<&str>,
    raw: &str,
    line: u64,
    (value_col, state_col): (usize, usize),
) -> Result<Cell, ImportError> {
    let value = value.trim();
    match state.map(str::trim) {
        // A hand-made CSV without states: the text decides, as in any other source.
        None | Some("") => Ok(parse_cell(if raw.is_empty() { value } else { raw }, def.kind)),
        Some("blank") => Ok(Cell::Blank),
        Some("placeholder") => Ok(Cell::Placeholder { raw: raw.to_string() }),
        Some("text") => Ok(Cell::Text { raw: raw.to_string() }),
        Some("number") => {
            let number: Num = value.parse().map_err(|_| {
                ImportError::new(
                    file,
                    ErrorKind::Shape,
                    Some(at(line, value_col)),
                    format!("单元格 “{}” 的状态为 number，但数值 “{value}” 不是数字", def.id),
                    format!(
                        "cell “{}” has state number but its value “{value}” is no number",
                        def.id
                    ),
                )
            })?;
            if raw.is_empty() {
                return Ok(Cell::number(number));
            }
            // The raw text carries the annotation and the unit; the value column stays the
            // number, should a person have corrected it.
            Ok(match parse_cell(raw, def.kind) {
                Cell::Number { annotation, unit, .. } => Cell::Number {
                    value: number,
                    raw: Some(raw.to_string()),
                    annotation,
                    unit,
                },
                _ => Cell::Number {
                    value: number,
                    raw: Some(raw.to_string()),
                    annotation: None,
                    unit: None,
                },
            })
        }
        Some(other) => Err(ImportError::new(
            file,
            ErrorKind::Shape,
            Some(at(line, state_col)),
            format!(
                "单元格 “{}” 的状态 “{other}” 应为 number、blank、placeholder 或 text",
                def.id
            ),
            format!(
                "cell “{}” has state “{other}”; expected number, blank, placeholder or text",
                def.id
            ),
        )),
    }
}

// ───────────────────────────── wide form ─────────────────────────────

fn read_wide(file: &str, header: &[String], records: &Records) -> Result<Vec<Imported>, ImportError> {
    let meta_col = |name: &str| header.iter().position(|h| h == name);
    let [agency, region, year, format] = WIDE_META_COLUMNS;
    let c_agency = column_of(file, header, agency.name)?;
    let c_year = column_of(file, header, year.name)?;
    let c_format = column_of(file, header, format.name)?;
    let c_region = meta_col(region.name);
    // Every other column must be a cell id of one of the versions.
    let mut cell_cols: Vec<(usize, &str)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if WIDE_META_COLUMNS.iter().any(|m| m.name == name) || name.is_empty() {
            continue;
        }
        if !FormatVersion::ALL.iter().any(|v| catalogue(*v).cell(name).is_some()) {
            return Err(ImportError::new(
                file,
                ErrorKind::Shape,
                Some(at(1, i)),
                format!(
                    "第{}列的列名 “{name}” 不是单元格编号（编号见 docs/catalogue.md）",
                    i + 1
                ),
                format!(
                    "column {} is named “{name}”, which is no cell id (see docs/catalogue.md)",
                    i + 1
                ),
            ));
        }
        if let Some(&(first, _)) = cell_cols.iter().find(|(_, n)| n == name) {
            return Err(ImportError::new(
                file,
                ErrorKind::Shape,
                Some(at(1, i)),
                format!("第{}列与第{}列的列名都是 “{name}”", first + 1, i + 1),
                format!("columns {} and {} are both named “{name}”", first + 1, i + 1),
            ));
        }
        cell_cols.push((i, name.as_str()));
    }
    let mut out = Vec::new();
    for (n, (line, rec)) in records.iter().enumerate() {
        let line = *line;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // The second header line (labels for people) starts with the label of `agency`.
        let first = field(rec, Some(c_agency)).trim();
        if n == 0 && (first == agency.zh || first == agency.en) {
            continue;
        }
        let y = parse_year(file, field(rec, Some(c_year)), at(line, c_year))?;
        let f = parse_format(file, field(rec, Some(c_format)), at(line, c_format))?;
        let mut meta = Meta::new(unguard_csv(first), y, f);
        meta.tables_only = true;
        let region_code = unguard_csv(field(rec, c_region).trim());
        if !region_code.is_empty() {
            meta.region_code = Some(region_code.to_string());
        }
        let cat = catalogue(f);
        let mut b = Building::new(meta);
        for &(col, id) in &cell_cols {
            let text = unguard_csv(field(rec, Some(col)));
            match cat.cell(id) {
                Some(def) => {
                    b.report.cells.set(id, parse_cell(text, def.kind));
                    b.sources.insert(id.to_string(), at(line, col));
                }
                None if text.trim().is_empty() => {}
                None => return Err(unknown_cell(file, id, f, at(line, col))),
            }
        }
        out.push(b.finish());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "agency,year,format,cell_id,table,row_label,column_label,value,state,raw\r\n\
        某局,2023,2021,t3.new_received.total,t3,,,3,number,\r\n\
        某局,2023,2021,t2.fees.amount,t2,,,0.5,number,0.5万元\r\n\
        某局,2023,2021,t3.granted.total,t3,,,,placeholder,/\r\n\
        某局,2023,2021,t3.partial.total,t3,,,,text,'=1+1\r\n";

    #[test]
    fn long_form_reads_states_units_and_guarded_text() {
        let got = read_csv("a.csv", LONG.as_bytes()).expect("read");
        assert_eq!(got.len(), 1);
        let r = &got[0].report;
        assert_eq!(r.cell("t3.new_received.total"), &Cell::number(3));
        assert_eq!(r.cell("t3.granted.total"), &Cell::Placeholder { raw: "/".into() });
        assert_eq!(r.cell("t3.partial.total"), &Cell::Text { raw: "=1+1".into() });
        match r.cell("t2.fees.amount") {
            Cell::Number { value, unit, .. } => {
                assert_eq!(value.to_string(), "0.5");
                assert_eq!(*unit, Some(xxgk_model::MoneyUnit::WanYuan));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(r.cells.len(), catalogue(FormatVersion::V2021).cells().len());
        let loc = got[0].sources.get("t3.granted.total").expect("located");
        assert_eq!((loc.line, loc.column), (Some(4), Some(8)));
    }

    #[test]
    fn gbk_bytes_are_decoded() {
        let (gbk, _, _) = GB18030.encode(LONG);
        let got = read_csv("gbk.csv", &gbk).expect("read");
        assert_eq!(got[0].report.meta.agency, "某局");
        let marked = format!("\u{feff}{LONG}");
        let (with_bom, _, _) = GB18030.encode(&marked);
        assert!(with_bom.starts_with(&[0x84, 0x31, 0x95, 0x33]));
        let got = read_csv("gbk-bom.csv", &with_bom).expect("read");
        assert_eq!(got[0].report.meta.agency, "某局");
        // UTF-16 with its mark, as “Unicode text” is saved.
        let utf16: Vec<u8> = marked.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            read_csv("utf16.csv", &utf16).expect("read")[0].report.meta.agency,
            "某局"
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let bad = LONG.replace("t3.granted.total", "t2.regulations.total_published");
        let e = read_csv("b.csv", bad.as_bytes()).expect_err("unknown id");
        assert_eq!(e.describe(xxgk_model::Lang::Zh).split(": ").nth(1), Some("第4行第4列"));
        let bad = LONG.replace(",3,number", ",三,number");
        let e = read_csv("b.csv", bad.as_bytes()).expect_err("bad number");
        assert!(e.describe(xxgk_model::Lang::Zh).contains("第2行第8列"), "{e}");
        let bad = LONG.replace("2023,2021,t3.partial", "2023,2020,t3.partial");
        let e = read_csv("b.csv", bad.as_bytes()).expect_err("bad format");
        assert!(e.describe(xxgk_model::Lang::En).contains("line 5, column 3"), "{e}");
        let e = read_csv("c.csv", b"a,b\r\n1,2\r\n").expect_err("not ours");
        assert_eq!(e.kind, ErrorKind::Format);
        let e = read_csv("d.csv", b"\xff\xfe\x00").expect_err("broken UTF-16");
        assert_eq!(e.kind, ErrorKind::Syntax);
    }

    #[test]
    fn wide_form_skips_the_label_line_and_checks_ids() {
        let wide = "\u{feff}agency,region_code,year,format,t3.new_received.total,t2.regulations.total_published\r\n\
            机关名称,行政区划代码,年度,格式,表三 …,表三 …\r\n\
            甲局,230102,2023,2021,5,\r\n\
            乙局,,2020,2019,22（其中修订16件）,-\r\n";
        let got = read_csv("w.csv", wide.as_bytes()).expect("read");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].report.meta.region_code.as_deref(), Some("230102"));
        assert_eq!(got[0].report.cell("t3.new_received.total"), &Cell::number(5));
        assert_eq!(
            got[1].report.cell("t2.regulations.total_published"),
            &Cell::Placeholder { raw: "-".into() }
        );
        assert_eq!(
            got[1].report.cell("t3.new_received.total").raw_text(),
            "22（其中修订16件）"
        );
        let loc = got[1].sources.get("t2.regulations.total_published").expect("located");
        assert_eq!((loc.line, loc.column), (Some(4), Some(6)));
        // LF line ends read the same, lines counted alike.
        let lf = read_csv("w.csv", wide.replace("\r\n", "\n").as_bytes()).expect("LF");
        assert_eq!(
            lf[1].sources.get("t2.regulations.total_published"),
            got[1].sources.get("t2.regulations.total_published")
        );
        let twice = wide.replace(",t2.regulations.total_published\r\n", ",t3.new_received.total\r\n");
        let e = read_csv("w.csv", twice.as_bytes()).expect_err("a column twice");
        assert!(e.describe(xxgk_model::Lang::Zh).contains("第1行第6列"), "{e}");
        let bad = wide.replace("甲局,230102,2023,2021,5,", "甲局,230102,2023,2021,5,7");
        let e = read_csv("w.csv", bad.as_bytes()).expect_err("id of the other version");
        assert!(e.describe(xxgk_model::Lang::Zh).contains("第3行第6列"), "{e}");
    }
}
