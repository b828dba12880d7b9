/* The control socket server: accept, peer check, bounded line reads, dispatch, replies.
 * Nothing a client does is fatal to the daemon, and no client can stall the loop: every
 * read is bounded, every client has a deadline, and queued output has a ceiling. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

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

struct control_client {
	struct control_server *server; /* NULL once closed */
	struct bufferevent *bev;
	struct event *deadline;
	int refs;
	bool busy;    /* a handler holds the current request */
	bool closing; /* close once the queued output is written */
	uid_t uid;
	TAILQ_ENTRY(control_client) entry;
};
TAILQ_HEAD(client_list, control_client);

struct control_server {
	struct event_base *base;
	int fd;
	char *bound_path; /* unlinked at free; NULL when systemd owns the socket */
	struct event *accept_event;
	struct event *accept_resume;
	struct control_verb *verbs;
	size_t n_verbs;
	void *arg;
	control_log_fn log;
	gid_t gid;
	char group[64];         /* the ControlGroup gid was resolved from, at start */
	char systemd_path[108]; /* the configured path when systemd's socket is used */
	int max_clients;
	int idle_timeout_ms;
	size_t output_high_water;
	struct client_list clients;
	int n_clients;
	struct control_refusals refusals;
	struct control_throttle busy_refusals;
};

static void server_log(struct control_server *server, int priority, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void server_log(struct control_server *server, int priority, const char *format, ...)
{
	if (server->log == NULL)
		return;
	char message[512];
	va_list ap;
	va_start(ap, format);
	vsnprintf(message, sizeof(message), format, ap);
	va_end(ap);
	server->log(server->arg, priority, message);
}

/* ---- client lifetime ---- */

void control_client_ref(struct control_client *client)
{
	client->refs++;
}

void control_client_unref(struct control_client *client)
{
	if (--client->refs > 0)
		return;
	free(client);
}

bool control_client_gone(const struct control_client *client)
{
	return client->server == NULL;
}

/* Drops the connection now. The struct lives on while a handler or callback holds it. */
static void client_close(struct control_client *client)
{
	struct control_server *server = client->server;
	if (server == NULL)
		return;
	TAILQ_REMOVE(&server->clients, client, entry);
	server->n_clients--;
	client->server = NULL;
	/* libevent holds its own reference during callbacks, so freeing here is safe. */
	bufferevent_free(client->bev);
	client->bev = NULL;
	event_free(client->deadline);
	client->deadline = NULL;
	control_client_unref(client); /* the server's reference */
}

static void client_arm_deadline(struct control_client *client)
{
	struct timeval tv = {client->server->idle_timeout_ms / 1000,
	                     (client->server->idle_timeout_ms % 1000) * 1000};
	evtimer_add(client->deadline, &tv);
}

/* ---- replies ---- */

static size_t client_queued(const struct control_client *client)
{
	return evbuffer_get_length(bufferevent_get_output(client->bev));
}

void control_client_reply(struct control_client *client, json_t *reply)
{
	if (control_client_gone(client) || reply == NULL) {
		json_decref(reply);
		return;
	}
	struct control_server *server = client->server;
	json_object_set_new(reply, "v", json_integer(CONTROL_PROTOCOL_VERSION));
	char *text = json_dumps(reply, JSON_COMPACT);
	json_decref(reply);
	client->busy = false;
	if (text == NULL) {
		client_close(client);
		return;
	}
	struct evbuffer *output = bufferevent_get_output(client->bev);
	evbuffer_add(output, text, strlen(text));
	evbuffer_add(output, "\n", 1);
	free(text);
	if (client_queued(client) > server->output_high_water) {
		server_log(server, LOG_WARNING, "control: dropping uid %u: reader too slow",
		           (unsigned)client->uid);
		client_close(client);
		return;
	}
	client_arm_deadline(client);
}

void control_client_reply_error(struct control_client *client, const char *message)
{
	json_t *reply = json_pack("{s:b, s:s}", "ok", 0, "error", message);
	control_client_reply(client, reply);
}

/* An error the client cannot recover from on this connection: answer, then hang up. */
static void client_fail(struct control_client *client, const char *message)
{
	control_client_reply_error(client, message);
	if (control_client_gone(client))
		return;
	client->closing = true;
	bufferevent_disable(client->bev, EV_READ);
}

/* ---- requests ---- */

static void client_handle_line(struct control_client *client, const char *line, size_t length)
{
	char message[160];
	json_t *request;
	const struct control_verb *verb;
	switch (control_request_parse(line, length, client->server->verbs, client->server->n_verbs,
	                              &request, &verb, message, sizeof(message))) {
	case CONTROL_REQUEST_FATAL:
		client_fail(client, message);
		return;
	case CONTROL_REQUEST_REFUSED:
		control_client_reply_error(client, message);
		return;
	case CONTROL_REQUEST_OK:
		break;
	}
	client->busy = true;
	evtimer_del(client->deadline); /* the handler decides how long it takes */
	verb->handler(client->server->arg, client, request);
	json_decref(request);
}

/* Takes requests one at a time: the next waits until the last reply has been written. */
static void client_process_input(struct control_client *client)
{
	while (!control_client_gone(client) && !client->busy && !client->closing &&
	       client_queued(client) == 0) {
		struct evbuffer *input = bufferevent_get_input(client->bev);
		struct evbuffer_ptr eol = evbuffer_search_eol(input, NULL, NULL, EVBUFFER_EOL_LF);
		if (eol.pos < 0) {
			if (evbuffer_get_length(input) >= CONTROL_REQUEST_MAX)
				client_fail(client, "request too long");
			return;
		}
		size_t length = (size_t)eol.pos + 1;
		if (length > CONTROL_REQUEST_MAX) {
			client_fail(client, "request too long");
			return;
		}
		char line[CONTROL_REQUEST_MAX];
		evbuffer_remove(input, line, length);
		client_handle_line(client, line, length - 1);
	}
}

/* ---- libevent callbacks ---- */

static void client_read_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct control_client *client = arg;
	control_client_ref(client);
	client_process_input(client);
	control_client_unref(client);
}

static void client_write_cb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct control_client *client = arg;
	if (client->closing) {
		client_close(client); /* touches nothing after */
		return;
	}
	control_client_ref(client);
	client_process_input(client);
	control_client_unref(client);
}

static void client_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)bev;
	struct control_client *client = arg;
	/* A peer that half-closes after its request (shutdown(SHUT_WR)) still reads: answer the
	 * request under way and send what is queued, then close. An error means it is gone. */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    (client->busy || client_queued(client) > 0)) {
		client->closing = true;
		bufferevent_disable(client->bev, EV_READ);
		return;
	}
	client_close(client);
}

static void client_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct control_client *client = arg;
	server_log(client->server, LOG_DEBUG, "control: closing idle or stalled client uid %u",
	           (unsigned)client->uid);
	client_close(client);
}

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

static bool peer_allowed(struct control_server *server, int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t length = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) < 0) {
		refuse(fd, "permission denied: peer credentials unavailable");
		return false;
	}
	*uid = cred.uid;
	if (control_peer_allowed(fd, cred.uid, cred.gid, server->gid))
		return true;
	if (control_refusals_first(&server->refusals, cred.uid))
		server_log(
		    server, LOG_WARNING,
		    "control: refused uid %u (pid %d): not root and not in the control group",
		    (unsigned)cred.uid, (int)cred.pid);
	refuse(fd, "permission denied: only root and members of the backupd control group may "
	           "use backupctl");
	return false;
}

static void client_new(struct control_server *server, int fd, uid_t uid)
{
	struct control_client *client = calloc(1, sizeof(*client));
	struct bufferevent *bev = bufferevent_socket_new(server->base, fd, BEV_OPT_CLOSE_ON_FREE);
	struct event *deadline =
	    client ? evtimer_new(server->base, client_deadline_cb, client) : NULL;
	if (client == NULL || bev == NULL || deadline == NULL) {
		free(client);
		if (bev != NULL)
			bufferevent_free(bev);
		else
			close(fd);
		if (deadline != NULL)
			event_free(deadline);
		return;
	}
	client->server = server;
	client->bev = bev;
	client->deadline = deadline;
	client->refs = 1;
	client->uid = uid;
	TAILQ_INSERT_TAIL(&server->clients, client, entry);
	server->n_clients++;
	bufferevent_setcb(bev, client_read_cb, client_write_cb, client_event_cb, client);
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_REQUEST_MAX + 1);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	client_arm_deadline(client);
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
	server_log(server, LOG_WARNING, "control: accept: %s; pausing for %d s", strerror(errno),
	           ACCEPT_PAUSE_S);
	event_del(server->accept_event);
	evtimer_add(server->accept_resume, &tv);
}

static void accept_one(struct control_server *server, int fd)
{
	uid_t uid;
	if (!peer_allowed(server, fd, &uid))
		return;
	if (server->n_clients >= server->max_clients) {
		unsigned suppressed;
		if (control_throttle_pass(&server->busy_refusals, clock_monotonic_ms(),
		                          &suppressed))
			server_log(server, LOG_WARNING,
			           "control: too many clients (%d); refusing connections (%u more "
			           "refused since the last such warning; next one in %d s at the "
			           "earliest)",
			           server->n_clients, suppressed,
			           CONTROL_THROTTLE_WINDOW_MS / 1000);
		refuse(fd, "too many clients; try again");
		return;
	}
	client_new(server, fd, uid);
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
			server_log(server, LOG_ERR, "control: accept: %s", strerror(errno));
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

static int copy_verbs(struct control_server *server, const struct control_handlers *handlers)
{
	server->verbs = calloc(handlers->n_verbs ? handlers->n_verbs : 1, sizeof(*server->verbs));
	if (server->verbs == NULL)
		return -1;
	memcpy(server->verbs, handlers->verbs, handlers->n_verbs * sizeof(*server->verbs));
	server->n_verbs = handlers->n_verbs;
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
	if (copy_verbs(server, handlers) < 0 || apply_options(server, options, err, err_size) < 0 ||
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
	server_log(server, LOG_INFO, "control: now listening on %s", path);
	return 0;
}

int control_server_reconfigure(struct control_server *server, const struct control_options *options,
                               char *err, size_t err_size)
{
	/* A group lookup can wait on NSS (LDAP, sssd) for as long as it likes: it is done at start
	 * only, never on the loop of a running daemon. */
	const char *group = options->group ? options->group : "";
	if (strcmp(group, server->group) != 0)
		server_log(server, LOG_WARNING,
		           "control: ControlGroup=%s applies at the next start (group lookups are "
		           "done at start only); \"%s\" still applies",
		           group, server->group);
	set_limits(server, options);
	const char *now = server->bound_path ? server->bound_path : server->systemd_path;
	bool moved = options->socket_path != NULL && strcmp(options->socket_path, now) != 0;
	return moved ? move_socket(server, options->socket_path, err, err_size) : 0;
}

void control_server_free(struct control_server *server)
{
	if (server == NULL)
		return;
	while (!TAILQ_EMPTY(&server->clients))
		client_close(TAILQ_FIRST(&server->clients));
	if (server->accept_event != NULL)
		event_free(server->accept_event);
	if (server->accept_resume != NULL)
		event_free(server->accept_resume);
	if (server->fd >= 0)
		close(server->fd);
	if (server->bound_path != NULL)
		unlink(server->bound_path);
	free(server->bound_path);
	free(server->verbs);
	control_refusals_clear(&server->refusals);
	free(server);
}
