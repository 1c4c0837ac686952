/* test_ewsd_notify.c — pull notifications against a running ewsd: Subscribe / GetEvents / Unsubscribe over the
 * change log. Every event type ewsd raises, folder and all-folder scopes, event-type filters, paging with
 * MoreEvents, a StatusEvent when nothing is new, expiry (the subscription's last poll moved back in the store:
 * the same thing as waiting Timeout minutes), watermarks that are forged, of another mailbox or older than the
 * events kept, and a new subscription from a saved watermark that misses nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "ews_schema_members.h"
#include "ews_test.h"
#include "ewsd_harness.h"

/* Subscribing to every folder (SubscribeToAllFolders) came with Exchange 2010: with bindings from an older set
 * (Exchange2007_SP1) the checks that watch the whole mailbox are skipped, saying so. */
#define HAVE_ALL_FOLDERS EWS_TEST_DEFINED(EWS_HAS_ewstype__PullSubscriptionRequestType_SubscribeToAllFolders)
#define ALL_FOLDERS "member SubscribeToAllFolders of PullSubscriptionRequestType"

static struct ewsd_proc srv;

static char *post_as(const char *user, const char *body) { return ews_post_body(&srv, user, "Exchange2013", body); }


/* Subscribe; folders: "" for all folders, else DistinguishedFolderId elements. *wm gets the watermark. */
static char *subscribe(const char *user, const char *folder, const char *types, const char *from_wm, char **wm)
{
	char body[4096], fids[256] = "", wmx[256] = "";
	if (*folder)
		snprintf(fids, sizeof fids, "<t:FolderIds><t:DistinguishedFolderId Id=\"%s\"/></t:FolderIds>", folder);
	if (from_wm)
		snprintf(wmx, sizeof wmx, "<t:Watermark>%s</t:Watermark>", from_wm);
	snprintf(body, sizeof body, "<m:Subscribe><m:PullSubscriptionRequest%s>%s<t:EventTypes>%s</t:EventTypes>%s"
		 "<t:Timeout>10</t:Timeout></m:PullSubscriptionRequest></m:Subscribe>",
		 *folder ? "" : " SubscribeToAllFolders=\"true\"", fids, types, wmx);
	char *r = post_as(user, body);
	char *id = r ? xml_text(r, "SubscriptionId", 0) : NULL;
	if (wm)
		*wm = r ? xml_text(r, "Watermark", 0) : NULL;
	if (!id)
		fprintf(stderr, "\n  Subscribe: %s\n", r ? r : "(no answer)");
	free(r);
	return id;
}

#define ALL_TYPES "<t:EventType>CopiedEvent</t:EventType><t:EventType>CreatedEvent</t:EventType>" \
	"<t:EventType>DeletedEvent</t:EventType><t:EventType>ModifiedEvent</t:EventType>" \
	"<t:EventType>MovedEvent</t:EventType><t:EventType>NewMailEvent</t:EventType>"

static char *get_events(const char *user, const char *id, const char *wm)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:GetEvents><m:SubscriptionId>%s</m:SubscriptionId><m:Watermark>%s</m:Watermark>"
		 "</m:GetEvents>", id, wm);
	return post_as(user, body);
}

/* The watermark of the last event of a GetEvents answer (what the next call names). */
static char *last_watermark(const char *r)
{
	int n = xml_count(r, "Watermark");
	return n ? xml_text(r, "Watermark", n - 1) : NULL;
}

/* A message saved in `folder`; returns its id (malloc'd). */
static char *make_item(const char *user, const char *folder, const char *subject)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"%s\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s</t:Subject>"
		 "</t:Message></m:Items></m:CreateItem>", folder, subject);
	char *r = post_as(user, body);
	char *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static void a_new_subscription_reports_one_status_event_when_nothing_happened(void)
{
	char *wm = NULL, *id = subscribe("quiet@example.com", "inbox", ALL_TYPES, NULL, &wm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_events("quiet@example.com", id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	ewsd_text_is(r, "PreviousWatermark", 0, wm);
	ewsd_text_is(r, "MoreEvents", 0, "false");
	CU_ASSERT(r && xml_count(r, "StatusEvent") == 1 && xml_count(r, "CreatedEvent") == 0);
	free(r), free(wm), free(id);
}

static void every_event_type_arrives_with_the_ids_exchange_names(void)
{
	if (!ews_test_needs(HAVE_ALL_FOLDERS, ALL_FOLDERS, "every event type arrives (whole mailbox)"))
		return;
	const char *u = "all@example.com";
	char *wm = NULL, *id = subscribe(u, "", ALL_TYPES, NULL, &wm), body[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	/* NewMail: a message sent to oneself is delivered to the Inbox (Created + NewMail there) */
	free(post_as(u, "<m:CreateItem MessageDisposition=\"SendAndSaveCopy\"><m:Items><t:Message><t:Subject>mail"
			"</t:Subject><t:ToRecipients><t:Mailbox><t:EmailAddress>all@example.com</t:EmailAddress>"
			"</t:Mailbox></t:ToRecipients></t:Message></m:Items></m:CreateItem>"));
	char *item = make_item(u, "drafts", "draft");
	CU_ASSERT_PTR_NOT_NULL_FATAL(item);
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" MessageDisposition=\"SaveOnly\">"
		 "<m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField><t:FieldURI "
		 "FieldURI=\"item:Subject\"/><t:Message><t:Subject>changed</t:Subject></t:Message></t:SetItemField>"
		 "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", item);
	free(post_as(u, body));
	snprintf(body, sizeof body, "<m:CopyItem><m:ToFolderId><t:DistinguishedFolderId Id=\"junkemail\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:CopyItem>", item);
	free(post_as(u, body));
	snprintf(body, sizeof body, "<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id=\"sentitems\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:MoveItem>", item);
	char *mv = post_as(u, body);
	char *moved = mv ? xml_attr(mv, "ItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(moved);
	snprintf(body, sizeof body, "<m:DeleteItem DeleteType=\"HardDelete\"><m:ItemIds><t:ItemId Id=\"%s\"/>"
		 "</m:ItemIds></m:DeleteItem>", moved);
	free(post_as(u, body));
	free(post_as(u, "<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ParentFolderId>"
			"<m:Folders><t:Folder><t:DisplayName>Sub</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>"));

	char *r = get_events(u, id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	CU_ASSERT_EQUAL(xml_count(r, "NewMailEvent"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "ModifiedEvent"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "CopiedEvent"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "MovedEvent"), 1);
	CU_ASSERT_EQUAL(xml_count(r, "DeletedEvent"), 1);
	/* sent copy, delivered copy, the draft, its copy and the folder (the move is not a Create) */
	CU_ASSERT_EQUAL(xml_count(r, "CreatedEvent"), 4);
	CU_ASSERT_EQUAL(xml_count(r, "StatusEvent"), 0);
	/* the Moved event names the new id and the old one; the Deleted one the id that was deleted */
	char *me = xml_element(r, "MovedEvent", 0), *de = xml_element(r, "DeletedEvent", 0), *ce = NULL;
	char *v = me ? xml_attr(me, "ItemId", "Id", 0) : NULL, *old = me ? xml_attr(me, "OldItemId", "Id", 0) : NULL;
	CU_ASSERT(v && !strcmp(v, moved));
	CU_ASSERT(old && !strcmp(old, item));
	CU_ASSERT(me && xml_count(me, "OldParentFolderId") == 1 && xml_count(me, "TimeStamp") == 1);
	free(v), free(old);
	v = de ? xml_attr(de, "ItemId", "Id", 0) : NULL;
	CU_ASSERT(v && !strcmp(v, moved));
	free(v);
	ce = xml_element(r, "CopiedEvent", 0);
	old = ce ? xml_attr(ce, "OldItemId", "Id", 0) : NULL;
	CU_ASSERT(old && !strcmp(old, item));
	free(old);
	/* the folder's creation names a FolderId */
	CU_ASSERT(strstr(r, "<t:CreatedEvent><t:Watermark>") != NULL);
	int folder_created = 0;
	for (int i = 0; i < 4; i++) {
		char *e = xml_element(r, "CreatedEvent", i);
		folder_created += e && xml_count(e, "FolderId") == 1;
		free(e);
	}
	CU_ASSERT_EQUAL(folder_created, 1);
	/* every event has its own, increasing watermark; the next call from the last one has nothing new */
	char *next = last_watermark(r), *r2 = next ? get_events(u, id, next) : NULL;
	CU_ASSERT(r2 && xml_count(r2, "StatusEvent") == 1);
	free(me), free(de), free(ce), free(next), free(r2), free(mv), free(moved), free(item), free(r), free(wm), free(id);
}

static void a_folder_subscription_sees_its_folder_only_and_the_types_asked_for(void)
{
	const char *u = "scope@example.com";
	char *wm = NULL, *id = subscribe(u, "drafts", "<t:EventType>CreatedEvent</t:EventType>"
						      "<t:EventType>MovedEvent</t:EventType>", NULL, &wm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	free(make_item(u, "inbox", "elsewhere"));
	char *item = make_item(u, "drafts", "here"), body[1024];
	snprintf(body, sizeof body, "<m:UpdateItem ConflictResolution=\"AlwaysOverwrite\" MessageDisposition=\"SaveOnly\">"
		 "<m:ItemChanges><t:ItemChange><t:ItemId Id=\"%s\"/><t:Updates><t:SetItemField><t:FieldURI "
		 "FieldURI=\"item:Subject\"/><t:Message><t:Subject>x</t:Subject></t:Message></t:SetItemField>"
		 "</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>", item);
	free(post_as(u, body));          /* Modified: not asked for */
	snprintf(body, sizeof body, "<m:MoveItem><m:ToFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:ToFolderId>"
		 "<m:ItemIds><t:ItemId Id=\"%s\"/></m:ItemIds></m:MoveItem>", item);
	free(post_as(u, body));          /* moved out of Drafts: seen (its old parent is watched) */
	char *r = get_events(u, id, wm);
	CU_ASSERT(r && xml_count(r, "CreatedEvent") == 1 && xml_count(r, "MovedEvent") == 1 &&
		  xml_count(r, "ModifiedEvent") == 0);
	free(r), free(item), free(wm), free(id);
}

static void many_events_come_in_pages_announced_by_more_events(void)
{
	const char *u = "pages@example.com";
	char *wm = NULL, *id = subscribe(u, "drafts", "<t:EventType>CreatedEvent</t:EventType>", NULL, &wm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	for (int i = 0; i < 120; i++)
		free(make_item(u, "drafts", "p"));
	int total = 0, calls = 0, more = 1;
	while (more && calls < 10) {
		char *r = get_events(u, id, wm);
		char *m = r ? xml_text(r, "MoreEvents", 0) : NULL;
		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		more = !strcmp(m, "true");
		total += xml_count(r, "CreatedEvent");
		if (calls == 0)
			CU_ASSERT(more && xml_count(r, "CreatedEvent") == 50);
		free(wm);
		wm = last_watermark(r);
		free(m), free(r);
		calls++;
	}
	CU_ASSERT_EQUAL(total, 120);
	CU_ASSERT_EQUAL(calls, 3);
	free(wm), free(id);
}

static int store_exec(const char *sql, const char *arg)
{
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	int rc = -1;
	snprintf(path, sizeof path, "%s/ewsd.sqlite", srv.dir);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (arg)
			sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return rc;
}

static void a_subscription_not_polled_for_its_timeout_is_not_found(void)
{
	const char *u = "expiry@example.com";
	char *wm = NULL, *id = subscribe(u, "inbox", ALL_TYPES, NULL, &wm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_events(u, id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	/* 11 minutes without a GetEvents (Timeout 10) */
	CU_ASSERT_EQUAL(store_exec("UPDATE subscriptions SET last_poll=last_poll-660 WHERE id=?", id), 0);
	r = get_events(u, id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionNotFound");
	free(r);
	r = get_events(u, "no-such-subscription", wm);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionNotFound");
	free(r), free(wm), free(id);
}

static void unsubscribe_ends_the_subscription_and_only_its_owner_may_use_it(void)
{
	char *wm = NULL, *id = subscribe("owner@example.com", "inbox", ALL_TYPES, NULL, &wm), body[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	char *r = get_events("intruder@example.com", id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionAccessDenied");
	free(r);
	snprintf(body, sizeof body, "<m:Unsubscribe><m:SubscriptionId>%s</m:SubscriptionId></m:Unsubscribe>", id);
	r = post_as("owner@example.com", body);
	ewsd_text_is(r, "ResponseCode", 0, "NoError");
	free(r);
	r = get_events("owner@example.com", id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionNotFound");
	free(r);
	r = post_as("owner@example.com", body);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionNotFound");
	free(r), free(wm), free(id);
}

static void forged_foreign_and_stale_watermarks_are_invalid(void)
{
	char *wm = NULL, *id = subscribe("marks@example.com", "inbox", ALL_TYPES, NULL, &wm);
	char *owm = NULL, *oid = subscribe("othermarks@example.com", "inbox", ALL_TYPES, NULL, &owm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(oid);
	char *r = get_events("marks@example.com", id, "AAAAAMAGAAAAAAAAAQ==");   /* the reference page's */
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidWatermark");
	free(r);
	r = get_events("marks@example.com", id, owm);    /* another mailbox's */
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidWatermark");
	free(r);
	/* events older than ewsd keeps (30 days): a watermark before them may have missed some */
	free(make_item("marks@example.com", "inbox", "old"));
	CU_ASSERT_EQUAL(store_exec("UPDATE events SET ts='2000-01-01T00:00:00Z' WHERE ?1 IS NOT NULL", "x"), 0);
	r = get_events("marks@example.com", id, wm);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorInvalidWatermark");
	free(r);
	char *wm2 = NULL, *id2 = subscribe("marks@example.com", "inbox", ALL_TYPES, wm, &wm2);
	CU_ASSERT_PTR_NULL(id2);   /* nor can a new subscription start from it */
	free(id2), free(wm2), free(wm), free(id), free(owm), free(oid);
}

static void a_new_subscription_from_a_saved_watermark_misses_nothing(void)
{
	const char *u = "resume@example.com";
	char *wm = NULL, *id = subscribe(u, "inbox", "<t:EventType>CreatedEvent</t:EventType>", NULL, &wm);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	free(make_item(u, "inbox", "one"));
	char *r = get_events(u, id, wm);
	char *saved = last_watermark(r);
	CU_ASSERT(r && xml_count(r, "CreatedEvent") == 1);
	free(r);
	/* the client goes away (its subscription expires) while two more arrive */
	CU_ASSERT_EQUAL(store_exec("UPDATE subscriptions SET last_poll=0 WHERE id=?", id), 0);
	free(make_item(u, "inbox", "two"));
	free(make_item(u, "inbox", "three"));
	r = get_events(u, id, saved);
	ewsd_text_is(r, "ResponseCode", 0, "ErrorSubscriptionNotFound");
	free(r);
	char *wm2 = NULL, *id2 = subscribe(u, "inbox", "<t:EventType>CreatedEvent</t:EventType>", saved, &wm2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(id2);
	CU_ASSERT_STRING_EQUAL(wm2, saved);
	r = get_events(u, id2, wm2);
	CU_ASSERT(r && xml_count(r, "CreatedEvent") == 2);
	free(r), free(wm2), free(id2), free(saved), free(wm), free(id);
}

static void a_request_naming_no_folder_or_a_bad_timeout_is_refused(void)
{
	char *r = post_as("bad@example.com", "<m:Subscribe><m:PullSubscriptionRequest><t:EventTypes><t:EventType>"
					     "NewMailEvent</t:EventType></t:EventTypes><t:Timeout>5</t:Timeout>"
					     "</m:PullSubscriptionRequest></m:Subscribe>");
	/* a set without SubscribeToAllFolders requires FolderIds: the schema refuses it (as Exchange 2007 does) */
	ewsd_text_is(r, "ResponseCode", 0, HAVE_ALL_FOLDERS ? "ErrorInvalidSubscriptionRequest" : "ErrorSchemaValidation");
	free(r);
	r = post_as("bad@example.com", "<m:Subscribe><m:PullSubscriptionRequest><t:FolderIds><t:DistinguishedFolderId "
				       "Id=\"inbox\"/></t:FolderIds><t:EventTypes><t:EventType>NewMailEvent</t:EventType>"
				       "</t:EventTypes><t:Timeout>1441</t:Timeout></m:PullSubscriptionRequest></m:Subscribe>");
	CU_ASSERT(r && strstr(r, "ErrorSchemaValidation"));
	free(r);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "a new subscription reports one StatusEvent when nothing happened",
		  a_new_subscription_reports_one_status_event_when_nothing_happened },
		{ "every event type arrives with the ids Exchange names", every_event_type_arrives_with_the_ids_exchange_names },
		{ "a folder subscription sees its folder only and the types asked for",
		  a_folder_subscription_sees_its_folder_only_and_the_types_asked_for },
		{ "many events come in pages announced by MoreEvents", many_events_come_in_pages_announced_by_more_events },
		{ "a subscription not polled for its Timeout is not found", a_subscription_not_polled_for_its_timeout_is_not_found },
		{ "Unsubscribe ends the subscription and only its owner may use it",
		  unsubscribe_ends_the_subscription_and_only_its_owner_may_use_it },
		{ "a new subscription from a saved watermark misses nothing",
		  a_new_subscription_from_a_saved_watermark_misses_nothing },
		{ "forged, foreign and stale watermarks are invalid", forged_foreign_and_stale_watermarks_are_invalid },
		{ "a request naming no folder or a bad Timeout is refused",
		  a_request_naming_no_folder_or_a_bad_timeout_is_refused },
		{ NULL, NULL }
	};
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd pull notifications", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
