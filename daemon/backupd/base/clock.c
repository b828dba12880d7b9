/* SPDX-License-Identifier: ISC */
/* Clock helpers. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
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

int64_t clock_realtime_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The test clock offset (BACKUPD_CLOCK_OFFSET_FILE): read at most once a second, not on every
 * call (the loop asks for the time often), and bounded so the addition cannot overflow. */
#define OFFSET_REREAD_MS 1000
#define OFFSET_MAX_S     (1000LL * 366 * 86400) /* a thousand years either way */

static struct {
	pthread_mutex_t lock;
	const char *file; /* NULL: no offset (production) */
	bool looked;
	int64_t read_ms; /* monotonic time of the last read */
	int64_t seconds;
} offset = {.lock = PTHREAD_MUTEX_INITIALIZER};

static int64_t read_offset(const char *file)
{
	long long seconds = 0;
	FILE *f = fopen(file, "re");

	if (!f)
		return 0;
	if (fscanf(f, "%lld", &seconds) != 1 || seconds < -OFFSET_MAX_S || seconds > OFFSET_MAX_S)
		seconds = 0;
	fclose(f);
	return (int64_t)seconds;
}

/* Seconds the tests put the wall clock forward; 0 when no file is named (production). */
static int64_t test_offset(void)
{
	pthread_mutex_lock(&offset.lock);
	if (!offset.looked) {
		offset.file = getenv("BACKUPD_CLOCK_OFFSET_FILE");
		offset.looked = true;
		offset.read_ms = INT64_MIN;
	}
	int64_t now = clock_monotonic_ms();
	if (offset.file &&
	    (offset.read_ms == INT64_MIN || now - offset.read_ms >= OFFSET_REREAD_MS)) {
		offset.seconds = read_offset(offset.file);
		offset.read_ms = now;
	}
	int64_t seconds = offset.seconds;
	pthread_mutex_unlock(&offset.lock);
	return seconds;
}

int64_t clock_wall_unix(void)
{
	int64_t now;
	if (__builtin_add_overflow((int64_t)time(NULL), test_offset(), &now))
		return (int64_t)time(NULL);
	return now;
}

int64_t clock_elapsed_s(void)
{
	int64_t seconds = clock_monotonic_ms() / 1000 + 1;
	if (__builtin_add_overflow(seconds, test_offset(), &seconds) || seconds < 1)
		return 1;
	return seconds;
}

struct timeval clock_timeval_ms(int64_t ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
	return tv;
}
