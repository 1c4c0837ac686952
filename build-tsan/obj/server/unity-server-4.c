/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/folder_perms.c"
#include "/work/main/server/op_folder.c"
#include "/work/main/server/op_oof.c"
#include "/work/main/server/op_people.c"
#undef MAX_RESOLUTIONS
#undef CONTACT_DATA_SHAPE
#include "/work/main/server/store.c"
