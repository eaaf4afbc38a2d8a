//! The arithmetic identities of the official form (勾稽关系, format-spec §8.2) as data: each says
//! that the cells on its left add up to the cells on its right. The rules check them, the Excel
//! template writes its totals and check cells from them, the text reader uses them to cut digits
//! that ran together, and `docs/rules.md` lists them — so a new identity is one entry here.

use crate::catalogue::{
    Catalogue, T3_COLUMNS, T3_TOTAL, T3Row, T3RowRole, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, TableId, t3_id, t4_id,
};

/// Rule ids of the identities (the rules of the same id check them).
pub const T3_BALANCE: &str = "T3-BAL";
/// Each table-3 row's 总计 is the sum of its applicant columns.
pub const T3_ROW_SUM: &str = "T3-ROWSUM";
/// Each table-3 column's （七）总计 is the sum of the results above it.
pub const T3_RESULTS: &str = "T3-RESULTS";
/// Each table-4 group's 总计 is the sum of its outcomes.
pub const T4_SUM: &str = "T4-SUM";

/// One side of an identity: what it is called and the cells it adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// How a message names this side, in Chinese (official wording) and English.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Catalogue ids of the cells added up, in form order.
    pub ids: Vec<String>,
}

/// What an identity is about: a column or a row of table 3, a group of table 4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The official label (path) of the column, row or group.
    pub label: String,
    /// How a message names it in Chinese: `表三「自然人」列`.
    pub zh: String,
    /// English.
    pub en: String,
}

/// `Σ lhs = Σ rhs` over cells of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The rule that checks it.
    pub rule: &'static str,
    /// The table its cells are in.
    pub table: TableId,
    /// The column, row or group it is about.
    pub subject: Subject,
    /// The side the report states as the total (`found` in a finding).
    pub lhs: Side,
    /// The side it should equal (`expected`).
    pub rhs: Side,
}

fn side(zh: impl Into<String>, en: impl Into<String>, ids: Vec<String>) -> Side {
    Side {
        zh: zh.into(),
        en: en.into(),
        ids,
    }
}

pub(crate) fn t3_column_subject(c: &crate::catalogue::T3Column) -> Subject {
    Subject {
        label: c.label.zh.to_string(),
        zh: format!("表三「{}」列", c.label.zh),
        en: format!("Table 3, column “{}” ({})", c.label.zh, c.label.en),
    }
}

fn t3_row_subject(r: &T3Row) -> Subject {
    let full_zh = match r.group {
        Some(g) => format!("{}{}", g.zh, r.label.zh),
        None => r.label.zh.to_string(),
    };
    Subject {
        label: full_zh.clone(),
        zh: format!("表三「{full_zh}」行"),
        en: format!("Table 3, row “{full_zh}” ({})", r.label.en),
    }
}

/// Every identity of a format version, rule by rule in the order the rules run, and within a
/// rule in form order.
pub(crate) fn build(cat: &Catalogue) -> Vec<Identity> {
    let mut out = Vec::new();
    // 第三项 + 第四项 = 第一项 + 第二项, per applicant column and the total column.
    for c in &T3_COLUMNS {
        let ids = |roles: &[T3RowRole]| -> Vec<String> {
            roles
                .iter()
                .flat_map(|r| cat.t3_ids(*r, c.key).iter().cloned())
                .collect()
        };
        out.push(Identity {
            rule: T3_BALANCE,
            table: TableId::T3,
            subject: t3_column_subject(c),
            lhs: side(
                "第三项加第四项之和",
                "results total + carried forward",
                ids(&[T3RowRole::ResultsTotal, T3RowRole::CarriedForward]),
            ),
            rhs: side(
                "第一项加第二项之和",
                "new + carried over",
                ids(&[T3RowRole::NewReceived, T3RowRole::CarriedOver]),
            ),
        });
    }
    // Each row's 总计 = Σ applicant columns.
    for r in cat.t3_rows {
        let parts = T3_COLUMNS
            .iter()
            .filter(|c| c.key != T3_TOTAL)
            .map(|c| t3_id(r.key, c.key))
            .collect();
        out.push(Identity {
            rule: T3_ROW_SUM,
            table: TableId::T3,
            subject: t3_row_subject(r),
            lhs: side("总计", "the total", vec![t3_id(r.key, T3_TOTAL)]),
            rhs: side("各类申请人之和", "the sum of the applicant columns", parts),
        });
    }
    // （七）总计 = Σ results, per column.
    for c in &T3_COLUMNS {
        let leaves = cat.t3_ids(T3RowRole::Result, c.key).to_vec();
        let n = leaves.len();
        out.push(Identity {
            rule: T3_RESULTS,
            table: TableId::T3,
            subject: t3_column_subject(c),
            lhs: side(
                "（七）总计",
                "(7) total",
                cat.t3_ids(T3RowRole::ResultsTotal, c.key).to_vec(),
            ),
            rhs: side(
                format!("{n}项办理结果之和"),
                format!("the sum of the {n} results"),
                leaves,
            ),
        });
    }
    // Each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    for g in &T4_GROUPS {
        let path_zh = match g.parent {
            Some(p) => format!("{} / {}", p.zh, g.label.zh),
            None => g.label.zh.to_string(),
        };
        let parts = T4_OUTCOMES
            .iter()
            .filter(|o| o.key != T4_TOTAL)
            .map(|o| t4_id(g.key, o.key))
            .collect();
        out.push(Identity {
            rule: T4_SUM,
            table: TableId::T4,
            subject: Subject {
                label: path_zh.clone(),
                zh: format!("表四「{path_zh}」"),
                en: format!("Table 4 “{path_zh}” ({})", g.label.en),
            },
            lhs: side("总计", "the total", vec![t4_id(g.key, T4_TOTAL)]),
            rhs: side(
                "结果维持、结果纠正、其他结果、尚未审结之和",
                "upheld + corrected + other + pending",
                parts,
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::catalogue::catalogue;
    use crate::version::FormatVersion;

    #[test]
    fn every_identity_names_cells_of_its_table_and_none_twice() {
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            let ids = cat.identities();
            // 7 balances, a row sum per table-3 row, 7 result totals, 3 table-4 groups.
            assert_eq!(ids.len(), 7 + cat.t3_rows.len() + 7 + 3, "{v}");
            for i in ids {
                let mut all: Vec<&String> = i.lhs.ids.iter().chain(&i.rhs.ids).collect();
                assert!(!i.lhs.ids.is_empty() && !i.rhs.ids.is_empty(), "{i:?}");
                for id in &all {
                    let def = cat.cell(id).unwrap_or_else(|| panic!("{id} is in the catalogue"));
                    assert_eq!(def.table, i.table, "{id}");
                }
                all.sort();
                all.dedup();
                assert_eq!(all.len(), i.lhs.ids.len() + i.rhs.ids.len(), "{i:?}");
            }
        }
    }
}
