#!/bin/sh
# tests/interop/run.sh BUILD — an independent client against ewsd: ews-javascript-api (a port of Microsoft's EWS
# Managed API, from the npm registry, pinned) runs our scenario scripts (content fidelity: attachments byte-equal,
# MIME round trip, a recurring series with an exception and a deletion in a calendar view, archive folders listed
# and synced; everyday operations; people, delegates, archiving, discovery). Not part of `make check` (it needs
# the npm registry): `make check-interop`. Prints PASS/FAIL lines; exit 1 when a scenario fails.
set -eu
BUILD=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$BUILD" && pwd)/interop
mkdir -p "$work"
if [ ! -d "$work/node_modules/ews-javascript-api" ]; then
	(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund ews-javascript-api@0.15.3 >/dev/null)
fi
data=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$data"' EXIT
printf 'user alice@example.com secret\nuser bob@example.com secret\ndiscovery alice@example.com\n' > "$data/users"
"$work/../bin/ewsd" --listen 127.0.0.1:0 --data "$data" --users "$data/users" --log "$data/log" > "$data/url" &
pid=$!
for i in $(seq 50); do [ -s "$data/url" ] && break; sleep 0.1; done
export EWS_URL="$(head -1 "$data/url")" NODE_PATH="$work/node_modules"
rc=0
for s in content-fidelity everyday-operations people-and-delegates; do
	echo "== $s"
	out=$(node "$here/$s.js" 2>&1) || rc=1
	echo "$out"
	echo "$out" | grep -q '^FAIL' && rc=1
done
exit $rc
