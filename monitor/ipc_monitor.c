/* monitor/ipc_monitor.c — the monitoring pipeline's IPC operations:
 *
 *   sla          SLA report: per slice, the month's compliance per KPI and
 *                the last window's verdicts [factory, slice, period]
 *   alarms       alarms the caller may see [all: include cleared]
 *   alarm.ack    acknowledge one alarm (operators) {id}
 *   kpi          one slice's KPI history: the last roll-up buckets of a
 *                metric at a level, and the open bucket {slice, metric,
 *                level, points}
 *   status       the engine's data sources: found in the core or not,
 *                last success, last error, what each feeds
 *
 * and the "alarms" topic (active alarms in scope). Scoping follows
 * docs/ipc.md: a factory caller sees its own factory's slices and alarms
 * only, and gets "forbidden" for anything else, existing or not.
 */
#include "monitor/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipc.h"
#include "core/log.h"
#include "core/util.h"

static const char *caller_factory(const struct sd_ipc_caller *c)
{
	return c->role == SD_ROLE_FACTORY && c->factory_id[0] ? c->factory_id : NULL;
}

/* The op's error (sd_op_fail) and return NULL. */
#define FAIL(...) return sd_op_fail(call, __VA_ARGS__)
/* a named object absent or outside the caller's scope (sd_ipc_scope_error) */
#define SCOPE_FAIL(what, id) return sd_op_fail_scope(call, (what), (id))

struct report_acc {
	json_t *bySlice;   /* slice id -> array of month rows */
};

static void on_month_row(void *arg, const struct sd_sla_month *row)
{
	struct report_acc *acc = arg;
	json_t *a = json_object_get(acc->bySlice, row->slice);
	if (a)
		json_array_append_new(a, sd_sla_month_to_json(row));
}

static bool valid_period(const char *p)
{
	return strlen(p) == 7 && p[4] == '-' && strspn(p, "0123456789") == 4 &&
	       strspn(p + 5, "0123456789") == 2 && !(p[5] == '0' && p[6] == '0') &&
	       (p[5] == '0' || (p[5] == '1' && p[6] <= '2'));
}

static json_t *op_sla(struct sd_op_call *call)
{
	void *arg = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *params = call->params;
	struct sd_pipeline *p = arg;
	const struct sd_model *m = call->model;
	json_t *jf = json_object_get(params, "factory"), *js = json_object_get(params, "slice");
	json_t *jp = json_object_get(params, "period"), *rows;
	struct report_acc acc;
	char period[8];
	int only_factory = -1, i;

	if (jf && !json_is_null(jf)) {
		if (!json_is_string(jf))
			FAIL(SD_IPC_E_BADREQ, "\"factory\" must be a string");
		only_factory = sd_model_factory_index(m, json_string_value(jf));
		if (only_factory < 0 || !sd_ipc_sees_factory(c, only_factory))
			SCOPE_FAIL("factory", json_string_value(jf));
	}
	if (js && !json_is_null(js) && !json_is_string(js))
		FAIL(SD_IPC_E_BADREQ, "\"slice\" must be a string");
	if (jp && !json_is_null(jp)) {
		if (!json_is_string(jp) || !valid_period(json_string_value(jp)))
			FAIL(SD_IPC_E_BADREQ, "\"period\" must be a month, YYYY-MM (e.g. 2026-11)");
		sd_strlcpy(period, json_string_value(jp), sizeof period);
	} else {
		sd_sla_month_of(sd_wall_ms(), period, sizeof period);
	}
	if (js && json_is_string(js)) {
		int k = sd_model_slice_index(m, json_string_value(js));
		if (k < 0 || !sd_ipc_sees_factory(c, m->slices[k].factory))
			SCOPE_FAIL("slice", json_string_value(js));
	}

	acc.bySlice = json_object();
	rows = json_array();
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		json_t *row;
		if (!sd_ipc_sees_factory(c, s->factory))
			continue;
		if (only_factory >= 0 && s->factory != only_factory)
			continue;
		if (js && json_is_string(js) && strcmp(s->id, json_string_value(js)) != 0)
			continue;
		row = json_object();
		json_object_set_new(row, "slice", json_string(s->id));
		json_object_set_new(row, "factory", json_string(m->factories[s->factory].id));
		json_object_set_new(row, "state", json_string(sd_slice_state_name(s->state)));
		json_object_set_new(row, "month", json_array());
		json_object_set(acc.bySlice, s->id, json_object_get(row, "month"));
		json_object_set_new(row, "last", sd_sla_last_to_json(sd_pipeline_sla(p), s->id));
		json_array_append_new(rows, row);
	}
	sd_sla_report(sd_pipeline_sla(p), period, NULL, on_month_row, &acc);
	json_decref(acc.bySlice);
	return json_pack("{s:s, s:o}", "period", period, "slices", rows);
}

/* Every alarm the caller may see, active first: no cap but the manager's
 * own (max_active plus the cleared ones it keeps). */
static json_t *alarm_list(struct sd_pipeline *p, const struct sd_ipc_caller *c, bool all)
{
	struct sd_alarms *am = sd_pipeline_alarms(p);
	const struct sd_alarm **out;
	json_t *a = json_array();
	int i, n, max;
	if (c->role == SD_ROLE_NONE)
		return a;
	/* grow until the list fits: the manager bounds what it keeps */
	for (max = sd_alarms_active_count(am) + 257;; max *= 2) {
		out = sd_calloc((size_t)max, sizeof *out);
		n = sd_alarms_list(am, all, c->role, caller_factory(c), out, max);
		if (n < max)
			break;
		free(out);
	}
	for (i = 0; i < n; i++)
		json_array_append_new(a, sd_alarm_to_json(out[i]));
	free(out);
	return a;
}

static json_t *op_alarms(struct sd_op_call *call)
{
	void *arg = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *params = call->params;
	json_t *all = json_object_get(params, "all"), *jf = json_object_get(params, "factory");
	json_t *list, *out, *a;
	size_t i;
	int fi;
	if (!json_is_string(jf))
		return json_pack("{s:o}", "alarms", alarm_list(arg, c, all && json_is_true(all)));
	/* one factory's alarms (zone-wide ones have no factory: left out);
	 * naming one outside the caller's scope is refused, existing or not */
	fi = sd_model_factory_index(call->model, json_string_value(jf));
	if (fi < 0 || !sd_ipc_sees_factory(c, fi))
		SCOPE_FAIL("factory", json_string_value(jf));
	list = alarm_list(arg, c, all && json_is_true(all));
	out = json_array();
	json_array_foreach(list, i, a)
		if (sd_streq(json_string_value(json_object_get(a, "factory")), json_string_value(jf)))
			json_array_append(out, a);
	json_decref(list);
	return json_pack("{s:o}", "alarms", out);
}

static json_t *op_alarm_ack(struct sd_op_call *call)
{
	void *arg = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *params = call->params;
	struct sd_pipeline *p = arg;
	json_t *jid = json_object_get(params, "alarm");
	json_int_t id;
	int rc;

	if (!json_is_integer(jid) || json_integer_value(jid) <= 0)
		FAIL(SD_IPC_E_BADREQ, "\"alarm\" (a positive alarm id) is required");
	id = json_integer_value(jid);
	{
		const struct sd_alarm *a = sd_alarms_get(sd_pipeline_alarms(p), (uint64_t)id);
		if (a && sd_alarm_visible(a, c->role, caller_factory(c)))
			sd_op_about(call, a->factory);
	}
	rc = sd_alarm_ack(sd_pipeline_alarms(p), (uint64_t)id, c->role, caller_factory(c),
			  c->user, sd_wall_ms());
	if (rc == SD_ALARM_EPERM)
		FAIL(SD_IPC_E_FORBIDDEN, "acknowledging alarms needs the operator role; you are %s",
		     sd_role_name(c->role));
	if (rc == SD_ALARM_ENOENT) {
		char num[24];
		snprintf(num, sizeof num, "%lld", (long long)id);
		SCOPE_FAIL("alarm", num);
	}
	if (rc != SD_ALARM_OK)
		FAIL(SD_IPC_E_INTERNAL, "alarm %lld could not be acknowledged", (long long)id);
	return json_pack("{s:o}", "alarm",
			 sd_alarm_to_json(sd_alarms_get(sd_pipeline_alarms(p), (uint64_t)id)));
}

/* The site named by "site" in params, checked against the caller's scope;
 * NULL with the error set. */
static const struct sd_site *scoped_site(struct sd_op_call *call, bool required, bool *absent)
{
	json_t *js = json_object_get(call->params, "site");
	int i;
	*absent = false;
	if (!js || json_is_null(js)) {
		if (required)
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"site\" (a site id) is required");
		*absent = true;
		return NULL;
	}
	i = sd_model_site_index(call->model, json_string_value(js));
	if (i < 0 || !sd_ipc_sees_factory(call->caller, call->model->sites[i].factory)) {
		sd_op_fail_scope(call, "site", json_string_value(js));
		return NULL;
	}
	return &call->model->sites[i];
}

static json_t *site_coverage(struct sd_pipeline *p, const struct sd_model *m,
			     const struct sd_site *site, int rows, int cols)
{
	struct sd_cov_site *cs = sd_pipeline_coverage(p, site);
	json_t *o = cs ? sd_cov_site_to_json(cs, rows, cols, 10) : json_pack("{s:s}", "site", site->id);
	json_object_set_new(o, "factory", json_string(m->factories[site->factory].id));
	json_object_set_new(o, "name", json_string(site->name));
	json_object_set_new(o, "propagation", json_string(sd_site_env_name(site->env)));
	if (rows > 0 && cols > 0)    /* one site asked for: its cells too */
		json_object_set_new(o, "cells", sd_pipeline_coverage_cells(p, site));
	return o;
}

static int int_param(json_t *params, const char *name, int def, int lo, int hi)
{
	json_t *v = json_object_get(params, name);
	if (!json_is_integer(v))
		return def;
	if (json_integer_value(v) < lo)
		return lo;
	return json_integer_value(v) > hi ? hi : (int)json_integer_value(v);
}

static json_t *op_coverage(struct sd_op_call *call)
{
	void *arg = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *params = call->params;
	struct sd_pipeline *p = arg;
	const struct sd_model *m = call->model;
	int rows = int_param(params, "rows", 12, 0, 100), cols = int_param(params, "cols", 48, 0, 250);
	bool absent;
	const struct sd_site *one = scoped_site(call, false, &absent);
	json_t *a;
	int i;

	if (!one && !absent)
		return NULL;
	if (one)
		sd_pipeline_coverage_fresh(p, one);
	a = json_array();
	for (i = 0; i < m->nsites; i++) {
		const struct sd_site *s = &m->sites[i];
		if (one && s != one)
			continue;
		if (!sd_ipc_sees_factory(c, s->factory))
			continue;
		json_array_append_new(a, site_coverage(p, m, s, one ? rows : 0, one ? cols : 0));
	}
	return json_pack("{s:o}", "sites", a);
}

/* A file's batches held until its last one: then stored in one transaction,
 * so a client killed in the middle leaves nothing of that file. Held at
 * most STAGE_IDLE_MS without a new batch, at most STAGE_MAX at once, of at
 * most STAGE_ROWS samples each. */
#define STAGE_MAX 8
#define STAGE_ROWS 2000000
#define STAGE_IDLE_MS 60000
struct stage {
	const void *owner;             /* the pipeline */
	char key[SD_ID_MAX * 2 + 24];  /* site, uid, import token */
	struct sd_cov_sample *v;
	size_t n, cap;
	unsigned refused, unknown;
	char first_unknown[48];
	int64_t last_ms;
};
static struct stage stages[STAGE_MAX];

static void stage_free(struct stage *st)
{
	free(st->v);
	memset(st, 0, sizeof *st);
}

/* The staged import of key, made if absent (NULL when STAGE_MAX are busy);
 * ones idle too long are dropped first. */
static struct stage *stage_get(const void *owner, const char *key, bool make)
{
	int64_t now = sd_now_ms();
	struct stage *free_slot = NULL;
	int i;
	for (i = 0; i < STAGE_MAX; i++) {
		struct stage *st = &stages[i];
		if (st->owner && now - st->last_ms > STAGE_IDLE_MS) {
			sd_notice("coverage: an import of %s was not finished within %d s; its %zu "
				  "samples are dropped", st->key, STAGE_IDLE_MS / 1000, st->n);
			stage_free(st);
		}
		if (st->owner == owner && strcmp(st->key, key) == 0) {
			st->last_ms = now;
			return st;
		}
		if (!st->owner && !free_slot)
			free_slot = st;
	}
	if (!make || !free_slot)
		return NULL;
	free_slot->owner = owner;
	sd_strlcpy(free_slot->key, key, sizeof free_slot->key);
	free_slot->last_ms = now;
	return free_slot;
}

static void stages_drop_all(void)
{
	int i;
	for (i = 0; i < STAGE_MAX; i++)
		stage_free(&stages[i]);
}

/* Walk-test samples for one site, parsed and checked by the client (which
 * reports file:line errors); the engine checks them again, counts what it
 * refuses, and raises or clears the site's coverage alarm. With "import"
 * (a token the client picks per file) the batches are held until the one
 * with "last": true, then stored together. */
static json_t *op_coverage_add(struct sd_op_call *call)
{
	void *arg = call->arg;
	json_t *params = call->params;
	struct sd_pipeline *p = arg;
	json_t *samples = json_object_get(params, "samples"), *row;
	const struct sd_site *site;
	struct sd_cov_site *cs;
	bool absent;
	struct sd_cov_sample *v;
	size_t i, nv = 0;
	unsigned accepted = 0, refused = 0, duplicates, unknown_cells = 0;
	char first_unknown[48] = "";
	int rc;

	site = scoped_site(call, true, &absent);
	if (!site)
		return NULL;
	sd_op_about(call, call->model->factories[site->factory].id);
	if (!json_is_array(samples) || json_array_size(samples) > 5000)
		FAIL(SD_IPC_E_BADREQ, "\"samples\" must be an array of at most 5000 [t_ms, x_m, y_m, cell, rsrp_dbm, sinr_db]");
	cs = sd_pipeline_coverage(p, site);
	if (!cs)
		FAIL(SD_IPC_E_INTERNAL, "site %s has no usable plan size", site->id);
	v = sd_calloc(json_array_size(samples) + 1, sizeof *v);
	json_array_foreach(samples, i, row) {
		struct sd_cov_sample *sm = &v[nv];
		if (!json_is_array(row) || json_array_size(row) != 6 ||
		    !json_is_integer(json_array_get(row, 0)) || !json_is_number(json_array_get(row, 1)) ||
		    !json_is_number(json_array_get(row, 2)) || !json_is_string(json_array_get(row, 3)) ||
		    !json_is_number(json_array_get(row, 4)) || !json_is_number(json_array_get(row, 5))) {
			refused++;
			continue;
		}
		{
			/* the cell must be one of this factory's: not free text
			 * (escape sequences), not another factory's ids */
			const char *cell = json_string_value(json_array_get(row, 3));
			int k = sd_model_cell_index(call->model, cell);
			if (k < 0 || call->model->sites[call->model->cells[k].site].factory !=
				     site->factory) {
				if (!unknown_cells++)
					sd_sanitize(first_unknown, sizeof first_unknown, cell,
						    strlen(cell));
				refused++;
				continue;
			}
		}
		sm->t_ms = json_integer_value(json_array_get(row, 0));
		sm->x_m = json_number_value(json_array_get(row, 1));
		sm->y_m = json_number_value(json_array_get(row, 2));
		sd_strlcpy(sm->cell, json_string_value(json_array_get(row, 3)), sizeof sm->cell);
		sm->rsrp_dbm = json_number_value(json_array_get(row, 4));
		sm->sinr_db = json_number_value(json_array_get(row, 5));
		nv++;
	}
	{
		const char *token = json_string_value(json_object_get(params, "import"));
		bool last = json_is_true(json_object_get(params, "last"));
		if (token) {
			char key[sizeof stages[0].key];
			struct stage *st;
			snprintf(key, sizeof key, "%s/%u/%s", site->id, (unsigned)call->caller->uid,
				 token);
			st = stage_get(p, key, true);
			if (!st) {
				free(v);
				FAIL(SD_IPC_E_BUSY, "%d imports are in progress; try again later",
				     STAGE_MAX);
			}
			if (st->n + nv > STAGE_ROWS) {
				stage_free(st);
				free(v);
				FAIL(SD_IPC_E_BADREQ, "an import holds at most %d samples; nothing "
				     "of it is stored", STAGE_ROWS);
			}
			if (st->n + nv > st->cap) {
				st->cap = (st->n + nv) * 2;
				st->v = sd_reallocarray(st->v, st->cap, sizeof *st->v);
			}
			memcpy(st->v + st->n, v, nv * sizeof *v);
			st->n += nv;
			st->refused += refused;
			if (unknown_cells && !st->unknown)
				sd_strlcpy(st->first_unknown, first_unknown, sizeof st->first_unknown);
			st->unknown += unknown_cells;
			free(v);
			if (!last)
				return json_pack("{s:s, s:s, s:I}", "site", site->id, "import", token,
						 "staged", (json_int_t)st->n);
			/* the whole file, in one transaction */
			v = st->v;
			nv = st->n;
			refused = st->refused;
			unknown_cells = st->unknown;
			sd_strlcpy(first_unknown, st->first_unknown, sizeof first_unknown);
			st->v = NULL;
			stage_free(st);
		}
	}
	/* stored once (restart-proof), counted once: a re-import adds nothing */
	rc = sd_pipeline_coverage_add(p, site, v, nv, &accepted);
	free(v);
	if (rc < 0)
		FAIL(SD_IPC_E_INTERNAL, "site %s: storing the samples failed (see the engine log)", site->id);
	refused += (unsigned)rc;
	duplicates = (unsigned)nv - (unsigned)rc - accepted;
	sd_pipeline_coverage_judge(p, site);
	{
		json_t *r = json_pack("{s:s, s:i, s:i, s:i, s:i, s:o}", "site", site->id,
				      "accepted", accepted, "duplicates", duplicates,
				      "refused", refused, "unknown_cells", unknown_cells,
				      "coverage", site_coverage(p, call->model, site, 0, 0));
		if (unknown_cells)
			json_object_set_new(r, "first_unknown_cell", json_string(first_unknown));
		return r;
	}
}

/* A roll-up bucket as the kpi op returns it; p50/p99 only when the metric
 * keeps a sketch and the bucket has samples. */
static json_t *kpi_bucket_json(const struct sd_kpi_agg *agg, const struct sd_sketch *sk)
{
	json_t *o = json_pack("{s:I, s:I, s:f, s:f, s:f}", "start", (json_int_t)agg->start_ms,
			      "count", (json_int_t)agg->count, "min", agg->min, "max", agg->max,
			      "mean", agg->count ? agg->sum / agg->count : 0.0);
	if (sk && agg->count) {
		json_object_set_new(o, "p50", json_real(sd_sketch_quantile(sk, 0.50)));
		json_object_set_new(o, "p99", json_real(sd_sketch_quantile(sk, 0.99)));
	}
	return o;
}

struct kpi_acc {
	json_t *rows;
	bool sketched;
};

static void on_kpi_row(void *arg, const struct sd_kpi_agg *agg, const struct sd_sketch *sk)
{
	struct kpi_acc *acc = arg;
	json_array_append_new(acc->rows, kpi_bucket_json(agg, acc->sketched ? sk : NULL));
}

/* One slice's KPI history: the closed buckets of the last `points` periods
 * of a level from the store, oldest first, and the open bucket ("current",
 * null when it has no samples yet). Scoped like sla: a factory caller sees
 * its own slices only and "forbidden" for any other id, existing or not. */
static json_t *op_kpi(struct sd_op_call *call)
{
	void *arg = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *params = call->params;
	struct sd_pipeline *p = arg;
	const struct sd_model *m = call->model;
	struct sd_kpi *k = sd_pipeline_kpi(p);
	json_t *js = json_object_get(params, "slice"), *jm = json_object_get(params, "metric");
	json_t *jl = json_object_get(params, "level"), *jn = json_object_get(params, "points");
	json_t *cur = json_null();
	enum sd_kpi_level lv = SD_KPI_1MIN;
	struct sd_kpi_agg agg;
	struct kpi_acc acc;
	int metric = SD_KPI_LATENCY, si, obj, l;
	int64_t now = sd_wall_ms(), step, open_start;
	json_int_t points = 60;

	if (!json_is_string(js))
		FAIL(SD_IPC_E_BADREQ, "\"slice\" (a slice id) is required");
	si = sd_model_slice_index(m, json_string_value(js));
	if (si < 0 || !sd_ipc_sees_factory(c, m->slices[si].factory))
		SCOPE_FAIL("slice", json_string_value(js));
	if (jm && !json_is_null(jm)) {
		metric = json_is_string(jm) ? sd_kpi_metric_parse(json_string_value(jm)) : -1;
		if (metric < 0)
			FAIL(SD_IPC_E_BADREQ, "\"metric\" must be a KPI name such as latency, ues, pdu_sessions, availability");
	}
	if (jl && !json_is_null(jl)) {
		for (l = 0; l < SD_KPI_LEVELS; l++)
			if (json_is_string(jl) && strcmp(json_string_value(jl), sd_kpi_level_name(l)) == 0)
				break;
		if (l == SD_KPI_LEVELS)
			FAIL(SD_IPC_E_BADREQ, "\"level\" must be 1min, 5min, 1h or 1day");
		lv = (enum sd_kpi_level)l;
	}
	if (jn && !json_is_null(jn)) {
		if (!json_is_integer(jn) || json_integer_value(jn) < 1 || json_integer_value(jn) > 500)
			FAIL(SD_IPC_E_BADREQ, "\"points\" must be an integer from 1 to 500");
		points = json_integer_value(jn);
	}
	if (!k)
		FAIL(SD_IPC_E_INTERNAL, "the KPI store is not running");

	step = sd_kpi_level_ms(lv);
	open_start = now - now % step;
	acc.rows = json_array();
	acc.sketched = sd_kpi_metrics[metric].sketch;
	if (sd_kpi_history(k, SD_KPI_SLICE, m->slices[si].id, (enum sd_kpi_metric)metric, lv,
			   open_start - points * step, open_start, on_kpi_row, &acc) < 0) {
		json_decref(acc.rows);
		FAIL(SD_IPC_E_INTERNAL, "the KPI history of slice %s could not be read", m->slices[si].id);
	}
	obj = sd_kpi_find(k, SD_KPI_SLICE, m->slices[si].id);
	if (obj >= 0) {
		struct sd_sketch sk;
		sd_sketch_init(&sk);
		if (sd_kpi_current(k, obj, (enum sd_kpi_metric)metric, lv, &agg, &sk))
			cur = kpi_bucket_json(&agg, acc.sketched ? &sk : NULL);
		sd_sketch_done(&sk);
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:o}", "slice", m->slices[si].id,
			 "metric", sd_kpi_metrics[metric].name, "unit", sd_kpi_metrics[metric].unit,
			 "level", sd_kpi_level_name(lv), "step_ms", (json_int_t)step,
			 "buckets", acc.rows, "current", cur);
}

/* Each data source of the collectors. A factory caller sees what is found
 * and what it feeds, not the core's addresses or error texts. */
static json_t *op_status(struct sd_op_call *call)
{
	struct sd_pipeline *p = call->arg;
	const struct sd_collect *c = sd_pipeline_collect(p);
	struct sd_collect_source src[SD_COLLECT_SOURCES];
	bool inside = call->caller->role != SD_ROLE_FACTORY;
	json_t *rows = json_array();
	int i, n = c ? sd_collect_sources(c, src, SD_COLLECT_SOURCES) : 0;
	for (i = 0; i < n; i++) {
		const struct sd_collect_source *s = &src[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:s}", "name", s->name,
				      "service", s->service, "feeds", s->feeds, "found", s->found,
				      "last_ok", sd_alarm_time_json(s->last_ok_ms),
				      "last_error_time", sd_alarm_time_json(s->last_err_ms),
				      "note", s->note);
		json_object_set_new(o, "state", json_string(
			!s->found ? "missing" : s->down_since_ms ? "down" :
			s->last_err_ms > s->last_ok_ms ? "failing" : s->last_ok_ms ? "ok" : "waiting"));
		if (inside) {
			json_object_set_new(o, "where", json_string(s->where));
			json_object_set_new(o, "last_error", json_string(s->last_err));
		}
		json_array_append_new(rows, o);
	}
	return json_pack("{s:o}", "sources", rows);
}

/* --- the alarms topic: the active alarms, each visible as sd_alarm_visible says */

struct each_ctx {
	void (*fn)(void *fa, const char *id);
	void *fa;
};

static void each_alarm(const struct sd_alarm *a, void *arg)
{
	struct each_ctx *x = arg;
	char id[24];
	snprintf(id, sizeof id, "%llu", (unsigned long long)a->id);
	x->fn(x->fa, id);
}

static void alarms_each(void *arg, void (*fn)(void *fa, const char *id), void *fa)
{
	struct each_ctx x = { fn, fa };
	sd_alarms_each(sd_pipeline_alarms(arg), false, each_alarm, &x);
}

static const struct sd_alarm *active_alarm(void *arg, const char *id)
{
	char *end;
	unsigned long long v = strtoull(id, &end, 10);
	const struct sd_alarm *a;
	if (!*id || *end)
		return NULL;
	a = sd_alarms_get(sd_pipeline_alarms(arg), (uint64_t)v);
	return a && a->severity != SD_SEV_CLEARED ? a : NULL;
}

static int alarms_owner(void *arg, const char *id)
{
	const struct sd_alarm *a = active_alarm(arg, id);
	struct sd_pipeline *p = arg;
	int f;
	if (!a)
		return SD_OWNER_UNKNOWN;
	if (!a->factory[0])
		return SD_OWNER_ZONE;   /* zone-wide alarms are not shown to factories */
	f = sd_model_factory_index(sd_pipeline_model(p), a->factory);
	return f >= 0 ? f : SD_OWNER_ZONE;
}

static json_t *alarms_object(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	const struct sd_alarm *a = active_alarm(arg, id);
	if (!a || !sd_alarm_visible(a, c->role, caller_factory(c)))
		return NULL;
	return sd_alarm_to_json(a);
}

void sd_pipeline_alarm_topic(struct sd_pipeline *p, struct sd_ipc_topic_def *def)
{
	*def = (struct sd_ipc_topic_def){
		.topic = SD_TOPIC_ALARMS, .name = "alarms", .int_ids = true,
		.scope_invariant = true, .each = alarms_each, .object = alarms_object,
		.owner = alarms_owner, .arg = p,
	};
}

static const struct sd_param p_sla[] = {
	{ "factory", SD_PT_ID, false, "only this factory's slices" },
	{ "slice", SD_PT_ID, false, "only this slice" },
	{ "period", SD_PT_STRING, false, "a month, YYYY-MM (default: this month)" },
	SD_PARAMS_END
};
static const struct sd_param p_alarms[] = {
	{ "all", SD_PT_BOOL, false, "include the cleared alarms kept in memory" },
	{ "factory", SD_PT_ID, false, "only alarms on this factory's objects" },
	SD_PARAMS_END
};
static const struct sd_param p_ack[] = {
	{ "alarm", SD_PT_INT, true, "a positive alarm id" },
	SD_PARAMS_END
};
static const struct sd_param p_coverage[] = {
	{ "site", SD_PT_ID, false, "one site (with a heat map)" },
	{ "rows", SD_PT_INT, false, "heat map rows, 0..100 (default 12)" },
	{ "cols", SD_PT_INT, false, "heat map columns, 0..250 (default 48)" },
	SD_PARAMS_END
};
static const struct sd_param p_coverage_add[] = {
	{ "site", SD_PT_ID, true, "the site walked" },
	{ "samples", SD_PT_ARRAY, true, "up to 5000 [t_ms, x_m, y_m, cell, rsrp_dbm, sinr_db]" },
	{ "import", SD_PT_ID, false, "one file's token: batches held until the last" },
	{ "last", SD_PT_BOOL, false, "with import: store the file's batches now" },
	SD_PARAMS_END
};
static const struct sd_param p_kpi[] = {
	{ "slice", SD_PT_ID, true, "a slice id" },
	{ "metric", SD_PT_STRING, false, "latency, ues, pdu_sessions, availability, ..." },
	{ "level", SD_PT_STRING, false, "1min, 5min, 1h or 1day" },
	{ "points", SD_PT_INT, false, "closed buckets, 1..500 (default 60)" },
	SD_PARAMS_END
};

static const struct sd_op monitor_ops[] = {
	{ "sla", op_sla, SD_PERM_READ, 0, p_sla, "SLA report per slice and KPI" },
	{ "alarms", op_alarms, SD_PERM_READ, 0, p_alarms, "alarms in scope" },
	{ "alarm.ack", op_alarm_ack, SD_PERM_ACT, SD_OP_MUTATES, p_ack, "acknowledge an alarm" },
	{ "coverage", op_coverage, SD_PERM_READ, 0, p_coverage, "coverage per site" },
	{ "coverage.add", op_coverage_add, SD_PERM_IMPORT, SD_OP_MUTATES, p_coverage_add,
	  "add walk-test samples to a site in scope" },
	{ "kpi", op_kpi, SD_PERM_READ, 0, p_kpi, "a slice's KPI history" },
	{ "status", op_status, SD_PERM_READ, 0, NULL, "the engine's data sources" },
};

int sd_pipeline_register_ipc(struct sd_pipeline *p, struct sd_ops *ops)
{
	return sd_ops_register(ops, monitor_ops, SD_ARRAY_LEN(monitor_ops), p);
}

void sd_pipeline_unregister_ipc(struct sd_ops *ops)
{
	sd_ops_unregister(ops, monitor_ops);
	stages_drop_all();      /* unfinished imports end with their engine */
}
