/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the probe's readers of lockdownd and IORegistry values on a plist (binary
 * or XML) built from the input. Every reader gets every node it could be handed, so each
 * value shape reaches each key. */
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "probe_values.h"

#define TEST_UDID "00008120-001A2B3C4D5E6F01"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* What the daemon relies on when it renders and judges the facts. */
static void check_facts(const struct device_facts *f)
{
	if (!TERMINATED(f->name) || !TERMINATED(f->product_type) ||
	    !TERMINATED(f->product_version) || !TERMINATED(f->build_version) ||
	    !TERMINATED(f->serial) || !TERMINATED(f->wifi_ssid))
		abort();
	if (f->battery_percent < -1 || f->battery_percent > 100)
		abort();
	if (f->total_data_capacity < -1 || f->total_data_available < -1)
		abort();
}

static void read_all(plist_t node)
{
	struct device_facts facts;
	facts_init(&facts, TEST_UDID);
	probe_values_root(node, &facts);
	probe_values_backup(node, &facts);
	probe_values_battery(node, &facts);
	probe_values_disk(node, &facts);
	enum tristate joined = probe_values_wifi(node, &facts);
	if (joined != TRI_UNKNOWN && joined != TRI_NO && joined != TRI_YES)
		abort();
	check_facts(&facts);
}

/* Where the values sit: a lockdownd domain reply is the root; the sim's fixtures keep the root
 * domain under "Root" and the others under "Domains"; a diagnostics_relay reply holds
 * "Diagnostics" (probe_values_wifi looks for "IORegistry" in it). Looked up by key, not
 * iterated: libplist 2.2.0 asserts when iterating a binary key that holds a NUL. */
static void read_nested(plist_t root)
{
	static const char *const domains[] = {"com.apple.mobile.backup", "com.apple.mobile.battery",
	                                      "com.apple.disk_usage"};
	plist_t by_domain = plist_dict_get_item(root, "Domains");

	read_all(plist_dict_get_item(root, "Root"));
	read_all(plist_dict_get_item(root, "Diagnostics"));
	if (by_domain && plist_get_node_type(by_domain) == PLIST_DICT)
		for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
			read_all(plist_dict_get_item(by_domain, domains[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	plist_t root = NULL;
	if (size > UINT32_MAX)
		return -1;
	plist_from_memory((const char *)data, (uint32_t)size, &root);
	read_all(root); /* NULL when unreadable: the readers must ignore it */
	if (root != NULL && plist_get_node_type(root) == PLIST_DICT)
		read_nested(root);
	plist_free(root);
	return 0;
}
