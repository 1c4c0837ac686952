/* op_common.c — what every operation does first: RequestServerVersion, ExchangeImpersonation, the mailbox the
 * request acts on, ServerVersionInfo on the response, injected ErrorServerBusy. */
#include <stdlib.h>
#include <string.h>

#include "ewsd.h"
#include "auth.h"

static int impersonation_fault(struct soap *soap)
{
	soap_sender_fault(soap, "The account does not have permission to impersonate the requested user.", NULL);
	soap->fault->faultcode = soap_strdup(soap, "a:ErrorImpersonationDenied");
	return soap->error = SOAP_FAULT;
}

/* Exchange's answer to impersonating an address that has no mailbox. */
static int no_mailbox_fault(struct soap *soap)
{
	soap_sender_fault(soap, "The SMTP address has no mailbox associated with it.", NULL);
	soap->fault->faultcode = soap_strdup(soap, "a:ErrorNonExistentMailbox");
	return soap->error = SOAP_FAULT;
}

/* The ManagementRole header names the RBAC roles a call is to run with. Only GetSearchableMailboxes reads it
 * (op_discovery.c); any other operation refuses it rather than run while ignoring the roles it was asked to use. */
#ifdef SOAP_TYPE_ewstype__ManagementRoleType
static int management_role_fault(struct soap *soap)
{
	soap_sender_fault(soap, "The ManagementRole header is not supported for this operation.", NULL);
	soap->fault->faultcode = soap_strdup(soap, "a:ErrorInvalidManagementRoleHeader");
	return soap->error = SOAP_FAULT;
}
#endif

static const char *impersonated_smtp(struct SOAP_ENV__Header *h)
{
	struct ewstype__ConnectingSIDType *sid;
	if (!h || !h->ewstype__ExchangeImpersonation || !(sid = h->ewstype__ExchangeImpersonation->ConnectingSID))
		return NULL;
#ifdef SOAP_UNION__ewstype__union_ConnectingSIDType_SmtpAddress
	/* Exchange 2013+ schemas type each choice (text in __item); Exchange 2010 ones use plain strings. */
#ifdef SOAP_TYPE_ewstype__PrincipalNameType
#define SID_TEXT(member) (sid->union_ConnectingSIDType.member ? sid->union_ConnectingSIDType.member->__item : NULL)
#else
#define SID_TEXT(member) (sid->union_ConnectingSIDType.member)
#endif
	switch (sid->__union_ConnectingSIDType) {
	case SOAP_UNION__ewstype__union_ConnectingSIDType_PrimarySmtpAddress:
		return SID_TEXT(PrimarySmtpAddress);
	case SOAP_UNION__ewstype__union_ConnectingSIDType_SmtpAddress:
		return SID_TEXT(SmtpAddress);
	case SOAP_UNION__ewstype__union_ConnectingSIDType_PrincipalName:
		return SID_TEXT(PrincipalName);
#undef SID_TEXT
	default:
		return "";
	}
#else
	/* Exchange 2007 SP1: the choice is three optional strings (SmtpAddress came with Exchange 2010); a SID names
	 * no address ewsd could look up, as the default case above */
	if (sid->PrimarySmtpAddress)
		return sid->PrimarySmtpAddress;
	return sid->PrincipalName ? sid->PrincipalName : "";
#endif
}

/* Position of an ExchangeVersionType name in the schema's order (older first), or -1 if unknown. */
int ewsd_version_index(const char *name)
{
	static const char *const versions[] = {
		"Exchange2007", "Exchange2007_SP1", "Exchange2009", "Exchange2010", "Exchange2010_SP1",
		"Exchange2010_SP2", "Exchange2012", "Exchange2013", "Exchange2013_SP1", "Exchange2015", "Exchange2016",
		"V2015_10_05", "V2016_01_06", "V2016_04_13", "V2016_07_13", "V2016_10_10", "V2017_01_07",
		"V2017_04_14", "V2017_07_11", "V2017_10_09", "V2018_01_08",
	};
	for (size_t i = 0; name && i < sizeof versions / sizeof *versions; i++)
		if (!strcmp(name, versions[i]))
			return (int)i;
	return -1;
}

/* The answer always carries ServerVersionInfo (Exchange 2016 CU, schema V2018_01_08), faults included. The
 * request's header is replaced: nothing of it is echoed. */
void ewsd_server_version_header(struct soap *soap)
{
	static int major = 15, minor = 2, build = 1118, rev = 7;
	struct _ewstype__ServerVersionInfo *v = EWSD_NEW(soap, struct _ewstype__ServerVersionInfo);
	soap->header = NULL;
	soap_header(soap);
	if (!soap->header || !v)
		return;
	v->MajorVersion = &major;
	v->MinorVersion = &minor;
	v->MajorBuildNumber = &build;
	v->MinorBuildNumber = &rev;
	v->Version = soap_strdup(soap, "V2018_01_08");
	soap->header->ewstype__ServerVersionInfo = v;
}

int ewsd_begin_op(struct soap *soap, const char *op, const void *req)
{
	struct ewsd_request *rq = ewsd_req(soap);
	struct SOAP_ENV__Header *in = soap->header;
	struct ewsd_mailbox m;
	const char *target = rq->user;
	const char *imp = impersonated_smtp(in);

	snprintf(rq->op, sizeof rq->op, "%s", op);
	/* recurring items keep their wall-clock time in the request's time zone (recurrence.c) */
	snprintf(rq->tz_context, sizeof rq->tz_context, "%s",
		 in && in->ewstype__TimeZoneContext && in->ewstype__TimeZoneContext->TimeZoneDefinition &&
				 in->ewstype__TimeZoneContext->TimeZoneDefinition->Id
			 ? in->ewstype__TimeZoneContext->TimeZoneDefinition->Id : "");
	/* gSOAP answers with the namespace URIs the request used (e.g. the https:// variants of the reference
	 * pages); Exchange always answers http://. Drop the learned variants so the canonical ones are written. */
	for (struct Namespace *ns = soap->local_namespaces; ns && ns->id; ns++)
		if (ns->out) {
			free(ns->out);
			ns->out = NULL;
		}
	ewsd_server_version_header(soap);
	if (!req)
		return ewsd_schema_fault(soap, "The request's operation element has no content (xsi:nil).");

	/* A missing RequestServerVersion means Exchange2007. The bindings carry the version as a string (new
	 * releases add names), so an unknown name is answered here as Exchange does: ErrorInvalidServerVersion.
	 * Operations newer than the requested version fail the same way. */
	if (in && in->ewstype__RequestServerVersion) {
		const char *ver = in->ewstype__RequestServerVersion->Version;
		rq->version = ewsd_version_index(ver);
		if (rq->version < 0)
			return ewsd_version_fault(soap);
		if ((!strcmp(op, "ExportItems") || !strcmp(op, "UploadItems")) &&
		    rq->version <= ewsd_version_index("Exchange2010"))
			return ewsd_version_fault(soap);
	} else if (!strcmp(op, "ExportItems") || !strcmp(op, "UploadItems") || !strcmp(op, "ConvertId")) {
		return ewsd_version_fault(soap);
	}
#ifdef SOAP_TYPE_ewstype__ManagementRoleType   /* the header came with Exchange 2013 */
	if (in && in->ewstype__ManagementRole && strcmp(op, "GetSearchableMailboxes"))
		return management_role_fault(soap);
#endif
	if (imp) {
		if (!*imp)
			return impersonation_fault(soap);
		if (strcasecmp(imp, rq->user) && !ewsd_may_impersonate(rq->user))
			return impersonation_fault(soap);
		if (!ewsd_valid_smtp(imp))
			return impersonation_fault(soap);
		/* with a users file, mailboxes are the users' (made on first login) and those already in the store:
		 * an impersonator cannot make new ones by naming them */
		if (ewsd_cfg.users_file && strcasecmp(imp, rq->user) && !ewsd_user_known(imp) &&
		    ewsd_mailbox_by_smtp(rq->db, imp, &m) != 0)
			return no_mailbox_fault(soap);
		target = imp;
	}
	if (ewsd_mailbox_ensure(rq->db, target, &m)) {
		soap_receiver_fault(soap, "An internal server error occurred. The operation failed.", NULL);
		soap->fault->faultcode = soap_strdup(soap, "a:ErrorInternalServerError");
		return soap->error = SOAP_FAULT;
	}
	rq->mailbox_id = m.id;
	memcpy(rq->mailbox_guid, m.guid, sizeof rq->mailbox_guid);
	snprintf(rq->mailbox_smtp, sizeof rq->mailbox_smtp, "%s", m.smtp);

	if (ewsd_fault_take(&ewsd_faults.throttle))
		return ewsd_server_busy_fault(soap);
	rq->fault_busy_msg = ewsd_fault_take(&ewsd_faults.throttle_msg);
	return SOAP_OK;
}
