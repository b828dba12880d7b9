/* SPDX-License-Identifier: ISC */
/* fleet_bench: timings of a running backupd against a running idevice-sim, through their
 * control sockets (raw protocol, no backupctl process in the measurement).
 *
 *   fleet_bench refresh CONTROL RUNS
 *       RUNS times {"verb":"refresh"} (all attached devices): ms from the request to the
 *       reply, which the daemon sends when the last probe is done. Prints one value a line.
 *   fleet_bench split CONTROL RUNS SIDE UDID...
 *       RUNS times: refresh of SIDE on its own connection (not waited for), and at once
 *       refreshes of the UDIDs (in requests of at most CHUNK, which fit CONTROL_REQUEST_MAX);
 *       ms until the last of those replies. Then waits for SIDE's reply. With SIDE hung, this
 *       is the sweep of the others while one device hangs.
 *   fleet_bench hotplug SIMCTL CONTROL PROFILE...
 *       per profile, one after another: `add PROFILE` on the simulator (Attached event), then
 *       status of that UDID every POLL_US until probe_status is "ok" with probed_at set; then
 *       `detach` it so the fleet stays idle. Prints ms per device, one a line.
 *   fleet_bench burst SIMCTL CONTROL PROFILE...
 *       every `add` at once, then the whole status until all are complete. Prints ms.
 *
 * A profile's UDID is read from its file. Exit 1 when something does not complete in 30 s. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define POLL_US    1000
#define GIVE_UP_MS 30000.0
#define UDID_LEN   64
#define CHUNK      80

struct line_conn {
	int fd;
	char *buf;
	size_t len, cap;
};

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "fleet_bench: %s\n", what);
	exit(1);
}

static void conn_open(struct line_conn *c, const char *path)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die("cannot connect to a control socket");
	c->len = 0;
	c->cap = 1 << 16;
	c->buf = malloc(c->cap);
}

static void conn_write(struct line_conn *c, const char *text)
{
	size_t size = strlen(text);
	for (size_t done = 0; done < size;) {
		ssize_t n = write(c->fd, text + done, size - done);
		if (n <= 0)
			die("write to a control socket failed");
		done += (size_t)n;
	}
}

/* Reads one line; returns it NUL-terminated (valid until the next call). */
static char *conn_line(struct line_conn *c)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		if (nl) {
			*nl = '\0';
			static char *line;
			free(line);
			line = strdup(c->buf);
			size_t used = (size_t)(nl + 1 - c->buf);
			memmove(c->buf, nl + 1, c->len - used);
			c->len -= used;
			return line;
		}
		if (c->cap - c->len < 4096)
			c->buf = realloc(c->buf, c->cap *= 2);
		ssize_t n = read(c->fd, c->buf + c->len, c->cap - c->len);
		if (n <= 0)
			die("a control socket closed");
		c->len += (size_t)n;
	}
}

static json_t *daemon_call(struct line_conn *c, const char *request)
{
	conn_write(c, request);
	json_t *reply = json_loads(conn_line(c), 0, NULL);
	if (!reply)
		die("daemon reply is not JSON");
	return reply;
}

static void sim_call(struct line_conn *c, const char *command, const char *arg)
{
	char line[4200];
	snprintf(line, sizeof(line), "%s %s\n", command, arg);
	conn_write(c, line);
	if (strncmp(conn_line(c), "ok", 2) != 0)
		die("simulator control refused a command");
}

static void profile_udid(const char *path, char *udid)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("cannot read a profile");
	char line[512];
	bool next = false;
	udid[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (next) {
			sscanf(line, " <string>%63[^<]", udid);
			break;
		}
		next = strstr(line, "<key>UniqueDeviceID</key>") != NULL;
	}
	fclose(f);
	if (!udid[0])
		die("no UniqueDeviceID in a profile");
}

static bool device_complete(const json_t *device)
{
	const char *status = json_string_value(json_object_get(device, "probe_status"));
	return status && strcmp(status, "ok") == 0 &&
	       json_is_integer(json_object_get(device, "probed_at"));
}

static int cmd_refresh(const char *control, int runs)
{
	struct line_conn c;
	conn_open(&c, control);
	for (int i = 0; i < runs; i++) {
		double start = now_ms();
		json_t *reply = daemon_call(&c, "{\"v\":1,\"verb\":\"refresh\"}\n");
		double elapsed = now_ms() - start;
		if (!json_is_true(json_object_get(reply, "ok")) ||
		    json_integer_value(json_object_get(reply, "timed_out")) != 0)
			die("refresh failed or timed out");
		printf("%.2f\n", elapsed);
		json_decref(reply);
	}
	return 0;
}

static void refresh_request(char *request, size_t size, char **udids, int n)
{
	size_t len = (size_t)snprintf(request, size, "{\"v\":1,\"verb\":\"refresh\",\"devices\":[");
	for (int i = 0; i < n; i++)
		len +=
		    (size_t)snprintf(request + len, size - len, "%s\"%s\"", i ? "," : "", udids[i]);
	snprintf(request + len, size - len, "]}\n");
}

static double split_once(const char *control, const char *side, int n, char **udids)
{
	char request[8192];
	struct line_conn side_conn, conns[(n + CHUNK - 1) / CHUNK];
	int n_conns = (n + CHUNK - 1) / CHUNK;
	conn_open(&side_conn, control);
	for (int c = 0; c < n_conns; c++)
		conn_open(&conns[c], control);
	char *side_list[1] = {(char *)side};
	refresh_request(request, sizeof(request), side_list, 1);
	conn_write(&side_conn, request);
	double start = now_ms();
	for (int c = 0; c < n_conns; c++) {
		int first = c * CHUNK, count = n - first < CHUNK ? n - first : CHUNK;
		refresh_request(request, sizeof(request), udids + first, count);
		conn_write(&conns[c], request);
	}
	for (int c = 0; c < n_conns; c++) {
		json_t *reply = json_loads(conn_line(&conns[c]), 0, NULL);
		if (!json_is_true(json_object_get(reply, "ok")) ||
		    json_integer_value(json_object_get(reply, "timed_out")) != 0)
			die("a refresh failed or timed out");
		json_decref(reply);
		close(conns[c].fd);
		free(conns[c].buf);
	}
	double elapsed = now_ms() - start;
	conn_line(&side_conn); /* the side device done (or timed out) before the next run */
	close(side_conn.fd);
	free(side_conn.buf);
	return elapsed;
}

static int cmd_split(const char *control, int runs, const char *side, int n, char **udids)
{
	for (int i = 0; i < runs; i++) {
		printf("%.2f\n", split_once(control, side, n, udids));
		fflush(stdout);
	}
	return 0;
}

static bool one_complete(struct line_conn *c, const char *udid)
{
	char request[256];
	snprintf(request, sizeof(request), "{\"v\":1,\"verb\":\"status\",\"devices\":[\"%s\"]}\n",
	         udid);
	json_t *reply = daemon_call(c, request);
	json_t *devices = json_object_get(reply, "devices");
	bool done = json_array_size(devices) == 1 && device_complete(json_array_get(devices, 0));
	json_decref(reply);
	return done;
}

static int cmd_hotplug(const char *simctl, const char *control, int n, char **profiles)
{
	struct line_conn sim, daemon;
	conn_open(&sim, simctl);
	conn_open(&daemon, control);
	for (int i = 0; i < n; i++) {
		char udid[UDID_LEN];
		profile_udid(profiles[i], udid);
		double start = now_ms();
		sim_call(&sim, "add", profiles[i]);
		while (!one_complete(&daemon, udid)) {
			if (now_ms() - start > GIVE_UP_MS)
				die("a hotplugged device never completed");
			usleep(POLL_US);
		}
		printf("%.2f\n", now_ms() - start);
		fflush(stdout);
		sim_call(&sim, "detach", udid);
		usleep(200000); /* let the detach settle: an idle fleet for the next one */
	}
	return 0;
}

static int count_complete(struct line_conn *c, char (*udids)[UDID_LEN], int n)
{
	json_t *reply = daemon_call(c, "{\"v\":1,\"verb\":\"status\"}\n");
	json_t *devices = json_object_get(reply, "devices");
	int complete = 0;
	size_t index;
	json_t *device;
	json_array_foreach(devices, index, device)
	{
		const char *udid = json_string_value(json_object_get(device, "udid"));
		for (int i = 0; udid && i < n; i++)
			if (strcmp(udids[i], udid) == 0 && device_complete(device))
				complete++;
	}
	json_decref(reply);
	return complete;
}

static int cmd_burst(const char *simctl, const char *control, int n, char **profiles)
{
	struct line_conn sim, daemon;
	conn_open(&sim, simctl);
	conn_open(&daemon, control);
	char(*udids)[UDID_LEN] = calloc((size_t)n, UDID_LEN);
	for (int i = 0; i < n; i++)
		profile_udid(profiles[i], udids[i]);
	double start = now_ms();
	for (int i = 0; i < n; i++) { /* all requests first: one burst of Attached events */
		char line[4200];
		snprintf(line, sizeof(line), "add %s\n", profiles[i]);
		conn_write(&sim, line);
	}
	for (int i = 0; i < n; i++)
		if (strncmp(conn_line(&sim), "ok", 2) != 0)
			die("simulator refused an add");
	while (count_complete(&daemon, udids, n) < n) {
		if (now_ms() - start > GIVE_UP_MS)
			die("the burst never completed");
		usleep(5 * POLL_US);
	}
	printf("%.2f\n", now_ms() - start);
	free(udids);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "refresh") == 0)
		return cmd_refresh(argv[2], atoi(argv[3]));
	if (argc >= 6 && strcmp(argv[1], "split") == 0)
		return cmd_split(argv[2], atoi(argv[3]), argv[4], argc - 5, argv + 5);
	if (argc >= 5 && strcmp(argv[1], "hotplug") == 0)
		return cmd_hotplug(argv[2], argv[3], argc - 4, argv + 4);
	if (argc >= 5 && strcmp(argv[1], "burst") == 0)
		return cmd_burst(argv[2], argv[3], argc - 4, argv + 4);
	fprintf(stderr, "usage: fleet_bench refresh CONTROL RUNS | split CONTROL RUNS SIDE UDID... "
	                "| hotplug|burst SIMCTL CONTROL "
	                "PROFILE...\n");
	return 2;
}
