#!/bin/sh
# exports-selftest.sh BUILD_DIR "OBJS" "LDLIBS" — `exports.sh check` must fail on a library that exports more
# than its headers declare: the same objects linked without the version script (every internal function
# global, as libews was before) must be refused, naming an internal function.
set -u
B=${1:?}; OBJS=${2:?}; LIBS=${3:-}
t=$(mktemp -d "${TMPDIR:-/tmp}/ews-exports-selftest.XXXXXX")
trap 'rm -rf "$t"' EXIT
# shellcheck disable=SC2086
${CC:-cc} -shared -o "$t/libews-unmapped.so" $OBJS $LIBS || { echo "exports selftest: link failed"; exit 1; }
if runtime/exports.sh check "$t/libews-unmapped.so" > "$t/out" 2>&1; then
	echo "exports selftest: FAILED: a library without the version script passed the check"; exit 1
fi
grep -q 'ews_transport_receive_body' "$t/out" ||
	{ echo "exports selftest: FAILED: the internal ews_transport_receive_body was not named"; cat "$t/out"; exit 1; }
echo "exports selftest: ok (the unmapped library is refused: $(head -n 1 "$t/out" | sed 's/.*exports \([0-9]*\) symbol.*/\1/') undeclared exports)"
