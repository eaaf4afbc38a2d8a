//! The rules (勾稽关系 and format checks) of format-spec §8.1 and §8.2, for both versions.
//!
//! A rule is data (id, severity, versions, titles) plus a small function that emits one finding
//! per thing it checks: per column, per row, per cell or per section. Every table rule is linear,
//! so a cell-wise sum of valid reports is valid and the aggregate is checked by the same rules.
//!
//! - `registry.rs`: what a rule is, and the list of every rule in the order they run;
//! - `context.rs`: what a rule's function is given (`Ctx`), sums of cells, and how it emits findings;
//! - `document.rs`: the layout's year and the sections (X-FORMAT, DOC-SECTIONS, DOC-SEC5);
//! - `values.rs`: what each cell may hold (INT-NONNEG, FEE-NONNEG, MONEY-SCALE, MONEY-UNIT);
//! - `tables.rs`: the tables' identities and whole-table checks (T3-BAL, T3-ROWSUM, T3-RESULTS,
//!   T4-SUM, T3-EMPTY, DOC-TABLES, T34-BLANK, the 2019 table-2 rows);
//! - `text.rs`: the text against the tables (X-TEXT, X-T4-TEXT, X-FEE-TEXT, X-FEE-MENTION);
//! - `cross.rs`: two reports (X-CARRY, X-INFORCE, X-V19-ITEMS, X-DUP, X-AGG, X-BATCH-DUP).
//!
//! Each rule's `static` sits beside its function.

use crate::catalogue::catalogue;
use crate::finding::Finding;
use crate::report::Report;

mod context;
mod cross;
mod document;
mod registry;
mod tables;
mod text;
pub mod text_figures;
mod values;

use context::Ctx;
pub use registry::{Rule, RuleInfo, Scope, rule, rules};

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Count blanks and placeholders as 0 (every finding that does so says so).
    pub blank_as_zero: bool,
    /// Rule ids not to run.
    pub skip: Vec<String>,
    /// Arithmetic checks and section checks that pass carry only their rule, subject and
    /// status, without cells or message: a batch that only counts passed checks need not build
    /// them (most of a check's time on a valid report).
    pub brief_passes: bool,
}

/// Runs every single-report rule that applies to the report's format and is not skipped.
pub fn check(report: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Report, report, None, opts)
}

/// Runs the rules that compare a report with the same agency's report for the previous year.
/// Nothing runs when `previous` is not for the year before.
pub fn check_with_previous(report: &Report, previous: &Report, opts: &CheckOptions) -> Vec<Finding> {
    let (Some(prev_year), Some(year)) = (previous.meta.year, report.meta.year) else {
        return Vec::new();
    };
    if prev_year.checked_add(1) != Some(year) {
        return Vec::new();
    }
    run(Scope::PreviousYear, report, Some(previous), opts)
}

/// Runs the rules that compare a parent report with the cell-wise sum of its children.
pub fn check_with_children(parent: &Report, children_sum: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Parent, parent, Some(children_sum), opts)
}

/// Runs the rules that compare a report with an earlier report of the same batch that
/// [`crate::batch::duplicates`] found to be the same agency and year.
pub fn check_duplicate(report: &Report, earlier: &Report, opts: &CheckOptions) -> Vec<Finding> {
    run(Scope::Batch, report, Some(earlier), opts)
}

fn run(scope: Scope, report: &Report, other: Option<&Report>, opts: &CheckOptions) -> Vec<Finding> {
    let cat = catalogue(report.meta.format);
    // A report gets a finding per check, about sixty: one allocation rather than doubling.
    let mut out = Vec::with_capacity(if scope == Scope::Report { 64 } else { 8 });
    let cells = context::cells_by_position(report, cat);
    let alone = std::cell::OnceCell::new();
    for rule in rules().iter().copied().filter(|r| r.scope == scope) {
        // A cross-year rule applies when both reports are in one of its versions.
        let applies = rule.applies_to(report.meta.format) && other.is_none_or(|o| rule.applies_to(o.meta.format));
        if !applies || opts.skip.iter().any(|s| s.eq_ignore_ascii_case(rule.id)) {
            continue;
        }
        let mut ctx = Ctx {
            report,
            other,
            cat,
            opts,
            rule,
            out: &mut out,
            cells: &cells,
            alone: &alone,
        };
        (rule.check)(&mut ctx);
    }
    out
}
