/* slicing/lifecycle.c — see lifecycle.h. */
#include "slicing/lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipc.h"
#include "core/log.h"
#include "core/util.h"
#include "slicing/admission.h"
#include "slicing/catalog.h"
#include "slicing/scenario.h"
#include "slicing/slicing_conf.h"
#include "slicing/spec.h"

struct sd_lifecycle {
	const struct sd_host *host;
	struct sd_model_store *mstore;
	struct sd_stmt *ins_event, *sel_events, *ins_req, *upd_req, *sel_req, *sel_reqs;
};

static const struct sd_store_migration migrations[] = {
	{ 1, "CREATE TABLE slice_request ("
	     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
	     " kind TEXT NOT NULL,"              /* new | modify */
	     " slice TEXT NOT NULL, factory TEXT NOT NULL,"
	     " params TEXT NOT NULL,"            /* the request's parameters (JSON) */
	     " state TEXT NOT NULL,"             /* pending | approved | rejected */
	     " requested_by TEXT NOT NULL, requested_ms INTEGER NOT NULL,"
	     " decided_by TEXT NOT NULL DEFAULT '', decided_ms INTEGER NOT NULL DEFAULT 0,"
	     " note TEXT NOT NULL DEFAULT '');"
	     "CREATE INDEX slice_request_factory ON slice_request(factory, id);"
	     /* every step of every slice: append-only like the audit log */
	     "CREATE TABLE slice_event ("
	     " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	     " time_ms INTEGER NOT NULL, slice TEXT NOT NULL, factory TEXT NOT NULL,"
	     " actor TEXT NOT NULL, role TEXT NOT NULL, action TEXT NOT NULL,"
	     " from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL,"
	     " before TEXT NOT NULL, after TEXT NOT NULL);"
	     "CREATE INDEX slice_event_slice ON slice_event(slice, seq);"
	     "CREATE TRIGGER slice_event_no_update BEFORE UPDATE ON slice_event"
	     " BEGIN SELECT RAISE(ABORT, 'slice history is append-only'); END;"
	     "CREATE TRIGGER slice_event_no_delete BEFORE DELETE ON slice_event"
	     " BEGIN SELECT RAISE(ABORT, 'slice history is append-only'); END;" },
};

/* --- helpers ------------------------------------------------------------------- */

static struct sd_store *store(struct sd_lifecycle *lc) { return lc->host->store; }

/* The slice as its history and replies show it. */
static json_t *slice_brief(const struct sd_model *m, const struct sd_slice *s)
{
	json_t *sites = json_array();
	char sn[SD_SNSSAI_STRLEN];
	int i;
	for (i = 0; i < s->nsites; i++)
		json_array_append_new(sites, json_string(m->sites[s->sites[i]].id));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s}", "id", s->id,
			 "factory", m->factories[s->factory].id, "state", sd_slice_state_name(s->state),
			 "snssai", s->state == SD_SLICE_REQUESTED && !s->snssai.has_sd ? "" :
			 sd_snssai_format(&s->snssai, sn, sizeof sn),
			 "scenario", s->scenario ? s->scenario->id : "", "name", s->name,
			 "sla", sd_spec_sla_json(&s->sla), "sites", sites, "dnn", s->dnn);
}

/* Persist slice i, record the step and publish it; then wait for the disk
 * (a step is answered once durable). 0 or -1 (err). */
static int commit_step(struct sd_lifecycle *lc, struct sd_op_call *call, int i,
		       const char *action, enum sd_slice_state from, json_t *before,
		       const char *reason)
{
	struct sd_model *m = call->model;
	struct sd_slice *s = &m->slices[i];
	json_t *after = slice_brief(m, s);
	char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a = json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS);
	struct sd_stmt *st = lc->ins_event;
	int rc;
	if (sd_store_write_begin(store(lc)) < 0) {
		rc = -1;
		goto out;
	}
	rc = sd_model_store_save_slice(lc->mstore, m, s);
	sd_stmt_bind_int(st, 1, sd_wall_ms());
	sd_stmt_bind_text(st, 2, s->id);
	sd_stmt_bind_text(st, 3, m->factories[s->factory].id);
	sd_stmt_bind_text(st, 4, call->caller->user);
	sd_stmt_bind_text(st, 5, sd_role_name(call->caller->role));
	sd_stmt_bind_text(st, 6, action);
	sd_stmt_bind_text(st, 7, before ? sd_slice_state_name(from) : "");
	sd_stmt_bind_text(st, 8, sd_slice_state_name(s->state));
	sd_stmt_bind_text(st, 9, reason ? reason : "");
	sd_stmt_bind_text(st, 10, b ? b : "{}");
	sd_stmt_bind_text(st, 11, a ? a : "{}");
	if (rc == 0)
		rc = sd_stmt_run(st);
	else
		sd_stmt_reset(st);
	if (sd_store_write_end(store(lc), rc == 0) < 0)
		rc = -1;
	if (rc == 0)
		rc = sd_store_flush(store(lc), NULL, NULL);
	if (rc == 0) {
		struct sd_bus_event ev = { .kind = SD_BUS_LIFECYCLE };
		sd_strlcpy(ev.u.lifecycle.slice, s->id, sizeof ev.u.lifecycle.slice);
		sd_strlcpy(ev.u.lifecycle.factory, m->factories[s->factory].id,
			   sizeof ev.u.lifecycle.factory);
		ev.u.lifecycle.from = before ? from : s->state;
		ev.u.lifecycle.to = s->state;
		sd_strlcpy(ev.u.lifecycle.actor, call->caller->user, sizeof ev.u.lifecycle.actor);
		sd_strlcpy(ev.u.lifecycle.reason, reason ? reason : "", sizeof ev.u.lifecycle.reason);
		ev.u.lifecycle.time_ms = sd_wall_ms();
		sd_bus_publish(lc->host->bus, &ev);
		sd_bus_model_changed(lc->host->bus, SD_TOPIC_SLICES, s->id, false);
		sd_bus_model_changed(lc->host->bus, SD_TOPIC_FACTORIES, m->factories[s->factory].id,
				     false);
		sd_bus_model_changed(lc->host->bus, SD_TOPIC_NFS, "", false);
		sd_notice("slice %s: %s by %s: %s -> %s%s%s", s->id, action, call->caller->user,
			  before ? sd_slice_state_name(from) : "-", sd_slice_state_name(s->state),
			  reason && *reason ? ": " : "", reason ? reason : "");
	} else {
		sd_err("slice %s: %s could not be stored: %s", s->id, action, sd_store_errmsg(store(lc)));
	}
out:
	free(a);
	free(b);
	json_decref(after);
	return rc;
}

/* The reason text of a call, sanitised; "" when none. */
static void reason_of(struct sd_op_call *call, const char *member, char *buf, size_t n)
{
	const char *r = json_string_value(json_object_get(call->params, member));
	sd_sanitize(buf, n, r ? r : "", r ? strlen(r) : 0);
}

/* A slice the caller names, in scope, that the lifecycle may change (not
 * one the configuration declares). -1 after sd_op_fail. */
static int changeable(struct sd_op_call *call, const char *id)
{
	const struct sd_model *m = call->model;
	int i = id ? sd_model_slice_index(m, id) : -1;
	if (i < 0 || !sd_ipc_sees_factory(call->caller, m->slices[i].factory)) {
		sd_op_fail_scope(call, "slice", id ? id : "");
		return -1;
	}
	sd_op_about(call, m->factories[m->slices[i].factory].id);
	if (m->slices[i].origin == SD_ORIGIN_CONFIG) {
		sd_op_fail(call, SD_IPC_E_CONFLICT, "slice %s is declared in the configuration: "
			   "change it there (and reload)", id);
		return -1;
	}
	return i;
}

static const struct sd_slicing_conf *sconf(struct sd_lifecycle *lc)
{
	return sd_slicing_conf_get(sd_host_config(lc->host));
}

/* Admission for slice i as it stands (its S-NSSAI allocated when it has
 * no SD yet). false after sd_op_fail(rejected). */
static bool admit_slice(struct sd_lifecycle *lc, struct sd_op_call *call, int i,
			struct sd_adm_result *r)
{
	const struct sd_model *m = call->model;
	const struct sd_slice *s = &m->slices[i];
	struct sd_adm_request q;
	char text[900];
	memset(&q, 0, sizeof q);
	q.slice_id = s->id;
	q.factory = s->factory;
	q.scenario = s->scenario;
	q.has_snssai = s->snssai.has_sd;
	q.snssai = s->snssai;
	q.sst = s->snssai.sst;
	q.sites = s->sites;
	q.nsites = s->nsites;
	q.sla = s->sla;
	if (sd_admission_check(m, sconf(lc), &q, r))
		return true;
	sd_adm_result_text(r, text, sizeof text);
	sd_op_fail(call, SD_IPC_E_REJECTED, "admission: %s", text);
	return false;
}

/* A new slice id: the one asked for, or FACTORY-SCENARIO-N. */
static bool new_id(struct sd_op_call *call, const struct sd_slice *s, char *id, size_t n)
{
	const char *want = json_string_value(json_object_get(call->params, "new_slice"));
	int k;
	if (want) {
		if (sd_model_slice_index(call->model, want) >= 0) {
			/* may be another factory's: the same answer for a factory caller */
			sd_op_fail(call, SD_IPC_E_CONFLICT, "slice id %s is taken; choose another", want);
			return false;
		}
		sd_strlcpy(id, want, n);
		return true;
	}
	for (k = 1; k < 100000; k++) {
		snprintf(id, n, "%.20s-%d", call->model->factories[s->factory].id, k);
		if (sd_model_slice_index(call->model, id) < 0)
			return true;
	}
	sd_op_fail(call, SD_IPC_E_INTERNAL, "no free slice id");
	return false;
}

static json_t *step_reply(const struct sd_model *m, int i, enum sd_slice_state from,
			  const struct sd_adm_result *r)
{
	json_t *o = json_pack("{s:o, s:s, s:s}", "slice", slice_brief(m, &m->slices[i]), "from",
			      sd_slice_state_name(from), "to", sd_slice_state_name(m->slices[i].state));
	if (r)
		json_object_set_new(o, "admission", sd_adm_result_json(r));
	return o;
}

/* --- requests ------------------------------------------------------------------- */

static json_t *request_json(struct sd_stmt *st)
{
	json_error_t e;
	json_t *p = json_loads(sd_stmt_text(st, 4), 0, &e);
	char t1[40], t2[40];
	sd_fmt_time(sd_stmt_int(st, 7), t1, sizeof t1);
	sd_fmt_time(sd_stmt_int(st, 9), t2, sizeof t2);
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}",
			 "id", (json_int_t)sd_stmt_int(st, 0), "kind", sd_stmt_text(st, 1),
			 "slice", sd_stmt_text(st, 2), "factory", sd_stmt_text(st, 3),
			 "params", p ? p : json_object(), "state", sd_stmt_text(st, 5),
			 "requested_by", sd_stmt_text(st, 6), "requested", t1,
			 "decided_by", sd_stmt_text(st, 8), "decided", sd_stmt_int(st, 9) ? t2 : "",
			 "note", sd_stmt_text(st, 10));
}

static int64_t add_request(struct sd_lifecycle *lc, struct sd_op_call *call, const char *kind,
			   const char *slice, const char *factory)
{
	json_t *p = json_deep_copy(call->params);
	char *text;
	struct sd_stmt *st = lc->ins_req;
	int rc;
	json_object_del(p, "new_slice");
	text = json_dumps(p, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(p);
	sd_stmt_bind_text(st, 1, kind);
	sd_stmt_bind_text(st, 2, slice);
	sd_stmt_bind_text(st, 3, factory);
	sd_stmt_bind_text(st, 4, text ? text : "{}");
	sd_stmt_bind_text(st, 5, call->caller->user);
	sd_stmt_bind_int(st, 6, sd_wall_ms());
	/* INSERT ... RETURNING id */
	rc = sd_stmt_step(st);
	{
		int64_t id = rc == 1 ? sd_stmt_int(st, 0) : -1;
		if (rc == 1)
			rc = sd_stmt_step(st);
		sd_stmt_reset(st);
		free(text);
		return rc < 0 ? -1 : id;
	}
}

static json_t *op_request(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	bool modify = json_object_get(call->params, "slice") != NULL;
	struct sd_model *m = call->model;
	struct sd_slice_spec sp;
	struct sd_adm_result r;
	char id[SD_ID_MAX], err[256];
	int64_t rid;
	int i;
	json_t *o;

	if (!sd_spec_parse(call, modify, &sp)) {
		sd_spec_done(&sp);
		return NULL;
	}
	if (modify && changeable(call, sp.base->id) < 0) {
		sd_spec_done(&sp);
		return NULL;
	}
	if (modify && sd_adm_holds_contract(sp.base->state) == false) {
		sd_spec_done(&sp);
		return sd_op_fail(call, SD_IPC_E_CONFLICT, "slice %s is %s: only an admitted, active "
				  "or suspended slice can be changed", sp.base->id,
				  sd_slice_state_name(sp.base->state));
	}
	/* what admission would say now, for the requester (the decision runs it again) */
	sd_admission_check(m, sconf(lc), &sp.adm, &r);
	if (modify) {
		sd_strlcpy(id, sp.base->id, sizeof id);
	} else if (!new_id(call, &sp.slice, id, sizeof id)) {
		sd_spec_done(&sp);
		return NULL;
	}
	if (sd_store_write_begin(store(lc)) < 0) {
		sd_spec_done(&sp);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	rid = add_request(lc, call, modify ? "modify" : "new", id, m->factories[sp.slice.factory].id);
	if (rid < 0 || sd_store_write_end(store(lc), true) < 0) {
		if (rid < 0)
			sd_store_write_end(store(lc), false);
		sd_spec_done(&sp);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	if (modify) {
		i = sd_model_slice_index(m, id);
		if (sd_store_flush(store(lc), NULL, NULL) < 0) {
			sd_spec_done(&sp);
			return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
		}
		sd_notice("slice %s: change requested by %s (request %lld)", id, call->caller->user,
			  (long long)rid);
	} else {
		sd_strlcpy(sp.slice.id, id, sizeof sp.slice.id);
		sp.slice.state = SD_SLICE_REQUESTED;
		if (!sp.adm.has_snssai)
			sp.slice.snssai.has_sd = false;   /* allocated on admission */
		i = sd_model_add_slice(m, &sp.slice, err, sizeof err);
		if (i < 0) {
			sd_spec_done(&sp);
			return sd_op_fail(call, SD_IPC_E_INTERNAL, "model: %s", err);
		}
		if (commit_step(lc, call, i, "request", SD_SLICE_REQUESTED, NULL, "") < 0) {
			sd_model_remove_slice(m, id);
			sd_spec_done(&sp);
			return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
		}
	}
	sd_spec_done(&sp);
	o = json_pack("{s:I, s:s, s:s, s:o, s:o}", "request", (json_int_t)rid, "kind",
		      modify ? "modify" : "new", "state", "pending",
		      "slice", slice_brief(m, &m->slices[i]), "admission_now", sd_adm_result_json(&r));
	return o;
}

/* The request row id, scoped: a factory caller sees its own factory's. */
static bool load_request(struct sd_lifecycle *lc, struct sd_op_call *call, json_t **out)
{
	json_t *jid = json_object_get(call->params, "request");
	struct sd_stmt *st = lc->sel_req;
	char idtext[32];
	int rc;
	*out = NULL;
	snprintf(idtext, sizeof idtext, "%lld", (long long)json_integer_value(jid));
	sd_stmt_bind_int(st, 1, json_integer_value(jid));
	rc = sd_stmt_step(st);
	if (rc == 1)
		*out = request_json(st);
	sd_stmt_reset(st);
	if (rc < 0) {
		sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
		return false;
	}
	if (!*out || (call->caller->role == SD_ROLE_FACTORY &&
		      strcmp(json_string_value(json_object_get(*out, "factory")),
			     call->caller->factory_id) != 0)) {
		json_decref(*out);
		*out = NULL;
		sd_op_fail_scope(call, "request", idtext);
		return false;
	}
	sd_op_about(call, json_string_value(json_object_get(*out, "factory")));
	if (strcmp(json_string_value(json_object_get(*out, "state")), "pending") != 0) {
		sd_op_fail(call, SD_IPC_E_CONFLICT, "request %s was %s already by %s", idtext,
			   json_string_value(json_object_get(*out, "state")),
			   json_string_value(json_object_get(*out, "decided_by")));
		json_decref(*out);
		*out = NULL;
		return false;
	}
	return true;
}

static int decide(struct sd_lifecycle *lc, struct sd_op_call *call, json_int_t rid,
		  const char *state, const char *note)
{
	struct sd_stmt *st = lc->upd_req;
	sd_stmt_bind_text(st, 1, state);
	sd_stmt_bind_text(st, 2, call->caller->user);
	sd_stmt_bind_int(st, 3, sd_wall_ms());
	sd_stmt_bind_text(st, 4, note);
	sd_stmt_bind_int(st, 5, rid);
	return sd_stmt_run(st);
}

/* Apply a spec's changeable members to slice i. */
static void apply_spec(struct sd_model *m, int i, const struct sd_slice_spec *sp)
{
	struct sd_slice *s = &m->slices[i];
	bool sites = s->nsites != sp->slice.nsites ||
		     memcmp(s->sites, sp->slice.sites, (size_t)s->nsites * sizeof *s->sites) != 0;
	bool sn = !sd_snssai_equal(&s->snssai, &sp->slice.snssai);
	s->sla = sp->slice.sla;
	sd_strlcpy(s->name, sp->slice.name, sizeof s->name);
	sd_strlcpy(s->dnn, sp->slice.dnn, sizeof s->dnn);
	if (sites) {
		free(s->sites);
		s->sites = sd_calloc((size_t)sp->slice.nsites + 1, sizeof *s->sites);
		memcpy(s->sites, sp->slice.sites, (size_t)sp->slice.nsites * sizeof *s->sites);
		s->nsites = sp->slice.nsites;
	}
	s->snssai = sp->slice.snssai;
	if (sites || sn)
		sd_model_reindex(m);
}

/* Modify slice (by a spec already parsed): admission, then apply. */
static json_t *do_modify(struct sd_lifecycle *lc, struct sd_op_call *call, struct sd_slice_spec *sp,
			 const char *why)
{
	struct sd_model *m = call->model;
	struct sd_adm_result r;
	char text[900];
	int i = changeable(call, sp->base->id);
	json_t *before;
	if (i < 0)
		return NULL;
	if (!sd_adm_holds_contract(m->slices[i].state))
		return sd_op_fail(call, SD_IPC_E_CONFLICT, "slice %s is %s: only an admitted, active "
				  "or suspended slice can be changed", m->slices[i].id,
				  sd_slice_state_name(m->slices[i].state));
	if (!sd_admission_check(m, sconf(lc), &sp->adm, &r)) {
		sd_adm_result_text(&r, text, sizeof text);
		return sd_op_fail(call, SD_IPC_E_REJECTED, "admission: %s", text);
	}
	before = slice_brief(m, &m->slices[i]);
	apply_spec(m, i, sp);
	i = sd_model_slice_index(m, sp->base ? json_string_value(json_object_get(before, "id")) : "");
	if (commit_step(lc, call, i, "modify", m->slices[i].state, before, why) < 0) {
		json_decref(before);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	json_decref(before);
	return step_reply(m, i, m->slices[i].state, &r);
}

static json_t *op_approve(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	struct sd_model *m = call->model;
	json_t *req, *res = NULL;
	char note[256];
	const char *slice, *kind;
	json_int_t rid = json_integer_value(json_object_get(call->params, "request"));
	int i;

	if (!load_request(lc, call, &req))
		return NULL;
	reason_of(call, "note", note, sizeof note);
	slice = json_string_value(json_object_get(req, "slice"));
	kind = json_string_value(json_object_get(req, "kind"));
	i = sd_model_slice_index(m, slice);
	if (i < 0) {
		sd_op_fail(call, SD_IPC_E_CONFLICT, "request %lld: slice %s is gone", (long long)rid, slice);
		goto out;
	}
	if (strcmp(kind, "new") == 0) {
		struct sd_adm_result r;
		enum sd_slice_state from = m->slices[i].state;
		json_t *before = slice_brief(m, &m->slices[i]);
		char text[900];
		bool ok = admit_slice(lc, call, i, &r);
		if (ok) {
			m->slices[i].snssai = r.snssai;
			m->slices[i].state = SD_SLICE_ADMITTED;
			sd_model_reindex(m);
			i = sd_model_slice_index(m, slice);
		} else {
			m->slices[i].state = SD_SLICE_REJECTED;
		}
		sd_adm_result_text(&r, text, sizeof text);
		if (decide(lc, call, rid, ok ? "approved" : "rejected", ok ? note : text) < 0 ||
		    commit_step(lc, call, i, ok ? "approve" : "reject (admission)", from, before,
				ok ? note : text) < 0) {
			json_decref(before);
			sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
			goto out;
		}
		json_decref(before);
		if (ok)
			res = step_reply(m, i, from, &r);
	} else {
		/* a change: re-read the requester's parameters as the operator's */
		struct sd_op_call sub = *call;
		struct sd_slice_spec sp;
		sub.params = json_object_get(req, "params");
		if (!sd_spec_parse(&sub, true, &sp)) {
			sd_op_fail(call, sub.err_code, "request %lld no longer applies: %s", (long long)rid,
				   sub.err_msg);
			sd_spec_done(&sp);
			goto out;
		}
		res = do_modify(lc, &sub, &sp, note);
		sd_spec_done(&sp);
		if (!res) {
			if (sub.err_code && strcmp(sub.err_code, SD_IPC_E_REJECTED) == 0)
				decide(lc, call, rid, "rejected", sub.err_msg);
			sd_op_fail(call, sub.err_code, "%s", sub.err_msg);
		} else {
			decide(lc, call, rid, "approved", note);
		}
		sd_store_flush(store(lc), NULL, NULL);
	}
out:
	json_decref(req);
	return res;
}

static json_t *op_reject(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	struct sd_model *m = call->model;
	json_int_t rid = json_integer_value(json_object_get(call->params, "request"));
	json_t *req, *res = NULL;
	char reason[256];
	int i;
	reason_of(call, "reason", reason, sizeof reason);
	if (!reason[0])
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"reason\" must say why");
	if (!load_request(lc, call, &req))
		return NULL;
	i = sd_model_slice_index(m, json_string_value(json_object_get(req, "slice")));
	if (decide(lc, call, rid, "rejected", reason) < 0) {
		sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
		goto out;
	}
	if (strcmp(json_string_value(json_object_get(req, "kind")), "new") == 0 && i >= 0 &&
	    m->slices[i].state == SD_SLICE_REQUESTED) {
		json_t *before = slice_brief(m, &m->slices[i]);
		m->slices[i].state = SD_SLICE_REJECTED;
		if (commit_step(lc, call, i, "reject", SD_SLICE_REQUESTED, before, reason) < 0) {
			json_decref(before);
			sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
			goto out;
		}
		json_decref(before);
		res = step_reply(m, i, SD_SLICE_REQUESTED, NULL);
	} else {
		sd_store_flush(store(lc), NULL, NULL);
		res = json_pack("{s:I, s:s}", "request", rid, "state", "rejected");
	}
out:
	json_decref(req);
	return res;
}

static json_t *op_requests(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	const char *state = json_string_value(json_object_get(call->params, "state"));
	struct sd_stmt *st = lc->sel_reqs;
	json_t *rows = json_array();
	int rc;
	if (state && strcmp(state, "pending") && strcmp(state, "approved") && strcmp(state, "rejected")) {
		json_decref(rows);
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"state\": pending, approved or rejected");
	}
	if (call->caller->role == SD_ROLE_FACTORY)
		sd_stmt_bind_text(st, 1, call->caller->factory_id);
	else
		sd_stmt_bind_null(st, 1);
	if (state)
		sd_stmt_bind_text(st, 2, state);
	else
		sd_stmt_bind_null(st, 2);
	while ((rc = sd_stmt_step(st)) == 1)
		json_array_append_new(rows, request_json(st));
	sd_stmt_reset(st);
	if (rc < 0) {
		json_decref(rows);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	return json_pack("{s:o}", "requests", rows);
}

/* --- operator changes ----------------------------------------------------------- */

static json_t *op_create(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	struct sd_model *m = call->model;
	struct sd_slice_spec sp;
	struct sd_adm_result r;
	char id[SD_ID_MAX], err[256], text[900];
	int i;
	if (!sd_spec_parse(call, false, &sp)) {
		sd_spec_done(&sp);
		return NULL;
	}
	if (!new_id(call, &sp.slice, id, sizeof id)) {
		sd_spec_done(&sp);
		return NULL;
	}
	if (!sd_admission_check(m, sconf(lc), &sp.adm, &r)) {
		sd_adm_result_text(&r, text, sizeof text);
		sd_spec_done(&sp);
		return sd_op_fail(call, SD_IPC_E_REJECTED, "admission: %s", text);
	}
	sd_strlcpy(sp.slice.id, id, sizeof sp.slice.id);
	sp.slice.snssai = r.snssai;
	sp.slice.state = SD_SLICE_ADMITTED;
	i = sd_model_add_slice(m, &sp.slice, err, sizeof err);
	sd_spec_done(&sp);
	if (i < 0)
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "model: %s", err);
	reason_of(call, "reason", text, sizeof text);
	if (commit_step(lc, call, i, "create", SD_SLICE_ADMITTED, NULL, text) < 0) {
		sd_model_remove_slice(m, id);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	return step_reply(m, i, SD_SLICE_ADMITTED, &r);
}

static json_t *op_modify(struct sd_op_call *call)
{
	struct sd_slice_spec sp;
	char why[256];
	json_t *res;
	if (!sd_spec_parse(call, true, &sp)) {
		sd_spec_done(&sp);
		return NULL;
	}
	reason_of(call, "reason", why, sizeof why);
	res = do_modify(call->arg, call, &sp, why);
	sd_spec_done(&sp);
	return res;
}

/* One state step: from the states allowed to `to`, with a reason. */
static json_t *transition(struct sd_op_call *call, const char *action, unsigned from_mask,
			  enum sd_slice_state to, bool admit, bool need_reason)
{
	struct sd_lifecycle *lc = call->arg;
	struct sd_model *m = call->model;
	const char *id = json_string_value(json_object_get(call->params, "slice"));
	struct sd_adm_result r;
	enum sd_slice_state from;
	char reason[256];
	json_t *before;
	int i = changeable(call, id);
	if (i < 0)
		return NULL;
	reason_of(call, "reason", reason, sizeof reason);
	if (need_reason && !reason[0])
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"reason\" must say why");
	from = m->slices[i].state;
	if (!(from_mask & (1u << from)))
		return sd_op_fail(call, SD_IPC_E_CONFLICT, "slice %s is %s: cannot %s it", id,
				  sd_slice_state_name(from), action);
	/* a suspended slice held no capacity: it is admitted again */
	if (admit && !admit_slice(lc, call, i, &r))
		return NULL;
	before = slice_brief(m, &m->slices[i]);
	m->slices[i].state = to;
	if (commit_step(lc, call, i, action, from, before, reason) < 0) {
		m->slices[i].state = from;
		json_decref(before);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	json_decref(before);
	return step_reply(m, i, from, admit ? &r : NULL);
}

#define BIT(s) (1u << (s))

static json_t *op_activate(struct sd_op_call *call)
{
	/* with no provisioning towards the 5GC configured, the operator says
	 * it was done by hand: never a silent success */
	if (!json_is_true(json_object_get(call->params, "out_of_band")))
		return sd_op_fail(call, SD_IPC_E_BADREQ, "no SBI provisioning is configured for "
				  "this zone: provision the slice at the 5GC and say so with "
				  "\"out_of_band\": true (slicedeck slice activate ID --out-of-band)");
	return transition(call, "activate (provisioned out of band)", BIT(SD_SLICE_ADMITTED),
			  SD_SLICE_ACTIVE, false, false);
}

static json_t *op_suspend(struct sd_op_call *call)
{
	return transition(call, "suspend", BIT(SD_SLICE_ACTIVE), SD_SLICE_SUSPENDED, false, true);
}

static json_t *op_resume(struct sd_op_call *call)
{
	return transition(call, "resume", BIT(SD_SLICE_SUSPENDED), SD_SLICE_ACTIVE, true, false);
}

static json_t *op_decommission(struct sd_op_call *call)
{
	return transition(call, "decommission",
			  BIT(SD_SLICE_ADMITTED) | BIT(SD_SLICE_ACTIVE) | BIT(SD_SLICE_SUSPENDED),
			  SD_SLICE_DECOMMISSIONED, false, true);
}

static json_t *op_history(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	const struct sd_model *m = call->model;
	const char *id = json_string_value(json_object_get(call->params, "slice"));
	int i = sd_model_slice_index(m, id);
	struct sd_stmt *st = lc->sel_events;
	json_t *rows;
	int rc;
	if (i < 0 || !sd_ipc_sees_factory(call->caller, m->slices[i].factory))
		return sd_op_fail_scope(call, "slice", id);
	rows = json_array();
	sd_stmt_bind_text(st, 1, id);
	while ((rc = sd_stmt_step(st)) == 1) {
		json_error_t e;
		char when[40];
		json_t *b = json_loads(sd_stmt_text(st, 9), 0, &e), *a = json_loads(sd_stmt_text(st, 10), 0, &e);
		sd_fmt_time(sd_stmt_int(st, 1), when, sizeof when);
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
			"seq", (json_int_t)sd_stmt_int(st, 0), "time", when, "actor", sd_stmt_text(st, 2),
			"role", sd_stmt_text(st, 3), "action", sd_stmt_text(st, 4),
			"from", sd_stmt_text(st, 5), "to", sd_stmt_text(st, 6), "reason", sd_stmt_text(st, 7),
			"before", b ? b : json_object(), "after", a ? a : json_object()));
	}
	sd_stmt_reset(st);
	if (rc < 0) {
		json_decref(rows);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "store: %s", sd_store_errmsg(store(lc)));
	}
	return json_pack("{s:s, s:o}", "slice", id, "history", rows);
}

/* --- the dry run --------------------------------------------------------------- */

static json_t *op_check(struct sd_op_call *call)
{
	struct sd_lifecycle *lc = call->arg;
	bool modify = json_object_get(call->params, "slice") != NULL;
	struct sd_slice_spec sp;
	struct sd_adm_result r;
	json_t *o;
	if (!sd_spec_parse(call, modify, &sp)) {
		sd_spec_done(&sp);
		return NULL;
	}
	sd_admission_check(call->model, sd_slicing_conf_get(sd_host_config(lc->host)), &sp.adm, &r);
	o = sd_adm_result_json(&r);
	json_object_set_new(o, "factory", json_string(call->model->factories[sp.slice.factory].id));
	json_object_set_new(o, "scenario", sp.slice.scenario ? json_string(sp.slice.scenario->id)
						     : json_null());
	json_object_set_new(o, "slice", sp.base ? json_string(sp.base->id) : json_null());
	json_object_set_new(o, "sla", sd_spec_sla_json(&sp.slice.sla));
	sd_spec_done(&sp);
	return o;
}

/* --- the table ------------------------------------------------------------------- */

static const struct sd_param p_check[] = {
	SD_SPEC_PARAMS,
	{ "slice", SD_PT_ID, false, "check a change to this slice instead of a new one" },
	SD_PARAMS_END
};

static const struct sd_param p_request[] = {
	SD_SPEC_PARAMS,
	{ "slice", SD_PT_ID, false, "request a change to this slice of yours instead" },
	{ "new_slice", SD_PT_ID, false, "the new slice's id; default FACTORY-N" },
	SD_PARAMS_END
};
static const struct sd_param p_create[] = {
	SD_SPEC_PARAMS,
	{ "new_slice", SD_PT_ID, false, "the new slice's id; default FACTORY-N" },
	{ "reason", SD_PT_STRING, false, "why (kept in its history)" },
	SD_PARAMS_END
};
static const struct sd_param p_modify[] = {
	SD_SPEC_PARAMS,
	{ "slice", SD_PT_ID, true, "the slice" },
	{ "reason", SD_PT_STRING, false, "why (kept in its history)" },
	SD_PARAMS_END
};
static const struct sd_param p_decide[] = {
	{ "request", SD_PT_INT, true, "the request (slicedeck slice requests)" },
	{ "note", SD_PT_STRING, false, "a note for the requester" },
	SD_PARAMS_END
};
static const struct sd_param p_reject[] = {
	{ "request", SD_PT_INT, true, "the request" },
	{ "reason", SD_PT_STRING, true, "why, for the requester" },
	SD_PARAMS_END
};
static const struct sd_param p_requests[] = {
	{ "state", SD_PT_STRING, false, "pending, approved or rejected; default all" },
	SD_PARAMS_END
};
static const struct sd_param p_step[] = {
	{ "slice", SD_PT_ID, true, "the slice" },
	{ "reason", SD_PT_STRING, false, "why (required to suspend or decommission)" },
	SD_PARAMS_END
};
static const struct sd_param p_activate[] = {
	{ "slice", SD_PT_ID, true, "the slice" },
	{ "out_of_band", SD_PT_BOOL, false, "true: it was provisioned at the 5GC by hand" },
	{ "reason", SD_PT_STRING, false, "what was done" },
	SD_PARAMS_END
};
static const struct sd_param p_history[] = {
	{ "slice", SD_PT_ID, true, "the slice" },
	SD_PARAMS_END
};

static const struct sd_op lifecycle_ops[] = {
	{ "slice.check", op_check, SD_PERM_REQUEST, 0, p_check,
	  "run admission control on a slice or a change without changing anything" },
	{ "slice.request", op_request, SD_PERM_REQUEST, SD_OP_MUTATES, p_request,
	  "ask for a new slice from the catalog, or a change to one of yours; an operator decides" },
	{ "slice.requests", op_requests, SD_PERM_READ, 0, p_requests,
	  "the requests in scope, newest first" },
	{ "slice.approve", op_approve, SD_PERM_ACT, SD_OP_MUTATES, p_decide,
	  "approve a request: admission control runs, a new slice is admitted or rejected" },
	{ "slice.reject", op_reject, SD_PERM_ACT, SD_OP_MUTATES, p_reject, "reject a request" },
	{ "slice.create", op_create, SD_PERM_ACT, SD_OP_MUTATES, p_create,
	  "create a slice directly (admitted)" },
	{ "slice.modify", op_modify, SD_PERM_ACT, SD_OP_MUTATES, p_modify,
	  "change a slice's SLA, UEs, sites (admission control runs again)" },
	{ "slice.activate", op_activate, SD_PERM_ACT, SD_OP_MUTATES, p_activate,
	  "an admitted slice goes active" },
	{ "slice.suspend", op_suspend, SD_PERM_ACT, SD_OP_MUTATES, p_step, "suspend an active slice" },
	{ "slice.resume", op_resume, SD_PERM_ACT, SD_OP_MUTATES, p_step,
	  "resume a suspended slice (admission control runs again)" },
	{ "slice.decommission", op_decommission, SD_PERM_ACT, SD_OP_MUTATES, p_step,
	  "take a slice out of service for good" },
	{ "slice.history", op_history, SD_PERM_READ, 0, p_history,
	  "every lifecycle step of a slice: who, when, why, before and after" },
};

struct sd_lifecycle *sd_lifecycle_new(const struct sd_host *host, struct sd_model_store *mstore,
				      char *err, size_t errsz)
{
	struct sd_lifecycle *lc = sd_calloc(1, sizeof *lc);
	lc->host = host;
	lc->mstore = mstore;
	if (sd_store_migrate(host->store, "lifecycle", migrations, (int)SD_ARRAY_LEN(migrations),
			     err, errsz) < 0) {
		free(lc);
		return NULL;
	}
	lc->ins_event = sd_store_prepare(host->store,
		"INSERT INTO slice_event (time_ms, slice, factory, actor, role, action, from_state,"
		" to_state, reason, before, after) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	lc->sel_events = sd_store_prepare(host->store,
		"SELECT seq, time_ms, actor, role, action, from_state, to_state, reason, factory,"
		" before, after FROM slice_event WHERE slice = ?1 ORDER BY seq");
	lc->ins_req = sd_store_prepare(host->store,
		"INSERT INTO slice_request (kind, slice, factory, params, state, requested_by,"
		" requested_ms) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6) RETURNING id");
	lc->upd_req = sd_store_prepare(host->store,
		"UPDATE slice_request SET state = ?1, decided_by = ?2, decided_ms = ?3, note = ?4"
		" WHERE id = ?5 AND state = 'pending'");
	lc->sel_req = sd_store_prepare(host->store,
		"SELECT id, kind, slice, factory, params, state, requested_by, requested_ms,"
		" decided_by, decided_ms, note FROM slice_request WHERE id = ?1");
	lc->sel_reqs = sd_store_prepare(host->store,
		"SELECT id, kind, slice, factory, params, state, requested_by, requested_ms,"
		" decided_by, decided_ms, note FROM slice_request WHERE (?1 IS NULL OR factory = ?1)"
		" AND (?2 IS NULL OR state = ?2) ORDER BY id DESC LIMIT 1000");
	if (!lc->ins_event || !lc->sel_events || !lc->ins_req || !lc->upd_req || !lc->sel_req ||
	    !lc->sel_reqs) {
		snprintf(err, errsz, "%s", sd_store_errmsg(host->store));
		free(lc);
		return NULL;
	}
	if (sd_ops_register(host->ops, lifecycle_ops, SD_ARRAY_LEN(lifecycle_ops), lc) < 0) {
		snprintf(err, errsz, "an op name is registered twice");
		free(lc);
		return NULL;
	}
	return lc;
}

void sd_lifecycle_free(struct sd_lifecycle *lc)
{
	if (!lc)
		return;
	sd_ops_unregister(lc->host->ops, lifecycle_ops);
	free(lc);
}
