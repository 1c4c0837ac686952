#!/bin/sh
# run-suites.sh TEST_BINARY... — run each CUnit suite binary, then print one total line.
# Each binary prints CUnit's own "Run Summary"; this adds the totals and fails if any suite failed or crashed.
# A suite that prints ": skipped: " and no summary is counted skipped (its bindings' schema set lacks what it
# tests); lines "  skipped: ..." are checks a suite skipped for that reason (tests/common/ews_test.h), counted too.
#
# EWS_SUITE_JOBS (default: three per CPU) suites run at once, each with its own ewsd on a port of its own and its
# own temporary directory; their outputs are printed whole and in the order given, as soon as each and all before
# it are done. Why: the suites mostly wait (sockets, timeouts, their servers): one at a time, the 96 of our schema
# took 213 s of wall time for 30 s of CPU on 2 cores, and `make check` runs them three times (our schema and both
# official sets). 2, 4, 6 and 8 at once: 109, 58, 42 and 35 s. EWS_SUITE_JOBS=1: one after the other.
set -u

# (internal) --one BINARY LOG: run one suite, its output into LOG, its exit status into LOG.rc
if [ "${1:-}" = "--one" ]; then
	# EWS_TEST_WRAPPER: e.g. "valgrind -q --error-exitcode=99" (make check-valgrind). Output goes through a
	# file, not $(...): a server a crashed suite left behind must not keep this script waiting on the pipe.
	# EWS_SUITE_TIMEOUT (seconds, unset: none): a suite that hangs is stopped and counted as failed instead of
	# holding up the rest, e.g. under valgrind on a slow machine.
	${EWS_SUITE_TIMEOUT:+timeout -k 10 "$EWS_SUITE_TIMEOUT"} ${EWS_TEST_WRAPPER:-} "$2" > "$3" 2>&1 < /dev/null
	rc=$?
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || [ -z "${EWS_SUITE_TIMEOUT:-}" ] ||
		echo "$(basename "$2"): stopped after EWS_SUITE_TIMEOUT=${EWS_SUITE_TIMEOUT}s" >> "$3"
	echo $rc > "$3.rc.tmp" && mv "$3.rc.tmp" "$3.rc"
	exit 0
fi

passed=0 failed=0 skipped=0 checks_skipped=0 bad=""
jobs=${EWS_SUITE_JOBS:-$((3 * $(nproc 2>/dev/null || echo 2)))}
logs=$(mktemp -d "${TMPDIR:-/tmp}/ews-suites.XXXXXX")
trap 'rm -rf "$logs"' EXIT
self=$0
case $self in /*) ;; *) self=$(pwd)/$self ;; esac
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s\n%s\n' "$t" "$logs/$i"
done | xargs -d '\n' -n 2 -P "$jobs" sh "$self" --one &
runner=$!

i=0
for t in "$@"; do
	i=$((i + 1))
	log=$logs/$i
	while [ ! -f "$log.rc" ]; do
		kill -0 $runner 2>/dev/null || [ -f "$log.rc" ] || { echo "run-suites: $t did not run" > "$log"; echo 1 > "$log.rc"; }
		[ -f "$log.rc" ] || sleep 0.2
	done
	rc=$(cat "$log.rc")
	echo "== $t"
	out=$(cat "$log")
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | awk '$1 == "tests" && NF >= 5 { print $4, $5 }' | tail -n 1)
	p=${line% *} f=${line#* }
	checks_skipped=$((checks_skipped + $(printf '%s\n' "$out" | grep -c '^  skipped: ')))
	if [ -z "$line" ] && [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q ': skipped: '; then
		skipped=$((skipped + 1))
		continue
	fi
	[ -n "$line" ] || { p=0 f=1; }
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" != 0 ]; then bad="$bad $(basename "$t")"; fi
done
wait $runner 2>/dev/null
echo
note=""
[ $checks_skipped -eq 0 ] || note=" ($checks_skipped checks skipped: the schema set lacks what they need)"
echo "suites: $passed passed, $failed failed, $skipped skipped$note"
if [ -n "$bad" ]; then echo "failing suites:$bad"; exit 1; fi
