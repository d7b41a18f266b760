/* plugins/open5gs/open5gs.c — the `open5gs` plugin: live slice figures
 * from an Open5GS core's Prometheus endpoints, without NWDAF.
 *
 * Every `interval` seconds it GETs the configured AMF, SMF, UPF and PCF
 * /metrics URLs (plain HTTP/1.1 as Open5GS serves them, or HTTPS with
 * verification), parses the text exposition (promtext.c) and maps the
 * families (o5gs_map.c) onto the configured slices by S-NSSAI:
 *
 *   AMF registered subscribers per S-NSSAI  -> KPI "ues", the slice's UES
 *   SMF sessions per S-NSSAI                -> KPI "pdu_sessions", PDU
 *   PCF SM policy associations per S-NSSAI  -> the same, when no SMF URL
 *   UPF N3 volume counters (per QFI)        -> ul/dl_throughput of the one
 *                                              slice of upf_snssai (a UPF
 *                                              dedicated to a slice)
 *
 * Each target can be reported as an NF in the engine's NF list (ABI 1.1
 * inventory; by default the UPF only, which Open5GS does not register with
 * its NRF): reachable while its endpoint answers a well-formed text, so an
 * endpoint that is down or serves garbage raises the engine's NF alarm.
 * Failures are logged once per streak with the reason (a malformed line
 * with its line number) and the recovery once.
 *
 * libcurl's multi-socket API on the engine's loop, as in the webhook
 * plugin: nothing blocks, every transfer has a timeout, a body has a cap.
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugins/open5gs/o5gs_map.h"
#include "plugins/slicedeck-plugin.h"

struct target {
	struct o5gs *o;
	enum o5gs_nf nf;
	char url[1024];
	char addr[128];            /* host:port of the URL, for the NF row */
	char nf_id[40];            /* "open5gs-upf" */
	int inventory;
	CURL *easy;                /* in flight, NULL */
	char *body;
	size_t len, cap;
	int too_big;
	int failing;               /* the last scrape failed (logged) */
	int ok_once;
	double gnbs;               /* last logged */
	double n3_in, n3_out;      /* last counter values, NAN none */
	int64_t n3_ms;
	unsigned long scrapes, failures;
	char errbuf[CURL_ERROR_SIZE];
};

struct o5gs {
	const struct sdp_host *h;
	struct sdp_ctx *c;
	struct target t[O5GS_NF_COUNT];
	int nt;
	int interval_s, timeout_ms;
	long max_body;
	char plmn[8];
	char ca[512];
	int upf_sst;
	char upf_sd[7];
	char upf_slice[64];        /* resolved from upf_snssai, "" none */
	int have_smf;
	CURLM *multi;
	uint64_t curl_timer, round_timer;
	int unmapped_logged;
};

static void drain(struct o5gs *o);

/* --- libcurl on the host loop ---------------------------------------------- */

static void on_sock(int fd, int events, void *arg)
{
	struct o5gs *o = arg;
	int running, flags = 0;
	if (events & SDP_EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & SDP_EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (events & SDP_EV_ERROR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(o->multi, fd, flags, &running);
	drain(o);
}

static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct o5gs *o = userp;
	if (what == CURL_POLL_REMOVE)
		o->h->unwatch(o->c, fd);
	else
		o->h->watch(o->c, fd, (what & CURL_POLL_IN ? SDP_EV_READ : 0) |
				      (what & CURL_POLL_OUT ? SDP_EV_WRITE : 0), on_sock, o);
	return 0;
}

static void on_curl_timer(uint64_t id, void *arg)
{
	struct o5gs *o = arg;
	int running;
	o->curl_timer = 0;
	curl_multi_socket_action(o->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	drain(o);
}

static int timer_cb(CURLM *m, long ms, void *userp)
{
	struct o5gs *o = userp;
	if (o->curl_timer) {
		o->h->timer_del(o->c, o->curl_timer);
		o->curl_timer = 0;
	}
	if (ms >= 0)
		o->curl_timer = o->h->timer_add(o->c, ms, on_curl_timer, o);
	return 0;
}

static size_t on_body(char *p, size_t sz, size_t n, void *u)
{
	struct target *t = u;
	size_t k = sz * n;
	if (t->len + k > (size_t)t->o->max_body) {
		t->too_big = 1;
		return 0;               /* aborts the transfer */
	}
	if (t->len + k + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 16384;
		char *b;
		while (cap < t->len + k + 1)
			cap *= 2;
		b = realloc(t->body, cap);
		if (!b)
			return 0;
		t->body = b;
		t->cap = cap;
	}
	memcpy(t->body + t->len, p, k);
	t->len += k;
	t->body[t->len] = 0;
	return k;
}

/* --- what a scrape says ----------------------------------------------------- */

static void report_nf(struct target *t, int reachable)
{
	struct o5gs *o = t->o;
	struct sdp_nf nf = {
		.size = sizeof nf, .id = t->nf_id, .type = o5gs_nf_name(t->nf), .addr = t->addr,
		.reachable = reachable, .load = -1,
	};
	if (t->inventory && o->h->nf_report(o->c, &nf) < 0)
		o->h->log(o->c, SDP_LOG_WARNING, "the engine refused NF %s (an NF of another "
			  "source has that id?)", t->nf_id);
}

static void failed(struct target *t, const char *why)
{
	struct o5gs *o = t->o;
	t->failures++;
	if (!t->failing)
		o->h->log(o->c, SDP_LOG_WARNING, "%s %s: %s; trying again every %d s",
			  o5gs_nf_name(t->nf), t->url, why, o->interval_s);
	t->failing = 1;
	t->n3_in = t->n3_out = NAN;   /* a rate across the gap would mislead */
	report_nf(t, 0);
}

static void publish_slices(struct target *t, const struct o5gs_scrape *s)
{
	struct o5gs *o = t->o;
	const char *metric = t->nf == O5GS_AMF ? "ues" : "pdu_sessions";
	enum sdp_live_field field = t->nf == O5GS_AMF ? SDP_LIVE_UES : SDP_LIVE_PDU_SESSIONS;
	int i, unmapped = 0;
	char slice[64];
	if (t->nf == O5GS_PCF && o->have_smf)
		return;                 /* the SMF's count is the one */
	for (i = 0; i < s->nper; i++) {
		const struct o5gs_slice_fig *f = &s->per[i];
		if (o->h->slice_by_snssai(o->c, f->sst, f->sd, slice, sizeof slice) < 0) {
			if (!(o->unmapped_logged & (1 << t->nf)))
				o->h->log(o->c, SDP_LOG_INFO, "%s reports S-NSSAI %d%s%s, which no "
					  "configured slice has: not shown", o5gs_nf_name(t->nf),
					  f->sst, f->sd[0] ? "-" : "", f->sd);
			unmapped = 1;
			continue;
		}
		o->h->publish_sample(o->c, slice, metric, f->value, 0);
		o->h->slice_live(o->c, slice, field, (long)llround(f->value));
	}
	if (unmapped)
		o->unmapped_logged |= 1 << t->nf;
}

static void upf_rates(struct target *t, const struct o5gs_scrape *s)
{
	struct o5gs *o = t->o;
	int64_t now = o->h->now_ms(o->c);
	if (!o->upf_slice[0] || isnan(s->n3_in_bytes) || isnan(s->n3_out_bytes))
		return;
	if (!isnan(t->n3_in) && now > t->n3_ms && s->n3_in_bytes >= t->n3_in &&
	    s->n3_out_bytes >= t->n3_out) {
		double dt = (double)(now - t->n3_ms) / 1000.0;
		/* bytes into the UPF on N3 come from the gNB: uplink */
		o->h->publish_sample(o->c, o->upf_slice, "ul_throughput",
				     (s->n3_in_bytes - t->n3_in) * 8 / 1000 / dt, 0);
		o->h->publish_sample(o->c, o->upf_slice, "dl_throughput",
				     (s->n3_out_bytes - t->n3_out) * 8 / 1000 / dt, 0);
	}
	/* a counter that went down was reset (the UPF restarted): start over */
	t->n3_in = s->n3_in_bytes;
	t->n3_out = s->n3_out_bytes;
	t->n3_ms = now;
}

static void scraped(struct target *t)
{
	struct o5gs *o = t->o;
	struct o5gs_scrape *s = malloc(sizeof *s);
	char err[512], why[600];
	if (!s) {
		failed(t, "out of memory");
		return;
	}
	if (o5gs_scrape_parse(t->nf, t->body ? t->body : "", t->len, o->plmn, s, err,
			      sizeof err) < 0) {
		snprintf(why, sizeof why, "malformed metrics text: %s", err);
		failed(t, why);
		free(s);
		return;
	}
	if (t->failing)
		o->h->log(o->c, SDP_LOG_NOTICE, "%s %s answers again (%d samples)",
			  o5gs_nf_name(t->nf), t->url, s->samples);
	else if (!t->ok_once)
		o->h->log(o->c, SDP_LOG_INFO, "%s %s: %d samples, %d mapped, %d S-NSSAIs",
			  o5gs_nf_name(t->nf), t->url, s->samples, s->used, s->nper);
	if (s->skipped && (t->failing || !t->ok_once))
		o->h->log(o->c, SDP_LOG_WARNING, "%s %s: %d samples not read (%s)",
			  o5gs_nf_name(t->nf), t->url, s->skipped, s->skipped_why);
	t->failing = 0;
	t->ok_once = 1;
	publish_slices(t, s);
	if (t->nf == O5GS_AMF && !isnan(s->gnbs) && s->gnbs != t->gnbs) {
		o->h->log(o->c, SDP_LOG_NOTICE, "AMF: %.0f gNBs connected", s->gnbs);
		t->gnbs = s->gnbs;
	}
	if (t->nf == O5GS_UPF)
		upf_rates(t, s);
	report_nf(t, 1);
	free(s);
}

/* finished transfers */
static void drain(struct o5gs *o)
{
	CURLMsg *m;
	int left, i;
	while ((m = curl_multi_info_read(o->multi, &left))) {
		struct target *t = NULL;
		long code = 0;
		char why[400];
		if (m->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < o->nt; i++)
			if (o->t[i].easy == m->easy_handle)
				t = &o->t[i];
		curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		if (t) {
			t->scrapes++;
			if (t->too_big)
				snprintf(why, sizeof why, "the body is larger than max_body (%ld bytes)",
					 o->max_body);
			else if (m->data.result != CURLE_OK)
				snprintf(why, sizeof why, "%s", t->errbuf[0] ? t->errbuf
					 : curl_easy_strerror(m->data.result));
			else if (code != 200)
				snprintf(why, sizeof why, "HTTP status %ld", code);
			else
				why[0] = 0;
			if (why[0])
				failed(t, why);
			else
				scraped(t);
			t->easy = NULL;
		}
		curl_multi_remove_handle(o->multi, m->easy_handle);
		curl_easy_cleanup(m->easy_handle);
	}
}

static void start_scrape(struct target *t)
{
	struct o5gs *o = t->o;
	CURL *e = curl_easy_init();
	if (!e) {
		failed(t, "cannot make a libcurl handle");
		return;
	}
	t->len = 0;
	t->too_big = 0;
	t->errbuf[0] = 0;
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)o->timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca[0])
		curl_easy_setopt(e, CURLOPT_CAINFO, o->ca);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "slicedeck-open5gs/1.0");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	t->easy = e;
	if (curl_multi_add_handle(o->multi, e) != CURLM_OK) {
		t->easy = NULL;
		curl_easy_cleanup(e);
		failed(t, "cannot start the transfer");
	}
}

/* every interval: one GET per target whose previous one is done (the
 * timeout is below the interval, so none is still running) */
static void on_round(uint64_t id, void *arg)
{
	struct o5gs *o = arg;
	int i;
	o->round_timer = o->h->timer_add(o->c, (int64_t)o->interval_s * 1000, on_round, o);
	for (i = 0; i < o->nt; i++)
		if (!o->t[i].easy)
			start_scrape(&o->t[i]);
}

/* --- the plugin -------------------------------------------------------------- */

static int init(const struct sdp_host *h, struct sdp_ctx *c, void **state, char *err, size_t errsz)
{
	struct o5gs *o;
	if (h->size < offsetof(struct sdp_host, nf_withdraw) + sizeof h->nf_withdraw) {
		snprintf(err, errsz, "the engine's plugin ABI %u.%u lacks slice_live and nf_report "
			 "(1.1)", h->abi_major, h->abi_minor);
		return -1;
	}
	o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	o->h = h;
	o->c = c;
	*state = o;
	return 0;
}

/* host:port of an http(s) URL, for the NF row */
static void url_addr(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	size_t n;
	p = p ? p + 3 : url;
	n = strcspn(p, "/?#");
	snprintf(out, outsz, "%.*s", (int)n, p);
}

static int configure(void *state, char *err, size_t errsz)
{
	struct o5gs *o = state;
	const struct sdp_host *h = o->h;
	static const char *const keys[O5GS_NF_COUNT] = { "amf", "smf", "upf", "pcf" };
	const char *inv, *plmn, *ca, *usn;
	int bad = 0, i;

	o->interval_s = (int)h->setting_int(o->c, "interval", 10, 1, 3600);
	o->timeout_ms = (int)h->setting_int(o->c, "timeout_ms", 3000, 100, 60000);
	o->max_body = (long)h->setting_int(o->c, "max_body", 4 << 20, 4096, 64 << 20);
	inv = h->setting_str(o->c, "inventory", "upf");
	plmn = h->setting_str(o->c, "plmn", "");
	ca = h->setting_str(o->c, "ca", "");
	usn = h->setting_str(o->c, "upf_snssai", "");
	if (o->timeout_ms >= o->interval_s * 1000) {
		h->config_error(o->c, "timeout_ms", "%d ms is not below interval (%d s)", o->timeout_ms,
				o->interval_s);
		bad = 1;
	}
	if (plmn) {
		size_t n = strlen(plmn);
		if (n && (n < 5 || n > 6 || strspn(plmn, "0123456789") != n)) {
			h->config_error(o->c, "plmn", "\"%s\": MCC and MNC digits, as Open5GS's plmnid "
					"label (\"00101\")", plmn);
			bad = 1;
		} else {
			snprintf(o->plmn, sizeof o->plmn, "%s", plmn);
		}
	}
	if (ca)
		snprintf(o->ca, sizeof o->ca, "%s", ca);
	for (i = 0; i < O5GS_NF_COUNT; i++) {
		const char *url = h->setting_str(o->c, keys[i], NULL);
		struct target *t;
		if (!url)
			continue;
		if (strlen(url) >= sizeof o->t[0].url ||
		    (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) {
			h->config_error(o->c, keys[i], "\"%.80s\": an http:// or https:// URL of the %s's "
					"metrics (\"http://127.0.0.5:9090/metrics\")", url,
					o5gs_nf_name((enum o5gs_nf)i));
			bad = 1;
			continue;
		}
		t = &o->t[o->nt++];
		t->o = o;
		t->nf = (enum o5gs_nf)i;
		snprintf(t->url, sizeof t->url, "%s", url);
		url_addr(url, t->addr, sizeof t->addr);
		snprintf(t->nf_id, sizeof t->nf_id, "open5gs-%s", keys[i]);
		t->gnbs = NAN;
		t->n3_in = t->n3_out = NAN;
		if (t->nf == O5GS_SMF)
			o->have_smf = 1;
	}
	if (!o->nt && !bad) {
		h->config_error(o->c, NULL, "settings: at least one of amf, smf, upf, pcf (a metrics "
				"URL) is required");
		bad = 1;
	}
	if (inv) {
		char list[128], *tok, *save = NULL;
		snprintf(list, sizeof list, "%s", inv);
		for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
			int k = o5gs_nf_parse(tok);
			if (k < 0) {
				h->config_error(o->c, "inventory", "\"%s\": not amf, smf, upf or pcf", tok);
				bad = 1;
				continue;
			}
			for (i = 0; i < o->nt; i++)
				if (o->t[i].nf == (enum o5gs_nf)k)
					o->t[i].inventory = 1;
		}
	}
	if (usn && usn[0]) {
		if (o5gs_snssai_parse(usn, &o->upf_sst, o->upf_sd) < 0) {
			h->config_error(o->c, "upf_snssai", "\"%s\": SST or SST-SD (\"1-000001\")", usn);
			bad = 1;
		} else if (h->slice_by_snssai(o->c, o->upf_sst, o->upf_sd, o->upf_slice,
					      sizeof o->upf_slice) < 0) {
			h->config_error(o->c, "upf_snssai", "no configured slice has S-NSSAI %s", usn);
			bad = 1;
		}
	}
	if (bad)
		return -1;
	o->multi = curl_multi_init();
	if (!o->multi) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	curl_multi_setopt(o->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(o->multi, CURLMOPT_SOCKETDATA, o);
	curl_multi_setopt(o->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(o->multi, CURLMOPT_TIMERDATA, o);
	return 0;
}

static int start(void *state, char *err, size_t errsz)
{
	struct o5gs *o = state;
	o->round_timer = o->h->timer_add(o->c, 0, on_round, o);
	if (!o->round_timer) {
		snprintf(err, errsz, "cannot add a timer");
		return -1;
	}
	return 0;
}

static void stop(void *state)
{
	struct o5gs *o = state;
	int i;
	if (!o)
		return;
	for (i = 0; i < o->nt; i++) {
		if (o->t[i].easy) {
			curl_multi_remove_handle(o->multi, o->t[i].easy);
			curl_easy_cleanup(o->t[i].easy);
		}
		free(o->t[i].body);
	}
	if (o->multi)
		curl_multi_cleanup(o->multi);
	if (o->curl_timer)
		o->h->timer_del(o->c, o->curl_timer);
	if (o->round_timer)
		o->h->timer_del(o->c, o->round_timer);
	free(o);
}

static const struct sdp_plugin reg = {
	SDP_PLUGIN_HEADER,
	.name = "open5gs",
	.version = "1.0",
	.kind = SDP_KIND_SOURCE,
	.description = "slice figures from Open5GS NFs' Prometheus /metrics (AMF, SMF, UPF, PCF)",
	.init = init, .configure = configure, .start = start, .stop = stop,
};

__attribute__((visibility("default"))) const struct sdp_plugin *slicedeck_plugin_entry(void);
const struct sdp_plugin *slicedeck_plugin_entry(void)
{
	return &reg;
}
