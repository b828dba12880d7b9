/* SPDX-License-Identifier: ISC */
/* journal.c: the stderr line format, the choice of target, and the fallback to stderr when
 * the journal cannot be written. (Entries into a real journald: tests/integration.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"

static const struct journal_entry wifi_failing = {
    .message_id = "04cbb3647b6840008ea2ccfd9189abf8",
    .priority = LOG_WARNING,
    .message = "Cart 1: wifi failing: not associated",
    .device_udid = "U1",
    .precondition = "wifi",
    .state = "failing",
    .reason = "not associated",
};

static int reset_target(void **state)
{
	(void)state;
	unsetenv("BACKUPD_LOG_TARGET");
	unsetenv("JOURNAL_STREAM");
	journal_set_target(JOURNAL_TARGET_AUTO);
	return 0;
}

static bool no_journal_socket(void)
{
	return access("/run/systemd/journal/socket", F_OK) != 0;
}

/* Runs emit with stderr sent to a file and returns what was written (static buffer). */
static const char *captured_stderr(int (*emit)(void), int *rc)
{
	static char text[4096];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	*rc = emit();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(text, 1, sizeof(text) - 1, tmp);
	text[n] = '\0';
	fclose(tmp);
	return text;
}

static int emit_wifi(void)
{
	return journal_emit(&wifi_failing);
}

static int emit_log(void)
{
	log_error("cannot open %s: %s", "/var/lib/backupd", "Permission denied");
	return 0;
}

static void test_line_format(void **state)
{
	struct journal_entry e = {.priority = LOG_INFO, .message = "started"};
	char line[256], tiny[16];

	(void)state;
	assert_string_equal(journal_format_line(&wifi_failing, line, sizeof(line)),
	                    "backupd: warning: Cart 1: wifi failing: not associated "
	                    "[udid=U1 precondition=wifi state=failing]");
	assert_string_equal(journal_format_line(&e, line, sizeof(line)), "backupd: info: started");
	e.state = "ok";
	assert_string_equal(journal_format_line(&e, line, sizeof(line)),
	                    "backupd: info: started [state=ok]");
	journal_format_line(&wifi_failing, tiny, sizeof(tiny)); /* truncates, stays a string */
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	/* Cut inside a field, for every size: exactly sized heap buffers, so that a read or
	 * write past the end is caught (ASan: buf[used - 1] with used past size). */
	for (size_t size = 1; size < 90; size++) {
		char *exact = malloc(size);
		assert_non_null(exact);
		journal_format_line(&wifi_failing, exact, size);
		assert_true(strlen(exact) < size);
		free(exact);
	}
	assert_string_equal(journal_priority_word(LOG_ERR), "error");
	assert_string_equal(journal_priority_word(LOG_NOTICE), "notice");
	assert_string_equal(journal_priority_word(99), "info");
}

static void test_env_forces_target(void **state)
{
	(void)state;
	setenv("BACKUPD_LOG_TARGET", "stderr", 1);
	assert_int_equal(journal_target(), JOURNAL_TARGET_STDERR);
	journal_set_target(JOURNAL_TARGET_AUTO);
	setenv("BACKUPD_LOG_TARGET", "both", 1);
	assert_int_equal(journal_target(), JOURNAL_TARGET_BOTH);
	journal_set_target(JOURNAL_TARGET_JOURNAL); /* an explicit choice wins over the env */
	assert_int_equal(journal_target(), JOURNAL_TARGET_JOURNAL);
}

static void test_journal_stream_means_journal(void **state)
{
	struct stat st;
	char value[64];

	(void)state;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	snprintf(value, sizeof(value), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", value, 1);
	assert_int_equal(journal_target(), JOURNAL_TARGET_JOURNAL);
}

static void test_no_socket_means_stderr(void **state)
{
	int rc;

	(void)state;
	if (!no_journal_socket())
		skip();
	setenv("JOURNAL_STREAM", "1:2", 1); /* someone else's stream, not our stderr */
	assert_string_equal(captured_stderr(emit_wifi, &rc),
	                    "backupd: warning: Cart 1: wifi failing: not associated "
	                    "[udid=U1 precondition=wifi state=failing]\n");
	assert_int_equal(journal_target(), JOURNAL_TARGET_STDERR);
	assert_int_equal(rc, 0);
	assert_string_equal(captured_stderr(emit_log, &rc),
	                    "backupd: error: cannot open /var/lib/backupd: Permission denied\n");
}

/* libsystemd drops an entry silently when the journal socket does not exist (ENOENT), so
 * only a refused send (journald died, socket left) reaches our fallback: that case is
 * tested in tests/integration/test_journal_alert.sh. Here: a forced journal target without a
 * socket neither fails nor writes to stderr. */
static void test_forced_journal_without_socket(void **state)
{
	int rc;

	(void)state;
	if (!no_journal_socket())
		skip();
	journal_set_target(JOURNAL_TARGET_JOURNAL);
	assert_string_equal(captured_stderr(emit_wifi, &rc), "");
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_line_format, reset_target),
	    cmocka_unit_test_setup(test_env_forces_target, reset_target),
	    cmocka_unit_test_setup(test_journal_stream_means_journal, reset_target),
	    cmocka_unit_test_setup(test_no_socket_means_stderr, reset_target),
	    cmocka_unit_test_setup(test_forced_journal_without_socket, reset_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
