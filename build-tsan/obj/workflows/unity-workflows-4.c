/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/runtime/workflows/ews_manifest.c"
#undef HEADER_V2
#undef HEADER_V3
#undef HEADER_V1
#undef MAX_HEADER
#undef MAX_LINE
#undef REPACK_MIN
