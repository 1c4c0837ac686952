/* enum_patch.c — the one edit made to gSOAP's output, applied and verified here.
 *
 * gSOAP rejects a whole message over one enumeration value its schema does not know, and Exchange adds values
 * over time (a new Importance, a new free/busy status). No flag, typemap entry or callback changes that: the
 * converters soap_s2<enum>() return SOAP_TYPE. So each converter's failure line is replaced: outside
 * SOAP_XML_STRICT, and unless the context's fsvalidate hook refuses the pattern "libews:unknown-enum" (ewsd
 * does: Exchange answers such a request with ErrorSchemaValidation), the value is stored as -1 (no enumerator
 * has it) and decoding goes on.
 *
 * Verified, not hoped for: every converter that looks values up with soap_code(soap_codes_...) must contain the
 * failure line exactly once, and the line must appear nowhere else; otherwise gSOAP's output changed shape
 * and generation stops. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ewsgen.h"

#define FAILURE_LINE "\t\t\treturn soap->error = SOAP_TYPE;"
#define LENIENT_LINE "\t\t{\tif ((soap->mode & SOAP_XML_STRICT) || (soap->fsvalidate && soap->fsvalidate(soap, " \
		     "\"libews:unknown-enum\", s))) return soap->error = SOAP_TYPE; soap->error = SOAP_OK; n = -1; } " \
		     "/* libews: unknown value */"
#define CONVERTER_START "SOAP_FMAC3S int SOAP_FMAC4S soap_s2"

static int patch_file(const char *path)
{
	size_t len;
	char *text = (char *)read_file(path, &len), *save = NULL, *fn = NULL;
	FILE *out;
	char *buf = NULL;
	size_t blen = 0;
	int patched = 0, is_enum = 0, in_fn_patches = 0;

	if (!(out = open_memstream(&buf, &blen)))
		die("out of memory");
	/* split keeping empty lines: walk by hand */
	for (char *line = text, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(line, CONVERTER_START, strlen(CONVERTER_START))) {
			free(fn);
			fn = xstrdup(line);
			is_enum = 0;
			in_fn_patches = 0;
		}
		if (fn && strstr(line, "soap_code(soap_codes_"))
			is_enum = 1;
		if (!strcmp(line, FAILURE_LINE)) {
			if (!fn || !is_enum)
				die("%s: gSOAP's enumeration failure line outside an enumeration converter (%s): its output "
				    "changed shape, the unknown-value edit cannot be applied safely", path, fn ? fn : "top level");
			fputs(LENIENT_LINE, out);
			patched++;
			in_fn_patches++;
		} else {
			fputs(line, out);
		}
		if (nl)
			fputc('\n', out);
		if (fn && !strcmp(line, "}")) {
			if (is_enum && in_fn_patches != 1)
				die("%s: enumeration converter without exactly one failure line to make lenient (%d): %s", path,
				    in_fn_patches, fn);
			free(fn);
			fn = NULL;
		}
		if (!nl)
			break;
	}
	(void)save;
	if (fclose(out))
		die("out of memory");
	if (patched)
		write_file(path, buf, blen);
	free(buf);
	free(text);
	free(fn);
	return patched;
}

int enum_patch(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int total = 0, files = 0;

	if (!d)
		die("cannot read %s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (strncmp(e->d_name, "soapC", 5) || n < 3 || strcmp(e->d_name + n - 2, ".c"))
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		total += patch_file(p);
		files++;
		free(p);
	}
	closedir(d);
	if (!files)
		die("no soapC*.c in %s", dir);
	if (!total)
		die("no enumeration converter found in %s: gSOAP's output changed shape", dir);
	return total;
}
