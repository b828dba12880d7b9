/* SPDX-License-Identifier: ISC */
/* The plist readers: Wi-Fi tri-state from IORegistry properties, mistyped values left unknown,
 * LastCloudBackupDate in every shape a device may send (integer, real, date) and every shape
 * it must not be believed in. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_values.h"

#include "probe_check.h"

/* {"IORegistry": {IO80211SSID: ssid, IO80211BSSID: bssid}}; NULL leaves a key out. */
static enum tristate wifi(plist_t ssid, plist_t bssid, struct device_facts *f)
{
	plist_t props = plist_new_dict();
	if (ssid)
		plist_dict_set_item(props, "IO80211SSID", ssid);
	if (bssid)
		plist_dict_set_item(props, "IO80211BSSID", bssid);
	plist_t diag = plist_new_dict();
	plist_dict_set_item(diag, "IORegistry", props);
	facts_init(f, "u");
	enum tristate t = probe_values_wifi(diag, f);
	plist_free(diag);
	return t;
}

static void test_wifi(void)
{
	struct device_facts f;
	const char zero[6] = {0}, set[6] = {0, 0x11, 0x22, 0, 0, 1};
	CHECK(wifi(plist_new_string("Cart"), plist_new_data(set, 6), &f) == TRI_YES);
	CHECK(strcmp(f.wifi_ssid, "Cart") == 0);
	CHECK(wifi(NULL, plist_new_data(set, 6), &f) == TRI_YES); /* SSID omitted */
	CHECK(wifi(plist_new_string(""), plist_new_data(zero, 6), &f) == TRI_NO);
	CHECK(wifi(NULL, plist_new_data(zero, 6), &f) == TRI_UNKNOWN);
	CHECK(wifi(plist_new_uint(7), plist_new_data(zero, 6), &f) == TRI_UNKNOWN);
	CHECK(wifi(plist_new_string(""), plist_new_string("00:00"), &f) == TRI_UNKNOWN);
	CHECK(wifi(NULL, NULL, &f) == TRI_UNKNOWN);
	CHECK(probe_values_wifi(NULL, &f) == TRI_UNKNOWN);
	plist_t not_dict = plist_new_array();
	CHECK(probe_values_wifi(not_dict, &f) == TRI_UNKNOWN);
	plist_free(not_dict);
}

static void test_backup_and_types(void)
{
	struct device_facts f;
	facts_init(&f, "u");
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "CloudBackupEnabled", plist_new_string("true")); /* mistyped */
	plist_dict_set_item(d, "LastCloudBackupDate", plist_new_uint(700000000));
	probe_values_backup(d, &f);
	CHECK(f.backup_enabled == TRI_UNKNOWN);
	CHECK(f.has_last_backup && f.last_backup_unix == 700000000LL + 978307200LL);
	plist_dict_set_item(d, "CloudBackupEnabled", plist_new_bool(1));
	plist_dict_set_item(d, "LastCloudBackupDate", plist_new_date(1000, 0));
	facts_init(&f, "u");
	probe_values_backup(d, &f);
	CHECK(f.backup_enabled == TRI_YES);
	CHECK(f.has_last_backup && f.last_backup_unix == 1000 + 978307200LL);
	plist_dict_remove_item(d, "LastCloudBackupDate");
	facts_init(&f, "u");
	probe_values_backup(d, &f);
	CHECK(!f.has_last_backup);
	plist_free(d);

	d = plist_new_dict();
	plist_dict_set_item(d, "BatteryCurrentCapacity", plist_new_uint(250)); /* not a percent */
	plist_dict_set_item(d, "ExternalConnected", plist_new_bool(0));
	facts_init(&f, "u");
	probe_values_battery(d, &f);
	CHECK(f.battery_percent == -1 && f.external_connected == TRI_NO);
	plist_free(d);

	d = plist_new_dict();
	plist_dict_set_item(d, "DeviceName",
	                    plist_new_string("A name longer than sixty-four "
	                                     "characters is cut, not overflowed"));
	plist_dict_set_item(d, "ProductVersion", plist_new_uint(17));
	facts_init(&f, "u");
	probe_values_root(d, &f);
	CHECK(strlen(f.name) == sizeof(f.name) - 1 && f.product_version[0] == '\0');
	plist_free(d);
}

#define EPOCH_2001 978307200LL

enum date_outcome { DATE_READ, DATE_NEVER, DATE_UNREADABLE };

/* Reads {LastCloudBackupDate: value} (value NULL: key absent) and says what came of it. */
static enum date_outcome read_date(plist_t value, int64_t *unix_time)
{
	struct device_facts f;
	facts_init(&f, "u");
	f.has_last_backup = true; /* whatever a reader finds, it must say it itself */
	f.last_backup_unreadable = true;
	plist_t d = plist_new_dict();
	if (value)
		plist_dict_set_item(d, "LastCloudBackupDate", value);
	probe_values_backup(d, &f);
	plist_free(d);
	CHECK(!(f.has_last_backup && f.last_backup_unreadable));
	*unix_time = f.last_backup_unix;
	if (f.has_last_backup)
		return DATE_READ;
	CHECK(f.last_backup_unix == 0);
	return f.last_backup_unreadable ? DATE_UNREADABLE : DATE_NEVER;
}

static void test_last_backup_shapes(void)
{
	int64_t t = 0;
	CHECK(read_date(plist_new_uint(700000000), &t) == DATE_READ && t == 700000000 + EPOCH_2001);
	CHECK(read_date(plist_new_uint(0), &t) == DATE_READ && t == EPOCH_2001);
	/* a Core Data timestamp: a real, often fractional (issue 10: read as "never" before) */
	CHECK(read_date(plist_new_real(785000000.625), &t) == DATE_READ &&
	      t == 785000000 + EPOCH_2001);
	CHECK(read_date(plist_new_real(0.0), &t) == DATE_READ && t == EPOCH_2001);
	CHECK(read_date(plist_new_date(785000000, 500000), &t) == DATE_READ &&
	      t == 785000000 + EPOCH_2001);
	CHECK(read_date(NULL, &t) == DATE_NEVER); /* absent: never backed up */
	/* anything else is not readable, never "never" */
	CHECK(read_date(plist_new_string("785000000"), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_bool(1), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_data("\x01\x02", 2), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_dict(), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_array(), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_real(-1.0), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_real(NAN), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_real(INFINITY), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_real(1e300), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_date(-5, 0), &t) == DATE_UNREADABLE);
	/* near INT64_MAX: adding the epoch overflowed (UBSan) before bounds were checked */
	CHECK(read_date(plist_new_uint((uint64_t)INT64_MAX), &t) == DATE_UNREADABLE);
	CHECK(read_date(plist_new_uint((uint64_t)INT64_MAX - EPOCH_2001 + 1), &t) ==
	      DATE_UNREADABLE);
	CHECK(read_date(plist_new_uint(UINT64_MAX), &t) == DATE_UNREADABLE); /* -1 in libplist */
	CHECK(read_date(plist_new_uint((uint64_t)(FACTS_DATE_MAX_UNIX - EPOCH_2001)), &t) ==
	          DATE_READ &&
	      t == FACTS_DATE_MAX_UNIX);
	CHECK(read_date(plist_new_uint((uint64_t)(FACTS_DATE_MAX_UNIX - EPOCH_2001) + 1), &t) ==
	      DATE_UNREADABLE);

	/* a withheld or mistyped domain: the date is unreadable too */
	struct device_facts f;
	facts_init(&f, "u");
	probe_values_backup(NULL, &f);
	CHECK(!f.has_last_backup && f.last_backup_unreadable && f.backup_enabled == TRI_UNKNOWN);
	plist_t not_dict = plist_new_array();
	facts_init(&f, "u");
	probe_values_backup(not_dict, &f);
	CHECK(!f.has_last_backup && f.last_backup_unreadable);
	plist_free(not_dict);
}

/* Reads {key: value} from the battery and disk domains. */
static void battery_and_disk(const char *key, plist_t value, struct device_facts *f)
{
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, key, value);
	facts_init(f, "u");
	probe_values_battery(d, f);
	probe_values_disk(d, f);
	plist_free(d);
}

static void test_numbers_and_booleans(void)
{
	struct device_facts f;
	battery_and_disk("BatteryCurrentCapacity", plist_new_uint(0), &f);
	CHECK(f.battery_percent == 0);
	battery_and_disk("BatteryCurrentCapacity", plist_new_uint(100), &f);
	CHECK(f.battery_percent == 100);
	battery_and_disk("BatteryCurrentCapacity", plist_new_uint(101), &f);
	CHECK(f.battery_percent == -1);
	battery_and_disk("BatteryCurrentCapacity", plist_new_uint(UINT64_MAX), &f);
	CHECK(f.battery_percent == -1);
	battery_and_disk("BatteryCurrentCapacity", plist_new_real(50.0), &f);
	CHECK(f.battery_percent == -1);
	battery_and_disk("BatteryCurrentCapacity", plist_new_string("50"), &f);
	CHECK(f.battery_percent == -1);
	battery_and_disk("TotalDataCapacity", plist_new_uint(256000000000ULL), &f);
	CHECK(f.total_data_capacity == 256000000000LL && f.total_data_available == -1);
	battery_and_disk("TotalDataCapacity", plist_new_uint((uint64_t)FACTS_BYTES_MAX + 1), &f);
	CHECK(f.total_data_capacity == -1);
	battery_and_disk("TotalDataAvailable", plist_new_uint(UINT64_MAX), &f); /* -1 */
	CHECK(f.total_data_available == -1);
	battery_and_disk("TotalDataAvailable", plist_new_real(1e9), &f);
	CHECK(f.total_data_available == -1);
	battery_and_disk("ExternalConnected", plist_new_bool(1), &f);
	CHECK(f.external_connected == TRI_YES);
	battery_and_disk("ExternalConnected", plist_new_uint(1), &f);
	CHECK(f.external_connected == TRI_UNKNOWN);
	battery_and_disk("FullyCharged", plist_new_string("false"), &f);
	CHECK(f.fully_charged == TRI_UNKNOWN);
}

/* Strings are cut between characters; cleaning is the daemon's (probe_reply_check.c). */
static void test_strings_cut_between_characters(void)
{
	char name[201] = "";
	for (int i = 0; i < 66; i++)
		strcat(name, "\xe6\x97\xa5"); /* 日: 198 bytes */
	strcat(name, "\xc3\xa9");             /* é */
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "DeviceName", plist_new_string(name));
	plist_dict_set_item(d, "SerialNumber", plist_new_string("F2L\x1b[2JX"));
	struct device_facts f;
	facts_init(&f, "u");
	probe_values_root(d, &f);
	CHECK(strlen(f.name) == 63 && memcmp(f.name, name, 63) == 0);
	CHECK(strcmp(f.serial, "F2L\x1b[2JX") == 0); /* raw here: cleaned at the boundary */
	plist_dict_set_item(d, "DeviceName",
	                    plist_new_string("ab\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	facts_init(&f, "u");
	probe_values_root(d, &f); /* "ab" + 32 x é = 66 bytes: 2 + 30 x 2 = 62 fit, not 63 */
	CHECK(strlen(f.name) == 62);
	plist_free(d);
}

int main(void)
{
	test_wifi();
	test_backup_and_types();
	test_last_backup_shapes();
	test_numbers_and_booleans();
	test_strings_cut_between_characters();
	printf("probe_values_test: ok\n");
	return 0;
}
