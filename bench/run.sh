#!/bin/bash
# bench/run.sh BUILD — what `make bench` runs (issue 13 points 1 and 4, issue 12 point 6).
#
# 1. Seeds one ewsd store once (kept in BUILD/bench-data, reused while the sizes stay the same).
# 2. Client side: each scenario is recorded once from ewsd through `bench-replay record`, then measured
#    BENCH_RUNS times against `bench-replay serve` (canned responses: the exact recorded ewsd bytes, so ewsd's
#    own CPU shares nothing with the client's and every run parses the same bytes), each run a fresh client
#    process (CPU = getrusage of that process, peak RSS = its VmHWM). In the same run, `bench-sax` parses the
#    very same recorded bodies with bare libxml2 SAX: the ratio column is client CPU / that.
# 3. ews-decode per item over the largest recorded FindItem response.
# 4. Server side: ewsd's own CPU per item (its /proc/PID/stat) for FindItem pages of 1000, SyncFolderItems of
#    512 and ExportItems batches, in a small and a large mailbox (flat = the queries use indexes).
#
# ewsd seed spreads a mailbox over 8 folders (about 62.5% in the inbox): the paging/sync mailbox is seeded with
# BENCH_ITEMS * 1.6 items so that its inbox holds about BENCH_ITEMS; the tables show the exact counts.
# Scale: BENCH_ITEMS (inbox items for paging/sync, default 100000), BENCH_EXPORT_ITEMS (20000), BENCH_EXPORT_BATCH (50, the
# library's default), BENCH_RUNS (5), BENCH_EXPORT_RUNS (3: an export run costs ~7 s of client CPU), BENCH_SERVER_SMALL / BENCH_SERVER_LARGE (10000 / 200000),
# BENCH_SERVER_RUNS (3), BENCH_SERVER_PAGES (3: FindItem pages / SyncFolderItems batches per server run),
# BENCH_SERVER_EXPORT (items exported per server run, 2000); the server-side mailboxes hold BENCH_SERVER_SMALL /
# LARGE items in all (about 62.5% of them in the inbox that is paged and synced),
# BENCH_VARIANTS="xml-tree" adds rows with gSOAP's SOAP_XML_TREE set on the client's response context,
# BENCH_BEFORE=1 rows with the three pre-passes of before issue 13 instead of the one (bench/prepass_before.c).
# No timing is asserted anywhere: this prints a table.
set -euo pipefail

B=${1:-build}
BIN=$B/bin
BB=$B/bench
ITEMS=${BENCH_ITEMS:-100000}
EXPORT_ITEMS=${BENCH_EXPORT_ITEMS:-20000}
EXPORT_BATCH=${BENCH_EXPORT_BATCH:-50}
RUNS=${BENCH_RUNS:-5}
EXPORT_RUNS=${BENCH_EXPORT_RUNS:-3}
SMALL=${BENCH_SERVER_SMALL:-10000}
LARGE=${BENCH_SERVER_LARGE:-200000}
SRUNS=${BENCH_SERVER_RUNS:-3}
SEXPORT=${BENCH_SERVER_EXPORT:-2000}
VARIANTS=${BENCH_VARIANTS:-}

DATA=$B/bench-data/store-$ITEMS-$SMALL-$LARGE
WORK=$B/bench-data/run
REC=$DATA/recorded-$EXPORT_ITEMS-$EXPORT_BATCH
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

. "$(dirname "$0")/lib.sh"   # start_bg, stop_bg, field, median, server_cpu

mkdir -p "$WORK" "$B/bench-data"
: >"$WORK/servers.log"

# ---- 1. the store, seeded once ----
if [ ! -f "$DATA/seeded" ]; then
	rm -rf "$B"/bench-data/store-*
	mkdir -p "$DATA"
	echo "seeding $DATA (once): $((ITEMS * 8 / 5)) + $SMALL + $LARGE items ..."
	"$BIN/ewsd" seed --data "$DATA" --mailbox "bench$ITEMS@example.com" --items $((ITEMS * 8 / 5)) --seed 1 >/dev/null
	"$BIN/ewsd" seed --data "$DATA" --mailbox "small$SMALL@example.com" --items "$SMALL" --seed 3 >/dev/null
	"$BIN/ewsd" seed --data "$DATA" --mailbox "large$LARGE@example.com" --items "$LARGE" --seed 4 >/dev/null
	touch "$DATA/seeded"
fi
mkdir -p "$REC"
start_bg "$WORK/ewsd.url" "$BIN/ewsd" --listen 127.0.0.1:0 --data "$DATA" --log /dev/null
EWSD_URL=$LINE
EWSD_PID=$LAST_PID
UPSTREAM=$(sed -E 's#^https?://([^/]*)/.*#\1#' <<<"$EWSD_URL")

# ---- 2. client side ----
# record NAME CMD...: run CMD (with @URL@ for the endpoint) once through the recorder into $REC/NAME, from
# the ewsd at $UPSTREAM; REC_ITEMS = the items it saw (every measured run must see as many). Recordings are kept
# beside the store (the scenarios never change it) and reused: ewsd pages a 100k folder slowly (see the server
# table), so the first `make bench` takes minutes longer. BENCH_RERECORD=1 records again.
record() {
	local name=$1; shift
	if [ -z "${BENCH_RERECORD:-}" ] && [ -s "$REC/$name.items" ]; then
		REC_ITEMS=$(cat "$REC/$name.items")
		return
	fi
	rm -rf "${REC:?}/$name" "$REC/$name.items" "$REC/$name.digest"; mkdir -p "$REC/$name"
	echo "  recording $name from ewsd (once) ..."
	start_bg "$WORK/$name.port" "$BB/bench-replay" record "$UPSTREAM" "$REC/$name"
	local port=$LINE rec=$LAST_PID
	local out; out=$("${@//@URL@/http://127.0.0.1:$port/EWS/Exchange.asmx}")
	stop_bg "$rec"
	REC_ITEMS=$(field items "$(grep '^RESULT' <<<"$out")")
	[ -n "$REC_ITEMS" ] || { echo "bench: recording $name failed" >&2; exit 1; }
	(grep '^INFO' <<<"$out" || true) | sed -n 's/.*digest=\([^ ]*\).*/\1/p' >"$REC/$name.digest"
	echo "$REC_ITEMS" >"$REC/$name.items"
}

ROWS=()
# measure LABEL NAME ITEMS-EXPECTED CMD...: BENCH_RUNS runs of CMD against the replay of recording NAME; every
# run must decode as many items and (paging, sync) the same values (digest) as the run that was recorded
measure() {
	local label=$1 name=$2 expect=$3; shift 3
	start_bg "$WORK/$name.serve" "$BB/bench-replay" serve "$REC/$name"
	local port=$LINE srv=$LAST_PID out results=() saxes=() sax
	for _ in $(seq 1 "$RUNS"); do
		[ -n "${PREP:-}" ] && eval "$PREP"
		out=$("${@//@URL@/http://127.0.0.1:$port/EWS/Exchange.asmx}")
		if [ -s "$REC/$name.digest" ] && [ "$(field digest "$(grep '^INFO' <<<"$out")")" != "$(cat "$REC/$name.digest")" ]; then
			echo "bench: $label: the decoded values differ from the recorded run's" >&2; exit 1
		fi
		out=$(grep '^RESULT' <<<"$out")
		[ "$(field items "$out")" = "$expect" ] || { echo "bench: $label: $(field items "$out") items, expected $expect" >&2; exit 1; }
		results+=("$out")
		# the bare parse right after each client run, so both see the same machine load; ratio = median of pairs
		sax=$("$BB/bench-sax" "$REC/$name" --passes 1)
		saxes+=("$(field cpu "$sax") $(field cpu "$out")")
	done
	stop_bg "$srv"
	local cpu wall hwm req data bytes wire
	cpu=$(for r in "${results[@]}"; do field cpu "$r"; done | median)
	wall=$(for r in "${results[@]}"; do field wall "$r"; done | median)
	hwm=$(for r in "${results[@]}"; do field hwm_kib "$r"; done | median)
	data=$(for r in "${results[@]}"; do field data_bytes "$r"; done | median)
	req=$(field requests "${results[0]}")
	bytes=$(field data_bytes "$sax")
	local sax_cpu ratio
	sax_cpu=$(for p in "${saxes[@]}"; do echo "${p% *}"; done | median)
	ratio=$(for p in "${saxes[@]}"; do awk -v p="$p" 'BEGIN {split(p, a, " "); print a[2] / a[1]}'; done | median)
	wire=$(cat "$REC/$name"/*.resp | wc -c)
	ROWS+=("$(awk -v l="$label" -v n="$expect" -v r="$req" -v b="$bytes" -v g="$wire" -v c="$cpu" -v w="$wall" -v h="$hwm" \
		-v s="$sax_cpu" -v q="$ratio" -v d="$data" 'BEGIN {
		printf "%-20s %8d %5d %7.1f %7.1f %7.3f %12.0f %8.1f %10.0f %8.1f %7.3f %6.2fx", l, n, r, b / 1048576, g / 1048576, c, n / c,
		       b / 1048576 / c, n / w, h / 1024, s, q
		if (d > 0) printf "   item data %.1f MB, %.1f MB/CPU-s, %.1f MB/s wall", d / 1048576, d / 1048576 / c, d / 1048576 / w
	}')")
}

MBX=bench$ITEMS@example.com
record paging "$BB/bench-paging" @URL@ "$MBX" --ids-out "$REC/paging.ids"
PAGING_ITEMS=$REC_ITEMS
record sync "$BB/bench-sync" @URL@ "$MBX"
SYNC_ITEMS=$REC_ITEMS
head -n "$EXPORT_ITEMS" "$REC/paging.ids" >"$WORK/export.ids"
# an export's output is moved aside before the next run, not deleted (removed at the end): ext4 allocating inodes
# right after thousands were deleted scans them and costs 5-20x more per file (bench/transfer.sh says more)
TRASH=$WORK/trash
rm -rf "$TRASH"; mkdir -p "$TRASH"
aside() { if [ -e "$WORK/export-out" ]; then mv "$WORK/export-out" "$(mktemp -d "$TRASH/XXXXXX")/"; fi; }
aside; mkdir -p "$WORK/export-out"
record export "$BB/bench-export" @URL@ "$MBX" "$WORK/export.ids" "$WORK/export-out" --batch "$EXPORT_BATCH"
EXPORT_N=$REC_ITEMS
aside
record export-dir "$BB/bench-exportdir" @URL@ "$MBX" "$WORK/export.ids" "$WORK/export-out" --batch "$EXPORT_BATCH" --pack
# the same paging and sync without gzip (a second ewsd on the same store, --no-gzip): what inflating costs
if [ ! -s "$REC/paging-plain.items" ] || [ ! -s "$REC/sync-plain.items" ] || [ -n "${BENCH_RERECORD:-}" ]; then
	start_bg "$WORK/ewsd-plain.url" "$BIN/ewsd" --listen 127.0.0.1:0 --data "$DATA" --log /dev/null --no-gzip
	PLAIN_PID=$LAST_PID
	UPSTREAM=$(sed -E 's#^https?://([^/]*)/.*#\1#' <<<"$LINE")
	record paging-plain "$BB/bench-paging" @URL@ "$MBX"
	record sync-plain "$BB/bench-sync" @URL@ "$MBX"
	stop_bg "$PLAIN_PID"
fi

echo "measuring the client, $RUNS runs each, against bench-replay (the recorded ewsd responses) ..."
# BENCH_BEFORE=1: each paging/sync row followed by the same client with the three pre-passes issue 13 folded into
# one (bench/prepass_before.c), right after it so that both see about the same load
before() { if [ -n "${BENCH_BEFORE:-}" ]; then measure "$@"; fi; }
measure "paging (pager.h)" paging "$PAGING_ITEMS" "$BB/bench-paging" @URL@ "$MBX"
before "  3 pre-passes" paging "$PAGING_ITEMS" "$B/bench-before/bench-paging" @URL@ "$MBX"
measure "sync (sync.h)" sync "$SYNC_ITEMS" "$BB/bench-sync" @URL@ "$MBX"
before "  3 pre-passes" sync "$SYNC_ITEMS" "$B/bench-before/bench-sync" @URL@ "$MBX"
measure "paging, plain XML" paging-plain "$PAGING_ITEMS" "$BB/bench-paging" @URL@ "$MBX"
before "  3 pre-passes" paging-plain "$PAGING_ITEMS" "$B/bench-before/bench-paging" @URL@ "$MBX"
measure "sync, plain XML" sync-plain "$SYNC_ITEMS" "$BB/bench-sync" @URL@ "$MBX"
before "  3 pre-passes" sync-plain "$SYNC_ITEMS" "$B/bench-before/bench-sync" @URL@ "$MBX"
RUNS=$EXPORT_RUNS PREP='aside; mkdir -p "$WORK/export-out"; sync' \
measure "export (export.h)" export "$EXPORT_N" "$BB/bench-export" @URL@ "$MBX" "$WORK/export.ids" \
	"$WORK/export-out" --batch "$EXPORT_BATCH"
# the same items into a packed export directory (ews_export_to_dir with .pack: the manifest, one pack file, one
# fdatasync a batch; what ews-backup does per folder; its own recording: it sends the ids without change keys)
RUNS=$EXPORT_RUNS PREP='aside; sync' \
measure "export (packed dir)" export-dir "$EXPORT_N" "$BB/bench-exportdir" @URL@ "$MBX" "$WORK/export.ids" \
	"$WORK/export-out" --batch "$EXPORT_BATCH" --pack
for v in $VARIANTS; do
	measure "paging --$v" paging "$PAGING_ITEMS" "$BB/bench-paging" @URL@ "$MBX" "--$v"
	measure "sync --$v" sync "$SYNC_ITEMS" "$BB/bench-sync" @URL@ "$MBX" "--$v"
done

# ---- 3. ews-decode over the largest recorded FindItem response ----
BIG=$(ls -S "$REC"/paging/*.body | sed -n 1p)
BIG_ITEMS=$( (grep -o ':ItemId ' "$BIG" || true) | wc -l)
DEC=$("$BB/bench-cputime" "$RUNS" "$BIN/ews-decode" --quiet "$BIG")
DEC_OUT=$("$BB/bench-cputime" "$RUNS" "$BIN/ews-decode" "$BIG")
NOP=$("$BB/bench-cputime" "$RUNS" "$BIN/ews-decode" --help)

# ---- 4. server side ----
echo "measuring ewsd's own CPU ($SRUNS runs each) ..."
SROWS=()
server_row() { # LABEL CMD...
	local label=$1; shift
	local vals=() before after n
	for _ in $(seq 1 "$SRUNS"); do
		[ -n "${PREP:-}" ] && eval "$PREP"
		before=$(server_cpu "$EWSD_PID")
		n=$(field items "$("$@" | grep '^RESULT')")
		after=$(server_cpu "$EWSD_PID")
		vals+=("$(awk -v a="$after" -v b="$before" 'BEGIN {print a - b}')")
	done
	local cpu; cpu=$(printf '%s\n' "${vals[@]}" | median)
	SROWS+=("$(awk -v l="$label" -v n="$n" -v c="$cpu" 'BEGIN {
		printf "%-42s %8d %8.2f %10.2f", l, n, c, (c * 1e6) / n }')")
}
SP=${BENCH_SERVER_PAGES:-3}
for size in "$SMALL" "$LARGE"; do
	mbx=$( [ "$size" = "$SMALL" ] && echo "small$SMALL@example.com" || echo "large$LARGE@example.com")
	total=$(field total "$("$BB/bench-paging" "$EWSD_URL" "$mbx" --pages "$SP" --ids-out "$WORK/server.ids" | grep '^INFO')")
	server_row "FindItem first $SP pages, $size mbx" "$BB/bench-paging" "$EWSD_URL" "$mbx" --pages "$SP"
	deep=$((total - SP * 999)); [ "$deep" -gt 0 ] || deep=0
	server_row "FindItem last $SP pages, $size mbx" "$BB/bench-paging" "$EWSD_URL" "$mbx" --offset "$deep"
	server_row "SyncFolderItems first $SP x512, $size mbx" "$BB/bench-sync" "$EWSD_URL" "$mbx" --batches "$SP"
	head -n "$SEXPORT" "$WORK/server.ids" >"$WORK/server-export.ids"
	PREP='rm -rf "$WORK/server-out"; mkdir -p "$WORK/server-out"' \
	server_row "ExportItems of $EXPORT_BATCH, $size mbx" "$BB/bench-export" \
		"$EWSD_URL" "$mbx" "$WORK/server-export.ids" "$WORK/server-out" --batch "$EXPORT_BATCH"
done
stop_bg "$EWSD_PID"
rm -rf "$WORK/export-out" "$WORK/server-out" "$TRASH"

# ---- the table ----
echo
echo "== client side: libews against bench-replay serving the recorded ewsd responses (canned: ewsd's CPU is not"
echo "   in the way), medians of $RUNS runs (export: $EXPORT_RUNS). CPU = getrusage of the client process (user + system),"
echo "   MB/CPU-s = XML MB / CPU s, RSS = the client's VmHWM; ratio = client CPU / a bare libxml2 SAX pass over the"
echo "   same XML bytes run right after it (median of the pairs; gzip rows: the client also inflates, SAX parses the"
echo "   inflated XML)"
printf '%-20s %8s %5s %7s %7s %7s %12s %8s %10s %8s %7s %7s\n' scenario items req "XML MB" "wire MB" "CPU s" "items/CPU-s" \
	"MB/CPU-s" "wall it/s" "RSS MiB" "SAX s" ratio
printf '%s\n' "${ROWS[@]}"
echo
echo "== ews-decode over one recorded FindItem response ($(basename "$BIG"), $BIG_ITEMS items, $(($(stat -c %s "$BIG") / 1024)) KiB)"
awk -v q="$(field cpu "$DEC")" -v o="$(field cpu "$DEC_OUT")" -v z="$(field cpu "$NOP")" -v n="$BIG_ITEMS" \
	-v r="$(field maxrss_kib "$DEC")" 'BEGIN {
	printf "  --quiet (decode only): %.1f ms CPU, %.2f us/item after the %.1f ms process start; peak RSS %.1f MiB\n",
	       q * 1000, (q - z) * 1e6 / n, z * 1000, r / 1024
	printf "  outline output:        %.1f ms CPU, %.2f us/item\n", o * 1000, (o - z) * 1e6 / n }'
echo
echo "== server side: ewsd's own CPU (/proc/PID/stat, 10 ms ticks; medians of $SRUNS runs)"
printf '%-42s %8s %8s %10s\n' "request, mailbox size" items "CPU s" "us/item"
printf '%s\n' "${SROWS[@]}"
