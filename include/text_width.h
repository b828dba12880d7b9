/* SPDX-License-Identifier: ISC */
/* How many terminal columns text takes, for backupctl's tables: wcwidth(3) of the locale
 * (backupctl calls setlocale(LC_CTYPE, "")), and where it knows nothing (the C locale, a
 * code point it calls unprintable) one table of our own: East Asian Wide and Fullwidth
 * characters (CJK, kana, Hangul, most emoji) take 2 columns, combining and other zero-width
 * marks 0, the rest 1. */
#ifndef BACKUPD_TEXT_WIDTH_H
#define BACKUPD_TEXT_WIDTH_H

#include <stddef.h>
#include <stdint.h>

/* Columns of one code point: 0, 1 or 2. */
int text_char_width(uint32_t code);

/* Columns of UTF-8 text; a byte that does not start a valid sequence counts as 1. */
int text_width(const char *text);

/* The length in bytes of the longest start of text that takes at most max_width columns,
 * cut only between characters; zero-width marks right after the last character kept stay
 * with it. Its columns in *width (may be NULL). */
size_t text_width_cut(const char *text, int max_width, int *width);

#endif
