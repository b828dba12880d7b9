/* SPDX-License-Identifier: ISC */
/* Raw sockets rather than evhttp, so that a hang really hangs and a close really cuts a
 * response in half. One connection at a time; every response closes its connection. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "feed_test_server.h"

#define OVERSIZE_BYTES (2 * 1024 * 1024)

/* One accepted connection, in the clear or inside TLS. */
struct conn {
	int fd;
	SSL *ssl;
};

static ssize_t conn_send(const struct conn *conn, const char *data, size_t len)
{
	if (conn->ssl)
		return SSL_write(conn->ssl, data, (int)(len > 65536 ? 65536 : len));
	return send(conn->fd, data, len, MSG_NOSIGNAL);
}

static ssize_t conn_recv(const struct conn *conn, char *buf, size_t len)
{
	if (conn->ssl)
		return SSL_read(conn->ssl, buf, (int)len);
	return recv(conn->fd, buf, len, 0);
}

static void send_all(const struct conn *fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = conn_send(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* the client gave up: expected in the oversize cases */
		data += n;
		len -= (size_t)n;
	}
}

static void send_text(const struct conn *fd, const char *text)
{
	send_all(fd, text, strlen(text));
}

static void header_value(const char *request, const char *name, char *dst, size_t dst_size)
{
	const char *p = strcasestr(request, name);
	size_t n = 0;

	dst[0] = '\0';
	if (!p)
		return;
	p += strlen(name);
	while (*p == ' ')
		p++;
	while (p[n] && p[n] != '\r' && n + 1 < dst_size)
		n++;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

static int read_request(const struct conn *conn, char *buf, size_t size)
{
	size_t len = 0;
	struct pollfd pfd = {.fd = conn->fd, .events = POLLIN};

	while (len + 1 < size &&
	       ((conn->ssl && SSL_pending(conn->ssl) > 0) || poll(&pfd, 1, 2000) == 1)) {
		ssize_t n = conn_recv(conn, buf + len, size - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			return 0;
	}
	return -1;
}

static void send_oversize(const struct conn *fd, bool with_length)
{
	char chunk[16384];
	char head[160];

	memset(chunk, ' ', sizeof(chunk));
	if (with_length)
		snprintf(head, sizeof(head),
		         "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n",
		         OVERSIZE_BYTES);
	else
		snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
	send_text(fd, head);
	for (int sent = 0; sent < OVERSIZE_BYTES; sent += (int)sizeof(chunk))
		send_all(fd, chunk, sizeof(chunk));
}

static void send_feed(const struct conn *fd, const struct test_server *snapshot, bool partial)
{
	char head[512];

	if (!partial && snapshot->etag[0] && strcmp(snapshot->if_none_match, snapshot->etag) == 0) {
		snprintf(head, sizeof(head),
		         "HTTP/1.1 304 Not Modified\r\nETag: %s\r\nConnection: close\r\n\r\n",
		         snapshot->etag);
		send_text(fd, head);
		return;
	}
	snprintf(head, sizeof(head),
	         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "ETag: %s\r\nLast-Modified: " TEST_SERVER_LAST_MODIFIED
	         "\r\nConnection: close\r\n\r\n",
	         snapshot->body_len, snapshot->etag);
	send_text(fd, head);
	send_all(fd, snapshot->body, partial ? snapshot->body_len / 2 : snapshot->body_len);
}

static void wait_for_wake(struct test_server *server)
{
	struct pollfd pfd = {.fd = server->wake[0], .events = POLLIN};
	char byte;

	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	if (read(server->wake[0], &byte, 1) < 0)
		return;
}

static void answer(struct test_server *server, const struct conn *fd)
{
	char request[4096];
	struct test_server snapshot;

	if (read_request(fd, request, sizeof(request)) != 0)
		return;
	pthread_mutex_lock(&server->lock);
	server->requests++;
	header_value(request, "\r\nIf-None-Match:", server->if_none_match,
	             sizeof(server->if_none_match));
	header_value(request, "\r\nIf-Modified-Since:", server->if_modified_since,
	             sizeof(server->if_modified_since));
	memcpy(&snapshot, server, sizeof(snapshot)); /* the fields we read are plain data */
	pthread_mutex_unlock(&server->lock);

	switch (snapshot.mode) {
	case SERVE_FEED:
		send_feed(fd, &snapshot, false);
		break;
	case SERVE_500:
		send_text(fd, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n"
		              "Connection: close\r\n\r\noops\n");
		break;
	case SERVE_HANG:
		wait_for_wake(server);
		break;
	case SERVE_CLOSE_MID_BODY:
		send_feed(fd, &snapshot, true);
		break;
	case SERVE_OVERSIZE:
	case SERVE_OVERSIZE_NO_LENGTH:
		send_oversize(fd, snapshot.mode == SERVE_OVERSIZE);
		break;
	case SERVE_REDIRECT: {
		char head[sizeof(snapshot.body) + 128];
		snprintf(head, sizeof(head),
		         "HTTP/1.1 302 Found\r\nLocation: %.*s\r\nContent-Length: 0\r\n"
		         "Connection: close\r\n\r\n",
		         (int)snapshot.body_len, snapshot.body);
		send_text(fd, head);
		break;
	}
	}
}

static bool should_stop(struct test_server *server)
{
	bool stop;

	pthread_mutex_lock(&server->lock);
	stop = server->stop;
	pthread_mutex_unlock(&server->lock);
	return stop;
}

static void *serve(void *arg)
{
	struct test_server *server = arg;
	struct pollfd fds[2] = {{.fd = server->listen_fd, .events = POLLIN},
	                        {.fd = server->wake[0], .events = POLLIN}};

	while (!should_stop(server)) {
		if (poll(fds, 2, -1) < 0)
			continue;
		if (fds[1].revents) {
			char byte;
			if (read(server->wake[0], &byte, 1) < 0)
				break;
			continue;
		}
		struct conn conn = {.fd = accept(server->listen_fd, NULL, NULL)};
		struct timeval patience = {2, 0};
		if (conn.fd < 0)
			continue;
		setsockopt(conn.fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof(patience));
		if (server->tls) {
			conn.ssl = SSL_new(server->tls);
			SSL_set_fd(conn.ssl, conn.fd);
		}
		if (!conn.ssl || SSL_accept(conn.ssl) == 1) /* a client refusing our cert: no */
			answer(server, &conn);
		if (conn.ssl) {
			SSL_shutdown(conn.ssl);
			SSL_free(conn.ssl);
		}
		close(conn.fd);
	}
	return NULL;
}

static int listen_loopback(int port, int *out_port)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	socklen_t addr_len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 || listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &addr_len) != 0) {
		close(fd);
		return -1;
	}
	*out_port = ntohs(addr.sin_port);
	return fd;
}

static int start(struct test_server *server, int port, SSL_CTX *tls)
{
	memset(server, 0, sizeof(*server));
	server->tls = tls;
	pthread_mutex_init(&server->lock, NULL);
	server->listen_fd = listen_loopback(port, &server->port);
	if (server->listen_fd < 0 || pipe(server->wake) != 0)
		return -1;
	return pthread_create(&server->thread, NULL, serve, server) == 0 ? 0 : -1;
}

int test_server_start(struct test_server *server, int port)
{
	return start(server, port, NULL);
}

int test_server_start_tls(struct test_server *server, int port, const char *cert_path,
                          const char *key_path)
{
	SSL_CTX *tls = SSL_CTX_new(TLS_server_method());

	if (!tls || SSL_CTX_use_certificate_file(tls, cert_path, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_use_PrivateKey_file(tls, key_path, SSL_FILETYPE_PEM) != 1) {
		SSL_CTX_free(tls);
		return -1;
	}
	return start(server, port, tls);
}

static void wake(struct test_server *server)
{
	if (write(server->wake[1], "w", 1) != 1)
		perror("test server wake");
}

void test_server_stop(struct test_server *server)
{
	pthread_mutex_lock(&server->lock);
	server->stop = true;
	pthread_mutex_unlock(&server->lock);
	wake(server);
	pthread_join(server->thread, NULL);
	close(server->listen_fd);
	close(server->wake[0]);
	close(server->wake[1]);
	pthread_mutex_destroy(&server->lock);
	SSL_CTX_free(server->tls);
}

void test_server_serve(struct test_server *server, enum server_mode mode, const char *body,
                       size_t body_len, const char *etag)
{
	bool was_hanging;

	pthread_mutex_lock(&server->lock);
	was_hanging = server->mode == SERVE_HANG;
	server->mode = mode;
	if (body_len > sizeof(server->body))
		body_len = sizeof(server->body);
	memcpy(server->body, body, body_len);
	server->body_len = body_len;
	snprintf(server->etag, sizeof(server->etag), "%s", etag);
	pthread_mutex_unlock(&server->lock);
	if (was_hanging)
		wake(server); /* release the connection it holds */
}

void test_server_last_request(struct test_server *server, int *requests, char *if_none_match,
                              size_t inm_size, char *if_modified_since, size_t ims_size)
{
	pthread_mutex_lock(&server->lock);
	*requests = server->requests;
	snprintf(if_none_match, inm_size, "%s", server->if_none_match);
	snprintf(if_modified_since, ims_size, "%s", server->if_modified_since);
	pthread_mutex_unlock(&server->lock);
}
