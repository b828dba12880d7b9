/* SPDX-License-Identifier: ISC */
/* page_escape: the one place where text enters the pages. Every device name, feed message,
 * config value and verdict reason is written through these, never with mt_str: each makes
 * its input inert in its context whatever bytes it holds. Invalid UTF-8 and control
 * characters (other than tab and newline) become U+FFFD, so no byte can end a context early
 * or confuse a parser. */
#ifndef BACKUPD_PAGE_ESCAPE_H
#define BACKUPD_PAGE_ESCAPE_H

#include <stddef.h>

#include "metrics_text.h"

/* Element content: & < > " ' as character references. */
void html_text(struct metrics_text *out, const char *raw);
/* An attribute value the page writes between double quotes; the same references, so it
 * is safe between single quotes too. */
void html_attr(struct metrics_text *out, const char *raw);
/* One path segment of a URL: every byte but A-Z a-z 0-9 - . _ ~ as %XX, so the result
 * holds no '/', '?', '#', quote or '&' and is safe in an attribute as it is. */
void url_segment(struct metrics_text *out, const char *raw);
/* A JSON string, quotes included: " \ and controls escaped, and < > & as \u003c \u003e
 * \u0026 so that the text stays inert if anything ever reads it as HTML. */
void json_quote(struct metrics_text *out, const char *raw);
/* Undoes url_segment (any %XX): NULL when the text holds a bad escape, a NUL, a '/' or
 * invalid UTF-8 once decoded. The result is the caller's to free(). */
char *url_segment_decode(const char *text);

#endif
