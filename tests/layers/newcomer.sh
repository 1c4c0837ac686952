#!/bin/sh
# newcomer.sh BUILD_DIR GEN_DIR — tests/layers/newcomer.c (one include, a paged search, < 30 lines) built against
# the shared library only, run against a seeded local ewsd: every item of the inbox comes back, through exactly
# the symbols libews.so exports (a public function the version script hid would fail the link or the load).
set -u
B=${1:?usage: newcomer.sh BUILD_DIR GEN_DIR}
G=${2:?usage: newcomer.sh BUILD_DIR GEN_DIR}
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/ews-newcomer.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; rm -rf "$t"; }
trap cleanup EXIT
fail() { echo "newcomer: FAILED: $*"; exit 1; }
# The library's name as the build names it: libews from our schema, libews-<set> after `make generate
# SCHEMA_DIR=<official set>` (the "library:" line of STAMP, as the Makefile reads it)
lib=$(sed -n 's/^library: //p' "$G/STAMP" 2>/dev/null)
lib=${lib:-ews}

lines=$(grep -c '' "$here/newcomer.c")
[ "$lines" -lt 30 ] || fail "newcomer.c has $lines lines (the promise is under 30)"
[ "$(grep -c '#include <ews/' "$here/newcomer.c")" = 1 ] || fail "newcomer.c should need one libews include"
# shellcheck disable=SC2046
${CC:-cc} -std=gnu11 -Wall -Werror ${NEWCOMER_CFLAGS:-} $(pkg-config --cflags gsoapssl) -Iruntime/include -I"$G" -o "$t/newcomer" \
	"$here/newcomer.c" -L"$B" -l"$lib" -Wl,-rpath,"$(cd "$B" && pwd)" || fail "does not build against $B/lib$lib.so"
ldd "$t/newcomer" | grep -q "$(cd "$B" && pwd)/lib$lib.so" || fail "not linked against $B/lib$lib.so"

"$B/bin/ewsd" seed --data "$t/data" --mailbox new@example.com --items 23 --seed 7 >/dev/null || fail "ewsd seed"
"$B/bin/ewsd" --listen 127.0.0.1:0 --data "$t/data" >"$t/url" 2>"$t/ewsd.err" &
pid=$!
for _ in $(seq 100); do [ -s "$t/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$t/url")
case "$url" in http://127.0.0.1:*) ;; *) fail "ewsd did not start: $(cat "$t/ewsd.err")" ;; esac
env -u EWS_TOKEN -u EWS_AUTH -u EWS_IMPERSONATE -u EWS_VERSION EWS_URL="$url" EWS_USER=new@example.com \
	EWS_PASSWORD=x "$t/newcomer" >"$t/out" 2>"$t/err" || fail "exit $?: $(cat "$t/err")"
n=$(grep -c '' "$t/out")
inbox=$("$B/bin/ews-find-items" --url "$url" --user new@example.com --password x --json 2>/dev/null |
	sed -n 's/.*"total_in_view":\([0-9]*\).*/\1/p' | tail -n 1)
[ "$n" -gt 0 ] && [ "$n" = "$inbox" ] || fail "$n items paged, the inbox holds ${inbox:-?}"
echo "newcomer: ok: $lines lines, one include, $n inbox items paged through lib$lib.so"
