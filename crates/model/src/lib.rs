//! # xxgk-model
//!
//! The data model of China's government information-disclosure annual reports
//! (政府信息公开工作年度报告): the two official format versions, the catalogue of every cell of
//! the form, the [`Report`] type with its stable JSON shape, the rules (勾稽关系) and the
//! cell-wise sum of reports.
//!
//! Architecture invariant: this crate does no I/O and knows nothing of spreadsheets or files.
//! Importers and exporters use the catalogue for every label and layout, and never re-implement
//! a rule.
#![deny(missing_docs)]
#![deny(unreachable_pub)]

pub mod aggregate;
pub mod aggregation;
pub mod batch;
pub mod catalogue;
pub mod compact;
pub mod finding;
pub mod identity;
pub mod interchange;
pub mod io_text;
pub mod layout;
pub mod output;
pub mod report;
pub mod roster;
pub mod rules;
pub mod value;
pub mod version;
pub mod view;

pub use aggregate::{Aggregate, AggregateError, AggregateOptions, CellwiseSum, Gap, GapReason, aggregate};
pub use catalogue::{CellDef, Label, SectionKind, TableId, ValueKind, catalogue};
pub use compact::{CellAt, CompactReport};
pub use finding::{
    CellId, CellRef, Figure, Finding, FixedSubject, Location, Message, ReportRole, Severity, SharedLocations, SideName,
    SourceMap, Status, Subject, Text,
};
pub use io_text::{io_error_text, panic_text};
pub use report::{
    AdminLevel, Cells, Contact, Meta, Origin, OriginKind, Origins, ProcessingFees, REPORT_SCHEMA_VERSION, Report,
    Section, Sections,
};
pub use rules::{
    CheckOptions, Rule, RuleInfo, Scope, check, check_duplicate, check_with_children, check_with_previous, rule, rules,
};
pub use value::{Cell, MoneyUnit, Num};
pub use version::{FormatVersion, Lang, PerVersion};
