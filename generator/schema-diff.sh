#!/bin/sh
# schema-diff.sh OLD_DIR NEW_DIR — what changed between two EWS schema sets: operations, types and elements
# added or removed, and types whose content changed. Use it before regenerating from a server's new schema.
set -eu
[ $# -eq 2 ] || { echo "usage: schema-diff.sh OLD_DIR NEW_DIR" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ews-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

file() { find "$1" -maxdepth 1 -type f -iname "$2" | head -n 1; }

# One name per line, sorted: operations of the port type, named types, top-level and nested element names.
extract() { # DIR PREFIX
	wsdl=$(file "$1" services.wsdl) msgs=$(file "$1" messages.xsd) types=$(file "$1" types.xsd)
	[ -n "$wsdl" ] && [ -n "$msgs" ] && [ -n "$types" ] || { echo "schema-diff: $1 lacks services.wsdl/messages.xsd/types.xsd" >&2; exit 2; }
	awk '/<wsdl:portType/ {p=1} /<\/wsdl:portType>/ {p=0} p && /<wsdl:operation / { match($0, /name="[^"]+"/); print substr($0, RSTART + 6, RLENGTH - 7) }' "$wsdl" | sort -u > "$2.ops"
	cat "$msgs" "$types" | grep -oE '<xs:(complexType|simpleType) name="[^"]+"' | sed -E 's/.*name="([^"]+)"/\1/' | sort -u > "$2.types"
	cat "$msgs" "$types" | grep -oE '<xs:element name="[^"]+"' | sed -E 's/.*name="([^"]+)"/\1/' | sort -u > "$2.elements"
	# content of each named type, flattened to one line, for "changed" detection
	cat "$msgs" "$types" | sed 's/^[ \t]*//' | tr -d '\r' | awk '
		/<xs:annotation>/ {skip=1} skip { if (/<\/xs:annotation>/) skip=0; next }
		/<xs:(complexType|simpleType) name="/ { match($0, /name="[^"]+"/); cur = substr($0, RSTART + 6, RLENGTH - 7); body = ""; depth = 0 }
		cur != "" { body = body $0 }
		cur != "" && /<\/xs:(complexType|simpleType)>/ { print cur "\t" body; cur = "" }' | sort > "$2.bodies"
}
extract "$1" "$tmp/old"
extract "$2" "$tmp/new"

report() { # TITLE KIND
	added=$(comm -13 "$tmp/old.$2" "$tmp/new.$2") removed=$(comm -23 "$tmp/old.$2" "$tmp/new.$2")
	echo "$1: $(wc -l < "$tmp/old.$2") -> $(wc -l < "$tmp/new.$2")"
	[ -z "$added" ] || printf '%s\n' "$added" | sed 's/^/  + /'
	[ -z "$removed" ] || printf '%s\n' "$removed" | sed 's/^/  - /'
}
report "operations" ops
report "types" types
report "element names" elements
changed=$(join -t "$(printf '\t')" "$tmp/old.bodies" "$tmp/new.bodies" | awk -F '\t' '$2 != $3 { print $1 }')
echo "types present in both whose content changed: $(printf '%s' "$changed" | grep -c . || true)"
[ -z "$changed" ] || printf '%s\n' "$changed" | sed 's/^/  ~ /'
