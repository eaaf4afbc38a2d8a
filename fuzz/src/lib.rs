//! What the importer fuzz targets share: each reads any bytes as one input format, and only a
//! panic, a timeout or an allocation past libFuzzer's RSS limit is a finding.

pub mod build;
pub mod docx_build;
pub mod reach;

pub use libfuzzer_sys;
use xxgk_import::{ImportError, ImportOptions, Imported, InputFormat, import, in_guarded_reader};

/// libFuzzer's hook aborts on every panic. A panic inside calamine is caught by the importer and
/// becomes an error (that is the behaviour under test), so it must unwind instead.
pub fn let_guarded_panics_unwind() {
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !in_guarded_reader() {
            abort(info);
        }
    }));
}

/// Reads `data` as `format`; returning reports and returning an error are both fine.
pub fn import_as(format: InputFormat, name: &str, data: &[u8]) -> Result<Vec<Imported>, ImportError> {
    let opts = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    import(name, data, &opts)
}

/// Builds a file with `generate` from the input, reads it as `format` and, when
/// `XXGK_FUZZ_REACH` is set, records what was built and how its import ended ([`reach`]). With
/// `XXGK_FUZZ_DUMP=path` set, the file built is written there before it is read (to look at a
/// finding, or at what one input builds).
pub fn generated(
    target: &str,
    format: InputFormat,
    name: &str,
    data: &[u8],
    generate: fn(&mut build::Choices<'_>) -> Vec<u8>,
) {
    let mut choices = build::Choices::new(data);
    let file = generate(&mut choices);
    if let Ok(path) = std::env::var("XXGK_FUZZ_DUMP") {
        let _ = std::fs::write(path, &file);
    }
    let result = import_as(format, name, &file);
    reach::record(target, choices.notes(), &result);
}

/// A fuzz target that reads any bytes as one format: `import_target!(Csv, "fuzz.csv");`.
#[macro_export]
macro_rules! import_target {
    ($format:ident, $name:literal) => {
        $crate::libfuzzer_sys::fuzz_target!(
            init: { $crate::let_guarded_panics_unwind(); },
            |data: &[u8]| { let _ = $crate::import_as(xxgk_import::InputFormat::$format, $name, data); }
        );
    };
}

/// A fuzz target that builds a workbook with a structure-aware generator of [`build`] from the
/// input and reads it as a spreadsheet: `generated_target!(xlsx, "fuzz.xlsx");`.
#[macro_export]
macro_rules! generated_target {
    ($gen:ident, $name:literal) => {
        $crate::libfuzzer_sys::fuzz_target!(
            init: { $crate::let_guarded_panics_unwind(); },
            |data: &[u8]| {
                $crate::generated(
                    concat!(stringify!($gen), "_gen"),
                    xxgk_import::InputFormat::Spreadsheet,
                    $name,
                    data,
                    $crate::build::$gen,
                );
            }
        );
    };
}
