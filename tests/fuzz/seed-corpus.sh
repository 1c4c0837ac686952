#!/bin/sh
# seed-corpus.sh TARGET OUTDIR SHARED_DIR — write the starting inputs of one fuzz target into OUTDIR, taken at
# run time from the team's reference material (SHARED_DIR/ews-corpus, SHARED_DIR/seeds); nothing of it is kept
# in the repository. Targets whose inputs are binary get a few hand-made starts (the dictionaries do the rest).
set -eu
target=$1 out=$2 shared=$3
corpus=$shared/ews-corpus
mkdir -p "$out"

# The XML examples of the seed pages (```xml blocks of the markdown).
seed_xml() {
	for f in "$shared"/seeds/*.txt; do
		[ -f "$f" ] || continue
		awk -v out="$out/seed-$(basename "$f" .txt)" '
			tolower($0) ~ /^```xml/ { on = 1; n++; file = out "-" n ".xml"; next }
			/^```/ && on { on = 0; close(file); next }
			on { print > file }' "$f"
	done
}

# Id="..." values the reference pages use (EwsIds, and a few other formats in ConvertId examples).
corpus_ids() {
	grep -rhoE '(Id|ChangeKey)="[^"]{8,600}"' "$corpus" 2>/dev/null | sed 's/^[A-Za-z]*="//; s/"$//' | sort -u | head -300
}

case $target in
decode)
	# one file name repeats across pages (01-request.xml ...): number them
	i=0; find "$corpus" -name '*.xml' | while read -r f; do i=$((i + 1)); cp "$f" "$out/corpus-$i.xml"; done
	seed_xml ;;
ewsd_request)
	i=0; find "$corpus" -name '*request*.xml' | while read -r f; do i=$((i + 1)); cp "$f" "$out/request-$i.xml"; done
	seed_xml ;;
ids)
	i=0; corpus_ids | while read -r id; do
		i=$((i + 1))
		for fmt in 0 1 2 3 4 5; do printf "\\$(printf %o $fmt)%s" "$id" > "$out/id-$i-$fmt"; done
	done ;;
ewsd_parsers)
	i=0; corpus_ids | while read -r id; do i=$((i + 1)); printf '\000\001%s' "$id" > "$out/id-$i"; done
	for d in 2006-10-28T00:00:00Z 2009-01-01T12:30:15.123-08:00 2020-02-29 1970-01-01T00:00:00+14:00; do
		printf '\001%s' "$d" > "$out/date-$d"
	done
	printf '\002EWSX\001\000' > "$out/blob" ;;
ntlm_client)
	# a CHALLENGE: signature, type 2, empty target name, flags, server challenge, empty TargetInfo
	printf 'NTLMSSP\000\002\000\000\000\000\000\000\000\060\000\000\000\065\202\212\342\001\043\105\147\211\253\315\357\000\000\000\000\000\000\000\000\000\000\000\000\060\000\000\000' > "$out/.raw"
	{ printf '\000'; cat "$out/.raw"; } > "$out/challenge"
	{ printf '\001NTLM '; base64 -w0 "$out/.raw"; } > "$out/header"
	rm -f "$out/.raw" ;;
ntlm_server)
	printf '\000NTLMSSP\000\001\000\000\000\067\202\010\342' > "$out/negotiate"
	printf '\001NTLMSSP\000\003\000\000\000' > "$out/authenticate"
	printf '\002useruserpassword' > "$out/roundtrip" ;;
ewsd_syncstate)
	printf '\000AQEAAAABAAAAAQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAA==' > "$out/text"
	printf '\001\002\000\000\000\000\001\000\000\000\002\000\000\000\000\000\000\000\005\000\000\000\000\000\000\000\001\000\000\000\000\000\000\000\005' > "$out/body-v2"
	printf '\002\000\000\000\001\000\000\000\002\000\000\000\000\000\000\000\007' > "$out/made" ;;
autodiscover)
	# every autodiscover page of the corpus, read as a POX (\000) and as a SOAP (\001) answer
	i=0; grep -rlE 'autodiscover/(responseschema|2009/07/)|GetUserSettingsResponse' "$corpus" 2>/dev/null |
	while read -r f; do
		i=$((i + 1))
		{ printf '\000'; cat "$f"; } > "$out/pox-$i.xml"
		{ printf '\001'; cat "$f"; } > "$out/soap-$i.xml"
	done
	printf '\002user@example.com\t4102444800\thttps://m.example.com/EWS/Exchange.asmx\t-\thttps://example.com/a\tuser@example.com\t15\t1\t2507\t6\tExchange2016\t1\n' > "$out/cache"
	printf '\003https://m.example.com/EWS/Exchange.asmx\000user@example.com\000Exchange2016' > "$out/roundtrip"
	{ printf '\003'; printf '03C109CB'; } > "$out/server-version" ;;
inplace)
	# byte 0: the operation (odd: ExportItems); then values split at 0xFF: wrapped lines, references, CDATA,
	# padding; and one whole GetAttachment response from the reference pages, as XML (byte 1 '<')
	printf '\001QUJD\377QU&#74;D<![CDATA[REVG]]>\377  QUJD\r\n  REVG\n\377QQ==\377Q\377QUJD=REVG' > "$out/values"
	printf '\000QUJDREVG&#43;&#47;\377%s' "$(head -c 3000 /dev/zero | tr '\000' 'A')" > "$out/long"
	f=$(grep -rl 'GetAttachmentResponse' "$corpus" 2>/dev/null | head -1)
	[ -z "$f" ] || { printf '\000'; cat "$f"; } > "$out/page" ;;
reader)
	# every response of the reference pages, and the seed pages' examples
	i=0; grep -rl 'Response' "$corpus" 2>/dev/null | while read -r f; do i=$((i + 1)); cp "$f" "$out/response-$i.xml"; done
	seed_xml ;;
response)
	# GetFolder answers of the reference pages as a server sends them: with a Content-Length, chunked, gzip'd
	# (with a length, and chunked), and one cut short
	i=0; grep -rl 'GetFolderResponse' "$corpus" 2>/dev/null | head -8 | while read -r f; do
		i=$((i + 1))
		n=$(wc -c < "$f")
		{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\n\r\n' "$n"; cat "$f"; } > "$out/plain-$i"
		{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n' "$n"; cat "$f"
		  printf '\r\n0\r\n\r\n'; } > "$out/chunked-$i"
		gzip -c < "$f" > "$out/.gz"
		z=$(wc -c < "$out/.gz")
		{ printf 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n' "$z"
		  cat "$out/.gz"; } > "$out/gzip-$i"
		{ printf 'HTTP/1.1 500 Internal Server Error\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n' "$z"
		  cat "$out/.gz"; printf '\r\n0\r\n\r\n'; } > "$out/gzip-chunked-$i"
		head -c $((n / 2 + 80)) "$out/plain-$i" > "$out/cut-$i"
	done
	rm -f "$out/.gz" ;;
manifest)
	# a manifest as an export writes it, one with a superseded and a deleted line, a torn one, a version 1 one
	id=$(corpus_ids | head -1)
	printf '\001# ews-manifest 2 mailbox=a@example.com folder=F\n0123456789abcdef.ews\t%s\tCQAAAA==\t3141\texported\n' "$id" > "$out/v2"
	printf '\000# ews-manifest 2 mailbox=a@example.com folder=\na.ews\tid-1\tck1\t10\texported\nb.ews\tid-2\t\t0\texported\n# note\na.ews\tid-1\tck2\t11\tdeleted\nc.ews\tid-3\tck' > "$out/superseded-torn"
	printf '\001# ews-export-items manifest v1\nx.ews\tid-9\tck9\t5\n' > "$out/v1"
	printf '\001# ews-manifest 3 mailbox=a@example.com folder=F pack=items-1.pack\na.ews\tid-1\tck1\t10\texported\t0\nb.ews\tid-2\t\t4000\texported\t100\nc.ews\tid-3\tck\t5\tdeleted\t-\na.ews\tid-1\tck2\t11\texported\t20\n' > "$out/v3" ;;
esac
