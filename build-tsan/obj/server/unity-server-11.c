/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/server/op_persona.c"
#undef PP_DEFAULT
#undef PP_ALL
