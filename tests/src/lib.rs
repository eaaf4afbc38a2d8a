//! Shared helpers for the end-to-end tests of xxgk: loading fixtures, and report figures that
//! satisfy every identity, from which a test writes the report in the shape it exercises.

pub mod layouts;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk_export::{Options, by_name};
use xxgk_model::catalogue::{T3_COLUMNS, T4_GROUPS, T4_OUTCOMES, catalogue, t2_id, t3_id, t4_id};
use xxgk_model::{FormatVersion, Report};
use xxgk_model::{Lang, SectionKind};

/// The folder of the test fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Reads a JSON fixture through the JSON importer, as a user's file would be read.
pub fn load(rel: &str) -> Report {
    let path = fixtures().join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut imported = xxgk_import::import(rel, &bytes, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.len(), 1, "{rel} holds one report");
    imported.remove(0).report
}

/// Figures that satisfy every identity (spec §8): id → number as written.
pub fn figures(v: FormatVersion) -> BTreeMap<String, String> {
    let cat = catalogue(v);
    let mut f = BTreeMap::new();
    for (_, row, col) in cat.t2_cells() {
        f.insert(t2_id(row.key, col.key), "0".to_string());
    }
    let t2: &[(&str, &str)] = match v {
        FormatVersion::V2021 => &[
            ("t2.normative_docs.made", "3"),
            ("t2.normative_docs.repealed", "1"),
            ("t2.normative_docs.in_force", "12"),
            ("t2.licensing.decisions", "56"),
            ("t2.penalty.decisions", "7"),
            ("t2.coercion.decisions", "2"),
            ("t2.fees.amount", "103.3879"),
        ],
        FormatVersion::V2019 => &[
            ("t2.normative_docs.new_made", "3"),
            ("t2.licensing.prev_items", "40"),
            ("t2.licensing.change", "-2"),
            ("t2.licensing.decisions", "56"),
            ("t2.procurement.amount", "160.5964"),
        ],
    };
    for (id, n) in t2 {
        f.insert((*id).to_string(), (*n).to_string());
    }
    // Table 3: natural persons and commercial enterprises; the rest 0.
    let rows: &[(&str, [u64; 2])] = &[
        ("new_received", [80, 1]),
        ("carried_over", [3, 0]),
        ("granted", [40, 1]),
        ("partial", [10, 0]),
        ("withheld.state_secret", [1, 0]),
        ("unavailable.not_held", [20, 0]),
        ("not_handled.duplicate", [2, 0]),
        ("other.no_correction", [3, 0]),
        ("other", [3, 0]),
        ("results_total", [76, 1]),
        ("carried_forward", [7, 0]),
    ];
    for r in cat.t3_rows {
        let pair = rows.iter().find(|x| x.0 == r.key).map_or([0, 0], |x| x.1);
        for (i, c) in T3_COLUMNS.iter().enumerate() {
            let n = match i {
                0 | 1 => pair[i],
                6 => pair[0] + pair[1],
                _ => 0,
            };
            f.insert(t3_id(r.key, c.key), n.to_string());
        }
    }
    let t4 = [[1u64, 1, 0, 0, 2], [4, 0, 0, 1, 5], [1, 0, 1, 0, 2]];
    for (g, vals) in T4_GROUPS.iter().zip(t4) {
        for (o, n) in T4_OUTCOMES.iter().zip(vals) {
            f.insert(t4_id(g.key, o.key), n.to_string());
        }
    }
    f
}

/// A cell as a reader of its text alone sees it: a raw text that is just the plain number says
/// nothing more than the number (`{"value": -2, "raw": "-2"}` is `-2`). Formats that hold only
/// each cell's text (the wide CSV) are compared in this form.
pub fn as_text_says(cell: &xxgk_model::Cell) -> xxgk_model::Cell {
    use xxgk_model::Cell;
    match cell {
        Cell::Number {
            value,
            raw: Some(raw),
            annotation: None,
            unit: None,
        } if *raw == value.to_string() => Cell::number(*value),
        other => other.clone(),
    }
}

/// What a hostile input must end in: an error that says what is wrong, or reports none of whose
/// cells holds a number beyond any real report's (a run of digits read as one count is a value
/// read wrong).
pub fn assert_refused_or_sane(what: &str, result: Result<Vec<xxgk_import::Imported>, xxgk_import::ImportError>) {
    const BEYOND_ANY_REPORT: i64 = 100_000_000;
    match result {
        Err(e) => assert!(!e.message.zh.is_empty() && !e.message.en.is_empty(), "{what}: {e:?}"),
        Ok(list) => {
            for imported in list {
                for (id, cell) in imported.report.cells.iter() {
                    if let Some(v) = cell.value() {
                        assert!(
                            v < xxgk_model::Num::int(BEYOND_ANY_REPORT),
                            "{what}: {id} read as {v:?}"
                        );
                    }
                }
            }
        }
    }
}

/// Every report fixture (the seed, the two valid reports and each broken one), by name.
pub fn report_fixtures() -> Vec<(String, Report)> {
    let mut names: Vec<String> = ["seed-2023-daoli.json", "valid-2019.json", "valid-2021.json"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let mut broken: Vec<String> = std::fs::read_dir(fixtures().join("broken"))
        .expect("broken fixtures")
        .filter_map(|e| e.ok())
        .map(|e| format!("broken/{}", e.file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".json"))
        .collect();
    broken.sort();
    names.extend(broken);
    names
        .into_iter()
        .map(|n| {
            let r = load(&n);
            (n, r)
        })
        .collect()
}

// ───────────────────────────── Documents read back ─────────────────────────────

/// The report as xxgk's own Word document (the `docx` exporter, in Chinese).
pub fn export_docx(report: &Report) -> Vec<u8> {
    let entry = by_name("docx").expect("the docx exporter is registered");
    let mut out = Vec::new();
    let opts = Options {
        lang: Lang::Zh,
        ..Default::default()
    };
    entry
        .run(std::slice::from_ref(report), &mut out, &opts)
        .expect("export");
    out
}

/// How a report read back differs from the one it was made from: year, agency, format, title
/// (without spaces), every cell, every section's text.
pub fn differences(want: &Report, got: &Report) -> Vec<String> {
    let mut d = Vec::new();
    if want.meta.year != got.meta.year {
        d.push(format!("year {:?} ≠ {:?}", got.meta.year, want.meta.year));
    }
    if want.meta.agency != got.meta.agency {
        d.push(format!("agency “{}” ≠ “{}”", got.meta.agency, want.meta.agency));
    }
    if want.meta.format != got.meta.format {
        d.push(format!("format {:?} ≠ {:?}", got.meta.format, want.meta.format));
    }
    let title = |r: &Report| {
        r.meta
            .title
            .clone()
            .unwrap_or_else(|| r.meta.standard_title())
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    if title(want) != title(got) {
        d.push(format!("title “{}” ≠ “{}”", title(got), title(want)));
    }
    let ids: std::collections::BTreeSet<&str> = want.cells.iter().chain(got.cells.iter()).map(|(id, _)| id).collect();
    for id in ids {
        let (w, g) = (want.cells.get(id), got.cells.get(id));
        if w.value() != g.value() || std::mem::discriminant(w) != std::mem::discriminant(g) {
            d.push(format!("{id}: {g:?} ≠ {w:?}"));
        }
    }
    for kind in SectionKind::ALL {
        let text = |r: &Report| {
            r.sections
                .get(kind)
                .map(|s| s.text.trim().to_string())
                .unwrap_or_default()
        };
        if text(want) != text(got) {
            d.push(format!("section {kind:?}: {:?} ≠ {:?}", text(got), text(want)));
        }
    }
    d
}

/// A program on `PATH`.
pub fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

/// Converts files with LibreOffice in its own profile (so that it runs beside any other
/// instance) into `out`.
pub fn soffice(soffice: &Path, dir: &Path, out: &Path, to: &str, files: &[String]) -> std::process::Output {
    Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(out)
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .expect("run soffice")
}

/// Skips a LibreOffice test, unless `XXGK_REQUIRE_SOFFICE` makes LibreOffice's absence a failure.
pub fn skip_without_soffice(reason: &str) {
    assert!(
        std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
        "XXGK_REQUIRE_SOFFICE is set but {reason}"
    );
    eprintln!("skipped: {reason}");
}

/// `report` as a department that prints the groups `keys` of table 3 (`withheld`, `unavailable`,
/// `not_handled`, `other`) as one row each, without their sub-rows: each column's sub-rows summed
/// into the group's cell (their figures must be numbers), the sub-rows dropped.
pub fn print_alone(mut report: Report, keys: &[&str]) -> Report {
    let cat = catalogue(report.meta.format);
    for g in cat.t3_groups.iter().filter(|g| keys.contains(&g.key)) {
        for c in &T3_COLUMNS {
            let mut sum = xxgk_model::Num::ZERO;
            for p in g.parts {
                let id = t3_id(p, c.key);
                let v = report
                    .cell(&id)
                    .value()
                    .unwrap_or_else(|| panic!("{id} holds a figure"));
                sum = sum.checked_add(v).expect("small figures");
                report.cells.0.shift_remove(&id);
            }
            report.cells.set(t3_id(g.key, c.key), xxgk_model::Cell::number(sum));
        }
    }
    report.normalize_cells();
    report
}

/// The docx with a number written into every empty cell of its tables that is not the
/// continuation of a vertical merge (100, 101, … in reading order), and how many were filled.
pub fn fill_empty_cells(docx: &[u8]) -> (Vec<u8>, usize) {
    let mut filled = 0;
    let out = edit_document(docx, |xml| {
        let mut done = String::new();
        let mut rest = xml.as_str();
        while let Some(a) = rest.find("<w:tc>") {
            let b = rest[a..].find("</w:tc>").expect("closed cell") + a;
            let cell = &rest[a..b];
            let text: String = cell
                .split("<w:t")
                .skip(1)
                .filter_map(|t| t.split_once('>').map(|(_, t)| t.split('<').next().unwrap_or("")))
                .collect();
            let continued = cell.contains("<w:vMerge/>") || cell.contains("w:vMerge w:val=\"continue\"");
            done.push_str(&rest[..a]);
            match cell.rfind("</w:p>") {
                Some(p) if text.trim().is_empty() && !continued => {
                    done.push_str(&cell[..p]);
                    done.push_str(&format!("<w:r><w:t>{}</w:t></w:r>", 100 + filled));
                    done.push_str(&cell[p..]);
                    filled += 1;
                }
                _ => done.push_str(cell),
            }
            rest = &rest[b..];
        }
        done.push_str(rest);
        done
    });
    (out, filled)
}

/// The docx with its `word/document.xml` passed through `edit`, every other part as it was.
pub fn edit_document(docx: &[u8], mut edit: impl FnMut(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("read entry");
        if name == "word/document.xml" {
            data = edit(String::from_utf8(data).expect("utf-8")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("zip");
        out.write_all(&data).expect("zip");
    }
    out.finish().expect("zip").into_inner()
}

/// The ids of the data cells of the three tables of the form, in reading order (table by table,
/// row by row, left to right): the order [`fill_empty_cells`] numbers the official form's cells in.
pub fn form_cells_in_reading_order(version: FormatVersion) -> Vec<String> {
    let mut want = Vec::new();
    for table in [
        xxgk_model::TableId::T2,
        xxgk_model::TableId::T3,
        xxgk_model::TableId::T4,
    ] {
        let layout = xxgk_model::layout::table_layout(version, table);
        let mut cells: Vec<_> = layout.data_cells().collect();
        cells.sort_by_key(|&(_, r, c)| (r, c));
        want.extend(cells.into_iter().map(|(d, _, _)| d.id.to_string()));
    }
    want
}

// ───────────────────────────── PDFs written object by object ─────────────────────────────

/// A PDF of the given objects (numbered from 1; object 1 is the catalog), with a correct
/// cross-reference table. `trailer_extra` goes into the trailer dictionary.
pub fn pdf_of_objects(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A PDF stream object of `data` with the entries `dict` (besides its length).
pub fn pdf_stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}
