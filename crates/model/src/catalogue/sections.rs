//! The six text sections of the report and their official headings.

use super::*;

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
