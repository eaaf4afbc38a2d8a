//! Text from a report that goes into a spreadsheet or CSV must never become a formula.
//!
//! The guard is defined once, in `xxgk_model::interchange`, because the CSV importers must undo
//! exactly what the exporters do; it is re-exported here for exporters.

pub use xxgk_model::interchange::{guard_csv, looks_like_formula, unguard_csv};
