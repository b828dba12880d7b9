/* SPDX-License-Identifier: ISC */
/* libFuzzer target: feed_parse on one status feed body. */
#include <stdlib.h>
#include <string.h>

#include "feed_parse.h"

#define NOW_UNIX 1767225600 /* 2026-01-01: the fixtures' events lie around it */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* What the renderers rely on: counts in range, every text NUL-terminated. */
static int events_sound(const struct feed_event *events, int n)
{
	if (n < 0 || n > FEED_EVENTS_MAX)
		return 0;
	for (int i = 0; i < n; i++)
		if (!TERMINATED(events[i].status_type) || !TERMINATED(events[i].event_status) ||
		    !TERMINATED(events[i].message))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_state state;
	char err[256];

	memset(&state, 0, sizeof(state));
	err[0] = '\0';
	if (feed_parse((const char *)data, size, NOW_UNIX, &state, err, sizeof(err)) < 0 &&
	    err[0] == '\0')
		abort(); /* a rejected feed must say why */
	if (!events_sound(state.active, state.n_active) ||
	    !events_sound(state.upcoming, state.n_upcoming) || !TERMINATED(state.last_error))
		abort();
	return 0;
}
