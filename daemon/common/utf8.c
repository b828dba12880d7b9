/* SPDX-License-Identifier: ISC */
/* UTF-8 sequence validation. */
#include "utf8.h"

size_t utf8_sequence(const unsigned char *s)
{
	size_t length;
	unsigned code;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		length = 2, code = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		length = 3, code = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		length = 4, code = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < length; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		code = code << 6 | (s[i] & 0x3F);
	}
	if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
	    (code >= 0xD800 && code <= 0xDFFF))
		return 0;
	return length;
}
