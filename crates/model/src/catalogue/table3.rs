//! Table 3 (收到和处理政府信息公开申请情况): applicant columns, handling rows and their groups.

use super::*;

/// The note in the top-left header cell of table 3: the balance identity of every column.
pub const T3_BALANCE_NOTE: Label = Label::new(
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "(In each column: item 1 plus item 2 equals item 3 plus item 4)",
);
/// Header over all seven data columns of table 3.
pub const T3_APPLICANTS_HEADER: Label = Label::new("申请人情况", "Applicants");
/// Group header over the five organisation columns (no subtotal column of its own).
pub const T3_ORG_GROUP: Label = Label::new("法人或其他组织", "Legal persons or other organisations");
/// The row header that spans all result rows.
pub const T3_RESULTS_HEADER: Label = Label::new("三、本年度办理结果", "3. Results this year");

/// A data column of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T3Column {
    /// Key used in cell ids.
    pub key: &'static str,
    /// Column header.
    pub label: Label,
    /// Whether the column sits under `法人或其他组织`.
    pub in_org_group: bool,
}

/// The seven data columns of table 3 (same in both versions).
pub static T3_COLUMNS: [T3Column; 7] = [
    T3Column {
        key: "natural_person",
        label: Label::new("自然人", "Natural persons"),
        in_org_group: false,
    },
    T3Column {
        key: "commercial",
        label: Label::new("商业企业", "Commercial enterprises"),
        in_org_group: true,
    },
    T3Column {
        key: "research",
        label: Label::new("科研机构", "Research institutions"),
        in_org_group: true,
    },
    T3Column {
        key: "public_interest",
        label: Label::new("社会公益组织", "Public-interest organisations"),
        in_org_group: true,
    },
    T3Column {
        key: "legal_service",
        label: Label::new("法律服务机构", "Legal service providers"),
        in_org_group: true,
    },
    T3Column {
        key: "other_org",
        label: Label::new("其他", "Other organisations"),
        in_org_group: true,
    },
    T3Column {
        key: "total",
        label: Label::new("总计", "Total"),
        in_org_group: false,
    },
];

/// Key of the 总计 column of table 3.
pub const T3_TOTAL: &str = "total";

/// The role of a table-3 row in the identities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T3RowRole {
    /// 一、本年新收.
    NewReceived,
    /// 二、上年结转.
    CarriedOver,
    /// A leaf of 三、本年度办理结果 (counted in （七）总计).
    Result,
    /// （七）总计.
    ResultsTotal,
    /// 四、结转下年度继续办理.
    CarriedForward,
}

/// A data row of table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T3Row {
    /// Key used in cell ids (may contain a dot: `withheld.state_secret`).
    pub key: &'static str,
    /// The row's own label.
    pub label: Label,
    /// The row-spanning group label above it (`（三）不予公开`), if any.
    pub group: Option<Label>,
    /// Its role in the identities.
    pub role: T3RowRole,
}

pub(super) const WITHHELD: Label = Label::new("（三）不予公开", "(3) Not disclosed");
pub(super) const UNAVAILABLE: Label = Label::new("（四）无法提供", "(4) Cannot be provided");
pub(super) const NOT_HANDLED: Label = Label::new("（五）不予处理", "(5) Not handled");
pub(super) const OTHER_HANDLING: Label = Label::new("（六）其他处理", "(6) Other handling");

pub(super) const fn t3(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    group: Option<Label>,
    role: T3RowRole,
) -> T3Row {
    T3Row {
        key,
        label: Label::new(zh, en),
        group,
        role,
    }
}
pub(super) const fn res(key: &'static str, zh: &'static str, en: &'static str, group: Label) -> T3Row {
    t3(key, zh, en, Some(group), T3RowRole::Result)
}

pub(super) const T3_HEAD: [T3Row; 20] = [
    t3(
        "new_received",
        "一、本年新收政府信息公开申请数量",
        "1. New requests received this year",
        None,
        T3RowRole::NewReceived,
    ),
    t3(
        "carried_over",
        "二、上年结转政府信息公开申请数量",
        "2. Requests carried over from last year",
        None,
        T3RowRole::CarriedOver,
    ),
    t3("granted", "（一）予以公开", "(1) Disclosed", None, T3RowRole::Result),
    t3(
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "(2) Partly disclosed (counted here only)",
        None,
        T3RowRole::Result,
    ),
    res("withheld.state_secret", "1.属于国家秘密", "1. State secret", WITHHELD),
    res(
        "withheld.law_prohibited",
        "2.其他法律行政法规禁止公开",
        "2. Prohibited by other laws and regulations",
        WITHHELD,
    ),
    res(
        "withheld.security_stability",
        "3.危及“三安全一稳定”",
        "3. Endangers security or stability",
        WITHHELD,
    ),
    res(
        "withheld.third_party",
        "4.保护第三方合法权益",
        "4. Protects third-party rights",
        WITHHELD,
    ),
    res(
        "withheld.internal_affairs",
        "5.属于三类内部事务信息",
        "5. Internal affairs",
        WITHHELD,
    ),
    res(
        "withheld.process_info",
        "6.属于四类过程性信息",
        "6. Process information",
        WITHHELD,
    ),
    res(
        "withheld.enforcement_file",
        "7.属于行政执法案卷",
        "7. Enforcement case file",
        WITHHELD,
    ),
    res(
        "withheld.admin_query",
        "8.属于行政查询事项",
        "8. Administrative query matter",
        WITHHELD,
    ),
    res(
        "unavailable.not_held",
        "1.本机关不掌握相关政府信息",
        "1. Not held by this agency",
        UNAVAILABLE,
    ),
    res(
        "unavailable.needs_creation",
        "2.没有现成信息需要另行制作",
        "2. Would have to be created",
        UNAVAILABLE,
    ),
    res(
        "unavailable.still_unclear",
        "3.补正后申请内容仍不明确",
        "3. Still unclear after correction",
        UNAVAILABLE,
    ),
    res(
        "not_handled.petition",
        "1.信访举报投诉类申请",
        "1. Petition, report or complaint",
        NOT_HANDLED,
    ),
    res(
        "not_handled.duplicate",
        "2.重复申请",
        "2. Repeated request",
        NOT_HANDLED,
    ),
    res(
        "not_handled.publication",
        "3.要求提供公开出版物",
        "3. Asks for a publication",
        NOT_HANDLED,
    ),
    res(
        "not_handled.excessive",
        "4.无正当理由大量反复申请",
        "4. Excessive repeated requests",
        NOT_HANDLED,
    ),
    res(
        "not_handled.reconfirm",
        "5.要求行政机关确认或重新出具已获取信息",
        "5. Asks to confirm or re-issue information already obtained",
        NOT_HANDLED,
    ),
];

pub(super) const T3_TAIL: [T3Row; 2] = [
    t3(
        "results_total",
        "（七）总计",
        "(7) Total",
        None,
        T3RowRole::ResultsTotal,
    ),
    t3(
        "carried_forward",
        "四、结转下年度继续办理",
        "4. Carried forward to next year",
        None,
        T3RowRole::CarriedForward,
    ),
];

pub(super) const fn concat_rows<const N: usize>(middle: &[T3Row]) -> [T3Row; N] {
    let mut out = [T3_TAIL[0]; N];
    let mut i = 0;
    while i < T3_HEAD.len() {
        out[i] = T3_HEAD[i];
        i += 1;
    }
    let mut j = 0;
    while j < middle.len() {
        out[i] = middle[j];
        i += 1;
        j += 1;
    }
    out[i] = T3_TAIL[0];
    out[i + 1] = T3_TAIL[1];
    out
}

/// The sub-rows of （六）其他处理 in the 2021 form.
const OTHER_ROWS_V2021: [T3Row; 3] = [
    res(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1. Applicant did not correct in time; no longer handled",
        OTHER_HANDLING,
    ),
    res(
        "other.fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2. Applicant did not pay the fee in time; no longer handled",
        OTHER_HANDLING,
    ),
    res("other.other", "3.其他", "3. Other", OTHER_HANDLING),
];

pub(super) static T3_V2021: [T3Row; 25] = concat_rows(&OTHER_ROWS_V2021);

/// A group of table-3 result rows that a published report may print as one row, without its
/// sub-rows (（三）不予公开, （四）无法提供, （五）不予处理, and in the 2021 form （六）其他处理,
/// each with one line of figures). The form has no cell for it; the catalogue gives it cells of
/// its own (`t3.<key>.<column>`; for （六） the ids the 2019 form uses for the same row), so that
/// such a report is read as printed, never spread over the sub-rows, and the identities that need
/// the group use its value (see `identity.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T3Group {
    /// Key used in its cell ids.
    pub key: &'static str,
    /// The group's label on the form.
    pub label: Label,
    /// The keys of the rows it stands for, in form order.
    pub parts: &'static [&'static str],
}

impl T3Group {
    /// Whether a report prints the group as one row instead of its sub-rows: one of the group's
    /// cells is printed (as `printed` says of an id) and none of its sub-rows' is. Then the
    /// group's cells stand for the sub-rows'.
    pub fn printed_alone(&self, printed: impl Fn(&str) -> bool) -> bool {
        // One buffer for every id asked about: the rules ask this of every group of every report.
        let mut id = String::with_capacity(64);
        let mut row = |key: &str| {
            T3_COLUMNS.iter().any(|c| {
                id.clear();
                id.extend(["t3.", key, ".", c.key]);
                debug_assert_eq!(id, t3_id(key, c.key));
                printed(&id)
            })
        };
        row(self.key) && !self.parts.iter().any(|p| row(p))
    }
}

/// Whether two labels are the same (in a constant).
const fn same_label(a: Label, b: Label) -> bool {
    let (a, b) = (a.zh.as_bytes(), b.zh.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The keys of the rows of `rows` under `group`, in form order: a group's sub-rows are the rows
/// the form prints under its label, and nothing else says which they are. `N` must be their
/// number (checked when the catalogue is compiled).
const fn keys_under<const N: usize>(rows: &[T3Row], group: Label) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < rows.len() {
        if let Some(g) = rows[i].group
            && same_label(g, group)
        {
            assert!(n < N, "more sub-rows than the group says");
            out[n] = rows[i].key;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "fewer sub-rows than the group says");
    out
}

const WITHHELD_PARTS: [&str; 8] = keys_under(&T3_HEAD, WITHHELD);
const UNAVAILABLE_PARTS: [&str; 3] = keys_under(&T3_HEAD, UNAVAILABLE);
const NOT_HANDLED_PARTS: [&str; 5] = keys_under(&T3_HEAD, NOT_HANDLED);
const OTHER_PARTS_V2021: [&str; 3] = keys_under(&OTHER_ROWS_V2021, OTHER_HANDLING);

/// （三）不予公开, （四）无法提供 and （五）不予处理, which both forms print with sub-rows.
const fn shared_groups() -> [T3Group; 3] {
    [
        T3Group {
            key: "withheld",
            label: WITHHELD,
            parts: &WITHHELD_PARTS,
        },
        T3Group {
            key: "unavailable",
            label: UNAVAILABLE,
            parts: &UNAVAILABLE_PARTS,
        },
        T3Group {
            key: "not_handled",
            label: NOT_HANDLED,
            parts: &NOT_HANDLED_PARTS,
        },
    ]
}

pub(super) static T3_GROUPS_V2021: [T3Group; 4] = {
    let [w, u, n] = shared_groups();
    [
        w,
        u,
        n,
        T3Group {
            key: "other",
            label: OTHER_HANDLING,
            parts: &OTHER_PARTS_V2021,
        },
    ]
};

/// The 2019 form prints （六）其他处理 as one row of its own; its other groups have sub-rows.
pub(super) static T3_GROUPS_V2019: [T3Group; 3] = shared_groups();

pub(super) static T3_V2019: [T3Row; 23] = concat_rows(&[t3(
    "other",
    "（六）其他处理",
    "(6) Other handling",
    None,
    T3RowRole::Result,
)]);
