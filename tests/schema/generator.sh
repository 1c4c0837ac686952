#!/bin/sh
# tests/schema/generator.sh EWSGEN [SHARED_DIR] — the generator on the schema sets users actually have.
#
# The variants are derived at test time, in a scratch directory, from the official sets in SHARED_DIR (never
# committed copies):
#   1. schema-diff wsdl/ -> V2018_01_08: 123 operations in V2018, every one named (FindConversation,
#      ApplyConversationAction, GetConversationItems are declared `name ="..."` there)
#   2. Exchange2010_SP2 as served (Services.wsdl, no wsdl:service), the same with a UTF-8 byte-order mark on
#      every file and spelled services.wsdl, and the same with a wsdl:service added: identical tables, and the
#      BOM/spelling variant keeps the set's identity (EWS_SCHEMA_HASH); with CR LF line ends: identical structs
#   3. operations missing (an Exchange 2007-like set: no ExportItems, no UploadItems, and no ConvertId like 2007
#      before SP1): no wrapper, codec or EWS_HAVE_OP_ for them; the runtime's workflow files compile against it
#      and the export/upload/convert helpers answer EWS_ERR_UNSUPPORTED
#   4. an output directory whose parents do not exist yet
#   5. clear errors: a set without types.xsd, a WSDL that is not well-formed XML
#   6. members and enumeration values missing (IsInline, SubscribeToAllFolders, Traversal Associated, ...: what
#      Exchange 2007 SP1 lacks): ews_schema_members.h says so, the workflow files that read them compile
#   7. the same for the ews-* tools and the suites that guard on them: against a set without ExportItems,
#      UploadItems, GetStreamingEvents, ReturnNewItemIds, StartTimeZone, DistributionList Members and IsInline
#      (Exchange 2007 SP1 has none of them) they compile without a warning
# Prints one line per check; exits 1 if any failed.
set -u
EWSGEN=${1:?usage: generator.sh EWSGEN [SHARED_DIR]}
SHARED=${2:-../shared}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
V2018=$SHARED/ews-schemas/V2018_01_08
E2010=$SHARED/ews-schemas/Exchange2010_SP2
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
for d in "$V2018" "$E2010"; do
	[ -d "$d" ] || { echo "generator checks: skipped: no official schema set $d"; exit 0; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/ews-gentest.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
gen() { # SET_DIR OUT_DIR
	"$EWSGEN" generate --generator-dir "$TOP/generator" --default-set "$TOP/wsdl" "$1" "$2" > "$2.log" 2>&1 ||
		{ cat "$2.log"; return 1; }
}
tables="ews_operations.h ews_operations.c ews_responses.c ews_codecs.c ews_server_defaults.c"

# ---- 1. schema-diff ----
"$EWSGEN" schema-diff "$TOP/wsdl" "$V2018" > "$work/diff.txt" || bad "schema-diff failed"
ops=$(awk '/^operations: /{p=1; print; next} /^[a-z]/{p=0} p' "$work/diff.txt")
added=$(printf '%s\n' "$ops" | grep -c '^  + [A-Za-z]')
empty=$(printf '%s\n' "$ops" | grep -c '^  [+-] *$')
# our operations: one <wsdl:input message=...> per port type operation (the binding's inputs carry no message=)
ours=$(grep -c '<wsdl:input message=' "$TOP/wsdl/services.wsdl")
if printf '%s\n' "$ops" | head -1 | grep -q "^operations: $ours -> 123\$" && [ "$added" = $((123 - ours)) ] &&
   [ "$empty" = 0 ]; then
	ok "schema-diff: $ours -> 123 operations, $((123 - ours)) added, all named"
else
	bad "schema-diff: expected $ours -> 123 operations and $((123 - ours)) named additions, got: $(printf '%s\n' "$ops" | head -1), $added added, $empty unnamed"
fi
for op in FindConversation ApplyConversationAction GetConversationItems; do
	printf '%s\n' "$ops" | grep -qx "  + $op" || bad "schema-diff misses $op (declared name =\"$op\")"
done

# ---- 2. spellings: BOM, services.wsdl, wsdl:service ----
mkdir -p "$work/as-served" "$work/bom" "$work/service"
cp "$E2010"/* "$work/as-served/" && chmod u+w "$work/as-served"/*
wsdl=$(ls "$work/as-served" | grep -i '^services\.wsdl$')
for f in messages.xsd types.xsd; do { printf '\357\273\277'; cat "$work/as-served/$f"; } > "$work/bom/$f"; done
{ printf '\357\273\277'; cat "$work/as-served/$wsdl"; } > "$work/bom/services.wsdl"
[ "$wsdl" != services.wsdl ] || mv "$work/bom/services.wsdl" "$work/bom/Services.wsdl"
cp "$work/as-served"/*.xsd "$work/service/"
if grep -q '<wsdl:service' "$work/as-served/$wsdl"; then
	bad "$E2010 already has a wsdl:service: the variant test needs one without"
fi
sed 's#</wsdl:definitions>#<wsdl:service name="Elsewhere"><wsdl:port name="P" binding="tns:ExchangeServiceBinding"><soap:address location="https://mail.example.com/EWS/Exchange.asmx"/></wsdl:port></wsdl:service></wsdl:definitions>#' \
	"$work/as-served/$wsdl" > "$work/service/$wsdl"
for v in as-served bom service; do gen "$work/$v" "$work/out-$v" || bad "generation from the $v variant failed"; done
for v in bom service; do
	for t in $tables; do
		cmp -s "$work/out-as-served/$t" "$work/out-$v/$t" || bad "$v variant: $t differs from the set as served"
	done
done
# CR LF line ends (a set saved on Windows): the same bindings, so fixups.sh's line-based edits still apply
mkdir -p "$work/crlf"
for f in "$work/as-served"/*; do sed 's/$/\r/' "$f" > "$work/crlf/$(basename "$f")"; done
if gen "$work/crlf" "$work/out-crlf"; then
	same=1
	for t in $tables soapStub.h; do cmp -s "$work/out-as-served/$t" "$work/out-crlf/$t" || { same=0; bad "CR LF variant: $t differs from the set as served"; }; done
	[ $same -eq 1 ] && ok "CR LF line ends: the same tables and structs (soapStub.h) as the set as served"
else
	bad "generation from the CR LF variant failed"
fi
hash() { sed -n 's/^#define EWS_SCHEMA_HASH "\(.*\)"$/\1/p' "$1/ews_schema.h"; }
h1=$(hash "$work/out-as-served") h2=$(hash "$work/out-bom") h3=$(hash "$work/out-service")
[ -n "$h1" ] && [ "$h1" = "$h2" ] && ok "a BOM and the services.wsdl spelling keep the set's identity ($h1)" ||
	bad "BOM/spelling variant changed the identity: '$h1' vs '$h2'"
[ -n "$h3" ] && [ "$h3" != "$h1" ] && ok "a wsdl:service added: same tables, a different identity" ||
	bad "the wsdl:service variant has the identity of the set as served"
grep -q '^#define EWS_SCHEMA_IS_DEFAULT 0$' "$work/out-as-served/ews_schema.h" || bad "an official set claims to be libews's own"

# ---- 3. operations missing ----
mkdir -p "$work/old"
cp "$work/as-served"/*.xsd "$work/old/"
sed -e '/<wsdl:operation name="ExportItems">/,/<\/wsdl:operation>/d' \
    -e '/<wsdl:operation name="UploadItems">/,/<\/wsdl:operation>/d' \
    -e '/<wsdl:operation name="ConvertId">/,/<\/wsdl:operation>/d' "$work/as-served/$wsdl" > "$work/old/$wsdl"
if gen "$work/old" "$work/out-old"; then
	n_served=$(grep -c '^#define EWS_HAVE_OP_' "$work/out-as-served/ews_schema.h")
	n_old=$(grep -c '^#define EWS_HAVE_OP_' "$work/out-old/ews_schema.h")
	[ "$n_old" -eq $((n_served - 3)) ] || bad "without ExportItems/UploadItems/ConvertId: $n_old operations, expected $((n_served - 3))"
	grep -q 'EWS_HAVE_OP_EXPORT_ITEMS\|EWS_HAVE_OP_UPLOAD_ITEMS\|EWS_HAVE_OP_CONVERT_ID' "$work/out-old/ews_schema.h" && bad "EWS_HAVE_OP_ for a missing operation"
	grep -q 'ews_export_items\|"ExportItems"' "$work/out-old/ews_operations.h" "$work/out-old/ews_codecs.c" &&
		bad "a wrapper or codec for the missing ExportItems"
	grep -q '^#define EWS_HAVE_OP_EXPORT_ITEMS 1$' "$work/out-as-served/ews_schema.h" || bad "no EWS_HAVE_OP_EXPORT_ITEMS in the full set"
	# the workflow helpers compile against it; export/upload answer EWS_ERR_UNSUPPORTED
	CF="$(pkg-config --cflags gsoapssl) -I$work/out-old -I$TOP/runtime/include -I$TOP/runtime/core -I$TOP/runtime/workflows"
	for f in workflows/ews_export workflows/ews_convert workflows/ews_sync workflows/ews_pager workflows/ews_view \
	         workflows/ews_workflow core/ews_status; do
		o="$work/$(basename "$f")"
		cc -std=gnu11 -O0 -w $CF -c "$TOP/runtime/$f.c" -o "$o.o" 2> "$o.err" ||
			{ bad "runtime/$f.c does not compile against a set without ExportItems/UploadItems/ConvertId"; cat "$o.err"; }
	done
	cat > "$work/unsupported.c" <<'C'
#include <stdio.h>
#include "ews/export.h"
#include "ews/convert.h"
#include "ews_schema.h"
int main(void)
{
	ews_item_ref item = { "AAMk", NULL };
	ews_upload_item up = { .path = "x.bin", .parent_folder_id = "inbox" };
	const char *path = "x.bin";
	ews_transfer_result *r = (ews_transfer_result *)&item;
	ews_status st = ews_export_items_to_files((ews_client *)&item, &item, &path, 1, NULL, &r);

	if (st.code != EWS_ERR_UNSUPPORTED || r)
		return 1;
	puts(st.message);
	r = (ews_transfer_result *)&item;
	st = ews_upload_items_from_files((ews_client *)&item, &up, 1, NULL, &r);
	if (st.code != EWS_ERR_UNSUPPORTED || r)
		return 2;
	puts(st.message);
	char *out = (char *)&item;
	st = ews_convert_one_id((ews_client *)&item, "AAMk", EWS_ID_EWS_ID, NULL, EWS_ID_OWA_ID, &out);
	if (st.code != EWS_ERR_UNSUPPORTED || out)
		return 3;
	puts(st.message);
	return 0;
}
C
	if [ -f "$work/ews_export.o" ] && cc -std=gnu11 $CF -o "$work/unsupported" "$work/unsupported.c" "$work/ews_export.o" \
		"$work/ews_convert.o" "$work/ews_status.o" 2> "$work/link.err" && "$work/unsupported" > "$work/unsupported.out"; then
		ok "without ExportItems/UploadItems/ConvertId: $n_old operations, helpers answer EWS_ERR_UNSUPPORTED ($(tr '\n' ';' < "$work/unsupported.out"))"
	else
		bad "export/upload helpers against a set without them (rc $?)"; cat "$work/link.err" 2>/dev/null
	fi
else
	bad "generation from a set without ExportItems/UploadItems failed"
fi

# ---- 4. an output directory whose parents do not exist yet (build-official-X/generated) ----
"$EWSGEN" generate --generator-dir "$TOP/generator" "$TOP/wsdl" "$work/new/tree/generated" > "$work/nested.log" 2>&1 &&
	[ -f "$work/new/tree/generated/ews_schema.h" ] && ok "output directory created with its parents" ||
	{ bad "generating into a directory whose parents do not exist"; cat "$work/nested.log"; }

# ---- 5. clear errors ----
mkdir -p "$work/no-types" "$work/broken"
cp "$work/as-served/$wsdl" "$work/as-served/messages.xsd" "$work/no-types/"
"$EWSGEN" generate --generator-dir "$TOP/generator" "$work/no-types" "$work/out-x" > "$work/err1" 2>&1 &&
	bad "a set without types.xsd generated"
grep -q 'no types.xsd in' "$work/err1" && ok "a set without types.xsd: $(head -1 "$work/err1")" ||
	bad "unclear error for a missing types.xsd: $(cat "$work/err1")"
cp "$work/as-served"/*.xsd "$work/broken/"
head -c 5000 "$work/as-served/$wsdl" > "$work/broken/$wsdl"
"$EWSGEN" generate --generator-dir "$TOP/generator" "$work/broken" "$work/out-y" > "$work/err2" 2>&1 &&
	bad "a truncated WSDL generated"
grep -q 'is not well-formed XML' "$work/err2" && ok "a truncated WSDL: $(tail -1 "$work/err2")" ||
	bad "unclear error for a truncated WSDL: $(tail -3 "$work/err2")"

# ---- 6. members and enumeration values missing (as in Exchange 2007 SP1) ----
# ews_schema_members.h says which members and values the set has; the runtime's workflow files that read ones
# that came later compile without them.
mkdir -p "$work/members"
cp "$work/as-served/$wsdl" "$work/members/"
sed -e '/<xs:element name="IsInline"/d' -e '/<xs:attribute name="SubscribeToAllFolders"/d' \
    -e '/<xs:enumeration value="Associated"\/>/d' -e '/<xs:enumeration value="FreeBusyChangedEvent"\/>/d' \
    -e '/<xs:element name="FreeBusyChangedEvent"/d' -e '/<xs:attribute name="IsArchive" [^>]*use="optional"/d' \
    "$work/as-served/types.xsd" > "$work/members/types.xsd"
sed -e '/<xs:attribute name="ContactDataShape"/d' -e '/<xs:element name="SyncScope"/d' \
    "$work/as-served/messages.xsd" > "$work/members/messages.xsd"
gone="ewstype__FileAttachmentType_IsInline ewstype__ItemAttachmentType_IsInline ewstype__ItemQueryTraversalType_Associated
ewstype__PullSubscriptionRequestType_SubscribeToAllFolders ewstype__NotificationEventTypeType_FreeBusyChangedEvent
ewstype__NotificationType_FreeBusyChangedEvent ewstype__AlternateIdType_IsArchive ewsmsg__ResolveNamesType_ContactDataShape
ewsmsg__SyncFolderItemsType_SyncScope"
if gen "$work/members" "$work/out-members"; then
	for m in $gone; do
		grep -q "^#define EWS_HAS_$m 1\$" "$work/out-as-served/ews_schema_members.h" || bad "no EWS_HAS_$m in the set as served"
		grep -q "^#define EWS_HAS_$m " "$work/out-members/ews_schema_members.h" && bad "EWS_HAS_$m for a member the set lacks"
	done
	# what clients request by default from a server serving this set (runtime/binding/ews_binding.c)
	grep -q '^#define EWS_SCHEMA_NEWEST_VERSION "Exchange2010_SP2"$' "$work/out-as-served/ews_schema.h" &&
		ok "Exchange2010_SP2's newest version: $(sed -n 's/^#define EWS_SCHEMA_NEWEST_VERSION //p' "$work/out-as-served/ews_schema.h")" ||
		bad "EWS_SCHEMA_NEWEST_VERSION of Exchange2010_SP2 is not \"Exchange2010_SP2\""
	# a member of a base type, and a value of an enumeration, as the struct and the enum have them
	grep -q '^#define EWS_HAS_ewstype__MessageType_ItemId 1$' "$work/out-members/ews_schema_members.h" &&
	grep -q '^#define EWS_HAS_ewstype__ItemQueryTraversalType_Shallow 1$' "$work/out-members/ews_schema_members.h" ||
		bad "ews_schema_members.h lacks a base type's member or an enumeration value"
	CF="$(pkg-config --cflags gsoapssl) -I$work/out-members -I$TOP/runtime/include -I$TOP/runtime/core -I$TOP/runtime/workflows"
	compiled=0
	for f in ews_attachments ews_pager ews_notify ews_sync ews_convert ews_people; do
		cc -std=gnu11 -O0 -w $CF -c "$TOP/runtime/workflows/$f.c" -o "$work/m-$f.o" 2> "$work/m-$f.err" &&
			compiled=$((compiled + 1)) ||
			{ bad "runtime/workflows/$f.c does not compile against a set without later members"; cat "$work/m-$f.err"; }
	done
	[ $compiled -eq 6 ] && ok "without IsInline, SubscribeToAllFolders, Associated, FreeBusyChangedEvent, IsArchive, ContactDataShape, SyncScope: no EWS_HAS_ for them, the workflows that read them compile"
else
	bad "generation from a set without later members failed"
fi

# ---- 7. the tools and suites that guard on what older sets lack compile against such a set ----
mkdir -p "$work/older"
sed -e '/<wsdl:operation name="ExportItems">/,/<\/wsdl:operation>/d' \
    -e '/<wsdl:operation name="UploadItems">/,/<\/wsdl:operation>/d' \
    -e '/<wsdl:operation name="GetStreamingEvents">/,/<\/wsdl:operation>/d' "$work/as-served/$wsdl" > "$work/older/$wsdl"
sed -e '/<xs:element name="StartTimeZone"/d' -e '/<xs:element name="Members" type="t:MembersListType"/d' \
    -e '/<xs:element name="IsInline"/d' "$work/as-served/types.xsd" > "$work/older/types.xsd"
sed -e '/<xs:element name="ReturnNewItemIds"/d' "$work/as-served/messages.xsd" > "$work/older/messages.xsd"
if gen "$work/older" "$work/out-older"; then
	CF="-std=gnu11 -fsyntax-only -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
	    -Werror -D_GNU_SOURCE= $(pkg-config --cflags gsoapssl) -I$work/out-older -I$TOP/runtime/include
	    -I$TOP/runtime/core -I$TOP/runtime/workflows -I$TOP/examples/tools/cli -I$TOP/server -I$TOP/tests/common"
	n=0 failed=""
	for f in examples/tools/copy-items.c examples/tools/move-items.c examples/tools/create-item.c \
	         examples/tools/export-items.c examples/tools/upload-items.c examples/tools/backup.c \
	         examples/tools/watch.c tests/test_export.c tests/test_export_dir.c tests/test_crash.c \
	         tests/test_backup.c tests/test_examples.c tests/test_seeds.c tests/test_teaching_examples.c \
	         tests/test_base64_values.c tests/test_recurrence_walk.c tests/test_attachments_save.c; do
		n=$((n + 1))
		cc $CF -include soapH.h "$TOP/$f" 2> "$work/older.err" || { failed="$failed $f"; cat "$work/older.err"; }
	done
	[ -z "$failed" ] && ok "the tools and suites that guard on later operations and members compile without them ($n files)" ||
		bad "against a set without ExportItems, UploadItems, streaming, ReturnNewItemIds, StartTimeZone, Members, IsInline:$failed"
else
	bad "generation from a set without later operations and members failed"
fi

[ $fail -eq 0 ] && echo "generator checks: all passed" || echo "generator checks: SOME FAILED"
exit $fail
