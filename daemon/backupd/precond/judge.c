/* SPDX-License-Identifier: ISC */
/* What the judges share: a verdict's reason, formatted and bounded. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "judge.h"

/* Cuts a truncated reason at a UTF-8 character boundary and marks it with "...". */
static void mark_truncated(char *reason, size_t size)
{
	size_t end = size - 4;

	while (end > 0 && ((unsigned char)reason[end] & 0xC0) == 0x80)
		end--;
	memcpy(reason + end, "...", 4);
}

void set_verdict(struct verdict *out, enum verdict_state state, const char *fmt, ...)
{
	va_list args;
	int written;

	out->state = state;
	va_start(args, fmt);
	written = vsnprintf(out->reason, sizeof(out->reason), fmt, args);
	va_end(args);
	if (written >= (int)sizeof(out->reason))
		mark_truncated(out->reason, sizeof(out->reason));
}

void tristate_verdict(enum tristate value, struct verdict *out, const char *yes, const char *no,
                      const char *unknown)
{
	if (value == TRI_YES)
		set_verdict(out, VERDICT_OK, "%s", yes);
	else if (value == TRI_NO)
		set_verdict(out, VERDICT_FAILING, "%s", no);
	else
		set_verdict(out, VERDICT_UNKNOWN, "%s", unknown);
}

/* Reads the next numeric component and steps past its '.'; 0 once the text has ended. */
static unsigned long long next_component(const char **text)
{
	unsigned long long value = 0;

	while (**text >= '0' && **text <= '9' && value < 1000000000000ULL)
		value = value * 10 + (unsigned)(*(*text)++ - '0');
	while (**text != '\0' && **text != '.')
		(*text)++;
	if (**text == '.')
		(*text)++;
	return value;
}

int rules_compare_versions(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		unsigned long long left = next_component(&a);
		unsigned long long right = next_component(&b);

		if (left != right)
			return left < right ? -1 : 1;
	}
	return 0;
}
