/* Type-checked extraction of device facts from lockdownd and IORegistry plists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe_values.h"
#include "xmalloc.h"

#define SECONDS_2001_TO_1970 978307200LL /* Apple's epoch (2001-01-01 UTC) in Unix time */

static plist_t dict_item(plist_t dict, const char *key, plist_type type)
{
	if (!dict || plist_get_node_type(dict) != PLIST_DICT)
		return NULL;
	plist_t node = plist_dict_get_item(dict, key);
	if (!node || plist_get_node_type(node) != type)
		return NULL;
	return node;
}

static void copy_string(plist_t dict, const char *key, char *dst, size_t size)
{
	plist_t node = dict_item(dict, key, PLIST_STRING);
	if (!node)
		return;
	char *value = NULL;
	plist_get_string_val(node, &value);
	if (value) {
		strlcpy_safe(dst, value, size);
	}
	free(value);
}

static enum tristate bool_value(plist_t dict, const char *key)
{
	plist_t node = dict_item(dict, key, PLIST_BOOLEAN);
	if (!node)
		return TRI_UNKNOWN;
	uint8_t value = 0;
	plist_get_bool_val(node, &value);
	return value ? TRI_YES : TRI_NO;
}

/* An unsigned integer that fits int64, or -1. libplist keeps negatives as huge uint64s. */
static int64_t uint_value(plist_t dict, const char *key)
{
	plist_t node = dict_item(dict, key, PLIST_UINT);
	if (!node)
		return -1;
	uint64_t value = 0;
	plist_get_uint_val(node, &value);
	return value > INT64_MAX ? -1 : (int64_t)value;
}

void probe_values_root(plist_t dict, struct device_facts *out)
{
	copy_string(dict, "DeviceName", out->name, sizeof(out->name));
	copy_string(dict, "ProductType", out->product_type, sizeof(out->product_type));
	copy_string(dict, "ProductVersion", out->product_version, sizeof(out->product_version));
	copy_string(dict, "BuildVersion", out->build_version, sizeof(out->build_version));
	copy_string(dict, "SerialNumber", out->serial, sizeof(out->serial));
	out->password_protected = bool_value(dict, "PasswordProtected");
}

/* LastCloudBackupDate: integer seconds since 2001 (seen on devices) or a plist date. */
static void last_backup(plist_t dict, struct device_facts *out)
{
	int64_t seconds = uint_value(dict, "LastCloudBackupDate");
	if (seconds >= 0) {
		out->has_last_backup = true;
		out->last_backup_unix = seconds + SECONDS_2001_TO_1970;
		return;
	}
	plist_t date = dict_item(dict, "LastCloudBackupDate", PLIST_DATE);
	if (date) {
		int32_t sec = 0, usec = 0;
		plist_get_date_val(date, &sec, &usec);
		out->has_last_backup = true;
		out->last_backup_unix = (int64_t)sec + SECONDS_2001_TO_1970;
	}
}

void probe_values_backup(plist_t dict, struct device_facts *out)
{
	out->backup_enabled = bool_value(dict, "CloudBackupEnabled");
	last_backup(dict, out);
}

void probe_values_battery(plist_t dict, struct device_facts *out)
{
	out->external_connected = bool_value(dict, "ExternalConnected");
	out->battery_charging = bool_value(dict, "BatteryIsCharging");
	out->fully_charged = bool_value(dict, "FullyCharged");
	int64_t percent = uint_value(dict, "BatteryCurrentCapacity");
	out->battery_percent = (percent >= 0 && percent <= 100) ? (int)percent : -1;
}

void probe_values_disk(plist_t dict, struct device_facts *out)
{
	out->total_data_capacity = uint_value(dict, "TotalDataCapacity");
	out->total_data_available = uint_value(dict, "TotalDataAvailable");
}

/* IO80211BSSID: six bytes, all zero when not joined. TRI_UNKNOWN when absent or mistyped. */
static enum tristate bssid_joined(plist_t props)
{
	plist_t node = dict_item(props, "IO80211BSSID", PLIST_DATA);
	if (!node)
		return TRI_UNKNOWN;
	char *bytes = NULL;
	uint64_t length = 0;
	plist_get_data_val(node, &bytes, &length);
	enum tristate joined = TRI_NO;
	for (uint64_t i = 0; bytes && i < length; i++)
		if (bytes[i] != 0)
			joined = TRI_YES;
	free(bytes);
	return joined;
}

/* IO80211SSID: empty when not joined. TRI_UNKNOWN when absent or mistyped. */
static enum tristate ssid_joined(plist_t props, struct device_facts *out)
{
	if (!dict_item(props, "IO80211SSID", PLIST_STRING))
		return TRI_UNKNOWN;
	char ssid[sizeof(out->wifi_ssid)] = "";
	copy_string(props, "IO80211SSID", ssid, sizeof(ssid));
	if (ssid[0] == '\0')
		return TRI_NO;
	memcpy(out->wifi_ssid, ssid, sizeof(ssid));
	return TRI_YES;
}

enum tristate probe_values_wifi(plist_t diagnostics, struct device_facts *out)
{
	plist_t props = dict_item(diagnostics, "IORegistry", PLIST_DICT);
	if (!props)
		return TRI_UNKNOWN;
	enum tristate by_ssid = ssid_joined(props, out);
	enum tristate by_bssid = bssid_joined(props);
	if (by_ssid == TRI_YES || by_bssid == TRI_YES)
		return TRI_YES;
	if (by_ssid == TRI_NO && by_bssid == TRI_NO)
		return TRI_NO;
	return TRI_UNKNOWN; /* one key missing or mistyped: not enough to say "not joined" */
}
