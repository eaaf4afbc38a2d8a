//! Word documents built by the structure-aware docx generator (`fuzz/src/docx_build.rs`) from the
//! input, read as Word: an error or reports, never a panic, a hang or an allocation past the RSS
//! limit (run with `-rss_limit_mb=2048`). With `XXGK_FUZZ_DUMP=path` set, the document built from
//! the input is also written there (for looking at a finding); `XXGK_FUZZ_REACH`: `src/reach.rs`.
#![no_main]

xxgk_fuzz::libfuzzer_sys::fuzz_target!(
    init: { xxgk_fuzz::let_guarded_panics_unwind(); },
    |data: &[u8]| {
        xxgk_fuzz::generated(
            "docx_gen",
            xxgk_import::InputFormat::Word,
            "fuzz.docx",
            data,
            xxgk_fuzz::docx_build::docx,
        );
    }
);
