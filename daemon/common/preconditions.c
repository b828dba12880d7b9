/* SPDX-License-Identifier: ISC */
/* The precondition table: names, short blocker words and first fixes. */
#include <string.h>

#include "preconditions.h"

static const struct precondition_info table[PRECOND_COUNT] = {
    {PRECOND_REACHABLE, "reachable", "unreachable",
     "Unlock the phone, tap Trust on \"Trust this computer?\", and reseat the cable", false,
     "Phone reachable"},
    {PRECOND_BACKUP_ENABLED, "backup_enabled", "backup-off",
     "Switch iCloud Backup on: Settings > your name > iCloud > iCloud Backup", false,
     "iCloud Backup on"},
    {PRECOND_LOCKED, "locked", "unlocked",
     "Lock the screen: backup waits until the phone is locked", false, "Screen locked"},
    {PRECOND_POWER, "power", "power",
     "Use a working cable and a port or adapter that charges (the official one if others fail)",
     false, "On power"},
    {PRECOND_WIFI, "wifi", "wifi", "Join a Wi-Fi network and keep the phone in range", true,
     "Wi-Fi"},
    {PRECOND_ICLOUD_STORAGE, "icloud_storage", "storage",
     "Free or buy iCloud storage: Settings > your name > iCloud > Manage Storage", true,
     "iCloud storage"},
    {PRECOND_IOS_CURRENT, "ios_current", "ios-old",
     "Update iOS: Settings > General > Software Update", false, "iOS up to date"},
    {PRECOND_BACKUP_RECENT, "backup_recent", "stale-backup",
     "Check the other preconditions; then sign out of iCloud and back in, or restart the phone",
     false, "Recent backup"},
    {PRECOND_ICLOUD_SERVICE, "icloud_service", "apple-outage",
     "Wait for Apple: see https://www.apple.com/support/systemstatus/", true,
     "Apple's iCloud Backup service"},
};

const struct precondition_info *precondition_info(enum precondition_id id)
{
	if ((unsigned)id >= PRECOND_COUNT)
		return NULL;
	return &table[id];
}

int precondition_by_name(const char *name)
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (strcmp(table[i].name, name) == 0)
			return i;
	return -1;
}

static const char *const state_names[] = {
    [VERDICT_UNKNOWN] = "unknown",
    [VERDICT_OK] = "ok",
    [VERDICT_FAILING] = "failing",
};

const char *verdict_state_name(enum verdict_state state)
{
	if ((unsigned)state > VERDICT_FAILING)
		return "invalid";
	return state_names[state];
}

int verdict_state_by_name(const char *name)
{
	for (int i = 0; i <= VERDICT_FAILING; i++)
		if (strcmp(state_names[i], name) == 0)
			return i;
	return -1;
}

enum readiness verdicts_readiness(const struct verdict verdicts[PRECOND_COUNT], bool attached)
{
	if (!attached)
		return READINESS_UNKNOWN;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (i != PRECOND_REACHABLE && verdicts[i].state == VERDICT_FAILING)
			return READINESS_NOT_READY;
	if (verdicts[PRECOND_REACHABLE].state != VERDICT_OK)
		return READINESS_UNKNOWN;
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (verdicts[i].state == VERDICT_UNKNOWN && !table[i].unknown_allows_ready)
			return READINESS_UNKNOWN;
	return READINESS_READY;
}

static const char *const readiness_names[READINESS_COUNT] = {
    [READINESS_UNKNOWN] = "unknown",
    [READINESS_READY] = "ready",
    [READINESS_NOT_READY] = "not_ready",
};

const char *readiness_name(enum readiness readiness)
{
	if ((unsigned)readiness >= READINESS_COUNT)
		return "unknown";
	return readiness_names[readiness];
}

bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT])
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (a[i].state != b[i].state || strcmp(a[i].reason, b[i].reason) != 0)
			return false;
	return true;
}
