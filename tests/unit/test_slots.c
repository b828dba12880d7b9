/* SPDX-License-Identifier: ISC */
/* Slot names: [Hub]/[Slot] sections through the real config parser (errors name file:line),
 * port paths, the name of a port, the label text and cart order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "slot_history.h"
#include "slot_label.h"
#include "slot_names.h"
#include "daily_window.h"
#include "slot_oncart.h"
#include "slot_rules.h"

static char conf_path[] = "/tmp/test_slots.XXXXXX";

static int load(struct backupd_config *config, const char *text, char *err, size_t size)
{
	int fd = mkstemp(conf_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	config_defaults(config);
	int rc = config_load(config, conf_path, NULL, err, size);
	unlink(conf_path);
	strcpy(conf_path, "/tmp/test_slots.XXXXXX");
	return rc;
}

static const char cart[] = "[Hub 1-1]\nCart=Cart 3\n"
                           "[Hub 1-2]\nCart=Cart 3\nFirstSlot=8\n"
                           "[Slot 1-2.7]\nName=Teacher\n"
                           "[Slot 3-1]\nCart=Spare\nName=1\n"
                           "[Slot 4-2.5]\nCart=Bench\n";

static void label_of(const struct backupd_config *c, const char *port, char *buf, size_t size)
{
	struct slot_label label;
	slot_names_resolve(&c->port_names, port, &label);
	slot_label_text(&label, port, buf, size);
}

static void test_names(void **state)
{
	(void)state;
	struct backupd_config c;
	char err[512], buf[128];
	assert_int_equal(load(&c, cart, err, sizeof(err)), 0);
	label_of(&c, "1-1.3", buf, sizeof(buf));
	assert_string_equal(buf, "Cart 3/3");
	label_of(&c, "1-2.1", buf, sizeof(buf));
	assert_string_equal(buf, "Cart 3/8");
	label_of(&c, "1-2.7", buf, sizeof(buf));
	assert_string_equal(buf, "Cart 3/Teacher");
	label_of(&c, "1-2.4.2", buf, sizeof(buf)); /* behind a hub on port 4 */
	assert_string_equal(buf, "Cart 3/11.2");
	label_of(&c, "3-1", buf, sizeof(buf));
	assert_string_equal(buf, "Spare/1");
	label_of(&c, "4-2.5", buf, sizeof(buf)); /* Name= defaults to the port number */
	assert_string_equal(buf, "Bench/5");
	label_of(&c, "2-4", buf, sizeof(buf)); /* nothing names it */
	assert_string_equal(buf, "2-4");
	label_of(&c, "1-1", buf, sizeof(buf)); /* the hub itself is not below itself */
	assert_string_equal(buf, "1-1");
	label_of(&c, "1-10.2", buf, sizeof(buf)); /* 1-1 is not a prefix of 1-10 */
	assert_string_equal(buf, "1-10.2");
	label_of(&c, "", buf, sizeof(buf));
	assert_string_equal(buf, "");
	config_free(&c);
}

static void test_cart_order(void **state)
{
	(void)state;
	struct backupd_config c;
	char err[512];
	assert_int_equal(load(&c, cart, err, sizeof(err)), 0);
	const char *ports[] = {"1-1.2", "1-1.7", "1-2.1", "1-2.7", "3-1", "2-4"};
	for (size_t i = 0; i + 1 < sizeof(ports) / sizeof(ports[0]); i++) {
		struct slot_label a, b;
		slot_names_resolve(&c.port_names, ports[i], &a);
		slot_names_resolve(&c.port_names, ports[i + 1], &b);
		if (slot_label_compare(&a, ports[i], &b, ports[i + 1]) >= 0)
			fail_msg("%s should sort before %s", ports[i], ports[i + 1]);
	}
	config_free(&c);
}

static void expect_error(const char *text, const char *suffix)
{
	struct backupd_config c;
	char err[512], want[600];
	assert_int_equal(load(&c, text, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "/tmp/test_slots.XXXXXX%s", suffix);
	/* the temp name differs: compare from the line number on */
	assert_string_equal(strchr(err, ':'), strchr(want, ':'));
	config_free(&c);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("[Hub 1]\n",
	             ":1: [Hub 1]: expected a USB port path such as 1-2 or 1-2.3 (bus, "
	             "'-', port numbers joined by '.')");
	expect_error("[Slot 1-2.x]\n", ":1: [Slot 1-2.x]: expected a USB port path such as 1-2 or "
	                               "1-2.3 (bus, '-', port numbers joined by '.')");
	expect_error("[Hub 1-2]\n\nName=A\n",
	             ":3: Name: unknown key in [Hub]; expected one of Cart, FirstSlot");
	expect_error("[Slot 1-2.3]\nFirstSlot=3\n",
	             ":2: FirstSlot: unknown key in [Slot]; expected one of Cart, Name");
	expect_error("[Hub 1-2]\nFirstSlot=-1\n",
	             ":2: FirstSlot: expected a whole number from 0 to 999, got \"-1\"");
	expect_error("[Hub 1-2]\nCart=\n", ":2: Cart: expected a name of 1 to 47 bytes, got \"\"");
	expect_error("[Hub 1-2]\nCart=A very long cart name that goes on and on and on\n",
	             ":2: Cart: expected a name of 1 to 47 bytes, got \"A very long cart name that "
	             "goes on and on and on\"");
	expect_error("[Hub 1-2.40]\n", ":1: [Hub 1-2.40]: expected a USB port path such as 1-2 or "
	                               "1-2.3 (bus, '-', port numbers joined by '.')");
}

static void test_port_paths(void **state)
{
	(void)state;
	assert_true(slot_port_path_valid("1-2"));
	assert_true(slot_port_path_valid("12-2.3.4.5.6.7"));
	assert_false(slot_port_path_valid("1-2.3.4.5.6.7.1.2"));
	assert_false(slot_port_path_valid("0-1"));
	assert_false(slot_port_path_valid("1-"));
	assert_false(slot_port_path_valid("1-2."));
	assert_false(slot_port_path_valid("1-2:1.0"));
	assert_false(slot_port_path_valid("usb1"));
}

/* ---- slot_rules: does the fault follow the slot or the phone? ---- */

static struct slot_record phones[4];
static int64_t clock_now = 1000;

/* Phone p is put in port and its probe says charging (ok) or not. */
static void seen(int p, const char *port, bool charges)
{
	clock_now += 60;
	slot_history_found(&phones[p], port, 480, clock_now);
	slot_history_observe(&phones[p], charges ? VERDICT_OK : VERDICT_FAILING, clock_now);
}

static void judge(int p, struct slot_judgement *j)
{
	static const char *const udids[] = {"A", "B", "C", "D"};
	struct slot_evidence ev[4];
	for (int i = 0; i < 4; i++)
		ev[i] = (struct slot_evidence){udids[i], &phones[i]};
	slot_rules_judge(ev, 4, (size_t)p, j);
}

static int reset(void **state)
{
	(void)state;
	memset(phones, 0, sizeof(phones));
	return 0;
}

static void test_rotated_through_a_broken_slot(void **state)
{
	(void)state;
	struct slot_judgement j;
	seen(0, "1-1.1", false); /* 1-1.1 is broken */
	seen(1, "1-1.2", true);
	seen(2, "1-1.3", true);
	judge(0, &j);
	assert_int_equal(j.blame, SLOT_BLAME_NONE); /* one phone, one slot: too little */
	seen(0, "1-1.2", true);
	seen(1, "1-1.3", true);
	seen(2, "1-1.1", false);
	judge(2, &j);
	assert_int_equal(j.blame, SLOT_BLAME_SLOT);
	assert_string_equal(j.port_path, "1-1.1");
	assert_int_equal(j.n_others, 1);
	assert_int_equal(j.others[0], 0);
	assert_false(j.already_told);
	phones[2].observations[0].slot_told = 1; /* the entry was written */
	seen(2, "1-1.2", true);
	seen(1, "1-1.1", false);
	judge(1, &j);
	assert_int_equal(j.blame, SLOT_BLAME_SLOT);
	assert_int_equal(j.n_others, 2);
	assert_true(j.already_told); /* once per fault */
	judge(0, &j);
	assert_int_equal(j.blame, SLOT_BLAME_NONE); /* charging now */
}

static void test_broken_phone_through_good_slots(void **state)
{
	(void)state;
	struct slot_judgement j;
	seen(1, "1-1.1", true);
	seen(2, "1-1.2", true);
	seen(0, "1-1.1", false);
	judge(0, &j);
	assert_int_equal(j.blame, SLOT_BLAME_NONE);
	seen(0, "1-1.2", false);
	judge(0, &j);
	assert_int_equal(j.blame, SLOT_BLAME_PHONE);
	assert_int_equal(j.n_ports, 2);
	assert_string_equal(j.ports[0], "1-1.2");
	assert_string_equal(j.ports[1], "1-1.1");
	/* the broken phone is no evidence against 1-1.2: a good phone there is not blamed */
	seen(2, "1-1.3", true);
	seen(3, "1-1.4", true);
	seen(3, "1-1.2", false);
	judge(3, &j);
	assert_int_equal(j.blame, SLOT_BLAME_NONE);
}

/* Phones 0 and 1 charge in 1-1.2 and 1-1.3 and both fail in 1-1.1. */
static void two_fail_in_slot_1(void)
{
	seen(0, "1-1.2", true);
	seen(1, "1-1.3", true);
	seen(0, "1-1.1", false);
	seen(1, "1-1.1", false);
}

static void test_repaired_slot_is_no_longer_blamed(void **state)
{
	(void)state;
	struct slot_judgement j;
	two_fail_in_slot_1();
	judge(1, &j);
	assert_int_equal(j.blame, SLOT_BLAME_SLOT);
	seen(2, "1-1.1", true); /* the cable was replaced */
	seen(3, "1-1.3", true);
	seen(3, "1-1.1", false);
	judge(3, &j);
	assert_int_equal(j.blame, SLOT_BLAME_NONE); /* one failure since the repair */
}

static void test_a_new_phone_in_a_known_bad_slot(void **state)
{
	(void)state;
	struct slot_judgement j;
	two_fail_in_slot_1();
	seen(1, "1-1.3", true);
	seen(2, "1-1.1", false); /* never seen elsewhere: two others carry the case */
	judge(2, &j);
	assert_int_equal(j.blame, SLOT_BLAME_SLOT);
	assert_int_equal(j.n_others, 2);
}

static void test_on_cart_hours(void **state)
{
	(void)state;
	struct daily_window night, day;
	assert_int_equal(daily_window_parse("18:00-07:00", &night), 0);
	assert_int_equal(daily_window_parse("09:30-17:00", &day), 0);
	assert_true(daily_window_inside(&night, 18 * 60));
	assert_true(daily_window_inside(&night, 23 * 60 + 59));
	assert_true(daily_window_inside(&night, 0));
	assert_true(daily_window_inside(&night, 6 * 60 + 59));
	assert_false(daily_window_inside(&night, 7 * 60));
	assert_false(daily_window_inside(&night, 12 * 60));
	assert_true(daily_window_inside(&day, 9 * 60 + 30));
	assert_false(daily_window_inside(&day, 17 * 60));
	assert_false(daily_window_inside(&day, 9 * 60 + 29));
	const char *bad[] = {"18:00",       "18:00-7:00",    "24:00-07:00", "18:60-07:00",
	                     "18:00-18:00", "18:00 - 07:00", "6pm-7am",     ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (daily_window_parse(bad[i], NULL) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
	expect_error("[Rules]\nOnCartHours=6pm-7am\n",
	             ":2: OnCartHours: expected a daily window of local time such as 18:00-07:00, "
	             "got \"6pm-7am\"");
	struct backupd_config c;
	char err[512];
	assert_int_equal(load(&c, "[Rules]\nOnCartHours=18:00-07:00\n", err, sizeof(err)), 0);
	assert_string_equal(c.on_cart_hours, "18:00-07:00");
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_cart_order),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_port_paths),
	    cmocka_unit_test(test_on_cart_hours),
	    cmocka_unit_test_setup(test_rotated_through_a_broken_slot, reset),
	    cmocka_unit_test_setup(test_broken_phone_through_good_slots, reset),
	    cmocka_unit_test_setup(test_repaired_slot_is_no_longer_blamed, reset),
	    cmocka_unit_test_setup(test_a_new_phone_in_a_known_bad_slot, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
