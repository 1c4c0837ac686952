/* client_setup.c — the one way the bench scenarios make their client: Basic auth as the seeded mailbox (ewsd runs
 * open), defaults otherwise, so what is measured is what a program gets out of the box. */
#include <stdio.h>
#include <stdlib.h>

#include "stdsoap2.h"

#include "bench.h"

ews_client *bench_client_new(const char *url, const char *mailbox, int xml_tree)
{
	ews_options o;
	ews_client *c;
	ews_status st;

	ews_options_init(&o);
	o.auth = EWS_AUTH_BASIC;
	o.user = mailbox;
	o.password = "x";
	st = ews_client_new(url, &o, &c);
	if (!ews_ok(st)) {
		fprintf(stderr, "bench: client for %s: %s\n", url, st.message);
		exit(1);
	}
	if (xml_tree)
		soap_set_mode(ews_client_soap(c), SOAP_XML_TREE);
	return c;
}
