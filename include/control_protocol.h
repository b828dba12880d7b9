/* The control socket protocol between backupctl and backupd.
 *
 * Transport: UNIX stream socket (default /run/backupd/control). One JSON object per line
 * each way; a request line is at most CONTROL_REQUEST_MAX bytes including the newline.
 * Every request and reply carries "v": CONTROL_PROTOCOL_VERSION; a daemon that gets another
 * version answers {"v":N,"ok":false,"error":"protocol version ..."} and closes.
 *
 * Requests:
 *   {"v":1,"verb":"status","devices":["UDID or name", ...],"detail":bool}
 *       devices empty/absent = all; detail adds "preconditions" to each device.
 *   {"v":1,"verb":"refresh","devices":[...]}       probe now; reply when done or timed out
 *   {"v":1,"verb":"feed"}
 *
 * Replies: {"v":1,"ok":true, ...} or {"v":1,"ok":false,"error":"text"}.
 *   status:  "now": unix seconds,
 *            "summary": {"devices":N,"ready":N,"not_ready":N,"attached":N},
 *            "feed": <feed object, below>,
 *            "devices": [ {
 *               "udid","name","product_type","ios": strings ("" when unknown),
 *               "attached": bool, "ready": bool,
 *               "probe_status": "ok"|"not_yet"|"not_paired"|... (probe_status_name),
 *               "blockers": ["backup-off", ...]  (precondition_info.blocker of failing rows),
 *               "battery_percent": int or null, "charging": bool or null,
 *               "external_power": bool or null,
 *               "last_backup": unix seconds or null, "probed_at": unix seconds or null,
 *               "preconditions": [ {"name","state":"ok"|"failing"|"unknown","reason","fix"} ]
 *                                (only with "detail":true) } ]
 *   refresh: "refreshed": N, "timed_out": N, then the same fields as status.
 *   feed:    "feed": {"state": "unknown"|"operational"|"event",
 *                     "unreachable": bool, "unreachable_since": unix or null,
 *                     "last_error": string, "last_good": unix or null,
 *                     "active": [ {"status_type","event_status","message","start","end"} ],
 *                     "upcoming": [ same ] }
 */
#ifndef BACKUPD_CONTROL_PROTOCOL_H
#define BACKUPD_CONTROL_PROTOCOL_H

#define CONTROL_PROTOCOL_VERSION 1
#define CONTROL_REQUEST_MAX 4096
#define CONTROL_DEFAULT_SOCKET "/run/backupd/control"

#endif
