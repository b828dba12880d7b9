/* SPDX-License-Identifier: ISC */
/* feed_test_harness: what test_feed_poll*.c share: one feed_poller on a loop with a 10 ms
 * ticker, the loopback server it polls, and the helpers that run polls and check failures. */
#ifndef FEED_TEST_HARNESS_H
#define FEED_TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <event2/event.h>

#include "feed_poll.h"
#include "feed_test_server.h"

/* Bounds, not figures: a loaded machine may be slow, and a test waits for its condition.
 * Only the hang test is about the transfer timeout, and it sets HANG_TIMEOUT_MS. */
#define TIMEOUT_MS      20000
#define WAIT_MS         30000
#define HANG_TIMEOUT_MS 1500
#define BODY_CAP        65536

struct harness {
	struct event_base *base;
	struct event *ticker; /* every 10 ms: proves the loop is never blocked */
	int ticks;
	int64_t last_tick_ms;
	int64_t max_tick_gap_ms; /* the longest the loop went without running, since reset */
	struct feed_poller *poller;
	struct feed_poll_options opts;
	struct test_server server;
	int changes;             /* callbacks so far */
	bool poll_from_callback; /* once: the callback asks for another poll */
	struct feed_state reported;
};

extern struct harness h;
extern const char *const healthy_feed;

/* The group's setup and teardown: the server, the loop and a poller whose first poll failed. */
int feed_harness_setup(void **unused);
int feed_harness_teardown(void **unused);

int64_t now_ms(void);
uint64_t polls(void);
void run_poller_until(struct feed_poller *poller, uint64_t target, int64_t max_ms);
void run_until_polls(uint64_t target, int64_t max_ms);
const struct feed_state *poll_once(void);
void serve_text(enum server_mode mode, const char *body, const char *etag);
void serve_fixture(const char *name, const char *etag);
void start_good(void);
const struct feed_state *expect_failure(const char *error_part);
void reset_tick_gap(void);
/* How late the loop ran its timers since reset_tick_gap (0 on a quiet machine): a timing
 * bound allows for it, so that load stretches the bound instead of failing the test. */
int64_t loop_lateness_ms(void);

#endif
