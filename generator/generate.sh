#!/bin/sh
# generate.sh SCHEMA_DIR OUT_DIR — turn an EWS schema set into gSOAP C bindings.
#
# SCHEMA_DIR holds services.wsdl (any case, e.g. Services.wsdl), messages.xsd and types.xsd: ours (wsdl/) or
# an official set as served by https://HOST/EWS/Services.wsdl. The files are copied to a scratch directory, the
# fix-ups official sets need are applied there (never to the originals), then wsdl2h and soapcpp2 write OUT_DIR.
# Why each flag matters is in generator/README.md.
set -eu

die() { echo "generate.sh: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: generate.sh SCHEMA_DIR OUT_DIR"
schema=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$schema" ] || die "schema directory '$schema' does not exist"
command -v wsdl2h >/dev/null && command -v soapcpp2 >/dev/null ||
	die "wsdl2h/soapcpp2 not found: install Debian's gsoap package (make deps)"

# Find a file case-insensitively: servers serve Services.wsdl, some copies say services.wsdl.
find_one() {
	f=$(find "$schema" -maxdepth 1 -type f -iname "$1" | head -n 1)
	[ -n "$f" ] || die "no $1 in $schema (need services.wsdl, messages.xsd, types.xsd)"
	echo "$f"
}
wsdl=$(find_one services.wsdl)
msgs=$(find_one messages.xsd)
types=$(find_one types.xsd)

work=$(mktemp -d "${TMPDIR:-/tmp}/ews-gen.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Copy under the names the WSDL imports, dropping a UTF-8 byte-order mark (servers send one; wsdl2h is fine
# either way, but sed below is simpler without it).
strip_bom() { sed '1s/^\xEF\xBB\xBF//' "$1" > "$2"; }
strip_bom "$wsdl" "$work/services.wsdl"
strip_bom "$msgs" "$work/messages.xsd"
strip_bom "$types" "$work/types.xsd"
"$here/fixups.sh" "$work"

mkdir -p "$out"
# Remove previous output so files of an older, larger schema (more soapC_NNN.c parts) do not linger.
rm -f "$out"/soap*.c "$out"/soap*.h "$out"/ews.h "$out"/*.nsmap "$out"/ews_server_defaults.c "$out"/ews_operations.[ch] "$out"/ews_responses.c "$out"/ews_codecs.c "$out"/STAMP

# wsdl2h: -c C code; -F struct "inheritance" so derived types (ConvertId's AlternateId, MessageType...) keep all
# members; -k no mustUnderstand on request headers; -d xs:any as DOM (MessageXml, fault detail); -t our typemap.
( cd "$work" && wsdl2h -c -F -k -d -t "$here/typemap.dat" -o ews.h services.wsdl ) > "$work/wsdl2h.log" 2>&1 ||
	{ cat "$work/wsdl2h.log" >&2; die "wsdl2h failed"; }

# soapcpp2: -c C; client and server; -L no sample libs; -x no sample XML; -w no WSDL/XSD output; -1 SOAP 1.1;
# -f split soapC.c into parts for parallel builds.
# Run inside the scratch directory so the generated comments name "ews.h", not a random temporary path.
mkdir -p "$out"; out=$(cd "$out" && pwd)
( cd "$work" && SOURCE_DATE_EPOCH=0 soapcpp2 -c -L -x -w -1 -f${SOAPCPP2_SPLIT:-120} -I/usr/share/gsoap/import \
	-d "$out" ews.h ) > "$work/soapcpp2.log" 2>&1 || { cat "$work/soapcpp2.log" >&2; die "soapcpp2 failed"; }
cp "$work/ews.h" "$out/ews.h"

# Unknown enumeration values: gSOAP fails the WHOLE message on one value its schema does not know, and servers
# add values over time. Store -1 (no enumerator has it) and keep decoding instead, unless the context is
# SOAP_XML_STRICT or its fsvalidate hook refuses the pattern "libews:unknown-enum" (ewsd does: Exchange answers
# such a request with ErrorSchemaValidation).
n=$(cat "$out"/soapC_*.c | grep -c '^			return soap->error = SOAP_TYPE;$' || true)
sed -i 's/^			return soap->error = SOAP_TYPE;$/		{	if ((soap->mode \& SOAP_XML_STRICT) || (soap->fsvalidate \&\& soap->fsvalidate(soap, "libews:unknown-enum", s))) return soap->error = SOAP_TYPE; soap->error = SOAP_OK; n = -1; } \/* libews: unknown value *\//' "$out"/soapC_*.c
[ "$(cat "$out"/soapC_*.c | grep -c 'libews: unknown value' || true)" = "$n" ] || die "enum leniency patch did not apply"
# An unknown element inside a single-choice element must not drop its siblings: see choice-leniency.sh.
"$here/choice-leniency.sh" "$out"

"$here/server-defaults.sh" "$out/soapStub.h" > "$out/ews_server_defaults.c"
"$here/operations.sh" "$out" >/dev/null
"$here/codecs.sh" "$out"

sum() { sha256sum "$1" | cut -d' ' -f1; }
{
	echo "generator: libews generator/generate.sh"
	echo "gsoap: $(soapcpp2 -V 2>&1 | head -c 40 || true)"
	echo "schema: $schema"
	echo "services.wsdl: $(sum "$wsdl")"
	echo "messages.xsd: $(sum "$msgs")"
	echo "types.xsd: $(sum "$types")"
	echo "typemap.dat: $(sum "$here/typemap.dat")"
	echo "operations: $(grep -c 'soap_call___ewsmsg__[A-Za-z]*(' "$out/soapStub.h")"
	echo "wsdl2h -c -F -k -d -t generator/typemap.dat -o ews.h services.wsdl"
	echo "soapcpp2 -c -L -x -w -1 -f${SOAPCPP2_SPLIT:-120} -I/usr/share/gsoap/import ews.h"
} > "$out/STAMP"
echo "generated $(ls "$out"/soapC_*.c 2>/dev/null | wc -l) soapC parts, $(grep -c 'soap_call___ewsmsg__[A-Za-z]*(' "$out/soapStub.h") operations in $out"
