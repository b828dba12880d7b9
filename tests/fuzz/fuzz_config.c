/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the config parser on a main file and up to three drop-ins, composed as
 * config_load composes them (defaults, the main file, then each drop-in into the same
 * config), read from memory through config_parse_file: files on disk would be ten times
 * slower and add nothing the parser sees.
 *
 * Input: the main file, then each drop-in after a line "%%" (the separator lines are not part
 * of any file; past the third drop-in they stay in the last one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define SEPARATOR "\n%%\n"
#define FILES_MAX 4

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

static int parse_piece(struct backupd_config *config, const struct piece *piece, const char *name,
                       char *err, size_t err_size)
{
	if (piece->size == 0)
		return 0; /* an empty file sets nothing; fmemopen refuses a size of 0 */
	FILE *file = fmemopen((void *)piece->data, piece->size, "r");
	if (file == NULL)
		abort();
	int result = config_parse_file(config, file, name, err, err_size);
	fclose(file);
	return result;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[FILES_MAX] = {"backupd.conf", "backupd.conf.d/10-a.conf",
	                                             "backupd.conf.d/20-b.conf",
	                                             "backupd.conf.d/30-c.conf"};
	struct piece pieces[FILES_MAX];
	size_t n = split(data, size, pieces);
	struct backupd_config config;
	char err[512] = "";
	int result = 0;

	config_defaults(&config);
	for (size_t i = 0; i < n && result == 0; i++)
		result = parse_piece(&config, &pieces[i], names[i], err, sizeof(err));
	if (result == 0) {
		for (int i = 0; i < config.n_devices; i++)
			(void)config_limits_for(&config, config.devices[i].udid);
	} else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL) {
		abort(); /* an error must say what is wrong */
	}
	config_free(&config);
	return 0;
}
