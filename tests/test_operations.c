/* test_operations.c — the generated operation descriptor table (ews_operations[], ews_op_<Name>): the only way
 * the runtime core reaches an operation, so every entry must be complete and agree with the typed wrappers. */
#include <string.h>

#include "ews/ews.h"
#include "ews_test.h"

static void every_descriptor_is_complete(void)
{
	int n = 0;
	for (const ews_operation *const *op = ews_operations; *op; op++, n++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL((*op)->name);
		CU_ASSERT_TRUE(strncmp((*op)->request_type, "struct ", 7) == 0);
		CU_ASSERT_TRUE(strstr((*op)->response_type, (*op)->name) != NULL);
		CU_ASSERT_PTR_NOT_NULL((*op)->send);
		CU_ASSERT_PTR_NOT_NULL((*op)->recv);
		CU_ASSERT_PTR_NOT_NULL((*op)->binding);
		/* both ResponseMessages accessors or neither */
		CU_ASSERT_EQUAL((*op)->message_count == NULL, (*op)->message_get == NULL);
		CU_ASSERT_PTR_EQUAL(ews_operation_find((*op)->name), *op);
	}
	CU_ASSERT_TRUE(n >= 16); /* our schema's 16; an official set has more */
}

static void find_knows_the_operations_and_only_those(void)
{
	CU_ASSERT_PTR_EQUAL(ews_operation_find("FindItem"), &ews_op_FindItem);
	CU_ASSERT_PTR_EQUAL(ews_operation_find("GetFolder"), &ews_op_GetFolder);
	CU_ASSERT_PTR_NULL(ews_operation_find("findItem"));
	CU_ASSERT_PTR_NULL(ews_operation_find("NoSuchOperation"));
	CU_ASSERT_PTR_NULL(ews_operation_find(NULL));
}

static void reads_are_idempotent_and_writes_are_not(void)
{
	CU_ASSERT_TRUE(ews_op_FindItem.flags & EWS_OP_IDEMPOTENT);
	CU_ASSERT_TRUE(ews_op_GetItem.flags & EWS_OP_IDEMPOTENT);
	CU_ASSERT_TRUE(ews_op_SyncFolderItems.flags & EWS_OP_IDEMPOTENT);
	CU_ASSERT_FALSE(ews_op_CreateItem.flags & EWS_OP_IDEMPOTENT);
	CU_ASSERT_FALSE(ews_op_DeleteItem.flags & EWS_OP_IDEMPOTENT);
	CU_ASSERT_FALSE(ews_op_MoveItem.flags & EWS_OP_IDEMPOTENT);
}

static void message_accessors_read_an_empty_response_as_no_messages(void)
{
	struct __ewsmsg__FindItemResponse r;
	ews_response_message m;

	memset(&r, 0, sizeof r);
	CU_ASSERT_EQUAL(ews_op_FindItem.message_count(&r), 0);
	CU_ASSERT_EQUAL(ews_op_FindItem.message_get(&r, 0, &m), -1);
}

static void the_driver_refuses_a_missing_descriptor(void)
{
	struct __ewsmsg__GetFolderResponse r;
	ews_operation broken = ews_op_GetFolder;

	CU_ASSERT_EQUAL(ews_call_operation((ews_client *)1, NULL, NULL, &r).code, EWS_ERR_ARGUMENT);
	broken.binding = NULL;
	CU_ASSERT_EQUAL(ews_call_operation((ews_client *)1, &broken, NULL, &r).code, EWS_ERR_ARGUMENT);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "every descriptor is complete", every_descriptor_is_complete },
		{ "find knows the operations and only those", find_knows_the_operations_and_only_those },
		{ "reads are idempotent and writes are not", reads_are_idempotent_and_writes_are_not },
		{ "message accessors read an empty response as no messages",
		  message_accessors_read_an_empty_response_as_no_messages },
		{ "the driver refuses a missing descriptor", the_driver_refuses_a_missing_descriptor },
		{ NULL, NULL }
	};
	return ews_test_run("operations", cases);
}
