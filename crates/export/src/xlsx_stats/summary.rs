//! The summary sheet: outcome per report, files not read, duplicates and parents.

use super::*;

/// Whether a report has a failed check of severity error (the statistics office's “不通过”).
pub(super) fn summary_sheet(
    ws: &mut Worksheet,
    metas: &[Meta],
    findings: &[Vec<Finding>],
    opts: &Options<'_>,
    f: &Formats,
) -> Result<(), ExportError> {
    let lang = opts.lang;
    ws.set_name(tr(lang, "汇总", "Summary")).map_err(xerr)?;
    ws.write_string_with_format(
        0,
        0,
        tr(
            lang,
            "政府信息公开工作年度报告统计汇总",
            "Annual report statistics: summary",
        ),
        &f.title,
    )
    .map_err(xerr)?;
    // The reports of the batch: not a sum of others (the 合计 rows) and not the parent, which is
    // compared with the sum rather than counted; duplicates and excluded reports are counted, as
    // on the terminal and in `aggregate --json`, and also said apart.
    let exclusion = |i: usize| opts.exclusions.and_then(|e| e.get(i).copied()).flatten();
    let counted: Vec<usize> = (0..metas.len())
        .filter(|&i| metas[i].summed_reports.is_none() && exclusion(i) != Some(Exclusion::Parent))
        .collect();
    let outcomes: Vec<Outcome> = counted
        .iter()
        .map(|&i| Outcome::of(&findings[i], opts.strict))
        .collect();
    let count = |o: Outcome| outcomes.iter().filter(|&&x| x == o).count();
    let excluded_as = |x: Exclusion| counted.iter().filter(|&&i| exclusion(i) == Some(x)).count();
    let facts: [(&str, usize); 8] = [
        (tr(lang, "报告份数", "Reports"), counted.len()),
        (Outcome::Pass.word(lang), count(Outcome::Pass)),
        (Outcome::Fail.word(lang), count(Outcome::Fail)),
        (
            tr(lang, "无法读取的文件", "Files that could not be read"),
            opts.unreadable.len(),
        ),
        (Outcome::Partial.word(lang), count(Outcome::Partial)),
        (
            tr(lang, "其中重复报送（未计入合计）", "Of which duplicates (not summed)"),
            excluded_as(Exclusion::Duplicate),
        ),
        (
            tr(lang, "其中因不通过未计入合计", "Of which excluded as failing"),
            excluded_as(Exclusion::Failing),
        ),
        (tr(lang, "未读取的文件", "Files not read"), opts.skipped.len()),
    ];
    for (i, (label, n)) in facts.iter().enumerate() {
        let row = 2 + i as u32;
        ws.write_string_with_format(row, 0, *label, &f.header).map_err(xerr)?;
        ws.write_number_with_format(row, 1, *n as f64, &f.count).map_err(xerr)?;
    }
    ws.write_string(
        NOTE_ROW,
        0,
        tr(
            lang,
            "“不通过”指至少一项错误级别的核对不成立；“部分无法核对”指没有核对不成立，但有核对因单元格空白、为占位符或无法读取而无法进行；警告和无法核对的项目见“问题清单”。合计行和本级报告不计入报告份数。",
            "“fail” means at least one check of severity error does not hold; “partly not assessable” means none failed but some checks could not be made for blank, placeholder or unreadable cells; warnings and checks that could not be made are listed under Findings. Sum rows and the parent's report are not counted as reports.",
        ),
    )
    .map_err(xerr)?;

    let head = [
        tr(lang, "序号", "No."),
        tr(lang, "机关名称", "Agency"),
        tr(lang, "行政区划代码", "Region code"),
        tr(lang, "年度", "Year"),
        tr(lang, "格式", "Format"),
        tr(lang, "结论", "Result"),
        tr(lang, "错误", "Errors"),
        tr(lang, "警告", "Warnings"),
        tr(lang, "无法核对", "Not assessable"),
        tr(lang, "不成立的核对", "Failed checks"),
        tr(lang, "来源", "Source"),
        tr(lang, "年度和机关名称取自", "Year and agency taken from"),
    ];
    let top = NOTE_ROW + 1;
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)
            .map_err(xerr)?;
    }
    for (k, (m, fs)) in metas.iter().zip(findings).enumerate() {
        let row = top + 1 + k as u32;
        let counts = xxgk_model::output::Counts::of(fs);
        let verdict = Outcome::of(fs, opts.strict).verdict(Outcome::unassessed(fs), lang);
        let mut run = FormatRun::default();
        run.number(ws, row, 0, (k + 1) as f64, &f.count)?;
        run.string(ws, row, 1, &m.agency, &f.text)?;
        run.string(ws, row, 2, m.region_code.as_deref().unwrap_or_default(), &f.text)?;
        run.number_or_blank(ws, row, 3, m.year.map(f64::from), &f.count)?;
        run.string(ws, row, 4, m.format.code(), &f.text)?;
        run.string(ws, row, 5, &verdict, &f.text)?;
        run.number(ws, row, 6, counts.errors as f64, &f.count)?;
        run.number(ws, row, 7, counts.warnings as f64, &f.count)?;
        run.number(ws, row, 8, counts.not_assessable as f64, &f.count)?;
        run.string(ws, row, 9, &failed_rules(fs, lang), &f.wrap)?;
        run.string(ws, row, 10, m.source.as_deref().unwrap_or_default(), &f.wrap)?;
        run.string(ws, row, 11, &origins_text(m, lang), &f.wrap)?;
        run.flush(ws, row)?;
    }
    let last = top + metas.len() as u32;
    ws.autofilter(top, 0, last, head.len() as u16 - 1).map_err(xerr)?;
    ws.set_freeze_panes(top + 1, 0).map_err(xerr)?;
    print_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    for (c, w) in [
        (0u16, 14),
        (1, 30),
        (2, 13),
        (3, 7),
        (4, 7),
        (5, 8),
        (6, 7),
        (7, 7),
        (8, 9),
        (9, 70),
        (10, 40),
        (11, 30),
    ] {
        ws.set_column_width(c, w).map_err(xerr)?;
    }

    let row = file_list(
        ws,
        last + 3,
        tr(lang, "无法读取的文件", "Files that could not be read"),
        opts.unreadable,
        lang,
        f,
    )?;
    if !opts.skipped.is_empty() {
        file_list(
            ws,
            row + 2,
            tr(lang, "未读取的文件", "Files not read"),
            opts.skipped,
            lang,
            f,
        )?;
    }
    Ok(())
}

/// A titled list of files with a reason each, from `row`; returns its last row.
pub(super) fn file_list(
    ws: &mut Worksheet,
    mut row: u32,
    title: &str,
    files: &[(String, String)],
    lang: Lang,
    f: &Formats,
) -> Result<u32, ExportError> {
    ws.write_string_with_format(row, 0, title, &f.title).map_err(xerr)?;
    row += 1;
    if files.is_empty() {
        ws.write_string(row, 0, tr(lang, "无", "none")).map_err(xerr)?;
        return Ok(row);
    }
    ws.write_string_with_format(row, 0, tr(lang, "文件", "File"), &f.header)
        .map_err(xerr)?;
    ws.merge_range(row, 1, row, 9, tr(lang, "原因", "Reason"), &f.header)
        .map_err(xerr)?;
    for (file, reason) in files {
        row += 1;
        ws.write_string_with_format(row, 0, file, &f.text).map_err(xerr)?;
        ws.merge_range(row, 1, row, 9, "", &f.wrap).map_err(xerr)?;
        ws.write_string_with_format(row, 1, reason, &f.wrap).map_err(xerr)?;
    }
    Ok(row)
}

/// `T3-BAL 表三勾稽关系（2处）；T4-SUM …`: the failed checks of a report by rule.
pub(super) fn failed_rules(findings: &[Finding], lang: Lang) -> String {
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for x in findings.iter().filter(|x| x.status == Status::Fail) {
        *by_rule.entry(&*x.rule).or_default() += 1;
    }
    by_rule
        .into_iter()
        .map(|(id, n)| {
            // A reader's finding (`IMPORT-…`) has no rule, so no title.
            let named = match rule(id) {
                Some(r) => format!("{id} {}", r.title.get(lang)),
                None => id.to_string(),
            };
            match lang {
                Lang::Zh => format!("{named}（{n}处）"),
                Lang::En => format!("{named} ({n})"),
            }
        })
        .collect::<Vec<_>>()
        .join(tr(lang, "；", "; "))
}
