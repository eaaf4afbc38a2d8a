//! What each cell may hold: INT-NONNEG, FEE-NONNEG, MONEY-SCALE, MONEY-UNIT.

use super::context::Ctx;
use super::registry::{BOTH, Rule, Scope, label};
use crate::catalogue::ValueKind;
use crate::finding::{Severity, Status, Subject, Text};
use crate::value::{Cell, MoneyUnit, Num};
use crate::version::Lang;

pub(super) static INT_NONNEG: Rule = Rule {
    id: "INT-NONNEG",
    severity: Severity::Error,
    versions: BOTH,
    title: label("件数为非负整数", "Counts are whole numbers ≥ 0"),
    basis: "layout",
    scope: Scope::Report,
    check: int_nonneg,
};

fn int_nonneg(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for (position, def) in ctx.cat.all_cells().iter().enumerate() {
        if def.kind.is_money() {
            continue;
        }
        let cell = ctx.cell_at(position);
        let ok = match cell {
            Cell::Number { value, .. } => {
                value.is_integer() && (def.kind == ValueKind::SignedCount || value.0 >= Num::ZERO.0)
            }
            Cell::Text { .. } => false,
            Cell::Blank | Cell::Placeholder { .. } => true,
        };
        if ok {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let found = r.value_text(Lang::Zh);
        let zh = format!("{}应为{}，实为{}", subject.zh(), def.kind.describe(Lang::Zh), found);
        let en = format!(
            "{} must be {}, found {}",
            subject.en(),
            def.kind.describe(Lang::En),
            r.value_text(Lang::En)
        );
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            vec![r],
            (Some(def.kind.describe(Lang::Zh).into()), Some(found)),
            Text::new(zh, en),
        );
    }
    if !failed {
        ctx.pass_all(
            "所有件数均为非负整数（或空白、占位符）",
            "every count is a whole number ≥ 0 (or blank, or a placeholder)",
        );
    }
}

/// The money cells of the report's format.
fn money_cells(ctx: &Ctx<'_>) -> Vec<&'static crate::catalogue::CellDef> {
    ctx.cat.cells().iter().filter(|d| d.kind.is_money()).collect()
}

pub(super) static FEE_NONNEG: Rule = Rule {
    id: "FEE-NONNEG",
    severity: Severity::Error,
    versions: BOTH,
    title: label("金额为非负数", "Amounts of money are ≥ 0"),
    basis: "layout",
    scope: Scope::Report,
    check: fee_nonneg,
};

fn fee_nonneg(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let ok = match ctx.report.cell(&def.id) {
            Cell::Number { value, .. } => value.0 >= Num::ZERO.0,
            Cell::Text { .. } => false,
            _ => true,
        };
        if ok {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let found = r.value_text(Lang::Zh);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Error,
            vec![r.clone()],
            (Some(def.kind.describe(Lang::Zh).into()), Some(found.clone())),
            Text::new(
                format!("{}应为{}，实为{}", subject.zh(), def.kind.describe(Lang::Zh), found),
                format!(
                    "{} must be {}, found {}",
                    subject.en(),
                    def.kind.describe(Lang::En),
                    r.value_text(Lang::En)
                ),
            ),
        );
    }
    if let Some(fees) = &ctx.report.processing_fees {
        for (name_zh, name_en, v) in [
            ("发出收费通知件数", "fee notices issued", fees.notices_issued),
            ("收费通知总金额", "amount of fee notices", fees.notices_amount_yuan),
            ("实际收取金额", "amount collected", fees.collected_yuan),
        ] {
            if let Some(v) = v.filter(|v| v.0 < Num::ZERO.0) {
                failed = true;
                let subject = Subject::new(
                    None,
                    format!("信息处理费 {name_zh}"),
                    format!("信息处理费「{name_zh}」"),
                    format!("Processing fees, {name_en}"),
                );
                ctx.push(
                    Some(&subject),
                    Status::Fail,
                    Severity::Error,
                    Vec::new(),
                    (Some("≥ 0".into()), Some(v.to_string())),
                    Text::new(
                        format!("{}不能为负数，实为 {v}", subject.zh()),
                        format!("{} cannot be negative, found {v}", subject.en()),
                    ),
                );
            }
        }
    }
    if !failed {
        ctx.pass_all(
            "所有金额均为非负数（或空白、占位符）",
            "every amount is ≥ 0 (or blank, or a placeholder)",
        );
    }
}

pub(super) static MONEY_SCALE: Rule = Rule {
    id: "MONEY-SCALE",
    severity: Severity::Warning,
    versions: BOTH,
    title: label("万元金额不超过四位小数", "Amounts in 万元 have at most 4 decimals"),
    basis: "practice",
    scope: Scope::Report,
    check: money_scale,
};

fn money_scale(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let Some(v) = ctx.report.cell(&def.id).value() else {
            continue;
        };
        let unit = match ctx.report.cell(&def.id) {
            Cell::Number { unit, .. } => *unit,
            _ => None,
        };
        let in_wan = def.kind == ValueKind::MoneyWanYuan || unit == Some(MoneyUnit::WanYuan);
        if !in_wan || v.decimal_places() <= 4 {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Warning,
            vec![r],
            (Some("≤ 4".into()), Some(v.decimal_places().to_string())),
            Text::new(
                format!(
                    "{}为 {v} 万元，有{}位小数；以万元计的金额精确到元只需4位小数，请核对单位",
                    subject.zh(),
                    v.decimal_places()
                ),
                format!(
                    "{} is {v} 万元 with {} decimals; 4 decimals already give yuan precision, check the unit",
                    subject.en(),
                    v.decimal_places()
                ),
            ),
        );
    }
    if !failed {
        ctx.pass_all("万元金额均不超过四位小数", "no amount in 万元 has more than 4 decimals");
    }
}

pub(super) static MONEY_UNIT: Rule = Rule {
    id: "MONEY-UNIT",
    severity: Severity::Warning,
    versions: BOTH,
    title: label("金额单位与表头一致", "The unit of an amount matches its column"),
    basis: "official",
    scope: Scope::Report,
    check: money_unit,
};

fn money_unit(ctx: &mut Ctx<'_>) {
    let mut failed = false;
    for def in money_cells(ctx) {
        let Cell::Number {
            unit: Some(unit),
            value,
            ..
        } = ctx.report.cell(&def.id)
        else {
            continue;
        };
        if def.kind != ValueKind::MoneyWanYuan || *unit == MoneyUnit::WanYuan {
            continue;
        }
        failed = true;
        let r = ctx.cell_ref(&def.id);
        let subject = Subject::Cell(def);
        let wan = value.0 / rust_decimal::Decimal::from(10_000);
        ctx.push(
            Some(&subject),
            Status::Fail,
            Severity::Warning,
            vec![r],
            (Some(crate::catalogue::WAN_YUAN.into()), Some("元".into())),
            Text::new(
                format!(
                    "{}的单位是万元，单元格写的是 {value} 元（即 {} 万元），请改为万元",
                    subject.zh(),
                    Num(wan.normalize())
                ),
                format!(
                    "{} is in 万元 but the cell says {value} 元 (= {} 万元)",
                    subject.en(),
                    Num(wan.normalize())
                ),
            ),
        );
    }
    if !failed {
        ctx.pass_all("金额单位与表头一致", "every unit matches its column");
    }
}
