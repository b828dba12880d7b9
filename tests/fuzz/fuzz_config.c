/* libFuzzer target: config_load on a main file and up to three drop-ins.
 *
 * Input: the main file, then each drop-in after a line "%%" (the separator lines are not part
 * of any file; past the third drop-in they stay in the last one). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "fuzz_files.h"

#define SEPARATOR     "\n%%\n"
#define DROPINS_MAX   3
#define FILES_MAX     (1 + DROPINS_MAX)
#define MAIN_FILE     "backupd.conf"
#define DROPIN_SUBDIR "backupd.conf.d"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct piece {
	const uint8_t *data;
	size_t size;
};

static size_t split(const uint8_t *data, size_t size, struct piece pieces[FILES_MAX])
{
	size_t n = 0, sep = strlen(SEPARATOR);
	while (n < FILES_MAX - 1) {
		const uint8_t *at = memmem(data, size, SEPARATOR, sep);
		if (at == NULL)
			break;
		pieces[n++] = (struct piece){data, (size_t)(at - data) + 1}; /* keeps its newline */
		size -= (size_t)(at - data) + sep;
		data = at + sep;
	}
	pieces[n++] = (struct piece){data, size};
	return n;
}

static void write_files(const char *dir, const char *dropins, const uint8_t *data, size_t size)
{
	static const char *const names[DROPINS_MAX] = {"10-a.conf", "20-b.conf", "30-c.conf"};
	struct piece pieces[FILES_MAX];
	size_t n = split(data, size, pieces);

	fuzz_write_file(dir, MAIN_FILE, pieces[0].data, pieces[0].size);
	fuzz_clear_dir(dropins, NULL);
	for (size_t i = 1; i < n; i++)
		fuzz_write_file(dropins, names[i - 1], pieces[i].data, pieces[i].size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char main_path[PATH_MAX], dropins[PATH_MAX];
	if (main_path[0] == '\0') {
		const char *dir = fuzz_scratch_dir();
		snprintf(main_path, sizeof(main_path), "%s/%s", dir, MAIN_FILE);
		snprintf(dropins, sizeof(dropins), "%s/%s", dir, DROPIN_SUBDIR);
		mkdir(dropins, 0700);
	}
	write_files(fuzz_scratch_dir(), dropins, data, size);

	struct backupd_config config;
	char err[512];
	config_defaults(&config);
	if (config_load(&config, main_path, dropins, err, sizeof(err)) == 0) {
		for (int i = 0; i < config.n_devices; i++)
			(void)config_limits_for(&config, config.devices[i].udid);
	} else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL) {
		abort(); /* an error must say what is wrong */
	}
	config_free(&config);
	return 0;
}
