/* newcomer.c — the newcomer's path (issue 11 point 6): one include, a paged search of the inbox, under 30 lines,
 * linked against libews.so only through what its public headers declare (tests/layers/newcomer.sh). */
#include <stdio.h>
#include <ews/ews.h>

int main(void)
{
	ews_options o;
	ews_client *c = NULL;
	ews_pager *p = NULL;
	ews_item_view it;
	int n = 0;
	ews_status st;

	ews_options_init(&o);                   /* from_env only sets what the environment names */
	st = ews_options_from_env(&o);          /* EWS_URL, EWS_USER, EWS_PASSWORD ... */

	if (ews_ok(st))
		st = ews_client_new(NULL, &o, &c);
	if (ews_ok(st))
		st = ews_pager_new_items(c, NULL, &p); /* the inbox, 100 a page, anchor check on */
	while (ews_ok(st) && ews_ok(st = ews_pager_next(p, &it)) && it.id)
		printf("%d %s\n", ++n, it.subject ? it.subject : "");
	ews_pager_free(p);
	ews_client_free(c);
	if (!ews_ok(st))
		fprintf(stderr, "newcomer: %s\n", st.message);
	return ews_ok(st) ? 0 : 1;
}
