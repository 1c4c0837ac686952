/* ews_headers.c — the SOAP headers of a request (version, impersonation, culture, time zone), the routing HTTP
 * headers that go with them, and ServerVersionInfo from the response. */
#include <stdio.h>
#include <string.h>

#include "soapH.h"

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

static ews_status add_impersonation(ews_client *c, struct SOAP_ENV__Header *h)
{
	struct soap *soap = c->soap;
	struct ewstype__ExchangeImpersonationType *imp = soap_new_ewstype__ExchangeImpersonationType(soap, -1);
	struct ewstype__ConnectingSIDType *sid = soap_new_ewstype__ConnectingSIDType(soap, -1);
	char *value = soap_strdup(soap, c->imp_value);

	if (!imp || !sid || !value)
		return nomem();
	imp->ConnectingSID = sid;
	/* Exchange 2013+ schemas give each ConnectingSID choice its own type (an element with text content);
	 * Exchange 2010 ones use plain strings. SOAP_TYPE_* macros say which bindings these are. */
#ifdef SOAP_TYPE_ewstype__PrincipalNameType
#define EWS_SET_SID_CHOICE(member, type) \
	do { \
		if (!(sid->union_ConnectingSIDType.member = soap_new_ewstype__##type(soap, -1))) \
			return nomem(); \
		sid->union_ConnectingSIDType.member->__item = value; \
	} while (0)
#else
#define EWS_SET_SID_CHOICE(member, type) (sid->union_ConnectingSIDType.member = value)
#endif
	switch (c->imp_kind) {
	case EWS_IMPERSONATE_SID:
		sid->__union_ConnectingSIDType = SOAP_UNION__ewstype__union_ConnectingSIDType_SID;
		EWS_SET_SID_CHOICE(SID, SIDType);
		break;
	case EWS_IMPERSONATE_PRINCIPAL_NAME:
		sid->__union_ConnectingSIDType = SOAP_UNION__ewstype__union_ConnectingSIDType_PrincipalName;
		EWS_SET_SID_CHOICE(PrincipalName, PrincipalNameType);
		break;
	case EWS_IMPERSONATE_SMTP:
	default:
		sid->__union_ConnectingSIDType = SOAP_UNION__ewstype__union_ConnectingSIDType_PrimarySmtpAddress;
		EWS_SET_SID_CHOICE(PrimarySmtpAddress, PrimarySmtpAddressType);
		break;
	}
#undef EWS_SET_SID_CHOICE
	h->ewstype__ExchangeImpersonation = imp;
	return ews_status_ok();
}

ews_status ews_headers_prepare(ews_client *c)
{
	struct soap *soap = c->soap;
	struct SOAP_ENV__Header *h;
	const char *anchor;
	ews_status st;

	soap->header = NULL;
	soap_header(soap); /* allocates a fresh, empty header in the context */
	if (!(h = soap->header))
		return nomem();

	if (!(h->ewstype__RequestServerVersion = soap_new__ewstype__RequestServerVersion(soap, -1)))
		return nomem();
	h->ewstype__RequestServerVersion->Version = c->next_version ? c->next_version : c->version;

	if (c->imp_value && !ews_ok(st = add_impersonation(c, h)))
		return st;
	if (c->culture) {
		if (!(h->ewstype__MailboxCulture = soap_new_ewstype__MailboxCultureType(soap, -1)) ||
		    !(h->ewstype__MailboxCulture->__item = soap_strdup(soap, c->culture)))
			return nomem();
	}
	if (c->timezone) {
		struct ewstype__TimeZoneContextType *tz = soap_new_ewstype__TimeZoneContextType(soap, -1);
		if (!tz || !(tz->TimeZoneDefinition = soap_new_ewstype__TimeZoneDefinitionType(soap, -1)) ||
		    !(tz->TimeZoneDefinition->Id = soap_strdup(soap, c->timezone)))
			return nomem();
		h->ewstype__TimeZoneContext = tz;
	}

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
	struct SOAP_ENV__Header *h = c->soap->header;
	struct _ewstype__ServerVersionInfo *v = h ? h->ewstype__ServerVersionInfo : NULL;
	ews_server_version *out = &c->server_version;

	if (!v)
		return;
	out->major = v->MajorVersion ? *v->MajorVersion : -1;
	out->minor = v->MinorVersion ? *v->MinorVersion : -1;
	out->major_build = v->MajorBuildNumber ? *v->MajorBuildNumber : -1;
	out->minor_build = v->MinorBuildNumber ? *v->MinorBuildNumber : -1;
	snprintf(out->version, sizeof out->version, "%s", v->Version ? v->Version : "");
	c->has_server_version = 1;
}
