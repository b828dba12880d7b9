/* SPDX-License-Identifier: ISC */
/* The packaged units' settings, asked of systemd over D-Bus for --check-config (which runs
 * apart from the service and has no socket passed to it). Never called on the event loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "unit_check.h"
#include "xmalloc.h"

#define SYSTEMD_DEST    "org.freedesktop.systemd1"
#define UNIT_PREFIX     "/org/freedesktop/systemd1/unit"
#define CALL_TIMEOUT_US (2 * 1000 * 1000)

/* NULL when the unit is not loaded (not installed) or systemd cannot say. */
static char *unit_path(sd_bus *bus, const char *unit)
{
	char *path = NULL, *state = NULL;
	if (sd_bus_path_encode(UNIT_PREFIX, unit, &path) < 0)
		return NULL;
	int rc = sd_bus_get_property_string(bus, SYSTEMD_DEST, path, SYSTEMD_DEST ".Unit",
	                                    "LoadState", NULL, &state);
	bool loaded = rc >= 0 && strcmp(state, "loaded") == 0;
	free(state);
	if (!loaded) {
		free(path);
		return NULL;
	}
	return path;
}

static void read_listen(sd_bus *bus, const char *path, struct unit_facts *facts)
{
	sd_bus_message *reply = NULL;
	const char *type, *address;
	if (sd_bus_get_property(bus, SYSTEMD_DEST, path, SYSTEMD_DEST ".Socket", "Listen", NULL,
	                        &reply, "a(ss)") < 0)
		return;
	if (sd_bus_message_enter_container(reply, 'a', "(ss)") >= 0) {
		while (sd_bus_message_read(reply, "(ss)", &type, &address) > 0)
			if (strcmp(type, "Stream") == 0 && address[0] == '/')
				strlcpy_safe(facts->socket_path, address,
				             sizeof(facts->socket_path));
	}
	sd_bus_message_unref(reply);
}

static void read_socket(sd_bus *bus, struct unit_facts *facts)
{
	char *path = unit_path(bus, "backupd.socket"), *group = NULL;
	if (path == NULL)
		return;
	read_listen(bus, path, facts);
	if (sd_bus_get_property_string(bus, SYSTEMD_DEST, path, SYSTEMD_DEST ".Socket",
	                               "SocketGroup", NULL, &group) >= 0)
		strlcpy_safe(facts->socket_group, group[0] ? group : "root",
		             sizeof(facts->socket_group));
	free(group);
	free(path);
}

/* Appends each entry of an "as" property to facts->writable_dirs, under prefix. */
static void append_dirs(sd_bus *bus, const char *path, const char *property, const char *prefix,
                        struct unit_facts *facts)
{
	char **dirs = NULL;
	/* An empty list comes back as NULL. */
	if (sd_bus_get_property_strv(bus, SYSTEMD_DEST, path, SYSTEMD_DEST ".Service", property,
	                             NULL, &dirs) < 0 ||
	    dirs == NULL)
		return;
	for (char **dir = dirs; *dir != NULL; dir++) {
		size_t used = strlen(facts->writable_dirs);
		/* ReadWritePaths may carry "-" (ignore if missing) or "+" prefixes. */
		const char *name = *dir + strspn(*dir, "-+");
		snprintf(facts->writable_dirs + used, sizeof(facts->writable_dirs) - used, "%s%s%s",
		         used ? ":" : "", prefix, name);
		free(*dir);
	}
	free(dirs);
}

static void read_service(sd_bus *bus, struct unit_facts *facts)
{
	char *path = unit_path(bus, "backupd.service"), *protect = NULL;
	if (path == NULL)
		return;
	if (sd_bus_get_property_string(bus, SYSTEMD_DEST, path, SYSTEMD_DEST ".Service",
	                               "ProtectSystem", NULL, &protect) >= 0 &&
	    strcmp(protect, "strict") == 0) {
		append_dirs(bus, path, "StateDirectory", "/var/lib/", facts);
		append_dirs(bus, path, "ReadWritePaths", "", facts);
		if (facts->writable_dirs[0] == '\0')
			strlcpy_safe(facts->writable_dirs, "(none)", sizeof(facts->writable_dirs));
	}
	free(protect);
	free(path);
}

int unit_facts_from_systemd(struct unit_facts *facts, char *why, size_t why_size)
{
	sd_bus *bus = NULL;
	memset(facts, 0, sizeof(*facts));
	int rc = sd_bus_open_system(&bus);
	if (rc < 0) {
		snprintf(why, why_size, "cannot reach systemd over D-Bus: %s", strerror(-rc));
		return -1;
	}
	sd_bus_set_method_call_timeout(bus, CALL_TIMEOUT_US);
	read_socket(bus, facts);
	read_service(bus, facts);
	sd_bus_flush_close_unref(bus);
	return 0;
}
