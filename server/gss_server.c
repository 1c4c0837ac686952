/* gss_server.c — ewsd's Negotiate acceptor: a SPNEGO (or raw Kerberos) token from "Authorization: Negotiate",
 * verified with gss_accept_sec_context against the keytab's service keys (HTTP/host@REALM), the client's
 * principal, and the token of the final answer (mutual authentication). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "ews/base64.h"
#include "gss_server.h"

#define MAX_TOKEN_BYTES 65536

static void gss_text(OM_uint32 major, OM_uint32 minor, char *buf, size_t n)
{
	OM_uint32 ctx = 0, m;
	gss_buffer_desc s;
	size_t used = 0;

	buf[0] = '\0';
	do {
		if (GSS_ERROR(gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &s)))
			break;
		used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%.*s", used ? ", " : "",
		                         (int)s.length, (const char *)s.value);
		gss_release_buffer(&m, &s);
	} while (ctx && used < n);
	ctx = 0;
	if (minor)
		do {
			if (GSS_ERROR(gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &s)))
				break;
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, ": %.*s", (int)s.length,
			                         (const char *)s.value);
			gss_release_buffer(&m, &s);
		} while (ctx && used < n);
}

int ewsd_gss_configure(const char *keytab, char *why, size_t n)
{
	OM_uint32 major;
	const char *path = keytab && !strncmp(keytab, "FILE:", 5) ? keytab + 5 : keytab;
	FILE *f;

	if (!keytab)
		return 0;       /* KRB5_KTNAME or the default keytab, read by GSSAPI itself */
	f = fopen(path, "rb");
	if (!f) {
		snprintf(why, n, "cannot read the keytab %s", path);
		return -1;
	}
	fclose(f);
	major = krb5_gss_register_acceptor_identity(path);
	if (GSS_ERROR(major)) {
		snprintf(why, n, "GSSAPI refuses the keytab %s", path);
		return -1;
	}
	return 0;
}

int ewsd_gss_accept(const char *token_b64, char *principal, size_t pn, char **reply, char *why, size_t wn)
{
	OM_uint32 major, minor, m;
	gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
	gss_name_t src = GSS_C_NO_NAME;
	gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER, shown = GSS_C_EMPTY_BUFFER;
	unsigned char *raw = NULL;
	size_t len = 0;
	char text[512];
	int rc = -1;

	*reply = NULL;
	principal[0] = '\0';
	while (*token_b64 == ' ')
		token_b64++;
	if (!*token_b64) {
		snprintf(why, wn, "an empty Negotiate token");
		return -1;
	}
	if (!ews_ok(ews_base64_decode(token_b64, MAX_TOKEN_BYTES, &raw, &len)) || len == 0) {
		snprintf(why, wn, "the Negotiate token is not base64 (or larger than %d bytes)", MAX_TOKEN_BYTES);
		return -1;
	}
	in.value = raw;
	in.length = len;
	major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in, GSS_C_NO_CHANNEL_BINDINGS, &src, NULL,
	                               &out, NULL, NULL, NULL);
	free(raw);
	if (GSS_ERROR(major)) {
		gss_text(major, minor, text, sizeof text);
		snprintf(why, wn, "GSSAPI refused the token: %s", text);
		goto out;
	}
	if (major != GSS_S_COMPLETE) {
		/* SPNEGO wanting another round: the client's first token was not for a mechanism we accept */
		snprintf(why, wn, "the token does not complete the exchange in one round (no Kerberos mechanism in it?)");
		goto out;
	}
	major = gss_display_name(&minor, src, &shown, NULL);
	if (GSS_ERROR(major) || shown.length == 0 || shown.length >= pn) {
		snprintf(why, wn, "the client's principal name cannot be shown");
		goto out;
	}
	memcpy(principal, shown.value, shown.length);
	principal[shown.length] = '\0';
	if (out.length && !ews_ok(ews_base64_encode(out.value, out.length, reply))) {
		snprintf(why, wn, "out of memory");
		principal[0] = '\0';
		goto out;
	}
	rc = 0;
out:
	gss_release_buffer(&m, &shown);
	gss_release_buffer(&m, &out);
	gss_release_name(&m, &src);
	if (ctx != GSS_C_NO_CONTEXT)
		gss_delete_sec_context(&m, &ctx, GSS_C_NO_BUFFER);
	return rc;
}
