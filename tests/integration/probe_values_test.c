/* The plist readers: Wi-Fi tri-state from IORegistry properties, mistyped values left unknown,
 * LastCloudBackupDate as integer or date. */
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

int main(void)
{
	test_wifi();
	test_backup_and_types();
	printf("probe_values_test: ok\n");
	return 0;
}
