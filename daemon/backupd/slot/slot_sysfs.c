/* SPDX-License-Identifier: ISC */
/* slot_sysfs: the port path of a phone from ROOT/bus/usb/devices (the kernel's
 * Documentation/ABI/stable/sysfs-bus-usb): entries are named by port path ("1-2.3"),
 * interfaces ("1-2.3:1.0") and root hubs ("usb1") are skipped, and a phone is the device
 * with idVendor 05ac whose serial is its UDID without the dash. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slot_sysfs.h"
#include "xmalloc.h"

#define ATTR_MAX     128
#define APPLE_VENDOR "05ac"

void slot_usb_serial(const char *udid, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = udid; *p && n + 1 < size; p++)
		if (*p != '-')
			out[n++] = *p;
	out[n] = '\0';
}

/* One attribute file, without its newline; "" when absent, unreadable or not a regular
 * file. Opened non-blocking and read only when regular: a FIFO (or a device node) under
 * SysfsRoot would otherwise block the lookup thread, and SIGTERM behind it, for ever. */
static void read_attr(int dir_fd, const char *entry, const char *name, char *out, size_t size)
{
	char path[PORT_PATH_MAX + ATTR_MAX];
	struct stat st;
	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s", entry, name);
	int fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	ssize_t n = read(fd, out, size - 1);
	close(fd);
	if (n <= 0)
		n = 0;
	out[n] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* "1-2.3": bus digits, '-', port numbers joined by dots; nothing else. */
static int is_port_path(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= PORT_PATH_MAX || !isdigit((unsigned char)name[0]))
		return 0;
	const char *dash = strchr(name, '-');
	return dash && dash[1] && strspn(name, "0123456789-.") == len &&
	       strchr(dash + 1, '-') == NULL;
}

/* The query whose serial is serial and is not answered yet, NULL when none. */
static struct slot_query *query_for(struct slot_query *queries, size_t n, const char *serial)
{
	for (size_t i = 0; i < n; i++) {
		if (!queries[i].found && strcasecmp(queries[i].serial, serial) == 0)
			return &queries[i];
	}
	return NULL;
}

int slot_sysfs_find(const char *root, struct slot_query *queries, size_t n)
{
	char path[4096], attr[ATTR_MAX];
	snprintf(path, sizeof(path), "%s/bus/usb/devices", root);
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	for (size_t i = 0; i < n; i++)
		slot_usb_serial(queries[i].udid, queries[i].serial, sizeof(queries[i].serial));
	int found = 0;
	struct dirent *e;
	while ((size_t)found < n && (e = readdir(dir))) {
		if (!is_port_path(e->d_name))
			continue;
		read_attr(dirfd(dir), e->d_name, "idVendor", attr, sizeof(attr));
		if (strcmp(attr, APPLE_VENDOR) != 0)
			continue;
		read_attr(dirfd(dir), e->d_name, "serial", attr, sizeof(attr));
		struct slot_query *q = attr[0] ? query_for(queries, n, attr) : NULL;
		if (!q)
			continue;
		strlcpy_safe(q->port.port_path, e->d_name, sizeof(q->port.port_path));
		read_attr(dirfd(dir), e->d_name, "speed", attr, sizeof(attr));
		q->port.speed_mbps = atoi(attr);
		q->found = 1;
		found++;
	}
	closedir(dir);
	return found;
}
