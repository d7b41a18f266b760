/* monitor/collect.c — collectors for NRF, NSSF, NWDAF, AMF and SMF; see
 * collect.h for what each one does.
 *
 * Every request carries a small context with the collector's epoch: a
 * reload bumps the epoch and replaces the SBI client, so answers to the old
 * configuration's requests are recognised and dropped. Pointers into the
 * model are never kept across callbacks: the model is replaced on reload.
 */
#include "monitor/collect.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/ipc.h"
#include "core/log.h"
#include "core/sbi_client.h"
#include "core/sbi_server.h"
#include "core/util.h"
#include "monitor/kpi.h"
#include "monitor/sbi_decode.h"

#define NOTIFY_PREFIX "/slicedeck/v1/notify"
#define SUB_VALIDITY_S 3600
#define MAX_ROOTS 64

/* Where a service of some NF is reached, learnt from NF profiles. */
struct svc_root {
	char service[32];     /* "nnwdaf-analyticsinfo" */
	char root[256];       /* "http://127.0.0.1:7777" (+ apiPrefix) */
	char nf_id[40];
	char nf_type[16];
	char label[48];       /* "NWDAF 1a2b3c4d": how the SBI client keys its health */
};

/* An event-exposure style subscription we hold at some NF. */
struct nf_sub {
	const char *service;  /* the service that takes it */
	bool active;
	bool busy;            /* a POST is in flight */
	char root[256];       /* where it was made */
	char location[512];   /* resource URI from Location, for DELETE */
	char nf_label[48];    /* "AMF 1a2b3c4d": the NF that holds it */
	uint64_t renew_timer; /* re-made before its validity ends */
	struct sd_complaint complaint;
};

enum sub_kind { SUB_NSSF, SUB_AMF, SUB_SMF, SUB_COUNT };

struct sd_collect {
	struct sd_loop *loop;
	struct sd_host host;
	struct sd_sbi_client *cli;
	struct sd_sbi_server *srv;    /* the engine's; NULL without one */
	bool routed;
	struct sd_sbi_conf conf;      /* copy of the configuration in use */
	char notify_root[256];
	char our_id[40];              /* our NF instance id for subscriptions */
	unsigned epoch;
	bool closing;

	/* NRF */
	uint64_t nrf_timer;
	bool nrf_busy;
	int nrf_pending;              /* profile GETs outstanding in this cycle */
	struct sd_nf_instance *cycle; /* profiles gathered in this cycle */
	int ncycle;
	struct svc_root cycle_roots[MAX_ROOTS];
	int ncycle_roots;
	struct svc_root roots[MAX_ROOTS];
	int nroots;
	int nrf_backoff_ms;
	bool nrf_subscribed, nrf_sub_busy;
	char nrf_sub_location[512];
	uint64_t nrf_sub_timer;
	struct sd_complaint c_nrf, c_nrf_sub;

	/* NWDAF */
	uint64_t nwdaf_timer;
	bool nwdaf_busy;
	int nwdaf_failures;           /* rounds in a row that failed: the backoff */
	int deletes_pending;          /* subscription DELETEs in flight */
	struct sd_complaint c_nwdaf, c_nwdaf_radio;

	struct nf_sub subs[SUB_COUNT];
	uint64_t subs_timer;
};

struct req_ctx {
	struct sd_collect *c;
	unsigned epoch;
	int kind;
	char nf_id[40];
};

static struct req_ctx *ctx_new(struct sd_collect *c, int kind, const char *nf_id)
{
	struct req_ctx *x = sd_calloc(1, sizeof *x);
	x->c = c;
	x->epoch = c->epoch;
	x->kind = kind;
	if (nf_id)
		sd_strlcpy(x->nf_id, nf_id, sizeof x->nf_id);
	return x;
}

/* true when the answer belongs to the current configuration */
static bool ctx_live(const struct req_ctx *x)
{
	return !x->c->closing && x->epoch == x->c->epoch;
}

static struct sd_model *model(struct sd_collect *c) { return sd_host_model(&c->host); }

static void sample(struct sd_collect *c, const char *slice_id, enum sd_kpi_metric m, double v)
{
	struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
	sd_strlcpy(ev.u.sample.slice, slice_id, sizeof ev.u.sample.slice);
	ev.u.sample.cell_index = -1;
	ev.u.sample.metric = (int)m;
	ev.u.sample.value = v;
	sd_bus_publish(c->host.bus, &ev);
}

static void cell_sample(struct sd_collect *c, int cell, double rsrp, double sinr)
{
	struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
	ev.u.sample.cell_index = cell;
	ev.u.sample.value = rsrp;
	ev.u.sample.value2 = sinr;
	sd_bus_publish(c->host.bus, &ev);
}

/* One object of a topic changed (id "" = any of them). */
static void changed_id(struct sd_collect *c, unsigned t, const char *id, bool removed)
{
	sd_bus_model_changed(c->host.bus, t, id, removed);
}


static int interval_ms(const struct sd_collect *c)
{
	return (c->conf.poll_interval_s > 0 ? c->conf.poll_interval_s : 10) * 1000;
}

/* A random UUID (v4) for our NF instance id when the config names none. */
static void make_uuid(char out[40])
{
	unsigned char b[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	size_t i;
	if (fd < 0 || read(fd, b, sizeof b) != (ssize_t)sizeof b) {
		uint64_t x = (uint64_t)sd_wall_ms() ^ ((uint64_t)getpid() << 32);
		for (i = 0; i < sizeof b; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			b[i] = (unsigned char)(x >> 56);
		}
	}
	if (fd >= 0)
		close(fd);
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
}

/* --- service endpoints ---------------------------------------------------- */

/* The SBI client keeps reachability per label: requests to an NF carry
 * "TYPE id8" (the NRF, reached at its configured apiRoot, is "NRF"), and
 * an NF's `reachable` asks with the same label. */
static void nf_label(char *buf, size_t n, const char *type, const char *id)
{
	if (strcmp(type, "NRF") == 0)
		snprintf(buf, n, "NRF");
	else
		snprintf(buf, n, "%s %.8s", type, id);
}

/* Remember where each service of a REGISTERED profile is reached. */
static void learn_roots(struct svc_root *roots, int *n, const struct sd_nf_profile *p)
{
	int i;
	if (p->nf.status != SD_NF_REGISTERED)
		return;
	for (i = 0; i < p->nservices && *n < MAX_ROOTS; i++) {
		const struct sd_nf_service *s = &p->services[i];
		struct svc_root *r = &roots[*n];
		const char *host = NULL;
		int port = -1;
		if (s->status != SD_NF_REGISTERED)
			continue;
		if (s->neps > 0 && s->eps[0].addr[0]) {
			host = s->eps[0].addr;
			port = s->eps[0].port;
		} else if (s->fqdn[0]) {
			host = s->fqdn;
		} else if (p->fqdn[0]) {
			host = p->fqdn;
		} else if (p->naddrs > 0) {
			host = p->addrs[0];
		}
		if (!host)
			continue;
		if (port <= 0)
			port = strcmp(s->scheme, "https") == 0 ? 443 : 80;
		snprintf(r->root, sizeof r->root, "%s://%s%s%s:%d%s",
			 s->scheme[0] ? s->scheme : "http", strchr(host, ':') ? "[" : "", host,
			 strchr(host, ':') ? "]" : "", port, s->api_prefix);
		sd_strlcpy(r->service, s->name, sizeof r->service);
		sd_strlcpy(r->nf_id, p->nf.id, sizeof r->nf_id);
		sd_strlcpy(r->nf_type, p->nf.type, sizeof r->nf_type);
		nf_label(r->label, sizeof r->label, p->nf.type, p->nf.id);
		(*n)++;
	}
}

static const struct svc_root *find_root(const struct sd_collect *c, const char *service)
{
	int i;
	for (i = 0; i < c->nroots; i++)
		if (strcmp(c->roots[i].service, service) == 0)
			return &c->roots[i];
	return NULL;
}

/* --- applying results to the model ------------------------------------------ */

/* Our own observations about an NF follow it from one profile to the next. */
static void keep_observed(struct sd_nf_instance *nf, const struct sd_nf_instance *old)
{
	if (old && nf->status != SD_NF_REGISTERED && old->last_seen_ms)
		nf->last_seen_ms = old->last_seen_ms;
}

static void nf_mark(struct sd_collect *c, struct sd_nf_instance *nf)
{
	char label[48];
	/* registered, and answering when we talk to it (an NF we never talk
	 * to has no probe record: registered is all we know) */
	nf_label(label, sizeof label, nf->type, nf->id);
	if (nf->status == SD_NF_REGISTERED && !nf->stale)
		nf->last_seen_ms = sd_wall_ms();
	nf->reachable = nf->status == SD_NF_REGISTERED && sd_sbi_nf_reachable(c->cli, label);
}

/* Insert or replace one NF in the model (notification path). */
static void upsert_nf(struct sd_collect *c, const struct sd_nf_instance *nf)
{
	struct sd_model *m = model(c);
	int i = sd_model_nf_index(m, nf->id);
	struct sd_nf_instance n = *nf;
	if (i >= 0) {
		keep_observed(&n, &m->nfs[i]);
	} else {
		m->nfs = sd_reallocarray(m->nfs, (size_t)m->nnfs + 1, sizeof *m->nfs);
		i = m->nnfs++;
	}
	n.stale = false;
	nf_mark(c, &n);
	m->nfs[i] = n;
	sd_model_reindex(m);
	changed_id(c, SD_TOPIC_NFS, n.id, false);
}

static void remove_nf(struct sd_collect *c, const char *id)
{
	struct sd_model *m = model(c);
	int i = sd_model_nf_index(m, id);
	if (i < 0)
		return;
	memmove(&m->nfs[i], &m->nfs[i + 1], (size_t)(m->nnfs - i - 1) * sizeof *m->nfs);
	m->nnfs--;
	sd_model_reindex(m);
	changed_id(c, SD_TOPIC_NFS, id, true);
}

static void mark_all_stale(struct sd_collect *c)
{
	struct sd_model *m = model(c);
	int i, n = 0;
	for (i = 0; i < m->nnfs; i++) {
		if (!m->nfs[i].stale) {
			n++;
			changed_id(c, SD_TOPIC_NFS, m->nfs[i].id, false);
		}
		m->nfs[i].stale = true;
		m->nfs[i].reachable = false;
	}
	(void)n;
}

/* --- NRF: the NF list and profiles ------------------------------------------ */

static void nrf_schedule(struct sd_collect *c, int64_t ms);
static void nrf_subscribe(struct sd_collect *c);
static void on_nrf_sub_renew(struct sd_loop *loop, uint64_t id, void *arg);
static void subs_check(struct sd_collect *c);

static void nrf_cycle_finish(struct sd_collect *c)
{
	struct sd_model *m = model(c);
	int i;
	/* the cycle's view replaces the model's, keeping our observations */
	for (i = 0; i < c->ncycle; i++) {
		int old = sd_model_nf_index(m, c->cycle[i].id);
		keep_observed(&c->cycle[i], old >= 0 ? &m->nfs[old] : NULL);
		nf_mark(c, &c->cycle[i]);
		if (c->cycle[i].stale && old >= 0)
			c->cycle[i].last_seen_ms = m->nfs[old].last_seen_ms;
	}
	/* announce what this cycle changed: new or different instances, and
	 * the ones that are gone */
	for (i = 0; i < c->ncycle; i++) {
		int old = sd_model_nf_index(m, c->cycle[i].id);
		if (old < 0 || memcmp(&m->nfs[old], &c->cycle[i], sizeof c->cycle[i]) != 0)
			changed_id(c, SD_TOPIC_NFS, c->cycle[i].id, false);
	}
	for (i = 0; i < m->nnfs; i++) {
		int k;
		for (k = 0; k < c->ncycle && strcmp(c->cycle[k].id, m->nfs[i].id) != 0; k++)
			;
		if (k == c->ncycle)
			changed_id(c, SD_TOPIC_NFS, m->nfs[i].id, true);
	}
	free(m->nfs);
	m->nfs = c->cycle;
	m->nnfs = c->ncycle;
	c->cycle = NULL;
	c->ncycle = 0;
	sd_model_reindex(m);
	memcpy(c->roots, c->cycle_roots, sizeof c->roots);
	c->nroots = c->ncycle_roots;
	c->nrf_busy = false;
	c->nrf_backoff_ms = 0;
	sd_complain_clear(&c->c_nrf, "NRF %s: NF inventory is back (%d NF instances)",
			  c->conf.nrf_api_root, m->nnfs);
	/* polled even with a subscription: the subscription brings changes at
	 * once, the poll keeps "last confirmed REGISTERED" (the console's
	 * heartbeat age) fresh and repairs anything a lost notification missed */
	nrf_schedule(c, interval_ms(c));
	subs_check(c);
}

static void nrf_cycle_failed(struct sd_collect *c, const char *why)
{
	sd_complain(&c->c_nrf, SD_LOG_ERR, "%s; keeping the last NF inventory, marked stale", why);
	free(c->cycle);
	c->cycle = NULL;
	c->ncycle = 0;
	c->nrf_busy = false;
	mark_all_stale(c);
	c->nrf_backoff_ms = c->nrf_backoff_ms ? c->nrf_backoff_ms * 2 : interval_ms(c);
	/* the SBI client already probes an unreachable NRF with backoff; this
	 * only spaces out whole inventory cycles against a sick one */
	if (c->nrf_backoff_ms > 3 * interval_ms(c))
		c->nrf_backoff_ms = 3 * interval_ms(c);
	nrf_schedule(c, c->nrf_backoff_ms);
}

static void on_profile(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nf_profile p = { 0 };
	struct sd_decode_diag diag;
	struct sd_nf_instance *slot;

	if (!ctx_live(x))
		goto out;
	slot = &c->cycle[c->ncycle++];
	if (res->err == SD_SBI_OK && res->status == 200 &&
	    sd_decode_nf_profile(res->body, res->body_len, &p, &diag) == 0) {
		*slot = p.nf;
		learn_roots(c->cycle_roots, &c->ncycle_roots, &p);
	} else {
		/* keep what we knew of this NF, marked stale */
		struct sd_model *m = model(c);
		int old = sd_model_nf_index(m, x->nf_id);
		if (res->err == SD_SBI_OK && res->status == 200)
			sd_complain(&c->c_nrf, SD_LOG_ERR, "NRF GET nf-instances/%s: bad NFProfile: %s",
				    x->nf_id, diag.error);
		else
			sd_complain(&c->c_nrf, SD_LOG_ERR, "%s", res->errmsg);
		if (old >= 0) {
			*slot = m->nfs[old];
		} else {
			memset(slot, 0, sizeof *slot);
			sd_strlcpy(slot->id, x->nf_id, sizeof slot->id);
			sd_strlcpy(slot->type, "?", sizeof slot->type);
			slot->status = SD_NF_STATUS_OTHER;
			slot->load = -1;
		}
		slot->stale = true;
	}
	sd_nf_profile_done(&p);
	if (--c->nrf_pending == 0)
		nrf_cycle_finish(c);
out:
	free(x);
}

static void on_nf_list(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nrf_urilist l = { 0 };
	struct sd_decode_diag diag;
	char why[512];
	int i;

	if (!ctx_live(x))
		goto out;
	if (res->err != SD_SBI_OK || res->status != 200) {
		nrf_cycle_failed(c, res->errmsg);
		goto out;
	}
	if (sd_decode_nrf_urilist(res->body, res->body_len, &l, &diag) < 0) {
		snprintf(why, sizeof why, "NRF GET /nnrf-nfm/v1/nf-instances: bad UriList: %s",
			 diag.error);
		nrf_cycle_failed(c, why);
		goto out;
	}
	c->cycle = sd_calloc((size_t)(l.nids ? l.nids : 1), sizeof *c->cycle);
	c->ncycle = 0;
	c->ncycle_roots = 0;
	c->nrf_pending = l.nids;
	if (l.nids == 0) {
		nrf_cycle_finish(c);
		goto done;
	}
	for (i = 0; i < l.nids; i++) {
		char *id = sd_uri_escape(l.ids[i]);
		char *url = sd_printf("%s/nnrf-nfm/v1/nf-instances/%s", c->conf.nrf_api_root, id);
		struct sd_sbi_reqopts o = { .nf = "NRF", .method = "GET", .url = url,
					    .scope = "nnrf-nfm", .target_nf_type = "NRF" };
		if (sd_sbi_request(c->cli, &o, on_profile, ctx_new(c, 0, l.ids[i])) < 0) {
			/* cannot happen with valid options; account for it anyway */
			c->cycle[c->ncycle].stale = true;
			sd_strlcpy(c->cycle[c->ncycle].id, l.ids[i], sizeof c->cycle[0].id);
			c->ncycle++;
			if (--c->nrf_pending == 0)
				nrf_cycle_finish(c);
		}
		free(url);
		free(id);
	}
done:
	sd_nrf_urilist_done(&l);
out:
	free(x);
}

static void nrf_poll(struct sd_collect *c)
{
	char *url;
	struct sd_sbi_reqopts o = { .nf = "NRF", .method = "GET", .scope = "nnrf-nfm",
				    .target_nf_type = "NRF",
				    .accept = "application/3gppHal+json, application/json, application/problem+json" };
	if (c->nrf_busy || !c->conf.nrf_api_root[0])
		return;
	url = sd_printf("%s/nnrf-nfm/v1/nf-instances", c->conf.nrf_api_root);
	o.url = url;
	c->nrf_busy = true;
	if (sd_sbi_request(c->cli, &o, on_nf_list, ctx_new(c, 0, NULL)) < 0)
		c->nrf_busy = false;
	free(url);
}

static void on_nrf_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	c->nrf_timer = 0;
	nrf_poll(c);
	if (!c->nrf_subscribed && !c->nrf_sub_busy && c->notify_root[0])
		nrf_subscribe(c);
	if (c->nrf_busy == false && c->nrf_timer == 0)
		nrf_schedule(c, interval_ms(c));
}

static void nrf_schedule(struct sd_collect *c, int64_t ms)
{
	sd_loop_timer_del(c->loop, c->nrf_timer);
	c->nrf_timer = sd_loop_timer_add(c->loop, ms, on_nrf_timer, c);
}

/* --- NRF: NFStatusSubscribe and notifications -------------------------------- */

static void on_nrf_subscribed(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	if (!ctx_live(x))
		goto out;
	c->nrf_sub_busy = false;
	if (res->err == SD_SBI_OK && res->status == 201) {
		c->nrf_subscribed = true;
		sd_strlcpy(c->nrf_sub_location, res->location ? res->location : "",
			   sizeof c->nrf_sub_location);
		sd_complain_clear(&c->c_nrf_sub, "NRF: subscribed to NF status changes");
		sd_info("NRF: subscribed to NF status notifications (%s); also polling every %d s",
			c->nrf_sub_location, interval_ms(c) / 1000);
		/* renew well before the validity we asked for runs out */
		sd_loop_timer_del(c->loop, c->nrf_sub_timer);
		c->nrf_sub_timer = sd_loop_timer_add(c->loop, (SUB_VALIDITY_S - 300) * 1000LL,
						     on_nrf_sub_renew, c);
	} else {
		sd_complain(&c->c_nrf_sub, SD_LOG_WARN,
			    "%s; NF status comes from polling every %d s instead",
			    res->err == SD_SBI_OK && res->status != 201 && !res->errmsg[0]
			    ? "NRF subscription refused" : res->errmsg, interval_ms(c) / 1000);
	}
out:
	free(x);
}

struct del_ctx {
	struct sd_collect *c;
	char what[600];
};

static void on_deleted(const struct sd_sbi_result *res, void *arg)
{
	struct del_ctx *d = arg;
	if (res->err == SD_SBI_OK && (res->status == 204 || res->status == 200 ||
				      res->status == 404))
		sd_debug("%s: deleted", d->what);
	else
		sd_info("%s: delete failed (%s); the NF expires it", d->what,
			res->errmsg[0] ? res->errmsg : "no 2xx");
	d->c->deletes_pending--;
	free(d);
}

/* DELETE a subscription resource we hold (best effort: an NF that cannot
 * be reached expires it by its validity). */
static void sub_delete(struct sd_collect *c, const char *nf, const char *scope,
		       const char *location)
{
	struct sd_sbi_reqopts o = { .nf = nf, .method = "DELETE", .url = location,
				    .scope = scope, .timeout_ms = 1000 };
	struct del_ctx *d;
	if (!location || !location[0])
		return;
	d = sd_calloc(1, sizeof *d);
	d->c = c;
	snprintf(d->what, sizeof d->what, "%s subscription %s", nf, location);
	c->deletes_pending++;
	if (sd_sbi_request(c->cli, &o, on_deleted, d) < 0) {
		c->deletes_pending--;
		free(d);
	}
}

/* Every subscription we hold, deleted: on reload (they are made again
 * with the new configuration) and at shutdown. Without this each reload
 * added one more of each, and every notification arrived once per reload. */
static void subs_delete_all(struct sd_collect *c)
{
	int k;
	if (c->nrf_sub_location[0])
		sub_delete(c, "NRF", "nnrf-nfm", c->nrf_sub_location);
	c->nrf_sub_location[0] = '\0';
	c->nrf_subscribed = false;
	sd_loop_timer_del(c->loop, c->nrf_sub_timer);
	c->nrf_sub_timer = 0;
	for (k = 0; k < SUB_COUNT; k++) {
		struct nf_sub *s = &c->subs[k];
		if (s->location[0])
			sub_delete(c, s->nf_label[0] ? s->nf_label : s->service, s->service,
				   s->location);
		s->location[0] = '\0';
		s->active = s->busy = false;
		sd_loop_timer_del(c->loop, s->renew_timer);
		s->renew_timer = 0;
	}
}

static void on_nrf_sub_patched(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	if (!ctx_live(x))
		goto out;
	if (res->err == SD_SBI_OK && (res->status == 200 || res->status == 204)) {
		sd_debug("NRF: subscription %s renewed", c->nrf_sub_location);
		c->nrf_sub_timer = sd_loop_timer_add(c->loop, (SUB_VALIDITY_S - 300) * 1000LL,
						     on_nrf_sub_renew, c);
		goto out;
	}
	/* gone at the NRF (404) or refused: make a new one */
	sd_notice("NRF: renewing subscription %s failed (%s); subscribing again",
		  c->nrf_sub_location, res->errmsg[0] ? res->errmsg : "no 2xx");
	c->nrf_sub_location[0] = '\0';
	c->nrf_subscribed = false;
	nrf_subscribe(c);
out:
	free(x);
}

/* Renew the NRF subscription before its validity runs out: TS 29.510's
 * update, a JSON Patch replacing validityTime. */
static void on_nrf_sub_renew(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	char validity[40], *patch;
	struct sd_sbi_reqopts o = { .nf = "NRF", .method = "PATCH", .scope = "nnrf-nfm",
				    .target_nf_type = "NRF",
				    .content_type = "application/json-patch+json" };
	c->nrf_sub_timer = 0;
	if (!c->nrf_sub_location[0]) {
		c->nrf_subscribed = false;
		nrf_subscribe(c);
		return;
	}
	sd_fmt_time(sd_wall_ms() + SUB_VALIDITY_S * 1000LL, validity, sizeof validity);
	patch = sd_printf("[{\"op\":\"replace\",\"path\":\"/validityTime\",\"value\":\"%s\"}]",
			  validity);
	o.url = c->nrf_sub_location;
	o.body = patch;
	o.body_len = strlen(patch);
	if (sd_sbi_request(c->cli, &o, on_nrf_sub_patched, ctx_new(c, 0, NULL)) < 0) {
		c->nrf_subscribed = false;
		nrf_subscribe(c);
	}
	free(patch);
}

static void nrf_subscribe(struct sd_collect *c)
{
	char validity[40];
	json_t *body;
	char *text, *url;
	struct sd_sbi_reqopts o = { .nf = "NRF", .method = "POST", .scope = "nnrf-nfm",
				    .target_nf_type = "NRF" };
	sd_fmt_time(sd_wall_ms() + SUB_VALIDITY_S * 1000LL, validity, sizeof validity);
	body = json_pack("{s:s, s:s, s:[s,s,s], s:s}",
			 "nfStatusNotificationUri", "", "reqNfInstanceId", c->our_id,
			 "reqNotifEvents", "NF_REGISTERED", "NF_DEREGISTERED", "NF_PROFILE_CHANGED",
			 "validityTime", validity);
	text = sd_printf("%s%s/nrf", c->notify_root, NOTIFY_PREFIX);
	json_object_set_new(body, "nfStatusNotificationUri", json_string(text));
	free(text);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	url = sd_printf("%s/nnrf-nfm/v1/subscriptions", c->conf.nrf_api_root);
	o.url = url;
	o.body = text;
	o.body_len = strlen(text);
	c->nrf_sub_busy = true;
	if (sd_sbi_request(c->cli, &o, on_nrf_subscribed, ctx_new(c, 0, NULL)) < 0)
		c->nrf_sub_busy = false;
	free(url);
	free(text);
}

static void h_nrf_notify(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_collect *c = arg;
	struct sd_nrf_notification n = { 0 };
	struct sd_decode_diag diag;

	if (sd_decode_nrf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("NRF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad NotificationData", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	switch (n.event) {
	case SD_NRF_EV_DEREGISTERED:
		sd_notice("NRF: NF %s deregistered", n.nf_id);
		remove_nf(c, n.nf_id);
		break;
	case SD_NRF_EV_REGISTERED:
	case SD_NRF_EV_PROFILE_CHANGED:
		if (n.has_profile) {
			struct sd_model *m = model(c);
			int old = sd_model_nf_index(m, n.nf_id);
			if (old < 0 || m->nfs[old].status != n.profile.nf.status)
				sd_notice("NRF: NF %s %s is %s", n.profile.nf.type, n.nf_id,
					  sd_nf_status_name(n.profile.nf.status));
			upsert_nf(c, &n.profile.nf);
			learn_roots(c->roots, &c->nroots, &n.profile);
		} else {
			/* profileChanges only: fetch the whole profile on the next poll */
			nrf_schedule(c, 0);
		}
		break;
	default:
		break;
	}
	sd_nrf_notification_done(&n);
	resp->status = 204;
}

/* --- NWDAF analytics ----------------------------------------------------------- */

enum { NWDAF_SLICE_LOAD, NWDAF_NF_LOAD, NWDAF_CELL_RADIO };

static void apply_slice_loads(struct sd_collect *c, const struct sd_nwdaf_slice_load *l, int n)
{
	struct sd_model *m = model(c);
	int i, k;
	for (i = 0; i < n; i++) {
		const int *idx;
		int ns = sd_model_slices_by_snssai(m, &l[i].snssai, &idx);
		for (k = 0; k < ns; k++) {
			struct sd_slice *s = &m->slices[idx[k]];
			s->live.load_level = l[i].load_level;
			s->live.updated_ms = sd_wall_ms();
			changed_id(c, SD_TOPIC_SLICES, s->id, false);
		}
	}
}

static void apply_nf_loads(struct sd_collect *c, const struct sd_nwdaf_nf_load *l, int n)
{
	struct sd_model *m = model(c);
	int i, k;
	for (i = 0; i < n; i++) {
		k = sd_model_nf_index(m, l[i].nf_id);
		if (k >= 0 && l[i].load_avg >= 0 && l[i].load_avg <= 100 &&
		    m->nfs[k].load != (int)l[i].load_avg) {
			m->nfs[k].load = (int)l[i].load_avg;
			changed_id(c, SD_TOPIC_NFS, m->nfs[k].id, false);
		}
	}
}

/* RSRP_MEAN / SINR_MEAN per NCI become one sample per model cell that has
 * both in this answer; a cell the model does not know is ignored. */
static void apply_cell_radio(struct sd_collect *c, const struct sd_nwdaf_nw_perf *l, int n)
{
	struct sd_model *m = model(c);
	double *rsrp, *sinr;
	int i, k;

	if (m->ncells <= 0)
		return;
	rsrp = sd_calloc((size_t)m->ncells * 2, sizeof *rsrp);
	sinr = rsrp + m->ncells;
	for (k = 0; k < 2 * m->ncells; k++)
		rsrp[k] = NAN;
	for (i = 0; i < n; i++) {
		if (l[i].radio == SD_NWDAF_RADIO_NONE || l[i].area.nncis < 1)
			continue;
		for (k = 0; k < m->ncells; k++) {
			if (m->cells[k].nci != l[i].area.ncis[0])
				continue;
			if (l[i].radio == SD_NWDAF_RADIO_RSRP)
				rsrp[k] = l[i].radio_value;
			else
				sinr[k] = l[i].radio_value;
		}
	}
	for (k = 0; k < m->ncells; k++)
		if (!isnan(rsrp[k]) && !isnan(sinr[k]))
			cell_sample(c, k, rsrp[k], sinr[k]);
	free(rsrp);
}

static void on_analytics(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nwdaf_analytics a = { 0 };
	struct sd_decode_diag diag;

	if (!ctx_live(x))
		goto out;
	if (x->kind == NWDAF_CELL_RADIO)
		c->nwdaf_busy = false;
	if (x->kind == NWDAF_CELL_RADIO && res->err == SD_SBI_OK && res->status != 200 &&
	    res->status != 204) {
		/* an NWDAF without the vendor extension: say so once, not as an outage */
		sd_complain(&c->c_nwdaf_radio, SD_LOG_INFO, "%s; no cell RSRP/SINR from the NWDAF "
			    "(vendor nwPerfTypes RSRP_MEAN/SINR_MEAN)", res->errmsg);
		goto out;
	}
	if (res->err != SD_SBI_OK || (res->status != 200 && res->status != 204)) {
		sd_complain(&c->c_nwdaf, SD_LOG_WARN, "%s; slice load values are kept as they were",
			    res->errmsg);
		if (x->kind == NWDAF_SLICE_LOAD)
			c->nwdaf_failures++;
		goto out;
	}
	if (x->kind == NWDAF_SLICE_LOAD)
		c->nwdaf_failures = 0;
	if (res->status == 204)
		goto out;   /* no analytics available yet */
	if (sd_decode_nwdaf_analytics(res->body, res->body_len, &a, &diag) < 0) {
		sd_complain(&c->c_nwdaf, SD_LOG_WARN, "NWDAF analytics: bad AnalyticsData: %s",
			    diag.error);
		goto out;
	}
	sd_complain_clear(&c->c_nwdaf, "NWDAF: analytics flowing again");
	apply_slice_loads(c, a.slice_loads, a.nslice_loads);
	apply_nf_loads(c, a.nf_loads, a.nnf_loads);
	apply_cell_radio(c, a.nw_perfs, a.nnw_perfs);
	if (x->kind == NWDAF_CELL_RADIO)
		sd_complain_clear(&c->c_nwdaf_radio, "NWDAF: cell RSRP/SINR flowing again");
	sd_nwdaf_analytics_done(&a);
out:
	free(x);
}

static void nwdaf_poll(struct sd_collect *c)
{
	static const struct {
		int kind;
		const char *query;
	} q[] = {
		{ NWDAF_SLICE_LOAD, "event-id=LOAD_LEVEL_INFORMATION&event-filter=%7B%22anySlice%22%3Atrue%7D" },
		{ NWDAF_NF_LOAD, "event-id=NF_LOAD&event-filter=%7B%22anySlice%22%3Atrue%7D" },
		/* {"nwPerfTypes":["RSRP_MEAN","SINR_MEAN"]}: the vendor extension */
		{ NWDAF_CELL_RADIO, "event-id=NETWORK_PERFORMANCE&event-filter="
				    "%7B%22nwPerfTypes%22%3A%5B%22RSRP_MEAN%22%2C%22SINR_MEAN%22%5D%7D" },
	};
	const struct svc_root *r = find_root(c, "nnwdaf-analyticsinfo");
	size_t i;
	if (!r || c->nwdaf_busy)
		return;
	c->nwdaf_busy = true;
	for (i = 0; i < SD_ARRAY_LEN(q); i++) {
		char *url = sd_printf("%s/nnwdaf-analyticsinfo/v1/analytics?%s", r->root, q[i].query);
		struct sd_sbi_reqopts o = { .nf = r->label, .method = "GET", .url = url,
					    .scope = "nnwdaf-analyticsinfo", .target_nf_type = "NWDAF" };
		if (sd_sbi_request(c->cli, &o, on_analytics, ctx_new(c, q[i].kind, r->nf_id)) < 0 &&
		    q[i].kind == NWDAF_CELL_RADIO)
			c->nwdaf_busy = false;
		free(url);
	}
}

/* Polled every interval; after a failed round the interval doubles, up to
 * 8 times, and a good answer brings it back (collectd's read backoff). */
static void on_nwdaf_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	int64_t next = interval_ms(c);
	nwdaf_poll(c);
	if (c->nwdaf_failures > 0) {
		int k = c->nwdaf_failures > 3 ? 3 : c->nwdaf_failures;
		next <<= k;
	}
	c->nwdaf_timer = sd_loop_timer_add(loop, next, on_nwdaf_timer, c);
}

/* --- NSSF / AMF / SMF subscriptions --------------------------------------------- */

/* The tracking areas a slice covers: those of its sites' cells (all of its
 * factory's sites when it names none). */
static int slice_tacs(const struct sd_model *m, const struct sd_slice *s, uint32_t *tacs, int max)
{
	int i, j, k, n = 0;
	for (i = 0; i < m->ncells; i++) {
		const struct sd_cell *cell = &m->cells[i];
		bool in = false;
		if (s->nsites == 0)
			in = m->sites[cell->site].factory == s->factory;
		for (j = 0; j < s->nsites && !in; j++)
			in = s->sites[j] == cell->site;
		if (!in)
			continue;
		for (k = 0; k < n && tacs[k] != cell->tac; k++)
			;
		if (k == n && n < max)
			tacs[n++] = cell->tac;
	}
	return n;
}

static json_t *tai_json(const struct sd_model *m, uint32_t tac)
{
	char t[8];
	snprintf(t, sizeof t, "%06x", tac);
	return json_pack("{s:{s:s, s:s}, s:s}", "plmnId", "mcc", m->plmn.mcc, "mnc", m->plmn.mnc,
			 "tac", t);
}

static void apply_availability(struct sd_collect *c, const struct sd_nssai_avail *a)
{
	struct sd_model *m = model(c);
	uint32_t tacs[256];
	int i, j, k, n;
	for (i = 0; i < m->nslices; i++) {
		struct sd_slice *s = &m->slices[i];
		n = slice_tacs(m, s, tacs, (int)SD_ARRAY_LEN(tacs));
		int was_total = s->live.tas_total, was_avail = s->live.tas_available;
		s->live.tas_total = n;
		s->live.tas_available = 0;
		for (j = 0; j < n; j++) {
			for (k = 0; k < a->nitems; k++) {
				if (a->items[k].tac == tacs[j] &&
				    sd_snssai_equal(&a->items[k].snssai, &s->snssai)) {
					s->live.tas_available++;
					break;
				}
			}
		}
		s->live.updated_ms = sd_wall_ms();
		if (s->live.tas_total != was_total || s->live.tas_available != was_avail)
			changed_id(c, SD_TOPIC_SLICES, s->id, false);
	}
}

static void apply_amf(struct sd_collect *c, const struct sd_amf_notification *n)
{
	struct sd_model *m = model(c);
	int i, k;
	for (i = 0; i < n->nreports; i++) {
		const struct sd_amf_report *r = &n->reports[i];
		const int *idx;
		int ns;
		if (r->type != SD_AMF_EV_UES_IN_AREA || !r->has_snssai || r->number_of_ues < 0)
			continue;
		ns = sd_model_slices_by_snssai(m, &r->snssai, &idx);
		for (k = 0; k < ns; k++) {
			struct sd_slice *s = &m->slices[idx[k]];
			sample(c, s->id, SD_KPI_UES, (double)r->number_of_ues);
			s->live.ues = r->number_of_ues;
			s->live.updated_ms = sd_wall_ms();
			changed_id(c, SD_TOPIC_SLICES, s->id, false);
		}
	}
}

static double mean_delay(const uint32_t *d, int n)
{
	double sum = 0;
	int i;
	for (i = 0; i < n; i++)
		sum += d[i];
	return n ? sum / n : -1;
}

static void apply_smf(struct sd_collect *c, const struct sd_smf_notification *n)
{
	struct sd_model *m = model(c);
	int i, jj;
	for (i = 0; i < n->nevents; i++) {
		const struct sd_smf_event_notif *e = &n->events[i];
		const int *idx;
		int ns;
		if (!e->has_snssai)
			continue;
		ns = sd_model_slices_by_snssai(m, &e->snssai, &idx);
		for (jj = 0; jj < ns; jj++) {
			int j = idx[jj];
			struct sd_slice_live *l = &m->slices[j].live;
			if (e->event == SD_SMF_EV_QOS_MON) {
				double ul = mean_delay(e->ul_delays, e->nul);
				int k;
				/* every one-way delay is a latency sample (the SLA is
				 * judged at a percentile); round trips count half */
				for (k = 0; k < e->nul; k++)
					sample(c, m->slices[j].id, SD_KPI_LATENCY, e->ul_delays[k]);
				for (k = 0; k < e->ndl; k++)
					sample(c, m->slices[j].id, SD_KPI_LATENCY, e->dl_delays[k]);
				if (!e->nul && !e->ndl)
					for (k = 0; k < e->nrt; k++)
						sample(c, m->slices[j].id, SD_KPI_LATENCY, e->rt_delays[k] / 2.0);
				double dl = mean_delay(e->dl_delays, e->ndl);
				double rt = mean_delay(e->rt_delays, e->nrt);
				if (ul >= 0 || dl >= 0)
					l->delay_ms = ul >= 0 && dl >= 0 ? (ul + dl) / 2 : (ul >= 0 ? ul : dl);
				else if (rt >= 0)
					l->delay_ms = rt / 2;
			} else if (e->event == SD_SMF_EV_PDU_SES_EST) {
				l->pdu_sessions = l->pdu_sessions < 0 ? 1 : l->pdu_sessions + 1;
			} else if (e->event == SD_SMF_EV_PDU_SES_REL) {
				l->pdu_sessions = l->pdu_sessions > 0 ? l->pdu_sessions - 1 : 0;
			}
			if (l->pdu_sessions >= 0)
				sample(c, m->slices[j].id, SD_KPI_PDU_SESSIONS, (double)l->pdu_sessions);
			l->updated_ms = sd_wall_ms();
			changed_id(c, SD_TOPIC_SLICES, m->slices[j].id, false);
		}
	}
}

static const char *const sub_names[SUB_COUNT] = { "NSSF", "AMF", "SMF" };

static void subscribe_one(struct sd_collect *c, enum sub_kind k);

/* An event-exposure subscription's validity is about to end: make a new
 * one (subscribe_one deletes the old one once it is replaced). */
static void on_sub_renew(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct nf_sub *s = arg;
	struct sd_collect *c = NULL;
	int k;
	(void)loop;
	(void)id;
	s->renew_timer = 0;
	/* find our collector from the sub's place in its array */
	for (k = 0; k < SUB_COUNT; k++) {
		struct sd_collect *cand = (struct sd_collect *)((char *)(s - k) -
					  offsetof(struct sd_collect, subs));
		if (&cand->subs[k] == s) {
			c = cand;
			break;
		}
	}
	if (!c)
		return;
	s->active = false;
	subscribe_one(c, (enum sub_kind)k);
}

static void on_sub_created(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct nf_sub *s;

	if (!ctx_live(x))
		goto out;
	s = &c->subs[x->kind];
	s->busy = false;
	if (res->err != SD_SBI_OK || res->status != 201) {
		sd_complain(&s->complaint, SD_LOG_WARN, "%s subscription failed: %s",
			    sub_names[x->kind], res->errmsg[0] ? res->errmsg : "no 201 Created");
		goto out;
	}
	s->active = true;
	sd_strlcpy(s->location, res->location ? res->location : "", sizeof s->location);
	/* re-made (new one first, then the old one deleted) before the
	 * validity we asked for ends */
	sd_loop_timer_del(c->loop, s->renew_timer);
	s->renew_timer = sd_loop_timer_add(c->loop, (SUB_VALIDITY_S - 300) * 1000LL,
					   on_sub_renew, s);
	sd_complain_clear(&s->complaint, "%s: subscribed", sub_names[x->kind]);
	sd_info("%s: subscribed (%s)", sub_names[x->kind], s->location);
	if (x->kind == SUB_NSSF && res->body_len) {
		/* the 201 body carries the current availability */
		struct sd_nssai_avail a = { 0 };
		struct sd_decode_diag diag;
		if (sd_decode_nssai_avail_info(res->body, res->body_len, &a, &diag) == 0)
			apply_availability(c, &a);
		sd_nssai_avail_done(&a);
	}
out:
	free(x);
}

static json_t *sub_body(struct sd_collect *c, enum sub_kind k, const char *notify)
{
	struct sd_model *m = model(c);
	json_t *tais = json_array(), *b;
	uint32_t seen[512];
	int i, j, n = 0;
	for (i = 0; i < m->ncells; i++) {
		for (j = 0; j < n && seen[j] != m->cells[i].tac; j++)
			;
		if (j == n && n < (int)SD_ARRAY_LEN(seen)) {
			seen[n++] = m->cells[i].tac;
			json_array_append_new(tais, tai_json(m, m->cells[i].tac));
		}
	}
	switch (k) {
	case SUB_NSSF:
		b = json_pack("{s:s, s:o, s:s}", "nfNssaiAvailabilityUri", notify, "taiList", tais,
			      "event", "SNSSAI_STATUS_CHANGE_REPORT");
		break;
	case SUB_AMF:
		b = json_pack("{s:{s:[{s:s, s:[{s:{s:o}}]}], s:s, s:s, s:s, s:b, s:{s:s, s:i}}}",
			      "subscription", "eventList", "type", "UES_IN_AREA_REPORT",
			      "areaList", "presenceInfo", "trackingAreaList", tais,
			      "eventNotifyUri", notify, "notifyCorrelationId", "slicedeck-amf",
			      "nfId", c->our_id, "anyUE", 1,
			      "options", "trigger", "PERIODIC", "repPeriod", c->conf.poll_interval_s);
		break;
	default:
		json_decref(tais);
		b = json_pack("{s:s, s:s, s:b, s:[{s:s},{s:s},{s:s}], s:s, s:i}",
			      "notifId", "slicedeck-smf", "notifUri", notify, "anyUeInd", 1,
			      "eventSubs", "event", "QOS_MON", "event", "PDU_SES_EST", "event", "PDU_SES_REL",
			      "notifMethod", "PERIODIC", "repPeriod", c->conf.poll_interval_s);
		break;
	}
	return b;
}

static void subscribe_one(struct sd_collect *c, enum sub_kind k)
{
	static const char *const paths[SUB_COUNT] = {
		"/nnssf-nssaiavailability/v1/nssai-availability/subscriptions",
		"/namf-evts/v1/subscriptions",
		"/nsmf-event-exposure/v1/subscriptions",
	};
	static const char *const kinds[SUB_COUNT] = { "nssf", "amf", "smf" };
	struct nf_sub *s = &c->subs[k];
	const struct svc_root *r = find_root(c, s->service);
	char *notify, *text, *url;
	json_t *b;
	struct sd_sbi_reqopts o = { .method = "POST", .nf = sub_names[k], .scope = s->service,
				    .target_nf_type = sub_names[k] };

	if (s->active && r && strcmp(r->root, s->root) == 0)
		return;   /* in place where it should be */
	if (s->busy || !r || !c->notify_root[0])
		return;
	if (s->location[0]) {
		/* it moved to another NF, or is being renewed: the old one goes */
		sub_delete(c, s->nf_label[0] ? s->nf_label : sub_names[k], s->service, s->location);
		s->location[0] = '\0';
	}
	s->active = false;
	sd_strlcpy(s->root, r->root, sizeof s->root);
	sd_strlcpy(s->nf_label, r->label, sizeof s->nf_label);
	o.nf = s->nf_label;
	notify = sd_printf("%s%s/%s", c->notify_root, NOTIFY_PREFIX, kinds[k]);
	b = sub_body(c, k, notify);
	text = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	url = sd_printf("%s%s", r->root, paths[k]);
	o.url = url;
	o.body = text;
	o.body_len = strlen(text);
	s->busy = true;
	if (sd_sbi_request(c->cli, &o, on_sub_created, ctx_new(c, (int)k, r->nf_id)) < 0)
		s->busy = false;
	free(url);
	free(text);
	free(notify);
}

/* After each NRF cycle: (re)subscribe where a serving NF appeared or moved. */
static void subs_check(struct sd_collect *c)
{
	int k;
	for (k = 0; k < SUB_COUNT; k++) {
		if (c->subs[k].active && !find_root(c, c->subs[k].service)) {
			/* its NF is gone: say goodbye in case it comes back */
			struct nf_sub *s = &c->subs[k];
			sub_delete(c, s->nf_label, s->service, s->location);
			s->location[0] = '\0';
			s->active = false;
			sd_loop_timer_del(c->loop, s->renew_timer);
			s->renew_timer = 0;
		}
		subscribe_one(c, (enum sub_kind)k);
	}
	if (!c->nwdaf_timer && find_root(c, "nnwdaf-analyticsinfo"))
		c->nwdaf_timer = sd_loop_timer_add(c->loop, 0, on_nwdaf_timer, c);
}

static void h_nssf_notify(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_collect *c = arg;
	struct sd_nssai_avail a = { 0 };
	struct sd_decode_diag diag;
	if (sd_decode_nssf_event_notification(req->body, req->body_len, &a, &diag) < 0) {
		sd_warn("NSSF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad NssfEventNotification", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	apply_availability(c, &a);
	sd_nssai_avail_done(&a);
	resp->status = 204;
}

static void h_amf_notify(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_collect *c = arg;
	struct sd_amf_notification n = { 0 };
	struct sd_decode_diag diag;
	if (sd_decode_amf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("AMF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad AmfEventNotification", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	apply_amf(c, &n);
	sd_amf_notification_done(&n);
	resp->status = 204;
}

static void h_smf_notify(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_collect *c = arg;
	struct sd_smf_notification n = { 0 };
	struct sd_decode_diag diag;
	if (sd_decode_smf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("SMF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad NsmfEventExposureNotification",
				    "MANDATORY_IE_INCORRECT", diag.error);
		return;
	}
	apply_smf(c, &n);
	sd_smf_notification_done(&n);
	resp->status = 204;
}

static void h_nwdaf_notify(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, void *arg)
{
	struct sd_collect *c = arg;
	struct sd_nwdaf_notification n = { 0 };
	struct sd_decode_diag diag;
	int i;
	if (sd_decode_nwdaf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("NWDAF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad notification", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	for (i = 0; i < n.nevents; i++) {
		apply_slice_loads(c, n.events[i].data.slice_loads, n.events[i].data.nslice_loads);
		apply_nf_loads(c, n.events[i].data.nf_loads, n.events[i].data.nnf_loads);
	}
	sd_nwdaf_notification_done(&n);
	resp->status = 204;
}

/* --- life cycle ---------------------------------------------------------------- */

static struct sd_sbi_client *make_client(struct sd_collect *c)
{
	struct sd_sbi_client_opts o = { .conf = &c->conf, .user_agent = "slicedeck",
					.nf_type = "AF" };
	return sd_sbi_client_new(c->loop, &o);
}

static void take_conf(struct sd_collect *c)
{
	const struct sd_config *cfg = sd_host_config(&c->host);
	c->conf = cfg->sbi;
	if (c->conf.nf_instance_id[0])
		sd_strlcpy(c->our_id, c->conf.nf_instance_id, sizeof c->our_id);
	else if (!c->our_id[0])
		make_uuid(c->our_id);
}

struct sd_collect *sd_collect_new(const struct sd_host *host, char *err, size_t errsz)
{
	struct sd_collect *c = sd_calloc(1, sizeof *c);
	c->loop = host->loop;
	c->host = *host;
	c->subs[SUB_NSSF].service = "nnssf-nssaiavailability";
	c->subs[SUB_AMF].service = "namf-evts";
	c->subs[SUB_SMF].service = "nsmf-event-exposure";
	take_conf(c);
	c->srv = host->sbi;
	if (c->srv) {
		static const struct {
			const char *path;
			sd_sbi_handler h;
		} routes[] = {
			{ NOTIFY_PREFIX "/nrf", h_nrf_notify },
			{ NOTIFY_PREFIX "/nssf", h_nssf_notify },
			{ NOTIFY_PREFIX "/amf", h_amf_notify },
			{ NOTIFY_PREFIX "/smf", h_smf_notify },
			{ NOTIFY_PREFIX "/nwdaf", h_nwdaf_notify },
		};
		size_t i;
		sd_strlcpy(c->notify_root, host->notify_root(host->arg), sizeof c->notify_root);
		for (i = 0; i < SD_ARRAY_LEN(routes); i++) {
			if (sd_sbi_server_route(c->srv, "POST", routes[i].path, routes[i].h, c) < 0) {
				snprintf(err, errsz, "SBI route %s cannot be registered", routes[i].path);
				sd_collect_free(c);
				return NULL;
			}
		}
		c->routed = true;
		sd_info("SBI notifications on %s%s", c->notify_root, NOTIFY_PREFIX);
	}
	c->cli = make_client(c);
	if (!c->cli) {
		snprintf(err, errsz, "cannot create the SBI client");
		sd_collect_free(c);
		return NULL;
	}
	if (c->conf.nrf_api_root[0])
		nrf_schedule(c, 0);
	else
		sd_notice("no sbi.nrf configured: not collecting from a 5G core");
	return c;
}

void sd_collect_reload(struct sd_collect *c)
{
	struct sd_sbi_client *old = c->cli;
	int k;
	c->epoch++;
	take_conf(c);
	/* answers to the old configuration's requests are dropped by epoch */
	sd_sbi_client_free(old);
	c->cli = make_client(c);
	/* what we hold at the NFs is deleted and made again below */
	subs_delete_all(c);
	free(c->cycle);
	c->cycle = NULL;
	c->ncycle = 0;
	c->nrf_busy = c->nrf_sub_busy = c->nwdaf_busy = false;
	c->nwdaf_failures = 0;
	(void)k;
	if (c->conf.nrf_api_root[0])
		nrf_schedule(c, 0);
}

void sd_collect_free(struct sd_collect *c)
{
	if (!c)
		return;
	/* delete what we hold at the NFs, waiting a little for the answers
	 * (bounded: an NF that does not answer expires it) */
	if (c->cli) {
		int64_t until = sd_now_ms() + 800;
		c->epoch++;
		subs_delete_all(c);
		while (c->deletes_pending > 0 && sd_now_ms() < until)
			sd_loop_once(c->loop, 50);
	}
	c->closing = true;
	sd_sbi_client_free(c->cli);
	if (c->routed)   /* the server is the engine's: leave it, take our routes */
		sd_sbi_server_unroute_owner(c->srv, c);
	sd_loop_timer_del(c->loop, c->nrf_timer);
	sd_loop_timer_del(c->loop, c->nwdaf_timer);
	sd_loop_timer_del(c->loop, c->nrf_sub_timer);
	sd_loop_timer_del(c->loop, c->subs_timer);
	for (int k = 0; k < SUB_COUNT; k++)
		sd_loop_timer_del(c->loop, c->subs[k].renew_timer);
	free(c->cycle);
	free(c);
}

const char *sd_collect_notify_root(const struct sd_collect *c) { return c->notify_root; }
