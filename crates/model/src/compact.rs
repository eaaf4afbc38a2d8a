//! A report held in little memory, for batches that keep thousands of them until their output is
//! written.
//!
//! A [`Report`]'s cells are a map from `String` ids to 72-byte [`Cell`]s: about 170 bytes per
//! cell with the map's own entry, some 35 KB per report. A statistics office's batch of 20,000
//! reports would hold 700 MB for figures that are 16-byte decimals. [`CompactReport`] keeps each
//! cell as its position in the catalogue and, in the usual case of a plain whole number that fits
//! in 32 bits, the number alone: 8 bytes a cell. Any other cell is kept whole beside them. It gives
//! the report back unchanged with [`CompactReport::to_report`].

use crate::catalogue::catalogue;
use crate::report::{Cells, Report, Sections};
use crate::value::{Cell, Num};
use std::borrow::Cow;

/// One cell of a compact report, in 8 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompactCell {
    /// A whole number written plainly (no other text, note or unit) that fits in 32 bits, at a
    /// catalogue position: nearly every count.
    Int { position: u16, value: i32 },
    /// Any other cell: its index in [`CompactReport::others`].
    Other(u32),
}

/// A cell that is not a plain 32-bit count, kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OtherCell {
    /// A plain number that is not a 32-bit whole number (an amount), at a catalogue position.
    Plain { position: u16, value: Num },
    /// Any other cell of the catalogue, at its position.
    Other { position: u16, cell: Cell },
    /// A cell whose id the catalogue of the report's format does not know (kept, not judged).
    Unknown(String, Cell),
}

/// A cell at a catalogue position, as [`CompactReport::cells_by_position`] gives it: a plain
/// number is given as the number, so that a batch reading thousands of reports cell by cell does
/// not build a 72-byte [`Cell`] for each count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellAt<'a> {
    /// A whole number written plainly (no other text, note or unit) that fits in 32 bits.
    Count(i32),
    /// Any other number written plainly.
    Plain(Num),
    /// Any other cell.
    Cell(&'a Cell),
}

impl<'a> CellAt<'a> {
    /// The cell itself, built for a plain number.
    pub fn to_cell(self) -> Cow<'a, Cell> {
        match self {
            CellAt::Count(v) => Cow::Owned(Cell::number(Num::from(i64::from(v)))),
            CellAt::Plain(v) => Cow::Owned(Cell::number(v)),
            CellAt::Cell(c) => Cow::Borrowed(c),
        }
    }
}

/// A report whose cells take about 8 bytes each; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactReport {
    /// The report without its cells (and, with [`CompactReport::without_texts`], its texts).
    without_cells: Report,
    /// The cells in their order in the report.
    cells: Box<[CompactCell]>,
    /// The cells that are not plain 32-bit counts.
    others: Vec<OtherCell>,
}

/// The number as a 32-bit integer when it is one and prints as one (`12`, not `12.0` or `-0`).
fn small_int(n: Num) -> Option<i32> {
    let d = n.0;
    if d.scale() != 0 || (d.is_zero() && d.is_sign_negative()) {
        return None;
    }
    i32::try_from(d.mantissa()).ok()
}

impl CompactReport {
    /// Compacts a report; nothing is lost.
    pub fn new(mut report: Report) -> Self {
        let cat = catalogue(report.meta.format);
        let mut others = Vec::new();
        let mut other = |c: OtherCell| {
            others.push(c);
            CompactCell::Other(u32::try_from(others.len() - 1).unwrap_or(u32::MAX))
        };
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
                    ) => match small_int(value) {
                        Some(value) => CompactCell::Int { position, value },
                        None => other(OtherCell::Plain { position, value }),
                    },
                    (Some(position), cell) => other(OtherCell::Other { position, cell }),
                    (None, cell) => other(OtherCell::Unknown(id, cell)),
                }
            })
            .collect();
        others.shrink_to_fit();
        CompactReport {
            without_cells: report,
            cells,
            others,
        }
    }

    /// Drops the preamble and the sections' texts, keeping their headings: for a batch whose
    /// output shows only figures. [`CompactReport::to_report`] then gives the report without them.
    pub fn without_texts(mut self) -> Self {
        self.without_cells.preamble = None;
        let mut sections = Sections::default();
        for kind in crate::SectionKind::ALL {
            if let Some(s) = self.without_cells.sections.get(kind) {
                *sections.slot(kind) = Some(crate::Section {
                    heading: s.heading.clone(),
                    text: String::new(),
                });
            }
        }
        self.without_cells.sections = sections;
        self
    }

    /// The report without its cells (every cell reads blank): its metadata, sections and
    /// 信息处理费.
    pub fn report_without_cells(&self) -> &Report {
        &self.without_cells
    }

    /// The report's cells by catalogue position (`None` where it has none), without rebuilding
    /// the report or a [`Cell`] for each count: what a sum or a table row needs, which read every
    /// cell in form order.
    pub fn cells_by_position(&self) -> Vec<Option<CellAt<'_>>> {
        let mut out = vec![None; catalogue(self.without_cells.meta.format).all_cells().len()];
        for c in &self.cells {
            let (position, cell) = match *c {
                CompactCell::Int { position, value } => (position, CellAt::Count(value)),
                CompactCell::Other(i) => match &self.others[i as usize] {
                    OtherCell::Plain { position, value } => (*position, CellAt::Plain(*value)),
                    OtherCell::Other { position, cell } => (*position, CellAt::Cell(cell)),
                    OtherCell::Unknown(..) => continue,
                },
            };
            if let Some(slot) = out.get_mut(usize::from(position)) {
                *slot = Some(cell);
            }
        }
        out
    }

    /// The report, cells in their original order.
    pub fn to_report(&self) -> Report {
        let cat = catalogue(self.without_cells.meta.format);
        let mut cells = Cells::default();
        cells.0.reserve(self.cells.len());
        let id = |position: u16| cat.all_cells()[usize::from(position)].id.clone();
        for c in &self.cells {
            match *c {
                CompactCell::Int { position, value } => {
                    cells.set(id(position), Cell::number(Num::from(i64::from(value))))
                }
                CompactCell::Other(i) => match &self.others[i as usize] {
                    OtherCell::Plain { position, value } => cells.set(id(*position), Cell::number(*value)),
                    OtherCell::Other { position, cell } => cells.set(id(*position), cell.clone()),
                    OtherCell::Unknown(id, cell) => cells.set(id.clone(), cell.clone()),
                },
            }
        }
        Report {
            cells,
            ..self.without_cells.clone()
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
        r.cells.set(
            ids[4].clone(),
            Cell::number("103.3879".parse::<Num>().expect("decimal")),
        );
        r.cells.set(ids[6].clone(), Cell::number(Num::from(3_000_000_000)));
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
            let cell = cell.map(CellAt::to_cell);
            assert_eq!(cell.as_deref().unwrap_or(&Cell::Blank), r.cell(&def.id), "{}", def.id);
        }
        assert_eq!(by_position.iter().flatten().count(), 7);
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
    fn a_plain_count_takes_8_bytes() {
        assert!(std::mem::size_of::<CompactCell>() <= 8);
    }

    #[test]
    fn only_numbers_that_print_alike_are_kept_small() {
        let num = |s: &str| Num(s.parse().expect("decimal"));
        assert_eq!(small_int(num("12")), Some(12));
        assert_eq!(small_int(num("-3")), Some(-3));
        assert_eq!(small_int(num("12.0")), None);
        for text in ["0", "-0", "7", "-2147483648"] {
            let n = num(text);
            let back = small_int(n).map(|i| Num::from(i64::from(i)));
            assert_eq!(back.map(|b| (b, b.to_string())), Some((n, n.to_string())), "{text}");
        }
        assert_eq!(small_int(num("2147483648")), None);
        assert_eq!(small_int(num("103.3879")), None);
    }
}
