/* SPDX-License-Identifier: ISC */
/* A sysfs tree of the simulator's own (--sysfs DIR), laid out as the kernel lays out USB
 * (Documentation/ABI/stable/sysfs-bus-usb): device directories under DIR/devices, one per
 * hub and device, nested as the topology is, and DIR/bus/usb/devices/NAME links to them.
 * NAME is the kernel's port path: bus, then the port numbers from the root hub down
 * ("1-2.3" = bus 1, root port 2, port 3 of the hub there). Phones get their ports when the
 * fleet loads (a seeded shuffle of 7-port hubs on root ports 1, 2, ...); moving a phone or
 * putting another USB device on a port goes through the control socket. */
#include "sim.h"

#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSFS_PCI       "devices/pci0000:00/0000:00:14.0"
#define HUB_PORTS       7
#define ROOT_PORTS      16 /* maxchild of each simulated root hub */
#define MAX_BUSES       64
#define PORT_PATH_DEPTH 6 /* root port and five tiers of hubs (USB 2.0 allows no more) */
#define SYSFS_PATH_MAX  1024
#define APPLE_VENDOR    "05ac"
#define IPHONE_PRODUCT  "12a8"

struct usb_attrs {
	const char *vendor, *product_id, *product, *manufacturer, *serial;
	const char *device_class; /* "09" for hubs */
	unsigned maxchild;
	unsigned speed_mbps;
};

static unsigned next_devnum = 2;

/* snprintf into a path buffer; a path too long for it is cut (and then fails to open). */
static void path_fmt(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void path_fmt(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
} /* 1 is each bus's root hub */

/* Parses "B-P.P.P" into bus and ports; -1 when it is not a port path. */
int sysfs_parse_port_path(const char *path, unsigned *bus, unsigned ports[], int *depth)
{
	char *end;
	errno = 0;
	unsigned long b = strtoul(path, &end, 10);
	if (end == path || *end != '-' || b < 1 || b > 64 || errno)
		return -1;
	*bus = (unsigned)b;
	*depth = 0;
	const char *p = end + 1;
	for (;;) {
		unsigned long port = strtoul(p, &end, 10);
		if (end == p || port < 1 || port > 31 || *depth == PORT_PATH_DEPTH)
			return -1;
		ports[(*depth)++] = (unsigned)port;
		if (!*end)
			return 0;
		if (*end != '.')
			return -1;
		p = end + 1;
	}
}

/* "devices/.../usb1/1-2/1-2.3" for the device at depth d of bus/ports (0 = root hub). */
static void phys_path(char *out, size_t size, unsigned bus, const unsigned ports[], int depth)
{
	size_t len = (size_t)snprintf(out, size, "%s/usb%u", SYSFS_PCI, bus);
	char name[64] = "";
	size_t nlen = 0;
	for (int i = 0; i < depth && len < size && nlen < sizeof name; i++) {
		nlen += (size_t)(i ? snprintf(name + nlen, sizeof name - nlen, ".%u", ports[i])
		                   : snprintf(name, sizeof name, "%u-%u", bus, ports[0]));
		len += (size_t)snprintf(out + len, size - len, "/%s", name);
	}
}

static int write_attr(const char *dir, const char *name, const char *value)
{
	char path[SYSFS_PATH_MAX];
	path_fmt(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", value);
	return fclose(f);
}

static int write_attrs(const char *dir, unsigned bus, const char *devpath,
                       const struct usb_attrs *a)
{
	char num[32];
	int rc = 0;
	snprintf(num, sizeof num, "%u", bus);
	rc |= write_attr(dir, "busnum", num);
	snprintf(num, sizeof num, "%u", next_devnum++);
	rc |= write_attr(dir, "devnum", num);
	rc |= write_attr(dir, "devpath", devpath);
	rc |= write_attr(dir, "idVendor", a->vendor);
	rc |= write_attr(dir, "idProduct", a->product_id);
	rc |= write_attr(dir, "product", a->product);
	rc |= write_attr(dir, "manufacturer", a->manufacturer);
	if (a->serial && *a->serial)
		rc |= write_attr(dir, "serial", a->serial);
	rc |= write_attr(dir, "bDeviceClass", a->device_class);
	snprintf(num, sizeof num, "%u", a->maxchild);
	rc |= write_attr(dir, "maxchild", num);
	snprintf(num, sizeof num, "%u", a->speed_mbps);
	rc |= write_attr(dir, "speed", num);
	rc |= write_attr(dir, "version", a->speed_mbps >= 5000 ? " 3.20" : " 2.00");
	return rc ? -1 : 0;
}

/* The kernel's link: bus/usb/devices/NAME -> ../../../devices/.../NAME */
static int link_device(const struct sim *sim, const char *name, const char *phys)
{
	char link[SYSFS_PATH_MAX], target[SYSFS_PATH_MAX];
	path_fmt(link, sizeof link, "%s/bus/usb/devices/%s", sim->sysfs_root, name);
	path_fmt(target, sizeof target, "../../../%s", phys);
	unlink(link);
	return symlink(target, link);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Creates the device directory with its attributes; the link comes last, as a reader of
 * bus/usb/devices must never find a half-written device. */
static int create_device(struct sim *sim, unsigned bus, const unsigned ports[], int depth,
                         const struct usb_attrs *a, const char *interface_class)
{
	char phys[SYSFS_PATH_MAX], dir[SYSFS_PATH_MAX], name[64], devpath[64];
	phys_path(phys, sizeof phys, bus, ports, depth);
	path_fmt(dir, sizeof dir, "%s/%s", sim->sysfs_root, phys);
	if (depth)
		path_fmt(name, sizeof name, "%s", strrchr(dir, '/') + 1);
	else
		path_fmt(name, sizeof name, "usb%u", bus);
	const char *dash = strchr(name, '-');
	path_fmt(devpath, sizeof devpath, "%s", dash ? dash + 1 : "0");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -1;
	if (write_attrs(dir, bus, devpath, a) < 0)
		return -1;
	if (interface_class) { /* interface 0 of configuration 1: "1-2.3:1.0" */
		char iface[SYSFS_PATH_MAX];
		if (depth)
			path_fmt(iface, sizeof iface, "%s/%s:1.0", dir, name);
		else
			path_fmt(iface, sizeof iface, "%s/%u-0:1.0", dir, bus);
		if ((mkdir(iface, 0755) < 0 && errno != EEXIST) ||
		    write_attr(iface, "bInterfaceClass", interface_class) < 0)
			return -1;
	}
	return link_device(sim, name, phys);
}

static int ensure_hubs(struct sim *sim, unsigned bus, const unsigned ports[], int depth)
{
	static const struct usb_attrs root = {
	    "1d6b",     "0002", "xHCI Host Controller", "Linux xhci-hcd", "0000:00:14.0", "09",
	    ROOT_PORTS, 480};
	static const struct usb_attrs hub = {"05e3", "0610", "USB2.0 Hub", "GenesysLogic",
	                                     NULL,   "09",   HUB_PORTS,    480};
	for (int d = 0; d < depth; d++) {
		char phys[SYSFS_PATH_MAX], dir[SYSFS_PATH_MAX];
		phys_path(phys, sizeof phys, bus, ports, d);
		path_fmt(dir, sizeof dir, "%s/%s", sim->sysfs_root, phys);
		if (!exists(dir) && create_device(sim, bus, ports, d, d ? &hub : &root, "09") < 0)
			return -1;
	}
	return 0;
}

static char *port_link(const struct sim *sim, const char *port, char *out, size_t size)
{
	path_fmt(out, size, "%s/bus/usb/devices/%s", sim->sysfs_root, port);
	return out;
}

bool sysfs_port_busy(const struct sim *sim, const char *port)
{
	char link[SYSFS_PATH_MAX];
	return sim->sysfs_root && exists(port_link(sim, port, link, sizeof link));
}

int sysfs_plug(struct sim *sim, const char *port, const char *vendor, const char *product_id,
               const char *serial, unsigned speed_mbps)
{
	unsigned bus, ports[PORT_PATH_DEPTH];
	int depth;
	if (!sim->sysfs_root)
		return 0;
	if (sysfs_parse_port_path(port, &bus, ports, &depth) < 0)
		return -1;
	bool apple = strcmp(vendor, APPLE_VENDOR) == 0;
	struct usb_attrs a = {vendor,
	                      product_id,
	                      apple ? "iPhone" : "USB Device",
	                      apple ? "Apple Inc." : "Generic",
	                      serial,
	                      "00",
	                      0,
	                      speed_mbps};
	if (ensure_hubs(sim, bus, ports, depth) < 0)
		return -1;
	/* An iPhone's first interface is PTP (still image, class 06). */
	return create_device(sim, bus, ports, depth, &a, apple ? "06" : "ff");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void sysfs_unplug(struct sim *sim, const char *port)
{
	char link[SYSFS_PATH_MAX], target[SYSFS_PATH_MAX];
	if (!sim->sysfs_root || !*port)
		return;
	port_link(sim, port, link, sizeof link);
	ssize_t n = readlink(link, target, sizeof target - 1);
	unlink(link);
	if (n <= 0)
		return;
	target[n] = '\0';
	char dir[SYSFS_PATH_MAX * 2];
	path_fmt(dir, sizeof dir, "%s/bus/usb/devices/%s", sim->sysfs_root, target);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The USB serial of an iPhone: its UDID, without the dash of the 24-digit form. */
static void usb_serial(const char *udid, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = udid; *p && n + 1 < size; p++)
		if (*p != '-')
			out[n++] = *p;
	out[n] = '\0';
}

int sysfs_plug_device(struct sim *sim, struct sim_device *dev)
{
	char serial[64];
	usb_serial(dev->udid, serial, sizeof serial);
	if (!sim->sysfs_root || dev->plugged || !dev->port_path[0] ||
	    sysfs_port_busy(sim, dev->port_path))
		return -1;
	if (sysfs_plug(sim, dev->port_path, APPLE_VENDOR, IPHONE_PRODUCT, serial,
	               dev->speed_mbps ? dev->speed_mbps : 480) < 0)
		return -1;
	dev->plugged = true;
	return 0;
}

void sysfs_unplug_device(struct sim *sim, struct sim_device *dev)
{
	if (!dev->plugged)
		return;
	sysfs_unplug(sim, dev->port_path);
	dev->plugged = false;
}

static uint64_t splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Port k of the default layout: 7-port hubs on the 16 root ports of bus 1, then bus 2, ...
 * Returns -1 past the 64th bus (7168 phones): such a phone has no port. */
static int default_port(size_t k, char *out, size_t size)
{
	size_t per_bus = (size_t)ROOT_PORTS * HUB_PORTS;
	if (k / per_bus >= MAX_BUSES)
		return -1;
	snprintf(out, size, "%zu-%zu.%zu", k / per_bus + 1, k % per_bus / HUB_PORTS + 1,
	         k % HUB_PORTS + 1);
	return 0;
}

int sysfs_start(struct sim *sim, uint64_t seed)
{
	if (!sim->sysfs_root)
		return 0;
	char dir[SYSFS_PATH_MAX];
	static const char *const dirs[] = {
	    "bus", "bus/usb", "bus/usb/devices", "devices", "devices/pci0000:00", SYSFS_PCI};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		path_fmt(dir, sizeof dir, "%s/%s", sim->sysfs_root, dirs[i]);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
	}
	size_t n = sim->fleet.count;
	size_t *order = calloc(n ? n : 1, sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	uint64_t rng = seed ^ 0x51075107ULL;
	for (size_t i = n; i > 1; i--) { /* Fisher-Yates: the same seed, the same ports */
		size_t j = (size_t)(splitmix(&rng) % i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct sim_device *dev = sim->fleet.devices[i];
		if (default_port(order[i], dev->port_path, sizeof dev->port_path) < 0)
			dev->port_path[0] = '\0';
		else if (dev->attached && sysfs_plug_device(sim, dev) < 0)
			rc = -1;
	}
	free(order);
	return rc;
}

/* A device added later takes the first free port of the default layout. */
void sysfs_assign_port(struct sim *sim, struct sim_device *dev)
{
	if (!sim->sysfs_root || dev->port_path[0])
		return;
	char port[32];
	for (size_t k = 0; default_port(k, port, sizeof port) == 0; k++) {
		bool taken = sysfs_port_busy(sim, port);
		for (size_t i = 0; i < sim->fleet.count && !taken; i++)
			taken = strcmp(sim->fleet.devices[i]->port_path, port) == 0;
		if (!taken) {
			snprintf(dev->port_path, sizeof dev->port_path, "%s", port);
			return;
		}
	}
}
