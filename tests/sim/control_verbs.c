/* SPDX-License-Identifier: ISC */
/* The control socket's commands, one function a verb, and their table. */
#include "control_verbs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <event2/buffer.h>

static void reply_ok(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply_ok(struct reply *r, const char *fmt, ...)
{
	va_list ap;
	evbuffer_add_printf(r->out, "ok");
	if (fmt && *fmt) {
		evbuffer_add(r->out, " ", 1);
		va_start(ap, fmt);
		evbuffer_add_vprintf(r->out, fmt, ap);
		va_end(ap);
	}
	evbuffer_add(r->out, "\n", 1);
}

void reply_error(struct reply *r, const char *msg)
{
	evbuffer_add_printf(r->out, "error %s\n", msg);
}

/* "ok N ITEM ITEM ...", one item per device. */
static void list_devices(struct sim *sim, struct reply *r,
                         void (*item)(struct evbuffer *out, const struct sim_device *d))
{
	evbuffer_add_printf(r->out, "ok %zu", sim->fleet.count);
	for (size_t i = 0; i < sim->fleet.count; i++)
		item(r->out, sim->fleet.devices[i]);
	evbuffer_add(r->out, "\n", 1);
}

static void list_item(struct evbuffer *out, const struct sim_device *d)
{
	char pairing[96];
	pairing_describe(d, pairing, sizeof pairing);
	evbuffer_add_printf(out, " %s:%s:%s:%s:%s", d->udid, d->attached ? "attached" : "detached",
	                    behaviour_name(d->behaviour),
	                    d->host_has_record ? "paired" : "unpaired", pairing);
}

static void cmd_list(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                     struct reply *r)
{
	(void)dev;
	(void)argv;
	(void)argc;
	list_devices(sim, r, list_item);
}

static void cmd_attach(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                       struct reply *r)
{
	(void)argv;
	(void)argc;
	sim_attach(sim, dev);
	reply_ok(r, "%s", dev->udid);
}

static void cmd_detach(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                       struct reply *r)
{
	(void)argv;
	(void)argc;
	sim_detach(sim, dev);
	reply_ok(r, "%s", dev->udid);
}

static void cmd_add(struct sim *sim, struct sim_device *dev, char **argv, int argc, struct reply *r)
{
	(void)argc;
	char err[512];
	size_t before = sim->fleet.count;
	dev = fleet_load_profile(&sim->fleet, argv[1], err, sizeof err);
	if (!dev) {
		reply_error(r, err);
		return;
	}
	/* A profile for a known device replaces its values: re-plug it so listeners see it. */
	if (sim->fleet.count == before) {
		mux_close_device_conns(sim, dev->id);
		mux_broadcast(sim, "Detached", dev);
	}
	fleet_finish_device(sim, dev);
	sysfs_assign_port(sim, dev);
	if (dev->attached) {
		sysfs_unplug_device(sim, dev);
		sysfs_plug_device(sim, dev);
		mux_broadcast(sim, "Attached", dev);
	}
	reply_ok(r, "%s", dev->udid);
}

static void cmd_set(struct sim *sim, struct sim_device *dev, char **argv, int argc, struct reply *r)
{
	(void)sim;
	(void)argc;
	plist_t domain = fleet_domain(dev, argv[2], true);
	plist_dict_set_item(domain, argv[3], plist_parse_value(argv[4]));
	reply_ok(r, NULL);
}

static void cmd_unset(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                      struct reply *r)
{
	(void)sim;
	(void)argc;
	plist_t domain = fleet_domain(dev, argv[2], false);
	if (!domain || !plist_dict_get_item(domain, argv[3])) {
		reply_error(r, "no such value");
		return;
	}
	plist_dict_remove_item(domain, argv[3]);
	reply_ok(r, NULL);
}

/* The SSID is the rest of the line, so it may hold spaces; joining gives a default BSSID. */
static void cmd_wifi(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                     struct reply *r)
{
	(void)sim;
	(void)argc;
	static const uint8_t default_bssid[6] = {0x2c, 0x3a, 0xfd, 0x01, 0x02, 0x03};
	bool joined = strcmp(argv[2], "-") != 0;
	snprintf(dev->ssid, sizeof dev->ssid, "%s", joined ? argv[2] : "");
	memset(dev->bssid, 0, sizeof dev->bssid);
	if (joined)
		memcpy(dev->bssid, default_bssid, sizeof dev->bssid);
	reply_ok(r, NULL);
}

static void cmd_bssid(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                      struct reply *r)
{
	(void)sim;
	(void)argc;
	unsigned b[6];
	if (sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
		reply_error(r, "BSSID must look like 2c:3a:fd:01:02:03");
		return;
	}
	for (int i = 0; i < 6; i++)
		dev->bssid[i] = (uint8_t)b[i];
	reply_ok(r, NULL);
}

static void cmd_wificlass(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                          struct reply *r)
{
	(void)sim;
	(void)argc;
	snprintf(dev->wifi_class, sizeof dev->wifi_class, "%s", argv[2]);
	reply_ok(r, NULL);
}

static const unsigned default_arg[BEH_COUNT] = {[BEH_SLOW] = 500, [BEH_DROP] = 2};

static void cmd_behaviour(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                          struct reply *r)
{
	int b = behaviour_from_name(argv[2]);
	if (b < 0) {
		reply_error(r, "unknown behaviour");
		return;
	}
	dev->behaviour = (enum sim_behaviour)b;
	dev->behaviour_arg = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : default_arg[b];
	/* A device that forgets or never had the host: what a fresh pairing state looks like. */
	pairing_set_known(sim, dev, dev->behaviour != BEH_TRUST_PENDING);
	reply_ok(r, "%s %u", behaviour_name(dev->behaviour), dev->behaviour_arg);
}

/* Tapping "Trust": the device re-enumerates, then usbmuxd reports it paired. */
static void cmd_pair(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                     struct reply *r)
{
	(void)argv;
	(void)argc;
	if (dev->behaviour == BEH_NOT_PAIRED || dev->behaviour == BEH_TRUST_PENDING)
		dev->behaviour = BEH_NORMAL;
	pairing_set_known(sim, dev, true);
	sim_detach(sim, dev);
	sim_attach(sim, dev);
	mux_broadcast(sim, "Paired", dev);
	reply_ok(r, "%s", dev->udid);
}

/* The Trust dialog on screen: "Trust" lets the next Pair through, "Don't Trust" refuses
 * until the phone is unplugged. */
static void cmd_trust(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                      struct reply *r)
{
	(void)sim;
	(void)argc;
	const char *why = NULL;
	if (pairing_tap(dev, strcmp(argv[0], "trust") == 0, &why) < 0)
		reply_error(r, why);
	else
		reply_ok(r, "%s", dev->udid);
}

static void cmd_expire(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                       struct reply *r)
{
	(void)sim;
	(void)argv;
	(void)argc;
	pairing_expire(dev);
	reply_ok(r, "%s", dev->udid);
}

static void cmd_usbmuxd(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                        struct reply *r)
{
	(void)dev;
	(void)argc;
	if (strcmp(argv[1], "down") == 0) {
		mux_stop(sim);
		reply_ok(r, "down");
	} else if (strcmp(argv[1], "up") == 0) {
		if (mux_start(sim) < 0)
			reply_error(r, "cannot listen");
		else
			reply_ok(r, "up");
	} else if (strcmp(argv[1], "split-next") == 0) {
		sim->split_next_listen = true;
		reply_ok(r, "split-next");
	} else {
		reply_error(r, "usage: usbmuxd up|down|split-next");
	}
}

static bool valid_port(struct sim *sim, const char *port, struct reply *r)
{
	unsigned bus, ports[8];
	int depth;
	if (!sim->sysfs_root) {
		reply_error(r, "no sysfs tree (start with --sysfs DIR)");
		return false;
	}
	if (sysfs_parse_port_path(port, &bus, ports, &depth) < 0) {
		reply_error(r, "PORT must look like 1-2.3");
		return false;
	}
	return true;
}

/* Unplugging and plugging into another port: usbmuxd sees a detach, then an attach. */
static void cmd_move(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                     struct reply *r)
{
	if (!valid_port(sim, argv[2], r))
		return;
	bool same = dev->plugged && strcmp(dev->port_path, argv[2]) == 0;
	if (!same && sysfs_port_busy(sim, argv[2])) {
		reply_error(r, "port busy");
		return;
	}
	sim_detach(sim, dev);
	snprintf(dev->port_path, sizeof dev->port_path, "%s", argv[2]);
	dev->speed_mbps = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 0;
	sim_attach(sim, dev);
	reply_ok(r, "%s %s", dev->udid, dev->port_path);
}

/* Another USB device (a keyboard, a card reader) on a port: never an iPhone. */
static void cmd_usbdev(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                       struct reply *r)
{
	(void)dev;
	if (!valid_port(sim, argv[1], r))
		return;
	if (strcmp(argv[2], "-") == 0) {
		sysfs_unplug(sim, argv[1]);
		reply_ok(r, "%s", argv[1]);
		return;
	}
	char vendor[8], product[8];
	if (sscanf(argv[2], "%4[0-9a-f]:%4[0-9a-f]", vendor, product) != 2) {
		reply_error(r, "usage: usbdev PORT VENDOR:PRODUCT [SERIAL] | usbdev PORT -");
		return;
	}
	if (sysfs_port_busy(sim, argv[1])) {
		reply_error(r, "port busy");
		return;
	}
	if (sysfs_plug(sim, argv[1], vendor, product, argc > 3 ? argv[3] : NULL, 12) < 0)
		reply_error(r, "cannot write the sysfs tree");
	else
		reply_ok(r, "%s", argv[1]);
}

static void port_item(struct evbuffer *out, const struct sim_device *d)
{
	evbuffer_add_printf(out, " %s=%s%s", d->udid, d->port_path[0] ? d->port_path : "-",
	                    d->plugged ? "" : "(out)");
}

static void cmd_ports(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                      struct reply *r)
{
	(void)dev;
	(void)argv;
	(void)argc;
	list_devices(sim, r, port_item);
}

static double cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static void cmd_stats(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                      struct reply *r)
{
	(void)dev;
	(void)argv;
	(void)argc;
	size_t conns = 0;
	struct sim_conn *c;
	TAILQ_FOREACH(c, &sim->conns, entry)
	conns++;
	const struct sim_stats *s = &sim->stats;
	reply_ok(
	    r,
	    "sessions=%lu tls_handshakes=%lu connects=%lu mux_requests=%lu diag_requests=%lu "
	    "backup_requests=%lu restarts=%lu lockdown_requests=%lu connections=%zu cpu_ms=%.3f",
	    s->sessions, s->tls_handshakes, s->connects, s->mux_requests, s->diag_requests,
	    s->backup_requests, s->restarts, s->lockdown_requests, conns, cpu_ms());
}

static void cmd_cloudbackup(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                            struct reply *r)
{
	(void)sim;
	(void)argc;
	int refusal = refusal_from_name(argv[2]);
	if (refusal < 0) {
		reply_error(r, "unknown answer (ok, no-account, restricted, setup-unfinished)");
		return;
	}
	dev->refusal = (enum backup_refusal)refusal;
	reply_ok(r, "%s", refusal_name(dev->refusal));
}

static void cmd_restartdelay(struct sim *sim, struct sim_device *dev, char **argv, int argc,
                             struct reply *r)
{
	(void)sim;
	(void)argc;
	char *end;
	long ms = strtol(argv[2], &end, 10);
	if (*end || ms > 600000) {
		reply_error(r, "delay must be milliseconds up to 600000, or -1 (never)");
		return;
	}
	dev->restart_delay_ms = ms < 0 ? -1 : (int)ms;
	reply_ok(r, "%d", dev->restart_delay_ms);
}

static const struct control_command commands[] = {
    {"list", 1, 1, false, cmd_list, "list"},
    {"attach", 2, 2, true, cmd_attach, "attach UDID"},
    {"detach", 2, 2, true, cmd_detach, "detach UDID"},
    {"add", 2, 2, false, cmd_add, "add PROFILEFILE"},
    {"set", 5, 5, true, cmd_set, "set UDID DOMAIN KEY VALUE"},
    {"unset", 4, 4, true, cmd_unset, "unset UDID DOMAIN KEY"},
    {"wifi", 3, 3, true, cmd_wifi, "wifi UDID SSID|-"},
    {"bssid", 3, 3, true, cmd_bssid, "bssid UDID AA:BB:CC:DD:EE:FF"},
    {"wificlass", 3, 3, true, cmd_wificlass, "wificlass UDID CLASS"},
    {"behaviour", 3, 4, true, cmd_behaviour, "behaviour UDID NAME [ARG]"},
    {"pair", 2, 2, true, cmd_pair, "pair UDID"},
    {"trust", 2, 2, true, cmd_trust, "trust UDID"},
    {"distrust", 2, 2, true, cmd_trust, "distrust UDID"},
    {"expire", 2, 2, true, cmd_expire, "expire UDID"},
    {"cloudbackup", 3, 3, true, cmd_cloudbackup,
     "cloudbackup UDID ok|no-account|restricted|setup-unfinished"},
    {"restartdelay", 3, 3, true, cmd_restartdelay, "restartdelay UDID MS|-1"},
    {"usbmuxd", 2, 2, false, cmd_usbmuxd, "usbmuxd up|down|split-next"},
    {"stats", 1, 1, false, cmd_stats, "stats"},
    {"move", 3, 4, true, cmd_move, "move UDID PORT [SPEED]"},
    {"usbdev", 3, 4, false, cmd_usbdev, "usbdev PORT VENDOR:PRODUCT [SERIAL] | usbdev PORT -"},
    {"ports", 1, 1, false, cmd_ports, "ports"},
};

const struct control_command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}
