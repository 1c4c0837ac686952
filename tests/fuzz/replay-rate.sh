#!/bin/sh
# replay-rate.sh BIN DIR RUNS — the harness's own speed, comparable between builds: every file of DIR executed
# RUNS times in libFuzzer's file mode (no mutation, no coverage bookkeeping), timed in CPU seconds (user + system)
# so the load of a shared machine does not count. Prints executions, CPU seconds and executions per CPU second
# (process start, and ewsd's store seeding, included). Use the same DIR for the builds compared.
set -eu
bin=$1 dir=$2 runs=$3
n=$(ls "$dir" | wc -l)
t=$(mktemp)
/usr/bin/time -o "$t" -f '%U %S' "$bin" -runs="$runs" "$dir"/* > /dev/null 2>&1 || { echo "replay-rate: $bin failed" >&2; rm -f "$t"; exit 1; }
awk -v n="$n" -v r="$runs" 'END { c = $1 + $2; printf "%d executions, %.2f CPU s, %.0f exec per CPU s\n", n * r, c, n * r / (c > 0 ? c : 0.01) }' "$t"
rm -f "$t"
