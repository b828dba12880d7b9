/* SPDX-License-Identifier: ISC */
/* feed_server: the test HTTP server as a process, for shell tests of the daemon.
 *
 * Usage: feed_server PORTFILE < COMMANDS
 * Listens on 127.0.0.1 (any free port, written to PORTFILE), then reads one command a line
 * from standard input (a FIFO in the tests): "serve FILE" (200 with an ETag), "500", "hang".
 * After each command it writes how many it has applied to PORTFILE.ack, so a test knows the
 * next request gets the new answer. End of input stops it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed_test_server.h"

static void serve_file(struct test_server *server, const char *path)
{
	static int generation;
	char body[4096];
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "feed_server: cannot open %s\n", path);
		return;
	}
	size_t n = fread(body, 1, sizeof(body), f);
	fclose(f);
	char etag[64];
	snprintf(etag, sizeof(etag), "\"gen-%d\"", ++generation);
	test_server_serve(server, SERVE_FEED, body, n, etag);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: feed_server PORTFILE < COMMANDS\n");
		return 2;
	}
	struct test_server server;
	if (test_server_start(&server, 0) < 0) {
		fprintf(stderr, "feed_server: cannot listen\n");
		return 1;
	}
	FILE *portfile = fopen(argv[1], "w");
	if (!portfile)
		return 1;
	fprintf(portfile, "%d\n", server.port);
	fclose(portfile);
	char line[4096], ack_path[4096];
	snprintf(ack_path, sizeof(ack_path), "%s.ack", argv[1]);
	int applied = 0;
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "serve ", 6) == 0)
			serve_file(&server, line + 6);
		else if (strcmp(line, "500") == 0)
			test_server_serve(&server, SERVE_500, "", 0, "");
		else if (strcmp(line, "hang") == 0)
			test_server_serve(&server, SERVE_HANG, "", 0, "");
		else
			fprintf(stderr, "feed_server: unknown command %s\n", line);
		FILE *ack = fopen(ack_path, "w");
		if (ack) {
			fprintf(ack, "%d\n", ++applied);
			fclose(ack);
		}
	}
	test_server_stop(&server);
	return 0;
}
