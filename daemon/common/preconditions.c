/* The precondition table: names, short blocker words and first fixes. */
#include <string.h>

#include "preconditions.h"

static const struct precondition_info table[PRECOND_COUNT] = {
    {PRECOND_REACHABLE, "reachable", "unreachable",
     "Unlock the phone, tap Trust on \"Trust this computer?\", and reseat the cable"},
    {PRECOND_BACKUP_ENABLED, "backup_enabled", "backup-off",
     "Switch iCloud Backup on: Settings > your name > iCloud > iCloud Backup"},
    {PRECOND_LOCKED, "locked", "unlocked",
     "Lock the screen: backup waits until the phone is locked"},
    {PRECOND_POWER, "power", "power",
     "Use a working cable and a port or adapter that charges (the official one if others fail)"},
    {PRECOND_WIFI, "wifi", "wifi", "Join a Wi-Fi network and keep the phone in range"},
    {PRECOND_ICLOUD_STORAGE, "icloud_storage", "storage",
     "Free or buy iCloud storage: Settings > your name > iCloud > Manage Storage"},
    {PRECOND_IOS_CURRENT, "ios_current", "ios-old",
     "Update iOS: Settings > General > Software Update"},
    {PRECOND_BACKUP_RECENT, "backup_recent", "stale-backup",
     "Check the other preconditions; then sign out of iCloud and back in, or restart the phone"},
    {PRECOND_ICLOUD_SERVICE, "icloud_service", "apple-outage",
     "Wait for Apple: see https://www.apple.com/support/systemstatus/"},
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

bool verdicts_ready(const struct verdict verdicts[PRECOND_COUNT])
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (verdicts[i].state == VERDICT_FAILING)
			return false;
	return true;
}

bool verdicts_equal(const struct verdict a[PRECOND_COUNT], const struct verdict b[PRECOND_COUNT])
{
	for (int i = 0; i < PRECOND_COUNT; i++)
		if (a[i].state != b[i].state || strcmp(a[i].reason, b[i].reason) != 0)
			return false;
	return true;
}
