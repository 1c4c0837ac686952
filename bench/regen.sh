#!/bin/sh
# bench/regen.sh [SCHEMA_DIR] [JOBS] — how long regenerating and building takes, from scratch (issue 11 point 8).
#
# Three runs, each in its own scratch tree (build/regen-*/, removed afterwards unless KEEP=1; generated/ untouched):
#   1. SCHEMA_DIR (default the newest official set): ewsgen, then the library, ewsd and the ews-* tools
#   2. the default set (wsdl/): the same, i.e. what `make` does on a fresh clone
#   3. the size of the stripped ews-find-items of run 2
# For each: wall time, CPU time (user + system of every process), peak RSS of the largest single process
# (/usr/bin/time -v), and the load average before and after, because the machine may be shared: CPU time is the
# figure that does not depend on the neighbours. Not a test: nothing here asserts a time.
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
	if ! /usr/bin/time -v -o "$tree.time" sh -c "$MAKE --no-print-directory -j$JOBS GEN=$tree/generated BUILD=$tree \
		SCHEMA_DIR=$2 SKIP_OFFICIAL=1 $tree/generated/STAMP >$tree.log 2>&1 && \
		$MAKE --no-print-directory -j$JOBS GEN=$tree/generated BUILD=$tree SCHEMA_DIR=$2 $PCH_ARG build >>$tree.log 2>&1"; then
		tail -20 "$tree.log"; echo "$1: build failed"; return 1
	fi
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tree.time")
	user=$(sed -n 's/.*User time (seconds): //p' "$tree.time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$tree.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tree.time")
	gen=$(du -sk --apparent-size "$tree/generated" | cut -f1)
	ops=$(sed -n 's/^operations: //p' "$tree/generated/STAMP")
	printf '%-14s %3s ops, generated C %5.1f MB: wall %s, CPU %.0f s (user %s + sys %s), peak RSS %d MB; load %s -> %s\n' \
		"$1" "$ops" "$(awk "BEGIN{print $gen/1024}")" "$wall" "$(awk "BEGIN{print $user+$sys}")" "$user" "$sys" \
		$((rss / 1024)) "$load0" "$load1"
}
# COMPARE=1: each run also without the precompiled soapH.h (PCH=, Makefile's build speed section), right before
# the run with it, so both see about the same neighbours: the ratio is the figure to trust on a shared machine.
compare() {
	if [ -n "${COMPARE:-}" ]; then PCH_ARG="PCH=" run "$1, no PCH" "$2"; fi
	PCH_ARG= run "$1" "$2"
}
compare "$(basename "$SCHEMA")" "$SCHEMA"
compare default wsdl
strip -o build/regen-default/ews-find-items.stripped build/regen-default/bin/ews-find-items
echo "stripped ews-find-items (default set): $(stat -c %s build/regen-default/ews-find-items.stripped) bytes"
[ -n "${KEEP:-}" ] || rm -rf build/regen-*
