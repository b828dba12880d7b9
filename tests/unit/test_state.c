/* SPDX-License-Identifier: ISC */
/* state.c: round trip, atomic replacement, corrupt files set aside, pruning by age. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "alert.h"
#include "forget.h"
#include "state.h"

#define NOW     1800000000
#define MAX_AGE (36 * 3600)

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_state.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int remove_dir(void **state)
{
	struct dirent *d;
	char path[512];
	DIR *dp = opendir(dir);

	(void)state;
	while (dp && (d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			unlink(path);
		}
	if (dp)
		closedir(dp);
	rmdir(dir);
	return 0;
}

/* How many files in dir have names starting with prefix. */
static int count_files(const char *prefix)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	assert_non_null(dp);
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    strncmp(d->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(dp);
	return n;
}

static void write_file(const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_record(struct device_record *rec, const char *udid, int64_t last_seen)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->udid, sizeof(rec->udid), "%s", udid);
	facts_init(&rec->facts, udid);
	rec->facts.status = PROBE_TRUST_PENDING;
	strcpy(rec->facts.name, "Cart \"1\" Slot 3");
	strcpy(rec->facts.product_type, "iPhone14,5");
	strcpy(rec->facts.product_version, "17.5.1");
	rec->facts.backup_enabled = TRI_NO;
	rec->facts.wifi_associated = TRI_YES;
	rec->facts.has_last_backup = true;
	rec->facts.last_backup_unix = NOW - 7200;
	rec->facts.battery_percent = 42;
	rec->facts.probe_ms = 1234;
	rec->verdicts[PRECOND_BACKUP_ENABLED] =
	    (struct verdict){VERDICT_FAILING, "iCloud Backup off"};
	rec->verdicts[PRECOND_WIFI] = (struct verdict){VERDICT_OK, "associated"};
	rec->alerts[PRECOND_BACKUP_ENABLED] =
	    (struct alert_memory){VERDICT_FAILING, 0, NOW - 60, 2, NOW - 10};
	rec->alerts[PRECOND_REACHABLE] =
	    (struct alert_memory){VERDICT_FAILING, PROBE_TRUST_PENDING, NOW - 30, 0, 0};
	rec->attached = true;
	rec->first_seen_unix = NOW - 86400;
	rec->last_seen_unix = last_seen;
}

static void test_missing_file_is_empty(void **state)
{
	struct device_record *recs = (void *)1;
	size_t n = 5;
	char warn[256] = "";

	(void)state;
	assert_int_equal(state_load(dir, &recs, &n, NULL, warn, sizeof(warn)), 0);
	assert_null(recs);
	assert_int_equal(n, 0);
}

static void test_round_trip(void **state)
{
	struct device_record a, b, *loaded = NULL;
	struct device_record *recs[] = {&a, &b};
	struct fleet_alerts fleet = {{VERDICT_FAILING, 0, NOW - 5, 0, 0}, true, false}, fleet_in;
	char err[256] = "";
	size_t n = 0;

	(void)state;
	make_record(&a, "UDID-A", NOW);
	make_record(&b, "UDID-B", NOW - 100);
	b.attached = false;
	assert_int_equal(state_save(dir, recs, 2, &fleet, NOW, MAX_AGE, err, sizeof(err)), 0);
	assert_int_equal(state_load(dir, &loaded, &n, &fleet_in, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	a.attached = false; /* loading never claims a device is attached */
	/* both sides were zeroed whole (memset, calloc) before their fields were set */
	assert_memory_equal(&loaded[0], &a, sizeof(a));
	assert_memory_equal(&loaded[1], &b, sizeof(b));
	/* field by field: the padding of the local structs is not initialised */
	assert_int_equal(fleet_in.icloud_service.announced, VERDICT_FAILING);
	assert_int_equal(fleet_in.icloud_service.announced_at_unix, NOW - 5);
	assert_true(fleet_in.feed_unreachable_announced);
	assert_false(fleet_in.usbmuxd_unavailable_announced);
	free(loaded);
}

static void count_entry(void *ctx, const struct journal_entry *entry)
{
	(void)entry;
	(*(int *)ctx)++;
}

/* The point of the state file: a restart does not repeat what was announced. */
static void test_restart_does_not_reannounce(void **state)
{
	struct device_record a, *recs[] = {&a}, *loaded = NULL;
	int entries = 0;
	struct alert_sink sink = {count_entry, &entries, NULL};
	char err[256] = "";
	size_t n = 0;

	(void)state;
	make_record(&a, "UDID-A", NOW);
	memset(a.alerts, 0, sizeof(a.alerts)); /* nothing announced yet */
	assert_int_equal(alert_device_verdicts(&a, a.verdicts, NOW, 3600, &sink), 1);
	assert_int_equal(state_save(dir, recs, 1, NULL, NOW, MAX_AGE, err, sizeof(err)), 0);
	assert_int_equal(state_load(dir, &loaded, &n, NULL, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	entries = 0;
	assert_int_equal(alert_device_verdicts(&loaded[0], a.verdicts, NOW + 7200, 3600, &sink), 0);
	assert_int_equal(entries, 0);
	/* while a fresh record would announce the failure again */
	memset(loaded[0].alerts, 0, sizeof(loaded[0].alerts));
	assert_int_equal(alert_device_verdicts(&loaded[0], a.verdicts, NOW + 7200, 3600, &sink), 1);
	free(loaded);
}

static void test_atomic_no_temp_left(void **state)
{
	struct device_record a, *recs[] = {&a};
	char err[256] = "";

	(void)state;
	make_record(&a, "UDID-A", NOW);
	for (int i = 0; i < 3; i++)
		assert_int_equal(state_save(dir, recs, 1, NULL, NOW + i, MAX_AGE, err, sizeof(err)),
		                 0);
	assert_int_equal(count_files(""), 1);
	assert_int_equal(count_files("state.json"), 1);
}

static void test_save_error_keeps_old_file(void **state)
{
	struct device_record a, *recs[] = {&a};
	char err[256] = "", missing[128];

	(void)state;
	make_record(&a, "UDID-A", NOW);
	snprintf(missing, sizeof(missing), "%s/no/such/dir", dir);
	assert_int_equal(state_save(missing, recs, 1, NULL, NOW, MAX_AGE, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "temp file"));
}

static void test_prunes_old_devices(void **state)
{
	struct device_record fresh, old, attached_old, *loaded = NULL;
	struct device_record *recs[] = {&fresh, &old, &attached_old};
	char err[256] = "";
	size_t n = 0;

	(void)state;
	make_record(&fresh, "FRESH", NOW - MAX_AGE);
	fresh.attached = false;
	make_record(&old, "OLD", NOW - MAX_AGE - 1);
	old.attached = false;
	make_record(&attached_old, "ATTACHED", NOW - MAX_AGE - 1);
	assert_int_equal(state_save(dir, recs, 3, NULL, NOW, MAX_AGE, err, sizeof(err)), 0);
	assert_int_equal(state_load(dir, &loaded, &n, NULL, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(loaded[0].udid, "FRESH");
	assert_string_equal(loaded[1].udid, "ATTACHED");
	free(loaded);
}

static void expect_set_aside(const char *text, const char *why)
{
	struct device_record *loaded = (void *)1;
	struct fleet_alerts fleet = {.usbmuxd_unavailable_announced = true};
	char warn[512] = "";
	size_t n = 7;

	write_file(text);
	assert_int_equal(state_load(dir, &loaded, &n, &fleet, warn, sizeof(warn)), 1);
	assert_null(loaded);
	assert_int_equal(n, 0);
	assert_false(fleet.usbmuxd_unavailable_announced);
	assert_non_null(strstr(warn, "set aside as"));
	assert_non_null(strstr(warn, "state.json.corrupt-"));
	if (why)
		assert_non_null(strstr(warn, why));
	assert_int_equal(count_files("state.json.corrupt-"), 1);
	assert_int_equal(count_files("state.json"), 1); /* only the corrupt one */
	/* the next load starts clean */
	assert_int_equal(state_load(dir, &loaded, &n, NULL, warn, sizeof(warn)), 0);
}

static void test_bad_json_set_aside(void **state)
{
	(void)state;
	expect_set_aside("{\"version\": 1, \"devices\": [", NULL);
}

static void test_wrong_version_set_aside(void **state)
{
	(void)state;
	expect_set_aside("{\"version\": 99, \"devices\": []}", "unsupported version");
}

static void test_wrong_types_set_aside(void **state)
{
	(void)state;
	expect_set_aside("{\"version\": 1, \"fleet\": {\"feed_unreachable_announced\": false,"
	                 " \"usbmuxd_unavailable_announced\": false, \"icloud_service\":"
	                 " {\"announced\": \"ok\", \"probe_status\": \"not_yet\", \"at\": 0}},"
	                 " \"devices\": [{\"udid\": \"X\", \"first_seen\": \"yesterday\"}]}",
	                 "time field");
}

static void test_not_an_object_set_aside(void **state)
{
	(void)state;
	expect_set_aside("[1, 2, 3]", "not a JSON object");
}

/* Reads the saved file and replaces the first "from" by "to". Caller frees. */
static char *saved_with(const char *from, const char *to)
{
	char path[256], *text, *out, *hit;
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/state.json", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)size + 1);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	hit = strstr(text, from);
	assert_non_null(hit);
	out = calloc(1, (size_t)size + strlen(to) + 1);
	memcpy(out, text, (size_t)(hit - text));
	strcat(out, to);
	strcat(out, hit + strlen(from));
	free(text);
	return out;
}

static void test_bad_fact_type_set_aside(void **state)
{
	struct device_record a, *recs[] = {&a};
	char err[256] = "", *text;

	(void)state;
	make_record(&a, "UDID-A", NOW);
	assert_int_equal(state_save(dir, recs, 1, NULL, NOW, MAX_AGE, err, sizeof(err)), 0);
	/* a tristate that is neither yes, no nor unknown */
	text = saved_with("\"wifi_associated\": \"yes\"", "\"wifi_associated\": \"maybe\"");
	expect_set_aside(text, "wrong type");
	free(text);
	/* an integer where a string belongs */
	assert_int_equal(state_save(dir, recs, 1, NULL, NOW, MAX_AGE, err, sizeof(err)), 0);
	text = saved_with("\"product_type\": \"iPhone14,5\"", "\"product_type\": 5");
	remove_dir(NULL);
	make_dir(NULL);
	expect_set_aside(text, "wrong type");
	free(text);
}

/* Saves a, replaces from by to in the file, loads it back into *loaded (one record). */
static void reload_with(struct device_record *a, const char *from, const char *to,
                        struct device_record **loaded)
{
	struct device_record *recs[] = {a};
	char err[256] = "", *text;
	size_t n = 0;

	assert_int_equal(state_save(dir, recs, 1, NULL, NOW, MAX_AGE, err, sizeof(err)), 0);
	text = saved_with(from, to);
	write_file(text);
	free(text);
	assert_int_equal(state_load(dir, loaded, &n, NULL, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
}

/* A file from before cleaning, or edited by hand: raw bytes are cleaned as they load, the
 * escapes an earlier cleaning wrote stay as they are, and a second round changes nothing. */
static void test_loaded_strings_cleaned(void **state)
{
	struct device_record a, *loaded = NULL, *again = NULL;
	const char *want = "Evil\\nCart 9\\033[31m \\n \\xff!";

	(void)state;
	make_record(&a, "UDID-A", NOW);
	reload_with(&a, "\"name\": \"Cart \\\"1\\\" Slot 3\"",
	            "\"name\": \"Evil\\nCart 9\\u001b[31m \\\\n \\\\xff!\"", &loaded);
	assert_string_equal(loaded[0].facts.name, want);
	reload_with(&loaded[0], "\"product_type\": \"iPhone14,5\"",
	            "\"product_type\": \"iPhone\\u202e5,41\\u0007x\"", &again);
	assert_string_equal(again[0].facts.name, want);
	assert_string_equal(again[0].facts.product_type, "iPhone\\342\\200\\2565,41\\007x");
	free(loaded);
	free(again);
}

/* Alert memory times out of any date a phone could have (a damaged or edited file) load as
 * 0 (never), so AlertRepeat's arithmetic never sees them. */
static void test_memory_times_bounded(void **state)
{
	struct device_record a, *loaded = NULL;
	char to[128];

	(void)state;
	make_record(&a, "UDID-A", NOW);
	a.alerts[PRECOND_BACKUP_ENABLED].repeats = 1;
	snprintf(to, sizeof(to), "\"repeated_at\": 9223372036854775000");
	char from[64];
	snprintf(from, sizeof(from), "\"repeated_at\": %d", NOW - 10);
	reload_with(&a, from, to, &loaded);
	assert_int_equal(loaded[0].alerts[PRECOND_BACKUP_ENABLED].repeated_at_unix, 0);
	assert_int_equal(loaded[0].alerts[PRECOND_BACKUP_ENABLED].announced_at_unix, NOW - 60);
	free(loaded);
	snprintf(from, sizeof(from), "\"at\": %d", NOW - 60);
	reload_with(&a, from, "\"at\": -9223372036854775000", &loaded);
	assert_int_equal(loaded[0].alerts[PRECOND_BACKUP_ENABLED].announced_at_unix, 0);
	free(loaded);
}

/* Issue 21 item 5: every time the state file gives is bounded where it is read (state_time),
 * so that no edited or damaged file feeds absurd times to arithmetic: last_seen = INT64_MIN
 * overflowed forget.c's "now - last_seen" (UBSan aborted at start). Out of bounds reads as 0
 * (unknown), which the forget arithmetic and the slot history take in their stride. */
#define EXTREMES_DOC                                                                               \
	"{\"version\": 1, \"fleet\": {\"feed_unreachable_announced\": false,"                      \
	" \"usbmuxd_unavailable_announced\": false, \"icloud_service\": {\"announced\": \"ok\","   \
	" \"probe_status\": \"not_yet\", \"at\": 0}}, \"devices\": [{\"udid\": \"U\","             \
	" \"first_seen\": %s, \"last_seen\": %s, \"facts\": {\"status\": \"ok\", "                 \
	"\"last_backup\": %s,"                                                                     \
	" \"probed_at\": %s}, \"verdicts\": {}, \"alerts\": {}, \"slot\": {\"visits\": "           \
	"[{\"port_path\":"                                                                         \
	" \"1-1\", \"since\": %s, \"until\": %s}], \"observations\": [{\"port_path\": \"1-1\","    \
	" \"seen\": \"ok\", \"slot_told\": false, \"since\": %s, \"at\": %s}], "                   \
	"\"off_cart_told\": %s}}]}"

static void load_extremes(const char *t, struct device_record **recs, size_t *n)
{
	char text[2048];
	struct fleet_alerts fleet;
	json_error_t error;
	snprintf(text, sizeof(text), EXTREMES_DOC, t, t, t, t, t, t, t, t, t);
	json_t *doc = json_loads(text, 0, &error);
	assert_non_null(doc);
	assert_null(state_from_json(doc, recs, n, &fleet));
	json_decref(doc);
	assert_int_equal(*n, 1);
}

static void test_state_times_bounded(void **state)
{
	static const char *const extremes[] = {"-9223372036854775808", "9223372036854775807", "-1",
	                                       "32503680001"};
	(void)state;
	for (size_t i = 0; i < sizeof(extremes) / sizeof(extremes[0]); i++) {
		struct device_record *recs = NULL;
		size_t n = 0;
		load_extremes(extremes[i], &recs, &n);
		const struct device_record *r = &recs[0];
		int64_t times[] = {r->first_seen_unix,
		                   r->last_seen_unix,
		                   r->facts.last_backup_unix,
		                   r->facts.probed_at_unix,
		                   r->slot.visits[0].since_unix,
		                   r->slot.visits[0].until_unix,
		                   r->slot.observations[0].since_unix,
		                   r->slot.observations[0].at_unix,
		                   r->slot.off_cart_told_unix};
		for (size_t k = 0; k < sizeof(times) / sizeof(times[0]); k++)
			if (times[k] != 0)
				fail_msg("%s: time %zu read as %lld, want 0", extremes[i], k,
				         (long long)times[k]);
		const struct device_record *ptrs[] = {r};
		enum forget_reason why;
		struct forget_policy policy = {.after_s = 30 * 86400, .max_remembered = 10};
		assert_int_equal(forget_select(ptrs, 1, NOW, &policy, &why), 1);
		free(recs);
	}
	/* A time a phone could have stays as it is. */
	struct device_record *recs = NULL;
	size_t n = 0;
	load_extremes("1800000000", &recs, &n);
	assert_int_equal(recs[0].last_seen_unix, 1800000000);
	assert_int_equal(recs[0].slot.off_cart_told_unix, 1800000000);
	free(recs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_missing_file_is_empty, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_round_trip, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_restart_does_not_reannounce, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_atomic_no_temp_left, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_save_error_keeps_old_file, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_prunes_old_devices, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_bad_json_set_aside, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_wrong_version_set_aside, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_wrong_types_set_aside, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_not_an_object_set_aside, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_bad_fact_type_set_aside, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_loaded_strings_cleaned, make_dir, remove_dir),
	    cmocka_unit_test_setup_teardown(test_memory_times_bounded, make_dir, remove_dir),
	    cmocka_unit_test(test_state_times_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
