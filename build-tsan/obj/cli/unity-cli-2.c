/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/examples/tools/cli/ews_cli_autodiscover.c"
#undef MAX_RESOLVE
