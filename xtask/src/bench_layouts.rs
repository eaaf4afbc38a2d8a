//! `cargo xtask bench-layouts [N [RUNS]]`: the batch's speed on every layout departments send, not
//! only the standard template (issue 18). For each layout it generates N workbooks (kept in
//! `target/bench-layouts/<layout>/`), then measures, one thread each so that the machine's other
//! load does not decide the ratio, the floor (calamine reading every used cell),
//! `xxgk validate --jobs 1` and `xxgk aggregate --jobs 1 → xlsx-stats`; and `aggregate` on all
//! cores against the floor on all cores. CPU time (user + system) comes from `getrusage` of the
//! finished runs (microseconds), peak memory from `/usr/bin/time`; with several runs the medians
//! are taken. The same one-thread commands also run over each layout's first workbook alone, so
//! that the table gives the ratios per workbook past the first too: in 150 small workbooks the
//! run's fixed cost (start-up, the statistics workbook's frame) is a large part of the whole, and a
//! batch of thousands hardly pays it. The table is printed and written to
//! `target/bench-layouts.json`, so that runs can be compared.

use crate::bench::{FloorRead, Rng, floor_on, generate, median, random_report};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use xxgk_model::Report;
use xxgk_tests::layouts::{Expect, Kind, Layout, Sheet, V, layouts, ods, soffice, xlsx};

/// The layouts measured beside the standard template, by their names in `xxgk_tests::layouts`.
const LAYOUTS: [&str; 6] = [
    "four-sheets",
    "title-row-in-the-middle",
    "flattened-labels-with-blanks",
    "full-width-and-text-numbers",
    "xls",
    "ods-with-formulas",
];

/// One measured command: CPU seconds and peak resident memory (KiB), medians over the runs.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    cpu: f64,
    wall: f64,
    peak_kib: u64,
}

/// CPU seconds (user + system) of every child process waited for so far, to the microsecond:
/// `/usr/bin/time` prints hundredths, a third of the .xls floor's time.
fn children_cpu() -> Result<f64> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    Ok(seconds(usage.user_time()) + seconds(usage.system_time()))
}

/// Runs `cmd` under `/usr/bin/time`: its CPU time (from `getrusage`), wall time and peak memory,
/// and what it printed.
fn measure(mut cmd: Command, ok_codes: &[i32]) -> Result<(Cost, String)> {
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed.args(["-f", "%U %S %e %M"]).arg(&program).args(&args);
    cmd = timed;
    let cpu_before = children_cpu()?;
    let out = cmd.output()?;
    // `/usr/bin/time` waited for the command, so its CPU time is counted in its own.
    let cpu = children_cpu()? - cpu_before;
    let code = out.status.code().unwrap_or(-1);
    if !ok_codes.contains(&code) {
        bail!(
            "{} failed ({code}): {}",
            program.to_string_lossy(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().context("/usr/bin/time printed nothing")?;
    let f: Vec<f64> = last.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    if f.len() != 4 {
        bail!("unexpected /usr/bin/time output: {last}");
    }
    let cost = Cost {
        cpu,
        wall: f[2],
        peak_kib: f[3] as u64,
    };
    Ok((cost, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Fewest non-empty cells a workbook of any layout holds: the V2021 form's tables alone have
/// over 200 numbers (a blank left for 0 is not counted), and their labels more. A floor that read
/// fewer did not read the tables.
const MIN_CELLS_PER_WORKBOOK: usize = 150;

/// Runs the floor over `dir` on `threads` threads and checks that it opened each of the `n`
/// workbooks and read their cells: a floor that skips work would flatter every ratio.
fn floor_run(me: &Path, dir: &Path, threads: usize, n: usize) -> Result<(Cost, FloorRead)> {
    let mut c = Command::new(me);
    c.arg("floor").arg(dir).arg(threads.to_string());
    let (cost, out) = measure(c, &[0])?;
    let f: Vec<usize> = out.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let [workbooks, sheets, cells] = f[..] else {
        bail!("the floor printed {out:?}, not “workbooks sheets cells”");
    };
    let read = FloorRead {
        workbooks,
        sheets,
        cells,
    };
    if workbooks != n || sheets < n || cells < n * MIN_CELLS_PER_WORKBOOK {
        bail!(
            "the floor over {} read {workbooks} workbooks, {sheets} sheets and {cells} cells; expected {n} workbooks and at least {} cells",
            dir.display(),
            n * MIN_CELLS_PER_WORKBOOK
        );
    }
    Ok((cost, read))
}

/// The median cost of several runs (memory: the highest peak).
fn middle(costs: &[Cost]) -> Cost {
    let mut cpu: Vec<f64> = costs.iter().map(|c| c.cpu).collect();
    let mut wall: Vec<f64> = costs.iter().map(|c| c.wall).collect();
    Cost {
        cpu: median(&mut cpu),
        wall: median(&mut wall),
        peak_kib: costs.iter().map(|c| c.peak_kib).max().unwrap_or(0),
    }
}

/// The layout's sheets for the i-th workbook: the layout's own agency made unique (`…第i部门`), so
/// that the batch holds N departments and not N copies of one.
fn sheets_for(layout: &Layout, report: &Report, i: usize) -> Vec<Sheet> {
    let mut expect = Expect::new();
    let mut sheets = (layout.build)(report, &mut expect);
    let unique = format!("{}第{i}部门", layout.agency);
    for sheet in &mut sheets {
        for v in sheet.cells.values_mut() {
            if let V::Text(t) = v {
                *t = t.replace(layout.agency, &unique);
            }
        }
    }
    sheets
}

/// Generates `n` workbooks of `layout` in `dir` (reused when the count matches). `.xls` files are
/// converted by LibreOffice in one call; without it that layout is skipped (`Ok(false)`).
fn generate_layout(layout: &Layout, dir: &Path, n: usize) -> Result<bool> {
    let stamp = dir.join(".count");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(&n.to_string()) && workbooks(dir)?.len() == n {
        return Ok(true);
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let staging = dir.join("staging");
    for i in 0..n {
        let sheets = sheets_for(layout, &random_report(i, &mut rng), i);
        match layout.kind {
            Kind::Xlsx | Kind::Xlsm => std::fs::write(dir.join(format!("dept-{i:05}.xlsx")), xlsx(&sheets))?,
            Kind::Ods => std::fs::write(dir.join(format!("dept-{i:05}.ods")), ods(&sheets))?,
            Kind::Xls => {
                std::fs::create_dir_all(&staging)?;
                std::fs::write(staging.join(format!("dept-{i:05}.xlsx")), xlsx(&sheets))?;
            }
        }
    }
    if matches!(layout.kind, Kind::Xls) {
        let Some(bin) = soffice() else {
            eprintln!("skipped the .xls layout: LibreOffice (soffice) is not installed");
            std::fs::remove_dir_all(dir)?;
            return Ok(false);
        };
        let profile = format!("-env:UserInstallation=file://{}/lo-profile", staging.display());
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&staging)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
            .collect();
        inputs.sort();
        // In batches, each checked: one LibreOffice call over hundreds of files has stopped
        // part-way without an error, leaving a layout of fewer workbooks than it says.
        for batch in inputs.chunks(50) {
            let status = Command::new(bin)
                .args([profile.as_str(), "--headless", "--convert-to", "xls", "--outdir"])
                .arg(dir)
                .args(batch)
                .stdout(std::process::Stdio::null())
                .status()?;
            let missing: Vec<_> = batch
                .iter()
                .filter(|p| {
                    !p.with_extension("xls")
                        .file_name()
                        .is_some_and(|f| dir.join(f).is_file())
                })
                .collect();
            if !status.success() || !missing.is_empty() {
                bail!(
                    "LibreOffice could not convert {} of the .xls layout's workbooks",
                    missing.len()
                );
            }
        }
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::write(stamp, n.to_string())?;
    Ok(true)
}

fn workbooks(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx" || e == "xls" || e == "ods"))
        .collect();
    files.sort();
    Ok(files)
}

/// One layout's row of the table.
struct Row {
    layout: String,
    n: usize,
    /// What the floor read (the same on one thread and on all).
    read: FloorRead,
    floor_1: Cost,
    validate_1: Cost,
    aggregate_1: Cost,
    floor_all: Cost,
    aggregate_all: Cost,
    /// The same one-thread commands over the layout's first workbook alone: what a run costs
    /// before its first workbook (start-up, the catalogue, the statistics workbook's frame), which
    /// the per-workbook ratios leave out.
    one: [Cost; 3],
}

/// CPU seconds a workbook past the first: what a batch of thousands pays per workbook, without
/// the run's fixed cost, which weighs heavily in a batch of 150 small workbooks.
fn per_workbook(all: &Cost, one: &Cost, n: usize) -> f64 {
    if n > 1 {
        (all.cpu - one.cpu) / (n - 1) as f64
    } else {
        f64::NAN
    }
}

pub fn run(root: &Path, n: usize, runs: usize) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    if cfg!(debug_assertions) {
        // The floor is measured optimised, like the release binary it is compared with.
        let status = Command::new(&cargo)
            .args(["run", "--release", "--quiet", "-p", "xtask", "--", "bench-layouts"])
            .args([n.to_string(), runs.to_string()])
            .current_dir(root)
            .status()?;
        return if status.success() {
            Ok(())
        } else {
            bail!("benchmark failed")
        };
    }
    if !Path::new("/usr/bin/time").exists() {
        bail!("bench-layouts needs /usr/bin/time (Debian package `time`) for CPU time and memory");
    }
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "xxgk-cli"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("release build failed");
    }
    let xxgk = root.join("target/release/xxgk");
    let me = std::env::current_exe()?;
    let base = root.join("target").join("bench-layouts");
    let threads = std::thread::available_parallelism().map(|t| t.get()).unwrap_or(1);

    let mut dirs = vec![("standard".to_string(), base.join("standard"))];
    eprintln!(
        "generating {n} workbooks per layout in {} (reused when present)…",
        base.display()
    );
    generate(&base.join("standard"), n, false)?;
    let all = layouts();
    for name in LAYOUTS {
        let layout = all.iter().find(|l| l.name == name).context("layout")?;
        let dir = base.join(name);
        if generate_layout(layout, &dir, n)? {
            dirs.push((name.to_string(), dir));
        }
    }

    let mut rows = Vec::new();
    for (name, dir) in &dirs {
        let files = workbooks(dir)?;
        let out = base.join(format!("{name}.xlsx"));
        // The first workbook alone, for the fixed cost of each command.
        let one_dir = base.join("first-workbook").join(name);
        if one_dir.exists() {
            std::fs::remove_dir_all(&one_dir)?;
        }
        std::fs::create_dir_all(&one_dir)?;
        let first = files.first().context("a layout without workbooks")?;
        std::fs::copy(first, one_dir.join(first.file_name().context("file name")?))?;
        let mut m: [Vec<Cost>; 8] = Default::default();
        let mut read = FloorRead::default();
        for _ in 0..runs.max(1) {
            let (cost, r) = floor_run(&me, dir, 1, files.len())?;
            m[0].push(cost);
            read = r;
            let mut v = Command::new(&xxgk);
            v.arg("validate").arg(dir).args(["--jobs", "1"]);
            m[1].push(measure(v, &[0, 1])?.0);
            let aggregate = |dir: &Path, jobs: Option<usize>| {
                let mut c = Command::new(&xxgk);
                c.arg("aggregate").arg(dir).arg("-o").arg(&out).arg("--quiet");
                if let Some(j) = jobs {
                    c.args(["--jobs", &j.to_string()]);
                }
                measure(c, &[0, 1]).map(|(cost, _)| cost)
            };
            m[2].push(aggregate(dir, Some(1))?);
            let (cost, r) = floor_run(&me, dir, threads, files.len())?;
            if r != read {
                bail!("the floor read {r:?} on {threads} threads but {read:?} on one");
            }
            m[3].push(cost);
            m[4].push(aggregate(dir, None)?);
            m[5].push(floor_run(&me, &one_dir, 1, 1)?.0);
            let mut v = Command::new(&xxgk);
            v.arg("validate").arg(&one_dir).args(["--jobs", "1"]);
            m[6].push(measure(v, &[0, 1])?.0);
            m[7].push(aggregate(&one_dir, Some(1))?);
        }
        if files.len() != n {
            bail!("{} holds {} workbooks, not {n}", dir.display(), files.len());
        }
        rows.push(Row {
            layout: name.clone(),
            n: files.len(),
            read,
            floor_1: middle(&m[0]),
            validate_1: middle(&m[1]),
            aggregate_1: middle(&m[2]),
            floor_all: middle(&m[3]),
            aggregate_all: middle(&m[4]),
            one: [middle(&m[5]), middle(&m[6]), middle(&m[7])],
        });
    }

    println!(
        "{n} workbooks per layout, {} run(s), medians; CPU = user + system seconds; ratios to the floor's CPU time",
        runs.max(1)
    );
    println!(
        "“per wb”: CPU time a workbook past the first ((N − 1) workbooks' worth: the run over N less the run over the first alone), as a large batch pays it"
    );
    println!(
        "{:30} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>11} {:>9} {:>12} {:>12} {:>12}",
        "layout",
        "cells/wb",
        "floor s",
        "valid. ×",
        "aggr. ×",
        "aggr wb/s",
        "all-core×",
        "all wb/s",
        "peak MiB",
        "floor ms/wb",
        "valid.×/wb",
        "aggr.×/wb"
    );
    let mut json = Vec::new();
    for r in &rows {
        let ratio = |c: &Cost, f: &Cost| if f.cpu > 0.0 { c.cpu / f.cpu } else { f64::NAN };
        let per_s = |c: &Cost| if c.wall > 0.0 { r.n as f64 / c.wall } else { f64::NAN };
        let floor_wb = per_workbook(&r.floor_1, &r.one[0], r.n);
        let validate_wb = per_workbook(&r.validate_1, &r.one[1], r.n);
        let aggregate_wb = per_workbook(&r.aggregate_1, &r.one[2], r.n);
        println!(
            "{:30} {:>9.0} {:>9.2} {:>9.2} {:>9.2} {:>9.0} {:>9.2} {:>11.0} {:>9.1} {:>12.3} {:>12.2} {:>12.2}",
            r.layout,
            r.read.cells as f64 / r.n.max(1) as f64,
            r.floor_1.cpu,
            ratio(&r.validate_1, &r.floor_1),
            ratio(&r.aggregate_1, &r.floor_1),
            per_s(&r.aggregate_1),
            ratio(&r.aggregate_all, &r.floor_all),
            per_s(&r.aggregate_all),
            r.aggregate_all.peak_kib.max(r.aggregate_1.peak_kib) as f64 / 1024.0,
            floor_wb * 1e3,
            validate_wb / floor_wb,
            aggregate_wb / floor_wb
        );
        let cost = |c: &Cost| serde_json::json!({"cpu_s": c.cpu, "wall_s": c.wall, "peak_kib": c.peak_kib});
        json.push(serde_json::json!({
            "layout": r.layout,
            "workbooks": r.n,
            "floor_sheets": r.read.sheets,
            "floor_cells": r.read.cells,
            "floor_jobs1": cost(&r.floor_1),
            "validate": cost(&r.validate_1),
            "aggregate_jobs1": cost(&r.aggregate_1),
            "floor_all_cores": cost(&r.floor_all),
            "aggregate_all_cores": cost(&r.aggregate_all),
            "validate_cpu_ratio": ratio(&r.validate_1, &r.floor_1),
            "aggregate_cpu_ratio": ratio(&r.aggregate_1, &r.floor_1),
            "first_workbook_alone": {
                "floor_jobs1": cost(&r.one[0]),
                "validate": cost(&r.one[1]),
                "aggregate_jobs1": cost(&r.one[2]),
            },
            "per_workbook_cpu_s": {
                "floor": floor_wb,
                "validate": validate_wb,
                "aggregate": aggregate_wb,
            },
            "validate_cpu_ratio_per_workbook": validate_wb / floor_wb,
            "aggregate_cpu_ratio_per_workbook": aggregate_wb / floor_wb,
        }));
    }
    let doc = serde_json::json!({"workbooks_per_layout": n, "runs": runs.max(1), "threads": threads, "layouts": json});
    let path = root.join("target").join("bench-layouts.json");
    std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
    println!("written {}", path.display());
    Ok(())
}

/// `xtask floor DIR THREADS`: the floor over a folder, as a process of its own so that its CPU
/// time is measured like xxgk's.
pub fn floor_command(dir: &Path, threads: usize) -> Result<()> {
    let read = floor_on(&workbooks(dir)?, threads)?;
    println!("{} {} {}", read.workbooks, read.sheets, read.cells);
    Ok(())
}
