/* SPDX-License-Identifier: ISC */
/* UTF-8 validation shared by the config parser and the metrics text. */
#ifndef BACKUPD_UTF8_H
#define BACKUPD_UTF8_H

#include <stddef.h>

/* Length of the UTF-8 sequence at s (shortest form, no surrogates, <= U+10FFFF), 0 if bad. */
size_t utf8_sequence(const unsigned char *s);

#endif
