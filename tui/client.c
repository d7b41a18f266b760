/* tui/client.c — see client.h. */
#include "tui/client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"

const char *sd_client_default_socket(void)
{
	const char *s = getenv("SLICEDECK_SOCKET");
	return s && *s ? s : SD_DEFAULT_SOCKET;
}

static void set_err(struct sd_client *c, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(struct sd_client *c, const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	sd_strlcpy(c->err_code, code, sizeof c->err_code);
}

/* Read one chunk, waiting up to timeout_ms. 1 = got data, 0 = timeout,
 * -1 = closed/error. */
static int read_some(struct sd_client *c, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	char buf[16384];
	ssize_t n;
	int rc = poll(&pfd, 1, timeout_ms);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return errno == EINTR ? 0 : -1;
	n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	sd_ipc_reader_feed(&c->in, buf, (size_t)n);
	return 1;
}

/* Take the next complete message off the buffer, or NULL. Lines that are
 * not JSON objects, and lines over the cap, are skipped. */
static json_t *next_msg(struct sd_client *c)
{
	char *line;
	size_t len;
	bool overflow;
	while (sd_ipc_reader_next(&c->in, &line, &len, &overflow) == 1) {
		json_t *j;
		if (overflow)
			continue;
		j = json_loadb(line, len, 0, NULL);
		if (json_is_object(j))
			return j;
		json_decref(j);
	}
	return NULL;
}

/* An error object in msg: copy it to c->err. */
static void take_error(struct sd_client *c, json_t *msg)
{
	json_t *e = json_object_get(msg, "error");
	const char *code = json_string_value(json_object_get(e, "code"));
	const char *m = json_string_value(json_object_get(e, "message"));
	char clean[400];
	sd_sanitize(clean, sizeof clean, m ? m : "engine error", m ? strlen(m) : 12);
	set_err(c, code ? code : "error", "%s", clean);
}

/* The request line for op with params and id, LF-terminated. */
static char *request_line(const char *op, json_t *params, long id, size_t *len)
{
	json_t *req = params ? json_copy(params) : json_object();
	char *text;
	json_object_set_new(req, "id", json_integer(id));
	json_object_set_new(req, "op", json_string(op));
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	*len = strlen(text);
	text = sd_realloc(text, *len + 2);
	text[(*len)++] = '\n';
	text[*len] = '\0';
	return text;
}

long sd_client_send(struct sd_client *c, const char *op, json_t *params)
{
	long id = ++c->next_id;
	size_t len, off = 0;
	char *text;
	if (c->fd < 0) {
		set_err(c, "", "not connected to the engine");
		return -1;
	}
	text = request_line(op, params, id, &len);
	/* a request is small; a full socket buffer means the engine is stuck,
	 * which the caller treats as a lost connection rather than wait */
	while (off < len) {
		ssize_t n = send(c->fd, text + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(text);
	if (off < len) {
		set_err(c, "", "could not send \"%s\" to the engine", op);
		return -1;
	}
	return id;
}

json_t *sd_client_call(struct sd_client *c, const char *op, json_t *params, int timeout_ms)
{
	json_t *req = params ? json_copy(params) : json_object();
	long id = ++c->next_id;
	int64_t deadline = sd_now_ms() + timeout_ms;
	char *text;
	size_t len, off = 0;

	if (c->fd < 0) {
		json_decref(req);
		set_err(c, "", "not connected to the engine");
		return NULL;
	}
	json_object_set_new(req, "id", json_integer(id));
	json_object_set_new(req, "op", json_string(op));
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	len = strlen(text);
	text = sd_realloc(text, len + 2);
	text[len++] = '\n';
	while (off < len) {
		ssize_t n = send(c->fd, text + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
			if (poll(&pfd, 1, 1000) <= 0 || sd_now_ms() > deadline)
				break;
			continue;
		}
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(text);
	if (off < len) {
		/* the engine may have said why before closing (e.g. no role) */
		json_t *msg;
		while (read_some(c, 200) > 0)
			;
		while ((msg = next_msg(c))) {
			if (json_object_get(msg, "error")) {
				take_error(c, msg);
				json_decref(msg);
				return NULL;
			}
			json_decref(msg);
		}
		set_err(c, "", "lost the connection to the engine while sending");
		return NULL;
	}
	for (;;) {
		json_t *msg;
		int64_t left;
		while ((msg = next_msg(c))) {
			json_t *mid = json_object_get(msg, "id");
			if (json_object_get(msg, "event")) {
				json_array_append_new(c->events, msg);
				continue;
			}
			if (json_is_integer(mid) && json_integer_value(mid) == id) {
				json_t *res;
				if (json_object_get(msg, "error")) {
					take_error(c, msg);
					json_decref(msg);
					return NULL;
				}
				res = json_incref(json_object_get(msg, "result"));
				json_decref(msg);
				return res ? res : json_object();
			}
			if (json_is_null(mid) && json_object_get(msg, "error")) {
				/* connection-level error: refused, too large, ... */
				take_error(c, msg);
				json_decref(msg);
				return NULL;
			}
			json_decref(msg);
		}
		left = deadline - sd_now_ms();
		if (left <= 0) {
			set_err(c, "", "the engine did not answer \"%s\" within %d ms", op, timeout_ms);
			return NULL;
		}
		if (read_some(c, (int)left) < 0) {
			set_err(c, "", "the engine closed the connection");
			return NULL;
		}
	}
}

int sd_client_connect(struct sd_client *c, const char *path, int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	json_t *params;

	memset(c, 0, sizeof *c);
	c->fd = -1;
	sd_ipc_reader_init_max(&c->in, SD_CLIENT_MAX_LINE);
	c->events = json_array();
	if (strlen(path) >= sizeof sa.sun_path) {
		set_err(c, "", "socket path too long: %s", path);
		return -1;
	}
	sd_strlcpy(sa.sun_path, path, sizeof sa.sun_path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		if (e == ENOENT || e == ECONNREFUSED)
			set_err(c, "", "cannot reach the engine at %s: %s (is slicedeckd running? "
				"--socket or SLICEDECK_SOCKET name another socket)", path, strerror(e));
		else if (e == EACCES)
			set_err(c, "", "cannot reach the engine at %s: %s (your user needs "
				"to be in the socket's group)", path, strerror(e));
		else
			set_err(c, "", "cannot reach the engine at %s: %s", path, strerror(e));
		if (c->fd >= 0)
			close(c->fd);
		c->fd = -1;
		return -1;
	}
	params = json_pack("{s:i, s:s}", "version", SD_IPC_VERSION, "client", "slicedeck " SD_VERSION);
	c->hello = sd_client_call(c, "hello", params, timeout_ms);
	json_decref(params);
	if (!c->hello) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

void sd_client_close(struct sd_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	sd_ipc_reader_done(&c->in);
	json_decref(c->hello);
	json_decref(c->events);
	c->hello = c->events = NULL;
}

int sd_client_pump(struct sd_client *c)
{
	json_t *msg;
	int rc;
	if (c->fd < 0)
		return -1;
	while ((rc = read_some(c, 0)) == 1)
		;
	while ((msg = next_msg(c))) {
		if (json_object_get(msg, "event") || json_is_integer(json_object_get(msg, "id")))
			json_array_append_new(c->events, msg);
		else {
			if (json_object_get(msg, "error") && json_is_null(json_object_get(msg, "id")))
				take_error(c, msg);
			json_decref(msg);
		}
	}
	return rc < 0 ? -1 : 0;
}

/* Taking from the front of a JSON array would move the rest each time:
 * O(n^2) for a burst of deltas. The queue is read from ev_head instead and
 * the taken front dropped in one copy once it is half the array. */
json_t *sd_client_next_event(struct sd_client *c)
{
	size_t n = c->events ? json_array_size(c->events) : 0, i;
	json_t *e, *rest;
	if (c->ev_head >= n) {
		if (n)
			json_array_clear(c->events);
		c->ev_head = 0;
		return NULL;
	}
	e = json_incref(json_array_get(c->events, c->ev_head++));
	if (c->ev_head >= 64 && c->ev_head * 2 >= n) {
		rest = json_array();
		for (i = c->ev_head; i < n; i++)
			json_array_append(rest, json_array_get(c->events, i));
		json_decref(c->events);
		c->events = rest;
		c->ev_head = 0;
	}
	return e;
}
