/* SPDX-License-Identifier: ISC */
/* Runs probe_helper_main in a child over a SOCK_SEQPACKET pair, as backupd does, with
 * USBMUXD_SOCKET_ADDRESS pointing nowhere: garbage is ignored, FORGET gets no reply, PROBE
 * gets a reply with its seq and status "vanished", and the helper exits 0 when the daemon
 * closes its end. */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_wire.h"

#include "probe_check.h"

static void send_request(int fd, uint32_t magic, uint32_t op, uint32_t seq)
{
	struct probe_request req;
	memset(&req, 0, sizeof(req));
	req.magic = magic;
	req.op = op;
	req.seq = seq;
	req.timeout_ms = 2000;
	strcpy(req.udid, "00008030-000000000000001E");
	CHECK(send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req));
}

static bool readable_within(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, ms) == 1;
}

int main(void)
{
	setenv("USBMUXD_SOCKET_ADDRESS", "UNIX:/nonexistent/usbmuxd", 1);
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(sv[0]);
		_exit(probe_helper_main(sv[1]));
	}
	close(sv[1]);
	int fd = sv[0];
	/* Its first datagram, before any request: the hello (include/probe_wire.h). */
	CHECK(readable_within(fd, 5000));
	struct probe_hello hello[2];
	CHECK(recv(fd, hello, sizeof(hello), MSG_TRUNC) == (ssize_t)sizeof(hello[0]));
	CHECK(hello[0].magic == PROBE_HELLO_MAGIC);

	CHECK(send(fd, "garbage", 7, 0) == 7);           /* short datagram */
	send_request(fd, 0xdeadbeef, PROBE_OP_PROBE, 1); /* wrong magic */
	send_request(fd, PROBE_WIRE_MAGIC, 99, 2);       /* unknown op */
	send_request(fd, PROBE_WIRE_MAGIC, PROBE_OP_FORGET, 3);
	CHECK(!readable_within(fd, 300)); /* none of these is answered */

	send_request(fd, PROBE_WIRE_MAGIC, PROBE_OP_PROBE, 42);
	CHECK(readable_within(fd, 5000));
	struct probe_reply reply;
	CHECK(recv(fd, &reply, sizeof(reply), 0) == (ssize_t)sizeof(reply));
	CHECK(reply.magic == PROBE_WIRE_MAGIC);
	CHECK(reply.seq == 42);
	CHECK(reply.facts.status == PROBE_VANISHED);
	CHECK(strcmp(reply.facts.udid, "00008030-000000000000001E") == 0);
	CHECK(reply.facts.error[0] != '\0');
	CHECK(reply.facts.probed_at_unix > 0);

	close(fd);
	int status = 0;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	printf("probe_helper_test: ok\n");
	return 0;
}
