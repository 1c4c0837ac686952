/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/runtime/core/ews_body.c"
#undef INFLATE_WHOLE
#undef FIRST_BYTES
#undef BODY_TYPE
#undef SCRATCH_TYPE
#undef SPARES
#undef SPARE_TOTAL_BYTES
