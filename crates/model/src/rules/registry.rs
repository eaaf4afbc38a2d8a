//! What a rule is, and every rule in the order they run.

use super::context::Ctx;
use super::{cross, document, tables, text, text_figures, values};
use crate::catalogue::Label;
use crate::finding::Severity;
use crate::version::FormatVersion;
use schemars::JsonSchema;
use serde::Serialize;

/// A rule: stable id, severity, the versions it applies to, titles, and its check.
pub struct Rule {
    /// Stable id, e.g. `T3-BAL`.
    pub id: &'static str,
    /// Severity of a failure (some findings of a rule may carry another, e.g. X-FORMAT for 2019).
    pub severity: Severity,
    /// The format versions it applies to.
    pub versions: &'static [FormatVersion],
    /// Title in Chinese and English.
    pub title: Label,
    /// Where the rule comes from: `official` (stated by the form), `layout` (implied by it), `practice`.
    pub basis: &'static str,
    /// What the rule compares: one report, a report with last year's, or a parent with its children.
    pub scope: Scope,
    pub(super) check: fn(&mut Ctx<'_>),
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One report on its own.
    Report,
    /// A report and the same agency's report for the previous year.
    PreviousYear,
    /// A parent report (a government's own figures) and the sum of its children.
    Parent,
    /// A report and an earlier report of the same batch.
    Batch,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("id", &self.id).finish_non_exhaustive()
    }
}

/// A rule described for `xxgk rules --json` and `docs/rules.md`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleInfo {
    /// Stable id.
    pub id: &'static str,
    /// Severity of a failure.
    pub severity: Severity,
    /// Versions it applies to (`2019`, `2021`).
    pub versions: Vec<&'static str>,
    /// Chinese title.
    pub title_zh: &'static str,
    /// English title.
    pub title_en: &'static str,
    /// `official`, `layout` or `practice`.
    pub basis: &'static str,
    /// `report`, `previous_year` or `parent`.
    pub scope: Scope,
}

impl Rule {
    /// Whether the rule applies to a version.
    pub fn applies_to(&self, version: FormatVersion) -> bool {
        self.versions.contains(&version)
    }

    /// The rule as data.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id,
            severity: self.severity,
            versions: self.versions.iter().map(|v| v.code()).collect(),
            title_zh: self.title.zh,
            title_en: self.title.en,
            basis: self.basis,
            scope: self.scope,
        }
    }
}

pub(super) const BOTH: &[FormatVersion] = &[FormatVersion::V2019, FormatVersion::V2021];
pub(super) const V19: &[FormatVersion] = &[FormatVersion::V2019];
pub(super) const V21: &[FormatVersion] = &[FormatVersion::V2021];

pub(super) const fn label(zh: &'static str, en: &'static str) -> Label {
    Label { zh, en }
}

/// Every rule, in the order they run (the order of the findings).
static RULES: [&Rule; 27] = [
    &document::X_FORMAT,
    &document::DOC_SECTIONS,
    &values::INT_NONNEG,
    &values::FEE_NONNEG,
    &values::MONEY_SCALE,
    &values::MONEY_UNIT,
    &tables::T3_BAL,
    &tables::T3_ROWSUM,
    &tables::T3_RESULTS,
    &tables::T3_EMPTY,
    &tables::T4_SUM,
    &tables::V19_ITEMS_NONNEG,
    &tables::V19_PUBLISHED_LE_TOTAL,
    &text_figures::X_TEXT,
    &text_figures::X_TEXT_T2,
    &text::X_T4_TEXT,
    &text::X_FEE_TEXT,
    &text::X_FEE_MENTION,
    &tables::DOC_TABLES,
    &document::DOC_SEC5,
    &tables::T34_BLANK,
    &cross::X_CARRY,
    &cross::X_INFORCE,
    &cross::X_V19_ITEMS,
    &cross::X_DUP,
    &cross::X_AGG,
    &cross::X_BATCH_DUP,
];

/// Every rule, in the order they run.
pub fn rules() -> &'static [&'static Rule] {
    &RULES
}

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id.eq_ignore_ascii_case(id))
}
