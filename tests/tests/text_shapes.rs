//! The same report with non-zero figures, written in every shape portals publish: each must read
//! back cell by cell, with each cell's line, and what cannot be read must be named.

use std::collections::BTreeMap;
use xxgk_import::{ImportOptions, Imported, import};
use xxgk_model::catalogue::{T3_COLUMNS, T4_GROUPS, T4_OUTCOMES, t2_id, t3_id, t4_id};
use xxgk_model::{CheckOptions, FormatVersion, Num, Severity, Status, TableId, catalogue, check};
use xxgk_tests::figures;

/// How the tables are laid out.
#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Tab,
    Pipe,
    /// PDF-to-text: columns aligned by spaces, a page number and a footer inside table 3, a
    /// wrapped label, full-width digits, “1、”, straight quotes, spaces inside labels.
    Spaced,
    /// HTML with the tags stripped: the cells of a row run together.
    RunTogether,
    /// One cell per line with vertical (one character per line) header labels.
    Vertical,
}

fn text_of(v: FormatVersion, shape: Shape, f: &BTreeMap<String, String>) -> String {
    let cat = catalogue(v);
    let mut s = String::new();
    let year = if v == FormatVersion::V2019 { 2020 } else { 2022 };
    s.push_str(&format!("某某市某某区测试局{year}年度\n政府信息公开工作年度报告\n\n"));
    s.push_str("本报告依据《中华人民共和国政府信息公开条例》编制。联系电话：010-12345678。\n");
    s.push_str("一、总体情况\n2022年，本局共收到政府信息公开申请81件。\n");
    s.push_str("二、主动公开政府信息情况\n");
    let row = |label: &str, ids: &[String], s: &mut String| {
        let vals: Vec<String> = ids.iter().map(|id| f[id].clone()).collect();
        match shape {
            Shape::Tab => s.push_str(&format!("{label}\t{}\n", vals.join("\t"))),
            Shape::Pipe => s.push_str(&format!("| | {label} | {} |\n|  |\n", vals.join(" | "))),
            Shape::Spaced => {
                let wide: Vec<String> = vals.iter().map(|v| fullwidth(v)).collect();
                s.push_str(&format!("  {:<30}   {}\n", spaced_label(label), wide.join("     ")));
            }
            Shape::RunTogether => s.push_str(&format!("{label}{}\n", vals.concat())),
            Shape::Vertical => {
                s.push_str(&format!("\t{label}\n"));
                for v in vals {
                    s.push_str(&format!("\t{v}\n"));
                }
                s.push('\n');
            }
        }
    };
    for block in cat.t2_blocks {
        s.push_str(&format!("{}\n", block.caption.zh));
        let heads: Vec<&str> = block.columns.iter().map(|c| c.label.zh).collect();
        s.push_str(&format!("信息内容\t{}\n", heads.join("\t")));
        for r in block.rows {
            let ids: Vec<String> = block.columns.iter().map(|c| t2_id(r.key, c.key)).collect();
            // The run-together shape has no separator; table 2 rows are written spaced there.
            if shape == Shape::RunTogether {
                let vals: Vec<String> = ids.iter().map(|id| f[id].clone()).collect();
                s.push_str(&format!("{} {}\n", r.label.zh, vals.join(" ")));
            } else {
                row(r.label.zh, &ids, &mut s);
            }
        }
    }
    s.push_str("三、收到和处理政府信息公开申请情况\n");
    s.push_str("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n");
    if shape == Shape::Vertical {
        s.push_str("\t自然人\n\t法人或其他组织\n\t总计\n\t商业\n企业\n\t科研\n机构\n\t社会\n公益\n组织\n\t法律\n服务\n机构\n\t其他\n\n");
    } else {
        s.push_str("自然人\t法人或其他组织\t总计\n商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n");
    }
    let mut last_group = None;
    for (i, r) in cat.t3_rows.iter().enumerate() {
        let ids: Vec<String> = T3_COLUMNS.iter().map(|c| t3_id(r.key, c.key)).collect();
        let mut label = String::new();
        if i == 2 {
            label.push_str("三、本年度办理结果");
            label.push(if shape == Shape::RunTogether { ' ' } else { '\t' });
        }
        if r.group != last_group {
            if let Some(g) = r.group {
                label.push_str(g.zh);
                label.push(if shape == Shape::RunTogether { ' ' } else { '\t' });
            }
            last_group = r.group;
        }
        let own = r.label.zh;
        if shape == Shape::Spaced {
            if i == 6 {
                s.push_str("- 4 -\n某某区测试局2022年政府信息公开工作年度报告\n");
            }
            let own = own.replace("1.", "1、").replace("3.", "3. ").replace(['“', '”'], "\"");
            if own.starts_with("（二）部分公开") {
                // A wrapped label: the values sit on the first line.
                let (head, tail) = own.split_at(own.find("只计").unwrap_or(0));
                row(&format!("{}{head}", label.replace('\t', " ")), &ids, &mut s);
                s.push_str(&format!("  {tail}\n"));
            } else {
                row(&format!("{}{own}", label.replace('\t', " ")), &ids, &mut s);
            }
        } else if shape == Shape::Vertical && label.starts_with("三、") {
            let vertical: Vec<String> = "三、本年度办理结果".chars().map(|c| c.to_string()).collect();
            s.push_str(&format!("\t{}\n", vertical.join("\n")));
            row(
                &format!("{}{own}", label.trim_start_matches("三、本年度办理结果\t")),
                &ids,
                &mut s,
            );
        } else {
            row(&format!("{label}{own}"), &ids, &mut s);
        }
    }
    s.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
    let t4: Vec<String> = T4_GROUPS
        .iter()
        .flat_map(|g| T4_OUTCOMES.iter().map(move |o| t4_id(g.key, o.key)))
        .map(|id| f[&id].clone())
        .collect();
    match shape {
        Shape::Vertical => {
            s.push_str("\t行政复议\n\t行政诉讼\n\n");
            for _ in 0..3 {
                for o in &T4_OUTCOMES {
                    let chars: Vec<String> = o.label.zh.chars().map(|c| c.to_string()).collect();
                    s.push_str(&format!("\t{}\n", chars.join("\n")));
                }
            }
            s.push_str("\t未经复议直接起诉\n\t复议后起诉\n\n");
            for v in &t4 {
                s.push_str(&format!("\t{v}\n"));
            }
        }
        Shape::RunTogether => {
            s.push_str("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉");
            s.push_str("结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计\n");
            s.push_str(&format!("{}\n", t4.concat()));
        }
        Shape::Pipe => {
            s.push_str("| 行政复议 | 行政诉讼 |\n|---|---|\n");
            s.push_str(&format!("| {} |\n", t4.join(" | ")));
        }
        _ => {
            s.push_str("行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n");
            let sep = if shape == Shape::Spaced { "   " } else { "\t" };
            s.push_str(&format!("{}\n", t4.join(sep)));
        }
    }
    s.push_str("五、存在的主要问题及改进情况\n公开内容有待进一步规范。\n");
    s.push_str("六、其他需要报告的事项\n本年度未收取信息处理费。\n某某区测试局\n2023年1月20日\n");
    s
}

fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            other => other,
        })
        .collect()
}

/// “行政许可” → “行 政 许 可” for short labels, as PDF converters write spaced headings.
fn spaced_label(l: &str) -> String {
    if l.chars().count() <= 4 && l.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        l.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
    } else {
        l.to_string()
    }
}

fn read(name: &str, text: &str) -> Imported {
    let mut all = import(name, text.as_bytes(), &ImportOptions::default()).expect("import");
    assert_eq!(all.len(), 1);
    all.remove(0)
}

/// Every cell equals the figure, has a line, and no import or rule finding fails.
fn assert_exact(imported: &Imported, v: FormatVersion, f: &BTreeMap<String, String>, what: &str) {
    let r = &imported.report;
    assert_eq!(r.meta.format, v, "{what}");
    assert_eq!(r.meta.agency, "某某市某某区测试局", "{what}");
    assert_eq!(
        r.meta.year,
        Some(if v == FormatVersion::V2019 { 2020 } else { 2022 }),
        "{what}"
    );
    let failing: Vec<_> = imported.findings.iter().filter(|f| f.status == Status::Fail).collect();
    assert!(failing.is_empty(), "{what}: {failing:#?}");
    for def in catalogue(v).cells() {
        let want: Num = f[&def.id].parse().expect("figure");
        assert_eq!(r.cell(&def.id).value(), Some(want), "{what}: {}", def.id);
        assert!(
            imported.sources.get(&def.id).and_then(|l| l.line).is_some(),
            "{what}: line of {}",
            def.id
        );
    }
    let rules = check(r, &CheckOptions::default());
    let failed: Vec<_> = rules.iter().filter(|f| f.is_failure(false)).collect();
    assert!(failed.is_empty(), "{what}: {failed:#?}");
    assert_eq!(r.meta.published.as_deref(), Some("2023-01-20"), "{what}");
    let other = r.sections.other.as_ref().expect("section 六");
    assert_eq!(other.text, "本年度未收取信息处理费。", "{what}");
}

#[test]
fn every_shape_reads_exactly() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    for (shape, name) in [
        (Shape::Tab, "tab"),
        (Shape::Pipe, "pipe"),
        (Shape::Spaced, "spaced"),
        (Shape::RunTogether, "run-together"),
        (Shape::Vertical, "vertical"),
    ] {
        let text = text_of(v, shape, &f);
        let imported = read(&format!("{name}.txt"), &text);
        assert_exact(&imported, v, &f, name);
    }
}

#[test]
fn v2019_is_detected_and_read() {
    let v = FormatVersion::V2019;
    let f = figures(v);
    for shape in [Shape::Tab, Shape::Vertical] {
        let imported = read("v2019.txt", &text_of(v, shape, &f));
        assert_exact(&imported, v, &f, "v2019");
        assert_eq!(imported.report.cell("t2.licensing.change").value(), Some(Num::int(-2)));
    }
}

#[test]
fn run_together_rows_are_cut_by_the_identities() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let imported = read("html.txt", &text_of(v, Shape::RunTogether, &f));
    let split: Vec<_> = imported.findings.iter().filter(|f| f.rule == "IMPORT-SPLIT").collect();
    assert!(
        split.iter().any(|f| f.text(xxgk_model::Lang::Zh).contains("801000081")),
        "{split:#?}"
    );
    assert!(
        split
            .iter()
            .any(|f| f.table == Some(TableId::T4) && f.text(xxgk_model::Lang::Zh).contains("110024001510102"))
    );
    assert!(
        split
            .iter()
            .all(|f| f.severity == Severity::Info && f.status == Status::Pass)
    );
}

#[test]
fn an_ambiguous_row_is_named_with_its_line() {
    let v = FormatVersion::V2021;
    let mut f = figures(v);
    // 上年结转: 11 + 0 = 11 and 1 + 10 = 11 are both “110000011”.
    for (c, n) in ["11", "0", "0", "0", "0", "0", "11"].iter().enumerate() {
        f.insert(t3_id("carried_over", T3_COLUMNS[c].key), (*n).to_string());
    }
    for (c, n) in ["15", "0", "0", "0", "0", "0", "15"].iter().enumerate() {
        f.insert(t3_id("carried_forward", T3_COLUMNS[c].key), (*n).to_string());
    }
    let text = text_of(v, Shape::RunTogether, &f);
    // With 结转下年度 readable, the balance (80 + x = 76 + 15) leaves one cut: 11, 0, …, 11.
    let resolved = read("html.txt", &text);
    assert_eq!(
        resolved.report.cell(&t3_id("carried_over", "natural_person")).value(),
        Some(Num::int(11))
    );
    // With 结转下年度 written as placeholders, nothing can tell the two cuts apart.
    let text = text.replace(
        "四、结转下年度继续办理150000015",
        "四、结转下年度继续办理 / / / / / / /",
    );
    let line = text.lines().position(|l| l.starts_with("二、上年结转")).expect("row") as u64 + 1;
    let imported = read("html.txt", &text);
    let named = imported
        .findings
        .iter()
        .find(|f| {
            f.rule == "IMPORT-RUN-TOGETHER" && f.subject_label().as_deref() == Some("二、上年结转政府信息公开申请数量")
        })
        .unwrap_or_else(|| panic!("{:#?}", imported.findings));
    assert_eq!(named.status, Status::Fail);
    assert!(
        named.text(xxgk_model::Lang::Zh).contains("有2种拆分"),
        "{}",
        named.text(xxgk_model::Lang::Zh)
    );
    assert!(
        named.text(xxgk_model::Lang::Zh).contains(&format!("第{line}行")),
        "{}",
        named.text(xxgk_model::Lang::Zh)
    );
    assert!(
        named
            .cells
            .iter()
            .all(|c| c.location.as_ref().and_then(|l| l.line) == Some(line))
    );
    // Nothing was guessed for that row.
    assert!(imported.report.cell(&t3_id("carried_over", "total")).value().is_none());
}

#[test]
fn a_row_with_a_number_split_in_two_is_named_with_a_hint() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let text = text_of(v, Shape::Tab, &f).replace("（一）予以公开\t40\t", "（一）予以公开\t4\t0\t");
    let imported = read("split.txt", &text);
    let hint = imported
        .findings
        .iter()
        .find(|f| f.rule == "IMPORT-SPLIT-NUMBER")
        .unwrap_or_else(|| panic!("{:#?}", imported.findings));
    assert!(
        hint.text(xxgk_model::Lang::Zh).contains("“40”"),
        "{}",
        hint.text(xxgk_model::Lang::Zh)
    );
    assert!(imported.report.cell("t3.granted.total").value().is_none());
}

#[test]
fn a_truncated_report_names_what_is_missing() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let text = text_of(v, Shape::Tab, &f);
    let cut = text.find("（四）无法提供").expect("row");
    let imported = read("cut.txt", &text[..cut]);
    let missing: Vec<_> = imported
        .findings
        .iter()
        .filter(|f| f.rule == "IMPORT-MISSING-ROW")
        .collect();
    assert!(
        missing
            .iter()
            .any(|f| f.subject_label().as_deref() == Some("（七）总计")),
        "{missing:#?}"
    );
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.rule == "IMPORT-MISSING-TABLE" && f.table == Some(TableId::T4))
    );
    assert_eq!(imported.report.cell("t3.granted.total").value(), Some(Num::int(41)));
    assert!(imported.report.cell("t3.results_total.total").value().is_none());
}

#[test]
fn traditional_characters_are_converted() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let map = [
        ('开', '開'),
        ('报', '報'),
        ('总', '總'),
        ('况', '況'),
        ('处', '處'),
        ('请', '請'),
        ('数', '數'),
        ('结', '結'),
        ('议', '議'),
        ('诉', '訴'),
        ('讼', '訟'),
        ('体', '體'),
        ('规', '規'),
        ('项', '項'),
        ('条', '條'),
        ('办', '辦'),
        ('计', '計'),
        ('织', '織'),
        ('务', '務'),
        ('机', '機'),
        ('构', '構'),
        ('业', '業'),
        ('权', '權'),
        ('经', '經'),
        ('认', '認'),
        ('确', '確'),
        ('费', '費'),
        ('属', '屬'),
        ('国', '國'),
        ('门', '門'),
        ('问', '問'),
        ('题', '題'),
        ('进', '進'),
        ('会', '會'),
        ('强', '強'),
    ];
    let text: String = text_of(v, Shape::Tab, &f)
        .chars()
        .map(|c| map.iter().find(|m| m.0 == c).map_or(c, |m| m.1))
        .collect();
    assert!(text.contains("政府信息公開工作年度報告"));
    let imported = read("big5.txt", &text);
    assert!(imported.findings.iter().any(|f| f.rule == "IMPORT-TRADITIONAL"));
    let failing: Vec<_> = imported.findings.iter().filter(|f| f.status == Status::Fail).collect();
    assert!(failing.is_empty(), "{failing:#?}");
    for def in catalogue(v).cells() {
        let want: Num = f[&def.id].parse().expect("figure");
        assert_eq!(imported.report.cell(&def.id).value(), Some(want), "{}", def.id);
    }
    assert_eq!(
        imported.report.sections.general.as_ref().map(|s| s.heading.as_str()),
        Some("一、总体情况")
    );
}

#[test]
fn hostile_input_gives_errors_or_findings_not_panics() {
    for text in [
        "",
        "\u{0}\u{1}",
        "2023年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量99999999999999999999999999999999999\n",
        "2023年度报告\n四、政府信息公开行政复议、行政诉讼情况\n9999999999999999999999999999999999999999999\n",
        "2023年度报告\n| | | |\n|||\n\t\t\t\n- 1 -\n",
    ] {
        xxgk_tests::assert_refused_or_sane(text, import("x.txt", text.as_bytes(), &ImportOptions::default()));
    }
    let gbk = [0xB9u8, 0xFA, 0xFF, 0xFE, 0x80];
    xxgk_tests::assert_refused_or_sane("bad GBK", import("x.txt", &gbk, &ImportOptions::default()));
}

/// Over every shape, both versions and the damaged variants: each cell is either read exactly or
/// left unread and named by an import finding — never read wrong. Prints the reading rate
/// (`cargo test -p xxgk-tests --test text_shapes reading_rate -- --nocapture`).
#[test]
fn reading_rate_and_nothing_guessed() {
    let mut cases: Vec<(String, FormatVersion, String, BTreeMap<String, String>)> = Vec::new();
    for v in FormatVersion::ALL {
        let f = figures(v);
        for (shape, name) in [
            (Shape::Tab, "tab"),
            (Shape::Pipe, "pipe"),
            (Shape::Spaced, "spaced"),
            (Shape::RunTogether, "run-together"),
            (Shape::Vertical, "vertical"),
        ] {
            cases.push((format!("{v} {name}"), v, text_of(v, shape, &f), f.clone()));
        }
    }
    let v = FormatVersion::V2021;
    let f = figures(v);
    let tab = text_of(v, Shape::Tab, &f);
    cases.push((
        "split number".into(),
        v,
        tab.replace("（一）予以公开\t40\t", "（一）予以公开\t4\t0\t"),
        f.clone(),
    ));
    cases.push((
        "missing cell".into(),
        v,
        tab.replace("（一）予以公开\t40\t", "（一）予以公开\t"),
        f.clone(),
    ));
    let cut = tab.find("（四）无法提供").unwrap_or(tab.len());
    cases.push(("truncated".into(), v, tab[..cut].to_string(), f.clone()));
    let run = text_of(v, Shape::RunTogether, &f);
    let ambiguous = run
        .replace(
            "二、上年结转政府信息公开申请数量3000003",
            "二、上年结转政府信息公开申请数量110000011",
        )
        .replace("四、结转下年度继续办理7000007", "四、结转下年度继续办理 / / / / / / /");
    assert!(ambiguous.contains("继续办理 / / / / / / /"));
    assert!(ambiguous.contains("110000011"));
    let mut truth = f.clone();
    for (c, col) in T3_COLUMNS.iter().enumerate() {
        let n = if c == 0 || c == 6 { "11" } else { "0" };
        truth.insert(t3_id("carried_over", col.key), n.to_string());
        truth.insert(t3_id("carried_forward", col.key), "/".to_string());
    }
    cases.push(("run-together, ambiguous".into(), v, ambiguous, truth));
    let (mut total, mut exact, mut named) = (0usize, 0usize, 0usize);
    for (name, v, text, f) in &cases {
        let imported = read("case.txt", text);
        let unread: Vec<&str> = imported
            .findings
            .iter()
            .filter(|x| x.status == Status::Fail && x.rule.starts_with("IMPORT-"))
            .flat_map(|x| x.cells.iter().map(|c| c.id.as_str()))
            .collect();
        let whole_tables: Vec<TableId> = imported
            .findings
            .iter()
            .filter(|x| x.rule == "IMPORT-MISSING-TABLE")
            .filter_map(|x| x.table)
            .collect();
        for def in catalogue(*v).cells() {
            total += 1;
            let cell = imported.report.cell(&def.id);
            let written = &f[&def.id];
            let as_written = match written.parse::<Num>() {
                Ok(want) => cell.value() == Some(want),
                Err(_) => cell.raw_text() == *written && cell.value().is_none(),
            };
            if as_written {
                exact += 1;
            } else {
                // Not read: it must be absent and named (its row, or its whole table).
                let covered = unread.contains(&def.id.as_str()) || whole_tables.contains(&def.table);
                assert!(cell.value().is_none(), "{name}: {} read wrong: {cell:?}", def.id);
                assert!(covered, "{name}: {} neither read nor named", def.id);
                named += 1;
            }
        }
    }
    let rate = exact as f64 * 100.0 / total as f64;
    println!(
        "reading rate over {} reports: {exact}/{total} cells exact ({rate:.1}%), {named} not read and named, 0 wrong",
        cases.len()
    );
    assert_eq!(exact + named, total);
}

/// Placeholders, annotations and units in cells are read as written; a yuan amount in the 万元
/// column is left for the MONEY-UNIT rule to report.
#[test]
fn placeholders_annotations_and_units() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let text = text_of(v, Shape::Tab, &f)
        .replace("行政规范性文件\t3\t1\t12", "行政规范性文件\t3\t1\t12（含自然失效2件）")
        .replace("规章\t0\t0\t0", "规章\t/\t—\t无")
        .replace("行政事业性收费\t103.3879", "行政事业性收费\t251000元");
    let imported = read("cells.txt", &text);
    let r = &imported.report;
    match r.cell("t2.normative_docs.in_force") {
        xxgk_model::Cell::Number { value, annotation, .. } => {
            assert_eq!(*value, Num::int(12));
            assert_eq!(annotation.as_deref(), Some("含自然失效2件"));
        }
        other => panic!("{other:?}"),
    }
    for (id, raw) in [
        ("t2.regulations.made", "/"),
        ("t2.regulations.repealed", "—"),
        ("t2.regulations.in_force", "无"),
    ] {
        assert_eq!(r.cell(id), &xxgk_model::Cell::Placeholder { raw: raw.into() }, "{id}");
    }
    assert_eq!(r.cell("t2.fees.amount").value(), Some(Num::int(251000)));
    let unit = check(r, &CheckOptions::default())
        .into_iter()
        .find(|f| f.rule == "MONEY-UNIT")
        .expect("MONEY-UNIT");
    assert_eq!(unit.status, Status::Fail, "{unit:#?}");
}

/// Numbers stated in 总体情况 are checked against the tables (X-TEXT), Chinese numerals included.
#[test]
fn text_against_tables() {
    let v = FormatVersion::V2021;
    let f = figures(v);
    let base = text_of(v, Shape::Tab, &f);
    let x_text = |text: &str| -> Vec<(Status, String)> {
        let imported = read("x.txt", text);
        check(&imported.report, &CheckOptions::default())
            .into_iter()
            .filter(|f| f.rule == "X-TEXT")
            .map(|f| (f.status, f.text(xxgk_model::Lang::Zh).into_owned()))
            .collect()
    };
    let ok = x_text(&base);
    assert_eq!(ok.len(), 1, "{ok:?}");
    assert_eq!(ok[0].0, Status::Pass);
    let wrong = x_text(&base.replace(
        "共收到政府信息公开申请81件。",
        "共收到政府信息公开申请九十一件，办结77件。",
    ));
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert_eq!(wrong[0].0, Status::Fail, "{wrong:?}");
    assert!(wrong[0].1.contains("91"), "{wrong:?}");
    assert_eq!(wrong[1].0, Status::Pass, "{wrong:?}");
}
