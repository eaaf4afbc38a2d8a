//! Basic information: the sheet and field labels of agency, year, format and the other metadata.

use super::*;

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
