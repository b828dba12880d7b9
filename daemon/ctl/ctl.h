/* SPDX-License-Identifier: ISC */
/* backupctl's parts, one file each: requests and transport (ctl_socket.c), colours (ctl_color.c),
 * text tables (ctl_table.c), a device's fields as object or row (ctl_fields.c), readiness words
 * (ctl_readiness.c), the verbs' renderers (ctl_status.c, ctl_detail.c, ctl_feed.c,
 * ctl_slots.c). */
#ifndef BACKUPD_CTL_H
#define BACKUPD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

/* Exit codes, documented in --help and backupctl(1), EXIT STATUS. */
enum ctl_exit {
	CTL_EXIT_OK = 0,            /* all devices ready (feed: operational) */
	CTL_EXIT_NOT_READY = 1,     /* some device not ready or unknown (feed: event or unknown) */
	CTL_EXIT_USAGE = 2,         /* bad options or arguments, or no such device */
	CTL_EXIT_UNREACHABLE = 3,   /* daemon unreachable, permission denied, protocol error */
	CTL_EXIT_ACTION_FAILED = 4, /* enable-backup/restart: the action failed on some phone */
};

#define CTL_TIMEOUT_MS         5000
#define CTL_REFRESH_TIMEOUT_MS 35000 /* ProbeTimeout-ish plus margin */

/* A monitoring threshold: more than value devices (or value percent of them) not ready. */
struct ctl_threshold {
	bool set;
	bool percent;
	long long value;
};

/* --state=LIST: a device is shown when it has any of the listed states; 0 = every device. */
enum {
	CTL_STATE_READY = 1u << 0,
	CTL_STATE_NOT_READY = 1u << 1,
	CTL_STATE_UNKNOWN = 1u << 2,
	CTL_STATE_ATTACHED = 1u << 3,
	CTL_STATE_DETACHED = 1u << 4,
};

/* backupctl check's exit status (Monitoring Plugins): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
#define CTL_CHECK_UNKNOWN 3

struct ctl_options {
	const char *socket_path;
	bool json;
	bool legend;
	unsigned states;                        /* CTL_STATE_* bits */
	struct ctl_threshold warning, critical; /* check */
	int timeout_ms;
	bool all; /* --all: actions on every attached phone */
};

/* ---- ctl_socket.c ---- */
/* Sends request (stolen) and returns the ok:true reply. On failure prints the reason on
 * stderr, sets *exit_code (2 for unknown devices, else 3) and returns NULL. */
json_t *ctl_call(const struct ctl_options *options, json_t *request, int *exit_code);
/* Builds a request {"v","verb","devices":[argv...]}. */
json_t *ctl_request(const char *verb, int argc, char **argv);
/* Prints the reply as indented JSON on stdout (--json). */
void ctl_print_json(const json_t *reply);

/* ---- ctl_color.c ---- */
enum ctl_color {
	CTL_COLOR_NONE, /* always "": plain text */
	CTL_COLOR_RESET,
	CTL_COLOR_GREEN,
	CTL_COLOR_RED,
	CTL_COLOR_YELLOW,
	CTL_COLOR_GREY,
	CTL_COLOR_BOLD
};
/* On when stdout is a terminal and NO_COLOR is unset. */
void ctl_color_init(void);
/* The escape sequence, or "" when colour is off, so callers never branch. */
const char *ctl_color(enum ctl_color color);

/* ---- ctl_table.c ---- */
/* Long cells are cut with an ellipsis only on a terminal, and never with --full. */
void ctl_table_clip_init(bool full);
struct ctl_column {
	const char *header;
	int max_width; /* longer cells are clipped with an ellipsis; 0 = no limit */
};
struct ctl_table;
struct ctl_table *ctl_table_new(const struct ctl_column *columns, int n_columns);
/* Appends a row; cells are copied. colors may be NULL (none) or one per cell. */
void ctl_table_add(struct ctl_table *table, const char *const *cells, const enum ctl_color *colors);
void ctl_table_print(const struct ctl_table *table, FILE *out, bool header);
void ctl_table_free(struct ctl_table *table);

/* ---- ctl_status.c ---- */
int ctl_verb_status(const struct ctl_options *options, int argc, char **argv);
int ctl_verb_refresh(const struct ctl_options *options, int argc, char **argv);
/* A status-shaped reply as the status verb prints it (table or JSON); its exit code. */
int ctl_print_status_reply(const struct ctl_options *options, json_t *reply);
/* "Cart 3/7" (or the port path) from an object's cart, slot and port_path; "" = not known. */
const char *ctl_slot_label(const json_t *object, char *buffer, size_t size);
/* The exit code of a status-like reply: 0 when no device is not ready. */
int ctl_status_exit(const json_t *reply);

/* ---- ctl_readiness.c ---- */
enum ctl_readiness { CTL_READY, CTL_NOT_READY, CTL_UNKNOWN };
/* The device's "readiness" (absent or unknown word = CTL_UNKNOWN). */
enum ctl_readiness ctl_device_readiness(const json_t *device);
/* "ready", "not-ready", "unknown": the spelling of --state and of the script rows. */
const char *ctl_readiness_name(enum ctl_readiness readiness);
/* "yes", "no" or "unknown" for the READY column, and its colour. */
const char *ctl_readiness(const json_t *device, enum ctl_color *color);
/* For a device without "last_backup": "never" when a probe read it (status ok), else "-"
 * (not read yet in this attachment, or unreachable: nothing is known). */
const char *ctl_no_backup_word(const json_t *device);
/* ---- ctl_action.c ---- */
int ctl_verb_enable_backup(const struct ctl_options *options, int argc, char **argv);
int ctl_verb_restart(const struct ctl_options *options, int argc, char **argv);
int ctl_verb_pair(const struct ctl_options *options, int argc, char **argv);
int ctl_verb_unpair(const struct ctl_options *options, int argc, char **argv);

/* ---- ctl_detail.c ---- */
void ctl_print_detail(const struct ctl_options *options, const json_t *device, const json_t *reply);

/* ---- ctl_slots.c ---- */
int ctl_render_slots(const struct ctl_options *options, const json_t *reply);

/* ---- ctl_feed.c ---- */
/* A verb's reply, as text or (--json) as it came; returns the exit status. */
int ctl_render_feed(const struct ctl_options *options, const json_t *reply);
/* "operational", "Outage, started 2 h ago", ...: for summary lines. */
const char *ctl_feed_summary(const json_t *feed, int64_t now, char *buffer, size_t size);

/* ---- ctl_filter.c ---- */
/* "not-ready,detached" into CTL_STATE_* bits; -1 on an unknown name. */
int ctl_states_parse(const char *text, unsigned *states);
/* Keeps the devices in options->states and recounts the summary for them. */
void ctl_filter_reply(const struct ctl_options *options, json_t *reply);

/* ---- ctl_fields.c ---- */
/* Takes the reply's "columns" (a rows reply) for ctl_get; none = devices are objects. */
void ctl_columns_use(const json_t *reply);
/* A device's field by name, from its object or its row; NULL when absent. */
const json_t *ctl_get(const json_t *device, const char *key);

/* ---- ctl_rows.c ---- */
/* --no-legend: tab-separated rows with machine values (backupctl(1), SCRIPT OUTPUT). */
void ctl_print_rows(const json_t *reply);

/* ---- ctl_check.c ---- */
int ctl_verb_check(const struct ctl_options *options, int argc, char **argv);
/* "5" or "20%"; -1 when it is neither. */
int ctl_threshold_parse(const char *text, struct ctl_threshold *threshold);

#endif
