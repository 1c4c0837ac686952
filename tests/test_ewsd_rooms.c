/* test_ewsd_rooms.c — GetRoomLists and GetRooms against ewsd, as their reference pages answer: a seeded store has
 * one room list (PublicDL) with two rooms (Mailbox); an unseeded one has an empty RoomLists; a list the directory
 * does not know is ErrorNameResolutionNoResults with no Rooms element. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "ews_operations.h"
#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc srv;
static const char *const me = "user@rooms.example.com";

static char *post(const char *body) { return ews_post_body(&srv, me, "Exchange2013", body); }

static void expect_text(const char *xml, const char *elem, int nth, const char *want)
{
	char *got = xml ? xml_text(xml, elem, nth) : NULL;
	CU_ASSERT_STRING_EQUAL(got ? got : "(none)", want);
	free(got);
}

static void the_seeded_room_list_is_listed(void)
{
	char *r = post("<m:GetRoomLists/>");
	expect_text(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "Address") == 1);
	expect_text(r, "Name", 0, "Room List");
	expect_text(r, "EmailAddress", 0, "roomlist@rooms.example.com");
	expect_text(r, "RoutingType", 0, "SMTP");
	expect_text(r, "MailboxType", 0, "PublicDL");
	CU_ASSERT(r && xml_count(r, "ResponseMessages") == 0);    /* one message of its own, as the page shows */
	free(r);
}

static void its_rooms_are_listed_in_order(void)
{
	/* the address compares without case, as the directory's */
	char *r = post("<m:GetRooms><m:RoomList><t:EmailAddress>RoomList@Rooms.Example.com</t:EmailAddress></m:RoomList>"
		       "</m:GetRooms>");
	expect_text(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "Room") == 2);
	expect_text(r, "Name", 0, "Room 01");
	expect_text(r, "EmailAddress", 0, "room01@rooms.example.com");
	expect_text(r, "Name", 1, "Room 02");
	expect_text(r, "EmailAddress", 1, "room02@rooms.example.com");
	expect_text(r, "MailboxType", 1, "Mailbox");
	free(r);
}

static void an_unknown_room_list_has_no_results(void)
{
	char *r = post("<m:GetRooms><m:RoomList><t:EmailAddress>nolist@rooms.example.com</t:EmailAddress></m:RoomList>"
		       "</m:GetRooms>");
	expect_text(r, "ResponseCode", 0, "ErrorNameResolutionNoResults");
	expect_text(r, "MessageText", 0, "No results were found.");
	char *cls = r ? xml_attr(r, "GetRoomsResponse", "ResponseClass", 0) : NULL;
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "Error");
	CU_ASSERT(r && xml_count(r, "Rooms") == 0);
	free(cls), free(r);
}

static void a_store_without_room_lists_answers_an_empty_list(void)
{
	struct ewsd_proc other = srv;
	if (ewsd_start(&srv, NULL, NULL)) {   /* a fresh, unseeded store */
		CU_FAIL("cannot start a second ewsd");
		srv = other;
		return;
	}
	char *r = post("<m:GetRoomLists/>");
	expect_text(r, "ResponseCode", 0, "NoError");
	CU_ASSERT(r && xml_count(r, "RoomLists") == 1 && xml_count(r, "Address") == 0);
	free(r);
	ewsd_stop(&srv, 0);
	srv = other;
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "the seeded room list is listed", the_seeded_room_list_is_listed },
		{ "its rooms are listed in order", its_rooms_are_listed_in_order },
		{ "an unknown room list has no results", an_unknown_room_list_has_no_results },
		{ "a store without room lists answers an empty list", a_store_without_room_lists_answers_an_empty_list },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ewsd-rooms.XXXXXX";
	if (!ews_operation_find("GetRooms")) {
		printf("ewsd rooms: skipped: the bindings' schema has no GetRooms\n");
		return 0;
	}
	if (!mkdtemp(dir) || ewsd_seed(dir, me, 3, 1) || ewsd_start(&srv, dir, NULL)) {
		fprintf(stderr, "cannot seed or start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd rooms", cases);
	ewsd_stop(&srv, 0);
	return rc;
}
