#!/bin/sh
# tests/schema/identity.sh BUILD [OFFICIAL_BUILD...] — schema identity across builds (README: Install).
#
# A program compiled against BUILD's headers (GEN's ews_schema.h) and linked with BUILD's libews:
#   1. runs with BUILD's library: ews_client_new succeeds;
#   2. runs with an official-schema build's library put in its place (same file name, as an install over the
#      old one would): ews_client_new fails with EWS_ERR_SCHEMA_MISMATCH naming both schemas, never a client;
#   3. that library has its own soname (libews-<set>.so.0), so the loader never picks it by accident;
#   4. `make install-files` of both builds into one prefix: each program, compiled with its build's pkg-config
#      name, runs against its own library in the same lib/.
# The official build trees are the ones `make check-official` made (build-official-*). Without one (or with one
# from before schema identity) the checks are skipped with a message when SKIP_OFFICIAL is set, and fail otherwise.
# Environment: GEN (default generated), MAKE (default make), SKIP_OFFICIAL.
set -u
BUILD=${1:?usage: identity.sh BUILD [OFFICIAL_BUILD...]}
shift
GEN=${GEN:-generated}
cd "$(dirname "$0")/../.." || exit 1   # BUILD, GEN and the official trees are relative to the top
MAKE=${MAKE:-make}
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
skip() {
	if [ -n "${SKIP_OFFICIAL:-}" ]; then echo "identity checks: skipped (SKIP_OFFICIAL): $*"; exit 0; fi
	echo "FAIL: identity checks: $*"; exit 1
}
stamp() { sed -n "s/^$1: //p" "$2/STAMP" 2>/dev/null; }

own_lib=$(stamp library "$GEN")
[ -n "$own_lib" ] || { echo "FAIL: $GEN/STAMP has no library line: regenerate (make)"; exit 1; }
other=""
for b in "$@"; do
	[ -d "$b" ] || continue
	if [ -z "$(stamp bindings-hash "$b/generated")" ] || ! ls "$b"/lib*.so.*.*.* >/dev/null 2>&1 ||
	   ! nm -D --defined-only "$b"/lib*.so.*.*.* 2>/dev/null | grep -q ' ews_client_new_for_schema$'; then
		echo "note: $b predates schema identity (make check-official rebuilds it)"; continue
	fi
	[ "$(stamp bindings-hash "$b/generated")" != "$(stamp bindings-hash "$GEN")" ] && { other=$b; break; }
done
[ -n "$other" ] || skip "no official-schema build tree with other bindings (make check-official makes them)"
other_lib=$(stamp library "$other/generated") other_name=$(stamp schema-name "$other/generated")
own_name=$(stamp schema-name "$GEN")

work=$(mktemp -d "${TMPDIR:-/tmp}/ews-identity.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cat > "$work/prog.c" <<'C'
#include <stdio.h>
#include <ews/ews.h>
int main(void)
{
	ews_client *c = NULL;
	ews_status st = ews_client_new("http://127.0.0.1:1/EWS/Exchange.asmx", NULL, &c);

	printf("%s: %s\n", ews_strerror(st.code), st.message);
	ews_client_free(c);
	return st.code == EWS_OK ? 0 : st.code == EWS_ERR_SCHEMA_MISMATCH ? 3 : 1;
}
C
GS="$(pkg-config --cflags --libs gsoapssl)"
if ! cc -std=gnu11 -Iruntime/include -I"$GEN" -o "$work/prog" "$work/prog.c" -L"$BUILD" -l"$own_lib" $GS \
	2> "$work/cc.err"; then
	cat "$work/cc.err"; echo "FAIL: the program does not build against $BUILD"; exit 1
fi

# ---- 1 and 2 ----
LD_LIBRARY_PATH=$BUILD "$work/prog" > "$work/own.out"; rc=$?
[ $rc -eq 0 ] && ok "compiled against $own_name's headers, run with its library: a client" ||
	bad "with its own library (rc $rc): $(cat "$work/own.out")"
mkdir "$work/swapped"
ln -s "$(cd "$other" && pwd)/$(cd "$other" && ls lib*.so.*.*.* | head -1)" "$work/swapped/lib$own_lib.so.0"
LD_LIBRARY_PATH=$work/swapped "$work/prog" > "$work/swapped.out" 2>&1; rc=$?
if [ $rc -eq 3 ] && grep -q "'$own_name'" "$work/swapped.out" && grep -q "'$other_name'" "$work/swapped.out"; then
	ok "run with $other_name's library instead: $(cat "$work/swapped.out")"
else
	bad "run with $other_name's library instead (rc $rc, expected EWS_ERR_SCHEMA_MISMATCH naming both): $(cat "$work/swapped.out")"
fi

# ---- 3 ----
soname=$(readelf -d "$work/swapped/lib$own_lib.so.0" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "lib$other_lib.so.0" ] && [ "$other_lib" != "$own_lib" ] &&
	ok "$other_name's library has its own soname ($soname)" ||
	bad "$other_name's library soname is '$soname' (own library lib$own_lib)"

# ---- 4. both installed in one prefix ----
pfx=$work/prefix
for b in "$BUILD:$GEN" "$other:$other/generated"; do
	if ! $MAKE --no-print-directory -s BUILD="${b%%:*}" GEN="${b#*:}" PREFIX="$pfx" SKIP_OFFICIAL=1 install-files \
		> "$work/install.log" 2>&1; then
		tail -20 "$work/install.log"; bad "make install-files of ${b%%:*} into $pfx"
	fi
done
for l in "$own_lib" "$other_lib"; do
	if PKG_CONFIG_PATH=$pfx/lib/pkgconfig pkg-config --exists "lib$l" &&
	   cc -std=gnu11 -o "$work/prog-$l" "$work/prog.c" $(PKG_CONFIG_PATH=$pfx/lib/pkgconfig pkg-config --cflags --libs "lib$l") \
		2> "$work/cc-$l.err" && LD_LIBRARY_PATH=$pfx/lib "$work/prog-$l" > "$work/run-$l.out"; then
		ok "installed side by side: a program built with \`pkg-config lib$l\` gets a client from its library"
	else
		cat "$work/cc-$l.err" "$work/run-$l.out" 2>/dev/null; bad "installed side by side: lib$l"
	fi
done
[ -x "$pfx/bin/ews-find-items${own_lib#ews}" ] && [ -x "$pfx/bin/ews-find-items${other_lib#ews}" ] &&
	ok "both builds' commands installed (ews-find-items${own_lib#ews}, ews-find-items${other_lib#ews})" ||
	bad "commands of both builds in $pfx/bin: $(ls "$pfx/bin" | tr '\n' ' ')"

[ $fail -eq 0 ] && echo "identity checks: all passed" || echo "identity checks: SOME FAILED"
exit $fail
