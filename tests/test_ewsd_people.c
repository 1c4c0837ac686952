/* test_ewsd_people.c — ResolveNames, ExpandDL and DistributionList items against a running ewsd (open mode: the
 * directory is the store's mailboxes), on the wire and through ews_names_resolve / ews_dl_expand: the reference
 * pages' examples value for value (ResolveNames' User2 and its no-result error, ExpandDL's three members and its
 * error), ambiguous names (a Warning listing every candidate), SMTP: entries, ReturnFullContactData, the
 * Contacts and ActiveDirectory scopes, ParentFolderIds refusals, a private list's members through
 * CreateItem/GetItem/UpdateItem (Set, Append, Delete) and FindItem, and ExpandDL of a list by ItemId. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/client.h"
#include "ews/people.h"
#include "ews_test.h"
#include "ewsd_harness.h"
#include "ews_schema_members.h"

/* A private distribution list's Members came with Exchange 2010: ewsd built from an older set (Exchange2007_SP1)
 * keeps none, and the checks of lists with members are skipped, saying so. */
#define HAVE_DL_MEMBERS EWS_TEST_DEFINED(EWS_HAS_ewstype__DistributionListType_Members)
#define DL_MEMBERS "member Members of DistributionListType"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }

/* A whole envelope from the corpus, posted as is by user@example.com (Basic, password "secret"). */
static char *post_corpus(const char *path) { return ewsd_post_shared_file(&srv, path, "user@example.com"); }



/* Every value of `elem` (and of `attr` on it, when given) the reference answer has, in order, in ours too. */
static void same_values(const char *ours, const char *page, const char *elem, const char *attr)
{
	int n = xml_count(page, elem);
	CU_ASSERT(n > 0);
	CU_ASSERT_EQUAL(xml_count(ours, elem), n);
	for (int i = 0; i < n; i++) {
		char *want = attr ? xml_attr(page, elem, attr, i) : xml_text(page, elem, i);
		if (want)
			attr ? ewsd_attr_is(ours, elem, attr, i, want) : ewsd_text_is(ours, elem, i, want);
		free(want);
	}
}

static char *resolve(const char *user, const char *attrs, const char *inner)
{
	char body[2048];
	snprintf(body, sizeof body, "<m:ResolveNames %s>%s</m:ResolveNames>", attrs, inner);
	return post_as(user, body);
}

/* a mailbox exists once its user has made a request (every user of the suite is in its users file) */
static void touch(const char *user)
{
	free(resolve(user, "ReturnFullContactData=\"false\"", "<m:UnresolvedEntry>nobody-at-all</m:UnresolvedEntry>"));
}

/* CreateItem in the user's contacts folder; returns the new item's id (malloc'd) or NULL. */
static char *create(const char *user, const char *item_xml)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:CreateItem><m:SavedItemFolderId><t:DistinguishedFolderId Id=\"contacts\"/>"
		 "</m:SavedItemFolderId><m:Items>%s</m:Items></m:CreateItem>", item_xml);
	char *r = post_as(user, body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	if (!id)
		fprintf(stderr, "\n  CreateItem: %s\n", r ? r : "(no answer)");
	free(r);
	return id;
}

static void the_resolvenames_page_example_is_answered_value_for_value(void)
{
	touch("User2@example.com");
	char *ours = post_corpus("ews-corpus/docs/resolvenames-operation/01-request.xml");
	char *page = ews_test_read_file(ews_test_shared_path("ews-corpus/docs/resolvenames-operation/02-response.xml"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ours);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	same_values(ours, page, "ResolveNamesResponseMessage", "ResponseClass");
	same_values(ours, page, "ResponseCode", NULL);
	same_values(ours, page, "ResolutionSet", "TotalItemsInView");
	same_values(ours, page, "ResolutionSet", "IncludesLastItemInRange");
	same_values(ours, page, "Name", NULL);
	same_values(ours, page, "EmailAddress", NULL);
	same_values(ours, page, "RoutingType", NULL);
	same_values(ours, page, "MailboxType", NULL);
	same_values(ours, page, "DisplayName", NULL);
	same_values(ours, page, "Entry", "Key");
	same_values(ours, page, "Entry", NULL);
	same_values(ours, page, "ContactSource", NULL);
	free(ours);
	free(page);
}

static void a_name_nobody_has_is_the_pages_no_results_error(void)
{
	char *ours = resolve("user@example.com", "ReturnFullContactData=\"true\"",
			     "<m:UnresolvedEntry>Qwxyzzy</m:UnresolvedEntry>");
	char *page = ews_test_read_file(ews_test_shared_path("ews-corpus/docs/resolvenames-operation/03-error.xml"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ours);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	same_values(ours, page, "ResolveNamesResponseMessage", "ResponseClass");
	same_values(ours, page, "MessageText", NULL);
	same_values(ours, page, "ResponseCode", NULL);
	same_values(ours, page, "DescriptiveLinkKey", NULL);
	CU_ASSERT_EQUAL(xml_count(ours, "ResolutionSet"), 0);
	free(ours);
	free(page);
}

static void an_ambiguous_name_is_a_warning_listing_every_candidate(void)
{
	touch("ambrose@example.com");
	touch("amber@example.com");
	char *r = resolve("user@example.com", "ReturnFullContactData=\"true\"", "<m:UnresolvedEntry>amb</m:UnresolvedEntry>");
	ewsd_attr_is(r, "ResolveNamesResponseMessage", "ResponseClass", 0, "Warning");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorNameResolutionMultipleResults");
	ewsd_text_is(r, "MessageText", 0, "Multiple results were found.");
	ewsd_attr_is(r, "ResolutionSet", "TotalItemsInView", 0, "2");
	ewsd_attr_is(r, "ResolutionSet", "IncludesLastItemInRange", 0, "true");
	CU_ASSERT_EQUAL(xml_count(r, "Resolution"), 2);
	ewsd_text_is(r, "EmailAddress", 0, "amber@example.com");      /* by name */
	ewsd_text_is(r, "EmailAddress", 1, "ambrose@example.com");
	free(r);
	/* the SMTP: prefix names one address exactly */
	r = resolve("user@example.com", "ReturnFullContactData=\"true\"",
		    "<m:UnresolvedEntry>SMTP:AMBER@example.com</m:UnresolvedEntry>");
	ewsd_attr_is(r, "ResolveNamesResponseMessage", "ResponseClass", 0, "Success");
	CU_ASSERT_EQUAL(xml_count(r, "Resolution"), 1);
	ewsd_text_is(r, "EmailAddress", 0, "amber@example.com");
	ewsd_text_is(r, "Entry", 0, "SMTP:amber@example.com");
	free(r);
	/* without full contact data there is no Contact */
	r = resolve("user@example.com", "ReturnFullContactData=\"false\"",
		    "<m:UnresolvedEntry>ambrose</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT_EQUAL(xml_count(r, "Contact"), 0);
	ewsd_text_is(r, "Name", 0, "ambrose");
	free(r);
}

static void contacts_and_private_lists_resolve_in_the_contacts_scope(void)
{
	const char *u = "pim@example.com";
	char *cid = create(u, "<t:Contact><t:DisplayName>Zelda Zebra</t:DisplayName><t:GivenName>Zelda</t:GivenName>"
			      "<t:EmailAddresses><t:Entry Key=\"EmailAddress1\">zelda@outside.example</t:Entry>"
			      "</t:EmailAddresses><t:Surname>Zebra</t:Surname></t:Contact>");
	char *did = create(u, "<t:DistributionList><t:DisplayName>Zoo Keepers</t:DisplayName></t:DistributionList>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cid);
	CU_ASSERT_PTR_NOT_NULL_FATAL(did);
	char *r = resolve(u, "ReturnFullContactData=\"true\" SearchScope=\"Contacts\"",
			  "<m:UnresolvedEntry>zebra</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "Name", 0, "Zelda Zebra");
	ewsd_text_is(r, "EmailAddress", 0, "zelda@outside.example");
	ewsd_text_is(r, "MailboxType", 0, "Contact");
	ewsd_attr_is(r, "ItemId", "Id", 0, cid);
	ewsd_text_is(r, "ContactSource", 0, "Store");
	ewsd_text_is(r, "GivenName", 0, "Zelda");
	free(r);
	r = resolve(u, "ReturnFullContactData=\"true\" SearchScope=\"Contacts\"",
		    "<m:UnresolvedEntry>Zoo</m:UnresolvedEntry>");
	ewsd_text_is(r, "Name", 0, "Zoo Keepers");
	ewsd_text_is(r, "RoutingType", 0, "MAPIPDL");
	ewsd_text_is(r, "MailboxType", 0, "PrivateDL");
	ewsd_attr_is(r, "ItemId", "Id", 0, did);
	CU_ASSERT_EQUAL(xml_count(r, "EmailAddress"), 0);
	free(r);
	/* "z" matches both, the contact and the list */
	r = resolve(u, "ReturnFullContactData=\"false\" SearchScope=\"Contacts\"", "<m:UnresolvedEntry>z</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorNameResolutionMultipleResults");
	ewsd_attr_is(r, "ResolutionSet", "TotalItemsInView", 0, "2");
	free(r);
	/* the directory alone does not hold contacts */
	r = resolve(u, "ReturnFullContactData=\"true\" SearchScope=\"ActiveDirectory\"",
		    "<m:UnresolvedEntry>zebra</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorNameResolutionNoResults");
	free(r);
	/* ParentFolderIds: a folder that holds no contacts, and more than one folder */
	r = resolve(u, "ReturnFullContactData=\"true\" SearchScope=\"Contacts\"",
		    "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderIds>"
		    "<m:UnresolvedEntry>zebra</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorResolveNamesInvalidFolderType");
	free(r);
	r = resolve(u, "ReturnFullContactData=\"true\"",
		    "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"contacts\"/><t:DistinguishedFolderId Id=\"contacts\"/>"
		    "</m:ParentFolderIds><m:UnresolvedEntry>zebra</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorResolveNamesOnlyOneContactsFolderAllowed");
	free(r);
	free(cid);
	free(did);
}

static char *get_item(const char *user, const char *id)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetItem><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:GetItem>", id);
	return post_as(user, body);
}

static char *update_members(const char *user, const char *id, const char *verb, const char *members)
{
	char body[4096];
	if (!strcmp(verb, "DeleteItemField"))
		snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\"><m:ItemChanges><t:ItemChange>"
			 "<t:ItemId Id=\"%s\"/><t:Updates><t:DeleteItemField><t:FieldURI FieldURI=\"distributionlist:Members\"/>"
			 "</t:DeleteItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", id);
	else
		snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\"><m:ItemChanges><t:ItemChange>"
			 "<t:ItemId Id=\"%s\"/><t:Updates><t:%s><t:FieldURI FieldURI=\"distributionlist:Members\"/>"
			 "<t:DistributionList><t:Members>%s</t:Members></t:DistributionList></t:%s></t:Updates>"
			 "</t:ItemChange></m:ItemChanges></m:UpdateItem>", id, verb, members, verb);
	return post_as(user, body);
}

#define MEMBER(name, addr) "<t:Member><t:Mailbox><t:Name>" name "</t:Name><t:EmailAddress>" addr \
	"</t:EmailAddress></t:Mailbox></t:Member>"

static void a_private_lists_members_are_stored_updated_and_found(void)
{
	if (!ews_test_needs(HAVE_DL_MEMBERS, DL_MEMBERS, "a private list's members"))
		return;
	const char *u = "lists@example.com";
	touch("member.one@example.com");
	char *cid = create(u, "<t:Contact><t:DisplayName>Carla Contact</t:DisplayName><t:EmailAddresses>"
			      "<t:Entry Key=\"EmailAddress1\">carla@outside.example</t:Entry></t:EmailAddresses></t:Contact>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cid);
	char xml[2048];
	snprintf(xml, sizeof xml, "<t:DistributionList><t:DisplayName>Project</t:DisplayName><t:Members>"
		 MEMBER("Member One", "member.one@example.com") MEMBER("Otto Outside", "otto@outside.example")
		 "<t:Member><t:Mailbox><t:ItemId Id=\"%s\"/></t:Mailbox></t:Member></t:Members></t:DistributionList>", cid);
	char *id = create(u, xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_item(u, id);
	ewsd_text_is(r, "ItemClass", 0, "IPM.DistList");
	/* a list's ChangeKey has its own object type (0x12), as each item kind's has */
	char *ck = xml_attr(r, "ItemId", "ChangeKey", 0);
	CU_ASSERT(ck && !strncmp(ck, "EgAAABYA", 8));
	free(ck);
	ewsd_text_is(r, "DisplayName", 0, "Project");
	CU_ASSERT_EQUAL(xml_count(r, "Member"), 3);
	ewsd_text_is(r, "Name", 0, "Member One");
	ewsd_text_is(r, "MailboxType", 0, "Mailbox");        /* a mailbox of this store */
	ewsd_text_is(r, "MailboxType", 1, "OneOff");
	ewsd_text_is(r, "Name", 2, "Carla Contact");          /* read from the contact */
	ewsd_text_is(r, "EmailAddress", 2, "carla@outside.example");
	ewsd_text_is(r, "MailboxType", 2, "Contact");
	ewsd_text_is(r, "Status", 0, "Normal");
	char *k0 = xml_attr(r, "Member", "Key", 0), *k1 = xml_attr(r, "Member", "Key", 1);
	CU_ASSERT(k0 && k1 && *k0 && strcmp(k0, k1));
	free(r);

	/* Append keeps the members and their keys, and adds at the end */
	r = update_members(u, id, "AppendToItemField", MEMBER("Nina New", "nina@outside.example"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_item(u, id);
	CU_ASSERT_EQUAL(xml_count(r, "Member"), 4);
	ewsd_attr_is(r, "Member", "Key", 0, k0 ? k0 : "?");
	ewsd_text_is(r, "Name", 3, "Nina New");
	free(r);

	/* ExpandDL by ItemId: the members in order, nested references listed as they are */
	char body[1024];
	snprintf(body, sizeof body, "<m:ExpandDL><m:Mailbox><t:ItemId Id=\"%s\"/></m:Mailbox></m:ExpandDL>", id);
	r = post_as(u, body);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_attr_is(r, "DLExpansion", "TotalItemsInView", 0, "4");
	ewsd_attr_is(r, "DLExpansion", "IncludesLastItemInRange", 0, "true");
	ewsd_text_is(r, "EmailAddress", 1, "otto@outside.example");
	free(r);
	/* a contact is no list */
	snprintf(body, sizeof body, "<m:ExpandDL><m:Mailbox><t:ItemId Id=\"%s\"/></m:Mailbox></m:ExpandDL>", cid);
	r = post_as(u, body);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidItemForOperationExpandDL");
	free(r);

	/* Set replaces the list; Delete empties it */
	r = update_members(u, id, "SetItemField", MEMBER("Solo", "solo@outside.example"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_item(u, id);
	CU_ASSERT_EQUAL(xml_count(r, "Member"), 1);
	ewsd_text_is(r, "Name", 0, "Solo");
	free(r);
	r = update_members(u, id, "DeleteItemField", NULL);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_item(u, id);
	CU_ASSERT_EQUAL(xml_count(r, "Member"), 0);
	CU_ASSERT_EQUAL(xml_count(r, "Members"), 1);
	free(r);

	/* a name carrying the store's separators (as character references) stays one member */
	r = update_members(u, id, "SetItemField", MEMBER("Odd&#x1F;Name&#x1E;Here", "odd@outside.example"));
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_item(u, id);
	CU_ASSERT_EQUAL(xml_count(r, "Member"), 1);
	ewsd_text_is(r, "Name", 0, "Odd Name Here");
	ewsd_text_is(r, "EmailAddress", 0, "odd@outside.example");
	free(r);

	/* Members of a message are refused with the field named */
	r = update_members(u, cid, "SetItemField", MEMBER("X", "x@outside.example"));
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidPropertySet");
	free(r);

	/* FindItem lists the list among the contacts */
	r = post_as(u, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>"
		       "<m:ParentFolderIds><t:DistinguishedFolderId Id=\"contacts\"/></m:ParentFolderIds></m:FindItem>");
	CU_ASSERT_EQUAL(xml_count(r, "DistributionList"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "Contact"), 1);
	free(r);
	free(k0);
	free(k1);
	free(cid);
	free(id);
}

static void nested_lists_gone_lists_and_bad_ids_are_answered_as_exchange(void)
{
	if (!ews_test_needs(HAVE_DL_MEMBERS, DL_MEMBERS, "nested lists, gone lists and bad ids"))
		return;
	const char *u = "lists@example.com";
	char *inner = create(u, "<t:DistributionList><t:DisplayName>Inner</t:DisplayName><t:Members>"
				MEMBER("Ina", "ina@outside.example") "</t:Members></t:DistributionList>");
	CU_ASSERT_PTR_NOT_NULL_FATAL(inner);
	char xml[2048], body[4096];
	snprintf(xml, sizeof xml, "<t:DistributionList><t:DisplayName>Outer</t:DisplayName><t:Members>"
		 "<t:Member><t:Mailbox><t:ItemId Id=\"%s\"/></t:Mailbox></t:Member>" MEMBER("Oli", "oli@outside.example")
		 "</t:Members></t:DistributionList>", inner);
	char *outer = create(u, xml);
	CU_ASSERT_PTR_NOT_NULL_FATAL(outer);
	/* the inner list is a member, listed and not expanded */
	snprintf(body, sizeof body, "<m:ExpandDL><m:Mailbox><t:ItemId Id=\"%s\"/></m:Mailbox></m:ExpandDL>", outer);
	char *r = post_as(u, body);
	ewsd_attr_is(r, "DLExpansion", "TotalItemsInView", 0, "2");
	ewsd_text_is(r, "Name", 0, "Inner");
	ewsd_text_is(r, "RoutingType", 0, "MAPIPDL");
	ewsd_text_is(r, "MailboxType", 0, "PrivateDL");
	ewsd_attr_is(r, "ItemId", "Id", 0, inner);
	ewsd_text_is(r, "Name", 1, "Oli");
	free(r);
	/* a list that is gone, an id that is no id */
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds>"
		 "</m:DeleteItem>", outer);
	free(post_as(u, body));
	snprintf(body, sizeof body, "<m:ExpandDL><m:Mailbox><t:ItemId Id=\"%s\"/></m:Mailbox></m:ExpandDL>", outer);
	r = post_as(u, body);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorItemNotFound");
	CU_ASSERT_EQUAL(xml_count(r, "DLExpansion"), 0);
	free(r);
	r = post_as(u, "<m:ExpandDL><m:Mailbox><t:ItemId Id=\"not-an-id\"/></m:Mailbox></m:ExpandDL>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidIdMalformed");
	free(r);
	/* a member by the id of something that is neither a contact nor a list */
	r = post_as(u, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>m</t:Subject>"
		       "</t:Message></m:Items></m:CreateItem>");
	char *msg = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	snprintf(xml, sizeof xml, "<t:DistributionList><t:DisplayName>Bad</t:DisplayName><t:Members><t:Member><t:Mailbox>"
		 "<t:ItemId Id=\"%s\"/></t:Mailbox></t:Member></t:Members></t:DistributionList>", msg);
	snprintf(body, sizeof body, "<m:CreateItem><m:Items>%s</m:Items></m:CreateItem>", xml);
	r = post_as(u, body);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidRequest");
	free(r);
	free(msg);
	free(inner);
	free(outer);
}

static void more_than_100_candidates_are_cut_at_100_with_the_total(void)
{
	const char *u = "pim@example.com";
	size_t cap = 64 * 1024, n = 0;
	char *body = malloc(cap);
	CU_ASSERT_PTR_NOT_NULL_FATAL(body);
	n += (size_t)snprintf(body + n, cap - n, "<m:CreateItem><m:Items>");
	for (int i = 0; i < 101; i++)
		n += (size_t)snprintf(body + n, cap - n, "<t:Contact><t:DisplayName>Bulk %03d</t:DisplayName></t:Contact>", i);
	snprintf(body + n, cap - n, "</m:Items></m:CreateItem>");
	char *r = post_as(u, body);
	CU_ASSERT_EQUAL(r ? xml_count(r, "CreateItemResponseMessage") : 0, 101);
	free(r);
	free(body);
	r = resolve(u, "ReturnFullContactData=\"false\" SearchScope=\"Contacts\"", "<m:UnresolvedEntry>bulk</m:UnresolvedEntry>");
	ewsd_text_is(r, "ResponseCode", 0, "ErrorNameResolutionMultipleResults");
	CU_ASSERT_EQUAL(r ? xml_count(r, "Resolution") : 0, 100);
	ewsd_attr_is(r, "ResolutionSet", "TotalItemsInView", 0, "101");
	ewsd_attr_is(r, "ResolutionSet", "IncludesLastItemInRange", 0, "false");
	ewsd_text_is(r, "Name", 0, "Bulk 000");
	ewsd_text_is(r, "Name", 99, "Bulk 099");
	free(r);
}

static void the_expanddl_page_example_is_answered_value_for_value(void)
{
	if (!ews_test_needs(HAVE_DL_MEMBERS, DL_MEMBERS, "the ExpandDL page's example"))
		return;
	/* the page's three members are mailboxes; the list is the default mailbox's (the corpus request has no user) */
	touch("dpark@exampledomain.com");
	touch("jprice@exampledomain.com");
	touch("tplate@exampledomain.com");
	free(create("user@example.com", "<t:DistributionList><t:DisplayName>TheDistributionList</t:DisplayName><t:Members>"
					MEMBER("Dan Park", "dpark@exampledomain.com")
					MEMBER("Jeff Price", "jprice@exampledomain.com")
					MEMBER("Tanja Plate", "tplate@exampledomain.com")
					"</t:Members></t:DistributionList>"));
	/* the page's request, with Mailbox in the messages namespace where the schema has it (the page writes
	 * t:Mailbox, which schema validation refuses: see server/README.md) */
	char *ours = post_as("user@example.com", "<m:ExpandDL><m:Mailbox><t:EmailAddress>TheDistributionList"
						 "</t:EmailAddress></m:Mailbox></m:ExpandDL>");
	char *page = ews_test_read_file(ews_test_shared_path("ews-corpus/docs/expanddl-operation/03-response.xml"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ours);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	same_values(ours, page, "ExpandDLResponseMessage", "ResponseClass");
	same_values(ours, page, "ResponseCode", NULL);
	same_values(ours, page, "DLExpansion", "TotalItemsInView");
	same_values(ours, page, "DLExpansion", "IncludesLastItemInRange");
	same_values(ours, page, "Name", NULL);
	same_values(ours, page, "EmailAddress", NULL);
	same_values(ours, page, "RoutingType", NULL);
	same_values(ours, page, "MailboxType", NULL);
	free(ours);
	free(page);
	/* a list nobody has: the page's error, with its own words */
	ours = post_corpus("ews-corpus/docs/expanddl-operation/01-request.xml");
	page = ews_test_read_file(ews_test_shared_path("ews-corpus/docs/expanddl-operation/04-error.xml"), NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ours);
	CU_ASSERT_PTR_NOT_NULL_FATAL(page);
	same_values(ours, page, "ExpandDLResponseMessage", "ResponseClass");
	same_values(ours, page, "MessageText", NULL);
	same_values(ours, page, "ResponseCode", NULL);
	same_values(ours, page, "DescriptiveLinkKey", NULL);
	free(ours);
	free(page);
}

/* ---- through the library ---- */

static ews_client *client_as(const char *user)
{
	ews_options opt;
	ews_client *c = NULL;
	ews_options_init(&opt);
	if (!ews_ok(ews_client_new(srv.url, &opt, &c)) || !ews_ok(ews_client_set_basic_auth(c, user, "secret"))) {
		ews_client_free(c);
		return NULL;
	}
	return c;
}

static void the_helpers_return_candidates_members_and_errors_as_values(void)
{
	if (!ews_test_needs(HAVE_DL_MEMBERS, DL_MEMBERS, "the helpers return members"))
		return;
	ews_client *c = client_as("user@example.com");
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	ews_resolutions *r = NULL;
	ews_status st = ews_names_resolve(c, "amb", NULL, &r);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_TRUE(r->ambiguous);
	CU_ASSERT_EQUAL(r->n, 2);
	CU_ASSERT_EQUAL(r->total, 2);
	CU_ASSERT_TRUE(r->includes_last);
	CU_ASSERT_STRING_EQUAL(r->v[0].mailbox.email, "amber@example.com");
	CU_ASSERT_STRING_EQUAL(r->v[0].mailbox.mailbox_type, "Mailbox");
	CU_ASSERT_TRUE(r->v[0].has_contact);
	CU_ASSERT_STRING_EQUAL(r->v[0].contact_source, "ActiveDirectory");
	CU_ASSERT_EQUAL(r->v[0].n_emails, 1);
	CU_ASSERT_STRING_EQUAL(r->v[0].emails[0], "SMTP:amber@example.com");
	CU_ASSERT_STRING_EQUAL(r->v[0].email_keys[0], "EmailAddress1");
	ews_resolutions_free(r);

	ews_resolve_options o = { .scope = EWS_RESOLVE_DIRECTORY, .no_full_contact_data = 1 };
	st = ews_names_resolve(c, "ambrose", &o, &r);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_TRUE(r && !r->ambiguous && r->n == 1 && !r->v[0].has_contact);
	ews_resolutions_free(r);

	r = (ews_resolutions *)1;
	st = ews_names_resolve(c, "Qwxyzzy", NULL, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorNameResolutionNoResults");
	CU_ASSERT_PTR_NULL(r);
	st = ews_names_resolve(c, "", NULL, &r);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	o.contact_shape = "Everything";
	st = ews_names_resolve(c, "amb", &o, &r);
	/* ContactDataShape came with Exchange 2010 SP2: an older set's bindings cannot send any shape */
	CU_ASSERT_EQUAL(st.code, EWS_TEST_DEFINED(EWS_HAS_ewsmsg__ResolveNamesType_ContactDataShape)
				 ? EWS_ERR_ARGUMENT : EWS_ERR_UNSUPPORTED);

	ews_dl_expansion *x = NULL;
	st = ews_dl_expand(c, "TheDistributionList", NULL, &x);
	CU_ASSERT_TRUE(ews_ok(st));
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	CU_ASSERT_EQUAL(x->n, 3);
	CU_ASSERT_EQUAL(x->total, 3);
	CU_ASSERT_STRING_EQUAL(x->members[1].name, "Jeff Price");
	CU_ASSERT_STRING_EQUAL(x->members[1].email, "jprice@exampledomain.com");
	CU_ASSERT_STRING_EQUAL(x->members[1].mailbox_type, "Mailbox");
	CU_ASSERT_STRING_EQUAL(x->members[1].routing_type, "SMTP");
	ews_dl_expansion_free(x);
	st = ews_dl_expand(c, "no-such-list", NULL, &x);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_RESPONSE);
	CU_ASSERT_STRING_EQUAL(st.response_code, "ErrorNameResolutionNoResults");
	CU_ASSERT_PTR_NULL(x);
	st = ews_dl_expand(c, NULL, NULL, &x);
	CU_ASSERT_EQUAL(st.code, EWS_ERR_ARGUMENT);
	ews_client_free(c);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the ResolveNames page's example is answered value for value",
		  the_resolvenames_page_example_is_answered_value_for_value },
		{ "a name nobody has is the page's no-results error", a_name_nobody_has_is_the_pages_no_results_error },
		{ "an ambiguous name is a warning listing every candidate",
		  an_ambiguous_name_is_a_warning_listing_every_candidate },
		{ "contacts and private lists resolve in the Contacts scope",
		  contacts_and_private_lists_resolve_in_the_contacts_scope },
		{ "a private list's members are stored, updated and found",
		  a_private_lists_members_are_stored_updated_and_found },
		{ "nested lists, gone lists and bad ids are answered as Exchange",
		  nested_lists_gone_lists_and_bad_ids_are_answered_as_exchange },
		{ "more than 100 candidates are cut at 100 with the total",
		  more_than_100_candidates_are_cut_at_100_with_the_total },
		{ "the ExpandDL page's example is answered value for value",
		  the_expanddl_page_example_is_answered_value_for_value },
		{ "the helpers return candidates, members and errors as values",
		  the_helpers_return_candidates_members_and_errors_as_values },
		{ NULL, NULL }
	};
	/* a users file: the directory spells addresses as the file does (User2@example.com, as on the page) */
	static const char *const users[] = { "User2@example.com", "ambrose@example.com", "amber@example.com",
					     "pim@example.com", "lists@example.com", "member.one@example.com",
					     "dpark@exampledomain.com", "jprice@exampledomain.com",
					     "tplate@exampledomain.com", "user@example.com" };
	char dir[] = "/tmp/ewsd-people.XXXXXX", path[300];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/users", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		fprintf(f, "user %s secret\n", users[i]);
	fclose(f);
	const char *args[] = { "--users", path, NULL };
	if (ewsd_start(&srv, dir, args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd ResolveNames, ExpandDL, distribution lists", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
