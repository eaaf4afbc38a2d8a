//! A batch of reports as a statistics office handles it, with no I/O: duplicates found and left
//! out, last year's reports matched and compared, failing reports excluded on request, one sum
//! per format and year checked by the same rules, the parent compared with its sum, and the
//! outcome and totals that every front end (the command line, a web page, another program) shows.
//! The front end reads the files (in parallel or not) and prints; the batch logic lives here.

use crate::aggregate::{AggregateError, AggregateOptions, CellwiseSum};
use crate::batch::{duplicates, match_reports};
use crate::compact::CompactReport;
use crate::finding::{Finding, SourceMap, Status};
use crate::output::{BatchReport, Counts, MatchedPair, MatchingSummary, Outcome, SumResult, Summary};
use crate::report::{Meta, Report};
use crate::rules::{CheckOptions, check, check_duplicate, check_with_children, check_with_previous};
use crate::version::{FormatVersion, Lang};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a report of a batch is not counted in the sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The same agency and year is already in the batch.
    Duplicate,
    /// A rule failed and the user asked to leave failing reports out (`--exclude-failing`).
    Failing,
    /// The parent's own report, compared with the sum rather than added to it.
    Parent,
}

/// Which of several reports of the same agency and year is counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The one modified last (by the file's modification time; the first when none is known).
    #[default]
    Newest,
    /// The first in input order.
    First,
    /// The last in input order.
    Last,
}

/// Words in a file name that mark a corrected copy, which is counted before the others.
const CORRECTED: [&str; 6] = ["修改后", "修订后", "更正", "修正", "最终版", "终稿"];

/// Whether a file's name says that it is a corrected copy (“02-区教育局（修改后）.xlsx”).
pub fn is_corrected_copy(file: &str) -> bool {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    CORRECTED.iter().any(|w| name.contains(w))
}

/// One report of a batch: kept compactly, with the findings that need attention (passed checks
/// are only counted, so that a batch of thousands keeps what matters), and whether it is summed.
#[derive(Debug, Clone)]
pub struct BatchEntry {
    /// The file it came from.
    pub file: String,
    /// The report.
    pub report: CompactReport,
    /// Counts of all its findings, passes included.
    pub counts: Counts,
    /// Its findings that did not pass.
    pub findings: Vec<Finding>,
    /// Why it is not summed, if it is not.
    pub excluded: Option<Exclusion>,
    /// When its file was last modified (seconds since 1970), where the front end knows it: it
    /// chooses the copy counted among duplicates ([`Keep::Newest`]).
    pub modified: Option<i64>,
}

impl BatchEntry {
    /// An entry of `file` with the findings made so far.
    pub fn new(file: impl Into<String>, report: CompactReport, findings: Vec<Finding>) -> Self {
        let mut e = BatchEntry {
            file: file.into(),
            report,
            counts: Counts::default(),
            findings: Vec::new(),
            excluded: None,
            modified: None,
        };
        e.add(findings);
        e
    }

    /// Counts new findings and keeps those that did not pass.
    pub fn add(&mut self, findings: Vec<Finding>) {
        self.counts.add(Counts::of(&findings));
        self.findings
            .extend(findings.into_iter().filter(|f| f.status != Status::Pass));
        // Kept until the batch is written: a vector grown to four for one finding holds 600
        // bytes for nothing, 12 MB over 20,000 reports.
        self.findings.shrink_to_fit();
    }

    /// The report's line of the batch's result.
    pub fn result(&self, strict: bool) -> BatchReport {
        let meta = &self.report.report_without_cells().meta;
        BatchReport {
            file: self.file.clone(),
            agency: meta.agency.clone(),
            year: meta.year,
            origins: meta.origins.clone(),
            format: meta.format,
            outcome: Outcome::of(&self.findings, strict),
            counts: self.counts,
            included: self.excluded.is_none(),
            excluded_because: self.excluded,
            findings: self.findings.clone(),
        }
    }
}

/// One sum of a batch: the summed report, its findings (all, passes included) and its result.
#[derive(Debug, Clone)]
pub struct GroupSum {
    /// The cell-wise sum, checked like any report.
    pub report: Report,
    /// Its findings.
    pub findings: Vec<Finding>,
    /// Its line of the batch's result.
    pub result: SumResult,
    /// The entries summed, in the order of the gaps' report indices.
    pub members: Vec<usize>,
}

impl GroupSum {
    /// The inputs behind each gap of the sum, as (file, cell id, why): the files are named from
    /// the batch's `entries`.
    pub fn gap_files<'e>(&self, entries: &'e [BatchEntry]) -> Vec<(&'e str, &str, crate::aggregate::GapReason)> {
        let mut out = Vec::new();
        for g in &self.result.gaps {
            for &i in &g.reports {
                if let Some(e) = self.members.get(i).and_then(|&m| entries.get(m)) {
                    out.push((e.file.as_str(), g.cell.as_str(), g.reason));
                }
            }
        }
        out
    }

    /// The sum as the official form is to show it: the summed report with a preamble that says it
    /// is a sum of so many reports, what its checks found, and which cells could not be summed
    /// in full (with the files concerned), so that no form is presented as complete when it is
    /// not. `entries` are the batch's entries, from which the files are named.
    pub fn official_report(&self, entries: &[BatchEntry]) -> Report {
        use std::fmt::Write as _;
        const FILES_SHOWN: usize = 10;
        let r = &self.result;
        let mut text = String::new();
        let year = crate::report::year_text(r.year, Lang::Zh);
        let verdict = match r.outcome {
            Outcome::Pass if !self.result.gaps.is_empty() => "通过（但有未计入合计的单元格，见下）",
            other => other.word(Lang::Zh),
        };
        let _ = writeln!(
            text,
            "本表为 {} 份报告的逐格合计（{year}，{}版格式），由 xxgk 生成，不是任何单位报送的原件。",
            r.reports,
            r.format.code()
        );
        let _ = writeln!(
            text,
            "合计核对结果：{verdict}；错误 {}，警告 {}，无法核对 {}。",
            r.counts.errors, r.counts.warnings, r.counts.not_assessable
        );
        for (n, f) in r.findings.iter().enumerate() {
            let _ = writeln!(text, "{}. [{}] {}", n + 1, f.rule, f.text(Lang::Zh));
        }
        if !r.gaps.is_empty() {
            let _ = writeln!(text, "以下 {} 处单元格未能全部计入合计，合计数不完整：", r.gaps.len());
            let cat = crate::catalogue::catalogue(r.format);
            for g in &r.gaps {
                let label = cat.cell(&g.cell).map_or_else(
                    || g.cell.clone(),
                    |d| format!("{} {}", d.table.name(crate::Lang::Zh), d.short_label(crate::Lang::Zh)),
                );
                let why = match (g.reason, g.counted_as_zero) {
                    (crate::aggregate::GapReason::Blank, true) => "空白，按 0 计入",
                    (crate::aggregate::GapReason::Blank, false) => "空白或占位符，未计入",
                    (crate::aggregate::GapReason::Text, _) => "文字而非数字，未计入",
                    (crate::aggregate::GapReason::Unit, _) => "单位与本栏不符，未计入",
                };
                let files: Vec<&str> = g
                    .reports
                    .iter()
                    .filter_map(|&i| self.members.get(i).and_then(|&m| entries.get(m)))
                    .map(|e| e.file.as_str())
                    .take(FILES_SHOWN)
                    .collect();
                let more = g.reports.len().saturating_sub(FILES_SHOWN);
                let more = if more > 0 {
                    format!(" 等，另有 {more} 份")
                } else {
                    String::new()
                };
                let _ = writeln!(text, "- {label}（{}）：{why}——{}{more}", g.cell, files.join("、"));
            }
        }
        let mut report = self.report.clone();
        report.preamble = Some(text.trim_end().to_string());
        report
    }
}

/// A batch of reports being aggregated.
#[derive(Debug, Clone)]
pub struct Aggregation {
    /// The reports, in input order.
    pub entries: Vec<BatchEntry>,
    /// How the rules are run.
    pub check: CheckOptions,
    /// Whether a failed warning counts as a failure.
    pub strict: bool,
}

impl Aggregation {
    /// A batch of `entries` checked with `check`.
    pub fn new(entries: Vec<BatchEntry>, check: CheckOptions, strict: bool) -> Self {
        Aggregation { entries, check, strict }
    }

    /// The same agency and year twice: one copy is counted — a corrected copy (its file name says
    /// “修改后”, “更正”…) before the others, then the one `keep` chooses — and every other gets a
    /// finding naming the copy counted and why, and stays out of the sums.
    pub fn mark_duplicates(&mut self, keep: Keep) {
        let reports: Vec<&Report> = self.entries.iter().map(|e| e.report.report_without_cells()).collect();
        // Copies grouped under the first of each agency and year.
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (later, first) in duplicates(&reports) {
            groups.entry(first).or_insert_with(|| vec![first]).push(later);
        }
        let mut found: Vec<(usize, Vec<Finding>)> = Vec::new();
        for copies in groups.into_values() {
            let corrected: Vec<usize> = copies
                .iter()
                .copied()
                .filter(|&i| is_corrected_copy(&self.entries[i].file))
                .collect();
            let candidates = if corrected.is_empty() { &copies } else { &corrected };
            let chosen = match keep {
                Keep::First => candidates[0],
                Keep::Last => candidates[candidates.len() - 1],
                Keep::Newest => candidates
                    .iter()
                    .copied()
                    .max_by_key(|&i| (self.entries[i].modified, std::cmp::Reverse(i)))
                    .unwrap_or(candidates[0]),
            };
            let why = if !corrected.is_empty() && corrected.len() < copies.len() {
                (
                    "文件名表明是修改后的版本",
                    "its file name says it is the corrected copy",
                )
            } else {
                match keep {
                    Keep::Newest if self.entries[chosen].modified.is_some() => ("修改时间最新", "it was modified last"),
                    Keep::Newest | Keep::First => ("输入顺序在先", "it comes first"),
                    Keep::Last => ("输入顺序在后（--keep last）", "it comes last (--keep last)"),
                }
            };
            for &i in copies.iter().filter(|&&i| i != chosen) {
                let mut findings = check_duplicate(
                    &self.entries[i].report.to_report(),
                    &self.entries[chosen].report.to_report(),
                    &self.check,
                );
                let src = &self.entries[i].file;
                for f in &mut findings {
                    f.append(
                        &format!("；计入合计的是 {}（{}）（{src}）", self.entries[chosen].file, why.0),
                        &format!(
                            "; the copy counted is {} ({}) ({src})",
                            self.entries[chosen].file, why.1
                        ),
                    );
                }
                found.push((i, findings));
            }
        }
        for (i, findings) in found {
            self.entries[i].add(findings);
            self.entries[i].excluded = Some(Exclusion::Duplicate);
        }
    }

    /// Matches the reports to last year's and runs the cross-year rules on each pair.
    pub fn compare_with_previous(&mut self, previous: &[BatchEntry]) -> MatchingSummary {
        // A duplicate is not matched: its counted copy stands for the agency.
        let counted: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].excluded != Some(Exclusion::Duplicate))
            .collect();
        let cur: Vec<&Meta> = counted
            .iter()
            .map(|&i| &self.entries[i].report.report_without_cells().meta)
            .collect();
        let prev: Vec<&Meta> = previous.iter().map(|e| &e.report.report_without_cells().meta).collect();
        let mut m = match_reports(&cur, &prev);
        for p in &mut m.pairs {
            p.0 = counted[p.0];
        }
        for i in &mut m.unmatched_current {
            *i = counted[*i];
        }
        let label = |e: &BatchEntry| format!("{}: {}", e.file, e.report.report_without_cells().meta.agency);
        let summary = MatchingSummary {
            previous_reports: previous.len(),
            matched: m
                .pairs
                .iter()
                .map(|&(i, j, basis)| MatchedPair {
                    current: self.entries[i].file.clone(),
                    previous: previous[j].file.clone(),
                    basis,
                })
                .collect(),
            unmatched_current: m.unmatched_current.iter().map(|&i| label(&self.entries[i])).collect(),
            unmatched_previous: m.unmatched_previous.iter().map(|&j| label(&previous[j])).collect(),
        };
        for &(i, j, _) in &m.pairs {
            let findings = check_with_previous(
                &self.entries[i].report.to_report(),
                &previous[j].report.to_report(),
                &self.check,
            );
            self.entries[i].add(findings);
        }
        summary
    }

    /// Leaves the reports with a failed rule out of the sums.
    pub fn exclude_failing(&mut self) {
        let strict = self.strict;
        for e in &mut self.entries {
            if e.excluded.is_none() && e.findings.iter().any(|f| f.is_failure(strict)) {
                e.excluded = Some(Exclusion::Failing);
            }
        }
    }

    /// One sum per format version and year of the reports counted, each checked by the same
    /// rules as a single report. Reports of different layouts cannot be added cell by cell;
    /// reports whose year is unknown are summed apart. A sum is named `agency`, with its year and
    /// format when there are several or its year is unknown.
    pub fn sums(&self, agency: &str, opts: AggregateOptions) -> Result<Vec<GroupSum>, AggregateError> {
        let mut groups: BTreeMap<(FormatVersion, Option<u16>), Vec<usize>> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate().filter(|(_, e)| e.excluded.is_none()) {
            let meta = &e.report.report_without_cells().meta;
            groups.entry((meta.format, meta.year)).or_default().push(i);
        }
        let several = groups.len() > 1;
        let mut out = Vec::new();
        for ((format, year), members) in groups {
            let name = if several || year.is_none() {
                let year = crate::report::year_text(year, Lang::Zh);
                format!("{agency}（{year}，{}版）", format.code())
            } else {
                agency.to_string()
            };
            let mut sum = CellwiseSum::new(format, year, opts);
            for &i in &members {
                sum.add_compact(&self.entries[i].report)?;
            }
            let agg = sum.finish(&name)?;
            let findings = check(&agg.report, &self.check);
            let result = SumResult {
                format,
                year,
                reports: members.len(),
                outcome: Outcome::of(&findings, self.strict),
                counts: Counts::of(&findings),
                gaps: agg.gaps,
                findings: findings.iter().filter(|f| f.status != Status::Pass).cloned().collect(),
            };
            out.push(GroupSum {
                report: agg.report,
                findings,
                result,
                members,
            });
        }
        Ok(out)
    }

    /// The parent's own report (its import and rule findings, located, in `findings`) compared
    /// with the sum of its format and year, as an entry excluded from the sums; `sources` locates
    /// the comparison's cells in the parent's file.
    pub fn check_parent(
        &self,
        file: impl Into<String>,
        parent: Report,
        mut findings: Vec<Finding>,
        sources: &SourceMap,
        sums: &[GroupSum],
    ) -> BatchEntry {
        let sum = sums
            .iter()
            .find(|s| s.report.meta.format == parent.meta.format && s.report.meta.year == parent.meta.year);
        if let Some(sum) = sum {
            let mut children = check_with_children(&parent, &sum.report, &self.check);
            sources.locate(&mut children);
            findings.extend(children);
        }
        let mut entry = BatchEntry::new(file, CompactReport::new(parent), findings);
        entry.excluded = Some(Exclusion::Parent);
        entry
    }

    /// The totals of the batch: reports by outcome and findings, with the files given.
    pub fn summary(&self, files: usize, unreadable: usize, skipped: usize) -> Summary {
        let mut summary = Summary {
            files,
            unreadable,
            skipped,
            ..Default::default()
        };
        for e in &self.entries {
            summary.add(Outcome::of(&e.findings, self.strict), e.counts);
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::catalogue;
    use crate::value::Cell;

    fn entry(agency: &str, file: &str, new_received: i64) -> BatchEntry {
        let mut r = Report::new(Meta::new(agency, 2023, FormatVersion::V2021));
        for d in catalogue(FormatVersion::V2021).cells() {
            r.cells.set(d.id.clone(), Cell::number(0));
        }
        r.cells
            .set("t3.new_received.natural_person", Cell::number(new_received));
        r.meta.source = Some(file.to_string());
        r.meta.tables_only = true;
        let findings = check(&r, &CheckOptions::default());
        BatchEntry::new(file, CompactReport::new(r), findings)
    }

    #[test]
    fn duplicates_and_failing_reports_stay_out_of_the_sum() {
        let mut batch = Aggregation::new(
            vec![
                entry("甲局", "a.xlsx", 0),
                entry("甲局", "a-copy.xlsx", 0),
                entry("乙局", "b.xlsx", 5),
            ],
            CheckOptions::default(),
            false,
        );
        batch.mark_duplicates(Keep::Newest);
        assert_eq!(batch.entries[1].excluded, Some(Exclusion::Duplicate));
        assert!(
            batch.entries[1]
                .findings
                .iter()
                .any(|f| f.text(crate::version::Lang::En).contains("(a-copy.xlsx)"))
        );
        batch.exclude_failing();
        assert_eq!(
            batch.entries[2].excluded,
            Some(Exclusion::Failing),
            "乙局 breaks T3-BAL"
        );
        let sums = batch.sums("汇总", AggregateOptions::default()).expect("sum");
        assert_eq!(sums.len(), 1);
        assert_eq!(sums[0].result.reports, 1);
        assert_eq!(sums[0].report.meta.agency, "汇总");
        let s = batch.summary(3, 0, 0);
        assert_eq!((s.reports, s.passed, s.failed), (3, 1, 2));
        let json = serde_json::to_value(batch.entries[1].result(false)).expect("json");
        assert_eq!(json["excluded_because"], "duplicate");
    }

    #[test]
    fn the_copy_counted_is_the_corrected_one_then_the_one_chosen() {
        let copies = || {
            let mut v = vec![
                entry("甲局", "01-甲局.xlsx", 0),
                entry("甲局", "02-甲局（修改后）.xlsx", 0),
                entry("甲局", "03-甲局.xlsx", 0),
            ];
            v[0].modified = Some(300);
            v[1].modified = Some(100);
            v[2].modified = Some(200);
            v
        };
        // A corrected copy wins whatever --keep says, and the others say so.
        for keep in [Keep::Newest, Keep::First, Keep::Last] {
            let mut batch = Aggregation::new(copies(), CheckOptions::default(), false);
            batch.mark_duplicates(keep);
            let excluded: Vec<bool> = batch.entries.iter().map(|e| e.excluded.is_some()).collect();
            assert_eq!(excluded, [true, false, true], "{keep:?}");
            let dup = |e: &BatchEntry| {
                e.findings
                    .iter()
                    .find(|f| f.rule == "X-BATCH-DUP")
                    .map(|f| f.texts())
                    .expect("a duplicate finding")
            };
            assert!(
                dup(&batch.entries[0])
                    .zh
                    .contains("02-甲局（修改后）.xlsx（文件名表明是修改后的版本）")
            );
        }
        // Without one: newest by modification time, first, or last.
        for (keep, counted) in [(Keep::Newest, 0), (Keep::First, 0), (Keep::Last, 2)] {
            let mut v = copies();
            v[1].file = "02-甲局.xlsx".into();
            v[0].modified = Some(100);
            v[2].modified = Some(if keep == Keep::Newest { 50 } else { 900 });
            v[1].modified = Some(if keep == Keep::Newest { 10 } else { 900 });
            let mut batch = Aggregation::new(v, CheckOptions::default(), false);
            batch.mark_duplicates(keep);
            let kept: Vec<usize> = (0..3).filter(|&i| batch.entries[i].excluded.is_none()).collect();
            assert_eq!(kept, [counted], "{keep:?}");
        }
        let mut v = copies();
        v[1].file = "02-甲局.xlsx".into();
        let mut batch = Aggregation::new(v, CheckOptions::default(), false);
        batch.mark_duplicates(Keep::Newest);
        assert!(batch.entries[0].excluded.is_none(), "modified last (300)");
        let dup = batch.entries[1]
            .findings
            .iter()
            .find(|f| f.rule == "X-BATCH-DUP")
            .expect("dup");
        assert!(
            dup.text(crate::version::Lang::En).contains("modified last"),
            "{}",
            dup.text(crate::version::Lang::En)
        );
        // A duplicate is not also unmatched against last year.
        let m = batch.compare_with_previous(&[entry("甲局", "去年.xlsx", 0)]);
        assert!(m.unmatched_current.is_empty(), "{:?}", m.unmatched_current);
        assert_eq!(m.matched.len(), 1);
        assert_eq!(m.matched[0].current, "01-甲局.xlsx");
    }
}
