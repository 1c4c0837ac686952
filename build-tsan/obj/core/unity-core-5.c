/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/runtime/core/ews_client.c"
