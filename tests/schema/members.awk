# members.awk soapStub.h > probe.c
# Emits a C file that names every struct/union member and enum constant of the
# given stub; compiling it against another set of bindings proves the names exist.
function norm(s) { gsub(/\/\*.*\*\//, "", s); gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); return s }
BEGIN { print "#include \"soapH.h\""; print "void probe(void);"; print "void probe(void)"; print "{" }
{
	line = norm($0)
	if (!inblk) {
		if (pending != "" && line == "{") { key = pending; pending = ""; inblk = 1; next }
		pending = ""
		if (line ~ /^(struct|union|enum) [A-Za-z_][A-Za-z0-9_]* \{$/) { key = line; sub(/ \{$/, "", key); inblk = 1; next }
		if (line ~ /^(struct|union|enum) [A-Za-z_][A-Za-z0-9_]*$/) pending = line
		next
	}
	if (line ~ /^\} *;?$/) { inblk = 0; next }
	if (line == "" || line ~ /^#/) next
	if (key ~ /^enum /) { sub(/ *=.*$/, "", line); sub(/,$/, "", line); printf "\t(void)%s;\n", line; next }
	if (key ~ /^struct (SOAP_ENV__|soap)/) next
	sub(/;$/, "", line)
	n = split(line, w, /[ *]+/)
	m = w[n]; sub(/\[.*$/, "", m)
	if (m != "" && m != "dummy") printf "\t(void)sizeof(((%s *)0)->%s);\n", key, m
}
END { print "}" }
