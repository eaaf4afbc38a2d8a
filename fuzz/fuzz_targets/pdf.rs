//! Any bytes read as pdf: the importer returns reports or an error, never panics, hangs or
//! allocates past libFuzzer's RSS limit (run with `-rss_limit_mb=2048`).
#![no_main]

xxgk_fuzz::import_target!(Pdf, "fuzz.pdf");
