#!/bin/sh
# fixups.sh DIR — repair, in place, what official EWS schema sets need before wsdl2h can use them.
# Runs on a scratch copy made by ewsgen (gsoap_run.c); every fix-up is harmless on a set that does not need it (ours).
set -eu
dir=$1

# 1. Servers pin RequestServerVersion/@Version with fixed="Exchange2010_SP2" (or their own version). Bindings
#    generated from that could only ever send that one version: unpin it.
sed -i '/name="Version"/s/ fixed="[^"]*"//' "$dir/types.xsd"

# 2. types.xsd imports the XML namespace (for xml:lang) without a schemaLocation. wsdl2h needs nothing more,
#    but a local location keeps every tool offline; xml.xsd is a tiny schema of our own.
if grep -q 'namespace="http://www.w3.org/XML/1998/namespace"/>' "$dir/types.xsd"; then
	cp "$(dirname "$0")/xml.xsd" "$dir/xml.xsd"
	sed -i 's#<xs:import namespace="http://www.w3.org/XML/1998/namespace"/>#<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>#' "$dir/types.xsd"
fi

# 3. Exchange serves Services.wsdl without a <wsdl:service>: add one so the bindings name a default endpoint.
#    The endpoint is always passed at run time anyway.
if ! grep -q '<wsdl:service' "$dir/services.wsdl"; then
	sed -i 's#</wsdl:definitions>#  <wsdl:service name="ExchangeServices">\
    <wsdl:port name="ExchangeServicePort" binding="tns:ExchangeServiceBinding">\
      <soap:address location="https://localhost/EWS/Exchange.asmx"/>\
    </wsdl:port>\
  </wsdl:service>\
</wsdl:definitions>#' "$dir/services.wsdl"
fi

# 4. Item, folder and attachment lists: an element the schema does not know (t:SharingMessage with ours; RoleMember,
#    Network, Person with sets older than V2018; whatever Exchange adds next) must not vanish. These choices are the
#    whole content of their type, so an xs:any alternative after the known ones catches only what no known
#    alternative matched: gSOAP (wsdl2h -d) stores it as a DOM element (union member __any), which the runtime's
#    views deliver as a generic item with its element name, ItemId, ChangeKey and XML. Not for choices followed by
#    other content (ItemAttachmentType): there xs:any would swallow an unknown sibling and push out the known item.
#    Request-only lists (NonEmptyArrayOfAllItems/Folders) keep refusing unknown types. choice-leniency.sh covers the
#    other single-choice elements.
any_lists="ArrayOfRealItemsType SyncFolderItemsCreateOrUpdateType ArrayOfFoldersType SyncFolderHierarchyCreateOrUpdateType ArrayOfAttachmentsType NonEmptyArrayOfAttachmentsType"
awk -v lists=" $any_lists " '
	/<xs:complexType[ \t]/ {
		ct = ""
		if (match($0, /name="[^"]*"/)) ct = substr($0, RSTART + 6, RLENGTH - 7)
		want = index(lists, " " ct " ") > 0; depth = 0; done = 0
	}
	want && !done && /<xs:choice[ \t>]/ { depth++ }
	want && !done && /<\/xs:choice>/ {
		if (--depth == 0) {
			indent = $0; sub(/<.*/, "", indent)
			print indent "  <xs:any namespace=\"##any\" processContents=\"lax\"/> <!-- libews fixups.sh: unknown types -->"
			done = 1; print "libews-any " ct > "/dev/stderr"
		}
	}
	/<\/xs:complexType>/ { want = 0 }
	{ print }
' "$dir/types.xsd" > "$dir/types.xsd.any" 2> "$dir/any.log"
mv "$dir/types.xsd.any" "$dir/types.xsd"
# Every listed type the set declares must have got its alternative.
for t in $any_lists; do
	if grep -q "<xs:complexType name=\"$t\"" "$dir/types.xsd" && ! grep -qx "libews-any $t" "$dir/any.log"; then
		echo "fixups.sh: no xs:any added to $t" >&2
		exit 1
	fi
done
rm -f "$dir/any.log"

# 5. The response objects (SmartResponseBaseType, WellKnownResponseObjectType, ReferenceItemResponseType,
#    PostReplyItemBaseType) are complexContent restrictions of ResponseObjectType. wsdl2h's C mode copies a base's
#    members into a derived struct only along extensions, so ReplyToItem, ForwardItem, AcceptItem ... came out
#    without Subject, ToRecipients or ReferenceItemId (only NewBodyContent / ProposedStart). A restriction lists its
#    whole content model, so the same content written as the type's own (the prohibited attribute left out)
#    accepts and produces the same XML, and the derived types get every element.
awk '
	held != "" {
		if ($0 ~ /<xs:restriction base="t:ResponseObjectType">/) { held = ""; inres = 1; next }
		print held; held = ""
	}
	/^[ \t]*<xs:complexContent>[ \t]*$/ { held = $0; next }
	inres && /use="prohibited"/ { next }
	inres && /<\/xs:restriction>/ { inres = 0; dropcc = 1; next }
	dropcc && /<\/xs:complexContent>/ { dropcc = 0; next }
	{ print }
' "$dir/types.xsd" > "$dir/types.xsd.ro"
mv "$dir/types.xsd.ro" "$dir/types.xsd"
# Loud when a layout the patterns do not know left one as it was: its struct would silently lack its members.
if grep -q '<xs:restriction base="t:ResponseObjectType">' "$dir/types.xsd"; then
	echo "fixups.sh: a response object type still restricts ResponseObjectType (its members would be lost)" >&2
	exit 1
fi
