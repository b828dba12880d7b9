/* SPDX-License-Identifier: ISC */
/* A raw control-socket client for the tests: it sends what backupctl never would
 * (garbage, oversized and half-sent requests, wrong versions, 200 clients at once) and
 * checks how the server answers. Exit 0 when the server behaved, 1 otherwise.
 *
 * Usage: ctl_raw_client SOCKET MODE [N]
 *   garbage | oversized | longline | version | unknownverb | pipeline | halfsent IDLE_MS |
 *   refused | many N | toomany N | highwater | slowreaders N [HOLD_MS] | refreshes N
 * slowreaders: N clients each pipeline 20 detailed status requests and never read; meanwhile
 * a normal status is timed 10 times. Prints "p50_ms=... max_ms=..." (a figure, not a check).
 * refreshes: N clients connect, then each asks to refresh every phone, all sent before any
 * answer is read, so the requests reach the daemon together however loaded the machine is
 * (N backupctl processes start over hundreds of ms under load); prints each answer's line. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "control_protocol.h"

#define STATUS_REQUEST "{\"v\":1,\"verb\":\"status\"}\n"
#define WAIT_MS        10000

static const char *socket_path;

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(const char *what)
{
	fprintf(stderr, "ctl_raw_client: FAIL: %s\n", what);
	return 1;
}

static int connect_server(void)
{
	struct sockaddr_un address = {.sun_family = AF_UNIX};
	snprintf(address.sun_path, sizeof(address.sun_path), "%s", socket_path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		perror("connect");
		exit(1);
	}
	return fd;
}

static void send_text(int fd, const char *text, size_t length)
{
	if (send(fd, text, length, MSG_NOSIGNAL) != (ssize_t)length) {
		perror("send");
		exit(1);
	}
}

/* Reads one line (malloc'd, newline stripped) or NULL on EOF/timeout; *eof tells which. */
static char *read_line(int fd, int timeout_ms, bool *eof)
{
	size_t length = 0, cap = 1 << 16;
	char *buffer = malloc(cap + 1);
	int64_t deadline = now_ms() + timeout_ms;
	*eof = false;
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		int left = (int)(deadline - now_ms());
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		if (length == cap)
			buffer = realloc(buffer, (cap *= 2) + 1);
		ssize_t n = recv(fd, buffer + length, 1, 0); /* byte by byte: keep what follows */
		if (n <= 0) {
			*eof = true;
			break;
		}
		if (buffer[length] == '\n') {
			buffer[length] = '\0';
			return buffer;
		}
		length += (size_t)n;
	}
	free(buffer);
	return NULL;
}

/* True when line is an error reply whose message contains needle. */
static bool is_error(const char *line, const char *needle)
{
	json_t *reply = line ? json_loads(line, 0, NULL) : NULL;
	const char *error = json_string_value(json_object_get(reply, "error"));
	bool ok = json_is_false(json_object_get(reply, "ok")) &&
	          json_integer_value(json_object_get(reply, "v")) == CONTROL_PROTOCOL_VERSION &&
	          error && strstr(error, needle);
	json_decref(reply);
	return ok;
}

static bool is_status(const char *line)
{
	json_t *reply = line ? json_loads(line, 0, NULL) : NULL;
	bool ok = json_is_true(json_object_get(reply, "ok")) &&
	          json_is_array(json_object_get(reply, "devices"));
	json_decref(reply);
	return ok;
}

/* Sends request; expects an error reply containing needle, then the server hanging up. */
static int expect_error_then_close(const char *request, size_t length, const char *needle)
{
	int fd = connect_server();
	send_text(fd, request, length);
	bool eof;
	char *line = read_line(fd, WAIT_MS, &eof);
	bool good = is_error(line, needle);
	free(line);
	if (!good)
		return fail(needle);
	char *extra = read_line(fd, WAIT_MS, &eof);
	free(extra);
	close(fd);
	return eof && extra == NULL ? 0 : fail("connection not closed after the error");
}

static int mode_oversized(bool with_newline)
{
	size_t length = CONTROL_REQUEST_MAX + 100;
	char *request = malloc(length);
	memset(request, 'x', length);
	if (with_newline)
		request[length - 1] = '\n';
	int rc = expect_error_then_close(request, length, "too long");
	free(request);
	return rc;
}

/* An unknown verb is answered, and the connection stays usable. */
static int mode_unknown_verb(void)
{
	int fd = connect_server();
	const char *request = "{\"v\":1,\"verb\":\"frobnicate\"}\n";
	send_text(fd, request, strlen(request));
	bool eof;
	char *first = read_line(fd, WAIT_MS, &eof);
	send_text(fd, STATUS_REQUEST, strlen(STATUS_REQUEST));
	char *second = read_line(fd, WAIT_MS, &eof);
	bool good = is_error(first, "unknown verb") && is_status(second);
	free(first);
	free(second);
	close(fd);
	return good ? 0 : fail("unknown verb then status");
}

/* Two requests in one write: two replies, in order. */
static int mode_pipeline(void)
{
	int fd = connect_server();
	const char *requests = "{\"v\":1,\"verb\":\"feed\"}\n" STATUS_REQUEST;
	send_text(fd, requests, strlen(requests));
	bool eof;
	char *first = read_line(fd, WAIT_MS, &eof);
	char *second = read_line(fd, WAIT_MS, &eof);
	json_t *feed = first ? json_loads(first, 0, NULL) : NULL;
	bool good = json_is_object(json_object_get(feed, "feed")) &&
	            !json_object_get(feed, "devices") && is_status(second);
	json_decref(feed);
	free(first);
	free(second);
	close(fd);
	return good ? 0 : fail("pipelined replies");
}

/* Half a request, then silence: the server must hang up after its idle limit, not before. */
static int mode_halfsent(int idle_ms)
{
	int fd = connect_server();
	const char *partial = "{\"v\":1,\"verb\":";
	int64_t start = now_ms();
	send_text(fd, partial, strlen(partial));
	bool eof;
	char *line = read_line(fd, idle_ms + WAIT_MS, &eof);
	int64_t elapsed = now_ms() - start;
	free(line);
	close(fd);
	printf("half-sent request dropped after %lld ms\n", (long long)elapsed);
	if (line != NULL || !eof)
		return fail("half-sent request not dropped");
	return elapsed >= idle_ms - 100 ? 0 : fail("dropped before the idle limit");
}

static int mode_refused(void)
{
	int fd = connect_server();
	bool eof;
	char *line = read_line(fd, WAIT_MS, &eof);
	bool good = is_error(line, "permission denied");
	free(line);
	close(fd);
	return good ? 0 : fail("not refused");
}

/* One client's reply line as it arrives; NULL data until its first byte. */
struct reply_line {
	char *data;
	size_t length, cap;
	bool done; /* a newline came, or EOF */
};

/* Reads what fd has into line; true when the line is complete (newline or EOF). */
static bool read_some(int fd, struct reply_line *line)
{
	if (line->cap - line->length < 65536)
		line->data = realloc(line->data, (line->cap = line->length + 65536 * 2) + 1);
	ssize_t n = recv(fd, line->data + line->length, line->cap - line->length, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n > 0) {
		char *newline = memchr(line->data + line->length, '\n', (size_t)n);
		line->length += (size_t)n;
		if (newline == NULL)
			return false;
		*newline = '\0';
		return true;
	}
	line->length = 0; /* EOF before a whole line: nothing */
	return true;
}

/* Reads one line from each of the n fds at once, as n real clients would (read in turn, the
 * last ones wait for the first ones and look like slow readers to the server). */
static void read_all_lines(const int *fds, int n, struct reply_line *lines)
{
	struct pollfd *pfds = calloc((size_t)n, sizeof(*pfds));
	int64_t deadline = now_ms() + WAIT_MS;
	int open_count = n;
	while (open_count > 0 && now_ms() < deadline) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (!lines[i].done)
				pfds[k++] = (struct pollfd){fds[i], POLLIN, 0};
		if (poll(pfds, (nfds_t)k, (int)(deadline - now_ms())) <= 0)
			break;
		for (int i = 0, j = 0; i < n; i++) {
			if (lines[i].done)
				continue;
			if ((pfds[j++].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    read_some(fds[i], &lines[i])) {
				lines[i].done = true;
				open_count--;
			}
		}
	}
	free(pfds);
}

/* n clients connect, then all ask, then all read. Counts good replies and refusals. */
static void many_clients(int n, int *good, int *refused)
{
	int *fds = calloc((size_t)n, sizeof(*fds));
	struct reply_line *lines = calloc((size_t)n, sizeof(*lines));
	for (int i = 0; i < n; i++)
		fds[i] = connect_server();
	for (int i = 0; i < n; i++)
		send(fds[i], STATUS_REQUEST, strlen(STATUS_REQUEST), MSG_NOSIGNAL);
	read_all_lines(fds, n, lines);
	*good = *refused = 0;
	for (int i = 0; i < n; i++) {
		const char *line = lines[i].done && lines[i].length ? lines[i].data : NULL;
		*good += is_status(line);
		*refused += is_error(line, "too many clients");
		free(lines[i].data);
		close(fds[i]);
	}
	free(lines);
	free(fds);
}

static int mode_many(int n)
{
	int good, refused;
	many_clients(n, &good, &refused);
	printf("%d clients: %d answered, %d refused\n", n, good, refused);
	return good == n ? 0 : fail("not every client was answered");
}

static int mode_toomany(int n)
{
	int good, refused;
	many_clients(n, &good, &refused);
	printf("%d clients: %d answered, %d refused\n", n, good, refused);
	return refused > 0 && good > 0 && good + refused == n ? 0 : fail("max clients");
}

/* The reply exceeds the server's high-water mark: the client is dropped, no reply. */
/* One whole reply, read in large pieces (read_line's byte-at-a-time would be the figure). */
static bool read_reply(int fd, int timeout_ms)
{
	static char buffer[1 << 16];
	size_t total = 0;
	int64_t deadline = now_ms() + timeout_ms;
	for (;;) {
		struct pollfd pfd = {fd, POLLIN, 0};
		int left = (int)(deadline - now_ms());
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return false;
		ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
		if (n <= 0)
			return false;
		total += (size_t)n;
		if (buffer[n - 1] == '\n')
			return n >= 2 && buffer[n - 2] == '}';
	}
}

static int compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int mode_slowreaders(int n, int hold_ms)
{
	static const char detail[] = "{\"v\":1,\"verb\":\"status\",\"detail\":true}\n";
	int *fds = calloc((size_t)n, sizeof(*fds));
	for (int i = 0; i < n; i++) {
		fds[i] = connect_server();
		for (int r = 0; r < 20; r++)
			send_text(fds[i], detail, strlen(detail));
	}
	int samples[10];
	for (int i = 0; i < 10; i++) {
		int64_t start = now_ms();
		int fd = connect_server();
		send_text(fd, STATUS_REQUEST, strlen(STATUS_REQUEST));
		bool good = read_reply(fd, WAIT_MS);
		samples[i] = (int)(now_ms() - start);
		close(fd);
		if (!good)
			return fail("normal status unanswered behind slow readers");
	}
	int first = samples[0];
	qsort(samples, 10, sizeof(int), compare_ints);
	printf("p50_ms=%d max_ms=%d first_ms=%d\n", samples[4], samples[9], first);
	fflush(stdout);
	usleep((useconds_t)hold_ms * 1000); /* the slow readers stay, for a look at the daemon */
	for (int i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
	return 0;
}

#define REFRESH_REQUEST "{\"v\":1,\"verb\":\"refresh\"}\n"
#define REFRESH_WAIT_MS 120000

static int mode_refreshes(int n)
{
	if (n <= 0)
		return fail("refreshes needs N > 0");
	int *fds = calloc((size_t)n, sizeof(*fds));
	if (!fds)
		return fail("out of memory");
	for (int i = 0; i < n; i++)
		fds[i] = connect_server();
	for (int i = 0; i < n; i++)
		send_text(fds[i], REFRESH_REQUEST, strlen(REFRESH_REQUEST));
	int rc = 0;
	for (int i = 0; i < n; i++) {
		bool eof;
		char *line = read_line(fds[i], REFRESH_WAIT_MS, &eof);
		if (line)
			printf("%s\n", line);
		else
			rc = fail("a refresh went unanswered");
		free(line);
		close(fds[i]);
	}
	free(fds);
	return rc;
}

static int mode_highwater(void)
{
	int fd = connect_server();
	send_text(fd, STATUS_REQUEST, strlen(STATUS_REQUEST));
	bool eof;
	char *line = read_line(fd, WAIT_MS, &eof);
	free(line);
	close(fd);
	return line == NULL && eof ? 0 : fail("client past the high-water mark not dropped");
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return fail("usage: ctl_raw_client SOCKET MODE [N]");
	socket_path = argv[1];
	const char *mode = argv[2];
	int n = argc > 3 ? atoi(argv[3]) : 0;
	if (strcmp(mode, "garbage") == 0)
		return expect_error_then_close("hello there\n", 12, "malformed");
	if (strcmp(mode, "notobject") == 0)
		return expect_error_then_close("[1,2]\n", 6, "malformed");
	if (strcmp(mode, "version") == 0)
		return expect_error_then_close("{\"v\":99,\"verb\":\"status\"}\n", 25,
		                               "protocol version");
	if (strcmp(mode, "oversized") == 0)
		return mode_oversized(false);
	if (strcmp(mode, "longline") == 0)
		return mode_oversized(true);
	if (strcmp(mode, "unknownverb") == 0)
		return mode_unknown_verb();
	if (strcmp(mode, "pipeline") == 0)
		return mode_pipeline();
	if (strcmp(mode, "halfsent") == 0)
		return mode_halfsent(n);
	if (strcmp(mode, "refused") == 0)
		return mode_refused();
	if (strcmp(mode, "many") == 0)
		return mode_many(n);
	if (strcmp(mode, "toomany") == 0)
		return mode_toomany(n);
	if (strcmp(mode, "highwater") == 0)
		return mode_highwater();
	if (strcmp(mode, "refreshes") == 0)
		return mode_refreshes(n);
	if (strcmp(mode, "slowreaders") == 0)
		return mode_slowreaders(n, argc > 4 ? atoi(argv[4]) : 0);
	return fail("unknown mode");
}
