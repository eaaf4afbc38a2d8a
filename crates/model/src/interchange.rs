//! The column sets of xxgk's two CSV forms and the guard that keeps report text from becoming
//! a spreadsheet formula.
//!
//! The exporters write these columns and the importers read them, so each header is written
//! down once, here. The column names are public interfaces, like the cell ids, and change only
//! with a format version. No I/O happens here: these are names and pure string functions.
//!
//! * **Long CSV** (`csv`): one line per cell, columns [`LONG_CSV_HEADER`]. A cell is given by
//!   its `state` (`number`, `blank`, `placeholder`, `text`), its `value` (the exact number of a
//!   `number` cell) and its `raw` text (what was written, when it is not the plain number). An
//!   annotated or unit-bearing number (“22（其中修订16件）”, “251000元”) is read back by parsing
//!   `raw` again, so annotation and unit need no columns of their own.
//! * **Wide CSV** (`csv-wide`): one line per report. The metadata columns [`WIDE_META_COLUMNS`]
//!   come first, then one column per cell id. The first line holds the column names (ids); the
//!   second line holds the labels of the columns for people, and starts with a label of
//!   `agency` from [`WIDE_META_COLUMNS`], by which readers know to skip it. Each cell column
//!   holds the cell's text as written (`80`, `/`, `22（其中修订16件）`, or nothing for a blank),
//!   read back through the same cell parser as every other source; so a cell reads back as its
//!   text says (a `raw` that is just the plain number, such as `"-2"` for −2, is not kept).
//!   Reports of different format versions share one column set: the union of the ids of the
//!   versions present, newest version first, each in form order; a report leaves the ids of
//!   other versions empty.

use crate::catalogue::{CellDef, catalogue};
use crate::version::{FormatVersion, Lang};

/// Columns of the long CSV, in order.
pub const LONG_CSV_HEADER: [&str; 10] = [
    "agency",
    "year",
    "format",
    "cell_id",
    "table",
    "row_label",
    "column_label",
    "value",
    "state",
    "raw",
];

/// A metadata column of the wide CSV: its name and its label for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetaColumn {
    /// Column name on the first header line.
    pub name: &'static str,
    /// Label on the second header line (Chinese).
    pub zh: &'static str,
    /// Label on the second header line (English).
    pub en: &'static str,
}

impl MetaColumn {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The metadata columns that open every line of the wide CSV.
pub const WIDE_META_COLUMNS: [MetaColumn; 4] = [
    MetaColumn {
        name: "agency",
        zh: "机关名称",
        en: "Agency",
    },
    MetaColumn {
        name: "region_code",
        zh: "行政区划代码",
        en: "Region code",
    },
    MetaColumn {
        name: "year",
        zh: "年度",
        en: "Year",
    },
    MetaColumn {
        name: "format",
        zh: "格式",
        en: "Format",
    },
];

/// The cell columns of a wide CSV holding reports of `versions`: the union of their ids, newest
/// version first, each in form order. The definition given for an id is the newest version's.
pub fn wide_cell_columns(versions: &[FormatVersion]) -> Vec<&'static CellDef> {
    let mut versions: Vec<FormatVersion> = versions.to_vec();
    versions.sort_unstable();
    versions.dedup();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for v in versions.into_iter().rev() {
        for def in catalogue(v).cells() {
            if seen.insert(def.id.as_str()) {
                out.push(def);
            }
        }
    }
    out
}

/// The label of a cell column on the wide CSV's second header line:
/// `表三 三、本年度办理结果 / （一）予以公开 × 申请人情况 / 自然人`.
pub fn wide_cell_label(def: &CellDef, lang: Lang) -> String {
    let table = def.table.name(lang);
    let rows = def.row_label(lang);
    let cols = def.column_label(lang);
    if rows.is_empty() {
        format!("{table} {cols}")
    } else {
        format!("{table} {rows} × {cols}")
    }
}

/// Whether a spreadsheet would read `text` as a formula: it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return.
pub fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` made safe for a CSV cell opened in Excel or WPS: a `'` is put before text that would
/// start a formula (the OWASP recommendation), and before text that already starts with `'`, so
/// that [`unguard_csv`] restores every text exactly.
pub fn guard_csv(text: &str) -> String {
    if looks_like_formula(text) || text.starts_with('\'') {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Undoes [`guard_csv`]: removes the one `'` it adds.
pub fn unguard_csv(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) || rest.starts_with('\'') => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_and_every_text_restored() {
        for t in [
            "=SUM(A1)",
            "+1",
            "-",
            "@x",
            "—",
            "普通文字",
            "'=x",
            "'",
            "''",
            "'abc",
            "",
            "\tx",
        ] {
            assert_eq!(unguard_csv(&guard_csv(t)), t, "{t:?}");
        }
        assert_eq!(guard_csv("=1+1"), "'=1+1");
        assert_eq!(guard_csv("—"), "—");
        assert_eq!(guard_csv("80"), "80");
        // A hand-typed apostrophe before ordinary text is not ours and stays.
        assert_eq!(unguard_csv("'abc"), "'abc");
    }

    #[test]
    fn wide_columns_are_the_union_newest_first() {
        let both = wide_cell_columns(&[FormatVersion::V2019, FormatVersion::V2021, FormatVersion::V2019]);
        let v21 = catalogue(FormatVersion::V2021).cells().len();
        assert_eq!(both[0].id, catalogue(FormatVersion::V2021).cells()[0].id);
        assert!(both.len() > v21);
        assert!(both.iter().any(|d| d.id == "t3.other.total"));
        assert!(both.iter().any(|d| d.id == "t3.other.fee_unpaid.total"));
        let ids: std::collections::HashSet<_> = both.iter().map(|d| &d.id).collect();
        assert_eq!(ids.len(), both.len());
        let label = wide_cell_label(
            catalogue(FormatVersion::V2021)
                .cell("t3.granted.natural_person")
                .expect("cell"),
            Lang::Zh,
        );
        assert_eq!(label, "表三 三、本年度办理结果 / （一）予以公开 × 申请人情况 / 自然人");
    }
}
