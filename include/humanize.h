/* SPDX-License-Identifier: ISC */
/* Short texts a person reads at a glance: durations, sizes, UTC times. Shared by backupd's
 * rules and backupctl. Pure: no clock reads, no locale. */
#ifndef BACKUPD_HUMANIZE_H
#define BACKUPD_HUMANIZE_H

#include <stddef.h>
#include <stdint.h>

/* "45 s", "45 min", "3 h", "36 h", "2 d", "2 d 4 h". Below 48 h whole hours are shown as
 * hours (a 36 h limit reads "36 h"); from 48 h on, days and the remaining hours. Rounds
 * down; negative spans are written as "0 s". Returns buf. */
const char *humanize_duration(int64_t seconds, char *buf, size_t size);

/* Bytes as decimal gigabytes with one decimal: "5.0 GB", "12.3 GB". Returns buf. */
const char *humanize_gb(int64_t bytes, char *buf, size_t size);

/* Unix time as "2026-11-24 14:05 UTC". Returns buf. */
const char *humanize_utc(int64_t unix_time, char *buf, size_t size);

/* Unix time as its UTC date, "2026-11-24" (release dates). Returns buf. */
const char *humanize_date(int64_t unix_time, char *buf, size_t size);

/* "12 s ago", "5 min ago", "3 h ago" (hours up to two days, to read against a 36 h
 * MaxBackupAge), "4 d ago", or "in the future" when then is after now. Returns buf. */
const char *humanize_ago(int64_t then_unix, int64_t now_unix, char *buf, size_t size);

#endif
