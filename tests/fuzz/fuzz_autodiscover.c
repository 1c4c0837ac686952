/* fuzz_autodiscover.c — what autodiscover reads from the network and from disk (runtime/core/ews_autodiscover*):
 *   byte 0 % 4 == 0: the rest is a POX answer (Autodiscover/Response/Account/Protocol ...);
 *   byte 0 % 4 == 1: the rest is a SOAP GetUserSettings answer;
 *   byte 0 % 4 == 2: the rest is the cache file's content, read for an address (a corrupt or hostile cache);
 *   byte 0 % 4 == 3: the rest splits at the first NUL into an answer's fields, stored in the cache and read
 *                    back: what is stored must come back unchanged (or be refused when it has tabs/line breaks);
 *                    also the 8-hex-digit ServerVersion decoder on the first 8 bytes.
 * Invariants: an accepted answer is one of the documented kinds with what that kind needs (settings have a URL,
 * a redirect has a target), every text field ends inside its buffer. */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"
#include "ews_autodiscover_internal.h"

static char cache_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* tmpfs when there is one: the cache's fsync costs nothing there */
	snprintf(cache_path, sizeof cache_path, "%s/ews-fuzz-ad-%ld", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm",
		 (long)getpid());
	return 0;
}

static void check_terminated(const char *s, size_t cap, const char *what)
{
	FUZZ_CHECK(memchr(s, '\0', cap) != NULL, "%s is not terminated inside its buffer", what);
}

static void parse_answer(const uint8_t *data, size_t size, int soap)
{
	char *body = fuzz_strndup(data, size);
	ews_ad_answer a;
	ews_status st;

	if (!body)
		return;
	st = soap ? ews_ad_parse_soap(body, size, &a) : ews_ad_parse_pox(body, size, &a);
	if (st.code == EWS_OK) {
		check_terminated(a.target, sizeof a.target, "target");
		check_terminated(a.error, sizeof a.error, "error");
		check_terminated(a.internal_url, sizeof a.internal_url, "internal_url");
		check_terminated(a.external_url, sizeof a.external_url, "external_url");
		switch (a.kind) {
		case EWS_AD_SETTINGS:
			FUZZ_CHECK(a.internal_url[0] || a.external_url[0], "settings without an EWS URL accepted");
			break;
		case EWS_AD_REDIRECT_ADDR:
		case EWS_AD_REDIRECT_URL:
			FUZZ_CHECK(a.target[0], "a redirect to nothing accepted");
			break;
		case EWS_AD_ERROR:
			break;
		default:
			FUZZ_CHECK(0, "answer kind %d", (int)a.kind);
		}
	} else {
		FUZZ_CHECK(st.message[0], "a failure without a message (code %d)", (int)st.code);
	}
	free(body);
}

static int write_cache(const uint8_t *data, size_t size)
{
	int fd = open(cache_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int ok = fd >= 0 && write(fd, data, size) == (ssize_t)size;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void read_cache(const ews_ad_run *run, const char *email)
{
	ews_autodiscover_result r;

	if (ews_ad_cache_get(run, email, &r)) {
		FUZZ_CHECK(r.ews_url[0], "a cached answer without an EWS URL");
		check_terminated(r.ews_url, sizeof r.ews_url, "ews_url");
		check_terminated(r.external_ews_url, sizeof r.external_ews_url, "external_ews_url");
		check_terminated(r.autodiscover_url, sizeof r.autodiscover_url, "autodiscover_url");
		check_terminated(r.smtp_address, sizeof r.smtp_address, "smtp_address");
		check_terminated(r.version, sizeof r.version, "version");
		FUZZ_CHECK(r.from_cache == 1, "from_cache not set");
	}
}

/* Fields from the input: "EWS_URL\0SMTP\0VERSION" (missing ones empty), cut to their buffers. */
static void cache_round_trip(const ews_ad_run *run, const uint8_t *data, size_t size)
{
	ews_autodiscover_result in, out;
	const char *p = (const char *)data, *end = p + size;
	char *fields[3] = { in.ews_url, in.smtp_address, in.version };
	size_t caps[3] = { sizeof in.ews_url, sizeof in.smtp_address, sizeof in.version };
	ews_status st;

	memset(&in, 0, sizeof in);
	for (int i = 0; i < 3 && p < end; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = (size_t)((nul ? nul : end) - p);
		snprintf(fields[i], caps[i], "%.*s", (int)n, p);
		p += n + (nul != NULL);
	}
	snprintf(in.external_ews_url, sizeof in.external_ews_url, "https://ex.example.com/EWS/Exchange.asmx");
	snprintf(in.autodiscover_url, sizeof in.autodiscover_url, "https://example.com/autodiscover/autodiscover.svc");
	in.major = 15, in.minor = 1, in.build = 2507, in.revision = -1, in.protocol = EWS_AUTODISCOVER_SOAP;
	unlink(cache_path);
	st = ews_ad_cache_put(run, "user@example.com", &in);
	if (st.code != EWS_OK) {
		FUZZ_CHECK(strpbrk(in.ews_url, "\t\r\n") || strpbrk(in.smtp_address, "\t\r\n"),
			   "a clean answer was not cached: %s", st.message);
		return;
	}
	if (!in.ews_url[0] || strpbrk(in.version, "\t\r\n") || !strcmp(in.version, "-"))
		return;   /* nothing to find, or a version the format cannot keep (it is never such text) */
	FUZZ_CHECK(ews_ad_cache_get(run, "USER@example.com", &out), "the stored answer is not found");
	FUZZ_CHECK(!strcmp(in.ews_url, out.ews_url), "ews_url '%s' came back as '%s'", in.ews_url, out.ews_url);
	FUZZ_CHECK(!strcmp(in.smtp_address, out.smtp_address), "smtp '%s' came back as '%s'", in.smtp_address,
		   out.smtp_address);
	FUZZ_CHECK(!strcmp(in.version, out.version), "version '%s' came back as '%s'", in.version, out.version);
	FUZZ_CHECK(out.major == 15 && out.minor == 1 && out.build == 2507 && out.revision == -1, "version numbers");
}

static void server_version(const uint8_t *data, size_t size)
{
	char hex[9];
	int major, minor, build;

	if (size < 8)
		return;
	memcpy(hex, data, 8);
	hex[8] = '\0';
	if (ews_autodiscover_decode_server_version(hex, &major, &minor, &build).code == EWS_OK) {
		FUZZ_CHECK(major >= 0 && major < 64 && minor >= 0 && minor < 64 && build >= 0 && build < 32768,
			   "%d.%d.%d out of the fields' ranges", major, minor, build);
		(void)ews_autodiscover_version_name(major, minor, build);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ews_autodiscover_options opt;
	ews_ad_run run;

	if (size < 1 || size > 16384)
		return 0;
	ews_autodiscover_options_init(&opt);
	opt.cache_file = cache_path;
	memset(&run, 0, sizeof run);
	run.opt = &opt;
	switch (data[0] % 4) {
	case 0:
		parse_answer(data + 1, size - 1, 0);
		break;
	case 1:
		parse_answer(data + 1, size - 1, 1);
		break;
	case 2:
		if (write_cache(data + 1, size - 1))
			read_cache(&run, "user@example.com");
		break;
	case 3:
		cache_round_trip(&run, data + 1, size - 1);
		server_version(data + 1, size - 1);
		break;
	}
	return 0;
}
