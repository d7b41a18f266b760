/* monitor/pipeline.c — see pipeline.h. */
#include "monitor/pipeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/store.h"
#include "core/util.h"
#include "monitor/alarm_policy.h"
#include "monitor/nfwatch.h"
#include "monitor/pathloss.h"

#define TICK_MS 1000
#define NRF_OBJECT "nf=NRF"
#define NRF_PROBLEM "nrf-unreachable"
/* Coverage prediction per tick, in square x cell evaluations (about
 * 20-40 ns each on the build machine, path-loss tables included): a
 * site whose inputs changed waits for a tick with room. */
#define PREDICT_BUDGET 2000000L
/* A cell is taken for down after this many complete radio reports in a
 * row that leave it out. */
#define SILENT_DOWN 2
/* Smoothing of a cell's reported RSRP for its calibration (weight of a
 * new report), and the drift of the offset that calls for a new
 * prediction (dB). */
#define CAL_WEIGHT 0.3
#define CAL_DRIFT_DB 1.0

/* What coverage knows of a cell's radio from its own reports. */
struct cell_rad {
	char id[SD_ID_MAX];
	double rsrp;             /* smoothed reported RSRP, dBm; NaN: none yet */
	int silent;              /* complete reports in a row without it */
	bool down;               /* taken off the prediction */
	double offset_used;      /* calibration in the current prediction */
};

struct sd_pipeline {
	struct sd_loop *loop;
	struct sd_host host;
	struct sd_store *store;       /* the engine's */
	int bus_sub;
	struct sd_kpi *kpi;
	struct sd_sla *sla;
	struct sd_alarms *alarms;
	struct sd_cov_store *covdb;   /* imported coverage samples */
	uint64_t timer;
	bool ops_registered;
	struct sd_sla_usable usable;  /* which S-NSSAIs the NFs serve, per tick */
	struct sd_nfwatch *nfw;       /* NF lost, slices without a needed NF */
	const struct sd_collect *collect;   /* the collectors' sources, or NULL */
	bool nrf_alarm;               /* the NRF outage alarm is raised */
	/* coverage per site, made on first use; kept across reloads by id */
	struct cov_entry {
		char site[SD_ID_MAX];
		struct sd_cov_site *cs;
		bool dirty;          /* its prediction's inputs may have changed */
		uint64_t inputs;     /* hash of the last prediction's inputs */
	} *cov;
	int ncov;
	int *cov_of_site;        /* model site index -> cov index or -1 */
	int ncov_of_site;
	struct cell_rad *rad;    /* per model cell, by index */
	int nrad;
	int predict_next;        /* round-robin start over the sites */
	long predict_work;       /* evaluations so far (bench, logs) */
};

static void rad_sync(struct sd_pipeline *p);
static void cov_sync(struct sd_pipeline *p);
static void predict_due(struct sd_pipeline *p, int64_t now);

static const struct sd_config *config(struct sd_pipeline *p) { return sd_host_config(&p->host); }
static struct sd_model *model(struct sd_pipeline *p) { return sd_host_model(&p->host); }
struct sd_model *sd_pipeline_model(struct sd_pipeline *p) { return model(p); }

/* SLA breach and recovery become alarms (X.733 quality-of-service). */
static void on_sla_event(void *arg, const struct sd_sla_event *ev)
{
	struct sd_pipeline *p = arg;
	const char *name = sd_sla_kpi_name(ev->kpi);
	char obs[32], tgt[32];
	sd_notice("SLA %s: slice %s (%s) %s: observed %s %s, target %s",
		  ev->breach ? "breach" : "recovery", ev->slice, ev->factory ? ev->factory : "-",
		  name, sd_fmt_sig(ev->observed, obs, sizeof obs), sd_sla_kpi_unit(ev->kpi),
		  sd_fmt_sig(ev->target, tgt, sizeof tgt));
	{
		const struct sd_model *m = model(p);
		int si = sd_model_slice_index(m, ev->slice);
		int fi = ev->factory ? sd_model_factory_index(m, ev->factory) : -1;
		char sn[SD_SNSSAI_STRLEN];
		struct sd_alarm_sla_in in = {
			.slice = ev->slice, .factory = ev->factory,
			.grade = fi >= 0 ? m->factories[fi].security_grade : 0,
			.snssai = si >= 0 ? sd_snssai_format(&m->slices[si].snssai, sn, sizeof sn) : NULL,
			.kpi = name, .breach = ev->breach, .observed = ev->observed,
			.target = ev->target, .unit = sd_sla_kpi_unit(ev->kpi),
		};
		sd_alarm_sla_ex(p->alarms, &in, sd_wall_ms());
	}
}

/* Each alarm notification changes that alarm in the alarms topic. */
static void on_alarm(void *arg, enum sd_alarm_notif kind, const struct sd_alarm *a)
{
	struct sd_pipeline *p = arg;
	char id[24];
	snprintf(id, sizeof id, "%llu", (unsigned long long)a->id);
	sd_bus_model_changed(p->host.bus, SD_TOPIC_ALARMS, id, kind == SD_ALARM_CLEARED);
}

/* Measurements from the collectors (and, later, plugins). */
static void on_bus(const struct sd_bus_event *ev, void *arg)
{
	struct sd_pipeline *p = arg;
	const struct sd_bus_sample *s = &ev->u.sample;
	const struct sd_model *m = model(p);
	if (ev->kind != SD_BUS_SAMPLE)
		return;
	if (s->cell_index >= 0) {
		if (s->cell_index < m->ncells)
			sd_pipeline_cell_sample(p, &m->cells[s->cell_index], s->value, s->value2);
		return;
	}
	sd_kpi_add_id(p->kpi, SD_KPI_SLICE, s->slice, (enum sd_kpi_metric)s->metric,
		      s->time_ms ? s->time_ms : sd_wall_ms(), s->value);
}

/* An NRF that does not answer is its own alarm: nothing about the core
 * is known while it lasts (the NF rows are stale, availability is
 * no-data), and a total core outage raises exactly this. */
static void nrf_outage(struct sd_pipeline *p, int64_t now)
{
	struct sd_collect_source src;
	char text[SD_ALARM_TEXT_MAX], since[40];
	bool down;
	if (!p->collect || sd_collect_sources(p->collect, &src, 1) < 1)
		return;
	down = src.found && src.down_since_ms > 0;
	if (!down) {
		if (p->nrf_alarm) {
			snprintf(text, sizeof text, "NRF %s answers again", src.where);
			sd_alarm_clear(p->alarms, NRF_OBJECT, SD_CAUSE_COMMS_FAILURE, NRF_PROBLEM, text,
				       now);
			p->nrf_alarm = false;
		}
		return;
	}
	sd_fmt_time(src.down_since_ms, since, sizeof since);
	snprintf(text, sizeof text, "NRF %s: NF inventory unknown since %s: %s", src.where, since,
		 src.last_err);
	{
		struct sd_alarm_spec spec = {
			.object = NRF_OBJECT, .type = SD_ALARM_COMMUNICATIONS,
			.cause = SD_CAUSE_COMMS_FAILURE,
			.severity = sd_alarm_policy_severity(SD_CAUSE_COMMS_FAILURE, "nf", "NRF", 0),
			.problem = NRF_PROBLEM, .text = text,
			.object_kind = "nf", .object_id = "NRF",
		};
		/* the text stays as first raised: the same key again changes nothing */
		if (!p->nrf_alarm && sd_alarm_raise(p->alarms, &spec, now) > 0)
			p->nrf_alarm = true;
	}
}

/* Once a second: the model's state as samples and alarms, then the KPI
 * store's and the evaluator's clocks. */
static void on_tick(struct sd_loop *loop, uint64_t id, void *arg)
{
	struct sd_pipeline *p = arg;
	struct sd_model *m = model(p);
	int64_t now = sd_wall_ms();
	int i;

	p->timer = sd_loop_timer_add(loop, TICK_MS, on_tick, p);
	sd_sla_usable_build(&p->usable, m);   /* once, not per slice */
	sd_nfwatch_tick(p->nfw, m, &p->usable, now);
	nrf_outage(p, now);
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		double usable;
		if (s->state != SD_SLICE_ACTIVE)
			continue;
		usable = sd_sla_usable_pct_with(&p->usable, s);
		if (usable >= 0)
			sd_kpi_add_id(p->kpi, SD_KPI_SLICE, s->id, SD_KPI_AVAILABILITY, now, usable);
	}
	/* an NF we only know from a stale inventory is not judged, nor one
	 * whose nfStatus is a value we do not know (collect.c logs it) */
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		if (!nf->stale && nf->status != SD_NF_STATUS_OTHER)
			sd_alarm_nf(p->alarms, nf->id, nf->type, nf->name, nf->reachable, now);
	}
	predict_due(p, now);
	sd_kpi_tick(p->kpi, now);
	sd_kpi_flush(p->kpi);
	sd_sla_tick(p->sla, now);
	sd_sla_flush(p->sla);
}

struct sd_pipeline *sd_pipeline_new(const struct sd_host *host, char *err, size_t errsz)
{
	struct sd_pipeline *p = sd_calloc(1, sizeof *p);
	const struct sd_config *cfg;
	struct sd_kpi_conf kc;
	struct sd_sla_conf sc;
	struct sd_alarm_conf ac;

	p->loop = host->loop;
	p->host = *host;
	sd_sla_usable_init(&p->usable);
	cfg = config(p);
	p->store = host->store;
	if (!p->store) {
		snprintf(err, errsz, "no store");
		goto fail;
	}
	sd_kpi_conf_from(&kc, sd_monitor_conf_get(cfg));
	sd_sla_conf_from(&sc, sd_monitor_conf_get(cfg));
	sd_alarm_conf_default(&ac);
	p->kpi = sd_kpi_new(&kc, p->store, err, errsz);
	if (!p->kpi)
		goto fail;
	p->sla = sd_sla_new(&sc, p->kpi, p->store, err, errsz);
	if (!p->sla)
		goto fail;
	/* the window running now is partial: judging starts with the next */
	sd_sla_set_start(p->sla, sd_wall_ms());
	p->alarms = sd_alarms_new(&ac, p->store, err, errsz);
	if (!p->alarms)
		goto fail;
	p->covdb = sd_cov_store_new(p->store, 0, err, errsz);
	if (!p->covdb)
		goto fail;
	p->nfw = sd_nfwatch_new(p->alarms);
	sd_sla_set_event_hook(p->sla, on_sla_event, p);
	if (sd_alarms_add_sink(p->alarms, "ipc", on_alarm, p, NULL) < 0) {
		snprintf(err, errsz, "cannot attach the IPC alarm sink");
		goto fail;
	}
	sd_alarms_set_bus(p->alarms, host->bus);
	sd_sla_set_model(p->sla, model(p));
	rad_sync(p);
	cov_sync(p);
	if (sd_pipeline_register_ipc(p, host->ops) < 0) {
		snprintf(err, errsz, "the monitoring ops clash with registered ones");
		goto fail;
	}
	p->ops_registered = true;
	p->bus_sub = sd_bus_subscribe(host->bus, SD_BUS_BIT(SD_BUS_SAMPLE), on_bus, p);
	p->timer = sd_loop_timer_add(p->loop, TICK_MS, on_tick, p);
	sd_info("monitoring: SLA windows of %d s, hysteresis %d; %d active alarms from the store",
		sc.window_s, sc.hysteresis, sd_alarms_active_count(p->alarms));
	return p;
fail:
	sd_pipeline_free(p);
	return NULL;
}

int sd_pipeline_sla_window_s(const struct sd_pipeline *p) { return sd_sla_window_s(p->sla); }

void sd_pipeline_reload(struct sd_pipeline *p)
{
	sd_sla_set_model(p->sla, model(p));
	rad_sync(p);
	cov_sync(p);
}

void sd_pipeline_sample(struct sd_pipeline *p, const char *slice_id,
			enum sd_kpi_metric m, double value)
{
	sd_kpi_add_id(p->kpi, SD_KPI_SLICE, slice_id, m, sd_wall_ms(), value);
}

/* ---- coverage: calibration, cells on and off the air, prediction ---- */

/* The per-cell radio state follows the model's cells by id. */
static void rad_sync(struct sd_pipeline *p)
{
	const struct sd_model *m = model(p);
	struct cell_rad *old = p->rad;
	int nold = p->nrad, i, k;

	p->rad = sd_calloc((size_t)m->ncells + 1, sizeof *p->rad);
	p->nrad = m->ncells;
	for (k = 0; k < m->ncells; k++) {
		sd_strlcpy(p->rad[k].id, m->cells[k].id, sizeof p->rad[k].id);
		p->rad[k].rsrp = NAN;
	}
	for (i = 0; i < nold; i++)
		if ((k = sd_model_cell_index(m, old[i].id)) >= 0)
			p->rad[k] = old[i];
	free(old);
}

/* cov_of_site follows the model's sites by id; every entry is looked at
 * again (its inputs may have changed with the configuration). */
static void cov_sync(struct sd_pipeline *p)
{
	const struct sd_model *m = model(p);
	int i, s;
	free(p->cov_of_site);
	p->cov_of_site = sd_malloc(((size_t)m->nsites + 1) * sizeof *p->cov_of_site);
	p->ncov_of_site = m->nsites;
	for (s = 0; s < m->nsites; s++)
		p->cov_of_site[s] = -1;
	for (i = 0; i < p->ncov; i++) {
		p->cov[i].dirty = true;
		if ((s = sd_model_site_index(m, p->cov[i].site)) >= 0)
			p->cov_of_site[s] = i;
	}
}

static struct cov_entry *cov_entry(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_model *m = model(p);
	int si = (int)(site - m->sites), i;
	if (si >= 0 && si < p->ncov_of_site && si < m->nsites) {
		if (p->cov_of_site[si] < 0 && sd_pipeline_coverage(p, site))
			p->cov_of_site[si] = p->ncov - 1;
		return p->cov_of_site[si] >= 0 ? &p->cov[p->cov_of_site[si]] : NULL;
	}
	for (i = 0; i < p->ncov; i++)      /* a site from elsewhere (tests) */
		if (strcmp(p->cov[i].site, site->id) == 0)
			return &p->cov[i];
	return sd_pipeline_coverage(p, site) ? &p->cov[p->ncov - 1] : NULL;
}

/* The offset that makes the cell's prediction SD_COV_CAL_DISTANCE_M from
 * its antenna equal what it reports (0 before its first report). */
static double cal_offset(const struct sd_cov_env *env, const struct sd_cov_tx *t,
			 const struct cell_rad *r)
{
	double off;
	if (isnan(r->rsrp))
		return 0;
	off = r->rsrp - sd_cov_tx_rsrp_at(env, t, SD_COV_CAL_DISTANCE_M);
	return fmax(-SD_COV_MAX_OFFSET_DB, fmin(SD_COV_MAX_OFFSET_DB, off));
}

void sd_pipeline_coverage_judge(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_model *m = model(p);
	struct sd_cov_site *cs = sd_pipeline_coverage(p, site);
	struct sd_cov_report rep;
	struct sd_cov_conf cc;

	if (!cs || site->factory < 0 || site->factory >= m->nfactories)
		return;
	sd_cov_site_report(cs, &rep);
	sd_cov_conf_from(&cc, sd_monitor_conf_get(config(p)));
	if (!isnan(rep.judged_pct))
		sd_alarm_coverage_ex(p->alarms, site->id, m->factories[site->factory].id,
				     m->factories[site->factory].security_grade,
				     rep.judged_pct, cc.target_pct, sd_wall_ms());
}

/* Predicts one site from its cells' configuration and radio state, unless
 * nothing it depends on changed since the last time. Returns the work. */
static long predict_site(struct sd_pipeline *p, int si, struct cov_entry *e, int64_t now)
{
	const struct sd_model *m = model(p);
	const struct sd_site *site = &m->sites[si];
	const int *cells;
	int nc = sd_model_site_cells(m, si, &cells), k;
	struct sd_cov_env env;
	struct sd_cov_tx *tx;
	uint64_t h = 1469598103934665603ULL;
	long work;

	e->dirty = false;
	if (nc < 0)
		nc = 0;
	memset(&env, 0, sizeof env);
	sd_cov_env_from_site(&env, site);
	tx = sd_calloc((size_t)nc + 1, sizeof *tx);
	for (k = 0; k < nc; k++) {
		struct cell_rad *r = cells[k] < p->nrad ? &p->rad[cells[k]] : NULL;
		sd_cov_tx_from_cell(&tx[k], &m->cells[cells[k]]);
		if (r) {
			tx[k].down = r->down;
			tx[k].offset_db = r->offset_used = cal_offset(&env, &tx[k], r);
		}
	}
	/* FNV-1a over what the prediction reads (the structs are zeroed first) */
	for (const unsigned char *b = (const void *)&env; b < (const unsigned char *)(&env + 1); b++)
		h = (h ^ *b) * 1099511628211ULL;
	for (const unsigned char *b = (const void *)tx; b < (const unsigned char *)(tx + nc); b++)
		h = (h ^ *b) * 1099511628211ULL;
	if (h == e->inputs && sd_cov_site_predicted(e->cs)) {
		free(tx);
		return nc;
	}
	e->inputs = h;
	work = nc ? sd_cov_site_predict(e->cs, &env, tx, nc, now) : 0;
	free(tx);
	p->predict_work += work;
	if (nc)
		sd_pipeline_coverage_judge(p, site);
	return work + nc;
}

void sd_pipeline_coverage_fresh(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_model *m = model(p);
	int si = (int)(site - m->sites);
	struct cov_entry *e;
	if (si < 0 || si >= m->nsites)
		return;
	if (p->nrad != m->ncells)
		rad_sync(p);
	e = cov_entry(p, site);
	if (e && e->dirty)
		predict_site(p, si, e, sd_wall_ms());
}

/* Sites whose prediction is due, round robin, within the tick's budget. */
static void predict_due(struct sd_pipeline *p, int64_t now)
{
	const struct sd_model *m = model(p);
	long spent = 0;
	int step, ns = m->nsites < p->ncov_of_site ? m->nsites : p->ncov_of_site;

	if (ns <= 0)
		return;
	if (p->nrad != m->ncells)
		rad_sync(p);
	for (step = 0; step < ns && spent < PREDICT_BUDGET; step++) {
		int si = (p->predict_next + step) % ns;
		struct cov_entry *e = cov_entry(p, &m->sites[si]);
		if (e && e->dirty)
			spent += predict_site(p, si, e, now);
	}
	p->predict_next = (p->predict_next + step) % ns;
}

void sd_pipeline_cell_sample(struct sd_pipeline *p, const struct sd_cell *cell,
			     double rsrp, double sinr)
{
	const struct sd_model *m = model(p);
	const struct sd_site *site;
	struct cov_entry *e;
	struct cell_rad *r;
	int64_t now = sd_wall_ms();
	int ci = (int)(cell - m->cells);

	if (cell->site < 0 || cell->site >= m->nsites)
		return;
	site = &m->sites[cell->site];
	e = cov_entry(p, site);
	if (p->nrad != m->ncells)
		rad_sync(p);
	r = ci >= 0 && ci < p->nrad ? &p->rad[ci] : NULL;
	if (isnan(rsrp) || isnan(sinr)) {
		/* left out of a complete radio report */
		if (r && ++r->silent >= SILENT_DOWN && !r->down) {
			r->down = true;
			if (e)
				e->dirty = true;
			sd_notice("coverage: cell %s is missing from %d radio reports in a row: "
				  "predicted as off the air", cell->id, r->silent);
		}
		return;
	}
	sd_kpi_add_id(p->kpi, SD_KPI_CELL, cell->id, SD_KPI_RSRP, now, rsrp);
	sd_kpi_add_id(p->kpi, SD_KPI_CELL, cell->id, SD_KPI_SINR, now, sinr);
	if (e)
		sd_cov_site_add_cell(e->cs, cell, now, rsrp, sinr);
	if (!r)
		return;
	r->silent = 0;
	if (r->down) {
		r->down = false;
		if (e)
			e->dirty = true;
		sd_notice("coverage: cell %s reports again: back in the prediction", cell->id);
	}
	r->rsrp = isnan(r->rsrp) ? rsrp : r->rsrp + CAL_WEIGHT * (rsrp - r->rsrp);
	if (e && !e->dirty) {
		struct sd_cov_env env;
		struct sd_cov_tx t;
		sd_cov_env_from_site(&env, site);
		sd_cov_tx_from_cell(&t, cell);
		if (fabs(cal_offset(&env, &t, r) - r->offset_used) >= CAL_DRIFT_DB)
			e->dirty = true;
	}
}

json_t *sd_pipeline_coverage_cells(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_model *m = model(p);
	int si = (int)(site - m->sites), nc, k;
	const int *cells;
	json_t *a = json_array();
	struct sd_cov_env env;

	if (si < 0 || si >= m->nsites)
		return a;
	if (p->nrad != m->ncells)
		rad_sync(p);
	sd_cov_env_from_site(&env, site);
	nc = sd_model_site_cells(m, si, &cells);
	for (k = 0; k < nc; k++) {
		const struct cell_rad *r = &p->rad[cells[k]];
		struct sd_cov_tx t;
		sd_cov_tx_from_cell(&t, &m->cells[cells[k]]);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:o, s:f}",
			"cell", r->id, "model", sd_pl_model_name((enum sd_pl_model)sd_cov_tx_model(&env, &t)),
			"down", r->down, "reported_rsrp_dbm", isnan(r->rsrp) ? json_null() : json_real(r->rsrp),
			"offset_db", r->offset_used));
	}
	return a;
}

struct sd_alarms *sd_pipeline_alarms(struct sd_pipeline *p) { return p->alarms; }

static void cov_load_one(void *arg, const struct sd_cov_sample *s)
{
	sd_cov_site_add(arg, s);
}

struct sd_cov_site *sd_pipeline_coverage(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_config *cfg = config(p);
	const struct sd_model *m = model(p);
	struct sd_cov_conf cc;
	int i, si = (int)(site - m->sites);
	if (si >= 0 && si < p->ncov_of_site && si < m->nsites && p->cov_of_site[si] >= 0)
		return p->cov[p->cov_of_site[si]].cs;
	for (i = 0; i < p->ncov; i++)
		if (strcmp(p->cov[i].site, site->id) == 0)
			return p->cov[i].cs;
	sd_cov_conf_from(&cc, sd_monitor_conf_get(cfg));
	/* a site without a plan size gets 1 km x 1 km around its origin */
	p->cov = sd_reallocarray(p->cov, (size_t)p->ncov + 1, sizeof *p->cov);
	memset(&p->cov[p->ncov], 0, sizeof p->cov[0]);
	sd_strlcpy(p->cov[p->ncov].site, site->id, sizeof p->cov[0].site);
	p->cov[p->ncov].dirty = true;
	p->cov[p->ncov].cs = sd_cov_site_new(site->id, site->width_m > 0 ? site->width_m : 1000,
					     site->height_m > 0 ? site->height_m : 1000, &cc);
	/* the samples imported before a restart */
	if (p->cov[p->ncov].cs && p->covdb) {
		long n = sd_cov_store_load(p->covdb, site->id, cov_load_one, p->cov[p->ncov].cs);
		if (n > 0)
			sd_info("coverage: %ld stored samples of site %s loaded", n, site->id);
	}
	if (!p->cov[p->ncov].cs)
		return NULL;
	if (si >= 0 && si < p->ncov_of_site && si < m->nsites)
		p->cov_of_site[si] = p->ncov;
	return p->cov[p->ncov++].cs;
}

int sd_pipeline_coverage_add(struct sd_pipeline *p, const struct sd_site *site,
			     const struct sd_cov_sample *v, size_t n, unsigned *added)
{
	struct sd_cov_site *cs = sd_pipeline_coverage(p, site);
	struct sd_cov_sample *ok;
	bool *fresh;
	size_t i, nok = 0;
	int refused = 0, rc;

	*added = 0;
	if (!cs || !p->covdb)
		return -1;
	ok = sd_calloc(n ? n : 1, sizeof *ok);
	fresh = sd_calloc(n ? n : 1, sizeof *fresh);
	for (i = 0; i < n; i++) {
		if (sd_cov_site_accepts(cs, &v[i]))
			ok[nok++] = v[i];
		else
			refused++;
	}
	rc = sd_cov_store_add(p->covdb, site->id, ok, nok, fresh);
	if (rc >= 0) {
		for (i = 0; i < nok; i++)
			if (fresh[i] && sd_cov_site_add(cs, &ok[i]) == 0)
				(*added)++;
		rc = refused;
	}
	free(fresh);
	free(ok);
	return rc;
}
struct sd_sla *sd_pipeline_sla(struct sd_pipeline *p) { return p->sla; }
void sd_pipeline_set_collect(struct sd_pipeline *p, const struct sd_collect *c) { p->collect = c; }
const struct sd_collect *sd_pipeline_collect(struct sd_pipeline *p) { return p->collect; }
struct sd_kpi *sd_pipeline_kpi(struct sd_pipeline *p) { return p->kpi; }

void sd_pipeline_free(struct sd_pipeline *p)
{
	if (!p)
		return;
	sd_loop_timer_del(p->loop, p->timer);
	if (p->ops_registered)
		sd_pipeline_unregister_ipc(p->host.ops);
	if (p->bus_sub > 0)
		sd_bus_unsubscribe(p->host.bus, p->bus_sub);
	if (p->kpi)
		sd_kpi_flush_all(p->kpi);
	if (p->sla)
		sd_sla_flush_all(p->sla);
	for (int i = 0; i < p->ncov; i++)
		sd_cov_site_free(p->cov[i].cs);
	free(p->cov);
	free(p->cov_of_site);
	free(p->rad);
	sd_cov_store_free(p->covdb);
	sd_nfwatch_free(p->nfw);
	sd_alarms_free(p->alarms);
	sd_sla_free(p->sla);
	sd_kpi_free(p->kpi);
	sd_sla_usable_done(&p->usable);
	free(p);
}
