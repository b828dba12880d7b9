/* SPDX-License-Identifier: ISC */
/* The simulated usbmuxd: a UNIX socket speaking usbmuxd's plist protocol (version 1, message
 * type 8) as libusbmuxd 2.0.2 expects it: little-endian 16-byte headers, tags echoed,
 * events with tag 0, and Connect turning the socket into a device port stream. */
#include "sim.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>

enum { MUX_RESULT_OK = 0, MUX_BADCOMMAND = 1, MUX_BADDEV = 2, MUX_CONNREFUSED = 3 };
enum { MUX_MESSAGE_PLIST = 8, MUX_HEADER_LEN = 16 };

struct mux_header {
	uint32_t length, version, message, tag;
};

static struct evbuffer *mux_frame(uint32_t tag, const char *xml, uint32_t len)
{
	struct mux_header h = {htole32(MUX_HEADER_LEN + len), htole32(1),
	                       htole32(MUX_MESSAGE_PLIST), htole32(tag)};
	struct evbuffer *frame = evbuffer_new();
	evbuffer_add(frame, &h, sizeof h);
	evbuffer_add(frame, xml, len);
	return frame;
}

static void mux_send_xml(struct sim_conn *conn, uint32_t tag, const char *xml, uint32_t len)
{
	struct evbuffer *frame = mux_frame(tag, xml, len);
	if (conn->delay_ev && evtimer_pending(conn->delay_ev, NULL))
		conn_send_later(conn, frame, 0); /* behind a split header still held back */
	else
		bufferevent_write_buffer(conn->raw, frame);
	evbuffer_free(frame);
}

static void mux_send(struct sim_conn *conn, uint32_t tag, plist_t dict)
{
	char *xml = NULL;
	uint32_t len = 0;
	plist_to_xml(dict, &xml, &len);
	mux_send_xml(conn, tag, xml, len);
	free(xml);
}

static void mux_result(struct sim_conn *conn, uint32_t tag, uint32_t number)
{
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "MessageType", plist_new_string("Result"));
	plist_dict_set_item(d, "Number", plist_new_uint(number));
	mux_send(conn, tag, d);
	plist_free(d);
}

static plist_t attached_message(const struct sim_device *dev)
{
	plist_t props = plist_new_dict();
	plist_dict_set_item(props, "ConnectionSpeed", plist_new_uint(480000000));
	plist_dict_set_item(props, "ConnectionType", plist_new_string("USB"));
	plist_dict_set_item(props, "DeviceID", plist_new_uint(dev->id));
	plist_dict_set_item(props, "LocationID", plist_new_uint(0x14100000 + dev->id));
	plist_dict_set_item(props, "ProductID", plist_new_uint(0x12a8));
	plist_dict_set_item(props, "SerialNumber", plist_new_string(dev->udid));
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "MessageType", plist_new_string("Attached"));
	plist_dict_set_item(d, "DeviceID", plist_new_uint(dev->id));
	plist_dict_set_item(d, "Properties", props);
	return d;
}

static void event_to(struct sim_conn *conn, const char *type, const struct sim_device *dev)
{
	plist_t d;
	if (strcmp(type, "Attached") == 0) {
		d = attached_message(dev);
	} else {
		d = plist_new_dict();
		plist_dict_set_item(d, "MessageType", plist_new_string(type));
		plist_dict_set_item(d, "DeviceID", plist_new_uint(dev->id));
	}
	mux_send(conn, 0, d);
	plist_free(d);
}

/* Every change of the attached set is broadcast, so this is where the cached list goes. */
void mux_broadcast(struct sim *sim, const char *type, const struct sim_device *dev)
{
	free(sim->device_list);
	sim->device_list = NULL;
	struct sim_conn *conn;
	TAILQ_FOREACH(conn, &sim->conns, entry)
	if (conn->kind == CONN_MUX && conn->listening)
		event_to(conn, type, dev);
}

void mux_close_device_conns(struct sim *sim, uint32_t device_id)
{
	struct sim_conn *conn = TAILQ_FIRST(&sim->conns), *next;
	for (; conn; conn = next) {
		next = TAILQ_NEXT(conn, entry);
		if (conn->kind != CONN_MUX && conn->device_id == device_id)
			conn_free(conn);
	}
}

/* With 1000 devices the list costs milliseconds to build and every idevice_new asks for it. */
static void build_device_list(struct sim *sim)
{
	plist_t list = plist_new_array();
	for (size_t i = 0; i < sim->fleet.count; i++) {
		struct sim_device *dev = sim->fleet.devices[i];
		if (dev->attached)
			plist_array_append_item(list, attached_message(dev));
	}
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "DeviceList", list);
	plist_to_xml(d, &sim->device_list, &sim->device_list_len);
	plist_free(d);
}

static void do_list_devices(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	(void)req;
	if (!conn->sim->device_list)
		build_device_list(conn->sim);
	mux_send_xml(conn, tag, conn->sim->device_list, conn->sim->device_list_len);
}

/* dev's Attached event with its header cut after 8 bytes and the rest sent SPLIT_PAUSE_MS
 * later; events sent meanwhile queue behind it (mux_send_xml). libusbmuxd reads a header with
 * one recv() and takes the 8 bytes for a whole one (tests/integration/backupd_reliab.sh). */
#define SPLIT_PAUSE_MS 1000
static void send_split(struct sim_conn *conn, const struct sim_device *dev)
{
	plist_t d = attached_message(dev);
	char *xml = NULL;
	uint32_t len = 0;
	plist_to_xml(d, &xml, &len);
	plist_free(d);
	struct evbuffer *frame = mux_frame(0, xml, len);
	free(xml);
	bufferevent_write(conn->raw, evbuffer_pullup(frame, 8), 8);
	evbuffer_drain(frame, 8);
	conn_send_later(conn, frame, SPLIT_PAUSE_MS);
	evbuffer_free(frame);
}

static void do_listen(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	(void)req;
	mux_result(conn, tag, MUX_RESULT_OK);
	conn->listening = true;
	struct sim *sim = conn->sim;
	size_t sent = 0;
	for (size_t i = 0; i < sim->fleet.count; i++) {
		if (!sim->fleet.devices[i]->attached)
			continue;
		if (sent++ == 1 && sim->split_next_listen) {
			sim->split_next_listen = false;
			send_split(conn, sim->fleet.devices[i]);
		} else {
			event_to(conn, "Attached", sim->fleet.devices[i]);
		}
	}
}

static uint64_t uint_item(plist_t dict, const char *key)
{
	uint64_t v = 0;
	plist_t n = plist_dict_get_item(dict, key);
	if (n && plist_get_node_type(n) == PLIST_UINT)
		plist_get_uint_val(n, &v);
	return v;
}

/* Which service listens on port of dev, or -1. */
static int port_kind(const struct sim_device *dev, uint16_t port)
{
	if (port == LOCKDOWN_PORT)
		return CONN_LOCKDOWN;
	if (port == dev->service_port)
		return CONN_DIAG;
	if (port == dev->backup_port)
		return CONN_BACKUP;
	if (port == dev->notify_port)
		return CONN_NOTIFY;
	return -1;
}

static void do_connect(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	struct sim_device *dev =
	    fleet_by_id(&conn->sim->fleet, (uint32_t)uint_item(req, "DeviceID"));
	/* libusbmuxd sends htons(port) as a plain integer. */
	uint16_t port = ntohs((uint16_t)uint_item(req, "PortNumber"));
	if (!dev || !dev->attached) {
		mux_result(conn, tag, MUX_BADDEV);
		return;
	}
	int kind = port_kind(dev, port);
	if (kind < 0) {
		mux_result(conn, tag, MUX_CONNREFUSED);
		return;
	}
	mux_result(conn, tag, MUX_RESULT_OK);
	conn->sim->stats.connects++;
	conn->device_id = dev->id;
	conn->kind = (enum conn_kind)kind;
	if (conn->kind == CONN_DIAG)
		conn_start_tls(conn); /* EnableServiceSSL: the host starts TLS at once */
	else if (conn->kind == CONN_BACKUP)
		backup_connected(conn); /* DeviceLink: the phone speaks first */
}

static void do_read_buid(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	(void)req;
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "BUID", plist_new_string(conn->sim->buid));
	mux_send(conn, tag, d);
	plist_free(d);
}

static struct sim_device *record_device(struct sim_conn *conn, plist_t req)
{
	const char *udid = plist_str(req, "PairRecordID");
	return udid ? fleet_by_udid(&conn->sim->fleet, udid) : NULL;
}

static void do_read_pair_record(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	struct sim_device *dev = record_device(conn, req);
	if (!dev || !dev->host_has_record) {
		mux_result(conn, tag, ENOENT);
		return;
	}
	uint32_t len = 0;
	const char *rec = pairing_served_record(conn->sim, dev, &len);
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "PairRecordData", plist_new_data(rec, len));
	mux_send(conn, tag, d);
	plist_free(d);
}

static void do_save_pair_record(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	struct sim_device *dev = record_device(conn, req);
	plist_t data = plist_dict_get_item(req, "PairRecordData");
	if (!dev || !data || plist_get_node_type(data) != PLIST_DATA) {
		mux_result(conn, tag, EINVAL);
		return;
	}
	uint64_t len = 0;
	free(dev->saved_record);
	plist_get_data_val(data, &dev->saved_record, &len);
	dev->saved_record_len = (uint32_t)len;
	dev->host_has_record = true;
	mux_result(conn, tag, MUX_RESULT_OK);
}

static void do_delete_pair_record(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	struct sim_device *dev = record_device(conn, req);
	if (!dev || !dev->host_has_record) {
		mux_result(conn, tag, ENOENT);
		return;
	}
	free(dev->saved_record);
	dev->saved_record = NULL;
	dev->saved_record_len = 0;
	dev->host_has_record = false;
	mux_result(conn, tag, MUX_RESULT_OK);
}

static void do_list_listeners(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	(void)req;
	plist_t list = plist_new_array();
	struct sim_conn *c;
	TAILQ_FOREACH(c, &conn->sim->conns, entry)
	if (c->kind == CONN_MUX && c->listening) {
		plist_t l = plist_new_dict();
		plist_dict_set_item(l, "Blacklisted", plist_new_bool(0));
		plist_dict_set_item(l, "ConnType", plist_new_uint(0));
		plist_array_append_item(list, l);
	}
	plist_t d = plist_new_dict();
	plist_dict_set_item(d, "ListenerList", list);
	mux_send(conn, tag, d);
	plist_free(d);
}

static const struct mux_command {
	const char *name;
	void (*handle)(struct sim_conn *conn, uint32_t tag, plist_t req);
} mux_commands[] = {
    {"ListDevices", do_list_devices},
    {"Listen", do_listen},
    {"Connect", do_connect},
    {"ReadBUID", do_read_buid},
    {"ReadPairRecord", do_read_pair_record},
    {"SavePairRecord", do_save_pair_record},
    {"DeletePairRecord", do_delete_pair_record},
    {"ListListeners", do_list_listeners},
};

static void dispatch(struct sim_conn *conn, uint32_t tag, plist_t req)
{
	const char *type = plist_str(req, "MessageType");
	conn->sim->stats.mux_requests++;
	for (size_t i = 0; type && i < sizeof mux_commands / sizeof mux_commands[0]; i++)
		if (strcmp(type, mux_commands[i].name) == 0) {
			mux_commands[i].handle(conn, tag, req);
			return;
		}
	mux_result(conn, tag, MUX_BADCOMMAND);
}

/* Handles every complete packet; a client sending nonsense is dropped, nobody else. */
void mux_read(struct sim_conn *conn)
{
	struct evbuffer *in = bufferevent_get_input(conn->raw);
	struct mux_header h;
	while (conn->kind == CONN_MUX && evbuffer_copyout(in, &h, sizeof h) == sizeof h) {
		uint32_t len = le32toh(h.length);
		if (len < MUX_HEADER_LEN || len > SIM_MAX_FRAME) {
			conn_free(conn);
			return;
		}
		if (evbuffer_get_length(in) < len)
			return;
		evbuffer_drain(in, sizeof h);
		uint32_t plen = len - MUX_HEADER_LEN;
		plist_t req = NULL;
		if (le32toh(h.message) == MUX_MESSAGE_PLIST && plen > 0)
			plist_from_xml((const char *)evbuffer_pullup(in, plen), plen, &req);
		evbuffer_drain(in, plen);
		if (!req || plist_get_node_type(req) != PLIST_DICT) {
			plist_free(req);
			mux_result(conn, le32toh(h.tag), MUX_BADCOMMAND);
			continue;
		}
		dispatch(conn, le32toh(h.tag), req);
		plist_free(req);
	}
	if (conn->kind != CONN_MUX && evbuffer_get_length(bufferevent_get_input(conn->bev)) > 0)
		conn_read_frames(conn);
}

/* A bufferevent for an accepted socket; NULL (socket closed) when none can be made. */
struct bufferevent *accept_bufferevent(struct sim *sim, evutil_socket_t fd)
{
	struct bufferevent *bev = bufferevent_socket_new(sim->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		close(fd);
	return bev;
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int salen,
                      void *arg)
{
	(void)l;
	(void)sa;
	(void)salen;
	struct sim *sim = arg;
	struct bufferevent *bev = accept_bufferevent(sim, fd);
	if (bev)
		conn_new(sim, bev);
}

static void accept_error_cb(struct evconnlistener *l, void *arg)
{
	(void)l;
	(void)arg;
	/* EMFILE and friends: log and keep listening; no client error is fatal. */
	fprintf(stderr, "idevice-sim: accept: %s\n", strerror(errno));
}

struct evconnlistener *listen_unix(struct sim *sim, const char *path, evconnlistener_cb cb,
                                   unsigned mode)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sun.sun_path)
		return NULL;
	strcpy(sun.sun_path, path);
	unlink(path);
	struct evconnlistener *l = evconnlistener_new_bind(
	    sim->base, cb, sim, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 4096,
	    (struct sockaddr *)&sun, sizeof sun);
	if (!l)
		return NULL;
	chmod(path, mode);
	evconnlistener_set_error_cb(l, accept_error_cb);
	return l;
}

int mux_start(struct sim *sim)
{
	if (sim->mux_listener)
		return 0;
	sim->mux_listener = listen_unix(sim, sim->socket_path, accept_cb, 0666);
	return sim->mux_listener ? 0 : -1;
}

/* Like Debian's usbmuxd exiting: the socket vanishes and every client is cut off. */
void mux_stop(struct sim *sim)
{
	if (sim->mux_listener) {
		evconnlistener_free(sim->mux_listener);
		sim->mux_listener = NULL;
		unlink(sim->socket_path);
	}
	while (!TAILQ_EMPTY(&sim->conns))
		conn_free(TAILQ_FIRST(&sim->conns));
	free(sim->device_list);
	sim->device_list = NULL;
}
