/* SPDX-License-Identifier: ISC */
/* vis(3)-style cleaning of device strings. See include/text_clean.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text_clean.h"
#include "utf8.h"

/* Characters a terminal or a reader would act on instead of showing: controls, the format
 * characters that reorder text (bidi marks and overrides) or break lines, and the invisible
 * ones that make two names look alike (zero-width, soft hyphen, byte order mark, tags). */
static const struct {
	uint32_t first, last;
} hidden_ranges[] = {
    {0x00, 0x1f},       /* C0 controls */
    {0x7f, 0x9f},       /* DEL, C1 controls */
    {0xad, 0xad},       /* SOFT HYPHEN */
    {0x61c, 0x61c},     /* ARABIC LETTER MARK */
    {0x200b, 0x200f},   /* zero-width space, non-joiner, joiner; LRM, RLM */
    {0x2028, 0x202e},   /* line and paragraph separators, bidi embeddings and overrides */
    {0x2066, 0x2069},   /* bidi isolates */
    {0xfeff, 0xfeff},   /* ZERO WIDTH NO-BREAK SPACE (byte order mark) */
    {0xe0000, 0xe007f}, /* tag characters */
};

static bool is_hidden(uint32_t code)
{
	for (size_t i = 0; i < sizeof(hidden_ranges) / sizeof(hidden_ranges[0]); i++)
		if (code >= hidden_ranges[i].first && code <= hidden_ranges[i].last)
			return true;
	return false;
}

/* The visible form of the character (n bytes at s) into out; returns its length. */
static size_t visible_form(const unsigned char *s, size_t n, uint32_t code, bool valid,
                           bool escape_backslash, char *out)
{
	if (!valid)
		return (size_t)snprintf(out, 8, "\\x%02x", s[0]);
	switch (code) {
	case '\\':
		if (!escape_backslash)
			break;
		return (size_t)snprintf(out, 8, "\\\\");
	case '\n':
		return (size_t)snprintf(out, 8, "\\n");
	case '\r':
		return (size_t)snprintf(out, 8, "\\r");
	case '\t':
		return (size_t)snprintf(out, 8, "\\t");
	default:
		break;
	}
	if (!is_hidden(code)) {
		memcpy(out, s, n);
		return n;
	}
	size_t length = 0;
	for (size_t i = 0; i < n; i++)
		length += (size_t)snprintf(out + length, 8, "\\%03o", s[i]);
	return length;
}

static bool clean(char *dst, size_t size, const char *src, size_t len, bool escape_backslash)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t used = 0, i = 0;
	if (size == 0)
		return len == 0;
	while (i < len) {
		uint32_t code = 0;
		size_t n = utf8_decode(s + i, len - i, &code);
		bool valid = n > 0;
		char form[24]; /* at most 4 bytes as "\\ooo" each, and the last snprintf's room */
		size_t form_len =
		    visible_form(s + i, valid ? n : 1, code, valid, escape_backslash, form);
		if (used + form_len >= size)
			break;
		memcpy(dst + used, form, form_len);
		used += form_len;
		i += valid ? n : 1;
	}
	dst[used] = '\0';
	return i == len;
}

bool text_clean(char *dst, size_t size, const char *src, size_t len)
{
	return clean(dst, size, src, len, true);
}

bool text_reclean(char *dst, size_t size, const char *src, size_t len)
{
	return clean(dst, size, src, len, false);
}

size_t text_cut_length(const char *src, size_t len, size_t max)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0;
	while (i < len) {
		uint32_t code = 0;
		size_t n = utf8_decode(s + i, len - i, &code);
		if (n == 0)
			n = 1;
		if (i + n > max)
			break;
		i += n;
	}
	return i;
}
