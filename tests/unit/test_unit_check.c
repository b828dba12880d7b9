/* SPDX-License-Identifier: ISC */
/* unit_check.c: which differences between backupd.conf and the systemd units are warned
 * about, and that each warning names the drop-in that fixes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "unit_check.h"

struct warnings {
	int n;
	char text[4][2048];
};

static void collect(void *arg, const char *message)
{
	struct warnings *w = arg;
	if (w->n < 4)
		snprintf(w->text[w->n], sizeof(w->text[0]), "%s", message);
	w->n++;
}

static struct backupd_config packaged(void)
{
	struct backupd_config config;
	config_defaults(&config);
	return config;
}

static struct unit_facts packaged_units(void)
{
	struct unit_facts facts = {.socket_path = "/run/backupd/control",
	                           .socket_group = "backupd",
	                           .writable_dirs = "/var/lib/backupd"};
	return facts;
}

static void defaults_agree_with_the_units(void **state)
{
	(void)state;
	struct backupd_config config = packaged();
	struct unit_facts facts = packaged_units();
	struct warnings w = {0};
	assert_int_equal(unit_check(&config, &facts, collect, &w), 0);
	assert_int_equal(w.n, 0);
}

static void group_needs_socket_group(void **state)
{
	(void)state;
	struct backupd_config config = packaged();
	struct unit_facts facts = packaged_units();
	struct warnings w = {0};
	strcpy(config.control_group, "admins");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 1);
	assert_non_null(strstr(w.text[0], "ControlGroup=admins"));
	assert_non_null(strstr(w.text[0], "(backupd, SocketGroup= of backupd.socket)"));
	assert_non_null(strstr(w.text[0], "\"SocketGroup=admins\""));
	assert_non_null(strstr(w.text[0], "systemctl edit backupd.socket"));
}

static void socket_path_needs_listen_stream(void **state)
{
	(void)state;
	struct backupd_config config = packaged();
	struct unit_facts facts = packaged_units();
	struct warnings w = {0};
	strcpy(config.control_socket, "/run/elsewhere/control");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 1);
	assert_non_null(strstr(w.text[0], "\"ListenStream=/run/elsewhere/control\""));
}

static void not_socket_activated_compares_nothing(void **state)
{
	(void)state;
	struct backupd_config config = packaged();
	struct unit_facts facts = {0};
	struct warnings w = {0};
	strcpy(config.control_group, "admins");
	strcpy(config.control_socket, "/tmp/x");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 0);
}

static void state_directory_outside_writable_paths(void **state)
{
	(void)state;
	struct backupd_config config = packaged();
	struct unit_facts facts = packaged_units();
	struct warnings w = {0};
	strcpy(config.state_directory, "/srv/backupd");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 1);
	assert_non_null(strstr(w.text[0], "\"ReadWritePaths=/srv/backupd\""));
	/* Below a writable path, or one of several, is fine; a mere prefix is not. */
	strcpy(facts.writable_dirs, "/var/lib/backupd:/srv");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 0);
	strcpy(facts.writable_dirs, "/var/lib/backupd:/srv/backup");
	assert_int_equal(unit_check(&config, &facts, collect, &w), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(defaults_agree_with_the_units),
	    cmocka_unit_test(group_needs_socket_group),
	    cmocka_unit_test(socket_path_needs_listen_stream),
	    cmocka_unit_test(not_socket_activated_compares_nothing),
	    cmocka_unit_test(state_directory_outside_writable_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
