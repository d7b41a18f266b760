/* engine/ops_model.c — the model's IPC operations and live-update topics
 * (factories, slices, sites, cells, NF instances), with the scoping rules
 * that decide what a caller may see:
 *
 *   operator  everything, and actions
 *   viewer    everything, read-only
 *   factory   its own factory's objects only; shared NFs (those that list
 *             no S-NSSAI) and NFs serving one of its slices
 */
#include "engine/ops_model.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

/* --- scope ------------------------------------------------------------------- */

/* true when the S-NSSAI is one of factory f's slices. */
static bool factory_has_snssai(const struct sd_model *m, int f, const struct sd_snssai *sn)
{
	const int *idx;
	int n = sd_model_slices_by_snssai(m, sn, &idx), i;
	for (i = 0; i < n; i++)
		if (m->slices[idx[i]].factory == f)
			return true;
	return false;
}

static bool sees_nf(const struct sd_model *m, const struct sd_ipc_caller *c,
		    const struct sd_nf_instance *nf)
{
	int j;
	if (c->role != SD_ROLE_FACTORY)
		return c->role == SD_ROLE_OPERATOR || c->role == SD_ROLE_VIEWER;
	if (nf->nsnssais == 0)
		return true;   /* shared control plane */
	for (j = 0; j < nf->nsnssais; j++)
		if (factory_has_snssai(m, c->factory, &nf->snssais[j]))
			return true;
	return false;
}

/* The optional "factory" filter: resolved to an index (-1 = all visible).
 * A factory caller naming any factory but its own is refused, whether or
 * not that factory exists, so ids cannot be probed. */
static bool factory_filter(struct sd_op_call *call, int *out)
{
	json_t *f = json_object_get(call->params, "factory");
	int idx;
	*out = -1;
	if (!f || json_is_null(f))
		return true;
	idx = sd_model_factory_index(call->model, json_string_value(f));
	if (idx < 0 || !sd_ipc_sees_factory(call->caller, idx)) {
		sd_op_fail_scope(call, "factory", json_string_value(f));
		return false;
	}
	*out = idx;
	return true;
}

/* --- JSON views of model objects -------------------------------------------- */

static json_t *sla_json(const struct sd_sla_profile *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "latency_ms", json_real(s->latency_us / 1000.0));
	json_object_set_new(o, "latency_pct", json_real(s->latency_pct));
	json_object_set_new(o, "reliability_pct", json_real(s->reliability_pct));
	json_object_set_new(o, "availability_pct", json_real(s->availability_pct));
	json_object_set_new(o, "gbr_ul_kbps", json_integer((json_int_t)s->gbr_ul_kbps));
	json_object_set_new(o, "gbr_dl_kbps", json_integer((json_int_t)s->gbr_dl_kbps));
	json_object_set_new(o, "mbr_ul_kbps", json_integer((json_int_t)s->mbr_ul_kbps));
	json_object_set_new(o, "mbr_dl_kbps", json_integer((json_int_t)s->mbr_dl_kbps));
	json_object_set_new(o, "max_ues", json_integer(s->max_ues));
	json_object_set_new(o, "fiveqi", json_integer(s->fiveqi));
	return o;
}

/* Observed values; null where not known yet. */
static json_t *live_json(const struct sd_slice_live *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "load_level", l->load_level >= 0 ? json_integer(l->load_level) : json_null());
	json_object_set_new(o, "ues", l->ues >= 0 ? json_integer(l->ues) : json_null());
	json_object_set_new(o, "pdu_sessions", l->pdu_sessions >= 0 ? json_integer(l->pdu_sessions) : json_null());
	json_object_set_new(o, "delay_ms", l->delay_ms >= 0 ? json_real(l->delay_ms) : json_null());
	json_object_set_new(o, "tas_total", json_integer(l->tas_total));
	json_object_set_new(o, "tas_available", l->tas_available >= 0 ? json_integer(l->tas_available) : json_null());
	json_object_set_new(o, "updated_ms", json_integer(l->updated_ms));
	return o;
}

static json_t *factory_json(const struct sd_model *m, int fi)
{
	const struct sd_factory *f = &m->factories[fi];
	json_t *o = json_object(), *dnns = json_array();
	int i, nsites = 0, nslices = 0, ncells = 0;
	for (i = 0; i < f->ndnns; i++)
		json_array_append_new(dnns, json_string(f->dnns[i]));
	sd_model_factory_counts(m, fi, &nsites, &ncells, &nslices);
	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "industry", json_string(f->industry));
	json_object_set_new(o, "zone", json_string(f->zone));
	json_object_set_new(o, "mode", json_string(sd_pn_mode_name(f->mode)));
	json_object_set_new(o, "level", json_string(sd_level_name(f->level)));
	json_object_set_new(o, "security_grade", json_integer(f->security_grade));
	json_object_set_new(o, "dnns", dnns);
	json_object_set_new(o, "sites", json_integer(nsites));
	json_object_set_new(o, "cells", json_integer(ncells));
	json_object_set_new(o, "slices", json_integer(nslices));
	return o;
}

static json_t *slice_json(const struct sd_model *m, const struct sd_slice *s)
{
	json_t *o = json_object(), *sites = json_array();
	char buf[SD_SNSSAI_STRLEN];
	int i;
	for (i = 0; i < s->nsites; i++)
		json_array_append_new(sites, json_string(m->sites[s->sites[i]].id));
	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "factory", json_string(m->factories[s->factory].id));
	json_object_set_new(o, "snssai", json_string(sd_snssai_format(&s->snssai, buf, sizeof buf)));
	json_object_set_new(o, "sst", json_integer(s->snssai.sst));
	if (s->snssai.has_sd) {
		snprintf(buf, sizeof buf, "%06x", s->snssai.sd);
		json_object_set_new(o, "sd", json_string(buf));
	}
	json_object_set_new(o, "scenario", json_string(s->scenario ? s->scenario->id : ""));
	json_object_set_new(o, "scenario_name", json_string(s->scenario ? s->scenario->name : ""));
	json_object_set_new(o, "dnn", json_string(s->dnn));
	json_object_set_new(o, "state", json_string(sd_slice_state_name(s->state)));
	json_object_set_new(o, "origin", json_string(sd_origin_name(s->origin)));
	json_object_set_new(o, "sla", sla_json(&s->sla));
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "live", live_json(&s->live));
	return o;
}

static json_t *site_json(const struct sd_model *m, int si)
{
	const struct sd_site *s = &m->sites[si];
	json_t *o = json_object();
	const int *idx;
	int ncells = sd_model_site_cells(m, si, &idx);
	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "factory", json_string(m->factories[s->factory].id));
	json_object_set_new(o, "lat", json_real(s->lat));
	json_object_set_new(o, "lon", json_real(s->lon));
	json_object_set_new(o, "cells", json_integer(ncells < 0 ? 0 : ncells));
	return o;
}

static json_t *cell_json(const struct sd_model *m, const struct sd_cell *c)
{
	json_t *o = json_object();
	char buf[64];
	const struct sd_site *site = &m->sites[c->site];
	json_object_set_new(o, "id", json_string(c->id));
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "site", json_string(site->id));
	json_object_set_new(o, "factory", json_string(m->factories[site->factory].id));
	snprintf(buf, sizeof buf, "%s-%s-%09llx", m->plmn.mcc, m->plmn.mnc,
		 (unsigned long long)c->nci);
	json_object_set_new(o, "ncgi", json_string(buf));
	snprintf(buf, sizeof buf, "%06x", c->tac);
	json_object_set_new(o, "tac", json_string(buf));
	json_object_set_new(o, "pci", json_integer(c->pci));
	return o;
}

/* An NF as the caller may see it: a factory caller gets only the S-NSSAIs
 * of its own slices in "snssais" (an NF shared between factories must not
 * reveal the other tenants' slices). */
static json_t *nf_json(const struct sd_model *m, const struct sd_ipc_caller *c,
		       const struct sd_nf_instance *nf)
{
	json_t *o = json_object(), *sn = json_array(), *sv = json_array();
	char buf[SD_SNSSAI_STRLEN];
	int i;
	for (i = 0; i < nf->nsnssais; i++) {
		if (c->role == SD_ROLE_FACTORY && !factory_has_snssai(m, c->factory, &nf->snssais[i]))
			continue;
		json_array_append_new(sn, json_string(sd_snssai_format(&nf->snssais[i], buf, sizeof buf)));
	}
	for (i = 0; i < nf->nservices; i++)
		json_array_append_new(sv, json_string(nf->services[i]));
	json_object_set_new(o, "id", json_string(nf->id));
	json_object_set_new(o, "type", json_string(nf->type));
	json_object_set_new(o, "name", json_string(nf->name));
	json_object_set_new(o, "status", json_string(sd_nf_status_name(nf->status)));
	json_object_set_new(o, "load", nf->load >= 0 ? json_integer(nf->load) : json_null());
	json_object_set_new(o, "heartbeat_s", json_integer(nf->heartbeat_s));
	json_object_set_new(o, "addr", json_string(nf->addr));
	json_object_set_new(o, "snssais", sn);
	json_object_set_new(o, "services", sv);
	json_object_set_new(o, "last_seen_ms", json_integer(nf->last_seen_ms));
	json_object_set_new(o, "reachable", json_boolean(nf->reachable));
	json_object_set_new(o, "stale", json_boolean(nf->stale));
	json_object_set_new(o, "source", json_string(nf->source));
	return o;
}

/* --- topics ------------------------------------------------------------------ */

static int cell_factory(const struct sd_model *m, int ci)
{
	return m->sites[m->cells[ci].site].factory;
}

#define EACH(kind, arr, n)                                                          \
	static void each_##kind(void *arg, void (*fn)(void *fa, const char *id), void *fa) \
	{                                                                           \
		struct sd_model *m = sd_host_model(arg);                              \
		int i;                                                              \
		for (i = 0; i < m->n; i++)                                          \
			fn(fa, m->arr[i].id);                                       \
	}
EACH(factory, factories, nfactories)
EACH(slice, slices, nslices)
EACH(site, sites, nsites)
EACH(cell, cells, ncells)
EACH(nf, nfs, nnfs)

/* What a factory scope sees of each topic, from the per-factory lists. */
static void owned_factory(void *arg, int f, void (*fn)(void *fa, const char *id), void *fa)
{
	struct sd_model *m = sd_host_model(arg);
	if (f >= 0 && f < m->nfactories)
		fn(fa, m->factories[f].id);
}

static void owned_slice(void *arg, int f, void (*fn)(void *fa, const char *id), void *fa)
{
	struct sd_model *m = sd_host_model(arg);
	const int *idx;
	int n = sd_model_factory_slices(m, f, &idx), i;
	for (i = 0; i < n; i++)
		fn(fa, m->slices[idx[i]].id);
}

static void owned_site(void *arg, int f, void (*fn)(void *fa, const char *id), void *fa)
{
	struct sd_model *m = sd_host_model(arg);
	const int *idx;
	int n = sd_model_factory_sites(m, f, &idx), i;
	for (i = 0; i < n; i++)
		fn(fa, m->sites[idx[i]].id);
}

static void owned_cell(void *arg, int f, void (*fn)(void *fa, const char *id), void *fa)
{
	struct sd_model *m = sd_host_model(arg);
	const int *sites;
	int ns = sd_model_factory_sites(m, f, &sites), i, k;
	for (i = 0; i < ns; i++) {
		const int *cells;
		/* the site list may move when the cell list is regrouped: copy */
		int site = sites[i];
		int nc = sd_model_site_cells(m, site, &cells);
		for (k = 0; k < nc; k++)
			fn(fa, m->cells[cells[k]].id);
		ns = sd_model_factory_sites(m, f, &sites);
	}
}

static int owner_factory(void *arg, const char *id)
{
	int i = sd_model_factory_index(sd_host_model(arg), id);
	return i >= 0 ? i : SD_OWNER_UNKNOWN;
}

static int owner_slice(void *arg, const char *id)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_slice_index(m, id);
	return i >= 0 ? m->slices[i].factory : SD_OWNER_UNKNOWN;
}

static int owner_site(void *arg, const char *id)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_site_index(m, id);
	return i >= 0 ? m->sites[i].factory : SD_OWNER_UNKNOWN;
}

static int owner_cell(void *arg, const char *id)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_cell_index(m, id);
	return i >= 0 ? cell_factory(m, i) : SD_OWNER_UNKNOWN;
}

static int owner_nf(void *arg, const char *id)
{
	return sd_model_nf_index(sd_host_model(arg), id) >= 0 ? SD_OWNER_ANY : SD_OWNER_UNKNOWN;
}

static json_t *obj_factory(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_factory_index(m, id);
	return i >= 0 && sd_ipc_sees_factory(c, i) ? factory_json(m, i) : NULL;
}

static json_t *obj_slice(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_slice_index(m, id);
	return i >= 0 && sd_ipc_sees_factory(c, m->slices[i].factory)
	       ? slice_json(m, &m->slices[i]) : NULL;
}

static json_t *obj_site(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_site_index(m, id);
	return i >= 0 && sd_ipc_sees_factory(c, m->sites[i].factory) ? site_json(m, i) : NULL;
}

static json_t *obj_cell(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_cell_index(m, id);
	return i >= 0 && sd_ipc_sees_factory(c, cell_factory(m, i))
	       ? cell_json(m, &m->cells[i]) : NULL;
}

static json_t *obj_nf(void *arg, const char *id, const struct sd_ipc_caller *c)
{
	struct sd_model *m = sd_host_model(arg);
	int i = sd_model_nf_index(m, id);
	return i >= 0 && sees_nf(m, c, &m->nfs[i]) ? nf_json(m, c, &m->nfs[i]) : NULL;
}

int sd_ops_model_topics(struct sd_ipc_server *srv, const struct sd_host *host)
{
	void *arg = (void *)host;
	const struct sd_ipc_topic_def defs[] = {
		{ SD_TOPIC_FACTORIES, "factories", false, true, each_factory, obj_factory,
		  owner_factory, arg, owned_factory },
		{ SD_TOPIC_SLICES, "slices", false, true, each_slice, obj_slice, owner_slice, arg,
		  owned_slice },
		{ SD_TOPIC_SITES, "sites", false, true, each_site, obj_site, owner_site, arg,
		  owned_site },
		{ SD_TOPIC_CELLS, "cells", false, true, each_cell, obj_cell, owner_cell, arg,
		  owned_cell },
		/* a factory sees only its own S-NSSAIs of a shared NF */
		{ SD_TOPIC_NFS, "nfs", false, false, each_nf, obj_nf, owner_nf, arg, NULL },
	};
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(defs); i++)
		if (sd_ipc_server_topic(srv, &defs[i]) < 0)
			return -1;
	return 0;
}

/* --- ops ---------------------------------------------------------------------- */

#define LIST_OP(kind, arr, n, owner_expr, build)                                    \
	static json_t *op_##arr(struct sd_op_call *call)                           \
	{                                                                           \
		const struct sd_model *m = call->model;                             \
		json_t *a;                                                          \
		int only, i;                                                        \
		if (!factory_filter(call, &only))                                   \
			return NULL;                                                \
		a = json_array();                                                   \
		for (i = 0; i < m->n; i++) {                                        \
			int f = (owner_expr);                                       \
			if (sd_ipc_sees_factory(call->caller, f) && (only < 0 || only == f)) \
				json_array_append_new(a, build);                    \
		}                                                                   \
		return json_pack("{s:o}", #arr, a);                                 \
	}
LIST_OP(factory, factories, nfactories, i, factory_json(m, i))
LIST_OP(slice, slices, nslices, m->slices[i].factory, slice_json(m, &m->slices[i]))
LIST_OP(site, sites, nsites, m->sites[i].factory, site_json(m, i))
LIST_OP(cell, cells, ncells, cell_factory(m, i), cell_json(m, &m->cells[i]))

static json_t *op_nfs(struct sd_op_call *call)
{
	const struct sd_model *m = call->model;
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->nnfs; i++)
		if (sees_nf(m, call->caller, &m->nfs[i]))
			json_array_append_new(a, nf_json(m, call->caller, &m->nfs[i]));
	return json_pack("{s:o}", "nfs", a);
}

static json_t *op_slice(struct sd_op_call *call)
{
	const char *id = json_string_value(json_object_get(call->params, "slice"));
	const struct sd_model *m = call->model;
	int i = sd_model_slice_index(m, id);
	if (i < 0 || !sd_ipc_sees_factory(call->caller, m->slices[i].factory))
		return sd_op_fail_scope(call, "slice", id);
	return json_pack("{s:o}", "slice", slice_json(m, &m->slices[i]));
}

static const struct sd_param p_factory[] = {
	{ "factory", SD_PT_ID, false, "only this factory's objects" },
	SD_PARAMS_END
};
static const struct sd_param p_slice[] = {
	{ "slice", SD_PT_ID, true, "a slice id" },
	SD_PARAMS_END
};

static const struct sd_op model_ops[] = {
	{ "factories", op_factories, SD_PERM_READ, 0, p_factory, "factories in scope" },
	{ "slices", op_slices, SD_PERM_READ, 0, p_factory, "slices in scope" },
	{ "slice", op_slice, SD_PERM_READ, 0, p_slice, "one slice" },
	{ "sites", op_sites, SD_PERM_READ, 0, p_factory, "sites in scope" },
	{ "cells", op_cells, SD_PERM_READ, 0, p_factory, "cells in scope" },
	{ "nfs", op_nfs, SD_PERM_READ, 0, NULL, "NF instances in scope" },
};

int sd_ops_model_register(struct sd_ops *ops)
{
	return sd_ops_register(ops, model_ops, SD_ARRAY_LEN(model_ops), NULL);
}
