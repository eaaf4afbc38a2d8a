//! The catalogue of the official form: every table cell of both format versions with its
//! stable id, its official labels and its value kind, and the six section headings.
//!
//! This is the one place where labels and the table layout are written down. Importers match
//! labels against it, exporters and the template lay tables out from it, the rules refer to its
//! ids, and the JSON Schema and `docs/catalogue.md` are generated from it.

use crate::version::{FormatVersion, Lang, PerVersion};
use ValueKind::{Count, Money, MoneyWanYuan, SignedCount};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A label in the official Chinese wording, with an English rendering for `--lang en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Exact official wording.
    pub zh: &'static str,
    /// English rendering (not official).
    pub en: &'static str,
}

impl Label {
    const fn new(zh: &'static str, en: &'static str) -> Self {
        Label { zh, en }
    }

    /// The label in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The three statistical tables of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TableId {
    /// 主动公开政府信息情况 (section 二).
    T2,
    /// 收到和处理政府信息公开申请情况 (section 三).
    T3,
    /// 政府信息公开行政复议、行政诉讼情况 (section 四).
    T4,
}

impl TableId {
    /// All three tables in report order.
    pub const ALL: [TableId; 3] = [TableId::T2, TableId::T3, TableId::T4];

    /// The id prefix used in cell ids (`t2`, `t3`, `t4`).
    pub fn code(self) -> &'static str {
        match self {
            TableId::T2 => "t2",
            TableId::T3 => "t3",
            TableId::T4 => "t4",
        }
    }

    /// Short name: 表二 / Table 2.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TableId::T2, Lang::Zh) => "表二",
            (TableId::T3, Lang::Zh) => "表三",
            (TableId::T4, Lang::Zh) => "表四",
            (TableId::T2, Lang::En) => "Table 2",
            (TableId::T3, Lang::En) => "Table 3",
            (TableId::T4, Lang::En) => "Table 4",
        }
    }

    /// The section that holds the table.
    pub fn section(self) -> SectionKind {
        match self {
            TableId::T2 => SectionKind::Proactive,
            TableId::T3 => SectionKind::Requests,
            TableId::T4 => SectionKind::Remedies,
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A number of items (件, 项): an integer ≥ 0.
    Count,
    /// A change in a number of items (V2019 `本年增/减`): an integer, may be negative.
    SignedCount,
    /// An amount of money in 万元: an exact decimal ≥ 0.
    MoneyWanYuan,
    /// An amount of money whose unit the form does not print (V2019 `采购总金额`).
    Money,
}

impl ValueKind {
    /// Whether the cell holds money (an exact decimal) rather than a count.
    pub fn is_money(self) -> bool {
        matches!(self, ValueKind::MoneyWanYuan | ValueKind::Money)
    }

    /// Expected content, for messages.
    pub fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ValueKind::Count, Lang::Zh) => "非负整数",
            (ValueKind::SignedCount, Lang::Zh) => "整数（减少用负数）",
            (ValueKind::MoneyWanYuan, Lang::Zh) => "以万元为单位的非负金额",
            (ValueKind::Money, Lang::Zh) => "非负金额",
            (ValueKind::Count, Lang::En) => "a whole number ≥ 0",
            (ValueKind::SignedCount, Lang::En) => "a whole number (negative for a decrease)",
            (ValueKind::MoneyWanYuan, Lang::En) => "an amount ≥ 0 in 万元 (10,000 yuan)",
            (ValueKind::Money, Lang::En) => "an amount ≥ 0",
        }
    }
}

mod cells;
mod info;
mod sections;
mod table2;
mod table3;
mod table4;

pub use cells::*;
pub use info::*;
pub use sections::*;
pub use table2::*;
pub use table3::*;
pub use table4::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn count(v: FormatVersion, t: TableId) -> usize {
        catalogue(v).table_cells(t).count()
    }

    #[test]
    fn cell_counts_match_the_official_form() {
        assert_eq!(count(FormatVersion::V2021, TableId::T2), 10);
        assert_eq!(count(FormatVersion::V2021, TableId::T3), 175);
        assert_eq!(count(FormatVersion::V2021, TableId::T4), 15);
        assert_eq!(count(FormatVersion::V2019, TableId::T2), 22);
        assert_eq!(count(FormatVersion::V2019, TableId::T3), 161);
        assert_eq!(count(FormatVersion::V2019, TableId::T4), 15);
    }

    #[test]
    fn ids_are_unique_and_labels_exact() {
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            assert_eq!(cat.by_id.len(), cat.all_cells().len(), "duplicate id in {v}");
        }
        let cat = catalogue(FormatVersion::V2021);
        let c = cat.cell("t3.withheld.security_stability.total").expect("cell");
        assert_eq!(
            c.row_label(Lang::Zh),
            "三、本年度办理结果 / （三）不予公开 / 3.危及“三安全一稳定”"
        );
        assert_eq!(c.column_label(Lang::Zh), "申请人情况 / 总计");
        let c = cat.cell("t4.lit_after_review.pending").expect("cell");
        assert_eq!(c.column_label(Lang::Zh), "行政诉讼 / 复议后起诉 / 尚未审结");
        assert_eq!(
            cat.cell("t2.fees.amount").map(|c| c.kind),
            Some(ValueKind::MoneyWanYuan)
        );
        // （六）其他处理 printed as one row has cells of its own, outside the form's.
        assert!(!cat.cells().iter().any(|d| d.id == "t3.other.total"));
        let group = cat.group_of("t3.other.total").expect("group");
        assert_eq!(group.parts, ["other.no_correction", "other.fee_unpaid", "other.other"]);
        assert_eq!(
            cat.cell("t3.other.total").map(|d| d.row_label(Lang::Zh)).as_deref(),
            Some("三、本年度办理结果 / （六）其他处理")
        );
        // So have （三）–（五）, in both forms; a group's sub-rows are the rows under its label.
        assert_eq!(cat.group_cells().len(), 4 * 7);
        let old = catalogue(FormatVersion::V2019);
        assert!(old.cell("t3.other.total").is_some());
        assert_eq!(old.group_cells().len(), 3 * 7);
        for c in [cat, old] {
            let keys: Vec<&str> = c.t3_groups.iter().map(|g| g.key).collect();
            let want: &[&str] = match c.version {
                FormatVersion::V2019 => &["withheld", "unavailable", "not_handled"],
                FormatVersion::V2021 => &["withheld", "unavailable", "not_handled", "other"],
            };
            assert_eq!(keys, want);
            for g in c.t3_groups {
                let under: Vec<&str> = c
                    .t3_rows
                    .iter()
                    .filter(|r| r.group == Some(g.label))
                    .map(|r| r.key)
                    .collect();
                assert_eq!(g.parts, under.as_slice(), "{}", g.key);
                assert!(c.cells().iter().all(|d| d.row_key != g.key), "{}", g.key);
            }
        }
        assert_eq!(
            old.cell("t3.not_handled.total")
                .map(|d| d.row_label(Lang::Zh))
                .as_deref(),
            Some("三、本年度办理结果 / （五）不予处理")
        );
        assert_eq!(
            old.cell("t2.licensing.change").map(|c| c.kind),
            Some(ValueKind::SignedCount)
        );
    }

    #[test]
    fn results_leaves_are_21_and_19() {
        assert_eq!(
            catalogue(FormatVersion::V2021).t3_rows_with(T3RowRole::Result).count(),
            21
        );
        assert_eq!(
            catalogue(FormatVersion::V2019).t3_rows_with(T3RowRole::Result).count(),
            19
        );
    }

    /// A group cell stands for its items' cells in its column, found by position: the same
    /// cells as by id, for every group cell of both forms; a cell of the form stands for none.
    #[test]
    fn group_cells_stand_for_their_items_by_position() {
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            let form = cat.cells().len();
            assert!((0..form).all(|p| cat.group_part_positions(p).is_none()));
            for (i, d) in cat.group_cells().iter().enumerate() {
                let group = cat.group_of(&d.id).expect("a group");
                let by_id: Vec<usize> = group
                    .parts
                    .iter()
                    .map(|p| cat.position(&t3_id(p, d.column_key)).expect("listed"))
                    .collect();
                assert_eq!(cat.group_part_positions(form + i), Some(by_id.as_slice()), "{}", d.id);
            }
            assert!(cat.group_part_positions(cat.all_cells().len()).is_none());
        }
    }
}
