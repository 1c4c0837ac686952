/* learn-export-item ITEM_ID FILE — save one item, exactly as the server stores it, with ExportItems
 * (ews/export.h). The file is written under a temporary name and renamed, so it is never left half-written;
 * UploadItems (ews_upload_items_from_files, or ews-upload-items) puts it back. Prints the bytes written.
 *
 *   EWS_URL=... EWS_USER=... EWS_PASSWORD=... learn-export-item AAMkAD... message.ews
 */
#include <stdio.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_transfer_result *results = NULL;

	if (argc != 3)
		return fprintf(stderr, "usage: learn-export-item ITEM_ID FILE\n"), 2;
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);
	if (ews_ok(st))
		st = ews_client_new(NULL, &o, &c);
	ews_item_ref item = { .id = argv[1] };           /* no change key: whatever version the item is at now */
	const char *path = argv[2];
	if (ews_ok(st))
		st = ews_export_items_to_files(c, &item, &path, 1, NULL, &results);
	if (ews_ok(st))
		printf("%lld bytes -> %s\n", results[0].bytes, path);
	else
		fprintf(stderr, "learn-export-item: %s\n", st.message);   /* e.g. "item 1: ErrorItemNotFound: ..." */
	ews_transfer_results_free(results, 1);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
