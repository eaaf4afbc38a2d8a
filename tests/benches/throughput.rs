//! Benchmarks of the steps a batch repeats for every report: reading it, checking it, summing.
//! Run with `cargo bench -p xxgk-tests`; whole-batch timings of the release binary are in
//! `scripts/bench-batch.sh`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use xxgk_model::{AggregateOptions, CheckOptions, aggregate, check};

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(xxgk_tests::fixtures().join(name)).expect("fixture")
}

fn benches(c: &mut Criterion) {
    let json = fixture_bytes("valid-2021.json");
    c.bench_function("import json report", |b| {
        b.iter(|| xxgk_import::import("valid-2021.json", black_box(&json), &Default::default()).expect("import"))
    });
    let xlsx = fixture_bytes("example-2021.xlsx");
    c.bench_function("import xlsx workbook (standard form)", |b| {
        b.iter(|| xxgk_import::import("example-2021.xlsx", black_box(&xlsx), &Default::default()).expect("import"))
    });
    let report = xxgk_tests::load("valid-2021.json");
    c.bench_function("check one report (all rules)", |b| {
        b.iter(|| check(black_box(&report), &CheckOptions::default()))
    });
    let many: Vec<_> = (0..300).map(|_| &report).collect();
    c.bench_function("sum 300 reports", |b| {
        b.iter(|| aggregate("合计", black_box(&many), AggregateOptions::default()).expect("sum"))
    });
}

criterion_group!(throughput, benches);
criterion_main!(throughput);
