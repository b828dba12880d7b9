/* SPDX-License-Identifier: ISC */
/* A loopback HTTP server on its own thread that misbehaves on request, for test_feed_poll. */
#ifndef FEED_TEST_SERVER_H
#define FEED_TEST_SERVER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

enum server_mode {
	SERVE_FEED,               /* 200 with ETag and Last-Modified; 304 if If-None-Match fits */
	SERVE_500,                /* 500 Internal Server Error */
	SERVE_HANG,               /* read the request, never answer */
	SERVE_CLOSE_MID_BODY,     /* announce the whole body, send half, close */
	SERVE_OVERSIZE,           /* 2 MiB body with Content-Length */
	SERVE_OVERSIZE_NO_LENGTH, /* 2 MiB body ended by closing */
	SERVE_REDIRECT,           /* 302 to the URL given as the body */
};

struct test_server {
	pthread_t thread;
	int listen_fd;
	int wake[2]; /* a byte here ends a hang; with stop set, the thread */
	int port;
	struct ssl_ctx_st *tls; /* NULL: plain HTTP */

	pthread_mutex_t lock; /* guards everything below */
	bool stop;
	enum server_mode mode;
	char body[4096];
	size_t body_len;
	char etag[64];
	int requests;
	char if_none_match[128]; /* of the last request, "" if none */
	char if_modified_since[64];
};

#define TEST_SERVER_LAST_MODIFIED "Tue, 24 Nov 2026 16:00:00 GMT"

/* port 0 = any free port. Returns -1 if it cannot listen. */
int test_server_start(struct test_server *server, int port);
/* The same over TLS with the given PEM certificate and key. */
int test_server_start_tls(struct test_server *server, int port, const char *cert_path,
                          const char *key_path);
void test_server_stop(struct test_server *server);
void test_server_serve(struct test_server *server, enum server_mode mode, const char *body,
                       size_t body_len, const char *etag);
/* Copies what the last request said. */
void test_server_last_request(struct test_server *server, int *requests, char *if_none_match,
                              size_t inm_size, char *if_modified_since, size_t ims_size);

#endif
