//! The exporters end to end: every exporter with a matching importer round-trips cell by cell,
//! report text never becomes a formula, the statistics workbook reads back with its sums, and
//! the readable report matches its committed snapshot.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use std::io::Cursor;
use std::path::PathBuf;
use xxgk_export::{Options, by_name};
use xxgk_import::values::parse_cell;
use xxgk_import::{ImportOptions, Imported, import};
use xxgk_model::interchange::looks_like_formula;
use xxgk_model::{Cell, CheckOptions, Finding, FormatVersion, Lang, Meta, Num, Report, catalogue, check};

fn fixture(name: &str) -> PathBuf {
    xxgk_tests::fixtures().join(name)
}

fn seed() -> Report {
    xxgk_tests::load("seed-2023-daoli.json")
}

/// The text written into a text cell of the varied reports; a spreadsheet would run it.
const FORMULA_TEXT: &str = "=HYPERLINK(\"http://x.invalid\",\"点击\")";

/// A report of `version` whose cells cover every state: numbers (non-zero, negative where
/// signed), blanks, placeholders, annotated numbers, amounts with units, full-width digits and
/// texts that start like formulas. Every cell is what the importers' parser makes of its text.
fn varied(agency: &str, version: FormatVersion, seed: usize) -> Report {
    let year = match version {
        FormatVersion::V2019 => 2020,
        FormatVersion::V2021 => 2023,
    };
    let mut meta = Meta::new(agency, year, version);
    meta.region_code = Some("230102".into());
    let mut r = Report::new(meta);
    for (i, def) in catalogue(version).cells().iter().enumerate() {
        let k = i + seed;
        let text = if def.kind == xxgk_model::ValueKind::SignedCount && k.is_multiple_of(2) {
            "-3".to_string()
        } else if def.kind.is_money() {
            ["103.3879万元", "251000元", "0.5", "/"][k % 4].to_string()
        } else {
            match k % 12 {
                0 => String::new(),
                1 => "/".into(),
                2 => "22（其中修订16件）".into(),
                3 => "１２".into(),
                4 => FORMULA_TEXT.into(),
                5 => "+1+1".into(),
                6 => "@外部".into(),
                7 => "-".into(),
                8 => "约十件".into(),
                9 => "-1-2".into(),
                _ => (k * 7 + 1).to_string(),
            }
        };
        r.cells.set(def.id.clone(), parse_cell(&text, def.kind));
    }
    r.normalize_cells();
    r
}

/// Varied reports of both versions, then the seed and the two realistic fixtures (non-zero
/// numbers for which every identity holds).
fn batch() -> Vec<Report> {
    vec![
        varied("甲区统计局", FormatVersion::V2021, 0),
        varied("=乙县\"人民政府\"办公室", FormatVersion::V2019, 3),
        varied("丙市司法局", FormatVersion::V2021, 5),
        seed(),
        xxgk_tests::load("valid-2021.json"),
        xxgk_tests::load("valid-2019.json"),
    ]
}

fn export(name: &str, reports: &[Report], lang: Lang) -> Vec<u8> {
    let entry = by_name(name).unwrap_or_else(|| panic!("exporter {name} is registered"));
    let mut out = Vec::new();
    let opts = Options {
        lang,
        ..Default::default()
    };
    entry.run(reports, &mut out, &opts).expect("export");
    out
}

fn read_back(file: &str, bytes: &[u8]) -> Vec<Imported> {
    import(file, bytes, &ImportOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every cell of every report is the same after the trip, and so are the agency, year and format.
fn assert_same_cells(before: &[Report], after: &[Imported], what: &str) {
    assert_cells(before, after, what, Cell::clone);
}

/// As [`assert_same_cells`], for a form that keeps each cell's text only.
fn assert_same_texts(before: &[Report], after: &[Imported], what: &str) {
    assert_cells(before, after, what, xxgk_tests::as_text_says);
}

fn assert_cells(before: &[Report], after: &[Imported], what: &str, view: fn(&Cell) -> Cell) {
    assert_eq!(before.len(), after.len(), "{what}: number of reports");
    for (a, b) in before.iter().zip(after) {
        let b = &b.report;
        assert_eq!(
            (&a.meta.agency, a.meta.year, a.meta.format),
            (&b.meta.agency, b.meta.year, b.meta.format),
            "{what}"
        );
        for def in catalogue(a.meta.format).cells() {
            assert_eq!(
                view(a.cell(&def.id)),
                view(b.cell(&def.id)),
                "{what}: {} of {}",
                def.id,
                a.meta.agency
            );
        }
    }
}

#[test]
fn the_varied_reports_hold_every_kind_of_cell() {
    let r = varied("甲", FormatVersion::V2021, 0);
    let states: std::collections::HashSet<&str> = r.cells.iter().map(|(_, c)| c.state()).collect();
    assert_eq!(states.len(), 4, "{states:?}");
    assert!(r.cells.iter().any(|(_, c)| matches!(
        c,
        Cell::Number {
            annotation: Some(_),
            ..
        }
    )));
    assert!(r.cells.iter().any(|(_, c)| c
        == &Cell::Text {
            raw: FORMULA_TEXT.into()
        }));
    let old = varied("乙", FormatVersion::V2019, 3);
    assert!(
        old.cells
            .iter()
            .any(|(_, c)| matches!(c, Cell::Number { unit: Some(_), .. }))
    );
    assert!(old.cells.iter().any(|(_, c)| c.value().is_some_and(|v| v < Num::ZERO)));
}

#[test]
fn json_round_trips_exactly() {
    let reports = batch();
    let back = read_back("batch.json", &export("json", &reports, Lang::Zh));
    assert_same_cells(&reports, &back, "json");
    for (a, b) in reports.iter().zip(&back) {
        assert_eq!(a, &b.report);
    }
    let back = read_back("batch.jsonl", &export("jsonl", &reports, Lang::Zh));
    assert_same_cells(&reports, &back, "jsonl");
}

#[test]
fn long_csv_round_trips_cell_by_cell_in_both_languages() {
    let reports = batch();
    for lang in [Lang::Zh, Lang::En] {
        let bytes = export("csv", &reports, lang);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "BOM");
        let back = read_back("batch.csv", &bytes);
        assert_same_cells(&reports, &back, "csv");
        // Each cell points at its line.
        let loc = back[0].sources.get("t2.regulations.made").expect("located");
        assert_eq!(loc.line, Some(2));
    }
}

#[test]
fn wide_csv_round_trips_cell_by_cell_and_mixes_versions() {
    let reports = batch();
    let bytes = export("csv-wide", &reports, Lang::Zh);
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
    let ids = lines.next().expect("ids");
    let labels = lines.next().expect("labels");
    assert!(
        ids.starts_with("agency,region_code,year,format,t2.regulations.made,"),
        "{ids}"
    );
    assert!(labels.starts_with("机关名称,行政区划代码,年度,格式,"), "{labels}");
    let names: Vec<&str> = ids.split(',').collect();
    assert!(names.contains(&"t3.other.total") && names.contains(&"t3.other.fee_unpaid.total"));
    let back = read_back("wide.csv", &bytes);
    assert_same_texts(&reports, &back, "csv-wide");
    assert_eq!(back[0].report.meta.region_code.as_deref(), Some("230102"));
    // Excel on Chinese Windows saves as GBK: the same file in GB18030 reads the same.
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(text.trim_start_matches('\u{feff}'));
    assert!(!unmappable);
    assert_same_texts(&reports, &read_back("wide-gbk.csv", &gbk), "csv-wide in GB18030");
    let en = export("csv-wide", &reports, Lang::En);
    assert_same_texts(&reports, &read_back("wide-en.csv", &en), "csv-wide, English labels");
    // The varied reports are exactly as they were: every cell of them is what its text says.
    assert_same_cells(&reports[..3], &back[..3], "csv-wide");
}

/// Every field of a CSV that a spreadsheet would run as a formula: text starting with `=`, `+`,
/// `-` or `@` that is not a plain number.
fn formula_fields(bytes: &[u8]) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for rec in r.records() {
        for f in rec.expect("record").iter() {
            if looks_like_formula(f) && f.parse::<Num>().is_err() {
                out.push(f.to_string());
            }
        }
    }
    out
}

#[test]
fn formula_like_text_stays_text_in_csv() {
    let reports = batch();
    for name in ["csv", "csv-wide"] {
        let bytes = export(name, &reports, Lang::Zh);
        assert_eq!(formula_fields(&bytes), Vec::<String>::new(), "{name}");
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert!(text.contains("'=HYPERLINK("), "{name}: guarded with an apostrophe");
        assert!(
            text.contains("'+1+1") && text.contains("'@外部") && text.contains("'=乙县"),
            "{name}"
        );
    }
}

// ───────────────────────────── xlsx-stats ─────────────────────────────

struct Sheet {
    values: calamine::Range<Data>,
    formulas: calamine::Range<String>,
}

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("xlsx opens")
}

fn sheet(wb: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Sheet {
    Sheet {
        values: wb.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e:?}")),
        formulas: wb.worksheet_formula(name).unwrap_or_else(|e| panic!("{name}: {e:?}")),
    }
}

impl Sheet {
    fn value(&self, row: u32, col: u32) -> Data {
        self.values.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }
    fn formula(&self, row: u32, col: u32) -> String {
        self.formulas.get_value((row, col)).cloned().unwrap_or_default()
    }
    /// The column whose id (header row 3) is `id`.
    fn column(&self, id: &str) -> u32 {
        (0..self.values.width() as u32)
            .find(|&c| self.value(2, c) == Data::String(id.into()))
            .unwrap_or_else(|| panic!("column {id}"))
    }
}

/// Every number of a report row carries a format (borders and number format, or the failing
/// one), and a blank cell of a report row stays unwritten rather than a formatted blank: the
/// numbers are formatted a run of neighbours at a time, which must neither skip a number nor
/// spill onto a blank between two.
#[test]
fn xlsx_stats_formats_every_number_and_writes_no_blank() {
    use std::io::Read;
    let reports = batch();
    let bytes = export("xlsx-stats", &reports, Lang::Zh);
    let mut wb = workbook(&bytes);
    let names = wb.sheet_names();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.clone())).expect("a zip file");
    let (mut numbers, mut blanks_after) = (0, 0);
    for (i, name) in names.iter().enumerate().filter(|(_, n)| n.starts_with('表')) {
        let s = sheet(&mut wb, name);
        let total = (0..s.values.height() as u32)
            .find(|&r| s.value(r, 0) == Data::String("合计".into()))
            .expect("a 合计 row");
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1))
            .expect("the sheet's part")
            .read_to_string(&mut xml)
            .expect("UTF-8");
        for cell in xml.split("<c ").skip(1) {
            let head = &cell[..cell.find('>').expect("a whole element")];
            let attr = |a: &str| head.split(&format!("{a}=\"")).nth(1).and_then(|t| t.split('"').next());
            let at = attr("r").expect("an address");
            let letters = at.trim_end_matches(|c: char| c.is_ascii_digit());
            let row: u32 = at[letters.len()..].parse::<u32>().expect("a row") - 1;
            let col = letters.bytes().fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1)) - 1;
            if !(3..total).contains(&row) {
                continue;
            }
            assert!(
                !head.ends_with('/'),
                "{name}!{at}: a blank cell written in a report row"
            );
            if matches!(s.value(row, col), Data::Float(_) | Data::Int(_)) {
                numbers += 1;
                assert!(
                    attr("s").is_some_and(|s| s != "0"),
                    "{name}!{at}: a number without its format"
                );
            }
        }
        // Blank cells right of a number (where a run of numbers must stop) exist in these
        // reports (the varied ones).
        for r in 3..total {
            for c in 1..s.values.width() as u32 {
                let number = matches!(s.value(r, c - 1), Data::Float(_) | Data::Int(_));
                blanks_after += usize::from(number && s.value(r, c) == Data::Empty);
            }
        }
    }
    assert!(
        numbers > 500 && blanks_after > 10,
        "{numbers} numbers, {blanks_after} blanks right of a number"
    );
}

/// The sum a statistics office expects in the 合计 row: the numbers of the reports, nothing for
/// blanks, placeholders, texts and amounts in 元 under a 万元 header.
fn expected_sum(reports: &[&Report], id: &str) -> f64 {
    reports
        .iter()
        .filter_map(|r| match r.cell(id) {
            Cell::Number {
                unit: Some(xxgk_model::MoneyUnit::Yuan),
                ..
            } if id == "t2.fees.amount" => None,
            c => c.value(),
        })
        .map(|v| v.to_string().parse::<f64>().expect("number"))
        .sum()
}

#[test]
fn xlsx_stats_reads_back_with_sums_texts_findings_and_summary() {
    let reports = batch();
    let bytes = export("xlsx-stats", &reports, Lang::Zh);
    // The sheets are written on threads at once: the bytes must not depend on which ends first.
    for _ in 0..4 {
        assert_eq!(bytes, export("xlsx-stats", &reports, Lang::Zh), "deterministic bytes");
    }
    let mut wb = workbook(&bytes);
    assert_eq!(
        wb.sheet_names(),
        [
            "汇总",
            "表二（2021格式）",
            "表三（2021格式）",
            "表四（2021格式）",
            "表二（2019格式）",
            "表三（2019格式）",
            "表四（2019格式）",
            "问题清单"
        ]
    );
    let v21: Vec<&Report> = reports
        .iter()
        .filter(|r| r.meta.format == FormatVersion::V2021)
        .collect();
    let t3 = sheet(&mut wb, "表三（2021格式）");
    assert_eq!(t3.value(0, 0), Data::String("机关名称".into()));
    assert_eq!(t3.value(1, 4), Data::String("自然人".into()));
    assert_eq!(t3.value(0, 4), Data::String("一、本年新收政府信息公开申请数量".into()));
    let total_row = 3 + v21.len() as u32;
    assert_eq!(t3.value(total_row, 0), Data::String("合计".into()));
    let mut checked_nonzero = 0;
    for def in catalogue(FormatVersion::V2021).table_cells(xxgk_model::TableId::T3) {
        let col = t3.column(&def.id);
        let want = expected_sum(&v21, &def.id);
        match t3.value(total_row, col) {
            Data::Float(got) => assert!((got - want).abs() < 1e-9, "{}: {got} ≠ {want}", def.id),
            Data::Int(got) => assert_eq!(got as f64, want, "{}", def.id),
            other => panic!("{}: total {other:?}", def.id),
        }
        if want != 0.0 {
            checked_nonzero += 1;
        }
        let letter = xxgk_col(col);
        assert_eq!(
            t3.formula(total_row, col),
            format!("SUM({letter}4:{letter}{total_row})"),
            "{}",
            def.id
        );
        // Each report's cell: numbers as numbers, texts as text, never a formula.
        for (k, r) in v21.iter().enumerate() {
            let row = 3 + k as u32;
            assert_eq!(t3.formula(row, col), "", "{} of {}", def.id, r.meta.agency);
            let got = t3.value(row, col);
            match r.cell(&def.id) {
                Cell::Blank => assert_eq!(got, Data::Empty, "{}", def.id),
                Cell::Placeholder { raw } | Cell::Text { raw } => {
                    assert_eq!(got, Data::String(raw.clone()), "{}", def.id)
                }
                Cell::Number { value, .. } => {
                    let want: f64 = value.to_string().parse().expect("number");
                    assert_eq!(got, Data::Float(want), "{}", def.id)
                }
            }
        }
    }
    assert!(checked_nonzero > 50, "the sums are not trivial: {checked_nonzero}");

    // The 万元 column: 103.3879 and 0.5 are summed, “251000元” is text and left out.
    let t2 = sheet(&mut wb, "表二（2021格式）");
    let fee = t2.column("t2.fees.amount");
    let fee_texts: Vec<Data> = (0..v21.len() as u32).map(|k| t2.value(3 + k, fee)).collect();
    assert_eq!(
        t2.value(3 + v21.len() as u32, fee),
        Data::Float(expected_sum(&v21, "t2.fees.amount")),
        "{fee_texts:?}"
    );

    // The agency that looks like a formula is text.
    let old = sheet(&mut wb, "表三（2019格式）");
    assert_eq!(old.value(3, 0), Data::String("=乙县\"人民政府\"办公室".into()));
    assert_eq!(old.formula(3, 0), "");

    let summary = sheet(&mut wb, "汇总");
    assert_eq!(summary.value(2, 0), Data::String("报告份数".into()));
    assert_eq!(summary.value(2, 1), Data::Float(reports.len() as f64));
    let failed = (0..reports.len() as u32)
        .filter(|k| summary.value(12 + k, 5) == Data::String("不通过".into()))
        .count();
    assert_eq!(summary.value(4, 1), Data::Float(failed as f64));
    for (row, agency) in [(15, &reports[3]), (16, &reports[4]), (17, &reports[5])] {
        assert_eq!(summary.value(row, 1), Data::String(agency.meta.agency.clone()));
        assert_eq!(summary.value(row, 5), Data::String("通过".into()), "the fixtures pass");
    }
    assert_eq!(
        summary.value(15, 10),
        Data::String(reports[3].meta.source.clone().expect("the seed names its source"))
    );
    assert_eq!(
        summary.value(12, 5),
        Data::String("不通过".into()),
        "the varied report fails"
    );
    let reasons = summary.value(12, 9);
    assert!(
        matches!(&reasons, Data::String(s) if s.contains("INT-NONNEG")),
        "{reasons:?}"
    );

    let findings = sheet(&mut wb, "问题清单");
    assert_eq!(findings.value(0, 3), Data::String("规则".into()));
    assert!(findings.values.height() > 2, "the varied reports have findings");
}

#[test]
fn xlsx_stats_does_not_sum_amounts_in_different_units() {
    let report = |agency: &str, amount: &str| {
        let mut r = Report::new(Meta::new(agency, 2020, FormatVersion::V2019));
        r.cells.set(
            "t2.procurement.amount",
            parse_cell(amount, xxgk_model::ValueKind::Money),
        );
        r.cells
            .set("t2.procurement.items", parse_cell("2", xxgk_model::ValueKind::Count));
        r
    };
    let total = |reports: &[Report]| {
        let mut wb = workbook(&export("xlsx-stats", reports, Lang::Zh));
        let t2 = sheet(&mut wb, "表二");
        let row = 3 + reports.len() as u32;
        (
            t2.value(row, t2.column("t2.procurement.amount")),
            t2.value(row, t2.column("t2.procurement.items")),
        )
    };
    assert_eq!(
        total(&[report("甲", "251000元"), report("乙", "160.5964万元")]),
        (Data::String("单位不一，未合计".into()), Data::Float(4.0))
    );
    assert_eq!(
        total(&[report("甲", "10.5万元"), report("乙", "160.5964万元")]).0,
        Data::Float(171.0964)
    );
}

#[test]
fn xlsx_stats_keeps_a_summed_report_out_of_the_total() {
    let mut a = xxgk_tests::load("valid-2021.json");
    a.meta.agency = "甲局".into();
    let mut b = a.clone();
    b.meta.agency = "乙局".into();
    let sum = xxgk_model::aggregate("某区", &[&a, &b], Default::default())
        .expect("sum")
        .report;
    let mut wb = workbook(&export("xlsx-stats", &[sum.clone(), a, b], Lang::Zh));
    let t3 = sheet(&mut wb, "表三");
    assert_eq!(t3.value(3, 0), Data::String("甲局".into()));
    assert_eq!(t3.value(5, 0), Data::String("合计".into()));
    assert!(
        matches!(t3.value(6, 0), Data::String(s) if s.starts_with("以下未计入合计")),
        "a labelled block"
    );
    assert_eq!(t3.value(7, 0), Data::String("某区".into()));
    for def in catalogue(FormatVersion::V2021).table_cells(xxgk_model::TableId::T3) {
        let col = t3.column(&def.id);
        assert_eq!(
            t3.formula(5, col),
            format!("SUM({0}4:{0}5)", xxgk_col(col)),
            "{}",
            def.id
        );
        assert_eq!(t3.value(5, col), t3.value(7, col), "合计 = 汇总 for {}", def.id);
    }
}

/// A department that prints （三）不予公开 and （六）其他处理 as one row each keeps those figures in
/// the statistics workbook: the groups' columns follow the form's, labelled from the catalogue,
/// hold the figures as printed (blank for a report that prints the items) and are summed; the
/// results' columns, items and groups together, add up to （七）总计 in the 合计 row. A group no
/// report prints gets no columns.
#[test]
fn xlsx_stats_carries_groups_printed_as_one_row() {
    use xxgk_model::catalogue::{T3_COLUMNS, T3RowRole, t3_id};
    let mut alone = xxgk_tests::print_alone(xxgk_tests::load("valid-2021.json"), &["withheld", "other"]);
    alone.meta.agency = "甲局".into();
    let mut items = xxgk_tests::load("valid-2021.json");
    items.meta.agency = "乙局".into();
    let mut old = xxgk_tests::print_alone(xxgk_tests::load("valid-2019.json"), &["not_handled"]);
    old.meta.agency = "丙局".into();
    let reports = [alone.clone(), items.clone(), old.clone()];
    let mut wb = workbook(&export("xlsx-stats", &reports, Lang::Zh));
    for (name, version, printed, members) in [
        (
            "表三（2021格式）",
            FormatVersion::V2021,
            &["withheld", "other"][..],
            vec![&alone, &items],
        ),
        (
            "表三（2019格式）",
            FormatVersion::V2019,
            &["not_handled"][..],
            vec![&old],
        ),
    ] {
        let t3 = sheet(&mut wb, name);
        let cat = catalogue(version);
        let last_form_col = cat
            .table_cells(xxgk_model::TableId::T3)
            .map(|d| t3.column(&d.id))
            .max()
            .expect("columns");
        let total_row = 3 + members.len() as u32;
        let number = |d: Data| match d {
            Data::Float(x) => x,
            Data::Int(x) => x as f64,
            Data::Empty => 0.0,
            other => panic!("{other:?}"),
        };
        for g in cat.t3_groups {
            let has = (0..t3.values.width() as u32).any(|c| t3.value(2, c) == Data::String(t3_id(g.key, "total")));
            assert_eq!(has, printed.contains(&g.key), "{name}: columns of {}", g.key);
            if !has {
                continue;
            }
            for c in &T3_COLUMNS {
                let id = t3_id(g.key, c.key);
                let col = t3.column(&id);
                assert!(col > last_form_col, "{id} follows the form's cells");
                assert_eq!(t3.value(1, col), Data::String(c.label.zh.into()), "{id}");
                let top = (0..=col)
                    .rev()
                    .find_map(|k| match t3.value(0, k) {
                        Data::String(s) => Some(s),
                        _ => None,
                    })
                    .expect("a label above");
                assert_eq!(top, format!("三、本年度办理结果 / {}", g.label.zh), "{id}");
                for (k, r) in members.iter().enumerate() {
                    let want = r
                        .cell(&id)
                        .value()
                        .map(|v| v.to_string().parse::<f64>().expect("number"));
                    let got = t3.value(3 + k as u32, col);
                    match want {
                        Some(w) => assert_eq!(number(got), w, "{id} of {}", r.meta.agency),
                        None => assert_eq!(got, Data::Empty, "{id} of {}", r.meta.agency),
                    }
                }
                let letter = xxgk_col(col);
                assert_eq!(
                    t3.formula(total_row, col),
                    format!("SUM({letter}4:{letter}{total_row})")
                );
                assert_eq!(number(t3.value(total_row, col)), expected_sum(&members, &id), "{id}");
            }
        }
        // In each column the 合计 of the results, items and groups, is the 合计 of （七）总计.
        for c in &T3_COLUMNS {
            let results: f64 = cat
                .t3_rows_with(T3RowRole::Result)
                .map(|r| t3_id(r.key, c.key))
                .chain(printed.iter().map(|g| t3_id(g, c.key)))
                .map(|id| number(t3.value(total_row, t3.column(&id))))
                .sum();
            let total = number(t3.value(total_row, t3.column(&t3_id("results_total", c.key))));
            assert_eq!(results, total, "{name} {}", c.key);
            assert!(total > 0.0 || c.key != "total", "{name}: not trivial");
        }
    }
}

#[test]
fn xlsx_stats_keeps_reports_the_caller_excludes_out_of_the_total() {
    let mut a = xxgk_tests::load("valid-2021.json");
    a.meta.agency = "甲局".into();
    let mut parent = a.clone();
    parent.meta.agency = "本级政府".into();
    let entry = by_name("xlsx-stats").expect("registered");
    let mut out = Vec::new();
    let outside = [false, true];
    let opts = Options {
        outside_total: Some(&outside),
        exclusions: None,
        ..Default::default()
    };
    entry.run(&[a, parent], &mut out, &opts).expect("export");
    let mut wb = workbook(&out);
    let t3 = sheet(&mut wb, "表三");
    assert_eq!(t3.value(4, 0), Data::String("合计".into()));
    assert_eq!(t3.value(6, 0), Data::String("本级政府".into()));
    let col = t3.column("t3.new_received.total");
    assert_eq!(t3.formula(4, col), format!("SUM({0}4:{0}4)", xxgk_col(col)));
    assert_eq!(
        t3.value(4, col),
        t3.value(3, col),
        "the parent is not added to the total"
    );
}

/// `0 → A`, `25 → Z`, `26 → AA`.
fn xxgk_col(mut col: u32) -> String {
    let mut s = String::new();
    col += 1;
    while col > 0 {
        let r = (col - 1) % 26;
        s.insert(0, (b'A' + r as u8) as char);
        col = (col - 1) / 26;
    }
    s
}

#[test]
fn xlsx_stats_lists_unreadable_inputs_and_speaks_english() {
    let reports = vec![seed()];
    let unreadable = vec![("坏文件.xlsx".to_string(), "不是有效的 xlsx 文件".to_string())];
    let entry = by_name("xlsx-stats").expect("registered");
    let mut out = Vec::new();
    let opts = Options {
        lang: Lang::En,
        findings: None,
        unreadable: &unreadable,
        ..Default::default()
    };
    entry.run(&reports, &mut out, &opts).expect("export");
    let mut wb = workbook(&out);
    assert_eq!(
        wb.sheet_names(),
        ["Summary", "Table 2", "Table 3", "Table 4", "Findings"]
    );
    let summary = sheet(&mut wb, "Summary");
    assert_eq!(summary.value(5, 1), Data::Float(1.0), "one unreadable file");
    let rows: Vec<Data> = (0..summary.values.height() as u32)
        .map(|r| summary.value(r, 0))
        .collect();
    assert!(rows.contains(&Data::String("坏文件.xlsx".into())), "{rows:?}");
}

/// LibreOffice, where installed, opens the workbook, recalculates it and gets the same 合计 row.
#[test]
fn xlsx_stats_sums_compute_in_libreoffice() {
    let Ok(soffice) = which("soffice") else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let reports = batch();
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("stats.xlsx");
    std::fs::write(&xlsx, export("xlsx-stats", &reports, Lang::Zh)).expect("write");
    // LibreOffice shows the stored results of an xlsx unless told to recalculate on load; a
    // fresh profile that says “always” makes it compute the SUM formulas itself.
    let profile = dir.path().join("lo").join("user");
    std::fs::create_dir_all(&profile).expect("profile");
    std::fs::write(
        profile.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .expect("profile settings");
    // Sheet 3 is 表三（2021格式）; 44 = comma, 34 = quote, 76 = UTF-8.
    let status = std::process::Command::new(soffice)
        .arg("--headless")
        .arg(format!("-env:UserInstallation=file://{}/lo", dir.path().display()))
        .args([
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,3",
        ])
        .arg("--outdir")
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    let csv_path = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("LibreOffice wrote a CSV");
    let text = std::fs::read_to_string(csv_path).expect("CSV");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    let v21: Vec<&Report> = reports
        .iter()
        .filter(|r| r.meta.format == FormatVersion::V2021)
        .collect();
    let total = &rows[3 + v21.len()];
    assert_eq!(total[0], "合计");
    for def in catalogue(FormatVersion::V2021).table_cells(xxgk_model::TableId::T3) {
        let col = rows[2].iter().position(|h| h == &def.id).expect("id column");
        let got: f64 = total[col]
            .parse()
            .unwrap_or_else(|_| panic!("{}: {:?}", def.id, total[col]));
        assert_eq!(got, expected_sum(&v21, &def.id), "{}", def.id);
    }
}

fn which(program: &str) -> Result<PathBuf, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}

// ───────────────────────────── md and html ─────────────────────────────

/// Compares with a committed file; `XXGK_BLESS=1` rewrites it after a deliberate change.
fn assert_snapshot(name: &str, got: &str) {
    let path = fixture("expected").join(name);
    if std::env::var_os("XXGK_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, got).expect("bless");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing: run with XXGK_BLESS=1 to create it", path.display()));
    if want != got {
        let line = want
            .lines()
            .zip(got.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(got.lines().count()));
        panic!(
            "{name} differs from {} at line {}:\n want: {:?}\n  got: {:?}\n(run with XXGK_BLESS=1 if the change is intended)",
            path.display(),
            line + 1,
            want.lines().nth(line),
            got.lines().nth(line)
        );
    }
}

#[test]
fn markdown_of_the_seed_matches_its_snapshot() {
    let md = String::from_utf8(export("md", &[seed()], Lang::Zh)).expect("UTF-8");
    assert!(md.starts_with("# 道里区工业信息科技局2023年度政府信息公开工作年度报告\n"));
    assert_snapshot("seed-2023-daoli.md", &md);
}

#[test]
fn html_of_the_seed_matches_its_snapshot() {
    let html = String::from_utf8(export("html", &[seed()], Lang::Zh)).expect("UTF-8");
    assert_snapshot("seed-2023-daoli.html", &html);
}

#[test]
fn html_draws_every_cell_once_in_the_official_layout() {
    for version in FormatVersion::ALL {
        let r = varied("<i>某局</i>", version, 0);
        let html = String::from_utf8(export("html", std::slice::from_ref(&r), Lang::Zh)).expect("UTF-8");
        for def in catalogue(version).cells() {
            let needle = format!("data-cell=\"{}\"", def.id);
            assert_eq!(html.matches(&needle).count(), 1, "{}", def.id);
        }
        assert!(!html.contains("<i>"), "escaped");
        assert!(!html.contains("src=") && !html.contains("href="), "self-contained");
        assert!(html.contains("@page { size: A4"));
        let results_rows = match version {
            FormatVersion::V2019 => 20,
            FormatVersion::V2021 => 22,
        };
        assert!(html.contains(&format!("rowspan=\"{results_rows}\">三、本年度办理结果</th>")));
        assert!(html.contains("<th scope=\"col\" rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为"));
        // Blanks stay empty, placeholders and annotations as written.
        assert!(html.contains("\">22（其中修订16件）</td>"));
        assert!(html.contains("\">/</td>") && html.contains("\"></td>"));
    }
}

#[test]
fn markdown_tables_carry_the_full_header_paths() {
    let mut r = varied("某局", FormatVersion::V2021, 0);
    *r.sections.slot(xxgk_model::SectionKind::General) = Some(xxgk_model::Section::canonical(
        xxgk_model::SectionKind::General,
        "# 不是标题\n- 不是列表\n1. 不是编号\n<b>不是粗体</b>",
    ));
    let md = String::from_utf8(export("md", std::slice::from_ref(&r), Lang::Zh)).expect("UTF-8");
    assert!(md.contains("| 申请人情况 / 法人或其他组织 / 商业企业 |"), "{md}");
    assert!(
        md.contains("| 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密 |"),
        "{md}"
    );
    assert!(md.contains("| 行政诉讼 / 复议后起诉 / 总计 |"), "{md}");
    assert!(md.contains("**第二十条第（一）项**"));
    for escaped in [
        "\\# 不是标题\n",
        "\\- 不是列表\n",
        "1\\. 不是编号\n",
        "\\<b\\>不是粗体\\</b\\>\n",
    ] {
        assert!(
            md.contains(escaped),
            "report text cannot become Markdown structure: {escaped}"
        );
    }
    assert!(
        md.contains(" | =HYPERLINK(\"http://x.invalid\",\"点击\") | "),
        "cells as written"
    );
    let tables = md
        .lines()
        .filter(|l| l.starts_with("| :---") || l.starts_with("| ---:"))
        .count();
    assert_eq!(tables, 4 + 1 + 1, "four table-2 blocks, table 3, table 4");
}

#[test]
fn readable_exporters_speak_english_on_request() {
    let html = String::from_utf8(export("html", &[seed()], Lang::En)).expect("UTF-8");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("<h2>3. Requests received and handled</h2>"));
    assert!(html.contains(">Natural persons</th>"));
    let md = String::from_utf8(export("md", &[seed()], Lang::En)).expect("UTF-8");
    assert!(md.contains("## 4. Administrative review and litigation\n"));
    assert!(
        md.contains("| Item | Made this year | Repealed this year | In force |"),
        "{md}"
    );
}

#[test]
fn readable_exporters_take_one_report() {
    for name in ["md", "html"] {
        let entry = by_name(name).expect("registered");
        let mut out = Vec::new();
        assert!(entry.run(&batch(), &mut out, &Options::default()).is_err(), "{name}");
    }
}

#[test]
fn the_registry_lists_the_exporters_with_chinese_descriptions() {
    let names: Vec<&str> = xxgk_export::exporters().iter().map(|e| e.name).collect();
    for want in ["csv", "csv-wide", "html", "json", "jsonl", "md", "xlsx-stats"] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    for e in xxgk_export::exporters() {
        assert!(
            e.description.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}",
            e.name
        );
        assert!(!e.description.zh.contains('\n'), "{}: one line", e.name);
    }
    assert_eq!(xxgk_export::by_extension("a.csv").map(|e| e.name), Some("csv"));
    assert_eq!(xxgk_export::by_extension("a.md").map(|e| e.name), Some("md"));
}

/// The summary sheet's verdicts follow `--strict` and say when checks could not be made, as the
/// terminal and `--json` do.
#[test]
fn xlsx_stats_verdicts_follow_strict_and_partial() {
    let report = xxgk_tests::load("valid-2021.json");
    let warning = xxgk_model::Finding::new(
        "X-TEXT",
        xxgk_model::Severity::Warning,
        xxgk_model::Status::Fail,
        xxgk_model::Text::new("警告", "warning"),
    );
    let mut unassessed = warning.clone();
    unassessed.status = xxgk_model::Status::NotAssessable;
    unassessed.cells = xxgk_model::check(&report, &Default::default())
        .into_iter()
        .find(|f| !f.cells.is_empty())
        .map(|f| f.cells)
        .expect("a finding with cells");
    let findings = vec![vec![warning.clone()], vec![unassessed]];
    let entry = by_name("xlsx-stats").expect("registered");
    let verdicts = |strict: bool| -> Vec<Data> {
        let mut out = Vec::new();
        let opts = Options {
            findings: Some(&findings),
            strict,
            ..Default::default()
        };
        entry
            .run(&[report.clone(), report.clone()], &mut out, &opts)
            .expect("export");
        let mut wb = workbook(&out);
        let summary = sheet(&mut wb, "汇总");
        vec![
            summary.value(12, 5),
            summary.value(13, 5),
            summary.value(3, 1),
            summary.value(6, 1),
        ]
    };
    assert_eq!(
        verdicts(false),
        vec![
            Data::String("通过".into()),
            Data::String("部分无法核对（1 项）".into()),
            Data::Float(1.0),
            Data::Float(1.0)
        ]
    );
    assert_eq!(verdicts(true)[0], Data::String("不通过".into()));
}

/// Thirty reports of one format, the batch's sum and the parent, as `aggregate` hands them over:
/// report 1 a duplicate and report 2 excluded as failing.
fn office_batch() -> (Vec<Report>, Vec<Option<xxgk_model::aggregation::Exclusion>>) {
    use xxgk_model::aggregation::Exclusion;
    let mut reports: Vec<Report> = (0..30)
        .map(|i| {
            let mut r = xxgk_tests::load("valid-2021.json");
            r.meta.agency = format!("示例区第{i}局");
            r
        })
        .collect();
    let mut exclusions: Vec<Option<Exclusion>> = vec![None; 30];
    exclusions[1] = Some(Exclusion::Duplicate);
    exclusions[2] = Some(Exclusion::Failing);
    let mut parent = xxgk_tests::load("valid-2021.json");
    parent.meta.agency = "示例区人民政府".into();
    reports.push(parent);
    exclusions.push(Some(Exclusion::Parent));
    let mut sum = xxgk_tests::load("valid-2021.json");
    sum.meta.agency = "汇总".into();
    sum.meta.summed_reports = Some(28);
    reports.push(sum);
    exclusions.push(None);
    (reports, exclusions)
}

fn office_workbook(reports: &[Report], exclusions: &[Option<xxgk_model::aggregation::Exclusion>]) -> Vec<u8> {
    let outside: Vec<bool> = exclusions.iter().map(Option::is_some).collect();
    let findings: Vec<Vec<Finding>> = reports.iter().map(|r| check(r, &CheckOptions::default())).collect();
    let opts = Options {
        lang: Lang::Zh,
        findings: Some(&findings),
        outside_total: Some(&outside),
        exclusions: Some(exclusions),
        ..Default::default()
    };
    let mut out = Vec::new();
    by_name("xlsx-stats")
        .expect("registered")
        .run(reports, &mut out, &opts)
        .expect("export");
    out
}

/// 汇总 counts what the terminal and `aggregate --json` count: the sum row and the parent are no
/// reports of the batch; duplicates and excluded reports are counted and also said apart. The cell
/// ids are on a hidden row.
#[test]
fn xlsx_stats_summary_counts_agree_with_the_batch_and_ids_are_hidden() {
    let (reports, exclusions) = office_batch();
    let bytes = office_workbook(&reports, &exclusions);
    let mut wb = workbook(&bytes);
    let summary = sheet(&mut wb, "汇总");
    let fact = |label: &str| {
        (2..10)
            .find(|&r| summary.value(r, 0) == Data::String(label.into()))
            .map(|r| summary.value(r, 1))
            .unwrap_or_else(|| panic!("no {label}"))
    };
    assert_eq!(fact("报告份数"), Data::Float(30.0), "not the sum, not the parent");
    assert_eq!(fact("其中重复报送（未计入合计）"), Data::Float(1.0));
    assert_eq!(fact("其中因不通过未计入合计"), Data::Float(1.0));
    assert_eq!(fact("通过"), Data::Float(30.0));
    // The id row (the third) of each table sheet is hidden, so it is never printed.
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet3.xml").expect("表三"), &mut xml).expect("xml");
    let row3 = xml.split("<row ").find(|r| r.starts_with("r=\"3\"")).expect("row 3");
    assert!(row3.contains("hidden=\"1\""), "{:.200}", row3);
}

/// LibreOffice prints the statistics workbook of 30 reports on 13 landscape A4 pages: 汇总 1,
/// 表二 1, 表三 9 (179 columns, about 20 a page beside the repeated agency column), 表四 1,
/// 问题清单 1 — not the 75 it took before it was scaled.
#[test]
fn xlsx_stats_of_thirty_reports_prints_on_thirteen_pages() {
    let Ok(soffice) = which("soffice") else {
        assert!(
            std::env::var_os("XXGK_REQUIRE_SOFFICE").is_none(),
            "XXGK_REQUIRE_SOFFICE is set but LibreOffice (soffice) is not installed"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return;
    };
    let (reports, exclusions) = office_batch();
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("stats.xlsx");
    std::fs::write(&xlsx, office_workbook(&reports, &exclusions)).expect("write");
    let status = std::process::Command::new(soffice)
        .arg("--headless")
        .arg(format!("-env:UserInstallation=file://{}/lo", dir.path().display()))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    assert!(status.status.success(), "{status:?}");
    let pdf = std::fs::read(dir.path().join("stats.pdf")).expect("LibreOffice wrote a PDF");
    // Page objects: `/Type /Page` not followed by `s` (`/Pages` is the page tree).
    let text = String::from_utf8_lossy(&pdf);
    let pages = text
        .match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count();
    assert_eq!(pages, 13, "pages of the printed workbook");
}

/// The form's check cells (Σ parts − total) show nothing on an empty form, where a 0 would read
/// like “holds”, and 0 where the filled numbers hold.
#[test]
fn form_check_cells_are_blank_on_an_empty_form_and_zero_when_filled() {
    let checks = |bytes: &[u8]| -> Vec<Data> {
        let mut wb = workbook(bytes);
        let t3 = sheet(&mut wb, "表三");
        let (start, end) = (
            t3.formulas.start().unwrap_or((0, 0)),
            t3.formulas.end().unwrap_or((0, 0)),
        );
        let mut out = Vec::new();
        for r in start.0..=end.0 {
            for c in start.1..=end.1 {
                let f = t3.formula(r, c);
                if f.contains("-SUM(") {
                    out.push(t3.value(r, c));
                }
            }
        }
        out
    };
    let empty = xxgk_export::form_xlsx::template(FormatVersion::V2021, None, None).expect("template");
    let found = checks(&empty);
    assert!(found.len() > 10, "the form has its checks: {}", found.len());
    assert!(
        found
            .iter()
            .all(|v| matches!(v, Data::Empty) || *v == Data::String(String::new())),
        "{found:?}"
    );
    let filled = export("xlsx", &[xxgk_tests::load("valid-2021.json")], Lang::Zh);
    let found = checks(&filled);
    assert!(
        found
            .iter()
            .all(|v| matches!(v, Data::Float(x) if *x == 0.0) || *v == Data::Int(0)),
        "{found:?}"
    );
}

/// On 基本信息 an empty text row has no fixed height (it grows with the text typed in) and the
/// protection leaves row heights free; a filled text gets a row as tall as it.
#[test]
fn form_text_rows_grow_with_their_text() {
    // The rows (1-based) given a fixed height, and the row of 前言 (the first text row).
    let fixed_rows = |bytes: &[u8]| -> (Vec<u32>, u32) {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("基本信息"),
            &mut xml,
        )
        .expect("xml");
        assert!(
            xml.contains("formatRows=\"0\""),
            "row heights free under the protection"
        );
        let rows = xml
            .split("<row r=\"")
            .skip(1)
            .filter(|r| r.split('>').next().is_some_and(|a| a.contains("customHeight")))
            .filter_map(|r| r.split('"').next()?.parse().ok())
            .collect();
        let info = sheet(&mut workbook(bytes), "基本信息");
        let preamble = (0..40)
            .find(|&r| info.value(r, 0) == Data::String("前言".into()))
            .expect("前言 row");
        (rows, preamble + 1)
    };
    let (rows, preamble) =
        fixed_rows(&xxgk_export::form_xlsx::template(FormatVersion::V2021, None, None).expect("template"));
    assert!(
        rows.iter().all(|&r| r < preamble),
        "no fixed height on an empty text row: {rows:?}"
    );
    let mut report = xxgk_tests::load("valid-2021.json");
    report.preamble = Some("根据《中华人民共和国政府信息公开条例》".repeat(20));
    let (rows, preamble) = fixed_rows(&export("xlsx", &[report], Lang::Zh));
    assert!(rows.contains(&preamble), "a long text gets its height: {rows:?}");
}

/// A cell that a failed check names is highlighted on its table sheet, with a note naming the rule.
#[test]
fn xlsx_stats_marks_failing_cells_with_the_rule() {
    let mut r = xxgk_tests::load("valid-2021.json");
    r.cells.set("t3.new_received.natural_person", Cell::number(81));
    let findings = vec![check(&r, &CheckOptions::default())];
    assert!(findings[0].iter().any(|f| f.status == xxgk_model::Status::Fail));
    let opts = Options {
        findings: Some(&findings),
        ..Default::default()
    };
    let mut out = Vec::new();
    by_name("xlsx-stats")
        .expect("registered")
        .run(&[r], &mut out, &opts)
        .expect("export");
    let mut zip = zip::ZipArchive::new(Cursor::new(out)).expect("zip");
    let mut notes = String::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("entry");
        if file.name().is_ok_and(|n| n.contains("comments")) {
            std::io::Read::read_to_string(&mut file, &mut notes).expect("xml");
        }
    }
    assert!(notes.contains("核对不成立：T3-"), "{notes:.400}");
}

/// A batch held compactly, as `aggregate` keeps it, writes the same table sheets as its reports
/// do: its plain counts are written and summed in the 合计 row without a cell built for each, and
/// its decimals, amounts in other units, texts and failing cells as before.
#[test]
fn xlsx_stats_of_a_compact_batch_has_the_tables_of_its_reports() {
    use xxgk_export::batch::BatchOutput;
    use xxgk_model::CompactReport;
    use xxgk_model::aggregation::BatchEntry;
    let reports = batch();
    let plain = export("xlsx-stats", &reports, Lang::Zh);
    let mut entries: Vec<BatchEntry> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let findings = check(r, &CheckOptions::default());
            BatchEntry::new(format!("{i}.json"), CompactReport::new(r.clone()), findings)
        })
        .collect();
    let taken = BatchOutput::take_findings(&mut entries);
    let batch = BatchOutput::new(&entries, taken, None, &[]);
    let compact = batch_export("xlsx-stats", &batch);
    let (mut plain, mut compact) = (workbook(&plain), workbook(&compact));
    let tables: Vec<String> = plain
        .sheet_names()
        .into_iter()
        .filter(|n| n.starts_with('表'))
        .collect();
    assert!(tables.len() >= 6, "{tables:?}");
    assert_eq!(
        compact
            .sheet_names()
            .into_iter()
            .filter(|n| n.starts_with('表'))
            .count(),
        tables.len()
    );
    for name in &tables {
        let (a, b) = (sheet(&mut plain, name), sheet(&mut compact, name));
        assert_eq!(a.values, b.values, "{name}: values");
        assert_eq!(a.formulas, b.formulas, "{name}: formulas");
    }
}

/// What `aggregate` writes with `name` for a batch.
fn batch_export(name: &str, batch: &xxgk_export::batch::BatchOutput<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    let opts = Options {
        lang: Lang::Zh,
        ..Default::default()
    };
    batch
        .write(by_name(name).expect("registered"), &mut out, &opts)
        .expect("export");
    out
}

/// The exporters that write a batch a report at a time (so that 20,000 reports are never built
/// at once) write what they write for the same reports given whole.
#[test]
fn streamed_exports_of_a_batch_equal_those_of_its_reports() {
    use xxgk_export::batch::BatchOutput;
    use xxgk_model::CompactReport;
    use xxgk_model::aggregation::BatchEntry;
    let reports = batch();
    let mut entries: Vec<BatchEntry> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| BatchEntry::new(format!("{i}.json"), CompactReport::new(r.clone()), Vec::new()))
        .collect();
    let taken = BatchOutput::take_findings(&mut entries);
    let batch = BatchOutput::new(&entries, taken, None, &[]);
    for name in ["json", "jsonl", "csv", "csv-wide"] {
        let whole = export(name, &reports, Lang::Zh);
        assert_eq!(
            String::from_utf8_lossy(&batch_export(name, &batch)),
            String::from_utf8_lossy(&whole),
            "{name}"
        );
    }
}
