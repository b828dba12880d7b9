/* SPDX-License-Identifier: ISC */
/* Device strings made safe once, where they enter backupd, so that no later layer (table, JSON,
 * journal, state file) has to care. Shared by the probe helper (which cuts what it reads) and
 * the daemon (which cleans what a helper sends). */
#ifndef BACKUPD_TEXT_CLEAN_H
#define BACKUPD_TEXT_CLEAN_H

#include <stdbool.h>
#include <stddef.h>

/* Writes src (len bytes) to dst (size bytes, always terminated) the way vis(3) shows text:
 * printable UTF-8 is kept; backslash becomes "\\\\"; \n, \r, \t become "\\n", "\\r", "\\t";
 * other control characters (C0, DEL, C1) and the bidirectional and line-separator format
 * characters become octal escapes of their bytes ("\\033"); bytes that are not valid UTF-8
 * become "\\xNN". The result is cut only between whole characters or escapes. Returns false
 * when it had to cut. */
bool text_clean(char *dst, size_t size, const char *src, size_t len);

/* text_clean for text that may have been cleaned before (the state file): a backslash is kept
 * as it is, so escapes already there stay and cleaning twice changes nothing, while raw control
 * bytes, hidden format characters and invalid UTF-8 of a file from before cleaning, or edited
 * by hand, still become escapes. */
bool text_reclean(char *dst, size_t size, const char *src, size_t len);

/* The length of the longest prefix of src (len bytes) of at most max bytes that ends on a
 * UTF-8 character boundary (an invalid byte counts as a character of its own). */
size_t text_cut_length(const char *src, size_t len, size_t max);

#endif
