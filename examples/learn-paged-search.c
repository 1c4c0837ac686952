/* learn-paged-search [FOLDER] — list a folder page by page (FindItem with IndexedPageItemView) with ews/pager.h:
 * newest first, 10 items per request; the pager asks for each next page and notices a result set that changed
 * while it paged (an anchor item per page). Prints "subject" lines, then how many items and pages.
 *
 *   EWS_URL=http://127.0.0.1:8080/EWS/Exchange.asmx EWS_USER=me@example.com EWS_PASSWORD=x learn-paged-search inbox
 */
#include <stdio.h>
#include "ews/ews.h"

int main(int argc, char **argv)
{
	ews_options o;
	ews_client *c = NULL;
	ews_pager *p = NULL;
	ews_item_view it;
	long n = 0;

	ews_options_init(&o);
	ews_status st = ews_options_from_env(&o);          /* the server and credentials: EWS_URL, EWS_USER ... */
	if (ews_ok(st))
		st = ews_client_new(NULL, &o, &c);
	if (ews_ok(st))
		st = ews_pager_new_items(c, &(ews_pager_options){ .folder = argc > 1 ? argv[1] : "inbox", .page_size = 10,
								  .sort = "item:DateTimeReceived", .descending = 1 }, &p);
	/* each ews_pager_next hands out one item; at a page's end it sends the next FindItem; it.id NULL: done */
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id) {
		printf("%s\n", it.subject ? it.subject : "(no subject)");
		n++;
	}
	if (ews_ok(st))
		printf("%ld items in %d pages\n", n, ews_pager_pages(p));
	else
		fprintf(stderr, "learn-paged-search: %s\n", st.message);
	ews_pager_free(p);
	ews_client_free(c);
	return ews_ok(st) ? 0 : 1;
}
