#!/bin/sh
# check-subset.sh OURS_STUB OFFICIAL_STUB
#
# Checks that the gSOAP soapStub.h generated from our subset schema is a
# subset of the one generated from the official EWS schema, so that C code
# written against our bindings compiles unchanged against the full ones:
#   - every struct/union/enum we define exists in the official stub;
#   - every struct/union member (type + name) of ours exists in the official
#     definition, and struct members that map XML content appear in the same
#     relative order (not checked for union alternatives, nor for the
#     "struct ns__T *ns__T;" pointers that wsdl2h -F adds to a base type for
#     each derived type: their order follows declaration order in the schema
#     file, which is layout, and does not affect the C API);
#   - every enum constant of ours exists with the same value, and our enums
#     are complete (same number of constants: we keep all enumeration values);
#   - every top-level typedef and every client/server function prototype
#     (SOAP_FMAC5 ... lines) of ours is identical in the official stub;
#   - every union variant selector macro (SOAP_UNION_...) of ours exists in the
#     official stub (its value may differ: fewer alternatives are numbered).
# Prints one line per mismatch; exits 1 if there is any, 0 otherwise.
# POSIX sh + awk only.

if [ $# -ne 2 ] || [ ! -r "$1" ] || [ ! -r "$2" ]; then
	echo "usage: $0 OURS_STUB OFFICIAL_STUB" >&2
	exit 2
fi

awk '
# Normalise one line: drop comments, collapse blanks, trim.
function norm(s) {
	gsub(/\/\*.*\*\//, "", s)
	gsub(/\/\/.*$/, "", s)
	gsub(/[ \t]+/, " ", s)
	sub(/^ /, "", s); sub(/ $/, "", s)
	return s
}
FNR == 1 { f++; inblk = 0; pending = "" }
{
	line = norm($0)
	if (line ~ /^#define SOAP_UNION_/) {
		split(line, w, " ")
		unions[f, w[2]] = 1
		if (f == 1) ulist[++nul] = w[2]
	}
	if (!inblk) {
		if (pending != "" && line == "{") { key = pending; pending = ""; inblk = 1; n = 0; next }
		pending = ""
		if (line ~ /^(struct|union|enum) [A-Za-z_][A-Za-z0-9_]* \{$/) {
			key = line; sub(/ \{$/, "", key); inblk = 1; n = 0; next
		}
		if (line ~ /^(struct|union|enum) [A-Za-z_][A-Za-z0-9_]*$/) { pending = line; next }
		if (line ~ /^typedef .*;$/) typedefs[f, line] = 1
		if (line ~ /^typedef .*;$/ && f == 1) tdlist[++ntd] = line
		if (line ~ /^SOAP_FMAC5 .*;$/) { typedefs[f, line] = 1; if (f == 1) tdlist[++ntd] = line }
		next
	}
	if (line ~ /^\};?$/ || line ~ /^\} *;$/) {
		inblk = 0
		defined[f, key] = 1
		count[f, key] = n
		if (f == 1) keys[++nkeys] = key
		next
	}
	if (line == "" || line ~ /^#/) next
	sub(/,$/, "", line)
	n++
	if (f == 1) member[key, n] = line
	else pos[key, line] = n
}
END {
	bad = 0
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]
		if (!((2, k) in defined)) { print "missing in official: " k; bad++; continue }
		last = 0
		for (j = 1; j <= count[1, k]; j++) {
			m = member[k, j]
			if (!((k, m) in pos)) { print k ": member not in official: " m; bad++; continue }
			if (k ~ /^(enum|union) / || m ~ /[ *][A-Za-z0-9]+__[A-Za-z0-9_]+;$/) continue
			if (pos[k, m] < last) { print k ": member out of order: " m; bad++ }
			last = pos[k, m]
		}
		if (k ~ /^enum / && count[1, k] != count[2, k])
			{ print k ": enum has " count[1, k] " values, official has " count[2, k]; bad++ }
	}
	for (i = 1; i <= ntd; i++)
		if (!((2, tdlist[i]) in typedefs)) { print "declaration not in official: " tdlist[i]; bad++ }
	for (i = 1; i <= nul; i++)
		if (!((2, ulist[i]) in unions)) { print "union selector not in official: " ulist[i]; bad++ }
	printf "check-subset: %d definitions, %d declarations, %d union selectors checked, %d mismatch(es)\n", nkeys, ntd, nul, bad > "/dev/stderr"
	exit bad ? 1 : 0
}
' "$1" "$2"
