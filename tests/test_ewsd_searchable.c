/* test_ewsd_searchable.c — GetSearchableMailboxes against ewsd run with a users file, as its reference pages
 * answer: one message of its own (no ResponseMessages), a SearchableMailbox per mailbox with Guid,
 * PrimarySmtpAddress, IsExternalMailbox, an empty ExternalEmailAddress, DisplayName, IsMembershipGroup and a
 * legacy-DN ReferenceId; SearchFilter narrows by the beginning of a name or address; group expansion with a
 * wildcard or empty query is the page's ErrorInvalidArgument; only a holder of the discovery role may call it
 * (ErrorAccessDenied otherwise), and the ManagementRole header is honoured or refused, never ignored (the other
 * operations answer it with the fault a:ErrorInvalidManagementRoleHeader). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
#define MANAGER "lmoore@contoso.com"     /* holds the discovery role */
#define PLAIN "jsmith@contoso.com"       /* does not */

static char *post_as(const char *user, const char *header, const char *body)
{
	struct http_resp r;
	if (ews_post(&srv, user, "Exchange2013", header, body, &r)) {
		http_resp_free(&r);
		return NULL;
	}
	free(r.headers);
	return r.body;
}


static void class_is(const char *xml, const char *want)
{
	char *v = xml ? xml_attr(xml, "GetSearchableMailboxesResponse", "ResponseClass", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(v ? v : "(none)", want);
	free(v);
}

static char *searchable(const char *user, const char *header, const char *filter, const char *expand)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetSearchableMailboxes>%s%s%s%s%s%s</m:GetSearchableMailboxes>",
		 filter ? "<m:SearchFilter>" : "", filter ? filter : "", filter ? "</m:SearchFilter>" : "",
		 expand ? "<m:ExpandGroupMembership>" : "", expand ? expand : "",
		 expand ? "</m:ExpandGroupMembership>" : "");
	return post_as(user, header, body);
}

static void a_discovery_manager_gets_every_mailbox_in_order(void)
{
	char *r = searchable(MANAGER, NULL, NULL, NULL);
	class_is(r, "Success");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "ResponseMessages") == 0);     /* one message of its own, as on the page */
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 3);
	ewsd_text_is(r, "PrimarySmtpAddress", 0, "jsmith@contoso.com");
	ewsd_text_is(r, "PrimarySmtpAddress", 1, "lmoore@contoso.com");
	ewsd_text_is(r, "PrimarySmtpAddress", 2, "sbrown@contoso.com");
	ewsd_text_is(r, "DisplayName", 0, "jsmith");
	ewsd_text_is(r, "IsExternalMailbox", 0, "false");
	ewsd_text_is(r, "IsMembershipGroup", 0, "false");
	CU_ASSERT(r && xml_count(r, "ExternalEmailAddress") == 3);
	char *guid = r ? xml_text(r, "Guid", 0) : NULL, *ref = r ? xml_text(r, "ReferenceId", 0) : NULL;
	CU_ASSERT(guid && strlen(guid) == 36 && guid[8] == '-' && guid[13] == '-');
	/* /o=.../cn=Recipients/cn=<guid hex>-<name>, the pages' form */
	CU_ASSERT(ref && !strncmp(ref, "/o=", 3) && strstr(ref, "/cn=Recipients/cn=") &&
		  strlen(ref) > 7 && !strcmp(ref + strlen(ref) - 7, "-jsmith"));
	if (guid && ref) {
		char hex[33];
		size_t k = 0;
		for (const char *g = guid; *g && k < 32; g++)
			if (*g != '-')
				hex[k++] = *g;
		hex[k] = '\0';
		CU_ASSERT_PTR_NOT_NULL(strstr(ref, hex));
	}
	free(guid), free(ref), free(r);
}

static void the_filter_matches_the_beginning_of_a_name_or_address(void)
{
	char *r = searchable(MANAGER, NULL, "S", "false");
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 1);
	ewsd_text_is(r, "PrimarySmtpAddress", 0, "sbrown@contoso.com");
	free(r);
	r = searchable(MANAGER, NULL, "js*", NULL);
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 1);
	ewsd_text_is(r, "PrimarySmtpAddress", 0, "jsmith@contoso.com");
	free(r);
	r = searchable(MANAGER, NULL, "*", NULL);
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 3);
	free(r);
	r = searchable(MANAGER, NULL, "nobody", NULL);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "SearchableMailboxes") == 1 && xml_count(r, "SearchableMailbox") == 0);
	free(r);
}

static void group_expansion_with_a_wildcard_or_empty_query_is_refused_as_on_the_page(void)
{
	static const char *const filters[] = { NULL, "", "*", "lm*" };
	for (size_t k = 0; k < sizeof filters / sizeof filters[0]; k++) {
		char *r = searchable(MANAGER, NULL, filters[k], "true");
		class_is(r, "Error");
		ewsd_text_is(r, "MessageText", 0, "Cannot use wildcard or empty query when auto group expansion is enabled.");
		ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidArgument");
		ewsd_text_is(r, "DescriptiveLinkKey", 0, "0");
		CU_ASSERT(r && xml_count(r, "SearchableMailboxes") == 1 && xml_count(r, "SearchableMailbox") == 0);
		free(r);
	}
	char *r = searchable(MANAGER, NULL, "lmoore", "true");      /* a plain query expands (no groups here) */
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "PrimarySmtpAddress", 0, "lmoore@contoso.com");
	free(r);
}

static void a_user_without_the_discovery_role_is_denied(void)
{
	char *r = searchable(PLAIN, NULL, NULL, NULL);
	class_is(r, "Error");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorAccessDenied");
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 0);
	free(r);
}

#define USER_ROLES(role) "<t:ManagementRole><t:UserRoles><t:Role>" role "</t:Role></t:UserRoles></t:ManagementRole>"

static void the_management_role_header_is_honoured_or_refused(void)
{
	/* a role the manager holds: the call runs with it */
	char *r = searchable(MANAGER, USER_ROLES("Mailbox Search"), NULL, NULL);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 3);
	free(r);
	/* naming a role does not grant it */
	r = searchable(PLAIN, USER_ROLES("Discovery Management"), NULL, NULL);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidManagementRoleHeader");
	CU_ASSERT(r && xml_count(r, "SearchableMailbox") == 0);
	free(r);
	/* a role ewsd does not know of */
	r = searchable(MANAGER, USER_ROLES("Mail Recipients"), NULL, NULL);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidManagementRoleHeader");
	free(r);
	/* application roles are partner applications', which ewsd has none of */
	r = searchable(MANAGER, "<t:ManagementRole><t:ApplicationRoles><t:Role>Mailbox Search</t:Role>"
				"</t:ApplicationRoles></t:ManagementRole>", NULL, NULL);
	class_is(r, "Error");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidManagementRoleHeader");
	free(r);
}

static void other_operations_refuse_the_management_role_header(void)
{
	struct http_resp r;
	int rc = ews_post(&srv, MANAGER, "Exchange2013", USER_ROLES("Mailbox Search"),
			  "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>"
			  "<t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>", &r);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(r.status, 500);
	ewsd_text_is(r.body, "faultcode", 0, "a:ErrorInvalidManagementRoleHeader");
	CU_ASSERT(r.body && xml_count(r.body, "GetFolderResponse") == 0);
	http_resp_free(&r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a discovery manager gets every mailbox in order", a_discovery_manager_gets_every_mailbox_in_order },
		{ "the filter matches the beginning of a name or address", the_filter_matches_the_beginning_of_a_name_or_address },
		{ "group expansion with a wildcard or empty query is refused as on the page",
		  group_expansion_with_a_wildcard_or_empty_query_is_refused_as_on_the_page },
		{ "a user without the discovery role is denied", a_user_without_the_discovery_role_is_denied },
		{ "the ManagementRole header is honoured or refused", the_management_role_header_is_honoured_or_refused },
		{ "other operations refuse the ManagementRole header", other_operations_refuse_the_management_role_header },
		{ NULL, NULL }
	};
	if (!ews_operation_find("GetSearchableMailboxes")) {
		printf("ewsd searchable mailboxes: skipped: the bindings' schema has no GetSearchableMailboxes\n");
		return 0;
	}
	char dir[] = "/tmp/ewsd-searchable.XXXXXX", path[300];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/users", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "user " MANAGER " secret\nuser " PLAIN " secret\nuser sbrown@contoso.com secret\n"
		   "discovery " MANAGER "\n");
	fclose(f);
	const char *args[] = { "--users", path, NULL };
	if (ewsd_start(&srv, dir, args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	/* each user's first request makes the mailbox the directory lists */
	static const char *const who[] = { MANAGER, PLAIN, "sbrown@contoso.com" };
	for (size_t k = 0; k < sizeof who / sizeof who[0]; k++)
		free(post_as(who[k], NULL, "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
				       "<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:FolderIds></m:GetFolder>"));
	int rc = ews_test_run("ewsd searchable mailboxes", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
