/* ews_cli_summary.c — the --json summary line the transfer tools (export, upload, sync, backup) end with: one
 * shape, one place (ews/cli.h). */
#include <stdio.h>

#include "ews/cli.h"

void ews_cli_json_summary(FILE *out, int ok, const ews_cli_field *fields)
{
	fprintf(out, "{\"type\":\"summary\",\"ok\":%s", ok ? "true" : "false");
	for (const ews_cli_field *f = fields; f && f->key; f++) {
		if (f->is_flag)
			fprintf(out, ",\"%s\":%s", f->key, f->value ? "true" : "false");
		else
			fprintf(out, ",\"%s\":%ld", f->key, f->value);
	}
	fputs("}\n", out);
}
