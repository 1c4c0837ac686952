/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/server/body_type.c"
#include "/work/main/server/op_respond.c"
#undef SMART_PARTS
#undef MEETING_PARTS
