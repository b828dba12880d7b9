/* SPDX-License-Identifier: ISC */
/* The table line of each precondition, in the order backupd judges and shows them: its enum
 * name and its entry, `precondition_<name>` in daemon/backupd/precond/<name>.c. Everything
 * else (rules, MESSAGE_IDs, the journal catalog, metrics, the config keys, the alert rules'
 * fix annotations, the man pages) is derived from the entries. No include guard: each user
 * defines PRECONDITION(ID, name) and includes this file. Append only (state files and
 * dashboards follow the order). */
PRECONDITION(REACHABLE, reachable) /* the probe could read the device at all */
PRECONDITION(BACKUP_ENABLED, backup_enabled)
PRECONDITION(LOCKED, locked)
PRECONDITION(POWER, power)
PRECONDITION(WIFI, wifi)
PRECONDITION(ICLOUD_STORAGE, icloud_storage)
PRECONDITION(IOS_CURRENT, ios_current)
PRECONDITION(BACKUP_RECENT, backup_recent)
PRECONDITION(ICLOUD_SERVICE, icloud_service) /* fleet-wide: Apple's status feed */
PRECONDITION(DEVICE_SPACE, device_space)     /* keeps room on the phone for a backup */
