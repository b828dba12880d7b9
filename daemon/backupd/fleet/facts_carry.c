/* SPDX-License-Identifier: ISC */
/* facts_carry: facts kept from an earlier probe or attachment (facts_carry.h). */
#include <string.h>

#include "facts_carry.h"

static void keep_identity(struct device_facts *dst, const struct device_facts *old)
{
	if (!dst->name[0])
		memcpy(dst->name, old->name, sizeof(dst->name));
	if (!dst->product_type[0])
		memcpy(dst->product_type, old->product_type, sizeof(dst->product_type));
	if (!dst->product_version[0])
		memcpy(dst->product_version, old->product_version, sizeof(dst->product_version));
	if (!dst->build_version[0])
		memcpy(dst->build_version, old->build_version, sizeof(dst->build_version));
	if (!dst->serial[0])
		memcpy(dst->serial, old->serial, sizeof(dst->serial));
}

void facts_carry_probe(struct device_facts *dst, const struct device_facts *src)
{
	struct device_facts old = *dst;
	*dst = *src;
	if (src->status == PROBE_OK)
		return;
	keep_identity(dst, &old);
	if (!dst->has_last_backup && old.has_last_backup) {
		dst->has_last_backup = true;
		dst->last_backup_unix = old.last_backup_unix;
	}
}

void facts_carry_identity(struct device_facts *facts)
{
	struct device_facts old = *facts;
	facts_init(facts, old.udid);
	keep_identity(facts, &old);
}
