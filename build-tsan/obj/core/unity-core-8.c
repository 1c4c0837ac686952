/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/runtime/core/ews_oauth2_store.c"
#undef MAX_CACHE_FILE
#include "/work/main/runtime/core/ews_stream.c"
