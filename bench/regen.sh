#!/bin/sh
# bench/regen.sh [SCHEMA_DIR] [JOBS] — how long regenerating and building takes, from scratch (issue 11 point 8).
#
# Three runs, each in its own scratch tree (build/regen-*/, removed afterwards unless KEEP=1; generated/ untouched):
#   1. SCHEMA_DIR (default the newest official set): ewsgen, then the library, ewsd and the ews-* tools
#   2. the default set (wsdl/): the same, i.e. what `make` does on a fresh clone
#   3. `make` once more in run 2's tree with nothing changed (a no-op rebuild must stay quick)
#   4. the size of run 2's stripped ews-find-items as built (linked against libews.so), of the stripped libews.so,
#      and of the same tool linked statically (TOOLS_STATIC=1, as before issue 11 point 8's shared linking)
# For each: wall time, CPU time (user + system of every process), peak RSS of the largest single process
# (/usr/bin/time -v), and the load average before and after, because the machine may be shared: CPU time is the
# figure that does not depend on the neighbours. Not a test: nothing here asserts a time.
# PROFILE=1: every compiler process is timed too (bench/cc-time.sh), and the CPU is summed per kind of output
# (generated parts, runtime layers, ewsd, tools ...) with the ten most expensive objects: where the CPU goes.
set -eu
SCHEMA=${1:-../shared/ews-schemas/V2018_01_08}
JOBS=${2:-2}
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
[ -x /usr/bin/time ] || { echo "installing Debian's time (for /usr/bin/time -v)"; \
	$( [ "$(id -u)" = 0 ] || echo sudo ) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
$MAKE --no-print-directory -s build/tools/ewsgen
echo "regeneration bench: $(nproc) CPUs, make -j$JOBS, $(gcc --version | head -1)"

# run NAME SCHEMA_DIR: one scratch tree, generate + build, print the figures
PCH_ARG=
run() {
	tree=build/regen-$(echo "$1" | tr -c 'A-Za-z0-9_\n-' -)
	rm -rf "$tree"
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	cc_arg=; rm -f "$tree.cc"
	[ -z "${PROFILE:-}" ] || cc_arg="CC=$PWD/bench/cc-time.sh"
	# `make` itself (its default goal): generation and the core layer side by side, then the build stage
	if ! CC_TIME_LOG=$PWD/$tree.cc /usr/bin/time -v -o "$tree.time" sh -c "$MAKE --no-print-directory -j$JOBS \
		GEN=$tree/generated BUILD=$tree SCHEMA_DIR=$2 SKIP_OFFICIAL=1 $PCH_ARG $cc_arg all >$tree.log 2>&1"; then
		tail -20 "$tree.log"; echo "$1: build failed"; return 1
	fi
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	report "$1" "$load0" "$load1"
	[ ! -f "$tree.cc" ] || profile "$tree.cc" "$tree"
}
# report NAME LOAD0 LOAD1: the figures of $tree.time
report() {
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tree.time")
	user=$(sed -n 's/.*User time (seconds): //p' "$tree.time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$tree.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tree.time")
	gen=$(du -sk --apparent-size "$tree/generated" | cut -f1)
	ops=$(sed -n 's/^operations: //p' "$tree/generated/STAMP")
	printf '%-14s %3s ops, generated C %5.1f MB: wall %s, CPU %.1f s (user %s + sys %s), peak RSS %d MB; load %s -> %s\n' \
		"$1" "$ops" "$(awk "BEGIN{print $gen/1024}")" "$wall" "$(awk "BEGIN{print $user+$sys}")" "$user" "$sys" \
		$((rss / 1024)) "$2" "$3"
}
# profile LOG TREE: compiler CPU (user + sys) per kind of output, and the ten most expensive compiler processes
profile() {
	awk -v t="$2/" '{ o = $4; sub("^" t, "", o); n = split(o, p, "/"); k = p[1]
		if (k == "obj" || k == "pch") k = k "/" p[2]; else if (n == 1) k = "libraries"
		c[k] += $1 + $2; m[k]++; all += $1 + $2 }
		END { printf "  compiler CPU %.1f s, by output:", all; for (k in c) printf " %s %.1f s (%d),", k, c[k], m[k]; print "" }' "$1"
	echo "  most expensive:"; sort -k1,1gr "$1" | head -10 | awk -v t="$2/" '{ o = $4; sub("^" t, "", o)
		printf "    %5.2f + %4.2f s  %4d MB  %s\n", $1, $2, $3 / 1024, o }'
}
# COMPARE=1: each run also without the precompiled soapH.h (PCH=, Makefile's build speed section), right before
# the run with it, so both see about the same neighbours: the ratio is the figure to trust on a shared machine.
compare() {
	if [ -n "${COMPARE:-}" ]; then PCH_ARG="PCH=" run "$1, no PCH" "$2"; fi
	PCH_ARG= run "$1" "$2"
}
compare "$(basename "$SCHEMA")" "$SCHEMA"
compare default wsdl
# nothing changed: what `make` costs then (the rules' own checks, the recursive make, pkg-config calls)
tree=build/regen-default
load0=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/time -v -o "$tree.time" $MAKE --no-print-directory -j$JOBS GEN=$tree/generated BUILD=$tree SCHEMA_DIR=wsdl \
	build > "$tree.noop.log" 2>&1
report "default, no-op" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$(grep -c -e '^  CC' -e '^cc ' -e '^ar ' "$tree.noop.log")" = 0 ] || { echo "  (not a no-op: it rebuilt)"; head "$tree.noop.log"; }
size() { strip -o "$tree/stripped" "$1" && stat -c %s "$tree/stripped"; }
dyn=$(size $tree/bin/ews-find-items); so=$(size $tree/libews.so.*.*.*)
rm -f $tree/bin/ews-find-items
$MAKE --no-print-directory -s GEN=$tree/generated BUILD=$tree SCHEMA_DIR=wsdl TOOLS_STATIC=1 $tree/bin/ews-find-items >/dev/null
echo "stripped (default set): ews-find-items $dyn bytes + libews.so $so bytes; ews-find-items linked statically" \
	"(TOOLS_STATIC=1) $(size $tree/bin/ews-find-items) bytes"
[ -n "${KEEP:-}" ] || rm -rf build/regen-*
