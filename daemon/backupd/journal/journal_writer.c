/* SPDX-License-Identifier: ISC */
/* The writer thread between backupd and journald (see journal_writer.h). */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "thread_start.h"
#include "journal_writer.h"
#include "xmalloc.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define EXIT_DRAIN_MS  1000

struct item {
	struct item *next;
	char *data;
	size_t length;
	char *line; /* the stderr fallback */
};

struct drops {
	uint64_t count;
	int64_t first_unix, last_unix;
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake, drained;
	struct item *head, *tail;
	size_t entries, bytes, max_entries;
	bool busy; /* the thread holds an item it has not sent yet */
	uint64_t dropped_total;
	struct drops unsaid;
	int fd;
} w = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .drained = PTHREAD_COND_INITIALIZER,
    .fd = -1,
};

static pthread_once_t started = PTHREAD_ONCE_INIT;

/* journald's native protocol: KEY=value\n, or for a value with a newline KEY\n, its length as
 * a little-endian 64-bit number, the value, \n. */
static size_t serialise(const struct iovec *fields, int n, char **out)
{
	size_t size = 0, used = 0;

	for (int i = 0; i < n; i++)
		size += fields[i].iov_len + 10;
	char *buf = xmalloc(size ? size : 1);
	for (int i = 0; i < n; i++) {
		const char *field = fields[i].iov_base;
		const char *eq = memchr(field, '=', fields[i].iov_len);
		size_t key = eq ? (size_t)(eq - field) : fields[i].iov_len;
		size_t value = eq ? fields[i].iov_len - key - 1 : 0;

		memcpy(buf + used, field, key);
		used += key;
		if (!eq || !memchr(eq + 1, '\n', value)) {
			buf[used++] = '=';
		} else {
			uint64_t le = value;
			buf[used++] = '\n';
			for (int b = 0; b < 8; b++)
				buf[used++] = (char)((le >> (8 * b)) & 0xff);
		}
		memcpy(buf + used, eq ? eq + 1 : "", value);
		used += value;
		buf[used++] = '\n';
	}
	*out = buf;
	return used;
}

static void free_item(struct item *item)
{
	free(item->data);
	free(item->line);
	free(item);
}

/* Blocking is the point here: this thread waits for journald so nobody else has to. */
static int send_datagram(const char *data, size_t length)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	memcpy(addr.sun_path, JOURNAL_SOCKET, sizeof(JOURNAL_SOCKET));
	if (w.fd < 0)
		w.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w.fd < 0)
		return -errno;
	for (;;) {
		if (sendto(w.fd, data, length, MSG_NOSIGNAL, (struct sockaddr *)&addr,
		           sizeof(addr)) >= 0)
			return 0;
		if (errno != EINTR)
			return errno == ENOENT
			           ? 0
			           : -errno; /* no journal at all: silent, as libsystemd */
	}
}

static void say_drops(const struct drops *drops)
{
	char message[256], count[64], *data;
	struct tm first, last;
	time_t t0 = (time_t)drops->first_unix, t1 = (time_t)drops->last_unix;
	char from[16] = "?", to[16] = "?";

	if (gmtime_r(&t0, &first))
		strftime(from, sizeof(from), "%H:%M:%S", &first);
	if (gmtime_r(&t1, &last))
		strftime(to, sizeof(to), "%H:%M:%S", &last);
	snprintf(message, sizeof(message),
	         "MESSAGE=journal: %" PRIu64 " entries dropped from %s to %s UTC: journald did not "
	         "take them and the queue of %zu was full",
	         drops->count, from, to, w.max_entries);
	snprintf(count, sizeof(count), "JOURNAL_DROPPED=%" PRIu64, drops->count);
	struct iovec fields[] = {
	    {"PRIORITY=4", 10},
	    {"SYSLOG_IDENTIFIER=backupd", 25},
	    {message, strlen(message)},
	    {count, strlen(count)},
	};
	size_t length = serialise(fields, 4, &data);
	if (send_datagram(data, length) < 0)
		fprintf(stderr, "backupd: warning: %s\n", message + strlen("MESSAGE="));
	free(data);
}

static void deliver(struct item *item)
{
	struct drops drops = {0};

	if (send_datagram(item->data, item->length) < 0) {
		fprintf(stderr, "%s\n", item->line);
		return;
	}
	pthread_mutex_lock(&w.lock);
	drops = w.unsaid;
	memset(&w.unsaid, 0, sizeof(w.unsaid));
	pthread_mutex_unlock(&w.lock);
	if (drops.count > 0)
		say_drops(&drops);
}

static void *writer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&w.lock);
	for (;;) {
		while (!w.head)
			pthread_cond_wait(&w.wake, &w.lock);
		struct item *item = w.head;
		w.head = item->next;
		if (!w.head)
			w.tail = NULL;
		w.entries--;
		w.bytes -= item->length;
		w.busy = true;
		pthread_mutex_unlock(&w.lock);
		deliver(item);
		free_item(item);
		pthread_mutex_lock(&w.lock);
		w.busy = false;
		if (!w.head)
			pthread_cond_broadcast(&w.drained);
	}
	return NULL;
}

static void drain_at_exit(void)
{
	journal_writer_flush(EXIT_DRAIN_MS);
}

static void start_writer(void)
{
	const char *env = getenv("BACKUPD_JOURNAL_QUEUE");
	long bound = env ? strtol(env, NULL, 10) : 0;
	sigset_t all, old;
	pthread_t thread;

	w.max_entries =
	    bound > 0 && bound < JOURNAL_QUEUE_ENTRIES ? (size_t)bound : JOURNAL_QUEUE_ENTRIES;
	/* Signals stay with the loop's thread (libevent's handlers). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (thread_start(&thread, NULL, writer_main, NULL) == 0)
		pthread_detach(thread);
	else
		w.max_entries = 0; /* no thread: everything is dropped and counted */
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	atexit(drain_at_exit);
}

int journal_writer_send(const struct iovec *fields, int n_fields, const char *line)
{
	struct item *item = xcalloc(1, sizeof(*item));
	int rc = 0;

	pthread_once(&started, start_writer);
	item->length = serialise(fields, n_fields, &item->data);
	pthread_mutex_lock(&w.lock);
	if (w.entries >= w.max_entries || w.bytes + item->length > JOURNAL_QUEUE_BYTES) {
		int64_t now = (int64_t)time(NULL);
		if (w.unsaid.count++ == 0)
			w.unsaid.first_unix = now;
		w.unsaid.last_unix = now;
		w.dropped_total++;
		rc = -EAGAIN;
	} else {
		item->line = xstrdup(line);
		if (w.tail)
			w.tail->next = item;
		else
			w.head = item;
		w.tail = item;
		w.entries++;
		w.bytes += item->length;
		pthread_cond_signal(&w.wake);
		item = NULL;
	}
	pthread_mutex_unlock(&w.lock);
	if (item)
		free_item(item);
	return rc;
}

uint64_t journal_writer_dropped_total(void)
{
	pthread_mutex_lock(&w.lock);
	uint64_t n = w.dropped_total;
	pthread_mutex_unlock(&w.lock);
	return n;
}

int journal_writer_flush(int64_t limit_ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += limit_ms / 1000;
	until.tv_nsec += (limit_ms % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w.lock);
	while ((w.head || w.busy) &&
	       pthread_cond_timedwait(&w.drained, &w.lock, &until) != ETIMEDOUT)
		;
	int left = (int)w.entries + (w.busy ? 1 : 0);
	pthread_mutex_unlock(&w.lock);
	return left;
}
