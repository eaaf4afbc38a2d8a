//! The findings sheet: every failed or not-assessable check, located.

use super::*;

pub(super) fn findings_sheet(
    ws: &mut Worksheet,
    metas: &[Meta],
    findings: &[Vec<Finding>],
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    ws.set_name(tr(lang, "问题清单", "Findings")).map_err(xerr)?;
    let head = [
        (tr(lang, "序号", "No."), 6),
        (tr(lang, "机关名称", "Agency"), 26),
        (tr(lang, "年度", "Year"), 7),
        (tr(lang, "规则", "Rule"), 14),
        (tr(lang, "严重程度", "Severity"), 9),
        (tr(lang, "结论", "Status"), 10),
        (tr(lang, "表", "Table"), 7),
        (tr(lang, "核对对象", "Subject"), 24),
        (tr(lang, "单元格", "Cells"), 34),
        (tr(lang, "来源位置", "Source location"), 16),
        (tr(lang, "数值", "Values"), 40),
        (tr(lang, "应为", "Expected"), 20),
        (tr(lang, "实际", "Found"), 20),
        (tr(lang, "说明", "Message"), 60),
    ];
    for (c, (h, w)) in head.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header).map_err(xerr)?;
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    let mut row = 0u32;
    for (k, (m, fs)) in metas.iter().zip(findings).enumerate() {
        let cat = catalogue(m.format);
        for x in fs.iter().filter(|x| x.status != Status::Pass) {
            row += 1;
            let cells: Vec<&str> = x.cells.iter().map(|c| c.id.as_str()).collect();
            let places: Vec<String> = x
                .cells
                .iter()
                .map(|c| c.location.as_ref().map(|l| l.display(lang)).unwrap_or_default())
                .collect();
            let values: Vec<String> = x
                .cells
                .iter()
                .map(|c| {
                    let name = cat
                        .cell(c.id.as_str())
                        .map(|d| d.short_label(lang))
                        .unwrap_or_else(|| c.id.to_string());
                    format!("{name} = {}", c.value_text(lang))
                })
                .collect();
            let texts = [
                x.rule.to_string(),
                x.severity.name(lang).to_string(),
                x.status.name(lang).to_string(),
                x.table.map(|t| t.name(lang).to_string()).unwrap_or_default(),
                x.subject_label().unwrap_or_default().into_owned(),
                cells.join("\n"),
                places.join("\n"),
                values.join("\n"),
                x.expected.as_ref().map(ToString::to_string).unwrap_or_default(),
                x.found.as_ref().map(ToString::to_string).unwrap_or_default(),
                x.text(lang).into_owned(),
            ];
            let mut run = FormatRun::default();
            run.number(ws, row, 0, (k + 1) as f64, &f.count)?;
            run.string(ws, row, 1, &m.agency, &f.wrap)?;
            run.number_or_blank(ws, row, 2, m.year.map(f64::from), &f.count)?;
            for (i, t) in texts.iter().enumerate() {
                run.string(ws, row, 3 + i as u16, t, &f.wrap)?;
            }
            run.flush(ws, row)?;
        }
    }
    ws.autofilter(0, 0, row, head.len() as u16 - 1).map_err(xerr)?;
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    print_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0).map_err(xerr)?;
    Ok(())
}

inventory::submit! {
    ExporterEntry {
        name: "xlsx-stats",
        extension: "xlsx",
        description: Label {
            zh: "统计工作簿（xlsx）：每表一张工作表、每份报告一行，带合计行、问题清单和汇总",
            en: "Statistics workbook (xlsx): a sheet per table, a row per report, totals, findings and a summary",
        },
        many: true,
        exporter: &XlsxStats,
    }
}
