/* monitor/sla.c — see sla.h. */
#include "monitor/sla.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/index.h"
#include "core/log.h"
#include "core/util.h"
#include "core/qos5qi.h"

static const struct {
	const char *name, *unit;
} kpi_info[SD_SLA_KPI_COUNT] = {
	[SD_SLA_LATENCY] = { "latency", "ms" },
	[SD_SLA_UL_RATE] = { "ul_rate", "kbit/s" },
	[SD_SLA_DL_RATE] = { "dl_rate", "kbit/s" },
	[SD_SLA_RELIABILITY] = { "reliability", "%" },
	[SD_SLA_AVAILABILITY] = { "availability", "%" },
	[SD_SLA_MAX_UES] = { "max_ues", "UEs" },
	[SD_SLA_5QI_DELAY] = { "5qi_delay", "ms" },
	[SD_SLA_5QI_PER] = { "5qi_per", "ratio" },
};

const char *sd_sla_kpi_name(enum sd_sla_kpi k)
{
	return (unsigned)k < SD_SLA_KPI_COUNT ? kpi_info[k].name : "?";
}

const char *sd_sla_kpi_unit(enum sd_sla_kpi k)
{
	return (unsigned)k < SD_SLA_KPI_COUNT ? kpi_info[k].unit : "?";
}

int sd_sla_kpi_parse(const char *s)
{
	for (int i = 0; i < SD_SLA_KPI_COUNT; i++)
		if (sd_streq(s, kpi_info[i].name))
			return i;
	return -1;
}

const char *sd_sla_verdict_name(enum sd_sla_verdict v)
{
	switch (v) {
	case SD_SLA_NA: return "n/a";
	case SD_SLA_NODATA: return "no-data";
	case SD_SLA_MET: return "met";
	case SD_SLA_BREACHED: return "breached";
	}
	return "?";
}

void sd_sla_conf_default(struct sd_sla_conf *c)
{
	c->window_s = 300;
	c->hysteresis = 2;
	c->rate_tolerance_pct = 5;
}

void sd_sla_conf_from(struct sd_sla_conf *c, const struct sd_monitor_conf *m)
{
	sd_sla_conf_default(c);
	c->window_s = m->sla_window_s ? m->sla_window_s : m->sla_window_min * 60;
	c->hysteresis = m->sla_hysteresis;
	c->rate_tolerance_pct = m->sla_rate_tolerance_pct;
}

void sd_sla_month_of(int64_t wall_ms, char *buf, size_t bufsz)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, bufsz, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

static const char *const usable_types[SD_SLA_USABLE_TYPES] = { "AMF", "SMF", "UPF" };

static uint64_t snssai_key(const struct sd_snssai *sn)
{
	return ((uint64_t)sn->sst << 32) | (sn->has_sd ? sn->sd : 0xffffffffu);
}

const char *sd_sla_usable_type_name(int t)
{
	return t >= 0 && t < SD_SLA_USABLE_TYPES ? usable_types[t] : "?";
}

/* Which S-NSSAIs each NF type serves with a REGISTERED, reachable, fresh
 * NF, and which a stale one might: one pass over the NFs, so that judging
 * every slice costs a lookup each instead of a scan of every NF's
 * S-NSSAI list (at 100,000 slices, the once-a-second availability sample
 * was the engine's whole CPU). */
void sd_sla_usable_build(struct sd_sla_usable *u, const struct sd_model *m)
{
	int t, i, k, fresh_rows = 0;
	for (t = 0; t < SD_SLA_USABLE_TYPES; t++) {
		u->seen[t] = u->all[t] = u->maybe_all[t] = false;
		sd_u64index_reset(&u->set[t], 64);
		sd_u64index_reset(&u->maybe[t], 16);
	}
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		bool fresh;
		fresh_rows += !nf->stale;
		for (t = 0; t < SD_SLA_USABLE_TYPES && strcmp(nf->type, usable_types[t]) != 0; t++)
			;
		if (t == SD_SLA_USABLE_TYPES)
			continue;
		u->seen[t] = u->ever[t] = true;
		if (nf->stale || nf->status == SD_NF_STATUS_OTHER) {
			/* what it served when last known (or with a status we
			 * cannot read): it may still */
			fresh = false;
		} else if (nf->status != SD_NF_REGISTERED || !nf->reachable) {
			continue;
		} else {
			fresh = true;
		}
		if (nf->nsnssais == 0)
			*(fresh ? &u->all[t] : &u->maybe_all[t]) = true;
		for (k = 0; k < nf->nsnssais; k++)
			sd_u64index_put(fresh ? &u->set[t] : &u->maybe[t],
					snssai_key(&nf->snssais[k]), 1);
	}
	u->blind = m->nnfs > 0 && fresh_rows == 0;
}

void sd_sla_usable_init(struct sd_sla_usable *u)
{
	int t;
	memset(u, 0, sizeof *u);
	for (t = 0; t < SD_SLA_USABLE_TYPES; t++) {
		sd_u64index_init(&u->set[t]);
		sd_u64index_init(&u->maybe[t]);
	}
}

void sd_sla_usable_done(struct sd_sla_usable *u)
{
	int t;
	for (t = 0; t < SD_SLA_USABLE_TYPES; t++) {
		sd_u64index_done(&u->set[t]);
		sd_u64index_done(&u->maybe[t]);
	}
}

enum sd_sla_serve sd_sla_usable_serve(const struct sd_sla_usable *u, int t,
				      const struct sd_slice *s)
{
	uint64_t key = snssai_key(&s->snssai);
	if (!u->seen[t] && !u->ever[t])
		return SD_SERVE_NOT_JUDGED;
	if (u->all[t] || sd_u64index_get(&u->set[t], key) >= 0)
		return SD_SERVE_OK;
	if (u->blind || u->maybe_all[t] || sd_u64index_get(&u->maybe[t], key) >= 0)
		return SD_SERVE_UNKNOWN;
	return SD_SERVE_MISSING;
}

double sd_sla_usable_pct_with(const struct sd_sla_usable *u, const struct sd_slice *s)
{
	bool known = false, unknown = false;
	int t;
	for (t = 0; t < SD_SLA_USABLE_TYPES; t++) {
		switch (sd_sla_usable_serve(u, t, s)) {
		case SD_SERVE_NOT_JUDGED:
			break;
		case SD_SERVE_OK:
			known = true;
			break;
		case SD_SERVE_UNKNOWN:
			unknown = true;
			break;
		case SD_SERVE_MISSING:
			return 0;
		}
	}
	if (unknown)
		return -1;
	if (s->live.tas_total > 0 && s->live.tas_available >= 0) {
		int avail = s->live.tas_available > s->live.tas_total ? s->live.tas_total
								      : s->live.tas_available;
		return 100.0 * avail / s->live.tas_total;
	}
	return known ? 100.0 : -1;
}

double sd_sla_usable_pct(const struct sd_model *m, const struct sd_slice *s)
{
	struct sd_sla_usable u;
	double pct;
	sd_sla_usable_init(&u);
	sd_sla_usable_build(&u, m);
	pct = sd_sla_usable_pct_with(&u, s);
	sd_sla_usable_done(&u);
	return pct;
}

/* --- inputs and the rule set ------------------------------------------- */

void sd_sla_inputs_init(struct sd_sla_inputs *in, int64_t start_ms)
{
	memset(in->m, 0, sizeof in->m);
	in->start_ms = start_ms;
	sd_sketch_init(&in->latency);
}

void sd_sla_inputs_done(struct sd_sla_inputs *in)
{
	sd_sketch_done(&in->latency);
}

/* Empty the inputs for another window, keeping the sketch's memory. */
static void inputs_reset(struct sd_sla_inputs *in, int64_t start_ms)
{
	memset(in->m, 0, sizeof in->m);
	in->start_ms = start_ms;
	sd_sketch_reset(&in->latency);
}

static void acc_add(struct sd_sla_acc *a, uint32_t n, double sum, double mn, double mx)
{
	if (a->n == 0 || mn < a->min)
		a->min = mn;
	if (a->n == 0 || mx > a->max)
		a->max = mx;
	a->n += n;
	a->sum += sum;
}

void sd_sla_inputs_add(struct sd_sla_inputs *in, enum sd_kpi_metric m, double v)
{
	if ((unsigned)m >= SD_KPI_METRIC_COUNT || !isfinite(v))
		return;
	acc_add(&in->m[m], 1, v, v, v);
	if (m == SD_KPI_LATENCY)
		sd_sketch_add(&in->latency, v);
}

void sd_sla_inputs_add_agg(struct sd_sla_inputs *in, enum sd_kpi_metric m,
			   const struct sd_kpi_agg *a, const struct sd_sketch *sk)
{
	if ((unsigned)m >= SD_KPI_METRIC_COUNT || a->count == 0)
		return;
	acc_add(&in->m[m], a->count, a->sum, a->min, a->max);
	if (m == SD_KPI_LATENCY && sk)
		sd_sketch_merge(&in->latency, sk);
}

static double mean(const struct sd_sla_acc *a)
{
	return a->n ? a->sum / a->n : NAN;
}

static void verdict(struct sd_sla_result *r, bool ok, double observed, double target)
{
	r->verdict = ok ? SD_SLA_MET : SD_SLA_BREACHED;
	r->observed = observed;
	r->target = target;
}

static void nodata(struct sd_sla_result *r, double target)
{
	r->verdict = SD_SLA_NODATA;
	r->observed = NAN;
	r->target = target;
}

static void rate(struct sd_sla_result *r, uint64_t gbr, const struct sd_sla_acc *got,
		 const struct sd_sla_acc *demand, double tol)
{
	if (!gbr)
		return;
	double want = mean(demand);
	if (!got->n || !demand->n || !(want > 0)) {
		nodata(r, (double)gbr);
		return;
	}
	double target = want < (double)gbr ? want : (double)gbr;
	target *= 1.0 - tol / 100.0;
	double have = mean(got);
	verdict(r, have >= target, have, target);
}

void sd_sla_evaluate(const struct sd_sla_profile *p, const struct sd_sla_inputs *in,
		     double tol, struct sd_sla_result out[SD_SLA_KPI_COUNT])
{
	const double eps = 1e-9;
	for (int i = 0; i < SD_SLA_KPI_COUNT; i++)
		out[i] = (struct sd_sla_result){ SD_SLA_NA, NAN, NAN };

	const struct sd_sla_acc *lat = &in->m[SD_KPI_LATENCY];
	if (p->latency_us) {
		double target = p->latency_us / 1000.0;
		double pct = p->latency_pct > 0 && p->latency_pct <= 100 ? p->latency_pct : 99.0;
		if (lat->n && in->latency.n) {
			double q = sd_sketch_quantile(&in->latency, pct / 100.0);
			verdict(&out[SD_SLA_LATENCY], q <= target + eps, q, target);
		} else {
			nodata(&out[SD_SLA_LATENCY], target);
		}
	}
	rate(&out[SD_SLA_UL_RATE], p->gbr_ul_kbps, &in->m[SD_KPI_UL_THROUGHPUT],
	     &in->m[SD_KPI_UL_DEMAND], tol);
	rate(&out[SD_SLA_DL_RATE], p->gbr_dl_kbps, &in->m[SD_KPI_DL_THROUGHPUT],
	     &in->m[SD_KPI_DL_DEMAND], tol);

	const struct sd_sla_acc *loss = &in->m[SD_KPI_PACKET_LOSS];
	if (p->reliability_pct > 0) {
		if (loss->n) {
			double rel = 100.0 - mean(loss);
			verdict(&out[SD_SLA_RELIABILITY], rel >= p->reliability_pct - eps,
				rel, p->reliability_pct);
		} else {
			nodata(&out[SD_SLA_RELIABILITY], p->reliability_pct);
		}
	}
	const struct sd_sla_acc *av = &in->m[SD_KPI_AVAILABILITY];
	if (p->availability_pct > 0) {
		if (av->n)
			verdict(&out[SD_SLA_AVAILABILITY],
				mean(av) >= p->availability_pct - eps, mean(av),
				p->availability_pct);
		else
			nodata(&out[SD_SLA_AVAILABILITY], p->availability_pct);
	}
	const struct sd_sla_acc *ues = &in->m[SD_KPI_UES];
	if (p->max_ues) {
		if (ues->n)
			verdict(&out[SD_SLA_MAX_UES], ues->max <= p->max_ues, ues->max,
				p->max_ues);
		else
			nodata(&out[SD_SLA_MAX_UES], p->max_ues);
	}
	const struct sd_5qi *q = p->fiveqi ? sd_5qi_lookup(p->fiveqi) : NULL;
	if (q) {
		if (lat->n && in->latency.n) {
			double d = sd_sketch_quantile(&in->latency, SD_5QI_PDB_PCT / 100.0);
			verdict(&out[SD_SLA_5QI_DELAY], d <= q->pdb_ms + eps, d, q->pdb_ms);
		} else {
			nodata(&out[SD_SLA_5QI_DELAY], q->pdb_ms);
		}
		if (loss->n) {
			double ratio = mean(loss) / 100.0;
			verdict(&out[SD_SLA_5QI_PER], ratio <= q->per * (1 + 1e-9),
				ratio, q->per);
		} else {
			nodata(&out[SD_SLA_5QI_PER], q->per);
		}
	}
}

/* --- the evaluator -------------------------------------------------------- */

struct kstate {
	bool breached;
	uint16_t bad, good;         /* consecutive windows */
	bool state_dirty;
	struct sd_sla_result last;
	/* current month */
	uint32_t met, breach, nodata;
	double obs_sum;
	uint32_t obs_n;
	bool month_dirty;
};

struct slice {
	char id[SD_ID_MAX];
	bool dirty;                 /* a kstate has something to store */
	char factory[SD_ID_MAX];
	bool active;
	struct sd_sla_profile p;
	int64_t last_win;           /* start of the last evaluated window, -1 */
	int64_t acc_win;            /* start of the window in acc, -1 none */
	struct sd_sla_inputs acc;
	char month[8];              /* month of the counters, "" none */
	struct kstate k[SD_SLA_KPI_COUNT];
};

struct pend_event {
	int slice;
	uint8_t kpi;
	bool breach;
	int64_t start;
	double observed, target;
};

/* Stored counters of one slice and KPI, for ensure_month. */
struct mcache {
	int slice;
	uint8_t kpi;
	uint32_t met, breached, nodata, obs_n;
	double obs_sum;
};

/* A finished month's counters awaiting the next flush. */
struct old_month {
	char slice[SD_ID_MAX];
	uint8_t kpi;
	char month[8];
	uint32_t met, breached, nodata, obs_n;
	double obs_sum;
};

struct sd_sla {
	struct sd_sla_conf conf;
	int64_t win_ms;
	struct sd_kpi *kpi;
	struct sd_store *store;
	struct sd_stmt *up_month, *sel_month, *sel_month_all, *up_state, *sel_state, *ins_event,
		       *report, *report_one;
	struct slice *sl;
	int nsl, capsl;
	int32_t *hash;              /* slice index + 1 */
	size_t hashcap;
	int *by_obj;                /* kpi handle -> slice index or -1 */
	int nby_obj;
	sd_sla_event_fn ev_fn;
	void *ev_arg;
	struct old_month *old_months;
	size_t nold, capold;
	struct pend_event *events;
	size_t nev, capev;
	int64_t last_tick_win;
	bool from_samples;          /* window under a minute: judged from raw samples */
	int64_t first_full;         /* start of the first window wholly after the start */
	bool dirty;                 /* something for the next flush */
	int ndirty;                 /* slices with dirty set */
	int cursor;                 /* where the next flush starts */
	/* one month's stored counters, loaded in one query the first time a
	 * slice needs them (startup, month change) */
	char cache_month[8];
	int cache_nsl;              /* slices known when it was loaded */
	struct mcache *cache;
	size_t ncache, capcache;
};

/* Slices written per flush: a window boundary's burst of counters is
 * spread over several flushes so the loop is never blocked long. */
#define FLUSH_SLICES 1000

static const struct sd_store_migration sla_migrations[] = {
	{ 1,
	  "CREATE TABLE sla_month("
	  " slice TEXT NOT NULL, kpi TEXT NOT NULL, month TEXT NOT NULL,"
	  " met INTEGER NOT NULL, breached INTEGER NOT NULL,"
	  " nodata INTEGER NOT NULL, obs_sum REAL NOT NULL, obs_n INTEGER NOT NULL,"
	  " PRIMARY KEY(slice, kpi, month)) WITHOUT ROWID;"
	  "CREATE TABLE sla_state("
	  " slice TEXT NOT NULL, kpi TEXT NOT NULL, breached INTEGER NOT NULL,"
	  " bad INTEGER NOT NULL, good INTEGER NOT NULL,"
	  " PRIMARY KEY(slice, kpi)) WITHOUT ROWID;"
	  "CREATE TABLE sla_event("
	  " slice TEXT NOT NULL, kpi TEXT NOT NULL, kind TEXT NOT NULL,"
	  " window_start_ms INTEGER NOT NULL, observed REAL, target REAL,"
	  " PRIMARY KEY(slice, kpi, window_start_ms, kind)) WITHOUT ROWID;" },
};

static uint64_t hash_id(const char *id)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h;
}

static void hash_put(struct sd_sla *s, int i)
{
	size_t mask = s->hashcap - 1, at = hash_id(s->sl[i].id) & mask;
	while (s->hash[at])
		at = (at + 1) & mask;
	s->hash[at] = i + 1;
}

static int find(const struct sd_sla *s, const char *id)
{
	if (!id || !s->hashcap)
		return -1;
	size_t mask = s->hashcap - 1, at = hash_id(id) & mask;
	while (s->hash[at]) {
		int i = s->hash[at] - 1;
		if (strcmp(s->sl[i].id, id) == 0)
			return i;
		at = (at + 1) & mask;
	}
	return -1;
}

struct sd_sla *sd_sla_new(const struct sd_sla_conf *c, struct sd_kpi *kpi,
			  struct sd_store *store, char *err, size_t errsz)
{
	struct sd_sla *s = sd_calloc(1, sizeof *s);
	if (c)
		s->conf = *c;
	else
		sd_sla_conf_default(&s->conf);
	if (s->conf.window_s < 1 || s->conf.window_s > 3600 ||
	    (s->conf.window_s >= 60 ? s->conf.window_s % 60 : 60 % s->conf.window_s)) {
		snprintf(err, errsz, "sla: window %d s must be a whole number of minutes up "
			 "to 3600 s, or a divisor of 60 s", s->conf.window_s);
		sd_free(s);
		return NULL;
	}
	if (s->conf.hysteresis < 1 || s->conf.hysteresis > 100) {
		snprintf(err, errsz, "sla: hysteresis %d must be 1..100", s->conf.hysteresis);
		sd_free(s);
		return NULL;
	}
	s->win_ms = (int64_t)s->conf.window_s * 1000;
	s->kpi = kpi;
	s->store = store;
	s->last_tick_win = INT64_MIN;
	s->first_full = INT64_MIN;
	s->from_samples = s->conf.window_s < 60;
	if (store) {
		if (sd_store_migrate(store, "sla", sla_migrations,
				     (int)SD_ARRAY_LEN(sla_migrations), err, errsz) < 0)
			goto fail;
		s->up_month = sd_store_prepare(store,
			"INSERT INTO sla_month VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"
			" ON CONFLICT(slice, kpi, month) DO UPDATE SET met = excluded.met,"
			" breached = excluded.breached, nodata = excluded.nodata,"
			" obs_sum = excluded.obs_sum, obs_n = excluded.obs_n");
		s->sel_month = sd_store_prepare(store,
			"SELECT met, breached, nodata, obs_sum, obs_n FROM sla_month"
			" WHERE slice = ?1 AND kpi = ?2 AND month = ?3");
		s->sel_month_all = sd_store_prepare(store,
			"SELECT slice, kpi, met, breached, nodata, obs_sum, obs_n"
			" FROM sla_month WHERE month = ?1");
		s->up_state = sd_store_prepare(store,
			"INSERT INTO sla_state VALUES(?1,?2,?3,?4,?5)"
			" ON CONFLICT(slice, kpi) DO UPDATE SET breached = excluded.breached,"
			" bad = excluded.bad, good = excluded.good");
		s->sel_state = sd_store_prepare(store,
			"SELECT kpi, breached, bad, good FROM sla_state WHERE slice = ?1");
		s->ins_event = sd_store_prepare(store,
			"INSERT INTO sla_event VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT DO NOTHING");
		s->report = sd_store_prepare(store,
			"SELECT slice, kpi, met, breached, nodata, obs_sum, obs_n"
			" FROM sla_month WHERE month = ?1 ORDER BY slice, kpi");
		s->report_one = sd_store_prepare(store,
			"SELECT slice, kpi, met, breached, nodata, obs_sum, obs_n"
			" FROM sla_month WHERE month = ?1 AND slice = ?2 ORDER BY kpi");
		if (!s->up_month || !s->sel_month || !s->sel_month_all || !s->up_state || !s->sel_state ||
		    !s->ins_event || !s->report || !s->report_one) {
			snprintf(err, errsz, "sla: %s", sd_store_errmsg(store));
			goto fail;
		}
	}
	if (kpi) {
		sd_kpi_set_close_hook(kpi, sd_sla_on_kpi_close, s);
		if (s->from_samples)
			sd_kpi_set_sample_hook(kpi, sd_sla_on_kpi_sample, s);
	}
	return s;
fail:
	sd_sla_free(s);
	return NULL;
}

void sd_sla_free(struct sd_sla *s)
{
	if (!s)
		return;
	if (s->kpi)
		sd_kpi_set_close_hook(s->kpi, NULL, NULL);
	for (int i = 0; i < s->nsl; i++)
		sd_sla_inputs_done(&s->sl[i].acc);
	sd_free(s->sl);
	sd_free(s->hash);
	sd_free(s->by_obj);
	sd_free(s->old_months);
	sd_free(s->events);
	sd_free(s->cache);
	sd_free(s);
}

void sd_sla_set_event_hook(struct sd_sla *s, sd_sla_event_fn fn, void *arg)
{
	s->ev_fn = fn;
	s->ev_arg = arg;
}

/* Restore breached state and streaks from the store. */
static void load_state(struct sd_sla *s, struct slice *sl)
{
	if (!s->store)
		return;
	sd_stmt_bind_text(s->sel_state, 1, sl->id);
	while (sd_stmt_step(s->sel_state) == 1) {
		int k = sd_sla_kpi_parse(sd_stmt_text(s->sel_state, 0));
		if (k < 0)
			continue;
		sl->k[k].breached = sd_stmt_int(s->sel_state, 1) != 0;
		sl->k[k].bad = (uint16_t)sd_stmt_int(s->sel_state, 2);
		sl->k[k].good = (uint16_t)sd_stmt_int(s->sel_state, 3);
	}
	sd_stmt_reset(s->sel_state);
}

static void map_obj(struct sd_sla *s, int idx)
{
	if (!s->kpi)
		return;
	int h = sd_kpi_object(s->kpi, SD_KPI_SLICE, s->sl[idx].id);
	if (h < 0)
		return;
	if (h >= s->nby_obj) {
		int n = h + 1024;
		s->by_obj = sd_reallocarray(s->by_obj, (size_t)n, sizeof *s->by_obj);
		for (int i = s->nby_obj; i < n; i++)
			s->by_obj[i] = -1;
		s->nby_obj = n;
	}
	s->by_obj[h] = idx;
}

int sd_sla_set_slice(struct sd_sla *s, const char *slice_id, const char *factory_id,
		     const struct sd_sla_profile *p)
{
	if (!slice_id || !sd_id_valid(slice_id))
		return -1;
	int i = find(s, slice_id);
	if (i < 0) {
		if (s->nsl == s->capsl) {
			s->capsl = s->capsl ? s->capsl * 2 : 64;
			s->sl = sd_reallocarray(s->sl, (size_t)s->capsl, sizeof *s->sl);
		}
		i = s->nsl++;
		struct slice *sl = &s->sl[i];
		memset(sl, 0, sizeof *sl);
		sd_strlcpy(sl->id, slice_id, sizeof sl->id);
		sl->last_win = -1;
		sl->acc_win = -1;
		sd_sla_inputs_init(&sl->acc, -1);
		if ((size_t)s->nsl * 2 > s->hashcap) {
			s->hashcap = s->hashcap ? s->hashcap * 2 : 256;
			sd_free(s->hash);
			s->hash = sd_calloc(s->hashcap, sizeof *s->hash);
			for (int j = 0; j < s->nsl; j++)
				hash_put(s, j);
		} else {
			hash_put(s, i);
		}
		load_state(s, sl);
		map_obj(s, i);
	}
	struct slice *sl = &s->sl[i];
	sd_strlcpy(sl->factory, factory_id ? factory_id : "", sizeof sl->factory);
	sl->p = *p;
	sl->active = true;
	return 0;
}

void sd_sla_remove_slice(struct sd_sla *s, const char *slice_id)
{
	int i = find(s, slice_id);
	if (i >= 0)
		s->sl[i].active = false;
}

void sd_sla_set_model(struct sd_sla *s, const struct sd_model *m)
{
	for (int i = 0; i < s->nsl; i++)
		s->sl[i].active = false;
	for (int i = 0; i < m->nslices; i++) {
		const struct sd_slice *x = &m->slices[i];
		if (x->state != SD_SLICE_ACTIVE)
			continue;
		const char *fac = x->factory >= 0 && x->factory < m->nfactories
				  ? m->factories[x->factory].id : NULL;
		sd_sla_set_slice(s, x->id, fac, &x->sla);
	}
}

static int cmp_mcache(const void *a, const void *b)
{
	const struct mcache *x = a, *y = b;
	if (x->slice != y->slice)
		return x->slice < y->slice ? -1 : 1;
	return (int)x->kpi - (int)y->kpi;
}

static void apply_counts(struct kstate *ks, uint32_t met, uint32_t br, uint32_t nd,
			 double sum, uint32_t n)
{
	ks->met = met;
	ks->breach = br;
	ks->nodata = nd;
	ks->obs_sum = sum;
	ks->obs_n = n;
}

/* Stored counters of month for slice idx: from the month cache (one query
 * for every slice, loaded on first use), or, for a slice added since, by
 * its own query. */
static void load_month(struct sd_sla *s, int idx, const char *month)
{
	struct slice *sl = &s->sl[idx];
	if (strcmp(s->cache_month, month) != 0) {
		s->ncache = 0;
		sd_strlcpy(s->cache_month, month, sizeof s->cache_month);
		s->cache_nsl = s->nsl;
		struct sd_stmt *st = s->sel_month_all;
		sd_stmt_bind_text(st, 1, month);
		while (sd_stmt_step(st) == 1) {
			int i = find(s, sd_stmt_text(st, 0));
			int k = sd_sla_kpi_parse(sd_stmt_text(st, 1));
			if (i < 0 || k < 0)
				continue;
			if (s->ncache == s->capcache) {
				s->capcache = s->capcache ? s->capcache * 2 : 256;
				s->cache = sd_reallocarray(s->cache, s->capcache, sizeof *s->cache);
			}
			s->cache[s->ncache++] = (struct mcache){
				i, (uint8_t)k, (uint32_t)sd_stmt_int(st, 2),
				(uint32_t)sd_stmt_int(st, 3), (uint32_t)sd_stmt_int(st, 4),
				(uint32_t)sd_stmt_int(st, 6), sd_stmt_double(st, 5),
			};
		}
		sd_stmt_reset(st);
		if (s->ncache)
			qsort(s->cache, s->ncache, sizeof *s->cache, cmp_mcache);
	}
	if (idx < s->cache_nsl) {
		for (int k = 0; k < SD_SLA_KPI_COUNT; k++) {
			struct mcache key = { .slice = idx, .kpi = (uint8_t)k };
			const struct mcache *c = s->ncache ? bsearch(&key, s->cache, s->ncache,
					sizeof *s->cache, cmp_mcache) : NULL;
			if (c)
				apply_counts(&sl->k[k], c->met, c->breached, c->nodata,
					     c->obs_sum, c->obs_n);
		}
		return;
	}
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++) {
		sd_stmt_bind_text(s->sel_month, 1, sl->id);
		sd_stmt_bind_text(s->sel_month, 2, kpi_info[k].name);
		sd_stmt_bind_text(s->sel_month, 3, month);
		if (sd_stmt_step(s->sel_month) == 1)
			apply_counts(&sl->k[k], (uint32_t)sd_stmt_int(s->sel_month, 0),
				     (uint32_t)sd_stmt_int(s->sel_month, 1),
				     (uint32_t)sd_stmt_int(s->sel_month, 2),
				     sd_stmt_double(s->sel_month, 3),
				     (uint32_t)sd_stmt_int(s->sel_month, 4));
		sd_stmt_reset(s->sel_month);
	}
}

/* Month counters: switch to the window's month, keeping the finished
 * month for the next flush and loading stored counters of the new one
 * (a restart in the middle of a month continues it). */
static void ensure_month(struct sd_sla *s, struct slice *sl, int64_t start)
{
	char month[8];
	sd_sla_month_of(start, month, sizeof month);
	if (strcmp(month, sl->month) == 0)
		return;
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++) {
		struct kstate *ks = &sl->k[k];
		if (sl->month[0] && ks->month_dirty && s->store) {
			if (s->nold == s->capold) {
				s->capold = s->capold ? s->capold * 2 : 256;
				s->old_months = sd_reallocarray(s->old_months, s->capold,
								sizeof *s->old_months);
			}
			struct old_month *o = &s->old_months[s->nold++];
			memset(o, 0, sizeof *o);
			sd_strlcpy(o->slice, sl->id, sizeof o->slice);
			o->kpi = (uint8_t)k;
			sd_strlcpy(o->month, sl->month, sizeof o->month);
			o->met = ks->met;
			o->breached = ks->breach;
			o->nodata = ks->nodata;
			o->obs_sum = ks->obs_sum;
			o->obs_n = ks->obs_n;
		}
		ks->met = ks->breach = ks->nodata = ks->obs_n = 0;
		ks->obs_sum = 0;
		ks->month_dirty = false;
	}
	memcpy(sl->month, month, sizeof month);
	if (s->store)
		load_month(s, (int)(sl - s->sl), month);
	s->dirty = true;
}

static void queue_event(struct sd_sla *s, int idx, int k, bool breach, int64_t start,
			const struct sd_sla_result *r)
{
	struct slice *sl = &s->sl[idx];
	if (s->ev_fn) {
		struct sd_sla_event ev = {
			.slice = sl->id, .factory = sl->factory, .kpi = (enum sd_sla_kpi)k,
			.breach = breach, .window_start_ms = start,
			.observed = r->observed, .target = r->target,
		};
		s->ev_fn(s->ev_arg, &ev);
	}
	if (!s->store)
		return;
	if (s->nev >= 100000) {    /* the store is failing: keep the newest */
		memmove(s->events, s->events + s->nev / 2,
			(s->nev - s->nev / 2) * sizeof *s->events);
		s->nev -= s->nev / 2;
	}
	if (s->nev == s->capev) {
		s->capev = s->capev ? s->capev * 2 : 64;
		s->events = sd_reallocarray(s->events, s->capev, sizeof *s->events);
	}
	s->events[s->nev++] = (struct pend_event){
		idx, (uint8_t)k, breach, start, r->observed, r->target,
	};
}

/* What of the hysteresis state a restart needs: the breached flag and the
 * streak that can end it (capped at n, beyond which it changes nothing).
 * The state is stored only when this changes, not every window. */
static uint32_t state_key(const struct kstate *ks, unsigned n)
{
	if (ks->breached)
		return 0x10000u | (ks->good < n ? ks->good : n);
	return ks->bad < n ? ks->bad : n;
}

/* Evaluate one window of slice idx and run hysteresis and counters. */
static void evaluate(struct sd_sla *s, int idx, const struct sd_sla_inputs *in)
{
	struct slice *sl = &s->sl[idx];
	struct sd_sla_result res[SD_SLA_KPI_COUNT];
	if (in->start_ms < s->first_full) {
		/* the window the engine started in: part of it went unseen, so
		 * it is not judged at all (not even no-data) */
		sl->last_win = in->start_ms;
		return;
	}
	sd_sla_evaluate(&sl->p, in, s->conf.rate_tolerance_pct, res);
	ensure_month(s, sl, in->start_ms);
	sl->last_win = in->start_ms;
	s->dirty = true;
	unsigned n = (unsigned)s->conf.hysteresis;
	if (!sl->dirty) {
		sl->dirty = true;
		s->ndirty++;
	}
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++) {
		struct kstate *ks = &sl->k[k];
		const struct sd_sla_result *r = &res[k];
		uint32_t key0 = state_key(ks, n);
		ks->last = *r;
		switch (r->verdict) {
		case SD_SLA_NA:
			continue;
		case SD_SLA_NODATA:
			ks->nodata++;
			ks->month_dirty = true;
			continue;
		case SD_SLA_MET:
			ks->met++;
			if (ks->good < UINT16_MAX)
				ks->good++;
			ks->bad = 0;
			if (ks->breached && ks->good >= n) {
				ks->breached = false;
				queue_event(s, idx, k, false, in->start_ms, r);
			}
			break;
		case SD_SLA_BREACHED:
			ks->breach++;
			if (ks->bad < UINT16_MAX)
				ks->bad++;
			ks->good = 0;
			if (!ks->breached && ks->bad >= n) {
				ks->breached = true;
				queue_event(s, idx, k, true, in->start_ms, r);
			}
			break;
		}
		ks->obs_sum += r->observed;
		ks->obs_n++;
		ks->month_dirty = true;
		if (state_key(ks, n) != key0)
			ks->state_dirty = true;
	}
}

/* The open window's inputs of the slice behind KPI object obj for data at
 * t_ms (a bucket's start or a sample's time); a later window judges the
 * open one first. NULL when the object is no active slice or the data
 * belongs to a window already judged. */
static struct sd_sla_inputs *window_inputs(struct sd_sla *s, int obj, int64_t t_ms)
{
	if (obj < 0 || obj >= s->nby_obj)
		return NULL;
	int idx = s->by_obj[obj];
	if (idx < 0 || !s->sl[idx].active)
		return NULL;
	struct slice *sl = &s->sl[idx];
	int64_t w = t_ms - (t_ms % s->win_ms + s->win_ms) % s->win_ms;
	if (w <= sl->last_win)
		return NULL;             /* that window was already judged */
	if (sl->acc_win != w) {
		if (sl->acc_win >= 0 && sl->acc_win < w)
			evaluate(s, idx, &sl->acc);
		else if (sl->acc_win > w)
			return NULL;     /* older than the open window */
		inputs_reset(&sl->acc, w);
		sl->acc_win = w;
	}
	return &sl->acc;
}

void sd_sla_on_kpi_close(void *arg, int obj, enum sd_kpi_metric m,
			 const struct sd_kpi_agg *agg, const struct sd_sketch *sk)
{
	struct sd_sla *s = arg;
	struct sd_sla_inputs *in;
	if (agg->level != SD_KPI_1MIN || s->from_samples)
		return;
	in = window_inputs(s, obj, agg->start_ms);
	if (in)
		sd_sla_inputs_add_agg(in, m, agg, sk);
}

void sd_sla_on_kpi_sample(void *arg, int obj, enum sd_kpi_metric m, int64_t t_ms, double v)
{
	struct sd_sla *s = arg;
	struct sd_sla_inputs *in = window_inputs(s, obj, t_ms);
	if (in)
		sd_sla_inputs_add(in, m, v);
}

void sd_sla_set_start(struct sd_sla *s, int64_t now_ms)
{
	int64_t w = now_ms - (now_ms % s->win_ms + s->win_ms) % s->win_ms;
	s->first_full = w == now_ms ? w : w + s->win_ms;
}

int sd_sla_window_s(const struct sd_sla *s) { return s->conf.window_s; }

void sd_sla_tick(struct sd_sla *s, int64_t now_ms)
{
	int64_t cur = now_ms - (now_ms % s->win_ms + s->win_ms) % s->win_ms;
	if (cur == s->last_tick_win)
		return;
	int64_t prev = s->last_tick_win;
	s->last_tick_win = cur;
	/* windows that ended: [prev, cur) step win_ms; at start only the last
	 * one (cur - win) is judged for slices without accumulated data */
	for (int i = 0; i < s->nsl; i++) {
		struct slice *sl = &s->sl[i];
		if (!sl->active)
			continue;
		if (sl->acc_win >= 0 && sl->acc_win < cur) {
			evaluate(s, i, &sl->acc);
			inputs_reset(&sl->acc, -1);
			sl->acc_win = -1;
		}
		/* no-data windows since the last judged one (bounded: an engine
		 * that slept a month judges at most one month of windows) */
		int64_t from = sl->last_win >= 0 ? sl->last_win + s->win_ms
			       : (prev == INT64_MIN ? cur : prev);
		int64_t limit = cur - 31LL * 86400000;
		if (from < limit)
			from = limit - (limit % s->win_ms);
		for (int64_t w = from; w < cur; w += s->win_ms) {
			struct sd_sla_inputs empty;
			sd_sla_inputs_init(&empty, w);
			evaluate(s, i, &empty);
			sd_sla_inputs_done(&empty);
		}
	}
}

int sd_sla_feed_window(struct sd_sla *s, const char *slice_id,
		       const struct sd_sla_inputs *in)
{
	int i = find(s, slice_id);
	if (i < 0 || !s->sl[i].active || in->start_ms % s->win_ms != 0 ||
	    in->start_ms <= s->sl[i].last_win)
		return -1;
	evaluate(s, i, in);
	return 0;
}

static int put_month(struct sd_sla *s, const char *slice, int k, const char *month,
		     uint32_t met, uint32_t br, uint32_t nd, double sum, uint32_t n)
{
	struct sd_stmt *st = s->up_month;
	sd_stmt_bind_text(st, 1, slice);
	sd_stmt_bind_text(st, 2, kpi_info[k].name);
	sd_stmt_bind_text(st, 3, month);
	sd_stmt_bind_int(st, 4, met);
	sd_stmt_bind_int(st, 5, br);
	sd_stmt_bind_int(st, 6, nd);
	sd_stmt_bind_double(st, 7, sum);
	sd_stmt_bind_int(st, 8, n);
	return sd_stmt_run(st);
}

int sd_sla_flush(struct sd_sla *s)
{
	if (!s->store || !s->dirty)
		return 0;
	int written[FLUSH_SLICES];
	int done = 0, i = s->cursor < s->nsl ? s->cursor : 0;
	if (sd_store_write_begin(s->store) < 0)
		goto fail;
	for (size_t j = 0; j < s->nold; j++) {
		struct old_month *o = &s->old_months[j];
		if (put_month(s, o->slice, o->kpi, o->month, o->met, o->breached,
			      o->nodata, o->obs_sum, o->obs_n) < 0)
			goto fail_txn;
	}
	/* up to FLUSH_SLICES dirty slices, round robin from the cursor */
	for (int step = 0; step < s->nsl && done < FLUSH_SLICES && done < s->ndirty;
	     step++, i = (i + 1) % s->nsl) {
		struct slice *sl = &s->sl[i];
		if (!sl->dirty)
			continue;
		written[done++] = i;
		for (int k = 0; k < SD_SLA_KPI_COUNT; k++) {
			struct kstate *ks = &sl->k[k];
			if (ks->month_dirty &&
			    put_month(s, sl->id, k, sl->month, ks->met, ks->breach,
				      ks->nodata, ks->obs_sum, ks->obs_n) < 0)
				goto fail_txn;
			if (ks->state_dirty) {
				struct sd_stmt *st = s->up_state;
				sd_stmt_bind_text(st, 1, sl->id);
				sd_stmt_bind_text(st, 2, kpi_info[k].name);
				sd_stmt_bind_int(st, 3, ks->breached);
				sd_stmt_bind_int(st, 4, ks->bad);
				sd_stmt_bind_int(st, 5, ks->good);
				if (sd_stmt_run(st) < 0)
					goto fail_txn;
			}
		}
	}
	for (size_t j = 0; j < s->nev; j++) {
		struct pend_event *e = &s->events[j];
		struct sd_stmt *st = s->ins_event;
		sd_stmt_bind_text(st, 1, s->sl[e->slice].id);
		sd_stmt_bind_text(st, 2, kpi_info[e->kpi].name);
		sd_stmt_bind_text(st, 3, e->breach ? "breach" : "recovery");
		sd_stmt_bind_int(st, 4, e->start);
		sd_stmt_bind_double(st, 5, e->observed);
		sd_stmt_bind_double(st, 6, e->target);
		if (sd_stmt_run(st) < 0)
			goto fail_txn;
	}
	if (sd_store_write_end(s->store, true) < 0)
		goto fail;
	s->nold = 0;
	s->nev = 0;
	for (int w = 0; w < done; w++) {
		struct slice *sl = &s->sl[written[w]];
		sl->dirty = false;
		s->ndirty--;
		for (int k = 0; k < SD_SLA_KPI_COUNT; k++)
			sl->k[k].month_dirty = sl->k[k].state_dirty = false;
	}
	s->cursor = i;
	s->dirty = s->ndirty > 0;
	return 0;
fail_txn:
	sd_store_write_end(s->store, false);
fail:
	sd_warn("sla: persisting compliance: %s (kept for the next flush)",
		sd_store_errmsg(s->store));
	return -1;
}

int sd_sla_flush_all(struct sd_sla *s)
{
	do {
		if (sd_sla_flush(s) < 0)
			return -1;
	} while (s->dirty);
	return 0;
}

int sd_sla_last(const struct sd_sla *s, const char *slice_id,
		struct sd_sla_result out[SD_SLA_KPI_COUNT], int64_t *start_ms)
{
	int i = find(s, slice_id);
	if (i < 0 || s->sl[i].last_win < 0)
		return -1;
	for (int k = 0; k < SD_SLA_KPI_COUNT; k++)
		out[k] = s->sl[i].k[k].last;
	if (start_ms)
		*start_ms = s->sl[i].last_win;
	return 0;
}

bool sd_sla_is_breached(const struct sd_sla *s, const char *slice_id, enum sd_sla_kpi k)
{
	int i = find(s, slice_id);
	return i >= 0 && (unsigned)k < SD_SLA_KPI_COUNT && s->sl[i].k[k].breached;
}

static void fill_month(struct sd_sla_month *o, const char *slice, int k, const char *month,
		       uint32_t met, uint32_t br, uint32_t nd, double sum, uint32_t n)
{
	memset(o, 0, sizeof *o);
	sd_strlcpy(o->slice, slice, sizeof o->slice);
	o->kpi = (enum sd_sla_kpi)k;
	sd_strlcpy(o->month, month, sizeof o->month);
	o->met = met;
	o->breached = br;
	o->nodata = nd;
	o->compliance_pct = met + br ? 100.0 * met / (met + br) : NAN;
	o->observed_avg = n ? sum / n : NAN;
}

int sd_sla_compliance(struct sd_sla *s, const char *slice_id, enum sd_sla_kpi k,
		      const char *month, struct sd_sla_month *out)
{
	if ((unsigned)k >= SD_SLA_KPI_COUNT || !month)
		return -1;
	int i = find(s, slice_id);
	if (i >= 0 && strcmp(s->sl[i].month, month) == 0) {
		const struct kstate *ks = &s->sl[i].k[k];
		if (ks->met + ks->breach + ks->nodata == 0)
			return -1;
		fill_month(out, slice_id, k, month, ks->met, ks->breach, ks->nodata,
			   ks->obs_sum, ks->obs_n);
		return 0;
	}
	if (!s->store)
		return -1;
	sd_sla_flush_all(s);
	int rc = -1;
	sd_stmt_bind_text(s->sel_month, 1, slice_id);
	sd_stmt_bind_text(s->sel_month, 2, kpi_info[k].name);
	sd_stmt_bind_text(s->sel_month, 3, month);
	if (sd_stmt_step(s->sel_month) == 1) {
		fill_month(out, slice_id, k, month,
			   (uint32_t)sd_stmt_int(s->sel_month, 0),
			   (uint32_t)sd_stmt_int(s->sel_month, 1),
			   (uint32_t)sd_stmt_int(s->sel_month, 2),
			   sd_stmt_double(s->sel_month, 3),
			   (uint32_t)sd_stmt_int(s->sel_month, 4));
		rc = 0;
	}
	sd_stmt_reset(s->sel_month);
	return rc;
}

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *sd_sla_month_to_json(const struct sd_sla_month *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "slice", json_string(m->slice));
	json_object_set_new(o, "kpi", json_string(sd_sla_kpi_name(m->kpi)));
	json_object_set_new(o, "unit", json_string(sd_sla_kpi_unit(m->kpi)));
	json_object_set_new(o, "month", json_string(m->month));
	json_object_set_new(o, "met", json_integer(m->met));
	json_object_set_new(o, "breached", json_integer(m->breached));
	json_object_set_new(o, "no_data", json_integer(m->nodata));
	json_object_set_new(o, "compliance_pct", num_or_null(m->compliance_pct));
	json_object_set_new(o, "observed_avg", num_or_null(m->observed_avg));
	return o;
}

json_t *sd_sla_last_to_json(const struct sd_sla *s, const char *slice_id)
{
	struct sd_sla_result r[SD_SLA_KPI_COUNT];
	int64_t start;
	if (sd_sla_last(s, slice_id, r, &start) < 0)
		return json_null();
	char buf[40];
	sd_fmt_time(start, buf, sizeof buf);
	json_t *o = json_object(), *k = json_object();
	json_object_set_new(o, "window_start", json_string(buf));
	for (int i = 0; i < SD_SLA_KPI_COUNT; i++) {
		if (r[i].verdict == SD_SLA_NA)
			continue;
		json_t *v = json_object();
		json_object_set_new(v, "verdict", json_string(sd_sla_verdict_name(r[i].verdict)));
		json_object_set_new(v, "observed", num_or_null(r[i].observed));
		json_object_set_new(v, "target", num_or_null(r[i].target));
		json_object_set_new(v, "unit", json_string(sd_sla_kpi_unit(i)));
		json_object_set_new(v, "breached", json_boolean(sd_sla_is_breached(s, slice_id, i)));
		json_object_set_new(k, sd_sla_kpi_name(i), v);
	}
	json_object_set_new(o, "kpis", k);
	return o;
}

long sd_sla_report(struct sd_sla *s, const char *month, const char *slice_id,
		   sd_sla_month_fn fn, void *arg)
{
	if (!s->store || !month)
		return -1;
	if (sd_sla_flush_all(s) < 0)
		return -1;
	struct sd_stmt *st = slice_id ? s->report_one : s->report;
	sd_stmt_bind_text(st, 1, month);
	if (slice_id)
		sd_stmt_bind_text(st, 2, slice_id);
	long n = 0;
	int rc;
	while ((rc = sd_stmt_step(st)) == 1) {
		int k = sd_sla_kpi_parse(sd_stmt_text(st, 1));
		if (k < 0)
			continue;
		struct sd_sla_month row;
		fill_month(&row, sd_stmt_text(st, 0), k, month,
			   (uint32_t)sd_stmt_int(st, 2), (uint32_t)sd_stmt_int(st, 3),
			   (uint32_t)sd_stmt_int(st, 4), sd_stmt_double(st, 5),
			   (uint32_t)sd_stmt_int(st, 6));
		fn(arg, &row);
		n++;
	}
	sd_stmt_reset(st);
	return rc < 0 ? -1 : n;
}
