/* SPDX-License-Identifier: ISC */
/* Compares backupd.conf with what the systemd units decide (unit_check.h says why). */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit_check.h"
#include "xmalloc.h"

#define GROUP_BUFFER 16384

static void group_name(gid_t gid, char *name, size_t size)
{
	char buffer[GROUP_BUFFER];
	struct group entry, *found = NULL;
	if (getgrgid_r(gid, &entry, buffer, sizeof(buffer), &found) == 0 && found != NULL)
		strlcpy_safe(name, found->gr_name, size);
	else
		snprintf(name, size, "%u", (unsigned)gid);
}

void unit_socket_facts(int fd, struct unit_facts *facts)
{
	memset(facts, 0, sizeof(*facts));
	struct sockaddr_un address;
	socklen_t length = sizeof(address);
	struct stat st;
	memset(&address, 0, sizeof(address));
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&address, &length) < 0 ||
	    address.sun_family != AF_UNIX || address.sun_path[0] == '\0')
		return;
	strlcpy_safe(facts->socket_path, address.sun_path, sizeof(facts->socket_path));
	if (stat(address.sun_path, &st) == 0)
		group_name(st.st_gid, facts->socket_group, sizeof(facts->socket_group));
}

/* Under ProtectSystem=strict a directory outside the unit's writable paths is on a
 * read-only mount: access() says EROFS. A missing one is the daemon's own business. */
static bool unwritable(const char *directory)
{
	return access(directory, W_OK) < 0 && errno == EROFS;
}

void unit_facts_from_service(const struct unit_facts *socket, const struct backupd_config *config,
                             struct unit_facts *facts)
{
	memset(facts, 0, sizeof(*facts));
	strlcpy_safe(facts->socket_path, socket->socket_path, sizeof(facts->socket_path));
	strlcpy_safe(facts->socket_group, socket->socket_group, sizeof(facts->socket_group));
	const char *state = getenv("STATE_DIRECTORY");
	if (state != NULL)
		strlcpy_safe(facts->writable_dirs, state, sizeof(facts->writable_dirs));
	facts->state_dir_unwritable = unwritable(config->state_directory);
}

/* Two spellings of one place (/var/run and /run) are the same socket. */
static bool same_path(const char *a, const char *b)
{
	char real_a[PATH_MAX], real_b[PATH_MAX];
	if (strcmp(a, b) == 0)
		return true;
	return realpath(a, real_a) != NULL && realpath(b, real_b) != NULL &&
	       strcmp(real_a, real_b) == 0;
}

/* path equals a listed directory or lies below one. */
static bool under_any(const char *path, const char *list)
{
	size_t path_length = strlen(path);
	for (const char *start = list; *start != '\0';) {
		size_t length = strcspn(start, ":");
		while (length > 1 && start[length - 1] == '/')
			length--;
		if (length > 0 && length <= path_length && strncmp(path, start, length) == 0 &&
		    (path[length] == '\0' || path[length] == '/' || length == 1))
			return true;
		start += strcspn(start, ":");
		start += *start == ':';
	}
	return false;
}

static int check_socket_path(const struct backupd_config *config, const struct unit_facts *facts,
                             unit_warn_fn warn, void *arg)
{
	char message[2048];
	if (facts->socket_path[0] == '\0' || same_path(config->control_socket, facts->socket_path))
		return 0;
	snprintf(message, sizeof(message),
	         "ControlSocket=%s is not used: systemd passes the control socket %s "
	         "(ListenStream= of backupd.socket), and backupd listens there. To move it, run "
	         "\"systemctl edit backupd.socket\", add \"[Socket]\", \"ListenStream=\" and "
	         "\"ListenStream=%s\", then \"systemctl restart backupd.socket backupd.service\"",
	         config->control_socket, facts->socket_path, config->control_socket);
	warn(arg, message);
	return 1;
}

static int check_socket_group(const struct backupd_config *config, const struct unit_facts *facts,
                              unit_warn_fn warn, void *arg)
{
	char message[2048];
	if (facts->socket_group[0] == '\0' ||
	    strcmp(config->control_group, facts->socket_group) == 0)
		return 0;
	snprintf(message, sizeof(message),
	         "ControlGroup=%s differs from the group of the control socket systemd passes "
	         "(%s, SocketGroup= of backupd.socket): the kernel refuses members of %s before "
	         "backupd sees them, and backupd refuses members of %s. Run \"systemctl edit "
	         "backupd.socket\", add \"[Socket]\" and \"SocketGroup=%s\", then \"systemctl "
	         "restart backupd.socket backupd.service\"",
	         config->control_group, facts->socket_group, config->control_group,
	         facts->socket_group, config->control_group);
	warn(arg, message);
	return 1;
}

static int check_state_directory(const struct backupd_config *config,
                                 const struct unit_facts *facts, unit_warn_fn warn, void *arg)
{
	char message[2048];
	bool outside = facts->writable_dirs[0] != '\0' &&
	               !under_any(config->state_directory, facts->writable_dirs);
	if (!outside && !facts->state_dir_unwritable)
		return 0;
	snprintf(message, sizeof(message),
	         "StateDirectory=%s is %s under backupd.service (ProtectSystem=strict; writable: "
	         "%s): verdicts and alert state would not survive a restart. Run \"systemctl edit "
	         "backupd.service\", add \"[Service]\" and \"ReadWritePaths=%s\", then "
	         "\"systemctl restart backupd.service\"",
	         config->state_directory,
	         facts->state_dir_unwritable ? "read-only" : "not writable",
	         facts->writable_dirs[0] ? facts->writable_dirs : "/var/lib/backupd",
	         config->state_directory);
	warn(arg, message);
	return 1;
}

int unit_check(const struct backupd_config *config, const struct unit_facts *facts,
               unit_warn_fn warn, void *arg)
{
	return check_socket_path(config, facts, warn, arg) +
	       check_socket_group(config, facts, warn, arg) +
	       check_state_directory(config, facts, warn, arg);
}
