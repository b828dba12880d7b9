/* SPDX-License-Identifier: ISC */
/* The control server's listening socket: bound safely, or adopted from systemd. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "control_internal.h"

#define LISTEN_BACKLOG 128

static int fill_address(struct sockaddr_un *address, const char *path, char *err, size_t err_size)
{
	memset(address, 0, sizeof(*address));
	address->sun_family = AF_UNIX;
	if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(address->sun_path)) {
		snprintf(err, err_size, "control socket path %s is empty or too long",
		         path ? path : "(null)");
		return -1;
	}
	memcpy(address->sun_path, path, strlen(path) + 1);
	return 0;
}

/* A live daemon keeps its socket: only a path nobody answers on may be unlinked. */
static int remove_stale(const struct sockaddr_un *address, char *err, size_t err_size)
{
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0) {
		snprintf(err, err_size, "socket: %s", strerror(errno));
		return -1;
	}
	int rc = connect(probe, (const struct sockaddr *)address, sizeof(*address));
	int saved = errno;
	close(probe);
	if (rc == 0) {
		snprintf(err, err_size, "%s is in use by a running daemon", address->sun_path);
		return -1;
	}
	if (saved == ENOENT)
		return 0;
	if (saved != ECONNREFUSED) {
		snprintf(err, err_size, "%s: %s", address->sun_path, strerror(saved));
		return -1;
	}
	struct stat st;
	if (lstat(address->sun_path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		snprintf(err, err_size, "%s exists and is not a socket", address->sun_path);
		return -1;
	}
	if (unlink(address->sun_path) < 0 && errno != ENOENT) {
		snprintf(err, err_size, "unlink %s: %s", address->sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

int control_listen_chgrp(const char *path, gid_t gid, char *err, size_t err_size)
{
	if (chmod(path, 0660) < 0 || (gid != (gid_t)-1 && chown(path, (uid_t)-1, gid) < 0)) {
		snprintf(err, err_size, "chmod/chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Bound under a umask so the socket is never reachable with wider modes, even briefly. */
static int bind_listen(int fd, const struct sockaddr_un *address, char *err, size_t err_size)
{
	mode_t old_mask = umask(0117);
	int rc = bind(fd, (const struct sockaddr *)address, sizeof(*address));
	int saved = errno;
	umask(old_mask);
	if (rc < 0) {
		snprintf(err, err_size, "bind %s: %s", address->sun_path, strerror(saved));
		return -1;
	}
	if (listen(fd, LISTEN_BACKLOG) < 0) {
		snprintf(err, err_size, "listen %s: %s", address->sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

int control_listen_path(const char *path, gid_t gid, char *err, size_t err_size)
{
	struct sockaddr_un address;
	if (fill_address(&address, path, err, err_size) < 0 ||
	    remove_stale(&address, err, err_size) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, err_size, "socket: %s", strerror(errno));
		return -1;
	}
	if (bind_listen(fd, &address, err, err_size) < 0) {
		close(fd);
		return -1;
	}
	if (control_listen_chgrp(path, gid, err, err_size) < 0) {
		close(fd);
		unlink(path);
		return -1;
	}
	return fd;
}

int control_listen_systemd(char *err, size_t err_size)
{
	int n = sd_listen_fds(1);
	if (n <= 0)
		return -1;
	int fd = SD_LISTEN_FDS_START;
	if (n > 1 || sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) <= 0) {
		snprintf(err, err_size,
		         "systemd passed %d sockets; expected one UNIX stream socket", n);
		return -2;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		snprintf(err, err_size, "fcntl on the systemd socket: %s", strerror(errno));
		return -2;
	}
	return fd;
}
