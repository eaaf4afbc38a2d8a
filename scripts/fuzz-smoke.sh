#!/usr/bin/env bash
# A short fuzz run of every target (default 60 s each, two at a time), from the committed seeds
# plus whatever corpus earlier runs left in fuzz/corpus/. Not part of the test suite: it needs
# cargo-fuzz (`cargo install cargo-fuzz`) and libFuzzer's sanitizer flags, which the stable
# toolchain accepts with RUSTC_BOOTSTRAP=1.
#
#   scripts/fuzz-smoke.sh            # 60 s per target
#   scripts/fuzz-smoke.sh 600        # the 10-minute runs recorded in docs/reliability.md
#   TARGETS="csv json" scripts/fuzz-smoke.sh 30
#
# A crash leaves its input in fuzz/artifacts/<target>/; keep it as a regression in
# tests/fixtures/hostile/ (see docs/reliability.md) once it is fixed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
# The shipped versions of every shared crate, not the newest (see fuzz-long.sh).
cp ../Cargo.lock Cargo.lock
seconds="${1:-60}"
targets=(${TARGETS:-spreadsheet csv json text html labels pdf docx})
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O >/dev/null
mkdir -p logs
run() {
    local t="$1"
    mkdir -p "corpus/$t"
    cargo fuzz run -O "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 \
        >"logs/$t.log" 2>&1
}
status=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    pids=()
    for t in "${targets[@]:i:2}"; do
        run "$t" & pids+=("$!:$t")
    done
    for p in "${pids[@]}"; do
        if wait "${p%%:*}"; then r=ok; else r=FAILED; status=1; fi
        t="${p#*:}"
        runs=$(grep -o 'number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo "?")
        echo "$t: $r, $runs executions in ${seconds}s (log: fuzz/logs/$t.log)"
    done
done
exit "$status"
