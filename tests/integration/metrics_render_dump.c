/* SPDX-License-Identifier: ISC */
/* Renders /metrics for a made-up fleet whose device strings try to break the format (quotes,
 * backslashes, newlines, invalid UTF-8, long multibyte names) and writes it to stdout, for
 * metrics_render.sh to check with promtool. */
#include <stdio.h>
#include <string.h>

#include "metrics_render.h"

#define N_DEVICES 5

static const char *const names[N_DEVICES] = {
    "Cart \"3\" #12",
    "evil\nbackupd_device_attached{udid=\"x\"} 1",
    "C:\\phones\\",
    "bad \xff\xfe utf-8 \xc3",
    "\xe3\x82\xab\xe3\x83\xbc\xe3\x83\x88\xe4\xb8\x89\xe7\x95\xaa\xe3\x81\xae\xe3\x82\xa2"
    "\xe3\x82\xa4\xe3\x83\x95\xe3\x82\xa9\xe3\x83\xb3\xe5\x8d\x81\xe4\xba\x8c",
};

static void make_device(struct device_record *rec, int i)
{
	memset(rec, 0, sizeof(*rec));
	snprintf(rec->udid, sizeof(rec->udid), "00008030-00000000000000%02d", i);
	facts_init(&rec->facts, rec->udid);
	strcpy(rec->facts.name, names[i]);
	strcpy(rec->facts.product_type, i == 1 ? "iPhone\"1" : "iPhone14,5");
	strcpy(rec->facts.product_version, "17.5.1");
	rec->attached = i != 4;
	rec->facts.status = PROBE_OK;
	rec->facts.probed_at_unix = 1700000000 + i;
	rec->last_seen_unix = 1700000000;
	rec->last_probe_ok_unix = rec->facts.probed_at_unix;
	rec->facts.battery_percent = i * 25; /* 0, 25, 50, 75, 100 */
	rec->facts.external_connected = i % 2 ? TRI_YES : TRI_NO;
	rec->facts.battery_charging = TRI_UNKNOWN;
	rec->facts.has_last_backup = i != 2;
	rec->facts.last_backup_unix = 1699990000;
	rec->facts.total_data_capacity = 128000000000LL;
	rec->facts.total_data_available = 100000000000LL;
	for (int p = 0; p < PRECOND_COUNT; p++)
		rec->verdicts[p].state = (p + i) % 3 == 0 ? VERDICT_FAILING : VERDICT_OK;
}

int main(void)
{
	static struct device_record records[N_DEVICES];
	const struct device_record *pointers[N_DEVICES];
	struct backupd_config config;
	struct feed_state feed = {.have_good = true, .last_good_unix = 1700000100};
	struct verdict service = {.state = VERDICT_OK};
	struct probe_stats probes = {0};
	struct metrics_text text;

	config_defaults(&config);
	for (int i = 0; i < N_DEVICES; i++) {
		make_device(&records[i], i);
		pointers[i] = &records[i];
		probe_stats_record(&probes, i ? PROBE_OK : PROBE_UNRESPONSIVE, 3 + 700 * i);
	}
	struct metrics_view view = {
	    .records = pointers,
	    .n_records = N_DEVICES,
	    .config = &config,
	    .feed = &feed,
	    .service = &service,
	    .usbmuxd_up = true,
	    .probes = &probes,
	};
	metrics_text_init(&text, 0);
	metrics_render(&view, &text);
	fwrite(text.data, 1, text.length, stdout);
	metrics_text_free(&text);
	config_free(&config);
	return 0;
}
