/* SPDX-License-Identifier: ISC */
/* version_text: what an iOS version written by a person may look like ([Rules] MinimumIOS=,
 * the phone's ProductVersion), checked before it is compared (rules.h). */
#ifndef BACKUPD_VERSION_TEXT_H
#define BACKUPD_VERSION_TEXT_H

#include <stdbool.h>

/* True for 1 to 4 dot-separated components of 1 to 9 digits each: "16", "17.5.1". */
bool version_text_valid(const char *text);

#endif
