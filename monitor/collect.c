/* monitor/collect.c — collectors for NRF, NSSF, NWDAF, AMF and SMF; see
 * collect.h for what each one does.
 *
 * One SBI client lives as long as the collector (a reload reconfigures
 * it), so subscriptions and their deletes survive reloads. Requests of the
 * NRF cycle and the NWDAF poll carry the collector's epoch: a reload bumps
 * it, and answers to the old configuration's requests are dropped.
 * Pointers into the model are never kept across callbacks: rows move when
 * others are added or removed, and slices on reload.
 */
#include "monitor/collect.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/bus.h"
#include "core/host.h"
#include "core/index.h"
#include "core/log.h"
#include "core/model_nf.h"
#include "core/sbi_client.h"
#include "core/sbi_server.h"
#include "core/strmap.h"
#include "core/util.h"
#include "monitor/kpi.h"
#include "monitor/sbi_decode.h"
#include "monitor/subscription.h"

#define NOTIFY_PREFIX "/slicedeck/v1/notify"
#define SUB_VALIDITY_S 3600
#define PROFILE_INFLIGHT 32      /* profile GETs in flight per NRF cycle */
#define NWDAF_BACKOFF_MAX 8      /* intervals */
#define SOURCE "nrf"
#define MISMATCH_LOG_MAX 1024    /* ids whose profile/id mismatch was logged */
#define NRF_DOWN_RETRY_MS 1000   /* cycle attempts while the NRF is unreachable */

/* Where a service of some NF is reached, learnt from NF profiles. */
struct svc_root {
	char service[32];     /* "nnwdaf-analyticsinfo" */
	char root[256];       /* "http://127.0.0.1:7777" (+ apiPrefix) */
	char nf_id[40];
	char nf_type[16];
};

struct roots {
	struct svc_root *v;
	int n, cap;
};

enum sub_kind { SUB_NSSF, SUB_AMF, SUB_SMF, SUB_COUNT };

/* NF status subscriptions at the NRF. A real NRF (Open5GS) refuses one
 * without a subscrCond, so the first form is one per NF type; a refusal
 * of a form is final (until a reload) and the next is tried: one without
 * a condition, then none at all (the poll alone). */
static const char *const watch_types[] = {
	"AMF", "SMF", "UPF", "NSSF", "NWDAF", "PCF", "UDM", "AUSF", "UDR", "BSF",
};
#define NRF_WATCH ((int)SD_ARRAY_LEN(watch_types))
enum nrf_form { FORM_PER_TYPE, FORM_ANY, FORM_NONE };
static const char *const form_names[] = { "per NF type", "all NFs", "none (polling only)" };

/* One NRF inventory cycle: the list's ids, their profiles fetched at most
 * PROFILE_INFLIGHT at a time. */
struct cycle {
	char (*ids)[SD_UUID_STRLEN];
	int nids, next, inflight, done;
	struct sd_nf_instance *nfs;   /* one per id, filled as answers come */
	struct roots roots;           /* services of the profiles fetched */
	bool any_failed;
	int plmn_listed, plmn_ours;   /* profiles with a plmnList; naming ours */
	char plmn_other[16];          /* one PLMN they name instead, "460-00" */
};

/* When a data source last worked and last failed (wall ms, 0 = never),
 * for `slicedeck status` and the NRF outage alarm. */
struct src_state {
	int64_t ok_ms, err_ms;
	int64_t down_since_ms;        /* NRF: first failure of the current outage */
	char err[200];
};

static void src_ok(struct src_state *s)
{
	s->ok_ms = sd_wall_ms();
	s->down_since_ms = 0;
}

static void src_err(struct src_state *s, const char *why)
{
	s->err_ms = sd_wall_ms();
	if (!s->down_since_ms)
		s->down_since_ms = s->err_ms;
	sd_strlcpy(s->err, why, sizeof s->err);
}

/* What a subscription's callbacks get. */
struct sub_arg {
	struct sd_collect *c;
	int kind;                     /* enum sub_kind, or -1 for the NRF */
	int watch;                    /* NRF: index into watch_types */
};

struct sd_collect {
	const struct sd_host *host;
	struct sd_loop *loop;
	struct sd_sbi_client *cli;
	struct sd_sbi_conf conf;      /* copy of the configuration in use */
	char our_id[40];              /* our NF instance id for subscriptions */
	unsigned epoch;
	bool closing;
	bool routed;                  /* our routes are on host->sbi */
	int sub_validity_s, sub_backoff_min_ms, sub_backoff_max_ms;

	/* NRF */
	uint64_t nrf_timer;
	struct cycle *cyc;            /* the cycle in progress, or NULL */
	struct roots roots;
	int nrf_backoff_ms;
	struct sd_complaint c_nrf;
	struct src_state src_nrf;     /* inventory cycles */
	struct sd_strmap warned;      /* ids whose profile named another id */
	bool warned_plmn, warned_smf; /* set-up mismatches, said once a run */

	/* NWDAF */
	uint64_t nwdaf_timer;
	int nwdaf_pending;            /* analytics GETs of this poll in flight */
	bool nwdaf_failed;            /* one of them failed */
	char nwdaf_err[200];          /* how */
	int nwdaf_backoff_ms;
	struct sd_complaint c_nwdaf, c_nwdaf_radio;
	struct src_state src_nwdaf;

	/* subscriptions */
	struct sd_sub *nrf_subs[NRF_WATCH]; /* FORM_ANY uses [0] */
	enum nrf_form nrf_form;
	char nrf_refusal[200];        /* why the last form was given up, "" */
	uint64_t form_timer;          /* subs_check after a form changed */
	struct sd_sub *subs[SUB_COUNT];
	struct sub_arg sargs[SUB_COUNT];
	struct sub_arg nrf_sargs[NRF_WATCH];
	char tag[12];                 /* random, in our notifIds / correlation ids */
	unsigned smf_counting;        /* SMF subscription generation being counted */
	struct src_state src_sub[SUB_COUNT];

	/* shutdown */
	bool down_started, down_done;
	void (*down_cb)(void *arg);
	void *down_arg;
	uint64_t down_timer;
	int64_t down_deadline;

	struct sd_collect_stats st;
};

struct req_ctx {
	struct sd_collect *c;
	unsigned epoch;
	int kind;
	int idx;
	char nf_id[40];
};

static const char *const sub_names[SUB_COUNT] = { "NSSF", "AMF", "SMF" };
static const char *const sub_services[SUB_COUNT] = {
	"nnssf-nssaiavailability", "namf-evts", "nsmf-event-exposure",
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

static struct sd_model *model(struct sd_collect *c) { return sd_host_model(c->host); }

static const char *notify_root(const struct sd_collect *c)
{
	const char *r = c->host->notify_root ? c->host->notify_root(c->host->arg) : "";
	return r ? r : "";
}

static int interval_ms(const struct sd_collect *c)
{
	return (c->conf.poll_interval_s > 0 ? c->conf.poll_interval_s : 10) * 1000;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static int jitter(int ms)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ms / 2 > 0 ? (int)(rng_state % (uint64_t)(ms / 2 + 1)) : 0;
}

/* --- the bus ---------------------------------------------------------------- */

static void nf_changed(struct sd_collect *c, const char *id, bool removed)
{
	if (c->host->bus)
		sd_bus_model_changed(c->host->bus, SD_TOPIC_NFS, id, removed);
}

static void slice_changed(struct sd_collect *c, int i)
{
	if (c->host->bus)
		sd_bus_model_changed(c->host->bus, SD_TOPIC_SLICES, model(c)->slices[i].id, false);
}

static void sample(struct sd_collect *c, int slice, enum sd_kpi_metric m, double v)
{
	struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
	if (!c->host->bus)
		return;
	sd_strlcpy(ev.u.sample.slice, model(c)->slices[slice].id, sizeof ev.u.sample.slice);
	ev.u.sample.cell_index = -1;
	ev.u.sample.metric = (int)m;
	ev.u.sample.value = v;
	sd_bus_publish(c->host->bus, &ev);
}

static void cell_sample(struct sd_collect *c, int cell, double rsrp, double sinr)
{
	struct sd_bus_event ev = { .kind = SD_BUS_SAMPLE };
	if (!c->host->bus)
		return;
	/* the cell's id rides along: indexes change on reload */
	sd_strlcpy(ev.u.sample.slice, model(c)->cells[cell].id, sizeof ev.u.sample.slice);
	ev.u.sample.cell_index = cell;
	ev.u.sample.metric = SD_KPI_RSRP;
	ev.u.sample.value = rsrp;
	ev.u.sample.value2 = sinr;
	sd_bus_publish(c->host->bus, &ev);
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

/* --- service endpoints ------------------------------------------------------ */

static void roots_add(struct roots *rs, const struct svc_root *r)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = sd_reallocarray(rs->v, (size_t)rs->cap, sizeof *rs->v);
	}
	rs->v[rs->n++] = *r;
}

static void roots_drop_nf(struct roots *rs, const char *nf_id)
{
	int i, k = 0;
	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].nf_id, nf_id) != 0)
			rs->v[k++] = rs->v[i];
	rs->n = k;
}

static void roots_done(struct roots *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof *rs);
}

/* Remember where each service of a REGISTERED profile is reached, under
 * the id the profile was fetched or notified as. */
static void learn_roots(struct roots *rs, const char *nf_id, const struct sd_nf_profile *p)
{
	int i;
	if (p->nf.status != SD_NF_REGISTERED)
		return;
	for (i = 0; i < p->nservices; i++) {
		const struct sd_nf_service *s = &p->services[i];
		struct svc_root r = { 0 };
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
		snprintf(r.root, sizeof r.root, "%s://%s%s%s:%d%s",
			 s->scheme[0] ? s->scheme : "http", strchr(host, ':') ? "[" : "", host,
			 strchr(host, ':') ? "]" : "", port, s->api_prefix);
		sd_strlcpy(r.service, s->name, sizeof r.service);
		sd_strlcpy(r.nf_id, nf_id, sizeof r.nf_id);
		sd_strlcpy(r.nf_type, p->nf.type, sizeof r.nf_type);
		roots_add(rs, &r);
	}
}

/* Where to reach a service: at prefer_nf if it still offers it and is
 * usable, else the first NF offering it that is REGISTERED and reachable,
 * else the first REGISTERED one. */
static const struct svc_root *find_root(struct sd_collect *c, const char *service,
					const char *prefer_nf)
{
	const struct sd_model *m = model(c);
	const struct svc_root *any = NULL;
	int i, k;
	for (i = 0; i < c->roots.n; i++) {
		const struct svc_root *r = &c->roots.v[i];
		if (strcmp(r->service, service) != 0)
			continue;
		k = sd_model_nf_find(m, r->nf_id);
		if (k < 0 || m->nfs[k].status != SD_NF_REGISTERED)
			continue;
		if (prefer_nf && prefer_nf[0] && strcmp(r->nf_id, prefer_nf) == 0 &&
		    m->nfs[k].reachable)
			return r;
		if (!any)
			any = r;
	}
	for (i = 0; i < c->roots.n; i++) {
		const struct svc_root *r = &c->roots.v[i];
		if (strcmp(r->service, service) != 0)
			continue;
		k = sd_model_nf_find(m, r->nf_id);
		if (k >= 0 && m->nfs[k].status == SD_NF_REGISTERED && m->nfs[k].reachable)
			return r;
	}
	return any;
}

/* --- NF rows ---------------------------------------------------------------- */

/* The SBI client's health key for an NF: its instance id, except NRF
 * instances, which are what we reach through the configured NRF. */
static const char *health_key(const struct sd_nf_instance *nf)
{
	return strcmp(nf->type, "NRF") == 0 ? "NRF" : nf->id;
}

static bool reach_of(const struct sd_collect *c, const struct sd_nf_instance *nf)
{
	return nf->status == SD_NF_REGISTERED &&
	       sd_sbi_nf_health(c->cli, health_key(nf)) != SD_SBI_HEALTH_DOWN;
}

/* Our own observations about an NF follow it from one profile to the next. */
static void observe(struct sd_collect *c, struct sd_nf_instance *nf,
		    const struct sd_nf_instance *old)
{
	sd_strlcpy(nf->source, SOURCE, sizeof nf->source);
	if (nf->status == SD_NF_REGISTERED && !nf->stale)
		nf->last_seen_ms = sd_wall_ms();
	else if (old)
		nf->last_seen_ms = old->last_seen_ms;
	nf->reachable = reach_of(c, nf);
}

/* After a request to the NF with this health key completed: its
 * reachability may have changed. */
static void refresh_reach(struct sd_collect *c, const char *key)
{
	struct sd_model *m = model(c);
	int i;
	for (i = 0; i < m->nnfs; i++) {
		struct sd_nf_instance *nf = &m->nfs[i];
		bool r;
		if (nf->stale || strcmp(health_key(nf), key) != 0)
			continue;
		r = reach_of(c, nf);
		if (r != nf->reachable) {
			nf->reachable = r;
			sd_notice("NF %s %s is %s", nf->type, nf->id,
				  r ? "reachable again" : "unreachable (its requests fail)");
			nf_changed(c, nf->id, false);
		}
	}
}

static void on_nf_change(void *arg, const char *id, enum sd_nf_change what)
{
	struct sd_collect *c = arg;
	if (what == SD_NF_REFUSED) {
		sd_warn("NRF lists NF %s, which another source reports; left as it is", id);
		return;
	}
	if (what == SD_NF_SEEN) {   /* only last_seen_ms: consoles' HB_AGE */
		if (c->host->bus)
			sd_bus_model_refreshed(c->host->bus, SD_TOPIC_NFS, id);
		return;
	}
	nf_changed(c, id, what == SD_NF_REMOVED);
}

static void mark_all_stale(struct sd_collect *c)
{
	struct sd_model *m = model(c);
	int i;
	for (i = 0; i < m->nnfs; i++) {
		struct sd_nf_instance *nf = &m->nfs[i];
		if (strcmp(nf->source, SOURCE) != 0 || (nf->stale && !nf->reachable))
			continue;
		nf->stale = true;
		nf->reachable = false;
		nf_changed(c, nf->id, false);
	}
}

/* --- NRF: the NF list and profiles ------------------------------------------ */

static void nrf_schedule(struct sd_collect *c, int64_t ms);
static void subs_check(struct sd_collect *c);

static void cycle_free(struct cycle *y)
{
	int i;
	if (!y)
		return;
	for (i = 0; i < y->nids; i++)
		sd_nf_instance_done(&y->nfs[i]);
	free(y->nfs);
	free(y->ids);
	roots_done(&y->roots);
	free(y);
}

static void check_setup(struct sd_collect *c, const struct cycle *y);

static void nrf_cycle_finish(struct sd_collect *c)
{
	struct cycle *y = c->cyc;
	struct sd_model *m = model(c);
	bool all_ok = !y->any_failed;
	int i, k;

	c->cyc = NULL;
	check_setup(c, y);
	/* services of NFs whose profile could not be fetched this time: as
	 * they were */
	for (i = 0; i < y->nids; i++)
		if (y->nfs[i].stale)
			for (k = 0; k < c->roots.n; k++)
				if (strcmp(c->roots.v[k].nf_id, y->nfs[i].id) == 0)
					roots_add(&y->roots, &c->roots.v[k]);
	roots_done(&c->roots);
	c->roots = y->roots;
	memset(&y->roots, 0, sizeof y->roots);
	/* only what changed is published */
	sd_model_nf_replace_source(m, SOURCE, y->nfs, y->nids, on_nf_change, c);
	cycle_free(y);
	c->st.nrf_cycles++;
	c->nrf_backoff_ms = 0;
	src_ok(&c->src_nrf);
	/* "back" only when every profile came: a cycle that kept some as
	 * they were has complained about them and stays failing */
	if (all_ok)
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
	cycle_free(c->cyc);
	c->cyc = NULL;
	mark_all_stale(c);
	src_err(&c->src_nrf, why);
	c->nrf_backoff_ms = c->nrf_backoff_ms ? c->nrf_backoff_ms * 2 : interval_ms(c);
	/* the SBI client already probes an unreachable NRF with backoff; this
	 * only spaces out whole inventory cycles against a sick one */
	if (c->nrf_backoff_ms > 3 * interval_ms(c))
		c->nrf_backoff_ms = 3 * interval_ms(c);
	if (sd_sbi_nf_health(c->cli, "NRF") == SD_SBI_HEALTH_DOWN)
		/* unreachable: the client lets one probe through per its own
		 * backoff (capped at a poll interval) and fails the rest at once
		 * without traffic; asking every second makes the first cycle
		 * after the NRF answers again that probe, not one up to three
		 * intervals later */
		nrf_schedule(c, NRF_DOWN_RETRY_MS);
	else
		nrf_schedule(c, c->nrf_backoff_ms + jitter(c->nrf_backoff_ms / 4));
	subs_check(c);
}

static void profile_fetch_next(struct sd_collect *c);

/* The profile of y->ids[idx] could not be had: keep what we knew of this
 * NF, marked stale. */
static void profile_keep_old(struct sd_collect *c, int idx)
{
	struct cycle *y = c->cyc;
	struct sd_model *m = model(c);
	struct sd_nf_instance *slot = &y->nfs[idx];
	int old = sd_model_nf_find(m, y->ids[idx]);
	sd_nf_instance_done(slot);
	if (old >= 0) {
		sd_nf_instance_copy(slot, &m->nfs[old]);
	} else {
		sd_strlcpy(slot->id, y->ids[idx], sizeof slot->id);
		sd_strlcpy(slot->type, "?", sizeof slot->type);
		slot->status = SD_NF_STATUS_OTHER;
	}
	sd_strlcpy(slot->source, SOURCE, sizeof slot->source);
	slot->stale = true;
	slot->reachable = old >= 0 && m->nfs[old].reachable && !m->nfs[old].stale;
	y->any_failed = true;
}

/* Which PLMNs the profiles of this cycle name, against the zone's. */
static void note_plmns(struct sd_collect *c, struct cycle *y, const struct sd_nf_profile *p)
{
	const struct sd_plmn *ours = &model(c)->plmn;
	int i;
	if (!p->nplmns)
		return;
	y->plmn_listed++;
	for (i = 0; i < p->nplmns; i++) {
		if (strcmp(p->plmns[i].mcc, ours->mcc) == 0 && strcmp(p->plmns[i].mnc, ours->mnc) == 0) {
			y->plmn_ours++;
			return;
		}
	}
	if (!y->plmn_other[0])
		snprintf(y->plmn_other, sizeof y->plmn_other, "%s-%s", p->plmns[0].mcc,
			 p->plmns[0].mnc);
}

/* Set-up mismatches between the configuration and the core, each warned
 * once a run (again after a reload): the zone's PLMN is none of the NFs',
 * or no SMF serves any configured S-NSSAI (the slices can carry nothing,
 * whatever the rest says). */
static void check_setup(struct sd_collect *c, const struct cycle *y)
{
	const struct sd_model *m = model(c);
	int i, k, smfs = 0;
	bool served = false;
	if (y->any_failed)
		return;   /* judged on a complete inventory only */
	if (!c->warned_plmn && y->plmn_listed > 0 && y->plmn_ours == 0) {
		c->warned_plmn = true;
		sd_warn("set-up: the zone's PLMN %s-%s is none of the NFs' (%d profiles name PLMNs, "
			"e.g. %s): check zone.plmn against the core", m->plmn.mcc, m->plmn.mnc,
			y->plmn_listed, y->plmn_other);
	}
	if (c->warned_smf || m->nslices == 0)
		return;
	for (i = 0; i < y->nids && !served; i++) {
		const struct sd_nf_instance *nf = &y->nfs[i];
		if (strcmp(nf->type, "SMF") != 0 || nf->stale)
			continue;
		smfs++;
		if (nf->nsnssais == 0)
			served = true;   /* lists none: serves all */
		for (k = 0; k < nf->nsnssais && !served; k++) {
			const int *idx;
			served = sd_model_slices_by_snssai(m, &nf->snssais[k], &idx) > 0;
		}
	}
	if (smfs > 0 && !served) {
		c->warned_smf = true;
		sd_warn("set-up: no SMF serves any configured S-NSSAI (%d SMF%s listed): the slices "
			"can carry no PDU session; check the slices' sst/sd against the SMFs' "
			"smfInfo", smfs, smfs == 1 ? "" : "s");
	}
}

static void on_profile(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nf_profile p = { 0 };
	struct sd_decode_diag diag;
	struct cycle *y = c->cyc;
	int idx = x->idx;

	if (!ctx_live(x) || !y)
		goto out;
	y->inflight--;
	y->done++;
	if (res->err == SD_SBI_OK && res->status == 200 &&
	    sd_decode_nf_profile(res->body, res->body_len, &p, &diag) == 0) {
		struct sd_model *m = model(c);
		int old;
		if (strcmp(p.nf.id, y->ids[idx]) != 0) {
			/* one row per id it was fetched under */
			if (!sd_strmap_has(&c->warned, y->ids[idx]) &&
			    sd_strmap_len(&c->warned) < MISMATCH_LOG_MAX) {
				sd_strmap_put(&c->warned, y->ids[idx], NULL);
				sd_warn("NRF GET nf-instances/%s: the profile says nfInstanceId %s; "
					"kept as %s", y->ids[idx], p.nf.id, y->ids[idx]);
			}
			sd_strlcpy(p.nf.id, y->ids[idx], sizeof p.nf.id);
		}
		if (p.nf.status == SD_NF_STATUS_OTHER &&
		    !sd_strmap_has(&c->warned, p.status_text) &&
		    sd_strmap_len(&c->warned) < MISMATCH_LOG_MAX) {
			/* said once per value: what it is, and that such an NF
			 * is not judged reachable or not */
			sd_strmap_put(&c->warned, p.status_text, NULL);
			sd_warn("NRF: NF %s (%s) has nfStatus \"%s\", not one of REGISTERED, "
				"SUSPENDED, UNDISCOVERABLE: shown as OTHER, not judged", y->ids[idx],
				p.nf.type, p.status_text);
		}
		learn_roots(&y->roots, y->ids[idx], &p);
		note_plmns(c, y, &p);
		sd_nf_instance_move(&y->nfs[idx], &p.nf);
		old = sd_model_nf_find(m, y->ids[idx]);
		observe(c, &y->nfs[idx], old >= 0 ? &m->nfs[old] : NULL);
	} else {
		if (res->err == SD_SBI_OK && res->status == 200)
			sd_complain(&c->c_nrf, SD_LOG_ERR, "NRF GET nf-instances/%s: bad NFProfile: %s",
				    y->ids[idx], diag.error);
		else
			sd_complain(&c->c_nrf, SD_LOG_ERR, "%s", res->errmsg);
		profile_keep_old(c, idx);
	}
	sd_nf_profile_done(&p);
	profile_fetch_next(c);
out:
	free(x);
}

/* Keep up to PROFILE_INFLIGHT profile GETs in flight; finish the cycle
 * when every id has its answer. */
static void profile_fetch_next(struct sd_collect *c)
{
	struct cycle *y = c->cyc;
	while (y && y->next < y->nids && y->inflight < PROFILE_INFLIGHT) {
		int idx = y->next++;
		char *id = sd_uri_escape(y->ids[idx]);
		char *url = sd_printf("%s/nnrf-nfm/v1/nf-instances/%s", c->conf.nrf_api_root, id);
		struct sd_sbi_reqopts o = { .nf = "NRF", .method = "GET", .url = url,
					    .scope = "nnrf-nfm", .target_nf_type = "NRF" };
		struct req_ctx *x = ctx_new(c, 0, y->ids[idx]);
		x->idx = idx;
		if (sd_sbi_request(c->cli, &o, on_profile, x) == 0) {
			y->inflight++;
			c->st.profile_gets++;
			if (y->inflight > c->st.profile_inflight_max)
				c->st.profile_inflight_max = y->inflight;
		} else {
			/* cannot happen with valid options; account for it anyway */
			free(x);
			profile_keep_old(c, idx);
			y->done++;
		}
		free(url);
		free(id);
	}
	if (y && y->done == y->nids) {
		refresh_reach(c, "NRF");
		nrf_cycle_finish(c);
	}
}

static void on_nf_list(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nrf_urilist l = { 0 };
	struct sd_decode_diag diag;
	struct sd_strmap seen;
	struct cycle *y;
	char why[512];
	int i;

	if (!ctx_live(x) || !c->cyc)
		goto out;
	refresh_reach(c, "NRF");
	if (res->err != SD_SBI_OK || res->status != 200) {
		/* a 2xx other than 200 has no error text of its own */
		if (!res->errmsg[0])
			snprintf(why, sizeof why, "NRF GET /nnrf-nfm/v1/nf-instances: %d instead of "
				 "200 with the NF list", res->status);
		nrf_cycle_failed(c, res->errmsg[0] ? res->errmsg : why);
		goto out;
	}
	if (sd_decode_nrf_urilist(res->body, res->body_len, &l, &diag) < 0) {
		snprintf(why, sizeof why, "NRF GET /nnrf-nfm/v1/nf-instances: bad UriList: %s",
			 diag.error);
		nrf_cycle_failed(c, why);
		goto out;
	}
	y = c->cyc;
	y->ids = sd_calloc((size_t)(l.nids ? l.nids : 1), sizeof *y->ids);
	sd_strmap_init(&seen);
	/* an id listed twice is fetched once */
	for (i = 0; i < l.nids; i++) {
		if (sd_strmap_has(&seen, l.ids[i]))
			continue;
		sd_strmap_put(&seen, l.ids[i], NULL);
		memcpy(y->ids[y->nids++], l.ids[i], sizeof y->ids[0]);
	}
	sd_strmap_done(&seen);
	if (y->nids < l.nids)
		sd_debug("NRF listed %d NF instance ids more than once", l.nids - y->nids);
	y->nfs = sd_calloc((size_t)(y->nids ? y->nids : 1), sizeof *y->nfs);
	for (i = 0; i < y->nids; i++)
		sd_nf_instance_init(&y->nfs[i]);
	sd_nrf_urilist_done(&l);
	profile_fetch_next(c);
out:
	free(x);
}

static void nrf_poll(struct sd_collect *c)
{
	char *url;
	struct sd_sbi_reqopts o = { .nf = "NRF", .method = "GET", .scope = "nnrf-nfm",
				    .target_nf_type = "NRF",
				    .accept = "application/3gppHal+json, application/json, application/problem+json" };
	if (c->cyc || !c->conf.nrf_api_root[0] || c->closing)
		return;
	url = sd_printf("%s/nnrf-nfm/v1/nf-instances", c->conf.nrf_api_root);
	o.url = url;
	c->cyc = sd_calloc(1, sizeof *c->cyc);
	if (sd_sbi_request(c->cli, &o, on_nf_list, ctx_new(c, 0, NULL)) < 0) {
		cycle_free(c->cyc);
		c->cyc = NULL;
	}
	free(url);
}

static void on_nrf_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	c->nrf_timer = 0;
	if (c->closing)
		return;
	nrf_poll(c);
	subs_check(c);
	if (!c->cyc && c->nrf_timer == 0)
		nrf_schedule(c, interval_ms(c));
}

static void nrf_schedule(struct sd_collect *c, int64_t ms)
{
	sd_loop_timer_del(c->loop, c->nrf_timer);
	c->nrf_timer = sd_loop_timer_add(c->loop, ms, on_nrf_timer, c);
}

/* --- NRF: notifications ------------------------------------------------------- */

static void h_nrf_notify(struct sd_collect *c, const struct sd_sbi_req *req,
			 struct sd_sbi_resp *resp)
{
	struct sd_nrf_notification n = { 0 };
	struct sd_decode_diag diag;
	struct sd_model *m = model(c);

	if (sd_decode_nrf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("NRF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad NotificationData", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	switch (n.event) {
	case SD_NRF_EV_DEREGISTERED:
		sd_notice("NRF: NF %s deregistered", n.nf_id);
		if (sd_model_nf_remove(m, SOURCE, n.nf_id))
			nf_changed(c, n.nf_id, true);
		roots_drop_nf(&c->roots, n.nf_id);
		subs_check(c);
		break;
	case SD_NRF_EV_REGISTERED:
	case SD_NRF_EV_PROFILE_CHANGED:
		if (n.has_profile) {
			struct sd_nf_instance nf;
			enum sd_nf_change what;
			int old = sd_model_nf_find(m, n.nf_id);
			if (old < 0 || m->nfs[old].status != n.profile.nf.status)
				sd_notice("NRF: NF %s %s is %s", n.profile.nf.type, n.nf_id,
					  sd_nf_status_name(n.profile.nf.status));
			roots_drop_nf(&c->roots, n.nf_id);
			learn_roots(&c->roots, n.nf_id, &n.profile);
			sd_nf_instance_move(&nf, &n.profile.nf);
			observe(c, &nf, old >= 0 ? &m->nfs[old] : NULL);
			sd_model_nf_upsert_move(m, &nf, &what);
			if (what == SD_NF_ADDED || what == SD_NF_CHANGED)
				nf_changed(c, n.nf_id, false);
			subs_check(c);
		} else {
			/* profileChanges only: fetch the whole profile on the next poll */
			if (!c->cyc)
				nrf_schedule(c, 0);
		}
		break;
	default:
		break;
	}
	sd_nrf_notification_done(&n);
	resp->status = 204;
}

/* --- NWDAF analytics ------------------------------------------------------------ */

enum { NWDAF_SLICE_LOAD, NWDAF_NF_LOAD, NWDAF_CELL_RADIO };

/* A small set of slice indexes touched by one answer, each published once. */
struct touched {
	unsigned char *bits;
	int *idx;
	int n;
};

static void touched_init(struct touched *t, int nslices)
{
	t->bits = sd_calloc((size_t)nslices / 8 + 1, 1);
	t->idx = NULL;
	t->n = 0;
}

static void touch(struct touched *t, int i)
{
	if (t->bits[i / 8] & (1u << (i % 8)))
		return;
	t->bits[i / 8] |= (unsigned char)(1u << (i % 8));
	t->idx = sd_reallocarray(t->idx, (size_t)t->n + 1, sizeof *t->idx);
	t->idx[t->n++] = i;
}

static void touched_publish(struct sd_collect *c, struct touched *t)
{
	int i;
	for (i = 0; i < t->n; i++)
		slice_changed(c, t->idx[i]);
	free(t->bits);
	free(t->idx);
}

static void apply_slice_loads(struct sd_collect *c, const struct sd_nwdaf_slice_load *l, int n)
{
	struct sd_model *m = model(c);
	struct touched t;
	int i, j, k;
	const int *idx;
	touched_init(&t, m->nslices);
	for (i = 0; i < n; i++) {
		k = sd_model_slices_by_snssai(m, &l[i].snssai, &idx);
		for (j = 0; j < k; j++) {
			struct sd_slice_live *lv = &m->slices[idx[j]].live;
			lv->updated_ms = sd_wall_ms();
			if (lv->load_level != l[i].load_level) {
				lv->load_level = l[i].load_level;
				touch(&t, idx[j]);
			}
		}
	}
	touched_publish(c, &t);
}

static void apply_nf_loads(struct sd_collect *c, const struct sd_nwdaf_nf_load *l, int n)
{
	struct sd_model *m = model(c);
	int i, k;
	for (i = 0; i < n; i++) {
		k = sd_model_nf_find(m, l[i].nf_id);
		if (k >= 0 && l[i].load_avg >= 0 && l[i].load_avg <= 100 &&
		    m->nfs[k].load != (int)l[i].load_avg) {
			m->nfs[k].load = (int)l[i].load_avg;
			nf_changed(c, m->nfs[k].id, false);
		}
	}
}

/* RSRP_MEAN / SINR_MEAN per NCI become one sample per model cell that has
 * both in this answer; a cell the model does not know is ignored. When the
 * answer reports some cell's radio, every model cell it leaves out is
 * published as silent (NaN values): the NWDAF, which sees the cells'
 * neighbours, has nothing from it (coverage takes it for down). */
static void apply_cell_radio(struct sd_collect *c, const struct sd_nwdaf_nw_perf *l, int n)
{
	struct sd_model *m = model(c);
	double *rsrp, *sinr;
	int i, k, reported = 0;

	if (m->ncells <= 0 || n <= 0)
		return;
	rsrp = sd_calloc((size_t)m->ncells * 2, sizeof *rsrp);
	sinr = rsrp + m->ncells;
	for (k = 0; k < 2 * m->ncells; k++)
		rsrp[k] = NAN;
	for (i = 0; i < n; i++) {
		if (l[i].radio == SD_NWDAF_RADIO_NONE || l[i].area.nncis < 1)
			continue;
		k = sd_model_cell_by_nci(m, l[i].area.ncis[0]);
		if (k < 0)
			continue;
		if (l[i].radio == SD_NWDAF_RADIO_RSRP)
			rsrp[k] = l[i].radio_value;
		else
			sinr[k] = l[i].radio_value;
	}
	for (k = 0; k < m->ncells; k++)
		reported += !isnan(rsrp[k]) && !isnan(sinr[k]);
	for (k = 0; k < m->ncells && reported; k++)
		if (!isnan(rsrp[k]) && !isnan(sinr[k]))
			cell_sample(c, k, rsrp[k], sinr[k]);
		else
			cell_sample(c, k, NAN, NAN);
	free(rsrp);
}

static void nwdaf_poll_done(struct sd_collect *c);

static void on_analytics(const struct sd_sbi_result *res, void *arg)
{
	struct req_ctx *x = arg;
	struct sd_collect *c = x->c;
	struct sd_nwdaf_analytics a = { 0 };
	struct sd_decode_diag diag;

	if (!ctx_live(x))
		goto out;
	c->nwdaf_pending--;
	refresh_reach(c, x->nf_id);
	if (x->kind == NWDAF_CELL_RADIO && res->err == SD_SBI_OK && res->status != 200 &&
	    res->status != 204) {
		/* an NWDAF without the vendor extension: say so once, not as an outage */
		sd_complain(&c->c_nwdaf_radio, SD_LOG_INFO, "%s; no cell RSRP/SINR from the NWDAF "
			    "(vendor nwPerfTypes RSRP_MEAN/SINR_MEAN)", res->errmsg);
		goto done;
	}
	if (res->err != SD_SBI_OK || (res->status != 200 && res->status != 204)) {
		c->nwdaf_failed = true;
		sd_strlcpy(c->nwdaf_err, res->errmsg, sizeof c->nwdaf_err);
		sd_complain(&c->c_nwdaf, SD_LOG_WARN, "%s; slice load values are kept as they were",
			    res->errmsg);
		goto done;
	}
	if (res->status == 204)
		goto done;   /* no analytics available yet */
	if (sd_decode_nwdaf_analytics(res->body, res->body_len, &a, &diag) < 0) {
		c->nwdaf_failed = true;
		snprintf(c->nwdaf_err, sizeof c->nwdaf_err, "bad AnalyticsData: %s", diag.error);
		sd_complain(&c->c_nwdaf, SD_LOG_WARN, "NWDAF analytics: bad AnalyticsData: %s",
			    diag.error);
		goto done;
	}
	apply_slice_loads(c, a.slice_loads, a.nslice_loads);
	apply_nf_loads(c, a.nf_loads, a.nnf_loads);
	apply_cell_radio(c, a.nw_perfs, a.nnw_perfs);
	if (x->kind == NWDAF_CELL_RADIO)
		sd_complain_clear(&c->c_nwdaf_radio, "NWDAF: cell RSRP/SINR flowing again");
	sd_nwdaf_analytics_done(&a);
done:
	if (c->nwdaf_pending == 0)
		nwdaf_poll_done(c);
out:
	free(x);
}

static void on_nwdaf_timer(struct sd_loop *loop, uint64_t id, void *arg);

static void nwdaf_schedule(struct sd_collect *c, int64_t ms)
{
	sd_loop_timer_del(c->loop, c->nwdaf_timer);
	c->nwdaf_timer = sd_loop_timer_add(c->loop, ms, on_nwdaf_timer, c);
}

/* All answers of one poll are in: the next poll after an interval, or
 * later while the NWDAF fails (doubling, with jitter, up to
 * NWDAF_BACKOFF_MAX intervals). */
static void nwdaf_poll_done(struct sd_collect *c)
{
	int iv = interval_ms(c);
	if (c->nwdaf_failed) {
		src_err(&c->src_nwdaf, c->nwdaf_err);
		c->st.nwdaf_failures++;
		c->nwdaf_backoff_ms = c->nwdaf_backoff_ms ? c->nwdaf_backoff_ms * 2 : iv;
		if (c->nwdaf_backoff_ms > (NWDAF_BACKOFF_MAX - 1) * iv)
			c->nwdaf_backoff_ms = (NWDAF_BACKOFF_MAX - 1) * iv;
		nwdaf_schedule(c, iv + c->nwdaf_backoff_ms + jitter(c->nwdaf_backoff_ms));
		return;
	}
	src_ok(&c->src_nwdaf);
	if (c->nwdaf_backoff_ms)
		sd_complain_clear(&c->c_nwdaf, "NWDAF: analytics flowing again");
	c->nwdaf_backoff_ms = 0;
	nwdaf_schedule(c, iv);
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
	const struct svc_root *r = find_root(c, "nnwdaf-analyticsinfo", NULL);
	size_t i;
	if (!r || c->nwdaf_pending || c->closing) {
		if (!c->nwdaf_pending && !c->closing)
			nwdaf_schedule(c, interval_ms(c));
		return;
	}
	c->nwdaf_failed = false;
	c->st.nwdaf_polls++;
	for (i = 0; i < SD_ARRAY_LEN(q); i++) {
		char *url = sd_printf("%s/nnwdaf-analyticsinfo/v1/analytics?%s", r->root, q[i].query);
		struct sd_sbi_reqopts o = { .nf = "NWDAF", .method = "GET", .url = url,
					    .nf_key = r->nf_id,
					    .scope = "nnwdaf-analyticsinfo", .target_nf_type = "NWDAF" };
		if (sd_sbi_request(c->cli, &o, on_analytics, ctx_new(c, q[i].kind, r->nf_id)) == 0)
			c->nwdaf_pending++;
		free(url);
	}
	if (!c->nwdaf_pending)
		nwdaf_schedule(c, interval_ms(c));
}

static void on_nwdaf_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	c->nwdaf_timer = 0;
	nwdaf_poll(c);
}

/* --- NSSF / AMF / SMF: what they report ----------------------------------------- */

static uint64_t avail_key(uint32_t tac, const struct sd_snssai *sn)
{
	return (uint64_t)tac << 34 | (uint64_t)sn->sst << 25 | (uint64_t)sn->has_sd << 24 |
	       (uint64_t)(sn->has_sd ? sn->sd & 0xffffffu : 0);
}

static void apply_availability(struct sd_collect *c, const struct sd_nssai_avail *a)
{
	struct sd_model *m = model(c);
	struct sd_u64index have;
	uint32_t tacs[SD_SLICE_MAX_TACS];
	int i, j, n;

	sd_u64index_init(&have);
	sd_u64index_reset(&have, (size_t)a->nitems);
	for (i = 0; i < a->nitems; i++)
		sd_u64index_put(&have, avail_key(a->items[i].tac, &a->items[i].snssai), i);
	for (i = 0; i < m->nslices; i++) {
		struct sd_slice *s = &m->slices[i];
		int avail = 0;
		n = sd_model_slice_tacs(m, s, tacs, SD_SLICE_MAX_TACS);
		for (j = 0; j < n; j++)
			if (sd_u64index_get(&have, avail_key(tacs[j], &s->snssai)) >= 0)
				avail++;
		s->live.updated_ms = sd_wall_ms();
		if (s->live.tas_total != n || s->live.tas_available != avail) {
			s->live.tas_total = n;
			s->live.tas_available = avail;
			slice_changed(c, i);
		}
	}
	sd_u64index_done(&have);
}

static void apply_amf(struct sd_collect *c, const struct sd_amf_notification *n)
{
	struct sd_model *m = model(c);
	struct touched t;
	const int *idx;
	int i, j, k;
	touched_init(&t, m->nslices);
	for (i = 0; i < n->nreports; i++) {
		const struct sd_amf_report *r = &n->reports[i];
		if (r->type != SD_AMF_EV_UES_IN_AREA || !r->has_snssai || r->number_of_ues < 0)
			continue;
		k = sd_model_slices_by_snssai(m, &r->snssai, &idx);
		for (j = 0; j < k; j++) {
			struct sd_slice_live *l = &m->slices[idx[j]].live;
			sample(c, idx[j], SD_KPI_UES, (double)r->number_of_ues);
			l->updated_ms = sd_wall_ms();
			if (l->ues != r->number_of_ues) {
				l->ues = r->number_of_ues;
				touch(&t, idx[j]);
			}
		}
	}
	touched_publish(c, &t);
}

static double mean_delay(const uint32_t *d, int n)
{
	double sum = 0;
	int i;
	for (i = 0; i < n; i++)
		sum += d[i];
	return n ? sum / n : -1;
}

/* Our notifIds and notifyCorrelationIds: "slicedeck-smf-TAG-GEN", TAG
 * random per collector (an earlier engine's orphaned subscription is not
 * ours), GEN the subscription's generation. */
static void our_id_for(const struct sd_collect *c, const char *kind, unsigned gen,
		       char *out, size_t outsz)
{
	snprintf(out, outsz, "slicedeck-%s-%s-%u", kind, c->tag, gen);
}

/* The generation one of our ids names, 0 when it is not one of ours. */
static unsigned gen_of(const struct sd_collect *c, const char *id, const char *kind)
{
	char prefix[48];
	size_t n;
	long long g;
	n = (size_t)snprintf(prefix, sizeof prefix, "slicedeck-%s-%s-", kind, c->tag);
	if (strncmp(id, prefix, n) != 0 || !sd_parse_ll(id + n, 1, 1000000000LL, &g))
		return 0;
	return (unsigned)g;
}

static void apply_smf(struct sd_collect *c, const struct sd_smf_notification *n)
{
	struct sd_model *m = model(c);
	unsigned gen = gen_of(c, n->notif_id, "smf");
	struct touched t;
	const int *idx;
	int i, j, k, q;

	if (!gen || gen != sd_sub_generation(c->subs[SUB_SMF])) {
		/* a subscription we no longer hold (being deleted) */
		sd_debug("SMF notification %s is not for the current subscription; ignored",
			 n->notif_id);
		return;
	}
	touched_init(&t, m->nslices);
	c->st.smf_reports++;
	if (gen != c->smf_counting) {
		/* a new subscription's first report lists every current session:
		 * the count starts over */
		c->smf_counting = gen;
		c->st.smf_reports = 0;
		for (i = 0; i < m->nslices; i++)
			if (m->slices[i].live.pdu_sessions >= 0) {
				m->slices[i].live.pdu_sessions = -1;
				touch(&t, i);
			}
	}
	for (i = 0; i < n->nevents; i++) {
		const struct sd_smf_event_notif *e = &n->events[i];
		if (!e->has_snssai)
			continue;
		k = sd_model_slices_by_snssai(m, &e->snssai, &idx);
		for (j = 0; j < k; j++) {
			struct sd_slice_live *l = &m->slices[idx[j]].live;
			long ps = l->pdu_sessions;
			double delay = l->delay_ms;
			if (e->event == SD_SMF_EV_QOS_MON) {
				double ul = mean_delay(e->ul_delays, e->nul);
				double dl = mean_delay(e->dl_delays, e->ndl);
				double rt = mean_delay(e->rt_delays, e->nrt);
				/* every one-way delay is a latency sample (the SLA is
				 * judged at a percentile); round trips count half */
				for (q = 0; q < e->nul; q++)
					sample(c, idx[j], SD_KPI_LATENCY, e->ul_delays[q]);
				for (q = 0; q < e->ndl; q++)
					sample(c, idx[j], SD_KPI_LATENCY, e->dl_delays[q]);
				if (!e->nul && !e->ndl)
					for (q = 0; q < e->nrt; q++)
						sample(c, idx[j], SD_KPI_LATENCY, e->rt_delays[q] / 2.0);
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
				sample(c, idx[j], SD_KPI_PDU_SESSIONS, (double)l->pdu_sessions);
			l->updated_ms = sd_wall_ms();
			if (ps != l->pdu_sessions || delay != l->delay_ms)
				touch(&t, idx[j]);
		}
	}
	touched_publish(c, &t);
}

/* --- NSSF / AMF / SMF subscriptions ----------------------------------------------- */

static json_t *tai_json(const struct sd_model *m, uint32_t tac)
{
	char t[8];
	snprintf(t, sizeof t, "%06x", tac);
	return json_pack("{s:{s:s, s:s}, s:s}", "plmnId", "mcc", m->plmn.mcc, "mnc", m->plmn.mnc,
			 "tac", t);
}

/* Every tracking area of the zone, once each, in cell order. */
static json_t *zone_tais(const struct sd_model *m)
{
	json_t *tais = json_array();
	struct sd_u64index seen;
	int i;
	sd_u64index_init(&seen);
	sd_u64index_reset(&seen, (size_t)m->ncells);
	for (i = 0; i < m->ncells; i++)
		if (sd_u64index_put(&seen, m->cells[i].tac, i) < 0)
			json_array_append_new(tais, tai_json(m, m->cells[i].tac));
	sd_u64index_done(&seen);
	return tais;
}

static char *dumps(json_t *b)
{
	char *text = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(b);
	return text;
}

static char *nrf_sub_body(void *arg, int64_t expiry_ms)
{
	struct sd_collect *c = ((struct sub_arg *)arg)->c;
	char validity[40], *uri;
	json_t *b;
	if (!notify_root(c)[0])
		return NULL;
	sd_fmt_time(expiry_ms, validity, sizeof validity);
	uri = sd_printf("%s%s/nrf", notify_root(c), NOTIFY_PREFIX);
	b = json_pack("{s:s, s:s, s:[s,s,s], s:s}",
		      "nfStatusNotificationUri", uri, "reqNfInstanceId", c->our_id,
		      "reqNotifEvents", "NF_REGISTERED", "NF_DEREGISTERED", "NF_PROFILE_CHANGED",
		      "validityTime", validity);
	if (c->nrf_form == FORM_PER_TYPE)
		json_object_set_new(b, "subscrCond", json_pack("{s:s}", "nfType",
				    watch_types[((struct sub_arg *)arg)->watch]));
	free(uri);
	return dumps(b);
}

static char *nf_sub_body(void *arg, int64_t expiry_ms)
{
	struct sub_arg *sa = arg;
	struct sd_collect *c = sa->c;
	struct sd_model *m = model(c);
	char expiry[40], id[48], *notify;
	unsigned gen = sd_sub_generation(c->subs[sa->kind]);
	json_t *b;
	static const char *const kinds[SUB_COUNT] = { "nssf", "amf", "smf" };

	if (!notify_root(c)[0])
		return NULL;
	sd_fmt_time(expiry_ms, expiry, sizeof expiry);
	notify = sd_printf("%s%s/%s", notify_root(c), NOTIFY_PREFIX, kinds[sa->kind]);
	switch (sa->kind) {
	case SUB_NSSF:
		b = json_pack("{s:s, s:o, s:s, s:s}", "nfNssaiAvailabilityUri", notify,
			      "taiList", zone_tais(m), "event", "SNSSAI_STATUS_CHANGE_REPORT",
			      "expiry", expiry);
		break;
	case SUB_AMF:
		our_id_for(c, "amf", gen, id, sizeof id);
		b = json_pack("{s:{s:[{s:s, s:[{s:{s:o}}]}], s:s, s:s, s:s, s:b,"
			      " s:{s:s, s:i, s:s}}}",
			      "subscription", "eventList", "type", "UES_IN_AREA_REPORT",
			      "areaList", "presenceInfo", "trackingAreaList", zone_tais(m),
			      "eventNotifyUri", notify, "notifyCorrelationId", id,
			      "nfId", c->our_id, "anyUE", 1,
			      "options", "trigger", "PERIODIC", "repPeriod", c->conf.poll_interval_s,
			      "expiry", expiry);
		break;
	default:
		our_id_for(c, "smf", gen, id, sizeof id);
		b = json_pack("{s:s, s:s, s:b, s:[{s:s},{s:s},{s:s}], s:s, s:i, s:s}",
			      "notifId", id, "notifUri", notify, "anyUeInd", 1,
			      "eventSubs", "event", "QOS_MON", "event", "PDU_SES_EST", "event", "PDU_SES_REL",
			      "notifMethod", "PERIODIC", "repPeriod", c->conf.poll_interval_s,
			      "expiry", expiry);
		break;
	}
	free(notify);
	return dumps(b);
}

static void sub_established(void *arg, const struct sd_sbi_result *res, bool created)
{
	struct sub_arg *sa = arg;
	struct sd_collect *c = sa->c;
	if (sa->kind == SUB_NSSF && created && res->body_len) {
		/* the 201 body carries the current availability */
		struct sd_nssai_avail a = { 0 };
		struct sd_decode_diag diag;
		if (sd_decode_nssai_avail_info(res->body, res->body_len, &a, &diag) == 0)
			apply_availability(c, &a);
		sd_nssai_avail_done(&a);
	}
	if (sa->kind >= 0)
		src_ok(&c->src_sub[sa->kind]);
	if (sa->kind == -1 && created && sa->watch == 0)
		sd_info("NRF: subscribed to NF status notifications, %s (%s%s); also polling every "
			"%d s", form_names[c->nrf_form], sd_sub_location(c->nrf_subs[0]),
			c->nrf_form == FORM_PER_TYPE ? ", and one for each other type" : "",
			interval_ms(c) / 1000);
}

static void on_form_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	(void)loop;
	(void)id;
	c->form_timer = 0;
	subs_check(c);
}

/* The NRF refused this form of subscription for good: said once, and the
 * next form is tried (from the loop, not inside the subscription's
 * callback). */
static void nrf_sub_refused(void *arg, const struct sd_sbi_result *res)
{
	struct sub_arg *sa = arg;
	struct sd_collect *c = sa->c;
	char why[160];
	int k;
	if (c->nrf_form == FORM_NONE)
		return;
	snprintf(why, sizeof why, "%s", res->errmsg[0] ? res->errmsg : "refused");
	c->nrf_form++;
	snprintf(c->nrf_refusal, sizeof c->nrf_refusal, "%s refused: %s",
		 form_names[c->nrf_form - 1], why);
	sd_warn("NRF refuses NF status subscriptions %s (%s); %s", form_names[c->nrf_form - 1],
		why, c->nrf_form == FORM_ANY ? "asking for one covering all NFs instead"
		: "not asking again: the NF list is polled");
	for (k = 0; k < NRF_WATCH; k++)
		sd_sub_drop(c->nrf_subs[k]);
	if (!c->form_timer)
		c->form_timer = sd_loop_timer_add(c->loop, 0, on_form_timer, c);
}

static struct sd_sub *make_sub(struct sd_collect *c, int kind, struct sub_arg *sa)
{
	static const struct {
		enum sd_sub_renew renew;
		const char *member, *patch;
	} how[SUB_COUNT] = {
		/* TS 29.531 UpdateNSSAIAvailabilitySubscription: JSON Patch */
		[SUB_NSSF] = { SD_SUB_RENEW_PATCH, "/expiry", "/expiry" },
		/* TS 29.518 AmfUpdateEventOptionItem: /options/expiry */
		[SUB_AMF] = { SD_SUB_RENEW_PATCH, "/subscription/options/expiry", "/options/expiry" },
		/* TS 29.508: PUT /subscriptions/{subId} replaces it */
		[SUB_SMF] = { SD_SUB_RENEW_PUT, "/expiry", NULL },
	};
	struct sd_sub_conf sc = { .validity_s = c->sub_validity_s,
				  .backoff_min_ms = c->sub_backoff_min_ms,
				  .backoff_max_ms = c->sub_backoff_max_ms,
				  .established = sub_established, .arg = sa };
	sa->c = c;
	sa->kind = kind;
	if (kind < 0) {
		/* TS 29.510: PATCH validityTime is the standard renewal */
		sc.name = "NRF";
		sc.scope = "nnrf-nfm";
		sc.target_nf_type = "NRF";
		sc.renew = SD_SUB_RENEW_PATCH;
		sc.expiry_member = sc.patch_path = "/validityTime";
		sc.body = nrf_sub_body;
		sc.refused = nrf_sub_refused;
	} else {
		sc.name = sub_names[kind];
		sc.scope = sub_services[kind];
		sc.target_nf_type = sub_names[kind];
		sc.renew = how[kind].renew;
		sc.expiry_member = how[kind].member;
		sc.patch_path = how[kind].patch;
		sc.body = nf_sub_body;
	}
	return sd_sub_new(c->loop, &sc);
}

/* Where each subscription should be, from what the NRF says now: at the
 * NF holding it while that one is REGISTERED and reachable, else at
 * another offering the service; deleted when none is left. Starts the
 * NWDAF poll once an NWDAF is known. */
static void subs_check(struct sd_collect *c)
{
	static const char *const paths[SUB_COUNT] = {
		"/nnssf-nssaiavailability/v1/nssai-availability/subscriptions",
		"/namf-evts/v1/subscriptions",
		"/nsmf-event-exposure/v1/subscriptions",
	};
	int k;
	if (c->closing)
		return;
	if (c->conf.nrf_api_root[0] && notify_root(c)[0]) {
		char *url = sd_printf("%s/nnrf-nfm/v1/subscriptions", c->conf.nrf_api_root);
		int n = c->nrf_form == FORM_PER_TYPE ? NRF_WATCH : c->nrf_form == FORM_ANY;
		for (k = 0; k < NRF_WATCH; k++) {
			if (k < n)
				sd_sub_want(c->nrf_subs[k], c->cli, url, "");
			else
				sd_sub_drop(c->nrf_subs[k]);
		}
		free(url);
	} else {
		for (k = 0; k < NRF_WATCH; k++)
			sd_sub_drop(c->nrf_subs[k]);
	}
	for (k = 0; k < SUB_COUNT; k++) {
		const struct svc_root *r = notify_root(c)[0]
			? find_root(c, sub_services[k], sd_sub_holder(c->subs[k])) : NULL;
		if (!r) {
			if (sd_sub_target(c->subs[k])[0])
				sd_notice("%s: no NF offers %s now; letting the subscription go",
					  sub_names[k], sub_services[k]);
			sd_sub_drop(c->subs[k]);
			continue;
		}
		{
			char *url = sd_printf("%s%s", r->root, paths[k]);
			sd_sub_want(c->subs[k], c->cli, url, r->nf_id);
			free(url);
		}
	}
	if (!c->nwdaf_timer && !c->nwdaf_pending && find_root(c, "nnwdaf-analyticsinfo", NULL))
		nwdaf_schedule(c, 0);
}

/* --- notification routes -------------------------------------------------------- */

static void h_nssf_notify(struct sd_collect *c, const struct sd_sbi_req *req,
			  struct sd_sbi_resp *resp)
{
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

static void h_amf_notify(struct sd_collect *c, const struct sd_sbi_req *req,
			 struct sd_sbi_resp *resp)
{
	struct sd_amf_notification n = { 0 };
	struct sd_decode_diag diag;
	unsigned gen;
	if (sd_decode_amf_notification(req->body, req->body_len, &n, &diag) < 0) {
		sd_warn("AMF notification from %s rejected: %s", req->peer, diag.error);
		sd_sbi_resp_problem(resp, 400, "Bad AmfEventNotification", "MANDATORY_IE_INCORRECT",
				    diag.error);
		return;
	}
	gen = gen_of(c, n.correlation_id, "amf");
	if (gen && gen == sd_sub_generation(c->subs[SUB_AMF]))
		apply_amf(c, &n);
	else
		sd_debug("AMF notification %s is not for the current subscription; ignored",
			 n.correlation_id);
	sd_amf_notification_done(&n);
	resp->status = 204;
}

static void h_smf_notify(struct sd_collect *c, const struct sd_sbi_req *req,
			 struct sd_sbi_resp *resp)
{
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

static void h_nwdaf_notify(struct sd_collect *c, const struct sd_sbi_req *req,
			   struct sd_sbi_resp *resp)
{
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

typedef void (*notify_fn)(struct sd_collect *c, const struct sd_sbi_req *req,
			  struct sd_sbi_resp *resp);

static const struct {
	const char *path;
	notify_fn fn;
} routes[] = {
	{ NOTIFY_PREFIX "/nrf", h_nrf_notify },
	{ NOTIFY_PREFIX "/nssf", h_nssf_notify },
	{ NOTIFY_PREFIX "/amf", h_amf_notify },
	{ NOTIFY_PREFIX "/smf", h_smf_notify },
	{ NOTIFY_PREFIX "/nwdaf", h_nwdaf_notify },
};

/* One handler per route; the route's index picks the function. While the
 * collector closes, notifications are answered and ignored. */
#define ROUTE_HANDLER(i)                                                              \
	static void route_##i(const struct sd_sbi_req *req, struct sd_sbi_resp *resp, \
			      void *arg)                                              \
	{                                                                             \
		struct sd_collect *c = arg;                                           \
		if (c->closing) {                                                     \
			resp->status = 204;                                           \
			return;                                                       \
		}                                                                     \
		routes[i].fn(c, req, resp);                                           \
	}
ROUTE_HANDLER(0)
ROUTE_HANDLER(1)
ROUTE_HANDLER(2)
ROUTE_HANDLER(3)
ROUTE_HANDLER(4)
static const sd_sbi_handler route_fns[] = { route_0, route_1, route_2, route_3, route_4 };

/* --- life cycle ------------------------------------------------------------------- */

static void take_conf(struct sd_collect *c)
{
	const struct sd_config *cfg = sd_host_config(c->host);
	c->conf = cfg->sbi;
	if (c->conf.nf_instance_id[0])
		sd_strlcpy(c->our_id, c->conf.nf_instance_id, sizeof c->our_id);
	else if (!c->our_id[0])
		make_uuid(c->our_id);
}

struct sd_collect *sd_collect_new(const struct sd_host *host, char *err, size_t errsz)
{
	struct sd_collect *c = sd_calloc(1, sizeof *c);
	struct sd_sbi_client_opts o = { .user_agent = "slicedeck", .nf_type = "AF" };
	size_t i;
	int k;

	c->host = host;
	c->loop = host->loop;
	c->sub_validity_s = SUB_VALIDITY_S;
	sd_strmap_init(&c->warned);
	take_conf(c);
	o.conf = &c->conf;
	/* an unreachable NF is let through to at most once a second (only
	 * when we ask: the NRF cycle while the NRF is down, see
	 * nrf_cycle_failed), so the view comes back within a second or two of
	 * the NRF answering again instead of after a grown backoff */
	o.probe_max_ms = NRF_DOWN_RETRY_MS;
	o.max_body = SD_DECODE_MAX_BODY;   /* what the decoders take, no less */
	c->cli = sd_sbi_client_new(c->loop, &o);
	if (!c->cli) {
		snprintf(err, errsz, "cannot create the SBI client");
		sd_strmap_done(&c->warned);
		free(c);
		return NULL;
	}
	if (host->sbi) {
		/* a notification carries at most what the decoders take (an NRF
		 * one a whole NFProfile) */
		struct sd_sbi_route_opts ro = { .max_body = SD_DECODE_MAX_BODY, .owner = c };
		c->routed = true;
		for (i = 0; i < SD_ARRAY_LEN(routes); i++)
			if (sd_sbi_server_route_ex(host->sbi, "POST", routes[i].path, route_fns[i],
						   c, &ro) < 0) {
				snprintf(err, errsz, "cannot register the notification route %s",
					 routes[i].path);
				sd_sbi_server_unroute_owner(host->sbi, c);
				sd_sbi_client_free(c->cli);
				sd_strmap_done(&c->warned);
				free(c);
				return NULL;
			}
		sd_info("SBI notifications on %s%s", notify_root(c), NOTIFY_PREFIX);
	}
	{
		char u[40];
		make_uuid(u);
		memcpy(c->tag, u, 8);   /* 8 random hex digits */
		c->tag[8] = '\0';
	}
	for (k = 0; k < NRF_WATCH; k++) {
		c->nrf_sargs[k].watch = k;
		c->nrf_subs[k] = make_sub(c, -1, &c->nrf_sargs[k]);
	}
	for (k = 0; k < SUB_COUNT; k++)
		c->subs[k] = make_sub(c, k, &c->sargs[k]);
	if (c->conf.nrf_api_root[0])
		nrf_schedule(c, 0);
	else
		sd_notice("no sbi.nrf configured: not collecting from a 5G core");
	return c;
}

void sd_collect_reload(struct sd_collect *c)
{
	char old_nrf[sizeof c->conf.nrf_api_root];
	int k;

	if (c->closing)
		return;
	sd_strlcpy(old_nrf, c->conf.nrf_api_root, sizeof old_nrf);
	take_conf(c);
	sd_sbi_client_reconfigure(c->cli, &c->conf);
	/* answers to the old configuration's polls are dropped by epoch */
	c->epoch++;
	cycle_free(c->cyc);
	c->cyc = NULL;
	c->nwdaf_pending = 0;
	sd_loop_timer_del(c->loop, c->nwdaf_timer);
	c->nwdaf_timer = 0;
	if (strcmp(old_nrf, c->conf.nrf_api_root) != 0) {
		/* another NRF: what the old one told us is no longer ours to show */
		struct sd_model *m = model(c);
		int i;
		for (i = m->nnfs - 1; i >= 0; i--)
			if (strcmp(m->nfs[i].source, SOURCE) == 0) {
				char id[40];
				sd_strlcpy(id, m->nfs[i].id, sizeof id);
				sd_model_nf_remove(m, SOURCE, id);
				nf_changed(c, id, true);
			}
		roots_done(&c->roots);
	}
	/* a subscription whose request is the same is kept; one that changed
	 * (notification apiRoot, tracking areas, period) is re-created and the
	 * old one deleted; a moved NRF or NF moves it (subs_check) */
	/* a refused form is asked for again after a reload (the NRF may
	 * have changed) */
	if (c->nrf_form != FORM_PER_TYPE) {
		c->nrf_form = FORM_PER_TYPE;
		c->nrf_refusal[0] = '\0';
	}
	c->warned_plmn = c->warned_smf = false;
	for (k = 0; k < NRF_WATCH; k++)
		sd_sub_recheck(c->nrf_subs[k]);
	for (k = 0; k < SUB_COUNT; k++)
		sd_sub_recheck(c->subs[k]);
	if (c->conf.nrf_api_root[0]) {
		nrf_schedule(c, 0);
	} else {
		sd_loop_timer_del(c->loop, c->nrf_timer);
		c->nrf_timer = 0;
		subs_check(c);
	}
}

static bool subs_quiet(const struct sd_collect *c)
{
	int k;
	for (k = 0; k < NRF_WATCH; k++)
		if (sd_sub_pending(c->nrf_subs[k]))
			return false;
	for (k = 0; k < SUB_COUNT; k++)
		if (sd_sub_pending(c->subs[k]))
			return false;
	return true;
}

/* No new work; every held subscription's delete goes out. */
static void begin_shutdown(struct sd_collect *c)
{
	int k;
	if (c->down_started)
		return;
	c->down_started = true;
	c->closing = true;
	sd_loop_timer_del(c->loop, c->nrf_timer);
	sd_loop_timer_del(c->loop, c->nwdaf_timer);
	c->nrf_timer = c->nwdaf_timer = 0;
	sd_loop_timer_del(c->loop, c->form_timer);
	c->form_timer = 0;
	for (k = 0; k < NRF_WATCH; k++)
		sd_sub_drop(c->nrf_subs[k]);
	for (k = 0; k < SUB_COUNT; k++)
		sd_sub_drop(c->subs[k]);
	c->down_deadline = sd_now_ms() + SD_COLLECT_SHUTDOWN_MS;
}

static void on_down_timer(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_collect *c = arg;
	c->down_timer = 0;
	if (!subs_quiet(c) && sd_now_ms() < c->down_deadline) {
		c->down_timer = sd_loop_timer_add(loop, 10, on_down_timer, c);
		return;
	}
	if (!subs_quiet(c))
		sd_notice("shutdown: not every subscription delete was answered within %d ms",
			  SD_COLLECT_SHUTDOWN_MS);
	c->down_done = true;
	if (c->down_cb)
		c->down_cb(c->down_arg);
}

void sd_collect_shutdown(struct sd_collect *c, void (*done)(void *arg), void *arg)
{
	c->down_cb = done;
	c->down_arg = arg;
	if (c->down_done) {
		/* from the loop, like the first time */
		c->down_done = false;
	}
	begin_shutdown(c);
	sd_loop_timer_del(c->loop, c->down_timer);
	c->down_timer = sd_loop_timer_add(c->loop, 0, on_down_timer, c);
}

void sd_collect_free(struct sd_collect *c)
{
	int k;
	if (!c)
		return;
	if (!c->down_done) {
		begin_shutdown(c);
		sd_loop_timer_del(c->loop, c->down_timer);
		c->down_timer = 0;
		while (!subs_quiet(c) && sd_now_ms() < c->down_deadline)
			sd_loop_once(c->loop, 10);
	}
	sd_loop_timer_del(c->loop, c->down_timer);
	c->closing = true;
	/* the subscriptions first: their requests still in flight complete
	 * (cancelled) when the client goes */
	for (k = 0; k < NRF_WATCH; k++)
		sd_sub_free(c->nrf_subs[k]);
	for (k = 0; k < SUB_COUNT; k++)
		sd_sub_free(c->subs[k]);
	sd_loop_timer_del(c->loop, c->form_timer);
	sd_sbi_client_free(c->cli);
	sd_loop_timer_del(c->loop, c->nrf_timer);
	sd_loop_timer_del(c->loop, c->nwdaf_timer);
	cycle_free(c->cyc);
	roots_done(&c->roots);
	sd_strmap_done(&c->warned);
	/* the engine's server lives on: it must not call us again */
	if (c->routed && c->host->sbi)
		sd_sbi_server_unroute_owner(c->host->sbi, c);
	free(c);
}

const char *sd_collect_notify_root(const struct sd_collect *c) { return notify_root(c); }

void sd_collect_set_sub_timing(struct sd_collect *c, int validity_s, int backoff_min_ms,
			       int backoff_max_ms)
{
	int k;
	c->sub_validity_s = validity_s > 0 ? validity_s : SUB_VALIDITY_S;
	c->sub_backoff_min_ms = backoff_min_ms;
	c->sub_backoff_max_ms = backoff_max_ms;
	/* the subscriptions copied their conf: make them anew if unused */
	for (k = -NRF_WATCH; k < SUB_COUNT; k++) {
		struct sd_sub **s = k < 0 ? &c->nrf_subs[-k - 1] : &c->subs[k];
		if (sd_sub_active(*s) || sd_sub_pending(*s) || sd_sub_target(*s)[0])
			continue;
		sd_sub_free(*s);
		*s = make_sub(c, k < 0 ? -1 : k, k < 0 ? &c->nrf_sargs[-k - 1] : &c->sargs[k]);
	}
}

void sd_collect_stats(const struct sd_collect *c, struct sd_collect_stats *st)
{
	struct sd_sub_stats ss;
	int k;
	*st = c->st;
	st->nwdaf_backoff_ms = c->nwdaf_backoff_ms;
	st->smf_generation = c->smf_counting;
	st->nrf_subscribed = sd_sub_active(c->nrf_subs[0]);
	st->nrf_form = form_names[c->nrf_form];
	st->nrf_refusal = c->nrf_refusal;
	for (k = 0; k < NRF_WATCH; k++)
		st->nrf_subs += sd_sub_active(c->nrf_subs[k]);
	st->nrf_subs_wanted = c->nrf_form == FORM_PER_TYPE ? NRF_WATCH : c->nrf_form == FORM_ANY;
	st->nssf_subscribed = sd_sub_active(c->subs[SUB_NSSF]);
	st->amf_subscribed = sd_sub_active(c->subs[SUB_AMF]);
	st->smf_subscribed = sd_sub_active(c->subs[SUB_SMF]);
	for (k = -NRF_WATCH; k < SUB_COUNT; k++) {
		sd_sub_stats(k < 0 ? c->nrf_subs[-k - 1] : c->subs[k], &ss);
		st->sub_creates += ss.creates;
		st->sub_renewals += ss.renewals;
		st->sub_deletes += ss.deletes;
	}
}

int sd_collect_sources(const struct sd_collect *c, struct sd_collect_source *out, int max)
{
	static const char *const feeds[SUB_COUNT] = {
		"tracking areas offering each slice (tas_total, tas_available)",
		"UEs per slice",
		"PDU sessions and packet delay per slice",
	};
	static const char *const names[SUB_COUNT] = {
		"NSSF NSSAI availability", "AMF event exposure", "SMF event exposure",
	};
	struct sd_collect *cc = (struct sd_collect *)c;   /* find_root only reads */
	const struct svc_root *r;
	struct sd_collect_source *o;
	int n = 0, k;

	if (n < max) {
		o = &out[n++];
		memset(o, 0, sizeof *o);
		sd_strlcpy(o->name, "NRF", sizeof o->name);
		sd_strlcpy(o->service, "nnrf-nfm", sizeof o->service);
		sd_strlcpy(o->feeds, "NF inventory and status: the NFs view, NF alarms, slice "
			   "availability", sizeof o->feeds);
		o->found = c->conf.nrf_api_root[0] != '\0';
		sd_strlcpy(o->where, c->conf.nrf_api_root, sizeof o->where);
		o->last_ok_ms = c->src_nrf.ok_ms;
		o->last_err_ms = c->src_nrf.err_ms;
		sd_strlcpy(o->last_err, c->src_nrf.err, sizeof o->last_err);
		o->down_since_ms = c->src_nrf.down_since_ms;
		if (!o->found)
			sd_strlcpy(o->note, "no sbi.nrf configured", sizeof o->note);
		else
			snprintf(o->note, sizeof o->note, "NF status subscriptions: %s%s%s",
				 form_names[c->nrf_form], c->nrf_refusal[0] ? "; " : "",
				 c->nrf_refusal);
	}
	if (n < max) {
		o = &out[n++];
		memset(o, 0, sizeof *o);
		sd_strlcpy(o->name, "NWDAF analytics", sizeof o->name);
		sd_strlcpy(o->service, "nnwdaf-analyticsinfo", sizeof o->service);
		sd_strlcpy(o->feeds, "slice load level, NF load, cell RSRP/SINR", sizeof o->feeds);
		r = find_root(cc, o->service, NULL);
		o->found = r != NULL;
		sd_strlcpy(o->where, r ? r->root : "", sizeof o->where);
		o->last_ok_ms = c->src_nwdaf.ok_ms;
		o->last_err_ms = c->src_nwdaf.err_ms;
		sd_strlcpy(o->last_err, c->src_nwdaf.err, sizeof o->last_err);
		if (!r)
			sd_strlcpy(o->note, "no NWDAF in this core", sizeof o->note);
	}
	for (k = 0; k < SUB_COUNT && n < max; k++) {
		o = &out[n++];
		memset(o, 0, sizeof *o);
		sd_strlcpy(o->name, names[k], sizeof o->name);
		sd_strlcpy(o->service, sub_services[k], sizeof o->service);
		sd_strlcpy(o->feeds, feeds[k], sizeof o->feeds);
		r = find_root(cc, sub_services[k], NULL);
		o->found = r != NULL;
		sd_strlcpy(o->where, r ? r->root : "", sizeof o->where);
		o->last_ok_ms = c->src_sub[k].ok_ms;
		if (!r)
			snprintf(o->note, sizeof o->note, "no %s in this core offers %s", sub_names[k],
				 sub_services[k]);
		else if (sd_sub_active(c->subs[k]))
			snprintf(o->note, sizeof o->note, "subscribed: %s", sd_sub_location(c->subs[k]));
		else
			sd_strlcpy(o->note, "not subscribed (yet)", sizeof o->note);
	}
	return n;
}
