/* ews_headers.c — the SOAP headers of a request (version, impersonation, culture, time zone), the routing HTTP
 * headers that go with them, and ServerVersionInfo from the response. The header types are the schema's: the
 * operation's binding (ews/call.h) fills and reads them. */
#include <stdio.h>
#include <string.h>

#include <stdsoap2.h>

#include "ews_internal.h"

int ews_version_name_valid(const char *name)
{
	/* The bindings keep the version as a string (newer servers know newer names than any schema we ship):
	 * accept what looks like an ExchangeVersionType name, "Exchange2013_SP1" or "V2017_07_11". */
	size_t n = name ? strlen(name) : 0;
	if (n < 5 || n > 40 || (strncmp(name, "Exchange20", 10) && strncmp(name, "V20", 3)))
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static ews_status nomem(void)
{
	return ews_status_make(EWS_ERR_NOMEM, "out of memory");
}

ews_status ews_headers_prepare(ews_client *c)
{
	ews_soap_headers v = { 0 };
	const char *anchor;
	ews_status st;

	/* the SOAP header structs are the schema's: the binding builds them from these values */
	v.version = c->next_version ? c->next_version : c->version;
	v.impersonate = c->imp_value;
	v.impersonate_kind = c->imp_kind;
	v.culture = c->culture;
	v.timezone = c->timezone;
	if (!c->binding || c->binding->put_headers(c->soap, &v))
		return !c->binding ? ews_status_make(EWS_ERR_ARGUMENT, "no operation binding for the SOAP headers") : nomem();

	/* Exchange Online routes a request by X-AnchorMailbox; with impersonation it must name the target mailbox,
	 * and X-PreferServerAffinity keeps the session (and its throttling budget) on that backend. */
	anchor = c->anchor_mailbox;
	if (!anchor && c->imp_value && c->imp_kind != EWS_IMPERSONATE_SID)
		anchor = c->imp_value;
	if (anchor && !ews_ok(st = ews_transport_add_header(c, "X-AnchorMailbox", anchor)))
		return st;
	if (c->imp_value && !ews_ok(st = ews_transport_add_header(c, "X-PreferServerAffinity", "true")))
		return st;
	return ews_status_ok();
}

void ews_headers_capture_server_version(ews_client *c)
{
	if (c->binding && c->binding->get_server_version(c->soap, &c->server_version))
		c->has_server_version = 1;
}
