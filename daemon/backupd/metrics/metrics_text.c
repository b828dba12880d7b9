/* SPDX-License-Identifier: ISC */
/* Appends for the exposition format. A 1000-device scrape is ~40,000 lines: numbers are
 * written by hand rather than through snprintf. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics_text.h"
#include "utf8.h"
#include "xmalloc.h"

#define INT_TEXT_MAX 24

static const char replacement_char[] = "\xEF\xBF\xBD"; /* U+FFFD */

void metrics_text_init(struct metrics_text *text, size_t capacity)
{
	text->capacity = capacity ? capacity : 256;
	text->data = xmalloc(text->capacity);
	text->length = 0;
}

void metrics_text_init_on(struct metrics_text *text, char *data, size_t capacity)
{
	text->data = data;
	text->capacity = capacity;
	text->length = 0;
}

void metrics_text_free(struct metrics_text *text)
{
	free(text->data);
	text->data = NULL;
	text->length = text->capacity = 0;
}

char *metrics_text_take(struct metrics_text *text, size_t *length)
{
	char *data = text->data;
	*length = text->length;
	text->data = NULL;
	text->length = text->capacity = 0;
	return data;
}

void mt_reserve(struct metrics_text *text, size_t more)
{
	if (text->length + more <= text->capacity)
		return;
	while (text->length + more > text->capacity)
		text->capacity *= 2;
	text->data = xreallocarray(text->data, text->capacity, 1);
}

void mt_str(struct metrics_text *text, const char *s)
{
	mt_bytes(text, s, strlen(s));
}

void mt_uint(struct metrics_text *text, uint64_t value)
{
	char digits[INT_TEXT_MAX];
	size_t at = sizeof(digits);

	do {
		digits[--at] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	mt_bytes(text, digits + at, sizeof(digits) - at);
}

void mt_int(struct metrics_text *text, int64_t value)
{
	if (value < 0) {
		mt_bytes(text, "-", 1);
		mt_uint(text, (uint64_t)0 - (uint64_t)value);
		return;
	}
	mt_uint(text, (uint64_t)value);
}

void mt_fixed(struct metrics_text *text, int64_t value, int decimals)
{
	uint64_t scale = 1, magnitude;
	char fraction[INT_TEXT_MAX];

	for (int i = 0; i < decimals; i++)
		scale *= 10;
	if (value < 0)
		mt_bytes(text, "-", 1);
	magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
	mt_uint(text, magnitude / scale);
	if (decimals == 0 || magnitude % scale == 0)
		return;
	uint64_t rest = magnitude % scale;
	for (int i = decimals - 1; i >= 0; i--, rest /= 10)
		fraction[i] = (char)('0' + rest % 10);
	while (decimals > 1 && fraction[decimals - 1] == '0')
		decimals--; /* 0.5, not 0.50 */
	fraction[decimals] = '\0';
	mt_bytes(text, ".", 1);
	mt_str(text, fraction);
}

void mt_double(struct metrics_text *text, double value)
{
	char buf[40];

	if (isinf(value)) {
		mt_str(text, value > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (isnan(value)) {
		mt_str(text, "NaN");
		return;
	}
	if (value == floor(value) && fabs(value) < 9e15) {
		mt_int(text, (int64_t)value); /* bytes and counts keep every digit */
		return;
	}
	mt_bytes(text, buf, (size_t)snprintf(buf, sizeof(buf), "%.15g", value));
}

void mt_label_value(struct metrics_text *text, const char *raw)
{
	const unsigned char *s = (const unsigned char *)raw;

	mt_bytes(text, "\"", 1);
	while (*s != '\0') {
		size_t run = 0, length;

		/* Copy the longest stretch that needs no change in one go. */
		while (s[run] >= 0x20 && s[run] < 0x80 && s[run] != '\\' && s[run] != '"')
			run++;
		mt_bytes(text, (const char *)s, run);
		s += run;
		if (*s == '\0')
			break;
		if (*s == '\\' || *s == '"' || *s == '\n') {
			mt_bytes(text, *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : "\\n", 2);
			s++;
		} else if ((length = utf8_sequence(s)) != 0) {
			mt_bytes(text, (const char *)s,
			         length); /* other controls are valid UTF-8 */
			s += length;
		} else {
			mt_bytes(text, replacement_char, sizeof(replacement_char) - 1);
			s++;
		}
	}
	mt_bytes(text, "\"", 1);
}
