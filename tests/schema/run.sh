#!/bin/sh
# tests/schema/run.sh: check our subset schema (wsdl/) against the official EWS schema.
#
#  1. xmllint: our three files are well-formed and messages.xsd compiles as a schema;
#  2. gSOAP bindings are generated from ours and from the official set (as the
#     project's generator does), generator/check-subset.sh compares the stubs,
#     and a probe naming every struct member of ours compiles against the
#     official bindings;
#  3. every XML example of the seed pages decodes with our bindings, with no
#     unknown element;
#  4. the corpus examples of our 16 operations decode with our bindings no worse
#     than with the official ones (same return codes, no extra unknown elements);
#  5. every request we decoded is written back out and validated against the
#     official schema (and ours).
#
# Environment: OFFICIAL (official schema dir), SEEDS, CORPUS, WORK (scratch dir).
# The official bindings are cached in $WORK/official (delete it to rebuild).
# POSIX sh; needs wsdl2h, soapcpp2, cc, pkg-config gsoapssl, xmllint.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OFFICIAL=${OFFICIAL:-/work/shared/ews-schemas/V2018_01_08}
SEEDS=${SEEDS:-/work/shared/seeds}
CORPUS=${CORPUS:-/work/shared/ews-corpus}
WORK=${WORK:-$TOP/tests/out/schema}
OPS="ExportItems UploadItems SyncFolderItems SyncFolderHierarchy FindItem FindFolder GetItem GetFolder CreateItem UpdateItem DeleteItem MoveItem CopyItem CreateFolder DeleteFolder ConvertId"
CF=$(pkg-config --cflags gsoapssl)
LIBS=$(pkg-config --libs gsoapssl)
fail=0
bad() { echo "FAIL: $*"; fail=1; }

mkdir -p "$WORK"
cat > "$WORK/tm.dat" <<'TM'
ewsmsg	= "http://schemas.microsoft.com/exchange/services/2006/messages"
ewstype	= "http://schemas.microsoft.com/exchange/services/2006/types"
xsd__dateTime = typedef char *xsd__dateTime; | xsd__dateTime | xsd__dateTime
ewsmsg__ResponseCodeType = typedef char *ewsmsg__ResponseCodeType; | ewsmsg__ResponseCodeType | ewsmsg__ResponseCodeType
SOAP_ENV__Detail = struct SOAP_ENV__Detail { int __size; xsd__anyType *__any; int __type; void *fault; }; | struct SOAP_ENV__Detail
TM

# gen SCHEMA_DIR OUT_DIR: bindings + decode helper
gen() {
	rm -rf "$2"; mkdir -p "$2"
	cp "$1"/*.xsd "$2"/ && cp "$1"/*.wsdl "$2"/services.wsdl && cp "$WORK/tm.dat" "$2"/ || return 1
	chmod u+w "$2"/*
	for f in "$2"/*.xsd "$2"/services.wsdl; do sed 's/ fixed="[^"]*"//g' "$f" > "$f.tmp" && mv "$f.tmp" "$f"; done
	( cd "$2" &&
	  wsdl2h -c -F -k -d -t tm.dat -o ews.h services.wsdl > wsdl2h.log 2>&1 &&
	  soapcpp2 -c -L -x -w -1 -I/usr/share/gsoap/import ews.h > soapcpp2.log 2>&1 &&
	  cc -O0 -c $CF soapC.c soapClient.c &&
	  cc -O0 $CF -I. -o decode "$HERE/decode.c" soapC.o soapClient.o $LIBS )
}

echo "== 1. xmllint"
for f in "$TOP"/wsdl/services.wsdl "$TOP"/wsdl/messages.xsd "$TOP"/wsdl/types.xsd; do
	xmllint --noout "$f" || bad "$f is not well-formed"
done
cat > "$WORK/tiny.xml" <<'XML'
<m:GetFolder xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder>
XML
xmllint --noout --schema "$TOP/wsdl/messages.xsd" "$WORK/tiny.xml" || bad "messages.xsd does not compile as a schema"

echo "== 2. bindings and subset check"
gen "$TOP/wsdl" "$WORK/ours" || { bad "generating/compiling our bindings"; exit 1; }
if [ ! -x "$WORK/official/decode" ]; then
	gen "$OFFICIAL" "$WORK/official" || { bad "generating/compiling the official bindings"; exit 1; }
fi
echo "soapC.c: $(wc -c < "$WORK/ours/soapC.c") bytes (official: $(wc -c < "$WORK/official/soapC.c"))"
"$TOP/generator/check-subset.sh" "$WORK/ours/soapStub.h" "$WORK/official/soapStub.h" || bad "check-subset"
# compile proof: every member/enum constant of ours named against the official bindings
awk -f "$HERE/members.awk" "$WORK/ours/soapStub.h" > "$WORK/probe.c"
cc -fsyntax-only $CF -I"$WORK/official" "$WORK/probe.c" || bad "probe.c (our names) does not compile against the official bindings"
echo "probe.c: $(grep -c sizeof "$WORK/probe.c") members named, compiles against the official bindings"

# classify FILE -> "OP req|resp" from the first operation element found
classify() {
	for op in $OPS; do
		if grep -q "<\([A-Za-z0-9]*:\)\{0,1\}${op}Response[ >]" "$1"; then echo "$op resp"; return; fi
	done
	for op in $OPS; do
		if grep -q "<\([A-Za-z0-9]*:\)\{0,1\}${op}[ >]" "$1"; then echo "$op req"; return; fi
	done
	if grep -q 'Fault>' "$1"; then echo "GetItem resp"; return; fi
}
# fixup FILE: docs artefacts -> what a server sends (http namespaces; declare t:
# for xsi:type="t:..." when only a header element declares it)
fixup() {
	sed 's|https://schemas\.|http://schemas.|g' "$1" > "$2"
	if grep -q 'xsi:type="t:' "$2" && ! grep -q '<[A-Za-z]*:Envelope[^>]*xmlns:t=' "$2"; then
		sed 's|<\([A-Za-z]*\):Envelope |<\1:Envelope xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" |' "$2" > "$2.tmp" && mv "$2.tmp" "$2"
	fi
}

echo "== 3. seed examples"
rm -rf "$WORK/seeds" "$WORK/requests"; mkdir -p "$WORK/seeds" "$WORK/requests"
for s in "$SEEDS"/*.txt; do
	b=$(basename "$s" .txt)
	awk -v out="$WORK/seeds/$b" '/^```[Xx][Mm][Ll][ \t]*$/ { n++; f = sprintf("%s_%02d.raw", out, n); inb = 1; next }
		inb && /^```/ { inb = 0; close(f); next } inb { print > f }' "$s"
done
for raw in "$WORK"/seeds/*.raw; do
	[ -f "$raw" ] || continue
	x=${raw%.raw}.xml; fixup "$raw" "$x"
	set -- $(classify "$x")
	[ $# -eq 2 ] || { bad "seed $(basename "$x"): no operation found"; continue; }
	if [ "$2" = req ]; then o="$WORK/requests/seed_$(basename "$x")"; else o=; fi
	"$WORK/ours/decode" "$1" "$2" "$x" $o > "$x.log" 2>&1
	rc=$?; head -1 "$x.log" | sed "s|$WORK/||"
	[ $rc -eq 0 ] || { bad "seed $(basename "$x") (rc $rc)"; cat "$x.log"; }
done

echo "== 4. corpus examples of our operations (ours vs official)"
mkdir -p "$WORK/corpus"
awk -F'\t' 'NR > 1 && $7 == "yes" && $8 !~ /no-envelope/ { print $1, $5, $6 }' "$CORPUS/MANIFEST.tsv" |
while read -r file op kind; do
	case " $OPS SoapFault " in *" $op "*) ;; *) continue;; esac
	case $kind in request|response|error) ;; *) continue;; esac
	x="$WORK/corpus/$(echo "$file" | tr / _)"
	fixup "$CORPUS/$file" "$x"
	set -- $(classify "$x"); [ $# -eq 2 ] || continue
	if [ "$2" = req ]; then o="$WORK/requests/$(basename "$x")"; else o=; fi
	"$WORK/ours/decode" "$1" "$2" "$x" $o > "$x.ours" 2>&1; ro=$?
	"$WORK/official/decode" "$1" "$2" "$x" > "$x.official" 2>&1; rf=$?
	[ $ro -eq 1 ] && [ -n "$o" ] && rm -f "$o"
	if [ $ro -eq 1 ] && [ $rf -ne 1 ]; then echo "FAIL: $file decodes with the official bindings only"; fi
	grep UNKNOWN "$x.ours" | sort -u > "$x.uo"; grep UNKNOWN "$x.official" | sort -u > "$x.uf"
	extra=$(comm -23 "$x.uo" "$x.uf" | tr -s ' \n' ' ')
	[ -z "$extra" ] || echo "note: $file: not in our subset:$extra"
	echo "$ro $rf"
done > "$WORK/corpus.txt"
grep -v '^[0-9]' "$WORK/corpus.txt"
grep -q '^FAIL' "$WORK/corpus.txt" && fail=1
echo "corpus blocks: $(grep -c '^[0-9]' "$WORK/corpus.txt"), decoded by ours: $(grep -c '^[03] ' "$WORK/corpus.txt"), by official: $(grep -c '^[0-9] [03]$' "$WORK/corpus.txt")"

echo "== 5. re-serialised requests against the official schema (and ours)"
rm -rf "$WORK/val"; mkdir -p "$WORK/val"
cp "$OFFICIAL"/messages.xsd "$OFFICIAL"/types.xsd "$HERE/xml.xsd" "$HERE/wrap.xsd" "$WORK/val/"
n=$(ls "$WORK"/requests/*.xml 2>/dev/null | wc -l)
if [ "$n" -gt 0 ]; then
	ls "$WORK"/requests/*.xml | xargs xmllint --noout --schema "$WORK/val/wrap.xsd" 2> "$WORK/val/official.log" ||
		{ bad "requests invalid against the official schema"; grep -v ' validates$' "$WORK/val/official.log"; }
	ls "$WORK"/requests/*.xml | xargs xmllint --noout --schema "$TOP/wsdl/messages.xsd" 2> "$WORK/val/ours.log" ||
		{ bad "requests invalid against our schema"; grep -v ' validates$' "$WORK/val/ours.log"; }
fi
echo "requests validated: $n"

[ $fail -eq 0 ] && echo "ALL CHECKS PASSED" || echo "SOME CHECKS FAILED"
exit $fail
