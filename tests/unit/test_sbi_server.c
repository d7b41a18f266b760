/* tests/unit/test_sbi_server.c — the HTTP/2 SBI server driven by real
 * clients: libcurl, a small nghttp2 client written here (for frame-exact
 * checks: RST_STREAM codes, GOAWAY, refused streams, dead peers), and the
 * nghttp / h2load / openssl command-line tools.
 *
 * The server's loop runs in a second thread; the test thread makes blocking
 * client calls. Anything that touches the server or loop after start goes
 * through fx_call, which runs a function on the loop thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/loop.h"
#include "core/sbi_server.h"
#include "core/util.h"

/* --- fixture: a server on its own loop thread --------------------------- */

struct fx {
	struct sd_loop *loop;
	struct sd_sbi_server *srv;
	pthread_t th;
	int cmd[2], ack[2];        /* pipes: test -> loop, loop -> test */
	void (*fn)(struct fx *, void *);
	void *fn_arg;
	int stop;
	int port;
	char root[128];
	char certdir[64];
	/* deferred answers (loop thread only) */
	struct sd_sbi_deferred *held[256];  /* kept by h_hold until released */
	char held_tag[256][16];
	int nheld;
	int answered, dropped;     /* what the timer answers returned */
	size_t count;              /* sd_sbi_server_deferred_count, sampled */
};

static void on_cmd(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct fx *f = arg;
	char ch;
	(void)loop; (void)events;
	if (read(fd, &ch, 1) != 1)
		return;
	f->fn(f, f->fn_arg);
	if (write(f->ack[1], "k", 1) != 1)
		abort();
}

/* Run fn(f, arg) on the loop thread and wait for it. */
static void fx_call(struct fx *f, void (*fn)(struct fx *, void *), void *arg)
{
	char ch;
	f->fn = fn;
	f->fn_arg = arg;
	assert_int_equal(write(f->cmd[1], "c", 1), 1);
	assert_int_equal(read(f->ack[0], &ch, 1), 1);
}

static void *loop_main(void *arg)
{
	struct fx *f = arg;
	while (!f->stop)
		sd_loop_once(f->loop, 200);
	return NULL;
}

/* --- handlers (run on the loop thread) ---------------------------------- */

static void h_nf_get(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	json_t *o = json_pack("{s:s, s:s, s:i, s:s}", "nfInstanceId", req->params[0],
			      "method", req->method, "nparams", (int)req->nparams,
			      "path", req->path);
	(void)arg;
	sd_sbi_resp_json(resp, 200, json_dumps(o, JSON_COMPACT));
	json_decref(o);
}

static void h_two(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	json_t *o = json_pack("{s:s, s:s}", "a", req->params[0], "b", req->params[1]);
	(void)arg;
	sd_sbi_resp_json(resp, 200, json_dumps(o, JSON_COMPACT));
	json_decref(o);
}

/* Echo the body back with 201 and a Location, like an NF registration. */
static void h_nf_put(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	(void)arg;
	resp->status = 201;
	snprintf(resp->location, sizeof resp->location, "http://%s%s",
		 req->authority ? req->authority : "?", req->path);
	if (req->body) {
		resp->body = sd_strndup(req->body, req->body_len);
		resp->body_len = req->body_len;
	}
	sd_strlcpy(resp->content_type, req->content_type ? req->content_type : "x/none",
		   sizeof resp->content_type);
	resp->extra[0].name = "X-Body-Len";   /* nghttp2 lower-cases it */
	resp->extra[0].value = req->body && req->body_len == strlen(req->body) ?
			       "consistent" : "odd";
}

static void h_query(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	static const char *names[] = { "snssais", "plus", "empty", "bad", "absent",
				       "target-nf-type" };
	char buf[256];
	json_t *o = json_object();
	size_t i;
	(void)arg;
	for (i = 0; i < SD_ARRAY_LEN(names); i++) {
		const char *v = sd_sbi_req_query(req, names[i], buf, sizeof buf);
		json_object_set_new(o, names[i], v ? json_string(v) : json_null());
	}
	json_object_set_new(o, "raw", req->query ? json_string(req->query) : json_null());
	sd_sbi_resp_json(resp, 200, json_dumps(o, JSON_COMPACT));
	json_decref(o);
}

static void h_hdr(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	const char *v = sd_sbi_req_header(req, "X-Test");
	(void)arg;
	resp->body = sd_strdup(v ? v : "(none)");
	resp->body_len = strlen(resp->body);
	sd_strlcpy(resp->content_type, "text/plain", sizeof resp->content_type);
}

/* Body "<text>", delayed by ?ms= (default 0), misbehaving per arg. */
static void h_text(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	char buf[32];
	long long ms = 0;
	const char *v = sd_sbi_req_query(req, "ms", buf, sizeof buf);
	if (v)
		sd_parse_ll(v, 0, 600000, &ms);
	resp->delay_ms = ms;
	resp->body = sd_strdup(req->path + 1);
	resp->body_len = strlen(resp->body);
	sd_strlcpy(resp->content_type, "text/plain", sizeof resp->content_type);
	resp->misbehave = (enum sd_sbi_misbehave)(intptr_t)arg;
}

#define BIG_LEN (6 * 1024 * 1024)

static void h_big(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	size_t i;
	(void)req; (void)arg;
	resp->body = sd_malloc(BIG_LEN);
	for (i = 0; i < BIG_LEN; i++)
		resp->body[i] = (char)('a' + i % 26);
	resp->body_len = BIG_LEN;
	sd_strlcpy(resp->content_type, "application/octet-stream",
		   sizeof resp->content_type);
}

static void h_goaway_all(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	(void)req; (void)resp;
	sd_sbi_server_goaway_all(arg);
}

/* --- deferring handlers (arg: the fixture) ---------------------------- */

/* cmocka's asserts must not run on the loop thread (they longjmp into the
 * test thread's frame): a broken expectation there aborts instead. */
#define LOOP_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: loop thread: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

struct later {
	struct fx *f;
	struct sd_sbi_deferred *d;
	char what[32];
};

/* Give the kept answer back: 201 "later:<what>", or a 503 problem for
 * /later/problem. Counts whether the server still had a peer for it. */
static void on_later(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct later *l = arg;
	int rc;
	(void)loop; (void)id;
	if (strcmp(l->what, "problem") == 0) {
		rc = sd_sbi_deferred_problem(l->d, 503, "Service Unavailable",
					     "NF_CONGESTION", "answered later");
	} else {
		char *body = sd_printf("later:%s", l->what);
		rc = sd_sbi_deferred_answer(l->d, 201, "text/plain", body, strlen(body));
	}
	if (rc == 0)
		l->f->answered++;
	else
		l->f->dropped++;
	free(l);
}

/* GET /later/{what}?ms=N: keep the answer, give it from a loop timer N ms
 * later (default 50), as a module answers after a group commit. */
static void h_later(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fx *f = arg;
	struct later *l;
	char buf[32];
	long long ms = 50;
	const char *v = sd_sbi_req_query(req, "ms", buf, sizeof buf);
	if (v)
		sd_parse_ll(v, 0, 600000, &ms);
	resp->body = sd_strdup("must not be sent");   /* defer drops it */
	resp->body_len = strlen(resp->body);
	l = sd_calloc(1, sizeof *l);
	l->f = f;
	l->d = sd_sbi_resp_defer(resp);
	LOOP_CHECK(l->d != NULL);
	LOOP_CHECK(sd_sbi_resp_defer(resp) == l->d);   /* twice: same handle */
	LOOP_CHECK(sd_sbi_deferred_alive(l->d));
	sd_strlcpy(l->what, req->params[0], sizeof l->what);
	sd_loop_timer_add(f->loop, ms, on_later, l);
}

/* GET /hold/{tag}: keep the answer until the test releases it (fx_call
 * do_release); a refused defer leaves the server's 503 in resp. */
static void h_hold(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fx *f = arg;
	struct sd_sbi_deferred *d = sd_sbi_resp_defer(resp);
	if (!d)
		return;
	LOOP_CHECK(f->nheld < (int)SD_ARRAY_LEN(f->held));
	sd_strlcpy(f->held_tag[f->nheld], req->params[0], sizeof f->held_tag[0]);
	f->held[f->nheld++] = d;
}

/* GET /sync: defer, then answer before returning (the commit was quick). */
static void h_sync(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_sbi_deferred *d = sd_sbi_resp_defer(resp);
	(void)req; (void)arg;
	LOOP_CHECK(d != NULL);
	LOOP_CHECK(sd_sbi_deferred_answer(d, 202, "text/plain", sd_strdup("sync"), 4) == 0);
}

/* GET /once: answers, and removes its own route while doing so. */
static void h_once(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct fx *f = arg;
	(void)req;
	LOOP_CHECK(sd_sbi_server_unroute(f->srv, "GET", "/once") == 1);
	resp->body = sd_strdup("once");
	resp->body_len = 4;
	sd_strlcpy(resp->content_type, "text/plain", sizeof resp->content_type);
}

static void add_defer_routes(struct fx *f)
{
	const struct sd_sbi_route_opts small = { .max_body = 100 };
	const struct sd_sbi_route_opts roomy = { .max_body = 10000 };
	assert_int_equal(sd_sbi_server_route(f->srv, "GET", "/later/{what}", h_later, f), 0);
	assert_int_equal(sd_sbi_server_route(f->srv, "GET", "/hold/{tag}", h_hold, f), 0);
	assert_int_equal(sd_sbi_server_route(f->srv, "GET", "/sync", h_sync, f), 0);
	assert_int_equal(sd_sbi_server_route(f->srv, "GET", "/once", h_once, f), 0);
	assert_int_equal(sd_sbi_server_route_ex(f->srv, "POST", "/capped", h_nf_put, NULL,
						&small), 0);
	assert_int_equal(sd_sbi_server_route_ex(f->srv, "POST", "/roomy", h_nf_put, NULL,
						&roomy), 0);
}

/* Loop-thread helpers for fx_call. */
static void do_count(struct fx *f, void *arg)
{
	(void)arg;
	f->count = sd_sbi_server_deferred_count(f->srv);
}

/* Answer every held request: 200 "n=<tag>". */
static void do_release(struct fx *f, void *arg)
{
	int i;
	(void)arg;
	for (i = 0; i < f->nheld; i++) {
		char *body = sd_printf("n=%s", f->held_tag[i]);
		if (sd_sbi_deferred_answer(f->held[i], 200, "text/plain", body,
					   strlen(body)) == 0)
			f->answered++;
		else
			f->dropped++;
	}
	f->nheld = 0;
}

static size_t fx_count(struct fx *f)
{
	fx_call(f, do_count, NULL);
	return f->count;
}

/* Wait (bounded, 5 s) until the fixture's dropped counter reaches n. */
static void fx_wait_dropped(struct fx *f, int n)
{
	int i;
	for (i = 0; i < 500; i++) {
		fx_call(f, do_count, NULL);
		if (f->dropped >= n)
			return;
		usleep(10 * 1000);
	}
	fail_msg("dropped %d, wanted %d", f->dropped, n);
}

static void add_routes(struct sd_sbi_server *srv)
{
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}",
					     h_nf_get, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "PUT", "/nnrf-nfm/v1/nf-instances/{nfInstanceID}",
					     h_nf_put, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "POST", "/echo", h_nf_put, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/a/{x}/b/{y}", h_two, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/query", h_query, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/hdr", h_hdr, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/x", h_text, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/slow", h_text, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/fast", h_text, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/rst", h_text,
					     (void *)(intptr_t)SD_SBI_RST_STREAM), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/goaway", h_text,
					     (void *)(intptr_t)SD_SBI_GOAWAY), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/drop", h_text,
					     (void *)(intptr_t)SD_SBI_DROP_CONN), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/big", h_big, NULL), 0);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/goaway-all", h_goaway_all, srv), 0);
}

static struct fx *fx_start_conf(struct sd_sbi_server_conf *conf)
{
	struct fx *f = calloc(1, sizeof *f);
	char err[256] = "";
	const char *colon;
	f->loop = sd_loop_new();
	assert_non_null(f->loop);
	f->srv = sd_sbi_server_new(f->loop, conf, err, sizeof err);
	if (!f->srv)
		fail_msg("server: %s", err);
	add_routes(f->srv);
	add_defer_routes(f);
	colon = strrchr(sd_sbi_server_addr(f->srv), ':');
	f->port = atoi(colon + 1);
	assert_true(f->port > 0);
	sd_strlcpy(f->root, sd_sbi_server_api_root(f->srv), sizeof f->root);
	assert_int_equal(pipe(f->cmd), 0);
	assert_int_equal(pipe(f->ack), 0);
	assert_int_equal(sd_loop_watch(f->loop, f->cmd[0], SD_EV_READ, on_cmd, f), 0);
	assert_int_equal(pthread_create(&f->th, NULL, loop_main, f), 0);
	return f;
}

static struct fx *fx_start(void)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0" };
	return fx_start_conf(&conf);
}

static void do_stop(struct fx *f, void *arg)
{
	(void)arg;
	f->stop = 1;
}

static void fx_stop(struct fx *f)
{
	fx_call(f, do_stop, NULL);
	pthread_join(f->th, NULL);
	sd_sbi_server_free(f->srv);
	sd_loop_unwatch(f->loop, f->cmd[0]);
	sd_loop_free(f->loop);
	close(f->cmd[0]);
	close(f->cmd[1]);
	close(f->ack[0]);
	close(f->ack[1]);
	free(f);
}

/* --- libcurl ------------------------------------------------------------- */

struct cres {
	CURLcode rc;
	long status;
	long httpver;
	char ctype[128];
	char location[256];
	char xhdr[64];
	char allow[64];
	struct sd_buf body;
};

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct cres *r = arg;
	return sd_buf_add(&r->body, p, sz * n) == 0 ? sz * n : 0;
}

static size_t on_hdr(char *p, size_t sz, size_t n, void *arg)
{
	struct cres *r = arg;
	size_t len = sz * n;
	char line[512];
	if (len >= sizeof line)
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "location: ", 10) == 0)
		sd_strlcpy(r->location, line + 10, sizeof r->location);
	if (strncasecmp(line, "allow: ", 7) == 0)
		sd_strlcpy(r->allow, line + 7, sizeof r->allow);
	if (strncasecmp(line, "x-body-len: ", 12) == 0)
		sd_strlcpy(r->xhdr, line + 12, sizeof r->xhdr);
	return len;
}

/* One request on a fresh connection (curl#10634: Debian's 7.88.1 breaks
 * reused h2c prior-knowledge connections). */
static void curl_req(struct cres *r, const char *url, const char *method,
		     const char *body, size_t blen, const char *hdr,
		     long httpver, const char *cafile)
{
	CURL *e = curl_easy_init();
	struct curl_slist *hl = NULL;
	char *ct = NULL;
	memset(r, 0, sizeof *r);
	sd_buf_init(&r->body, 16 * 1024 * 1024);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, httpver);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_hdr);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	if (cafile)
		curl_easy_setopt(e, CURLOPT_CAINFO, cafile);
	if (method)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)blen);
		hl = curl_slist_append(hl, "Content-Type: application/json");
	}
	if (hdr)
		hl = curl_slist_append(hl, hdr);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hl);
	r->rc = curl_easy_perform(e);
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &r->httpver);
	if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct)
		sd_strlcpy(r->ctype, ct, sizeof r->ctype);
	curl_slist_free_all(hl);
	curl_easy_cleanup(e);
}

static void curl_h2(struct cres *r, struct fx *f, const char *path)
{
	char url[512];
	snprintf(url, sizeof url, "%s%s", f->root, path);
	curl_req(r, url, NULL, NULL, 0, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
}

static json_t *body_json(const struct cres *r)
{
	json_error_t je;
	json_t *j = json_loadb(r->body.data ? r->body.data : "", r->body.len, 0, &je);
	if (!j)
		fail_msg("not JSON (%s): %.200s", je.text, r->body.data ? r->body.data : "");
	return j;
}

static void assert_problem(struct cres *r, long status)
{
	json_t *j;
	assert_int_equal(r->rc, CURLE_OK);
	assert_int_equal(r->status, status);
	assert_string_equal(r->ctype, "application/problem+json");
	j = body_json(r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
	assert_non_null(json_string_value(json_object_get(j, "title")));
	json_decref(j);
}

/* --- a small nghttp2 client for frame-level checks ----------------------- */

struct cstream {
	int32_t id;
	int status;
	int closed;
	uint32_t err;
	char body[64];
	size_t blen;
	size_t total;      /* all DATA bytes, also beyond body[] */
	const char *up;    /* request body being sent (h2c_post) */
	size_t uplen, upoff;
	int seq;           /* order of closing on the connection, from 1 */
};

struct h2c {
	int fd;
	nghttp2_session *ng;
	struct cstream st[256];
	int n;
	int goaway;
	int eof;
	int port;
	int nclosed;
};

static struct cstream *h2c_find(struct h2c *c, int32_t id)
{
	int i;
	for (i = 0; i < c->n; i++)
		if (c->st[i].id == id)
			return &c->st[i];
	return NULL;
}

static ssize_t h2c_send_cb(nghttp2_session *ng, const uint8_t *d, size_t len,
			   int flags, void *u)
{
	struct h2c *c = u;
	ssize_t n = send(c->fd, d, len, MSG_NOSIGNAL);
	(void)ng; (void)flags;
	return n < 0 ? NGHTTP2_ERR_CALLBACK_FAILURE : n;
}

static int h2c_header_cb(nghttp2_session *ng, const nghttp2_frame *fr, const uint8_t *name,
			 size_t nl, const uint8_t *value, size_t vl, uint8_t flags, void *u)
{
	struct cstream *s = h2c_find(u, fr->hd.stream_id);
	(void)ng; (void)flags;
	if (s && nl == 7 && memcmp(name, ":status", 7) == 0)
		s->status = atoi((const char *)value) + 0 * (int)vl;
	return 0;
}

static int h2c_data_cb(nghttp2_session *ng, uint8_t flags, int32_t id,
		       const uint8_t *d, size_t len, void *u)
{
	struct cstream *s = h2c_find(u, id);
	(void)ng; (void)flags;
	if (s)
		s->total += len;
	if (s && s->blen + len < sizeof s->body) {
		memcpy(s->body + s->blen, d, len);
		s->blen += len;
	}
	return 0;
}

static int h2c_close_cb(nghttp2_session *ng, int32_t id, uint32_t err, void *u)
{
	struct h2c *c = u;
	struct cstream *s = h2c_find(c, id);
	(void)ng;
	if (s) {
		s->closed = 1;
		s->err = err;
		s->seq = ++c->nclosed;
	}
	return 0;
}

static int h2c_frame_cb(nghttp2_session *ng, const nghttp2_frame *fr, void *u)
{
	struct h2c *c = u;
	(void)ng;
	if (fr->hd.type == NGHTTP2_GOAWAY)
		c->goaway = 1;
	return 0;
}

static int tcp_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct timeval tv = { 10, 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void h2c_open(struct h2c *c, int port)
{
	nghttp2_session_callbacks *cb;
	memset(c, 0, sizeof *c);
	c->port = port;
	c->fd = tcp_connect(port);
	nghttp2_session_callbacks_new(&cb);
	nghttp2_session_callbacks_set_send_callback(cb, h2c_send_cb);
	nghttp2_session_callbacks_set_on_header_callback(cb, h2c_header_cb);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, h2c_data_cb);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, h2c_close_cb);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, h2c_frame_cb);
	assert_int_equal(nghttp2_session_client_new(&c->ng, cb, c), 0);
	nghttp2_session_callbacks_del(cb);
	assert_int_equal(nghttp2_submit_settings(c->ng, NGHTTP2_FLAG_NONE, NULL, 0), 0);
}

static void h2c_close(struct h2c *c)
{
	nghttp2_session_del(c->ng);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Queue a GET; returns the stream slot. Nothing is sent until h2c_pump. */
static struct cstream *h2c_get(struct h2c *c, const char *path)
{
	char auth[32];
	nghttp2_nv nv[4];
	int32_t id;
	snprintf(auth, sizeof auth, "127.0.0.1:%d", c->port);
#define MKNV(i, n, v) nv[i] = (nghttp2_nv){ (uint8_t *)(n), (uint8_t *)(v), \
					     strlen(n), strlen(v), NGHTTP2_NV_FLAG_NONE }
	MKNV(0, ":method", "GET");
	MKNV(1, ":scheme", "http");
	MKNV(2, ":authority", auth);
	MKNV(3, ":path", path);
	id = nghttp2_submit_request(c->ng, NULL, nv, 4, NULL, NULL);
	assert_true(id > 0);
	assert_true(c->n < (int)SD_ARRAY_LEN(c->st));
	c->st[c->n].id = id;
	return &c->st[c->n++];
}

/* Request body source: up[0..uplen); without up, no DATA ever comes (the
 * stream stays open on our side). */
static ssize_t h2c_up_cb(nghttp2_session *ng, int32_t id, uint8_t *buf, size_t len,
			 uint32_t *flags, nghttp2_data_source *src, void *u)
{
	struct cstream *s = src->ptr;
	size_t n;
	(void)ng; (void)id; (void)u;
	if (!s->up)
		return NGHTTP2_ERR_DEFERRED;
	n = s->uplen - s->upoff < len ? s->uplen - s->upoff : len;
	memcpy(buf, s->up + s->upoff, n);
	s->upoff += n;
	if (s->upoff == s->uplen)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

/* Queue a POST of body[0..len) (kept by the caller), with a content-length
 * header only when clen is given; body NULL: headers only, DATA never. */
static struct cstream *h2c_post(struct h2c *c, const char *path, const char *body,
				size_t len, const char *clen)
{
	char auth[32];
	nghttp2_nv nv[5];
	nghttp2_data_provider prd;
	struct cstream *s;
	int32_t id;
	size_t n = 4;
	snprintf(auth, sizeof auth, "127.0.0.1:%d", c->port);
	MKNV(0, ":method", "POST");
	MKNV(1, ":scheme", "http");
	MKNV(2, ":authority", auth);
	MKNV(3, ":path", path);
	if (clen)
		MKNV(n++, "content-length", clen);
	assert_true(c->n < (int)SD_ARRAY_LEN(c->st));
	s = &c->st[c->n];
	memset(s, 0, sizeof *s);
	s->up = body;
	s->uplen = len;
	prd.source.ptr = s;
	prd.read_callback = h2c_up_cb;
	id = nghttp2_submit_request(c->ng, NULL, nv, n, &prd, NULL);
	assert_true(id > 0);
	s->id = id;
	c->n++;
	return s;
}

static int until_status(struct h2c *c, void *arg)
{
	(void)c;
	return ((struct cstream *)arg)->status != 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send what is queued, then read until done(c, arg) or EOF; bounded (10 s
 * of silence). Returns 0 when done() became true. */
static int h2c_pump(struct h2c *c, int (*done)(struct h2c *, void *), void *arg)
{
	uint8_t buf[16384];
	int idle = 0;
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		ssize_t n;
		if (nghttp2_session_send(c->ng) != 0)
			return -1;
		if (done(c, arg))
			return 0;
		if (c->eof)
			return -1;
		if (poll(&p, 1, 100) == 0) {
			if (++idle > 100)
				return -1;
			continue;
		}
		idle = 0;
		n = recv(c->fd, buf, sizeof buf, 0);
		if (n <= 0) {
			c->eof = 1;
			continue;
		}
		if (nghttp2_session_mem_recv(c->ng, buf, (size_t)n) < 0)
			c->eof = 1;
	}
}

static int until_closed(struct h2c *c, void *arg)
{
	(void)c;
	return ((struct cstream *)arg)->closed;
}

static int until_all_closed(struct h2c *c, void *arg)
{
	int i;
	(void)arg;
	for (i = 0; i < c->n; i++)
		if (!c->st[i].closed)
			return 0;
	return 1;
}

static int until_eof(struct h2c *c, void *arg)
{
	(void)arg;
	return c->eof;
}

/* Run a shell command and capture its output (bounded). */
static int run_capture(const char *cmd, char *out, size_t outsz)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, r;
	assert_non_null(p);
	while (n + 1 < outsz && (r = fread(out + n, 1, outsz - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	return pclose(p);
}

/* --- tests --------------------------------------------------------------- */

static void test_query_decode(void **state)
{
	struct sd_sbi_req req = { 0 };
	char buf[64], tiny[4];
	(void)state;
	req.query = "snssais=%5B%7B%22sst%22%3A1%7D%5D&a+b=c&empty&e2=&bad=%4&nul=%00&x=1";
	assert_string_equal(sd_sbi_req_query(&req, "snssais", buf, sizeof buf),
			    "[{\"sst\":1}]");
	assert_string_equal(sd_sbi_req_query(&req, "a+b", buf, sizeof buf), "c");
	assert_string_equal(sd_sbi_req_query(&req, "empty", buf, sizeof buf), "");
	assert_string_equal(sd_sbi_req_query(&req, "e2", buf, sizeof buf), "");
	assert_string_equal(sd_sbi_req_query(&req, "x", buf, sizeof buf), "1");
	assert_null(sd_sbi_req_query(&req, "bad", buf, sizeof buf));
	assert_null(sd_sbi_req_query(&req, "nul", buf, sizeof buf));
	assert_null(sd_sbi_req_query(&req, "absent", buf, sizeof buf));
	assert_null(sd_sbi_req_query(&req, "snssais", tiny, sizeof tiny));
	req.query = NULL;
	assert_null(sd_sbi_req_query(&req, "x", buf, sizeof buf));
}

static void test_resp_helpers(void **state)
{
	struct sd_sbi_resp r = { 0 };
	json_t *j;
	(void)state;
	sd_sbi_resp_json(&r, 200, sd_strdup("{\"a\":1}"));
	assert_int_equal(r.body_len, 7);
	assert_string_equal(r.content_type, "application/json");
	sd_sbi_resp_problem(&r, 404, "Not Found", "SUBSCRIPTION_NOT_FOUND", "no sub 7");
	assert_int_equal(r.status, 404);
	assert_string_equal(r.content_type, "application/problem+json");
	j = json_loadb(r.body, r.body_len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "cause")),
			    "SUBSCRIPTION_NOT_FOUND");
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "no sub 7");
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Not Found");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 404);
	json_decref(j);
	free(r.body);
}

static void test_bad_listen(void **state)
{
	struct sd_loop *l = sd_loop_new();
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1" };
	char err[256] = "";
	(void)state;
	assert_null(sd_sbi_server_new(l, &conf, err, sizeof err));
	assert_non_null(strstr(err, "127.0.0.1"));
	conf.listen = "[::1:80";
	assert_null(sd_sbi_server_new(l, &conf, err, sizeof err));
	conf.listen = "127.0.0.1:70000";
	assert_null(sd_sbi_server_new(l, &conf, err, sizeof err));
	conf.listen = "127.0.0.1:0";
	conf.cert_file = "/nonexistent/cert.pem";
	conf.key_file = "/nonexistent/key.pem";
	assert_null(sd_sbi_server_new(l, &conf, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent/cert.pem"));
	sd_loop_free(l);
}

static void test_bad_templates(void **state)
{
	struct sd_loop *l = sd_loop_new();
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0" };
	char err[256] = "";
	struct sd_sbi_server *srv = sd_sbi_server_new(l, &conf, err, sizeof err);
	(void)state;
	assert_non_null(srv);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "no-slash", h_text, NULL), -1);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/a/{}", h_text, NULL), -1);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/{a}/{b}/{c}/{d}/{e}", h_text, NULL), -1);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/a{b}", h_text, NULL), -1);
	assert_int_equal(sd_sbi_server_route(srv, "", "/a", h_text, NULL), -1);
	assert_int_equal(sd_sbi_server_route(srv, "GET", "/{a}/{b}/{c}/{d}", h_text, NULL), 0);
	sd_sbi_server_free(srv);
	sd_loop_free(l);
}

static void test_get_params(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	json_t *j;
	(void)state;
	assert_non_null(strstr(f->root, "http://127.0.0.1:"));
	curl_h2(&r, f, "/nnrf-nfm/v1/nf-instances/5a2b%2Fx%20y");
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.httpver, CURL_HTTP_VERSION_2_0);
	assert_string_equal(r.ctype, "application/json");
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "nfInstanceId")), "5a2b/x y");
	assert_string_equal(json_string_value(json_object_get(j, "path")),
			    "/nnrf-nfm/v1/nf-instances/5a2b%2Fx%20y");
	assert_int_equal(json_integer_value(json_object_get(j, "nparams")), 1);
	json_decref(j);
	sd_buf_done(&r.body);

	curl_h2(&r, f, "/a/one/b/two");
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "a")), "one");
	assert_string_equal(json_string_value(json_object_get(j, "b")), "two");
	json_decref(j);
	sd_buf_done(&r.body);

	/* empty capture, extra segment, trailing slash: no route */
	curl_h2(&r, f, "/a//b/two");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);
	curl_h2(&r, f, "/a/one/b/two/three");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);
	curl_h2(&r, f, "/nnrf-nfm/v1/nf-instances/");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);

	/* a header reaches the handler */
	{
		char url[256];
		snprintf(url, sizeof url, "%s/hdr", f->root);
		curl_req(&r, url, NULL, NULL, 0, "X-Test: hello there",
			 CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
		assert_int_equal(r.status, 200);
		assert_string_equal(r.body.data, "hello there");
		sd_buf_done(&r.body);
	}
	fx_stop(f);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *d;
	long n;
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	d = sd_malloc((size_t)n + 1);
	assert_int_equal(fread(d, 1, (size_t)n, fp), (size_t)n);
	d[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return d;
}

static void test_post_json(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	char url[256];
	size_t len, i;
	char *body = read_file("tests/data/sbi_server/nf-profile.json", &len);
	char *large;
	(void)state;

	snprintf(url, sizeof url, "%s/nnrf-nfm/v1/nf-instances/5a2b3c4d", f->root);
	curl_req(&r, url, "PUT", body, len, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.body.len, len);
	assert_memory_equal(r.body.data, body, len);
	assert_string_equal(r.ctype, "application/json");
	assert_string_equal(r.xhdr, "consistent");
	assert_non_null(strstr(r.location, "/nnrf-nfm/v1/nf-instances/5a2b3c4d"));
	sd_buf_done(&r.body);

	/* a body in many DATA frames is reassembled */
	large = sd_malloc(200000);
	for (i = 0; i < 200000; i++)
		large[i] = (char)('0' + i % 10);
	snprintf(url, sizeof url, "%s/echo", f->root);
	curl_req(&r, url, "POST", large, 200000, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.body.len, 200000);
	assert_memory_equal(r.body.data, large, 200000);
	sd_buf_done(&r.body);
	free(large);
	free(body);
	fx_stop(f);
}

static void test_query_route(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	json_t *j;
	(void)state;
	curl_h2(&r, f, "/query?target-nf-type=SMF&snssais=%5B%7B%22sst%22%3A1%2C%22sd%22%3A%22000001%22%7D%5D"
		"&plus=a+b&empty&bad=%G1");
	assert_int_equal(r.status, 200);
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "snssais")),
			    "[{\"sst\":1,\"sd\":\"000001\"}]");
	assert_string_equal(json_string_value(json_object_get(j, "target-nf-type")), "SMF");
	assert_string_equal(json_string_value(json_object_get(j, "plus")), "a+b");
	assert_string_equal(json_string_value(json_object_get(j, "empty")), "");
	assert_true(json_is_null(json_object_get(j, "bad")));
	assert_true(json_is_null(json_object_get(j, "absent")));
	assert_non_null(strstr(json_string_value(json_object_get(j, "raw")), "snssais=%5B"));
	json_decref(j);
	sd_buf_done(&r.body);
	fx_stop(f);
}

static void test_404_405(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	char url[256];
	json_t *j;
	(void)state;
	curl_h2(&r, f, "/nope/at/all");
	assert_problem(&r, 404);
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "cause")),
			    "RESOURCE_URI_STRUCTURE_NOT_FOUND");
	json_decref(j);
	sd_buf_done(&r.body);

	snprintf(url, sizeof url, "%s/nnrf-nfm/v1/nf-instances/abc", f->root);
	curl_req(&r, url, "DELETE", NULL, 0, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 405);
	assert_string_equal(r.allow, "GET, PUT");
	sd_buf_done(&r.body);

	/* a malformed escape in a capture is the client's fault */
	curl_h2(&r, f, "/nnrf-nfm/v1/nf-instances/ab%zz");
	assert_problem(&r, 400);
	sd_buf_done(&r.body);
	fx_stop(f);
}

static void test_limits_body_header(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_body = 1000,
					   .max_header_bytes = 4096 };
	struct fx *f = fx_start_conf(&conf);
	struct cres r;
	char url[256], *big, *hdr;
	(void)state;
	big = calloc(1, 5001);
	memset(big, 'x', 5000);
	snprintf(url, sizeof url, "%s/echo", f->root);
	curl_req(&r, url, "POST", big, 5000, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 413);
	sd_buf_done(&r.body);
	/* exactly at the limit is fine */
	curl_req(&r, url, "POST", big, 1000, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.body.len, 1000);
	sd_buf_done(&r.body);

	hdr = calloc(1, 6000);
	memcpy(hdr, "X-Test: ", 8);
	memset(hdr + 8, 'h', 5900);
	snprintf(url, sizeof url, "%s/hdr", f->root);
	curl_req(&r, url, NULL, NULL, 0, hdr, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 431);
	sd_buf_done(&r.body);
	/* the connection limit did not leak: still serving */
	curl_h2(&r, f, "/x");
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);
	free(hdr);
	free(big);
	fx_stop(f);
}

/* The slow stream is held on a timer while a fast one on the SAME
 * connection is answered; then the peer vanishes with the slow one still
 * pending (its timer must die with it). */
static void test_delay_not_blocking(void **state)
{
	struct fx *f = fx_start();
	struct h2c c;
	struct cstream *slow, *fast, *s2;
	struct cres r;
	(void)state;
	h2c_open(&c, f->port);
	slow = h2c_get(&c, "/slow?ms=60000");
	fast = h2c_get(&c, "/fast");
	assert_int_equal(h2c_pump(&c, until_closed, fast), 0);
	assert_int_equal(fast->status, 200);
	assert_int_equal(fast->blen, 4);
	assert_memory_equal(fast->body, "fast", 4);
	assert_false(slow->closed);
	assert_int_equal(slow->status, 0);
	/* the client cancels the slow stream; the connection goes on */
	nghttp2_submit_rst_stream(c.ng, NGHTTP2_FLAG_NONE, slow->id, NGHTTP2_CANCEL);
	s2 = h2c_get(&c, "/slow?ms=60000");
	fast = h2c_get(&c, "/fast");
	assert_int_equal(h2c_pump(&c, until_closed, fast), 0);
	assert_int_equal(fast->status, 200);
	assert_false(s2->closed);
	h2c_close(&c);   /* vanish with s2 pending */

	/* a short delay does complete */
	curl_h2(&r, f, "/slow?ms=50");
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, "slow");
	sd_buf_done(&r.body);
	fx_stop(f);
}

static void test_misbehave(void **state)
{
	struct fx *f = fx_start();
	struct h2c c;
	struct cstream *s, *other;
	struct cres r;
	(void)state;

	/* RST_STREAM: curl fails, the connection survives for other streams */
	curl_h2(&r, f, "/rst");
	assert_int_not_equal(r.rc, CURLE_OK);
	sd_buf_done(&r.body);
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/rst");
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->err, NGHTTP2_INTERNAL_ERROR);
	assert_int_equal(s->status, 0);
	s = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 200);
	h2c_close(&c);

	/* delayed RST too */
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/rst?ms=30");
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->err, NGHTTP2_INTERNAL_ERROR);
	h2c_close(&c);

	/* GOAWAY: the answer arrives, then GOAWAY, then the socket closes */
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/goaway");
	assert_int_equal(h2c_pump(&c, until_eof, NULL), 0);
	assert_int_equal(s->status, 200);
	assert_int_equal(s->blen, 6);
	assert_int_equal(c.goaway, 1);
	h2c_close(&c);

	/* DROP_CONN: no answer, no GOAWAY, just EOF; even with another
	 * stream pending on a timer */
	curl_h2(&r, f, "/drop");
	assert_int_not_equal(r.rc, CURLE_OK);
	sd_buf_done(&r.body);
	h2c_open(&c, f->port);
	other = h2c_get(&c, "/slow?ms=60000");
	s = h2c_get(&c, "/drop");
	assert_int_equal(h2c_pump(&c, until_eof, NULL), 0);
	assert_int_equal(s->status, 0);
	assert_int_equal(other->status, 0);
	assert_int_equal(c.goaway, 0);
	h2c_close(&c);

	/* delayed DROP_CONN */
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/drop?ms=20");
	assert_int_equal(h2c_pump(&c, until_eof, NULL), 0);
	assert_int_equal(s->status, 0);
	h2c_close(&c);

	/* the server is still fine */
	curl_h2(&r, f, "/x");
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);
	fx_stop(f);
}

static void test_goaway_all(void **state)
{
	struct fx *f = fx_start();
	struct h2c a, b;
	struct cstream *pending, *s;
	(void)state;
	h2c_open(&a, f->port);
	pending = h2c_get(&a, "/slow?ms=60000");
	s = h2c_get(&a, "/x");
	assert_int_equal(h2c_pump(&a, until_closed, s), 0);
	h2c_open(&b, f->port);
	h2c_get(&b, "/goaway-all");
	assert_int_equal(h2c_pump(&b, until_eof, NULL), 0);
	assert_int_equal(b.goaway, 1);
	assert_int_equal(h2c_pump(&a, until_eof, NULL), 0);
	assert_int_equal(a.goaway, 1);
	assert_int_equal(pending->status, 0);
	h2c_close(&a);
	h2c_close(&b);
	fx_stop(f);
}

/* Requests beyond SETTINGS_MAX_CONCURRENT_STREAMS are refused. The client
 * sends all of them before it has even read the server's SETTINGS. */
static void test_max_streams(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_streams = 8 };
	struct fx *f = fx_start_conf(&conf);
	struct h2c c;
	int i, ok = 0, refused = 0;
	(void)state;
	h2c_open(&c, f->port);
	for (i = 0; i < 40; i++)
		h2c_get(&c, "/slow?ms=100");
	assert_int_equal(h2c_pump(&c, until_all_closed, NULL), 0);
	for (i = 0; i < c.n; i++) {
		if (c.st[i].status == 200)
			ok++;
		else if (c.st[i].err == NGHTTP2_REFUSED_STREAM)
			refused++;
	}
	assert_true(ok >= 8);
	assert_true(refused >= 1);
	assert_int_equal(ok + refused, 40);
	h2c_close(&c);
	fx_stop(f);
}

static void test_max_conns(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_conns = 2 };
	struct fx *f = fx_start_conf(&conf);
	int fd[3], i;
	uint8_t buf[64];
	(void)state;
	for (i = 0; i < 3; i++)
		fd[i] = tcp_connect(f->port);
	for (i = 0; i < 2; i++) {
		/* served: the server's SETTINGS frame (type 4) comes first */
		assert_true(recv(fd[i], buf, 9, MSG_WAITALL) == 9);
		assert_int_equal(buf[3], NGHTTP2_SETTINGS);
	}
	assert_int_equal(recv(fd[2], buf, sizeof buf, 0), 0);   /* closed at once */
	for (i = 0; i < 3; i++)
		close(fd[i]);
	fx_stop(f);
}

/* Peers that connect and then say nothing (cleartext) or never finish TLS
 * lose their slot after hello_timeout_ms; a real HTTP/2 peer that idles
 * does not. */
static void test_hello_timeout(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_conns = 1,
					   .hello_timeout_ms = 500 };
	struct fx *f = fx_start_conf(&conf);
	struct h2c c;
	struct cstream *s;
	uint8_t buf[64];
	ssize_t n;
	int fd;
	(void)state;
	fd = tcp_connect(f->port);
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
		;   /* the server's SETTINGS, then EOF */
	assert_int_equal(n, 0);
	close(fd);
	/* the slot is free again; a client that spoke HTTP/2 may idle past
	 * the hello timeout and still be served */
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 200);
	usleep(700 * 1000);
	s = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 200);
	h2c_close(&c);
	fx_stop(f);
}

static void test_http11_refused(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	char url[256];
	uint8_t buf[4096];
	size_t len = 0, off;
	ssize_t n;
	int fd, goaway = 0;
	static const char req[] = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	(void)state;
	snprintf(url, sizeof url, "%s/x", f->root);
	curl_req(&r, url, NULL, NULL, 0, NULL, CURL_HTTP_VERSION_1_1, NULL);
	assert_int_not_equal(r.rc, CURLE_OK);
	assert_int_not_equal(r.status, 200);
	sd_buf_done(&r.body);

	fd = tcp_connect(f->port);
	assert_int_equal(send(fd, req, sizeof req - 1, 0), (ssize_t)(sizeof req - 1));
	while (len < sizeof buf && (n = recv(fd, buf + len, sizeof buf - len, 0)) > 0)
		len += (size_t)n;
	assert_int_equal(n, 0);   /* closed by the server, not timed out */
	for (off = 0; off + 9 <= len;
	     off += 9 + ((size_t)buf[off] << 16 | (size_t)buf[off + 1] << 8 | buf[off + 2]))
		if (buf[off + 3] == NGHTTP2_GOAWAY)
			goaway = 1;
	assert_true(goaway);
	close(fd);
	fx_stop(f);
}

static void test_big_response(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	size_t i;
	(void)state;
	curl_h2(&r, f, "/big");
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.body.len, BIG_LEN);
	for (i = 0; i < BIG_LEN; i += 4093)
		assert_int_equal(r.body.data[i], 'a' + i % 26);
	sd_buf_done(&r.body);
	fx_stop(f);
}

static void test_h2load_many_streams(void **state)
{
	struct fx *f = fx_start();
	char cmd[256], out[8192];
	(void)state;
	snprintf(cmd, sizeof cmd, "timeout 60 h2load -n 1000 -c 1 -m 100 %s/x 2>&1", f->root);
	assert_int_equal(run_capture(cmd, out, sizeof out), 0);
	if (!strstr(out, "1000 succeeded, 0 failed, 0 errored"))
		fail_msg("h2load: %s", out);
	snprintf(cmd, sizeof cmd, "timeout 60 h2load -n 400 -c 4 -m 10 %s/query?snssais=%%5B%%5D 2>&1",
		 f->root);
	assert_int_equal(run_capture(cmd, out, sizeof out), 0);
	if (!strstr(out, "400 succeeded, 0 failed, 0 errored"))
		fail_msg("h2load: %s", out);
	/* nghttp: two streams on one connection, the fast one first */
	snprintf(cmd, sizeof cmd, "timeout 30 nghttp %s/slow?ms=1000 %s/fast 2>&1",
		 f->root, f->root);
	assert_int_equal(run_capture(cmd, out, sizeof out), 0);
	assert_string_equal(out, "fastslow");
	fx_stop(f);
}

static void test_ipv6(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "[::1]:0" };
	struct fx *f;
	struct cres r;
	(void)state;
	f = fx_start_conf(&conf);
	assert_non_null(strstr(f->root, "http://[::1]:"));
	curl_h2(&r, f, "/x");
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, "x");
	sd_buf_done(&r.body);
	fx_stop(f);
}

/* The client opens a huge window, asks for a big body and does not read
 * for a while: the server's socket fills up (EAGAIN) and only SD_EV_WRITE
 * can resume it, since the client sends nothing more. */
static void test_backpressure(void **state)
{
	struct fx *f = fx_start();
	struct h2c c;
	int i;
	nghttp2_settings_entry iv = { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 30 };
	(void)state;
	h2c_open(&c, f->port);
	assert_int_equal(nghttp2_submit_settings(c.ng, NGHTTP2_FLAG_NONE, &iv, 1), 0);
	assert_int_equal(nghttp2_session_set_local_window_size(c.ng, NGHTTP2_FLAG_NONE,
							       0, 1 << 30), 0);
	for (i = 0; i < 4; i++)
		h2c_get(&c, "/big");
	assert_int_equal(nghttp2_session_send(c.ng), 0);
	usleep(300 * 1000);
	assert_int_equal(h2c_pump(&c, until_all_closed, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(c.st[i].status, 200);
		assert_int_equal(c.st[i].total, BIG_LEN);
	}
	h2c_close(&c);
	fx_stop(f);
}

static void test_tls(void **state)
{
	char dir[] = "/tmp/sdsbitls.XXXXXX", cmd[1024], cert[128], key[128], url[256];
	char out[4096];
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0" };
	struct fx *f;
	struct cres r;
	int fd;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cert, sizeof cert, "%s/cert.pem", dir);
	snprintf(key, sizeof key, "%s/key.pem", dir);
	snprintf(cmd, sizeof cmd,
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
		 "-nodes -keyout %s -out %s -days 2 -subj /CN=localhost "
		 "-addext subjectAltName=IP:127.0.0.1,DNS:localhost >/dev/null 2>&1",
		 key, cert);
	assert_int_equal(system(cmd), 0);
	conf.cert_file = cert;
	conf.key_file = key;
	conf.hello_timeout_ms = 5000;   /* roomy: handshakes are slow under valgrind */
	f = fx_start_conf(&conf);
	assert_non_null(strstr(f->root, "https://127.0.0.1:"));

	snprintf(url, sizeof url, "%s/nnrf-nfm/v1/nf-instances/tls1", f->root);
	curl_req(&r, url, NULL, NULL, 0, NULL, CURL_HTTP_VERSION_2TLS, cert);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.httpver, CURL_HTTP_VERSION_2_0);   /* ALPN chose h2 */
	assert_non_null(strstr(r.body.data, "\"tls1\""));
	sd_buf_done(&r.body);

	/* big response through TLS (partial writes, WANT_WRITE) */
	snprintf(url, sizeof url, "%s/big", f->root);
	curl_req(&r, url, NULL, NULL, 0, NULL, CURL_HTTP_VERSION_2TLS, cert);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.body.len, BIG_LEN);
	sd_buf_done(&r.body);

	/* without the CA the client refuses the server */
	snprintf(url, sizeof url, "%s/x", f->root);
	curl_req(&r, url, NULL, NULL, 0, NULL, CURL_HTTP_VERSION_2TLS, "/dev/null");
	assert_int_not_equal(r.rc, CURLE_OK);
	sd_buf_done(&r.body);

	/* a peer that connects and talks garbage, one that vanishes */
	fd = tcp_connect(f->port);
	assert_int_equal(send(fd, "GET / HTTP/1.1\r\n\r\n", 18, 0), 18);
	close(fd);
	fd = tcp_connect(f->port);
	close(fd);
	/* one that never starts the handshake is closed after the hello
	 * timeout, without a byte from us */
	fd = tcp_connect(f->port);
	assert_int_equal(recv(fd, out, sizeof out, 0), 0);
	close(fd);

	/* h2load over TLS, many streams */
	snprintf(cmd, sizeof cmd, "timeout 60 h2load -n 300 -c 2 -m 50 %s/x 2>&1", f->root);
	assert_int_equal(run_capture(cmd, out, sizeof out), 0);
	if (!strstr(out, "300 succeeded, 0 failed, 0 errored"))
		fail_msg("h2load: %s", out);
	if (!strstr(out, "Application protocol: h2"))
		fail_msg("h2load: %s", out);
	fx_stop(f);
	unlink(cert);
	unlink(key);
	rmdir(dir);
}

/* --- route options, unroute, deferred answers ----------------------------- */

/* Outside a handler there is no stream to keep: NULL, nothing changes. */
static void test_defer_outside_handler(void **state)
{
	struct sd_sbi_resp r = { 0 };
	(void)state;
	r.status = 204;
	assert_null(sd_sbi_resp_defer(&r));
	assert_null(sd_sbi_resp_defer(NULL));
	assert_int_equal(r.status, 204);
	/* a NULL handle is dropped, and a body given with it freed */
	assert_int_equal(sd_sbi_deferred_answer(NULL, 200, NULL, sd_strdup("x"), 1), -1);
	assert_false(sd_sbi_deferred_alive(NULL));
}

/* A handler keeps its answer and gives it from a loop timer 50 ms later;
 * meanwhile other streams on the same connection are answered (no
 * head-of-line blocking). Then the problem form through curl, and an
 * answer given before the deferring handler returns. */
static void test_defer_later(void **state)
{
	struct fx *f = fx_start();
	struct h2c c;
	struct cstream *later, *fast, *fast2, *x, *later2;
	struct cres r;
	int64_t t0;
	json_t *j;
	(void)state;
	h2c_open(&c, f->port);
	t0 = now_ms();
	later = h2c_get(&c, "/later/one");
	fast = h2c_get(&c, "/fast");
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_true(fast->closed);
	assert_int_equal(fast->status, 200);
	assert_int_equal(x->status, 200);
	/* a request sent while one is deferred is still served at once */
	fast2 = h2c_get(&c, "/fast");
	assert_int_equal(h2c_pump(&c, until_closed, fast2), 0);
	assert_int_equal(fast2->status, 200);
	assert_int_equal(h2c_pump(&c, until_closed, later), 0);
	/* the order of closing, not timing, proves no head-of-line blocking:
	 * the deferred stream, sent first, ended last */
	assert_true(fast->seq < later->seq);
	assert_true(x->seq < later->seq);
	assert_true(fast2->seq < later->seq);
	assert_true(now_ms() - t0 >= 45);
	assert_int_equal(later->err, NGHTTP2_NO_ERROR);
	assert_int_equal(later->status, 201);
	assert_int_equal(later->blen, 9);
	assert_memory_equal(later->body, "later:one", 9);
	/* two deferred at once on one connection, answered in time order */
	later = h2c_get(&c, "/later/slower?ms=120");
	later2 = h2c_get(&c, "/later/sooner?ms=20");
	assert_int_equal(h2c_pump(&c, until_closed, later), 0);
	assert_true(later2->seq < later->seq);
	assert_memory_equal(later->body, "later:slower", 12);
	assert_memory_equal(later2->body, "later:sooner", 12);
	h2c_close(&c);
	assert_int_equal(fx_count(f), 0);   /* also syncs with the loop thread */
	assert_int_equal(f->answered, 3);
	assert_int_equal(f->dropped, 0);

	/* the problem form: problem+json with status and cause */
	curl_h2(&r, f, "/later/problem");
	assert_problem(&r, 503);
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "cause")), "NF_CONGESTION");
	json_decref(j);
	sd_buf_done(&r.body);

	/* deferred and answered before the handler returned */
	curl_h2(&r, f, "/sync");
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 202);
	assert_string_equal(r.body.data, "sync");
	sd_buf_done(&r.body);
	assert_int_equal(fx_count(f), 0);
	fx_stop(f);
}

/* Nobody waits any more: the peer vanished, or reset the stream, before
 * the answer. The answer is dropped (-1), nothing crashes (ASan), and a
 * stream object recycled for a newer request never gets the stale answer.
 * Last, a server freed with an answer outstanding leaves a detached handle
 * that the holder's late answer frees. */
static void test_defer_peer_gone(void **state)
{
	struct fx *f = fx_start();
	struct h2c c;
	struct cstream *a, *b, *x;
	struct sd_sbi_deferred *d;
	(void)state;

	/* the connection goes away with the answer pending */
	h2c_open(&c, f->port);
	h2c_get(&c, "/later/gone?ms=500");
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_int_equal(fx_count(f), 1);
	h2c_close(&c);
	fx_wait_dropped(f, 1);
	assert_int_equal(f->answered, 0);
	assert_int_equal(fx_count(f), 0);

	/* the client resets the stream; the connection stays. The next
	 * request reuses the freed stream object (LIFO free list) and must
	 * get its own answer, not the stale one due at 500 ms. */
	h2c_open(&c, f->port);
	a = h2c_get(&c, "/later/reset?ms=500");
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	nghttp2_submit_rst_stream(c.ng, NGHTTP2_FLAG_NONE, a->id, NGHTTP2_CANCEL);
	b = h2c_get(&c, "/slow?ms=1000");
	assert_int_equal(h2c_pump(&c, until_closed, b), 0);
	assert_int_equal(b->status, 200);
	assert_int_equal(b->blen, 4);
	assert_memory_equal(b->body, "slow", 4);
	assert_int_equal(a->status, 0);
	fx_wait_dropped(f, 2);
	assert_int_equal(f->answered, 0);
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_int_equal(x->status, 200);
	h2c_close(&c);

	/* the server is freed while a module still holds an answer */
	h2c_open(&c, f->port);
	h2c_get(&c, "/hold/last");
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_int_equal(fx_count(f), 1);
	assert_int_equal(f->nheld, 1);
	d = f->held[0];
	fx_stop(f);                      /* loop stopped: this thread owns d now */
	assert_false(sd_sbi_deferred_alive(d));
	assert_int_equal(sd_sbi_deferred_answer(d, 200, NULL, sd_strdup("{}"), 2), -1);
	assert_int_equal(h2c_pump(&c, until_eof, NULL), 0);
	h2c_close(&c);
}

static int until_tail_closed(struct h2c *c, void *arg)
{
	int i, from = *(int *)arg;
	for (i = from; i < c->n; i++)
		if (!c->st[i].closed)
			return 0;
	return 1;
}

/* 200 answers deferred at once on one connection (a group commit), the
 * per-server cap answering 503 beyond them, a request served while all
 * 200 wait, then one burst of answers. */
static void test_defer_many(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_streams = 300,
					   .max_deferred = 200 };
	struct fx *f = fx_start_conf(&conf);
	struct h2c c;
	struct cstream *x;
	char path[32];
	int i, from = 200;
	(void)state;
	h2c_open(&c, f->port);
	for (i = 0; i < 210; i++) {
		snprintf(path, sizeof path, "/hold/%d", i);
		h2c_get(&c, path);
	}
	assert_int_equal(h2c_pump(&c, until_tail_closed, &from), 0);
	for (i = 200; i < 210; i++)
		assert_int_equal(c.st[i].status, 503);
	for (i = 0; i < 200; i++)
		assert_false(c.st[i].closed);
	assert_int_equal(fx_count(f), 200);
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_int_equal(x->status, 200);
	for (i = 0; i < 200; i++)
		assert_false(c.st[i].closed);
	fx_call(f, do_release, NULL);
	assert_int_equal(f->answered, 200);
	assert_int_equal(h2c_pump(&c, until_all_closed, NULL), 0);
	for (i = 0; i < 200; i++) {
		char want[16];
		int n = snprintf(want, sizeof want, "n=%d", i);
		assert_int_equal(c.st[i].status, 200);
		assert_int_equal(c.st[i].err, NGHTTP2_NO_ERROR);
		assert_int_equal(c.st[i].blen, (size_t)n);
		assert_memory_equal(c.st[i].body, want, (size_t)n);
	}
	assert_int_equal(fx_count(f), 0);
	h2c_close(&c);
	fx_stop(f);
}

/* Each route's own body cap: lower and higher than the server's. */
static void test_route_body_cap(void **state)
{
	struct sd_sbi_server_conf conf = { .listen = "127.0.0.1:0", .max_body = 1000 };
	struct fx *f = fx_start_conf(&conf);
	struct cres r;
	struct h2c c;
	struct cstream *s, *x;
	char url[256], *big;
	(void)state;
	big = calloc(1, 200001);
	memset(big, 'b', 200000);

	snprintf(url, sizeof url, "%s/capped", f->root);
	curl_req(&r, url, "POST", big, 101, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 413);
	sd_buf_done(&r.body);
	curl_req(&r, url, "POST", big, 100, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.body.len, 100);
	sd_buf_done(&r.body);

	snprintf(url, sizeof url, "%s/roomy", f->root);
	curl_req(&r, url, "POST", big, 10000, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_int_equal(r.status, 201);
	assert_int_equal(r.body.len, 10000);
	sd_buf_done(&r.body);
	curl_req(&r, url, "POST", big, 10001, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 413);
	sd_buf_done(&r.body);

	/* routes without a cap keep the server's */
	snprintf(url, sizeof url, "%s/echo", f->root);
	curl_req(&r, url, "POST", big, 1001, NULL, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE, NULL);
	assert_problem(&r, 413);
	sd_buf_done(&r.body);

	h2c_open(&c, f->port);
	/* a declared length beyond the cap is refused before any DATA: the
	 * client here never sends a body byte */
	s = h2c_post(&c, "/capped", NULL, 0, "5000");
	assert_int_equal(h2c_pump(&c, until_status, s), 0);
	assert_int_equal(s->status, 413);
	nghttp2_submit_rst_stream(c.ng, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_CANCEL);
	/* no content-length: refused when the DATA crosses the cap, the rest
	 * of the 200 kB discarded, the connection still good */
	s = h2c_post(&c, "/capped", big, 200000, NULL);
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 413);
	s = h2c_post(&c, "/capped", big, 100, NULL);
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 201);
	assert_int_equal(s->total, 100);
	x = h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, x), 0);
	assert_int_equal(x->status, 200);
	h2c_close(&c);
	free(big);
	fx_stop(f);
}

/* Modules register with an owner and leave again. */
static int owner_a, owner_b;

static void do_unroute_setup(struct fx *f, void *arg)
{
	const struct sd_sbi_route_opts a = { .owner = &owner_a };
	const struct sd_sbi_route_opts b = { .owner = &owner_b };
	int *rc = arg;
	rc[0] = sd_sbi_server_route_ex(f->srv, "GET", "/mod/a", h_text, NULL, &a);
	rc[1] = sd_sbi_server_route_ex(f->srv, "POST", "/mod/a", h_text, NULL, &a);
	rc[2] = sd_sbi_server_route_ex(f->srv, "GET", "/mod/b/{id}", h_text, NULL, &a);
	rc[3] = sd_sbi_server_route_ex(f->srv, "GET", "/mod/c", h_text, NULL, &b);
	/* the same shape again, under another parameter name or owner */
	rc[4] = sd_sbi_server_route_ex(f->srv, "GET", "/mod/b/{other}", h_text, NULL, &b);
	rc[5] = sd_sbi_server_route(f->srv, "GET", "/mod/c", h_text, NULL);
}

static void do_unroute_get_a(struct fx *f, void *arg)
{
	*(int *)arg = sd_sbi_server_unroute(f->srv, "GET", "/mod/a");
}

static void do_unroute_all_a(struct fx *f, void *arg)
{
	*(int *)arg = sd_sbi_server_unroute(f->srv, NULL, "/mod/a");
}

static void do_unroute_owner_a(struct fx *f, void *arg)
{
	int *rc = arg;
	rc[0] = sd_sbi_server_unroute_owner(f->srv, &owner_a);
	rc[1] = sd_sbi_server_unroute_owner(f->srv, &owner_a);
	rc[2] = sd_sbi_server_unroute(f->srv, "GET", "/never/{x}");
	rc[3] = sd_sbi_server_unroute_owner(f->srv, NULL);
}

static void do_reroute_b(struct fx *f, void *arg)
{
	*(int *)arg = sd_sbi_server_route(f->srv, "GET", "/mod/b/{id}", h_text, NULL);
}

/* The fixture's deferring routes all have the fixture as owner (arg). */
static void do_unroute_fixture(struct fx *f, void *arg)
{
	*(int *)arg = sd_sbi_server_unroute_owner(f->srv, f);
}

static void test_unroute(void **state)
{
	struct fx *f = fx_start();
	struct cres r;
	struct h2c c;
	struct cstream *s;
	int rc[6];
	(void)state;
	fx_call(f, do_unroute_setup, rc);
	assert_int_equal(rc[0], 0);
	assert_int_equal(rc[1], 0);
	assert_int_equal(rc[2], 0);
	assert_int_equal(rc[3], 0);
	assert_int_equal(rc[4], -1);
	assert_int_equal(rc[5], -1);
	curl_h2(&r, f, "/mod/a");
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);

	fx_call(f, do_unroute_get_a, rc);
	assert_int_equal(rc[0], 1);
	curl_h2(&r, f, "/mod/a");
	assert_problem(&r, 405);
	assert_string_equal(r.allow, "POST");
	sd_buf_done(&r.body);
	fx_call(f, do_unroute_all_a, rc);
	assert_int_equal(rc[0], 1);
	curl_h2(&r, f, "/mod/a");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);

	curl_h2(&r, f, "/mod/b/7");
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);
	fx_call(f, do_unroute_owner_a, rc);
	assert_int_equal(rc[0], 1);
	assert_int_equal(rc[1], 0);
	assert_int_equal(rc[2], 0);
	assert_int_equal(rc[3], 0);
	curl_h2(&r, f, "/mod/b/7");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);
	curl_h2(&r, f, "/mod/c");        /* the other module's route stays */
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);
	fx_call(f, do_reroute_b, rc);    /* and the path can be served again */
	assert_int_equal(rc[0], 0);
	curl_h2(&r, f, "/mod/b/8");
	assert_int_equal(r.status, 200);
	sd_buf_done(&r.body);

	/* a handler removing its own route */
	curl_h2(&r, f, "/once");
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.data, "once");
	sd_buf_done(&r.body);
	curl_h2(&r, f, "/once");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);

	/* a module leaving with an answer deferred: the answer still comes */
	h2c_open(&c, f->port);
	s = h2c_get(&c, "/later/kept?ms=300");
	h2c_get(&c, "/x");
	assert_int_equal(h2c_pump(&c, until_closed, &c.st[1]), 0);
	fx_call(f, do_unroute_fixture, rc);
	assert_int_equal(rc[0], 3);      /* later, hold, sync (once removed itself) */
	assert_int_equal(h2c_pump(&c, until_closed, s), 0);
	assert_int_equal(s->status, 201);
	assert_memory_equal(s->body, "later:kept", 10);
	h2c_close(&c);
	curl_h2(&r, f, "/later/x");
	assert_problem(&r, 404);
	sd_buf_done(&r.body);
	fx_stop(f);
}

static int group_setup(void **state)
{
	(void)state;
	curl_global_init(CURL_GLOBAL_ALL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_decode),
		cmocka_unit_test(test_resp_helpers),
		cmocka_unit_test(test_bad_listen),
		cmocka_unit_test(test_bad_templates),
		cmocka_unit_test(test_get_params),
		cmocka_unit_test(test_post_json),
		cmocka_unit_test(test_query_route),
		cmocka_unit_test(test_404_405),
		cmocka_unit_test(test_limits_body_header),
		cmocka_unit_test(test_delay_not_blocking),
		cmocka_unit_test(test_misbehave),
		cmocka_unit_test(test_goaway_all),
		cmocka_unit_test(test_max_streams),
		cmocka_unit_test(test_max_conns),
		cmocka_unit_test(test_hello_timeout),
		cmocka_unit_test(test_http11_refused),
		cmocka_unit_test(test_big_response),
		cmocka_unit_test(test_h2load_many_streams),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_defer_outside_handler),
		cmocka_unit_test(test_defer_later),
		cmocka_unit_test(test_defer_peer_gone),
		cmocka_unit_test(test_defer_many),
		cmocka_unit_test(test_route_body_cap),
		cmocka_unit_test(test_unroute),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
