/* SPDX-License-Identifier: ISC */
/* The control socket's listening side: accept, peer check, limits, reconfigure. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "control.h"
#include "control_internal.h"
#include "control_protocol.h"
#include "control_request.h"

#define DEFAULT_MAX_CLIENTS       256
#define DEFAULT_IDLE_TIMEOUT_MS   5000
#define DEFAULT_OUTPUT_HIGH_WATER (16u << 20)
#define ACCEPTS_PER_WAKEUP        64
#define ACCEPT_PAUSE_S            1

/* ---- accepting ---- */

/* Best effort, one line, for connections we will not keep. */
static void refuse(int fd, const char *message)
{
	json_t *reply =
	    json_pack("{s:i, s:b, s:s}", "v", CONTROL_PROTOCOL_VERSION, "ok", 0, "error", message);
	char *text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	if (text != NULL) {
		size_t length = strlen(text);
		if (send(fd, text, length, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
			(void)send(fd, "\n", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		free(text);
	}
	close(fd);
}

static bool peer_allowed(struct control_server *server, int fd, uid_t *uid, gid_t *gid)
{
	struct ucred cred;
	socklen_t length = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) < 0) {
		refuse(fd, "permission denied: peer credentials unavailable");
		return false;
	}
	*uid = cred.uid;
	*gid = cred.gid;
	if (control_peer_allowed(fd, cred.uid, cred.gid, server->gid))
		return true;
	if (control_refusals_first(&server->refusals, cred.uid))
		control_log(
		    server, LOG_WARNING,
		    "control: refused uid %u (pid %d): not root and not in the control group",
		    (unsigned)cred.uid, (int)cred.pid);
	refuse(fd, "permission denied: only root and members of the backupd control group may "
	           "use backupctl");
	return false;
}

static void accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct control_server *server = arg;
	event_add(server->accept_event, NULL);
}

/* Out of descriptors: stop accepting for a second instead of spinning on the error. */
static void accept_pause(struct control_server *server)
{
	struct timeval tv = {ACCEPT_PAUSE_S, 0};
	control_log(server, LOG_WARNING, "control: accept: %s; pausing for %d s", strerror(errno),
	            ACCEPT_PAUSE_S);
	event_del(server->accept_event);
	evtimer_add(server->accept_resume, &tv);
}

static void accept_one(struct control_server *server, int fd)
{
	uid_t uid;
	gid_t gid;
	if (!peer_allowed(server, fd, &uid, &gid))
		return;
	if (server->n_clients >= server->max_clients) {
		unsigned suppressed;
		if (control_throttle_pass(&server->busy_refusals, clock_monotonic_ms(),
		                          &suppressed))
			control_log(server, LOG_WARNING,
			            "control: too many clients (%d); refusing connections (%u more "
			            "refused since the last such warning; next one in %d s at the "
			            "earliest)",
			            server->n_clients, suppressed,
			            CONTROL_THROTTLE_WINDOW_MS / 1000);
		refuse(fd, "too many clients; try again");
		return;
	}
	control_client_accept(server, fd, uid, gid);
}

static void accept_cb(evutil_socket_t listen_fd, short what, void *arg)
{
	(void)what;
	struct control_server *server = arg;
	for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			accept_one(server, fd);
			continue;
		}
		if (errno == EMFILE || errno == ENFILE)
			accept_pause(server);
		else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
		         errno != ECONNABORTED)
			control_log(server, LOG_ERR, "control: accept: %s", strerror(errno));
		return;
	}
}

/* ---- server ---- */

static void set_limits(struct control_server *server, const struct control_options *options)
{
	server->max_clients = options->max_clients > 0 ? options->max_clients : DEFAULT_MAX_CLIENTS;
	server->idle_timeout_ms =
	    options->idle_timeout_ms > 0 ? options->idle_timeout_ms : DEFAULT_IDLE_TIMEOUT_MS;
	server->output_high_water =
	    options->output_high_water > 0 ? options->output_high_water : DEFAULT_OUTPUT_HIGH_WATER;
}

static int apply_options(struct control_server *server, const struct control_options *options,
                         char *err, size_t err_size)
{
	gid_t gid;
	if (control_peer_resolve_group(options->group, &gid) < 0) {
		snprintf(err, err_size, "control group \"%s\" does not exist", options->group);
		return -1;
	}
	server->gid = gid;
	snprintf(server->group, sizeof(server->group), "%s", options->group ? options->group : "");
	set_limits(server, options);
	return 0;
}

static int open_socket(struct control_server *server, const struct control_options *options,
                       char *err, size_t err_size)
{
	if (options->adopt_systemd) {
		server->fd = control_listen_systemd(err, err_size);
		snprintf(server->systemd_path, sizeof(server->systemd_path), "%s",
		         options->socket_path ? options->socket_path : "");
		if (server->fd != -1)
			return server->fd >= 0 ? 0 : -1;
	}
	server->fd = control_listen_path(options->socket_path, server->gid, err, err_size);
	if (server->fd < 0)
		return -1;
	server->bound_path = strdup(options->socket_path);
	return server->bound_path ? 0 : -1;
}

/* Every verb once, and no action without a hook that says who may run it. */
static int check_sets(const struct control_handlers *handlers, char *err, size_t err_size)
{
	for (size_t s = 0; s < handlers->n_sets; s++) {
		const struct control_verb_set *set = &handlers->sets[s];
		for (size_t i = 0; i < set->n_verbs; i++) {
			const struct control_verb *verb = &set->verbs[i];
			if (control_verb_find(handlers->sets, handlers->n_sets, verb->name, NULL) !=
			    verb) {
				snprintf(err, err_size, "verb \"%s\" is registered twice",
				         verb->name);
				return -1;
			}
			if (verb->access == CONTROL_ACTION && set->authorize == NULL) {
				snprintf(err, err_size,
				         "action \"%s\" has no hook to say who may run it",
				         verb->name);
				return -1;
			}
		}
	}
	return 0;
}

static int copy_sets(struct control_server *server, const struct control_handlers *handlers,
                     char *err, size_t err_size)
{
	if (check_sets(handlers, err, err_size) < 0)
		return -1;
	server->sets = calloc(handlers->n_sets ? handlers->n_sets : 1, sizeof(*server->sets));
	if (server->sets == NULL) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	memcpy(server->sets, handlers->sets, handlers->n_sets * sizeof(*server->sets));
	server->n_sets = handlers->n_sets;
	server->arg = handlers->arg;
	server->log = handlers->log;
	return 0;
}

struct control_server *control_server_new(struct event_base *base,
                                          const struct control_options *options,
                                          const struct control_handlers *handlers, char *err,
                                          size_t err_size)
{
	struct control_server *server = calloc(1, sizeof(*server));
	if (server == NULL) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	server->base = base;
	server->fd = -1;
	TAILQ_INIT(&server->clients);
	if (copy_sets(server, handlers, err, err_size) < 0 ||
	    apply_options(server, options, err, err_size) < 0 ||
	    open_socket(server, options, err, err_size) < 0) {
		control_server_free(server);
		return NULL;
	}
	server->accept_event = event_new(base, server->fd, EV_READ | EV_PERSIST, accept_cb, server);
	server->accept_resume = evtimer_new(base, accept_resume_cb, server);
	if (server->accept_event == NULL || server->accept_resume == NULL ||
	    event_add(server->accept_event, NULL) < 0) {
		snprintf(err, err_size, "cannot register the control socket with libevent");
		control_server_free(server);
		return NULL;
	}
	return server;
}

int control_server_systemd_fd(const struct control_server *server)
{
	return server != NULL && server->bound_path == NULL ? server->fd : -1;
}

/* A new ControlSocket is bound before the old one is let go, so a failure keeps the old. */
static int move_socket(struct control_server *server, const char *path, char *err, size_t err_size)
{
	if (server->bound_path == NULL) {
		snprintf(err, err_size,
		         "ControlSocket=%s not applied: the socket is systemd's (backupd.socket); "
		         "change ListenStream= there",
		         path);
		return -1;
	}
	int fd = control_listen_path(path, server->gid, err, err_size);
	char *copy = fd >= 0 ? strdup(path) : NULL;
	struct event *accept_event =
	    copy ? event_new(server->base, fd, EV_READ | EV_PERSIST, accept_cb, server) : NULL;
	if (accept_event == NULL || event_add(accept_event, NULL) < 0) {
		if (accept_event)
			event_free(accept_event);
		if (fd >= 0 && copy == NULL)
			snprintf(err, err_size, "out of memory");
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(copy);
		return -1;
	}
	event_free(server->accept_event);
	evtimer_del(server->accept_resume);
	close(server->fd);
	unlink(server->bound_path);
	free(server->bound_path);
	server->accept_event = accept_event;
	server->fd = fd;
	server->bound_path = copy;
	control_log(server, LOG_INFO, "control: now listening on %s", path);
	return 0;
}

int control_server_reconfigure(struct control_server *server, const struct control_options *options,
                               char *err, size_t err_size)
{
	/* A group lookup can wait on NSS (LDAP, sssd): it is done on a thread, applied later. */
	control_group_request(server, options->group ? options->group : "");
	set_limits(server, options);
	const char *now = server->bound_path ? server->bound_path : server->systemd_path;
	bool moved = options->socket_path != NULL && strcmp(options->socket_path, now) != 0;
	return moved ? move_socket(server, options->socket_path, err, err_size) : 0;
}

void control_server_free(struct control_server *server)
{
	if (server == NULL)
		return;
	control_group_free(server);
	while (!TAILQ_EMPTY(&server->clients))
		control_client_close(TAILQ_FIRST(&server->clients));
	if (server->accept_event != NULL)
		event_free(server->accept_event);
	if (server->accept_resume != NULL)
		event_free(server->accept_resume);
	if (server->fd >= 0)
		close(server->fd);
	if (server->bound_path != NULL)
		unlink(server->bound_path);
	free(server->bound_path);
	free(server->sets);
	control_refusals_clear(&server->refusals);
	free(server);
}
