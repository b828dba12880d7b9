/* SPDX-License-Identifier: ISC */
/* The rules: every entry of the precondition table judges what is known (facts, feed, limits,
 * now) as ok / failing / unknown with a reason a person can read. No I/O, no clock. */
#include "rules.h"

const char *rules_probe_status_short(enum probe_status status)
{
	return judge_probe_status_short(status);
}

/* Whether the entry can be judged from what the probe gave. */
static bool can_judge(const struct precondition_info *entry, const struct device_facts *facts)
{
	if (facts->status == PROBE_OK)
		return true;
	switch (entry->scope) {
	case JUDGE_PROBE:
	case JUDGE_FLEET:
		return true;
	case JUDGE_REMEMBERED:
		return facts->has_last_backup;
	case JUDGE_DEVICE:
		break;
	}
	return false;
}

void rules_evaluate(const struct device_facts *facts, const struct feed_state *feed,
                    const struct ios_rule_input *ios, const struct rule_limits *limits,
                    int64_t now_unix, struct verdict out[PRECOND_COUNT])
{
	const struct judge_input in = {facts, feed, ios, limits, now_unix};

	for (int i = 0; i < PRECOND_COUNT; i++) {
		const struct precondition_info *entry = precondition_info((enum precondition_id)i);

		if (can_judge(entry, facts))
			entry->judge(&in, &out[i]);
		else
			set_verdict(&out[i], VERDICT_UNKNOWN, "device not readable: %s",
			            judge_probe_status_short(facts->status));
	}
}

void rules_icloud_service(const struct feed_state *feed, int64_t now_unix, struct verdict *out)
{
	const struct judge_input in = {.feed = feed, .now = now_unix};

	precondition_info(PRECOND_ICLOUD_SERVICE)->judge(&in, out);
}
