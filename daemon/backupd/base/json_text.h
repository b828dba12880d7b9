/* SPDX-License-Identifier: ISC */
/* A small helper shared by the JSON builders of the control replies. */
#ifndef BACKUPD_JSON_TEXT_H
#define BACKUPD_JSON_TEXT_H

#include <jansson.h>

/* A JSON string of text; bytes that are not UTF-8 become '?' rather than failing. */
json_t *json_text(const char *text);

#endif
