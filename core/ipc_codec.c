/* core/ipc_codec.c — JSON-lines framing, request parsing and replies for the
 * client protocol (see ipc.h). Shared by the engine and the console. */
#include "core/ipc.h"

#include <stdio.h>
#include <string.h>

void sd_ipc_reader_init_max(struct sd_ipc_reader *r, size_t max_line)
{
	memset(r, 0, sizeof *r);
	r->max_line = max_line;
	/* room for one maximal line plus what arrived behind it */
	sd_buf_init(&r->buf, max_line + 65536);
}

void sd_ipc_reader_init(struct sd_ipc_reader *r)
{
	sd_ipc_reader_init_max(r, SD_IPC_MAX_LINE);
}

void sd_ipc_reader_done(struct sd_ipc_reader *r)
{
	sd_buf_done(&r->buf);
}

/* Forget bytes already handed out, so the buffer never grows with the
 * connection's lifetime. */
static void compact(struct sd_ipc_reader *r)
{
	if (r->consumed) {
		sd_buf_consume(&r->buf, r->consumed);
		r->consumed = 0;
	}
}

/* The partial line at the end is over the cap: drop it, and the rest of it
 * as it arrives; complete lines before it are kept. */
static void start_discarding(struct sd_ipc_reader *r)
{
	char *base = r->buf.data + r->consumed;
	size_t avail = r->buf.len - r->consumed;
	char *lf = avail ? memrchr(base, '\n', avail) : NULL;
	r->buf.len = lf ? (size_t)(lf + 1 - r->buf.data) : r->consumed;
	r->buf.data[r->buf.len] = '\0';
	r->scanned = 0;
	r->discarding = true;
	r->overflowed = true;
}

void sd_ipc_reader_feed(struct sd_ipc_reader *r, const char *data, size_t n)
{
	compact(r);
	while (n) {
		size_t room, take;
		if (r->discarding) {
			const char *lf = memchr(data, '\n', n);
			if (!lf)
				return;
			n -= (size_t)(lf + 1 - data);
			data = lf + 1;
			r->discarding = false;
			continue;
		}
		room = r->buf.max - r->buf.len;
		take = n < room ? n : room;
		if (take == 0) {
			/* full without an LF in the partial line: it is too long */
			start_discarding(r);
			continue;
		}
		sd_buf_add(&r->buf, data, take);
		data += take;
		n -= take;
	}
}

int sd_ipc_reader_next(struct sd_ipc_reader *r, char **line, size_t *len, bool *overflow)
{
	*overflow = false;
	for (;;) {
		char *start, *lf;
		size_t avail = r->buf.len - r->consumed;

		if (!r->buf.data || avail <= r->scanned) {
			if (r->overflowed) {
				r->overflowed = false;
				*overflow = true;
				*line = NULL;
				*len = 0;
				return 1;
			}
			return 0;
		}
		start = r->buf.data + r->consumed;   /* not before: data may be NULL */
		lf = memchr(start + r->scanned, '\n', avail - r->scanned);
		if (!lf) {
			/* do not rescan a long partial line on every feed */
			r->scanned = avail;
			if (avail > r->max_line)
				start_discarding(r);
			continue;
		}
		r->scanned = 0;
		r->consumed += (size_t)(lf - start) + 1;
		if ((size_t)(lf - start) > r->max_line) {
			*overflow = true;
			*line = NULL;
			*len = 0;
			return 1;
		}
		*lf = '\0';
		if (lf > start && lf[-1] == '\r')
			*--lf = '\0';
		if (lf == start)
			continue;   /* blank lines are keep-alives */
		*line = start;
		*len = (size_t)(lf - start);
		return 1;
	}
}

int sd_ipc_request_parse(const char *line, size_t len, struct sd_ipc_request *req,
			 const char **code, char *msg, size_t msgsz)
{
	json_error_t jerr;
	char clean[sizeof jerr.text * 4];
	json_t *op;

	memset(req, 0, sizeof *req);
	req->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->root) {
		*code = SD_IPC_E_PARSE;
		/* jansson quotes the offending input: never echo raw bytes */
		sd_sanitize(clean, sizeof clean, jerr.text, strlen(jerr.text));
		snprintf(msg, msgsz, "invalid JSON at column %d: %s", jerr.column, clean);
		return -1;
	}
	if (!json_is_object(req->root)) {
		*code = SD_IPC_E_PARSE;
		snprintf(msg, msgsz, "a request must be a JSON object");
		return -1;
	}
	req->id = json_object_get(req->root, "id");
	if (req->id && !json_is_integer(req->id) && !json_is_string(req->id)) {
		req->id = NULL;
		*code = SD_IPC_E_BADREQ;
		snprintf(msg, msgsz, "\"id\" must be an integer or a string");
		return -1;
	}
	if (req->id && json_is_string(req->id) && json_string_length(req->id) > 64) {
		req->id = NULL;
		*code = SD_IPC_E_BADREQ;
		snprintf(msg, msgsz, "\"id\" longer than 64 characters");
		return -1;
	}
	op = json_object_get(req->root, "op");
	if (!json_is_string(op)) {
		*code = SD_IPC_E_BADREQ;
		snprintf(msg, msgsz, "\"op\" (a string) is required");
		return -1;
	}
	req->op = json_string_value(op);
	req->params = req->root;
	return 0;
}

void sd_ipc_request_done(struct sd_ipc_request *req)
{
	json_decref(req->root);
	memset(req, 0, sizeof *req);
}

/* Serialise o (stolen) as one line with LF. */
static char *dump_line(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	char *line;
	size_t n;
	json_decref(o);
	if (!s)
		return sd_strdup("{\"error\":{\"code\":\"internal\",\"message\":\"cannot encode reply\"}}\n");
	n = strlen(s);
	line = sd_malloc(n + 2);
	memcpy(line, s, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(s);
	return line;
}

char *sd_ipc_reply_result(json_t *id, json_t *result)
{
	json_t *o = json_object();
	json_object_set(o, "id", id ? id : json_null());
	json_object_set_new(o, "result", result ? result : json_object());
	return dump_line(o);
}

char *sd_ipc_reply_error(json_t *id, const char *code, const char *message)
{
	json_t *o = json_object();
	json_object_set(o, "id", id ? id : json_null());
	json_object_set_new(o, "error", json_pack("{s:s, s:s}", "code", code, "message", message));
	return dump_line(o);
}

char *sd_ipc_event(const char *topic, json_t *data)
{
	json_t *o = json_object();
	json_object_set_new(o, "event", json_string(topic));
	json_object_set_new(o, "data", data ? data : json_object());
	return dump_line(o);
}
