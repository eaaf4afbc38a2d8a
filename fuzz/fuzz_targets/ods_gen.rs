//! Workbooks built by the structure-aware ods generator (`fuzz/src/build.rs`) from the input, read
//! as a spreadsheet: an error or reports, never a panic, a hang or an allocation past the RSS
//! limit (run with `-rss_limit_mb=2048`).
#![no_main]

xxgk_fuzz::generated_target!(ods, "fuzz.ods");
