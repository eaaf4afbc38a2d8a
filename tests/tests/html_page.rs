//! A report published as a GBK portal page: navigation and footer around it, the tables laid out
//! with rowspan/colspan as in the official form. Every cell must read back, located by table
//! position, and the sections must come from the page text.

use std::collections::BTreeMap;
use xxgk_import::{ImportOptions, Imported, import};
use xxgk_model::catalogue::{T3_COLUMNS, T4_GROUPS, T4_OUTCOMES, t2_id, t3_id, t4_id};
use xxgk_model::{CheckOptions, FormatVersion, Num, Status, catalogue, check};
use xxgk_tests::figures;

fn td(text: &str, rowspan: usize, colspan: usize) -> String {
    let mut a = String::new();
    if rowspan > 1 {
        a.push_str(&format!(" rowspan=\"{rowspan}\""));
    }
    if colspan > 1 {
        a.push_str(&format!(" colspan=\"{colspan}\""));
    }
    format!("<td{a}>{text}</td>")
}

fn tables(v: FormatVersion, f: &BTreeMap<String, String>) -> (String, String, String) {
    let cat = catalogue(v);
    let mut t2 = String::from("<table border=\"1\"><tbody>");
    for block in cat.t2_blocks {
        t2.push_str(&format!(
            "<tr>{}</tr>",
            td(block.caption.zh, 1, block.columns.len() + 1)
        ));
        t2.push_str("<tr><td>信息内容</td>");
        for c in block.columns {
            t2.push_str(&td(c.label.zh, 1, 1));
        }
        t2.push_str("</tr>");
        for r in block.rows {
            t2.push_str(&format!("<tr><td>{}</td>", r.label.zh));
            for c in block.columns {
                t2.push_str(&td(&f[&t2_id(r.key, c.key)], 1, 1));
            }
            t2.push_str("</tr>");
        }
    }
    t2.push_str("</tbody></table>");

    let mut t3 = String::from("<table border=\"1\"><tbody><tr>");
    t3.push_str(&td(
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        3,
        3,
    ));
    t3.push_str(&td("申请人情况", 1, 7));
    t3.push_str("</tr><tr>");
    t3.push_str(&td("自然人", 2, 1));
    t3.push_str(&td("法人或其他组织", 1, 5));
    t3.push_str(&td("总计", 2, 1));
    t3.push_str("</tr><tr>");
    for c in &T3_COLUMNS[1..6] {
        t3.push_str(&td(&c.label.zh.replace("企业", "<br>企业"), 1, 1));
    }
    t3.push_str("</tr>");
    let results = cat.t3_rows.len() - 3;
    let mut last_group = None;
    for (i, r) in cat.t3_rows.iter().enumerate() {
        t3.push_str("<tr>");
        if i == 2 {
            t3.push_str(&td("三、本年度办理结果", results, 1));
        }
        let top = i < 2 || i == cat.t3_rows.len() - 1;
        match r.group {
            _ if top => t3.push_str(&td(r.label.zh, 1, 3)),
            Some(g) => {
                if last_group != Some(g) {
                    let n = cat.t3_rows.iter().filter(|x| x.group == Some(g)).count();
                    t3.push_str(&td(g.zh, n, 1));
                }
                t3.push_str(&td(r.label.zh, 1, 1));
            }
            None => t3.push_str(&td(r.label.zh, 1, 2)),
        }
        last_group = r.group;
        for c in &T3_COLUMNS {
            t3.push_str(&td(&f[&t3_id(r.key, c.key)], 1, 1));
        }
        t3.push_str("</tr>");
    }
    t3.push_str("</tbody></table>");

    let mut t4 = String::from("<table border=\"1\"><tbody><tr>");
    t4.push_str(&td("行政复议", 1, 5));
    t4.push_str(&td("行政诉讼", 1, 10));
    t4.push_str("</tr><tr>");
    for o in &T4_OUTCOMES {
        let vertical: Vec<String> = o.label.zh.chars().map(|c| c.to_string()).collect();
        t4.push_str(&td(&vertical.join("<br>"), 2, 1));
    }
    t4.push_str(&td(T4_GROUPS[1].label.zh, 1, 5));
    t4.push_str(&td(T4_GROUPS[2].label.zh, 1, 5));
    t4.push_str("</tr><tr>");
    for _ in 0..2 {
        for o in &T4_OUTCOMES {
            t4.push_str(&td(o.label.zh, 1, 1));
        }
    }
    t4.push_str("</tr><tr>");
    for g in &T4_GROUPS {
        for o in &T4_OUTCOMES {
            t4.push_str(&td(&f[&t4_id(g.key, o.key)], 1, 1));
        }
    }
    t4.push_str("</tr></tbody></table>");
    (t2, t3, t4)
}

fn page(v: FormatVersion, f: &BTreeMap<String, String>) -> String {
    let (t2, t3, t4) = tables(v, f);
    let year = if v == FormatVersion::V2019 { 2020 } else { 2022 };
    format!(
        r#"<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某市某某区测试局{year}年度政府信息公开工作年度报告_某某区人民政府门户网站</title>
<meta name="PubDate" content="2023-01-20 09:30">
<script>var nav = "一、总体情况";</script></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/zwgk">政务公开</a> | <a href="/nb">政府信息公开年报</a></div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 年报</div>
<div class="article">
  <h1>某某市某某区测试局{year}年度政府信息公开工作年度报告</h1>
  <div class="meta">发布时间：2023-01-20　来源：区测试局　浏览次数：123</div>
  <div class="content">
    <p>本报告依据《中华人民共和国政府信息公开条例》编制。联系电话：010-12345678。</p>
    <p><strong>一、总体情况</strong></p>
    <p>　　{year}年，本局共收到政府信息公开申请81件。</p>
    <p><strong>二、主动公开政府信息情况</strong></p>
    {t2}
    <p><strong>三、收到和处理政府信息公开申请情况</strong></p>
    {t3}
    <p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
    {t4}
    <p><strong>五、存在的主要问题及改进情况</strong></p>
    <p>公开内容有待进一步规范。</p>
    <p><strong>六、其他需要报告的事项</strong></p>
    <p>本年度未收取信息处理费。</p>
  </div>
  <div class="share">分享到：微信 微博</div>
</div>
<div class="footer">主办：某某区人民政府办公室　网站标识码：1234567890　联系我们　网站地图</div>
</body></html>"#
    )
}

fn read(name: &str, bytes: &[u8]) -> Imported {
    let mut all = import(name, bytes, &ImportOptions::default()).expect("import");
    assert_eq!(all.len(), 1);
    all.remove(0)
}

#[test]
fn gbk_page_with_spans_reads_exactly() {
    for v in [FormatVersion::V2021, FormatVersion::V2019] {
        let f = figures(v);
        let html = page(v, &f);
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&html);
        assert!(!unmappable);
        let imported = read("page.html", &gbk);
        let r = &imported.report;
        assert_eq!(r.meta.format, v);
        assert_eq!(r.meta.agency, "某某市某某区测试局");
        assert_eq!(r.meta.published.as_deref(), Some("2023-01-20"));
        let failing: Vec<_> = imported.findings.iter().filter(|f| f.status == Status::Fail).collect();
        assert!(failing.is_empty(), "{v}: {failing:#?}");
        for def in catalogue(v).cells() {
            let want: Num = f[&def.id].parse().expect("figure");
            assert_eq!(r.cell(&def.id).value(), Some(want), "{v}: {}", def.id);
            let loc = imported.sources.get(&def.id).unwrap_or_else(|| panic!("{}", def.id));
            assert!(loc.sheet.as_deref().is_some_and(|s| s.starts_with("表格")), "{loc:?}");
            assert!(loc.cell.is_some(), "{loc:?}");
        }
        assert_eq!(
            r.sections.general.as_ref().map(|s| s.text.as_str()),
            Some(
                format!(
                    "{}年，本局共收到政府信息公开申请81件。",
                    r.meta.year.unwrap_or_default()
                )
                .as_str()
            )
        );
        assert_eq!(
            r.sections.other.as_ref().map(|s| s.text.as_str()),
            Some("本年度未收取信息处理费。")
        );
        assert_eq!(r.sections.requests.as_ref().map(|s| s.text.as_str()), Some(""));
        // Navigation and footer are not part of the report.
        let all_text = serde_json::to_string(r).expect("json");
        assert!(
            !all_text.contains("网站标识码") && !all_text.contains("当前位置"),
            "{all_text}"
        );
        let failed: Vec<_> = check(r, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.is_failure(false))
            .collect();
        assert!(failed.is_empty(), "{v}: {failed:#?}");
    }
}

#[test]
fn hostile_pages_do_not_panic() {
    for page in [
        "",
        "<html>",
        "<table><tr><td rowspan=999999999 colspan=999999>1</td></tr></table>",
        "<table><tr><td rowspan=-1>2023年度报告</td></tr><table><tr><td>x</td></tr></table></table>",
        "<p>2023年度政府信息公开工作年度报告</p><p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td>1</td></tr></table>",
    ] {
        xxgk_tests::assert_refused_or_sane(page, import("x.html", page.as_bytes(), &ImportOptions::default()));
    }
}

/// Each row of a table as one cell with its numbers run together (a page whose tables were pasted
/// as text): the grid matcher cannot read it, so the page text is read instead, the rows are cut
/// by the table's identities, and a finding says the tables were read from the text.
#[test]
fn flattened_tables_fall_back_to_the_page_text() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let html = page(v, &f);
    // Rebuild every table as one cell per row: label text then the row's values, no separator.
    let mut flat = String::new();
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<table") {
        flat.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</table>")
            .map_or(rest.len(), |e| start + e + "</table>".len());
        let table = &rest[start..end];
        flat.push_str("<table>");
        for row in table.split("<tr>").skip(1) {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .filter_map(|c| {
                    c.split_once('>')
                        .and_then(|(_, t)| t.split_once("</td>"))
                        .map(|(t, _)| t)
                })
                .collect();
            let labels: String = cells
                .iter()
                .filter(|c| c.parse::<f64>().is_err())
                .map(|c| c.replace("<br>", ""))
                .collect();
            let numbers: String = cells.iter().filter(|c| c.parse::<f64>().is_ok()).copied().collect();
            let sep = if labels.ends_with("（单位：万元）") || numbers.contains('.') {
                " "
            } else {
                ""
            };
            flat.push_str(&format!("<tr><td>{labels}{sep}{numbers}</td></tr>"));
        }
        flat.push_str("</table>");
        rest = &rest[end..];
    }
    flat.push_str(rest);
    let imported = read("flat.html", flat.as_bytes());
    assert!(
        imported.findings.iter().any(|x| x.rule == "IMPORT-HTML-TABLE"),
        "{:#?}",
        imported.findings
    );
    for id in [
        "t3.new_received.natural_person",
        "t3.new_received.total",
        "t3.results_total.total",
        "t4.lit_direct.total",
    ] {
        let want: Num = f[id].parse().expect("figure");
        assert_eq!(imported.report.cell(id).value(), Some(want), "{id}");
        let loc = imported.sources.get(id).expect("location");
        assert!(
            loc.line.is_some() && loc.sheet.as_deref() == Some("网页正文"),
            "{id}: {loc:?}"
        );
    }
    assert!(
        imported
            .findings
            .iter()
            .any(|x| x.rule == "IMPORT-SPLIT" && x.text(xxgk_model::Lang::Zh).contains("801000081"))
    );
}

/// The page of [`page`] with one cell of table 2 (规范性文件 × 本年制发件数, 3) written as `cell`
/// (its `<td>…</td>`, or several) and `css` in a `<style>` of the head.
fn page_with_cell(cell: &str, css: &str) -> (Imported, &'static str) {
    let v = FormatVersion::V2021;
    let id = "t2.normative_docs.made";
    let mut f = figures(v);
    f.insert(id.to_string(), "MARK".to_string());
    let html = page(v, &f)
        .replace("<td>MARK</td>", cell)
        .replace("</head>", &format!("<style>{css}</style></head>"));
    (read("page.html", html.as_bytes()), id)
}

/// A value cell read as a browser shows it: what it hides is not read (a hidden span's digits
/// never join the cell's), a hidden cell takes no place, a hidden copy of a row is no copy, and
/// a raised, struck or broken number is text, reported on the cell — never another number.
#[test]
fn cells_are_read_as_a_browser_shows_them() {
    use xxgk_model::Cell;
    let number = |n: &str| Some(n.parse::<Num>().expect("number"));
    let cases: &[(&str, &str, Result<&str, &str>)] = &[
        (
            "<td>3<span style=\"DISPLAY : None !important\">9</span></td>",
            "",
            Ok("3"),
        ),
        ("<td>3<span hidden>9</span></td>", "", Ok("3")),
        // A phone's layout that only shows (cells stacked) hides nothing.
        (
            "<td>3</td>",
            "@media (max-width: 768px) { td { display: block } }",
            Ok("3"),
        ),
        ("<td bgcolor=\"#036\"><font color=\"white\">3</font></td>", "", Ok("3")),
        ("<td>3<template>9</template></td>", "", Ok("3")),
        ("<td><ruby>3<rt>9</rt></ruby></td>", "", Ok("3")),
        ("<td>3<span class=\"x\">9</span></td>", ".x{display:none}", Ok("3")),
        ("<td>3<span style=\"font-size:0\">9</span></td>", "", Ok("3")),
        ("<td>3<span style=\"visibility:hidden\">9</span></td>", "", Ok("3")),
        ("<td>3<span style=\"disp\\lay:/**/none\">9</span></td>", "", Ok("3")),
        (
            "<td>3<span style=\"color: rgba(0, 0, 0, 0)\">9</span></td>",
            "",
            Ok("3"),
        ),
        // A rule the page sets aside for a :hover, or for print, does not hide anything.
        (
            "<td>3</td>",
            "td:hover{display:none} @media print{td{display:none}}",
            Ok("3"),
        ),
        ("<td style=\"display:none\">9</td><td>3</td>", "", Ok("3")),
        ("<td class=\"x\">9</td><td>3</td>", "table .x{display:none}", Ok("3")),
        ("<td>3<sup>1</sup></td>", "", Err("3¹")),
        ("<td>3<span style=\"vertical-align:sub\">1</span></td>", "", Err("3₁")),
        ("<td><del>5</del>3</td>", "", Err("5\u{336}3")),
        (
            "<td><span style=\"text-decoration:line-through\">5</span>3</td>",
            "",
            Err("5\u{336}3"),
        ),
        ("<td>1<br>3</td>", "", Err("1 3")),
        ("<td>1<span style=\"opacity:0.5\">3</span></td>", "", Err("1 3")),
    ];
    for (cell, css, want) in cases {
        let (imported, id) = page_with_cell(cell, css);
        let found = imported.report.cell(id);
        match want {
            Ok(n) => assert_eq!(found.value(), number(n), "{cell} {css}: {found:?}"),
            Err(text) => assert!(
                matches!(found, Cell::Text { raw } if raw == text),
                "{cell} {css}: {found:?}"
            ),
        }
        assert!(
            imported.findings.iter().all(|f| !f.rule.starts_with("IMPORT-")),
            "{cell}: {:#?}",
            imported.findings
        );
    }
    // A row printed twice, the first copy hidden: the row shown is read, and it is no copy.
    let row = "<tr><td>行政规范性文件</td><td>3</td>";
    let v = FormatVersion::V2021;
    let f = figures(v);
    let html = page(v, &f).replacen(
        row,
        &format!("<tr style=\"display:none\"><td>行政规范性文件</td><td>9</td><td>9</td><td>9</td></tr>{row}"),
        1,
    );
    assert!(html.contains("display:none"));
    let imported = read("page.html", html.as_bytes());
    assert_eq!(imported.report.cell("t2.normative_docs.made").value(), number("3"));
    assert!(
        imported.findings.iter().all(|f| !f.rule.starts_with("IMPORT-")),
        "{:#?}",
        imported.findings
    );
    // A hidden copy of the whole report (another year's, a draft) before the one shown.
    let html = page(v, &f);
    let (start, end) = (
        html.find("<div class=\"article\">").expect("article"),
        html.find("<div class=\"footer\">").expect("footer"),
    );
    let copy = html[start..end]
        .replace("<td>3</td>", "<td>9</td>")
        .replace("测试局", "草稿局");
    let html = format!("{}<div hidden>{copy}</div>{}", &html[..start], &html[start..]);
    let imported = read("page.html", html.as_bytes());
    assert_eq!(imported.report.cell("t2.normative_docs.made").value(), number("3"));
    assert_eq!(imported.report.meta.agency, "某某市某某区测试局");
    assert!(
        imported.findings.iter().all(|f| !f.rule.starts_with("IMPORT-")),
        "{:#?}",
        imported.findings
    );
}

/// What a page cannot be said to show is not read: a cell a style rule adds text to is refused
/// at its cell, a row with a cell more than its header at its row, and a table whose rows or
/// columns may be hidden by a rule whose reach cannot be told (a window size, rules that
/// disagree) is refused whole.
#[test]
fn what_a_page_cannot_be_said_to_show_is_not_read() {
    let cases: &[(&str, &str, &str)] = &[
        ("<td class=\"q\">3</td>", "td.q::before{content:\"1\"}", "IMPORT-STYLE"),
        ("<td>5</td><td>3</td>", "", "IMPORT-ROW-WIDTH"),
        ("<td>3</td><td></td>", "", "IMPORT-ROW-WIDTH"),
        // Hidden in print only: on the screen the row has a cell too many.
        (
            "<td class=\"p\">5</td><td>3</td>",
            "@media print { .p { display: none } }",
            "IMPORT-ROW-WIDTH",
        ),
        (
            "<td class=\"p\">5</td><td>3</td>",
            "</style><style media=\"print\">.p { display: none }",
            "IMPORT-ROW-WIDTH",
        ),
        ("<td><bdo dir=\"rtl\">3</bdo></td>", "", "IMPORT-STYLE"),
        ("<td><font color=\"#FFFFFF\">3</font></td>", "", "IMPORT-STYLE"),
        (
            "<td><div style=\"height:0;overflow:hidden\">3</div></td>",
            "",
            "IMPORT-STYLE",
        ),
        ("<td style=\"content-visibility:hidden\">3</td>", "", "IMPORT-STYLE"),
        (
            "<td><span style=\"position:absolute;left:-9999px\">3</span></td>",
            "",
            "IMPORT-STYLE",
        ),
    ];
    for (cell, css, rule) in cases {
        let (imported, id) = page_with_cell(cell, css);
        assert_eq!(imported.report.cell(id).value(), None, "{cell}");
        let f = imported
            .findings
            .iter()
            .find(|f| f.rule == *rule)
            .unwrap_or_else(|| panic!("{cell}: {:#?}", imported.findings));
        assert_eq!(f.severity, xxgk_model::Severity::Error);
        let zh = f.text(xxgk_model::Lang::Zh);
        let en = f.text(xxgk_model::Lang::En);
        assert!(zh.contains("表格1") && en.contains("表格1"), "{zh} / {en}");
        if *rule == "IMPORT-ROW-WIDTH" {
            assert!(
                zh.contains("行政规范性文件") && zh.contains("5格") && zh.contains("4列"),
                "{zh}"
            );
            assert!(en.contains("5 cells") && en.contains("4 columns"), "{en}");
            // None of the row's cells is read, the one before the extra cell included.
            assert_eq!(imported.report.cell("t2.normative_docs.in_force").value(), None);
        }
    }
    for (cell, css) in [
        (
            "<td class=\"x\">9</td><td>3</td>",
            "@media (max-width: 600px) { .x { display: none } }",
        ),
        (
            "<td class=\"x y\">9</td><td>3</td>",
            ".x{display:none} .y{display:table-cell}",
        ),
        ("<td>3</td>", "td:unknown-pseudo-class{display:none}"),
        (
            "<td class=\"x\">9</td><td>3</td>",
            ".x{display:none} @media (max-width: 768px) { .x { display: table-cell } }",
        ),
        (
            "<td>3</td></tr></tbody><colgroup><col><col style=\"visibility:collapse\"></colgroup><tbody><tr>",
            "",
        ),
    ] {
        let v = FormatVersion::V2021;
        let mut f = figures(v);
        f.insert("t2.normative_docs.made".into(), "MARK".into());
        let html = page(v, &f)
            .replace("<td>MARK</td>", cell)
            .replace("</head>", &format!("<style>{css}</style></head>"));
        let e = import("page.html", html.as_bytes(), &ImportOptions::default()).expect_err(css);
        assert!(
            e.message.zh.contains("该表格不读取")
                && e.location.as_ref().is_some_and(|l| l.sheet.as_deref() == Some("表格1")),
            "{css}: {e:?}"
        );
    }
}
