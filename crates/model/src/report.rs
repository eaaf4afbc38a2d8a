//! The annual report of one agency for one year: metadata, the six sections, the table cells
//! and the optional 信息处理费 block.

use crate::catalogue::{CellDef, SectionKind, catalogue};
use crate::value::{Cell, Num};
use crate::version::{FormatVersion, Lang};
use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The version of the JSON shape of [`Report`]; it changes only when the shape changes.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// # 政府信息公开工作年度报告
///
/// One agency's annual report for one year, in the layout of one format version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Version of this JSON shape (currently 1).
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// Who reports, for which year, in which format.
    pub meta: Meta,
    /// The text before section 一 (编制依据, 统计期限, contact), when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preamble: Option<String>,
    /// The six numbered sections; a missing section is absent.
    #[serde(default)]
    pub sections: Sections,
    /// The table cells by catalogue id. A cell that is absent is blank.
    #[serde(default)]
    pub cells: Cells,
    /// 信息处理费 as reported in section 六 (not an official table cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_fees: Option<ProcessingFees>,
}

fn schema_version() -> u32 {
    REPORT_SCHEMA_VERSION
}

/// Who reports, for which year, in which format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// 机关名称: the reporting agency, as named in the title.
    pub agency: String,
    /// 年度: the year reported on. Absent when neither the file, its name nor the user said it:
    /// the tables are still read and checked, and a finding says how to supply it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 2000, max = 2100))]
    pub year: Option<u16>,
    /// The official format (layout) of the tables.
    pub format: FormatVersion,
    /// 行政区划代码 of the agency's area (6 or 12 digits), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// Administrative level of the agency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AdminLevel>,
    /// The agency this one reports to (its 本级政府 or parent department).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_agency: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub published: Option<String>,
    /// Where the report came from (a URL or a file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The report's title as published, when it differs from the standard title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When this report is the cell-wise sum of other reports (汇总), how many it sums.
    /// Such a report has tables but no text of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summed_reports: Option<u32>,
    /// Whether the source carried the tables only (a CSV export), so the report's text sections
    /// are unknown rather than missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tables_only: bool,
    /// Where the public can ask about the report, as the preamble states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Where the agency and the year were found, when a reader had to look for them (a title, a
    /// cell, the file name, the command line). Absent for data that states them in fields of its
    /// own (xxgk's JSON and CSV).
    #[serde(default, skip_serializing_if = "Origins::is_empty")]
    pub origins: Origins,
}

/// Where a report's agency and year came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origins {
    /// Where the agency (机关名称) was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<Origin>,
    /// Where the year (年度) was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<Origin>,
}

impl Origins {
    /// Whether neither origin is known.
    pub fn is_empty(&self) -> bool {
        self.agency.is_none() && self.year.is_none()
    }
}

/// One place a piece of metadata was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// What kind of place.
    pub from: OriginKind,
    /// Where exactly: a cell (“基本信息!B3”), a line (“第2行”), a sheet, a file or folder name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl Origin {
    /// An origin of this kind at this place.
    pub fn new(from: OriginKind, at: impl Into<String>) -> Self {
        Origin {
            from,
            at: Some(at.into()).filter(|s: &String| !s.is_empty()),
        }
    }

    /// How a person reads it: “标题（第1行）”, “文件名（区教育局2023年报.xlsx）”.
    pub fn describe(&self, lang_zh: bool) -> String {
        let kind = self.from.label();
        let kind = if lang_zh { kind.zh } else { kind.en };
        match (&self.at, lang_zh) {
            (Some(at), true) => format!("{kind}（{at}）"),
            (Some(at), false) => format!("{kind} ({at})"),
            (None, _) => kind.to_string(),
        }
    }
}

/// The kinds of place a report's agency or year can come from, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OriginKind {
    /// A labelled field of the file (“年度：2023”, “机关名称：某局”, a crawler's “标题: …”).
    Field,
    /// The report's title or a title row (“某局2023年政府信息公开工作年度报告”).
    Title,
    /// A phrase of the report's text (“统计期限为2023年1月1日至12月31日”).
    Text,
    /// The name of a sheet of the workbook.
    SheetName,
    /// The file's name.
    FileName,
    /// The name of a folder the file is in.
    Folder,
    /// The command line (`--year`, `--agency`).
    CommandLine,
}

impl OriginKind {
    /// The kind in both languages.
    pub fn label(self) -> crate::catalogue::Label {
        use crate::catalogue::Label;
        let (zh, en) = match self {
            OriginKind::Field => ("文件中的填报项", "a field of the file"),
            OriginKind::Title => ("标题", "the title"),
            OriginKind::Text => ("正文", "the text"),
            OriginKind::SheetName => ("工作表名", "a sheet name"),
            OriginKind::FileName => ("文件名", "the file name"),
            OriginKind::Folder => ("文件夹名", "a folder name"),
            OriginKind::CommandLine => ("命令行参数", "the command line"),
        };
        Label { zh, en }
    }
}

/// The contact given in a report's preamble (“联系地址：…，邮编：…，联系电话：…”), so that an
/// evaluator can reach the agency; every part as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// 联系地址.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// 邮编.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// 联系电话.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 电子邮箱.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Meta {
    /// Metadata with only the required fields.
    pub fn new(agency: impl Into<String>, year: u16, format: FormatVersion) -> Self {
        Meta {
            agency: agency.into(),
            year: Some(year),
            format,
            region_code: None,
            level: None,
            parent_agency: None,
            published: None,
            source: None,
            title: None,
            summed_reports: None,
            tables_only: false,
            contact: None,
            origins: Origins::default(),
        }
    }

    /// The standard title: `{机关名称}{年度}年政府信息公开工作年度报告` (without the year when it
    /// is unknown).
    pub fn standard_title(&self) -> String {
        match self.year {
            Some(y) => format!("{}{y}年政府信息公开工作年度报告", self.agency),
            None => format!("{}政府信息公开工作年度报告", self.agency),
        }
    }

    /// The year for people: “2023年度” / “2023”, or “年度不明” / “year unknown”.
    pub fn year_text(&self, zh: bool) -> String {
        year_text(self.year, if zh { Lang::Zh } else { Lang::En })
    }
}

/// A report year for people: “2023年度” / “2023”, or “年度不明” / “year unknown”.
pub fn year_text(year: Option<u16>, lang: Lang) -> String {
    match (year, lang) {
        (Some(y), Lang::Zh) => format!("{y}年度"),
        (Some(y), Lang::En) => y.to_string(),
        (None, Lang::Zh) => "年度不明".to_string(),
        (None, Lang::En) => "year unknown".to_string(),
    }
}

/// Administrative level of the reporting body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdminLevel {
    /// 国务院部门 (State Council departments).
    Central,
    /// 省级.
    Province,
    /// 市级 (设区的市、自治州).
    City,
    /// 县级.
    County,
    /// 乡镇、街道.
    Township,
}

/// One numbered section as found in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading as written (`一、总体情况`); may be a variant of the official one.
    pub heading: String,
    /// The text of the section, paragraphs separated by `\n`. For sections 二–四 any text
    /// beside the table (the table itself is in `cells`).
    #[serde(default)]
    pub text: String,
}

impl Section {
    /// A section with the canonical heading.
    pub fn canonical(kind: SectionKind, text: impl Into<String>) -> Self {
        Section {
            heading: kind.heading().zh.to_string(),
            text: text.into(),
        }
    }
}

/// The six sections. A section not found in the report is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    /// 一、总体情况
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general: Option<Section>,
    /// 二、主动公开政府信息情况
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive: Option<Section>,
    /// 三、收到和处理政府信息公开申请情况
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Section>,
    /// 四、政府信息公开行政复议、行政诉讼情况
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedies: Option<Section>,
    /// 五、存在的主要问题及改进情况
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Section>,
    /// 六、其他需要报告的事项
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<Section>,
}

impl Sections {
    /// The section of a kind.
    pub fn get(&self, kind: SectionKind) -> Option<&Section> {
        match kind {
            SectionKind::General => self.general.as_ref(),
            SectionKind::Proactive => self.proactive.as_ref(),
            SectionKind::Requests => self.requests.as_ref(),
            SectionKind::Remedies => self.remedies.as_ref(),
            SectionKind::Problems => self.problems.as_ref(),
            SectionKind::Other => self.other.as_ref(),
        }
    }

    /// The slot of a kind, to fill it.
    pub fn slot(&mut self, kind: SectionKind) -> &mut Option<Section> {
        match kind {
            SectionKind::General => &mut self.general,
            SectionKind::Proactive => &mut self.proactive,
            SectionKind::Requests => &mut self.requests,
            SectionKind::Remedies => &mut self.remedies,
            SectionKind::Problems => &mut self.problems,
            SectionKind::Other => &mut self.other,
        }
    }
}

/// 信息处理费 (国办函〔2020〕109号) as reported in section 六; amounts in 元.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessingFees {
    /// 发出收费通知的件数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notices_issued: Option<Num>,
    /// 收费通知的总金额 (元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notices_amount_yuan: Option<Num>,
    /// 实际收取的总金额 (元).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_yuan: Option<Num>,
}

/// The table cells of a report, keyed by catalogue id, in form order. Hashed with FxHash: the
/// keys are catalogue ids (an importer refuses any other), every rule and every sum looks cells
/// up by id, and SipHash was a visible part of a batch's time.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cells(pub IndexMap<String, Cell, rustc_hash::FxBuildHasher>);

impl Cells {
    /// The cell with an id; absent cells are blank.
    pub fn get(&self, id: &str) -> &Cell {
        static BLANK: Cell = Cell::Blank;
        self.0.get(id).unwrap_or(&BLANK)
    }

    /// Sets a cell.
    pub fn set(&mut self, id: impl Into<String>, cell: Cell) {
        self.0.insert(id.into(), cell);
    }

    /// Number of cells present.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no cell is present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The cells present, in their order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Cell)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl JsonSchema for Cells {
    fn schema_name() -> Cow<'static, str> {
        "Cells".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        // Every id of both versions, with its official labels as the title, so that the schema
        // documents the form itself. Which ids a report may use depends on `meta.format`.
        let cell = generator.subschema_for::<Cell>();
        let mut props = serde_json::Map::new();
        for v in FormatVersion::ALL {
            for def in catalogue(v).all_cells() {
                let entry = props.entry(def.id.clone()).or_insert_with(|| {
                    serde_json::json!({
                        "$ref": cell.as_value().get("$ref").cloned().unwrap_or_default(),
                        "title": cell_title(def),
                        "x-formats": [],
                    })
                });
                if let Some(list) = entry.get_mut("x-formats").and_then(|f| f.as_array_mut()) {
                    list.push(serde_json::Value::from(v.code()));
                }
            }
        }
        json_schema!({
            "description": "Table cells by catalogue id (see docs/catalogue.md). An absent cell is blank. Which ids are allowed depends on meta.format (x-formats).",
            "type": "object",
            "properties": props,
            "additionalProperties": false
        })
    }
}

/// `表三 三、本年度办理结果 / （一）予以公开 × 申请人情况 / 自然人`, as used in schema titles.
fn cell_title(def: &CellDef) -> String {
    let rows = def.row_label(crate::Lang::Zh);
    let cols = def.column_label(crate::Lang::Zh);
    let table = def.table.name(crate::Lang::Zh);
    if rows.is_empty() {
        format!("{table} {cols}")
    } else {
        format!("{table} {rows} × {cols}")
    }
}

impl Report {
    /// An empty report: every cell blank, no sections.
    pub fn new(meta: Meta) -> Self {
        Report {
            schema_version: REPORT_SCHEMA_VERSION,
            meta,
            preamble: None,
            sections: Sections::default(),
            cells: Cells::default(),
            processing_fees: None,
        }
    }

    /// The cells by position in the catalogue of the report's format (`None` where absent), as
    /// [`crate::CompactReport::cells_by_position`] gives them.
    pub fn cells_by_position(&self) -> Vec<Option<crate::compact::CellAt<'_>>> {
        catalogue(self.meta.format)
            .all_cells()
            .iter()
            .map(|d| self.cells.0.get(&d.id).map(crate::compact::CellAt::Cell))
            .collect()
    }

    /// The cell with an id (blank when absent).
    pub fn cell(&self, id: &str) -> &Cell {
        self.cells.get(id)
    }

    /// Puts the cells in form order and drops ids unknown to the report's format,
    /// returning the dropped ids (importers report them before calling this).
    pub fn normalize_cells(&mut self) -> Vec<String> {
        let cat = catalogue(self.meta.format);
        let mut unknown = Vec::new();
        let mut cells: Vec<(String, Cell)> = self.cells.0.drain(..).collect();
        cells.retain(|(id, _)| {
            let known = cat.cell(id).is_some();
            if !known {
                unknown.push(id.clone());
            }
            known
        });
        cells.sort_by_key(|(id, _)| cat.position(id).unwrap_or(usize::MAX));
        self.cells.0 = cells.into_iter().collect();
        unknown
    }
}
