//! Reading one cell's text into a [`Cell`]: number, blank, placeholder, annotated number or
//! unreadable text. Shared by every importer so that “１２”, “22（其中修订16件）”, “/” and
//! “251000元” mean the same wherever they are found.

use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;
use xxgk_model::{
    Cell, CellRef, Finding, Location, MoneyUnit, Num, Report, Severity, Status, Text, ValueKind, catalogue,
};

/// Rule id of the finding for a cell whose raw text does not read as its value (CSV, JSON).
pub const RAW_MISMATCH_RULE: &str = "IMPORT-RAW-MISMATCH";

/// Holds a cell read from a source that gives its value and its raw text apart (the long CSV,
/// JSON) to one rule: **the value is the truth, and the raw text is kept only when it reads as
/// that value**. Exporters write the raw text where there is one, so a raw text “5” beside the
/// value 80 would be validated as 80 and published as 5. When they disagree the raw text (and
/// the unit it carried) is dropped, the annotation kept, and the raw text with what it reads as
/// is returned for a finding.
pub fn reconcile_raw(cell: &mut Cell, kind: ValueKind) -> Option<(String, String)> {
    let Cell::Number {
        value,
        raw: raw @ Some(_),
        unit,
        ..
    } = cell
    else {
        return None;
    };
    let text = raw.as_deref().unwrap_or_default();
    let reads = match parse_cell(text, kind) {
        Cell::Number { value: v, .. } if v == *value => return None,
        Cell::Number { value: v, .. } => v.to_string(),
        Cell::Blank => "空白 (blank)".to_string(),
        Cell::Placeholder { .. } => "占位符 (a placeholder)".to_string(),
        Cell::Text { .. } => "文字 (text)".to_string(),
    };
    *unit = None;
    raw.take().map(|r| (r, reads))
}

/// The finding for a raw text dropped by [`reconcile_raw`]: an error on the cell, so that the
/// file is corrected rather than published with two different numbers.
pub fn raw_mismatch_finding(report: &Report, id: &str, raw: &str, reads: &str, location: Option<Location>) -> Finding {
    let value = report.cell(id).value().map(|v| v.to_string()).unwrap_or_default();
    let mut cell = CellRef::of(report, id);
    cell.location = location.map(Into::into);
    Finding {
        rule: RAW_MISMATCH_RULE.into(),
        severity: Severity::Error,
        status: Status::Fail,
        table: catalogue(report.meta.format).cell(id).map(|d| d.table),
        subject: None,
        cells: vec![cell],
        expected: Some(value.clone().into()),
        found: Some(raw.to_string().into()),
        message: Text::new(
            format!(
                "单元格 {id} 的数值为 {value}，但其原文“{raw}”读作 {reads}，两者不符：以数值为准，原文未予保留，请核对后改正"
            ),
            format!(
                "cell {id} has the value {value} but its raw text “{raw}” reads as {reads}: the value is kept and the raw text dropped; check and correct the file"
            ),
        ).into(),
    }
}

/// Reads the text of a cell as found in a source.
///
/// `kind` is the catalogue's kind of the cell; it is kept in the signature so that every importer
/// states what it expects, and a unit is only recorded for money cells.
pub fn parse_cell(raw: &str, kind: ValueKind) -> Cell {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.is_empty() {
        return Cell::Blank;
    }
    if let Some(n) = canonical_integer(trimmed) {
        // The usual count, written as its own shortest text: the general path gives the same.
        return Cell::number(n);
    }
    match full_width_integer(trimmed) {
        // The same in full-width digits, its text kept as the general path keeps it.
        Some(n) => Cell::Number {
            value: n,
            raw: Some(trimmed.to_string()),
            annotation: None,
            unit: None,
        },
        None => parse_text(trimmed, kind),
    }
}

/// An integer written in full-width digits the way it prints in ASCII (`１２`, `０`; no sign,
/// no leading zero): spreadsheets that store their numbers as text often write them so.
fn full_width_integer(s: &str) -> Option<Num> {
    let mut n: i64 = 0;
    let mut count = 0;
    for c in s.chars() {
        let d = (c as u32).wrapping_sub('０' as u32);
        if d > 9 || count == 18 || (count == 1 && n == 0) {
            return None;
        }
        n = n * 10 + i64::from(d);
        count += 1;
    }
    (count > 0).then(|| Num::from_decimal(Decimal::from(n)))
}

/// [`parse_cell`] for a trimmed, non-empty text.
fn parse_text(trimmed: &str, kind: ValueKind) -> Cell {
    if Cell::is_placeholder_text(trimmed) {
        return Cell::Placeholder {
            raw: trimmed.to_string(),
        };
    }
    // Full-width digits and signs become ASCII; spaces between a number and its unit or note
    // go. Digits separated by a space or a line break (“1 2”, “3\n5”) are two numbers, not one:
    // such a cell is text, which the rules report on the cell, never a number made up.
    // A footnote mark (`12¹`, `12①`), a subscript or a digit of another style is no digit of
    // the number: NFKC would make `12¹` read as 121.
    if has_digit_lookalike(trimmed) {
        return Cell::Text {
            raw: trimmed.to_string(),
        };
    }
    let wide: String = trimmed.nfkc().collect();
    if digits_apart(&wide) {
        return Cell::Text {
            raw: trimmed.to_string(),
        };
    }
    let folded: String = wide.chars().filter(|c| !c.is_whitespace()).collect();
    if Cell::is_placeholder_text(&folded) {
        return Cell::Placeholder {
            raw: trimmed.to_string(),
        };
    }
    let Some((number, rest)) = split_number(&folded) else {
        return Cell::Text {
            raw: trimmed.to_string(),
        };
    };
    let (unit, rest) = take_unit(rest);
    let annotation = annotation_of(rest);
    let Some(annotation) = annotation else {
        return Cell::Text {
            raw: trimmed.to_string(),
        };
    };
    let plain = unit.is_none() && annotation.is_none() && trimmed == number.to_string();
    Cell::Number {
        value: number,
        raw: (!plain).then(|| trimmed.to_string()),
        annotation,
        unit: unit.filter(|_| kind.is_money()),
    }
}

/// An integer written the way it prints (`0`, `12`, `-3`; no sign on zero, no leading zero).
fn canonical_integer(s: &str) -> Option<Num> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let canonical = match digits.as_bytes() {
        [b'0'] => digits.len() == s.len(),
        [b'1'..=b'9', rest @ ..] => rest.len() < 18 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    canonical.then(|| s.parse::<i64>().ok().map(|i| Num::from_decimal(Decimal::from(i))))?
}

/// Reads a number from a spreadsheet's numeric cell (a float), exactly as the sheet shows it.
///
/// calamine gives every xlsx number as `f64`; the shortest text that reads back as the same
/// double is what was typed (for up to 15 significant digits).
pub fn number_from_f64(v: f64) -> Option<Num> {
    if !v.is_finite() {
        return None;
    }
    // Whole numbers (nearly every count) are exact as integers: no text round trip.
    if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
        return Some(Num::from_decimal(Decimal::from(v as i64)));
    }
    // Excel shows and keeps at most 15 significant digits: a double whose shortest text has more
    // is the result of arithmetic in binary (a formula's 0.1 + 0.2 is 0.30000000000000004), and
    // the number the sheet shows is that rounded to 15 digits (0.3), not a made-up 17-digit one.
    // (Whole numbers past 9·10^15 are no count or amount; they keep their exact value.)
    let shortest = format!("{v:e}");
    let mantissa = shortest.split('e').next().unwrap_or_default();
    if v.fract() != 0.0 && mantissa.bytes().filter(u8::is_ascii_digit).count() > 15 {
        return Decimal::from_scientific(&format!("{v:.14e}"))
            .ok()
            .map(|d| Num::from_decimal(d.normalize()));
    }
    let text = format!("{v}");
    Decimal::from_str_exact(&text)
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
        .map(|d| Num::from_decimal(d.normalize()))
}

/// Whether `s` holds a character that only looks like a digit: one that is neither an ASCII nor a
/// full-width digit but whose compatibility form holds a digit — superscripts and subscripts
/// (`¹`, `₂`), circled, parenthesised and full-stop numbers (`①`, `⑴`, `⒈`), mathematical
/// digits (`𝟏`), vulgar fractions, and ideographic ligatures with a number (`㏠`). Such a cell
/// is text, reported on the cell, never read as the digits NFKC would give it.
pub(crate) fn has_digit_lookalike(s: &str) -> bool {
    s.chars().any(|c| {
        if c.is_ascii() || ('０'..='９').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            return false;
        }
        let mut digit = false;
        unicode_normalization::char::decompose_compatible(c, |d| digit |= d.is_ascii_digit());
        digit
    })
}

/// Whether two digits are separated by nothing but whitespace.
fn digits_apart(s: &str) -> bool {
    let mut last_digit = false;
    let mut gap = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if last_digit && gap {
                return true;
            }
            last_digit = true;
            gap = false;
        } else if c.is_whitespace() {
            gap = last_digit;
        } else {
            last_digit = false;
            gap = false;
        }
    }
    false
}

/// Splits a leading number (with an optional sign and thousands separators) from the rest.
///
/// A comma is a thousands separator only where it groups digits in threes (`1,234`,
/// `12,345,678.5`): in `8,0` or `1,5` it is a decimal comma or a slip, and the text is left
/// unread (a cell of text, reported on the cell) rather than read as 80 or 15.
fn split_number(s: &str) -> Option<(Num, &str)> {
    let bytes = s.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    let mut seen_dot = false;
    // Digits since the start or the last comma, and whether a comma was seen.
    let (mut group, mut grouped) = (0usize, false);
    while end < bytes.len() {
        match bytes[end] {
            b'0'..=b'9' => {
                end += 1;
                if !seen_dot {
                    group += 1;
                }
            }
            b',' if !seen_dot && end > digits_start => {
                let next_three = bytes
                    .get(end + 1..end + 4)
                    .is_some_and(|d| d.iter().all(u8::is_ascii_digit));
                let then = bytes.get(end + 4);
                let ok = (if grouped { group == 3 } else { (1..=3).contains(&group) })
                    && next_three
                    && !then.is_some_and(u8::is_ascii_digit);
                if !ok {
                    return None;
                }
                grouped = true;
                group = 0;
                end += 1;
            }
            b'.' if !seen_dot && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) => {
                if grouped && group != 3 {
                    return None;
                }
                seen_dot = true;
                end += 1;
            }
            _ => break,
        }
    }
    if end == digits_start {
        return None;
    }
    let text: String = s[..end].chars().filter(|&c| c != ',' && c != '+').collect();
    let value = Decimal::from_str_exact(&text).ok()?;
    // "+3" is the number 3 (its raw text is kept); "-3" stays negative for the rules to flag.
    Some((Num::from_decimal(value), &s[end..]))
}

fn take_unit(rest: &str) -> (Option<MoneyUnit>, &str) {
    if let Some(r) = rest.strip_prefix("万元") {
        (Some(MoneyUnit::WanYuan), r)
    } else if let Some(r) = rest.strip_prefix('元') {
        (Some(MoneyUnit::Yuan), r)
    } else {
        (None, rest)
    }
}

/// What follows the number: nothing, a count unit, or a note in brackets.
/// `None` means the rest is not a note (the cell is text); `Some(None)` means no note.
fn annotation_of(rest: &str) -> Option<Option<String>> {
    let rest = rest.trim();
    let rest = rest.strip_prefix(['件', '项', '个', '条', '次']).unwrap_or(rest).trim();
    if rest.is_empty() {
        return Some(None);
    }
    let inner = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')))?;
    let inner = inner.trim();
    (!inner.is_empty()).then(|| Some(inner.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_integers_read_as_the_general_path_does() {
        let texts = [
            "0",
            "7",
            "-3",
            "120",
            "999999999999999999",
            "-0",
            "007",
            "+5",
            "1e3",
            "12.0",
            "１２",
            "-",
        ];
        for text in texts {
            if let Some(n) = canonical_integer(text) {
                assert_eq!(parse_text(text, ValueKind::Count), Cell::number(n), "{text}");
            }
        }
        let taken: Vec<&str> = texts.into_iter().filter(|t| canonical_integer(t).is_some()).collect();
        assert_eq!(taken, ["0", "7", "-3", "120", "999999999999999999"]);
    }

    #[test]
    fn full_width_integers_read_as_the_general_path_does() {
        let texts = [
            "１２",
            "０",
            "７",
            "１０２４",
            "９９９９９９９９９９９９９９９９９９",
            "９９９９９９９９９９９９９９９９９９９",
            "０７",
            "００",
            "－３",
            "１２件",
            "１２.５",
            "１２３４５６７８９０",
            "12",
            "１2",
        ];
        for text in texts {
            if let Some(n) = full_width_integer(text) {
                let fast = parse_cell(text, ValueKind::Count);
                assert_eq!(fast, parse_text(text, ValueKind::Count), "{text}");
                assert_eq!(fast.value(), Some(n), "{text}");
            }
        }
        let taken: Vec<&str> = texts.into_iter().filter(|t| full_width_integer(t).is_some()).collect();
        assert_eq!(
            taken,
            [
                "１２",
                "０",
                "７",
                "１０２４",
                "９９９９９９９９９９９９９９９９９９",
                "１２３４５６７８９０"
            ]
        );
    }

    #[test]
    fn whole_numbers_read_as_through_their_text() {
        let through_text = |v: f64| {
            let text = format!("{v}");
            Decimal::from_str_exact(&text)
                .ok()
                .or_else(|| Decimal::from_scientific(&text).ok())
                .map(|d| Num::from_decimal(d.normalize()))
        };
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            12.0,
            1e15,
            -8.99e15,
            9.1e15,
            2f64.powi(53),
            1e20,
            0.5,
            103.3879,
        ] {
            let fast = number_from_f64(v);
            assert_eq!(fast, through_text(v), "{v}");
            assert_eq!(
                fast.map(|n| n.to_string()),
                through_text(v).map(|n| n.to_string()),
                "{v}"
            );
        }
    }

    fn n(v: &str) -> Num {
        v.parse().expect("number")
    }

    #[test]
    fn plain_and_folded_numbers() {
        assert_eq!(parse_cell("80", ValueKind::Count), Cell::number(80));
        assert_eq!(parse_cell(" 0 ", ValueKind::Count), Cell::number(0));
        let c = parse_cell("１２", ValueKind::Count);
        assert_eq!(c.value(), Some(Num::int(12)));
        assert_eq!(c.raw_text(), "１２");
        assert_eq!(parse_cell("1,234", ValueKind::Count).value(), Some(Num::int(1234)));
        assert_eq!(parse_cell("-3", ValueKind::SignedCount).value(), Some(Num::int(-3)));
        assert_eq!(parse_cell("+22", ValueKind::SignedCount).value(), Some(Num::int(22)));
    }

    #[test]
    fn only_commas_grouping_digits_in_threes_are_thousands_separators() {
        for (text, value) in [
            ("1,234", 1234),
            ("12,345,678", 12_345_678),
            ("１，２３４", 1234),
            ("-1,000", -1000),
        ] {
            assert_eq!(
                parse_cell(text, ValueKind::SignedCount).value(),
                Some(Num::int(value)),
                "{text}"
            );
        }
        assert_eq!(
            parse_cell("1,234.5", ValueKind::MoneyWanYuan).value(),
            Some(n("1234.5"))
        );
        for text in [
            "8,0",
            "1,5",
            "1,2345",
            "1234,567",
            "12,34,567",
            "1,234,56",
            ",5",
            "1,",
            "1,23.5",
        ] {
            assert_eq!(
                parse_cell(text, ValueKind::Count),
                Cell::Text { raw: text.into() },
                "{text}"
            );
        }
    }

    #[test]
    fn digit_lookalikes_are_text_not_digits() {
        for raw in ["12¹", "12①", "12₂", "1²3", "12⁰", "⑫", "⒓", "𝟏𝟐", "1½", "㏠", "2⑴"] {
            assert!(
                matches!(parse_cell(raw, ValueKind::Count), Cell::Text { .. }),
                "{raw}: {:?}",
                parse_cell(raw, ValueKind::Count)
            );
        }
        // Full-width digits and signs are the number itself.
        let n = |raw: &str| match parse_cell(raw, ValueKind::Count) {
            Cell::Number { value, .. } => value.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(n("１２"), "12");
        assert_eq!(n("－５"), "-5");
        assert_eq!(n("１，２３４"), "1234");
        assert_eq!(n("12（其中修订3件）"), "12");
    }

    #[test]
    fn digits_apart_are_no_number() {
        for text in ["1 2", "3\n5", "1\u{3000}2", "１ ２", "12 3件"] {
            assert_eq!(
                parse_cell(text, ValueKind::Count),
                Cell::Text { raw: text.into() },
                "{text:?}"
            );
        }
        // Spaces between a number and its unit or note are not inside the number.
        assert_eq!(parse_cell("12 件", ValueKind::Count).value(), Some(Num::int(12)));
        assert_eq!(
            parse_cell("103.3879 万元", ValueKind::MoneyWanYuan).value(),
            Some(n("103.3879"))
        );
        assert_eq!(
            parse_cell("22 （其中修订16件）", ValueKind::Count).value(),
            Some(Num::int(22))
        );
    }

    #[test]
    fn blanks_placeholders_and_text() {
        assert_eq!(parse_cell("", ValueKind::Count), Cell::Blank);
        assert_eq!(parse_cell("  ", ValueKind::Count), Cell::Blank);
        for p in ["/", "-", "—", "无", "不适用", "／"] {
            assert_eq!(
                parse_cell(p, ValueKind::Count),
                Cell::Placeholder { raw: p.into() },
                "{p}"
            );
        }
        assert_eq!(
            parse_cell("--253", ValueKind::Count),
            Cell::Text { raw: "--253".into() }
        );
        assert_eq!(
            parse_cell("约十件", ValueKind::Count),
            Cell::Text {
                raw: "约十件".into()
            }
        );
    }

    #[test]
    fn annotations_and_units() {
        match parse_cell("22（其中修订16件）", ValueKind::Count) {
            Cell::Number {
                value, annotation, raw, ..
            } => {
                assert_eq!(value, Num::int(22));
                assert_eq!(annotation.as_deref(), Some("其中修订16件"));
                assert_eq!(raw.as_deref(), Some("22（其中修订16件）"));
            }
            other => panic!("{other:?}"),
        }
        match parse_cell("103.3879万元", ValueKind::MoneyWanYuan) {
            Cell::Number { value, unit, .. } => {
                assert_eq!(value, n("103.3879"));
                assert_eq!(unit, Some(MoneyUnit::WanYuan));
            }
            other => panic!("{other:?}"),
        }
        match parse_cell("251000元", ValueKind::MoneyWanYuan) {
            Cell::Number { unit, .. } => assert_eq!(unit, Some(MoneyUnit::Yuan)),
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_cell("12件", ValueKind::Count).value(), Some(Num::int(12)));
    }

    #[test]
    fn floats_from_spreadsheets_are_exact() {
        assert_eq!(number_from_f64(103.3879), Some(n("103.3879")));
        assert_eq!(number_from_f64(80.0), Some(Num::int(80)));
        assert_eq!(number_from_f64(f64::NAN), None);
        assert_eq!(number_from_f64(-0.0).map(|v| v.to_string()), Some("0".into()));
        assert_eq!(number_from_f64(1e308), None);
        // What the sheet shows: at most 15 significant digits.
        assert_eq!(number_from_f64(0.1 + 0.2), Some(n("0.3")));
        assert_eq!(number_from_f64(1.9999999999999998), Some(Num::int(2)));
        assert_eq!(number_from_f64(12.345678901234567), Some(n("12.3456789012346")));
        assert_eq!(number_from_f64(123456.789), Some(n("123456.789")));
        assert_eq!(number_from_f64(0.000123), Some(n("0.000123")));
    }
}
