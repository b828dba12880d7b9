/* SPDX-License-Identifier: ISC */
/* A growable text buffer and JSON strings (text_buffer.h). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_buffer.h"
#include "utf8.h"
#include "xmalloc.h"

static void reserve(struct text_buffer *buffer, size_t more)
{
	if (buffer->length + more + 1 <= buffer->capacity)
		return;
	size_t capacity = buffer->capacity ? buffer->capacity : 256;
	while (capacity < buffer->length + more + 1)
		capacity *= 2;
	buffer->data = xreallocarray(buffer->data, capacity, 1);
	buffer->capacity = capacity;
}

void text_buffer_addn(struct text_buffer *buffer, const char *text, size_t length)
{
	reserve(buffer, length);
	memcpy(buffer->data + buffer->length, text, length);
	buffer->length += length;
	buffer->data[buffer->length] = '\0';
}

void text_buffer_add(struct text_buffer *buffer, const char *text)
{
	text_buffer_addn(buffer, text, strlen(text));
}

void text_buffer_int(struct text_buffer *buffer, int64_t value)
{
	char digits[24];
	int length = snprintf(digits, sizeof(digits), "%" PRId64, value);
	text_buffer_addn(buffer, digits, (size_t)length);
}

static bool is_utf8(const unsigned char *text)
{
	for (size_t i = 0; text[i];) {
		if (text[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(text + i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* The escape of c, or NULL when c stands as it is. */
static const char *escape_of(unsigned char c, char scratch[8])
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	default:
		if (c >= 0x20)
			return NULL;
		snprintf(scratch, 8, "\\u%04x", c);
		return scratch;
	}
}

void text_buffer_json_string(struct text_buffer *buffer, const char *text)
{
	const unsigned char *bytes = (const unsigned char *)text;
	bool utf8 = is_utf8(bytes);
	reserve(buffer, strlen(text) + 2);
	text_buffer_addn(buffer, "\"", 1);
	size_t run = 0; /* bytes that stand as they are, not yet copied */
	for (size_t i = 0;; i++) {
		char scratch[8];
		const char *escape = bytes[i] ? escape_of(bytes[i], scratch) : NULL;
		bool replaced = bytes[i] >= 0x80 && !utf8;
		if (bytes[i] && !escape && !replaced) {
			run++;
			continue;
		}
		text_buffer_addn(buffer, text + i - run, run);
		run = 0;
		if (bytes[i] == 0)
			break;
		if (escape)
			text_buffer_add(buffer, escape);
		else
			text_buffer_addn(buffer, "?", 1);
	}
	text_buffer_addn(buffer, "\"", 1);
}

void text_buffer_clear(struct text_buffer *buffer)
{
	buffer->length = 0;
	if (buffer->data)
		buffer->data[0] = '\0';
}

void text_buffer_free(struct text_buffer *buffer)
{
	free(buffer->data);
	*buffer = (struct text_buffer){0};
}
