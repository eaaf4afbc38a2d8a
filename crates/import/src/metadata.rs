//! The agency and the year wherever a person would find them, so that metadata never blocks the
//! tables: the file's own content first (each reader looks there), then the file's name and its
//! folders ("区教育局2023年报.xlsx", "2023年/教育局.xlsx"), then what the user supplied
//! (`--year`, `--agency`). Every report records where its year and agency came from; a value
//! the user supplied that the file contradicts loses to the file, with a finding naming both.

use crate::{ImportOptions, Imported};
use xxgk_model::{Finding, Origin, OriginKind, Severity, Status, Text};

/// The finding when the year is still unknown after every place was searched.
pub(crate) const UNKNOWN_YEAR_RULE: &str = "IMPORT-META-YEAR";
/// The finding when what the user supplied differs from what the file says.
pub(crate) const META_CONFLICT_RULE: &str = "IMPORT-META-CONFLICT";

/// The first plausible report year (2000–2100) written as four digits followed by 年 (or 年度),
/// with full-width digits read as digits. A year inside a longer number is not one.
pub(crate) fn year_in(text: &str) -> Option<u16> {
    // A year is followed by 年: a text without one (most cells of a workbook) holds none.
    if !text.contains('年') {
        return None;
    }
    let chars: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let four = &chars[i..i + 4];
        let starts = i == 0 || !chars[i - 1].is_ascii_digit();
        if !starts || !four.iter().all(char::is_ascii_digit) || chars.get(i + 4) != Some(&'年') {
            return None;
        }
        let y: u16 = four.iter().collect::<String>().parse().ok()?;
        (2000..=2100).contains(&y).then_some(y)
    })
}

/// A year written in a file or folder name, where "年" is often left out ("教育局-2023.xlsx",
/// "2023/教育局.xlsx"): four digits 2000–2100 standing alone (not part of a longer number).
fn year_in_name(name: &str) -> Option<u16> {
    if let Some(y) = year_in(name) {
        return Some(y);
    }
    let b: Vec<char> = name.chars().collect();
    let mut found = None;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: u16 = b[start..i].iter().collect::<String>().parse().ok()?;
                if (2000..=2100).contains(&y) {
                    // Two different years in one name (“2022-2023”) say nothing certain.
                    if found.is_some_and(|f| f != y) {
                        return None;
                    }
                    found = Some(y);
                }
            }
        } else {
            i += 1;
        }
    }
    found
}

/// The agency named by a file name such as "02-区教育局2023年报（修改后）.xlsx": the name
/// without its extension, numbering, year, the words of the report's title and notes in
/// brackets; `None` unless something that reads as an agency (ending in an agency word) is left.
fn agency_in_file_name(stem: &str) -> Option<String> {
    let mut s: String = stem.chars().filter(|c| !c.is_whitespace()).collect();
    // Notes in brackets: “（修改后）”, “(1)”.
    for (open, close) in [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']')] {
        while let (Some(a), Some(b)) = (s.find(open), s.find(close)) {
            if b < a {
                break;
            }
            s.replace_range(a..b + close.len_utf8(), "");
        }
    }
    // Leading numbering: “02-”, “3.”, “01_”.
    let s = s.trim_start_matches(|c: char| c.is_ascii_digit() || "-_.、 ".contains(c));
    let cut = [
        "政府信息公开",
        "政务公开",
        "信息公开",
        "年度报告",
        "年报",
        "统计表",
        "报表",
        "年度",
        "年",
    ]
    .iter()
    .filter_map(|w| s.find(w))
    .chain(s.char_indices().find(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i))
    .min()
    .unwrap_or(s.len());
    let agency = s[..cut].trim_matches(|c: char| "-_.、 ".contains(c));
    const AGENCY_ENDS: [&str; 14] = [
        "局", "委", "办", "厅", "部", "院", "府", "会", "所", "中心", "政府", "街道", "镇", "乡",
    ];
    (agency.chars().count() >= 2 && AGENCY_ENDS.iter().any(|e| agency.ends_with(e))).then(|| agency.to_string())
}

/// Fills in the agency and year that the reader did not find: from the file name, its folders,
/// then the user's `--year`/`--agency`; records where each came from; and says, as findings,
/// what is still unknown and where the user's value was overruled by the file.
pub(crate) fn complete(name: &str, one: &mut Imported, opts: &ImportOptions) {
    let path = std::path::Path::new(name);
    let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or(name);
    let stem = path.file_stem().and_then(|f| f.to_str()).unwrap_or(file_name);
    let meta = &mut one.report.meta;

    if meta.year.is_none() {
        if let Some(y) = year_in_name(stem) {
            meta.year = Some(y);
            meta.origins.year = Some(Origin::new(OriginKind::FileName, file_name));
        } else if let Some((folder, y)) = path
            .ancestors()
            .skip(1)
            .filter_map(|p| p.file_name().and_then(|f| f.to_str()))
            .find_map(|f| year_in_name(f).map(|y| (f, y)))
        {
            meta.year = Some(y);
            meta.origins.year = Some(Origin::new(OriginKind::Folder, folder));
        }
    }
    if meta.agency.trim().is_empty()
        && let Some(a) = agency_in_file_name(stem)
    {
        meta.agency = a;
        meta.origins.agency = Some(Origin::new(OriginKind::FileName, file_name));
    }

    let mut findings = Vec::new();
    // The user's values fill what is still missing, or a value taken from a name only: what the
    // file itself states always stands.
    let from_name = |o: &Option<Origin>| {
        o.as_ref()
            .is_some_and(|o| matches!(o.from, OriginKind::FileName | OriginKind::Folder))
    };
    if let Some(y) = opts.year {
        match meta.year {
            Some(found) if found != y && !from_name(&meta.origins.year) => findings.push(conflict(
                Text::new(
                    format!("文件写明的年度为 {found}，与 --year 指定的 {y} 不同，按文件中的 {found} 读取"),
                    format!("the file says the year is {found}, not {y} as --year says; read as {found}"),
                ),
                found.to_string(),
                y.to_string(),
            )),
            Some(found) if found == y => {}
            _ => {
                meta.year = Some(y);
                meta.origins.year = Some(Origin::new(OriginKind::CommandLine, format!("--year {y}")));
            }
        }
    }
    if let Some(a) = opts.agency.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let found = meta.agency.trim().to_string();
        if found.is_empty() || from_name(&meta.origins.agency) {
            meta.agency = a.to_string();
            meta.origins.agency = Some(Origin::new(OriginKind::CommandLine, format!("--agency {a}")));
        } else if found != a {
            findings.push(conflict(
                Text::new(
                    format!("文件写明的机关名称为“{found}”，与 --agency 指定的“{a}”不同，按文件中的名称读取"),
                    format!("the file names the agency “{found}”, not “{a}” as --agency says; the file's name is kept"),
                ),
                found,
                a.to_string(),
            ));
        }
    }
    if meta.year.is_none() {
        findings.push(Finding {
            rule: UNKNOWN_YEAR_RULE.into(),
            severity: Severity::Warning,
            status: Status::Fail,
            table: None,
            subject: None,
            cells: Vec::new(),
            expected: Some("2000–2100".into()),
            found: None,
            message: Text::new(
                "未找到报告年度：表格照常读取和核对，但不能按年度汇总和跨年度比对；请用 --year 指定年度，或在标题、“年度”一栏或文件名中写明“XXXX年度”",
                "the report year was not found: the tables are read and checked, but cannot be summed by year or compared across years; give --year, or state “XXXX年度” in the title, a 年度 field or the file name",
            ).into(),
        });
    }
    one.findings.extend(findings);
}

fn conflict(message: Text, found: String, supplied: String) -> Finding {
    Finding {
        rule: META_CONFLICT_RULE.into(),
        severity: Severity::Warning,
        status: Status::Fail,
        table: None,
        subject: None,
        cells: Vec::new(),
        expected: Some(supplied.into()),
        found: Some(found.into()),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_text_and_names() {
        assert_eq!(year_in("某区某局2023年政府信息公开工作年度报告统计表"), Some(2023));
        assert_eq!(year_in("机关名称：某局（２０２３年度）"), Some(2023));
        assert_eq!(year_in("12023年"), None);
        assert_eq!(year_in("第3050件"), None);
        assert_eq!(year_in_name("区教育局2023年报"), Some(2023));
        assert_eq!(year_in_name("教育局-2023"), Some(2023));
        assert_eq!(year_in_name("2022-2023"), None);
        assert_eq!(year_in_name("教育局20231"), None);
        assert_eq!(year_in_name("教育局"), None);
    }

    #[test]
    fn agencies_in_file_names() {
        assert_eq!(agency_in_file_name("区教育局2023年报").as_deref(), Some("区教育局"));
        assert_eq!(
            agency_in_file_name("02-区教育局（修改后）").as_deref(),
            Some("区教育局")
        );
        assert_eq!(
            agency_in_file_name("某县人民政府2023年政府信息公开工作年度报告").as_deref(),
            Some("某县人民政府")
        );
        assert_eq!(agency_in_file_name("report-final"), None);
        assert_eq!(agency_in_file_name("2023"), None);
    }
}
