/* Clock helpers. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"

int64_t clock_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *offset_file;
static pthread_once_t offset_once = PTHREAD_ONCE_INIT;

static void find_offset_file(void)
{
	offset_file = getenv("BACKUPD_CLOCK_OFFSET_FILE");
}

/* Seconds the tests put the wall clock forward; 0 when no file is named (production). */
static int64_t test_offset(void)
{
	long long seconds = 0;
	FILE *f;

	pthread_once(&offset_once, find_offset_file);
	if (!offset_file || !(f = fopen(offset_file, "re")))
		return 0;
	if (fscanf(f, "%lld", &seconds) != 1)
		seconds = 0;
	fclose(f);
	return (int64_t)seconds;
}

int64_t clock_wall_unix(void)
{
	return (int64_t)time(NULL) + test_offset();
}

struct timeval clock_timeval_ms(int64_t ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	return tv;
}
