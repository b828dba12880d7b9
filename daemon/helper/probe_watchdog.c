/* SPDX-License-Identifier: ISC */
/* Deadline thread for probes: see probe_watchdog.h for why it shuts sockets down. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "probe_watchdog.h"

#define REPEAT_MS 50L

struct probe_watchdog {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool armed, fired, quit;
	struct timespec deadline;  /* CLOCK_MONOTONIC */
	int spared[PROBE_FDS_MAX]; /* sockets of others, open at arm time */
	size_t spared_count;
};

static int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

size_t probe_fds_sockets(int *fds, size_t max)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return 0;
	size_t count = 0;
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL && count < max) {
		char *end = NULL;
		long fd = strtol(entry->d_name, &end, 10);
		struct stat st;
		if (*end != '\0' || end == entry->d_name || fd == dirfd(dir))
			continue;
		if (fstat((int)fd, &st) == 0 && S_ISSOCK(st.st_mode))
			fds[count++] = (int)fd;
	}
	closedir(dir);
	qsort(fds, count, sizeof(*fds), compare_int);
	return count;
}

static bool contains(const int *fds, size_t count, int fd)
{
	return bsearch(&fd, fds, count, sizeof(*fds), compare_int) != NULL;
}

/* Called with the lock held, so disarm() cannot return while sockets are being shut. */
static void shut_probe_sockets(struct probe_watchdog *dog)
{
	int now[PROBE_FDS_MAX];
	size_t now_count = probe_fds_sockets(now, PROBE_FDS_MAX);
	for (size_t i = 0; i < now_count; i++)
		if (!contains(dog->spared, dog->spared_count, now[i]))
			shutdown(now[i], SHUT_RDWR);
}

static bool deadline_passed(const struct timespec *deadline)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline->tv_sec ||
	       (now.tv_sec == deadline->tv_sec && now.tv_nsec >= deadline->tv_nsec);
}

static void *watch(void *arg)
{
	struct probe_watchdog *dog = arg;
	pthread_mutex_lock(&dog->lock);
	while (!dog->quit) {
		if (!dog->armed) {
			pthread_cond_wait(&dog->wake, &dog->lock);
			continue;
		}
		if (dog->fired || deadline_passed(&dog->deadline)) {
			/* Again every REPEAT_MS until disarmed: a socket the probe opens after the
			 * deadline (a reconnect, a service) must not hang either. */
			shut_probe_sockets(dog);
			dog->fired = true;
			struct timespec next;
			clock_gettime(CLOCK_MONOTONIC, &next);
			next.tv_nsec += REPEAT_MS * 1000000L;
			if (next.tv_nsec >= 1000000000L) {
				next.tv_sec++;
				next.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&dog->wake, &dog->lock, &next);
			continue;
		}
		pthread_cond_timedwait(&dog->wake, &dog->lock, &dog->deadline);
	}
	pthread_mutex_unlock(&dog->lock);
	return NULL;
}

struct probe_watchdog *probe_watchdog_new(void)
{
	struct probe_watchdog *dog = calloc(1, sizeof(*dog));
	if (!dog)
		return NULL;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&dog->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&dog->lock, NULL);
	if (pthread_create(&dog->thread, NULL, watch, dog) != 0) {
		pthread_cond_destroy(&dog->wake);
		pthread_mutex_destroy(&dog->lock);
		free(dog);
		return NULL;
	}
	return dog;
}

void probe_watchdog_free(struct probe_watchdog *dog)
{
	if (!dog)
		return;
	pthread_mutex_lock(&dog->lock);
	dog->quit = true;
	pthread_cond_signal(&dog->wake);
	pthread_mutex_unlock(&dog->lock);
	pthread_join(dog->thread, NULL);
	pthread_cond_destroy(&dog->wake);
	pthread_mutex_destroy(&dog->lock);
	free(dog);
}

void probe_watchdog_arm(struct probe_watchdog *dog, unsigned timeout_ms, const int *own_fds,
                        size_t own_count)
{
	int open_now[PROBE_FDS_MAX];
	size_t open_count = probe_fds_sockets(open_now, PROBE_FDS_MAX);
	pthread_mutex_lock(&dog->lock);
	dog->spared_count = 0;
	for (size_t i = 0; i < open_count; i++) {
		bool own = false;
		for (size_t j = 0; j < own_count; j++)
			own = own || own_fds[j] == open_now[i];
		if (!own)
			dog->spared[dog->spared_count++] = open_now[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &dog->deadline);
	dog->deadline.tv_sec += timeout_ms / 1000;
	dog->deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (dog->deadline.tv_nsec >= 1000000000L) {
		dog->deadline.tv_sec++;
		dog->deadline.tv_nsec -= 1000000000L;
	}
	dog->armed = true;
	dog->fired = false;
	pthread_cond_signal(&dog->wake);
	pthread_mutex_unlock(&dog->lock);
}

bool probe_watchdog_fired(struct probe_watchdog *dog)
{
	pthread_mutex_lock(&dog->lock);
	bool fired = dog->fired;
	pthread_mutex_unlock(&dog->lock);
	return fired;
}

bool probe_watchdog_disarm(struct probe_watchdog *dog)
{
	pthread_mutex_lock(&dog->lock);
	bool fired = dog->fired;
	dog->armed = false;
	dog->fired = false;
	pthread_mutex_unlock(&dog->lock);
	return fired;
}
