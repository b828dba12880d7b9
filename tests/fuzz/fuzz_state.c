/* libFuzzer target: state_load on one state.json. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_files.h"
#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A corrupt file is set aside as state.json.corrupt-<unix time>: one name a second, so the
 * directory is cleared once a second rather than after every input. */
static void clear_set_aside(const char *dir)
{
	static time_t cleared;
	time_t now = time(NULL);
	if (now != cleared) {
		fuzz_clear_dir(dir, NULL);
		cleared = now;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *dir = fuzz_scratch_dir();
	struct device_record *recs = NULL;
	struct fleet_alerts fleet;
	size_t n = 0;
	char warn[512];

	fuzz_write_file(dir, STATE_FILE_NAME, data, size);
	warn[0] = '\0';
	int result = state_load(dir, &recs, &n, &fleet, warn, sizeof(warn));
	if (result != 0) {
		if (recs != NULL || n != 0 || warn[0] == '\0')
			abort(); /* a file not loaded gives no records and says why */
		clear_set_aside(dir);
	}
	for (size_t i = 0; i < n; i++)
		if (recs[i].attached || memchr(recs[i].udid, '\0', sizeof(recs[i].udid)) == NULL)
			abort();
	free(recs);
	return 0;
}
