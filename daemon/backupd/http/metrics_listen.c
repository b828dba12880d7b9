/* SPDX-License-Identifier: ISC */
/* Listening sockets made by hand rather than by evhttp_bind_socket: a numeric address needs no
 * resolver, and a failure can say exactly which address and why. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "metrics_listen.h"

void metrics_listen_format(const struct listen_address *address, char *buf, size_t size)
{
	snprintf(buf, size, address->family == AF_INET6 ? "[%s]:%u" : "%s:%u", address->host,
	         (unsigned)address->port);
}

bool metrics_listen_same(const struct listen_address *a, const struct listen_address *b)
{
	return a->family == b->family && a->port == b->port && strcmp(a->host, b->host) == 0;
}

static socklen_t sockaddr_of(const struct listen_address *address, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (address->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(address->port);
		inet_pton(AF_INET6, address->host, &in6->sin6_addr);
		return sizeof(*in6);
	}
	struct sockaddr_in *in = (struct sockaddr_in *)out;
	in->sin_family = AF_INET;
	in->sin_port = htons(address->port);
	inet_pton(AF_INET, address->host, &in->sin_addr);
	return sizeof(*in);
}

int metrics_listen_open(const struct listen_address *address, char *err, size_t err_size)
{
	struct sockaddr_storage sa;
	socklen_t length = sockaddr_of(address, &sa);
	char shown[LISTEN_HOST_MAX + 10];
	int one = 1;
	int defer_s = METRICS_DEFER_ACCEPT_S;
	int fd = socket(address->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	metrics_listen_format(address, shown, sizeof(shown));
	if (fd < 0) {
		snprintf(err, err_size, "cannot listen on %s: socket: %s", shown, strerror(errno));
		return -1;
	}
	/* [::] takes IPv6 only, so that 0.0.0.0 can be listed beside it. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (address->family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof(defer_s)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, length) < 0 ||
	    listen(fd, METRICS_LISTEN_BACKLOG) < 0) {
		snprintf(err, err_size, "cannot listen on %s: %s", shown, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void metrics_listen_describe(const struct listen_address *const *addresses, int n, char *buf,
                             size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	if (n == 0) {
		snprintf(buf, size, "nothing");
		return;
	}
	for (int i = 0; i < n && used < size; i++) {
		char one[LISTEN_HOST_MAX + 10];
		metrics_listen_format(addresses[i], one, sizeof(one));
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", one);
	}
}
