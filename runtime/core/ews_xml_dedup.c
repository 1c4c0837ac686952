/* ews_xml_dedup.c — drop repeated attributes from start tags of gSOAP-written XML (see ews_xml_dedup.h). */
#include <string.h>

#include "ews_xml_dedup.h"

#define MAX_ATTRS 64    /* per start tag; beyond that, later attributes are not compared (gSOAP writes few) */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ends_name(char c)
{
	return !c || is_space(c) || c == '=' || c == '>' || c == '/';
}

size_t ews_xml_drop_duplicate_attributes(char *xml, size_t len)
{
	size_t i = 0, o = 0;

	while (i < len) {
		/* copy up to and including the next '<' */
		char c = xml[i++];
		xml[o++] = c;
		if (c != '<' || i >= len || xml[i] == '/' || xml[i] == '?' || xml[i] == '!')
			continue;
		/* the element name */
		while (i < len && !ends_name(xml[i]))
			xml[o++] = xml[i++];
		/* attributes: [space] name = "value" */
		size_t names[MAX_ATTRS], lens[MAX_ATTRS];
		int n = 0;
		for (;;) {
			size_t ws = i, name, name_len, end;
			while (i < len && is_space(xml[i]))
				i++;
			if (i >= len || xml[i] == '>' || xml[i] == '/') {
				memmove(xml + o, xml + ws, i - ws);
				o += i - ws;
				break;
			}
			name = i;
			while (i < len && !ends_name(xml[i]))
				i++;
			name_len = i - name;
			if (name_len == 0) {        /* not an attribute ('=' or a quote out of place): copy it, go on */
				i++;
				memmove(xml + o, xml + ws, i - ws);
				o += i - ws;
				continue;
			}
			end = i;
			if (end < len && xml[end] == '=' && end + 1 < len && (xml[end + 1] == '"' || xml[end + 1] == '\'')) {
				const char *q = memchr(xml + end + 2, xml[end + 1], len - (end + 2));
				end = q ? (size_t)(q - xml) + 1 : len;
			}
			int dup = 0;
			for (int k = 0; k < n && !dup; k++)
				dup = lens[k] == name_len && !memcmp(xml + names[k], xml + name, name_len);
			if (!dup) {
				/* keep it: copy white space, name and value down to o */
				size_t at = o + (name - ws);
				memmove(xml + o, xml + ws, end - ws);
				if (n < MAX_ATTRS) {
					names[n] = at;
					lens[n++] = name_len;
				}
				o += end - ws;
			}
			i = end;
		}
	}
	xml[o] = '\0';
	return o;
}
