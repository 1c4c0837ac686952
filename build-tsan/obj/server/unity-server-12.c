/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/op_userconfig.c"
#undef CLASS_PREFIX
#undef PROP_DICT
#undef PROP_XML
#undef PROP_BIN
#include "/work/main/server/permissions.c"
#undef IN
