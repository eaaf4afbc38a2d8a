//! The arithmetic identities of the official form (勾稽关系, format-spec §8.2) as data: each says
//! that the cells on its left add up to the cells on its right. The rules check them, the Excel
//! template writes its totals and check cells from them, the text reader uses them to cut digits
//! that ran together, and `docs/rules.md` lists them — so a new identity is one entry here.

use crate::catalogue::{
    Catalogue, T3_COLUMNS, T3_TOTAL, T3Group, T3Row, T3RowRole, T4_GROUPS, T4_OUTCOMES, T4_TOTAL, TableId, t3_id, t4_id,
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
    /// Their positions in [`Catalogue::all_cells`], in the same order (filled when the
    /// catalogue is built; the rules add cells up by position).
    pub positions: Vec<usize>,
    /// Groups whose one cell stands for some of `ids` in a report that prints the group as one
    /// row without its sub-rows ([`T3Group`]).
    pub groups: Vec<Stand>,
}

/// A group's cell that stands for cells of a side when a report prints the group alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stand {
    /// The group.
    pub group: &'static T3Group,
    /// Its cell in this side's column.
    pub cell: String,
    /// The cells of the side it stands for.
    pub parts: Vec<String>,
}

impl Side {
    /// The cells to add up in a report: `ids`, where the report prints a group alone (as
    /// `alone` says) with the group's cell in place of the cells it stands for.
    pub fn cells(&self, alone: impl Fn(&T3Group) -> bool) -> Vec<String> {
        let mut out = self.ids.clone();
        for s in &self.groups {
            if !alone(s.group) {
                continue;
            }
            let Some(at) = out.iter().position(|id| s.parts.contains(id)) else {
                continue;
            };
            out.retain(|id| !s.parts.contains(id));
            out.insert(at.min(out.len()), s.cell.clone());
        }
        out
    }
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
    /// Checked only when both sides hold a figure: an identity over a group's own cells, which a
    /// report prints only when it prints the group as one row.
    pub when_printed: bool,
}

fn side(zh: impl Into<String>, en: impl Into<String>, ids: Vec<String>) -> Side {
    Side {
        zh: zh.into(),
        en: en.into(),
        ids,
        positions: Vec::new(),
        groups: Vec::new(),
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

fn t3_group_subject(g: &T3Group) -> Subject {
    Subject {
        label: g.label.zh.to_string(),
        zh: format!("表三「{}」行", g.label.zh),
        en: format!("Table 3, row “{}” ({})", g.label.zh, g.label.en),
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
            when_printed: false,
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
            when_printed: false,
        });
    }
    // A group printed as one row: its 总计 = Σ applicant columns.
    for g in cat.t3_groups {
        let parts = T3_COLUMNS
            .iter()
            .filter(|c| c.key != T3_TOTAL)
            .map(|c| t3_id(g.key, c.key))
            .collect();
        out.push(Identity {
            rule: T3_ROW_SUM,
            table: TableId::T3,
            subject: t3_group_subject(g),
            lhs: side("总计", "the total", vec![t3_id(g.key, T3_TOTAL)]),
            rhs: side("各类申请人之和", "the sum of the applicant columns", parts),
            when_printed: true,
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
            rhs: Side {
                groups: cat
                    .t3_groups
                    .iter()
                    .map(|g| Stand {
                        group: g,
                        cell: t3_id(g.key, c.key),
                        parts: g.parts.iter().map(|p| t3_id(p, c.key)).collect(),
                    })
                    .collect(),
                ..side(
                    format!("{n}项办理结果之和"),
                    format!("the sum of the {n} results"),
                    leaves,
                )
            },
            when_printed: false,
        });
        // A group printed both as one row and by its sub-rows: the row is their sum.
        for g in cat.t3_groups {
            let n = g.parts.len();
            out.push(Identity {
                rule: T3_RESULTS,
                table: TableId::T3,
                subject: Subject {
                    label: format!("{}{}", g.label.zh, c.label.zh),
                    zh: format!("表三「{}」行「{}」列", g.label.zh, c.label.zh),
                    en: format!(
                        "Table 3, row “{}”, column “{}” ({})",
                        g.label.zh, c.label.zh, c.label.en
                    ),
                },
                lhs: side(g.label.zh, g.label.en, vec![t3_id(g.key, c.key)]),
                rhs: side(
                    format!("其{n}个细项之和"),
                    format!("the sum of its {n} items"),
                    g.parts.iter().map(|p| t3_id(p, c.key)).collect(),
                ),
                when_printed: true,
            });
        }
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
            when_printed: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::catalogue::{T3_COLUMNS, catalogue, t3_id};
    use crate::finding::{Finding, Status};
    use crate::report::{Meta, Report};
    use crate::rules::{CheckOptions, check};
    use crate::value::{Cell, Num};
    use crate::version::FormatVersion;

    /// A 2021-form report of zeros with 5 requests from natural persons: 2 disclosed, 3 under
    /// （六）其他处理, printed as one row (`other` given) or by its items (`items` given).
    fn with_other(other: Option<i64>, items: Option<[i64; 3]>) -> Report {
        with_group(FormatVersion::V2021, "other", other, items.as_ref().map(|v| &v[..]))
    }

    /// A report of zeros with 5 requests from natural persons: 2 disclosed and 3 in `group`,
    /// printed as one row (`row` given), by its sub-rows (`items`, in form order from the first;
    /// the rest 0), or both.
    fn with_group(v: FormatVersion, group: &str, row: Option<i64>, items: Option<&[i64]>) -> Report {
        let cat = catalogue(v);
        let g = cat.t3_groups.iter().find(|g| g.key == group).expect("group");
        let mut r = Report::new(Meta::new("某局", 2023, v));
        for d in cat.cells() {
            r.cells.set(d.id.clone(), Cell::number(0));
        }
        let set = |r: &mut Report, row: &str, v: i64| {
            r.cells.set(t3_id(row, "natural_person"), Cell::number(Num::int(v)));
            r.cells.set(t3_id(row, "total"), Cell::number(Num::int(v)));
        };
        set(&mut r, "new_received", 5);
        set(&mut r, "granted", 2);
        set(&mut r, "results_total", 5);
        match items {
            Some(items) => {
                for (p, v) in g.parts.iter().zip(items) {
                    set(&mut r, p, *v);
                }
            }
            None => {
                for p in g.parts {
                    for c in &T3_COLUMNS {
                        r.cells.0.shift_remove(&t3_id(p, c.key));
                    }
                }
            }
        }
        if let Some(v) = row {
            for c in &T3_COLUMNS {
                r.cells.set(t3_id(g.key, c.key), Cell::number(0));
            }
            set(&mut r, g.key, v);
        }
        r.normalize_cells();
        r
    }

    /// No check of the tables fails (the report has no text sections; those rules are not asked).
    fn tables_hold(f: &[Finding]) -> bool {
        f.iter().all(|x| x.status != Status::Fail || !x.rule.starts_with("T3"))
    }

    fn of<'a>(f: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
        f.iter().filter(|x| x.rule == rule).collect()
    }

    #[test]
    fn a_group_printed_as_one_row_stands_for_its_items_in_the_results_total() {
        let f = check(&with_other(Some(3), None), &CheckOptions::default());
        let results = of(&f, super::T3_RESULTS);
        assert_eq!(results.len(), 7, "one per column, none about the items: {results:#?}");
        assert!(results.iter().all(|x| x.status == Status::Pass), "{results:#?}");
        let nat = results
            .iter()
            .find(|x| x.subject_label().as_deref() == Some("自然人"))
            .expect("自然人");
        assert!(nat.cells.iter().any(|c| c.id == "t3.other.natural_person"), "{nat:#?}");
        assert!(
            !nat.cells.iter().any(|c| c.id.as_str().starts_with("t3.other.other")),
            "{nat:#?}"
        );
        // The group's own row sum is checked, its items' are not, and its items are not counted
        // blank.
        let row_sums = of(&f, super::T3_ROW_SUM);
        assert!(
            row_sums
                .iter()
                .any(|x| x.subject_label().as_deref() == Some("（六）其他处理") && x.status == Status::Pass)
        );
        assert_eq!(row_sums.len(), 25 - 3 + 1, "{row_sums:#?}");
        assert!(of(&f, "T34-BLANK").iter().all(|x| x.status == Status::Pass), "{f:#?}");

        // One short in the group: the results total of its column fails.
        let f = check(&with_other(Some(2), None), &CheckOptions::default());
        let failed: Vec<_> = of(&f, super::T3_RESULTS)
            .into_iter()
            .filter(|x| x.status == Status::Fail)
            .filter_map(|x| x.subject_label().map(|s| s.to_string()))
            .collect();
        assert_eq!(failed, ["自然人", "总计"]);
    }

    #[test]
    fn a_group_printed_with_its_items_must_be_their_sum() {
        let f = check(&with_other(Some(3), Some([1, 1, 0])), &CheckOptions::default());
        let failed: Vec<_> = f
            .iter()
            .filter(|x| x.status == Status::Fail)
            .map(|x| {
                (
                    x.rule.as_ref(),
                    x.subject_label().map(|s| s.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        // The group (3) is not the sum of its items (2) in two columns; the results total, which
        // counts the items, is one short there too.
        assert!(
            failed.contains(&(super::T3_RESULTS, "（六）其他处理自然人".into())),
            "{failed:?}"
        );
        assert!(
            failed.contains(&(super::T3_RESULTS, "（六）其他处理总计".into())),
            "{failed:?}"
        );
        assert!(failed.contains(&(super::T3_RESULTS, "自然人".into())), "{failed:?}");
        let f = check(&with_other(Some(3), Some([1, 1, 1])), &CheckOptions::default());
        assert!(tables_hold(&f), "{f:#?}");
    }

    /// Summing a report that prints the group as one row with one that prints its items: the
    /// group's cell adds up both (3 + the items' 1 + 1 + 1), the items are a gap (blank in one
    /// input), and the sum's results total holds with the group in place of the items.
    #[test]
    fn reports_printing_the_group_either_way_add_up() {
        use crate::aggregate::{AggregateOptions, aggregate};
        let (alone, items) = (with_other(Some(3), None), with_other(None, Some([1, 1, 1])));
        let sum = aggregate("合计", &[&alone, &items], AggregateOptions::default()).expect("sum");
        let value = |id: &str| sum.report.cell(id).value().map(|n| n.to_string());
        assert_eq!(value("t3.other.natural_person").as_deref(), Some("6"));
        assert_eq!(value("t3.results_total.total").as_deref(), Some("10"));
        assert_eq!(value("t3.other.other.total"), None);
        assert!(
            sum.gaps
                .iter()
                .any(|g| g.cell == "t3.other.other.total" && g.reports == [0])
        );
        let f = check(&sum.report, &CheckOptions::default());
        assert!(tables_hold(&f), "{f:#?}");
        assert!(of(&f, super::T3_RESULTS).iter().all(|x| x.status == Status::Pass));
        // Reports that all print the items: the sum has no group cell.
        let sum = aggregate("合计", &[&items, &items], AggregateOptions { blank_as_zero: true }).expect("sum");
        assert!(
            sum.report
                .cells
                .iter()
                .all(|(id, _)| !(id.starts_with("t3.other.") && id.split('.').count() == 3))
        );
    }

    #[test]
    fn without_a_group_row_the_checks_are_those_of_the_form() {
        let items = check(&with_other(None, Some([1, 1, 1])), &CheckOptions::default());
        assert!(tables_hold(&items), "{items:#?}");
        assert!(
            !items.iter().any(|x| x
                .cells
                .iter()
                .any(|c| c.id.as_str().starts_with("t3.other.") && c.id.as_str().split('.').count() == 3)),
            "no finding names a group cell"
        );
        let n = |rule| of(&items, rule).len();
        assert_eq!((n(super::T3_RESULTS), n(super::T3_ROW_SUM)), (7, 25));
        // Neither group nor items: the results total cannot be assessed, and says which cells.
        let f = check(&with_other(None, None), &CheckOptions::default());
        let nat = of(&f, super::T3_RESULTS)
            .into_iter()
            .find(|x| x.subject_label().as_deref() == Some("自然人"))
            .expect("自然人");
        assert_eq!(nat.status, Status::NotAssessable);
    }

    /// （三）不予公开, （四）无法提供 and （五）不予处理 (and （六） in the 2021 form) printed as one
    /// row each: the group stands for its sub-rows in （七）总计, its row sum is checked, its
    /// sub-rows are not counted blank; printed with its sub-rows, it must be their sum.
    #[test]
    fn every_group_printed_as_one_row_is_checked_in_both_forms() {
        for v in FormatVersion::ALL {
            for g in catalogue(v).t3_groups {
                let f = check(&with_group(v, g.key, Some(3), None), &CheckOptions::default());
                assert!(tables_hold(&f), "{v} {}: {f:#?}", g.key);
                let results = of(&f, super::T3_RESULTS);
                assert_eq!(results.len(), 7, "{v} {}", g.key);
                assert!(results.iter().all(|x| x.status == Status::Pass), "{v} {}", g.key);
                let group_cell = t3_id(g.key, "natural_person");
                assert!(
                    results.iter().any(|x| x.cells.iter().any(|c| c.id == group_cell)),
                    "{v} {}",
                    g.key
                );
                let rows = catalogue(v).t3_rows.len();
                assert_eq!(
                    of(&f, super::T3_ROW_SUM).len(),
                    rows - g.parts.len() + 1,
                    "{v} {}",
                    g.key
                );
                assert!(
                    of(&f, "T34-BLANK").iter().all(|x| x.status == Status::Pass),
                    "{v} {}",
                    g.key
                );

                // One short in the group: （七）总计 fails in its column and the total column.
                let f = check(&with_group(v, g.key, Some(2), None), &CheckOptions::default());
                let failed: Vec<_> = of(&f, super::T3_RESULTS)
                    .into_iter()
                    .filter(|x| x.status == Status::Fail)
                    .filter_map(|x| x.subject_label().map(|s| s.to_string()))
                    .collect();
                assert_eq!(failed, ["自然人", "总计"], "{v} {}", g.key);

                // Printed with its sub-rows that add up to 2, not 3: the group row fails.
                let f = check(&with_group(v, g.key, Some(3), Some(&[2])), &CheckOptions::default());
                let failed: Vec<String> = of(&f, super::T3_RESULTS)
                    .into_iter()
                    .filter(|x| x.status == Status::Fail)
                    .filter_map(|x| x.subject_label().map(|s| s.to_string()))
                    .collect();
                let row_of = format!("{}自然人", g.label.zh);
                assert!(failed.contains(&row_of), "{v} {}: {failed:?}", g.key);
                // Agreeing with them, everything holds.
                let f = check(&with_group(v, g.key, Some(3), Some(&[3])), &CheckOptions::default());
                assert!(tables_hold(&f), "{v} {}: {f:#?}", g.key);

                // Summed with a report printing the sub-rows: the group's cell adds both (3 + 3),
                // and the sum holds with the group in place of the sub-rows.
                use crate::aggregate::{AggregateOptions, aggregate};
                let (alone, items) = (
                    with_group(v, g.key, Some(3), None),
                    with_group(v, g.key, None, Some(&[3])),
                );
                let sum = aggregate("合计", &[&alone, &items], AggregateOptions::default()).expect("sum");
                let value = |id: &str| sum.report.cell(id).value().map(|n| n.to_string());
                assert_eq!(value(&t3_id(g.key, "total")).as_deref(), Some("6"), "{v} {}", g.key);
                assert_eq!(value("t3.results_total.total").as_deref(), Some("10"), "{v} {}", g.key);
                let f = check(&sum.report, &CheckOptions::default());
                assert!(tables_hold(&f), "{v} {}: {f:#?}", g.key);
            }
        }
    }

    #[test]
    fn every_identity_names_cells_of_its_table_and_none_twice() {
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            let ids = cat.identities();
            // 7 balances, a row sum per table-3 row and group, 7 result totals and 7 sums of each
            // group's items, 3 table-4 groups.
            let groups = cat.t3_groups.len();
            assert_eq!(ids.len(), 7 + cat.t3_rows.len() + groups + 7 + 7 * groups + 3, "{v}");
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
