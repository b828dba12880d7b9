/* Scratch files for the fuzz target whose parser reads a path, not a buffer (state). */
#ifndef BACKUPD_FUZZ_FILES_H
#define BACKUPD_FUZZ_FILES_H

#include <stddef.h>
#include <stdint.h>

/* A private directory under $TMPDIR (default /tmp), made on the first call and removed with
 * the files in it when the process exits. Aborts when it cannot be made. */
const char *fuzz_scratch_dir(void);
/* Writes data to dir/name, replacing it; aborts on failure (the target could not run). */
void fuzz_write_file(const char *dir, const char *name, const uint8_t *data, size_t size);
/* Removes every entry of dir except keep (may be NULL); subdirectories are left alone. */
void fuzz_clear_dir(const char *dir, const char *keep);

#endif
