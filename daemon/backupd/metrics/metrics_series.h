/* SPDX-License-Identifier: ISC */
/* metrics_series: one render of /metrics (its per-render caches) and the pieces of the lines
 * every family's renderer writes (metrics_render.c). Inline, as mt_bytes: a 1000-device scrape
 * writes some 40,000 series. */
#ifndef BACKUPD_METRICS_SERIES_H
#define BACKUPD_METRICS_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "metrics_process.h"
#include "metrics_text.h"
#include "metrics_values.h"
#include "metrics_view.h"

#define SUFFIX_MAX 96

struct metrics_render_cursor; /* metrics_render.h */

/* One part of a render (metrics_render_part) and its caches: what every line of a family
 * repeats is escaped or formatted once. */
struct render {
	struct metrics_text *out;
	const struct metrics_view *view;
	struct metrics_render_cursor *cursor;
	struct process_stats process; /* read by the part's first process_* family */
	bool process_read;
	struct timespec started; /* of this part */
	const char *name;        /* the family being written, and its length */
	size_t name_length;
	struct metrics_text udids; /* every record's udid, quoted and escaped, back to back */
	size_t *udid_at;           /* n_records + 1 offsets into udids */
	char precondition_suffix[PRECOND_COUNT][3][SUFFIX_MAX]; /* ,precondition="x",state="y"} */
	size_t precondition_suffix_length[PRECOND_COUNT][3];
};

/* One row of the families table (metrics_render.c): its name, type and help live only there. */
struct metric_family;
typedef void render_fn(struct render *r, const struct metric_family *family);
struct metric_family {
	const char *name;
	const char *type;
	const char *help;
	render_fn *render; /* NULL: a gauge per device, from value */
	metrics_device_value_fn *value;
	size_t process_field; /* render_process: offset of the value in struct process_stats */
};

/* # HELP and # TYPE of family; r->name becomes its name. */
static inline void metrics_header(struct render *r, const struct metric_family *family)
{
	r->name = family->name;
	r->name_length = strlen(family->name);
	mt_str(r->out, "# HELP ");
	mt_str(r->out, family->name);
	mt_str(r->out, " ");
	mt_str(r->out, family->help);
	mt_str(r->out, "\n# TYPE ");
	mt_str(r->out, family->name);
	mt_str(r->out, " ");
	mt_str(r->out, family->type);
	mt_str(r->out, "\n");
}

#define MT_LITERAL(text, literal) mt_bytes(text, literal, sizeof(literal) - 1)

/* `name{label="value"` without the closing brace: callers add more labels or "} ". */
static inline void open_series(struct render *r, const char *name, const char *label,
                               const char *value)
{
	mt_str(r->out, name);
	mt_str(r->out, "{");
	mt_str(r->out, label);
	mt_str(r->out, "=");
	mt_label_value(r->out, value);
}

static inline void add_label(struct render *r, const char *label, const char *value)
{
	mt_str(r->out, ",");
	mt_str(r->out, label);
	mt_str(r->out, "=");
	mt_label_value(r->out, value);
}

static inline void close_int(struct render *r, int64_t value)
{
	mt_str(r->out, "} ");
	mt_int(r->out, value);
	mt_str(r->out, "\n");
}

/* `name{udid="..."` for record i of the family header() began. */
static inline void device_series(struct render *r, size_t i)
{
	mt_bytes(r->out, r->name, r->name_length);
	MT_LITERAL(r->out, "{udid=");
	mt_bytes(r->out, r->udids.data + r->udid_at[i], r->udid_at[i + 1] - r->udid_at[i]);
}

static inline void bool_value(struct render *r, bool value)
{
	mt_bytes(r->out, value ? "1\n" : "0\n", 2);
}

static inline void bare_int(struct render *r, const char *name, int64_t value)
{
	mt_str(r->out, name);
	mt_str(r->out, " ");
	mt_int(r->out, value);
	mt_str(r->out, "\n");
}

static inline void bare_double(struct render *r, const char *name, double value)
{
	mt_str(r->out, name);
	mt_str(r->out, " ");
	mt_double(r->out, value);
	mt_str(r->out, "\n");
}

static inline void bare_uint(struct render *r, const char *name, uint64_t value)
{
	mt_str(r->out, name);
	MT_LITERAL(r->out, " ");
	mt_uint(r->out, value);
	MT_LITERAL(r->out, "\n");
}

#endif
