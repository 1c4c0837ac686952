/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/runtime/workflows/ews_recurrence.c"
