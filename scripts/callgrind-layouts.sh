#!/usr/bin/env bash
# Instructions per workbook, under callgrind, for the floor (calamine opening each workbook and
# reading every used cell), `xxgk validate --jobs 1` and `xxgk aggregate --jobs 1` on each layout of
# `cargo xtask bench-layouts` (its workbooks in target/bench-layouts/<layout>/; run that first).
# Instruction counts do not move with the machine's other load, as CPU time does.
#
#   scripts/callgrind-layouts.sh                 # every layout, the first 50 workbooks
#   scripts/callgrind-layouts.sh standard xls    # some layouts
#   MARGINAL=1 scripts/callgrind-layouts.sh      # (I(50) - I(10)) / 40: without the process's
#                                                # fixed cost, as a large batch pays it
#
# Needs valgrind and the release binaries (`cargo build --release -p xxgk-cli -p xtask`).
# Callgrind counts a `rep movsb`/`rep stosb` byte by byte, so memcpy and memset weigh more here
# than in CPU time. The callgrind files are kept in the folder printed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${CARGO_TARGET_DIR:-$root/target}/release"
layouts=("$@")
[ ${#layouts[@]} -eq 0 ] && layouts=(standard four-sheets title-row-in-the-middle flattened-labels-with-blanks full-width-and-text-numbers xls ods-with-formulas)
out="$(mktemp -d)"
# The instructions callgrind counted for one run of the command.
count() {
    local tag=$1
    shift
    valgrind --tool=callgrind --callgrind-out-file="$out/$tag.cg" "$@" >/dev/null 2>"$out/$tag.err" || true
    grep -o 'Collected : [0-9]*' "$out/$tag.err" | grep -o '[0-9]*$'
}
# Instructions of floor, validate and aggregate over the first $2 workbooks of layout $1.
measure() {
    local layout=$1 n=$2 dir="$out/$1-$2"
    mkdir -p "$dir"
    find "$root/target/bench-layouts/$layout" -maxdepth 1 -type f ! -name '.*' | sort | head -n "$n" | xargs -I{} cp {} "$dir/"
    echo "$(count "$layout-$n-floor" "$bin/xtask" floor "$dir" 1) \
$(count "$layout-$n-validate" "$bin/xxgk" validate "$dir" --jobs 1) \
$(count "$layout-$n-aggregate" "$bin/xxgk" aggregate "$dir" --jobs 1 -o "$out/$layout-$n.xlsx")"
}
printf "%-30s %8s %9s %10s %9s %10s\n" layout floor validate aggregate "v/floor" "a/floor"
for layout in "${layouts[@]}"; do
    read -r f50 v50 a50 <<<"$(measure "$layout" 50)"
    if [ "${MARGINAL:-0}" = 1 ]; then
        read -r f10 v10 a10 <<<"$(measure "$layout" 10)"
    else
        f10=0 v10=0 a10=0
    fi
    awk -v l="$layout" -v m="${MARGINAL:-0}" -v f50="$f50" -v f10="$f10" -v v50="$v50" -v v10="$v10" \
        -v a50="$a50" -v a10="$a10" 'BEGIN {
        n = (m == 1) ? 40e6 : 50e6
        f = (f50 - f10) / n; v = (v50 - v10) / n; a = (a50 - a10) / n
        printf "%-30s %8.2f %9.2f %10.2f %8.2fx %9.2fx\n", l, f, v, a, v / f, a / f
    }'
done
echo "millions of instructions per workbook; callgrind files in $out"
