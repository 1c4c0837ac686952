/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/item_props.c"
#undef NPROPS
#include "/work/main/server/op_attach.c"
#include "/work/main/server/op_folder_ops.c"
#include "/work/main/server/op_rooms.c"
#include "/work/main/server/op_stream.c"
#undef STREAM_MAX_IDS
#undef STREAM_ROWS
#undef STREAM_REFRESH_MS
