//! The list of units that must report (单位名单), checked against a batch: who has reported,
//! who has not, who reported twice, which files match no unit, and names that nearly match —
//! shown, never merged. No I/O: `xxgk_import::roster` reads the list from a workbook or a CSV.
//!
//! A report is matched to a unit by its code (行政区划代码 or 统一社会信用代码) when exactly one
//! unit of the list holds that code; by code and exact name when several do (the departments of
//! one district share its 行政区划代码); then by exact name (spaces aside), where the codes do not
//! disagree. Anything else is at most a near-miss: the same name but for full-width/half-width
//! brackets, a name that lacks or adds a prefix (“区教育局” / “某区教育局”), one name inside the
//! other, the same name under another code, or a name the list holds several times. A near-miss
//! counts as not reported: the officer decides.

use crate::aggregation::{BatchEntry, Exclusion};
use crate::batch::normalized_agency;
use crate::finding::{Location, Text};
use crate::report::AdminLevel;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The sheet of a roster workbook that `xxgk template --roster` writes and the reader prefers.
pub const ROSTER_SHEET: &str = "单位名单";

/// A column of the roster: the header the roster form writes first, then the headers the reader
/// also accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterColumn {
    /// 单位名称 (required).
    Name,
    /// 行政区划代码 or 统一社会信用代码.
    Code,
    /// 行政级别.
    Level,
    /// 上级单位.
    Parent,
}

impl RosterColumn {
    /// Every column, in the form's order.
    pub const ALL: [RosterColumn; 4] = [Self::Name, Self::Code, Self::Level, Self::Parent];

    /// The headers read as this column (spaces and the colon aside); the first is the form's.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Self::Name => &["单位名称", "机关名称", "单位", "名称", "报送单位", "填报单位"],
            Self::Code => &[
                "行政区划代码或统一社会信用代码",
                "行政区划代码",
                "统一社会信用代码",
                "区划代码",
                "代码",
            ],
            Self::Level => &["行政级别", "层级", "级别"],
            Self::Parent => &["上级单位", "上级机关", "主管单位", "本级政府"],
        }
    }

    /// The form's header in `lang`.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (_, crate::Lang::Zh) => self.headers()[0],
            (Self::Name, _) => "Unit",
            (Self::Code, _) => "Region or credit code",
            (Self::Level, _) => "Level",
            (Self::Parent, _) => "Parent",
        }
    }
}

/// Whether a code is a 行政区划代码 (6 or 12 digits) or a 统一社会信用代码 (18 characters of
/// digits and capital letters): anything else is refused by the reader rather than matched.
pub fn is_valid_code(code: &str) -> bool {
    let n = code.chars().count();
    match n {
        6 | 12 => code.bytes().all(|b| b.is_ascii_digit()),
        18 => code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        _ => false,
    }
}

/// One unit that must report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RosterUnit {
    /// 单位名称 as the list writes it.
    pub name: String,
    /// 行政区划代码 or 统一社会信用代码, when the list gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 行政级别, when the list gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AdminLevel>,
    /// 上级单位, when the list gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Where the unit's name is in the list (sheet and cell, or line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Location>,
}

/// The list of units that must report, as read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    /// The file it was read from.
    pub file: String,
    /// The units, in the list's order.
    pub units: Vec<RosterUnit>,
}

/// How a report was matched to a unit of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RosterBasis {
    /// The code, which one unit of the list alone holds.
    Code,
    /// The code and the exact name (several units of the list share the code).
    CodeAndName,
    /// The exact name (spaces aside); the codes do not disagree.
    Name,
}

/// Where a unit of the list stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitState {
    /// One report matched it.
    Reported,
    /// Several reports of the same year matched it.
    Twice,
    /// No report matched it, but a report's name nearly does (see `near_misses`).
    NearMiss,
    /// No report matched it, nor nearly.
    Missing,
}

/// A report matched to a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnitFile {
    /// The file.
    pub file: String,
    /// The agency the report names.
    pub agency: String,
    /// Its year, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// How it was matched.
    pub basis: RosterBasis,
    /// Whether it counts in the sums (a duplicate or an excluded report does not).
    pub counted: bool,
}

/// One unit of the list with the reports matched to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnitStatus {
    /// The unit as listed.
    pub unit: RosterUnit,
    /// Where it stands.
    pub state: UnitState,
    /// The reports matched to it (exactly; near-misses are in `near_misses`).
    pub files: Vec<UnitFile>,
    /// With last year's reports (`--previous`): whether one of them matched this unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_last_year: Option<bool>,
}

/// A report that matches no unit of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnmatchedFile {
    /// The file.
    pub file: String,
    /// The agency the report names.
    pub agency: String,
    /// The code the report gives, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Whether its name nearly matches a unit (see `near_misses`).
    pub near_miss: bool,
}

/// Why a report's name nearly matches a unit without being taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NearReason {
    /// The names differ only in full-width/half-width brackets or punctuation.
    Brackets,
    /// One name is the other with a prefix more (“区教育局” / “某区教育局”).
    Prefix,
    /// One name is inside the other.
    Contains,
    /// The same name, but the report and the list give different codes.
    CodeDiffers,
    /// The list holds this name several times and the report gives no code that decides.
    Ambiguous,
}

/// A report whose name nearly matches a unit: shown for the officer to decide, never merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NearMiss {
    /// The report's file.
    pub file: String,
    /// The agency the report names.
    pub agency: String,
    /// The unit's name in the list.
    pub unit: String,
    /// The unit's position in `units` (0-based).
    pub unit_index: usize,
    /// Where the unit is in the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Location>,
    /// Why it is a near-miss.
    pub reason: NearReason,
    /// What differs, in words.
    pub message: Text,
}

/// The counts of a roster check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RosterCounts {
    /// Units in the list.
    pub units: usize,
    /// Units with at least one report (those reported twice included).
    pub reported: usize,
    /// Of which reported more than once for the same year.
    pub twice: usize,
    /// Units with no report (near-misses included).
    pub missing: usize,
    /// Of which a report's name nearly matches.
    pub near_miss: usize,
    /// Reports that match no unit.
    pub unmatched_files: usize,
    /// With `--previous`: units missing this year that reported last year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_this_year: Option<usize>,
}

/// The batch checked against the list of units that must report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RosterCheck {
    /// The list's file.
    pub roster: String,
    /// The counts.
    pub counts: RosterCounts,
    /// Every unit of the list, in its order, with where it stands.
    pub units: Vec<UnitStatus>,
    /// Reports that match no unit, in input order.
    pub unmatched_files: Vec<UnmatchedFile>,
    /// Names that nearly match, for the officer to decide.
    pub near_misses: Vec<NearMiss>,
}

impl RosterCheck {
    /// The units in `state`, in the list's order.
    pub fn in_state(&self, state: UnitState) -> impl Iterator<Item = &UnitStatus> {
        self.units.iter().filter(move |u| u.state == state)
    }

    /// Units not reported this year that reported last year (with `--previous`).
    pub fn not_this_year(&self) -> impl Iterator<Item = &UnitStatus> {
        self.units.iter().filter(|u| {
            matches!(u.state, UnitState::Missing | UnitState::NearMiss) && u.reported_last_year == Some(true)
        })
    }
}

/// A name compared exactly: spaces aside, as written otherwise.
fn exact(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Shortest name (in characters) that counts as a near-miss when inside another: “教育局”.
const MIN_NEAR_CHARS: usize = 3;
/// Longest name whose every part is indexed for near-misses; longer ones are compared whole.
const MAX_INDEXED_CHARS: usize = 64;
/// Most near-misses shown for one report.
const MAX_NEAR_PER_FILE: usize = 5;

/// Every run of at least [`MIN_NEAR_CHARS`] characters of `s` (just `s` when it is long).
fn parts(s: &str) -> BTreeSet<&str> {
    let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let n = bounds.len() - 1;
    let mut out = BTreeSet::new();
    if n > MAX_INDEXED_CHARS {
        out.insert(s);
        return out;
    }
    for a in 0..n {
        for b in (a + MIN_NEAR_CHARS)..=n {
            out.insert(&s[bounds[a]..bounds[b]]);
        }
    }
    out
}

/// The list's units indexed for matching.
struct Index<'r> {
    units: &'r [RosterUnit],
    by_code: HashMap<&'r str, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl<'r> Index<'r> {
    fn new(units: &'r [RosterUnit]) -> Self {
        let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(c) = u.code.as_deref() {
                by_code.entry(c).or_default().push(i);
            }
            by_name.entry(exact(&u.name)).or_default().push(i);
        }
        Index {
            units,
            by_code,
            by_name,
        }
    }

    /// The unit a report of `agency` with `code` is, when it is exactly one.
    fn find(&self, agency: &str, code: Option<&str>) -> Option<(usize, RosterBasis)> {
        let name = exact(agency);
        if let Some(list) = code.and_then(|c| self.by_code.get(c)) {
            if let [only] = list.as_slice() {
                let basis = if exact(&self.units[*only].name) == name {
                    RosterBasis::CodeAndName
                } else {
                    RosterBasis::Code
                };
                return Some((*only, basis));
            }
            let named: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| exact(&self.units[i].name) == name)
                .collect();
            if let [only] = named.as_slice() {
                return Some((*only, RosterBasis::CodeAndName));
            }
        }
        // By name, where the codes do not disagree.
        let agree: Vec<usize> = self
            .by_name
            .get(&name)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| match (code, self.units[i].code.as_deref()) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            })
            .collect();
        match agree.as_slice() {
            [only] => Some((*only, RosterBasis::Name)),
            _ => None,
        }
    }
}

/// One report of the batch as the roster sees it.
struct Submission<'a> {
    file: &'a str,
    agency: &'a str,
    code: Option<&'a str>,
    year: Option<u16>,
    counted: bool,
}

impl<'a> Submission<'a> {
    fn of(e: &'a BatchEntry) -> Self {
        let meta = &e.report.report_without_cells().meta;
        Submission {
            file: &e.file,
            agency: &meta.agency,
            code: meta.region_code.as_deref(),
            year: meta.year,
            counted: e.excluded.is_none(),
        }
    }
}

/// Checks the batch's reports against the list: `current` are this year's entries (a parent's,
/// excluded as [`Exclusion::Parent`], is not one of the units), `previous` last year's when
/// given. Every unit is listed with the reports matched to it; every report is matched,
/// listed as matching no unit, or both that and a near-miss.
pub fn check_roster(roster: &Roster, current: &[BatchEntry], previous: Option<&[BatchEntry]>) -> RosterCheck {
    let index = Index::new(&roster.units);
    let mut units: Vec<UnitStatus> = roster
        .units
        .iter()
        .map(|u| UnitStatus {
            unit: u.clone(),
            state: UnitState::Missing,
            files: Vec::new(),
            reported_last_year: previous.map(|_| false),
        })
        .collect();
    let subs: Vec<Submission<'_>> = current
        .iter()
        .filter(|e| e.excluded != Some(Exclusion::Parent))
        .map(Submission::of)
        .collect();
    let mut unmatched: Vec<&Submission<'_>> = Vec::new();
    for s in &subs {
        match index.find(s.agency, s.code) {
            Some((i, basis)) => units[i].files.push(UnitFile {
                file: s.file.to_string(),
                agency: s.agency.to_string(),
                year: s.year,
                basis,
                counted: s.counted,
            }),
            None => unmatched.push(s),
        }
    }
    if let Some(prev) = previous {
        for e in prev {
            let s = Submission::of(e);
            if let Some((i, _)) = index.find(s.agency, s.code) {
                units[i].reported_last_year = Some(true);
            }
        }
    }
    let near_misses = near_misses(&roster.units, &unmatched);
    for u in &mut units {
        // Reports of unknown year are never called twice: they may be different years.
        let mut years: Vec<u16> = u.files.iter().filter_map(|f| f.year).collect();
        years.sort_unstable();
        let repeated = years.windows(2).any(|w| w[0] == w[1]);
        u.state = match u.files.len() {
            0 => UnitState::Missing,
            _ if repeated => UnitState::Twice,
            _ => UnitState::Reported,
        };
    }
    for n in &near_misses {
        if units[n.unit_index].state == UnitState::Missing {
            units[n.unit_index].state = UnitState::NearMiss;
        }
    }
    let unmatched_files: Vec<UnmatchedFile> = unmatched
        .iter()
        .map(|s| UnmatchedFile {
            file: s.file.to_string(),
            agency: s.agency.to_string(),
            code: s.code.map(str::to_string),
            near_miss: near_misses.iter().any(|n| n.file == s.file && n.agency == s.agency),
        })
        .collect();
    let count = |st: UnitState| units.iter().filter(|u| u.state == st).count();
    let mut check = RosterCheck {
        roster: roster.file.clone(),
        counts: RosterCounts {
            units: units.len(),
            reported: count(UnitState::Reported) + count(UnitState::Twice),
            twice: count(UnitState::Twice),
            missing: count(UnitState::Missing) + count(UnitState::NearMiss),
            near_miss: count(UnitState::NearMiss),
            unmatched_files: unmatched_files.len(),
            not_this_year: None,
        },
        units,
        unmatched_files,
        near_misses,
    };
    if previous.is_some() {
        check.counts.not_this_year = Some(check.not_this_year().count());
    }
    check
}

/// The near-misses of the reports that matched no unit, at most [`MAX_NEAR_PER_FILE`] each.
fn near_misses(units: &[RosterUnit], unmatched: &[&Submission<'_>]) -> Vec<NearMiss> {
    // Names in a comparable form (one kind of brackets, no spaces or decorative dots).
    let loose: Vec<String> = units.iter().map(|u| normalized_agency(&u.name)).collect();
    let mut by_loose: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_part: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, l) in loose.iter().enumerate() {
        by_loose.entry(l.as_str()).or_default().push(i);
        for p in parts(l) {
            by_part.entry(p).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for s in unmatched {
        let name = exact(s.agency);
        let mine = normalized_agency(s.agency);
        let mut found: Vec<(usize, NearReason)> = Vec::new();
        let mut add = |i: usize, why: NearReason| {
            if !found.iter().any(|&(j, _)| j == i) {
                found.push((i, why));
            }
        };
        for &i in by_loose.get(mine.as_str()).into_iter().flatten() {
            let same = exact(&units[i].name) == name;
            let why = match (same, s.code, units[i].code.as_deref()) {
                (true, Some(a), Some(b)) if a != b => NearReason::CodeDiffers,
                (true, _, _) => NearReason::Ambiguous,
                (false, _, _) => NearReason::Brackets,
            };
            add(i, why);
        }
        // The list's names inside the report's, and the report's inside the list's.
        let mut inside: BTreeSet<usize> = BTreeSet::new();
        for p in parts(&mine) {
            inside.extend(by_loose.get(p).into_iter().flatten().copied());
        }
        if mine.chars().count() >= MIN_NEAR_CHARS {
            inside.extend(by_part.get(mine.as_str()).into_iter().flatten().copied());
        }
        for i in inside {
            let (a, b) = (loose[i].as_str(), mine.as_str());
            let why = if a.ends_with(b) || b.ends_with(a) {
                NearReason::Prefix
            } else {
                NearReason::Contains
            };
            add(i, why);
        }
        for (i, why) in found.into_iter().take(MAX_NEAR_PER_FILE) {
            let u = &units[i];
            out.push(NearMiss {
                file: s.file.to_string(),
                agency: s.agency.to_string(),
                unit: u.name.clone(),
                unit_index: i,
                place: u.place.clone(),
                reason: why,
                message: near_message(s, u, &loose[i], &mine, why),
            });
        }
    }
    out
}

/// What differs between a report's name and a unit's, in words.
fn near_message(s: &Submission<'_>, u: &RosterUnit, unit_loose: &str, mine: &str, why: NearReason) -> Text {
    let (r, n) = (s.agency, u.name.as_str());
    match why {
        NearReason::Brackets => Text::new(
            format!("报告的机关名称“{r}”与名单中的“{n}”仅括号或标点的全角/半角不同，未自动对应"),
            format!(
                "the report's agency “{r}” differs from the list's “{n}” only in full-width/half-width brackets or punctuation; not matched"
            ),
        ),
        NearReason::Prefix => {
            let (longer, shorter) = if unit_loose.len() > mine.len() {
                (unit_loose, mine)
            } else {
                (mine, unit_loose)
            };
            let extra = longer
                .strip_suffix(shorter)
                .or_else(|| longer.strip_prefix(shorter))
                .unwrap_or_default();
            if unit_loose.len() > mine.len() {
                Text::new(
                    format!("报告的机关名称“{r}”比名单中的“{n}”少了“{extra}”，未自动对应"),
                    format!("the report's agency “{r}” lacks “{extra}” of the list's “{n}”; not matched"),
                )
            } else {
                Text::new(
                    format!("报告的机关名称“{r}”比名单中的“{n}”多了“{extra}”，未自动对应"),
                    format!("the report's agency “{r}” has “{extra}” more than the list's “{n}”; not matched"),
                )
            }
        }
        NearReason::Contains => Text::new(
            format!("报告的机关名称“{r}”与名单中的“{n}”相近（一方包含另一方），未自动对应"),
            format!("the report's agency “{r}” is close to the list's “{n}” (one contains the other); not matched"),
        ),
        NearReason::CodeDiffers => {
            let (a, b) = (s.code.unwrap_or_default(), u.code.as_deref().unwrap_or_default());
            Text::new(
                format!("名称与名单中的“{n}”相同，但代码不同（报告 {a}，名单 {b}），未自动对应"),
                format!("the same name as the list's “{n}”, but another code (report {a}, list {b}); not matched"),
            )
        }
        NearReason::Ambiguous => Text::new(
            format!("名单中有多个名为“{n}”的单位，报告未写明能区分它们的代码，未自动对应"),
            format!(
                "the list holds several units named “{n}” and the report gives no code that tells them apart; not matched"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compact::CompactReport;
    use crate::report::{Meta, Report};
    use crate::version::FormatVersion;

    fn unit(name: &str, code: Option<&str>) -> RosterUnit {
        RosterUnit {
            name: name.into(),
            code: code.map(String::from),
            level: None,
            parent: None,
            place: None,
        }
    }

    fn entry(file: &str, agency: &str, code: Option<&str>, year: u16) -> BatchEntry {
        let mut meta = Meta::new(agency, year, FormatVersion::V2021);
        meta.region_code = code.map(String::from);
        BatchEntry::new(file, CompactReport::new(Report::new(meta)), Vec::new())
    }

    fn roster(units: Vec<RosterUnit>) -> Roster {
        Roster {
            file: "名单.csv".into(),
            units,
        }
    }

    #[test]
    fn reported_missing_twice_and_unmatched() {
        let r = roster(vec![
            unit("某区教育局", Some("110101")),
            unit("某区财政局", Some("110101")),
            unit("某区统计局", None),
            unit("某区水务局", Some("91110101MA01234567")),
        ]);
        let batch = vec![
            entry("a.xlsx", "某区教育局", Some("110101"), 2023),
            entry("b.xlsx", "某区 统计局", None, 2023),
            entry("c.xlsx", "某区统计局", None, 2023),
            entry("d.xlsx", "水务局（改名后）", Some("91110101MA01234567"), 2023),
            entry("e.xlsx", "外区卫生局", Some("110102"), 2023),
        ];
        let c = check_roster(&r, &batch, None);
        let states: Vec<UnitState> = c.units.iter().map(|u| u.state).collect();
        assert_eq!(
            states,
            [
                UnitState::Reported,
                UnitState::Missing,
                UnitState::Twice,
                UnitState::Reported
            ]
        );
        assert_eq!(c.units[0].files[0].basis, RosterBasis::CodeAndName);
        assert_eq!(c.units[3].files[0].basis, RosterBasis::Code, "a code one unit holds");
        assert_eq!(c.unmatched_files.len(), 1);
        assert_eq!(c.unmatched_files[0].file, "e.xlsx");
        assert!(c.near_misses.is_empty(), "{:?}", c.near_misses);
        assert_eq!(
            c.counts,
            RosterCounts {
                units: 4,
                reported: 3,
                twice: 1,
                missing: 1,
                near_miss: 0,
                unmatched_files: 1,
                not_this_year: None
            }
        );
    }

    #[test]
    fn near_misses_are_shown_and_never_merged() {
        let r = roster(vec![
            unit("某区教育局", None),
            unit("某区人民政府办公室（区政务服务中心）", None),
            unit("某区卫生健康委员会", Some("110101")),
            unit("某区民政局", None),
            unit("某区民政局", None),
        ]);
        let batch = vec![
            entry("1.xlsx", "区教育局", None, 2023),
            entry("2.xlsx", "某区人民政府办公室(区政务服务中心)", None, 2023),
            entry("3.xlsx", "某区卫生健康委员会", Some("110102"), 2023),
            entry("4.xlsx", "某区民政局", None, 2023),
            entry("5.xlsx", "教育", None, 2023),
        ];
        let c = check_roster(&r, &batch, None);
        let reasons: Vec<(&str, &str, NearReason)> = c
            .near_misses
            .iter()
            .map(|n| (n.file.as_str(), n.unit.as_str(), n.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("1.xlsx", "某区教育局", NearReason::Prefix),
                ("2.xlsx", "某区人民政府办公室（区政务服务中心）", NearReason::Brackets),
                ("3.xlsx", "某区卫生健康委员会", NearReason::CodeDiffers),
                ("4.xlsx", "某区民政局", NearReason::Ambiguous),
                ("4.xlsx", "某区民政局", NearReason::Ambiguous),
            ]
        );
        assert!(
            c.near_misses[0].message.zh.contains("少了“某”"),
            "{}",
            c.near_misses[0].message.zh
        );
        // None is counted as reported; “教育” is too short to be anything's near-miss.
        assert_eq!(c.counts.reported, 0);
        assert_eq!(c.counts.near_miss, 5);
        assert_eq!(c.counts.unmatched_files, 5);
        assert!(!c.unmatched_files[4].near_miss);
        assert!(c.units.iter().all(|u| u.state == UnitState::NearMiss));
    }

    #[test]
    fn units_that_reported_last_year_and_not_this_year() {
        let r = roster(vec![unit("甲局", None), unit("乙局", None), unit("丙局", None)]);
        let now = vec![entry("甲.xlsx", "甲局", None, 2024)];
        let before = vec![
            entry("甲-2023.xlsx", "甲局", None, 2023),
            entry("乙-2023.xlsx", "乙局", None, 2023),
        ];
        let c = check_roster(&r, &now, Some(&before));
        let gone: Vec<&str> = c.not_this_year().map(|u| u.unit.name.as_str()).collect();
        assert_eq!(gone, ["乙局"]);
        assert_eq!(c.counts.not_this_year, Some(1));
        assert_eq!(c.units[2].reported_last_year, Some(false));
        // Reports of two years for one unit are not “twice”, nor two of unknown year.
        let c = check_roster(&r, &[now[0].clone(), before[0].clone()], None);
        assert_eq!(c.units[0].state, UnitState::Reported);
        let unknown = || {
            let mut e = entry("甲.xlsx", "甲局", None, 2024);
            let mut report = e.report.to_report();
            report.meta.year = None;
            e.report = CompactReport::new(report);
            e
        };
        let c = check_roster(&r, &[unknown(), unknown()], None);
        assert_eq!(c.units[0].state, UnitState::Reported);
        let c = check_roster(&r, &[now[0].clone(), now[0].clone()], None);
        assert_eq!(c.units[0].state, UnitState::Twice);
    }

    #[test]
    fn codes_are_region_or_credit_codes() {
        for ok in ["110101", "110101001000", "91110101MA01234567"] {
            assert!(is_valid_code(ok), "{ok}");
        }
        for bad in ["11010", "9.11101E+17", "91110101ma01234567", "１１０１０１"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }
}
