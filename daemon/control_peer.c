/* Who may use the control socket: root and the members of one group. */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_internal.h"

#define NSS_BUFFER_SIZE 16384
#define GROUPS_MAX      1024
#define REFUSALS_MAX    4096

int control_peer_resolve_group(const char *group, gid_t *gid)
{
	*gid = (gid_t)-1;
	if (group == NULL || group[0] == '\0')
		return 0;
	struct group entry;
	struct group *found = NULL;
	char buffer[NSS_BUFFER_SIZE];
	if (getgrnam_r(group, &entry, buffer, sizeof(buffer), &found) != 0 || found == NULL)
		return -1;
	*gid = found->gr_gid;
	return 0;
}

/* Supplementary membership as the system sees it for the peer's user name. */
static bool user_in_group(uid_t uid, gid_t gid)
{
	struct passwd entry;
	struct passwd *found = NULL;
	char buffer[NSS_BUFFER_SIZE];
	if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) != 0 || found == NULL)
		return false;
	gid_t groups[GROUPS_MAX];
	int n = GROUPS_MAX;
	if (getgrouplist(found->pw_name, found->pw_gid, groups, &n) < 0)
		return false;
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

bool control_peer_allowed(uid_t uid, gid_t primary_gid, gid_t gid)
{
	if (uid == 0)
		return true;
	if (gid == (gid_t)-1)
		return false;
	return primary_gid == gid || user_in_group(uid, gid);
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
