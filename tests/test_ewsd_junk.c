/* test_ewsd_junk.c — MarkAsJunk against a running ewsd, as its reference page describes: IsJunk with MoveItem moves
 * the item to Junk Email and answers its MovedItemId; IsJunk="false" with MoveItem moves it back to the Inbox;
 * without MoveItem nothing moves and no MovedItemId is sent; per-item errors leave the rest of the call alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *const me = "junk@example.com";

static char *post(const char *body) { return ews_post_body(&srv, me, "Exchange2013", body); }

static int count_in(const char *folder)
{
	char body[512];
	snprintf(body, sizeof body, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
		 "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"%s\"/></m:ParentFolderIds></m:FindItem>",
		 folder);
	char *r = post(body), *t = r ? xml_attr(r, "RootFolder", "TotalItemsInView", 0) : NULL;
	int n = t ? atoi(t) : -1;
	free(t), free(r);
	return n;
}

static char *in_inbox(const char *subject)
{
	char body[1024];
	snprintf(body, sizeof body, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId><t:DistinguishedFolderId "
		 "Id=\"inbox\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>%s</t:Subject></t:Message></m:Items>"
		 "</m:CreateItem>", subject);
	char *r = post(body), *id = r ? xml_attr(r, "ItemId", "Id", 0) : NULL;
	free(r);
	return id;
}

static char *mark(const char *is_junk, const char *move, const char *ids)
{
	char body[4096];
	snprintf(body, sizeof body, "<m:MarkAsJunk IsJunk=\"%s\" MoveItem=\"%s\"><m:ItemIds>%s</m:ItemIds></m:MarkAsJunk>",
		 is_junk, move, ids);
	return post(body);
}

static void junk_moves_to_junk_email_and_back_to_the_inbox(void)
{
	char *id = in_inbox("spam?"), ids[1024];
	CU_ASSERT_PTR_NOT_NULL_FATAL(id);
	CU_ASSERT_EQUAL(count_in("inbox"), 1);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", id);
	char *r = mark("true", "true", ids);
	char *code = r ? xml_text(r, "ResponseCode", 0) : NULL, *moved = r ? xml_attr(r, "MovedItemId", "Id", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT(r && xml_count(r, "MarkAsJunkResponseMessage") == 1);
	CU_ASSERT(moved && strcmp(moved, id));           /* a move makes a new id */
	CU_ASSERT_EQUAL(count_in("inbox"), 0);
	CU_ASSERT_EQUAL(count_in("junkemail"), 1);
	free(r), free(code);
	/* not junk after all: back to the Inbox */
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", moved);
	r = mark("false", "true", ids);
	char *back = r ? xml_attr(r, "MovedItemId", "Id", 0) : NULL;
	CU_ASSERT_PTR_NOT_NULL(back);
	CU_ASSERT_EQUAL(count_in("inbox"), 1);
	CU_ASSERT_EQUAL(count_in("junkemail"), 0);
	free(r), free(moved), free(id);
	/* without MoveItem nothing moves and no MovedItemId comes back */
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"%s\"/>", back);
	r = mark("true", "false", ids);
	code = r ? xml_text(r, "ResponseCode", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	CU_ASSERT(r && xml_count(r, "MovedItemId") == 0);
	CU_ASSERT_EQUAL(count_in("inbox"), 1);
	free(r), free(code), free(back);
}

static void each_item_fails_on_its_own(void)
{
	char *ok = in_inbox("fine"), ids[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(ok);
	snprintf(ids, sizeof ids, "<t:ItemId Id=\"AAMkAGbad\"/><t:ItemId Id=\"%s\" ChangeKey=\"x\"/><t:ItemId Id=\"%s\"/>",
		 ok, ok);
	char *r = mark("true", "true", ids);
	const char *want[] = { "ErrorInvalidIdMalformed", "ErrorInvalidChangeKey", "NoError" };
	for (int i = 0; i < 3; i++) {
		char *c = r ? xml_text(r, "ResponseCode", i) : NULL;
		CU_ASSERT_STRING_EQUAL(c ? c : "", want[i]);
		free(c);
	}
	CU_ASSERT(r && xml_count(r, "MovedItemId") == 1);
	free(r), free(ok);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "junk moves to Junk Email and back to the Inbox", junk_moves_to_junk_email_and_back_to_the_inbox },
		{ "each item fails on its own", each_item_fails_on_its_own },
		{ NULL, NULL }
	};
	if (!ews_operation_find("MarkAsJunk")) {
		printf("ewsd MarkAsJunk: skipped: the bindings' schema has no MarkAsJunk\n");
		return 0;
	}
	if (ewsd_start(&srv, NULL, NULL)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd MarkAsJunk", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
