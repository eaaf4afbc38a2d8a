#!/usr/bin/env bash
# Times `xxgk aggregate` (release build) on a generated batch of department workbooks and
# reports wall time and peak memory. Not part of the test suite.
#
#   scripts/bench-batch.sh [N=300] [JOBS=all cores]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
jobs=${2:-$(nproc)}
cargo build --release --quiet -p xxgk-cli
xxgk=target/release/xxgk
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
# N distinct agencies: the valid V2021 fixture under another name, written as the standard form.
for i in $(seq 1 "$n"); do
    sed "s/示例市示例区人民政府办公室/示例区第${i}部门/" tests/fixtures/valid-2021.json > "$work/r.json"
    "$xxgk" convert "$work/r.json" -o "$work/in/dept-$i.xlsx"
done
echo "batch: $n workbooks, $(du -sh "$work/in" | cut -f1), jobs=$jobs"
/usr/bin/time -f "aggregate: %e s wall, %U s user, %M KB peak RSS" \
    "$xxgk" aggregate "$work/in" -o "$work/out.xlsx" --quiet --jobs "$jobs" > "$work/log.txt" || true
tail -n 3 "$work/log.txt"
/usr/bin/time -f "validate (one process, $n files): %e s wall, %M KB peak RSS" \
    "$xxgk" validate "$work/in" > /dev/null || true
