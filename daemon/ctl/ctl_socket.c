/* SPDX-License-Identifier: ISC */
/* backupctl's transport: one request line out, one reply line back, within a time limit. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control_protocol.h"
#include "ctl.h"

#define REPLY_MAX  (64u << 20)
#define READ_CHUNK 65536

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The kernel enforces the remaining time on blocking connect, send and recv. */
static void set_time_left(int fd, int64_t deadline_ms)
{
	int64_t left = deadline_ms - monotonic_ms();
	if (left < 1)
		left = 1;
	struct timeval tv = {left / 1000, (left % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void report_connect_error(const struct ctl_options *options, int error)
{
	if (error == EACCES || error == EPERM)
		fprintf(stderr,
		        "backupctl: permission denied on %s: run as root or as a member of the "
		        "backupd control group\n",
		        options->socket_path);
	else if (error == EAGAIN || error == ETIMEDOUT)
		fprintf(stderr, "backupctl: backupd at %s did not accept the connection in %d s\n",
		        options->socket_path, options->timeout_ms / 1000);
	else
		fprintf(stderr,
		        "backupctl: cannot connect to backupd at %s: %s (is backupd running?)\n",
		        options->socket_path, strerror(error));
}

static int connect_daemon(const struct ctl_options *options, int64_t deadline_ms)
{
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	if (strlen(options->socket_path) >= sizeof(address.sun_path)) {
		fprintf(stderr, "backupctl: socket path too long: %s\n", options->socket_path);
		return -1;
	}
	strcpy(address.sun_path, options->socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "backupctl: socket: %s\n", strerror(errno));
		return -1;
	}
	set_time_left(fd, deadline_ms);
	if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		report_connect_error(options, errno);
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

/* The reply is parsed as it arrives (json_load_callback), so backupctl parses while backupd
 * still writes, and no copy of the whole line is kept. Bytes are handed on up to the first
 * newline, one reply line, as the protocol says. */
struct reader {
	int fd;
	int64_t deadline_ms;
	char chunk[READ_CHUNK];
	size_t start, end, total;
	bool line_done;
	const char *why; /* a transport failure; NULL when jansson's error is the reason */
};

static bool refill(struct reader *reader)
{
	for (;;) {
		set_time_left(reader->fd, reader->deadline_ms);
		ssize_t n = recv(reader->fd, reader->chunk, sizeof(reader->chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			reader->why = n == 0 ? "backupd closed the connection without a reply"
			              : (errno == EAGAIN) ? "no reply from backupd in time"
			                                  : strerror(errno);
			return false;
		}
		char *newline = memchr(reader->chunk, '\n', (size_t)n);
		reader->line_done = newline != NULL;
		reader->start = 0;
		reader->end = newline ? (size_t)(newline - reader->chunk) : (size_t)n;
		reader->total += reader->end;
		if (reader->total > REPLY_MAX) {
			reader->why = "reply too large";
			return false;
		}
		return true;
	}
}

static size_t read_reply(void *buffer, size_t size, void *data)
{
	struct reader *reader = data;
	if (reader->start == reader->end) {
		if (reader->line_done)
			return 0; /* the line ended: what jansson still wants is not there */
		if (!refill(reader))
			return (size_t)-1;
	}
	size_t n = reader->end - reader->start;
	if (n > size)
		n = size;
	memcpy(buffer, reader->chunk + reader->start, n);
	reader->start += n;
	return n;
}

/* Exchanges one request and parses the reply; NULL (message printed) on failure. */
static json_t *exchange(const struct ctl_options *options, const char *request)
{
	int64_t deadline_ms = monotonic_ms() + options->timeout_ms;
	int fd = connect_daemon(options, deadline_ms);
	if (fd < 0)
		return NULL;
	/* A refusing daemon answers and hangs up at once, so the send may fail with EPIPE
	 * while its one-line reason already waits to be read. */
	if (send_all(fd, request, strlen(request)) == 0)
		(void)send_all(fd, "\n", 1);
	struct reader *reader = calloc(1, sizeof(*reader));
	if (reader == NULL) {
		close(fd);
		fprintf(stderr, "backupctl: out of memory\n");
		return NULL;
	}
	reader->fd = fd;
	reader->deadline_ms = deadline_ms;
	json_error_t error;
	json_t *reply = json_load_callback(read_reply, reader, JSON_DISABLE_EOF_CHECK, &error);
	close(fd);
	if (reply == NULL && reader->why != NULL)
		fprintf(stderr, "backupctl: %s: %s\n", options->socket_path, reader->why);
	else if (reply == NULL)
		fprintf(stderr, "backupctl: protocol error: the reply is not JSON (%s)\n",
		        error.text);
	free(reader);
	return reply;
}

/* Checks version and ok; NULL (message printed, *exit_code set) when not usable. */
static json_t *check_reply(json_t *reply, int *exit_code)
{
	*exit_code = CTL_EXIT_UNREACHABLE;
	json_t *version = json_object_get(reply, "v");
	if (!json_is_object(reply) || !json_is_integer(version)) {
		fprintf(stderr, "backupctl: protocol error: the reply is not a backupd reply\n");
	} else if (json_integer_value(version) != CONTROL_PROTOCOL_VERSION) {
		fprintf(stderr,
		        "backupctl: protocol error: backupd speaks protocol version %lld, this "
		        "backupctl speaks %d; use matching versions\n",
		        (long long)json_integer_value(version), CONTROL_PROTOCOL_VERSION);
	} else if (!json_is_true(json_object_get(reply, "ok"))) {
		const char *error = json_string_value(json_object_get(reply, "error"));
		fprintf(stderr, "backupctl: %s\n", error ? error : "backupd refused the request");
		if (json_object_get(reply, "unmatched") != NULL)
			*exit_code = CTL_EXIT_USAGE;
	} else {
		*exit_code = CTL_EXIT_OK;
		return reply;
	}
	json_decref(reply);
	return NULL;
}

json_t *ctl_call(const struct ctl_options *options, json_t *request, int *exit_code)
{
	char *text = json_dumps(request, JSON_COMPACT);
	json_decref(request);
	*exit_code = CTL_EXIT_UNREACHABLE;
	if (text == NULL)
		return NULL;
	json_t *reply = exchange(options, text);
	free(text);
	return reply ? check_reply(reply, exit_code) : NULL;
}

json_t *ctl_request(const char *verb, int argc, char **argv)
{
	json_t *devices = json_array();
	for (int i = 0; i < argc; i++)
		json_array_append_new(devices, json_string(argv[i]));
	return json_pack("{s:i, s:s, s:o}", "v", CONTROL_PROTOCOL_VERSION, "verb", verb, "devices",
	                 devices);
}

void ctl_print_json(const json_t *reply)
{
	json_dumpf(reply, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
}
