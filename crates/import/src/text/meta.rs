//! Metadata from the words of a report: agency and year from the title (or the preamble),
//! publication date from a 发布日期 line or the date under the signature, contact from the
//! preamble. Nothing is invented: what is not written stays `None`.

use xxgk_model::Contact;

/// Agency and year as read from a title such as “道里区工业信息科技局2023年度政府信息公开工作年度报告”
/// or “2023年道里区工业信息科技局政府信息公开工作年度报告”.
pub(crate) fn agency_and_year(title: &str) -> (Option<String>, Option<u16>) {
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let Some((at, year)) = find_year(&t) else {
        return (None, None);
    };
    let before = t[..at].trim_start_matches("关于").trim();
    let after = &t[at + 4..];
    let after = after
        .strip_prefix("年度")
        .or_else(|| after.strip_prefix('年'))
        .unwrap_or(after);
    let agency = if !before.is_empty() {
        Some(before.trim_end_matches(['的', '（', '(']).to_string())
    } else {
        ["政府信息公开", "政务公开", "信息公开"]
            .iter()
            .filter_map(|k| after.find(k))
            .min()
            .map(|end| after[..end].to_string())
            .filter(|a| !a.is_empty())
    };
    (agency, Some(year))
}

/// The first plausible report year (2000–2100) followed by 年, and its byte offset.
fn find_year(s: &str) -> Option<(usize, u16)> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(3)).find_map(|i| {
        let four = b.get(i..i + 4)?;
        let boundary = i == 0 || !b[i - 1].is_ascii_digit();
        if !boundary || !four.iter().all(u8::is_ascii_digit) || !s[i + 4..].starts_with('年') {
            return None;
        }
        let y: u16 = std::str::from_utf8(four).ok()?.parse().ok()?;
        (2000..=2100).contains(&y).then_some((i, y))
    })
}

/// The year from a 统计期限 phrase (“2023年1月1日至12月31日”), for reports without a title.
pub(crate) fn year_from_period(text: &str) -> Option<u16> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ["1月1日至", "1月1日起至", "1月1日到", "1月1日起到", "1月1日—", "1月1日-"]
        .iter()
        .filter_map(|k| t.find(k))
        .min()
        .and_then(|at| {
            let head = t[..at].strip_suffix('年')?;
            let digits = head.get(head.len().checked_sub(4)?..)?;
            digits.parse().ok().filter(|y| (2000..=2100).contains(y))
        })
}

/// A date written as `2024年1月20日`, `2024-01-20`, `2024/1/20` or `2024.1.20`, as `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Option<String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut seps = 0;
    for c in t.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if matches!(c, '年' | '月' | '-' | '/' | '.') && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
            seps += 1;
        } else if c == '日' && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
            break;
        } else {
            return None;
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    if parts.len() != 3 || seps < 2 {
        return None;
    }
    let y: u16 = parts[0].parse().ok()?;
    let m: u8 = parts[1].parse().ok()?;
    let d: u8 = parts[2].parse().ok()?;
    ((2000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// The publication date from a line such as “发布日期：2024-01-20”, when one is present.
pub(crate) fn labelled_date(line: &str) -> Option<String> {
    for key in ["发布日期", "发布时间", "成文日期", "公开日期", "印发日期"] {
        let Some(at) = line.find(key) else { continue };
        let rest = line[at + key.len()..].trim_start_matches([':', '：', ' ', '\t', '\u{3000}']);
        // The date ends at 日, at a character that is no part of a date, or at the space before a
        // time of day (“2024-03-08 15:34”).
        let mut end = rest.len();
        let mut seps = 0;
        for (i, c) in rest.char_indices() {
            match c {
                '日' => {
                    end = i + c.len_utf8();
                    break;
                }
                '年' | '月' | '-' | '/' | '.' => seps += 1,
                c if c.is_ascii_digit() => {}
                c if c.is_whitespace() && seps < 2 => {}
                _ => {
                    end = i;
                    break;
                }
            }
        }
        if let Some(d) = parse_date(&rest[..end]) {
            return Some(d);
        }
    }
    None
}

/// The publication date from a page's chrome: “时间：2024-03-08 15:34” on a short line of its own,
/// or after “来源：…” on the same line. A bare “时间：” elsewhere (“统计时间：…”) is no date of
/// publication.
pub(crate) fn chrome_date(line: &str) -> Option<String> {
    let t = line.trim();
    let at = t.find("时间")?;
    let alone = at == 0 && t.chars().count() <= 30;
    let after_source = t[..at].contains("来源") && !t[..at].ends_with("统计");
    if !(alone || after_source) {
        return None;
    }
    labelled_date(&format!("发布时间{}", &t[at + "时间".len()..]))
}

/// The contact stated in the text: 联系地址, 邮编, 联系电话, 电子邮箱, each up to the next
/// separator.
pub(crate) fn contact(text: &str) -> Option<Contact> {
    let take = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            let at = text.find(k)?;
            let rest = text[at + k.len()..].trim_start_matches([':', '：', ' ']);
            let end = rest
                .char_indices()
                .find(|(_, c)| matches!(c, '，' | ',' | '；' | ';' | '。' | '）' | ')' | '\n' | '、'))
                .map_or(rest.len(), |(i, _)| i);
            let v = rest[..end].trim();
            (!v.is_empty()).then(|| v.to_string())
        })
    };
    let c = Contact {
        address: take(&["联系地址", "通讯地址", "办公地址", "地址"]),
        postcode: take(&["邮政编码", "邮编"]),
        phone: take(&["联系电话", "咨询电话", "电话"]),
        email: take(&["电子邮箱", "电子信箱", "邮箱"]),
    };
    (c.address.is_some() || c.phone.is_some() || c.email.is_some()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            agency_and_year("道里区工业信息科技局2023年度政府信息公开工作年度报告"),
            (Some("道里区工业信息科技局".into()), Some(2023))
        );
        assert_eq!(
            agency_and_year("2019年上海市人民政府办公厅政府信息公开工作年度报告"),
            (Some("上海市人民政府办公厅".into()), Some(2019))
        );
        assert_eq!(agency_and_year("政府信息公开工作年度报告"), (None, None));
        assert_eq!(year_from_period("统计期限为2022年1月1日至12月31日"), Some(2022));
        assert_eq!(
            year_from_period("统计期限自2023年1月1日起至2023年12月31日止"),
            Some(2023)
        );
    }

    #[test]
    fn dates_and_contact() {
        assert_eq!(parse_date("2024年1月20日"), Some("2024-01-20".into()));
        assert_eq!(parse_date("2024-01-20"), Some("2024-01-20".into()));
        assert_eq!(parse_date("2024年13月20日"), None);
        assert_eq!(
            labelled_date("发布日期： 2024-01-20 来源：区政府"),
            Some("2024-01-20".into())
        );
        assert_eq!(labelled_date("发布时间: 2024-03-08 15:34"), Some("2024-03-08".into()));
        assert_eq!(chrome_date("时间：2024-03-08 15:34"), Some("2024-03-08".into()));
        assert_eq!(
            chrome_date("来源：平潭综合实验区 时间：2024-03-08 15:34"),
            Some("2024-03-08".into())
        );
        assert_eq!(chrome_date("本报告统计时间：2023年1月1日至12月31日"), None);
        assert_eq!(
            chrome_date("时间：2023年1月1日至12月31日，全区共主动公开政府信息13561条，其中规范性文件77件"),
            None
        );
        assert_eq!(labelled_date("发布时间：2024年3月8日 15时"), Some("2024-03-08".into()));
        let c =
            contact("（联系地址：哈尔滨市道里区端街21号，邮编：150010，联系电话：0451-84545751）").expect("contact");
        assert_eq!(c.address.as_deref(), Some("哈尔滨市道里区端街21号"));
        assert_eq!(c.postcode.as_deref(), Some("150010"));
        assert_eq!(c.phone.as_deref(), Some("0451-84545751"));
    }
}
