/* "3 h ago": how long ago something happened, for people. (To be unified with humanize.c.) */
#ifndef BACKUPD_AGO_H
#define BACKUPD_AGO_H

#include <stddef.h>
#include <stdint.h>

/* Writes "12 s ago", "5 min ago", "3 h ago", "4 d ago" (or "in the future" when then is
 * after now) into buffer and returns buffer. */
const char *format_ago(int64_t then_unix, int64_t now_unix, char *buffer, size_t size);

#endif
