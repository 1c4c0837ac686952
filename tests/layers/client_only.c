/* client_only.c — a program that creates a client and calls no operation, linked against libews.a: it must
 * still link (gSOAP's library calls the generated callbacks by name; ews_client_new, in the generated layer,
 * brings them) and the client must know its schema's faults from creation (the text of a TLS setup error). */
#include <stdio.h>
#include <string.h>

#include <ews/ews.h>

int main(void)
{
	ews_client *c = NULL;
	ews_status st = ews_client_new("https://127.0.0.1:1/EWS/Exchange.asmx", NULL, &c);

	if (!ews_ok(st))
		return fprintf(stderr, "client_only: ews_client_new: %s\n", st.message), 1;
	st = ews_client_set_tls(c, "/nonexistent/ca.pem", NULL, 0);
	ews_client_free(c);
	if (st.code != EWS_ERR_TLS || !strstr(st.message, "TLS setup failed") || strstr(st.message, "unknown error"))
		return fprintf(stderr, "client_only: expected a TLS setup error with gSOAP's reason, got %d: %s\n",
		               st.code, st.message), 1;
	printf("client_only: ok: a client-only program links statically; %s\n", st.message);
	return 0;
}
