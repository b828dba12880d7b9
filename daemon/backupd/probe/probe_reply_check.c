/* SPDX-License-Identifier: ISC */
/* Validation of a probe helper's reply. See probe_reply_check.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "probe_reply_check.h"
#include "probe_wire.h"
#include "text_clean.h"
#include "xmalloc.h"

#define MEMBER(member) #member, offsetof(struct device_facts, member)
#define SIZED(member)  MEMBER(member), sizeof(((struct device_facts *)0)->member)

static const struct text_field {
	const char *name;
	size_t offset, size;
} text_fields[] = {
    {SIZED(error)},         {SIZED(name)},   {SIZED(product_type)}, {SIZED(product_version)},
    {SIZED(build_version)}, {SIZED(serial)}, {SIZED(wifi_ssid)},
};

static const struct enum_field {
	const char *name;
	size_t offset;
	unsigned lowest, highest;
} enum_fields[] = {
    /* A helper never sends "not yet": the daemon reads that as a cancelled probe. */
    {MEMBER(status), PROBE_OK, PROBE_STATUS_COUNT - 1},
    {MEMBER(password_protected), TRI_UNKNOWN, TRI_YES},
    {MEMBER(backup_enabled), TRI_UNKNOWN, TRI_YES},
    {MEMBER(external_connected), TRI_UNKNOWN, TRI_YES},
    {MEMBER(battery_charging), TRI_UNKNOWN, TRI_YES},
    {MEMBER(fully_charged), TRI_UNKNOWN, TRI_YES},
    {MEMBER(wifi_associated), TRI_UNKNOWN, TRI_YES},
};

static const struct bool_field {
	const char *name;
	size_t offset;
} bool_fields[] = {
    {MEMBER(has_last_backup)},
    {MEMBER(last_backup_unreadable)},
    {MEMBER(record_rejected)},
    {MEMBER(pairing_prohibited)},
};

_Static_assert(sizeof(enum probe_status) == sizeof(unsigned) &&
                   sizeof(enum tristate) == sizeof(unsigned),
               "enums travel as unsigned int");
_Static_assert(sizeof(bool) == 1, "bools travel as one byte");

__attribute__((format(printf, 3, 4))) static bool invalid(char *why, size_t size, const char *fmt,
                                                          ...)
{
	va_list args;
	va_start(args, fmt);
	vsnprintf(why, size, fmt, args);
	va_end(args);
	return false;
}

/* Raw checks on the bytes: a bool that is not 0 or 1 must never be read as a bool. */
static bool check_header_and_bools(const unsigned char *bytes, size_t n,
                                   const struct probe_reply_job *job, char *why, size_t size)
{
	uint32_t magic, seq;
	if (n != sizeof(struct probe_reply))
		return invalid(why, size, "reply of %zu bytes", n);
	memcpy(&magic, bytes + offsetof(struct probe_reply, magic), sizeof(magic));
	memcpy(&seq, bytes + offsetof(struct probe_reply, seq), sizeof(seq));
	if (magic != PROBE_WIRE_MAGIC)
		return invalid(why, size, "magic 0x%08x", (unsigned)magic);
	if (seq != job->seq)
		return invalid(why, size, "seq %u, expected %u", (unsigned)seq, (unsigned)job->seq);
	const unsigned char *facts = bytes + offsetof(struct probe_reply, facts);
	for (size_t i = 0; i < sizeof(bool_fields) / sizeof(bool_fields[0]); i++)
		if (facts[bool_fields[i].offset] > 1)
			return invalid(why, size, "%s %u", bool_fields[i].name,
			               facts[bool_fields[i].offset]);
	return true;
}

static bool check_enums(const struct device_facts *facts, char *why, size_t size)
{
	for (size_t i = 0; i < sizeof(enum_fields) / sizeof(enum_fields[0]); i++) {
		const struct enum_field *field = &enum_fields[i];
		unsigned value;
		memcpy(&value, (const char *)facts + field->offset, sizeof(value));
		if (value < field->lowest || value > field->highest)
			return invalid(why, size, "%s %u", field->name, value);
	}
	return true;
}

static bool in_range(int64_t value, int64_t lowest, int64_t highest)
{
	return value >= lowest && value <= highest;
}

static bool check_numbers(const struct device_facts *facts, char *why, size_t size)
{
	if (!in_range(facts->battery_percent, -1, 100))
		return invalid(why, size, "battery %d", facts->battery_percent);
	if (!in_range(facts->total_data_capacity, -1, FACTS_BYTES_MAX))
		return invalid(why, size, "data capacity %" PRId64, facts->total_data_capacity);
	if (!in_range(facts->total_data_available, -1, FACTS_BYTES_MAX))
		return invalid(why, size, "data available %" PRId64, facts->total_data_available);
	if (facts->has_last_backup
	        ? !in_range(facts->last_backup_unix, FACTS_DATE_MIN_UNIX, FACTS_DATE_MAX_UNIX)
	        : facts->last_backup_unix != 0)
		return invalid(why, size, "last backup date %" PRId64, facts->last_backup_unix);
	if (facts->has_last_backup && facts->last_backup_unreadable)
		return invalid(why, size, "last backup date both read and unreadable");
	return true;
}

static bool check_texts(const struct device_facts *facts, const struct probe_reply_job *job,
                        char *why, size_t size)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		const struct text_field *field = &text_fields[i];
		if (!memchr((const char *)facts + field->offset, '\0', field->size))
			return invalid(why, size, "%s not terminated", field->name);
	}
	if (!memchr(facts->udid, '\0', sizeof(facts->udid)) || strcmp(facts->udid, job->udid) != 0)
		return invalid(why, size, "udid of another phone");
	return true;
}

/* Each string made visible once, here; the fields keep their size (cut between characters). */
static void clean_texts(struct device_facts *facts)
{
	for (size_t i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		char *text = (char *)facts + text_fields[i].offset;
		char cleaned[sizeof(facts->error)];
		_Static_assert(sizeof(facts->error) >= sizeof(facts->name), "largest text field");
		text_clean(cleaned, text_fields[i].size, text, strlen(text));
		memcpy(text, cleaned, strlen(cleaned) + 1);
	}
}

bool probe_reply_check(const void *bytes, size_t n, const struct probe_reply_job *job,
                       struct device_facts *out, char *why, size_t why_size)
{
	char detail[120];
	struct probe_reply reply;
	bool ok = check_header_and_bools(bytes, n, job, detail, sizeof(detail));
	if (ok) {
		memcpy(&reply, bytes, sizeof(reply));
		ok = check_enums(&reply.facts, detail, sizeof(detail)) &&
		     check_numbers(&reply.facts, detail, sizeof(detail)) &&
		     check_texts(&reply.facts, job, detail, sizeof(detail));
	}
	if (!ok) {
		snprintf(why, why_size, "probe helper sent an invalid reply (%s)", detail);
		return false;
	}
	*out = reply.facts;
	strlcpy_safe(out->udid, job->udid, sizeof(out->udid));
	clean_texts(out);
	out->probed_at_unix = job->now_unix;
	out->probe_ms = job->elapsed_ms;
	return true;
}

_Static_assert(sizeof(((struct action_result *)0)->description) == ACTION_DESCRIPTION_MAX,
               "an action's description keeps its size");

bool action_reply_check(const void *bytes, size_t n, uint32_t seq, struct action_result *out,
                        char *why, size_t why_size)
{
	struct action_reply reply;
	if (n != sizeof(reply))
		return invalid(why, why_size, "action reply of %zu bytes, expected %zu", n,
		               sizeof(reply));
	memcpy(&reply, bytes, sizeof(reply));
	if (reply.magic != PROBE_WIRE_MAGIC)
		return invalid(why, why_size, "magic 0x%08x", (unsigned)reply.magic);
	if (reply.seq != seq)
		return invalid(why, why_size, "seq %u, expected %u", (unsigned)reply.seq,
		               (unsigned)seq);
	if (reply.outcome >= ACTION_WIRE_COUNT)
		return invalid(why, why_size, "action outcome %u", (unsigned)reply.outcome);
	if (reply.outcome == ACTION_DONE && reply.code != 0)
		return invalid(why, why_size, "action done with code %d", (int)reply.code);
	const char *end = memchr(reply.description, '\0', sizeof(reply.description));
	if (!end)
		return invalid(why, why_size, "action description not terminated");
	out->outcome = reply.outcome;
	out->code = reply.code;
	text_clean(out->description, sizeof(out->description), reply.description,
	           (size_t)(end - reply.description));
	return true;
}
