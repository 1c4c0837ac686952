/* ews_fd.h — writing a whole buffer to a file descriptor (internal to libews).
 *
 * write(2) may write less than asked (a signal, a pipe, a full disk reached midway) and may be interrupted before
 * writing anything (EINTR): every durable file the library writes (manifest, upload journal, atomic files, OAuth2
 * token store) goes through this one loop. Core layer: no generated name here.
 */
#ifndef EWS_FD_H
#define EWS_FD_H

#include <stddef.h>

/* Write all `len` bytes at `p` (borrowed) to `fd`, retrying after EINTR and short writes. Returns 0, or -1 with
 * errno set by the failing write (a write of 0 bytes counts as failing: errno is then left as it was). */
int ews_fd_write_all(int fd, const void *p, size_t len);

#endif
