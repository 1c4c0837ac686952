/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/resp.c"
#undef FILL_ASSOCIATED
#undef FILL_COMMON
#undef FILL_MESSAGE
#undef FILL_CALENDAR
#undef TAKE_COMMON
#undef TAKE_MESSAGE
#undef TAKE_CALENDAR
