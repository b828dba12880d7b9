/* SPDX-License-Identifier: ISC */
/* Structured journal entries, with a stderr fallback that a person can read. */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "journal.h"
#include "journal_writer.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define FIELDS_MAX     (11 + JOURNAL_EXTRA_MAX)

/* Atomic because probe workers may log while the loop decides; the decision is idempotent, so
 * two threads deciding at once agree. */
static _Atomic int chosen = JOURNAL_TARGET_AUTO;

void journal_set_target(enum journal_target target)
{
	atomic_store(&chosen, (int)target);
}

/* systemd sets JOURNAL_STREAM=dev:ino of the stream it connected to our stderr. */
static bool stderr_is_journal_stream(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static bool journal_socket_connectable(void)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	memcpy(addr.sun_path, JOURNAL_SOCKET, sizeof(JOURNAL_SOCKET));
	ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
	close(fd);
	return ok;
}

static enum journal_target target_from_env(void)
{
	static const char *const names[] = {
	    [JOURNAL_TARGET_AUTO] = "auto",
	    [JOURNAL_TARGET_JOURNAL] = "journal",
	    [JOURNAL_TARGET_STDERR] = "stderr",
	    [JOURNAL_TARGET_BOTH] = "both",
	};
	const char *env = getenv("BACKUPD_LOG_TARGET");

	for (size_t i = 0; env && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(env, names[i]) == 0)
			return (enum journal_target)i;
	return JOURNAL_TARGET_AUTO;
}

static enum journal_target decide_target(void)
{
	enum journal_target target = target_from_env();

	if (target != JOURNAL_TARGET_AUTO)
		return target;
	if (stderr_is_journal_stream())
		return JOURNAL_TARGET_JOURNAL;
	if (!journal_socket_connectable())
		return JOURNAL_TARGET_STDERR;
	if (isatty(STDERR_FILENO))
		return JOURNAL_TARGET_BOTH;
	return JOURNAL_TARGET_JOURNAL;
}

enum journal_target journal_target(void)
{
	enum journal_target target = (enum journal_target)atomic_load(&chosen);

	if (target == JOURNAL_TARGET_AUTO) {
		target = decide_target();
		atomic_store(&chosen, (int)target);
	}
	return target;
}

const char *journal_priority_word(int priority)
{
	static const char *const words[] = {"emerg",   "alert",  "crit", "error",
	                                    "warning", "notice", "info", "debug"};
	if (priority < 0 || priority > LOG_DEBUG)
		return "info";
	return words[priority];
}

static bool present(const char *s)
{
	return s && *s;
}

/* Appends " key=value" (or "key=value" first) when value is present. */
static size_t append_pair(char *buf, size_t size, size_t used, const char *key, const char *value)
{
	int n;

	if (!present(value) || used >= size)
		return used;
	n = snprintf(buf + used, size - used, "%s%s=%s", buf[used - 1] == '[' ? "" : " ", key,
	             value);
	if (n < 0)
		return used;
	/* Cut: what snprintf wrote ends at the terminator, never past the buffer. */
	return (size_t)n >= size - used ? size - 1 : used + (size_t)n;
}

char *journal_format_line(const struct journal_entry *e, char *buf, size_t size)
{
	size_t used;
	int n = snprintf(buf, size, "backupd: %s: %s [", journal_priority_word(e->priority),
	                 present(e->message) ? e->message : "");

	if (n < 0 || (size_t)n >= size)
		return buf;
	used = append_pair(buf, size, (size_t)n, "udid", e->device_udid);
	used = append_pair(buf, size, used, "precondition", e->precondition);
	used = append_pair(buf, size, used, "state", e->state);
	if (buf[used - 1] == '[')
		used -= 2; /* no fields: drop " [" */
	else if (used + 1 < size)
		buf[used++] = ']';
	if (used < size)
		buf[used] = '\0';
	return buf;
}

static void write_stderr(const struct journal_entry *e)
{
	char line[2048];

	fprintf(stderr, "%s\n", journal_format_line(e, line, sizeof(line)));
}

/* One iovec per present field; the writer copies them before this returns. */
static int send_to_journal(const struct journal_entry *e)
{
	static const char *const names[] = {
	    "MESSAGE_ID=",  "MESSAGE=",      "DEVICE_UDID=", "DEVICE_NAME=", "PRODUCT_TYPE=",
	    "IOS_VERSION=", "PRECONDITION=", "STATE=",       "REASON="};
	const char *values[] = {e->message_id,   e->message,      e->device_udid,
	                        e->device_name,  e->product_type, e->ios_version,
	                        e->precondition, e->state,        e->reason};
	char *text[FIELDS_MAX] = {0};
	struct iovec iov[FIELDS_MAX];
	char priority[16], line[2048];
	int n = 0, rc = -ENOMEM;

	snprintf(priority, sizeof(priority), "PRIORITY=%d", e->priority);
	iov[n++] = (struct iovec){priority, strlen(priority)};
	iov[n++] = (struct iovec){"SYSLOG_IDENTIFIER=backupd", strlen("SYSLOG_IDENTIFIER=backupd")};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!present(values[i]))
			continue;
		if (asprintf(&text[n], "%s%s", names[i], values[i]) < 0)
			goto out;
		iov[n] = (struct iovec){text[n], strlen(text[n])};
		n++;
	}
	for (int i = 0; i < JOURNAL_EXTRA_MAX; i++)
		if (present(e->extra[i]))
			iov[n++] = (struct iovec){(void *)e->extra[i], strlen(e->extra[i])};
	rc = journal_writer_send(iov, n, journal_format_line(e, line, sizeof(line)));
out:
	for (int i = 0; i < FIELDS_MAX; i++)
		free(text[i]);
	return rc;
}

uint64_t journal_dropped_total(void)
{
	return journal_writer_dropped_total();
}

int journal_emit(const struct journal_entry *entry)
{
	enum journal_target target = journal_target();
	int rc = 0;

	if (target == JOURNAL_TARGET_JOURNAL || target == JOURNAL_TARGET_BOTH) {
		rc = send_to_journal(entry); /* a refused send reaches stderr from the writer */
	}
	if (target == JOURNAL_TARGET_STDERR || target == JOURNAL_TARGET_BOTH)
		write_stderr(entry);
	return rc;
}

void log_priority(int priority, const char *fmt, ...)
{
	struct journal_entry entry = {.priority = priority};
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	entry.message = message;
	journal_emit(&entry);
}
