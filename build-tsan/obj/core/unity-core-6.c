/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/core/ews_datetime.c"
#include "/work/main/runtime/core/ews_wire.c"
#undef NS_SOAP
#undef NS_XSI
#undef NS_XSD
#undef NAME_MAX_LEN
