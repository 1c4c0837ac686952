/* ews/build.h — builders for request parts that every program would otherwise write out the same way. */
#ifndef EWS_BUILD_H
#define EWS_BUILD_H

#ifdef __cplusplus
extern "C" {
#endif

struct soap;
struct ewstype__NonEmptyArrayOfBaseItemIdsType;

/* The ItemIds of a GetItem/DeleteItem/UpdateItem/MoveItem... request: n ItemId elements (Id only, no ChangeKey,
 * so the server uses the current version). Everything, the id strings included (copied), is allocated in
 * `arena`, e.g. ews_client_arena(c), and freed with it. NULL when arena or ids is NULL, n < 1, or out of memory.
 *
 *   req->ItemIds = ews_item_ids_new(ews_client_arena(c), (const char *const *)argv + 1, argc - 1);
 */
struct ewstype__NonEmptyArrayOfBaseItemIdsType *ews_item_ids_new(struct soap *arena, const char *const *ids, int n);

#ifdef __cplusplus
}
#endif
#endif
