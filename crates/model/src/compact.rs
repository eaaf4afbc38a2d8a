//! A report held in little memory, for batches that keep thousands of them until their output is
//! written.
//!
//! A [`Report`]'s cells are a map from `String` ids to 72-byte [`Cell`]s: about 170 bytes per
//! cell with the map's own entry, some 35 KB per report. A statistics office's batch of 20,000
//! reports would hold 700 MB for figures that are 16-byte decimals. [`CompactReport`] keeps each
//! cell as its position in the catalogue and, in the usual case of a plain number, the number
//! alone (24 bytes), and gives the report back unchanged with [`CompactReport::to_report`].

use crate::catalogue::catalogue;
use crate::report::{Cells, Report, Sections};
use crate::value::{Cell, Num};
use std::borrow::Cow;

/// One cell of a compact report.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CompactCell {
    /// A number written plainly (no other text, note or unit), at a catalogue position.
    Plain { position: u16, value: Num },
    /// Any other cell of the catalogue, at its position.
    Other { position: u16, cell: Box<Cell> },
    /// A cell whose id the catalogue of the report's format does not know (kept, not judged).
    Unknown(Box<(String, Cell)>),
}

/// A report whose cells take about 24 bytes each; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactReport {
    /// The report without its cells (and, with [`CompactReport::without_texts`], its texts).
    shell: Report,
    /// The cells in their order in the report.
    cells: Vec<CompactCell>,
}

impl CompactReport {
    /// Compacts a report; nothing is lost.
    pub fn new(mut report: Report) -> Self {
        let cat = catalogue(report.meta.format);
        let cells = std::mem::take(&mut report.cells)
            .0
            .into_iter()
            .map(|(id, cell)| {
                let position = cat.position(&id).and_then(|p| u16::try_from(p).ok());
                match (position, cell) {
                    (
                        Some(position),
                        Cell::Number {
                            value,
                            raw: None,
                            annotation: None,
                            unit: None,
                        },
                    ) => CompactCell::Plain { position, value },
                    (Some(position), cell) => CompactCell::Other {
                        position,
                        cell: Box::new(cell),
                    },
                    (None, cell) => CompactCell::Unknown(Box::new((id, cell))),
                }
            })
            .collect();
        CompactReport { shell: report, cells }
    }

    /// Drops the preamble and the sections' texts, keeping their headings: for a batch whose
    /// output shows only figures. [`CompactReport::to_report`] then gives the report without them.
    pub fn without_texts(mut self) -> Self {
        self.shell.preamble = None;
        let mut sections = Sections::default();
        for kind in crate::SectionKind::ALL {
            if let Some(s) = self.shell.sections.get(kind) {
                *sections.slot(kind) = Some(crate::Section {
                    heading: s.heading.clone(),
                    text: String::new(),
                });
            }
        }
        self.shell.sections = sections;
        self
    }

    /// The report without its cells: its metadata, sections and 信息处理费.
    pub fn shell(&self) -> &Report {
        &self.shell
    }

    /// The report's cells by catalogue position (`None` where it has none), without rebuilding
    /// the report: what a sum or a table row needs, which read every cell in form order.
    pub fn cells_by_position(&self) -> Vec<Option<Cow<'_, Cell>>> {
        let mut out = vec![None; catalogue(self.shell.meta.format).cells().len()];
        for c in &self.cells {
            match c {
                CompactCell::Plain { position, value } => {
                    out[usize::from(*position)] = Some(Cow::Owned(Cell::number(*value)))
                }
                CompactCell::Other { position, cell } => out[usize::from(*position)] = Some(Cow::Borrowed(&**cell)),
                CompactCell::Unknown(_) => {}
            }
        }
        out
    }

    /// The report, cells in their original order.
    pub fn to_report(&self) -> Report {
        let cat = catalogue(self.shell.meta.format);
        let mut cells = Cells::default();
        cells.0.reserve(self.cells.len());
        let id = |position: u16| cat.cells()[usize::from(position)].id.clone();
        for c in &self.cells {
            match c {
                CompactCell::Plain { position, value } => cells.set(id(*position), Cell::number(*value)),
                CompactCell::Other { position, cell } => cells.set(id(*position), (**cell).clone()),
                CompactCell::Unknown(entry) => cells.set(entry.0.clone(), entry.1.clone()),
            }
        }
        Report {
            cells,
            ..self.shell.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FormatVersion, Meta, MoneyUnit};

    fn sample() -> Report {
        let mut r = Report::new(Meta::new("某局", 2023, FormatVersion::V2021));
        let ids: Vec<String> = catalogue(FormatVersion::V2021)
            .cells()
            .iter()
            .map(|d| d.id.clone())
            .collect();
        // Out of form order on purpose: the order must come back as it was.
        r.cells.set(ids[5].clone(), Cell::number(Num::from(7)));
        r.cells.set(ids[0].clone(), Cell::number(Num::from(12)));
        r.cells.set(
            ids[1].clone(),
            Cell::Number {
                value: Num::from(3),
                raw: Some("３".into()),
                annotation: Some("其中修订1件".into()),
                unit: Some(MoneyUnit::WanYuan),
            },
        );
        r.cells.set(ids[2].clone(), Cell::Placeholder { raw: "/".into() });
        r.cells.set(
            ids[3].clone(),
            Cell::Text {
                raw: "见说明".into()
            },
        );
        r.cells.set("t9.unknown", Cell::number(Num::from(1)));
        r.preamble = Some("依据《条例》编制".into());
        *r.sections.slot(crate::SectionKind::General) = Some(crate::Section {
            heading: "一、总体情况".into(),
            text: "本年度……".into(),
        });
        r
    }

    #[test]
    fn cells_by_position_match_the_rebuilt_report() {
        let c = CompactReport::new(sample());
        let r = c.to_report();
        let by_position = c.cells_by_position();
        for (def, cell) in catalogue(FormatVersion::V2021).cells().iter().zip(&by_position) {
            assert_eq!(cell.as_deref().unwrap_or(&Cell::Blank), r.cell(&def.id), "{}", def.id);
        }
        assert_eq!(by_position.iter().flatten().count(), 5);
    }

    #[test]
    fn a_compact_report_gives_back_the_same_report() {
        let r = sample();
        assert_eq!(CompactReport::new(r.clone()).to_report(), r);
    }

    #[test]
    fn without_texts_keeps_figures_and_headings() {
        let r = sample();
        let back = CompactReport::new(r.clone()).without_texts().to_report();
        assert_eq!(back.cells, r.cells);
        assert_eq!(back.meta, r.meta);
        assert_eq!(back.preamble, None);
        let general = back.sections.get(crate::SectionKind::General).expect("heading kept");
        assert_eq!((general.heading.as_str(), general.text.as_str()), ("一、总体情况", ""));
    }

    #[test]
    fn a_plain_cell_takes_24_bytes() {
        assert!(std::mem::size_of::<CompactCell>() <= 24);
    }
}
