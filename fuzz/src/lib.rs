//! What the importer fuzz targets share: each reads any bytes as one input format, and only a
//! panic, a timeout or an allocation past libFuzzer's RSS limit is a finding.

pub mod build;
pub mod docx_build;

pub use libfuzzer_sys;
use xxgk_import::{ImportOptions, InputFormat, import, in_guarded_reader};

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
pub fn import_as(format: InputFormat, name: &str, data: &[u8]) {
    let opts = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    let _ = import(name, data, &opts);
}

/// A fuzz target that reads any bytes as one format: `import_target!(Csv, "fuzz.csv");`.
#[macro_export]
macro_rules! import_target {
    ($format:ident, $name:literal) => {
        $crate::libfuzzer_sys::fuzz_target!(
            init: { $crate::let_guarded_panics_unwind(); },
            |data: &[u8]| { $crate::import_as(xxgk_import::InputFormat::$format, $name, data); }
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
                let file = $crate::build::$gen(&mut $crate::build::Choices::new(data));
                $crate::import_as(xxgk_import::InputFormat::Spreadsheet, $name, &file);
            }
        );
    };
}
