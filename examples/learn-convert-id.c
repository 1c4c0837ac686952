/* learn-convert-id ID MAILBOX [FORMAT] — ConvertId (ews/convert.h): turn an EwsId (what EWS operations return)
 * into another format — EwsLegacyId, EntryId, HexEntryId, StoreId, OwaId (default OwaId, what Outlook on the web
 * puts in its links). The server needs the mailbox the id belongs to. Prints the converted id.
 *
 *   EWS_URL=... EWS_USER=... EWS_PASSWORD=... learn-convert-id AAMkAD... me@example.com HexEntryId
 */
#include <stdio.h>
#include <stdlib.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_id_format to = EWS_ID_OWA_ID;
	char *converted = NULL;

	if (argc < 3 || argc > 4)
		return fprintf(stderr, "usage: learn-convert-id ID MAILBOX [FORMAT]\n"), 2;
	ews_status st = argc == 4 ? ews_id_format_from_name(argv[3], &to) : ews_status_make(EWS_OK, "ok");
	ews_options_init(&o);
	if (ews_ok(st))
		st = ews_options_from_env(&o);
	if (ews_ok(st))
		st = ews_client_new(NULL, &o, &c);
	if (ews_ok(st))
		st = ews_convert_one_id(c, argv[1], EWS_ID_EWS_ID, argv[2], to, &converted);
	if (ews_ok(st))
		printf("%s\n", converted);
	else
		fprintf(stderr, "learn-convert-id: %s\n", st.message);   /* e.g. ErrorInvalidIdMalformed */
	free(converted);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
