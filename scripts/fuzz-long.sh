#!/usr/bin/env bash
# A long fuzz run of one target until it has executed RUNS inputs (default 10^6), at the lowest
# CPU priority so that it only takes idle time. Without a sanitizer (`-s none`): the importers
# are safe Rust, a panic, a timeout or an allocation past the RSS limit is what is looked for,
# and AddressSanitizer makes the spreadsheet, text and HTML targets 3–10 times slower.
#
#   scripts/fuzz-long.sh text              # 10^6 executions
#   scripts/fuzz-long.sh html 2000000
#   FUZZ_WORKERS=2 scripts/fuzz-long.sh docx_gen   # two processes on one corpus, 5·10^5 each
#
# With FUZZ_WORKERS=N, N processes share the corpus folder (libFuzzer reloads it every second, so
# each starts from what the others found) and each runs RUNS/N inputs: one campaign over N cores,
# whose executions add up. The logs are fuzz/logs/<target>-long.log, -long-w2.log, …
# The corpus is kept in fuzz/corpus/<target>/ between runs; a finding leaves its input in
# fuzz/artifacts/<target>/ and the log in fuzz/logs/<target>-long.log. The timeout is generous
# because libFuzzer measures it in wall time, and a niced run waits while other work runs
# (FUZZ_TIMEOUT=seconds sets it; 60 by default).
#
# Comparisons are not traced (`--no-trace-compares`). With them traced, a generator input took
# 27 ms, most of it in the tracing of the label normaliser's byte comparisons; without them (and
# with the generators compressing at level 1) 5 ms, so 10^6 executions take about an hour of a
# core instead of five. The coverage of edges still guides the run, and the corpus it starts from
# was grown by earlier runs that traced comparisons (FUZZ_TRACE_COMPARES=1 traces them here too).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
# The fuzz crate is a workspace of its own: without the main lock file, cargo would resolve the
# newest versions and fuzz other dependencies (a newer zip, say) than the ones xxgk ships. Starting
# from the main lock keeps every shared crate at its shipped version; cargo adds libFuzzer's own.
cp ../Cargo.lock Cargo.lock
target="$1"
runs="${2:-1000000}"
export RUSTC_BOOTSTRAP=1
flags=(-O -s none)
[ "${FUZZ_TRACE_COMPARES:-0}" = 1 ] || flags+=(--no-trace-compares)
cargo fuzz build "${flags[@]}" "$target" >/dev/null
mkdir -p logs "corpus/$target"
start=$(date +%s)
status=ok
# The generator targets (xlsx_gen, ods_gen, xls_gen) have no seed folder: their input is a list of choices.
dirs=("corpus/$target")
[ -d "seeds/$target" ] && dirs+=("seeds/$target")
workers="${FUZZ_WORKERS:-1}"
log() { [ "$1" = 1 ] && echo "logs/$target-long.log" || echo "logs/$target-long-w$1.log"; }
# glibc gives large blocks back to the kernel when they are freed, so every input paid for
# fresh pages (page faults and zeroing: a third of the CPU time replaying 800 inputs of
# docx_gen's corpus, 3.1 s of system time against 8.8 s of user time). Kept, they cost 0.26 s.
# The RSS limit still applies: what is kept is reused by the next input.
export MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=536870912 MALLOC_TOP_PAD_=67108864
pids=()
for w in $(seq 1 "$workers"); do
    nice -n 19 cargo fuzz run "${flags[@]}" "$target" "${dirs[@]}" -- \
        -runs="$(( runs / workers ))" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-60}" -print_final_stats=1 \
        >"$(log "$w")" 2>&1 &
    pids+=($!)
done
for pid in "${pids[@]}"; do
    wait "$pid" || status=FAILED
done
done_runs=0
for w in $(seq 1 "$workers"); do
    n=$(grep -o 'number_of_executed_units: *[0-9]*' "$(log "$w")" | grep -o '[0-9]*$' || echo 0)
    done_runs=$(( done_runs + n ))
done
echo "$target: $status, $done_runs executions in $(( $(date +%s) - start )) s on $workers worker(s) (log: fuzz/$(log 1))"
[ "$status" = ok ]
