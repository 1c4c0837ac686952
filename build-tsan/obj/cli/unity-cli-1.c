/* a unity translation unit (mk/unity.sh; Makefile section "unity groups"): written by the build */
#include "/work/main/examples/tools/cli/ews_cli.c"
#include "/work/main/examples/tools/cli/ews_cli_args.c"
#include "/work/main/examples/tools/cli/ews_cli_device.c"
#include "/work/main/examples/tools/cli/ews_cli_folder.c"
#include "/work/main/examples/tools/cli/ews_cli_ids.c"
#include "/work/main/examples/tools/cli/ews_cli_summary.c"
