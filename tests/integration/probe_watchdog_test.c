/* SPDX-License-Identifier: ISC */
/* The watchdog ends a blocked read on a socket the probe opened after arming, within the
 * deadline, and leaves alone a socket that was open before (another device's session). */
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "probe_check.h"
#include "probe_watchdog.h"

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

int main(void)
{
	struct probe_watchdog *dog = probe_watchdog_new();
	CHECK(dog != NULL);
	int spared[2], own[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, spared) == 0);

	probe_watchdog_arm(dog, 200, NULL, 0);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, own) == 0); /* opened by "the probe" */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	char byte;
	CHECK(recv(own[0], &byte, 1, 0) == 0); /* blocks until the watchdog shuts it */
	long took = elapsed_ms(&start);
	CHECK(took >= 150 && took < 2000);
	CHECK(probe_watchdog_disarm(dog));

	CHECK(send(spared[0], "x", 1, MSG_NOSIGNAL) == 1); /* still alive */
	CHECK(recv(spared[1], &byte, 1, 0) == 1 && byte == 'x');

	/* Disarmed in time: nothing fires. */
	probe_watchdog_arm(dog, 200, NULL, 0);
	CHECK(!probe_watchdog_disarm(dog));
	usleep(300000);
	CHECK(send(spared[0], "y", 1, MSG_NOSIGNAL) == 1);

	for (int i = 0; i < 2; i++) {
		close(spared[i]);
		close(own[i]);
	}
	probe_watchdog_free(dog);
	printf("probe_watchdog_test: ok\n");
	return 0;
}
