/* slicing/spec.c — see spec.h. */
#include "slicing/spec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipc.h"
#include "core/util.h"
#include "slicing/scenario.h"

json_t *sd_spec_sla_json(const struct sd_sla_profile *s)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:i, s:i}",
			 "gbr_ul_kbps", (json_int_t)s->gbr_ul_kbps, "gbr_dl_kbps", (json_int_t)s->gbr_dl_kbps,
			 "mbr_ul_kbps", (json_int_t)s->mbr_ul_kbps, "mbr_dl_kbps", (json_int_t)s->mbr_dl_kbps,
			 "latency_ms", s->latency_us / 1000.0, "latency_pct", s->latency_pct,
			 "reliability_pct", s->reliability_pct, "availability_pct", s->availability_pct,
			 "max_ues", (int)s->max_ues, "fiveqi", (int)s->fiveqi);
}

/* One override: its name, kind and bounds. */
enum ov_kind { OV_KBPS, OV_MS, OV_PCT, OV_UES, OV_5QI };
static const struct {
	const char *name;
	enum ov_kind kind;
} overrides[] = {
	{ "gbr_ul_kbps", OV_KBPS }, { "gbr_dl_kbps", OV_KBPS }, { "mbr_ul_kbps", OV_KBPS },
	{ "mbr_dl_kbps", OV_KBPS }, { "latency_ms", OV_MS }, { "latency_pct", OV_PCT },
	{ "reliability_pct", OV_PCT }, { "availability_pct", OV_PCT }, { "max_ues", OV_UES },
	{ "fiveqi", OV_5QI },
};

static bool apply_sla(struct sd_op_call *call, const json_t *o, struct sd_sla_profile *p)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		size_t i;
		double d;
		for (i = 0; i < SD_ARRAY_LEN(overrides); i++)
			if (strcmp(overrides[i].name, k) == 0)
				break;
		if (i == SD_ARRAY_LEN(overrides)) {
			char clean[80];
			sd_sanitize(clean, sizeof clean, k, strlen(k));
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"sla\": no member \"%s\" (gbr_ul_kbps, "
				   "gbr_dl_kbps, mbr_ul_kbps, mbr_dl_kbps, latency_ms, latency_pct, "
				   "reliability_pct, availability_pct, max_ues, fiveqi)", clean);
			return false;
		}
		if (!json_is_number(v) || (overrides[i].kind != OV_MS && overrides[i].kind != OV_PCT &&
					   !json_is_integer(v))) {
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"sla.%s\" must be %s", k,
				   overrides[i].kind == OV_MS || overrides[i].kind == OV_PCT
				   ? "a number" : "an integer");
			return false;
		}
		d = json_number_value(v);
		switch (overrides[i].kind) {
		case OV_KBPS:
			if (d < 0 || d > 100e6)
				goto range;
			if (i == 0) p->gbr_ul_kbps = (uint64_t)d;
			else if (i == 1) p->gbr_dl_kbps = (uint64_t)d;
			else if (i == 2) p->mbr_ul_kbps = (uint64_t)d;
			else p->mbr_dl_kbps = (uint64_t)d;
			break;
		case OV_MS:
			if (!(d > 0 && d <= 3600000))
				goto range;
			p->latency_us = (uint32_t)llround(d * 1000);
			break;
		case OV_PCT:
			if (!(d > 0 && d <= 100))
				goto range;
			if (i == 5) p->latency_pct = d;
			else if (i == 6) p->reliability_pct = d;
			else p->availability_pct = d;
			break;
		case OV_UES:
			if (d < 0 || d > 10000000)
				goto range;
			p->max_ues = (uint32_t)d;
			break;
		case OV_5QI:
			if (d < 1 || d > 255)
				goto range;
			p->fiveqi = (uint8_t)d;
			break;
		}
		continue;
range:
		sd_op_fail(call, SD_IPC_E_BADREQ, "\"sla.%s\": %g is out of range", k, d);
		return false;
	}
	return true;
}

/* Guaranteed rates within the maximum ones (after the template check, so a
 * factory user is told the template's limit first). */
static bool sla_consistent(struct sd_op_call *call, const struct sd_sla_profile *p)
{
	if (p->gbr_ul_kbps > p->mbr_ul_kbps && p->mbr_ul_kbps) {
		sd_op_fail(call, SD_IPC_E_BADREQ, "\"sla\": guaranteed UL %llu kbit/s above the maximum %llu",
			   (unsigned long long)p->gbr_ul_kbps, (unsigned long long)p->mbr_ul_kbps);
		return false;
	}
	if (p->gbr_dl_kbps > p->mbr_dl_kbps && p->mbr_dl_kbps) {
		sd_op_fail(call, SD_IPC_E_BADREQ, "\"sla\": guaranteed DL %llu kbit/s above the maximum %llu",
			   (unsigned long long)p->gbr_dl_kbps, (unsigned long long)p->mbr_dl_kbps);
		return false;
	}
	return true;
}

/* A factory user's overrides against the template: the first one past its
 * limit, named with both figures. */
static bool within_template(struct sd_op_call *call, const struct sd_scenario *sc,
			    const struct sd_sla_profile *p)
{
	const struct sd_sla_profile *t = &sc->sla;
	const char *what = NULL;
	char got[48] = "", lim[48] = "";
	/* a rate may go up to the template's maximum, never past it */
	uint64_t ul_cap = t->mbr_ul_kbps, dl_cap = t->mbr_dl_kbps;
	if (p->gbr_ul_kbps > ul_cap)
		what = "gbr_ul_kbps", snprintf(got, sizeof got, "%llu", (unsigned long long)p->gbr_ul_kbps),
		snprintf(lim, sizeof lim, "at most %llu", (unsigned long long)ul_cap);
	else if (p->gbr_dl_kbps > dl_cap)
		what = "gbr_dl_kbps", snprintf(got, sizeof got, "%llu", (unsigned long long)p->gbr_dl_kbps),
		snprintf(lim, sizeof lim, "at most %llu", (unsigned long long)dl_cap);
	else if (p->mbr_ul_kbps > ul_cap)
		what = "mbr_ul_kbps", snprintf(got, sizeof got, "%llu", (unsigned long long)p->mbr_ul_kbps),
		snprintf(lim, sizeof lim, "at most %llu", (unsigned long long)ul_cap);
	else if (p->mbr_dl_kbps > dl_cap)
		what = "mbr_dl_kbps", snprintf(got, sizeof got, "%llu", (unsigned long long)p->mbr_dl_kbps),
		snprintf(lim, sizeof lim, "at most %llu", (unsigned long long)dl_cap);
	else if (p->latency_us < t->latency_us)
		what = "latency_ms", snprintf(got, sizeof got, "%g", p->latency_us / 1000.0),
		snprintf(lim, sizeof lim, "at least %g", t->latency_us / 1000.0);
	else if (p->latency_pct > t->latency_pct)
		what = "latency_pct", snprintf(got, sizeof got, "%g", p->latency_pct),
		snprintf(lim, sizeof lim, "at most %g", t->latency_pct);
	else if (p->reliability_pct > t->reliability_pct)
		what = "reliability_pct", snprintf(got, sizeof got, "%g", p->reliability_pct),
		snprintf(lim, sizeof lim, "at most %g", t->reliability_pct);
	else if (p->availability_pct > t->availability_pct)
		what = "availability_pct", snprintf(got, sizeof got, "%g", p->availability_pct),
		snprintf(lim, sizeof lim, "at most %g", t->availability_pct);
	else if (t->max_ues && (p->max_ues > t->max_ues || p->max_ues == 0))
		what = "max_ues", snprintf(got, sizeof got, "%u", (unsigned)p->max_ues),
		snprintf(lim, sizeof lim, "1 to %u", (unsigned)t->max_ues);
	else if (p->fiveqi != t->fiveqi)
		what = "fiveqi", snprintf(got, sizeof got, "%u", (unsigned)p->fiveqi),
		snprintf(lim, sizeof lim, "%u", (unsigned)t->fiveqi);
	if (!what)
		return true;
	sd_op_fail(call, SD_IPC_E_FORBIDDEN, "sla.%s %s is outside template %s's limits (%s); "
		   "ask the operator for more", what, got, sc->id, lim);
	return false;
}

static bool parse_sites(struct sd_op_call *call, const json_t *arr, struct sd_slice *s)
{
	const struct sd_model *m = call->model;
	size_t i, j;
	json_t *v;
	if (json_array_size(arr) > 256)
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"sites\": at most 256"), false;
	free(s->sites);
	s->sites = sd_calloc(json_array_size(arr) + 1, sizeof *s->sites);
	s->nsites = 0;
	json_array_foreach(arr, i, v) {
		const char *id = json_string_value(v);
		int si;
		if (!id || !sd_id_valid(id))
			return sd_op_fail(call, SD_IPC_E_BADREQ, "\"sites\" must be site ids"), false;
		si = sd_model_site_index(m, id);
		if (si < 0 || !sd_ipc_sees_factory(call->caller, m->sites[si].factory))
			return sd_op_fail_scope(call, "site", id), false;
		if (m->sites[si].factory != s->factory) {
			sd_op_fail(call, SD_IPC_E_BADREQ, "site %s is not %s's", id,
				   m->factories[s->factory].id);
			return false;
		}
		for (j = 0; j < (size_t)s->nsites; j++)
			if (s->sites[j] == si)
				return sd_op_fail(call, SD_IPC_E_BADREQ, "site %s named twice", id), false;
		s->sites[s->nsites++] = si;
	}
	return true;
}

bool sd_spec_parse(struct sd_op_call *call, bool modify, struct sd_slice_spec *sp)
{
	const struct sd_model *m = call->model;
	const struct sd_ipc_caller *c = call->caller;
	json_t *p = call->params;
	const char *fid = json_string_value(json_object_get(p, "factory"));
	const char *scen = json_string_value(json_object_get(p, "scenario"));
	const char *sn = json_string_value(json_object_get(p, "snssai"));
	const char *dnn = json_string_value(json_object_get(p, "dnn"));
	const char *name = json_string_value(json_object_get(p, "name"));
	json_t *sites = json_object_get(p, "sites"), *sla = json_object_get(p, "sla");
	struct sd_slice *s = &sp->slice;
	int fi;

	memset(sp, 0, sizeof *sp);
	if (modify) {
		const char *id = json_string_value(json_object_get(p, "slice"));
		int i = id ? sd_model_slice_index(m, id) : -1;
		if (i < 0 || !sd_ipc_sees_factory(c, m->slices[i].factory))
			return sd_op_fail_scope(call, "slice", id ? id : ""), false;
		sp->base = &m->slices[i];
		*s = *sp->base;
		s->sites = sd_calloc((size_t)s->nsites + 1, sizeof *s->sites);
		memcpy(s->sites, sp->base->sites, (size_t)s->nsites * sizeof *s->sites);
		if (fid && strcmp(fid, m->factories[s->factory].id) != 0)
			return sd_op_fail(call, SD_IPC_E_BADREQ, "a slice's factory cannot change"), false;
		if (scen && (!s->scenario || strcmp(scen, s->scenario->id) != 0))
			return sd_op_fail(call, SD_IPC_E_BADREQ, "a slice's scenario cannot change "
					  "(request a new slice)"), false;
	} else {
		if (c->role == SD_ROLE_FACTORY) {
			if (fid && strcmp(fid, c->factory_id) != 0)
				return sd_op_fail_scope(call, "factory", fid), false;
			fi = c->factory;
		} else {
			if (!fid)
				return sd_op_fail(call, SD_IPC_E_BADREQ, "\"factory\" is required"), false;
			fi = sd_model_factory_index(m, fid);
			if (fi < 0)
				return sd_op_fail_scope(call, "factory", fid), false;
		}
		if (fi < 0 || fi >= m->nfactories)
			return sd_op_fail(call, SD_IPC_E_FORBIDDEN, "no factory in your scope"), false;
		if (!scen)
			return sd_op_fail(call, SD_IPC_E_BADREQ, "\"scenario\" is required "
					  "(slicedeck scenarios lists them)"), false;
		s->scenario = sd_scenario_find(scen);
		if (!s->scenario) {
			char clean[64];
			sd_sanitize(clean, sizeof clean, scen, strlen(scen));
			return sd_op_fail(call, SD_IPC_E_BADREQ, "no scenario \"%s\" (slicedeck "
					  "scenarios lists them)", clean), false;
		}
		s->factory = fi;
		s->sla = s->scenario->sla;
		s->snssai.sst = s->scenario->sst;
		s->state = SD_SLICE_REQUESTED;
		s->origin = SD_ORIGIN_RUNTIME;
		sd_strlcpy(s->dnn, m->factories[fi].ndnns ? m->factories[fi].dnns[0] : "", sizeof s->dnn);
		snprintf(s->name, sizeof s->name, "%s", s->scenario->name);
	}
	if (sn) {
		const char *why = NULL;
		if (c->role == SD_ROLE_FACTORY)
			return sd_op_fail(call, SD_IPC_E_FORBIDDEN, "the S-NSSAI is the operator's to "
					  "choose; leave \"snssai\" out and one is allocated"), false;
		if (!sd_snssai_parse(sn, &s->snssai, &why))
			return sd_op_fail(call, SD_IPC_E_BADREQ, "\"snssai\": %s", why ? why : "invalid"),
			       false;
		sp->adm.has_snssai = true;
	} else if (modify) {
		sp->adm.has_snssai = true;   /* it keeps its own */
	}
	if (dnn) {
		const struct sd_factory *f = &m->factories[s->factory];
		int k;
		for (k = 0; k < f->ndnns && strcmp(f->dnns[k], dnn) != 0; k++)
			;
		if (k == f->ndnns)
			return sd_op_fail(call, SD_IPC_E_BADREQ, "\"dnn\": not one of %s's DNNs", f->id),
			       false;
		sd_strlcpy(s->dnn, dnn, sizeof s->dnn);
	}
	if (name) {
		char clean[SD_NAME_MAX];
		sd_sanitize(clean, sizeof clean, name, strlen(name));
		sd_strlcpy(s->name, clean, sizeof s->name);
	}
	if (sites && !parse_sites(call, sites, s))
		return false;
	if (sla && !apply_sla(call, sla, &s->sla))
		return false;
	if (c->role == SD_ROLE_FACTORY && s->scenario && !within_template(call, s->scenario, &s->sla))
		return false;
	if (!sla_consistent(call, &s->sla))
		return false;
	sp->adm.slice_id = sp->base ? sp->base->id : NULL;
	sp->adm.factory = s->factory;
	sp->adm.scenario = s->scenario;
	sp->adm.snssai = s->snssai;
	sp->adm.sst = s->snssai.sst;
	sp->adm.sites = s->sites;
	sp->adm.nsites = s->nsites;
	sp->adm.sla = s->sla;
	sd_op_about(call, m->factories[s->factory].id);
	return true;
}

void sd_spec_done(struct sd_slice_spec *sp)
{
	free(sp->slice.sites);
	sp->slice.sites = NULL;
}
