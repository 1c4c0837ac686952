/* fuzz.h — what every libFuzzer harness of tests/fuzz shares: the entry point's prototype and a check that
 * turns a broken invariant into a finding (abort: libFuzzer saves the input as crash-*). */
#ifndef EWS_FUZZ_H
#define EWS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant the code under test promises (a round trip, a documented output shape). */
#define FUZZ_CHECK(cond, ...)                                                                         \
	do {                                                                                          \
		if (!(cond)) {                                                                        \
			fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                                                 \
			fputc('\n', stderr);                                                          \
			abort();                                                                      \
		}                                                                                     \
	} while (0)

/* The input as a NUL-terminated string (malloc'd; the caller frees). Embedded NULs end the string early, as
 * they would for any C caller; NULL only when out of memory. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

#endif
