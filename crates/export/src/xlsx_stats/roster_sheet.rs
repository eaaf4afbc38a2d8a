//! The `报送情况` sheet of the statistics workbook: every unit of the list that must report
//! (`aggregate --roster`) with where it stands — reported, twice, missing, a near-miss — and the
//! files that match no unit. Printed on landscape A4 like the other sheets.

use super::{Formats, print_setup, tr, xerr};
use crate::ExportError;
use rust_xlsxwriter::Worksheet;
use xxgk_model::Lang;
use xxgk_model::catalogue::ADMIN_LEVELS;
use xxgk_model::roster::{RosterCheck, RosterColumn, UnitState};

/// The name of the sheet.
pub(super) fn sheet_name(lang: Lang) -> &'static str {
    tr(lang, "报送情况", "Submissions")
}

/// A unit's state in words.
fn state_text(state: UnitState, lang: Lang) -> &'static str {
    match state {
        UnitState::Reported => tr(lang, "已报送", "reported"),
        UnitState::Twice => tr(lang, "重复报送", "reported twice"),
        UnitState::NearMiss => tr(lang, "未报送（有名称相近的报告）", "not reported (a near name)"),
        UnitState::Missing => tr(lang, "未报送", "not reported"),
    }
}

/// Writes the sheet, top to bottom (the sheet may be in constant-memory mode).
pub(super) fn write(ws: &mut Worksheet, check: &RosterCheck, f: &Formats, lang: Lang) -> Result<(), ExportError> {
    ws.set_name(sheet_name(lang)).map_err(xerr)?;
    let title = match lang {
        Lang::Zh => format!("报送情况（名单：{}）", check.roster),
        Lang::En => format!("Submissions (list: {})", check.roster),
    };
    ws.write_string_with_format(0, 0, &title, &f.title).map_err(xerr)?;
    let c = &check.counts;
    let mut facts: Vec<(&str, usize)> = vec![
        (tr(lang, "名单中的单位", "Units listed"), c.units),
        (
            tr(lang, "已报送（含重复报送）", "Reported (twice included)"),
            c.reported,
        ),
        (tr(lang, "其中重复报送", "Of which twice"), c.twice),
        (
            tr(lang, "未报送（含名称相近）", "Not reported (near names included)"),
            c.missing,
        ),
        (
            tr(
                lang,
                "其中有名称相近、未自动对应的报告",
                "Of which with a near name, not matched",
            ),
            c.near_miss,
        ),
        (
            tr(lang, "不在名单中的报告", "Reports matching no unit"),
            c.unmatched_files,
        ),
    ];
    if let Some(n) = c.not_this_year {
        facts.push((tr(lang, "上年报送、本年未报送", "Reported last year, not this year"), n));
    }
    let mut row = 2u32;
    for (label, n) in &facts {
        ws.write_string_with_format(row, 0, *label, &f.header).map_err(xerr)?;
        ws.write_blank(row, 1, &f.header).map_err(xerr)?;
        ws.write_number_with_format(row, 2, *n as f64, &f.count).map_err(xerr)?;
        row += 1;
    }
    row += 1;
    let head = [
        tr(lang, "序号", "No."),
        RosterColumn::Name.label(lang),
        RosterColumn::Code.label(lang),
        RosterColumn::Level.label(lang),
        RosterColumn::Parent.label(lang),
        tr(lang, "报送情况", "Status"),
        tr(lang, "报告文件", "Report files"),
        tr(lang, "说明", "Notes"),
    ];
    let top = row;
    for (i, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f.header)
            .map_err(xerr)?;
    }
    for (k, u) in check.units.iter().enumerate() {
        row += 1;
        let level = u
            .unit
            .level
            .and_then(|l| ADMIN_LEVELS.iter().find(|(x, _)| *x == l))
            .map(|(_, name)| name.get(lang))
            .unwrap_or_default();
        let files: Vec<String> = u
            .files
            .iter()
            .map(|x| {
                if x.counted {
                    x.file.clone()
                } else {
                    format!("{}{}", x.file, tr(lang, "（未计入合计）", " (not summed)"))
                }
            })
            .collect();
        let mut notes: Vec<String> = check
            .near_misses
            .iter()
            .filter(|n| n.unit_index == k)
            .map(|n| format!("{}: {}", n.file, n.message.get(lang)))
            .collect();
        if u.reported_last_year == Some(true) && matches!(u.state, UnitState::Missing | UnitState::NearMiss) {
            notes.push(tr(lang, "上年已报送", "reported last year").to_string());
        }
        let state_format = if u.state == UnitState::Reported {
            &f.text
        } else {
            &f.failing
        };
        ws.write_number_with_format(row, 0, (k + 1) as f64, &f.count)
            .map_err(xerr)?;
        let texts = [
            u.unit.name.as_str(),
            u.unit.code.as_deref().unwrap_or_default(),
            level,
            u.unit.parent.as_deref().unwrap_or_default(),
        ];
        for (i, t) in texts.iter().enumerate() {
            ws.write_string_with_format(row, 1 + i as u16, *t, &f.wrap)
                .map_err(xerr)?;
        }
        ws.write_string_with_format(row, 5, state_text(u.state, lang), state_format)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 6, files.join("\n"), &f.wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(row, 7, notes.join("\n"), &f.wrap)
            .map_err(xerr)?;
    }
    let last_unit_row = row;
    row += 2;
    ws.write_string_with_format(
        row,
        0,
        tr(lang, "不在名单中的报告", "Reports matching no unit"),
        &f.title_small,
    )
    .map_err(xerr)?;
    row += 1;
    if check.unmatched_files.is_empty() {
        ws.write_string(row, 0, tr(lang, "无", "none")).map_err(xerr)?;
    } else {
        let head = [
            tr(lang, "序号", "No."),
            tr(lang, "机关名称", "Agency"),
            tr(lang, "代码", "Code"),
            tr(lang, "说明", "Notes"),
            tr(lang, "报告文件", "Report file"),
        ];
        for (i, h) in head.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, *h, &f.header)
                .map_err(xerr)?;
        }
        for (k, x) in check.unmatched_files.iter().enumerate() {
            row += 1;
            let notes: Vec<&str> = check
                .near_misses
                .iter()
                .filter(|n| n.file == x.file && n.agency == x.agency)
                .map(|n| n.message.get(lang))
                .collect();
            ws.write_number_with_format(row, 0, (k + 1) as f64, &f.count)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 1, &x.agency, &f.wrap).map_err(xerr)?;
            ws.write_string_with_format(row, 2, x.code.as_deref().unwrap_or_default(), &f.wrap)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 3, notes.join("\n"), &f.wrap)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 4, &x.file, &f.wrap).map_err(xerr)?;
        }
    }
    for (c, w) in [(0u16, 6), (1, 30), (2, 20), (3, 10), (4, 20), (5, 14), (6, 36), (7, 50)] {
        ws.set_column_width(c, w).map_err(xerr)?;
    }
    ws.autofilter(top, 0, last_unit_row, head.len() as u16 - 1)
        .map_err(xerr)?;
    ws.set_freeze_panes(top + 1, 0).map_err(xerr)?;
    print_setup(ws);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, top).map_err(xerr)?;
    Ok(())
}
