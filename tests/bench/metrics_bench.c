/* SPDX-License-Identifier: ISC */
/* metrics_bench: scrapes of backupd's /metrics, from outside.
 *
 *   metrics_bench serial PORT N
 *     N scrapes one after another: median and max of the server's own render time (the
 *     backupd_scrape_duration_seconds line of each body), of the whole request as the client
 *     sees it, and the bytes served.
 *   metrics_bench concurrent PORT N
 *     N scrapes sent at once on N connections while a prober process asks for a 404 page
 *     every 1 ms on connections of its own: how long the slowest probe waited bounds the
 *     loop's longest stall from above (it includes accept, the kernel and the scheduling of
 *     both processes on a busy machine).
 *   metrics_bench probe PORT SECONDS
 *     that prober alone for SECONDS, while something else loads the daemon (pages_live.sh).
 * With a last argument "gzip" every scrape asks with Accept-Encoding: gzip: the bytes are
 * then those on the wire (compressed), and the render time is read from the decompressed body.
 * Loopback only (127.0.0.1). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#define SCRAPE_REQUEST  "GET /metrics HTTP/1.1\r\nHost: bench\r\n\r\n"
#define SCRAPE_GZIP     "GET /metrics HTTP/1.1\r\nHost: bench\r\nAccept-Encoding: gzip\r\n\r\n"
#define PROBE_REQUEST   "GET /probe HTTP/1.1\r\nHost: bench\r\n\r\n"
#define CHUNK           65536
#define CONNECTIONS_MAX 1024

struct reply {
	int fd;
	char *data;
	size_t length, capacity;
	double started_ms, done_ms;
	int done;
};

static int port;
static const char *scrape_request = SCRAPE_REQUEST;
static int gzip_asked;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int open_request(const char *request)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("connect");
		exit(1);
	}
	if (write(fd, request, strlen(request)) != (ssize_t)strlen(request)) {
		perror("write");
		exit(1);
	}
	return fd;
}

/* Reads what is there; marks the reply done at EOF (backupd closes after each answer). */
static void read_some(struct reply *r)
{
	if (r->capacity - r->length < CHUNK) {
		r->capacity = r->capacity * 2 + CHUNK;
		r->data = realloc(r->data, r->capacity + 1);
	}
	ssize_t n = read(r->fd, r->data + r->length, r->capacity - r->length);
	if (n > 0) {
		r->length += (size_t)n;
		return;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	r->data[r->length] = '\0';
	r->done = 1;
	r->done_ms = now_ms();
	close(r->fd);
}

static void read_to_end(struct reply *r)
{
	while (!r->done)
		read_some(r);
}

static int status_of(const struct reply *r)
{
	int code = 0;
	return sscanf(r->data, "HTTP/1.%*d %d", &code) == 1 ? code : 0;
}

static size_t body_bytes(const struct reply *r);

/* The body as text: inflated when it came with Content-Encoding: gzip. NULL when it did not
 * come compressed though gzip was asked, or does not inflate. */
static char *body_text(const struct reply *r)
{
	const char *body = strstr(r->data, "\r\n\r\n");
	bool gz = strstr(r->data, "Content-Encoding: gzip\r\n") != NULL;
	if (body == NULL || gz != (bool)gzip_asked)
		return NULL;
	body += 4;
	if (!gz)
		return strdup(body);
	size_t cap = body_bytes(r) * 16 + 1;
	char *text = malloc(cap);
	z_stream z = {.next_in = (Bytef *)body, .avail_in = (uInt)body_bytes(r)};
	if (text == NULL || inflateInit2(&z, 15 + 16) != Z_OK) {
		free(text);
		return NULL;
	}
	int status;
	do {
		if (z.total_out == cap - 1) {
			cap *= 2;
			text = realloc(text, cap);
		}
		z.next_out = (Bytef *)text + z.total_out;
		z.avail_out = (uInt)(cap - 1 - z.total_out);
		status = inflate(&z, Z_NO_FLUSH);
	} while (status == Z_OK);
	text[z.total_out] = '\0';
	inflateEnd(&z);
	if (status != Z_STREAM_END) {
		free(text);
		return NULL;
	}
	return text;
}

static double render_ms(const struct reply *r)
{
	char *text = body_text(r);
	if (text == NULL) {
		fprintf(stderr, "metrics_bench: the body is not %s\n",
		        gzip_asked ? "gzip as asked" : "plain text");
		exit(1);
	}
	const char *line = strstr(text, "\nbackupd_scrape_duration_seconds ");
	double ms = line ? atof(line + strlen("\nbackupd_scrape_duration_seconds ")) * 1e3 : -1;
	free(text);
	return ms;
}

static size_t body_bytes(const struct reply *r)
{
	const char *body = strstr(r->data, "\r\n\r\n");
	return body ? r->length - (size_t)(body + 4 - r->data) : 0;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *values, int n)
{
	qsort(values, (size_t)n, sizeof(*values), compare_doubles);
	return values[n / 2];
}

static int serial(int n)
{
	double *server = calloc((size_t)n, sizeof(double)),
	       *client = calloc((size_t)n, sizeof(double));
	size_t bytes = 0;
	for (int i = 0; i < n; i++) {
		struct reply r = {.started_ms = now_ms()};
		r.fd = open_request(scrape_request);
		read_to_end(&r);
		if (status_of(&r) != 200) {
			fprintf(stderr, "scrape %d: status %d\n", i, status_of(&r));
			return 1;
		}
		server[i] = render_ms(&r);
		client[i] = r.done_ms - r.started_ms;
		bytes = body_bytes(&r);
		free(r.data);
	}
	double server_median = median(server, n), client_median = median(client, n);
	printf("scrapes=%d encoding=%s bytes=%zu server_render_ms_median=%.2f "
	       "server_render_ms_max=%.2f "
	       "client_ms_median=%.2f client_ms_max=%.2f\n",
	       n, gzip_asked ? "gzip" : "identity", bytes, server_median, server[n - 1],
	       client_median, client[n - 1]);
	free(server);
	free(client);
	return 0;
}

/* A 404 request every 1 ms until stop_fd closes (or until_ms, when stop_fd is -1); writes
 * "probes worst_ms p99_ms" to out_fd. */
static void probe_until(int stop_fd, double until_ms, int out_fd)
{
	static double waits[1 << 20];
	int n = 0;
	struct pollfd stop = {.fd = stop_fd, .events = POLLIN};

	while ((stop_fd < 0 ? now_ms() < until_ms : poll(&stop, 1, 0) == 0) &&
	       n < (int)(sizeof(waits) / sizeof(waits[0]))) {
		struct reply probe = {.started_ms = now_ms()};
		probe.fd = open_request(PROBE_REQUEST);
		read_to_end(&probe);
		waits[n++] = probe.done_ms - probe.started_ms;
		free(probe.data);
		/* asleep until the next ms: spinning here took one of the machine's two cores from
		 * the daemon and the scrapers it measures */
		double next = probe.started_ms + 1;
		long long next_ns = (long long)(next * 1e6);
		struct timespec at = {(time_t)(next_ns / 1000000000), (long)(next_ns % 1000000000)};
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL);
	}
	qsort(waits, (size_t)n, sizeof(waits[0]), compare_doubles);
	dprintf(out_fd, "%d %.2f %.2f\n", n, n ? waits[n - 1] : 0, n ? waits[n * 99 / 100] : 0);
}

static int concurrent(int n)
{
	struct reply *replies = calloc((size_t)n, sizeof(*replies));
	struct pollfd *fds = calloc((size_t)n, sizeof(*fds));
	int stop[2], result[2], left = n, ok = 0, busy = 0, probes = 0;
	size_t wire = 0; /* body bytes of the 200 answers */
	double worst = 0, p99 = 0;

	if (pipe(stop) < 0 || pipe(result) < 0)
		return 1;
	pid_t prober = fork();
	if (prober == 0) {
		close(stop[1]);
		close(result[0]);
		/* in a process of its own, so that reading 100 bodies never delays it */
		probe_until(stop[0], 0, result[1]);
		_exit(0);
	}
	close(stop[0]);
	close(result[1]);
	usleep(100000); /* the prober's baseline first */
	double start = now_ms();
	for (int i = 0; i < n; i++) {
		replies[i].started_ms = now_ms();
		replies[i].fd = open_request(scrape_request);
	}
	while (left > 0) {
		int m = 0;
		for (int i = 0; i < n; i++)
			if (!replies[i].done)
				fds[m++] = (struct pollfd){.fd = replies[i].fd, .events = POLLIN};
		poll(fds, (nfds_t)m, 10);
		for (int j = 0, i = 0; j < m; j++) {
			while (replies[i].done || replies[i].fd != fds[j].fd)
				i++;
			if (!fds[j].revents)
				continue;
			read_some(&replies[i]);
			if (replies[i].done) {
				left--;
				ok += status_of(&replies[i]) == 200;
				wire += status_of(&replies[i]) == 200 ? body_bytes(&replies[i]) : 0;
				busy += status_of(&replies[i]) == 503;
			}
		}
	}
	double last = now_ms() - start;
	usleep(100000);
	close(stop[1]);
	FILE *in = fdopen(result[0], "r");
	if (in == NULL || fscanf(in, "%d %lf %lf", &probes, &worst, &p99) != 3)
		fprintf(stderr, "no figures from the prober\n");
	waitpid(prober, NULL, 0);
	printf(
	    "concurrent=%d encoding=%s answered_200=%d answered_503=%d body_bytes_per_200=%zu "
	    "all_done_ms=%.1f probes=%d probe_wait_ms_p99=%.2f probe_wait_ms_max=%.2f (aim 5 ms)\n",
	    n, gzip_asked ? "gzip" : "identity", ok, busy, ok ? wire / (size_t)ok : 0, last, probes,
	    p99, worst);
	for (int i = 0; i < n; i++)
		free(replies[i].data);
	free(replies);
	free(fds);
	return ok + busy == n ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "gzip") != 0) ||
	    (strcmp(argv[1], "serial") != 0 && strcmp(argv[1], "concurrent") != 0 &&
	     strcmp(argv[1], "probe") != 0)) {
		fprintf(stderr, "usage: metrics_bench serial|concurrent PORT N [gzip]\n"
		                "       metrics_bench probe PORT SECONDS\n");
		return 2;
	}
	gzip_asked = argc == 5;
	if (gzip_asked)
		scrape_request = SCRAPE_GZIP;
	port = atoi(argv[2]);
	int n = atoi(argv[3]);
	if (strcmp(argv[1], "probe") == 0) {
		setvbuf(stdout, NULL, _IOLBF, 0);
		probe_until(-1, now_ms() + n * 1e3, STDOUT_FILENO);
		return 0;
	}
	if (n < 1 || n > CONNECTIONS_MAX)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	return strcmp(argv[1], "serial") == 0 ? serial(n) : concurrent(n);
}
