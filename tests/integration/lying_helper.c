/* SPDX-License-Identifier: ISC */
/* A stand-in probe helper that lies: it speaks include/probe_wire.h and answers each probe
 * with the next lie from the table below (enums out of range, unterminated strings, another
 * phone's udid, absurd dates and sizes, bools that are not 0 or 1, wrong magic, seq or size).
 * The lies told are counted in $LIAR_LOG (one line each, shared by every helper process);
 * once all are told, the next helper execs the real one ($LIAR_REAL_HELPER), so the test can
 * check that each phone's state comes out right.
 * Run by backupd as "lying_helper --probe-helper FD PARENT". */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include "facts.h"
#include "pair_liar.h"
#include "probe_wire.h"
#include "xmalloc.h"

struct lie {
	const char *what;
	void (*apply)(struct probe_reply *reply, const char *other_udid);
	size_t length; /* 0: a whole probe_reply */
};

static void set_byte(struct probe_reply *reply, size_t offset, unsigned char value)
{
	((unsigned char *)&reply->facts)[offset] = value;
}

static void backup_enum(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.backup_enabled = (enum tristate)0x40000000;
}
static void status_99(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.status = (enum probe_status)99;
}
static void status_not_yet(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.status = PROBE_NOT_YET;
}
static void locked_3(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.password_protected = (enum tristate)3;
}
static void wifi_negative(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.wifi_associated = (enum tristate) - 1;
}
static void other_udid(struct probe_reply *r, const char *o)
{
	strlcpy_safe(r->facts.udid, o, sizeof(r->facts.udid));
}
static void udid_unterminated(struct probe_reply *r, const char *o)
{
	(void)o;
	memset(r->facts.udid, 'A', sizeof(r->facts.udid));
}
static void name_unterminated(struct probe_reply *r, const char *o)
{
	(void)o;
	memset(r->facts.name, 'L', sizeof(r->facts.name));
}
static void ssid_unterminated(struct probe_reply *r, const char *o)
{
	(void)o;
	memset(r->facts.wifi_ssid, 'L', sizeof(r->facts.wifi_ssid));
	memset(r->facts.error, 'L', sizeof(r->facts.error));
}
static void date_huge(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.has_last_backup = true;
	r->facts.last_backup_unix = INT64_MAX;
}
static void date_negative(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.has_last_backup = true;
	r->facts.last_backup_unix = INT64_MIN;
}
static void date_without_flag(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.last_backup_unix = 12345;
}
static void battery_250(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.battery_percent = 250;
}
static void size_negative(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.total_data_capacity = -5;
}
static void size_huge(struct probe_reply *r, const char *o)
{
	(void)o;
	r->facts.total_data_available = INT64_MAX;
}
static void bool_7(struct probe_reply *r, const char *o)
{
	(void)o;
	set_byte(r, offsetof(struct device_facts, has_last_backup), 7);
}
static void magic_wrong(struct probe_reply *r, const char *o)
{
	(void)o;
	r->magic ^= 1;
}
static void seq_wrong(struct probe_reply *r, const char *o)
{
	(void)o;
	r->seq += 1;
}
static void nothing(struct probe_reply *r, const char *o)
{
	(void)r;
	(void)o;
}

static const struct lie lies[] = {
    {"backup_enabled 0x40000000", backup_enum, 0},
    {"status 99", status_99, 0},
    {"status not_yet", status_not_yet, 0},
    {"password_protected 3", locked_3, 0},
    {"wifi_associated -1", wifi_negative, 0},
    {"another phone's udid", other_udid, 0},
    {"udid unterminated", udid_unterminated, 0},
    {"name unterminated", name_unterminated, 0},
    {"ssid and error unterminated", ssid_unterminated, 0},
    {"last backup INT64_MAX", date_huge, 0},
    {"last backup INT64_MIN", date_negative, 0},
    {"last backup without has_last_backup", date_without_flag, 0},
    {"battery 250", battery_250, 0},
    {"data capacity -5", size_negative, 0},
    {"data available INT64_MAX", size_huge, 0},
    {"bool byte 7", bool_7, 0},
    {"wrong magic", magic_wrong, 0},
    {"wrong seq", seq_wrong, 0},
    {"short datagram", nothing, 12},
    {"long datagram", nothing, sizeof(struct probe_reply) + 16},
};
#define N_LIES (sizeof(lies) / sizeof(lies[0]))

/* Takes the next lie (shared by every helper process through the log): its index, or N_LIES
 * when all have been told. peek: only look. */
static size_t next_lie(const char *log, const char *udid, bool peek)
{
	int fd = open(log, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		exit(90);
	FILE *f = fopen(log, "r");
	size_t told = 0;
	for (int c; f && (c = fgetc(f)) != EOF;)
		told += c == '\n';
	if (f)
		fclose(f);
	if (!peek && told < N_LIES)
		dprintf(fd, "%zu %s %s\n", told, udid, lies[told].what);
	close(fd);
	return told;
}

static void tell(int fd, const struct probe_request *req, const struct lie *lie, const char *other)
{
	unsigned char out[sizeof(struct probe_reply) + 16] = {0};
	struct probe_reply reply = {.magic = PROBE_WIRE_MAGIC, .seq = req->seq};
	facts_init(&reply.facts, req->udid);
	reply.facts.status = PROBE_OK;
	strlcpy_safe(reply.facts.name, "Liar", sizeof(reply.facts.name));
	strlcpy_safe(reply.facts.product_type, "iPhone99,9", sizeof(reply.facts.product_type));
	reply.facts.backup_enabled = TRI_YES;
	reply.facts.battery_percent = 42;
	lie->apply(&reply, other);
	memcpy(out, &reply, sizeof(reply));
	send(fd, out, lie->length ? lie->length : sizeof(reply), MSG_NOSIGNAL);
}

int main(int argc, char **argv)
{
	const char *log = getenv("LIAR_LOG"), *real = getenv("LIAR_REAL_HELPER");
	const char *udids = getenv("LIAR_UDIDS"); /* "A B": the lie names the other one */
	if (argc == 2 && strcmp(argv[1], "--reply-size") == 0) {
		printf("%zu\n", sizeof(struct probe_reply));
		return 0;
	}
	if (argc < 3 || !log || !real || !udids)
		return 64;
	int fd = atoi(argv[2]);
	if (getenv("LIAR_PAIR")) {
		const struct probe_hello hi = {.magic = PROBE_HELLO_MAGIC};
		send(fd, &hi, sizeof(hi), MSG_NOSIGNAL);
		return pair_liar_main(fd, getenv("LIAR_PAIR"), log);
	}
	/* It started; the real helper it may exec later says hello again, which must not matter. */
	const struct probe_hello hello = {.magic = PROBE_HELLO_MAGIC};
	send(fd, &hello, sizeof(hello), MSG_NOSIGNAL);
	for (;;) {
		struct probe_request req;
		ssize_t n = recv(fd, &req, sizeof(req), MSG_PEEK);
		if (n != (ssize_t)sizeof(req))
			return 0;
		req.udid[UDID_MAX - 1] = '\0';
		if (req.op == PROBE_OP_PROBE && next_lie(log, req.udid, true) >= N_LIES) {
			argv[0] = (char *)real; /* the request stays queued for the real helper */
			execv(real, argv);
			return 91;
		}
		recv(fd, &req, sizeof(req), 0);
		if (req.op != PROBE_OP_PROBE)
			continue;
		req.udid[UDID_MAX - 1] = '\0';
		size_t lie = next_lie(log, req.udid, false);
		char other[UDID_MAX];
		size_t first = strcspn(udids, " ");
		if (strncmp(udids, req.udid, first) == 0 && req.udid[first] == '\0')
			strlcpy_safe(other, udids + first + (udids[first] ? 1 : 0), sizeof(other));
		else
			snprintf(other, sizeof(other), "%.*s", (int)first, udids);
		if (lie < N_LIES)
			tell(fd, &req, &lies[lie], other);
	}
}
