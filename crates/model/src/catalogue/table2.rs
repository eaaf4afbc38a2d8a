//! Table 2 (主动公开情况): its blocks, rows and columns in both format versions.

use super::*;

/// A data column of a table-2 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T2Column {
    /// Key used in cell ids.
    pub key: &'static str,
    /// Column header.
    pub label: Label,
    /// What the column holds.
    pub kind: ValueKind,
}

/// A row of a table-2 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T2Row {
    /// Key used in cell ids.
    pub key: &'static str,
    /// Row label (信息内容).
    pub label: Label,
}

/// A block of table 2: one item of 条例第二十条, with a caption row and a header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T2Block {
    /// Caption row, e.g. `第二十条第（一）项`.
    pub caption: Label,
    /// Data columns (after the `信息内容` label column).
    pub columns: &'static [T2Column],
    /// Rows.
    pub rows: &'static [T2Row],
}

/// First cell of every table-2 header row.
pub const T2_LABEL_HEADER: Label = Label::new("信息内容", "Item");

pub(super) const fn col(key: &'static str, zh: &'static str, en: &'static str, kind: ValueKind) -> T2Column {
    T2Column {
        key,
        label: Label::new(zh, en),
        kind,
    }
}
pub(super) const fn row(key: &'static str, zh: &'static str, en: &'static str) -> T2Row {
    T2Row {
        key,
        label: Label::new(zh, en),
    }
}

pub(super) const ITEM_1: Label = Label::new("第二十条第（一）项", "Article 20 (1)");
pub(super) const ITEM_5: Label = Label::new("第二十条第（五）项", "Article 20 (5)");
pub(super) const ITEM_6: Label = Label::new("第二十条第（六）项", "Article 20 (6)");
pub(super) const ITEM_8: Label = Label::new("第二十条第（八）项", "Article 20 (8)");
pub(super) const ITEM_9: Label = Label::new("第二十条第（九）项", "Article 20 (9)");

pub(super) const V2021_DECISIONS: &[T2Column] = &[col("decisions", "本年处理决定数量", "Decisions this year", Count)];

pub(super) static T2_V2021: [T2Block; 4] = [
    T2Block {
        caption: ITEM_1,
        columns: &[
            col("made", "本年制发件数", "Made this year", Count),
            col("repealed", "本年废止件数", "Repealed this year", Count),
            col("in_force", "现行有效件数", "In force", Count),
        ],
        rows: &[
            row("regulations", "规章", "Rules (规章)"),
            row("normative_docs", "行政规范性文件", "Administrative normative documents"),
        ],
    },
    T2Block {
        caption: ITEM_5,
        columns: V2021_DECISIONS,
        rows: &[row("licensing", "行政许可", "Administrative licensing")],
    },
    T2Block {
        caption: ITEM_6,
        columns: V2021_DECISIONS,
        rows: &[
            row("penalty", "行政处罚", "Administrative penalties"),
            row("coercion", "行政强制", "Administrative coercion"),
        ],
    },
    T2Block {
        caption: ITEM_8,
        columns: &[col(
            "amount",
            "本年收费金额（单位：万元）",
            "Fees collected this year (10,000 yuan)",
            MoneyWanYuan,
        )],
        rows: &[row("fees", "行政事业性收费", "Administrative fees")],
    },
];

pub(super) const V2019_ITEMS: &[T2Column] = &[
    col("prev_items", "上一年项目数量", "Items last year", Count),
    col("change", "本年增/减", "Change this year", SignedCount),
    col("decisions", "处理决定数量", "Decisions", Count),
];

pub(super) static T2_V2019: [T2Block; 5] = [
    T2Block {
        caption: ITEM_1,
        columns: &[
            col("new_made", "本年新制作数量", "Newly made this year", Count),
            col("new_published", "本年新公开数量", "Newly published this year", Count),
            col("total_published", "对外公开总数量", "Total published", Count),
        ],
        rows: &[
            row("regulations", "规章", "Rules (规章)"),
            row("normative_docs", "规范性文件", "Normative documents"),
        ],
    },
    T2Block {
        caption: ITEM_5,
        columns: V2019_ITEMS,
        rows: &[
            row("licensing", "行政许可", "Administrative licensing"),
            row(
                "other_services",
                "其他对外管理服务事项",
                "Other external management services",
            ),
        ],
    },
    T2Block {
        caption: ITEM_6,
        columns: V2019_ITEMS,
        rows: &[
            row("penalty", "行政处罚", "Administrative penalties"),
            row("coercion", "行政强制", "Administrative coercion"),
        ],
    },
    T2Block {
        caption: ITEM_8,
        columns: &[
            col("prev_items", "上一年项目数量", "Items last year", Count),
            col("change", "本年增/减", "Change this year", SignedCount),
        ],
        rows: &[row("fees", "行政事业性收费", "Administrative fees")],
    },
    T2Block {
        caption: ITEM_9,
        columns: &[
            col("items", "采购项目数量", "Procurement items", Count),
            col("amount", "采购总金额", "Total procurement amount", Money),
        ],
        rows: &[row("procurement", "政府集中采购", "Centralised government procurement")],
    },
];
