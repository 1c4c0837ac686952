/* ews_json.h — read one member of a flat JSON object (OAuth2 token answers); internal. */
#ifndef EWS_JSON_H
#define EWS_JSON_H

#include <stddef.h>

/* Kinds of member values ews_json_member reports. */
enum ews_json_kind { EWS_JSON_ABSENT = 0, EWS_JSON_STRING, EWS_JSON_NUMBER, EWS_JSON_OTHER, EWS_JSON_INVALID };

/* Look up `key` among the members of the top-level object in json[0..len). The whole text is validated first
 * (nesting capped at 32): EWS_JSON_INVALID when it is not one well-formed object. For a string member *str is
 * the unescaped UTF-8 value (malloc'd, caller frees; NUL inside refused as invalid); for a number, *num holds
 * it (integers up to 2^53 exactly). Either pointer may be NULL. */
enum ews_json_kind ews_json_member(const char *json, size_t len, const char *key, char **str, double *num);

#endif
