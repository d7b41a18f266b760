/* core/sbi_client.c — SBI client: libcurl multi on the process's sd_loop.
 *
 * Shape (curl's ephiperfifo.c, Open5GS lib/sbi/client.c): the multi handle's
 * socket callback edits our fd watchers, its timer callback arms one loop
 * timer; readiness and expiry call curl_multi_socket_action and then drain
 * curl_multi_info_read. Nothing here calls back into the multi handle from
 * one of its own callbacks: work that would (starting a transfer, completing
 * a request early) goes through the "kick" queue, a 0 ms loop timer.
 *
 * A request lives in one of these states:
 *   R_KICK     queued; launched at the next kick (token, health, transfer)
 *   R_TOKEN    waiting for an OAuth2 token for its scope
 *   R_RUNNING  a transfer is in the multi handle
 *   R_RETRY    waiting for its backoff timer
 * and leaves through finish(), which calls the user's callback exactly once.
 *
 * h2c JOIN mode (libcurl < 8, curl#10634) is explained above host_open();
 * docs/sbi-client.md has the longer story.
 */
#include "core/sbi_client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

#define DEF_TIMEOUT_MS     5000
#define DEF_MAX_BODY       ((size_t)4 << 20)
#define DEF_UNREACH_AFTER  3
#define DEF_PROBE_MIN_MS   1000
#define DEF_PROBE_MAX_MS   60000
#define DEF_RETRY_BASE_MS  200
#define DEF_RETRY_AFTER_S  5
#define RETRY_CAP_MS       5000
#define HDR_VALUE_MAX      1024     /* captured response header values */
#define URL_MAX            4096
#define TOKEN_MAX          8192     /* access_token length */
#define TOKEN_BODY_MAX     (64 * 1024)
#define PROBLEM_MAX        (64 * 1024) /* problem+json bodies we decode */
#define MAX_REJOINS        8
#define ERRMSG_MAX         512
#define EASY_POOL_MAX      32       /* idle easy handles kept for reuse */
#define SD_SBI_RECV_BUFFER (128 * 1024) /* CURLOPT_BUFFERSIZE (4 x libcurl 7.88 h2 read) */

enum rstate { R_KICK, R_TOKEN, R_RUNNING, R_RETRY };

struct req;

/* One per host:port of http:// apiRoots, for the JOIN strategy. */
struct host {
	struct host *next;
	struct sd_sbi_client *c;
	char key[300];           /* "host:port" as curl bundles connections */
	int nsocks;              /* sockets of prior-knowledge connections we opened */
	struct req *opener;      /* the transfer opening a connection, or NULL */
	unsigned open_gen;       /* bumped for every opener */
	unsigned failed_gen;     /* open_gen of the last opener that failed */
	enum sd_sbi_err open_err; /* ... and how */
};

/* One per NF key (reqopts.nf_key, else the label). */
struct health {
	struct health *next;
	char nf[64];             /* the key */
	char label[112];         /* for messages: "AMF" or "AMF 1121...: key" */
	int fails;               /* consecutive transport failures */
	bool down;
	bool probing;            /* the one probe allowed is in flight */
	int64_t backoff_ms;
	int64_t next_probe;      /* monotonic ms */
};

/* One per (scope, targetNfType). */
struct token {
	struct token *next;
	struct sd_sbi_client *c;
	char scope[256];
	char target[32];
	char *value;             /* access_token, validated, or NULL */
	int64_t expires;         /* monotonic ms after which it is not used */
	struct req *fetch;       /* POST /oauth2/token in flight */
	struct req *waiters, *waiters_tail; /* linked by wnext */
};

struct req {
	struct req *prev, *next; /* c->reqs: every live request */
	struct req *knext;       /* kick queue */
	struct req *wnext;       /* token waiters */
	struct sd_sbi_client *c;
	enum rstate state;
	/* the caller's options, copied */
	char *key;               /* health key (nf_key, else nf) */
	char *nf, *method, *url, *body, *ctype, *accept, *scope, *target;
	char *xhdr[4];
	size_t body_len;
	int timeout_ms;
	bool retryable;
	sd_sbi_cb cb;
	void *arg;
	char path[192];          /* sanitised path, for messages */
	char hostkey[300];
	bool https;
	/* the current attempt */
	CURL *easy;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	struct sd_buf resp;
	bool too_big;
	char *resp_ctype, *resp_location;
	long retry_after_s;      /* -1 when absent */
	struct host *host;       /* JOIN: the host record of an http:// request */
	bool opener, refused, probe;
	int nf_refusals;         /* RST_STREAM(REFUSED_STREAM) seen by libcurl */
	bool reauth;             /* retried once after a 401 with a fresh token */
	int rejoins;
	unsigned join_gen;       /* the opener this joiner waits for, 0 = none */
	CURLcode rc;             /* libcurl's result of the last attempt */
	char *auth;              /* "Authorization: Bearer ..." */
	/* across attempts */
	int attempts;
	int64_t start_ms;
	uint64_t timer;          /* retry timer */
	enum sd_sbi_err last_err; /* the last failed attempt's outcome */
	char *last_msg;
};

struct sd_sbi_client {
	struct sd_loop *loop;
	CURLM *multi;
	struct sd_sbi_conf conf;
	enum sd_sbi_h2c_mode mode;
	size_t max_body;
	char *ua, *nf_type;
	bool sender_ts;
	int unreach_after, probe_min_ms, probe_max_ms, retry_base_ms, retry_after_max_s;
	uint64_t curl_timer, kick_timer;
	struct req *reqs;
	struct req *kick_head, *kick_tail;
	struct host *hosts;
	struct health *health;
	struct token *tokens;
	struct sd_sbi_client_stats st;
	struct sd_complaint downgrade; /* cleartext refusals, rate-limited */
	uint64_t rng;
	bool closing;
	/* idle easy handles, reset, for the next transfers: a new handle per
	 * transfer cost an allocation of its structs and read buffer each */
	CURL *pool[EASY_POOL_MAX];
	int npool;
};

static int curl_users;   /* curl_global_init reference count */

static void launch(struct sd_sbi_client *c, struct req *r);
static struct token *token_get(struct sd_sbi_client *c, const char *scope, const char *target);
static void check_done(struct sd_sbi_client *c);

const char *sd_sbi_strerror(enum sd_sbi_err e)
{
	switch (e) {
	case SD_SBI_OK: return "ok";
	case SD_SBI_ETIMEOUT: return "timed out";
	case SD_SBI_ECONNECT: return "connection failed";
	case SD_SBI_ETLS: return "TLS failure";
	case SD_SBI_EPROTO: return "HTTP/2 protocol error";
	case SD_SBI_ETOOBIG: return "response too big";
	case SD_SBI_EUNREACHABLE: return "NF unreachable";
	case SD_SBI_ETOKEN: return "no access token";
	case SD_SBI_EINVAL: return "invalid request";
	case SD_SBI_ECANCELLED: return "cancelled";
	case SD_SBI_EPOLICY: return "refused by policy";
	}
	return "unknown error";
}

const char *sd_sbi_h2c_mode_name(enum sd_sbi_h2c_mode m)
{
	switch (m) {
	case SD_SBI_H2C_AUTO: return "auto";
	case SD_SBI_H2C_PLAIN: return "plain";
	case SD_SBI_H2C_JOIN: return "join";
	case SD_SBI_H2C_PER_REQUEST: return "per-request";
	}
	return "?";
}

/* ---- small helpers ------------------------------------------------------ */

static uint64_t rnd(struct sd_sbi_client *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng;
}

static bool has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* Split an absolute http(s) URL into "host:port" (default port filled in)
 * and a sanitised path without query, for messages. false when it is not
 * an http:// or https:// URL we can use. */
static bool parse_url(const char *url, char *hostkey, size_t hksz, bool *https,
		      char *path, size_t pathsz)
{
	const char *a, *e, *p;
	size_t n;
	if (!strncasecmp(url, "http://", 7)) {
		*https = false;
		a = url + 7;
	} else if (!strncasecmp(url, "https://", 8)) {
		*https = true;
		a = url + 8;
	} else {
		return false;
	}
	e = a + strcspn(a, "/?#");
	if (e == a)
		return false;
	n = (size_t)(e - a);
	if (n + 7 > hksz)
		return false;
	memcpy(hostkey, a, n);
	hostkey[n] = '\0';
	/* a port is present unless the authority ends in "]" or has no ':' */
	p = strrchr(hostkey, ':');
	if (!p || strchr(p, ']'))
		strcat(hostkey, *https ? ":443" : ":80");
	p = e;
	n = *p == '/' ? strcspn(p, "?#") : 0;
	if (!n)
		sd_strlcpy(path, "/", pathsz);
	else
		sd_sanitize(path, pathsz, p, n);
	return true;
}

/* Map a libcurl result onto our error enum. */
static enum sd_sbi_err map_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return SD_SBI_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return SD_SBI_ETIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return SD_SBI_ETLS;
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_PARTIAL_FILE:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return SD_SBI_EPROTO;
	case CURLE_FILESIZE_EXCEEDED:
		return SD_SBI_ETOOBIG;
	case CURLE_URL_MALFORMAT:
		return SD_SBI_EINVAL;
	default:
		return SD_SBI_ECONNECT;
	}
}

/* Errors that say "we could not talk to the NF" (health and retries). */
static bool is_transport_err(enum sd_sbi_err e)
{
	return e == SD_SBI_ETIMEOUT || e == SD_SBI_ECONNECT || e == SD_SBI_ETLS ||
	       e == SD_SBI_EPROTO;
}

static const char *status_phrase(int s)
{
	switch (s) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "";
}

/* Is this media type (parameters ignored) the given one? */
static bool ctype_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	return !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* ---- problem details ---------------------------------------------------- */

/* Copy a JSON string member, sanitised; true if it was a string. */
static bool json_take(json_t *o, const char *key, char *dst, size_t dstsz)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return false;
	sd_sanitize(dst, dstsz, json_string_value(v), json_string_length(v));
	return true;
}

bool sd_sbi_problem_decode(const char *body, size_t len, struct sd_sbi_problem *p)
{
	json_error_t je;
	json_t *j, *v;
	int known = 0;

	memset(p, 0, sizeof *p);
	if (!body || !len || len > PROBLEM_MAX)
		return false;
	j = json_loadb(body, len, JSON_ALLOW_NUL, &je);
	if (!j)
		return false;
	if (!json_is_object(j)) {
		json_decref(j);
		return false;
	}
	known += json_take(j, "title", p->title, sizeof p->title);
	known += json_take(j, "cause", p->cause, sizeof p->cause);
	known += json_take(j, "detail", p->detail, sizeof p->detail);
	known += json_take(j, "type", p->type, sizeof p->type);
	v = json_object_get(j, "status");
	if (json_is_integer(v)) {
		json_int_t s = json_integer_value(v);
		if (s >= 100 && s <= 599) {
			p->status = (int)s;
			known++;
		}
	}
	v = json_object_get(j, "invalidParams");
	if (json_is_array(v) && json_array_size(v) > 0 && json_is_object(json_array_get(v, 0)))
		known += json_take(json_array_get(v, 0), "param", p->invalid_param,
				   sizeof p->invalid_param);
	json_decref(j);
	if (!known)
		memset(p, 0, sizeof *p);
	return known > 0;
}

/* ---- NF health ---------------------------------------------------------- */

static struct health *health_find(const struct sd_sbi_client *c, const char *key)
{
	struct health *h;
	for (h = c->health; h; h = h->next)
		if (!strncmp(h->nf, key, sizeof h->nf - 1))
			return h;
	return NULL;
}

static struct health *health_get(struct sd_sbi_client *c, const struct req *r)
{
	struct health *h = health_find(c, r->key);
	if (h)
		return h;
	h = sd_calloc(1, sizeof *h);
	sd_strlcpy(h->nf, r->key, sizeof h->nf);
	if (strcmp(r->key, r->nf) == 0)
		sd_strlcpy(h->label, r->nf, sizeof h->label);
	else
		snprintf(h->label, sizeof h->label, "%s %s", r->nf, r->key);
	h->next = c->health;
	c->health = h;
	return h;
}

/* May r go out now? An NF marked down admits one probe per backoff
 * interval; everything else is refused. */
static bool health_admit(struct sd_sbi_client *c, struct req *r, int64_t *wait_ms)
{
	struct health *h = health_get(c, r);
	int64_t now = sd_now_ms();
	if (!h->down)
		return true;
	if (!h->probing && now >= h->next_probe) {
		h->probing = true;
		r->probe = true;
		return true;
	}
	*wait_ms = h->next_probe > now ? h->next_probe - now : 0;
	return false;
}

/* Record one attempt's outcome: a response (any status) or a transport
 * failure. */
static void health_note(struct sd_sbi_client *c, struct req *r, bool answered)
{
	struct health *h = health_get(c, r);
	int64_t now = sd_now_ms();
	if (r->probe) {
		h->probing = false;
		r->probe = false;
	}
	if (answered) {
		if (h->down)
			sd_notice("SBI: %s is reachable again", h->label);
		h->down = false;
		h->fails = 0;
		h->backoff_ms = 0;
		return;
	}
	h->fails++;
	if (h->down) {
		h->backoff_ms *= 2;
		if (h->backoff_ms > c->probe_max_ms)
			h->backoff_ms = c->probe_max_ms;
		h->next_probe = now + h->backoff_ms;
	} else if (h->fails >= c->unreach_after) {
		h->down = true;
		h->backoff_ms = c->probe_min_ms;
		h->next_probe = now + h->backoff_ms;
		sd_warn("SBI: %s marked unreachable after %d transport failures",
			h->label, h->fails);
	}
}

bool sd_sbi_nf_reachable(const struct sd_sbi_client *c, const char *key)
{
	return sd_sbi_nf_health(c, key) != SD_SBI_HEALTH_DOWN;
}

enum sd_sbi_health sd_sbi_nf_health(const struct sd_sbi_client *c, const char *key)
{
	const struct health *h;
	if (!c || !key)
		return SD_SBI_HEALTH_UNKNOWN;
	for (h = c->health; h; h = h->next)
		if (sd_streq(h->nf, key))
			return h->down ? SD_SBI_HEALTH_DOWN : SD_SBI_HEALTH_UP;
	return SD_SBI_HEALTH_UNKNOWN;
}

/* ---- requests: creation, completion ------------------------------------- */

/* An easy handle for a new transfer: an idle one from the pool, else new. */
static CURL *easy_get(struct sd_sbi_client *c)
{
	if (c->npool > 0)
		return c->pool[--c->npool];
	return curl_easy_init();
}

/* Give back a handle removed from the multi. curl_easy_reset() puts every
 * option back to its default at once, so an idle handle holds no pointer
 * to a finished request (PRIVATE, the JOIN socket callbacks' data, the
 * header list) and start_transfer() sets all it needs again. */
static void easy_put(struct sd_sbi_client *c, CURL *e)
{
	if (c->closing || c->npool >= EASY_POOL_MAX) {
		curl_easy_cleanup(e);
		return;
	}
	curl_easy_reset(e);
	c->pool[c->npool++] = e;
}

static void easy_done(struct sd_sbi_client *c, struct req *r)
{
	if (r->easy) {
		curl_multi_remove_handle(c->multi, r->easy);
		easy_put(c, r->easy);
		r->easy = NULL;
	}
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
	if (r->host && r->host->opener == r)
		r->host->opener = NULL;
	r->opener = false;
	r->refused = false;
}

static void req_free(struct req *r)
{
	easy_done(r->c, r);
	/* key, nf, method, url, body, ctype, accept, scope, target, xhdr[] live in
	 * r's own block (req_new) */
	sd_buf_done(&r->resp);
	sd_free(r->resp_ctype);
	sd_free(r->resp_location);
	sd_free(r->auth);
	sd_free(r->last_msg);
	sd_free(r);
}

static void unlink_req(struct sd_sbi_client *c, struct req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

/* Deliver res to the caller and free r. r must not be in the kick queue,
 * a token waiter list, or have a timer armed. */
static void deliver(struct sd_sbi_client *c, struct req *r, struct sd_sbi_result *res)
{
	if (r->timer) {
		sd_loop_timer_del(c->loop, r->timer);
		r->timer = 0;
	}
	if (r->probe) {
		/* completed without an outcome (cancelled, token failure):
		 * give the probe slot back */
		struct health *h = health_get(c, r);
		h->probing = false;
		r->probe = false;
	}
	easy_done(c, r);
	unlink_req(c, r);
	res->attempts = r->attempts;
	res->elapsed_ms = sd_now_ms() - r->start_ms;
	r->cb(res, r->arg);
	req_free(r);
}

/* Complete r without a response. msg is the part after "NF METHOD path: ". */
static void finish_fail(struct sd_sbi_client *c, struct req *r, enum sd_sbi_err err,
			const char *msg)
{
	struct sd_sbi_result res = { 0 };
	char line[ERRMSG_MAX], clean[ERRMSG_MAX];
	snprintf(line, sizeof line, "%s %s %s: %s", r->nf, r->method, r->path, msg);
	sd_sanitize(clean, sizeof clean, line, strlen(line));
	res.err = err;
	res.body = "";
	res.errmsg = clean;
	deliver(c, r, &res);
}

/* Build the "what went wrong" text of a response into buf. */
static void response_msg(const struct req *r, long status, const struct sd_sbi_problem *p,
			 char *buf, size_t bufsz)
{
	char line[ERRMSG_MAX];
	int n;
	if (status >= 200 && status < 300) {
		buf[0] = '\0';
		return;
	}
	{
		const char *t = p && p->title[0] ? p->title : status_phrase((int)status);
		if (!t[0])   /* say what kind of answer an unknown code is */
			t = status < 100 || status > 599 ? "(not an HTTP status code)" :
			    status < 200 ? "(informational)" : status < 400 ? "(redirection)" :
			    status < 500 ? "(client error)" : "(server error)";
		n = snprintf(line, sizeof line, "%s %s %s: %ld%s%s", r->nf, r->method, r->path,
			     status, t[0] ? " " : "", t);
	}
	if (p && p->cause[0] && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, " (cause %s)", p->cause);
	if (p && p->invalid_param[0] && n > 0 && (size_t)n < sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n, " [%s]", p->invalid_param);
	if (p && p->detail[0] && n > 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ": %s", p->detail);
	sd_sanitize(buf, bufsz, line, strlen(line));
}

/* Complete r with the response of its current attempt. */
static void finish_response(struct sd_sbi_client *c, struct req *r, long status)
{
	struct sd_sbi_result res = { 0 };
	struct sd_sbi_problem prob;
	bool have_prob = false;
	char msg[ERRMSG_MAX];

	if ((status < 200 || status >= 300 || ctype_is(r->resp_ctype, "application/problem+json")) &&
	    r->resp.len && (ctype_is(r->resp_ctype, "application/problem+json") ||
			    ctype_is(r->resp_ctype, "application/json")))
		have_prob = sd_sbi_problem_decode(r->resp.data, r->resp.len, &prob);
	response_msg(r, status, have_prob ? &prob : NULL, msg, sizeof msg);
	res.err = SD_SBI_OK;
	res.status = (int)status;
	res.content_type = r->resp_ctype;
	res.body = r->resp.data ? r->resp.data : "";
	res.body_len = r->resp.len;
	res.location = r->resp_location;
	res.problem = have_prob ? &prob : NULL;
	res.errmsg = msg;
	deliver(c, r, &res);
}

/* ---- kick queue: deferred launches -------------------------------------- */

static void on_kick(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sbi_client *c = arg;
	struct req *r, *next;
	(void)loop;
	(void)id;
	c->kick_timer = 0;
	r = c->kick_head;
	c->kick_head = c->kick_tail = NULL;
	for (; r; r = next) {
		next = r->knext;
		r->knext = NULL;
		launch(c, r);
	}
}

static void kick_push(struct sd_sbi_client *c, struct req *r)
{
	r->state = R_KICK;
	r->knext = NULL;
	if (c->kick_tail)
		c->kick_tail->knext = r;
	else
		c->kick_head = r;
	c->kick_tail = r;
	if (!c->kick_timer)
		c->kick_timer = sd_loop_timer_add(c->loop, 0, on_kick, c);
}

/* ---- libcurl callbacks -------------------------------------------------- */

static size_t on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct req *r = arg;
	size_t n = size * nmemb;
	if (sd_buf_add(&r->resp, data, n) < 0) {
		r->too_big = true;
		return 0;    /* CURLE_WRITE_ERROR */
	}
	return n;
}

/* Capture Content-Type, Location and Retry-After of the final response. */
/* libcurl 7.88 retries a stream the NF refuses (RST_STREAM with
 * REFUSED_STREAM) by itself, at once, on a fresh connection, up to five
 * times, and then fails with "Connection died, tried 5 times": nothing in
 * its result says the NF refused. Its info text does, so it is watched for
 * that one line (only CURLINFO_TEXT is looked at). */
static int on_debug(CURL *e, curl_infotype type, char *data, size_t size, void *arg)
{
	struct req *r = arg;
	static const char tag[] = "REFUSED_STREAM";
	(void)e;
	if (type == CURLINFO_TEXT && size >= sizeof tag - 1 &&
	    memcmp(data, tag, sizeof tag - 1) == 0)
		r->nf_refusals++;
	return 0;
}

static size_t on_header(char *data, size_t size, size_t nitems, void *arg)
{
	struct req *r = arg;
	size_t n = size * nitems, nl;
	const char *colon, *v;
	char val[HDR_VALUE_MAX];
	char **slot = NULL;

	if (n >= 5 && !memcmp(data, "HTTP/", 5)) {
		/* a new response (after 1xx): forget the previous headers */
		sd_free(r->resp_ctype);
		sd_free(r->resp_location);
		r->resp_ctype = r->resp_location = NULL;
		r->retry_after_s = -1;
		return n;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return n;
	nl = (size_t)(colon - data);
	v = colon + 1;
	while (v < data + n && (*v == ' ' || *v == '\t'))
		v++;
	{
		size_t vl = (size_t)(data + n - v);
		while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		if (vl >= sizeof val)
			vl = sizeof val - 1;
		sd_sanitize(val, sizeof val, v, vl);
	}
	if (nl == 12 && !strncasecmp(data, "content-type", 12))
		slot = &r->resp_ctype;
	else if (nl == 8 && !strncasecmp(data, "location", 8))
		slot = &r->resp_location;
	else if (nl == 11 && !strncasecmp(data, "retry-after", 11)) {
		long long s;
		r->retry_after_s = sd_parse_ll(val, 0, 86400 * 365, &s) ? (long)s : -1;
	}
	if (slot) {
		sd_free(*slot);
		*slot = sd_strdup(val);
	}
	return n;
}

/* JOIN: an opener's sockets are counted so we know whether a live
 * prior-knowledge connection to the host exists. */
static curl_socket_t on_open_counted(void *clientp, curlsocktype purpose,
				     struct curl_sockaddr *a)
{
	struct host *h = clientp;
	curl_socket_t s;
	(void)purpose;
	s = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
	if (s != CURL_SOCKET_BAD)
		h->nsocks++;
	return s;
}

static int on_close_counted(void *clientp, curl_socket_t s)
{
	struct host *h = clientp;
	if (h->nsocks > 0)
		h->nsocks--;
	/* libcurl reports CURL_POLL_REMOVE first; dropping the watcher here
	 * too keeps a recycled fd number from meeting a stale one */
	sd_loop_unwatch(h->c->loop, s);
	return close(s);
}

/* JOIN: a joiner must never open a connection itself (it would speak
 * HTTP/1.1 with "Upgrade: h2c", which lab cores refuse). */
static curl_socket_t on_open_refused(void *clientp, curlsocktype purpose,
				     struct curl_sockaddr *a)
{
	struct req *r = clientp;
	(void)purpose;
	(void)a;
	r->refused = true;
	return CURL_SOCKET_BAD;
}

static void on_fd(struct sd_loop *loop, int fd, int events, void *arg)
{
	struct sd_sbi_client *c = arg;
	int flags = 0, running;
	(void)loop;
	if (events & SD_EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & SD_EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (events & SD_EV_ERROR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(c->multi, fd, flags, &running);
	check_done(c);
}

static int on_curl_socket(CURL *e, curl_socket_t s, int what, void *userp, void *sockp)
{
	struct sd_sbi_client *c = userp;
	int ev = 0;
	(void)e;
	(void)sockp;
	if (what == CURL_POLL_REMOVE) {
		sd_loop_unwatch(c->loop, s);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= SD_EV_READ;
	if (what & CURL_POLL_OUT)
		ev |= SD_EV_WRITE;
	return sd_loop_watch(c->loop, s, ev, on_fd, c) < 0 ? -1 : 0;
}

static void on_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_sbi_client *c = arg;
	int running;
	(void)loop;
	(void)id;
	c->curl_timer = 0;
	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(c);
}

static int on_curl_timer(CURLM *m, long timeout_ms, void *userp)
{
	struct sd_sbi_client *c = userp;
	(void)m;
	if (c->curl_timer) {
		sd_loop_timer_del(c->loop, c->curl_timer);
		c->curl_timer = 0;
	}
	if (timeout_ms >= 0)
		c->curl_timer = sd_loop_timer_add(c->loop, timeout_ms, on_timer, c);
	return 0;
}

/* ---- transfers ---------------------------------------------------------- */

static struct host *host_get(struct sd_sbi_client *c, const char *key)
{
	struct host *h;
	for (h = c->hosts; h; h = h->next)
		if (!strcmp(h->key, key))
			return h;
	h = sd_calloc(1, sizeof *h);
	h->c = c;
	sd_strlcpy(h->key, key, sizeof h->key);
	h->next = c->hosts;
	c->hosts = h;
	return h;
}

/* Pick the HTTP version options for an http:// transfer.
 *
 * JOIN (libcurl < 8): a transfer that reuses a connection while asking for
 * prior knowledge trips curl#10634, so only the transfer that opens a
 * connection to the host (the "opener") asks for prior knowledge, with
 * FRESH_CONNECT; every other one asks for plain HTTP/2 with PIPEWAIT and is
 * matched onto the opener's connection by libcurl. We know whether such a
 * connection exists by counting the sockets the openers create and libcurl
 * closes (open/close socket callbacks live on the connection, so they fire
 * even after the opener is gone). A joiner is not allowed to create a
 * socket: if libcurl finds nothing to join (the connection died while
 * idle, the opener failed), its open-socket callback refuses, the transfer
 * fails before a byte is sent, and the request is queued again — as the
 * next opener if nobody else is. */
static void h2c_opts(struct sd_sbi_client *c, struct req *r)
{
	CURL *e = r->easy;
	struct host *h;
	switch (c->mode) {
	case SD_SBI_H2C_PER_REQUEST:
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
		return;
	case SD_SBI_H2C_JOIN:
		break;
	default:
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
		return;
	}
	h = r->host = host_get(c, r->hostkey);
	sd_debug("SBI: %s %s %s: %s (host %s: %d sockets%s)", r->nf, r->method, r->path,
		 h->nsocks == 0 && !h->opener ? "opens the connection" : "joins",
		 h->key, h->nsocks, h->opener ? ", opener busy" : "");
	r->join_gen = 0;
	if (h->nsocks == 0 && !h->opener) {
		h->opener = r;
		r->opener = true;
		if (++h->open_gen == 0)
			h->open_gen = 1;
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_counted);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, h);
		curl_easy_setopt(e, CURLOPT_CLOSESOCKETFUNCTION, on_close_counted);
		curl_easy_setopt(e, CURLOPT_CLOSESOCKETDATA, h);
	} else {
		if (h->opener)
			r->join_gen = h->open_gen;
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_refused);
		curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, r);
	}
}

/* 3gpp-Sbi-Sender-Timestamp: Mon, 23 Nov 2026 19:14:06.123 GMT */
static void sender_timestamp(char *buf, size_t bufsz)
{
	int64_t ms = sd_wall_ms();
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[40];
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%a, %d %b %Y %H:%M:%S", &tm);
	snprintf(buf, bufsz, "3gpp-Sbi-Sender-Timestamp: %s.%03d GMT", s, (int)(ms % 1000));
}

static struct curl_slist *hdr_add(struct curl_slist *l, const char *h)
{
	struct curl_slist *n = curl_slist_append(l, h);
	if (!n) {
		sd_err("SBI: out of memory building request headers");
		abort();
	}
	return n;
}

/* Start one attempt of r as a libcurl transfer. */
static void start_transfer(struct sd_sbi_client *c, struct req *r)
{
	CURL *e;
	const struct sd_tls_conf *tls = &c->conf.tls;
	char line[HDR_VALUE_MAX + 64];
	size_t i;
	long tmo = r->timeout_ms;

	sd_buf_reset(&r->resp);
	sd_free(r->resp_ctype);
	sd_free(r->resp_location);
	r->resp_ctype = r->resp_location = NULL;
	r->retry_after_s = -1;
	r->too_big = false;
	r->errbuf[0] = '\0';
	r->nf_refusals = 0;
	e = r->easy = easy_get(c);
	if (!e) {
		finish_fail(c, r, SD_SBI_ECONNECT, "curl_easy_init failed");
		return;
	}
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, tmo);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, tmo);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->ua);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
	/* A receive buffer larger than what libcurl's HTTP/2 layer reads from
	 * the socket at once (32 KiB in 7.88): with the default 16 KiB a DATA
	 * frame that does not fit pauses nghttp2, and libcurl < 8 then leaves
	 * the stream's last frames unprocessed until the timeout
	 * (docs/sbi-client.md, "Large answers"). */
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE, (long)SD_SBI_RECV_BUFFER);

	if (!strcmp(r->method, "GET")) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else if (!strcmp(r->method, "HEAD")) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	} else {
		if (strcmp(r->method, "POST"))
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
		if (r->body || !strcmp(r->method, "POST")) {
			curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
			curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		}
	}

	snprintf(line, sizeof line, "Accept: %s", r->accept);
	r->hdrs = hdr_add(r->hdrs, line);
	if (r->body) {
		snprintf(line, sizeof line, "Content-Type: %s", r->ctype);
		r->hdrs = hdr_add(r->hdrs, line);
	}
	r->hdrs = hdr_add(r->hdrs, "Expect:");
	if (r->auth)
		r->hdrs = hdr_add(r->hdrs, r->auth);
	if (c->sender_ts) {
		sender_timestamp(line, sizeof line);
		r->hdrs = hdr_add(r->hdrs, line);
	}
	for (i = 0; i < SD_ARRAY_LEN(r->xhdr) && r->xhdr[i]; i++)
		r->hdrs = hdr_add(r->hdrs, r->xhdr[i]);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);

	if (r->https) {
		curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
		curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, tls->verify ? 1L : 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, tls->verify ? 2L : 0L);
		/* whatever the TLS library's defaults: nothing older than 1.2 */
		curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
		if (tls->ca_file[0])
			curl_easy_setopt(e, CURLOPT_CAINFO, tls->ca_file);
		if (tls->cert_file[0]) {
			curl_easy_setopt(e, CURLOPT_SSLCERT, tls->cert_file);
			curl_easy_setopt(e, CURLOPT_SSLKEY, tls->key_file[0] ? tls->key_file
									  : tls->cert_file);
		}
	} else {
		h2c_opts(c, r);
	}

	r->attempts++;
	c->st.attempts++;
	r->state = R_RUNNING;
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
		finish_fail(c, r, SD_SBI_ECONNECT, "curl_multi_add_handle failed");
}

/* Backoff before retry number n (1-based): base * 2^(n-1), +0..50 %
 * jitter, capped. */
static int64_t retry_delay(struct sd_sbi_client *c, int n)
{
	int64_t d = c->retry_base_ms;
	while (--n > 0 && d < RETRY_CAP_MS)
		d *= 2;
	if (d > RETRY_CAP_MS)
		d = RETRY_CAP_MS;
	return d + (int64_t)(rnd(c) % (uint64_t)(d / 2 + 1));
}

static void on_retry(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct req *r = arg;
	(void)loop;
	(void)id;
	r->timer = 0;
	launch(r->c, r);
}

static void schedule_retry(struct sd_sbi_client *c, struct req *r, int64_t delay)
{
	easy_done(c, r);
	c->st.retries++;
	r->state = R_RETRY;
	r->timer = sd_loop_timer_add(c->loop, delay, on_retry, r);
}

/* Text for a failed attempt, without the "NF METHOD path: " prefix. */
static void transport_msg(const struct req *r, enum sd_sbi_err err, char *buf, size_t bufsz)
{
	if (err == SD_SBI_ETIMEOUT)
		snprintf(buf, bufsz, "no response within %d ms", r->timeout_ms);
	else if (err == SD_SBI_ETOOBIG)
		snprintf(buf, bufsz, "response body over %zu bytes", r->resp.max);
	else if (err == SD_SBI_ETLS && !r->c->conf.tls.cert_file[0] &&
		 (strstr(r->errbuf, "certificate required") ||
		  strstr(r->errbuf, "alert handshake failure")))
		/* the NF asked for a certificate we do not have: say that, not
		 * just the alert's name */
		snprintf(buf, bufsz, "%s: the NF wants a client certificate and none is "
			 "configured (sbi.tls.cert): %s", sd_sbi_strerror(err), r->errbuf);
	else if (err == SD_SBI_EPROTO && strstr(r->errbuf, "nghttp2_session_mem_recv() returned"))
		snprintf(buf, bufsz, "%s: the NF's answer was refused by the HTTP/2 layer (a "
			 "header block over libcurl's limit, or malformed framing): %s",
			 sd_sbi_strerror(err), r->errbuf);
	else
		snprintf(buf, bufsz, "%s: %s", sd_sbi_strerror(err),
			 r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->rc));
}

/* A transfer of r finished with rc; decide: done, retry, or re-queue. */
static void handle_done(struct sd_sbi_client *c, struct req *r, CURLcode rc)
{
	long status = 0, nconn = 0;
	enum sd_sbi_err err = map_curl(rc);
	char msg[ERRMSG_MAX];
	bool was_opener = r->opener;
	struct host *h = r->host;

	r->rc = rc;
	/* TLS 1.3: a refused client certificate arrives as an alert on the
	 * first read, after the handshake looked complete */
	if (r->https && (rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR) &&
	    (strstr(r->errbuf, "SSL") || strstr(r->errbuf, "alert")))
		err = SD_SBI_ETLS;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(r->easy, CURLINFO_NUM_CONNECTS, &nconn);
	c->st.connects += (uint64_t)(nconn > 0 ? nconn : 0);
	if (r->too_big)
		err = SD_SBI_ETOOBIG;
	/* nghttp2 refused what the NF sent on the connection (a header
	 * block over libcurl's limit, too many CONTINUATION frames, bad
	 * framing): libcurl returns a receive error, which is not "cannot
	 * connect" (issue 9 item 10) */
	if (strstr(r->errbuf, "nghttp2_session_mem_recv() returned"))
		err = SD_SBI_EPROTO;

	if (r->refused) {
		/* a JOIN joiner found no connection to join; nothing was sent */
		easy_done(c, r);
		r->attempts--;
		c->st.attempts--;
		if (h && r->join_gen && r->join_gen == h->failed_gen) {
			/* the opener it waited for failed: share its fate
			 * rather than queue up for another connect */
			err = h->open_err;
			snprintf(r->errbuf, sizeof r->errbuf,
				 "the connection to %s failed", h->key);
			r->attempts++;   /* count it as this request's failed try */
		} else if (++r->rejoins > MAX_REJOINS) {
			finish_fail(c, r, SD_SBI_ECONNECT, "no HTTP/2 connection to join");
			return;
		} else {
			c->st.rejoins++;
			kick_push(c, r);
			return;
		}
	}
	if (was_opener && h && status == 0 && err != SD_SBI_OK) {
		h->failed_gen = h->open_gen;
		h->open_err = err;
	}

	if (err == SD_SBI_OK || (err == SD_SBI_ETOOBIG && status > 0)) {
		health_note(c, r, true);
		if (err == SD_SBI_OK && status == 401 && r->auth && c->conf.oauth2 && r->scope) {
			/* the NF refused our token: drop it (unless a newer one
			 * replaced it meanwhile) and try once more with a fresh
			 * one; a second 401 is the answer */
			struct token *t = token_get(c, r->scope, r->target);
			if (t->value && strcmp(r->auth + strlen("Authorization: Bearer "),
					       t->value) == 0) {
				sd_free(t->value);
				t->value = NULL;
				t->expires = 0;
				c->st.tokens_dropped++;
			}
			if (!r->reauth) {
				r->reauth = true;
				schedule_retry(c, r, 0);
				return;
			}
		}
		if (err == SD_SBI_OK && r->retryable && r->attempts <= c->conf.retries &&
		    (status >= 500 || status == 429)) {
			int64_t d = retry_delay(c, r->attempts);
			bool retry = true;
			if (r->retry_after_s >= 0) {
				if (r->retry_after_s > c->retry_after_max_s)
					retry = false;
				else if (r->retry_after_s * 1000 > d)
					d = r->retry_after_s * 1000;
			}
			if (retry) {
				sd_free(r->last_msg);
				r->last_msg = sd_printf("HTTP %ld on try %d, then %s was "
							"marked unreachable", status,
							r->attempts, r->nf);
				r->last_err = SD_SBI_EUNREACHABLE;
				schedule_retry(c, r, d);
				return;
			}
		}
		if (err == SD_SBI_ETOOBIG) {
			transport_msg(r, err, msg, sizeof msg);
			finish_fail(c, r, err, msg);
			return;
		}
		finish_response(c, r, status);
		return;
	}

	if (r->nf_refusals > 0) {
		/* the NF answers, it only will not take the request now: it
		 * is reachable, and libcurl has already tried it again
		 * (nf_refusals times in all), so no more tries of ours */
		health_note(c, r, true);
		snprintf(msg, sizeof msg, "the NF refused the stream (HTTP/2 REFUSED_STREAM, "
			 "not processed) %d time%s", r->nf_refusals, r->nf_refusals == 1 ? "" : "s");
		finish_fail(c, r, SD_SBI_EPROTO, msg);
		return;
	}
	transport_msg(r, err, msg, sizeof msg);
	if (is_transport_err(err))
		health_note(c, r, false);
	if (is_transport_err(err) && err != SD_SBI_ETLS && r->retryable &&
	    r->attempts <= c->conf.retries) {
		sd_free(r->last_msg);
		r->last_msg = sd_strdup(msg);
		r->last_err = err;
		schedule_retry(c, r, retry_delay(c, r->attempts));
		return;
	}
	finish_fail(c, r, err, msg);
}

static void check_done(struct sd_sbi_client *c)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(c->multi, &left))) {
		char *priv = NULL;
		CURLcode rc = m->data.result;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		if (priv)
			handle_done(c, (struct req *)(void *)priv, rc);
	}
}

/* ---- OAuth2 access tokens (TS 29.510 Nnrf_AccessToken) ------------------ */

static struct req *req_new(struct sd_sbi_client *c, const struct sd_sbi_reqopts *o,
			   sd_sbi_cb cb, void *arg);

static struct token *token_get(struct sd_sbi_client *c, const char *scope, const char *target)
{
	struct token *t;
	const char *tg = target ? target : "";
	for (t = c->tokens; t; t = t->next)
		if (!strcmp(t->scope, scope) && !strcmp(t->target, tg))
			return t;
	t = sd_calloc(1, sizeof *t);
	t->c = c;
	sd_strlcpy(t->scope, scope, sizeof t->scope);
	sd_strlcpy(t->target, tg, sizeof t->target);
	t->next = c->tokens;
	c->tokens = t;
	return t;
}

static bool token_chars_ok(const char *s, size_t n)
{
	size_t i;
	if (!n || n > TOKEN_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || strchr("-._~+/=", ch)))
			return false;
	}
	return true;
}

/* Parse an AccessTokenRsp; on success store the token in t. Otherwise
 * explain in why. */
static bool token_parse(struct token *t, const char *body, size_t len, char *why, size_t whysz)
{
	json_error_t je;
	json_t *j, *at, *tt, *ex;
	int64_t secs = 300, margin;
	j = json_loadb(body, len, 0, &je);
	if (!j || !json_is_object(j)) {
		snprintf(why, whysz, "token response is not a JSON object");
		json_decref(j);
		return false;
	}
	at = json_object_get(j, "access_token");
	tt = json_object_get(j, "token_type");
	ex = json_object_get(j, "expires_in");
	if (!json_is_string(at) || !token_chars_ok(json_string_value(at), json_string_length(at))) {
		snprintf(why, whysz, "token response without a usable access_token");
		json_decref(j);
		return false;
	}
	if (json_is_string(tt) && strcasecmp(json_string_value(tt), "Bearer")) {
		char s[32];
		sd_sanitize(s, sizeof s, json_string_value(tt), json_string_length(tt));
		snprintf(why, whysz, "token_type \"%s\" is not Bearer", s);
		json_decref(j);
		return false;
	}
	if (ex && !(json_is_integer(ex) && json_integer_value(ex) > 0)) {
		/* a lifetime we cannot trust: not a default one either */
		char s[48] = "";
		if (json_is_integer(ex))
			snprintf(s, sizeof s, "%" JSON_INTEGER_FORMAT, json_integer_value(ex));
		else if (json_is_string(ex))
			sd_sanitize(s, sizeof s, json_string_value(ex), json_string_length(ex));
		snprintf(why, whysz, "expires_in %s%s%s is not a positive number of seconds",
			 json_is_string(ex) ? "\"" : "", s[0] || json_is_string(ex) ? s : "(not a number)",
			 json_is_string(ex) ? "\"" : "");
		json_decref(j);
		return false;
	}
	if (json_is_integer(ex))   /* absent (the NRF should send it): 300 s */
		secs = json_integer_value(ex) > 86400 * 365 ? 86400 * 365 : json_integer_value(ex);
	margin = secs >= 60 ? 30 : secs / 2;
	sd_free(t->value);
	t->value = sd_strdup(json_string_value(at));
	t->expires = sd_now_ms() + (secs - margin) * 1000;
	json_decref(j);
	return true;
}

/* The token request finished: store the token and release the waiters, or
 * fail them all with SD_SBI_ETOKEN. */
static void on_token(const struct sd_sbi_result *res, void *arg)
{
	struct token *t = arg;
	struct sd_sbi_client *c = t->c;
	struct req *w, *next;
	char why[ERRMSG_MAX], line[ERRMSG_MAX];
	bool ok = false;

	t->fetch = NULL;
	if (res->err == SD_SBI_ECANCELLED)
		return;
	c->st.token_fetches++;
	if (res->err != SD_SBI_OK) {
		snprintf(why, sizeof why, "%s", res->errmsg);
	} else if (res->status != 200) {
		json_error_t je;
		json_t *j = json_loadb(res->body, res->body_len, 0, &je);
		char e[64] = "", d[200] = "";
		if (json_is_object(j)) {
			json_take(j, "error", e, sizeof e);
			json_take(j, "error_description", d, sizeof d);
		}
		json_decref(j);
		if (e[0])
			snprintf(why, sizeof why, "NRF POST /oauth2/token: %d %s%s%s", res->status,
				 e, d[0] ? ": " : "", d);
		else
			snprintf(why, sizeof why, "%s", res->errmsg);
	} else {
		char w2[256];
		ok = token_parse(t, res->body, res->body_len, w2, sizeof w2);
		if (!ok)
			snprintf(why, sizeof why, "NRF POST /oauth2/token: %s", w2);
	}
	if (!ok)
		sd_warn("SBI: no access token for scope \"%s\": %s", t->scope, why);

	w = t->waiters;
	t->waiters = t->waiters_tail = NULL;
	for (; w; w = next) {
		next = w->wnext;
		w->wnext = NULL;
		if (ok) {
			kick_push(c, w);
		} else {
			snprintf(line, sizeof line, "no access token for scope \"%s\": %s",
				 t->scope, why);
			finish_fail(c, w, SD_SBI_ETOKEN, line);
		}
	}
}

/* Start POST {nrf}/oauth2/token for t (client credentials grant). */
static bool token_fetch(struct sd_sbi_client *c, struct token *t, char *why, size_t whysz)
{
	struct sd_sbi_reqopts o = { 0 };
	struct sd_buf form;
	char url[URL_MAX], *v;
	size_t n;
	struct req *r;

	n = strlen(c->conf.nrf_api_root);
	while (n && c->conf.nrf_api_root[n - 1] == '/')
		n--;
	if (!n) {
		snprintf(why, whysz, "oauth2 is on but no NRF apiRoot is configured");
		return false;
	}
	if (!c->conf.nf_instance_id[0]) {
		snprintf(why, whysz, "oauth2 is on but no nf_instance_id is configured");
		return false;
	}
	snprintf(url, sizeof url, "%.*s/oauth2/token", (int)n, c->conf.nrf_api_root);
	sd_buf_init(&form, TOKEN_BODY_MAX);
	sd_buf_addstr(&form, "grant_type=client_credentials&nfInstanceId=");
	v = sd_uri_escape(c->conf.nf_instance_id);
	sd_buf_addstr(&form, v);
	sd_free(v);
	sd_buf_addstr(&form, "&nfType=");
	v = sd_uri_escape(c->nf_type);
	sd_buf_addstr(&form, v);
	sd_free(v);
	if (t->target[0]) {
		sd_buf_addstr(&form, "&targetNfType=");
		v = sd_uri_escape(t->target);
		sd_buf_addstr(&form, v);
		sd_free(v);
	}
	sd_buf_addstr(&form, "&scope=");
	v = sd_uri_escape(t->scope);
	sd_buf_addstr(&form, v);
	sd_free(v);

	o.nf = "NRF";
	o.method = "POST";
	o.url = url;
	o.body = form.data;
	o.body_len = form.len;
	o.content_type = "application/x-www-form-urlencoded";
	o.accept = "application/json, application/problem+json";
	o.idempotent = true;   /* a repeated token request does no harm */
	r = req_new(c, &o, on_token, t);
	sd_buf_done(&form);
	if (!r) {
		snprintf(why, whysz, "bad NRF apiRoot \"%s\"", c->conf.nrf_api_root);
		return false;
	}
	t->fetch = r;
	kick_push(c, r);
	return true;
}

/* ---- launching ---------------------------------------------------------- */

/* Move r forward: token (if it needs one), health gate, transfer. Runs
 * from the loop only (kick, retry timer). */
bool sd_sbi_cleartext_allowed(const struct sd_sbi_conf *conf)
{
	return conf->allow_http || strncasecmp(conf->nrf_api_root, "https://", 8) != 0;
}

static void launch(struct sd_sbi_client *c, struct req *r)
{
	int64_t wait_ms = 0;
	char msg[ERRMSG_MAX];

	if (!r->https && !sd_sbi_cleartext_allowed(&c->conf)) {
		/* a profile (or a Location) pointing an https core's client at
		 * http://: nothing is sent */
		sd_complain(&c->downgrade, SD_LOG_WARN, "SBI: %s %s %s: cleartext http:// "
			    "refused, the NRF is https and sbi.allow_http is off", r->nf,
			    r->method, r->hostkey);
		c->st.refused_cleartext++;
		finish_fail(c, r, SD_SBI_EPOLICY, "cleartext http:// refused (the NRF is "
			    "https; sbi.allow_http = false)");
		return;
	}

	if (c->conf.oauth2 && r->scope) {
		struct token *t = token_get(c, r->scope, r->target);
		if (!t->value || sd_now_ms() >= t->expires) {
			r->state = R_TOKEN;
			r->wnext = NULL;
			if (t->waiters_tail)
				t->waiters_tail->wnext = r;
			else
				t->waiters = r;
			t->waiters_tail = r;
			if (!t->fetch && !token_fetch(c, t, msg, sizeof msg)) {
				struct req *w, *next;
				char line[ERRMSG_MAX];
				sd_warn("SBI: no access token for scope \"%s\": %s", t->scope, msg);
				w = t->waiters;
				t->waiters = t->waiters_tail = NULL;
				for (; w; w = next) {
					next = w->wnext;
					w->wnext = NULL;
					snprintf(line, sizeof line,
						 "no access token for scope \"%s\": %s", t->scope, msg);
					finish_fail(c, w, SD_SBI_ETOKEN, line);
				}
			}
			return;
		}
		sd_free(r->auth);
		r->auth = sd_printf("Authorization: Bearer %s", t->value);
	}
	if (!health_admit(c, r, &wait_ms)) {
		if (r->attempts > 0 && r->last_msg) {
			finish_fail(c, r, r->last_err, r->last_msg);
			return;
		}
		c->st.unreachable++;
		snprintf(msg, sizeof msg, "%s is marked unreachable (next probe in %lld ms)",
			 r->nf, (long long)wait_ms);
		finish_fail(c, r, SD_SBI_EUNREACHABLE, msg);
		return;
	}
	start_transfer(c, r);
}

/* ---- public API --------------------------------------------------------- */

static bool method_ok(const char *m)
{
	size_t i, n = strlen(m);
	if (!n || n > 15)
		return false;
	for (i = 0; i < n; i++)
		if (m[i] < 'A' || m[i] > 'Z')
			return false;
	return true;
}

static bool url_ok(const char *u)
{
	size_t i, n = strlen(u);
	if (!n || n >= URL_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f)
			return false;
	return true;
}

/* Validate o and make a request (not queued). NULL with a logged error on
 * bad options. */
static struct req *req_new(struct sd_sbi_client *c, const struct sd_sbi_reqopts *o,
			   sd_sbi_cb cb, void *arg)
{
	struct req *r;
	const char *method = o->method ? o->method : "GET";
	char hostkey[300], path[192];
	bool https;
	size_t i, nx = 0;

	if (!o->url || !url_ok(o->url) ||
	    !parse_url(o->url, hostkey, sizeof hostkey, &https, path, sizeof path)) {
		sd_err("SBI: bad request URL \"%.80s\"", o->url ? o->url : "(null)");
		return NULL;
	}
	if (!method_ok(method)) {
		sd_err("SBI: bad request method for %s", path);
		return NULL;
	}
	if (has_crlf(o->nf) || has_crlf(o->nf_key) || has_crlf(o->content_type) ||
	    has_crlf(o->accept) ||
	    has_crlf(o->scope) || has_crlf(o->target_nf_type) || (o->body_len && !o->body)) {
		sd_err("SBI: bad request options for %s %s", method, path);
		return NULL;
	}
	for (i = 0; i < SD_ARRAY_LEN(o->extra_headers) && o->extra_headers[i]; i++) {
		if (has_crlf(o->extra_headers[i]) || !strchr(o->extra_headers[i], ':')) {
			sd_err("SBI: bad extra header for %s %s", method, path);
			return NULL;
		}
		nx++;
	}
	/* the request and its copies of the caller's strings in one block */
	{
		const char *nf = o->nf && o->nf[0] ? o->nf : hostkey;
		const char *key = o->nf_key && o->nf_key[0] ? o->nf_key : nf;
		const char *ctype = o->content_type ? o->content_type : "application/json";
		const char *accept = o->accept ? o->accept
				   : "application/json, application/problem+json";
		const char *scope = o->scope && o->scope[0] ? o->scope : NULL;
		size_t blen = o->body ? (o->body_len ? o->body_len : strlen(o->body)) : 0;
		size_t need = sizeof *r, off;
		char *p;

		need += strlen(nf) + 1 + strlen(key) + 1 + strlen(method) + 1 + strlen(o->url) + 1 +
			strlen(ctype) + 1 + strlen(accept) + 1;
		if (o->body)
			need += blen + 1;
		if (scope)
			need += strlen(scope) + 1;
		if (o->target_nf_type)
			need += strlen(o->target_nf_type) + 1;
		for (i = 0; i < nx; i++)
			need += strlen(o->extra_headers[i]) + 1;
		r = sd_calloc(1, need);
		p = (char *)(r + 1);
		off = 0;
#define REQ_STR(dst, src) do { size_t n_ = strlen(src) + 1; \
		(dst) = memcpy(p + off, (src), n_); off += n_; } while (0)
		REQ_STR(r->nf, nf);
		REQ_STR(r->key, key);
		REQ_STR(r->method, method);
		REQ_STR(r->url, o->url);
		REQ_STR(r->ctype, ctype);
		REQ_STR(r->accept, accept);
		if (scope)
			REQ_STR(r->scope, scope);
		if (o->target_nf_type)
			REQ_STR(r->target, o->target_nf_type);
		for (i = 0; i < nx; i++)
			REQ_STR(r->xhdr[i], o->extra_headers[i]);
#undef REQ_STR
		if (o->body) {
			r->body_len = blen;
			r->body = memcpy(p + off, o->body, blen);
			r->body[blen] = '\0';
		}
	}
	r->c = c;
	r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms
			: c->conf.timeout_ms > 0 ? c->conf.timeout_ms : DEF_TIMEOUT_MS;
	r->retryable = !o->no_retry && (o->idempotent || !strcmp(method, "GET") ||
					!strcmp(method, "PUT") || !strcmp(method, "DELETE") ||
					!strcmp(method, "HEAD"));
	r->cb = cb;
	r->arg = arg;
	sd_strlcpy(r->path, path, sizeof r->path);
	sd_strlcpy(r->hostkey, hostkey, sizeof r->hostkey);
	r->https = https;
	sd_buf_init(&r->resp, c->max_body);
	r->retry_after_s = -1;
	r->start_ms = sd_now_ms();
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->prev = r;
	c->reqs = r;
	return r;
}

int sd_sbi_request(struct sd_sbi_client *c, const struct sd_sbi_reqopts *o,
		   sd_sbi_cb cb, void *arg)
{
	struct req *r;
	if (!c || !o || !cb || c->closing)
		return -1;
	r = req_new(c, o, cb, arg);
	if (!r)
		return -1;
	c->st.requests++;
	kick_push(c, r);
	return 0;
}

struct sd_sbi_client *sd_sbi_client_new(struct sd_loop *loop,
					const struct sd_sbi_client_opts *opts)
{
	struct sd_sbi_client *c;
	const curl_version_info_data *vi;
	static const struct sd_sbi_client_opts none;

	if (!loop)
		return NULL;
	if (!opts)
		opts = &none;
	if (curl_users++ == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		curl_users--;
		sd_err("SBI: curl_global_init failed");
		return NULL;
	}
	vi = curl_version_info(CURLVERSION_NOW);
	if (!(vi->features & CURL_VERSION_HTTP2))
		sd_warn("SBI: libcurl %s has no HTTP/2 support", vi->version);
	c = sd_calloc(1, sizeof *c);
	c->loop = loop;
	if (opts->conf) {
		c->conf = *opts->conf;
	} else {
		c->conf.tls.verify = true;
		c->conf.timeout_ms = DEF_TIMEOUT_MS;
		c->conf.retries = 2;
	}
	if (c->conf.retries < 0)
		c->conf.retries = 0;
	c->mode = opts->h2c_mode;
	if (c->mode == SD_SBI_H2C_AUTO)
		c->mode = vi->version_num >= 0x080000 ? SD_SBI_H2C_PLAIN : SD_SBI_H2C_JOIN;
	c->max_body = opts->max_body ? opts->max_body : DEF_MAX_BODY;
	c->ua = sd_strdup(opts->user_agent ? opts->user_agent : "slicedeck");
	c->nf_type = sd_strdup(opts->nf_type ? opts->nf_type : "AF");
	c->sender_ts = opts->sender_timestamp;
	c->unreach_after = opts->unreachable_after > 0 ? opts->unreachable_after : DEF_UNREACH_AFTER;
	c->probe_min_ms = opts->probe_min_ms > 0 ? opts->probe_min_ms : DEF_PROBE_MIN_MS;
	c->probe_max_ms = opts->probe_max_ms > 0 ? opts->probe_max_ms : DEF_PROBE_MAX_MS;
	if (c->probe_max_ms < c->probe_min_ms)
		c->probe_max_ms = c->probe_min_ms;
	c->retry_base_ms = opts->retry_base_ms > 0 ? opts->retry_base_ms : DEF_RETRY_BASE_MS;
	c->retry_after_max_s = opts->retry_after_max_s > 0 ? opts->retry_after_max_s
							   : DEF_RETRY_AFTER_S;
	c->rng = (uint64_t)sd_now_ms() * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() ^
		 (uint64_t)(uintptr_t)c;
	if (!c->rng)
		c->rng = 1;

	c->multi = curl_multi_init();
	if (!c->multi) {
		sd_err("SBI: curl_multi_init failed");
		sd_free(c->ua);
		sd_free(c->nf_type);
		sd_free(c);
		if (--curl_users == 0)
			curl_global_cleanup();
		return NULL;
	}
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, on_curl_socket);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	if (c->mode != SD_SBI_H2C_PER_REQUEST)
		curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	sd_info("SBI client: libcurl %s, h2c mode %s", vi->version,
		sd_sbi_h2c_mode_name(c->mode));
	return c;
}

void sd_sbi_client_free(struct sd_sbi_client *c)
{
	struct token *t;
	struct host *h;
	struct health *hl;
	if (!c)
		return;
	c->closing = true;
	/* every queued request is in c->reqs too; drop the side lists first */
	c->kick_head = c->kick_tail = NULL;
	for (t = c->tokens; t; t = t->next)
		t->waiters = t->waiters_tail = NULL;
	while (c->reqs)
		finish_fail(c, c->reqs, SD_SBI_ECANCELLED, "cancelled: client closed");
	if (c->kick_timer)
		sd_loop_timer_del(c->loop, c->kick_timer);
	while (c->npool > 0)
		curl_easy_cleanup(c->pool[--c->npool]);
	/* closes cached connections: their close callbacks still see the host
	 * records, so those go after */
	curl_multi_cleanup(c->multi);
	if (c->curl_timer)
		sd_loop_timer_del(c->loop, c->curl_timer);
	while ((t = c->tokens)) {
		c->tokens = t->next;
		sd_free(t->value);
		sd_free(t);
	}
	while ((h = c->hosts)) {
		c->hosts = h->next;
		sd_free(h);
	}
	while ((hl = c->health)) {
		c->health = hl->next;
		sd_free(hl);
	}
	sd_free(c->ua);
	sd_free(c->nf_type);
	sd_free(c);
	if (--curl_users == 0)
		curl_global_cleanup();
}

void sd_sbi_client_reconfigure(struct sd_sbi_client *c, const struct sd_sbi_conf *conf)
{
	struct token *t;
	bool tokens_void;
	if (!c || !conf)
		return;
	tokens_void = c->conf.oauth2 != conf->oauth2 ||
		      strcmp(c->conf.nrf_api_root, conf->nrf_api_root) != 0 ||
		      strcmp(c->conf.nf_instance_id, conf->nf_instance_id) != 0;
	c->conf = *conf;
	if (c->conf.retries < 0)
		c->conf.retries = 0;
	if (!tokens_void)
		return;
	/* a fetch in flight finishes under the old settings and serves its
	 * waiters; the next request for that scope fetches anew */
	for (t = c->tokens; t; t = t->next) {
		sd_free(t->value);
		t->value = NULL;
		t->expires = 0;
	}
}

enum sd_sbi_h2c_mode sd_sbi_client_h2c_mode(const struct sd_sbi_client *c)
{
	return c->mode;
}

void sd_sbi_client_stats(const struct sd_sbi_client *c, struct sd_sbi_client_stats *st)
{
	*st = c->st;
}
