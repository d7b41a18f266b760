/* core/audit.c — see audit.h. */
#include "core/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/host.h"
#include "core/ipc.h"
#include "core/log.h"
#include "core/store.h"
#include "core/util.h"

struct sd_audit {
	struct sd_store *store;
	struct sd_bus *bus;
	struct sd_stmt *ins, *sel;
	int64_t last_seq;
	struct sd_complaint complaint;
};

static const struct sd_store_migration migrations[] = {
	{ 1, "CREATE TABLE audit ("
	     " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	     " time_ms INTEGER NOT NULL,"
	     " user TEXT NOT NULL, uid INTEGER NOT NULL, pid INTEGER NOT NULL,"
	     " role TEXT NOT NULL,"
	     " caller_factory TEXT NOT NULL,"
	     " op TEXT NOT NULL,"
	     " params TEXT NOT NULL,"
	     " about_factory TEXT NOT NULL,"
	     " outcome TEXT NOT NULL,"
	     " message TEXT NOT NULL);"
	     "CREATE INDEX audit_time ON audit(time_ms);"
	     "CREATE INDEX audit_factory ON audit(about_factory, time_ms);"
	     /* append-only: the engine's own code never changes a row, and
	      * the database refuses it too */
	     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	     " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	     " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;" },
};

struct sd_audit *sd_audit_open(const char *path, struct sd_bus *bus, char *err, size_t errsz)
{
	struct sd_audit *a = sd_calloc(1, sizeof *a);
	struct sd_stmt *st;
	a->bus = bus;
	a->store = sd_store_open_ex(path, SD_DURABLE_FULL, err, errsz);
	if (!a->store)
		goto fail;
	if (sd_store_migrate(a->store, "audit", migrations, (int)SD_ARRAY_LEN(migrations),
			     err, errsz) < 0)
		goto fail;
	a->ins = sd_store_prepare(a->store,
		"INSERT INTO audit (time_ms, user, uid, pid, role, caller_factory, op, params,"
		" about_factory, outcome, message) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	a->sel = sd_store_prepare(a->store,
		"SELECT seq, time_ms, user, role, caller_factory, op, params, about_factory,"
		" outcome, message FROM audit WHERE time_ms >= ?1 AND (?2 IS NULL OR"
		" about_factory = ?2) ORDER BY seq DESC LIMIT ?3");
	if (!a->ins || !a->sel) {
		snprintf(err, errsz, "%s", sd_store_errmsg(a->store));
		goto fail;
	}
	st = sd_store_prepare(a->store, "SELECT COALESCE(MAX(seq), 0) FROM audit");
	if (st && sd_stmt_step(st) == 1)
		a->last_seq = sd_stmt_int(st, 0);
	if (st)
		sd_stmt_reset(st);
	return a;
fail:
	sd_audit_close(a);
	return NULL;
}

void sd_audit_close(struct sd_audit *a)
{
	if (!a)
		return;
	sd_store_close(a->store);
	free(a);
}

int64_t sd_audit_last_seq(const struct sd_audit *a) { return a->last_seq; }

void sd_audit_record(void *arg, const struct sd_op_audit *r)
{
	struct sd_audit *a = arg;
	char *params = json_dumps(r->params, JSON_COMPACT | JSON_SORT_KEYS);
	int64_t now = sd_wall_ms();
	struct sd_stmt *st = a->ins;
	int rc;

	sd_stmt_bind_int(st, 1, now);
	sd_stmt_bind_text(st, 2, r->caller->user);
	sd_stmt_bind_int(st, 3, (int64_t)r->caller->uid);
	sd_stmt_bind_int(st, 4, (int64_t)r->caller->pid);
	sd_stmt_bind_text(st, 5, sd_role_name(r->caller->role));
	sd_stmt_bind_text(st, 6, r->caller->factory_id);
	sd_stmt_bind_text(st, 7, r->op);
	sd_stmt_bind_text(st, 8, params ? params : "{}");
	sd_stmt_bind_text(st, 9, r->about_factory ? r->about_factory : "");
	sd_stmt_bind_text(st, 10, r->outcome);
	sd_stmt_bind_text(st, 11, r->message ? r->message : "");
	rc = sd_stmt_run(st);
	free(params);
	if (rc < 0) {
		sd_complain(&a->complaint, SD_LOG_ERR, "audit: cannot append %s by %s: %s", r->op,
			    r->caller->user, sd_store_errmsg(a->store));
		return;
	}
	sd_complain_clear(&a->complaint, "audit: appending again");
	a->last_seq++;
	if (a->bus) {
		struct sd_bus_event ev = { .kind = SD_BUS_AUDIT };
		ev.u.audit.seq = a->last_seq;
		ev.u.audit.time_ms = now;
		sd_strlcpy(ev.u.audit.user, r->caller->user, sizeof ev.u.audit.user);
		sd_strlcpy(ev.u.audit.role, sd_role_name(r->caller->role), sizeof ev.u.audit.role);
		sd_strlcpy(ev.u.audit.factory, r->caller->factory_id, sizeof ev.u.audit.factory);
		sd_strlcpy(ev.u.audit.op, r->op, sizeof ev.u.audit.op);
		sd_strlcpy(ev.u.audit.object_factory, r->about_factory ? r->about_factory : "",
			   sizeof ev.u.audit.object_factory);
		sd_strlcpy(ev.u.audit.outcome, r->outcome, sizeof ev.u.audit.outcome);
		sd_bus_publish(a->bus, &ev);
	}
}

/* --- the audit op ----------------------------------------------------------- */

static json_t *op_audit(struct sd_op_call *call)
{
	struct sd_audit *a = call->arg;
	const struct sd_ipc_caller *c = call->caller;
	json_t *jf = json_object_get(call->params, "factory");
	json_t *js = json_object_get(call->params, "since");
	json_t *jl = json_object_get(call->params, "limit");
	const char *factory = json_is_string(jf) ? json_string_value(jf) : NULL;
	int64_t since = json_is_integer(js) ? json_integer_value(js) : 0;
	json_int_t limit = json_is_integer(jl) ? json_integer_value(jl) : 200;
	struct sd_stmt *st;
	json_t *rows;
	int rc;

	if (limit < 1 || limit > 10000)
		return sd_op_fail(call, SD_IPC_E_BADREQ, "\"limit\" must be 1..10000");
	if (c->role == SD_ROLE_FACTORY) {
		/* its own factory's records only; naming another is refused
		 * whether it exists or not */
		if (factory && strcmp(factory, c->factory_id) != 0)
			return sd_op_fail_scope(call, "factory", factory);
		factory = c->factory_id;
	} else if (factory && sd_model_factory_index(call->model, factory) < 0) {
		return sd_op_fail_scope(call, "factory", factory);
	}
	st = a->sel;
	sd_stmt_bind_int(st, 1, since);
	if (factory)
		sd_stmt_bind_text(st, 2, factory);
	else
		sd_stmt_bind_null(st, 2);
	sd_stmt_bind_int(st, 3, limit);
	rows = json_array();
	while ((rc = sd_stmt_step(st)) == 1) {
		json_error_t jerr;
		json_t *params = json_loads(sd_stmt_text(st, 6), 0, &jerr);
		const char *cf = sd_stmt_text(st, 4), *af = sd_stmt_text(st, 7);
		char when[40];
		sd_fmt_time(sd_stmt_int(st, 1), when, sizeof when);
		json_array_append_new(rows, json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:s, s:o, s:o, s:s, s:s}",
			"seq", (json_int_t)sd_stmt_int(st, 0), "time", when,
			"time_ms", (json_int_t)sd_stmt_int(st, 1),
			"user", sd_stmt_text(st, 2), "role", sd_stmt_text(st, 3),
			"caller_factory", cf && *cf ? json_string(cf) : json_null(),
			"op", sd_stmt_text(st, 5),
			"params", params ? params : json_object(),
			"factory", af && *af ? json_string(af) : json_null(),
			"outcome", sd_stmt_text(st, 8), "message", sd_stmt_text(st, 9)));
	}
	sd_stmt_reset(st);
	if (rc < 0) {
		json_decref(rows);
		return sd_op_fail(call, SD_IPC_E_INTERNAL, "audit log: %s", sd_store_errmsg(a->store));
	}
	return json_pack("{s:o}", "audit", rows);
}

static const struct sd_param p_audit[] = {
	{ "since", SD_PT_INT, false, "only records at or after this time (ms since the epoch)" },
	{ "factory", SD_PT_ID, false, "only records about this factory" },
	{ "limit", SD_PT_INT, false, "newest first, at most this many (default 200)" },
	SD_PARAMS_END
};

static const struct sd_op audit_ops[] = {
	{ "audit", op_audit, SD_PERM_READ, 0, p_audit,
	  "the audit log of changes (a factory sees its own)" },
};

int sd_audit_register_ops(struct sd_audit *a, struct sd_ops *ops)
{
	return sd_ops_register(ops, audit_ops, SD_ARRAY_LEN(audit_ops), a);
}

void sd_audit_unregister_ops(struct sd_ops *ops)
{
	sd_ops_unregister(ops, audit_ops);
}
