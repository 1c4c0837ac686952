/* builder-resolve-names NAME — (official bindings) ResolveNames for NAME in the Contacts folder and the directory,
 * built with the typed builders; prints each match's name and address (OOM checks left out). */
#include <stdio.h>
#include "ews/ews.h"
int main(int argc, char **argv)
{
	ews_options o; ews_client *c = NULL;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);   /* the server: EWS_URL, EWS_USER, EWS_PASSWORD ... */
	if (argc != 2 || !ews_ok(st) || !ews_ok(st = ews_client_new(NULL, &o, &c)))
		return fprintf(stderr, "usage: builder-resolve-names NAME (%s)\n", st.message), 2;
	struct ewsmsg__ResolveNamesType *req = EWS_NEW(c, ewsmsg__ResolveNamesType);
	req->UnresolvedEntry = argv[1];
	req->ReturnFullContactData = xsd__boolean__false_;
	ews_NonEmptyArrayOfBaseFolderIdsType_add_DistinguishedFolderId(c, &req->ParentFolderIds)->Id = ewstype__DistinguishedFolderIdNameType__contacts;
	struct __ewsmsg__ResolveNamesResponse resp; ews_response_message m;
	const struct ewsmsg__ResolveNamesResponseMessageType *found = NULL;
	if (ews_ok(st = ews_resolve_names(c, req, &resp)) && !ews_response_messages_get(ews_response_messages_of("ResolveNames", &resp), 0, &m))
		found = m.message;
	for (int i = 0; found && found->ResolutionSet && i < found->ResolutionSet->__sizeResolution; i++) {
		const struct ewstype__EmailAddressType *who = found->ResolutionSet->Resolution[i].Mailbox;
		printf("%s <%s>\n", who && who->Name ? who->Name : "", who && who->EmailAddress ? who->EmailAddress : "");
	}
	if (!ews_ok(st))
		fprintf(stderr, "builder-resolve-names: %s\n", st.message);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
