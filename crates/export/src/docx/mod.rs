//! `docx`: the publishable report as a Word document, and the empty official form as Word.
//!
//! Agencies publish the annual report as a Word file. Copying the tables into the official
//! layout by hand is where many arithmetic errors of published reports come from, so this writes
//! the finished document from the checked data: the title, the preamble, the six sections with
//! their canonical headings, and the three tables drawn from the model's printed layout
//! ([`xxgk_model::layout`]) with the merged headers of the official form (`gridSpan`, `vMerge`).
//!
//! The WordprocessingML is written here directly rather than through a document library:
//! docx-rs (the usual choice) cannot mark table header rows to repeat on every page
//! (`w:tblHeader`), numbers its paragraphs from a thread-wide counter so that two exports of the
//! same report differ, and would add second copies of `zip` and `quick-xml` to the build. The
//! handful of parts a report needs are small and fixed; every element below is written in the
//! order the OOXML schema prescribes, because Word refuses files that are out of order where
//! LibreOffice does not. The result is byte-for-byte deterministic (fixed zip timestamps, no
//! generated ids), so a report exported twice gives the same file.
//!
//! Page and type follow the conventions of government documents (GB/T 9704): A4, type area
//! 156 × 225 mm, title in 方正小标宋简体 二号, headings in 黑体 三号, body in 仿宋_GB2312 三号 at
//! a fixed 28 pt line, page numbers “— 1 —” in the footer. The tables use 宋体 10 pt as the
//! official form does. Each Chinese font is listed in the font table with an alternative name
//! and the GB2312 character set, so Word, WPS and LibreOffice substitute a Chinese font on a
//! machine that lacks it instead of showing boxes.

use crate::render::{Part, content_text, parts, title};
use crate::{ExportError, Exporter, ExporterEntry, Options};
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use xxgk_model::layout::{Content, Placed, TableLayout, report_layout};
use xxgk_model::{FormatVersion, Label, Lang, Meta, Report, TableId};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The document of one report, as the bytes of a `.docx` file.
pub fn document(report: &Report) -> Result<Vec<u8>, ExportError> {
    package(report, Mode::Report)
}

/// The empty official form of a format version as a Word document: the headings, the three
/// tables with every cell blank, and an empty paragraph under each text section to write in.
/// `agency` and `year` go into the title when given; otherwise the title says where they go.
pub fn template(version: FormatVersion, agency: Option<&str>, year: Option<u16>) -> Result<Vec<u8>, ExportError> {
    let agency = agency.map(str::trim).filter(|a| !a.is_empty());
    let mut report = Report::new(Meta::new(agency.unwrap_or(AGENCY_BLANK), 0, version));
    report.meta.year = year;
    if year.is_none() {
        report.meta.title = Some(blank_year_title(&report.meta));
    }
    package(&report, Mode::Template)
}

/// Written in the title of the empty form where the agency's name goes.
const AGENCY_BLANK: &str = "（机关名称）";
/// Written in the title of the empty form where the year goes.
const YEAR_BLANK: &str = "（年度）";

/// The standard title with the year left for the user: the model's title with the year
/// replaced, so the wording of the title stays in one place.
fn blank_year_title(meta: &Meta) -> String {
    // The title of a known year, whose digits are then replaced.
    let year = meta.year.unwrap_or(2000);
    let title = Meta {
        year: Some(year),
        ..meta.clone()
    }
    .standard_title();
    let written = format!("{}{year}", meta.agency);
    match title.strip_prefix(&written) {
        Some(rest) => format!("{}{YEAR_BLANK}{rest}", meta.agency),
        None => title,
    }
}

/// Whether the document is a report or the empty form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Report,
    Template,
}

mod page;
mod parts;
mod tables;
mod text;

use page::*;
use parts::*;
use tables::*;
use text::*;

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_model::layout::table_layout;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(esc("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(esc("x\u{1}y\u{FFFF}z\tw"), "xyz\tw");
        let mut xml = String::new();
        runs(&mut xml, "一\n二\t三");
        assert_eq!(
            xml,
            "<w:r><w:t xml:space=\"preserve\">一</w:t></w:r><w:r><w:br/><w:t xml:space=\"preserve\">二</w:t><w:tab/><w:t xml:space=\"preserve\">三</w:t></w:r>"
        );
    }

    #[test]
    fn wide_values_shrink_to_their_cell() {
        // A data column of table 3 is about 620 twips: five digits fit, six do not.
        assert_eq!(fitting_size("12345", 622), None);
        assert_eq!(fitting_size("123456", 622), Some(16));
        assert_eq!(
            fitting_size("22（其中修订16件）", 622),
            Some(MIN_VALUE_SZ),
            "then it wraps"
        );
        assert_eq!(fitting_size("1520", 6634), None);
    }

    #[test]
    fn tables_fill_the_type_area() {
        for v in FormatVersion::ALL {
            for t in TableId::ALL {
                let l = table_layout(v, t);
                let widths = column_widths(&l);
                assert_eq!(widths.len(), l.width as usize);
                assert_eq!(widths.iter().sum::<u32>(), TEXT_W, "{v} {t:?}");
            }
        }
    }

    #[test]
    fn a_long_title_breaks_after_the_agency() {
        let mut r = Report::new(Meta::new("道里区工业信息科技局", 2023, FormatVersion::V2021));
        assert_eq!(title_lines(&r), "道里区工业信息科技局\n2023年政府信息公开工作年度报告");
        r.meta.agency = "某局".into();
        assert_eq!(
            title_lines(&r),
            "某局2023年政府信息公开工作年度报告",
            "fits on one line"
        );
        r.meta.title = Some("关于2023年度政府信息公开工作情况的报告".into());
        assert_eq!(
            title_lines(&r),
            "关于2023年度政府信息公开工作情况的报告",
            "not the agency's title"
        );
    }

    #[test]
    fn the_empty_form_names_what_goes_in_the_title() {
        let mut r = Report::new(Meta::new(AGENCY_BLANK, 0, FormatVersion::V2021));
        r.meta.year = None;
        r.meta.title = Some(blank_year_title(&r.meta));
        assert_eq!(title(&r), "（机关名称）（年度）年政府信息公开工作年度报告");
    }

    #[test]
    fn output_is_deterministic() {
        let a = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("docx");
        let b = template(FormatVersion::V2021, Some("某局"), Some(2023)).expect("docx");
        assert_eq!(a, b);
        assert_eq!(&a[..2], b"PK");
    }
}
