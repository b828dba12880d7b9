/* SPDX-License-Identifier: ISC */
/* Files in StateDirectory replaced whole or not at all (temp file in the same directory,
 * fsync, rename, fsync of the directory), and a bad one set aside rather than deleted, so
 * that a crash or a full disk never leaves half a file and a broken file stays for a person
 * to read. Blocking (fsync): call them off the event loop, or before it runs. */
#ifndef BACKUPD_ATOMIC_FILE_H
#define BACKUPD_ATOMIC_FILE_H

#include <stddef.h>

/* Replaces dir/name with len bytes of data. Returns 0, or -1 with a message in err; dir/name
 * is then either the old or the new complete file, and no temp file is left behind. */
int atomic_file_write(const char *dir, const char *name, const char *data, size_t len, char *err,
                      size_t err_size);

/* Renames path to path.corrupt-<unix time>; the new name goes to aside. Returns 0, or -1
 * (errno set) when it could not be renamed. */
int atomic_file_set_aside(const char *path, char *aside, size_t aside_size);

#endif
