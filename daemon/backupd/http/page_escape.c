/* SPDX-License-Identifier: ISC */
/* page_escape: character by character, with one decoder of UTF-8 shared by every context. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "page_escape.h"
#include "utf8.h"
#include "xmalloc.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The length of the valid, allowed character at s, or 0 when it must be replaced (then one
 * byte is skipped). */
static size_t character_at(const unsigned char *s)
{
	size_t length = utf8_sequence(s);
	if (length == 0)
		return 0;
	if (length == 1 && ((*s < ' ' && *s != '\t' && *s != '\n') || *s == 0x7f))
		return 0;
	if (length == 2 && s[0] == 0xC2 && s[1] < 0xA0) /* C1 controls */
		return 0;
	return length;
}

/* How far a replaced character reaches: a whole sequence (a C1 control is one
 * character), one byte of what is not UTF-8. */
static size_t skip_length(const unsigned char *s)
{
	size_t length = utf8_sequence(s);
	return length ? length : 1;
}

/* Plain ASCII that no context treats specially: copied in runs, the common case. */
static bool plain(unsigned char c, bool json)
{
	return c >= ' ' && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' &&
	       (json ? c != '\\' : c != '\'');
}

static const unsigned char *copy_plain(struct metrics_text *out, const unsigned char *s, bool json)
{
	const unsigned char *run = s;
	while (plain(*s, json))
		s++;
	if (s > run)
		mt_bytes(out, (const char *)run, (size_t)(s - run));
	return s;
}

static void escape_markup(struct metrics_text *out, const char *raw)
{
	const unsigned char *s = (const unsigned char *)raw;
	while (*(s = copy_plain(out, s, false))) {
		size_t length = character_at(s);
		const char *ref = NULL;
		switch (length ? *s : 0) {
		case '&':
			ref = "&amp;";
			break;
		case '<':
			ref = "&lt;";
			break;
		case '>':
			ref = "&gt;";
			break;
		case '"':
			ref = "&quot;";
			break;
		case '\'':
			ref = "&#39;";
			break;
		}
		if (length == 0)
			mt_str(out, REPLACEMENT);
		else if (ref)
			mt_str(out, ref);
		else
			mt_bytes(out, (const char *)s, length);
		s += length ? length : skip_length(s);
	}
}

void html_text(struct metrics_text *out, const char *raw)
{
	escape_markup(out, raw);
}

void html_attr(struct metrics_text *out, const char *raw)
{
	escape_markup(out, raw);
}

static const char hex[] = "0123456789ABCDEF";

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void url_segment(struct metrics_text *out, const char *raw)
{
	for (const unsigned char *s = (const unsigned char *)raw; *s; s++) {
		if (unreserved(*s)) {
			mt_bytes(out, (const char *)s, 1);
		} else {
			char esc[3] = {'%', hex[*s >> 4], hex[*s & 15]};
			mt_bytes(out, esc, 3);
		}
	}
}

void json_quote(struct metrics_text *out, const char *raw)
{
	const unsigned char *s = (const unsigned char *)raw;
	mt_bytes(out, "\"", 1);
	while (*(s = copy_plain(out, s, true))) {
		size_t length = character_at(s);
		unsigned char c = length ? *s : 0;
		if (length == 0) {
			mt_str(out, "\\ufffd");
		} else if (c == '"' || c == '\\') {
			char esc[2] = {'\\', (char)c};
			mt_bytes(out, esc, 2);
		} else if (c == '\n' || c == '\t') {
			mt_str(out, c == '\n' ? "\\n" : "\\t");
		} else if (c == '<' || c == '>' || c == '&') {
			char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			mt_bytes(out, esc, 6);
		} else {
			mt_bytes(out, (const char *)s, length);
		}
		s += length ? length : skip_length(s);
	}
	mt_bytes(out, "\"", 1);
}

static int hex_value(char c)
{
	const char *p = c ? strchr(hex, c >= 'a' && c <= 'f' ? c - 32 : c) : NULL;
	return p ? (int)(p - hex) : -1;
}

char *url_segment_decode(const char *text)
{
	size_t n = strlen(text);
	char *out = xmalloc(n + 1), *o = out;
	for (const char *s = text; *s; s++) {
		if (*s == '%') {
			int hi = hex_value(s[1]), lo = hi < 0 ? -1 : hex_value(s[2]);
			if (lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			*o++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	for (const unsigned char *s = (const unsigned char *)out; *s;) {
		size_t length = utf8_sequence(s);
		if (length == 0 || *s == '/')
			goto bad;
		s += length;
	}
	return out;
bad:
	free(out);
	return NULL;
}
