#!/bin/sh
# check-layers.sh BUILD_DIR — fail on a back edge between libews's layers (make check-layers; part of make check).
#
#   runtime/core  <  generated (generated/ + runtime/binding)  <  runtime/workflows (+ runtime/src, unsorted)
#   examples/tools/cli (the tools' support) and server/ are outside libews.
#
# From the objects the build made, by symbol: the lists the Makefile passes (LAYER_CORE, LAYER_GEN, LAYER_ABOVE,
# LAYER_OUTSIDE), else every BUILD_DIR/obj/<layer>/*.o:
#   1. no core object references a symbol defined by a generated, binding, workflows or runtime/src object;
#   2. no generated or binding object references a symbol defined by a workflows or runtime/src object;
#   3. libews (BUILD_DIR/libews.a) holds no object of examples/tools/cli or server/, and defines none of their
#      symbols.
# The include paths (core compiles without generated/, see the Makefile) stop a back edge at compile time;
# this stops one that a forward declaration would let through.
set -u
B=${1:?usage: check-layers.sh BUILD_DIR}
NM=${NM:-nm}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ews-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

objs() { for d in "$@"; do ls "$B/obj/$d"/*.o 2>/dev/null; done; }
defined() { [ -n "$1" ] && $NM -g --defined-only $1 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u; }
undefined() { [ -n "$1" ] && $NM -u $1 2>/dev/null | awk 'NF == 2 { print $2 }' | sort -u; }

core=${LAYER_CORE:-$(objs core)}
gen=${LAYER_GEN:-$(objs gen binding)}
above=${LAYER_ABOVE:-$(objs workflows runtime)}
[ -n "$core" ] && [ -n "$gen" ] || { echo "check-layers: no objects under $B/obj/core or $B/obj/gen: build first" >&2; exit 2; }

# 1. core -> generated / workflows
{ defined "$gen"; defined "$above"; } | sort -u > "$tmp/upper"
for o in $core; do
	undefined "$o" | comm -12 - "$tmp/upper" > "$tmp/edge"
	if [ -s "$tmp/edge" ]; then
		echo "check-layers: back edge: core object $(basename "$o") references $(tr '\n' ' ' < "$tmp/edge")"
		fail=1
	fi
done

# 2. generated -> workflows
defined "$above" > "$tmp/wf"
for o in $gen; do
	undefined "$o" | comm -12 - "$tmp/wf" > "$tmp/edge"
	if [ -s "$tmp/edge" ]; then
		echo "check-layers: back edge: generated-layer object $(basename "$o") references $(tr '\n' ' ' < "$tmp/edge")"
		fail=1
	fi
done

# 3. the tools' support and the server side stay out of libews (LAYER_LIB: libews-<set>.a after `make generate`
# from an official set; the Makefile passes it)
lib_a=${LAYER_LIB:-$B/libews.a}
if [ -f "$lib_a" ]; then
	outside=${LAYER_OUTSIDE:-$(objs cli server)}
	defined "$outside" > "$tmp/outside"
	$NM -g --defined-only "$lib_a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u | comm -12 - "$tmp/outside" > "$tmp/edge"
	if [ -s "$tmp/edge" ]; then
		echo "check-layers: libews.a defines symbols of examples/tools/cli or server/: $(tr '\n' ' ' < "$tmp/edge")"
		fail=1
	fi
fi

if [ $fail = 0 ]; then
	echo "check-layers: ok: core $(echo $core | wc -w) objects, generated $(echo $gen | wc -w), workflows $(echo $above | wc -w); no back edge"
fi
exit $fail
