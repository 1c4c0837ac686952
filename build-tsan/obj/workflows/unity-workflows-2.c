/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/workflows/ews_export.c"
#undef DEFAULT_BATCH
#undef MAX_BATCH
#undef DEFAULT_BATCH_BYTES
#undef DEFAULT_MAX_ITEM_BYTES
#undef MAX_PARENTS
#undef EXPORT_DATA
#include "/work/main/runtime/workflows/ews_mime.c"
#undef DEFAULT_MAX
#undef CHUNK
#include "/work/main/runtime/workflows/ews_pool.c"
