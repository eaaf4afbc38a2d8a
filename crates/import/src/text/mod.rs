//! Reading the text of a published report (a portal page copied as text, Word saved as text,
//! PDF-to-text output, HTML with the tags stripped).
//!
//! The steps, one file each: `clean` (lines, traditional characters, page numbers), `outline`
//! (title, preamble, sections by heading), `meta` (agency, year, date, contact), `version`
//! (format from labels), `tokens` (labels and values whatever the line shape), `tables` (rows by
//! catalogue label), `recover` (digits run together, cut by the table's identities).
//! Every cell keeps its line; what cannot be read becomes an import finding naming the row and
//! the line, apart from the rule findings of `xxgk_model::rules`.

mod clean;
mod columns;
pub(crate) mod meta;
pub(crate) use meta::{chrome_date, labelled_date, parse_date};
mod order;
mod outline;
mod recover;
mod runs;
mod structure;
mod tables;
mod tokens;
mod version;

use crate::decode::decode;
use crate::labels::{comparable_catalogue_label, comparable_label};
use crate::{ErrorKind, ImportError, ImportOptions, Imported};
use clean::Line;
use tables::{Note, TableRead};
use xxgk_model::catalogue::{T3_BALANCE_NOTE, T4_GROUPS, T4_OUTCOMES};
use xxgk_model::{
    CellRef, Finding, Lang, Location, Meta, Origin, OriginKind, Report, SectionKind, Severity, SourceMap, Status,
    TableId, Text, catalogue,
};

/// Reads one report from the bytes of a text file (UTF-8, UTF-16 or GB18030/GBK).
pub(crate) fn read_text(file: &str, bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    let decoded = decode(bytes, None);
    let mut imported = read_str(file, &decoded.text, opts)?;
    if decoded.had_errors {
        imported.findings.insert(0, encoding_finding(decoded.encoding));
    }
    Ok(imported)
}

/// A finding saying that some bytes could not be decoded.
pub(crate) fn encoding_finding(encoding: &str) -> Finding {
    import_finding(
        "IMPORT-ENCODING",
        Severity::Warning,
        Status::Fail,
        None,
        None,
        Text::new(
            format!("部分字节不是有效的{encoding}编码，已替换为“�”；相关文字或数值可能有误"),
            format!("some bytes are not valid {encoding} and were replaced by “�”; text or values there may be wrong"),
        ),
    )
}

fn import_finding(
    rule: &'static str,
    severity: Severity,
    status: Status,
    table: Option<TableId>,
    subject: Option<String>,
    message: Text,
) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        status,
        table,
        subject: subject.map(Into::into),
        cells: Vec::new(),
        expected: None,
        found: None,
        message: message.into(),
    }
}

/// Reads one report from decoded text.
pub(crate) fn read_str(file: &str, text: &str, opts: &ImportOptions) -> Result<Imported, ImportError> {
    // Each line costs a few microseconds and a few hundred bytes however short it is: 16 MiB of
    // two-character lines took 5 s and 516 MB. Lines are counted before any is cleaned; a
    // report has a few hundred.
    let line_count = memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64 + 1;
    if line_count > opts.max_text_lines {
        return Err(crate::limits::exceeded(
            file,
            None,
            "文本的行数",
            "the number of lines of the text",
            line_count,
            opts.max_text_lines,
            "--max-text-lines",
        ));
    }
    // Each number or label of a table costs microseconds and a few hundred bytes: 16 MiB of
    // `1 2 3 …` took 3 s and 1.9 GB. A report's text is a few tens of KB.
    if text.len() as u64 > opts.max_report_bytes {
        return Err(crate::limits::exceeded(
            file,
            None,
            "报告文字的字节数",
            "the size of the report's text in bytes",
            text.len(),
            opts.max_report_bytes,
            "--max-report-bytes",
        ));
    }
    let (lines, cleaning) = clean::clean(text);
    if lines.iter().all(|l| l.text.trim().is_empty()) {
        return Err(ImportError::new(
            file,
            ErrorKind::Missing,
            None,
            "文件为空",
            "the file is empty",
        ));
    }
    // Crawler metadata before the page text, page chrome, headings inside long lines.
    let crawled = structure::crawler_fields(&lines);
    let mut lines = structure::split_run_on(lines[crawled.skipped..].to_vec());
    for line in lines.iter_mut().take(3) {
        if let Some(kept) = structure::strip_chrome(&line.text, crawled.title.as_deref()) {
            line.text = kept;
        } else {
            line.text.clear();
        }
    }
    let outline = outline::outline(&lines);
    let joined = |r: std::ops::Range<usize>| -> Vec<String> {
        lines[r]
            .iter()
            .map(|l| l.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let page_title: String = joined(outline.title.clone())
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // The crawler's title field is the page's own title; the lines are the fallback.
    let (title, title_origin) = match &crawled.title {
        Some(t) if meta::agency_and_year(t).1.is_some() => (
            t.chars().filter(|c| !c.is_whitespace()).collect(),
            Origin::new(OriginKind::Field, "标题"),
        ),
        _ => (
            page_title,
            Origin::new(
                OriginKind::Title,
                format!("第{}行", lines.get(outline.title.start).map_or(1, |l| l.no)),
            ),
        ),
    };
    let preamble = joined(outline.preamble.clone()).join("\n");
    let (mut agency, mut year) = meta::agency_and_year(&title);
    let mut agency_origin = agency.as_ref().map(|_| title_origin.clone());
    if agency.is_none() {
        agency = crawled.agency.clone().filter(|a| !a.is_empty());
        agency_origin = agency.as_ref().map(|_| Origin::new(OriginKind::Field, "发布机构"));
    }
    let mut year_origin = year.map(|_| title_origin.clone());
    if year.is_none() {
        let general = outline
            .body(SectionKind::General)
            .map(|r| joined(r).join("\n"))
            .unwrap_or_default();
        year = meta::year_from_period(&format!("{preamble}\n{general}"));
        year_origin = year.map(|_| Origin::new(OriginKind::Text, "统计期限"));
    }
    // An unknown year does not stop the tables: `metadata::complete` looks further and says so.
    let norm_all: String = lines.iter().map(|l| comparable_label(&l.text)).collect();
    let version = version::detect(&norm_all, year);
    let cat = catalogue(version);

    let mut findings = Vec::new();
    if cleaning.converted_traditional {
        findings.push(import_finding(
            "IMPORT-TRADITIONAL",
            Severity::Info,
            Status::Pass,
            None,
            None,
            Text::new(
                "报告为繁体字，已转换为简体字后读取",
                "the report is in traditional characters and was converted to simplified",
            ),
        ));
    }
    if let Some(line) = second_report(&outline, &lines) {
        findings.push(import_finding(
            "IMPORT-SECOND-REPORT",
            Severity::Warning,
            Status::Fail,
            None,
            None,
            Text::new(
                format!("第{line}行起各部分标题从头再来一遍：文件中似乎还有一份报告，只读取了第一份，后面的内容只作为正文保留；请把每份报告分开成单独的文件"),
                format!(
                    "from line {line} the section headings start over: the file seems to hold another report; only the first was read, the rest is kept as text. Put each report in a file of its own"
                ),
            ),
        ));
    }
    if outline.sections.is_empty() {
        findings.push(import_finding(
            "IMPORT-OUTLINE",
            Severity::Warning,
            Status::Fail,
            None,
            None,
            Text::new(
                "未找到任何部分标题（如“一、总体情况”），按全文查找表格",
                "no section heading (such as “一、总体情况”) was found; the tables were looked for in the whole text",
            ),
        ));
    }

    let mut report = Report::new(Meta::new(agency.clone().unwrap_or_default(), 0, version));
    report.meta.year = year;
    report.meta.origins.year = year_origin;
    report.meta.origins.agency = agency_origin;
    if agency.is_none() {
        findings.push(import_finding(
            "IMPORT-META",
            Severity::Warning,
            Status::Fail,
            None,
            None,
            Text::new(
                "未能从标题识别机关名称",
                "the agency's name could not be read from the title",
            ),
        ));
    }
    report.meta.title = (!title.is_empty()).then(|| title.clone());
    report.meta.source = Some(file.to_string());
    report.preamble = (!preamble.is_empty()).then(|| preamble.clone());
    report.meta.contact = meta::contact(&preamble).or_else(|| meta::contact(text));
    report.meta.published = crawled
        .published
        .clone()
        .or_else(|| lines.iter().find_map(|l| meta::labelled_date(&l.text)))
        .or_else(|| lines.iter().find_map(|l| meta::chrome_date(&l.text)));

    // Tables.
    let mut sources = SourceMap::default();
    let mut notes: Vec<Note> = Vec::new();
    let mut t3_last_line = 0u64;
    let all_text: String = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("\n");
    let stated = order::stated_t4(&all_text);
    let stated_t2 = order::stated_t2(&all_text, report.meta.format);
    for table in TableId::ALL {
        let mut region = table_region(&outline, table.section(), lines.len());
        if table == TableId::T4 && outline.body(SectionKind::Remedies).is_none() {
            // Table 4 has no row labels: without its heading, only values after table 3 are its.
            let after_t3 = lines.iter().position(|l| l.no > t3_last_line).unwrap_or(lines.len());
            region = region.start.max(after_t3)..region.end.max(after_t3);
            if t3_last_line == 0 {
                region = region.end..region.end;
            }
        }
        let body = &lines[region.clone()];
        let read = read_table(
            table,
            cat,
            body,
            outline_heading_line(&outline, &lines, table.section()),
            &stated,
            &stated_t2,
        );
        if table == TableId::T3 {
            t3_last_line = read.cells.iter().map(|c| c.2).max().unwrap_or(0);
        }
        let mut read = read;
        if let Some(note) = columns::misordered(table, cat, body, &read) {
            read.cells.clear();
            read.notes.push(note);
        }
        let TableRead { cells, notes: n } = read;
        for (id, cell, line) in cells {
            sources.insert(id.clone(), Location::line(line));
            report.cells.set(id, cell);
        }
        notes.extend(n);
    }
    report.normalize_cells();

    // Sections.
    for (kind, at, body) in &outline.sections {
        let heading = lines[*at].text.trim().to_string();
        let text = match kind.table() {
            Some(table) => table_prose(table, cat, &lines[body.clone()]).join("\n"),
            None => joined(body.clone()).join("\n"),
        };
        *report.sections.slot(*kind) = Some(xxgk_model::Section { heading, text });
    }
    take_signature(&mut report);

    findings.extend(notes_to_findings(&report, notes, &sources));
    Ok(Imported {
        report,
        sources,
        findings,
    })
}

/// The line where a second report begins: the first section's heading again, numbered as a
/// section, after the last section heading of a report whose outline was found (three sections
/// or more). The outline takes each heading once, so a second report in the same file would
/// otherwise be read as the first one's last section.
fn second_report(outline: &outline::Outline, lines: &[Line]) -> Option<u64> {
    if outline.sections.len() < 3 {
        return None;
    }
    let (first, _, _) = outline.sections.first()?;
    let (_, last, _) = outline.sections.last()?;
    lines
        .iter()
        .skip(last + 1)
        .find(|l| outline::heading_kind(&l.text) == Some(*first) && !comparable_label(&l.text).starts_with('('))
        .map(|l| l.no)
}

/// The lines in which a table is looked for: its section, or, when the heading is missing,
/// everything between the neighbouring headings that were found.
fn table_region(outline: &outline::Outline, kind: SectionKind, len: usize) -> std::ops::Range<usize> {
    if let Some(body) = outline.body(kind) {
        return body;
    }
    let before = outline
        .sections
        .iter()
        .filter(|s| s.0 < kind)
        .map(|s| s.1 + 1)
        .max()
        .unwrap_or(0);
    let after = outline
        .sections
        .iter()
        .filter(|s| s.0 > kind)
        .map(|s| s.1)
        .min()
        .unwrap_or(len);
    before..after.max(before)
}

fn outline_heading_line(outline: &outline::Outline, lines: &[Line], kind: SectionKind) -> u64 {
    outline
        .sections
        .iter()
        .find(|s| s.0 == kind)
        .and_then(|s| lines.get(s.1))
        .map_or(1, |l| l.no)
}

fn read_table(
    table: TableId,
    cat: &'static xxgk_model::catalogue::Catalogue,
    body: &[Line],
    heading_line: u64,
    stated: &[order::Stated],
    stated_t2: &[(String, u64)],
) -> TableRead {
    match table {
        TableId::T4 => {
            let heads: Vec<&str> = T4_OUTCOMES
                .iter()
                .map(|o| comparable_catalogue_label(o.label.zh))
                .chain(T4_GROUPS.iter().map(|g| comparable_catalogue_label(g.label.zh)))
                .collect();
            let splittable = move |l: &str| heads.iter().any(|h| l.ends_with(h));
            let segs = tokens::segments(body, &splittable);
            tables::read_t4(&segs, heading_line, stated)
        }
        _ => {
            let mut rows = std::borrow::Cow::Borrowed(tables::row_specs(cat, table));
            let read = |rows: &[tables::RowSpec]| {
                let splittable = |l: &str| tables::row_at_end(l, rows).is_some();
                let segs = tokens::segments(body, &splittable);
                tables::read_rows(table, &segs, rows, stated_t2)
            };
            let mut first = read(&rows);
            if table == TableId::T3 {
                // A group printed as one row (（三）–（六） without their sub-rows): read again with
                // the group's own row, kept only where the group alone was printed. A group kept
                // stays among the rows when the next is tried.
                let mut taken = Vec::new();
                for g in cat.t3_groups {
                    // Only where some of the table was read and the group's label is printed: a
                    // page without the table is not read twice.
                    let label = comparable_catalogue_label(g.label.zh);
                    if first.cells.is_empty() || !body.iter().any(|l| comparable_label(&l.text).contains(label)) {
                        continue;
                    }
                    let sub_rows_missing = g.parts.iter().all(|p| {
                        let total = xxgk_model::catalogue::t3_id(p, xxgk_model::catalogue::T3_TOTAL);
                        first
                            .notes
                            .iter()
                            .any(|n| n.rule == "IMPORT-MISSING-ROW" && n.ids.contains(&total))
                    });
                    if sub_rows_missing {
                        let mut with_group = rows.to_vec();
                        with_group.push(tables::group_spec(g, &rows));
                        let second = read(&with_group);
                        if tables::group_row_fits(g, &first, &second) {
                            first = second;
                            rows = std::borrow::Cow::Owned(with_group);
                            taken.push(g);
                        }
                    }
                }
                for g in taken {
                    tables::name_group_row(g, &mut first);
                }
            }
            first
        }
    }
}

/// Text written beside a table (“该部分以表格形式报告”, notes under the table): sentences that
/// are neither a label of the table nor a row with values.
fn table_prose(table: TableId, cat: &'static xxgk_model::catalogue::Catalogue, body: &[Line]) -> Vec<String> {
    let rows = tables::row_specs(cat, table);
    let note = comparable_catalogue_label(T3_BALANCE_NOTE.zh);
    body.iter()
        .filter_map(|l| {
            let t = l.text.trim();
            // The cheap tests first: most lines of a table are no sentence, and matching a line
            // against every row label was half of reading a report's text.
            if !t.contains(['。', '，', '；', '：']) || l.text.contains('\t') || t.starts_with(['|', '｜']) {
                return None;
            }
            // Columns set apart by runs of spaces (`pdftotext -layout`) are a table's lines, not prose.
            if t.contains("   ") {
                return None;
            }
            let has_values = t.split(['\t', '|', ' ']).filter(|w| !w.trim().is_empty()).count() > 1
                && t.split(['\t', '|', ' ']).any(|w| tokens::is_value_text(w.trim()));
            let norm = comparable_label(t);
            if has_values || norm.chars().count() < 8 {
                return None;
            }
            // Column headings of table 2 (“本年收费金额（单位：万元）”) and table rows in pipes.
            let heading = cat
                .t2_blocks
                .iter()
                .flat_map(|b| b.columns.iter().map(|c| comparable_catalogue_label(c.label.zh)))
                .any(|c| norm.contains(c));
            let label = heading
                || note.contains(norm.as_str())
                || norm.contains(note)
                || tables::match_row(&norm, rows).is_some();
            (!label).then(|| t.to_string())
        })
        .collect()
}

/// A date under the signature at the end of the last section is the publication date; it and the
/// signature above it are not part of the section's text.
fn take_signature(report: &mut Report) {
    let last_kind = SectionKind::ALL
        .into_iter()
        .rev()
        .find(|k| report.sections.get(*k).is_some());
    let Some(kind) = last_kind else { return };
    let Some(section) = report.sections.slot(kind).as_mut() else {
        return;
    };
    let mut paras: Vec<String> = section.text.split('\n').map(str::to_string).collect();
    let Some(date) = paras.last().and_then(|p| meta::parse_date(p)) else {
        return;
    };
    paras.pop();
    // The signature above the date: a short line that is no sentence (often a shortened name).
    if let Some(last) = paras.last()
        && comparable_label(last).chars().count() <= 30
        && !last.contains(['。', '，', '；', ',', ';', '：'])
    {
        paras.pop();
    }
    section.text = paras.join("\n");
    if report.meta.published.is_none() {
        report.meta.published = Some(date);
    }
}

fn notes_to_findings(report: &Report, notes: Vec<Note>, sources: &SourceMap) -> Vec<Finding> {
    let mut out = Vec::new();
    // A table none of whose rows was found is one finding, not one per row.
    for table in TableId::ALL {
        let of_table: Vec<&Note> = notes.iter().filter(|n| n.table == table).collect();
        let rows = match table {
            TableId::T4 => 1,
            _ => tables::row_specs(catalogue(report.meta.format), table).len(),
        };
        let missing = of_table.iter().filter(|n| n.rule == "IMPORT-MISSING-ROW").count();
        if missing == rows && rows > 1 {
            out.push(import_finding(
                "IMPORT-MISSING-TABLE",
                Severity::Error,
                Status::Fail,
                Some(table),
                Some(table.name(Lang::Zh).to_string()),
                Text::new(
                    format!("未找到{}（报告可能被截断或表格缺失）", table.name(Lang::Zh)),
                    format!(
                        "{} was not found (the report may be cut off or the table missing)",
                        table.name(Lang::En)
                    ),
                ),
            ));
        }
    }
    let missing_tables: Vec<TableId> = out.iter().filter_map(|f| f.table).collect();
    for n in notes {
        let missing_all = n.rule == "IMPORT-MISSING-ROW" && missing_tables.contains(&n.table);
        if missing_all {
            continue;
        }
        let (severity, status) = match (n.unread, n.rule) {
            (true, _) => (Severity::Error, Status::Fail),
            (
                false,
                "IMPORT-SPLIT" | "IMPORT-LABEL-VARIANT" | "IMPORT-SPACED" | "IMPORT-ORDER" | "IMPORT-GROUP-ROW",
            ) => (Severity::Info, Status::Pass),
            (false, _) => (Severity::Warning, Status::Fail),
        };
        let cells = n
            .ids
            .iter()
            .map(|id| {
                let mut r = CellRef::of(report, id);
                r.location = sources
                    .get_shared(id)
                    .cloned()
                    .or_else(|| n.line.map(|l| Location::line(l).into()));
                r
            })
            .collect();
        out.push(Finding {
            rule: n.rule.into(),
            severity,
            status,
            table: Some(n.table),
            subject: Some(n.subject.into()),
            cells,
            expected: None,
            found: None,
            message: Text::new(n.zh, n.en).into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A crawler's metadata says what the page's words leave out: the agency when the title names
    /// none, and the publication date; the metadata lines are neither title nor preamble.
    #[test]
    fn crawler_metadata_fills_what_the_title_leaves_out() {
        let text = "标题: 2023年政府信息公开工作年度报告\n发布时间: 2024-01-31 09:00\n发布机构: 某县某局\n==== 正文 ====\n本报告根据《条例》编制。\n一、总体情况\n2023年，我局……\n";
        let got = read_str("crawled.txt", text, &ImportOptions::default()).expect("read");
        assert_eq!(got.report.meta.year, Some(2023));
        assert_eq!(got.report.meta.agency, "某县某局");
        assert_eq!(got.report.meta.published.as_deref(), Some("2024-01-31"));
        assert_eq!(got.report.preamble.as_deref(), Some("本报告根据《条例》编制。"));
        // The title's own agency stands over the publishing body's name.
        let text = text.replace("标题: 2023年", "标题: 某县某局办公室2023年");
        let got = read_str("crawled.txt", &text, &ImportOptions::default()).expect("read");
        assert_eq!(got.report.meta.agency, "某县某局办公室");
    }

    /// A 2021-form report (the seed, one cell per line) that prints a group of table 3 as one row
    /// without its sub-rows — each of （三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理
    /// alone, then all four: each row is read as printed into the group's own cells, nothing is
    /// spread over the sub-rows (left blank and named once per group), and the rows around it are
    /// read as printed.
    /// Two reports in one file: the second is said to be there (its line named), not silently
    /// taken as the first one's last section.
    #[test]
    fn a_second_report_in_the_file_is_named() {
        let seed = include_str!("../../../../tests/fixtures/seed-2023-daoli.txt");
        let second = |text: &str| -> Vec<String> {
            read_str("two.txt", text, &ImportOptions::default())
                .expect("read")
                .findings
                .iter()
                .filter(|f| f.rule == "IMPORT-SECOND-REPORT")
                .map(|f| f.text(Lang::Zh).into_owned())
                .collect()
        };
        assert!(second(seed).is_empty());
        let first = seed.trim_end();
        let lines = first.lines().count();
        let found = second(&format!("{first}\n{seed}"));
        assert_eq!(found.len(), 1, "{found:?}");
        let at = seed.lines().position(|l| l.trim() == "一、总体情况").expect("heading") + 1;
        assert!(found[0].starts_with(&format!("第{}行", lines + at)), "{}", found[0]);
    }

    /// A header that prints a table's columns in another order than the form refuses the table
    /// (the text's rows hold only numbers, taken in the form's order); prose naming the columns
    /// in any order before the table does not.
    #[test]
    fn columns_printed_in_another_order_refuse_the_table() {
        let seed = include_str!("../../../../tests/fixtures/seed-2023-daoli.txt");
        let swap = |a: &str, b: &str| -> String {
            let (a, b) = (format!("\t{a}"), format!("\t{b}"));
            seed.lines()
                .map(|l| {
                    if l == a {
                        b.as_str()
                    } else if l == b {
                        a.as_str()
                    } else {
                        l
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let read = |text: &str| read_str("order.txt", text, &ImportOptions::default()).expect("read");
        let refused = |got: &Imported| -> Vec<Option<TableId>> {
            got.findings
                .iter()
                .filter(|f| f.rule == columns::COLUMN_ORDER_RULE)
                .map(|f| f.table)
                .collect()
        };
        let seed_read = read(seed);
        assert!(refused(&seed_read).is_empty());
        for (a, b, table, cell) in [
            ("自然人", "总计", TableId::T3, "t3.new_received.natural_person"),
            ("本年制发件数", "现行有效件数", TableId::T2, "t2.regulations.made"),
            ("未经复议直接起诉", "复议后起诉", TableId::T4, "t4.lit_direct.upheld"),
        ] {
            let got = read(&swap(a, b));
            assert_eq!(refused(&got), vec![Some(table)], "{a} ↔ {b}");
            assert!(matches!(got.report.cells.get(cell), xxgk_model::Cell::Blank), "{cell}");
            let f = got
                .findings
                .iter()
                .find(|f| f.rule == columns::COLUMN_ORDER_RULE)
                .expect("finding");
            assert_eq!(f.severity, Severity::Error);
            let message = f.text(Lang::Zh);
            assert!(message.contains(a) && message.contains(b), "{message}");
        }
        // A sentence before the table naming 总计 before 自然人 is prose, not the header.
        let heading = "三、收到和处理政府信息公开申请情况";
        let prose = seed.replacen(
            heading,
            &format!("{heading}\n本年度收到申请总计5件，其中自然人申请5件。"),
            1,
        );
        assert_ne!(prose, seed);
        let got = read(&prose);
        assert!(refused(&got).is_empty());
        assert_eq!(
            got.report.cells.get("t3.new_received.natural_person"),
            seed_read.report.cells.get("t3.new_received.natural_person")
        );
    }

    #[test]
    fn a_group_printed_as_one_row_is_read_as_the_group() {
        use xxgk_model::catalogue::{T3_COLUMNS, T3Group, catalogue, t3_id};
        let seed = include_str!("../../../../tests/fixtures/seed-2023-daoli.txt");
        let lines: Vec<&str> = seed.lines().collect();
        let at = |label: &str| {
            lines
                .iter()
                .position(|l| l.trim() == label)
                .unwrap_or_else(|| panic!("{label} in the seed"))
        };
        let groups = catalogue(xxgk_model::FormatVersion::V2021).t3_groups;
        let mut sets: Vec<Vec<&T3Group>> = groups.iter().map(|g| vec![g]).collect();
        sets.push(groups.iter().collect());
        // Distinct figures, so that a value in the wrong column shows.
        let row = ["\t1", "\t2", "\t3", "\t4", "\t5", "\t6", "\t21", "", "\t"];
        for set in sets {
            let mut text: Vec<&str> = Vec::new();
            let mut from = 0;
            for g in &set {
                let i = groups.iter().position(|x| x.key == g.key).expect("group");
                let next = groups.get(i + 1).map_or("（七）总计", |n| n.label.zh);
                text.extend(&lines[from..=at(g.label.zh)]);
                text.extend(row);
                from = at(next);
            }
            text.extend(&lines[from..]);
            let got = read_str("groups.txt", &text.join("\n"), &ImportOptions::default()).expect("read");
            let cells = &got.report.cells;
            let value = |id: &str| cells.get(id).value().map(|n| n.to_string());
            for g in &set {
                let read: Vec<Option<String>> = T3_COLUMNS.iter().map(|c| value(&t3_id(g.key, c.key))).collect();
                let want: Vec<Option<String>> = ["1", "2", "3", "4", "5", "6", "21"]
                    .map(|v| Some(v.to_string()))
                    .to_vec();
                assert_eq!(read, want, "{}", g.key);
                for p in g.parts {
                    for c in &T3_COLUMNS {
                        let id = t3_id(p, c.key);
                        assert!(
                            matches!(cells.get(&id), xxgk_model::Cell::Blank),
                            "{id} must stay blank"
                        );
                    }
                }
                let named: Vec<_> = got
                    .findings
                    .iter()
                    .filter(|f| f.rule == "IMPORT-GROUP-ROW" && f.subject_label().as_deref() == Some(g.label.zh))
                    .collect();
                assert_eq!(named.len(), 1, "{} is named once", g.key);
                assert_eq!(
                    named[0].cells.len(),
                    7 * g.parts.len(),
                    "it names the sub-rows' cells it leaves blank"
                );
                assert!(named[0].texts().zh.contains("不作拆分"), "{}", named[0].texts().zh);
            }
            assert!(
                !got.findings
                    .iter()
                    .any(|f| f.rule == "IMPORT-EXTRA-ROW" || f.rule == "IMPORT-MISSING-ROW"),
                "{:#?}",
                got.findings
            );
            // The rows around the groups are read as the seed prints them.
            assert_eq!(value("t3.partial.total").as_deref(), Some("0"));
            assert_eq!(value("t3.results_total.total").as_deref(), Some("0"));
        }
    }

    /// The same row printed above the three sub-rows it sums is not read as the group: the
    /// sub-rows are the form's, the extra row is named, and the group's cells stay empty.
    #[test]
    fn a_group_row_printed_with_its_sub_rows_is_named_not_read() {
        let seed = include_str!("../../../../tests/fixtures/seed-2023-daoli.txt");
        let lines: Vec<&str> = seed.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.trim() == "（六）其他处理")
            .expect("（六） in the seed");
        let mut text: Vec<&str> = lines[..=start].to_vec();
        text.extend(["\t9"; 7]);
        text.extend(&lines[start + 1..]);
        let got = read_str("six.txt", &text.join("\n"), &ImportOptions::default()).expect("read");
        assert!(
            got.report
                .cells
                .0
                .keys()
                .all(|id| !(id.starts_with("t3.other.") && id.split('.').count() == 3))
        );
        assert!(got.report.cells.get("t3.other.other.total").value().is_some());
        assert!(
            got.findings.iter().any(|f| f.rule == "IMPORT-EXTRA-ROW"),
            "{:#?}",
            got.findings
        );
        assert!(!got.findings.iter().any(|f| f.rule == "IMPORT-GROUP-ROW"));
    }

    #[test]
    fn a_tab_separated_table_4_row_keeps_its_trailing_empty_cells_as_blanks() {
        let seed = include_str!("../../../../tests/fixtures/seed-2023-daoli.txt");
        let lines: Vec<&str> = seed.lines().collect();
        let t4 = lines
            .iter()
            .position(|l| l.trim() == "四、政府信息公开行政复议、行政诉讼情况")
            .expect("table 4 heading");
        let t5 = lines
            .iter()
            .position(|l| l.trim().starts_with("五、"))
            .expect("section 五");
        let mut text: Vec<&str> = lines[..=t4].to_vec();
        text.push("行政复议\t\t\t\t\t行政诉讼");
        text.push("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉");
        // Only 行政复议 filled in; the ten litigation cells left empty at the end of the row.
        text.push("2\t1\t0\t0\t3\t\t\t\t\t\t\t\t\t\t");
        text.extend(&lines[t5..]);
        let got = read_str("tabs.txt", &text.join("\n"), &ImportOptions::default()).expect("read");
        let cells = &got.report.cells;
        let review: Vec<Option<String>> = ["upheld", "corrected", "other", "pending", "total"]
            .iter()
            .map(|o| cells.get(&format!("t4.review.{o}")).value().map(|n| n.to_string()))
            .collect();
        assert_eq!(review, ["2", "1", "0", "0", "3"].map(|s| Some(s.to_string())).to_vec());
        for g in ["lit_direct", "lit_after_review"] {
            for o in ["upheld", "corrected", "other", "pending", "total"] {
                let id = format!("t4.{g}.{o}");
                assert!(
                    matches!(cells.get(&id), xxgk_model::Cell::Blank),
                    "{id}: {:?}",
                    cells.get(&id)
                );
                assert!(
                    got.sources.get(&id).is_some(),
                    "{id} is read as a blank cell of the row"
                );
            }
        }
        assert!(
            !got.findings
                .iter()
                .any(|f| f.rule == "IMPORT-ROW" && f.table == Some(TableId::T4)),
            "no 应有15个数值 finding"
        );
    }
}
