/* SPDX-License-Identifier: ISC */
/* UTF-8 sequence decoding (utf8.h). */
#include <string.h>

#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *code)
{
	static const struct {
		unsigned char lead_mask, lead_bits, lead_value_mask;
		uint32_t min;
	} forms[] = {
	    {0x80, 0x00, 0x7f, 0x0},
	    {0xe0, 0xc0, 0x1f, 0x80},
	    {0xf0, 0xe0, 0x0f, 0x800},
	    {0xf8, 0xf0, 0x07, 0x10000},
	};
	for (size_t n = 0; len > 0 && n < sizeof(forms) / sizeof(forms[0]); n++) {
		if ((s[0] & forms[n].lead_mask) != forms[n].lead_bits)
			continue;
		if (n + 1 > len)
			return 0;
		uint32_t value = s[0] & forms[n].lead_value_mask;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			value = value << 6 | (s[i] & 0x3f);
		}
		if (value < forms[n].min || value > 0x10ffff ||
		    (value >= 0xd800 && value <= 0xdfff))
			return 0;
		*code = value;
		return n + 1;
	}
	return 0;
}

size_t utf8_sequence(const unsigned char *s)
{
	uint32_t code;
	/* A NUL ends the text: a sequence cut by it is not one. */
	return utf8_decode(s, strnlen((const char *)s, 4), &code);
}
