/* metrics_readiness: a device's readiness as /metrics exports it (ready, not ready, unknown).
 *
 * A stand-in until the three-way readiness of issue 10 lands in include/preconditions.h:
 * then metrics_device_readiness() returns that function's answer and the rule below goes. */
#ifndef BACKUPD_METRICS_READINESS_H
#define BACKUPD_METRICS_READINESS_H

#include "device.h"

enum metrics_readiness { READINESS_READY = 0, READINESS_NOT_READY, READINESS_UNKNOWN };
#define READINESS_COUNT 3

/* "ready", "not_ready", "unknown": the state label values. */
const char *metrics_readiness_name(enum metrics_readiness readiness);

enum metrics_readiness metrics_device_readiness(const struct device_record *record);

#endif
