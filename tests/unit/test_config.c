/* SPDX-License-Identifier: ISC */
/* config: the defaults, files that load, and the shipped conf/backupd.conf. Each test writes
 * real files into a fresh mkdtemp directory (config_fixture.h); drop-ins and refused files are
 * in test_config_files.c, [Device] sections in test_config_devices.c, every way a line can be
 * wrong in test_config_errors.c. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "config.h"
#include "config_fixture.h"

/* ---- defaults and valid files --------------------------------------------------------- */

static void assert_defaults(const struct backupd_config *c)
{
	assert_int_equal(c->poll_interval_ms, 5 * MINUTE);
	assert_int_equal(c->probe_timeout_ms, 10 * SECOND);
	assert_int_equal(c->workers, 16);
	assert_string_equal(RULE_LIMIT(c->limits, IOS_CURRENT, 0).text, "");
	assert_int_equal(RULE_LIMIT(c->limits, BACKUP_RECENT, 0).number, 36 * 3600);
	assert_int_equal(RULE_LIMIT(c->limits, ICLOUD_STORAGE, 0).number, 5000000000LL);
	assert_int_equal(c->alert_holdoff_ms, HOUR);
	assert_string_equal(
	    c->status_feed_url,
	    "https://www.apple.com/support/systemstatus/data/system_status_en_US.js");
	assert_int_equal(c->status_feed_interval_ms, 5 * MINUTE);
	assert_int_equal(c->status_feed_alert_after_ms, HOUR);
	assert_string_equal(c->state_directory, "/var/lib/backupd");
	assert_string_equal(c->control_socket, "/run/backupd/control");
	assert_string_equal(c->sysfs_root, "/sys");
	assert_int_equal(c->port_names.n, 0);
	assert_string_equal(c->control_group, "backupd");
	assert_int_equal(c->forget_after_s, 28 * 24 * 3600);
	assert_int_equal(c->max_remembered, 10000);
	assert_int_equal(c->metrics_listen.n, 1);
	assert_int_equal(c->metrics_listen.addresses[0].family, AF_INET);
	assert_string_equal(c->metrics_listen.addresses[0].host, "127.0.0.1");
	assert_int_equal(c->metrics_listen.addresses[0].port, 9816);
	assert_int_equal(c->metrics_max_connections, 32);
	assert_int_equal(c->metrics_request_timeout_ms, 10 * SECOND);
	assert_int_equal(c->actions_allowed, 0); /* actions are off by default */
	assert_string_equal(c->action_group, "");
	assert_int_equal(c->restart_timeout_ms, 3 * MINUTE);
	assert_int_equal(c->auto_enable_backup, 0);
	assert_int_equal(c->n_devices, 0);
	assert_null(c->devices);
}

static void test_missing_files_mean_defaults(void **state)
{
	struct fixture *f = *state;

	f->config.workers = 3; /* replaced on success */
	assert_int_equal(
	    config_load(&f->config, f->main_path, f->dropin_dir, f->err, sizeof(f->err)), 0);
	assert_defaults(&f->config);
	assert_int_equal(config_load(&f->config, NULL, NULL, NULL, 0), 0);
	assert_defaults(&f->config);
}

static void test_every_key(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "\xEF\xBB\xBF# backupd\n"
	           "; another comment\n"
	           "\n"
	           "[Probe]\n"
	           "  PollInterval =  90s  \n"
	           "ProbeTimeout=500ms\r\n"
	           "Workers=256\n"
	           "\t[Rules]\n"
	           "MinimumIOS=17.5.1\n"
	           "MaxBackupAge=2d\n"
	           "ICloudQuota=50GB\n"
	           "[Alerts]\n"
	           "AlertHoldoff=0\n"
	           "AlertCommand=/usr/local/lib/backupd/mail\n"
	           "AlertCommandTimeout=5s\n"
	           "AlertCommandQueue=7\n"
	           "AlertCommandJobs=2\n"
	           "AlertRepeat=diminishing\n"
	           "[StatusFeed]\n"
	           "StatusFeedURL=http://status.example/feed.js\n"
	           "StatusFeedInterval=1h 30min\n"
	           "UnreachableAlertAfter=2h\n"
	           "[Daemon]\n"
	           "StateDirectory=/srv/backupd\n"
	           "ControlSocket=/run/b/ctl\n"
	           "ControlGroup=wheel\n");
	assert_int_equal(f->config.poll_interval_ms, 90 * SECOND);
	assert_int_equal(f->config.probe_timeout_ms, 500);
	assert_int_equal(f->config.workers, 256);
	assert_string_equal(RULE_LIMIT(f->config.limits, IOS_CURRENT, 0).text, "17.5.1");
	assert_int_equal(RULE_LIMIT(f->config.limits, BACKUP_RECENT, 0).number, 2 * 86400);
	assert_int_equal(RULE_LIMIT(f->config.limits, ICLOUD_STORAGE, 0).number, 50000000000LL);
	assert_int_equal(f->config.alert_holdoff_ms, 0);
	assert_string_equal(f->config.alert_command, "/usr/local/lib/backupd/mail");
	assert_int_equal(f->config.alert_command_timeout_ms, 5 * SECOND);
	assert_int_equal(f->config.alert_command_queue, 7);
	assert_int_equal(f->config.alert_command_jobs, 2);
	assert_int_equal(f->config.alert_repeat, 2); /* diminishing */
	assert_string_equal(f->config.status_feed_url, "http://status.example/feed.js");
	assert_int_equal(f->config.status_feed_interval_ms, 90 * MINUTE);
	assert_int_equal(f->config.status_feed_alert_after_ms, 2 * HOUR);
	assert_string_equal(f->config.state_directory, "/srv/backupd");
	assert_string_equal(f->config.control_socket, "/run/b/ctl");
	assert_string_equal(f->config.control_group, "wheel");
}

static void test_later_overrides_and_empty_resets(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "[Probe]\nPollInterval=1min\nPollInterval=2min\nWorkers=4\nWorkers=\n"
	           "[Rules]\nMinimumIOS=16\nMinimumIOS=\n"
	           "[StatusFeed]\nStatusFeedURL=\n[Probe]\nProbeTimeout=20s\n");
	assert_int_equal(f->config.poll_interval_ms, 2 * MINUTE);
	assert_int_equal(f->config.workers, 16);
	assert_string_equal(RULE_LIMIT(f->config.limits, IOS_CURRENT, 0).text, "");
	assert_string_equal(f->config.status_feed_url, ""); /* empty switches the feed off */
	assert_int_equal(f->config.probe_timeout_ms, 20 * SECOND);
}

static void test_range_edges_accepted(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "[Probe]\nPollInterval=10s\nProbeTimeout=5min\nWorkers=1\n"
	           "[StatusFeed]\nStatusFeedInterval=30s\n[Rules]\nICloudQuota=1\n");
	assert_int_equal(f->config.poll_interval_ms, 10 * SECOND);
	assert_int_equal(f->config.probe_timeout_ms, 5 * MINUTE);
	assert_int_equal(f->config.workers, 1);
	assert_int_equal(f->config.status_feed_interval_ms, 30 * SECOND);
	assert_int_equal(RULE_LIMIT(f->config.limits, ICLOUD_STORAGE, 0).number, 1);
}

static void test_line_of_exactly_the_limit(void **state)
{
	struct fixture *f = *state;
	char text[4096 + 2];

	memset(text, ' ', 4096);
	text[0] = '#';
	text[4096] = '\n';
	text[4097] = '\0';
	load_ok(f, text);
}

/* Allow= holds a set of words; an empty value is the default again (none). */
static void test_actions_keys(void **state)
{
	struct fixture *f = *state;
	load_ok(f, "[Actions]\nAllow=restart  enable-backup\nActionGroup=wheel\n"
	           "RestartTimeout=90s\n");
	assert_int_equal(f->config.actions_allowed, 3u);
	assert_string_equal(f->config.action_group, "wheel");
	assert_int_equal(f->config.restart_timeout_ms, 90 * SECOND);
	load_ok(f, "[Actions]\nAllow=restart\n");
	assert_int_equal(f->config.actions_allowed, 2u);
	load_ok(f, "[Actions]\nAllow=restart\nAllow=\n");
	assert_int_equal(f->config.actions_allowed, 0u);
	load_ok(f, "[Actions]\nAutoEnableBackup=yes\n");
	assert_int_equal(f->config.auto_enable_backup, 1);
}

/* conf/backupd.conf loads as shipped, and with every option uncommented it still yields exactly
 * the defaults: the file cannot drift from config_defaults(). */
static void test_shipped_config_states_the_defaults(void **state)
{
	struct fixture *f = *state;
	char line[512], text[16384] = "";
	FILE *shipped = fopen(BACKUPD_CONF_PATH, "re");
	struct rule_limits limits;

	assert_non_null(shipped);
	while (fgets(line, sizeof(line), shipped) != NULL) {
		bool option =
		    line[0] == '#' && ((line[1] >= 'A' && line[1] <= 'Z') || line[1] == '[');
		assert_true(strlen(text) + strlen(line) < sizeof(text));
		strcat(text, option ? line + 1 : line);
	}
	fclose(shipped);
	assert_int_equal(config_load(&f->config, BACKUPD_CONF_PATH, NULL, f->err, sizeof(f->err)),
	                 0);
	assert_defaults(&f->config);

	load_ok(f, text);
	assert_int_equal(f->config.n_devices, 1);
	limits = config_limits_for(&f->config, "00008030-001a2b3c4d5e6f70");
	assert_int_equal(RULE_LIMIT(limits, ICLOUD_STORAGE, 0).number, 200000000000LL);
	f->config.n_devices = 0; /* the rest must be the defaults */
	free(f->config.devices);
	f->config.devices = NULL;
	assert_int_equal(f->config.port_names.n, 3); /* the example cart: two hubs, one slot */
	slot_config_free(&f->config.port_names);
	assert_defaults(&f->config);
}

static void test_metrics_listen(void **state)
{
	struct fixture *f = *state;
	const struct listen_list *listen = &f->config.metrics_listen;

	load_ok(f, "[Metrics]\nListen=0.0.0.0:9816  [::]:9816\t[::0001]:1 10.1.2.3:65535\n"
	           "MaxConnections=256\nRequestTimeout=1s\n");
	assert_int_equal(listen->n, 4);
	assert_string_equal(listen->addresses[0].host, "0.0.0.0");
	assert_int_equal(listen->addresses[1].family, AF_INET6);
	assert_string_equal(listen->addresses[1].host, "::");
	assert_string_equal(listen->addresses[2].host, "::1"); /* canonical spelling */
	assert_int_equal(listen->addresses[2].port, 1);
	assert_int_equal(listen->addresses[3].port, 65535);
	assert_int_equal(f->config.metrics_max_connections, 256);
	assert_int_equal(f->config.metrics_request_timeout_ms, SECOND);
	load_ok(f, "[Metrics]\nListen=\n");
	assert_int_equal(listen->n, 0); /* empty switches /metrics off */
}

/* [HTTP] is the section's name; [Metrics], its old one, still works and leaves a note that
 * names the file and line (backupd logs it). */
static void test_http_section_and_old_name(void **state)
{
	struct fixture *f = *state;

	load_ok(f, "[HTTP]\nListen=127.0.0.1:1\nColumns=7\n");
	assert_int_equal(f->config.metrics_listen.addresses[0].port, 1);
	assert_int_equal(f->config.http_columns, 7);
	assert_string_equal(f->config.deprecated, "");
	load_ok(f, "[Probe]\n\n[Metrics]\nListen=127.0.0.1:2\nColumns=3\n");
	assert_int_equal(f->config.metrics_listen.addresses[0].port, 2);
	assert_int_equal(f->config.http_columns, 3);
	assert_non_null(
	    strstr(f->config.deprecated,
	           ":3: [Metrics] is now called [HTTP] (it serves the cart pages too)"));
	expect_error(f, "[HTTP]\nColumns=17\n",
	             ":2: Columns: expected a whole number from 0 to 16, got \"17\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_http_section_and_old_name),
	    TEST(test_missing_files_mean_defaults),
	    TEST(test_every_key),
	    TEST(test_actions_keys),
	    TEST(test_later_overrides_and_empty_resets),
	    TEST(test_range_edges_accepted),
	    TEST(test_line_of_exactly_the_limit),
	    TEST(test_shipped_config_states_the_defaults),
	    TEST(test_metrics_listen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
