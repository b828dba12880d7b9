/* SPDX-License-Identifier: ISC */
/* The control socket tests drive the simulator through: one command per line, one reply
 * line per command, "ok ..." or "error ...". */
#include "control_verbs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#define CONTROL_MAX_LINE 8192
#define CONTROL_MAX_ARGS 8

/* Splits on spaces; the last argument of a command takes the rest of the line, so a
 * string value may hold spaces. */
static int split(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;
	while (*p && argc < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		argv[argc++] = p;
		if (argc == max)
			break;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

static void run_line(struct sim *sim, char *line, struct reply *r)
{
	char *argv[CONTROL_MAX_ARGS];
	char *verb = line + strspn(line, " \t");
	char *rest = verb + strcspn(verb, " \t");
	if (*rest)
		*rest++ = '\0';
	if (!*verb) {
		reply_error(r, "empty command");
		return;
	}
	const struct control_command *cmd = find_command(verb);
	if (!cmd) {
		reply_error(r, "unknown command");
		return;
	}
	argv[0] = verb;
	int argc = 1 + split(rest, argv + 1, cmd->max_args - 1);
	if (argc < cmd->min_args || (cmd->max_args == 1 && rest[strspn(rest, " \t")])) {
		evbuffer_add_printf(r->out, "error usage: %s\n", cmd->usage);
		return;
	}
	struct sim_device *dev = NULL;
	if (cmd->needs_device && !(dev = fleet_by_udid(&sim->fleet, argv[1]))) {
		reply_error(r, "unknown device");
		return;
	}
	cmd->fn(sim, dev, argv, argc, r);
}

static void control_readcb(struct bufferevent *bev, void *arg)
{
	struct sim *sim = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct reply r = {bufferevent_get_output(bev)};
	char *line;
	size_t len;
	while ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_CRLF))) {
		run_line(sim, line, &r);
		free(line);
	}
	if (evbuffer_get_length(in) > CONTROL_MAX_LINE)
		bufferevent_free(bev);
}

static void control_drained(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_free(bev);
}

static void control_eventcb(struct bufferevent *bev, short what, void *arg)
{
	/* A client that hung up right after its command still gets the reply written. */
	if ((what & BEV_EVENT_EOF) && evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		bufferevent_disable(bev, EV_READ);
		bufferevent_setcb(bev, NULL, control_drained, control_eventcb, arg);
		return;
	}
	bufferevent_free(bev);
}

static void control_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                           int salen, void *arg)
{
	(void)l;
	(void)sa;
	(void)salen;
	struct sim *sim = arg;
	struct bufferevent *bev = accept_bufferevent(sim, fd);
	if (!bev)
		return;
	bufferevent_setcb(bev, control_readcb, NULL, control_eventcb, sim);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int control_start(struct sim *sim)
{
	if (!sim->control_path)
		return 0;
	sim->control_listener = listen_unix(sim, sim->control_path, control_accept, 0600);
	return sim->control_listener ? 0 : -1;
}

void control_stop(struct sim *sim)
{
	if (!sim->control_listener)
		return;
	evconnlistener_free(sim->control_listener);
	sim->control_listener = NULL;
	unlink(sim->control_path);
}
