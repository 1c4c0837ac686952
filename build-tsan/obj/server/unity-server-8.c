/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/server/oauth_endpoint.c"
#undef MAX_DEVICES
#undef MAX_TOKENS
#undef MAX_GAPS
#undef SLOW_DOWN_STEP_S
