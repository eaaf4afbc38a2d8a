//! Table 4 (政府信息公开行政复议、行政诉讼情况): its groups and 15 cells.

use super::*;

/// Top header over the 行政复议 columns.
pub const T4_REVIEW_HEADER: Label = Label::new("行政复议", "Administrative review");
/// Top header over both 行政诉讼 groups.
pub const T4_LITIGATION_HEADER: Label = Label::new("行政诉讼", "Administrative litigation");

/// A five-column group of table 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T4Group {
    /// Key used in cell ids.
    pub key: &'static str,
    /// The group's own header.
    pub label: Label,
    /// The header above it (`行政诉讼`), if any.
    pub parent: Option<Label>,
}

/// The three groups of table 4 (same in both versions).
pub static T4_GROUPS: [T4Group; 3] = [
    T4Group {
        key: "review",
        label: T4_REVIEW_HEADER,
        parent: None,
    },
    T4Group {
        key: "lit_direct",
        label: Label::new("未经复议直接起诉", "Sued without prior review"),
        parent: Some(T4_LITIGATION_HEADER),
    },
    T4Group {
        key: "lit_after_review",
        label: Label::new("复议后起诉", "Sued after review"),
        parent: Some(T4_LITIGATION_HEADER),
    },
];

/// A column of a table-4 group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T4Outcome {
    /// Key used in cell ids.
    pub key: &'static str,
    /// Column header.
    pub label: Label,
}

pub(super) const fn outcome(key: &'static str, zh: &'static str, en: &'static str) -> T4Outcome {
    T4Outcome {
        key,
        label: Label::new(zh, en),
    }
}

/// Key of the 总计 column of each table-4 group.
pub const T4_TOTAL: &str = "total";

/// The five columns of each table-4 group; the last is the group's 总计.
pub static T4_OUTCOMES: [T4Outcome; 5] = [
    outcome("upheld", "结果维持", "Upheld"),
    outcome("corrected", "结果纠正", "Corrected"),
    outcome("other", "其他结果", "Other outcome"),
    outcome("pending", "尚未审结", "Pending"),
    outcome(T4_TOTAL, "总计", "Total"),
];
