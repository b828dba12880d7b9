/* SPDX-License-Identifier: ISC */
/* See version_text.h. */
#include "version_text.h"

#define VERSION_COMPONENTS_MAX 4
#define VERSION_DIGITS_MAX     9

bool version_text_valid(const char *text)
{
	int components = 0;

	for (;;) {
		int digits = 0;

		while (*text >= '0' && *text <= '9' && digits <= VERSION_DIGITS_MAX) {
			text++;
			digits++;
		}
		if (digits == 0 || digits > VERSION_DIGITS_MAX)
			return false;
		if (++components > VERSION_COMPONENTS_MAX)
			return false;
		if (*text == '\0')
			return true;
		if (*text++ != '.')
			return false;
	}
}
