/* SPDX-License-Identifier: ISC */
/* config: every way a line can be wrong, each error named by file:line, and a failed load that
 * leaves the running config as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config_fixture.h"

/* ---- every way a line can be wrong ------------------------------------------------------ */

static void test_structure_errors(void **state)
{
	struct fixture *f = *state;

	expect_error(f, "[Foo]\n",
	             ":1: unknown section [Foo]: expected [Probe], [Rules], [Alerts], "
	             "[StatusFeed], [Daemon], [HTTP], [Actions], [Pairing], [IOS], [Device UDID], "
	             "[Hub PORTPATH] "
	             "or [Slot PORTPATH]");
	expect_error(
	    f, "\n[probe]\n",
	    ":2: unknown section [probe]: expected [Probe], [Rules], "
	    "[Alerts], [StatusFeed], [Daemon], [HTTP], [Actions], [Pairing], [IOS], [Device UDID], "
	    "[Hub PORTPATH] "
	    "or [Slot PORTPATH]");
	expect_error(f, "[]\n",
	             ":1: unknown section []: expected [Probe], [Rules], [Alerts], "
	             "[StatusFeed], [Daemon], [HTTP], [Actions], [Pairing], [IOS], [Device UDID], "
	             "[Hub PORTPATH] "
	             "or [Slot PORTPATH]");
	expect_error(f, "[Probe]\nPollIntervall=5min\n",
	             ":2: PollIntervall: unknown key in [Probe]; expected one of PollInterval, "
	             "ProbeTimeout, Workers");
	expect_error(f, "# top\nPollInterval=5min\n",
	             ":2: PollInterval: key outside any section; it belongs in [Probe]");
	expect_error(f, "Foo=1\n",
	             ":1: Foo: unknown key outside any section; expected a "
	             "[Section] first");
	expect_error(f, "[Rules]\nWorkers=4\n",
	             ":2: Workers: belongs in [Probe], not [Rules] (which takes ICloudQuota, "
	             "MinimumIOS, MaxBackupAge, MinimumFreeSpace, OnCartHours)");
	expect_error(f, "[Device " UDID_MODERN "]\nPollInterval=1min\n",
	             ":2: PollInterval: belongs in [Probe], not [Device] (which takes "
	             "ICloudQuota, MinimumIOS, MaxBackupAge, MinimumFreeSpace)");
	expect_error(f, "[Probe]\nPollInterval 5min\n",
	             ":2: expected Key=Value, a [Section] header or a comment, got \"PollInterval "
	             "5min\"");
	expect_error(f, "[Probe\n", ":1: missing ']' at the end of the section header [Probe");
	expect_error(f, "[Probe] # probing\n", ":1: unexpected text after ']': # probing");
	expect_error(f, "[Probe]x\n", ":1: unexpected text after ']': x");
	expect_error(f, "[Probe]\n = 5min\n", ":2: empty key before '='");
	expect_error(f, "[Probe]\nPoll Interval=5min\n",
	             ":2: Poll Interval: unknown key in [Probe]; expected one of PollInterval, "
	             "ProbeTimeout, Workers");
	expect_error(f, "[Probe]\npollinterval=5min\n",
	             ":2: pollinterval: unknown key in [Probe]; expected one of PollInterval, "
	             "ProbeTimeout, Workers");
}

struct value_case {
	const char *section;
	const char *line;
	const char *message; /* after "FILE:2: " */
};

static void expect_value_errors(struct fixture *f, const struct value_case *cases, size_t n)
{
	char text[1024], suffix[1024];

	for (size_t i = 0; i < n; i++) {
		snprintf(text, sizeof(text), "[%s]\n%s\n", cases[i].section, cases[i].line);
		snprintf(suffix, sizeof(suffix), ":2: %s", cases[i].message);
		expect_error(f, text, suffix);
	}
}

static void test_number_errors(void **state)
{
	static const struct value_case cases[] = {
	    {"Probe", "PollInterval=5 apples",
	     "PollInterval: expected a time span such as 30s, 5min or 2h, got \"5 apples\""},
	    {"Probe", "PollInterval=5min # every five",
	     "PollInterval: expected a time span such as 30s, 5min or 2h, got \"5min # every "
	     "five\""},
	    {"Probe", "PollInterval=-5min",
	     "PollInterval: expected a time span such as 30s, 5min or 2h, got \"-5min\""},
	    {"Probe", "PollInterval=1.5h",
	     "PollInterval: expected a time span such as 30s, 5min or 2h, got \"1.5h\""},
	    {"Probe", "PollInterval=5s",
	     "PollInterval: expected a time span from 10s to 7d, got \"5s\""},
	    {"Probe", "PollInterval=8d",
	     "PollInterval: expected a time span from 10s to 7d, got \"8d\""},
	    {"Probe", "PollInterval=99999999999999999999",
	     "PollInterval: expected a time span from 10s to 7d, got \"99999999999999999999\""},
	    {"Probe", "PollInterval=9223372036854776s",
	     "PollInterval: expected a time span from 10s to 7d, got \"9223372036854776s\""},
	    {"Probe", "ProbeTimeout=499ms",
	     "ProbeTimeout: expected a time span from 500ms to 5min, got \"499ms\""},
	    {"Probe", "ProbeTimeout=10min",
	     "ProbeTimeout: expected a time span from 500ms to 5min, got \"10min\""},
	    {"Probe", "Workers=0", "Workers: expected a whole number from 1 to 256, got \"0\""},
	    {"Probe", "Workers=257", "Workers: expected a whole number from 1 to 256, got \"257\""},
	    {"Probe", "Workers=-1", "Workers: expected a whole number from 1 to 256, got \"-1\""},
	    {"Probe", "Workers=16 cores",
	     "Workers: expected a whole number from 1 to 256, got \"16 cores\""},
	    {"Probe", "Workers=99999999999999999999999",
	     "Workers: expected a whole number from 1 to 256, got \"99999999999999999999999\""},
	    {"Rules", "MaxBackupAge=30s",
	     "MaxBackupAge: expected a time span from 1min to 3650d, got \"30s\""},
	    {"Rules", "ICloudQuota=5 apples",
	     "ICloudQuota: expected a size such as 5G, 500M or 1T, got \"5 apples\""},
	    {"Rules", "ICloudQuota=5.5G",
	     "ICloudQuota: expected a size such as 5G, 500M or 1T, got \"5.5G\""},
	    {"Rules", "ICloudQuota=0",
	     "ICloudQuota: expected a size of at least 1 byte, got \"0\""},
	    {"Rules", "ICloudQuota=9999999999T",
	     "ICloudQuota: too large: expected a size such as 5G, 500M or 1T, got "
	     "\"9999999999T\""},
	    {"Alerts", "AlertHoldoff=31d",
	     "AlertHoldoff: expected a time span from 0 to 30d, got \"31d\""},
	    {"StatusFeed", "StatusFeedInterval=10s",
	     "StatusFeedInterval: expected a time span from 30s to 1d, got \"10s\""},
	    {"StatusFeed", "UnreachableAlertAfter=forever",
	     "UnreachableAlertAfter: expected a time span such as 30s, 5min or 2h, got "
	     "\"forever\""},
	};

	expect_value_errors(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_text_errors(void **state)
{
	static const struct value_case cases[] = {
	    {"Rules", "MinimumIOS=17.x",
	     "MinimumIOS: expected an iOS version such as 16 or 17.5.1, got \"17.x\""},
	    {"Rules", "MinimumIOS=iOS 17",
	     "MinimumIOS: expected an iOS version such as 16 or 17.5.1, got \"iOS 17\""},
	    {"Rules", "MinimumIOS=1.2.3.444444444444444444",
	     "MinimumIOS: too long (24 bytes; at most 23), got \"1.2.3.444444444444444444\""},
	    {"StatusFeed", "StatusFeedURL=ftp://example.com/x",
	     "StatusFeedURL: expected an http:// or https:// URL, or nothing to switch the feed "
	     "off, got \"ftp://example.com/x\""},
	    {"StatusFeed", "StatusFeedURL=https://",
	     "StatusFeedURL: expected an http:// or https:// URL, or nothing to switch the feed "
	     "off, got \"https://\""},
	    {"StatusFeed", "StatusFeedURL=https://a b/",
	     "StatusFeedURL: expected an http:// or https:// URL, or nothing to switch the feed "
	     "off, got \"https://a b/\""},
	    {"Alerts", "AlertRepeat=weekly",
	     "AlertRepeat: expected one of: once, daily, diminishing, got \"weekly\""},
	    {"Actions", "Allow=enable-backup reboot",
	     "Allow: expected one of: enable-backup, restart, pair, unpair, got \"enable-backup "
	     "reboot\""},
	    {"Pairing", "AutoPair=always",
	     "AutoPair: expected one of: supervised, trust, no, got \"always\""},
	    {"Pairing", "SupervisionIdentity=identity.p12",
	     "SupervisionIdentity: expected an absolute path such as /var/lib/backupd, got "
	     "\"identity.p12\""},
	    {"Actions", "RestartTimeout=2h",
	     "RestartTimeout: expected a time span from 1s to 1h, got \"2h\""},
	    {"Actions", "ActionGroup=-wheel",
	     "ActionGroup: expected a group name such as backupd, got \"-wheel\""},
	    {"Alerts", "AlertCommand=mail-sendmail",
	     "AlertCommand: expected an absolute path such as /var/lib/backupd, got "
	     "\"mail-sendmail\""},
	    {"Daemon", "StateDirectory=var/lib/backupd",
	     "StateDirectory: expected an absolute path such as /var/lib/backupd, got "
	     "\"var/lib/backupd\""},
	    {"Daemon", "StateDirectory=/var/../etc",
	     "StateDirectory: expected an absolute path such as /var/lib/backupd, got "
	     "\"/var/../etc\""},
	    {"Daemon", "ControlSocket=/run/./x",
	     "ControlSocket: expected an absolute path such as /var/lib/backupd, got "
	     "\"/run/./x\""},
	    {"Daemon", "ControlGroup=-wheel",
	     "ControlGroup: expected a group name such as backupd, got \"-wheel\""},
	    {"Daemon", "ControlGroup=back upd",
	     "ControlGroup: expected a group name such as backupd, got \"back upd\""},
	    {"Daemon", "ControlGroup=abcdefghijklmnopqrstuvwxyz0123456",
	     "ControlGroup: expected a group name such as backupd, got "
	     "\"abcdefghijklmnopqrstuvwxyz0123456\""},
	};

	expect_value_errors(*state, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_too_long_values(void **state)
{
	struct fixture *f = *state;
	char path[200], text[800], suffix[400];

	/* 108 bytes: one more than sun_path holds with its NUL */
	memset(path, 'a', sizeof(path));
	path[0] = '/';
	path[108] = '\0';
	snprintf(text, sizeof(text), "[Daemon]\nControlSocket=%s\n", path);
	snprintf(suffix, sizeof(suffix),
	         ":2: ControlSocket: too long (108 bytes; at most 107), got \"%.80s...\"", path);
	expect_error(f, text, suffix);
	path[107] = '\0';
	snprintf(text, sizeof(text), "[Daemon]\nControlSocket=%s\n", path);
	load_ok(f, text);
	assert_int_equal(strlen(f->config.control_socket), 107);

	char url[600];
	memcpy(url, "https://", 8);
	memset(url + 8, 'u', sizeof(url) - 8);
	url[512] = '\0';
	snprintf(text, sizeof(text), "[StatusFeed]\nStatusFeedURL=%s\n", url);
	snprintf(suffix, sizeof(suffix),
	         ":2: StatusFeedURL: too long (512 bytes; at most 511), got \"%.80s...\"", url);
	expect_error(f, text, suffix);
}

static void test_long_value_is_cut_on_a_character(void **state)
{
	struct fixture *f = *state;
	char text[256] = "[Rules]\nMinimumIOS=x";
	char suffix[256];

	for (int i = 0; i < 50; i++)
		strcat(text, "\xc3\xa9"); /* "x" then é: byte 80 is the middle of an é */
	strcat(text, "\n");
	snprintf(suffix, sizeof(suffix),
	         ":2: MinimumIOS: too long (101 bytes; at most 23), got \"x");
	for (int i = 0; i < 39; i++)
		strcat(suffix, "\xc3\xa9");
	strcat(suffix, "...\"");
	expect_error(f, text, suffix);
}

static void test_byte_errors(void **state)
{
	struct fixture *f = *state;
	static char long_line[5000];

	expect_error_bytes(f, "[Probe]\nWorkers=1\0 6\n", 20, ":2: line holds a NUL byte");
	expect_error(f, "[Probe]\n# caf\xe9\n",
	             ":2: line is not valid UTF-8 (byte 0xe9 at "
	             "column 6)");
	expect_error(f, "\xc0\xaf\n", ":1: line is not valid UTF-8 (byte 0xc0 at column 1)");
	expect_error(f, "# \xed\xa0\x80\n", ":1: line is not valid UTF-8 (byte 0xed at column 3)");
	expect_error(f, "# \xe0\x80\x80\n", ":1: line is not valid UTF-8 (byte 0xe0 at column 3)");
	expect_error(f, "# \xf4\x90\x80\x80\n",
	             ":1: line is not valid UTF-8 (byte 0xf4 at column 3)");
	expect_error(f, "# \xe2\x82\n", ":1: line is not valid UTF-8 (byte 0xe2 at column 3)");
	expect_error(f, "[Probe]\nWorkers=\x1b[31m\n",
	             ":2: line holds a control character (byte 0x1b at column 9)");
	expect_error(f, "# \x7f\n", ":1: line holds a control character (byte 0x7f at column 3)");
	memset(long_line, '#', sizeof(long_line) - 1);
	expect_error(f, long_line, ":1: line longer than 4096 bytes");
	load_ok(f, "# caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb1\n");
}

static void test_error_keeps_old_config(void **state)
{
	struct fixture *f = *state;
	struct device_override *devices;

	load_ok(f, "[Probe]\nWorkers=5\n[Device " UDID_MODERN "]\nMinimumIOS=17\n");
	devices = f->config.devices;
	expect_error(f, "[Probe]\nWorkers=6\n[Device " UDID_LEGACY "]\nWorkers=1\n",
	             ":4: Workers: belongs in [Probe], not [Device] (which takes ICloudQuota, "
	             "MinimumIOS, MaxBackupAge, MinimumFreeSpace)");
	assert_ptr_equal(f->config.devices, devices);
	assert_int_equal(f->config.workers, 5);
	assert_string_equal(f->config.devices[0].udid, UDID_MODERN);
}

static void test_metrics_listen_errors(void **state)
{
	static const char expected[] =
	    "Listen: expected ADDRESS:PORT items such as 127.0.0.1:9816 or [::1]:9816 (numeric "
	    "addresses, ports 1 to 65535), got ";
	static const char *const bad[] = {
	    "localhost:9816",   "127.0.0.1",    "127.0.0.1:",      "127.0.0.1:0",
	    "127.0.0.1:65536",  "::1:9816",     "[::1]9816",       "[::1]:x",
	    "[127.0.0.1]:9816", "1.2.3.4.5:80", "127.0.0.1:98 16", "[fe80::1%eth0]:9816",
	};
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[256], suffix[512];
		snprintf(text, sizeof(text), "[Metrics]\nListen=%s\n", bad[i]);
		snprintf(suffix, sizeof(suffix), ":2: %s\"%s\"", expected, bad[i]);
		expect_error(f, text, suffix);
	}
	expect_error(f, "[Metrics]\nListen=127.0.0.1:1 [::1]:2 127.0.0.1:1\n",
	             ":2: Listen: 127.0.0.1:1 is listed twice, got \"127.0.0.1:1 [::1]:2 "
	             "127.0.0.1:1\"");
	expect_error(
	    f, "[Metrics]\nListen=[::]:1 [::]:2 [::]:3 [::]:4 [::]:5 [::]:6 [::]:7 [::]:8 [::]:9\n",
	    ":2: Listen: expected at most 8 addresses, got \"[::]:1 [::]:2 [::]:3 [::]:4 "
	    "[::]:5 [::]:6 [::]:7 [::]:8 [::]:9\"");
	expect_error(f, "[Metrics]\nMaxConnections=0\n",
	             ":2: MaxConnections: expected a whole number from 1 to 256, got \"0\"");
	expect_error(f, "[Metrics]\nRequestTimeout=500ms\n",
	             ":2: RequestTimeout: expected a time span from 1s to 5min, got \"500ms\"");
	expect_error(f, "[Probe]\nListen=127.0.0.1:9816\n",
	             ":2: Listen: belongs in [HTTP], not [Probe] (which takes PollInterval, "
	             "ProbeTimeout, Workers)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_structure_errors),
	    TEST(test_number_errors),
	    TEST(test_text_errors),
	    TEST(test_too_long_values),
	    TEST(test_long_value_is_cut_on_a_character),
	    TEST(test_byte_errors),
	    TEST(test_error_keeps_old_config),
	    TEST(test_metrics_listen_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
