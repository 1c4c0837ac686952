/* op_discovery.c — GetSearchableMailboxes (MS-OXWSMTGT, Exchange 2013+ eDiscovery): the mailboxes a discovery
 * manager may search. Exchange lets only holders of the Discovery Management role (RBAC) call it; ewsd models that
 * role as the users file's `discovery SMTP` grant (open mode: everyone holds it) and answers ErrorAccessDenied
 * without it.
 *
 * The ManagementRole SOAP header narrows the roles a call runs with. ewsd honours UserRoles: every role named must
 * be one the caller holds ("Discovery Management", or "Mailbox Search", the role inside it that searching needs),
 * else ErrorInvalidManagementRoleHeader, and the call then runs with the named roles only (a header naming none of
 * the two: ErrorAccessDenied). ApplicationRoles belong to partner applications' server-to-server tokens, which ewsd
 * does not issue: a header carrying them is refused with ErrorInvalidManagementRoleHeader, never ignored.
 *
 * The directory searched is the store's mailboxes (the public folder mailbox left out), each named by its
 * address's local part as in ResolveNames; SearchFilter matches the beginning of the name or the address without
 * case ("*" at its end is a wildcard, alone or absent: every mailbox). ewsd's directory has no groups, so no entry
 * is a membership group; ExpandGroupMembership with a wildcard or empty filter is the page's ErrorInvalidArgument
 * "Cannot use wildcard or empty query when auto group expansion is enabled.". As on the reference pages the answer
 * is one message of its own, with SearchableMailboxes present (empty) on errors too. */
#include <string.h>
#include <strings.h>

#include "ewsd.h"
#include "auth.h"

/* GetSearchableMailboxes came with Exchange 2013: older sets (Exchange2010_SP2) have no such operation to serve */
#ifdef SOAP_TYPE_ewsmsg__GetSearchableMailboxesType

#define WILDCARD_WITH_EXPANSION "Cannot use wildcard or empty query when auto group expansion is enabled."
#define ROLE_HEADER_TEXT "The ManagementRole header names a role the caller does not hold, or application roles."

static int is_discovery_role(const char *role)
{
	return role && (!strcasecmp(role, "Discovery Management") || !strcasecmp(role, "Mailbox Search"));
}

/* NULL when the caller may search, else the ResponseCode (*text: its MessageText when not the default one). */
static const char *role_check(struct soap *soap, const struct ewstype__ManagementRoleType *mr, const char **text)
{
	int holds = ewsd_may_discover(ewsd_req(soap)->user);
	if (!mr)
		return holds ? NULL : "ErrorAccessDenied";
	if (mr->ApplicationRoles && mr->ApplicationRoles->__sizeRole > 0) {
		*text = ROLE_HEADER_TEXT;
		return "ErrorInvalidManagementRoleHeader";
	}
	int named = 0, searching = 0;
	for (int i = 0; mr->UserRoles && i < mr->UserRoles->__sizeRole; i++) {
		const char *role = mr->UserRoles->Role[i];
		named++;
		if (!is_discovery_role(role) || !holds) {
			*text = ROLE_HEADER_TEXT;
			return "ErrorInvalidManagementRoleHeader";
		}
		searching = 1;
	}
	if (!named) {                 /* an empty ManagementRole header: nothing to narrow to */
		*text = ROLE_HEADER_TEXT;
		return "ErrorInvalidManagementRoleHeader";
	}
	return searching ? NULL : "ErrorAccessDenied";
}

/* 1 when the filter (prefix, a trailing '*' allowed) matches the name or the address. */
static int filter_matches(const char *filter, const char *name, const char *addr)
{
	size_t n = strlen(filter);
	if (n && filter[n - 1] == '*')
		n--;
	return !n || !strncasecmp(name, filter, n) || !strncasecmp(addr, filter, n);
}

static int is_wildcard_or_empty(const char *filter)
{
	return !filter || !*filter || strchr(filter, '*');
}

/* "/o=ewsd/ou=.../cn=Recipients/cn=<guid without dashes>-<name>": the legacy DN form the reference pages show. */
static char *reference_id(struct soap *soap, const char *guid, const char *name)
{
	char hex[33];
	size_t k = 0;
	for (const char *g = guid; *g && k < 32; g++)
		if (*g != '-')
			hex[k++] = *g;
	hex[k] = '\0';
	size_t n = strlen(hex) + strlen(name) + 96;
	char *out = soap_malloc(soap, n);
	if (out)
		snprintf(out, n, "/o=ewsd/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=%s-%s", hex, name);
	return out;
}

static void list_mailboxes(struct soap *soap, const char *filter, struct ewstype__ArrayOfSearchableMailboxesType *out)
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3_stmt *st;
	int cap = 0;
	if (sqlite3_prepare_v2(rq->db, "SELECT smtp, guid FROM mailboxes WHERE smtp NOT LIKE 'PublicFolders@%' "
				       "ORDER BY smtp COLLATE NOCASE", -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *smtp = (const char *)sqlite3_column_text(st, 0), *guid = (const char *)sqlite3_column_text(st, 1);
		if (!smtp || !guid)
			continue;
		char *name = soap_strdup(soap, smtp), *at = name ? strchr(name, '@') : NULL;
		if (!name)
			break;
		if (at)
			*at = '\0';
		if (!filter_matches(filter ? filter : "", name, smtp))
			continue;
		if (out->__sizeSearchableMailbox == cap) {
			struct ewstype__SearchableMailboxType *grown =
				ewsd_zalloc(soap, sizeof *grown * (size_t)(cap = cap ? cap * 2 : 8));
			if (out->__sizeSearchableMailbox)
				memcpy(grown, out->SearchableMailbox, sizeof *grown * (size_t)out->__sizeSearchableMailbox);
			out->SearchableMailbox = grown;
		}
		struct ewstype__SearchableMailboxType *m = &out->SearchableMailbox[out->__sizeSearchableMailbox++];
		m->Guid = soap_strdup(soap, guid);
		m->PrimarySmtpAddress = soap_strdup(soap, smtp);
		m->IsExternalMailbox = xsd__boolean__false_;
		m->ExternalEmailAddress = "";
		m->DisplayName = name;
		m->IsMembershipGroup = xsd__boolean__false_;
		m->ReferenceId = reference_id(soap, guid, name);
	}
	sqlite3_finalize(st);
}

int __ewsmsg__GetSearchableMailboxes(struct soap *soap, struct ewsmsg__GetSearchableMailboxesType *req,
				     struct __ewsmsg__GetSearchableMailboxesResponse *resp)
{
	/* the header is replaced by ewsd_begin_op: keep the ManagementRole the request carried first */
	const struct ewstype__ManagementRoleType *mr = soap->header ? soap->header->ewstype__ManagementRole : NULL;
	int rc = ewsd_begin_op(soap, "GetSearchableMailboxes", req);
	if (rc)
		return rc;
	struct ewsmsg__GetSearchableMailboxesResponseMessageType *r =
		EWSD_NEW(soap, struct ewsmsg__GetSearchableMailboxesResponseMessageType);
	resp->ewsmsg__GetSearchableMailboxesResponse = r;
	r->SearchableMailboxes = EWSD_NEW(soap, struct ewstype__ArrayOfSearchableMailboxesType);
	const char *text = NULL;
	const char *err = role_check(soap, mr, &text);
	int expand = req->ExpandGroupMembership && *req->ExpandGroupMembership == xsd__boolean__true_;
	if (!err && expand && is_wildcard_or_empty(req->SearchFilter))
		err = "ErrorInvalidArgument", text = WILDCARD_WITH_EXPANSION;
	EWSD_SET_RESULT(soap, r, GetSearchableMailboxesResponseMessageType, err ? err : "NoError");
	if (err) {
		if (text)
			r->__GetSearchableMailboxesResponseMessageType_sequence->MessageText = (char *)text;
		return SOAP_OK;
	}
	list_mailboxes(soap, req->SearchFilter, r->SearchableMailboxes);
	return SOAP_OK;
}
#endif
