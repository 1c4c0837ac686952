#!/bin/sh
# fixups.sh DIR — repair, in place, what official EWS schema sets need before wsdl2h can use them.
# Runs on a scratch copy made by generate.sh; every fix-up is harmless on a set that does not need it (ours).
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
