/* core/sbi_server.c — HTTP/2 SBI server: sockets and TLS on the sd_loop,
 * framing by libnghttp2 (1.52, ssize_t callback API), routing by method and
 * path template.
 *
 * Life of a request: the peer's bytes are read in large chunks and fed to
 * nghttp2_session_mem_recv; the callbacks collect pseudo-headers, headers
 * and body into a struct stream (recycled through a free list, so a steady
 * load allocates nothing per request but the handler's body); at END_STREAM
 * the route's handler runs and fills the stream's response, which is
 * submitted at once or when its delay timer fires. All output produced
 * while handling one readiness event goes out through one
 * nghttp2_session_send into a per-connection buffer, written with as few
 * syscalls as the socket allows; EAGAIN arms SD_EV_WRITE.
 *
 * Ownership: a stream belongs to its connection and is freed when nghttp2
 * closes it or when the connection goes away; freeing a stream cancels its
 * delay timer, so a timer never sees a dead stream. A connection is only
 * closed from the top of a loop callback (fd event, timer, public call),
 * never from inside nghttp2, which is why handler-requested drops are
 * flags checked after nghttp2 returns.
 *
 * Deferred answers: a struct sd_sbi_deferred belongs to the module that
 * deferred, not to the stream. Stream and handle point at each other while
 * both live; releasing the stream clears the handle's pointer (so a
 * recycled stream object is never answered by a stale handle), freeing the
 * server clears the handle's server pointer, and only the module's final
 * answer frees the handle. An answer given outside nghttp2's callbacks
 * marks its connection and arms one 0 ms timer, so a group commit that
 * answers 200 streams costs one nghttp2_session_send per connection.
 */
#include "core/sbi_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

#define RBUF_SIZE      (64 * 1024)  /* one read() */
#define READS_PER_EV   16           /* fairness between connections */
#define WBUF_HIGH      (64 * 1024)  /* stop taking frames from nghttp2 */
#define WBUF_MAX       (WBUF_HIGH + 32 * 1024)
#define MAX_HDRS       64           /* regular headers kept per request */
#define MAX_SEGS       32           /* path segments in a template */
#define FREE_STREAMS   1024         /* recycled stream objects kept */
#define NO_OFF         UINT32_MAX

struct route {
	char *method;
	char *tmpl;
	const char *seg[MAX_SEGS];   /* pointers into segbuf */
	size_t seglen[MAX_SEGS];
	unsigned char is_param[MAX_SEGS];
	size_t nseg;
	char *segbuf;
	sd_sbi_handler h;
	void *arg;
	const void *owner;           /* for unroute_owner */
	size_t max_body;             /* 0 = the server's */
};

struct conn;

struct stream {
	struct conn *c;
	struct stream *prev, *next;  /* in c->streams, or the free list */
	int32_t id;
	/* request: strings live in arena, addressed by offset because the
	 * arena may move while it grows */
	struct sd_buf arena;
	uint32_t method, path, query, authority, ctype;
	uint32_t hoff[MAX_HDRS][2];
	size_t nh;
	size_t hdr_bytes;
	int hdr_overflow;
	struct sd_buf body;
	int body_overflow;
	struct sd_sbi_deferred *deferred;  /* a module holds the answer */
	/* response */
	int answered;                /* submitted (or refused on purpose) */
	int goaway_after;            /* GOAWAY once this stream is closed */
	uint64_t delay_timer;
	struct sd_sbi_resp resp;
	size_t resp_off;
};

struct conn {
	struct sd_sbi_server *srv;
	struct conn *prev, *next;
	int fd;
	SSL *ssl;
	int handshaking;
	int tls_read_wants_write;    /* SSL_read said WANT_WRITE */
	int tls_write_wants_read;    /* SSL_write said WANT_READ */
	nghttp2_session *ng;
	struct stream *streams;
	struct sd_buf wbuf;
	size_t woff;                 /* bytes of wbuf already written */
	int mask;                    /* events currently watched */
	int in_recv;                 /* inside nghttp2_session_mem_recv */
	int drop;                    /* close without a word when safe */
	int want_flush;              /* a deferred answer was queued */
	uint64_t hello_timer;        /* until the first frame from the peer */
	char peer[64];
};

struct sd_sbi_server {
	struct sd_loop *loop;
	int fd;
	int tls;
	SSL_CTX *ssl_ctx;
	size_t max_body, max_header_bytes;
	uint32_t max_streams;
	int max_conns;
	int64_t hello_timeout_ms;
	int nconns;
	struct conn *conns;
	struct route *routes;
	size_t nroutes;
	nghttp2_session_callbacks *cbs;
	struct stream *free_streams;
	size_t nfree;
	uint8_t *rbuf;
	uint64_t accept_timer;       /* re-arm accept after EMFILE */
	uint64_t flush_timer;        /* 0 ms: flush connections with want_flush */
	struct sd_sbi_deferred *deferred;   /* handles not yet given back */
	size_t ndeferred;
	uint32_t max_deferred;
	struct sd_complaint defer_full;
	struct sd_complaint accept_fail;
	struct sd_complaint peer_fail;   /* bad prefaces, TLS failures */
	char addr[80];
	char api_root[96];
};

/* A kept answer. Lives from sd_sbi_resp_defer to the module's one
 * send/answer/problem call, whatever happens to the stream or the server
 * in between. */
struct sd_sbi_deferred {
	struct sd_sbi_server *srv;   /* NULL once the server is freed */
	struct stream *s;            /* NULL once the stream is gone */
	struct sd_sbi_deferred *prev, *next;  /* in srv->deferred */
	struct sd_sbi_resp resp;     /* what the module fills */
};

static void conn_close(struct conn *c);
static int conn_flush(struct conn *c);
static void on_conn_event(struct sd_loop *loop, int fd, int events, void *arg);

/* ---- small helpers ------------------------------------------------------ */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out (NUL-terminated). Returns the decoded
 * length, or -1 on a malformed escape, an encoded NUL, or when it does not
 * fit in outsz-1 bytes. '+' stays '+'. */
static long pct_decode(const char *s, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0;
	for (i = 0; i < n; i++) {
		int ch = (unsigned char)s[i];
		if (ch == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return -1;
			hi = hexval((unsigned char)s[i + 1]);
			lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			ch = hi * 16 + lo;
			i += 2;
		}
		if (o + 1 >= outsz)
			return -1;
		out[o++] = (char)ch;
	}
	if (outsz == 0)
		return -1;
	out[o] = '\0';
	return (long)o;
}

const char *sd_sbi_req_header(const struct sd_sbi_req *req, const char *name)
{
	size_t i;
	for (i = 0; i < req->nheaders; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

const char *sd_sbi_req_query(const struct sd_sbi_req *req, const char *name,
			     char *buf, size_t bufsz)
{
	const char *p = req->query;
	char key[128];
	while (p && *p) {
		const char *amp = strchr(p, '&');
		const char *end = amp ? amp : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		const char *kend = eq ? eq : end;
		if (pct_decode(p, (size_t)(kend - p), key, sizeof key) >= 0 &&
		    strcmp(key, name) == 0) {
			if (!eq) {
				if (bufsz == 0)
					return NULL;
				buf[0] = '\0';
				return buf;
			}
			if (pct_decode(eq + 1, (size_t)(end - eq - 1), buf, bufsz) < 0)
				return NULL;
			return buf;
		}
		p = amp ? amp + 1 : NULL;
	}
	return NULL;
}

void sd_sbi_resp_json(struct sd_sbi_resp *resp, int status, char *json_text)
{
	resp->status = status;
	free(resp->body);
	resp->body = json_text;
	resp->body_len = json_text ? strlen(json_text) : 0;
	sd_strlcpy(resp->content_type, "application/json", sizeof resp->content_type);
}

void sd_sbi_resp_problem(struct sd_sbi_resp *resp, int status, const char *title,
			 const char *cause, const char *detail)
{
	json_t *o = json_object();
	char *text;
	json_object_set_new(o, "title", json_string(title ? title : "Error"));
	json_object_set_new(o, "status", json_integer(status));
	if (detail)
		json_object_set_new(o, "detail", json_string(detail));
	if (cause)
		json_object_set_new(o, "cause", json_string(cause));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	resp->status = status;
	free(resp->body);
	resp->body = text;
	resp->body_len = text ? strlen(text) : 0;
	sd_strlcpy(resp->content_type, "application/problem+json",
		   sizeof resp->content_type);
}

static void resp_init(struct sd_sbi_resp *r)
{
	r->status = 200;
	memcpy(r->content_type, "application/json", sizeof "application/json");
	r->body = NULL;
	r->body_len = 0;
	r->location[0] = '\0';
	memset(r->extra, 0, sizeof r->extra);
	r->delay_ms = 0;
	r->misbehave = SD_SBI_NORMAL;
}

/* ---- streams ------------------------------------------------------------ */

/* A stream object for a new request, from the free list when possible (its
 * buffers keep their capacity, so a steady load does not allocate). */
static struct stream *stream_new(struct conn *c, int32_t id)
{
	struct sd_sbi_server *srv = c->srv;
	struct stream *s = srv->free_streams;
	if (s) {
		srv->free_streams = s->next;
		srv->nfree--;
		sd_buf_reset(&s->arena);
		sd_buf_reset(&s->body);
	} else {
		s = sd_calloc(1, sizeof *s);
		sd_buf_init(&s->arena, 0);
		sd_buf_init(&s->body, 0);
	}
	s->arena.max = 2 * srv->max_header_bytes + 256;
	s->body.max = srv->max_body;
	s->c = c;
	s->id = id;
	s->method = s->path = s->query = s->authority = s->ctype = NO_OFF;
	s->nh = 0;
	s->hdr_bytes = 0;
	s->hdr_overflow = s->body_overflow = 0;
	s->answered = s->goaway_after = 0;
	s->deferred = NULL;
	s->delay_timer = 0;
	s->resp_off = 0;
	resp_init(&s->resp);
	s->resp.stream_ = NULL;
	s->prev = NULL;
	s->next = c->streams;
	if (c->streams)
		c->streams->prev = s;
	c->streams = s;
	return s;
}

/* Unlink s from its connection, cancel its timer, drop its response body
 * and park it on the free list (or free it when the list is full). */
static void stream_release(struct stream *s)
{
	struct conn *c = s->c;
	struct sd_sbi_server *srv = c->srv;
	if (s->delay_timer)
		sd_loop_timer_del(srv->loop, s->delay_timer);
	s->delay_timer = 0;
	if (s->deferred) {       /* nobody waits for that answer any more */
		s->deferred->s = NULL;
		s->deferred = NULL;
	}
	free(s->resp.body);
	s->resp.body = NULL;
	if (s->prev)
		s->prev->next = s->next;
	else
		c->streams = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->c = NULL;
	if (srv->nfree >= FREE_STREAMS) {
		sd_buf_done(&s->arena);
		sd_buf_done(&s->body);
		free(s);
		return;
	}
	if (s->body.cap > 64 * 1024)
		sd_buf_done(&s->body);
	s->next = srv->free_streams;
	srv->free_streams = s;
	srv->nfree++;
}

/* Append a NUL-terminated copy of p[0..n) to the arena; its offset or
 * NO_OFF when the arena is full. */
static uint32_t arena_add(struct stream *s, const void *p, size_t n)
{
	size_t off = s->arena.len;
	if (sd_buf_add(&s->arena, p, n) < 0 || sd_buf_add(&s->arena, "", 1) < 0) {
		s->arena.len = off;
		return NO_OFF;
	}
	return (uint32_t)off;
}

static const char *arena_str(const struct stream *s, uint32_t off)
{
	return off == NO_OFF ? NULL : s->arena.data + off;
}

static ssize_t resp_read_cb(nghttp2_session *ng, int32_t stream_id, uint8_t *buf,
			    size_t length, uint32_t *data_flags,
			    nghttp2_data_source *source, void *user_data)
{
	struct stream *s = source->ptr;
	size_t left = s->resp.body_len - s->resp_off;
	size_t n = left < length ? left : length;
	(void)ng; (void)stream_id; (void)user_data;
	memcpy(buf, s->resp.body + s->resp_off, n);
	s->resp_off += n;
	if (s->resp_off == s->resp.body_len)
		*data_flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

#define NV(n, v, vl) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1, (vl), \
		       NGHTTP2_NV_FLAG_NO_COPY_NAME }

/* Put the stream's response (or its misbehaviour) on the wire queue.
 * Called from inside nghttp2 callbacks or from the delay timer; it never
 * closes the connection itself (DROP_CONN only sets c->drop). */
static void stream_answer(struct stream *s)
{
	struct conn *c = s->c;
	struct sd_sbi_resp *r = &s->resp;
	nghttp2_nv nva[4 + SD_ARRAY_LEN(r->extra)];
	nghttp2_data_provider prd;
	char status[8], clen[24];
	size_t nnv = 0, i;
	int rv;

	s->answered = 1;
	switch (r->misbehave) {
	case SD_SBI_RST_STREAM:
		nghttp2_submit_rst_stream(c->ng, NGHTTP2_FLAG_NONE, s->id,
					  NGHTTP2_INTERNAL_ERROR);
		return;
	case SD_SBI_REFUSE_STREAM:
		nghttp2_submit_rst_stream(c->ng, NGHTTP2_FLAG_NONE, s->id,
					  NGHTTP2_REFUSED_STREAM);
		return;
	case SD_SBI_DROP_CONN:
		c->drop = 1;
		return;
	case SD_SBI_GOAWAY:
		s->goaway_after = 1;
		break;
	case SD_SBI_NORMAL:
		break;
	}
	if (r->status < 100 || r->status > 999)
		r->status = 500;
	if (!r->body)
		r->body_len = 0;
	snprintf(status, sizeof status, "%d", r->status);
	nva[nnv++] = (nghttp2_nv)NV(":status", status, strlen(status));
	if (r->body_len) {
		nva[nnv++] = (nghttp2_nv)NV("content-type", r->content_type,
					    strlen(r->content_type));
	}
	snprintf(clen, sizeof clen, "%zu", r->body_len);
	nva[nnv++] = (nghttp2_nv)NV("content-length", clen, strlen(clen));
	if (r->location[0])
		nva[nnv++] = (nghttp2_nv)NV("location", r->location,
					    strlen(r->location));
	for (i = 0; i < SD_ARRAY_LEN(r->extra); i++) {
		if (!r->extra[i].name || !r->extra[i].value)
			continue;
		/* copied, and lower-cased, by nghttp2 (no NO_COPY flag) */
		nva[nnv].name = (uint8_t *)r->extra[i].name;
		nva[nnv].namelen = strlen(r->extra[i].name);
		nva[nnv].value = (uint8_t *)r->extra[i].value;
		nva[nnv].valuelen = strlen(r->extra[i].value);
		nva[nnv].flags = NGHTTP2_NV_FLAG_NONE;
		nnv++;
	}
	prd.source.ptr = s;
	prd.read_callback = resp_read_cb;
	rv = nghttp2_submit_response(c->ng, s->id, nva, nnv,
				     r->body_len ? &prd : NULL);
	if (rv != 0) {
		sd_warn("sbi server: %s: stream %d: cannot submit response: %s",
			c->peer, s->id, nghttp2_strerror(rv));
		nghttp2_submit_rst_stream(c->ng, NGHTTP2_FLAG_NONE, s->id,
					  NGHTTP2_INTERNAL_ERROR);
	}
}

static void on_delay_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct stream *s = arg;
	struct conn *c = s->c;
	(void)loop; (void)id;
	s->delay_timer = 0;
	stream_answer(s);      /* s may be freed by the send below */
	if (c->drop || conn_flush(c) < 0)
		conn_close(c);
}

/* Answer now, or arm the delay timer; other streams keep flowing. */
static void stream_reply(struct stream *s)
{
	if (s->resp.delay_ms > 0) {
		s->answered = 1;
		s->delay_timer = sd_loop_timer_add(s->c->srv->loop, s->resp.delay_ms,
						   on_delay_timer, s);
		return;
	}
	stream_answer(s);
}

static void stream_problem(struct stream *s, int status, const char *title,
			   const char *cause, const char *detail)
{
	resp_init(&s->resp);
	sd_sbi_resp_problem(&s->resp, status, title, cause, detail);
	stream_answer(s);
}

/* ---- routing ------------------------------------------------------------ */

/* Split a template into rt's segments. 0, or -1 (logged) when it is not a
 * template this server can match. */
static int route_parse(struct route *rt, const char *method, const char *tmpl)
{
	char *p;
	size_t nparam = 0;

	memset(rt, 0, sizeof *rt);
	if (!method || !*method || !tmpl || tmpl[0] != '/') {
		sd_err("sbi server: bad route %s %s", method ? method : "(null)",
		       tmpl ? tmpl : "(null)");
		return -1;
	}
	rt->segbuf = sd_strdup(tmpl + 1);
	for (p = rt->segbuf;;) {
		char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (rt->nseg == MAX_SEGS)
			goto bad;
		rt->seg[rt->nseg] = p;
		rt->seglen[rt->nseg] = n;
		if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
			if (n == 2 || ++nparam > SD_SBI_MAX_PARAMS)
				goto bad;
			rt->is_param[rt->nseg] = 1;
		} else if (memchr(p, '{', n) || memchr(p, '}', n)) {
			goto bad;
		}
		rt->nseg++;
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	rt->method = sd_strdup(method);
	rt->tmpl = sd_strdup(tmpl);
	return 0;
bad:
	sd_err("sbi server: bad route template \"%s\" (at most %d {params}, "
	       "%d segments)", tmpl, SD_SBI_MAX_PARAMS, MAX_SEGS);
	free(rt->segbuf);
	rt->segbuf = NULL;
	return -1;
}

static void route_done(struct route *rt)
{
	free(rt->method);
	free(rt->tmpl);
	free(rt->segbuf);
}

/* Same method and the same shape: literal segments equal and {params} in
 * the same places (their names do not matter: both would match the same
 * paths). */
static int route_same(const struct route *a, const struct route *b)
{
	size_t i;
	if (strcmp(a->method, b->method) != 0 || a->nseg != b->nseg)
		return 0;
	for (i = 0; i < a->nseg; i++) {
		if (a->is_param[i] != b->is_param[i])
			return 0;
		if (!a->is_param[i] && (a->seglen[i] != b->seglen[i] ||
					memcmp(a->seg[i], b->seg[i], a->seglen[i]) != 0))
			return 0;
	}
	return 1;
}

/* Remove srv->routes[i], keeping the order (the first match wins). */
static void route_remove(struct sd_sbi_server *srv, size_t i)
{
	route_done(&srv->routes[i]);
	memmove(&srv->routes[i], &srv->routes[i + 1],
		(srv->nroutes - i - 1) * sizeof *srv->routes);
	srv->nroutes--;
}

/* Does path (no query) fit the route? On a match the capture spans are
 * stored in cap/caplen. */
static int route_match(const struct route *rt, const char *path,
		       const char **cap, size_t *caplen, size_t *ncap)
{
	const char *p = path;
	size_t i;
	*ncap = 0;
	if (*p != '/')
		return 0;
	for (i = 0; i < rt->nseg; i++) {
		const char *seg = ++p;   /* skip the '/' */
		size_t n;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (rt->is_param[i]) {
			if (n == 0)
				return 0;
			cap[*ncap] = seg;
			caplen[(*ncap)++] = n;
		} else if (n != rt->seglen[i] || memcmp(seg, rt->seg[i], n) != 0) {
			return 0;
		}
		if (i + 1 < rt->nseg && *p != '/')
			return 0;
	}
	return *p == '\0';
}

/* The first route for method + path. On a match the capture spans are in
 * cap/caplen/ncap. When no route has the method but some template fits
 * the path, *known_path is set and, if allow is given, the methods that
 * would fit are listed there ("GET, PUT"). */
static const struct route *route_lookup(const struct sd_sbi_server *srv,
					const char *method, const char *path,
					const char **cap, size_t *caplen, size_t *ncap,
					int *known_path, char *allow, size_t allowsz)
{
	size_t i;
	*known_path = 0;
	for (i = 0; i < srv->nroutes; i++) {
		const struct route *rt = &srv->routes[i];
		if (!route_match(rt, path, cap, caplen, ncap))
			continue;
		*known_path = 1;
		if (strcmp(rt->method, method) == 0)
			return rt;
		if (allow) {
			size_t al = strlen(allow);
			snprintf(allow + al, allowsz - al, "%s%s", al ? ", " : "",
				 rt->method);
		}
	}
	return NULL;
}

/* The request's content-length, or -1 when absent or not a plain number
 * (nghttp2 has already refused a malformed one). */
static long long stream_content_length(const struct stream *s)
{
	size_t i;
	for (i = 0; i < s->nh; i++) {
		const char *name = s->arena.data + s->hoff[i][0];
		const char *v = s->arena.data + s->hoff[i][1];
		long long n;
		if (strcmp(name, "content-length") != 0)
			continue;
		return sd_parse_ll(v, 0, LLONG_MAX, &n) ? n : -1;
	}
	return -1;
}

/* The request's headers are complete and a body follows: find its route
 * to learn the body cap, and refuse at once a declared length beyond it
 * (the DATA that follows is then discarded as it arrives). */
static void stream_headers_done(struct stream *s)
{
	struct sd_sbi_server *srv = s->c->srv;
	const char *method = arena_str(s, s->method), *path = arena_str(s, s->path);
	const char *cap[SD_SBI_MAX_PARAMS];
	size_t caplen[SD_SBI_MAX_PARAMS], ncap;
	const struct route *rt;
	long long clen;
	int known;

	if (s->hdr_overflow || !method || !path)
		return;   /* answered when the request ends */
	rt = route_lookup(srv, method, path, cap, caplen, &ncap, &known, NULL, 0);
	s->body.max = rt && rt->max_body ? rt->max_body : srv->max_body;
	clen = stream_content_length(s);
	if (clen >= 0 && (unsigned long long)clen > s->body.max) {
		char detail[96];
		s->body_overflow = 1;
		snprintf(detail, sizeof detail, "request body of %lld bytes exceeds "
			 "the limit of %zu", clen, s->body.max);
		stream_problem(s, 413, "Payload Too Large", NULL, detail);
	}
}

/* The request is complete: build the sd_sbi_req, find the route, run the
 * handler and answer (or arm the delay, or leave the stream to the module
 * that deferred it). */
static void stream_dispatch(struct stream *s)
{
	struct conn *c = s->c;
	struct sd_sbi_server *srv = c->srv;
	struct sd_sbi_header hdrs[MAX_HDRS];
	struct sd_sbi_req req;
	const struct route *rt;
	const char *path, *method, *cap[SD_SBI_MAX_PARAMS];
	size_t caplen[SD_SBI_MAX_PARAMS], ncap = 0, i;
	uint32_t poff[SD_SBI_MAX_PARAMS];
	char allow[128] = "";
	int known_path = 0;
	sd_sbi_handler h;
	void *arg;

	if (s->hdr_overflow) {
		stream_problem(s, 431, "Request Header Fields Too Large", NULL,
			       "header block exceeds the server's limit");
		return;
	}
	if (s->body_overflow)
		return;   /* 413 already sent */
	method = arena_str(s, s->method);
	path = arena_str(s, s->path);
	if (!method || !path) {
		stream_problem(s, 400, "Bad Request", "INVALID_MSG_FORMAT",
			       "missing :method or :path");
		return;
	}
	rt = route_lookup(srv, method, path, cap, caplen, &ncap, &known_path,
			  allow, sizeof allow);
	if (!rt) {
		if (known_path) {
			/* answered at once, so the stack string may be used */
			resp_init(&s->resp);
			sd_sbi_resp_problem(&s->resp, 405, "Method Not Allowed", NULL,
					    "method not supported on this resource");
			s->resp.extra[0].name = "allow";
			s->resp.extra[0].value = allow;
			stream_answer(s);
		} else
			stream_problem(s, 404, "Not Found",
				       "RESOURCE_URI_STRUCTURE_NOT_FOUND",
				       "no such resource");
		return;
	}
	/* the handler may add or remove routes: keep what the call needs */
	h = rt->h;
	arg = rt->arg;
	/* decode the captures into the arena (it may move: offsets first) */
	for (i = 0; i < ncap; i++) {
		char tmp[1024];
		long n = pct_decode(cap[i], caplen[i], tmp, sizeof tmp);
		if (n < 0 || (poff[i] = arena_add(s, tmp, (size_t)n)) == NO_OFF) {
			stream_problem(s, 400, "Bad Request", "INVALID_API",
				       "malformed path segment");
			return;
		}
	}
	memset(&req, 0, sizeof req);
	req.method = arena_str(s, s->method);
	req.path = arena_str(s, s->path);
	req.query = arena_str(s, s->query);
	req.authority = arena_str(s, s->authority);
	req.content_type = arena_str(s, s->ctype);
	req.body = s->body.len ? s->body.data : NULL;
	req.body_len = s->body.len;
	for (i = 0; i < s->nh; i++) {
		hdrs[i].name = s->arena.data + s->hoff[i][0];
		hdrs[i].value = s->arena.data + s->hoff[i][1];
	}
	req.headers = hdrs;
	req.nheaders = s->nh;
	for (i = 0; i < ncap; i++)
		req.params[i] = s->arena.data + poff[i];
	req.nparams = ncap;
	req.peer = c->peer;
	s->resp.stream_ = s;     /* lets the handler defer */
	h(&req, &s->resp, arg);
	s->resp.stream_ = NULL;
	if (s->deferred) {
		/* kept by a module: nothing goes out now */
		s->answered = 1;
		free(s->resp.body);
		s->resp.body = NULL;
		s->resp.body_len = 0;
		return;
	}
	if (s->answered)
		return;   /* the handler deferred and answered before returning */
	stream_reply(s);
}

/* ---- deferred answers --------------------------------------------------- */

static void on_flush_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sbi_server *srv = arg;
	struct conn *c, *next;
	(void)loop; (void)id;
	srv->flush_timer = 0;
	for (c = srv->conns; c; c = next) {
		next = c->next;
		if (!c->want_flush)
			continue;
		c->want_flush = 0;
		if (c->drop || conn_flush(c) < 0)
			conn_close(c);
	}
}

/* Frames were queued on c from outside its read path: get them out. Inside
 * nghttp2_session_mem_recv (a handler of the same connection answered) the
 * read path flushes when nghttp2 returns; anywhere else the flush waits
 * for a 0 ms timer, so answers given in a burst share one send. */
static void conn_kick(struct conn *c)
{
	struct sd_sbi_server *srv = c->srv;
	if (c->in_recv)
		return;
	c->want_flush = 1;
	if (!srv->flush_timer)
		srv->flush_timer = sd_loop_timer_add(srv->loop, 0, on_flush_timer, srv);
}

static void deferred_unlink(struct sd_sbi_deferred *d)
{
	struct sd_sbi_server *srv = d->srv;
	if (!srv)
		return;
	if (d->prev)
		d->prev->next = d->next;
	else
		srv->deferred = d->next;
	if (d->next)
		d->next->prev = d->prev;
	d->prev = d->next = NULL;
	srv->ndeferred--;
	d->srv = NULL;
}

struct sd_sbi_deferred *sd_sbi_resp_defer(struct sd_sbi_resp *resp)
{
	struct stream *s = resp ? resp->stream_ : NULL;
	struct sd_sbi_server *srv;
	struct sd_sbi_deferred *d;
	size_t i;

	if (!s) {
		sd_err("sbi server: sd_sbi_resp_defer called outside a handler");
		return NULL;
	}
	if (s->deferred)
		return s->deferred;
	srv = s->c->srv;
	if (srv->ndeferred >= srv->max_deferred) {
		sd_complain(&srv->defer_full, SD_LOG_WARN,
			    "sbi server %s: %zu answers already deferred, "
			    "answering 503", srv->addr, srv->ndeferred);
		sd_sbi_resp_problem(resp, 503, "Service Unavailable", "NF_CONGESTION",
				    "too many requests waiting for an answer");
		for (i = 0; i < SD_ARRAY_LEN(resp->extra); i++) {
			if (!resp->extra[i].name) {
				resp->extra[i].name = "retry-after";
				resp->extra[i].value = "1";
				break;
			}
		}
		return NULL;
	}
	d = sd_calloc(1, sizeof *d);
	resp_init(&d->resp);
	d->srv = srv;
	d->s = s;
	d->next = srv->deferred;
	if (srv->deferred)
		srv->deferred->prev = d;
	srv->deferred = d;
	srv->ndeferred++;
	s->deferred = d;
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
	return d;
}

struct sd_sbi_resp *sd_sbi_deferred_resp(struct sd_sbi_deferred *d)
{
	return &d->resp;
}

int sd_sbi_deferred_alive(const struct sd_sbi_deferred *d)
{
	return d && d->s != NULL;
}

size_t sd_sbi_server_deferred_count(const struct sd_sbi_server *srv)
{
	return srv->ndeferred;
}

int sd_sbi_deferred_send(struct sd_sbi_deferred *d)
{
	struct stream *s;
	struct conn *c;
	if (!d)
		return -1;
	s = d->s;
	deferred_unlink(d);
	if (!s) {
		free(d->resp.body);
		free(d);
		return -1;
	}
	c = s->c;
	s->deferred = NULL;
	free(s->resp.body);
	s->resp = d->resp;
	s->resp.stream_ = NULL;
	free(d);
	stream_reply(s);   /* queues frames; s lives until they are sent */
	conn_kick(c);
	return 0;
}

int sd_sbi_deferred_answer(struct sd_sbi_deferred *d, int status,
			   const char *content_type, char *body, size_t len)
{
	struct sd_sbi_resp *r;
	if (!d) {
		free(body);
		return -1;
	}
	r = &d->resp;
	free(r->body);
	r->status = status;
	r->body = body;
	r->body_len = body ? len : 0;
	sd_strlcpy(r->content_type, content_type ? content_type : "application/json",
		   sizeof r->content_type);
	return sd_sbi_deferred_send(d);
}

int sd_sbi_deferred_problem(struct sd_sbi_deferred *d, int status, const char *title,
			    const char *cause, const char *detail)
{
	if (!d)
		return -1;
	sd_sbi_resp_problem(&d->resp, status, title, cause, detail);
	return sd_sbi_deferred_send(d);
}

/* ---- nghttp2 callbacks -------------------------------------------------- */

static ssize_t send_cb(nghttp2_session *ng, const uint8_t *data, size_t length,
		       int flags, void *user_data)
{
	struct conn *c = user_data;
	(void)ng; (void)flags;
	if (c->wbuf.len - c->woff >= WBUF_HIGH)
		return NGHTTP2_ERR_WOULDBLOCK;
	if (c->woff && c->woff >= c->wbuf.len / 2) {
		sd_buf_consume(&c->wbuf, c->woff);
		c->woff = 0;
	}
	if (sd_buf_add(&c->wbuf, data, length) < 0)
		return NGHTTP2_ERR_WOULDBLOCK;
	return (ssize_t)length;
}

static int on_begin_headers_cb(nghttp2_session *ng, const nghttp2_frame *frame,
			       void *user_data)
{
	struct conn *c = user_data;
	struct stream *s;
	if (frame->hd.type != NGHTTP2_HEADERS ||
	    frame->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	s = stream_new(c, frame->hd.stream_id);
	nghttp2_session_set_stream_user_data(ng, frame->hd.stream_id, s);
	return 0;
}

static int on_header_cb(nghttp2_session *ng, const nghttp2_frame *frame,
			const uint8_t *name, size_t namelen,
			const uint8_t *value, size_t valuelen,
			uint8_t flags, void *user_data)
{
	struct stream *s;
	struct sd_sbi_server *srv = ((struct conn *)user_data)->srv;
	uint32_t no, vo;
	(void)flags;
	if (frame->hd.type != NGHTTP2_HEADERS ||
	    frame->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;   /* trailers are ignored */
	s = nghttp2_session_get_stream_user_data(ng, frame->hd.stream_id);
	if (!s || s->hdr_overflow)
		return 0;
	s->hdr_bytes += namelen + valuelen + 32;   /* RFC 7541 4.1 size */
	if (s->hdr_bytes > srv->max_header_bytes) {
		s->hdr_overflow = 1;
		return 0;
	}
	if (namelen && name[0] == ':') {
		uint32_t *slot = NULL;
		if (namelen == 7 && memcmp(name, ":method", 7) == 0)
			slot = &s->method;
		else if (namelen == 10 && memcmp(name, ":authority", 10) == 0)
			slot = &s->authority;
		else if (namelen == 5 && memcmp(name, ":path", 5) == 0) {
			const uint8_t *q = memchr(value, '?', valuelen);
			if (q) {
				s->query = arena_add(s, q + 1,
						     valuelen - (size_t)(q + 1 - value));
				if (s->query == NO_OFF)
					s->hdr_overflow = 1;
				valuelen = (size_t)(q - value);
			}
			slot = &s->path;
		}
		if (slot && (*slot = arena_add(s, value, valuelen)) == NO_OFF)
			s->hdr_overflow = 1;
		return 0;
	}
	if (s->nh >= MAX_HDRS) {
		s->hdr_overflow = 1;
		return 0;
	}
	no = arena_add(s, name, namelen);
	vo = no == NO_OFF ? NO_OFF : arena_add(s, value, valuelen);
	if (vo == NO_OFF) {
		s->hdr_overflow = 1;
		return 0;
	}
	s->hoff[s->nh][0] = no;
	s->hoff[s->nh][1] = vo;
	s->nh++;
	if (namelen == 12 && memcmp(name, "content-type", 12) == 0)
		s->ctype = vo;
	return 0;
}

static int on_data_chunk_recv_cb(nghttp2_session *ng, uint8_t flags,
				 int32_t stream_id, const uint8_t *data,
				 size_t len, void *user_data)
{
	struct stream *s = nghttp2_session_get_stream_user_data(ng, stream_id);
	(void)flags; (void)user_data;
	if (!s || s->answered || s->body_overflow)
		return 0;
	if (sd_buf_add(&s->body, data, len) < 0) {
		/* answer now rather than swallow an endless upload */
		char detail[96];
		s->body_overflow = 1;
		snprintf(detail, sizeof detail, "request body exceeds the limit of "
			 "%zu bytes", s->body.max);
		sd_buf_done(&s->body);
		stream_problem(s, 413, "Payload Too Large", NULL, detail);
	}
	return 0;
}

static int on_frame_recv_cb(nghttp2_session *ng, const nghttp2_frame *frame,
			    void *user_data)
{
	struct conn *c = user_data;
	struct stream *s;
	if (c->hello_timer) {   /* the peer speaks HTTP/2: no hello deadline */
		sd_loop_timer_del(c->srv->loop, c->hello_timer);
		c->hello_timer = 0;
	}
	if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
		return 0;
	s = nghttp2_session_get_stream_user_data(ng, frame->hd.stream_id);
	if (!s || s->answered)
		return 0;
	if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
		if (frame->hd.type == NGHTTP2_HEADERS &&
		    frame->headers.cat == NGHTTP2_HCAT_REQUEST)
			stream_headers_done(s);
		return 0;
	}
	stream_dispatch(s);
	return 0;
}

/* A response's HEADERS that nghttp2 cannot send (a header block over its
 * send limit, 64 KiB) is dropped with the stream closed on our side only:
 * without a word the client would wait for its timeout. It is told with
 * RST_STREAM(INTERNAL_ERROR), and the handler's fault is logged. */
static int on_frame_not_send_cb(nghttp2_session *ng, const nghttp2_frame *frame,
				int lib_error_code, void *user_data)
{
	struct conn *c = user_data;
	if (frame->hd.type != NGHTTP2_HEADERS || frame->hd.stream_id <= 0)
		return 0;
	sd_warn("sbi server: %s: stream %d: response headers not sent (%s): stream reset",
		c->peer, (int)frame->hd.stream_id, nghttp2_strerror(lib_error_code));
	nghttp2_submit_rst_stream(ng, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
				  NGHTTP2_INTERNAL_ERROR);
	return 0;
}

static int on_stream_close_cb(nghttp2_session *ng, int32_t stream_id,
			      uint32_t error_code, void *user_data)
{
	struct stream *s = nghttp2_session_get_stream_user_data(ng, stream_id);
	(void)error_code; (void)user_data;
	if (!s)
		return 0;
	if (s->goaway_after)
		nghttp2_session_terminate_session(ng, NGHTTP2_NO_ERROR);
	nghttp2_session_set_stream_user_data(ng, stream_id, NULL);
	stream_release(s);
	return 0;
}

/* ---- TLS ---------------------------------------------------------------- */

/* OpenSSL's socket BIO writes with write(2), which raises SIGPIPE when the
 * peer is gone; this BIO uses send(MSG_NOSIGNAL) so the library does not
 * have to touch the process's signal dispositions. */
static BIO_METHOD *nosig_bio_method;

static int nosig_write(BIO *b, const char *buf, int len)
{
	ssize_t n = send(BIO_get_fd(b, NULL), buf, (size_t)len, MSG_NOSIGNAL);
	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_write(b);
	return (int)n;
}

static int nosig_read(BIO *b, char *buf, int len)
{
	ssize_t n = recv(BIO_get_fd(b, NULL), buf, (size_t)len, 0);
	BIO_clear_retry_flags(b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		BIO_set_retry_read(b);
	return (int)n;
}

static int nosig_puts(BIO *b, const char *s)
{
	return nosig_write(b, s, (int)strlen(s));
}

static BIO_METHOD *nosig_method(void)
{
	const BIO_METHOD *sock = BIO_s_socket();
	if (nosig_bio_method)
		return nosig_bio_method;
	nosig_bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK |
					BIO_TYPE_DESCRIPTOR, "sd-socket");
	if (!nosig_bio_method)
		return NULL;
	BIO_meth_set_write(nosig_bio_method, nosig_write);
	BIO_meth_set_read(nosig_bio_method, nosig_read);
	BIO_meth_set_puts(nosig_bio_method, nosig_puts);
	BIO_meth_set_ctrl(nosig_bio_method, BIO_meth_get_ctrl(sock));
	BIO_meth_set_create(nosig_bio_method, BIO_meth_get_create(sock));
	BIO_meth_set_destroy(nosig_bio_method, BIO_meth_get_destroy(sock));
	return nosig_bio_method;
}

static int alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
			  const unsigned char *in, unsigned int inlen, void *arg)
{
	static const unsigned char h2[] = "\x02h2";
	unsigned char *sel;
	(void)ssl; (void)arg;
	if (SSL_select_next_proto(&sel, outlen, h2, sizeof h2 - 1, in, inlen) !=
	    OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = sel;
	return SSL_TLSEXT_ERR_OK;
}

static void tls_errstr(char *buf, size_t bufsz)
{
	unsigned long e = ERR_get_error();
	if (e)
		ERR_error_string_n(e, buf, bufsz);
	else
		sd_strlcpy(buf, "unknown TLS error", bufsz);
	ERR_clear_error();
}

static SSL_CTX *tls_ctx_new(const char *cert, const char *key, char *err, size_t errsz)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char why[256];
	if (!ctx) {
		tls_errstr(why, sizeof why);
		snprintf(err, errsz, "sbi server: SSL_CTX_new: %s", why);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		tls_errstr(why, sizeof why);
		snprintf(err, errsz, "sbi server: certificate %s: %s", cert, why);
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tls_errstr(why, sizeof why);
		snprintf(err, errsz, "sbi server: private key %s: %s", key, why);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select_cb, NULL);
	return ctx;
}

/* Drive the non-blocking handshake. 1 done, 0 in progress, -1 failed. */
static int tls_handshake(struct conn *c)
{
	int r, e;
	ERR_clear_error();
	r = SSL_accept(c->ssl);
	if (r == 1) {
		const unsigned char *p = NULL;
		unsigned int n = 0;
		SSL_get0_alpn_selected(c->ssl, &p, &n);
		c->handshaking = 0;
		sd_debug("sbi server: %s: TLS %s, ALPN %.*s", c->peer,
			 SSL_get_version(c->ssl), (int)n, n ? (const char *)p : "-");
		return 1;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		c->tls_read_wants_write = e == SSL_ERROR_WANT_WRITE;
		return 0;
	}
	if (e == SSL_ERROR_SSL) {
		char why[256];
		tls_errstr(why, sizeof why);
		sd_complain(&c->srv->peer_fail, SD_LOG_INFO,
			    "sbi server: %s: TLS handshake failed: %s", c->peer, why);
	}
	ERR_clear_error();
	return -1;
}

/* ---- connection I/O ----------------------------------------------------- */

#define IO_AGAIN (-1)
#define IO_FATAL (-2)

/* Read into buf: bytes read, 0 at EOF, IO_AGAIN, or IO_FATAL. */
static ssize_t conn_read_raw(struct conn *c, uint8_t *buf, size_t n)
{
	ssize_t r;
	int e;
	if (!c->ssl) {
		r = read(c->fd, buf, n);
		if (r >= 0)
			return r;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return IO_AGAIN;
		return IO_FATAL;
	}
	ERR_clear_error();
	c->tls_read_wants_write = 0;
	r = SSL_read(c->ssl, buf, (int)n);
	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, (int)r);
	if (e == SSL_ERROR_WANT_READ)
		return IO_AGAIN;
	if (e == SSL_ERROR_WANT_WRITE) {
		c->tls_read_wants_write = 1;
		return IO_AGAIN;
	}
	ERR_clear_error();
	return e == SSL_ERROR_ZERO_RETURN ? 0 : IO_FATAL;
}

static ssize_t conn_write_raw(struct conn *c, const char *buf, size_t n)
{
	ssize_t r;
	int e;
	if (!c->ssl) {
		r = send(c->fd, buf, n, MSG_NOSIGNAL);
		if (r >= 0)
			return r;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return IO_AGAIN;
		return IO_FATAL;
	}
	ERR_clear_error();
	c->tls_write_wants_read = 0;
	if (n > INT32_MAX)
		n = INT32_MAX;
	r = SSL_write(c->ssl, buf, (int)n);
	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, (int)r);
	if (e == SSL_ERROR_WANT_WRITE)
		return IO_AGAIN;
	if (e == SSL_ERROR_WANT_READ) {
		c->tls_write_wants_read = 1;
		return IO_AGAIN;
	}
	ERR_clear_error();
	return IO_FATAL;
}

static void conn_set_mask(struct conn *c, int mask)
{
	if (mask == c->mask)
		return;
	if (sd_loop_watch(c->srv->loop, c->fd, mask, on_conn_event, c) == 0)
		c->mask = mask;
}

/* Feed what the socket has to nghttp2. 0 ok, -1 the connection is over
 * (EOF, error, or a handler asked to drop it). */
static int conn_read(struct conn *c)
{
	struct sd_sbi_server *srv = c->srv;
	int i;
	for (i = 0; i < READS_PER_EV; i++) {
		ssize_t n = conn_read_raw(c, srv->rbuf, RBUF_SIZE);
		ssize_t rv;
		if (n == IO_AGAIN)
			return 0;
		if (n == 0 || n == IO_FATAL)
			return -1;
		c->in_recv = 1;
		rv = nghttp2_session_mem_recv(c->ng, srv->rbuf, (size_t)n);
		c->in_recv = 0;
		if (c->drop)
			return -1;
		if (rv < 0) {
			sd_complain(&srv->peer_fail, SD_LOG_INFO,
				    "sbi server: %s: %s, closing", c->peer,
				rv == NGHTTP2_ERR_BAD_CLIENT_MAGIC ?
				"not an HTTP/2 connection preface" :
				nghttp2_strerror((int)rv));
			/* say GOAWAY where we can, then close */
			nghttp2_session_terminate_session(c->ng, NGHTTP2_PROTOCOL_ERROR);
			return 0;
		}
		if (!c->ssl && (size_t)n < RBUF_SIZE)
			return 0;   /* drained; saves a read() that says EAGAIN */
	}
	return 0;
}

/* Move frames from nghttp2 to the socket until either is exhausted. Keeps
 * SD_EV_WRITE armed while bytes are pending. Returns -1 when the
 * connection is finished (error, or nghttp2 wants neither to read nor to
 * write any more); the caller then closes it. */
static int conn_flush(struct conn *c)
{
	int mask;
	for (;;) {
		size_t pending = c->wbuf.len - c->woff;
		if (pending) {
			ssize_t n = conn_write_raw(c, c->wbuf.data + c->woff, pending);
			if (n == IO_FATAL)
				return -1;
			if (n == IO_AGAIN)
				break;
			c->woff += (size_t)n;
			if (c->woff == c->wbuf.len) {
				sd_buf_reset(&c->wbuf);
				c->woff = 0;
			} else {
				continue;   /* partial write: try once more */
			}
		}
		if (!nghttp2_session_want_write(c->ng))
			break;
		if (nghttp2_session_send(c->ng) != 0)
			return -1;
		if (c->wbuf.len == c->woff)
			break;
	}
	if (c->wbuf.len == c->woff && !nghttp2_session_want_read(c->ng) &&
	    !nghttp2_session_want_write(c->ng))
		return -1;
	mask = SD_EV_READ;
	if (c->wbuf.len > c->woff || c->tls_read_wants_write)
		mask |= SD_EV_WRITE;
	conn_set_mask(c, mask);
	return 0;
}

static void on_conn_event(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct conn *c = arg;
	(void)loop; (void)fd;
	if (c->handshaking) {
		int r = tls_handshake(c);
		if (r < 0) {
			conn_close(c);
			return;
		}
		if (r == 0) {
			conn_set_mask(c, SD_EV_READ |
				      (c->tls_read_wants_write ? SD_EV_WRITE : 0));
			return;
		}
		events |= SD_EV_READ;   /* data may already be buffered */
	}
	if ((events & (SD_EV_READ | SD_EV_ERROR)) || c->tls_read_wants_write) {
		if (conn_read(c) < 0) {
			conn_close(c);
			return;
		}
	}
	if (conn_flush(c) < 0)
		conn_close(c);
}

/* Close the socket and forget the connection, its session and streams.
 * Only from the top of a loop callback or a public call, never from inside
 * nghttp2. */
static void conn_close(struct conn *c)
{
	struct sd_sbi_server *srv = c->srv;
	sd_debug("sbi server: %s: closed", c->peer);
	if (c->hello_timer)
		sd_loop_timer_del(srv->loop, c->hello_timer);
	while (c->streams)
		stream_release(c->streams);
	sd_loop_unwatch(srv->loop, c->fd);
	if (c->ssl)
		SSL_free(c->ssl);
	close(c->fd);
	nghttp2_session_del(c->ng);
	sd_buf_done(&c->wbuf);
	if (c->prev)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	srv->nconns--;
	free(c);
}

static void on_hello_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct conn *c = arg;
	(void)loop; (void)id;
	c->hello_timer = 0;
	sd_complain(&c->srv->peer_fail, SD_LOG_INFO,
		    "sbi server: %s: no %s within %lld ms, closing", c->peer,
		c->handshaking ? "TLS handshake" : "HTTP/2 preface",
		(long long)c->srv->hello_timeout_ms);
	conn_close(c);
}

static void fmt_sockaddr(const struct sockaddr_storage *ss, char *buf, size_t bufsz)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port = 0;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;
		inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
		port = ntohs(a->sin6_port);
		snprintf(buf, bufsz, "[%s]:%d", host, port);
	} else {
		const struct sockaddr_in *a = (const void *)ss;
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
		port = ntohs(a->sin_port);
		snprintf(buf, bufsz, "%s:%d", host, port);
	}
}

/* Set up a connection on an accepted socket: nghttp2 session, our SETTINGS,
 * TLS object. Closes fd on failure. */
static void conn_new(struct sd_sbi_server *srv, int fd,
		     const struct sockaddr_storage *ss)
{
	nghttp2_settings_entry iv[2];
	struct conn *c = sd_calloc(1, sizeof *c);
	int one = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c->srv = srv;
	c->fd = fd;
	fmt_sockaddr(ss, c->peer, sizeof c->peer);
	sd_buf_init(&c->wbuf, WBUF_MAX);
	if (nghttp2_session_server_new(&c->ng, srv->cbs, c) != 0) {
		sd_err("sbi server: cannot create an HTTP/2 session");
		close(fd);
		free(c);
		return;
	}
	iv[0].settings_id = NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS;
	iv[0].value = srv->max_streams;
	iv[1].settings_id = NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE;
	iv[1].value = 1 << 20;
	nghttp2_submit_settings(c->ng, NGHTTP2_FLAG_NONE, iv, SD_ARRAY_LEN(iv));
	nghttp2_session_set_local_window_size(c->ng, NGHTTP2_FLAG_NONE, 0, 1 << 24);
	if (srv->ssl_ctx) {
		BIO *bio;
		BIO_METHOD *m = nosig_method();
		c->ssl = SSL_new(srv->ssl_ctx);
		bio = m ? BIO_new(m) : NULL;
		if (!c->ssl || !bio) {
			sd_err("sbi server: cannot create a TLS session");
			BIO_free(bio);
			SSL_free(c->ssl);
			nghttp2_session_del(c->ng);
			close(fd);
			free(c);
			return;
		}
		BIO_set_fd(bio, fd, BIO_NOCLOSE);
		SSL_set_bio(c->ssl, bio, bio);
		SSL_set_accept_state(c->ssl);
		c->handshaking = 1;
	}
	c->next = srv->conns;
	if (srv->conns)
		srv->conns->prev = c;
	srv->conns = c;
	srv->nconns++;
	c->mask = SD_EV_READ | SD_EV_WRITE;
	c->hello_timer = sd_loop_timer_add(srv->loop, srv->hello_timeout_ms,
					   on_hello_timer, c);
	if (sd_loop_watch(srv->loop, fd, c->mask, on_conn_event, c) < 0) {
		conn_close(c);
		return;
	}
	sd_debug("sbi server: %s: connected", c->peer);
}

static void on_listen_event(struct sd_loop *loop, int fd, int events, void *arg);

static void on_accept_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sbi_server *srv = arg;
	(void)id;
	srv->accept_timer = 0;
	sd_loop_watch(loop, srv->fd, SD_EV_READ, on_listen_event, srv);
}

static void on_listen_event(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_sbi_server *srv = arg;
	int i;
	(void)events;
	for (i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int cfd = accept4(fd, (struct sockaddr *)&ss, &sl,
				  SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ||
			    errno == ECONNABORTED)
				return;
			sd_complain(&srv->accept_fail, SD_LOG_WARN,
				    "sbi server %s: accept: %s", srv->addr,
				    strerror(errno));
			/* EMFILE and friends: the backlog stays readable, so
			 * pause accepting instead of spinning */
			sd_loop_unwatch(loop, fd);
			srv->accept_timer = sd_loop_timer_add(loop, 100,
							      on_accept_timer, srv);
			return;
		}
		sd_complain_clear(&srv->accept_fail, "sbi server %s: accepting again",
				  srv->addr);
		if (srv->nconns >= srv->max_conns) {
			sd_debug("sbi server %s: connection limit %d reached",
				 srv->addr, srv->max_conns);
			close(cfd);
			continue;
		}
		conn_new(srv, cfd, &ss);
	}
}

/* ---- server ------------------------------------------------------------- */

/* Split "host:port" / "[v6]:port" / ":port" into host (NULL = any) and
 * port text. */
static int parse_listen(const char *s, char *host, size_t hostsz, const char **port)
{
	const char *colon;
	size_t n;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return -1;
		n = (size_t)(rb - s - 1);
		if (n == 0 || n >= hostsz)
			return -1;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		*port = rb + 2;
		return **port ? 0 : -1;
	}
	colon = strrchr(s, ':');
	if (!colon || colon[1] == '\0')
		return -1;
	n = (size_t)(colon - s);
	if (n >= hostsz || memchr(s, ':', n))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	*port = colon + 1;
	return 0;
}

static int listen_on(const char *spec, char *err, size_t errsz)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256];
	const char *port;
	long long pnum;
	int fd = -1, rc, one = 1, lasterr = 0;

	if (!spec || parse_listen(spec, host, sizeof host, &port) < 0 ||
	    !sd_parse_ll(port, 0, 65535, &pnum)) {
		snprintf(err, errsz, "sbi server: listen \"%s\": expected host:port "
			 "or [v6addr]:port", spec ? spec : "");
		return -1;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host[0] && strcmp(host, "*") ? host : NULL, port, &hints, &res);
	if (rc != 0) {
		snprintf(err, errsz, "sbi server: listen \"%s\": %s", spec,
			 gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			lasterr = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 511) == 0)
			break;
		lasterr = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(err, errsz, "sbi server: listen \"%s\": %s", spec,
			 strerror(lasterr ? lasterr : EADDRNOTAVAIL));
	return fd;
}

struct sd_sbi_server *sd_sbi_server_new(struct sd_loop *loop,
					const struct sd_sbi_server_conf *conf,
					char *err, size_t errsz)
{
	struct sd_sbi_server *srv;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	int tls = conf->cert_file && conf->cert_file[0];

	if (tls && !(conf->key_file && conf->key_file[0])) {
		snprintf(err, errsz, "sbi server: cert_file given without key_file");
		return NULL;
	}
	srv = sd_calloc(1, sizeof *srv);
	srv->loop = loop;
	srv->max_body = conf->max_body ? conf->max_body : 1024 * 1024;
	srv->max_header_bytes = conf->max_header_bytes ? conf->max_header_bytes
						       : 16 * 1024;
	srv->max_streams = conf->max_streams ? conf->max_streams : 128;
	srv->max_conns = conf->max_conns > 0 ? conf->max_conns : 256;
	srv->hello_timeout_ms = conf->hello_timeout_ms > 0 ? conf->hello_timeout_ms
							   : 10000;
	srv->max_deferred = conf->max_deferred ? conf->max_deferred : 4096;
	if (tls) {
		srv->ssl_ctx = tls_ctx_new(conf->cert_file, conf->key_file, err, errsz);
		if (!srv->ssl_ctx) {
			free(srv);
			return NULL;
		}
	}
	srv->fd = listen_on(conf->listen, err, errsz);
	if (srv->fd < 0) {
		SSL_CTX_free(srv->ssl_ctx);
		free(srv);
		return NULL;
	}
	getsockname(srv->fd, (struct sockaddr *)&ss, &sl);
	fmt_sockaddr(&ss, srv->addr, sizeof srv->addr);
	snprintf(srv->api_root, sizeof srv->api_root, "%s://%s",
		 tls ? "https" : "http", srv->addr);

	nghttp2_session_callbacks_new(&srv->cbs);
	nghttp2_session_callbacks_set_send_callback(srv->cbs, send_cb);
	nghttp2_session_callbacks_set_on_begin_headers_callback(srv->cbs,
								on_begin_headers_cb);
	nghttp2_session_callbacks_set_on_header_callback(srv->cbs, on_header_cb);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(srv->cbs,
								  on_data_chunk_recv_cb);
	nghttp2_session_callbacks_set_on_frame_recv_callback(srv->cbs, on_frame_recv_cb);
	nghttp2_session_callbacks_set_on_stream_close_callback(srv->cbs,
							       on_stream_close_cb);
	nghttp2_session_callbacks_set_on_frame_not_send_callback(srv->cbs,
								 on_frame_not_send_cb);
	srv->rbuf = sd_malloc(RBUF_SIZE);

	if (sd_loop_watch(loop, srv->fd, SD_EV_READ, on_listen_event, srv) < 0) {
		snprintf(err, errsz, "sbi server: cannot watch the listening socket");
		sd_sbi_server_free(srv);
		return NULL;
	}
	sd_info("sbi server: listening on %s (%s)", srv->addr, tls ? "TLS, h2" : "h2c");
	return srv;
}

void sd_sbi_server_free(struct sd_sbi_server *srv)
{
	size_t i;
	if (!srv)
		return;
	while (srv->conns)
		conn_close(srv->conns);   /* detaches every deferred handle's stream */
	if (srv->ndeferred)
		sd_info("sbi server %s: freed with %zu deferred answers outstanding; "
			"their holders' answers will be dropped", srv->addr,
			srv->ndeferred);
	while (srv->deferred) {
		/* the handles are their holders': cut them loose, free nothing */
		struct sd_sbi_deferred *d = srv->deferred;
		d->s = NULL;
		deferred_unlink(d);
	}
	if (srv->flush_timer)
		sd_loop_timer_del(srv->loop, srv->flush_timer);
	while (srv->free_streams) {
		struct stream *s = srv->free_streams;
		srv->free_streams = s->next;
		sd_buf_done(&s->arena);
		sd_buf_done(&s->body);
		free(s);
	}
	if (srv->accept_timer)
		sd_loop_timer_del(srv->loop, srv->accept_timer);
	sd_loop_unwatch(srv->loop, srv->fd);
	close(srv->fd);
	for (i = 0; i < srv->nroutes; i++)
		route_done(&srv->routes[i]);
	free(srv->routes);
	if (srv->cbs)
		nghttp2_session_callbacks_del(srv->cbs);
	SSL_CTX_free(srv->ssl_ctx);
	free(srv->rbuf);
	free(srv);
}

int sd_sbi_server_route(struct sd_sbi_server *srv, const char *method,
			const char *path_template, sd_sbi_handler h, void *arg)
{
	return sd_sbi_server_route_ex(srv, method, path_template, h, arg, NULL);
}

int sd_sbi_server_route_ex(struct sd_sbi_server *srv, const char *method,
			   const char *path_template, sd_sbi_handler h, void *arg,
			   const struct sd_sbi_route_opts *opts)
{
	struct route rt;
	size_t i;

	if (!h) {
		sd_err("sbi server: route %s %s without a handler",
		       method ? method : "(null)", path_template ? path_template : "(null)");
		return -1;
	}
	if (route_parse(&rt, method, path_template) < 0)
		return -1;
	for (i = 0; i < srv->nroutes; i++) {
		if (route_same(&srv->routes[i], &rt)) {
			sd_err("sbi server: route %s %s is already served (as %s)",
			       method, path_template, srv->routes[i].tmpl);
			route_done(&rt);
			return -1;
		}
	}
	rt.h = h;
	rt.arg = arg;
	rt.owner = opts && opts->owner ? opts->owner : arg;
	rt.max_body = opts ? opts->max_body : 0;
	srv->routes = sd_reallocarray(srv->routes, srv->nroutes + 1, sizeof *srv->routes);
	srv->routes[srv->nroutes++] = rt;
	return 0;
}

int sd_sbi_server_unroute(struct sd_sbi_server *srv, const char *method,
			  const char *path_template)
{
	struct route key;
	size_t i;
	int n = 0;

	/* parse with a placeholder method; compared below as the caller asked */
	if (route_parse(&key, method ? method : "*", path_template) < 0)
		return 0;
	for (i = srv->nroutes; i-- > 0;) {
		struct route *rt = &srv->routes[i];
		if (!method) {
			free(key.method);
			key.method = sd_strdup(rt->method);
		}
		if (route_same(rt, &key)) {
			route_remove(srv, i);
			n++;
		}
	}
	route_done(&key);
	return n;
}

int sd_sbi_server_unroute_owner(struct sd_sbi_server *srv, const void *owner)
{
	size_t i;
	int n = 0;
	if (!owner)
		return 0;
	for (i = srv->nroutes; i-- > 0;) {
		if (srv->routes[i].owner == owner) {
			route_remove(srv, i);
			n++;
		}
	}
	return n;
}

const char *sd_sbi_server_addr(const struct sd_sbi_server *srv)
{
	return srv->addr;
}

const char *sd_sbi_server_api_root(const struct sd_sbi_server *srv)
{
	return srv->api_root;
}

void sd_sbi_server_goaway_all(struct sd_sbi_server *srv)
{
	struct conn *c, *next;
	for (c = srv->conns; c; c = next) {
		next = c->next;
		nghttp2_session_terminate_session(c->ng, NGHTTP2_NO_ERROR);
		if (c->in_recv)
			continue;   /* flushed when nghttp2 returns */
		if (c->handshaking || conn_flush(c) < 0)
			conn_close(c);
	}
}
