#!/bin/sh
# run-suites.sh TEST_BINARY... — run each CUnit suite binary, then print one total line.
# Each binary prints CUnit's own "Run Summary"; this adds the totals and fails if any suite failed or crashed.
set -u
passed=0 failed=0 skipped=0 bad=""
for t in "$@"; do
	echo "== $t"
	# EWS_TEST_WRAPPER: e.g. "valgrind -q --error-exitcode=99" (make check-valgrind)
	out=$(${EWS_TEST_WRAPPER:-} "$t" 2>&1); rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | awk '$1 == "tests" && NF >= 5 { print $4, $5 }' | tail -n 1)
	p=${line% *} f=${line#* }
	if [ -z "$line" ] && [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q ': skipped: '; then
		skipped=$((skipped + 1))
		continue
	fi
	[ -n "$line" ] || { p=0 f=1; }
	passed=$((passed + p)) failed=$((failed + f))
	if [ $rc -ne 0 ] || [ "$f" != 0 ]; then bad="$bad $(basename "$t")"; fi
done
echo
echo "suites: $passed passed, $failed failed, $skipped skipped"
if [ -n "$bad" ]; then echo "failing suites:$bad"; exit 1; fi
