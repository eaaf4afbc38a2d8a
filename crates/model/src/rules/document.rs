//! The layout against the year, and the sections: X-FORMAT, DOC-SECTIONS, DOC-SEC5.

use super::context::Ctx;
use super::registry::{BOTH, Rule, Scope, label};
use crate::catalogue::SectionKind;
use crate::finding::{FixedSubject, Message, Severity, Status, Subject, Text};
use crate::value::Cell;
use crate::version::FormatVersion;
use std::sync::LazyLock;

pub(super) static X_FORMAT: Rule = Rule {
    id: "X-FORMAT",
    severity: Severity::Error,
    versions: BOTH,
    title: label("表格格式与报告年度相符", "The table layout matches the report year"),
    basis: "official",
    scope: Scope::Report,
    check: x_format,
};

fn x_format(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    let used = meta.format;
    let Some(year) = meta.year else {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, Some(used.code().into())),
            Text::new(
                "报告年度不明，无法核对表格格式与年度是否相符",
                "the report year is unknown; whether the layout fits the year cannot be checked",
            ),
        );
        return;
    };
    let subject = Subject::new(
        None,
        format!("{year}年度"),
        format!("{year}年度报告"),
        format!("The {year} report"),
    );
    let Some(required) = FormatVersion::for_year(year) else {
        ctx.push(
            Some(&subject),
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, Some(used.code().into())),
            Text::new(
                format!("{}：2019年以前的年度报告没有全国统一格式，无法核对格式", subject.zh()),
                format!(
                    "{}: reports before 2019 had no national format; the layout cannot be checked",
                    subject.en()
                ),
            ),
        );
        return;
    };
    // 60号 only encouraged the unified format for 2019, so a deviation that year is a warning.
    let severity = if year == 2019 {
        Severity::Warning
    } else {
        Severity::Error
    };
    let (status, zh, en) = if used == required {
        (
            Status::Pass,
            format!("{}使用{}规定的格式", subject.zh(), required.document()),
            format!("{} uses the layout of {}", subject.en(), required.document()),
        )
    } else {
        (
            Status::Fail,
            format!(
                "{}应使用{}规定的格式（{}版），实际为{}版",
                subject.zh(),
                required.document(),
                required.code(),
                used.code()
            ),
            format!(
                "{} must use the layout of {} ({}), found the {} layout",
                subject.en(),
                required.document(),
                required.code(),
                used.code()
            ),
        )
    };
    ctx.push(
        Some(&subject),
        status,
        severity,
        Vec::new(),
        (Some(required.code().into()), Some(used.code().into())),
        Text::new(zh, en),
    );
    if used == required {
        mixed_layout(ctx, &subject, required, severity);
    }
}

/// A table 3 that prints as one row a group the year's form splits into rows, where the earlier
/// form had that one row (（六）其他处理, three rows since 2021): the earlier form's table in the
/// later layout, a mixed layout (format-spec D9). Other groups printed as one row are no earlier
/// form and are read as the group.
fn mixed_layout(ctx: &mut Ctx<'_>, subject: &Subject, required: FormatVersion, severity: Severity) {
    let Some(earlier) = FormatVersion::ALL.into_iter().filter(|v| *v < required).max() else {
        return;
    };
    let earlier_rows = crate::catalogue::catalogue(earlier).cells();
    let old_rows: Vec<&crate::catalogue::T3Group> = ctx
        .groups_alone()
        .iter()
        .copied()
        .filter(|g| earlier_rows.iter().any(|d| d.row_key == g.key))
        .collect();
    for g in old_rows {
        let parts = g.parts.len();
        ctx.push(
            Some(subject),
            Status::Fail,
            severity,
            Vec::new(),
            (Some(required.code().into()), Some(earlier.code().into())),
            Text::new(
                format!(
                    "{}的表三把「{}」印为一行，这是{}版的格式；{}规定的格式（{}版）将其分为{parts}行",
                    subject.zh(),
                    g.label.zh,
                    earlier.code(),
                    required.document(),
                    required.code()
                ),
                format!(
                    "{}: table 3 prints “{}” as one row, the {} layout; the layout of {} ({}) splits it into {parts} rows",
                    subject.en(),
                    g.label.en,
                    earlier.code(),
                    required.document(),
                    required.code()
                ),
            ),
        );
    }
}

/// Strips numbering, spaces and punctuation so that headings compare by their words.
fn heading_words(h: &str) -> String {
    let t: String = h.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches(|c: char| "一二三四五六七八九十0123456789０１２３４５６７８９".contains(c));
    t.trim_start_matches(|c: char| "、.．，,）)（( ".contains(c))
        .trim_end_matches(['：', ':', '。'])
        .to_string()
}

pub(super) static DOC_SECTIONS: Rule = Rule {
    id: "DOC-SECTIONS",
    severity: Severity::Error,
    versions: BOTH,
    title: label(
        "六个部分齐全且标题规范",
        "All six sections are present with the official headings",
    ),
    basis: "official",
    scope: Scope::Report,
    check: doc_sections,
};

/// The subject of a section's finding (`「一、总体情况」部分`), named once per process.
fn section_subject(kind: SectionKind) -> Subject {
    fn leak(s: String) -> &'static str {
        // Six sections, named once: bounded.
        Box::leak(s.into_boxed_str())
    }
    static SUBJECTS: LazyLock<Vec<(SectionKind, FixedSubject)>> = LazyLock::new(|| {
        SectionKind::ALL
            .into_iter()
            .map(|kind| {
                let canonical = kind.heading();
                let subject = FixedSubject {
                    table: kind.table(),
                    label: canonical.zh,
                    zh: leak(format!("「{}」部分", canonical.zh)),
                    en: leak(format!("Section “{}” ({})", canonical.zh, canonical.en)),
                };
                (kind, subject)
            })
            .collect()
    });
    match SUBJECTS.iter().find(|(k, _)| *k == kind) {
        Some((_, s)) => Subject::Fixed(s),
        None => Subject::label_only(kind.table(), kind.heading().zh),
    }
}

fn doc_sections(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    let why = match (meta.summed_reports, meta.tables_only) {
        (Some(n), _) => Some(Text::new(
            format!("本报告为{n}份报告的汇总，只有表格，不核对正文各部分"),
            format!("this report sums {n} reports and has tables only; its sections are not checked"),
        )),
        (None, true) => Some(Text::new(
            "来源文件只有表格（如 CSV），不核对正文各部分",
            "the source holds the tables only (e.g. CSV); the sections are not checked",
        )),
        (None, false) => None,
    };
    if let Some(message) = why {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Error,
            Vec::new(),
            (None, None),
            message,
        );
        return;
    }
    for kind in SectionKind::ALL {
        let canonical = kind.heading();
        let subject = section_subject(kind);
        let section = ctx.report.sections.get(kind);
        let table_filled = kind.table().is_some_and(|t| {
            ctx.cat
                .table_cells(t)
                .any(|d| !matches!(ctx.report.cell(&d.id), Cell::Blank))
        });
        let passes = match section {
            None => table_filled,
            Some(s) => heading_words(&s.heading) == heading_words(canonical.zh),
        };
        if passes && ctx.opts.brief_passes {
            let severity = if section.is_some() {
                Severity::Warning
            } else {
                Severity::Error
            };
            ctx.emit(
                Some(subject),
                Status::Pass,
                severity,
                Vec::new(),
                (None, None),
                Message::Fixed("", ""),
            );
            continue;
        }
        let expected = Some(canonical.zh.to_string());
        match section {
            None if table_filled => ctx.push(
                Some(&subject),
                Status::Pass,
                Severity::Error,
                Vec::new(),
                (expected, None),
                Text::new(
                    format!("{}以表格形式报告", subject.zh()),
                    format!("{} is reported as its table", subject.en()),
                ),
            ),
            None => ctx.push(
                Some(&subject),
                Status::Fail,
                Severity::Error,
                Vec::new(),
                (expected, None),
                Text::new(format!("缺少{}", subject.zh()), format!("{} is missing", subject.en())),
            ),
            Some(s) => {
                let words = heading_words(&s.heading);
                if words == heading_words(canonical.zh) {
                    ctx.push(
                        Some(&subject),
                        Status::Pass,
                        Severity::Warning,
                        Vec::new(),
                        (expected, Some(s.heading.clone())),
                        Text::new(format!("{}齐全", subject.zh()), format!("{} is present", subject.en())),
                    );
                } else {
                    ctx.push(
                        Some(&subject),
                        Status::Fail,
                        Severity::Warning,
                        Vec::new(),
                        (expected, Some(s.heading.clone())),
                        Text::new(
                            format!(
                                "{}的标题为「{}」，与统一格式的「{}」不同",
                                subject.zh(),
                                s.heading,
                                canonical.zh
                            ),
                            format!(
                                "{} is headed “{}”, not the official “{}”",
                                subject.en(),
                                s.heading,
                                canonical.zh
                            ),
                        ),
                    );
                }
            }
        }
    }
}

/// Words that name a problem, and words that name a measure, in section 五.
const PROBLEM_WORDS: [&str; 7] = ["问题", "不足", "短板", "差距", "薄弱", "有待", "不够"];
const MEASURE_WORDS: [&str; 9] = ["改进", "措施", "整改", "加强", "下一步", "推进", "提升", "完善", "规范"];
/// Fewer characters than this (punctuation and spaces not counted) cannot name a problem and a
/// measure.
const SEC5_MIN_CHARS: usize = 15;

pub(super) static DOC_SEC5: Rule = Rule {
    id: "DOC-SEC5",
    severity: Severity::Warning,
    versions: BOTH,
    title: label(
        "“存在的主要问题及改进情况”写明问题和改进措施",
        "Section 五 names the problems and the measures taken",
    ),
    basis: "practice",
    scope: Scope::Report,
    check: doc_sec5,
};

/// Section 五 that is empty, only “无”, or too short to name a problem and a measure: assessors
/// mark such a report down, and the official form asks for both.
fn doc_sec5(ctx: &mut Ctx<'_>) {
    let meta = &ctx.report.meta;
    if meta.summed_reports.is_some() || meta.tables_only {
        ctx.push(
            None,
            Status::NotAssessable,
            Severity::Warning,
            Vec::new(),
            (None, None),
            Text::new(
                "来源只有表格，不核对第五部分的内容",
                "the source holds the tables only; section 五 is not checked",
            ),
        );
        return;
    }
    let Some(section) = ctx.report.sections.get(SectionKind::Problems) else {
        // A missing section is DOC-SECTIONS' finding.
        return;
    };
    let text: String = section
        .text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。、；：！？（）“”《》…—·".contains(*c))
        .collect();
    let chars = text.chars().count();
    let problem = PROBLEM_WORDS.iter().any(|w| text.contains(w));
    let measure = MEASURE_WORDS.iter().any(|w| text.contains(w));
    let subject = Subject::new(
        None,
        SectionKind::Problems.heading().zh,
        format!("「{}」部分", SectionKind::Problems.heading().zh),
        "Section 五 (main problems and improvements)",
    );
    let (status, zh, en) = if chars < SEC5_MIN_CHARS || matches!(text.as_str(), "无" | "暂无" | "没有") {
        (
            Status::Fail,
            format!(
                "{}内容过于简略（{chars} 字）：应写明存在的主要问题和改进措施",
                subject.zh()
            ),
            format!(
                "{} is too short ({chars} characters): it should name the main problems and the measures taken",
                subject.en()
            ),
        )
    } else if !problem || !measure {
        let missing = match (problem, measure) {
            (false, false) => ("存在的问题和改进措施", "the problems and the measures"),
            (false, true) => ("存在的问题", "the problems"),
            _ => ("改进措施", "the measures"),
        };
        (
            Status::Fail,
            format!("{}未写明{}", subject.zh(), missing.0),
            format!("{} does not name {}", subject.en(), missing.1),
        )
    } else {
        (
            Status::Pass,
            format!("{}写明了存在的问题和改进措施", subject.zh()),
            format!("{} names the problems and the measures", subject.en()),
        )
    };
    ctx.push(
        Some(&subject),
        status,
        Severity::Warning,
        Vec::new(),
        (Some(format!("≥ {SEC5_MIN_CHARS}")), Some(chars.to_string())),
        Text::new(zh, en),
    );
}
