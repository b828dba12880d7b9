/* SPDX-License-Identifier: ISC */
/* idevice-sim-client: test client of the simulator. `events` and `bench` go through the real
 * libimobiledevice/libusbmuxd; `abuse` speaks raw bytes to show that one bad client
 * harms nobody else. The usbmuxd socket comes from USBMUXD_SOCKET_ADDRESS=UNIX:PATH. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <plist/plist.h>
#include <usbmuxd.h>

static void on_event(const idevice_event_t *event, void *user_data)
{
	(void)user_data;
	static const char *const names[] = {"?", "add", "remove", "paired"};
	int e = event->event >= 1 && event->event <= 3 ? (int)event->event : 0;
	printf("%s %s\n", names[e], event->udid);
	fflush(stdout);
}

static int cmd_events(int argc, char **argv)
{
	double seconds = argc > 0 ? atof(argv[0]) : 2.0;
	if (idevice_event_subscribe(on_event, NULL) != IDEVICE_E_SUCCESS)
		return 1;
	struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
	nanosleep(&ts, NULL);
	idevice_event_unsubscribe();
	return 0;
}

/* ---- bench: complete lockdown sessions ---- */

static const char *const session_queries[6][2] = {
    {NULL, "PasswordProtected"},       {NULL, "ProductVersion"},
    {"com.apple.mobile.backup", NULL}, {"com.apple.mobile.battery", NULL},
    {"com.apple.disk_usage", NULL},    {"com.apple.mobile.backup", "CloudBackupEnabled"},
};

struct bench {
	char **udids;
	int udid_count;
	int sessions;
	atomic_int next, ok, failed;
	pthread_barrier_t ready; /* handles made: the measured part starts */
};

static int one_session(idevice_t device)
{
	lockdownd_client_t client = NULL;
	if (lockdownd_client_new_with_handshake(device, &client, "idevice-sim-client") !=
	    LOCKDOWN_E_SUCCESS)
		return -1;
	int rc = 0;
	for (int q = 0; q < 6; q++) {
		plist_t value = NULL;
		if (lockdownd_get_value(client, session_queries[q][0], session_queries[q][1],
		                        &value) != LOCKDOWN_E_SUCCESS)
			rc = -1;
		plist_free(value);
	}
	lockdownd_client_free(client); /* StopSession, TLS close, disconnect */
	return rc;
}

static void *bench_thread(void *arg)
{
	struct bench *b = arg;
	idevice_t *devices = calloc((size_t)b->udid_count, sizeof *devices);
	/* Device lookups (ListDevices) are not part of a session: do them first. */
	for (int d = 0; d < b->udid_count; d++)
		if (idevice_new(&devices[d], b->udids[d]) != IDEVICE_E_SUCCESS)
			devices[d] = NULL;
	pthread_barrier_wait(&b->ready);
	int i;
	while ((i = atomic_fetch_add(&b->next, 1)) < b->sessions) {
		int d = i % b->udid_count;
		if (devices[d] && one_session(devices[d]) == 0)
			atomic_fetch_add(&b->ok, 1);
		else
			atomic_fetch_add(&b->failed, 1);
	}
	for (int d = 0; d < b->udid_count; d++)
		if (devices[d])
			idevice_free(devices[d]);
	free(devices);
	return NULL;
}

/* CPU time (user + system) of a process, in ms, from /proc/PID/stat; -1 if unknown. */
static double process_cpu_ms(long pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
	unsigned long utime = 0, stime = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
	                 &stime) != 2)
		return -1;
	return (double)(utime + stime) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* bench SESSIONS THREADS SIMPID UDID...: complete sessions through the real library, and
 * the simulator's CPU time they cost. */
static int cmd_bench(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	struct bench b = {.sessions = atoi(argv[0]), .udids = argv + 3, .udid_count = argc - 3};
	int threads = atoi(argv[1]);
	long sim_pid = atol(argv[2]);
	if (threads < 1 || threads > 256 || b.sessions < 1)
		return 2;
	pthread_t tid[256];
	pthread_barrier_init(&b.ready, NULL, (unsigned)threads + 1);
	for (int t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, bench_thread, &b);
	pthread_barrier_wait(&b.ready);
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	double cpu0 = process_cpu_ms(sim_pid);
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	double cpu1 = process_cpu_ms(sim_pid);
	gettimeofday(&t1, NULL);
	pthread_barrier_destroy(&b.ready);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	printf("sessions_ok=%d sessions_failed=%d wall_s=%.3f sim_cpu_ms=%.0f "
	       "sim_cpu_ms_per_session=%.3f\n",
	       atomic_load(&b.ok), atomic_load(&b.failed), wall, cpu1 - cpu0,
	       (cpu1 - cpu0) / b.sessions);
	fflush(stdout); /* a sanitizer's exit at the end must not swallow the figures */
	return atomic_load(&b.failed) ? 1 : 0;
}

/* ---- session: one connection, session stopped and started again ---- */

static char *pair_record_host_id(const char *udid)
{
	char *data = NULL;
	uint32_t len = 0;
	if (usbmuxd_read_pair_record(udid, &data, &len) < 0)
		return NULL;
	plist_t rec = NULL;
	plist_from_memory(data, len, &rec);
	free(data);
	char *host_id = NULL;
	plist_t node = rec ? plist_dict_get_item(rec, "HostID") : NULL;
	if (node)
		plist_get_string_val(node, &host_id);
	plist_free(rec);
	return host_id;
}

static int print_value(lockdownd_client_t client, const char *domain, const char *key)
{
	plist_t value = NULL;
	lockdownd_error_t err = lockdownd_get_value(client, domain, key, &value);
	char *s = NULL;
	uint8_t b = 0;
	if (err == LOCKDOWN_E_SUCCESS && plist_get_node_type(value) == PLIST_STRING)
		plist_get_string_val(value, &s);
	else if (err == LOCKDOWN_E_SUCCESS && plist_get_node_type(value) == PLIST_BOOLEAN)
		plist_get_bool_val(value, &b);
	printf("%s %s: %s\n", domain ? domain : "-", key,
	       err != LOCKDOWN_E_SUCCESS ? "error"
	       : s                       ? s
	       : b                       ? "true"
	                                 : "false");
	free(s);
	plist_free(value);
	return err == LOCKDOWN_E_SUCCESS ? 0 : 1;
}

/* A long-lived client: StopSession returns the stream to plaintext, StartSession again. */
static int cmd_restart(const char *udid)
{
	idevice_t device = NULL;
	lockdownd_client_t client = NULL;
	if (idevice_new(&device, udid) != IDEVICE_E_SUCCESS)
		return 1;
	char *host_id = pair_record_host_id(udid);
	int fails = !host_id || lockdownd_client_new(device, &client, "sim-client") != 0;
	for (int round = 0; !fails && round < 3; round++) {
		char *session_id = NULL;
		fails += lockdownd_start_session(client, host_id, &session_id, NULL) !=
		         LOCKDOWN_E_SUCCESS;
		fails += print_value(client, "com.apple.mobile.battery", "ExternalConnected");
		fails += lockdownd_stop_session(client, session_id) != LOCKDOWN_E_SUCCESS;
		fails += print_value(client, NULL, "ProductVersion");
		free(session_id);
	}
	if (client)
		lockdownd_client_free(client);
	free(host_id);
	idevice_free(device);
	printf("%s\n", fails ? "FAIL" : "ok");
	return fails ? 1 : 0;
}

/* ---- abuse: raw bytes ---- */

static int mux_connect(void)
{
	const char *env = getenv("USBMUXD_SOCKET_ADDRESS");
	if (!env || strncmp(env, "UNIX:", 5) != 0)
		return -1;
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", env + 5);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len ? 0 : -1;
}

static int read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

static int send_mux(int fd, uint32_t tag, const char *payload, uint32_t len, uint32_t claimed)
{
	uint32_t h[4] = {claimed ? claimed : 16 + len, 1, 8, tag}; /* little-endian host */
	if (write_all(fd, h, sizeof h) < 0)
		return -1;
	return len ? write_all(fd, payload, len) : 0;
}

/* Reads one usbmuxd reply and returns its payload (NUL-terminated), NULL on none. */
static char *read_mux(int fd)
{
	uint32_t h[4];
	if (read_all(fd, h, sizeof h) < 0 || h[0] < 16 || h[0] > 1 << 20)
		return NULL;
	char *p = calloc(1, h[0] - 16 + 1);
	if (read_all(fd, p, h[0] - 16) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static char *request_xml(const char *type, uint32_t device_id, uint32_t port)
{
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "MessageType", plist_new_string(type));
	if (device_id) {
		plist_dict_set_item(d, "DeviceID", plist_new_uint(device_id));
		plist_dict_set_item(d, "PortNumber", plist_new_uint(htons((uint16_t)port)));
	}
	char *xml = NULL;
	uint32_t len = 0;
	plist_to_xml(d, &xml, &len);
	plist_free(d);
	return xml;
}

/* A socket connected through usbmuxd to device 1's lockdownd, -1 on failure. */
static int lockdown_stream(void)
{
	int fd = mux_connect();
	char *xml = request_xml("Connect", 1, 62078);
	int ok = fd >= 0 && send_mux(fd, 1, xml, (uint32_t)strlen(xml), 0) == 0;
	free(xml);
	char *reply = ok ? read_mux(fd) : NULL;
	ok = reply && strstr(reply, "<integer>0</integer>");
	free(reply);
	if (!ok && fd >= 0)
		close(fd);
	return ok ? fd : -1;
}

static int expect(bool cond, const char *what)
{
	printf("%s %s\n", cond ? "ok" : "FAIL", what);
	return cond ? 0 : 1;
}

/* Each case cuts or fouls one connection; afterwards a good request must still work. */
static int cmd_abuse(void)
{
	int fails = 0, fd;
	static const char garbage[] = "\x01\x02GARBAGE\xff\xfe not a plist at all";

	fd = mux_connect();
	fails +=
	    expect(fd >= 0 && write_all(fd, "\x10\x00\x00", 3) == 0, "half a header, then hang up");
	close(fd);

	fd = mux_connect();
	fails += expect(fd >= 0 && send_mux(fd, 2, "<?xml", 5, 16 + 400) == 0,
	                "half a packet, then hang up");
	close(fd);

	fd = mux_connect();
	char *reply = NULL;
	if (fd >= 0 && send_mux(fd, 3, garbage, sizeof garbage - 1, 0) == 0)
		reply = read_mux(fd);
	fails +=
	    expect(reply && strstr(reply, "<key>Number</key>"), "garbage payload gets a Result");
	free(reply);
	close(fd);

	fd = mux_connect();
	char buf[16];
	fails +=
	    expect(fd >= 0 && send_mux(fd, 4, NULL, 0, 0xfffffff0u) == 0 && read(fd, buf, 1) == 0,
	           "oversized usbmuxd packet: connection closed");
	close(fd);

	fd = lockdown_stream();
	uint32_t huge = htonl(0x7fffffff);
	fails += expect(fd >= 0 && write_all(fd, &huge, 4) == 0 && read(fd, buf, 1) == 0,
	                "oversized lockdownd frame: connection closed");
	close(fd);

	fd = lockdown_stream();
	uint32_t len = htonl(sizeof garbage - 1);
	fails +=
	    expect(fd >= 0 && write_all(fd, &len, 4) == 0 &&
	               write_all(fd, garbage, sizeof garbage - 1) == 0 && read(fd, buf, 1) == 0,
	           "garbage lockdownd frame: connection closed");
	close(fd);

	fd = lockdown_stream();
	len = htonl(300);
	fails += expect(fd >= 0 && write_all(fd, &len, 4) == 0 && write_all(fd, "<?xml", 5) == 0,
	                "half a lockdownd frame, then hang up");
	close(fd);

	fd = mux_connect();
	char *xml = request_xml("ListDevices", 0, 0);
	reply = NULL;
	if (fd >= 0 && send_mux(fd, 5, xml, (uint32_t)strlen(xml), 0) == 0)
		reply = read_mux(fd);
	fails += expect(reply && strstr(reply, "DeviceList"), "a good client is still served");
	free(reply);
	free(xml);
	close(fd);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "events") == 0)
		return cmd_events(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "bench") == 0)
		return cmd_bench(argc - 2, argv + 2);
	if (argc >= 3 && strcmp(argv[1], "restart") == 0)
		return cmd_restart(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "abuse") == 0)
		return cmd_abuse();
	fprintf(stderr, "usage: idevice-sim-client events SECONDS\n"
	                "       idevice-sim-client bench SESSIONS THREADS SIMPID UDID...\n"
	                "       idevice-sim-client abuse\n");
	return 2;
}
