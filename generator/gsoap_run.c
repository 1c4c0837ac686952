/* gsoap_run.c — from a schema set to gSOAP's C: scratch copy, fixups.sh, wsdl2h, soapcpp2.
 *
 * The three files are copied to a scratch directory under the names the WSDL imports, without a byte-order
 * mark and with LF line ends; fixups.sh repairs there what official sets need (never the originals). Why each flag matters is in
 * generator/README.md. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "ewsgen.h"

/* Run argv in cwd with stdout+stderr into log (or inherited when NULL). Returns the exit status. */
static int run(char *const argv[], const char *cwd, const char *log, int reproducible)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		if (cwd && chdir(cwd))
			_exit(126);
		if (log) {
			int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(126);
			close(fd);
		}
		if (reproducible)
			setenv("SOURCE_DATE_EPOCH", "0", 1);   /* no dates in soapcpp2's banners */
		execvp(argv[0], argv);
		fprintf(stderr, "ewsgen: cannot run %s: %s%s\n", argv[0], strerror(errno),
			errno == ENOENT ? " (install Debian's gsoap package: make deps)" : "");
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void show_log(const char *log)
{
	size_t len;
	unsigned char *text = read_file(log, &len);

	fwrite(text, 1, len, stderr);
	free(text);
}

/* mkdir -p: build-official-X/generated has no parent yet on a first run */
static void mkdir_p(const char *dir)
{
	char *p = xstrdup(dir);

	for (char *q = p + 1; *q; q++)
		if (*q == '/') {
			*q = 0;
			if (mkdir(p, 0755) && errno != EEXIST)
				die("cannot create %s: %s", p, strerror(errno));
			*q = '/';
		}
	if (mkdir(p, 0755) && errno != EEXIST)
		die("cannot create %s: %s", p, strerror(errno));
	free(p);
}

/* Remove what an earlier generation wrote, so files of an older, larger schema (more soapC_NNN.c parts) do
 * not linger. */
static void clean_output(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *e;

	if (!d)
		die("cannot read %s: %s", out, strerror(errno));
	while ((e = readdir(d))) {
		const char *n = e->d_name;
		size_t len = strlen(n);
		static const char *const written[] = { "ews.h", "STAMP", "ews_operations.h", "ews_operations.c",
						       "ews_responses.c", "ews_codecs.c", "ews_server_defaults.c", "ews_schema.h" };
		int ours = !strncmp(n, "soap", 4) || (len > 6 && !strcmp(n + len - 6, ".nsmap"));
		for (size_t i = 0; i < sizeof written / sizeof *written; i++)
			ours |= !strcmp(n, written[i]);
		if (ours) {
			char *p = xasprintf("%s/%s", out, n);
			if (unlink(p) && errno != ENOENT)
				die("cannot remove %s: %s", p, strerror(errno));
			free(p);
		}
	}
	closedir(d);
}

/* The file under its canonical name, with XML's own end-of-line handling applied (CR LF and a lone CR read as
 * LF, XML 1.0 section 2.11): the same document, but fixups.sh edits line by line, and a set saved on Windows
 * (CR LF) would otherwise slip past its patterns. */
static void copy_in(const char *scratch, const schema_file *f)
{
	char *p = xasprintf("%s/%s", scratch, f->name), *lf = xmalloc(f->len + 1);
	size_t n = 0;

	for (size_t i = 0; i < f->len; i++)
		if (f->data[i] != '\r')
			lf[n++] = (char)f->data[i];
		else if (i + 1 >= f->len || f->data[i + 1] != '\n')
			lf[n++] = '\n';
	write_file(p, lf, n);
	free(lf);
	free(p);
}

char *gsoap_generate(const schema_set *s, const char *generator_dir, const char *out_dir, int split)
{
	const char *tmp = getenv("TMPDIR");
	char *scratch = xasprintf("%s/ews-gen.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	/* absolute: wsdl2h runs inside the scratch directory (and silently ignores a typemap it cannot open) */
	char *gendir = realpath(generator_dir, NULL);
	if (!gendir)
		die("generator directory %s: %s", generator_dir, strerror(errno));
	char *fixups = xasprintf("%s/fixups.sh", gendir), *typemap = xasprintf("%s/typemap.dat", gendir);
	char *log, *splitarg = xasprintf("-f%d", split), *src, *dst;
	size_t len;
	unsigned char *ewsh;

	if (!mkdtemp(scratch))
		die("cannot create a scratch directory %s: %s", scratch, strerror(errno));
	copy_in(scratch, &s->wsdl);
	copy_in(scratch, &s->messages);
	copy_in(scratch, &s->types);

	{
		char *argv[] = { "sh", fixups, scratch, NULL };
		if (run(argv, NULL, NULL, 0))
			die("%s failed on %s", fixups, s->dir);
	}
	{
		char *argv[] = { "wsdl2h", "-c", "-F", "-k", "-d", "-t", typemap, "-o", "ews.h", "services.wsdl", NULL };
		log = xasprintf("%s/wsdl2h.log", scratch);
		if (run(argv, scratch, log, 0)) {
			show_log(log);
			die("wsdl2h failed on %s", s->dir);
		}
		free(log);
	}
	mkdir_p(out_dir);
	clean_output(out_dir);
	{
		/* run inside the scratch directory so generated comments name "ews.h", not a temporary path */
		char *abs_out = realpath(out_dir, NULL);
		char *argv[] = { "soapcpp2", "-c", "-L", "-x", "-w", "-1", splitarg, "-I/usr/share/gsoap/import", "-d", abs_out,
				 "ews.h", NULL };
		if (!abs_out)
			die("cannot resolve %s: %s", out_dir, strerror(errno));
		log = xasprintf("%s/soapcpp2.log", scratch);
		if (run(argv, scratch, log, 1)) {
			show_log(log);
			die("soapcpp2 failed on %s", s->dir);
		}
		free(log);
		/* an unknown element inside a single-choice element drops only itself: a checked edit of the
		 * deserializers (choice-leniency.sh says why and fails when it does not apply everywhere) */
		char *leniency = xasprintf("%s/choice-leniency.sh", gendir);
		char *largv[] = { "sh", leniency, abs_out, NULL };
		if (run(largv, NULL, NULL, 0))
			die("%s failed on %s", leniency, s->dir);
		free(leniency);
		/* a base64Binary value that is not base64 fails the decode instead of vanishing: a checked edit of
		 * soap_in_xsd__base64Binary (strict-base64.sh says why) */
		char *b64 = xasprintf("%s/strict-base64.sh", gendir);
		char *bargv[] = { "sh", b64, abs_out, NULL };
		if (run(bargv, NULL, NULL, 0))
			die("%s failed on %s", b64, s->dir);
		free(b64);
		free(abs_out);
	}
	src = xasprintf("%s/ews.h", scratch);
	dst = xasprintf("%s/ews.h", out_dir);
	ewsh = read_file(src, &len);
	write_file(dst, ewsh, len);
	free(ewsh);
	free(src);
	free(dst);
	free(fixups);
	free(typemap);
	free(gendir);
	free(splitarg);
	return scratch;
}

void scratch_remove(const char *dir)
{
	char *argv[] = { "rm", "-rf", (char *)dir, NULL };

	if (!strstr(dir, "ews-gen."))
		die("refusing to remove %s", dir);
	run(argv, NULL, NULL, 0);
}

const char *gsoap_version(void)
{
	static char v[64];
	FILE *p;

	if (v[0])
		return v;
	if (!(p = popen("soapcpp2 -V 2>&1", "r")) || !fgets(v, sizeof v, p))
		die("cannot run soapcpp2 -V");
	pclose(p);
	v[strcspn(v, "\r\n")] = 0;
	/* "gSOAP ... 2.8.124 ..." or just the version */
	return v;
}
