/* SPDX-License-Identifier: ISC */
/* UTF-8 decoding shared by the config parser, the metrics text, device string cleaning and
 * backupctl's display widths. */
#ifndef BACKUPD_UTF8_H
#define BACKUPD_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (at most len bytes; 1..4), with its code point in
 * *code; 0 when the bytes there are not one: overlong forms, surrogates and code points past
 * U+10FFFF are invalid (RFC 3629). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *code);

/* utf8_decode of NUL-terminated text, without the code point. */
size_t utf8_sequence(const unsigned char *s);

#endif
