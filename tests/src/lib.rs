//! Shared helpers for the end-to-end tests of xxgk: loading fixtures.

use std::path::{Path, PathBuf};
use xxgk_model::Report;

/// The folder of the test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Reads a JSON fixture through the JSON importer, as a user's file would be read.
pub fn load(rel: &str) -> Report {
    let path = fixtures().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut imported = xxgk_import::import(rel, &bytes, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.len(), 1, "{rel} holds one report");
    imported.remove(0).report
}
