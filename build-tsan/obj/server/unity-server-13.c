/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/recurrence.c"
#undef MAX_INTERVAL
#undef MAX_NUMBERED
#undef LAST_YEAR
#undef VIEW_COLS
