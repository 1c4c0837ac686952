#!/bin/sh
# strict-base64.sh OUT_DIR — make every generated xs:base64Binary deserializer read its text strictly, so that a
# value that is not base64 fails the decode instead of vanishing.
#
# Why: gSOAP's soap_in_xsd__base64Binary calls soap_getbase64(), then soap_xop_forward() (a check for an MTOM
# xop:Include child) before it looks at the result. On a character outside the alphabet soap_getbase64 fails with
# SOAP_TYPE, but soap_xop_forward peeks at the next tag and overwrites the error with SOAP_NO_TAG: the enclosing
# element reads that as the end of its content, so the value is dropped (t:Content of an attachment) or its whole
# response message is skipped (m:Data of ExportItems), and the message still decodes "successfully" (issue 10,
# fuzz finding invalid-base64). soap_getbase64 is also lenient where data is lost: it stops at the first '=' and
# skips the rest, and drops a lone trailing character.
#
# The edit: the value is read by ews_soap_getbase64() (runtime/binding/ews_base64_in.c: the alphabet, '=' only as
# the last group's padding, XML white space anywhere; anything else is SOAP_TYPE with a fault string naming the
# element), and its failure is returned at once, before soap_xop_forward can overwrite it.
#
# The edit is checked: every call of soap_getbase64 in gSOAP's output must be this one shape, and be edited; at
# least one (every EWS schema set has base64Binary elements).
set -eu
out=$1
die() { echo "strict-base64.sh: $*" >&2; exit 1; }

call='		a->__ptr = soap_getbase64(soap, &a->__size, 0);'
n=$(cat "$out"/soapC_*.c | grep -c 'soap_getbase64(' || true)
shape=$(cat "$out"/soapC_*.c | grep -cxF "$call" || true)
[ "$n" -gt 0 ] || die "found no soap_getbase64 call to edit (has gSOAP's output changed?)"
[ "$n" = "$shape" ] || die "$n soap_getbase64 calls, $shape of the expected shape (has gSOAP's output changed?)"
for f in "$out"/soapC_*.c; do
	grep -qxF "$call" "$f" || continue
	awk -v call="$call" '
	$0 == "#include \"soapH.h\"" && !declared {
		print
		print "/* libews: strict base64 (runtime/binding/ews_base64_in.c, generator/strict-base64.sh) */"
		print "unsigned char *ews_soap_getbase64(struct soap *soap, int *n);"
		declared = 1
		next
	}
	$0 == call {
		print "\t\ta->__ptr = ews_soap_getbase64(soap, &a->__size); /* libews: strict base64 */"
		print "\t\tif (!a->__ptr && soap->error)"
		print "\t\t\treturn NULL; /* libews: strict base64, its error kept */"
		next
	}
	{ print }
	' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
	# without its prototype the call would compile (generated code is built with -w) returning an int
	grep -qxF 'unsigned char *ews_soap_getbase64(struct soap *soap, int *n);' "$f" ||
		die "$f: no #include \"soapH.h\" line to declare ews_soap_getbase64 after"
done
got=$(cat "$out"/soapC_*.c | grep -c 'ews_soap_getbase64(soap, &a->__size); /\* libews: strict base64 \*/$' || true)
[ "$got" = "$n" ] || die "edited $got of $n soap_getbase64 calls"
left=$(cat "$out"/soapC_*.c | grep -c 'soap_getbase64(soap, &a->__size, 0)' || true)
[ "$left" = 0 ] || die "$left soap_getbase64 calls left unedited"
