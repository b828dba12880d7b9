/* SPDX-License-Identifier: ISC */
/* Connection lifecycle: a usbmuxd client socket that may turn into a device port stream,
 * the 4-byte big-endian plist framing of lockdownd and its services (dictionaries; arrays on
 * mobilebackup2), TLS on and off, and
 * the per-device behaviours that act on the wire (hang, slow, drop, malformed). */
#include "sim.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>

static void conn_readcb(struct bufferevent *bev, void *arg);
static void conn_writecb(struct bufferevent *bev, void *arg);
static void conn_eventcb(struct bufferevent *bev, short what, void *arg);

struct sim_conn *conn_new(struct sim *sim, struct bufferevent *raw)
{
	struct sim_conn *conn = calloc(1, sizeof *conn);
	if (!conn)
		abort();
	conn->sim = sim;
	conn->kind = CONN_MUX;
	conn->raw = conn->bev = raw;
	bufferevent_setcb(raw, conn_readcb, conn_writecb, conn_eventcb, conn);
	bufferevent_enable(raw, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&sim->conns, conn, entry);
	return conn;
}

static void drop_tls(struct sim_conn *conn)
{
	if (conn->bev != conn->raw)
		bufferevent_free(conn->bev); /* without CLOSE_ON_FREE: keeps raw and the SSL */
	conn->bev = conn->raw;
	if (conn->ssl)
		SSL_free(conn->ssl);
	conn->ssl = NULL;
}

void conn_free(struct sim_conn *conn)
{
	TAILQ_REMOVE(&conn->sim->conns, conn, entry);
	drop_tls(conn);
	bufferevent_free(conn->raw);
	if (conn->delay_ev)
		event_free(conn->delay_ev);
	if (conn->delayed)
		evbuffer_free(conn->delayed);
	pairing_challenge_free(conn);
	free(conn);
}

void conn_start_tls(struct sim_conn *conn)
{
	conn->ssl = pki_new_server_ssl(conn->sim->pki);
	conn->bev = bufferevent_openssl_filter_new(conn->sim->base, conn->raw, conn->ssl,
	                                           BUFFEREVENT_SSL_ACCEPTING, 0);
	bufferevent_openssl_set_allow_dirty_shutdown(conn->bev, 1);
	bufferevent_setcb(conn->bev, conn_readcb, conn_writecb, conn_eventcb, conn);
	bufferevent_enable(conn->bev, EV_READ | EV_WRITE);
}

/* StopSession: the host sends close_notify and speaks plaintext again on the same stream. */
static void stop_tls(struct sim_conn *conn)
{
	drop_tls(conn);
	conn->stopping = false;
	bufferevent_setcb(conn->raw, conn_readcb, conn_writecb, conn_eventcb, conn);
	bufferevent_enable(conn->raw, EV_READ | EV_WRITE);
	conn_read_frames(conn);
}

static void send_now(struct sim_conn *conn, struct evbuffer *frame)
{
	bufferevent_write_buffer(conn->bev, frame);
	if (conn->tls_pending) {
		conn->tls_pending = false;
		conn_start_tls(conn);
	}
}

static void delayed_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	struct sim_conn *conn = arg;
	send_now(conn, conn->delayed);
}

void conn_send_later(struct sim_conn *conn, struct evbuffer *frame, unsigned ms)
{
	if (!conn->delayed) {
		conn->delayed = evbuffer_new();
		conn->delay_ev = evtimer_new(conn->sim->base, delayed_cb, conn);
	}
	evbuffer_add_buffer(conn->delayed, frame);
	struct timeval tv = {ms / 1000, (long)(ms % 1000) * 1000};
	if (!evtimer_pending(conn->delay_ev, NULL))
		evtimer_add(conn->delay_ev, &tv);
}

static struct sim_device *conn_device(struct sim_conn *conn)
{
	return fleet_by_id(&conn->sim->fleet, conn->device_id);
}

static void frame_plist(struct evbuffer *out, const char *data, uint32_t len)
{
	uint32_t be = htonl(len);
	evbuffer_add(out, &be, sizeof be);
	evbuffer_add(out, data, len);
}

/* Real devices answer lockdownd in XML, and may answer in binary: libimobiledevice 1.3.0
 * turns control characters of an XML reply into spaces, not of a binary one. The framing is
 * the same for every service. */
void conn_send_plist(struct sim_conn *conn, plist_t dict)
{
	struct sim_device *dev = conn_device(conn);
	struct evbuffer *frame = evbuffer_new();
	conn->replies++;
	if (dev && dev->behaviour == BEH_MALFORMED && conn->replies > dev->behaviour_arg) {
		static const char broken[] = "<?xml version=\"1.0\"?><plist><dict><key>Req";
		frame_plist(frame, broken, sizeof broken - 1);
	} else {
		char *data = NULL;
		uint32_t len = 0;
		if (dev && dev->binary_replies)
			plist_to_bin(dict, &data, &len);
		else
			plist_to_xml(dict, &data, &len);
		frame_plist(frame, data, len);
		free(data);
	}
	if (dev && dev->behaviour == BEH_SLOW)
		conn_send_later(conn, frame, dev->behaviour_arg);
	else
		send_now(conn, frame);
	evbuffer_free(frame);
}

/* Returns the next complete frame's plist, NULL when none is complete; sets *bad on a
 * frame that cannot be valid. DeviceLink services (mobilebackup2) send arrays, the others
 * dictionaries. */
static plist_t next_frame(struct evbuffer *in, enum conn_kind kind, bool *bad)
{
	uint32_t be;
	if (evbuffer_copyout(in, &be, sizeof be) < (ev_ssize_t)sizeof be)
		return NULL;
	uint32_t len = ntohl(be);
	if (len == 0 || len > SIM_MAX_FRAME) {
		*bad = true;
		return NULL;
	}
	if (evbuffer_get_length(in) < sizeof be + len)
		return NULL;
	evbuffer_drain(in, sizeof be);
	plist_t request = NULL;
	plist_from_memory((const char *)evbuffer_pullup(in, len), len, &request);
	evbuffer_drain(in, len);
	plist_type want = kind == CONN_BACKUP ? PLIST_ARRAY : PLIST_DICT;
	if (!request || plist_get_node_type(request) != want) {
		plist_free(request);
		*bad = true;
		return NULL;
	}
	return request;
}

/* Whether the device's behaviour keeps it from answering this request at all. */
static bool withheld(struct sim_conn *conn, struct sim_device *dev)
{
	if (conn->kind != CONN_LOCKDOWN)
		return false;
	if (dev->behaviour == BEH_HANG)
		return true;
	if (dev->behaviour == BEH_DROP && conn->replies >= dev->behaviour_arg) {
		conn->close_after = true;
		return true;
	}
	return false;
}

void conn_read_frames(struct sim_conn *conn)
{
	struct evbuffer *in = bufferevent_get_input(conn->bev);
	bool bad = false;
	plist_t request;
	while (!conn->close_after && (request = next_frame(in, conn->kind, &bad))) {
		struct sim_device *dev = conn_device(conn);
		if (!dev || !dev->attached) {
			plist_free(request);
			conn_free(conn);
			return;
		}
		if (conn->kind == CONN_LOCKDOWN)
			conn->sim->stats
			    .lockdown_requests++; /* answered or withheld: a probe at work */
		if (withheld(conn, dev))
			evbuffer_drain(in, evbuffer_get_length(in));
		else if (conn->kind == CONN_LOCKDOWN)
			lockdown_handle(conn, dev, request);
		else if (conn->kind == CONN_BACKUP)
			backup_handle(conn, dev, request);
		else if (conn->kind == CONN_NOTIFY)
			notify_handle(conn, dev, request);
		else
			diag_handle(conn, dev, request);
		plist_free(request);
	}
	/* Garbage on a device port: a real lockdownd hangs up. */
	if (bad ||
	    (conn->close_after && evbuffer_get_length(bufferevent_get_output(conn->bev)) == 0))
		conn_free(conn);
}

static void conn_readcb(struct bufferevent *bev, void *arg)
{
	(void)bev;
	struct sim_conn *conn = arg;
	if (conn->kind == CONN_MUX)
		mux_read(conn);
	else
		conn_read_frames(conn);
}

static void conn_writecb(struct bufferevent *bev, void *arg)
{
	struct sim_conn *conn = arg;
	if (conn->close_after && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_free(conn);
}

static void conn_eventcb(struct bufferevent *bev, short what, void *arg)
{
	struct sim_conn *conn = arg;
	if (what & BEV_EVENT_CONNECTED) {
		conn->sim->stats.tls_handshakes++;
		return;
	}
	if ((what & BEV_EVENT_EOF) && conn->stopping && bev == conn->bev && conn->ssl &&
	    SSL_get_shutdown(conn->ssl) & SSL_RECEIVED_SHUTDOWN) {
		stop_tls(conn);
		return;
	}
	conn_free(conn);
}
