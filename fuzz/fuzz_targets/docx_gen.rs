//! Word documents built by the structure-aware docx generator (`fuzz/src/docx_build.rs`) from the
//! input, read as Word: an error or reports, never a panic, a hang or an allocation past the RSS
//! limit (run with `-rss_limit_mb=2048`). With `XXGK_FUZZ_DUMP=path` set, the document built from
//! the input is also written there (for looking at a finding).
#![no_main]

xxgk_fuzz::libfuzzer_sys::fuzz_target!(
    init: { xxgk_fuzz::let_guarded_panics_unwind(); },
    |data: &[u8]| {
        let file = xxgk_fuzz::docx_build::docx(&mut xxgk_fuzz::build::Choices::new(data));
        if let Ok(path) = std::env::var("XXGK_FUZZ_DUMP") {
            let _ = std::fs::write(path, &file);
        }
        xxgk_fuzz::import_as(xxgk_import::InputFormat::Word, "fuzz.docx", &file);
    }
);
