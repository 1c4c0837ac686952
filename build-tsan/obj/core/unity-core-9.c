/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#define _GNU_SOURCE
#include "/work/main/runtime/core/ews_reader.c"
#undef SOAP11_ENV
#undef MAX_ATTRS
#undef MAX_NS
#undef NS_SOAP
#undef NS_UNKNOWN
#undef FIRST_CHUNK
#undef B64_SPACE
