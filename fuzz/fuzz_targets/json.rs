//! Any bytes read as json: the importer returns reports or an error, never panics, hangs or
//! allocates past libFuzzer's RSS limit (run with `-rss_limit_mb=1024`).
#![no_main]

xxgk_fuzz::import_target!(Json, "fuzz.json");
