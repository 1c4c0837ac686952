/* ews_build.c — builders for common request parts (see ews/build.h). */
#include "soapH.h"
#include "ews/build.h"

struct ewstype__NonEmptyArrayOfBaseItemIdsType *ews_item_ids_new(struct soap *arena, const char *const *ids, int n)
{
	struct ewstype__NonEmptyArrayOfBaseItemIdsType *arr;
	struct __ewstype__union_NonEmptyArrayOfBaseItemIdsType *u;

	if (!arena || !ids || n < 1 ||
	    !(arr = soap_new_ewstype__NonEmptyArrayOfBaseItemIdsType(arena, 1)) ||
	    !(u = soap_new___ewstype__union_NonEmptyArrayOfBaseItemIdsType(arena, n)))
		return NULL;
	for (int k = 0; k < n; k++) {
		struct ewstype__ItemIdType *id = soap_new_ewstype__ItemIdType(arena, 1);
		if (!id || !ids[k] || !(id->Id = soap_strdup(arena, ids[k])))
			return NULL;
		u[k].__union_NonEmptyArrayOfBaseItemIdsType = SOAP_UNION__ewstype__union_NonEmptyArrayOfBaseItemIdsType_ItemId;
		u[k].union_NonEmptyArrayOfBaseItemIdsType.ItemId = id;
	}
	arr->__size_NonEmptyArrayOfBaseItemIdsType = n;
	arr->__union_NonEmptyArrayOfBaseItemIdsType = u;
	return arr;
}
