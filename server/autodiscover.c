/* autodiscover.c — ewsd answers autodiscover for its mailboxes: POX (POST /autodiscover/autodiscover.xml,
 * MS-OXDSCLI) and SOAP GetUserSettings (POST /autodiscover/autodiscover.svc, MS-OXWSADISC), authenticated like
 * EWS (main.c checks the credentials before these handlers run). It can be told to redirect, by flags or
 * /ewsd/control (ad_* keys): redirectAddr for one address, redirectUrl for every answer, an HTTP 302 for every
 * POST and for the unauthenticated GET probe. The EWS URL announced is the request's own origin (Host header)
 * unless --autodiscover-ews-url names one. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ewsd.h"
#include "auth.h"

#define NS_POX_RESP "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
#define NS_POX_RESP_A "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define NS_ADISC "http://schemas.microsoft.com/exchange/2010/Autodiscover"

/* The version ewsd reports (as ewsd_server_version_header): 15.2.1118.7. POX packs it as 4 bits 0111 (what
 * Exchange sends), 6 bits major, 6 bits minor, 1 bit set, 15 bits build. */
enum { V_MAJOR = 15, V_MINOR = 2, V_BUILD = 1118, V_REV = 7 };

#define MAX_ADDR_REDIRECTS 8
static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char addr_from[MAX_ADDR_REDIRECTS][256], addr_to[MAX_ADDR_REDIRECTS][256];
	int n_addr;
	char redirect_url[512];     /* origin "https://host:port": every answer is redirectUrl origin + path */
	char redirect_302[512];     /* origin: every POST and GET answers 302 to origin + path */
	char ews_url[512];          /* the EwsUrl announced, "" = the request's origin + /EWS/Exchange.asmx */
} cfg;

/* %XX and '+' decoding in place (control values come from a query string). */
static void url_decode(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = '\0';
}

int ewsd_autodiscover_set(const char *key, const char *value)
{
	char v[512];
	int rc = 0;

	snprintf(v, sizeof v, "%s", value ? value : "");
	url_decode(v);
	pthread_mutex_lock(&cfg_lock);
	if (!strcmp(key, "ad_redirect_addr")) {
		char *eq = strchr(v, '=');
		if (!eq || eq == v || !eq[1] || cfg.n_addr >= MAX_ADDR_REDIRECTS) {
			rc = -1;
		} else {
			*eq = '\0';
			snprintf(cfg.addr_from[cfg.n_addr], sizeof cfg.addr_from[0], "%.255s", v);
			snprintf(cfg.addr_to[cfg.n_addr], sizeof cfg.addr_to[0], "%.255s", eq + 1);
			cfg.n_addr++;
		}
	} else if (!strcmp(key, "ad_redirect_url")) {
		snprintf(cfg.redirect_url, sizeof cfg.redirect_url, "%s", v);
	} else if (!strcmp(key, "ad_redirect_302")) {
		snprintf(cfg.redirect_302, sizeof cfg.redirect_302, "%s", v);
	} else if (!strcmp(key, "ad_ews_url")) {
		snprintf(cfg.ews_url, sizeof cfg.ews_url, "%s", v);
	} else if (!strcmp(key, "ad_reset")) {
		memset(&cfg, 0, sizeof cfg);
	} else {
		rc = -1;
	}
	pthread_mutex_unlock(&cfg_lock);
	return rc;
}

int ewsd_autodiscover_kind(const char *path)
{
	if (!strcasecmp(path, "/autodiscover/autodiscover.xml"))
		return 1;
	if (!strcasecmp(path, "/autodiscover/autodiscover.svc"))
		return 2;
	return 0;
}

/* A growing text buffer (soap-managed pieces would do too; this keeps the answer one malloc). */
struct buf {
	char *p;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s)
{
	size_t k = strlen(s);
	if (b->oom)
		return;
	if (b->n + k + 1 > b->cap) {
		size_t cap = (b->n + k + 1) * 2;
		char *g = realloc(b->p, cap);
		if (!g) {
			b->oom = 1;
			return;
		}
		b->p = g;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

static void put_text(struct buf *b, const char *s)
{
	char one[2] = { 0, 0 };
	for (; *s; s++) {
		switch (*s) {
		case '&': put(b, "&amp;"); break;
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		case '"': put(b, "&quot;"); break;
		default: one[0] = *s; put(b, one);
		}
	}
}

/* The text of the first element with local name `name` (any prefix), entities &amp; &lt; &gt; &quot; &apos;
 * decoded, trimmed; 0 when found. */
static int element_text(const char *xml, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
		const char *q = p + 1, *colon, *end, *close;
		size_t k = 0;
		if (*q == '/' || *q == '?' || *q == '!')
			continue;
		end = q + strcspn(q, " \t\r\n/>");
		colon = memchr(q, ':', (size_t)(end - q));
		if (colon)
			q = colon + 1;
		if ((size_t)(end - q) != nl || strncmp(q, name, nl))
			continue;
		if (!(q = strchr(end, '>')) || q[-1] == '/')
			return -1;
		q++;
		if (!(close = strstr(q, "</")))
			return -1;
		while (q < close && strchr(" \t\r\n", *q))
			q++;
		while (close > q && strchr(" \t\r\n", close[-1]))
			close--;
		for (; q < close && k + 1 < cap; q++) {
			static const struct { const char *e; char c; } ents[] = {
				{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' } };
			size_t i;
			for (i = 0; i < 5 && strncmp(q, ents[i].e, strlen(ents[i].e)); i++)
				;
			if (i < 5) {
				out[k++] = ents[i].c;
				q += strlen(ents[i].e) - 1;
			} else {
				out[k++] = *q;
			}
		}
		out[k] = '\0';
		return 0;
	}
	return -1;
}

/* Whether this server has a mailbox for the address: with --users the users file, in open mode any. */
static int known(const char *smtp)
{
	return !ewsd_cfg.users_file || ewsd_user_known(smtp);
}

/* The request's origin "https://host:port" (gSOAP puts the scheme and the Host header in soap->endpoint). */
static void origin_of(struct soap *soap, char *out, size_t cap)
{
	const char *e = soap->endpoint;
	size_t n = strcspn(e + (strstr(e, "://") ? (size_t)(strstr(e, "://") - e) + 3 : 0), "/?#\"<> ");
	n += strstr(e, "://") ? (size_t)(strstr(e, "://") - e) + 3 : 0;
	snprintf(out, cap, "%.*s", (int)n, e);
}

static void ews_url_for(struct soap *soap, char *out, size_t cap)
{
	char origin[300];
	pthread_mutex_lock(&cfg_lock);
	snprintf(out, cap, "%s", cfg.ews_url);
	pthread_mutex_unlock(&cfg_lock);
	if (!*out) {
		origin_of(soap, origin, sizeof origin);
		snprintf(out, cap, "%s/EWS/Exchange.asmx", origin);
	}
}

static void pox_error(struct buf *b, const char *code, const char *message)
{
	put(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Autodiscover xmlns=\"" NS_POX_RESP "\">\r\n"
	       "  <Response>\r\n    <Error Time=\"00:00:00\" Id=\"1\">\r\n      <ErrorCode>");
	put(b, code);
	put(b, "</ErrorCode>\r\n      <Message>");
	put_text(b, message);
	put(b, "</Message>\r\n      <DebugData />\r\n    </Error>\r\n  </Response>\r\n</Autodiscover>\r\n");
}

static void pox_answer(struct soap *soap, const char *body, const char *path, struct buf *b)
{
	char email[320], schema[256], url[600], hex[16], origin[300];
	const char *to = NULL;

	if (element_text(body, "EMailAddress", email, sizeof email) || !strchr(email, '@')) {
		pox_error(b, "600", "Invalid Request");
		return;
	}
	if (!element_text(body, "AcceptableResponseSchema", schema, sizeof schema) && strcmp(schema, NS_POX_RESP_A)) {
		pox_error(b, "601", "The requested schema version is not supported.");
		return;
	}
	pthread_mutex_lock(&cfg_lock);
	for (int i = 0; i < cfg.n_addr && !to; i++)
		if (!strcasecmp(cfg.addr_from[i], email))
			to = cfg.addr_to[i];
	snprintf(url, sizeof url, "%s%s", cfg.redirect_url, cfg.redirect_url[0] ? path : "");
	snprintf(origin, sizeof origin, "%s", to ? to : "");
	pthread_mutex_unlock(&cfg_lock);
	put(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<Autodiscover xmlns=\"" NS_POX_RESP "\">\r\n"
	       "  <Response xmlns=\"" NS_POX_RESP_A "\">\r\n");
	if (to) {
		put(b, "    <Account>\r\n      <Action>redirectAddr</Action>\r\n      <RedirectAddr>");
		put_text(b, origin);
		put(b, "</RedirectAddr>\r\n    </Account>\r\n  </Response>\r\n</Autodiscover>\r\n");
		return;
	}
	if (url[0]) {
		put(b, "    <Account>\r\n      <Action>redirectUrl</Action>\r\n      <RedirectUrl>");
		put_text(b, url);
		put(b, "</RedirectUrl>\r\n    </Account>\r\n  </Response>\r\n</Autodiscover>\r\n");
		return;
	}
	if (!known(email)) {
		b->n = 0;
		pox_error(b, "500", "The e-mail address cannot be found.");
		return;
	}
	ews_url_for(soap, url, sizeof url);
	snprintf(hex, sizeof hex, "%08X", (7u << 28) | ((unsigned)V_MAJOR << 22) | ((unsigned)V_MINOR << 16) | 0x8000u |
		 (unsigned)V_BUILD);
	put(b, "    <User>\r\n      <DisplayName>");
	put_text(b, email);
	put(b, "</DisplayName>\r\n      <AutoDiscoverSMTPAddress>");
	put_text(b, email);
	put(b, "</AutoDiscoverSMTPAddress>\r\n    </User>\r\n    <Account>\r\n      <AccountType>email</AccountType>\r\n"
	       "      <Action>settings</Action>\r\n");
	for (int i = 0; i < 2; i++) {
		put(b, i ? "      <Protocol>\r\n        <Type>EXPR</Type>\r\n" : "      <Protocol>\r\n        <Type>EXCH</Type>\r\n");
		put(b, "        <ServerVersion>");
		put(b, hex);
		put(b, "</ServerVersion>\r\n        <EwsUrl>");
		put_text(b, url);
		put(b, "</EwsUrl>\r\n      </Protocol>\r\n");
	}
	put(b, "    </Account>\r\n  </Response>\r\n</Autodiscover>\r\n");
}

static void soap_head(struct buf *b)
{
	char v[400];
	snprintf(v, sizeof v, "<h:MajorVersion>%d</h:MajorVersion><h:MinorVersion>%d</h:MinorVersion>"
		 "<h:MajorBuildNumber>%d</h:MajorBuildNumber><h:MinorBuildNumber>%d</h:MinorBuildNumber>",
		 V_MAJOR, V_MINOR, V_BUILD, V_REV);
	put(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
	       "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	       "xmlns:a=\"http://www.w3.org/2005/08/addressing\"><s:Header><a:Action s:mustUnderstand=\"1\">" NS_ADISC
	       "/Autodiscover/GetUserSettingsResponse</a:Action><h:ServerVersionInfo xmlns:h=\"" NS_ADISC "\">");
	put(b, v);
	put(b, "<h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header><s:Body>"
	       "<GetUserSettingsResponseMessage xmlns=\"" NS_ADISC "\"><Response "
	       "xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">");
}

static void soap_tail(struct buf *b)
{
	put(b, "</Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>\r\n");
}

static void user_response(struct buf *b, const char *code, const char *message, const char *target)
{
	put(b, "<ErrorCode>NoError</ErrorCode><ErrorMessage /><UserResponses><UserResponse><ErrorCode>");
	put(b, code);
	put(b, "</ErrorCode><ErrorMessage>");
	put_text(b, message);
	put(b, "</ErrorMessage>");
	if (target) {
		put(b, "<RedirectTarget>");
		put_text(b, target);
		put(b, "</RedirectTarget>");
	} else {
		put(b, "<RedirectTarget i:nil=\"true\" />");
	}
}

/* The archive mailbox of email, as AlternateMailboxes reports it: 1 and its GUID (ewsd_archive_guid, the GUID its
 * ids carry), 0 when the mailbox has none (--no-archive), -1 when the store cannot say. The mailbox is made on
 * first sight, as an EWS request would. */
static int archive_of(struct soap *soap, const char *email, char guid[37])
{
	struct ewsd_request *rq = ewsd_req(soap);
	sqlite3 *db = rq && rq->db ? rq->db : ewsd_store_open(ewsd_cfg.data_dir);   /* opened per EWS request */
	struct ewsd_mailbox m;
	struct ewsd_folder f;
	int rc = -1;
	if (!db)
		return -1;
	if (ewsd_mailbox_ensure(db, email, &m) == 0) {
		int found = ewsd_folder_distinguished(soap, db, m.id, "archiveroot", &f);
		rc = found == 0 ? 1 : found == 1 ? 0 : -1;
		if (rc == 1)
			ewsd_archive_guid(m.guid, guid);
	}
	if (!(rq && rq->db))
		ewsd_store_close(db);
	return rc;
}

/* AlternateMailboxes (an AlternateMailboxCollectionSetting): the archive as Exchange lists it, Type Archive with
 * its display name, legacy DN and GUID@domain as Server and SmtpAddress; empty without one. 0, or -1 when the
 * store cannot say (then nothing is written). */
static int alternate_mailboxes(struct soap *soap, const char *email, struct buf *b)
{
	char guid[37], addr[400], dn[700];
	const char *at = strchr(email, '@');
	int rc = archive_of(soap, email, guid);
	if (rc < 0)
		return -1;
	put(b, "<UserSetting i:type=\"AlternateMailboxCollectionSetting\"><Name>AlternateMailboxes</Name>");
	if (!rc) {
		put(b, "<AlternateMailboxes /></UserSetting>");
		return 0;
	}
	snprintf(addr, sizeof addr, "%s%s", guid, at ? at : "");
	snprintf(dn, sizeof dn, "/o=ewsd/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=%.*s/guid=%s",
		 at ? (int)(at - email) : (int)strlen(email), email, guid);
	put(b, "<AlternateMailboxes><AlternateMailbox><Type>Archive</Type><DisplayName>In-Place Archive - ");
	put_text(b, email);
	put(b, "</DisplayName><LegacyDN>");
	put_text(b, dn);
	put(b, "</LegacyDN><Server>");
	put_text(b, addr);
	put(b, "</Server><SmtpAddress>");
	put_text(b, addr);
	put(b, "</SmtpAddress></AlternateMailbox></AlternateMailboxes></UserSetting>");
	return 0;
}

/* The settings asked for in RequestedSettings, in request order. */
static void settings(struct soap *soap, const char *body, const char *email, struct buf *b)
{
	char url[600], name[64], cas[40], pf[300];
	const char *p = strstr(body, "RequestedSettings");
	struct buf errs = { 0 };

	ews_url_for(soap, url, sizeof url);
	snprintf(cas, sizeof cas, "%d.%02d.%04d.%03d", V_MAJOR, V_MINOR, V_BUILD, V_REV);
	put(b, "<UserSettings>");
	for (p = p ? strchr(p, '<') : NULL; p; p = strchr(p + 1, '<')) {
		const char *v = NULL, *q = p + 1, *tag_end, *colon, *close;
		int closing = *q == '/';
		q += closing;
		tag_end = q + strcspn(q, " \t\r\n/>");
		colon = memchr(q, ':', (size_t)(tag_end - q));
		if (colon)
			q = colon + 1;
		if (closing && tag_end - q == 17 && !strncmp(q, "RequestedSettings", 17))
			break;
		if (closing || tag_end - q != 7 || strncmp(q, "Setting", 7) || *tag_end != '>')
			continue;
		close = strstr(tag_end + 1, "</");
		if (!close || close - (tag_end + 1) == 0 || (size_t)(close - (tag_end + 1)) >= sizeof name)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(close - (tag_end + 1)), tag_end + 1);
		if (!strcmp(name, "AlternateMailboxes")) {
			if (alternate_mailboxes(soap, email, b)) {
				put(&errs, "<UserSettingError><ErrorCode>InternalServerError</ErrorCode><ErrorMessage>The "
					   "mailbox store cannot be read.</ErrorMessage><SettingName>AlternateMailboxes"
					   "</SettingName></UserSettingError>");
			}
			continue;
		}
		if (!strcmp(name, "InternalEwsUrl") || !strcmp(name, "ExternalEwsUrl"))
			v = url;
		else if (!strcmp(name, "CasVersion"))
			v = cas;
		else if (!strcmp(name, "UserDisplayName"))
			v = email;
		else if (!strcmp(name, "PublicFolderInformation")) {   /* the hierarchy mailbox to route to */
			ewsd_public_mailbox_smtp(email, pf, sizeof pf);
			v = pf;
		}
		if (!v) {
			put(&errs, "<UserSettingError><ErrorCode>InvalidSetting</ErrorCode><ErrorMessage>The requested "
				   "setting is not supported.</ErrorMessage><SettingName>");
			put_text(&errs, name);
			put(&errs, "</SettingName></UserSettingError>");
			continue;
		}
		put(b, "<UserSetting i:type=\"StringSetting\"><Name>");
		put_text(b, name);
		put(b, "</Name><Value>");
		put_text(b, v);
		put(b, "</Value></UserSetting>");
	}
	put(b, "</UserSettings><UserSettingErrors>");
	if (errs.p)
		put(b, errs.p);
	put(b, "</UserSettingErrors>");
	b->oom |= errs.oom;
	free(errs.p);
}

static void soap_answer(struct soap *soap, const char *body, const char *path, struct buf *b)
{
	char email[320], url[600], to[256] = "";

	soap_head(b);
	if (!strstr(body, "GetUserSettingsRequestMessage") || element_text(body, "Mailbox", email, sizeof email) ||
	    !strchr(email, '@')) {
		put(b, "<ErrorCode>InvalidRequest</ErrorCode><ErrorMessage>The request is invalid: GetUserSettings with "
		       "one Mailbox is supported.</ErrorMessage><UserResponses />");
		soap_tail(b);
		return;
	}
	pthread_mutex_lock(&cfg_lock);
	for (int i = 0; i < cfg.n_addr && !to[0]; i++)
		if (!strcasecmp(cfg.addr_from[i], email))
			snprintf(to, sizeof to, "%s", cfg.addr_to[i]);
	snprintf(url, sizeof url, "%s%s", cfg.redirect_url, cfg.redirect_url[0] ? path : "");
	pthread_mutex_unlock(&cfg_lock);
	if (to[0])
		user_response(b, "RedirectAddress", "Redirection address.", to);
	else if (url[0])
		user_response(b, "RedirectUrl", "Redirection URL.", url);
	else if (!known(email)) {
		char msg[400];
		snprintf(msg, sizeof msg, "Invalid user: '%s'", email);
		user_response(b, "InvalidUser", msg, NULL);
	} else {
		user_response(b, "NoError", "No error.", NULL);
		settings(soap, body, email, b);
	}
	put(b, "</UserResponse></UserResponses>");
	soap_tail(b);
}

/* 1 and *loc (origin + path) when every request is to get a 302. */
int ewsd_autodiscover_302(const char *path, char *loc, size_t cap)
{
	int on;
	pthread_mutex_lock(&cfg_lock);
	on = cfg.redirect_302[0] != '\0';
	if (on)
		snprintf(loc, cap, "%s%s", cfg.redirect_302, path);
	pthread_mutex_unlock(&cfg_lock);
	return on;
}

char *ewsd_autodiscover_answer(struct soap *soap, const char *path, const char *body, size_t *len)
{
	struct buf b = { 0 };
	if (ewsd_autodiscover_kind(path) == 2)
		soap_answer(soap, body ? body : "", path, &b);
	else
		pox_answer(soap, body ? body : "", path, &b);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.n;
	return b.p;
}
