/* SPDX-License-Identifier: ISC */
/* idevice-sim: a simulated usbmuxd and iPhone fleet that the real libusbmuxd and
 * libimobiledevice talk to. Shared types and the prototypes of every file, indexed by file. */
#ifndef IDEVICE_SIM_H
#define IDEVICE_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>
#include <openssl/ssl.h>
#include <plist/plist.h>

#define LOCKDOWN_PORT 62078
/* Frames above this size are refused: no real request comes close. */
#define SIM_MAX_FRAME (1024 * 1024)

enum sim_behaviour {
	BEH_NORMAL,
	BEH_NOT_PAIRED,        /* host holds a record the device forgot: InvalidHostID */
	BEH_TRUST_PENDING,     /* no record; Pair answers PairingDialogResponsePending */
	BEH_LOCKED_SINCE_BOOT, /* StartSession answers PasswordProtected */
	BEH_HANG,              /* lockdownd accepts and never answers */
	BEH_SLOW,              /* every reply delayed by arg ms */
	BEH_DROP,              /* connection closed after arg replies */
	BEH_MALFORMED,         /* every reply after arg replies is a broken plist */
	BEH_COUNT
};

struct sim;

/* How the phone answers EnableCloudBackup (see backup.c for the replies). */
enum backup_refusal {
	REFUSE_NONE,
	REFUSE_NO_ACCOUNT,
	REFUSE_RESTRICTED,
	REFUSE_SETUP, /* a phone error backupd has no name for */
	REFUSE_COUNT
};

struct sim_device {
	uint32_t id; /* usbmux DeviceID, index + 1 in the fleet */
	char udid[48];
	plist_t root;    /* root-domain values */
	plist_t domains; /* dict: domain name -> dict of values */
	char wifi_class[48];
	char ssid[64];
	uint8_t bssid[6];
	enum sim_behaviour behaviour;
	unsigned behaviour_arg;
	bool binary_replies; /* lockdownd answers as binary plists (profile ReplyFormat) */
	bool attached;
	bool host_has_record;        /* usbmuxd holds a pair record for it */
	struct sim_pairing *pairing; /* pairing.c: supervision, trusted hosts, Trust dialog */
	char *saved_record;          /* record stored by SavePairRecord, owned */
	uint32_t saved_record_len;
	uint16_t service_port;       /* diagnostics_relay port */
	uint16_t backup_port;        /* com.apple.mobilebackup2 */
	uint16_t notify_port;        /* com.apple.mobile.notification_proxy */
	enum backup_refusal refusal; /* how EnableCloudBackup answers (profile CloudBackup) */
	int restart_delay_ms;        /* Restart: back after this long; < 0 never */
	struct event *restart_ev;    /* pending re-attach */
	struct sim *restart_sim;     /* for restart_ev's callback */
	char port_path[32];          /* --sysfs: its USB port ("1-2.3"), kept while detached */
	unsigned speed_mbps;         /* --sysfs: link speed, 0 = 480 */
	bool plugged;                /* --sysfs: its directory is in the tree now */
};

struct sim_fleet {
	struct sim_device **devices;
	size_t count, cap;
};

enum conn_kind { CONN_MUX, CONN_LOCKDOWN, CONN_DIAG, CONN_BACKUP, CONN_NOTIFY };

struct sim;

/* One client socket of the simulated usbmuxd; after a successful Connect it carries
 * the byte stream of a device port (lockdownd or diagnostics_relay). */
struct sim_conn {
	TAILQ_ENTRY(sim_conn) entry;
	struct sim *sim;
	enum conn_kind kind;
	struct bufferevent *raw; /* the socket */
	struct bufferevent *bev; /* raw, or a TLS filter over it */
	SSL *ssl;
	bool listening;   /* mux: subscribed to events */
	bool in_session;  /* lockdown: StartSession done */
	bool stopping;    /* lockdown: StopSession sent, TLS close pending */
	bool close_after; /* close once the output drains */
	bool tls_pending; /* start TLS once the pending reply is written */
	uint32_t device_id;
	unsigned replies;
	struct evbuffer *delayed; /* slow behaviour: replies not sent yet */
	struct event *delay_ev;
	struct pair_challenge *challenge; /* lockdown: the PairingChallenge issued here */
};
TAILQ_HEAD(sim_conn_list, sim_conn);

struct sim_stats {
	unsigned long mux_requests, connects, sessions, tls_handshakes, diag_requests,
	    backup_requests, restarts;
	unsigned long lockdown_requests; /* frames to lockdownd, withheld ones too */
};

struct sim_pki;

struct sim {
	struct event_base *base;
	struct sim_fleet fleet;
	struct sim_pki *pki;
	struct sim_conn_list conns;
	struct sim_stats stats;
	const char *socket_path;
	struct evconnlistener *mux_listener;
	const char *control_path;
	struct evconnlistener *control_listener;
	char buid[40];
	char *device_list;      /* ListDevices reply (XML), cached until the fleet changes */
	const char *sysfs_root; /* --sysfs DIR, NULL = no tree */
	uint32_t device_list_len;
	/* `usbmuxd split-next`: the next Listen backlog's second event header goes out in two
	 * writes, as a real usbmuxd's can when the socket is full */
	bool split_next_listen;
};

/* pki.c: keys and certificates, generated once per run */
struct sim_pki *pki_new(void);
void pki_free(struct sim_pki *pki);
const char *pki_pair_record(const struct sim_pki *pki, uint32_t *len);
plist_t pki_device_public_key(const struct sim_pki *pki);
SSL *pki_new_server_ssl(struct sim_pki *pki);

/* fleet.c: devices, profiles, synthesis */
void fleet_free(struct sim_fleet *fleet);
struct sim_device *fleet_by_id(struct sim_fleet *fleet, uint32_t id);
struct sim_device *fleet_by_udid(struct sim_fleet *fleet, const char *udid);
struct sim_device *fleet_load_profile(struct sim_fleet *fleet, const char *path, char *err,
                                      size_t errlen);
int fleet_load_dir(struct sim_fleet *fleet, const char *dir);
void fleet_synthesize(struct sim_fleet *fleet, unsigned count, uint64_t seed);
void fleet_finish_device(struct sim *sim, struct sim_device *dev);
plist_t fleet_domain(struct sim_device *dev, const char *domain, bool create);
const char *behaviour_name(enum sim_behaviour beh);
int behaviour_from_name(const char *name);

/* usbmux.c: the usbmuxd server */
int mux_start(struct sim *sim);
void mux_stop(struct sim *sim);
void mux_broadcast(struct sim *sim, const char *type, const struct sim_device *dev);
void mux_close_device_conns(struct sim *sim, uint32_t device_id);
void mux_read(struct sim_conn *conn);
struct bufferevent *accept_bufferevent(struct sim *sim, evutil_socket_t fd);
struct evconnlistener *listen_unix(struct sim *sim, const char *path, evconnlistener_cb cb,
                                   unsigned mode);

/* conn.c: connection lifecycle and plist framing shared by lockdownd and diagnostics */
struct sim_conn *conn_new(struct sim *sim, struct bufferevent *raw);
void conn_free(struct sim_conn *conn);
void conn_send_plist(struct sim_conn *conn, plist_t dict);
/* frame goes out after ms, behind whatever was delayed before it (frame is emptied) */
void conn_send_later(struct sim_conn *conn, struct evbuffer *frame, unsigned ms);
void conn_start_tls(struct sim_conn *conn);
void conn_read_frames(struct sim_conn *conn);

/* lockdown.c: lockdownd requests */
void lockdown_handle(struct sim_conn *conn, struct sim_device *dev, plist_t request);

/* pairing.c: what the phone trusts (hosts, supervision identity, the Trust dialog) */
void pairing_apply_profile(struct sim_device *dev, plist_t profile);
void pairing_reset(struct sim *sim, struct sim_device *dev);
void pairing_set_known(struct sim *sim, struct sim_device *dev, bool known);
void pairing_free(struct sim_device *dev);
void pairing_challenge_free(struct sim_conn *conn);
void pairing_detached(struct sim_device *dev);
bool pairing_locked(const struct sim_device *dev);
bool pairing_trusts(const struct sim_device *dev, const char *host_id);
const char *pairing_served_record(struct sim *sim, const struct sim_device *dev, uint32_t *len);
void pairing_do_pair(struct sim_conn *conn, struct sim_device *dev, plist_t req, plist_t reply);
void pairing_do_validate(struct sim_device *dev, plist_t req, plist_t reply);
void pairing_do_unpair(struct sim_device *dev, plist_t req);
/* control commands trust, distrust, expire; list's pairing fields */
int pairing_tap(struct sim_device *dev, bool trust, const char **why);
void pairing_expire(struct sim_device *dev);
void pairing_describe(const struct sim_device *dev, char *out, size_t len);
/* pkcs7_verify.c: a ChallengeResponse checked against the supervising certificate */
int pkcs7_verify_challenge(const uint8_t *der, size_t der_len, const uint8_t *challenge,
                           size_t challenge_len, const uint8_t *cert_der, size_t cert_len,
                           char *why, size_t why_len);

/* diag.c: diagnostics_relay requests */
void diag_handle(struct sim_conn *conn, struct sim_device *dev, plist_t request);

/* backup.c: com.apple.mobilebackup2 (DeviceLink) and com.apple.mobile.notification_proxy */
void backup_connected(struct sim_conn *conn);
void backup_handle(struct sim_conn *conn, struct sim_device *dev, plist_t message);
void notify_handle(struct sim_conn *conn, struct sim_device *dev, plist_t message);
const char *refusal_name(enum backup_refusal refusal);
int refusal_from_name(const char *name);

/* restart.c: a phone that restarts: detached now, attached again after its delay */
void restart_device(struct sim *sim, struct sim_device *dev);
void restart_cancel(struct sim_device *dev);
void sim_attach(struct sim *sim, struct sim_device *dev);
void sim_detach(struct sim *sim, struct sim_device *dev);
/* sysfs.c: the simulated /sys USB tree (--sysfs) */
int sysfs_start(struct sim *sim, uint64_t seed);
int sysfs_parse_port_path(const char *path, unsigned *bus, unsigned ports[], int *depth);
bool sysfs_port_busy(const struct sim *sim, const char *port);
int sysfs_plug(struct sim *sim, const char *port, const char *vendor, const char *product_id,
               const char *serial, unsigned speed_mbps);
void sysfs_unplug(struct sim *sim, const char *port);
int sysfs_plug_device(struct sim *sim, struct sim_device *dev);
void sysfs_unplug_device(struct sim *sim, struct sim_device *dev);
void sysfs_assign_port(struct sim *sim, struct sim_device *dev);

/* control.c: the test control socket (its verbs: control_verbs.c) */
int control_start(struct sim *sim);
void control_stop(struct sim *sim);

/* plistutil.c: small plist helpers */
const char *plist_str(plist_t dict, const char *key); /* borrowed, NULL if absent */
plist_t plist_parse_value(const char *text);

#endif
