/* slicing/catalog.c — see catalog.h. */
#include "slicing/catalog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/ipc.h"
#include "core/qos5qi.h"
#include "core/util.h"
#include "slicing/scenario.h"

bool sd_level_suits(enum sd_factory_level tl, enum sd_factory_level fl)
{
	return (int)fl >= (int)tl;
}

/* "hybrid or independent" from a mode bit set. */
static void modes_text(unsigned modes, char *buf, size_t bufsz)
{
	int m, n = 0, total = 0;
	size_t off = 0;
	for (m = 0; m < SD_MODE_COUNT; m++)
		total += (modes & SD_MODE_BIT(m)) != 0;
	buf[0] = '\0';
	for (m = 0; m < SD_MODE_COUNT; m++) {
		if (!(modes & SD_MODE_BIT(m)))
			continue;
		n++;
		off += (size_t)snprintf(buf + off, off < bufsz ? bufsz - off : 0, "%s%s",
					n == 1 ? "" : n == total ? " or " : ", ",
					sd_pn_mode_name((enum sd_pn_mode)m));
	}
}

static void add_reason(struct sd_offer *o, enum sd_offer_rule rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_reason(struct sd_offer *o, enum sd_offer_rule rule, const char *fmt, ...)
{
	va_list ap;
	if (o->nreasons >= SD_OFFER_MAX_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(o->reason[o->nreasons], SD_OFFER_REASON_MAX, fmt, ap);
	va_end(ap);
	o->rule[o->nreasons++] = rule;
}

/* The standardized 5QI with the smallest packet delay budget. */
static const struct sd_5qi *tightest_5qi(void)
{
	int n, i;
	const struct sd_5qi *t = sd_5qi_table(&n), *best = NULL;
	for (i = 0; i < n; i++)
		if (!best || t[i].pdb_ms < best->pdb_ms)
			best = &t[i];
	return best;
}

/* Why a template does not suit a mode: the most specific cause first. */
static void mode_reason(const struct sd_scenario *s, const struct sd_factory *f,
			struct sd_offer *o)
{
	const struct sd_5qi *q = tightest_5qi();
	char suits[64];
	double ms = s->sla.latency_us / 1000.0;
	const char *mode = sd_pn_mode_name(f->mode);
	modes_text(s->modes, suits, sizeof suits);
	if (f->mode == SD_MODE_VIRTUAL && q && s->sla.latency_us < (uint32_t)q->pdb_ms * 1000u)
		add_reason(o, SD_OFFER_MODE, "its %g ms bound is below what any standard 5QI offers "
			   "(the tightest, 5QI %u, has a %u ms packet delay budget): a dynamic 5QI on "
			   "a local UPF, %s networks only; %s is %s", ms, (unsigned)q->fiveqi,
			   (unsigned)q->pdb_ms, suits, f->id, mode);
	else if (f->mode == SD_MODE_VIRTUAL && s->sla.latency_us <= 10000)
		add_reason(o, SD_OFFER_MODE, "its %g ms bound needs a local UPF, %s networks only; "
			   "%s is %s", ms, suits, f->id, mode);
	else if (f->mode == SD_MODE_VIRTUAL && s->needs_local_upf)
		add_reason(o, SD_OFFER_MODE, "its data stays on site (a local UPF/MEC), %s networks "
			   "only; %s is %s", suits, f->id, mode);
	else if (f->mode == SD_MODE_INDEPENDENT)
		add_reason(o, SD_OFFER_MODE, "it serves beyond the factory fence over public "
			   "coverage, %s networks only; %s is %s", suits, f->id, mode);
	else
		add_reason(o, SD_OFFER_MODE, "suited to %s networks only; %s is %s", suits, f->id,
			   mode);
}

bool sd_scenario_offer(const struct sd_scenario *s, const struct sd_factory *f,
		       struct sd_offer *o)
{
	const struct sd_5qi *q = sd_5qi_lookup(s->sla.fiveqi);
	memset(o, 0, sizeof *o);
	if (!sd_scenario_suits(s, f->mode))
		mode_reason(s, f, o);
	if (f->security_grade >= 3 && f->mode == SD_MODE_VIRTUAL && s->level != SD_LEVEL_FACTORY)
		add_reason(o, SD_OFFER_SECURITY, "security grade %d: %s-level production data does "
			   "not cross a shared core; needs a hybrid or independent network",
			   f->security_grade, sd_level_name(s->level));
	if (q && s->sla.latency_us < (uint32_t)q->pdb_ms * 1000u)
		snprintf(o->note, sizeof o->note, "the %g ms bound is tighter than standard 5QI %u's "
			 "%u ms packet delay budget: provisioned with a non-standard 5QI",
			 s->sla.latency_us / 1000.0, (unsigned)q->fiveqi, (unsigned)q->pdb_ms);
	return o->nreasons == 0;
}

json_t *sd_scenario_json(const struct sd_scenario *s, const struct sd_factory *f)
{
	json_t *o = json_object(), *modes = json_array(), *levels = json_array();
	int m;
	for (m = 0; m < SD_MODE_COUNT; m++)
		if (s->modes & SD_MODE_BIT(m))
			json_array_append_new(modes, json_string(sd_pn_mode_name((enum sd_pn_mode)m)));
	for (m = 0; m < SD_LEVEL_COUNT; m++)
		if (sd_level_suits(s->level, (enum sd_factory_level)m))
			json_array_append_new(levels, json_string(sd_level_name((enum sd_factory_level)m)));
	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "number", json_integer(s->number));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "name_zh", json_string(s->name_zh));
	json_object_set_new(o, "sst", json_integer(s->sst));
	json_object_set_new(o, "fiveqi", json_integer(s->sla.fiveqi));
	json_object_set_new(o, "latency_ms", json_real(s->sla.latency_us / 1000.0));
	json_object_set_new(o, "latency_pct", json_real(s->sla.latency_pct));
	json_object_set_new(o, "gbr_ul_kbps", json_integer((json_int_t)s->sla.gbr_ul_kbps));
	json_object_set_new(o, "mbr_ul_kbps", json_integer((json_int_t)s->sla.mbr_ul_kbps));
	json_object_set_new(o, "gbr_dl_kbps", json_integer((json_int_t)s->sla.gbr_dl_kbps));
	json_object_set_new(o, "mbr_dl_kbps", json_integer((json_int_t)s->sla.mbr_dl_kbps));
	json_object_set_new(o, "reliability_pct", json_real(s->sla.reliability_pct));
	json_object_set_new(o, "availability_pct", json_real(s->sla.availability_pct));
	/* the device density the template is sized for: UEs per slice, 0 when
	 * the scenario scales with headcount */
	json_object_set_new(o, "max_ues", json_integer(s->sla.max_ues));
	json_object_set_new(o, "level", json_string(sd_level_name(s->level)));
	json_object_set_new(o, "levels", levels);
	json_object_set_new(o, "modes", modes);
	json_object_set_new(o, "needs_local_upf", json_boolean(s->needs_local_upf));
	json_object_set_new(o, "sources", json_string(s->sources));
	if (f) {
		struct sd_offer off;
		json_t *why = json_array();
		int i;
		bool ok = sd_scenario_offer(s, f, &off);
		for (i = 0; i < off.nreasons; i++)
			json_array_append_new(why, json_string(off.reason[i]));
		json_object_set_new(o, "factory", json_string(f->id));
		json_object_set_new(o, "offered", json_boolean(ok));
		json_object_set_new(o, "reasons", why);
		json_object_set_new(o, "note", off.note[0] ? json_string(off.note) : json_null());
	}
	return o;
}

/* --- the op ------------------------------------------------------------------- */

static json_t *op_scenarios(struct sd_op_call *call)
{
	const struct sd_ipc_caller *c = call->caller;
	const struct sd_model *m = call->model;
	json_t *jf = json_object_get(call->params, "factory"), *rows;
	const struct sd_factory *f = NULL;
	size_t i;

	if (c->role == SD_ROLE_FACTORY) {
		/* another factory's offer is refused whether it exists or not */
		if (json_is_string(jf) && strcmp(json_string_value(jf), c->factory_id) != 0)
			return sd_op_fail_scope(call, "factory", json_string_value(jf));
		if (c->factory >= 0 && c->factory < m->nfactories)
			f = &m->factories[c->factory];
	} else if (json_is_string(jf)) {
		int fi = sd_model_factory_index(m, json_string_value(jf));
		if (fi < 0 || !sd_ipc_sees_factory(c, fi))
			return sd_op_fail_scope(call, "factory", json_string_value(jf));
		f = &m->factories[fi];
	}
	rows = json_array();
	for (i = 0; i < sd_scenario_count(); i++)
		json_array_append_new(rows, sd_scenario_json(sd_scenario_at(i), f));
	return json_pack("{s:o, s:o}", "scenarios", rows, "factory",
			 f ? json_string(f->id) : json_null());
}

static const struct sd_param p_scenarios[] = {
	{ "factory", SD_PT_ID, false, "say which templates this factory is not offered, and why" },
	SD_PARAMS_END
};

static const struct sd_op catalog_ops[] = {
	{ "scenarios", op_scenarios, SD_PERM_READ, 0, p_scenarios,
	  "the 20-scenario slice template catalog (for a factory: what it is offered)" },
};

int sd_catalog_register_ops(struct sd_ops *ops)
{
	return sd_ops_register(ops, catalog_ops, SD_ARRAY_LEN(catalog_ops), NULL);
}

void sd_catalog_unregister_ops(struct sd_ops *ops)
{
	sd_ops_unregister(ops, catalog_ops);
}
