/* ews_cli_args.c — the argument loop every ews-* tool had written out: common flags first (ews_cli_flag), then
 * --help, then the command's own options from a table, the rest operands. One loop, so that every tool answers an
 * unknown option, a missing value and --help the same way. */
#include <string.h>

#include "ews/cli.h"

static const ews_cli_opt *find_opt(const ews_cli_opt *opts, const char *a)
{
	for (; opts && opts->name; opts++)
		if (!strcmp(opts->name, a))
			return opts;
	return NULL;
}

int ews_cli_parse(ews_cli *cli, int argc, char **argv, const ews_cli_opt *opts, void (*usage)(FILE *), int *n)
{
	*n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = ews_cli_flag(cli, argc, argv, &i);
		if (r == EWS_CLI_TAKEN)
			continue;
		if (r != EWS_CLI_NOT_MINE)
			return r == EWS_CLI_DONE ? EWS_EXIT_OK : EWS_EXIT_USAGE;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return EWS_EXIT_OK;
		}
		const ews_cli_opt *o = find_opt(opts, a);
		if (o && o->value) {
			if (!(*o->value = ews_cli_value(cli, argc, argv, &i)))
				return EWS_EXIT_USAGE;
		} else if (o) {
			*o->on = 1;
		} else if (a[0] == '-' && a[1]) {   /* a lone "-" is an operand (stdin, by convention) */
			return ews_cli_usage_error(cli, "unknown option %s", a);
		} else {
			argv[(*n)++] = argv[i];
		}
	}
	return -1;
}
