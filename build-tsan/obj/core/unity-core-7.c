/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/core/ews_ids.c"
#undef FORMAT_COUNT
#include "/work/main/runtime/core/ews_xml_dedup.c"
#undef MAX_ATTRS
