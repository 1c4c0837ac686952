/* ews_fd.c — writing a whole buffer to a file descriptor (ews_fd.h). */
#include "ews_fd.h"

#include <errno.h>
#include <unistd.h>

int ews_fd_write_all(int fd, const void *p, size_t len)
{
	const char *at = p;

	while (len) {
		ssize_t w = write(fd, at, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		at += w;
		len -= (size_t)w;
	}
	return 0;
}
