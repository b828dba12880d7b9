/* SPDX-License-Identifier: ISC */
/* The control socket's clients: bounded line reads, dispatch, replies (whole or in pieces).
 * Nothing a client does is fatal to the daemon, and no client can stall the loop: every
 * read is bounded, every client has a deadline, and queued output has a ceiling. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h> /* SIOCOUTQ */
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>

#include "control.h"
#include "control_internal.h"
#include "control_protocol.h"
#include "control_request.h"

void control_log(struct control_server *server, int priority, const char *format, ...)
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

static void stream_end(struct control_client *client);

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
void control_client_close(struct control_client *client)
{
	struct control_server *server = client->server;
	if (server == NULL)
		return;
	TAILQ_REMOVE(&server->clients, client, entry);
	server->n_clients--;
	client->server = NULL;
	stream_end(client);
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
		control_client_close(client);
		return;
	}
	struct evbuffer *output = bufferevent_get_output(client->bev);
	evbuffer_add(output, text, strlen(text));
	evbuffer_add(output, "\n", 1);
	free(text);
	if (client_queued(client) > server->output_high_water) {
		control_log(server, LOG_WARNING, "control: dropping uid %u: reader too slow",
		            (unsigned)client->uid);
		control_client_close(client);
		return;
	}
	client_arm_deadline(client);
}

/* Pieces are produced while less than the client's window is queued; the write callback asks
 * for more once the queue is down to STREAM_LOW_BYTES (the bufferevent's write low-water
 * mark). The window (and the socket's send buffer with it) starts small, so a reader that
 * stalls costs a piece or two, and doubles each time the reader has taken all it was given,
 * so a reader that keeps up gets 1000 phones in a few turns of the loop, not fifty. */
#define STREAM_FIRST_WINDOW (8u << 10)
#define STREAM_MAX_WINDOW   (128u << 10)
#define STREAM_LOW_BYTES    (4u << 10)

static void stream_end(struct control_client *client)
{
	const struct control_stream_ops *ops = client->stream;
	void *state = client->stream_state;
	client->stream = NULL;
	client->stream_state = NULL;
	if (ops)
		ops->release(state);
}

/* Returns true while the reply is still under way. */
static void stream_set_window(struct control_client *client, size_t window)
{
	client->stream_window = window;
	int sndbuf = (int)window;
	setsockopt(bufferevent_getfd(client->bev), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
}

/* Called when our queue is down to the low-water mark. The kernel's queue tells whether the
 * reader took what it was given, or only the socket's buffer did: growing the buffer for a
 * reader that does not read would let it absorb the whole reply. */
static void stream_grow_window(struct control_client *client)
{
	int unread = 0;
	if (client->stream_window >= STREAM_MAX_WINDOW ||
	    ioctl(bufferevent_getfd(client->bev), SIOCOUTQ, &unread) < 0 ||
	    (size_t)unread > client->stream_window / 2)
		return;
	stream_set_window(client, client->stream_window * 2);
}

static bool stream_pump(struct control_client *client)
{
	struct evbuffer *output = bufferevent_get_output(client->bev);
	while (client->stream && evbuffer_get_length(output) < client->stream_window) {
		if (!client->stream->piece(client->stream_state, output)) {
			stream_end(client);
			client->busy = false;
		}
	}
	client_arm_deadline(client); /* a reader that takes nothing for this long is dropped */
	return client->stream != NULL;
}

void control_client_stream(struct control_client *client, const struct control_stream_ops *ops,
                           void *state)
{
	if (control_client_gone(client)) {
		ops->release(state);
		return;
	}
	/* What the kernel takes off our hands is produced without the reader reading: start with
	 * a few pieces, or each stalled reader still costs a good part of a whole reply. A reader
	 * that makes progress re-arms its deadline with every piece. */
	stream_set_window(client, STREAM_FIRST_WINDOW);
	client->stream = ops;
	client->stream_state = state;
	stream_pump(client);
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

/* Whether client may run verb: read-only verbs are for anyone the socket admitted; an action
 * also needs its set's authorize hook to agree (it says why not, and journals the refusal). */
static bool client_authorized(struct control_client *client, const struct control_verb *verb,
                              const struct control_verb_set *set, char *why, size_t why_size)
{
	if (verb->access == CONTROL_READ_ONLY)
		return true;
	return set->authorize(set->arg, verb, client, why, why_size);
}

/* The one dispatcher: the verb's entry is checked (authority, then arguments) before its
 * handler runs, so no handler sees a request it must refuse for its form or its asker. */
static void client_handle_line(struct control_client *client, const char *line, size_t length)
{
	char message[256];
	json_t *request;
	const struct control_verb *verb;
	const struct control_verb_set *set;
	switch (control_request_parse(line, length, client->server->sets, client->server->n_sets,
	                              &request, &verb, &set, message, sizeof(message))) {
	case CONTROL_REQUEST_FATAL:
		client_fail(client, message);
		return;
	case CONTROL_REQUEST_REFUSED:
		control_client_reply_error(client, message);
		return;
	case CONTROL_REQUEST_OK:
		break;
	}
	if (!client_authorized(client, verb, set, message, sizeof(message)) ||
	    !control_request_args_ok(verb, request, message, sizeof(message))) {
		control_client_reply_error(client, message);
		json_decref(request);
		return;
	}
	client->busy = true;
	evtimer_del(client->deadline); /* the handler decides how long it takes */
	verb->handler(set->arg, client, request);
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
	if (client->stream) {
		stream_grow_window(client);
		if (stream_pump(client))
			return;
	}
	if (client_queued(client) > 0)
		return; /* called at the low-water mark: more follows */
	if (client->closing) {
		control_client_close(client); /* touches nothing after */
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
	control_client_close(client);
}

static void client_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct control_client *client = arg;
	control_log(client->server, LOG_DEBUG, "control: closing idle or stalled client uid %u",
	            (unsigned)client->uid);
	control_client_close(client);
}

/* ---- accepted connections ---- */

void control_client_accept(struct control_server *server, int fd, uid_t uid, gid_t gid)
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
	client->gid = gid;
	TAILQ_INSERT_TAIL(&server->clients, client, entry);
	server->n_clients++;
	bufferevent_setcb(bev, client_read_cb, client_write_cb, client_event_cb, client);
	bufferevent_setwatermark(bev, EV_READ, 0, CONTROL_REQUEST_MAX + 1);
	bufferevent_setwatermark(bev, EV_WRITE, STREAM_LOW_BYTES, 0);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	client_arm_deadline(client);
}

uid_t control_client_uid(const struct control_client *client)
{
	return client->uid;
}

bool control_client_member(const struct control_client *client, gid_t gid)
{
	if (client->bev == NULL)
		return client->uid == 0;
	return control_peer_allowed(bufferevent_getfd(client->bev), client->uid, client->gid, gid);
}
