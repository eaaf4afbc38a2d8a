#!/usr/bin/env bash
# The reach report of the structure-aware generators (issue 14): every input of a generator
# target's corpus, and a fixed sample of pseudo-random inputs, is run once through the generator
# and the importer exactly as the fuzz target runs it (libFuzzer `-runs=0`), with
# XXGK_FUZZ_REACH set so that each input appends one line: how its import ended (read, or the
# guard that refused it: fuzz/src/reach.rs) and the hostile constructs the generator put into
# the file, each with the guard expected to refuse it. The tables say, per construct, how often
# it was generated, how often its own guard ended the import, and what else happened.
#
#   scripts/fuzz-reach.sh                      # xlsx_gen xls_gen ods_gen docx_gen
#   scripts/fuzz-reach.sh xls_gen ods_gen
#   CORPUS_ROOT=/path/to/fuzz/corpus SAMPLE=5000 scripts/fuzz-reach.sh
#
# CORPUS_ROOT (default fuzz/corpus) holds <target>/ folders as scripts/fuzz-long.sh leaves them;
# a target without one is run on the sample only. SAMPLE (default 2000) inputs of 1 KiB each are
# AES-128-CTR output of zeros under a fixed key: the same on every machine, and every choice of
# the generator uniform until the input ends. Not a fuzz run: nothing is mutated or kept.
# Tables go to standard output (Markdown), the raw lines to fuzz/logs/reach-<target>-<set>.tsv.
set -euo pipefail
export LC_ALL=C
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(xlsx_gen xls_gen ods_gen docx_gen)
corpus_root="${CORPUS_ROOT:-$root/fuzz/corpus}"
sample="${SAMPLE:-2000}"
export RUSTC_BOOTSTRAP=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p logs "$work/sample"
# `head` closes the pipe once it has enough: openssl's failure then is expected.
{ openssl enc -aes-128-ctr -nosalt -K 78786b6b2d72656163682d73616d706c \
    -iv 00000000000000000000000000000000 </dev/zero 2>/dev/null || true; } |
    head -c $((sample * 1024)) >"$work/blob"
(cd "$work/sample" && split -b 1024 -a 6 "$work/blob" s && rm "$work/blob")

# One table from the lines of one run: per construct, generated / ended by its guard / the rest.
tabulate() {
    awk -F'\t' '
        { n++; out[$2]++
          k = split($3, cs, ",")
          for (i = 1; i <= k; i++) if (cs[i] != "") print cs[i] "\t" $2 > "/dev/stderr" }
        END {
            printf "%d inputs. Outcomes:", n
            for (o in out) printf " %s ×%d;", o, out[o]
            printf "\n\n"
        }' "$1" 2>"$work/pairs"
    echo "| construct (expected guard) | generated | ended by its guard | other outcomes |"
    echo "|---|---|---|---|"
    # construct=guard TAB outcome, counted, most frequent first within each construct.
    sort "$work/pairs" | uniq -c | sort -k2,2 -k1,1nr | awk '
        {
            count = $1; sub(/^ *[0-9]+ /, "")
            split($0, f, "\t"); split(f[1], cg, "="); c = cg[1]; g = cg[2]; o = f[2]
            if (c != cur) { flush(); cur = c; guard = g; total = 0; mine = 0; rest = "" }
            total += count
            if (g != "" && (o == g || index(o, g "(") == 1)) mine += count
            else rest = rest (rest == "" ? "" : "; ") o " ×" count
        }
        function flush() {
            if (cur == "") return
            printf "| %s (%s) | %d | %s | %s |\n", cur, guard == "" ? "none" : guard, total,
                guard == "" ? "—" : mine, rest == "" ? "—" : rest
        }
        END { flush() }'
    echo
}

for t in "${targets[@]}"; do
    nice -n 5 cargo fuzz build -O -s none "$t" >/dev/null
    bin="target/x86_64-unknown-linux-gnu/release/$t"
    sets=(sample)
    if [ -d "$corpus_root/$t" ] && [ -n "$(ls -A "$corpus_root/$t")" ]; then
        cp -a "$corpus_root/$t" "$work/corpus-$t"
        sets=(corpus sample)
    fi
    for set in "${sets[@]}"; do
        dir="$work/sample"
        [ "$set" = corpus ] && dir="$work/corpus-$t"
        lines="logs/reach-$t-$set.tsv"
        rm -f "$lines"
        files=$(ls "$dir" | wc -l)
        XXGK_FUZZ_REACH="$PWD/$lines" nice -n 5 "$bin" "$dir" -runs=0 -rss_limit_mb=2048 -timeout=60 \
            >"$work/log" 2>&1 || { echo "$t ($set): the run failed:"; tail -20 "$work/log"; exit 1; }
        echo "### $t, $set ($files files; libFuzzer also runs the empty input)"
        echo
        tabulate "$lines"
    done
done
