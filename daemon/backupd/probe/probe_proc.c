/* SPDX-License-Identifier: ISC */
/* probe_proc: a helper process, its socket and its reaping; see probe_proc.h. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe_proc.h"
#include "probe_wire.h"
#include "xmalloc.h"

bool probe_proc_start(struct probe_proc *proc, struct probe_start *start, struct event_base *base,
                      event_callback_fn on_readable, void *arg)
{
	pid_t pid;
	int fd;
	if (!probe_start_spawn(start, &pid, &fd))
		return false;
	evutil_make_socket_nonblocking(fd);
	*proc = (struct probe_proc){.pid = pid, .fd = fd};
	proc->readable = event_new(base, fd, EV_READ | EV_PERSIST, on_readable, arg);
	event_add(proc->readable, NULL);
	return true;
}

static void kill_for_reaping(struct probe_proc_stopped *stopped, pid_t pid)
{
	kill(pid, SIGKILL);
	if (stopped->n == stopped->cap) {
		stopped->cap = stopped->cap ? stopped->cap * 2 : 16;
		stopped->pids = xreallocarray(stopped->pids, stopped->cap, sizeof(pid_t));
	}
	stopped->pids[stopped->n++] = pid;
}

void probe_proc_reap_stopped(struct probe_proc_stopped *stopped, bool wait_all)
{
	size_t kept = 0;
	for (size_t i = 0; i < stopped->n; i++) {
		pid_t pid = stopped->pids[i];
		if (waitpid(pid, NULL, wait_all ? 0 : WNOHANG) == 0)
			stopped->pids[kept++] = pid;
	}
	stopped->n = kept;
}

void probe_proc_stopped_free(struct probe_proc_stopped *stopped)
{
	free(stopped->pids);
	*stopped = (struct probe_proc_stopped){0};
}

void probe_proc_stop(struct probe_proc *proc, struct probe_proc_stopped *stopped)
{
	if (proc->pid <= 0)
		return;
	if (!proc->reaped)
		kill_for_reaping(stopped, proc->pid);
	event_free(proc->readable);
	close(proc->fd);
	*proc = (struct probe_proc){.fd = -1};
}

bool probe_proc_try_reap(struct probe_proc *proc)
{
	proc->reaped = waitpid(proc->pid, &proc->exit_status, WNOHANG) == proc->pid;
	return proc->reaped;
}

bool probe_proc_send(const struct probe_proc *proc, uint32_t op, uint32_t seq, const char *udid,
                     uint32_t timeout_ms, uint32_t flags)
{
	struct probe_request req = {.magic = PROBE_WIRE_MAGIC,
	                            .op = op,
	                            .seq = seq,
	                            .timeout_ms = timeout_ms,
	                            .flags = flags};
	strlcpy_safe(req.udid, udid, sizeof(req.udid));
	return send(proc->fd, &req, sizeof(req), MSG_NOSIGNAL | MSG_DONTWAIT) ==
	       (ssize_t)sizeof(req);
}

bool probe_proc_send_pair(const struct probe_proc *proc, uint32_t seq, const char *udid,
                          uint32_t timeout_ms, const uint8_t *cert, size_t cert_len)
{
	struct pair_request *req = xcalloc(1, sizeof(*req));
	req->req = (struct probe_request){
	    .magic = PROBE_WIRE_MAGIC, .op = PROBE_OP_PAIR, .seq = seq, .timeout_ms = timeout_ms};
	strlcpy_safe(req->req.udid, udid, sizeof(req->req.udid));
	if (cert && cert_len <= sizeof(req->cert)) {
		req->cert_len = (uint32_t)cert_len;
		memcpy(req->cert, cert, cert_len);
	}
	bool sent =
	    send(proc->fd, req, sizeof(*req), MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)sizeof(*req);
	free(req);
	return sent;
}

bool probe_proc_hello(struct probe_proc *proc, struct probe_start *start, const void *bytes,
                      size_t n)
{
	struct probe_hello hello;
	if (n != sizeof(hello))
		return false;
	memcpy(&hello, bytes, sizeof(hello));
	if (hello.magic != PROBE_HELLO_MAGIC)
		return false;
	if (!proc->hello)
		probe_start_answered(start);
	proc->hello = true;
	return true;
}

void probe_proc_describe_end(const struct probe_proc *proc, struct probe_start *start, char *how,
                             size_t size)
{
	probe_start_describe_end(proc->reaped, proc->exit_status, how, size);
	if (!proc->hello)
		probe_start_died_early(start, how);
}
