/* SPDX-License-Identifier: ISC */
/* metrics_render_part (metrics_render.h): a big fleet's /metrics body is written in parts, one
 * per loop turn, and the parts make the same body as one unbounded part; the fleet may change
 * between parts without a family written twice or a record read after it is gone. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "metrics_render.h"
#include "xmalloc.h"

#define N_DEVICES 3000 /* some 15 MB of text: several parts even on a fast machine */

struct fleet {
	struct device_record **records; /* each its own allocation: ASan sees a freed one read */
	const struct device_record **pointers;
	struct backupd_config config;
	struct feed_state feed;
	struct verdict service;
	struct probe_stats probes;
	struct metrics_view view;
};

static void make_device(struct device_record *rec, int i)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->udid, sizeof(rec->udid), "00008030-%016d", i);
	facts_init(&rec->facts, rec->udid);
	snprintf(rec->facts.name, sizeof(rec->facts.name), "Cart 3 #%d", i);
	strcpy(rec->facts.product_type, "iPhone14,5");
	strcpy(rec->facts.product_version, "17.5.1");
	rec->attached = i % 7 != 0;
	rec->facts.status = PROBE_OK;
	rec->facts.battery_percent = i % 101;
	rec->last_probe_ok_unix = 1700000000 + i;
	for (int p = 0; p < PRECOND_COUNT; p++)
		rec->verdicts[p].state = (p + i) % 3 == 0 ? VERDICT_FAILING : VERDICT_OK;
}

static int fleet_setup(void **state)
{
	struct fleet *f = xcalloc(1, sizeof(*f));
	f->records = xcalloc(N_DEVICES, sizeof(*f->records));
	f->pointers = xcalloc(N_DEVICES, sizeof(*f->pointers));
	config_defaults(&f->config);
	for (int i = 0; i < N_DEVICES; i++) {
		f->records[i] = xmalloc(sizeof(*f->records[i]));
		make_device(f->records[i], i);
		f->pointers[i] = f->records[i];
	}
	f->feed = (struct feed_state){.have_good = true, .last_good_unix = 1700000100};
	f->service = (struct verdict){.state = VERDICT_OK};
	f->view = (struct metrics_view){.records = f->pointers,
	                                .n_records = N_DEVICES,
	                                .config = &f->config,
	                                .feed = &f->feed,
	                                .service = &f->service,
	                                .usbmuxd_up = true,
	                                .probes = &f->probes};
	*state = f;
	return 0;
}

static int fleet_teardown(void **state)
{
	struct fleet *f = *state;
	config_free(&f->config);
	for (int i = 0; i < N_DEVICES; i++)
		free(f->records[i]);
	free(f->pointers);
	free(f->records);
	free(f);
	return 0;
}

/* The body's lines, but those whose values move from one render to the next (the process's
 * own figures and the render's duration), NUL-terminated. */
static char *steady_lines(const struct metrics_text *text)
{
	char *out = xmalloc(text->length + 1);
	size_t n = 0;
	const char *line = text->data, *end = text->data + text->length;
	while (line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		size_t length = eol ? (size_t)(eol - line) + 1 : (size_t)(end - line);
		if (strncmp(line, "process_", 8) != 0 &&
		    strncmp(line, "backupd_scrape_duration_seconds ", 32) != 0) {
			memcpy(out + n, line, length);
			n += length;
		}
		line += length;
	}
	out[n] = '\0';
	return out;
}

static int count_lines_starting(const char *text, const char *prefix)
{
	int n = 0;
	size_t length = strlen(prefix);
	for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
		n += strncmp(line, prefix, length) == 0;
		if (strchr(line, '\n') == NULL)
			break;
	}
	return n;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void parts_make_the_whole_body(void **state)
{
	struct fleet *f = *state;
	struct metrics_text whole, parted;
	struct metrics_render_cursor cursor = {0};
	int parts = 0;

	metrics_text_init(&whole, 0);
	metrics_render(&f->view, &whole); /* one part, as long as it takes */
	metrics_text_init(&parted, 0);
	do
		parts++;
	while (!metrics_render_part(&f->view, &parted, &cursor, METRICS_RENDER_PART_US));

	assert_true(parts >= 2);
	char *a = steady_lines(&whole), *b = steady_lines(&parted);
	assert_string_equal(a, b);
	assert_int_equal(count_lines_starting(b, "backupd_device_info{"), N_DEVICES);
	free(a);
	free(b);
	metrics_text_free(&whole);
	metrics_text_free(&parted);
}

/* Half the fleet goes between the first part and the rest (its records freed, as the fleet
 * frees a forgotten phone's): every family is still written once, each with the records there
 * when it was written; ASan sees no read of a freed record. */
static void fleet_shrinks_between_parts(void **state)
{
	struct fleet *f = *state;
	struct metrics_text text;
	struct metrics_render_cursor cursor = {0};
	struct metrics_view half = f->view;
	const struct device_record **kept = xcalloc(N_DEVICES / 2, sizeof(*kept));

	for (int i = 0; i < N_DEVICES / 2; i++)
		kept[i] = f->pointers[2 * i];
	half.records = kept;
	half.n_records = N_DEVICES / 2;
	metrics_text_init(&text, 0);
	assert_false(metrics_render_part(&f->view, &text, &cursor, METRICS_RENDER_PART_US));
	size_t first_families = cursor.next_family, first_bytes = text.length;
	for (int i = 1; i < N_DEVICES; i += 2) {
		free(f->records[i]);
		f->records[i] = NULL;
	}
	while (!metrics_render_part(&half, &text, &cursor, METRICS_RENDER_PART_US))
		;
	mt_bytes(&text, "", 1);

	assert_int_equal(count_lines_starting(text.data, "# HELP backupd_build_info "), 1);
	assert_int_equal(count_lines_starting(text.data, "# HELP backupd_device_info "), 1);
	assert_int_equal(count_lines_starting(text.data, "# HELP backupd_scrape_duration_seconds "),
	                 1);
	/* The first part (half a millisecond) ends long before the 23rd family: 15 MB of text
	 * lie before it. That family shows the fleet as it was when it was written. */
	assert_true(first_families < 20);
	assert_int_equal(
	    count_lines_starting(text.data, "backupd_device_last_probe_success_timestamp_seconds{"),
	    N_DEVICES / 2);
	/* backupd_device_info shows the whole fleet if the first part wrote it, else the half */
	bool info_first =
	    (size_t)(strstr(text.data, "# HELP backupd_device_info ") - text.data) < first_bytes;
	assert_int_equal(count_lines_starting(text.data, "backupd_device_info{"),
	                 info_first ? N_DEVICES : N_DEVICES / 2);
	metrics_text_free(&text);
	free(kept);
}

/* backupd_scrape_duration_seconds counts the parts, not the loop turns between them. */
static void duration_counts_the_parts_only(void **state)
{
	struct fleet *f = *state;
	struct metrics_text text;
	struct metrics_render_cursor cursor = {0};
	const struct timespec pause = {0, 20 * 1000 * 1000};
	int pauses = 0;
	double started = now_s();

	metrics_text_init(&text, 0);
	while (!metrics_render_part(&f->view, &text, &cursor, METRICS_RENDER_PART_US)) {
		nanosleep(&pause, NULL);
		pauses++;
	}
	double wall = now_s() - started;
	mt_bytes(&text, "", 1);
	const char *line = strstr(text.data, "\nbackupd_scrape_duration_seconds ");
	assert_non_null(line);
	double reported = atof(line + strlen("\nbackupd_scrape_duration_seconds "));

	assert_true(pauses >= 1);
	assert_true(reported > 0);
	assert_true(reported <= wall - pauses * 0.020 + 0.001);
	metrics_text_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(parts_make_the_whole_body, fleet_setup, fleet_teardown),
	    cmocka_unit_test_setup_teardown(fleet_shrinks_between_parts, fleet_setup,
	                                    fleet_teardown),
	    cmocka_unit_test_setup_teardown(duration_counts_the_parts_only, fleet_setup,
	                                    fleet_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
