/* SPDX-License-Identifier: ISC */
/* The control socket protocol between backupctl and backupd.
 *
 * Transport: UNIX stream socket (default /run/backupd/control, mode 0660, group from the
 * config; or the socket systemd passes). Only root and members of that group are served;
 * anyone else gets one line {"v":1,"ok":false,"error":"permission denied: ..."} and is
 * closed. One JSON object per line each way; a request line is at most CONTROL_REQUEST_MAX
 * bytes including the newline. Requests on one connection are answered in order, one at
 * a time. Every request and reply carries "v": CONTROL_PROTOCOL_VERSION.
 *
 * The server answers {"v":1,"ok":false,"error":...} and then closes when a request is not
 * JSON or not an object ("malformed request"), too long ("request too long"), or of another
 * version ("protocol version mismatch ..."). An unknown verb gets an error reply and the
 * connection stays open. A connection idle, half-sent or not reading its reply for more
 * than the idle limit (5 s) is closed; one whose queued output passes the high-water mark
 * is dropped; past the client limit (256) new connections get "too many clients".
 *
 * Requests:
 *   {"v":1,"verb":"status","devices":["UDID or name", ...],"detail":bool,"fields":[...],
 *    "rows":bool}
 *       devices empty/absent = all; detail adds "preconditions" to each device; fields
 *       (absent = all) names the device fields wanted, e.g. ["name","readiness"]: the others
 *       are left out, and names the daemon does not know are ignored (a table client asks
 *       for what it prints: a smaller reply to parse). rows (not with detail): the reply
 *       holds "columns": [the fields it carries, in its order] and each device in "devices"
 *       is an array of their values in that order, null for one an object would leave out
 *       ("restarting" when no restart waits): no keys to parse, a third of the work at
 *       1000 phones. backupctl's table asks for rows; --json never does.
 *   {"v":1,"verb":"refresh","devices":[...]}       probe now; reply when done or timed out
 *   {"v":1,"verb":"feed"}
 *   {"v":1,"verb":"enable-backup","devices":[...]} or {...,"all":true}
 *   {"v":1,"verb":"restart","devices":[...]}       or {...,"all":true}
 *       actions ([Actions] Allow=; root or ActionGroup=). Refused requests, no devices
 *       without "all", or unknown devices answer ok:false with "error" (and "unmatched").
 *   {"v":1,"verb":"slots"}
 *
 * Replies: {"v":1,"ok":true, ...} or {"v":1,"ok":false,"error":"text"}.
 *   A status or refresh naming devices that match no UDID and no name exactly answers
 *   {"v":1,"ok":false,"error":"no such device: a, b","unmatched":["a","b"]}.
 *   status:  "now": unix seconds (the daemon's clock; relative times are computed from it),
 *            "summary": {"devices":N,"ready":N,"not_ready":N,"unknown":N,"attached":N}
 *                       (ready + not_ready + unknown = devices: the devices shown),
 *            "feed": <feed object, below>,
 *            "probe_helpers": {"failing": bool (helpers cannot start or die at once: no
 *                              phone can be read), "reason": string, "since": unix or null,
 *                              "spawn_attempts": N, "retry_in_ms": N},
 *            "devices": [ {        (sorted by name, then UDID; detached ones included;
 *                                   with [Hub]/[Slot] sections configured, phones in named
 *                                   ports first, by cart and slot)
 *               "udid","name","product_type","ios": strings ("" when unknown),
 *               "attached": bool, "restarting": true (present only while a backupctl
 *                            restart waits for the phone to come back),
 *               "readiness": "ready"|"not_ready"|"unknown" (the rule: verdicts_readiness in
 *                            preconditions.h; a detached device is "unknown"),
 *               "ready": bool (readiness is "ready"; kept for older clients: never true
 *                        when anything needed is unknown),
 *               "probe_status": "ok"|"not_yet"|"not_paired"|... (probe_status_name),
 *               "probe_error": string ("" when none),
 *               "blockers": ["backup-off", ...]  (precondition_info.blocker of failing rows),
 *               "battery_percent": int or null, "charging": bool or null,
 *               "external_power": bool or null,
 *               "last_backup": unix seconds or null, "probed_at": unix seconds or null,
 *               "port_path": the USB port it is in now ("1-2.3", the kernel's name) or null
 *                            (detached, or not found: usbmuxd over the network, no /sys),
 *               "cart", "slot": what [Hub]/[Slot] sections call that port, or null,
 *               "usb_speed_mbps": link speed or null,
 *               "off_cart": bool (OnCartHours: not attached during those hours, announced;
 *                           "off-cart" is then also in "blockers"),
 *               "ios_update": what the iOS catalog says of its version, or null (not
 *                             judged: no catalog, no version read): {"state": "current"|
 *                             "available"|"ended" (no release supports the model any more)|
 *                             "not-listed" (an iPad, a model newer than the catalog),
 *                             "version": the update to install (of its own train; with
 *                             [IOS] Target=latest, the newest the model runs) or null,
 *                             "released": its release date (unix) or null, "latest": the
 *                             newest release for the model (any train) or null,
 *                             "behind_since": release date of the first update it lacks or
 *                             null, "exploited_since": the same for the first that fixes
 *                             actively exploited CVEs or null, "exploited_count": N (each
 *                             CVE once), "exploited_cves": ["CVE-...", ...] (which actively
 *                             exploited CVEs installing it fixes)},
 *               "preconditions": [ {"name","state":"ok"|"failing"|"unknown","reason","fix"} ]
 *                                (only with "detail":true; table order) } ]
 *   refresh: "refreshed": N, "timed_out": N, then the same fields as status.
 *   enable-backup, restart: the status fields for the named devices (after a fresh probe),
 *            "actions": [ {"udid","name","action","outcome": "done"|"no-icloud-account"|
 *               "restricted"|"locked"|"not-paired"|"phone-error"|"failed"|"timed-out"|
 *               "helper-lost"|"not-attached"|"not-back", "message": string, "code": int
 *               (the phone's ErrorCode for phone-error) } ]. A restart answers once each
 *               phone is back and probed, or RestartTimeout passed (not-back).
 *   slots:   "now": unix seconds, "slots": [ {   (every port a phone was seen in, by cart
 *                                                 and slot, unnamed ports last)
 *               "port_path": string, "cart", "slot": string or null, "configured": bool,
 *               "udid", "name": the phone in it now, or null (empty),
 *               "usb_speed_mbps": int or null,
 *               "empty_since": unix seconds or null (null while a phone is in it),
 *               "last_udid", "last_name": the phone whose stay there ended last, or null,
 *               "last_seen": when that stay ended, or null } ]
 *   feed:    "now": unix seconds,
 *            "feed": {"state": "unknown"|"operational"|"event",
 *                     "unreachable": bool, "unreachable_since": unix or null,
 *                     "last_error": string, "last_good": unix or null,
 *                     "active": [ {"status_type","event_status","message","start","end"} ],
 *                     "upcoming": [ same ] }      (start/end: unix or null)
 *
 * backupctl --json prints the reply object as is (these fields). Its exit codes: 0 all
 * devices shown ready (feed: operational), 1 some not ready or unknown, or probe helpers
 * failing (feed: event or unknown),
 * 2 usage error or no such device, 3 daemon unreachable, permission denied or protocol error,
 * 4 (enable-backup, restart) the action failed on some phone.
 */
#ifndef BACKUPD_CONTROL_PROTOCOL_H
#define BACKUPD_CONTROL_PROTOCOL_H

#define CONTROL_PROTOCOL_VERSION 1
#define CONTROL_REQUEST_MAX      4096
#define CONTROL_DEFAULT_SOCKET   "/run/backupd/control"

#endif
