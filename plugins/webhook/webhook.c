/* plugins/webhook/webhook.c — the `webhook` plugin: alarm notifications
 * (and, with audit = true, audit entries) POSTed as JSON to an HTTPS URL.
 *
 * The receiver checks the sender with the header
 *     X-Slicedeck-Signature: sha256=<hex HMAC-SHA256 of the body>
 * keyed with a secret read from secret_file (not accessible by others).
 * TLS verification is on (ca: a CA file, "" = the system store); an
 * http:// URL is refused unless allow_http = true (tests, a loopback
 * relay). Each event is one POST with a bounded queue (queue, default
 * 1000; overflow counted and logged); a failed POST (transport error or a
 * status other than 2xx) is retried after 1 s, 2 s, 4 s ... up to 60 s,
 * at most retries times (default 5), then dropped and logged. One request
 * in flight at a time keeps the order.
 *
 * libcurl's multi-socket API on the engine's loop: the socket callback
 * edits the host's watchers, the timer callback arms one host timer, and
 * readiness and expiry call curl_multi_socket_action, never from inside
 * libcurl's own callbacks.
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/slicedeck-plugin.h"
#include "plugins/webhook/hmac_sig.h"

struct item {
	char *body;
	int tries;
};

struct wh {
	const struct sdp_host *h;
	struct sdp_ctx *c;
	char url[1024];
	char ca[512];
	char secret[512];
	size_t secret_len;
	int audit, retries, timeout_ms, qmax, allow_http;
	struct item *q;
	int qhead, qlen;
	unsigned long dropped, sent, failed;
	CURLM *multi;
	CURL *easy;                 /* the request in flight, NULL */
	struct curl_slist *hdrs;
	uint64_t curl_timer, retry_timer;
	int backoff_ms;
	char errbuf[CURL_ERROR_SIZE];
};

static void kick(struct wh *w);

static void on_sock(int fd, int events, void *arg)
{
	struct wh *w = arg;
	int running, flags = 0;
	if (events & SDP_EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & SDP_EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (events & SDP_EV_ERROR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(w->multi, fd, flags, &running);
	kick(w);
}

static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct wh *w = userp;
	if (what == CURL_POLL_REMOVE)
		w->h->unwatch(w->c, fd);
	else
		w->h->watch(w->c, fd, (what & CURL_POLL_IN ? SDP_EV_READ : 0) |
				      (what & CURL_POLL_OUT ? SDP_EV_WRITE : 0), on_sock, w);
	return 0;
}

static void on_curl_timer(uint64_t id, void *arg)
{
	struct wh *w = arg;
	int running;
	w->curl_timer = 0;
	curl_multi_socket_action(w->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	kick(w);
}

static int timer_cb(CURLM *m, long ms, void *userp)
{
	struct wh *w = userp;
	if (w->curl_timer) {
		w->h->timer_del(w->c, w->curl_timer);
		w->curl_timer = 0;
	}
	if (ms >= 0)
		w->curl_timer = w->h->timer_add(w->c, ms, on_curl_timer, w);
	return 0;
}

static size_t discard(char *p, size_t sz, size_t n, void *u)
{
	return sz * n;
}

static void on_retry(uint64_t id, void *arg)
{
	struct wh *w = arg;
	w->retry_timer = 0;
	kick(w);
}

static void pop(struct wh *w)
{
	free(w->q[w->qhead].body);
	w->q[w->qhead].body = NULL;
	w->qhead = (w->qhead + 1) % w->qmax;
	w->qlen--;
}

static void start_request(struct wh *w)
{
	struct item *it = &w->q[w->qhead];
	char sig[65], hdr[100];
	CURL *e = curl_easy_init();
	if (!e)
		return;
	if (webhook_sign(w->secret, w->secret_len, it->body, strlen(it->body), sig) < 0) {
		w->h->log(w->c, SDP_LOG_ERR, "cannot sign a message: dropped");
		curl_easy_cleanup(e);
		pop(w);
		return;
	}
	curl_slist_free_all(w->hdrs);
	w->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(hdr, sizeof hdr, "X-Slicedeck-Signature: sha256=%s", sig);
	w->hdrs = curl_slist_append(w->hdrs, hdr);
	w->hdrs = curl_slist_append(w->hdrs, "Expect:");
	curl_easy_setopt(e, CURLOPT_URL, w->url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, it->body);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, w->hdrs);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)w->timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, w->allow_http ? "https,http" : "https");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (w->ca[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, w->ca);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, w->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "slicedeck-webhook/1.0");
	w->errbuf[0] = 0;
	w->easy = e;
	curl_multi_add_handle(w->multi, e);
}

/* drain finished transfers, start the next one */
static void kick(struct wh *w)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(w->multi, &left))) {
		long code = 0;
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		if (m->data.result == CURLE_OK && code >= 200 && code < 300) {
			w->sent++;
			w->backoff_ms = 1000;
			pop(w);
		} else {
			struct item *it = &w->q[w->qhead];
			char why[300];
			if (m->data.result != CURLE_OK)
				snprintf(why, sizeof why, "%s", w->errbuf[0] ? w->errbuf
					 : curl_easy_strerror(m->data.result));
			else
				snprintf(why, sizeof why, "HTTP status %ld", code);
			if (++it->tries > w->retries) {
				w->failed++;
				w->h->log(w->c, SDP_LOG_ERR, "POST %s: %s; given up after %d tries, "
					  "message dropped", w->url, why, it->tries);
				pop(w);
			} else {
				w->h->log(w->c, SDP_LOG_WARNING, "POST %s: %s; retrying in %d ms",
					  w->url, why, w->backoff_ms);
				w->retry_timer = w->h->timer_add(w->c, w->backoff_ms, on_retry, w);
				w->backoff_ms = w->backoff_ms * 2 > 60000 ? 60000 : w->backoff_ms * 2;
			}
		}
		curl_multi_remove_handle(w->multi, m->easy_handle);
		curl_easy_cleanup(m->easy_handle);
		w->easy = NULL;
	}
	if (!w->easy && !w->retry_timer && w->qlen)
		start_request(w);
}

static void enqueue(struct wh *w, json_t *o)
{
	char *body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!body)
		return;
	if (w->qlen == w->qmax) {
		if (!(w->dropped++ % 100))
			w->h->log(w->c, SDP_LOG_WARNING, "queue full (%d): %lu messages dropped",
				  w->qmax, w->dropped);
		free(body);
		return;
	}
	w->q[(w->qhead + w->qlen) % w->qmax] = (struct item){ body, 0 };
	w->qlen++;
	kick(w);
}

static void on_event(const struct sdp_event *ev, void *arg)
{
	struct wh *w = arg;
	if (ev->kind == SDP_EVENT_ALARM) {
		const struct sdp_alarm *a = &ev->u.alarm;
		enqueue(w, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
				     "kind", "alarm", "notification", a->notif, "id", (json_int_t)a->id,
				     "severity", a->severity, "type", a->type, "cause", a->cause,
				     "object", a->object, "factory", a->factory, "problem", a->problem,
				     "text", a->text, "raised_ms", (json_int_t)a->raised_ms,
				     "changed_ms", (json_int_t)a->changed_ms,
				     "cleared_ms", (json_int_t)a->cleared_ms));
	} else if (ev->kind == SDP_EVENT_AUDIT && w->audit) {
		const struct sdp_audit *a = &ev->u.audit;
		enqueue(w, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "audit",
				     "seq", (json_int_t)a->seq, "time_ms", (json_int_t)a->time_ms,
				     "user", a->user, "role", a->role, "factory", a->factory, "op", a->op,
				     "object_factory", a->object_factory, "outcome", a->outcome));
	}
}

static int init(const struct sdp_host *h, struct sdp_ctx *c, void **state, char *err, size_t errsz)
{
	struct wh *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	w->h = h;
	w->c = c;
	w->backoff_ms = 1000;
	*state = w;
	return 0;
}

static int configure(void *state, char *err, size_t errsz)
{
	struct wh *w = state;
	const struct sdp_host *h = w->h;
	const char *url = h->setting_str(w->c, "url", NULL);
	const char *ca = h->setting_str(w->c, "ca", "");
	const char *sf = h->setting_str(w->c, "secret_file", NULL);
	char e[512];
	int bad = 0;

	w->allow_http = h->setting_bool(w->c, "allow_http", 0);
	w->audit = h->setting_bool(w->c, "audit", 0);
	w->retries = (int)h->setting_int(w->c, "retries", 5, 0, 100);
	w->timeout_ms = (int)h->setting_int(w->c, "timeout_ms", 5000, 100, 120000);
	w->qmax = (int)h->setting_int(w->c, "queue", 1000, 1, 100000);
	if (!url || strlen(url) >= sizeof w->url) {
		h->config_error(w->c, url ? "url" : NULL, url ? "too long" : "settings.url is required");
		bad = 1;
	} else if (strncmp(url, "https://", 8) && !(w->allow_http && !strncmp(url, "http://", 7))) {
		h->config_error(w->c, "url", "must be an https:// URL (http:// only with allow_http = true)");
		bad = 1;
	} else {
		snprintf(w->url, sizeof w->url, "%s", url);
	}
	if (ca)
		snprintf(w->ca, sizeof w->ca, "%s", ca);
	if (!sf) {
		h->config_error(w->c, NULL, "settings.secret_file is required (the HMAC key)");
		bad = 1;
	} else if (h->read_secret(w->c, sf, w->secret, sizeof w->secret, e, sizeof e) < 0) {
		h->config_error(w->c, "secret_file", "%s", e);
		bad = 1;
	} else {
		w->secret_len = strlen(w->secret);
	}
	if (bad)
		return -1;
	w->q = calloc((size_t)w->qmax, sizeof *w->q);
	w->multi = curl_multi_init();
	if (!w->q || !w->multi) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	curl_multi_setopt(w->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(w->multi, CURLMOPT_SOCKETDATA, w);
	curl_multi_setopt(w->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(w->multi, CURLMOPT_TIMERDATA, w);
	return 0;
}

static int start(void *state, char *err, size_t errsz)
{
	struct wh *w = state;
	unsigned mask = SDP_EVENT_BIT(SDP_EVENT_ALARM);
	if (w->audit)
		mask |= SDP_EVENT_BIT(SDP_EVENT_AUDIT);
	if (w->h->subscribe(w->c, mask, (size_t)w->qmax, on_event, w) < 0) {
		snprintf(err, errsz, "cannot subscribe to the bus");
		return -1;
	}
	return 0;
}

static void stop(void *state)
{
	struct wh *w = state;
	int i;
	if (!w)
		return;
	if (w->easy) {
		curl_multi_remove_handle(w->multi, w->easy);
		curl_easy_cleanup(w->easy);
	}
	if (w->multi)
		curl_multi_cleanup(w->multi);
	if (w->curl_timer)
		w->h->timer_del(w->c, w->curl_timer);
	if (w->retry_timer)
		w->h->timer_del(w->c, w->retry_timer);
	curl_slist_free_all(w->hdrs);
	if (w->q)
		for (i = 0; i < w->qmax; i++)
			free(w->q[i].body);
	free(w->q);
	if (w->qlen)
		w->h->log(w->c, SDP_LOG_WARNING, "stopped with %d messages unsent", w->qlen);
	explicit_bzero(w->secret, sizeof w->secret);
	free(w);
}

static const struct sdp_plugin reg = {
	SDP_PLUGIN_HEADER,
	.name = "webhook",
	.version = "1.0",
	.kind = SDP_KIND_SINK,
	.description = "alarms (and audit entries) as signed JSON POSTs to an HTTPS URL",
	.init = init, .configure = configure, .start = start, .stop = stop,
};

__attribute__((visibility("default"))) const struct sdp_plugin *slicedeck_plugin_entry(void);
const struct sdp_plugin *slicedeck_plugin_entry(void)
{
	return &reg;
}
