/* SPDX-License-Identifier: ISC */
/* See metrics_fair.h. */
#include <netinet/in.h>
#include <string.h>
#include <sys/ioctl.h>

#include "metrics_fair.h"

void metrics_peer_of(int fd, struct metrics_peer *peer)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	memset(peer, 0, sizeof(*peer));
	peer->family = AF_UNSPEC;
	if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
		memcpy(peer->addr, &in->sin_addr, sizeof(in->sin_addr));
		peer->family = AF_INET;
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
		memcpy(peer->addr, &in6->sin6_addr, sizeof(in6->sin6_addr));
		peer->family = AF_INET6;
	}
}

bool metrics_peer_same(const struct metrics_peer *a, const struct metrics_peer *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

int metrics_fair_share(int max_connections)
{
	return max_connections / 2 > 0 ? max_connections / 2 : 1;
}

bool metrics_fair_input_waiting(int fd)
{
	int n = 0;
	return fd >= 0 && ioctl(fd, FIONREAD, &n) == 0 && n > 0;
}

bool metrics_fair_may_evict(enum metrics_progress newcomer, enum metrics_progress victim,
                            int64_t age_ms)
{
	if (victim == METRICS_REQUESTED)
		return false;
	if (newcomer == METRICS_SILENT)
		return victim == METRICS_SILENT && age_ms >= METRICS_SILENT_GRACE_MS;
	return true;
}
