//! `cargo xtask bench [N]`: times `xxgk aggregate` (release) on N generated department workbooks
//! against a floor — a program that only opens each workbook with calamine and reads every used
//! cell of every sheet — and prints workbooks per second, the ratio to the floor and peak memory.
//! With `--blanks` the workbooks leave every 0 blank, as many provincial templates do: most checks
//! are then not assessable, and their findings are what a batch keeps.

use anyhow::{Context, Result, bail};
use calamine::{Reader, open_workbook_auto_from_rs};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use xxgk_model::catalogue::{T3_COLUMNS, T3RowRole, T4_GROUPS, T4_OUTCOMES, T4_TOTAL};
use xxgk_model::{Cell, FormatVersion, Meta, Num, Report, Section, SectionKind, catalogue};

/// A small deterministic generator (xorshift), so every run measures the same workbooks.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Mostly small numbers and many zeros, like real department reports.
    fn count(&mut self, max: u64) -> i64 {
        if self.next().is_multiple_of(3) {
            0
        } else {
            (self.next() % (max + 1)) as i64
        }
    }
}

/// A random V2021 report that satisfies every table identity.
pub(crate) fn random_report(i: usize, rng: &mut Rng) -> Report {
    let mut r = Report::new(Meta::new(format!("示例区第{i}部门"), 2025, FormatVersion::V2021));
    for kind in [SectionKind::General, SectionKind::Problems, SectionKind::Other] {
        *r.sections.slot(kind) = Some(Section::canonical(kind, format!("第{i}部门{}。", kind.heading().zh)));
    }
    let cat = catalogue(FormatVersion::V2021);
    let set = |r: &mut Report, id: String, v: i64| r.cells.set(id, Cell::number(Num::int(v)));
    for (_, row, col) in cat.t2_cells() {
        let v = if col.kind.is_money() { 0 } else { rng.count(50) };
        set(&mut r, format!("t2.{}.{}", row.key, col.key), v);
    }
    let applicants: Vec<&str> = T3_COLUMNS.iter().map(|c| c.key).filter(|k| *k != "total").collect();
    let mut results = vec![0i64; applicants.len()];
    for row in cat.t3_rows_with(T3RowRole::Result) {
        let mut total = 0;
        for (j, a) in applicants.iter().enumerate() {
            let v = if rng.next().is_multiple_of(4) { rng.count(5) } else { 0 };
            results[j] += v;
            total += v;
            set(&mut r, format!("t3.{}.{a}", row.key), v);
        }
        set(&mut r, format!("t3.{}.total", row.key), total);
    }
    let mut totals = [0i64; 4];
    for (j, a) in applicants.iter().enumerate() {
        let forward = rng.count(3);
        let over = rng.count(3).min(results[j] + forward);
        let new = results[j] + forward - over;
        for (k, (row, v)) in [
            ("new_received", new),
            ("carried_over", over),
            ("results_total", results[j]),
            ("carried_forward", forward),
        ]
        .into_iter()
        .enumerate()
        {
            totals[k] += v;
            set(&mut r, format!("t3.{row}.{a}"), v);
        }
    }
    for (row, v) in ["new_received", "carried_over", "results_total", "carried_forward"]
        .into_iter()
        .zip(totals)
    {
        set(&mut r, format!("t3.{row}.total"), v);
    }
    for g in &T4_GROUPS {
        let mut total = 0;
        for o in T4_OUTCOMES.iter().filter(|o| o.key != T4_TOTAL) {
            let v = rng.count(2);
            total += v;
            set(&mut r, format!("t4.{}.{}", g.key, o.key), v);
        }
        set(&mut r, format!("t4.{}.{T4_TOTAL}", g.key), total);
    }
    r
}

/// The report with every cell that holds 0 left blank.
fn zeros_blank(mut r: Report) -> Report {
    let zeros: Vec<String> = r
        .cells
        .iter()
        .filter(|(_, c)| c.value().is_some_and(|v| v == Num::ZERO))
        .map(|(id, _)| id.to_string())
        .collect();
    for id in zeros {
        r.cells.set(id, Cell::Blank);
    }
    r
}

pub(crate) fn generate(dir: &Path, n: usize, blanks: bool) -> Result<()> {
    let stamp = dir.join(".count");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(&n.to_string()) {
        return Ok(());
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let xlsx = xxgk_export::by_name("xlsx").context("the xlsx exporter is registered")?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let report = random_report(i, &mut rng);
        let report = if blanks { zeros_blank(report) } else { report };
        let mut bytes = Vec::new();
        xlsx.run(std::slice::from_ref(&report), &mut bytes, &Default::default())?;
        std::fs::write(dir.join(format!("dept-{i:05}.xlsx")), bytes)?;
    }
    std::fs::write(stamp, n.to_string())?;
    Ok(())
}

/// Opens every workbook with calamine and touches every used cell, on all cores.
fn floor(files: &[PathBuf]) -> Result<usize> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    Ok(floor_on(files, threads)?.cells)
}

/// What the floor read: workbooks opened, sheets and non-empty cells read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FloorRead {
    pub(crate) workbooks: usize,
    pub(crate) sheets: usize,
    pub(crate) cells: usize,
}

impl std::ops::Add for FloorRead {
    type Output = FloorRead;
    fn add(self, o: FloorRead) -> FloorRead {
        FloorRead {
            workbooks: self.workbooks + o.workbooks,
            sheets: self.sheets + o.sheets,
            cells: self.cells + o.cells,
        }
    }
}

/// The floor on `threads` threads: what any reader must do, calamine opening each workbook and
/// reading every used cell (each non-empty cell's value is turned into text and counted, so that
/// none is skipped).
pub(crate) fn floor_on(files: &[PathBuf], threads: usize) -> Result<FloorRead> {
    let threads = threads.max(1);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Result<FloorRead> {
                    let mut read = FloorRead::default();
                    for f in part {
                        let bytes = std::fs::read(f)?;
                        let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes))
                            .with_context(|| format!("floor: {}", f.display()))?;
                        read.workbooks += 1;
                        for name in wb.sheet_names() {
                            let range = wb.worksheet_range(&name)?;
                            read.sheets += 1;
                            read.cells += range.used_cells().filter(|(_, _, c)| !c.to_string().is_empty()).count();
                        }
                    }
                    Ok(read)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| anyhow::anyhow!("floor thread panicked"))?)
            .try_fold(FloorRead::default(), |a, r| Ok(a + r?))
    })
}

/// Generates `n` workbooks and measures the floor and `xxgk aggregate` over them `runs` times,
/// alternately; with several runs the medians are compared, because the floor's time varies by a
/// third from run to run on a shared machine.
pub fn run(root: &Path, n: usize, runs: usize, blanks: bool) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if cfg!(debug_assertions) {
        // The floor must be measured optimised, like the release binary it is compared with.
        let (n, runs) = (n.to_string(), runs.to_string());
        let mut args = vec!["run", "--release", "--quiet", "-p", "xtask", "--", "bench", &n, &runs];
        if blanks {
            args.push("--blanks");
        }
        let status = Command::new(&cargo).args(args).current_dir(root).status()?;
        return if status.success() {
            Ok(())
        } else {
            bail!("benchmark failed")
        };
    }
    let dir = root.join("target").join(if blanks {
        "bench-workbooks-blanks"
    } else {
        "bench-workbooks"
    });
    eprintln!("generating {n} workbooks in {} (reused when present)…", dir.display());
    generate(&dir, n, blanks)?;
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "xxgk-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("release build failed");
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();

    let out = dir.join("..").join("bench-aggregate.xlsx");
    let xxgk = root.join("target/release/xxgk");
    let (mut floors, mut ours, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
    let mut cells = 0;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        cells = floor(&files)?;
        floors.push(t.elapsed().as_secs_f64());
        let (secs, peak_kb) = time_aggregate(&xxgk, &dir, &out)?;
        ours.push(secs);
        peaks.extend(peak_kb);
    }
    let floor_s = median(&mut floors);
    let ours_s = median(&mut ours);
    let peak_kb = peaks.iter().copied().max();
    if runs > 1 {
        println!(
            "runs: {runs}; times are medians (floor {}; aggregate {})",
            spread(&floors),
            spread(&ours)
        );
    }
    println!("workbooks: {n}  ({cells} non-empty cells read by the floor)");
    println!(
        "floor (calamine, read every cell): {floor_s:.2} s, {:.0} workbooks/s",
        n as f64 / floor_s
    );
    println!(
        "xxgk aggregate (release):          {ours_s:.2} s, {:.0} workbooks/s",
        n as f64 / ours_s
    );
    println!("ratio to the floor: {:.2}", ours_s / floor_s);
    match peak_kb {
        Some(kb) => println!("peak resident memory of aggregate: {:.1} MiB", kb as f64 / 1024.0),
        None => println!("peak resident memory: unavailable (/usr/bin/time not installed)"),
    }
    Ok(())
}

/// Runs `xxgk aggregate` over `dir` once: its wall time and, where `/usr/bin/time` exists, its peak
/// resident memory in KB.
fn time_aggregate(xxgk: &Path, dir: &Path, out: &Path) -> Result<(f64, Option<u64>)> {
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.args(["-f", "%M"]).arg(xxgk);
        c
    } else {
        Command::new(xxgk)
    };
    cmd.arg("aggregate").arg(dir).arg("-o").arg(out).arg("--quiet");
    let t = Instant::now();
    let output = cmd.output()?;
    let secs = t.elapsed().as_secs_f64();
    let code = output.status.code().unwrap_or(-1);
    if code > 1 {
        bail!(
            "xxgk aggregate failed ({code}): {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    let peak_kb = String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<u64>().ok());
    Ok((secs, peak_kb))
}

/// The median of some times (the mean of the middle two for an even count).
pub(crate) fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    let mid = times.len() / 2;
    if times.len().is_multiple_of(2) {
        (times[mid - 1] + times[mid]) / 2.0
    } else {
        times[mid]
    }
}

/// The fastest and slowest of some sorted times: `3.39–4.68 s`.
fn spread(sorted: &[f64]) -> String {
    format!(
        "{:.2}–{:.2} s",
        sorted.first().copied().unwrap_or_default(),
        sorted.last().copied().unwrap_or_default()
    )
}
