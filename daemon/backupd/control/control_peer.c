/* SPDX-License-Identifier: ISC */
/* Who may use the control socket (root and the members of one group), and how often its
 * refusals are logged. */
#include <errno.h>
#include <grp.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_internal.h"

#define NSS_BUFFER_SIZE 16384
#define NSS_BUFFER_MAX  (16384 * 64)
#define GROUPS_MAX      1024
#define REFUSALS_MAX    4096

int control_peer_resolve_group(const char *group, gid_t *gid)
{
	*gid = (gid_t)-1;
	if (group == NULL || group[0] == '\0')
		return 0;
	/* A large group needs a large buffer: grow on ERANGE instead of calling it unknown. */
	for (size_t size = NSS_BUFFER_SIZE; size <= NSS_BUFFER_MAX; size *= 4) {
		struct group entry;
		struct group *found = NULL;
		char *buffer = malloc(size);
		if (buffer == NULL)
			return -1;
		int rc = getgrnam_r(group, &entry, buffer, size, &found);
		if (rc == 0 && found != NULL)
			*gid = found->gr_gid;
		free(buffer);
		if (rc != ERANGE)
			return *gid == (gid_t)-1 ? -1 : 0;
	}
	return -1;
}

/* Supplementary groups as the kernel holds them for the peer (SO_PEERGROUPS, read at
 * connect time): no user-database lookup, so nothing here can block the loop on NSS. */
static bool peer_in_group(int fd, gid_t gid)
{
	gid_t groups[GROUPS_MAX];
	socklen_t len = sizeof(groups);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			return true;
	return false;
}

bool control_peer_allowed(int fd, uid_t uid, gid_t primary_gid, gid_t gid)
{
	if (uid == 0)
		return true;
	if (gid == (gid_t)-1)
		return false;
	return primary_gid == gid || peer_in_group(fd, gid);
}

bool control_refusals_first(struct control_refusals *refusals, uid_t uid)
{
	for (size_t i = 0; i < refusals->n; i++)
		if (refusals->uids[i] == uid)
			return false;
	if (refusals->n == REFUSALS_MAX)
		return false;
	if (refusals->n == refusals->cap) {
		size_t cap = refusals->cap ? refusals->cap * 2 : 16;
		uid_t *uids = realloc(refusals->uids, cap * sizeof(*uids));
		if (uids == NULL)
			return true; /* log it again rather than lose the line */
		refusals->uids = uids;
		refusals->cap = cap;
	}
	refusals->uids[refusals->n++] = uid;
	return true;
}

void control_refusals_clear(struct control_refusals *refusals)
{
	free(refusals->uids);
	memset(refusals, 0, sizeof(*refusals));
}

bool control_throttle_pass(struct control_throttle *throttle, int64_t now_ms, unsigned *suppressed)
{
	if (throttle->last_ms != 0 && now_ms - throttle->last_ms < CONTROL_THROTTLE_WINDOW_MS) {
		throttle->suppressed++;
		return false;
	}
	*suppressed = throttle->suppressed;
	throttle->suppressed = 0;
	throttle->last_ms = now_ms;
	return true;
}
