#!/bin/sh
# run-suites.sh TEST_BINARY... — run each CUnit suite binary, then print one total line.
# Each binary prints CUnit's own "Run Summary"; this adds the totals and fails if any suite failed or crashed.
# A suite that prints ": skipped: " and no summary is counted skipped (its bindings' schema set lacks what it
# tests); lines "  skipped: ..." are checks a suite skipped for that reason (tests/common/ews_test.h), counted too.
set -u
passed=0 failed=0 skipped=0 checks_skipped=0 bad=""
log=$(mktemp "${TMPDIR:-/tmp}/ews-suite.XXXXXX")
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	echo "== $t"
	# EWS_TEST_WRAPPER: e.g. "valgrind -q --error-exitcode=99" (make check-valgrind). Output goes through a
	# file, not $(...): a server a crashed suite left behind must not keep this script waiting on the pipe.
	# EWS_SUITE_TIMEOUT (seconds, unset: none): a suite that hangs is stopped and counted as failed instead of
	# holding up the rest, e.g. under valgrind on a slow machine.
	${EWS_SUITE_TIMEOUT:+timeout -k 10 "$EWS_SUITE_TIMEOUT"} ${EWS_TEST_WRAPPER:-} "$t" > "$log" 2>&1; rc=$?
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || [ -z "${EWS_SUITE_TIMEOUT:-}" ] ||
		echo "$(basename "$t"): stopped after EWS_SUITE_TIMEOUT=${EWS_SUITE_TIMEOUT}s" >> "$log"
	out=$(cat "$log")
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | awk '$1 == "tests" && NF >= 5 { print $4, $5 }' | tail -n 1)
	p=${line% *} f=${line#* }
	checks_skipped=$((checks_skipped + $(printf '%s\n' "$out" | grep -c '^  skipped: ')))
	if [ -z "$line" ] && [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q ': skipped: '; then
		skipped=$((skipped + 1))
		continue
	fi
	[ -n "$line" ] || { p=0 f=1; }
	passed=$((passed + p)) failed=$((failed + f))
	if [ $rc -ne 0 ] || [ "$f" != 0 ]; then bad="$bad $(basename "$t")"; fi
done
echo
note=""
[ $checks_skipped -eq 0 ] || note=" ($checks_skipped checks skipped: the schema set lacks what they need)"
echo "suites: $passed passed, $failed failed, $skipped skipped$note"
if [ -n "$bad" ]; then echo "failing suites:$bad"; exit 1; fi
