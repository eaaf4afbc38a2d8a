//! Text against tables (format-spec §8.3): what the report says in words must agree with its
//! tables. Only phrases that name their quantity are read (“收到…申请N件”, “办结N件”,
//! “结转下年度N件”, “行政复议N件”), each in its own clause, so that “受理3259件，答复3278件”
//! does not compare an answer count with the received count. Chinese numerals (十二件) count.

use super::context::{Ctx, Sum};
use super::registry::{BOTH, Rule, Scope, V21, label};
use crate::catalogue::{SectionKind, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, TableId, t3_id, t4_id};
use crate::finding::Subject;
use crate::finding::{Severity, Status, Text};
use crate::value::Num;

/// A quantity the prose of 总体情况 can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quantity {
    /// 收到/新收/受理 … 申请 N件: new requests (or new plus carried over).
    Received,
    /// 办结 N件.
    Completed,
    /// 结转下年度 N件.
    CarriedForward,
    /// 上年结转 N件.
    CarriedOver,
    /// 行政复议 N件.
    Review,
    /// 行政诉讼 N件.
    Litigation,
}

/// A number stated in the text, with the clause it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Statement {
    quantity: Quantity,
    value: u64,
    clause: String,
}

/// Reads the stated quantities of a text, clause by clause.
fn statements(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    for clause in text.split(['，', '。', '；', ',', ';', '\n', '：', ':']) {
        let c: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
        if c.is_empty() {
            continue;
        }
        let negated_apps =
            (c.contains("未收到") || c.contains("没有收到") || c.contains("无申请")) && c.contains("申请");
        let quantity = if c.contains("上年结转") || c.contains("上一年度结转") {
            Some(Quantity::CarriedOver)
        } else if c.contains("结转") {
            Some(Quantity::CarriedForward)
        } else if c.contains("办结") {
            Some(Quantity::Completed)
        } else if (c.contains("收到") || c.contains("新收") || c.contains("受理")) && c.contains("申请") {
            Some(Quantity::Received)
        } else if c.contains("行政复议") && !c.contains("行政诉讼") {
            Some(Quantity::Review)
        } else if c.contains("行政诉讼") && !c.contains("行政复议") {
            Some(Quantity::Litigation)
        } else {
            None
        };
        let Some(quantity) = quantity else { continue };
        let value = if negated_apps && quantity == Quantity::Received {
            Some(0)
        } else {
            count_in(&c)
        };
        if let Some(value) = value {
            out.push(Statement {
                quantity,
                value,
                clause: clause.trim().to_string(),
            });
        }
    }
    out
}

/// The first count written with a unit of cases (件, 起, 宗) in a clause.
fn count_in(c: &str) -> Option<u64> {
    let chars: Vec<char> = c.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chinese_digit(chars[i]).is_some()) {
            i += 1;
        }
        if i > start && matches!(chars.get(i), Some('件' | '起' | '宗')) {
            let word: String = chars[start..i].iter().collect();
            if let Some(n) = parse_number(&word) {
                return Some(n);
            }
        }
        i = i.max(start + 1);
    }
    None
}

fn chinese_digit(c: char) -> Option<u64> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u64)
        .or(match c {
            '〇' => Some(0),
            '两' => Some(2),
            '十' | '百' | '千' | '万' => Some(u64::MAX),
            _ => None,
        })
}

/// `81`, `十二`, `二十`, `一百零五`, `两千零三`.
fn parse_number(w: &str) -> Option<u64> {
    if w.chars().all(|c| c.is_ascii_digit()) {
        return w.parse().ok();
    }
    if w.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let (mut total, mut digit) = (0u64, None::<u64>);
    for c in w.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => 10_000,
            _ => {
                digit = Some(chinese_digit(c)?);
                continue;
            }
        };
        total = total.checked_add(digit.unwrap_or(1).checked_mul(unit)?)?;
        digit = None;
    }
    total.checked_add(digit.unwrap_or(0))
}

fn general_text(ctx: &Ctx<'_>) -> Option<String> {
    ctx.report.sections.get(SectionKind::General).map(|s| s.text.clone())
}

fn number_sum(n: u64) -> Sum {
    Sum::of_value(Num(rust_decimal::Decimal::from(n)))
}

pub(super) static X_TEXT: Rule = Rule {
    id: "X-TEXT",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "总体情况所述申请、办结、结转、复议、诉讼件数与表格一致",
        "Numbers stated in the overview match the tables",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_text,
};

/// X-TEXT: numbers stated in 总体情况 against table 3 and table 4.
pub(super) fn x_text(ctx: &mut Ctx<'_>) {
    let Some(text) = general_text(ctx) else { return };
    for st in statements(&text) {
        let (ids, name): (Vec<String>, (&str, &str)) = match st.quantity {
            Quantity::Received => (
                vec![t3_id("new_received", "total")],
                ("表三本年新收申请总计", "new requests in Table 3"),
            ),
            Quantity::Completed => (
                vec![t3_id("results_total", "total")],
                ("表三办理结果总计", "results total in Table 3"),
            ),
            Quantity::CarriedForward => (
                vec![t3_id("carried_forward", "total")],
                ("表三结转下年度继续办理总计", "carried forward in Table 3"),
            ),
            Quantity::CarriedOver => (
                vec![t3_id("carried_over", "total")],
                ("表三上年结转总计", "carried over in Table 3"),
            ),
            Quantity::Review => (
                vec![t4_id("review", T4_TOTAL)],
                ("表四行政复议总计", "reviews in Table 4"),
            ),
            Quantity::Litigation => (
                vec![t4_id("lit_direct", T4_TOTAL), t4_id("lit_after_review", T4_TOTAL)],
                ("表四行政诉讼总计", "lawsuits in Table 4"),
            ),
        };
        let table = if matches!(st.quantity, Quantity::Review | Quantity::Litigation) {
            TableId::T4
        } else {
            TableId::T3
        };
        let subject = Subject::new(
            Some(table),
            st.clause.clone(),
            format!("「总体情况」所述“{}”", st.clause),
            format!("the overview's “{}”", st.clause),
        );
        // “收到申请N件” may count the carried-over requests too: either reading passes.
        if st.quantity == Quantity::Received {
            let with_carried = ctx.sum(&[t3_id("new_received", "total"), t3_id("carried_over", "total")]);
            if with_carried
                .value
                .is_some_and(|v| v == Num(rust_decimal::Decimal::from(st.value)))
            {
                let tables = ctx.sum(&ids);
                if tables.value != with_carried.value {
                    ctx.compare(
                        &subject,
                        ("正文数字", "the number in the text"),
                        number_sum(st.value),
                        ("表三新收与上年结转之和", "new plus carried over in Table 3"),
                        with_carried,
                    );
                    continue;
                }
            }
        }
        let tables = ctx.sum(&ids);
        ctx.compare(
            &subject,
            ("正文数字", "the number in the text"),
            number_sum(st.value),
            name,
            tables,
        );
    }
}

pub(super) static X_T4_TEXT: Rule = Rule {
    id: "X-T4-TEXT",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "总体情况称未发生行政复议、行政诉讼时表四全为0",
        "Table 4 is all 0 when the overview says there was no review or lawsuit",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_t4_text,
};

/// X-T4-TEXT: when the overview says there was no review and no lawsuit, table 4 is all 0.
pub(super) fn x_t4_text(ctx: &mut Ctx<'_>) {
    let Some(text) = general_text(ctx) else { return };
    let says_none = text.split(['。', '；', ';', '\n']).any(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let negation = [
            "未被申请",
            "未发生",
            "未收到",
            "没有发生",
            "无行政复议",
            "未被提起",
            "未涉及",
        ]
        .iter()
        .any(|n| s.contains(n));
        negation && s.contains("行政复议") && s.contains("行政诉讼") && count_in(&s).is_none()
    });
    if !says_none {
        return;
    }
    let ids: Vec<String> = T4_GROUPS
        .iter()
        .flat_map(|g| T4_OUTCOMES.iter().map(move |o| t4_id(g.key, o.key)))
        .collect();
    let subject = Subject::new(
        Some(TableId::T4),
        "行政复议、行政诉讼",
        "「总体情况」称未发生行政复议、行政诉讼",
        "the overview says there was no administrative review or lawsuit",
    );
    let sum = ctx.sum(&ids);
    ctx.compare(
        &subject,
        ("表四合计", "the sum of Table 4"),
        sum,
        ("0", "0"),
        number_sum(0),
    );
}

fn other_text(ctx: &Ctx<'_>) -> Option<String> {
    ctx.report.sections.get(SectionKind::Other).map(|s| s.text.clone())
}

pub(super) static X_FEE_MENTION: Rule = Rule {
    id: "X-FEE-MENTION",
    severity: Severity::Info,
    versions: V21,
    title: label(
        "其他需要报告的事项报告信息处理费情况",
        "Section 六 reports the information processing fee",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_fee_mention,
};

/// X-FEE-MENTION: section 六 reports the 信息处理费, even if none was charged.
pub(super) fn x_fee_mention(ctx: &mut Ctx<'_>) {
    let Some(text) = other_text(ctx) else {
        return;
    };
    let mentioned = text.contains("信息处理费") || text.contains("收费");
    let (status, zh, en) = if mentioned {
        (
            Status::Pass,
            "「其他需要报告的事项」报告了信息处理费情况",
            "section 六 reports the information processing fee",
        )
    } else {
        (
            Status::Fail,
            "「其他需要报告的事项」未提及信息处理费（国办函〔2020〕109号）的收取情况",
            "section 六 does not mention the information processing fee (国办函〔2020〕109号)",
        )
    };
    ctx.push(
        None,
        status,
        Severity::Info,
        Vec::new(),
        (None, None),
        Text::new(zh, en),
    );
}

pub(super) static X_FEE_TEXT: Rule = Rule {
    id: "X-FEE-TEXT",
    severity: Severity::Warning,
    versions: V21,
    title: label(
        "表三有逾期未缴费不再处理的申请时，正文不称未发出收费通知",
        "The text does not deny fee notices when Table 3 has requests dropped for an unpaid fee",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: x_fee_text,
};

/// X-FEE-TEXT: requests dropped for an unpaid fee mean fee notices were issued; section 六 must
/// not say that none was.
pub(super) fn x_fee_text(ctx: &mut Ctx<'_>) {
    let id = t3_id("other.fee_unpaid", "total");
    let unpaid = ctx.sum(std::slice::from_ref(&id));
    let Some(n) = unpaid.value.filter(|v| *v > Num::ZERO) else {
        return;
    };
    let Some(text) = other_text(ctx) else { return };
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let denies = [
        "未发出收费通知",
        "未发出相关收费通知",
        "未发出信息处理费收费通知",
        "没有发出收费通知",
    ]
    .iter()
    .any(|p| t.contains(p));
    let subject = Subject::new(
        Some(TableId::T3),
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
        "表三“逾期未按收费通知要求缴纳费用”与「其他需要报告的事项」",
        "Table 3 “fee not paid after a fee notice” and section 六",
    );
    let (status, zh, en) = if denies {
        (
            Status::Fail,
            format!(
                "{}：表三有{n}件申请因逾期未缴费不再处理，说明发出过收费通知，但正文称未发出收费通知",
                subject.zh()
            ),
            format!(
                "{}: Table 3 has {n} requests dropped for an unpaid fee, so fee notices were issued, but the text says none was",
                subject.en()
            ),
        )
    } else {
        (
            Status::Pass,
            format!("{}：正文未否认发出收费通知", subject.zh()),
            format!("{}: the text does not deny that fee notices were issued", subject.en()),
        )
    };
    ctx.push(
        Some(&subject),
        status,
        Severity::Warning,
        unpaid.refs,
        (None, None),
        Text::new(zh, en),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words_and_digits() {
        assert_eq!(parse_number("81"), Some(81));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("二十"), Some(20));
        assert_eq!(parse_number("一百零五"), Some(105));
        assert_eq!(parse_number("两千零三"), Some(2003));
        assert_eq!(count_in("受理3259件"), Some(3259));
        assert_eq!(count_in("2023年共十二件"), Some(12));
    }

    #[test]
    fn each_clause_names_its_quantity() {
        let s = statements("2022年，本局共收到政府信息公开申请81件，办结76件，结转下年度继续办理7件。答复3278件。");
        let q: Vec<(Quantity, u64)> = s.iter().map(|s| (s.quantity, s.value)).collect();
        assert_eq!(
            q,
            vec![
                (Quantity::Received, 81),
                (Quantity::Completed, 76),
                (Quantity::CarriedForward, 7)
            ]
        );
        let s = statements("2023年区工信科技局未收到任何公民、法人和其他组织提出的公开政府信息的申请");
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].quantity, s[0].value), (Quantity::Received, 0));
        let s = statements("被申请行政复议二件，提起行政诉讼五件。");
        let q: Vec<(Quantity, u64)> = s.iter().map(|s| (s.quantity, s.value)).collect();
        assert_eq!(q, vec![(Quantity::Review, 2), (Quantity::Litigation, 5)]);
    }
}
