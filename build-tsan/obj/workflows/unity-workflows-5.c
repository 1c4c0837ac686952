/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/workflows/ews_notify_stream.c"
#undef STREAM_ENVELOPE_MAX
#undef FP_RING
#undef READ_BYTES
#include "/work/main/runtime/workflows/ews_sync.c"
