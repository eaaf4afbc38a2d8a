//! The label matcher on any pair of texts: normalising, matching and scoring never panic (they
//! slice strings by byte offsets, so a char-boundary mistake would show here), normalising is
//! idempotent (the matcher compares normalised forms, some normalised twice), and a non-empty
//! label scores as an exact match against itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xxgk_import::labels::match_score;
use xxgk_import::labels::{comparable_label, label_matches, section_of};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Split at the first NUL into a found label and an official one.
    let (found, official) = text.split_once('\0').unwrap_or((&text, "（二）部分公开（区分处理的）"));
    let (f, o) = (comparable_label(found), comparable_label(official));
    assert_eq!(comparable_label(&f), f, "comparable_label is not idempotent on {found:?}");
    let _ = label_matches(found, official);
    let _ = match_score(&f, &o);
    let _ = match_score(&o, &f);
    let _ = section_of(found);
    if !f.is_empty() {
        assert_eq!(
            match_score(&f, &f),
            3,
            "a label does not score 3 against itself: {found:?}"
        );
    }
});
