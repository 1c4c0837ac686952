# bench/lib.sh — shell helpers bench/run.sh and bench/transfer.sh share (sourced; they set WORK and PIDS).

# start_bg OUTFILE CMD...: start CMD in the background, wait for its first stdout line (a URL or a port):
# LINE = that line, LAST_PID = its pid (not in a subshell: PIDS must see it for the cleanup)
start_bg() {
	local out=$1; shift
	rm -f "$out"
	"$@" >"$out" 2>>"$WORK/servers.log" &
	PIDS+=($!)
	LAST_PID=$!
	for _ in $(seq 1 300); do [ -s "$out" ] && break; sleep 0.05; done
	[ -s "$out" ] || { echo "bench: $1 did not start (see $WORK/servers.log)" >&2; exit 1; }
	LINE=$(head -n1 "$out")
}
stop_bg() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
# field NAME LINE: the value of NAME=... in a RESULT line
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
median() { sort -g | awk '{v[NR]=$1} END {print NR ? v[int((NR+1)/2)] : 0}'; }
# server CPU seconds of PID so far (utime + stime, clock ticks)
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
