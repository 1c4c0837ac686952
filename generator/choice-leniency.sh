#!/bin/sh
# choice-leniency.sh OUT_DIR — make gSOAP's generated deserializers survive an element they do not know inside a
# single-choice element, instead of silently dropping everything after it.
#
# Why: for a type whose whole content is one xs:choice (SyncFolderItemsCreateOrUpdateType, SingleRecipientType,
# TargetFolderIdType ...), gSOAP reads the start tag (<t:Create>), then fails when the child matches none of the
# alternatives (<t:SharingMessage> with a schema that lacks it; <t:Create></t:Create>). It returns "no match" with
# the start tag already consumed, so the parent parses the child's end tag as its own: the rest of the list and
# the parent's later siblings are skipped — and the message still decodes "successfully" (a SyncFolderItems batch
# came back with 0 of its changes). Outside SOAP_XML_STRICT this edit makes such an element decode as "no
# alternative" (selector 0, pointer NULL) and skips its unknown content through gSOAP's normal unknown-element path
# (soap_ignore_element: the fignore hook sees it, strict mode refuses it), so every known sibling after it stays.
# A context refuses instead when its fsvalidate hook rejects the pattern "libews:unknown-choice".
#
# Strict decoding (ewsd) also refuses such an element when it is empty (<t:ToFolderId/>): gSOAP reads no content
# of an empty element, so its required choice stays unset (selector 0) and SOAP_XML_STRICT, which checks required
# elements and attributes, never noticed; Exchange answers ErrorSchemaValidation. Every single choice of this
# shape is required (the schemas' optional choices are repeated lists, which have another shape).
#
# Item, folder and attachment lists additionally get an xs:any alternative (fixups.sh), so an unknown item type is
# delivered as a DOM element rather than as an empty choice.
#
# The edit is checked: it must apply to every single-choice deserializer gSOAP wrote, or generation fails.
set -eu
out=$1
die() { echo "choice-leniency.sh: $*" >&2; exit 1; }

# The generated shape (soapcpp2 2.8.x), one per single-choice type:
#		if (!soap_in__ewstype__union_X(soap, &a->__union_X, &a->union_X))
#			return NULL;
#		if (tag && *tag != '-')
# Only this shape consumed its own start tag (tag is a real element name); the tag-less wrappers of repeated
# choices (soap_in___ewstype__union_X) never consume anything on a mismatch and are left alone.
n=$(cat "$out"/soapC_*.c | grep -A2 '^		if (!soap_in__[A-Za-z0-9_]*__union_[A-Za-z0-9_]*(soap, &a->__union_[A-Za-z0-9_]*, &a->union_[A-Za-z0-9_]*))$' |
	grep -c "^		if (tag && \*tag != '-')$" || true)
for f in "$out"/soapC_*.c; do
	awk '
	pending == 2 && $0 == "\t\tif (tag && *tag != '"'"'-'"'"')" {
		# the union call line and "return NULL;" were held back: emit the lenient form
		sub(/\)\)$/, ") \\&\\& (!tag || *tag == '"'"'-'"'"' || (soap->error != SOAP_TAG_MISMATCH \\&\\& soap->error != SOAP_NO_TAG) || (soap->mode \\& SOAP_XML_STRICT) || (soap->fsvalidate \\&\\& soap->fsvalidate(soap, \"libews:unknown-choice\", tag))))", held1)
		print held1
		print held2 " /* libews: unknown choice */"
		pending = 0
		sel = held1; sub(/^.*&a->__union_/, "", sel); sub(/,.*$/, "", sel); empty_check = 1
		print
		next
	}
	empty_check && $0 == "\treturn a;" {
		# an empty element (<e/>: gSOAP reads no content at all) leaves the required choice unset
		print "\tif (!a->__union_" sel " && tag && *tag != '"'"'-'"'"' && (soap->mode & SOAP_XML_STRICT))"
		print "\t{\tsoap->error = SOAP_OCCURS;"
		print "\t\treturn NULL; /* libews: empty choice */"
		print "\t}"
		empty_check = 0
	}
	pending == 2 { print held1; print held2; pending = 0 }
	pending == 1 {
		if ($0 == "\t\t\treturn NULL;") { held2 = $0; pending = 2; next }
		print held1; pending = 0
	}
	/^\t\tif \(!soap_in__[A-Za-z0-9_]*__union_[A-Za-z0-9_]*\(soap, &a->__union_[A-Za-z0-9_]*, &a->union_[A-Za-z0-9_]*\)\)$/ {
		held1 = $0; pending = 1; next
	}
	{ print }
	END { if (pending >= 1) print held1; if (pending == 2) print held2 }
	' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done
got=$(cat "$out"/soapC_*.c | grep -c 'libews: unknown choice' || true)
[ "$got" = "$n" ] || die "patched $got of $n single-choice deserializers"
got=$(cat "$out"/soapC_*.c | grep -c 'libews: empty choice' || true)
[ "$got" = "$n" ] || die "added the empty-choice check to $got of $n single-choice deserializers"
[ "$n" -gt 0 ] || die "found no single-choice deserializer to patch (has gSOAP's output changed?)"
