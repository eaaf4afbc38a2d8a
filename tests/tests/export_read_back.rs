//! The project's own published forms read back: the HTML and Markdown exports of every report
//! fixture, and the text of the HTML export as a crawler or a copy from the browser gives it (one
//! block or cell per line), import to the same report: the same year, agency, format, cells and
//! section texts.

use xxgk_export::{Options, by_name};
use xxgk_import::{ImportOptions, import};
use xxgk_model::{Lang, Report, SectionKind};
use xxgk_tests::fixtures;

fn export(name: &str, report: &Report) -> String {
    let entry = by_name(name).unwrap_or_else(|| panic!("exporter {name} is registered"));
    let mut out = Vec::new();
    let opts = Options {
        lang: Lang::Zh,
        ..Default::default()
    };
    entry
        .run(std::slice::from_ref(report), &mut out, &opts)
        .expect("export");
    String::from_utf8(out).expect("UTF-8")
}

/// The page text of an HTML page: tags dropped, each block element and table cell on a line of
/// its own, entities decoded — what a crawler that keeps the text writes.
fn page_text(html: &str) -> String {
    let body = html.split_once("<body>").map_or(html, |(_, b)| b);
    let mut out = String::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt + 1..lt + gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if matches!(
            name.as_str(),
            "p" | "h1" | "h2" | "h3" | "tr" | "td" | "th" | "table" | "div" | "br"
        ) {
            out.push('\n');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn differences(want: &Report, got: &Report) -> Vec<String> {
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

#[test]
fn every_fixture_reads_back_from_its_html_markdown_and_page_text() {
    let mut failures = Vec::new();
    for (name, report) in xxgk_tests::report_fixtures() {
        let html = export("html", &report);
        let md = export("md", &report);
        let text = page_text(&html);
        for (file, bytes) in [
            (format!("{name}.html"), html.as_bytes()),
            (format!("{name}.md"), md.as_bytes()),
            (format!("{name}.txt"), text.as_bytes()),
        ] {
            match import(&file, bytes, &ImportOptions::default()) {
                Ok(mut got) if got.len() == 1 => {
                    let got = got.remove(0);
                    let d = differences(&report, &got.report);
                    if !d.is_empty() {
                        failures.push(format!("{file}:\n  {}", d.join("\n  ")));
                    }
                }
                Ok(got) => failures.push(format!("{file}: {} reports", got.len())),
                Err(e) => failures.push(format!("{file}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The HTML export is also recognised when it was saved with a `.txt` name.
#[test]
fn an_html_export_saved_as_txt_reads_as_html() {
    let report = xxgk_tests::load("seed-2023-daoli.json");
    let html = export("html", &report);
    let mut got = import("report.txt", html.as_bytes(), &ImportOptions::default()).expect("import");
    let got = got.remove(0);
    assert!(differences(&report, &got.report).is_empty());
}

/// A portal page puts its chrome before the report: breadcrumbs and the site's name before the
/// `<h1>`, a preamble that names the six parts. None of it is taken for the agency or the outline,
/// and a title in a `<p>` (no `<h1>`, no `<title>`) is found as well.
#[test]
fn page_chrome_and_a_preamble_naming_the_parts_do_not_hide_the_report() {
    let report = xxgk_tests::load("seed-2023-daoli.json");
    let html = export("html", &report);
    let chrome = "<div class=\"breadcrumb\">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\
                  <div class=\"site\">哈尔滨市道里区人民政府</div>\
                  <div class=\"share\">微信 微博 QQ空间</div>\
                  <p>本报告共分6个部分：总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、\
                  政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。</p>";
    let with_chrome = html.replacen("<h1>", &format!("{chrome}<h1>"), 1);
    let title_in_p = with_chrome
        .replace(
            "<title>道里区工业信息科技局2023年度政府信息公开工作年度报告</title>",
            "",
        )
        .replace("<h1>", "<p class=\"title\"><strong>")
        .replace("</h1>", "</strong></p>");
    for (name, page) in [("chrome.html", with_chrome), ("title-in-p.html", title_in_p)] {
        let mut got = import(name, page.as_bytes(), &ImportOptions::default()).expect("import");
        let got = got.remove(0);
        let d = differences(&report, &got.report);
        assert!(d.is_empty(), "{name}:\n{}", d.join("\n"));
        assert_eq!(
            got.report.meta.title.as_deref(),
            Some("道里区工业信息科技局2023年度政府信息公开工作年度报告"),
            "{name}"
        );
    }
}

/// The real published reports (`tests/fixtures/real/`), as read, read back the same from their
/// HTML and Markdown exports and the page text of the HTML export: what xxgk writes of a real
/// report (blank cells, notes beside numbers, the 2019 form, long section texts) it reads again.
/// In the page text a blank cell is only more empty lines; its row is placed by the table's line
/// spacing where complete rows show it, and otherwise left unread and named (nothing read wrong).
#[test]
fn real_reports_read_back_from_their_exports() {
    let dir = fixtures().join("real");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("real fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".json") && n != "SOURCES.md")
        .collect();
    files.sort();
    assert!(files.len() >= 16, "the real corpus is there: {files:?}");
    let mut failures = Vec::new();
    for name in files {
        let bytes = std::fs::read(dir.join(&name)).expect("read fixture");
        let report = import(&name, &bytes, &ImportOptions::default())
            .expect("import")
            .remove(0)
            .report;
        let html = export("html", &report);
        let md = export("md", &report);
        let text = page_text(&html);
        for (file, bytes, exact) in [
            (format!("{name}.html"), html.as_bytes(), true),
            (format!("{name}.md"), md.as_bytes(), true),
            // Every row of 沭阳县发改局's table 3 has blank cells, so no complete row shows how many
            // lines a cell takes; the 上海市科委 conversion lost the 总计 of 结转下年度, so that row
            // does not reach its last column. Those rows are left unread (named), not placed. The
            // plain PDF text of 淮安市 leaves ten cells of table 4 unread (数值顺序无法确定); in the
            // page text those blanks are only empty lines, so table 4 is left unread (named) too.
            (
                format!("{name}.txt"),
                text.as_bytes(),
                !matches!(
                    name.as_str(),
                    "shuyang-fgj-2023.portal.html" | "shanghai-kewei-2024.pdf2md.md" | "huaian-2024.pdftotext.txt"
                ),
            ),
        ] {
            match import(&file, bytes, &ImportOptions::default()) {
                Ok(mut got) if got.len() == 1 => {
                    let got = got.remove(0);
                    let d: Vec<String> = if exact {
                        differences(&report, &got.report)
                    } else {
                        wrong_or_unnamed(&report, &got)
                    };
                    if !d.is_empty() {
                        failures.push(format!("{file}:\n  {}", d.join("\n  ")));
                    }
                }
                Ok(got) => failures.push(format!("{file}: {} reports", got.len())),
                Err(e) => failures.push(format!("{file}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The cells read otherwise than `want` has them, except cells left blank that an import finding
/// names; and a year, agency or format read otherwise.
fn wrong_or_unnamed(want: &Report, got: &xxgk_import::Imported) -> Vec<String> {
    let named = |id: &str| {
        got.findings
            .iter()
            .any(|f| f.rule.starts_with("IMPORT-") && f.cells.iter().any(|c| c.id == id))
    };
    differences(want, &got.report)
        .into_iter()
        .filter(|d| {
            let id = d.split(':').next().unwrap_or_default();
            !(d.contains(": Blank ≠ ") && named(id))
        })
        .collect()
}

/// Reports that print a group of table 3 as one row without its items (（三）不予公开,
/// （四）无法提供, （五）不予处理 in both forms, （六）其他处理 in the 2021 form; each alone, then all
/// at once; built from the valid fixtures: each column's items summed into the group's cell, the
/// items dropped) read back from every form they are published in (HTML, its page text, Markdown,
/// Word, the xlsx form) and from both CSVs and JSON with each group as printed, never spread over
/// the items, and their table checks hold with the group in place of the items.
#[test]
fn a_group_printed_as_one_row_reads_back_from_every_export() {
    use xxgk_model::catalogue::catalogue;
    use xxgk_model::{CheckOptions, FormatVersion, Status, check};
    let table_failures = |r: &Report| -> Vec<String> {
        check(r, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.status != Status::Pass && (f.rule.starts_with("T3") || f.rule == "T34-BLANK"))
            .map(|f| format!("{} {:?} {}", f.rule, f.status, f.texts().zh))
            .collect()
    };
    let opts = Options {
        lang: Lang::Zh,
        ..Default::default()
    };
    let mut failures = Vec::new();
    let mut cases = 0;
    for (fixture, version) in [
        ("valid-2021.json", FormatVersion::V2021),
        ("valid-2019.json", FormatVersion::V2019),
    ] {
        let groups = catalogue(version).t3_groups;
        let mut sets: Vec<Vec<&xxgk_model::catalogue::T3Group>> = groups.iter().map(|g| vec![g]).collect();
        sets.push(groups.iter().collect());
        for set in sets {
            let keys: Vec<&str> = set.iter().map(|g| g.key).collect();
            let report = xxgk_tests::print_alone(xxgk_tests::load(fixture), &keys);
            let case = format!("{version} {}", keys.join("+"));
            cases += 1;
            assert_eq!(table_failures(&report), Vec::<String>::new(), "{case}");
            for name in ["html", "page-text", "md", "docx", "xlsx", "csv", "csv-wide", "json"] {
                let (bytes, file) = if name == "page-text" {
                    (
                        page_text(&export("html", &report)).into_bytes(),
                        "group.txt".to_string(),
                    )
                } else {
                    let entry = by_name(name).expect("registered");
                    let mut bytes = Vec::new();
                    entry
                        .run(std::slice::from_ref(&report), &mut bytes, &opts)
                        .expect("export");
                    (bytes, format!("group-{name}.{}", entry.extension))
                };
                let got = match import(&file, &bytes, &ImportOptions::default()) {
                    Ok(mut got) if got.len() == 1 => got.remove(0),
                    other => {
                        failures.push(format!("{case} {file}: {:?}", other.map(|g| g.len())));
                        continue;
                    }
                };
                // The CSVs carry the cells only, no texts.
                let d: Vec<String> = differences(&report, &got.report)
                    .into_iter()
                    .filter(|d| !name.starts_with("csv") || !d.starts_with("section"))
                    .collect();
                if !d.is_empty() {
                    failures.push(format!("{case} {file}:\n  {}", d.join("\n  ")));
                }
                let t = table_failures(&got.report);
                if !t.is_empty() {
                    failures.push(format!("{case} {file}: {}", t.join("; ")));
                }
                // Read from a printed form, each group row is named as such, once.
                if !matches!(name, "csv" | "csv-wide" | "json") {
                    for g in &set {
                        let named = got
                            .findings
                            .iter()
                            .filter(|f| {
                                f.rule == "IMPORT-GROUP-ROW" && f.subject_label().as_deref() == Some(g.label.zh)
                            })
                            .count();
                        if named != 1 {
                            failures.push(format!("{case} {file}: {} named {named} times", g.label.zh));
                        }
                    }
                }
            }
        }
    }
    assert_eq!(cases, 4 + 1 + 3 + 1);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
