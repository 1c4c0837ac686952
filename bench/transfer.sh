#!/bin/bash
# bench/transfer.sh BUILD — issue 12 point 6, run by `make bench` (alone: `make bench-transfer`): what exporting
# and backing up a seeded mailbox costs, next to a plain ExportItems loop over the same items.
#
# 1. One ewsd store with one mailbox of BENCH_TRANSFER_ITEMS items (default 20000, ~3 KB of item data each),
#    seeded once into BUILD/bench-data/transfer-N and kept.
# 2. Client side: each scenario is recorded once from ewsd through `bench-replay record` and then run
#    BENCH_TRANSFER_RUNS times (default 5) against `bench-replay serve` (the exact recorded bytes: ewsd's CPU is
#    not in the way, every run decodes the same responses, a request that differs from the recorded one fails
#    the run). The scenarios run interleaved, one of each per round, so that the "vs loop" column (median of the
#    per-round CPU ratios to the loop) compares runs that saw the same machine load.
#      loop            bench-exportloop: ExportItems in batches through the generated call, Data sizes summed,
#                      nothing written: the yardstick
#      to_files        ews_export_items_to_files (ews/export.h): one file per item, written and renamed
#      export_to_dir   ews_export_to_dir: the same plus the manifest, one syncfs + one append per batch
#      ..., packed     ews_export_to_dir into a packed directory (.pack: one pack file, one fdatasync a batch)
#      ews-backup      the tool, first run of the whole mailbox: SyncFolderHierarchy, SyncFolderItems per folder,
#                      ews_export_to_dir of what they report (packed, its default)
#      ... --files     the same with a file per item
#      ews-backup 2nd  the tool again over that backup with nothing changed (sync calls only)
#    CPU = getrusage of the client process (user + system: file system calls count), peak RSS = its VmHWM;
#    "over start" = peak RSS minus the resident set before the first request (the bench programs print it; for
#    the tool, bench-rss.so notes it at its first connect()); "batch" = the largest recorded ExportItems
#    response (the XML of one batch). Every client runs with bench/rss_shim.c preloaded (bench-rss.so); after
#    the timed rounds, one more round runs each scenario with BENCH_PREFAULT=1 (its code mapped in before
#    start): the "code in" column, the memory the run itself takes over start, without the first touches of
#    program text that the cold runs count (~1 MiB, the same for any batch). Neither is asserted. What a peak is
#    made of (each mapping at start and at the peak): BENCH_PEAK_MAPS=FILE with bench-rss.so (bench/rss_shim.c).
# 3. The whole pipe against ewsd itself (BENCH_TRANSFER_LIVE_RUNS, default 3): wall-clock MB/s of item data,
#    the client's CPU and ewsd's (/proc/PID/stat, 10 ms ticks).
# Batches of 256 items: ews-backup's and ews-export-items' default (at most 256 items and 2 MiB of them a batch;
# these items are ~3 KB, so 256 a batch), and every scenario's here, so that "vs loop" compares the same batches.
# Knobs: BENCH_TRANSFER_ITEMS, BENCH_EXPORT_BATCH (256), BENCH_TRANSFER_RUNS, BENCH_TRANSFER_LIVE_RUNS,
# BENCH_RERECORD=1 (record again; done by itself when the programs changed since the recordings),
# BENCH_TRANSFER_BEFORE=DIR (an earlier build's bin/ and bench/, e.g. a copy of
# build/ taken before a change: each scenario also runs with those programs, "(before)" rows, interleaved in the
# same rounds; the whole pipe then runs them against that build's ewsd, a second server on the same store).
# No timing is asserted: this prints tables.
set -euo pipefail

B=${1:-build}
BIN=$B/bin
BB=$B/bench
ITEMS=${BENCH_TRANSFER_ITEMS:-20000}
BATCH=${BENCH_EXPORT_BATCH:-256}
RUNS=${BENCH_TRANSFER_RUNS:-5}
LIVE_RUNS=${BENCH_TRANSFER_LIVE_RUNS:-3}
DATA=$B/bench-data/transfer-$ITEMS
REC=$DATA/recorded-$BATCH
WORK=$B/bench-data/transfer-run
MBX=xfer$ITEMS@example.com
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK"
: >"$WORK/servers.log"
if [ ! -f "$DATA/seeded" ]; then
	rm -rf "$DATA"; mkdir -p "$DATA"
	echo "seeding $DATA (once): $ITEMS items ..."
	"$BIN/ewsd" seed --data "$DATA/store" --mailbox "$MBX" --items "$ITEMS" --seed 7 >/dev/null
	touch "$DATA/seeded"
fi
start_bg "$WORK/ewsd.url" "$BIN/ewsd" --listen 127.0.0.1:0 --data "$DATA/store" --log /dev/null
EWSD_URL=$LINE
EWSD_PID=$LAST_PID

BEFORE=${BENCH_TRANSFER_BEFORE:-}
if [ -n "$BEFORE" ]; then
	start_bg "$WORK/ewsd-before.url" "$BEFORE/bin/ewsd" --listen 127.0.0.1:0 --data "$DATA/store" --log /dev/null
	EWSD_BEFORE_URL=$LINE
	EWSD_BEFORE_PID=$LAST_PID
fi

# ---- the scenarios: NAME -> command (@URL@ = the endpoint), PREP -> what makes its output directory fresh ----
OUT=$WORK/out
# ONE: --one-connection against the replay (it serves one connection; ews-backup fetches ahead on a second one by
# default), nothing against ewsd and for an earlier build's tool that does not have the option
backup() { env EWS_URL="$1" EWS_USER="$MBX" EWS_PASSWORD=x "$BIN/ews-backup" --dir "$OUT" --batch "$BATCH" --json $ONE; }
backupf() { env EWS_URL="$1" EWS_USER="$MBX" EWS_PASSWORD=x "$BIN/ews-backup" --dir "$OUT" --batch "$BATCH" --json $ONE --files; }
ONE=--one-connection
declare -A CMD PREP LABEL
CMD[loop]="$BB/bench-exportloop @URL@ $MBX $WORK/ids --batch $BATCH"
CMD[files]="$BB/bench-export @URL@ $MBX $WORK/ids $OUT --batch $BATCH"
CMD[dir]="$BB/bench-exportdir @URL@ $MBX $WORK/ids $OUT --batch $BATCH"
CMD[backup]="tool backup @URL@ $BIN"
CMD[again]="tool backup @URL@ $BIN"
CMD[dirp]="$BB/bench-exportdir @URL@ $MBX $WORK/ids $OUT --batch $BATCH --pack"
CMD[backupf]="tool backupf @URL@ $BIN"
# The previous output is moved aside, not deleted: ext4 allocating inodes right after thousands were deleted
# scans them (recently_deleted() in the kernel profile) and costs 5-20x more per file than in a fresh directory,
# which is not what an export pays. The moved-aside trees go when the script ends.
TRASH=$WORK/trash
rm -rf "$TRASH"; mkdir -p "$TRASH"
aside() { if [ -e "$OUT" ]; then mv "$OUT" "$(mktemp -d "$TRASH/XXXXXX")/"; fi; }
PREP[loop]=":"
PREP[files]="aside; mkdir -p $OUT"
PREP[dir]="aside"
PREP[backup]="aside"
PREP[again]="aside; cp -a $DATA/backup-done $OUT"
PREP[dirp]="aside"
PREP[backupf]="aside"
LABEL[loop]="ExportItems loop"
LABEL[files]="to_files (export.h)"
LABEL[dir]="export_to_dir"
LABEL[backup]="ews-backup"
LABEL[again]="ews-backup, 2nd run"
LABEL[dirp]="export_to_dir, packed"
LABEL[backupf]="ews-backup --files"
# the whole pipe only (two connections: the replay serves one): export_to_dir fetching the next batch on a second
# client while it writes one (ews_export_dir_options.fetch_client)
CMD[dir2]="$BB/bench-exportdir @URL@ $MBX $WORK/ids $OUT --batch $BATCH --fetch-ahead"
PREP[dir2]="aside"
LABEL[dir2]="export_to_dir, fetch ahead"
LIVE_ORDER=(loop files dir dir2 dirp backup backupf again)
ORDER=(loop files dir dirp backup backupf again)
# NAME_b: the same with the earlier build's programs, recorded replies shared (the requests must not differ)
if [ -n "$BEFORE" ]; then
	for s in loop files dir backup again; do
		c=${CMD[$s]}
		c=${c//$BB\//$BEFORE/bench/}
		CMD[${s}_b]=${c/% $BIN/ $BEFORE/bin}
		PREP[${s}_b]=${PREP[$s]}
		LABEL[${s}_b]="${LABEL[$s]} (before)"
	done
	ORDER=(loop loop_b files files_b dir dir_b backup backup_b again again_b)
	LIVE_ORDER=(loop loop_b files files_b dir dir_b dir2 backup backup_b again again_b)
fi
# a scenario's recording (the before variant replays the same one; the packed export and the backup with files
# send the same requests as export_to_dir and the backup)
rec_of() { case $1 in dirp) echo dir ;; backupf) echo backup ;; *) echo "${1%_b}" ;; esac; }

# tool FN URL: run the tool FN against URL as one RESULT line (items/data from the manifests it wrote; CPU and
# peak RSS from wait4 via bench-cputime; base = its resident set at its first connect(), noted by bench-rss.so,
# else its peak RSS with --help)
TOOL_BASE=$("$BB/bench-cputime" 1 "$BIN/ews-backup" --help)
SHIM=$(cd "$BB" && pwd)/bench-rss.so
PREFAULT=0
tool() {
	local fn=$1 url=$2 bin=${3:-$BIN} t0 t1 r
	t0=$(date +%s.%N)
	local one=$ONE
	[ "$bin" = "$BIN" ] || "$bin/ews-backup" --help 2>&1 | grep -q -- --one-connection || one=
	rm -f "$WORK/tool.start"
	r=$(BENCH_RSS_START=$WORK/tool.start "$BB/bench-cputime" 1 bash -c "$(declare -f "$fn"); MBX=$MBX BIN=$bin OUT=$OUT BATCH=$BATCH ONE=$one; $fn $url")
	t1=$(date +%s.%N)
	local n d
	read -r n d < <(cat "$OUT"/*/manifest.tsv 2>/dev/null | awk -F'\t' '$5 == "exported" {n++; d += $4} END {print n + 0, d + 0}')
	[ "$PREP_IS_AGAIN" = 1 ] && n=$((n - BASE_N)) && d=$((d - BASE_D))
	echo "RESULT items=$n requests=0 cpu=$(field cpu "$r") wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') hwm_kib=$(field maxrss_kib "$r") data_bytes=$d"
	echo "INFO base_kib=$(cat "$WORK/tool.start" 2>/dev/null || field maxrss_kib "$TOOL_BASE")"
}
# run NAME URL: one run of scenario NAME against URL, prints its RESULT and INFO lines
run() {
	local name=$1 url=$2
	eval "${PREP[$name]}"
	# the previous runs' files written back first: syncfs (one per batch) flushes the whole file system, so a run
	# started with another's data still dirty would wait for that too (not counted: outside the measured process)
	sync
	PREP_IS_AGAIN=$([ "$(rec_of "$name")" = again ] && echo 1 || echo 0)
	local c=${CMD[$name]}
	c=${c//@URL@/$url}
	# (bench-rss.so in every client: a tool's start noted, its code mapped in first when PREFAULT=1)
	# shellcheck disable=SC2086  # (no spaces in the paths: the words are the arguments)
	LD_PRELOAD=$SHIM BENCH_PREFAULT=$PREFAULT $c
}

# ---- the recordings (once; the ids are what the first backup exported: the whole mailbox) ----
record_one() { # NAME
	local name=$1
	rm -rf "${REC:?}/$name"; mkdir -p "$REC/$name"
	echo "  recording $name from ewsd (once) ..."
	start_bg "$WORK/rec.port" "$BB/bench-replay" record "$(sed -E 's#^https?://([^/]*)/.*#\1#' <<<"$EWSD_URL")" "$REC/$name"
	local port=$LINE rec=$LAST_PID out
	out=$(run "$name" "http://127.0.0.1:$port/EWS/Exchange.asmx")
	stop_bg "$rec"
	field items "$(grep '^RESULT' <<<"$out")" >"$REC/$name.items"
}
BASE_N=0 BASE_D=0
# the programs that make the requests: a recording made by others is replayed only if they send the same requests,
# so it is made again when they changed (the replay refuses a request that differs, and the run would fail)
PROGS_SUM=$(cat "$BIN/ews-backup" "$B/libews.so.0" "$BB/bench-exportloop" "$BB/bench-export" "$BB/bench-exportdir" |
	sha1sum | cut -d' ' -f1)
if [ -s "$REC/again.items" ] && [ "$(cat "$REC/programs" 2>/dev/null)" != "$PROGS_SUM" ] && [ -z "${BENCH_RERECORD:-}" ]; then
	echo "  the programs changed since the recordings in $REC: recording again"
	BENCH_RERECORD=1
fi
if [ -n "${BENCH_RERECORD:-}" ] || [ ! -s "$REC/again.items" ]; then
	rm -rf "$REC" "$DATA/backup-done" "$DATA/ids"; mkdir -p "$REC"
	echo "$PROGS_SUM" >"$REC/programs"
	record_one backup
	cp -a "$OUT" "$DATA/backup-done"
	cat "$OUT"/*/manifest.tsv | awk -F'\t' '$5 == "exported" {print $2}' >"$DATA/ids"
	cp "$DATA/ids" "$WORK/ids"
	read -r BASE_N BASE_D < <(cat "$OUT"/*/manifest.tsv | awk -F'\t' '$5 == "exported" {n++; d += $4} END {print n + 0, d + 0}')
	record_one again
	for s in loop files dir; do record_one "$s"; done
fi
cp "$DATA/ids" "$WORK/ids"
read -r BASE_N BASE_D < <(cat "$DATA/backup-done"/*/manifest.tsv | awk -F'\t' '$5 == "exported" {n++; d += $4} END {print n + 0, d + 0}')
N_IDS=$(wc -l <"$WORK/ids")
BATCH_KIB=$(( $(stat -c %s "$REC"/dir/*.body | sort -n | tail -n1) / 1024 ))   # (no `| head`: pipefail)

# ---- 2. client side, against the replays, interleaved rounds ----
declare -A PORT SERVER
for s in "${ORDER[@]}"; do
	start_bg "$WORK/$s.serve" "$BB/bench-replay" serve "$REC/$(rec_of "$s")"
	PORT[$s]=$LINE
	SERVER[$s]=$LAST_PID
done
echo "measuring the client: $RUNS rounds of ${ORDER[*]} against bench-replay (the recorded ewsd responses) ..."
declare -A RES
for _ in $(seq 1 "$RUNS"); do
	for s in "${ORDER[@]}"; do
		out=$(run "$s" "http://127.0.0.1:${PORT[$s]}/EWS/Exchange.asmx")
		r=$(grep '^RESULT' <<<"$out")
		want=$(cat "$REC/$(rec_of "$s").items")
		[ "$(field items "$r")" = "$want" ] || { echo "bench: $s: $(field items "$r") items, expected $want" >&2; exit 1; }
		RES[$s]+="$r base_kib=$(field base_kib "$(grep '^INFO' <<<"$out")")"$'\n'
	done
done
# the peak again with each client's code mapped in before its start (one round: RSS only, its CPU not used)
echo "measuring the peak RSS with the code mapped in first: one more round ..."
declare -A WARM
PREFAULT=1
for s in "${ORDER[@]}"; do
	out=$(run "$s" "http://127.0.0.1:${PORT[$s]}/EWS/Exchange.asmx")
	WARM[$s]=$(( $(field hwm_kib "$(grep '^RESULT' <<<"$out")") - $(field base_kib "$(grep '^INFO' <<<"$out")") ))
done
PREFAULT=0
ROWS=()
for s in "${ORDER[@]}"; do
	rs=${RES[$s]}
	med() { grep . <<<"$rs" | while read -r l; do field "$1" "$l"; done | median; }
	# vs loop: per round, this scenario's CPU / the loop's of the same round
	ratio=$(paste <(grep . <<<"${RES[$s]}" | while read -r l; do field cpu "$l"; done) \
	              <(grep . <<<"${RES[loop${s#"${s%_b}"}]}" | while read -r l; do field cpu "$l"; done) |
	        awk '{print $1 / $2}' | median)
	ROWS+=("$(awk -v l="${LABEL[$s]}" -v n="$(med items)" -v c="$(med cpu)" -v h="$(med hwm_kib)" -v b="$(med base_kib)" \
		-v d="$(med data_bytes)" -v q="$ratio" -v bk="$BATCH_KIB" -v w="${WARM[$s]}" 'BEGIN {
		printf "%-31s %7d %8.1f %7.3f %11.0f %9.1f %8.1f %8.1f %7.1fx %7.1fx %7.2fx", l, n, d / 1e6, c,
		       (c > 0 ? n / c : 0), (c > 0 ? d / 1e6 / c : 0), h / 1024, (h - b) / 1024, (h - b) / bk, w / bk, q }')")
done
for s in "${ORDER[@]}"; do stop_bg "${SERVER[$s]}"; done

# ---- 3. the whole pipe against ewsd ----
ONE=   # the tool as a user runs it: fetching ahead
echo "measuring the whole pipe against ewsd: $LIVE_RUNS rounds ..."
declare -A LIVE
for _ in $(seq 1 "$LIVE_RUNS"); do
	for s in "${LIVE_ORDER[@]}"; do
		pid=$EWSD_PID url=$EWSD_URL
		[ "$s" != "${s%_b}" ] && pid=$EWSD_BEFORE_PID url=$EWSD_BEFORE_URL
		before=$(server_cpu "$pid")
		r=$(run "$s" "$url" | grep '^RESULT\|^INFO base_kib' | tr '\n' ' ')
		LIVE[$s]+="$r server=$(awk -v a="$(server_cpu "$pid")" -v b="$before" 'BEGIN {print a - b}')"$'\n'
	done
done
LROWS=()
for s in "${LIVE_ORDER[@]}"; do
	rs=${LIVE[$s]}
	med() { grep . <<<"$rs" | while read -r l; do field "$1" "$l"; done | median; }
	LROWS+=("$(awk -v l="${LABEL[$s]}" -v n="$(med items)" -v w="$(med wall)" -v c="$(med cpu)" -v sv="$(med server)" \
		-v d="$(med data_bytes)" -v h="$(med hwm_kib)" -v b="$(med base_kib)" -v bk="$BATCH_KIB" 'BEGIN {
		printf "%-31s %7d %8.1f %7.2f %9.1f %9.0f %8.2f %8.2f %9.0f %7.1fx", l, n, d / 1e6, w, (w > 0 ? d / 1e6 / w : 0),
		       (w > 0 ? n / w : 0), c, sv, (n > 0 ? sv * 1e6 / n : 0), (h - b) / bk }')")
done
stop_bg "$EWSD_PID"
[ -n "$BEFORE" ] && stop_bg "$EWSD_BEFORE_PID"

echo
echo "== export and backup, client side: $N_IDS items of $MBX (ewsd seed), batches of $BATCH, against bench-replay"
echo "   (the recorded ewsd responses), medians of $RUNS interleaved rounds. CPU = the client process's user + system"
echo "   (getrusage), MB = 10^6 bytes of item data (the Data written / decoded), RSS = the client's peak (VmHWM),"
echo "   over start = peak minus the resident set before the first request (MiB), /batch = that over one batch's XML"
echo "   ($BATCH_KIB KiB, the largest recorded ExportItems response); code in = the same /batch in one more run with"
echo "   the client's code mapped in before its start (BENCH_PREFAULT, bench/rss_shim.c: what the run itself takes,"
echo "   without the first touches of program text); vs loop = CPU / the plain loop's, per round"
printf '%-31s %7s %8s %7s %11s %9s %8s %8s %8s %8s %8s\n' scenario items "item MB" "CPU s" items/CPU-s MB/CPU-s \
	"RSS MiB" "over st" "/batch" "code in" "vs loop"
printf '%s\n' "${ROWS[@]}"
echo
echo "== the whole pipe: the same against ewsd on this machine (client and server share the 2 cores), medians of"
echo "   $LIVE_RUNS rounds; MB/s = item data MB / wall s; ewsd CPU from /proc/PID/stat (10 ms ticks), us/item = that"
echo "   per exported item (ExportItems batches of $BATCH; ews-backup: with its SyncFolderHierarchy/SyncFolderItems calls);"
echo "   /batch = the client's peak RSS over start in batches, as run: cold, and ews-backup with its default three"
echo "   connections (the next ExportItems batches and SyncFolderItems answer asked for while one batch is written,"
echo "   each read when its turn comes)"
printf '%-31s %7s %8s %7s %9s %9s %8s %8s %9s %8s\n' scenario items "item MB" "wall s" "MB/s" "items/s" "cli CPU" "ewsd CPU" \
	"ewsd us/it" "/batch"
printf '%s\n' "${LROWS[@]}"
# the moved-aside outputs last (deleting a few hundred thousand files takes minutes on a loaded disk)
echo
echo "removing the outputs of the runs ..."
rm -rf "$OUT" "$TRASH"
