/* SPDX-License-Identifier: ISC */
/* One probe of one device, and the cache of open sessions that makes repeated probes cheap.
 * See include/probe.h; error mapping is in probe_errors.c, plist reading in probe_values.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libimobiledevice/diagnostics_relay.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <usbmuxd.h>

#include "probe.h"
#include "device_lookup.h"
#include "handshake_wait.h"
#include "probe_errors.h"
#include "probe_fdset.h"
#include "probe_plain.h"
#include "probe_trace.h"
#include "probe_values.h"
#include "probe_wifi.h"
#include "probe_watchdog.h"
#include "probe_wire.h"
#include "xmalloc.h"

#define CLOSE_TIMEOUT_MS    1000  /* StopSession on a healthy session; bounded all the same */
#define DEFAULT_TIMEOUT_MS  10000 /* a request that says 0 */
#define DIAGNOSTICS_SERVICE "com.apple.mobile.diagnostics_relay"
#define DIAGNOSTICS_LEGACY  "com.apple.iosdiagnostics.relay" /* pre-iOS 5 name */

struct probe_session {
	char udid[UDID_MAX]; /* empty: slot free */
	idevice_t device;
	lockdownd_client_t lockdown;
	diagnostics_relay_client_t diagnostics;
	struct probe_fdset fds; /* sockets this session opened, for the watchdog */
	unsigned long long last_used;
};

struct probe_cache {
	struct probe_session *sessions;
	size_t max_sessions;
	unsigned long long uses;
	struct probe_watchdog *watchdog;
};

/* What one probe knows while it runs; doing names the step for error texts. */
struct probe_ctx {
	struct probe_cache *cache;
	const char *udid;
	const char *doing;
	int has_pair_record; /* -1 not asked yet */
	unsigned flags;      /* enum probe_flag */
	struct probe_trace *trace;
};

static unsigned long long monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL +
	       (unsigned long long)ts.tv_nsec / 1000000ULL;
}

static void fail(struct probe_ctx *ctx, int lockdown_code, struct device_facts *out)
{
	if (ctx->has_pair_record < 0)
		ctx->has_pair_record = probe_errors_has_pair_record(ctx->udid);
	struct probe_failure failure = {
	    .doing = ctx->doing,
	    .lockdown_code = lockdown_code,
	    .has_pair_record = ctx->has_pair_record,
	    .still_listed = probe_errors_still_listed(ctx->udid),
	};
	probe_errors_apply(&failure, out);
}

/* Remembers the sockets a library call of session s just opened, so the watchdog can find
 * them later. A new number was free before the call: any other session that still lists it
 * closed it meanwhile, so it leaves that list; closed numbers leave every list. */
static void session_track_fds(struct probe_cache *cache, struct probe_session *s, const int *before,
                              size_t before_count)
{
	int now[PROBE_FDS_MAX], added[PROBE_FDS_MAX];
	size_t now_count = probe_fds_sockets(now, PROBE_FDS_MAX), added_count = 0;
	for (size_t i = 0, j = 0; i < now_count; i++) {
		while (j < before_count && before[j] < now[i])
			j++;
		if (j == before_count || before[j] != now[i])
			added[added_count++] = now[i];
	}
	for (size_t i = 0; i < cache->max_sessions; i++) {
		struct probe_session *other = &cache->sessions[i];
		probe_fdset_prune(&other->fds, now, now_count, other == s ? NULL : added,
		                  other == s ? 0 : added_count);
	}
	for (size_t i = 0; i < added_count; i++)
		probe_fdset_add(&s->fds, added[i]);
}

static void diagnostics_close(struct probe_session *s)
{
	if (s->diagnostics)
		diagnostics_relay_client_free(s->diagnostics);
	s->diagnostics = NULL;
}

/* broken: shut the sockets first, so StopSession and TLS shutdown fail at once instead of
 * waiting 30 s for a device that no longer answers. */
static void session_close(struct probe_session *s, bool broken)
{
	if (broken)
		for (size_t i = 0; i < s->fds.count; i++)
			shutdown(s->fds.fds[i], SHUT_RDWR);
	diagnostics_close(s);
	if (s->lockdown)
		lockdownd_client_free(s->lockdown);
	if (s->device)
		idevice_free(s->device);
	probe_fdset_clear(&s->fds);
	memset(s, 0, sizeof(*s));
}

static void session_close_bounded(struct probe_cache *cache, struct probe_session *s)
{
	probe_watchdog_arm(cache->watchdog, CLOSE_TIMEOUT_MS, s->fds.fds, s->fds.count);
	session_close(s, false);
	probe_watchdog_disarm(cache->watchdog);
}

struct probe_cache *probe_cache_new(size_t max_sessions)
{
	struct probe_cache *cache = calloc(1, sizeof(*cache));
	if (!cache)
		return NULL;
	cache->max_sessions = max_sessions ? max_sessions : 1;
	cache->sessions = calloc(cache->max_sessions, sizeof(*cache->sessions));
	cache->watchdog = probe_watchdog_new();
	if (!cache->sessions || !cache->watchdog) {
		probe_cache_free(cache);
		return NULL;
	}
	return cache;
}

static struct probe_session *session_find(struct probe_cache *cache, const char *udid)
{
	for (size_t i = 0; i < cache->max_sessions; i++)
		if (strcmp(cache->sessions[i].udid, udid) == 0)
			return &cache->sessions[i];
	return NULL;
}

/* The device's slot, or a free one, or the least recently used one emptied. */
static struct probe_session *session_slot(struct probe_cache *cache, const char *udid)
{
	struct probe_session *found = session_find(cache, udid);
	if (found)
		return found;
	struct probe_session *oldest = &cache->sessions[0];
	for (size_t i = 0; i < cache->max_sessions; i++) {
		struct probe_session *s = &cache->sessions[i];
		if (s->udid[0] == '\0') {
			oldest = s;
			break;
		}
		if (s->last_used < oldest->last_used)
			oldest = s;
	}
	if (oldest->udid[0] != '\0')
		session_close_bounded(cache, oldest);
	strlcpy_safe(oldest->udid, udid, sizeof(oldest->udid));
	return oldest;
}

void probe_cache_forget(struct probe_cache *cache, const char *udid)
{
	struct probe_session *s = session_find(cache, udid);
	if (s)
		session_close_bounded(cache, s);
}

void probe_cache_free(struct probe_cache *cache)
{
	if (!cache)
		return;
	for (size_t i = 0; cache->sessions && cache->watchdog && i < cache->max_sessions; i++)
		if (cache->sessions[i].udid[0] != '\0')
			session_close_bounded(cache, &cache->sessions[i]);
	probe_watchdog_free(cache->watchdog);
	free(cache->sessions);
	free(cache);
}

static bool needs_trust_or_unlock(enum probe_status status)
{
	return status == PROBE_NOT_PAIRED || status == PROBE_TRUST_PENDING ||
	       status == PROBE_PAIRING_DENIED || status == PROBE_LOCKED_SINCE_BOOT;
}

/* Looks ctx->udid up again in a fresh device list (the handle came from an old one). */
static bool lookup_again(struct probe_session *s, struct probe_ctx *ctx)
{
	device_lookup_invalidate();
	idevice_free(s->device);
	s->device = NULL;
	return idevice_new_with_options(&s->device, ctx->udid, IDEVICE_LOOKUP_USBMUX) ==
	       IDEVICE_E_SUCCESS;
}

/* The handshake, with a second lookup when the first answer came from an old device list and
 * the handshake failed in any way: usbmuxd numbers phones from 1 again when it restarts, so
 * an old handle may connect to another phone, which refuses this one's record (and must
 * never be asked to pair in its name). */
static lockdownd_error_t handshake(struct probe_session *s, struct probe_ctx *ctx, bool cached)
{
	lockdownd_error_t err =
	    lockdownd_client_new_with_handshake(s->device, &s->lockdown, PROBE_LABEL);
	if (err == LOCKDOWN_E_SUCCESS || !cached)
		return err;
	if (!lookup_again(s, ctx))
		return err;
	return lockdownd_client_new_with_handshake(s->device, &s->lockdown, PROBE_LABEL);
}

static bool session_open(struct probe_session *s, struct probe_ctx *ctx, struct device_facts *out)
{
	ctx->doing = "usbmuxd lookup";
	device_lookup_begin();
	idevice_error_t ierr =
	    idevice_new_with_options(&s->device, ctx->udid, IDEVICE_LOOKUP_USBMUX);
	bool cached = device_lookup_end();
	if (ierr != IDEVICE_E_SUCCESS) {
		out->status = PROBE_VANISHED;
		snprintf(out->error, sizeof(out->error), "usbmuxd does not list the device (%d)",
		         ierr);
		return false;
	}
	probe_trace_mark(ctx->trace, STEP_LOOKUP);
	ctx->trace->cold = true;
	bool no_pair = ctx->flags & PROBE_FLAG_NO_PAIR;
	if (no_pair && !(ctx->has_pair_record = probe_errors_has_pair_record(ctx->udid))) {
		/* The handshake would Pair by itself (and show Trust): backupd pairs, or not. */
		out->status = PROBE_NOT_PAIRED;
		snprintf(out->error, sizeof(out->error),
		         "no pair record for this phone on this host");
		/* No handshake proves whom an old handle reaches: ask by a fresh one. */
		if (!cached || lookup_again(s, ctx)) {
			ctx->doing = "GetValue (root, no session)";
			probe_plain_identity(s->device, out);
		}
		return false;
	}
	int before[PROBE_FDS_MAX];
	size_t before_count = probe_fds_sockets(before, PROBE_FDS_MAX);
	ctx->doing = "lockdownd handshake";
	handshake_wait_begin(before, before_count);
	lockdownd_error_t err = handshake(s, ctx, cached);
	if (err == LOCKDOWN_E_INVALID_HOST_ID) {
		ctx->has_pair_record = probe_errors_has_pair_record(ctx->udid);
		if (ctx->has_pair_record && no_pair)
			out->record_rejected = true; /* expired or reset: backupd decides */
		else if (ctx->has_pair_record) {
			ctx->doing = "Pair (host not known to the device)";
			err = probe_plain_ask_to_pair(s->device);
		}
		if (err == LOCKDOWN_E_PASSWORD_PROTECTED)
			ctx->has_pair_record =
			    0; /* a record the device forgot: locked, not paired */
		if (ctx->has_pair_record && err == LOCKDOWN_E_SUCCESS) {
			ctx->doing = "lockdownd handshake after pairing";
			err = lockdownd_client_new_with_handshake(s->device, &s->lockdown,
			                                          PROBE_LABEL);
		}
	}
	handshake_wait_end();
	session_track_fds(ctx->cache, s, before, before_count);
	probe_trace_mark(ctx->trace, STEP_HANDSHAKE);
	if (err != LOCKDOWN_E_SUCCESS) {
		s->lockdown = NULL;
		fail(ctx, err, out);
		if (needs_trust_or_unlock(out->status)) {
			ctx->doing = "GetValue (root, no session)";
			probe_plain_identity(s->device, out);
		}
		return false;
	}
	ctx->has_pair_record = 1;
	return true;
}

/* The device answered, but withholds this domain: its facts stay unknown. */
static bool is_refusal(lockdownd_error_t err)
{
	return err == LOCKDOWN_E_MISSING_KEY || err == LOCKDOWN_E_MISSING_VALUE ||
	       err == LOCKDOWN_E_GET_PROHIBITED;
}

/* Errors after which a cached session is presumed dead and worth one reconnect. A receive
 * timeout is not: a second try would double the time a hung device costs. */
static bool is_connection_error(lockdownd_error_t err)
{
	switch (err) {
	case LOCKDOWN_E_PLIST_ERROR:
	case LOCKDOWN_E_SSL_ERROR:
	case LOCKDOWN_E_MUX_ERROR:
	case LOCKDOWN_E_UNKNOWN_ERROR:
	case LOCKDOWN_E_NO_RUNNING_SESSION:
	case LOCKDOWN_E_SESSION_INACTIVE:
	case LOCKDOWN_E_INVALID_SESSION_ID:
		return true;
	default:
		return false;
	}
}

struct domain_read {
	const char *domain; /* NULL: the root domain */
	const char *key;    /* NULL: the whole domain as a dict */
	const char *doing;
	void (*apply)(plist_t value, struct device_facts *out);
	enum probe_step step;
};

static const struct domain_read domain_reads[] = {
    {NULL, NULL, "GetValue (root)", probe_values_root, STEP_ROOT},
    {"com.apple.mobile.backup", NULL, "GetValue com.apple.mobile.backup", probe_values_backup,
     STEP_BACKUP},
    {"com.apple.mobile.battery", NULL, "GetValue com.apple.mobile.battery", probe_values_battery,
     STEP_BATTERY},
    {"com.apple.disk_usage", NULL, "GetValue com.apple.disk_usage", probe_values_disk, STEP_DISK},
};

static lockdownd_error_t read_domain(lockdownd_client_t lockdown, const struct domain_read *read,
                                     struct probe_ctx *ctx, struct device_facts *out)
{
	plist_t value = NULL;
	ctx->doing = read->doing;
	lockdownd_error_t err = lockdownd_get_value(lockdown, read->domain, read->key, &value);
	probe_trace_mark(ctx->trace, read->step);
	/* A withheld domain is read as an empty answer: its facts are unknown, and a withheld
	 * backup domain makes the last backup date unreadable, not "never". */
	if (err == LOCKDOWN_E_SUCCESS || is_refusal(err))
		read->apply(err == LOCKDOWN_E_SUCCESS ? value : NULL, out);
	plist_free(value);
	return is_refusal(err) ? LOCKDOWN_E_SUCCESS : err;
}

/* Some iOS versions leave PasswordProtected out of the whole-domain answer. */
static void apply_password_protected(plist_t value, struct device_facts *out)
{
	if (value && plist_get_node_type(value) == PLIST_BOOLEAN) {
		uint8_t locked = 0;
		plist_get_bool_val(value, &locked);
		out->password_protected = locked ? TRI_YES : TRI_NO;
	}
}

static const struct domain_read password_read = {NULL, "PasswordProtected",
                                                 "GetValue PasswordProtected",
                                                 apply_password_protected, STEP_PASSWORD};

static lockdownd_error_t read_lockdown(struct probe_session *s, struct probe_ctx *ctx,
                                       struct device_facts *out)
{
	for (size_t i = 0; i < sizeof(domain_reads) / sizeof(domain_reads[0]); i++) {
		lockdownd_error_t err = read_domain(s->lockdown, &domain_reads[i], ctx, out);
		if (err != LOCKDOWN_E_SUCCESS)
			return err;
		if (i == 0 && out->password_protected == TRI_UNKNOWN) {
			err = read_domain(s->lockdown, &password_read, ctx, out);
			if (err != LOCKDOWN_E_SUCCESS)
				return err;
		}
	}
	return LOCKDOWN_E_SUCCESS;
}

static bool diagnostics_open(struct probe_cache *cache, struct probe_session *s)
{
	int before[PROBE_FDS_MAX];
	size_t before_count = probe_fds_sockets(before, PROBE_FDS_MAX);
	lockdownd_service_descriptor_t service = NULL;
	handshake_wait_begin(before, before_count);
	if (lockdownd_start_service(s->lockdown, DIAGNOSTICS_SERVICE, &service) !=
	    LOCKDOWN_E_SUCCESS) {
		lockdownd_service_descriptor_free(service);
		service = NULL;
		if (lockdownd_start_service(s->lockdown, DIAGNOSTICS_LEGACY, &service) !=
		    LOCKDOWN_E_SUCCESS) {
			lockdownd_service_descriptor_free(service);
			handshake_wait_end();
			return false;
		}
	}
	diagnostics_relay_error_t err =
	    diagnostics_relay_client_new(s->device, service, &s->diagnostics);
	handshake_wait_end();
	lockdownd_service_descriptor_free(service);
	session_track_fds(cache, s, before, before_count);
	if (err != DIAGNOSTICS_RELAY_E_SUCCESS)
		s->diagnostics = NULL;
	return err == DIAGNOSTICS_RELAY_E_SUCCESS;
}

/* Wi-Fi is one fact among many: its failure leaves it unknown, not the probe failed. */
static void read_wifi_into(struct probe_session *s, struct probe_ctx *ctx, struct device_facts *out)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		bool opened = s->diagnostics || diagnostics_open(ctx->cache, s);
		probe_trace_mark(ctx->trace, STEP_DIAG_OPEN);
		if (!opened)
			return;
		bool answered = probe_wifi_query(s->diagnostics, out);
		probe_trace_mark(ctx->trace, STEP_WIFI);
		if (answered)
			return;
		diagnostics_close(s);
	}
}

static void probe_session(struct probe_cache *cache, struct probe_session *s, struct probe_ctx *ctx,
                          struct device_facts *out)
{
	bool reused = s->lockdown != NULL;
	for (int attempt = 0;; attempt++) {
		if (!s->lockdown && !session_open(s, ctx, out))
			return;
		lockdownd_error_t err = read_lockdown(s, ctx, out);
		if (err == LOCKDOWN_E_SUCCESS)
			break;
		if (attempt == 0 && reused && is_connection_error(err) &&
		    !probe_watchdog_fired(cache->watchdog)) {
			char udid[UDID_MAX];
			memcpy(udid, s->udid, sizeof(udid));
			session_close(s, true);
			memcpy(s->udid, udid, sizeof(udid));
			facts_init(out, s->udid); /* not ctx->udid: that is out->udid */
			continue;
		}
		fail(ctx, err, out);
		return;
	}
	if (!probe_watchdog_fired(cache->watchdog))
		read_wifi_into(s, ctx, out);
	out->status = PROBE_OK;
}

void probe_run(struct probe_cache *cache, const char *udid, unsigned timeout_ms, unsigned flags,
               struct device_facts *out)
{
	unsigned long long started = monotonic_ms();
	struct probe_trace trace;
	probe_trace_begin(&trace);
	if (timeout_ms == 0)
		timeout_ms = DEFAULT_TIMEOUT_MS;
	facts_init(out, udid);
	struct probe_session *s = session_slot(cache, out->udid);
	probe_trace_mark(&trace, STEP_CLOSE);
	struct probe_ctx ctx = {.cache = cache,
	                        .udid = out->udid,
	                        .doing = "start",
	                        .has_pair_record = -1,
	                        .flags = flags,
	                        .trace = &trace};
	probe_watchdog_arm(cache->watchdog, timeout_ms, s->fds.fds, s->fds.count);
	probe_session(cache, s, &ctx, out);
	bool timed_out = probe_watchdog_disarm(cache->watchdog);
	if (timed_out && out->status != PROBE_OK) {
		out->status = PROBE_UNRESPONSIVE;
		snprintf(out->error, sizeof(out->error), "no answer within %u ms during %s",
		         timeout_ms, ctx.doing);
	}
	if (timed_out || out->status != PROBE_OK)
		session_close(s, true); /* the slot is free again */
	else
		s->last_used = ++cache->uses;
	probe_trace_mark(&trace, STEP_CLOSE);
	probe_trace_end(&trace, out->udid, out->status == PROBE_OK);
	out->probed_at_unix = (int64_t)time(NULL);
	out->probe_ms = (uint32_t)(monotonic_ms() - started);
}
