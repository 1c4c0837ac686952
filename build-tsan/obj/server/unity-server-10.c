/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/op_notify.c"
#undef EWSD_EVENTS_PAGE
#undef EWSD_EVENTS_SCAN
#undef EWSD_EVENT_DAYS
#undef WM_BODY
#undef PULL_ALL_FOLDERS
#undef SET_MORE_EVENTS
#include "/work/main/server/op_sync.c"
#undef STATE_V1_BODY
#undef STATE_V2_BODY
#include "/work/main/server/op_tz.c"
#undef NZONES
