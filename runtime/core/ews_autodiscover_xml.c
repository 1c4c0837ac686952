/* ews_autodiscover_xml.c — autodiscover's messages: the POX request and answer (MS-OXDSCLI 2.2.3, 2.2.4) and the
 * SOAP GetUserSettings request and answer (MS-OXWSADISC), written and read by hand: they are small, and neither
 * is part of the EWS schema the bindings are generated from. Answers are read as a gSOAP DOM, by local names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <stdsoap2.h>

#include "ews_autodiscover_internal.h"
#include "ews_internal.h"
#include "ews_dom.h"

#define NS_POX_REQ "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
#define NS_POX_RESP_A "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define NS_ADISC "http://schemas.microsoft.com/exchange/2010/Autodiscover"

/* The address with &, <, >, " escaped, malloc'd. */
static char *xml_escape(const char *s)
{
	size_t n = 1;
	char *out, *p;
	for (const char *q = s; *q; q++)
		n += *q == '&' ? 5 : *q == '<' || *q == '>' ? 4 : *q == '"' ? 6 : 1;
	if (!(out = malloc(n)))
		return NULL;
	for (p = out; *s; s++) {
		const char *r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
		if (r) {
			memcpy(p, r, strlen(r));
			p += strlen(r);
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

static char *format(const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, fmt, a, b ? b : "");
	return out;
}

char *ews_ad_pox_request(const char *email)
{
	char *e = xml_escape(email), *out;
	if (!e)
		return NULL;
	out = format("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
		     "<Autodiscover xmlns=\"" NS_POX_REQ "\">\r\n"
		     "  <Request>\r\n"
		     "    <EMailAddress>%s</EMailAddress>\r\n"
		     "    <AcceptableResponseSchema>" NS_POX_RESP_A "</AcceptableResponseSchema>\r\n"
		     "  </Request>\r\n"
		     "</Autodiscover>\r\n%s", e, NULL);
	free(e);
	return out;
}

char *ews_ad_soap_request(const char *email, const char *url)
{
	char *e = xml_escape(email), *u = xml_escape(url), *out = NULL;
	if (e && u)
		out = format("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
			     "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
			     "xmlns:a=\"" NS_ADISC "\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\">\r\n"
			     "  <soap:Header>\r\n"
			     "    <a:RequestedServerVersion>Exchange2010</a:RequestedServerVersion>\r\n"
			     "    <wsa:Action>" NS_ADISC "/Autodiscover/GetUserSettings</wsa:Action>\r\n"
			     "    <wsa:To>%2$s</wsa:To>\r\n"
			     "  </soap:Header>\r\n"
			     "  <soap:Body>\r\n"
			     "    <a:GetUserSettingsRequestMessage>\r\n"
			     "      <a:Request>\r\n"
			     "        <a:Users><a:User><a:Mailbox>%1$s</a:Mailbox></a:User></a:Users>\r\n"
			     "        <a:RequestedSettings>\r\n"
			     "          <a:Setting>InternalEwsUrl</a:Setting>\r\n"
			     "          <a:Setting>ExternalEwsUrl</a:Setting>\r\n"
			     "          <a:Setting>CasVersion</a:Setting>\r\n"
			     "        </a:RequestedSettings>\r\n"
			     "      </a:Request>\r\n"
			     "    </a:GetUserSettingsRequestMessage>\r\n"
			     "  </soap:Body>\r\n"
			     "</soap:Envelope>\r\n", e, u);
	free(e);
	free(u);
	return out;
}

/* Parse body into a DOM owned by t; NULL when it is not well-formed XML. */
static struct soap_dom_element *parse_dom(struct soap *t, const char *body)
{
	static struct Namespace none[] = { { NULL, NULL, NULL, NULL } };
	struct soap_dom_element *root;

	if (!strncmp(body, "\xEF\xBB\xBF", 3))
		body += 3;
	while (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')
		body++;
	if (*body != '<')
		return NULL;    /* an HTML error page or nothing: gSOAP would read it as HTTP headers */
	soap_set_namespaces(t, none);
	t->maxlevel = 64;
	root = soap_malloc(t, sizeof *root);
	if (!root)
		return NULL;
	soap_default_xsd__anyType(t, root);
	t->is = body;
	if (soap_begin_recv(t) || !soap_in_xsd__anyType(t, NULL, root, NULL) || soap_end_recv(t))
		root = NULL;
	t->is = NULL;
	return root;
}

static void copy(char *dst, size_t cap, const char *src)
{
	size_t b = 0, e;
	src = src ? src : "";
	e = strlen(src);
	while (b < e && strchr(" \t\r\n", src[b]))
		b++;
	while (e > b && strchr(" \t\r\n", src[e - 1]))
		e--;
	snprintf(dst, cap, "%.*s", (int)(e - b), src + b);
}

static void answer_init(ews_ad_answer *a)
{
	memset(a, 0, sizeof *a);
	a->major = a->minor = a->build = a->revision = -1;
}

static ews_status settings_or_error(ews_ad_answer *a, const char *what)
{
	if (a->kind == EWS_AD_SETTINGS && !a->internal_url[0] && !a->external_url[0])
		return ews_status_make(EWS_ERR_XML, "autodiscover: the %s answer names no EWS URL", what);
	return ews_status_ok();
}

static ews_status parse_pox_dom(const struct soap_dom_element *root, ews_ad_answer *a)
{
	const struct soap_dom_element *resp, *err, *acct;
	const char *action;

	if (!root || !root->name || strcmp(ews_dom_local_name(root->name), "Autodiscover") ||
	    !(resp = ews_dom_child(root, "Response")))
		return ews_status_make(EWS_ERR_XML, "autodiscover: the answer is no POX autodiscover response");
	if ((err = ews_dom_child(resp, "Error"))) {
		a->kind = EWS_AD_ERROR;
		snprintf(a->error, sizeof a->error, "%s%s%.200s", ews_dom_child_text(err, "ErrorCode") ?
			 ews_dom_child_text(err, "ErrorCode") : "", ews_dom_child_text(err, "Message") ? " " : "",
			 ews_dom_child_text(err, "Message") ? ews_dom_child_text(err, "Message") : "");
		return ews_status_ok();
	}
	if (!(acct = ews_dom_child(resp, "Account")))
		return ews_status_make(EWS_ERR_XML, "autodiscover: the POX answer has neither Account nor Error");
	action = ews_dom_child_text(acct, "Action");
	if (action && !strcmp(action, "redirectAddr")) {
		a->kind = EWS_AD_REDIRECT_ADDR;
		copy(a->target, sizeof a->target, ews_dom_child_text(acct, "RedirectAddr"));
	} else if (action && !strcmp(action, "redirectUrl")) {
		a->kind = EWS_AD_REDIRECT_URL;
		copy(a->target, sizeof a->target, ews_dom_child_text(acct, "RedirectUrl"));
	} else {
		a->kind = EWS_AD_SETTINGS;
		for (const struct soap_dom_element *p = acct->elts; p; p = p->next) {
			const char *type, *url, *ver;
			if (!p->name || strcmp(ews_dom_local_name(p->name), "Protocol"))
				continue;
			type = ews_dom_child_text(p, "Type");
			url = ews_dom_child_text(p, "EwsUrl");
			ver = ews_dom_child_text(p, "ServerVersion");
			if (!type || !url)
				continue;
			if (!strcmp(type, "EXCH") && !a->internal_url[0])
				copy(a->internal_url, sizeof a->internal_url, url);
			else if (!strcmp(type, "EXPR") && !a->external_url[0])
				copy(a->external_url, sizeof a->external_url, url);
			else
				continue;
			if (ver && a->major < 0) {
				char hex[16];
				copy(hex, sizeof hex, ver);
				ews_autodiscover_decode_server_version(hex, &a->major, &a->minor, &a->build);
			}
		}
	}
	if ((a->kind == EWS_AD_REDIRECT_ADDR || a->kind == EWS_AD_REDIRECT_URL) && !a->target[0])
		return ews_status_make(EWS_ERR_XML, "autodiscover: the POX answer redirects to nothing");
	return settings_or_error(a, "POX");
}

static int child_int(const struct soap_dom_element *e, const char *name)
{
	const char *s = ews_dom_child_text(e, name);
	return s && *s ? atoi(s) : -1;
}

static ews_status parse_soap_dom(const struct soap_dom_element *root, ews_ad_answer *a)
{
	const struct soap_dom_element *hdr, *body, *msg, *resp, *users, *u, *settings, *svi;
	const char *code;

	if (!root || !root->name || strcmp(ews_dom_local_name(root->name), "Envelope") ||
	    !(body = ews_dom_child(root, "Body")))
		return ews_status_make(EWS_ERR_XML, "autodiscover: the answer is no SOAP envelope");
	if (ews_dom_child(body, "Fault")) {
		const struct soap_dom_element *f = ews_dom_child(body, "Fault");
		const char *s = ews_dom_child_text(f, "faultstring");
		a->kind = EWS_AD_ERROR;
		snprintf(a->error, sizeof a->error, "SOAP fault: %.200s", s ? s : "(no text)");
		return ews_status_ok();
	}
	if ((hdr = ews_dom_child(root, "Header")) && (svi = ews_dom_child(hdr, "ServerVersionInfo"))) {
		a->major = child_int(svi, "MajorVersion");
		a->minor = child_int(svi, "MinorVersion");
		a->build = child_int(svi, "MajorBuildNumber");
		a->revision = child_int(svi, "MinorBuildNumber");
	}
	if (!(msg = ews_dom_child(body, "GetUserSettingsResponseMessage")) || !(resp = ews_dom_child(msg, "Response")))
		return ews_status_make(EWS_ERR_XML, "autodiscover: the SOAP answer is no GetUserSettings response");
	code = ews_dom_child_text(resp, "ErrorCode");
	if (code && strcmp(code, "NoError")) {
		a->kind = EWS_AD_ERROR;
		snprintf(a->error, sizeof a->error, "%.60s %.180s", code,
			 ews_dom_child_text(resp, "ErrorMessage") ? ews_dom_child_text(resp, "ErrorMessage") : "");
		return ews_status_ok();
	}
	if (!(users = ews_dom_child(resp, "UserResponses")) || !(u = ews_dom_child(users, "UserResponse")))
		return ews_status_make(EWS_ERR_XML, "autodiscover: the SOAP answer has no UserResponse");
	code = ews_dom_child_text(u, "ErrorCode");
	if (code && !strcmp(code, "RedirectAddress")) {
		a->kind = EWS_AD_REDIRECT_ADDR;
		copy(a->target, sizeof a->target, ews_dom_child_text(u, "RedirectTarget"));
	} else if (code && !strcmp(code, "RedirectUrl")) {
		a->kind = EWS_AD_REDIRECT_URL;
		copy(a->target, sizeof a->target, ews_dom_child_text(u, "RedirectTarget"));
	} else if (code && strcmp(code, "NoError")) {
		a->kind = EWS_AD_ERROR;
		snprintf(a->error, sizeof a->error, "%.60s %.180s", code,
			 ews_dom_child_text(u, "ErrorMessage") ? ews_dom_child_text(u, "ErrorMessage") : "");
		return ews_status_ok();
	} else {
		a->kind = EWS_AD_SETTINGS;
		settings = ews_dom_child(u, "UserSettings");
		for (const struct soap_dom_element *s = settings ? settings->elts : NULL; s; s = s->next) {
			const char *name = ews_dom_child_text(s, "Name"), *value = ews_dom_child_text(s, "Value");
			if (!name || !value)
				continue;
			if (!strcmp(name, "InternalEwsUrl"))
				copy(a->internal_url, sizeof a->internal_url, value);
			else if (!strcmp(name, "ExternalEwsUrl"))
				copy(a->external_url, sizeof a->external_url, value);
			else if (!strcmp(name, "CasVersion") && a->major < 0)
				sscanf(value, "%d.%d.%d.%d", &a->major, &a->minor, &a->build, &a->revision);
		}
	}
	if ((a->kind == EWS_AD_REDIRECT_ADDR || a->kind == EWS_AD_REDIRECT_URL) && !a->target[0])
		return ews_status_make(EWS_ERR_XML, "autodiscover: the SOAP answer redirects to nothing");
	return settings_or_error(a, "SOAP");
}

static ews_status parse(const char *body, size_t len, ews_ad_answer *a,
			ews_status (*fn)(const struct soap_dom_element *, ews_ad_answer *))
{
	struct soap *t;
	ews_status st;

	(void)len;
	answer_init(a);
	if (!body)
		return ews_status_make(EWS_ERR_XML, "autodiscover: the answer is empty");
	if (!(t = ews_soap_new(SOAP_C_UTFSTRING | SOAP_XML_NOTYPE)))
		return ews_status_make(EWS_ERR_NOMEM, "out of memory");
	st = fn(parse_dom(t, body), a);
	ews_soap_free(t);
	return st;
}

ews_status ews_ad_parse_pox(const char *body, size_t len, ews_ad_answer *a)
{
	return parse(body, len, a, parse_pox_dom);
}

ews_status ews_ad_parse_soap(const char *body, size_t len, ews_ad_answer *a)
{
	return parse(body, len, a, parse_soap_dom);
}

ews_status ews_autodiscover_decode_server_version(const char *hex, int *major, int *minor, int *build)
{
	unsigned long v;
	char *end;

	if (!hex || strlen(hex) != 8 || !major || !minor || !build)
		return ews_status_make(EWS_ERR_FORMAT, "ServerVersion must be 8 hexadecimal digits");
	v = strtoul(hex, &end, 16);
	if (*end)
		return ews_status_make(EWS_ERR_FORMAT, "ServerVersion must be 8 hexadecimal digits");
	*major = (int)((v >> 22) & 0x3F);
	*minor = (int)((v >> 16) & 0x3F);
	*build = (int)(v & 0x7FFF);
	return ews_status_ok();
}

const char *ews_autodiscover_version_name(int major, int minor, int build)
{
	if (minor < 0)
		return NULL;
	if (major == 8)
		return minor == 0 ? "Exchange2007" : "Exchange2007_SP1";
	if (major == 14)
		return minor == 0 ? "Exchange2010" : minor == 1 ? "Exchange2010_SP1" : "Exchange2010_SP2";
	if (major == 15 && minor == 0)
		return build >= 847 ? "Exchange2013_SP1" : "Exchange2013";
	if (major >= 15)
		return "Exchange2016";
	return NULL;
}
