//! What a rule's function is given, and how it emits findings: sums of cells, and findings whose
//! messages are data (not assessable, a comparison, static words) or words.

use super::CheckOptions;
use super::registry::Rule;
use crate::catalogue::{Catalogue, TableId};
use crate::finding::{CellRef, Figure, Finding, Message, ReportRole, Severity, SideName, Status, Subject, Text};
use crate::report::Report;
use crate::value::{Cell, Num};
use std::borrow::Cow;

pub(super) struct Ctx<'a> {
    pub(super) report: &'a Report,
    /// Last year's report, or the sum of the children, for cross-report rules.
    pub(super) other: Option<&'a Report>,
    pub(super) cat: &'static Catalogue,
    pub(super) opts: &'a CheckOptions,
    pub(super) rule: &'static Rule,
    pub(super) out: &'a mut Vec<Finding>,
    /// The report's cells by catalogue position ([`Catalogue::all_cells`]), blank where absent:
    /// made once per report, so that the rules that walk the form or add cells up look each
    /// cell up by position rather than by hashing its id.
    pub(super) cells: &'a [&'a Cell],
    /// The groups of table 3 the report prints alone, without their sub-rows (found once per
    /// report, when a rule first asks: see [`Ctx::groups_alone`]).
    pub(super) alone: &'a std::cell::OnceCell<Vec<&'static crate::catalogue::T3Group>>,
}

/// A report's cells by catalogue position (see [`Ctx::cells`]).
pub(super) fn cells_by_position<'a>(report: &'a Report, cat: &Catalogue) -> Vec<&'a Cell> {
    static BLANK: Cell = Cell::Blank;
    let mut out = vec![&BLANK; cat.all_cells().len()];
    for (id, cell) in report.cells.iter() {
        if let Some(slot) = cat.position(id).and_then(|p| out.get_mut(p)) {
            *slot = cell;
        }
    }
    out
}

/// The sum of some cells, or why it cannot be taken.
pub(super) struct Sum {
    pub(super) value: Option<Num>,
    pub(super) refs: Vec<CellRef>,
    /// Blank or placeholder cells not counted.
    pub(super) empty: usize,
    /// Cells holding text that is no number.
    pub(super) text: usize,
    pub(super) overflow: bool,
}

impl Sum {
    /// A sum of no cells with the given value (a number stated in the text).
    pub(super) fn of_value(value: Num) -> Self {
        Sum {
            value: Some(value),
            refs: Vec::new(),
            empty: 0,
            text: 0,
            overflow: false,
        }
    }
}

/// The subject of a table-3 column in a message: `表三「自然人」列`.
pub(super) fn t3_column_subject(c: &crate::catalogue::T3Column) -> Subject {
    let s = crate::identity::t3_column_subject(c);
    Subject::new(Some(TableId::T3), s.label, s.zh, s.en)
}

impl Ctx<'_> {
    pub(super) fn cell_ref(&self, id: &str) -> CellRef {
        CellRef::of(self.report, id)
    }

    pub(super) fn sum(&self, ids: &[String]) -> Sum {
        self.sum_in(self.report, None, ids)
    }

    /// The sum of cells of `report`; `role` marks cells of a report other than the one checked.
    pub(super) fn sum_in(&self, report: &Report, role: Option<ReportRole>, ids: &[String]) -> Sum {
        let mut s = Sum {
            value: Some(Num::ZERO),
            refs: Vec::with_capacity(ids.len()),
            empty: 0,
            text: 0,
            overflow: false,
        };
        for id in ids {
            let cell = report.cell(id);
            let mut r = CellRef::with_cell(report.meta.format, id, cell);
            r.report = role;
            let v = match cell {
                Cell::Number { value, .. } => Some(*value),
                Cell::Blank | Cell::Placeholder { .. } if self.opts.blank_as_zero => {
                    r.counted_as_zero = true;
                    Some(Num::ZERO)
                }
                Cell::Blank | Cell::Placeholder { .. } => {
                    s.empty += 1;
                    None
                }
                Cell::Text { .. } => {
                    s.text += 1;
                    None
                }
            };
            s.value = match (s.value, v) {
                (Some(acc), Some(v)) => {
                    let next = acc.checked_add(v);
                    s.overflow |= next.is_none();
                    next
                }
                _ => None,
            };
            s.refs.push(r);
        }
        s
    }

    /// Emits a finding whose message is made of words; `outcome` is (expected, found).
    pub(super) fn push(
        &mut self,
        subject: Option<&Subject>,
        status: Status,
        severity: Severity,
        cells: Vec<CellRef>,
        outcome: (Option<String>, Option<String>),
        mut message: Text,
    ) {
        let zeroed = cells.iter().filter(|c| c.counted_as_zero).count();
        if zeroed > 0 {
            message.zh.push_str(&format!("（按0计的空白或占位单元格：{zeroed}个）"));
            message
                .en
                .push_str(&format!(" ({zeroed} blank or placeholder cell(s) counted as 0)"));
        }
        let (expected, found) = outcome;
        self.emit(
            subject.cloned(),
            status,
            severity,
            cells,
            (expected.map(Figure::from), found.map(Figure::from)),
            Message::Text(message),
        );
    }

    /// Emits a finding whose message is data, rendered when it is written.
    pub(super) fn emit(
        &mut self,
        subject: Option<Subject>,
        status: Status,
        severity: Severity,
        cells: Vec<CellRef>,
        (expected, found): (Option<Figure>, Option<Figure>),
        message: Message,
    ) {
        self.out.push(Finding {
            rule: Cow::Borrowed(self.rule.id),
            severity,
            status,
            table: subject.as_ref().and_then(Subject::table),
            subject,
            cells,
            expected,
            found,
            message,
        });
    }

    /// Emits a not-assessable finding for sums that could not be taken; returns whether it did.
    pub(super) fn unassessable(&mut self, subject: &Subject, sums: &[&Sum]) -> bool {
        let overflow = sums.iter().any(|s| s.overflow);
        if sums.iter().all(|s| s.empty == 0 && s.text == 0) && !overflow {
            return false;
        }
        let cells = sums.iter().flat_map(|s| s.refs.iter().cloned()).collect();
        self.emit(
            Some(subject.clone()),
            Status::NotAssessable,
            self.rule.severity,
            cells,
            (None, None),
            Message::NotAssessable { overflow },
        );
        true
    }

    /// A check that holds, when passes are only counted (`brief_passes`): neither its cells nor
    /// its words are built.
    pub(super) fn brief_pass(&mut self, subject: Subject) {
        self.emit(
            Some(subject),
            Status::Pass,
            self.rule.severity,
            Vec::new(),
            (None, None),
            Message::Fixed("", ""),
        );
    }

    /// Checks `Σ lhs = Σ rhs` within the report and emits one finding.
    pub(super) fn identity(
        &mut self,
        subject: Subject,
        lhs_name: SideName,
        lhs: &[String],
        rhs_name: SideName,
        rhs: &[String],
    ) {
        if self.opts.brief_passes
            && let (Some(l), Some(r)) = (self.plain_sum(lhs), self.plain_sum(rhs))
            && l == r
        {
            self.brief_pass(subject);
            return;
        }
        let l = self.sum(lhs);
        let r = self.sum(rhs);
        self.compare(&subject, lhs_name, l, rhs_name, r);
    }

    /// The sum of cells that all hold numbers, without building their references; `None` when
    /// one does not (a blank counted as 0 must be said so), which [`Ctx::sum`] then reports.
    pub(super) fn plain_sum(&self, ids: &[String]) -> Option<Num> {
        ids.iter().try_fold(Num::ZERO, |acc, id| match self.report.cell(id) {
            Cell::Number { value, .. } => acc.checked_add(*value),
            _ => None,
        })
    }

    /// [`Ctx::plain_sum`] of cells given by catalogue position.
    pub(super) fn plain_sum_at(&self, positions: &[usize]) -> Option<Num> {
        positions
            .iter()
            .try_fold(Num::ZERO, |acc, &p| match self.cells.get(p).copied() {
                Some(Cell::Number { value, .. }) => acc.checked_add(*value),
                _ => None,
            })
    }

    /// The groups of table 3 the report prints as one row without their sub-rows
    /// ([`crate::catalogue::T3Group::printed_alone`]).
    pub(super) fn groups_alone(&self) -> &[&'static crate::catalogue::T3Group] {
        self.alone.get_or_init(|| {
            let printed = |id: &str| !matches!(self.report.cell(id), Cell::Blank);
            self.cat.t3_groups.iter().filter(|g| g.printed_alone(printed)).collect()
        })
    }

    /// The cell at a catalogue position (blank when absent).
    pub(super) fn cell_at(&self, position: usize) -> &Cell {
        self.cells.get(position).copied().unwrap_or(&Cell::Blank)
    }

    /// Emits one finding on whether two sums are equal. `found` is the left, `expected` the right.
    pub(super) fn compare(
        &mut self,
        subject: &Subject,
        lhs_name: impl Into<SideName>,
        l: Sum,
        rhs_name: impl Into<SideName>,
        r: Sum,
    ) {
        if self.unassessable(subject, &[&l, &r]) {
            return;
        }
        let (Some(lv), Some(rv)) = (l.value, r.value) else {
            return;
        };
        let mut cells = l.refs;
        cells.extend(r.refs);
        let status = if lv == rv { Status::Pass } else { Status::Fail };
        self.emit(
            Some(subject.clone()),
            status,
            self.rule.severity,
            cells,
            (Some(Figure::Num(rv)), Some(Figure::Num(lv))),
            Message::Compare {
                lhs: lhs_name.into(),
                rhs: rhs_name.into(),
            },
        );
    }

    /// One pass finding for a rule that checks many cells and found nothing wrong.
    pub(super) fn pass_all(&mut self, zh: &'static str, en: &'static str) {
        self.emit(
            None,
            Status::Pass,
            self.rule.severity,
            Vec::new(),
            (None, None),
            Message::Fixed(zh, en),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogue;
    use crate::report::Meta;
    use crate::version::FormatVersion;

    /// The rules read cells by position; what they read must be what the report holds under
    /// the cell's id, blank where it holds nothing, for every cell of both forms.
    #[test]
    fn cells_by_position_are_the_cells_by_id() {
        for v in FormatVersion::ALL {
            let cat = catalogue(v);
            let mut r = Report::new(Meta::new("某局", 2023, v));
            for (i, d) in cat.all_cells().iter().enumerate().filter(|(i, _)| i % 3 != 1) {
                let cell = if i % 3 == 0 {
                    Cell::number(i as i64)
                } else {
                    Cell::Text { raw: d.id.clone() }
                };
                r.cells.set(d.id.clone(), cell);
            }
            // An id the form does not list is not read.
            r.cells.set("t9.unknown", Cell::number(7i64));
            let by_position = cells_by_position(&r, cat);
            assert_eq!(by_position.len(), cat.all_cells().len());
            for (p, d) in cat.all_cells().iter().enumerate() {
                assert_eq!(by_position[p], r.cell(&d.id), "{}", d.id);
            }
            // Every identity's positions name its ids.
            for side in cat.identities().iter().flat_map(|i| [&i.lhs, &i.rhs]) {
                let ids: Vec<&str> = side.positions.iter().map(|&p| cat.all_cells()[p].id.as_str()).collect();
                assert_eq!(ids, side.ids, "{}", side.zh);
            }
        }
    }
}
