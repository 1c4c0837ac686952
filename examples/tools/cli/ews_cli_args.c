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

/* The option argv[*i] is, with its values (advancing *i): 0, or -1 after its message. */
static int take_opt(ews_cli *cli, const ews_cli_opt *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	if (o->on) {
		*o->on = o->set;
	} else if (o->number) {
		if (ews_cli_int(cli, a, *i + 1 < argc ? argv[*i + 1] : NULL, o->lo, o->hi, o->number))
			return -1;
		++*i;
	} else if (o->list) {
		if (*o->count == o->max)
			return ews_cli_usage_error(cli, "at most %d %s options", o->max, a), -1;
		if (!(o->list[*o->count] = ews_cli_value(cli, argc, argv, i)))
			return -1;
		++*o->count;
	} else if (o->second && *i + 2 >= argc) {
		return ews_cli_usage_error(cli, "%s takes two values", a), -1;
	} else if (!(*o->value = ews_cli_value(cli, argc, argv, i)) || (o->second && !(*o->second = argv[++*i]))) {
		return -1;
	}
	return 0;
}

int ews_cli_no_operands(const ews_cli *cli, int n, char **argv)
{
	return n > 0 ? ews_cli_usage_error(cli, "unexpected operand %s", argv[0]) : -1;
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
		if (!o) {
			if (a[0] == '-' && a[1])    /* a lone "-" is an operand (stdin, by convention) */
				return ews_cli_usage_error(cli, "unknown option %s", a);
			argv[(*n)++] = argv[i];
		} else if (take_opt(cli, o, argc, argv, &i)) {
			return EWS_EXIT_USAGE;
		}
	}
	return -1;
}
