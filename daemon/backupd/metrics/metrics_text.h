/* SPDX-License-Identifier: ISC */
/* metrics_text: a growing byte buffer with the appends the Prometheus text format needs
 * (numbers without printf, escaped label values). One owner: whoever holds the struct frees
 * data, or takes it with metrics_text_take. */
#ifndef BACKUPD_METRICS_TEXT_H
#define BACKUPD_METRICS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct metrics_text {
	char *data;
	size_t length, capacity;
};

void metrics_text_init(struct metrics_text *text, size_t capacity);
/* Starts empty on data, capacity bytes from malloc, which the text now owns: a buffer used
 * again has its pages in memory already. */
void metrics_text_init_on(struct metrics_text *text, char *data, size_t capacity);
void metrics_text_free(struct metrics_text *text);
/* Hands the bytes to the caller (free() them); the text is empty afterwards. */
char *metrics_text_take(struct metrics_text *text, size_t *length);

/* Room for more bytes without growing again. */
void mt_reserve(struct metrics_text *text, size_t more);
/* Inline: a 1000-device scrape makes some 200,000 of these calls. */
static inline void mt_bytes(struct metrics_text *text, const char *bytes, size_t length)
{
	if (text->length + length > text->capacity)
		mt_reserve(text, length);
	memcpy(text->data + text->length, bytes, length);
	text->length += length;
}
void mt_str(struct metrics_text *text, const char *s);
void mt_int(struct metrics_text *text, int64_t value);
void mt_uint(struct metrics_text *text, uint64_t value);
/* value / 10^decimals, exactly: mt_fixed(t, 57, 2) writes "0.57". */
void mt_fixed(struct metrics_text *text, int64_t value, int decimals);
/* A float for the few values that are not integers (sums, CPU seconds); "+Inf" for infinity. */
void mt_double(struct metrics_text *text, double value);
/* A label value between quotes: backslash, quote and newline escaped as the format asks,
 * and bytes that are not valid UTF-8 replaced by U+FFFD, so no device string can break a
 * scrape. */
void mt_label_value(struct metrics_text *text, const char *raw);

#endif
