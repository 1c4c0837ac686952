/* ews_cli_summary.c — the --json summary line the transfer tools (export, upload, sync, backup) end with: one
 * shape, one place (ews/cli.h). */
#include <stdio.h>

#include "ews/cli.h"

void ews_cli_json_summary(int ok, const ews_cli_field *fields)
{
	printf("{\"type\":\"summary\",\"ok\":%s", ok ? "true" : "false");
	for (const ews_cli_field *f = fields; f && f->key; f++) {
		if (f->is_flag)
			printf(",\"%s\":%s", f->key, f->value ? "true" : "false");
		else
			printf(",\"%s\":%ld", f->key, f->value);
	}
	printf("}\n");
}
