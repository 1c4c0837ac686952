/* test_ewsd_server.c — ewsd as an HTTP service: schema files, faults Exchange sends (schema validation, server
 * version), authentication (Basic, Bearer, 401 challenges), impersonation, fault injection (ErrorServerBusy as a
 * fault and in a message, latency, dropped and truncated answers, invalid character references), concurrent
 * clients, gzip, TLS. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ews_test.h"
#include "ewsd_harness.h"

static struct ewsd_proc open_srv, auth_srv;
static char users_path[512];

static char *run(const char *cmd);

static const char *const find_inbox = "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
				      "</m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"
				      "</m:ParentFolderIds></m:FindItem>";

static char *fault_code(const char *body) { return body ? xml_text(body, "faultcode", 0) : NULL; }

static void serves_the_schema_files(void)
{
	const char *paths[] = { "/EWS/Services.wsdl", "/EWS/messages.xsd", "/EWS/types.xsd" };
	const char *marks[] = { "definitions", "schema", "schema" };
	for (int i = 0; i < 3; i++) {
		struct http_resp r;
		CU_ASSERT_EQUAL_FATAL(http_request(&open_srv, "GET", paths[i], NULL, NULL, 0, &r), 0);
		CU_ASSERT_EQUAL(r.status, 200);
		CU_ASSERT(r.len > 1000 && strstr(r.body, marks[i]) != NULL);
		http_resp_free(&r);
	}
	struct http_resp r;
	http_request(&open_srv, "GET", "/EWS/nothing.xsd", NULL, NULL, 0, &r);
	CU_ASSERT_EQUAL(r.status, 404);
	http_resp_free(&r);
	http_request(&open_srv, "POST", "/somewhere/else", NULL, "<x/>", 4, &r);
	CU_ASSERT_EQUAL(r.status, 404);
	http_resp_free(&r);
}

static void bad_requests_get_schema_validation_faults(void)
{
	const char *bodies[] = {
		"<not xml",
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><m:FindItem "
		"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"",
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><m:FindItem "
		"xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" Traversal=\"Sideways\"/>"
		"</soap:Body></soap:Envelope>",
		"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:t=\"http://schemas.microsoft."
		"com/exchange/services/2006/types\"><soap:Header><t:RequestServerVersion Version=\"Exchange2099\"/>"
		"</soap:Header><soap:Body/></soap:Envelope>",
		"",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct http_resp r;
		time_t t0 = time(NULL);
		CU_ASSERT_EQUAL_FATAL(http_request(&open_srv, "POST", "/EWS/Exchange.asmx", NULL, bodies[i],
						   strlen(bodies[i]), &r), 0);
		CU_ASSERT(time(NULL) - t0 < 5);   /* answered at once, not after a receive timeout */
		CU_ASSERT_EQUAL(r.status, 500);
		char *fc = fault_code(r.body), *rc = xml_text(r.body, "ResponseCode", 0);
		CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorSchemaValidation");
		CU_ASSERT_STRING_EQUAL(rc ? rc : "", "ErrorSchemaValidation");
		CU_ASSERT_EQUAL(xml_count(r.body, "Violation"), 1);
		free(fc), free(rc);
		http_resp_free(&r);
	}
	/* the server is still fine */
	struct http_resp r;
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
}

static void server_version_rules(void)
{
	struct http_resp r;
	/* every answer carries ServerVersionInfo */
	ews_post(&open_srv, NULL, "Exchange2007_SP1", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	char *v = xml_attr(r.body, "ServerVersionInfo", "MajorVersion", 0);
	CU_ASSERT_STRING_EQUAL(v ? v : "", "15");
	free(v);
	http_resp_free(&r);
	/* a version name Exchange does not know */
	ews_post(&open_srv, NULL, "Exchange2099", NULL, find_inbox, &r);
	char *bad = fault_code(r.body);
	CU_ASSERT_EQUAL(r.status, 500);
	CU_ASSERT_STRING_EQUAL(bad ? bad : "", "a:ErrorInvalidServerVersion");
	free(bad);
	http_resp_free(&r);
	/* no RequestServerVersion means Exchange2007: ConvertId needs Exchange2007_SP1 */
	ews_post(&open_srv, NULL, NULL, NULL, "<m:ConvertId DestinationFormat=\"HexEntryId\"><m:SourceIds><t:AlternateId "
		 "Format=\"EwsId\" Id=\"AAMk\" Mailbox=\"user@example.com\"/></m:SourceIds></m:ConvertId>", &r);
	char *fc = fault_code(r.body);
	CU_ASSERT_EQUAL(r.status, 500);
	CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorInvalidServerVersion");
	free(fc);
	http_resp_free(&r);
}

static int count_headers(const char *headers, const char *needle)
{
	int n = 0;
	for (const char *p = headers; (p = strcasestr(p, needle)); p++)
		n++;
	return n;
}

static void authentication_basic_bearer_and_challenges(void)
{
	struct http_resp r;
	ews_post(&auth_srv, NULL, "Exchange2013", NULL, find_inbox, &r);     /* no credentials */
	CU_ASSERT_EQUAL(r.status, 401);
	CU_ASSERT(strcasestr(r.headers, "WWW-Authenticate: Negotiate") != NULL);
	CU_ASSERT(strcasestr(r.headers, "WWW-Authenticate: NTLM") != NULL);
	CU_ASSERT(strcasestr(r.headers, "WWW-Authenticate: Basic realm=\"127.0.0.1\"") != NULL);
	CU_ASSERT_EQUAL(count_headers(r.headers, "WWW-Authenticate:"), 3);
	http_resp_free(&r);
	ews_post(&auth_srv, "alice@example.com", "Exchange2013", NULL, find_inbox, &r);  /* password "secret" */
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	ews_post(&auth_srv, "mallory@example.com", "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 401);
	http_resp_free(&r);

	char env[2048];
	snprintf(env, sizeof env, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/"
		 "envelope/\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" xmlns:m=\"http://"
		 "schemas.microsoft.com/exchange/services/2006/messages\"><soap:Header><t:RequestServerVersion "
		 "Version=\"Exchange2013\"/></soap:Header><soap:Body>%s</soap:Body></soap:Envelope>", find_inbox);
	http_request(&auth_srv, "POST", "/EWS/Exchange.asmx", "Authorization: Bearer tok-bob-123\r\n", env,
		     strlen(env), &r);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	http_request(&auth_srv, "POST", "/EWS/Exchange.asmx", "Authorization: Bearer wrong\r\n", env, strlen(env), &r);
	CU_ASSERT_EQUAL(r.status, 401);
	http_resp_free(&r);
}

static void curl_ntlm_logs_in(void)
{
	char cmd[2048];
	const char *fmt = "curl -s --ntlm -u '%s' -o /dev/null -w '%%{http_code}' -H 'Content-Type: text/xml' "
			  "--data-binary '<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			  "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" xmlns:m=\"http://schemas."
			  "microsoft.com/exchange/services/2006/messages\"><soap:Body>%s</soap:Body></soap:Envelope>' %s";
	const char *creds[] = { "alice:secret", "EXAMPLE\\alice@example.com:secret", "alice:wrong", "nobody:secret" };
	const char *want[] = { "200", "200", "401", "401" };
	for (int i = 0; i < 4; i++) {
		snprintf(cmd, sizeof cmd, fmt, creds[i], find_inbox, auth_srv.url);
		char *out = run(cmd);
		CU_ASSERT_STRING_EQUAL(out, want[i]);
		free(out);
	}
}

static void impersonation_needs_a_grant(void)
{
	const char *imp = "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>alice@example.com"
			  "</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>";
	const char *create = "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:Items><t:Message><t:Subject>for alice"
			     "</t:Subject></t:Message></m:Items></m:CreateItem>";
	struct http_resp r;
	ews_post(&auth_srv, "carol@example.com", "Exchange2013", imp, create, &r);   /* no grant */
	char *fc = fault_code(r.body);
	CU_ASSERT_EQUAL(r.status, 500);
	CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorImpersonationDenied");
	free(fc);
	http_resp_free(&r);
	ews_post(&auth_srv, "admin@example.com", "Exchange2013", imp, create, &r);   /* granted */
	CU_ASSERT_EQUAL(r.status, 200);
	char *code = xml_text(r.body, "ResponseCode", 0);
	CU_ASSERT_STRING_EQUAL(code ? code : "", "NoError");
	free(code);
	http_resp_free(&r);
	/* the draft is in alice's mailbox */
	ews_post(&auth_srv, "alice@example.com", "Exchange2013", NULL, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape>"
		 "<t:BaseShape>Default</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"drafts\"/>"
		 "</m:ParentFolderIds></m:FindItem>", &r);
	CU_ASSERT(strstr(r.body, "for alice") != NULL);
	http_resp_free(&r);
}

static void control(const char *q)
{
	struct http_resp r;
	char path[256];
	snprintf(path, sizeof path, "/ewsd/control?%s", q);
	CU_ASSERT_EQUAL(http_request(&open_srv, "GET", path, NULL, NULL, 0, &r), 0);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
}

static void server_busy_as_fault_and_in_message(void)
{
	struct http_resp r;
	control("throttle=1&backoff=1500");
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 500);
	char *fc = fault_code(r.body), *rc = xml_text(r.body, "ResponseCode", 0), *msg = xml_text(r.body, "Message", 0);
	char *name = xml_attr(r.body, "Value", "Name", 0), *val = xml_text(r.body, "Value", 0);
	CU_ASSERT_STRING_EQUAL(fc ? fc : "", "a:ErrorServerBusy");
	CU_ASSERT_STRING_EQUAL(rc ? rc : "", "ErrorServerBusy");
	CU_ASSERT(msg && *msg);
	CU_ASSERT_STRING_EQUAL(name ? name : "", "BackOffMilliseconds");
	CU_ASSERT_STRING_EQUAL(val ? val : "", "1500");
	free(fc), free(rc), free(msg), free(name), free(val);
	http_resp_free(&r);
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);    /* only one */
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);

	/* POST form of the control endpoint; ErrorServerBusy inside the response message */
	const char *form = "throttle_msg=1&backoff=700";
	http_request(&open_srv, "POST", "/ewsd/control", NULL, form, strlen(form), &r);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 200);
	char *cls = xml_attr(r.body, "FindItemResponseMessage", "ResponseClass", 0);
	rc = xml_text(r.body, "ResponseCode", 0);
	val = xml_text(r.body, "Value", 0);
	CU_ASSERT_STRING_EQUAL(cls ? cls : "", "Error");
	CU_ASSERT_STRING_EQUAL(rc ? rc : "", "ErrorServerBusy");
	CU_ASSERT_STRING_EQUAL(val ? val : "", "700");
	free(cls), free(rc), free(val);
	http_resp_free(&r);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void latency_drop_truncate_and_bad_characters(void)
{
	struct http_resp r;
	control("latency=300");
	double t0 = now_s();
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT(now_s() - t0 >= 0.3);
	CU_ASSERT_EQUAL(r.status, 200);
	http_resp_free(&r);
	control("latency=0&drop=1");
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	CU_ASSERT_EQUAL(r.status, 0);          /* closed without an answer */
	CU_ASSERT_EQUAL(r.body ? strlen(r.body) : 0, 0);
	http_resp_free(&r);
	control("truncate=1");
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);
	char *cl = strcasestr(r.headers ? r.headers : "", "Content-Length:");
	CU_ASSERT(cl && (size_t)atol(cl + 15) > r.len);   /* fewer bytes than announced */
	CU_ASSERT(strstr(r.body ? r.body : "", "</s:Envelope>") == NULL);
	http_resp_free(&r);

	ews_post(&open_srv, NULL, "Exchange2013", NULL, "<m:CreateItem MessageDisposition=\"SaveOnly\"><m:SavedItemFolderId>"
		 "<t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items><t:Message><t:Subject>plain"
		 "</t:Subject></t:Message></m:Items></m:CreateItem>", &r);
	http_resp_free(&r);
	control("badchars=1");
	ews_post(&open_srv, NULL, "Exchange2013", NULL, "<m:FindItem Traversal=\"Shallow\"><m:ItemShape><t:BaseShape>"
		 "Default</t:BaseShape></m:ItemShape><m:ParentFolderIds><t:DistinguishedFolderId Id=\"inbox\"/>"
		 "</m:ParentFolderIds></m:FindItem>", &r);
	CU_ASSERT(strstr(r.body, "plain&#x0;&#x1A;</") != NULL);
	cl = strcasestr(r.headers, "Content-Length:");
	CU_ASSERT(cl && (size_t)atol(cl + 15) == r.len);
	http_resp_free(&r);
	ews_post(&open_srv, NULL, "Exchange2013", NULL, find_inbox, &r);   /* only once */
	CU_ASSERT(strstr(r.body, "&#x0;") == NULL);
	http_resp_free(&r);
}

static void *client_thread(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 10; i++) {
		struct http_resp r;
		ews_post(&open_srv, "parallel@example.com", "Exchange2013", NULL, find_inbox, &r);
		if (r.status == 200 && strstr(r.body, "NoError"))
			(*ok)++;
		http_resp_free(&r);
	}
	return NULL;
}

static void several_clients_at_once(void)
{
	pthread_t t[8];
	int ok[8] = { 0 };
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, client_thread, &ok[i]);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	int total = 0;
	for (int i = 0; i < 8; i++)
		total += ok[i];
	CU_ASSERT_EQUAL(total, 80);
}

static void *writer_thread(void *arg)
{
	int *ok = arg;
	for (int i = 0; i < 10; i++) {
		struct http_resp r;
		ews_post(&open_srv, "writers@example.com", "Exchange2013", NULL, "<m:CreateItem MessageDisposition=\"SaveOnly\">"
			 "<m:SavedItemFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:SavedItemFolderId><m:Items><t:Message>"
			 "<t:Subject>concurrent</t:Subject></t:Message></m:Items></m:CreateItem>", &r);
		if (r.status == 200 && strstr(r.body, "NoError"))
			(*ok)++;
		http_resp_free(&r);
	}
	return NULL;
}

static void concurrent_writers_lose_nothing(void)
{
	pthread_t t[6];
	int ok[6] = { 0 };
	for (int i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, writer_thread, &ok[i]);
	for (int i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	int total = 0;
	for (int i = 0; i < 6; i++)
		total += ok[i];
	CU_ASSERT_EQUAL(total, 60);
	struct http_resp r;
	ews_post(&open_srv, "writers@example.com", "Exchange2013", NULL, "<m:SyncFolderItems><m:ItemShape><t:BaseShape>"
		 "IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id=\"inbox\"/></m:SyncFolderId>"
		 "<m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>", &r);
	CU_ASSERT_EQUAL(xml_count(r.body, "Create"), 60);
	http_resp_free(&r);
}

static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = calloc(1, 1 << 20);
	size_t n = 0, k;
	if (!p)
		return out;
	while (n < (1 << 20) - 1 && (k = fread(out + n, 1, (1 << 20) - 1 - n, p)) > 0)
		n += k;
	pclose(p);
	return out;
}

static void gzip_when_accepted(void)
{
	struct http_resp r;
	char env[2048];
	snprintf(env, sizeof env, "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/"
		 "envelope/\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" xmlns:m=\"http://"
		 "schemas.microsoft.com/exchange/services/2006/messages\"><soap:Body>%s</soap:Body></soap:Envelope>",
		 find_inbox);
	http_request(&open_srv, "POST", "/EWS/Exchange.asmx", "Accept-Encoding: gzip\r\n", env, strlen(env), &r);
	CU_ASSERT_EQUAL(r.status, 200);
	CU_ASSERT(strcasestr(r.headers, "Content-Encoding: gzip") != NULL);
	CU_ASSERT(r.len > 2 && (unsigned char)r.body[0] == 0x1f && (unsigned char)r.body[1] == 0x8b);
	http_resp_free(&r);
	http_request(&open_srv, "POST", "/EWS/Exchange.asmx", NULL, env, strlen(env), &r);
	CU_ASSERT(strcasestr(r.headers, "Content-Encoding") == NULL);
	http_resp_free(&r);
}

static void tls_with_a_self_signed_certificate(void)
{
	struct ewsd_proc tls;
	const char *args[] = { "--tls", NULL };
	CU_ASSERT_EQUAL_FATAL(ewsd_start(&tls, NULL, args), 0);
	CU_ASSERT(!strncmp(tls.url, "https://", 8));
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "curl -s --cacert %s/ewsd.crt -H 'Content-Type: text/xml' --data-binary "
		 "'<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:t=\"http://schemas."
		 "microsoft.com/exchange/services/2006/types\" xmlns:m=\"http://schemas.microsoft.com/exchange/services/"
		 "2006/messages\"><soap:Body>%s</soap:Body></soap:Envelope>' %s", tls.dir, find_inbox, tls.url);
	char *out = run(cmd);
	CU_ASSERT(strstr(out, "<m:ResponseCode>NoError</m:ResponseCode>") != NULL);
	free(out);
	ewsd_stop(&tls, 0);
}

int main(void)
{
	static const struct ews_test_case cases[] = {
		{ "serves the schema files", serves_the_schema_files },
		{ "bad requests get ErrorSchemaValidation faults at once", bad_requests_get_schema_validation_faults },
		{ "ServerVersionInfo always; operations newer than the requested version fail", server_version_rules },
		{ "authentication: Basic, Bearer, 401 with Exchange's challenges", authentication_basic_bearer_and_challenges },
		{ "curl --ntlm logs in (NTLMv2 verified), wrong passwords do not", curl_ntlm_logs_in },
		{ "impersonation needs a grant", impersonation_needs_a_grant },
		{ "ErrorServerBusy as a SOAP fault and inside a response message", server_busy_as_fault_and_in_message },
		{ "latency, dropped and truncated answers, invalid character references",
		  latency_drop_truncate_and_bad_characters },
		{ "several clients at once", several_clients_at_once },
		{ "concurrent writers lose nothing", concurrent_writers_lose_nothing },
		{ "gzip when the client accepts it", gzip_when_accepted },
		{ "TLS with a self-signed certificate made on first start", tls_with_a_self_signed_certificate },
		{ NULL, NULL }
	};
	char dir[] = "/tmp/ewsd-users.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	snprintf(users_path, sizeof users_path, "%s/users", dir);
	FILE *f = fopen(users_path, "w");
	fprintf(f, "# test users\nuser alice@example.com secret\nuser carol@example.com secret\n"
		   "user admin@example.com secret\ntoken tok-bob-123 bob@example.com\nimpersonate admin@example.com\n");
	fclose(f);
	const char *auth_args[] = { "--users", users_path, NULL };
	if (ewsd_start(&open_srv, NULL, NULL) || ewsd_start(&auth_srv, NULL, auth_args)) {
		fprintf(stderr, "cannot start ewsd\n");
		return 1;
	}
	int rc = ews_test_run("ewsd server", cases);
	ewsd_stop(&open_srv, 0);
	ewsd_stop(&auth_srv, 0);
	remove(users_path);
	rmdir(dir);
	return rc;
}
