/* learn-incremental-sync FOLDER STATE_FILE — mirror a folder's changes with SyncFolderItems (ews/sync.h): the
 * first run reports every item as created; each later run, given the SyncState the previous one saved, reports
 * only what changed since. Prints "create|update|delete|read ID SUBJECT" lines and the number of changes.
 *
 *   EWS_URL=... EWS_USER=... EWS_PASSWORD=... learn-incremental-sync inbox inbox.state
 */
#include <stdio.h>
#include <stdlib.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	static const char *kinds[] = { "done", "create", "update", "delete", "read" };
	ews_options o;
	ews_client *c = NULL;
	ews_sync *s = NULL;
	ews_sync_change ch;

	if (argc != 3)
		return fprintf(stderr, "usage: learn-incremental-sync FOLDER STATE_FILE\n"), 2;
	char *state = ews_sync_state_load(argv[2]);         /* NULL the first time: a full sync */
	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);
	if (ews_ok(st))
		st = ews_client_new(NULL, &o, &c);
	if (ews_ok(st))
		st = ews_sync_new_items(c, argv[1], state, NULL, &s);
	while (ews_ok(st) && ews_ok(st = ews_sync_next(s, &ch)) && ch.kind != EWS_SYNC_DONE)
		printf("%s %s %s\n", kinds[ch.kind], ch.item.id, ch.item.subject ? ch.item.subject : "");
	/* save the state only after every change was handled: a crash before this line means redoing them, never
	 * missing one */
	if (ews_ok(st))
		st = ews_sync_state_save(argv[2], ews_sync_state(s));
	if (ews_ok(st))
		printf("%ld changes\n", ews_sync_changes(s));
	else
		fprintf(stderr, "learn-incremental-sync: %s\n", st.message);
	ews_sync_free(s);
	ews_client_free(c);
	free(state);
	return ews_ok(st) ? 0 : 1;
}
