//! The catalogue of the official form: every table cell of both format versions with its
//! stable id, its official labels and its value kind, and the six section headings.
//!
//! This is the one place where labels and the table layout are written down. Importers match
//! labels against it, exporters and the template lay tables out from it, the rules refer to its
//! ids, and the JSON Schema and `docs/catalogue.md` are generated from it.

use crate::version::{FormatVersion, Lang};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

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

// ───────────────────────────── Table 2 ─────────────────────────────

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

const fn col(key: &'static str, zh: &'static str, en: &'static str, kind: ValueKind) -> T2Column {
    T2Column {
        key,
        label: Label::new(zh, en),
        kind,
    }
}
const fn row(key: &'static str, zh: &'static str, en: &'static str) -> T2Row {
    T2Row {
        key,
        label: Label::new(zh, en),
    }
}

const ITEM_1: Label = Label::new("第二十条第（一）项", "Article 20 (1)");
const ITEM_5: Label = Label::new("第二十条第（五）项", "Article 20 (5)");
const ITEM_6: Label = Label::new("第二十条第（六）项", "Article 20 (6)");
const ITEM_8: Label = Label::new("第二十条第（八）项", "Article 20 (8)");
const ITEM_9: Label = Label::new("第二十条第（九）项", "Article 20 (9)");

use ValueKind::{Count, Money, MoneyWanYuan, SignedCount};

const V2021_DECISIONS: &[T2Column] = &[col("decisions", "本年处理决定数量", "Decisions this year", Count)];

static T2_V2021: [T2Block; 4] = [
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

const V2019_ITEMS: &[T2Column] = &[
    col("prev_items", "上一年项目数量", "Items last year", Count),
    col("change", "本年增/减", "Change this year", SignedCount),
    col("decisions", "处理决定数量", "Decisions", Count),
];

static T2_V2019: [T2Block; 5] = [
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

// ───────────────────────────── Table 3 ─────────────────────────────

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

const WITHHELD: Label = Label::new("（三）不予公开", "(3) Not disclosed");
const UNAVAILABLE: Label = Label::new("（四）无法提供", "(4) Cannot be provided");
const NOT_HANDLED: Label = Label::new("（五）不予处理", "(5) Not handled");
const OTHER_HANDLING: Label = Label::new("（六）其他处理", "(6) Other handling");

const fn t3(key: &'static str, zh: &'static str, en: &'static str, group: Option<Label>, role: T3RowRole) -> T3Row {
    T3Row {
        key,
        label: Label::new(zh, en),
        group,
        role,
    }
}
const fn res(key: &'static str, zh: &'static str, en: &'static str, group: Label) -> T3Row {
    t3(key, zh, en, Some(group), T3RowRole::Result)
}

const T3_HEAD: [T3Row; 20] = [
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

const T3_TAIL: [T3Row; 2] = [
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

const fn concat_rows<const N: usize>(middle: &[T3Row]) -> [T3Row; N] {
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

static T3_V2021: [T3Row; 25] = concat_rows(&[
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
]);

/// A group of table-3 result rows that a published report may print as one row, without its
/// sub-rows (（六）其他处理 with one line of figures in a 2021-form report). The form has no cell
/// for it; the catalogue gives it cells of its own (`t3.<key>.<column>`, the ids the 2019 form uses
/// for the same row), so that such a report is read as printed, never spread over the sub-rows, and
/// the identities that need the group use its value (see `identity.rs`).
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
        let row = |key: &str| T3_COLUMNS.iter().any(|c| printed(&t3_id(key, c.key)));
        row(self.key) && !self.parts.iter().any(|p| row(p))
    }
}

static T3_GROUPS_V2021: [T3Group; 1] = [T3Group {
    key: "other",
    label: OTHER_HANDLING,
    parts: &["other.no_correction", "other.fee_unpaid", "other.other"],
}];

static T3_V2019: [T3Row; 23] = concat_rows(&[t3(
    "other",
    "（六）其他处理",
    "(6) Other handling",
    None,
    T3RowRole::Result,
)]);

// ───────────────────────────── Table 4 ─────────────────────────────

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

const fn outcome(key: &'static str, zh: &'static str, en: &'static str) -> T4Outcome {
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

// ───────────────────────────── Sections ─────────────────────────────

/// The six numbered sections of every report (format-spec §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// 一、总体情况
    General,
    /// 二、主动公开政府信息情况 (table 2)
    Proactive,
    /// 三、收到和处理政府信息公开申请情况 (table 3)
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况 (table 4)
    Remedies,
    /// 五、存在的主要问题及改进情况
    Problems,
    /// 六、其他需要报告的事项
    Other,
}

impl SectionKind {
    /// The six sections in order.
    pub const ALL: [SectionKind; 6] = [
        SectionKind::General,
        SectionKind::Proactive,
        SectionKind::Requests,
        SectionKind::Remedies,
        SectionKind::Problems,
        SectionKind::Other,
    ];

    /// The canonical heading, numbering included.
    pub fn heading(self) -> Label {
        match self {
            SectionKind::General => Label::new("一、总体情况", "1. Overview"),
            SectionKind::Proactive => Label::new("二、主动公开政府信息情况", "2. Proactive disclosure"),
            SectionKind::Requests => {
                Label::new("三、收到和处理政府信息公开申请情况", "3. Requests received and handled")
            }
            SectionKind::Remedies => Label::new(
                "四、政府信息公开行政复议、行政诉讼情况",
                "4. Administrative review and litigation",
            ),
            SectionKind::Problems => Label::new("五、存在的主要问题及改进情况", "5. Main problems and improvements"),
            SectionKind::Other => Label::new("六、其他需要报告的事项", "6. Other matters to report"),
        }
    }

    /// The section's number (一 … 六).
    pub fn numeral(self) -> &'static str {
        match self {
            SectionKind::General => "一",
            SectionKind::Proactive => "二",
            SectionKind::Requests => "三",
            SectionKind::Remedies => "四",
            SectionKind::Problems => "五",
            SectionKind::Other => "六",
        }
    }

    /// Heading texts (without numbering) that published reports use besides the canonical one.
    pub fn heading_variants(self) -> &'static [&'static str] {
        match self {
            SectionKind::General => &["总体情况", "概述"],
            SectionKind::Proactive => &["主动公开政府信息情况"],
            SectionKind::Requests => &["收到和处理政府信息公开申请情况"],
            SectionKind::Remedies => &[
                "政府信息公开行政复议、行政诉讼情况",
                "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
                "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                "政府信息公开行政复议和行政诉讼情况",
            ],
            SectionKind::Problems => &[
                "存在的主要问题及改进情况",
                "政府信息公开工作存在的主要问题及改进情况",
                "政府信息公开工作存在的主要问题及改进措施",
                "存在的主要问题及改进措施",
                "存在问题及改进情况",
                "存在问题及改进措施",
                "存在的主要问题及整改措施",
                "政府信息公开工作存在的主要问题及整改措施",
                "存在的主要问题及整改情况",
            ],
            SectionKind::Other => &["其他需要报告的事项", "其他事项"],
        }
    }

    /// The table the section holds, if any.
    pub fn table(self) -> Option<TableId> {
        TableId::ALL.into_iter().find(|t| t.section() == self)
    }
}

// ───────────────────────────── Cells ─────────────────────────────

/// One cell of the official form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellDef {
    /// Stable public id, e.g. `t3.withheld.state_secret.total`.
    pub id: String,
    /// The table.
    pub table: TableId,
    /// Row key (`withheld.state_secret`; for table 4 the group key).
    pub row_key: &'static str,
    /// Column key (`total`).
    pub column_key: &'static str,
    /// Row labels from the outermost to the cell's own (`三、本年度办理结果`, `（三）不予公开`, `1.属于国家秘密`).
    /// For table 2 the first element is the block caption. Table 4 has no row label.
    pub row_path: Vec<Label>,
    /// Column labels from the outermost to the cell's own.
    pub column_path: Vec<Label>,
    /// What the cell holds.
    pub kind: ValueKind,
}

/// Joins label paths for one-line display.
pub const PATH_SEPARATOR: &str = " / ";

impl CellDef {
    /// The row label path on one line.
    pub fn row_label(&self, lang: Lang) -> String {
        join_labels(&self.row_path, lang)
    }

    /// The column label path on one line.
    pub fn column_label(&self, lang: Lang) -> String {
        join_labels(&self.column_path, lang)
    }

    /// The cell's own row label (the last element of the path), or "" for table 4.
    pub fn row_leaf(&self) -> Option<Label> {
        self.row_path.last().copied()
    }

    /// The cell's own column label.
    pub fn column_leaf(&self) -> Option<Label> {
        self.column_path.last().copied()
    }

    /// A short name for messages: `（一）予以公开 × 自然人`, `规章 × 本年制发件数`,
    /// `未经复议直接起诉 × 结果维持`.
    pub fn short_label(&self, lang: Lang) -> String {
        let row = match self.table {
            TableId::T4 => self.column_path.iter().rev().nth(1).map(|l| l.get(lang)),
            _ => self.row_leaf().map(|l| l.get(lang)),
        };
        let col = self.column_leaf().map(|l| l.get(lang)).unwrap_or_default();
        match row {
            Some(r) => format!("{r} × {col}"),
            None => col.to_string(),
        }
    }
}

/// The column path of a table-3 column: 申请人情况 (/ 法人或其他组织) / its label.
fn t3_column_path(c: &T3Column) -> Vec<Label> {
    let mut path = vec![T3_APPLICANTS_HEADER];
    if c.in_org_group {
        path.push(T3_ORG_GROUP);
    }
    path.push(c.label);
    path
}

fn join_labels(path: &[Label], lang: Lang) -> String {
    path.iter()
        .map(|l| l.get(lang))
        .collect::<Vec<_>>()
        .join(PATH_SEPARATOR)
}

/// The layout and cells of one format version.
#[derive(Debug)]
pub struct Catalogue {
    /// The version described.
    pub version: FormatVersion,
    /// Table 2 blocks in order.
    pub t2_blocks: &'static [T2Block],
    /// Table 3 rows in order.
    pub t3_rows: &'static [T3Row],
    /// Groups of table-3 rows a report may print as one row (none in the 2019 form, which prints
    /// （六）其他处理 as one row anyway).
    pub t3_groups: &'static [T3Group],
    /// The cells of the form, then the cells of the groups (`form_cells` of them first).
    cells: Vec<CellDef>,
    form_cells: usize,
    by_id: rustc_hash::FxHashMap<String, usize>,
    /// Table-3 ids by column key, then row role, in form order: the identities are built from
    /// them once here.
    t3_by_column: rustc_hash::FxHashMap<&'static str, Vec<(T3RowRole, Vec<String>)>>,
    identities: Vec<crate::identity::Identity>,
}

impl Catalogue {
    fn build(version: FormatVersion) -> Self {
        let (t2_blocks, t3_rows, t3_groups): (&'static [T2Block], &'static [T3Row], &'static [T3Group]) = match version
        {
            FormatVersion::V2019 => (&T2_V2019, &T3_V2019, &[]),
            FormatVersion::V2021 => (&T2_V2021, &T3_V2021, &T3_GROUPS_V2021),
        };
        let mut cells = Vec::new();
        for block in t2_blocks {
            for r in block.rows {
                for c in block.columns {
                    cells.push(CellDef {
                        id: t2_id(r.key, c.key),
                        table: TableId::T2,
                        row_key: r.key,
                        column_key: c.key,
                        row_path: vec![block.caption, r.label],
                        column_path: vec![c.label],
                        kind: c.kind,
                    });
                }
            }
        }
        for r in t3_rows {
            let mut row_path = Vec::new();
            if matches!(r.role, T3RowRole::Result | T3RowRole::ResultsTotal) {
                row_path.push(T3_RESULTS_HEADER);
            }
            row_path.extend(r.group);
            row_path.push(r.label);
            for c in &T3_COLUMNS {
                cells.push(CellDef {
                    id: t3_id(r.key, c.key),
                    table: TableId::T3,
                    row_key: r.key,
                    column_key: c.key,
                    row_path: row_path.clone(),
                    column_path: t3_column_path(c),
                    kind: Count,
                });
            }
        }
        for g in &T4_GROUPS {
            for o in &T4_OUTCOMES {
                let mut column_path: Vec<Label> = g.parent.into_iter().collect();
                column_path.push(g.label);
                column_path.push(o.label);
                cells.push(CellDef {
                    id: t4_id(g.key, o.key),
                    table: TableId::T4,
                    row_key: g.key,
                    column_key: o.key,
                    row_path: Vec::new(),
                    column_path,
                    kind: Count,
                });
            }
        }
        let form_cells = cells.len();
        for g in t3_groups {
            for c in &T3_COLUMNS {
                cells.push(CellDef {
                    id: t3_id(g.key, c.key),
                    table: TableId::T3,
                    row_key: g.key,
                    column_key: c.key,
                    row_path: vec![T3_RESULTS_HEADER, g.label],
                    column_path: t3_column_path(c),
                    kind: Count,
                });
            }
        }
        let by_id = cells.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let mut t3_by_column = rustc_hash::FxHashMap::<&'static str, Vec<(T3RowRole, Vec<String>)>>::default();
        for c in &T3_COLUMNS {
            let roles = t3_by_column.entry(c.key).or_default();
            for r in t3_rows {
                let id = t3_id(r.key, c.key);
                match roles.iter_mut().find(|(role, _)| *role == r.role) {
                    Some((_, ids)) => ids.push(id),
                    None => roles.push((r.role, vec![id])),
                }
            }
        }
        let mut cat = Catalogue {
            version,
            t2_blocks,
            t3_rows,
            t3_groups,
            cells,
            form_cells,
            by_id,
            t3_by_column,
            identities: Vec::new(),
        };
        cat.identities = crate::identity::build(&cat);
        cat
    }

    /// The arithmetic identities of the form (勾稽关系), in the order the rules check them.
    pub fn identities(&self) -> &[crate::identity::Identity] {
        &self.identities
    }

    /// The ids of the table-3 rows with `role` in `column`, in form order.
    pub fn t3_ids(&self, role: T3RowRole, column: &str) -> &[String] {
        self.t3_by_column
            .get(column)
            .and_then(|roles| roles.iter().find(|(r, _)| *r == role))
            .map_or(&[], |(_, ids)| ids.as_slice())
    }

    /// Every cell of the form in form order (table 2 block by block and row by row, table 3 row
    /// by row, table 4).
    pub fn cells(&self) -> &[CellDef] {
        &self.cells[..self.form_cells]
    }

    /// The cells of the groups a report may print as one row ([`T3Group`]), group by group.
    pub fn group_cells(&self) -> &[CellDef] {
        &self.cells[self.form_cells..]
    }

    /// The cells of the form, then those of the groups: what a report can hold, by position.
    pub fn all_cells(&self) -> &[CellDef] {
        &self.cells
    }

    /// The cells of one table of the form in form order.
    pub fn table_cells(&self, table: TableId) -> impl Iterator<Item = &CellDef> {
        self.cells().iter().filter(move |c| c.table == table)
    }

    /// Looks a cell up by id (a cell of the form or of a group).
    pub fn cell(&self, id: &str) -> Option<&CellDef> {
        self.by_id.get(id).map(|&i| &self.cells[i])
    }

    /// The position of a cell in [`Catalogue::all_cells`]: the form's cells in form order, then
    /// the groups'.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The group a group cell belongs to.
    pub fn group_of(&self, id: &str) -> Option<&'static T3Group> {
        let def = self.group_cells().iter().find(|d| d.id == id)?;
        self.t3_groups.iter().find(|g| g.key == def.row_key)
    }

    /// The rows of table 3 with a given role.
    pub fn t3_rows_with(&self, role: T3RowRole) -> impl Iterator<Item = &'static T3Row> {
        self.t3_rows.iter().filter(move |r| r.role == role)
    }

    /// Table 2 blocks with their rows and columns, as (block, row, column) triples in form order.
    pub fn t2_cells(&self) -> impl Iterator<Item = (&'static T2Block, &'static T2Row, &'static T2Column)> {
        self.t2_blocks.iter().flat_map(|b| {
            b.rows
                .iter()
                .flat_map(move |r| b.columns.iter().map(move |c| (b, r, c)))
        })
    }
}

/// The id of a table-3 cell.
pub fn t3_id(row_key: &str, column_key: &str) -> String {
    // `concat` sizes the string once: ids are built thousands of times per report by the rules.
    ["t3.", row_key, ".", column_key].concat()
}

/// The id of a table-4 cell.
pub fn t4_id(group_key: &str, outcome_key: &str) -> String {
    ["t4.", group_key, ".", outcome_key].concat()
}

/// The id of a table-2 cell.
pub fn t2_id(row_key: &str, column_key: &str) -> String {
    ["t2.", row_key, ".", column_key].concat()
}

static V2019: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::build(FormatVersion::V2019));
static V2021: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::build(FormatVersion::V2021));

/// The catalogue of a format version.
pub fn catalogue(version: FormatVersion) -> &'static Catalogue {
    match version {
        FormatVersion::V2019 => &V2019,
        FormatVersion::V2021 => &V2021,
    }
}

/// The unit printed in the V2021 fee column.
pub const WAN_YUAN: &str = "万元";

// ───────────────────────────── Basic information ─────────────────────────────
//
// The form itself prints only the tables and headings; workbooks that departments fill in
// also carry who reports and for which year. These are the labels of that information, used by
// the standard template (its 基本信息 sheet) and matched by the importers.

/// The sheet of the standard template that holds the basic information and the text sections.
pub const INFO_SHEET: Label = Label::new("基本信息", "Basic information");
/// 机关名称: the reporting agency (`meta.agency`).
pub const META_AGENCY: Label = Label::new("机关名称", "Agency");
/// Other labels that departments' own workbooks put before the agency's name.
pub const META_AGENCY_VARIANTS: &[&str] = &["填报单位", "报送单位", "单位名称", "机关"];
/// 年度: the year reported on (`meta.year`).
pub const META_YEAR: Label = Label::new("年度", "Year");
/// Other labels for the year.
pub const META_YEAR_VARIANTS: &[&str] = &["报告年度", "统计年度", "填报年度"];
/// 格式版本: the format version (`meta.format`), written as `2021` or `2019`.
pub const META_FORMAT: Label = Label::new("格式版本", "Format version");
/// 行政区划代码 (`meta.region_code`).
pub const META_REGION: Label = Label::new("行政区划代码", "Region code");
/// 上级机关 (`meta.parent_agency`).
pub const META_PARENT: Label = Label::new("上级机关", "Parent agency");
/// 发布日期 (`meta.published`, `YYYY-MM-DD`).
pub const META_PUBLISHED: Label = Label::new("发布日期", "Publication date");
/// 行政级别 (`meta.level`), one of [`ADMIN_LEVELS`].
pub const META_LEVEL: Label = Label::new("行政级别", "Administrative level");
/// The administrative levels by name, as the template's drop-down list offers them.
pub const ADMIN_LEVELS: [(crate::report::AdminLevel, Label); 5] = [
    (
        crate::report::AdminLevel::Central,
        Label::new("国务院部门", "State Council department"),
    ),
    (crate::report::AdminLevel::Province, Label::new("省级", "Province")),
    (crate::report::AdminLevel::City, Label::new("市级", "City")),
    (crate::report::AdminLevel::County, Label::new("县级", "County")),
    (
        crate::report::AdminLevel::Township,
        Label::new("乡镇、街道", "Township or street"),
    ),
];
/// 报告标题 (`meta.title`): the title as published, when it is not the standard title.
pub const META_TITLE: Label = Label::new("报告标题", "Report title");
/// 前言: the text before section 一 (`preamble`).
pub const META_PREAMBLE: Label = Label::new("前言", "Preamble");
/// The end of the standard title `{机关名称}{年度}年政府信息公开工作年度报告`.
pub const TITLE_SUFFIX: &str = "年政府信息公开工作年度报告";

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
        assert_eq!(cat.group_cells().len(), 7);
        let old = catalogue(FormatVersion::V2019);
        assert!(old.cell("t3.other.total").is_some());
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
}
