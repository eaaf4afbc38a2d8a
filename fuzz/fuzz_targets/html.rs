//! Any bytes read as html: the importer returns reports or an error, never panics, hangs or
//! allocates past libFuzzer's RSS limit (run with `-rss_limit_mb=1024`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use xxgk_import::{ImportOptions, InputFormat, import, in_guarded_reader};

fuzz_target!(
    init: {
        // libFuzzer's hook aborts on every panic. A panic inside calamine is caught by the
        // importer and becomes an error (that is the behaviour under test), so it must unwind.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !in_guarded_reader() {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
    let opts = ImportOptions {
        format: Some(InputFormat::Html),
        ..ImportOptions::default()
    };
    // Both outcomes are fine; only a panic, a timeout or an allocation blow-up is a finding.
    let _ = import("fuzz.html", data, &opts);
});
