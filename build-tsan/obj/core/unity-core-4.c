/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/core/ews_call.c"
#include "/work/main/runtime/core/ews_status.c"
