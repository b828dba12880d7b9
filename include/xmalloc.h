/* SPDX-License-Identifier: ISC */
/* Allocation that cannot fail: out of memory ends the process, so callers carry no NULL checks
 * (as tmux does). */
#ifndef BACKUPD_XMALLOC_H
#define BACKUPD_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
/* Copies src into dst of dst_size bytes, always terminated, truncating if needed. */
void strlcpy_safe(char *dst, const char *src, size_t dst_size);

#endif
