#!/bin/sh
# exports.sh — libews.so exports exactly what its public headers declare (issue 11 point 6).
#
#   exports.sh map OUT      write the linker version script: `global:` the library's symbols that the public
#                           headers declare (+ the callbacks gSOAP's library calls by name), `local: *;`
#   exports.sh check LIB    compare `nm -D --defined-only LIB` with the same set: fail on any extra export
#   exports.sh count LIB    the exported count, by origin (runtime headers / generated headers / gSOAP callbacks)
#   exports.sh public OUT   only the set the headers declare (+ callbacks), one name a line: `map` reads it from
#                           PUBLIC when set, so the build writes it as soon as the headers are generated, beside
#                           the compiles, and the map at the end is an nm and a comm (the last link waits less)
#
# Environment (the Makefile sets it): CC, HEADER_CFLAGS (include paths and gSOAP's -D flags; RT_HEADER_CFLAGS
# the same without generated/, to tell the runtime's declarations from the generated ones), HEADERS (the
# public headers: runtime/include/ews/*.h and the generated ones installed with them), OBJS (the library's
# objects), GSOAP_LIB (libgsoapssl.so, whose undefined callbacks the bindings define).
# "Declared" means: the name is an identifier of the preprocessed headers. Both the map and the check derive
# from the headers, so the map cannot drift from them: a new public function is exported once it is declared
# in a public header, and an internal one never is.
set -eu
mode=${1:?usage: exports.sh map OUT | public OUT | check LIB | count LIB}
arg=${2:?usage: exports.sh map OUT | public OUT | check LIB | count LIB}
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ews-exports.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# identifiers declared by the public headers, split by origin
declared() { # declared OUT CFLAGS HEADER...
	out=$1; flags=$2; shift 2
	: > "$tmp/tu.c"
	for h in "$@"; do printf '#include "%s"\n' "$h" >> "$tmp/tu.c"; done
	# shellcheck disable=SC2086
	$CC -E -P $flags "$tmp/tu.c" | grep -oE '[A-Za-z_][A-Za-z0-9_]*' | sort -u > "$out"
}
public_sets() {
	rt_headers=$(for h in $HEADERS; do case $h in runtime/include/*) echo "$PWD/$h";; esac; done)
	gen_headers=$(for h in $HEADERS; do case $h in runtime/include/*) ;; *) echo "$PWD/$h";; esac; done)
	# the runtime's headers on their own (without generated/ on the path ews/ews.h includes no generated header)
	# shellcheck disable=SC2086
	declared "$tmp/rt" "${RT_HEADER_CFLAGS:-$HEADER_CFLAGS}" $rt_headers
	# the generated headers (they pull in gSOAP's stdsoap2.h, whose callbacks the bindings define, and the runtime's)
	# shellcheck disable=SC2086
	declared "$tmp/gen-all" "$HEADER_CFLAGS" $gen_headers
	comm -23 "$tmp/gen-all" "$tmp/rt" > "$tmp/gen"
	# what gSOAP's library calls back by name (namespaces, soap_putheader, soap_faultcode ...)
	if [ -n "${GSOAP_LIB:-}" ] && [ -f "$GSOAP_LIB" ]; then
		nm -D --undefined-only "$GSOAP_LIB" | awk '{ print $NF }' | sed 's/@.*//' | grep -E '^(soap_|namespaces$)' |
			sort -u > "$tmp/callbacks"
	else
		: > "$tmp/callbacks"
	fi
	sort -u "$tmp/rt" "$tmp/gen" "$tmp/callbacks" > "$tmp/public"
}
if [ "$mode" = map ] && [ -n "${PUBLIC:-}" ]; then
	cp "$PUBLIC" "$tmp/public"
else
	public_sets
fi

case $mode in
public)
	cp "$tmp/public" "$arg"
	;;
map)
	# (nm's failure would not stop the pipe below: an object not built yet would leave its names out silently)
	for o in $OBJS; do [ -f "$o" ] || { echo "exports.sh: $o is missing (a prerequisite of the map?)" >&2; exit 1; }; done
	# shellcheck disable=SC2086
	nm -g --defined-only $OBJS | awk 'NF == 3 { print $3 }' | sort -u | comm -12 - "$tmp/public" > "$tmp/syms"
	{
		echo "/* libews.so's exports, written by runtime/exports.sh from the public headers: do not edit. */"
		echo "{"
		echo "global:"
		sed 's/.*/\t&;/' "$tmp/syms"
		echo "local:"
		echo "	*;"
		echo "};"
	} > "$arg"
	;;
check)
	nm -D --defined-only "$arg" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u > "$tmp/exported"
	comm -23 "$tmp/exported" "$tmp/public" > "$tmp/extra"
	if [ -s "$tmp/extra" ]; then
		echo "exports: $arg exports $(wc -l < "$tmp/extra") symbol(s) no public header declares:"
		sed "s/^/  /" "$tmp/extra"
		exit 1
	fi
	echo "exports: ok: $(wc -l < "$tmp/exported") symbols exported by $(basename "$arg"), every one declared by a public header"
	;;
count)
	nm -D --defined-only "$arg" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' | sort -u > "$tmp/exported"
	echo "$(wc -l < "$tmp/exported") exported: $(comm -12 "$tmp/exported" "$tmp/rt" | wc -l) from runtime/include/ews," \
	     "$(comm -12 "$tmp/exported" "$tmp/gen" | comm -23 - "$tmp/callbacks" | wc -l) generated," \
	     "$(comm -12 "$tmp/exported" "$tmp/callbacks" | comm -23 - "$tmp/rt" | wc -l) gSOAP callbacks"
	;;
*)
	echo "exports.sh: unknown mode $mode" >&2; exit 2 ;;
esac
