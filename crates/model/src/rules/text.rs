//! Text against tables (format-spec §8.3): what the report says in words must agree with its
//! tables. The figures stated in 总体情况 are read and compared in `text_figures.rs` (X-TEXT,
//! X-TEXT-T2); here: no review and no lawsuit said in words, and the fee in section 六.

use super::context::{Ctx, Sum};
use super::registry::{BOTH, Rule, Scope, V21, label};
use crate::catalogue::{SectionKind, T4_GROUPS, T4_OUTCOMES, TableId, t3_id, t4_id};
use crate::finding::Subject;
use crate::finding::{Severity, Status, Text};
use crate::value::Num;

/// The first count written with a unit of cases (件, 起, 宗) in a clause.
fn count_in(c: &str) -> Option<u64> {
    super::text_figures::first_count(c)
}

fn general_text(ctx: &Ctx<'_>) -> Option<String> {
    ctx.report.sections.get(SectionKind::General).map(|s| s.text.clone())
}

fn number_sum(n: u64) -> Sum {
    Sum::of_value(Num(rust_decimal::Decimal::from(n)))
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
