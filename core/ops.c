/* core/ops.c — the op registry and its dispatcher; see ops.h for the
 * order in which a request is checked. */
#include "core/ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ipc.h"
#include "core/log.h"
#include "core/strmap.h"
#include "core/util.h"

struct table {
	const struct sd_op *rows;
	size_t n;
	void *arg;
};

struct entry {
	const struct sd_op *op;
	void *arg;
};

struct sd_ops {
	struct table *tables;
	int ntables;
	struct sd_strmap byname;        /* name -> struct entry */
	sd_ops_audit_fn audit;
	void *audit_arg;
	sd_ops_reply_fn reply;
	void *reply_server;
};

/* The handle of a deferred call: the call plus copies of what the request
 * and the peer owned. */
struct deferred {
	struct sd_op_call call;
	struct sd_ipc_caller caller;
	json_t *root;                   /* the request object (a reference) */
};

unsigned sd_role_perms(enum sd_role r)
{
	switch (r) {
	case SD_ROLE_OPERATOR:
		return SD_PERM_READ | SD_PERM_ACT | SD_PERM_REQUEST | SD_PERM_IMPORT | SD_PERM_ADMIN;
	case SD_ROLE_VIEWER:
		return SD_PERM_READ;
	case SD_ROLE_FACTORY:
		return SD_PERM_READ | SD_PERM_REQUEST | SD_PERM_IMPORT;
	case SD_ROLE_NONE:
		break;
	}
	return 0;
}

const char *sd_perm_names(unsigned perms, char *buf, size_t bufsz)
{
	static const char *const names[] = { "read", "act", "request", "import", "admin" };
	size_t i, off = 0;
	buf[0] = '\0';
	for (i = 0; i < SD_ARRAY_LEN(names); i++) {
		if (!(perms & (1u << i)))
			continue;
		off += (size_t)snprintf(buf + off, off < bufsz ? bufsz - off : 0, "%s%s",
					off ? ", " : "", names[i]);
	}
	return buf;
}

/* --- scope ---------------------------------------------------------------- */

bool sd_ipc_sees_factory(const struct sd_ipc_caller *c, int factory)
{
	return c->role == SD_ROLE_OPERATOR || c->role == SD_ROLE_VIEWER ||
	       (c->role == SD_ROLE_FACTORY && c->factory == factory && factory >= 0);
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

json_t *sd_op_fail(struct sd_op_call *call, const char *code, const char *fmt, ...)
{
	va_list ap;
	call->err_code = code;
	va_start(ap, fmt);
	vsnprintf(call->err_msg, sizeof call->err_msg, fmt, ap);
	va_end(ap);
	return NULL;
}

json_t *sd_op_fail_scope(struct sd_op_call *call, const char *what, const char *id)
{
	call->err_code = sd_ipc_scope_error(call->caller, what, id, call->err_msg,
					    sizeof call->err_msg);
	return NULL;
}

void sd_op_about(struct sd_op_call *call, const char *factory_id)
{
	sd_strlcpy(call->about_factory, factory_id ? factory_id : "", sizeof call->about_factory);
}

/* --- registry ------------------------------------------------------------- */

struct sd_ops *sd_ops_new(void)
{
	struct sd_ops *r = sd_calloc(1, sizeof *r);
	sd_strmap_init(&r->byname);
	return r;
}

void sd_ops_free(struct sd_ops *r)
{
	size_t pos = 0;
	void *v;
	if (!r)
		return;
	while (sd_strmap_next(&r->byname, &pos, NULL, &v))
		free(v);
	sd_strmap_done(&r->byname);
	free(r->tables);
	free(r);
}

int sd_ops_register(struct sd_ops *r, const struct sd_op *rows, size_t n, void *arg)
{
	size_t i;
	for (i = 0; i < n; i++) {
		if (sd_strmap_has(&r->byname, rows[i].name)) {
			sd_err("ops: \"%s\" is registered twice; table refused", rows[i].name);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		struct entry *e = sd_calloc(1, sizeof *e);
		e->op = &rows[i];
		e->arg = arg;
		sd_strmap_put(&r->byname, rows[i].name, e);
	}
	r->tables = sd_reallocarray(r->tables, (size_t)r->ntables + 1, sizeof *r->tables);
	r->tables[r->ntables++] = (struct table){ rows, n, arg };
	return 0;
}

void sd_ops_unregister(struct sd_ops *r, const struct sd_op *rows)
{
	int t;
	for (t = 0; t < r->ntables; t++) {
		size_t i;
		if (r->tables[t].rows != rows)
			continue;
		for (i = 0; i < r->tables[t].n; i++)
			free(sd_strmap_del(&r->byname, rows[i].name));
		memmove(&r->tables[t], &r->tables[t + 1],
			(size_t)(r->ntables - t - 1) * sizeof *r->tables);
		r->ntables--;
		return;
	}
}

void sd_ops_set_audit(struct sd_ops *r, sd_ops_audit_fn fn, void *arg)
{
	r->audit = fn;
	r->audit_arg = arg;
}

void sd_ops_set_reply(struct sd_ops *r, sd_ops_reply_fn fn, void *server)
{
	r->reply = fn;
	r->reply_server = server;
}

const struct sd_op *sd_ops_find(const struct sd_ops *r, const char *name)
{
	const struct entry *e = sd_strmap_get(&r->byname, name);
	return e ? e->op : NULL;
}

/* --- checks --------------------------------------------------------------- */

static const char *ptype_name(enum sd_ptype t)
{
	switch (t) {
	case SD_PT_STRING: return "a string";
	case SD_PT_ID: return "an id (letters, digits, _ . -)";
	case SD_PT_INT: return "an integer";
	case SD_PT_NUMBER: return "a number";
	case SD_PT_BOOL: return "true or false";
	case SD_PT_ARRAY: return "an array";
	case SD_PT_OBJECT: return "an object";
	case SD_PT_ANY: return "an integer or a string";
	}
	return "?";
}

static bool ptype_ok(enum sd_ptype t, json_t *v)
{
	switch (t) {
	case SD_PT_STRING: return json_is_string(v);
	case SD_PT_ID: return json_is_string(v) && sd_id_valid(json_string_value(v));
	case SD_PT_INT: return json_is_integer(v);
	case SD_PT_NUMBER: return json_is_number(v);
	case SD_PT_BOOL: return json_is_boolean(v);
	case SD_PT_ARRAY: return json_is_array(v);
	case SD_PT_OBJECT: return json_is_object(v);
	case SD_PT_ANY: return json_is_integer(v) || json_is_string(v);
	}
	return false;
}

static const struct sd_param *find_param(const struct sd_op *op, const char *name)
{
	const struct sd_param *p;
	for (p = op->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static void param_list(const struct sd_op *op, char *buf, size_t n)
{
	const struct sd_param *p;
	size_t off = 0;
	buf[0] = '\0';
	for (p = op->params; p && p->name; p++)
		off += (size_t)snprintf(buf + off, off < n ? n - off : 0, "%s%s", off ? ", " : "",
					p->name);
	if (!off)
		snprintf(buf, n, "none");
}

bool sd_op_check_params(struct sd_op_call *call)
{
	const struct sd_op *op = call->op;
	const struct sd_param *p;
	const char *key;
	json_t *v;
	json_object_foreach(call->params, key, v) {
		char clean[64], list[256];
		if (strcmp(key, "id") == 0 || strcmp(key, "op") == 0)
			continue;
		p = find_param(op, key);
		sd_sanitize(clean, sizeof clean, key, strlen(key));
		if (!p) {
			param_list(op, list, sizeof list);
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"%s\" takes no parameter \"%s\" (it takes: %s)",
				   op->name, clean, list);
			return false;
		}
		/* null is "absent" for optional parameters, as clients often send it */
		if (json_is_null(v) && !p->required)
			continue;
		if (!ptype_ok(p->type, v)) {
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"%s\": parameter \"%s\" must be %s",
				   op->name, clean, ptype_name(p->type));
			return false;
		}
	}
	for (p = op->params; p && p->name; p++) {
		v = json_object_get(call->params, p->name);
		if (p->required && (!v || json_is_null(v))) {
			sd_op_fail(call, SD_IPC_E_BADREQ, "\"%s\" needs \"%s\" (%s)", op->name, p->name,
				   p->help ? p->help : ptype_name(p->type));
			return false;
		}
	}
	return true;
}

static void write_audit(struct sd_ops *r, struct sd_op_call *call, bool ok)
{
	struct sd_op_audit a;
	json_t *params;
	if (!r->audit || !(call->op->flags & SD_OP_MUTATES))
		return;
	params = json_deep_copy(call->params);
	json_object_del(params, "id");
	json_object_del(params, "op");
	a.caller = call->caller;
	a.op = call->op->name;
	a.params = params;
	a.outcome = ok ? "ok" : (call->err_code ? call->err_code : SD_IPC_E_INTERNAL);
	a.message = ok ? "" : call->err_msg;
	a.about_factory = call->about_factory[0] ? call->about_factory : call->caller->factory_id;
	r->audit(r->audit_arg, &a);
	json_decref(params);
}

char *sd_ops_dispatch(struct sd_ops *r, const struct sd_config *cfg, struct sd_model *model,
		      const struct sd_ipc_caller *caller, uint64_t peer_serial, bool hello_done,
		      const struct sd_ipc_request *req, struct sd_op_call *call)
{
	const struct entry *e = sd_strmap_get(&r->byname, req->op);
	unsigned have = sd_role_perms(caller->role);
	/* a copy: an op may end the very connection it serves (a reload that
	 * changes the caller's own role), and the audit record comes after */
	struct sd_ipc_caller who = *caller;
	json_t *result;

	memset(call, 0, sizeof *call);
	call->caller = &who;
	call->params = req->params;
	call->id = req->id;
	call->cfg = cfg;
	call->model = model;
	call->registry = r;
	call->server = r->reply_server;
	call->peer_serial = peer_serial;
	if (!e) {
		char msg[200], op[64];
		sd_sanitize(op, sizeof op, req->op, strlen(req->op));
		snprintf(msg, sizeof msg, "unknown op \"%s\" (try \"help\")", op);
		return sd_ipc_reply_error(req->id, SD_IPC_E_UNKNOWN, msg);
	}
	call->op = e->op;
	call->arg = e->arg;
	if (!hello_done && !(e->op->flags & SD_OP_PRE_HELLO))
		return sd_ipc_reply_error(req->id, SD_IPC_E_HELLO,
					  "the first request must be {\"op\":\"hello\",\"version\":1}");
	if (e->op->perms & ~have) {
		char need[64];
		sd_op_fail(call, SD_IPC_E_FORBIDDEN, "\"%s\" needs the %s permission; you are %s",
			   e->op->name, sd_perm_names(e->op->perms & ~have, need, sizeof need),
			   sd_role_name(caller->role));
		write_audit(r, call, false);
		return sd_ipc_reply_error(req->id, call->err_code, call->err_msg);
	}
	if (!sd_op_check_params(call)) {
		write_audit(r, call, false);
		return sd_ipc_reply_error(req->id, call->err_code, call->err_msg);
	}
	result = e->op->fn(call);
	if (!result && call->deferred)
		return NULL;   /* the op answers through sd_op_finish (its own copy) */
	write_audit(r, call, result != NULL);
	if (!result)
		return sd_ipc_reply_error(req->id, call->err_code ? call->err_code : SD_IPC_E_INTERNAL,
					  call->err_msg);
	return sd_ipc_reply_result(req->id, result);
}

struct sd_op_call *sd_op_defer(struct sd_op_call *call)
{
	struct deferred *d;
	if (!(call->op->flags & SD_OP_ASYNC)) {
		sd_err("ops: \"%s\" deferred its answer but is not flagged async", call->op->name);
		return NULL;
	}
	d = sd_calloc(1, sizeof *d);
	d->call = *call;
	d->caller = *call->caller;
	d->call.caller = &d->caller;
	/* params is the request object: keep it (and the id inside it) alive */
	d->root = json_incref(call->params);
	d->call.deferred = false;
	call->deferred = true;
	return &d->call;
}

void sd_op_finish(struct sd_op_call *handle, json_t *result)
{
	struct deferred *d = (struct deferred *)((char *)handle - offsetof(struct deferred, call));
	struct sd_ops *r = handle->registry;
	char *line;
	write_audit(r, handle, result != NULL);
	if (result)
		line = sd_ipc_reply_result(handle->id, result);
	else
		line = sd_ipc_reply_error(handle->id,
					  handle->err_code ? handle->err_code : SD_IPC_E_INTERNAL,
					  handle->err_msg);
	if (r->reply)
		r->reply(r->reply_server, handle->peer_serial, line);   /* takes line */
	else
		free(line);
	json_decref(d->root);
	free(d);
}

/* --- help ----------------------------------------------------------------- */

static const char *ptype_word(enum sd_ptype t)
{
	switch (t) {
	case SD_PT_STRING: return "string";
	case SD_PT_ID: return "id";
	case SD_PT_INT: return "integer";
	case SD_PT_NUMBER: return "number";
	case SD_PT_BOOL: return "boolean";
	case SD_PT_ARRAY: return "array";
	case SD_PT_OBJECT: return "object";
	case SD_PT_ANY: return "integer|string";
	}
	return "?";
}

json_t *sd_ops_help(const struct sd_ops *r, const struct sd_ipc_caller *caller)
{
	unsigned have = sd_role_perms(caller->role);
	json_t *a = json_array();
	int t;
	for (t = 0; t < r->ntables; t++) {
		size_t i;
		for (i = 0; i < r->tables[t].n; i++) {
			const struct sd_op *op = &r->tables[t].rows[i];
			const struct sd_param *p;
			json_t *params;
			if (op->perms & ~have)
				continue;
			params = json_array();
			for (p = op->params; p && p->name; p++)
				json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s}",
					"name", p->name, "type", ptype_word(p->type),
					"required", p->required, "help", p->help ? p->help : ""));
			json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:b}", "op", op->name,
							   "help", op->help ? op->help : "",
							   "params", params,
							   "mutates", (op->flags & SD_OP_MUTATES) != 0));
		}
	}
	return a;
}
