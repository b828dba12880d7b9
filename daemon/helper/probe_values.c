/* SPDX-License-Identifier: ISC */
/* Type-checked extraction of device facts from lockdownd and IORegistry plists. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe_values.h"
#include "text_clean.h"

#define SECONDS_2001_TO_1970 978307200LL /* Apple's epoch (2001-01-01 UTC) in Unix time */
/* The latest LastCloudBackupDate we believe, in seconds since 2001: later is not readable. */
#define APPLE_SECONDS_MAX (FACTS_DATE_MAX_UNIX - SECONDS_2001_TO_1970)

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
	/* Not plist_get_string_val: libplist 2.2.0 asserts, aborting the helper, on a string that
	 * holds a NUL, and a device can send one. Such a string is left unknown. */
	uint64_t length = 0;
	const char *value = plist_get_string_ptr(node, &length);
	if (value && memchr(value, '\0', length) == NULL) {
		/* Cut between characters; the daemon makes control bytes visible. */
		size_t cut = text_cut_length(value, (size_t)length, size - 1);
		memcpy(dst, value, cut);
		dst[cut] = '\0';
	}
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

/* An integer in 0..max, or -1. libplist 2.2 keeps negatives as huge uint64s. */
static int64_t uint_value(plist_t dict, const char *key, int64_t max)
{
	plist_t node = dict_item(dict, key, PLIST_UINT);
	if (!node)
		return -1;
	uint64_t value = 0;
	plist_get_uint_val(node, &value);
	return value > (uint64_t)max ? -1 : (int64_t)value;
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

/* Seconds since 2001 as the device may send them, or -1 when the value has another shape or
 * is out of range. libplist 2.2 holds a <date> as seconds since 2001 too. */
static int64_t apple_seconds(plist_t node)
{
	switch (plist_get_node_type(node)) {
	case PLIST_UINT: {
		uint64_t value = 0;
		plist_get_uint_val(node, &value);
		return value > (uint64_t)APPLE_SECONDS_MAX ? -1 : (int64_t)value;
	}
	case PLIST_REAL: { /* a Core Data timestamp, often fractional */
		double value = 0;
		plist_get_real_val(node, &value);
		if (!isfinite(value) || value < 0 || value > (double)APPLE_SECONDS_MAX)
			return -1;
		return (int64_t)value; /* not negative: truncation is floor */
	}
	case PLIST_DATE: {
		int32_t sec = 0, usec = 0;
		plist_get_date_val(node, &sec, &usec);
		return sec < 0 ? -1 : sec;
	}
	default:
		return -1;
	}
}

/* LastCloudBackupDate: absent means never backed up (device-facts.md); present but
 * unreadable means we do not know, which must never read as "never". */
static void last_backup(plist_t dict, struct device_facts *out)
{
	out->has_last_backup = false;
	out->last_backup_unix = 0;
	out->last_backup_unreadable = !dict || plist_get_node_type(dict) != PLIST_DICT;
	plist_t node =
	    out->last_backup_unreadable ? NULL : plist_dict_get_item(dict, "LastCloudBackupDate");
	if (!node)
		return;
	int64_t seconds = apple_seconds(node);
	if (seconds < 0) {
		out->last_backup_unreadable = true;
		return;
	}
	out->has_last_backup = true;
	out->last_backup_unix = seconds + SECONDS_2001_TO_1970;
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
	out->battery_percent = (int)uint_value(dict, "BatteryCurrentCapacity", 100);
}

void probe_values_disk(plist_t dict, struct device_facts *out)
{
	out->total_data_capacity = uint_value(dict, "TotalDataCapacity", FACTS_BYTES_MAX);
	out->total_data_available = uint_value(dict, "TotalDataAvailable", FACTS_BYTES_MAX);
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
