#!/bin/sh
# mk/unity.sh — "unity" translation units for the build (issue 11 point 8; Makefile section "unity groups").
#
#   mk/unity.sh groups NAME OBJDIR MAXLINES FILE...   a make fragment: the FILEs in groups, each group compiled as
#                                                     one translation unit OBJDIR/unity-NAME-N.o
#   mk/unity.sh wrapper FILE...                       the C file of one group: each FILE #included, then its own
#                                                     macros #undef'd
#
# Why: most of a hand-written file's compile is fixed cost (the compiler's start, the precompiled soapH.h or
# stdsoap2.h with OpenSSL's headers: 0.2-0.3 s of CPU each on the build machine), so ten files compiled as one
# cost about a tenth of that. Files are put together only when that cannot change what they mean: a group never
# holds two files where a file-scope name of one (static function or variable, struct/union/enum tag or
# constant, typedef, macro) appears as a word anywhere in the other, so no name clashes, shadows or is replaced
# by the other's macro; each file's own macros are #undef'd after it. First fit, in the order given, up to
# MAXLINES lines a group (what a change of one file rebuilds, and work for both cores). A group that still does
# not compile (a case this misses) is compiled file by file by the Makefile, saying so: never a failed build.
set -eu
cmd=${1:?usage: unity.sh groups NAME OBJDIR MAXLINES FILE... | wrapper FILE...}; shift

# file-scope names and all words of each file: "D file name" / "W file word" / "L file lines" / "M file macro"
scan() {
	awk '
	FNR == 1 { if (f != "") print "L", f, n; f = FILENAME; n = 0; inenum = 0; pend = 0 }
	{ n++; line = $0
	  if (pend) { if (match(line, /[A-Za-z_][A-Za-z0-9_]*/)) { print "D", f, substr(line, RSTART, RLENGTH) } pend = 0 }
	  if (line ~ /^static[ \t]/) {
		s = line; if (s !~ /[([=;{]/) pend = 1
		sub(/[([=;{].*/, "", s); k = split(s, w, /[^A-Za-z0-9_]+/)
		while (k > 0 && w[k] == "") k--
		if (k > 0 && !pend && w[k] !~ /^(struct|union|enum|const|volatile|int|char|long|short|unsigned|signed|void|float|double|inline)$/) print "D", f, w[k]
	  }
	  if (match(line, /^(typedef[ \t]+)?(struct|union|enum)[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*(\{|$)/)) {
		s = substr(line, RSTART, RLENGTH); sub(/[ \t]*\{?$/, "", s); sub(/.*[ \t]/, "", s); print "D", f, s }
	  if (line ~ /^(typedef[ \t]+|static[ \t]+|const[ \t]+)*enum[^;]*\{/ && line ~ /\}/) {
		s = line; sub(/^[^{]*\{/, "", s); sub(/\}.*/, "", s); k = split(s, w, ",")
		for (i = 1; i <= k; i++) { sub(/=.*/, "", w[i]); if (match(w[i], /[A-Za-z_][A-Za-z0-9_]*/)) print "D", f, substr(w[i], RSTART, RLENGTH) } }
	  else if (line ~ /^(typedef[ \t]+|static[ \t]+|const[ \t]+)*enum[^;]*\{/) inenum = 1
	  else if (inenum && line ~ /^}/) inenum = 0
	  else if (inenum) { s = line; sub(/=.*/, "", s); if (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) print "D", f, substr(s, RSTART, RLENGTH) }
	  if (line ~ /^typedef[^{]*;[ \t]*$/ || line ~ /^}[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*(\[[^]]*\])?[ \t]*[;=]/) {
		s = line; sub(/\[.*/, "", s); sub(/[ \t]*[;=].*/, "", s); if (s ~ /\)[ \t]*$/) { s = line; sub(/^[^(]*\([ \t]*\*[ \t]*/, "", s); sub(/\).*/, "", s) }
		sub(/.*[^A-Za-z0-9_]/, "", s); if (s != "") print "D", f, s }
	  if (line ~ /^[ \t]*#[ \t]*define[ \t]+_[A-Z0-9_]*_SOURCE([ \t]|$)/) { s = line; gsub(/[ \t]+/, " ", s); print "F", f, s }
	  if (match(line, /^[ \t]*#[ \t]*define[ \t]+[A-Za-z_][A-Za-z0-9_]*/)) {
		s = substr(line, RSTART, RLENGTH); sub(/.*[ \t]/, "", s)
		if (s !~ /^_/) { print "D", f, s; print "M", f, s } }
	  gsub(/[^A-Za-z0-9_]+/, " ", line); k = split(line, w, " ")
	  for (i = 1; i <= k; i++) if (w[i] ~ /^[A-Za-z_]/ && !((f, w[i]) in seen)) { seen[f, w[i]] = 1; print "W", f, w[i] }
	}
	END { if (f != "") print "L", f, n }' "$@"
}

case $cmd in
groups)
	name=$1 objdir=$2 max=$3; shift 3
	[ $# -gt 0 ] || { printf 'UNITY_%s :=\n' "$name"; exit 0; }
	mkdir -p "$objdir"
	scan "$@" | awk -v name="$name" -v objdir="$objdir" -v max="$max" '
	$1 == "L" { order[++nf] = $2; lines[$2] = $3; next }
	$1 == "D" { if (!(($2, $3) in def)) { def[$2, $3] = 1; defs[$2] = defs[$2] " " $3 } next }
	$1 == "W" { word[$2, $3] = 1; next }
	$1 == "F" { f = $2; $1 = $2 = ""; feat[f] = feat[f] "|" $0 }
	# clash(f, g): a file-scope name of one is a word of the other
	function clash(f, g,   k, i, d) {
		if (feat[f] != feat[g]) return 1
		k = split(defs[f], d, " "); for (i = 1; i <= k; i++) if ((g, d[i]) in word) return 1
		k = split(defs[g], d, " "); for (i = 1; i <= k; i++) if ((f, d[i]) in word) return 1
		return 0 }
	END {
		ng = 0
		for (i = 1; i <= nf; i++) {
			f = order[i]; put = 0
			for (g = 1; g <= ng && !put; g++) {
				if (size[g] + lines[f] > max) continue
				ok = 1; k = split(members[g], m, " ")
				for (j = 1; j <= k && ok; j++) if (clash(f, m[j])) ok = 0
				if (ok) { members[g] = members[g] " " f; size[g] += lines[f]; put = 1 }
			}
			if (!put) { ng++; members[ng] = f; size[ng] = lines[f] }
		}
		printf "UNITY_%s :=", name
		for (g = 1; g <= ng; g++) printf " %s/unity-%s-%d.o", objdir, name, g
		printf "\n"
		# Each group also depends on a file naming its members, rewritten only when they change: a file that
		# moves to another group rebuilds both (the object of its old group, whose own files are unchanged, would
		# still hold it: two definitions at the link).
		for (g = 1; g <= ng; g++) {
			fn = sprintf("%s/unity-%s-%d.members", objdir, name, g)
			cur = ""; if ((getline cur < fn) <= 0) cur = ""; close(fn)
			if (cur != members[g]) { print members[g] > fn; close(fn) }
			printf "%s/unity-%s-%d.o: %s %s\n", objdir, name, g, members[g], fn
		}
	}'
	;;
wrapper)
	echo "/* a unity translation unit (mk/unity.sh; Makefile section \"unity groups\"): written by the build */"
	scan "$@" | awk -v pwd="$(pwd)" '
	$1 == "L" { order[++nf] = $2 } $1 == "M" && !(($2, $3) in seen) { seen[$2, $3] = 1; mac[$2] = mac[$2] " " $3 }
	$1 == "F" && !(($3, $4) in feat) { feat[$3, $4] = 1; print $3, $4 }
	END { for (i = 1; i <= nf; i++) { f = order[i]; p = (f ~ /^\//) ? f : pwd "/" f
		printf "#include \"%s\"\n", p; k = split(mac[f], m, " "); for (j = 1; j <= k; j++) printf "#undef %s\n", m[j] } }'
	;;
*) echo "unity.sh: unknown command $cmd" >&2; exit 2 ;;
esac
