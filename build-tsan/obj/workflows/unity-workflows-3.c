/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/workflows/ews_export_dir.c"
#undef GONE_BATCH
#undef SLOTS
#include "/work/main/runtime/workflows/ews_notify.c"
#undef NO_NOTIFY
#undef WATERMARK_MAX
#undef more_events
