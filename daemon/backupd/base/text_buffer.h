/* SPDX-License-Identifier: ISC */
/* A growable text buffer, and JSON written straight into it: the status reply of 1000 phones
 * is written this way, several times cheaper than building json_t objects and dumping them. */
#ifndef BACKUPD_TEXT_BUFFER_H
#define BACKUPD_TEXT_BUFFER_H

#include <stddef.h>
#include <stdint.h>

struct text_buffer {
	char *data; /* NUL-terminated once anything was added; owned */
	size_t length, capacity;
};

void text_buffer_add(struct text_buffer *buffer, const char *text);
void text_buffer_addn(struct text_buffer *buffer, const char *text, size_t length);
void text_buffer_int(struct text_buffer *buffer, int64_t value);
/* text as a JSON string, as json_text() makes it: text that is not UTF-8 keeps its ASCII and
 * has '?' for every other byte. */
void text_buffer_json_string(struct text_buffer *buffer, const char *text);
void text_buffer_clear(struct text_buffer *buffer); /* length 0, memory kept */
void text_buffer_free(struct text_buffer *buffer);

#endif
