#!/bin/sh
# run.sh BUILD SHARED_DIR SECONDS TARGET... — run each fuzz target for SECONDS: first its reproducers under
# tests/fuzz/regressions/TARGET (each must now run clean), then libFuzzer from BUILD/corpus/TARGET (kept between
# runs) plus fresh seeds (seed-corpus.sh). Prints executions per target; exits 1 on any finding, whose input is
# saved as BUILD/findings/TARGET-crash-* (or leak-, timeout-, oom-). EWS_FUZZ_RUNS=N also ends a target after N
# executions (whichever comes first: SECONDS or N), for campaigns that aim at a count. EWS_FUZZ_TIMEOUT=S: wall
# seconds one input may take (default 10); a campaign at nice 19 beside builds can be starved that long.
set -u
build=$1 shared=$2 seconds=$3
shift 3
here=$(dirname "$0")
status=0
# ASan's default 256 MB quarantine of freed blocks keeps every target faulting in fresh pages (a tenth to a fifth
# of the CPU in the kernel); 16 MB still catches a use after free within the same input and the next ones.
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=16}
export ASAN_OPTIONS
mkdir -p "$build/findings"
for t in "$@"; do
	bin=$build/bin/fuzz_$t
	[ -x "$bin" ] || { echo "fuzz $t: no such target ($bin)"; status=1; continue; }
	if [ -d "$here/regressions/$t" ] && [ -n "$(ls "$here/regressions/$t")" ]; then
		if ! "$bin" -runs=0 "$here"/regressions/"$t"/* > "$build/findings/$t-regressions.log" 2>&1; then
			echo "fuzz $t: a reproducer in tests/fuzz/regressions/$t still fails (see $build/findings/$t-regressions.log)"
			status=1
			continue
		fi
	fi
	corpus=$build/corpus/$t seeds=$build/seeds/$t
	rm -rf "$seeds"
	mkdir -p "$corpus"
	"$here/seed-corpus.sh" "$t" "$seeds" "$shared"
	# The XML targets' inputs stay below 16 KiB (the largest seed has 13 KiB; a longer message only repeats what
	# the parser already does, and every execution would cost more); the binary formats keep 64 KiB, the reach of
	# their 16-bit lengths and offsets.
	case $t in
	decode | ewsd_request | autodiscover) dict=-dict=$here/xml.dict max_len=16384 ;;
	ntlm_*) dict=-dict=$here/ntlm.dict max_len=65536 ;;
	*) dict= max_len=65536 ;;
	esac
	# decode's 30 000 coverage features make libFuzzer's entropic schedule spend a quarter of the CPU on its own
	# bookkeeping (UpdateFeatureFrequency, AddRareFeature): the classic schedule doubles its executions per second.
	case $t in
	decode) schedule=-entropic=0 ;;
	*) schedule= ;;
	esac
	log=$build/findings/$t.log
	"$bin" $schedule -seed="${EWS_FUZZ_SEED:-0}" -max_total_time="$seconds" -print_final_stats=1 -timeout="${EWS_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=$max_len \
		${EWS_FUZZ_RUNS:+-runs=$EWS_FUZZ_RUNS} -artifact_prefix="$build/findings/$t-" $dict "$corpus" "$seeds" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		printf 'fuzz %-15s %10s executions in %ss (%s/s), %s, corpus %s inputs: no finding\n' "$t" "${execs:-?}" \
			"$seconds" "${rate:-?}" "${cov:-cov: ?}" "$(ls "$corpus" | wc -l)"
	else
		printf 'fuzz %-15s FINDING after %s executions (exit %s): %s\n' "$t" "${execs:-?}" "$rc" \
			"$(grep -m1 -E 'ERROR: |runtime error|fuzz invariant|deadly signal' "$log")"
		grep -m1 -o "Test unit written to .*" "$log" || true
		status=1
	fi
done
exit $status
