/* monitor/pipeline.c — see pipeline.h. */
#include "monitor/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/store.h"
#include "core/util.h"

#define TICK_MS 1000

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
	/* coverage per site, made on first use; kept across reloads by id */
	struct cov_entry {
		char site[SD_ID_MAX];
		struct sd_cov_site *cs;
	} *cov;
	int ncov;
};

static const struct sd_config *config(struct sd_pipeline *p) { return sd_host_config(&p->host); }
static struct sd_model *model(struct sd_pipeline *p) { return sd_host_model(&p->host); }
struct sd_model *sd_pipeline_model(struct sd_pipeline *p) { return model(p); }

/* SLA breach and recovery become alarms (X.733 quality-of-service). */
static void on_sla_event(void *arg, const struct sd_sla_event *ev)
{
	struct sd_pipeline *p = arg;
	const char *name = sd_sla_kpi_name(ev->kpi);
	sd_notice("SLA %s: slice %s (%s) %s: observed %.3g %s, target %.3g",
		  ev->breach ? "breach" : "recovery", ev->slice, ev->factory ? ev->factory : "-",
		  name, ev->observed, sd_sla_kpi_unit(ev->kpi), ev->target);
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
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		double usable;
		if (s->state != SD_SLICE_ACTIVE)
			continue;
		usable = sd_sla_usable_pct_with(&p->usable, s);
		if (usable >= 0)
			sd_kpi_add_id(p->kpi, SD_KPI_SLICE, s->id, SD_KPI_AVAILABILITY, now, usable);
	}
	/* an NF we only know from a stale inventory is not judged */
	for (i = 0; i < m->nnfs; i++) {
		const struct sd_nf_instance *nf = &m->nfs[i];
		if (!nf->stale)
			sd_alarm_nf(p->alarms, nf->id, nf->type, nf->name, nf->reachable, now);
	}
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
	sd_sla_set_event_hook(p->sla, on_sla_event, p);
	if (sd_alarms_add_sink(p->alarms, "ipc", on_alarm, p, NULL) < 0) {
		snprintf(err, errsz, "cannot attach the IPC alarm sink");
		goto fail;
	}
	sd_alarms_set_bus(p->alarms, host->bus);
	sd_sla_set_model(p->sla, model(p));
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
}

void sd_pipeline_sample(struct sd_pipeline *p, const char *slice_id,
			enum sd_kpi_metric m, double value)
{
	sd_kpi_add_id(p->kpi, SD_KPI_SLICE, slice_id, m, sd_wall_ms(), value);
}

void sd_pipeline_cell_sample(struct sd_pipeline *p, const struct sd_cell *cell,
			     double rsrp, double sinr)
{
	const struct sd_config *cfg = config(p);
	const struct sd_model *m = model(p);
	const struct sd_site *site;
	struct sd_cov_site *cs;
	struct sd_cov_report rep;
	struct sd_cov_conf cc;
	int64_t now = sd_wall_ms();

	if (cell->site < 0 || cell->site >= m->nsites)
		return;
	site = &m->sites[cell->site];
	sd_kpi_add_id(p->kpi, SD_KPI_CELL, cell->id, SD_KPI_RSRP, now, rsrp);
	sd_kpi_add_id(p->kpi, SD_KPI_CELL, cell->id, SD_KPI_SINR, now, sinr);
	cs = sd_pipeline_coverage(p, site);
	if (!cs || sd_cov_site_add_cell(cs, cell, now, rsrp, sinr) < 0)
		return;
	sd_cov_site_report(cs, &rep);
	sd_cov_conf_from(&cc, sd_monitor_conf_get(cfg));
	if (rep.samples && site->factory >= 0 && site->factory < m->nfactories)
		sd_alarm_coverage_ex(p->alarms, site->id, m->factories[site->factory].id,
				     m->factories[site->factory].security_grade,
				     rep.share_pct, cc.target_pct, now);
}

struct sd_alarms *sd_pipeline_alarms(struct sd_pipeline *p) { return p->alarms; }

static void cov_load_one(void *arg, const struct sd_cov_sample *s)
{
	sd_cov_site_add(arg, s);
}

struct sd_cov_site *sd_pipeline_coverage(struct sd_pipeline *p, const struct sd_site *site)
{
	const struct sd_config *cfg = config(p);
	struct sd_cov_conf cc;
	int i;
	for (i = 0; i < p->ncov; i++)
		if (strcmp(p->cov[i].site, site->id) == 0)
			return p->cov[i].cs;
	sd_cov_conf_from(&cc, sd_monitor_conf_get(cfg));
	/* a site without a plan size gets 1 km x 1 km around its origin */
	p->cov = sd_reallocarray(p->cov, (size_t)p->ncov + 1, sizeof *p->cov);
	sd_strlcpy(p->cov[p->ncov].site, site->id, sizeof p->cov[0].site);
	p->cov[p->ncov].cs = sd_cov_site_new(site->id, site->width_m > 0 ? site->width_m : 1000,
					     site->height_m > 0 ? site->height_m : 1000, &cc);
	/* the samples imported before a restart */
	if (p->cov[p->ncov].cs && p->covdb) {
		long n = sd_cov_store_load(p->covdb, site->id, cov_load_one, p->cov[p->ncov].cs);
		if (n > 0)
			sd_info("coverage: %ld stored samples of site %s loaded", n, site->id);
	}
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
	sd_cov_store_free(p->covdb);
	sd_alarms_free(p->alarms);
	sd_sla_free(p->sla);
	sd_kpi_free(p->kpi);
	sd_sla_usable_done(&p->usable);
	free(p);
}
