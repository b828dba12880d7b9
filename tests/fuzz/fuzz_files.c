/* Scratch files for the fuzz targets: one private directory per process. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_files.h"

static char scratch[PATH_MAX];

static void remove_scratch(void)
{
	fuzz_clear_dir(scratch, NULL);
	rmdir(scratch);
}

const char *fuzz_scratch_dir(void)
{
	if (scratch[0] != '\0')
		return scratch;
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof(scratch), "%s/backupd-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(remove_scratch);
	return scratch;
}

void fuzz_write_file(const char *dir, const char *name, const uint8_t *data, size_t size)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *file = fopen(path, "we");
	if (file == NULL || (size > 0 && fwrite(data, 1, size, file) != size) ||
	    fclose(file) != 0) {
		perror(path);
		abort();
	}
}

void fuzz_clear_dir(const char *dir, const char *keep)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *entry;
	while ((entry = readdir(d)) != NULL) {
		if (entry->d_type == DT_DIR || (keep && strcmp(entry->d_name, keep) == 0))
			continue;
		unlinkat(dirfd(d), entry->d_name, 0);
	}
	closedir(d);
}
