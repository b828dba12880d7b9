/* SPDX-License-Identifier: ISC */
/* slot_config: checks and stores [Hub] and [Slot] sections. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slot_config.h"
#include "xmalloc.h"

#define PORT_NAMES_MAX  4096
#define PORT_NUMBER_MAX 31
#define PORT_DEPTH_MAX  7
#define FIRST_SLOT_MAX  999

bool slot_port_path_valid(const char *text)
{
	const char *p = text;
	int bus = 0, depth = 0;
	while (isdigit((unsigned char)*p) && bus <= 999)
		bus = bus * 10 + (*p++ - '0');
	if (p == text || *p != '-' || bus < 1 || bus > 999 || strlen(text) >= PORT_PATH_MAX)
		return false;
	do {
		const char *start = ++p;
		int port = 0;
		while (isdigit((unsigned char)*p) && port <= PORT_NUMBER_MAX)
			port = port * 10 + (*p++ - '0');
		if (p == start || port < 1 || port > PORT_NUMBER_MAX || ++depth > PORT_DEPTH_MAX)
			return false;
	} while (*p == '.');
	return *p == '\0';
}

int slot_config_enter(struct port_names *names, bool hub, const char *path, char *why,
                      size_t why_size)
{
	if (!slot_port_path_valid(path)) {
		snprintf(why, why_size,
		         "[%s %.*s]: expected a USB port path such as 1-2 or 1-2.3 (bus, '-', "
		         "port numbers joined by '.')",
		         hub ? "Hub" : "Slot", 40, path);
		return -1;
	}
	for (int i = 0; i < names->n; i++)
		if (names->names[i].hub == hub && strcmp(names->names[i].port_path, path) == 0)
			return i;
	if (names->n >= PORT_NAMES_MAX) {
		snprintf(why, why_size, "too many [Hub] and [Slot] sections (at most %d)",
		         PORT_NAMES_MAX);
		return -1;
	}
	names->names = xreallocarray(names->names, (size_t)names->n + 1, sizeof(*names->names));
	struct port_name *name = &names->names[names->n];
	memset(name, 0, sizeof(*name));
	strlcpy_safe(name->port_path, path, sizeof(name->port_path));
	name->hub = hub;
	name->first_slot = 1;
	return names->n++;
}

static int store_text(char *field, const char *key, const char *value, char *why, size_t why_size)
{
	size_t length = strlen(value);
	if (length == 0 || length >= SLOT_NAME_MAX) {
		snprintf(why, why_size, "%s: expected a name of 1 to %d bytes, got \"%.*s\"", key,
		         SLOT_NAME_MAX - 1, 60, value);
		return -1;
	}
	memcpy(field, value, length + 1);
	return 0;
}

static int store_first_slot(struct port_name *name, const char *value, char *why, size_t why_size)
{
	char *end;
	long n = strtol(value, &end, 10);
	if (!isdigit((unsigned char)value[0]) || *end || n < 0 || n > FIRST_SLOT_MAX) {
		snprintf(why, why_size,
		         "FirstSlot: expected a whole number from 0 to %d, got \"%.*s\"",
		         FIRST_SLOT_MAX, 60, value);
		return -1;
	}
	name->first_slot = (int)n;
	return 0;
}

int slot_config_apply(struct port_name *name, const char *key, const char *value, char *why,
                      size_t why_size)
{
	if (strcmp(key, "Cart") == 0)
		return store_text(name->cart, key, value, why, why_size);
	if (!name->hub && strcmp(key, "Name") == 0)
		return store_text(name->name, key, value, why, why_size);
	if (name->hub && strcmp(key, "FirstSlot") == 0)
		return store_first_slot(name, value, why, why_size);
	snprintf(why, why_size, "%.*s: unknown key in [%s]; expected one of %s", 60, key,
	         name->hub ? "Hub" : "Slot", name->hub ? "Cart, FirstSlot" : "Cart, Name");
	return -1;
}

void slot_config_free(struct port_names *names)
{
	free(names->names);
	names->names = NULL;
	names->n = 0;
}
