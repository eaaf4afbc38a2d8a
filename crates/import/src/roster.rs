//! Reading the list of units that must report (单位名单) from a workbook (xlsx, xls, ods) or a
//! CSV: a header row names the columns (单位名称 required; 行政区划代码 or 统一社会信用代码, 行政级别,
//! 上级单位 optional, by the headers of [`RosterColumn::headers`]), and each row below it is a unit.
//! The sheet named 单位名单 is read first, then the others in order.
//!
//! Nothing is guessed: a code that is not a 6- or 12-digit 行政区划代码 or an 18-character
//! 统一社会信用代码 (an 18-digit code typed as a number and shown as `9.1E+17`), a level that is
//! not one of the form's, a row with a code but no name, two code columns, and the same unit
//! listed twice are refused, naming the cell.

use crate::grid::Grid;
use crate::labels::comparable_label;
use crate::{ErrorKind, ImportError, ImportOptions, spreadsheet};
use xxgk_model::catalogue::ADMIN_LEVELS;
use xxgk_model::roster::{ROSTER_SHEET, Roster, RosterColumn, RosterUnit, is_valid_code};
use xxgk_model::{AdminLevel, Lang, Location};

/// Rows searched for the header row at the top of a sheet.
const HEADER_ROWS: u32 = 20;
/// Columns searched for the headers.
const HEADER_COLS: u32 = 40;

/// Reads a roster from a workbook or a CSV file's bytes; `file` names it in errors and in the
/// roster.
pub fn read_roster(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Roster, ImportError> {
    crate::check_size(file, bytes.len() as u64, opts)?;
    const CFB: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    let sheets: Vec<Sheet> = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&CFB) {
        spreadsheet::read_grids_with(file, bytes, opts)?
            .into_iter()
            .map(|grid| Sheet { grid, lines: None })
            .collect()
    } else {
        vec![csv_grid(file, bytes, opts)?]
    };
    let mut order: Vec<&Sheet> = sheets.iter().filter(|s| s.grid.name() == ROSTER_SHEET).collect();
    order.extend(sheets.iter().filter(|s| s.grid.name() != ROSTER_SHEET));
    for s in order {
        if let Some(columns) = header(file, s)? {
            return units(file, s, &columns);
        }
    }
    let names = RosterColumn::Name.headers().join("”“");
    Err(ImportError::new(
        file,
        ErrorKind::Missing,
        None,
        format!(
            "名单中没有找到表头行：前 {HEADER_ROWS} 行应有一列表头为“{names}”之一（可用 xxgk template --roster 生成名单表）"
        ),
        format!(
            "no header row in the list: one of the first {HEADER_ROWS} rows should have a column headed “{}” (xxgk template --roster writes the form)",
            RosterColumn::Name.headers()[0]
        ),
    ))
}

/// A sheet of the list: a workbook's sheet, or a CSV file with the line of each row.
struct Sheet {
    grid: Grid,
    lines: Option<Vec<u64>>,
}

impl Sheet {
    /// Where (row, col) is: its cell, or for a CSV its line and column (an empty field too).
    fn place(&self, row: u32, col: u32) -> Location {
        match self.lines.as_ref().and_then(|l| l.get(row as usize)) {
            Some(&line) => Location {
                line: Some(line),
                column: Some(u64::from(col) + 1),
                ..Default::default()
            },
            None => self.grid.location(row, col),
        }
    }
}

/// A CSV file as a grid, each row with its line (blank lines are not rows).
fn csv_grid(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Sheet, ImportError> {
    let decoded = crate::decode(bytes, None);
    if decoded.had_errors {
        return Err(ImportError::new(
            file,
            ErrorKind::Syntax,
            None,
            "名单文件不是可识别的文本（UTF-8 或 GBK）或工作簿",
            "the list is neither readable text (UTF-8 or GBK) nor a workbook",
        ));
    }
    let text = decoded.text;
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = Grid::new(file);
    let mut lines: Vec<u64> = Vec::new();
    // Lines counted from the records' byte offsets (the reader does not count blank lines).
    let (mut counted_to, mut line_at) = (0usize, 1u64);
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            ImportError::new(
                file,
                ErrorKind::Syntax,
                line.map(Location::line),
                format!("CSV 格式错误：{e}"),
                format!("malformed CSV: {e}"),
            )
        })?;
        let mut start = record
            .position()
            .map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(counted_to));
        // A record's position is where the reader began, before the blank lines it skipped.
        while matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        if let Some(between) = text.as_bytes().get(counted_to..start) {
            line_at += between.iter().filter(|&&b| b == b'\n').count() as u64;
            counted_to = start;
        }
        let line = line_at;
        lines.push(line);
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        if row >= opts.max_rows || record.len() as u64 > u64::from(opts.max_columns) {
            return Err(ImportError::new(
                file,
                ErrorKind::Limit,
                Some(Location::line(line)),
                format!(
                    "名单超过行数或列数上限（{} 行，{} 列）",
                    opts.max_rows, opts.max_columns
                ),
                format!(
                    "the list exceeds the row or column limit ({} rows, {} columns)",
                    opts.max_rows, opts.max_columns
                ),
            ));
        }
        for (col, field) in record.iter().enumerate() {
            let at = Location {
                line: Some(line),
                column: Some(col as u64 + 1),
                ..Default::default()
            };
            if field.chars().count() > opts.max_cell_chars {
                return Err(ImportError::new(
                    file,
                    ErrorKind::Limit,
                    Some(at),
                    format!("单元格超过 {} 个字符", opts.max_cell_chars),
                    format!("a cell longer than {} characters", opts.max_cell_chars),
                ));
            }
            grid.set(row, col as u32, field, Some(at));
        }
    }
    Ok(Sheet {
        grid,
        lines: Some(lines),
    })
}

/// A header in a comparable form: spaces, a required-field star and a closing colon aside, and
/// without a note in brackets after it (“单位名称（全称）”).
fn header_key(text: &str) -> String {
    let n = comparable_label(text);
    let n = n.trim_start_matches(['*', '＊']).to_string();
    match n.find(['（', '(']) {
        Some(i) if i > 0 => n[..i].to_string(),
        _ => n,
    }
}

/// The header row of a sheet and the column of each field, if the sheet has one.
/// The header row and the column of each field ([`RosterColumn::ALL`] order), where found.
type Header = (u32, [Option<u32>; 4]);

fn header(file: &str, s: &Sheet) -> Result<Option<Header>, ImportError> {
    let g = &s.grid;
    let (max_row, max_col) = g.extent();
    for r in 0..=max_row.min(HEADER_ROWS - 1) {
        let mut cols: [Option<u32>; 4] = [None; 4];
        for c in 0..=max_col.min(HEADER_COLS - 1) {
            let key = header_key(g.text(r, c));
            if key.is_empty() {
                continue;
            }
            let Some(k) = RosterColumn::ALL
                .iter()
                .position(|col| col.headers().iter().any(|h| comparable_label(h) == key))
            else {
                continue;
            };
            if let Some(before) = cols[k] {
                let (a, b) = (s.place(r, before).display(Lang::Zh), s.place(r, c).display(Lang::Zh));
                return Err(ImportError::new(
                    file,
                    ErrorKind::Shape,
                    Some(s.place(r, c)),
                    format!(
                        "表头中有两列都是“{}”（{a}、{b}）：请只保留一列，否则无法确定按哪一列对应",
                        RosterColumn::ALL[k].headers()[0]
                    ),
                    format!(
                        "two columns are headed “{}” ({a}, {b}): keep one, or which to match by is not known",
                        RosterColumn::ALL[k].label(Lang::En)
                    ),
                ));
            }
            cols[k] = Some(c);
        }
        if cols[0].is_some() {
            return Ok(Some((r, cols)));
        }
    }
    Ok(None)
}

/// The level a cell names: one of the form's levels (Chinese or English), or the JSON name.
fn level_of(text: &str) -> Option<AdminLevel> {
    let key = comparable_label(text);
    ADMIN_LEVELS.iter().find_map(|(level, label)| {
        let json = serde_json::to_value(level).ok();
        let named = json.as_ref().and_then(|v| v.as_str()) == Some(text.trim());
        (comparable_label(label.zh) == key || label.en.eq_ignore_ascii_case(text.trim()) || named).then_some(*level)
    })
}

/// The units below the header row.
fn units(file: &str, s: &Sheet, (top, cols): &Header) -> Result<Roster, ImportError> {
    let g = &s.grid;
    let (max_row, _) = g.extent();
    let text = |r: u32, k: usize| {
        cols[k]
            .map(|c| g.text(r, c).trim().to_string())
            .filter(|t| !t.is_empty())
    };
    let place = |r: u32, k: usize| cols[k].map(|c| s.place(r, c));
    let mut out: Vec<RosterUnit> = Vec::new();
    for r in top + 1..=max_row {
        let [name, code, level, parent] = [0, 1, 2, 3].map(|k| text(r, k));
        let Some(name) = name else {
            if let Some((k, t)) = [(1, &code), (2, &level), (3, &parent)]
                .into_iter()
                .find_map(|(k, t)| t.as_ref().map(|t| (k, t)))
            {
                return Err(ImportError::new(
                    file,
                    ErrorKind::Missing,
                    place(r, 0),
                    format!(
                        "这一行没有单位名称，但“{}”填了“{t}”：请补上单位名称或删除这一行",
                        RosterColumn::ALL[k].headers()[0]
                    ),
                    format!(
                        "this row has no unit name, but its “{}” holds “{t}”: add the name or delete the row",
                        RosterColumn::ALL[k].label(Lang::En)
                    ),
                ));
            }
            continue;
        };
        if let Some(c) = &code
            && !is_valid_code(c)
        {
            return Err(ImportError::new(
                file,
                ErrorKind::Shape,
                place(r, 1),
                format!(
                    "代码“{c}”既不是 6 位或 12 位行政区划代码，也不是 18 位统一社会信用代码（18 位代码请以文本格式填写，不要让表格软件改成科学计数法）"
                ),
                format!(
                    "the code “{c}” is neither a 6- or 12-digit region code nor an 18-character credit code (type an 18-digit code as text, not as a number)"
                ),
            ));
        }
        let level = match level {
            None => None,
            Some(t) => match level_of(&t) {
                Some(l) => Some(l),
                None => {
                    let known: Vec<&str> = ADMIN_LEVELS.iter().map(|(_, l)| l.zh).collect();
                    let known_en: Vec<&str> = ADMIN_LEVELS.iter().map(|(_, l)| l.en).collect();
                    return Err(ImportError::new(
                        file,
                        ErrorKind::Shape,
                        place(r, 2),
                        format!("行政级别“{t}”不是以下之一：{}", known.join("、")),
                        format!("the level “{t}” is not one of: {}", known_en.join(", ")),
                    ));
                }
            },
        };
        let unit = RosterUnit {
            name,
            code,
            level,
            parent,
            place: place(r, 0),
        };
        let same = |u: &RosterUnit| {
            let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            bare(&u.name) == bare(&unit.name) && u.code == unit.code
        };
        if let Some(before) = out.iter().find(|u| same(u)) {
            let at = before.place.as_ref().map(|p| p.display(Lang::Zh)).unwrap_or_default();
            let at_en = before.place.as_ref().map(|p| p.display(Lang::En)).unwrap_or_default();
            return Err(ImportError::new(
                file,
                ErrorKind::Shape,
                unit.place.clone(),
                format!(
                    "单位“{}”在名单中出现两次（另见 {at}）：请删去一行，或填写能区分它们的代码",
                    unit.name
                ),
                format!(
                    "the unit “{}” is listed twice (also at {at_en}): delete one, or give codes that tell them apart",
                    unit.name
                ),
            ));
        }
        out.push(unit);
    }
    if out.is_empty() {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            Some(s.place(*top, cols[0].unwrap_or(0))),
            "名单的表头下没有任何单位",
            "the list has no unit below its header row",
        ));
    }
    Ok(Roster {
        file: file.to_string(),
        units: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str) -> Result<Roster, ImportError> {
        read_roster("名单.csv", csv.as_bytes(), &ImportOptions::default())
    }

    #[test]
    fn a_csv_list_is_read_with_its_places() {
        let r = read(
            "某区2023年度政府信息公开年报报送单位\n序号,单位名称（全称）,行政区划代码,行政级别,上级单位\n1,某区教育局,110101,县级,某区人民政府\n\n2,某区财政局,,,\n",
        )
        .expect("read");
        assert_eq!(r.units.len(), 2);
        assert_eq!(r.units[0].code.as_deref(), Some("110101"));
        assert_eq!(r.units[0].level, Some(AdminLevel::County));
        assert_eq!(r.units[0].parent.as_deref(), Some("某区人民政府"));
        assert_eq!(
            r.units[1].place.as_ref().map(|p| p.display(Lang::Zh)).as_deref(),
            Some("第5行第2列")
        );
    }

    #[test]
    fn what_cannot_be_read_is_refused_with_its_cell() {
        let cases = [
            ("单位名称,代码\n甲局,9.1110101E+17\n", "第2行第2列", "科学计数法"),
            ("单位名称,行政级别\n甲局,区级\n", "第2行第2列", "不是以下之一"),
            ("单位名称,代码\n,110101\n", "第2行第1列", "没有单位名称"),
            ("单位名称,代码\n甲局,110101\n甲 局,110101\n", "第3行第1列", "出现两次"),
            ("单位名称,行政区划代码,统一社会信用代码\n甲局,,\n", "第1行第3列", "两列"),
            ("名字,代码\n甲局,110101\n", "", "没有找到表头"),
            ("单位名称\n", "", "没有任何单位"),
        ];
        for (csv, at, says) in cases {
            let e = read(csv).expect_err(csv);
            let place = e.location.as_ref().map(|l| l.display(Lang::Zh)).unwrap_or_default();
            if !at.is_empty() {
                assert_eq!(place, at, "{csv}");
            }
            assert!(e.message.zh.contains(says), "{csv}: {}", e.message.zh);
        }
        // The same name under two codes is two units.
        let r = read("单位名称,代码\n教育局,110101\n教育局,110102\n").expect("two units");
        assert_eq!(r.units.len(), 2);
    }

    #[test]
    fn a_gbk_csv_is_read() {
        let (bytes, _, _) = encoding_rs::GBK.encode("单位名称\n某区教育局\n");
        let r = read_roster("名单.csv", &bytes, &ImportOptions::default()).expect("gbk");
        assert_eq!(r.units[0].name, "某区教育局");
    }
}
