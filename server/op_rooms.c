/* op_rooms.c — GetRoomLists and GetRooms (MS-OXWSROOM), from the directory's room lists in the store (tables
 * room_lists and rooms; `ewsd seed` adds one list). As on the reference pages: the answer is one response message
 * of its own (no ResponseMessages array); room lists are addresses of MailboxType PublicDL, rooms are directory
 * entries of MailboxType Mailbox; an organisation without room lists answers an empty RoomLists; a room list the
 * directory does not know is ErrorNameResolutionNoResults ("No results were found."), without a Rooms element. */
#include <string.h>

#include "ewsd.h"

int ewsd_rooms_seed(sqlite3 *db, const char *domain)
{
	char list[320], room[2][320];
	char *q;
	int rc;

	snprintf(list, sizeof list, "roomlist@%s", domain);
	for (int i = 0; i < 2; i++)
		snprintf(room[i], sizeof room[i], "room%02d@%s", i + 1, domain);
	q = sqlite3_mprintf("INSERT OR IGNORE INTO room_lists(smtp,name) VALUES(%Q,'Room List');"
			    "INSERT OR IGNORE INTO rooms(list_smtp,smtp,name) VALUES(%Q,%Q,'Room 01'),(%Q,%Q,'Room 02');",
			    list, list, room[0], list, room[1]);
	if (!q)
		return -1;
	rc = sqlite3_exec(db, q, NULL, NULL, NULL);
	sqlite3_free(q);
	return rc == SQLITE_OK ? 0 : -1;
}

/* GetRoomLists and GetRooms came with Exchange 2010: an Exchange2007_SP1 set has neither (ewsd_rooms_seed
 * above fills the directory whatever the set) */
#ifdef SOAP_TYPE_ewsmsg__GetRoomListsType

static struct ewstype__EmailAddressType *address(struct soap *soap, const unsigned char *name,
						  const unsigned char *smtp, enum ewstype__MailboxTypeType type)
{
	struct ewstype__EmailAddressType *a = EWSD_NEW(soap, struct ewstype__EmailAddressType);
	a->Name = soap_strdup(soap, (const char *)name);
	a->EmailAddress = soap_strdup(soap, (const char *)smtp);
	a->RoutingType = "SMTP";
	a->MailboxType = EWSD_NEW(soap, enum ewstype__MailboxTypeType);
	*a->MailboxType = type;
	return a;
}

int __ewsmsg__GetRoomLists(struct soap *soap, struct ewsmsg__GetRoomListsType *req,
			   struct __ewsmsg__GetRoomListsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetRoomLists", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__GetRoomListsResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__GetRoomListsResponseMessageType);
	struct ewstype__ArrayOfEmailAddressesType *lists = EWSD_NEW(soap, struct ewstype__ArrayOfEmailAddressesType);
	sqlite3_stmt *st;
	int cap = 0;

	resp->ewsmsg__GetRoomListsResponse = r;
	if (sqlite3_prepare_v2(rq->db, "SELECT name, smtp FROM room_lists ORDER BY name, smtp", -1, &st, NULL) !=
	    SQLITE_OK) {
		EWSD_SET_RESULT(soap, r, GetRoomListsResponseMessageType, "ErrorInternalServerError");
		return SOAP_OK;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (lists->__sizeAddress == cap) {
			struct ewstype__EmailAddressType *grown = ewsd_zalloc(soap, sizeof *grown * (size_t)(cap = cap ? cap * 2 : 4));
			if (lists->__sizeAddress)
				memcpy(grown, lists->Address, sizeof *grown * (size_t)lists->__sizeAddress);
			lists->Address = grown;
		}
		lists->Address[lists->__sizeAddress++] = *address(soap, sqlite3_column_text(st, 0),
								   sqlite3_column_text(st, 1), ewstype__MailboxTypeType__PublicDL);
	}
	sqlite3_finalize(st);
	EWSD_SET_RESULT(soap, r, GetRoomListsResponseMessageType, "NoError");
	r->RoomLists = lists;
	return SOAP_OK;
}

int __ewsmsg__GetRooms(struct soap *soap, struct ewsmsg__GetRoomsType *req, struct __ewsmsg__GetRoomsResponse *resp)
{
	int rc = ewsd_begin_op(soap, "GetRooms", req);
	if (rc)
		return rc;
	struct ewsd_request *rq = ewsd_req(soap);
	struct ewsmsg__GetRoomsResponseMessageType *r = EWSD_NEW(soap, struct ewsmsg__GetRoomsResponseMessageType);
	struct ewstype__ArrayOfRoomsType *rooms = EWSD_NEW(soap, struct ewstype__ArrayOfRoomsType);
	const char *list = req->RoomList && req->RoomList->EmailAddress ? req->RoomList->EmailAddress : "";
	sqlite3_stmt *st;
	int cap = 0, known = 0;

	resp->ewsmsg__GetRoomsResponse = r;
	if (sqlite3_prepare_v2(rq->db, "SELECT r.name, r.smtp FROM room_lists l LEFT JOIN rooms r ON r.list_smtp=l.smtp "
				       "WHERE l.smtp=? ORDER BY r.name, r.smtp", -1, &st, NULL) != SQLITE_OK) {
		EWSD_SET_RESULT(soap, r, GetRoomsResponseMessageType, "ErrorInternalServerError");
		return SOAP_OK;
	}
	sqlite3_bind_text(st, 1, list, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		known = 1;
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			continue;    /* a list without rooms */
		if (rooms->__sizeRoom == cap) {
			struct ewstype__RoomType *grown = ewsd_zalloc(soap, sizeof *grown * (size_t)(cap = cap ? cap * 2 : 4));
			if (rooms->__sizeRoom)
				memcpy(grown, rooms->Room, sizeof *grown * (size_t)rooms->__sizeRoom);
			rooms->Room = grown;
		}
		rooms->Room[rooms->__sizeRoom++].Id = address(soap, sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
							      ewstype__MailboxTypeType__Mailbox);
	}
	sqlite3_finalize(st);
	if (!known) {
		EWSD_SET_RESULT(soap, r, GetRoomsResponseMessageType, "ErrorNameResolutionNoResults");
		return SOAP_OK;
	}
	EWSD_SET_RESULT(soap, r, GetRoomsResponseMessageType, "NoError");
	r->Rooms = rooms;
	return SOAP_OK;
}

#endif /* SOAP_TYPE_ewsmsg__GetRoomListsType */
