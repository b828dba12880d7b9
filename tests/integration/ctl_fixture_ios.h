/* SPDX-License-Identifier: ISC */
/* The ctl fixtures' iOS currency: a fleet fixture that names "ios_catalog" (a trimmed SOFA
 * feed beside it) has each readable phone judged by the daemon's own code (ioscat_parse,
 * ios_update_judge, the ios_current rule), so the goldens show what backupd would say. */
#ifndef BACKUPD_CTL_FIXTURE_IOS_H
#define BACKUPD_CTL_FIXTURE_IOS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "device.h"

/* Judges records[i] (devices[i] its fixture object) against the catalog at catalog_path, with
 * the default UpdateGrace and ExploitedGrace, at now. A device whose "verdicts" name
 * ios_current keeps that verdict. Exits on an unreadable catalog. */
void fixture_ios_judge(struct device_record *records, const json_t *devices, size_t n,
                       const char *catalog_path, int64_t now);

#endif
