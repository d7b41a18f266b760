/* core/ipc_ops.c — the IPC operations, one table row each, and the scoping
 * rules that decide what a caller may see.
 *
 * Scoping is decided here, in the engine, for every reply and every push:
 *   operator  everything, and actions
 *   viewer    everything, read-only
 *   factory   its own factory's objects only; shared NFs (those that list
 *             no S-NSSAI) and NFs serving one of its slices
 */
#include "core/ipc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"

struct op_ctx {
	const struct sd_config *cfg;
	const struct sd_model *m;
	const struct sd_ipc_caller *caller;
	const struct sd_ipc_request *req;
	/* outputs */
	const char *err_code;
	char err_msg[256];
	bool hello_ok;
	unsigned subscribe, unsubscribe;
};

typedef json_t *(*op_fn)(struct op_ctx *ctx);

struct op_def {
	const char *name;
	op_fn fn;
	enum sd_role min_role;  /* SD_ROLE_FACTORY = any role; OPERATOR = operators */
	const char *help;
};

static json_t *fail(struct op_ctx *ctx, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static json_t *fail(struct op_ctx *ctx, const char *code, const char *fmt, ...)
{
	va_list ap;
	ctx->err_code = code;
	va_start(ap, fmt);
	vsnprintf(ctx->err_msg, sizeof ctx->err_msg, fmt, ap);
	va_end(ap);
	return NULL;
}

/* --- scope -------------------------------------------------------------- */

bool sd_ipc_sees_factory(const struct sd_ipc_caller *c, int factory)
{
	return c->role == SD_ROLE_OPERATOR || c->role == SD_ROLE_VIEWER ||
	       (c->role == SD_ROLE_FACTORY && c->factory == factory);
}

const char *sd_ipc_scope_error(const struct sd_ipc_caller *c, const char *what,
			       const char *id, char *msg, size_t msgsz)
{
	char clean[SD_ID_MAX * 2];
	sd_sanitize(clean, sizeof clean, id, strlen(id));
	if (c->role == SD_ROLE_FACTORY) {
		snprintf(msg, msgsz, "%s %s is outside your scope", what, clean);
		return SD_IPC_E_FORBIDDEN;
	}
	snprintf(msg, msgsz, "no %s %s", what, clean);
	return SD_IPC_E_NOTFOUND;
}

/* Answer a named object that is absent or out of scope. */
static json_t *fail_scope(struct op_ctx *ctx, const char *what, const char *id)
{
	ctx->err_code = sd_ipc_scope_error(ctx->caller, what, id, ctx->err_msg,
					   sizeof ctx->err_msg);
	return NULL;
}

static bool sees_nf(const struct sd_model *m, const struct sd_ipc_caller *c,
		    const struct sd_nf_instance *nf)
{
	int i, j;
	if (c->role != SD_ROLE_FACTORY)
		return c->role == SD_ROLE_OPERATOR || c->role == SD_ROLE_VIEWER;
	if (nf->nsnssais == 0)
		return true;   /* shared control plane */
	for (i = 0; i < m->nslices; i++) {
		if (m->slices[i].factory != c->factory)
			continue;
		for (j = 0; j < nf->nsnssais; j++)
			if (sd_snssai_equal(&nf->snssais[j], &m->slices[i].snssai))
				return true;
	}
	return false;
}

/* The optional "factory" filter: resolved to an index (-1 = all visible).
 * A factory caller naming any factory but its own is refused, whether or
 * not that factory exists, so ids cannot be probed. */
static bool factory_filter(struct op_ctx *ctx, int *out)
{
	json_t *f = json_object_get(ctx->req->params, "factory");
	int idx;
	*out = -1;
	if (!f || json_is_null(f))
		return true;
	if (!json_is_string(f)) {
		fail(ctx, SD_IPC_E_BADREQ, "\"factory\" must be a string");
		return false;
	}
	idx = sd_model_factory_index(ctx->m, json_string_value(f));
	if (idx < 0 || !sd_ipc_sees_factory(ctx->caller, idx)) {
		fail_scope(ctx, "factory", json_string_value(f));
		return false;
	}
	*out = idx;
	return true;
}

/* --- JSON views of model objects ----------------------------------------- */

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
	for (i = 0; i < m->nsites; i++)
		nsites += m->sites[i].factory == fi;
	for (i = 0; i < m->ncells; i++)
		ncells += m->sites[m->cells[i].site].factory == fi;
	for (i = 0; i < m->nslices; i++)
		nslices += m->slices[i].factory == fi;
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
	json_object_set_new(o, "sla", sla_json(&s->sla));
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "live", live_json(&s->live));
	return o;
}

static json_t *site_json(const struct sd_model *m, int si)
{
	const struct sd_site *s = &m->sites[si];
	json_t *o = json_object();
	int i, ncells = 0;
	for (i = 0; i < m->ncells; i++)
		ncells += m->cells[i].site == si;
	json_object_set_new(o, "id", json_string(s->id));
	json_object_set_new(o, "name", json_string(s->name));
	json_object_set_new(o, "factory", json_string(m->factories[s->factory].id));
	json_object_set_new(o, "lat", json_real(s->lat));
	json_object_set_new(o, "lon", json_real(s->lon));
	json_object_set_new(o, "cells", json_integer(ncells));
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

/* true when the S-NSSAI is one of the factory's slices. */
static bool factory_has_snssai(const struct sd_model *m, int factory, const struct sd_snssai *sn)
{
	int i;
	for (i = 0; i < m->nslices; i++)
		if (m->slices[i].factory == factory && sd_snssai_equal(&m->slices[i].snssai, sn))
			return true;
	return false;
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
	return o;
}

/* --- topic bodies --------------------------------------------------------- */

static json_t *list_factories(const struct sd_model *m, const struct sd_ipc_caller *c, int only)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->nfactories; i++)
		if (sd_ipc_sees_factory(c, i) && (only < 0 || only == i))
			json_array_append_new(a, factory_json(m, i));
	return a;
}

static json_t *list_slices(const struct sd_model *m, const struct sd_ipc_caller *c, int only)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->nslices; i++) {
		const struct sd_slice *s = &m->slices[i];
		if (sd_ipc_sees_factory(c, s->factory) && (only < 0 || only == s->factory))
			json_array_append_new(a, slice_json(m, s));
	}
	return a;
}

static json_t *list_sites(const struct sd_model *m, const struct sd_ipc_caller *c, int only)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->nsites; i++)
		if (sd_ipc_sees_factory(c, m->sites[i].factory) && (only < 0 || only == m->sites[i].factory))
			json_array_append_new(a, site_json(m, i));
	return a;
}

static json_t *list_cells(const struct sd_model *m, const struct sd_ipc_caller *c, int only)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->ncells; i++) {
		int f = m->sites[m->cells[i].site].factory;
		if (sd_ipc_sees_factory(c, f) && (only < 0 || only == f))
			json_array_append_new(a, cell_json(m, &m->cells[i]));
	}
	return a;
}

static json_t *list_nfs(const struct sd_model *m, const struct sd_ipc_caller *c)
{
	json_t *a = json_array();
	int i;
	for (i = 0; i < m->nnfs; i++)
		if (sees_nf(m, c, &m->nfs[i]))
			json_array_append_new(a, nf_json(m, c, &m->nfs[i]));
	return a;
}

static const struct {
	enum sd_ipc_topic topic;
	const char *name;
} topics[] = {
	{ SD_TOPIC_FACTORIES, "factories" },
	{ SD_TOPIC_SLICES, "slices" },
	{ SD_TOPIC_NFS, "nfs" },
	{ SD_TOPIC_SITES, "sites" },
	{ SD_TOPIC_ALARMS, "alarms" },
};

/* Tables registered by other modules (sd_ipc_ops_register). */
static struct ext_table {
	const struct sd_ipc_ext_op *ops;
	size_t n;
	void *arg;
	enum sd_ipc_topic topic;
	json_t *(*topic_fn)(void *arg, const struct sd_config *cfg,
			    const struct sd_ipc_caller *caller);
} ext_tables[8];

int sd_ipc_ops_register(const struct sd_ipc_ext_op *ops, size_t n, void *arg,
			enum sd_ipc_topic topic,
			json_t *(*topic_fn)(void *arg, const struct sd_config *cfg,
					    const struct sd_ipc_caller *caller))
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(ext_tables); i++) {
		if (!ext_tables[i].ops) {
			ext_tables[i] = (struct ext_table){ ops, n, arg, topic, topic_fn };
			return 0;
		}
	}
	return -1;
}

void sd_ipc_ops_unregister(const struct sd_ipc_ext_op *ops)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(ext_tables); i++)
		if (ext_tables[i].ops == ops)
			memset(&ext_tables[i], 0, sizeof ext_tables[i]);
}

static const struct sd_ipc_ext_op *find_ext(const char *name, void **arg)
{
	size_t i, k;
	for (i = 0; i < SD_ARRAY_LEN(ext_tables); i++) {
		for (k = 0; ext_tables[i].ops && k < ext_tables[i].n; k++) {
			if (strcmp(ext_tables[i].ops[k].name, name) == 0) {
				*arg = ext_tables[i].arg;
				return &ext_tables[i].ops[k];
			}
		}
	}
	return NULL;
}

const char *sd_ipc_topic_name(enum sd_ipc_topic t)
{
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(topics); i++)
		if (topics[i].topic == t)
			return topics[i].name;
	return "?";
}

json_t *sd_ipc_topic_data(const struct sd_config *cfg, const struct sd_ipc_caller *c,
			  enum sd_ipc_topic topic)
{
	const struct sd_model *m = cfg->model;
	json_t *list;
	switch (topic) {
	case SD_TOPIC_FACTORIES: list = list_factories(m, c, -1); break;
	case SD_TOPIC_SLICES: list = list_slices(m, c, -1); break;
	case SD_TOPIC_SITES: list = list_sites(m, c, -1); break;
	case SD_TOPIC_NFS: list = list_nfs(m, c); break;
	default: {
		size_t i;
		for (i = 0; i < SD_ARRAY_LEN(ext_tables); i++)
			if (ext_tables[i].topic_fn && ext_tables[i].topic == topic)
				return ext_tables[i].topic_fn(ext_tables[i].arg, cfg, c);
		return json_object();
	}
	}
	return json_pack("{s:o}", sd_ipc_topic_name(topic), list);
}

/* --- ops ------------------------------------------------------------------ */

static json_t *caller_json(struct op_ctx *ctx)
{
	const struct sd_ipc_caller *c = ctx->caller;
	json_t *o = json_object();
	json_object_set_new(o, "user", json_string(c->user));
	json_object_set_new(o, "uid", json_integer(c->uid));
	json_object_set_new(o, "role", json_string(sd_role_name(c->role)));
	if (c->role == SD_ROLE_FACTORY) {
		const struct sd_factory *f = &ctx->m->factories[c->factory];
		json_object_set_new(o, "factory", json_string(f->id));
		json_object_set_new(o, "factory_name", json_string(f->name));
	} else {
		json_object_set_new(o, "factory", json_null());
	}
	json_object_set_new(o, "zone", json_string(ctx->m->zone_name));
	return o;
}

static json_t *op_hello(struct op_ctx *ctx)
{
	json_t *v = json_object_get(ctx->req->params, "version");
	json_t *o;
	char plmn[16];
	if (!json_is_integer(v))
		return fail(ctx, SD_IPC_E_BADREQ, "hello needs \"version\" (an integer)");
	if (json_integer_value(v) != SD_IPC_VERSION) {
		char msg[32];
		snprintf(msg, sizeof msg, "%lld", (long long)json_integer_value(v));
		ctx->err_code = SD_IPC_E_VERSION;
		snprintf(ctx->err_msg, sizeof ctx->err_msg,
			 "this engine speaks protocol version %d, the client %s; "
			 "use a console of the same release", SD_IPC_VERSION, msg);
		return NULL;
	}
	ctx->hello_ok = true;
	o = caller_json(ctx);
	json_object_set_new(o, "version", json_integer(SD_IPC_VERSION));
	json_object_set_new(o, "engine", json_string("slicedeckd " SD_VERSION));
	snprintf(plmn, sizeof plmn, "%s-%s", ctx->m->plmn.mcc, ctx->m->plmn.mnc);
	json_object_set_new(o, "plmn", json_string(plmn));
	return o;
}

static json_t *op_whoami(struct op_ctx *ctx) { return caller_json(ctx); }

static json_t *op_ping(struct op_ctx *ctx)
{
	return json_pack("{s:b, s:I}", "pong", 1, "time_ms", (json_int_t)sd_wall_ms());
}

static json_t *op_factories(struct op_ctx *ctx)
{
	int only;
	if (!factory_filter(ctx, &only))
		return NULL;
	return json_pack("{s:o}", "factories", list_factories(ctx->m, ctx->caller, only));
}

static json_t *op_slices(struct op_ctx *ctx)
{
	int only;
	if (!factory_filter(ctx, &only))
		return NULL;
	return json_pack("{s:o}", "slices", list_slices(ctx->m, ctx->caller, only));
}

static json_t *op_sites(struct op_ctx *ctx)
{
	int only;
	if (!factory_filter(ctx, &only))
		return NULL;
	return json_pack("{s:o}", "sites", list_sites(ctx->m, ctx->caller, only));
}

static json_t *op_cells(struct op_ctx *ctx)
{
	int only;
	if (!factory_filter(ctx, &only))
		return NULL;
	return json_pack("{s:o}", "cells", list_cells(ctx->m, ctx->caller, only));
}

static json_t *op_nfs(struct op_ctx *ctx)
{
	return json_pack("{s:o}", "nfs", list_nfs(ctx->m, ctx->caller));
}

static json_t *op_slice(struct op_ctx *ctx)
{
	json_t *id = json_object_get(ctx->req->params, "slice");
	int i;
	if (!json_is_string(id))
		return fail(ctx, SD_IPC_E_BADREQ, "\"slice\" (a slice id) is required");
	i = sd_model_slice_index(ctx->m, json_string_value(id));
	if (i < 0 || !sd_ipc_sees_factory(ctx->caller, ctx->m->slices[i].factory))
		return fail_scope(ctx, "slice", json_string_value(id));
	return json_pack("{s:o}", "slice", slice_json(ctx->m, &ctx->m->slices[i]));
}

/* {"topics":["slices","nfs"]}; absent = every topic. */
static bool parse_topics(struct op_ctx *ctx, unsigned *bits)
{
	json_t *t = json_object_get(ctx->req->params, "topics"), *v;
	size_t i, k;
	*bits = 0;
	if (!t) {
		for (k = 0; k < SD_ARRAY_LEN(topics); k++)
			*bits |= topics[k].topic;
		return true;
	}
	if (!json_is_array(t)) {
		fail(ctx, SD_IPC_E_BADREQ, "\"topics\" must be an array of strings");
		return false;
	}
	json_array_foreach(t, i, v) {
		bool found = false;
		for (k = 0; json_is_string(v) && k < SD_ARRAY_LEN(topics); k++) {
			if (strcmp(json_string_value(v), topics[k].name) == 0) {
				*bits |= topics[k].topic;
				found = true;
			}
		}
		if (!found) {
			fail(ctx, SD_IPC_E_BADREQ, "unknown topic %s (factories, slices, sites, nfs)",
			     json_is_string(v) ? json_string_value(v) : "(not a string)");
			return false;
		}
	}
	return true;
}

static json_t *topics_json(unsigned bits)
{
	json_t *a = json_array();
	size_t k;
	for (k = 0; k < SD_ARRAY_LEN(topics); k++)
		if (bits & topics[k].topic)
			json_array_append_new(a, json_string(topics[k].name));
	return a;
}

static json_t *op_subscribe(struct op_ctx *ctx)
{
	if (!parse_topics(ctx, &ctx->subscribe))
		return NULL;
	return json_pack("{s:o}", "subscribed", topics_json(ctx->subscribe));
}

static json_t *op_unsubscribe(struct op_ctx *ctx)
{
	if (!parse_topics(ctx, &ctx->unsubscribe))
		return NULL;
	return json_pack("{s:o}", "unsubscribed", topics_json(ctx->unsubscribe));
}

static json_t *op_help(struct op_ctx *ctx);

static const struct op_def ops[] = {
	{ "hello",       op_hello,       SD_ROLE_FACTORY, "version handshake; must come first" },
	{ "whoami",      op_whoami,      SD_ROLE_FACTORY, "the caller's user, role and factory" },
	{ "ping",        op_ping,        SD_ROLE_FACTORY, "liveness" },
	{ "help",        op_help,        SD_ROLE_FACTORY, "the operations this caller may use" },
	{ "factories",   op_factories,   SD_ROLE_FACTORY, "factories in scope [factory]" },
	{ "slices",      op_slices,      SD_ROLE_FACTORY, "slices in scope [factory]" },
	{ "slice",       op_slice,       SD_ROLE_FACTORY, "one slice: slice" },
	{ "sites",       op_sites,       SD_ROLE_FACTORY, "sites in scope [factory]" },
	{ "cells",       op_cells,       SD_ROLE_FACTORY, "cells in scope [factory]" },
	{ "nfs",         op_nfs,         SD_ROLE_FACTORY, "NF instances in scope" },
	{ "subscribe",   op_subscribe,   SD_ROLE_FACTORY, "live updates: [topics]" },
	{ "unsubscribe", op_unsubscribe, SD_ROLE_FACTORY, "stop live updates: [topics]" },
};

static bool role_allows(enum sd_role have, enum sd_role need)
{
	if (have == SD_ROLE_NONE)
		return false;
	if (need == SD_ROLE_OPERATOR)
		return have == SD_ROLE_OPERATOR;
	return true;
}

static json_t *op_help(struct op_ctx *ctx)
{
	json_t *a = json_array();
	size_t i;
	for (i = 0; i < SD_ARRAY_LEN(ops); i++)
		if (role_allows(ctx->caller->role, ops[i].min_role))
			json_array_append_new(a, json_pack("{s:s, s:s}", "op", ops[i].name,
							   "help", ops[i].help));
	for (i = 0; i < SD_ARRAY_LEN(ext_tables); i++) {
		size_t k;
		for (k = 0; ext_tables[i].ops && k < ext_tables[i].n; k++)
			if (role_allows(ctx->caller->role, ext_tables[i].ops[k].min_role))
				json_array_append_new(a, json_pack("{s:s, s:s}", "op",
						      ext_tables[i].ops[k].name, "help",
						      ext_tables[i].ops[k].help));
	}
	return json_pack("{s:o}", "ops", a);
}

char *sd_ipc_dispatch(const struct sd_config *cfg, const struct sd_ipc_caller *caller,
		      bool hello_done, const struct sd_ipc_request *req,
		      bool *hello_ok, unsigned *subscribe, unsigned *unsubscribe)
{
	struct op_ctx ctx = { .cfg = cfg, .m = cfg->model, .caller = caller, .req = req };
	const struct op_def *def = NULL;
	json_t *result;
	size_t i;

	*hello_ok = false;
	*subscribe = *unsubscribe = 0;
	for (i = 0; i < SD_ARRAY_LEN(ops); i++)
		if (strcmp(ops[i].name, req->op) == 0)
			def = &ops[i];
	if (!def) {
		void *arg = NULL;
		const struct sd_ipc_ext_op *ext = find_ext(req->op, &arg);
		if (ext) {
			const char *code = NULL;
			char msg[256] = "";
			if (!hello_done)
				return sd_ipc_reply_error(req->id, SD_IPC_E_HELLO,
							  "the first request must be {\"op\":\"hello\",\"version\":1}");
			if (!role_allows(caller->role, ext->min_role)) {
				snprintf(msg, sizeof msg, "\"%s\" needs the operator role; you are %s",
					 ext->name, sd_role_name(caller->role));
				return sd_ipc_reply_error(req->id, SD_IPC_E_FORBIDDEN, msg);
			}
			result = ext->fn(arg, cfg, caller, req->params, &code, msg, sizeof msg);
			if (!result)
				return sd_ipc_reply_error(req->id, code ? code : SD_IPC_E_INTERNAL, msg);
			return sd_ipc_reply_result(req->id, result);
		}
	}
	if (!def) {
		char msg[200], op[64];
		sd_sanitize(op, sizeof op, req->op, strlen(req->op));
		snprintf(msg, sizeof msg, "unknown op \"%s\" (try \"help\")", op);
		return sd_ipc_reply_error(req->id, SD_IPC_E_UNKNOWN, msg);
	}
	if (!hello_done && def->fn != op_hello)
		return sd_ipc_reply_error(req->id, SD_IPC_E_HELLO,
					  "the first request must be {\"op\":\"hello\",\"version\":1}");
	if (!role_allows(caller->role, def->min_role)) {
		char msg[160];
		snprintf(msg, sizeof msg, "\"%s\" needs the operator role; you are %s",
			 def->name, sd_role_name(caller->role));
		return sd_ipc_reply_error(req->id, SD_IPC_E_FORBIDDEN, msg);
	}
	result = def->fn(&ctx);
	if (!result)
		return sd_ipc_reply_error(req->id, ctx.err_code ? ctx.err_code : SD_IPC_E_INTERNAL,
					  ctx.err_msg);
	*hello_ok = ctx.hello_ok;
	*subscribe = ctx.subscribe;
	*unsubscribe = ctx.unsubscribe;
	return sd_ipc_reply_result(req->id, result);
}
