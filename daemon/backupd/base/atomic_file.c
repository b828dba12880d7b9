/* SPDX-License-Identifier: ISC */
/* atomic_file: whole-file replacement and setting aside (atomic_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"

static int fsync_directory(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Ends a failed write: the temp file goes, and errno is the first failure's, not unlink's. */
static int drop_temp(const char *tmp_path, int first_errno)
{
	unlink(tmp_path);
	errno = first_errno;
	return -1;
}

/* Writes data to a new temp file in dir; on success *tmp_path names it. */
static int write_temp(const char *dir, const char *name, const char *data, size_t len,
                      char *tmp_path, size_t size)
{
	int fd, first_errno = 0;
	FILE *f;

	snprintf(tmp_path, size, "%s/.%s.XXXXXX", dir, name);
	fd = mkostemp(tmp_path, O_CLOEXEC);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		first_errno = errno;
		close(fd);
		return drop_temp(tmp_path, first_errno);
	}
	errno = 0;
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0)
		first_errno = errno ? errno : EIO;
	if (fclose(f) != 0 && !first_errno)
		first_errno = errno;
	return first_errno ? drop_temp(tmp_path, first_errno) : 0;
}

int atomic_file_write(const char *dir, const char *name, const char *data, size_t len, char *err,
                      size_t err_size)
{
	char tmp_path[PATH_MAX], path[PATH_MAX];
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (write_temp(dir, name, data, len, tmp_path, sizeof(tmp_path)) < 0)
		snprintf(err, err_size, "%s: cannot write a temp file: %s", dir, strerror(errno));
	else if (rename(tmp_path, path) < 0) {
		snprintf(err, err_size, "%s: cannot rename %s: %s", path, tmp_path,
		         strerror(errno));
		unlink(tmp_path);
	} else if (fsync_directory(dir) < 0)
		snprintf(err, err_size, "%s: cannot fsync the directory: %s", dir, strerror(errno));
	else
		rc = 0;
	return rc;
}

int atomic_file_set_aside(const char *path, char *aside, size_t aside_size)
{
	snprintf(aside, aside_size, "%s.corrupt-%lld", path, (long long)time(NULL));
	return rename(path, aside);
}
