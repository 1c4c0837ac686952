/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/op_find.c"
#undef ITEM_COLS_NOBODY
