/* ews_binding.c — what the runtime core needs of gSOAP's generated types, behind plain values (ews/call.h:
 * ews_binding): the request's SOAP headers, ServerVersionInfo of the response, and the SOAP fault.
 *
 * Hand-written, but part of the generated layer: compiled against the bindings (soapH.h) of whatever schema
 * they come from, never against core internals. Every generated operation descriptor points here, so core
 * reaches these types only through the descriptor it is handed, or the client ews_client_new made here (it
 * names no generated symbol). */
#include <string.h>

#include "soapH.h"

#include "ews/call.h"
#include "ews/client.h"
#include "ews_schema.h"
#include "ews_schema_members.h"

static int add_impersonation(struct soap *soap, struct SOAP_ENV__Header *h, const ews_soap_headers *v)
{
	struct ewstype__ExchangeImpersonationType *imp = soap_new_ewstype__ExchangeImpersonationType(soap, -1);
	struct ewstype__ConnectingSIDType *sid = soap_new_ewstype__ConnectingSIDType(soap, -1);
	char *value = soap_strdup(soap, v->impersonate);

	if (!imp || !sid || !value)
		return SOAP_EOM;
	imp->ConnectingSID = sid;
	/* Exchange 2013+ schemas give each ConnectingSID choice its own type (an element with text content);
	 * Exchange 2010 ones use plain strings; Exchange 2007 SP1's ConnectingSID is a sequence of three optional
	 * strings, of which one is set. SOAP_TYPE_* / SOAP_UNION_* macros say which bindings these are. */
#if defined SOAP_TYPE_ewstype__PrincipalNameType
#define EWS_SET_SID_CHOICE(member, type) \
	do { \
		sid->__union_ConnectingSIDType = SOAP_UNION__ewstype__union_ConnectingSIDType_##member; \
		if (!(sid->union_ConnectingSIDType.member = soap_new_ewstype__##type(soap, -1))) \
			return SOAP_EOM; \
		sid->union_ConnectingSIDType.member->__item = value; \
	} while (0)
#elif defined SOAP_UNION__ewstype__union_ConnectingSIDType_SID
#define EWS_SET_SID_CHOICE(member, type) \
	(sid->__union_ConnectingSIDType = SOAP_UNION__ewstype__union_ConnectingSIDType_##member, \
	 sid->union_ConnectingSIDType.member = value)
#else
#define EWS_SET_SID_CHOICE(member, type) (sid->member = value)
#endif
	switch (v->impersonate_kind) {
	case EWS_IMPERSONATE_SID:
		EWS_SET_SID_CHOICE(SID, SIDType);
		break;
	case EWS_IMPERSONATE_PRINCIPAL_NAME:
		EWS_SET_SID_CHOICE(PrincipalName, PrincipalNameType);
		break;
	case EWS_IMPERSONATE_SMTP:
	default:
		EWS_SET_SID_CHOICE(PrimarySmtpAddress, PrimarySmtpAddressType);
		break;
	}
#undef EWS_SET_SID_CHOICE
	h->ewstype__ExchangeImpersonation = imp;
	return SOAP_OK;
}

static int put_headers(struct soap *soap, const ews_soap_headers *v)
{
	struct SOAP_ENV__Header *h;

	soap->header = NULL;
	soap_header(soap); /* allocates a fresh, empty header in the context */
	if (!(h = soap->header))
		return SOAP_EOM;
	if (!(h->ewstype__RequestServerVersion = soap_new__ewstype__RequestServerVersion(soap, -1)))
		return SOAP_EOM;
	h->ewstype__RequestServerVersion->Version = (char *)v->version;
	if (v->impersonate && add_impersonation(soap, h, v))
		return SOAP_EOM;
	if (v->culture) {
#ifdef SOAP_TYPE_ewstype__MailboxCultureType
		if (!(h->ewstype__MailboxCulture = soap_new_ewstype__MailboxCultureType(soap, -1)) ||
		    !(h->ewstype__MailboxCulture->__item = soap_strdup(soap, v->culture)))
			return SOAP_EOM;
#else   /* Exchange 2007 SP1: the header is a plain xs:language element */
		if (!(h->ewstype__MailboxCulture = soap_strdup(soap, v->culture)))
			return SOAP_EOM;
#endif
	}
	if (v->timezone) {
		struct ewstype__TimeZoneContextType *tz = soap_new_ewstype__TimeZoneContextType(soap, -1);
		if (!tz || !(tz->TimeZoneDefinition = soap_new_ewstype__TimeZoneDefinitionType(soap, -1)) ||
		    !(tz->TimeZoneDefinition->Id = soap_strdup(soap, v->timezone)))
			return SOAP_EOM;
		h->ewstype__TimeZoneContext = tz;
	}
	return SOAP_OK;
}

static int get_server_version(struct soap *soap, ews_server_version *out)
{
	struct SOAP_ENV__Header *h = soap->header;
	struct _ewstype__ServerVersionInfo *v = h ? h->ewstype__ServerVersionInfo : NULL;

	if (!v)
		return 0;
	out->major = v->MajorVersion ? *v->MajorVersion : -1;
	out->minor = v->MinorVersion ? *v->MinorVersion : -1;
	out->major_build = v->MajorBuildNumber ? *v->MajorBuildNumber : -1;
	out->minor_build = v->MinorBuildNumber ? *v->MinorBuildNumber : -1;
	snprintf(out->version, sizeof out->version, "%s", v->Version ? v->Version : "");
	return 1;
}

static int get_fault(struct soap *soap, ews_soap_fault_parts *out)
{
	const struct SOAP_ENV__Fault *f = soap->fault;
	const struct SOAP_ENV__Detail *d;

	memset(out, 0, sizeof *out);
	if (!f)
		return 0;
	out->faultcode = f->faultcode;
	out->faultstring = f->faultstring;
	out->faultactor = f->faultactor;
	if (f->SOAP_ENV__Code) {
		out->code = f->SOAP_ENV__Code->SOAP_ENV__Value;
		if (f->SOAP_ENV__Code->SOAP_ENV__Subcode)
			out->subcode = f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value;
	}
	if (f->SOAP_ENV__Reason)
		out->reason = f->SOAP_ENV__Reason->SOAP_ENV__Text;
	d = f->detail ? f->detail : f->SOAP_ENV__Detail;
	out->detail_soap12 = !f->detail && f->SOAP_ENV__Detail;
	if (d && d->__size > 0 && d->__any) {
		out->detail = d->__any;
		out->detail_count = d->__size;
	}
	return 1;
}

static int put_fault(struct soap *soap, const ews_soap_fault_parts *in)
{
	struct SOAP_ENV__Fault *f = soap_malloc(soap, sizeof *f);

	if (!f)
		return SOAP_EOM;
	memset(f, 0, sizeof *f);
	f->faultcode = (char *)in->faultcode;
	f->faultstring = (char *)in->faultstring;
	f->faultactor = (char *)in->faultactor;
	if (in->code || in->subcode) {
		if (!(f->SOAP_ENV__Code = soap_malloc(soap, sizeof *f->SOAP_ENV__Code)))
			return SOAP_EOM;
		memset(f->SOAP_ENV__Code, 0, sizeof *f->SOAP_ENV__Code);
		f->SOAP_ENV__Code->SOAP_ENV__Value = (char *)in->code;
		if (in->subcode) {
			if (!(f->SOAP_ENV__Code->SOAP_ENV__Subcode = soap_malloc(soap, sizeof *f->SOAP_ENV__Code)))
				return SOAP_EOM;
			memset(f->SOAP_ENV__Code->SOAP_ENV__Subcode, 0, sizeof *f->SOAP_ENV__Code);
			f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value = (char *)in->subcode;
		}
	}
	if (in->reason) {
		if (!(f->SOAP_ENV__Reason = soap_malloc(soap, sizeof *f->SOAP_ENV__Reason)))
			return SOAP_EOM;
		memset(f->SOAP_ENV__Reason, 0, sizeof *f->SOAP_ENV__Reason);
		f->SOAP_ENV__Reason->SOAP_ENV__Text = (char *)in->reason;
	}
	if (in->has_detail) {
		struct SOAP_ENV__Detail *d = soap_malloc(soap, sizeof *d);
		if (!d)
			return SOAP_EOM;
		memset(d, 0, sizeof *d);
		d->__any = (struct soap_dom_element *)in->detail;
		d->__size = in->detail_count;
		if (in->detail_soap12)
			f->SOAP_ENV__Detail = d;
		else
			f->detail = d;
	}
	soap->fault = f;
	return SOAP_OK;
}

/* What clients request when told nothing: Exchange 2013 SP1 (ewsd and every later Exchange answer it with the
 * shapes these bindings hold), or the newest version the schema knows when it is older than that. */
#if defined EWS_HAS_ewstype__ExchangeVersionType_Exchange2013_SP1 || !defined EWS_SCHEMA_NEWEST_VERSION
#define DEFAULT_SERVER_VERSION "Exchange2013_SP1"
#else
#define DEFAULT_SERVER_VERSION EWS_SCHEMA_NEWEST_VERSION
#endif

const ews_binding ews_soap_binding = {
	put_headers,
	get_server_version,
	get_fault,
	put_fault,
	DEFAULT_SERVER_VERSION,
};

/* ews/client.h's constructor lives here, above core: every client is created with this schema's binding (and a
 * program that only creates clients still links the generated callbacks gSOAP's library needs). */
/* parenthesized: with ews_schema.h on the include path ews_client_new is also a macro (ews/client.h) */
ews_status (ews_client_new)(const char *url, const ews_options *opt, ews_client **out)
{
	return ews_client_new_with_binding(url, opt, &ews_soap_binding, out);
}
