//! The exporter registered in `src/lib.rs` is listed and run by xxgk-export's own machinery.

use xxgk_export::{Options, by_extension, by_name, exporters};
use xxgk_model::{Cell, FormatVersion, Meta, Report, catalogue};

#[test]
fn an_exporter_from_outside_is_listed_and_runs() {
    let name = xxgk_external_exporter::NAME;
    let listed: Vec<&str> = exporters().iter().map(|e| e.name).collect();
    assert!(listed.contains(&name), "{listed:?}");
    assert!(listed.contains(&"json"), "the built-in ones stay: {listed:?}");
    assert_eq!(by_extension("x.tsv").map(|e| e.name), Some(name));

    let mut r = Report::new(Meta::new("某局", 2023, FormatVersion::V2021));
    r.cells.set("t3.new_received.total", Cell::number(3));
    r.cells.set("t3.granted.total", Cell::Placeholder { raw: "/".into() });
    let entry = by_name(name).expect("found by name");
    let mut out = Vec::new();
    entry.run(&[r], &mut out, &Options::default()).expect("runs");
    let blank = catalogue(FormatVersion::V2021).cells().len() - 2;
    assert_eq!(
        String::from_utf8(out).expect("UTF-8"),
        format!("agency\tyear\tformat\tnumber\tblank\tplaceholder\ttext\n某局\t2023\t2021\t1\t{blank}\t1\t0\n")
    );
}
