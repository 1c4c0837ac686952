#!/bin/sh
# help2man.sh COMMAND VERSION — a short man page (roff, section 1) made from COMMAND --help, on stdout.
# The --help text is the single source: NAME from the <DESC>-style second line, the rest verbatim.
set -eu
cmd=$1 version=$2
name=$(basename "$cmd")
help=$("$cmd" --help)
summary=$(printf '%s\n' "$help" | sed -n '2,$ { /^[A-Z]/ { s/\. .*//; s/\.$//; p; q; } }')
[ -n "$summary" ] || summary="part of libews"
esc() { sed -e 's/\\/\\e/g' -e 's/^\([.'\'']\)/\\\&\1/'; }
cat <<MAN
.TH $(echo "$name" | tr a-z A-Z) 1 "" "libews $version" "libews commands"
.SH NAME
$name \\- $(printf '%s' "$summary" | esc)
.SH SYNOPSIS
.nf
$(printf '%s\n' "$help" | awk 'NR == 1 { sub(/^usage: */, ""); print; next } /^ +[a-z]/ && !done { sub(/^ +/, ""); print; next } { done = 1 }' | esc)
.fi
.SH DESCRIPTION
.nf
$(printf '%s\n' "$help" | awk 'NR == 1 || (/^ +[a-z]/ && !done) { next } { done = 1; print }' | esc)
.fi
.SH SEE ALSO
The libews README; every ews-* command takes the same connection flags and EWS_* environment variables.
MAN
