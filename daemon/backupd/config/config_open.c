/* SPDX-License-Identifier: ISC */
/* A FIFO, a device or a directory in the configuration's place is refused at once: opened
 * with O_NONBLOCK and checked with fstat before a byte is read, so neither open nor read can
 * hang --check-config or the event loop on SIGHUP. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_open.h"

static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

static FILE *refuse(int fd, int error, char *why, size_t why_size, const char *text)
{
	if (fd >= 0)
		close(fd);
	snprintf(why, why_size, "%s", text);
	errno = error;
	return NULL;
}

FILE *config_open_regular(const char *path, char *why, size_t why_size)
{
	char text[160];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		int error = errno;
		snprintf(text, sizeof(text), "cannot open: %s", strerror(error));
		return refuse(fd, error, why, why_size, text);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(text, sizeof(text), "not a regular file (%s); refused",
		         file_kind(st.st_mode));
		return refuse(fd, EINVAL, why, why_size, text);
	}
	FILE *file = fdopen(fd, "r");
	if (file == NULL) {
		int error = errno;
		snprintf(text, sizeof(text), "cannot open: %s", strerror(error));
		return refuse(fd, error, why, why_size, text);
	}
	return file;
}
