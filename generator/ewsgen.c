/* ewsgen.c — the libews generator's command line.
 *
 *   ewsgen generate [--generator-dir DIR] [--default-set DIR] SCHEMA_DIR OUT_DIR
 *       SCHEMA_DIR's services.wsdl/messages.xsd/types.xsd (any case, BOM or not) -> gSOAP bindings and the
 *       runtime's tables in OUT_DIR (see generator/README.md). --default-set names libews's own schema (wsdl/)
 *       so the bindings can say whether they come from it (EWS_SCHEMA_IS_DEFAULT).
 *   ewsgen schema-diff OLD_DIR NEW_DIR
 *       operations, types and elements added, removed or changed between two sets.
 *
 * SOAPCPP2_SPLIT (environment) sets how many definitions go in each soapC_NNN.c part (default 300: every part
 * parses all of soapH.h, 0.75 s of CPU with V2018's 8 MB, so fewer, larger parts build faster as long as there
 * are more of them than cores; 300 gives V2018 12 parts whose compiler peaks at 0.36 GB). */
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

#include "ewsgen.h"

#ifndef EWSGEN_DEFAULT_DIR
#define EWSGEN_DEFAULT_DIR "generator"
#endif

static void usage(void)
{
	fputs("usage: ewsgen generate [--generator-dir DIR] [--default-set DIR] SCHEMA_DIR OUT_DIR\n"
	      "       ewsgen schema-diff OLD_DIR NEW_DIR\n", stderr);
	exit(2);
}

/* The set's name: its directory's base name ("V2018_01_08", "wsdl"). */
static char *set_name(const char *dir)
{
	char *d = xstrdup(dir), *slash;
	size_t n = strlen(d);

	while (n > 1 && d[n - 1] == '/')
		d[--n] = 0;
	slash = strrchr(d, '/');
	char *name = xstrdup(slash ? slash + 1 : d);
	free(d);
	return name;
}

static int generate(int argc, char **argv)
{
	const char *gendir = EWSGEN_DEFAULT_DIR, *default_set = NULL, *split_env = getenv("SOAPCPP2_SPLIT");
	schema_set s;
	op_model m;
	identity id = { 0 };
	char *typemap, *scratch, typemap_sum[65], fixups_sum[65];
	unsigned char *tm;
	size_t tmlen;
	int i, patched;

	for (i = 0; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--generator-dir"))
			gendir = argv[i + 1];
		else if (!strcmp(argv[i], "--default-set"))
			default_set = argv[i + 1];
		else
			usage();
	}
	if (argc - i != 2)
		usage();
	id.split = split_env && atoi(split_env) > 0 ? atoi(split_env) : 300;

	schema_find(&s, argv[i]);
	schema_parse(&s);
	typemap = xasprintf("%s/typemap.dat", gendir);
	prefixes_load(typemap);
	tm = read_file(typemap, &tmlen);
	sha256_hex(tm, tmlen, typemap_sum);
	free(tm);
	{
		/* fixups.sh edits the schema before wsdl2h: it shapes the structs as much as the schema does */
		char *fixups = xasprintf("%s/fixups.sh", gendir);
		unsigned char *fx = read_file(fixups, &tmlen);
		sha256_hex(fx, tmlen, fixups_sum);
		free(fx);
		free(fixups);
	}
	op_model_build(&s, &m);
	if (!m.nops)
		die("%s: the SOAP binding has no operations", s.wsdl.path);

	id.name = set_name(argv[i]);
	id.typemap_sha256 = typemap_sum;
	id.fixups_sha256 = fixups_sum;
	if (default_set) {
		schema_set d;
		schema_find(&d, default_set);
		id.is_default = !strcmp(d.hash, s.hash);
		schema_free(&d);
	}

	scratch = gsoap_generate(&s, gendir, argv[i + 1], id.split);
	patched = enum_patch(argv[i + 1]);
	emit_operations(&m, argv[i + 1]);
	emit_responses(&m, argv[i + 1]);
	emit_codecs(&m, argv[i + 1]);
	emit_server_defaults(&m, argv[i + 1]);
	emit_identity(&s, &m, &id, argv[i + 1]);
	emit_members(&s, argv[i + 1]);
	emit_builders(&s, &m, typemap, argv[i + 1]);
	emit_readers(&s, &m, typemap, argv[i + 1]);
	scratch_remove(scratch);
	printf("ewsgen: %s (%s%s): %d operations, %d response message kinds, %d enumeration converters made lenient -> %s\n",
	       id.name, s.hash, id.is_default ? ", libews's own schema" : "", m.nops, m.nvariants, patched, argv[i + 1]);
	free(scratch);
	free(typemap);
	free((char *)id.name);
	op_model_free(&m);
	schema_free(&s);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	LIBXML_TEST_VERSION
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "generate"))
		rc = generate(argc - 2, argv + 2);
	else if (!strcmp(argv[1], "schema-diff") && argc == 4)
		rc = schema_diff(argv[2], argv[3]);
	else
		usage();
	xmlCleanupParser();
	return rc;
}
