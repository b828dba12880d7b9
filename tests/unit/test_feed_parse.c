/* SPDX-License-Identifier: ISC */
/* feed_parse: every sample payload in tests/fixtures/status-feed/ and the edge cases around
 * it. Each case states the exact resulting feed_state, or the error and an untouched state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feed_parse.h"

#define NOW 1795540000 /* 2026-11-24 17:06:40 UTC: after the sample outages began */

/* An event as a case expects it; NULL message = do not care. */
struct expected_event {
	const char *status_type;
	const char *event_status;
	const char *message;
	int64_t start_unix;
	int64_t end_unix;
};

struct fixture_case {
	const char *file;
	int rc;
	const char *err_part; /* rc -1: a substring of err */
	int n_active;
	struct expected_event active[FEED_EVENTS_MAX];
	int n_upcoming;
	struct expected_event upcoming[FEED_EVENTS_MAX];
};

static const struct expected_event outage = {
    "Outage", "ongoing", "Users may be unable to back up their devices to iCloud.", 1795536000, 0};

static const struct fixture_case fixture_cases[] = {
    {.file = "healthy.json", .rc = 0},
    {.file = "backup-outage.json", .rc = 0, .n_active = 1, .active = {outage}},
    {.file = "backup-outage-jsonp.js", .rc = 0, .n_active = 1, .active = {outage}},
    {.file = "backup-maintenance-upcoming.json",
     .rc = 0,
     .n_upcoming = 1,
     .upcoming = {{"Maintenance", "upcoming", "Scheduled maintenance. Backups may be delayed.",
                   1795708800, 1795716000}}},
    {.file = "performance-and-unknown-values.json",
     .rc = 0,
     .n_active = 2,
     .active = {{"Performance", "ongoing", "Backups may take longer than usual.", 1795536000, 0},
                {"Degraded", "investigating", "A status value this feed has not used before.",
                 1795536000, 0}}},
    {.file = "truncated.json", .rc = -1, .err_part = "not valid JSON"},
    {.file = "html-error-page.html", .rc = -1, .err_part = "HTML page"},
};

static char *read_fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *file;
	char *body;
	long size;

	snprintf(path, sizeof(path), "%s/%s", FEED_FIXTURE_DIR, name);
	file = fopen(path, "rb");
	assert_non_null(file);
	assert_int_equal(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	assert_true(size >= 0);
	rewind(file);
	body = malloc((size_t)size + 1);
	assert_non_null(body);
	assert_int_equal(fread(body, 1, (size_t)size, file), (size_t)size);
	fclose(file);
	*len = (size_t)size;
	return body;
}

static void assert_event(const struct feed_event *got, const struct expected_event *want)
{
	assert_string_equal(got->status_type, want->status_type);
	assert_string_equal(got->event_status, want->event_status);
	if (want->message)
		assert_string_equal(got->message, want->message);
	assert_int_equal(got->start_unix, want->start_unix);
	assert_int_equal(got->end_unix, want->end_unix);
}

/* A state full of recognisable junk, to prove success replaces it and failure keeps it. */
static void fill_stale(struct feed_state *state)
{
	memset(state, 0x5a, sizeof(*state));
	state->unreachable = true;
	state->unreachable_since = 42;
	state->n_active = 1;
	state->n_upcoming = 0;
	snprintf(state->last_error, sizeof(state->last_error), "HTTP 500");
}

static void assert_parsed(const struct feed_state *state, int n_active, int n_upcoming)
{
	assert_true(state->have_good);
	assert_int_equal(state->last_good_unix, NOW);
	assert_false(state->unreachable);
	assert_int_equal(state->unreachable_since, 0);
	assert_string_equal(state->last_error, "");
	assert_int_equal(state->n_active, n_active);
	assert_int_equal(state->n_upcoming, n_upcoming);
}

static void check_fixture(const struct fixture_case *c)
{
	struct feed_state state, before;
	char err[256] = "";
	size_t len;
	char *body = read_fixture(c->file, &len);

	fill_stale(&state);
	before = state;
	assert_int_equal(feed_parse(body, len, NOW, &state, err, sizeof(err)), c->rc);
	free(body);
	if (c->rc != 0) {
		assert_non_null(strstr(err, c->err_part));
		assert_memory_equal(&state, &before, sizeof(state));
		return;
	}
	assert_parsed(&state, c->n_active, c->n_upcoming);
	for (int i = 0; i < c->n_active; i++)
		assert_event(&state.active[i], &c->active[i]);
	for (int i = 0; i < c->n_upcoming; i++)
		assert_event(&state.upcoming[i], &c->upcoming[i]);
}

static void test_fixtures(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(fixture_cases) / sizeof(fixture_cases[0]); i++) {
		print_message("fixture %s\n", fixture_cases[i].file);
		check_fixture(&fixture_cases[i]);
	}
}

/* Inline payloads. */
static int parse_text(const char *text, struct feed_state *state, char *err, size_t err_size)
{
	return feed_parse(text, strlen(text), NOW, state, err, err_size);
}

static void expect_ok(const char *text, int n_active, int n_upcoming, struct feed_state *state)
{
	char err[256] = "";

	fill_stale(state);
	if (parse_text(text, state, err, sizeof(err)) != 0)
		fail_msg("rejected %s: %s", text, err);
	assert_parsed(state, n_active, n_upcoming);
}

static void expect_error(const char *text, const char *err_part)
{
	struct feed_state state, before;
	char err[256] = "";

	fill_stale(&state);
	before = state;
	assert_int_equal(parse_text(text, &state, err, sizeof(err)), -1);
	if (!strstr(err, err_part))
		fail_msg("error for %s is \"%s\", wanted \"%s\"", text, err, err_part);
	assert_memory_equal(&state, &before, sizeof(state));
}

#define OUTAGE_FEED                                                                                \
	"{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"statusType\":"           \
	"\"Outage\",\"eventStatus\":\"ongoing\",\"message\":\"down\",\"epochStartDate\":"          \
	"1795536000000}]}]}"

static void test_wrappers(void **unused)
{
	struct feed_state state;
	(void)unused;

	expect_ok("\xEF\xBB\xBF" OUTAGE_FEED, 1, 0, &state);
	expect_ok("jsonCallback(" OUTAGE_FEED ");", 1, 0, &state);
	expect_ok("jsonCallback(" OUTAGE_FEED ")", 1, 0, &state);
	expect_ok(" \r\n\tjsonCallback \n( \n" OUTAGE_FEED "\n ) ; \n\n", 1, 0, &state);
	expect_ok("\xEF\xBB\xBF  jsonCallback(" OUTAGE_FEED ");\n", 1, 0, &state);
	expect_ok("\n\n  " OUTAGE_FEED "  \n", 1, 0, &state);
	assert_string_equal(state.active[0].message, "down");
	assert_int_equal(state.active[0].start_unix, 1795536000);
}

static void test_bad_input(void **unused)
{
	(void)unused;
	expect_error("", "empty body");
	expect_error(" \n\t ", "empty body");
	expect_error("\xEF\xBB\xBF", "empty body");
	expect_error("<html><body>502 Bad Gateway</body></html>", "HTML page");
	expect_error("jsonCallback(" OUTAGE_FEED, "jsonCallback(...)");
	expect_error("(" OUTAGE_FEED ")", "jsonCallback(...)");
	expect_error("jsonCallback(" OUTAGE_FEED ");;", "jsonCallback(...)");
	expect_error("Service Unavailable", "jsonCallback(...)");
	expect_error("{\"services\":[", "not valid JSON");
	expect_error("jsonCallback({\"services\":[});", "not valid JSON");
	expect_error("{\"drpost\":false}", "no services array");
	expect_error("{\"services\":{}}", "no services array");
	expect_error("{\"services\":null}", "no services array");
	expect_error("jsonCallback([1,2]);", "no services array");
}

static void test_service_absent_or_empty(void **unused)
{
	struct feed_state state;
	(void)unused;

	expect_ok("{\"services\":[]}", 0, 0, &state);
	expect_ok("{\"services\":[{\"serviceName\":\"Mail\",\"events\":[{\"statusType\":\"Outage\","
	          "\"eventStatus\":\"ongoing\"}]}]}",
	          0, 0, &state);
	/* "iCloud Account & Sign In" is another service, not a prefix match. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup Extra\",\"events\":[{"
	          "\"eventStatus\":\"ongoing\"}]},{\"serviceName\":\"icloud backup\",\"events\":[{"
	          "\"eventStatus\":\"ongoing\"}]}]}",
	          0, 0, &state);
	expect_ok("{\"services\":[1,\"x\",null,{\"serviceName\":\"iCloud Backup\"}]}", 0, 0,
	          &state);
}

static void test_missing_and_null_fields(void **unused)
{
	struct feed_state state;
	(void)unused;

	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":null}]}", 0, 0,
	          &state);
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	          "\"ongoing\"}]}]}",
	          1, 0, &state);
	assert_event(&state.active[0], &(struct expected_event){"", "ongoing", "", 0, 0});
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"statusType\":"
	          "null,\"eventStatus\":\"ongoing\",\"message\":null,\"epochStartDate\":null,"
	          "\"startDate\":null,\"epochEndDate\":null,\"affectedServices\":null}]}]}",
	          1, 0, &state);
	assert_event(&state.active[0], &(struct expected_event){"", "ongoing", "", 0, 0});
	/* Wrong types are ignored like missing fields; a non-object event is skipped. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[7,{\"statusType\":"
	          "3,\"eventStatus\":\"ongoing\",\"message\":[],\"epochStartDate\":\"soon\"}]}]}",
	          1, 0, &state);
	assert_event(&state.active[0], &(struct expected_event){"", "ongoing", "", 0, 0});
}

static void test_unknown_values(void **unused)
{
	struct feed_state state;
	(void)unused;

	/* Unknown statusType on an ongoing event: active, the text kept for the rules. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"statusType\":"
	          "\"Meltdown\",\"eventStatus\":\"ONGOING\"}]}]}",
	          1, 0, &state);
	assert_string_equal(state.active[0].status_type, "Meltdown");
	/* Unknown eventStatus: active unless it ended before now; missing = unknown. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":["
	          "{\"statusType\":\"Issue\",\"eventStatus\":\"monitoring\",\"epochEndDate\":"
	          "1795530000000},"
	          "{\"statusType\":\"Issue\",\"eventStatus\":\"monitoring\",\"epochEndDate\":"
	          "1795550000000},"
	          "{\"statusType\":\"Issue\"},"
	          "{\"statusType\":\"Issue\",\"eventStatus\":\"resolved\"},"
	          "{\"statusType\":\"Maintenance\",\"eventStatus\":\"completed\"},"
	          "{\"statusType\":\"Maintenance\",\"eventStatus\":\"ongoing\"},"
	          "{\"statusType\":\"Outage\",\"eventStatus\":\"upcoming\"}]}]}",
	          3, 1, &state);
	assert_int_equal(state.active[0].end_unix, 1795550000);
	assert_string_equal(state.active[1].event_status, "");
	assert_string_equal(state.active[2].status_type, "Maintenance");
	assert_string_equal(state.upcoming[0].status_type, "Outage");
}

static void test_event_cap(void **unused)
{
	struct feed_state state;
	(void)unused;

	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":["
	          "{\"eventStatus\":\"ongoing\",\"message\":\"1\"},{\"eventStatus\":\"ongoing\"},"
	          "{\"eventStatus\":\"upcoming\",\"message\":\"u\"},{\"eventStatus\":\"ongoing\"},"
	          "{\"eventStatus\":\"ongoing\",\"message\":\"4\"},{\"eventStatus\":\"ongoing\","
	          "\"message\":\"5\"}]}]}",
	          FEED_EVENTS_MAX, 1, &state);
	assert_string_equal(state.active[0].message, "1");
	assert_string_equal(state.active[3].message, "4");
	assert_string_equal(state.upcoming[0].message, "u");
}

static void test_times(void **unused)
{
	struct feed_state state;
	int64_t t = -1;
	(void)unused;

	/* The text forms when no epoch is given: PST is UTC-8, PDT UTC-7. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	          "\"ongoing\",\"startDate\":\"11/24/2026 07:00 PST\",\"endDate\":null},"
	          "{\"eventStatus\":\"upcoming\",\"startDate\":\"07/04/2026 10:30 PDT\","
	          "\"endDate\":\"07/04/2026 12:00 PDT\",\"epochEndDate\":null}]}]}",
	          1, 1, &state);
	assert_int_equal(state.active[0].start_unix, 1795532400);   /* 15:00 UTC */
	assert_int_equal(state.upcoming[0].start_unix, 1783186200); /* 17:30 UTC */
	assert_int_equal(state.upcoming[0].end_unix, 1783191600);
	/* An epoch given as a real number, as some JSON writers do. */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	          "\"ongoing\",\"epochStartDate\":1795536000000.0}]}]}",
	          1, 0, &state);
	assert_int_equal(state.active[0].start_unix, 1795536000);

	assert_int_equal(feed_parse_local_date("01/01/1970 00:00 UTC", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(feed_parse_local_date("02/29/2028 23:59 GMT", &t), 0);
	assert_int_equal(t, 1835481540);
	assert_int_equal(feed_parse_local_date("11/24/2026 07:00 CET", &t), -1);
	assert_int_equal(feed_parse_local_date("13/24/2026 07:00 PST", &t), -1);
	assert_int_equal(feed_parse_local_date("11/24/2026 24:00 PST", &t), -1);
	assert_int_equal(feed_parse_local_date("11/24/2026 07:00 PST extra", &t), -1);
	assert_int_equal(feed_parse_local_date("11/24/2026", &t), -1);
	assert_int_equal(feed_parse_local_date("", &t), -1);
}

static void test_text_is_sanitised(void **unused)
{
	struct feed_state state;
	char text[2048];
	int n;
	(void)unused;

	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	          "\"ongoing\",\"message\":\"line one\\nline\\ttwo\\u0007\"}]}]}",
	          1, 0, &state);
	assert_string_equal(state.active[0].message, "line one\\nline\\ttwo\\007");
	/* C1, bidi override and zero-width characters in statusType and message */
	expect_ok("{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	          "\"ongoing\",\"statusType\":\"Out\\u0085age\\u202e\",\"message\":"
	          "\"a\\u200bb\\u001b[2J\"}]}]}",
	          1, 0, &state);
	assert_string_equal(state.active[0].status_type, "Out\\302\\205age\\342\\200\\256");
	assert_string_equal(state.active[0].message, "a\\342\\200\\213b\\033[2J");

	/* 510 ASCII bytes then "é" (2 bytes) crosses the 511-byte limit: cut before it. */
	n = snprintf(
	    text, sizeof(text),
	    "{\"services\":[{\"serviceName\":\"iCloud Backup\",\"events\":[{\"eventStatus\":"
	    "\"ongoing\",\"message\":\"%0510d\xC3\xA9tail\"}]}]}",
	    0);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	expect_ok(text, 1, 0, &state);
	assert_int_equal(strlen(state.active[0].message), 510);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixtures),
	    cmocka_unit_test(test_wrappers),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_service_absent_or_empty),
	    cmocka_unit_test(test_missing_and_null_fields),
	    cmocka_unit_test(test_unknown_values),
	    cmocka_unit_test(test_event_cap),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_text_is_sanitised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
