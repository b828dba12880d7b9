/* SPDX-License-Identifier: ISC */
/* status_stream: a status reply of 1000 devices with detail is 1.7 MB of JSON, built in tens
 * of milliseconds. Built whole, 50 clients that ask and never read made every other client
 * wait seconds. Here the head (summary, feed) is built at once and the devices a piece at a
 * time, only while the client reads: a stalled reader costs one piece. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "control.h"
#include "control_protocol.h"
#include "facts.h"
#include "fleet.h"
#include "status_json.h"
#include "status_stream.h"
#include "xmalloc.h"

#define PIECE_BYTES (8u << 10)

struct status_stream {
	struct fleet *fleet;
	const struct port_names *names;
	char *head; /* the reply up to and including "devices":[ */
	char (*udids)[UDID_MAX];
	size_t n, next;
	struct status_shape shape;
	bool wrote_device;
	struct text_buffer text; /* one device's text, reused */
};

static void release(void *arg)
{
	struct status_stream *stream = arg;
	free(stream->head);
	free(stream->udids);
	text_buffer_free(&stream->text);
	free(stream);
}

static void append_device(struct status_stream *stream, struct evbuffer *out,
                          const struct device_record *record)
{
	struct text_buffer *text = &stream->text;
	text_buffer_clear(text);
	if (stream->wrote_device)
		text_buffer_add(text, ",");
	const struct port_names *names = stream->names;
	if (stream->shape.rows)
		device_fields_row_text(text, record, names, stream->shape.fields);
	else
		device_fields_text(text, record, names, stream->shape.fields);
	if (stream->shape.detail &&
	    !stream->shape.rows) { /* the object reopened for its preconditions */
		json_t *preconditions = preconditions_json(record);
		char *array = json_dumps(preconditions, JSON_COMPACT);
		json_decref(preconditions);
		text->data[--text->length] = '\0';
		text_buffer_add(text, ",\"preconditions\":");
		text_buffer_add(text, array ? array : "[]");
		text_buffer_add(text, "}");
		free(array);
	}
	evbuffer_add(out, text->data, text->length);
	stream->wrote_device = true;
}

static bool piece(void *arg, struct evbuffer *out)
{
	struct status_stream *stream = arg;
	if (stream->head) {
		evbuffer_add(out, stream->head, strlen(stream->head));
		free(stream->head);
		stream->head = NULL;
		return true;
	}
	size_t start = evbuffer_get_length(out);
	while (stream->next < stream->n && evbuffer_get_length(out) - start < PIECE_BYTES) {
		const struct device_record *record =
		    fleet_record(stream->fleet, stream->udids[stream->next++]);
		if (record)
			append_device(stream, out, record);
	}
	if (stream->next < stream->n)
		return true;
	evbuffer_add(out, "]}\n", 3);
	return false;
}

static const struct control_stream_ops ops = {piece, release};

/* "{...,"feed":{...}}" becomes "{...,"feed":{...},"devices":[". */
static char *open_head(json_t *head)
{
	json_object_set_new(head, "v", json_integer(CONTROL_PROTOCOL_VERSION));
	char *text = json_dumps(head, JSON_COMPACT);
	if (text == NULL)
		return NULL;
	size_t length = strlen(text);
	static const char tail[] = ",\"devices\":[";
	char *opened = xmalloc(length + sizeof(tail));
	memcpy(opened, text, length - 1); /* without the closing brace */
	memcpy(opened + length - 1, tail, sizeof(tail));
	free(text);
	return opened;
}

void status_stream_reply(struct control_client *client, struct fleet *fleet,
                         const struct port_names *names, const char *const *filters,
                         size_t n_filters, struct status_shape shape, json_t *extra)
{
	size_t n;
	const struct device_record *const *records = fleet_records(fleet, &n);
	const struct device_record **sorted;
	size_t total;
	json_t *head = status_json_head(records, n, names, fleet_feed(fleet), clock_wall_unix(),
	                                filters, n_filters, &sorted, &total);
	if (sorted == NULL) { /* an error reply */
		json_decref(extra);
		control_client_reply(client, head);
		return;
	}
	if (extra)
		json_object_update(head, extra);
	json_decref(extra);
	if (shape.rows)
		json_object_set_new(head, "columns", device_fields_names(shape.fields));
	struct status_stream *stream = xcalloc(1, sizeof(*stream));
	stream->fleet = fleet;
	stream->names = names;
	stream->shape = shape;
	stream->udids = xcalloc(total ? total : 1, sizeof(*stream->udids));
	for (size_t i = 0; i < total; i++)
		strlcpy_safe(stream->udids[i], sorted[i]->udid, UDID_MAX);
	stream->n = total;
	free(sorted);
	stream->head = open_head(head);
	json_decref(head);
	if (stream->head == NULL) {
		release(stream);
		control_client_reply_error(client, "out of memory");
		return;
	}
	control_client_stream(client, &ops, stream);
}
